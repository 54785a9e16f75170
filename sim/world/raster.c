/* raster.c — depth-buffered triangle rasterisation, four rotated-grid samples per pixel tested
 * together: edge functions with a top-left rule, row spans solved from the edges, 1/z depth and
 * radiance interpolated per sample. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "raster.h"

typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#if defined(__SSE__)
#include <xmmintrin.h>
/* The lanes of a comparison mask as four bits. */
static inline unsigned mask_bits(v4i m)
{
    return (unsigned)_mm_movemask_ps((__m128)m);
}
#else
static inline unsigned mask_bits(v4i m)
{
    return (m[0] ? 1u : 0u) | (m[1] ? 2u : 0u) | (m[2] ? 4u : 0u) | (m[3] ? 8u : 0u);
}
#endif

/* The samples' offsets from the pixel centre: a rotated grid (every sample on its own row and
 * column), which grades near-vertical and near-horizontal edges in four steps. */
static const v4f SAMPLE_DX = {-0.125f, 0.375f, -0.375f, 0.125f};
static const v4f SAMPLE_DY = {-0.375f, -0.125f, 0.125f, 0.375f};

/* C11 aligned_alloc (its size a multiple of the alignment): the allocation-failure sweep
 * (tests/fault) wraps it, so running out of memory while rendering is tested. */
static void *alloc64(size_t n)
{
    if (n > SIZE_MAX - 63)
        return NULL;
    return aligned_alloc(64, n ? (n + 63) / 64 * 64 : 64);
}

/* The per-sample arrays a triangle reads and writes together (inv_z, rad, id, stamp, rstamp)
 * share one block, each starting SAMPLES_SKEW bytes further round a 4 KiB page than the one
 * before: a sample's words in them then differ in their address's low 12 bits. Where they were
 * equal (the arrays being separate page-aligned allocations), a load from one array waited
 * for an earlier store to another at the same page offset, which the CPU could not tell from a
 * store to the same address until it was done: that had cost about half the narrow triangles'
 * time. */
#define SAMPLES_ARRAYS 5
#define SAMPLES_SKEW 768

/* Points arr[0..SAMPLES_ARRAYS) at arrays of bytes each in one allocation, returned (NULL when
 * memory ran out). */
static void *alloc_samples(size_t bytes, void *arr[SAMPLES_ARRAYS])
{
    size_t at[SAMPLES_ARRAYS], end = 0;
    bytes = (bytes + 63) / 64 * 64;
    for (int k = 0; k < SAMPLES_ARRAYS; k++) {
        if (end > SIZE_MAX - 4096 - bytes)
            return NULL;
        /* the first position at or after end that is k * SAMPLES_SKEW round a page */
        at[k] = end + ((size_t)k * SAMPLES_SKEW + 4096 - end % 4096) % 4096;
        end = at[k] + bytes;
    }
    char *mem = alloc64(end);
    for (int k = 0; k < SAMPLES_ARRAYS; k++)
        arr[k] = mem ? mem + at[k] : NULL;
    return mem;
}

int fb_raster_init(fb_raster *r, int width, int height)
{
    memset(r, 0, sizeof(*r));
    if (width <= 0 || height <= 0 || width > 8192 || height > 8192)
        return FB_ERR_ARG;
    r->width = width;
    r->height = height;
    size_t np = (size_t)width * (size_t)height, n = np * FB_RASTER_SPP;
    void *arr[SAMPLES_ARRAYS];
    r->samples_mem = alloc_samples(n * sizeof(float), arr);
    if (r->samples_mem) {
        r->inv_z = arr[0], r->rad = arr[1], r->id = arr[2], r->stamp = arr[3], r->rstamp = arr[4];
        memset(r->stamp, 0, n * sizeof(uint32_t));
        memset(r->rstamp, 0, n * sizeof(uint32_t));
    }
    r->bg_inv_z = alloc64(n * sizeof(float));
    r->bg_rad = alloc64(n * sizeof(float));
    r->bg_pixels = malloc(np * sizeof(float));
    r->bg_id = malloc(n * sizeof(uint32_t));
    r->dirty_lo = malloc((size_t)height * sizeof(int));
    r->dirty_hi = malloc((size_t)height * sizeof(int));
    r->blk_per_row = (width + FB_RASTER_BLOCK_PX - 1) / FB_RASTER_BLOCK_PX;
    r->dirty_blk = malloc((size_t)height * (size_t)r->blk_per_row);
    r->bg_blk_id = malloc((size_t)height * (size_t)r->blk_per_row * sizeof(uint32_t));
    r->hiz_per_row = (width + FB_RASTER_HIZ_PX - 1) / FB_RASTER_HIZ_PX;
    r->hiz = calloc((size_t)height * (size_t)r->hiz_per_row, sizeof(float));
    r->hiz_stale = calloc((size_t)height * (size_t)r->hiz_per_row, 1);
    r->hiz_rows = calloc((size_t)height, 1);
    if (!r->samples_mem || !r->bg_inv_z || !r->bg_rad || !r->bg_pixels || !r->bg_id ||
        !r->dirty_lo || !r->dirty_hi || !r->dirty_blk || !r->bg_blk_id || !r->hiz ||
        !r->hiz_stale || !r->hiz_rows) {
        fb_raster_free(r);
        return FB_ERR_NOMEM;
    }
    fb_raster_clear(r, 0.0f);
    fb_raster_keep_as_background(r);
    return FB_OK;
}

void fb_raster_free(fb_raster *r)
{
    free(r->samples_mem);
    free(r->bg_inv_z);
    free(r->bg_rad);
    free(r->bg_pixels);
    free(r->bg_id);
    free(r->dirty_lo);
    free(r->dirty_hi);
    free(r->dirty_blk);
    free(r->bg_blk_id);
    free(r->hiz);
    free(r->hiz_stale);
    free(r->hiz_rows);
    memset(r, 0, sizeof(*r));
}

/* Forgets every hidden-surface bound (the samples may have moved back). */
static void hiz_reset(const fb_raster *r, int y_lo, int y_hi)
{
    const size_t n = (size_t)r->hiz_per_row;
    for (int y = y_lo; y < y_hi; y++) /* only rows a mark reached hold anything */
        if (r->hiz_rows[y]) {
            memset(r->hiz + (size_t)y * n, 0, n * sizeof(float));
            memset(r->hiz_stale + (size_t)y * n, 0, n);
            r->hiz_rows[y] = 0;
        }
}

static void undirty(fb_raster *r)
{
    for (int y = 0; y < r->height; y++) {
        r->dirty_lo[y] = r->width;
        r->dirty_hi[y] = 0;
    }
    memset(r->dirty_blk, 0, (size_t)r->height * (size_t)r->blk_per_row);
}

static void all_dirty(fb_raster *r)
{
    for (int y = 0; y < r->height; y++) {
        r->dirty_lo[y] = 0;
        r->dirty_hi[y] = r->width;
    }
    memset(r->dirty_blk, 1, (size_t)r->height * (size_t)r->blk_per_row);
}

/* Row y's pixels xa..xb (inclusive) were drawn over if drew is 1 (0: nothing changes), without
 * a branch on it: whether a span wrote a sample is hard to foresee, and a mispredicted branch
 * had cost more than these few loads and stores. */
static inline void mark_drawn_if(fb_raster *r, int y, int xa, int xb, int drew)
{
    const int lo = r->dirty_lo[y], hi = r->dirty_hi[y];
    r->dirty_lo[y] = drew && xa < lo ? xa : lo; /* (spans come in any order) */
    r->dirty_hi[y] = drew && xb + 1 > hi ? xb + 1 : hi;
    uint8_t *d = r->dirty_blk + (size_t)y * (size_t)r->blk_per_row;
    const int ka = xa / FB_RASTER_BLOCK_PX, kb = xb / FB_RASTER_BLOCK_PX;
    /* a span of up to two blocks, the common case, without a loop */
    d[ka] = (uint8_t)(d[ka] | drew), d[kb] = (uint8_t)(d[kb] | drew);
    for (int k = ka + 1; k < kb; k++)
        d[k] = (uint8_t)(d[k] | drew);
}

/* mark_drawn_if for a narrow triangle's row (pixels x0..x1 in the blocks ka and kb, the same
 * block or neighbours), its row's extent (*lo, *hi) and blocks (db) passed in: the narrow
 * kernels keep them at hand row after row. */
static inline void mark_narrow_row(int *lo, int *hi, uint8_t *db, int x0, int x1, int ka, int kb,
                                   int drew)
{
    const int l = *lo, h = *hi;
    *lo = drew && x0 < l ? x0 : l;
    *hi = drew && x1 + 1 > h ? x1 + 1 : h;
    db[ka] = (uint8_t)(db[ka] | drew), db[kb] = (uint8_t)(db[kb] | drew);
}

/* Row y's pixels xa..xb (inclusive) were drawn over. */
static inline void mark_drawn(fb_raster *r, int y, int xa, int xb)
{
    mark_drawn_if(r, y, xa, xb, 1);
}

/* The next run of drawn-over blocks in row y at or after pixel from (0 or the end of the last
 * run): its pixels [*a, *b); false when there is none. */
static bool drawn_run(const fb_raster *r, int y, int from, int *a, int *b)
{
    if (from >= r->width)
        return false;
    const uint8_t *d = r->dirty_blk + (size_t)y * (size_t)r->blk_per_row;
    int k = from / FB_RASTER_BLOCK_PX, n = r->blk_per_row;
    while (k < n && !d[k])
        k++;
    if (k >= n)
        return false;
    int e = k;
    while (e < n && d[e])
        e++;
    *a = k * FB_RASTER_BLOCK_PX;
    *b = e * FB_RASTER_BLOCK_PX < r->width ? e * FB_RASTER_BLOCK_PX : r->width;
    return true;
}

void fb_raster_begin(fb_raster *r)
{
    fb_raster_begin_reflections(r);
    fb_raster_restore_rows(r, 0, r->height);
}

void fb_raster_begin_reflections(fb_raster *r)
{
    if (++r->rpass == 0) {
        memset(r->rstamp, 0,
               (size_t)r->width * (size_t)r->height * FB_RASTER_SPP * sizeof(uint32_t));
        r->rpass = 1;
    }
}

static void rows_pass(const fb_raster *r, int y_lo, int y_hi, float *radiance,
                      const fb_raster_tally *ct, bool restore);

void fb_raster_restore_rows(fb_raster *r, int y_lo, int y_hi)
{
    rows_pass(r, y_lo, y_hi, NULL, NULL, true);
}

void fb_raster_clear(fb_raster *r, float rad)
{
    size_t n = (size_t)r->width * (size_t)r->height * FB_RASTER_SPP;
    for (size_t i = 0; i < n; i++) {
        r->inv_z[i] = 0.0f;
        r->rad[i] = rad;
    }
    memset(r->id, 0, n * sizeof(uint32_t));
    all_dirty(r);
    hiz_reset(r, 0, r->height);
}

void fb_raster_keep_as_background(fb_raster *r)
{
    size_t n = (size_t)r->width * (size_t)r->height * FB_RASTER_SPP;
    memcpy(r->bg_inv_z, r->inv_z, n * sizeof(float));
    memcpy(r->bg_rad, r->rad, n * sizeof(float));
    memcpy(r->bg_id, r->id, n * sizeof(uint32_t));
    for (int y = 0; y < r->height; y++) /* each block's one id, if it has one */
        for (int k = 0; k < r->blk_per_row; k++) {
            const int x0 = k * FB_RASTER_BLOCK_PX;
            const int x1 = x0 + FB_RASTER_BLOCK_PX < r->width ? x0 + FB_RASTER_BLOCK_PX : r->width;
            const size_t at = ((size_t)y * (size_t)r->width + (size_t)x0) * FB_RASTER_SPP;
            const uint32_t *id = r->bg_id + at;
            uint32_t same = id[0];
            for (size_t i = 1; i < (size_t)(x1 - x0) * FB_RASTER_SPP; i++)
                same = id[i] == id[0] ? same : UINT32_MAX;
            r->bg_blk_id[(size_t)y * (size_t)r->blk_per_row + (size_t)k] = same;
        }
    all_dirty(r);
    fb_raster_resolve(r, r->bg_pixels);
    undirty(r);
    hiz_reset(r, 0, r->height);
}

uint32_t fb_raster_new_pass(fb_raster *r)
{
    if (++r->pass == 0) { /* wrapped: forget every old stamp */
        memset(r->stamp, 0,
               (size_t)r->width * (size_t)r->height * FB_RASTER_SPP * sizeof(uint32_t));
        r->pass = 1;
    }
    fb_raster_cover_begin(&r->cover, r->pass);
    return r->pass;
}

/* Whether an edge from a to b (positive orientation, y down) is a top or a left edge. */
static bool top_left(const fb_rvert *a, const fb_rvert *b)
{
    float dx = b->x - a->x, dy = b->y - a->y;
    return (dy == 0.0f && dx < 0.0f) || dy > 0.0f;
}

static inline float fmax2(float a, float b)
{
    return a > b ? a : b;
}

static inline float fmin2(float a, float b)
{
    return a < b ? a : b;
}

/* The least of n >= 1 floats: every 1 / depth the raster holds is +0 or more (nothing written: 0;
 * a write needs more than what was there), never NaN, so any order of comparisons gives the
 * same, exact, least. */
static float least(const float *z, int n)
{
    float m = z[0];
    for (int i = 1; i < n; i++)
        m = z[i] < m ? z[i] : m;
    return m;
}

/* The least 1 / depth block k of row y holds now. */
static float block_least(const fb_raster *r, int y, int k)
{
    const int x0 = k * FB_RASTER_HIZ_PX;
    const int x1 = x0 + FB_RASTER_HIZ_PX < r->width ? x0 + FB_RASTER_HIZ_PX : r->width;
    return least(r->inv_z + ((size_t)y * (size_t)r->width + (size_t)x0) * FB_RASTER_SPP,
                 (x1 - x0) * FB_RASTER_SPP);
}

/* The 1 / depth no sample inside triangle (a, b, c) (area: twice its area) can exceed, as the
 * rasteriser interpolates it: its nearest vertex's, plus 5 % of its vertices' spread (the
 * interpolation weights' rounding — a few units in the last place of edge values bounded by
 * the box, against an area of at least 1 — stays far below that) and a relative 1e-5 (the
 * interpolation's own rounding). Infinity (never behind anything) for smaller triangles,
 * whose weights may round further. The same operations in the sixteen-lane batch (tris_avx512). */
static inline float tri_zlim(float za, float zb, float zc, float area)
{
    const float zmax = fmax2(za, fmax2(zb, zc)), zmin = fmin2(za, fmin2(zb, zc));
    return area >= 1.0f ? (zmax + (zmax - zmin) * 0.05f) + zmax * 1e-5f : INFINITY;
}

/* Whether every block of rows y .. y_end, pixels x0 .. x1 holds only samples nearer than
 * zlim (their bound above it): then nothing of a triangle within could be written. A block
 * marked stale has its bound raised first (least: block_least's function, the same value). */
static inline __attribute__((always_inline)) bool
hidden_in(fb_raster *r, int x0, int x1, int y, int y_end, float zlim,
          float (*least_of)(const fb_raster *, int, int))
{
    const int ka = x0 / FB_RASTER_HIZ_PX, kb = x1 / FB_RASTER_HIZ_PX;
    const size_t row = (size_t)r->hiz_per_row;
    float *h = r->hiz + (size_t)y * row;
    uint8_t *st = r->hiz_stale + (size_t)y * row;
    for (; y <= y_end; y++, h += row, st += row)
        for (int k = ka; k <= kb; k++) {
            if (st[k])
                h[k] = least_of(r, y, k), st[k] = 0;
            if (!(zlim < h[k]))
                return false;
        }
    return true;
}

static float max4(v4f v)
{
    return fmax2(fmax2(v[0], v[1]), fmax2(v[2], v[3]));
}

