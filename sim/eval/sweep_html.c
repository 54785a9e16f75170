/* sweep_html.c — study.html: self-contained (inline SVG, no script), each metric against each
 * parameter with 95 % intervals across seeds, and the criteria's pass rate across the grid. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fb_error.h"
#include "sweep_study.h"

static const char *const colours[6] = {"#1f77b4", "#d62728", "#2ca02c",
                                       "#9467bd", "#ff7f0e", "#17becf"};

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* y of point i (metric m, or the pass rate when m < 0) with its interval */
static void figure(const fb_sweep_study *s, size_t i, int m, double *y, double *lo, double *hi)
{
    const fb_sweep_point *pt = &s->points[i];
    if (m < 0) {
        *y = *lo = *hi = NAN;
        if (pt->complete) {
            *y = (double)pt->passed / (double)pt->complete;
            fb_sweep_wilson(pt->passed, pt->complete, lo, hi);
        }
        return;
    }
    *y = pt->m[m].mean;
    *lo = pt->m[m].lo;
    *hi = pt->m[m].hi;
}

/* x position of value v of parameter p, 0..1 */
static double xpos(const fb_sweep_param *p, size_t v)
{
    if (p->n < 2)
        return 0.5;
    if (!p->numeric)
        return (double)v / (double)(p->n - 1);
    double a = p->values[0].json->valuedouble, b = a;
    for (size_t i = 0; i < p->n; i++) {
        double x = p->values[i].json->valuedouble;
        a = x < a ? x : a;
        b = x > b ? x : b;
    }
    return b > a ? (p->values[v].json->valuedouble - a) / (b - a) : 0.5;
}

/* One plot: metric m (or pass rate) against parameter p, one line per combination of the other
 * parameters' values (the first six; the rest are listed as not drawn). */
static void plot(FILE *f, const fb_sweep_study *s, size_t p, int m)
{
    const double W = 420, H = 250, L = 60, R = 12, T = 14, B = 40;
    double ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < s->npoints; i++) {
        double y, lo, hi;
        figure(s, i, m, &y, &lo, &hi);
        double c[3] = {y, lo, hi};
        for (int k = 0; k < 3; k++)
            if (!isnan(c[k])) {
                ymin = c[k] < ymin ? c[k] : ymin;
                ymax = c[k] > ymax ? c[k] : ymax;
            }
    }
    const char *label = m < 0 ? "pass rate (all criteria)" : fb_sweep_metrics[m].label;
    const char *unit = m < 0 ? "" : fb_sweep_metrics[m].unit;
    fprintf(f, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>",
            W, H, W, H);
    esc(f, label);
    fputs(" vs ", f);
    esc(f, s->params[p].key);
    fputs("</title>", f);
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#fafafa\" "
               "stroke=\"#999\"/>",
            L, T, W - L - R, H - T - B);
    if (isinf(ymin)) {
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">no values</text></svg>",
                W / 2, H / 2);
    } else {
        if (ymax - ymin < 1e-9) {
            ymin -= 0.5 * (fabs(ymin) > 1e-9 ? fabs(ymin) * 0.1 : 1);
            ymax += 0.5 * (fabs(ymax) > 1e-9 ? fabs(ymax) * 0.1 : 1);
        }
        double pad = (ymax - ymin) * 0.05;
        ymin -= pad;
        ymax += pad;
#define PX(xf) (L + 10 + (xf) * (W - L - R - 20))
#define PY(yv) (T + (H - T - B) * (1 - ((yv) - ymin) / (ymax - ymin)))
        for (int k = 0; k <= 4; k++) {
            double yv = ymin + (ymax - ymin) * k / 4;
            fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                       "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.3g</text>",
                    L, W - R, PY(yv), PY(yv), L - 4, PY(yv) + 3, yv);
        }
        for (size_t v = 0; v < s->params[p].n; v++) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\">",
                    PX(xpos(&s->params[p], v)), H - B + 14);
            esc(f, s->params[p].values[v].text);
            fputs("</text>", f);
        }
        /* series: grid points sharing every other parameter's value */
        size_t nseries = s->npoints / s->params[p].n;
        for (size_t sr = 0; sr < nseries && sr < 6; sr++) {
            const char *col = colours[sr];
            /* the sr-th combination of the others: walk points with value index 0 of p */
            size_t first = 0, seen = 0;
            for (size_t i = 0; i < s->npoints; i++)
                if (fb_sweep_value_index(s, i, p) == 0 && seen++ == sr) {
                    first = i;
                    break;
                }
            size_t stride = 1;
            for (size_t q = p + 1; q < s->nparams; q++)
                stride *= s->params[q].n;
            fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col);
            for (size_t v = 0; v < s->params[p].n; v++) {
                double y, lo, hi;
                figure(s, first + v * stride, m, &y, &lo, &hi);
                if (!isnan(y))
                    fprintf(f, "%.1f,%.1f ", PX(xpos(&s->params[p], v)), PY(y));
            }
            fputs("\"/>", f);
            for (size_t v = 0; v < s->params[p].n; v++) {
                double y, lo, hi, x = PX(xpos(&s->params[p], v));
                figure(s, first + v * stride, m, &y, &lo, &hi);
                if (isnan(y))
                    continue;
                if (!isnan(lo))
                    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                               "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                               "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                            x, x, PY(lo), PY(hi), col, x - 4, x + 4, PY(lo), PY(lo), col, x - 4,
                            x + 4, PY(hi), PY(hi), col);
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, PY(y), col);
            }
        }
