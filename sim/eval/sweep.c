/* sweep.c — `feverbench sweep`: writes the grid's scenarios, runs them through an executor,
 * pools the seeds of each grid point and writes study.json / study.csv / study.html. */
#define _DEFAULT_SOURCE /* realpath */
#include "sweep.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/catalog.h"
#include "scenario/embedded.h"
#include "executor.h"
#include "fb_error.h"
#include "scenario/scenario.h"
#include "sweep_study.h"

#define MAX_PARAMS 8
#define MAX_RUNS 1000000

const fb_sweep_metric fb_sweep_metrics[FB_SWEEP_METRICS] = {
    {"detection.detection_rate", "detection rate", ""},
    {"detection.latency_p95_s", "latency p95", "s"},
    {"accuracy.skin.mae_c", "skin MAE", "°C"},
    {"accuracy.skin.bias_c", "skin bias", "°C"},
    {"accuracy.body.mae_c", "body MAE", "°C"},
    {"classification.sensitivity", "sensitivity", ""},
    {"classification.specificity", "specificity", ""},
    {"classification.false_alarms", "false alarms", ""},
};

static const char usage[] =
    "usage: feverbench sweep SCENARIO --set KEY=V1,V2,... [--set ...] --out DIR [--seeds N]\n"
    "                        [--seed S] [--duration S] [--executor local|slurm] [--jobs N]\n"
    "                        [--attempts N] [--bin PATH] [--partition P] [--time T] [--mem M]\n"
    "                        [--sbatch-arg ARG]... [--poll S] [--batch N] [--quiet]\n"
    "\n"
    "Runs SCENARIO at every point of a parameter grid, N seeds each, and writes DIR/study.json,\n"
    "DIR/study.csv and DIR/study.html: each metric against each parameter with 95 % intervals\n"
    "across seeds, and the criteria's pass rate across the grid (docs/campaigns.md).\n"
    "\n"
    "  --set KEY=LIST  a scenario or camera field by its JSON path (duration_s, camera.netd_mk,\n"
    "                  population.arrival_rate_per_min, subjects[0].core_c) and its values:\n"
    "                  comma-separated, each a value or an inclusive range A:B:STEP\n"
    "                  (camera.netd_mk=30:90:10); repeat for more parameters (the grid is their\n"
    "                  product). Keys are checked before anything runs.\n"
    "  --seeds N       runs per grid point, seeds S..S+N-1 (default 5)\n"
    "  --seed S        the first seed (default: the scenario's)\n"
    "  --duration S    simulated seconds per run (default: the scenario's)\n"
    "  --executor E    local (default: here, --jobs at once) or slurm (a job array; DIR must be\n"
    "                  a folder every node sees at the same path)\n"
    "  --jobs N        local: runs at once (default: the number of processors)\n"
    "  --attempts N    tries per run before it counts as failed (default 3)\n"
    "  --bin PATH      the feverbench binary the runs use (default: this one; on Slurm a path\n"
    "                  every node has)\n"
    "  --partition P, --time T, --mem M   sbatch's options; --sbatch-arg ARG passes ARG on\n"
    "  --poll S        slurm: seconds between squeue polls (default 5)\n"
    "  --batch N       slurm: runs per array task, one after another (default: 1, or as many\n"
    "                  as keep the array within 1000 tasks); a failed run goes round again alone\n"
    "  --quiet         no progress line\n"
    "\n"
    "Runs land in DIR/runs/<point>-s<seed>/; the grid's scenarios in DIR/points/. Running the same\n"
    "command again resumes: complete runs are kept, the rest run. The same grid and seeds give\n"
    "byte-identical study files on either executor.\n"
    "\n"
    "exit status: 0 study written, every run complete; 2 bad input or usage (an unknown key: the\n"
    "             nearest names); 3 some runs failed every attempt (study written from the rest,\n"
    "             \"complete\": false); 128+N interrupted by signal N (the same command resumes)\n";

