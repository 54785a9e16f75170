/* eval_security.h — the security part of `feverbench evaluate`: what each run's sandbox recorded
 * (results.json audit.sandbox), pooled per candidate into a verdict and findings a buyer reads
 * (report.json "security", report.html's security column and section; docs/evaluation.md). */
#ifndef FB_EVAL_SECURITY_H
#define FB_EVAL_SECURITY_H

#include <stddef.h>
#include <stdint.h>

#define FB_EVAL_SEC_ATTEMPTS 32 /* attempts kept per run (results.json lists up to 32) */
#define FB_EVAL_SEC_FILES    16 /* scratch files kept per run */
#define FB_EVAL_SEC_FINDINGS 16 /* distinct findings kept per candidate */
#define FB_EVAL_SEC_LISTED   8  /* scratch files kept per candidate */

typedef struct fb_eval_sec_attempt {
    uint32_t frame;
    double t_s;     /* seconds since the DUT started */
    int egress;     /* a network attempt */
    uint64_t seed;  /* the run's seed */
    char what[168]; /* "connect to 203.0.113.9:443, denied" */
} fb_eval_sec_attempt;

typedef struct fb_eval_sec_file {
    char test[32];  /* the test it was left in (candidate level; "" per run) */
    char path[128]; /* as the DUT saw it: "/tmp/f5.raw" */
    uint64_t size_b;
} fb_eval_sec_file;

/* One test's runs (one per seed), from results.json audit.sandbox. Plain data: copied by value. */
typedef struct fb_eval_sec {
    size_t runs;          /* runs read (seeds) */
    size_t runs_on;       /* of those, sandboxed: mode "on" */
    size_t runs_off;      /* --sandbox off */
    size_t runs_none;     /* mode "none" on a link to a device (serial) */
    size_t runs_absent;   /* a firmware built into the bench (transport inproc), or no audit */
    char missing[160];    /* layers missing in a sandboxed run ("" none) */
    uint64_t egress, violations, scratch_files, scratch_bytes;
    fb_eval_sec_attempt attempts[FB_EVAL_SEC_ATTEMPTS];
    size_t n_attempts;
    fb_eval_sec_file files[FB_EVAL_SEC_FILES];
    size_t n_files;
} fb_eval_sec;

/* A distinct thing a candidate tried (same kind and words), over its tests. */
typedef struct fb_eval_sec_finding {
    const char *kind;     /* "network", "read", "write", "execute", "process", "other" */
    char what[168];
    size_t count;         /* times among the attempts listed */
    size_t tests;         /* tests it was seen in */
    char first_test[32];  /* where it was first seen: test, seed, frame, time */
    uint64_t first_seed;
    uint32_t first_frame;
    double first_t_s;
    size_t last_test_i;   /* (bookkeeping: the last test counted) */
} fb_eval_sec_finding;

/* Pooled over a candidate's tests. */
typedef struct fb_eval_security {
    const char *verdict;  /* "clean", "flagged" or "unchecked" (docs/evaluation.md: Security) */
    char why[160];        /* unchecked: why the bench cannot vouch; flagged: a one-line summary */
    const char *sandbox;  /* "on", "off", "none", "in-process" or "mixed" */
    char missing[160];    /* layers missing in some sandboxed run ("" none) */
    size_t tests, tests_sandboxed, tests_flagged, tests_with_files;
    uint64_t egress, violations, scratch_files, scratch_bytes;
    size_t attempts_listed; /* attempts the runs listed (the counters count them all) */
    fb_eval_sec_finding findings[FB_EVAL_SEC_FINDINGS];
    size_t n_findings, more_findings;
    fb_eval_sec_file files[FB_EVAL_SEC_LISTED];
    size_t n_files;
} fb_eval_security;

struct cJSON;
/* Reads doc's audit.sandbox (a run's results.json) into s, for the run on seed. */
void fb_eval_sec_read(const struct cJSON *doc, uint64_t seed, fb_eval_sec *s);
/* Adds a seed's run to a test's pooled runs (out zeroed first). */
void fb_eval_sec_merge(fb_eval_sec *out, const fb_eval_sec *r);
/* Pools a candidate's tests: *runs[t] is test t, test_ids[t] its id. */
void fb_eval_sec_pool(fb_eval_security *out, const fb_eval_sec *const *runs, const char *const *test_ids,
                      size_t n_tests);
/* What the check "contained" compares: the attempts denied in a test's runs; NAN (not applicable)
 * when nothing was denied and not every run was sandboxed. */
double fb_eval_sec_denied(const fb_eval_sec *s);
/* report.json: the candidate's "security" object, and a result's. */
void fb_eval_sec_json(struct cJSON *candidate, const fb_eval_security *s);
void fb_eval_sec_json_run(struct cJSON *result, const fb_eval_sec *s);
/* The kind of an attempt, from its words ("network" when egress). */
const char *fb_eval_sec_kind(const char *what, int egress);

#endif
