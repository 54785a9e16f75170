/* test_raster.c — the rasteriser: a hand-worked rectangle (coverage, top-left rule, resolve), the eight- and sixteen-lane loops equal to the four-lane one bit for bit (eight and sixteen triangles' tests and setup at once included, each wide path the CPU has, and the narrow kernels on every box size at the image's edges), the drawn-over blocks that restore, resolve and count visit, the count by runs against a count sample by sample, counting, resolving and restoring in one pass against the three worked out sample by sample, and row bands (one thread or several) equal to the whole draw bit for bit. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../models/fb_error.h"
#include "../../sim/world/drawlist.h"
#include "../../sim/world/raster.h"
#include "../../sim/util/pool.h"
#include "../fbtest.h"

/* The wide path the comparisons set against the scalar loop: main runs them once for each the
 * CPU has (AVX2: eight triangles at once, AVX-512: sixteen). */
static fb_isa g_wide = FB_ISA_AVX512;

/* Two triangles sharing a diagonal make the rectangle of pixels x in [2, 10), y in [3, 7): every
 * sample offset lies strictly inside its pixel, so each of the 32 pixels' 4 samples is covered
 * exactly once (the shared edge belongs to one triangle only) and nothing outside. */
/* A band's own count of pass `pass`, begun afresh (each band below draws a pass once). */
static fb_raster_cover *band_cover(fb_raster_cover *c, uint32_t pass)
{
    fb_raster_cover_begin(c, pass);
    return c;
}

