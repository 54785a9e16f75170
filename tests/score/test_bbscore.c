/* test_bbscore.c — blackbody status scoring against hand-worked timelines (docs/scoring.md, "Blackbody status"). */
#include <math.h>
#include <string.h>
#include "score/bbscore.h"
#include "fbtest.h"
#include "../../firmware-under-test/include/fbfw.h"

#define FPS 25.0

/* A timeline: the truth state at time t, the fault flag, and status events at given times. */
typedef struct ev_at {
    double t_s;
    uint16_t status;
} ev_at;

typedef fb_bb_truth (*state_fn)(double t_s, bool *fault);

static void run(state_fn st, double dur_s, const ev_at *ev, size_t n_ev, fb_bb_results *out)
{
    fb_bb_score s;
    fb_bb_score_init(&s, FPS);
    size_t k = 0;
    uint32_t frames = (uint32_t)(dur_s * FPS + 0.5);
    for (uint32_t f = 0; f < frames; f++) {
        fb_truth_frame tf;
        memset(&tf, 0, sizeof tf);
        tf.frame = f;
        tf.t_s = f / FPS;
        bool fault = false;
        tf.blackbody_state = st(tf.t_s, &fault);
        tf.blackbody_fault = fault || (tf.blackbody_state != FB_BBT_OK &&
                                       tf.blackbody_state != FB_BBT_NONE);
        fb_bb_score_frame(&s, &tf);
        /* events arrive with the frame whose time they fall on (rounded to the frame) */
        while (k < n_ev && (uint32_t)(ev[k].t_s * FPS + 0.5) == f) {
            fb_bb_score_status(&s, ev[k].status, ev[k].t_s);
            k++;
        }
    }
    fb_bb_score_finish(&s, frames / FPS, out);
}

static fb_bb_truth occluded_10_20(double t, bool *fault)
{
    (void)fault;
    return t >= 10.0 && t < 20.0 ? FB_BBT_OCCLUDED : FB_BBT_OK;
}

static fb_bb_truth always_ok(double t, bool *fault)
{
    (void)t;
    (void)fault;
    return FB_BBT_OK;
}

static fb_bb_truth none(double t, bool *fault)
{
    (void)t;
    (void)fault;
    return FB_BBT_NONE;
}

/* A drift under way from 30 s that spoils the plate from 60 s to the end. */
static fb_bb_truth drift_30(double t, bool *fault)
{
    *fault = t >= 30.0;
    return t >= 60.0 ? FB_BBT_DRIFTING : FB_BBT_OK;
}

/* A passer-by for 1 s, then the heater off from 40 s (unusable from 55 s) to 100 s. */
static fb_bb_truth shadow_then_off(double t, bool *fault)
{
    *fault = t >= 40.0 && t < 100.0;
    if (t >= 5.0 && t < 6.0)
        return FB_BBT_OCCLUDED;
    if (t >= 55.0 && t < 90.0)
        return FB_BBT_OFF;
    if (t >= 90.0 && t < 100.0)
        return FB_BBT_WARMING;
    return FB_BBT_OK;
}

/* Exactly 50 frames (2.00 s at 25 fps) covered from frame 1556 (62.24 s): whole frames decide,
 * not 64.24 - 62.24 in floating point (which is 1.9999999999999929). */
static fb_bb_truth cover_62_24(double t, bool *fault)
{
    (void)fault;
    long f = lround(t * FPS);
    return f >= 1556 && f < 1606 ? FB_BBT_OCCLUDED : FB_BBT_OK;
}

/* Four frames covered (100-103), too short to be required. */
static fb_bb_truth cover_4_frames(double t, bool *fault)
{
    (void)fault;
    long f = lround(t * FPS);
    return f >= 100 && f < 104 ? FB_BBT_OCCLUDED : FB_BBT_OK;
}

/* Occluded 10-20 s and again 40-45 s. */
static fb_bb_truth two_covers(double t, bool *fault)
{
    (void)fault;
    return (t >= 10.0 && t < 20.0) || (t >= 40.0 && t < 45.0) ? FB_BBT_OCCLUDED : FB_BBT_OK;
}

/* Forty 3 s occlusions, one every 5 s from 5 s. */
static fb_bb_truth forty_covers(double t, bool *fault)
{
    (void)fault;
    double k = floor(t / 5.0);
    return k >= 1 && k <= 40 && t - 5.0 * k < 3.0 ? FB_BBT_OCCLUDED : FB_BBT_OK;
}

