/* test_score_stats.c — statistics worked by hand: accuracy and Bland–Altman, the classification
 * table, ROC AUC with and without ties, latency percentiles, and criteria with exact actuals. */
#include <math.h>
#include <stdlib.h>
#include "fbtest.h"
#include "score_fixture.h"

/* Six subjects, all screenable from frame 0 at 10 fps; canthus = base + 0.01·frame, and every
 * event names frame 0, so skin_true must be the frame-0 value.
 *
 *   id core  febrile canthus skin_rep (err)  body_rep (err)  alarm arrival  -> latency  class
 *   A  38.6  yes     37.30   37.40 (+0.10)   38.64 (+0.04)   1     3        0.3 s      TP
 *   B  37.9  yes     36.60   36.25 (-0.35)   37.49 (-0.41)   0     5        0.5 s      FN
 *   C  36.8  no      35.60   35.80 (+0.20)   37.04 (+0.24)   0     8        0.8 s      TN
 *   D  37.0  no      35.80   36.40 (+0.60)   37.64 (+0.64)   1     12       1.2 s      FP
 *   E  36.5  no      35.30   35.25 (-0.05)   36.49 (-0.01)   0     20       2.0 s      TN
 *   F  38.2  yes     36.90   (missed)                                     missed febrile
 *
 * A missed subject is neither a true nor a false negative: it is counted apart.
 */
typedef struct row {
    const char *id;
    double core, canthus, skin, body;
    int alarm;
    uint32_t arrival;
} row;

static const row rows[6] = {
    {"A", 38.6, 37.30, 37.40, 38.64, 1, 3},  {"B", 37.9, 36.60, 36.25, 37.49, 0, 5},
    {"C", 36.8, 35.60, 35.80, 37.04, 0, 8},  {"D", 37.0, 35.80, 36.40, 37.64, 1, 12},
    {"E", 36.5, 35.30, 35.25, 36.49, 0, 20}, {"F", 38.2, 36.90, 0, 0, 0, 0},
};

static void run_table(fb_scenario *sc, fb_results *r)
{
    fb_subject_info info[6];
    for (int i = 0; i < 6; i++)
        info[i] = fx_info(rows[i].id, rows[i].core);
    fb_score *s = fb_score_new(sc, info, 6);
    CHECK(s != NULL);
    for (uint32_t f = 0; f <= 20; f++) {
        fb_truth_subject ts[6];
        fb_event ev[6];
        size_t k = 0;
        for (uint16_t i = 0; i < 6; i++) {
            ts[i] = fx_ts(i, true, true, 30.0 * i, 10, 20, 20, rows[i].canthus + 0.01 * f);
            if (i < 5 && rows[i].arrival == f)
                ev[k++] = fx_meas(0, f, 10, (uint16_t)(30 * i), 10, 20, 20, rows[i].skin,
                                  rows[i].body, rows[i].alarm);
        }
        fb_truth_frame tf = fx_frame(f, 10, ts, 6);
        fb_score_frame(s, &tf, ev, k);
    }
    CHECK_EQ_INT(fb_score_finish(s, r), 0);
    fb_score_free(s);
}