#undef PX
#undef PY
        fputs("</svg>", f);
    }
    fputs("<figcaption>", f);
    esc(f, label);
    if (*unit) {
        fputs(" (", f);
        esc(f, unit);
        fputc(')', f);
    }
    fputs(" vs <code>", f);
    esc(f, s->params[p].key);
    fprintf(f, "</code>: mean of %zu seed(s), bars 95 %% %s</figcaption></figure>\n", s->seeds,
            m < 0 ? "Wilson interval" : "interval of the mean");
}

int fb_sweep_write_html(const fb_sweep_study *s, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>feverbench "
          "study: ",
          f);
    esc(f, s->scenario);
    fputs("</title><style>body{font:14px sans-serif;margin:1.5em;max-width:1400px}"
          "figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-size:12px;width:420px}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
          "text-align:right}.ok{background:#d9f2d9}.bad{background:#f7d4d4}.mid{background:#fbeec0}"
          "</style></head><body>\n<h1>Study: ",
          f);
    esc(f, s->scenario);
    fprintf(f, "</h1>\n<p>%zu grid point(s) &times; %zu seed(s) (seeds %llu&ndash;%llu)", s->npoints,
            s->seeds, s->seed0, s->seed0 + s->seeds - 1);
    if (!isnan(s->duration_s))
        fprintf(f, ", %g s simulated per run", s->duration_s);
    fprintf(f, ".%s</p>\n", s->complete ? "" : " <strong>Some runs failed: the figures use the "
                                               "runs that completed.</strong>");
    fputs("<p>Parameters:", f);
    for (size_t p = 0; p < s->nparams; p++) {
        fputs(p ? "; <code>" : " <code>", f);
        esc(f, s->params[p].key);
        fputs("</code> = ", f);
        for (size_t v = 0; v < s->params[p].n; v++) {
            if (v)
                fputs(", ", f);
            esc(f, s->params[p].values[v].text);
        }
    }
    fputs(".", f);
    if (s->nparams > 1)
        fputs(" In each plot, one line per combination of the other parameters (legend below; "
              "the first six are drawn).",
              f);
    fputs("</p>\n", f);
    if (s->nparams > 1) {
        for (size_t p = 0; p < s->nparams; p++) {
            fputs("<p>Lines against <code>", f);
            esc(f, s->params[p].key);
            fputs("</code>:", f);
            size_t sr = 0;
            for (size_t i = 0; i < s->npoints && sr < 6; i++) {
                if (fb_sweep_value_index(s, i, p) != 0)
                    continue;
                fprintf(f, " <span style=\"color:%s\">&#9632;", colours[sr++]);
                for (size_t q = 0; q < s->nparams; q++) {
                    if (q == p)
                        continue;
                    fputc(' ', f);
                    esc(f, s->params[q].key);
                    fputc('=', f);
                    esc(f, s->params[q].values[fb_sweep_value_index(s, i, q)].text);
                }
                fputs("</span>", f);
            }
            fputs("</p>\n", f);
        }
    }
    fputs("<h2>Criteria pass rate across the grid</h2>\n", f);
    for (size_t p = 0; p < s->nparams; p++)
        plot(f, s, p, -1);
    fputs("<table><tr><th>point</th>", f);
    for (size_t p = 0; p < s->nparams; p++) {
        fputs("<th>", f);
        esc(f, s->params[p].key);
        fputs("</th>", f);
    }
    fputs("<th>runs</th><th>all criteria</th>", f);
    for (size_t c = 0; c < s->ncrit; c++) {
        fputs("<th>", f);
        esc(f, s->crit[c]);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t i = 0; i < s->npoints; i++) {
        const fb_sweep_point *pt = &s->points[i];
        fprintf(f, "<tr><td>p%04zu</td>", i);
        for (size_t p = 0; p < s->nparams; p++) {
            fputs("<td>", f);
            esc(f, s->params[p].values[fb_sweep_value_index(s, i, p)].text);
            fputs("</td>", f);
        }
        fprintf(f, "<td>%zu/%zu</td>", pt->complete, pt->runs);
        for (size_t c = 0; c <= s->ncrit; c++) {
            size_t k = c == 0 ? pt->passed : pt->crit_pass[c - 1];
            size_t n = c == 0 ? pt->complete : pt->crit_n[c - 1];
            if (!n) {
                fputs("<td></td>", f);
                continue;
            }
            double r = (double)k / (double)n;
            fprintf(f, "<td class=\"%s\">%.0f %%</td>", r >= 1 ? "ok" : r > 0 ? "mid" : "bad",
                    100 * r);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<h2>Metrics</h2>\n", f);
    for (size_t m = 0; m < FB_SWEEP_METRICS; m++) {
        fputs("<h3>", f);
        esc(f, fb_sweep_metrics[m].label);
        fputs(" <small><code>", f);
        esc(f, fb_sweep_metrics[m].path);
        fputs("</code></small></h3>\n", f);
        for (size_t p = 0; p < s->nparams; p++)
            plot(f, s, p, (int)m);
    }
    fputs("<p>Written by <code>feverbench sweep</code>: study.json and study.csv hold the same "
          "figures.</p>\n</body></html>\n",
          f);
    if (fclose(f) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    return 0;
}
