/* link_bench.c — benchmark of the DUT links (not a test): a 256x192 stream through every transport,
 * lockstep.
 *
 * For each link: frames per second, the link's bytes per second, and how the time of a lockstep
 * exchange splits between the DUT (its own FRAME_DONE.proc_us) and the link (everything else:
 * encoding, CRC, the pipe/pty/UART, decoding, scheduling). Aim: the link under 10 % over exec.
 *   fb_link_bench [--frames N] [--only NAME]     (run from anywhere; firmware paths are built in)
 */
#define _XOPEN_SOURCE 700 /* kill, nanosleep */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "link/link.h"
#include "run/run.h"

#ifndef FB_BENCH_FW_HOST
#define FB_BENCH_FW_HOST ""
#endif
#ifndef FB_BENCH_FW_ARMHF
#define FB_BENCH_FW_ARMHF ""
#endif
#ifndef FB_BENCH_FW_MCU
#define FB_BENCH_FW_MCU ""
#endif

#define N_DISTINCT 50 /* distinct frames, cycled */

static uint16_t *frames[N_DISTINCT];

/* Renders the first frames of the default scenario (a real 256x192 scene with people). */
static int make_frames(fbfw_config *cfg)
{
    char err[512];
    fb_scenario sc;
    if (fb_catalog_load("default", &sc, err, sizeof err)) {
        fprintf(stderr, "fb_link_bench: %s\n", err);
        return -1;
    }
    fb_run_opts o = {.duration_s = 30.0};
    fb_session *s;
    if (fb_session_open(&s, &sc, &o, err, sizeof err) || fb_session_faulted(s)) {
        fprintf(stderr, "fb_link_bench: %s\n", err);
        return -1;
    }
    size_t npx = (size_t)sc.camera.width * (size_t)sc.camera.height;
    /* Skip ahead to when people are in view, then keep every 5th frame. */
    for (int i = 0; i < 400 && fb_session_step(s) > 0; i++)
        ;
    for (int k = 0; k < N_DISTINCT; k++) {
        for (int j = 0; j < 5; j++)
            fb_session_step(s);
        frames[k] = malloc(npx * sizeof(uint16_t));
        if (!frames[k])
            return -1;
        memcpy(frames[k], fb_session_frame_ck(s), npx * sizeof(uint16_t));
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->api_version = FBFW_API_VERSION;
    cfg->width = (uint16_t)sc.camera.width;
    cfg->height = (uint16_t)sc.camera.height;
    cfg->fps_milli = (uint32_t)(sc.camera.fps * 1000.0 + 0.5);
    cfg->focal_px_milli = (uint32_t)(fb_session_world(s)->geom.focal_px * 1000.0 + 0.5);
    cfg->alarm_threshold_ck = 31115;
    cfg->body_offset_ck = 124;
    fb_session_close(s);
    fb_scenario_free(&sc);
    return 0;
}

/* Starts the host firmware on a pty and waits for its link to appear. Returns its pid. */
static pid_t serve_pty(const char *link)
{
    unlink(link);
    pid_t pid = fork();
    if (pid == 0) {
        execl(FB_BENCH_FW_HOST, FB_BENCH_FW_HOST, "--pty", link, (char *)NULL);
        _exit(127);
    }
    struct stat st;
    for (int i = 0; i < 200 && lstat(link, &st) != 0; i++) {
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    return pid;
}

static double bench_sb(const char *label, const char *spec, const fbfw_config *cfg, int n_frames,
                       bool sandbox_off)
{
    char err[512];
    fb_link_opts lo;
    fb_link_opts_default(&lo);
    lo.sandbox_off = sandbox_off;
    fb_link *l;
    int rc = fb_link_open(&l, spec, cfg, &lo, err, sizeof err);
    if (rc) {
        printf("  %-22s failed to open: %s\n", label, err);
        fb_link_close(l);
        return -1;
    }
    static fb_event ev[FB_LINK_MAX_EVENTS];
    int n = 0;
    double t0 = fb_link_now();
    for (int i = 0; i < n_frames && rc == 0; i++)
        rc = fb_link_exchange(l, frames[i % N_DISTINCT], (uint32_t)i, 0, ev, FB_LINK_MAX_EVENTS, &n,
                              err, sizeof err);
    double wall = fb_link_now() - t0;
    if (rc)
        printf("  %-22s FAULT: %s\n", label, err);
    int k;
    while (fb_link_finish(l, ev, FB_LINK_MAX_EVENTS, &k, err, sizeof err) != 0)
        ;
    const fb_link_audit *a = &l->audit;
    double bytes = (double)(a->to_dut.bytes + a->from_dut.bytes + a->frame_port_bytes);
    double frames_done = (double)l->frames_sent;
    if (l->dut_proc_frames > 0) {
        double dut = l->dut_proc_s * frames_done / (double)l->dut_proc_frames;
        double link_share = 1.0 - dut / wall;
        printf("  %-22s %7.1f frames/s  %8.2f MB/s on the link  DUT %6.2f ms/frame  "
               "link %6.3f ms/frame = %5.1f %% of the exchange\n",
               label, frames_done / wall, bytes / wall / 1e6, 1e3 * dut / frames_done,
               1e3 * (wall - dut) / frames_done, 100.0 * link_share);
    } else {
        printf("  %-22s %7.1f frames/s  %8.2f MB/s on the link  (the DUT reports no processing "
               "time)\n",
               label, frames_done / wall, bytes / wall / 1e6);
    }
    fb_link_close(l);
    return rc ? -1 : wall;
}

/* The same link with and without the sandbox, alternately, three times: the best of each (a
 * shared machine's noise only ever adds time), and what the sandbox adds. */
static void sandbox_overhead(const char *link, const char *label_on, const char *label_off,
                             const char *spec, const fbfw_config *cfg, int n_frames)
{
    double on = -1, off = -1;
    for (int r = 0; r < 3; r++) {
        double t1 = bench_sb(label_on, spec, cfg, n_frames, false);
        double t2 = bench_sb(label_off, spec, cfg, n_frames, true);
        on = t1 > 0 && (on < 0 || t1 < on) ? t1 : on;
        off = t2 > 0 && (off < 0 || t2 < off) ? t2 : off;
    }
    if (on > 0 && off > 0)
        printf("  sandbox overhead on the %s link (best of 3 each): %.3f vs %.3f ms/frame = "
               "%+.1f %% of the exchange time\n",
               link, 1e3 * on / n_frames, 1e3 * off / n_frames, 100.0 * (on - off) / off);
}

static void bench(const char *label, const char *spec, const fbfw_config *cfg, int n_frames)
{
    (void)bench_sb(label, spec, cfg, n_frames, false);
}

/* A whole lockstep run of the default scenario (world, render, sensor, DUT, scoring): wall time. */
static double whole_run(const char *spec, double duration_s, uint32_t *n_frames, bool sandbox_off)
{
    char err[512];
    fb_scenario sc;
    if (fb_catalog_load("default", &sc, err, sizeof err))
        return -1;
    fb_stage_times tm = {0};
    fb_run_opts o = {.duration_s = duration_s, .dut_spec = spec, .times = &tm,
                     .sandbox_off = sandbox_off};
    fb_session *s;
    double wall = -1;
    if (fb_session_open(&s, &sc, &o, err, sizeof err) == 0) {
        double t0 = fb_link_now();
        while (fb_session_step(s) > 0)
            ;
        fb_results res;
        fb_run_info info;
        if (fb_session_finish(s, &res, &info) == 0)
            fb_results_free(&res);
        wall = fb_session_faulted(s) ? -1 : fb_link_now() - t0;
        *n_frames = tm.frames;
        fb_session_close(s);
    }
    fb_scenario_free(&sc);
    return wall;
}

int main(int argc, char **argv)
{
    int n_frames = 500;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
            n_frames = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: fb_link_bench [--frames N] [--only inproc|exec|pty|qemu-user|"
                            "qemu-mcu|run]\n");
            return 2;
        }
    }
    if (n_frames < 1)
        n_frames = 1;
    fbfw_config cfg;
    if (make_frames(&cfg))
        return 1;
    printf("feverbench %s link benchmark: %ux%u frames (%u bytes each), lockstep, %d frames per "
           "link\n",
           FB_VERSION_STRING, (unsigned)cfg.width, (unsigned)cfg.height,
           (unsigned)cfg.width * cfg.height * 2u, n_frames);
    char spec[1200], tmpdir[] = "/tmp/fb-link-bench-XXXXXX";
    if (!mkdtemp(tmpdir))
        return 1;
    if (!only || strcmp(only, "inproc") == 0)
        bench("inproc (no link)", "inproc:reference", &cfg, n_frames);
    if ((!only || strcmp(only, "exec") == 0) && FB_BENCH_FW_HOST[0]) {
        snprintf(spec, sizeof spec, "exec:%s", FB_BENCH_FW_HOST);
        sandbox_overhead("exec", "exec (socket pair)", "exec, --sandbox off", spec, &cfg,
                         n_frames);
    }
    if ((!only || strcmp(only, "pty") == 0) && FB_BENCH_FW_HOST[0]) {
        char link[300];
        snprintf(link, sizeof link, "%s/tty", tmpdir);
        pid_t pid = serve_pty(link);
        snprintf(spec, sizeof spec, "serial:%s@921600", link);
        bench("pty (termios)", spec, &cfg, n_frames);
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
        }
        unlink(link);
    }
    if ((!only || strcmp(only, "qemu-user") == 0) && FB_BENCH_FW_ARMHF[0]) {
        snprintf(spec, sizeof spec, "exec:qemu-arm %s", FB_BENCH_FW_ARMHF);
        bench("qemu-user (ARM Linux)", spec, &cfg, n_frames);
    }
    if ((!only || strcmp(only, "qemu-mcu") == 0) && FB_BENCH_FW_MCU[0]) {
        snprintf(spec, sizeof spec, "qemu-mcu:%s", FB_BENCH_FW_MCU);
        /* QEMU runs in the exec DUT's sandbox */
        sandbox_overhead("qemu-mcu", "qemu-mcu (Cortex-M3)", "qemu-mcu, --sandbox off", spec,
                         &cfg, n_frames < 200 ? n_frames : 200);
    }
    if ((!only || strcmp(only, "run") == 0) && FB_BENCH_FW_HOST[0]) {
        /* What the link costs a real run: the same lockstep run in process and over exec. The
         * process DUT works on frame n while the bench renders frame n+1 (lookahead 1). */
        uint32_t f1 = 0, f2 = 0;
        snprintf(spec, sizeof spec, "exec:%s", FB_BENCH_FW_HOST);
        uint32_t f3 = 0;
        double t_in = -1, t_ex = -1, t_off = -1; /* best of 3 each, interleaved */
        for (int r = 0; r < 3; r++) {
            double a1 = whole_run("inproc:reference", 40.0, &f1, false);
            double a2 = whole_run(spec, 40.0, &f2, false);
            double a3 = whole_run(spec, 40.0, &f3, true);
            t_in = a1 > 0 && (t_in < 0 || a1 < t_in) ? a1 : t_in;
            t_ex = a2 > 0 && (t_ex < 0 || a2 < t_ex) ? a2 : t_ex;
            t_off = a3 > 0 && (t_off < 0 || a3 < t_off) ? a3 : t_off;
        }
        if (t_in > 0 && t_ex > 0)
            printf("  whole lockstep run, default scenario, %u frames: inproc %.3f s, exec %.3f s "
                   "-> the link adds %.3f ms/frame = %.1f %% of the run over exec\n",
                   (unsigned)f2, t_in, t_ex, 1e3 * (t_ex - t_in) / (f2 ? f2 : 1),
                   100.0 * (t_ex - t_in) / t_ex);
        if (t_ex > 0 && t_off > 0)
            printf("  the same run over exec with the sandbox %.3f s, --sandbox off %.3f s -> the "
                   "sandbox adds %+.1f %% (start-up included)\n",
                   t_ex, t_off, 100.0 * (t_ex - t_off) / t_off);
    }
    rmdir(tmpdir);
    for (int k = 0; k < N_DISTINCT; k++)
        free(frames[k]);
    return 0;
}
