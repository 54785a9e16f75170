/* test_frontend.c — the integer pixel pipeline on hand-worked pixels (NUC, floor shifts, clamps, bad pixels, table interpolation) and the sensor + front-end chain on blackbody scenes. */
#include <math.h>
#include <stdlib.h>
#include "fb_error.h"
#include "fbtest.h"
#include "frontend.h"

/* cal[k] = 64 k makes ck equal to y, so the NUC and bad-pixel stages can be read directly. */
static void identity_cal(fb_frontend *fe)
{
    for (int k = 0; k < FB_FE_CAL_N; k++)
        fe->cal_ck[k] = (uint16_t)(k * 64);
}

static void test_nuc(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 8, 1), FB_OK);
    CHECK(fe.gain[3] == FB_FE_GAIN_ONE && fe.offset[3] == 0 && fe.bad[3] == 0);
    CHECK(fe.cal_ck[0] == 0 && fe.cal_ck[256] == 0);
    identity_cal(&fe);
    uint16_t in[8] = {8200, 1000, 100, 101, 16383, 5000, 0, 300};
    uint16_t out[8];
    fe.offset[0] = 8;      /* x = 8192, gain 1: (8192 * 16384 + 8192) >> 14 = 8192 */
    fe.offset[1] = 1100;   /* x = -100: floor(-99.5) = -100 -> clamped to 0 */
    fe.gain[2] = 24576;    /* 1.5: floor(150 + 0.5) = 150 */
    fe.gain[3] = 24576;    /* 101 * 1.5 = 151.5, + 0.5 = 152 */
    fe.gain[4] = 32768;    /* 2.0: 32766 -> clamped to 16383 */
    fe.offset[5] = -1000;  /* x = 6000, gain 0.75 (12288): 4500 + 0.5 -> 4500 */
    fe.gain[5] = 12288;
    fe.offset[6] = 1;      /* x = -1, gain 0.25 (4096): -4096 + 8192 = 4096 -> 0 */
    fe.gain[6] = 4096;
    fe.gain[7] = 16385;    /* 300 * 16385 + 8192 = 4923692, >> 14 = 300.5... -> 300 */
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 8192);
    CHECK_EQ_INT(out[1], 0);
    CHECK_EQ_INT(out[2], 150);
    CHECK_EQ_INT(out[3], 152);
    CHECK_EQ_INT(out[4], 16383);
    CHECK_EQ_INT(out[5], 4500);
    CHECK_EQ_INT(out[6], 0);
    CHECK_EQ_INT(out[7], 300);
    fb_frontend_free(&fe);
}

/* Counts above 14 bits (out of spec, but uint16 allows them) take the 64-bit path. */
static void test_wide_counts(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 4, 1), FB_OK);
    identity_cal(&fe);
    uint16_t in[4] = {40000, 65535, 20000, 100};
    uint16_t out[4];
    fe.offset[0] = 30000;  /* x = 10000 -> 10000 */
    fe.offset[1] = -32768; /* x = 98303, gain 65535: 6.4e9 needs 64 bits -> clamped 16383 */
    fe.gain[1] = 65535;
    fe.gain[2] = 8192;     /* 0.5: 10000 + 0.5 -> 10000 */
    fe.bad[3] = 1;         /* right edge: takes y[2] */
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 10000);
    CHECK_EQ_INT(out[1], 16383);
    CHECK_EQ_INT(out[2], 10000);
    CHECK_EQ_INT(out[3], 10000);
    fe.gain[0] = 1;        /* x = 10000, gain 1/16384: floor((10000 + 8192) / 16384) = 1 */
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 1);
    fb_frontend_free(&fe);
}