/* An edge function w(p) = A (p.x - q.x) + B (p.y - q.y), >= bias inside. */
typedef struct edge {
    float A, B, qx, qy, bias;
    v4f d;     /* its change from the pixel centre to each sample */
    float dmax;
    float inv_a; /* 1 / A (0 when A is 0) */
} edge;

/* The margin, in pixels, a row span keeps beyond where an edge crosses the row: a thousandth
 * of a pixel, plus the rounding of the edge function (a few float ulps of its largest term, and
 * one per pixel step along a row of up to W + 4 pixels) over the edge's slope along x. A nearly
 * horizontal edge gets a wide margin, its crossing being ill-conditioned. */
static float span_slack(const edge *e, int W, int H)
{
    float mag = fabsf(e->A) * (float)W + fabsf(e->B) * (float)H + 4.0f;
    return 1e-3f + 6e-8f * (float)(W + 4) * mag * fabsf(e->inv_a);
}

/* Triangles whose bounding box is narrower than this many pixels skip the row spans. */
#define NARROW_PX 8

/* floor of x as an int, for |x| well inside the int range (no libm call on the hot path) */
static inline int ifloor(float x)
{
    int i = (int)x;
    return i - (x < (float)i);
}

static edge make_edge(const fb_rvert *a, const fb_rvert *b, float area)
{
    edge e;
    e.A = a->y - b->y;
    e.B = b->x - a->x;
    e.qx = a->x;
    e.qy = a->y;
    /* A sample exactly on a shared edge belongs to the triangle whose edge is top or left. */
    e.bias = top_left(a, b) ? 0.0f : 1e-7f * area;
    e.d = e.A * SAMPLE_DX + e.B * SAMPLE_DY;
    e.dmax = 0.0f, e.inv_a = 0.0f; /* edge_for_spans: only triangles whose rows are solved */
    return e;
}

/* What solving a row's span from the edge needs (dmax, inv_a). */
static void edge_for_spans(edge *e)
{
    e->dmax = max4(e->d);
    e->inv_a = e->A != 0.0f ? 1.0f / e->A : 0.0f;
}

static float edge_at(const edge *e, float px, float py)
{
    return e->A * (px - e->qx) + e->B * (py - e->qy);
}

/* One triangle's constants for the span loop. */
typedef struct tri_consts {
    edge e[3];
    float kz0, kz1, zc, kr0, kr1, rc;
    v4i id; /* owner << 8 | part, in every lane */
    uint32_t pass; /* the coverage pass the samples are stamped with */
} tri_consts;

/* The edge functions at the first pixel centre of a span. */
typedef struct span {
    float w[3];
} span;

#if defined(__x86_64__) && defined(__GNUC__)
#define FB_RASTER_WIDE 1
#define T256 FB_TARGET_AVX2

/* The lanes of an AVX2 comparison as bits. */
T256 static inline unsigned bits8(__m256 m)
{
    return (unsigned)_mm256_movemask_ps(m);
}
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

/* span_draw's loop two pixels (eight samples) a step, for an even n: each lane's arithmetic is
 * the four-lane loop's, in the same order (the edge functions still step one pixel at a time),
 * so the samples are the same. Steps *w0..*w2 past the pixels; returns whether any sample was
 * written. */
T256 static inline unsigned
pair_draw(fb_raster *r, const tri_consts *tc, float *w0p, float *w1p, float *w2p, size_t i0, int n,
          bool stamp)
{
    const edge *e0 = &tc->e[0], *e1 = &tc->e[1], *e2 = &tc->e[2];
    const v8f d0 = {e0->d[0], e0->d[1], e0->d[2], e0->d[3], e0->d[0], e0->d[1], e0->d[2], e0->d[3]};
    const v8f d1 = {e1->d[0], e1->d[1], e1->d[2], e1->d[3], e1->d[0], e1->d[1], e1->d[2], e1->d[3]};
    const v8f d2 = {e2->d[0], e2->d[1], e2->d[2], e2->d[3], e2->d[0], e2->d[1], e2->d[2], e2->d[3]};
    const int32_t p = (int32_t)tc->pass, idv = tc->id[0];
    const v8i pass = {p, p, p, p, p, p, p, p}, id = {idv, idv, idv, idv, idv, idv, idv, idv};
    float w0 = *w0p, w1 = *w1p, w2 = *w2p;
    unsigned any = 0;
    float *iz_p = r->inv_z + i0, *rad_p = r->rad + i0;
    uint32_t *id_p = r->id + i0, *st_p = r->stamp + i0;
    for (int x = 0; x < n; x += 2) {
        float w0b = w0 + e0->A, w1b = w1 + e1->A, w2b = w2 + e2->A;
        v8f W0 = (v8f){w0, w0, w0, w0, w0b, w0b, w0b, w0b} + d0;
        v8f W1 = (v8f){w1, w1, w1, w1, w1b, w1b, w1b, w1b} + d1;
        v8f W2 = (v8f){w2, w2, w2, w2, w2b, w2b, w2b, w2b} + d2;
        w0 = w0b + e0->A, w1 = w1b + e1->A, w2 = w2b + e2->A;
        v8i in = (W0 >= e0->bias) & (W1 >= e1->bias) & (W2 >= e2->bias);
        size_t o = (size_t)x * FB_RASTER_SPP;
        v8i st;
        if (stamp) {
            memcpy(&st, st_p + o, sizeof(st));
            st = (pass & in) | (st & ~in);
            memcpy(st_p + o, &st, sizeof(st));
        }
        v8f iz = tc->zc + W0 * tc->kz0 + W1 * tc->kz1, old;
        memcpy(&old, iz_p + o, sizeof(old));
        v8i up = in & (iz > old);
        v8f rv = tc->rc + W0 * tc->kr0 + W1 * tc->kr1, oldr;
        memcpy(&oldr, rad_p + o, sizeof(oldr));
        v8i oldid;
        memcpy(&oldid, id_p + o, sizeof(oldid));
        v8f niz = (v8f)(((v8i)iz & up) | ((v8i)old & ~up));
        v8f nrad = (v8f)(((v8i)rv & up) | ((v8i)oldr & ~up));
        v8i nid = (id & up) | (oldid & ~up);
        memcpy(iz_p + o, &niz, sizeof(niz));
        memcpy(rad_p + o, &nrad, sizeof(nrad));
        memcpy(id_p + o, &nid, sizeof(nid));
        any |= (unsigned)_mm256_movemask_ps((__m256)up);
    }
    *w0p = w0, *w1p = w1, *w2p = w2;
    return any;
}
#else
#define FB_RASTER_WIDE 0
static inline unsigned pair_draw(fb_raster *r, const tri_consts *tc, float *w0p, float *w1p,
                                 float *w2p, size_t i0, int n, bool stamp)
{
    (void)r, (void)tc, (void)w0p, (void)w1p, (void)w2p, (void)i0, (void)n, (void)stamp;
    return 0;
}
#endif

/* Draws the n pixels of a row span starting at sample index i0: every pixel's four samples are
 * tested, depth-compared and written with lane masks, no branch per pixel; stamp also stamps
 * the samples inside the triangle with the pass (tris_counted counts them afterwards).
 * Returns whether any sample was written. */
static inline __attribute__((always_inline)) bool
span_draw(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n, bool stamp,
          bool wide)
{
    const edge *e0 = &tc->e[0], *e1 = &tc->e[1], *e2 = &tc->e[2];
    float w0 = sp->w[0], w1 = sp->w[1], w2 = sp->w[2];
    const v4i pass = {(int32_t)tc->pass, (int32_t)tc->pass, (int32_t)tc->pass, (int32_t)tc->pass};
    v4i any = {0, 0, 0, 0};
    float *iz_p = r->inv_z + i0, *rad_p = r->rad + i0;
    uint32_t *id_p = r->id + i0, *st_p = r->stamp + i0;
    int x = 0;
    if (wide && n >= 2) {
        unsigned any8 = pair_draw(r, tc, &w0, &w1, &w2, i0, n & ~1, stamp);
        any[0] = any8 ? -1 : 0;
        x = n & ~1;
    }
    for (; x < n; x++, w0 += e0->A, w1 += e1->A, w2 += e2->A) {
        v4f W0 = w0 + e0->d, W1 = w1 + e1->d, W2 = w2 + e2->d;
        v4i in = (W0 >= e0->bias) & (W1 >= e1->bias) & (W2 >= e2->bias);
        size_t o = (size_t)x * FB_RASTER_SPP;
        if (stamp) {
            v4i st = *(v4i *)(void *)(st_p + o);
            *(v4i *)(void *)(st_p + o) = (pass & in) | (st & ~in);
        }
        v4f iz = tc->zc + W0 * tc->kz0 + W1 * tc->kz1;
        v4f old = *(v4f *)(void *)(iz_p + o);
        v4i up = in & (iz > old);
        v4f rv = tc->rc + W0 * tc->kr0 + W1 * tc->kr1;
        v4f oldr = *(v4f *)(void *)(rad_p + o);
        v4i oldid = *(v4i *)(void *)(id_p + o);
        *(v4f *)(void *)(iz_p + o) = (v4f)(((v4i)iz & up) | ((v4i)old & ~up));
        *(v4f *)(void *)(rad_p + o) = (v4f)(((v4i)rv & up) | ((v4i)oldr & ~up));
        *(v4i *)(void *)(id_p + o) = (tc->id & up) | (oldid & ~up);
        any |= up;
    }
    return mask_bits(any) != 0;
}

#if FB_RASTER_WIDE
#define FB_RASTER_512 1
#define T512 FB_TARGET_AVX512
/* Sixteen triangles' setup, lane j for triangle t0 + j: what tri_on_image, make_edge and tris
 * compute for it, in the same operations (so the same bits), for the narrow kernel below. */
typedef struct batch16 {
    float A[3][16], B[3][16], qy[3][16], ex[3][16], bias[3][16];
    float kz0[16], kz1[16], zc[16], kr0[16], kr1[16], rc[16], area[16], zlim[16];
    int32_t x0[16], x1[16], y0[16], y1[16];
} batch16;

/* A narrow triangle's edge values are worked out one lane a pixel, the three edges side by
 * side (edge k's at the row's pixel p in lane 4k + p; lanes 12 .. 15 repeat edge 2, unused),
 * then spread to the pixels' samples: row_chain steps them along the row from the first
 * pixel's v — v, v + A, (v + A) + A, ((v + A) + A) + A, span_draw's chain, one add a pixel, in
 * its order. */
T512 static inline __m512 row_chain(__m512 v, __m512 a)
{
    v = _mm512_mask_add_ps(v, 0xEEEEu, v, a);
    v = _mm512_mask_add_ps(v, 0xCCCCu, v, a);
    return _mm512_mask_add_ps(v, 0x8888u, v, a);
}

/* A batch field of the three edges for triangle j in row_chain's layout. */
T512 static inline __m512 edges_packed(const float f[3][16], int j)
{
    return _mm512_mask_blend_ps(0xFF00u,
                                _mm512_mask_blend_ps(0x00F0u, _mm512_set1_ps(f[0][j]),
                                                     _mm512_set1_ps(f[1][j])),
                                _mm512_set1_ps(f[2][j]));
}

/* The constants of a narrow triangle's windows (narrow_512) in registers. */
typedef struct win_consts {
    __m512 bias[3], zc, kz0, kz1, rc, kr0, kr1;
    __m512i id, pass;
} win_consts;

/* The sample arrays, read from the raster once a triangle (as locals: the stores to the
 * drawn-over marks, bytes, might otherwise alias the raster's fields for the compiler). */
typedef struct win_ptrs {
    float *iz, *rad;
    uint32_t *id, *st;
} win_ptrs;

/* A window of four pixels (16 samples) at sample index i, the samples of the lanes in valid
 * tested, depth-compared and written (cover: stamped as span_draw stamps them); the other
 * lanes are not touched (masked loads and stores: a window may reach past the buffer's end, or
 * into the next row, another band's). Returns the lanes written. */
T512 static inline __attribute__((always_inline)) __mmask16
win_draw(const win_ptrs *p, size_t i, __mmask16 valid, __m512 W0, __m512 W1, __m512 W2,
         const win_consts *k, bool stamp)
{
    __mmask16 in = _mm512_mask_cmp_ps_mask(valid, W0, k->bias[0], _CMP_GE_OQ);
    in = _mm512_mask_cmp_ps_mask(in, W1, k->bias[1], _CMP_GE_OQ);
    in = _mm512_mask_cmp_ps_mask(in, W2, k->bias[2], _CMP_GE_OQ);
    if (stamp)
        _mm512_mask_storeu_epi32(p->st + i, in, k->pass);
    __m512 iz = _mm512_add_ps(_mm512_add_ps(k->zc, _mm512_mul_ps(W0, k->kz0)),
                              _mm512_mul_ps(W1, k->kz1));
    __m512 rv = _mm512_add_ps(_mm512_add_ps(k->rc, _mm512_mul_ps(W0, k->kr0)),
                              _mm512_mul_ps(W1, k->kr1));
    __m512 old = _mm512_maskz_loadu_ps(valid, p->iz + i);
    __mmask16 up = _mm512_mask_cmp_ps_mask(in, iz, old, _CMP_GT_OQ);
    _mm512_mask_storeu_ps(p->iz + i, up, iz);
    _mm512_mask_storeu_ps(p->rad + i, up, rv);
    _mm512_mask_storeu_epi32(p->id + i, up, k->id);
    return up;
}

/* A narrow triangle's rows y_lo..y_hi (whole rows x0 .. x0 + n - 1, n <= 8, as tris draws them)
 * one row at a time, in windows of four pixels (sixteen samples), nwin (1 or 2) of them, from
 * lane j of a batch: every lane's arithmetic is span_draw's for its pixel, so the samples, the
 * coverage stamps and the drawn-over rows are the same. cover: stamp the coverage. */
