/* report.c — what a run leaves behind: the scorecard, results.json, junit.xml, events and truth as JSON Lines. */
#include "report.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "confounders.h"
#include "scenario/criteria.h"
#include "fb_error.h"
#include "util/fixed.h"
#include "util/hash.h"

#define PATH_LEN 4096

static void set_err(char *err, size_t err_len, const char *path, int e)
{
    if (err && err_len)
        snprintf(err, err_len, "%s: %s", path, strerror(e ? e : EIO));
}

static const char *str_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* Copy of s with invalid UTF-8 bytes and control characters (other than tab and newline)
 * replaced by '?': names and messages may come from the DUT. Caller frees. */
static char *clean_text(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t k = utf8_len(p);
        if (k == 0 || (k == 1 && ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F))) {
            out[o++] = '?';
            p++;
            continue;
        }
        memcpy(out + o, p, k);
        o += k;
        p += k;
    }
    out[o] = '\0';
    return out;
}

/* Writes s with invalid UTF-8 and control characters (other than tab and newline) replaced by
 * '?', escaping for XML when xml is set. Streams character by character: no allocation, so a
 * report never degrades silently when memory is short. */
static void put_sanitized(FILE *f, const char *s, int xml)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t k = utf8_len(p);
        if (k == 0 || (k == 1 && ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F))) {
            fputc('?', f);
            p++;
            continue;
        }
        if (k == 1 && xml) {
            switch (*p) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\'': fputs("&apos;", f); break;
            case '\n': fputs("&#10;", f); break;
            case '\t': fputs("&#9;", f); break;
            default: fputc(*p, f); break;
            }
        } else {
            fwrite(p, 1, k, f);
        }
        p += k;
    }
}

/* Prints s with control characters and invalid UTF-8 replaced (terminal safety). */
static void put_clean(FILE *f, const char *s)
{
    put_sanitized(f, s, 0);
}

/* A value for people: "n/a" when undefined, integers without decimals, else %.6g. */
static const char *fmt_value(char *buf, size_t len, double v)
{
    if (!isfinite(v))
        snprintf(buf, len, "n/a");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

static void drop_negative_zero(char *buf);

/* Fixed decimals or "n/a"; sign forces a leading + on positive values; no "-0.000". */
static const char *fmt_fixed(char *buf, size_t len, double v, int decimals, bool sign)
{
    if (!isfinite(v))
        snprintf(buf, len, "n/a");
    else if (sign)
        snprintf(buf, len, "%+.*f", decimals, v);
    else
        snprintf(buf, len, "%.*f", decimals, v);
    if (buf[0] == '-') {
        drop_negative_zero(buf);
        if (sign && buf[0] != '-' && buf[0] != '+') { /* was "-0.000": "+0.000" */
            memmove(buf + 1, buf, strlen(buf) + 1);
            buf[0] = '+';
        }
    }
    return buf;
}

static const char *fmt_pct(char *buf, size_t len, double share)
{
    if (!isfinite(share))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "%.1f %%", 100.0 * share);
    return buf;
}

/* An interval's upper end: the number, or "unbounded" (a p95 of too few values, interval.h). */
static const char *fmt_hi(char *buf, size_t len, double hi, int decimals, double k)
{
    if (isinf(hi) && hi > 0) {
        snprintf(buf, len, "%s", "unbounded");
        return buf;
    }
    return fmt_fixed(buf, len, k * hi, decimals, false);
}

/* "lo–hi" of an interval (scaled by k), or "n/a" when there is none. */
static const char *fmt_range(char *buf, size_t len, fb_interval ci, int decimals, double k)
{
    if (!isfinite(ci.lo) || isnan(ci.hi)) {
        snprintf(buf, len, "%s", "n/a");
        return buf;
    }
    char lo[32], hi[32];
    fmt_fixed(lo, sizeof lo, k * ci.lo, decimals, false);
    fmt_hi(hi, sizeof hi, ci.hi, decimals, k);
    snprintf(buf, len, "%s–%s", lo, hi);
    return buf;
}

/* ", 95 % CI lo–hi" with decimals, or "" when there is no interval. */
static const char *fmt_ci(char *buf, size_t len, fb_interval ci, int decimals, bool pct)
{
    if (!isfinite(ci.lo) || isnan(ci.hi)) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    char range[80];
    snprintf(buf, len, ", 95 %% CI %s%s", fmt_range(range, sizeof range, ci, decimals, pct ? 100.0 : 1.0),
             pct ? " %" : "");
    return buf;
}

/* The verdict of a criterion: pass / fail on the actual, "inconclusive" when the limit lies
 * inside its 95 % interval (docs/scoring.md: Confidence). */
static const char *criterion_verdict(const fb_criterion_result *c)
{
    if (c->confidence == FB_CONF_INCONCLUSIVE)
        return "inconclusive";
    return c->pass ? "pass" : "fail";
}

static bool run_passed(const fb_run_info *ri, const fb_results *r)
{
    return r->pass && (!ri || ri->complete);
}

static size_t criteria_failed(const fb_results *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_criteria; i++)
        n += !r->criteria[i].pass;
    return n;
}

/* ---- scorecard ---------------------------------------------------------------------- */

/* The link audit (sim/link/link_audit.h): what crossed the link each way, and findings. */
static void card_audit_dir(FILE *f, const char *name, const fb_audit_dir *d)
{
    fprintf(f, "  %-9s %12llu bytes ", name, (unsigned long long)d->bytes);
    for (size_t i = 0; i < d->n_msgs; i++) {
        fputs(i ? ", " : " ", f);
        put_clean(f, d->msgs[i].name);
        fprintf(f, " %llu", (unsigned long long)d->msgs[i].n);
    }
    fputc('\n', f);
}

static void card_audit(FILE *f, const fb_link_audit *a)
{
    fputs("\nLink audit (", f);
    put_clean(f, a->transport);
    fputs(", ", f);
    put_clean(f, a->pacing);
    fputs(")\n", f);
    card_audit_dir(f, "to DUT", &a->to_dut);
    card_audit_dir(f, "from DUT", &a->from_dut);
    if (a->frame_port_bytes)
        fprintf(f, "  frame port %11llu bytes\n", (unsigned long long)a->frame_port_bytes);
    fprintf(f, "  protocol errors %llu, DUT-reported errors %llu\n",
            (unsigned long long)a->protocol_errors, (unsigned long long)a->dut_errors);
    if (a->noise_runs)
        fprintf(f, "  outside the protocol %llu bytes in %llu run%s\n",
                (unsigned long long)a->noise_bytes, (unsigned long long)a->noise_runs,
                a->noise_runs == 1 ? "" : "s");
    if (a->sandbox[0]) { /* the sandbox (sim/link/sandbox.h; docs/security.md) */
        fputs("  sandbox: ", f);
        put_clean(f, a->sandbox);
        if (a->sandbox_layers[0]) {
            fputs(" (", f);
            put_clean(f, a->sandbox_layers);
            fputc(')', f);
        }
        fprintf(f, "; egress attempts %llu, violations %llu\n",
                (unsigned long long)a->egress_attempts, (unsigned long long)a->sandbox_violations);
        if (a->sandbox_missing[0]) {
            fputs("  sandbox missing: ", f);
            put_clean(f, a->sandbox_missing);
            fputc('\n', f);
        }
        for (size_t i = 0; i < a->n_attempts; i++) {
            fprintf(f, "  attempt at frame %u (%.3f s): ", (unsigned)a->attempts[i].frame,
                    a->attempts[i].t_s);
            put_clean(f, a->attempts[i].what);
            fputc('\n', f);
        }
        if (a->scratch_files)
            fprintf(f, "  scratch: %llu file%s, %llu bytes left\n",
                    (unsigned long long)a->scratch_files, a->scratch_files == 1 ? "" : "s",
                    (unsigned long long)a->scratch_bytes);
        for (size_t i = 0; i < a->n_scratch; i++) {
            fputs("  scratch file ", f);
            put_clean(f, a->scratch[i].path);
            fprintf(f, " (%llu bytes)\n", (unsigned long long)a->scratch[i].size_b);
        }
        for (size_t i = 0; i < a->n_runtime; i++) { /* the emulator's own, not the firmware's */
            fputs("  runtime note ", f);
            put_clean(f, a->runtime[i]);
            fputc('\n', f);
        }
    }
    if (a->n_findings == 0)
        fputs("  findings: none (clean)\n", f);
    for (size_t i = 0; i < a->n_findings; i++) {
        fputs("  finding: ", f);
        put_clean(f, a->findings[i]);
        fputc('\n', f);
    }
}

