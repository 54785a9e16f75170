/* evaluate.h — `feverbench evaluate`: a standard battery run against several DUTs and cameras,
 * side by side.
 *
 * A candidate is a (DUT, camera) pair: a DUT spec on each scenario's own camera, or on a camera
 * profile named with --camera. Every (candidate, test) pair is one `feverbench run SCENARIO --out
 * DIR --dut SPEC [--camera C] --quiet` child process; the parent reads each DIR/results.json, checks it against published limits
 * (docs/evaluation.md, docs/sources.md) and writes report.json, junit.xml and report.html.
 */
#ifndef FB_EVALUATE_H
#define FB_EVALUATE_H

#include <stddef.h>
#include <stdint.h>
#include "eval_security.h"
#include "score/interval.h"
#include "scenario/scenario.h"

/* Numbers read from one run's results.json or computed from its subjects (NAN: undefined). */
typedef enum fb_eval_metric {
    FB_EM_DETECTION,     /* share of screenable people measured */
    FB_EM_LATENCY_P95,   /* s */
    FB_EM_SKIN_MAE,      /* °C */
    FB_EM_SKIN_BIAS,     /* °C */
    FB_EM_SKIN_MAXERR,   /* °C: largest |reported - true| over measured subjects */
    FB_EM_SENSITIVITY,
    FB_EM_SPECIFICITY,
    FB_EM_FALSE_ALARMS,  /* alarms matched to nobody */
    FB_EM_PAIR_ERR,      /* °C: largest error of a measured pair difference (MRTD pairs) */
    FB_EM_BB_DETECTION,  /* share of blackbody failures (>= 2 s) reported LOST (docs/scoring.md) */
    FB_EM_BB_FALSE_OK,   /* BLACKBODY_OK claims while the reference was still unusable */
    FB_EM_UNMATCHED,     /* measurements matched to nobody (false detections) */
    FB_EM_AUC,           /* ROC AUC of body readings, febrile against afebrile */
    FB_EM_BB_RECOVERY,   /* s: slowest BLACKBODY_OK after recovery; NAN when one was censored */
    FB_EM_SANDBOX,       /* attempts the sandbox denied (NAN: a run not sandboxed, nothing denied) */
    FB_EM_COUNT
} fb_eval_metric;

typedef struct fb_eval_check_def {
    const char *id;
    const char *label;   /* what a buyer reads */
    fb_eval_metric metric;
    int at_least;        /* 1: actual >= limit; 0: actual <= limit */
    double limit;
    const char *source;  /* where the limit comes from (docs/sources.md) */
} fb_eval_check_def;

typedef struct fb_eval_test_def {
    const char *id;       /* "lab-accuracy", "field-entrance" */
    const char *scenario; /* shipped scenario name or path */
    const char *group;    /* "lab" or "field" */
    const char *title;
    const char *what;     /* one sentence for a buyer */
    unsigned checks;      /* bit i: fb_eval_check_def i applies */
    double quick_s;       /* --scale quick: at most this many simulated seconds (0: whole) */
} fb_eval_test_def;

typedef struct fb_eval_subject {
    char id[32];
    int screenable, measured, febrile, alarm;
    int scored;           /* counts for detection: missed, or measured after >= 3 screenable frames */
    uint64_t seed;        /* the seed of the run it comes from */
    double latency_s, measured_at_s, skin_true_c, skin_reported_c, core_c, body_reported_c;
} fb_eval_subject;

enum { FB_EVAL_NA = -1, FB_EVAL_FAIL = 0, FB_EVAL_PASS = 1 };

/* A check's sample and 95 % interval (docs/evaluation.md: Confidence; eval_confidence.c). */
typedef struct fb_eval_conf {
    size_t k, n;               /* a share: k of n; a mean: n values (k unused); n 0: no sample */
    int share;                 /* 1: Wilson interval of k/n; 0: bootstrap of a mean, or none */
    fb_interval ci;            /* NAN: no interval (counts, maxima, percentiles, AUC) */
    fb_confidence confidence;  /* FB_CONF_INCONCLUSIVE: the limit lies inside ci */
    uint64_t n_to_settle;      /* inconclusive: the sample that would settle it (0: none) */
} fb_eval_conf;

/* Who was in a run, as counted for detection (docs/scoring.md: Status). */
typedef struct fb_eval_people {
    size_t subjects, scored, measured, missed, missed_febrile, missed_afebrile, not_screenable,
        measured_unscored;
} fb_eval_people;

typedef struct fb_eval_run {
    int exit_status;      /* of the child run */
    int complete;         /* results.json says the run completed */
    size_t faults;
    int scenario_pass;    /* the scenario's own criteria */
    double m[FB_EM_COUNT];
    int check[32];        /* FB_EVAL_PASS / FAIL / NA per check definition */
    fb_eval_conf conf[32]; /* per check: its sample and interval */
    fb_eval_people people;
    double bb_required, bb_detected; /* blackbody failures >= 2 s and those reported (NAN: none) */
    uint64_t *seeds;      /* --seeds N: the seeds pooled into this run (n_seeds of them), owned */
    size_t n_seeds;
    int pass;             /* the test's verdict */
    fb_eval_subject *subj;
    size_t n_subj;
    char scenario_hash[24];
    uint64_t seed;
    double duration_s;
    char camera[64];      /* the camera the run used (results.json "camera") */
    int width, height;    /* its frame size in pixels (0: not recorded) */
    double fps;
    double fever_threshold_c; /* truth: febrile from this core temperature (NAN: not stated) */
    double alarm_threshold_c; /* the device's alarm setting in the run (NAN: not stated) */
    double elapsed_s;     /* wall seconds the run took (NAN: not known); junit.xml only */
    fb_eval_sec sec;      /* what its sandbox recorded (eval_security.c) */
} fb_eval_run;