double fb_sweep_t95(size_t df)
{
    static const double t[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0)
        return NAN;
    if (df <= 30)
        return t[df - 1];
    /* Cornish-Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5) */
    const double z = 1.959963985, v = (double)df;
    return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

fb_sweep_stat fb_sweep_stats(const double *x, size_t n)
{
    fb_sweep_stat s = {0, NAN, NAN, NAN, NAN};
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sum += x[i];
            s.n++;
        }
    if (!s.n)
        return s;
    s.mean = sum / (double)s.n;
    if (s.n < 2)
        return s;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - s.mean) * (x[i] - s.mean);
    s.sd = sqrt(ss / (double)(s.n - 1));
    double h = fb_sweep_t95(s.n - 1) * s.sd / sqrt((double)s.n);
    s.lo = s.mean - h;
    s.hi = s.mean + h;
    return s;
}

void fb_sweep_wilson(size_t k, size_t n, double *lo, double *hi)
{
    const double z = 1.959963985;
    double nn = (double)n, p = (double)k / nn;
    double c = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    double h = z / (1 + z * z / nn) * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

size_t fb_sweep_value_index(const fb_sweep_study *s, size_t point, size_t p)
{
    for (size_t q = s->nparams; q-- > p + 1;)
        point /= s->params[q].n;
    return point % s->params[p].n;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *t = NULL;
    size_t l = 0, cap = 0;
    for (;;) {
        if (l + 4097 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *nt = realloc(t, cap);
            if (!nt) {
                free(t);
                fclose(f);
                return NULL;
            }
            t = nt;
        }
        size_t got = fread(t + l, 1, cap - l - 1, f);
        l += got;
        if (!got)
            break;
    }
    fclose(f);
    t[l] = '\0';
    if (len)
        *len = l;
    return t;
}

/* The scenario's text (a file, else a shipped name) and the folder its camera names resolve in. */
static char *scenario_text(const char *arg, char *base_dir, size_t base_len, char *name,
                           size_t name_len)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
        snprintf(base_dir, base_len, "%s", arg);
        char *slash = strrchr(base_dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(base_dir, base_len, ".");
        const char *b = strrchr(arg, '/');
        snprintf(name, name_len, "%s", b ? b + 1 : arg);
        return read_all(arg, NULL);
    }
    base_dir[0] = '\0';
    const char *n = arg;
    if (strncmp(n, "scenarios/", 10) == 0)
        n += 10;
    char rel[256];
    size_t l = strlen(n);
    snprintf(rel, sizeof rel, "%s%s", n, l > 5 && strcmp(n + l - 5, ".json") == 0 ? "" : ".json");
    const fb_embedded_file *f = fb_embedded_find(rel);
    if (!f)
        return NULL;
    snprintf(name, name_len, "%s", rel);
    return strdup(f->text);
}

static char *camera_text(const cJSON *root, const char *base_dir)
{
    const cJSON *cam = cJSON_GetObjectItemCaseSensitive(root, "camera");
    if (!cJSON_IsString(cam))
        return NULL;
    char path[4096];
    if (base_dir[0]) {
        snprintf(path, sizeof path, "%s/cameras/%s.json", base_dir, cam->valuestring);
        char *t = read_all(path, NULL);
        if (t)
            return t;
    }
    snprintf(path, sizeof path, "cameras/%s.json", cam->valuestring);
    const fb_embedded_file *f = fb_embedded_find(path);
    return f ? strdup(f->text) : NULL;
}

static int mkdir_p(const char *dir)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_if_changed(const char *path, const char *text, char *err, size_t err_len)
{
    size_t l = 0;
    char *old = read_all(path, &l);
    bool same = old && strcmp(old, text) == 0;
    free(old);
    if (same)
        return 0;
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        if (snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno)) < 0)
            err[0] = '\0';
        return FB_ERR_IO;
    }
    return 0;
}

