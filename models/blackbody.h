/* blackbody.h — the reference blackbody (ETRS): a uniform square source at a set point beside the lane. */
#ifndef FB_BLACKBODY_H
#define FB_BLACKBODY_H

#include <stdbool.h>
#include <stdint.h>
#include "rng.h"

typedef struct fb_blackbody_params {
    bool enabled;
    double set_c;            /* set point; vendors 35 °C, FDA/Wang 2023 found 36–37 best */
    double emissivity;       /* (0, 1], typical ETRS 0.97–0.99 */
    double x_m, y_m, z_m;    /* centre: lateral (+ image right), distance along the axis, height */
    double aperture_m;       /* side of the square emitting surface */
    double instability_c;    /* stationary SD of the surface around the set point (OU) */
    double instability_tau_s;/* its time constant, > 0 */
} fb_blackbody_params;

typedef struct fb_blackbody {
    fb_blackbody_params p;
    fb_rng rng;
    double t_s;
    double surface_c; /* actual emitting surface temperature now */
} fb_blackbody;

/* Returns FB_ERR_RANGE for emissivity outside (0,1], aperture <= 0, tau <= 0, instability < 0
 * (checked only when enabled). Draws from stream (seed, FB_STREAM_BLACKBODY, 0); the surface
 * starts at a draw from its stationary distribution (exactly set_c when instability_c is 0). */
int fb_blackbody_reset(fb_blackbody *b, const fb_blackbody_params *p, uint64_t seed);
/* Advances to t_s and returns the surface temperature in °C. */
double fb_blackbody_step(fb_blackbody *b, double t_s);

#endif