/* The blackbody's failures and what the DUT said about them (docs/scoring.md). */
static void card_blackbody(FILE *f, const fb_bb_results *bb)
{
    char b1[32], b2[32], b3[32];
    fputs("\nBlackbody status\n", f);
    fprintf(f, "  failures %zu (%zu lasting >= %" PRIu32 " frames, %.0f s), reported LOST %zu  (%s)\n",
            bb->episodes, bb->required, bb->min_episode_frames, FB_BB_MIN_EPISODE_S,
            bb->detected_required, fmt_pct(b1, sizeof b1, bb->detection_rate));
    fprintf(f, "  slowest LOST %s s  slowest OK after recovery %s s  false LOST %zu  false OK %zu\n",
            fmt_fixed(b2, sizeof b2, bb->latency_max_s, 2, false),
            fmt_fixed(b3, sizeof b3, bb->recovery_max_s, 2, false), bb->false_lost, bb->false_ok);
    for (size_t i = 0; i < bb->n_ep; i++) {
        const fb_bb_episode *e = &bb->ep[i];
        fprintf(f, "  %-9s %8.2f .. %-8s s  LOST in %" PRIu32 " of %" PRIu32 " frames  %s",
                fb_bb_truth_name(e->reason), e->start_s,
                e->ended ? fmt_fixed(b1, sizeof b1, e->end_s, 2, false) : "end", e->lost_frames,
                e->frames,
                e->detected ? "reported after "
                            : (e->required ? "NOT REPORTED" : "not reported (short)"));
        if (e->detected)
            fprintf(f, "%s s", fmt_fixed(b2, sizeof b2, e->latency_s, 2, false));
        if (e->detected && !isnan(e->recovery_s))
            fprintf(f, ", %s %s%s s after", e->recovery_interrupted ? "next failure" : "OK",
                    e->recovery_censored ? ">= " : "", fmt_fixed(b3, sizeof b3, e->recovery_s, 2, false));
        fputc('\n', f);
    }
    if (bb->n_ep < bb->episodes)
        fprintf(f, "  (%zu more not listed)\n", bb->episodes - bb->n_ep);
}

static void card_agreement(FILE *f, const char *name, const fb_agreement *a)
{
    char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32];
    fprintf(f, "  %-6s %5zu  %7s  %6s  %6s  %7s .. %-7s  %8s  %8s\n", name, a->n,
            fmt_fixed(b1, sizeof b1, a->bias, 3, true), fmt_fixed(b2, sizeof b2, a->sd, 3, false),
            fmt_fixed(b3, sizeof b3, a->mae, 3, false), fmt_fixed(b4, sizeof b4, a->loa_lo, 3, true),
            fmt_fixed(b5, sizeof b5, a->loa_hi, 3, true), fmt_pct(b6, sizeof b6, a->within_03),
            fmt_pct(b7, sizeof b7, a->within_05));
    if (!isfinite(a->bias_ci.lo) && !isfinite(a->within_03_ci.lo))
        return;
    /* the 95 % intervals: bootstrap for bias and MAE, Wilson for the shares */
    char c1[32], c2[32], c3[32], c4[32], c5[32], c6[32], c7[32], c8[32];
    fprintf(f, "    95 %% CI     bias %s .. %s  MAE %s .. %s  within ±0.3 %s–%s  ±0.5 %s–%s\n",
            fmt_fixed(c1, sizeof c1, a->bias_ci.lo, 3, true),
            fmt_fixed(c2, sizeof c2, a->bias_ci.hi, 3, true),
            fmt_fixed(c3, sizeof c3, a->mae_ci.lo, 3, false),
            fmt_fixed(c4, sizeof c4, a->mae_ci.hi, 3, false),
            fmt_pct(c5, sizeof c5, a->within_03_ci.lo), fmt_pct(c6, sizeof c6, a->within_03_ci.hi),
            fmt_pct(c7, sizeof c7, a->within_05_ci.lo), fmt_pct(c8, sizeof c8, a->within_05_ci.hi));
}

/* The latency statistics' 95 % intervals, when there are any (docs/scoring.md: Confidence). */
static void card_latency_ci(FILE *f, const fb_results *r)
{
    char m[96], md[96], p[96];
    if (r->n_latency == 0)
        return;
    fprintf(f, "    95 %% CI              mean %s  median %s  p95 %s\n",
            fmt_range(m, sizeof m, r->latency_mean_ci, 2, 1.0),
            fmt_range(md, sizeof md, r->latency_median_ci, 2, 1.0),
            fmt_range(p, sizeof p, r->latency_p95_ci, 2, 1.0));
}

/* The AUC's sample (febrile / afebrile measured) and Newcombe interval, when defined. */
static void card_auc_ci(FILE *f, const fb_results *r)
{
    char c[96];
    if (!isfinite(r->auc))
        return;
    fprintf(f, "  AUC over %zu febrile and %zu afebrile measured%s\n", r->auc_n_pos, r->auc_n_neg,
            fmt_ci(c, sizeof c, r->auc_ci, 3, false));
}

/* One criterion's line: verdict, actual with its interval and n, the limit, and for an
 * inconclusive one the sample size that would settle it. */
static void card_criterion(FILE *f, const fb_criterion_result *c)
{
    char b1[32], b2[32], ci[96] = "";
    const fb_criterion_desc *d = fb_criterion_get(c->id);
    const char *unit = *d->unit ? d->unit : "";
    const char *sp = *d->unit ? " " : "";
    if (isfinite(c->ci.lo) && !isnan(c->ci.hi)) {
        char lo[32], hi[32];
        snprintf(ci, sizeof ci, "  (n %zu, 95 %% CI %s .. %s)", c->n,
                 fmt_fixed(lo, sizeof lo, c->ci.lo, 3, false), fmt_hi(hi, sizeof hi, c->ci.hi, 3, 1.0));
    }
    fprintf(f, "  %s  %-24s %s%s%s %s %s%s%s%s", c->pass ? "PASS" : "FAIL", d->key,
            fmt_value(b1, sizeof b1, c->actual), isfinite(c->actual) ? sp : "",
            isfinite(c->actual) ? unit : "", d->is_min ? ">=" : "<=",
            fmt_value(b2, sizeof b2, c->limit), sp, unit, ci);
    if (c->confidence == FB_CONF_INCONCLUSIVE) {
        fputs("  inconclusive", f);
        if (c->n_to_settle)
            fprintf(f, ": n ~ %" PRIu64 " would settle it", c->n_to_settle);
    }
    fputc('\n', f);
}

