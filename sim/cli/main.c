/* main.c — the feverbench command line: run, validate, list, view, replay, frames, evaluate, sweep, compare, --version. */
#include <errno.h>
#include <cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "scenario/catalog.h"
#include "scenario/embedded.h"
#include "eval/compare.h"
#include "eval/evaluate.h"
#include "eval/sweep.h"
#include "run/frames.h"
#include "link/link.h"
#include "record/record.h"
#include "util/heap.h"
#include "util/interrupt.h"
#include "run/run.h"
#include "scenario/scenario.h"
#ifdef FB_HAVE_UI
#include "../ui/view.h"
#endif

#define DEFAULT_SCENARIO "default"

static const char usage_main[] =
    "usage: feverbench [--version] [--help] COMMAND [ARGS]\n"
    "\n"
    "Hardware-in-the-loop test bench for thermal fever-screening cameras.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]          run a scenario against a DUT and score it (default: " DEFAULT_SCENARIO ")\n"
    "  validate SCENARIO...    check scenario or camera profile files without running\n"
    "  list                    shipped scenarios, camera profiles and DUT transports\n"
    "  view [SCENARIO]         watch a scenario in a window: thermal image, truth, the DUT's events\n"
    "  replay FILE             re-score a recording (run --record FILE) without the DUT\n"
    "  frames SCENARIO --out DIR  the radiometric frames as 16-bit PNGs (centikelvin) and the\n"
    "                          truth as COCO annotations.json (docs/frames.md)\n"
    "  evaluate                the standard battery against several DUTs and/or cameras: a\n"
    "                          side-by-side report\n"
    "  sweep SCENARIO --set KEY=V1,V2 --out DIR  a parameter grid x seeds, here or on Slurm:\n"
    "                          a study with 95 % intervals (docs/campaigns.md)\n"
    "  compare BASE NEW        two runs' results.json or two evaluations' report.json, metric by\n"
    "                          metric with tolerances: better / same / worse (docs/compare.md)\n"
    "\n"
    "SCENARIO is a file path or the name of a shipped scenario (see `feverbench list`).\n"
    "`feverbench COMMAND --help` describes a command.\n"
    "\n"
    "exit status: 0 pass, 1 criteria failed, 2 bad input or usage, 3 DUT fault\n";

static const char usage_run[] =
    "usage: feverbench run [SCENARIO] [--seed N] [--duration S] [--out DIR] [--dut SPEC]\n"
    "                      [--camera NAME|PATH] [--frontend NAME] [--people MODEL]\n"
    "                      [--pacing lockstep|realtime] [--threads N] [--quiet]\n"
    "\n"
    "Runs SCENARIO (a file, or a shipped scenario's name; default: " DEFAULT_SCENARIO ")\n"
    "headless against the DUT and prints a scorecard on stdout.\n"
    "\n"
    "  --seed N        random seed (overrides the scenario's \"seed\"); same seed, same results\n"
    "  --duration S    simulated seconds (overrides \"duration_s\")\n"
    "  --out DIR       write DIR/results.json, DIR/junit.xml, DIR/events.jsonl, DIR/truth.jsonl\n"
    "  --camera C      run on camera profile C instead of the scenario's \"camera\": a shipped\n"
    "                  profile's name (see `feverbench list`) or a profile file; nothing else\n"
    "                  changes (the blackbody's pixel box follows from the new geometry)\n"
    "  --frontend NAME the camera pipeline: model (C golden model) or rtl (Verilog via Verilator)\n"
    "  --people MODEL  how people are drawn: 3d (the default) or template (the flat 2D template)\n"
    "  --threads N     draw each frame's 3D people with N threads (1..64, default 1), and the\n"
    "                  next frame while this one is scored; frames, events, results.json and\n"
    "                  recordings are byte-identical for every N\n"
    "  --dut SPEC      device under test, TRANSPORT:ARG (default: the scenario's \"dut\".\"spec\");\n"
    "                  transports: see `feverbench list`\n"
    "  --pacing P      lockstep (wait for each frame's answer; exact) or realtime (frames at the\n"
    "                  sensor rate by the wall clock); default: the scenario's \"dut\".\"pacing\"\n"
    "  --sandbox MODE  on (default) or off: process DUTs (exec:, qemu-user) run in a sandbox that\n"
    "                  records and denies what a firmware has no business doing\n"
    "                  (docs/security.md); off is for debugging and every report says so\n"
    "  --quiet         no scorecard on stdout and no progress line (shown on a terminal only)\n"
    "  --record FILE   also write FILE: frames, truth and events, for `feverbench replay FILE`\n"
    "                  and `feverbench view --replay FILE` (docs/recording.md)\n"
    "\n"
    "exit status: 0 pass, 1 criteria failed, 2 bad input or usage (an unknown scenario or camera,\n"
    "             a bad option), 3 DUT fault, 128+N interrupted by signal N (results so far written,\n"
    "             marked incomplete)\n";

