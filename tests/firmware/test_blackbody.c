/* test_blackbody.c — the reference source: drift correction, occlusion (hold + status), absence. */
#include "fbtest.h"
#include "fw_run.h"

/* Frame of the first status event with this code, or -1. */
static int status_frame(const fw_result *r, int code) {
    int i;
    for (i = 0; i < r->n_events; i++)
        if (r->ev[i].kind == FBFW_EV_STATUS && r->ev[i].status == code)
            return (int)r->ev[i].frame;
    return -1;
}

/* One walker; returns its skin error (reported - true), or 99 when not measured. */
static double walk_error(fw_opts *o, fw_result *r, double canthus_c) {
    int m;
    o->n_walkers = 1;
    o->w[0] = fw_walker_make(-0.1, o->w[0].d0_m > 0 ? o->w[0].d0_m : 4.5, canthus_c);
    fw_run(o, r);
    CHECK(!r->bad_return);
    CHECK(r->guard_ok);
    CHECK_EQ_INT(r->n_meas, 1);
    m = fw_meas_of(r, 0);
    if (m < 0)
        return 99.0;
    return fw_c(r->ev[m].skin_ck) - canthus_c;
}

int main(void) {
    fw_opts o;
    fw_result r;
    double err;
    int m, lost, ok;

    /* Baseline: +0.8 K offset fully corrected, no status events. */
    fw_opts_default(&o);
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.0, 0.15);
    CHECK_EQ_INT(r.n_status, 0);

    /* Occluded (rectangle at 30 °C) from frame 10 to 60, across the measurement: LOST once
     * after 3 bad frames, the learned correction held, OK once 3 frames after it is back. */
    fw_opts_default(&o);
    o.occlude_from = 10;
    o.occlude_to = 60;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.0, 0.15);
    CHECK_EQ_INT(r.n_lost, 1);
    CHECK_EQ_INT(r.n_ok, 1);
    lost = status_frame(&r, FBFW_STATUS_BLACKBODY_LOST);
    ok = status_frame(&r, FBFW_STATUS_BLACKBODY_OK);
    m = fw_meas_of(&r, 0);
    CHECK_EQ_INT(lost, 12);
    CHECK_EQ_INT(ok, 62);
    if (m >= 0) {
        CHECK(lost < (int)r.ev[m].frame);
        CHECK((int)r.ev[m].frame < ok);
    }

    /* A warm occluder close to the set point (34.5 °C, reads 35.3) is still not the source:
     * wrong size and place. */
    fw_opts_default(&o);
    o.occlude_from = 10;
    o.occlude_to = 60;
    o.occlude_c = 34.5;
    err = walk_error(&o, &r, 36.6);
    CHECK_NEAR(err, 0.0, 0.15);
    CHECK_EQ_INT(r.n_lost, 1);
    CHECK_EQ_INT(r.n_ok, 1);

    /* No blackbody configured: readings uncorrected, the +0.8 K offset shows, no status. */
    fw_opts_default(&o);
    o.with_bb = 0;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.8, 0.15);
    CHECK_EQ_INT(r.n_status, 0);
    fw_opts_default(&o);
    o.with_bb = 0;
    o.offset_k = o.offset_end_k = 0.0;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.0, 0.15);

    /* Configured but never visible: LOST once within a second, never OK, uncorrected. */
    fw_opts_default(&o);
    o.bb_visible = 0;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.8, 0.15);
    CHECK_EQ_INT(r.n_lost, 1);
    CHECK_EQ_INT(r.n_ok, 0);
    lost = status_frame(&r, FBFW_STATUS_BLACKBODY_LOST);
    CHECK(lost >= 0 && lost <= 25);

    /* Slow drift (+1.0 K to -0.6 K over 24 s) is followed: a walker at the end reads right. */
    fw_opts_default(&o);
    o.n_frames = 700;
    o.offset_k = 1.0;
    o.offset_end_k = -0.6;
    o.offset_ramp_frames = 600;
    o.w[0].d0_m = 4.5 + 1.3 * 610.0 / FW_FPS;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.0, 0.15);
    CHECK_EQ_INT(r.n_status, 0);

    /* The drift moved 1.6 K while the source was hidden: the held value is stale, the new
     * readings jump; they are adopted after 2 s of consistent readings (one OK). */
    fw_opts_default(&o);
    o.n_frames = 420;
    o.offset_k = 1.0;
    o.offset_end_k = -0.6;
    o.offset_ramp_frames = 240;
    o.occlude_from = 20;
    o.occlude_to = 260;
    o.w[0].d0_m = 4.5 + 1.3 * 360.0 / FW_FPS;
    err = walk_error(&o, &r, 35.6);
    CHECK_NEAR(err, 0.0, 0.15);
    CHECK_EQ_INT(r.n_lost, 1);
    CHECK_EQ_INT(r.n_ok, 1);
    ok = status_frame(&r, FBFW_STATUS_BLACKBODY_OK);
    CHECK(ok >= 260 + 50 - 1 && ok <= 260 + 50 + 3);
    return FBTEST_END();
}
