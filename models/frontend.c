/* frontend.c — golden model of the camera's integer pixel pipeline: NUC and counts -> centikelvin through a per-y table (AVX2: plain loads), or the calibration table in registers (AVX-512: word permutes; with VBMI, byte permutes and 16-bit lanes), same result either way, then a sparse bad-pixel pass. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "frontend.h"

/* The calibration table expanded to one ck per 14-bit y, and the cal_ck it was made from. */
struct fb_frontend_lut {
    uint16_t ck[FB_FE_Y_N];
    uint16_t cal[FB_FE_CAL_N];
    /* the table's bytes as the AVX-512 VBMI path holds them in registers: low and high bytes
     * of cal[0..255], then of cal[1..256] */
    uint8_t bytes[4][256];
    /* and the steps d = cal[k + 1] - cal[k] where every step from k_small up is 0..255 (the
     * table a calibration makes, above its first entries): there the VBMI path interpolates
     * lo + (d f + 32) >> 6 from one byte of d */
    uint8_t step[256];
    int k_small;
    bool valid;
};

int fb_frontend_init(fb_frontend *fe, int width, int height)
{
    /* On error nothing is allocated and *fe is safe to fb_frontend_free. */
    if (!fe)
        return FB_ERR_ARG;
    fe->offset = NULL;
    fe->gain = NULL;
    fe->bad = NULL;
    fe->lut = NULL;
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
    fe->lut = calloc(1, sizeof(*fe->lut));
    if (!fe->lut)
        goto fail_lut;
    for (size_t i = 0; i < n; i++)
        fe->gain[i] = FB_FE_GAIN_ONE;
    memset(fe->cal_ck, 0, sizeof(fe->cal_ck));
    return FB_OK;

fail_lut:
    free(fe->bad);
    fe->bad = NULL;
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
    free(fe->lut);
    fe->offset = NULL;
    fe->gain = NULL;
    fe->bad = NULL;
    fe->lut = NULL;
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

void fb_frontend_flat_field(fb_frontend *fe, const float *illum, const fb_sensor *s,
                            const fb_radiometry *rad, double housing_c)
{
    size_t n = (size_t)fe->width * (size_t)fe->height;
    double lh = fb_radiometry_radiance(rad, housing_c + FB_KELVIN_OFFSET);
    double base = (double)FB_SENSOR_COUNTS_MID + s->gain_counts_per_radiance *
                                                     (lh - s->reference_radiance);
    for (size_t i = 0; i < n; i++) {
        double v = illum ? (double)illum[i] : 1.0;
        double g = floor((double)FB_FE_GAIN_ONE / v + 0.5), off = floor((1.0 - v) * base + 0.5);
        fe->gain[i] = (uint16_t)(g > 65535.0 ? 65535.0 : g);
        fe->offset[i] = (int16_t)(off > 32767.0 ? 32767.0 : off < -32768.0 ? -32768.0 : off);
    }
}

/* The table in the form the expansion wants: for entry k,
 *   ck = cal[k] + floor((d f + 32) / 64),  d = cal[k+1] - cal[k]
 *      = floor((b + d f) / 64) - 2^16,     b = 64 cal[k] + 32 + 2^22.
 * d f >= -65535 * 63 > -2^22, so b + d f is positive and the floor shift is an unsigned one;
 * the 2^16 bias then drops out in the conversion to uint16 (modulo 2^16). */
static inline uint16_t cal_interp(const uint16_t *cal, uint32_t y)
{
    uint32_t k = y >> FB_FE_CAL_SHIFT;
    uint32_t b = ((uint32_t)cal[k] << FB_FE_CAL_SHIFT) + 32u + (1u << 22);
    int32_t d = (int32_t)cal[k + 1] - (int32_t)cal[k];
    return (uint16_t)((b + (uint32_t)(d * (int32_t)(y & 63u))) >> FB_FE_CAL_SHIFT);
}

static const struct fb_frontend_lut *current_lut(const fb_frontend *fe)
{
    struct fb_frontend_lut *t = fe->lut;
    if (!t->valid || memcmp(t->cal, fe->cal_ck, sizeof(t->cal)) != 0) {
        for (uint32_t y = 0; y < FB_FE_Y_N; y++)
            t->ck[y] = cal_interp(fe->cal_ck, y);
        for (int k = 0; k < 256; k++) {
            t->bytes[0][k] = (uint8_t)fe->cal_ck[k];
            t->bytes[1][k] = (uint8_t)(fe->cal_ck[k] >> 8);
            t->bytes[2][k] = (uint8_t)fe->cal_ck[k + 1];
            t->bytes[3][k] = (uint8_t)(fe->cal_ck[k + 1] >> 8);
        }
        t->k_small = 256;
        for (int k = 255; k >= 0; k--) {
            int d = (int)fe->cal_ck[k + 1] - (int)fe->cal_ck[k];
            if (d < 0 || d > 255)
                break;
            t->k_small = k;
        }
        for (int k = 0; k < 256; k++)
            t->step[k] = (uint8_t)(k >= t->k_small ? fe->cal_ck[k + 1] - fe->cal_ck[k] : 0);
        memcpy(t->cal, fe->cal_ck, sizeof(t->cal));
        t->valid = true;
    }
    return t;
}

/* NUC, exact for any input without 64-bit products or branches: x = max(counts - offset, 0)
 * <= 98303 (x <= 0 gives floor((x gain + 8192) / 2^14) <= 0, clamped to 0 either way); with
 * x = 2^14 h + l, floor((x gain + 8192) / 2^14) = h gain + floor((l gain + 8192) / 2^14), and
 * l gain + 8192 < 2^30, h gain < 2^19: unsigned 32-bit arithmetic is exact. */
static inline uint32_t nuc(uint16_t counts, int16_t offset, uint16_t gain)
{
    int32_t x = (int32_t)counts - (int32_t)offset;
    uint32_t xp = x > 0 ? (uint32_t)x : 0u;
    uint32_t v = (xp >> 14) * gain + (((xp & 16383u) * gain + 8192u) >> 14);
    return v < 16383u ? v : 16383u;
}

/* Pass 1, every pixel as if good: ck = lut[nuc]. Portable C. */
static void pixels_c(const uint16_t *restrict in, const int16_t *restrict off,
                     const uint16_t *restrict gn, const uint16_t *restrict lut,
                     uint16_t *restrict out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = lut[nuc(in[i], off[i], gn[i])];
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_FRONTEND_NO_SIMD)
#include <immintrin.h>
#define FB_FE_AVX2 1
/* The same, 8 pixels a step with AVX2 (same integer operations, so the same result). */
__attribute__((target("avx2"))) static void pixels_avx2(const uint16_t *restrict in,
                                                        const int16_t *restrict off,
                                                        const uint16_t *restrict gn,
                                                        const uint16_t *restrict lut,
                                                        uint16_t *restrict out, size_t n)
{
    const __m256i zero = _mm256_setzero_si256(), low14 = _mm256_set1_epi32(16383),
                  half = _mm256_set1_epi32(8192);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i c = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(in + i)));
        __m256i o = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(off + i)));
        __m256i g = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)(gn + i)));
        __m256i x = _mm256_max_epi32(_mm256_sub_epi32(c, o), zero);
        __m256i hi = _mm256_mullo_epi32(_mm256_srli_epi32(x, 14), g);
        __m256i lo = _mm256_mullo_epi32(_mm256_and_si256(x, low14), g);
        __m256i y = _mm256_add_epi32(hi, _mm256_srli_epi32(_mm256_add_epi32(lo, half), 14));
        y = _mm256_min_epu32(y, low14);
        /* the eight entries by plain loads (on Zen 3 the eight-lane gather cost more) */
        uint32_t yv[8];
        _mm256_storeu_si256((__m256i *)(void *)yv, y);
        _mm_storeu_si128((__m128i *)(void *)(out + i),
                         _mm_setr_epi16((short)lut[yv[0]], (short)lut[yv[1]], (short)lut[yv[2]],
                                        (short)lut[yv[3]], (short)lut[yv[4]], (short)lut[yv[5]],
                                        (short)lut[yv[6]], (short)lut[yv[7]]));
    }
    pixels_c(in + i, off + i, gn + i, lut, out + i, n - i);
}