void fb_report_scorecard(FILE *f, const fb_run_info *ri, const fb_results *r)
{
    char b1[128], b2[128], b3[128], b4[128];
    if (!f || !r)
        return;
    if (ri) {
        fputs("feverbench ", f);
        put_clean(f, str_or(ri->version, "?"));
        fputs("\nscenario    ", f);
        put_clean(f, str_or(ri->scenario_name, "?"));
        fputs("  (", f);
        put_clean(f, str_or(ri->scenario_source, "?"));
        fprintf(f, ", hash %016" PRIx64 ")\n", ri->scenario_hash);
        fprintf(f, "seed        %" PRIu64 "\n", ri->seed);
        fputs("camera      ", f);
        put_clean(f, str_or(ri->camera_name, "?"));
        if (ri->width > 0 && ri->height > 0)
            fprintf(f, "  (%dx%d)", ri->width, ri->height);
        if (ri->people) {
            fputs("\npeople      ", f);
            put_clean(f, ri->people);
        }
        fputs("\nDUT         ", f);
        put_clean(f, str_or(ri->dut_name, "?"));
        fprintf(f, "\nframes      %" PRIu32 "  (%s s at %s fps, frames hash %016" PRIx64 ")\n",
                ri->frames, fmt_fixed(b1, sizeof b1, ri->duration_s, 2, false),
                fmt_value(b2, sizeof b2, ri->fps), ri->frames_hash);
        if (!ri->complete) {
            fputs("INCOMPLETE  ", f);
            put_clean(f, str_or(ri->stop_reason, "stopped early"));
            fputc('\n', f);
        }
    }

    fputs("\nDetection\n", f);
    fprintf(f, "  screenable subjects     %zu (of %zu; screenable in >= %u frames)\n", r->n_screenable,
            r->n_subjects, FB_MIN_SCREENABLE_FRAMES);
    fprintf(f, "  measured                %zu  (%s%s)\n", r->n_measured,
            fmt_pct(b1, sizeof b1, r->detection_rate),
            fmt_ci(b2, sizeof b2, r->detection_rate_ci, 1, true));
    fprintf(f, "  missed                  %zu  (febrile %zu, afebrile %zu)\n", r->n_missed,
            r->missed_febrile, r->missed_afebrile);
    if (r->n_measured_unscreenable)
        fprintf(f, "  measured, not scored    %zu\n", r->n_measured_unscreenable);
    if (r->n_early)
        fprintf(f, "  measured early          %zu  (before screenable: latency 0)\n", r->n_early);
    fprintf(f, "  latency [s]             mean %s  median %s  p95 %s  max %s  (n %zu)\n",
            fmt_fixed(b1, sizeof b1, r->latency_mean_s, 2, false),
            fmt_fixed(b2, sizeof b2, r->latency_median_s, 2, false),
            fmt_fixed(b3, sizeof b3, r->latency_p95_s, 2, false),
            fmt_fixed(b4, sizeof b4, r->latency_max_s, 2, false), r->n_latency);
    card_latency_ci(f, r);

    fputs("\nAccuracy [°C]     n     bias      SD     MAE  limits of agreement  "
          "within ±0.3  ±0.5\n", f);
    card_agreement(f, "skin", &r->skin);
    card_agreement(f, "body", &r->body);

    fputs("\nClassification (measured screenable subjects' decisions, positive = febrile)\n", f);
    fprintf(f, "  fever (truth): core ≥ %s °C; the device alarms at %s °C (its own setting)\n",
            fmt_fixed(b1, sizeof b1, r->fever_threshold_c, 2, false),
            fmt_fixed(b2, sizeof b2, r->alarm_threshold_c, 2, false));
    fprintf(f, "  TP %zu  FP %zu  TN %zu  FN %zu\n", r->tp, r->fp, r->tn, r->fn);
    char c1[128], c2[128], c3[128];
    fprintf(f, "  sensitivity %s  (%zu/%zu%s)\n", fmt_fixed(b1, sizeof b1, r->sensitivity, 3, false),
            r->tp, r->tp + r->fn, fmt_ci(c1, sizeof c1, r->sensitivity_ci, 3, false));
    fprintf(f, "  specificity %s  (%zu/%zu%s)\n", fmt_fixed(b2, sizeof b2, r->specificity, 3, false),
            r->tn, r->tn + r->fp, fmt_ci(c2, sizeof c2, r->specificity_ci, 3, false));
    fprintf(f, "  PPV %s  (%zu/%zu%s)  AUC %s\n", fmt_fixed(b3, sizeof b3, r->ppv, 3, false), r->tp,
            r->tp + r->fp, fmt_ci(c3, sizeof c3, r->ppv_ci, 3, false),
            fmt_fixed(b4, sizeof b4, r->auc, 3, false));
    card_auc_ci(f, r);
    fprintf(f, "  missed (not in the table): febrile %zu, afebrile %zu\n", r->missed_febrile,
            r->missed_afebrile);
    fprintf(f, "  false alarms %zu  (unmatched measurements %zu, duplicates %zu with %zu alarms "
               "ignored, status events %zu)\n",
            r->false_alarms, r->unmatched_measurements, r->duplicate_measurements,
            r->duplicate_alarms, r->status_events);

    if (r->bb.applicable)
        card_blackbody(f, &r->bb);

    fputs("\nThroughput\n", f);
    fprintf(f, "  %s screened subjects/min\n",
            fmt_fixed(b1, sizeof b1, r->throughput_per_min, 2, false));

    fputs("\nFaults\n", f);
    if (r->dut_faults == 0) {
        fputs("  none\n", f);
    } else {
        fprintf(f, "  %zu DUT fault%s, first: ", r->dut_faults, r->dut_faults == 1 ? "" : "s");
        put_clean(f, r->first_fault);
        fputc('\n', f);
    }
    if (ri && ri->audit)
        card_audit(f, ri->audit);

    fputs("\nCriteria\n", f);
    if (r->n_criteria == 0)
        fputs("  (none set)\n", f);
    for (size_t i = 0; i < r->n_criteria; i++)
        card_criterion(f, &r->criteria[i]);

    size_t failed = criteria_failed(r);
    fputc('\n', f);
    if (run_passed(ri, r)) {
        fprintf(f, "RESULT: PASS (%zu of %zu criteria met, no DUT faults)\n", r->n_criteria,
                r->n_criteria);
        return;
    }
    fputs("RESULT: FAIL (", f);
    const char *sep = "";
    if (ri && !ri->complete) {
        fputs("run incomplete: ", f);
        put_clean(f, str_or(ri->stop_reason, "stopped early"));
        sep = "; ";
    }
    if (r->dut_faults) {
        fprintf(f, "%s%zu DUT fault%s", sep, r->dut_faults, r->dut_faults == 1 ? "" : "s");
        sep = "; ";
    }
    if (failed)
        fprintf(f, "%s%zu of %zu criteria failed", sep, failed, r->n_criteria);
    fputs(")\n", f);
}

