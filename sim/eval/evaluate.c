/* evaluate.c — `feverbench evaluate`: the standard battery against several DUTs and cameras, in
 * parallel, resumable, deterministic; report.json, junit.xml and report.html (docs/evaluation.md). */
#define _DEFAULT_SOURCE /* realpath */
#include "evaluate.h"
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "scenario/catalog.h"
#include "executor.h"
#include "link/link.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "util/clock.h"

#define SRC_BB "±0.3 °C with a blackbody: Dahua TPC-BF3221-T, Hikvision turrets, FLIR EST specs (2020); IEC 80601-2-59 checklist, Foster et al. 2021 (docs/sources.md: Published system specs, Standards)"

/* The checks, in report order. Bits of fb_eval_test_def.checks. */
enum { C_ACC, C_LAT, C_DET, C_SENS, C_SPEC, C_OBJ, C_LAB03, C_LAB05, C_FEVER, C_MRTD, C_ACC05,
       C_BB, C_BB_OK, C_UNM, C_AUC, C_BB_REC, C_SENS_ANY, C_SANDBOX, C_N };
/* Checks every test makes: no measurement of nobody (docs/scoring.md: every measurement is
 * accounted for, a blanket of boxes "measures" everyone), and nothing denied by the sandbox
 * (docs/security.md; not applicable to a firmware built into the bench). */
#define ALWAYS (B(C_UNM) | B(C_SANDBOX))
#define B(c) (1u << (c))

static const fb_eval_check_def checks[C_N] = {
    [C_ACC] = {"accuracy", "skin reading MAE ≤ 0.3 °C", FB_EM_SKIN_MAE, 0, 0.3, SRC_BB},
    [C_LAT] = {"latency", "95 % measured within 1 s of being screenable", FB_EM_LATENCY_P95, 0, 1.0,
               "Hikvision screening turrets: measures within 1 s (docs/sources.md: Published system specs)"},
    [C_DET] = {"detection", "≥ 90 % of screenable people measured", FB_EM_DETECTION, 1, 0.9,
               "ours: a bench limit (one entrant in ten unscreened is a gap); docs/sources.md: People flow"},
    [C_SENS] = {"sensitivity", "fever alarms: sensitivity ≥ 0.8", FB_EM_SENSITIVITY, 1, 0.8,
                "FDA clinical study: canthus + 1.24 °C alarms 0.82 of febrile at 37.5 °C (docs/sources.md: Human physiology)"},
    [C_SPEC] = {"specificity", "afebrile alarms: specificity ≥ 0.95", FB_EM_SPECIFICITY, 1, 0.95,
                "FDA clinical study: specificity 0.96 at 37.5 °C, 0.999 at 38.0 °C (docs/sources.md: Human physiology)"},
    [C_OBJ] = {"object-alarms", "no alarm on an object (drink, heater, lamp)", FB_EM_FALSE_ALARMS, 0, 0,
               "hot drinks are the classic false alarm; face detection is the guard (docs/sources.md: Confounders)"},
    [C_LAB03] = {"lab-accuracy", "every target read within ±0.3 °C", FB_EM_SKIN_MAXERR, 0, 0.3, SRC_BB},
    [C_LAB05] = {"lab-accuracy-0.5", "every target read within ±0.5 °C", FB_EM_SKIN_MAXERR, 0, 0.5,
                 "Hikvision: ±0.5 °C alone; IEC 80601-2-59 display range ≥ 30–40 °C (docs/sources.md)"},
    [C_FEVER] = {"febrile-alarmed", "every febrile target alarmed", FB_EM_SENSITIVITY, 1, 1.0,
                 "Healy et al. 2021: devices reported febrile targets as normal, \"normalized around the human mean\" (docs/sources.md: Standards)"},
    [C_MRTD] = {"mrtd", "paired targets: difference read within 0.1 °C", FB_EM_PAIR_ERR, 0, 0.1,
                "MRTD 0.1 °C: IEC 80601-2-59 checklist, Foster et al. 2021; Ghassemi et al. 2018 (docs/sources.md: Standards)"},
    [C_ACC05] = {"accuracy-0.5", "skin reading MAE ≤ 0.5 °C over a run with its reference out", FB_EM_SKIN_MAE, 0,
                 0.5, "Hikvision screening turrets: ±0.5 °C without a blackbody (docs/sources.md: Published system specs)"},
    [C_BB] = {"reference-lost", "every reference failure ≥ 2 s reported (BLACKBODY_LOST)", FB_EM_BB_DETECTION,
              1, 1.0,
              "readings are only as good as the reference (±0.3 °C with, up to 0.97 °C off without: Wang et al. 2023); Thermoteknix FevIR checks its reference and pauses if it moves (docs/sources.md)"},
    [C_BB_OK] = {"reference-trusted-early", "no BLACKBODY_OK while the reference is still unusable",
                 FB_EM_BB_FALSE_OK, 0, 0,
                 "ETRS expanded uncertainty < ±0.3 °C (Foster et al. 2021 checklist, docs/sources.md): a plate further off is no reference"},
    [C_UNM] = {"false-detections", "no measurement on nobody (a face box where there is no face)",
               FB_EM_UNMATCHED, 0, 0,
               "ours: every measurement must be of a person; a firmware that sweeps boxes over the image \"measures\" everyone (docs/scoring.md)"},
    [C_AUC] = {"ranking-auc", "febrile read above afebrile: ROC AUC ≥ 0.75", FB_EM_AUC, 1, 0.75,
               "FDA clinical study: AUC 0.96–0.97 for the canthus; 0.75 leaves room for a few people and is far above the 0.5 of a constant reading (docs/scoring.md)"},
    [C_SENS_ANY] = {"fever-alarms", "fever alarms: sensitivity ≥ 0.25 (one febrile person in four)",
                     FB_EM_SENSITIVITY, 1, 0.25,
                     "FDA clinical study: sensitivity 0.50 alarming at 38.0 °C for fever at 37.5 °C; 0.25 with a few febrile people fails only a device that (nearly) never alarms (docs/scoring.md)"},
    [C_BB_REC] = {"reference-trusted-again", "BLACKBODY_OK within 60 s of the reference being usable again",
                  FB_EM_BB_RECOVERY, 0, 60,
                  "ours: a minute of distrusting a good reference is a minute of uncorrected readings; a recovery not seen by the end of the run fails, none to see (no failure ended) is not applicable (docs/scoring.md)"},
    [C_SANDBOX] = {"contained", "nothing denied by the sandbox: no network, no files or processes beyond the link",
                   FB_EM_SANDBOX, 0, 0,
                   "ours: a screening camera needs nothing beyond its frames to measure, and buyers ask whether a device sends images home; the bench's sandbox records and denies the rest (docs/security.md). Not applicable to a firmware built into the bench or a run with --sandbox off"},
};

/* The battery. Lab tests follow IEC 80601-2-59 / Ghassemi et al. 2018 with heated face phantoms;
 * field tests are the shipped people scenarios. */
static const fb_eval_test_def battery[] = {
    {"lab-accuracy", "lab-accuracy", "lab", "Laboratory accuracy 34–39 °C",
     "Face phantoms at canthus 34–39 °C stand at the working distance; each reading against its set point.",
     B(C_LAB03) | B(C_DET) | B(C_AUC) | ALWAYS, 0},
    {"lab-range", "lab-range", "lab", "Extended range 30–42 °C",
     "Phantoms at 30, 32, 40 and 42 °C: the readings made must follow outside the human range.",
     B(C_LAB05) | ALWAYS, 0},
    {"lab-uniformity", "lab-uniformity", "lab", "Uniformity across the image",
     "The same 35 °C phantom at five positions left to right.", B(C_LAB03) | B(C_DET) | ALWAYS, 0},
    {"lab-mrtd", "lab-mrtd", "lab", "MRTD: resolving small differences",
     "Pairs of phantoms side by side differing by 0.5, 0.2 and 0.1 °C.", B(C_MRTD) | B(C_DET) | ALWAYS, 0},
    {"lab-distance", "lab-distance", "lab", "Distance and size of source",
     "The same 35.5 °C phantom at 1.8 to 2.6 m: readings must not fall with distance.",
     B(C_LAB03) | B(C_DET) | ALWAYS, 0},
    {"lab-stability", "lab-stability", "lab", "Stability and drift",
     "A camera switched on cold in a room warming 3 °C/h; identical phantoms every ~6 s for an hour (quick: its first minute).",
     B(C_LAB03) | B(C_DET) | ALWAYS, 60},
    {"lab-febrile", "lab-febrile", "lab", "Febrile targets (Healy et al. 2021)",
     "Phantoms at 38–40 °C core: a device \"normalized around the human mean\" reports them normal.",
     B(C_FEVER) | B(C_LAB03) | ALWAYS, 0},
    {"field-entrance", "default", "field", "Building entrance at shift change",
     "A steady stream of people, two febrile, a 35 °C blackbody.",
     B(C_ACC) | B(C_LAT) | B(C_DET) | B(C_SENS) | B(C_SPEC) | B(C_OBJ) | B(C_AUC) | ALWAYS, 60},
    {"field-drift", "drift", "field", "Room drifting through the day",
     "The room swings ±3 °C while people keep coming.", B(C_ACC) | B(C_LAT) | B(C_DET) | B(C_SPEC) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 90},
    {"field-warm-up", "cold-start", "field", "Camera switched on cold",
     "Warm-up drift and a shutter calibration while people come.",
     B(C_ACC) | B(C_LAT) | B(C_DET) | B(C_SPEC) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 90},
    {"field-crowd", "crowd", "field", "Crowd: several people in view",
     "About ten people in view over three lanes.",
     B(C_LAT) | B(C_DET) | B(C_SENS) | B(C_SPEC) | B(C_OBJ) | B(C_AUC) | ALWAYS, 40},
    {"field-masks", "confounder-mask", "field", "Masks",
     "Surgical and N95 masks warm the face below the eyes.", B(C_ACC) | B(C_SENS) | B(C_SPEC) | B(C_AUC) | ALWAYS, 0},
    {"field-hot-drinks", "confounder-hot-drink", "field", "Hot drinks in hand",
     "55–65 °C cups carried at chest height.", B(C_ACC) | B(C_SPEC) | B(C_OBJ) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 0},
    {"field-distractors", "distractors", "field", "Heaters, lamps, windows",
     "Hot objects and reflections in the room.", B(C_ACC) | B(C_SPEC) | B(C_OBJ) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 0},
    {"field-glasses", "confounder-glasses", "field", "Glasses",
     "Glasses hide the inner canthus (opaque in LWIR): no false alarm on wearers.", B(C_DET) | B(C_SPEC) | B(C_OBJ) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 0},
    {"field-cold-entry", "confounder-cold-entry", "field", "Coming in from the cold",
     "People straight from −5 °C: readings of those measured must still be right.",
     B(C_ACC) | B(C_SPEC) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 0},
    {"field-checkpoint", "checkpoint", "field", "Checkpoint queue with head turns",
     "A burst of 18 queueing to stand on a mark; head turns, glasses, masks, drinks.",
     B(C_ACC) | B(C_LAT) | B(C_SPEC) | B(C_AUC) | B(C_SENS_ANY) | ALWAYS, 0},
    {"field-bb-off", "blackbody-off", "field", "Blackbody switched off",
     "The reference's heater goes off for 3 min while people keep coming: the device must say so and hold its calibration.",
     B(C_BB) | B(C_BB_OK) | B(C_ACC05) | B(C_DET) | B(C_AUC) | B(C_BB_REC) | B(C_SENS_ANY) | ALWAYS, 300},
    {"field-bb-occluded", "blackbody-occluded", "field", "Blackbody covered",
     "A coat hangs over the reference for a minute; people pass in front of it.",
     B(C_BB) | B(C_BB_OK) | B(C_ACC) | B(C_DET) | B(C_AUC) | B(C_BB_REC) | B(C_SENS_ANY) | ALWAYS, 0},
};
#define N_BATTERY (sizeof battery / sizeof battery[0])

