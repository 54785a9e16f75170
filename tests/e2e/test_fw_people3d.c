/* test_fw_people3d.c — the reference firmware on 3D people (rounded heads, hair styles, a warm
 * neck, glasses, masks), through the bench: people are found and read near their true canthus. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "run/run.h"

#if defined(__SANITIZE_ADDRESS__)
#define CAP_S 6.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAP_S 6.0
#endif
#endif
#ifndef CAP_S
#define CAP_S 0.0 /* whole runs */
#endif

/* Runs shipped scenario `name` with people drawn in 3D, on its own seed (seed 0) or `seed`, for
 * duration_s seconds (0: the scenario's; a sanitizer build caps it at CAP_S); fills r (caller
 * frees). */
static int run_3d_seed(const char *name, uint64_t seed, double duration_s, fb_results *r)
{
    char err[512];
    fb_scenario sc;
    fb_session *s;
    fb_run_opts o = {0};
    fb_run_info info;
    int rc;
    if (fb_catalog_load(name, &sc, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    sc.people_3d = true;
    if (seed)
        sc.seed = seed;
    o.duration_s = CAP_S > 0.0 ? CAP_S : duration_s;
    if (fb_session_open(&s, &sc, &o, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        fb_scenario_free(&sc);
        return -1;
    }
    while (fb_session_step(s) > 0)
        ;
    rc = fb_session_finish(s, r, &info);
    CHECK(!fb_session_faulted(s));
    fb_session_close(s);
    fb_scenario_free(&sc);
    return rc;
}

static int run_3d(const char *name, fb_results *r)
{
    return run_3d_seed(name, 0, 0.0, r);
}

/* The subject with id `id`, or NULL. */
static const fb_subject_result *subject(const fb_results *r, const char *id)
{
    for (size_t i = 0; i < r->n_subjects; i++)
        if (strcmp(r->subjects[i].info.id, id) == 0)
            return &r->subjects[i];
    return NULL;
}

/* Overlapping heads (the battery's field-crowd: crowd, seed 11, its first 40 s): the febrile
 * p12, a bald head walking in front of p13, has its top against p13's cheek, so it has no top
 * of its own in their common skin region; the firmware took both for one face and read p12
 * 1.55 °C low, unalarmed. The rounded-head trace now stops where p12's outline joins p13's side
 * and p12 is followed from there (docs/firmware.md, "Overlapping heads"): it reads within
 * 0.3 °C and is alarmed (core 38.6 °C), and p13 is still measured. */
static void test_overlapping_heads(void)
{
    fb_results r;
    const fb_subject_result *p12, *p13;
    if (CAP_S > 0.0)
        return; /* p12 is screenable from 8.56 s: past a capped sanitizer run */
    CHECK(run_3d_seed("crowd", 11, 40.0, &r) == 0);
    p12 = subject(&r, "p12");
    p13 = subject(&r, "p13");
    CHECK(p12 != NULL && p13 != NULL);
    if (p12 && p13) {
        printf("  p12: reported %.2f true %.2f alarm %d; p13: reported %.2f true %.2f\n",
               p12->skin_reported_c, p12->skin_true_c, (int)p12->alarm, p13->skin_reported_c,
               p13->skin_true_c);
        CHECK(!isnan(p12->skin_reported_c) && fabs(p12->skin_reported_c - p12->skin_true_c) < 0.3);
        CHECK(p12->alarm);
        CHECK(!isnan(p13->skin_reported_c) && fabs(p13->skin_reported_c - p13->skin_true_c) < 0.3);
    }
    fb_results_free(&r);
}

/* Every measured person reads within max_err_c of the true canthus (the hottest pixel of a 3D
 * canthus reads ~0.2-0.4 °C under it at 256 x 192: docs/firmware.md); returns how many. */
static size_t check_readings(const fb_results *r, double max_err_c)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_subjects; i++) {
        const fb_subject_result *u = &r->subjects[i];
        if (isnan(u->measured_at_s) || isnan(u->skin_reported_c))
            continue;
        n++;
        printf("  %s: reported %.2f true %.2f\n", u->info.id, u->skin_reported_c, u->skin_true_c);
        CHECK(fabs(u->skin_reported_c - u->skin_true_c) < max_err_c);
    }
    return n;
}

/* Every measured mask wearer reads within max_err_c of the true canthus; returns how many. */
static size_t check_masks(const fb_results *r, double max_err_c)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_subjects; i++) {
        const fb_subject_result *u = &r->subjects[i];
        if (isnan(u->skin_reported_c) ||
            !(u->info.confounders & (FB_CONF_FLAG(MASK_SURGICAL) | FB_CONF_FLAG(MASK_N95))))
            continue;
        n++;
        printf("  mask %s: reported %.2f true %.2f\n", u->info.id, u->skin_reported_c,
               u->skin_true_c);
        CHECK(fabs(u->skin_reported_c - u->skin_true_c) < max_err_c);
    }
    return n;
}

