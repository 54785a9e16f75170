/* render2d.c — the transitional flat renderer: wall, blackbody and people's 2D thermal templates
 * painted far to near (render2d.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/atmosphere.h"
#include "../models/fb_error.h"
#include "render2d.h"

#define WALL_EMISSIVITY 0.95 /* painted plaster; reflects the room, so it reads ~ambient */

int fb_render2d_init(fb_render2d *r, int width, int height, size_t max_subjects)
{
    memset(r, 0, sizeof(*r));
    if (width <= 0 || height <= 0)
        return FB_ERR_ARG;
    size_t n = (size_t)width * (size_t)height;
    r->width = width;
    r->height = height;
    r->radiance = malloc(n * sizeof(*r->radiance));
    r->owner = malloc(n * sizeof(*r->owner));
    r->visible_cap = max_subjects ? max_subjects : 1;
    if (r->visible_cap >= FB_RENDER2D_OWNER_BLACKBODY) /* owner ids are k + 1 < the blackbody's */
        r->visible_cap = FB_RENDER2D_OWNER_BLACKBODY - 1;
    r->visible_px = calloc(r->visible_cap, sizeof(*r->visible_px));
    r->canthus_visible = calloc(r->visible_cap, sizeof(*r->canthus_visible));
    r->canthus_box = calloc(4 * r->visible_cap, sizeof(*r->canthus_box));
    /* painter's order: people, the blackbody and the distractors */
    r->order = calloc(r->visible_cap + 2 + FB_MAX_DISTRACTORS, sizeof(*r->order));
    r->nx2 = malloc(8 * (size_t)width * sizeof(*r->nx2));
    if (!r->radiance || !r->owner || !r->visible_px || !r->canthus_visible || !r->canthus_box ||
        !r->order || !r->nx2) {
        fb_render2d_free(r);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_render2d_free(fb_render2d *r)
{
    free(r->radiance);
    free(r->owner);
    free(r->visible_px);
    free(r->canthus_visible);
    free(r->canthus_box);
    free(r->order);
    free(r->nx2);
    memset(r, 0, sizeof(*r));
}

/* The widest painter instance paint may take where the CPU has it (fb_render2d_set_isa). */
static fb_isa g_isa = FB_ISA_BEST;

void fb_render2d_set_isa(fb_isa isa)
{
    g_isa = isa;
}

/* The painter's helpers are compiled into each of its three instances (paint_shape_avx512,
 * paint_shape_avx2 and paint_shape_c): the AVX-512 one fills and blends sixteen floats a step,
 * the AVX2 one's plain loops vectorise eight floats wide, and both have floor and ceil as single
 * instructions. All do each pixel's operations in the same order. */
#define INLINE static inline __attribute__((always_inline))

/* fmax and fmin with their NaN rules (a NaN operand yields the other), inline: GCC calls libm
 * for fmax/fmin without -ffast-math. Of two zeros of opposite sign either may come back, as
 * with fmax; no result here can tell: a shape's edges are never -0 (x - h and x + h with h > 0
 * are -0 only when h is), pixel edges are +0, and a chord's clip only feeds floor or ceil. */
INLINE double max_d(double a, double b)
{
    return a > b || b != b ? a : b;
}

INLINE double min_d(double a, double b)
{
    return a < b || b != b ? a : b;
}

/* An ellipse's sample rows in one pixel row y: ny^2 of the n sample rows (n <= 8). */
INLINE void sample_rows(double y, double cy, double hh, int n, double ny2[8])
{
    double step = 1.0 / n;
    for (int j = 0; j < n; j++) {
        double ny = (y + (j + 0.5) * step - cy) / hh;
        ny2[j] = ny * ny;
    }
}

/* An ellipse's sample columns in pixel columns [a, b): nx2[8 x + i] = nx^2 of column x's
 * sample i of n, once per shape (they depend on the column only; ellipse_sampled reads them). */
INLINE void sample_columns(int a, int b, double cx, double hw, int n, double *nx2)
{
    double step = 1.0 / n;
    for (int x = a; x < b; x++)
        for (int i = 0; i < n; i++) {
            double nx = ((double)x + (i + 0.5) * step - cx) / hw;
            nx2[8 * x + i] = nx * nx;
        }
}

/* Samples of an n x n grid (n a constant after inlining) with nx^2 + ny^2 <= 1. */
INLINE int count_inside(const double *nx2, const double *ny2, int n)
{
    int inside = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            inside += nx2[i] + ny2[j] <= 1.0;
    return inside;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_RENDER2D_NO_SIMD)
#include <immintrin.h>
#define FB_RENDER2D_AVX2 1
/* count_inside with four columns a vector: the same sums and comparisons, so the same count. */
FB_TARGET_AVX2 static inline int count_inside_avx2(const double *nx2,
                                                                     const double *ny2, int n)
{
    const __m256d one = _mm256_set1_pd(1.0);
    int inside = 0;
    for (int i = 0; i < n; i += 4) {
        __m256d nx = _mm256_loadu_pd(nx2 + i);
        unsigned bits = 0;
        for (int j = 0; j < n; j++) {
            __m256d s = _mm256_add_pd(nx, _mm256_broadcast_sd(ny2 + j));
            bits |= (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(s, one, _CMP_LE_OQ)) << (4 * j);
        }
        inside += __builtin_popcount(bits);
    }
    return inside;
}

#define T512 FB_TARGET_AVX512
/* count_inside with eight samples a vector: n = 8 a row of columns each, n = 4 two rows of
 * columns each (lanes 0-3 row j, 4-7 row j + 1); the same sums and comparisons, the same count. */
T512 static inline int count_inside_avx512(const double *nx2, const double *ny2, int n)
{
    const __m512d one = _mm512_set1_pd(1.0);
    uint64_t bits = 0;
    if (n == 4) {
        __m512d nx = _mm512_broadcast_f64x4(_mm256_loadu_pd(nx2));
        for (int j = 0; j < 4; j += 2) {
            __m512d ny = _mm512_insertf64x4(_mm512_set1_pd(ny2[j]), _mm256_set1_pd(ny2[j + 1]), 1);
            bits |= (uint64_t)_mm512_cmp_pd_mask(_mm512_add_pd(nx, ny), one, _CMP_LE_OQ) << (4 * j);
        }
    } else {
        __m512d nx = _mm512_loadu_pd(nx2);
        for (int j = 0; j < n; j++) {
            __m512d s = _mm512_add_pd(nx, _mm512_set1_pd(ny2[j]));
            bits |= (uint64_t)_mm512_cmp_pd_mask(s, one, _CMP_LE_OQ) << (8 * j);
        }
    }
    return __builtin_popcountll(bits);
}
#endif

/* Share of pixel column x in one pixel row inside the ellipse, by n x n point sampling
 * (n <= 8): columns' nx^2 from sample_columns, rows' ny^2 from sample_rows; isa is the
 * instance's (a constant in each). */
INLINE float ellipse_sampled(const double *nx2, const double *ny2, int n, fb_isa isa)
{
    int inside;
#ifdef FB_RENDER2D_AVX2
    if (isa == FB_ISA_AVX512)
        inside = n == 4 ? count_inside_avx512(nx2, ny2, 4) : count_inside_avx512(nx2, ny2, 8);
    else if (isa == FB_ISA_AVX2)
        inside = n == 4 ? count_inside_avx2(nx2, ny2, 4) : count_inside_avx2(nx2, ny2, 8);
    else
#endif
        inside = n == 4 ? count_inside(nx2, ny2, 4) : count_inside(nx2, ny2, 8);
    (void)isa;
    return n == 4 ? (float)inside / 16.0f : (float)inside / 64.0f; /* (float)(n * n), constant */
}

/* Blends coverage c of radiance rad into one pixel; half-covered pixels change owner. */
INLINE void blend(float *px, uint16_t *own, float c, float rad, uint16_t owner)
{
    *px += c * (rad - *px);
    if (c >= 0.5f)
        *own = owner;
}

#ifdef FB_RENDER2D_AVX2
/* fill_span and blend_span sixteen pixels a step, the last step's lanes masked: a span of
 * a shape's row is mostly shorter than the vectorised loops' unmasked tails. */
T512 static inline void fill_span_avx512(float *row, uint16_t *own, int x0, int x1, float rad,
                                         uint16_t owner)
{
    const __m512 r16 = _mm512_set1_ps(rad);
    const __m256i o16 = _mm256_set1_epi16((short)owner);
    for (int x = x0; x < x1; x += 16) {
        __mmask16 m = (__mmask16)(x1 - x >= 16 ? 0xffffu : (1u << (x1 - x)) - 1);
        _mm512_mask_storeu_ps(row + x, m, r16);
        _mm256_mask_storeu_epi16(own + x, m, o16);
    }
}

T512 static inline void blend_span_avx512(float *row, uint16_t *own, int x0, int x1, float c,
                                          float rad, uint16_t owner)
{
    const __m512 c16 = _mm512_set1_ps(c), r16 = _mm512_set1_ps(rad);
    const __m256i o16 = _mm256_set1_epi16((short)owner);
    for (int x = x0; x < x1; x += 16) {
        __mmask16 m = (__mmask16)(x1 - x >= 16 ? 0xffffu : (1u << (x1 - x)) - 1);
        __m512 p = _mm512_maskz_loadu_ps(m, row + x);
        p = _mm512_add_ps(p, _mm512_mul_ps(c16, _mm512_sub_ps(r16, p)));
        _mm512_mask_storeu_ps(row + x, m, p);
        if (c >= 0.5f)
            _mm256_mask_storeu_epi16(own + x, m, o16);
    }
}
#endif

/* Fills pixels [x0, x1) of a row with full coverage: plain stores, vectorisable. */
INLINE void fill_span(float *row, uint16_t *own, int x0, int x1, float rad, uint16_t owner,
                      fb_isa isa)
{
#ifdef FB_RENDER2D_AVX2
    if (isa == FB_ISA_AVX512) {
        fill_span_avx512(row, own, x0, x1, rad, owner);
        return;
    }
#endif
    (void)isa;
    for (int x = x0; x < x1; x++)
        row[x] = rad;
    for (int x = x0; x < x1; x++)
        own[x] = owner;
}

/* Blends pixels [x0, x1) of a row with one coverage c: blend's operations, its owner test
 * taken out of the loop so that the loop vectorises. */
INLINE void blend_span(float *row, uint16_t *own, int x0, int x1, float c, float rad,
                       uint16_t owner, fb_isa isa)
{
#ifdef FB_RENDER2D_AVX2
    if (isa == FB_ISA_AVX512) {
        blend_span_avx512(row, own, x0, x1, c, rad, owner);
        return;
    }
#endif
    (void)isa;
    for (int x = x0; x < x1; x++)
        row[x] += c * (rad - row[x]);
    if (c >= 0.5f)
        for (int x = x0; x < x1; x++)
            own[x] = owner;
}

/* Half-width of the ellipse's chord at height y (0 outside). */
INLINE double chord(double y, double cy, double hw, double hh)
{
    double ny = (y - cy) / hh;
    double q = 1.0 - ny * ny;
    return q > 0 ? hw * sqrt(q) : 0.0;
}

/* A shape's extent in pixels: edges x0 x1 y0 y1 and the image rows [iy0, iy1) it touches. */
typedef struct shape_px {
    double cx, cy, hw, hh, x0, x1, y0, y1;
    int iy0, iy1;
} shape_px;

/* Touched columns [*a, *b) and fully covered ones [*ia, *ib) of the span [lo, hi] whose
 * covered part is [in_lo, in_hi], clipped to the image; [*ia, *ib) is empty (at *a) when no
 * pixel is fully covered. */
INLINE void row_columns(const fb_render2d *r, double lo, double hi, double in_lo,
                        double in_hi, int *a, int *b, int *ia, int *ib)
{
    *a = (int)floor(max_d(lo, 0.0));
    *b = (int)ceil(min_d(hi, (double)r->width));
    *ia = (int)ceil(max_d(in_lo, 0.0));
    *ib = (int)floor(min_d(in_hi, (double)r->width));
    if (*ib <= *ia)
        *ia = *ib = *a;
}

/* A rectangle: exact area coverage. Its columns and its edge columns' x shares are the same
 * in every row, so they are found once; each row blends its edge columns (at most two, each
 * under a pixel's share) by their x share times the row's y share, and fills or blends the
 * columns in between. */
INLINE void paint_rect(fb_render2d *r, const shape_px *s, float rad, uint16_t owner,
                       fb_isa isa)
{
    int a, b, ia, ib;
    row_columns(r, s->x0, s->x1, s->x0, s->x1, &a, &b, &ia, &ib);
    /* the edge columns and their x shares: at most one each side of [ia, ib), and at most two
     * when no column is fully covered (the rectangle is then under two pixels wide) */
    int edge[2], n_edge = 0;
    float share[2];
    for (int px = a; px < b && n_edge < 2; px++) {
        if (px == ia && ib > ia)
            px = ib;
        if (px >= b)
            break;
        edge[n_edge] = px;
        share[n_edge++] = (float)(min_d(px + 1.0, s->x1) - max_d((double)px, s->x0));
    }
    for (int py = s->iy0; py < s->iy1; py++) {
        float *row = r->radiance + (size_t)py * (size_t)r->width;
        uint16_t *own = r->owner + (size_t)py * (size_t)r->width;
        float cov_y = (float)(min_d(py + 1.0, s->y1) - max_d((double)py, s->y0));
        if (cov_y >= 1.0f)
            fill_span(row, own, ia, ib, rad, owner, isa);
        else
            blend_span(row, own, ia, ib, cov_y, rad, owner, isa);
        for (int e = 0; e < n_edge; e++) {
            float c = share[e] * cov_y;
            if (c > 0.0f)
                blend(&row[edge[e]], &own[edge[e]], c, rad, owner);
        }
    }
}

/* An ellipse: pixels whose whole area is inside (between the chords at the row's top and
 * bottom) are filled; the others in the touched span are point-sampled n x n (n a constant
 * after inlining, so that the samples' divisions go four to a vector). */
INLINE void paint_ellipse(fb_render2d *r, const shape_px *s, float rad, uint16_t owner, int n,
                          fb_isa isa)
{
    int ca = (int)floor(max_d(s->x0, 0.0)), cb = (int)ceil(min_d(s->x1, (double)r->width));
    sample_columns(ca, cb, s->cx, s->hw, n, r->nx2); /* every row's touched span is inside */
    double c1 = chord(s->iy0, s->cy, s->hw, s->hh);
    for (int py = s->iy0; py < s->iy1; py++) {
        float *row = r->radiance + (size_t)py * (size_t)r->width;
        uint16_t *own = r->owner + (size_t)py * (size_t)r->width;
        double ny2[8]; /* the sample rows in this pixel row */
        sample_rows(py, s->cy, s->hh, n, ny2);
        double c0 = c1; /* the chord at the row's top is the one at the last row's bottom */
        c1 = chord(py + 1.0, s->cy, s->hw, s->hh);
        double cmax = (s->cy >= py && s->cy <= py + 1.0) ? s->hw : max_d(c0, c1);
        double cmin = min_d(c0, c1);
        int a, b, ia, ib;
        row_columns(r, s->cx - cmax, s->cx + cmax, s->cx - cmin, s->cx + cmin, &a, &b, &ia, &ib);
        fill_span(row, own, ia, ib, rad, owner, isa);
        for (int px = a; px < b; px++) {
            if (px == ia && ib > ia)
                px = ib;
            if (px >= b)
                break;
            float c = ellipse_sampled(r->nx2 + 8 * px, ny2, n, isa);
            if (c > 0.0f)
                blend(&row[px], &own[px], c, rad, owner);
        }
    }
}

/* One shape by its kind: a rectangle, or an ellipse sampled 8 x 8 under 2 px, else 4 x 4. */
INLINE void paint_shape(fb_render2d *r, fb_shape_kind kind, const shape_px *s, float rad,
                        uint16_t owner, fb_isa isa)
{
    if (kind == FB_SHAPE_RECT)
        paint_rect(r, s, rad, owner, isa);
    else if (min_d(s->hw, s->hh) < 2.0) /* under 2 px: 8 x 8 samples */
        paint_ellipse(r, s, rad, owner, 8, isa);
    else
        paint_ellipse(r, s, rad, owner, 4, isa);
}

static void paint_shape_c(fb_render2d *r, fb_shape_kind kind, const shape_px *s, float rad,
                          uint16_t owner)
{
    paint_shape(r, kind, s, rad, owner, FB_ISA_C);
}

#ifdef FB_RENDER2D_AVX2
FB_TARGET_AVX2 static void paint_shape_avx2(fb_render2d *r, fb_shape_kind kind,
                                                             const shape_px *s, float rad,
                                                             uint16_t owner)
{
    paint_shape(r, kind, s, rad, owner, FB_ISA_AVX2);
}

T512 static void paint_shape_avx512(fb_render2d *r, fb_shape_kind kind, const shape_px *s,
                                    float rad, uint16_t owner)
{
    paint_shape(r, kind, s, rad, owner, FB_ISA_AVX512);
}
#endif

/* The widest instance the CPU has, up to g_isa. */
static fb_isa instance(void)
{
#ifdef FB_RENDER2D_AVX2
    return fb_isa_widest(g_isa);
#else
    return FB_ISA_C;
#endif
}

/* Paints one shape (centre and half extents in pixels) with radiance rad, weighting each
 * pixel by the share of its area the shape covers (exact for rectangles; for ellipses exact
 * inside, sampled 4x4 on the boundary, 8x8 for shapes under 2 px). Pixels covered at least
 * half get owner id (0 clears ownership: the shape occludes heads behind it). */
static void paint(fb_render2d *r, fb_shape_kind kind, double cx, double cy, double hw, double hh,
                  float rad, uint16_t owner)
{
    if (!(hw > 0 && hh > 0))
        return;
    shape_px s = {.cx = cx, .cy = cy, .hw = hw, .hh = hh};
    s.x0 = cx - hw;
    s.x1 = cx + hw;
    s.y0 = cy - hh;
    s.y1 = cy + hh;
    s.iy0 = (int)floor(max_d(s.y0, 0.0));
    s.iy1 = (int)ceil(min_d(s.y1, (double)r->height));
    if (s.x1 <= 0 || s.x0 >= r->width || s.iy0 >= s.iy1)
        return;
    switch (instance()) {
#ifdef FB_RENDER2D_AVX2
    case FB_ISA_AVX512: paint_shape_avx512(r, kind, &s, rad, owner); return;
    case FB_ISA_AVX2: paint_shape_avx2(r, kind, &s, rad, owner); return;
#endif
    default: paint_shape_c(r, kind, &s, rad, owner); return;
    }
}

void fb_render2d_paint(fb_render2d *r, fb_shape_kind kind, double cx, double cy, double hw,
                       double hh, float rad, uint16_t owner)
{
    paint(r, kind, cx, cy, hw, hh, rad, owner);
}

/* The air between the camera and an object depth_m away (models/atmosphere.h, issue 3A): each
 * radiance becomes tau L + (1 - tau) L(air). Exact per object, as each has one distance; the
 * wall, at air temperature, needs none. Every painted object goes through it. */
static void through_air(const fb_world *w, double depth_m, float *rad, size_t n)
{
    double tau = fb_atmosphere_transmission(depth_m, w->ambient_c, w->sc->rh_percent);
    double l_air = fb_radiometry_radiance(w->rad, w->ambient_c + FB_KELVIN_OFFSET);
    for (size_t i = 0; i < n; i++)
        rad[i] = (float)fb_atmosphere_apply(tau, rad[i], l_air);
}

static double region_temp_c(const fb_surface_temps *st, fb_region reg)
{
    switch (reg) {
    case FB_REGION_CLOTHING: return st->clothing_c;
    case FB_REGION_HANDS: return st->hands_c;
    case FB_REGION_NECK: return st->neck_c;
    case FB_REGION_HAIR: return st->hair_c;
    case FB_REGION_CHEEKS: return st->cheeks_c;
    case FB_REGION_FOREHEAD: return st->forehead_c;
    case FB_REGION_NOSE: return st->nose_c;
    case FB_REGION_PERIORBITAL: return st->periorbital_c;
    case FB_REGION_CANTHUS_MAX: return st->canthus_max_c;
    case FB_REGION_CANTHUS_MIN: return st->canthus_min_c;
    case FB_REGION_LENS: return st->lens_c;
    case FB_REGION_MASK: return st->mask_c;
    case FB_REGION_HAT: return st->hat_c;
    case FB_REGION_CUP: return st->cup_c;
    case FB_REGION_COUNT: break;
    }
    return st->clothing_c;
}

static double region_emissivity(fb_region reg)
{
    if (reg == FB_REGION_CLOTHING)
        return FB_CLOTHING_EMISSIVITY;
    if (reg == FB_REGION_HAIR)
        return FB_HAIR_EMISSIVITY;
    if (reg == FB_REGION_LENS)
        return FB_LENS_EMISSIVITY;
    if (reg == FB_REGION_MASK)
        return FB_MASK_EMISSIVITY;
    if (reg == FB_REGION_HAT)
        return FB_HAT_EMISSIVITY;
    if (reg == FB_REGION_CUP)
        return FB_CUP_EMISSIVITY;
    return FB_SKIN_EMISSIVITY;
}

/* Share of the area b = [x0, x1) x [y0, y1) (pixels, may reach outside the image) that lies on
 * pixels owner owns, each pixel weighted by the part of the area on it: a canthus spot smaller
 * than a pixel counts as its pixel does. Outside the image is not owned; an empty area is 0. */
static double owned_share(const fb_render2d *r, const double *b, uint16_t owner)
{
    double area = (b[2] - b[0]) * (b[3] - b[1]);
    if (!(b[2] > b[0] && b[3] > b[1]))
        return 0.0;
    int x0 = (int)fmax(0.0, floor(b[0])), y0 = (int)fmax(0.0, floor(b[1]));
    int x1 = (int)fmin((double)r->width, ceil(b[2]));
    int y1 = (int)fmin((double)r->height, ceil(b[3]));
    double owned = 0.0;
    for (int y = y0; y < y1; y++) {
        double hy = fmin(y + 1.0, b[3]) - fmax((double)y, b[1]);
        for (int x = x0; x < x1; x++)
            if (r->owner[(size_t)y * (size_t)r->width + (size_t)x] == owner)
                owned += hy * (fmin(x + 1.0, b[2]) - fmax((double)x, b[0]));
    }
    return fmin(1.0, owned / area);
}

/* Owner of the pixel holding (u, v), 0 outside the image. */
static unsigned owner_at(const fb_render2d *r, double u, double v)
{
    if (!(u >= 0 && v >= 0 && u < r->width && v < r->height))
        return 0;
    return r->owner[(size_t)v * (size_t)r->width + (size_t)u];
}

static void paint_person(fb_render2d *r, const fb_world *w, size_t k, fb_subject_geo *geo)
{
    const fb_truth_subject *ts = &w->truth[k];
    const fb_world_subject *ws = &w->subjects[ts->subject];
    double u, v, depth;
    if (!fb_camera_project(&w->geom, ws->walker.lateral_m, ts->distance_m,
                           fb_walker_head_z(&ws->walker), &u, &v, &depth))
        return;
    double s = w->geom.focal_px / depth; /* pixels per metre at the person */
    fb_surface_temps st;
    fb_world_surface(w, ws, &st);
    double amb_k = w->ambient_c + FB_KELVIN_OFFSET;
    float rad[FB_REGION_COUNT];
    for (int reg = 0; reg < FB_REGION_COUNT; reg++)
        rad[reg] = (float)fb_radiometry_surface(w->rad, region_emissivity((fb_region)reg),
                                                region_temp_c(&st, (fb_region)reg) +
                                                    FB_KELVIN_OFFSET,
                                                amb_k);
    through_air(w, depth, rad, FB_REGION_COUNT);
    fb_shape shapes[FB_BODY_MAX_SHAPES];
    const fb_body_pose pose = {.yaw_deg = ts->yaw_deg,
                               .glasses = ws->conf.glasses,
                               .mask = ws->conf.mask != FB_MASK_NONE,
                               .hat = ws->conf.hat,
                               .cup = ws->conf.hot_drink};
    size_t n = fb_body_shapes_posed(&ws->dims, ws->canthus_max_right, &pose, shapes);
    fb_subject_geo *tw = &geo[k]; /* geometry truth, filled while painting */
    double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const fb_shape *sh = &shapes[i];
        bx0 = fmin(bx0, u + (sh->dx_m - sh->half_w_m) * s);
        bx1 = fmax(bx1, u + (sh->dx_m + sh->half_w_m) * s);
        by0 = fmin(by0, v - (sh->dz_m + sh->half_h_m) * s);
        by1 = fmax(by1, v - (sh->dz_m - sh->half_h_m) * s);
    }
    tw->body_x = bx0;
    tw->body_y = by0;
    tw->body_w = bx1 - bx0;
    tw->body_h = by1 - by0;
    {
        /* template landmarks (metres from the head centre, frontal) */
        static const double lm[FB_TRUTH_LANDMARKS][2] = {
            {-0.032, 0.02}, {0.032, 0.02}, {0.0, -0.03}, {-0.025, -0.06}, {0.025, -0.06}};
        double sz = ws->dims.head_h_m / 0.23, sx = ws->dims.head_w_m / 0.16;
        double yaw = ts->yaw_deg * (3.14159265358979323846 / 180.0);
        for (int i = 0; i < FB_TRUTH_LANDMARKS; i++) {
            double x = lm[i][0] * sx * cos(yaw) + (i == FB_LM_NOSE ? 0.095 : 0.08) * sx * sin(yaw);
            tw->landmark_u[i] = u + x * s;
            tw->landmark_v[i] = v - lm[i][1] * sz * s;
        }
        double cs = ws->dims.canthus_sep_m / 2;
        for (int i = 0; i < 2; i++) {
            double x = (i ? cs : -cs) * cos(yaw) + 0.08 * sx * sin(yaw);
            tw->canthus_u[i] = u + x * s;
            tw->canthus_v[i] = v - 0.02 * sz * s;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const fb_shape *sh = &shapes[i];
        uint16_t owner = fb_region_is_head(sh->region) ? (uint16_t)(k + 1) : 0;
        paint(r, sh->kind, u + sh->dx_m * s, v - sh->dz_m * s, sh->half_w_m * s,
              sh->half_h_m * s, rad[sh->region], owner);
        if (sh->region == FB_REGION_CANTHUS_MAX) { /* the measurement site, for truth */
            double *b = &r->canthus_box[4 * k];
            b[0] = u + (sh->dx_m - sh->half_w_m) * s;
            b[1] = v - (sh->dz_m + sh->half_h_m) * s;
            b[2] = u + (sh->dx_m + sh->half_w_m) * s;
            b[3] = v - (sh->dz_m - sh->half_h_m) * s;
        }
    }
}

/* Pixel bounds [x0, x1) x [y0, y1) of the blackbody's face as painted now, clipped. */
static bool blackbody_box(const fb_render2d *r, const fb_world *w, int *x0, int *y0, int *x1,
                          int *y1)
{
    double u, v, depth;
    if (!fb_camera_project(&w->geom, w->bb_x_m, w->bb_y_m, w->bb_z_m, &u, &v, &depth))
        return false;
    double half = w->sc->blackbody.aperture_m / 2 * w->geom.focal_px / depth;
    *x0 = (int)fmax(0.0, floor(u - half));
    *y0 = (int)fmax(0.0, floor(v - half));
    *x1 = (int)fmin((double)r->width, ceil(u + half));
    *y1 = (int)fmin((double)r->height, ceil(v + half));
    return *x0 < *x1 && *y0 < *y1;
}

static uint32_t count_owner(const fb_render2d *r, int x0, int y0, int x1, int y1, uint16_t owner)
{
    uint32_t count = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            count += r->owner[(size_t)y * (size_t)r->width + (size_t)x] == owner;
    return count;
}

static void paint_blackbody(fb_render2d *r, const fb_world *w)
{
    const fb_blackbody_params *bp = &w->sc->blackbody;
    double u, v, depth;
    r->bb_full_px = 0;
    if (!fb_camera_project(&w->geom, w->bb_x_m, w->bb_y_m, w->bb_z_m, &u, &v, &depth))
        return;
    double half = bp->aperture_m / 2 * w->geom.focal_px / depth;
    float rad = (float)fb_radiometry_surface(w->rad, bp->emissivity,
                                             w->blackbody_c + FB_KELVIN_OFFSET,
                                             w->ambient_c + FB_KELVIN_OFFSET);
    through_air(w, depth, &rad, 1);
    paint(r, FB_SHAPE_RECT, u, v, half, half, rad, FB_RENDER2D_OWNER_BLACKBODY);
    int x0, y0, x1, y1;
    if (blackbody_box(r, w, &x0, &y0, &x1, &y1))
        r->bb_full_px = count_owner(r, x0, y0, x1, y1, FB_RENDER2D_OWNER_BLACKBODY);
}

/* An "occluded" failure: a cover at room temperature (a coat, a board) hung
 * FB_BB_OCCLUDER_GAP_M in front of the source, FB_BB_OCCLUDER_SCALE times its side. */
#define FB_BB_OCCLUDER_GAP_M 0.15
#define FB_BB_OCCLUDER_SCALE 2.5
static void paint_bb_occluder(fb_render2d *r, const fb_world *w)
{
    double u, v, depth;
    if (!fb_camera_project(&w->geom, w->bb_x_m, w->bb_y_m - FB_BB_OCCLUDER_GAP_M, w->bb_z_m, &u,
                           &v, &depth))
        return;
    double half = FB_BB_OCCLUDER_SCALE * w->sc->blackbody.aperture_m / 2 * w->geom.focal_px / depth;
    double amb_k = w->ambient_c + FB_KELVIN_OFFSET;
    float rad = (float)fb_radiometry_surface(w->rad, 0.95, amb_k, amb_k); /* cloth, ε ≈ 0.95 */
    through_air(w, depth, &rad, 1);
    paint(r, FB_SHAPE_RECT, u, v, half, half, rad, 0);
}

/* A static object of the room (heater, lamp, window, glossy panel): grey-body radiance with
 * what it reflects, emissivity L(temp) + (1 - emissivity) L(reflected); both default to the air. */
static void paint_distractor(fb_render2d *r, const fb_world *w, size_t i)
{
    const fb_distractor *d = &w->sc->distractors[i];
    double u, v, depth;
    if (!fb_camera_project(&w->geom, d->x_m, d->y_m, d->z_m, &u, &v, &depth))
        return;
    double s = w->geom.focal_px / depth;
    double t_c = d->has_temp ? d->temp_c : w->ambient_c;
    double refl_c = d->has_reflected ? d->reflected_c : w->ambient_c;
    float rad = (float)fb_radiometry_surface(w->rad, d->emissivity, t_c + FB_KELVIN_OFFSET,
                                             refl_c + FB_KELVIN_OFFSET);
    through_air(w, depth, &rad, 1);
    paint(r, d->ellipse ? FB_SHAPE_ELLIPSE : FB_SHAPE_RECT, u, v, d->w_m / 2 * s, d->h_m / 2 * s,
          rad, 0);
}

/* Painter's order entries: a person's truth index, the blackbody (and its cover), or
 * distractor i. */
#define ORDER_BLACKBODY UINT32_MAX
#define ORDER_BB_OCCLUDER (UINT32_MAX - 1)
#define ORDER_DISTRACTOR 0xC0000000u

static double order_distance(const fb_world *w, uint32_t x)
{
    if (x == ORDER_BLACKBODY)
        return w->bb_y_m;
    if (x == ORDER_BB_OCCLUDER)
        return w->bb_y_m - FB_BB_OCCLUDER_GAP_M;
    if (x >= ORDER_DISTRACTOR)
        return w->sc->distractors[x - ORDER_DISTRACTOR].y_m;
    return w->truth[x].distance_m;
}

void fb_render2d_frame(fb_render2d *r, const fb_world *w, fb_subject_geo *geo)
{
    size_t npx = (size_t)r->width * (size_t)r->height;
    double amb_k = w->ambient_c + FB_KELVIN_OFFSET;
    float wall = (float)fb_radiometry_surface(w->rad, WALL_EMISSIVITY, amb_k, amb_k);
    for (size_t i = 0; i < npx; i++)
        r->radiance[i] = wall;
    memset(r->owner, 0, npx * sizeof(*r->owner));

    /* Painter's order: people and the blackbody sorted far to near (insertion sort: few). */
    size_t n = w->n_truth < r->visible_cap ? w->n_truth : r->visible_cap;
    memset(r->canthus_box, 0, 4 * n * sizeof(*r->canthus_box)); /* until painted: not seen */
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        r->order[m++] = (uint32_t)k;
    if (w->sc->blackbody.enabled)
        r->order[m++] = ORDER_BLACKBODY;
    if (w->sc->blackbody.enabled && w->bb_occluder)
        r->order[m++] = ORDER_BB_OCCLUDER;
    r->bb_full_px = r->bb_visible_px = 0;
    for (size_t i = 0; i < w->sc->n_distractors && i < FB_MAX_DISTRACTORS; i++)
        r->order[m++] = ORDER_DISTRACTOR + (uint32_t)i;
    for (size_t i = 1; i < m; i++) {
        uint32_t x = r->order[i];
        double dx = order_distance(w, x);
        size_t j = i;
        while (j > 0) {
            uint32_t y = r->order[j - 1];
            double dy = order_distance(w, y);
            if (dy >= dx)
                break;
            r->order[j] = y;
            j--;
        }
        r->order[j] = x;
    }
    for (size_t i = 0; i < m; i++) {
        if (r->order[i] == ORDER_BLACKBODY)
            paint_blackbody(r, w);
        else if (r->order[i] == ORDER_BB_OCCLUDER)
            paint_bb_occluder(r, w);
        else if (r->order[i] >= ORDER_DISTRACTOR)
            paint_distractor(r, w, r->order[i] - ORDER_DISTRACTOR);
        else
            paint_person(r, w, r->order[i], geo);
    }

    /* The blackbody's pixels still its own after everything nearer has been painted. */
    int bx0, by0, bx1, by1;
    if (r->bb_full_px && blackbody_box(r, w, &bx0, &by0, &bx1, &by1))
        r->bb_visible_px = count_owner(r, bx0, by0, bx1, by1, FB_RENDER2D_OWNER_BLACKBODY);

    /* Visible head pixels per person, after everything nearer has been painted. */
    for (size_t k = 0; k < n; k++) {
        const fb_truth_subject *ts = &w->truth[k];
        uint32_t count = 0;
        int x0 = (int)fmax(0.0, floor(ts->face_x)), y0 = (int)fmax(0.0, floor(ts->face_y));
        int x1 = (int)fmin((double)r->width, ceil(ts->face_x + ts->face_w));
        int y1 = (int)fmin((double)r->height, ceil(ts->face_y + ts->face_h));
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                count += r->owner[(size_t)y * (size_t)r->width + (size_t)x] == (uint16_t)(k + 1);
        r->visible_px[k] = count;
        r->canthus_visible[k] = owned_share(r, &r->canthus_box[4 * k], (uint16_t)(k + 1));
        fb_subject_geo *tw = &geo[k];
        for (int i = 0; i < FB_TRUTH_LANDMARKS; i++)
            tw->landmark_seen[i] = owner_at(r, tw->landmark_u[i], tw->landmark_v[i]) == k + 1;
        for (int i = 0; i < 2; i++)
            tw->canthus_seen[i] = owner_at(r, tw->canthus_u[i], tw->canthus_v[i]) == k + 1;
    }
}
