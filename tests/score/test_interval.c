/* test_interval.c — Wilson and bootstrap intervals against independent calculations, the
 * bootstrap's determinism, and the n that would settle an inconclusive check. */
#include <math.h>
#include <stdint.h>
#include "fbtest.h"
#include "interval.h"

/* Wilson score interval, z = 1.959963984540054, computed independently in python3:
 *   c = (p + z²/2n) / (1 + z²/n),  h = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)
 * (2 of 3 is the report's "sensitivity 0.667" of issue 13.) */
static void test_wilson(void)
{
    static const struct {
        double k, n, lo, hi;
    } w[] = {
        {2, 3, 0.207659600802, 0.938508055280},  {0, 2, 0.0, 0.657619772493},
        {2, 2, 0.342380227507, 1.0},             {8, 10, 0.490162471537, 0.943317848546},
        {50, 100, 0.403831530366, 0.596168469634}, {19, 20, 0.763868806553, 0.991118551199},
        {1, 4, 0.045587260810, 0.699358157418},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        fb_interval ci = fb_wilson95(w[i].k, w[i].n);
        CHECK_NEAR(ci.lo, w[i].lo, 1e-9);
        CHECK_NEAR(ci.hi, w[i].hi, 1e-9);
    }
    /* 0 of 2: upper bound z²/(2 + z²) by hand = 3.8415/5.8415 = 0.6576 */
    CHECK_NEAR(fb_wilson95(0, 2).hi, FB_Z95 * FB_Z95 / (2 + FB_Z95 * FB_Z95), 1e-12);
    CHECK(isnan(fb_wilson95(0, 0).lo) && isnan(fb_wilson95(0, 0).hi));
    CHECK(isnan(fb_wilson95(3, 2).lo));
    CHECK(isnan(fb_wilson95(-1, 2).lo));
}

/* The bootstrap of five errors (the skin errors of tests/score/test_score_stats.c), recomputed
 * in python3 with the same splitmix64 stream from 0x5eedb0075eedb007, index ((r >> 32)·n) >> 32,
 * 2000 resamples and the 50th / 1950th smallest mean: signed [-0.17, 0.37], |e| [0.10, 0.44]. */
static void test_bootstrap(void)
{
    const double e[5] = {0.10, -0.35, 0.20, 0.60, -0.05};
    fb_interval s = fb_bootstrap_mean95(e, 5, 0), a = fb_bootstrap_mean95(e, 5, 1);
    CHECK_NEAR(s.lo, -0.17, 1e-12);
    CHECK_NEAR(s.hi, 0.37, 1e-12);
    CHECK_NEAR(a.lo, 0.10, 1e-12);
    CHECK_NEAR(a.hi, 0.44, 1e-12);
    /* deterministic: the same values give the same bounds, to the bit */
    fb_interval s2 = fb_bootstrap_mean95(e, 5, 0);
    CHECK(s2.lo == s.lo && s2.hi == s.hi);
    /* the interval contains the mean (0.10) and the MAE (0.26) */
    CHECK(s.lo < 0.10 && 0.10 < s.hi);
    CHECK(a.lo < 0.26 && 0.26 < a.hi);
    /* one reading, or none: no interval */
    CHECK(isnan(fb_bootstrap_mean95(e, 1, 0).lo));
    CHECK(isnan(fb_bootstrap_mean95(e, 0, 0).hi));
    /* identical readings: no spread, a point interval */
    const double same[4] = {0.2, 0.2, 0.2, 0.2};
    fb_interval p = fb_bootstrap_mean95(same, 4, 0);
    CHECK_NEAR(p.lo, 0.2, 1e-12);
    CHECK_NEAR(p.hi, 0.2, 1e-12);
    /* 50 zeros and 50 ones: mean 0.5, standard error 0.05, so about 0.5 ± 1.96·0.05 */
    double coin[100];
    for (int i = 0; i < 100; i++)
        coin[i] = i % 2;
    fb_interval c = fb_bootstrap_mean95(coin, 100, 0);
    CHECK_NEAR(c.lo, 0.402, 0.02);
    CHECK_NEAR(c.hi, 0.598, 0.02);
}

static void test_judge_and_settle(void)
{
    fb_interval ci = {0.2, 0.9};
    CHECK_EQ_INT(fb_interval_judge(ci, 0.8), FB_CONF_INCONCLUSIVE);
    CHECK_EQ_INT(fb_interval_judge(ci, 0.95), FB_CONF_CONCLUSIVE);
    CHECK_EQ_INT(fb_interval_judge(ci, 0.9), FB_CONF_CONCLUSIVE); /* on the edge: settled */
    fb_interval none = {NAN, NAN};
    CHECK_EQ_INT(fb_interval_judge(none, 0.5), FB_CONF_NONE);
    /* 0 of n against 0.25: the upper bound z²/(n + z²) < 0.25 needs n > 3z² = 11.52, so 12 */
    CHECK_EQ_INT(fb_wilson_n_to_settle(0.0, 2, 0.25), 12);
    /* found by stepping n up one at a time in python3 */
    CHECK_EQ_INT(fb_wilson_n_to_settle(2.0 / 3.0, 3, 0.8), 35);
    CHECK_EQ_INT(fb_wilson_n_to_settle(0.9, 10, 0.95), 73);
    CHECK_EQ_INT(fb_wilson_n_to_settle(0.8, 10, 0.8), 0); /* on the limit: never */
    CHECK_EQ_INT(fb_wilson_n_to_settle(0.0, 20, 0.25), 20); /* already settled */
    /* a mean 0.25 with interval [0.125, 0.375] from 10 values against 0.3125 (binary fractions,
     * exact): d = 0.125, gap 0.0625, so 10 · (0.125 / 0.0625)² = 40 */
    fb_interval m = {0.125, 0.375};
    CHECK_EQ_INT(fb_mean_n_to_settle(0.25, m, 10, 0.3125), 40);
    CHECK_EQ_INT(fb_mean_n_to_settle(0.25, m, 10, 0.25), 0);
    CHECK_EQ_INT(fb_mean_n_to_settle(0.25, m, 10, 0.5), 10);
}

int main(void)
{
    test_wilson();
    test_bootstrap();
    test_judge_and_settle();
    return FBTEST_END();
}
