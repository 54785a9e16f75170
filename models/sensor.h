/* sensor.h — the microbolometer array: radiance -> raw 14-bit counts through an FPA-temperature-dependent responsivity and offset, warm-up, shutter FFC with frozen frames, fixed-pattern noise that grows between FFCs, NETD noise (counter-based, vectorised), dead and noisy pixels. */
#ifndef FB_SENSOR_H
#define FB_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "radiometry.h"
#include "rng.h"

#define FB_SENSOR_COUNTS_MAX 16383 /* 14-bit raw output (docs/sources.md: centred near 8192) */
#define FB_SENSOR_COUNTS_MID 8192

/* fb_sensor_expose's result flags. */
#define FB_SENSOR_FROZEN 0x1u /* shutter closed for an FFC: the output repeats the last frame */

/* Noisy pixels turn noisy at times spread evenly over the first hour of the run, and then
 * carry extra temporal noise of this many NETDs (assumed; no published figure). */
#define FB_SENSOR_NOISY_ONSET_S 3600.0
#define FB_SENSOR_NOISY_NETDS   10.0

/* Every field zero except the first five gives the plain model: fixed responsivity and
 * pattern, no warm-up, no shutter, no bad pixels. */
typedef struct fb_sensor_params {
    int width, height;
    double netd_k;       /* temporal noise, equivalent temperature difference at 300 K */
    double counts_per_k; /* responsivity at 300 K: docs/sources.md ~0.025 K per count -> 40 */
    double reference_c;  /* scene temperature that reads FB_SENSOR_COUNTS_MID; also the room
                          * the factory calibrated the camera in, warmed up */
    double fpn_sd_k;     /* offset non-uniformity right after an FFC (SD), K at 300 K */
    double drift_sd_k;   /* electronics offset drift: stationary SD (OU), K-equivalent */
    double drift_tau_s;  /* its time constant, > 0 when drift_sd_k > 0 */

    /* Focal-plane array temperature (FPA): one thermal node that relaxes towards the room
     * plus fpa_rise_k with time constant fpa_tau_s (0: at once). At the factory calibration it
     * was reference_c + fpa_rise_k. */
    double ambient_c;  /* room temperature at t = 0 (then fb_sensor_set_ambient_c) */
    double power_on_s; /* how long the camera has been on at t = 0, >= 0 (room constant) */
    double fpa_rise_k; /* FPA above the room when warmed up, >= 0 */
    double fpa_tau_s;  /* >= 0 */
    double responsivity_tc_per_k; /* relative responsivity change per K of FPA off calibration */
    double fpa_offset_k_per_k;    /* offset, scene K per K of FPA off calibration, that the shutter
                                   * cannot remove (lens emission, shutter temperature error) */
    double ffc_offset_k_per_k;    /* offset, scene K per K of FPA change since the last FFC: the
                                   * shutter removes it */

    /* Shutter flat-field correction (FFC). */
    double ffc_period_s;       /* every this long (0: never by time) */
    double ffc_delta_k;        /* and when the FPA moved this much since the last one (0: never) */
    int ffc_frames;            /* exposures the output stays frozen per FFC, >= 0 */
    double fpn_growth_k_per_s; /* offset non-uniformity SD grown per second since the last FFC */

    double dead_share;  /* share of pixels stuck at one value (factory-known), [0, 1] */
    double noisy_share; /* share of pixels that turn noisy during the first hour, [0, 1] */
} fb_sensor_params;

/* A pixel that turns noisy at onset_s. */
typedef struct fb_sensor_noisy {
    uint32_t index;
    float onset_s;
} fb_sensor_noisy;

/* Sensor state. Arrays are owned (fb_sensor_init allocates, fb_sensor_free frees). Fields are
 * readable by tests and tools; change them only through the functions. */
