/* score.c — matches DUT events to truth and computes latency, accuracy, classification and faults (docs/scoring.md). */
#include "score.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"

#define HISTORY_FRAMES 256u /* truth frames kept for matching events to the frame they name */
#define MATCH_MIN_IOU 0.2   /* docs/scoring.md: Matching */

/* One remembered truth frame: a copy of its subject entries. */
typedef struct hist_slot {
    bool valid;
    uint32_t frame;
    double t_s;
    size_t n, cap;
    fb_truth_subject *subjects; /* owned, cap entries */
} hist_slot;

struct fb_score {
    fb_criterion_limit criteria[FB_CRIT_COUNT];
    double fps;
    double fever_threshold_c, alarm_threshold_c; /* truth and device: stated in the results */
    size_t n_subjects;
    fb_subject_result *subj;    /* owned, n_subjects; accumulated per subject */
    hist_slot ring[HISTORY_FRAMES];
    bool have_frames;
    uint32_t first_frame, last_frame;
    uint32_t frames_fed;
    size_t unmatched, duplicates, duplicate_alarms, status_events, false_alarms;
    size_t faults;
    char first_fault[256];
    int audit_clean;            /* -1 until fb_score_audit */
    long long egress, violations; /* -1 until fb_score_sandbox */
    bool nomem;                 /* an allocation failed during the run: finish reports it */
    fb_bb_score bb;             /* blackbody status scoring */
};

fb_score *fb_score_new(const fb_scenario *sc, const fb_subject_info *subjects, size_t n_subjects)
{
    if (!sc || (n_subjects && !subjects))
        return NULL;
    fb_score *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    memcpy(s->criteria, sc->criteria, sizeof s->criteria);
    s->fps = sc->camera.fps;
    s->fever_threshold_c = sc->screening.fever_threshold_c;
    s->alarm_threshold_c = sc->dut.alarm_threshold_c;
    s->audit_clean = -1;
    s->egress = s->violations = -1;
    fb_bb_score_init(&s->bb, s->fps);
    s->n_subjects = n_subjects;
    s->subj = calloc(n_subjects ? n_subjects : 1, sizeof *s->subj);
    if (!s->subj) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < n_subjects; i++) {
        fb_subject_result *r = &s->subj[i];
        r->info = subjects[i];
        r->status = FB_SUBJ_NOT_SCREENABLE;
        r->screenable_from_s = NAN;
        r->measured_at_s = NAN;
        r->latency_s = NAN;
        r->skin_true_c = NAN;
        r->skin_reported_c = NAN;
        r->body_reported_c = NAN;
    }
    return s;
}

void fb_score_free(fb_score *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < HISTORY_FRAMES; i++)
        free(s->ring[i].subjects);
    free(s->subj);
    free(s);
}

void fb_score_audit(fb_score *s, bool clean)
{
    if (s)
        s->audit_clean = clean ? 1 : 0;
}

void fb_score_sandbox(fb_score *s, uint64_t egress_attempts, uint64_t violations)
{
    if (s) {
        s->egress = (long long)egress_attempts;
        s->violations = (long long)violations;
    }
}

void fb_score_fault(fb_score *s, const char *msg)
{
    if (!s)
        return;
    if (s->faults++ == 0)
        snprintf(s->first_fault, sizeof s->first_fault, "%s", msg ? msg : "DUT fault");
}