static const char usage_frames[] =
    "usage: feverbench frames SCENARIO --out DIR [--every N] [--frames A:B] [--seed N]\n"
    "                         [--duration S] [--camera NAME|PATH] [--frontend NAME]\n"
    "                         [--threads N] [--quiet]\n"
    "\n"
    "Runs SCENARIO through the bench's frame loop without a DUT and writes the radiometric frames\n"
    "the firmware would receive: DIR/frames/NNNNNN.png (16-bit grayscale, pixel value =\n"
    "temperature in 0.01 K, lossless; NNNNNN = frame number) and DIR/annotations.json (COCO\n"
    "object detection: person and face boxes, face keypoints, true temperatures; docs/frames.md).\n"
    "\n"
    "  --out DIR       where to write (created if missing; files of the same names are replaced)\n"
    "  --every N       write every N-th frame of the selection (default 1: all)\n"
    "  --frames A:B    frames A to B-1 only (either may be left out: 250:, :100); the run still\n"
    "                  simulates from frame 0\n"
    "  --seed N, --duration S, --camera C, --frontend NAME, --people MODEL, --threads N\n"
    "                  as for `feverbench run`\n"
    "  --quiet         no progress line (shown on a terminal only)\n"
    "\n"
    "Same seed, same build: byte-identical PNGs and annotations.json.\n"
    "\n"
    "exit status: 0 written, 2 bad input or usage (an unknown scenario or camera, a bad option, no\n"
    "             frames selected, DIR not writable, a front-end failure), 128+N interrupted by\n"
    "             signal N (annotations.json lists the frames written so far, complete: false)\n";

static const char usage_replay[] =
    "usage: feverbench replay FILE [--scenario SCENARIO] [--camera NAME|PATH] [--out DIR] [--quiet]\n"
    "\n"
    "Re-scores a recording made by `feverbench run --record FILE` without the DUT: the same\n"
    "truth and events go through the scorer again, after the checks the live link applies to\n"
    "every event. Criteria come from the scenario, never from the recording: replay refuses a\n"
    "scenario whose hash is not the recorded one (docs/recording.md).\n"
    "\n"
    "  --scenario S    the scenario the run used (default: the file or shipped scenario the\n"
    "                  recording names)\n"
    "  --camera C      the camera profile the run's --camera named (default: the recorded\n"
    "                  camera's shipped profile)\n"
    "  --out DIR       write DIR/results.json, DIR/junit.xml, DIR/events.jsonl, DIR/truth.jsonl\n"
    "  --quiet         no scorecard on stdout\n"
    "\n"
    "exit status: the original run's (0 pass, 1 criteria failed, 3 DUT fault, 128+N stopped by\n"
    "signal N, 2 stopped by the bench); 3 when an event breaks the link's rules; 2 for a\n"
    "damaged file or a scenario that does not match\n";

static const char usage_validate[] =
    "usage: feverbench validate [--camera NAME|PATH] FILE...\n"
    "\n"
    "Loads and validates each scenario (or camera profile, for files in a cameras/ folder)\n"
    "without running it. Prints one line per file; errors as FILE:LINE:COL: PATH: message.\n"
    "\n"
    "  --camera C      check the scenarios as `run --camera C` would run them\n"
    "\n"
    "exit status: 0 all valid, 2 any invalid (or an unknown camera)\n";

static const char usage_list[] =
    "usage: feverbench list\n"
    "\n"
    "Lists the shipped scenarios and camera profiles (compiled into this binary) with one line\n"
    "each, and the DUT transports.\n";

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

