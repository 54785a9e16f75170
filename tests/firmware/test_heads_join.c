/* test_heads_join.c — faces.c on hand-built frames: two overlapping heads whose skin joins (the nearer head's top against the farther face's side) are split into two heads. */
#include "fbtest.h"

/* The rules under test are static in faces.c: this test compiles it in; the rest of the
 * pipeline (blobs, tracker, API) comes from the library, whose faces.o is then not linked. */
#include "faces.c"

#define FW_HANDBUILT_FRAME
#include "fw_handbuilt.h"

/* The room at 22 °C: the ambient estimate is 22.125 °C (the 0.25 K bin's middle) and the skin
 * band's lower edge 22.125 + 0.6 (34 - 22.125) = 29.25 °C, clamped to 30.5 °C (30365 ck). */
static void room(void) {
    for (int i = 0; i < FW * FH; i++)
        frame[i] = C(22.0);
}

/* Two rounded heads. A, farther, at 34.0 °C, centred on column 100: rows 36..77, half-widths
 * 3, 5, 7, 8, 9, 10 on rows 36..41, then 11 (columns 89..111: the cheekbones) down to row 75, 9
 * and 6 on rows 76-77. B, nearer, at 35.0 °C with a 1-px rim at 31.0 °C (the grazing angle's
 * cool edge, in the skin band), centred on column 113: rows 52..95, half-widths 1, 3, 5, 7, 9,
 * 10, 11, 12, 13 on rows 52..60, then 14; its top row is all rim. B is drawn over A: its top
 * (columns 112..114 on row 52) lies right under A's side, so at the skin band A and B are one
 * region and B has no top of its own in it. */
static void two_heads(void) {
    static const int ha[] = {3, 5, 7, 8, 9, 10};
    static const int hb[] = {1, 3, 5, 7, 9, 10, 11, 12, 13};
    room();
    for (int y = 36; y <= 77; y++) {
        int h = y < 42 ? ha[y - 36] : y <= 75 ? 11 : y == 76 ? 9 : 6;
        span(y, 100 - h, 100 + h, 34.0);
    }
    for (int y = 52; y <= 95; y++) {
        int h = y < 61 ? hb[y - 52] : 14;
        span(y, 113 - h, 113 + h, y == 52 ? 31.0 : 35.0);
        span(y, 113 - h, 113 - h, 31.0);
        span(y, 113 + h, 113 + h, 31.0);
    }
}

/* dome_trace on the two heads, from A's top (row 36, columns 97..103) at the skin band. A's
 * right side holds at column 111 on rows 42..51 and steps out to B's top on row 52: the run
 * through A's centre there is 89..114, 3 px past 111 (FBFW_JOIN_STEP_PX) after 3 rows that did
 * not move (FBFW_JOIN_STALL_ROWS). The old jump test (2 + 23 / 6 = 5 px) lets 3 px pass. */
static void test_trace(void) {
    fbfw_state *s;
    fbfw_join j = {-1, 0, 0, 0};
    int32_t c2 = 0, stop = 0, ws;
    two_heads();
    s = process();
    CHECK_EQ_INT(s->lo_raw, 30365);
    /* Not cut: the join is noted and the trace goes on into B (A's 89 to B's 127 on rows
     * 61..77: 39 px, B's side included; its 1-px rim is in the band). */
    ws = dome_trace(s, frame, 36, 97, 103, s->lo_raw, &c2, &stop, &j);
    CHECK_EQ_INT(j.y, 52);
    CHECK_EQ_INT(j.x0, 112);
    CHECK_EQ_INT(j.x1, 114);
    CHECK_EQ_INT(ws, 39);
    /* Cut: the trace stops above the join, A's own widest run is its cheekbones' 23 px. */
    j.y = -1;
    j.cut = 1;
    ws = dome_trace(s, frame, 36, 97, 103, s->lo_raw, &c2, &stop, &j);
    CHECK_EQ_INT(j.y, 52);
    CHECK_EQ_INT(ws, 23);
    CHECK_EQ_INT(c2, 89 + 111);
    CHECK_EQ_INT(stop, 52);
    /* B is followed halfway from the band (30365) to its own skin, the warmest pixel of columns
     * 112..114 on rows 53..55 (35.0 °C, 30815): 30590 (32.75 °C). Its rim (31.0 °C) parts it from
     * A (34.0 °C) there. */
    CHECK_EQ_INT(join_level(s, frame, &j), 30590);
}

/* The whole frame: two heads. A: widest 23 px, W = 23 / 0.95 = 24.21, centre 100.5, hairline
 * 36 + round(0.3 W) = 43; its eye window ends above the join (row 51), its skin reaches 7 rows
 * below the hairline, short of 0.42 W: tracked, not measured. B: from its top on row 52 at 32.75
 * °C, its interior (rim excluded) widens to 27 px (100..126) from row 61: W = 27 / 0.95 = 28.42,
 * centre 113.5, hairline 52 + round(8.53) = 61, measured (its eye window, rows 62..74, is its own
 * 35.0 °C). Before the split they were one head 39 px wide at the band (W 41.05). */
static void test_split(void) {
    fbfw_state *s;
    const fbfw_face *a = NULL, *b = NULL;
    two_heads();
    s = process();
    CHECK_EQ_INT((int)s->n_faces, 2);
    for (uint32_t i = 0; i < s->n_faces; i++) {
        if (s->faces[i].cx < 107.0f)
            a = &s->faces[i];
        else
            b = &s->faces[i];
    }
    CHECK(a != NULL && b != NULL);
    if (!a || !b)
        return;
    CHECK_NEAR(a->w, 23.0 / 0.95, 1e-3);
    CHECK_NEAR(a->cx, 100.5, 1e-6);
    CHECK_NEAR(a->hairline, 43.0, 1e-6);
    CHECK_EQ_INT(a->measurable, 0);
    CHECK_NEAR(b->w, 27.0 / 0.95, 1e-3);
    CHECK_NEAR(b->cx, 113.5, 1e-6);
    CHECK_NEAR(b->hairline, 61.0, 1e-6);
    CHECK_EQ_INT(b->measurable, 1);
    CHECK_NEAR(b->canthus_raw, C(35.0), 0.5);
}

int main(void) {
    test_trace();
    test_split();
    return FBTEST_END();
}
