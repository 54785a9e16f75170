/* test_render2d.c — the flat painter (render2d.c) bit for bit against its legacy loops, and its
 * instances against each other on real frames. Random rectangles and ellipses of every size
 * (under a pixel to wider than the image, half off it, edges on the 1/8-pixel grid where sums
 * tie), scalar, AVX2 and AVX-512 paths: every radiance float and owner id equal; whole template
 * frames of shipped scenarios: images, owners and truth equal on every path. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../models/fb_error.h"
#include "../../sim/world/render2d.h"
#include "../fbtest.h"
#include "scenario/catalog.h"

/* ---- the painter as it was before its rows and columns were hoisted (commit 37a6f67) ---- */
/* An ellipse's sample rows in one pixel row y: ny^2 of the n sample rows (n <= 8). */
static void ref_sample_rows(double y, double cy, double hh, int n, double ny2[8])
{
    double step = 1.0 / n;
    for (int j = 0; j < n; j++) {
        double ny = (y + (j + 0.5) * step - cy) / hh;
        ny2[j] = ny * ny;
    }
}

/* Share of pixel [x, x+1) x [y, y+1) inside the ellipse, by n x n point sampling (n <= 8):
 * a sample counts when nx^2 + ny^2 <= 1, its rows' ny^2 from ref_sample_rows (once per pixel row),
 * its columns' nx^2 once per pixel. */
static float ref_ellipse_sampled(double x, const double ny2[8], double cx, double hw, int n)
{
    double step = 1.0 / n, nx2[8];
    for (int i = 0; i < n; i++) {
        double nx = (x + (i + 0.5) * step - cx) / hw;
        nx2[i] = nx * nx;
    }
    int inside = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            inside += nx2[i] + ny2[j] <= 1.0;
    return (float)inside / (float)(n * n);
}

/* Blends coverage c of radiance rad into one pixel; half-covered pixels change owner. */
static inline void ref_blend(float *px, uint16_t *own, float c, float rad, uint16_t owner)
{
    *px += c * (rad - *px);
    if (c >= 0.5f)
        *own = owner;
}

/* Fills pixels [x0, x1) of a row with full coverage: plain stores, vectorisable. */
static inline void ref_fill_span(float *row, uint16_t *own, int x0, int x1, float rad,
                                 uint16_t owner)
{
    for (int x = x0; x < x1; x++)
        row[x] = rad;
    for (int x = x0; x < x1; x++)
        own[x] = owner;
}

/* Half-width of the ellipse's chord at height y (0 outside). */
static double ref_chord(double y, double cy, double hw, double hh)
{
    double ny = (y - cy) / hh;
    double q = 1.0 - ny * ny;
    return q > 0 ? hw * sqrt(q) : 0.0;
}

/* Paints one shape (centre and half extents in pixels) with radiance rad, weighting each
 * pixel by the share of its area the shape covers (exact for rectangles; for ellipses exact
 * inside, sampled 4x4 on the boundary, 8x8 for shapes under 2 px). Pixels covered at least
 * half get owner id (0 clears ownership: the shape occludes heads behind it). */
static void ref_paint(fb_render2d *r, fb_shape_kind kind, double cx, double cy, double hw,
                      double hh, float rad, uint16_t owner)
{
    if (!(hw > 0 && hh > 0))
        return;
    double x0 = cx - hw, x1 = cx + hw, y0 = cy - hh, y1 = cy + hh;
    int iy0 = (int)floor(fmax(y0, 0.0));
    int iy1 = (int)ceil(fmin(y1, (double)r->height));
    if (x1 <= 0 || x0 >= r->width || iy0 >= iy1)
        return;
    int n_samples = fmin(hw, hh) < 2.0 ? 8 : 4;
    for (int py = iy0; py < iy1; py++) {
        float *row = r->radiance + (size_t)py * (size_t)r->width;
        uint16_t *own = r->owner + (size_t)py * (size_t)r->width;
        double lo, hi, in_lo, in_hi; /* touched span and fully covered span, in x */
        double ny2[8]; /* an ellipse's sample rows in this pixel row */
        float cov_y = 1.0f;
        if (kind == FB_SHAPE_RECT) {
            cov_y = (float)(fmin(py + 1.0, y1) - fmax((double)py, y0));
            lo = x0;
            hi = x1;
            in_lo = x0;
            in_hi = x1;
        } else {
            ref_sample_rows(py, cy, hh, n_samples, ny2);
            double ca = ref_chord(py, cy, hw, hh), cb = ref_chord(py + 1.0, cy, hw, hh);
            double cmax = (cy >= py && cy <= py + 1.0) ? hw : fmax(ca, cb);
            double cmin = fmin(ca, cb);
            lo = cx - cmax;
            hi = cx + cmax;
            in_lo = cx - cmin;
            in_hi = cx + cmin;
        }
        int a = (int)floor(fmax(lo, 0.0)), b = (int)ceil(fmin(hi, (double)r->width));
        int ia = (int)ceil(fmax(in_lo, 0.0)), ib = (int)floor(fmin(in_hi, (double)r->width));
        if (ib < ia)
            ia = ib = a; /* no fully covered pixel in this row */
        for (int px = a; px < b; px++) {
            if (px == ia && ib > ia) {
                if (cov_y >= 1.0f)
                    ref_fill_span(row, own, ia, ib, rad, owner);
                else
                    for (int x = ia; x < ib; x++)
                        ref_blend(&row[x], &own[x], cov_y, rad, owner);
                px = ib - 1;
                continue;
            }
            float c;
            if (kind == FB_SHAPE_RECT)
                c = (float)(fmin(px + 1.0, x1) - fmax((double)px, x0)) * cov_y;
            else
                c = ref_ellipse_sampled(px, ny2, cx, hw, n_samples);
            if (c > 0.0f)
                ref_blend(&row[px], &own[px], c, rad, owner);
        }
    }
}

