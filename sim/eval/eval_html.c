/* eval_html.c — report.html of `feverbench evaluate`: one self-contained page (inline CSS, inline
 * SVG drawn here), no script, no network, no timestamps (same runs, same bytes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluate.h"

static const char *const palette[] = {"#1b6ca8", "#d1495b", "#2a9d8f", "#e9a03b",
                                      "#7b4fa0", "#6d6875", "#c05299", "#3d405b"};
#define COLOR(k) palette[(k) % (sizeof palette / sizeof palette[0])]

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}


/* ---- confidence (docs/evaluation.md: Confidence) ---- */
/* " lo–hi" small print under a number, or nothing when there is no interval. */
static void ci_small(FILE *f, fb_interval ci, int decimals, size_t k, size_t n, int share)
{
    if (!isfinite(ci.lo) || isnan(ci.hi))
        return;
    fputs("<span class=\"why\">", f);
    if (share)
        fprintf(f, "%zu/%zu · ", k, n);
    else if (n)
        fprintf(f, "n %zu · ", n);
    if (isinf(ci.hi)) /* a p95 of fewer than 72 latencies: nothing measured bounds it above */
        fprintf(f, "95 %% CI %.*f … no upper bound</span>", decimals, fb_eval_round(ci.lo, 1e-4));
    else
        fprintf(f, "95 %% CI %.*f … %.*f</span>", decimals, fb_eval_round(ci.lo, 1e-4), decimals,
                fb_eval_round(ci.hi, 1e-4));
}

/* A number cell that names the report.json value it shows (tests/evaluate compare them), with
 * its interval under it. */
static void num_ci_cell(FILE *f, double v, int decimals, size_t rank_i, const char *key, fb_interval ci,
                        size_t k, size_t n, int share)
{
    fprintf(f, "<td class=\"n\" data-json=\"candidates.%zu.%s\">", rank_i, key);
    if (isfinite(v))
        fprintf(f, "%.*f", decimals, fb_eval_round(v, 1e-4));
    else
        fputs("–", f);
    ci_small(f, ci, decimals, k, n, share);
    fputs("</td>", f);
}

/* Under the summary: which neighbours in the ranking the data cannot tell apart. */
static void indistinct_note(const fb_eval *ev, FILE *f)
{
    int any = 0;
    for (size_t k = 1; k < ev->n_cands; k++) {
        const fb_eval_candidate *b = &ev->cands[ev->order[k]], *a = &ev->cands[ev->order[k - 1]];
        if (!b->indistinct)
            continue;
        if (!any)
            fputs("<p class=\"note\"><b>Not distinguishable:</b> ", f);
        fprintf(f, "%s#%d ", any ? "; " : "", b->rank);
        esc(f, b->label);
        fprintf(f, " and #%d ", a->rank);
        esc(f, a->label);
        any = 1;
    }
    if (any)
        fputs(" — every test verdict that differs between them rests on an inconclusive check (the "
              "limit lies inside the 95 % interval) and their pooled skin-MAE, sensitivity, "
              "specificity and AUC intervals overlap: their order is not evidence that one is better. More "
              "seeds (<code>--seeds N</code>) or the full scale can separate them.</p>\n",
              f);
}

/* The checks of a passing or failing run that the sample cannot carry, as small print. */
static void inconclusive_small(const fb_eval *ev, FILE *f, const fb_eval_run *r)
{
    int any = 0;
    for (size_t c = 0; c < ev->n_checks && c < 32; c++) {
        const fb_eval_conf *k = &r->conf[c];
        if (r->check[c] == FB_EVAL_NA || k->confidence != FB_CONF_INCONCLUSIVE)
            continue;
        fputs(any ? "; " : "<span class=\"why inc\">inconclusive: ", f);
        fprintf(f, "%s", ev->checks[c].id);
        if (k->share)
            fprintf(f, " %zu/%zu", k->k, k->n);
        if (k->n_to_settle)
            fprintf(f, " (n ≈ %llu would settle it)", (unsigned long long)k->n_to_settle);
        any = 1;
    }
    if (any)
        fputs("</span>", f);
}

/* Who was in the run: screenable, measured, missed (febrile), never screenable long enough. */
static void people_cell(FILE *f, const fb_eval_run *r)
{
    const fb_eval_people *p = &r->people;
    fprintf(f, "<td class=\"n\">%zu / %zu", p->measured, p->scored);
    if (p->missed)
        fprintf(f, "<span class=\"why\">missed %zu (febrile %zu)</span>", p->missed, p->missed_febrile);
    if (p->not_screenable)
        fprintf(f, "<span class=\"why\">%zu not screenable</span>", p->not_screenable);
    if (r->n_seeds > 1)
        fprintf(f, "<span class=\"why\">%zu seeds</span>", r->n_seeds);
    fputs("</td>", f);
}