typedef struct fb_sensor {
    fb_sensor_params p;
    double gain_counts_per_radiance; /* nominal (at calibration): counts per W m^-2 sr^-1 */
    double reference_radiance;       /* L(reference_c) */
    float noise_sd_counts;
    float *fpn_counts;    /* width*height offsets right after an FFC */
    float *fpn_growth;    /* width*height unit pattern of the growth since an FFC */
    uint16_t *noise_index; /* scratch: one chunk of the temporal noise's table indices */
    float *noise_shaded;   /* scratch: one chunk of shaded radiance (fb_sensor_pixels_shaded) */
    uint16_t *hold;       /* the frame shown while the shutter is closed */
    uint32_t *dead_index; /* n_dead dead pixels and the counts they read */
    uint16_t *dead_counts;
    size_t n_dead;
    fb_sensor_noisy *noisy; /* n_noisy pixels, by index */
    size_t n_noisy;
    fb_rng noise_rng, drift_rng, noisy_rng;
    double t_s;                   /* time of the last exposure */
    double drift_counts;          /* current electronics offset drift */
    double ambient_c;             /* the room now */
    double fpa_c;                 /* FPA temperature now */
    double fpa_cal_c;             /* FPA temperature at the factory calibration */
    double fpa_at_ffc_c, t_ffc_s; /* FPA and time at the last FFC (t = 0 at start) */
    double t_ffc_start_s;         /* when the last FFC started (the period counts from it) */
    int frozen_left;              /* exposures still frozen */
    uint32_t ffc_count;           /* FFCs completed since t = 0 */
    double gain_now;              /* responsivity of the last exposure, counts per radiance */
    double offset_k;              /* FPA-driven offset of the last exposure, scene K */
} fb_sensor;

/* Streams: (seed, FB_STREAM_SENSOR_NOISE/FPN/DRIFT, 0) (NOISE: one 64-bit draw of keys per
 * exposure, see fb_sensor_expose), dead and noisy pixels from
 * (seed, FB_STREAM_SENSOR_PIXELS, 0), the noisy pixels' extra noise (.., 1). The electronics
 * drift starts at a draw from its stationary law; the FPA at
 * ambient_c + fpa_rise_k (1 - exp(-power_on_s / fpa_tau_s)); an FFC has just completed.
 * Returns FB_ERR_RANGE for bad params, FB_ERR_NOMEM; after an error *s is safe to
 * fb_sensor_free. */
int fb_sensor_init(fb_sensor *s, const fb_sensor_params *p, const fb_radiometry *rad,
                   uint64_t seed);
void fb_sensor_free(fb_sensor *s);

/* The room temperature from now on (the FPA follows it). FB_ERR_RANGE unless in [-100, 200]. */
int fb_sensor_set_ambient_c(fb_sensor *s, double ambient_c);

/* Marks the factory-known dead pixels in bad[width*height] (sets 1, leaves others) for the
 * front-end's bad-pixel map. Returns how many. Noisy pixels are not known: they appear later. */
size_t fb_sensor_mark_dead(const fb_sensor *s, uint8_t *bad);

/* Exposes one frame at time t_s (>= the previous; an earlier time is taken as the previous):
 * radiance[width*height] (W m^-2 sr^-1 at the aperture) -> counts_out[width*height], 14-bit,
 * rounded to nearest and clamped to 0..16383. Per pixel i, with dT = FPA - FPA at calibration:
 *   counts = 8192 + G (L_i - L_ref) + counts_per_k (fpa_offset dT + ffc_offset (FPA - FPA at
 *            last FFC)) + drift + fpn_i + growth (t - t_ffc) u_i + noise,
 *   G = nominal gain (1 + responsivity_tc dT);
 * dead pixels read their stuck value; noisy ones (after their onset) get extra noise, added
 * to the rounded count and rounded again. After a frame at or past the FFC due time (period
 * since the last FFC started, or the FPA moved ffc_delta_k since the last one) the shutter
 * closes: the next ffc_frames exposures repeat that frame and return FB_SENSOR_FROZEN; at the
 * last of them the FFC completes (t_ffc, FPA at FFC := now: the non-uniformity growth and the
 * since-FFC offset restart from zero). With ffc_frames 0 the FFC completes at once. Returns
 * flags (FB_SENSOR_FROZEN or 0).
 * Temporal noise, counter-based so that it vectorises (deterministic per seed, the same on every
 * build and CPU): each exposure that is not frozen draws one 64-bit value from the NOISE stream,
 * keys a (low 32 bits) and b (high); pixel pair p = i / 2 gets the word
 *   w = mix32(mix32(p ^ a) ^ b),  mix32 = lowbias32 (C. Wellons' hash-prospector: x ^= x >> 16,
 *       x *= 0x21f0aaad, x ^= x >> 15, x *= 0x735a2d97, x ^= x >> 15; a bijection of 32 bits)
 * and the even pixel takes noise = sd * Q[w & 0xffff], the odd one sd * Q[w >> 16], Q the
 * 65536-entry standard-normal quantile table of models/rng_table.h (mid-point quantiles,
 * antisymmetric, unit variance, tails truncated at +/-4.33). tests/models/test_sensor.c checks
 * its SD, kurtosis, tail shares and correlations (word halves, rows, frames) and one exact
 * frame. AVX-512 or AVX2 when the CPU has it (same operations, same counts); ~0.7 ns/pixel on
 * 256x192 with AVX-512 (fb_stage_bench). */