static void score_faultf(fb_score *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void score_faultf(fb_score *s, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fb_score_fault(s, msg);
}

static void remember_truth(fb_score *s, const fb_truth_frame *tf)
{
    hist_slot *h = &s->ring[tf->frame % HISTORY_FRAMES];
    h->valid = false;
    if (tf->n_subjects > h->cap) {
        fb_truth_subject *p = realloc(h->subjects, tf->n_subjects * sizeof *p);
        if (!p) {
            s->nomem = true;
            return;
        }
        h->subjects = p;
        h->cap = tf->n_subjects;
    }
    if (tf->n_subjects)
        memcpy(h->subjects, tf->subjects, tf->n_subjects * sizeof *h->subjects);
    h->n = tf->n_subjects;
    h->frame = tf->frame;
    h->t_s = tf->t_s;
    h->valid = true;
}

/* Intersection over union of two boxes given as x, y, w, h (pixels); 0 when either is empty. */
static double box_iou(double ax, double ay, double aw, double ah, double bx, double by, double bw,
                      double bh)
{
    if (!(aw > 0 && ah > 0 && bw > 0 && bh > 0))
        return 0.0;
    double ix = fmin(ax + aw, bx + bw) - fmax(ax, bx);
    double iy = fmin(ay + ah, by + bh) - fmax(ay, by);
    if (!(ix > 0 && iy > 0))
        return 0.0;
    double inter = ix * iy;
    return inter / (aw * ah + bw * bh - inter);
}

static void score_measurement(fb_score *s, const fb_event *e)
{
    const fbfw_event *ev = &e->ev;
    uint32_t a = 0, b = 0;
    if (s->have_frames) {
        b = s->last_frame;
        if (b >= s->first_frame && b - s->first_frame < HISTORY_FRAMES - 1)
            a = s->first_frame;
        else
            a = b >= HISTORY_FRAMES - 1 ? b - (HISTORY_FRAMES - 1) : 0;
    }
    const hist_slot *h = &s->ring[ev->frame % HISTORY_FRAMES];
    if (!s->have_frames) {
        score_faultf(s, "event for frame %u before any frame was sent", (unsigned)ev->frame);
        return;
    }
    if (ev->frame < a || ev->frame > b || !h->valid || h->frame != ev->frame) {
        score_faultf(s, "event for frame %u outside the window [%u, %u]", (unsigned)ev->frame,
                     (unsigned)a, (unsigned)b);
        return;
    }

    const fb_truth_subject *best = NULL;
    double best_iou = 0.0;
    for (size_t i = 0; i < h->n; i++) {
        const fb_truth_subject *ts = &h->subjects[i];
        if (!ts->in_view || ts->subject >= s->n_subjects)
            continue;
        double iou = box_iou(ts->face_x, ts->face_y, ts->face_w, ts->face_h, ev->box_x, ev->box_y,
                             ev->box_w, ev->box_h);
        if (iou >= MATCH_MIN_IOU && iou > best_iou) {
            best = ts;
            best_iou = iou;
        }
    }
    if (!best) {
        s->unmatched++;
        if (ev->alarm)
            s->false_alarms++;
        return;
    }

    /* The first matched measurement is the subject's decision: reading and alarm together.
     * Later ones are duplicates, counted and otherwise ignored (docs/scoring.md). */
    fb_subject_result *r = &s->subj[best->subject];
    if (r->n_measurements++ == 0) {
        r->measured_at_s = e->arrival_t_s;
        r->early = !(h->t_s >= r->screenable_from_s); /* NAN: not (yet) screenable */
        r->skin_true_c = best->canthus_c;
        r->skin_reported_c = ev->skin_ck / 100.0 - 273.15;
        r->body_reported_c = ev->body_ck / 100.0 - 273.15;
        r->alarm = ev->alarm != 0;
    } else {
        s->duplicates++;
        s->duplicate_alarms += ev->alarm != 0;
    }
}

void fb_score_frame(fb_score *s, const fb_truth_frame *tf, const fb_event *events, size_t n)
{
    if (!s)
        return;
    if (tf) {
        if (!s->have_frames) {
            s->have_frames = true;
            s->first_frame = tf->frame;
        }
        s->last_frame = tf->frame;
        s->frames_fed++;
        for (size_t i = 0; i < tf->n_subjects; i++) {
            const fb_truth_subject *ts = &tf->subjects[i];
            if (ts->subject >= s->n_subjects || !ts->screenable)
                continue;
            fb_subject_result *r = &s->subj[ts->subject];
            if (isnan(r->screenable_from_s))
                r->screenable_from_s = tf->t_s;
            r->screenable_frames++;
        }
        remember_truth(s, tf);
        fb_bb_score_frame(&s->bb, tf);
    }
    for (size_t i = 0; events && i < n; i++) {
        switch (events[i].ev.kind) {
        case FBFW_EV_MEASUREMENT: score_measurement(s, &events[i]); break;
        case FBFW_EV_STATUS:
            s->status_events++;
            fb_bb_score_status(&s->bb, events[i].ev.status, events[i].arrival_t_s);
            break;
        default:
            score_faultf(s, "event of unknown kind %u (frame %u)", (unsigned)events[i].ev.kind,
                         (unsigned)events[i].ev.frame);
            break;
        }
    }
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Agreement statistics of errors e[0..n) (docs/scoring.md: Accuracy). */
static fb_agreement agreement(const double *e, size_t n)
{
    const fb_interval none = {NAN, NAN};
    fb_agreement a = {.n = n, .bias = NAN, .sd = NAN, .mae = NAN, .loa_lo = NAN, .loa_hi = NAN,
                      .within_03 = NAN, .within_05 = NAN, .bias_ci = none, .mae_ci = none,
                      .within_03_ci = none, .within_05_ci = none};
    if (n == 0)
        return a;
    double sum = 0, sum_abs = 0;
    size_t w03 = 0, w05 = 0;
    for (size_t i = 0; i < n; i++) {
        sum += e[i];
        sum_abs += fabs(e[i]);
        w03 += fabs(e[i]) <= 0.3;
        w05 += fabs(e[i]) <= 0.5;
    }
    a.bias = sum / (double)n;
    a.mae = sum_abs / (double)n;
    a.within_03 = (double)w03 / (double)n;
    a.within_05 = (double)w05 / (double)n;
    a.within_03_ci = fb_wilson95((double)w03, (double)n);
    a.within_05_ci = fb_wilson95((double)w05, (double)n);
    a.bias_ci = fb_bootstrap_mean95(e, n, 0);
    a.mae_ci = fb_bootstrap_mean95(e, n, 1);
    if (n >= 2) {
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (e[i] - a.bias) * (e[i] - a.bias);
        a.sd = sqrt(ss / (double)(n - 1));
        a.loa_lo = a.bias - 1.96 * a.sd;
        a.loa_hi = a.bias + 1.96 * a.sd;
    }
    return a;
}

static double ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : NAN;
}

double fb_score_metric(const fb_results *r, fb_criterion_id id)
{
    switch (id) {
    case FB_CRIT_DETECTION_RATE: return r->detection_rate;
    case FB_CRIT_LATENCY_MEAN: return r->latency_mean_s;
    case FB_CRIT_LATENCY_P95: return r->latency_p95_s;
    case FB_CRIT_SKIN_MAE: return r->skin.mae;
    case FB_CRIT_SKIN_BIAS: return fabs(r->skin.bias);
    case FB_CRIT_SKIN_WITHIN_03: return r->skin.within_03;
    case FB_CRIT_SKIN_WITHIN_05: return r->skin.within_05;
    case FB_CRIT_BODY_MAE: return r->body.mae;
    case FB_CRIT_SENSITIVITY: return r->sensitivity;
    case FB_CRIT_SPECIFICITY: return r->specificity;
    case FB_CRIT_AUC: return r->auc;
    case FB_CRIT_AFEBRILE_ALARMS: return (double)r->afebrile_alarms;
    case FB_CRIT_FALSE_ALARMS: return (double)r->false_alarms;
    case FB_CRIT_UNMATCHED: return (double)r->unmatched_measurements;
    case FB_CRIT_THROUGHPUT: return r->throughput_per_min;
    case FB_CRIT_DUT_FAULTS: return (double)r->dut_faults;
    case FB_CRIT_AUDIT_CLEAN: return r->audit_clean < 0 ? NAN : (double)r->audit_clean;
    case FB_CRIT_EGRESS_ATTEMPTS: return r->egress_attempts < 0 ? NAN : (double)r->egress_attempts;
    case FB_CRIT_SANDBOX_VIOLATIONS:
        return r->sandbox_violations < 0 ? NAN : (double)r->sandbox_violations;
    case FB_CRIT_BB_DETECTION: return r->bb.detection_rate;
    case FB_CRIT_BB_LATENCY: return r->bb.latency_max_s;
    case FB_CRIT_BB_RECOVERY: /* a recovery not seen by the end of the run cannot be checked */
        return r->bb.recovery_censored ? NAN : r->bb.recovery_max_s;
    case FB_CRIT_BB_FALSE_LOST: return r->bb.applicable ? (double)r->bb.false_lost : NAN;
    case FB_CRIT_BB_FALSE_OK: return r->bb.applicable ? (double)r->bb.false_ok : NAN;
    case FB_CRIT_COUNT: break;
    }
    return NAN;
}

static fb_interval wilson_of(size_t k, size_t n)
{
    return fb_wilson95((double)k, (double)n);
}

fb_interval fb_score_metric_ci(const fb_results *r, fb_criterion_id id, size_t *n)
{
    const fb_interval none = {NAN, NAN};
    size_t dummy;
    if (!n)
        n = &dummy;
    *n = 0;
    switch (id) {
    case FB_CRIT_DETECTION_RATE: *n = r->n_screenable; return r->detection_rate_ci;
    case FB_CRIT_SKIN_MAE: *n = r->skin.n; return r->skin.mae_ci;
    case FB_CRIT_SKIN_BIAS: { /* |bias|: the interval of the bias folded at 0 */
        fb_interval b = r->skin.bias_ci, a = none;
        if (isfinite(b.lo) && isfinite(b.hi)) {
            a.lo = b.lo <= 0 && b.hi >= 0 ? 0 : fmin(fabs(b.lo), fabs(b.hi));
            a.hi = fmax(fabs(b.lo), fabs(b.hi));
        }
        *n = r->skin.n;
        return a;
    }
    case FB_CRIT_SKIN_WITHIN_03: *n = r->skin.n; return r->skin.within_03_ci;
    case FB_CRIT_SKIN_WITHIN_05: *n = r->skin.n; return r->skin.within_05_ci;
    case FB_CRIT_BODY_MAE: *n = r->body.n; return r->body.mae_ci;
    case FB_CRIT_SENSITIVITY: *n = r->tp + r->fn; return r->sensitivity_ci;
    case FB_CRIT_SPECIFICITY: *n = r->tn + r->fp; return r->specificity_ci;
    case FB_CRIT_LATENCY_MEAN: *n = r->n_latency; return r->latency_mean_ci;
    case FB_CRIT_LATENCY_P95: *n = r->n_latency; return r->latency_p95_ci;
    case FB_CRIT_AUC: *n = r->auc_n_pos + r->auc_n_neg; return r->auc_ci;
    default: return none; /* counts, maxima, throughput: no interval */
    }
}

void fb_score_judge_confidence(const fb_results *r, fb_criterion_result *c)
{
    c->ci = fb_score_metric_ci(r, c->id, &c->n);
    c->confidence = isnan(c->actual) ? FB_CONF_NONE : fb_interval_judge(c->ci, c->limit);
    c->n_to_settle = 0;
    if (c->confidence != FB_CONF_INCONCLUSIVE)
        return;
    int share = c->id == FB_CRIT_DETECTION_RATE || c->id == FB_CRIT_SENSITIVITY ||
                c->id == FB_CRIT_SPECIFICITY || c->id == FB_CRIT_SKIN_WITHIN_03 ||
                c->id == FB_CRIT_SKIN_WITHIN_05;
    if (share)
        c->n_to_settle = fb_wilson_n_to_settle(c->actual, (double)c->n, c->limit);
    else if (isinf(c->ci.hi)) /* a p95 of too few values: at least as many as give it an upper end */
        c->n_to_settle = fb_quantile_n_bounded(0.95);
    else /* means, AUC, a bounded p95: the interval narrows as 1/sqrt(n) */
        c->n_to_settle = fb_mean_n_to_settle(c->actual, c->ci, c->n, c->limit);
}

int fb_score_finish(fb_score *s, fb_results *out)
{
    if (!s || !out)
        return FB_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (s->nomem)
        return FB_ERR_NOMEM;
    size_t n = s->n_subjects;
    fb_subject_result *subj = malloc((n ? n : 1) * sizeof *subj);
    double *buf = malloc((n ? n : 1) * 3 * sizeof *buf);
    if (!subj || !buf) {
        free(subj);
        free(buf);
        return FB_ERR_NOMEM;
    }
    if (n)
        memcpy(subj, s->subj, n * sizeof *subj);
    double *lat = buf, *skin_err = buf + n, *body_err = buf + 2 * n;
    size_t n_lat = 0, n_acc = 0;

    out->frames = s->frames_fed;
    out->fever_threshold_c = s->fever_threshold_c;
    out->alarm_threshold_c = s->alarm_threshold_c;
    out->duration_s = s->fps > 0 ? (double)s->frames_fed / s->fps : NAN;
    out->n_subjects = n;
    for (size_t i = 0; i < n; i++) {
        fb_subject_result *r = &subj[i];
        r->scored = r->screenable_frames >= FB_MIN_SCREENABLE_FRAMES;
        bool measured = r->n_measurements > 0;
        r->status = measured ? FB_SUBJ_MEASURED
                             : r->scored ? FB_SUBJ_MISSED : FB_SUBJ_NOT_SCREENABLE;
        /* an early decision was not late: its latency is 0, never negative */
        r->latency_s = (measured && r->scored)
                           ? fmax(0.0, r->measured_at_s - r->screenable_from_s)
                           : NAN;
        if (measured && r->early)
            out->n_early++;
        if (r->scored && measured) {
            out->n_screenable++;
            out->n_measured++;
            if (r->info.febrile)
                r->alarm ? out->tp++ : out->fn++;
            else
                r->alarm ? out->fp++ : out->tn++;
        } else if (r->scored) {
            out->n_screenable++;
            out->n_missed++;
            r->info.febrile ? out->missed_febrile++ : out->missed_afebrile++;
        } else if (measured) {
            out->n_measured_unscreenable++;
        }
        if (!isnan(r->latency_s))
            lat[n_lat++] = r->latency_s;
        if (measured) {
            skin_err[n_acc] = r->skin_reported_c - r->skin_true_c;
            body_err[n_acc] = r->body_reported_c - r->info.core_c;
            n_acc++;
        }
    }

    out->detection_rate = ratio(out->n_measured, out->n_screenable);
    out->detection_rate_ci = wilson_of(out->n_measured, out->n_screenable);
    out->latency_mean_s = out->latency_median_s = out->latency_p95_s = out->latency_max_s = NAN;
    out->latency_mean_ci = out->latency_median_ci = out->latency_p95_ci = (fb_interval){NAN, NAN};
    if (n_lat) {
        qsort(lat, n_lat, sizeof *lat, cmp_double);
        double sum = 0;
        for (size_t i = 0; i < n_lat; i++)
            sum += lat[i];
        out->latency_mean_s = sum / (double)n_lat;
        out->latency_median_s =
            (n_lat % 2) ? lat[n_lat / 2] : (lat[n_lat / 2 - 1] + lat[n_lat / 2]) / 2.0;
        size_t rank = (95 * n_lat + 99) / 100; /* nearest rank: ceil(0.95 n), 1-based */
        out->latency_p95_s = lat[rank - 1];
        out->latency_max_s = lat[n_lat - 1];
    }
    out->n_latency = n_lat;
    out->latency_mean_ci = fb_bootstrap_mean95(lat, n_lat, 0);
    out->latency_median_ci = fb_quantile_ci95(lat, n_lat, 0.5, 0.0); /* latency >= 0 */
    out->latency_p95_ci = fb_quantile_ci95(lat, n_lat, 0.95, 0.0);
    out->skin = agreement(skin_err, n_acc);
    out->body = agreement(body_err, n_acc);

    out->sensitivity = ratio(out->tp, out->tp + out->fn);
    out->specificity = ratio(out->tn, out->tn + out->fp);
    out->ppv = ratio(out->tp, out->tp + out->fp);
    out->sensitivity_ci = wilson_of(out->tp, out->tp + out->fn);
    out->specificity_ci = wilson_of(out->tn, out->tn + out->fp);
    out->ppv_ci = wilson_of(out->tp, out->tp + out->fp);
    out->afebrile_alarms = out->fp;

    /* ROC AUC = Mann–Whitney U / (n_pos n_neg) over measured subjects, ties count 1/2. */
    double u = 0;
    size_t n_pos = 0, n_neg = 0;
    for (size_t i = 0; i < n; i++) {
        if (subj[i].status != FB_SUBJ_MEASURED)
            continue;
        if (subj[i].info.febrile)
            n_pos++;
        else
            n_neg++;
        if (!subj[i].info.febrile)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (subj[j].status != FB_SUBJ_MEASURED || subj[j].info.febrile)
                continue;
            double d = subj[i].body_reported_c - subj[j].body_reported_c;
            u += d > 0 ? 1.0 : d == 0 ? 0.5 : 0.0;
        }
    }
    out->auc = (n_pos && n_neg) ? u / ((double)n_pos * (double)n_neg) : NAN;
    out->auc_n_pos = n_pos;
    out->auc_n_neg = n_neg;
    out->auc_ci = fb_auc_ci95(out->auc, n_pos, n_neg);

    out->false_alarms = s->false_alarms;
    out->unmatched_measurements = s->unmatched;
    out->duplicate_measurements = s->duplicates;
    out->duplicate_alarms = s->duplicate_alarms;
    out->status_events = s->status_events;
    out->throughput_per_min =
        out->duration_s > 0
            ? (double)out->n_measured / (out->duration_s / 60.0)
            : NAN;
    out->dut_faults = s->faults;
    memcpy(out->first_fault, s->first_fault, sizeof out->first_fault);
    out->audit_clean = s->audit_clean;
    out->egress_attempts = s->egress;
    out->sandbox_violations = s->violations;
    fb_bb_score_finish(&s->bb, s->fps > 0 ? s->bb.now_s + 1.0 / s->fps : s->bb.now_s, &out->bb);
    out->subjects = subj;
    free(buf);

    bool all = true;
    for (int i = 0; i < FB_CRIT_COUNT; i++) {
        if (!s->criteria[i].set)
            continue;
        fb_criterion_result *c = &out->criteria[out->n_criteria++];
        c->id = (fb_criterion_id)i;
        c->limit = s->criteria[i].limit;
        c->actual = fb_score_metric(out, c->id);
        c->pass = !isnan(c->actual) &&
                  (fb_criterion_get(c->id)->is_min ? c->actual >= c->limit : c->actual <= c->limit);
        fb_score_judge_confidence(out, c);
        all = all && c->pass;
    }
    out->pass = all && out->dut_faults == 0;
    return FB_OK;
}

void fb_results_free(fb_results *r)
{
    if (!r)
        return;
    free(r->subjects);
    r->subjects = NULL;
    r->n_subjects = 0;
}