/* The cameras the candidates used, as their profiles specify them (report.json "cameras"). */
static void camera_table(const fb_eval *ev, FILE *f)
{
    if (!ev->n_cameras)
        return;
    fputs("<h2 id=\"cameras\">Cameras</h2>\n<p class=\"note\">The camera profiles the candidates ran on, as "
          "modelled (docs/scenario.md: camera profiles): the frames the firmware saw have this size, rate and "
          "noise.</p>\n<table><tr><th>camera</th><th>frame px</th><th>HFOV °</th><th>fps</th><th>NETD mK</th>"
          "<th>pixel µm</th><th>f/#</th><th>shutter (FFC) every s</th><th>drift SD °C</th><th>what</th></tr>\n",
          f);
    for (size_t i = 0; i < ev->n_cameras; i++) {
        const fb_camera_profile *p = &ev->cameras[i];
        fprintf(f, "<tr><td data-json=\"cameras.%zu.name\">", i);
        esc(f, p->name);
        fprintf(f, "</td><td class=\"n\">%d × %d</td>", p->width, p->height);
        fprintf(f, "<td class=\"n\" data-json=\"cameras.%zu.hfov_deg\">%g</td>", i, fb_eval_round(p->hfov_deg, 1e-4));
        fprintf(f, "<td class=\"n\" data-json=\"cameras.%zu.fps\">%g</td>", i, fb_eval_round(p->fps, 1e-4));
        fprintf(f, "<td class=\"n\" data-json=\"cameras.%zu.netd_mk\">%g</td>", i, fb_eval_round(p->netd_mk, 1e-4));
        fprintf(f, "<td class=\"n\">%g</td><td class=\"n\">%g</td>", fb_eval_round(p->pixel_pitch_um, 1e-4),
                fb_eval_round(p->f_number, 1e-4));
        if (p->ffc_period_s > 0)
            fprintf(f, "<td class=\"n\">%g</td>", fb_eval_round(p->ffc_period_s, 1e-4));
        else
            fputs("<td class=\"n\">–</td>", f);
        fprintf(f, "<td class=\"n\">%g</td><td class=\"desc\">", fb_eval_round(p->drift_sd_c, 1e-4));
        esc(f, p->description);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* ---- security (docs/evaluation.md: Security; eval_security.c) ---- */
static const char *security_class(const fb_eval_security *s)
{
    return strcmp(s->verdict, "clean") == 0 ? "pass" : strcmp(s->verdict, "flagged") == 0 ? "fail" : "na";
}

/* The summary's security column: the verdict, and under it what was counted. */
static void security_cell(FILE *f, const fb_eval_candidate *c, size_t rank_i)
{
    const fb_eval_security *s = &c->security;
    fprintf(f, "<td class=\"%s\"><span data-json=\"candidates.%zu.security.verdict\">%s</span>", security_class(s),
            rank_i, s->verdict);
    if (!strcmp(s->verdict, "unchecked")) {
        fputs("<span class=\"why\">", f);
        esc(f, s->why);
        fputs("</span>", f);
    } else {
        fprintf(f, "<span class=\"why\"><span data-json=\"candidates.%zu.security.egress_attempts\">%llu</span> network · "
                   "<span data-json=\"candidates.%zu.security.violations\">%llu</span> denied in all</span>",
                rank_i, (unsigned long long)s->egress, rank_i, (unsigned long long)s->violations);
    }
    if (s->scratch_files)
        fprintf(f, "<span class=\"why\"><span data-json=\"candidates.%zu.security.scratch_files\">%llu</span> files "
                   "left (%llu bytes)</span>",
                rank_i, (unsigned long long)s->scratch_files, (unsigned long long)s->scratch_bytes);
    if (s->missing[0]) {
        fputs("<span class=\"why\">missing: ", f);
        esc(f, s->missing);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static const char *kind_label(const char *kind)
{
    return strcmp(kind, "network") == 0   ? "network"
           : strcmp(kind, "read") == 0    ? "read a file outside its view"
           : strcmp(kind, "write") == 0   ? "write outside its scratch folder"
           : strcmp(kind, "execute") == 0 ? "run another program"
           : strcmp(kind, "process") == 0 ? "reach into another process"
                                          : "other";
}

/* What each candidate tried beyond the link, for a buyer: counts, and the first few attempts and
 * files with where they were first seen. */
static void security_section(const fb_eval *ev, FILE *f)
{
    fputs("<h2 id=\"security\">Security: what the firmware tried</h2>\n<p class=\"note\">Every firmware that is not "
          "built into the bench ran in a sandbox (docs/security.md): no network but an empty one, a read-only view "
          "of the system without the user's files, a private scratch folder that is deleted after each run, no "
          "other processes. Whatever it tried beyond the link was denied and recorded. <b>Flagged</b>: it tried "
          "something — the list below says what, how often, and where first. <b>Clean</b>: nothing denied in any "
          "test. <b>Unchecked</b>: the bench cannot vouch for it (a firmware built into the bench, or "
          "<code>--sandbox off</code>). Files left in the scratch folder are no violation (the folder is its own), "
          "but a copy of a frame is a picture of a face: they are listed.</p>\n",
          f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[ev->order[k]];
        const fb_eval_security *s = &c->security;
        fprintf(f, "<h3>#%d ", c->rank);
        esc(f, c->label);
        fprintf(f, " — <span class=\"%s\" data-verdict=\"%s\">%s</span></h3>\n<p class=\"note\">", security_class(s),
                s->verdict, s->verdict);
        if (!strcmp(s->verdict, "unchecked")) {
            esc(f, s->why);
            fputs(".", f);
        } else {
            fprintf(f, "Sandboxed in %zu of %zu tests", s->tests_sandboxed, s->tests);
            if (s->missing[0]) {
                fputs(" (layers the kernel refused: ", f);
                esc(f, s->missing);
                fputs(")", f);
            }
            if (s->violations)
                fprintf(f, ". Denied: %llu attempts (%llu network) in %zu test%s.",
                        (unsigned long long)s->violations, (unsigned long long)s->egress, s->tests_flagged,
                        s->tests_flagged == 1 ? "" : "s");
            else
                fputs(". Nothing denied.", f);
        }
        if (s->scratch_files)
            fprintf(f, " Left in its scratch folder: %llu files, %llu bytes, in %zu test%s.",
                    (unsigned long long)s->scratch_files, (unsigned long long)s->scratch_bytes, s->tests_with_files,
                    s->tests_with_files == 1 ? "" : "s");
        fputs("</p>\n", f);
        if (s->n_findings) {
            fputs("<table class=\"security\"><tr><th>what it tried</th><th>attempt</th><th>times</th><th>tests</th>"
                  "<th>first seen</th></tr>\n",
                  f);
            for (size_t i = 0; i < s->n_findings; i++) {
                const fb_eval_sec_finding *x = &s->findings[i];
                fprintf(f, "<tr><td>%s</td><td><code data-json=\"candidates.%zu.security.findings.%zu.what\">", kind_label(x->kind),
                        k, i);
                esc(f, x->what);
                fprintf(f, "</code></td><td class=\"n\" data-json=\"candidates.%zu.security.findings.%zu.count\">%zu</td>"
                           "<td class=\"n\">%zu</td><td>",
                        k, i, x->count, x->tests);
                esc(f, x->first_test);
                fprintf(f, ", frame %u", (unsigned)x->first_frame);
                if (isfinite(x->first_t_s))
                    fprintf(f, ", %.3f s after the firmware started", x->first_t_s);
                fputs("</td></tr>\n", f);
            }
            fputs("</table>\n", f);
            if (s->more_findings)
                fprintf(f, "<p class=\"note\">%zu more attempts of other kinds or words (report.json has the counts; each "
                           "run's results.json lists its own).</p>\n",
                        s->more_findings);
            if (s->attempts_listed < s->violations)
                fprintf(f, "<p class=\"note\">Times count the attempts the runs listed (%zu, up to 32 per run) of the "
                           "%llu denied.</p>\n",
                        s->attempts_listed, (unsigned long long)s->violations);
        }
        if (s->n_files) {
            fputs("<table class=\"security\"><tr><th>file left in scratch</th><th>bytes</th><th>test</th></tr>\n", f);
            for (size_t i = 0; i < s->n_files; i++) {
                fputs("<tr><td><code>", f);
                esc(f, s->files[i].path);
                fprintf(f, "</code></td><td class=\"n\">%llu</td><td>", (unsigned long long)s->files[i].size_b);
                esc(f, s->files[i].test);
                fputs("</td></tr>\n", f);
            }
            fputs("</table>\n", f);
            if (s->scratch_files > s->n_files)
                fprintf(f, "<p class=\"note\">The first %zu of %llu files (each run lists its first 16).</p>\n", s->n_files,
                        (unsigned long long)s->scratch_files);
        }
    }
}

/* ---- a small SVG plot ---- */
typedef struct plot {
    FILE *f;
    double x0, x1, y0, y1;
    double w, h, ml, mr, mt, mb;
} plot;

static double px(const plot *p, double x)
{
    return p->ml + (x - p->x0) / (p->x1 - p->x0) * (p->w - p->ml - p->mr);
}

static double py(const plot *p, double y)
{
    return p->h - p->mb - (y - p->y0) / (p->y1 - p->y0) * (p->h - p->mt - p->mb);
}

static double nice_step(double span)
{
    double raw = span / 5.0, mag = pow(10.0, floor(log10(raw)));
    double r = raw / mag;
    return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void plot_begin(plot *p, FILE *f, double w, double h, double x0, double x1, double y0,
                       double y1, const char *title, const char *xl, const char *yl)
{
    if (!(x1 > x0)) { x0 -= 1; x1 += 1; }
    if (!(y1 > y0)) { y0 -= 1; y1 += 1; }
    *p = (plot){f, x0, x1, y0, y1, w, h, 58, 14, 30, 44};
    fprintf(f, "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            w, h, w, h);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", w, h);
    fprintf(f, "<text x=\"%.1f\" y=\"18\" class=\"pt\">", p->ml);
    esc(f, title);
    fputs("</text>\n", f);
    double sx = nice_step(x1 - x0), sy = nice_step(y1 - y0);
    for (double x = ceil(x0 / sx) * sx; x <= x1 + 1e-9; x += sx) {
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", px(p, x), p->mt, px(p, x),
                h - p->mb);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%g</text>\n", px(p, x),
                h - p->mb + 14, fabs(x) < 1e-9 ? 0.0 : x);
    }
    for (double y = ceil(y0 / sy) * sy; yl[0] && y <= y1 + 1e-9; y += sy) { /* no y label: no y ticks */
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", p->ml, py(p, y),
                w - p->mr, py(p, y));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%g</text>\n", p->ml - 5,
                py(p, y) + 4, fabs(y) < 1e-9 ? 0.0 : y);
    }
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n", p->ml, p->mt,
            w - p->ml - p->mr, h - p->mt - p->mb);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\">", (p->ml + w - p->mr) / 2, h - 8);
    esc(f, xl);
    fprintf(f, "</text><text transform=\"translate(14 %.1f) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">",
            (p->mt + h - p->mb) / 2);
    esc(f, yl);
    fputs("</text>\n", f);
}

