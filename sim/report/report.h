/* report.h — what a run leaves behind: the scorecard, results.json, junit.xml, events and truth as JSON Lines. */
#ifndef FB_REPORT_H
#define FB_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "link/event.h"
#include "link/link_audit.h"
#include "score/score.h"
#include "world/truth.h"

/* Exit statuses (DESIGN.md). */
enum {
    FB_EXIT_PASS = 0,
    FB_EXIT_FAIL = 1,      /* criteria failed */
    FB_EXIT_USAGE = 2,     /* bad input or usage */
    FB_EXIT_DUT_FAULT = 3, /* the DUT hung, crashed or broke the protocol */
    FB_EXIT_SIGNAL = 128   /* + the signal number: interrupted (SIGINT 130, SIGTERM 143) */
};

/* Identity of a run: printed by every report. */
typedef struct fb_run_info {
    const char *version;       /* FB_VERSION_STRING */
    const char *scenario_name;
    const char *scenario_source;
    uint64_t scenario_hash;
    uint64_t seed;
    const char *camera_name;
    const char *people;        /* how people were drawn: "template" or "3d" (NULL: not known) */
    int width, height;         /* frame size in pixels (0: not known, not printed) */
    const char *dut_name;      /* firmware's own name */
    uint64_t frames_hash;      /* hash chained over every radiometric frame sent (sim/util/hash.h) */
    const char *frames_hash_algorithm; /* how: FB_FRAMES_HASH_ALGORITHM (NULL means it) or, for a
                                        * replayed old recording, FB_FRAMES_HASH_ALGORITHM_LEGACY */
    uint32_t frames;
    double fps;
    double duration_s;         /* scenario time simulated */
    int complete;              /* 0 when the run stopped early (fault, interrupt) */
    const char *stop_reason;   /* NULL when complete */
    const fb_link_audit *audit; /* what crossed the DUT link; NULL: no "audit" section */
} fb_run_info;

/* Human-readable scorecard (stdout). */
void fb_report_scorecard(FILE *f, const fb_run_info *ri, const fb_results *r);

/* Writes DIR/results.json and DIR/junit.xml atomically (temp file, then rename). DIR must exist.
 * Returns 0 or FB_ERR_IO (message in err). Same inputs -> byte-identical files. */
int fb_report_write(const char *dir, const fb_run_info *ri, const fb_results *r, char *err,
                    size_t err_len);

/* JSON Lines streams written during the run: DIR/events.jsonl and DIR/truth.jsonl. */
typedef struct fb_stream fb_stream;
fb_stream *fb_stream_open(const char *dir, char *err, size_t err_len);
void fb_stream_truth(fb_stream *st, const fb_truth_frame *tf);
void fb_stream_events(fb_stream *st, const fb_event *events, size_t n);
/* Flushes and closes; returns FB_ERR_IO if any write failed (message in err). */
int fb_stream_close(fb_stream *st, char *err, size_t err_len);

#endif
