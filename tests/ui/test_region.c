/* test_region.c — box, ellipse and line statistics over a frame, against values worked by hand. */
#include <math.h>
#include <stdint.h>
#include "fbtest.h"
#include "region.h"

/* centikelvin of t °C */
static uint16_t ck(double t)
{
    return (uint16_t)lround((t + 273.15) * 100);
}

int main(void)
{
    /* A 4 x 3 frame, row by row:
     *   30 31 32 33
     *   34 35 36 37
     *   38 39 40 41  (°C) */
    uint16_t f[12];
    for (int i = 0; i < 12; i++)
        f[i] = ck(30 + i);
    fb_vregion_stats st;

    /* the box over pixels (1..2, 0..1): 31 32 35 36 -> mean 33.5; SD of 31,32,35,36 with n-1:
     * deviations -2.5 -1.5 1.5 2.5, squares 6.25 2.25 2.25 6.25 = 17, /3 = 5.667, sqrt 2.3805 */
    fb_vregion box = {FB_VREGION_BOX, 1.0, 0.0, 3.0, 2.0};
    CHECK(fb_vregion_measure(&box, f, 4, 3, &st) == 0);
    CHECK_EQ_INT((int)st.n, 4);
    CHECK_NEAR(st.min_c, 31.0, 1e-9);
    CHECK_NEAR(st.max_c, 36.0, 1e-9);
    CHECK_NEAR(st.mean_c, 33.5, 1e-9);
    CHECK_NEAR(st.sd_c, sqrt(17.0 / 3.0), 1e-9);
    CHECK(st.max_x == 2 && st.max_y == 1);
    /* corners given the other way round: the same */
    fb_vregion box2 = {FB_VREGION_BOX, 3.0, 2.0, 1.0, 0.0};
    fb_vregion_stats st2;
    CHECK(fb_vregion_measure(&box2, f, 4, 3, &st2) == 0);
    CHECK(st2.n == st.n && st2.mean_c == st.mean_c);

    /* the whole frame as an ellipse: centre (2, 1.5), radii 2 and 1.5; the corner pixels'
     * centres (0.5, 0.5) etc. lie outside ((1.5/2)^2 + (1/1.5)^2 = 1.007 > 1), so 8 pixels:
     * 31 32 34 35 36 37 39 40, mean 35.5 */
    fb_vregion ell = {FB_VREGION_ELLIPSE, 0.0, 0.0, 4.0, 3.0};
    CHECK(fb_vregion_measure(&ell, f, 4, 3, &st) == 0);
    CHECK_EQ_INT((int)st.n, 8);
    CHECK_NEAR(st.mean_c, 35.5, 1e-9);
    CHECK_NEAR(st.min_c, 31.0, 1e-9);
    CHECK_NEAR(st.max_c, 40.0, 1e-9);

    /* a line along the middle row's centres, (0.5, 1.5) to (3.5, 1.5): length 3, 4 samples at
     * x = 0.5, 1.5, 2.5, 3.5 -> 34 35 36 37 */
    fb_vregion line = {FB_VREGION_LINE, 0.5, 1.5, 3.5, 1.5};
    CHECK(fb_vregion_measure(&line, f, 4, 3, &st) == 0);
    CHECK_EQ_INT((int)st.n, 4);
    CHECK_NEAR(st.mean_c, 35.5, 1e-9);
    CHECK(st.max_x == 3 && st.max_y == 1);

    /* one pixel: SD 0; outside the frame: nothing */
    fb_vregion one = {FB_VREGION_BOX, 2.2, 2.2, 2.8, 2.8};
    CHECK(fb_vregion_measure(&one, f, 4, 3, &st) == 0);
    CHECK(st.n == 1 && st.sd_c == 0.0 && fabs(st.mean_c - 40.0) < 1e-9);
    fb_vregion out = {FB_VREGION_BOX, 10, 10, 12, 12};
    CHECK(fb_vregion_measure(&out, f, 4, 3, &st) == -1);
    return FBTEST_END();
}