#ifndef FB_FRONTEND_NO_AVX512
#define FB_FE_AVX512 1
/* NUC of 16 pixels in 32-bit lanes: nuc()'s operations. */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i nuc16(const uint16_t *in,
                                                                       const int16_t *off,
                                                                       const uint16_t *gn)
{
    const __m512i low14 = _mm512_set1_epi32(16383);
    __m512i c = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(const void *)in));
    __m512i o = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(const void *)off));
    __m512i g = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(const void *)gn));
    __m512i x = _mm512_max_epi32(_mm512_sub_epi32(c, o), _mm512_setzero_si512());
    __m512i hi = _mm512_mullo_epi32(_mm512_srli_epi32(x, 14), g);
    __m512i lo = _mm512_mullo_epi32(_mm512_and_si512(x, low14), g);
    __m512i y = _mm512_add_epi32(
        hi, _mm512_srli_epi32(_mm512_add_epi32(lo, _mm512_set1_epi32(8192)), 14));
    return _mm512_min_epu32(y, low14);
}

/* cal_interp() of 16 pixels in 32-bit lanes from their table entries and fractions (16-bit). */
__attribute__((target("avx512f,avx512bw"))) static inline __m256i interp16(__m256i lo16,
                                                                          __m256i hi16,
                                                                          __m256i f16)
{
    __m512i lo = _mm512_cvtepu16_epi32(lo16), hi = _mm512_cvtepu16_epi32(hi16),
            f = _mm512_cvtepu16_epi32(f16);
    __m512i b = _mm512_add_epi32(_mm512_slli_epi32(lo, FB_FE_CAL_SHIFT),
                                 _mm512_set1_epi32(32 + (1 << 22)));
    __m512i v = _mm512_add_epi32(b, _mm512_mullo_epi32(_mm512_sub_epi32(hi, lo), f));
    return _mm512_cvtepi32_epi16(_mm512_srli_epi32(v, FB_FE_CAL_SHIFT)); /* modulo 2^16 */
}

