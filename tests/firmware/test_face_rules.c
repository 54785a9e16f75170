/* test_face_rules.c — faces.c's rules on hand-built frames: the eye window's canthus search (a mask's flat warm top edge left out, a band that ends kept), the hot-object test inside a head, and the canthus's local contrast with the size-of-source compensation built on it. */
#include "fbtest.h"

/* The rules under test are static in faces.c: this test compiles it in (and links no other copy),
 * and tracker.c for the compensation. */
#include "faces.c"
#include "tracker.c"

#define W 40
#define H 40
#define C(c) ((uint16_t)((c) * 100.0 + 27315.0 + 0.5)) /* °C -> ck */

static uint16_t frame[W * H];

/* Fills rows [y0, y1) of columns [x0, x1) with c °C. */
static void fill(int y0, int y1, int x0, int x1, double c) {
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            frame[y * W + x] = C(c);
}

/* A face in columns 5..34 at 33 °C from row 0 (forehead), an eye band at 33.4 °C in rows 8..10
 * with canthi at 34.6 °C (2 x 2 px, columns 16-17 and 22-23, rows 8-9), cheeks at 32.6 °C
 * below it; the window is rows 4..30, columns 10..29, the forehead from row 2. */
static void face(void) {
    fill(0, H, 0, W, 22.0);
    fill(0, H, 5, 35, 33.0);
    fill(8, 11, 5, 35, 33.4);
    fill(8, 10, 16, 18, 34.6);
    fill(8, 10, 22, 24, 34.6);
    fill(11, H, 5, 35, 32.6);
}

/* hot_in_head on a 40 x 40 frame at 22 °C with one 60 °C pixel at (x, y); the head is centred at
 * (20, 20), W 20, H 28.75: the test's ellipse has half-axes 0.425 W = 8.5 and 0.425 H = 12.22. */
static int hot_at(int x, int y) {
    fbfw_state s;
    memset(&s, 0, sizeof(s));
    s.w = W;
    s.h = H;
    s.hot_raw = C(40.0);
    fill(0, H, 0, W, 22.0);
    frame[y * W + x] = C(60.0);
    return hot_in_head(&s, frame, 20.0f, 20.0f, 20.0f, 28.75f);
}

static int32_t est_at = -1; /* the estimate's pixel, y * W + x */
static float est_contrast;  /* its local contrast, ck */

static double estimate(void) {
    fbfw_state s;
    float est = 0.0f;
    int32_t reach = -1, at = -1;
    memset(&s, 0, sizeof(s));
    s.w = W;
    s.h = H;
    s.hot_raw = C(40.0);
    if (!eye_window(&s, frame, 2, 10, 4, 30, 30, C(32.0), &est, &reach, &at))
        return -1.0;
    CHECK_EQ_INT(reach, 29); /* skin all the way down */
    est_at = at;
    est_contrast = local_contrast(&s, frame, at, est);
    return est / 100.0 - 273.15;
}

