/* stage_bench.c — benchmark of the four pixel stages alone (optics, sensor, front-end, frames hash) on a fixed synthetic scene: stage by stage and in row bands (fb_pixel_stages, as the run loop does), ns per pixel, best of several batches by CPU time, beside each stage's memory-traffic time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "frontend.h"
#include "optics.h"
#include "radiometry.h"
#include "run/pixels.h"
#include "run/run.h"
#include "scenario/catalog.h"
#include "util/cpu.h"
#include "sensor.h"
#include "util/hash.h"

/* Bytes per pixel each stage must move at the least, as fb_bench counts them (sim/bench/bench.c),
 * with the vignetting table the optics reads when the lens has one. */
#define BYTES_BLUR     8.0
#define BYTES_VIGNETTE 4.0
#define BYTES_SENSOR   14.0
#define BYTES_FRONTEND 9.0
#define BYTES_HASH     2.0

enum { ST_OPTICS, ST_SENSOR, ST_FRONTEND, ST_HASH, ST_N };
static const char *const stage_name[ST_N] = {"optics", "sensor", "front-end", "hash"};

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Triad bandwidth (a = b + 3 c) over arrays of n doubles, best of `passes`, bytes/s. */
static double triad_bps(size_t n, int passes)
{
    double best = 0.0;
    double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b)), *c = malloc(n * sizeof(*c));
    if (a && b && c) {
        for (size_t i = 0; i < n; i++) {
            a[i] = 0.0;
            b[i] = (double)i;
            c[i] = 1.0;
        }
        for (int p = 0; p < passes; p++) {
            double t0 = cpu_s();
            for (size_t i = 0; i < n; i++)
                a[i] = b[i] + 3.0 * c[i];
            double t = cpu_s() - t0, bps = 3.0 * (double)(n * sizeof(*a)) / t;
            best = bps > best ? bps : best;
            __asm__ volatile("" : : "r"(a) : "memory");
        }
    }
    free(a);
    free(b);
    free(c);
    return best;
}

/* The scene: the wall at 20 C and a few warm ellipses (faces and bodies at 30-35 C) covering
 * about a fifth of the frame, fixed (xorshift from a constant seed). */
static void make_scene(float *rad, int w, int h, const fb_radiometry *r)
{
    float wall = (float)fb_radiometry_radiance(r, 293.15);
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        rad[i] = wall;
    uint32_t x = 12345u;
    for (int k = 0; k < 6; k++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        double cx = (double)(x % (unsigned)w), cy = (double)((x >> 12) % (unsigned)h);
        double ax = w * (0.05 + 0.01 * k), ay = h * (0.15 + 0.02 * k);
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < w; xx++) {
                double dx = (xx - cx) / ax, dy = (y - cy) / ay, d = dx * dx + dy * dy;
                if (d < 1.0)
                    rad[(size_t)y * (size_t)w + (size_t)xx] =
                        (float)fb_radiometry_radiance(r, 303.15 + 5.0 * (1.0 - d));
            }
    }
}

/* --band ROWS: rows per band (default: fb_pixels' own choice) */
static int g_band_rows = FB_PIXELS_BAND_AUTO;