T512 static inline __attribute__((always_inline)) void
narrow_512(fb_raster *r, const batch16 *bt, int j, int32_t idv, uint32_t pass_v, int x0, int n,
           int y_lo, int y_hi, int nwin, bool cover)
{
    static const float SDX[16] = {-0.125f, 0.375f, -0.375f, 0.125f, -0.125f, 0.375f, -0.375f,
                                  0.125f, -0.125f, 0.375f, -0.375f, 0.125f, -0.125f, 0.375f,
                                  -0.375f, 0.125f};
    static const float SDY[16] = {-0.375f, -0.125f, 0.125f, 0.375f, -0.375f, -0.125f, 0.125f,
                                  0.375f, -0.375f, -0.125f, 0.125f, 0.375f, -0.375f, -0.125f,
                                  0.125f, 0.375f};
    const size_t W = (size_t)r->width;
    const __m512 sdx = _mm512_loadu_ps(SDX), sdy = _mm512_loadu_ps(SDY);
    __m512 d[3];
    win_consts kc;
    for (int k = 0; k < 3; k++) {
        const __m512 Ak = _mm512_set1_ps(bt->A[k][j]), Bk = _mm512_set1_ps(bt->B[k][j]);
        kc.bias[k] = _mm512_set1_ps(bt->bias[k][j]);
        /* make_edge's e.d = A * SAMPLE_DX + B * SAMPLE_DY, in every pixel-slot */
        d[k] = _mm512_add_ps(_mm512_mul_ps(Ak, sdx), _mm512_mul_ps(Bk, sdy));
    }
    /* the three edges' A, B, qy and A * (x0 + 0.5 - qx) in row_chain's layout */
    const __m512 A = edges_packed(bt->A, j), B = edges_packed(bt->B, j);
    const __m512 qy = edges_packed(bt->qy, j), ex = edges_packed(bt->ex, j);
    /* from a pixel's lane in row_chain's layout to its four samples' lanes, edge by edge */
    const __m512i to_samples[3] = {
        _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0),
        _mm512_set_epi32(7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4),
        _mm512_set_epi32(11, 11, 11, 11, 10, 10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 8)};
    kc.kz0 = _mm512_set1_ps(bt->kz0[j]), kc.kz1 = _mm512_set1_ps(bt->kz1[j]);
    kc.zc = _mm512_set1_ps(bt->zc[j]), kc.kr0 = _mm512_set1_ps(bt->kr0[j]);
    kc.kr1 = _mm512_set1_ps(bt->kr1[j]), kc.rc = _mm512_set1_ps(bt->rc[j]);
    kc.id = _mm512_set1_epi32(idv), kc.pass = _mm512_set1_epi32((int32_t)pass_v);
    /* the lanes of the box's pixels, four a pixel: the first window's, then the second's */
    const uint32_t box = (uint32_t)(((uint64_t)1 << (4 * n)) - 1u);
    const __mmask16 v0 = (__mmask16)box, v1 = (__mmask16)(box >> 16);
    const int x1 = x0 + n - 1, ka = x0 / FB_RASTER_BLOCK_PX, kb = x1 / FB_RASTER_BLOCK_PX;
    __m512 py = _mm512_set1_ps((float)y_lo + 0.5f); /* + 1 a row: exact (y < 2^23) */
    const __m512 one = _mm512_set1_ps(1.0f);
    size_t i = ((size_t)y_lo * W + (size_t)x0) * FB_RASTER_SPP;
    const win_ptrs wp = {r->inv_z, r->rad, r->id, r->stamp};
    int *const dlo = r->dirty_lo, *const dhi = r->dirty_hi;
    const size_t blk_row = (size_t)r->blk_per_row;
    uint8_t *db = r->dirty_blk + (size_t)y_lo * blk_row;
    for (int y = y_lo; y <= y_hi;
         y++, i += W * FB_RASTER_SPP, db += blk_row, py = _mm512_add_ps(py, one)) {
        /* edge_at at the row's first pixel centre, A * (px - qx) + B * (py - qy), in its
         * operations and order (ex is the first product), then stepped along the row */
        __m512 c = row_chain(_mm512_add_ps(ex, _mm512_mul_ps(B, _mm512_sub_ps(py, qy))), A);
        __mmask16 up = win_draw(&wp, i, v0,
                                _mm512_add_ps(_mm512_permutexvar_ps(to_samples[0], c), d[0]),
                                _mm512_add_ps(_mm512_permutexvar_ps(to_samples[1], c), d[1]),
                                _mm512_add_ps(_mm512_permutexvar_ps(to_samples[2], c), d[2]),
                                &kc, cover);
        if (nwin > 1) {
            /* the fifth pixel: the fourth's value plus A, and on along the chain */
            c = row_chain(_mm512_add_ps(_mm512_permute_ps(c, 0xFF), A), A);
            up |= win_draw(&wp, i + 16, v1,
                           _mm512_add_ps(_mm512_permutexvar_ps(to_samples[0], c), d[0]),
                           _mm512_add_ps(_mm512_permutexvar_ps(to_samples[1], c), d[1]),
                           _mm512_add_ps(_mm512_permutexvar_ps(to_samples[2], c), d[2]), &kc,
                           cover);
        }
        mark_narrow_row(dlo + y, dhi + y, db, x0, x1, ka, kb, up != 0);
    }
}

/* narrow_512 compiled for each case: one window a row (up to four pixels) or two, with or
 * without coverage. */
#define NARROW_512(name, nwin, cover)                                                         \
    T512 static void name(fb_raster *r, const batch16 *bt, int j, int32_t idv, uint32_t pass, \
                          int x0, int n, int y_lo, int y_hi)                                  \
    {                                                                                         \
        narrow_512(r, bt, j, idv, pass, x0, n, y_lo, y_hi, nwin, cover);                      \
    }
NARROW_512(narrow1_512, 1, false)
NARROW_512(narrow2_512, 2, false)
NARROW_512(narrow1c_512, 1, true)
NARROW_512(narrow2c_512, 2, true)
#undef NARROW_512

/* block_least with sixteen lanes: a whole block's samples a register at a time. */
T512 static float block_least_512(const fb_raster *r, int y, int k)
{
    const int x0 = k * FB_RASTER_HIZ_PX;
    const float *b = r->inv_z + ((size_t)y * (size_t)r->width + (size_t)x0) * FB_RASTER_SPP;
    if (x0 + FB_RASTER_HIZ_PX > r->width)
        return least(b, (r->width - x0) * FB_RASTER_SPP);
    __m512 m = _mm512_loadu_ps(b);
    for (int i = 16; i < FB_RASTER_HIZ_PX * FB_RASTER_SPP; i += 16)
        m = _mm512_min_ps(m, _mm512_loadu_ps(b + i));
    return _mm512_reduce_min_ps(m);
}

/* span_draw with sixteen lanes: the span's pixels four at a time (windows as narrow_512's),
 * the edge values stepped along it one add a pixel as span_draw steps them, so the samples, the
 * coverage stamps and the answer (whether a sample was written) are the same. */
T512 static inline bool
span_512(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n, bool cover)
{
    const edge *e = tc->e;
    win_consts kc;
    __m512 d[3];
    for (int k = 0; k < 3; k++) {
        kc.bias[k] = _mm512_set1_ps(e[k].bias);
        d[k] = _mm512_broadcast_f32x4((__m128)e[k].d); /* make_edge's, in every pixel-slot */
    }
    kc.kz0 = _mm512_set1_ps(tc->kz0), kc.kz1 = _mm512_set1_ps(tc->kz1);
    kc.zc = _mm512_set1_ps(tc->zc), kc.kr0 = _mm512_set1_ps(tc->kr0);
    kc.kr1 = _mm512_set1_ps(tc->kr1), kc.rc = _mm512_set1_ps(tc->rc);
    kc.id = _mm512_set1_epi32(tc->id[0]), kc.pass = _mm512_set1_epi32((int32_t)tc->pass);
    const __m512i to_samples[3] = {
        _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0),
        _mm512_set_epi32(7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4),
        _mm512_set_epi32(11, 11, 11, 11, 10, 10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 8)};
    /* the edges' A and their values at the span's first pixel in row_chain's layout */
    const __m512 A = _mm512_mask_blend_ps(
        0xFF00u, _mm512_mask_blend_ps(0x00F0u, _mm512_set1_ps(e[0].A), _mm512_set1_ps(e[1].A)),
        _mm512_set1_ps(e[2].A));
    __m512 c = _mm512_mask_blend_ps(
        0xFF00u,
        _mm512_mask_blend_ps(0x00F0u, _mm512_set1_ps(sp->w[0]), _mm512_set1_ps(sp->w[1])),
        _mm512_set1_ps(sp->w[2]));
    c = row_chain(c, A);
    const win_ptrs wp = {r->inv_z, r->rad, r->id, r->stamp};
    __mmask16 any = 0;
    for (int x = 0; x < n; x += 4) {
        if (x > 0) /* the next window's first pixel: the last one's fourth plus A */
            c = row_chain(_mm512_add_ps(_mm512_permute_ps(c, 0xFF), A), A);
        const __mmask16 valid = (__mmask16)(n - x >= 4 ? 0xFFFFu : (1u << (4 * (n - x))) - 1u);
        any |= win_draw(&wp, i0 + (size_t)x * FB_RASTER_SPP, valid,
                        _mm512_add_ps(_mm512_permutexvar_ps(to_samples[0], c), d[0]),
                        _mm512_add_ps(_mm512_permutexvar_ps(to_samples[1], c), d[1]),
                        _mm512_add_ps(_mm512_permutexvar_ps(to_samples[2], c), d[2]), &kc, cover);
    }
    return any != 0;
}

typedef void (*narrow_fn)(fb_raster *r, const batch16 *bt, int j, int32_t idv, uint32_t pass,
                          int x0, int n, int y_lo, int y_hi);
#else
#define FB_RASTER_512 0
static inline bool span_512(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n,
                            bool cover)
{
    (void)r, (void)tc, (void)sp, (void)i0, (void)n, (void)cover;
    return false;
}
#endif

void fb_raster_hiz_update(fb_raster *r, float x_lo, float x_hi, int y_lo, int y_hi)
{
    if (!(x_hi >= 0.0f && x_lo < (float)r->width))
        return; /* off the image (or NaN) */
    y_lo = y_lo < 0 ? 0 : y_lo, y_hi = y_hi > r->height ? r->height : y_hi;
    const int ka = x_lo > 0.0f ? (int)x_lo / FB_RASTER_HIZ_PX : 0;
    const int kb = (x_hi < (float)(r->width - 1) ? (int)x_hi : r->width - 1) / FB_RASTER_HIZ_PX;
    for (int y = y_lo; y < y_hi; y++) {
        memset(r->hiz_stale + (size_t)y * (size_t)r->hiz_per_row + (size_t)ka, 1,
               (size_t)(kb - ka + 1));
        r->hiz_rows[y] = 1;
    }
}

/* A triangle on the image: its vertices in positive orientation (b and c swapped when the
 * mesh's winding gave a negative area), twice its area and its pixel box clipped to the image. */
typedef struct tri_box {
    const fb_rvert *a, *b, *c;
    float area;
    int x0, x1, y0, y1;
} tri_box;

/* Whether triangle (a, b, c) can touch a sample: in front of the camera, not its back when cull
 * is true, not degenerate, a box on the image; fills *tb when it can. tris() and
 * fb_raster_tris_keep() both decide with this, so they skip the same triangles. */
static inline __attribute__((always_inline)) bool
tri_on_image(const fb_rvert *a, const fb_rvert *b, const fb_rvert *c, bool cull, int W, int H,
             tri_box *tb)
{
    if (!(a->inv_z > 0.0f && b->inv_z > 0.0f && c->inv_z > 0.0f))
        return false; /* behind the camera or too near */
    float area = (b->x - a->x) * (c->y - a->y) - (c->x - a->x) * (b->y - a->y);
    /* Counter-clockwise seen from outside is a negative area with y down on the image. */
    if (area > 0.0f) {
        if (cull)
            return false; /* its back: already positively oriented */
    } else if (area < 0.0f) {
        const fb_rvert *s = b;
        b = c;
        c = s;
        area = -area;
    } else {
        return false;
    }
    float fx0 = fmin2(a->x, fmin2(b->x, c->x)), fx1 = fmax2(a->x, fmax2(b->x, c->x));
    float fy0 = fmin2(a->y, fmin2(b->y, c->y)), fy1 = fmax2(a->y, fmax2(b->y, c->y));
    if (!(fx1 > 0.0f && fy1 > 0.0f && fx0 < (float)W && fy0 < (float)H))
        return false;
    tb->x0 = (int)fmax2(floorf(fx0), 0.0f), tb->x1 = (int)fmin2(floorf(fx1), (float)(W - 1));
    tb->y0 = (int)fmax2(floorf(fy0), 0.0f), tb->y1 = (int)fmin2(floorf(fy1), (float)(H - 1));
    if (tb->x0 > tb->x1 || tb->y0 > tb->y1)
        return false;
    tb->a = a, tb->b = b, tb->c = c, tb->area = area;
    return true;
}

/* What a draw restricted to a band of rows takes: rows [lo, hi), the coverage pass, and the
 * counters to add to. */
typedef struct band {
    int lo, hi;
    uint32_t pass;
    fb_raster_stats *st;
    fb_raster_cover *cover; /* the pass's count (when stamping): its box widened per triangle */
} band;

/* Rows y0 .. y1 (none when y0 > y1), pixels x0 .. x1 added to the box of what a coverage pass
 * has reached. */
static inline void cover_reach(fb_raster_cover *c, int x0, int x1, int y0, int y1)
{
    if (y0 > y1)
        return;
    c->x0 = x0 < c->x0 ? x0 : c->x0, c->x1 = x1 > c->x1 ? x1 : c->x1;
    c->y0 = y0 < c->y0 ? y0 : c->y0, c->y1 = y1 > c->y1 ? y1 : c->y1;
}

#if FB_RASTER_WIDE
/* ifloor, eight lanes: the same int (cvttps2dq as (int) gives, less one where that rounded up). */
T256 static inline __m256 ifloor8(__m256 x)
{
    const __m256i i = _mm256_cvttps_epi32(x);
    const __m256i up = _mm256_castps_si256(_mm256_cmp_ps(x, _mm256_cvtepi32_ps(i), _CMP_LT_OQ));
    return _mm256_cvtepi32_ps(_mm256_add_epi32(i, up)); /* (up is -1 where it rounded up) */
}

/* tri_draw's row loop for a triangle wide enough to solve its spans (tc's edges ready for
 * spans, wr0 and slack as tri_draw works them out), eight rows at a time: each lane steps its
 * edge values down the rows with the scalar loop's additions in its order (a chain of adds of B
 * whose unused lanes add -0, as chain8), then solves its row's span with the loop's tests and
 * operations (an edge's lanes taking the branch the loop takes, by blends), so every row gets
 * the same span, edge values and samples; the rows are then drawn in order by draw (span_8,
 * two pixels a step, or span_16, four). */
typedef bool (*span_fn)(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n,
                        bool stamp);

T256 static inline __attribute__((always_inline)) void
rows8(fb_raster *r, const tri_consts *tc, const float wr0[3], const float slack[3], int x0, int x1,
      int y0, int y_end, const band *bd, bool stamp, uint64_t *rows_n, uint64_t *px_n,
      span_fn draw)
{
    const int W = r->width;
    const edge *e = tc->e;
    const __m256 nz = _mm256_set1_ps(-0.0f), x0f = _mm256_set1_ps((float)x0);
    const __m256 x1f = _mm256_set1_ps((float)x1), zero = _mm256_setzero_ps();
    const __m256 half = _mm256_set1_ps(0.5f);
    __m256 bm[3][7], wr[3];
    for (int k = 0; k < 3; k++) {
        const __m256 B = _mm256_set1_ps(e[k].B);
        /* step s adds B to the lanes from s on */
        bm[k][0] = _mm256_blend_ps(B, nz, 0x01), bm[k][1] = _mm256_blend_ps(B, nz, 0x03);
        bm[k][2] = _mm256_blend_ps(B, nz, 0x07), bm[k][3] = _mm256_blend_ps(B, nz, 0x0F);
        bm[k][4] = _mm256_blend_ps(B, nz, 0x1F), bm[k][5] = _mm256_blend_ps(B, nz, 0x3F);
        bm[k][6] = _mm256_blend_ps(B, nz, 0x7F);
        wr[k] = _mm256_set1_ps(wr0[k]);
    }
    const __m256 lane = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
    uint64_t rows = 0, px = 0;
    for (int yb = y0; yb <= y_end; yb += 8) {
        __m256 w[3];
        for (int k = 0; k < 3; k++) {
            if (yb > y0) /* the block's first row: the last one's value plus B */
                wr[k] = _mm256_add_ps(_mm256_permutevar8x32_ps(wr[k], _mm256_set1_epi32(7)),
                                      _mm256_set1_ps(e[k].B));
            __m256 v = wr[k];
            for (int st = 0; st < 7; st++)
                v = _mm256_add_ps(v, bm[k][st]);
            wr[k] = w[k] = v;
        }
        /* the rows of the block in the band and the triangle */
        const __m256 y = _mm256_add_ps(_mm256_set1_ps((float)yb), lane); /* exact */
        __m256 skip = _mm256_or_ps(_mm256_cmp_ps(y, _mm256_set1_ps((float)bd->lo), _CMP_LT_OQ),
                                   _mm256_cmp_ps(y, _mm256_set1_ps((float)y_end), _CMP_GT_OQ));
        __m256 lo = x0f, hi = x1f;
        for (int k = 0; k < 3; k++) {
            const __m256 q = _mm256_mul_ps(_mm256_xor_ps(w[k], nz), _mm256_set1_ps(e[k].inv_a));
            const __m256 sl = _mm256_set1_ps(slack[k]);
            if (e[k].A > 0.0f) {
                const __m256 out = _mm256_cmp_ps(q, _mm256_sub_ps(hi, x0f), _CMP_GT_OQ);
                const __m256 u = _mm256_andnot_ps(out, _mm256_cmp_ps(q, _mm256_sub_ps(lo, x0f),
                                                                     _CMP_GT_OQ));
                lo = _mm256_blendv_ps(lo, _mm256_sub_ps(x0f, ifloor8(_mm256_sub_ps(sl, q))), u);
                skip = _mm256_or_ps(skip, out);
            } else if (e[k].A < 0.0f) {
                const __m256 out = _mm256_cmp_ps(q, _mm256_sub_ps(lo, x0f), _CMP_LT_OQ);
                const __m256 u = _mm256_andnot_ps(out, _mm256_cmp_ps(q, _mm256_sub_ps(hi, x0f),
                                                                     _CMP_LT_OQ));
                hi = _mm256_blendv_ps(hi, _mm256_add_ps(x0f, ifloor8(_mm256_add_ps(q, sl))), u);
                skip = _mm256_or_ps(skip, out);
            } else {
                skip = _mm256_or_ps(skip, _mm256_cmp_ps(w[k], zero, _CMP_LT_OQ));
            }
        }
        skip = _mm256_or_ps(skip, _mm256_cmp_ps(lo, hi, _CMP_GT_OQ));
        unsigned todo = ~bits8(skip) & 0xffu;
        if (!todo)
            continue;
        /* the span's first pixel centre and the edges there: edge_at's operations */
        const __m256i xa = _mm256_cvttps_epi32(lo), xb = _mm256_cvttps_epi32(hi);
        const __m256 pxa = _mm256_add_ps(_mm256_cvtepi32_ps(xa), half);
        const __m256 py = _mm256_add_ps(y, half);
        float sw[3][8];
        for (int k = 0; k < 3; k++)
            _mm256_storeu_ps(
                sw[k], _mm256_add_ps(
                           _mm256_mul_ps(_mm256_set1_ps(e[k].A),
                                         _mm256_sub_ps(pxa, _mm256_set1_ps(e[k].qx))),
                           _mm256_mul_ps(_mm256_set1_ps(e[k].B),
                                         _mm256_sub_ps(py, _mm256_set1_ps(e[k].qy)))));
        int32_t xav[8], xbv[8];
        _mm256_storeu_si256((__m256i *)(void *)xav, xa);
        _mm256_storeu_si256((__m256i *)(void *)xbv, xb);
        for (; todo; todo &= todo - 1) {
            const int l = __builtin_ctz(todo), row = yb + l, n = xbv[l] - xav[l] + 1;
            rows++, px += (uint64_t)n;
            const span sp = {{sw[0][l], sw[1][l], sw[2][l]}};
            const size_t i0 = ((size_t)row * (size_t)W + (size_t)xav[l]) * FB_RASTER_SPP;
            const bool drew = draw(r, tc, &sp, i0, n, stamp);
            mark_drawn_if(r, row, xav[l], xbv[l], drew);
        }
    }
    *rows_n += rows, *px_n += px;
}

