/* test_soft_hairline.c — faces.c on hand-built frames: a forehead whose first rows are each even but warmer row by row (short hair thinning) is traced as a rounded head, one with a cold spot in a row is no head; a cold band across the eyes' corners is not the jaw. */
#include "fbtest.h"

/* The rules under test are static in faces.c: this test compiles it in; the rest of the
 * pipeline (blobs, tracker, API) comes from the library, whose faces.o is then not linked. */
#include "faces.c"

#define FW_HANDBUILT_FRAME
#include "fw_handbuilt.h"
/* The room is 22 °C: the skin band starts at 30.5 °C (docs/firmware.md; test_heads_join). */

/* One head centred between columns 127 and 128, its skin from row 40: half-widths 7, 8, 8, 8,
 * 9, 9, 10, 10, 11, 11, 12 on rows 40..50 (columns 128 - h .. 127 + h), 13 (26 px: columns
 * 115..140, the cheekbones) on rows 51..62, then 12, 10, 8 on rows 63..65 (the jaw); nothing
 * below. Rows 40..43 are the hairline's rows at 30.8, 31.2, r42 and r43 °C, the rest 33.2 °C,
 * with two 2 x 2 px canthi at 34.5 °C on rows 56-57 (columns 125-126 and 130-131). */
static void head(double r42, double r43) {
    static const int hw[] = {7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 12};
    for (int i = 0; i < FW * FH; i++)
        frame[i] = C(22.0);
    for (int y = 40; y <= 65; y++) {
        int h = y <= 50 ? hw[y - 40] : y <= 62 ? 13 : y == 63 ? 12 : y == 64 ? 10 : 8;
        double c = y == 40 ? 30.8 : y == 41 ? 31.2 : y == 42 ? r42 : y == 43 ? r43 : 33.2;
        span(y, 128 - h, 127 + h, c);
    }
    for (int y = 56; y <= 57; y++) {
        span(y, 125, 126, 34.5);
        span(y, 130, 131, 34.5);
    }
}

static void test_soft(void) {
    fbfw_state *s;
    /* Rows 42 and 43 at 31.5 and 32.4 °C: each row even, the two 0.9 K apart (> the 0.8 K a
     * forehead's rows 2-3 may differ: FBFW_FORE_EVEN_CK), the lower warmer by >= 0.4 K. The
     * first rows widen by 1 px a side over rows 40..45 (tolerance 1 + 16/8 = 3: no dome by
     * width), so only the soft hairline makes it a rounded head. Traced from row 40: the widest
     * run 26 px, W = 26 / 0.95 = 27.37 px; centre (115 + 140) / 2 + 0.5 = 128.0; the jaw at row
     * 64 (20 px < 0.8 x 26 more than 2 rows below the widest, and nothing widens back). The
     * hairline is set 0.3 W = 8.2 -> 8 rows below the top: row 48. Eye window rows 40 +
     * round(0.34 W) = 49 .. 40 + round(0.80 W) = 62, columns 122..133: it holds the canthi. */
    head(31.5, 32.4);
    s = process();
    CHECK_EQ_INT(s->n_faces, 1);
    if (s->n_faces == 1) {
        const fbfw_face *f = &s->faces[0];
        CHECK_NEAR(f->w, 26.0 / 0.95, 1e-3);
        CHECK_NEAR(f->cx, 128.0, 1e-4);
        CHECK_NEAR(f->hairline, 48.0, 1e-6);
        CHECK_EQ_INT(f->ey0, 49);
        CHECK_EQ_INT(f->ey1, 62);
        CHECK_EQ_INT(f->ex0, 122);
        CHECK_EQ_INT(f->ex1, 134);
        CHECK_NEAR(f->canthus_raw, (double)C(34.5), 0.5);
        CHECK_EQ_INT(f->measurable, 1); /* 27.4 px >= 24, skin to the window's end */
    }
}