/* Loads SCENARIO (file or shipped name); prints the error. */
static int load_scenario(const char *arg, fb_scenario *sc)
{
    char err[1024];
    int rc = fb_catalog_load(arg, sc, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    return rc;
}

/* --camera: runs sc on another camera profile; prints the error. */
static int set_camera(const char *cmd, fb_scenario *sc, const char *camera)
{
    char err[1024];
    int rc = fb_catalog_set_camera(sc, camera, err, sizeof(err));
    if (rc)
        fprintf(stderr, "feverbench %s: --camera: %s\n", cmd, err);
    return rc;
}

/* Parses a whole-string unsigned integer / positive number; returns 0 on success. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_pos_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > 1e7)
        return -1;
    *out = v;
    return 0;
}

/* Splits "--opt=value" or "--opt value" of command cmd; returns the value or NULL (and
 * complains). */
static const char *cmd_opt_value(const char *cmd, int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "feverbench %s: %s needs a value (see `feverbench %s --help`)\n", cmd, opt,
                cmd);
        return NULL;
    }
    return argv[++*i];
}

static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    return cmd_opt_value("run", argc, argv, i, opt);
}

static int is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* The options `run` and `frames` share: --seed, --duration, --camera, --frontend, --people,
 * --threads. Returns 1 when
 * argv[*i] was one (consumed, with its value), 0 when it is not, -1 after complaining. */
static int session_opt(const char *cmd, int argc, char **argv, int *i, fb_run_opts *o,
                       const char **camera)
{
    const char *a = argv[*i], *v;
    if (is_opt(a, "--seed")) {
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--seed")))
            return -1;
        if (parse_u64(v, &o->seed) || o->seed > (1ull << 53)) {
            fprintf(stderr, "feverbench %s: --seed: \"%s\" is not an integer in 0..2^53\n", cmd, v);
            return -1;
        }
        o->seed_set = true;
    } else if (is_opt(a, "--duration")) {
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--duration")))
            return -1;
        if (parse_pos_double(v, &o->duration_s) || o->duration_s > 86400) {
            fprintf(stderr, "feverbench %s: --duration: \"%s\" is not a number of seconds in (0, 86400]\n",
                    cmd, v);
            return -1;
        }
    } else if (is_opt(a, "--frontend")) {
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--frontend")))
            return -1;
        o->frontend = v;
    } else if (is_opt(a, "--people")) {
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--people")))
            return -1;
        if (strcmp(v, "3d") && strcmp(v, "template")) {
            fprintf(stderr, "feverbench %s: --people: \"%s\" is not template or 3d\n", cmd, v);
            return -1;
        }
        o->people = v;
    } else if (is_opt(a, "--camera")) {
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--camera")))
            return -1;
        *camera = v;
    } else if (is_opt(a, "--threads")) {
        uint64_t n;
        if (!(v = cmd_opt_value(cmd, argc, argv, i, "--threads")))
            return -1;
        if (parse_u64(v, &n) || n < 1 || n > FB_POOL_MAX_THREADS) {
            fprintf(stderr, "feverbench %s: --threads: \"%s\" is not an integer in 1..%d\n", cmd,
                    v, FB_POOL_MAX_THREADS);
            return -1;
        }
        o->threads = (int)n;
    } else {
        return 0;
    }
    return 1;
}

/* SIGINT/SIGTERM stop the session at once, even while it waits on the DUT (sim/util/interrupt.h):
 * what was scored is reported as incomplete (o->interrupt). */
static void catch_signals(fb_run_opts *o)
{
    (void)fb_interrupt_catch();
    o->interrupt = fb_interrupt_flag();
}

