/* optics.c — Gaussian point-spread function of the lens, applied only where the radiance image has detail (AVX-512 or AVX2 when the CPU has it, same result). */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "optics.h"

/* Gaussian fit of the Airy pattern: sigma = 0.42 lambda N (Zhang et al., Appl. Opt. 2007). */
#define AIRY_SIGMA_PER_LAMBDA_N 0.42
/* Below this SD the kernel's side taps are < 4e-6 of the centre: no blur. */
#define MIN_SIGMA_PX 0.2

double fb_optics_sigma_px(const fb_optics_params *p)
{
    if (!p || !(p->pixel_pitch_um > 0.0) || !isfinite(p->pixel_pitch_um) || !(p->f_number > 0.0) ||
        !isfinite(p->f_number) || !(p->lens_blur_um >= 0.0) || !isfinite(p->lens_blur_um))
        return -1.0;
    double diff_um = AIRY_SIGMA_PER_LAMBDA_N * FB_OPTICS_WAVELENGTH_UM * p->f_number;
    return sqrt(diff_um * diff_um + p->lens_blur_um * p->lens_blur_um) / p->pixel_pitch_um;
}

int fb_optics_init(fb_optics *o, int width, int height, const fb_optics_params *p)
{
    if (!o)
        return FB_ERR_ARG;
    o->tmp = o->line = o->flat = o->ring = NULL;
    o->span_lo = o->span_hi = NULL;
    o->illum = NULL;
    o->radius = 0;
    o->next_h = 0;
    o->simd = 2;
    double sigma = fb_optics_sigma_px(p);
    if (width < 1 || width > 4096 || height < 1 || height > 4096 || sigma < 0.0)
        return FB_ERR_RANGE;
    o->width = width;
    o->height = height;
    o->sigma_px = sigma;
    if (sigma >= MIN_SIGMA_PX) {
        double r = ceil(3.0 * sigma);
        o->radius = r > FB_OPTICS_MAX_RADIUS ? FB_OPTICS_MAX_RADIUS : (int)r;
    }
    double wd[2 * FB_OPTICS_MAX_RADIUS + 1], sum = 0.0;
    for (int k = -o->radius; k <= o->radius; k++) {
        wd[k + o->radius] = o->radius ? exp(-(double)(k * k) / (2.0 * sigma * sigma)) : 1.0;
        sum += wd[k + o->radius];
    }
    for (int k = 0; k < 2 * FB_OPTICS_MAX_RADIUS + 1; k++)
        o->w[k] = k <= 2 * o->radius ? (float)(wd[k] / sum) : 0.0f;
    double ci = p->corner_illumination;
    if (ci > 0.0 && ci < 1.0) {
        if (!(p->hfov_deg > 1.0 && p->hfov_deg < 170.0))
            return FB_ERR_RANGE;
        double f = ((double)width / 2.0) / tan(p->hfov_deg * (3.14159265358979323846 / 360.0));
        double rc2 = ((double)width * width + (double)height * height) / 4.0;
        double c4c = 1.0 / ((1.0 + rc2 / (f * f)) * (1.0 + rc2 / (f * f))); /* cos^4 at the corner */
        o->illum = malloc((size_t)width * (size_t)height * sizeof(*o->illum));
        if (!o->illum)
            return FB_ERR_NOMEM;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                double dx = x + 0.5 - width / 2.0, dy = y + 0.5 - height / 2.0;
                double t2 = (dx * dx + dy * dy) / (f * f), c4 = 1.0 / ((1.0 + t2) * (1.0 + t2));
                o->illum[(size_t)y * (size_t)width + (size_t)x] =
                    (float)(1.0 - (1.0 - ci) * (1.0 - c4) / (1.0 - c4c));
            }
    }
    if (o->radius == 0)
        return FB_OK;

    size_t n = (size_t)width * (size_t)height;
    o->tmp = malloc(n * sizeof(*o->tmp));
    o->line = malloc(((size_t)width + 2 * (size_t)o->radius) * sizeof(*o->line));
    o->flat = malloc((size_t)width * sizeof(*o->flat));
    o->span_lo = malloc((size_t)height * sizeof(*o->span_lo));
    o->span_hi = malloc((size_t)height * sizeof(*o->span_hi));
    o->ring = malloc((2 * (size_t)o->radius + 1) * (size_t)width * sizeof(*o->ring));
    if (!o->tmp || !o->line || !o->flat || !o->span_lo || !o->span_hi || !o->ring) {
        fb_optics_free(o);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

int fb_optics_rows_init(fb_optics *c, const fb_optics *o)
{
    memset(c, 0, sizeof(*c));
    c->width = o->width;
    c->height = o->height;
    c->sigma_px = o->sigma_px;
    c->radius = o->radius;
    memcpy(c->w, o->w, sizeof(c->w));
    c->simd = o->simd;
    if (c->radius == 0)
        return FB_OK;
    const size_t width = (size_t)c->width;
    c->line = malloc((width + 2 * (size_t)c->radius) * sizeof(*c->line));
    c->flat = malloc(width * sizeof(*c->flat));
    c->span_lo = malloc((size_t)c->height * sizeof(*c->span_lo));
    c->span_hi = malloc((size_t)c->height * sizeof(*c->span_hi));
    c->ring = malloc((2 * (size_t)c->radius + 1) * width * sizeof(*c->ring));
    if (!c->line || !c->flat || !c->span_lo || !c->span_hi || !c->ring) {
        fb_optics_free(c);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_optics_free(fb_optics *o)
{
    if (!o)
        return;
    free(o->tmp);
    free(o->line);
    free(o->flat);
    free(o->span_lo);
    free(o->span_hi);
    free(o->illum);
    free(o->ring);
    o->tmp = o->line = o->flat = o->ring = NULL;
    o->span_lo = o->span_hi = NULL;
    o->illum = NULL;
}

void fb_optics_vignette(const fb_optics *o, float *radiance, float housing_radiance)
{
    if (!o->illum)
        return;
    size_t n = (size_t)o->width * (size_t)o->height;
    for (size_t i = 0; i < n; i++)
        radiance[i] = housing_radiance + o->illum[i] * (radiance[i] - housing_radiance);
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Pixels are compared with the background bit for bit (memcmp, fast): equal bits are equal
 * values; a value equal but not bitwise (-0.0) only counts as detail, which costs time, not
 * exactness. flat holds w copies of the background. */
#define SCAN_BLOCK 16

/* First index in row[0, w) unlike flat, or w. */
static int first_unlike(const float *row, const float *flat, int w)
{
    int x = 0;
    for (; x + SCAN_BLOCK <= w; x += SCAN_BLOCK)
        if (memcmp(row + x, flat, SCAN_BLOCK * sizeof(*row)) != 0)
            break;
    for (; x < w; x++)
        if (memcmp(row + x, flat, sizeof(*row)) != 0)
            return x;
    return w;
}

/* Last index in row[0, w) unlike flat (one is known to exist). */
static int last_unlike(const float *row, const float *flat, int w)
{
    int x = w;
    for (; x >= SCAN_BLOCK; x -= SCAN_BLOCK)
        if (memcmp(row + x - SCAN_BLOCK, flat, SCAN_BLOCK * sizeof(*row)) != 0)
            break;
    for (x = x - 1; x > 0; x--)
        if (memcmp(row + x, flat, sizeof(*row)) != 0)
            return x;
    return 0;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_OPTICS_NO_SIMD)
#include <immintrin.h>
#define FB_OPTICS_SCAN_AVX512 1
/* first_unlike and last_unlike with sixteen pixels' bits compared a step into a mask, the
 * index from the mask's lowest or highest bit: the same index. (GCC expands the memcmp into
 * eight 64-bit loads, xors and ors a block: a fifth of the row blur's samples on an Intel Xeon.) */
#define SCAN_TARGET target("avx512f")
__attribute__((SCAN_TARGET)) static inline int first_unlike_avx512(const float *row,
                                                                   const float *flat, int w)
{
    uint32_t bits;
    memcpy(&bits, flat, sizeof(bits));
    const __m512i b = _mm512_set1_epi32((int)bits);
    int x = 0;
    for (; x + 16 <= w; x += 16) {
        __mmask16 m = _mm512_cmpneq_epi32_mask(_mm512_loadu_si512((const void *)(row + x)), b);
        if (m)
            return x + __builtin_ctz(m);
    }
    if (x < w) {
        __mmask16 tail = (__mmask16)((1u << (w - x)) - 1u);
        __mmask16 m = _mm512_mask_cmpneq_epi32_mask(
            tail, _mm512_maskz_loadu_epi32(tail, (const void *)(row + x)), b);
        if (m)
            return x + __builtin_ctz(m);
    }
    return w;
}

__attribute__((SCAN_TARGET)) static inline int last_unlike_avx512(const float *row,
                                                                  const float *flat, int w)
{
    uint32_t bits;
    memcpy(&bits, flat, sizeof(bits));
    const __m512i b = _mm512_set1_epi32((int)bits);
    int x = w;
    for (; x >= 16; x -= 16) {
        __mmask16 m = _mm512_cmpneq_epi32_mask(_mm512_loadu_si512((const void *)(row + x - 16)), b);
        if (m)
            return x - 16 + 31 - __builtin_clz(m);
    }
    if (x > 0) {
        __mmask16 head = (__mmask16)((1u << x) - 1u);
        __mmask16 m = _mm512_mask_cmpneq_epi32_mask(
            head, _mm512_maskz_loadu_epi32(head, (const void *)row), b);
        if (m)
            return 31 - __builtin_clz(m);
    }
    return 0;
}
#endif

/* out[x] = sum_t k[t] src[t][x] (t ascending) for x in [x0, x1). taps is a constant where it is
 * inlined, so the tap loop unrolls and the x loop vectorises. */
static inline __attribute__((always_inline)) void taps_sum(float *restrict out, const float *const *src, const float *k,
                            int taps, int x0, int x1)
{
    for (int x = x0; x < x1; x++) {
        float a = k[0] * src[0][x];
        for (int t = 1; t < taps; t++)
            a += k[t] * src[t][x];
        out[x] = a;
    }
}

static inline __attribute__((always_inline)) void taps_dispatch(float *restrict out, const float *const *src, const float *k, int taps,
                          int x0, int x1)
{
    switch (taps) {
    case 3: taps_sum(out, src, k, 3, x0, x1); break;
    case 5: taps_sum(out, src, k, 5, x0, x1); break;
    case 7: taps_sum(out, src, k, 7, x0, x1); break;
    case 9: taps_sum(out, src, k, 9, x0, x1); break;
    default: taps_sum(out, src, k, taps, x0, x1); break;
    }
}

/* The first and last columns of row[0, w) unlike flat (false: none), by the AVX-512 scan where
 * isa (a constant where inlined) is 2, else by memcmp. */
static inline __attribute__((always_inline)) bool detail(const float *row, const float *flat, int w,
                                                        int isa, int *first, int *last)
{
    (void)isa;
#ifdef FB_OPTICS_SCAN_AVX512
    if (isa == 2) {
        *first = first_unlike_avx512(row, flat, w);
        if (*first == w)
            return false;
        *last = last_unlike_avx512(row, flat, w);
        return true;
    }
#endif
    *first = first_unlike(row, flat, w);
    if (*first == w)
        return false;
    *last = last_unlike(row, flat, w);
    return true;
}

/* The horizontal pass of row y (radiance row `row`) into out[width], only over the row's detail
 * plus the radius (out keeps the background outside it); a row without detail is marked empty
 * (span_lo = span_hi = 0) and out is not written. o->flat holds the background. isa (a
 * constant where inlined): 2 scans for the detail with AVX-512, else memcmp. */
static inline __attribute__((always_inline)) void hpass_row(fb_optics *o, const float *row,
                                                           float *out, int y, int isa)
{
    const int w = o->width, r = o->radius, taps = 2 * r + 1;
    const float bg = o->flat[0];
    const float *src[2 * FB_OPTICS_MAX_RADIUS + 1];
    int first, last;
    if (!detail(row, o->flat, w, isa, &first, &last)) { /* nothing to blur */
        o->span_lo[y] = o->span_hi[y] = 0;
        return;
    }
    int lo = first - r > 0 ? first - r : 0;
    int hi = last + 1 + r < w ? last + 1 + r : w;
    o->span_lo[y] = lo;
    o->span_hi[y] = hi;
    int a = lo - r, b = hi + r;
    if (a >= 0 && b <= w) { /* the taps stay within the row: read it in place */
        for (int t = 0; t < taps; t++)
            src[t] = row + t - r; /* src[t][x] = row[x + t - r] */
    } else {
        /* line[j] = row[lo - r + j], the scene continuing the edge pixels beyond the frame */
        float *line = o->line;
        int j = 0;
        for (; a + j < 0; j++)
            line[j] = row[0];
        int in_end = b < w ? b : w;
        memcpy(line + j, row + a + j, (size_t)(in_end - (a + j)) * sizeof(*line));
        for (j = in_end - a; a + j < b; j++)
            line[j] = row[w - 1];
        for (int t = 0; t < taps; t++)
            src[t] = line + t - lo; /* src[t][x] = line[x - lo + t] = row[x + t - r] */
    }
    for (int x = 0; x < lo; x++)
        out[x] = bg;
    taps_dispatch(out, src, o->w, taps, lo, hi);
    for (int x = hi; x < w; x++)
        out[x] = bg;
}

/* The vertical pass's rows for output row y: src[t] the horizontal pass of row
 * clamp(y + t - r) (tmp + row stride, rows modulo `ring` when ring > 0), or the flat row where
 * that row had no detail; [*ulo, *uhi) the union of their spans (empty: nothing to do). */
static inline __attribute__((always_inline)) void vpass_rows(const fb_optics *o, const float *tmp,
                                                            int ring, int y, const float **src,
                                                            int *ulo, int *uhi)
{
    const int w = o->width, h = o->height, r = o->radius, taps = 2 * r + 1;
    *ulo = w;
    *uhi = 0;
    for (int t = 0; t < taps; t++) {
        int yy = clampi(y + t - r, 0, h - 1);
        if (o->span_hi[yy] > o->span_lo[yy]) {
            *ulo = o->span_lo[yy] < *ulo ? o->span_lo[yy] : *ulo;
            *uhi = o->span_hi[yy] > *uhi ? o->span_hi[yy] : *uhi;
            src[t] = tmp + (size_t)(ring ? yy % ring : yy) * (size_t)w;
        } else {
            src[t] = o->flat;
        }
    }
}

/* The blur, inlined into a baseline and an AVX2 copy that compute the same: each output is
 * the same sum of products in the same tap order (no FMA: -ffp-contract=off, and the avx2
 * target has none); only the vector width differs. */
static inline __attribute__((always_inline)) void blur(fb_optics *o, float *radiance,
                                                      float background, int isa)
{
    const int w = o->width, h = o->height, r = o->radius, taps = 2 * r + 1;
    if (r == 0)
        return;
    const float *src[2 * FB_OPTICS_MAX_RADIUS + 1];
    for (int x = 0; x < w; x++)
        o->flat[x] = background;

    /* Horizontal pass into tmp, only over each row's detail plus the radius. */
    for (int y = 0; y < h; y++)
        hpass_row(o, radiance + (size_t)y * (size_t)w, o->tmp + (size_t)y * (size_t)w, y, isa);

    /* Vertical pass from tmp back into radiance, over the union of the spans within reach. */
    for (int y = 0; y < h; y++) {
        int ulo, uhi;
        vpass_rows(o, o->tmp, 0, y, src, &ulo, &uhi);
        if (uhi > ulo)
            taps_dispatch(radiance + (size_t)y * (size_t)w, src, o->w, taps, ulo, uhi);
    }
}

/* Row y of the blur (fb_optics_row). */
static inline __attribute__((always_inline)) const float *
one_row(fb_optics *o, const float *radiance, int y, float *out, int isa)
{
    const int w = o->width, h = o->height, r = o->radius;
    const float *in = radiance + (size_t)y * (size_t)w;
    if (r == 0)
        return in;
    const int taps = 2 * r + 1, last = y + r < h - 1 ? y + r : h - 1;
    if (o->next_h < y - r) /* rows skipped: their horizontal pass is not needed */
        o->next_h = y - r;
    for (; o->next_h <= last; o->next_h++)
        hpass_row(o, radiance + (size_t)o->next_h * (size_t)w,
                  o->ring + (size_t)(o->next_h % taps) * (size_t)w, o->next_h, isa);
    const float *src[2 * FB_OPTICS_MAX_RADIUS + 1];
    int ulo, uhi;
    vpass_rows(o, o->ring, taps, y, src, &ulo, &uhi);
    if (!(uhi > ulo))
        return in;
    /* outside [ulo, uhi) the in-place blur leaves the row as it was */
    memcpy(out, in, (size_t)ulo * sizeof(*out));
    taps_dispatch(out, src, o->w, taps, ulo, uhi);
    memcpy(out + uhi, in + uhi, (size_t)(w - uhi) * sizeof(*out));
    return out;
}

static const float *one_row_c(fb_optics *o, const float *radiance, int y, float *out)
{
    return one_row(o, radiance, y, out, 0);
}

static void blur_c(fb_optics *o, float *radiance, float background)
{
    blur(o, radiance, background, 0);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_OPTICS_NO_SIMD)
__attribute__((target("avx2"))) static void blur_avx2(fb_optics *o, float *radiance,
                                                      float background)
{
    blur(o, radiance, background, 1);
}

__attribute__((target("avx2"))) static const float *one_row_avx2(fb_optics *o,
                                                                 const float *radiance, int y,
                                                                 float *out)
{
    return one_row(o, radiance, y, out, 1);
}

/* And with AVX-512 (16 lanes): the same sums in the same order again. */
#define AVX512_TARGET target("avx512f,avx512bw,avx512vl,prefer-vector-width=512")
__attribute__((AVX512_TARGET)) static void blur_avx512(fb_optics *o, float *radiance,
                                                       float background)
{
    blur(o, radiance, background, 2);
}

__attribute__((AVX512_TARGET)) static const float *one_row_avx512(fb_optics *o,
                                                                  const float *radiance, int y,
                                                                  float *out)
{
    return one_row(o, radiance, y, out, 2);
}
#endif

void fb_optics_blur(fb_optics *o, float *radiance, float background)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_OPTICS_NO_SIMD)
    if (o->simd >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl")) {
        blur_avx512(o, radiance, background);
        return;
    }
    if (o->simd >= 1 && __builtin_cpu_supports("avx2")) {
        blur_avx2(o, radiance, background);
        return;
    }
#endif
    blur_c(o, radiance, background);
}

void fb_optics_rows_begin(fb_optics *o, float background)
{
    o->next_h = 0;
    if (o->radius)
        for (int x = 0; x < o->width; x++)
            o->flat[x] = background;
}

const float *fb_optics_row(fb_optics *o, const float *radiance, int y, float *out)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_OPTICS_NO_SIMD)
    if (o->simd >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        return one_row_avx512(o, radiance, y, out);
    if (o->simd >= 1 && __builtin_cpu_supports("avx2"))
        return one_row_avx2(o, radiance, y, out);
#endif
    return one_row_c(o, radiance, y, out);
}