static void hline(const plot *p, double y, const char *color, const char *dash, const char *label)
{
    if (!isfinite(y) || y < p->y0 || y > p->y1)
        return;
    fprintf(p->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"%s\" stroke-width=\"1.2\"/>",
            p->ml, py(p, y), p->w - p->mr, py(p, y), color, dash);
    if (label)
        fprintf(p->f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
                p->w - p->mr - 3, py(p, y) - 3, color, label);
}

static void dot(const plot *p, double x, double y, const char *color, double r)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (x < p->x0) x = p->x0;
    if (x > p->x1) x = p->x1;
    if (y < p->y0) y = p->y0;
    if (y > p->y1) y = p->y1;
    fprintf(p->f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"0.75\"/>", px(p, x), py(p, y),
            r, color);
}

static void legend(const fb_eval *ev, FILE *f)
{
    fputs("<div class=\"legend\">", f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        fprintf(f, "<span><i style=\"background:%s\"></i>", COLOR(i));
        esc(f, ev->cands[i].label);
        fputs("</span>", f);
    }
    fputs("</div>\n", f);
}

static int test_index(const fb_eval *ev, const char *id)
{
    for (size_t t = 0; t < ev->n_tests; t++)
        if (strcmp(ev->tests[t].id, id) == 0)
            return (int)t;
    return -1;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Bland–Altman per candidate: difference against mean of reported and true canthus. */
static void plot_bland_altman(const fb_eval *ev, FILE *f)
{
    fputs("<h2 id=\"bland-altman\">Agreement: Bland–Altman</h2>\n<p class=\"note\">Every measured reading of every test: "
          "reported − true canthus temperature against their mean. Solid line: bias; dashed: 95 % limits of "
          "agreement; grey band: the ±0.3 °C a blackbody system claims. Points outside ±2 °C sit on the edge.</p>\n<div class=\"grid\">\n",
          f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        const fb_eval_candidate *c = &ev->cands[i];
        double lo = 1e9, hi = -1e9;
        for (size_t t = 0; t < ev->n_tests; t++)
            for (size_t s = 0; s < c->runs[t].n_subj; s++) {
                const fb_eval_subject *e = &c->runs[t].subj[s];
                if (!e->measured || !isfinite(e->skin_reported_c))
                    continue;
                double m = (e->skin_reported_c + e->skin_true_c) / 2;
                lo = m < lo ? m : lo;
                hi = m > hi ? m : hi;
            }
        if (lo > hi) { lo = 33; hi = 37; }
        plot p;
        char title[256];
        snprintf(title, sizeof title, "#%d %s", c->rank, c->label);
        plot_begin(&p, f, 340, 240, floor(lo - 0.5), ceil(hi + 0.5), -2, 2, title, "mean of reported and true (°C)",
                   "reported − true (°C)");
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#888\" fill-opacity=\"0.12\"/>",
                p.ml, py(&p, 0.3), p.w - p.ml - p.mr, py(&p, -0.3) - py(&p, 0.3));
        for (size_t t = 0; t < ev->n_tests; t++)
            for (size_t s = 0; s < c->runs[t].n_subj; s++) {
                const fb_eval_subject *e = &c->runs[t].subj[s];
                if (e->measured && isfinite(e->skin_reported_c))
                    dot(&p, (e->skin_reported_c + e->skin_true_c) / 2, e->skin_reported_c - e->skin_true_c, COLOR(i), 2.2);
            }
        hline(&p, c->pooled.skin_bias, "#222", "none", "bias");
        hline(&p, c->pooled.skin_loa_lo, "#222", "5 3", "−1.96 SD");
        hline(&p, c->pooled.skin_loa_hi, "#222", "5 3", "+1.96 SD");
        fputs("</svg>\n", f);
    }
    fputs("</div>\n", f);
}

