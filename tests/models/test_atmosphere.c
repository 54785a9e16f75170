/* test_atmosphere.c — air transmission against hand-computed values of the published FLIR water-vapour model, its trends with distance and humidity, and the path radiance it adds. */
#include <math.h>
#include <stdlib.h>
#include "atmosphere.h"
#include "fbtest.h"
#include "radiometry.h"

int main(void)
{
    /* Water vapour term at 23 °C, 40 % RH: 0.4 exp(1.5587 + 1.59597 - 0.147106 + 0.008329)
     * = 0.4 exp(3.015793) = 8.1626 (by hand). */
    CHECK_NEAR(fb_atmosphere_h2o(23.0, 40.0), 8.1626, 5e-4);
    CHECK_NEAR(fb_atmosphere_h2o(23.0, 0.0), 0.0, 0.0);
    CHECK_NEAR(fb_atmosphere_h2o(23.0, 150.0), fb_atmosphere_h2o(23.0, 100.0), 0.0); /* clamped */

    /* tau = 1.9 exp(-s (0.006569 - 0.002276 h)) - 0.9 exp(-s (0.01262 - 0.00667 h)),
     * h = sqrt(8.1626) = 2.85703, computed by hand (Python, double) for 23 °C, 40 % RH:
     * 1 m 0.994062, 2.8 m 0.990043, 4 m 0.988087, 10 m 0.981095; 80 % RH at 10 m 0.974129,
     * 10 % RH at 10 m 0.988927. */
    CHECK_NEAR(fb_atmosphere_transmission(1.0, 23.0, 40.0), 0.994062, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(2.8, 23.0, 40.0), 0.990043, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(4.0, 23.0, 40.0), 0.988087, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(10.0, 23.0, 40.0), 0.981095, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(10.0, 23.0, 80.0), 0.974129, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(10.0, 23.0, 10.0), 0.988927, 2e-6);
    CHECK_NEAR(fb_atmosphere_transmission(0.0, 23.0, 40.0), 1.0, 0.0);
    CHECK_NEAR(fb_atmosphere_transmission(-1.0, 23.0, 40.0), 1.0, 0.0);

    /* Transmission falls with distance (0.5..10 m) and with humidity, over room conditions
     * (FDA room 20–24 °C, RH 10–50 %; docs/sources.md, and wider: 15–32 °C, 0–100 %). */
    int falls_d = 1, falls_rh = 1, in_unit = 1;
    for (double t = 15.0; t <= 32.0; t += 1.0)
        for (double rh = 0.0; rh <= 100.0; rh += 10.0) {
            double prev = 1.0;
            for (double d = 0.5; d <= 10.0 + 1e-9; d += 0.5) {
                double tau = fb_atmosphere_transmission(d, t, rh);
                falls_d &= tau < prev;
                in_unit &= tau > 0.9 && tau < 1.0;
                falls_rh &= rh == 0.0 || tau < fb_atmosphere_transmission(d, t, rh - 10.0);
                prev = tau;
            }
        }
    CHECK(falls_d);
    CHECK(falls_rh);
    CHECK(in_unit);

    /* Path radiance: an object at air temperature is unchanged whatever tau; a warmer one
     * loses (1 - tau)(L_obj - L_air). */
    fb_radiometry *rad = malloc(sizeof(*rad));
    fb_radiometry_init(rad);
    double l_air = fb_radiometry_radiance(rad, 296.15), l_bb = fb_radiometry_radiance(rad, 308.15);
    CHECK_NEAR(fb_atmosphere_apply(0.98, l_air, l_air), l_air, 1e-12);
    CHECK_NEAR(fb_atmosphere_apply(0.98, l_bb, l_air), l_bb - 0.02 * (l_bb - l_air), 1e-12);
    CHECK_NEAR(fb_atmosphere_apply(1.0, l_bb, l_air), l_bb, 0.0);
    /* A 35 °C emissivity-0.98 blackbody in a 23 °C, 40 % RH room, as the camera sees it
     * (exact Planck integration in Python, independent of this code): 34.70562 °C at 1 m,
     * 34.56046 °C at 10 m, i.e. 0.14516 °C closer to ambient at 10 m. */
    double l_s = fb_radiometry_surface(rad, 0.98, 308.15, 296.15);
    double r1 =
        fb_radiometry_temperature(
            rad, fb_atmosphere_apply(fb_atmosphere_transmission(1.0, 23.0, 40.0), l_s, l_air)) -
        FB_KELVIN_OFFSET;
    double r10 =
        fb_radiometry_temperature(
            rad, fb_atmosphere_apply(fb_atmosphere_transmission(10.0, 23.0, 40.0), l_s, l_air)) -
        FB_KELVIN_OFFSET;
    CHECK_NEAR(r1, 34.70562, 2e-4);
    CHECK_NEAR(r10, 34.56046, 2e-4);
    CHECK_NEAR(r1 - r10, 0.14516, 2e-4);
    printf("tau(23 C, 40 %%): 1 m %.5f, 4 m %.5f, 10 m %.5f; 35 C blackbody reads %.3f at 1 m, "
           "%.3f at 10 m\n",
           fb_atmosphere_transmission(1.0, 23.0, 40.0), fb_atmosphere_transmission(4.0, 23.0, 40.0),
           fb_atmosphere_transmission(10.0, 23.0, 40.0), r1, r10);
    free(rad);
    return FBTEST_END();
}
