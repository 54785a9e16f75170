/* eval_tables.c — evaluate's plain tables: people.csv (every person of every test, the table of
 * report.json) and the camera specification table of report.json and report.html. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/catalog.h"
#include "evaluate.h"

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
static void csv_str(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A number with up to 4 decimals, as report.json; empty when undefined. */
static void csv_num(FILE *f, double v)
{
    if (!isfinite(v))
        return;
    char buf[64];
    snprintf(buf, sizeof buf, "%.4f", fb_eval_round(v, 1e-4));
    char *e = buf + strlen(buf);
    while (e > buf && e[-1] == '0')
        *--e = 0;
    if (e > buf && e[-1] == '.')
        *--e = 0;
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    fputs(buf, f);
}

int fb_eval_write_csv(const fb_eval *ev, const char *path)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    fputs("rank,candidate,dut,camera,test,group,seed,id,status,febrile,alarm,latency_s,measured_at_s,"
          "skin_true_c,skin_reported_c,skin_error_c,core_c,body_reported_c\r\n",
          f);
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[ev->order[k]];
        for (size_t t = 0; t < ev->n_tests; t++) {
            const fb_eval_run *r = &c->runs[t];
            for (size_t i = 0; i < r->n_subj; i++) {
                const fb_eval_subject *s = &r->subj[i];
                fprintf(f, "%d,", c->rank);
                csv_str(f, c->label);
                fputc(',', f);
                csv_str(f, c->spec);
                fputc(',', f);
                csv_str(f, r->camera);
                fprintf(f, ",%s,%s,%llu,", ev->tests[t].id, ev->tests[t].group,
                        (unsigned long long)s->seed);
                csv_str(f, s->id);
                fprintf(f, ",%s,%d,%d,", s->measured ? "measured" : s->scored ? "missed" : "not_screenable",
                        s->febrile, s->alarm);
                csv_num(f, s->latency_s);
                fputc(',', f);
                csv_num(f, s->measured_at_s);
                fputc(',', f);
                csv_num(f, s->skin_true_c);
                fputc(',', f);
                csv_num(f, s->skin_reported_c);
                fputc(',', f);
                csv_num(f, s->measured ? s->skin_reported_c - s->skin_true_c : NAN);
                fputc(',', f);
                csv_num(f, s->core_c);
                fputc(',', f);
                csv_num(f, s->body_reported_c);
                fputs("\r\n", f);
            }
        }
    }
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* Adds the profile arg names (a shipped name or a file) unless a camera of that name is listed. */
static void add_camera(fb_eval *ev, const char *arg)
{
    if (!arg || !*arg || ev->n_cameras == sizeof ev->cameras / sizeof ev->cameras[0])
        return;
    fb_camera_profile p;
    char err[512];
    if (fb_catalog_camera(arg, &p, NULL, err, sizeof err))
        return; /* a run's camera that is not a shipped name (an inline profile): not listed */
    for (size_t i = 0; i < ev->n_cameras; i++)
        if (strcmp(ev->cameras[i].name, p.name) == 0)
            return;
    ev->cameras[ev->n_cameras++] = p;
}

void fb_eval_collect_cameras(fb_eval *ev)
{
    ev->n_cameras = 0;
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[ev->order[k]];
        if (c->camera_arg) {
            add_camera(ev, c->camera_arg);
            continue;
        }
        for (size_t t = 0; t < ev->n_tests; t++)
            add_camera(ev, c->runs[t].camera);
    }
}
