/* link_lib.c — the lib transport: a vendor's firmware library (a shared object exporting the
 * fbfw.h API) in a host process of its own, sandboxed, speaking docs/protocol.md: a vendor's code
 * never runs inside the bench.
 *
 * lib:/path/libfw.so — and inproc:/path/libfw.so, which means the same (inproc is only for the
 * firmwares built into the bench). The host is firmware-under-test/host built with FBFW_LIBHOST
 * (fbfw_libhost --lib PATH); $FB_LIBHOST names another copy of it. Everything else is the exec
 * transport's (link_exec.c): containment, sandbox, protocol engine.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "link_internal.h"

#ifndef FB_LIBHOST_PATH
#define FB_LIBHOST_PATH "fbfw_libhost"
#endif

/* The file is there to be read. */
static int lib_check(const char *arg, char *err, size_t err_len)
{
    if (arg[0] && access(arg, R_OK) == 0)
        return FB_OK;
    snprintf(err, err_len, "firmware library \"%s\": cannot load: %s", arg, arg[0] ? strerror(errno) : "no file given");
    return FB_ERR_ARG;
}

static int lib_open(fb_link *l, const char *arg, char *err, size_t err_len)
{
    char path[PATH_MAX];
    if (!arg[0]) {
        snprintf(err, err_len, "lib DUT: no library given (expected lib:/path/to/libfw.so)");
        return FB_ERR_ARG;
    }
    if (!realpath(arg, path)) {
        snprintf(err, err_len, "firmware library \"%s\": cannot load: %s", arg, strerror(errno));
        return FB_ERR_ARG;
    }
    const char *host = getenv("FB_LIBHOST");
    char *argv[] = {(char *)(host && *host ? host : FB_LIBHOST_PATH), "--lib", path, NULL};
    return fbl_exec_open(l, argv, err, err_len);
}

const fb_link_ops fb_link_lib = {
    .name = "lib",
    .help = "a vendor's firmware library in a sandboxed host process: lib:/path/libfw.so",
    .open = lib_open,
    .check = lib_check,
    .send_frame = fbl_proto_send_frame,
    .poll_events = fbl_proto_poll,
    .finish = fbl_proto_finish,
    .close = fbl_proto_close,
};
