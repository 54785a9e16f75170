/* sensor.c — microbolometer array model: band radiance -> raw 14-bit counts with responsivity, fixed-pattern noise, OU offset drift and NETD temporal noise. */
#include <math.h>
#include <stdlib.h>
#include "fb_error.h"
#include "sensor.h"

/* The responsivity is specified at 300 K (counts_per_k, netd_k, fpn_sd_k are K-equivalent there). */
#define SENSOR_SPEC_K 300.0
/* Temporal noise is drawn in chunks of this many pixels (multiple of 4). */
#define NOISE_CHUNK ((size_t)2048)

int fb_sensor_init(fb_sensor *s, const fb_sensor_params *p, const fb_radiometry *rad,
                   uint64_t seed)
{
    /* drift_tau_s is checked only when drift_sd_k > 0. On error nothing is allocated and
     * *s is left safe to fb_sensor_free. */
    if (!s || !p || !rad)
        return FB_ERR_ARG;
    s->fpn_counts = NULL;
    s->scratch = NULL;
    if (p->width < 1 || p->width > 4096 || p->height < 1 || p->height > 4096)
        return FB_ERR_RANGE;
    if (!(p->netd_k >= 0.0) || !isfinite(p->netd_k) || !(p->counts_per_k > 0.0) ||
        !isfinite(p->counts_per_k) || !(p->reference_c > -FB_KELVIN_OFFSET) ||
        !isfinite(p->reference_c) || !(p->fpn_sd_k >= 0.0) || !isfinite(p->fpn_sd_k) ||
        !(p->drift_sd_k >= 0.0) || !isfinite(p->drift_sd_k))
        return FB_ERR_RANGE;
    if (p->drift_sd_k > 0.0 && (!(p->drift_tau_s > 0.0) || !isfinite(p->drift_tau_s)))
        return FB_ERR_RANGE;

    size_t n = (size_t)p->width * (size_t)p->height;
    s->p = *p;
    /* counts = 8192 + gain (L - L_ref): gain makes 1 K at 300 K worth counts_per_k counts. */
    s->gain_counts_per_radiance = p->counts_per_k / fb_radiometry_slope(rad, SENSOR_SPEC_K);
    s->reference_radiance = fb_radiometry_radiance(rad, p->reference_c + FB_KELVIN_OFFSET);
    s->noise_sd_counts = (float)(p->netd_k * p->counts_per_k);
    s->fpn_counts = malloc(n * sizeof(*s->fpn_counts));
    if (!s->fpn_counts)
        goto fail_fpn;
    s->scratch = malloc(n * sizeof(*s->scratch));
    if (!s->scratch)
        goto fail_scratch;

    fb_rng fpn_rng;
    fb_rng_seed(&fpn_rng, seed, FB_STREAM_SENSOR_FPN, 0);
    double fpn_sd_counts = p->fpn_sd_k * p->counts_per_k;
    for (size_t i = 0; i < n; i++)
        s->fpn_counts[i] = fpn_sd_counts > 0.0 ? (float)(fpn_sd_counts * fb_rng_normal(&fpn_rng))
                                               : 0.0f;
    fb_rng_seed(&s->noise_rng, seed, FB_STREAM_SENSOR_NOISE, 0);
    fb_rng_seed(&s->drift_rng, seed, FB_STREAM_SENSOR_DRIFT, 0);
    s->t_s = 0.0;
    /* The camera has been running: the drift starts at a draw from its stationary law. */
    s->drift_counts = 0.0;
    if (p->drift_sd_k > 0.0)
        s->drift_counts = p->drift_sd_k * p->counts_per_k * fb_rng_normal(&s->drift_rng);
    return FB_OK;

fail_scratch:
    free(s->fpn_counts);
    s->fpn_counts = NULL;
fail_fpn:
    return FB_ERR_NOMEM;
}

void fb_sensor_free(fb_sensor *s)
{
    if (!s)
        return;
    free(s->fpn_counts);
    free(s->scratch);
    s->fpn_counts = NULL;
    s->scratch = NULL;
}

void fb_sensor_expose(fb_sensor *s, const float *radiance, double t_s, uint16_t *counts_out)
{
    const size_t n = (size_t)s->p.width * (size_t)s->p.height;

    /* Drift: exact OU transition from the previous exposure's time (time never runs back). */
    if (t_s > s->t_s) {
        if (s->p.drift_sd_k > 0.0) {
            double a = exp(-(t_s - s->t_s) / s->p.drift_tau_s);
            double sd = s->p.drift_sd_k * s->p.counts_per_k;
            s->drift_counts = s->drift_counts * a + sd * sqrt(1.0 - a * a) *
                                                        fb_rng_normal(&s->drift_rng);
        }
        s->t_s = t_s;
    }

    /* Per pixel: v = gain L + (8192 - gain L_ref + drift + 0.5) + fpn + noise, then clamp to
     * [0, 16383.5] and truncate: round half up to 0..16383. NaN radiance reads 0. */
    const float gain = (float)s->gain_counts_per_radiance;
    const float base = (float)((double)FB_SENSOR_COUNTS_MID -
                               s->gain_counts_per_radiance * s->reference_radiance +
                               s->drift_counts + 0.5);
    const float top = (float)FB_SENSOR_COUNTS_MAX + 0.5f;
    const float *restrict fpn = s->fpn_counts;
    const float *restrict rad = radiance;
    uint16_t *restrict out = counts_out;
    if (s->noise_sd_counts > 0.0f) {
        /* Noise in chunks that stay in L1 (a multiple of 4, so the stream is the same as one
         * fill of n values). */
        float *restrict noise = s->scratch;
        for (size_t c0 = 0; c0 < n; c0 += NOISE_CHUNK) {
            size_t m = n - c0 < NOISE_CHUNK ? n - c0 : NOISE_CHUNK;
            fb_rng_fill_normal_f32(&s->noise_rng, noise, m, s->noise_sd_counts);
            for (size_t j = 0; j < m; j++) {
                size_t i = c0 + j;
                float v = gain * rad[i] + (base + fpn[i] + noise[j]);
                v = v > 0.0f ? v : 0.0f;
                v = v < top ? v : top;
                out[i] = (uint16_t)v;
            }
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            float v = gain * rad[i] + (base + fpn[i]);
            v = v > 0.0f ? v : 0.0f;
            v = v < top ? v : top;
            out[i] = (uint16_t)v;
        }
    }
}
