/* rng.h — seeded random streams: one independent stream per entity (xoshiro256**, seeded by splitmix64). */
#ifndef FB_RNG_H
#define FB_RNG_H

#include <stddef.h>
#include <stdint.h>

/* Which kind of entity a stream belongs to. A stream is identified by (run seed, kind, index),
 * so adding subject 7 never changes the noise of subject 3 or of the camera. Append only:
 * renumbering changes every run's output. */
typedef enum fb_stream_kind {
    FB_STREAM_SENSOR_NOISE = 1, /* temporal noise of the focal-plane array */
    FB_STREAM_SENSOR_FPN = 2,   /* fixed-pattern noise map */
    FB_STREAM_SENSOR_DRIFT = 3, /* slow offset drift of the camera */
    FB_STREAM_SUBJECT = 4,      /* physiology and gait of subject <index> */
    FB_STREAM_POPULATION = 5,   /* arrival process of the population generator */
    FB_STREAM_AMBIENT = 6,      /* room temperature random walk */
    FB_STREAM_BLACKBODY = 7,    /* blackbody set-point instability */
    FB_STREAM_CONFOUNDERS = 8,  /* confounders and head turns of subject <index> (same index as
                                 * its SUBJECT stream), so they never shift its physiology */
    FB_STREAM_SENSOR_PIXELS = 9, /* dead and noisy pixels (index 0), noisy pixels' noise (1) */
    FB_STREAM_APPEARANCE = 10    /* build, face, hair and clothes of subject <index> (same index
                                  * as its SUBJECT stream) */
} fb_stream_kind;

typedef struct fb_rng {
    uint64_t s[4];
} fb_rng;

/* Seeds r for stream (seed, kind, index). Every state bit comes from splitmix64 of a
 * mix of the three, so nearby seeds and indices give unrelated streams. */
void fb_rng_seed(fb_rng *r, uint64_t seed, uint32_t kind, uint32_t index);

uint64_t fb_rng_next(fb_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double fb_rng_uniform(fb_rng *r);
/* Standard normal N(0, 1) (exact method, e.g. Marsaglia polar). */
double fb_rng_normal(fb_rng *r);
/* mean + sd * N(0, 1). */
double fb_rng_normal_ms(fb_rng *r, double mean, double sd);
/* Exponential with the given rate (1/mean), rate > 0. */
double fb_rng_exponential(fb_rng *r, double rate);

/* Fast per-pixel noise: fills out[0..n) with N(0, sd^2) samples drawn from a 65536-entry
 * quantile table of the standard normal (4 samples per 64-bit draw, 16 bits each; a tail of
 * n % 4 uses the low bits of one more draw). The table is generated at build time by
 * cmake/gen_normal_table.c: mid-point quantiles Phi^-1((j + 0.5) / 65536), antisymmetric
 * (distribution mean exactly 0) and rescaled to unit variance (distribution SD = sd to float
 * rounding); tails truncated near +/-4.33 sd. The sensor indexes the same table with its own
 * counter-based words instead (sensor.h: it vectorises). */
void fb_rng_fill_normal_f32(fb_rng *r, float *out, size_t n, float sd);

#endif
