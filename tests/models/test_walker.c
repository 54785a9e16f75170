/* test_walker.c — the approach (straight line, stop at a mark) and head turns against hand-worked
 * times, distances and angles. */
#include "fbtest.h"
#include "walker.h"

int main(void)
{
    /* Enters at 2 s at 8 m, walks at 1.25 m/s, leaves at 0.8 m: out at (8 - 0.8) / 1.25 + 2 = 7.76
     * s. */
    fb_walker w = {.enter_s = 2.0,
                   .start_distance_m = 8.0,
                   .exit_distance_m = 0.8,
                   .speed_mps = 1.25,
                   .lateral_m = 0.3,
                   .height_m = 1.75};
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
    CHECK_NEAR(fb_walker_time_at(&w, 3.0), 6.0, 1e-12);  /* 5 m at 1.25 m/s = 4 s after entry */
    CHECK_NEAR(fb_walker_time_at(&w, 10.0), 0.4, 1e-12); /* before entry: outside the walk */
    CHECK_NEAR(fb_walker_head_z(&w), 1.63, 1e-12);
    CHECK_NEAR(FB_WALK_USUAL_MPS, 1.31, 0);
    CHECK(!fb_walker_stops(&w));
    CHECK_NEAR(fb_walker_yaw_deg(&w, 5.0), 0.0, 0);

    /* A stop at 3 m for 2 s: reaches it at 2 + 5 / 1.25 = 6 s, stands until 8 s, walks on and
     * leaves at 8 + 2.2 / 1.25 = 9.76 s. */
    fb_walker st = w;
    st.stop_distance_m = 3.0;
    st.dwell_s = 2.0;
    CHECK(fb_walker_stops(&st));
    CHECK(fb_walker_distance(&st, 4.0, &d));
    CHECK_NEAR(d, 5.5, 1e-12);
    CHECK(fb_walker_distance(&st, 6.0, &d));
    CHECK_NEAR(d, 3.0, 1e-12);
    CHECK(fb_walker_distance(&st, 7.9, &d));
    CHECK_NEAR(d, 3.0, 1e-12);
    CHECK(fb_walker_distance(&st, 9.0, &d));
    CHECK_NEAR(d, 1.75, 1e-12);
    CHECK(fb_walker_distance(&st, 9.75, &d));
    CHECK_NEAR(d, 0.8125, 1e-12);
    CHECK(!fb_walker_distance(&st, 9.77, &d));
    CHECK_NEAR(fb_walker_time_at(&st, 3.0), 6.0, 1e-12);
    CHECK_NEAR(fb_walker_time_at(&st, 0.8), 9.76, 1e-12);
    CHECK_NEAR(fb_walker_time_at(&st, 5.5), 4.0, 1e-12);
    /* A stop outside the walk (beyond the start, or at the exit) or without dwell is ignored. */
    st.stop_distance_m = 9.0;
    CHECK(!fb_walker_stops(&st));
    st.stop_distance_m = 0.8;
    CHECK(!fb_walker_stops(&st));
    st.stop_distance_m = 3.0;
    st.dwell_s = 0.0;
    CHECK(!fb_walker_stops(&st));
    CHECK(fb_walker_distance(&st, 6.0, &d));
    CHECK_NEAR(d, 3.0, 1e-12);
    CHECK(fb_walker_distance(&st, 7.0, &d));
    CHECK_NEAR(d, 1.75, 1e-12);

    /* Head turn: 40° peak at 5 s lasting 2 s (raised cosine): 0 outside 4..6 s, 20° at 4.5 s
     * and 5.5 s, 40° at 5 s. */
    fb_walker h = w;
    h.turns[0] = (fb_head_turn){5.0, 40.0, 2.0};
    h.n_turns = 1;
    CHECK_NEAR(fb_walker_yaw_deg(&h, 3.99), 0.0, 0);
    CHECK_NEAR(fb_walker_yaw_deg(&h, 4.5), 20.0, 1e-9);
    CHECK_NEAR(fb_walker_yaw_deg(&h, 5.0), 40.0, 1e-12);
    CHECK_NEAR(fb_walker_yaw_deg(&h, 5.5), 20.0, 1e-9);
    CHECK_NEAR(fb_walker_yaw_deg(&h, 6.01), 0.0, 0);
    /* Two overlapping turns add up, clamped to 90°. */
    h.turns[1] = (fb_head_turn){5.0, 70.0, 2.0};
    h.n_turns = 2;
    CHECK_NEAR(fb_walker_yaw_deg(&h, 5.0), 90.0, 0);
    CHECK_NEAR(fb_walker_yaw_deg(&h, 4.5), 55.0, 1e-9);
    h.turns[1].yaw_deg = -40.0;
    CHECK_NEAR(fb_walker_yaw_deg(&h, 5.0), 0.0, 1e-12);
    return FBTEST_END();
}