static void test_bad_pixels(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 6, 4), FB_OK);
    identity_cal(&fe);
    uint16_t in[24] = {
        100, 200, 999, 301, 400, 999, /* row 0: bad at 0 (left edge), 2 (middle), 5 (right edge) */
        10,  999, 999, 41,  50,  60,  /* row 1: two bad in a row share the same neighbours */
        7,   8,   9,   10,  11,  12,  /* row 2: all bad -> unchanged */
        1,   2,   3,   4,   5,   6};  /* row 3: none bad */
    static const int bad[24] = {1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0,
                                1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    uint16_t out[24];
    for (int i = 0; i < 24; i++)
        fe.bad[i] = (uint8_t)bad[i];
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 200);        /* one side: the right neighbour */
    CHECK_EQ_INT(out[2], 250);        /* floor((200 + 301) / 2) = 250 */
    CHECK_EQ_INT(out[5], 400);        /* one side: the left neighbour */
    CHECK_EQ_INT(out[1], 200);
    CHECK_EQ_INT(out[3], 301);
    CHECK_EQ_INT(out[7], 25);         /* floor((10 + 41) / 2) */
    CHECK_EQ_INT(out[8], 25);
    for (int i = 12; i < 18; i++)
        CHECK_EQ_INT(out[i], in[i]);
    for (int i = 18; i < 24; i++)
        CHECK_EQ_INT(out[i], in[i]);
    /* Neighbours are taken after NUC: a good neighbour's own offset applies first. */
    fe.offset[1] = 100; /* y[1] = 100 -> out[0] = 100, out[2] = floor((100 + 301) / 2) = 200 */
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 100);
    CHECK_EQ_INT(out[2], 200);
    fb_frontend_free(&fe);
}

static void test_interpolation(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 6, 1), FB_OK);
    fe.cal_ck[128] = 30000;
    fe.cal_ck[129] = 30250;
    fe.cal_ck[130] = 30000; /* decreasing: exercises the floor shift of a negative product */
    fe.cal_ck[10] = 1000;
    fe.cal_ck[11] = 1001;
    fe.cal_ck[255] = 65000;
    fe.cal_ck[256] = 65535;
    uint16_t in[6] = {8192 + 37, 8256 + 37, 640 + 32, 640 + 31, 16383, 8192};
    uint16_t out[6];
    fb_frontend_process(&fe, in, out);
    CHECK_EQ_INT(out[0], 30145); /* 30000 + floor((250 * 37 + 32) / 64) = 30000 + 145 */
    CHECK_EQ_INT(out[1], 30105); /* 30250 + floor((-250 * 37 + 32) / 64) = 30250 - 145 */
    CHECK_EQ_INT(out[2], 1001);  /* 1000 + floor((32 + 32) / 64): a half rounds up */
    CHECK_EQ_INT(out[3], 1000);  /* 1000 + floor((31 + 32) / 64) */
    CHECK_EQ_INT(out[4], 65527); /* k 255, f 63: 65000 + floor((535 * 63 + 32) / 64) = 65000 + 527 */
    CHECK_EQ_INT(out[5], 30000); /* f = 0: the entry itself */
    fb_frontend_free(&fe);
}

static void test_chain(void)
{
    fb_radiometry *rad = malloc(sizeof(*rad));
    fb_radiometry_init(rad);
    enum { W = 32, H = 24, N = W * H };
    fb_sensor_params p = {
        .width = W, .height = H, .counts_per_k = 40.0, .reference_c = 30.0, .drift_tau_s = 60.0};
    fb_sensor s;
    fb_frontend fe;
    float scene[N];
    uint16_t counts[N], ck[N];
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 1), FB_OK);
    CHECK_EQ_INT(fb_frontend_init(&fe, W, H), FB_OK);
    fb_frontend_calibrate(&fe, &s, rad);
    int mono = 1;
    for (int k = 1; k < FB_FE_CAL_N; k++)
        mono &= fe.cal_ck[k] >= fe.cal_ck[k - 1];
    CHECK(mono);
    CHECK_EQ_INT(fe.cal_ck[0], 0); /* counts 0 would be negative radiance here */
    /* the entry at 8192 counts is the reference temperature, 303.15 K */
    CHECK_EQ_INT(fe.cal_ck[128], 30315);

    /* A uniform 310.15 K blackbody reads 31015 ck +/- 2 (rounding to counts is 2.5 ck). */
    int worst = 0;
    for (double t = 290.15; t <= 320.15 + 1e-9; t += 0.5) {
        for (int i = 0; i < N; i++)
            scene[i] = (float)fb_radiometry_radiance(rad, t);
        fb_sensor_expose(&s, scene, 0.04, counts);
        fb_frontend_process(&fe, counts, ck);
        int e = abs((int)ck[N / 2] - (int)lround(t * 100.0));
        worst = e > worst ? e : worst;
        CHECK(ck[0] == ck[N - 1]);
    }
    CHECK(worst <= 2);
    for (int i = 0; i < N; i++)
        scene[i] = (float)fb_radiometry_radiance(rad, 310.15);
    fb_sensor_expose(&s, scene, 0.04, counts);
    fb_frontend_process(&fe, counts, ck);
    CHECK_NEAR(ck[0], 31015, 2);
    fb_sensor_free(&s);

    /* With drift the reading is off by about drift / counts_per_k (the local slope at
     * 310 K differs from 300 K's by a few per cent): exactly the radiance the drift adds. */
    p.drift_sd_k = 0.5;
    p.drift_tau_s = 30.0;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 2), FB_OK);
    int ok_exact = 1, ok_approx = 1, moved = 0;
    for (int i = 0; i < 20; i++) {
        double t_s = 15.0 * i;
        fb_sensor_expose(&s, scene, t_s, counts);
        fb_frontend_process(&fe, counts, ck);
        double l_eff = (float)fb_radiometry_radiance(rad, 310.15) +
                       s.drift_counts / s.gain_counts_per_radiance;
        double want = fb_radiometry_temperature(rad, l_eff) * 100.0;
        ok_exact &= fabs(ck[0] - want) <= 2.0;
        double off_ck = s.drift_counts / 40.0 * 100.0;
        ok_approx &= fabs((ck[0] - 31015.0) - off_ck) <= 2.0 + 0.1 * fabs(off_ck);
        moved += fabs(off_ck) > 10.0;
    }
    CHECK(ok_exact);
    CHECK(ok_approx);
    CHECK(moved > 0);
    fb_sensor_free(&s);
    fb_frontend_free(&fe);
    free(rad);
}


