/* rtl_bench.c — benchmark of the RTL front-end: pixels/s and frames/s through the Verilated
 * pipeline, the same design under Icarus Verilog, and the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fb_error.h"
#include "fe_rtl.h"
#include "frontend.h"
#include "tbvec.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU time of this process: the figure that does not depend on other load on the machine. */
static double cpu_s(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

typedef struct rate {
    double wall_mpx, cpu_mpx; /* Mpixel/s by wall-clock and by CPU time */
} rate;

/* A plain front-end: identity-ish coefficients with some bad pixels, a rising table. */
static int make_fe(fb_frontend *fe, int w, int h)
{
    int rc = fb_frontend_init(fe, w, h);
    if (rc)
        return rc;
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++) {
        fe->offset[i] = (int16_t)((int)(i * 7919u % 301u) - 150);
        fe->gain[i] = (uint16_t)(12288u + i * 104729u % 8192u);
        fe->bad[i] = i % 499u == 0;
    }
    for (int k = 0; k < FB_FE_CAL_N; k++)
        fe->cal_ck[k] = (uint16_t)(20000 + 60 * k);
    return FB_OK;
}

static void make_counts(uint16_t *c, size_t n, unsigned seed)
{
    uint32_t x = 2463534242u ^ seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c[i] = (uint16_t)(x & 0x3FFFu);
    }
}

/* Verilated pipeline: Mpixel/s over `frames` frames of w x h (loading excluded). */
static rate bench_verilator(int w, int h, int frames)
{
    fb_frontend fe;
    size_t n = (size_t)w * (size_t)h;
    rate mpx = {0, 0};
    if (make_fe(&fe, w, h))
        return mpx;
    uint16_t *counts = malloc(n * sizeof *counts), *ck = malloc(n * sizeof *ck);
    int err = 0;
    fb_rtl *r = fb_rtl_open(w, h, NULL, &err);
    if (!counts || !ck || !r) {
        fprintf(stderr, "rtl_bench: open %dx%d: %s\n", w, h, fb_strerror(err));
        goto out;
    }
    double t0 = now_s();
    if (fb_rtl_load(r, &fe)) {
        fprintf(stderr, "rtl_bench: load: %s\n", fb_rtl_errmsg(r));
        goto out;
    }
    double t_load = now_s() - t0;
    make_counts(counts, n, 1);
    double t_run = 0, c_run = 0;
    uint64_t cycles = 0;
    for (int f = 0; f < frames; f++) {
        counts[(size_t)f % n] ^= 1; /* a different frame each time */
        t0 = now_s();
        double c0 = cpu_s();
        if (fb_rtl_process(r, counts, w, h, ck, NULL)) {
            fprintf(stderr, "rtl_bench: process: %s\n", fb_rtl_errmsg(r));
            goto out;
        }
        c_run += cpu_s() - c0;
        t_run += now_s() - t0;
        fb_rtl_frame_stats s;
        fb_rtl_stats(r, &s);
        cycles += s.cycles;
    }
    mpx.wall_mpx = (double)n * frames / t_run / 1e6;
    mpx.cpu_mpx = (double)n * frames / c_run / 1e6;
    printf("verilator %4dx%-4d %3d frames: %7.2f Mpixel/s (CPU time %7.2f)  %8.1f frames/s  "
           "%5.2f Mcycle/s  %.3f cycles/pixel  (coefficient load %.0f ms)\n",
           w, h, frames, mpx.wall_mpx, mpx.cpu_mpx, frames / t_run, (double)cycles / t_run / 1e6,
           (double)cycles / ((double)n * frames), t_load * 1e3);
out:
    fb_rtl_close(r);
    free(counts);
    free(ck);
    fb_frontend_free(&fe);
    return mpx;
}

/* Icarus: the same design (capacity 160 x 120) streaming `frames` frames; the bus-load-only
 * run is subtracted. Returns Mpixel/s (0 on failure). */
static rate bench_icarus(int frames)
{
    const int w = 160, h = 120;
    const size_t n = (size_t)w * (size_t)h;
    rate mpx = {0, 0};
    if (!FB_RTL_TB_VVP[0] || !FB_VVP_BIN[0]) {
        printf("icarus: not built (iverilog/vvp missing)\n");
        return mpx;
    }
    char dir[] = "/tmp/fb_rtl_bench_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("rtl_bench: mkdtemp");
        return mpx;
    }
    fb_frontend fe;
    fb_tbvec v;
    uint16_t *counts = malloc(n * sizeof *counts);
    if (!counts || make_fe(&fe, w, h)) {
        free(counts);
        return mpx;
    }
    if (fb_tbvec_open(&v, dir) == FB_OK) {
        fb_tbvec_load(&v, &fe);
        for (int f = 0; f < frames; f++) {
            make_counts(counts, n, (unsigned)f + 1u);
            fb_tbvec_frame(&v, counts, w, h);
        }
        double t_base = 0, t_full = 0, c_base = 0, c_full = 0;
        uint64_t cyc = 0;
        if (fb_tbvec_close(&v, (uint32_t)(8 * n + 10000)) == FB_OK &&
            fb_tbvec_run(FB_VVP_BIN, FB_RTL_TB_VVP, dir, 0, 1, &t_base, &c_base, NULL) == FB_OK &&
            fb_tbvec_run(FB_VVP_BIN, FB_RTL_TB_VVP, dir, 0, 0, &t_full, &c_full, &cyc) == FB_OK &&
            t_full > t_base && c_full > c_base) {
            double t = t_full - t_base, c = c_full - c_base;
            mpx.wall_mpx = (double)n * frames / t / 1e6;
            mpx.cpu_mpx = (double)n * frames / c / 1e6;
            printf(
                "icarus    %4dx%-4d %3d frames: %7.4f Mpixel/s (CPU time %7.4f)  %8.2f frames/s  "
                "%5.3f Mcycle/s  (vvp %.2f s, of which bus load and start-up %.2f s)\n",
                w, h, frames, mpx.wall_mpx, mpx.cpu_mpx, frames / t, (double)cyc / t / 1e6, t_full,
                t_base);
        } else
            fprintf(stderr, "rtl_bench: the Icarus run failed (vectors in %s)\n", dir);
    }
    static const char *const files[] = {"meta.hex", "cmds.hex", "pixels.hex", "out.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
    free(counts);
    fb_frontend_free(&fe);
    return mpx;
}

int main(int argc, char **argv)
{
    int frames_small = 200, frames_large = 10, frames_icarus = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            frames_small = 20;
            frames_large = 2;
            frames_icarus = 1;
        } else if (!strcmp(argv[i], "--no-icarus")) {
            frames_icarus = 0;
        } else {
            fprintf(stderr, "usage: rtl_bench [--quick] [--no-icarus]\n");
            return 2;
        }
    }
    printf(
        "RTL front-end benchmark: single thread, time spent in fb_rtl_process (wall clock and this "
        "process's CPU time)\n");
    rate v_small = bench_verilator(160, 120, frames_small);
    bench_verilator(256, 192, frames_small / 4);
    bench_verilator(640, 512, frames_large);
    rate ic = {0, 0};
    if (frames_icarus)
        ic = bench_icarus(frames_icarus);
    if (v_small.cpu_mpx > 0 && ic.cpu_mpx > 0)
        printf("ratio     160x120: Verilator is %.0fx Icarus by CPU time (%.0fx by wall clock); "
               "aims: >= 20 Mpixel/s (issue 18), >= 100x\n",
               v_small.cpu_mpx / ic.cpu_mpx, v_small.wall_mpx / ic.wall_mpx);
    return v_small.wall_mpx > 0 ? 0 : 1;
}