/* ---- the comparison ---- */

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Uniform in [lo, hi); with probability 1/3 snapped to the 1/8-pixel grid, where an ellipse's
 * sample sums can land exactly on 1 and a rectangle's shares exactly on 1/2 and 1. */
static double uni(uint32_t *s, double lo, double hi)
{
    double v = lo + (hi - lo) * (double)lcg(s) / (double)(1u << 24);
    return lcg(s) % 3 == 0 ? floor(v * 8.0) / 8.0 : v;
}

/* A half extent of one of four size classes: under a pixel, around the 2 px where ellipses
 * change from 8x8 to 4x4 samples, a head's, wider than the image. */
static double half_extent(uint32_t *s, int width)
{
    switch (lcg(s) % 4) {
    case 0: return uni(s, 0.01, 1.0);
    case 1: return uni(s, 1.0, 3.0);
    case 2: return uni(s, 3.0, 25.0);
    default: return uni(s, 25.0, 1.5 * width);
    }
}

/* Pixels of the two images that differ in radiance bits or owner. */
static int differing(const fb_render2d *a, const fb_render2d *b)
{
    int differ = 0;
    for (size_t i = 0; i < (size_t)a->width * (size_t)a->height; i++)
        differ += memcmp(&a->radiance[i], &b->radiance[i], sizeof(float)) != 0 ||
                  a->owner[i] != b->owner[i];
    return differ;
}

/* Paints the same n_shapes random shapes on a random background with the legacy loops and
 * with the painter (on its instance isa, or the next narrower one the CPU has), comparing
 * after each (a later shape may cover a difference); returns the shapes after which the two
 * differ. */
static int compare(int width, int height, uint32_t seed, int n_shapes, fb_isa isa)
{
    const uint32_t seed0 = seed;
    int bad = 0;
    fb_render2d ref, cur;
    CHECK_EQ_INT(fb_render2d_init(&ref, width, height, 4), FB_OK);
    CHECK_EQ_INT(fb_render2d_init(&cur, width, height, 4), FB_OK);
    size_t npx = (size_t)width * (size_t)height;
    for (size_t i = 0; i < npx; i++) {
        ref.radiance[i] = (float)uni(&seed, 1.0, 60.0);
        ref.owner[i] = (uint16_t)(lcg(&seed) & 0xffff);
    }
    memcpy(cur.radiance, ref.radiance, npx * sizeof(*ref.radiance));
    memcpy(cur.owner, ref.owner, npx * sizeof(*ref.owner));
    fb_render2d_set_isa(isa);
    for (int k = 0; k < n_shapes; k++) {
        fb_shape_kind kind = lcg(&seed) % 2 ? FB_SHAPE_ELLIPSE : FB_SHAPE_RECT;
        double hw = half_extent(&seed, width), hh = half_extent(&seed, width);
        if (lcg(&seed) % 50 == 0) /* degenerate: nothing painted, by both */
            hw = -hw;
        double cx = uni(&seed, -0.5 * width, 1.5 * width);
        double cy = uni(&seed, -0.5 * height, 1.5 * height);
        float rad = (float)uni(&seed, 1.0, 60.0);
        uint16_t owner = (uint16_t)(lcg(&seed) & 0xffff);
        ref_paint(&ref, kind, cx, cy, hw, hh, rad, owner);
        fb_render2d_paint(&cur, kind, cx, cy, hw, hh, rad, owner);
        int d = differing(&ref, &cur);
        if (d && !bad++)
            printf("%dx%d seed %u shape %d: %s (%.17g, %.17g) half %.17g x %.17g: %d pixels "
                   "differ\n", width, height, seed0, k, kind ? "ellipse" : "rect", cx, cy, hw,
                   hh, d);
        if (d) { /* go on from equal images */
            memcpy(ref.radiance, cur.radiance, npx * sizeof(*ref.radiance));
            memcpy(ref.owner, cur.owner, npx * sizeof(*ref.owner));
        }
    }
    fb_render2d_set_isa(FB_ISA_BEST);
    fb_render2d_free(&ref);
    fb_render2d_free(&cur);
    return bad;
}

