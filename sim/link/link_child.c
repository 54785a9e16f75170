/* link_child.c — DUT processes, contained: every process a DUT starts is gone when the run ends.
 *
 * The bench does not start the DUT itself but a keeper, in a PID namespace of its own where the
 * kernel allows one (root, or an unprivileged user namespace): the keeper is that namespace's
 * init, forks the DUT, reaps whatever is orphaned, hands the DUT's wait status to the bench and
 * exits when the DUT exits. A PID namespace dies with its init, so every process the DUT left
 * behind — a forked daemon still holding the socket, a setsid grandchild, a child that ignores
 * SIGTERM, one spawned after BYE_ACK — is killed by the kernel at that moment, exactly. The keeper
 * dies with the bench (PR_SET_PDEATHSIG), so not even a bench killed by SIGKILL leaves a DUT.
 * Where the kernel forbids the namespace, the keeper is a child subreaper instead: orphans are
 * re-parented to it and it kills its children until none is left (close to exact; a process
 * that escapes through its own double fork faster than the sweep can is possible in theory).
 * The sandbox (sim/link/sandbox.h) adds its own namespaces and limits around the DUT itself.
 */
#define _GNU_SOURCE /* clone flags, PR_SET_CHILD_SUBREAPER */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "util/interrupt.h"
#include "link_internal.h"
#include "util/clock.h"

int fbl_split_args(char *s, char **argv, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(s, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (n >= max - 1) {
            argv[n] = NULL;
            return -1;
        }
        argv[n++] = w;
    }
    argv[n] = NULL;
    return n;
}

/* ---- the keeper (runs in the child, never returns) ---------------------------------------- */

typedef struct spawn_fds {
    int sock;     /* the DUT's end of the socket pair */
    int exec_err; /* write end: errno when exec fails (close-on-exec) */
    int status;   /* write end: the DUT's wait status */
    int sync;     /* read end: the bench's go-ahead (after it wrote the user namespace maps) */
    int err;      /* write end: becomes the DUT's stderr (the bench relays it, escaped) */
} spawn_fds;

static volatile sig_atomic_t keeper_stop;
static void keeper_on_signal(int sig)
{
    keeper_stop = sig;
}

static void close_from(int first, int keep)
{
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = first; fd < (max > 0 && max < 4096 ? (int)max : 4096); fd++)
        if (fd != keep)
            close(fd);
}

/* Fallback without a PID namespace: kills every child of the keeper (orphans come to it as the
 * subreaper) until none is left. */
static void sweep_children(void)
{
    pid_t self = getpid();
    for (int round = 0; round < 1000; round++) {
        int st;
        while (waitpid(-1, &st, WNOHANG) > 0)
            ;
        DIR *d = opendir("/proc");
        int found = 0;
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                char *end;
                long pid = strtol(e->d_name, &end, 10);
                if (*end || pid <= 0)
                    continue;
                char path[64], buf[512];
                snprintf(path, sizeof path, "/proc/%ld/stat", pid);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                    continue;
                ssize_t n = read(fd, buf, sizeof buf - 1);
                close(fd);
                if (n <= 0)
                    continue;
                buf[n] = '\0';
                const char *rp = strrchr(buf, ')'); /* "pid (comm) S ppid ..." */
                char state;
                long ppid;
                if (rp && sscanf(rp + 1, " %c %ld", &state, &ppid) == 2 && ppid == (long)self) {
                    kill((pid_t)pid, SIGKILL);
                    found = 1;
                }
            }
            closedir(d);
        }
        if (waitpid(-1, &st, found ? 0 : WNOHANG) < 0 && errno == ECHILD)
            return;
        if (!found) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
}