static int bench_camera(const char *scenario, const char *camera, int frames, int batches,
                        double bw_bps)
{
    char err[1024];
    fb_scenario sc;
    if (fb_catalog_load(scenario, &sc, err, sizeof(err)) ||
        (camera && fb_catalog_set_camera(&sc, camera, err, sizeof(err)))) {
        fprintf(stderr, "fb_stage_bench: %s\n", err);
        return -1;
    }
    const fb_camera_profile *cam = &sc.camera;
    const int w = cam->width, h = cam->height;
    const size_t n = (size_t)w * (size_t)h;
    int rc = -1;
    fb_radiometry *rad = malloc(sizeof(*rad));
    float *scene = malloc(n * sizeof(*scene)), *img = malloc(n * sizeof(*img));
    uint16_t *counts = malloc(n * sizeof(*counts)), *ck = malloc(n * sizeof(*ck));
    fb_optics op = {0};
    fb_sensor se;
    fb_frontend fe = {0};
    memset(&se, 0, sizeof(se));
    if (!rad || !scene || !img || !counts || !ck)
        goto out;
    fb_radiometry_init(rad);
    fb_optics_params opp;
    fb_camera_optics_params(cam, &opp);
    fb_sensor_params sp;
    fb_camera_sensor_params(cam, 20.0, 3600.0, &sp);
    if (fb_optics_init(&op, w, h, &opp) || fb_sensor_init(&se, &sp, rad, sc.seed) ||
        fb_frontend_init(&fe, w, h)) {
        fprintf(stderr, "fb_stage_bench: camera %s: cannot set up the stages\n", cam->name);
        goto out;
    }
    fb_frontend_calibrate(&fe, &se, rad);
    fb_frontend_flat_field(&fe, op.illum, &se, rad, se.fpa_cal_c);
    fb_sensor_mark_dead(&se, fe.bad);
    make_scene(scene, w, h, rad);
    const float housing = (float)fb_radiometry_radiance(rad, 293.15 + 5.0);

    fb_pixels px_stage = {0}, px_band = {0};
    if (fb_pixels_init(&px_stage, &op, &se, &fe, NULL, NULL, FB_PIXELS_STAGE_BY_STAGE) ||
        fb_pixels_init(&px_band, &op, &se, &fe, NULL, NULL, g_band_rows)) {
        fprintf(stderr, "fb_stage_bench: band of %d rows: cannot set up (1..%d)\n", g_band_rows,
                h);
        fb_pixels_free(&px_stage);
        fb_pixels_free(&px_band);
        goto out;
    }
    /* Three ways through the same frames (the sensor's state runs on from one to the next):
     * stage by stage, each stage timed; in bands, the call timed as a whole; in bands with the
     * clock read at each band's stage boundaries (what the run loop's per-stage lines show). */
    enum { M_STAGE, M_BAND, M_SPLIT, M_N };
    static const char *const mode_name[M_N] = {"stage by stage", "in bands (whole call)",
                                               "in bands (per stage)"};
    fb_pixels *mode_px[M_N] = {&px_stage, &px_band, &px_band};
    double best[M_N][ST_N + 1];
    for (int m = 0; m < M_N; m++)
        for (int k = 0; k <= ST_N; k++)
            best[m][k] = 1e30;
    uint64_t hash = FB_FRAMES_HASH_INIT;
    double t_s = 0.0;
    for (int b = 0; b < batches; b++)
        for (int m = 0; m < M_N; m++) {
            fb_pixel_times tm = {.split = m != M_BAND};
            double cpu = 0.0;
            for (int f = 0; f < frames; f++) {
                memcpy(img, scene, n * sizeof(*img));
                t_s += 1.0 / cam->fps;
                unsigned flags;
                double c0 = cpu_s();
                fb_pixel_stages(mode_px[m], img, 0, housing, 20.0, t_s, counts, ck, &hash, &flags,
                                m == M_BAND ? NULL : &tm, NULL, 0);
                cpu += cpu_s() - c0;
            }
            const double got[ST_N + 1] = {tm.optics_s, tm.sensor_s, tm.frontend_s, tm.hash_s,
                                          cpu};
            for (int k = 0; k <= ST_N; k++)
                best[m][k] = got[k] < best[m][k] ? got[k] : best[m][k];
        }
    fb_pixels_free(&px_stage);
    fb_pixels_free(&px_band);
    const double bytes[ST_N] = {BYTES_BLUR + (op.illum ? BYTES_VIGNETTE : 0.0), BYTES_SENSOR,
                                BYTES_FRONTEND, BYTES_HASH};
    double total_limit = 0.0;
    printf("%-10s %dx%d (blur radius %d, vignetting %s), bands of %d rows, best of %d batches of"
           " %d frames; stages by the monotonic clock inside the call\n",
           cam->name, w, h, op.radius, op.illum ? "on" : "off", px_band.band_rows, batches, frames);
    for (int s = 0; s < ST_N; s++)
        total_limit += bytes[s] / bw_bps * 1e9;
    for (int m = 0; m < M_N; m++) {
        printf("  %s:\n", mode_name[m]);
        if (m != M_BAND)
            for (int s = 0; s < ST_N; s++) {
                double ns = best[m][s] / frames / (double)n * 1e9, lim = bytes[s] / bw_bps * 1e9;
                printf("    %-10s %6.3f ns/px   traffic %4.1f B/px = %6.3f ns/px at the bandwidth"
                       " (%3.0f%% of its time)\n",
                       stage_name[s], ns, bytes[s], lim, 100.0 * lim / ns);
            }
        printf("    %-10s %6.3f ns/px   the call's CPU time (%s); traffic limit %6.3f ns/px"
               " (aim: <= 1 ns/px)\n",
               "the four", best[m][ST_N] / frames / (double)n * 1e9,
               m == M_BAND ? "no clock reads inside" : "with the stages' clock reads",
               total_limit);
    }
    rc = 0;
out:
    fb_optics_free(&op);
    fb_sensor_free(&se);
    fb_frontend_free(&fe);
    fb_scenario_free(&sc);
    free(rad);
    free(scene);
    free(img);
    free(counts);
    free(ck);
    return rc;
}

int main(int argc, char **argv)
{
    int frames = 40, batches = 15;
    const char *cams[8];
    int ncam = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            frames = 10;
            batches = 3;
        } else if (!strcmp(argv[i], "--band") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || v < 1 || v > 4096) {
                fprintf(stderr, "fb_stage_bench: --band %s: expected rows, 1..4096\n", argv[i]);
                return 2;
            }
            g_band_rows = (int)v;
        } else if (argv[i][0] != '-' && ncam < 8) {
            cams[ncam++] = argv[i];
        } else {
            fprintf(stderr, "usage: fb_stage_bench [--quick] [--band ROWS] [CAMERA...]"
                            " (default turret-256 core-640)\n");
            return 2;
        }
    }
    if (!ncam) {
        cams[ncam++] = "turret-256";
        cams[ncam++] = "core-640";
    }
    /* 3 x 64 MiB: main memory, the limit fb_bench prints too. */
    double bw = triad_bps((size_t)8 << 20, 5);
    char cpu[256];
    fb_cpu_describe(cpu, sizeof cpu);
    printf("pixel stages alone, one core, CPU time; main-memory triad bandwidth %.1f GB/s\n"
           "cpu: %s\n",
           bw * 1e-9, cpu);
    int rc = 0;
    for (int i = 0; i < ncam; i++)
        rc |= bench_camera("default", cams[i], frames, batches, bw) ? 1 : 0;
    return rc;
}
