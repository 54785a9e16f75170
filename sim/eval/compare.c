/* compare.c — `feverbench compare BASE NEW`: metric by metric with tolerances, a verdict and JUnit
 * (docs/compare.md). Reads results.json (a run) or report.json (an evaluation), never runs anything. */
#include "compare.h"
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "run/run.h"

/* What the two files are compared on. name: the key in report.json's results[].metrics (or the
 * result object) and on the command line; results: its path in results.json (NULL: report only).
 * better: +1 higher is better, -1 lower is better, 0 nearer zero is better. tol: the default
 * tolerance (docs/compare.md says why each). */
typedef struct cmp_metric {
    const char *name;
    const char *results;
    int in_report;
    int better;
    double tol;
    const char *results_ci; /* its 95 % interval in results.json (NULL: none) */
    const char *checks;     /* report.json: the checks whose confidence.ci95 is its interval */
} cmp_metric;

static const cmp_metric metrics[] = {
    {"detection_rate", "detection.detection_rate", 1, +1, 0.01, "detection.detection_rate_ci95",
     "detection"},
    {"latency_p95_s", "detection.latency_p95_s", 1, -1, 0.04, "detection.latency_p95_ci95_s",
     "latency"},
    {"skin_mae_c", "accuracy.skin.mae_c", 1, -1, 0.02, "accuracy.skin.mae_ci95_c",
     "accuracy,accuracy-0.5"},
    {"skin_bias_c", "accuracy.skin.bias_c", 1, 0, 0.02, "accuracy.skin.bias_ci95_c", NULL},
    {"skin_max_abs_error_c", NULL, 1, -1, 0.02, NULL, NULL},
    {"body_mae_c", "accuracy.body.mae_c", 0, -1, 0.02, "accuracy.body.mae_ci95_c", NULL},
    {"sensitivity", "classification.sensitivity", 1, +1, 0.01, "classification.sensitivity_ci95",
     "sensitivity"},
    {"specificity", "classification.specificity", 1, +1, 0.01, "classification.specificity_ci95",
     "specificity"},
    {"auc", "classification.auc", 1, +1, 0.01, "classification.auc_ci95", "ranking-auc"},
    {"false_alarms", "classification.false_alarms", 1, -1, 0, NULL, NULL},
    {"unmatched_measurements", "events.unmatched_measurements", 1, -1, 0, NULL, NULL},
    {"pair_diff_max_error_c", NULL, 1, -1, 0.02, NULL, NULL},
    {"bb_detection_rate", "blackbody.detection_rate", 1, +1, 0.01, NULL, NULL},
    {"bb_false_ok", "blackbody.false_ok", 1, -1, 0, NULL, NULL},
    {"bb_recovery_max_s", "blackbody.recovery_max_s", 1, -1, 1.0, NULL, NULL},
    {"throughput_per_min", "throughput_per_min", 0, +1, 0.5, NULL, NULL},
    {"dut_faults", "faults.count", 1, -1, 0, NULL, NULL},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

/* NOISE: beyond the tolerance, but the difference's 95 % interval holds 0 (docs/compare.md) */
enum { SAME, BETTER, WORSE, INFO, NOISE };
static const char *const outcome_name[] = {"same", "better", "worse", "note", "noise"};

typedef struct item {
    char suite[160]; /* the scenario (results) or the candidate (report) */
    char name[192];  /* "skin_mae_c", "lab-accuracy: verdict" */
    char what[512];  /* "0.054 -> 0.12 (+0.066; tolerance 0.02, lower is better)" */
    int outcome;
} item;

typedef struct cmp {
    double tol[N_METRICS];
    int intervals; /* 1: a change beyond the tolerance must also be beyond noise */
    item *items;
    size_t n, cap;
    int oom;
} cmp;

static const char usage_compare[] =
    "usage: feverbench compare BASE NEW [--tol METRIC=V]... [--tolerances FILE] [--exact]\n"
    "                          [--no-intervals] [--junit FILE] [--all] [--quiet]\n"
    "\n"
    "Compares two runs (results.json, or a run's --out folder) or two evaluations (report.json,\n"
    "or an evaluate --out folder) metric by metric: a change larger than the metric's tolerance\n"
    "in the good direction is better, in the bad one worse, unless both files give the metric a\n"
    "95 % interval and the difference's interval holds 0 (noise); a verdict or criterion that\n"
    "went from pass to fail is worse. Prints what changed and the verdict (docs/compare.md).\n"
    "\n"
    "  --tol METRIC=V     tolerance of one metric (repeat), in its unit; see --list-metrics\n"
    "  --tolerances FILE  a JSON object {\"METRIC\": V, ...} of tolerances (before --tol)\n"
    "  --exact            every tolerance 0 and no noise rule: any change counts\n"
    "  --no-intervals     judge on the tolerances alone, not on the 95 % intervals too\n"
    "  --junit FILE       also write JUnit XML: one testcase per comparison, failed when worse\n"
    "  --all              print unchanged comparisons too\n"
    "  --quiet            print the verdict line only\n"
    "  --list-metrics     the metrics, their direction and default tolerance\n"
    "\n"
    "exit status: 0 same or better, 1 worse, 2 bad usage or unreadable input\n";

/* ---- reading ---- */
static char *slurp(const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f) || n + 1 < cap)
            break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, err_len, "%s: cannot read", path);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

