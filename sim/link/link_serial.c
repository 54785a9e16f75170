/* link_serial.c — the serial transport: docs/protocol.md over a serial port (libserialport) or a
 * pseudo-terminal (termios).
 *
 * serial:PATH[@BAUD][,driver=libserialport|termios] — 8N1, no flow control, default 921600 baud.
 * The driver defaults to termios for pseudo-terminals (libserialport 0.1.1 cannot open one: it
 * looks the device up in sysfs and sets modem lines a pty does not have) and to libserialport for
 * everything else. PATH may be a symlink (it is resolved first).
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>
#if FB_HAVE_LIBSERIALPORT
#include <libserialport.h>
#endif
#include "../models/fb_error.h"
#include "link_internal.h"

#define DEFAULT_BAUD 921600

typedef struct serial {
    char path[PATH_MAX];
    int fd;
#if FB_HAVE_LIBSERIALPORT
    struct sp_port *sp; /* NULL when the termios driver is used */
#endif
    bool gone;
} serial;

static long tio_read(void *ctx, uint8_t *buf, size_t n)
{
    serial *s = ctx;
    for (;;) {
        ssize_t r = read(s->fd, buf, n);
        if (r > 0)
            return (long)r;
        if (r == 0) { /* a tty with VMIN 0 / a hung-up pty */
            errno = 0;
            return -1;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return 0;
        return -1;
    }
}

static long tio_write(void *ctx, const uint8_t *buf, size_t n)
{
    serial *s = ctx;
    for (;;) {
        ssize_t w = write(s->fd, buf, n);
        if (w >= 0)
            return (long)w;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return 0;
        return -1;
    }
}

#if FB_HAVE_LIBSERIALPORT
static long sp_read(void *ctx, uint8_t *buf, size_t n)
{
    serial *s = ctx;
    enum sp_return r = sp_nonblocking_read(s->sp, buf, n);
    if (r > 0)
        return (long)r;
    if (r == 0)
        return 0;
    errno = EIO;
    return -1;
}

static long sp_write(void *ctx, const uint8_t *buf, size_t n)
{
    serial *s = ctx;
    enum sp_return r = sp_nonblocking_write(s->sp, buf, n);
    if (r >= 0)
        return (long)r;
    errno = EIO;
    return -1;
}
#endif

static void serial_describe(void *ctx, char *buf, size_t len)
{
    serial *s = ctx;
    snprintf(buf, len, "serial line %s hung up or failed", s->path);
}

static void serial_io_close(void *ctx)
{
    serial *s = ctx;
#if FB_HAVE_LIBSERIALPORT
    if (s->sp) {
        sp_close(s->sp);
        sp_free_port(s->sp);
        s->sp = NULL;
        s->fd = -1;
    }
#endif
    if (s->fd >= 0)
        close(s->fd);
    free(s);
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

/* Unix98 pseudo-terminal slaves are character devices with majors 136..143. */
static bool is_pty(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return false;
    unsigned maj = major(st.st_rdev);
    return (maj >= 136 && maj <= 143) || strncmp(path, "/dev/pts/", 9) == 0;
}

static int open_termios(serial *s, unsigned long baud, char *err, size_t err_len)
{
    s->fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (s->fd < 0) {
        snprintf(err, err_len, "serial DUT %s: %s", s->path, strerror(errno));
        return FB_ERR_ARG;
    }
    struct termios tio;
    if (tcgetattr(s->fd, &tio) != 0) {
        snprintf(err, err_len, "serial DUT %s: not a terminal: %s", s->path, strerror(errno));
        return FB_ERR_ARG;
    }
    /* Raw mode, as cfmakeraw does (which POSIX does not have). */
    tio.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                               IXOFF | INPCK);
    tio.c_oflag &= ~(tcflag_t)OPOST;
    tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    speed_t sp = baud_constant(baud);
    if (cfsetispeed(&tio, sp) != 0 || cfsetospeed(&tio, sp) != 0 ||
        tcsetattr(s->fd, TCSANOW, &tio) != 0) {
        snprintf(err, err_len, "serial DUT %s: cannot set %lu baud raw mode: %s", s->path, baud,
                 strerror(errno));
        return FB_ERR_ARG;
    }
    tcflush(s->fd, TCIOFLUSH);
    return FB_OK;
}

#if FB_HAVE_LIBSERIALPORT
static int open_libserialport(serial *s, unsigned long baud, char *err, size_t err_len)
{
    const char *what = "sp_get_port_by_name";
    enum sp_return r = sp_get_port_by_name(s->path, &s->sp);
    if (r == SP_OK) {
        what = "sp_open";
        r = sp_open(s->sp, SP_MODE_READ_WRITE);
    }
    if (r == SP_OK) {
        what = "configuring 8N1";
        r = sp_set_baudrate(s->sp, (int)baud);
        if (r == SP_OK)
            r = sp_set_bits(s->sp, 8);
        if (r == SP_OK)
            r = sp_set_parity(s->sp, SP_PARITY_NONE);
        if (r == SP_OK)
            r = sp_set_stopbits(s->sp, 1);
        if (r == SP_OK)
            r = sp_set_flowcontrol(s->sp, SP_FLOWCONTROL_NONE);
    }
    int fd = -1;
    if (r == SP_OK) {
        what = "sp_get_port_handle";
        r = sp_get_port_handle(s->sp, &fd);
    }
    if (r != SP_OK) {
        char *msg = r == SP_ERR_FAIL ? sp_last_error_message() : NULL;
        snprintf(err, err_len, "serial DUT %s: libserialport: %s failed: %s%s", s->path, what,
                 msg               ? msg
                 : r == SP_ERR_ARG ? "invalid argument or no such port"
                                   : "error",
                 is_pty(s->path) ? " (a pty needs driver=termios)" : "");
        if (msg)
            sp_free_error_message(msg);
        return FB_ERR_ARG;
    }
    sp_flush(s->sp, SP_BUF_BOTH);
    s->fd = fd;
    return FB_OK;
}
#endif

static int serial_open(fb_link *l, const char *arg, char *err, size_t err_len)
{
    char spec[PATH_MAX + 64];
    if (snprintf(spec, sizeof spec, "%s", arg) >= (int)sizeof spec) {
        snprintf(err, err_len, "serial DUT: spec too long");
        return FB_ERR_ARG;
    }
    const char *driver = NULL;
    char *comma = strchr(spec, ',');
    if (comma) {
        *comma = '\0';
        if (strncmp(comma + 1, "driver=", 7) != 0) {
            snprintf(err, err_len,
                     "serial DUT \"%s\": unknown option \"%s\" (expected "
                     "driver=libserialport or driver=termios)",
                     arg, comma + 1);
            return FB_ERR_ARG;
        }
        driver = comma + 8;
        if (strcmp(driver, "libserialport") != 0 && strcmp(driver, "termios") != 0) {
            snprintf(err, err_len,
                     "serial DUT \"%s\": unknown driver \"%s\" (expected "
                     "libserialport or termios)",
                     arg, driver);
            return FB_ERR_ARG;
        }
    }
    unsigned long baud = DEFAULT_BAUD;
    char *at = strrchr(spec, '@');
    if (at) {
        *at = '\0';
        char *end;
        errno = 0;
        baud = strtoul(at + 1, &end, 10);
        if (errno || *end || !baud_constant(baud)) {
            snprintf(err, err_len,
                     "serial DUT \"%s\": unsupported baud rate \"%s\" (expected "
                     "9600 .. 3000000, a standard rate)",
                     arg, at + 1);
            return FB_ERR_ARG;
        }
    }
    if (!spec[0]) {
        snprintf(err, err_len, "serial DUT: no device (expected serial:/dev/ttyUSB0@921600)");
        return FB_ERR_ARG;
    }
    serial *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    s->fd = -1;
    if (!realpath(spec, s->path)) {
        snprintf(err, err_len, "serial DUT %s: %s", spec, strerror(errno));
        free(s);
        return FB_ERR_ARG;
    }
    if (!driver)
        driver = is_pty(s->path) ? "termios" : "libserialport";
    int rc;
    long (*rd)(void *, uint8_t *, size_t) = tio_read;
    long (*wr)(void *, const uint8_t *, size_t) = tio_write;
    if (strcmp(driver, "termios") == 0) {
        rc = open_termios(s, baud, err, err_len);
    } else {
#if FB_HAVE_LIBSERIALPORT
        rc = open_libserialport(s, baud, err, err_len);
        rd = sp_read;
        wr = sp_write;
#else
        snprintf(err, err_len,
                 "serial DUT %s: this feverbench was built without libserialport "
                 "(use driver=termios)",
                 s->path);
        rc = FB_ERR_ARG;
#endif
    }
    if (rc) {
        serial_io_close(s);
        return rc;
    }
    fbl_io io = {.rfd = s->fd,
                 .wfd = s->fd,
                 .frame_fd = -1,
                 /* A pty buffers in the kernel; a real UART without flow control may not. */
                 .lookahead = is_pty(s->path) ? 1u : 0u,
                 .ctx = s,
                 .read = rd,
                 .write = wr,
                 .describe_end = serial_describe,
                 .watch_fd = -1,
                 .close = serial_io_close};
    return fbl_proto_open(l, &io, err, err_len);
}

const fb_link_ops fb_link_serial = {
    .name = "serial",
    .help = "firmware behind a serial port or pty: serial:/dev/ttyUSB0@921600[,driver=termios]",
    .open = serial_open,
    .send_frame = fbl_proto_send_frame,
    .poll_events = fbl_proto_poll,
    .finish = fbl_proto_finish,
    .close = fbl_proto_close,
};
