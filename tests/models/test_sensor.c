/* test_sensor.c — the microbolometer model: expected counts, NETD as temporal noise, fixed pattern, OU drift, clamping, determinism and range errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "fbtest.h"
#include "sensor.h"

#define W   256
#define H   192
#define NPX (W * H)
/* FNV-1a of one exposure's counts (test_noise_generator): changes only on purpose. */
#define SENSOR_FRAME_FNV 0x99d58c71db97bd72ull

static fb_sensor_params params(void)
{
    /* 256 x 192 at NETD 50 mK (Dahua TPC-BF3221-T, docs/sources.md), 40 counts/K (~0.025 K/count). */
    fb_sensor_params p = {.width = W,
                          .height = H,
                          .netd_k = 0.05,
                          .counts_per_k = 40.0,
                          .reference_c = 30.0,
                          .drift_tau_s = 60.0};
    return p;
}

static void fill(float *r, size_t n, float v)
{
    for (size_t i = 0; i < n; i++)
        r[i] = v;
}

static void mean_sd(const uint16_t *c, size_t n, double *mean, double *sd)
{
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        s1 += c[i];
    *mean = s1 / (double)n;
    for (size_t i = 0; i < n; i++)
        s2 += (c[i] - *mean) * (c[i] - *mean);
    *sd = sqrt(s2 / (double)(n - 1));
}

static double spatial_sd(const uint16_t *c, size_t n)
{
    double m, sd;
    mean_sd(c, n, &m, &sd);
    return sd;
}

/* Shutter FFC every 300 s (docs/sources.md: Lepton default every 5 min), shutter closed 4 frames
 * (docs/sources.md), 25 fps: the FFC starts after frame 7500 (t = 300 s); frames 7501..7504 repeat
 * frame 7500 and carry the flag; the next starts after frame 15000 (t = 600 s). */
static void test_ffc_period(const fb_radiometry *rad)
{
    enum { S = 64, N = S * S };
    fb_sensor_params p = {.width = S,
                          .height = S,
                          .counts_per_k = 40.0,
                          .reference_c = 30.0,
                          .fpn_sd_k = 0.1,
                          .ffc_period_s = 300.0,
                          .ffc_frames = 4,
                          .fpn_growth_k_per_s = 0.06 / 60.0}; /* 60 mK per minute */
    fb_sensor s;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 11), FB_OK);
    float *scene = malloc(N * sizeof(*scene));
    uint16_t *c = malloc(N * sizeof(*c)), *held = malloc(N * sizeof(*held));
    fill(scene, N, (float)fb_radiometry_radiance(rad, 300.0));
    int flags_ok = 1, same = 1, count_mid = -1;
    double sd_before = 0, sd_after = 0;
    for (int n = 0; n <= 15010; n++) {
        unsigned f = fb_sensor_expose(&s, scene, n / 25.0, c);
        int want = (n >= 7501 && n <= 7504) || (n >= 15001 && n <= 15004);
        flags_ok &= f == (want ? FB_SENSOR_FROZEN : 0u);
        if (n == 7500) {
            memcpy(held, c, N * sizeof(*c));
            sd_before = spatial_sd(c, N);
        }
        if (n >= 7501 && n <= 7504)
            same &= memcmp(c, held, N * sizeof(*c)) == 0;
        if (n == 7503)
            count_mid = (int)s.ffc_count;
        if (n == 7505)
            sd_after = spatial_sd(c, N);
    }
    CHECK(flags_ok);
    CHECK(same);
    CHECK_EQ_INT(count_mid, 0); /* completes at the last closed frame */
    CHECK_EQ_INT(s.ffc_count, 2);
    CHECK_NEAR(s.t_ffc_s, 15004 / 25.0, 1e-9);
    /* Non-uniformity: before, fpn 0.1 K * 40 = 4 counts and growth 0.001 K/s * 300 s * 40 =
     * 12 counts in quadrature, with rounding (1/12): sqrt(16 + 144 + 0.083) = 12.65; after,
     * the growth restarted 0.04 s ago: sqrt(16 + 0.083) = 4.01. SE of an SD over 4096 px: 1.1 %. */
    CHECK_NEAR(sd_before / 12.65, 1.0, 0.045);
    CHECK_NEAR(sd_after / 4.01, 1.0, 0.045);
    printf("FFC: non-uniformity %.2f counts before, %.2f after\n", sd_before, sd_after);
    fb_sensor_free(&s);
    free(scene);
    free(c);
    free(held);
}

