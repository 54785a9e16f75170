/* test_vertices.c — a posed mesh's vertices shaded eight at a time (AVX2, AVX-512: each path this
 * CPU has) equal, bit for bit, to one at a time: real figures' meshes at every level of detail,
 * posed and seen from a camera (some vertices behind it or too near), a hand-worked vertex, the
 * emissivity table's corners, and a mesh's last few vertices (lanes past its end neither written
 * nor boxed). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../models/figure.h"
#include "../../sim/world/vertices.h"
#include "../fbtest.h"

static float emissivity_table[16][65];

/* The eight-at-a-time paths this CPU has, each compared with one at a time (set by main). */
static fb_isa simd_isa[2];
static int n_simd;

static void fill_table(void)
{
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 65; j++)
            emissivity_table[i][j] = 0.85f + 0.01f * (float)i - 0.002f * (float)(64 - j) / 8.0f;
}

/* Same floats for every vertex drawn (x, y where projected), same parts and boxes. */
static int same(const fb_rvert *a, const fb_rvert *b, const uint8_t *pa, const uint8_t *pb,
                uint32_t n)
{
    int bad = 0;
    for (uint32_t i = 0; i < n; i++) {
        bad += memcmp(&a[i].inv_z, &b[i].inv_z, sizeof(float)) != 0;
        bad += memcmp(&a[i].rad, &b[i].rad, sizeof(float)) != 0;
        if (a[i].inv_z > 0.0f)
            bad += memcmp(&a[i].x, &b[i].x, sizeof(float)) != 0 ||
                   memcmp(&a[i].y, &b[i].y, sizeof(float)) != 0;
        bad += pa[i] != pb[i];
    }
    return bad;
}

static void figures_agree(void)
{
    fb_camera_geom geom;
    CHECK_EQ_INT(fb_camera_geom_init(&geom, 256, 192, 50.0, 2.2, 12.0), 0);
    float zr[FB_TZ_COUNT];
    for (int z = 0; z < FB_TZ_COUNT; z++)
        zr[z] = 40.0f + 0.7f * (float)z;
    const float spot_rad[3] = {0.0f, 52.5f, 51.75f};
    static fb_rvert a[20000], b[20000];
    static uint8_t pa[20000], pb[20000];
    uint32_t total = 0, projected = 0, behind = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        fb_rng r;
        fb_rng_seed(&r, seed, 1, 0);
        fb_figure_look lk;
        fb_body_dims d;
        fb_figure_draw(&r, 1.7, &lk, &d);
        fb_figure f;
        /* 1 a cup, 2 glasses and a hat (a hat's vertices widen the face box), 3 a mask */
        CHECK_EQ_INT(fb_figure_init(&f, &lk, 1.7, seed == 2, seed == 3, seed == 2, seed == 1), 0);
        /* near (some vertices nearer than 5 cm or behind the lens), at 2 m turned, at 6 m */
        const double place[3][3] = {{0.0, 0.02, 20.0}, {0.3, 2.0, -25.0}, {-1.0, 6.0, 5.0}};
        for (int l = 0; l < FB_FIG_LODS; l++) {
            size_t nm;
            const fb_fig_mesh *m = fb_figure_lod(&f, l, &nm);
            CHECK(m != NULL);
            for (int pl = 0; pl < 3; pl++) {
                fb_figure_pose pose;
                fb_figure_pose_at(&f, place[pl][0], place[pl][1], 0.3 * l, 1.2, place[pl][2], &pose);
                for (size_t i = 0; m && i < nm; i++) {
                    if (m[i].nv > 20000)
                        continue;
                    fb_vert_ctx c = {&geom, pose.m[m[i].bone], zr, spot_rad,
                                     (const float(*)[65])emissivity_table, 30.0f, 0.97f, 0.9f};
                    fb_vert_box ba, bb;
                    fb_vert_box_empty(&ba);
                    fb_vertices_set_isa(FB_ISA_C);
                    fb_vertices_shade(&c, m[i].v, &m[i].soa, m[i].nv, a, pa, &ba);
                    for (int s = 0; s < n_simd; s++) {
                        fb_vert_box_empty(&bb);
                        fb_vertices_set_isa(simd_isa[s]);
                        fb_vertices_shade(&c, m[i].v, &m[i].soa, m[i].nv, b, pb, &bb);
                        CHECK_EQ_INT(same(a, b, pa, pb, m[i].nv), 0);
                        CHECK(memcmp(&ba, &bb, sizeof ba) == 0);
                    }
                    total += m[i].nv;
                    for (uint32_t k = 0; k < m[i].nv; k++)
                        projected += a[k].inv_z > 0.0f, behind += a[k].inv_z == 0.0f;
                }
            }
        }
        fb_figure_free(&f);
    }
    fb_vertices_set_isa(FB_ISA_BEST);
    CHECK(total > 30000);
    printf("%u vertices, %u projected, %u not\n", total, projected, behind);
    CHECK(projected > 10000 && behind > 100); /* both kinds of vertex were compared */
}

