/* link.h — how the bench reaches a DUT: one ops table per transport, called only through fb_link_*
 * wrappers.
 *
 * Transports (registry order, fb_link_transports[]): inproc (a firmware built into the bench,
 * called directly), exec (a child process speaking docs/protocol.md on stdin/stdout, sandboxed),
 * lib (a vendor's library in a sandboxed host process; inproc:/path/lib.so means the same),
 * serial (a serial port or pty), qemu-mcu (the MCU firmware under qemu-system-arm). A template
 * for a new one: sim/link/link_exec.c (a byte stream + the shared protocol engine, link_proto.c).
 * The DUT is untrusted: every byte is bounded and checked, every wait has a deadline, and
 * anything wrong ends as FB_ERR_DUT with a message saying exactly what and when.
 */
#ifndef FB_LINK_H
#define FB_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../firmware-under-test/include/fbfw.h"
#include "event.h"
#include "event_check.h"
#include "link_audit.h"

#define FB_LINK_MAX_EVENTS FB_EVENT_MAX_PER_FRAME /* per frame; more is a violation */
#define FB_LINK_MAX_BEHIND 8  /* realtime: frames a DUT may have unanswered; more is a fault */

typedef enum fb_pacing {
    FB_PACING_LOCKSTEP = 0, /* the bench waits for each frame's FRAME_DONE: exact, deterministic */
    FB_PACING_REALTIME =
        1 /* frames at the sensor rate by the wall clock, events stamped on arrival */
} fb_pacing;

/* "lockstep" / "realtime". */
const char *fb_pacing_name(fb_pacing p);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int fb_pacing_parse(const char *name, fb_pacing *out);

typedef struct fb_link_opts {
    fb_pacing pacing;
    double frame_timeout_s;     /* a frame's answer (FRAME_DONE) must come within this, > 0 */
    double handshake_timeout_s; /* opening (HELLO .. CONFIG_ACK) and closing (PING, BYE), > 0 */
    bool sandbox_off;           /* process DUTs run unsandboxed (--sandbox off: debugging) */
} fb_link_opts;

typedef struct fb_link fb_link;

/* A transport. NULL members mean "not supported". Who frees what: open allocates l->priv,
 * close frees it (and stops any process it started); the wrapper owns the fb_link itself.
 * Messages go to err; FB_ERR_DUT for anything the DUT did, FB_ERR_ARG for a bad spec. */
typedef struct fb_link_ops {
    const char *name; /* the DUT spec prefix: "inproc" */
    const char *help; /* one line for `feverbench list` */
    /* arg: the spec after "name:". l->cfg and l->opts are set. Fills l->dut_name. On FB_ERR_DUT
     * the transport may leave l->priv set (close frees it) so the audit survives. */
    int (*open)(fb_link *l, const char *arg, char *err, size_t err_len);
    /* What can be known of arg without starting anything (a fixture's name, a program or file
     * that exists): FB_ERR_ARG with a message, or FB_OK. NULL: nothing to check before open. */
    int (*check)(const char *arg, char *err, size_t err_len);
    /* Hands one frame to the DUT (may return before the DUT has it all). */
    int (*send_frame)(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                      char *err, size_t err_len);
    /* Collects events into out[*n .. max) (advancing *n). wait >= 0: until at most `wait`
     * frames are unanswered (each frame's own frame_timeout_s passing is a fault); wait < 0:
     * until the monotonic time deadline (realtime). Stamps arrival (fb_link_stamp; lockstep:
     * arrival_frame = the frame whose answer carried the event). Events beyond max stay queued. */
    int (*poll_events)(fb_link *l, int wait, double deadline, fb_event *out, int max, int *n,
                       char *err, size_t err_len);
    /* Ends the session politely (status, bye) and fills l->audit. */
    void (*finish)(fb_link *l);
    void (*close)(fb_link *l);
} fb_link_ops;