static double number_at(const cJSON *doc, const char *path)
{
    char seg[64];
    const cJSON *n = doc;
    while (*path && n) {
        size_t l = strcspn(path, ".");
        snprintf(seg, sizeof seg, "%.*s", (int)l, path);
        n = cJSON_GetObjectItemCaseSensitive(n, seg);
        path += l + (path[l] == '.');
    }
    return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

/* Reads every run's results.json into the study's figures. */
static int collect(fb_sweep_study *s, const char *dir, char *err, size_t err_len)
{
    double *x = malloc(FB_SWEEP_METRICS * s->seeds * sizeof *x);
    if (!x) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    s->complete = true;
    for (size_t p = 0; p < s->npoints; p++) {
        fb_sweep_point *pt = &s->points[p];
        for (size_t i = 0; i < FB_SWEEP_METRICS * s->seeds; i++)
            x[i] = NAN;
        pt->runs = s->seeds;
        for (size_t k = 0; k < s->seeds; k++) {
            char path[8192];
            if (snprintf(path, sizeof path, "%s/runs/p%04zu-s%llu/results.json", dir, p,
                         s->seed0 + k) >= (int)sizeof path)
                continue;
            char *text = read_all(path, NULL);
            cJSON *doc = text ? cJSON_Parse(text) : NULL;
            free(text);
            if (!doc || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "complete"))) {
                cJSON_Delete(doc);
                s->complete = false;
                continue;
            }
            pt->complete++;
            for (size_t m = 0; m < FB_SWEEP_METRICS; m++)
                x[m * s->seeds + k] = number_at(doc, fb_sweep_metrics[m].path);
            bool all = true;
            const cJSON *c;
            cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "criteria"))
            {
                const cJSON *key = cJSON_GetObjectItemCaseSensitive(c, "key");
                bool pass = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "pass"));
                all = all && pass;
                if (!cJSON_IsString(key))
                    continue;
                size_t ci = 0;
                while (ci < s->ncrit && strcmp(s->crit[ci], key->valuestring) != 0)
                    ci++;
                if (ci == s->ncrit && s->ncrit < FB_SWEEP_MAX_CRITERIA)
                    snprintf(s->crit[s->ncrit++], sizeof s->crit[0], "%s", key->valuestring);
                if (ci < s->ncrit) {
                    pt->crit_n[ci]++;
                    pt->crit_pass[ci] += pass;
                }
            }
            pt->passed += all;
            cJSON_Delete(doc);
        }
        for (size_t m = 0; m < FB_SWEEP_METRICS; m++)
            pt->m[m] = fb_sweep_stats(x + m * s->seeds, s->seeds);
    }
    free(x);
    return 0;
}

/* ---- writers: json and csv (html in sweep_html.c) ---- */

static double r6(double v) /* six significant digits: the files stay readable and stable */
{
    char t[32];
    snprintf(t, sizeof t, "%.6g", v);
    return strtod(t, NULL);
}

static cJSON *num_or_null(double v)
{
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(r6(v));
}