/* FFC on a 3 K FPA change (docs/sources.md, Lepton): the room steps from 25 to 30 °C, the FPA
 * (tau 100 s, no self-heating) follows 30 - 5 exp(-t / 100) and passes +3 K at
 * t = 100 ln(5 / 2) = 91.63 s, i.e. after frame ceil(25 * 91.629) = 2291. Meanwhile an offset
 * of 0.5 K per K of FPA change accrues (60 counts at 3 K), and the FFC removes it. */
static void test_ffc_fpa(const fb_radiometry *rad)
{
    enum { N = 64 };
    fb_sensor_params p = {.width = 8,
                          .height = 8,
                          .counts_per_k = 40.0,
                          .reference_c = 25.0,
                          .ambient_c = 25.0,
                          .fpa_tau_s = 100.0,
                          .ffc_offset_k_per_k = 0.5,
                          .ffc_delta_k = 3.0,
                          .ffc_frames = 4};
    fb_sensor s;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 12), FB_OK);
    CHECK_EQ_INT(fb_sensor_set_ambient_c(&s, 30.0), FB_OK);
    float scene[N];
    uint16_t c[N];
    fill(scene, N, (float)fb_radiometry_radiance(rad, 300.0));
    int c0 = 0, c_before = 0, c_after = 0, first_frozen = -1, n_frozen = 0;
    for (int n = 0; n <= 2400; n++) {
        unsigned f = fb_sensor_expose(&s, scene, n / 25.0, c);
        if (f & FB_SENSOR_FROZEN) {
            n_frozen++;
            if (first_frozen < 0)
                first_frozen = n;
        }
        if (n == 0)
            c0 = c[5];
        if (n == 2291)
            c_before = c[5];
        if (n == 2296)
            c_after = c[5];
    }
    CHECK_EQ_INT(first_frozen, 2292);
    CHECK_EQ_INT(n_frozen, 4);
    CHECK_NEAR(c_before - c0, 60.0, 1.0);
    CHECK_NEAR(c_after - c0, 0.0, 1.0);
    fb_sensor_free(&s);
}

/* Warm-up after power-on in a room at the calibration temperature (25 °C): the FPA starts at
 * the room and rises 10 K with tau 1200 s, dT = -10 exp(-t / 1200) from its calibration
 * value. Offset 0.1 K per K (-1.0 K at power-on), responsivity -0.2 %/K (+2 % at power-on,
 * on a 35 °C scene 10 K above the reference: about +0.2 K). By hand, in K at 300 K's slope:
 * -1.0 + 0.02 * 10.3 = -0.794 at t = 0, x exp(-1) = -0.292 at 1200 s, ~0 after 5 tau. */
static void test_warmup(const fb_radiometry *rad)
{
    enum { N = 16 };
    fb_sensor_params p = {.width = 4,
                          .height = 4,
                          .counts_per_k = 40.0,
                          .reference_c = 25.0,
                          .ambient_c = 25.0,
                          .power_on_s = 0.0,
                          .fpa_rise_k = 10.0,
                          .fpa_tau_s = 1200.0,
                          .fpa_offset_k_per_k = 0.1,
                          .responsivity_tc_per_k = -0.002};
    fb_sensor s, warm;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 13), FB_OK);
    fb_sensor_params pw = p;
    pw.power_on_s = 1e6; /* long since warmed up: reads as calibrated */
    CHECK_EQ_INT(fb_sensor_init(&warm, &pw, rad, 13), FB_OK);
    CHECK_NEAR(s.fpa_c, 25.0, 1e-12);
    CHECK_NEAR(warm.fpa_c, 35.0, 1e-9);
    float scene[N];
    uint16_t c[N], cw[N];
    fill(scene, N, (float)fb_radiometry_radiance(rad, 308.15));
    fb_sensor_expose(&warm, scene, 0.0, cw);
    double ref = cw[0];
    /* the warmed-up camera reads the nominal 35 °C count: 8192 + gain (L35 - L25) */
    CHECK_NEAR(ref,
               8192.0 + warm.gain_counts_per_radiance *
                            ((float)fb_radiometry_radiance(rad, 308.15) - warm.reference_radiance),
               0.5 + 1e-3);
    double e[3];
    const double at[3] = {0.0, 1200.0, 6000.0};
    for (int i = 0; i < 3; i++) {
        fb_sensor_expose(&s, scene, at[i], c);
        e[i] = ((double)c[0] - ref) / 40.0;
    }
    CHECK_NEAR(e[0], -0.794, 0.03);
    CHECK_NEAR(e[1], -0.794 * exp(-1.0), 0.03);
    CHECK_NEAR(e[2], 0.0, 0.03);
    CHECK_NEAR(s.fpa_c, 35.0 - 10.0 * exp(-5.0), 1e-9);
    printf("warm-up: %.3f K at power-on, %.3f K after 20 min, %.3f K after 100 min\n", e[0], e[1],
           e[2]);
    fb_sensor_free(&s);
    fb_sensor_free(&warm);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Dead pixels (stuck, in the factory map) and noisy ones (10 NETD extra after an onset in the
 * first hour, unknown to the factory). */
