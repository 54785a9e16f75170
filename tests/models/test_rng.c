/* test_rng.c — random streams: reference values, stream independence, and the moments of each distribution within sampling error. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "fbtest.h"
#include "rng.h"
#include "rng_table.h"

#define N_DRAWS 1000000

static void test_reference_values(void)
{
    /* xoshiro256** from state {1, 2, 3, 4}, worked by hand from the reference algorithm:
     * rotl(2 * 5, 7) * 9 = 11520, then s[1] becomes 0 so the next output is 0. */
    fb_rng r = {{1, 2, 3, 4}};
    CHECK(fb_rng_next(&r) == 11520u);
    CHECK(fb_rng_next(&r) == 0u);
}

static void test_streams(void)
{
    fb_rng a, b;
    int same = 1, equal_idx = 0, equal_kind = 0, equal_seed = 0;
    fb_rng_seed(&a, 42, FB_STREAM_SUBJECT, 3);
    fb_rng_seed(&b, 42, FB_STREAM_SUBJECT, 3);
    for (int i = 0; i < 1000; i++)
        same &= fb_rng_next(&a) == fb_rng_next(&b);
    CHECK(same);

    fb_rng c, d, e, f;
    fb_rng_seed(&c, 42, FB_STREAM_SUBJECT, 3);
    fb_rng_seed(&d, 42, FB_STREAM_SUBJECT, 4);
    fb_rng_seed(&e, 42, FB_STREAM_AMBIENT, 3);
    fb_rng_seed(&f, 43, FB_STREAM_SUBJECT, 3);
    for (int i = 0; i < 1000; i++) {
        uint64_t x = fb_rng_next(&c);
        equal_idx += x == fb_rng_next(&d);
        equal_kind += x == fb_rng_next(&e);
        equal_seed += x == fb_rng_next(&f);
    }
    CHECK_EQ_INT(equal_idx, 0);
    CHECK_EQ_INT(equal_kind, 0);
    CHECK_EQ_INT(equal_seed, 0);

    /* (seed, kind, index) is not a plain sum: swapping kind and index gives another stream. */
    fb_rng g, h;
    fb_rng_seed(&g, 0, 1, 2);
    fb_rng_seed(&h, 0, 2, 1);
    CHECK(fb_rng_next(&g) != fb_rng_next(&h));
}