static void test_table(void)
{
    fb_scenario *sc = fx_scenario(10);
    fx_limit(sc, FB_CRIT_DETECTION_RATE, 0.8);   /* 5/6 = 0.833: pass */
    fx_limit(sc, FB_CRIT_LATENCY_MEAN, 0.9);     /* 0.96: FAIL */
    fx_limit(sc, FB_CRIT_LATENCY_P95, 2.0);      /* 2.0: pass (<=) */
    fx_limit(sc, FB_CRIT_SKIN_MAE, 0.25);        /* 0.26: FAIL */
    fx_limit(sc, FB_CRIT_SKIN_BIAS, 0.15);       /* |0.10|: pass */
    fx_limit(sc, FB_CRIT_SKIN_WITHIN_03, 0.6);   /* 3/5: pass (>=) */
    fx_limit(sc, FB_CRIT_SKIN_WITHIN_05, 0.9);   /* 4/5: FAIL */
    fx_limit(sc, FB_CRIT_BODY_MAE, 0.3);         /* 0.268: pass */
    fx_limit(sc, FB_CRIT_SENSITIVITY, 0.6);      /* 1/2: FAIL */
    fx_limit(sc, FB_CRIT_SPECIFICITY, 0.6);      /* 2/3: pass */
    fx_limit(sc, FB_CRIT_AUC, 0.9);              /* 5/6: FAIL */
    fx_limit(sc, FB_CRIT_AFEBRILE_ALARMS, 0);    /* 1: FAIL */
    fx_limit(sc, FB_CRIT_FALSE_ALARMS, 0);       /* 0: pass */
    fx_limit(sc, FB_CRIT_UNMATCHED, 0);          /* 0: pass */
    fx_limit(sc, FB_CRIT_THROUGHPUT, 100);       /* 5 / (2.1/60) = 142.86: pass */
    fx_limit(sc, FB_CRIT_DUT_FAULTS, 0);         /* 0: pass */
    fb_results r;
    run_table(sc, &r);

    CHECK_EQ_INT(r.n_screenable, 6);
    CHECK_EQ_INT(r.n_measured, 5);
    CHECK_EQ_INT(r.n_missed, 1);
    CHECK_EQ_INT(r.subjects[5].status, FB_SUBJ_MISSED);
    CHECK_NEAR(r.detection_rate, 5.0 / 6.0, 1e-15);

    /* Latencies 0.3 0.5 0.8 1.2 2.0: mean 4.8/5, median the 3rd, p95 rank ceil(4.75) = 5th. */
    CHECK_NEAR(r.latency_mean_s, 0.96, 1e-12);
    CHECK_NEAR(r.latency_median_s, 0.8, 1e-12);
    CHECK_NEAR(r.latency_p95_s, 2.0, 1e-12);
    CHECK_NEAR(r.latency_max_s, 2.0, 1e-12);

    /* Skin errors +0.10 -0.35 +0.20 +0.60 -0.05: sum 0.50, bias 0.10; deviations
     * 0 -0.45 0.10 0.50 -0.15, squares sum 0.485, SD = sqrt(0.485/4); |e| sum 1.30. */
    CHECK_EQ_INT(r.skin.n, 5);
    CHECK_NEAR(r.skin.bias, 0.10, 1e-9);
    CHECK_NEAR(r.skin.sd, sqrt(0.485 / 4), 1e-9);
    CHECK_NEAR(r.skin.sd, 0.348210, 1e-6);
    CHECK_NEAR(r.skin.mae, 0.26, 1e-9);
    CHECK_NEAR(r.skin.loa_lo, -0.582491, 1e-6);
    CHECK_NEAR(r.skin.loa_hi, 0.782491, 1e-6);
    CHECK_NEAR(r.skin.within_03, 0.6, 1e-15);
    CHECK_NEAR(r.skin.within_05, 0.8, 1e-15);
    /* Body errors +0.04 -0.41 +0.24 +0.64 -0.01: bias 0.10; squares 0.0036 0.2601 0.0196
     * 0.2916 0.0121 = 0.587; MAE 1.34/5. */
    CHECK_EQ_INT(r.body.n, 5);
    CHECK_NEAR(r.body.bias, 0.10, 1e-9);
    CHECK_NEAR(r.body.sd, sqrt(0.587 / 4), 1e-9);
    CHECK_NEAR(r.body.mae, 0.268, 1e-9);
    CHECK_NEAR(r.body.loa_lo, 0.10 - 1.96 * 0.383080, 1e-5);
    CHECK_NEAR(r.body.loa_hi, 0.10 + 1.96 * 0.383080, 1e-5);
    CHECK_NEAR(r.body.within_03, 0.6, 1e-15);
    CHECK_NEAR(r.body.within_05, 0.8, 1e-15);

    CHECK_EQ_INT(r.tp, 1);
    CHECK_EQ_INT(r.fn, 1);
    CHECK_EQ_INT(r.tn, 2);
    CHECK_EQ_INT(r.fp, 1);
    CHECK_EQ_INT(r.missed_febrile, 1);
    CHECK_EQ_INT(r.missed_afebrile, 0);
    CHECK_NEAR(r.sensitivity, 0.5, 0);
    CHECK_NEAR(r.specificity, 2.0 / 3.0, 1e-15);
    CHECK_NEAR(r.ppv, 0.5, 0);
    CHECK_EQ_INT(r.afebrile_alarms, 1);
    /* AUC: A 38.64 beats C, D, E (3); B 37.49 beats C 37.04 and E 36.49, not D 37.64 (2): 5/6. */
    CHECK_NEAR(r.auc, 5.0 / 6.0, 1e-15);
    CHECK_EQ_INT(r.false_alarms, 0);
    CHECK_EQ_INT(r.unmatched_measurements, 0);
    CHECK_NEAR(r.duration_s, 2.1, 1e-12);
    CHECK_NEAR(r.throughput_per_min, 5 / (2.1 / 60), 1e-9);
    CHECK_EQ_INT(r.dut_faults, 0);

    /* Criteria in registry order with their exact actuals. */
    static const struct {
        fb_criterion_id id;
        double actual;
        int pass;
    } want[16] = {
        {FB_CRIT_DETECTION_RATE, 5.0 / 6.0, 1}, {FB_CRIT_LATENCY_MEAN, 0.96, 0},
        {FB_CRIT_LATENCY_P95, 2.0, 1},          {FB_CRIT_SKIN_MAE, 0.26, 0},
        {FB_CRIT_SKIN_BIAS, 0.10, 1},           {FB_CRIT_SKIN_WITHIN_03, 0.6, 1},
        {FB_CRIT_SKIN_WITHIN_05, 0.8, 0},       {FB_CRIT_BODY_MAE, 0.268, 1},
        {FB_CRIT_SENSITIVITY, 0.5, 0},          {FB_CRIT_SPECIFICITY, 2.0 / 3.0, 1},
        {FB_CRIT_AUC, 5.0 / 6.0, 0},            {FB_CRIT_AFEBRILE_ALARMS, 1, 0},
        {FB_CRIT_FALSE_ALARMS, 0, 1},           {FB_CRIT_UNMATCHED, 0, 1},
        {FB_CRIT_THROUGHPUT, 5 / (2.1 / 60), 1}, {FB_CRIT_DUT_FAULTS, 0, 1},
    };
    CHECK_EQ_INT(r.n_criteria, 16);
    for (int i = 0; i < 16; i++) {
        CHECK_EQ_INT(r.criteria[i].id, want[i].id);
        CHECK_NEAR(r.criteria[i].actual, want[i].actual, 1e-9);
        CHECK_EQ_INT(r.criteria[i].pass, want[i].pass);
        CHECK_NEAR(r.criteria[i].actual, fb_score_metric(&r, want[i].id), 0);
    }
    CHECK_NEAR(r.criteria[0].limit, 0.8, 0);
    CHECK(!r.pass);
    fb_results_free(&r);

    /* The same run with only the passing criteria passes. */
    fb_scenario *sc2 = fx_scenario(10);
    fx_limit(sc2, FB_CRIT_DETECTION_RATE, 0.8);
    fx_limit(sc2, FB_CRIT_SPECIFICITY, 2.0 / 3.0);
    fx_limit(sc2, FB_CRIT_THROUGHPUT, 142.8);
    run_table(sc2, &r);
    CHECK_EQ_INT(r.n_criteria, 3);
    CHECK(r.criteria[0].pass && r.criteria[1].pass && r.criteria[2].pass);
    CHECK(r.pass);
    fb_results_free(&r);
    free(sc2);
    free(sc);
}

