/* interval.c — Wilson and bootstrap 95 % intervals, and the n that would settle a check (interval.h). */
#include "interval.h"
#include <math.h>
#include <stdlib.h>

fb_interval fb_wilson95(double k, double n)
{
    fb_interval ci = {NAN, NAN};
    if (!(n > 0) || !(k >= 0) || !(k <= n))
        return ci;
    const double z = FB_Z95, z2 = z * z, p = k / n;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    ci.lo = centre - half;
    ci.hi = centre + half;
    /* the bounds are 0 and 1 exactly at k = 0 and k = n; keep rounding from crossing them */
    if (ci.lo < 0 || k == 0)
        ci.lo = 0;
    if (ci.hi > 1 || k == n)
        ci.hi = 1;
    return ci;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

fb_interval fb_bootstrap_mean95(const double *x, size_t n, int absolute)
{
    fb_interval ci = {NAN, NAN};
    if (!x || n < 2 || n > UINT32_MAX)
        return ci;
    double *means = malloc(FB_BOOTSTRAP_REPS * sizeof *means);
    if (!means)
        return ci;
    uint64_t state = FB_BOOTSTRAP_SEED;
    for (unsigned b = 0; b < FB_BOOTSTRAP_REPS; b++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            /* an index in [0, n): the top 32 bits scaled (Lemire's multiply-shift, bias < n/2^32) */
            size_t j = (size_t)(((splitmix64(&state) >> 32) * (uint64_t)n) >> 32);
            sum += absolute ? fabs(x[j]) : x[j];
        }
        means[b] = sum / (double)n;
    }
    qsort(means, FB_BOOTSTRAP_REPS, sizeof *means, cmp_double);
    /* nearest rank: the ceil(q·B)-th smallest */
    size_t lo = (size_t)ceil(0.025 * FB_BOOTSTRAP_REPS), hi = (size_t)ceil(0.975 * FB_BOOTSTRAP_REPS);
    ci.lo = means[lo - 1];
    ci.hi = means[hi - 1];
    free(means);
    return ci;
}

/* z² V(θ) − (auc − θ)²: >= 0 inside Newcombe's interval */
static double auc_score(double auc, double theta, double n_pos, double n_neg)
{
    double nstar = (n_pos + n_neg) / 2;
    double v = theta * (1 - theta) / (n_pos * n_neg) *
               (1 + (nstar - 1) * ((1 - theta) / (2 - theta) + theta / (1 + theta)));
    return FB_Z95 * FB_Z95 * v - (auc - theta) * (auc - theta);
}

/* The root of auc_score between in (inside, score >= 0) and out (outside, score < 0). */
static double auc_bound(double auc, double in, double out, double n_pos, double n_neg)
{
    for (int i = 0; i < 200 && fabs(in - out) > 1e-15; i++) {
        double mid = (in + out) / 2;
        if (auc_score(auc, mid, n_pos, n_neg) >= 0)
            in = mid;
        else
            out = mid;
    }
    return (in + out) / 2;
}

fb_interval fb_auc_ci95(double auc, size_t n_pos, size_t n_neg)
{
    fb_interval ci = {NAN, NAN};
    if (!n_pos || !n_neg || !(auc >= 0) || !(auc <= 1))
        return ci;
    double p = (double)n_pos, n = (double)n_neg;
    /* the score is >= 0 at auc and < 0 only beyond each bound (it is 0 at 0 and 1 unless auc is) */
    ci.lo = auc_score(auc, 0, p, n) >= 0 ? 0 : auc_bound(auc, auc, 0, p, n);
    ci.hi = auc_score(auc, 1, p, n) >= 0 ? 1 : auc_bound(auc, auc, 1, p, n);
    return ci;
}

/* log P(B = i), B ~ Binomial(n, q) */
static double binom_logpmf(size_t i, size_t n, double q)
{
    return lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) +
           (double)i * log(q) + (double)(n - i) * log1p(-q);
}

fb_interval fb_quantile_ci95(const double *sorted, size_t n, double q, double floor)
{
    fb_interval ci = {NAN, NAN};
    if (!sorted || n == 0 || !(q > 0 && q < 1))
        return ci;
    size_t l = 0, u = 0; /* 1-based ranks; 0: none among the data */
    double below = 0;    /* P(B <= r-1) */
    for (size_t r = 1; r <= n; r++) {
        below += exp(binom_logpmf(r - 1, n, q));
        if (below <= 0.025)
            l = r;
        if (below >= 0.975) {
            u = r;
            break;
        }
    }
    ci.lo = l ? sorted[l - 1] : floor;
    ci.hi = u ? sorted[u - 1] : INFINITY;
    return ci;
}

uint64_t fb_quantile_n_bounded(double q)
{
    if (!(q > 0 && q < 1))
        return 0;
    uint64_t n = 1;
    double all_below = q; /* P(B = n) = q^n: every value below the quantile */
    while (1 - all_below < 0.975 && n < UINT64_C(1000000000)) {
        n++;
        all_below *= q;
    }
    return n;
}

fb_confidence fb_interval_judge(fb_interval ci, double limit)
{
    if (!isfinite(ci.lo) || isnan(ci.hi) || !isfinite(limit))
        return FB_CONF_NONE;
    return ci.lo < limit && limit < ci.hi ? FB_CONF_INCONCLUSIVE : FB_CONF_CONCLUSIVE;
}

const char *fb_confidence_name(fb_confidence c)
{
    return c == FB_CONF_CONCLUSIVE ? "conclusive" : c == FB_CONF_INCONCLUSIVE ? "inconclusive" : "none";
}

static int wilson_excludes(double p, double n, double limit)
{
    fb_interval ci = fb_wilson95(p * n, n);
    return fb_interval_judge(ci, limit) == FB_CONF_CONCLUSIVE;
}

uint64_t fb_wilson_n_to_settle(double p, double n, double limit)
{
    if (!(p >= 0 && p <= 1) || !(n >= 1) || !isfinite(limit) || p == limit)
        return 0;
    if (wilson_excludes(p, n, limit))
        return (uint64_t)ceil(n);
    /* the interval narrows as n grows: double until it excludes the limit, then bisect */
    double lo = n, hi = n;
    while (!wilson_excludes(p, hi, limit)) {
        lo = hi;
        hi *= 2;
        if (hi > 1e9)
            return 0;
    }
    while (hi - lo > 1) {
        double mid = floor((lo + hi) / 2);
        if (wilson_excludes(p, mid, limit))
            hi = mid;
        else
            lo = mid;
    }
    return (uint64_t)hi;
}

uint64_t fb_mean_n_to_settle(double mean, fb_interval ci, size_t n, double limit)
{
    if (!isfinite(mean) || !isfinite(ci.lo) || !isfinite(ci.hi) || !isfinite(limit) || mean == limit ||
        n == 0)
        return 0;
    double gap = fabs(mean - limit);
    double d = limit > mean ? ci.hi - mean : mean - ci.lo;
    if (d <= gap)
        return n; /* already settled */
    /* less a hair: an exact ratio (0.2 / 0.1 in binary is 2.0000000000000004) must not round up */
    double need = ceil((double)n * (d / gap) * (d / gap) * (1 - 1e-12));
    return need > 1e12 ? 0 : (uint64_t)need;
}
