/* test_bolometer.c — the pixel lag and rolling readout against a numerical integration of the
 * lag equation (RK4, fine steps) under the same linear radiance ramp, plus the steady state,
 * the rows' read times and the pass-through. */
#include <math.h>
#include "bolometer.h"
#include "fb_error.h"
#include "fbtest.h"

#define W 4
#define H 8

/* dS/dt = (L(t) - S) / tau with L going linearly from l0 to l1 over [0, d]: S at time t. */
static double rk4(double s0, double l0, double l1, double d, double tau, double t)
{
    int n = 20000;
    double h = t / n, s = s0;
    for (int i = 0; i < n; i++) {
        double a = i * h;
#define LIN(x) (l0 + (l1 - l0) * (x) / d)
        double k1 = (LIN(a) - s) / tau, k2 = (LIN(a + h / 2) - (s + h / 2 * k1)) / tau;
        double k3 = (LIN(a + h / 2) - (s + h / 2 * k2)) / tau, k4 = (LIN(a + h) - (s + h * k3)) / tau;
        s += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return s;
}

int main(void)
{
    fb_bolometer b;
    float img[W * H];
    const double tau = 0.010, d = 0.040; /* FACTS.md: 7-12 ms; a 25 Hz camera */

    /* global readout: a step from 10 to 20 between two frames reads as the lag's response to
     * the ramp, 0.7546 of the way (1 - (1 - e^-4) / 4) */
    CHECK(fb_bolometer_init(&b, W, H, tau, false) == FB_OK);
    for (int i = 0; i < W * H; i++)
        img[i] = 10.0f;
    fb_bolometer_apply(&b, img, 0.0);
    CHECK_NEAR(img[5], 10.0, 0.0);
    for (int i = 0; i < W * H; i++)
        img[i] = 20.0f;
    fb_bolometer_apply(&b, img, d);
    double want = rk4(10.0, 10.0, 20.0, d, tau, d);
    CHECK_NEAR(want, 10.0 + 10.0 * (1.0 - (1.0 - exp(-4.0)) / 4.0), 1e-6);
    for (int i = 0; i < W * H; i++)
        CHECK_NEAR(img[i], want, 2e-5);
    /* held at 20: the next frame reads the lag's approach from the carried state */
    double s1 = want;
    for (int i = 0; i < W * H; i++)
        img[i] = 20.0f;
    fb_bolometer_apply(&b, img, 2 * d);
    CHECK_NEAR(img[3], rk4(s1, 20.0, 20.0, d, tau, d), 2e-5);
    /* a steady scene stays (to float rounding) */
    for (int k = 0; k < 20; k++) {
        for (int i = 0; i < W * H; i++)
            img[i] = 20.0f;
        fb_bolometer_apply(&b, img, (3 + k) * d);
    }
    CHECK_NEAR(img[7], 20.0, 1e-4);
    fb_bolometer_free(&b);

    /* rolling readout: row y is read (1 - (y + 0.5) / H) d before the frame time */
    CHECK(fb_bolometer_init(&b, W, H, tau, true) == FB_OK);
    for (int i = 0; i < W * H; i++)
        img[i] = 10.0f;
    fb_bolometer_apply(&b, img, 1.0);
    for (int i = 0; i < W * H; i++)
        img[i] = 20.0f;
    fb_bolometer_apply(&b, img, 1.0 + d);
    for (int y = 0; y < H; y++) {
        double t = (y + 0.5) / H * d;
        CHECK_NEAR(img[y * W + 1], rk4(10.0, 10.0, 20.0, d, tau, t), 2e-5);
    }
    CHECK(img[0] < img[(H - 1) * W]); /* the top is read earlier: it lags more */
    fb_bolometer_free(&b);

    /* no lag: pass-through; parameters out of range */
    CHECK(fb_bolometer_init(&b, W, H, 0.0, true) == FB_OK);
    img[0] = 42.0f;
    fb_bolometer_apply(&b, img, 0.0);
    fb_bolometer_apply(&b, img, 0.04);
    CHECK_NEAR(img[0], 42.0, 0.0);
    fb_bolometer_free(&b);
    CHECK(fb_bolometer_init(&b, 0, H, tau, true) == FB_ERR_RANGE);
    CHECK(fb_bolometer_init(&b, W, H, -1e-3, true) == FB_ERR_RANGE);
    CHECK(fb_bolometer_init(&b, W, H, 2.0, true) == FB_ERR_RANGE);
    return FBTEST_END();
}
