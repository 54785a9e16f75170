/* tbvec.h — writes $readmemh vectors for the Icarus test bench (rtl/tb/fb_fe_tb.v), runs vvp and
 * parses its output log. */
#ifndef FB_TBVEC_H
#define FB_TBVEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "frontend.h"

/* A vector set being written into dir (which must exist). */
typedef struct fb_tbvec {
    FILE *cmds, *pixels;
    char dir[512];
    uint32_t ncmd, npix;
    uint32_t data_packets; /* expected in total so far */
} fb_tbvec;

/* FB_ERR_IO if the files cannot be created (errno set). */
int fb_tbvec_open(fb_tbvec *v, const char *dir);
void fb_tbvec_write(fb_tbvec *v, uint32_t addr, uint32_t data);
void fb_tbvec_read(fb_tbvec *v, uint32_t addr);
/* FRAME_SIZE write, then every coefficient and the table (like fb_rtl_load). */
void fb_tbvec_load(fb_tbvec *v, const fb_frontend *fe);
/* One frame of counts (even width: pixel pairs, sof/eol set), then waits for its packets. */
void fb_tbvec_frame(fb_tbvec *v, const uint16_t *counts, int width, int height);
/* Writes meta.hex (budget = stream cycles per frame command) and closes; FB_ERR_IO on error. */
int fb_tbvec_close(fb_tbvec *v, uint32_t budget);

/* Runs `vvp -n tb +dir=dir +stress=.. +skipstream=..`; returns FB_OK if it exited 0 and wrote
 * a DONE line, FB_ERR_IO otherwise. Outputs (each may be NULL): *seconds = wall time,
 * *cpu_seconds = the child's CPU time, *stream_cycles from the DONE line. */
int fb_tbvec_run(const char *vvp, const char *tb, const char *dir, int stress, int skip_stream,
                 double *seconds, double *cpu_seconds, uint64_t *stream_cycles);

/* Parses dir/out.txt: the complete packets (bytes, discard packets included) into pkts[cap]
 * (*len bytes), the register reads into reads[] (values, at most nreads; *got = count).
 * FB_ERR_PARSE for a malformed log or broken packet framing, FB_ERR_RANGE if cap is small. */
int fb_tbvec_output(const char *dir, uint8_t *pkts, size_t cap, size_t *len, uint32_t *reads,
                    size_t nreads, size_t *got);

#endif