/* A level camera at 1.5 m (64 x 48, 60 degrees), a bone 2 m in front of it at its height, zone 3
 * at radiance 50 and no canthus spots: the scene the hand-made shading tests share. */
typedef struct axis_scene {
    fb_camera_geom geom;
    double bone[12];
    float zr[FB_TZ_COUNT];
    float spot_rad[3];
} axis_scene;

static void axis_scene_init(axis_scene *sc)
{
    memset(sc, 0, sizeof(*sc));
    CHECK_EQ_INT(fb_camera_geom_init(&sc->geom, 64, 48, 60.0, 1.5, 0.0), 0);
    const double bone[12] = {1, 0, 0, 0, 0, 1, 0, 2.0, 0, 0, 1, 1.5};
    memcpy(sc->bone, bone, sizeof(bone));
    sc->zr[3] = 50.0f;
}

/* Scene sc's shading context: the room's radiance 30, transmission 0.9, the air's radiance 1. */
static fb_vert_ctx axis_ctx(const axis_scene *sc)
{
    const fb_vert_ctx c = {&sc->geom, sc->bone, sc->zr, sc->spot_rad,
                           (const float(*)[65])emissivity_table, 30.0f, 0.9f, 1.0f};
    return c;
}

/* A face vertex facing the camera (normal -y), all zone 3, emissivity 0.95; its position as set. */
static void facing_vertex(fb_fig_vertex *v)
{
    v->n[1] = -1.0f;
    v->zone[0] = 3;
    v->w[0] = 1.0f;
    v->eps0 = 0.95f;
    v->part = FB_PART_FACE;
}

/* One vertex by hand: bone identity, a point 2 m in front of a level camera at 1.5 m, facing it,
 * all weight on one zone, emissivity 0.95 head-on (table column 64). */
static void hand_worked(void)
{
    axis_scene sc;
    axis_scene_init(&sc);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 65; j++)
            emissivity_table[i][j] = 0.5f;
    emissivity_table[9][64] = emissivity_table[10][64] = 0.95f; /* (0.95f - 0.85f) * 100 is 9.99..: rows 9 and 10 */
    fb_fig_vertex v[9];
    memset(v, 0, sizeof v);
    for (int k = 0; k < 9; k++) /* nine the same: eight lanes, then one and seven of padding */
        facing_vertex(&v[k]);
    const fb_vert_ctx c = axis_ctx(&sc);
    fb_fig_soa soa;
    CHECK_EQ_INT(fb_fig_soa_build(v, 9, &soa), 0);
    for (int s = -1; s < n_simd; s++) { /* one at a time, then each eight-at-a-time path */
        fb_rvert out[9];
        uint8_t part[9];
        fb_vert_box box;
        fb_vert_box_empty(&box);
        fb_vertices_set_isa(s < 0 ? FB_ISA_C : simd_isa[s]);
        fb_vertices_shade(&c, v, &soa, 9, out, part, &box);
        /* l = 0.95 * 50 + 0.05 * 30 = 49; rad = 0.9 * 49 + 1 = 45.1; on the axis: the centre */
        for (int k = 0; k < 9; k++) {
            CHECK_NEAR(out[k].rad, 45.1, 1e-4);
            CHECK_NEAR(out[k].x, 32.0, 1e-9);
            CHECK_NEAR(out[k].y, 24.0, 1e-9);
            CHECK_NEAR(out[k].inv_z, 0.5, 1e-7);
            CHECK_EQ_INT(part[k], FB_PART_FACE);
        }
        CHECK_NEAR(box.fx0, 32.0, 1e-12);
        CHECK_NEAR(box.by1, 24.0, 1e-12);
    }
    fb_vertices_set_isa(FB_ISA_BEST);
    free(soa.p[0]);
}

/* n vertices off the bone's origin (where the zero padding past the last one would project: the
 * image centre), n not a multiple of eight: the boxes hold the vertices' point only, nothing is
 * written past out[n - 1], and one at a time gives the same. */