/* Pooled over a candidate's runs. */
typedef struct fb_eval_pooled {
    size_t n_skin;
    double skin_bias, skin_sd, skin_mae, skin_loa_lo, skin_loa_hi;
    size_t n_latency;
    double latency_median_s, latency_p95_s;
    double sensitivity, specificity, auc; /* field tests */
    size_t false_alarms;
    /* the field tests' fever definition (truth) and device alarm setting; NAN when they differ */
    double fever_threshold_c, alarm_threshold_c;
    /* 95 % intervals (eval_confidence.c): bootstrap for skin MAE and bias, Wilson for the shares */
    fb_interval skin_mae_ci, skin_bias_ci, sensitivity_ci, specificity_ci;
    size_t sens_k, sens_n, spec_k, spec_n;
    /* order-statistic intervals of the latency quantiles (hi +INFINITY: unbounded), Newcombe's
     * of the AUC over auc_n_pos febrile and auc_n_neg afebrile measured people (field tests) */
    fb_interval latency_median_ci, latency_p95_ci, auc_ci;
    size_t auc_n_pos, auc_n_neg;
} fb_eval_pooled;

typedef struct fb_eval_candidate {
    const char *spec;     /* --dut SPEC (without NAME=) */
    const char *name;     /* --dut NAME=SPEC: NAME; NULL without */
    const char *camera_arg; /* --camera C, or NULL: each scenario's own camera */
    char camera[64];      /* the profile's name; without --camera, the one the runs used
                           * ("each scenario's own" when they differ) */
    int width, height;    /* the camera's frame size (0: the runs differ or did not say) */
    double fps;           /* its frame rate (0: as width) */
    char label[192];      /* SPEC, or SPEC@CAMERA with --camera: what the report calls it */
    char slug[160];       /* folder name: the label made file-safe */
    char fw_name[128];    /* what the firmware calls itself */
    fb_eval_run *runs;    /* one per test */
    size_t tests_passed, lab_passed, field_passed, lab_total, field_total;
    size_t checks_passed, checks_total;
    fb_eval_pooled pooled;
    int rank;             /* 1 = best */
    int indistinct;       /* 1: not statistically distinguishable from the candidate ranked just
                           * above it (eval_confidence.c: fb_eval_mark_indistinct) */
    char why_distinct[160]; /* otherwise, what tells them apart ("" for the first) */
    fb_eval_security security; /* its runs' sandbox audits, pooled (eval_security.c) */
} fb_eval_candidate;

typedef struct fb_eval {
    const fb_eval_test_def *tests;
    size_t n_tests;
    const fb_eval_check_def *checks;
    size_t n_checks;
    fb_eval_candidate *cands;
    size_t n_cands;
    size_t *order;        /* candidates by rank */
    const char *scale;
    int seed_set;
    uint64_t seed;
    const char *version;
    unsigned n_seeds;     /* --seeds N: each test run on N seeds and pooled (1: one seed) */
    fb_camera_profile cameras[16]; /* the cameras the candidates used (the specification table) */
    size_t n_cameras;
} fb_eval;

/* The command: `feverbench evaluate ARGS` (argv without "evaluate"). argv0 finds the binary
 * to fork/exec when /proc/self/exe is missing. Returns an FB_EXIT_* status. */
int fb_evaluate_cmd(int argc, char **argv, const char *argv0);

/* report.html: self-contained (inline CSS and SVG), no script, no network. */
int fb_eval_write_html(const fb_eval *ev, const char *path);

/* Confidence (eval_confidence.c, docs/evaluation.md: Confidence). */
/* Counts r's people from its subjects. */
void fb_eval_count_people(fb_eval_run *r);
/* Fills r->conf[c] for every check c that applies (bit c of checks), from r's subjects and the
 * verdicts in r->check. */
void fb_eval_confidence(fb_eval_run *r, const fb_eval_check_def *defs, size_t n_defs, unsigned checks);
/* Pools n runs of one test on different seeds into out: subjects concatenated, counts summed,
 * metrics recomputed from the pooled subjects (docs/evaluation.md: Several seeds). out takes
 * the subjects; the runs keep theirs. Returns 0, or -1 when out of memory. */
int fb_eval_merge_runs(fb_eval_run *out, const fb_eval_run *runs, size_t n, int mrtd);
/* Adds the pooled intervals to c->pooled (after the pooled values are set). */
void fb_eval_pool_confidence(const fb_eval *ev, fb_eval_candidate *c);
/* After ranking: marks each candidate that cannot be told apart from the one ranked above. */
void fb_eval_mark_indistinct(fb_eval *ev);

/* Run folders (eval_folders.c). The folder name an announced DUT name gives: letters, digits,
 * '-', '.', '_' kept, anything else one '_', no leading '.', '-' or '_', at most 63 characters
 * ("" when nothing is left). */
void fb_eval_folder_name(const char *announced, char *out, size_t len);
/* After the runs: renames runs/SLUG of each candidate without --dut NAME= to the name its DUT
 * announced (fw_name), de-duplicated with -2, -3, …, and leaves runs/SLUG as a symbolic link to
 * it so that the same command run again resumes; updates slug. A rename that fails keeps the old
 * folder, with a note on stderr. */
void fb_eval_name_folders(fb_eval *ev, const char *out);

/* people.csv: one row per person per test per candidate (eval_tables.c). 0 or -1. */
int fb_eval_write_csv(const fb_eval *ev, const char *path);
/* Fills ev->cameras from the candidates' cameras (after ranking). */
void fb_eval_collect_cameras(fb_eval *ev);

/* Small formatting helpers shared by the writers. */
double fb_eval_round(double v, double step);

#endif
