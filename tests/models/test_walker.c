/* test_walker.c — the approach (straight line, stop at a mark) and head turns against hand-worked
 * times, distances and angles. */
#include "fbtest.h"
#include "walker.h"

/* Headway: a fast walker behind a slow one in the same lane keeps FB_WALK_HEADWAY_M, moving with
 * the slow one, and walks on at their own speed once the slow one has left; a walker in another
 * lane is not slowed; someone arriving while the entrance is taken waits outside. The world
 * (sim/world/world.c) does the same with everyone; here the two are stepped by hand at 25 fps. */
static void test_headway(void)
{
    const double dt = 1.0 / 25, gap = FB_WALK_HEADWAY_M, body_w = 0.45;
    CHECK_NEAR(gap, 0.8, 0);
    /* Slow: 8 m at 0.9 m/s from 0 s, out at 0.8 m at 8 s. Fast: 1.6 m/s from 1 s, 0.1 m to
     * the side (same lane). Free, their gap would be (8 - 1.6 (t - 1)) - (8 - 0.9 t) =
     * 1.6 - 0.7 t: down to 0.8 m at 8/7 s, then through the slow one at 16/7 s. */
    fb_walker slow = {.enter_s = 0.0,
                      .start_distance_m = 8.0,
                      .exit_distance_m = 0.8,
                      .speed_mps = 0.9,
                      .lateral_m = 0.0,
                      .height_m = 1.7};
    fb_walker fast = slow, other = slow;
    fast.enter_s = 1.0;
    fast.speed_mps = 1.6;
    fast.lateral_m = 0.1;
    other.enter_s = 1.0;
    other.speed_mps = 1.6;
    other.lateral_m = 0.6; /* 0.6 from slow, 0.5 from fast: its own lane */
    CHECK(fb_walker_same_lane(&slow, &fast, body_w));
    CHECK(!fb_walker_same_lane(&slow, &other, body_w));
    CHECK(!fb_walker_same_lane(&fast, &other, body_w));
    double lag_fast = 0, lag_other = 0, min_gap = INFINITY, prev_fast = NAN;
    int held = 0, free_after = 0, free_steps_ok = 1, other_ok = 1;
    for (int n = 1; n <= 400; n++) {
        double t0 = (n - 1) * dt, t1 = n * dt, ds, df, dother;
        bool slow_in = fb_walker_distance(&slow, t1, &ds); /* the leader walks its plan */
        /* fast: held by slow while slow is in the scene */
        double from = t0 - lag_fast, to = t1 - lag_fast;
        double c = fb_walker_follow(&fast, from, to, slow_in ? ds + gap : -INFINITY);
        lag_fast += to - c;
        bool fast_in = fb_walker_distance(&fast, t1 - lag_fast, &df);
        if (slow_in && fast_in) {
            min_gap = fmin(min_gap, df - ds);
            held += c < to;
        }
        if (t1 > 4.0 - 1e-9 && t1 < 4.0 + 1e-9) /* held: the slow one's place plus the gap */
            CHECK_NEAR(df, 8.0 - 0.9 * 4.0 + gap, 1e-9);
        if (!slow_in && fast_in && !isnan(prev_fast) && t1 > 8.0 + dt) {
            free_after++; /* own speed again once the way is free */
            free_steps_ok &= fabs(prev_fast - df - 1.6 * dt) < 1e-9;
        }
        prev_fast = fast_in ? df : NAN;
        /* other: nobody in its lane, so its clock is the run's */
        from = t0 - lag_other;
        to = t1 - lag_other;
        c = fb_walker_follow(&other, from, to, -INFINITY);
        lag_other += to - c;
        if (fb_walker_distance(&other, t1 - lag_other, &dother))
            other_ok &= fb_walker_distance(&other, t1, &ds) && dother == ds;
    }
    CHECK(min_gap >= gap - 1e-9);
    CHECK(min_gap < gap + 1e-9); /* it did catch up */
    CHECK(held > 100);
    CHECK(free_after > 5);
    CHECK(free_steps_ok);
    CHECK(other_ok);
    CHECK(lag_other == 0.0);
    /* Held from 8/7 s until slow leaves at 8 s: last held at 7.96 s at 0.836 + 0.8 = 1.636 m,
     * which its plan reaches at 1 + 6.364 / 1.6 = 4.9775 s: 2.9825 s late from then on. */
    CHECK_NEAR(lag_fast, 2.9825, 1e-9);

    /* Arriving while the entrance is taken: slow entered at 0 s at 1 m/s and is 0.2 m in at
     * 0.2 s; the next one (same lane, entering at 0.2 s) waits until slow is 0.8 m in (0.8 s). */
    fb_walker a = slow, b = slow;
    a.speed_mps = 1.0;
    b.enter_s = 0.2;
    double lag_b = 0, first_in = -1, d_a, d_b;
    for (int n = 1; n <= 50 && first_in < 0; n++) {
        double t0 = (n - 1) * dt, t1 = n * dt;
        CHECK(fb_walker_distance(&a, t1, &d_a));
        double to = t1 - lag_b;
        lag_b += to - fb_walker_follow(&b, t0 - lag_b, to, d_a + gap);
        if (fb_walker_distance(&b, t1 - lag_b, &d_b)) {
            first_in = t1;
            CHECK(d_b >= d_a + gap - 1e-9);
        }
    }
    CHECK(first_in > 0.8 - 1e-9 && first_in < 0.8 + dt + 1e-9);

    /* Held exactly at a stop: the latest clock there is the end of the dwell (at 3 m for 2 s,
     * arriving at 6 s: 8 s), and nobody walks back. */
    fb_walker st = slow;
    st.enter_s = 2.0;
    st.speed_mps = 1.25;
    st.stop_distance_m = 3.0;
    st.dwell_s = 2.0;
    CHECK_NEAR(fb_walker_follow(&st, 7.98, 8.02, 3.0), 8.0, 1e-12);
    CHECK_NEAR(fb_walker_follow(&st, 7.0, 7.04, 3.0), 7.04, 0); /* dwelling: not held */
    CHECK_NEAR(fb_walker_follow(&st, 5.0, 5.04, 6.0), 5.0, 0);  /* would have to walk back */
    /* A gap that ends beyond the exit does not hold anyone back. */
    CHECK_NEAR(fb_walker_follow(&st, 9.7, 9.8, 0.5), 9.8, 0);
}

int main(void)
{
    test_headway();
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
