/* run.h — the frame loop: world -> render -> sensor -> front-end -> DUT -> score, as a steppable session. */
#ifndef FB_RUN_H
#define FB_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "../models/optics.h"
#include "../models/sensor.h"
#include "world/render.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "score/score.h"
#include "world/world.h"

/* Seconds spent per stage, accumulated when fb_run_opts.times is set (benchmarks). */
typedef struct fb_stage_times {
    double world_s, render_s, sensor_s, frontend_s, dut_s, score_s, output_s;
    double optics_s;         /* lens blur, between render and sensor */
    double hash_s;           /* the frames hash, after the front-end */
    /* The four pixel stages above (optics to hash) as one call, timed as a whole: they run in
     * row bands, and optics_s .. hash_s are their shares read at each band's stage boundaries
     * (sim/run/pixels.h); pixels_s includes what those clock reads cost. */
    double pixels_s;
    double join_s;           /* pipelined: the caller helping to draw the next frame, or waiting
                              * for it, once this one is done (world_s and render_s are then the
                              * drawing thread's, overlapping the caller's stages) */
    uint32_t frames;
} fb_stage_times;

typedef struct fb_run_opts {
    bool seed_set;
    uint64_t seed;          /* overrides the scenario's seed when seed_set */
    double duration_s;      /* > 0 overrides the scenario's duration */
    const char *dut_spec;   /* NULL: the scenario's dut.spec */
    const char *pacing;     /* NULL: the scenario's dut.pacing; else "lockstep" or "realtime" */
    const char *out_dir;    /* NULL: no files; else results.json, junit.xml, *.jsonl */
    fb_stage_times *times;  /* NULL: no timing */
    const char *frontend;   /* NULL: the scenario's "frontend"; else "model" or "rtl" */
    const char *people;     /* NULL: the scenario's "people"; else "template" or "3d" */
    /* When set, fb_session_step stops the run as soon as *interrupt is non-zero (a signal
     * handler stores the signal number there): the DUT is closed, what was scored is reported
     * as incomplete. */
    volatile sig_atomic_t *interrupt;
    const char *record_path; /* NULL: no recording; else frames, truth, events (sim/record/record.h) */
    /* No DUT: the session opens no link and sends frames nowhere (`feverbench frames`). The
     * frames are the same as with a DUT (nothing flows back from it into the scene); scores
     * count every subject as missed. Not with record_path. */
    bool no_dut;
    /* fb_run only: a label such as "run default" to show a progress line on stderr when it is
     * a terminal (sim/util/progress.h); NULL: none. */
    const char *progress;
    bool sandbox_off; /* process DUTs run unsandboxed (--sandbox off; the audit says so) */
    /* Threads drawing each frame (--threads N; 0 or 1: the caller's only). Frames, events and
     * results are bit for bit the same for every N (sim/world/drawlist.h). */
    int threads;
    /* With threads > 1: each step draws frame n + 1 on the pool while frame n's pixel stages,
     * DUT exchange and scoring run on the caller's thread (the same frames, events and results).
     * fb_session_world then shows the world of the frame drawn ahead: read the last frame's
     * truth with fb_session_truth. Off: fb_session_world is the last frame's world. */
    bool pipeline;
} fb_run_opts;

typedef struct fb_session fb_session;

/* Prepares a run of sc (copied settings; sc must outlive the session). Returns 0 or
 * FB_ERR_* with a message. A DUT that fails to start or to shake hands is not an error here:
 * the session opens already faulted (fb_session_faulted, no frames to run) so the run can still
 * be reported, with the stop reason and the link audit. */
int fb_session_open(fb_session **out, const fb_scenario *sc, const fb_run_opts *o, char *err,
                    size_t err_len);
/* Runs the next frame. Returns 1 when a frame ran, 0 when the run is over (duration reached
 * or stopped by a fault: see fb_session_faulted). */
int fb_session_step(fb_session *s);
bool fb_session_faulted(const fb_session *s);
/* Read-only views of the last frame, for the viewer and tests. The world is the last frame's
 * unless the session is pipelined (fb_run_opts.pipeline): then it may be a frame ahead. */
const fb_world *fb_session_world(const fb_session *s);
/* The last frame's truth, in every mode (subjects borrowed until the next step). */
fb_truth_frame fb_session_truth(const fb_session *s);
/* The renderer's counters and, when fb_run_opts.times was set, its stage times (benchmark). */
const fb_render_stats *fb_session_render_stats(const fb_session *s);
const uint16_t *fb_session_frame_ck(const fb_session *s);
uint32_t fb_session_frames_done(const fb_session *s);
/* FBFW_FRAME_* flags the last frame went to the DUT with (FBFW_FRAME_FROZEN during an FFC). */
uint32_t fb_session_frame_flags(const fb_session *s);
/* The camera's sensor state (FPA temperature, FFC count), borrowed. */
const fb_sensor *fb_session_sensor(const fb_session *s);
/* The settings the DUT was installed with (frame size, blackbody rectangle, thresholds), borrowed;
 * NULL when the DUT link did not open. */
const fbfw_config *fb_session_dut_config(const fb_session *s);
/* The events that arrived with the last frame (borrowed until the next step). */
const fb_event *fb_session_events(const fb_session *s, size_t *n);
/* Scores so far, while the run goes on (the viewer's running scores); like finish, res owns
 * memory: fb_results_free. */
int fb_session_peek(const fb_session *s, fb_results *res);
/* Scores what has run (complete or not) and fills info. res owns memory: fb_results_free.
 * info's strings point into the session: use them before fb_session_close. */
int fb_session_finish(fb_session *s, fb_results *res, fb_run_info *info);
void fb_session_close(fb_session *s);

/* Creates directory dir and its missing parents (mkdir -p). Returns 0, or FB_ERR_* with a
 * message in err. */
int fb_make_dir(const char *dir, char *err, size_t err_len);

/* The whole job for the CLI: runs sc to the end, prints the scorecard to `scorecard` (may be
 * NULL), writes reports to o->out_dir, and returns the exit status (FB_EXIT_*). Messages go
 * to stderr. */
int fb_run(const fb_scenario *sc, const fb_run_opts *o, FILE *scorecard);

/* A camera profile as model parameters (the session's mapping, for tests and tools):
 * the sensor in a room at ambient_c (at t = 0), on for power_on_s; and the lens. */
void fb_camera_sensor_params(const fb_camera_profile *cam, double ambient_c, double power_on_s,
                             fb_sensor_params *sp);
void fb_camera_optics_params(const fb_camera_profile *cam, fb_optics_params *op);

#endif