static void test_bad_pixels(const fb_radiometry *rad)
{
    fb_sensor_params p = params(); /* 256 x 192, NETD 50 mK = 2 counts */
    p.dead_share = 0.01;
    p.noisy_share = 0.01;
    fb_sensor s;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 14), FB_OK);
    /* Binomial(49152, 0.01): 491.5 +/- 22 */
    CHECK(fabs((double)s.n_dead - 491.5) < 90.0);
    CHECK(fabs((double)s.n_noisy - 491.5) < 90.0);
    uint8_t *bad = calloc(NPX, 1);
    CHECK_EQ_INT(fb_sensor_mark_dead(&s, bad), s.n_dead);
    size_t marked = 0;
    for (size_t i = 0; i < NPX; i++)
        marked += bad[i];
    CHECK_EQ_INT(marked, s.n_dead);
    free(bad);

    float *scene = malloc(NPX * sizeof(*scene));
    uint16_t *c = malloc(NPX * sizeof(*c));
    fill(scene, NPX, (float)fb_radiometry_radiance(rad, 300.0));
    /* Temporal SD per noisy pixel over 200 frames, early (t < 8 s: almost none has turned) and
     * late (t > 3600 s: all have): median about 2.0 counts, then sqrt(2^2 + 20^2) = 20.1. */
    enum { F = 200 };
    size_t nn = s.n_noisy;
    double *sum = calloc(nn, sizeof(double)), *sum2 = calloc(nn, sizeof(double));
    double *sd = calloc(nn, sizeof(double));
    int dead_stuck = 1;
    for (int phase = 0; phase < 2; phase++) {
        memset(sum, 0, nn * sizeof(double));
        memset(sum2, 0, nn * sizeof(double));
        for (int f = 0; f < F; f++) {
            fb_sensor_expose(&s, scene, (phase ? 3600.0 : 0.0) + 0.04 * f, c);
            for (size_t k = 0; k < nn; k++) {
                double v = c[s.noisy[k].index];
                sum[k] += v;
                sum2[k] += v * v;
            }
            for (size_t k = 0; k < s.n_dead; k++)
                dead_stuck &= c[s.dead_index[k]] == s.dead_counts[k];
        }
        for (size_t k = 0; k < nn; k++)
            sd[k] = sqrt((sum2[k] - sum[k] * sum[k] / F) / (F - 1));
        qsort(sd, nn, sizeof(double), cmp_double);
        double median = sd[nn / 2];
        CHECK_NEAR(median, phase ? 20.1 : 2.02, phase ? 1.0 : 0.15);
    }
    CHECK(dead_stuck);
    free(sum);
    free(sum2);
    free(sd);
    free(scene);
    free(c);
    fb_sensor_free(&s);
}


/* The temporal noise generator (counter-based words into the quantile table, sensor.h): at
 * 100 counts SD (rounding negligible) over 4 flat 256 x 192 frames, the noise has mean 0, SD
 * 100, normal kurtosis and tail shares, and no correlation between the two pixels that share
 * a word, between rows, or between frames. Then the exact counts of one exposure, which the
 * AVX2 and the portable build (models_sensor_portable) must both give. */