/* Latency of field measurements: one row of dots per candidate, median and p95 marked. */
static void plot_latency(const fb_eval *ev, FILE *f)
{
    fputs("<h2 id=\"latency\">Time to measure</h2>\n<p class=\"note\">Field tests: seconds from the moment a person is "
          "screenable (close enough, facing the camera) to the reading. Bar: median; tick: 95th percentile; red line: "
          "the 1 s a turret claims.</p>\n",
          f);
    double hi = 1.5;
    for (size_t k = 0; k < ev->n_cands; k++)
        if (isfinite(ev->cands[k].pooled.latency_p95_s) && ev->cands[k].pooled.latency_p95_s + 0.5 > hi)
            hi = ev->cands[k].pooled.latency_p95_s + 0.5;
    hi = ceil(hi);
    double h = 70 + 34.0 * (double)ev->n_cands;
    plot p;
    plot_begin(&p, f, 900, h, 0, hi, 0, (double)ev->n_cands, "Latency distribution (field tests)", "latency (s)", "");
    p.ml = 58;
    hline(&p, 0, "#999", "none", NULL);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d1495b\" stroke-width=\"1.5\"/>", px(&p, 1.0),
            p.mt, px(&p, 1.0), h - p.mb);
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        const fb_eval_candidate *c = &ev->cands[i];
        double row = (double)ev->n_cands - (double)k - 0.5;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"start\">#%d</text>", 6.0, py(&p, row) + 4,
                c->rank);
        unsigned n = 0;
        for (size_t t = 0; t < ev->n_tests; t++) {
            if (strcmp(ev->tests[t].group, "field"))
                continue;
            for (size_t s = 0; s < c->runs[t].n_subj; s++) {
                const fb_eval_subject *e = &c->runs[t].subj[s];
                if (!e->measured || !e->screenable || !isfinite(e->latency_s))
                    continue;
                double jitter = ((double)((n * 37u) % 11u) - 5.0) / 16.0; /* deterministic spread */
                n++;
                dot(&p, clampd(e->latency_s, 0, hi), row + jitter * 0.5, COLOR(i), 2.0);
            }
        }
        double m = c->pooled.latency_median_s, q = c->pooled.latency_p95_s;
        if (isfinite(m))
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"%.1f\" fill=\"#222\"/>", px(&p, clampd(m, 0, hi)) - 1.5,
                    py(&p, row + 0.4), py(&p, row - 0.4) - py(&p, row + 0.4));
        if (isfinite(q))
            fprintf(f, "<path d=\"M%.1f %.1fl-5 -9h10z\" fill=\"#222\"/>", px(&p, clampd(q, 0, hi)), py(&p, row + 0.42));
    }
    fputs("</svg>\n", f);
    legend(ev, f);
}

typedef struct rp {
    double s;
    int pos;
} rp;