/* Entry k (0..255) of a 256-entry table held in eight registers t[0..7] of 32 entries each:
 * bits 5..0 pick within a register pair, bits 6 and 7 (masks m6, m7) pick the pair. */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i entry256(const __m512i t[8],
                                                                          __m512i k, __mmask32 m6,
                                                                          __mmask32 m7)
{
    return _mm512_mask_mov_epi16(
        _mm512_mask_mov_epi16(_mm512_permutex2var_epi16(t[0], k, t[1]), m6,
                              _mm512_permutex2var_epi16(t[2], k, t[3])),
        m7,
        _mm512_mask_mov_epi16(_mm512_permutex2var_epi16(t[4], k, t[5]), m6,
                              _mm512_permutex2var_epi16(t[6], k, t[7])));
}

/* Pass 1 with AVX-512 (F + BW), 32 pixels a step and no table by y: the 257-entry calibration
 * table lives in registers (cal[0..255] and cal[1..256], 64 entries per two-register word
 * permute) and each pixel's entry pair is interpolated as cal_interp() does, so the result is
 * the expanded table's. Gathers, the AVX2 path's limit, are gone. */
__attribute__((target("avx512f,avx512bw"))) static void pixels_avx512(const uint16_t *restrict in,
                                                                     const int16_t *restrict off,
                                                                     const uint16_t *restrict gn,
                                                                     const uint16_t *restrict cal,
                                                                     const uint16_t *restrict lut,
                                                                     uint16_t *restrict out,
                                                                     size_t n)
{
    __m512i c[8], d[8]; /* c[j] = cal[32 j ..], d[j] = cal[32 j + 1 ..] */
    for (int j = 0; j < 8; j++) {
        c[j] = _mm512_loadu_si512((const void *)(cal + 32 * j));
        d[j] = _mm512_loadu_si512((const void *)(cal + 32 * j + 1));
    }
    const __m512i bit6 = _mm512_set1_epi16(64), bit7 = _mm512_set1_epi16(128),
                  low6 = _mm512_set1_epi16(63);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i y0 = _mm512_cvtepi32_epi16(nuc16(in + i, off + i, gn + i));
        __m256i y1 = _mm512_cvtepi32_epi16(nuc16(in + i + 16, off + i + 16, gn + i + 16));
        __m512i y = _mm512_inserti64x4(_mm512_castsi256_si512(y0), y1, 1);
        __m512i k = _mm512_srli_epi16(y, FB_FE_CAL_SHIFT), f = _mm512_and_si512(y, low6);
        __mmask32 m6 = _mm512_test_epi16_mask(k, bit6), m7 = _mm512_test_epi16_mask(k, bit7);
        __m512i lo = entry256(c, k, m6, m7), hi = entry256(d, k, m6, m7);
        _mm256_storeu_si256((__m256i *)(void *)(out + i),
                            interp16(_mm512_castsi512_si256(lo), _mm512_castsi512_si256(hi),
                                     _mm512_castsi512_si256(f)));
        _mm256_storeu_si256((__m256i *)(void *)(out + i + 16),
                            interp16(_mm512_extracti64x4_epi64(lo, 1),
                                     _mm512_extracti64x4_epi64(hi, 1),
                                     _mm512_extracti64x4_epi64(f, 1)));
    }
    pixels_c(in + i, off + i, gn + i, lut, out + i, n - i);
}

