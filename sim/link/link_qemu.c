/* link_qemu.c — the qemu-mcu transport: the bench starts qemu-system-arm with the MCU firmware and
 * stops it again.
 *
 * qemu-mcu:path/to/fw.elf — board mps2-an385 (Cortex-M3). Control messages and events travel on
 * the CMSDK UART0, which QEMU connects to its stdio (our socket). QEMU 7.2 moves host->guest UART
 * bytes at only ~30 KB/s, so frames go through a frame port instead: a FIFO named "fbp-frames" in
 * QEMU's working directory (a private temporary directory), which the firmware reads with
 * semihosting — where a real camera's sensor DMA would be. QEMU does not exit when its stdin
 * closes, so closing the link kills it. The QEMU binary is $FB_QEMU_SYSTEM_ARM or qemu-system-arm.
 * Semihosting gives the guest the host's files and shell as QEMU's user, so QEMU runs in the
 * exec DUT's sandbox (sandbox.c; unless --sandbox off), the frame port bound into its scratch
 * folder: what else the guest opens or runs through it is recorded and denied.
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "link_internal.h"
#include "sandbox.h"

#define FRAME_PORT_NAME "fbp-frames"
/* What QEMU's own libraries look up as it starts (libnl, libndctl): refused (no such file), as
 * is its io_uring event loop (it falls back to poll); runtime notes in the audit, not the
 * firmware's violations (sandbox.h). */
static const char *const qemu_own_reads[] = {"/etc/libnl", "/sys/bus"};
/* QEMU's translation cache in MiB: by default it maps 1 GiB, which alone would fill the sandbox's
 * 1 GiB data limit; an MCU image's code needs a few MiB. */
#define QEMU_TB_MIB "64"
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031 /* Linux */
#endif

typedef struct qemu {
    fbl_child child; /* first: fbl_child_read/write take the context as an fbl_child */
    fb_sandbox *sb;  /* NULL with --sandbox off */
    char dir[PATH_MAX];
    char fifo[PATH_MAX + 16];
    int fifo_fd;
} qemu;

static void qemu_describe(void *ctx, char *buf, size_t len)
{
    qemu *q = ctx;
    char what[160];
    fbl_child_describe(&q->child, 2.0, what, sizeof what);
    snprintf(buf, len, "QEMU %s", what);
}

static void qemu_watch(void *ctx, uint32_t frame, double t_s)
{
    qemu *q = ctx;
    fb_sandbox_service(q->sb, frame, t_s);
}

static void qemu_audit(void *ctx, fb_link_audit *a)
{
    qemu *q = ctx;
    if (q->sb)
        fb_sandbox_audit(q->sb, a);
    else
        fb_sandbox_audit_off(a, "all (--sandbox off)");
}

static void qemu_io_close(void *ctx)
{
    qemu *q = ctx;
    /* The firmware exits through semihosting after BYE; otherwise QEMU runs on: kill it. */
    fbl_child_stop(&q->child, 0.3);
    fb_sandbox_free(q->sb);
    if (q->fifo_fd >= 0)
        close(q->fifo_fd);
    if (q->fifo[0])
        unlink(q->fifo);
    if (q->dir[0])
        rmdir(q->dir);
    free(q);
}

/* The file is there to be read. */
static int qemu_check(const char *arg, char *err, size_t err_len)
{
    if (arg[0] && access(arg, R_OK) == 0)
        return FB_OK;
    snprintf(err, err_len, "qemu-mcu DUT %s: %s", arg, arg[0] ? strerror(errno) : "no file given");
    return FB_ERR_ARG;
}

