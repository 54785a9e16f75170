/* frames.h — `feverbench frames`: the radiometric frames as 16-bit PNGs and the truth as COCO JSON (docs/frames.md). */
#ifndef FB_FRAMES_H
#define FB_FRAMES_H

#include <stdbool.h>
#include <stdint.h>
#include "run.h"
#include "scenario/scenario.h"

/* Which frames to write and where. */
typedef struct fb_frames_opts {
    const char *out_dir; /* DIR: DIR/frames/NNNNNN.png and DIR/annotations.json */
    uint32_t every;      /* write every N-th selected frame (frame first, first + N, ...); >= 1 */
    uint32_t first;      /* first frame number written */
    uint32_t end;        /* one past the last frame number considered; 0: the run's end */
} fb_frames_opts;

/* True when this feverbench can write PNGs (built with libpng). */
bool fb_frames_supported(void);

/* Runs sc through the session loop without a DUT (ro->no_dut is forced; ro->seed_set,
 * ro->duration_s, ro->frontend and ro->interrupt apply) and writes the selected frames and
 * annotations.json. Messages go to stderr. Returns the exit status: FB_EXIT_PASS when all was
 * written; FB_EXIT_USAGE for a bad selection, an unwritable DIR or a front-end failure;
 * FB_EXIT_SIGNAL + N when interrupted (annotations.json then lists the frames written so far and
 * says complete: false). */
int fb_frames_export(const fb_scenario *sc, const fb_run_opts *ro, const fb_frames_opts *fo);

#endif
