/* score.h — matches DUT events to truth and computes latency, accuracy, classification and faults (docs/scoring.md). */
#ifndef FB_SCORE_H
#define FB_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bbscore.h"
#include "scenario/criteria.h"
#include "link/event.h"
#include "interval.h"
#include "scenario/scenario.h"
#include "world/truth.h"

/* Agreement statistics of reported - true (°C). NAN where n is too small. */
typedef struct fb_agreement {
    size_t n;
    double bias, sd, mae;
    double loa_lo, loa_hi;        /* Bland–Altman 95 % limits: bias ± 1.96 sd */
    double within_03, within_05;  /* share with |error| <= 0.3 / 0.5 °C */
    /* 95 % intervals (docs/scoring.md: Confidence): bootstrap for bias and MAE (n >= 2),
     * Wilson for the shares */
    fb_interval bias_ci, mae_ci, within_03_ci, within_05_ci;
} fb_agreement;

/* A person counts for detection once screenable in at least this many frames (not necessarily
 * consecutive): a face seen in one or two frames cannot be found, confirmed as a face and read
 * (docs/scoring.md: Screenable). */
#define FB_MIN_SCREENABLE_FRAMES 3u

typedef enum fb_subject_status {
    FB_SUBJ_NOT_SCREENABLE = 0, /* screenable in fewer than FB_MIN_SCREENABLE_FRAMES frames and
                                 * never measured: not scored for detection */
    FB_SUBJ_MISSED,             /* scored (screenable long enough), never measured */
    FB_SUBJ_MEASURED
} fb_subject_status;

typedef struct fb_subject_result {
    fb_subject_info info;
    fb_subject_status status;
    double screenable_from_s;   /* NAN if never screenable */
    uint32_t screenable_frames; /* frames in which it was screenable */
    bool scored;                /* screenable_frames >= FB_MIN_SCREENABLE_FRAMES */
    double measured_at_s;       /* arrival of the first matched measurement (the decision) */
    double latency_s;           /* max(0, measured_at - screenable_from); NAN if not both */
    bool early;                 /* the decision names a frame before screenable_from (or the
                                 * subject was never screenable): its latency counts as 0 */
    double skin_true_c, skin_reported_c;  /* at the decision's frame */
    double body_reported_c;
    bool alarm;                 /* the decision (first matched measurement) raised an alarm */
    uint32_t n_measurements;    /* matched measurement events (the decision and duplicates) */
} fb_subject_result;

typedef struct fb_criterion_result {
    fb_criterion_id id;
    double limit, actual;       /* actual NAN when undefined (e.g. no febrile subjects) */
    bool pass;                  /* an undefined actual fails; decided on the actual (the gate) */
    fb_interval ci;             /* the actual's 95 % interval; NAN for exact counts */
    fb_confidence confidence;   /* FB_CONF_INCONCLUSIVE: the limit lies inside ci */
    uint64_t n_to_settle;       /* inconclusive: the sample size that would settle it (0: none) */
    size_t n;                   /* the sample the interval is over (0: no interval) */
} fb_criterion_result;

typedef struct fb_results {
    uint32_t frames;
    double duration_s;
    size_t n_subjects, n_screenable, n_measured, n_missed; /* screenable: scored subjects */
    size_t n_measured_unscreenable; /* measured but not scored (not in n_measured) */
    size_t n_early;             /* decisions naming a frame before the subject was screenable */
    double detection_rate;      /* measured / screenable */
    double latency_mean_s, latency_median_s, latency_p95_s, latency_max_s;
    size_t n_latency;           /* subjects with a defined latency (the latency statistics' n) */
    /* 95 % intervals: bootstrap for the mean, order statistics for the median and p95 (hi
     * +INFINITY when too few values bound it: docs/scoring.md, Confidence) */
    fb_interval latency_mean_ci, latency_median_ci, latency_p95_ci;
    fb_agreement skin, body;
    double fever_threshold_c;   /* truth: febrile when core >= this (screening.fever_threshold_c) */
    double alarm_threshold_c;   /* the device's setting it alarms at (dut.alarm_threshold_c) */
    size_t tp, fp, tn, fn;      /* over measured scored subjects (the decision's alarm) */
    size_t missed_febrile, missed_afebrile; /* scored, never measured: apart from TP..FN */
    double sensitivity, specificity, ppv, auc; /* auc over measured subjects' body_reported */
    size_t auc_n_pos, auc_n_neg; /* febrile and afebrile measured subjects the AUC is over */
    fb_interval auc_ci;          /* Newcombe's score interval (interval.h) */
    fb_interval detection_rate_ci, sensitivity_ci, specificity_ci, ppv_ci; /* Wilson 95 % */
    size_t afebrile_alarms;     /* = fp */
    size_t false_alarms;        /* alarm events matched to no subject */
    size_t unmatched_measurements;  /* measurements matched to no subject (false detections) */
    size_t duplicate_measurements, duplicate_alarms; /* after a subject's decision: not scored */
    size_t status_events;
    double throughput_per_min;  /* screened (measured scored) subjects per minute of run */
    size_t dut_faults;
    char first_fault[256];
    int audit_clean;            /* 1: the link audit is clean, 0: it has findings, -1: no audit */
    long long egress_attempts, sandbox_violations; /* the sandbox's counts, -1: no audit */
    fb_bb_results bb;           /* blackbody failures and the DUT's status reports (bbscore.h) */
    fb_subject_result *subjects;        /* n_subjects, owned */
    fb_criterion_result criteria[FB_CRIT_COUNT];
    size_t n_criteria;
    bool pass;                  /* all criteria pass and no fault... (see docs/scoring.md) */
} fb_results;

typedef struct fb_score fb_score;

/* Creates a scorer for a run. subjects[] is copied. Returns NULL on allocation failure. */
fb_score *fb_score_new(const fb_scenario *sc, const fb_subject_info *subjects, size_t n_subjects);
/* Feeds one frame's truth and the events that arrived while it was current, in that order. */
void fb_score_frame(fb_score *s, const fb_truth_frame *tf, const fb_event *events, size_t n);
/* Records what the sandbox recorded (fb_link_audit), for egress_attempts_max and
 * sandbox_violations_max. */
void fb_score_sandbox(fb_score *s, uint64_t egress_attempts, uint64_t violations);
/* Records the link audit's verdict (fb_link_audit.clean), for the audit_clean criterion. */
void fb_score_audit(fb_score *s, bool clean);
/* Records a DUT fault (timeout, crash, protocol violation) with a message. */
void fb_score_fault(fb_score *s, const char *msg);
/* Computes everything and evaluates the scenario's criteria. out owns subjects
 * (fb_results_free). Called at the end (or after a fault: partial results); it does not
 * change s, so it may also be called mid-run for running scores (fb_session_peek). */
int fb_score_finish(fb_score *s, fb_results *out);
void fb_score_free(fb_score *s);
void fb_results_free(fb_results *r);

/* The actual value criterion id is compared with (docs/scoring.md), NAN when undefined. */
double fb_score_metric(const fb_results *r, fb_criterion_id id);
/* Its 95 % interval and the sample it is over (*n = 0, NAN bounds: an exact count, no interval). */
fb_interval fb_score_metric_ci(const fb_results *r, fb_criterion_id id, size_t *n);
/* Fills c->ci, confidence, n and n_to_settle from r (c->id, limit and actual set). */
void fb_score_judge_confidence(const fb_results *r, fb_criterion_result *c);

#endif