/* ---- atomic file writing ------------------------------------------------------------ */

typedef int (*write_body_fn)(FILE *f, const void *ctx);

/* Writes DIR/NAME through DIR/.NAME.tmp + fsync + rename. body returns 0 or an errno-like
 * failure; stdio errors are caught by ferror/fflush/fclose. */
static int write_atomic(const char *dir, const char *name, write_body_fn body, const void *ctx,
                        char *err, size_t err_len)
{
    char path[PATH_LEN], tmp[PATH_LEN];
    int n1 = snprintf(path, sizeof path, "%s/%s", dir, name);
    int n2 = snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof path || (size_t)n2 >= sizeof tmp) {
        set_err(err, err_len, n1 < 0 || (size_t)n1 >= sizeof path ? dir : path, ENAMETOOLONG);
        return FB_ERR_IO;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        set_err(err, err_len, path, errno);
        return FB_ERR_IO;
    }
    errno = 0;
    int e = body(f, ctx);
    if (e == 0 && ferror(f))
        e = errno ? errno : EIO;
    if (e == 0 && fflush(f) != 0)
        e = errno ? errno : EIO;
    if (e == 0 && fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS)
        e = errno ? errno : EIO; /* EINVAL/EROFS: a file system without fsync (tmpfs, pipes) */
    if (fclose(f) != 0 && e == 0)
        e = errno ? errno : EIO;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno ? errno : EIO;
    if (e != 0) {
        remove(tmp);
        if (e == ENOMEM) {
            if (err && err_len)
                snprintf(err, err_len, "%s: %s", path, fb_strerror(FB_ERR_NOMEM));
            return FB_ERR_NOMEM;
        }
        set_err(err, err_len, path, e);
        return FB_ERR_IO;
    }
    return FB_OK;
}

/* ---- results.json ------------------------------------------------------------------- */

/* Builder that remembers whether any allocation failed, so the tree is built without checks. */
typedef struct jb {
    bool oom;
} jb;