static void test_noise_generator(const fb_radiometry *rad, float *scene)
{
    fb_sensor_params p = params();
    p.netd_k = 2.5; /* 100 counts */
    fb_sensor s;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 11), FB_OK);
    double l = fb_radiometry_radiance(rad, 303.15);
    fill(scene, NPX, (float)l);
    enum { F = 4 };
    uint16_t *c = malloc((size_t)F * NPX * sizeof(*c));
    for (int f = 0; f < F; f++)
        fb_sensor_expose(&s, scene, 0.04 * (f + 1), c + (size_t)f * NPX);
    const double n = (double)F * NPX;
    double s1 = 0;
    for (size_t i = 0; i < (size_t)F * NPX; i++)
        s1 += c[i];
    const double m = s1 / n; /* expected 8192.5 - 0.5: the scene is at the reference */
    CHECK_NEAR(m, 8192.0, 4 * 100.0 / sqrt(n));
    double s2 = 0, s4 = 0, t1 = 0, t2 = 0, t3 = 0, pair = 0, row = 0, frame = 0;
    for (size_t i = 0; i < (size_t)F * NPX; i++) {
        double z = (c[i] - m) / 100.0;
        s2 += z * z;
        s4 += z * z * z * z;
        t1 += fabs(z) > 1.0;
        t2 += fabs(z) > 2.0;
        t3 += fabs(z) > 3.0;
        size_t px = i % NPX;
        if (px % 2 == 0)
            pair += z * ((c[i + 1] - m) / 100.0);
        if (px + W < NPX)
            row += z * ((c[i + W] - m) / 100.0);
        if (i + NPX < (size_t)F * NPX)
            frame += z * ((c[i + NPX] - m) / 100.0);
    }
    double var = s2 / n, kurt = s4 / n / (var * var);
    CHECK_NEAR(sqrt(var), 1.0, 0.01);     /* SE of the SD ~0.0016 */
    CHECK_NEAR(kurt, 3.0, 0.06);          /* SE sqrt(24 / n) = 0.011 */
    CHECK_NEAR(t1 / n, 0.31731, 0.004);   /* normal tail shares; SE 0.0010, 0.00047, 0.00012 */
    CHECK_NEAR(t2 / n, 0.04550, 0.002);
    CHECK_NEAR(t3 / n, 0.00270, 0.0006);
    /* correlations: SE 1 / sqrt(count) ~0.003 .. 0.0026 */
    CHECK_NEAR(pair / (n / 2) / var, 0.0, 0.015);
    CHECK_NEAR(row / (n - F * W) / var, 0.0, 0.012);
    CHECK_NEAR(frame / (n - NPX) / var, 0.0, 0.012);
    fb_sensor_free(&s);

    /* Exact counts, seed 11, NETD 50 mK, the same flat scene: FNV-1a over the first frame. */
    p = params();
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 11), FB_OK);
    fb_sensor_expose(&s, scene, 0.04, c);
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < NPX; i++) {
        h = (h ^ (c[i] & 0xffu)) * 0x100000001b3ull;
        h = (h ^ (c[i] >> 8)) * 0x100000001b3ull;
    }
    printf("noise: SD %.4f, kurtosis %.3f, tails %.4f %.5f %.5f, frame hash %016llx\n",
           sqrt(var), kurt, t1 / n, t2 / n, t3 / n, (unsigned long long)h);
    CHECK(h == SENSOR_FRAME_FNV);
    fb_sensor_free(&s);
    free(c);
}

