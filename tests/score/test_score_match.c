/* test_score_match.c — matching events to truth by hand: latency, duplicates, unmatched and false
 * alarms, the IoU threshold, out-of-window frames as faults, never-screenable and missed subjects. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fbtest.h"
#include "score_fixture.h"

#define FPS 25.0
#define LAST_FRAME 300u

/* One scripted run (docs/scoring.md), frames 0..300 at 25 fps:
 *   s0 afebrile 36.9, box (10,10,20,20), screenable from frame 10 (t 0.40 s), canthus 35.5 + 0.01·frame
 *   s1 febrile 38.5, box (60,10,20,20), screenable from frame 5, never measured -> missed
 *   s2 afebrile, box (20,10,20,20) overlapping s0, never screenable, never measured
 *   s3 afebrile 36.7, box (100,10,20,20), never screenable, canthus 34.0, measured (IoU exactly 0.2)
 *   s4 never in the scene
 *   s5 in the scene but not in view, box (150,10,20,20)
 */
static void fill_truth(fb_truth_subject *ts, uint32_t f)
{
    ts[0] = fx_ts(0, true, f >= 10, 10, 10, 20, 20, 35.5 + 0.01 * f);
    ts[1] = fx_ts(1, true, f >= 5, 60, 10, 20, 20, 36.8);
    ts[2] = fx_ts(2, true, false, 20, 10, 20, 20, 35.0);
    ts[3] = fx_ts(3, true, false, 100, 10, 20, 20, 34.0);
    ts[4] = fx_ts(5, false, false, 150, 10, 20, 20, 34.0);
}

static fb_event status_event(uint32_t arrival)
{
    fb_event e;
    memset(&e, 0, sizeof e);
    e.ev.kind = FBFW_EV_STATUS;
    e.ev.status = FBFW_STATUS_BLACKBODY_LOST;
    e.ev.frame = arrival;
    e.arrival_frame = arrival;
    e.arrival_t_s = arrival / FPS;
    return e;
}

