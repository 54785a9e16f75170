/* test_sensor.c — the microbolometer model: expected counts, NETD as temporal noise, fixed pattern, OU drift, clamping, determinism and range errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "fbtest.h"
#include "sensor.h"

#define W 256
#define H 192
#define NPX (W * H)

static fb_sensor_params params(void)
{
    /* 256 x 192 at NETD 50 mK (Dahua TPC-BF3221-T, FACTS.md), 40 counts/K (~0.025 K/count). */
    fb_sensor_params p = {W, H, 0.05, 40.0, 30.0, 0.0, 0.0, 60.0};
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
            follows &= fabs((double)c[0] - (expect + s.drift_counts)) <= 0.5 + 5e-3; /* float arithmetic */
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

    free(rad);
    free(scene);
    free(f1);
    free(f2);
    return FBTEST_END();
}
