/* test_walker.c — the straight-line approach against hand-worked times and distances. */
#include "fbtest.h"
#include "walker.h"

int main(void)
{
    /* Enters at 2 s at 8 m, walks at 1.25 m/s, leaves at 0.8 m: out at (8 - 0.8) / 1.25 + 2 = 7.76 s. */
    fb_walker w = {2.0, 8.0, 0.8, 1.25, 0.3, 1.75};
    double d = -1;
    CHECK(!fb_walker_distance(&w, 1.999, &d));
    CHECK(d == -1); /* unchanged when absent */
    CHECK(fb_walker_distance(&w, 2.0, &d));
    CHECK_NEAR(d, 8.0, 1e-12);
    CHECK(fb_walker_distance(&w, 4.0, &d));
    CHECK_NEAR(d, 5.5, 1e-12);
    CHECK(fb_walker_distance(&w, 7.75, &d));
    CHECK_NEAR(d, 0.8125, 1e-12);
    d = -1;
    CHECK(!fb_walker_distance(&w, 7.7601, &d));
    CHECK(!fb_walker_distance(&w, 7.77, &d));
    CHECK(d == -1);

    CHECK_NEAR(fb_walker_time_at(&w, 0.8), 7.76, 1e-12);
    CHECK_NEAR(fb_walker_time_at(&w, 5.5), 4.0, 1e-12);
    CHECK_NEAR(fb_walker_time_at(&w, 3.0), 6.0, 1e-12); /* 5 m at 1.25 m/s = 4 s after entry */
    CHECK_NEAR(fb_walker_time_at(&w, 10.0), 0.4, 1e-12); /* before entry: outside the walk */
    CHECK_NEAR(fb_walker_head_z(&w), 1.63, 1e-12);
    CHECK_NEAR(FB_WALK_USUAL_MPS, 1.31, 0);
    return FBTEST_END();
}
