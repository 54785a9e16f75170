/* radiometry.h — Planck band radiance over the LWIR band, emissivity and reflection, and its inverse. */
#ifndef FB_RADIOMETRY_H
#define FB_RADIOMETRY_H

/* Band of an uncooled microbolometer: 8–14 µm (docs/sources.md "Sensor facts"). */
#define FB_BAND_LO_M 8.0e-6
#define FB_BAND_HI_M 14.0e-6
#define FB_KELVIN_OFFSET 273.15

/* Exact band radiance in W m^-2 sr^-1 of a blackbody at temp_k over [lo_m, hi_m], by
 * composite Simpson integration of Planck's law (enough intervals for < 1e-6 relative error).
 * temp_k must be > 0 (returns 0 otherwise). */
double fb_band_radiance_exact(double temp_k, double lo_m, double hi_m);

/* Inverse of fb_band_radiance_exact over the LWIR band: the blackbody temperature in K whose
 * band radiance is radiance (Newton iteration, |error| < 1e-6 K over 150–500 K). Returns 0 for
 * radiance <= 0, which no temperature emits. */
double fb_band_temperature_exact(double radiance);

/* Fast table for the frame loop: LWIR band radiance sampled every 0.05 K over
 * FB_RAD_TABLE_MIN_K .. FB_RAD_TABLE_MAX_K, linearly interpolated (error < 1e-5 K equivalent).
 * Outside the range the exact function is used. Immutable after init; share freely. */
#define FB_RAD_TABLE_MIN_K 173.15 /* -100 °C */
#define FB_RAD_TABLE_MAX_K 523.15 /* 250 °C */
#define FB_RAD_TABLE_STEP_K 0.05
#define FB_RAD_TABLE_N 7001

typedef struct fb_radiometry {
    double radiance[FB_RAD_TABLE_N];
} fb_radiometry;

void fb_radiometry_init(fb_radiometry *r);
/* Blackbody LWIR band radiance at temp_k (table). */
double fb_radiometry_radiance(const fb_radiometry *r, double temp_k);
/* Temperature in K of a blackbody with this band radiance (table + bisection; the exact inverse
 * of fb_radiometry_radiance inside the table, fb_band_temperature_exact outside: 0 for <= 0). */
double fb_radiometry_temperature(const fb_radiometry *r, double radiance);
/* d(radiance)/dT at temp_k in W m^-2 sr^-1 K^-1 (central difference on the table). */
double fb_radiometry_slope(const fb_radiometry *r, double temp_k);

/* Radiance leaving a grey opaque surface: emissivity * L(temp) + (1 - emissivity) * L(reflected).
 * emissivity in [0, 1]. */
double fb_radiometry_surface(const fb_radiometry *r, double emissivity, double temp_k,
                             double reflected_temp_k);

#endif
