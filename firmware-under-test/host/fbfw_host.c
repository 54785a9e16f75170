/* fbfw_host.c — the firmware as a host program: the link protocol over stdin/stdout, a serial
 * device or a new pty.
 *
 * The same source builds for the host, for ARM Linux (run under qemu-arm through the bench's exec
 * transport) and, with FBFW_BROKEN, as the deliberately broken DUTs of firmware-under-test/broken/.
 */
#define _GNU_SOURCE /* posix_openpt, ptsname, cfmakeraw */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "fbfw_link.h"
#ifdef FBFW_LIBHOST
#include "libhost.h"
#endif
#ifdef FBFW_BROKEN
#include "../broken/broken.h"
#endif

static const char usage[] =
    "usage: fbfw_host [--serial DEVICE[@BAUD]] [--pty LINK]"
#ifdef FBFW_LIBHOST
    " --lib PATH"
#endif
#ifdef FBFW_BROKEN
    " --broken MODE[@N] [--tag WORD]"
#endif
    "\n"
    "Runs the reference screening firmware behind the feverbench link protocol "
    "(docs/protocol.md).\n"
    "  (default)             speak the protocol on stdin/stdout (the bench's exec transport)\n"
    "  --serial DEV[@BAUD]   on a serial device, raw 8N1 (default 921600 baud)\n"
#ifdef FBFW_LIBHOST
    "  --lib PATH            the firmware: a shared library exporting the fbfw.h API\n"
#endif
    "  --pty LINK            create a pseudo-terminal, make LINK a symlink to its device and "
    "serve\n"
    "                        whoever opens it (the bench: --dut serial:LINK); exits when it "
    "closes\n"
#ifdef FBFW_BROKEN
    "  --broken MODE[@N]     misbehave from frame N on (default 5); MODE: " FBFW_BROKEN_MODES "\n"
    "  --tag WORD            ignored: marks this process and its children in the process table "
    "(tests)\n"
#endif
    "exit status: 0 after the bench's BYE, 1 when the link ended without BYE, 2 usage or I/O "
    "error\n";

typedef struct host_io {
    int rfd, wfd;
    void *mem;
} host_io;

static int host_write(void *ctx, const uint8_t *buf, size_t n)
{
    host_io *io = ctx;
    while (n > 0) {
        ssize_t w = write(io->wfd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = io->wfd, .events = POLLOUT};
            (void)poll(&p, 1, 1000);
            continue;
        }
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static long host_read(void *ctx, uint8_t *buf, size_t n)
{
    host_io *io = ctx;
    for (;;) {
        ssize_t r = read(io->rfd, buf, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = io->rfd, .events = POLLIN};
            (void)poll(&p, 1, 1000);
            continue;
        }
        if (r < 0 && errno == EIO)
            return 0; /* a pty whose other side closed */
        return (long)r;
    }
}

static void *host_alloc(void *ctx, size_t n)
{
    host_io *io = ctx;
    free(io->mem);
    io->mem = aligned_alloc(16, (n + 15u) / 16u * 16u);
    if (io->mem)
        memset(io->mem, 0, n);
    return io->mem;
}

static uint32_t host_now_us(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

static speed_t baud_constant(unsigned long baud)
{
    static const struct {
        unsigned long baud;
        speed_t c;
    } t[] = {{9600, B9600},       {19200, B19200},     {38400, B38400},    {57600, B57600},
             {115200, B115200},   {230400, B230400},   {460800, B460800},  {921600, B921600},
             {1000000, B1000000}, {2000000, B2000000}, {3000000, B3000000}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].baud == baud)
            return t[i].c;
    return 0;
}

static int make_raw(int fd, speed_t speed)
{
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0)
        return -1;
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (speed && (cfsetispeed(&tio, speed) != 0 || cfsetospeed(&tio, speed) != 0))
        return -1;
    return tcsetattr(fd, TCSANOW, &tio);
}

