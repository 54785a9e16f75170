/* progress.h — one status line, redrawn in place on a terminal, for long commands (run, frames,
 * view --sequence): frames done, simulated time, real-time factor and time left. Silent when
 * stderr is not a terminal or the command was asked to be quiet. */
#ifndef FB_PROGRESS_H
#define FB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct fb_progress {
    FILE *out;           /* NULL: silent */
    char what[64];       /* what runs, e.g. "run default" */
    double t0_s, last_s; /* wall clock at the start and at the last line drawn */
    bool drawn;          /* a line is on the screen */
} fb_progress;

/* Starts: draws to stderr only when it is a terminal and quiet is false. */
void fb_progress_start(fb_progress *p, const char *what, bool quiet);
/* Redraws the line (at most five times a second) after done of total frames at fps. */
void fb_progress_update(fb_progress *p, uint32_t done, uint32_t total, double fps);
/* Clears the line, leaving the terminal as it was. */
void fb_progress_end(fb_progress *p);

/* The line itself, for tests: "run default: frame 250 / 1500 (10.0 of 60.0 s simulated),
 * 42.0x real time, 0:01 left". Writes at most len bytes including the NUL. */
void fb_progress_format(char *buf, size_t len, const char *what, uint32_t done, uint32_t total,
                        double fps, double wall_s);

#endif
