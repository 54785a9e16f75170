/* test_raster.c — the rasteriser: a hand-worked rectangle (coverage, top-left rule, resolve), and the eight-lane loop equal to the four-lane one bit for bit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../sim/raster.h"
#include "../fbtest.h"

/* Two triangles sharing a diagonal make the rectangle of pixels x in [2, 10), y in [3, 7): every
 * sample offset lies strictly inside its pixel, so each of the 32 pixels' 4 samples is covered
 * exactly once (the shared edge belongs to one triangle only) and nothing outside. */
static void hand_worked(bool simd)
{
    fb_raster r;
    CHECK_EQ_INT(fb_raster_init(&r, 16, 12), 0);
    fb_raster_set_simd(simd);
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

/* Many random triangles (spans of every length, odd and even, clipped at the borders, thin and
 * wide) drawn with both loops: the same buffers, bit for bit. */
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
    for (int pass = 0; pass < 3; pass++) {
        uint32_t ca = 0, cb = 0;
        fb_raster_set_simd(false);
        fb_raster_begin(&a);
        fb_raster_new_pass(&a);
        size_t da = fb_raster_tris(&a, v, (const uint32_t(*)[3])tri, NT, (uint16_t)(pass + 1),
                                   NULL, 9, pass == 1, pass == 2 ? NULL : &ca);
        fb_raster_set_simd(true);
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
    }
    fb_raster_set_simd(true);
    fb_raster_free(&a);
    fb_raster_free(&b);
    free(v);
    free(tri);
}

int main(void)
{
    hand_worked(false);
    hand_worked(true);
    both_loops_agree();
    return FBTEST_END();
}
