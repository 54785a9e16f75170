/* test_confounders.c — skin transients against the docs/sources.md confounder numbers and hand-worked
 * decays; item temperatures; flag names. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "confounders.h"
#include "fbtest.h"

/* A person's indoor surface at 23 °C: core 36.9, offsets 1.24 / 1.28 (docs/sources.md means). */
static void base(fb_surface_temps *st)
{
    fb_physiology_params p;
    fb_physiology_defaults(&p);
    fb_physio ph = {false, 36.9, 1.24, 0.2, 1.28};
    fb_physiology_surface(&p, &ph, 23.0, st);
}

static void test_none(void)
{
    fb_surface_temps a, b;
    base(&a);
    b = a;
    fb_confounders c = {0};
    fb_confounders_apply(&c, 100.0, 23.0, &b);
    /* No confounder: the skin is untouched, the items sit at the air temperature. */
    CHECK(memcmp(&a, &b, offsetof(fb_surface_temps, lens_c)) == 0);
    CHECK(b.lens_c == 23.0 + 0.3 * (a.periorbital_c - 23.0)); /* lenses: computed anyway */
    CHECK(b.mask_c == 23.0 && b.cup_c == 23.0);
    CHECK_EQ_INT(fb_confounders_flags(&c), 0);
}

static void test_face_wipe(void)
{
    fb_surface_temps a, b;
    base(&a);
    fb_confounders c = {0};
    c.face_wipe = true;
    c.face_wipe_at_s = 10.0;
    /* docs/sources.md: 1 min after a 20 °C towel, forehead -2.8 °C and inner canthus -0.6 °C. */
    b = a;
    fb_confounders_apply(&c, 70.0, 23.0, &b);
    CHECK_NEAR(b.forehead_c - a.forehead_c, -2.8, 1e-12);
    CHECK_NEAR(b.canthus_max_c - a.canthus_max_c, -0.6, 1e-12);
    CHECK_NEAR(b.canthus_min_c - a.canthus_min_c, -0.6, 1e-12);
    CHECK_NEAR(b.periorbital_c - a.periorbital_c, -0.6, 1e-12);
    CHECK(b.clothing_c == a.clothing_c && b.hair_c == a.hair_c);
    /* Recovering with tau 180 s: 3 min later e^-1 of it is left. */
    b = a;
    fb_confounders_apply(&c, 250.0, 23.0, &b);
    CHECK_NEAR(b.forehead_c - a.forehead_c, -2.8 * exp(-1.0), 1e-12);
    CHECK_NEAR(b.canthus_max_c - a.canthus_max_c, -0.6 * exp(-1.0), 1e-12);
    /* Before the wipe nothing. */
    b = a;
    fb_confounders_apply(&c, 9.9, 23.0, &b);
    CHECK(b.forehead_c == a.forehead_c);
    CHECK_EQ_INT(fb_confounders_flags(&c), FB_CONF_FLAG(FACE_WIPE));
}

static void test_cold_entry(void)
{
    fb_surface_temps a, b;
    base(&a);
    fb_confounders c = {0};
    c.cold_entry = true;
    c.outdoor_c = -5.0;
    c.indoor_at_s = 0.0;
    /* At the door from -5 °C into 23 °C (28 °C colder): the periorbital region and the canthus
     * are the least affected (docs/sources.md), the nose the most. */
    b = a;
    fb_confounders_apply(&c, 0.0, 23.0, &b);
    double dc = b.canthus_max_c - a.canthus_max_c, dp = b.periorbital_c - a.periorbital_c;
    double df = b.forehead_c - a.forehead_c, dn = b.nose_c - a.nose_c;
    CHECK_NEAR(dc, -28 * 0.05, 1e-12);
    CHECK_NEAR(df, -28 * 0.25, 1e-12);
    CHECK(dc < 0 && dp < 0 && df < dp && b.cheeks_c - a.cheeks_c < dp && dn < df);
    CHECK(b.clothing_c < a.clothing_c - 10); /* a coat straight from outside */
    /* Acclimation takes >= 10 min (docs/sources.md): after 5 min the forehead is still > 1 °C low,
     * after 10 min within 0.6 °C, after 30 min within 0.01 °C. */
    b = a;
    fb_confounders_apply(&c, 300.0, 23.0, &b);
    CHECK(b.forehead_c - a.forehead_c < -1.0);
    b = a;
    fb_confounders_apply(&c, 600.0, 23.0, &b);
    CHECK_NEAR(b.forehead_c - a.forehead_c, -7.0 * exp(-2.5), 1e-12);
    CHECK(b.forehead_c - a.forehead_c > -0.6);
    CHECK(b.canthus_max_c - a.canthus_max_c > -0.12);
    b = a;
    fb_confounders_apply(&c, 1800.0, 23.0, &b);
    CHECK(fabs(b.forehead_c - a.forehead_c) < 0.01);
    CHECK_EQ_INT(fb_confounders_flags(&c), FB_CONF_FLAG(COLD_ENTRY));
}