double fb_eval_round(double v, double step)
{
    if (!isfinite(v))
        return v;
    return round(v / step) * step;
}

static const char usage_eval[] =
    "usage: feverbench evaluate [--dut SPEC]... [--camera NAME]... [--battery all|lab|field|TEST,...]\n"
    "                           [--scale quick|full] [--seed N] [--seeds N] [--jobs N] [--sandbox on|off]\n"
    "                           [--out DIR] [--quiet]\n"
    "                           [--executor local|slurm] [--partition P] [--time T] [--mem M]\n"
    "                           [--sbatch-arg ARG]... [--bin PATH] [--attempts N] [--poll S]\n"
    "                           [--batch N]\n"
    "\n"
    "Runs the standard battery (laboratory tests after IEC 80601-2-59 / Ghassemi et al. 2018, and\n"
    "field tests with people) against every candidate and writes a side-by-side report:\n"
    "DIR/report.html (self-contained, readable offline), DIR/report.json, DIR/junit.xml.\n"
    "A candidate is a DUT on a camera: every --dut on every --camera (cross product).\n"
    "\n"
    "  --dut SPEC      a DUT (repeat for several; default inproc:reference), e.g.\n"
    "                  inproc:reference, inproc:flawed-hottest, exec:/path/fw, lib:/path/lib.so;\n"
    "                  NAME=SPEC names the candidate (vendor-a=exec:/opt/a/fw): the report and\n"
    "                  the runs/ folder use NAME\n"
    "  --camera NAME   a camera profile (repeat for several): a shipped profile's name (see\n"
    "                  `feverbench list`) or a profile file; default: each test scenario's own\n"
    "                  camera. The report labels such a candidate SPEC@NAME\n"
    "  --battery B     all (default), lab, field, or test ids separated by commas\n"
    "  --scale S       full (default; for a decision) or quick (shortened field runs, for CI)\n"
    "  --seed N        one seed for every run (default: each scenario's own)\n"
    "  --seeds N       run each test on N seeds (the seed, then +1, +2, ...) and pool them:\n"
    "                  counts summed, intervals from the pooled counts (default 1)\n"
    "  --jobs N        runs in parallel (default: the number of cores)\n"
    "  --sandbox on|off  passed to every run (default on; off is for debugging, and every run's\n"
    "                  results.json and the report say so)\n"
    "  --executor E    local (default: here, --jobs at once) or slurm (an sbatch job array;\n"
    "                  --out must then be a folder every node sees at the same path)\n"
    "  --partition P, --time T, --mem M   sbatch's options; --sbatch-arg ARG passes ARG on\n"
    "  --bin PATH      slurm: the feverbench binary the runs use (default: this one)\n"
    "  --attempts N    tries per run before it counts as failed (default 3)\n"
    "  --poll S        slurm: seconds between squeue polls (default 5)\n"
    "  --batch N       slurm: runs per array task, one after another (default: 1, or as many\n"
    "                  as keep the array within 1000 tasks); a failed run goes round again alone\n"
    "  --out DIR       where to write (default: evaluation); an interrupted evaluation run again\n"
    "                  with the same arguments resumes: finished runs are not redone\n"
    "  --list          print the battery's tests and checks and exit\n"
    "  --quiet         no progress and no summary\n"
    "\n"
    "exit status: 0 every candidate passed every test, 1 some test failed, 2 bad usage (an unknown\n"
    "             test or camera), 3 a run could not be done, 128+N interrupted by signal N\n";

static volatile sig_atomic_t eval_interrupted; /* the signal that stopped the executor, or 0 */

/* ---- one job = one candidate x one test ---- */
typedef struct job {
    size_t cand, test, seed_i; /* seed_i: which of --seeds N */
    char dir[4096];
    char key[1024];
    double duration_s;
    uint64_t seed;
    int state; /* 0 to do, 2 done */
    int status;
    int skipped;
    double elapsed_s; /* wall time of the run (NAN when not known) */
} job;

static int mkdir_p(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0777) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0777) && errno != EEXIST)
        return -1;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (n + 1 < cap)
            break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    return buf;
}

static int write_text(const char *path, const char *text)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0)
        return -1;
    return 0;
}

/* --dut NAME=SPEC: a candidate's friendly name. The text before the first '=' is a name when it
 * is 1..63 letters, digits, '-', '_' or '.' (so "exec:/fw --x=1" is a plain spec: ':' comes first).
 * Sets *name (NULL: no name) and returns the spec; -1 in *bad when NAME= is there but invalid. */
static const char *split_dut_name(const char *arg, char *name, size_t len, int *bad)
{
    const char *eq = strchr(arg, '=');
    *bad = 0;
    name[0] = 0;
    if (!eq)
        return arg;
    size_t n = (size_t)(eq - arg);
    for (size_t i = 0; i < n; i++) {
        char ch = arg[i];
        if (ch == ':' || ch == '/' || ch == ' ')
            return arg; /* '=' inside the spec itself */
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.'))
            *bad = 1;
    }
    if (n == 0 || n >= len || !eq[1] || (n == 1 && arg[0] == '.') || (n == 2 && !strncmp(arg, "..", 2)))
        *bad = 1;
    if (*bad)
        return arg;
    memcpy(name, arg, n);
    name[n] = 0;
    return eq + 1;
}

