/* bench_view.c — benchmark of the viewer (not a test): draw time per frame with every overlay on, headless software renderer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../sim/util/heap.h"
#include "view.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    fb_heap_keep();
    const char *scenario = argc > 1 ? argv[1] : FB_SOURCE_DIR "/ui/bench-core640.json";
    int w = 1280, h = 720, threads = 1;
    if ((argc > 2 && sscanf(argv[2], "%dx%d", &w, &h) != 2) ||
        (argc > 3 && (sscanf(argv[3], "%d", &threads) != 1 || threads < 1 || threads > 64))) {
        fprintf(stderr, "usage: fb_view_bench [SCENARIO [WxH [THREADS]]]\n");
        return 2;
    }
    fb_viewer_opts o = {.scenario = scenario, .palette = FB_PAL_IRON, .overlays = FB_OV_ALL,
                        .width = w, .height = h, .headless = true, .duration_s = 12,
                        .threads = threads};
    char err[1024];
    fb_viewer *v;
    if (fb_viewer_open(&v, &o, err, sizeof err)) {
        fprintf(stderr, "fb_view_bench: %s\n", err);
        return 1;
    }
    int cw, ch;
    fb_viewer_frame(v, &cw, &ch);
    double fps = fb_viewer_fps(v), step_s = 0, draw_s = 0, worst = 0;
    unsigned n = 0;
    for (;;) {
        double t0 = now_s();
        if (fb_viewer_step(v) <= 0)
            break;
        double t1 = now_s();
        fb_viewer_draw(v);
        double t2 = now_s();
        step_s += t1 - t0;
        draw_s += t2 - t1;
        if (t2 - t1 > worst)
            worst = t2 - t1;
        n++;
    }
    fb_viewer_close(v);
    if (!n)
        return 1;
    double budget_ms = 1000 / fps, step_ms = step_s * 1000 / n, draw_ms = draw_s * 1000 / n;
    printf("fb_view_bench: %s, camera %dx%d @ %g fps, window %dx%d, all overlays, %u frames,"
           " --threads %d\n",
           scenario, cw, ch, fps, w, h, n, threads);
    printf("  draw (software renderer)  %7.2f ms/frame  (worst %.2f ms)\n", draw_ms, worst * 1000);
    printf("  simulation step           %7.2f ms/frame  (world, render, sensor, DUT, scoring)\n",
           step_ms);
    printf("  frame budget at %g fps    %7.2f ms: %s (%.0f%% used)\n", fps, budget_ms,
           step_ms + draw_ms <= budget_ms ? "keeps up" : "CANNOT keep up",
           100 * (step_ms + draw_ms) / budget_ms);
    return 0;
}
