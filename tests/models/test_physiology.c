/* test_physiology.c — population draws reproduce the docs/sources.md parameters (with analytic truncated-normal moments) and surface temperatures follow the header's formulas. */
#include <math.h>
#include "fbtest.h"
#include "physiology.h"

#define N_PEOPLE 20000

static double phi(double x) { return exp(-0.5 * x * x) / sqrt(2 * 3.14159265358979323846); }
static double cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* Mean and SD of N(mu, sd) truncated to [lo, hi] (infinite bounds allowed). */
static void truncated_moments(double mu, double sd, double lo, double hi, double *mean, double *out_sd)
{
    double a = (lo - mu) / sd, b = (hi - mu) / sd;
    double pa = isinf(a) ? 0 : phi(a), pb = isinf(b) ? 0 : phi(b);
    double apa = isinf(a) ? 0 : a * pa, bpb = isinf(b) ? 0 : b * pb;
    double z = cdf(b) - cdf(a);
    *mean = mu + sd * (pa - pb) / z;
    *out_sd = sd * sqrt(1 + (apa - bpb) / z - ((pa - pb) / z) * ((pa - pb) / z));
}

typedef struct stats {
    double n, s1, s2, lo, hi;
} stats;

static void add(stats *s, double x)
{
    if (s->n == 0)
        s->lo = s->hi = x;
    s->n += 1;
    s->s1 += x;
    s->s2 += x * x;
    s->lo = fmin(s->lo, x);
    s->hi = fmax(s->hi, x);
}
static double mean_of(const stats *s) { return s->s1 / s->n; }
static double sd_of(const stats *s)
{
    double m = mean_of(s);
    return sqrt((s->s2 - s->n * m * m) / (s->n - 1));
}

/* mean within 4 SE and SD within 4 SE (SE of an SD ~ sd / sqrt(2n)) */
#define CHECK_MOMENTS(st, m, sd)                                                                  \
    do {                                                                                           \
        CHECK_NEAR(mean_of(st), (m), 4 * (sd) / sqrt((st)->n));                                    \
        CHECK_NEAR(sd_of(st), (sd), 4 * (sd) / sqrt(2 * (st)->n));                                 \
    } while (0)

static void test_defaults(const fb_physiology_params *p)
{
    CHECK(p->afebrile_core_mean_c == 36.89 && p->afebrile_core_sd_c == 0.28);
    CHECK(p->afebrile_core_max_c == 37.49);
    CHECK(p->febrile_core_mean_c == 38.3 && p->febrile_core_sd_c == 0.6);
    CHECK(p->febrile_core_min_c == 37.5 && p->febrile_core_max_c == 41.0);
    CHECK(p->canthus_offset_mean_c == 1.24 && p->canthus_offset_sd_c == 0.34);
    CHECK(p->canthus_lr_sd_c == 0.28);
    CHECK(p->forehead_offset_mean_c == 1.28 && p->forehead_offset_sd_c == 0.59);
    CHECK(p->ambient_slope == 0.115 && p->ambient_ref_c == 24.1);
}

static void test_afebrile(const fb_physiology_params *p)
{
    stats core = {0}, off = {0}, lr = {0}, fh = {0};
    int febrile = 0;
    fb_rng r;
    fb_rng_seed(&r, 11, FB_STREAM_SUBJECT, 0);
    for (int i = 0; i < N_PEOPLE; i++) {
        fb_physio ph;
        fb_physiology_draw(p, 0.0, &r, &ph);
        febrile += ph.febrile;
        add(&core, ph.core_c);
        add(&off, ph.canthus_offset_c);
        add(&lr, ph.canthus_lr_c);
        add(&fh, ph.forehead_offset_c);
    }
    double m, sd;
    CHECK_EQ_INT(febrile, 0);
    truncated_moments(36.89, 0.28, -INFINITY, 37.49, &m, &sd); /* m = 36.878, sd = 0.266 */
    CHECK_MOMENTS(&core, m, sd);
    CHECK(core.hi <= 37.49);
    CHECK_MOMENTS(&off, 1.24, 0.34);
    /* |N(0, 0.28)|: half-normal mean 0.28 sqrt(2/pi), SD 0.28 sqrt(1 - 2/pi) */
    CHECK_MOMENTS(&lr, 0.28 * sqrt(2 / 3.14159265358979), 0.28 * sqrt(1 - 2 / 3.14159265358979));
    CHECK(lr.lo >= 0.0);
    truncated_moments(1.28, 0.59, 0.2, INFINITY, &m, &sd);
    CHECK_MOMENTS(&fh, m, sd);
    CHECK(fh.lo >= 0.2);
}