int fb_sweep_write_json(const fb_sweep_study *s, const char *path, char *err, size_t err_len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", s->scenario);
    cJSON_AddNumberToObject(root, "seed", (double)s->seed0);
    cJSON_AddNumberToObject(root, "seeds", (double)s->seeds);
    cJSON_AddItemToObject(root, "duration_s", num_or_null(s->duration_s));
    cJSON_AddBoolToObject(root, "complete", s->complete);
    cJSON *params = cJSON_AddArrayToObject(root, "parameters");
    for (size_t p = 0; p < s->nparams; p++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", s->params[p].key);
        cJSON *v = cJSON_AddArrayToObject(o, "values");
        for (size_t i = 0; i < s->params[p].n; i++)
            cJSON_AddItemToArray(v, cJSON_Duplicate(s->params[p].values[i].json, true));
        cJSON_AddItemToArray(params, o);
    }
    cJSON *metrics = cJSON_AddArrayToObject(root, "metrics");
    for (size_t m = 0; m < FB_SWEEP_METRICS; m++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", fb_sweep_metrics[m].path);
        cJSON_AddStringToObject(o, "label", fb_sweep_metrics[m].label);
        cJSON_AddStringToObject(o, "unit", fb_sweep_metrics[m].unit);
        cJSON_AddItemToArray(metrics, o);
    }
    size_t runs = 0, passed = 0;
    cJSON *points = cJSON_AddArrayToObject(root, "points");
    for (size_t i = 0; i < s->npoints; i++) {
        const fb_sweep_point *pt = &s->points[i];
        cJSON *o = cJSON_CreateObject();
        char id[32];
        snprintf(id, sizeof id, "p%04zu", i);
        cJSON_AddStringToObject(o, "point", id);
        cJSON *vals = cJSON_AddObjectToObject(o, "values");
        for (size_t p = 0; p < s->nparams; p++)
            cJSON_AddItemToObject(
                vals, s->params[p].key,
                cJSON_Duplicate(s->params[p].values[fb_sweep_value_index(s, i, p)].json, true));
        cJSON_AddNumberToObject(o, "runs", (double)pt->runs);
        cJSON_AddNumberToObject(o, "complete_runs", (double)pt->complete);
        cJSON_AddNumberToObject(o, "passed_runs", (double)pt->passed);
        double lo = NAN, hi = NAN;
        if (pt->complete)
            fb_sweep_wilson(pt->passed, pt->complete, &lo, &hi);
        cJSON_AddItemToObject(o, "pass_rate",
                              num_or_null(pt->complete ? (double)pt->passed / (double)pt->complete
                                                       : NAN));
        cJSON *ci = cJSON_AddArrayToObject(o, "pass_rate_ci95");
        cJSON_AddItemToArray(ci, num_or_null(lo));
        cJSON_AddItemToArray(ci, num_or_null(hi));
        cJSON *crit = cJSON_AddObjectToObject(o, "criteria_pass_rate");
        for (size_t c = 0; c < s->ncrit; c++)
            cJSON_AddItemToObject(crit, s->crit[c],
                                  num_or_null(pt->crit_n[c] ? (double)pt->crit_pass[c] /
                                                                  (double)pt->crit_n[c]
                                                            : NAN));
        cJSON *mo = cJSON_AddObjectToObject(o, "metrics");
        for (size_t m = 0; m < FB_SWEEP_METRICS; m++) {
            cJSON *st = cJSON_CreateObject();
            cJSON_AddNumberToObject(st, "n", (double)pt->m[m].n);
            cJSON_AddItemToObject(st, "mean", num_or_null(pt->m[m].mean));
            cJSON_AddItemToObject(st, "sd", num_or_null(pt->m[m].sd));
            cJSON_AddItemToObject(st, "ci95_lo", num_or_null(pt->m[m].lo));
            cJSON_AddItemToObject(st, "ci95_hi", num_or_null(pt->m[m].hi));
            cJSON_AddItemToObject(mo, fb_sweep_metrics[m].path, st);
        }
        cJSON_AddItemToArray(points, o);
        runs += pt->complete;
        passed += pt->passed;
    }
    cJSON_AddItemToObject(root, "pass_rate",
                          num_or_null(runs ? (double)passed / (double)runs : NAN));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    FILE *f = fopen(path, "w");
    int rc = 0;
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF || fclose(f) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        rc = FB_ERR_IO;
    }
    cJSON_free(text);
    return rc;
}

static void csv_num(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.6g", v);
}