static int cmp_rp(const void *a, const void *b)
{
    const rp *x = a, *y = b;
    return (x->s < y->s) - (x->s > y->s);
}

/* One threshold the candidates' field tests share (NAN: none or they differ). */
static double shared_threshold(const fb_eval *ev, int alarm)
{
    double v = NAN;
    for (size_t i = 0; i < ev->n_cands; i++) {
        double x = alarm ? ev->cands[i].pooled.alarm_threshold_c : ev->cands[i].pooled.fever_threshold_c;
        if (!isfinite(x) || (i && !(x == v)))
            return NAN;
        v = x;
    }
    return v;
}

/* The run's one fever definition and the devices' alarm setting, said apart (docs/scoring.md). */
static void fever_definition(const fb_eval *ev, FILE *f)
{
    double fev = shared_threshold(ev, 0), alarm = shared_threshold(ev, 1);
    fputs("<p class=\"note\" id=\"fever\"><b>Fever, in this report:</b> ", f);
    if (isfinite(fev))
        fprintf(f, "a person is febrile when the true core temperature is at least "
                   "<span data-json=\"candidates.0.pooled.fever_threshold_c\">%.2f</span> °C", fev);
    else
        fputs("a person is febrile when the true core temperature reaches the fever line of the test's "
              "scenario, which differs between the field tests here (each result in report.json says its own)", f);
    fputs(". Every sensitivity, specificity, AUC and ROC curve counts against that. ", f);
    if (isfinite(alarm))
        fprintf(f, "The devices are set to alarm at a body estimate of "
                   "<span data-json=\"candidates.0.pooled.alarm_threshold_c\">%.2f</span> °C", alarm);
    else
        fputs("The devices are set to alarm at the setting of each test's scenario, which differs between tests", f);
    fputs(": that is the device's setting, not the definition of fever", f);
    if (isfinite(fev) && isfinite(alarm) && alarm > fev)
        fputs(" — set above the fever line, a device that reads perfectly still misses the febrile people "
              "between the two, so its sensitivity is below 1 by design", f);
    fputs(".</p>\n", f);
}

/* ROC of the body estimate against true fever over field subjects, with each operating point. */
static void plot_roc(const fb_eval *ev, FILE *f)
{
    fputs("<h2 id=\"roc\">Fever detection: ROC</h2>\n<p class=\"note\">Field tests: the body estimate of every measured "
          "person as a score for fever (febrile as defined <a href=\"#fever\">above</a>). "
          "Curve: every threshold; ring: the device's own alarm setting. Top left is best.</p>\n",
          f);
    plot p;
    plot_begin(&p, f, 440, 400, 0, 1, 0, 1, "ROC (field tests)", "1 − specificity (false alarm rate)", "sensitivity");
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>", px(&p, 0),
            py(&p, 0), px(&p, 1), py(&p, 1));
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        const fb_eval_candidate *c = &ev->cands[i];
        size_t cap = 0, n = 0, np = 0, nn = 0;
        for (size_t t = 0; t < ev->n_tests; t++)
            cap += c->runs[t].n_subj;
        rp *v = calloc(cap + 1, sizeof *v);
        if (!v)
            continue;
        for (size_t t = 0; t < ev->n_tests; t++) {
            if (strcmp(ev->tests[t].group, "field"))
                continue;
            for (size_t s = 0; s < c->runs[t].n_subj; s++) {
                const fb_eval_subject *e = &c->runs[t].subj[s];
                if (!e->measured || !e->screenable || !isfinite(e->body_reported_c))
                    continue;
                v[n].s = e->body_reported_c;
                v[n].pos = e->febrile;
                e->febrile ? np++ : nn++;
                n++;
            }
        }
        if (np && nn) {
            qsort(v, n, sizeof *v, cmp_rp);
            fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%.1f,%.1f", COLOR(i), px(&p, 0),
                    py(&p, 0));
            size_t tp = 0, fp = 0;
            for (size_t a = 0; a < n;) {
                size_t b = a;
                while (b < n && v[b].s == v[a].s) {
                    v[b].pos ? tp++ : fp++;
                    b++;
                }
                fprintf(f, " %.1f,%.1f", px(&p, (double)fp / (double)nn), py(&p, (double)tp / (double)np));
                a = b;
            }
            fputs("\"/>\n", f);
        }
        free(v);
        if (isfinite(c->pooled.sensitivity) && isfinite(c->pooled.specificity))
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>",
                    px(&p, 1 - c->pooled.specificity), py(&p, c->pooled.sensitivity), COLOR(i));
    }
    fputs("</svg>\n", f);
    legend(ev, f);
}

/* Reading error against distance (lab-distance: subject ids "at-2.0m"). */
static void plot_distance(const fb_eval *ev, FILE *f)
{
    int t = test_index(ev, "lab-distance");
    if (t < 0)
        return;
    fputs("<h2 id=\"distance\">Reading against distance (size of source)</h2>\n<p class=\"note\">lab-distance: the same "
          "phantom at each distance. Readings that fall with distance show the size-of-source effect (Pušnik &amp; "
          "Geršak 2021).</p>\n",
          f);
    plot p;
    plot_begin(&p, f, 600, 300, 1.0, 3.5, -1.5, 1.0, "Reading error against distance", "distance (m)",
               "reported − true (°C)");
    hline(&p, 0.3, "#888", "4 3", "+0.3");
    hline(&p, -0.3, "#888", "4 3", "−0.3");
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        const fb_eval_run *r = &ev->cands[i].runs[t];
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", COLOR(i));
        for (size_t s = 0; s < r->n_subj; s++) {
            double d;
            if (!r->subj[s].measured || sscanf(r->subj[s].id, "at-%lfm", &d) != 1)
                continue;
            fprintf(f, "%.1f,%.1f ", px(&p, d), py(&p, clampd(r->subj[s].skin_reported_c - r->subj[s].skin_true_c, -1.5, 1.0)));
        }
        fputs("\"/>", f);
        for (size_t s = 0; s < r->n_subj; s++) {
            double d;
            if (r->subj[s].measured && sscanf(r->subj[s].id, "at-%lfm", &d) == 1)
                dot(&p, d, r->subj[s].skin_reported_c - r->subj[s].skin_true_c, COLOR(i), 3);
        }
    }
    fputs("</svg>\n", f);
    legend(ev, f);
}