static cJSON *jadd(jb *b, cJSON *obj, const char *key, cJSON *item)
{
    if (!item) {
        b->oom = true;
        return NULL;
    }
    if (!obj || !(key ? cJSON_AddItemToObject(obj, key, item) : cJSON_AddItemToArray(obj, item))) {
        b->oom = true;
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

/* "-0", "-0.000" and the like become unsigned (float noise around zero). */
static void drop_negative_zero(char *buf)
{
    if (buf[0] != '-' || strspn(buf + 1, "0.") != strlen(buf + 1))
        return;
    memmove(buf, buf + 1, strlen(buf));
}

/* A double as a raw JSON number with 9 decimals, trailing zeros trimmed (deterministic, hides
 * float noise such as 1e-15), null if undefined. */
static cJSON *jnum(double v)
{
    char buf[64];
    if (!isfinite(v))
        return cJSON_CreateNull();
    if (fabs(v) >= 1e15) {
        snprintf(buf, sizeof buf, "%.17g", v);
        return cJSON_CreateRaw(buf);
    }
    snprintf(buf, sizeof buf, "%.9f", v);
    char *end = buf + strlen(buf);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        *--end = '\0';
    drop_negative_zero(buf);
    return cJSON_CreateRaw(buf);
}

static cJSON *juint(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

static cJSON *jhex(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%016" PRIx64, v);
    return cJSON_CreateString(buf);
}

static cJSON *jstr(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    char *c = clean_text(s);
    if (!c)
        return NULL;
    cJSON *j = cJSON_CreateString(c);
    free(c);
    return j;
}

/* A 95 % interval as [lo, hi], null when undefined. */
static cJSON *jci(jb *b, fb_interval ci)
{
    if (!isfinite(ci.lo) || isnan(ci.hi))
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    jadd(b, a, NULL, jnum(ci.lo));
    jadd(b, a, NULL, isinf(ci.hi) ? cJSON_CreateNull() : jnum(ci.hi)); /* [lo, null]: unbounded */
    return a;
}

static void jagreement(jb *b, cJSON *obj, const char *key, const fb_agreement *a)
{
    cJSON *o = jadd(b, obj, key, cJSON_CreateObject());
    jadd(b, o, "n", juint(a->n));
    jadd(b, o, "bias_c", jnum(a->bias));
    jadd(b, o, "sd_c", jnum(a->sd));
    jadd(b, o, "mae_c", jnum(a->mae));
    jadd(b, o, "loa_lo_c", jnum(a->loa_lo));
    jadd(b, o, "loa_hi_c", jnum(a->loa_hi));
    jadd(b, o, "within_0_3", jnum(a->within_03));
    jadd(b, o, "within_0_5", jnum(a->within_05));
    jadd(b, o, "bias_ci95_c", jci(b, a->bias_ci));
    jadd(b, o, "mae_ci95_c", jci(b, a->mae_ci));
    jadd(b, o, "within_0_3_ci95", jci(b, a->within_03_ci));
    jadd(b, o, "within_0_5_ci95", jci(b, a->within_05_ci));
}

static const char *status_name(fb_subject_status st)
{
    switch (st) {
    case FB_SUBJ_NOT_SCREENABLE: return "not_screenable";
    case FB_SUBJ_MISSED: return "missed";
    case FB_SUBJ_MEASURED: return "measured";
    }
    return "unknown";
}

static void audit_dir_json(jb *b, cJSON *obj, const char *key, const fb_audit_dir *d)
{
    cJSON *o = jadd(b, obj, key, cJSON_CreateObject());
    jadd(b, o, "bytes", juint(d->bytes));
    cJSON *m = jadd(b, o, "messages", cJSON_CreateObject());
    for (size_t i = 0; i < d->n_msgs; i++)
        jadd(b, m, d->msgs[i].name, juint(d->msgs[i].n));
}

/* results.json "blackbody": the reference's failures and what the DUT said (docs/scoring.md). */
static void bb_json(jb *b, cJSON *root, const fb_bb_results *bb)
{
    cJSON *o = jadd(b, root, "blackbody", cJSON_CreateObject());
    jadd(b, o, "failures", juint(bb->episodes));
    jadd(b, o, "required", juint(bb->required));
    jadd(b, o, "detected", juint(bb->detected_required));
    jadd(b, o, "detection_rate", jnum(bb->detection_rate));
    jadd(b, o, "latency_max_s", jnum(bb->latency_max_s));
    jadd(b, o, "recovery_max_s", jnum(bb->recovery_max_s));
    jadd(b, o, "recovery_censored", juint(bb->recovery_censored));
    jadd(b, o, "min_episode_frames", juint(bb->min_episode_frames));
    jadd(b, o, "grace_frames", juint(bb->grace_frames));
    jadd(b, o, "lost_claims", juint(bb->lost_claims));
    jadd(b, o, "false_lost", juint(bb->false_lost));
    jadd(b, o, "false_ok", juint(bb->false_ok));
    cJSON *eps = jadd(b, o, "episodes", cJSON_CreateArray());
    for (size_t i = 0; i < bb->n_ep; i++) {
        const fb_bb_episode *e = &bb->ep[i];
        cJSON *x = jadd(b, eps, NULL, cJSON_CreateObject());
        jadd(b, x, "reason", jstr(fb_bb_truth_name(e->reason)));
        jadd(b, x, "start_s", jnum(e->start_s));
        jadd(b, x, "end_s", jnum(e->end_s));
        jadd(b, x, "ended", cJSON_CreateBool(e->ended));
        jadd(b, x, "required", cJSON_CreateBool(e->required));
        jadd(b, x, "frames", juint(e->frames));
        jadd(b, x, "lost_frames", juint(e->lost_frames));
        jadd(b, x, "lost_share", jnum(e->lost_share));
        jadd(b, x, "detected", cJSON_CreateBool(e->detected));
        jadd(b, x, "latency_s", jnum(e->latency_s));
        jadd(b, x, "recovery_s", jnum(e->recovery_s));
        jadd(b, x, "recovery_interrupted", cJSON_CreateBool(e->recovery_interrupted));
        jadd(b, x, "recovery_censored", cJSON_CreateBool(e->recovery_censored));
    }
}

static void audit_json(jb *b, cJSON *root, const fb_link_audit *a)
{
    cJSON *o = jadd(b, root, "audit", cJSON_CreateObject());
    jadd(b, o, "transport", jstr(a->transport));
    jadd(b, o, "pacing", jstr(a->pacing));
    audit_dir_json(b, o, "to_dut", &a->to_dut);
    audit_dir_json(b, o, "from_dut", &a->from_dut);
    jadd(b, o, "frame_port_bytes", juint(a->frame_port_bytes));
    cJSON *pe = jadd(b, o, "protocol_errors", cJSON_CreateObject());
    jadd(b, pe, "count", juint(a->protocol_errors));
    jadd(b, pe, "first", jstr(a->protocol_errors ? a->first_protocol_error : NULL));
    cJSON *op = jadd(b, o, "outside_protocol", cJSON_CreateObject());
    jadd(b, op, "bytes", juint(a->noise_bytes));
    jadd(b, op, "runs", juint(a->noise_runs));
    char hex[3 * FB_AUDIT_NOISE_HEAD + 1];
    fb_link_audit_noise_hex(a, hex, sizeof hex);
    bool at_frame = a->noise_runs && a->noise_frame >= 0;
    jadd(b, op, "first_frame", at_frame ? juint((uint64_t)a->noise_frame) : cJSON_CreateNull());
    jadd(b, op, "first_hex", jstr(a->noise_runs ? hex : NULL));
    jadd(b, o, "dut_errors", juint(a->dut_errors));
    jadd(b, o, "dut_rx_errors", juint(a->dut_rx_errors));
    cJSON *fd = jadd(b, o, "findings", cJSON_CreateArray());
    for (size_t i = 0; i < a->n_findings; i++)
        jadd(b, fd, NULL, jstr(a->findings[i]));
    jadd(b, o, "clean", cJSON_CreateBool(a->clean));
    if (!a->sandbox[0])
        return;
    cJSON *sb = jadd(b, o, "sandbox", cJSON_CreateObject());
    jadd(b, sb, "mode", jstr(a->sandbox));
    jadd(b, sb, "layers", jstr(a->sandbox_layers));
    jadd(b, sb, "missing", jstr(a->sandbox_missing));
    jadd(b, sb, "egress_attempts", juint(a->egress_attempts));
    jadd(b, sb, "violations", juint(a->sandbox_violations));
    cJSON *at = jadd(b, sb, "attempts", cJSON_CreateArray());
    for (size_t i = 0; i < a->n_attempts; i++) {
        cJSON *x = jadd(b, at, NULL, cJSON_CreateObject());
        jadd(b, x, "frame", juint(a->attempts[i].frame));
        jadd(b, x, "t_s", jnum(a->attempts[i].t_s));
        jadd(b, x, "egress", cJSON_CreateBool(a->attempts[i].egress));
        jadd(b, x, "what", jstr(a->attempts[i].what));
    }
    cJSON *rt = jadd(b, sb, "runtime", cJSON_CreateObject());
    jadd(b, rt, "count", juint(a->runtime_notes));
    cJSON *rn = jadd(b, rt, "notes", cJSON_CreateArray());
    for (size_t i = 0; i < a->n_runtime; i++)
        jadd(b, rn, NULL, jstr(a->runtime[i]));
    cJSON *sf = jadd(b, sb, "scratch", cJSON_CreateObject());
    jadd(b, sf, "files", juint(a->scratch_files));
    jadd(b, sf, "bytes", juint(a->scratch_bytes));
    cJSON *fl = jadd(b, sf, "listed", cJSON_CreateArray());
    for (size_t i = 0; i < a->n_scratch; i++) {
        cJSON *x = jadd(b, fl, NULL, cJSON_CreateObject());
        jadd(b, x, "path", jstr(a->scratch[i].path));
        jadd(b, x, "size_b", juint(a->scratch[i].size_b));
    }
}

static cJSON *results_json(const fb_run_info *ri, const fb_results *r, jb *b)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        b->oom = true;
        return NULL;
    }
    jadd(b, root, "feverbench", jstr(ri->version));
    cJSON *sc = jadd(b, root, "scenario", cJSON_CreateObject());
    jadd(b, sc, "name", jstr(ri->scenario_name));
    jadd(b, sc, "source", jstr(ri->scenario_source));
    jadd(b, sc, "hash", jhex(ri->scenario_hash));
    jadd(b, root, "seed", juint(ri->seed));
    jadd(b, root, "camera", jstr(ri->camera_name));
    if (ri->width > 0 && ri->height > 0) {
        jadd(b, root, "frame_width_px", juint((uint64_t)ri->width));
        jadd(b, root, "frame_height_px", juint((uint64_t)ri->height));
    }
    if (ri->people)
        jadd(b, root, "people", jstr(ri->people));
    jadd(b, root, "dut", jstr(ri->dut_name));
    jadd(b, root, "frames", juint(ri->frames));
    jadd(b, root, "fps", jnum(ri->fps));
    jadd(b, root, "duration_s", jnum(ri->duration_s));
    jadd(b, root, "frames_hash", jhex(ri->frames_hash));
    jadd(b, root, "frames_hash_algorithm",
         jstr(str_or(ri->frames_hash_algorithm, FB_FRAMES_HASH_ALGORITHM)));
    jadd(b, root, "complete", cJSON_CreateBool(ri->complete != 0));
    jadd(b, root, "stop_reason", jstr(ri->complete ? NULL : str_or(ri->stop_reason, "stopped early")));

    cJSON *det = jadd(b, root, "detection", cJSON_CreateObject());
    jadd(b, det, "subjects", juint(r->n_subjects));
    jadd(b, det, "screenable", juint(r->n_screenable));
    jadd(b, det, "measured", juint(r->n_measured));
    jadd(b, det, "missed", juint(r->n_missed));
    jadd(b, det, "measured_unscreenable", juint(r->n_measured_unscreenable));
    jadd(b, det, "measured_early", juint(r->n_early));
    jadd(b, det, "missed_febrile", juint(r->missed_febrile));
    jadd(b, det, "missed_afebrile", juint(r->missed_afebrile));
    jadd(b, det, "min_screenable_frames", juint(FB_MIN_SCREENABLE_FRAMES));
    jadd(b, det, "detection_rate", jnum(r->detection_rate));
    jadd(b, det, "detection_rate_ci95", jci(b, r->detection_rate_ci));
    jadd(b, det, "latency_mean_s", jnum(r->latency_mean_s));
    jadd(b, det, "latency_median_s", jnum(r->latency_median_s));
    jadd(b, det, "latency_p95_s", jnum(r->latency_p95_s));
    jadd(b, det, "latency_max_s", jnum(r->latency_max_s));
    jadd(b, det, "latency_n", juint(r->n_latency));
    jadd(b, det, "latency_mean_ci95_s", jci(b, r->latency_mean_ci));
    jadd(b, det, "latency_median_ci95_s", jci(b, r->latency_median_ci));
    jadd(b, det, "latency_p95_ci95_s", jci(b, r->latency_p95_ci));

    cJSON *acc = jadd(b, root, "accuracy", cJSON_CreateObject());
    jagreement(b, acc, "skin", &r->skin);
    jagreement(b, acc, "body", &r->body);

    cJSON *cls = jadd(b, root, "classification", cJSON_CreateObject());
    jadd(b, cls, "fever_threshold_c", jnum(r->fever_threshold_c));
    jadd(b, cls, "alarm_threshold_c", jnum(r->alarm_threshold_c));
    jadd(b, cls, "tp", juint(r->tp));
    jadd(b, cls, "fp", juint(r->fp));
    jadd(b, cls, "tn", juint(r->tn));
    jadd(b, cls, "fn", juint(r->fn));
    jadd(b, cls, "sensitivity", jnum(r->sensitivity));
    jadd(b, cls, "specificity", jnum(r->specificity));
    jadd(b, cls, "ppv", jnum(r->ppv));
    jadd(b, cls, "auc", jnum(r->auc));
    jadd(b, cls, "sensitivity_n", juint(r->tp + r->fn));
    jadd(b, cls, "sensitivity_ci95", jci(b, r->sensitivity_ci));
    jadd(b, cls, "specificity_n", juint(r->tn + r->fp));
    jadd(b, cls, "specificity_ci95", jci(b, r->specificity_ci));
    jadd(b, cls, "ppv_n", juint(r->tp + r->fp));
    jadd(b, cls, "ppv_ci95", jci(b, r->ppv_ci));
    jadd(b, cls, "auc_n_febrile", juint(r->auc_n_pos));
    jadd(b, cls, "auc_n_afebrile", juint(r->auc_n_neg));
    jadd(b, cls, "auc_ci95", jci(b, r->auc_ci));
    jadd(b, cls, "afebrile_alarms", juint(r->afebrile_alarms));
    jadd(b, cls, "false_alarms", juint(r->false_alarms));

    cJSON *evs = jadd(b, root, "events", cJSON_CreateObject());
    jadd(b, evs, "unmatched_measurements", juint(r->unmatched_measurements));
    jadd(b, evs, "duplicate_measurements", juint(r->duplicate_measurements));
    jadd(b, evs, "duplicate_alarms", juint(r->duplicate_alarms));
    jadd(b, evs, "status_events", juint(r->status_events));

    if (r->bb.applicable)
        bb_json(b, root, &r->bb);

    jadd(b, root, "throughput_per_min", jnum(r->throughput_per_min));
    cJSON *fl = jadd(b, root, "faults", cJSON_CreateObject());
    jadd(b, fl, "count", juint(r->dut_faults));
    jadd(b, fl, "first", jstr(r->dut_faults ? r->first_fault : NULL));
    if (ri->audit)
        audit_json(b, root, ri->audit);

    cJSON *crit = jadd(b, root, "criteria", cJSON_CreateArray());
    for (size_t i = 0; i < r->n_criteria; i++) {
        const fb_criterion_result *c = &r->criteria[i];
        const fb_criterion_desc *d = fb_criterion_get(c->id);
        cJSON *o = jadd(b, crit, NULL, cJSON_CreateObject());
        jadd(b, o, "key", jstr(d->key));
        jadd(b, o, "limit", jnum(c->limit));
        jadd(b, o, "actual", jnum(c->actual));
        jadd(b, o, "pass", cJSON_CreateBool(c->pass));
        jadd(b, o, "verdict", jstr(criterion_verdict(c)));
        jadd(b, o, "n", c->n ? juint(c->n) : cJSON_CreateNull());
        jadd(b, o, "ci95", jci(b, c->ci));
        jadd(b, o, "n_to_settle", c->n_to_settle ? juint(c->n_to_settle) : cJSON_CreateNull());
        jadd(b, o, "unit", jstr(d->unit));
        jadd(b, o, "what", jstr(d->what));
    }

    cJSON *subj = jadd(b, root, "subjects", cJSON_CreateArray());
    for (size_t i = 0; r->subjects && i < r->n_subjects; i++) {
        const fb_subject_result *s = &r->subjects[i];
        cJSON *o = jadd(b, subj, NULL, cJSON_CreateObject());
        jadd(b, o, "id", jstr(s->info.id));
        jadd(b, o, "enter_s", jnum(s->info.enter_s));
        jadd(b, o, "core_c", jnum(s->info.core_c));
        jadd(b, o, "febrile", cJSON_CreateBool(s->info.febrile));
        cJSON *conf = jadd(b, o, "confounders", cJSON_CreateArray()); /* models/confounders.h */
        for (unsigned k = 0; conf && k < FB_CONF_COUNT; k++)
            if (s->info.confounders >> k & 1u)
                jadd(b, conf, NULL, jstr(fb_confounder_name(k)));
        jadd(b, o, "status", jstr(status_name(s->status)));
        jadd(b, o, "screenable_from_s", jnum(s->screenable_from_s));
        jadd(b, o, "screenable_frames", juint(s->screenable_frames));
        jadd(b, o, "early", cJSON_CreateBool(s->early));
        jadd(b, o, "measured_at_s", jnum(s->measured_at_s));
        jadd(b, o, "latency_s", jnum(s->latency_s));
        jadd(b, o, "skin_true_c", jnum(s->skin_true_c));
        jadd(b, o, "skin_reported_c", jnum(s->skin_reported_c));
        jadd(b, o, "body_reported_c", jnum(s->body_reported_c));
        jadd(b, o, "alarm", cJSON_CreateBool(s->alarm));
        jadd(b, o, "measurements", juint(s->n_measurements));
    }
    jadd(b, root, "pass", cJSON_CreateBool(run_passed(ri, r)));
    return root;
}

static int write_text(FILE *f, const void *ctx)
{
    const char *text = ctx;
    if (fputs(text, f) == EOF || fputc('\n', f) == EOF)
        return errno ? errno : EIO;
    return 0;
}

/* ---- junit.xml ---------------------------------------------------------------------- */

/* XML-escapes s for text and attribute values; invalid UTF-8 and control characters
 * (not allowed in XML 1.0) become '?'. */
static void put_xml(FILE *f, const char *s)
{
    put_sanitized(f, s, 1);
}

typedef struct junit_ctx {
    const fb_run_info *ri;
    const fb_results *r;
} junit_ctx;

static void junit_case(FILE *f, const char *cls, const char *name)
{
    fputs("  <testcase name=\"", f);
    put_xml(f, name);
    fputs("\" classname=\"", f);
    put_xml(f, cls);
    fputs("\"", f);
}

static void junit_num(FILE *f, const char *name, double v)
{
    char b[32];
    fprintf(f, "    <property name=\"%s\" value=\"%s\"/>\n", name,
            isfinite(v) ? fmt_value(b, sizeof b, v) : "null");
}

/* The run's size and headline numbers as properties (deterministic: simulated time, no wall
 * clock, so junit.xml stays byte-identical for the same seed). */
static void junit_result_properties(FILE *f, const fb_run_info *ri, const fb_results *r)
{
    fprintf(f, "    <property name=\"duration_s\" value=\"%.3f\"/>\n", ri->duration_s);
    fprintf(f, "    <property name=\"n_subjects\" value=\"%zu\"/>\n", r->n_subjects);
    fprintf(f, "    <property name=\"n_screenable\" value=\"%zu\"/>\n", r->n_screenable);
    fprintf(f, "    <property name=\"n_measured\" value=\"%zu\"/>\n", r->n_measured);
    junit_num(f, "detection_rate", r->detection_rate);
    junit_num(f, "latency_p95_s", r->latency_p95_s);
    junit_num(f, "skin_mae_c", r->skin.mae);
    junit_num(f, "skin_bias_c", r->skin.bias);
    junit_num(f, "sensitivity", r->sensitivity);
    junit_num(f, "specificity", r->specificity);
    junit_num(f, "auc", r->auc);
    fprintf(f, "    <property name=\"false_alarms\" value=\"%zu\"/>\n", (size_t)r->false_alarms);
    fprintf(f, "    <property name=\"unmatched_measurements\" value=\"%zu\"/>\n",
            (size_t)r->unmatched_measurements);
}

/* "inconclusive: 95 % CI lo..hi (n N) contains the limit; n ~ M would settle it" or "" (plain
 * ASCII and digits: safe inside an XML attribute). */
static void junit_inconclusive(char *buf, size_t len, const fb_criterion_result *c)
{
    buf[0] = 0;
    if (c->confidence != FB_CONF_INCONCLUSIVE)
        return;
    char hi[32];
    if (isinf(c->ci.hi))
        snprintf(hi, sizeof hi, "%s", "unbounded");
    else
        snprintf(hi, sizeof hi, "%.3f", c->ci.hi);
    int k = snprintf(buf, len, "inconclusive: 95 %% CI %.3f..%s (n %zu) contains the limit", c->ci.lo,
                     hi, c->n);
    if (c->n_to_settle && k > 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, "; n ~ %" PRIu64 " would settle it", c->n_to_settle);
}

static int write_junit(FILE *f, const void *vctx)
{
    const junit_ctx *ctx = vctx;
    const fb_run_info *ri = ctx->ri;
    const fb_results *r = ctx->r;
    const char *name = str_or(ri->scenario_name, "unnamed");
    size_t tests = r->n_criteria + 2;
    size_t failures = criteria_failed(r) + (r->dut_faults > 0) + (ri->complete == 0);
    char b1[32], b2[32];

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"feverbench.", f);
    put_xml(f, name);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", tests, failures);
    fputs("  <properties>\n", f);
    fprintf(f, "    <property name=\"seed\" value=\"%" PRIu64 "\"/>\n", ri->seed);
    fputs("    <property name=\"version\" value=\"", f);
    put_xml(f, str_or(ri->version, ""));
    fprintf(f, "\"/>\n    <property name=\"scenario_hash\" value=\"%016" PRIx64 "\"/>\n",
            ri->scenario_hash);
    fputs("    <property name=\"scenario_source\" value=\"", f);
    put_xml(f, str_or(ri->scenario_source, ""));
    fputs("\"/>\n    <property name=\"camera\" value=\"", f);
    put_xml(f, str_or(ri->camera_name, ""));
    fputs("\"/>\n    <property name=\"dut\" value=\"", f);
    put_xml(f, str_or(ri->dut_name, ""));
    fprintf(f, "\"/>\n    <property name=\"frames_hash\" value=\"%016" PRIx64 "\"/>\n",
            ri->frames_hash);
    junit_result_properties(f, ri, r);
    fputs("  </properties>\n", f);

    for (size_t i = 0; i < r->n_criteria; i++) {
        const fb_criterion_result *c = &r->criteria[i];
        const fb_criterion_desc *d = fb_criterion_get(c->id);
        junit_case(f, name, d->key);
        char why[160];
        junit_inconclusive(why, sizeof why, c);
        if (c->pass) {
            if (*why) /* passes the gate; the note says the data cannot yet tell */
                fprintf(f, ">\n    <system-out>%s</system-out>\n  </testcase>\n", why);
            else
                fputs("/>\n", f);
            continue;
        }
        fprintf(f, ">\n    <failure type=\"criterion\" message=\"actual %s, expected %s %s%s%s\">",
                fmt_value(b1, sizeof b1, c->actual), d->is_min ? "&gt;=" : "&lt;=",
                fmt_value(b2, sizeof b2, c->limit), *why ? "; " : "", why);
        put_xml(f, d->what);
        if (*d->unit) {
            fputs(" [", f);
            put_xml(f, d->unit);
            fputs("]", f);
        }
        fputs("</failure>\n  </testcase>\n", f);
    }

    junit_case(f, name, "dut_faults");
    if (r->dut_faults == 0) {
        fputs("/>\n", f);
    } else {
        fprintf(f, ">\n    <failure type=\"dut_fault\" message=\"%zu DUT fault%s, first: ",
                r->dut_faults, r->dut_faults == 1 ? "" : "s");
        put_xml(f, r->first_fault);
        fputs("\">", f);
        put_xml(f, r->first_fault);
        fputs("</failure>\n  </testcase>\n", f);
    }

    junit_case(f, name, "run_complete");
    if (ri->complete) {
        fputs("/>\n", f);
    } else {
        fputs(">\n    <failure type=\"incomplete\" message=\"run stopped early: ", f);
        put_xml(f, str_or(ri->stop_reason, "stopped early"));
        fputs("\"/>\n  </testcase>\n", f);
    }
    fputs("</testsuite>\n", f);
    return 0;
}

