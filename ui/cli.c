/* cli.c — `feverbench view`: options, the interactive window, and headless screenshots. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <SDL.h>
#include "../models/fb_error.h"
#include "util/progress.h"
#include "run/run.h"
#include "view.h"

#define MAX_SHOTS 64

static const char usage_view[] =
    "usage: feverbench view [SCENARIO | --replay FILE] [options]\n"
    "\n"
    "Shows SCENARIO (a file or a shipped name; default: default) running against the DUT in\n"
    "a window — the thermal image, the truth and what the firmware said — stepping the same\n"
    "frame loop as `feverbench run`. With --replay, shows a recording (`run --record FILE`)\n"
    "at the same frames, without the DUT, judged as `feverbench replay` judges it: by the\n"
    "scenario it was made from, refused when that is not the run's. Press ? in the window\n"
    "for the keys.\n"
    "\n"
    "source:\n"
    "  --replay FILE       show a recording instead of running a scenario\n"
    "  --scenario FILE     with --replay: the scenario that judges it (default: the one\n"
    "                      it names)\n"
    "  --camera FILE       with --replay: that scenario's camera (default: the recorded one)\n"
    "  --dut SPEC          device under test (default: the scenario's)\n"
    "  --seed N            random seed (overrides the scenario's)\n"
    "  --duration S        simulated seconds (overrides the scenario's)\n"
    "  --threads N         draw each frame's 3D people with N threads (1..64, default 1),\n"
    "                      and the next frame while this one is shown; the same frames for\n"
    "                      every N\n"
    "look:\n"
    "  --palette NAME      iron (default), rainbow, white-hot, black-hot\n"
    "  --span auto|LO:HI   colour span in °C: automatic per frame (default) or fixed\n"
    "  --overlays LIST     comma-separated: truth,dut,blackbody,zone,isotherm, all or none\n"
    "                      (default: truth,dut,blackbody,zone)\n"
    "  --size WxH          window or picture size in pixels (default 1280x720)\n"
    "  --speed X           initial speed: 1 = sensor rate, 0.25 = slow motion, max\n"
    "  --paused            start paused\n"
    "  --spot X,Y          spot meter at camera pixel X,Y (else: under the mouse pointer)\n"
    "  --shot-dir DIR      where the s key writes screenshots (default: .)\n"
    "headless (no window, no display needed; the same drawing on an off-screen surface):\n"
    "  --screenshot AT OUT.png   write the picture the window shows at AT; repeatable\n"
    "  --sequence EVERY DIR      write DIR/frame-NNNNNN.png every EVERY until the end\n"
    "                      AT and EVERY are a frame number (\"250\": frame 250, counted\n"
    "                      from 0) or seconds with an s (\"10s\": frame floor(10 x fps))\n"
    "  --trace             print a line on stdout at every state change (for tests)\n"
    "\n"
    "exit status: 0 ok, 2 bad input or usage (or no display for a window, or a damaged\n"
    "recording: --sequence and --screenshot stop at the damaged frame with its offset)\n";

typedef struct shot {
    double at;       /* frames, or seconds when secs */
    bool secs;
    const char *out;
    uint32_t frame;  /* resolved */
} shot;

static int parse_at(const char *s, shot *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v < 0 || v > 1e9)
        return -1;
    out->secs = false;
    if (*end == 's') {
        out->secs = true;
        end++;
    } else if (v != floor(v)) {
        return -1; /* a frame number is an integer */
    }
    if (*end)
        return -1;
    out->at = v;
    return 0;
}

static uint32_t at_frame(const shot *s, double fps)
{
    double f = s->secs ? floor(s->at * fps + 1e-9) : s->at;
    return f >= 4294967295.0 ? UINT32_MAX - 1 : (uint32_t)f;
}

static int cmp_shot(const void *a, const void *b)
{
    const shot *x = a, *y = b;
    return (x->frame > y->frame) - (x->frame < y->frame);
}

