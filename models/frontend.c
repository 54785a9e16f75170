/* frontend.c — golden model of the camera's integer pixel pipeline: NUC, bad-pixel replacement, counts -> centikelvin table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "frontend.h"

/* floor(x / 2^s) for any sign: C leaves >> of a negative value implementation-defined. */
static inline int64_t floor_shr(int64_t x, unsigned s)
{
    if (x >= 0)
        return x >> s;
    return -(int64_t)(((uint64_t)(-(x + 1)) >> s) + 1u);
}

int fb_frontend_init(fb_frontend *fe, int width, int height)
{
    /* On error nothing is allocated and *fe is safe to fb_frontend_free. */
    if (!fe)
        return FB_ERR_ARG;
    fe->offset = NULL;
    fe->gain = NULL;
    fe->bad = NULL;
    if (width < 1 || width > 4096 || height < 1 || height > 4096)
        return FB_ERR_RANGE;
    size_t n = (size_t)width * (size_t)height;
    fe->width = width;
    fe->height = height;
    fe->offset = calloc(n, sizeof(*fe->offset));
    if (!fe->offset)
        goto fail_offset;
    fe->gain = malloc(n * sizeof(*fe->gain));
    if (!fe->gain)
        goto fail_gain;
    fe->bad = calloc(n, sizeof(*fe->bad));
    if (!fe->bad)
        goto fail_bad;
    for (size_t i = 0; i < n; i++)
        fe->gain[i] = FB_FE_GAIN_ONE;
    memset(fe->cal_ck, 0, sizeof(fe->cal_ck));
    return FB_OK;

fail_bad:
    free(fe->gain);
    fe->gain = NULL;
fail_gain:
    free(fe->offset);
    fe->offset = NULL;
fail_offset:
    return FB_ERR_NOMEM;
}

void fb_frontend_free(fb_frontend *fe)
{
    if (!fe)
        return;
    free(fe->offset);
    free(fe->gain);
    free(fe->bad);
    fe->offset = NULL;
    fe->gain = NULL;
    fe->bad = NULL;
}

void fb_frontend_calibrate(fb_frontend *fe, const fb_sensor *s, const fb_radiometry *rad)
{
    /* Counts whose radiance would be <= 0 (below any real scene) map to 0 ck; temperatures
     * above 655.35 K clamp to 65535 ck. */
    for (int k = 0; k < FB_FE_CAL_N; k++) {
        double c = (double)(k << FB_FE_CAL_SHIFT);
        double l = s->reference_radiance +
                   (c - (double)FB_SENSOR_COUNTS_MID) / s->gain_counts_per_radiance;
        double t_k = l > 0.0 ? fb_radiometry_temperature(rad, l) : 0.0;
        double ck = floor(t_k * 100.0 + 0.5);
        if (!(ck > 0.0))
            ck = 0.0;
        if (ck > 65535.0)
            ck = 65535.0;
        fe->cal_ck[k] = (uint16_t)ck;
    }
}

/* y for one row, exact for any input (64-bit products). */
static void nuc_row_general(const uint16_t *in, const int16_t *off, const uint16_t *gn, uint16_t *y,
                            size_t w)
{
    for (size_t i = 0; i < w; i++) {
        int64_t x = (int64_t)in[i] - (int64_t)off[i];
        int64_t v = floor_shr(x * (int64_t)gn[i] + 8192, 14);
        v = v < 0 ? 0 : v;
        v = v > 16383 ? 16383 : v;
        y[i] = (uint16_t)v;
    }
}

/* Pass 3's table in the form the pixel loop wants: for entry k,
 *   ck = cal[k] + floor((d f + 32) / 64),  d = cal[k+1] - cal[k]
 *      = floor((b + d f) / 64) - 2^16,     b = 64 cal[k] + 32 + 2^22.
 * d f >= -65535 * 63 > -2^22, so b + d f is positive and the floor shift is an unsigned one;
 * the 2^16 bias then drops out in the conversion to uint16 (modulo 2^16). */
