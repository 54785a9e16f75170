/* test_interval.c — Wilson and bootstrap intervals against independent calculations, the
 * bootstrap's determinism, and the n that would settle an inconclusive check. */
#include <math.h>
#include <stdint.h>
#include "fbtest.h"
#include "score/interval.h"

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

/* Newcombe's score interval for an AUC (method 5), bounds found in python3 by bisecting
 * z²V(θ) − (auc − θ)² with V(θ) = θ(1−θ)/(mn)·[1 + ((m+n)/2 − 1)((1−θ)/(2−θ) + θ/(1+θ))]. */
static void test_auc(void)
{
    static const struct {
        double auc;
        size_t pos, neg;
        double lo, hi;
    } w[] = {
        {1.0, 2, 10, 0.546118478045, 1.0},           {0.75, 4, 4, 0.348417017502, 0.939399396288},
        {0.5, 5, 20, 0.254768135433, 0.745231864567}, {0.9, 3, 12, 0.523287918790, 0.984340171673},
        {0.0, 2, 3, 0.0, 0.561087610904},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        fb_interval ci = fb_auc_ci95(w[i].auc, w[i].pos, w[i].neg);
        CHECK_NEAR(ci.lo, w[i].lo, 1e-9);
        CHECK_NEAR(ci.hi, w[i].hi, 1e-9);
    }
    /* by hand: one of each, AUC 1 — V(θ) = θ(1−θ), so (1−θ)² = z²θ(1−θ), θ = 1/(1+z²): Wilson's
     * lower bound for 1 of 1 */
    CHECK_NEAR(fb_auc_ci95(1.0, 1, 1).lo, 1 / (1 + FB_Z95 * FB_Z95), 1e-12);
    CHECK_NEAR(fb_auc_ci95(1.0, 1, 1).lo, fb_wilson95(1, 1).lo, 1e-12);
    /* a perfect separation of 2 febrile people is not a certainty: the interval reaches 0.55 */
    CHECK(fb_auc_ci95(1.0, 2, 10).lo < 0.75);
    CHECK(isnan(fb_auc_ci95(0.8, 0, 5).lo));
    CHECK(isnan(fb_auc_ci95(0.8, 5, 0).hi));
    CHECK(isnan(fb_auc_ci95(1.2, 5, 5).lo));
}

/* Order-statistic intervals for quantiles; the ranks found in python3 with exact binomial sums
 * (fractions.Fraction, math.comb). */
static void test_quantile(void)
{
    double x[100];
    for (int i = 0; i < 100; i++)
        x[i] = 0.01 * (i + 1); /* rank r holds r/100 */
    fb_interval m10 = fb_quantile_ci95(x, 10, 0.5, 0);
    /* median of 10: x(2)..x(9) (P(B <= 1) = 11/1024 <= 0.025 < 56/1024; P(B <= 8) = 1013/1024) */
    CHECK_NEAR(m10.lo, 0.02, 1e-12);
    CHECK_NEAR(m10.hi, 0.09, 1e-12);
    /* median of 5: P(B = 0) = 1/32 > 0.025 — neither end among the data */
    fb_interval m5 = fb_quantile_ci95(x, 5, 0.5, 0);
    CHECK(m5.lo == 0 && isinf(m5.hi));
    /* median of 6: x(1)..x(6); of 100: x(40)..x(61) */
    CHECK_NEAR(fb_quantile_ci95(x, 6, 0.5, 0).hi, 0.06, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 100, 0.5, 0).lo, 0.40, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 100, 0.5, 0).hi, 0.61, 1e-12);
    /* p95: unbounded above below 72 values (1 − 0.95^71 = 0.974 < 0.975 <= 1 − 0.95^72) */
    fb_interval p20 = fb_quantile_ci95(x, 20, 0.95, 0);
    CHECK_NEAR(p20.lo, 0.17, 1e-12);
    CHECK(isinf(p20.hi));
    CHECK(isinf(fb_quantile_ci95(x, 71, 0.95, 0).hi));
    CHECK_NEAR(fb_quantile_ci95(x, 71, 0.95, 0).lo, 0.63, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 72, 0.95, 0).lo, 0.64, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 72, 0.95, 0).hi, 0.72, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 100, 0.95, 0).lo, 0.90, 1e-12);
    CHECK_NEAR(fb_quantile_ci95(x, 100, 0.95, 0).hi, 1.00, 1e-12);
    CHECK(isnan(fb_quantile_ci95(x, 0, 0.5, 0).lo));
    CHECK_EQ_INT(fb_quantile_n_bounded(0.95), 72);
    CHECK_EQ_INT(fb_quantile_n_bounded(0.5), 6);
    /* a half-open interval: a limit above its lower end is inside it */
    CHECK_EQ_INT(fb_interval_judge(p20, 1.0), FB_CONF_INCONCLUSIVE);
    CHECK_EQ_INT(fb_interval_judge(p20, 0.1), FB_CONF_CONCLUSIVE);
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
    test_auc();
    test_quantile();
    test_judge_and_settle();
    return FBTEST_END();
}