/* BASE or NEW: a file, or a folder holding report.json (an evaluation) or results.json (a run).
 * Returns the parsed document and sets *is_report, or NULL with a message. */
static cJSON *load_side(const char *arg, int *is_report, char *path, size_t path_len, char *err,
                        size_t err_len)
{
    struct stat st;
    snprintf(path, path_len, "%s", arg);
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(path, path_len, "%s/report.json", arg);
        if (stat(path, &st) != 0)
            snprintf(path, path_len, "%s/results.json", arg);
        if (stat(path, &st) != 0) {
            snprintf(err, err_len, "%s: a folder without report.json or results.json", arg);
            return NULL;
        }
    }
    char *text = slurp(path, err, err_len);
    if (!text)
        return NULL;
    cJSON *doc = cJSON_Parse(text);
    if (!doc) {
        const char *at = cJSON_GetErrorPtr();
        size_t off = at && at >= text ? (size_t)(at - text) : 0;
        size_t line = 1;
        for (size_t i = 0; i < off && text[i]; i++)
            line += text[i] == '\n';
        snprintf(err, err_len, "%s:%zu: not valid JSON", path, line);
        free(text);
        return NULL;
    }
    free(text);
    if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "candidates")))
        *is_report = 1;
    else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "detection")))
        *is_report = 0;
    else {
        snprintf(err, err_len, "%s: neither a results.json (run) nor a report.json (evaluate)", path);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* The item at a dotted path ("accuracy.skin.mae_c"), or NULL. */
static const cJSON *at_path(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        o = cJSON_GetObjectItemCaseSensitive(o, key);
        path += n + (path[n] == '.');
    }
    return o;
}

static const char *str_of(const cJSON *o, const char *k, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : dflt;
}

/* ---- comparing ---- */
static item *add(cmp *c, const char *suite, const char *name, int outcome)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        item *ni = realloc(c->items, cap * sizeof *ni);
        if (!ni) {
            c->oom = 1;
            return NULL;
        }
        c->items = ni;
        c->cap = cap;
    }
    item *it = &c->items[c->n++];
    snprintf(it->suite, sizeof it->suite, "%s", suite);
    snprintf(it->name, sizeof it->name, "%s", name);
    it->what[0] = 0;
    it->outcome = outcome;
    return it;
}

static void fmt(char *buf, size_t len, const cJSON *v)
{
    if (cJSON_IsNumber(v))
        snprintf(buf, len, "%.6g", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsString(v))
        snprintf(buf, len, "%s", v->valuestring);
    else
        snprintf(buf, len, "%s", v ? "null" : "absent");
}

/* A 95 % interval read from a [lo, hi] array (hi null: unbounded above); 0 when absent or bad. */
static int read_ci(const cJSON *a, double *lo, double *hi)
{
    const cJSON *l = cJSON_GetArrayItem(a, 0), *h = cJSON_GetArrayItem(a, 1);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2 || !cJSON_IsNumber(l) ||
        !(cJSON_IsNumber(h) || cJSON_IsNull(h)))
        return 0;
    *lo = l->valuedouble;
    *hi = cJSON_IsNumber(h) ? h->valuedouble : INFINITY;
    return *lo <= *hi;
}

/* The 95 % interval of NEW − BASE from each side's value and interval, by the MOVER method
 * (Zou & Donner 2008; Newcombe 1998 for proportions): L = d − √((n − ln)² + (ub − b)²),
 * U = d + √((un − n)² + (b − lb)²). Returns 0 when either interval is missing. */