static void slugify(const char *spec, char *out, size_t len)
{
    const char *s = spec;
    if (strncmp(s, "inproc:", 7) == 0 && !strchr(s + 7, '/'))
        s += 7;
    const char *slash = strrchr(s, '/');
    if (slash && slash[1])
        s = slash + 1;
    size_t j = 0;
    for (; *s && j + 1 < len; s++)
        out[j++] = (char)(((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                           (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.')
                              ? *s
                              : '_');
    out[j] = 0;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const cJSON *obj(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* MRTD pairs: subjects "NAME-a" and "NAME-b" measured together. */
static double pair_error(const fb_eval_run *r)
{
    double worst = NAN;
    for (size_t i = 0; i < r->n_subj; i++) {
        const fb_eval_subject *a = &r->subj[i];
        size_t la = strlen(a->id);
        if (la < 3 || strcmp(a->id + la - 2, "-a") != 0)
            continue;
        for (size_t j = 0; j < r->n_subj; j++) {
            const fb_eval_subject *b = &r->subj[j];
            if (strlen(b->id) != la || strncmp(a->id, b->id, la - 2) != 0 || b->id[la - 1] != 'b')
                continue;
            double e = 1e9; /* an unmeasured pair is not resolved */
            if (a->measured && b->measured)
                e = fabs((a->skin_reported_c - b->skin_reported_c) -
                         (a->skin_true_c - b->skin_true_c));
            if (isnan(worst) || e > worst)
                worst = e;
        }
    }
    return worst;
}

/* Reads DIR/results.json into r. Returns 0, or -1 when missing or unreadable. */
static int read_results(const char *dir, fb_eval_run *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.json", dir);
    char *text = slurp(path);
    if (!text)
        return -1;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        return -1;
    const cJSON *det = obj(doc, "detection"), *acc = obj(obj(doc, "accuracy"), "skin"),
                *cls = obj(doc, "classification"), *sc = obj(doc, "scenario");
    r->complete = cJSON_IsTrue(obj(doc, "complete"));
    r->scenario_pass = cJSON_IsTrue(obj(doc, "pass"));
    r->faults = (size_t)(isnan(num(obj(doc, "faults"), "count")) ? 0 : num(obj(doc, "faults"), "count"));
    r->m[FB_EM_DETECTION] = num(det, "detection_rate");
    r->m[FB_EM_LATENCY_P95] = num(det, "latency_p95_s");
    r->m[FB_EM_SKIN_MAE] = num(acc, "mae_c");
    r->m[FB_EM_SKIN_BIAS] = num(acc, "bias_c");
    r->m[FB_EM_SENSITIVITY] = num(cls, "sensitivity");
    r->m[FB_EM_SPECIFICITY] = num(cls, "specificity");
    r->m[FB_EM_FALSE_ALARMS] = num(cls, "false_alarms");
    r->m[FB_EM_UNMATCHED] = num(obj(doc, "events"), "unmatched_measurements");
    r->m[FB_EM_AUC] = num(cls, "auc");
    r->fever_threshold_c = num(cls, "fever_threshold_c");
    r->alarm_threshold_c = num(cls, "alarm_threshold_c");
    const cJSON *bb = obj(doc, "blackbody"); /* absent without a blackbody: NAN */
    r->m[FB_EM_BB_DETECTION] = num(bb, "detection_rate");
    r->m[FB_EM_BB_FALSE_OK] = num(bb, "false_ok");
    r->bb_required = num(bb, "required");
    r->bb_detected = num(bb, "detected");
    /* a recovery not seen by the end of the run is longer than any limit; none at all (no
     * failure ended) leaves the check not applicable */
    r->m[FB_EM_BB_RECOVERY] = num(bb, "recovery_censored") > 0 ? INFINITY : num(bb, "recovery_max_s");
    r->duration_s = num(doc, "duration_s");
    const cJSON *cam = obj(doc, "camera");
    snprintf(r->camera, sizeof r->camera, "%s", cJSON_IsString(cam) ? cam->valuestring : "");
    double fw = num(doc, "frame_width_px"), fh = num(doc, "frame_height_px"), fps = num(doc, "fps");
    r->width = isfinite(fw) ? (int)fw : 0;
    r->height = isfinite(fh) ? (int)fh : 0;
    r->fps = isfinite(fps) ? fps : 0;
    const cJSON *h = obj(sc, "hash");
    snprintf(r->scenario_hash, sizeof r->scenario_hash, "%s", cJSON_IsString(h) ? h->valuestring : "");
    const cJSON *subs = obj(doc, "subjects");
    int n = cJSON_GetArraySize(subs);
    r->subj = calloc(n > 0 ? (size_t)n : 1, sizeof *r->subj);
    r->n_subj = 0;
    double maxerr = NAN;
    const cJSON *s;
    cJSON_ArrayForEach(s, subs)
    {
        fb_eval_subject *e = &r->subj[r->n_subj++];
        const cJSON *id = obj(s, "id"), *st = obj(s, "status");
        snprintf(e->id, sizeof e->id, "%s", cJSON_IsString(id) ? id->valuestring : "?");
        e->seed = r->seed;
        const char *sts = cJSON_IsString(st) ? st->valuestring : "";
        e->measured = strcmp(sts, "measured") == 0;
        e->screenable = e->measured || strcmp(sts, "missed") == 0;
        /* scored for detection: missed, or measured after enough screenable frames (older
         * results.json without screenable_frames: every measured subject) */
        double sf = num(s, "screenable_frames"), minf = num(det, "min_screenable_frames");
        e->scored = strcmp(sts, "missed") == 0 ||
                    (e->measured && (isnan(sf) || isnan(minf) || sf >= minf));
        e->febrile = cJSON_IsTrue(obj(s, "febrile"));
        e->alarm = cJSON_IsTrue(obj(s, "alarm"));
        e->latency_s = num(s, "latency_s");
        e->measured_at_s = num(s, "measured_at_s");
        e->skin_true_c = num(s, "skin_true_c");
        e->skin_reported_c = num(s, "skin_reported_c");
        e->core_c = num(s, "core_c");
        e->body_reported_c = num(s, "body_reported_c");
        if (e->measured && isfinite(e->skin_reported_c) && isfinite(e->skin_true_c)) {
            double err = fabs(e->skin_reported_c - e->skin_true_c);
            if (isnan(maxerr) || err > maxerr)
                maxerr = err;
        }
    }
    r->m[FB_EM_SKIN_MAXERR] = maxerr;
    r->m[FB_EM_PAIR_ERR] = pair_error(r);
    fb_eval_count_people(r);
    fb_eval_sec_read(doc, r->seed, &r->sec);
    cJSON_Delete(doc);
    return 0;
}

static void judge(fb_eval_run *r, const fb_eval_test_def *t)
{
    if (!(t->checks & B(C_MRTD)))
        r->m[FB_EM_PAIR_ERR] = NAN; /* pairs mean something only in the MRTD test */
    r->m[FB_EM_SANDBOX] = fb_eval_sec_denied(&r->sec); /* over the test's seeds */
    r->pass = r->complete && r->faults == 0 && (r->exit_status == 0 || r->exit_status == 1);
    int any = 0;
    for (size_t c = 0; c < C_N; c++) {
        r->check[c] = FB_EVAL_NA;
        if (!(t->checks & B(c)))
            continue;
        double a = r->m[checks[c].metric];
        if (isnan(a)) {
            /* undefined: no febrile person (sensitivity) is not applicable; nothing measured fails */
            r->check[c] = (checks[c].metric == FB_EM_SENSITIVITY || checks[c].metric == FB_EM_AUC ||
                           checks[c].metric == FB_EM_BB_RECOVERY || checks[c].metric == FB_EM_SANDBOX ||
                           checks[c].metric == FB_EM_SPECIFICITY || checks[c].metric == FB_EM_LATENCY_P95)
                              ? FB_EVAL_NA
                              : FB_EVAL_FAIL;
        } else {
            a = fb_eval_round(a, 1e-4); /* the report shows what was judged */
            r->check[c] = (checks[c].at_least ? a >= checks[c].limit - 1e-9
                                              : a <= checks[c].limit + 1e-9)
                              ? FB_EVAL_PASS
                              : FB_EVAL_FAIL;
        }
        if (r->check[c] == FB_EVAL_FAIL)
            r->pass = 0;
        if (r->check[c] != FB_EVAL_NA)
            any = 1;
    }
    if (!any)
        r->pass = 0;
}

/* ---- pooled statistics ---- */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

typedef struct roc_pt {
    double score;
    int pos;
} roc_pt;

static void pool(const fb_eval *ev, fb_eval_candidate *c)
{
    fb_eval_pooled *p = &c->pooled;
    size_t cap = 16;
    for (size_t t = 0; t < ev->n_tests; t++)
        cap += c->runs[t].n_subj;
    double *err = calloc(cap, sizeof *err), *lat = calloc(cap, sizeof *lat);
    roc_pt *roc = calloc(cap, sizeof *roc);
    size_t ne = 0, nl = 0, nr = 0, tp = 0, fn = 0, tn = 0, fp = 0, npos = 0, nneg = 0;
    p->false_alarms = 0;
    p->fever_threshold_c = p->alarm_threshold_c = NAN;
    int first_field = 1;
    for (size_t t = 0; t < ev->n_tests; t++) {
        const fb_eval_run *r = &c->runs[t];
        int field = strcmp(ev->tests[t].group, "field") == 0;
        if (field) { /* one fever definition over the pooled columns, or NAN: they differ */
            p->fever_threshold_c = first_field || p->fever_threshold_c == r->fever_threshold_c
                                       ? r->fever_threshold_c : NAN;
            p->alarm_threshold_c = first_field || p->alarm_threshold_c == r->alarm_threshold_c
                                       ? r->alarm_threshold_c : NAN;
            first_field = 0;
        }
        if (field && isfinite(r->m[FB_EM_FALSE_ALARMS]))
            p->false_alarms += (size_t)r->m[FB_EM_FALSE_ALARMS];
        for (size_t i = 0; i < r->n_subj; i++) {
            const fb_eval_subject *s = &r->subj[i];
            if (s->measured && isfinite(s->skin_reported_c) && isfinite(s->skin_true_c))
                err[ne++] = s->skin_reported_c - s->skin_true_c;
            if (!field || !s->screenable)
                continue;
            if (s->measured && isfinite(s->latency_s))
                lat[nl++] = s->latency_s;
            if (!s->measured)
                continue; /* missed: counted apart, not a negative (docs/scoring.md) */
            if (s->febrile)
                s->alarm ? tp++ : fn++;
            else
                s->alarm ? fp++ : tn++;
            if (s->measured && isfinite(s->body_reported_c)) {
                roc[nr].score = s->body_reported_c;
                roc[nr].pos = s->febrile;
                s->febrile ? npos++ : nneg++;
                nr++;
            }
        }
    }
    p->n_skin = ne;
    double sum = 0, sabs = 0;
    for (size_t i = 0; i < ne; i++) {
        sum += err[i];
        sabs += fabs(err[i]);
    }
    p->skin_bias = ne ? sum / (double)ne : NAN;
    p->skin_mae = ne ? sabs / (double)ne : NAN;
    double ss = 0;
    for (size_t i = 0; i < ne; i++)
        ss += (err[i] - p->skin_bias) * (err[i] - p->skin_bias);
    p->skin_sd = ne > 1 ? sqrt(ss / (double)(ne - 1)) : NAN;
    p->skin_loa_lo = p->skin_bias - 1.96 * p->skin_sd;
    p->skin_loa_hi = p->skin_bias + 1.96 * p->skin_sd;
    p->n_latency = nl;
    p->latency_median_s = quantile(lat, nl, 0.5);
    p->latency_p95_s = quantile(lat, nl, 0.95);
    p->sensitivity = tp + fn ? (double)tp / (double)(tp + fn) : NAN;
    p->specificity = tn + fp ? (double)tn / (double)(tn + fp) : NAN;
    /* AUC: probability a febrile reading is higher than an afebrile one (ties count half) */
    if (npos && nneg) {
        double a = 0;
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < nr; j++)
                if (roc[i].pos && !roc[j].pos)
                    a += roc[i].score > roc[j].score ? 1.0 : roc[i].score == roc[j].score ? 0.5 : 0.0;
        p->auc = a / ((double)npos * (double)nneg);
    } else {
        p->auc = NAN;
    }
    free(err);
    free(lat);
    free(roc);
}

/* ---- report.json and junit.xml ---- */
/* The sandbox audits of a candidate's tests, pooled (eval_security.c). */
static void pool_security(const fb_eval *ev, fb_eval_candidate *c)
{
    const fb_eval_sec *runs_sec[N_BATTERY];
    const char *ids[N_BATTERY];
    size_t n = ev->n_tests < N_BATTERY ? ev->n_tests : N_BATTERY;
    for (size_t t = 0; t < n; t++) {
        runs_sec[t] = &c->runs[t].sec;
        ids[t] = ev->tests[t].id;
    }
    fb_eval_sec_pool(&c->security, runs_sec, ids, n);
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, fb_eval_round(v, 1e-4));
    else
        cJSON_AddNullToObject(o, k);
}

static const char *metric_name(fb_eval_metric m)
{
    static const char *const n[FB_EM_COUNT] = {"detection_rate", "latency_p95_s", "skin_mae_c",
                                               "skin_bias_c", "skin_max_abs_error_c", "sensitivity",
                                               "specificity", "false_alarms", "pair_diff_max_error_c",
                                               "bb_detection_rate", "bb_false_ok",
                                               "unmatched_measurements", "auc", "bb_recovery_max_s",
                                               "sandbox_denied"};
    return n[m];
}

static const char *verdict_name(int v)
{
    return v == FB_EVAL_PASS ? "pass" : v == FB_EVAL_FAIL ? "fail" : "n/a";
}

/* [lo, hi] or null. */
static void add_ci(cJSON *o, const char *k, fb_interval ci)
{
    if (!isfinite(ci.lo) || isnan(ci.hi)) {
        cJSON_AddNullToObject(o, k);
        return;
    }
    cJSON *a = cJSON_AddArrayToObject(o, k);
    cJSON_AddItemToArray(a, cJSON_CreateNumber(fb_eval_round(ci.lo, 1e-4)));
    /* [lo, null]: bounded from below only (a p95 of fewer than 72 latencies) */
    cJSON_AddItemToArray(a, isinf(ci.hi) ? cJSON_CreateNull() : cJSON_CreateNumber(fb_eval_round(ci.hi, 1e-4)));
}

/* A check's verdict with its confidence: "inconclusive" when the limit lies in its interval. */
static const char *conf_verdict(const fb_eval_run *r, size_t c)
{
    if (r->check[c] != FB_EVAL_NA && r->conf[c].confidence == FB_CONF_INCONCLUSIVE)
        return "inconclusive";
    return verdict_name(r->check[c]);
}

/* A result's people, its checks' samples and intervals, and its seeds (docs/evaluation.md). */
static void json_result_confidence(cJSON *ro, const fb_eval_run *r, const fb_eval_test_def *t)
{
    cJSON *pe = cJSON_AddObjectToObject(ro, "people");
    cJSON_AddNumberToObject(pe, "subjects", (double)r->people.subjects);
    cJSON_AddNumberToObject(pe, "screenable", (double)r->people.scored);
    cJSON_AddNumberToObject(pe, "measured", (double)r->people.measured);
    cJSON_AddNumberToObject(pe, "missed", (double)r->people.missed);
    cJSON_AddNumberToObject(pe, "missed_febrile", (double)r->people.missed_febrile);
    cJSON_AddNumberToObject(pe, "missed_afebrile", (double)r->people.missed_afebrile);
    cJSON_AddNumberToObject(pe, "not_screenable", (double)r->people.not_screenable);
    cJSON_AddNumberToObject(pe, "measured_unscreenable", (double)r->people.measured_unscored);
    cJSON *cf = cJSON_AddObjectToObject(ro, "confidence");
    for (size_t c = 0; c < C_N; c++) {
        if (!(t->checks & B(c)))
            continue;
        const fb_eval_conf *k = &r->conf[c];
        cJSON *o = cJSON_AddObjectToObject(cf, checks[c].id);
        cJSON_AddStringToObject(o, "verdict", conf_verdict(r, c));
        if (k->share) {
            cJSON_AddNumberToObject(o, "k", (double)k->k);
            cJSON_AddNumberToObject(o, "n", (double)k->n);
        } else if (k->n) {
            cJSON_AddNumberToObject(o, "n", (double)k->n);
        }
        add_ci(o, "ci95", k->ci);
        if (k->n_to_settle)
            cJSON_AddNumberToObject(o, "n_to_settle", (double)k->n_to_settle);
        else
            cJSON_AddNullToObject(o, "n_to_settle");
    }
    cJSON *sd = cJSON_AddArrayToObject(ro, "seeds");
    if (r->n_seeds)
        for (size_t i = 0; i < r->n_seeds; i++)
            cJSON_AddItemToArray(sd, cJSON_CreateNumber((double)r->seeds[i]));
    else
        cJSON_AddItemToArray(sd, cJSON_CreateNumber((double)r->seed));
}

/* The pooled intervals and whether the candidate can be told from the one ranked above. */
static void json_pooled_confidence(cJSON *o, cJSON *p, const fb_eval_candidate *c, int first)
{
    add_ci(p, "skin_mae_ci95_c", c->pooled.skin_mae_ci);
    add_ci(p, "skin_bias_ci95_c", c->pooled.skin_bias_ci);
    cJSON_AddNumberToObject(p, "sensitivity_k", (double)c->pooled.sens_k);
    cJSON_AddNumberToObject(p, "sensitivity_n", (double)c->pooled.sens_n);
    add_ci(p, "sensitivity_ci95", c->pooled.sensitivity_ci);
    cJSON_AddNumberToObject(p, "specificity_k", (double)c->pooled.spec_k);
    cJSON_AddNumberToObject(p, "specificity_n", (double)c->pooled.spec_n);
    add_ci(p, "specificity_ci95", c->pooled.specificity_ci);
    add_ci(p, "latency_median_ci95_s", c->pooled.latency_median_ci);
    add_ci(p, "latency_p95_ci95_s", c->pooled.latency_p95_ci);
    cJSON_AddNumberToObject(p, "auc_n_febrile", (double)c->pooled.auc_n_pos);
    cJSON_AddNumberToObject(p, "auc_n_afebrile", (double)c->pooled.auc_n_neg);
    add_ci(p, "auc_ci95", c->pooled.auc_ci);
    if (first) {
        cJSON_AddNullToObject(o, "indistinguishable_from_above");
        return;
    }
    cJSON_AddBoolToObject(o, "indistinguishable_from_above", c->indistinct);
    if (!c->indistinct)
        cJSON_AddStringToObject(o, "distinguished_by", c->why_distinct);
}

/* The camera specification table: every camera a candidate used (eval_tables.c). */
static void json_cameras(cJSON *doc, const fb_eval *ev)
{
    cJSON *a = cJSON_AddArrayToObject(doc, "cameras");
    for (size_t i = 0; i < ev->n_cameras; i++) {
        const fb_camera_profile *p = &ev->cameras[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON_AddStringToObject(o, "description", p->description);
        cJSON_AddNumberToObject(o, "frame_width_px", p->width);
        cJSON_AddNumberToObject(o, "frame_height_px", p->height);
        add_num(o, "hfov_deg", p->hfov_deg);
        add_num(o, "fps", p->fps);
        add_num(o, "netd_mk", p->netd_mk);
        add_num(o, "pixel_pitch_um", p->pixel_pitch_um);
        add_num(o, "f_number", p->f_number);
        add_num(o, "ffc_period_s", p->ffc_period_s);
        add_num(o, "drift_sd_c", p->drift_sd_c);
        cJSON_AddItemToArray(a, o);
    }
}

static int write_json(const fb_eval *ev, const char *path)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "feverbench", ev->version);
    cJSON_AddStringToObject(doc, "scale", ev->scale);
    if (ev->seed_set)
        cJSON_AddNumberToObject(doc, "seed", (double)ev->seed);
    else
        cJSON_AddStringToObject(doc, "seed", "each scenario's own");
    cJSON_AddNumberToObject(doc, "seeds_per_test", ev->n_seeds ? ev->n_seeds : 1);
    json_cameras(doc, ev);
    cJSON *cks = cJSON_AddArrayToObject(doc, "checks");
    for (size_t c = 0; c < C_N; c++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", checks[c].id);
        cJSON_AddStringToObject(o, "label", checks[c].label);
        cJSON_AddStringToObject(o, "metric", metric_name(checks[c].metric));
        cJSON_AddStringToObject(o, "compare", checks[c].at_least ? ">=" : "<=");
        cJSON_AddNumberToObject(o, "limit", checks[c].limit);
        cJSON_AddStringToObject(o, "source", checks[c].source);
        cJSON_AddItemToArray(cks, o);
    }
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    for (size_t t = 0; t < ev->n_tests; t++) {
        const fb_eval_test_def *d = &ev->tests[t];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", d->id);
        cJSON_AddStringToObject(o, "group", d->group);
        cJSON_AddStringToObject(o, "scenario", d->scenario);
        cJSON_AddStringToObject(o, "title", d->title);
        cJSON_AddStringToObject(o, "what", d->what);
        cJSON *ca = cJSON_AddArrayToObject(o, "checks");
        for (size_t c = 0; c < C_N; c++)
            if (d->checks & B(c))
                cJSON_AddItemToArray(ca, cJSON_CreateString(checks[c].id));
        cJSON_AddItemToArray(tests, o);
    }
    cJSON *cands = cJSON_AddArrayToObject(doc, "candidates");
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[ev->order[k]];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", c->rank);
        cJSON_AddStringToObject(o, "label", c->label);
        cJSON_AddStringToObject(o, "dut", c->spec);
        if (c->name)
            cJSON_AddStringToObject(o, "name", c->name);
        else
            cJSON_AddNullToObject(o, "name");
        cJSON_AddStringToObject(o, "firmware", c->fw_name);
        cJSON_AddStringToObject(o, "camera", c->camera);
        cJSON_AddStringToObject(o, "camera_source", c->camera_arg ? "--camera" : "scenario");
        if (c->width > 0 && c->height > 0) {
            cJSON_AddNumberToObject(o, "frame_width_px", c->width);
            cJSON_AddNumberToObject(o, "frame_height_px", c->height);
            add_num(o, "fps", c->fps);
        }
        cJSON_AddNumberToObject(o, "tests_passed", (double)c->tests_passed);
        cJSON_AddNumberToObject(o, "tests", (double)ev->n_tests);
        cJSON_AddNumberToObject(o, "lab_passed", (double)c->lab_passed);
        cJSON_AddNumberToObject(o, "lab_tests", (double)c->lab_total);
        cJSON_AddNumberToObject(o, "field_passed", (double)c->field_passed);
        cJSON_AddNumberToObject(o, "field_tests", (double)c->field_total);
        cJSON_AddNumberToObject(o, "checks_passed", (double)c->checks_passed);
        cJSON_AddNumberToObject(o, "checks", (double)c->checks_total);
        cJSON *p = cJSON_AddObjectToObject(o, "pooled");
        cJSON_AddNumberToObject(p, "skin_n", (double)c->pooled.n_skin);
        add_num(p, "skin_bias_c", c->pooled.skin_bias);
        add_num(p, "skin_sd_c", c->pooled.skin_sd);
        add_num(p, "skin_mae_c", c->pooled.skin_mae);
        add_num(p, "skin_loa_lo_c", c->pooled.skin_loa_lo);
        add_num(p, "skin_loa_hi_c", c->pooled.skin_loa_hi);
        cJSON_AddNumberToObject(p, "latency_n", (double)c->pooled.n_latency);
        add_num(p, "latency_median_s", c->pooled.latency_median_s);
        add_num(p, "latency_p95_s", c->pooled.latency_p95_s);
        add_num(p, "sensitivity", c->pooled.sensitivity);
        add_num(p, "specificity", c->pooled.specificity);
        add_num(p, "auc", c->pooled.auc);
        add_num(p, "fever_threshold_c", c->pooled.fever_threshold_c);
        add_num(p, "alarm_threshold_c", c->pooled.alarm_threshold_c);
        cJSON_AddNumberToObject(p, "false_alarms", (double)c->pooled.false_alarms);
        json_pooled_confidence(o, p, c, k == 0);
        fb_eval_sec_json(o, &c->security);
        cJSON *rs = cJSON_AddArrayToObject(o, "results");
        for (size_t t = 0; t < ev->n_tests; t++) {
            const fb_eval_run *r = &c->runs[t];
            cJSON *ro = cJSON_CreateObject();
            cJSON_AddStringToObject(ro, "test", ev->tests[t].id);
            cJSON_AddStringToObject(ro, "camera", r->camera);
            cJSON_AddStringToObject(ro, "verdict", r->pass ? "pass" : "fail");
            cJSON_AddNumberToObject(ro, "exit_status", r->exit_status);
            cJSON_AddBoolToObject(ro, "complete", r->complete);
            cJSON_AddNumberToObject(ro, "dut_faults", (double)r->faults);
            cJSON_AddBoolToObject(ro, "scenario_criteria_pass", r->scenario_pass);
            cJSON_AddStringToObject(ro, "scenario_hash", r->scenario_hash);
            cJSON_AddNumberToObject(ro, "seed", (double)r->seed);
            add_num(ro, "duration_s", r->duration_s);
            add_num(ro, "fever_threshold_c", r->fever_threshold_c);
            add_num(ro, "alarm_threshold_c", r->alarm_threshold_c);
            cJSON *m = cJSON_AddObjectToObject(ro, "metrics");
            for (int i = 0; i < FB_EM_COUNT; i++)
                add_num(m, metric_name((fb_eval_metric)i), r->m[i]);
            cJSON *ch = cJSON_AddObjectToObject(ro, "checks");
            for (size_t cc = 0; cc < C_N; cc++)
                if (ev->tests[t].checks & B(cc))
                    cJSON_AddStringToObject(ch, checks[cc].id, verdict_name(r->check[cc]));
            json_result_confidence(ro, r, &ev->tests[t]);
            fb_eval_sec_json_run(ro, &r->sec);
            cJSON *sa = cJSON_AddArrayToObject(ro, "subjects");
            for (size_t i = 0; i < r->n_subj; i++) {
                const fb_eval_subject *s = &r->subj[i];
                cJSON *so = cJSON_CreateObject();
                cJSON_AddStringToObject(so, "id", s->id);
                cJSON_AddStringToObject(so, "status", s->measured ? "measured" : s->screenable ? "missed" : "not_screenable");
                cJSON_AddBoolToObject(so, "febrile", s->febrile);
                cJSON_AddBoolToObject(so, "alarm", s->alarm);
                add_num(so, "latency_s", s->latency_s);
                add_num(so, "measured_at_s", s->measured_at_s);
                add_num(so, "skin_true_c", s->skin_true_c);
                add_num(so, "skin_reported_c", s->skin_reported_c);
                add_num(so, "core_c", s->core_c);
                add_num(so, "body_reported_c", s->body_reported_c);
                cJSON_AddItemToArray(sa, so);
            }
            cJSON_AddItemToArray(rs, ro);
        }
        cJSON_AddItemToArray(cands, o);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return -1;
    size_t n = strlen(text);
    char *t2 = malloc(n + 2);
    int rc = -1;
    if (t2) {
        memcpy(t2, text, n);
        t2[n] = '\n';
        t2[n + 1] = 0;
        rc = write_text(path, t2);
        free(t2);
    }
    cJSON_free(text);
    return rc;
}

static void xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void junit_prop(FILE *f, const char *indent, const char *name, const char *value)
{
    fprintf(f, "%s<property name=\"%s\" value=\"", indent, name);
    xml_escape(f, value);
    fputs("\"/>\n", f);
}

/* A candidate's identity: what a CI dashboard shows beside its tests. */
static void junit_suite_properties(FILE *f, const fb_eval *ev, const fb_eval_candidate *c)
{
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)ev->seed);
    fputs("    <properties>\n", f);
    junit_prop(f, "      ", "version", ev->version);
    junit_prop(f, "      ", "scale", ev->scale);
    junit_prop(f, "      ", "seed", ev->seed_set ? seed : "each scenario's own");
    junit_prop(f, "      ", "dut", c->spec);
    junit_prop(f, "      ", "firmware", c->fw_name);
    junit_prop(f, "      ", "camera", c->camera);
    fputs("    </properties>\n", f);
}

