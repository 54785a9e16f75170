/* test_session.c — the reference firmware on the shipped scenarios, and per-entity random streams. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "scenario/catalog.h"
#include "scenario/embedded.h"
#include "fbtest.h"
#include "run/run.h"
#include "world/world.h"

/* Under AddressSanitizer (10-20x slower) the runs are capped at SANITIZER_CAP_S simulated
 * seconds: that build looks for memory errors and faults; the criteria are judged on the full
 * runs of the release build. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD 0
#endif
#define SANITIZER_CAP_S 8.0

/* Runs a whole scenario through the session API; fills res (caller frees). */
static int run_all(const fb_scenario *sc, fb_results *res, int *faulted)
{
    char err[512];
    fb_session *s;
    fb_run_opts o = {0};
    if (SANITIZER_BUILD && sc->duration_s > SANITIZER_CAP_S)
        o.duration_s = SANITIZER_CAP_S;
    if (fb_session_open(&s, sc, &o, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    while (fb_session_step(s) > 0)
        ;
    fb_run_info info;
    int rc = fb_session_finish(s, res, &info);
    *faulted = fb_session_faulted(s);
    fb_session_close(s);
    return rc;
}

/* The default scenario: the reference firmware passes its criteria with margin. */
static void test_default_passes_with_margin(void)
{
    char err[512];
    fb_scenario sc;
    CHECK(fb_catalog_load("default", &sc, err, sizeof(err)) == 0);
    fb_results r;
    int faulted = 1;
    CHECK(run_all(&sc, &r, &faulted) == 0);
    CHECK(!faulted);
    if (SANITIZER_BUILD) { /* a capped run: no fault, no memory error is the whole check */
        fb_results_free(&r);
        fb_scenario_free(&sc);
        return;
    }
    CHECK(r.pass);
    CHECK(r.n_screenable >= 30); /* 20/min for 2 min plus two listed people */
    CHECK(r.detection_rate >= 0.95);
    CHECK(r.skin.mae < 0.2);     /* criterion 0.3 */
    CHECK(fabs(r.skin.bias) < 0.15);
    CHECK_EQ_INT(r.afebrile_alarms, 0);
    CHECK_EQ_INT(r.false_alarms, 0);
    CHECK(r.latency_p95_s < 1.0);
    /* Both listed febrile people (core 38.9 and 39.4 °C) raise the alarm. */
    int alarmed = 0;
    for (size_t i = 0; i < r.n_subjects; i++)
        if (strncmp(r.subjects[i].info.id, "febrile-", 8) == 0)
            alarmed += r.subjects[i].alarm;
    CHECK_EQ_INT(alarmed, 2);
    printf("default: %zu screenable, detection %.3f, skin MAE %.3f bias %+.3f, latency p95 %.2f s\n",
           r.n_screenable, r.detection_rate, r.skin.mae, r.skin.bias, r.latency_p95_s);
    fb_results_free(&r);
    fb_scenario_free(&sc);
}

/* Every shipped scenario runs to the end without a fault and meets its own criteria, but for the
 * reference's documented failures (docs/scenarios.md: "the reference FAILS"), which must fail. */
static void test_shipped_scenarios_pass(void)
{
    for (const fb_embedded_file *f = fb_embedded_files; f->path; f++) {
        if (strchr(f->path, '/') || strcmp(f->path, "default.json") == 0)
            continue;
        char err[512];
        fb_scenario sc;
        int rc = fb_catalog_load(f->path, &sc, err, sizeof(err));
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        fb_results r;
        int faulted = 1;
        CHECK(run_all(&sc, &r, &faulted) == 0);
        CHECK(!faulted);
        /* docs/scenarios.md: the reference's expected failures on the shipped seeds */
        bool expected_failure = strcmp(f->path, "confounder-face-wipe.json") == 0 ||
                                strcmp(f->path, "lab-range.json") == 0;
        CHECK(r.pass != expected_failure || SANITIZER_BUILD);
        printf("%s: pass %d, %zu screenable, detection %.3f, skin MAE %.3f\n", f->path, r.pass,
               r.n_screenable, r.detection_rate, r.skin.mae);
        fb_results_free(&r);
        fb_scenario_free(&sc);
    }
}

/* Adding a listed person changes nobody else's draws (one stream per entity). */
static void test_streams_independent(void)
{
    char err[512];
    fb_scenario a, b;
    CHECK(fb_catalog_load("default", &a, err, sizeof(err)) == 0);
    CHECK(fb_catalog_load("default", &b, err, sizeof(err)) == 0);
    fb_subject_spec extra[3];
    memcpy(extra, b.subjects, 2 * sizeof(*extra));
    extra[2] = b.subjects[0];
    snprintf(extra[2].id, sizeof(extra[2].id), "extra");
    extra[2].enter_s = 50;
    fb_subject_spec *orig = b.subjects;
    b.subjects = extra;
    b.n_subjects = 3;
    fb_world wa, wb;
    CHECK(fb_world_init(&wa, &a, err, sizeof(err)) == 0);
    CHECK(fb_world_init(&wb, &b, err, sizeof(err)) == 0);
    CHECK_EQ_INT(wb.n_subjects, wa.n_subjects + 1);
    size_t matched = 0;
    for (size_t i = 0; i < wa.n_subjects; i++)
        for (size_t j = 0; j < wb.n_subjects; j++)
            if (strcmp(wa.subjects[i].info.id, wb.subjects[j].info.id) == 0) {
                matched++;
                CHECK(wa.subjects[i].physio.core_c == wb.subjects[j].physio.core_c);
                CHECK(wa.subjects[i].walker.speed_mps == wb.subjects[j].walker.speed_mps);
                CHECK(wa.subjects[i].info.enter_s == wb.subjects[j].info.enter_s);
            }
    CHECK_EQ_INT(matched, wa.n_subjects);
    /* The ambient and the camera do not depend on the people either. */
    for (uint32_t n = 0; n < 500; n += 50) {
        fb_world_step(&wa, n);
        fb_world_step(&wb, n);
        CHECK(wa.ambient_c == wb.ambient_c);
        CHECK(wa.blackbody_c == wb.blackbody_c);
    }
    fb_world_free(&wa);
    fb_world_free(&wb);
    b.subjects = orig;
    b.n_subjects = 2;
    fb_scenario_free(&a);
    fb_scenario_free(&b);
}

int main(void)
{
    test_streams_independent();
    test_default_passes_with_margin();
    test_shipped_scenarios_pass();
    return FBTEST_END();
}