int main(void)
{
    fb_bb_results r;

    /* docs/scoring.md: occluded 10-20 s, LOST at 10.12 s, OK at 20.2 s. */
    const ev_at a[] = {{10.12, FBFW_STATUS_BLACKBODY_LOST}, {20.2, FBFW_STATUS_BLACKBODY_OK}};
    run(occluded_10_20, 30.0, a, 2, &r);
    CHECK(r.applicable);
    CHECK_EQ_INT(r.episodes, 1);
    CHECK_EQ_INT(r.required, 1);
    CHECK_EQ_INT(r.detected_required, 1);
    CHECK_NEAR(r.detection_rate, 1.0, 0);
    CHECK_NEAR(r.ep[0].start_s, 10.0, 1e-9);
    CHECK_NEAR(r.ep[0].end_s, 20.0, 1e-9);
    CHECK(r.ep[0].ended);
    CHECK(r.ep[0].reason == FB_BBT_OCCLUDED);
    CHECK_NEAR(r.ep[0].lost_share, 9.88 / 10.0, 1e-9);
    CHECK_NEAR(r.latency_max_s, 0.12, 1e-9);
    CHECK_NEAR(r.recovery_max_s, 0.2, 1e-9);
    CHECK(!r.ep[0].recovery_censored);
    CHECK_EQ_INT(r.false_lost, 0);
    CHECK_EQ_INT(r.false_ok, 0);
    CHECK_EQ_INT(r.lost_claims, 1);

    /* Same truth, the DUT says OK at 15 s (still occluded: false OK), LOST again at 16 s:
     * claimed lost 4.88 + 4 = 8.88 s of 10 -> detected; the OK after the end recovers. */
    const ev_at b[] = {{10.12, FBFW_STATUS_BLACKBODY_LOST},
                       {15.0, FBFW_STATUS_BLACKBODY_OK},
                       {16.0, FBFW_STATUS_BLACKBODY_LOST},
                       {21.0, FBFW_STATUS_BLACKBODY_OK}};
    run(occluded_10_20, 30.0, b, 4, &r);
    CHECK_EQ_INT(r.false_ok, 1);
    CHECK_NEAR(r.ep[0].lost_share, 8.88 / 10.0, 1e-9);
    CHECK(r.ep[0].detected);
    CHECK_NEAR(r.recovery_max_s, 1.0, 1e-9);
    CHECK_EQ_INT(r.lost_claims, 2);

    /* Never reported: required, not detected; latency and recovery undefined. */
    run(occluded_10_20, 30.0, NULL, 0, &r);
    CHECK_NEAR(r.detection_rate, 0.0, 0);
    CHECK(isnan(r.latency_max_s));
    CHECK(isnan(r.recovery_max_s));
    CHECK(isnan(r.ep[0].latency_s));

    /* Still claiming LOST at the end of the run: recovery censored at 30 - 20 = 10 s. */
    run(occluded_10_20, 30.0, a, 1, &r);
    CHECK(r.ep[0].recovery_censored);
    CHECK_NEAR(r.recovery_max_s, 10.0, 1e-9);

    /* A LOST with the reference fine and nothing under way is false; the OK after it is not. */
    const ev_at c[] = {{5.0, FBFW_STATUS_BLACKBODY_LOST}, {8.0, FBFW_STATUS_BLACKBODY_OK}};
    run(always_ok, 10.0, c, 2, &r);
    CHECK_EQ_INT(r.false_lost, 1);
    CHECK_EQ_INT(r.false_ok, 0);
    CHECK_EQ_INT(r.episodes, 0);
    CHECK(isnan(r.detection_rate));

    /* A LOST within 2 s after an episode is not false (late confirmation); 2.5 s after is. */
    const ev_at d[] = {{21.9, FBFW_STATUS_BLACKBODY_LOST}};
    run(occluded_10_20, 30.0, d, 1, &r);
    CHECK_EQ_INT(r.false_lost, 0);
    CHECK(!r.ep[0].detected); /* it claimed nothing during the episode */
    const ev_at d2[] = {{22.5, FBFW_STATUS_BLACKBODY_LOST}};
    run(occluded_10_20, 30.0, d2, 1, &r);
    CHECK_EQ_INT(r.false_lost, 1);

    /* Early warning: LOST at 45 s while a drift is under way (fault) but the plate still
     * within 0.3 °C; it spoils the plate from 60 s: not false, detected with latency 0. */
    const ev_at e[] = {{45.0, FBFW_STATUS_BLACKBODY_LOST}};
    run(drift_30, 120.0, e, 1, &r);
    CHECK_EQ_INT(r.false_lost, 0);
    CHECK_EQ_INT(r.required, 1);
    CHECK(r.ep[0].detected);
    CHECK(!r.ep[0].ended);
    CHECK_NEAR(r.ep[0].latency_s, 0.0, 0);
    CHECK(r.ep[0].reason == FB_BBT_DRIFTING);

    /* A LOST blip of 0.2 s in a 60 s drift is not noticing it (0.33 % < 50 %). */
    const ev_at g[] = {{80.0, FBFW_STATUS_BLACKBODY_LOST}, {80.2, FBFW_STATUS_BLACKBODY_OK}};
    run(drift_30, 120.0, g, 2, &r);
    CHECK(!r.ep[0].detected);
    CHECK_NEAR(r.ep[0].lost_share, 0.2 / 60.0, 1e-9);
    CHECK_EQ_INT(r.false_ok, 1);
    CHECK_NEAR(r.detection_rate, 0.0, 0);

    /* A 1 s shadow (not required), then off 55-90 s and warming 90-100 s as one episode with
     * reason "off"; LOST at 56 s, OK at 130 s: latency 1 s, recovery 30 s. */
    const ev_at h[] = {{56.0, FBFW_STATUS_BLACKBODY_LOST}, {130.0, FBFW_STATUS_BLACKBODY_OK}};
    run(shadow_then_off, 150.0, h, 2, &r);
    CHECK_EQ_INT(r.episodes, 2);
    CHECK_EQ_INT(r.required, 1);
    CHECK(!r.ep[0].required);
    CHECK(r.ep[1].reason == FB_BBT_OFF);
    CHECK_NEAR(r.ep[1].start_s, 55.0, 1e-9);
    CHECK_NEAR(r.ep[1].end_s, 100.0, 1e-9);
    CHECK_NEAR(r.latency_max_s, 1.0, 1e-9);
    CHECK_NEAR(r.recovery_max_s, 30.0, 1e-9);
    CHECK_NEAR(r.detection_rate, 1.0, 0);

    /* More episodes than are kept in detail: counts, latency and recovery cover them all
     * (the slowest LOST, 1 s, is the 36th; every OK comes 0.2 s after the end). */
    static ev_at many[80];
    for (int i = 0; i < 40; i++) {
        double start = 5.0 * (i + 1);
        many[2 * i] = (ev_at){start + (i == 35 ? 1.0 : 0.12), FBFW_STATUS_BLACKBODY_LOST};
        many[2 * i + 1] = (ev_at){start + 3.2, FBFW_STATUS_BLACKBODY_OK};
    }
    run(forty_covers, 210.0, many, 80, &r);
    CHECK_EQ_INT(r.episodes, 40);
    CHECK_EQ_INT(r.n_ep, FB_BB_MAX_EPISODES);
    CHECK_EQ_INT(r.required, 40);
    CHECK_NEAR(r.detection_rate, 1.0, 0);
    CHECK_NEAR(r.latency_max_s, 1.0, 1e-9);
    CHECK_NEAR(r.recovery_max_s, 0.2, 1e-9);
    CHECK_EQ_INT(r.false_lost, 0);

    /* Whole frames: 2.00 s = 50 frames at 25 fps is the minimum, required wherever it falls. */
    CHECK_EQ_INT(fb_bb_frames(FB_BB_MIN_EPISODE_S, FPS), 50);
    CHECK_EQ_INT(fb_bb_frames(2.0, 8.7), 18); /* 17.4 frames: 18 whole frames */
    CHECK_EQ_INT(fb_bb_frames(2.0, 9.0), 18); /* 18.000000000000004 is still 18 */
    run(cover_62_24, 70.0, NULL, 0, &r);
    CHECK_EQ_INT(r.episodes, 1);
    CHECK_EQ_INT(r.ep[0].frames, 50);
    CHECK_EQ_INT(r.required, 1);

    /* A LOST in 2 of 4 frames is half of them: detected (2 x 2 >= 4, no share in floating
     * point); it arrives with frame 102, so frames 102 and 103 are claimed. */
    const ev_at half[] = {{102.0 / FPS, FBFW_STATUS_BLACKBODY_LOST}, {110.0 / FPS, FBFW_STATUS_BLACKBODY_OK}};
    run(cover_4_frames, 10.0, half, 2, &r);
    CHECK_EQ_INT(r.ep[0].frames, 4);
    CHECK_EQ_INT(r.ep[0].lost_frames, 2);
    CHECK(r.ep[0].detected);
    CHECK(!r.ep[0].required);
    CHECK_NEAR(r.ep[0].recovery_s, 6.0 / FPS, 1e-9); /* OK at frame 110, ended at frame 104 */
    /* one frame later: 1 of 4, not detected */
    const ev_at less[] = {{103.0 / FPS, FBFW_STATUS_BLACKBODY_LOST}};
    run(cover_4_frames, 10.0, less, 1, &r);
    CHECK_EQ_INT(r.ep[0].lost_frames, 1);
    CHECK(!r.ep[0].detected);

    /* LOST once and never OK (a firmware that never trusts its reference again): the first
     * episode's recovery is the time to the next episode's start, 40 - 20 = 20 s (it distrusted
     * a usable reference that long), the second's is censored at the end (60 - 45 = 15 s). */
    run(two_covers, 60.0, a, 1, &r);
    CHECK_EQ_INT(r.episodes, 2);
    CHECK(r.ep[0].recovery_interrupted);
    CHECK_NEAR(r.ep[0].recovery_s, 20.0, 1e-9);
    CHECK(r.ep[1].recovery_censored);
    CHECK_NEAR(r.ep[1].recovery_s, 15.0, 1e-9);
    CHECK_EQ_INT(r.recovery_censored, 1);
    CHECK_NEAR(r.recovery_max_s, 20.0, 1e-9);
    CHECK_EQ_INT(r.detected_required, 2);

    /* No blackbody: saying LOST is right, nothing is applicable. */
    const ev_at n[] = {{1.0, FBFW_STATUS_BLACKBODY_LOST}};
    run(none, 10.0, n, 1, &r);
    CHECK(!r.applicable);
    CHECK_EQ_INT(r.false_lost, 0);
    CHECK_EQ_INT(r.lost_claims, 1);
    CHECK(isnan(r.detection_rate));
    return FBTEST_END();
}