#ifndef FB_FRONTEND_NO_VBMI
#define FB_FE_VBMI 1
#define VBMI_TARGET target("avx512f,avx512bw,avx512vbmi")
/* x = max(counts - offset, 0) of 32 pixels in 16-bit lanes, for counts below 32768 (the caller
 * checks): offset >= 0: counts - offset saturated at 0; offset < 0: counts + |offset| fits. */
__attribute__((VBMI_TARGET)) static inline __m512i nuc_x32w(__m512i c, __m512i o)
{
    return _mm512_mask_sub_epi16(_mm512_subs_epu16(c, o), _mm512_movepi16_mask(o), c, o);
}

/* nuc() of 32 pixels from their x (nuc_x32w) and gains: with x <= 65535 = 2^14 h + l, h <= 3,
 *   floor((l gain + 8192) / 2^14) = 4 mulhi(l, gain) + floor((mullo(l, gain) + 8192) / 2^14)
 * (<= 65531), the last term avg(mullo >> 13, 0); h gain saturates to 65535 where it exceeds 16
 * bits, and so does the sum: the clamp to 16383 then gives nuc()'s value. small (a constant
 * where inlined): every x is below 2^14 (the caller checks), so h = 0, l = x and h gain adds
 * nothing: the same value without those steps (counts are 14-bit and the flat field's offsets
 * are >= 0, so every step of a frame is small). */
__attribute__((VBMI_TARGET)) static inline __m512i nuc32w(__m512i x, __m512i g, bool small)
{
    const __m512i zero = _mm512_setzero_si512(), low14 = _mm512_set1_epi16(16383);
    __m512i l = small ? x : _mm512_and_si512(x, low14);
    __m512i lo = _mm512_mullo_epi16(l, g), hi = _mm512_mulhi_epu16(l, g);
    __m512i lr = _mm512_add_epi16(_mm512_slli_epi16(hi, 2),
                                  _mm512_avg_epu16(_mm512_srli_epi16(lo, 13), zero));
    if (small)
        return _mm512_min_epu16(lr, low14);
    __m512i h = _mm512_srli_epi16(x, 14);
    __m512i hg = _mm512_mullo_epi16(h, g);
    __mmask32 over = _mm512_test_epi16_mask(_mm512_mulhi_epu16(h, g), _mm512_set1_epi16(-1));
    hg = _mm512_mask_mov_epi16(hg, over, _mm512_set1_epi16(-1));
    return _mm512_min_epu16(_mm512_adds_epu16(hg, lr), low14);
}