int main(void) {
    /* A cup's hot pixel inside the head's central ellipse, judged at pixel centres:
     * ((x + 0.5 - 20) / 8.5)^2 + ((y + 0.5 - 20) / 12.22)^2 <= 1. Inside: the centre (0.005),
     * 7 right (0.78), 11 down (0.89). Outside: 8 right (1.002: the edge passes the pixel's
     * centre by a hair), 9 right (1.25), 12 down (1.05), 6 right and 9 down (1.19). */
    CHECK_EQ_INT(hot_at(20, 20), 1);
    CHECK_EQ_INT(hot_at(27, 20), 1);
    CHECK_EQ_INT(hot_at(20, 31), 1);
    CHECK_EQ_INT(hot_at(28, 20), 0);
    CHECK_EQ_INT(hot_at(29, 20), 0);
    CHECK_EQ_INT(hot_at(20, 32), 0);
    CHECK_EQ_INT(hot_at(26, 29), 0);

    /* The canthus's local contrast: the estimate minus the mean of the 7 x 7 pixels around its
     * pixel. On face() the first hottest pixel in raster order is (16, 8); its square, columns
     * 13-19 x rows 5-11, holds 21 forehead pixels (33.0 °C = 30615 ck), 4 canthus (30775),
     * 17 eye band (33.4 = 30655) and 7 cheek (32.6 = 30575): sum 1 501 175, mean 30636.22,
     * contrast 30775 - 30636.22 = 138.78 ck. */
    face();
    CHECK_NEAR(estimate(), 34.6, 0.006);
    CHECK_EQ_INT(est_at, 8 * W + 16);
    CHECK_NEAR(est_contrast, 138.78, 0.01);
    {
        fbfw_state s;
        memset(&s, 0, sizeof(s));
        s.w = W;
        s.h = H;
        /* A face just in from the cold: skin at 30.0 °C, a 2 x 2 canthus 2.2 K warmer; 4 of the
         * 49 pixels are the canthus: 220 - 4 x 220 / 49 = 202.04 ck. */
        fill(0, H, 0, W, 30.0);
        fill(20, 22, 20, 22, 32.2);
        CHECK_NEAR(local_contrast(&s, frame, 20 * W + 20, (float)C(32.2)), 202.04, 0.01);
        /* The same canthus in the image's corner: the square is clipped to 4 x 4 pixels, 4 of
         * them the canthus: 220 - 4 x 220 / 16 = 165 ck. */
        fill(0, H, 0, W, 30.0);
        fill(0, 2, 0, 2, 32.2);
        CHECK_NEAR(local_contrast(&s, frame, 0, (float)C(32.2)), 165.0, 0.01);
    }
    /* The compensation (ck) for a head w px wide: K / w up to the usual contrast C0; above it
     * C (contrast - C0) / w more, the excess counted up to C_MAX. Hand-worked with the built
     * constants, K 1045 ck px, C 18 px, C0 150 ck, C_MAX 100 ck (fbfw_internal.h). */
    CHECK_EQ_INT(FBFW_SSE_K_CKPX, 1045);
    CHECK_EQ_INT(FBFW_SSE_C_PX, 18);
    CHECK_EQ_INT(FBFW_SSE_C0_CK, 150);
    CHECK_EQ_INT(FBFW_SSE_C_MAX_CK, 100);
    CHECK_NEAR(fbfw_sse_ck(40.0f, 90.0f), 26.125, 1e-4);   /* a warm face: 1045 / 40 */
    CHECK_NEAR(fbfw_sse_ck(40.0f, 138.78f), 26.125, 1e-4); /* face() above: below C0 */
    CHECK_NEAR(fbfw_sse_ck(32.0f, 202.04f), 61.929, 0.005); /* (1045 + 18 x 52.04) / 32 */
    CHECK_NEAR(fbfw_sse_ck(32.0f, 420.0f), 88.90625, 1e-4); /* (1045 + 18 x 100) / 32, capped */

    /* No mask: the canthus. */
    face();
    CHECK_NEAR(estimate(), 34.6, 0.006);

    /* A mask at 35.0 °C (warmer than the canthus: an N95 at its breathing peak) from row 14 to
     * the window's end, its top edge blurred over rows 12-13: the canthus still. */
    face();
    fill(12, 13, 5, 35, 33.4);
    fill(13, 14, 5, 35, 34.3);
    fill(14, H, 5, 35, 35.0);
    CHECK_NEAR(estimate(), 34.6, 0.006);

    /* The same mask, one row reaching the canthi's (its edge at row 11): rows 9-10 are the two
     * rows above it, blurred into it, and are left out too; the canthus's row 8 remains. */
    face();
    fill(11, H, 5, 35, 35.0);
    CHECK_NEAR(estimate(), 34.6, 0.006);

    /* A warm band that ends inside the window (rows 14-19 at 35.0 °C, cheeks again below): not
     * a mask, its pixels are the warmest kept ones. (The reference would read it; a mask is
     * told by running on to the window's end.) */
    face();
    fill(14, 20, 5, 35, 35.0);
    CHECK_NEAR(estimate(), 35.0, 0.006);

    /* A mask that is not flat (a canthus-sized spot 0.5 K above it in row 16): not a mask by the
     * flatness rule, and its spot is read. */
    face();
    fill(14, H, 5, 35, 35.0);
    fill(16, 18, 19, 21, 35.5);
    CHECK_NEAR(estimate(), 35.5, 0.006);

    /* Less than FBFW_MASK_STEP_CK above the eye rows (35.0 vs an eye band averaging ~33.9
     * over the window in rows 8-9, 33.4 in row 10): a mask of 33.8 °C does not count as one,
     * and it is cooler than the canthus anyway. */
    face();
    fill(14, H, 5, 35, 33.8);
    CHECK_NEAR(estimate(), 34.6, 0.006);
    return FBTEST_END();
}