static unsigned parse_overlays(const char *s, bool *ok)
{
    unsigned m = 0;
    *ok = true;
    char buf[200];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (strcmp(tok, "truth") == 0)
            m |= FB_OV_TRUTH;
        else if (strcmp(tok, "dut") == 0)
            m |= FB_OV_DUT;
        else if (strcmp(tok, "blackbody") == 0)
            m |= FB_OV_BLACKBODY;
        else if (strcmp(tok, "zone") == 0)
            m |= FB_OV_ZONE;
        else if (strcmp(tok, "isotherm") == 0)
            m |= FB_OV_ISOTHERM;
        else if (strcmp(tok, "all") == 0)
            m |= FB_OV_ALL;
        else if (strcmp(tok, "none") != 0)
            *ok = false;
    }
    return m;
}

static const char *need(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "feverbench view: %s needs a value (see `feverbench view --help`)\n", opt);
        return NULL;
    }
    return argv[++*i];
}

static bool is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int bad(const char *opt, const char *v, const char *what)
{
    fprintf(stderr, "feverbench view: %s: \"%s\" is not %s\n", opt, v, what);
    return FB_EXIT_USAGE;
}

/* Headless: steps to each picture's frame and writes it. */
static int headless(fb_viewer *v, shot *shots, size_t n_shots, const shot *seq, const char *seq_dir,
                    double fps)
{
    char err[700];
    for (size_t i = 0; i < n_shots; i++)
        shots[i].frame = at_frame(&shots[i], fps);
    qsort(shots, n_shots, sizeof *shots, cmp_shot);
    for (size_t i = 0; i < n_shots; i++) {
        if (fb_viewer_seek(v, shots[i].frame, err, sizeof err)) {
            fprintf(stderr, "feverbench view: --screenshot %s: %s\n", shots[i].out, err);
            return FB_EXIT_USAGE;
        }
        fb_viewer_draw(v);
        if (fb_viewer_save_png(v, shots[i].out, err, sizeof err)) {
            fprintf(stderr, "feverbench view: %s\n", err);
            return FB_EXIT_USAGE;
        }
        printf("feverbench view: frame %u -> %s\n", (unsigned)shots[i].frame, shots[i].out);
    }
    if (seq) {
        double every = seq->secs ? seq->at * fps : seq->at;
        if (!(every >= 1)) {
            fprintf(stderr, "feverbench view: --sequence: the interval is less than one frame\n");
            return FB_EXIT_USAGE;
        }
        if (mkdir(seq_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "feverbench view: %s: cannot create directory: %s\n", seq_dir,
                    strerror(errno));
            return FB_EXIT_USAGE;
        }
        size_t written = 0;
        fb_progress pg;
        fb_progress_start(&pg, "view --sequence", false);
        for (double f = 0;; f += every) {
            uint32_t frame = (uint32_t)floor(f + 1e-9);
            fb_progress_update(&pg, frame, fb_viewer_frames_planned(v), fps);
            int rc = fb_viewer_seek(v, frame, err, sizeof err);
            if (rc == FB_ERR_RANGE)
                break; /* the end of the run */
            if (rc) { /* a damaged recording, a DUT or front-end that failed: never silent */
                fb_progress_end(&pg);
                fprintf(stderr, "feverbench view: --sequence: frame %u: %s (%zu pictures written)\n",
                        (unsigned)frame, err, written);
                return FB_EXIT_USAGE;
            }
            fb_viewer_draw(v);
            char path[1200];
            snprintf(path, sizeof path, "%s/frame-%06u.png", seq_dir, (unsigned)frame);
            if (fb_viewer_save_png(v, path, err, sizeof err)) {
                fb_progress_end(&pg);
                fprintf(stderr, "feverbench view: %s\n", err);
                return FB_EXIT_USAGE;
            }
            written++;
        }
        fb_progress_end(&pg);
        printf("feverbench view: %zu pictures in %s\n", written, seq_dir);
    }
    return FB_EXIT_PASS;
}

