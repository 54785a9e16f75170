/* sensor.h — the microbolometer array, first version: radiance -> raw 14-bit counts with NETD noise, fixed-pattern noise and a drifting offset. */
#ifndef FB_SENSOR_H
#define FB_SENSOR_H

#include <stddef.h>
#include <stdint.h>
#include "radiometry.h"
#include "rng.h"

#define FB_SENSOR_COUNTS_MAX 16383 /* 14-bit raw output (FACTS.md: centred near 8192) */
#define FB_SENSOR_COUNTS_MID 8192

typedef struct fb_sensor_params {
    int width, height;
    double netd_k;          /* temporal noise, equivalent temperature difference at 300 K */
    double counts_per_k;    /* responsivity at 300 K: FACTS.md ~0.025 K per count -> 40 */
    double reference_c;     /* scene temperature that reads FB_SENSOR_COUNTS_MID (shutter temp) */
    double fpn_sd_k;        /* fixed-pattern offset SD, K-equivalent at 300 K */
    double drift_sd_k;      /* camera offset drift: stationary SD (OU), K-equivalent */
    double drift_tau_s;     /* its time constant, > 0 */
} fb_sensor_params;

/* Sensor state. fpn_counts is owned (fb_sensor_init allocates, fb_sensor_free frees). */
typedef struct fb_sensor {
    fb_sensor_params p;
    double gain_counts_per_radiance; /* counts per W m^-2 sr^-1 */
    double reference_radiance;       /* L(reference_c) */
    float noise_sd_counts;
    float *fpn_counts;               /* width*height offsets, drawn once */
    float *scratch;                  /* width*height noise buffer */
    fb_rng noise_rng, drift_rng;
    double t_s;
    double drift_counts;             /* current offset drift */
} fb_sensor;

/* Streams: (seed, FB_STREAM_SENSOR_NOISE/FPN/DRIFT, 0). The drift starts at a draw from its
 * stationary distribution. Returns FB_ERR_RANGE for bad params (drift_tau_s is only checked
 * when drift_sd_k > 0), FB_ERR_NOMEM; after an error *s is safe to fb_sensor_free. */
int fb_sensor_init(fb_sensor *s, const fb_sensor_params *p, const fb_radiometry *rad,
                   uint64_t seed);
void fb_sensor_free(fb_sensor *s);

/* Exposes one frame at time t_s: radiance[width*height] (W m^-2 sr^-1 at the aperture) ->
 * counts_out[width*height], 14-bit, rounded to nearest and clamped to 0..16383. */
void fb_sensor_expose(fb_sensor *s, const float *radiance, double t_s, uint16_t *counts_out);

#endif
