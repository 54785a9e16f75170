/* test_radiometry.c — band radiance against the series solution of the Planck integral, inverse round trips, monotonicity, slope and surface mixing. */
#include <math.h>
#include <stdlib.h>
#include "fbtest.h"
#include "radiometry.h"

/* CODATA 2018 exact constants, repeated here so the check is independent of the model. */
static const double H = 6.62607015e-34, C = 299792458.0, KB = 1.380649e-23;
static const double PI = 3.14159265358979323846;

/* Fraction of blackbody exitance at wavelengths 0..lam_m (series for the Planck integral:
 * F = 15/pi^4 sum_n e^-nx / n (x^3 + 3x^2/n + 6x/n^2 + 6/n^3), x = hc / (lam k T)). */
static double planck_fraction(double lam_m, double temp_k)
{
    double x = H * C / (lam_m * KB * temp_k), s = 0;
    for (int i = 1; i <= 200; i++) {
        double n = i;
        s += exp(-n * x) / n * (x * x * x + 3 * x * x / n + 6 * x / (n * n) + 6 / (n * n * n));
    }
    return 15.0 / pow(PI, 4) * s;
}

static double series_band_radiance(double temp_k)
{
    double sigma = 2 * pow(PI, 5) * pow(KB, 4) / (15 * pow(H, 3) * C * C); /* Stefan–Boltzmann */
    double f = planck_fraction(FB_BAND_HI_M, temp_k) - planck_fraction(FB_BAND_LO_M, temp_k);
    return f * sigma * pow(temp_k, 4) / PI;
}

int main(void)
{
    fb_radiometry *r = malloc(sizeof(*r));
    fb_radiometry_init(r);

    /* (1) Simpson against the series: 300 K to 1e-6 relative, and across the table's range. */
    double l300 = fb_band_radiance_exact(300.0, FB_BAND_LO_M, FB_BAND_HI_M);
    CHECK_NEAR(l300 / series_band_radiance(300.0), 1.0, 1e-6);
    CHECK_NEAR(l300, 54.93, 0.01); /* ~37.6 % of sigma T^4 / pi = 146.2 */
    double worst = 0;
    for (double t = 180.0; t <= 520.0; t += 10.0)
        worst = fmax(worst, fabs(fb_band_radiance_exact(t, FB_BAND_LO_M, FB_BAND_HI_M) /
                                     series_band_radiance(t) - 1.0));
    CHECK(worst < 1e-6);
    CHECK_NEAR(fb_radiometry_radiance(r, 300.0) / series_band_radiance(300.0), 1.0, 1e-6);
    CHECK(fb_band_radiance_exact(0.0, FB_BAND_LO_M, FB_BAND_HI_M) == 0.0);

    /* (2) Round trips over -20 .. 150 °C: table < 0.001 K, exact < 1e-6 K. */
    double worst_table = 0, worst_exact = 0, worst_interp = 0;
    for (double t_c = -20.0; t_c <= 150.0; t_c += 0.37) {
        double t = t_c + FB_KELVIN_OFFSET;
        double lt = fb_radiometry_radiance(r, t);
        worst_table = fmax(worst_table, fabs(fb_radiometry_temperature(r, lt) - t));
        double le = fb_band_radiance_exact(t, FB_BAND_LO_M, FB_BAND_HI_M);
        worst_exact = fmax(worst_exact, fabs(fb_band_temperature_exact(le) - t));
        /* the table's interpolation error, in kelvin (header: < 1e-5 K) */
        worst_interp = fmax(worst_interp, fabs(fb_band_temperature_exact(lt) - t));
    }
    CHECK(worst_table < 0.001);
    CHECK(worst_exact < 1e-6);
    CHECK(worst_interp < 1e-5);
    /* exact inverse at the ends of its documented range 150–500 K, and outside the table */
    CHECK_NEAR(fb_band_temperature_exact(fb_band_radiance_exact(150.0, 8e-6, 14e-6)), 150.0, 1e-6);
    CHECK_NEAR(fb_band_temperature_exact(fb_band_radiance_exact(500.0, 8e-6, 14e-6)), 500.0, 1e-6);
    CHECK_NEAR(fb_radiometry_temperature(r, fb_radiometry_radiance(r, 600.0)), 600.0, 1e-6);
    CHECK_NEAR(fb_radiometry_temperature(r, fb_radiometry_radiance(r, 160.0)), 160.0, 1e-6);
    CHECK(fb_radiometry_temperature(r, 0.0) == 0.0);
    CHECK(fb_radiometry_temperature(r, -1.0) == 0.0);

    /* (3) Monotonic: the table itself and sampled between nodes. */
    int increasing = 1;
    for (int i = 1; i < FB_RAD_TABLE_N; i++)
        increasing &= r->radiance[i] > r->radiance[i - 1];
    double prev = 0;
    for (double t = 170.0; t < 530.0; t += 0.013) {
        double l = fb_radiometry_radiance(r, t);
        increasing &= l > prev;
        prev = l;
    }
    CHECK(increasing);

    /* (4) Slope against a central difference of the exact function (h = 0.01 K). */
    for (double t = 250.0; t <= 420.0; t += 17.0) {
        double num = (fb_band_radiance_exact(t + 0.01, 8e-6, 14e-6) -
                      fb_band_radiance_exact(t - 0.01, 8e-6, 14e-6)) / 0.02;
        CHECK_NEAR(fb_radiometry_slope(r, t) / num, 1.0, 1e-4);
    }
    CHECK_NEAR(fb_radiometry_slope(r, 300.0), 0.7, 0.15); /* ~0.7 W m^-2 sr^-1 K^-1 at 300 K */

    /* (5) Surface: emissivity 1 is the blackbody, 0 the reflection, 0.98 the mix. */
    CHECK(fb_radiometry_surface(r, 1.0, 310.0, 290.0) == fb_radiometry_radiance(r, 310.0));
    CHECK(fb_radiometry_surface(r, 0.0, 310.0, 290.0) == fb_radiometry_radiance(r, 290.0));
    CHECK_NEAR(fb_radiometry_surface(r, 0.98, 310.0, 290.0),
               0.98 * fb_radiometry_radiance(r, 310.0) + 0.02 * fb_radiometry_radiance(r, 290.0),
               1e-12);
    free(r);
    return FBTEST_END();
}