int fb_report_write(const char *dir, const fb_run_info *ri, const fb_results *r, char *err,
                    size_t err_len)
{
    if (!dir || !ri || !r) {
        if (err && err_len)
            snprintf(err, err_len, "fb_report_write: %s", fb_strerror(FB_ERR_ARG));
        return FB_ERR_ARG;
    }
    jb b = {false};
    cJSON *root = results_json(ri, r, &b);
    char *text = (root && !b.oom) ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        if (err && err_len)
            snprintf(err, err_len, "%s/results.json: %s", dir, fb_strerror(FB_ERR_NOMEM));
        return FB_ERR_NOMEM;
    }
    int rc = write_atomic(dir, "results.json", write_text, text, err, err_len);
    cJSON_free(text);
    if (rc != 0)
        return rc;
    junit_ctx ctx = {ri, r};
    return write_atomic(dir, "junit.xml", write_junit, &ctx, err, err_len);
}

/* ---- JSON Lines streams ------------------------------------------------------------- */

typedef struct stream_file {
    FILE *f;
    int err; /* first errno seen while writing, 0 if none */
    char path[PATH_LEN];
} stream_file;

struct fb_stream {
    stream_file events, truth;
};

static int stream_file_open(stream_file *sf, const char *dir, const char *name, char *err,
                            size_t err_len)
{
    int n = snprintf(sf->path, sizeof sf->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof sf->path) {
        set_err(err, err_len, dir, ENAMETOOLONG);
        return FB_ERR_IO;
    }
    sf->f = fopen(sf->path, "w");
    if (!sf->f) {
        set_err(err, err_len, sf->path, errno);
        return FB_ERR_IO;
    }
    setvbuf(sf->f, NULL, _IOFBF, 1 << 16);
    return FB_OK;
}

