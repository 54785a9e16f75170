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

/* ---- child processes (also used by link_qemu.c) ------------------------------------------- */

int fbl_split_args(char *s, char **argv, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(s, " \t", &save); w && n < max - 1; w = strtok_r(NULL, " \t", &save))
        argv[n++] = w;
    argv[n] = NULL;
    return n;
}

int fbl_child_spawn(fbl_child *c, char *const argv[], const char *cwd, char *err, size_t err_len)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    int sv[2], ep[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, err_len, "cannot create a socket pair for \"%s\": %s", argv[0],
                 strerror(errno));
        return FB_ERR_IO;
    }
    /* A close-on-exec pipe tells the parent whether exec worked (and errno if not). */
    if (pipe(ep) != 0) {
        snprintf(err, err_len, "cannot create a pipe for \"%s\": %s", argv[0], strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return FB_ERR_IO;
    }
    (void)fcntl(ep[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(ep[1], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_len, "cannot start \"%s\": fork: %s", argv[0], strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(ep[0]);
        close(ep[1]);
        return FB_ERR_IO;
    }
    if (pid == 0) {
        int e;
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0 || (cwd && chdir(cwd) != 0)) {
            e = errno;
        } else {
            /* The DUT gets stdin, stdout and stderr, none of the bench's other files. */
            long max = sysconf(_SC_OPEN_MAX);
            for (int fd = 3; fd < (max > 0 && max < 4096 ? (int)max : 4096); fd++)
                if (fd != ep[1])
                    close(fd);
            execvp(argv[0], argv);
            e = errno;
        }
        ssize_t w = write(ep[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(sv[1]);
    close(ep[1]);
    int e = 0;
    ssize_t r;
    do
        r = read(ep[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(ep[0]);
    if (r == (ssize_t)sizeof e) {
        snprintf(err, err_len, "cannot start \"%s\": %s", argv[0], strerror(e));
        close(sv[0]);
        waitpid(pid, NULL, 0);
        return FB_ERR_ARG;
    }
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    c->pid = pid;
    c->fd = sv[0];
    return FB_OK;
}

long fbl_child_read(void *ctx, uint8_t *buf, size_t n)
{
    fbl_child *c = ctx;
    for (;;) {
        ssize_t r = recv(c->fd, buf, n, MSG_DONTWAIT);
        if (r > 0)
            return (long)r;
        if (r == 0) {
            errno = 0;
            return -1;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

long fbl_child_write(void *ctx, const uint8_t *buf, size_t n)
{
    fbl_child *c = ctx;
    for (;;) {
        ssize_t w = send(c->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w >= 0)
            return (long)w;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

static bool reap(fbl_child *c, double wait_s)
{
    if (c->reaped || c->pid <= 0)
        return c->reaped;
    double end = fb_link_now() + wait_s;
    for (;;) {
        int st;
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid) {
            c->status = st;
            c->reaped = true;
            return true;
        }
        if (r < 0 && errno != EINTR)
            return false;
        if (fb_link_now() >= end)
            return false;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

void fbl_child_describe(fbl_child *c, double wait_s, char *buf, size_t len)
{
    if (!reap(c, wait_s)) {
        snprintf(buf, len, "process %ld is still running", (long)c->pid);
        return;
    }
    if (WIFEXITED(c->status))
        snprintf(buf, len, "process exited with status %d", WEXITSTATUS(c->status));
    else if (WIFSIGNALED(c->status))
        snprintf(buf, len, "process was killed by signal %d, %s", WTERMSIG(c->status),
                 strsignal(WTERMSIG(c->status)));
    else
        snprintf(buf, len, "process ended (wait status 0x%x)", (unsigned)c->status);
}

void fbl_child_stop(fbl_child *c, double grace_s)
{
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    if (c->pid <= 0 || c->reaped)
        return;
    if (!reap(c, grace_s)) {
        kill(-c->pid, SIGTERM);
        kill(c->pid, SIGTERM);
        if (!reap(c, 0.5)) {
            kill(-c->pid, SIGKILL);
            kill(c->pid, SIGKILL);
            reap(c, 5.0);
        }
    }
}

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
    if (fbl_split_args(words, argv, 64) == 0) {
        snprintf(err, err_len,
                 "exec DUT: no program given (expected exec:/path/to/program [args])");
        return FB_ERR_ARG;
    }
    fbl_child *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    int rc = fbl_child_spawn(c, argv, NULL, err, err_len);
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
