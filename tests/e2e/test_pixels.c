/* test_pixels.c — the four pixel stages in row bands (sim/run/pixels.h) against them stage by stage: counts, ck, frames hash and flags bit for bit, frame after frame, with the lens blur applied in the loop or ahead (fb_pixels_blur), for odd and even sizes, every band size 1..H, blur radius 0 to the largest, with and without vignetting, dead and noisy pixels, frozen frames and FFCs; the streaming frames hash against the one-shot one; odd sensor spans; the frame in parts on pools of 2 and 3 threads; the blur's AVX-512, AVX2 and plain copies, whole and row by row. */
#include <stdlib.h>
#include <string.h>
#include "../../models/fb_error.h"
#include "../../models/frontend.h"
#include "../../models/optics.h"
#include "../../models/radiometry.h"
#include "../../models/sensor.h"
#include "../../sim/run/pixels.h"
#include "../../sim/util/hash.h"
#include "../../sim/util/pool.h"
#include "../fbtest.h"

/* The stages of one camera, set up as a session sets them up. */
typedef struct rig {
    fb_optics op;
    fb_sensor se;
    fb_frontend fe;
    fb_pixels px;
} rig;

typedef struct setup {
    int w, h;
    double blur_um;    /* 0: radius 0 (no blur); 40: the largest radius */
    double corner;     /* vignetting: 1 none */
    double noisy, dead;
    int ffc_frames;
    double netd_k;
} setup;

static fb_radiometry g_rad;

static int rig_open(rig *r, const setup *su, int band_rows)
{
    memset(r, 0, sizeof(*r));
    fb_optics_params op = {.pixel_pitch_um = su->blur_um > 0.0 ? 17.0 : 25.0, .f_number = 1.0, .lens_blur_um = su->blur_um,
                           .corner_illumination = su->corner, .hfov_deg = 50.0};
    fb_sensor_params sp = {.width = su->w, .height = su->h, .netd_k = su->netd_k,
                           .counts_per_k = 40.0, .reference_c = 25.0, .fpn_sd_k = 0.3,
                           .drift_sd_k = 0.05, .drift_tau_s = 30.0, .ambient_c = 22.0,
                           .power_on_s = 20.0, .fpa_rise_k = 8.0, .fpa_tau_s = 60.0,
                           .responsivity_tc_per_k = 0.002, .fpa_offset_k_per_k = 0.1,
                           .ffc_offset_k_per_k = 0.5, .ffc_period_s = 0.25,
                           .ffc_frames = su->ffc_frames, .fpn_growth_k_per_s = 0.01,
                           .dead_share = su->dead, .noisy_share = su->noisy};
    if (fb_optics_init(&r->op, su->w, su->h, &op) || fb_sensor_init(&r->se, &sp, &g_rad, 77) ||
        fb_frontend_init(&r->fe, su->w, su->h))
        return -1;
    fb_frontend_calibrate(&r->fe, &r->se, &g_rad);
    fb_frontend_flat_field(&r->fe, r->op.illum, &r->se, &g_rad, r->se.fpa_cal_c);
    fb_sensor_mark_dead(&r->se, r->fe.bad);
    return fb_pixels_init(&r->px, &r->op, &r->se, &r->fe, NULL, NULL, band_rows);
}

static void rig_close(rig *r)
{
    fb_pixels_free(&r->px);
    fb_optics_free(&r->op);
    fb_sensor_free(&r->se);
    fb_frontend_free(&r->fe);
}

/* Frame k's scene: the wall, and warm boxes that move with k, some rows without detail (and
 * one frame, k = 3, the wall alone). A value that is not the wall's at pixel 0 on frame 5: the
 * background hint is then not the wall. */