/* Closes sf; returns the first error (errno value) seen while writing or closing, 0 if none. */
static int stream_file_close(stream_file *sf)
{
    int e = sf->err;
    if (!sf->f)
        return e;
    errno = 0;
    if (fflush(sf->f) != 0 && e == 0)
        e = errno ? errno : EIO;
    if (ferror(sf->f) && e == 0)
        e = EIO;
    if (fclose(sf->f) != 0 && e == 0)
        e = errno ? errno : EIO;
    sf->f = NULL;
    return e;
}

fb_stream *fb_stream_open(const char *dir, char *err, size_t err_len)
{
    if (!dir) {
        if (err && err_len)
            snprintf(err, err_len, "fb_stream_open: %s", fb_strerror(FB_ERR_ARG));
        return NULL;
    }
    fb_stream *st = calloc(1, sizeof *st);
    if (!st) {
        if (err && err_len)
            snprintf(err, err_len, "%s: %s", dir, fb_strerror(FB_ERR_NOMEM));
        return NULL;
    }
    if (stream_file_open(&st->events, dir, "events.jsonl", err, err_len) != 0 ||
        stream_file_open(&st->truth, dir, "truth.jsonl", err, err_len) != 0) {
        stream_file_close(&st->events);
        stream_file_close(&st->truth);
        free(st);
        return NULL;
    }
    return st;
}

