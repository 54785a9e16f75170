/* source.h — where the viewer's frames come from: a live session (sim/run/run.h) or a recording (sim/record/record.h). */
#ifndef FB_UI_SOURCE_H
#define FB_UI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "run/run.h"
#include "score/score.h"
#include "world/truth.h"

typedef struct fb_view_source fb_view_source;

/* One ops table per kind of source. Who frees what: open allocates priv, close frees it
 * and everything the view below borrows. */
typedef struct fb_view_source_ops {
    const char *name; /* "live", "replay" */
    /* Runs or reads the next frame and refreshes the view. 1: a frame; 0: the end; <0: error
     * (message in s->error). */
    int (*step)(fb_view_source *s);
    /* Back to before the first frame. 0, or <0 with s->error. */
    int (*restart)(fb_view_source *s);
    /* Scores so far (res owns memory: fb_results_free). */
    int (*peek)(fb_view_source *s, fb_results *res);
    void (*close)(fb_view_source *s);
} fb_view_source_ops;

/* What the viewer draws; everything is borrowed from the source until its next step. */
struct fb_view_source {
    const fb_view_source_ops *ops;
    void *priv;
    fb_scenario sc;               /* the scenario as run (live: owned copy; replay: from the header) */
    fb_camera_geom geom;
    const fb_subject_info *subjects; /* index = fb_truth_subject.subject */
    size_t n_subjects;
    uint32_t frames_planned;
    char label[600];              /* "scenario default (embedded:default.json), seed 1" */
    char dut[300];                /* the DUT as named by its spec or the recording */
    /* the last frame (valid once frames_done > 0) */
    uint32_t frames_done;
    const uint16_t *frame_ck;
    fb_truth_frame truth;
    const fb_event *events;
    size_t n_events;
    bool finished;                /* no more frames */
    bool faulted;                 /* the DUT faulted (live) or the recording says it did */
    char fault[320];
    char error[600];
};

typedef struct fb_live_opts {
    const char *scenario;         /* a file or a shipped name */
    const char *dut_spec;         /* NULL: the scenario's */
    bool seed_set;
    uint64_t seed;
    double duration_s;            /* > 0 overrides */
    int threads;                  /* fb_run_opts.threads */
} fb_live_opts;

/* Opens a live session (the same loop as `feverbench run`). Returns 0, or FB_ERR_* with a
 * message in err; *out is freed by fb_view_source_close. */
int fb_view_source_live(fb_view_source **out, const fb_live_opts *o, char *err, size_t err_len);
/* Opens a recording for replay (no DUT), judged by the scenario it was made from (scenario,
 * camera: NULL for the recorded ones; as `feverbench replay --scenario --camera`): refused,
 * FB_ERR_* with a message, when that scenario is not the run's or the recording's criteria
 * differ from it. */
int fb_view_source_replay(fb_view_source **out, const char *path, const char *scenario,
                          const char *camera, char *err, size_t err_len);
void fb_view_source_close(fb_view_source *s);

#endif