int fb_view_main(int argc, char **argv)
{
    fb_viewer_opts o = {.palette = FB_PAL_IRON,
                        .overlays = FB_OV_TRUTH | FB_OV_DUT | FB_OV_BLACKBODY | FB_OV_ZONE};
    shot shots[MAX_SHOTS], seq;
    size_t n_shots = 0;
    bool have_seq = false;
    const char *seq_dir = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_view, stdout);
            return FB_EXIT_PASS;
        } else if (is_opt(a, "--replay")) {
            if (!(o.replay = need(argc, argv, &i, "--replay")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--scenario")) {
            if (!(o.replay_scenario = need(argc, argv, &i, "--scenario")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--camera")) {
            if (!(o.replay_camera = need(argc, argv, &i, "--camera")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--dut")) {
            if (!(o.dut_spec = need(argc, argv, &i, "--dut")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--seed")) {
            if (!(v = need(argc, argv, &i, "--seed")))
                return FB_EXIT_USAGE;
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (!*v || *v == '-' || *end || errno || s > (1ull << 53))
                return bad("--seed", v, "an integer in 0..2^53");
            o.seed = s;
            o.seed_set = true;
        } else if (is_opt(a, "--duration")) {
            if (!(v = need(argc, argv, &i, "--duration")))
                return FB_EXIT_USAGE;
            char *end;
            o.duration_s = strtod(v, &end);
            if (*end || !(o.duration_s > 0) || o.duration_s > 86400)
                return bad("--duration", v, "a number of seconds in (0, 86400]");
        } else if (is_opt(a, "--threads")) {
            if (!(v = need(argc, argv, &i, "--threads")))
                return FB_EXIT_USAGE;
            char *end;
            errno = 0;
            long n = strtol(v, &end, 10);
            if (!*v || *end || errno || n < 1 || n > FB_POOL_MAX_THREADS)
                return bad("--threads", v, "an integer in 1..64");
            o.threads = (int)n;
        } else if (is_opt(a, "--palette")) {
            if (!(v = need(argc, argv, &i, "--palette")))
                return FB_EXIT_USAGE;
            o.palette = fb_palette_find(v);
            if (o.palette == FB_PAL_COUNT)
                return bad("--palette", v, "iron, rainbow, white-hot or black-hot");
        } else if (is_opt(a, "--span")) {
            if (!(v = need(argc, argv, &i, "--span")))
                return FB_EXIT_USAGE;
            if (strcmp(v, "auto") != 0) {
                char *end;
                o.span_lo_c = strtod(v, &end);
                if (*end != ':')
                    return bad("--span", v, "auto or LO:HI in °C");
                o.span_hi_c = strtod(end + 1, &end);
                if (*end || !isfinite(o.span_lo_c) || !isfinite(o.span_hi_c) ||
                    !(o.span_hi_c > o.span_lo_c) || o.span_lo_c < -100 || o.span_hi_c > 500)
                    return bad("--span", v, "auto or LO:HI in °C with LO < HI");
                o.span_fixed = true;
            }
        } else if (is_opt(a, "--overlays")) {
            if (!(v = need(argc, argv, &i, "--overlays")))
                return FB_EXIT_USAGE;
            bool ok;
            o.overlays = parse_overlays(v, &ok);
            if (!ok)
                return bad("--overlays", v, "a list of truth, dut, blackbody, zone, isotherm");
        } else if (is_opt(a, "--size")) {
            if (!(v = need(argc, argv, &i, "--size")))
                return FB_EXIT_USAGE;
            char x;
            int w, h, n = 0;
            if (sscanf(v, "%d%c%d%n", &w, &x, &h, &n) != 3 || x != 'x' || v[n] || w < 320 ||
                h < 200 || w > 8192 || h > 8192)
                return bad("--size", v, "WxH with W in 320..8192 and H in 200..8192");
            o.width = w;
            o.height = h;
        } else if (is_opt(a, "--speed")) {
            if (!(v = need(argc, argv, &i, "--speed")))
                return FB_EXIT_USAGE;
            char *end;
            if (strcmp(v, "max") == 0) {
                o.speed = -1;
            } else {
                o.speed = strtod(v, &end);
                if (*end || !(o.speed > 0) || o.speed > 1000)
                    return bad("--speed", v, "a factor > 0 or max");
            }
        } else if (strcmp(a, "--paused") == 0) {
            o.start_paused = true;
        } else if (is_opt(a, "--spot")) {
            if (!(v = need(argc, argv, &i, "--spot")))
                return FB_EXIT_USAGE;
            int n = 0;
            if (sscanf(v, "%d,%d%n", &o.spot_x, &o.spot_y, &n) != 2 || v[n] || o.spot_x < 0 ||
                o.spot_y < 0)
                return bad("--spot", v, "X,Y (camera pixels)");
            o.spot_set = true;
        } else if (is_opt(a, "--shot-dir")) {
            if (!(o.shot_dir = need(argc, argv, &i, "--shot-dir")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--font-dir")) {
            if (!(o.font_dir = need(argc, argv, &i, "--font-dir")))
                return FB_EXIT_USAGE;
        } else if (strcmp(a, "--screenshot") == 0) {
            if (i + 2 >= argc) {
                fprintf(stderr, "feverbench view: --screenshot needs AT and OUT.png\n");
                return FB_EXIT_USAGE;
            }
            if (n_shots == MAX_SHOTS) {
                fprintf(stderr, "feverbench view: at most %d --screenshot options\n", MAX_SHOTS);
                return FB_EXIT_USAGE;
            }
            if (parse_at(argv[i + 1], &shots[n_shots]))
                return bad("--screenshot", argv[i + 1], "a frame number or seconds (\"10s\")");
            shots[n_shots++].out = argv[i + 2];
            i += 2;
        } else if (strcmp(a, "--sequence") == 0) {
            if (i + 2 >= argc) {
                fprintf(stderr, "feverbench view: --sequence needs EVERY and DIR\n");
                return FB_EXIT_USAGE;
            }
            if (parse_at(argv[i + 1], &seq) || !(seq.at > 0))
                return bad("--sequence", argv[i + 1], "a number of frames or seconds (\"0.5s\") > 0");
            seq_dir = argv[i + 2];
            have_seq = true;
            i += 2;
        } else if (strcmp(a, "--trace") == 0) {
            o.trace = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench view: unknown option %s (see `feverbench view --help`)\n", a);
            return FB_EXIT_USAGE;
        } else if (!o.scenario) {
            o.scenario = a;
        } else {
            fprintf(stderr, "feverbench view: one scenario at a time (got \"%s\" and \"%s\")\n",
                    o.scenario, a);
            return FB_EXIT_USAGE;
        }
    }
    if (o.replay && (o.scenario || o.dut_spec || o.seed_set || o.duration_s > 0)) {
        fprintf(stderr, "feverbench view: --replay shows a recording as it was: no SCENARIO, "
                        "--dut, --seed or --duration with it\n");
        return FB_EXIT_USAGE;
    }
    if (!o.replay && (o.replay_scenario || o.replay_camera)) {
        fprintf(stderr, "feverbench view: --scenario and --camera choose what judges a "
                        "recording: they go with --replay (a live view takes SCENARIO)\n");
        return FB_EXIT_USAGE;
    }
    o.headless = n_shots > 0 || have_seq;

    char err[1024];
    fb_viewer *v;
    int rc = fb_viewer_open(&v, &o, err, sizeof err);
    if (rc) {
        fprintf(stderr, "feverbench view: %s\n", err);
        SDL_Quit();
        return rc == FB_ERR_DUT ? FB_EXIT_DUT_FAULT : FB_EXIT_USAGE;
    }
    int status;
    if (o.headless)
        status = headless(v, shots, n_shots, have_seq ? &seq : NULL, seq_dir, fb_viewer_fps(v));
    else
        status = fb_viewer_run(v);
    fb_viewer_close(v);
    SDL_Quit();
    return status;
}