/* A row's span drawn eight lanes at a time (span_draw, pair_draw) ... */
T256 static bool span_8(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n,
                        bool stamp)
{
    return stamp ? span_draw(r, tc, sp, i0, n, true, true) : span_draw(r, tc, sp, i0, n, false, true);
}

/* ... or sixteen (span_512). */
T512 static bool span_16(fb_raster *r, const tri_consts *tc, const span *sp, size_t i0, int n,
                         bool stamp)
{
    return stamp ? span_512(r, tc, sp, i0, n, true) : span_512(r, tc, sp, i0, n, false);
}

/* rows8 for tris_avx2 ... */
T256 static void rows_256(fb_raster *r, const tri_consts *tc, const float wr0[3],
                          const float slack[3], int x0, int x1, int y0, int y_end,
                          const band *bd, bool stamp, uint64_t *rows_n, uint64_t *px_n)
{
    rows8(r, tc, wr0, slack, x0, x1, y0, y_end, bd, stamp, rows_n, px_n, span_8);
}

/* ... and for tris_avx512. */
T512 static void rows_512(fb_raster *r, const tri_consts *tc, const float wr0[3],
                          const float slack[3], int x0, int x1, int y0, int y_end,
                          const band *bd, bool stamp, uint64_t *rows_n, uint64_t *px_n)
{
    rows8(r, tc, wr0, slack, x0, x1, y0, y_end, bd, stamp, rows_n, px_n, span_16);
}
#else
static void rows_512(fb_raster *r, const tri_consts *tc, const float wr0[3], const float slack[3],
                     int x0, int x1, int y0, int y_end, const band *bd, bool stamp,
                     uint64_t *rows_n, uint64_t *px_n)
{
    (void)r, (void)tc, (void)wr0, (void)slack, (void)x0, (void)x1, (void)y0, (void)y_end;
    (void)bd, (void)stamp, (void)rows_n, (void)px_n;
}
static void rows_256(fb_raster *r, const tri_consts *tc, const float wr0[3], const float slack[3],
                     int x0, int x1, int y0, int y_end, const band *bd, bool stamp,
                     uint64_t *rows_n, uint64_t *px_n)
{
    (void)r, (void)tc, (void)wr0, (void)slack, (void)x0, (void)x1, (void)y0, (void)y_end;
    (void)bd, (void)stamp, (void)rows_n, (void)px_n;
}
#endif

/* One triangle on the image (tri_on_image's box, its id) drawn over the rows of a band: its
 * edges, then each row's span solved from them (or, narrow, its whole box) and drawn four
 * lanes at a time (wide 0), eight (1: pair_draw) or sixteen (2: span_512). */
static inline __attribute__((always_inline)) void
tri_draw(fb_raster *r, const tri_box *tbp, int32_t idv, bool stamp, int wide,
         const band *bd, uint64_t *rows_n, uint64_t *px_n)
{
    const int W = r->width, H = r->height;
    const fb_rvert *a = tbp->a, *b = tbp->b, *c = tbp->c;
    const float area = tbp->area;
    const int x0 = tbp->x0, x1 = tbp->x1, y0 = tbp->y0, y1 = tbp->y1;
    uint64_t rows = 0, px = 0;
    /* e0 is opposite vertex a (its weight), e1 opposite b, e2 opposite c. */
    tri_consts tc;
    tc.e[0] = make_edge(b, c, area), tc.e[1] = make_edge(c, a, area);
    tc.e[2] = make_edge(a, b, area);
    const edge e0 = tc.e[0], e1 = tc.e[1], e2 = tc.e[2];
    float inv_area = 1.0f / area;
    tc.kz0 = (a->inv_z - c->inv_z) * inv_area, tc.kz1 = (b->inv_z - c->inv_z) * inv_area;
    tc.kr0 = (a->rad - c->rad) * inv_area, tc.kr1 = (b->rad - c->rad) * inv_area;
    tc.zc = c->inv_z, tc.rc = c->rad;
    tc.id = (v4i){idv, idv, idv, idv};
    tc.pass = bd->pass;
    const edge *es[3] = {&tc.e[0], &tc.e[1], &tc.e[2]};
    /* each edge at the first row's x0, less its bias, plus its largest sample offset */
    float wr[3] = {0, 0, 0}, slack[3] = {0, 0, 0};
    /* A narrow triangle's rows are drawn whole: testing a few more pixels costs less than
     * solving where its edges cross each row. */
    const bool narrow = x1 - x0 < NARROW_PX;
    for (int k = 0; k < 3 && !narrow; k++) {
        edge_for_spans(&tc.e[k]);
        slack[k] = span_slack(es[k], W, H);
        wr[k] = edge_at(es[k], (float)x0 + 0.5f, (float)y0 + 0.5f) + es[k]->dmax - es[k]->bias;
    }
    const int y_end = y1 < bd->hi - 1 ? y1 : bd->hi - 1;
    if (wide && !narrow) { /* (eight rows at a time: rows_256, rows_512) */
        (wide == 2 ? rows_512 : rows_256)(r, &tc, wr, slack, x0, x1, y0, y_end, bd, stamp,
                                          rows_n, px_n);
        return;
    }
    int y = y0;
    if (narrow && y < bd->lo)
        y = bd->lo; /* its rows use no stepped values */
    for (; y <= y_end; y++, wr[0] += e0.B, wr[1] += e1.B, wr[2] += e2.B) {
        if (y < bd->lo)
            continue; /* above the band: only the edge values step */
        float py = (float)y + 0.5f;
        /* The row's span: pixels where some sample may be inside every edge, with each
         * edge's slack against rounding; the samples are tested exactly below. */
        float lo = (float)x0, hi = (float)x1;
        bool empty = false;
        for (int k = 0; k < 3 && !narrow; k++) {
            const edge *e = es[k];
            float q = -wr[k] * e->inv_a; /* where the edge crosses, from x0 */
            if (e->A > 0.0f) {
                if (q > hi - (float)x0)
                    empty = true;
                else if (q > lo - (float)x0)
                    lo = (float)x0 - (float)ifloor(slack[k] - q);
            } else if (e->A < 0.0f) {
                if (q < lo - (float)x0)
                    empty = true;
                else if (q < hi - (float)x0)
                    hi = (float)x0 + (float)ifloor(q + slack[k]);
            } else if (wr[k] < 0.0f) {
                empty = true;
            }
        }
        if (empty || lo > hi)
            continue;
        int xa = (int)lo, xb = (int)hi;
        rows++, px += (uint64_t)(xb - xa + 1);
        float pxa = (float)xa + 0.5f;
        span sp = {{edge_at(&e0, pxa, py), edge_at(&e1, pxa, py), edge_at(&e2, pxa, py)}};
        size_t i0 = ((size_t)y * (size_t)W + (size_t)xa) * FB_RASTER_SPP;
        bool drew;
        if (wide == 2) /* (sixteen lanes: tris_avx512) */
            drew = stamp ? span_512(r, &tc, &sp, i0, xb - xa + 1, true)
                         : span_512(r, &tc, &sp, i0, xb - xa + 1, false);
        else
            drew = stamp ? span_draw(r, &tc, &sp, i0, xb - xa + 1, true, wide)
                         : span_draw(r, &tc, &sp, i0, xb - xa + 1, false, wide);
        mark_drawn_if(r, y, xa, xb, drew);
    }
    *rows_n += rows, *px_n += px;
}

/* Lane j of a batch (tris_avx512, tris_avx2), a triangle that passed the batch's tests: its box
 * and hidden-surface bound as the batch worked them out, and what the draw loop counts. */
typedef struct lane_tri {
    int x0, x1, y0, y1;
    float zlim, area;
    bool narrow, swapped; /* narrow: drawn by the batch's narrow kernel; swapped: b and c */
} lane_tri;

typedef struct lane_counts {
    size_t drawn;
    uint64_t rows, px, hidden;
} lane_counts;

/* The batches' per-triangle step, shared by both wide paths: counts triangle ti as drawn (in the
 * band holding its first row), skips it when hidden (drawn without coverage: tris' test, least_of
 * the path's block_least), draws a wide one by tri_draw (wide: 2 sixteen lanes, 1 eight) and
 * returns true for a narrow one with rows *y .. *y_end in the band and its id in *idv, which the
 * caller draws with its own kernel (and then counts). */
static inline __attribute__((always_inline)) bool
lane_step(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t ti, const lane_tri *lt,
          uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool stamp,
          int wide, const band *bd, float (*least_of)(const fb_raster *, int, int),
          lane_counts *lc, int32_t *idv, int *y, int *y_end)
{
    const int ty0 = lt->y0;
    lc->drawn += ty0 >= bd->lo && ty0 < bd->hi;
    if (!stamp) { /* tris' test */
        const int ya = ty0 > bd->lo ? ty0 : bd->lo;
        const int yb = lt->y1 < bd->hi - 1 ? lt->y1 : bd->hi - 1;
        if (ya <= yb && hidden_in(r, lt->x0, lt->x1, ya, yb, lt->zlim, least_of)) {
            lc->hidden += ty0 >= bd->lo && ty0 < bd->hi;
            return false;
        }
    } else {
        cover_reach(bd->cover, lt->x0, lt->x1, ty0 > bd->lo ? ty0 : bd->lo,
                    lt->y1 < bd->hi - 1 ? lt->y1 : bd->hi - 1);
    }
    const uint8_t tpart = part_of_vertex ? part_of_vertex[tri[ti][0]] : part;
    *idv = (int32_t)((uint32_t)owner << 8 | tpart);
    if (lt->narrow) {
        *y = ty0 < bd->lo ? bd->lo : ty0; /* its rows use no stepped values */
        *y_end = lt->y1 < bd->hi - 1 ? lt->y1 : bd->hi - 1;
        return *y <= *y_end;
    }
    const bool sw = lt->swapped;
    tri_box tb = {&v[tri[ti][0]], &v[tri[ti][sw ? 2 : 1]], &v[tri[ti][sw ? 1 : 2]],
                  lt->area, lt->x0, lt->x1, ty0, lt->y1};
    tri_draw(r, &tb, *idv, stamp, wide, bd, &lc->rows, &lc->px);
    return false;
}

/* fb_raster_tris over the rows of a band, compiled once per instruction set (tris_c, tris_avx2).
 * Every row in the band gets exactly the operations the whole image's draw gives it: a
 * triangle's setup is the same, and its per-row edge values are stepped from its first row
 * through the rows above the band as they are without a band. A triangle counts as drawn in
 * the band holding its first row. */
static inline __attribute__((always_inline)) size_t
tris(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt, uint16_t owner,
     const uint8_t *part_of_vertex, uint8_t part, bool cull, bool stamp, bool wide,
     const band *bd)
{
    size_t drawn = 0;
    uint64_t rows = 0, px = 0, hidden = 0;
    const int W = r->width, H = r->height;
    const bool banded = bd->lo > 0 || bd->hi < H;
    const float band_lo = (float)bd->lo, band_hi = (float)bd->hi;
    for (size_t t = 0; t < nt; t++) {
        const fb_rvert *a = &v[tri[t][0]], *b = &v[tri[t][1]], *c = &v[tri[t][2]];
        if (!(a->inv_z > 0.0f && b->inv_z > 0.0f && c->inv_z > 0.0f))
            continue; /* behind the camera or too near (its x, y may be anything) */
        /* outside the band: no row of it is in [lo, hi) (floor(y) < lo iff y < lo) */
        if (banded && (fmax2(a->y, fmax2(b->y, c->y)) < band_lo ||
                       fmin2(a->y, fmin2(b->y, c->y)) >= band_hi))
            continue;
        tri_box tb;
        if (!tri_on_image(a, b, c, cull, W, H, &tb))
            continue;
        drawn += tb.y0 >= bd->lo && tb.y0 < bd->hi;
        const int ya = tb.y0 > bd->lo ? tb.y0 : bd->lo;
        const int yb = tb.y1 < bd->hi - 1 ? tb.y1 : bd->hi - 1;
        if (stamp) { /* (a coverage pass counts hidden samples too) */
            cover_reach(bd->cover, tb.x0, tb.x1, ya, yb);
        } else if (ya <= yb && hidden_in(r, tb.x0, tb.x1, ya, yb,
                                         tri_zlim(tb.a->inv_z, tb.b->inv_z, tb.c->inv_z, tb.area),
                                         block_least)) {
            hidden += tb.y0 >= bd->lo && tb.y0 < bd->hi;
            continue;
        }
        uint8_t tp = part_of_vertex ? part_of_vertex[tri[t][0]] : part;
        tri_draw(r, &tb, (int32_t)((uint32_t)owner << 8 | tp), stamp, wide, bd, &rows, &px);
    }
    bd->st->tris_drawn += drawn, bd->st->tris_hidden += hidden;
    bd->st->rows += rows, bd->st->px_tested += px;
    return drawn;
}