static void last_lanes(uint32_t n)
{
    axis_scene sc;
    axis_scene_init(&sc);
    fb_fig_vertex v[16];
    memset(v, 0, sizeof v);
    for (uint32_t k = 0; k < n; k++) {
        facing_vertex(&v[k]);
        v[k].p[0] = 0.4f; /* 0.4 m right of and 0.3 m above the origin, 2 m in front */
        v[k].p[2] = 0.3f;
    }
    const fb_vert_ctx c = axis_ctx(&sc);
    fb_fig_soa soa;
    CHECK_EQ_INT(fb_fig_soa_build(v, n, &soa), 0);
    /* pass 0 one at a time, pass 1 + s eight-at-a-time path s */
    fb_rvert out[3][17];
    uint8_t part[3][17];
    fb_vert_box box[3];
    const int passes = 1 + n_simd;
    for (int pass = 0; pass < passes; pass++) {
        memset(out[pass], 0x5a, sizeof out[pass]);
        memset(part[pass], 0x5a, sizeof part[pass]);
        fb_vert_box_empty(&box[pass]);
        fb_vertices_set_isa(pass ? simd_isa[pass - 1] : FB_ISA_C);
        fb_vertices_shade(&c, v, &soa, n, out[pass], part[pass], &box[pass]);
    }
    fb_vertices_set_isa(FB_ISA_BEST);
    free(soa.p[0]);
    const double u = 32.0 + sc.geom.focal_px * (double)0.4f / 2.0;
    const double vv = 24.0 - sc.geom.focal_px * (double)0.3f / 2.0;
    for (int pass = 0; pass < passes; pass++) {
        CHECK_NEAR(box[pass].bx0, u, 1e-9);
        CHECK_NEAR(box[pass].bx1, u, 1e-9);
        CHECK_NEAR(box[pass].by0, vv, 1e-9);
        CHECK_NEAR(box[pass].by1, vv, 1e-9);
        CHECK_NEAR(box[pass].fx0, u, 1e-9);
        CHECK_NEAR(box[pass].fy1, vv, 1e-9);
        for (uint32_t k = 0; k < n; k++)
            CHECK_NEAR(out[pass][k].x, u, 1e-5);
        const uint8_t untouched[sizeof(fb_rvert)] = {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
                                                     0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a};
        CHECK(memcmp(&out[pass][n], untouched, sizeof untouched) == 0);
        CHECK_EQ_INT(part[pass][n], 0x5a);
    }
    for (int pass = 1; pass < passes; pass++) {
        CHECK(same(out[0], out[pass], part[0], part[pass], n) == 0);
        CHECK(memcmp(&box[0], &box[pass], sizeof box[0]) == 0);
    }
}

/* The emissivity table's corners: normal emissivity 0.85, 0.9 and 1.0 (its first row, a middle
 * one, its last two) seen head-on (cos 1: its last column, whose right neighbour is the next
 * row's first or past the table's end) and edge-on (cos 0: its first column), eight lanes and a
 * ninth: the lanes read the same entries as one at a time. */
static void table_corners(void)
{
    fill_table();
    axis_scene sc;
    axis_scene_init(&sc);
    const float eps0[3] = {0.85f, 0.9f, 1.0f};
    fb_fig_vertex v[9];
    memset(v, 0, sizeof v);
    for (int k = 0; k < 9; k++) {
        v[k].n[k % 2 ? 0 : 1] = k % 2 ? 1.0f : -1.0f; /* head-on, edge-on, ... */
        v[k].zone[0] = 3;
        v[k].w[0] = 1.0f;
        v[k].eps0 = eps0[k % 3];
        v[k].part = FB_PART_BODY;
    }
    const fb_vert_ctx c = axis_ctx(&sc);
    fb_fig_soa soa;
    CHECK_EQ_INT(fb_fig_soa_build(v, 9, &soa), 0);
    /* pass 0 one at a time, pass 1 + s eight-at-a-time path s */
    fb_rvert out[3][9];
    uint8_t part[3][9];
    fb_vert_box box[3];
    const int passes = 1 + n_simd;
    for (int pass = 0; pass < passes; pass++) {
        fb_vert_box_empty(&box[pass]);
        fb_vertices_set_isa(pass ? simd_isa[pass - 1] : FB_ISA_C);
        fb_vertices_shade(&c, v, &soa, 9, out[pass], part[pass], &box[pass]);
    }
    fb_vertices_set_isa(FB_ISA_BEST);
    free(soa.p[0]);
    /* head-on at 1.0 reads the last entry: l = e * 50 + (1 - e) * 30, rad = 0.9 l + 1 */
    const double e = (double)emissivity_table[15][64];
    for (int pass = 0; pass < passes; pass++) {
        CHECK(same(out[0], out[pass], part[0], part[pass], 9) == 0);
        CHECK(memcmp(&box[0], &box[pass], sizeof box[0]) == 0);
        CHECK_NEAR(out[pass][2].rad, 0.9 * (e * 50.0 + (1.0 - e) * 30.0) + 1.0, 1e-4);
    }
}

int main(void)
{
    const struct {
        fb_isa isa;
        const char *name;
    } paths[] = {{FB_ISA_AVX2, "AVX2"}, {FB_ISA_AVX512, "AVX-512"}};
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        if (fb_isa_has(paths[k].isa)) {
            simd_isa[n_simd++] = paths[k].isa;
            printf("comparing C with %s\n", paths[k].name);
        } else {
            printf("skipped: %s (this CPU or build lacks it)\n", paths[k].name);
        }
    }
    fill_table();
    figures_agree();
    hand_worked();
    table_corners();
    for (uint32_t n = 1; n <= 15; n += 2)
        last_lanes(n);
    return FBTEST_END();
}