/* Entry k (a byte, 0..255) of a 256-byte table in four registers: bit 7 picks the pair. */
__attribute__((VBMI_TARGET)) static inline __m512i byte256(const __m512i t[4], __m512i k,
                                                           __mmask64 bit7)
{
    return _mm512_mask_mov_epi8(_mm512_permutex2var_epi8(t[0], k, t[1]), bit7,
                                _mm512_permutex2var_epi8(t[2], k, t[3]));
}

/* cal_interp() of 32 pixels in 16-bit lanes from their entries lo = cal[k], hi = cal[k + 1]
 * and fractions f: modulo 2^16, cal[k] + floor((d f + 32) / 64) with d = hi - lo; d f is
 * 2^16 mulhi + mullo of (hi - lo mod 2^16) f, less 2^16 f where hi < lo. */
__attribute__((VBMI_TARGET)) static inline __m512i interp32w(__m512i lo, __m512i hi, __m512i f)
{
    __m512i d = _mm512_sub_epi16(hi, lo);
    __m512i pl = _mm512_mullo_epi16(d, f), ph = _mm512_mulhi_epu16(d, f);
    __m512i r = _mm512_add_epi16(
        lo, _mm512_add_epi16(_mm512_slli_epi16(ph, 10),
                             _mm512_avg_epu16(_mm512_srli_epi16(pl, 5), _mm512_setzero_si512())));
    return _mm512_mask_sub_epi16(r, _mm512_cmplt_epu16_mask(hi, lo), r, _mm512_slli_epi16(f, 10));
}

/* Pass 1 with AVX-512 VBMI, 64 pixels a step in 16-bit lanes: the NUC as nuc32w, the table
 * entries by byte permutes from its low and high bytes held in registers (cal[0..255] and
 * cal[1..256]), interpolated as cal_interp(): the expanded table's values. A step with counts
 * of 32768 or more, and the tail, go to pixels_avx512. */