static void test_even_and_uneven(void) {
    fbfw_state *s;
    /* Rows 42 and 43 at the face's 33.2 °C: an even forehead under a 2-row hairline, the
     * template's head. Its width is the median forehead row's (row 42: columns 120..135, 16 px;
     * each edge pixel's share between the 22 °C room 2 px out and the forehead is 0 or 1 here):
     * W = 16 / 0.625 = 25.6, centre (120 + 135) / 2 + 0.5 = 128.0, hairline at the seed row 40.
     * (Rows 42-43 at 31.8 °C with the face at 33.2 below would be even too, but then the eye
     * window's rows step up 1.4 K, flat, like a mask's top edge, and nothing in it is a canthus.) */
    head(33.2, 33.2);
    s = process();
    CHECK_EQ_INT(s->n_faces, 1);
    if (s->n_faces == 1) {
        CHECK_NEAR(s->faces[0].w, 25.6, 1e-3);
        CHECK_NEAR(s->faces[0].cx, 128.0, 1e-4);
        CHECK_NEAR(s->faces[0].hairline, 40.0, 1e-6);
    }
    /* Row 43 at 32.4 °C but 1.0 K colder in its two middle columns (127-128: a cold nose's top
     * under a pair of glasses): that row is not even (range 1.0 K > 0.8 K), so no soft hairline,
     * and no head starts there. */
    head(31.5, 32.4);
    span(43, 127, 128, 31.4);
    s = process();
    CHECK_EQ_INT(s->n_faces, 0);
}

/* The soft-topped head of head(31.5, 32.4) down to row 56 (widest 26 px, columns 115..140, from
 * row 51), then a cold band on rows 57-59: only columns 121..134 (14 px) in the skin band, at the
 * face's 33.2 °C, the sides at 29 °C; below it the eyes' rows 60..70, 23 px (columns 117..139),
 * with 34.5 °C canthi on rows 60-61 (columns 124-125 and 130-131); then the jaw, 16 and 10 px on
 * rows 71-72, nothing below. */
static void head_band(void) {
    head(31.5, 32.4);
    for (int y = 57; y <= 72; y++)
        span(y, 100, 155, 22.0);
    for (int y = 57; y <= 59; y++) {
        span(y, 115, 140, 29.0);
        span(y, 121, 134, 33.2);
    }
    for (int y = 60; y <= 70; y++)
        span(y, 117, 139, 33.2);
    span(71, 120, 135, 33.2);
    span(72, 123, 132, 33.2);
    for (int y = 60; y <= 61; y++) {
        span(y, 124, 125, 34.5);
        span(y, 130, 131, 34.5);
    }
}

/* crowd seed 3, p83: a rounded head's trace that narrows at its eyes' outer corners and widens
 * back to 0.87 of its widest run took the band for the jaw (it needed 0.9) and stopped above the
 * eyes; its eye window ended there and it read 1 K low. Here: 14 px on row 57 is under 0.8 x 26
 * more than 2 rows below the widest, so the trace looks ahead 2 + 26/6 = 6 rows: row 60 is 23 px,
 * >= 0.85 x 26 = 22.1 (FBFW_BAND_BACK) and within the widest run's columns (115 - 6 .. 140 + 6 +
 * 6): a cold band. The trace goes on to the jaw at row 71: the eye window, rows 49 .. min(40 +
 * round(0.80 x 27.37) = 62, 71 - 1), holds the canthi. (With 0.9 the trace stopped at row 57,
 * the window ended at row 55, and the estimate was the face's 33.2 °C.) */
static void test_band(void) {
    fbfw_state *s;
    head_band();
    s = process();
    CHECK_EQ_INT(s->n_faces, 1);
    if (s->n_faces == 1) {
        const fbfw_face *f = &s->faces[0];
        CHECK_NEAR(f->w, 26.0 / 0.95, 1e-3);
        CHECK_EQ_INT(f->ey0, 49);
        CHECK_EQ_INT(f->ey1, 62);
        CHECK_NEAR(f->canthus_raw, (double)C(34.5), 0.5);
        CHECK_EQ_INT(f->measurable, 1);
    }
}

int main(void) {
    test_soft();
    test_even_and_uneven();
    test_band();
    return FBTEST_END();
}