static int open_serial(const char *arg, host_io *io)
{
    char path[512];
    unsigned long baud = 921600;
    snprintf(path, sizeof path, "%s", arg);
    char *at = strrchr(path, '@');
    if (at) {
        *at = '\0';
        char *end;
        baud = strtoul(at + 1, &end, 10);
        if (*end || !baud_constant(baud)) {
            fprintf(stderr, "fbfw_host: --serial %s: unsupported baud rate \"%s\"\n", arg, at + 1);
            return -1;
        }
    }
    int fd = open(path, O_RDWR | O_NOCTTY);
    if (fd < 0) {
        fprintf(stderr, "fbfw_host: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (make_raw(fd, baud_constant(baud)) != 0) {
        fprintf(stderr, "fbfw_host: %s: cannot set raw mode: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    io->rfd = io->wfd = fd;
    return 0;
}

static int open_pty(const char *link, host_io *io)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
        fprintf(stderr, "fbfw_host: cannot create a pty: %s\n", strerror(errno));
        return -1;
    }
    const char *slave = ptsname(m);
    /* Raw from the start: termios set on the master applies to the pair, so nothing the firmware
     * writes is ever echoed back to it before the bench opens its side. */
    if (!slave || make_raw(m, 0) != 0) {
        fprintf(stderr, "fbfw_host: cannot set up the pty: %s\n", strerror(errno));
        close(m);
        return -1;
    }
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", link, (long)getpid());
    unlink(tmp);
    if (symlink(slave, tmp) != 0 || rename(tmp, link) != 0) {
        fprintf(stderr, "fbfw_host: cannot link %s to %s: %s\n", link, slave, strerror(errno));
        unlink(tmp);
        close(m);
        return -1;
    }
    fprintf(stderr, "fbfw_host: serving %s (%s)\n", link, slave);
    io->rfd = io->wfd = m;
    return 0;
}

int main(int argc, char **argv)
{
    host_io io = {.rfd = 0, .wfd = 1, .mem = NULL};
    const char *serial = NULL, *pty = NULL;
#ifdef FBFW_LIBHOST
    const char *lib = NULL;
#endif
#ifdef FBFW_BROKEN
    fbfw_broken broken;
    memset(&broken, 0, sizeof broken);
    bool have_broken = false;
#endif
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--serial") == 0 && i + 1 < argc) {
            serial = argv[++i];
        } else if (strcmp(argv[i], "--pty") == 0 && i + 1 < argc) {
            pty = argv[++i];
#ifdef FBFW_LIBHOST
        } else if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc) {
            lib = argv[++i];
#endif
#ifdef FBFW_BROKEN
        } else if (strcmp(argv[i], "--broken") == 0 && i + 1 < argc) {
            char err[200];
            if (fbfw_broken_parse(argv[++i], &broken, err, sizeof err) != 0) {
                fprintf(stderr, "fbfw_host: --broken: %s\n", err);
                return 2;
            }
            have_broken = true;
        } else if (strcmp(argv[i], "--tag") == 0 && i + 1 < argc) {
            i++;
#endif
        } else {
            fprintf(stderr, "fbfw_host: unknown argument \"%s\"\n%s", argv[i], usage);
            return 2;
        }
    }
#ifdef FBFW_BROKEN
    if (!have_broken) {
        fprintf(stderr, "fbfw_host: this is a broken test fixture: --broken MODE is required\n");
        return 2;
    }
#endif
#ifdef FBFW_LIBHOST
    if (!lib) {
        fprintf(stderr, "fbfw_libhost: --lib PATH is required\n");
        return 2;
    }
#endif
    if (serial && pty) {
        fprintf(stderr, "fbfw_host: --serial and --pty exclude each other\n");
        return 2;
    }
    if ((serial && open_serial(serial, &io) != 0) || (pty && open_pty(pty, &io) != 0))
        return 2;
    signal(SIGPIPE, SIG_IGN); /* a vanished bench shows up as a write error */
#ifdef FBFW_LIBHOST
    char lerr[200];
    if (fbfw_libhost_load(lib, lerr, sizeof lerr) != 0) {
        fprintf(stderr, "fbfw_libhost: %s: %s\n", lib, lerr);
        fbfw_libhost_fail(io.wfd, lerr); /* the bench's message says why */
        return 2;
    }
#endif

    fbfw_port port = {.ctx = &io,
                      .write = host_write,
                      .read = host_read,
                      .read_frame = NULL,
                      .alloc = host_alloc,
                      .now_us = host_now_us};
    static fbfw_link lk;
#ifdef FBFW_BROKEN
    int rc = fbfw_link_run(&lk, &port, &fbfw_broken_hooks, &broken);
#else
    int rc = fbfw_link_run(&lk, &port, NULL, NULL);
#endif
    free(io.mem);
    if (rc == 0 && (pty || serial)) {
        /* A line keeps no data once its device goes: closing the pty now could drop BYE_ACK
         * before the bench reads it. Stay until the bench hangs up (pty), or the UART drains. */
        if (pty) {
            uint8_t b[64];
            struct pollfd p = {.fd = io.rfd, .events = POLLIN};
            for (int i = 0; i < 40 && poll(&p, 1, 50) >= 0; i++) {
                if (p.revents & (POLLHUP | POLLERR))
                    break;
                if ((p.revents & POLLIN) && read(io.rfd, b, sizeof b) <= 0)
                    break;
            }
        } else {
            tcdrain(io.wfd);
        }
    }
    if (pty)
        unlink(pty);
    return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}