__attribute__((VBMI_TARGET)) static void pixels_vbmi(const uint16_t *restrict in,
                                                     const int16_t *restrict off,
                                                     const uint16_t *restrict gn,
                                                     const uint16_t *restrict cal,
                                                     const uint8_t (*restrict b)[256],
                                                     const uint8_t *restrict step, int k_small,
                                                     const uint16_t *restrict lut,
                                                     uint16_t *restrict out, size_t n)
{
    __m512i t[4][4]; /* the bytes of struct fb_frontend_lut */
    for (int j = 0; j < 4; j++)
        for (int q = 0; q < 4; q++)
            t[j][q] = _mm512_loadu_si512((const void *)(b[j] + 64 * q));
    __m512i ts[4];
    for (int q = 0; q < 4; q++)
        ts[q] = _mm512_loadu_si512((const void *)(step + 64 * q));
    /* k's bytes in the order the unpacks undo: byte 16 L + j (j < 8) is pixel 8 L + j of the
     * first 32 (word 8 L + j, its low byte 2 (8 L + j)); byte 16 L + 8 + j pixel 32 + 8 L + j
     * (the second register's, 64 + 2 (8 L + j)) */
    uint8_t ix[64];
    for (int q = 0; q < 64; q++) {
        int lane = q / 16, j = q % 16;
        ix[q] = (uint8_t)(j < 8 ? 2 * (8 * lane + j) : 64 + 2 * (8 * lane + j - 8));
    }
    const __m512i kix = _mm512_loadu_si512((const void *)ix), low6 = _mm512_set1_epi16(63),
                  top = _mm512_set1_epi16((short)0x8000),
                  above14 = _mm512_set1_epi16((short)0xc000),
                  small_from = _mm512_set1_epi8((char)(k_small & 255)),
                  half = _mm512_set1_epi16(32);
    const bool any_small = k_small < 256; /* steps from k_small up are small */
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512i c0 = _mm512_loadu_si512((const void *)(in + i)),
                c1 = _mm512_loadu_si512((const void *)(in + i + 32));
        if (_mm512_test_epi16_mask(_mm512_or_si512(c0, c1), top)) { /* counts >= 32768 */
            pixels_avx512(in + i, off + i, gn + i, cal, lut, out + i, 64);
            continue;
        }
        __m512i x0 = nuc_x32w(c0, _mm512_loadu_si512((const void *)(off + i))),
                x1 = nuc_x32w(c1, _mm512_loadu_si512((const void *)(off + i + 32)));
        __m512i g0 = _mm512_loadu_si512((const void *)(gn + i)),
                g1 = _mm512_loadu_si512((const void *)(gn + i + 32)), y0, y1;
        if (_mm512_test_epi16_mask(_mm512_or_si512(x0, x1), above14)) {
            y0 = nuc32w(x0, g0, false);
            y1 = nuc32w(x1, g1, false);
        } else {
            y0 = nuc32w(x0, g0, true);
            y1 = nuc32w(x1, g1, true);
        }
        __m512i k = _mm512_permutex2var_epi8(_mm512_srli_epi16(y0, FB_FE_CAL_SHIFT), kix,
                                             _mm512_srli_epi16(y1, FB_FE_CAL_SHIFT));
        __mmask64 bit7 = _mm512_movepi8_mask(k);
        __m512i cl = byte256(t[0], k, bit7), ch = byte256(t[1], k, bit7);
        if (any_small && !_mm512_cmplt_epu8_mask(k, small_from)) {
            /* every step small: cal[k] + (d f + 32) >> 6, d f + 32 <= 16097 */
            __m512i d = byte256(ts, k, bit7), zero = _mm512_setzero_si512();
            __m512i df0 = _mm512_mullo_epi16(_mm512_unpacklo_epi8(d, zero),
                                             _mm512_and_si512(y0, low6));
            __m512i df1 = _mm512_mullo_epi16(_mm512_unpackhi_epi8(d, zero),
                                             _mm512_and_si512(y1, low6));
            _mm512_storeu_si512((void *)(out + i),
                                _mm512_add_epi16(_mm512_unpacklo_epi8(cl, ch),
                                                 _mm512_srli_epi16(_mm512_add_epi16(df0, half),
                                                                   FB_FE_CAL_SHIFT)));
            _mm512_storeu_si512((void *)(out + i + 32),
                                _mm512_add_epi16(_mm512_unpackhi_epi8(cl, ch),
                                                 _mm512_srli_epi16(_mm512_add_epi16(df1, half),
                                                                   FB_FE_CAL_SHIFT)));
            continue;
        }
        __m512i nl = byte256(t[2], k, bit7), nh = byte256(t[3], k, bit7);
        _mm512_storeu_si512((void *)(out + i),
                            interp32w(_mm512_unpacklo_epi8(cl, ch), _mm512_unpacklo_epi8(nl, nh),
                                      _mm512_and_si512(y0, low6)));
        _mm512_storeu_si512((void *)(out + i + 32),
                            interp32w(_mm512_unpackhi_epi8(cl, ch), _mm512_unpackhi_epi8(nl, nh),
                                      _mm512_and_si512(y1, low6)));
    }
    pixels_avx512(in + i, off + i, gn + i, cal, lut, out + i, n - i);
}
#endif /* FB_FRONTEND_NO_VBMI */
#endif /* FB_FRONTEND_NO_AVX512 */
#endif

#ifdef FB_FE_AVX512
/* The first index from i on in bad[0, n) that is marked, looked for 64 bytes a compare, or the
 * first index of the last, partial block: the caller looks from there on itself. */
__attribute__((target("avx512f,avx512bw"))) static size_t next_bad_avx512(const uint8_t *bad,
                                                                          size_t i, size_t n)
{
    for (; i + 64 <= n; i += 64) {
        __m512i b = _mm512_loadu_si512((const void *)(bad + i));
        __mmask64 m = _mm512_test_epi8_mask(b, b);
        if (m)
            return i + (size_t)__builtin_ctzll(m);
    }
    return i;
}
#endif