static void scene(float *rad, int w, int h, int k)
{
    const float wall = (float)fb_radiometry_radiance(&g_rad, 293.15);
    for (int i = 0; i < w * h; i++)
        rad[i] = wall;
    if (k == 3)
        return;
    uint32_t x = 2463534242u + (uint32_t)k * 7919u;
    for (int b = 0; b < 3; b++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        int x0 = (int)(x % (unsigned)w), y0 = (int)((x >> 8) % (unsigned)h);
        int bw = 1 + (int)((x >> 16) % 9u), bh = 1 + (int)((x >> 20) % 5u);
        for (int y = y0; y < y0 + bh && y < h; y++)
            for (int xx = x0; xx < x0 + bw && xx < w; xx++)
                rad[y * w + xx] =
                    (float)fb_radiometry_radiance(&g_rad, 300.0 + (double)((xx * 7 + y) % 11));
    }
    if (k == 5)
        rad[0] = (float)fb_radiometry_radiance(&g_rad, 310.0);
}

/* Rigs whose frames went in parts on a pool (compare with a pool). */
static int g_in_parts;

/* The reference (stage by stage) and a banded rig, on `pool` when not NULL (fb_pixels_set_pool),
 * frames 0..n-1; returns the mismatches. */
static int compare_on(const setup *su, int band_rows, int frames, int *frozen_seen,
                      fb_pool *pool)
{
    rig a, b;
    int bad = 0;
    if (rig_open(&a, su, FB_PIXELS_STAGE_BY_STAGE) || rig_open(&b, su, band_rows) ||
        fb_pixels_set_pool(&b.px, pool)) {
        rig_close(&a);
        rig_close(&b);
        return 1000;
    }
    g_in_parts += b.px.n_parts > 1;
    size_t n = (size_t)su->w * (size_t)su->h;
    float *ra = malloc(n * sizeof(*ra)), *rb = malloc(n * sizeof(*rb));
    uint16_t *ca = malloc(n * 2), *cb = malloc(n * 2), *ka = malloc(n * 2), *kb = malloc(n * 2);
    uint64_t ha = FB_FRAMES_HASH_INIT, hb = FB_FRAMES_HASH_INIT;
    for (int k = 0; k < frames && ra && rb && ca && cb && ka && kb; k++) {
        scene(ra, su->w, su->h, k);
        memcpy(rb, ra, n * sizeof(*ra));
        double t = 0.04 * (k + 1), amb = 22.0 + 0.5 * (k % 3);
        float housing = (float)fb_radiometry_radiance(&g_rad, 303.15);
        unsigned fa = 9, fb = 9;
        fb_pixel_times tm = {.split = 1};
        /* the lens blur applied ahead (fb_pixels_blur, as the thread that drew a frame does) on
         * every odd frame of the banded rig and on frames 2, 6, 10 of the reference: never on
         * both at once */
        const int ahead_a = k % 4 == 2, ahead_b = k % 2 == 1;
        if (ahead_a)
            fb_pixels_blur(&a.px, ra);
        if (ahead_b)
            fb_pixels_blur(&b.px, rb);
        int r1 = fb_pixel_stages(&a.px, ra, ahead_a, housing, amb, t, ca, ka, &ha, &fa, NULL,
                                 NULL, 0);
        int r2 = fb_pixel_stages(&b.px, rb, ahead_b, housing, amb, t, cb, kb, &hb, &fb, &tm,
                                 NULL, 0);
        bad += r1 != FB_OK || r2 != FB_OK || fa != fb || ha != hb || memcmp(ca, cb, n * 2) ||
               memcmp(ka, kb, n * 2) || !(tm.all_s > 0.0);
        *frozen_seen += (fa & FB_SENSOR_FROZEN) != 0;
    }
    bad += a.se.ffc_count != b.se.ffc_count || a.se.frozen_left != b.se.frozen_left;
    free(ra);
    free(rb);
    free(ca);
    free(cb);
    free(ka);
    free(kb);
    rig_close(&a);
    rig_close(&b);
    return bad;
}

static int compare(const setup *su, int band_rows, int frames, int *frozen_seen)
{
    return compare_on(su, band_rows, frames, frozen_seen, NULL);
}

