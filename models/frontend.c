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

void fb_frontend_process(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out)
{
    const size_t w = (size_t)fe->width;
    const uint16_t *cal = fe->cal_ck;
    for (size_t row = 0; row < (size_t)fe->height; row++) {
        const size_t r0 = row * w;
        const uint16_t *in = counts + r0;
        const int16_t *restrict off = fe->offset + r0;
        const uint16_t *restrict gn = fe->gain + r0;
        const uint8_t *restrict bad = fe->bad + r0;
        uint16_t *y = ck_out + r0; /* holds y (14-bit) until the last pass */
        unsigned any_bad = 0;

        /* Pass 1: NUC. y = clamp(floor((x * gain + 8192) / 2^14), 0, 16383). */
        for (size_t i = 0; i < w; i++) {
            int64_t x = (int64_t)in[i] - (int64_t)off[i];
            int64_t v = floor_shr(x * (int64_t)gn[i] + 8192, 14);
            v = v < 0 ? 0 : v;
            v = v > 16383 ? 16383 : v;
            y[i] = (uint16_t)v;
            any_bad |= bad[i];
        }

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
        for (size_t i = 0; i < w; i++) {
            unsigned v = y[i];
            unsigned k = v >> FB_FE_CAL_SHIFT, f = v & 63u;
            int64_t c0 = cal[k], d = (int64_t)cal[k + 1] - c0;
            y[i] = (uint16_t)(c0 + floor_shr(d * (int64_t)f + 32, FB_FE_CAL_SHIFT));
        }
    }
}
