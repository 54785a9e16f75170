/* test_replay_evidence.c — a recording is evidence, not a verdict: replay takes criteria from the scenario, refuses forgeries, applies the link's event checks and exits as `run` would. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "util/hash.h"
#include "record/record.h"
#include "run/run.h"
#include "world/world.h"
#include "forge.h"

/* single-slow with a skin limit no reading meets: the honest run fails its criteria. */
static const char strict_json[] =
    "{\"name\": \"strict\", \"seed\": 3, \"duration_s\": 16, \"camera\": \"turret-256\",\n"
    " \"blackbody\": {\"set_c\": 35.0, \"emissivity\": 0.98, \"position_m\": [0.5, 2.8, 1.55],"
    " \"aperture_m\": 0.07},\n"
    " \"subjects\": [{\"id\": \"walker\", \"enter_s\": 0.5, \"start_distance_m\": 8,"
    " \"speed_mps\": 0.6, \"lateral_m\": 0, \"height_m\": 1.75, \"core_c\": 36.8,"
    " \"canthus_offset_c\": 1.24}],\n"
    " \"dut\": {\"spec\": \"reference\"},\n"
    " \"criteria\": {\"detection_rate_min\": 1.0, \"skin_mae_max_c\": 0.0001}}\n";

/* Replays path (scenario: NULL for the recorded one) and checks its status and stderr. */
static void expect_replay(const char *tmp, const char *path, const char *scenario, int status,
                          const char *msg)
{
    char log[400];
    snprintf(log, sizeof log, "%s/stderr.txt", tmp);
    fflush(stderr);
    int saved = dup(2);
    FILE *f = freopen(log, "w", stderr);
    CHECK(f != NULL);
    fb_replay_opts o = {.scenario = scenario};
    int st = fb_replay(path, &o, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *in = fopen(log, "r");
    char text[4000] = "";
    size_t got = in ? fread(text, 1, sizeof text - 1, in) : 0;
    text[got] = '\0';
    if (in)
        fclose(in);
    printf("replay %s: exit %d: %s", strrchr(path, '/') + 1, st, got ? text : "(silent)\n");
    CHECK_EQ_INT(st, status);
    CHECK(msg == NULL || strstr(text, msg) != NULL);
    if (msg && !strstr(text, msg))
        fprintf(stderr, "  expected \"%s\" in the message\n", msg);
}

int main(void)
{
    char tmp[] = "/tmp/fb_evidence.XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char scen[300], rec[300], forged[300], err[600];
    snprintf(scen, sizeof scen, "%s/strict.json", tmp);
    snprintf(rec, sizeof rec, "%s/strict.fbrec", tmp);
    FILE *f = fopen(scen, "w");
    CHECK(f && fputs(strict_json, f) >= 0);
    fclose(f);

    /* The honest run fails its skin limit, and so does its replay. */
    fb_scenario sc;
    CHECK(fb_catalog_load(scen, &sc, err, sizeof err) == 0);
    fb_run_opts o = {.record_path = rec};
    CHECK_EQ_INT(fb_run(&sc, &o, NULL), FB_EXIT_FAIL);
    fb_scenario_free(&sc);
    expect_replay(tmp, rec, NULL, FB_EXIT_FAIL, NULL);
    /* Judged by another scenario (single-slow, whose criteria it would pass): refused. */
    expect_replay(tmp, rec, "single-slow", FB_EXIT_USAGE, "it is not the scenario the run used");

    /* The criteria table removed (hash, CRC and all else intact): refused, never PASS. */
    snprintf(forged, sizeof forged, "%s/no-criteria.fbrec", tmp);
    forgery nc = {.drop_criteria = true};
    CHECK(forge(rec, forged, scen, &nc) == 0);
    expect_replay(tmp, forged, NULL, FB_EXIT_USAGE,
                  "HEAD says criteria.detection_rate_min = nothing, the scenario 1");

    /* An unaltered copy replays as the original (the forging itself changes nothing). */
    snprintf(forged, sizeof forged, "%s/copy.fbrec", tmp);
    forgery none = {0};
    CHECK(forge(rec, forged, scen, &none) == 0);
    expect_replay(tmp, forged, NULL, FB_EXIT_FAIL, NULL);

    /* Events the live link refuses are a DUT fault at their frame in a replay too. */
    static const struct {
        int kind;
        const char *msg;
    } bad[] = {
        {1, "DUT fault at frame 40: DUT sent an event of unknown kind 7 for frame 40"},
        {2, "DUT fault at frame 40: DUT sent alarm flag 7 (expected 0 or 1) for frame 40"},
        {3, "DUT fault at frame 40: DUT sent a face box 20x24+250+10 outside the 256x192 frame"},
        {4, "DUT fault at frame 40: DUT sent more than 64 events for frame 40"},
        {5, "DUT fault at frame 40: DUT reported frame 41 in its answer to frame 40"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(forged, sizeof forged, "%s/bad-event-%d.fbrec", tmp, bad[i].kind);
        forgery fg = {.bad_event = bad[i].kind, .at_frame = 40};
        CHECK(forge(rec, forged, scen, &fg) == 0);
        expect_replay(tmp, forged, NULL, FB_EXIT_DUT_FAULT, bad[i].msg);
    }

    /* Stopped runs: a signal's 128 + N, a bench failure's 2, as `run` exited. */
    snprintf(forged, sizeof forged, "%s/sigterm.fbrec", tmp);
    forgery st = {.stop_reason = "interrupted by signal 15 (Terminated) while the bench waited for "
                                 "FRAME_DONE of frame 9 at frame 10"};
    CHECK(forge(rec, forged, scen, &st) == 0);
    expect_replay(tmp, forged, NULL, FB_EXIT_SIGNAL + SIGTERM,
                  "interrupted by signal 15 (Terminated)");
    snprintf(forged, sizeof forged, "%s/bench.fbrec", tmp);
    forgery be = {.stop_reason = "front-end failed at frame 12: out of memory"};
    CHECK(forge(rec, forged, scen, &be) == 0);
    expect_replay(tmp, forged, NULL, FB_EXIT_USAGE, "front-end failed at frame 12");

    /* A real interrupted run (SIGINT's flag set before the first frame): run and replay 130. */
    char irec[300];
    snprintf(irec, sizeof irec, "%s/interrupted.fbrec", tmp);
    CHECK(fb_catalog_load(scen, &sc, err, sizeof err) == 0);
    volatile sig_atomic_t flag = SIGINT;
    fb_run_opts io = {.record_path = irec, .interrupt = &flag};
    CHECK_EQ_INT(fb_run(&sc, &io, NULL), FB_EXIT_SIGNAL + SIGINT);
    fb_scenario_free(&sc);
    expect_replay(tmp, irec, NULL, FB_EXIT_SIGNAL + SIGINT, "interrupted by signal 2");

    /* The scenario file gone: no criteria to judge by, so no verdict. */
    CHECK(unlink(scen) == 0);
    expect_replay(tmp, rec, NULL, FB_EXIT_USAGE, "give it with --scenario FILE");

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return FBTEST_END();
}