/* The reference path is the models' own functions in turn (what fb_session_step did). */
static void check_reference(void)
{
    setup su = {.w = 37, .h = 23, .blur_um = 20.0, .corner = 0.7, .noisy = 0.05, .dead = 0.03,
                .ffc_frames = 2, .netd_k = 0.05};
    rig a, b;
    CHECK(rig_open(&a, &su, FB_PIXELS_STAGE_BY_STAGE) == FB_OK);
    CHECK(rig_open(&b, &su, FB_PIXELS_STAGE_BY_STAGE) == FB_OK);
    size_t n = 37 * 23;
    float ra[37 * 23], rb[37 * 23];
    uint16_t ca[37 * 23], cb[37 * 23], ka[37 * 23], kb[37 * 23];
    uint64_t ha = 5, hb = 5;
    int same = 1;
    for (int k = 0; k < 12; k++) {
        scene(ra, 37, 23, k);
        memcpy(rb, ra, sizeof(ra));
        float housing = (float)fb_radiometry_radiance(&g_rad, 301.0);
        unsigned fa;
        fb_pixel_stages(&a.px, ra, 0, housing, 21.0, 0.04 * (k + 1), ca, ka, &ha, &fa, NULL, NULL, 0);
        fb_optics_blur(&b.op, rb, rb[0]);
        fb_optics_vignette(&b.op, rb, housing);
        fb_sensor_set_ambient_c(&b.se, 21.0);
        unsigned fb = fb_sensor_expose(&b.se, rb, 0.04 * (k + 1), cb);
        fb_frontend_process(&b.fe, cb, kb);
        hb = fb_frames_hash(hb, kb, n * 2);
        same &= fa == fb && ha == hb && !memcmp(ca, cb, sizeof(ca)) && !memcmp(ka, kb, sizeof(ka));
    }
    CHECK(same);
    rig_close(&a);
    rig_close(&b);
}

/* The streaming frames hash equals the one-shot one for any split (lengths across XXH3's
 * internal boundaries: 0..240 bytes short inputs, 1 KiB stripes, 64-byte blocks). */
static void check_hasher(void)
{
    static uint8_t buf[5000];
    uint32_t x = 1;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 24);
    }
    fb_frames_hasher *st = fb_frames_hasher_new();
    CHECK(st != NULL);
    const size_t lens[] = {0, 1, 17, 128, 240, 241, 1024, 1025, 4999, 5000};
    int same = 1;
    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]) && st; l++)
        for (size_t piece = 1; piece <= 700; piece = piece * 3 + 1) {
            fb_frames_hasher_begin(st, 0x1234u + l);
            for (size_t o = 0; o < lens[l]; o += piece)
                fb_frames_hasher_update(st, buf + o, lens[l] - o < piece ? lens[l] - o : piece);
            same &= fb_frames_hasher_end(st) == fb_frames_hash(0x1234u + l, buf, lens[l]);
        }
    CHECK(same);
    fb_frames_hasher_free(st);
}

/* fb_sensor_pixels over spans of every length 1..7 starting anywhere (odd starts included)
 * gives fb_sensor_expose's counts. */
static void check_sensor_spans(void)
{
    setup su = {.w = 29, .h = 11, .noisy = 0.1, .dead = 0.1, .netd_k = 0.06};
    for (int span = 1; span <= 7; span++) {
        rig a, b;
        CHECK(rig_open(&a, &su, FB_PIXELS_STAGE_BY_STAGE) == FB_OK);
        CHECK(rig_open(&b, &su, FB_PIXELS_STAGE_BY_STAGE) == FB_OK);
        size_t n = 29 * 11;
        float rad[29 * 11];
        uint16_t ca[29 * 11], cb[29 * 11];
        int same = 1;
        for (int k = 0; k < 4; k++) {
            scene(rad, 29, 11, k);
            double t = 1000.0 + k; /* past the noisy pixels' onsets */
            unsigned fa = fb_sensor_expose(&a.se, rad, t, ca);
            fb_sensor_frame f;
            unsigned fb = fb_sensor_begin(&b.se, t, &f);
            for (size_t i = 0; i < n; i += (size_t)span)
                fb_sensor_pixels(&b.se, &f, rad + i, i, (size_t)span, cb);
            fb_sensor_end(&b.se, &f);
            same &= fa == fb && !memcmp(ca, cb, sizeof(ca));
        }
        CHECK(same);
        CHECK(a.se.n_noisy > 0 && a.se.n_dead > 0);
        rig_close(&a);
        rig_close(&b);
    }
}

/* fb_optics_blur and fb_optics_row with each vector copy (AVX-512, AVX2, none, where the CPU
 * has them) give the same image bit for bit, for every radius 0..8 on odd and even sizes. */