__attribute__((noreturn)) static void keeper(char *const argv[], const char *cwd,
                                             const spawn_fds *f, unsigned long ns_flags,
                                             const fbl_child_setup *setup)
{
    bool pidns = (ns_flags & CLONE_NEWPID) != 0;
    char go = 0;
    ssize_t r;
    do
        r = read(f->sync, &go, 1);
    while (r < 0 && errno == EINTR);
    if (r != 1) /* the bench is gone or gave up */
        _exit(127);
    close(f->sync);
    prctl(PR_SET_NAME, "fb-keeper");
    /* Dies with the bench; without a namespace it must sweep first (SIGTERM, handled). */
    prctl(PR_SET_PDEATHSIG, pidns ? SIGKILL : SIGTERM);
    if (!pidns)
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    setpgid(0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = keeper_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (setup && setup->in_keeper) {
        int e = setup->in_keeper(setup->ctx, ns_flags);
        if (e) {
            ssize_t w = write(f->exec_err, &e, sizeof e);
            (void)w;
            _exit(127);
        }
    }
    pid_t dut = fork();
    if (dut < 0) {
        int e = errno;
        ssize_t w = write(f->exec_err, &e, sizeof e);
        (void)w;
        _exit(127);
    }
    if (dut == 0) {
        int e;
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the keeper's death is the DUT's */
        if (dup2(f->sock, 0) < 0 || dup2(f->sock, 1) < 0 || dup2(f->err, 2) < 0 ||
            (cwd && chdir(cwd) != 0)) {
            e = errno;
        } else {
            /* The sandbox's limits and filter, then: the DUT gets stdin, stdout and stderr,
             * none of the bench's other files. */
            e = setup && setup->in_dut ? setup->in_dut(setup->ctx, ns_flags) : 0;
            close_from(3, f->exec_err);
            if (!e) {
                if (setup && setup->exec)
                    setup->exec(setup->ctx, argv);
                else
                    execvp(argv[0], argv);
                e = errno;
            }
        }
        ssize_t w = write(f->exec_err, &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(f->exec_err);
    close(f->sock);
    close(f->err);
    close(0);
    int st = 0;
    double term_at = 0;
    for (;;) {
        if (keeper_stop && term_at == 0) {
            kill(dut, SIGTERM); /* the bench asks: the DUT may clean up, for half a second */
            term_at = fb_clock_s();
        }
        if (term_at > 0 && fb_clock_s() > term_at + 0.5)
            kill(dut, SIGKILL);
        pid_t p = waitpid(-1, &st, term_at > 0 ? WNOHANG : 0);
        if (p == dut)
            break;
        if (p < 0 && errno == ECHILD)
            _exit(127); /* cannot happen: the DUT is our child until reaped */
        if (p == 0) {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
    ssize_t w = write(f->status, &st, sizeof st);
    (void)w;
    if (!pidns)
        sweep_children();
    _exit(0); /* with a PID namespace, the kernel now kills all that is left in it */
}

/* ---- the bench's side -------------------------------------------------------------------- */

/* Writes "inside outside 1" to /proc/PID/FILE. */
static int write_map(pid_t pid, const char *file, const char *text)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A fork that puts the child in new namespaces (flags) at once; like fork() otherwise. */
static pid_t fork_into(unsigned long flags)
{
    return (pid_t)syscall(SYS_clone, flags | (unsigned long)SIGCHLD, NULL, NULL, NULL, 0UL);
}

/* Which namespaces the bench can make for a child, found once by trying (a child that exits). */
static unsigned long usable_flags(unsigned long want, bool *with_userns)
{
    static unsigned long cache_want = ~0UL, cache_got;
    static bool cache_userns;
    const char *deny = getenv("FB_SANDBOX_DENY"); /* tests: act as if the kernel refused */
    if (deny && strstr(deny, "pid"))
        want &= ~(unsigned long)CLONE_NEWPID;
    if (want == cache_want) {
        *with_userns = cache_userns;
        return cache_got;
    }
    /* root needs no user namespace (unless asked for one); others do */
    unsigned long tries[2] = {want, want | CLONE_NEWUSER};
    unsigned long got = 0;
    bool userns = false;
    for (int i = geteuid() == 0 || (want & CLONE_NEWUSER) ? 0 : 1; i < 2 && want; i++) {
        if ((tries[i] & CLONE_NEWUSER) && deny && strstr(deny, "user"))
            break;
        pid_t p = fork_into(tries[i]);
        if (p == 0)
            _exit(0);
        if (p > 0) {
            waitpid(p, NULL, 0);
            got = tries[i];
            userns = (tries[i] & CLONE_NEWUSER) != 0;
            break;
        }
    }
    cache_want = want;
    cache_got = got;
    cache_userns = userns;
    *with_userns = userns;
    return got;
}

int fbl_child_spawn(fbl_child *c, char *const argv[], const char *cwd,
                    const fbl_child_setup *setup, char *err, size_t err_len)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->status_fd = -1;
    c->err.fd = -1;
    c->err.out = stderr;
    int sv[2], ep[2], sp[2], gp[2], errp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, err_len, "cannot create a socket pair for \"%s\": %s", argv[0],
                 strerror(errno));
        return FB_ERR_IO;
    }
    /* exec errors, the DUT's status, the go-ahead: close-on-exec pipes */
    if (pipe2(errp, O_CLOEXEC) != 0) {
        snprintf(err, err_len, "cannot create a pipe for \"%s\": %s", argv[0], strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return FB_ERR_IO;
    }
    if (pipe2(ep, O_CLOEXEC) != 0 || pipe2(sp, O_CLOEXEC) != 0 || pipe2(gp, O_CLOEXEC) != 0) {
        snprintf(err, err_len, "cannot create a pipe for \"%s\": %s", argv[0], strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(errp[0]);
        close(errp[1]);
        return FB_ERR_IO;
    }
    unsigned long want = CLONE_NEWPID | (setup ? setup->clone_flags : 0UL);
    bool userns = false;
    unsigned long flags = usable_flags(want, &userns);
    if (!(flags & CLONE_NEWPID) && setup && setup->clone_flags) /* the sandbox's alone? */
        flags = usable_flags(setup->clone_flags, &userns);
    c->pidns = (flags & CLONE_NEWPID) != 0;
    c->ns_flags = flags;
    pid_t pid = flags ? fork_into(flags) : fork();
    if (pid < 0) {
        snprintf(err, err_len, "cannot start \"%s\": fork: %s", argv[0], strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(ep[0]);
        close(ep[1]);
        close(sp[0]);
        close(sp[1]);
        close(gp[0]);
        close(gp[1]);
        close(errp[0]);
        close(errp[1]);
        return FB_ERR_IO;
    }
    if (pid == 0) {
        close(sv[0]);
        close(ep[0]);
        close(sp[0]);
        close(gp[1]);
        close(errp[0]);
        spawn_fds f = {
            .sock = sv[1], .exec_err = ep[1], .status = sp[1], .sync = gp[0], .err = errp[1]};
        keeper(argv, cwd, &f, flags, setup);
    }
    close(sv[1]);
    close(ep[1]);
    close(sp[1]);
    close(gp[0]);
    close(errp[1]);
    fcntl(errp[0], F_SETFL, fcntl(errp[0], F_GETFL) | O_NONBLOCK);
    c->err.fd = errp[0];
    c->pid = pid;
    c->userns = userns;
    if (userns) {
        /* One id, the same inside and out: the bench's own, or nobody's (setup->as_nobody, when
         * the bench runs as root; the DUT then switches to it before exec). */
        char uid[64], gid[64];
        bool nobody = setup && setup->as_nobody && geteuid() == 0;
        unsigned long ou = nobody ? 65534UL : (unsigned long)geteuid();
        unsigned long og = nobody ? 65534UL : (unsigned long)getegid();
        if (nobody) { /* root keeps root for the keeper's mounts; the DUT switches to nobody */
            snprintf(uid, sizeof uid, "0 0 1\n%lu %lu 1\n", ou, ou);
            snprintf(gid, sizeof gid, "0 0 1\n%lu %lu 1\n", og, og);
        } else {
            snprintf(uid, sizeof uid, "%lu %lu 1\n", ou, ou);
            snprintf(gid, sizeof gid, "%lu %lu 1\n", og, og);
        }
        (void)write_map(pid, "setgroups", "deny");
        (void)write_map(pid, "uid_map", uid);
        (void)write_map(pid, "gid_map", gid);
    }
    ssize_t w = write(gp[1], "g", 1);
    (void)w;
    close(gp[1]);
    /* Until exec (or its failure): the sandbox answers the DUT's own execve meanwhile. */
    int e = 0;
    ssize_t r;
    for (;;) {
        struct pollfd pf = {.fd = ep[0], .events = POLLIN};
        if (setup && setup->while_starting) {
            setup->while_starting(setup->ctx);
            if (poll(&pf, 1, 20) == 0)
                continue;
        }
        r = read(ep[0], &e, sizeof e);
        if (r >= 0 || errno != EINTR)
            break;
    }
    close(ep[0]);
    if (r == (ssize_t)sizeof e) {
        snprintf(err, err_len, "cannot start \"%s\": %s", argv[0], strerror(e));
        close(sv[0]);
        close(sp[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        c->pid = 0;
        return FB_ERR_ARG;
    }
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    fcntl(sp[0], F_SETFL, fcntl(sp[0], F_GETFL) | O_NONBLOCK);
    c->fd = sv[0];
    c->status_fd = sp[0];
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

/* Reaps the keeper within wait_s; the status is the DUT's (from the keeper) when it has one. */
static bool reap(fbl_child *c, double wait_s)
{
    if (c->reaped || c->pid <= 0)
        return c->reaped;
    double end = fb_link_now() + wait_s;
    for (;;) {
        int st;
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid) {
            int dut_st;
            c->status = st;
            if (c->status_fd >= 0 && read(c->status_fd, &dut_st, sizeof dut_st) == sizeof dut_st)
                c->status = dut_st;
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
    if (fb_interrupt_signal())
        wait_s = 0; /* no waiting after a signal */
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
    if (c->pid > 0 && !c->reaped) {
        if (fb_interrupt_signal())
            grace_s = 0;
        if (!reap(c, grace_s)) {
            /* The keeper gives the DUT half a second after SIGTERM, then kills it (and, without
             * a namespace, sweeps what it left). */
            kill(c->pid, SIGTERM);
            if (!reap(c, fb_interrupt_signal() ? 0.2 : 2.0)) {
                kill(c->pid, SIGKILL); /* a PID namespace dies with it */
                kill(-c->pid, SIGKILL);
                reap(c, 5.0);
            }
        }
    }
    if (c->status_fd >= 0) {
        close(c->status_fd);
        c->status_fd = -1;
    }
    if (c->err.fd >= 0) { /* everything that held the pipe is gone: relay what is left */
        fb_dut_stderr_finish(&c->err);
        close(c->err.fd);
        c->err.fd = -1;
    }
}