static void test_scripted_run(void)
{
    fb_scenario *sc = fx_scenario(FPS);
    fx_limit(sc, FB_CRIT_DETECTION_RATE, 0.5); /* actual 1/2: passes (>=) */
    fx_limit(sc, FB_CRIT_DUT_FAULTS, 10);      /* actual 4: passes, yet a fault fails the run */
    fb_subject_info info[6] = {fx_info("s0", 36.9), fx_info("s1", 38.5), fx_info("s2", 36.6),
                               fx_info("s3", 36.7), fx_info("s4", 37.0), fx_info("s5", 36.8)};
    fb_score *s = fb_score_new(sc, info, 6);
    CHECK(s != NULL);
    if (!s)
        return;

    fb_event ev[16];
    size_t n_ev = 0;
    ev[n_ev++] = status_event(2);
    ev[n_ev++] = fx_meas(3, 2, FPS, 10, 10, 20, 20, 36.0, 37.2, 0); /* future frame: fault 1 */
    ev[n_ev++] = fx_meas(15, 18, FPS, 12, 12, 20, 20, 35.80, 37.04, 0); /* s0 first */
    ev[n_ev++] = fx_meas(20, 20, FPS, 100, 10, 20, 3, 33.0, 34.2, 0); /* IoU 0.15: unmatched */
    ev[n_ev++] = fx_meas(21, 21, FPS, 100, 10, 20, 4, 33.60, 34.84, 0); /* IoU 0.2: s3 */
    ev[n_ev++] = fx_meas(22, 22, FPS, 200, 200, 10, 10, 36.0, 37.2, 0); /* nobody */
    ev[n_ev++] = fx_meas(23, 23, FPS, 200, 200, 10, 10, 40.0, 41.2, 1); /* nobody, alarm */
    ev[n_ev++] = fx_meas(24, 24, FPS, 150, 10, 20, 20, 39.0, 40.2, 1); /* s5 not in view */
    ev[n_ev++] = fx_meas(30, 30, FPS, 10, 10, 20, 20, 37.0, 38.2, 1); /* s0 duplicate, alarm */
    ev[n_ev++] = fx_meas(44, LAST_FRAME, FPS, 10, 10, 20, 20, 36.0, 37.2, 0); /* too old: fault 2 */
    ev[n_ev++] = fx_meas(45, LAST_FRAME, FPS, 10, 10, 20, 20, 36.0, 37.2, 0); /* oldest kept: dup */
    ev[n_ev++] = fx_meas(LAST_FRAME + 1, LAST_FRAME, FPS, 10, 10, 20, 20, 36.0, 37.2, 0); /* fault 3 */
    ev[n_ev] = fx_meas(LAST_FRAME, LAST_FRAME, FPS, 10, 10, 20, 20, 36.0, 37.2, 0);
    ev[n_ev++].ev.kind = 9;                                                 /* unknown: fault 4 */
    ev[n_ev++] = fx_meas(LAST_FRAME, LAST_FRAME, FPS, 10, 10, 0, 20, 36.0, 37.2, 0); /* empty box */

    /* One truth array reused every frame, as the world does: the scorer must copy it. */
    fb_truth_subject ts[5];
    for (uint32_t f = 0; f <= LAST_FRAME; f++) {
        fill_truth(ts, f);
        fb_truth_frame tf = fx_frame(f, FPS, ts, 5);
        fb_event now[16];
        size_t k = 0;
        for (size_t i = 0; i < n_ev; i++)
            if (ev[i].arrival_frame == f)
                now[k++] = ev[i];
        fb_score_frame(s, &tf, now, k);
        memset(ts, 0xA5, sizeof ts); /* the world moves on */
    }

    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    fb_score_free(s);

    CHECK_EQ_INT(r.frames, 301);
    CHECK_NEAR(r.duration_s, 301 / 25.0, 1e-12);
    CHECK_EQ_INT(r.n_subjects, 6);
    CHECK_EQ_INT(r.n_screenable, 2);
    CHECK_EQ_INT(r.n_measured, 1);
    CHECK_EQ_INT(r.n_missed, 1);
    CHECK_EQ_INT(r.n_measured_unscreenable, 1);
    CHECK_NEAR(r.detection_rate, 0.5, 0);

    const fb_subject_result *s0 = &r.subjects[0];
    CHECK_EQ_INT(s0->status, FB_SUBJ_MEASURED);
    CHECK_NEAR(s0->screenable_from_s, 0.40, 1e-12);
    CHECK_NEAR(s0->measured_at_s, 0.72, 1e-12);
    CHECK_NEAR(s0->latency_s, 0.32, 1e-12);
    CHECK_NEAR(s0->skin_true_c, 35.65, 1e-9); /* canthus of frame 15, the frame the event names */
    CHECK_NEAR(s0->skin_reported_c, 35.80, 1e-9);
    CHECK_NEAR(s0->body_reported_c, 37.04, 1e-9);
    CHECK(!s0->alarm); /* the decision (frame 15) did not alarm; the duplicate's alarm is ignored */
    CHECK(!s0->early);
    CHECK(s0->scored);
    CHECK_EQ_INT(s0->screenable_frames, 291);
    CHECK_EQ_INT(s0->n_measurements, 3);

    CHECK_EQ_INT(r.subjects[1].status, FB_SUBJ_MISSED);
    CHECK_NEAR(r.subjects[1].screenable_from_s, 0.20, 1e-12);
    CHECK(isnan(r.subjects[1].measured_at_s));
    CHECK(isnan(r.subjects[1].latency_s));
    CHECK_EQ_INT(r.subjects[2].status, FB_SUBJ_NOT_SCREENABLE);
    CHECK_EQ_INT(r.subjects[2].n_measurements, 0);
    CHECK_EQ_INT(r.subjects[3].status, FB_SUBJ_MEASURED);
    CHECK(isnan(r.subjects[3].screenable_from_s));
    CHECK(isnan(r.subjects[3].latency_s));
    CHECK_NEAR(r.subjects[3].measured_at_s, 21 / 25.0, 1e-12);
    CHECK_NEAR(r.subjects[3].skin_true_c, 34.0, 1e-12);
    CHECK_EQ_INT(r.subjects[4].status, FB_SUBJ_NOT_SCREENABLE);
    CHECK_EQ_INT(r.subjects[5].status, FB_SUBJ_NOT_SCREENABLE);
    CHECK_EQ_INT(r.subjects[5].n_measurements, 0);

    /* One latency (s3's is undefined): every statistic is 0.32 s. */
    CHECK_NEAR(r.latency_mean_s, 0.32, 1e-12);
    CHECK_NEAR(r.latency_median_s, 0.32, 1e-12);
    CHECK_NEAR(r.latency_p95_s, 0.32, 1e-12);
    CHECK_NEAR(r.latency_max_s, 0.32, 1e-12);

    /* Accuracy over s0 and s3: skin errors +0.15, -0.40; body 37.04-36.9 = +0.14, 34.84-36.7 = -1.86. */
    CHECK_EQ_INT(r.skin.n, 2);
    CHECK_NEAR(r.skin.bias, -0.125, 1e-9);
    CHECK_NEAR(r.skin.sd, 0.55 / sqrt(2.0), 1e-9);
    CHECK_NEAR(r.skin.mae, 0.275, 1e-9);
    CHECK_NEAR(r.skin.within_03, 0.5, 0);
    CHECK_NEAR(r.skin.within_05, 1.0, 0);
    CHECK_EQ_INT(r.body.n, 2);
    CHECK_NEAR(r.body.bias, -0.86, 1e-9);
    CHECK_NEAR(r.body.mae, 1.00, 1e-9);
    CHECK_NEAR(r.body.within_05, 0.5, 0);

    /* Classification over measured scored subjects: s0 (afebrile, its decision did not alarm:
     * TN); s1 (febrile, missed) is counted apart, neither TP nor FN. */
    CHECK_EQ_INT(r.tp, 0);
    CHECK_EQ_INT(r.fp, 0);
    CHECK_EQ_INT(r.tn, 1);
    CHECK_EQ_INT(r.fn, 0);
    CHECK_EQ_INT(r.missed_febrile, 1);
    CHECK_EQ_INT(r.missed_afebrile, 0);
    CHECK(isnan(r.sensitivity));
    CHECK_NEAR(r.specificity, 1.0, 0);
    CHECK(isnan(r.ppv));
    CHECK(isnan(r.auc)); /* measured s0 and s3 are both afebrile */
    CHECK_EQ_INT(r.afebrile_alarms, 0);
    CHECK_EQ_INT(r.duplicate_alarms, 1); /* s0's at frame 30 */
    CHECK_EQ_INT(r.n_early, 1);          /* s3: measured, never screenable */
    CHECK(r.subjects[3].early);

    CHECK_EQ_INT(r.unmatched_measurements, 5); /* IoU 0.15, two on nobody, not in view, empty box */
    CHECK_EQ_INT(r.false_alarms, 2);           /* the two alarmed ones among them */
    CHECK_EQ_INT(r.duplicate_measurements, 2);
    CHECK_EQ_INT(r.status_events, 1);
    CHECK_NEAR(r.throughput_per_min, 1.0 / (301 / 25.0 / 60.0), 1e-9); /* s0 only: screened */

    CHECK_EQ_INT(r.dut_faults, 4);
    CHECK_STR_CONTAINS(r.first_fault, "event for frame 3 outside the window [0, 2]");

    CHECK_EQ_INT(r.n_criteria, 2);
    CHECK_EQ_INT(r.criteria[0].id, FB_CRIT_DETECTION_RATE);
    CHECK_NEAR(r.criteria[0].actual, 0.5, 0);
    CHECK(r.criteria[0].pass);
    CHECK_EQ_INT(r.criteria[1].id, FB_CRIT_DUT_FAULTS);
    CHECK_NEAR(r.criteria[1].actual, 4, 0);
    CHECK(r.criteria[1].pass);
    CHECK(!r.pass); /* a fault always fails */

    fb_results_free(&r);
    free(sc);
}

