/* bench.c — benchmark of the frame loop: frames per second, real-time factor and cost per stage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "catalog.h"
#include "run.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs one scenario headless (no files) and prints its figures. Returns 0 or -1. */
static int bench_one(const char *name, double duration_s)
{
    char err[1024];
    fb_scenario sc;
    if (fb_catalog_load(name, &sc, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        return -1;
    }
    fb_stage_times tm = {0};
    fb_run_opts o = {.duration_s = duration_s, .times = &tm};
    fb_session *s;
    if (fb_session_open(&s, &sc, &o, err, sizeof(err))) {
        fprintf(stderr, "fb_bench: %s\n", err);
        fb_scenario_free(&sc);
        return -1;
    }
    double t0 = now_s();
    size_t in_view_sum = 0;
    while (fb_session_step(s) > 0)
        in_view_sum += fb_session_world(s)->n_truth;
    double wall = now_s() - t0;
    fb_results res;
    fb_run_info info;
    fb_session_finish(s, &res, &info);
    double sim_s = tm.frames / sc.camera.fps;
    double per = 1e6 / (tm.frames ? tm.frames : 1);
    printf("%-12s %dx%d @ %.3g fps, %u frames (%.0f s simulated), %.1f people in the scene on average\n",
           sc.name, sc.camera.width, sc.camera.height, sc.camera.fps, tm.frames, sim_s,
           (double)in_view_sum / (tm.frames ? tm.frames : 1));
    printf("  whole loop   %8.0f frames/s   real-time factor %6.1fx   (%.2f s wall)\n",
           tm.frames / wall, sim_s / wall, wall);
    printf("  per frame    world %6.1f us | render %6.1f us | optics %6.1f us | sensor %6.1f us |"
           " front-end %6.1f us | firmware %6.1f us | scoring %6.1f us\n",
           tm.world_s * per, tm.render_s * per, tm.optics_s * per, tm.sensor_s * per,
           tm.frontend_s * per, tm.dut_s * per, tm.score_s * per);
    printf("  share        world %5.1f%% | render %5.1f%% | optics %5.1f%% | sensor %5.1f%% | "
           "front-end %5.1f%% | firmware %5.1f%% | scoring %5.1f%%\n",
           100 * tm.world_s / wall, 100 * tm.render_s / wall, 100 * tm.optics_s / wall,
           100 * tm.sensor_s / wall, 100 * tm.frontend_s / wall, 100 * tm.dut_s / wall,
           100 * tm.score_s / wall);
    fb_results_free(&res);
    fb_session_close(s);
    fb_scenario_free(&sc);
    return 0;
}

int main(int argc, char **argv)
{
    printf("feverbench %s benchmark (one core, headless, no output files)\n", FB_VERSION_STRING);
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            rc |= bench_one(argv[i], 0);
    } else {
        rc |= bench_one("default", 0);
        rc |= bench_one("crowd", 0);
    }
    return rc ? 1 : 0;
}