/* The header's definition, written out the plain way (64-bit products, per-pixel branches, a
 * second buffer for y): the reference the fast model must equal on random inputs. */
static int64_t ref_floor_shr(int64_t x, unsigned sh)
{
    return x >= 0 ? x >> sh : -(int64_t)(((uint64_t)(-(x + 1)) >> sh) + 1u);
}

static void ref_process(const fb_frontend *fe, const uint16_t *counts, uint16_t *ck)
{
    const int w = fe->width, h = fe->height;
    int32_t *y = malloc((size_t)w * (size_t)h * sizeof(*y));
    for (int i = 0; i < w * h; i++) {
        int64_t v = ref_floor_shr(((int64_t)counts[i] - fe->offset[i]) * fe->gain[i] + 8192, 14);
        y[i] = (int32_t)(v < 0 ? 0 : v > 16383 ? 16383 : v);
    }
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++) {
            int i = r * w + c, yl = -1, yr = -1;
            if (!fe->bad[i])
                continue;
            for (int k = c - 1; k >= 0 && yl < 0; k--)
                if (!fe->bad[r * w + k])
                    yl = y[r * w + k];
            for (int k = c + 1; k < w && yr < 0; k++)
                if (!fe->bad[r * w + k])
                    yr = y[r * w + k];
            int32_t v = yl >= 0 && yr >= 0 ? (yl + yr) / 2 : yl >= 0 ? yl : yr >= 0 ? yr : y[i];
            ck[i] = (uint16_t)v; /* y for now: replacements read only the good y[] */
        }
    for (int i = 0; i < w * h; i++) {
        int32_t v = fe->bad[i] ? ck[i] : y[i];
        int k = v >> 6, f = v & 63;
        int64_t d = (int64_t)fe->cal_ck[k + 1] - fe->cal_ck[k];
        ck[i] = (uint16_t)(fe->cal_ck[k] + ref_floor_shr(d * f + 32, 6));
    }
    free(y);
}

/* Random tables, counts (some beyond 14 bits), bad maps from sparse to dense, odd widths: the
 * model equals the reference bit for bit, also after cal_ck changes (its table is rebuilt). */
