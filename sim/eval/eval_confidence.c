/* eval_confidence.c — evaluate's sample sizes and 95 % intervals per check, pooling of several
 * seeds, and which ranked candidates cannot be told apart (docs/evaluation.md: Confidence). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluate.h"
#include "score/interval.h"

void fb_eval_count_people(fb_eval_run *r)
{
    fb_eval_people *p = &r->people;
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < r->n_subj; i++) {
        const fb_eval_subject *s = &r->subj[i];
        p->subjects++;
        if (s->scored) {
            p->scored++;
            if (s->measured) {
                p->measured++;
            } else {
                p->missed++;
                s->febrile ? p->missed_febrile++ : p->missed_afebrile++;
            }
        } else if (s->measured) {
            p->measured_unscored++;
        } else {
            p->not_screenable++;
        }
    }
}

static int skin_ok(const fb_eval_subject *s)
{
    return s->measured && isfinite(s->skin_reported_c) && isfinite(s->skin_true_c);
}

/* Skin errors of the measured subjects into a new array (*n of them); NULL when none or no memory. */
static double *skin_errors(const fb_eval_run *r, size_t *n)
{
    *n = 0;
    double *e = malloc((r->n_subj ? r->n_subj : 1) * sizeof *e);
    if (!e)
        return NULL;
    for (size_t i = 0; i < r->n_subj; i++)
        if (skin_ok(&r->subj[i]))
            e[(*n)++] = r->subj[i].skin_reported_c - r->subj[i].skin_true_c;
    return e;
}

/* The alarm table over measured scored subjects: febrile alarmed (tp) and not (fn), afebrile not
 * alarmed (tn) and alarmed (fp). */
static void alarm_table(const fb_eval_run *r, size_t *tp, size_t *fn, size_t *tn, size_t *fp)
{
    *tp = *fn = *tn = *fp = 0;
    for (size_t i = 0; i < r->n_subj; i++) {
        const fb_eval_subject *s = &r->subj[i];
        if (!s->scored || !s->measured)
            continue;
        if (s->febrile)
            s->alarm ? (*tp)++ : (*fn)++;
        else
            s->alarm ? (*fp)++ : (*tn)++;
    }
}

/* The latencies of r's scored, measured subjects, sorted (*n of them); NULL when no memory. */
static double *sorted_latencies(const fb_eval_run *r, size_t *n);

/* Febrile and afebrile measured subjects with a body reading: the AUC's two groups. */
static void auc_groups(const fb_eval_run *r, size_t *pos, size_t *neg)
{
    *pos = *neg = 0;
    for (size_t i = 0; i < r->n_subj; i++)
        if (r->subj[i].measured && isfinite(r->subj[i].body_reported_c))
            r->subj[i].febrile ? (*pos)++ : (*neg)++;
}

/* A check on a value with interval ci over n: its confidence and the n that would settle it
 * (an unbounded p95 needs at least the values that give it an upper end). */
static void value_conf(fb_eval_conf *c, double value, fb_interval ci, size_t n, double limit)
{
    c->n = n;
    c->ci = ci;
    c->confidence = fb_interval_judge(ci, limit);
    if (c->confidence != FB_CONF_INCONCLUSIVE)
        return;
    c->n_to_settle = isinf(ci.hi) ? fb_quantile_n_bounded(0.95) : fb_mean_n_to_settle(value, ci, n, limit);
}

static void share_conf(fb_eval_conf *c, size_t k, size_t n, double limit)
{
    c->share = 1;
    c->k = k;
    c->n = n;
    c->ci = fb_wilson95((double)k, (double)n);
    c->confidence = fb_interval_judge(c->ci, limit);
    if (c->confidence == FB_CONF_INCONCLUSIVE)
        c->n_to_settle = fb_wilson_n_to_settle((double)k / (double)n, (double)n, limit);
}