typedef struct cal_seg {
    uint32_t b;
    int32_t d;
} cal_seg;

static void cal_segments(const uint16_t *cal, cal_seg *seg)
{
    for (int k = 0; k < FB_FE_CAL_N - 1; k++) {
        seg[k].b = ((uint32_t)cal[k] << FB_FE_CAL_SHIFT) + 32u + (1u << 22);
        seg[k].d = (int32_t)cal[k + 1] - (int32_t)cal[k];
    }
}

static inline uint16_t cal_lookup(const cal_seg *seg, uint32_t y)
{
    const cal_seg *c = &seg[y >> FB_FE_CAL_SHIFT];
    return (uint16_t)((c->b + (uint32_t)(c->d * (int32_t)(y & 63u))) >> FB_FE_CAL_SHIFT);
}

/* NUC for a pixel whose counts are <= 16383 (every real frame): x = counts - offset is then
 * < 49152, so max(x, 0) * gain + 8192 < 2^32 and unsigned 32-bit arithmetic is exact;
 * x <= 0 gives floor((x * gain + 8192) / 2^14) <= 0, clamped to 0 either way. */
static inline uint32_t nuc_14bit(uint16_t counts, int16_t offset, uint16_t gain)
{
    int32_t x = (int32_t)counts - (int32_t)offset;
    uint32_t xp = x > 0 ? (uint32_t)x : 0u;
    uint32_t v = (xp * (uint32_t)gain + 8192u) >> 14;
    return v < 16383u ? v : 16383u;
}

void fb_frontend_process(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out)
{
    /* counts and ck_out must not overlap. */
    const size_t w = (size_t)fe->width;
    cal_seg seg[FB_FE_CAL_N - 1];
    cal_segments(fe->cal_ck, seg);
    for (size_t row = 0; row < (size_t)fe->height; row++) {
        const size_t r0 = row * w;
        const uint16_t *in = counts + r0;
        const int16_t *off = fe->offset + r0;
        const uint16_t *gn = fe->gain + r0;
        const uint8_t *bad = fe->bad + r0;
        uint16_t *y = ck_out + r0; /* holds y (14-bit) until the last pass */
        unsigned any_bad = 0, any_wide = 0;
        for (size_t i = 0; i < w; i++) {
            any_bad |= bad[i];
            any_wide |= in[i];
        }

        if (!any_bad && any_wide <= 16383u) { /* the common row: one pass */
            for (size_t i = 0; i < w; i++)
                y[i] = cal_lookup(seg, nuc_14bit(in[i], off[i], gn[i]));
            continue;
        }

        /* Pass 1: NUC. y = clamp(floor((x * gain + 8192) / 2^14), 0, 16383). */
        if (any_wide > 16383u)
            nuc_row_general(in, off, gn, y, w);
        else
            for (size_t i = 0; i < w; i++)
                y[i] = (uint16_t)nuc_14bit(in[i], off[i], gn[i]);

        /* Pass 2: each bad pixel takes floor(mean) of the nearest good pixel on each side
         * (one side at the row ends; unchanged if the row has no good pixel). Only good
         * pixels are read, so replacements never feed each other. */
        if (any_bad) {
            size_t next = 0; /* index of the next good pixel at or after i, or w if none */
            size_t prev = w; /* index of the last good pixel before i, or w if none */
            for (size_t i = 0; i < w; i++) {
                if (!bad[i]) {
                    prev = i;
                    continue;
                }
                if (next <= i) {
                    next = i + 1;
                    while (next < w && bad[next])
                        next++;
                }
                if (prev < w && next < w)
                    y[i] = (uint16_t)(((unsigned)y[prev] + (unsigned)y[next]) >> 1);
                else if (prev < w)
                    y[i] = y[prev];
                else if (next < w)
                    y[i] = y[next];
            }
        }

        /* Pass 3: table. ck = cal[k] + floor(((cal[k+1] - cal[k]) f + 32) / 64). */
        for (size_t i = 0; i < w; i++)
            y[i] = cal_lookup(seg, y[i]);
    }
}