static void test_random_vs_reference(void)
{
    uint64_t x = 0x243F6A8885A308D3ull;
#define NEXT() (x = x * 6364136223846793005ull + 1442695040888963407ull, (uint32_t)(x >> 32))
    static const int sizes[][2] = {{1, 1}, {7, 3}, {8, 2}, {33, 5}, {256, 6}, {19, 17}};
    for (size_t t = 0; t < sizeof(sizes) / sizeof(sizes[0]) * 4; t++) {
        const int w = sizes[t % 6][0], h = sizes[t % 6][1], n = w * h;
        fb_frontend fe;
        CHECK_EQ_INT(fb_frontend_init(&fe, w, h), FB_OK);
        uint16_t *in = malloc((size_t)n * 2), *a = malloc((size_t)n * 2), *b = malloc((size_t)n * 2);
        unsigned bad_per_1024 = (unsigned[]){0, 4, 200, 1024}[t % 4];
        /* reps 3..5 keep counts below 32768, which the AVX-512 VBMI path takes in 16-bit lanes */
        for (int rep = 0; rep < 6; rep++) {
            for (int k = 0; k < FB_FE_CAL_N; k++)
                fe.cal_ck[k] = (uint16_t)(rep % 3 == 1 ? NEXT() : 20000u + (unsigned)k * 150u);
            const uint32_t wide = rep < 3 ? 0xffffu : 0x7fffu;
            for (int i = 0; i < n; i++) {
                uint32_t r = NEXT();
                in[i] = (uint16_t)(r % 8 == 0 ? NEXT() & wide : 6000u + NEXT() % 4000u);
                fe.offset[i] = (int16_t)(r % 16 == 1 ? (int32_t)(NEXT() % 65536u) - 32768
                                                     : (int32_t)(NEXT() % 400u) - 200);
                fe.gain[i] = (uint16_t)(r % 16 == 2 ? NEXT() : 15000u + NEXT() % 3000u);
                fe.bad[i] = (uint8_t)(NEXT() % 1024u < bad_per_1024);
            }
            fb_frontend_process(&fe, in, a);
            ref_process(&fe, in, b);
            int diff = 0;
            for (int i = 0; i < n; i++)
                diff += a[i] != b[i];
            CHECK_EQ_INT(diff, 0);
        }
        free(in);
        free(a);
        free(b);
        fb_frontend_free(&fe);
    }
#undef NEXT
}

/* Counts below 32768 with offsets and gains over their whole ranges (the AVX-512 VBMI path's
 * 16-bit NUC: its borrow, its saturated h gain and the rounding of l gain), every step of 64
 * pixels taken by that path: equal to the reference. Reps 8..11 keep every x = counts - offset
 * below 2^14 (14-bit counts, offsets >= 0, as the flat field makes them), the steps that path
 * takes without h. */
static void test_nuc_lanes(void)
{
    enum { W = 64, H = 64, N = W * H };
    uint32_t x = 88172645u;
#define XS() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, W, H), FB_OK);
    uint16_t *in = malloc(N * 2), *a = malloc(N * 2), *b = malloc(N * 2);
    for (int rep = 0; rep < 12; rep++) {
        for (int k = 0; k < FB_FE_CAL_N; k++)
            fe.cal_ck[k] = (uint16_t)(rep % 2 ? XS() : 15000u + 180u * (unsigned)k);
        for (int i = 0; i < N; i++) {
            in[i] = (uint16_t)(XS() & (rep < 8 ? 0x7fffu : 0x3fffu));
            fe.offset[i] = (int16_t)(rep < 8 ? (int32_t)((XS() & 0xffffu) - 32768u)
                                             : (int32_t)(XS() % 2000u));
            fe.gain[i] = (uint16_t)(rep < 4 ? XS() : 8192u + XS() % 24576u);
        }
        fb_frontend_process(&fe, in, a);
        ref_process(&fe, in, b);
        int diff = 0;
        for (int i = 0; i < N; i++)
            diff += a[i] != b[i];
        CHECK_EQ_INT(diff, 0);
    }
#undef XS
    free(in);
    free(a);
    free(b);
    fb_frontend_free(&fe);
}

/* Every NUC output y = 0..16383 once (gain one, offset zero: y = counts), on a rising, a
 * falling-and-rising random, a calibration-like and a saturated table: each vector path's table
 * step (the AVX-512 one interpolates in registers, the others look y up) against the scalar
 * reference. */
static void test_every_y(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 128, 128), FB_OK);
    uint16_t *in = malloc(FB_FE_Y_N * 2), *a = malloc(FB_FE_Y_N * 2), *b = malloc(FB_FE_Y_N * 2);
    for (int y = 0; y < FB_FE_Y_N; y++)
        in[y] = (uint16_t)y;
    uint32_t x = 2463534242u;
    for (int table = 0; table < 4; table++) { /* the saturated one last */
        for (int k = 0; k < FB_FE_CAL_N; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            fe.cal_ck[k] = (uint16_t)(table == 0 ? 15000u + 180u * (unsigned)k : table == 1 ? x : 65535u);
        }
        if (table == 2) { /* rising as a calibration's, steps 300..201 then 200..123: the VBMI
                           * path's one-byte steps serve from k = 45 up, not below */
            fe.cal_ck[0] = 100;
            for (int k = 0; k < FB_FE_CAL_N - 1; k++)
                fe.cal_ck[k + 1] =
                    (uint16_t)(fe.cal_ck[k] + (k < 100 ? 300 - k : 200 - (k - 100) / 2));
        }
        fb_frontend_process(&fe, in, a);
        ref_process(&fe, in, b);
        int diff = 0;
        for (int y = 0; y < FB_FE_Y_N; y++)
            diff += a[y] != b[y];
        CHECK_EQ_INT(diff, 0);
    }
    CHECK_EQ_INT(a[FB_FE_Y_N - 1], 65535);
    free(in);
    free(a);
    free(b);
    fb_frontend_free(&fe);
}