static void note_write(stream_file *sf, int rc)
{
    if (rc < 0 && sf->err == 0)
        sf->err = errno ? errno : EIO;
}

/* Fixed-decimal JSON number (printf's "%.*f", written without printf: some hundred a frame),
 * or null when undefined. */
static void put_num(stream_file *sf, double v, int decimals)
{
    if (isfinite(v)) {
        char buf[FB_FIXED_MAX];
        size_t n = fb_format_fixed(buf, v, decimals);
        note_write(sf, fwrite(buf, 1, n, sf->f) == n ? 0 : -1);
    } else {
        note_write(sf, fputs("null", sf->f));
    }
}

void fb_stream_truth(fb_stream *st, const fb_truth_frame *tf)
{
    if (!st || !tf)
        return;
    stream_file *sf = &st->truth;
    FILE *f = sf->f;
    note_write(sf, fprintf(f, "{\"frame\":%" PRIu32 ",\"t_s\":", tf->frame));
    put_num(sf, tf->t_s, 6);
    fputs(",\"ambient_c\":", f);
    put_num(sf, tf->ambient_c, 4);
    fputs(",\"blackbody_c\":", f);
    put_num(sf, tf->blackbody_c, 4);
    if (tf->blackbody_state != FB_BBT_NONE) {
        note_write(sf, fprintf(f, ",\"blackbody_state\":\"%s\",\"blackbody_fault\":%s,"
                                  "\"blackbody_visible\":",
                               fb_bb_truth_name(tf->blackbody_state),
                               tf->blackbody_fault ? "true" : "false"));
        put_num(sf, tf->blackbody_visible, 3);
    }
    fputs(",\"subjects\":[", f);
    for (size_t i = 0; tf->subjects && i < tf->n_subjects; i++) {
        const fb_truth_subject *s = &tf->subjects[i];
        note_write(sf, fprintf(f, "%s{\"subject\":%" PRIu32 ",\"in_view\":%s,\"distance_m\":",
                               i ? "," : "", s->subject, s->in_view ? "true" : "false"));
        put_num(sf, s->distance_m, 4);
        fputs(",\"face\":[", f);
        put_num(sf, s->face_x, 2);
        fputc(',', f);
        put_num(sf, s->face_y, 2);
        fputc(',', f);
        put_num(sf, s->face_w, 2);
        fputc(',', f);
        put_num(sf, s->face_h, 2);
        fputs("],\"face_px\":", f);
        put_num(sf, s->face_px, 2);
        fputs(",\"face_visible\":", f);
        put_num(sf, s->face_visible, 4);
        fputs(",\"canthus_visible\":", f);
        put_num(sf, s->canthus_visible, 4);
        note_write(sf, fprintf(f, ",\"screenable\":%s,\"canthus_c\":",
                               s->screenable ? "true" : "false"));
        put_num(sf, s->canthus_c, 4);
        fputs(",\"yaw_deg\":", f);
        put_num(sf, s->yaw_deg, 2);
        fputc('}', f);
    }
    note_write(sf, fputs("]}\n", f));
}

void fb_stream_events(fb_stream *st, const fb_event *events, size_t n)
{
    if (!st || !events)
        return;
    stream_file *sf = &st->events;
    for (size_t i = 0; i < n; i++) {
        const fb_event *e = &events[i];
        const fbfw_event *ev = &e->ev;
        char kind[24];
        if (ev->kind == FBFW_EV_MEASUREMENT)
            snprintf(kind, sizeof kind, "measurement");
        else if (ev->kind == FBFW_EV_STATUS)
            snprintf(kind, sizeof kind, "status");
        else
            snprintf(kind, sizeof kind, "unknown(%u)", (unsigned)ev->kind);
        note_write(sf, fprintf(sf->f, "{\"arrival_frame\":%" PRIu32 ",\"arrival_t_s\":",
                               e->arrival_frame));
        put_num(sf, e->arrival_t_s, 6);
        note_write(sf, fprintf(sf->f,
                               ",\"kind\":\"%s\",\"frame\":%" PRIu32 ",\"track_id\":%" PRIu32
                               ",\"box\":[%u,%u,%u,%u],\"skin_c\":%.2f,\"body_c\":%.2f"
                               ",\"alarm\":%s,\"status\":%u}\n",
                               kind, ev->frame, ev->track_id, (unsigned)ev->box_x,
                               (unsigned)ev->box_y, (unsigned)ev->box_w, (unsigned)ev->box_h,
                               ev->skin_ck / 100.0 - 273.15, ev->body_ck / 100.0 - 273.15,
                               ev->alarm ? "true" : "false", (unsigned)ev->status));
    }
}

int fb_stream_close(fb_stream *st, char *err, size_t err_len)
{
    if (!st)
        return FB_OK;
    int e1 = stream_file_close(&st->events);
    int e2 = stream_file_close(&st->truth);
    int rc = FB_OK;
    if (e1) {
        set_err(err, err_len, st->events.path, e1);
        rc = FB_ERR_IO;
    } else if (e2) {
        set_err(err, err_len, st->truth.path, e2);
        rc = FB_ERR_IO;
    }
    free(st);
    return rc;
}