/* AUC with ties: febrile 37.5, 37.0; afebrile 37.5, 36.0 -> (0.5 + 1) + (0 + 1) = 2.5 of 4. */
static void test_auc_ties(void)
{
    fb_scenario *sc = fx_scenario(10);
    const double core[4] = {38.0, 37.8, 36.9, 37.1};
    const double body[4] = {37.5, 37.0, 37.5, 36.0};
    fb_subject_info info[4];
    fb_truth_subject ts[4];
    fb_event ev[4];
    for (uint16_t i = 0; i < 4; i++) {
        info[i] = fx_info("x", core[i]);
        ts[i] = fx_ts(i, true, true, 30.0 * i, 0, 20, 20, 35.5);
        ev[i] = fx_meas(0, 0, 10, (uint16_t)(30 * i), 0, 20, 20, body[i] - 1.24, body[i], 0);
    }
    fb_score *s = fb_score_new(sc, info, 4);
    for (uint32_t f = 0; f < FB_MIN_SCREENABLE_FRAMES; f++) { /* screenable long enough */
        fb_truth_frame tf = fx_frame(f, 10, ts, 4);
        fb_score_frame(s, &tf, ev, f == 0 ? 4 : 0);
    }
    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_NEAR(r.auc, 2.5 / 4.0, 1e-15);
    /* No alarms: TP 0 FP 0 -> PPV undefined, sensitivity 0, specificity 1. */
    CHECK(isnan(r.ppv));
    CHECK_NEAR(r.sensitivity, 0.0, 0);
    CHECK_NEAR(r.specificity, 1.0, 0);
    fb_results_free(&r);
    fb_score_free(s);
    free(sc);
}

