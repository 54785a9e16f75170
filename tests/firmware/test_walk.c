/* test_walk.c — one person walking toward the camera: one measurement, accurate, right alarm, right box. */
#include "fbtest.h"
#include "fw_run.h"

/* One walker at x_m from 4.5 m; checks the single measurement against canthus_c within tol. */
static void check_walk(fw_opts *o, double x_m, double canthus_c, double tol, int expect_alarm) {
    fw_result r;
    int m;
    o->n_walkers = 1;
    o->w[0] = fw_walker_make(x_m, 4.5, canthus_c);
    fw_run(o, &r);
    CHECK(!r.bad_return);
    CHECK(r.guard_ok);
    CHECK_EQ_INT(r.n_meas, 1);
    CHECK_EQ_INT(r.n_lost, r.n_ok); /* a walker may pass in front of the reference, not keep it */
    m = fw_meas_of(&r, 0);
    CHECK(m >= 0);
    if (m < 0)
        return;
    CHECK_EQ_INT(r.ev[m].track_id, 1);
    CHECK_NEAR(fw_c(r.ev[m].skin_ck), canthus_c, tol);
    CHECK_EQ_INT(r.ev[m].body_ck, r.ev[m].skin_ck + 124);
    CHECK_EQ_INT(r.ev[m].alarm, expect_alarm);
    CHECK(r.iou[m] >= 0.6);            /* the box is the head, not the neck or the hands */
    CHECK(r.head_w[m] >= 32.0);        /* measured only once the face is large enough */
    CHECK(r.ev[m].frame < 45);         /* ... and soon after (head ~34 px wide at frame ~34) */
}

int main(void) {
    fw_opts o;
    uint32_t seed;
    double worst = 0.0;

    /* +0.8 K camera offset, blackbody at 35.0 °C reading 35.8: readings corrected. */
    for (seed = 1; seed <= 6; seed++) {
        fw_opts_default(&o);
        o.seed = seed;
        check_walk(&o, -0.3 + 0.1 * seed, 35.6, 0.15, 0); /* body 36.84 < 37.5 */
        fw_opts_default(&o);
        o.seed = 100 + seed;
        check_walk(&o, 0.25 - 0.1 * seed, 36.5, 0.15, 1); /* body 37.74 >= 37.5 */
    }
    /* Cold and warm rooms (the skin band follows the wall temperature), cool and hot faces. */
    fw_opts_default(&o);
    o.ambient_c = 18.0;
    check_walk(&o, 0.1, 34.3, 0.15, 0);
    fw_opts_default(&o);
    o.ambient_c = 30.0; /* clothing ~32 °C, hair ~31.5 °C: must not join the face */
    check_walk(&o, -0.1, 35.6, 0.15, 0);
    fw_opts_default(&o);
    o.ambient_c = 30.0;
    o.seed = 7;
    check_walk(&o, 0.0, 38.8, 0.15, 1); /* hands at 35.8 °C: still one measurement */
    fw_opts_default(&o);
    o.offset_k = o.offset_end_k = -1.0; /* camera reads low */
    check_walk(&o, 0.05, 35.9, 0.15, 0);
    {   /* A face mask at room temperature hides the lower face: the eyes are still measured. */
        fw_result r;
        int m;
        fw_opts_default(&o);
        o.n_walkers = 1;
        o.w[0] = fw_walker_make(-0.1, 4.5, 36.2);
        o.w[0].mask = 1;
        fw_run(&o, &r);
        CHECK_EQ_INT(r.n_meas, 1);
        m = fw_meas_of(&r, 0);
        CHECK(m >= 0);
        if (m >= 0) {
            CHECK_NEAR(fw_c(r.ev[m].skin_ck), 36.2, 0.15);
            CHECK(r.iou[m] >= 0.6);
        }
    }

    /* Mean error over more walks stays small (what the bench scores). */
    {
        double sum = 0.0;
        int n = 0;
        for (seed = 200; seed < 216; seed++) {
            fw_result r;
            int m;
            fw_opts_default(&o);
            o.seed = seed;
            o.n_walkers = 1;
            o.w[0] = fw_walker_make(-0.3 + 0.04 * (seed - 200), 4.5 + 0.01 * (seed - 200), 35.6);
            fw_run(&o, &r);
            m = fw_meas_of(&r, 0);
            CHECK(m >= 0);
            if (m < 0)
                continue;
            sum += fw_c(r.ev[m].skin_ck) - 35.6;
            if (fabs(fw_c(r.ev[m].skin_ck) - 35.6) > worst)
                worst = fabs(fw_c(r.ev[m].skin_ck) - 35.6);
            n++;
        }
        CHECK_EQ_INT(n, 16);
        CHECK_NEAR(sum / (n > 0 ? n : 1), 0.0, 0.08);
        printf("16 walks: mean skin error %+.3f K, worst %.3f K\n", sum / (n > 0 ? n : 1), worst);
    }

    /* Size-of-source effect: with optics blur a ~2 px canthus reads low, but within 0.3 K. */
    fw_opts_default(&o);
    o.blur = 1;
    {
        fw_result r;
        int m;
        o.n_walkers = 1;
        o.w[0] = fw_walker_make(0.0, 4.5, 35.6);
        fw_run(&o, &r);
        m = fw_meas_of(&r, 0);
        CHECK(m >= 0);
        if (m >= 0) {
            CHECK(fw_c(r.ev[m].skin_ck) < 35.6);
            CHECK_NEAR(fw_c(r.ev[m].skin_ck), 35.6, 0.3);
        }
    }
    return FBTEST_END();
}