static int diff_ci(double b, const cJSON *bci, double n, const cJSON *nci, double *lo, double *hi)
{
    double lb, ub, ln, un;
    if (!read_ci(bci, &lb, &ub) || !read_ci(nci, &ln, &un))
        return 0;
    double d = n - b;
    *lo = d - sqrt((n - ln) * (n - ln) + (ub - b) * (ub - b));
    *hi = d + sqrt((un - n) * (un - n) + (b - lb) * (b - lb));
    return 1;
}

/* One metric: base b and new n (NULL or null: undefined), with their 95 % intervals (NULL: none). */
static void cmp_metric_values(cmp *c, const char *suite, const char *prefix, size_t mi,
                              const cJSON *b, const cJSON *n, const cJSON *bci, const cJSON *nci)
{
    const cmp_metric *m = &metrics[mi];
    double tol = c->tol[mi];
    char name[192], bs[40], ns[40];
    snprintf(name, sizeof name, "%s%s", prefix, m->name);
    fmt(bs, sizeof bs, b);
    fmt(ns, sizeof ns, n);
    int bn = cJSON_IsNumber(b), nn = cJSON_IsNumber(n);
    if (!bn && !nn) {
        item *it = add(c, suite, name, SAME);
        if (it)
            snprintf(it->what, sizeof it->what, "%s -> %s", bs, ns);
        return;
    }
    if (!bn || !nn) {
        /* a number that is no longer defined (nothing measured) is worse; a new one is news */
        item *it = add(c, suite, name, bn ? WORSE : INFO);
        if (it)
            snprintf(it->what, sizeof it->what, "%s -> %s (%s)", bs, ns,
                     bn ? "no longer defined" : "now defined");
        return;
    }
    double bv = b->valuedouble, nv = n->valuedouble;
    double good = m->better > 0 ? nv - bv : m->better < 0 ? bv - nv : fabs(bv) - fabs(nv);
    int out = good > tol + 1e-9 ? BETTER : good < -(tol + 1e-9) ? WORSE : SAME;
    char noise[160] = "";
    double dlo, dhi;
    if (out != SAME && c->intervals && m->results_ci && diff_ci(bv, bci, nv, nci, &dlo, &dhi)) {
        char hs[32];
        if (isinf(dhi))
            snprintf(hs, sizeof hs, "unbounded");
        else
            snprintf(hs, sizeof hs, "%+.4g", dhi);
        int holds0 = dlo <= 0 && 0 <= dhi;
        snprintf(noise, sizeof noise, "; difference 95 %% CI %+.4g..%s%s", dlo, hs,
                 holds0 ? ", holds 0: within noise" : "");
        if (holds0)
            out = NOISE;
    }
    item *it = add(c, suite, name, out);
    if (it)
        snprintf(it->what, sizeof it->what, "%s -> %s (%+.6g; tolerance %g, %s is better%s)", bs, ns,
                 nv - bv, tol, m->better > 0 ? "higher" : m->better < 0 ? "lower" : "nearer 0", noise);
}

/* A verdict: "pass"/true against "fail"/false; anything else (n/a) changing is a note. */
static int is_pass(const cJSON *v)
{
    return cJSON_IsTrue(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "pass") == 0);
}
static int is_fail(const cJSON *v)
{
    return cJSON_IsFalse(v) || (cJSON_IsString(v) && strcmp(v->valuestring, "fail") == 0);
}

static void cmp_verdict(cmp *c, const char *suite, const char *name, const cJSON *b, const cJSON *n)
{
    char bs[40], ns[40];
    fmt(bs, sizeof bs, b);
    fmt(ns, sizeof ns, n);
    int out = is_pass(b) && is_fail(n)   ? WORSE
              : is_fail(b) && is_pass(n) ? BETTER
              : !b && n                  ? INFO
              : b && !n                  ? WORSE /* a check made before is no longer made */
              : strcmp(bs, ns) != 0      ? INFO
                                         : SAME;
    item *it = add(c, suite, name, out);
    if (it)
        snprintf(it->what, sizeof it->what, "%s -> %s", bs, ns);
}

/* Identity: different scenarios, seeds or versions are said, not judged. */
static void note_identity(cmp *c, const char *suite, const char *what, const cJSON *b, const cJSON *n)
{
    char bs[64], ns[64];
    fmt(bs, sizeof bs, b);
    fmt(ns, sizeof ns, n);
    if (strcmp(bs, ns) == 0)
        return;
    item *it = add(c, suite, what, INFO);
    if (it)
        snprintf(it->what, sizeof it->what, "%s -> %s", bs, ns);
}