/* The window once the ring is full: [b - 255, b]; and faults by the run itself. */
static void test_window_messages(void)
{
    fb_scenario *sc = fx_scenario(FPS);
    fb_subject_info info = fx_info("a", 36.8);
    fb_score *s = fb_score_new(sc, &info, 1);
    fb_truth_subject ts = fx_ts(0, true, true, 10, 10, 20, 20, 35.6);
    fb_score_fault(s, "DUT timed out on frame 0");
    for (uint32_t f = 0; f < 1000; f++) {
        fb_truth_frame tf = fx_frame(f, FPS, &ts, 1);
        fb_event e[2];
        size_t k = 0;
        if (f == 999) {
            e[k++] = fx_meas(743, f, FPS, 10, 10, 20, 20, 35.6, 36.84, 0); /* 999-256: out */
            e[k++] = fx_meas(744, f, FPS, 10, 10, 20, 20, 35.7, 36.94, 0); /* 999-255: in */
        }
        fb_score_frame(s, &tf, e, k);
    }
    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_EQ_INT(r.dut_faults, 2);
    CHECK_STR_CONTAINS(r.first_fault, "DUT timed out on frame 0"); /* the first one is kept */
    CHECK_EQ_INT(r.subjects[0].status, FB_SUBJ_MEASURED);
    CHECK_NEAR(r.subjects[0].skin_reported_c, 35.7, 1e-9);
    CHECK_NEAR(r.subjects[0].latency_s, 999 / 25.0, 1e-9);
    CHECK(!r.pass);
    fb_results_free(&r);
    fb_score_free(s);

    /* The message for an old frame names the window. */
    s = fb_score_new(sc, &info, 1);
    for (uint32_t f = 0; f < 300; f++) {
        fb_truth_frame tf = fx_frame(f, FPS, &ts, 1);
        fb_event e = fx_meas(10, f, FPS, 10, 10, 20, 20, 35.6, 36.84, 0);
        fb_score_frame(s, &tf, &e, f == 299 ? 1 : 0);
    }
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_EQ_INT(r.dut_faults, 1);
    CHECK_STR_CONTAINS(r.first_fault, "event for frame 10 outside the window [44, 299]");
    CHECK_EQ_INT(r.subjects[0].status, FB_SUBJ_MISSED); /* a faulty event is not matched */
    CHECK_EQ_INT(r.unmatched_measurements, 0);
    fb_results_free(&r);
    fb_score_free(s);

    /* No criteria and no faults: the run passes; no subjects at all is fine too. */
    s = fb_score_new(sc, NULL, 0);
    fb_truth_frame tf = fx_frame(0, FPS, NULL, 0);
    fb_score_frame(s, &tf, NULL, 0);
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK(r.pass);
    CHECK(isnan(r.detection_rate));
    CHECK(isnan(r.latency_mean_s));
    CHECK(isnan(r.skin.bias) && isnan(r.skin.sd) && isnan(r.skin.within_03));
    CHECK(isnan(r.sensitivity) && isnan(r.specificity) && isnan(r.ppv) && isnan(r.auc));
    CHECK_NEAR(r.throughput_per_min, 0.0, 0);
    fb_results_free(&r);
    fb_score_free(s);
    free(sc);
}

