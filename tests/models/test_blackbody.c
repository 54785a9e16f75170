/* test_blackbody.c — the reference source: exactly the set point without instability, OU statistics with it, determinism and range errors. */
#include <math.h>
#include "blackbody.h"
#include "fb_error.h"
#include "fbtest.h"

static fb_blackbody_params params(void)
{
    fb_blackbody_params p = {true, 35.0, 0.98, -0.6, 3.0, 1.6, 0.08, 0.0, 60.0};
    return p;
}

int main(void)
{
    fb_blackbody b;
    fb_blackbody_params p = params();
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_OK);
    CHECK(b.surface_c == 35.0);
    int exact = 1;
    for (int i = 1; i <= 1000; i++)
        exact &= fb_blackbody_step(&b, i * 0.04) == 35.0;
    CHECK(exact);

    /* Instability 0.05 °C, tau 60 s, sampled every 180 s (3 tau, correlation 0.05). */
    p.instability_c = 0.05;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 2), FB_OK);
    const int n = 20000;
    double s1 = 0, s2 = 0;
    for (int i = 1; i <= n; i++) {
        double v = fb_blackbody_step(&b, i * 180.0) - 35.0;
        s1 += v;
        s2 += v * v;
    }
    double mean = s1 / n, sd = sqrt(s2 / n - mean * mean);
    CHECK_NEAR(mean, 0.0, 4 * 0.05 / sqrt(n) * 1.05);
    CHECK_NEAR(sd, 0.05, 4 * 0.05 / sqrt(2.0 * n) * 1.05);

    /* The start is a stationary draw: across many seeds its SD is the instability. */
    s2 = 0;
    int all_ok = 1;
    for (int i = 0; i < 4000; i++) {
        all_ok &= fb_blackbody_reset(&b, &p, (uint64_t)i + 100) == FB_OK;
        s2 += (b.surface_c - 35.0) * (b.surface_c - 35.0);
    }
    CHECK(all_ok);
    CHECK_NEAR(sqrt(s2 / 4000), 0.05, 4 * 0.05 / sqrt(8000.0));

    /* Same seed, same path; small steps move little (tau 60 s, 40 ms: SD 0.05 sqrt(2 dt/tau)). */
    fb_blackbody c;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 3), FB_OK);
    CHECK_EQ_INT(fb_blackbody_reset(&c, &p, 3), FB_OK);
    int same = 1;
    double maxstep = 0, prev = b.surface_c;
    for (int i = 1; i <= 500; i++) {
        double x = fb_blackbody_step(&b, i * 0.04);
        same &= x == fb_blackbody_step(&c, i * 0.04);
        maxstep = fmax(maxstep, fabs(x - prev));
        prev = x;
    }
    CHECK(same);
    CHECK(maxstep < 5 * 0.05 * sqrt(2 * 0.04 / 60.0));

    /* Range errors (only when enabled). */
    p = params();
    p.emissivity = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p.emissivity = 1.01;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p.emissivity = 1.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_OK);
    p.aperture_m = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p = params();
    p.instability_tau_s = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p = params();
    p.instability_c = -0.1;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p = params();
    p.set_c = NAN;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_ERR_RANGE);
    p.enabled = false;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1), FB_OK);
    return FBTEST_END();
}
