/* bench.c — benchmark of the frame loop: frames per second, real-time factor and cost per stage, beside the limit this machine's memory bandwidth sets (issue 18). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "scenario/catalog.h"
#include "run/run.h"
#include "util/cpu.h"
#include "util/heap.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Streaming bandwidth, bytes/s: the best of a few STREAM-style copy (a = b) and triad
 * (a = b + 3 c) passes over arrays of n doubles, counting the bytes the loop reads and writes
 * (not the write-allocate reads). With n * 8 well beyond the last-level cache this is main
 * memory; with a small n, the cache the frame's buffers live in. */
typedef struct bandwidth {
    double copy_bps, triad_bps;
} bandwidth;

static bandwidth measure_bandwidth(size_t n, int passes)
{
    bandwidth bw = {0, 0};
    double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b)), *c = malloc(n * sizeof(*c));
    if (!a || !b || !c)
        goto out;
    for (size_t i = 0; i < n; i++) {
        a[i] = 0.0;
        b[i] = (double)i;
        c[i] = 1.0;
    }
    volatile double sink = 0;
    for (int p = 0; p < passes; p++) {
        double t0 = now_s();
        memcpy(a, b, n * sizeof(*a));
        double t1 = now_s();
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + 3.0 * c[i];
        double t2 = now_s();
        sink = sink + a[n / 2];
        double copy = 2.0 * (double)(n * sizeof(*a)) / (t1 - t0);
        double triad = 3.0 * (double)(n * sizeof(*a)) / (t2 - t1);
        bw.copy_bps = copy > bw.copy_bps ? copy : bw.copy_bps;
        bw.triad_bps = triad > bw.triad_bps ? triad : bw.triad_bps;
    }
out:
    free(a);
    free(b);
    free(c);
    return bw;
}

/* Bytes per pixel each stage must move, at the least (the arrays it reads and writes once):
 * the renderer writes the float radiance image; the lens blur reads and writes it; the sensor
 * reads it and its two float tables (fixed pattern, pattern growth) and writes uint16 counts;
 * the front-end reads counts, offset, gain and the bad-pixel map and writes uint16 ck; the hash
 * and the firmware each read ck. Tables smaller than a row (calibration, normal quantiles) are
 * left out. */
#define BYTES_RENDER   4.0
#define BYTES_OPTICS   8.0
#define BYTES_SENSOR   (4.0 + 4.0 + 4.0 + 2.0)
#define BYTES_FRONTEND (2.0 + 2.0 + 2.0 + 1.0 + 2.0)
#define BYTES_HASH     2.0
#define BYTES_FIRMWARE 2.0

static double g_bandwidth_bps;       /* the limit: main-memory triad bandwidth */
static double g_cache_bandwidth_bps; /* the same in cache, where the frame's buffers live */

/* Where the 3D renderer's time goes: its stages, the triangles per frame and the pixels they
 * tested (against those people hold at the end: overdraw), and per person by level of detail
 * (the head's width on the image picks it, sim/world/render.c). */
static void print_render_stats(const fb_render_stats *rs, double npx, double wall)
{
    double f = rs->frames ? (double)rs->frames : 1.0, us = 1e6 / f;
    const fb_raster_stats *ra = &rs->raster;
    printf("  render       restore %5.1f us | plates %5.1f us | people %6.1f us | truth %5.1f us |"
           " rows (count, resolve, restore) %5.1f us (render share of the loop %.0f%%)\n",
           rs->begin_s * us, rs->plates_s * us, rs->people_s * us, rs->truth_s * us,
           rs->rows_s * us,
           100 * (rs->begin_s + rs->plates_s + rs->people_s + rs->truth_s + rs->rows_s) / wall);
    printf("  people       lod and pose %5.1f us | vertices %6.1f us (%.0f) | triangles %6.1f us |"
           " reflections %5.1f us (%.0f of %.0f meshes' culled) (all people, per frame)\n",
           rs->mesh_s * us, rs->vert_s * us, (double)rs->verts / f, rs->tris_s * us,
           rs->reflect_s * us, (double)rs->mirrors_culled / f, (double)rs->mirrors / f);
    double held_px = (double)rs->samples_held / FB_RASTER_SPP / f;
    printf("  raster       per frame %.0f triangles submitted, %.0f drawn (%.0f of them skipped as"
           " hidden), %.0f rows, %.0f pixels tested (%d samples each) = %.2f x the image, %.2f x"
           " the %.0f pixels people hold\n",
           (double)ra->tris_in / f, (double)ra->tris_drawn / f, (double)ra->tris_hidden / f,
           (double)ra->rows / f,
           (double)ra->px_tested / f, FB_RASTER_SPP, (double)ra->px_tested / f / npx,
           held_px > 0 ? (double)ra->px_tested / f / held_px : 0.0, held_px);
    for (int l = 0; l < FB_FIG_LODS; l++) {
        double n = (double)rs->people[l];
        if (!rs->people[l])
            continue;
        printf("  people lod %d %5.2f a frame, head %5.1f px wide: %5.0f triangles submitted,"
               " %4.0f drawn, %5.0f pixels tested, %6.1f us each\n",
               l, n / f, rs->head_px[l] / n, (double)rs->tris[l] / n, (double)rs->drawn[l] / n,
               (double)rs->px_tested[l] / n, rs->person_s[l] / n * 1e6);
        if (rs->lod_builds[l])
            printf("               %llu built on first use (%.0f us each, %.1f us a frame)\n",
                   (unsigned long long)rs->lod_builds[l],
                   rs->lod_build_s[l] / (double)rs->lod_builds[l] * 1e6, rs->lod_build_s[l] * us);
    }
}