static size_t tris_c(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                     uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                     bool stamp, const band *bd)
{
    return tris(r, v, tri, nt, owner, part_of_vertex, part, cull, stamp, false, bd);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Unoptimised builds (the sanitizers') expand masked intrinsics as macros that hand their __mmask16 to a
 * builtin taking a signed short: the same bits, which -Wsign-conversion would call an error. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
/* Corner k of sixteen triangles tri[t0 .. t0 + nb) (vertex 0 in the lanes past nb) field by
 * field, lane j for triangle t0 + j: f[0] x, f[1] y, f[2] inv_z, f[3] rad. Each vertex is read
 * whole (16 bytes) into a quarter of a register, then the four registers are transposed a
 * quarter at a time. Twelve gathers a batch had held ~21 % of tris_avx512's time; this way a
 * crowd run took ~7 % less processor time on a Zen 4 (docs/people.md, "Back on a Zen 4"). */
T512 static inline void corner16(const fb_rvert *v, const uint32_t (*tri)[3], size_t t0, int nb,
                                 int k, __m512 f[4])
{
    __m512 q[4];
    for (int j = 0; j < 4; j++) {
        uint32_t ix[4];
        for (int l = 0; l < 4; l++)
            ix[l] = j + 4 * l < nb ? tri[t0 + (size_t)(j + 4 * l)][k] : 0;
        __m512 x = _mm512_castps128_ps512(_mm_loadu_ps((const float *)(const void *)&v[ix[0]]));
        x = _mm512_insertf32x4(x, _mm_loadu_ps((const float *)(const void *)&v[ix[1]]), 1);
        x = _mm512_insertf32x4(x, _mm_loadu_ps((const float *)(const void *)&v[ix[2]]), 2);
        q[j] = _mm512_insertf32x4(x, _mm_loadu_ps((const float *)(const void *)&v[ix[3]]), 3);
    }
    /* quarter l of q[j] is triangle j + 4l's vertex; after the transpose, quarter l of f[c]
     * holds field c of triangles 4l .. 4l + 3 */
    const __m512 t0l = _mm512_unpacklo_ps(q[0], q[1]), t0h = _mm512_unpackhi_ps(q[0], q[1]);
    const __m512 t1l = _mm512_unpacklo_ps(q[2], q[3]), t1h = _mm512_unpackhi_ps(q[2], q[3]);
    f[0] = _mm512_shuffle_ps(t0l, t1l, _MM_SHUFFLE(1, 0, 1, 0));
    f[1] = _mm512_shuffle_ps(t0l, t1l, _MM_SHUFFLE(3, 2, 3, 2));
    f[2] = _mm512_shuffle_ps(t0h, t1h, _MM_SHUFFLE(1, 0, 1, 0));
    f[3] = _mm512_shuffle_ps(t0h, t1h, _MM_SHUFFLE(3, 2, 3, 2));
}

/* Sixteen triangles tri[t0 .. t0 + nb): tri_on_image's tests in its operations, lane j for
 * triangle t0 + j — in front of the camera, a row in the band bd (NULL: no band; tris' test), not
 * its back when cull, an area, a box on the image — returning the lanes that pass. For those, q
 * holds the corners in positive orientation (b and c swapped in the lanes of q->neg), twice the
 * area (positive) and the box. */
typedef struct tri16 {
    __m512 ax, ay, az, ar, bx, by, bz, br, cx, cy, cz, cr, area;
    __m512i x0, x1, y0, y1;
    __mmask16 neg;
} tri16;

T512 static inline __mmask16 tri16_test(const fb_rvert *v, const uint32_t (*tri)[3], size_t t0,
                                        int nb, bool cull, int W, int H, const band *bd, tri16 *q)
{
    const __m512 zero = _mm512_setzero_ps();
    const __mmask16 m = (__mmask16)((1u << nb) - 1u);
    __m512 fa[4], fb[4], fc[4];
    corner16(v, tri, t0, nb, 0, fa);
    corner16(v, tri, t0, nb, 1, fb);
    corner16(v, tri, t0, nb, 2, fc);
#define FLOOR(x) _mm512_roundscale_ps((x), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC) /* floorf */
    const __m512 az = fa[2], bz = fb[2], cz = fc[2];
    /* in front of the camera (its x, y may be anything otherwise) */
    __mmask16 ok = _mm512_mask_cmp_ps_mask(m, az, zero, _CMP_GT_OQ);
    ok = _mm512_mask_cmp_ps_mask(ok, bz, zero, _CMP_GT_OQ);
    ok = _mm512_mask_cmp_ps_mask(ok, cz, zero, _CMP_GT_OQ);
    if (!ok)
        return 0;
    const __m512 ax = fa[0], ay = fa[1];
    __m512 bx = fb[0], by = fb[1], cx = fc[0], cy = fc[1];
    if (bd) { /* no row of it in [lo, hi): tris' test, NaN keeping it as there */
        __m512 ymax = _mm512_max_ps(ay, _mm512_max_ps(by, cy));
        __m512 ymin = _mm512_min_ps(ay, _mm512_min_ps(by, cy));
        ok = _mm512_mask_cmp_ps_mask(ok, ymax, _mm512_set1_ps((float)bd->lo), _CMP_NLT_UQ);
        ok = _mm512_mask_cmp_ps_mask(ok, ymin, _mm512_set1_ps((float)bd->hi), _CMP_NGE_UQ);
    }
    __m512 area = _mm512_sub_ps(_mm512_mul_ps(_mm512_sub_ps(bx, ax), _mm512_sub_ps(cy, ay)),
                                _mm512_mul_ps(_mm512_sub_ps(cx, ax), _mm512_sub_ps(by, ay)));
    const __mmask16 neg = _mm512_mask_cmp_ps_mask(ok, area, zero, _CMP_LT_OQ);
    const __mmask16 pos = _mm512_mask_cmp_ps_mask(ok, area, zero, _CMP_GT_OQ);
    ok = cull ? neg : (__mmask16)(neg | pos);
    if (!ok)
        return 0;
    /* positive orientation: b and c swapped where the area was negative */
    q->bz = _mm512_mask_blend_ps(neg, bz, cz), q->cz = _mm512_mask_blend_ps(neg, cz, bz);
    q->bx = _mm512_mask_blend_ps(neg, bx, cx), q->cx = _mm512_mask_blend_ps(neg, cx, bx);
    q->by = _mm512_mask_blend_ps(neg, by, cy), q->cy = _mm512_mask_blend_ps(neg, cy, by);
    q->br = _mm512_mask_blend_ps(neg, fb[3], fc[3]), q->cr = _mm512_mask_blend_ps(neg, fc[3], fb[3]);
    q->ar = fa[3], q->ax = ax, q->ay = ay, q->az = az, q->neg = neg;
    q->area = _mm512_castsi512_ps(_mm512_mask_xor_epi32(_mm512_castps_si512(area), neg,
                                                        _mm512_castps_si512(area),
                                                        _mm512_set1_epi32((int32_t)0x80000000u)));
    bx = q->bx, by = q->by, cx = q->cx, cy = q->cy;
    __m512 fx0 = _mm512_min_ps(ax, _mm512_min_ps(bx, cx));
    __m512 fx1 = _mm512_max_ps(ax, _mm512_max_ps(bx, cx));
    __m512 fy0 = _mm512_min_ps(ay, _mm512_min_ps(by, cy));
    __m512 fy1 = _mm512_max_ps(ay, _mm512_max_ps(by, cy));
    ok = _mm512_mask_cmp_ps_mask(ok, fx1, zero, _CMP_GT_OQ);
    ok = _mm512_mask_cmp_ps_mask(ok, fy1, zero, _CMP_GT_OQ);
    ok = _mm512_mask_cmp_ps_mask(ok, fx0, _mm512_set1_ps((float)W), _CMP_LT_OQ);
    ok = _mm512_mask_cmp_ps_mask(ok, fy0, _mm512_set1_ps((float)H), _CMP_LT_OQ);
    q->x0 = _mm512_cvttps_epi32(_mm512_max_ps(FLOOR(fx0), zero));
    q->x1 = _mm512_cvttps_epi32(_mm512_min_ps(FLOOR(fx1), _mm512_set1_ps((float)(W - 1))));
    q->y0 = _mm512_cvttps_epi32(_mm512_max_ps(FLOOR(fy0), zero));
    q->y1 = _mm512_cvttps_epi32(_mm512_min_ps(FLOOR(fy1), _mm512_set1_ps((float)(H - 1))));
#undef FLOOR
    ok = _mm512_mask_cmp_epi32_mask(ok, q->x0, q->x1, _MM_CMPINT_LE);
    return _mm512_mask_cmp_epi32_mask(ok, q->y0, q->y1, _MM_CMPINT_LE);
}

/* ... and sixteen triangles at a time: their tests (tri_on_image's, in its operations) and
 * setup (make_edge's and tri_draw's) in the lanes of a batch16, then, in their order, narrow ones
 * a row's four pixels a register (narrow_512) and the others by tri_draw. */
T512 static size_t tris_avx512(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                               size_t nt, uint16_t owner, const uint8_t *part_of_vertex,
                               uint8_t part, bool cull, bool stamp, const band *bd)
{
    lane_counts lc = {0, 0, 0, 0};
    const int W = r->width, H = r->height;
    const bool banded = bd->lo > 0 || bd->hi < H;
    const __m512 zero = _mm512_setzero_ps(), half = _mm512_set1_ps(0.5f);
    const __m512 bias_k = _mm512_set1_ps(1e-7f);
    batch16 bt;
    static const narrow_fn narrow_n[2] = {narrow1_512, narrow2_512};
    static const narrow_fn narrow_c[2] = {narrow1c_512, narrow2c_512};
    for (size_t t0 = 0; t0 < nt; t0 += 16) {
        const int nb = nt - t0 < 16 ? (int)(nt - t0) : 16;
        tri16 q;
        __mmask16 ok = tri16_test(v, tri, t0, nb, cull, W, H, banded ? bd : NULL, &q);
        if (!ok)
            continue;
        const __mmask16 neg = q.neg;
        const __m512 ax = q.ax, ay = q.ay, az = q.az, bx = q.bx, by = q.by, bz = q.bz;
        const __m512 cx = q.cx, cy = q.cy, cz = q.cz, area = q.area;
        const __m512i x0 = q.x0, x1 = q.x1, y0 = q.y0, y1 = q.y1;
        const __mmask16 narrow = _mm512_mask_cmp_epi32_mask(
            ok, _mm512_sub_epi32(x1, x0), _mm512_set1_epi32(NARROW_PX), _MM_CMPINT_LT);
        if (narrow) { /* the narrow kernel's constants: make_edge and tri_draw, lane by lane */
            const __m512 ar = q.ar, br = q.br, cr = q.cr;
            const __m512 pxa = _mm512_add_ps(_mm512_cvtepi32_ps(x0), half);
            const __m512 P[3][2] = {{bx, by}, {cx, cy}, {ax, ay}}; /* edge k from P[k] ... */
            const __m512 Q[3][2] = {{cx, cy}, {ax, ay}, {bx, by}}; /* ... to Q[k] */
            const __m512 biased = _mm512_mul_ps(bias_k, area);
            for (int k = 0; k < 3; k++) {
                __m512 A = _mm512_sub_ps(P[k][1], Q[k][1]), B = _mm512_sub_ps(Q[k][0], P[k][0]);
                __m512 dx = _mm512_sub_ps(Q[k][0], P[k][0]), dy = _mm512_sub_ps(Q[k][1], P[k][1]);
                /* top_left: (dy == 0 && dx < 0) || dy > 0 */
                __mmask16 tl = _mm512_cmp_ps_mask(dy, zero, _CMP_GT_OQ) |
                               (_mm512_cmp_ps_mask(dy, zero, _CMP_EQ_OQ) &
                                _mm512_cmp_ps_mask(dx, zero, _CMP_LT_OQ));
                _mm512_storeu_ps(bt.A[k], A);
                _mm512_storeu_ps(bt.B[k], B);
                _mm512_storeu_ps(bt.qy[k], P[k][1]);
                _mm512_storeu_ps(bt.ex[k], _mm512_mul_ps(A, _mm512_sub_ps(pxa, P[k][0])));
                _mm512_storeu_ps(bt.bias[k], _mm512_mask_blend_ps(tl, biased, zero));
            }
            const __m512 inv_area = _mm512_div_ps(_mm512_set1_ps(1.0f), area);
            _mm512_storeu_ps(bt.kz0, _mm512_mul_ps(_mm512_sub_ps(az, cz), inv_area));
            _mm512_storeu_ps(bt.kz1, _mm512_mul_ps(_mm512_sub_ps(bz, cz), inv_area));
            _mm512_storeu_ps(bt.kr0, _mm512_mul_ps(_mm512_sub_ps(ar, cr), inv_area));
            _mm512_storeu_ps(bt.kr1, _mm512_mul_ps(_mm512_sub_ps(br, cr), inv_area));
            _mm512_storeu_ps(bt.zc, cz);
            _mm512_storeu_ps(bt.rc, cr);
        }
        if (!stamp) { /* tri_zlim, lane by lane */
            const __m512 zmx = _mm512_max_ps(az, _mm512_max_ps(bz, cz));
            const __m512 zmn = _mm512_min_ps(az, _mm512_min_ps(bz, cz));
            const __m512 zl = _mm512_add_ps(
                _mm512_add_ps(zmx, _mm512_mul_ps(_mm512_sub_ps(zmx, zmn), _mm512_set1_ps(0.05f))),
                _mm512_mul_ps(zmx, _mm512_set1_ps(1e-5f)));
            const __mmask16 big = _mm512_cmp_ps_mask(area, _mm512_set1_ps(1.0f), _CMP_GE_OQ);
            _mm512_storeu_ps(bt.zlim, _mm512_mask_blend_ps(big, _mm512_set1_ps(INFINITY), zl));
        }
        _mm512_storeu_ps(bt.area, area);
        _mm512_storeu_si512(bt.x0, x0);
        _mm512_storeu_si512(bt.x1, x1);
        _mm512_storeu_si512(bt.y0, y0);
        _mm512_storeu_si512(bt.y1, y1);
        for (unsigned left = ok; left; left &= left - 1) {
            const int j = __builtin_ctz(left);
            const lane_tri lt = {bt.x0[j], bt.x1[j], bt.y0[j], bt.y1[j], bt.zlim[j], bt.area[j],
                                 narrow >> j & 1u, neg >> j & 1u};
            int32_t idv;
            int y, y_end;
            if (lane_step(r, v, tri, t0 + (size_t)j, &lt, owner, part_of_vertex, part, stamp, 2,
                          bd, block_least_512, &lc, &idv, &y, &y_end)) {
                const int n = lt.x1 - lt.x0 + 1;
                (stamp ? narrow_c : narrow_n)[n > 4](r, &bt, j, idv, bd->pass, lt.x0, n, y,
                                                     y_end);
                lc.rows += (uint64_t)(y_end - y + 1);
                lc.px += (uint64_t)(y_end - y + 1) * (uint64_t)n;
            }
        }
    }
    bd->st->tris_drawn += lc.drawn, bd->st->tris_hidden += lc.hidden;
    bd->st->rows += lc.rows, bd->st->px_tested += lc.px;
    return lc.drawn;
}
#pragma GCC diagnostic pop

/* ---- Eight triangles at a time in AVX2 lanes: tris_avx512's structure for CPUs without
 * AVX-512 (AMD before Zen 4, most Intel client parts), every lane's arithmetic the scalar
 * path's, so the same samples. A window is two pixels (eight samples). ---- */

/* Eight triangles' setup, lane j for triangle t0 + j (batch16's fields, eight wide). */
typedef struct batch8 {
    float A[3][8], B[3][8], qy[3][8], ex[3][8], bias[3][8];
    float kz0[8], kz1[8], zc[8], kr0[8], kr1[8], rc[8], area[8], zlim[8];
    int32_t x0[8], x1[8], y0[8], y1[8];
} batch8;


/* row_chain in eight lanes, two edges side by side (lanes 4k + p, pixel p of edge k): each
 * lane gets a's value added once per pixel before its own, in span_draw's order. The lanes left
 * out add -0, which leaves every float as it is (+0 + -0 is +0), so three plain adds do what
 * the masked ones do; am[s] is a with the lanes of pixels below s + 1 set to -0. */
T256 static inline __m256 chain8(__m256 v, const __m256 am[3])
{
    v = _mm256_add_ps(v, am[0]);
    v = _mm256_add_ps(v, am[1]);
    return _mm256_add_ps(v, am[2]);
}

/* chain8 for the first two pixels only (their lanes as chain8 leaves them; the others not
 * stepped): what a row of one window, or the fifth and sixth pixels, need. */
T256 static inline __m256 chain8_two(__m256 v, const __m256 am[3])
{
    return _mm256_add_ps(v, am[0]);
}

/* The constants of a narrow triangle's windows in registers. */
typedef struct win8_consts {
    __m256 bias[3], zc, kz0, kz1, rc, kr0, kr1;
    __m256i id, pass;
} win8_consts;

/* win_draw for a window of two pixels at sample index i: the lanes of valid (all ones or
 * zeros each) tested, depth-compared and written. full: the window's eight samples may be read
 * and written back whole (its pixels are in the row: the lanes outside valid are stored as
 * they were read, by the thread that owns the row); else only valid's lanes are touched (masked
 * loads and stores: the window reaches past the row's end). Returns the lanes written, as bits. */
T256 static inline __attribute__((always_inline)) unsigned
win8_draw(const win_ptrs *p, size_t i, __m256i valid, bool full, __m256 W0, __m256 W1, __m256 W2,
          const win8_consts *k, bool stamp)
{
    __m256 in = _mm256_and_ps(_mm256_cmp_ps(W0, k->bias[0], _CMP_GE_OQ),
                              _mm256_cmp_ps(W1, k->bias[1], _CMP_GE_OQ));
    in = _mm256_and_ps(in, _mm256_cmp_ps(W2, k->bias[2], _CMP_GE_OQ));
    in = _mm256_and_ps(in, _mm256_castsi256_ps(valid));
    const __m256i in_i = _mm256_castps_si256(in);
    if (stamp) {
        if (full) {
            const __m256i st = _mm256_loadu_si256((const __m256i *)(const void *)(p->st + i));
            _mm256_storeu_si256((__m256i *)(void *)(p->st + i),
                                _mm256_blendv_epi8(st, k->pass, in_i));
        } else {
            _mm256_maskstore_epi32((int *)(void *)(p->st + i), in_i, k->pass);
        }
    }
    const __m256 iz = _mm256_add_ps(_mm256_add_ps(k->zc, _mm256_mul_ps(W0, k->kz0)),
                                    _mm256_mul_ps(W1, k->kz1));
    const __m256 rv = _mm256_add_ps(_mm256_add_ps(k->rc, _mm256_mul_ps(W0, k->kr0)),
                                    _mm256_mul_ps(W1, k->kr1));
    if (full) {
        const __m256 old = _mm256_loadu_ps(p->iz + i);
        const __m256 up = _mm256_and_ps(in, _mm256_cmp_ps(iz, old, _CMP_GT_OQ));
        const __m256 oldr = _mm256_loadu_ps(p->rad + i);
        const __m256i oldid = _mm256_loadu_si256((const __m256i *)(const void *)(p->id + i));
        _mm256_storeu_ps(p->iz + i, _mm256_blendv_ps(old, iz, up));
        _mm256_storeu_ps(p->rad + i, _mm256_blendv_ps(oldr, rv, up));
        _mm256_storeu_si256((__m256i *)(void *)(p->id + i),
                            _mm256_blendv_epi8(oldid, k->id, _mm256_castps_si256(up)));
        return bits8(up);
    }
    const __m256 old = _mm256_maskload_ps(p->iz + i, valid);
    const __m256i up = _mm256_castps_si256(_mm256_and_ps(in, _mm256_cmp_ps(iz, old, _CMP_GT_OQ)));
    _mm256_maskstore_ps(p->iz + i, up, iz);
    _mm256_maskstore_ps(p->rad + i, up, rv);
    _mm256_maskstore_epi32((int *)(void *)(p->id + i), up, k->id);
    return bits8(_mm256_castsi256_ps(up));
}

/* narrow_512 in eight lanes: a narrow triangle's rows y_lo..y_hi (pixels x0 .. x0 + n - 1,
 * n <= 8) a row at a time, nwin = (n + 1) / 2 windows of two pixels, from lane j of a batch;
 * the edge values at the row's first pixel as edge_at works them out, stepped along the row by
 * chain8, so every sample, the coverage stamps and the drawn-over rows are span_draw's. */
T256 static inline __attribute__((always_inline)) void
narrow_256(fb_raster *r, const batch8 *bt, int j, int32_t idv, uint32_t pass_v, int x0, int n,
           int y_lo, int y_hi, int nwin, bool cover)
{
    const __m256 sdx = _mm256_setr_ps(-0.125f, 0.375f, -0.375f, 0.125f, -0.125f, 0.375f,
                                      -0.375f, 0.125f);
    const __m256 sdy = _mm256_setr_ps(-0.375f, -0.125f, 0.125f, 0.375f, -0.375f, -0.125f,
                                      0.125f, 0.375f);
    const size_t W = (size_t)r->width;
    __m256 d[3];
    win8_consts kc;
    for (int k = 0; k < 3; k++) {
        const __m256 Ak = _mm256_set1_ps(bt->A[k][j]), Bk = _mm256_set1_ps(bt->B[k][j]);
        kc.bias[k] = _mm256_set1_ps(bt->bias[k][j]);
        d[k] = _mm256_add_ps(_mm256_mul_ps(Ak, sdx), _mm256_mul_ps(Bk, sdy)); /* make_edge's */
    }
    /* edges 0 and 1 side by side (c01), edge 2 in both halves (c2) */
#define PAIR(f, a, b) _mm256_blend_ps(_mm256_set1_ps((f)[a][j]), _mm256_set1_ps((f)[b][j]), 0xF0)
    const __m256 A01 = PAIR(bt->A, 0, 1), B01 = PAIR(bt->B, 0, 1), qy01 = PAIR(bt->qy, 0, 1);
    const __m256 ex01 = PAIR(bt->ex, 0, 1);
#undef PAIR
    const __m256 A2 = _mm256_set1_ps(bt->A[2][j]), B2 = _mm256_set1_ps(bt->B[2][j]);
    const __m256 qy2 = _mm256_set1_ps(bt->qy[2][j]), ex2 = _mm256_set1_ps(bt->ex[2][j]);
    const __m256 nz = _mm256_set1_ps(-0.0f);
    const __m256 am01[3] = {_mm256_blend_ps(A01, nz, 0x11), _mm256_blend_ps(A01, nz, 0x33),
                            _mm256_blend_ps(A01, nz, 0x77)};
    const __m256 am2[3] = {_mm256_blend_ps(A2, nz, 0x11), _mm256_blend_ps(A2, nz, 0x33),
                           _mm256_blend_ps(A2, nz, 0x77)};
    /* from a pixel's lane to its four samples' lanes: window (pixels 2w, 2w + 1) of four */
    const __m256i sel0[2] = {_mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1),
                             _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3)};
    const __m256i sel1[2] = {_mm256_setr_epi32(4, 4, 4, 4, 5, 5, 5, 5),
                             _mm256_setr_epi32(6, 6, 6, 6, 7, 7, 7, 7)};
    kc.kz0 = _mm256_set1_ps(bt->kz0[j]), kc.kz1 = _mm256_set1_ps(bt->kz1[j]);
    kc.zc = _mm256_set1_ps(bt->zc[j]), kc.kr0 = _mm256_set1_ps(bt->kr0[j]);
    kc.kr1 = _mm256_set1_ps(bt->kr1[j]), kc.rc = _mm256_set1_ps(bt->rc[j]);
    kc.id = _mm256_set1_epi32(idv), kc.pass = _mm256_set1_epi32((int32_t)pass_v);
    /* the last window's second pixel is outside the box when n is odd */
    const __m256i all = _mm256_set1_epi32(-1);
    const __m256i last = (n & 1) ? _mm256_setr_epi32(-1, -1, -1, -1, 0, 0, 0, 0) : all;
    const bool full = (size_t)x0 + 2u * (size_t)nwin <= W;
    const int x1 = x0 + n - 1, ka = x0 / FB_RASTER_BLOCK_PX, kb = x1 / FB_RASTER_BLOCK_PX;
    __m256 py = _mm256_set1_ps((float)y_lo + 0.5f); /* + 1 a row: exact (y < 2^23) */
    const __m256 one = _mm256_set1_ps(1.0f);
    size_t i = ((size_t)y_lo * W + (size_t)x0) * FB_RASTER_SPP;
    const win_ptrs wp = {r->inv_z, r->rad, r->id, r->stamp};
    int *const dlo = r->dirty_lo, *const dhi = r->dirty_hi;
    const size_t blk_row = (size_t)r->blk_per_row;
    uint8_t *db = r->dirty_blk + (size_t)y_lo * blk_row;
    for (int y = y_lo; y <= y_hi;
         y++, i += W * FB_RASTER_SPP, db += blk_row, py = _mm256_add_ps(py, one)) {
        /* edge_at at the row's first pixel centre: A (px - qx) (ex) + B (py - qy) */
        const __m256 s01 = _mm256_add_ps(ex01, _mm256_mul_ps(B01, _mm256_sub_ps(py, qy01)));
        const __m256 s2 = _mm256_add_ps(ex2, _mm256_mul_ps(B2, _mm256_sub_ps(py, qy2)));
        __m256 c01 = nwin > 1 ? chain8(s01, am01) : chain8_two(s01, am01);
        __m256 c2 = nwin > 1 ? chain8(s2, am2) : chain8_two(s2, am2);
        unsigned up = 0;
        for (int w = 0; w < nwin; w++) {
            if (w == 2) { /* the fifth pixel: the fourth's value plus A, and on along the chain */
                const __m256 f01 = _mm256_add_ps(_mm256_permute_ps(c01, 0xFF), A01);
                const __m256 f2 = _mm256_add_ps(_mm256_permute_ps(c2, 0xFF), A2);
                c01 = nwin > 3 ? chain8(f01, am01) : chain8_two(f01, am01);
                c2 = nwin > 3 ? chain8(f2, am2) : chain8_two(f2, am2);
            }
            const int h = w & 1;
            up |= win8_draw(&wp, i + (size_t)w * 8u, w == nwin - 1 ? last : all, full,
                            _mm256_add_ps(_mm256_permutevar8x32_ps(c01, sel0[h]), d[0]),
                            _mm256_add_ps(_mm256_permutevar8x32_ps(c01, sel1[h]), d[1]),
                            _mm256_add_ps(_mm256_permutevar8x32_ps(c2, sel0[h]), d[2]), &kc,
                            cover);
        }
        mark_narrow_row(dlo + y, dhi + y, db, x0, x1, ka, kb, up != 0);
    }
}