unsigned fb_sensor_expose(fb_sensor *s, const float *radiance, double t_s, uint16_t *counts_out);

/* One exposure's constants, between fb_sensor_begin and fb_sensor_end. */
typedef struct fb_sensor_frame {
    unsigned flags;                 /* FB_SENSOR_FROZEN or 0 */
    double t_s;
    float gain, base, grow, top, sd; /* counts = gain L + (base + fpn + grow u + sd z), clamped */
    double noisy_sd;
    uint32_t key_a, key_b;          /* this exposure's noise keys */
    bool ffc_due;                   /* the shutter closes after this frame */
    size_t next_noisy, next_dead;   /* the first noisy and dead pixels not yet passed */
} fb_sensor_frame;

/* fb_sensor_expose in three parts, for a pipeline that carries row bands on while they are in
 * cache; fb_sensor_expose is exactly begin, pixels over the whole frame, end. fb_sensor_begin
 * advances to t_s and draws the exposure's noise keys, returning the flags; fb_sensor_pixels
 * exposes pixels [i0, i0 + m) from radiance[0 .. m) (the span's own radiance) into counts[i0 ..
 * i0 + m) (counts is the whole frame), spans in increasing order covering the frame (while
 * frozen it copies the held frame); fb_sensor_end closes the shutter or completes an FFC. */
unsigned fb_sensor_begin(fb_sensor *s, double t_s, fb_sensor_frame *f);
void fb_sensor_pixels(fb_sensor *s, fb_sensor_frame *f, const float *radiance, size_t i0,
                      size_t m, uint16_t *counts);
void fb_sensor_end(fb_sensor *s, fb_sensor_frame *f);
/* fb_sensor_pixels with the lens's vignetting applied on the way in (illum NULL: none): pixel
 * i0 + j sees housing_radiance + illum[j] (radiance[j] - housing_radiance), the expression of
 * fb_optics_vignette (models/optics.h), so the counts are those of the shaded image. */
void fb_sensor_pixels_shaded(fb_sensor *s, fb_sensor_frame *f, const float *radiance,
                             const float *illum, float housing_radiance, size_t i0, size_t m,
                             uint16_t *counts);

/* Spans of one exposure on several threads at once (sim/run/pixels.c), the same counts as
 * fb_sensor_pixels_shaded over the frame in order:
 *   fb_sensor_noisy_draws  after fb_sensor_begin, on one thread: the noisy pixels' draws of
 *                          this exposure into z[fb_sensor_noisy_count(s)], in the order the
 *                          spans would have drawn them (nothing while frozen);
 *   fb_sensor_part_begin   part: a copy of f for a run of spans starting at pixel i0;
 *   fb_sensor_pixels_part  fb_sensor_pixels_shaded for that part's spans, in increasing order,
 *                          with scratch of the part's own and the draws from z. Parts must
 *                          cover disjoint pixels; together, the frame. They write only counts
 *                          (and the held frame, when an FFC is due) at their own pixels.
 * fb_sensor_end follows on one thread. */
typedef struct fb_sensor_scratch {
    uint16_t *index; /* the noise's table indices, a chunk */
    float *shaded;   /* the shaded radiance, a chunk */
} fb_sensor_scratch;
int fb_sensor_scratch_init(fb_sensor_scratch *sc); /* FB_OK or FB_ERR_NOMEM (then freed) */
void fb_sensor_scratch_free(fb_sensor_scratch *sc);
size_t fb_sensor_noisy_count(const fb_sensor *s);
void fb_sensor_noisy_draws(fb_sensor *s, const fb_sensor_frame *f, double *z);
void fb_sensor_part_begin(const fb_sensor *s, const fb_sensor_frame *f, size_t i0,
                          fb_sensor_frame *part);
void fb_sensor_pixels_part(fb_sensor *s, fb_sensor_frame *part, const float *radiance,
                           const float *illum, float housing_radiance, size_t i0, size_t m,
                           uint16_t *counts, fb_sensor_scratch *sc, const double *z);

#endif