static void check_optics_simd(void)
{
    const int sizes[][2] = {{37, 23}, {64, 16}, {17, 40}};
    int same = 1, radii_seen = 0;
    for (size_t z = 0; z < 3; z++)
        for (int r = 0; r <= FB_OPTICS_MAX_RADIUS; r++) {
            const int w = sizes[z][0], h = sizes[z][1];
            const size_t n = (size_t)w * (size_t)h, wb = (size_t)w * sizeof(float);
            /* sigma = blur / pitch, radius = ceil(3 sigma): blur for radius r */
            double blur = r == 0 ? 0.0 : 17.0 * fmax((r - 0.5) / 3.0, 0.3);
            fb_optics_params op = {.pixel_pitch_um = 17.0, .f_number = r == 0 ? 0.1 : 0.2,
                                   .lens_blur_um = blur, .corner_illumination = 1.0};
            fb_optics o[3];
            float *img[3], *row[3];
            for (int k = 0; k < 3; k++) {
                CHECK(fb_optics_init(&o[k], w, h, &op) == FB_OK);
                o[k].simd = k;
                img[k] = malloc(n * sizeof(float));
                row[k] = malloc(wb);
                scene(img[k], w, h, (int)z + r);
            }
            radii_seen |= 1 << o[0].radius;
            float *orig = malloc(n * sizeof(float));
            memcpy(orig, img[0], n * sizeof(float));
            for (int k = 0; k < 3; k++) {
                fb_optics_rows_begin(&o[k], orig[0]);
                for (int y = 0; y < h; y++) {
                    const float *got = fb_optics_row(&o[k], orig, y, row[k]);
                    memcpy(img[k] + (size_t)y * (size_t)w, got, wb);
                }
            }
            float *whole = malloc(n * sizeof(float));
            for (int k = 0; k < 3; k++) {
                memcpy(whole, orig, n * sizeof(float));
                fb_optics_blur(&o[k], whole, whole[0]);
                same &= !memcmp(whole, img[0], n * sizeof(float)) &&
                        !memcmp(img[k], img[0], n * sizeof(float));
            }
            for (int k = 0; k < 3; k++) {
                fb_optics_free(&o[k]);
                free(img[k]);
                free(row[k]);
            }
            free(orig);
            free(whole);
        }
    CHECK(same);
    CHECK_EQ_INT(radii_seen, (1 << (FB_OPTICS_MAX_RADIUS + 1)) - 1); /* every radius 0..8 */
}

