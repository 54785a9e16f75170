/* link_exec.c — the exec transport: the bench starts the firmware as a child process and speaks
 * docs/protocol.md over its stdin/stdout.
 *
 * exec:/path/to/prog arg1 arg2 — words split at blanks (no quoting), PATH searched for the
 * program. The child gets one end of a socket pair as stdin and stdout and its own process group;
 * its stderr is the bench's. This file is also the template for a new stream transport: fill an
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

/* ---- the exec transport ------------------------------------------------------------------- */

static void exec_describe(void *ctx, char *buf, size_t len)
{
    fbl_child_describe(ctx, 0.5, buf, len);
}

static void exec_io_close(void *ctx)
{
    fbl_child *c = ctx;
    fbl_child_stop(c, 0.5); /* after BYE_ACK it exits by itself; after a fault it is killed */
    free(c);
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
    fbl_child *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    int rc = fbl_child_spawn(c, argv, NULL, NULL, err, err_len);
    if (rc) {
        free(c);
        return rc;
    }
    fbl_io io = {.rfd = c->fd,
                 .wfd = c->fd,
                 .frame_fd = -1,
                 .lookahead = 1,
                 .ctx = c,
                 .read = fbl_child_read,
                 .write = fbl_child_write,
                 .describe_end = exec_describe,
                 .close = exec_io_close};
    return fbl_proto_open(l, &io, err, err_len);
}

const fb_link_ops fb_link_exec = {
    .name = "exec",
    .help = "firmware as a child process, protocol on its stdin/stdout: exec:/path/prog [args]",
    .open = exec_open,
    .send_frame = fbl_proto_send_frame,
    .poll_events = fbl_proto_poll,
    .finish = fbl_proto_finish,
    .close = fbl_proto_close,
};