static void test_fever_share(const fb_physiology_params *p)
{
    stats feb = {0}, afeb = {0};
    fb_rng r;
    fb_rng_seed(&r, 12, FB_STREAM_SUBJECT, 1);
    for (int i = 0; i < N_PEOPLE; i++) {
        fb_physio ph;
        fb_physiology_draw(p, 0.1, &r, &ph);
        add(ph.febrile ? &feb : &afeb, ph.core_c);
    }
    /* share 0.1, SE sqrt(0.09 / n) = 0.0021 */
    CHECK_NEAR(feb.n / N_PEOPLE, 0.1, 4 * 0.00212);
    CHECK(feb.lo >= 37.5 && feb.hi <= 41.0);
    CHECK(afeb.hi <= 37.49);
    double m, sd;
    truncated_moments(38.3, 0.6, 37.5, 41.0, &m, &sd);
    CHECK_MOMENTS(&feb, m, sd);

    int all = 1;
    for (int i = 0; i < 100; i++) {
        fb_physio ph;
        fb_physiology_draw(p, 1.0, &r, &ph);
        all &= ph.febrile && ph.core_c >= 37.5;
    }
    CHECK(all);

    /* Same stream, same person. */
    fb_rng a, b;
    fb_physio pa, pb;
    fb_rng_seed(&a, 13, FB_STREAM_SUBJECT, 7);
    fb_rng_seed(&b, 13, FB_STREAM_SUBJECT, 7);
    fb_physiology_draw(p, 0.5, &a, &pa);
    fb_physiology_draw(p, 0.5, &b, &pb);
    CHECK(pa.core_c == pb.core_c && pa.canthus_offset_c == pb.canthus_offset_c &&
          pa.canthus_lr_c == pb.canthus_lr_c && pa.forehead_offset_c == pb.forehead_offset_c);
}

static void test_surface(const fb_physiology_params *p)
{
    /* A hand-worked person: core 37.0, offset 1.2, lr 0.3, forehead offset 1.0. */
    fb_physio ph = {false, 37.0, 1.2, 0.3, 1.0};
    fb_surface_temps st;
    fb_physiology_surface(p, &ph, 24.1, &st);
    CHECK_NEAR(st.canthus_max_c, 35.8, 1e-12);
    CHECK_NEAR(st.canthus_min_c, 35.5, 1e-12);
    CHECK_NEAR(st.periorbital_c, 35.4, 1e-12);
    CHECK_NEAR(st.forehead_c, 34.8, 1e-12);
    CHECK_NEAR(st.cheeks_c, 34.3, 1e-12);
    CHECK_NEAR(st.nose_c, 32.8, 1e-12);
    CHECK_NEAR(st.neck_c, 34.8, 1e-12);
    CHECK_NEAR(st.hands_c, 32.8, 1e-12);
    CHECK_NEAR(st.hair_c, 24.1 + 0.35 * (34.8 - 24.1), 1e-12);
    CHECK_NEAR(st.clothing_c, 24.1 + 0.45 * (34.8 - 24.1), 1e-12);
    /* +0.115 °C per °C of ambient (FDA): 10 °C warmer room -> +1.15 °C canthus */
    fb_surface_temps warm;
    fb_physiology_surface(p, &ph, 34.1, &warm);
    CHECK_NEAR(warm.canthus_max_c - st.canthus_max_c, 1.15, 1e-12);

    /* Drawn people in a 20–26 °C room: the formula exactly, and the ordering. */
    fb_rng r;
    fb_rng_seed(&r, 14, FB_STREAM_SUBJECT, 2);
    int exact = 1, order = 1;
    for (int i = 0; i < 2000; i++) {
        fb_physio q;
        fb_physiology_draw(p, 0.2, &r, &q);
        double amb = 20.0 + 6.0 * fb_rng_uniform(&r);
        fb_physiology_surface(p, &q, amb, &st);
        exact &= st.canthus_max_c == q.core_c - q.canthus_offset_c + 0.115 * (amb - 24.1);
        order &= st.canthus_max_c >= st.canthus_min_c;
        order &= st.periorbital_c < st.canthus_max_c;
        order &= st.forehead_c < st.canthus_max_c && st.cheeks_c < st.forehead_c &&
                 st.nose_c < st.cheeks_c;
        order &= st.neck_c < st.canthus_max_c && st.hands_c < st.canthus_max_c;
        order &= st.clothing_c > amb && st.clothing_c < st.forehead_c;
        order &= st.hair_c > amb && st.hair_c < st.clothing_c;
    }
    CHECK(exact);
    CHECK(order);
}

int main(void)
{
    fb_physiology_params p;
    fb_physiology_defaults(&p);
    test_defaults(&p);
    test_afebrile(&p);
    test_fever_share(&p);
    test_surface(&p);
    return FBTEST_END();
}