static int cmd_run(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_run, stdout);
        return FB_EXIT_PASS;
    }
    fb_run_opts o = {0};
    const char *scenario = NULL, *camera = NULL;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        int so = session_opt("run", argc, argv, &i, &o, &camera);
        if (so < 0)
            return FB_EXIT_USAGE;
        if (so > 0)
            continue;
        if (is_opt(a, "--out")) {
            if (!(v = opt_value(argc, argv, &i, "--out")))
                return FB_EXIT_USAGE;
            o.out_dir = v;
        } else if (is_opt(a, "--dut")) {
            if (!(v = opt_value(argc, argv, &i, "--dut")))
                return FB_EXIT_USAGE;
            o.dut_spec = v;
        } else if (is_opt(a, "--pacing")) {
            if (!(v = opt_value(argc, argv, &i, "--pacing")))
                return FB_EXIT_USAGE;
            fb_pacing p;
            if (fb_pacing_parse(v, &p) != 0) {
                fprintf(stderr, "feverbench run: --pacing: \"%s\" is not lockstep or realtime\n", v);
                return FB_EXIT_USAGE;
            }
            o.pacing = v;
        } else if (is_opt(a, "--sandbox")) {
            if (!(v = opt_value(argc, argv, &i, "--sandbox")))
                return FB_EXIT_USAGE;
            if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
                fprintf(stderr, "feverbench run: --sandbox: \"%s\" is not on or off\n", v);
                return FB_EXIT_USAGE;
            }
            o.sandbox_off = strcmp(v, "off") == 0;
        } else if (is_opt(a, "--record")) {
            if (!(v = opt_value(argc, argv, &i, "--record")))
                return FB_EXIT_USAGE;
            o.record_path = v;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench run: unknown option %s (see `feverbench run --help`)\n", a);
            return FB_EXIT_USAGE;
        } else if (!scenario) {
            scenario = a;
        } else {
            fprintf(stderr, "feverbench run: one scenario at a time (got \"%s\" and \"%s\")\n",
                    scenario, a);
            return FB_EXIT_USAGE;
        }
    }
    fb_scenario sc;
    if (load_scenario(scenario ? scenario : DEFAULT_SCENARIO, &sc))
        return FB_EXIT_USAGE;
    if (camera && set_camera("run", &sc, camera)) {
        fb_scenario_free(&sc);
        return FB_EXIT_USAGE;
    }
    catch_signals(&o);
    char label[96];
    snprintf(label, sizeof(label), "run %s", sc.name);
    o.progress = quiet ? NULL : label;
    int status = fb_run(&sc, &o, quiet ? NULL : stdout);
    fb_scenario_free(&sc);
    return status;
}

/* --frames A:B (either side may be empty) -> first, end; returns 0 on success. */
static int parse_frame_range(const char *v, uint32_t *first, uint32_t *end)
{
    const char *colon = strchr(v, ':');
    if (!colon)
        return -1;
    char a[32], b[32];
    size_t na = (size_t)(colon - v), nb = strlen(colon + 1);
    if (na >= sizeof(a) || nb >= sizeof(b))
        return -1;
    memcpy(a, v, na);
    a[na] = '\0';
    memcpy(b, colon + 1, nb + 1);
    uint64_t x = 0, y = 0;
    if ((na && (parse_u64(a, &x) || x >= UINT32_MAX)) || (nb && (parse_u64(b, &y) || y >= UINT32_MAX)))
        return -1;
    if (nb && y <= x)
        return -1;
    *first = (uint32_t)x;
    *end = (uint32_t)y;
    return 0;
}

static int cmd_frames(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_frames, stdout);
        return FB_EXIT_PASS;
    }
    fb_run_opts o = {0};
    fb_frames_opts fo = {.every = 1};
    const char *scenario = NULL, *camera = NULL;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v;
        int so = session_opt("frames", argc, argv, &i, &o, &camera);
        if (so < 0)
            return FB_EXIT_USAGE;
        if (so > 0)
            continue;
        if (is_opt(a, "--out")) {
            if (!(v = cmd_opt_value("frames", argc, argv, &i, "--out")))
                return FB_EXIT_USAGE;
            if (!*v) {
                fprintf(stderr, "feverbench frames: --out: empty directory name\n");
                return FB_EXIT_USAGE;
            }
            fo.out_dir = v;
        } else if (is_opt(a, "--every")) {
            uint64_t n;
            if (!(v = cmd_opt_value("frames", argc, argv, &i, "--every")))
                return FB_EXIT_USAGE;
            if (parse_u64(v, &n) || n < 1 || n > 1000000) {
                fprintf(stderr, "feverbench frames: --every: \"%s\" is not an integer in 1..1000000\n", v);
                return FB_EXIT_USAGE;
            }
            fo.every = (uint32_t)n;
        } else if (is_opt(a, "--frames")) {
            if (!(v = cmd_opt_value("frames", argc, argv, &i, "--frames")))
                return FB_EXIT_USAGE;
            if (parse_frame_range(v, &fo.first, &fo.end)) {
                fprintf(stderr, "feverbench frames: --frames: \"%s\" is not A:B (frame numbers, "
                                "A < B, B excluded; either may be left out)\n", v);
                return FB_EXIT_USAGE;
            }
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench frames: unknown option %s (see `feverbench frames --help`)\n", a);
            return FB_EXIT_USAGE;
        } else if (!scenario) {
            scenario = a;
        } else {
            fprintf(stderr, "feverbench frames: one scenario at a time (got \"%s\" and \"%s\")\n",
                    scenario, a);
            return FB_EXIT_USAGE;
        }
    }
    if (!scenario || !fo.out_dir) {
        fprintf(stderr, "feverbench frames: %s\n%s", !scenario ? "which SCENARIO?" : "--out DIR is required",
                usage_frames);
        return FB_EXIT_USAGE;
    }
    fb_scenario sc;
    if (load_scenario(scenario, &sc))
        return FB_EXIT_USAGE;
    if (camera && set_camera("frames", &sc, camera)) {
        fb_scenario_free(&sc);
        return FB_EXIT_USAGE;
    }
    catch_signals(&o);
    char label[96];
    snprintf(label, sizeof(label), "frames %s", sc.name);
    o.progress = quiet ? NULL : label;
    int status = fb_frames_export(&sc, &o, &fo);
    fb_scenario_free(&sc);
    return status;
}

