/* test_blackbody.c — the reference source: set point, OU statistics, warm-up, cooling when off, drift and moves against closed forms, range errors. */
#include <math.h>
#include <string.h>
#include "blackbody.h"
#include "fb_error.h"
#include "fbtest.h"

#define AMB 23.0 /* room air, °C */

static fb_blackbody_params params(void)
{
    fb_blackbody_params p = {.enabled = true,
                             .set_c = 35.0,
                             .emissivity = 0.98,
                             .x_m = -0.6,
                             .y_m = 3.0,
                             .z_m = 1.6,
                             .aperture_m = 0.08,
                             .instability_c = 0.0,
                             .instability_tau_s = 60.0,
                             .heat_rate_c_per_min = 1.0,
                             .cool_tau_s = 600.0};
    return p;
}

int main(void)
{
    fb_blackbody b;
    fb_blackbody_params p = params();
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    CHECK(b.surface_c == 35.0);
    int exact = 1;
    for (int i = 1; i <= 1000; i++)
        exact &= fb_blackbody_step(&b, i * 0.04, AMB) == 35.0;
    CHECK(exact);

    /* Instability 0.05 °C, tau 60 s, sampled every 180 s (3 tau, correlation 0.05). */
    p.instability_c = 0.05;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 2, AMB), FB_OK);
    const int n = 20000;
    double s1 = 0, s2 = 0;
    for (int i = 1; i <= n; i++) {
        double v = fb_blackbody_step(&b, i * 180.0, AMB) - 35.0;
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
        all_ok &= fb_blackbody_reset(&b, &p, (uint64_t)i + 100, AMB) == FB_OK;
        s2 += (b.surface_c - 35.0) * (b.surface_c - 35.0);
    }
    CHECK(all_ok);
    CHECK_NEAR(sqrt(s2 / 4000), 0.05, 4 * 0.05 / sqrt(8000.0));

    /* Same seed, same path; small steps move little (tau 60 s, 40 ms: SD 0.05 sqrt(2 dt/tau)). */
    fb_blackbody c;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 3, AMB), FB_OK);
    CHECK_EQ_INT(fb_blackbody_reset(&c, &p, 3, AMB), FB_OK);
    int same = 1;
    double maxstep = 0, prev = b.surface_c;
    for (int i = 1; i <= 500; i++) {
        double x = fb_blackbody_step(&b, i * 0.04, AMB);
        same &= x == fb_blackbody_step(&c, i * 0.04, AMB);
        maxstep = fmax(maxstep, fabs(x - prev));
        prev = x;
    }
    CHECK(same);
    CHECK(maxstep < 5 * 0.05 * sqrt(2 * 0.04 / 60.0));

    /* Range errors (only when enabled). */
    p = params();
    p.emissivity = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p.emissivity = 1.01;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p.emissivity = 1.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    p.aperture_m = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.instability_tau_s = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.instability_c = -0.1;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.set_c = NAN;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p.enabled = false;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    p = params();
    p.heat_rate_c_per_min = 0.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.cool_tau_s = -1.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.n_failures = 1;
    p.failures[0] = (fb_bb_failure){.kind = FB_BB_FAIL_OFF, .at_s = 10.0, .until_s = 10.0};
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE); /* until must be > at */
    p.failures[0].until_s = INFINITY;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    p.failures[0].at_s = -1.0;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p.failures[0].at_s = 0.0;
    p.failures[0].kind = FB_BB_FAIL_KIND_COUNT;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p.failures[0].kind = FB_BB_FAIL_OFF;
    p.n_failures = FB_BB_MAX_FAILURES + 1;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_ERR_RANGE);
    p = params();
    p.cold_start = true;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, NAN), FB_ERR_RANGE);

    /* Cold start in a 23 °C room: the heater's 1 K/min slew until the control band, which
     * starts where (35 - T) / 15 s = 1/60 K/s, i.e. at 34.75 °C after 11.75 min; then
     * T = 35 - 0.25 exp(-(t - 705 s) / 15 s). Closed forms, RK2 at 0.25 s steps. */
    p = params();
    p.cold_start = true;
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    CHECK(b.surface_c == AMB);
    double at300 = 0, at765 = 0, at1200 = 0;
    for (int i = 1; i <= 1200 * 25; i++) {
        double t = i * 0.04, x = fb_blackbody_step(&b, t, AMB);
        if (i == 300 * 25)
            at300 = x;
        if (i == 765 * 25)
            at765 = x;
        at1200 = x;
    }
    CHECK_NEAR(at300, 28.0, 1e-9);
    CHECK_NEAR(at765, 35.0 - 0.25 * exp(-60.0 / 15.0), 2e-4);
    CHECK_NEAR(at1200, 35.0, 1e-6);

    /* Switched off at 100 s and on again at 400 s: Newton cooling toward the room with
     * tau 600 s, T(400) = 23 + 12 exp(-300/600) = 30.278; then the 1 K/min slew again. */
    p = params();
    p.n_failures = 1;
    p.failures[0] = (fb_bb_failure){.kind = FB_BB_FAIL_OFF, .at_s = 100.0, .until_s = 400.0};
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    double t400 = 0, t460 = 0, t99 = 0;
    for (int i = 1; i <= 460 * 25; i++) {
        double t = i * 0.04, x = fb_blackbody_step(&b, t, AMB);
        if (i == 99 * 25)
            t99 = x;
        if (i == 400 * 25)
            t400 = x;
        t460 = x;
    }
    CHECK(t99 == 35.0);
    CHECK_NEAR(t400, 23.0 + 12.0 * exp(-0.5), 1e-3);
    CHECK_NEAR(t460, 23.0 + 12.0 * exp(-0.5) + 1.0, 1e-3);
    CHECK(fb_blackbody_failing(&b, FB_BB_FAIL_OFF, 100.0));
    CHECK(fb_blackbody_failing(&b, FB_BB_FAIL_OFF, 399.9));
    CHECK(!fb_blackbody_failing(&b, FB_BB_FAIL_OFF, 400.0));
    CHECK(!fb_blackbody_failing(&b, FB_BB_FAIL_DRIFT, 200.0));

    /* A drift of +0.5 K/min from 60 s: the plate lags its running target by
     * tau_control * rate = 15 s * 0.5/60 K/s = 0.125 K once settled; at 660 s the target is
     * 40 °C. Downward the same lag (the room cools it faster than -0.5 K/min needs). */
    for (int sign = 1; sign >= -1; sign -= 2) {
        p = params();
        p.n_failures = 1;
        p.failures[0] = (fb_bb_failure){
            .kind = FB_BB_FAIL_DRIFT, .at_s = 60.0, .until_s = INFINITY, .rate_c_per_min = 0.5 * sign};
        CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
        double x = 0;
        for (int i = 1; i <= 660 * 25; i++)
            x = fb_blackbody_step(&b, i * 0.04, AMB);
        CHECK_NEAR(fb_blackbody_target_c(&b, 660.0), 35.0 + 5.0 * sign, 1e-12);
        CHECK_NEAR(x, 35.0 + sign * (5.0 - 0.125), 1e-3);
    }

    /* Moved by (0.4, 0, -0.1) m from 30 to 90 s; back where installed afterwards. */
    p = params();
    p.n_failures = 2;
    p.failures[0] = (fb_bb_failure){.kind = FB_BB_FAIL_MOVED,
                                    .at_s = 30.0,
                                    .until_s = 90.0,
                                    .offset_m = {0.4, 0.0, -0.1}};
    p.failures[1] = (fb_bb_failure){.kind = FB_BB_FAIL_OCCLUDED, .at_s = 50.0, .until_s = 60.0};
    CHECK_EQ_INT(fb_blackbody_reset(&b, &p, 1, AMB), FB_OK);
    double x, y, z;
    fb_blackbody_position(&b, 29.99, &x, &y, &z);
    CHECK(x == -0.6 && y == 3.0 && z == 1.6);
    fb_blackbody_position(&b, 30.0, &x, &y, &z);
    CHECK_NEAR(x, -0.2, 1e-12);
    CHECK(y == 3.0);
    CHECK_NEAR(z, 1.5, 1e-12);
    fb_blackbody_position(&b, 90.0, &x, &y, &z);
    CHECK(x == -0.6 && z == 1.6);
    CHECK(fb_blackbody_failing(&b, FB_BB_FAIL_OCCLUDED, 55.0));
    CHECK(!fb_blackbody_failing(&b, FB_BB_FAIL_OCCLUDED, 60.0));
    /* neither a move nor a cover changes the plate's temperature */
    int steady = 1;
    for (int i = 1; i <= 100 * 25; i++)
        steady &= fb_blackbody_step(&b, i * 0.04, AMB) == 35.0;
    CHECK(steady);
    CHECK(!strcmp(fb_bb_failure_name(FB_BB_FAIL_OCCLUDED), "occluded"));
    return FBTEST_END();
}