static int qemu_open(fb_link *l, const char *arg, char *err, size_t err_len)
{
    char elf[PATH_MAX];
    if (!arg[0]) {
        snprintf(err, err_len, "qemu-mcu DUT: no firmware (expected qemu-mcu:path/to/fw.elf)");
        return FB_ERR_ARG;
    }
    if (!realpath(arg, elf)) {
        snprintf(err, err_len, "qemu-mcu DUT %s: %s", arg, strerror(errno));
        return FB_ERR_ARG;
    }
    qemu *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    q->fifo_fd = -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(q->dir, sizeof q->dir, "%s/feverbench-qemu-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(q->dir)) {
        snprintf(err, err_len, "qemu-mcu DUT: cannot create %s: %s", q->dir, strerror(errno));
        q->dir[0] = '\0';
        qemu_io_close(q);
        return FB_ERR_IO;
    }
    snprintf(q->fifo, sizeof q->fifo, "%s/" FRAME_PORT_NAME, q->dir);
    /* readable by the sandbox's user (nobody when the bench is root); its folder is 0700 */
    if (mkfifo(q->fifo, 0600) != 0 || chmod(q->fifo, 0644) != 0) {
        snprintf(err, err_len, "qemu-mcu DUT: cannot create the frame port %s: %s", q->fifo,
                 strerror(errno));
        q->fifo[0] = '\0';
        qemu_io_close(q);
        return FB_ERR_IO;
    }
    /* Read-write, so opening never blocks and the FIFO always has a reader (no SIGPIPE). A
     * 1 MiB pipe holds a whole frame of most cameras. */
    q->fifo_fd = open(q->fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (q->fifo_fd < 0) {
        snprintf(err, err_len, "qemu-mcu DUT: cannot open the frame port: %s", strerror(errno));
        qemu_io_close(q);
        return FB_ERR_IO;
    }
    (void)fcntl(q->fifo_fd, F_SETPIPE_SZ, 1 << 20);
    const char *bin = getenv("FB_QEMU_SYSTEM_ARM");
    char *argv[] = {
        (char *)(bin && *bin ? bin : "qemu-system-arm"),
        "-M",
        "mps2-an385",
        "-cpu",
        "cortex-m3",
        "-accel",
        "tcg,tb-size=" QEMU_TB_MIB, /* its JIT buffer within the sandbox's memory limit */
        "-nodefaults",
        "-no-user-config", /* no /etc/qemu: the bench's options only */
        "-nic",
        "none",
        "-display",
        "none",
        "-monitor",
        "none",
        "-chardev",
        "stdio,id=uart0,signal=off",
        "-serial",
        "chardev:uart0",
        "-semihosting-config",
        "enable=on,target=native",
        "-kernel",
        elf,
        NULL};
    int rc = FB_OK;
    if (!l->opts.sandbox_off &&
        ((rc = fb_sandbox_new(&q->sb, argv, err, err_len)) != 0 ||
         (rc = fb_sandbox_port(q->sb, q->fifo, FRAME_PORT_NAME, err, err_len)) != 0)) {
        qemu_io_close(q);
        return rc;
    }
    if (q->sb)
        fb_sandbox_runtime(q->sb, "QEMU", qemu_own_reads,
                           sizeof qemu_own_reads / sizeof *qemu_own_reads, true);
    /* sandboxed, QEMU works in its scratch folder, where the frame port is bound */
    rc = fbl_child_spawn(&q->child, argv, q->sb ? NULL : q->dir,
                         q->sb ? fb_sandbox_setup(q->sb) : NULL, err, err_len);
    if (!rc && q->sb)
        rc = fb_sandbox_started(q->sb, &q->child, err, err_len);
    if (rc) {
        qemu_io_close(q);
        return rc;
    }
    fbl_io io = {.rfd = q->child.fd,
                 .wfd = q->child.fd,
                 .frame_fd = q->fifo_fd,
                 .lookahead = 1, /* QEMU's UART model takes bytes only when the guest can */
                 .ctx = q,
                 .read = fbl_child_read,
                 .write = fbl_child_write,
                 .describe_end = qemu_describe,
                 .watch_fd = fb_sandbox_fd(q->sb),
                 .on_watch = qemu_watch,
                 .err = &q->child.err,
                 .audit = qemu_audit,
                 .close = qemu_io_close};
    return fbl_proto_open(l, &io, err, err_len);
}

const fb_link_ops fb_link_qemu_mcu = {
    .name = "qemu-mcu",
    .help = "MCU firmware in qemu-system-arm (mps2-an385), UART + frame port: qemu-mcu:path/fw.elf",
    .open = qemu_open,
    .check = qemu_check,
    .send_frame = fbl_proto_send_frame,
    .poll_events = fbl_proto_poll,
    .finish = fbl_proto_finish,
    .close = fbl_proto_close,
};