/* narrow_256 compiled for each number of windows, with and without coverage. */
#define NARROW_256(name, nwin, cover)                                                        \
    T256 static void name(fb_raster *r, const batch8 *bt, int j, int32_t idv, uint32_t pass, \
                          int x0, int n, int y_lo, int y_hi)                                 \
    {                                                                                        \
        narrow_256(r, bt, j, idv, pass, x0, n, y_lo, y_hi, nwin, cover);                     \
    }
NARROW_256(narrow1_256, 1, false)
NARROW_256(narrow2_256, 2, false)
NARROW_256(narrow3_256, 3, false)
NARROW_256(narrow4_256, 4, false)
NARROW_256(narrow1c_256, 1, true)
NARROW_256(narrow2c_256, 2, true)
NARROW_256(narrow3c_256, 3, true)
NARROW_256(narrow4c_256, 4, true)
#undef NARROW_256

typedef void (*narrow8_fn)(fb_raster *r, const batch8 *bt, int j, int32_t idv, uint32_t pass,
                           int x0, int n, int y_lo, int y_hi);

/* block_least eight lanes at a time. */
T256 static float block_least_256(const fb_raster *r, int y, int k)
{
    const int x0 = k * FB_RASTER_HIZ_PX;
    const float *b = r->inv_z + ((size_t)y * (size_t)r->width + (size_t)x0) * FB_RASTER_SPP;
    if (x0 + FB_RASTER_HIZ_PX > r->width)
        return least(b, (r->width - x0) * FB_RASTER_SPP);
    __m256 m = _mm256_loadu_ps(b);
    for (int i = 8; i < FB_RASTER_HIZ_PX * FB_RASTER_SPP; i += 8)
        m = _mm256_min_ps(m, _mm256_loadu_ps(b + i));
    __m128 h = _mm_min_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_min_ps(h, _mm_movehl_ps(h, h));
    h = _mm_min_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

/* Corner k of triangles t0 .. t0 + nb - 1 (nb <= 8; vertex 0 in the lanes past nb, read and
 * never used), field by field: each vertex's four floats (x, y, inv_z, rad) loaded whole and
 * the eight turned into four registers of eight lanes (a 4 x 4 transpose in each half). */
T256 static inline void corner8(const fb_rvert *v, const uint32_t (*tri)[3], size_t t0, int nb,
                                int k, __m256 f[4])
{
    __m256 q[4];
    for (int j = 0; j < 4; j++) {
        const uint32_t lo = j < nb ? tri[t0 + (size_t)j][k] : 0;
        const uint32_t hi = j + 4 < nb ? tri[t0 + (size_t)j + 4][k] : 0;
        q[j] = _mm256_insertf128_ps(
            _mm256_castps128_ps256(_mm_loadu_ps((const float *)(const void *)&v[lo])),
            _mm_loadu_ps((const float *)(const void *)&v[hi]), 1);
    }
    const __m256 t0l = _mm256_unpacklo_ps(q[0], q[1]), t0h = _mm256_unpackhi_ps(q[0], q[1]);
    const __m256 t1l = _mm256_unpacklo_ps(q[2], q[3]), t1h = _mm256_unpackhi_ps(q[2], q[3]);
    f[0] = _mm256_shuffle_ps(t0l, t1l, _MM_SHUFFLE(1, 0, 1, 0)); /* x */
    f[1] = _mm256_shuffle_ps(t0l, t1l, _MM_SHUFFLE(3, 2, 3, 2)); /* y */
    f[2] = _mm256_shuffle_ps(t0h, t1h, _MM_SHUFFLE(1, 0, 1, 0)); /* inv_z */
    f[3] = _mm256_shuffle_ps(t0h, t1h, _MM_SHUFFLE(3, 2, 3, 2)); /* rad */
}

/* tri16_test in eight lanes: tri_on_image's tests in its operations, lane j for triangle
 * t0 + j, returning the lanes that pass as bits; for those, q holds the corners (b and c
 * swapped in the lanes of q->neg: positive orientation), twice the area and the box. */
typedef struct tri8 {
    __m256 ax, ay, az, ar, bx, by, bz, br, cx, cy, cz, cr, area;
    __m256i x0, x1, y0, y1;
    __m256 neg;
} tri8;

T256 static inline unsigned tri8_test(const fb_rvert *v, const uint32_t (*tri)[3], size_t t0,
                                      int nb, bool cull, int W, int H, const band *bd, tri8 *q)
{
    const __m256 zero = _mm256_setzero_ps();
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(nb), lane); /* lanes < nb */
    __m256 fa[4], fb[4], fc[4];
    corner8(v, tri, t0, nb, 0, fa);
    corner8(v, tri, t0, nb, 1, fb);
    corner8(v, tri, t0, nb, 2, fc);
    const __m256 ax = fa[0], ay = fa[1], az = fa[2], bx = fb[0], by = fb[1], bz = fb[2];
    const __m256 cx = fc[0], cy = fc[1], cz = fc[2];
    /* in front of the camera (its x, y may be anything otherwise) */
    __m256 ok = _mm256_and_ps(_mm256_castsi256_ps(m), _mm256_cmp_ps(az, zero, _CMP_GT_OQ));
    ok = _mm256_and_ps(ok, _mm256_and_ps(_mm256_cmp_ps(bz, zero, _CMP_GT_OQ),
                                         _mm256_cmp_ps(cz, zero, _CMP_GT_OQ)));
    if (!bits8(ok))
        return 0;
    if (bd) { /* no row of it in [lo, hi): tris' test, NaN keeping it as there */
        const __m256 ymax = _mm256_max_ps(ay, _mm256_max_ps(by, cy));
        const __m256 ymin = _mm256_min_ps(ay, _mm256_min_ps(by, cy));
        ok = _mm256_and_ps(ok, _mm256_cmp_ps(ymax, _mm256_set1_ps((float)bd->lo), _CMP_NLT_UQ));
        ok = _mm256_and_ps(ok, _mm256_cmp_ps(ymin, _mm256_set1_ps((float)bd->hi), _CMP_NGE_UQ));
    }
    const __m256 area =
        _mm256_sub_ps(_mm256_mul_ps(_mm256_sub_ps(bx, ax), _mm256_sub_ps(cy, ay)),
                      _mm256_mul_ps(_mm256_sub_ps(cx, ax), _mm256_sub_ps(by, ay)));
    const __m256 neg = _mm256_and_ps(ok, _mm256_cmp_ps(area, zero, _CMP_LT_OQ));
    const __m256 pos = _mm256_and_ps(ok, _mm256_cmp_ps(area, zero, _CMP_GT_OQ));
    ok = cull ? neg : _mm256_or_ps(neg, pos);
    if (!bits8(ok))
        return 0;
    /* positive orientation: b and c swapped where the area was negative */
    q->bz = _mm256_blendv_ps(bz, cz, neg), q->cz = _mm256_blendv_ps(cz, bz, neg);
    q->bx = _mm256_blendv_ps(bx, cx, neg), q->cx = _mm256_blendv_ps(cx, bx, neg);
    q->by = _mm256_blendv_ps(by, cy, neg), q->cy = _mm256_blendv_ps(cy, by, neg);
    q->br = _mm256_blendv_ps(fb[3], fc[3], neg), q->cr = _mm256_blendv_ps(fc[3], fb[3], neg);
    q->ax = ax, q->ay = ay, q->az = az, q->ar = fa[3], q->neg = neg;
    q->area = _mm256_xor_ps(area, _mm256_and_ps(neg, _mm256_set1_ps(-0.0f)));
    const __m256 sbx = q->bx, sby = q->by, scx = q->cx, scy = q->cy;
    const __m256 fx0 = _mm256_min_ps(ax, _mm256_min_ps(sbx, scx));
    const __m256 fx1 = _mm256_max_ps(ax, _mm256_max_ps(sbx, scx));
    const __m256 fy0 = _mm256_min_ps(ay, _mm256_min_ps(sby, scy));
    const __m256 fy1 = _mm256_max_ps(ay, _mm256_max_ps(sby, scy));
    ok = _mm256_and_ps(ok, _mm256_and_ps(_mm256_cmp_ps(fx1, zero, _CMP_GT_OQ),
                                         _mm256_cmp_ps(fy1, zero, _CMP_GT_OQ)));
    ok = _mm256_and_ps(ok, _mm256_and_ps(
                               _mm256_cmp_ps(fx0, _mm256_set1_ps((float)W), _CMP_LT_OQ),
                               _mm256_cmp_ps(fy0, _mm256_set1_ps((float)H), _CMP_LT_OQ)));
    q->x0 = _mm256_cvttps_epi32(_mm256_max_ps(_mm256_floor_ps(fx0), zero));
    q->x1 = _mm256_cvttps_epi32(
        _mm256_min_ps(_mm256_floor_ps(fx1), _mm256_set1_ps((float)(W - 1))));
    q->y0 = _mm256_cvttps_epi32(_mm256_max_ps(_mm256_floor_ps(fy0), zero));
    q->y1 = _mm256_cvttps_epi32(
        _mm256_min_ps(_mm256_floor_ps(fy1), _mm256_set1_ps((float)(H - 1))));
    /* x0 <= x1 and y0 <= y1 */
    const __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi32(q->x0, q->x1),
                                        _mm256_cmpgt_epi32(q->y0, q->y1));
    return bits8(_mm256_andnot_ps(_mm256_castsi256_ps(bad), ok));
}