/* The better of two overlapping subjects wins; ties go to the first listed. */
static void test_best_iou(void)
{
    fb_scenario *sc = fx_scenario(10);
    fb_subject_info info[2] = {fx_info("a", 36.8), fx_info("b", 38.0)};
    fb_score *s = fb_score_new(sc, info, 2);
    fb_truth_subject ts[2] = {fx_ts(1, true, true, 0, 0, 20, 20, 36.0),
                              fx_ts(0, true, true, 10, 0, 20, 20, 35.0)};
    fb_truth_frame tf = fx_frame(0, 10, ts, 2);
    /* Box (5,0,20,20) overlaps both by 15x20: a tie, the first listed (subject 1) wins.
     * Box (9,0,20,20): 11x20 with subject 1, 19x20 with subject 0: subject 0 wins. */
    fb_event e[2] = {fx_meas(0, 0, 10, 5, 0, 20, 20, 36.1, 37.3, 0),
                     fx_meas(0, 0, 10, 9, 0, 20, 20, 35.2, 36.4, 0)};
    fb_score_frame(s, &tf, e, 2);
    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_NEAR(r.subjects[1].skin_reported_c, 36.1, 1e-9);
    CHECK_NEAR(r.subjects[0].skin_reported_c, 35.2, 1e-9);
    CHECK_EQ_INT(r.duplicate_measurements, 0);
    /* screenable in one frame, fewer than FB_MIN_SCREENABLE_FRAMES: measured but not scored */
    CHECK(isnan(r.latency_max_s));
    CHECK_EQ_INT(r.n_measured_unscreenable, 2);
    CHECK_EQ_INT(r.n_screenable, 0);
    fb_results_free(&r);
    fb_score_free(s);
    free(sc);
}

/* Measured before becoming screenable: an early decision, latency 0 (never negative). */
static void test_measured_early(void)
{
    fb_scenario *sc = fx_scenario(10);
    fb_subject_info info = fx_info("a", 36.8);
    fb_score *s = fb_score_new(sc, &info, 1);
    for (uint32_t f = 0; f < 20; f++) {
        fb_truth_subject ts = fx_ts(0, true, f >= 15, 10, 10, 20, 20, 35.6);
        fb_truth_frame tf = fx_frame(f, 10, &ts, 1);
        fb_event e = fx_meas(f, f, 10, 10, 10, 20, 20, 35.6, 36.84, 0);
        fb_score_frame(s, &tf, &e, f == 5 ? 1 : 0);
    }
    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_EQ_INT(r.subjects[0].status, FB_SUBJ_MEASURED);
    CHECK_NEAR(r.subjects[0].latency_s, 0.0, 0);
    CHECK(r.subjects[0].early);
    CHECK_EQ_INT(r.n_early, 1);
    CHECK_NEAR(r.latency_mean_s, 0.0, 0);
    CHECK_EQ_INT(r.n_measured, 1);
    CHECK_EQ_INT(r.n_measured_unscreenable, 0);
    fb_results_free(&r);
    fb_score_free(s);
    free(sc);
}

int main(void)
{
    test_scripted_run();
    test_window_messages();
    test_best_iou();
    test_measured_early();
    return FBTEST_END();
}