/* One run: its seed, scenario hash, exit status, the people counted (n) and every metric the
 * checks compare (report.json's names; "null" when undefined). */
static void junit_case_properties(FILE *f, const fb_eval_run *r)
{
    char v[64];
    size_t screenable = 0, measured = 0;
    for (size_t i = 0; i < r->n_subj; i++) {
        screenable += (size_t)r->subj[i].screenable;
        measured += (size_t)r->subj[i].measured;
    }
    fputs("      <properties>\n", f);
    snprintf(v, sizeof v, "%llu", (unsigned long long)r->seed);
    junit_prop(f, "        ", "seed", v);
    junit_prop(f, "        ", "scenario_hash", r->scenario_hash);
    snprintf(v, sizeof v, "%d", r->exit_status);
    junit_prop(f, "        ", "exit_status", v);
    snprintf(v, sizeof v, "%.6g", r->duration_s);
    junit_prop(f, "        ", "duration_s", v);
    snprintf(v, sizeof v, "%zu", r->n_subj);
    junit_prop(f, "        ", "n_subjects", v);
    snprintf(v, sizeof v, "%zu", screenable);
    junit_prop(f, "        ", "n_screenable", v);
    snprintf(v, sizeof v, "%zu", measured);
    junit_prop(f, "        ", "n_measured", v);
    for (int m = 0; m < FB_EM_COUNT; m++) {
        char name[64];
        snprintf(name, sizeof name, "metric.%s", metric_name((fb_eval_metric)m));
        if (isfinite(r->m[m]))
            snprintf(v, sizeof v, "%.6g", fb_eval_round(r->m[m], 1e-4));
        else
            snprintf(v, sizeof v, "null");
        junit_prop(f, "        ", name, v);
    }
    fputs("      </properties>\n", f);
}