void fb_eval_confidence(fb_eval_run *r, const fb_eval_check_def *defs, size_t n_defs, unsigned checks)
{
    size_t tp, fn, tn, fp, ne = 0;
    alarm_table(r, &tp, &fn, &tn, &fp);
    double *err = NULL;
    for (size_t c = 0; c < n_defs && c < 32; c++) {
        fb_eval_conf *cf = &r->conf[c];
        memset(cf, 0, sizeof *cf);
        cf->ci.lo = cf->ci.hi = NAN;
        if (!(checks & (1u << c)) || r->check[c] == FB_EVAL_NA)
            continue;
        const fb_eval_check_def *d = &defs[c];
        switch (d->metric) {
        case FB_EM_DETECTION: share_conf(cf, r->people.measured, r->people.scored, d->limit); break;
        case FB_EM_SENSITIVITY: share_conf(cf, tp, tp + fn, d->limit); break;
        case FB_EM_SPECIFICITY: share_conf(cf, tn, tn + fp, d->limit); break;
        case FB_EM_SKIN_MAE: {
            if (!err)
                err = skin_errors(r, &ne);
            double mae = r->m[FB_EM_SKIN_MAE];
            cf->n = ne;
            cf->ci = fb_bootstrap_mean95(err, ne, 1);
            cf->confidence = fb_interval_judge(cf->ci, d->limit);
            if (cf->confidence == FB_CONF_INCONCLUSIVE)
                cf->n_to_settle = fb_mean_n_to_settle(mae, cf->ci, ne, d->limit);
            break;
        }
        case FB_EM_AUC: {
            size_t pos, neg;
            auc_groups(r, &pos, &neg);
            double auc = r->m[FB_EM_AUC];
            value_conf(cf, auc, fb_auc_ci95(auc, pos, neg), pos + neg, d->limit);
            break;
        }
        case FB_EM_LATENCY_P95: {
            size_t nl;
            double *lat = sorted_latencies(r, &nl);
            if (lat)
                value_conf(cf, r->m[FB_EM_LATENCY_P95], fb_quantile_ci95(lat, nl, 0.95, 0.0), nl, d->limit);
            free(lat);
            break;
        }
        default: break; /* counts and maxima: judged on the value alone */
        }
    }
    free(err);
}

/* ---- several seeds ---- */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_latencies(const fb_eval_run *r, size_t *n)
{
    *n = 0;
    double *lat = malloc((r->n_subj ? r->n_subj : 1) * sizeof *lat);
    if (!lat)
        return NULL;
    for (size_t i = 0; i < r->n_subj; i++) {
        const fb_eval_subject *s = &r->subj[i];
        if (s->scored && s->measured && isfinite(s->latency_s))
            lat[(*n)++] = s->latency_s;
    }
    qsort(lat, *n, sizeof *lat, cmp_double);
    return lat;
}

/* NAN-aware: the sum of the defined values, NAN when none is. */
static void add_count(double *acc, double v)
{
    if (isnan(v))
        return;
    *acc = isnan(*acc) ? v : *acc + v;
}

static void take_max(double *acc, double v)
{
    if (isnan(v))
        return;
    if (isnan(*acc) || v > *acc)
        *acc = v;
}