int main(void)
{
    fb_radiometry *rad = malloc(sizeof(*rad));
    float *scene = malloc(NPX * sizeof(*scene));
    uint16_t *f1 = malloc(NPX * sizeof(*f1)), *f2 = malloc(NPX * sizeof(*f2));
    fb_radiometry_init(rad);
    fb_sensor s;
    fb_sensor_params p = params();

    /* Flat field at 300 K. */
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 1), FB_OK);
    double l300 = fb_radiometry_radiance(rad, 300.0);
    CHECK_NEAR(s.gain_counts_per_radiance * fb_radiometry_slope(rad, 300.0), 40.0, 1e-12);
    CHECK_NEAR(s.reference_radiance, fb_radiometry_radiance(rad, 303.15), 1e-12);
    CHECK_NEAR(s.noise_sd_counts, 2.0, 1e-6);
    double expect = 8192.0 + s.gain_counts_per_radiance * ((float)l300 - s.reference_radiance);
    /* 3.15 K below the reference: ~126 counts, ~1.4 % more since the slope rises with T. */
    CHECK_NEAR(expect, 8192.0 - 3.15 * 40.0 * 1.014, 0.5);
    fill(scene, NPX, (float)l300);
    fb_sensor_expose(&s, scene, 0.04, f1);
    fb_sensor_expose(&s, scene, 0.08, f2);
    double mean, sd;
    mean_sd(f1, NPX, &mean, &sd);
    /* SE of the mean 2 / sqrt(49152) = 0.009 counts */
    CHECK_NEAR(mean, expect, 0.04);
    /* Temporal noise: the SD of the difference of two frames / sqrt(2) is NETD * counts/K,
     * plus rounding (1/12 count^2): sqrt(2^2 + 1/12) = 2.021. */
    double s2 = 0;
    for (size_t i = 0; i < NPX; i++) {
        double d = (double)f1[i] - (double)f2[i];
        s2 += d * d;
    }
    double noise_sd = sqrt(s2 / NPX / 2.0);
    CHECK_NEAR(noise_sd / sqrt(4.0 + 1.0 / 12.0), 1.0, 0.03);
    CHECK_NEAR(noise_sd / 2.0, 1.0, 0.03);
    fb_sensor_free(&s);

    /* Temporal SD of single pixels over 1000 frames (16 x 16, pooled per-pixel variances). */
    fb_sensor_params q = params();
    q.width = q.height = 16;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 2), FB_OK);
    {
        double sum[256] = {0}, sum2[256] = {0};
        uint16_t c[256];
        for (int f = 0; f < 1000; f++) {
            fb_sensor_expose(&s, scene, 0.04 * (f + 1), c);
            for (int i = 0; i < 256; i++) {
                sum[i] += c[i];
                sum2[i] += (double)c[i] * c[i];
            }
        }
        double pooled = 0;
        for (int i = 0; i < 256; i++)
            pooled += (sum2[i] - sum[i] * sum[i] / 1000) / 999;
        CHECK_NEAR(sqrt(pooled / 256) / sqrt(4.0 + 1.0 / 12.0), 1.0, 0.03);
    }
    fb_sensor_free(&s);

    /* Fixed pattern: SD fpn_sd_k * counts/K = 4 counts, drawn once (cancels between frames). */
    p = params();
    p.fpn_sd_k = 0.1;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 3), FB_OK);
    {
        double s1 = 0, ss = 0;
        for (size_t i = 0; i < NPX; i++) {
            s1 += s.fpn_counts[i];
            ss += (double)s.fpn_counts[i] * s.fpn_counts[i];
        }
        double m = s1 / NPX, fsd = sqrt(ss / NPX - m * m);
        CHECK_NEAR(m, 0.0, 4 * 4.0 / sqrt((double)NPX));
        CHECK_NEAR(fsd, 4.0, 4 * 4.0 / sqrt(2.0 * NPX));
        fb_sensor_expose(&s, scene, 0.04, f1);
        fb_sensor_expose(&s, scene, 0.08, f2);
        mean_sd(f1, NPX, &mean, &sd);
        CHECK_NEAR(sd / sqrt(16.0 + 4.0 + 1.0 / 12.0), 1.0, 0.03); /* fpn and noise add */
        s2 = 0;
        for (size_t i = 0; i < NPX; i++) {
            double d = (double)f1[i] - (double)f2[i];
            s2 += d * d;
        }
        CHECK_NEAR(sqrt(s2 / NPX / 2.0) / sqrt(4.0 + 1.0 / 12.0), 1.0, 0.03);
    }
    fb_sensor_free(&s);

    /* Drift: OU with SD 0.2 K * 40 = 8 counts, tau 10 s, sampled every 30 s (3 tau). With no
     * noise or fpn every pixel reads round(expect + drift). */
    q = params();
    q.width = q.height = 4;
    q.netd_k = 0.0;
    q.drift_sd_k = 0.2;
    q.drift_tau_s = 10.0;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 4), FB_OK);
    {
        double d1 = 0, d2 = 0;
        int follows = 1;
        uint16_t c[16];
        const int n = 20000;
        for (int i = 1; i <= n; i++) {
            fb_sensor_expose(&s, scene, 30.0 * i, c);
            d1 += s.drift_counts;
            d2 += s.drift_counts * s.drift_counts;
            follows &=
                fabs((double)c[0] - (expect + s.drift_counts)) <= 0.5 + 5e-3; /* float arithmetic */
            follows &= c[0] == c[15];
        }
        double m = d1 / n, dsd = sqrt(d2 / n - m * m);
        CHECK_NEAR(m, 0.0, 4 * 8.0 / sqrt(n) * 1.05);
        CHECK_NEAR(dsd, 8.0, 4 * 8.0 / sqrt(2.0 * n) * 1.05);
        CHECK(follows);
        /* the same t_s twice does not move the drift */
        double before = s.drift_counts;
        fb_sensor_expose(&s, scene, 30.0 * n, c);
        CHECK(s.drift_counts == before);
    }
    fb_sensor_free(&s);

    /* Clamping: very hot scenes read 16383, negative or NaN radiance 0. */
    q = params();
    q.width = q.height = 8;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 5), FB_OK);
    {
        float r[64];
        uint16_t c[64];
        int hi = 1, lo = 1;
        fill(r, 64, (float)fb_radiometry_radiance(rad, 600.0));
        fb_sensor_expose(&s, r, 0.04, c);
        for (int i = 0; i < 64; i++)
            hi &= c[i] == 16383;
        fill(r, 64, -500.0f);
        r[7] = NAN;
        fb_sensor_expose(&s, r, 0.08, c);
        for (int i = 0; i < 64; i++)
            lo &= c[i] == 0;
        CHECK(hi);
        CHECK(lo);
    }
    fb_sensor_free(&s);

    /* Determinism: same seed, same frames bit for bit; another seed differs. */
    p = params();
    p.fpn_sd_k = 0.05;
    p.drift_sd_k = 0.1;
    p.dead_share = 0.01;
    p.noisy_share = 0.01;
    p.fpn_growth_k_per_s = 0.001;
    p.ffc_period_s = 0.05; /* an FFC after frame 2 */
    p.ffc_frames = 1;
    {
        fb_sensor a, b, c;
        CHECK_EQ_INT(fb_sensor_init(&a, &p, rad, 6), FB_OK);
        CHECK_EQ_INT(fb_sensor_init(&b, &p, rad, 6), FB_OK);
        CHECK_EQ_INT(fb_sensor_init(&c, &p, rad, 7), FB_OK);
        int same = 1;
        for (int f = 1; f <= 3; f++) {
            fb_sensor_expose(&a, scene, 0.04 * f, f1);
            fb_sensor_expose(&b, scene, 0.04 * f, f2);
            same &= memcmp(f1, f2, NPX * sizeof(*f1)) == 0;
        }
        CHECK(same);
        fb_sensor_expose(&c, scene, 0.12, f2);
        CHECK(memcmp(f1, f2, NPX * sizeof(*f1)) != 0);
        fb_sensor_free(&a);
        fb_sensor_free(&b);
        fb_sensor_free(&c);
    }

    /* Range errors; a failed init is safe to free. */
    q = params();
    q.counts_per_k = 0.0;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    fb_sensor_free(&s);
    q = params();
    q.netd_k = -0.01;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.width = 0;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.drift_sd_k = 0.1;
    q.drift_tau_s = 0.0;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.fpn_sd_k = NAN;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.ffc_frames = -1;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.dead_share = 0.6;
    q.noisy_share = 0.6;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.responsivity_tc_per_k = 0.2;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.fpa_tau_s = -1.0;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    q = params();
    q.ambient_c = NAN;
    CHECK_EQ_INT(fb_sensor_init(&s, &q, rad, 1), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_sensor_set_ambient_c(&s, 500.0), FB_ERR_RANGE);
    fb_sensor_free(&s);

    test_ffc_period(rad);
    test_ffc_fpa(rad);
    test_warmup(rad);
    test_bad_pixels(rad);
    test_noise_generator(rad, scene);

    free(rad);
    free(scene);
    free(f1);
    free(f2);
    return FBTEST_END();
}
