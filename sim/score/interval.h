/* interval.h — 95 % confidence intervals (Wilson for proportions, a fixed-seed percentile
 * bootstrap for means) and how a limit compares with one (docs/scoring.md: Confidence). */
#ifndef FB_INTERVAL_H
#define FB_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

/* The normal quantile for a two-sided 95 % interval. */
#define FB_Z95 1.959963984540054
/* Bootstrap resamples and their fixed seed: the same values give the same interval, whatever
 * the run's seed (docs/scoring.md). */
#define FB_BOOTSTRAP_REPS 2000u
#define FB_BOOTSTRAP_SEED UINT64_C(0x5eedb0075eedb007)

/* A 95 % confidence interval; both bounds NAN when undefined; hi = +INFINITY when the data
 * bound it from below only (a quantile of too few values: fb_quantile_ci95). */
typedef struct fb_interval {
    double lo, hi;
} fb_interval;

/* How a limit lies relative to an interval. */
typedef enum fb_confidence {
    FB_CONF_NONE = 0,     /* no interval: an exact count, or the value is undefined */
    FB_CONF_CONCLUSIVE,   /* the limit lies outside the interval (or on its edge) */
    FB_CONF_INCONCLUSIVE  /* lo < limit < hi: the data cannot tell which side the truth is on */
} fb_confidence;

/* Wilson score interval of k successes in n trials (k may be fractional when pooled shares are
 * rescaled). Undefined when n <= 0 or k is outside [0, n]. */
fb_interval fb_wilson95(double k, double n);

/* Percentile bootstrap of the mean of x[0..n) (of |x| when absolute): FB_BOOTSTRAP_REPS
 * resamples drawn with splitmix64 from FB_BOOTSTRAP_SEED, the interval the 2.5th and 97.5th
 * nearest-rank percentiles of their means. Undefined when n < 2 (one reading says nothing
 * about its spread). Deterministic; allocates a scratch array (undefined if that fails). */
fb_interval fb_bootstrap_mean95(const double *x, size_t n, int absolute);

/* Newcombe's score interval for an AUC (Mann–Whitney) of n_pos positives and n_neg negatives
 * (Newcombe, Stat. Med. 25 (2006) 559–573, method 5): the θ in [0, 1] with
 * (auc − θ)² ≤ z² V(θ), V(θ) = θ(1−θ)/(n_pos n_neg) · [1 + (N*−1)((1−θ)/(2−θ) + θ/(1+θ))],
 * N* = (n_pos + n_neg)/2 — the Hanley–McNeil variance taken at θ, as Wilson takes p(1−p) at the
 * bound. Not degenerate at an AUC of 0 or 1. Undefined when either group is empty or auc is
 * outside [0, 1]. */
fb_interval fb_auc_ci95(double auc, size_t n_pos, size_t n_neg);

/* Distribution-free interval of the q-quantile (0 < q < 1) of sorted[0..n): the order statistics
 * x(l) and x(u), l the largest rank with P(B <= l−1) <= 0.025 and u the smallest with
 * P(B <= u−1) >= 0.975, B ~ Binomial(n, q), so P(x(l) <= quantile <= x(u)) >= 0.95 whatever the
 * distribution. Too few values for either end: lo = floor (the smallest value possible, e.g. 0
 * for a latency), hi = +INFINITY (no upper bound among the data: the p95 of fewer than 72 values).
 * Undefined when n = 0. */
fb_interval fb_quantile_ci95(const double *sorted, size_t n, double q, double floor);

/* The fewest values whose q-quantile interval has an upper end among them: the smallest n with
 * 1 − q^n >= 0.975 (72 for the p95). */
uint64_t fb_quantile_n_bounded(double q);

/* FB_CONF_NONE when ci is undefined, FB_CONF_INCONCLUSIVE when lo < limit < hi, else
 * FB_CONF_CONCLUSIVE. */
fb_confidence fb_interval_judge(fb_interval ci, double limit);
const char *fb_confidence_name(fb_confidence c); /* "none", "conclusive", "inconclusive" */

/* The smallest n' >= n at which a share p observed in n' trials would have a Wilson interval
 * that no longer contains limit; 0 when none would (p equals the limit, or more than 10^9
 * trials would be needed). */
uint64_t fb_wilson_n_to_settle(double p, double n, double limit);

/* The same for a mean with interval ci from n values: the interval shrinks as 1/sqrt(n), so
 * n' = ceil(n · (d / |mean - limit|)^2), d the distance from the mean to the interval's edge
 * on the limit's side. An estimate (the spread is assumed to stay); 0 when mean = limit or
 * the interval is undefined. */
uint64_t fb_mean_n_to_settle(double mean, fb_interval ci, size_t n, double limit);

#endif