static void test_uniform(void)
{
    fb_rng r;
    double sum = 0, sum2 = 0, lo = 1, hi = 0;
    fb_rng_seed(&r, 1, FB_STREAM_SENSOR_NOISE, 0);
    for (int i = 0; i < N_DRAWS; i++) {
        double u = fb_rng_uniform(&r);
        sum += u;
        sum2 += (u - 0.5) * (u - 0.5);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    double mean = sum / N_DRAWS, var = sum2 / N_DRAWS;
    /* SE of the mean sqrt(1/12 / n) = 2.9e-4; of the variance sqrt(1/80 - 1/144) / sqrt(n) = 7.5e-5. */
    CHECK_NEAR(mean, 0.5, 4 * 2.89e-4);
    CHECK_NEAR(var, 1.0 / 12.0, 4 * 7.46e-5);
    CHECK(lo >= 0.0 && hi < 1.0);
    CHECK(lo < 1e-4 && hi > 1 - 1e-4);
}

static void test_normal(void)
{
    fb_rng r;
    double s1 = 0, s2 = 0, s4 = 0;
    fb_rng_seed(&r, 2, FB_STREAM_SUBJECT, 0);
    for (int i = 0; i < N_DRAWS; i++) {
        double x = fb_rng_normal(&r);
        s1 += x;
        s2 += x * x;
        s4 += x * x * x * x;
    }
    double mean = s1 / N_DRAWS, sd = sqrt(s2 / N_DRAWS - mean * mean);
    /* SE of the mean 1/sqrt(n) = 1e-3; of the SD 1/sqrt(2n) = 7.1e-4; of E[x^4] sqrt(96/n) = 9.8e-3. */
    CHECK_NEAR(mean, 0.0, 4 * 1e-3);
    CHECK_NEAR(sd, 1.0, 4 * 7.07e-4);
    CHECK_NEAR(s4 / N_DRAWS, 3.0, 4 * 9.8e-3);

    fb_rng_seed(&r, 3, FB_STREAM_SUBJECT, 0);
    s1 = 0;
    for (int i = 0; i < 100000; i++)
        s1 += fb_rng_normal_ms(&r, 10.0, 2.0);
    CHECK_NEAR(s1 / 100000, 10.0, 4 * 2.0 / sqrt(100000.0));
}

static void test_exponential(void)
{
    fb_rng r;
    double s = 0;
    int negative = 0;
    fb_rng_seed(&r, 4, FB_STREAM_POPULATION, 0);
    for (int i = 0; i < N_DRAWS; i++) {
        double x = fb_rng_exponential(&r, 2.0);
        negative += !(x >= 0.0);
        s += x;
    }
    /* mean 1/rate = 0.5, SE 0.5/sqrt(n) = 5e-4 */
    CHECK_NEAR(s / N_DRAWS, 0.5, 4 * 5e-4);
    CHECK_EQ_INT(negative, 0);
}

static void test_table(void)
{
    /* The generated quantile table: antisymmetric (mean exactly 0), unit variance, tails at
     * Phi^-1(0.5 / 65536) = -4.33, increasing. */
    double s1 = 0, s2 = 0;
    int increasing = 1, antisym = 1;
    for (int j = 0; j < FB_RNG_NORMAL_TABLE_N; j++) {
        s1 += fb_rng_normal_table[j];
        s2 += (double)fb_rng_normal_table[j] * fb_rng_normal_table[j];
        if (j > 0)
            increasing &= fb_rng_normal_table[j] > fb_rng_normal_table[j - 1];
        antisym &= fb_rng_normal_table[j] == -fb_rng_normal_table[FB_RNG_NORMAL_TABLE_N - 1 - j];
    }
    CHECK(increasing);
    CHECK(antisym);
    CHECK(s1 == 0.0);
    CHECK_NEAR(sqrt(s2 / FB_RNG_NORMAL_TABLE_N), 1.0, 1e-6);
    CHECK_NEAR(fb_rng_normal_table[0], -4.33, 0.01);
    /* Median entries: Phi^-1(0.5 +/- 0.5/65536) = +/-1.91e-5 (times the ~1.00015 rescale). */
    CHECK_NEAR(fb_rng_normal_table[32768], 0.5 / 65536 * sqrt(2 * 3.14159265358979), 1e-8);
}

static void test_fill_normal(void)
{
    const size_t n = N_DRAWS + 3; /* a tail of 3 exercises the partial last draw */
    float *x = malloc(n * sizeof(*x));
    fb_rng r;
    fb_rng_seed(&r, 5, FB_STREAM_SENSOR_NOISE, 0);
    fb_rng_fill_normal_f32(&r, x, n, 2.5f);
    double s1 = 0, s2 = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
        s1 += x[i];
        s2 += (double)x[i] * x[i];
        mx = fmax(mx, fabs(x[i]));
    }
    double mean = s1 / (double)n, sd = sqrt(s2 / (double)n - mean * mean);
    CHECK_NEAR(mean, 0.0, 4 * 2.5 / sqrt((double)n));
    CHECK_NEAR(sd / 2.5, 1.0, 0.005);
    CHECK(mx <= 2.5 * 4.34);

    /* Deterministic and consistent across lengths: fill(5) is a prefix of fill(8). */
    float a[8], b[5];
    fb_rng ra, rb;
    fb_rng_seed(&ra, 6, FB_STREAM_SENSOR_NOISE, 0);
    fb_rng_seed(&rb, 6, FB_STREAM_SENSOR_NOISE, 0);
    fb_rng_fill_normal_f32(&ra, a, 8, 1.0f);
    fb_rng_fill_normal_f32(&rb, b, 5, 1.0f);
    CHECK(memcmp(a, b, sizeof(b)) == 0);
    CHECK(ra.s[0] == rb.s[0] && ra.s[3] == rb.s[3]); /* both used two 64-bit draws */
    free(x);
}

int main(void)
{
    test_reference_values();
    test_streams();
    test_uniform();
    test_normal();
    test_exponential();
    test_table();
    test_fill_normal();
    return FBTEST_END();
}