/* y of the good pixel i. */
static inline uint32_t y_at(const fb_frontend *fe, const uint16_t *counts, size_t i)
{
    return nuc(counts[i], fe->offset[i], fe->gain[i]);
}

/* Pass 2 for bad pixel i in the row [r0, r0 + w): y = floor(mean) of the nearest good pixel on
 * each side (one side at the row ends; unchanged if the row has no good pixel). Only good
 * pixels are read, so replacements never feed each other and the order does not matter. */
static void replace_bad(const fb_frontend *fe, const uint16_t *counts, const uint16_t *lut,
                        uint16_t *out, size_t r0, size_t w, size_t i)
{
    const uint8_t *bad = fe->bad;
    size_t l = i, r = i + 1;
    while (l > r0 && bad[l - 1])
        l--;
    while (r < r0 + w && bad[r])
        r++;
    bool has_l = l > r0, has_r = r < r0 + w;
    uint32_t y;
    if (has_l && has_r)
        y = (y_at(fe, counts, l - 1) + y_at(fe, counts, r)) >> 1;
    else if (has_l)
        y = y_at(fe, counts, l - 1);
    else if (has_r)
        y = y_at(fe, counts, r);
    else
        return; /* pass 1's value stands */
    out[i] = lut[y];
}

void fb_frontend_process_rows(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out,
                              int y0, int y1)
{
    /* counts and ck_out must not overlap. */
    if (y0 < 0)
        y0 = 0;
    if (y1 > fe->height)
        y1 = fe->height;
    if (y1 <= y0)
        return;
    const size_t w = (size_t)fe->width, a = (size_t)y0 * w, n = (size_t)y1 * w;
    const struct fb_frontend_lut *tab = current_lut(fe);
    const uint16_t *lut = tab->ck;

    /* Pass 1: every pixel as if it were good. */
#ifdef FB_FE_VBMI
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vbmi"))
        pixels_vbmi(counts + a, fe->offset + a, fe->gain + a, fe->cal_ck, tab->bytes, tab->step,
                    tab->k_small, lut, ck_out + a, n - a);
    else
#endif
#ifdef FB_FE_AVX512
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        pixels_avx512(counts + a, fe->offset + a, fe->gain + a, fe->cal_ck, lut, ck_out + a,
                      n - a);
    else
#endif
#ifdef FB_FE_AVX2
    if (__builtin_cpu_supports("avx2"))
        pixels_avx2(counts + a, fe->offset + a, fe->gain + a, lut, ck_out + a, n - a);
    else
#endif
        pixels_c(counts + a, fe->offset + a, fe->gain + a, lut, ck_out + a, n - a);

    /* Pass 2, sparse: the bad-pixel map is read 32 bytes at a time; only non-zero blocks (a
     * few per frame) are looked into. The map is read every frame, so changes to it always
     * count. Bad pixels take their good neighbours in their own row: rows are independent. */
    const uint8_t *bad = fe->bad;
    size_t i = a;
#ifdef FB_FE_AVX512
    /* 64 bytes a compare (the 32-byte words below: ~0.03 of the front-end's 0.29 ns/px on an
     * Intel Xeon) */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        for (; (i = next_bad_avx512(bad, i, n)) + 64 <= n; i++)
            replace_bad(fe, counts, lut, ck_out, i - i % w, w, i);
#endif
    for (; i + 32 <= n; i += 32) {
        uint64_t word[4];
        memcpy(word, bad + i, sizeof(word));
        if ((word[0] | word[1] | word[2] | word[3]) == 0)
            continue;
        for (size_t j = i; j < i + 32; j++)
            if (bad[j])
                replace_bad(fe, counts, lut, ck_out, j - j % w, w, j);
    }
    for (; i < n; i++)
        if (bad[i])
            replace_bad(fe, counts, lut, ck_out, i - i % w, w, i);
}

void fb_frontend_process(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck_out)
{
    fb_frontend_process_rows(fe, counts, ck_out, 0, fe->height);
}