struct fb_link {
    const fb_link_ops *ops;
    void *priv;
    fbfw_config cfg;
    fb_link_opts opts;
    char dut_name[128]; /* set by open: the firmware's own name */
    uint64_t frames_sent, events_received, violations;
    uint32_t last_frame; /* the latest frame sent */
    double t0;           /* monotonic time of frame 0 (realtime schedule origin) */
    double dut_proc_s;   /* processing time the DUT reported (FRAME_DONE.proc_us) */
    uint64_t dut_proc_frames;
    uint32_t frames_late;  /* realtime: frames sent more than a frame period late */
    uint32_t lookahead;    /* lockstep: frames the DUT may still hold when exchange returns (set
                            * by open: 1 for process DUTs, so the DUT works while the bench
                            * renders; 0 for inproc) */
    uint32_t frames_total; /* frames in the run (0 unknown): the last exchange waits for all */
    uint32_t fault_frame;  /* after FB_ERR_DUT from exchange or finish: the frame the fault
                            * concerns (the one being answered, or sent), for the report */
    bool faulted, finished;
    bool interrupted; /* a signal ended a wait (FB_ERR_INTERRUPTED): no fault, no more waiting */
    fb_link_audit audit;
};

/* The transports (registry order). */
extern const fb_link_ops fb_link_inproc, fb_link_exec, fb_link_lib, fb_link_serial,
    fb_link_qemu_mcu;
/* The transport registry, for `feverbench list` and tests. NULL-terminated. */
extern const fb_link_ops *const fb_link_transports[];

/* Defaults: lockstep, 5 s per frame, 10 s handshake. */
void fb_link_opts_default(fb_link_opts *o);

/* Opens the DUT named by spec: "TRANSPORT:ARG", or a bare name meaning "inproc:NAME".
 * opts NULL: defaults. *out is allocated; free with fb_link_close. Returns FB_ERR_ARG for an
 * unknown transport or a bad spec (message lists what is valid; *out NULL), FB_ERR_DUT when the
 * DUT failed to start or to complete the handshake (*out is still set, faulted, so its audit can
 * be reported: close it), or another FB_ERR_*. */
int fb_link_open(fb_link **out, const char *spec, const fbfw_config *cfg, const fb_link_opts *opts,
                 char *err, size_t err_len);
/* Checks spec as far as it can without starting the DUT (evaluate checks every --dut before it
 * runs anything): FB_OK, or FB_ERR_ARG with one line in err (unknown transport or fixture, a
 * program, library or firmware file that is not there). A spec that passes may still fail to
 * open (a DUT that does not answer). */
int fb_link_check(const char *spec, char *err, size_t err_len);

/* Tells the link how many frames the run has (lockstep lookahead ends at the last one). */
void fb_link_set_frames(fb_link *l, uint32_t frames_total);

/* One frame: lockstep sends it and waits for the DUT's answers until at most l->lookahead frames
 * are unanswered (with lookahead 1 the events returned are those of the previous frame, each
 * with the arrival_frame of the frame it belongs to: results do not depend on it); realtime
 * first waits (collecting events) until the frame's time on the wall clock, then sends it.
 * Events are validated (sim/link/event_check.h: kind known, box inside the frame, alarm 0/1, frame
 * number no later than the frame answered) and
 * returned in events[0..*n) with arrival_frame and arrival_t_s (realtime: seconds since frame 0
 * was due; lockstep: NAN, the caller's time of arrival_frame). Returns 0, or FB_ERR_DUT (message
 * in err) for a fault — events validated so far are still returned. */
int fb_link_exchange(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                     fb_event *events, int max, int *n, char *err, size_t err_len);

/* After the last frame: waits for the answers still due, returning their events like
 * fb_link_exchange, then ends the session (bye) and completes l->audit. Returns 0 when done, 1
 * when events filled events[0..max) (call again), or FB_ERR_DUT (then call again to say bye).
 * After a fault it only says bye. */
int fb_link_finish(fb_link *l, fb_event *events, int max, int *n, char *err, size_t err_len);
/* Every wait above (handshake, answers, realtime schedule, goodbye) also ends when SIGINT or
 * SIGTERM arrives (sim/util/interrupt.h): open and exchange then return FB_ERR_INTERRUPTED with the
 * events that arrived so far, l->interrupted is set, and finish says bye without waiting. */

void fb_link_close(fb_link *l);

/* For transports: the monotonic clock in seconds, and an event's arrival stamp (now). */
double fb_link_now(void);
void fb_link_stamp(const fb_link *l, fb_event *e);

#endif