/* The factory flat field: a lens that passes V of the scene and adds (1 - V) of a housing at
 * the calibration temperature reads every scene temperature right again (within the counts'
 * and the gain's rounding); with the housing 3 K warmer the shaded pixel reads high by about
 * (1 - V) / V x 3 K (radiances near-linear over these few kelvin). */
static void test_flat_field(void)
{
    fb_radiometry *rad = malloc(sizeof(*rad));
    fb_radiometry_init(rad);
    enum { W = 8, H = 8, N = W * H };
    fb_sensor_params p = {
        .width = W, .height = H, .counts_per_k = 40.0, .reference_c = 30.0, .drift_tau_s = 60.0};
    fb_sensor s;
    fb_frontend fe;
    float illum[N], scene[N];
    uint16_t counts[N], ck[N];
    for (int i = 0; i < N; i++)
        illum[i] = i == 0 ? 0.85f : 1.0f;
    CHECK_EQ_INT(fb_sensor_init(&s, &p, rad, 1), FB_OK);
    CHECK_EQ_INT(fb_frontend_init(&fe, W, H), FB_OK);
    fb_frontend_calibrate(&fe, &s, rad);
    const double housing_c = 35.0;
    fb_frontend_flat_field(&fe, illum, &s, rad, housing_c);
    CHECK_EQ_INT(fe.gain[1], FB_FE_GAIN_ONE);
    CHECK_EQ_INT(fe.offset[1], 0);
    CHECK_EQ_INT(fe.gain[0], 19275); /* 16384 / 0.85, rounded */
    int worst = 0;
    for (double t = 295.15; t <= 315.15 + 1e-9; t += 1.0) {
        for (int i = 0; i < N; i++) {
            double l = fb_radiometry_radiance(rad, t), lh = fb_radiometry_radiance(rad, housing_c + 273.15);
            scene[i] = (float)(illum[i] * l + (1.0 - illum[i]) * lh);
        }
        fb_sensor_expose(&s, scene, 0.04, counts);
        fb_frontend_process(&fe, counts, ck);
        int e = abs((int)ck[0] - (int)lround(t * 100.0));
        worst = e > worst ? e : worst;
        CHECK(abs((int)ck[1] - (int)lround(t * 100.0)) <= 2);
    }
    CHECK(worst <= 3);
    /* the housing 3 K above its calibration: 0.15 / 0.85 x 3 K = 0.53 K high at the shaded pixel */
    double l = fb_radiometry_radiance(rad, 305.15), lh = fb_radiometry_radiance(rad, housing_c + 3 + 273.15);
    for (int i = 0; i < N; i++)
        scene[i] = (float)(illum[i] * l + (1.0 - illum[i]) * lh);
    fb_sensor_expose(&s, scene, 0.04, counts);
    fb_frontend_process(&fe, counts, ck);
    CHECK_NEAR(ck[0] - 30515, 53, 8);
    CHECK(abs((int)ck[1] - 30515) <= 2);
    fb_sensor_free(&s);
    fb_frontend_free(&fe);
    free(rad);
}

int main(void)
{
    fb_frontend fe;
    CHECK_EQ_INT(fb_frontend_init(&fe, 0, 4), FB_ERR_RANGE);
    fb_frontend_free(&fe);
    CHECK_EQ_INT(fb_frontend_init(&fe, 4, 4097), FB_ERR_RANGE);
    test_nuc();
    test_wide_counts();
    test_bad_pixels();
    test_interpolation();
    test_chain();
    test_flat_field();
    test_random_vs_reference();
    test_every_y();
    test_nuc_lanes();
    return FBTEST_END();
}