static void compare_results(cmp *c, const cJSON *b, const cJSON *n)
{
    const char *suite = str_of(at_path(b, "scenario"), "name", "run");
    note_identity(c, suite, "scenario hash", at_path(b, "scenario.hash"), at_path(n, "scenario.hash"));
    note_identity(c, suite, "seed", at_path(b, "seed"), at_path(n, "seed"));
    note_identity(c, suite, "camera", at_path(b, "camera"), at_path(n, "camera"));
    note_identity(c, suite, "dut", at_path(b, "dut"), at_path(n, "dut"));
    note_identity(c, suite, "feverbench", at_path(b, "feverbench"), at_path(n, "feverbench"));
    cmp_verdict(c, suite, "pass", at_path(b, "pass"), at_path(n, "pass"));
    cmp_verdict(c, suite, "complete", at_path(b, "complete"), at_path(n, "complete"));
    for (size_t i = 0; i < N_METRICS; i++)
        if (metrics[i].results)
            cmp_metric_values(c, suite, "", i, at_path(b, metrics[i].results),
                              at_path(n, metrics[i].results),
                              metrics[i].results_ci ? at_path(b, metrics[i].results_ci) : NULL,
                              metrics[i].results_ci ? at_path(n, metrics[i].results_ci) : NULL);
    /* the scenario's criteria, by key */
    const cJSON *bc, *nc;
    cJSON_ArrayForEach(bc, at_path(b, "criteria"))
    {
        const char *key = str_of(bc, "key", "?");
        const cJSON *match = NULL;
        cJSON_ArrayForEach(nc, at_path(n, "criteria")) if (strcmp(str_of(nc, "key", ""), key) == 0)
            match = nc;
        char name[160];
        snprintf(name, sizeof name, "criterion %s", key);
        cmp_verdict(c, suite, name, at_path(bc, "pass"), match ? at_path(match, "pass") : NULL);
    }
    cJSON_ArrayForEach(nc, at_path(n, "criteria"))
    {
        const char *key = str_of(nc, "key", "?");
        int found = 0;
        cJSON_ArrayForEach(bc, at_path(b, "criteria")) found |= strcmp(str_of(bc, "key", ""), key) == 0;
        if (!found) {
            char name[160];
            snprintf(name, sizeof name, "criterion %s", key);
            cmp_verdict(c, suite, name, NULL, at_path(nc, "pass"));
        }
    }
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) if (strcmp(str_of(e, key, ""), value) == 0) return e;
    return NULL;
}

/* A report metric's 95 % interval: confidence.CHECK.ci95 of the first of the metric's checks the
 * test makes (the check's interval is of that metric, pooled over seeds); NULL when none. */
static const cJSON *report_ci(const cJSON *r, const cmp_metric *m)
{
    const char *p = m->checks;
    while (p && *p) {
        char id[48];
        size_t len = strcspn(p, ",");
        if (len < sizeof id) {
            memcpy(id, p, len);
            id[len] = 0;
            const cJSON *ci = at_path(cJSON_GetObjectItemCaseSensitive(at_path(r, "confidence"), id), "ci95");
            if (cJSON_IsArray(ci))
                return ci;
        }
        p += len + (p[len] == ',');
    }
    return NULL;
}

/* A report metric: results[].metrics.NAME, or results[].NAME (dut_faults). */
static const cJSON *report_metric(const cJSON *r, const char *name)
{
    const cJSON *m = at_path(r, "metrics");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, name);
    return v ? v : cJSON_GetObjectItemCaseSensitive(r, name);
}

