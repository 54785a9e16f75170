/* link_internal.h — for transports only: the bench's protocol engine over a byte stream, and child
 * processes. */
#ifndef FB_LINK_INTERNAL_H
#define FB_LINK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "dut_stderr.h"
#include "link.h"

/* A byte stream to a DUT, filled in by a transport's open. The engine polls the descriptors and
 * calls read/write only when they are ready; both must not block. */
typedef struct fbl_io {
    int rfd, wfd;       /* may be the same descriptor */
    int frame_fd;       /* the frame port (written with write(2)), -1 when there is none */
    uint32_t lookahead; /* lockstep: frames the DUT may be sent before it answers (0 or 1): 1
                         * where the OS or flow control holds the bytes while the DUT works
                         * (a pipe, a pty, QEMU's UART); 0 for a real serial port */
    void *ctx;
    /* > 0 bytes moved, 0 would block, -1 the link is gone or failed (errno set). */
    long (*read)(void *ctx, uint8_t *buf, size_t n);
    long (*write)(void *ctx, const uint8_t *buf, size_t n);
    /* After the link ended or failed: what became of the DUT ("process exited with status 0"),
     * possibly waiting a moment to find out. NULL: nothing to add. */
    void (*describe_end)(void *ctx, char *buf, size_t len);
    /* A descriptor to watch while waiting (the sandbox's seccomp listener), -1 for none, and
     * what to do when it is readable (frame: the one the DUT works on, the oldest unanswered, else
     * the latest sent; t_s: since the link opened). */
    int watch_fd;
    void (*on_watch)(void *ctx, uint32_t frame, double t_s);
    /* The DUT's stderr, relayed (escaped, capped) while the engine waits; NULL for none. */
    fb_dut_stderr *err;
    /* Adds what the transport knows to the audit (the sandbox's part). NULL: nothing. */
    void (*audit)(void *ctx, fb_link_audit *a);
    /* Stops the DUT if needed and frees ctx and its descriptors. */
    void (*close)(void *ctx);
} fbl_io;

/* Runs the handshake (HELLO, CONFIG) over io and sets l->priv to the engine. The engine owns io
 * from then on, also on failure (fb_link_close → fbl_proto_close). Returns 0 or FB_ERR_DUT. */
int fbl_proto_open(fb_link *l, const fbl_io *io, char *err, size_t err_len);
int fbl_proto_send_frame(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                         char *err, size_t err_len);
int fbl_proto_poll(fb_link *l, int wait, double deadline, fb_event *out, int max, int *n, char *err,
                   size_t err_len);
void fbl_proto_finish(fb_link *l);
void fbl_proto_close(fb_link *l);

/* A DUT process with a socket on its stdin and stdout (no SIGPIPE: the bench uses send()),
 * started behind a keeper in a PID namespace of its own where the kernel allows (link_child.c):
 * when the DUT exits or is stopped, every process it started is gone. */
typedef struct fbl_child {
    pid_t pid;     /* the keeper (its pid here; also the process group), 0 when none or reaped */
    int fd;        /* the bench's end, non-blocking */
    int status;    /* the DUT's wait status once reaped */
    int status_fd; /* the keeper reports the DUT's wait status here */
    bool reaped;
    bool pidns;             /* contained exactly (PID namespace); else the keeper sweeps */
    bool userns;            /* a user namespace was needed (not root, or the sandbox's) */
    unsigned long ns_flags; /* CLONE_NEW* the child got */
    fb_dut_stderr err;      /* the DUT's stderr, a pipe relayed escaped (sim/link/dut_stderr.h) */
} fbl_child;

/* What a sandbox adds to a child (sim/link/sandbox.c); NULL members do nothing. in_keeper runs in
 * the keeper after the namespaces exist (mounts), in_dut in the DUT's process before exec
 * (limits, filters); both return 0 or an errno. exec replaces execvp (NULL: execvp). */
typedef struct fbl_child_setup {
    unsigned long clone_flags; /* extra CLONE_NEW* wanted; those the kernel refuses are left out */
    bool as_nobody;            /* root bench: the DUT runs as uid/gid 65534 */
    void *ctx;
    /* ns_flags: the CLONE_NEW* flags the child got (fbl_child.ns_flags) */
    int (*in_keeper)(void *ctx, unsigned long ns_flags);
    int (*in_dut)(void *ctx, unsigned long ns_flags);
    void (*exec)(void *ctx, char *const argv[]);
    /* In the bench, every 20 ms until the DUT's exec is done (answers its seccomp listener). */
    void (*while_starting)(void *ctx);
} fbl_child_setup;

/* Starts argv[0] (PATH search) in cwd (NULL: the bench's), setup NULL for none.
 * Returns 0, or FB_ERR_ARG when the program cannot be started (message in err). */
int fbl_child_spawn(fbl_child *c, char *const argv[], const char *cwd,
                    const fbl_child_setup *setup, char *err, size_t err_len);
long fbl_child_read(void *ctx, uint8_t *buf, size_t n);
long fbl_child_write(void *ctx, const uint8_t *buf, size_t n);
/* "process exited with status N" / "process was killed by signal N (name)" / "process is still
 * running", waiting up to wait_s for it to end (not at all once a signal came). */
void fbl_child_describe(fbl_child *c, double wait_s, char *buf, size_t len);
/* Closes the socket, gives the process grace_s to exit, then stops it and everything it started
 * (SIGTERM, half a second, SIGKILL) and reaps it. */
void fbl_child_stop(fbl_child *c, double grace_s);

/* Starts argv as a process DUT (contained, sandboxed unless l->opts.sandbox_off) and shakes
 * hands: the exec transport's open, for transports built on it (a vendor library's host). */
int fbl_exec_open(fb_link *l, char *const argv[], char *err, size_t err_len);

/* Splits s in place at blanks into at most max-1 words; argv NULL-terminated. Returns the count,
 * or -1 when there are more words than that. */
int fbl_split_args(char *s, char **argv, int max);

#endif
