/* ambient.h — the room's air temperature over time: constant, ramp, sinusoid (HVAC) or random walk. */
#ifndef FB_AMBIENT_H
#define FB_AMBIENT_H

#include <stdint.h>
#include "rng.h"

typedef enum fb_ambient_kind {
    FB_AMBIENT_CONSTANT = 0,
    FB_AMBIENT_RAMP,        /* base + rate * t */
    FB_AMBIENT_SINE,        /* base + amplitude * sin(2 pi t / period) */
    FB_AMBIENT_RANDOM_WALK  /* Ornstein–Uhlenbeck around base: stationary SD sd_c, time constant tau_s */
} fb_ambient_kind;

typedef struct fb_ambient_params {
    fb_ambient_kind kind;
    double base_c;
    double rate_c_per_h;  /* ramp */
    double amplitude_c;   /* sine */
    double period_s;      /* sine, > 0 */
    double sd_c;          /* random walk stationary SD */
    double tau_s;         /* random walk time constant, > 0 */
} fb_ambient_params;

typedef struct fb_ambient {
    fb_ambient_params p;
    fb_rng rng;
    double t_s;      /* time of the current value */
    double ou_c;     /* random-walk deviation from base */
    double value_c;  /* current air temperature */
} fb_ambient;

/* Resets to t = 0 (value = base for constant/ramp/sine/random walk). Returns FB_ERR_RANGE for
 * a period or tau <= 0, sd < 0, non-finite values or an unknown kind (only the fields the kind
 * uses are checked). The random walk draws from stream (seed, FB_STREAM_AMBIENT, 0). */
int fb_ambient_reset(fb_ambient *a, const fb_ambient_params *p, uint64_t seed);

/* Advances to t_s (>= current t_s; equal steps give the same path whatever the step size for
 * the deterministic kinds, and the exact OU transition for the random walk) and returns the
 * air temperature in °C. */
double fb_ambient_step(fb_ambient *a, double t_s);

#endif
