/* frontend.h — golden model of the camera's pixel pipeline: raw counts -> centikelvin, in integer arithmetic that the RTL matches bit for bit. */
#ifndef FB_FRONTEND_H
#define FB_FRONTEND_H

#include <stdint.h>
#include "radiometry.h"
#include "sensor.h"

/* Calibration table: FB_FE_CAL_N entries of centikelvin at counts k * 64, linearly
 * interpolated between entries. */
#define FB_FE_CAL_SHIFT 6
#define FB_FE_CAL_N 257
#define FB_FE_GAIN_ONE 16384 /* Q2.14 */
#define FB_FE_Y_N 16384      /* NUC output y is 14-bit */

struct fb_frontend_lut; /* private (frontend.c): cal_ck expanded to one entry per y */

/* Per-pixel coefficients and the calibration table. Arrays owned by the struct
 * (fb_frontend_init allocates, fb_frontend_free frees). */
typedef struct fb_frontend {
    int width, height;
    int16_t *offset;   /* NUC offset in counts, subtracted */
    uint16_t *gain;    /* NUC gain, Q2.14 */
    uint8_t *bad;      /* 1 = dead pixel, replaced from neighbours */
    uint16_t cal_ck[FB_FE_CAL_N];
    /* Cache owned by the struct: fb_frontend_process rebuilds it whenever cal_ck differs from
     * what it was built from, so callers may change cal_ck freely between frames — but two
     * threads must not process with one fb_frontend at the same time. */
    struct fb_frontend_lut *lut;
} fb_frontend;

/* Allocates and sets identity coefficients (offset 0, gain 1.0, no bad pixels) and a table
 * mapping counts to 0 ck. Returns FB_ERR_NOMEM / FB_ERR_RANGE. */
int fb_frontend_init(fb_frontend *fe, int width, int height);
void fb_frontend_free(fb_frontend *fe);

/* The factory calibration: for each entry k, counts c = k*64 -> radiance
 * L = reference_radiance + (c - 8192) / gain -> blackbody-equivalent temperature (emissivity 1)
 * -> centikelvin, rounded, clamped to 0..65535 (counts whose L would be <= 0 map to 0 ck).
 * It is exact only while the sensor's offset drift is zero: that residual is what the
 * blackbody corrects. */
void fb_frontend_calibrate(fb_frontend *fe, const fb_sensor *s, const fb_radiometry *rad);

/* The factory's flat field for a lens with relative illumination illum[i] (models/optics.h)
 * whose housing was at housing_c when calibrated: per pixel gain = 1 / V (Q2.14, rounded) and
 * offset = (1 - V) (8192 + G (L(housing_c) - L(reference))) counts (rounded), which undo the
 * vignetting exactly while the housing stays at housing_c. NULL illum: identity. */
void fb_frontend_flat_field(fb_frontend *fe, const float *illum, const fb_sensor *s,
                            const fb_radiometry *rad, double housing_c);

/* Processes one frame, per pixel i:
 *   x  = counts[i] - offset[i]
 *   y  = (x * gain[i] + 8192) >> 14          (arithmetic shift: floor division)
 *   y  = clamp(y, 0, 16383)
 *   bad pixels: y = mean of the nearest good pixels left and right in the row (floor),
 *               one side only at the edges, unchanged if the row has none
 *   k  = y >> 6, f = y & 63
 *   ck = cal[k] + ((cal[k+1] - cal[k]) * f + 32) >> 6   (floor shift)
 * Both pointers hold width*height values and must not overlap.
 * How (the result is the same): cal is first expanded to a 16384-entry table of ck by y (kept
 * while cal_ck is unchanged); every pixel then goes through NUC and that table as if good
 * (vectorised; AVX2 when the CPU has it; with AVX-512 the 257 entries stay in registers and each
 * pixel is interpolated as above, the same values); a second, sparse pass reads the bad map a
 * block at a time (32 bytes, 64 with AVX-512) and recomputes only the bad pixels from their good
 * neighbours' NUC.
 * ~0.26-0.35 ns/pixel with AVX-512 (fb_stage_bench). */
void fb_frontend_process(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out);

/* The same for rows [y0, y1) only (counts and ck_out still point at the whole frame): a bad
 * pixel takes only pixels of its own row, so fb_frontend_process is this over 0..height, and
 * any split into row bands gives the same frame. */
void fb_frontend_process_rows(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out,
                              int y0, int y1);

#endif