int fb_sweep_write_csv(const fb_sweep_study *s, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    fputs("point", f);
    for (size_t p = 0; p < s->nparams; p++)
        fprintf(f, ",%s", s->params[p].key);
    fputs(",runs,complete_runs,pass_rate", f);
    for (size_t m = 0; m < FB_SWEEP_METRICS; m++)
        fprintf(f, ",%s.n,%s.mean,%s.ci95_lo,%s.ci95_hi", fb_sweep_metrics[m].path,
                fb_sweep_metrics[m].path, fb_sweep_metrics[m].path, fb_sweep_metrics[m].path);
    fputc('\n', f);
    for (size_t i = 0; i < s->npoints; i++) {
        const fb_sweep_point *pt = &s->points[i];
        fprintf(f, "p%04zu", i);
        for (size_t p = 0; p < s->nparams; p++)
            fprintf(f, ",%s", s->params[p].values[fb_sweep_value_index(s, i, p)].text);
        fprintf(f, ",%zu,%zu", pt->runs, pt->complete);
        csv_num(f, pt->complete ? (double)pt->passed / (double)pt->complete : NAN);
        for (size_t m = 0; m < FB_SWEEP_METRICS; m++) {
            fprintf(f, ",%zu", pt->m[m].n);
            csv_num(f, pt->m[m].mean);
            csv_num(f, pt->m[m].lo);
            csv_num(f, pt->m[m].hi);
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    return 0;
}

/* ---- the command ---- */

static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t l = strlen(opt);
    if (strncmp(argv[*i], opt, l) == 0 && argv[*i][l] == '=')
        return argv[*i] + l + 1;
    if (strcmp(argv[*i], opt) != 0)
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "feverbench sweep: %s needs a value (see `feverbench sweep --help`)\n",
                opt);
        return "";
    }
    return argv[++*i];
}

static bool parse_count(const char *v, unsigned long max, unsigned long *out)
{
    char *end;
    if (!*v || *v == '-')
        return false;
    errno = 0;
    *out = strtoul(v, &end, 10);
    return !errno && *end == '\0' && *out >= 1 && *out <= max;
}

