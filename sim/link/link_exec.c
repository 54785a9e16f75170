/* link_exec.c — the exec transport: the bench starts the firmware as a child process and speaks
 * docs/protocol.md over its stdin/stdout.
 *
 * exec:/path/to/prog arg1 arg2 — words split at blanks (no quoting), PATH searched for the
 * program. The child gets one end of a socket pair as stdin and stdout; its stderr is a pipe the bench
 * relays to its own, escaped and capped (sim/link/dut_stderr.h).
 * It runs contained (link_child.c) and, unless --sandbox off, sandboxed (sandbox.c). This file is also the template for a new stream transport: fill an
 * fbl_io and hand it to fbl_proto_open; the protocol engine (link_proto.c) does the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "link_internal.h"
#include "sandbox.h"

/* ---- the exec transport ------------------------------------------------------------------- */

typedef struct exec_dut {
    fbl_child child;   /* first: fbl_child_read/write take the context as an fbl_child */
    fb_sandbox *sb;    /* NULL with --sandbox off */
    char why_off[120]; /* for the audit when sb is NULL */
} exec_dut;

static void exec_describe(void *ctx, char *buf, size_t len)
{
    exec_dut *d = ctx;
    fbl_child_describe(&d->child, 2.0, buf, len);
}

static void exec_watch(void *ctx, uint32_t frame, double t_s)
{
    exec_dut *d = ctx;
    fb_sandbox_service(d->sb, frame, t_s);
}

static void exec_audit(void *ctx, fb_link_audit *a)
{
    exec_dut *d = ctx;
    if (d->sb)
        fb_sandbox_audit(d->sb, a);
    else
        fb_sandbox_audit_off(a, d->why_off);
}

static void exec_io_close(void *ctx)
{
    exec_dut *d = ctx;
    fbl_child_stop(&d->child, 0.5); /* after BYE_ACK it exits by itself; after a fault it is killed */
    fb_sandbox_free(d->sb);
    free(d);
}

int fbl_exec_open(fb_link *l, char *const argv[], char *err, size_t err_len)
{
    exec_dut *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    int rc;
    if (l->opts.sandbox_off) {
        snprintf(d->why_off, sizeof d->why_off, "all (--sandbox off)");
    } else if ((rc = fb_sandbox_new(&d->sb, argv, err, err_len)) != 0) {
        free(d);
        return rc;
    }
    rc = fbl_child_spawn(&d->child, argv, NULL, d->sb ? fb_sandbox_setup(d->sb) : NULL, err,
                         err_len);
    if (!rc && d->sb)
        rc = fb_sandbox_started(d->sb, &d->child, err, err_len);
    if (rc) {
        fbl_child_stop(&d->child, 0);
        fb_sandbox_free(d->sb);
        free(d);
        return rc;
    }
    fbl_io io = {.rfd = d->child.fd,
                 .wfd = d->child.fd,
                 .frame_fd = -1,
                 .lookahead = 1,
                 .ctx = d,
                 .read = fbl_child_read,
                 .write = fbl_child_write,
                 .describe_end = exec_describe,
                 .watch_fd = fb_sandbox_fd(d->sb),
                 .on_watch = exec_watch,
                 .err = &d->child.err,
                 .audit = exec_audit,
                 .close = exec_io_close};
    return fbl_proto_open(l, &io, err, err_len);
}

/* The program exists and may be run: a path, or a name found on PATH (as execvp looks). */
static int exec_check(const char *arg, char *err, size_t err_len)
{
    char words[1024];
    char *argv[64];
    if (snprintf(words, sizeof words, "%s", arg) >= (int)sizeof words ||
        fbl_split_args(words, argv, 64) <= 0) {
        snprintf(err, err_len, "exec DUT \"%s\": expected exec:/path/to/program [args] "
                               "(at most 63 words)", arg);
        return FB_ERR_ARG;
    }
    if (strchr(argv[0], '/')) {
        if (access(argv[0], X_OK) == 0)
            return FB_OK;
        snprintf(err, err_len, "exec DUT: program %s: %s", argv[0], strerror(errno));
        return FB_ERR_ARG;
    }
    const char *path = getenv("PATH");
    for (const char *p = path && *path ? path : "/usr/bin:/bin"; *p;) {
        size_t n = strcspn(p, ":");
        char full[4096];
        if (snprintf(full, sizeof full, "%.*s/%s", (int)n, n ? p : ".", argv[0]) <
                (int)sizeof full &&
            access(full, X_OK) == 0)
            return FB_OK;
        p += n + (p[n] == ':');
    }
    snprintf(err, err_len, "exec DUT: program \"%s\" not found on PATH", argv[0]);
    return FB_ERR_ARG;
}

static int exec_open(fb_link *l, const char *arg, char *err, size_t err_len)
{
    char words[1024];
    char *argv[64];
    if (snprintf(words, sizeof words, "%s", arg) >= (int)sizeof words) {
        snprintf(err, err_len, "exec DUT: command line too long");
        return FB_ERR_ARG;
    }
    int nw = fbl_split_args(words, argv, 64);
    if (nw < 0) {
        snprintf(err, err_len, "exec DUT: more than 63 words on the command line");
        return FB_ERR_ARG;
    }
    if (nw == 0) {
        snprintf(err, err_len,
                 "exec DUT: no program given (expected exec:/path/to/program [args])");
        return FB_ERR_ARG;
    }
    return fbl_exec_open(l, argv, err, err_len);
}

const fb_link_ops fb_link_exec = {
    .name = "exec",
    .help = "firmware as a child process, protocol on its stdin/stdout: exec:/path/prog [args]",
    .open = exec_open,
    .check = exec_check,
    .send_frame = fbl_proto_send_frame,
    .poll_events = fbl_proto_poll,
    .finish = fbl_proto_finish,
    .close = fbl_proto_close,
};