static void compare_reports(cmp *c, const cJSON *b, const cJSON *n)
{
    note_identity(c, "evaluation", "feverbench", at_path(b, "feverbench"), at_path(n, "feverbench"));
    note_identity(c, "evaluation", "scale", at_path(b, "scale"), at_path(n, "scale"));
    note_identity(c, "evaluation", "seed", at_path(b, "seed"), at_path(n, "seed"));
    const cJSON *bc, *br;
    cJSON_ArrayForEach(bc, at_path(b, "candidates"))
    {
        const char *label = str_of(bc, "label", "?");
        const cJSON *nc = find_by(at_path(n, "candidates"), "label", label);
        if (!nc) {
            item *it = add(c, label, "candidate", WORSE);
            if (it)
                snprintf(it->what, sizeof it->what, "in BASE, missing in NEW");
            continue;
        }
        cJSON_ArrayForEach(br, at_path(bc, "results"))
        {
            const char *test = str_of(br, "test", "?");
            const cJSON *nr = find_by(at_path(nc, "results"), "test", test);
            char prefix[96], name[192];
            snprintf(prefix, sizeof prefix, "%s: ", test);
            if (!nr) {
                item *it = add(c, label, test, WORSE);
                if (it)
                    snprintf(it->what, sizeof it->what, "test in BASE, missing in NEW");
                continue;
            }
            note_identity(c, label, "scenario hash", at_path(br, "scenario_hash"), at_path(nr, "scenario_hash"));
            snprintf(name, sizeof name, "%sverdict", prefix);
            cmp_verdict(c, label, name, at_path(br, "verdict"), at_path(nr, "verdict"));
            const cJSON *ck;
            cJSON_ArrayForEach(ck, at_path(br, "checks"))
            {
                snprintf(name, sizeof name, "%scheck %s", prefix, ck->string);
                cmp_verdict(c, label, name, ck, cJSON_GetObjectItemCaseSensitive(at_path(nr, "checks"), ck->string));
            }
            cJSON_ArrayForEach(ck, at_path(nr, "checks"))
            if (!cJSON_GetObjectItemCaseSensitive(at_path(br, "checks"), ck->string)) {
                snprintf(name, sizeof name, "%scheck %s", prefix, ck->string);
                cmp_verdict(c, label, name, NULL, ck);
            }
            for (size_t i = 0; i < N_METRICS; i++)
                if (metrics[i].in_report)
                    cmp_metric_values(c, label, prefix, i, report_metric(br, metrics[i].name),
                                      report_metric(nr, metrics[i].name), report_ci(br, &metrics[i]),
                                      report_ci(nr, &metrics[i]));
        }
        cJSON_ArrayForEach(br, at_path(nc, "results"))
        if (!find_by(at_path(bc, "results"), "test", str_of(br, "test", ""))) {
            item *it = add(c, label, str_of(br, "test", "?"), INFO);
            if (it)
                snprintf(it->what, sizeof it->what, "test new in NEW");
        }
    }
    cJSON_ArrayForEach(bc, at_path(n, "candidates"))
    if (!find_by(at_path(b, "candidates"), "label", str_of(bc, "label", ""))) {
        item *it = add(c, str_of(bc, "label", "?"), "candidate", INFO);
        if (it)
            snprintf(it->what, sizeof it->what, "new in NEW");
    }
}

