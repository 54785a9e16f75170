/* interrupt.c — SIGINT/SIGTERM: a flag and a self-pipe, so that every poll wakes for them. */
#include "interrupt.h"
#include "clock.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static int pipe_fd[2] = {-1, -1};
static int installed;

static void on_signal(int sig)
{
    int saved = errno;
    if (!caught)
        caught = sig;
    if (pipe_fd[1] >= 0) {
        ssize_t w = write(pipe_fd[1], "", 1); /* full pipe: already readable, fine */
        (void)w;
    }
    errno = saved;
}

int fb_interrupt_catch(void)
{
    if (installed)
        return pipe_fd[0] >= 0 ? 0 : -1;
    installed = 1;
    int rc = 0;
    if (pipe(pipe_fd) != 0) {
        pipe_fd[0] = pipe_fd[1] = -1;
        rc = -1;
    } else {
        for (int i = 0; i < 2; i++) {
            (void)fcntl(pipe_fd[i], F_SETFD, FD_CLOEXEC);
            (void)fcntl(pipe_fd[i], F_SETFL, fcntl(pipe_fd[i], F_GETFL) | O_NONBLOCK);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: blocking calls return EINTR */
    sigaction(SIGTERM, &sa, NULL);
    return rc;
}

int fb_interrupt_signal(void)
{
    return (int)caught;
}

volatile sig_atomic_t *fb_interrupt_flag(void)
{
    return &caught;
}

int fb_interrupt_fd(void)
{
    return pipe_fd[0];
}

int fb_interrupt_sleep_until(double t_s)
{
    for (;;) {
        if (caught)
            return (int)caught;
        double left = t_s - fb_clock_s();
        if (left <= 0)
            return 0;
        double ms = ceil(left * 1000.0);
        struct pollfd p = {.fd = pipe_fd[0], .events = POLLIN};
        /* Without a pipe, slices of 50 ms keep the flag seen within a fraction of a second. */
        int slice = pipe_fd[0] >= 0 ? (ms > 1000.0 ? 1000 : (int)ms) : (ms > 50.0 ? 50 : (int)ms);
        (void)poll(&p, pipe_fd[0] >= 0 ? 1 : 0, slice < 1 ? 1 : slice);
    }
}