static void hand_worked(bool simd)
{
    fb_raster r;
    CHECK_EQ_INT(fb_raster_init(&r, 16, 12), 0);
    fb_raster_set_isa(simd ? g_wide : FB_ISA_C);
    fb_raster_begin(&r);
    fb_rvert v[4] = {{2, 3, 0.5f, 5.0f}, {10, 3, 0.5f, 5.0f}, {10, 7, 0.5f, 5.0f}, {2, 7, 0.5f, 5.0f}};
    const uint32_t tri[2][3] = {{0, 1, 2}, {0, 2, 3}};
    uint32_t covered = 0;
    fb_raster_new_pass(&r);
    CHECK_EQ_INT(fb_raster_tris(&r, v, tri, 2, 7, NULL, 3, false, &covered), 2);
    CHECK_EQ_INT(covered, 32 * 4);
    float img[16 * 12];
    fb_raster_resolve(&r, img);
    int inside = 0, wrong = 0;
    for (int y = 0; y < 12; y++)
        for (int x = 0; x < 16; x++) {
            bool in = x >= 2 && x < 10 && y >= 3 && y < 7;
            inside += in;
            wrong += img[y * 16 + x] != (in ? 5.0f : 0.0f);
            size_t i = ((size_t)y * 16 + (size_t)x) * FB_RASTER_SPP;
            wrong += fb_raster_owner(&r, i) != (in ? 7 : 0) || fb_raster_part(&r, i) != (in ? 3 : 0);
        }
    CHECK_EQ_INT(inside, 32);
    CHECK_EQ_INT(wrong, 0);
    /* A pass counts a sample once over all its calls: the rectangle again adds nothing, one
     * over x in [8, 12) adds its 8 pixels outside it (behind it: coverage ignores depth) ... */
    CHECK_EQ_INT(fb_raster_tris(&r, v, tri, 2, 7, NULL, 3, false, &covered), 2);
    CHECK_EQ_INT(covered, 32 * 4);
    fb_rvert w[4] = {{8, 3, 0.25f, 1.0f}, {12, 3, 0.25f, 1.0f}, {12, 7, 0.25f, 1.0f},
                     {8, 7, 0.25f, 1.0f}};
    CHECK_EQ_INT(fb_raster_tris(&r, w, tri, 2, 7, NULL, 3, false, &covered), 2);
    CHECK_EQ_INT(covered, 40 * 4);
    /* ... a new pass counts afresh, and so does a band's own count kept across its calls */
    uint32_t again = 0, band = 0;
    fb_raster_new_pass(&r);
    CHECK_EQ_INT(fb_raster_tris(&r, w, tri, 2, 7, NULL, 3, false, &again), 2);
    CHECK_EQ_INT(again, 16 * 4);
    fb_raster_cover cv;
    fb_raster_cover_begin(&cv, fb_raster_new_pass(&r));
    fb_raster_stats st = {0, 0, 0, 0, 0};
    for (int k = 0; k < 2; k++) { /* rows 4 and 5 of both rectangles: 10 pixels */
        fb_raster_tris_rows(&r, v, tri, 2, 7, NULL, 3, false, &band, &cv, 4, 6, &st);
        fb_raster_tris_rows(&r, w, tri, 2, 7, NULL, 3, false, &band, &cv, 4, 6, &st);
    }
    CHECK_EQ_INT(band, 20 * 4);
    fb_raster_free(&r);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static float uni(uint32_t *s, float lo, float hi)
{
    return lo + (hi - lo) * (float)lcg(s) / (float)(1u << 24);
}

/* Path k of a comparison (0 the scalar loop, 1 the wide path g_wide) on raster r, begun afresh
 * with a coverage pass of its own and zeroed counters; returns the pass. */
static uint32_t begin_path(fb_raster *r, int k, fb_raster_stats *st)
{
    fb_raster_set_isa(k ? g_wide : FB_ISA_C);
    fb_raster_begin(r);
    memset(st, 0, sizeof(*st));
    return fb_raster_new_pass(r);
}

/* Many random triangles (spans of every length, odd and even, clipped at the borders, thin and
 * wide) drawn with both loops: the same buffers, bit for bit. */
static int same_raster(const fb_raster *a, const fb_raster *b);

static void both_loops_agree(void)
{
    enum { W = 97, H = 61, NV = 900, NT = 300 };
    fb_rvert *v = malloc(NV * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    fb_raster a, b;
    CHECK(v && tri);
    CHECK_EQ_INT(fb_raster_init(&a, W, H), 0);
    CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
    uint32_t seed = 12345;
    for (int i = 0; i < NV; i++) {
        float size = i % 3 == 0 ? 40.0f : i % 3 == 1 ? 6.0f : 1.5f;
        float cx = uni(&seed, -10, W + 10), cy = uni(&seed, -10, H + 10);
        v[i] = (fb_rvert){cx + uni(&seed, -size, size), cy + uni(&seed, -size, size),
                          uni(&seed, 0.1f, 2.0f), uni(&seed, -3.0f, 30.0f)};
    }
    for (int t = 0; t < NT; t++)
        for (int j = 0; j < 3; j++)
            tri[t][j] = (uint32_t)(3 * t + j);
    /* keep each triangle compact: its vertices near its first */
    for (int t = 0; t < NT; t++) {
        float size = t % 3 == 0 ? 30.0f : t % 3 == 1 ? 5.0f : 1.2f;
        for (int j = 1; j < 3; j++) {
            v[3 * t + j].x = v[3 * t].x + uni(&seed, -size, size);
            v[3 * t + j].y = v[3 * t].y + uni(&seed, -size, size);
        }
    }
    size_t n = (size_t)W * H * FB_RASTER_SPP;
    /* the four-lane loop against the eight-lane one, then against the sixteen-lane one (each
     * where the CPU has it; otherwise the next narrower path runs and the check still holds) */
    for (int run = 0; run < 6; run++) {
        int pass = run % 3;
        fb_isa isa = run < 3 ? FB_ISA_AVX2 : FB_ISA_AVX512;
        uint32_t ca = 0, cb = 0;
        fb_raster_set_isa(FB_ISA_C);
        fb_raster_begin(&a);
        fb_raster_new_pass(&a);
        size_t da = fb_raster_tris(&a, v, (const uint32_t(*)[3])tri, NT, (uint16_t)(pass + 1),
                                   NULL, 9, pass == 1, pass == 2 ? NULL : &ca);
        fb_raster_set_isa(isa);
        fb_raster_begin(&b);
        fb_raster_new_pass(&b);
        size_t db = fb_raster_tris(&b, v, (const uint32_t(*)[3])tri, NT, (uint16_t)(pass + 1),
                                   NULL, 9, pass == 1, pass == 2 ? NULL : &cb);
        CHECK_EQ_INT(da, db);
        CHECK(da > (pass == 1 ? 50u : 100u)); /* culled: about half */
        CHECK_EQ_INT(ca, cb);
        CHECK(pass == 2 || ca > 1000);
        CHECK(memcmp(a.inv_z, b.inv_z, n * sizeof(float)) == 0);
        CHECK(memcmp(a.rad, b.rad, n * sizeof(float)) == 0);
        CHECK(memcmp(a.id, b.id, n * sizeof(uint32_t)) == 0);
        CHECK(memcmp(a.stamp, b.stamp, n * sizeof(uint32_t)) == 0);
        for (int y = 0; y < H; y++)
            CHECK(a.dirty_lo[y] == b.dirty_lo[y] && a.dirty_hi[y] == b.dirty_hi[y]);
        CHECK(memcmp(a.dirty_blk, b.dirty_blk, (size_t)H * (size_t)a.blk_per_row) == 0);
    }
    fb_raster_set_isa(FB_ISA_BEST);
    fb_raster_free(&a);
    fb_raster_free(&b);
    free(v);
    free(tri);
}

/* The sixteen-lane path tests and sets up sixteen triangles at once: batches mixing what it must
 * skip (a vertex behind the camera, at it, or not a number; no area; off the image; backs) with
 * what it draws (a mesh of shared edges through pixel centres, where the top-left rule decides,
 * narrow and wide triangles, each its part from its first vertex), lists of every length 1..40
 * (a batch's partial tail), whole and in bands of rows: every buffer and counter as the four-lane
 * loop leaves them, bit for bit. */
static void batches_agree(void)
{
    enum { W = 53, H = 41, NG = 9, NT = 2 * NG * NG + 64 };
    enum { NV = (NG + 1) * (NG + 1) + 3 * 64 };
    fb_rvert *v = malloc(NV * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    uint8_t *part = malloc(NV);
    CHECK(v && tri && part);
    uint32_t seed = 4242;
    int nv = 0, nt = 0;
    /* a grid of 5 x 4.5 px cells, alternate diagonals */
    for (int j = 0; j <= NG; j++)
        for (int i = 0; i <= NG; i++) {
            /* x and y on sample offsets (x.375, y.125 / y.625): samples on the edges */
            v[nv] = (fb_rvert){-1.625f + 5.0f * (float)i, -1.875f + 4.5f * (float)j,
                               0.5f + 0.01f * (float)(i + j), (float)(i * j)};
            part[nv++] = (uint8_t)(i % 4 + 1);
        }
    for (int j = 0; j < NG; j++)
        for (int i = 0; i < NG; i++) {
            uint32_t a = (uint32_t)(j * (NG + 1) + i), b = a + 1, c = a + NG + 1, d = c + 1;
            if ((i + j) % 2) {
                tri[nt][0] = a, tri[nt][1] = b, tri[nt++][2] = d;
                tri[nt][0] = a, tri[nt][1] = d, tri[nt++][2] = c;
            } else { /* wound the other way: backs when culling */
                tri[nt][0] = a, tri[nt][1] = c, tri[nt++][2] = b;
                tri[nt][0] = b, tri[nt][1] = c, tri[nt++][2] = d;
            }
        }
    /* 64 loose triangles, every fourth of them one the tests must skip */
    const float bad_z[4] = {0.0f, -1.0f, NAN, 0.7f};
    for (int t = 0; t < 64; t++) {
        float cx = uni(&seed, -6, W + 6), cy = uni(&seed, -6, H + 6);
        float size = t % 3 ? 2.5f : 14.0f;
        for (int k = 0; k < 3; k++) {
            v[nv + k] = (fb_rvert){cx + uni(&seed, -size, size), cy + uni(&seed, -size, size),
                                   uni(&seed, 0.2f, 1.5f), uni(&seed, 0.0f, 20.0f)};
            part[nv + k] = (uint8_t)(10 + t % 7);
        }
        if (t % 4 == 0) /* each vertex in turn */
            v[nv + (t / 16) % 3].inv_z = bad_z[(t / 4) % 4];
        if (t % 8 == 2) /* no area: three points on a line */
            v[nv + 2].x = 2.0f * v[nv + 1].x - v[nv].x, v[nv + 2].y = 2.0f * v[nv + 1].y - v[nv].y;
        if (t % 16 == 6) /* off the image */
            for (int k = 0; k < 3; k++)
                v[nv + k].x += 3.0f * W;
        tri[nt][0] = (uint32_t)nv, tri[nt][1] = (uint32_t)nv + 1, tri[nt++][2] = (uint32_t)nv + 2;
        nv += 3;
    }
    CHECK_EQ_INT(nt, NT);
    fb_raster a, b;
    CHECK_EQ_INT(fb_raster_init(&a, W, H), 0);
    CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
    int bad = 0, runs = 0;
    for (int len = 1; len <= 40; len++)
        for (int cull = 0; cull < 2; cull++) {
            /* a window of the list that shifts with len, so every batch position sees each kind */
            size_t from = (size_t)(len * 7) % (size_t)(NT - len);
            fb_raster *rr[2] = {&a, &b};
            uint32_t cov[2] = {0, 0};
            size_t dr[2];
            fb_raster_stats st[2];
            for (int k = 0; k < 2; k++) {
                uint32_t pass = begin_path(rr[k], k, &st[k]);
                fb_raster_cover cv;
                if (len % 3 == 0) { /* in bands of len % 7 + 1 rows */
                    dr[k] = 0;
                    for (int y = 0; y < H; y += len % 7 + 1)
                        dr[k] += fb_raster_tris_rows(rr[k], v, (const uint32_t(*)[3])(tri + from),
                                                     (size_t)len, 3, part, 0, cull, &cov[k],
                                                     band_cover(&cv, pass),
                                                     y, y + len % 7 + 1, &st[k]);
                } else {
                    fb_raster_stats before = rr[k]->stats;
                    dr[k] = fb_raster_tris(rr[k], v, (const uint32_t(*)[3])(tri + from),
                                           (size_t)len, 3, part, 0, cull, &cov[k]);
                    st[k].rows = rr[k]->stats.rows - before.rows;
                    st[k].px_tested = rr[k]->stats.px_tested - before.px_tested;
                }
            }
            bad += dr[0] != dr[1] || cov[0] != cov[1] || st[0].rows != st[1].rows ||
                   st[0].px_tested != st[1].px_tested;
            bad += same_raster(&a, &b);
            runs++;
        }
    fb_raster_set_isa(FB_ISA_BEST);
    CHECK_EQ_INT(runs, 80);
    CHECK_EQ_INT(bad, 0);
    /* and the whole list at once, drawn and counted: the grid's pixels are covered once each */
    uint32_t cov[2] = {0, 0};
    size_t dr[2];
    fb_raster *rr[2] = {&a, &b};
    for (int k = 0; k < 2; k++) {
        fb_raster_set_isa(k ? g_wide : FB_ISA_C);
        fb_raster_begin(rr[k]);
        fb_raster_new_pass(rr[k]);
        dr[k] = fb_raster_tris(rr[k], v, (const uint32_t(*)[3])tri, NT, 3, part, 0, false, &cov[k]);
    }
    fb_raster_set_isa(FB_ISA_BEST);
    CHECK_EQ_INT(dr[0], dr[1]);
    CHECK_EQ_INT(cov[0], cov[1]);
    CHECK(dr[0] > 2 * NG * NG - 20 && dr[0] < (size_t)NT - 16); /* the skipped ones skipped */
    CHECK_EQ_INT(same_raster(&a, &b), 0);
    fb_raster_free(&a);
    fb_raster_free(&b);
    free(v);
    free(tri);
    free(part);
}

/* The narrow kernels (boxes under 8 pixels wide: AVX-512 one register of four pixels a row up
 * to 4 pixels, two up to 7; AVX2 a register of two pixels, up to four) against the four-lane loop on every box width 1..9 and height 1..9:
 * each size at the image's four corners (rows and windows ending at the row's end and at the
 * buffer's end; the width, 37, is odd, so a four-pixel window there runs past the row), half
 * off the left and the top edge, and inside, both windings, each box holding two triangles at
 * depths that cross (so depth tests pass and fail within a row); with coverage on and off,
 * drawn whole and in bands of 1, 2 and 5 rows: every buffer and counter bit for bit. The
 * narrow boxes' counters are also worked out here: their rows and pixels tested are the
 * clipped boxes' rows and rows times widths (tris tests a narrow box whole). */
static void narrow_boxes_agree(void)
{
    enum { W = 37, H = 23, NPOS = 7, NMAX = 9 };
    enum { NT = NMAX * NMAX * NPOS * 2 };
    fb_rvert *v = malloc(3 * NT * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    CHECK(v && tri);
    uint64_t want_rows = 0, want_px = 0; /* of the narrow boxes (width under 8) */
    int nt = 0;
    uint32_t seed = 99;
    for (int n = 1; n <= NMAX; n++)
        for (int h = 1; h <= NMAX; h++)
            for (int pos = 0; pos < NPOS; pos++) {
                /* the box's corner: the four corners, off the left, off the top, inside */
                /* (a box one pixel wide or high is moved on the image, not off it) */
                const float bx[NPOS] = {0, (float)(W - n), 0, (float)(W - n), n > 1 ? -1.0f : 0,
                                        uni(&seed, 2, 20), uni(&seed, 2, 20)};
                const float by[NPOS] = {0, 0, (float)(H - h), (float)(H - h), uni(&seed, 2, 10),
                                        h > 1 ? -1.0f : 0, uni(&seed, 2, 10)};
                const float x0 = floorf(bx[pos]), y0 = floorf(by[pos]);
                /* the box's clipped pixels, as tri_on_image clips them */
                const int cx0 = x0 < 0 ? 0 : (int)x0, cy0 = y0 < 0 ? 0 : (int)y0;
                const int cx1 = (int)x0 + n - 1, cy1 = (int)y0 + h - 1;
                if (cx1 - cx0 + 1 < 8) {
                    want_rows += 2u * (uint64_t)(cy1 - cy0 + 1);
                    want_px += 2u * (uint64_t)((cy1 - cy0 + 1) * (cx1 - cx0 + 1));
                }
                /* two triangles spanning exactly the box's pixels (x0 + 0.1 .. x0 + n - 0.1),
                 * the second wound the other way, their depths crossing */
                const float zl = uni(&seed, 0.3f, 0.6f), zr = uni(&seed, 0.3f, 0.6f);
                const fb_rvert a = {x0 + 0.1f, y0 + 0.15f, zl, uni(&seed, 0, 30)};
                const fb_rvert b = {x0 + (float)n - 0.1f, y0 + 0.5f * (float)h, zr,
                                    uni(&seed, 0, 30)};
                const fb_rvert c = {x0 + 0.3f * (float)n, y0 + (float)h - 0.05f, zl,
                                    uni(&seed, 0, 30)};
                const fb_rvert d = {x0 + (float)n - 0.2f, y0 + (float)h - 0.3f, 0.9f - zr,
                                    uni(&seed, 0, 30)};
                const fb_rvert e = {x0 + 0.2f, y0 + 0.6f, 0.9f - zl, uni(&seed, 0, 30)};
                const fb_rvert f = {x0 + 0.6f * (float)n, y0 + 0.1f, 0.9f - zr,
                                    uni(&seed, 0, 30)};
                const fb_rvert *tv[2][3] = {{&a, &b, &c}, {&d, &e, &f}};
                for (int k = 0; k < 2; k++, nt++)
                    for (int m = 0; m < 3; m++) {
                        v[3 * nt + m] = *tv[k][m];
                        tri[nt][m] = (uint32_t)(3 * nt + (k ? 2 - m : m));
                    }
            }
    CHECK_EQ_INT(nt, NT);
    CHECK(want_rows > 1000 && want_px > 3000);
    fb_raster a, b;
    CHECK_EQ_INT(fb_raster_init(&a, W, H), 0);
    CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
    int bad = 0, runs = 0;
    const int band_rows[4] = {H, 1, 2, 5};
    for (int cover = 0; cover < 2; cover++)
        for (int bi = 0; bi < 4; bi++) {
            fb_raster *rr[2] = {&a, &b};
            uint32_t cov[2] = {0, 0};
            size_t dr[2] = {0, 0};
            fb_raster_stats st[2];
            for (int k = 0; k < 2; k++) {
                uint32_t pass = begin_path(rr[k], k, &st[k]);
                fb_raster_cover cv;
                for (int y = 0; y < H; y += band_rows[bi])
                    dr[k] += fb_raster_tris_rows(rr[k], v, (const uint32_t(*)[3])tri, NT, 4, NULL,
                                                 6, false, cover ? &cov[k] : NULL,
                                                 band_cover(&cv, pass), y,
                                                 y + band_rows[bi], &st[k]);
            }
            bad += dr[0] != dr[1] || cov[0] != cov[1] || st[0].rows != st[1].rows ||
                   st[0].px_tested != st[1].px_tested || st[0].tris_drawn != st[1].tris_drawn;
            bad += same_raster(&a, &b);
            CHECK_EQ_INT(dr[1], NT);           /* every box is on the image */
            CHECK(cover == 0 || cov[1] > 2000); /* and covers samples */
            runs++;
        }
    fb_raster_set_isa(FB_ISA_BEST);
    CHECK_EQ_INT(runs, 8);
    CHECK_EQ_INT(bad, 0);
    /* the narrow boxes' counters, drawn alone on the whole image */
    {
        uint32_t(*nar)[3] = malloc(NT * sizeof(*nar));
        CHECK(nar != NULL);
        size_t nn = 0;
        for (int t = 0; t < NT; t++) {
            float lo = INFINITY, hi = -INFINITY;
            for (int m = 0; m < 3; m++) {
                float x = v[tri[t][m]].x;
                lo = x < lo ? x : lo, hi = x > hi ? x : hi;
            }
            if ((int)floorf(hi) - (lo < 0 ? 0 : (int)floorf(lo)) + 1 < 8)
                memcpy(nar[nn++], tri[t], sizeof(nar[0]));
        }
        for (int k = 0; k < 2; k++) {
            fb_raster_set_isa(k ? g_wide : FB_ISA_C);
            fb_raster_begin(&b);
            fb_raster_stats before = b.stats;
            fb_raster_tris(&b, v, (const uint32_t(*)[3])nar, nn, 4, NULL, 6, false, NULL);
            CHECK_EQ_INT(b.stats.rows - before.rows, want_rows);
            CHECK_EQ_INT(b.stats.px_tested - before.px_tested, want_px);
        }
        fb_raster_set_isa(FB_ISA_BEST);
        free(nar);
    }
    fb_raster_free(&a);
    fb_raster_free(&b);
    free(v);
    free(tri);
}

/* A rectangle of pixels [x0, x1) x [y0, y1) drawn with radiance 5, owner 7, part 3. */
static void rect(fb_raster *r, float x0, float y0, float x1, float y1)
{
    fb_rvert v[4] = {{x0, y0, 0.5f, 5.0f}, {x1, y0, 0.5f, 5.0f}, {x1, y1, 0.5f, 5.0f},
                     {x0, y1, 0.5f, 5.0f}};
    const uint32_t tri[2][3] = {{0, 1, 2}, {0, 2, 3}};
    CHECK_EQ_INT(fb_raster_tris(r, v, tri, 2, 7, NULL, 3, false, NULL), 2);
}

static bool never_head(uint8_t part)
{
    (void)part;
    return false;
}

static bool part_nine(uint8_t part)
{
    return part == 9;
}

/* Drawn-over blocks (FB_RASTER_BLOCK_PX = 16 pixels of a row) on a 40-pixel-wide image (blocks
 * [0,16), [16,32) and a partial [32,40)): a rectangle marks exactly the blocks it touches;
 * resolve and count read those, the static layer elsewhere; the next frame restores them to
 * the static layer sample for sample. */
static void drawn_blocks(void)
{
    enum { W = 40, H = 6 };
    fb_raster r;
    CHECK_EQ_INT(fb_raster_init(&r, W, H), 0);
    CHECK_EQ_INT(r.blk_per_row, 3);
    fb_raster_clear(&r, 1.0f);
    fb_raster_keep_as_background(&r);
    fb_raster_begin(&r);
    rect(&r, 18, 2, 22, 4); /* 8 pixels in block 1 of rows 2 and 3 */
    int wrong = 0;
    for (int y = 0; y < H; y++)
        for (int k = 0; k < 3; k++)
            wrong += r.dirty_blk[y * 3 + k] != ((y == 2 || y == 3) && k == 1);
    CHECK_EQ_INT(wrong, 0);
    float img[W * H];
    fb_raster_resolve(&r, img);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            wrong += img[y * W + x] != (x >= 18 && x < 22 && y >= 2 && y < 4 ? 5.0f : 1.0f);
    CHECK_EQ_INT(wrong, 0);
    uint32_t count[8] = {0}, head[8] = {0}, extra = 0;
    fb_raster_count(&r, 8, count, head, never_head, 99, &extra);
    CHECK_EQ_INT(count[6], 8 * 4);
    CHECK_EQ_INT(head[6] + extra, 0);

    /* the next frame: everything back to the static layer, then a rectangle across blocks 1 and
     * 2 (the partial one) of row 5 */
    fb_raster_begin(&r);
    size_t n = (size_t)W * H * FB_RASTER_SPP;
    CHECK(memcmp(r.rad, r.bg_rad, n * sizeof(float)) == 0);
    CHECK(memcmp(r.inv_z, r.bg_inv_z, n * sizeof(float)) == 0);
    CHECK(memcmp(r.id, r.bg_id, n * sizeof(uint32_t)) == 0);
    for (int k = 0; k < H * 3; k++)
        wrong += r.dirty_blk[k] != 0;
    rect(&r, 30, 5, 36, 6);
    for (int y = 0; y < H; y++)
        for (int k = 0; k < 3; k++)
            wrong += r.dirty_blk[y * 3 + k] != (y == 5 && k >= 1);
    CHECK_EQ_INT(wrong, 0);
    fb_raster_resolve(&r, img);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            wrong += img[y * W + x] != (x >= 30 && x < 36 && y == 5 ? 5.0f : 1.0f);
    CHECK_EQ_INT(wrong, 0);
    memset(count, 0, sizeof count);
    fb_raster_count(&r, 8, count, head, never_head, 99, &extra);
    CHECK_EQ_INT(count[6], 6 * 4);
    fb_raster_free(&r);
}

/* Random triangles for the band tests: three sizes, compact, some off the image. */
static void random_tris(fb_rvert *v, uint32_t (*tri)[3], int nt, int W, int H, uint32_t seed)
{
    for (int t = 0; t < nt; t++) {
        float size = t % 3 == 0 ? 30.0f : t % 3 == 1 ? 5.0f : 1.2f;
        float cx = uni(&seed, -10, (float)W + 10), cy = uni(&seed, -10, (float)H + 10);
        for (int j = 0; j < 3; j++) {
            v[3 * t + j] = (fb_rvert){cx + uni(&seed, -size, size), cy + uni(&seed, -size, size),
                                      uni(&seed, 0.1f, 2.0f), uni(&seed, -3.0f, 30.0f)};
            tri[t][j] = (uint32_t)(3 * t + j);
        }
    }
}

/* Everything a frame's drawing leaves, compared sample for sample and row for row. */
static int same_raster(const fb_raster *a, const fb_raster *b)
{
    size_t n = (size_t)a->width * (size_t)a->height * FB_RASTER_SPP;
    int bad = memcmp(a->inv_z, b->inv_z, n * sizeof(float)) != 0;
    bad += memcmp(a->rad, b->rad, n * sizeof(float)) != 0;
    bad += memcmp(a->id, b->id, n * sizeof(uint32_t)) != 0;
    bad += memcmp(a->stamp, b->stamp, n * sizeof(uint32_t)) != 0;
    bad += memcmp(a->rstamp, b->rstamp, n * sizeof(uint32_t)) != 0;
    for (int y = 0; y < a->height; y++)
        bad += a->dirty_lo[y] != b->dirty_lo[y] || a->dirty_hi[y] != b->dirty_hi[y];
    bad += memcmp(a->dirty_blk, b->dirty_blk, (size_t)a->height * (size_t)a->blk_per_row) != 0;
    return bad;
}

/* Three lists of 300 random triangles each (a coverage pass with culling, one without, then
 * reflections added to the still-empty background): drawn whole, and drawn band by band with
 * fb_raster_tris_rows (bands of 1, 5, 16 and 61 rows, in reverse order), and recorded in two draw
 * lists replayed one after the other on pools of 1, 2 and 3 threads: every buffer bit for bit, the coverage counts
 * and the counters the same; then resolving and restoring in bands of rows as whole. */
static void bands_agree(void)
{
    enum { W = 97, H = 61, NT = 300 };
    fb_rvert *v = malloc(3 * 3 * NT * sizeof(*v)); /* three lists' vertices, 3 a triangle */
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri)); /* the same indices for each list */
    CHECK(v && tri);
    for (int k = 0; k < 3; k++)
        random_tris(v + 3 * NT * k, tri, NT, W, H, 777u + (uint32_t)k);
    fb_raster whole;
    CHECK_EQ_INT(fb_raster_init(&whole, W, H), 0);
    fb_raster_begin(&whole);
    uint32_t cov_w[2] = {0, 0};
    uint32_t pass[2];
    size_t drawn_w[3];
    for (int k = 0; k < 2; k++) {
        pass[k] = fb_raster_new_pass(&whole);
        drawn_w[k] = fb_raster_tris(&whole, v + 3 * NT * k, (const uint32_t(*)[3])tri, NT,
                                    (uint16_t)(k + 1), NULL, 9, k == 0, &cov_w[k]);
    }
    drawn_w[2] = fb_raster_tris_add(&whole, v + 6 * NT, (const uint32_t(*)[3])tri, NT, 0, false);
    CHECK(cov_w[0] > 1000 && cov_w[1] > cov_w[0] && drawn_w[2] > 50);

    /* the triangles a draw list keeps are exactly those the whole draw counts as drawn: with
     * culling (list 0), without (list 1), and with some vertices behind the camera */
    {
        uint32_t(*kept)[3] = malloc(NT * sizeof(*kept));
        CHECK(kept != NULL);
        for (int k = 0; k < 2; k++)
            CHECK_EQ_INT(fb_raster_tris_keep(&whole, v + 3 * NT * k, (const uint32_t(*)[3])tri,
                                             NT, k == 0, kept),
                         drawn_w[k]);
        CHECK(drawn_w[0] < NT / 2 + 20 && drawn_w[1] < NT); /* some skipped: off the image, backs */
        fb_rvert *vb = malloc(3 * NT * sizeof(*vb));
        CHECK(vb != NULL);
        memcpy(vb, v + 3 * NT, 3 * NT * sizeof(*vb));
        for (int i = 0; i < 3 * NT; i += 7)
            vb[i].inv_z = 0.0f;
        fb_raster behind;
        CHECK_EQ_INT(fb_raster_init(&behind, W, H), 0);
        fb_raster_begin(&behind);
        size_t drawn_b = fb_raster_tris(&behind, vb, (const uint32_t(*)[3])tri, NT, 1, NULL, 9,
                                        false, NULL);
        size_t kept_b = fb_raster_tris_keep(&whole, vb, (const uint32_t(*)[3])tri, NT, false, kept);
        CHECK_EQ_INT(kept_b, drawn_b);
        CHECK(drawn_b < drawn_w[1]);
        for (size_t i = 0; i < kept_b; i++) /* in order, and none with a vertex behind */
            CHECK(vb[kept[i][0]].inv_z > 0 && vb[kept[i][1]].inv_z > 0 &&
                  vb[kept[i][2]].inv_z > 0 && (i == 0 || kept[i][0] > kept[i - 1][0]));
        /* the wide filter keeps the same triangles in the same order as the scalar one */
        uint32_t(*kept_c)[3] = malloc(NT * sizeof(*kept_c));
        CHECK(kept_c != NULL);
        for (int k = 0; k < 3; k++) {
            const fb_rvert *vk = k < 2 ? v + 3 * NT * k : vb;
            fb_raster_set_isa(FB_ISA_C);
            size_t nc = fb_raster_tris_keep(&whole, vk, (const uint32_t(*)[3])tri, NT, k == 0,
                                            kept_c);
            fb_raster_set_isa(g_wide);
            size_t nw = fb_raster_tris_keep(&whole, vk, (const uint32_t(*)[3])tri, NT, k == 0,
                                            kept);
            CHECK_EQ_INT(nw, nc);
            CHECK(nc > 0 && memcmp(kept, kept_c, nc * sizeof(*kept)) == 0);
        }
        fb_raster_set_isa(FB_ISA_BEST);
        free(kept_c);
        fb_raster_free(&behind);
        free(vb);
        free(kept);
    }

    const int heights[] = {1, 5, 16, 61};
    for (size_t h = 0; h < sizeof heights / sizeof heights[0]; h++) {
        fb_raster b;
        CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
        fb_raster_begin(&b);
        fb_raster_stats st = {0, 0, 0, 0, 0};
        uint32_t cov[2] = {0, 0};
        size_t drawn[3] = {0, 0, 0};
        for (int lo = (H - 1) / heights[h] * heights[h]; lo >= 0; lo -= heights[h]) {
            fb_raster_cover cv;
            for (int k = 0; k < 2; k++)
                drawn[k] += fb_raster_tris_rows(&b, v + 3 * NT * k, (const uint32_t(*)[3])tri,
                                                NT, (uint16_t)(k + 1), NULL, 9, k == 0, &cov[k],
                                                band_cover(&cv, pass[k]), lo, lo + heights[h], &st);
            drawn[2] += fb_raster_tris_add_rows(&b, v + 6 * NT, (const uint32_t(*)[3])tri, NT, 0,
                                                false, lo, lo + heights[h]);
        }
        b.pass = whole.pass;
        CHECK_EQ_INT(same_raster(&whole, &b), 0);
        for (int k = 0; k < 3; k++)
            CHECK_EQ_INT(drawn[k], drawn_w[k]);
        CHECK_EQ_INT(cov[0], cov_w[0]);
        CHECK_EQ_INT(cov[1], cov_w[1]);
        CHECK_EQ_INT(st.tris_drawn, whole.stats.tris_drawn);
        CHECK_EQ_INT(st.rows, whole.stats.rows);
        CHECK_EQ_INT(st.px_tested, whole.stats.px_tested);
        fb_raster_free(&b);
    }

    for (int threads = 1; threads <= 3; threads++) {
        fb_pool *pool;
        fb_drawlist *dl[2]; /* the first list, and the second drawn after it */
        CHECK_EQ_INT(fb_pool_create(&pool, threads), 0);
        CHECK_EQ_INT(fb_drawlist_create(&dl[0]), 0);
        CHECK_EQ_INT(fb_drawlist_create(&dl[1]), 0);
        fb_raster b;
        CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
        fb_raster_begin(&b);
        uint32_t cov[2] = {0, 0};
        fb_raster_stats sink = {0, 0, 0, 0, 0};
        for (int k = 0; k < 2; k++)
            CHECK_EQ_INT(fb_drawlist_tris(dl[k], &b, v + 3 * NT * k, 3 * NT, (const uint32_t(*)[3])tri,
                                          NT, (uint16_t)(k + 1), NULL, 9, k == 0, pass[k],
                                          &cov[k], &sink),
                         0);
        CHECK_EQ_INT(fb_drawlist_tris_add(dl[1], v + 6 * NT, 3 * NT, (const uint32_t(*)[3])tri, NT,
                                          0, false),
                     0);
        CHECK_EQ_INT(fb_drawlist_run(dl, 2, &b, pool), 0);
        b.pass = whole.pass;
        CHECK_EQ_INT(same_raster(&whole, &b), 0);
        if (threads > 1) {
            /* bands cut by the replays' measured times (fb_drawlist_run_balanced): four frames,
             * each cut by what the ones before took, each the same as the whole draw */
            fb_drawlist_balance *bal;
            CHECK_EQ_INT(fb_drawlist_balance_create(&bal), 0);
            for (int frame = 0; frame < 4; frame++) {
                fb_raster bb;
                CHECK_EQ_INT(fb_raster_init(&bb, W, H), 0);
                fb_raster_begin(&bb);
                uint32_t covb[2] = {0, 0};
                fb_raster_stats sinkb = {0, 0, 0, 0, 0};
                for (int k = 0; k < 2; k++) {
                    fb_drawlist_clear(dl[k]);
                    CHECK_EQ_INT(fb_drawlist_tris(dl[k], &bb, v + 3 * NT * k, 3 * NT,
                                                  (const uint32_t(*)[3])tri, NT, (uint16_t)(k + 1),
                                                  NULL, 9, k == 0, pass[k], &covb[k], &sinkb),
                                 0);
                }
                CHECK_EQ_INT(fb_drawlist_tris_add(dl[1], v + 6 * NT, 3 * NT,
                                                  (const uint32_t(*)[3])tri, NT, 0, false),
                             0);
                CHECK_EQ_INT(fb_drawlist_run_balanced(dl, 2, &bb, pool, bal), 0);
                bb.pass = whole.pass;
                CHECK_EQ_INT(same_raster(&whole, &bb), 0);
                CHECK_EQ_INT(covb[0], cov_w[0]);
                CHECK_EQ_INT(covb[1], cov_w[1]);
                CHECK_EQ_INT(sinkb.tris_drawn, whole.stats.tris_drawn);
                CHECK_EQ_INT(bb.stats.px_tested, whole.stats.px_tested);
                fb_raster_free(&bb);
            }
            fb_drawlist_balance_free(bal);
        }
        CHECK_EQ_INT(cov[0], cov_w[0]);
        CHECK_EQ_INT(cov[1], cov_w[1]);
        CHECK_EQ_INT(sink.tris_in, 2 * NT);
        CHECK_EQ_INT(b.stats.tris_in, whole.stats.tris_in);
        CHECK_EQ_INT(sink.tris_drawn, whole.stats.tris_drawn);
        CHECK_EQ_INT(b.stats.rows, whole.stats.rows);
        CHECK_EQ_INT(b.stats.px_tested, whole.stats.px_tested);
        if (threads == 3) {
            /* counting in bands of 7 rows: the bands' counts add up to the whole image's (the
             * second list is owner 2 and part 9 throughout, so all its samples are "head") */
            uint32_t cw[2] = {0, 0}, hw[2] = {0, 0}, xw = 0, cb[2] = {0, 0}, hb[2] = {0, 0};
            uint32_t xb = 0;
            fb_raster_count(&whole, 1, cw, hw, part_nine, 2, &xw);
            for (int lo = 0; lo < H; lo += 7)
                fb_raster_count_rows(&b, lo, lo + 7, 1, cb, hb, part_nine, 2, &xb);
            CHECK(cw[0] > 500 && xw > 500 && hw[0] == cw[0]);
            CHECK_EQ_INT(cb[0], cw[0]);
            CHECK_EQ_INT(hb[0], hw[0]);
            CHECK_EQ_INT(xb, xw);
            CHECK_EQ_INT(cb[1] + hb[1], 0); /* owner 2 is the extra owner, counted only there */
            /* resolving and restoring in bands of 7 rows: the same image, the same next frame */
            float *img_w = malloc(W * H * sizeof(float)), *img_b = malloc(W * H * sizeof(float));
            CHECK(img_w && img_b);
            fb_raster_resolve(&whole, img_w);
            for (int lo = 0; lo < H; lo += 7)
                fb_raster_resolve_rows(&b, img_b, lo, lo + 7);
            CHECK(memcmp(img_w, img_b, W * H * sizeof(float)) == 0);
            fb_raster_begin(&whole);
            fb_raster_begin_reflections(&b);
            for (int lo = 56; lo >= 0; lo -= 7)
                fb_raster_restore_rows(&b, lo, lo + 7);
            CHECK_EQ_INT(b.rpass, whole.rpass);
            CHECK_EQ_INT(same_raster(&whole, &b), 0);
            CHECK(memcmp(b.rad, b.bg_rad, (size_t)W * H * FB_RASTER_SPP * sizeof(float)) == 0);
            free(img_w);
            free(img_b);
        }
        fb_raster_free(&b);
        fb_drawlist_free(dl[0]);
        fb_drawlist_free(dl[1]);
        fb_pool_free(pool);
    }
    fb_pool *none;
    CHECK_EQ_INT(fb_pool_create(&none, 0), FB_ERR_ARG);
    CHECK_EQ_INT(fb_pool_create(&none, FB_POOL_MAX_THREADS + 1), FB_ERR_ARG);
    fb_raster_free(&whole);
    free(v);
    free(tri);
}

static bool odd_part(uint8_t part)
{
    return part & 1u;
}

/* fb_raster_count (which counts runs of one id) against a count sample by sample: random
 * triangles of owners 1..5 (5 counted as the extra owner) with parts 1..4 per vertex. */
static void count_agrees(void)
{
    enum { W = 83, H = 47, NT = 240 };
    fb_rvert *v = malloc(3 * NT * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    uint8_t *part = malloc(3 * NT);
    fb_raster r;
    CHECK(v && tri && part);
    CHECK_EQ_INT(fb_raster_init(&r, W, H), 0);
    random_tris(v, tri, NT, W, H, 777);
    for (int i = 0; i < 3 * NT; i++)
        part[i] = (uint8_t)(1 + i / 3 % 4);
    fb_raster_begin(&r);
    for (int o = 1; o <= 5; o++) {
        fb_raster_new_pass(&r);
        fb_raster_tris(&r, v + 3 * (NT / 5) * (o - 1), (const uint32_t(*)[3])tri, NT / 5,
                       (uint16_t)o, part + 3 * (NT / 5) * (o - 1), 0, false, NULL);
    }
    uint32_t want[5] = {0}, want_head[5] = {0}, got[4] = {0}, got_head[4] = {0}, extra = 0;
    for (size_t i = 0; i < (size_t)W * H * FB_RASTER_SPP; i++) {
        uint16_t o = fb_raster_owner(&r, i);
        if (o >= 1 && o <= 5) {
            want[o - 1]++;
            want_head[o - 1] += odd_part(fb_raster_part(&r, i));
        }
    }
    fb_raster_count(&r, 4, got, got_head, odd_part, 5, &extra);
    for (int o = 0; o < 4; o++) {
        CHECK(want[o] > 100); /* every owner holds samples */
        CHECK_EQ_INT(got[o], want[o]);
        CHECK_EQ_INT(got_head[o], want_head[o]);
    }
    CHECK_EQ_INT(extra, want[4]);
    fb_raster_free(&r);
    free(v);
    free(tri);
    free(part);
}

/* A rectangle of two triangles, pixels [x0, x1) x [y0, y1), at 1 / depth iz, radiance rad, owner
 * o: drawn with coverage counted into *covered (NULL: none); returns the triangles drawn. */
static size_t rect_at(fb_raster *r, float x0, float y0, float x1, float y1, float iz, float rad,
                      uint16_t o, uint32_t *covered)
{
    fb_rvert v[4] = {{x0, y0, iz, rad}, {x1, y0, iz, rad}, {x1, y1, iz, rad}, {x0, y1, iz, rad}};
    const uint32_t tri[2][3] = {{0, 1, 2}, {0, 2, 3}};
    return fb_raster_tris(r, v, tri, 2, o, NULL, 3, false, covered);
}

/* Hidden-surface bounds (raster.h, hiz), by hand: behind a near rectangle whose bounds were
 * raised, a far one is skipped whole and leaves every buffer as it was; one reaching past it
 * is drawn; with coverage counted it is drawn (its samples counted); after the static layer is
 * restored the bounds are forgotten. */
static void hidden_by_hand(void)
{
    enum { W = 40, H = 30 };
    const size_t n = (size_t)W * H * FB_RASTER_SPP;
    for (int isa = 0; isa < 2; isa++) {
        fb_raster_set_isa(isa ? g_wide : FB_ISA_C);
        fb_raster r;
        CHECK_EQ_INT(fb_raster_init(&r, W, H), 0);
        fb_raster_begin(&r);
        CHECK_EQ_INT(rect_at(&r, 4, 4, 24, 20, 0.5f, 5.0f, 1, NULL), 2);
        fb_raster_hiz_update(&r, 4.0f, 24.0f, 4, 20);
        /* blocks of 8 pixels 0..3 (pixels 4 .. 24) of rows 4..19 marked, raised when read */
        const int hr = r.hiz_per_row;
        CHECK(r.hiz_stale[6 * hr + 1] && r.hiz_stale[19 * hr + 2] && !r.hiz_stale[20 * hr + 1]);
        CHECK(r.hiz_stale[6 * hr + 3] && !r.hiz_stale[6 * hr + 4] && r.hiz[6 * hr + 1] == 0.0f);
        float *iz0 = malloc(n * sizeof(float)), *rad0 = malloc(n * sizeof(float));
        CHECK(iz0 && rad0);
        memcpy(iz0, r.inv_z, n * sizeof(float));
        memcpy(rad0, r.rad, n * sizeof(float));
        const fb_raster_stats st0 = r.stats;
        CHECK_EQ_INT(rect_at(&r, 8, 6, 16, 18, 0.25f, 9.0f, 2, NULL), 2); /* behind, inside */
        CHECK_EQ_INT(r.stats.tris_hidden - st0.tris_hidden, 2);
        CHECK_EQ_INT(r.stats.rows - st0.rows, 0);
        /* [8, 16) lies wholly inside the near rectangle: raised to its 1 / depth */
        CHECK(r.hiz[6 * hr + 1] == 0.5f && !r.hiz_stale[6 * hr + 1]);
        CHECK(memcmp(iz0, r.inv_z, n * sizeof(float)) == 0);
        CHECK(memcmp(rad0, r.rad, n * sizeof(float)) == 0);
        /* reaching into block [24, 32), whose background is far: drawn, right of x = 24 seen */
        CHECK_EQ_INT(rect_at(&r, 18, 6, 28, 18, 0.25f, 9.0f, 2, NULL), 2);
        CHECK_EQ_INT(r.stats.tris_hidden - st0.tris_hidden, 2);
        int far_seen = 0;
        for (size_t i = 0; i < n; i++)
            far_seen += fb_raster_owner(&r, i) == 2;
        CHECK_EQ_INT(far_seen, 4 * 12 * 4); /* pixels 24..27 of rows 6..17 */
        /* a coverage pass counts what the near one hides */
        uint32_t covered = 0;
        fb_raster_new_pass(&r);
        CHECK_EQ_INT(rect_at(&r, 8, 6, 16, 18, 0.25f, 9.0f, 3, &covered), 2);
        CHECK_EQ_INT(covered, 8 * 12 * 4);
        CHECK_EQ_INT(r.stats.tris_hidden - st0.tris_hidden, 2);
        /* a new frame: the near one is gone, and the far one is seen */
        fb_raster_begin(&r);
        CHECK_EQ_INT(rect_at(&r, 8, 6, 16, 18, 0.25f, 9.0f, 2, NULL), 2);
        CHECK_EQ_INT(r.stats.tris_hidden - st0.tris_hidden, 2);
        far_seen = 0;
        for (size_t i = 0; i < n; i++)
            far_seen += fb_raster_owner(&r, i) == 2;
        CHECK_EQ_INT(far_seen, 8 * 12 * 4);
        free(iz0);
        free(rad0);
        fb_raster_free(&r);
    }
    fb_raster_set_isa(FB_ISA_BEST);
}

/* Random triangles at random depths in five lists, each list's bounds raised over the whole
 * image after it is drawn, against the same lists drawn without bounds: the same buffers bit for
 * bit (and the same coverage counts for the lists drawn with coverage) on both the scalar and
 * the sixteen-lane path and with draw lists replayed in bands on 1 and 2 threads (the bounds
 * recorded with fb_drawlist_hiz), while some triangles were skipped and fewer pixels tested. */
static void hidden_agrees(void)
{
    enum { W = 83, H = 57, NT = 400, NL = 5 };
    fb_rvert *v = malloc((size_t)NL * 3 * NT * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    CHECK(v && tri);
    for (int l = 0; l < NL; l++)
        random_tris(v + (size_t)l * 3 * NT, tri, NT, W, H, 4242u + (uint32_t)l);
    fb_raster plain;
    CHECK_EQ_INT(fb_raster_init(&plain, W, H), 0);
    fb_raster_begin(&plain);
    uint32_t cov_plain[NL] = {0};
    for (int l = 0; l < NL; l++) {
        fb_raster_new_pass(&plain);
        fb_raster_tris(&plain, v + (size_t)l * 3 * NT, (const uint32_t(*)[3])tri, NT,
                       (uint16_t)(l + 1), NULL, 9, l % 2 == 0, l == 3 ? &cov_plain[l] : NULL);
    }
    CHECK_EQ_INT(plain.stats.tris_hidden, 0);
    for (int way = 0; way < 4; way++) { /* C, AVX-512, bands on 1 thread, bands on 2 */
        fb_raster_set_isa(way == 0 ? FB_ISA_C : g_wide);
        fb_raster b;
        CHECK_EQ_INT(fb_raster_init(&b, W, H), 0);
        fb_raster_begin(&b);
        uint32_t cov[NL] = {0};
        fb_raster_stats st = {0, 0, 0, 0, 0};
        if (way < 2) {
            for (int l = 0; l < NL; l++) {
                fb_raster_new_pass(&b);
                fb_raster_tris(&b, v + (size_t)l * 3 * NT, (const uint32_t(*)[3])tri, NT,
                               (uint16_t)(l + 1), NULL, 9, l % 2 == 0, l == 3 ? &cov[l] : NULL);
                fb_raster_hiz_update(&b, -5.0f, (float)W + 5.0f, 0, H);
            }
            st = b.stats;
        } else {
            fb_pool *pool;
            fb_drawlist *dl[NL];
            CHECK_EQ_INT(fb_pool_create(&pool, way - 1), 0);
            for (int l = 0; l < NL; l++) {
                CHECK_EQ_INT(fb_drawlist_create(&dl[l]), 0);
                CHECK_EQ_INT(fb_drawlist_tris(dl[l], &b, v + (size_t)l * 3 * NT, 3 * NT,
                                              (const uint32_t(*)[3])tri, NT, (uint16_t)(l + 1),
                                              NULL, 9, l % 2 == 0, (uint32_t)(l + 1),
                                              l == 3 ? &cov[l] : NULL, &st),
                             0);
                CHECK_EQ_INT(fb_drawlist_hiz(dl[l], -5.0f, (float)W + 5.0f, 0.0f, (float)H), 0);
            }
            CHECK_EQ_INT(fb_drawlist_run(dl, NL, &b, pool), 0);
            for (int l = 0; l < NL; l++)
                fb_drawlist_free(dl[l]);
            fb_pool_free(pool);
        }
        CHECK_EQ_INT(same_raster(&plain, &b), 0);
        CHECK_EQ_INT(cov[3], cov_plain[3]);
        CHECK(cov[3] > 1000);
        CHECK(st.tris_hidden > 20);
        CHECK(st.tris_drawn == plain.stats.tris_drawn);
        CHECK(st.px_tested < plain.stats.px_tested);
        fb_raster_free(&b);
    }
    fb_raster_set_isa(FB_ISA_BEST);
    fb_raster_free(&plain);
    free(v);
    free(tri);
}

/* fb_raster_finish_rows against what it replaces, worked out here sample by sample: on a static
 * layer of two parts (2 mirrors, 1 does not) drawn with owner 0, random triangles of owners 1..5
 * with parts 1..4 per vertex, and reflections added to part 2; then, for widths whose last block
 * is partial and ends mid-group of four pixels (83) or is whole (64), the rows finished in bands of
 * 1, 5 and all rows: the counts those of a count sample by sample, every pixel 0.25 ((s0 + s1) +
 * (s2 + s3)) of its samples as they were, the samples then the static layer's, the rows marked
 * clean; without restoring, the samples left as drawn and restored by the next fb_raster_begin. */
static void finish_agrees(void)
{
    enum { H = 37, NT = 240 };
    const int widths[2] = {83, 64};
    static bool odd_head[256];
    for (int p = 0; p < 256; p++)
        odd_head[p] = odd_part((uint8_t)p);
    fb_rvert *v = malloc(3 * NT * sizeof(*v));
    uint32_t(*tri)[3] = malloc(NT * sizeof(*tri));
    uint8_t *part = malloc(3 * NT);
    CHECK(v && tri && part);
    for (int wi = 0; wi < 2; wi++) {
        const int W = widths[wi];
        const size_t np = (size_t)W * H, ns = np * FB_RASTER_SPP;
        for (int band = 0; band < 4; band++) { /* rows a call: 1, 5, all; all without restoring */
            const int rows = band == 0 ? 1 : band == 1 ? 5 : H;
            const bool restore = band < 3;
            fb_raster r;
            CHECK_EQ_INT(fb_raster_init(&r, W, H), 0);
            fb_raster_clear(&r, 2.0f);
            fb_rvert room[4] = {{0, 0, 0.10f, 3.0f}, {(float)W, 0, 0.20f, 4.0f},
                                {(float)W, H, 0.40f, 6.0f}, {0, H, 0.30f, 5.0f}};
            const uint32_t rt[2][3] = {{0, 1, 2}, {0, 2, 3}};
            fb_raster_tris(&r, room, rt, 1, 0, NULL, 2, false, NULL);
            fb_raster_tris(&r, room, rt + 1, 1, 0, NULL, 1, false, NULL);
            fb_raster_keep_as_background(&r);
            fb_raster_begin(&r);
            random_tris(v, tri, NT, W, H, 4242u + (uint32_t)wi);
            for (int i = 0; i < 3 * NT; i++)
                part[i] = (uint8_t)(1 + i / 3 % 4);
            for (int o = 1; o <= 5; o++)
                fb_raster_tris(&r, v + 3 * (NT / 6) * (o - 1), (const uint32_t(*)[3])tri, NT / 6,
                               (uint16_t)o, part + 3 * (NT / 6) * (o - 1), 0, false, NULL);
            fb_raster_tris_add(&r, v + 3 * (NT / 6) * 5, (const uint32_t(*)[3])tri, NT / 6, 2,
                               false);
            /* what the pass must give, from the samples as drawn */
            uint32_t want[4] = {0}, want_head[4] = {0}, want_x = 0;
            float *want_img = malloc(np * sizeof(float)), *img = malloc(np * sizeof(float));
            float *iz = malloc(ns * sizeof(float)), *rd = malloc(ns * sizeof(float));
            uint32_t *id = malloc(ns * sizeof(uint32_t));
            CHECK(want_img && img && iz && rd && id);
            for (size_t i = 0; i < ns; i++) {
                uint16_t o = fb_raster_owner(&r, i);
                if (o == 5)
                    want_x++;
                else if (o >= 1)
                    want[o - 1]++, want_head[o - 1] += odd_part(fb_raster_part(&r, i));
            }
            for (size_t p = 0; p < np; p++) {
                const float *s = r.rad + p * FB_RASTER_SPP;
                want_img[p] = 0.25f * ((s[0] + s[1]) + (s[2] + s[3]));
            }
            memcpy(iz, r.inv_z, ns * sizeof(float));
            memcpy(rd, r.rad, ns * sizeof(float));
            memcpy(id, r.id, ns * sizeof(uint32_t));
            int drawn_rows = 0, differs = 0;
            for (int y = 0; y < H; y++)
                drawn_rows += r.dirty_lo[y] < r.dirty_hi[y];
            for (size_t i = 0; i < ns; i++)
                differs += rd[i] != r.bg_rad[i];
            CHECK(drawn_rows > H / 2 && differs > 1000);

            uint32_t got[4] = {0}, got_head[4] = {0}, got_x = 0;
            const fb_raster_tally t = {4, got, got_head, odd_head, 5, &got_x};
            for (int lo = 0; lo < H; lo += rows)
                fb_raster_finish_rows(&r, lo, lo + rows, img, &t, restore);
            for (int o = 0; o < 4; o++) {
                CHECK(want[o] > 50);
                CHECK_EQ_INT(got[o], want[o]);
                CHECK_EQ_INT(got_head[o], want_head[o]);
            }
            CHECK(want_x > 50);
            CHECK_EQ_INT(got_x, want_x);
            CHECK(memcmp(img, want_img, np * sizeof(float)) == 0);
            int dirty = 0;
            for (int y = 0; y < H; y++)
                dirty += r.dirty_lo[y] < r.dirty_hi[y];
            if (restore) {
                CHECK_EQ_INT(dirty, 0);
            } else { /* as drawn, still to restore */
                CHECK_EQ_INT(dirty, drawn_rows);
                CHECK(memcmp(r.inv_z, iz, ns * sizeof(float)) == 0);
                CHECK(memcmp(r.rad, rd, ns * sizeof(float)) == 0);
                CHECK(memcmp(r.id, id, ns * sizeof(uint32_t)) == 0);
                fb_raster_begin(&r);
            }
            CHECK(memcmp(r.inv_z, r.bg_inv_z, ns * sizeof(float)) == 0);
            CHECK(memcmp(r.rad, r.bg_rad, ns * sizeof(float)) == 0);
            CHECK(memcmp(r.id, r.bg_id, ns * sizeof(uint32_t)) == 0);
            dirty = 0;
            for (int k = 0; k < H * r.blk_per_row; k++)
                dirty += r.dirty_blk[k] != 0;
            CHECK_EQ_INT(dirty, 0);
            free(want_img);
            free(img);
            free(iz);
            free(rd);
            free(id);
            fb_raster_free(&r);
        }
    }
    free(v);
    free(tri);
    free(part);
}

int main(void)
{
    /* the comparisons with the scalar loop, once for each wide path this CPU has (a path it
     * lacks falls back to the next narrower one, which the check then covers again) */
    const fb_isa wide[2] = {FB_ISA_AVX2, FB_ISA_AVX512};
    for (int w = 0; w < 2; w++) {
#if defined(__x86_64__) && defined(__GNUC__)
        const bool has = w == 0 ? __builtin_cpu_supports("avx2")
                                : __builtin_cpu_supports("avx512f") &&
                                      __builtin_cpu_supports("avx512vl") &&
                                      __builtin_cpu_supports("avx512bw") &&
                                      __builtin_cpu_supports("avx512dq");
#else
        const bool has = false;
#endif
        printf("scalar against %s: %s\n", w == 0 ? "AVX2" : "AVX-512",
               has ? "compared" : "this CPU lacks it (its fallback compared)");
        g_wide = wide[w];
        hand_worked(false);
        hand_worked(true);
        batches_agree();
        narrow_boxes_agree();
        bands_agree();
        hidden_by_hand();
        hidden_agrees();
    }
    both_loops_agree();
    drawn_blocks();
    count_agrees();
    finish_agrees();
    return FBTEST_END();
}