/* ---- tolerances ---- */
static int metric_index(const char *name, size_t len)
{
    for (size_t i = 0; i < N_METRICS; i++)
        if (strlen(metrics[i].name) == len && strncmp(metrics[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static void unknown_metric(const char *where, const char *name, size_t len)
{
    fprintf(stderr, "feverbench compare: %s: unknown metric \"%.*s\" (expected one of:", where,
            (int)len, name);
    for (size_t i = 0; i < N_METRICS; i++)
        fprintf(stderr, "%s %s", i ? "," : "", metrics[i].name);
    fputs(")\n", stderr);
}

static int parse_tol_value(const char *where, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < 0) {
        fprintf(stderr, "feverbench compare: %s: \"%s\" is not a tolerance (a number >= 0)\n", where, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int tol_arg(cmp *c, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        fprintf(stderr, "feverbench compare: --tol %s: expected METRIC=VALUE\n", arg);
        return -1;
    }
    int i = metric_index(arg, (size_t)(eq - arg));
    if (i < 0) {
        unknown_metric("--tol", arg, (size_t)(eq - arg));
        return -1;
    }
    return parse_tol_value("--tol", eq + 1, &c->tol[i]);
}

static int tol_file(cmp *c, const char *path)
{
    char err[512];
    char *text = slurp(path, err, sizeof err);
    if (!text) {
        fprintf(stderr, "feverbench compare: --tolerances: %s\n", err);
        return -1;
    }
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(doc)) {
        fprintf(stderr, "feverbench compare: %s: expected a JSON object {\"METRIC\": tolerance, ...}\n", path);
        cJSON_Delete(doc);
        return -1;
    }
    int rc = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, doc)
    {
        int i = metric_index(e->string, strlen(e->string));
        char where[600];
        snprintf(where, sizeof where, "%s: \"%s\"", path, e->string);
        if (i < 0) {
            unknown_metric(path, e->string, strlen(e->string));
            rc = -1;
        } else if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || e->valuedouble < 0) {
            fprintf(stderr, "feverbench compare: %s: expected a number >= 0\n", where);
            rc = -1;
        } else {
            c->tol[i] = e->valuedouble;
        }
    }
    cJSON_Delete(doc);
    return rc;
}

/* ---- output ---- */
static void xml(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                fputc(*s, f);
        }
}

static void prop(FILE *f, const char *name, const char *value)
{
    fprintf(f, "    <property name=\"%s\" value=\"", name);
    xml(f, value);
    fputs("\"/>\n", f);
}

static int write_junit(const cmp *c, const char *path, const char *base, const char *new_path,
                       const cJSON *bd, const cJSON *nd)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    size_t worse = 0;
    for (size_t i = 0; i < c->n; i++)
        worse += c->items[i].outcome == WORSE;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"feverbench compare\" tests=\"%zu\" failures=\"%zu\">\n",
            c->n, worse);
    for (size_t i = 0; i < c->n; i++) {
        if (i && strcmp(c->items[i].suite, c->items[i - 1].suite) == 0)
            continue;
        size_t tests = 0, fails = 0;
        for (size_t k = i; k < c->n && strcmp(c->items[k].suite, c->items[i].suite) == 0; k++) {
            tests++;
            fails += c->items[k].outcome == WORSE;
        }
        fputs("  <testsuite name=\"compare.", f);
        xml(f, c->items[i].suite);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
                   "   <properties>\n", tests, fails);
        char bs[64], ns[64];
        prop(f, "base", base);
        prop(f, "new", new_path);
        fmt(bs, sizeof bs, cJSON_GetObjectItemCaseSensitive(bd, "feverbench"));
        fmt(ns, sizeof ns, cJSON_GetObjectItemCaseSensitive(nd, "feverbench"));
        prop(f, "base_version", bs);
        prop(f, "new_version", ns);
        fmt(bs, sizeof bs, cJSON_GetObjectItemCaseSensitive(bd, "seed"));
        fmt(ns, sizeof ns, cJSON_GetObjectItemCaseSensitive(nd, "seed"));
        prop(f, "base_seed", bs);
        prop(f, "new_seed", ns);
        fputs("   </properties>\n", f);
        for (size_t k = i; k < c->n && strcmp(c->items[k].suite, c->items[i].suite) == 0; k++) {
            const item *it = &c->items[k];
            fputs("    <testcase classname=\"compare.", f);
            xml(f, it->suite);
            fputs("\" name=\"", f);
            xml(f, it->name);
            fputs("\" time=\"0\"", f);
            if (it->outcome == NOISE) { /* passes; says why it was not judged worse or better */
                fputs(">\n      <system-out>", f);
                xml(f, it->what);
                fputs("</system-out>\n    </testcase>\n", f);
                continue;
            }
            if (it->outcome != WORSE) {
                fputs("/>\n", f);
                continue;
            }
            fputs(">\n      <failure type=\"worse\" message=\"", f);
            xml(f, it->name);
            fputs(": ", f);
            xml(f, it->what);
            fputs("\"/>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

int fb_compare_cmd(int argc, char **argv)
{
    cmp c = {0};
    c.intervals = 1;
    for (size_t i = 0; i < N_METRICS; i++)
        c.tol[i] = metrics[i].tol;
    const char *side[2] = {NULL, NULL}, *junit = NULL, *tolfile = NULL, *tols[64];
    size_t n_side = 0, n_tols = 0;
    int all = 0, quiet = 0, exact = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "--tol") || !strcmp(a, "--tolerances") || !strcmp(a, "--junit");
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_compare, stdout);
            return FB_EXIT_PASS;
        }
        if (!strcmp(a, "--list-metrics")) {
            printf("%-24s %-10s %-10s %s\n", "metric", "better", "tolerance", "in results.json");
            for (size_t k = 0; k < N_METRICS; k++)
                printf("%-24s %-10s %-10g %s\n", metrics[k].name,
                       metrics[k].better > 0 ? "higher" : metrics[k].better < 0 ? "lower" : "nearer 0",
                       metrics[k].tol, metrics[k].results ? metrics[k].results : "(report.json only)");
            return FB_EXIT_PASS;
        }
        if (takes && !v) {
            fprintf(stderr, "feverbench compare: %s needs a value\n", a);
            return FB_EXIT_USAGE;
        }
        if (!strcmp(a, "--tol")) {
            if (n_tols == sizeof tols / sizeof tols[0]) {
                fprintf(stderr, "feverbench compare: too many --tol\n");
                return FB_EXIT_USAGE;
            }
            tols[n_tols++] = v;
            i++;
        } else if (!strcmp(a, "--tolerances")) {
            tolfile = v;
            i++;
        } else if (!strcmp(a, "--junit")) {
            junit = v;
            i++;
        } else if (!strcmp(a, "--all")) {
            all = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--exact")) {
            exact = 1;
            c.intervals = 0;
        } else if (!strcmp(a, "--no-intervals")) {
            c.intervals = 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench compare: unknown option %s (see `feverbench compare --help`)\n", a);
            return FB_EXIT_USAGE;
        } else if (n_side < 2) {
            side[n_side++] = a;
        } else {
            fprintf(stderr, "feverbench compare: one BASE and one NEW (got a third: \"%s\")\n", a);
            return FB_EXIT_USAGE;
        }
    }
    if (n_side != 2) {
        fputs(usage_compare, stderr);
        return FB_EXIT_USAGE;
    }
    /* tolerances: defaults, --exact, the file, then each --tol */
    if (exact)
        for (size_t i = 0; i < N_METRICS; i++)
            c.tol[i] = 0;
    if (tolfile && tol_file(&c, tolfile))
        return FB_EXIT_USAGE;
    for (size_t i = 0; i < n_tols; i++)
        if (tol_arg(&c, tols[i]))
            return FB_EXIT_USAGE;
    cJSON *doc[2] = {NULL, NULL};
    int is_report[2] = {0, 0};
    char path[2][4200];
    for (int s = 0; s < 2; s++) {
        char err[8800];
        doc[s] = load_side(side[s], &is_report[s], path[s], sizeof path[s], err, sizeof err);
        if (!doc[s]) {
            fprintf(stderr, "feverbench compare: %s: %s\n", s ? "NEW" : "BASE", err);
            cJSON_Delete(doc[0]);
            return FB_EXIT_USAGE;
        }
    }
    int status = FB_EXIT_USAGE;
    if (is_report[0] != is_report[1]) {
        fprintf(stderr, "feverbench compare: BASE is a %s, NEW a %s: compare like with like\n",
                is_report[0] ? "report.json (evaluation)" : "results.json (run)",
                is_report[1] ? "report.json (evaluation)" : "results.json (run)");
        goto out;
    }
    if (is_report[0])
        compare_reports(&c, doc[0], doc[1]);
    else
        compare_results(&c, doc[0], doc[1]);
    if (c.oom) {
        fprintf(stderr, "feverbench compare: out of memory\n");
        goto out;
    }
    size_t count[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < c.n; i++)
        count[c.items[i].outcome]++;
    const char *verdict = count[WORSE] ? "worse" : count[BETTER] ? "better" : "same";
    if (!quiet) {
        printf("compare: %s -> %s (%s)\n", path[0], path[1], is_report[0] ? "evaluations" : "runs");
        for (size_t i = 0; i < c.n; i++) {
            const item *it = &c.items[i];
            if (it->outcome == SAME && !all)
                continue;
            char name[400];
            snprintf(name, sizeof name, "%s%s%s", is_report[0] ? it->suite : "",
                     is_report[0] ? " / " : "", it->name);
            printf("  %-6s  %-36s  %s\n", outcome_name[it->outcome], name, it->what);
        }
    }
    printf("compare: %s (%zu worse, %zu better, %zu same, %zu notes", verdict, count[WORSE],
           count[BETTER], count[SAME], count[INFO]);
    if (count[NOISE])
        printf(", %zu within noise", count[NOISE]);
    puts(")");
    status = count[WORSE] ? FB_EXIT_FAIL : FB_EXIT_PASS;
    if (junit && write_junit(&c, junit, path[0], path[1], doc[0], doc[1])) {
        fprintf(stderr, "feverbench compare: cannot write %s: %s\n", junit, strerror(errno));
        status = FB_EXIT_USAGE;
    }
out:
    cJSON_Delete(doc[0]);
    cJSON_Delete(doc[1]);
    free(c.items);
    return status;
}