/* Twenty latencies 0.1 .. 2.0 s: median (1.0 + 1.1)/2, p95 = 19th smallest (nearest rank). All
 * afebrile: sensitivity undefined, so a sensitivity criterion fails. */
static void test_percentiles_and_undefined(void)
{
    fb_scenario *sc = fx_scenario(10);
    fx_limit(sc, FB_CRIT_SENSITIVITY, 0.0);
    fx_limit(sc, FB_CRIT_SPECIFICITY, 1.0);
    fb_subject_info info[20];
    for (int i = 0; i < 20; i++)
        info[i] = fx_info("p", 36.8);
    fb_score *s = fb_score_new(sc, info, 20);
    for (uint32_t f = 0; f <= 20; f++) {
        fb_truth_subject ts[20];
        for (uint16_t i = 0; i < 20; i++)
            ts[i] = fx_ts(i, true, true, 30.0 * i, 0, 20, 20, 35.5);
        fb_truth_frame tf = fx_frame(f, 10, ts, 20);
        fb_event e = fx_meas(f, f, 10, (uint16_t)(30 * (f - 1)), 0, 20, 20, 35.5, 36.74, 0);
        fb_score_frame(s, &tf, &e, f >= 1 ? 1 : 0);
    }
    fb_results r;
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    CHECK_EQ_INT(r.n_measured, 20);
    CHECK_NEAR(r.latency_mean_s, 1.05, 1e-12);
    CHECK_NEAR(r.latency_median_s, 1.05, 1e-12);
    CHECK_NEAR(r.latency_p95_s, 1.9, 1e-12);
    CHECK_NEAR(r.latency_max_s, 2.0, 1e-12);
    CHECK(isnan(r.sensitivity));
    CHECK(isnan(r.auc));
    CHECK_EQ_INT(r.n_criteria, 2);
    CHECK(isnan(r.criteria[0].actual));
    CHECK(!r.criteria[0].pass); /* undefined fails */
    CHECK(r.criteria[1].pass);
    CHECK(!r.pass);
    fb_results_free(&r);
    fb_score_free(s);
    free(sc);
}

int main(void)
{
    test_table();
    test_auc_ties();
    test_percentiles_and_undefined();
    return FBTEST_END();
}