/* The metrics that come from subjects, recomputed over the pooled ones as sim/score/score.c does. */
static void subject_metrics(fb_eval_run *o)
{
    size_t n = o->n_subj, ne = 0, nl = 0, npos = 0, nneg = 0, tp, fn, tn, fp;
    double *lat = malloc((n ? n : 1) * sizeof *lat), sum = 0, sabs = 0, maxerr = NAN, u = 0;
    for (size_t i = 0; i < n; i++) {
        const fb_eval_subject *s = &o->subj[i];
        if (skin_ok(s)) {
            double e = s->skin_reported_c - s->skin_true_c;
            sum += e;
            sabs += fabs(e);
            take_max(&maxerr, fabs(e));
            ne++;
        }
        if (lat && s->scored && s->measured && isfinite(s->latency_s))
            lat[nl++] = s->latency_s;
        if (!s->measured || !s->febrile || !isfinite(s->body_reported_c))
            continue;
        for (size_t j = 0; j < n; j++) { /* AUC: Mann–Whitney over measured subjects */
            const fb_eval_subject *t = &o->subj[j];
            if (!t->measured || t->febrile || !isfinite(t->body_reported_c))
                continue;
            double d = s->body_reported_c - t->body_reported_c;
            u += d > 0 ? 1.0 : d == 0 ? 0.5 : 0.0;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (o->subj[i].measured && isfinite(o->subj[i].body_reported_c))
            o->subj[i].febrile ? npos++ : nneg++;
    o->m[FB_EM_SKIN_MAE] = ne ? sabs / (double)ne : NAN;
    o->m[FB_EM_SKIN_BIAS] = ne ? sum / (double)ne : NAN;
    o->m[FB_EM_SKIN_MAXERR] = maxerr;
    o->m[FB_EM_AUC] = npos && nneg ? u / ((double)npos * (double)nneg) : NAN;
    o->m[FB_EM_DETECTION] =
        o->people.scored ? (double)o->people.measured / (double)o->people.scored : NAN;
    alarm_table(o, &tp, &fn, &tn, &fp);
    o->m[FB_EM_SENSITIVITY] = tp + fn ? (double)tp / (double)(tp + fn) : NAN;
    o->m[FB_EM_SPECIFICITY] = tn + fp ? (double)tn / (double)(tn + fp) : NAN;
    o->m[FB_EM_LATENCY_P95] = NAN;
    if (nl) { /* nearest rank, as docs/scoring.md */
        qsort(lat, nl, sizeof *lat, cmp_double);
        o->m[FB_EM_LATENCY_P95] = lat[(95 * nl + 99) / 100 - 1];
    }
    free(lat);
}

int fb_eval_merge_runs(fb_eval_run *out, const fb_eval_run *runs, size_t n, int mrtd)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += runs[i].n_subj;
    memset(out, 0, sizeof *out);
    out->subj = calloc(total ? total : 1, sizeof *out->subj);
    out->seeds = calloc(n ? n : 1, sizeof *out->seeds);
    if (!out->subj || !out->seeds) {
        free(out->subj);
        free(out->seeds);
        out->subj = NULL;
        out->seeds = NULL;
        return -1;
    }
    for (int m = 0; m < FB_EM_COUNT; m++)
        out->m[m] = NAN;
    out->complete = 1;
    out->scenario_pass = 1;
    out->bb_required = out->bb_detected = NAN;
    for (size_t i = 0; i < n; i++) {
        const fb_eval_run *r = &runs[i];
        memcpy(out->subj + out->n_subj, r->subj, r->n_subj * sizeof *r->subj);
        out->n_subj += r->n_subj;
        out->seeds[out->n_seeds++] = r->seed;
        /* the worst exit status: a DUT fault (3) or a crash (128+) over failed criteria (1) */
        if (r->exit_status > out->exit_status)
            out->exit_status = r->exit_status;
        out->complete &= r->complete;
        out->scenario_pass &= r->scenario_pass;
        out->faults += r->faults;
        add_count(&out->m[FB_EM_FALSE_ALARMS], r->m[FB_EM_FALSE_ALARMS]);
        add_count(&out->m[FB_EM_UNMATCHED], r->m[FB_EM_UNMATCHED]);
        add_count(&out->m[FB_EM_BB_FALSE_OK], r->m[FB_EM_BB_FALSE_OK]);
        add_count(&out->bb_required, r->bb_required);
        add_count(&out->bb_detected, r->bb_detected);
        take_max(&out->m[FB_EM_BB_RECOVERY], r->m[FB_EM_BB_RECOVERY]); /* INFINITY: censored */
        if (mrtd)
            take_max(&out->m[FB_EM_PAIR_ERR], r->m[FB_EM_PAIR_ERR]);
        add_count(&out->duration_s, r->duration_s);
        fb_eval_sec_merge(&out->sec, &r->sec);
    }
    const fb_eval_run *r0 = &runs[0];
    out->seed = r0->seed;
    memcpy(out->scenario_hash, r0->scenario_hash, sizeof out->scenario_hash);
    memcpy(out->camera, r0->camera, sizeof out->camera);
    out->width = r0->width;
    out->height = r0->height;
    out->fps = r0->fps;
    out->fever_threshold_c = r0->fever_threshold_c; /* seeds of one scenario: one definition */
    out->alarm_threshold_c = r0->alarm_threshold_c;
    out->m[FB_EM_BB_DETECTION] =
        out->bb_required > 0 ? out->bb_detected / out->bb_required : NAN;
    fb_eval_count_people(out);
    subject_metrics(out);
    return 0;
}

/* ---- pooled over a candidate's tests ---- */
void fb_eval_pool_confidence(const fb_eval *ev, fb_eval_candidate *c)
{
    fb_eval_pooled *p = &c->pooled;
    size_t cap = 1, ne = 0;
    for (size_t t = 0; t < ev->n_tests; t++)
        cap += c->runs[t].n_subj;
    double *err = malloc(cap * sizeof *err), *lat = malloc(cap * sizeof *lat);
    size_t nl = 0;
    p->sens_k = p->sens_n = p->spec_k = p->spec_n = 0;
    p->auc_n_pos = p->auc_n_neg = 0;
    for (size_t t = 0; t < ev->n_tests; t++) {
        const fb_eval_run *r = &c->runs[t];
        int field = strcmp(ev->tests[t].group, "field") == 0;
        for (size_t i = 0; i < r->n_subj; i++) {
            const fb_eval_subject *s = &r->subj[i];
            if (err && skin_ok(s))
                err[ne++] = s->skin_reported_c - s->skin_true_c;
            if (!field || !s->screenable || !s->measured) /* the subjects pool() counts */
                continue;
            if (lat && isfinite(s->latency_s))
                lat[nl++] = s->latency_s;
            if (isfinite(s->body_reported_c))
                s->febrile ? p->auc_n_pos++ : p->auc_n_neg++;
            if (s->febrile) {
                p->sens_n++;
                p->sens_k += (size_t)s->alarm;
            } else {
                p->spec_n++;
                p->spec_k += (size_t)!s->alarm;
            }
        }
    }
    p->skin_mae_ci = fb_bootstrap_mean95(err, ne, 1);
    p->skin_bias_ci = fb_bootstrap_mean95(err, ne, 0);
    p->sensitivity_ci = fb_wilson95((double)p->sens_k, (double)p->sens_n);
    p->specificity_ci = fb_wilson95((double)p->spec_k, (double)p->spec_n);
    p->auc_ci = fb_auc_ci95(p->auc, p->auc_n_pos, p->auc_n_neg);
    p->latency_median_ci = p->latency_p95_ci = (fb_interval){NAN, NAN};
    if (lat) {
        qsort(lat, nl, sizeof *lat, cmp_double);
        p->latency_median_ci = fb_quantile_ci95(lat, nl, 0.5, 0.0);
        p->latency_p95_ci = fb_quantile_ci95(lat, nl, 0.95, 0.0);
    }
    free(lat);
    free(err);
}

/* ---- the ranking ---- */
/* 1 when run r fails a check whose interval excludes the limit, or on a fault or an incomplete
 * run: a failure more data would not turn into a pass. */
static int fails_conclusively(const fb_eval *ev, const fb_eval_run *r)
{
    if (r->pass)
        return 0;
    if (!r->complete || r->faults)
        return 1;
    int any = 0;
    for (size_t c = 0; c < ev->n_checks && c < 32; c++)
        if (r->check[c] == FB_EVAL_FAIL) {
            any = 1;
            if (r->conf[c].confidence != FB_CONF_INCONCLUSIVE)
                return 1;
        }
    return !any; /* failed with no check applying: nothing to be unsure about */
}

static int disjoint(fb_interval a, fb_interval b)
{
    if (!isfinite(a.lo) || !isfinite(a.hi) || !isfinite(b.lo) || !isfinite(b.hi))
        return 0;
    return a.hi < b.lo || b.hi < a.lo;
}

void fb_eval_mark_indistinct(fb_eval *ev)
{
    for (size_t k = 0; k < ev->n_cands; k++) {
        fb_eval_candidate *b = &ev->cands[ev->order[k]];
        b->indistinct = 0;
        b->why_distinct[0] = 0;
        if (k == 0)
            continue;
        const fb_eval_candidate *a = &ev->cands[ev->order[k - 1]];
        const char *why = NULL;
        const char *test = NULL;
        for (size_t t = 0; t < ev->n_tests && !why; t++) {
            const fb_eval_run *ra = &a->runs[t], *rb = &b->runs[t];
            if (ra->pass == rb->pass)
                continue;
            if (fails_conclusively(ev, ra->pass ? rb : ra)) {
                why = "a test failed conclusively by one of them";
                test = ev->tests[t].id;
            }
        }
        if (!why && disjoint(a->pooled.skin_mae_ci, b->pooled.skin_mae_ci))
            why = "pooled skin MAE intervals do not overlap";
        if (!why && disjoint(a->pooled.sensitivity_ci, b->pooled.sensitivity_ci))
            why = "pooled sensitivity intervals do not overlap";
        if (!why && disjoint(a->pooled.specificity_ci, b->pooled.specificity_ci))
            why = "pooled specificity intervals do not overlap";
        if (!why && disjoint(a->pooled.auc_ci, b->pooled.auc_ci))
            why = "pooled AUC intervals do not overlap";
        if (why) {
            if (test)
                snprintf(b->why_distinct, sizeof b->why_distinct, "%s (%s)", why, test);
            else
                snprintf(b->why_distinct, sizeof b->why_distinct, "%s", why);
        } else {
            b->indistinct = 1;
        }
    }
}