/* Loads scenario name on camera profile camera (NULL: the scenario's). Returns 0 or -1. */
static int load(const char *name, const char *camera, fb_scenario *sc)
{
    char err[1024];
    if (fb_catalog_load(name, sc, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        return -1;
    }
    if (camera && fb_catalog_set_camera(sc, camera, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        fb_scenario_free(sc);
        return -1;
    }
    return 0;
}

/* Runs one scenario headless (no files) with people drawn as `people` ("template" or "3d"),
 * on camera profile `camera` (NULL: the scenario's), and prints its figures. Returns 0 or -1. */
/* --threads N: the per-stage runs with N threads (1: one core, the default) */
static int g_stage_threads = 1;

static int bench_one(const char *name, const char *camera, double duration_s, const char *people)
{
    char err[1024];
    fb_scenario sc;
    if (load(name, camera, &sc))
        return -1;
    fb_stage_times tm = {0};
    fb_run_opts o = {.duration_s = duration_s, .times = &tm, .people = people,
                     .threads = g_stage_threads, .pipeline = true};
    fb_session *s;
    if (fb_session_open(&s, &sc, &o, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        fb_scenario_free(&sc);
        return -1;
    }
    double t0 = now_s();
    size_t in_view_sum = 0;
    while (fb_session_step(s) > 0)
        in_view_sum += fb_session_truth(s).n_subjects;
    double wall = now_s() - t0;
    fb_results res;
    fb_run_info info;
    fb_session_finish(s, &res, &info);
    double sim_s = tm.frames / sc.camera.fps;
    double per = 1e6 / (tm.frames ? tm.frames : 1);
    double npx = (double)sc.camera.width * (double)sc.camera.height;
    printf("%-12s %dx%d @ %.3g fps, %u frames (%.0f s simulated), people %s, %.1f in the scene on"
           " average\n",
           sc.name, sc.camera.width, sc.camera.height, sc.camera.fps, tm.frames, sim_s, people,
           (double)in_view_sum / (tm.frames ? tm.frames : 1));
    printf("  whole loop   %8.0f frames/s   real-time factor %6.1fx   (%.2f s wall)\n",
           tm.frames / wall, sim_s / wall, wall);
    printf("  per frame    world %6.1f us | render %6.1f us | optics %6.1f us | sensor %6.1f us |"
           " front-end %6.1f us | hash %5.1f us | firmware %6.1f us | scoring %6.1f us\n",
           tm.world_s * per, tm.render_s * per, tm.optics_s * per, tm.sensor_s * per,
           tm.frontend_s * per, tm.hash_s * per, tm.dut_s * per, tm.score_s * per);
    printf("  share        world %5.1f%% | render %5.1f%% | optics %5.1f%% | sensor %5.1f%% | "
           "front-end %5.1f%% | hash %4.1f%% | firmware %5.1f%% | scoring %5.1f%%\n",
           100 * tm.world_s / wall, 100 * tm.render_s / wall, 100 * tm.optics_s / wall,
           100 * tm.sensor_s / wall, 100 * tm.frontend_s / wall, 100 * tm.hash_s / wall,
           100 * tm.dut_s / wall, 100 * tm.score_s / wall);
    if (tm.join_s > 0) {
        double own = tm.pixels_s + tm.dut_s + tm.score_s + tm.output_s;
        printf("  pipelined    the caller's own stages %6.1f us, then helping to draw the next"
               " frame or waiting for it %6.1f us a frame; the drawing thread's world + render"
               " %6.1f us\n",
               own * per, tm.join_s * per, (tm.world_s + tm.render_s) * per);
    }
    if (!strcmp(people, "3d"))
        print_render_stats(fb_session_render_stats(s), npx, wall);
    /* ns per pixel, and what the stage's memory traffic alone would take at the bandwidth */
    double ns = 1e9 / (tm.frames ? tm.frames : 1) / npx;
    printf("  per pixel    optics %5.2f ns | sensor %5.2f ns | front-end %5.2f ns | hash %5.2f ns"
           " (each band's share, clock read at its stage boundaries) | the four %5.2f ns/px"
           " (their call timed as a whole, in row bands: sim/run/pixels.h)\n",
           tm.optics_s * ns, tm.sensor_s * ns, tm.frontend_s * ns, tm.hash_s * ns,
           tm.pixels_s * ns);
    if (g_bandwidth_bps > 0) {
        double us_per_byte = npx / g_bandwidth_bps * 1e6; /* us per frame per byte/px */
        double pipe_b = BYTES_OPTICS + BYTES_SENSOR + BYTES_FRONTEND + BYTES_HASH;
        double all_b = BYTES_RENDER + pipe_b + BYTES_FIRMWARE;
        printf("  traffic      optics %2.0f B/px %5.1f us | sensor %2.0f B/px %5.1f us | "
               "front-end %2.0f B/px %5.1f us | hash %2.0f B/px %5.1f us | the four %5.1f us"
               " (%.0f%% of their time)\n",
               BYTES_OPTICS, BYTES_OPTICS * us_per_byte, BYTES_SENSOR, BYTES_SENSOR * us_per_byte,
               BYTES_FRONTEND, BYTES_FRONTEND * us_per_byte, BYTES_HASH, BYTES_HASH * us_per_byte,
               pipe_b * us_per_byte, 100 * pipe_b * us_per_byte / (tm.pixels_s * per));
        double limit_frame_s = all_b * npx / g_bandwidth_bps;
        double cache_frame_s = all_b * npx / g_cache_bandwidth_bps;
        printf("  limit        the whole loop's pixel traffic, %.0f B/px (render out %.0f, the four"
               " %.0f, firmware in %.0f): %.1f us/frame, real-time factor %.0fx (measured %.1fx;"
               " from cache: %.1f us, %.0fx)\n",
               all_b, BYTES_RENDER, pipe_b, BYTES_FIRMWARE, limit_frame_s * 1e6,
               1.0 / sc.camera.fps / limit_frame_s, sim_s / wall, cache_frame_s * 1e6,
               1.0 / sc.camera.fps / cache_frame_s);
    }
    fb_results_free(&res);
    fb_session_close(s);
    fb_scenario_free(&sc);
    return 0;
}

/* The whole loop's real-time factor of one run with `threads` threads and people drawn as
 * `people` ("3d" or "template"; no stage timing), or -1. */
static double rt_factor(const fb_scenario *sc, double duration_s, int threads, const char *people)
{
    char err[1024];
    fb_run_opts o = {.duration_s = duration_s, .people = people, .threads = threads,
                     .pipeline = true};
    fb_session *s;
    if (fb_session_open(&s, sc, &o, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        return -1;
    }
    double t0 = now_s();
    while (fb_session_step(s) > 0)
        ;
    double wall = now_s() - t0;
    double sim_s = fb_session_frames_done(s) / sc->camera.fps;
    fb_results res;
    fb_run_info info;
    fb_session_finish(s, &res, &info);
    fb_results_free(&res);
    fb_session_close(s);
    return sim_s / wall;
}

/* --threads 1 against 2, people drawn as `people`, alternated in the same run, best of ROUNDS
 * each: a shared, noisy machine slows both alike. Returns 0 or -1. */
static int bench_threads(const char *name, const char *camera, double duration_s,
                         const char *people)
{
    enum { ROUNDS = 3 };
    fb_scenario sc;
    if (load(name, camera, &sc))
        return -1;
    double best[2] = {0, 0};
    for (int r = 0; r < ROUNDS; r++)
        for (int t = 0; t < 2; t++) {
            double f = rt_factor(&sc, duration_s, t + 1, people);
            if (f < 0) {
                fb_scenario_free(&sc);
                return -1;
            }
            best[t] = f > best[t] ? f : best[t];
        }
    printf("%-12s %dx%d, people %s, %.0f s simulated: --threads 1 %6.1fx, --threads 2 %6.1fx"
           " real time: speed-up %.2fx (best of %d, alternated)\n",
           sc.name, sc.camera.width, sc.camera.height, people, duration_s, best[0], best[1],
           best[1] / best[0], ROUNDS);
    fb_scenario_free(&sc);
    return 0;
}

int main(int argc, char **argv)
{
    fb_heap_keep();
    /* fb_bench [--threads N] [SCENARIO[@CAMERA] ...] */
    if (argc > 1 && strcmp(argv[1], "--threads") == 0) {
        if (argc < 3) {
            fprintf(stderr, "fb_bench: --threads needs a number (1 to 64)\n");
            return 2;
        }
        char *end;
        long t = strtol(argv[2], &end, 10);
        if (*end || end == argv[2] || t < 1 || t > 64) {
            fprintf(stderr, "fb_bench: --threads %s: not a number between 1 and 64\n", argv[2]);
            return 2;
        }
        g_stage_threads = (int)t;
        argv += 2, argc -= 2;
    }
    if (g_stage_threads == 1)
        printf("feverbench %s benchmark (one core but for the --threads lines, headless, no output"
               " files)\n",
               FB_VERSION_STRING);
    else
        printf("feverbench %s benchmark (per-stage runs with --threads %d: with threads, render's"
               " restore is counted in people and the rows' pass in truth; headless, no output"
               " files)\n",
               FB_VERSION_STRING, g_stage_threads);
    char cpu[256];
    fb_cpu_describe(cpu, sizeof cpu);
    printf("cpu: %s\n", cpu);
    /* 3 x 64 MiB: beyond any last-level cache this runs on; 3 x 256 KiB: about one frame's
     * buffers, in cache. Best of 5 / 200 passes. */
    bandwidth mem = measure_bandwidth((size_t)8 << 20, 5);
    bandwidth cache = measure_bandwidth((size_t)32 << 10, 200);
    g_bandwidth_bps = mem.triad_bps;
    g_cache_bandwidth_bps = cache.triad_bps;
    printf("memory bandwidth (3 x 64 MiB, best of 5): copy %.1f GB/s, triad %.1f GB/s;"
           " in cache (3 x 256 KiB): copy %.1f GB/s, triad %.1f GB/s\n"
           "  the limits below take main memory's triad figure (every pixel byte from RAM);"
           " a 256x192 frame's buffers fit in cache, so \"from cache\" is the tighter bound\n",
           mem.copy_bps * 1e-9, mem.triad_bps * 1e-9, cache.copy_bps * 1e-9,
           cache.triad_bps * 1e-9);
    int rc = 0;
    /* SCENARIO or SCENARIO@CAMERA; by default 256x192 and the crowd at 640x512 (issue 18) */
    static const char *const defaults[] = {"default", "crowd", "crowd@core-640"};
    int n = argc > 1 ? argc - 1 : 3;
    /* a scenario that failed (unknown, malformed) is reported once, not again in every run */
    bool *failed = calloc((size_t)n, sizeof(*failed));
    if (!failed) {
        fprintf(stderr, "fb_bench: out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        const char *arg = argc > 1 ? argv[i + 1] : defaults[i];
        char name[256];
        const char *at = strchr(arg, '@');
        size_t len = at ? (size_t)(at - arg) : strlen(arg);
        if (len >= sizeof(name)) {
            fprintf(stderr, "fb_bench: %s: scenario name too long\n", arg);
            rc = 1, failed[i] = true;
            continue;
        }
        memcpy(name, arg, len);
        name[len] = '\0';
        failed[i] = bench_one(name, at ? at + 1 : NULL, 0, "template") != 0;
        if (!failed[i])
            failed[i] = bench_one(name, at ? at + 1 : NULL, 0, "3d") != 0;
        rc |= failed[i];
    }
    printf("\nmore cores for one run (--threads N; frames byte-identical to one thread)\n");
    for (int i = 0; i < n; i++) {
        const char *arg = argc > 1 ? argv[i + 1] : defaults[i];
        char name[256];
        const char *at = strchr(arg, '@');
        size_t len = at ? (size_t)(at - arg) : strlen(arg);
        if (len >= sizeof(name) || failed[i])
            continue;
        memcpy(name, arg, len);
        name[len] = '\0';
        /* template people run five times faster: three times the simulated time */
        rc |= bench_threads(name, at ? at + 1 : NULL, at ? 18.0 : 60.0, "template");
        rc |= bench_threads(name, at ? at + 1 : NULL, at ? 6.0 : 20.0, "3d");
    }
    free(failed);
    return rc ? 1 : 0;
}