/* tris_avx512 in eight lanes: eight triangles' tests and setup at once, then, in their order,
 * narrow ones by narrow_256 and the others by tri_draw two pixels a step (pair_draw). */
T256 static size_t tris_avx2(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                             size_t nt, uint16_t owner, const uint8_t *part_of_vertex,
                             uint8_t part, bool cull, bool stamp, const band *bd)
{
    lane_counts lc = {0, 0, 0, 0};
    const int W = r->width, H = r->height;
    const bool banded = bd->lo > 0 || bd->hi < H;
    const __m256 zero = _mm256_setzero_ps(), half = _mm256_set1_ps(0.5f);
    const __m256 bias_k = _mm256_set1_ps(1e-7f);
    batch8 bt;
    static const narrow8_fn narrow_n[4] = {narrow1_256, narrow2_256, narrow3_256, narrow4_256};
    static const narrow8_fn narrow_c[4] = {narrow1c_256, narrow2c_256, narrow3c_256,
                                           narrow4c_256};
    for (size_t t0 = 0; t0 < nt; t0 += 8) {
        const int nb = nt - t0 < 8 ? (int)(nt - t0) : 8;
        tri8 q;
        const unsigned ok = tri8_test(v, tri, t0, nb, cull, W, H, banded ? bd : NULL, &q);
        if (!ok)
            continue;
        const unsigned neg = bits8(q.neg);
        const __m256 ax = q.ax, ay = q.ay, az = q.az, bx = q.bx, by = q.by, bz = q.bz;
        const __m256 cx = q.cx, cy = q.cy, cz = q.cz, area = q.area;
        const __m256i x0 = q.x0, x1 = q.x1, y0 = q.y0, y1 = q.y1;
        const unsigned narrow =
            ok & bits8(_mm256_castsi256_ps(
                     _mm256_cmpgt_epi32(_mm256_set1_epi32(NARROW_PX), _mm256_sub_epi32(x1, x0))));
        if (narrow) { /* the narrow kernel's constants: make_edge and tri_draw, lane by lane */
            const __m256 ar = q.ar, br = q.br, cr = q.cr;
            const __m256 pxa = _mm256_add_ps(_mm256_cvtepi32_ps(x0), half);
            const __m256 P[3][2] = {{bx, by}, {cx, cy}, {ax, ay}}; /* edge k from P[k] ... */
            const __m256 Q[3][2] = {{cx, cy}, {ax, ay}, {bx, by}}; /* ... to Q[k] */
            const __m256 biased = _mm256_mul_ps(bias_k, area);
            for (int k = 0; k < 3; k++) {
                const __m256 A = _mm256_sub_ps(P[k][1], Q[k][1]);
                const __m256 B = _mm256_sub_ps(Q[k][0], P[k][0]);
                const __m256 dx = _mm256_sub_ps(Q[k][0], P[k][0]);
                const __m256 dy = _mm256_sub_ps(Q[k][1], P[k][1]);
                /* top_left: (dy == 0 && dx < 0) || dy > 0 */
                const __m256 tl = _mm256_or_ps(
                    _mm256_cmp_ps(dy, zero, _CMP_GT_OQ),
                    _mm256_and_ps(_mm256_cmp_ps(dy, zero, _CMP_EQ_OQ),
                                  _mm256_cmp_ps(dx, zero, _CMP_LT_OQ)));
                _mm256_storeu_ps(bt.A[k], A);
                _mm256_storeu_ps(bt.B[k], B);
                _mm256_storeu_ps(bt.qy[k], P[k][1]);
                _mm256_storeu_ps(bt.ex[k], _mm256_mul_ps(A, _mm256_sub_ps(pxa, P[k][0])));
                _mm256_storeu_ps(bt.bias[k], _mm256_blendv_ps(biased, zero, tl));
            }
            const __m256 inv_area = _mm256_div_ps(_mm256_set1_ps(1.0f), area);
            _mm256_storeu_ps(bt.kz0, _mm256_mul_ps(_mm256_sub_ps(az, cz), inv_area));
            _mm256_storeu_ps(bt.kz1, _mm256_mul_ps(_mm256_sub_ps(bz, cz), inv_area));
            _mm256_storeu_ps(bt.kr0, _mm256_mul_ps(_mm256_sub_ps(ar, cr), inv_area));
            _mm256_storeu_ps(bt.kr1, _mm256_mul_ps(_mm256_sub_ps(br, cr), inv_area));
            _mm256_storeu_ps(bt.zc, cz);
            _mm256_storeu_ps(bt.rc, cr);
        }
        if (!stamp) { /* tri_zlim, lane by lane */
            const __m256 zmx = _mm256_max_ps(az, _mm256_max_ps(bz, cz));
            const __m256 zmn = _mm256_min_ps(az, _mm256_min_ps(bz, cz));
            const __m256 zl = _mm256_add_ps(
                _mm256_add_ps(zmx, _mm256_mul_ps(_mm256_sub_ps(zmx, zmn), _mm256_set1_ps(0.05f))),
                _mm256_mul_ps(zmx, _mm256_set1_ps(1e-5f)));
            const __m256 big = _mm256_cmp_ps(area, _mm256_set1_ps(1.0f), _CMP_GE_OQ);
            _mm256_storeu_ps(bt.zlim, _mm256_blendv_ps(_mm256_set1_ps(INFINITY), zl, big));
        }
        _mm256_storeu_ps(bt.area, area);
        _mm256_storeu_si256((__m256i *)(void *)bt.x0, x0);
        _mm256_storeu_si256((__m256i *)(void *)bt.x1, x1);
        _mm256_storeu_si256((__m256i *)(void *)bt.y0, y0);
        _mm256_storeu_si256((__m256i *)(void *)bt.y1, y1);
        for (unsigned left = ok; left; left &= left - 1) {
            const int j = __builtin_ctz(left);
            const lane_tri lt = {bt.x0[j], bt.x1[j], bt.y0[j], bt.y1[j], bt.zlim[j], bt.area[j],
                                 narrow >> j & 1u, neg >> j & 1u};
            int32_t idv;
            int y, y_end;
            if (lane_step(r, v, tri, t0 + (size_t)j, &lt, owner, part_of_vertex, part, stamp, 1,
                          bd, block_least_256, &lc, &idv, &y, &y_end)) {
                const int n = lt.x1 - lt.x0 + 1;
                (stamp ? narrow_c : narrow_n)[(n - 1) / 2](r, &bt, j, idv, bd->pass, lt.x0, n,
                                                           y, y_end);
                lc.rows += (uint64_t)(y_end - y + 1);
                lc.px += (uint64_t)(y_end - y + 1) * (uint64_t)n;
            }
        }
    }
    bd->st->tris_drawn += lc.drawn, bd->st->tris_hidden += lc.hidden;
    bd->st->rows += lc.rows, bd->st->px_tested += lc.px;
    return lc.drawn;
}
#endif

/* fb_raster_set_isa: tests compare every path; by default the widest the CPU has */
static fb_isa g_isa = FB_ISA_BEST;

void fb_raster_set_isa(fb_isa isa)
{
    g_isa = isa;
}

/* The widest path the CPU has, up to g_isa. */
static fb_isa path(void)
{
    return fb_isa_widest(g_isa);
}

static size_t tris_band(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                        uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                        bool stamp, const band *bd)
{
    const fb_isa p = path();
#if defined(__x86_64__) && defined(__GNUC__)
    if (p == FB_ISA_AVX512)
        return tris_avx512(r, v, tri, nt, owner, part_of_vertex, part, cull, stamp, bd);
    if (p == FB_ISA_AVX2)
        return tris_avx2(r, v, tri, nt, owner, part_of_vertex, part, cull, stamp, bd);
#endif
    (void)p;
    return tris_c(r, v, tri, nt, owner, part_of_vertex, part, cull, stamp, bd);
}

void fb_raster_cover_begin(fb_raster_cover *c, uint32_t pass)
{
    c->pass = pass;
    c->x0 = c->y0 = INT32_MAX, c->x1 = c->y1 = INT32_MIN;
    c->total = 0;
}

#if FB_RASTER_512
/* stamps_in's rows sixteen samples (four pixels) a step. */
T512 static uint32_t stamps_in_512(const fb_raster *r, const fb_raster_cover *c)
{
    const __m512i pass = _mm512_set1_epi32((int32_t)c->pass);
    const size_t n = (size_t)(c->x1 - c->x0 + 1) * FB_RASTER_SPP;
    const __mmask16 tail = (__mmask16)((1u << (n % 16)) - 1u);
    uint32_t total = 0;
    for (int y = c->y0; y <= c->y1; y++) {
        const uint32_t *st =
            r->stamp + ((size_t)y * (size_t)r->width + (size_t)c->x0) * FB_RASTER_SPP;
        size_t i = 0;
        for (; i + 16 <= n; i += 16)
            total += (uint32_t)__builtin_popcount(
                (unsigned)_mm512_cmpeq_epi32_mask(_mm512_loadu_si512(st + i), pass));
        total += (uint32_t)__builtin_popcount((unsigned)_mm512_mask_cmpeq_epi32_mask(
            tail, _mm512_maskz_loadu_epi32(tail, st + i), pass));
    }
    return total;
}
#endif

/* The samples in c's box that carry its pass's stamp. */
static uint32_t stamps_in(const fb_raster *r, const fb_raster_cover *c)
{
    if (c->x0 > c->x1)
        return 0;
#if FB_RASTER_512
    if (path() == FB_ISA_AVX512)
        return stamps_in_512(r, c);
#endif
    const size_t n = (size_t)(c->x1 - c->x0 + 1) * FB_RASTER_SPP;
    uint32_t total = 0;
    for (int y = c->y0; y <= c->y1; y++) {
        const uint32_t *st =
            r->stamp + ((size_t)y * (size_t)r->width + (size_t)c->x0) * FB_RASTER_SPP;
        for (size_t i = 0; i < n; i++)
            total += st[i] == c->pass;
    }
    return total;
}

/* tris_band, and when stamping, what it covered for the first time in the pass added to
 * *covered: the stamps in the pass's box now, less those there were before. */
static size_t tris_counted(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                           uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                           uint32_t *covered, const band *bd)
{
    const size_t drawn =
        tris_band(r, v, tri, nt, owner, part_of_vertex, part, cull, covered != NULL, bd);
    if (covered) {
        const uint32_t total = stamps_in(r, bd->cover);
        *covered += total - bd->cover->total;
        bd->cover->total = total;
    }
    return drawn;
}

size_t fb_raster_tris(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                      uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                      uint32_t *covered)
{
    if (covered && r->cover.pass != r->pass) /* r->pass set by hand: its count starts now */
        fb_raster_cover_begin(&r->cover, r->pass);
    const band bd = {0, r->height, r->pass, &r->stats, covered ? &r->cover : NULL};
    r->stats.tris_in += nt;
    return tris_counted(r, v, tri, nt, owner, part_of_vertex, part, cull, covered, &bd);
}

size_t fb_raster_tris_rows(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                           uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                           uint32_t *covered, fb_raster_cover *cover, int y_lo, int y_hi,
                           fb_raster_stats *st)
{
    y_lo = y_lo < 0 ? 0 : y_lo, y_hi = y_hi > r->height ? r->height : y_hi;
    if (y_lo >= y_hi)
        return 0;
    const band bd = {y_lo, y_hi, cover ? cover->pass : r->pass, st, covered ? cover : NULL};
    return tris_counted(r, v, tri, nt, owner, part_of_vertex, part, cull, covered, &bd);
}

#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
/* fb_raster_tris_keep sixteen triangles at a time: tris_avx512's tests (tri_on_image's, in its
 * operations) without a band, the kept ones copied in order. */
T512 static size_t keep_avx512(const fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                               size_t nt, bool cull, uint32_t (*kept)[3])
{
    size_t n = 0;
    for (size_t t0 = 0; t0 < nt; t0 += 16) {
        const int nb = nt - t0 < 16 ? (int)(nt - t0) : 16;
        tri16 q;
        for (unsigned left = tri16_test(v, tri, t0, nb, cull, r->width, r->height, NULL, &q);
             left; left &= left - 1) {
            const size_t t = t0 + (size_t)__builtin_ctz(left);
            kept[n][0] = tri[t][0], kept[n][1] = tri[t][1], kept[n][2] = tri[t][2];
            n++;
        }
    }
    return n;
}
#pragma GCC diagnostic pop

