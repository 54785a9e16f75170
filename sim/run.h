/* run.h — the frame loop: world -> render -> sensor -> front-end -> DUT -> score, as a steppable session. */
#ifndef FB_RUN_H
#define FB_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include "report.h"
#include "scenario.h"
#include "score.h"
#include "world.h"

/* Exit statuses (DESIGN.md). */
enum {
    FB_EXIT_PASS = 0,
    FB_EXIT_FAIL = 1,      /* criteria failed */
    FB_EXIT_USAGE = 2,     /* bad input or usage */
    FB_EXIT_DUT_FAULT = 3  /* the DUT hung, crashed or broke the protocol */
};

/* Seconds spent per stage, accumulated when fb_run_opts.times is set (benchmarks). */
typedef struct fb_stage_times {
    double world_s, render_s, sensor_s, frontend_s, dut_s, score_s, output_s;
    uint32_t frames;
} fb_stage_times;

typedef struct fb_run_opts {
    bool seed_set;
    uint64_t seed;          /* overrides the scenario's seed when seed_set */
    double duration_s;      /* > 0 overrides the scenario's duration */
    const char *dut_spec;   /* NULL: the scenario's dut.spec */
    const char *out_dir;    /* NULL: no files; else results.json, junit.xml, *.jsonl */
    fb_stage_times *times;  /* NULL: no timing */
} fb_run_opts;

typedef struct fb_session fb_session;

/* Prepares a run of sc (copied settings; sc must outlive the session). Returns 0 or
 * FB_ERR_* with a message (FB_ERR_DUT when the DUT cannot be opened). */
int fb_session_open(fb_session **out, const fb_scenario *sc, const fb_run_opts *o, char *err,
                    size_t err_len);
/* Runs the next frame. Returns 1 when a frame ran, 0 when the run is over (duration reached
 * or stopped by a fault: see fb_session_faulted). */
int fb_session_step(fb_session *s);
bool fb_session_faulted(const fb_session *s);
/* Read-only views of the last frame, for the viewer and tests. */
const fb_world *fb_session_world(const fb_session *s);
const uint16_t *fb_session_frame_ck(const fb_session *s);
uint32_t fb_session_frames_done(const fb_session *s);
/* Scores what has run (complete or not) and fills info. res owns memory: fb_results_free.
 * info's strings point into the session: use them before fb_session_close. */
int fb_session_finish(fb_session *s, fb_results *res, fb_run_info *info);
void fb_session_close(fb_session *s);

/* The whole job for the CLI: runs sc to the end, prints the scorecard to `scorecard` (may be
 * NULL), writes reports to o->out_dir, and returns the exit status (FB_EXIT_*). Messages go
 * to stderr. */
int fb_run(const fb_scenario *sc, const fb_run_opts *o, FILE *scorecard);

#endif