int main(void)
{
    fb_radiometry_init(&g_rad);
    check_reference();
    check_hasher();
    check_sensor_spans();
    check_optics_simd();

    /* Sizes odd and even, thin and wide; blur radius 0, a middle one and the largest. */
    const int sizes[][2] = {{1, 1}, {37, 23}, {64, 17}, {33, 1}, {1, 19}, {256, 12}};
    const double blurs[] = {0.0, 20.0, 60.0};
    int frozen = 0;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
        for (size_t bl = 0; bl < 3; bl++) {
            setup su = {.w = sizes[s][0], .h = sizes[s][1], .blur_um = blurs[bl],
                        .corner = bl == 1 ? 1.0 : 0.6, .noisy = 0.03, .dead = 0.02,
                        .ffc_frames = (int)(s % 3), .netd_k = s == 4 ? 0.0 : 0.05};
            for (int band = 1; band <= su.h; band++) {
                int bad = compare(&su, band, 14, &frozen);
                if (bad)
                    fprintf(stderr, "%dx%d blur %.0f um band %d: %d mismatches\n", su.w, su.h,
                            su.blur_um, band, bad);
                CHECK_EQ_INT(bad, 0);
            }
            CHECK_EQ_INT(compare(&su, FB_PIXELS_BAND_AUTO, 14, &frozen), 0);
        }
    CHECK(frozen > 0); /* frozen frames were among those compared */

    /* In parts on pools of 2 and 3 threads (the noisy pixels' draws made before the parts, the
     * hash after): the same frames for band sizes 1, 2, a third, the whole height and auto. */
    fb_pool *pools[2];
    CHECK_EQ_INT(fb_pool_create(&pools[0], 2), FB_OK);
    CHECK_EQ_INT(fb_pool_create(&pools[1], 3), FB_OK);
    frozen = 0;
    for (int pi = 0; pi < 2; pi++)
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
            for (size_t bl = 0; bl < 3; bl++) {
                setup su = {.w = sizes[s][0], .h = sizes[s][1], .blur_um = blurs[bl],
                            .corner = bl == 1 ? 1.0 : 0.6, .noisy = 0.03, .dead = 0.02,
                            .ffc_frames = (int)(s % 3), .netd_k = s == 4 ? 0.0 : 0.05};
                const int bands[] = {1, su.h < 2 ? 1 : 2, (su.h + 2) / 3, su.h,
                                     FB_PIXELS_BAND_AUTO};
                for (int b = 0; b < 5; b++) {
                    int bad = compare_on(&su, bands[b], 14, &frozen, pools[pi]);
                    if (bad)
                        fprintf(stderr, "%dx%d blur %.0f um band %d, %d threads: %d mismatches\n",
                                su.w, su.h, su.blur_um, bands[b], pi + 2, bad);
                    CHECK_EQ_INT(bad, 0);
                }
            }
    CHECK(frozen > 0);
    /* all but those of one band went in parts: of 2 x 6 x 3 x 5 rigs, not the 1-row sizes (60),
     * nor a band of the whole height (24), nor the automatic band, at least 16 rows here (24) */
    CHECK_EQ_INT(g_in_parts, 72);
    /* a pool of one thread, or none, leaves the band loop on the calling thread */
    {
        fb_pool *one;
        CHECK_EQ_INT(fb_pool_create(&one, 1), FB_OK);
        setup su = {.w = 37, .h = 23, .blur_um = 20.0, .corner = 0.6};
        rig r;
        CHECK(rig_open(&r, &su, 2) == FB_OK);
        CHECK_EQ_INT(fb_pixels_set_pool(&r.px, one), FB_OK);
        CHECK_EQ_INT(r.px.n_parts, 0);
        CHECK_EQ_INT(fb_pixels_set_pool(&r.px, pools[0]), FB_OK);
        CHECK_EQ_INT(r.px.n_parts, 6); /* 12 bands of 2 rows, 3 parts a thread */
        CHECK_EQ_INT(fb_pixels_set_pool(&r.px, NULL), FB_OK);
        CHECK_EQ_INT(r.px.n_parts, 0);
        rig_close(&r);
        fb_pool_free(one);
    }
    fb_pool_free(pools[0]);
    fb_pool_free(pools[1]);

    /* Radius 0 and the largest are reached, and band sizes out of range are refused. */
    {
        setup su0 = {.w = 5, .h = 4, .blur_um = 0.0, .corner = 1.0};
        rig r0;
        CHECK(rig_open(&r0, &su0, 2) == FB_OK);
        CHECK_EQ_INT(r0.op.radius, 0);
        rig_close(&r0);
    }
    {
        setup su = {.w = 40, .h = 30, .blur_um = 60.0, .corner = 1.0};
        rig r;
        CHECK(rig_open(&r, &su, 30) == FB_OK);
        CHECK_EQ_INT(r.op.radius, FB_OPTICS_MAX_RADIUS);
        fb_pixels p2;
        CHECK_EQ_INT(fb_pixels_init(&p2, &r.op, &r.se, &r.fe, NULL, NULL, 31), FB_ERR_RANGE);
        fb_pixels_free(&p2);
        CHECK_EQ_INT(fb_pixels_init(&p2, &r.op, &r.se, &r.fe, NULL, NULL, -2), FB_ERR_RANGE);
        fb_pixels_free(&p2);
        fb_frontend fe2;
        CHECK(fb_frontend_init(&fe2, 40, 29) == FB_OK); /* a frame one row short */
        CHECK_EQ_INT(fb_pixels_init(&p2, &r.op, &r.se, &fe2, NULL, NULL, 4), FB_ERR_RANGE);
        fb_pixels_free(&p2);
        fb_frontend_free(&fe2);
        rig_close(&r);
    }
    return FBTEST_END();
}