static int cmd_replay(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_replay, stdout);
        return FB_EXIT_PASS;
    }
    fb_replay_opts o = {0};
    const char *file = NULL;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_opt(a, "--out")) {
            if (a[5] == '=') {
                o.out_dir = a + 6;
            } else if (i + 1 < argc) {
                o.out_dir = argv[++i];
            } else {
                fprintf(stderr, "feverbench replay: --out needs a value\n");
                return FB_EXIT_USAGE;
            }
        } else if (is_opt(a, "--scenario")) {
            if (!(o.scenario = cmd_opt_value("replay", argc, argv, &i, "--scenario")))
                return FB_EXIT_USAGE;
        } else if (is_opt(a, "--camera")) {
            if (!(o.camera = cmd_opt_value("replay", argc, argv, &i, "--camera")))
                return FB_EXIT_USAGE;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench replay: unknown option %s (see `feverbench replay --help`)\n", a);
            return FB_EXIT_USAGE;
        } else if (!file) {
            file = a;
        } else {
            fprintf(stderr, "feverbench replay: one recording at a time (got \"%s\" and \"%s\")\n",
                    file, a);
            return FB_EXIT_USAGE;
        }
    }
    if (!file) {
        fputs(usage_replay, stderr);
        return FB_EXIT_USAGE;
    }
    return fb_replay(file, &o, quiet ? NULL : stdout);
}

static int cmd_view(int argc, char **argv)
{
#ifdef FB_HAVE_UI
    return fb_view_main(argc, argv);
#else
    (void)argc;
    (void)argv;
    fprintf(stderr, "feverbench view: this feverbench was built without the viewer (needs SDL2, "
                    "SDL2_ttf and libpng at build time, and -DFB_UI=ON)\n");
    return FB_EXIT_USAGE;
#endif
}