static void test_exercise(void)
{
    fb_surface_temps a, b;
    base(&a);
    fb_confounders c = {0};
    c.exercise = true;
    c.exercise_end_s = 5.0;
    /* Skin raised for a few minutes (docs/sources.md): +0.6 canthus, +1.5 forehead at the end,
     * half gone after 150 ln 2 = 104 s, < 0.1 °C on the forehead after 7 min. */
    b = a;
    fb_confounders_apply(&c, 5.0, 23.0, &b);
    CHECK_NEAR(b.canthus_max_c - a.canthus_max_c, 0.6, 1e-12);
    CHECK_NEAR(b.forehead_c - a.forehead_c, 1.5, 1e-12);
    b = a;
    fb_confounders_apply(&c, 5.0 + 150.0 * log(2.0), 23.0, &b);
    CHECK_NEAR(b.canthus_max_c - a.canthus_max_c, 0.3, 1e-12);
    b = a;
    fb_confounders_apply(&c, 5.0 + 420.0, 23.0, &b);
    CHECK(b.forehead_c - a.forehead_c < 0.1);
}

static void test_items(void)
{
    fb_surface_temps a, b;
    base(&a);
    fb_confounders c = {0};
    c.glasses = c.hat = c.hot_drink = true;
    c.hot_drink_c = 61.5;
    c.mask = FB_MASK_N95;
    b = a;
    /* Lenses: a few °C above the air, far below the skin (opaque in LWIR, docs/sources.md). */
    fb_confounders_apply(&c, 0.0, 23.0, &b);
    CHECK(b.lens_c > 24.0 && b.lens_c < 28.0);
    CHECK(b.hat_c > 23.0 && b.hat_c < a.hair_c);
    CHECK(b.cup_c == 61.5);
    /* N95 over a breathing cycle (4 s): near the canthus and above it at its peaks, warmer than
     * a surgical mask on average (docs/sources.md: N95 more than surgical). */
    double lo = 99, hi = -99, sum_n95 = 0, sum_surg = 0;
    for (int i = 0; i < 400; i++) {
        double t = i * 0.01;
        b = a;
        c.mask = FB_MASK_N95;
        fb_confounders_apply(&c, t, 23.0, &b);
        lo = fmin(lo, b.mask_c - b.canthus_max_c);
        hi = fmax(hi, b.mask_c - b.canthus_max_c);
        sum_n95 += b.mask_c;
        b = a;
        c.mask = FB_MASK_SURGICAL;
        fb_confounders_apply(&c, t, 23.0, &b);
        sum_surg += b.mask_c;
        CHECK(b.mask_c > b.cheeks_c);
    }
    CHECK(hi > 0.2 && lo > -0.3 && hi < 0.5);
    CHECK(sum_n95 / 400 > sum_surg / 400 + 0.3);
    c.mask = FB_MASK_N95;
    CHECK_EQ_INT(fb_confounders_flags(&c), FB_CONF_FLAG(GLASSES) | FB_CONF_FLAG(HAT) |
                                               FB_CONF_FLAG(HOT_DRINK) | FB_CONF_FLAG(MASK_N95));
}

static void test_names(void)
{
    static const char *const expected[] = {"glasses",  "mask_surgical", "mask_n95",
                                           "hat",      "cold_entry",    "face_wipe",
                                           "exercise", "hot_drink",     "head_turn"};
    CHECK_EQ_INT(FB_CONF_COUNT, 9);
    for (unsigned i = 0; i < FB_CONF_COUNT; i++)
        CHECK(fb_confounder_name(i) && strcmp(fb_confounder_name(i), expected[i]) == 0);
    CHECK(fb_confounder_name(FB_CONF_COUNT) == NULL);
}

int main(void)
{
    test_none();
    test_face_wipe();
    test_cold_entry();
    test_exercise();
    test_items();
    test_names();
    return FBTEST_END();
}