/* Reading error over time (lab-stability). */
static void plot_drift(const fb_eval *ev, FILE *f)
{
    int t = test_index(ev, "lab-stability");
    if (t < 0)
        return;
    fputs("<h2 id=\"drift\">Drift over time</h2>\n<p class=\"note\">lab-stability: a camera switched on cold in a "
          "drifting room; each phantom's reading error at the time it was read.</p>\n",
          f);
    double hi = 1;
    for (size_t k = 0; k < ev->n_cands; k++)
        if (isfinite(ev->cands[k].runs[t].duration_s) && ev->cands[k].runs[t].duration_s > hi)
            hi = ev->cands[k].runs[t].duration_s;
    plot p;
    plot_begin(&p, f, 600, 300, 0, hi, -1.5, 1.0, "Reading error over time", "time since power-on (s)",
               "reported − true (°C)");
    hline(&p, 0.3, "#888", "4 3", "+0.3");
    hline(&p, -0.3, "#888", "4 3", "−0.3");
    for (size_t k = 0; k < ev->n_cands; k++) {
        size_t i = ev->order[k];
        const fb_eval_run *r = &ev->cands[i].runs[t];
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", COLOR(i));
        for (size_t s = 0; s < r->n_subj; s++)
            if (r->subj[s].measured)
                fprintf(f, "%.1f,%.1f ", px(&p, r->subj[s].measured_at_s),
                        py(&p, clampd(r->subj[s].skin_reported_c - r->subj[s].skin_true_c, -1.5, 1.0)));
        fputs("\"/>", f);
        for (size_t s = 0; s < r->n_subj; s++)
            if (r->subj[s].measured)
                dot(&p, r->subj[s].measured_at_s, r->subj[s].skin_reported_c - r->subj[s].skin_true_c, COLOR(i), 2.5);
    }
    fputs("</svg>\n", f);
    legend(ev, f);
}

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d2330;"
    "margin:0;background:#f4f5f7}main{max-width:1320px;margin:0 auto;padding:24px 32px 48px;background:#fff}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 8px;border-bottom:2px solid #e3e6ea;padding-bottom:4px}"
    ".sub{color:#5b6475;margin:0 0 18px}table{border-collapse:collapse;margin:8px 0;font-size:14px}"
    "th,td{padding:5px 9px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}"
    "th{background:#f0f2f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".pass{background:#dff3e4;color:#17602c;font-weight:600}.fail{background:#fbe1e3;color:#8f1d2c;font-weight:600}"
    ".na{color:#8a93a3}.rank1{font-weight:700}.why{display:block;font-weight:400;font-size:12px}.desc{font-size:12.5px;color:#3d4555}"
    ".note{color:#5b6475;font-size:13.5px;max-width:980px}.grid{display:flex;flex-wrap:wrap;gap:10px}"
    "svg.plot{border:1px solid #e3e6ea;border-radius:4px}.pt{font-size:13px;font-weight:600;fill:#1d2330}"
    ".tick{font-size:11px;fill:#5b6475}.axis{font-size:12px;fill:#1d2330}.grid line{}line.grid{stroke:#eceef1}"
    "rect.frame{fill:none;stroke:#aab1bd}.legend span{margin-right:16px;font-size:13px}"
    ".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}"
    "details{margin:4px 0}summary{cursor:pointer;font-weight:600}.verdict{font-size:18px;margin:10px 0 0}"
    "footer{margin-top:36px;color:#8a93a3;font-size:12.5px}.nw{white-space:nowrap}"
    ".inc{background:#fff4d6;color:#7a5200;font-weight:600}.why.inc{background:none}";

int fb_eval_write_html(const fb_eval *ev, const char *path)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>feverbench evaluation</title>\n<style>%s</style></head><body><main>\n",
            css);
    fputs("<h1>Fever-screening camera evaluation</h1>\n<p class=\"sub\">", f);
    fprintf(f, "%zu candidate%s × %zu tests (laboratory tests after IEC 80601-2-59 / Ghassemi et al. 2018; field tests "
               "with people) · scale %s · seed: ",
            ev->n_cands, ev->n_cands == 1 ? "" : "s", ev->n_tests, ev->scale);
    if (ev->seed_set)
        fprintf(f, "%llu", (unsigned long long)ev->seed);
    else
        fputs("each scenario's own", f);
    fputs(" · feverbench ", f);
    esc(f, ev->version);
    fputs("</p>\n", f);
    if (ev->n_cands) {
        const fb_eval_candidate *best = &ev->cands[ev->order[0]];
        fputs("<p class=\"verdict\">Best: <b>", f);
        esc(f, best->label);
        fprintf(f, "</b>, passing %zu of %zu tests.", best->tests_passed, ev->n_tests);
        fputs(" A reading above the alarm threshold must still be confirmed with a clinical thermometer "
              "(IEC 80601-2-59, FDA 2020).</p>\n", f);
        fputs("<p class=\"note\"><b>These results come from simulation.</b> Every frame was rendered by "
              "feverbench from modelled people, rooms, blackbodies and camera sensors; the firmware "
              "under test saw only those frames. A result here says how the firmware handles the "
              "situations modelled, with a known truth — not how a physical camera performs at a real "
              "entrance, which also depends on optics, detector and installation the models only "
              "approximate.</p>\n",
              f);
    }
    /* summary */
    fputs("<h2 id=\"summary\">Summary ranking</h2>\n<p class=\"note\">Ranked by tests passed, then checks passed, then "
          "skin-reading error. Accuracy, latency and alarm columns pool every reading of every test (alarms: field "
          "tests). A candidate is a DUT on a camera: each test scenario's own camera, or the profile named with "
          "<code>--camera</code> (label <code>DUT@CAMERA</code>). Under each share: k/n and its 95 % Wilson "
          "interval; under each mean error: n and its 95 % bootstrap interval; under each latency: n and "
          "the 95 % interval from the ordered latencies (a p95 needs 72 people for an upper bound); under "
          "the AUC: n and its 95 % Newcombe interval. A check is "
          "<span class=\"inc\">inconclusive</span> when its limit lies inside the interval: its verdict "
          "follows the value, but the sample cannot carry it.</p>\n",
          f);
    fever_definition(ev, f);
    fputs("<table class=\"summary\"><tr><th>rank</th>"
          "<th>candidate</th><th>camera</th><th>firmware</th><th>tests passed</th>"
          "<th>lab</th><th>field</th><th>skin MAE °C</th><th>bias °C</th><th>95 % limits °C</th>"
          "<th>latency median s</th><th>latency p95 s</th><th>sensitivity <a href=\"#fever\">(fever)</a></th>"
          "<th>specificity <a href=\"#fever\">(fever)</a></th><th>AUC <a href=\"#fever\">(fever)</a></th>"
          "<th>object alarms</th>",
          f);
    fputs("<th>security</th></tr>\n", f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[ev->order[k]];
        fprintf(f, "<tr%s><td class=\"n\" data-json=\"candidates.%zu.rank\">%d", k == 0 ? " class=\"rank1\"" : "",
                k, c->rank);
        if (c->indistinct)
            fprintf(f, "<span class=\"why\">≈ #%d</span>", c->rank - 1);
        fputs("</td><td>", f);
        esc(f, c->label);
        fprintf(f, "</td><td><span class=\"nw\" data-json=\"candidates.%zu.camera\">", k);
        esc(f, c->camera);
        fputs("</span>", f);
        if (c->width > 0 && c->height > 0)
            fprintf(f, "<span class=\"why\">%d×%d · %g fps</span>", c->width, c->height, c->fps);
        fputs("</td><td>", f);
        esc(f, c->fw_name);
        fprintf(f, "</td><td class=\"n %s\"><span data-json=\"candidates.%zu.tests_passed\">%zu</span> / %zu</td>",
                c->tests_passed == ev->n_tests ? "pass" : "fail", k, c->tests_passed, ev->n_tests);
        fprintf(f, "<td class=\"n\"><span data-json=\"candidates.%zu.lab_passed\">%zu</span> / %zu</td>", k, c->lab_passed,
                c->lab_total);
        fprintf(f, "<td class=\"n\"><span data-json=\"candidates.%zu.field_passed\">%zu</span> / %zu</td>", k,
                c->field_passed, c->field_total);
        num_ci_cell(f, c->pooled.skin_mae, 3, k, "pooled.skin_mae_c", c->pooled.skin_mae_ci, 0,
                    c->pooled.n_skin, 0);
        num_ci_cell(f, c->pooled.skin_bias, 3, k, "pooled.skin_bias_c", c->pooled.skin_bias_ci, 0,
                    c->pooled.n_skin, 0);
        fprintf(f, "<td class=\"n\">");
        if (isfinite(c->pooled.skin_loa_lo))
            fprintf(f, "<span data-json=\"candidates.%zu.pooled.skin_loa_lo_c\">%.2f</span> … "
                       "<span data-json=\"candidates.%zu.pooled.skin_loa_hi_c\">%.2f</span>",
                    k, fb_eval_round(c->pooled.skin_loa_lo, 1e-4), k, fb_eval_round(c->pooled.skin_loa_hi, 1e-4));
        fputs("</td>", f);
        num_ci_cell(f, c->pooled.latency_median_s, 2, k, "pooled.latency_median_s",
                    c->pooled.latency_median_ci, 0, c->pooled.n_latency, 0);
        num_ci_cell(f, c->pooled.latency_p95_s, 2, k, "pooled.latency_p95_s", c->pooled.latency_p95_ci,
                    0, c->pooled.n_latency, 0);
        num_ci_cell(f, c->pooled.sensitivity, 2, k, "pooled.sensitivity", c->pooled.sensitivity_ci,
                    c->pooled.sens_k, c->pooled.sens_n, 1);
        num_ci_cell(f, c->pooled.specificity, 3, k, "pooled.specificity", c->pooled.specificity_ci,
                    c->pooled.spec_k, c->pooled.spec_n, 1);
        num_ci_cell(f, c->pooled.auc, 3, k, "pooled.auc", c->pooled.auc_ci, 0,
                    c->pooled.auc_n_pos + c->pooled.auc_n_neg, 0);
        fprintf(f, "<td class=\"n\" data-json=\"candidates.%zu.pooled.false_alarms\">%zu</td>", k,
                c->pooled.false_alarms);
        security_cell(f, c, k);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    indistinct_note(ev, f);
    camera_table(ev, f);
    /* verdict matrix */
    fputs("<h2 id=\"tests\">Pass / fail per test</h2>\n<p class=\"note\">Each test passes when every check that applies "
          "to it passes (limits and sources below). The small print names the checks that failed.</p>\n"
          "<table class=\"matrix\"><tr><th>test</th><th>what it does</th>",
          f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        fprintf(f, "<th>#%d ", ev->cands[ev->order[k]].rank);
        esc(f, ev->cands[ev->order[k]].label);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t t = 0; t < ev->n_tests; t++) {
        const fb_eval_test_def *d = &ev->tests[t];
        fprintf(f, "<tr><td><b>%s</b><span class=\"why\">%s · ", d->id, d->group);
        esc(f, d->title);
        fputs("</span></td><td class=\"desc\">", f);
        esc(f, d->what);
        fputs("</td>", f);
        for (size_t k = 0; k < ev->n_cands; k++) {
            const fb_eval_run *r = &ev->cands[ev->order[k]].runs[t];
            fprintf(f, "<td class=\"%s\" data-verdict=\"%s\">%s", r->pass ? "pass" : "fail", r->pass ? "pass" : "fail",
                    r->pass ? "PASS" : "FAIL");
            if (!r->pass) {
                fputs("<span class=\"why\">", f);
                if (!r->complete || r->faults)
                    fputs("DUT fault or incomplete run; ", f);
                for (size_t c = 0; c < ev->n_checks; c++)
                    if (r->check[c] == FB_EVAL_FAIL) {
                        /* undefined (nothing measured) or an unmeasured MRTD pair (1e9) */
                        double v = r->m[ev->checks[c].metric];
                        if (isfinite(v) && v < 1e9)
                            fprintf(f, "%s %.3g; ", ev->checks[c].id, fb_eval_round(v, 1e-4));
                        else
                            fprintf(f, "%s n/a (nothing measured); ", ev->checks[c].id);
                    }
                fputs("</span>", f);
            }
            inconclusive_small(ev, f, r);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    security_section(ev, f);
    plot_bland_altman(ev, f);
    plot_latency(ev, f);
    plot_roc(ev, f);
    plot_distance(ev, f);
    plot_drift(ev, f);
    /* details per test */
    fputs("<h2 id=\"details\">Every number, per test</h2>\n", f);
    for (size_t t = 0; t < ev->n_tests; t++) {
        const fb_eval_test_def *d = &ev->tests[t];
        fprintf(f, "<details><summary>%s — ", d->id);
        esc(f, d->title);
        fprintf(f, " (scenario <code>%s</code>)</summary>\n<table><tr><th>check</th><th>limit</th>", d->scenario);
        for (size_t k = 0; k < ev->n_cands; k++) {
            fputs("<th>", f);
            esc(f, ev->cands[ev->order[k]].label);
            fputs("</th>", f);
        }
        fputs("</tr>\n<tr><td>people measured / screenable</td><td></td>", f);
        for (size_t k = 0; k < ev->n_cands; k++)
            people_cell(f, &ev->cands[ev->order[k]].runs[t]);
        fputs("</tr>\n", f);
        for (size_t c = 0; c < ev->n_checks; c++) {
            if (!(d->checks & (1u << c)))
                continue;
            fputs("<tr><td>", f);
            esc(f, ev->checks[c].label);
            fprintf(f, "</td><td class=\"n\">%s %g</td>", ev->checks[c].at_least ? "≥" : "≤", ev->checks[c].limit);
            for (size_t k = 0; k < ev->n_cands; k++) {
                const fb_eval_run *r = &ev->cands[ev->order[k]].runs[t];
                double v = r->m[ev->checks[c].metric];
                const char *cls = r->check[c] == FB_EVAL_PASS ? "pass" : r->check[c] == FB_EVAL_FAIL ? "fail" : "na";
                const fb_eval_conf *cf = &r->conf[c];
                if (r->check[c] == FB_EVAL_PASS && cf->confidence == FB_CONF_INCONCLUSIVE)
                    cls = "inc"; /* passes the gate on its value; the sample cannot carry it */
                if (isfinite(v))
                    fprintf(f, "<td class=\"n %s\">%.3f", cls, fb_eval_round(v, 1e-4));
                else
                    fprintf(f, "<td class=\"n %s\">n/a", cls);
                ci_small(f, cf->ci, 3, cf->k, cf->n, cf->share);
                if (r->check[c] != FB_EVAL_NA && cf->confidence == FB_CONF_INCONCLUSIVE)
                    fprintf(f, "<span class=\"why\">inconclusive%s", cf->n_to_settle ? ": n ≈ " : "");
                if (r->check[c] != FB_EVAL_NA && cf->confidence == FB_CONF_INCONCLUSIVE) {
                    if (cf->n_to_settle)
                        fprintf(f, "%llu would settle it", (unsigned long long)cf->n_to_settle);
                    fputs("</span>", f);
                }
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table></details>\n", f);
    }
    /* limits and sources */
    fputs("<h2 id=\"limits\">Limits and where they come from</h2>\n<table><tr><th>check</th><th>limit</th><th>source</th></tr>\n",
          f);
    for (size_t c = 0; c < ev->n_checks; c++) {
        fprintf(f, "<tr><td><b>%s</b>: ", ev->checks[c].id);
        esc(f, ev->checks[c].label);
        fprintf(f, "</td><td class=\"n\">%s %g</td><td class=\"desc\">", ev->checks[c].at_least ? "≥" : "≤",
                ev->checks[c].limit);
        esc(f, ev->checks[c].source);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<footer>Made by <code>feverbench evaluate</code>. Every number is in report.json beside this file; "
          "each run's own results.json, events and truth are under runs/. Same seeds and build, same report.</footer>\n"
          "</main></body></html>\n",
          f);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0)
        return -1;
    return 0;
}