static int cmd_validate(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_validate, stdout);
        return FB_EXIT_PASS;
    }
    const char *camera = NULL;
    int n_files = 0;
    for (int i = 0; i < argc; i++) {
        if (is_opt(argv[i], "--camera")) {
            if (argv[i][8] == '=') {
                camera = argv[i] + 9;
            } else if (i + 1 < argc) {
                camera = argv[++i];
            } else {
                fprintf(stderr, "feverbench validate: --camera needs a value\n");
                return FB_EXIT_USAGE;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "feverbench validate: unknown option %s (see `feverbench validate --help`)\n",
                    argv[i]);
            return FB_EXIT_USAGE;
        } else {
            n_files++;
        }
    }
    if (n_files == 0) {
        fputs(usage_validate, stderr);
        return FB_EXIT_USAGE;
    }
    if (camera) { /* an unknown camera is one error, not one per file */
        fb_camera_profile cam;
        char err[1024];
        if (fb_catalog_camera(camera, &cam, NULL, err, sizeof(err))) {
            fprintf(stderr, "feverbench validate: --camera: %s\n", err);
            return FB_EXIT_USAGE;
        }
    }
    int bad = 0;
    for (int i = 0; i < argc; i++) {
        char err[1024];
        if (is_opt(argv[i], "--camera")) {
            i += argv[i][8] != '='; /* its value is not a file */
            continue;
        }
        const char *kind = fb_catalog_not_regular(argv[i]);
        if (kind) { /* never opened: a FIFO without a writer would block */
            fprintf(stderr, "%s: not a scenario file: it is %s\n", argv[i], kind);
            bad = 1;
            continue;
        }
        if (strstr(argv[i], "cameras/")) {
            fb_camera_profile cam;
            if (fb_camera_profile_load(argv[i], &cam, err, sizeof(err))) {
                fprintf(stderr, "%s\n", err);
                bad = 1;
            } else {
                printf("ok  %s  camera %s, %dx%d, %.3g fps\n", argv[i], cam.name, cam.width,
                       cam.height, cam.fps);
            }
            continue;
        }
        fb_scenario sc;
        if (fb_scenario_load(argv[i], &sc, err, sizeof(err))) {
            fprintf(stderr, "%s\n", err);
            bad = 1;
            continue;
        }
        if (camera && set_camera("validate", &sc, camera)) {
            fb_scenario_free(&sc);
            bad = 1;
            continue;
        }
        printf("ok  %s  scenario %s, %.0f s, camera %s (%dx%d), %zu listed subjects%s\n", argv[i],
               sc.name, sc.duration_s, sc.camera.name, sc.camera.width, sc.camera.height,
               sc.n_subjects, sc.population.enabled ? " + population" : "");
        fb_scenario_free(&sc);
    }
    return bad ? FB_EXIT_USAGE : FB_EXIT_PASS;
}

static void list_line(const fb_embedded_file *f, size_t strip)
{
    cJSON *doc = cJSON_ParseWithLength(f->text, f->len);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "description");
    char name[128];
    snprintf(name, sizeof(name), "%.*s", (int)(strlen(f->path) - strip - 5), f->path + strip);
    printf("  %-24s %s\n", name, cJSON_IsString(d) ? d->valuestring : "");
    cJSON_Delete(doc);
}

static int cmd_list(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_list, stdout);
        return FB_EXIT_PASS;
    }
    if (argc > 0) {
        fprintf(stderr, "feverbench list: takes no arguments (got \"%s\")\n", argv[0]);
        return FB_EXIT_USAGE;
    }
    printf("scenarios (feverbench run NAME):\n");
    for (const fb_embedded_file *f = fb_embedded_files; f->path; f++)
        if (!strchr(f->path, '/'))
            list_line(f, 0);
    printf("\ncamera profiles (\"camera\": \"NAME\" in a scenario, or run/evaluate --camera NAME):\n");
    for (const fb_embedded_file *f = fb_embedded_files; f->path; f++)
        if (strncmp(f->path, "cameras/", 8) == 0)
            list_line(f, 8);
    printf("\nDUT transports (--dut TRANSPORT:ARG):\n");
    for (size_t i = 0; fb_link_transports[i]; i++)
        printf("  %-24s %s\n", fb_link_transports[i]->name, fb_link_transports[i]->help);
    return FB_EXIT_PASS;
}

int main(int argc, char **argv)
{
    fb_heap_keep();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return FB_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("feverbench %s\n", FB_VERSION_STRING);
        return FB_EXIT_PASS;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return FB_EXIT_PASS;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 2, argv + 2);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 2, argv + 2);
    if (strcmp(cmd, "view") == 0)
        return cmd_view(argc - 2, argv + 2);
    if (strcmp(cmd, "replay") == 0)
        return cmd_replay(argc - 2, argv + 2);
    if (strcmp(cmd, "frames") == 0)
        return cmd_frames(argc - 2, argv + 2);
    if (strcmp(cmd, "evaluate") == 0)
        return fb_evaluate_cmd(argc - 2, argv + 2, argv[0]);
    if (strcmp(cmd, "sweep") == 0)
        return fb_sweep_cmd(argc - 2, argv + 2, argv[0]);
    if (strcmp(cmd, "compare") == 0)
        return fb_compare_cmd(argc - 2, argv + 2);
    fprintf(stderr, "feverbench: unknown command \"%s\" (expected run, validate, list, view, replay, frames, evaluate or sweep; see --help)\n",
            cmd);
    return FB_EXIT_USAGE;
}