/* One person walking slowly: found on the rounded 3D head and measured once. */
static void test_single_walker(void)
{
    fb_results r;
    CHECK(run_3d("single-slow", &r) == 0);
    if (CAP_S > 0.0) { /* a capped sanitizer run: no fault, no memory error */
        fb_results_free(&r);
        return;
    }
    CHECK_EQ_INT((int)r.n_measured, 1);
    CHECK(check_readings(&r, 0.5) == 1);
    CHECK(r.duplicate_measurements == 0);
    fb_results_free(&r);
}

/* A checkpoint queue: glasses, masks (warm over the mouth: never read as the canthus), cups,
 * turned heads; most people measured, none read warm, nobody alarmed wrongly. */
static void test_checkpoint(void)
{
    fb_results r;
    CHECK(run_3d("checkpoint", &r) == 0);
    if (CAP_S > 0.0) {
        fb_results_free(&r);
        return;
    }
    printf("checkpoint 3d: %zu of %zu measured, skin bias %+.3f MAE %.3f\n", r.n_measured,
           r.n_screenable, r.skin.bias, r.skin.mae);
    CHECK(r.detection_rate >= 0.85);
    CHECK(r.skin.mae < 0.5);
    CHECK(r.false_alarms == 0);
    /* A mask read as a canthus would read warm: a warm mask worn up to the nose bridge read
     * 0.3-0.7 °C high before the eye window left its flat top edge out (docs/firmware.md).
     * Every wearer within 0.35 °C (the battery's accuracy bound), nobody 0.5 °C warm. */
    check_masks(&r, 0.35);
    for (size_t i = 0; i < r.n_subjects; i++)
        if (!isnan(r.subjects[i].skin_reported_c))
            CHECK(r.subjects[i].skin_reported_c - r.subjects[i].skin_true_c < 0.5);
    fb_results_free(&r);
}

/* Surgical and N95 masks, one febrile wearer each (confounder-mask): all four wearers read
 * within 0.35 °C (before the eye window left the mask out: +0.54 and +0.68 on two of them) and
 * both febrile alarmed. */
static void test_masks(void)
{
    fb_results r;
    CHECK(run_3d("confounder-mask", &r) == 0);
    if (CAP_S > 0.0) {
        fb_results_free(&r);
        return;
    }
    CHECK(check_masks(&r, 0.35) == 4);
    CHECK(r.skin.mae < 0.2);
    CHECK_NEAR(r.sensitivity, 1.0, 1e-9);
    fb_results_free(&r);
}

/* Two minutes in from -5 °C (confounder-cold-entry): the face around the canthus is still cold, so
 * the canthus stands ~2 K out of its surroundings (~1 K on a warm face) and the lens takes more
 * from it. Before the compensation counted that contrast the febrile person read 0.47 °C low and
 * was not alarmed (body 37.79 °C); now within the scenario's 0.3 °C and alarmed, and the
 * scenario passes (docs/firmware.md, "Size-of-source compensation"). */
static void test_cold_entry(void)
{
    fb_results r;
    size_t n = 0;
    CHECK(run_3d("confounder-cold-entry", &r) == 0);
    if (CAP_S > 0.0) {
        fb_results_free(&r);
        return;
    }
    CHECK(check_readings(&r, 0.3) >= 3);
    for (size_t i = 0; i < r.n_subjects; i++) {
        const fb_subject_result *u = &r.subjects[i];
        if (strcmp(u->info.id, "cold-febrile-120s") != 0)
            continue;
        n++;
        CHECK(!isnan(u->skin_reported_c));
        CHECK(fabs(u->skin_reported_c - u->skin_true_c) < 0.3);
        CHECK(u->alarm);
    }
    CHECK_EQ_INT((int)n, 1);
    CHECK_EQ_INT((int)r.afebrile_alarms, 0);
    CHECK(r.pass);
    fb_results_free(&r);
}

int main(void)
{
    test_single_walker();
    test_checkpoint();
    test_masks();
    test_cold_entry();
    test_overlapping_heads();
    return FBTEST_END();
}
