/* test_ambient.c — room temperature kinds: exact values for the deterministic ones, OU stationary SD and replay for the random walk, and range errors. */
#include <math.h>
#include "ambient.h"
#include "fb_error.h"
#include "fbtest.h"

static fb_ambient_params params(fb_ambient_kind kind)
{
    fb_ambient_params p = {kind, 22.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    return p;
}

int main(void)
{
    fb_ambient a;
    fb_ambient_params p = params(FB_AMBIENT_CONSTANT);
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_OK);
    CHECK(a.value_c == 22.0);
    CHECK(fb_ambient_step(&a, 100.0) == 22.0);

    /* Ramp: 22 + 1.8 °C/h * t / 3600: at 30 min 22.9, at 2 h 25.6. */
    p = params(FB_AMBIENT_RAMP);
    p.rate_c_per_h = 1.8;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_OK);
    CHECK_NEAR(fb_ambient_step(&a, 1800.0), 22.9, 1e-12);
    CHECK_NEAR(fb_ambient_step(&a, 7200.0), 25.6, 1e-12);
    CHECK_NEAR(fb_ambient_step(&a, 7000.0), 25.6, 1e-12); /* time never runs back */

    /* Sine: 22 + 1.5 sin(2 pi t / 600): +1.5 at 150 s, 22 at 300 s, -1.5 at 450 s; any step size. */
    p = params(FB_AMBIENT_SINE);
    p.amplitude_c = 1.5;
    p.period_s = 600.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_OK);
    CHECK_NEAR(fb_ambient_step(&a, 150.0), 23.5, 1e-12);
    CHECK_NEAR(fb_ambient_step(&a, 300.0), 22.0, 1e-12);
    CHECK_NEAR(fb_ambient_step(&a, 450.0), 20.5, 1e-12);
    fb_ambient b;
    CHECK_EQ_INT(fb_ambient_reset(&b, &p, 1), FB_OK);
    for (int i = 1; i <= 450; i++)
        fb_ambient_step(&b, i * 1.0);
    CHECK(b.value_c == a.value_c);

    /* Random walk: starts at base; stationary SD over a long path sampled every 3 tau
     * (correlation e^-3 = 0.05, nearly independent): 20000 samples, SE of SD ~ 0.5 %. */
    p = params(FB_AMBIENT_RANDOM_WALK);
    p.sd_c = 0.8;
    p.tau_s = 120.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 7), FB_OK);
    CHECK(a.value_c == 22.0);
    double s1 = 0, s2 = 0;
    const int n = 20000;
    for (int i = 1; i <= n; i++) {
        double v = fb_ambient_step(&a, i * 360.0) - 22.0;
        s1 += v;
        s2 += v * v;
    }
    double mean = s1 / n, sd = sqrt(s2 / n - mean * mean);
    CHECK_NEAR(mean, 0.0, 4 * 0.8 / sqrt(n) * 1.05);
    CHECK_NEAR(sd, 0.8, 4 * 0.8 / sqrt(2.0 * n) * 1.05);

    /* Lag-1 correlation of a path sampled every tau/2 is e^-0.5 (SE ~ (1 - rho^2)/sqrt(n)). */
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 8), FB_OK);
    double prev = fb_ambient_step(&a, 3600.0) - 22.0, sxy = 0, sxx = 0;
    for (int i = 1; i <= n; i++) {
        double v = fb_ambient_step(&a, 3600.0 + i * 60.0) - 22.0;
        sxy += prev * v;
        sxx += prev * prev;
        prev = v;
    }
    CHECK_NEAR(sxy / sxx, exp(-0.5), 4 * (1 - exp(-1.0)) / sqrt(n));

    /* Reset and replay: the same path bit for bit; another seed differs. */
    double path[50];
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 9), FB_OK);
    for (int i = 0; i < 50; i++)
        path[i] = fb_ambient_step(&a, (i + 1) * 0.04);
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 9), FB_OK);
    int same = 1;
    for (int i = 0; i < 50; i++)
        same &= path[i] == fb_ambient_step(&a, (i + 1) * 0.04);
    CHECK(same);
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 10), FB_OK);
    CHECK(fb_ambient_step(&a, 0.04) != path[0]);
    /* sd 0 stays at base */
    p.sd_c = 0.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 9), FB_OK);
    CHECK(fb_ambient_step(&a, 1000.0) == 22.0);

    /* Range errors: period / tau <= 0, negative sd, non-finite values, unknown kind. */
    p = params(FB_AMBIENT_SINE);
    p.period_s = 0.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    p.period_s = -5.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    p = params(FB_AMBIENT_RANDOM_WALK);
    p.sd_c = 1.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE); /* tau 0 */
    p.tau_s = 10.0;
    p.sd_c = -1.0;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    p = params(FB_AMBIENT_CONSTANT);
    p.base_c = NAN;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    p = params(FB_AMBIENT_RAMP);
    p.rate_c_per_h = INFINITY;
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    p = params((fb_ambient_kind)17);
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_ERR_RANGE);
    /* fields a kind does not use are not checked */
    p = params(FB_AMBIENT_CONSTANT);
    CHECK_EQ_INT(fb_ambient_reset(&a, &p, 1), FB_OK);
    return FBTEST_END();
}