int fb_sweep_cmd(int argc, char **argv, const char *self)
{
    const char *scen = NULL, *out = NULL, *exec_name = "local", *bin = NULL, *v;
    unsigned long seeds = 5, jobs = 0, attempts = 3, batch = 0;
    unsigned long long seed0 = 0;
    bool have_seed = false, quiet = false;
    double duration = NAN, poll = 5;
    const char *sets[MAX_PARAMS];
    size_t nsets = 0;
    const char *sbatch_args[32];
    size_t nsb = 0;
    fb_exec_opts eo = {0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if ((v = opt_value(argc, argv, &i, "--set"))) {
            if (!*v)
                return 2;
            if (nsets == MAX_PARAMS) {
                fprintf(stderr, "feverbench sweep: more than %d --set\n", MAX_PARAMS);
                return 2;
            }
            sets[nsets++] = v;
        } else if ((v = opt_value(argc, argv, &i, "--out"))) {
            if (!*v)
                return 2;
            out = v;
        } else if ((v = opt_value(argc, argv, &i, "--seeds")) ||
                   (v = opt_value(argc, argv, &i, "--jobs")) ||
                   (v = opt_value(argc, argv, &i, "--attempts")) ||
                   (v = opt_value(argc, argv, &i, "--batch"))) {
            unsigned long *dst = strncmp(a, "--seeds", 7) == 0   ? &seeds
                                 : strncmp(a, "--jobs", 6) == 0  ? &jobs
                                 : strncmp(a, "--batch", 7) == 0 ? &batch
                                                                 : &attempts;
            if (!parse_count(v, 100000, dst)) {
                fprintf(stderr, "feverbench sweep: %s: \"%s\" is not a whole number in 1..100000\n",
                        a, v);
                return 2;
            }
        } else if ((v = opt_value(argc, argv, &i, "--seed"))) {
            char *end;
            errno = 0;
            seed0 = strtoull(v, &end, 10);
            if (!*v || *v == '-' || *end || errno || seed0 > 9007199254740992ULL) {
                fprintf(stderr, "feverbench sweep: --seed: \"%s\" is not an integer in 0..2^53\n", v);
                return 2;
            }
            have_seed = true;
        } else if ((v = opt_value(argc, argv, &i, "--duration")) ||
                   (v = opt_value(argc, argv, &i, "--poll"))) {
            char *end;
            double d = strtod(v, &end);
            if (!*v || *end || !(d > 0) || d > 1e7) {
                fprintf(stderr, "feverbench sweep: %s: \"%s\" is not a number of seconds > 0\n",
                        strncmp(a, "--poll", 6) == 0 ? "--poll" : "--duration", v);
                return 2;
            }
            if (strncmp(a, "--poll", 6) == 0)
                poll = d;
            else
                duration = d;
        } else if ((v = opt_value(argc, argv, &i, "--executor"))) {
            exec_name = v;
        } else if ((v = opt_value(argc, argv, &i, "--bin"))) {
            bin = v;
        } else if ((v = opt_value(argc, argv, &i, "--partition"))) {
            eo.partition = v;
        } else if ((v = opt_value(argc, argv, &i, "--time"))) {
            eo.time = v;
        } else if ((v = opt_value(argc, argv, &i, "--mem"))) {
            eo.mem = v;
        } else if ((v = opt_value(argc, argv, &i, "--sbatch-arg"))) {
            if (nsb == 32) {
                fprintf(stderr, "feverbench sweep: more than 32 --sbatch-arg\n");
                return 2;
            }
            sbatch_args[nsb++] = v;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "feverbench sweep: unknown option %s (see `feverbench sweep --help`)\n",
                    a);
            return 2;
        } else if (!scen) {
            scen = a;
        } else {
            fprintf(stderr, "feverbench sweep: one scenario only (got \"%s\" and \"%s\")\n", scen, a);
            return 2;
        }
        if (v && !*v)
            return 2;
    }
    const fb_executor_ops *ops = fb_executor_find(exec_name);
    if (!scen || !out || !nsets || !ops) {
        fprintf(stderr, "feverbench sweep: %s\n%s",
                !ops    ? "--executor: expected local or slurm"
                : !scen ? "no SCENARIO given"
                : !out  ? "--out DIR is required"
                        : "at least one --set KEY=V1,V2,... is required",
                usage);
        return 2;
    }
    char err[1024];
    fb_sweep_param params[MAX_PARAMS];
    memset(params, 0, sizeof params);
    fb_sweep_study st = {0};
    int status = 2;
    char *text = NULL, *cam = NULL;
    cJSON *base = NULL;
    fb_exec_task *tasks = NULL;
    char (*ids)[48] = NULL;
    char (*seedtxt)[24] = NULL;
    const char **argvs = NULL;
    bool *done = NULL;
    size_t npoints = 1;
    for (size_t p = 0; p < nsets; p++) {
        if (fb_sweep_param_parse(sets[p], &params[p], 10000, err, sizeof err) ||
            fb_sweep_key_check(params[p].key, err, sizeof err)) {
            fprintf(stderr, "feverbench sweep: %s\n", err);
            goto free_params;
        }
        for (size_t q = 0; q < p; q++)
            if (strcmp(params[q].key, params[p].key) == 0) {
                fprintf(stderr, "feverbench sweep: --set %s given twice\n", params[p].key);
                goto free_params;
            }
        npoints *= params[p].n;
        if (npoints * seeds > MAX_RUNS) {
            fprintf(stderr, "feverbench sweep: more than %d runs in the grid\n", MAX_RUNS);
            goto free_params;
        }
    }
    char base_dir[4096], name[256];
    text = scenario_text(scen, base_dir, sizeof base_dir, name, sizeof name);
    base = text ? cJSON_Parse(text) : NULL;
    if (!base) {
        /* the loader says what is wrong and where */
        fb_scenario sc;
        if (fb_catalog_load(scen, &sc, err, sizeof err) == 0) {
            snprintf(err, sizeof err, "%s: cannot read", scen);
            fb_scenario_free(&sc);
        }
        fprintf(stderr, "feverbench sweep: %s\n", err);
        goto free_params;
    }
    if (!have_seed) {
        const cJSON *sd = cJSON_GetObjectItemCaseSensitive(base, "seed");
        seed0 = cJSON_IsNumber(sd) && sd->valuedouble >= 0 ? (unsigned long long)sd->valuedouble : 1;
    }
    cam = camera_text(base, base_dir);
    char outdir[PATH_MAX], pdir[PATH_MAX + 16];
    if (mkdir_p(out) != 0 || !realpath(out, outdir)) {
        fprintf(stderr, "feverbench sweep: cannot create %s: %s\n", out, strerror(errno));
        goto free_params;
    }
    snprintf(pdir, sizeof pdir, "%s/points", outdir);
    if (mkdir_p(pdir) != 0) {
        fprintf(stderr, "feverbench sweep: cannot create %s: %s\n", pdir, strerror(errno));
        goto free_params;
    }
    /* every grid point's scenario, written and validated before anything runs */
    st = (fb_sweep_study){.seed0 = seed0, .seeds = seeds, .duration_s = duration,
                          .params = params, .nparams = nsets, .npoints = npoints};
    if (snprintf(st.scenario, sizeof st.scenario, "%s", name) >= (int)sizeof st.scenario)
        st.scenario[sizeof st.scenario - 1] = '\0';
    char *dot = strrchr(st.scenario, '.');
    if (dot && strcmp(dot, ".json") == 0)
        *dot = '\0';
    for (size_t i = 0; i < npoints; i++) {
        cJSON *doc = cJSON_Duplicate(base, true);
        int rc = doc ? 0 : FB_ERR_NOMEM;
        for (size_t p = 0; p < nsets && !rc; p++)
            rc = fb_sweep_set(doc, params[p].key,
                              params[p].values[fb_sweep_value_index(&st, i, p)].json, cam, err,
                              sizeof err);
        char *js = rc ? NULL : cJSON_Print(doc);
        cJSON_Delete(doc);
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/p%04zu.json", pdir, i);
        if (!rc && !js) {
            rc = FB_ERR_NOMEM;
            snprintf(err, sizeof err, "out of memory");
        }
        if (!rc) {
            fb_scenario sc;
            char lerr[1024];
            rc = fb_scenario_load_text(js, strlen(js), path, base_dir[0] ? base_dir : NULL, &sc,
                                       lerr, sizeof lerr);
            if (rc)
                snprintf(err, sizeof err, "grid point p%04zu: %.900s", i, lerr);
            else
                fb_scenario_free(&sc);
        }
        if (!rc) {
            size_t l = strlen(js);
            char *withnl = malloc(l + 2);
            if (withnl) {
                memcpy(withnl, js, l);
                memcpy(withnl + l, "\n", 2);
                rc = write_if_changed(path, withnl, err, sizeof err);
                free(withnl);
            } else {
                rc = FB_ERR_NOMEM;
            }
        }
        cJSON_free(js);
        if (rc) {
            fprintf(stderr, "feverbench sweep: %s\n", err);
            goto free_params;
        }
    }
    size_t ntasks = npoints * seeds;
    tasks = calloc(ntasks, sizeof *tasks);
    ids = calloc(ntasks, sizeof *ids);
    seedtxt = calloc(ntasks, sizeof *seedtxt);
    argvs = calloc(ntasks * 10, sizeof *argvs);
    done = calloc(ntasks, sizeof *done);
    st.points = calloc(npoints, sizeof *st.points);
    char (*ptxt)[48] = calloc(npoints, sizeof *ptxt);
    char durtxt[32];
    snprintf(durtxt, sizeof durtxt, "%.9g", duration);
    char binpath[PATH_MAX];
    if (!bin)
        bin = realpath("/proc/self/exe", binpath) ? binpath : self;
    if (!tasks || !ids || !seedtxt || !argvs || !done || !st.points || !ptxt) {
        free(ptxt);
        fprintf(stderr, "feverbench sweep: out of memory\n");
        goto free_params;
    }
    for (size_t i = 0; i < npoints; i++) {
        snprintf(ptxt[i], sizeof ptxt[i], "points/p%04zu.json", i);
        for (size_t k = 0; k < seeds; k++) {
            size_t t = i * seeds + k;
            snprintf(ids[t], sizeof ids[t], "p%04zu-s%llu", i, seed0 + k);
            snprintf(seedtxt[t], sizeof seedtxt[t], "%llu", seed0 + k);
            const char **av = argvs + t * 10;
            size_t c = 0;
            av[c++] = bin;
            av[c++] = "run";
            av[c++] = ptxt[i];
            av[c++] = "--seed";
            av[c++] = seedtxt[t];
            av[c++] = "--quiet";
            if (!isnan(duration)) {
                av[c++] = "--duration";
                av[c++] = durtxt;
            }
            av[c] = NULL;
            tasks[t] = (fb_exec_task){ids[t], av};
        }
    }
    eo.dir = outdir;
    eo.jobs = jobs ? (unsigned)jobs : (unsigned)(sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1);
    eo.attempts = (unsigned)attempts;
    eo.quiet = quiet;
    eo.sbatch_args = sbatch_args;
    eo.n_sbatch_args = nsb;
    eo.poll_s = poll;
    eo.batch = (unsigned)batch;
    if (!quiet)
        fprintf(stderr, "sweep: %zu grid point(s) x %lu seed(s) = %zu runs on %s\n", npoints,
                seeds, ntasks, ops->name);
    fb_exec_result res;
    int rc = fb_exec_run(ops, &eo, tasks, ntasks, done, &res, err, sizeof err);
    free(ptxt);
    if (!quiet)
        fprintf(stderr, "sweep: %zu run(s) already done, %zu done now, %zu failed\n", res.skipped,
                res.done, res.failed);
    if (rc) {
        fprintf(stderr, "feverbench sweep: %s (finished runs are kept in %s/runs)\n", err, outdir);
        status = 2;
        goto free_params;
    }
    if (res.signal) {
        fprintf(stderr,
                "feverbench sweep: interrupted (signal %d); %zu of %zu runs done, kept in %s/runs: "
                "the same command resumes\n",
                res.signal, res.skipped + res.done, ntasks, outdir);
        status = 128 + res.signal;
        goto free_params;
    }
    if (collect(&st, outdir, err, sizeof err) == 0) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/study.json", outdir);
        rc = fb_sweep_write_json(&st, path, err, sizeof err);
        snprintf(path, sizeof path, "%s/study.csv", outdir);
        if (!rc)
            rc = fb_sweep_write_csv(&st, path, err, sizeof err);
        snprintf(path, sizeof path, "%s/study.html", outdir);
        if (!rc)
            rc = fb_sweep_write_html(&st, path, err, sizeof err);
    } else {
        rc = FB_ERR_NOMEM;
    }
    if (rc) {
        fprintf(stderr, "feverbench sweep: %s\n", err);
        status = 2;
    } else {
        if (!quiet)
            printf("study: %s/study.json, study.csv, study.html (%zu grid points, %zu runs%s)\n",
                   outdir, npoints, ntasks, st.complete ? "" : ", some failed");
        status = st.complete ? 0 : 3;
        if (!st.complete)
            fprintf(stderr, "feverbench sweep: %zu run(s) failed after %lu attempt(s): see %s/runs/*/log.txt\n",
                    res.failed, attempts, outdir);
    }
free_params:
    free(st.points);
    free(tasks);
    free(ids);
    free(seedtxt);
    free(argvs);
    free(done);
    cJSON_Delete(base);
    free(text);
    free(cam);
    for (size_t p = 0; p < nsets; p++)
        fb_sweep_param_free(&params[p]);
    return status;
}