/* ... and eight at a time: tris_avx2's tests (tri8_test). */
T256 static size_t keep_avx2(const fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                             size_t nt, bool cull, uint32_t (*kept)[3])
{
    size_t n = 0;
    for (size_t t0 = 0; t0 < nt; t0 += 8) {
        const int nb = nt - t0 < 8 ? (int)(nt - t0) : 8;
        tri8 q;
        for (unsigned left = tri8_test(v, tri, t0, nb, cull, r->width, r->height, NULL, &q);
             left; left &= left - 1) {
            const size_t t = t0 + (size_t)__builtin_ctz(left);
            kept[n][0] = tri[t][0], kept[n][1] = tri[t][1], kept[n][2] = tri[t][2];
            n++;
        }
    }
    return n;
}
#endif

size_t fb_raster_tris_keep(const fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                           size_t nt, bool cull, uint32_t (*kept)[3])
{
#if defined(__x86_64__) && defined(__GNUC__)
    const fb_isa p = path();
    if (p == FB_ISA_AVX512)
        return keep_avx512(r, v, tri, nt, cull, kept);
    if (p == FB_ISA_AVX2)
        return keep_avx2(r, v, tri, nt, cull, kept);
#endif
    size_t n = 0;
    for (size_t t = 0; t < nt; t++) {
        tri_box tb;
        if (!tri_on_image(&v[tri[t][0]], &v[tri[t][1]], &v[tri[t][2]], cull, r->width,
                          r->height, &tb))
            continue;
        kept[n][0] = tri[t][0], kept[n][1] = tri[t][1], kept[n][2] = tri[t][2];
        n++;
    }
    return n;
}

size_t fb_raster_tris_add(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                          uint8_t only_part, bool mirrored)
{
    return fb_raster_tris_add_rows(r, v, tri, nt, only_part, mirrored, 0, r->height);
}

size_t fb_raster_tris_add_rows(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                               size_t nt, uint8_t only_part, bool mirrored, int y_lo, int y_hi)
{
    size_t drawn = 0;
    const int W = r->width, H = r->height;
    y_lo = y_lo < 0 ? 0 : y_lo, y_hi = y_hi > H ? H : y_hi;
    for (size_t t = 0; t < nt; t++) {
        const fb_rvert *a = &v[tri[t][0]], *b = &v[tri[t][1]], *c = &v[tri[t][2]];
        if (!(a->inv_z > 0.0f && b->inv_z > 0.0f && c->inv_z > 0.0f))
            continue;
        float area = (b->x - a->x) * (c->y - a->y) - (c->x - a->x) * (b->y - a->y);
        if (mirrored ? !(area > 0.0f) : !(area < 0.0f))
            continue; /* its back */
        if (area < 0.0f) {
            const fb_rvert *s = b;
            b = c;
            c = s;
            area = -area;
        }
        float fx0 = fmin2(a->x, fmin2(b->x, c->x)), fx1 = fmax2(a->x, fmax2(b->x, c->x));
        float fy0 = fmin2(a->y, fmin2(b->y, c->y)), fy1 = fmax2(a->y, fmax2(b->y, c->y));
        if (!(fx1 > 0.0f && fy1 > 0.0f && fx0 < (float)W && fy0 < (float)H))
            continue;
        int x0 = ifloor(fmax2(fx0, 0.0f)), x1 = ifloor(fmin2(fx1, (float)(W - 1)));
        int y0 = ifloor(fmax2(fy0, 0.0f)), y1 = ifloor(fmin2(fy1, (float)(H - 1)));
        drawn += y0 >= y_lo && y0 < y_hi; /* counted in the band holding its first row */
        /* each row's edge values are computed afresh: a band takes its own rows */
        y0 = y0 > y_lo ? y0 : y_lo, y1 = y1 < y_hi - 1 ? y1 : y_hi - 1;
        if (y0 > y1)
            continue;
        edge e0 = make_edge(b, c, area), e1 = make_edge(c, a, area), e2 = make_edge(a, b, area);
        float inv_area = 1.0f / area;
        float kr0 = (a->rad - c->rad) * inv_area, kr1 = (b->rad - c->rad) * inv_area, rc = c->rad;
        for (int y = y0; y <= y1; y++) {
            float py = (float)y + 0.5f, px = (float)x0 + 0.5f;
            float w0 = edge_at(&e0, px, py), w1 = edge_at(&e1, px, py), w2 = edge_at(&e2, px, py);
            for (int x = x0; x <= x1; x++, w0 += e0.A, w1 += e1.A, w2 += e2.A) {
                v4f W0 = w0 + e0.d, W1 = w1 + e1.d, W2 = w2 + e2.d;
                unsigned in = mask_bits((W0 >= e0.bias) & (W1 >= e1.bias) & (W2 >= e2.bias));
                if (!in)
                    continue;
                size_t i = ((size_t)y * (size_t)W + (size_t)x) * FB_RASTER_SPP;
                for (int s = 0; s < 4; s++) {
                    size_t k = i + (size_t)s;
                    if (!(in >> s & 1u) || (r->id[k] & 0xffu) != only_part || r->rstamp[k] == r->rpass)
                        continue;
                    r->rstamp[k] = r->rpass;
                    r->rad[k] += rc + W0[s] * kr0 + W1[s] * kr1;
                    mark_drawn(r, y, x, x);
                }
            }
        }
    }
    return drawn;
}

void fb_raster_resolve(const fb_raster *r, float *radiance)
{
    fb_raster_resolve_rows(r, radiance, 0, r->height);
}

void fb_raster_resolve_rows(const fb_raster *r, float *radiance, int y_lo, int y_hi)
{
    rows_pass(r, y_lo, y_hi, radiance, NULL, false);
}

/* n samples of one id counted. */
static inline void count_add(const fb_raster_tally *ct, uint32_t id, uint32_t n)
{
    uint16_t o = (uint16_t)(id >> 8);
    if (o == 0 || n == 0)
        return;
    if (o == ct->extra_owner) {
        *ct->extra_count += n;
    } else if ((size_t)o <= ct->n_owner) {
        ct->count[o - 1] += n;
        if (ct->is_head[id & 0xffu])
            ct->head_count[o - 1] += n;
    }
}

static inline v4i splat4i(uint32_t x)
{
    return (v4i){(int32_t)x, (int32_t)x, (int32_t)x, (int32_t)x};
}

/* A pixel's four ids (id) added to the run of id *cur, run samples long so far: a pixel that
 * carries the run's id is one compare; where the id changes, the run ends and is counted.
 * Returns the run's new length (*cur: its id). */
static inline uint32_t count_px(const uint32_t *id, uint32_t *cur, uint32_t run,
                                const fb_raster_tally *ct)
{
    if (mask_bits(*(const v4i *)(const void *)id == splat4i(*cur)) == 0xFu)
        return run + FB_RASTER_SPP;
    for (int s = 0; s < FB_RASTER_SPP; s++) {
        if (id[s] == *cur) {
            run++;
            continue;
        }
        count_add(ct, *cur, run);
        *cur = id[s];
        run = 1;
    }
    return run;
}

/* Four pixels' samples s[0..16) averaged into out[0..4): 0.25 ((s0 + s1) + (s2 + s3)) each, the
 * same additions in the same order as one pixel at a time, so the same bits. */
static inline void resolve4(const float *s, float *out)
{
    const v4f *q = (const v4f *)(const void *)s;
#if defined(__SSE__)
    /* pairs of the pixels 0 and 1, then 2 and 3: (s0 + s1, s2 + s3) each ... */
    __m128 h01 = _mm_add_ps(_mm_shuffle_ps((__m128)q[0], (__m128)q[1], _MM_SHUFFLE(2, 0, 2, 0)),
                            _mm_shuffle_ps((__m128)q[0], (__m128)q[1], _MM_SHUFFLE(3, 1, 3, 1)));
    __m128 h23 = _mm_add_ps(_mm_shuffle_ps((__m128)q[2], (__m128)q[3], _MM_SHUFFLE(2, 0, 2, 0)),
                            _mm_shuffle_ps((__m128)q[2], (__m128)q[3], _MM_SHUFFLE(3, 1, 3, 1)));
    /* ... then each pixel's two pair sums added */
    __m128 px = _mm_add_ps(_mm_shuffle_ps(h01, h23, _MM_SHUFFLE(2, 0, 2, 0)),
                           _mm_shuffle_ps(h01, h23, _MM_SHUFFLE(3, 1, 3, 1)));
    _mm_storeu_ps(out, _mm_mul_ps(px, _mm_set1_ps(0.25f)));
#else
    for (int p = 0; p < 4; p++)
        out[p] = 0.25f * ((q[p][0] + q[p][1]) + (q[p][2] + q[p][3]));
#endif
}

/* Samples [a, b) of one row (whole pixels, a drawn-over run) in one pass, four pixels (a 64-byte
 * line of each array) at a time: counted (ct not NULL), resolved into out (not NULL: the pixel
 * of sample a) and restored to the static layer (restore), each line's ids and radiances read
 * once before the static layer's are written over them. */
static void finish_run(const fb_raster *r, size_t a, size_t b, float *out,
                       const fb_raster_tally *ct, bool restore, const uint32_t *blk_id)
{
    uint32_t cur = r->id[a], run = 0;
    size_t i = a;
    for (; i + 4 * FB_RASTER_SPP <= b; i += 4 * FB_RASTER_SPP) {
        const uint32_t *id = r->id + i;
        if (ct) {
            const v4i *q = (const v4i *)(const void *)id, c = splat4i(cur);
            if (mask_bits(((q[0] ^ c) | (q[1] ^ c) | (q[2] ^ c) | (q[3] ^ c)) == 0) == 0xFu)
                run += 4 * FB_RASTER_SPP;
            else
                for (int p = 0; p < 4; p++)
                    run = count_px(id + p * FB_RASTER_SPP, &cur, run, ct);
        }
        if (out)
            resolve4(r->rad + i, out + (i - a) / FB_RASTER_SPP);
        if (restore) {
            memcpy(r->inv_z + i, r->bg_inv_z + i, 4 * FB_RASTER_SPP * sizeof(float));
            memcpy(r->rad + i, r->bg_rad + i, 4 * FB_RASTER_SPP * sizeof(float));
            const uint32_t same = blk_id[(i - a) / (FB_RASTER_BLOCK_PX * FB_RASTER_SPP)];
            if (same != UINT32_MAX) {
                v4i *q = (v4i *)(void *)(r->id + i);
                q[0] = q[1] = q[2] = q[3] = splat4i(same);
            } else {
                memcpy(r->id + i, r->bg_id + i, 4 * FB_RASTER_SPP * sizeof(uint32_t));
            }
        }
    }
    for (; i < b; i += FB_RASTER_SPP) { /* the image's last pixels, when its width is not a
                                         * multiple of four */
        if (ct)
            run = count_px(r->id + i, &cur, run, ct);
        if (out) {
            const float *s = r->rad + i;
            out[(i - a) / FB_RASTER_SPP] = 0.25f * ((s[0] + s[1]) + (s[2] + s[3]));
        }
        if (restore) {
            memcpy(r->inv_z + i, r->bg_inv_z + i, FB_RASTER_SPP * sizeof(float));
            memcpy(r->rad + i, r->bg_rad + i, FB_RASTER_SPP * sizeof(float));
            memcpy(r->id + i, r->bg_id + i, FB_RASTER_SPP * sizeof(uint32_t));
        }
    }
    if (ct)
        count_add(ct, cur, run);
}

/* Restoring, resolving and counting share this pass over the rows' drawn-over runs: any of
 * resolving (radiance not NULL; the static layer's pixels around the runs unless radiance is
 * bg_pixels itself), counting (ct not NULL) and restoring (restore: then the rows are marked as
 * holding the static layer). r is const for the callers that only read (fb_raster_count_rows,
 * fb_raster_resolve_rows); its arrays are written only when restore is true, for callers that
 * hold r writable (fb_raster_restore_rows, fb_raster_finish_rows). */
static void rows_pass(const fb_raster *r, int y_lo, int y_hi, float *radiance,
                      const fb_raster_tally *ct, bool restore)
{
    y_lo = y_lo < 0 ? 0 : y_lo, y_hi = y_hi > r->height ? r->height : y_hi;
    const bool bg_around = radiance && radiance != r->bg_pixels;
    const size_t W = (size_t)r->width;
    for (int y = y_lo; y < y_hi; y++) {
        float *out = radiance ? radiance + (size_t)y * W : NULL;
        const float *bg = r->bg_pixels + (size_t)y * W;
        int x = 0;
        for (int lo, hi; r->dirty_lo[y] < r->dirty_hi[y] && drawn_run(r, y, x, &lo, &hi); x = hi) {
            if (bg_around)
                memcpy(out + x, bg + x, (size_t)(lo - x) * sizeof(float));
            const size_t row = (size_t)y * W;
            finish_run(r, (row + (size_t)lo) * FB_RASTER_SPP, (row + (size_t)hi) * FB_RASTER_SPP,
                       out ? out + lo : NULL, ct, restore,
                       r->bg_blk_id + (size_t)y * (size_t)r->blk_per_row +
                           (size_t)(lo / FB_RASTER_BLOCK_PX));
        }
        if (bg_around)
            memcpy(out + x, bg + x, (size_t)(r->width - x) * sizeof(float));
    }
    if (!restore || y_hi <= y_lo)
        return;
    for (int y = y_lo; y < y_hi; y++) {
        r->dirty_lo[y] = r->width;
        r->dirty_hi[y] = 0;
    }
    memset(r->dirty_blk + (size_t)y_lo * (size_t)r->blk_per_row, 0,
           (size_t)(y_hi - y_lo) * (size_t)r->blk_per_row);
    hiz_reset(r, y_lo, y_hi);
}

void fb_raster_count(const fb_raster *r, size_t n_owner, uint32_t *count, uint32_t *head_count,
                     bool (*head)(uint8_t part), uint16_t extra_owner, uint32_t *extra_count)
{
    fb_raster_count_rows(r, 0, r->height, n_owner, count, head_count, head, extra_owner,
                         extra_count);
}

void fb_raster_count_rows(const fb_raster *r, int y_lo, int y_hi, size_t n_owner,
                          uint32_t *count, uint32_t *head_count, bool (*head)(uint8_t part),
                          uint16_t extra_owner, uint32_t *extra_count)
{
    bool is_head[256];
    for (int p = 0; p < 256; p++)
        is_head[p] = head((uint8_t)p);
    const fb_raster_tally ct = {n_owner, count, head_count, is_head, extra_owner, extra_count};
    rows_pass(r, y_lo, y_hi, NULL, &ct, false);
}

void fb_raster_finish_rows(fb_raster *r, int y_lo, int y_hi, float *radiance,
                           const fb_raster_tally *tally, bool restore)
{
    rows_pass(r, y_lo, y_hi, radiance, tally, restore);
}

long fb_raster_sample_at(const fb_raster *r, double u_px, double v_px)
{
    if (!(u_px >= 0 && v_px >= 0 && u_px < r->width && v_px < r->height))
        return -1;
    size_t px = (size_t)u_px, py = (size_t)v_px;
    float fx = (float)(u_px - (double)px) - 0.5f, fy = (float)(v_px - (double)py) - 0.5f;
    int best = 0;
    float bd = INFINITY;
    for (int s = 0; s < 4; s++) {
        float dx = fx - SAMPLE_DX[s], dy = fy - SAMPLE_DY[s];
        if (dx * dx + dy * dy < bd) {
            bd = dx * dx + dy * dy;
            best = s;
        }
    }
    return (long)((py * (size_t)r->width + px) * FB_RASTER_SPP + (size_t)best);
}
