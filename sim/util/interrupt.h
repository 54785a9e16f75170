/* interrupt.h — SIGINT/SIGTERM as a wake-up: the signal caught, and a descriptor every wait polls.
 *
 * The bench waits on DUTs, child runs and files. A signal handler only sets a flag, and a flag is
 * not seen by a thread asleep in poll(2) until its timeout; so the handler also writes a byte to
 * a self-pipe whose read end each wait adds to its poll set (fb_interrupt_fd). Whoever sees
 * fb_interrupt_signal() != 0 stops waiting, keeps what it has and reports the run incomplete.
 * Process-wide by nature (signals are): one set of handlers, installed once.
 */
#ifndef FB_INTERRUPT_H
#define FB_INTERRUPT_H

#include <signal.h>

/* Installs the SIGINT and SIGTERM handlers and the self-pipe (idempotent). Returns 0, or -1 when
 * the pipe cannot be made (the flag still works; waits then notice it within their poll slice). */
int fb_interrupt_catch(void);
/* The first signal caught (SIGINT, SIGTERM), 0 if none. */
int fb_interrupt_signal(void);
/* The flag the handler sets (for fb_run_opts.interrupt), always valid. */
volatile sig_atomic_t *fb_interrupt_flag(void);
/* The self-pipe's read end for a poll set (readable once a signal came), -1 when not catching. */
int fb_interrupt_fd(void);
/* Sleeps until the monotonic time t_s (fb_link_now's clock) or a signal. Returns 0, or the
 * signal number when one came first. */
int fb_interrupt_sleep_until(double t_s);

#endif