/* The frames' truth as painted (fb_render2d_frame's outputs besides the image). */
static bool same_truth(const fb_render2d *a, const fb_render2d *b, const fb_subject_geo *ga,
                       const fb_subject_geo *gb, size_t n)
{
    return memcmp(a->visible_px, b->visible_px, n * sizeof(*a->visible_px)) == 0 &&
           memcmp(a->canthus_visible, b->canthus_visible, n * sizeof(*a->canthus_visible)) == 0 &&
           memcmp(ga, gb, n * sizeof(*ga)) == 0 && a->bb_full_px == b->bb_full_px &&
           a->bb_visible_px == b->bb_visible_px;
}

/* Scenario name's template people frames 0, step, 2 step, ... below n_frames (on camera
 * profile camera unless NULL), painted by the scalar instance and by each wide one the CPU
 * has: returns the frames whose image, owners or truth differ on some path. */
static int frames_agree(const char *name, const char *camera, uint32_t n_frames, uint32_t step)
{
    char err[512];
    fb_scenario sc;
    int bad = 0;
    CHECK_EQ_INT(fb_catalog_load(name, &sc, err, sizeof(err)), 0);
    if (camera) {
        uint64_t hash;
        CHECK_EQ_INT(fb_catalog_camera(camera, &sc.camera, &hash, err, sizeof(err)), 0);
    }
    sc.people_3d = false;
    fb_world w;
    CHECK_EQ_INT(fb_world_init(&w, &sc, err, sizeof(err)), FB_OK);
    const size_t cap = 64;
    fb_render2d r[3];
    fb_subject_geo *geo[3];
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(fb_render2d_init(&r[i], sc.camera.width, sc.camera.height, cap), FB_OK);
        geo[i] = calloc(cap, sizeof(*geo[i]));
        CHECK(geo[i] != NULL);
    }
    size_t npx = (size_t)sc.camera.width * (size_t)sc.camera.height;
    uint32_t painted = 0;
    for (uint32_t f = 0; f < n_frames && geo[0] && geo[1] && geo[2]; f += step) {
        fb_world_step(&w, f);
        size_t n = w.n_truth < cap ? w.n_truth : cap;
        for (int i = 0; i < 3; i++) {
            fb_render2d_set_isa((fb_isa)i); /* C, AVX2, AVX-512 */
            memset(geo[i], 0, cap * sizeof(*geo[i]));
            fb_render2d_frame(&r[i], &w, geo[i]);
        }
        for (int i = 1; i < 3; i++)
            if (memcmp(r[0].radiance, r[i].radiance, npx * sizeof(float)) != 0 ||
                memcmp(r[0].owner, r[i].owner, npx * sizeof(uint16_t)) != 0 ||
                !same_truth(&r[0], &r[i], geo[0], geo[i], n)) {
                if (!bad++)
                    printf("%s%s%s frame %u: instance %d differs from the scalar one\n", name,
                           camera ? " --camera " : "", camera ? camera : "", f, i);
            }
        painted += n > 0;
        fb_world_finish_truth(&w, geo[0]);
    }
    fb_render2d_set_isa(FB_ISA_BEST);
    printf("%s%s%s: %u frames with people compared\n", name, camera ? " --camera " : "",
           camera ? camera : "", painted);
    CHECK(painted > 0);
    for (int i = 0; i < 3; i++) {
        fb_render2d_free(&r[i]);
        free(geo[i]);
    }
    fb_world_free(&w);
    fb_scenario_free(&sc);
    return bad;
}

int main(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    const bool avx2 = __builtin_cpu_supports("avx2");
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
#else
    const bool avx2 = false, avx512 = false;
#endif
    printf("AVX2 path: %s\n", avx2 ? "compared" : "this CPU lacks it (scalar compared again)");
    printf("AVX-512 path: %s\n",
           avx512 ? "compared" : "this CPU lacks it (its fallback compared again)");
    for (int isa = FB_ISA_C; isa <= FB_ISA_AVX512; isa++) {
        /* a small image, most shapes half off it; the benchmark's; a wide one */
        CHECK_EQ_INT(compare(13, 9, 1u, 4000, (fb_isa)isa), 0);
        CHECK_EQ_INT(compare(256, 192, 2u, 3000, (fb_isa)isa), 0);
        CHECK_EQ_INT(compare(640, 480, 3u, 600, (fb_isa)isa), 0);
    }
    /* real frames: ten people in view; blackbody, cover and ellipse distractors; 640 x 512 */
    CHECK_EQ_INT(frames_agree("crowd", NULL, 1500, 1), 0);
    CHECK_EQ_INT(frames_agree("distractors", NULL, 1800, 3), 0);
    CHECK_EQ_INT(frames_agree("crowd", "core-640", 900, 3), 0);
    return FBTEST_END();
}
