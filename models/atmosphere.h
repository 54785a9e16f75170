/* atmosphere.h — the air between the camera and an object: LWIR transmission from distance, air temperature and humidity, and the path radiance it adds. */
#ifndef FB_ATMOSPHERE_H
#define FB_ATMOSPHERE_H

/* Water vapour content used by the transmission model: (rh / 100) * exp(1.5587 + 0.06939 T
 * - 0.00027816 T^2 + 0.00000068455 T^3), T the air temperature in °C (FLIR's empirical humidity
 * term, as published in Tattersall's Thermimage raw2temp and Minkina & Dudzik, "Infrared
 * Thermography: Errors and Uncertainties", 2009). rh_percent is clamped to [0, 100]. */
double fb_atmosphere_h2o(double air_c, double rh_percent);

/* Band transmission of distance_m of air (8–14 µm camera band), FLIR's two-term model with the
 * SC660 constants (same sources): with s = sqrt(distance_m) and h = sqrt(h2o),
 *   tau = X exp(-s (a1 + b1 h)) + (1 - X) exp(-s (a2 + b2 h)),
 *   X = 1.9, a1 = 0.006569, a2 = 0.01262, b1 = -0.002276, b2 = -0.00667.
 * 1 at distance 0; falls with distance and with humidity (about 0.994 at 1 m and 0.981 at 10 m
 * for 23 °C, 40 % RH). distance_m <= 0 gives 1; the result is clamped to [0, 1]. */
double fb_atmosphere_transmission(double distance_m, double air_c, double rh_percent);

/* Radiance at the aperture from an object seen through air of transmission tau at radiance
 * l_air (blackbody radiance at the air temperature): tau * l_object + (1 - tau) * l_air. */
static inline double fb_atmosphere_apply(double tau, double l_object, double l_air)
{
    return tau * l_object + (1.0 - tau) * l_air;
}

#endif
