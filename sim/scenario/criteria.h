/* criteria.h — the registry of pass/fail criteria a scenario may set: one line per criterion. */
#ifndef FB_CRITERIA_H
#define FB_CRITERIA_H

/* X(ENUM, json_key, kind, unit, what) — kind MIN: actual >= limit passes; MAX: actual <= limit.
 * Adding a criterion is one line here plus its actual value in score.c (fb_score_metric). */
#define FB_CRITERIA_LIST(X)                                                                        \
    X(DETECTION_RATE, "detection_rate_min", MIN, "", "share of screenable subjects measured")      \
    X(LATENCY_MEAN, "latency_mean_max_s", MAX, "s", "mean detection latency")                      \
    X(LATENCY_P95, "latency_p95_max_s", MAX, "s", "95th percentile detection latency")             \
    X(SKIN_MAE, "skin_mae_max_c", MAX, "°C", "mean absolute error of skin (canthus) readings")     \
    X(SKIN_BIAS, "skin_bias_abs_max_c", MAX, "°C", "absolute mean error of skin readings")         \
    X(SKIN_WITHIN_03, "skin_within_0_3_min", MIN, "", "share of skin readings within ±0.3 °C")     \
    X(SKIN_WITHIN_05, "skin_within_0_5_min", MIN, "", "share of skin readings within ±0.5 °C")     \
    X(BODY_MAE, "body_mae_max_c", MAX, "°C", "mean absolute error of body estimates")              \
    X(SENSITIVITY, "sensitivity_min", MIN, "", "febrile measured subjects alarmed / febrile measured") \
    X(SPECIFICITY, "specificity_min", MIN, "", "afebrile measured subjects not alarmed / afebrile measured") \
    X(AUC, "auc_min", MIN, "", "ROC AUC of body readings, febrile against afebrile")               \
    X(AFEBRILE_ALARMS, "afebrile_alarms_max", MAX, "", "alarms raised on afebrile subjects")       \
    X(FALSE_ALARMS, "false_alarms_max", MAX, "", "alarms matched to no subject (e.g. a hot cup)")  \
    X(UNMATCHED, "unmatched_max", MAX, "", "measurements matched to no subject (false detections)") \
    X(THROUGHPUT, "throughput_min_per_min", MIN, "/min", "screened subjects (measured, scored) per minute")           \
    X(DUT_FAULTS, "dut_faults_max", MAX, "", "DUT timeouts, crashes and protocol violations")   \
    X(AUDIT_CLEAN, "audit_clean", MIN, "", "1 when the link audit found nothing undeclared or unasked") \
    X(EGRESS_ATTEMPTS, "egress_attempts_max", MAX, "", "network attempts the sandbox recorded (sockets, connects, sends)") \
    X(SANDBOX_VIOLATIONS, "sandbox_violations_max", MAX, "", "attempts the sandbox recorded and denied (network included)") \
    X(BB_DETECTION, "bb_detection_min", MIN, "", "share of blackbody failures the DUT reported LOST") \
    X(BB_LATENCY, "bb_latency_max_s", MAX, "s", "slowest BLACKBODY_LOST after a failure began")  \
    X(BB_RECOVERY, "bb_recovery_max_s", MAX, "s", "slowest BLACKBODY_OK after the reference was usable again") \
    X(BB_FALSE_LOST, "bb_false_lost_max", MAX, "", "BLACKBODY_LOST reports while the reference was fine") \
    X(BB_FALSE_OK, "bb_false_ok_max", MAX, "", "BLACKBODY_OK reports while the reference was still unusable")

typedef enum fb_criterion_id {
#define FB_CRIT_ENUM(e, key, kind, unit, what) FB_CRIT_##e,
    FB_CRITERIA_LIST(FB_CRIT_ENUM)
#undef FB_CRIT_ENUM
    FB_CRIT_COUNT
} fb_criterion_id;

typedef struct fb_criterion_desc {
    const char *key;  /* JSON key in "criteria" */
    int is_min;       /* 1: actual >= limit passes; 0: actual <= limit passes */
    const char *unit;
    const char *what;
} fb_criterion_desc;

/* Descriptor of criterion id (id < FB_CRIT_COUNT). */
const fb_criterion_desc *fb_criterion_get(fb_criterion_id id);
/* Looks a JSON key up; returns FB_CRIT_COUNT when unknown. */
fb_criterion_id fb_criterion_find(const char *key);

#endif