static int write_junit(const fb_eval *ev, const char *path)
{
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    size_t total = 0, failures = 0;
    for (size_t k = 0; k < ev->n_cands; k++)
        for (size_t t = 0; t < ev->n_tests; t++) {
            total++;
            failures += !ev->cands[k].runs[t].pass;
        }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"feverbench evaluate\" tests=\"%zu\" failures=\"%zu\">\n",
            total, failures);
    for (size_t k = 0; k < ev->n_cands; k++) {
        const fb_eval_candidate *c = &ev->cands[k];
        size_t fails = 0;
        for (size_t t = 0; t < ev->n_tests; t++)
            fails += !c->runs[t].pass;
        double total_s = 0;
        for (size_t t = 0; t < ev->n_tests; t++)
            total_s += isfinite(c->runs[t].elapsed_s) ? c->runs[t].elapsed_s : 0;
        fputs("  <testsuite name=\"", f);
        xml_escape(f, c->label);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", ev->n_tests, fails, total_s);
        junit_suite_properties(f, ev, c);
        for (size_t t = 0; t < ev->n_tests; t++) {
            const fb_eval_run *r = &c->runs[t];
            fputs("    <testcase classname=\"", f);
            xml_escape(f, c->label);
            fprintf(f, "\" name=\"%s\" time=\"%.3f\">\n", ev->tests[t].id,
                    isfinite(r->elapsed_s) ? r->elapsed_s : 0.0);
            junit_case_properties(f, r);
            if (r->pass) {
                fputs("    </testcase>\n", f);
                continue;
            }
            fputs("      <failure message=\"", f);
            char msg[2048];
            size_t m = 0;
            msg[0] = 0;
            if (!r->complete || r->faults)
                m += (size_t)snprintf(msg + m, sizeof msg - m, "run incomplete or DUT fault (exit %d); ", r->exit_status);
            for (size_t cc = 0; cc < C_N && m < sizeof msg; cc++)
                if (r->check[cc] == FB_EVAL_FAIL)
                    m += (size_t)snprintf(msg + m, sizeof msg - m, "%s: %.4g (limit %s %.4g%s); ",
                                          checks[cc].id, r->m[checks[cc].metric],
                                          checks[cc].at_least ? ">=" : "<=", checks[cc].limit,
                                          r->conf[cc].confidence == FB_CONF_INCONCLUSIVE
                                              ? ", inconclusive: the limit lies in the 95 % interval"
                                              : "");
            xml_escape(f, msg);
            fputs("\"/>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0)
        return -1;
    return 0;
}

/* ---- the command ---- */
static int select_tests(const char *sel, const fb_eval_test_def **out, size_t *n)
{
    static fb_eval_test_def chosen[N_BATTERY];
    size_t k = 0;
    for (size_t i = 0; i < N_BATTERY; i++) {
        int take = 0;
        if (!sel || strcmp(sel, "all") == 0)
            take = 1;
        else if (strcmp(sel, "lab") == 0 || strcmp(sel, "field") == 0)
            take = strcmp(battery[i].group, sel) == 0;
        else {
            size_t l = strlen(battery[i].id);
            for (const char *p = sel; p && *p;) {
                if (strncmp(p, battery[i].id, l) == 0 && (p[l] == ',' || p[l] == 0))
                    take = 1;
                p = strchr(p, ',');
                if (p)
                    p++;
            }
        }
        if (take)
            chosen[k++] = battery[i];
    }
    if (sel && strcmp(sel, "all") && strcmp(sel, "lab") && strcmp(sel, "field")) {
        /* every named id must exist */
        for (const char *p = sel; *p;) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            int found = 0;
            for (size_t i = 0; i < N_BATTERY; i++)
                if (strlen(battery[i].id) == l && strncmp(battery[i].id, p, l) == 0)
                    found = 1;
            if (!found) {
                fprintf(stderr, "feverbench evaluate: --battery: unknown test \"%.*s\" (see --list)\n", (int)l, p);
                return -1;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    *out = chosen;
    *n = k;
    return k ? 0 : -1;
}

static void self_exe(char *buf, size_t len, const char *argv0)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n > 0) {
        buf[n] = 0;
        return;
    }
    snprintf(buf, len, "%s", argv0);
}

static int cmp_rank(const void *a, const void *b, const fb_eval_candidate *cs)
{
    const fb_eval_candidate *x = &cs[*(const size_t *)a], *y = &cs[*(const size_t *)b];
    if (x->tests_passed != y->tests_passed)
        return x->tests_passed > y->tests_passed ? -1 : 1;
    if (x->checks_passed != y->checks_passed)
        return x->checks_passed > y->checks_passed ? -1 : 1;
    double mx = isnan(x->pooled.skin_mae) ? 1e9 : x->pooled.skin_mae;
    double my = isnan(y->pooled.skin_mae) ? 1e9 : y->pooled.skin_mae;
    if (mx != my)
        return mx < my ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void rank_candidates(fb_eval *ev)
{
    /* insertion sort (few candidates; qsort has no context argument in C11) */
    for (size_t i = 0; i < ev->n_cands; i++)
        ev->order[i] = i;
    for (size_t i = 1; i < ev->n_cands; i++)
        for (size_t k = i; k > 0 && cmp_rank(&ev->order[k], &ev->order[k - 1], ev->cands) < 0; k--) {
            size_t t = ev->order[k];
            ev->order[k] = ev->order[k - 1];
            ev->order[k - 1] = t;
        }
    for (size_t i = 0; i < ev->n_cands; i++)
        ev->cands[ev->order[i]].rank = (int)i + 1;
}

/* A finished run's verdict for the progress line: the battery's checks on this run (one seed),
 * not the scenario's own criteria, which can disagree with them (docs/evaluation.md). */
static void progress_verdict(const job *j, const fb_eval_test_def *t, int crashed, char *buf, size_t len)
{
    if (crashed || j->status >= 128) {
        snprintf(buf, len, "%s", crashed ? "FAIL (crashed: DUT fault)" : "not finished");
        return;
    }
    fb_eval_run r;
    memset(&r, 0, sizeof r);
    for (int m = 0; m < FB_EM_COUNT; m++)
        r.m[m] = NAN;
    r.exit_status = j->status;
    r.seed = j->seed;
    if (read_results(j->dir, &r)) {
        snprintf(buf, len, "no results.json (exit %d)", j->status);
        return;
    }
    judge(&r, t);
    fb_eval_confidence(&r, checks, C_N, t->checks);
    size_t n = (size_t)snprintf(buf, len, "%s", r.pass ? "pass" : "FAIL");
    const char *sep = " (";
    if (!r.complete || r.faults) {
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%sDUT fault or incomplete", sep);
        sep = ", ";
    }
    int inc_named = 0;
    for (int pass = 0; pass < 2; pass++) /* the failed checks, then the inconclusive ones */
        for (size_t c = 0; c < C_N && n < len; c++) {
            int inc = r.check[c] != FB_EVAL_NA && r.conf[c].confidence == FB_CONF_INCONCLUSIVE;
            if (pass == 0 ? r.check[c] != FB_EVAL_FAIL : !inc || r.check[c] == FB_EVAL_FAIL)
                continue;
            n += (size_t)snprintf(buf + n, len - n, "%s%s%s", sep, pass && !inc_named++ ? "inconclusive: " : "",
                                  checks[c].id);
            sep = ", ";
        }
    if (strcmp(sep, ", ") == 0 && n < len)
        snprintf(buf + n, len - n, ")");
    free(r.subj);
}

/* ", ETA 1m05s" from the elapsed time and the runs done of todo; "" before the first. */
static void progress_eta(double elapsed_s, size_t done, size_t todo, char *buf, size_t len)
{
    buf[0] = 0;
    if (done == 0 || done >= todo)
        return;
    double left = elapsed_s / (double)done * (double)(todo - done);
    unsigned long s = (unsigned long)(left + 0.5);
    if (s >= 3600)
        snprintf(buf, len, ", ETA %luh%02lum", s / 3600, s / 60 % 60);
    else
        snprintf(buf, len, ", ETA %lum%02lus", s / 60, s % 60);
}

/* What the firmware calls itself, from a run's results.json ("dut"). */
static void read_fw_name(const char *dir, fb_eval_candidate *c)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/results.json", dir);
    char *text = slurp(p);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *d = doc ? obj(doc, "dut") : NULL;
    if (cJSON_IsString(d))
        snprintf(c->fw_name, sizeof c->fw_name, "%s", d->valuestring);
    else if (cJSON_IsObject(d) && cJSON_IsString(obj(d, "name")))
        snprintf(c->fw_name, sizeof c->fw_name, "%s", obj(d, "name")->valuestring);
    cJSON_Delete(doc);
    free(text);
}

/* One test's runs on its seeds into r: the run itself with one seed (r takes its subjects),
 * pooled with several (eval_confidence.c; the seed runs' subjects are freed). */
static int pool_seeds(fb_eval_run *r, fb_eval_run *runs, size_t n, const fb_eval_test_def *t)
{
    if (n == 1) {
        *r = runs[0];
        runs[0].subj = NULL;
        return 0;
    }
    int rc = fb_eval_merge_runs(r, runs, n, (t->checks & B(C_MRTD)) != 0);
    for (size_t i = 0; i < n; i++) {
        free(runs[i].subj);
        runs[i].subj = NULL;
    }
    return rc;
}

static int parse_u(const char *s, unsigned long long *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

/* ---- the runs still to do as one fb_exec task list for an executor (docs/evaluation.md) ---- */
typedef struct eval_exec_args {
    const fb_executor_ops *ops; /* local (the default) or slurm */
    fb_exec_opts o;
    const char *bin;
    const char *sbatch[32];
} eval_exec_args;

/* The sweep's executor options, parsed the same way. Returns 1 when a (with its value v) was one
 * of them, 0 when not, -1 (message printed) when its value is bad. */
static int parse_exec_opt(const char *a, const char *v, eval_exec_args *x)
{
    static const char *const names[] = {"--executor", "--partition", "--time", "--mem",
                                        "--sbatch-arg", "--bin", "--attempts", "--poll", "--batch"};
    size_t k = 0;
    while (k < sizeof names / sizeof names[0] && strcmp(a, names[k]) != 0)
        k++;
    if (k == sizeof names / sizeof names[0])
        return 0;
    if (!v) {
        fprintf(stderr, "feverbench evaluate: %s needs a value\n", a);
        return -1;
    }
    char *end;
    switch (k) {
    case 0:
        if (!(x->ops = fb_executor_find(v))) {
            fprintf(stderr, "feverbench evaluate: --executor: \"%s\" is not %s\n", v, fb_executor_names());
            return -1;
        }
        return 1;
    case 1: x->o.partition = v; return 1;
    case 2: x->o.time = v; return 1;
    case 3: x->o.mem = v; return 1;
    case 4:
        if (x->o.n_sbatch_args == sizeof x->sbatch / sizeof x->sbatch[0]) {
            fprintf(stderr, "feverbench evaluate: more than 32 --sbatch-arg\n");
            return -1;
        }
        x->sbatch[x->o.n_sbatch_args++] = v;
        return 1;
    case 5: x->bin = v; return 1;
    case 6: {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || *v == '-' || n < 1 || n > 100) {
            fprintf(stderr, "feverbench evaluate: --attempts: \"%s\" is not an integer in 1..100\n", v);
            return -1;
        }
        x->o.attempts = (unsigned)n;
        return 1;
    }
    case 8: {
        unsigned long n = strtoul(v, &end, 10);
        if (!*v || *end || *v == '-' || n < 1 || n > 100000) {
            fprintf(stderr, "feverbench evaluate: --batch: \"%s\" is not an integer in 1..100000\n", v);
            return -1;
        }
        x->o.batch = (unsigned)n;
        return 1;
    }
    default: {
        double s = strtod(v, &end);
        if (!*v || *end || !(s > 0) || s > 3600) {
            fprintf(stderr, "feverbench evaluate: --poll: \"%s\" is not a number of seconds in (0, 3600]\n", v);
            return -1;
        }
        x->o.poll_s = s;
        return 1;
    }
    }
}

/* A run's exit status that ends it for the evaluation: scored (0, 1), the DUT's fault (3), or a
 * crash (a signal no one in the bench sends: the in-process firmware took its run down). A kill
 * (SIGTERM, SIGINT, SIGKILL, SIGHUP: an interruption, a time limit, a lost node) is not: the run
 * is done again. */
static int eval_status_finished(int st)
{
    if (st == 0 || st == 1 || st == 3)
        return 1;
    int sig = st - 128;
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGABRT ||
           sig == SIGSYS || sig == SIGTRAP;
}

static bool eval_task_done(const char *dir, const char *id, void *ctx)
{
    (void)ctx;
    int st;
    return fb_exec_task_status(dir, id, &st, NULL) == 0 && eval_status_finished(st);
}

/* A DUT spec or camera file that names a relative path, made absolute: the runs start in the
 * evaluation's folder (and on other nodes), not here. A spec's path is its first word after the
 * transport ("exec:./fw --opt" -> "exec:/cwd/fw --opt"); a word without '/' (a program on PATH, a
 * fixture, a shipped camera) stays; so does a serial port. A camera file is made absolute when it
 * exists here. */
static void absolute_arg(const char *spec, int camera, char *out, size_t len)
{
    const char *colon = camera ? NULL : strchr(spec, ':');
    size_t pre = colon && strncmp(spec, "serial:", 7) != 0 ? (size_t)(colon - spec) + 1 : 0;
    const char *path = spec + pre;
    size_t word = strcspn(path, " \t");
    char cwd[2048];
    int rel = *path != '/' && (memchr(path, '/', word) || (camera && access(path, R_OK) == 0));
    if (colon && strncmp(spec, "serial:", 7) == 0)
        rel = 0;
    if (!rel || !getcwd(cwd, sizeof cwd)) {
        snprintf(out, len, "%s", spec);
        return;
    }
    snprintf(out, len, "%.*s%s/%s", (int)pre, spec, cwd, path);
}

/* What the progress lines need when a run's attempt ends (eval_task_ended). */
typedef struct eval_progress {
    const fb_eval *ev;
    const fb_eval_test_def *tests;
    job *jobs;
    const size_t *which;    /* task k is jobs[which[k]] */
    char (*ids)[400];       /* task k's id */
    size_t n, hint;         /* tasks; where the last id was found */
    size_t ended, todo;     /* runs finished (done or given up) of todo */
    double t0_s;
    int quiet, tty, seeds;
} eval_progress;

/* One line per run that has ended for good, the battery's verdict on it ("[3/12, ETA 0m05s]
 * ref x lab-accuracy: pass"); a failed attempt that will be tried again says so. */
static void eval_task_ended(const char *id, int status, bool done, bool last, void *ctx)
{
    eval_progress *p = ctx;
    size_t k = p->hint;
    for (size_t tries = 0; tries < p->n && strcmp(p->ids[k], id) != 0; tries++)
        k = (k + 1) % p->n;
    if (strcmp(p->ids[k], id) != 0)
        return;
    p->hint = (k + 1) % p->n;
    job *j = &p->jobs[p->which[k]];
    const char *nl = p->tty && !p->quiet ? "\r\033[K" : "";
    if (!done) {
        if (!fb_exec_stop_requested() && !p->quiet)
            fprintf(stderr, "%sevaluate: %s x %s: run %s status %d%s (see %s/log.txt)\n", nl,
                    p->ev->cands[j->cand].label, p->tests[j->test].id,
                    status < 0 ? "lost, last" : "failed with", status,
                    last ? "" : "; trying again", j->dir);
        if (!last)
            return;
    }
    p->ended++;
    if (p->quiet || !done)
        return;
    j->status = status;
    char res[512], eta[48], seed_s[40] = "";
    progress_verdict(j, &p->tests[j->test], status >= 128, res, sizeof res);
    progress_eta(fb_clock_s() - p->t0_s, p->ended, p->todo, eta, sizeof eta);
    if (p->seeds > 1)
        snprintf(seed_s, sizeof seed_s, " seed %llu", (unsigned long long)j->seed);
    fprintf(stderr, "%s[%zu/%zu%s] %s x %s%s: %s\n", nl, p->ended, p->todo, eta,
            p->ev->cands[j->cand].label, p->tests[j->test].id, seed_s, res);
}

/* Hands the jobs still to do to x->ops (the local pool or a Slurm job array): their folders are
 * runs/<slug>/<test>[/seed-N] under out. Sets each job's state, status and wall time from the
 * executor's exit_status and leaves evaluate.key for resume. Returns the signal that stopped it
 * (0: none); *run_error when a run could not be done. */
static int run_on_executor(eval_exec_args *x, const fb_eval *ev, const fb_eval_test_def *tests,
                           job *jobs, size_t n_jobs, const char *exe, const char *out,
                           const char *sandbox, int quiet, int *run_error)
{
    size_t n = 0;
    fb_exec_task *tasks = calloc(n_jobs ? n_jobs : 1, sizeof *tasks);
    char (*argbuf)[3][4096] = calloc(n_jobs ? n_jobs : 1, sizeof *argbuf);
    const char *(*argvs)[16] = calloc(n_jobs ? n_jobs : 1, sizeof *argvs);
    size_t *which = calloc(n_jobs ? n_jobs : 1, sizeof *which);
    bool *done = calloc(n_jobs ? n_jobs : 1, sizeof *done);
    char (*ids)[400] = calloc(n_jobs ? n_jobs : 1, sizeof *ids);
    char (*nums)[2][64] = calloc(n_jobs ? n_jobs : 1, sizeof *nums);
    int sig = 0;
    if (!tasks || !argbuf || !argvs || !which || !done || !ids || !nums) {
        fprintf(stderr, "feverbench evaluate: out of memory\n");
        *run_error = 1;
        goto out;
    }
    size_t lo = strlen(out);
    for (size_t i = 0; i < n_jobs; i++) {
        job *j = &jobs[i];
        if (j->state != 0)
            continue;
        const fb_eval_candidate *c = &ev->cands[j->cand];
        snprintf(ids[n], sizeof ids[n], "%s", j->dir + lo + strlen("/runs/"));
        /* a run redone starts clean: no earlier attempt's files pass for it */
        static const char *const stale[] = {"results.json", "exit_status", "evaluate.key", "log.txt"};
        for (size_t k = 0; k < sizeof stale / sizeof stale[0]; k++) {
            char p[4300];
            snprintf(p, sizeof p, "%s/%s", j->dir, stale[k]);
            unlink(p);
        }
        snprintf(nums[n][0], sizeof nums[n][0], "%llu", (unsigned long long)j->seed);
        snprintf(nums[n][1], sizeof nums[n][1], "%.17g", j->duration_s);
        absolute_arg(c->spec, 0, argbuf[n][0], sizeof argbuf[n][0]);
        size_t a = 0;
        const char **av = argvs[n];
        av[a++] = x->bin ? x->bin : exe;
        av[a++] = "run";
        av[a++] = tests[j->test].scenario;
        av[a++] = "--dut";
        av[a++] = argbuf[n][0];
        av[a++] = "--quiet";
        av[a++] = "--seed";
        av[a++] = nums[n][0];
        av[a++] = "--duration";
        av[a++] = nums[n][1];
        if (c->camera_arg) {
            absolute_arg(c->camera_arg, 1, argbuf[n][1], sizeof argbuf[n][1]);
            av[a++] = "--camera";
            av[a++] = argbuf[n][1];
        }
        if (sandbox) { /* --sandbox passed on: every run of every candidate */
            av[a++] = "--sandbox";
            av[a++] = sandbox;
        }
        av[a] = NULL;
        tasks[n] = (fb_exec_task){ids[n], av};
        which[n++] = i;
    }
    /* the executor starts runs in the folder, on other nodes too: its absolute path */
    char absout[4096];
    if (!realpath(out, absout)) {
        fprintf(stderr, "feverbench evaluate: %s: %s\n", out, strerror(errno));
        *run_error = 1;
        goto out;
    }
    eval_progress prog = {.ev = ev, .tests = tests, .jobs = jobs, .which = which, .ids = ids,
                          .n = n, .todo = n, .t0_s = fb_clock_s(), .quiet = quiet, .tty = isatty(2),
                          .seeds = (int)ev->n_seeds};
    x->o.dir = absout;
    x->o.jobs = x->o.jobs ? x->o.jobs : 1;
    x->o.attempts = x->o.attempts ? x->o.attempts : 3;
    x->o.poll_s = x->o.poll_s > 0 ? x->o.poll_s : 5;
    x->o.quiet = quiet;
    x->o.sbatch_args = x->sbatch;
    x->o.task_done = eval_task_done;
    x->o.task_ended = eval_task_ended;
    x->o.task_ended_ctx = &prog;
    fb_exec_result res;
    char err[1024];
    int rc = fb_exec_run(x->ops, &x->o, tasks, n, done, &res, err, sizeof err);
    sig = res.signal;
    eval_interrupted = sig;
    if (rc) {
        fprintf(stderr, "feverbench evaluate: %s executor: %s\n", x->ops->name, err);
        *run_error = 1;
    }
    for (size_t k = 0; k < n; k++) { /* interrupted too: what finished is kept for resume */
        job *j = &jobs[which[k]];
        int st;
        double el = NAN;
        if (!done[k] || fb_exec_task_status(absout, ids[k], &st, &el)) {
            if (sig)
                continue;
            if (!rc)
                fprintf(stderr, "feverbench evaluate: %s x %s: the run failed every attempt (see %s/log.txt)\n",
                        ev->cands[j->cand].label, tests[j->test].id, j->dir);
            *run_error = 1;
            continue;
        }
        j->state = 2;
        j->status = st;
        j->elapsed_s = el;
        char kp[4200], kt[1300];
        snprintf(kp, sizeof kp, "%s/evaluate.key", j->dir);
        snprintf(kt, sizeof kt, "%sexit %d\nelapsed_s %.3f\n", j->key, j->status, el);
        write_text(kp, kt);
    }
    if (!quiet && !sig)
        fprintf(stderr, "evaluate: %zu run(s) on %s: %zu done, %zu failed\n", n, x->ops->name, res.done,
                res.failed);
out:
    free(tasks);
    free(argbuf);
    free(argvs);
    free(which);
    free(done);
    free(ids);
    free(nums);
    return sig;
}

/* Every --dut checked before anything runs (fb_link_check: a misspelled fixture, a program or
 * library that is not there); each bad one named. Returns 0, or -1 when any is bad. */
static int check_duts(const char *const *duts, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char err[1024];
        if (fb_link_check(duts[i], err, sizeof err) == FB_OK)
            continue;
        fprintf(stderr, "feverbench evaluate: --dut %s: %s\n", duts[i], err);
        bad = 1;
    }
    if (bad)
        fprintf(stderr, "feverbench evaluate: nothing was run (DUT transports: `feverbench list`)\n");
    return bad ? -1 : 0;
}

int fb_evaluate_cmd(int argc, char **argv, const char *argv0)
{
    const char *duts[64], *cam_arg[16] = {NULL};
    static char dut_names[64][64]; /* --dut NAME=SPEC: NAME, or "" */
    size_t n_duts = 0, n_cam_args = 0;
    const char *sel = "all", *scale = "full", *out = "evaluation", *sandbox = NULL;
    int quiet = 0, seed_set = 0, list = 0;
    unsigned long long seed = 0, jobs_n = 0, n_seeds = 1;
    eval_exec_args xa;
    memset(&xa, 0, sizeof xa);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = strcmp(a, "--dut") == 0 || strcmp(a, "--battery") == 0 || strcmp(a, "--scale") == 0 ||
                    strcmp(a, "--seed") == 0 || strcmp(a, "--jobs") == 0 || strcmp(a, "--out") == 0 ||
                    strcmp(a, "--camera") == 0 || strcmp(a, "--sandbox") == 0 ||
                    strcmp(a, "--seeds") == 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_eval, stdout);
            return FB_EXIT_PASS;
        }
        int xr = parse_exec_opt(a, v, &xa);
        if (xr < 0)
            return FB_EXIT_USAGE;
        if (xr > 0) {
            i++;
            continue;
        }
        if (takes && !v) {
            fprintf(stderr, "feverbench evaluate: %s needs a value\n", a);
            return FB_EXIT_USAGE;
        }
        if (strcmp(a, "--dut") == 0) {
            if (n_duts == 64) {
                fprintf(stderr, "feverbench evaluate: at most 64 --dut\n");
                return FB_EXIT_USAGE;
            }
            int bad;
            duts[n_duts] = split_dut_name(v, dut_names[n_duts], sizeof dut_names[n_duts], &bad);
            if (bad) {
                fprintf(stderr, "feverbench evaluate: --dut \"%s\": NAME=SPEC needs a name of 1..63 "
                                "letters, digits, '-', '_' or '.' and a spec\n", v);
                return FB_EXIT_USAGE;
            }
            for (size_t k = 0; dut_names[n_duts][0] && k < n_duts; k++)
                if (strcmp(dut_names[k], dut_names[n_duts]) == 0) {
                    fprintf(stderr, "feverbench evaluate: --dut: the name \"%s\" is given twice\n",
                            dut_names[k]);
                    return FB_EXIT_USAGE;
                }
            n_duts++;
        } else if (strcmp(a, "--camera") == 0) {
            if (n_cam_args == sizeof cam_arg / sizeof cam_arg[0]) {
                fprintf(stderr, "feverbench evaluate: at most %zu --camera\n", n_cam_args);
                return FB_EXIT_USAGE;
            }
            cam_arg[n_cam_args++] = v;
        } else if (strcmp(a, "--battery") == 0) {
            sel = v;
        } else if (strcmp(a, "--sandbox") == 0) {
            if (strcmp(v, "on") && strcmp(v, "off")) {
                fprintf(stderr, "feverbench evaluate: --sandbox: \"%s\" is not on or off\n", v);
                return FB_EXIT_USAGE;
            }
            sandbox = v;
        } else if (strcmp(a, "--scale") == 0) {
            if (strcmp(v, "quick") && strcmp(v, "full")) {
                fprintf(stderr, "feverbench evaluate: --scale: \"%s\" is not quick or full\n", v);
                return FB_EXIT_USAGE;
            }
            scale = v;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u(v, &seed) || seed > (1ull << 53)) {
                fprintf(stderr, "feverbench evaluate: --seed: \"%s\" is not an integer in 0..2^53\n", v);
                return FB_EXIT_USAGE;
            }
            seed_set = 1;
        } else if (strcmp(a, "--seeds") == 0) {
            if (parse_u(v, &n_seeds) || n_seeds < 1 || n_seeds > 1000) {
                fprintf(stderr, "feverbench evaluate: --seeds: \"%s\" is not an integer in 1..1000\n", v);
                return FB_EXIT_USAGE;
            }
        } else if (strcmp(a, "--jobs") == 0) {
            if (parse_u(v, &jobs_n) || jobs_n < 1 || jobs_n > 256) {
                fprintf(stderr, "feverbench evaluate: --jobs: \"%s\" is not an integer in 1..256\n", v);
                return FB_EXIT_USAGE;
            }
        } else if (strcmp(a, "--out") == 0) {
            out = v;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
            continue;
        } else if (strcmp(a, "--list") == 0) {
            list = 1;
            continue;
        } else {
            fprintf(stderr, "feverbench evaluate: unknown argument %s (see `feverbench evaluate --help`)\n", a);
            return FB_EXIT_USAGE;
        }
        i++;
    }
    const fb_eval_test_def *tests;
    size_t n_tests;
    if (select_tests(sel, &tests, &n_tests)) {
        fprintf(stderr, "feverbench evaluate: --battery \"%s\" selects no test\n", sel);
        return FB_EXIT_USAGE;
    }
    if (list) {
        for (size_t t = 0; t < n_tests; t++) {
            printf("%-18s %-5s %-22s %s\n", tests[t].id, tests[t].group, tests[t].scenario, tests[t].title);
            for (size_t c = 0; c < C_N; c++)
                if (tests[t].checks & B(c))
                    printf("%18s   check %s: %s\n", "", checks[c].id, checks[c].label);
        }
        return FB_EXIT_PASS;
    }
    if (n_duts == 0)
        duts[n_duts++] = "inproc:reference";
    if (check_duts(duts, n_duts))
        return FB_EXIT_USAGE;
    /* the cameras: slot 0 is each scenario's own when no --camera is given */
    size_t n_cams = n_cam_args ? n_cam_args : 1;
    char cam_name[sizeof cam_arg / sizeof cam_arg[0]][64];
    for (size_t c = 0; c < n_cam_args; c++) {
        fb_camera_profile prof;
        char err[1024];
        if (fb_catalog_camera(cam_arg[c], &prof, NULL, err, sizeof err)) {
            fprintf(stderr, "feverbench evaluate: --camera: %s\n", err);
            return FB_EXIT_USAGE;
        }
        snprintf(cam_name[c], sizeof cam_name[c], "%s", prof.name);
    }
    size_t n_cands = n_duts * n_cams;
    if (jobs_n == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        jobs_n = nc > 0 ? (unsigned long long)nc : 1;
    }
    /* the scenarios: resolve once per camera (hash, seed, duration) */
    fb_eval ev = {.tests = tests, .n_tests = n_tests, .checks = checks, .n_checks = C_N,
                  .n_cands = n_cands, .scale = scale, .seed_set = seed_set, .seed = seed,
                  .version = FB_VERSION_STRING, .n_seeds = (unsigned)n_seeds};
    uint64_t *sc_hash = calloc(n_tests * n_cams, sizeof *sc_hash), *sc_seed = calloc(n_tests, sizeof *sc_seed);
    double *sc_dur = calloc(n_tests, sizeof *sc_dur);
    ev.cands = calloc(n_cands, sizeof *ev.cands);
    ev.order = calloc(n_cands, sizeof *ev.order);
    job *jobs = calloc(n_cands * n_tests * n_seeds, sizeof *jobs);
    fb_eval_run *seed_runs = calloc(n_cands * n_tests * n_seeds, sizeof *seed_runs);
    int status = FB_EXIT_PASS;
    if (!sc_hash || !sc_seed || !sc_dur || !ev.cands || !ev.order || !jobs || !seed_runs) {
        fprintf(stderr, "feverbench evaluate: out of memory\n");
        return FB_EXIT_USAGE;
    }
    for (size_t t = 0; t < n_tests; t++) {
        fb_scenario sc;
        char err[1024];
        if (fb_catalog_load(tests[t].scenario, &sc, err, sizeof err)) {
            fprintf(stderr, "feverbench evaluate: test %s: %s\n", tests[t].id, err);
            return FB_EXIT_USAGE;
        }
        uint64_t own_hash = sc.hash;
        for (size_t c = 0; c < n_cams; c++) {
            sc.hash = own_hash; /* the run's identity on that camera, as `run --camera` makes it */
            if (c < n_cam_args && fb_catalog_set_camera(&sc, cam_arg[c], err, sizeof err)) {
                fprintf(stderr, "feverbench evaluate: --camera: %s\n", err);
                fb_scenario_free(&sc);
                return FB_EXIT_USAGE;
            }
            sc_hash[c * n_tests + t] = sc.hash;
        }
        sc_seed[t] = seed_set ? seed : sc.seed;
        sc_dur[t] = sc.duration_s;
        if (strcmp(scale, "quick") == 0 && tests[t].quick_s > 0 && tests[t].quick_s < sc_dur[t])
            sc_dur[t] = tests[t].quick_s;
        fb_scenario_free(&sc);
    }
    char exe[4096];
    self_exe(exe, sizeof exe, argv0);
    size_t n_jobs = 0, todo = 0;
    for (size_t k = 0; k < n_cands; k++) {
        fb_eval_candidate *c = &ev.cands[k];
        size_t ci = k % n_cams; /* candidates: each DUT on each camera */
        c->spec = duts[k / n_cams];
        c->name = dut_names[k / n_cams][0] ? dut_names[k / n_cams] : NULL;
        c->camera_arg = cam_arg[ci];
        slugify(c->name ? c->name : c->spec, c->slug, sizeof c->slug);
        if (c->camera_arg) {
            char cs[64];
            snprintf(c->camera, sizeof c->camera, "%s", cam_name[ci]);
            snprintf(c->label, sizeof c->label, "%s@%s", c->name ? c->name : c->spec, c->camera);
            slugify(c->camera, cs, sizeof cs);
            size_t l = strlen(c->slug);
            snprintf(c->slug + l, sizeof c->slug - l, "@%s", cs);
        } else {
            snprintf(c->label, sizeof c->label, "%s", c->name ? c->name : c->spec);
        }
        for (size_t k2 = 0; k2 < k; k2++)
            if (strcmp(ev.cands[k2].slug, c->slug) == 0)
            {
                char suffix[24];
                snprintf(suffix, sizeof suffix, "-%zu", k);
                size_t l = strlen(c->slug);
                if (l > sizeof c->slug - sizeof suffix)
                    l = sizeof c->slug - sizeof suffix;
                memcpy(c->slug + l, suffix, strlen(suffix) + 1);
            }
        c->runs = calloc(n_tests, sizeof *c->runs);
        for (size_t t = 0; t < n_tests * n_seeds; t++) {
            job *j = &jobs[n_jobs++];
            j->cand = k;
            j->test = t / n_seeds;
            j->seed_i = t % n_seeds;
            j->seed = sc_seed[j->test] + j->seed_i; /* --seeds N: the seed, then +1, +2, ... */
            j->duration_s = sc_dur[j->test];
            if (n_seeds == 1)
                snprintf(j->dir, sizeof j->dir, "%s/runs/%s/%s", out, c->slug, tests[j->test].id);
            else
                snprintf(j->dir, sizeof j->dir, "%s/runs/%s/%s/seed-%llu", out, c->slug,
                         tests[j->test].id, (unsigned long long)j->seed);
            snprintf(j->key, sizeof j->key,
                     "feverbench %s\nscenario %s\nhash %016llx\nseed %llu\nduration_s %.17g\ndut %s\n"
                     "camera %s\n%s",
                     FB_VERSION_STRING, tests[j->test].scenario,
                     (unsigned long long)sc_hash[ci * n_tests + j->test],
                     (unsigned long long)j->seed, j->duration_s, c->spec,
                     c->camera_arg ? c->camera : "(the scenario's own)",
                     sandbox && strcmp(sandbox, "off") == 0 ? "sandbox off\n" : "");
            if (mkdir_p(j->dir)) {
                fprintf(stderr, "feverbench evaluate: cannot create %s: %s\n", j->dir, strerror(errno));
                return FB_EXIT_USAGE;
            }
            /* resume: a finished run left its key (and status) next to its results */
            char kp[4200], *have;
            snprintf(kp, sizeof kp, "%s/evaluate.key", j->dir);
            if ((have = slurp(kp)) != NULL) {
                int st = -1;
                char *sl = strstr(have, "exit ");
                if (sl) {
                    st = atoi(sl + 5);
                    const char *el = strstr(sl, "elapsed_s ");
                    j->elapsed_s = el ? strtod(el + 10, NULL) : NAN;
                }
                if (sl)
                    *sl = 0;
                if (strcmp(have, j->key) == 0 && st >= 0) {
                    j->state = 2;
                    j->status = st;
                    j->skipped = 1;
                }
                free(have);
            }
            if (j->state == 0)
                todo++;
        }
    }
    /* run: every run still to do through the executor (local pool or Slurm) */
    if (!quiet && n_jobs - todo > 0)
        fprintf(stderr, "resuming: %zu of %zu runs already done in %s\n", n_jobs - todo, n_jobs, out);
    int run_error = 0;
    eval_interrupted = 0;
    double t0_s = fb_clock_s();
    if (!xa.ops)
        xa.ops = fb_executor_find("local");
    xa.o.jobs = (unsigned)jobs_n;
    if (todo)
        run_on_executor(&xa, &ev, tests, jobs, n_jobs, exe, out, sandbox, quiet, &run_error);
    if (eval_interrupted || run_error) { /* nothing to report: free what was set up */
        if (eval_interrupted)
            fprintf(stderr, "feverbench evaluate: interrupted; run the same command again to resume\n");
        for (size_t k = 0; k < n_cands; k++)
            free(ev.cands[k].runs);
        free(ev.cands);
        free(ev.order);
        free(jobs);
        free(seed_runs);
        free(sc_hash);
        free(sc_seed);
        free(sc_dur);
        return eval_interrupted ? FB_EXIT_SIGNAL + (int)eval_interrupted : FB_EXIT_DUT_FAULT;
    }
    /* read every run (one per seed), then pool the seeds of each test and judge */
    for (size_t i = 0; i < n_jobs; i++) {
        job *j = &jobs[i];
        fb_eval_candidate *c = &ev.cands[j->cand];
        fb_eval_run *r = &seed_runs[i];
        for (int m = 0; m < FB_EM_COUNT; m++)
            r->m[m] = NAN;
        r->bb_required = r->bb_detected = NAN;
        r->fever_threshold_c = r->alarm_threshold_c = NAN;
        r->exit_status = j->status;
        r->seed = j->seed;
        r->elapsed_s = j->elapsed_s;
        if (read_results(j->dir, r)) {
            /* the run crashed before it could write anything (a signal, or a sanitizer or
             * runtime that caught one and exited): a DUT fault with no scores, never the end of
             * the evaluation and of the other candidates' results */
            if (j->status < 128)
                fprintf(stderr,
                        "feverbench evaluate: %s/results.json missing or unreadable (run exit %d): "
                        "counted as a DUT fault with no scores\n",
                        j->dir, j->status);
            r->complete = 0;
            r->faults = 1;
            r->scenario_pass = 0;
        }
        if (!c->fw_name[0])
            read_fw_name(j->dir, c);
    }
    for (size_t i = 0; i < n_cands * n_tests; i++) {
        fb_eval_candidate *c = &ev.cands[i / n_tests];
        size_t test_i = i % n_tests;
        fb_eval_run *r = &c->runs[test_i];
        if (pool_seeds(r, &seed_runs[i * n_seeds], n_seeds, &tests[test_i])) {
            fprintf(stderr, "feverbench evaluate: out of memory\n");
            return FB_EXIT_DUT_FAULT;
        }
        judge(r, &tests[test_i]);
        fb_eval_confidence(r, checks, C_N, tests[test_i].checks);
        const fb_eval_test_def *t = &tests[test_i];
        int lab = strcmp(t->group, "lab") == 0;
        c->tests_passed += (size_t)r->pass;
        if (lab) {
            c->lab_total++;
            c->lab_passed += (size_t)r->pass;
        } else {
            c->field_total++;
            c->field_passed += (size_t)r->pass;
        }
        for (size_t cc = 0; cc < C_N; cc++)
            if (r->check[cc] != FB_EVAL_NA) {
                c->checks_total++;
                c->checks_passed += r->check[cc] == FB_EVAL_PASS;
            }
    }
    free(seed_runs);
    fb_eval_name_folders(&ev, out);
    for (size_t k = 0; k < n_cands; k++) {
        fb_eval_candidate *c = &ev.cands[k];
        pool(&ev, c);
        fb_eval_pool_confidence(&ev, c);
        pool_security(&ev, c);
        /* the camera the runs used: one profile with --camera; without, the scenarios' own */
        const fb_eval_run *r0 = &c->runs[0];
        int same = 1;
        for (size_t t = 1; t < n_tests; t++) {
            const fb_eval_run *r = &c->runs[t];
            same &= strcmp(r->camera, r0->camera) == 0 && r->width == r0->width &&
                    r->height == r0->height && r->fps == r0->fps;
        }
        if (!c->camera_arg)
            snprintf(c->camera, sizeof c->camera, "%s",
                     same && r0->camera[0] ? r0->camera : "each scenario's own");
        c->width = same ? r0->width : 0;
        c->height = same ? r0->height : 0;
        c->fps = same ? r0->fps : 0;
    }
    rank_candidates(&ev);
    fb_eval_mark_indistinct(&ev);
    fb_eval_collect_cameras(&ev);
    char path[4200];
    snprintf(path, sizeof path, "%s/report.json", out);
    int werr = write_json(&ev, path);
    snprintf(path, sizeof path, "%s/junit.xml", out);
    werr |= write_junit(&ev, path);
    snprintf(path, sizeof path, "%s/report.html", out);
    werr |= fb_eval_write_html(&ev, path);
    snprintf(path, sizeof path, "%s/people.csv", out);
    werr |= fb_eval_write_csv(&ev, path);
    if (werr) {
        fprintf(stderr, "feverbench evaluate: cannot write the report in %s\n", out);
        return FB_EXIT_USAGE;
    }
    if (!quiet) {
        int lw = 28; /* the candidate column: as wide as the longest label */
        for (size_t k = 0; k < n_cands; k++)
            if ((int)strlen(ev.cands[k].label) > lw)
                lw = (int)strlen(ev.cands[k].label);
        printf("rank  %-*s %-7s %-7s %-7s %-9s %-9s\n", lw, "candidate", "tests", "lab", "field", "skin MAE",
               "lat p95");
        for (size_t k = 0; k < n_cands; k++) {
            const fb_eval_candidate *c = &ev.cands[ev.order[k]];
            char a[48], b[48], d[48];
            snprintf(a, sizeof a, "%zu/%zu", c->tests_passed, n_tests);
            snprintf(b, sizeof b, "%zu/%zu", c->lab_passed, c->lab_total);
            snprintf(d, sizeof d, "%zu/%zu", c->field_passed, c->field_total);
            char mae[32] = "-", lat[32] = "-";
            if (isfinite(c->pooled.skin_mae))
                snprintf(mae, sizeof mae, "%.3f", c->pooled.skin_mae);
            if (isfinite(c->pooled.latency_p95_s))
                snprintf(lat, sizeof lat, "%.2f", c->pooled.latency_p95_s);
            printf("%4d  %-*s %-7s %-7s %-7s %-9s %-9s\n", c->rank, lw, c->label, a, b, d, mae, lat);
        }
        printf("report: %s/report.html (also report.json, junit.xml, people.csv); %zu runs, %zu resumed, %.1f s\n", out,
               n_jobs, n_jobs - todo,
               fb_clock_s() - t0_s);
    }
    for (size_t k = 0; k < n_cands; k++) {
        for (size_t t = 0; t < n_tests; t++) {
            if (!ev.cands[k].runs[t].pass)
                status = FB_EXIT_FAIL;
            free(ev.cands[k].runs[t].subj);
            free(ev.cands[k].runs[t].seeds);
        }
        free(ev.cands[k].runs);
    }
    free(ev.cands);
    free(ev.order);
    free(jobs);
    free(sc_hash);
    free(sc_seed);
    free(sc_dur);
    return status;
}
