/* scenario.c — loads a scenario and its camera profile from JSON into fb_scenario, checking
 * every key; each failure is one located line "file:line:col: json.path: what (expected …)".
 * The format, every range and every default: docs/scenario.md (kept in step by
 * tests/scenario/test_scenario_docs.c against the key tables below). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "../models/fb_error.h"
#include "embedded.h"
#include "frontend_variant.h"
#include "hash.h"
#include "json_pos.h"
#include "scenario.h"

/* Allocation goes through cJSON's hooks (cJSON_malloc/cJSON_free), so one fault injector set
 * with cJSON_InitHooks covers the parser and this loader alike. */

#define MAX_FILE_BYTES ((size_t)16 << 20) /* scenario and profile files */
#define MAX_SUBJECTS   10000              /* listed subjects; crowds use "population" */
#define MAX_PATH       8                  /* deepest key path: population.speed_mps.mean */
#define NO_ORDINAL     SIZE_MAX           /* a path element for a key that is absent */

/* ---- the accepted keys: one table per object (docs/scenario.md documents each) ---- */

static const char *const root_keys[] = {"name",       "description", "seed",        "duration_s",
                                        "camera",     "mount",       "environment", "blackbody",
                                        "physiology", "subjects",    "population",  "screening",
                                        "dut",        "criteria",    "distractors", "camera_power_on_s",
                                        "frontend",   "people",      "room",        NULL};
static const char *const room_keys[] = {"preset",     "width_m",    "depth_m",   "height_m",
                                        "floor_emissivity", "outdoor_c", "radiator_c", "lights_c",
                                        NULL};
static const char *const camera_keys[] = {
    "name",         "description", "width",     "height",     "hfov_deg",    "fps", "netd_mk",
    "counts_per_k", "reference_c", "fpn_sd_mk", "drift_sd_c", "drift_tau_s",
    /* sensor and optics model: optional (camera_model_defaults) */
    "pixel_pitch_um", "f_number", "lens_blur_um", "fpa_rise_k", "fpa_tau_s",
    "responsivity_tc_per_k", "fpa_offset_k_per_k", "ffc_offset_k_per_k", "ffc_period_s",
    "ffc_delta_k", "ffc_frames", "fpn_growth_mk_per_min", "dead_pixel_share",
    "noisy_pixel_share", "thermal_tau_ms", "corner_illumination", NULL};
static const char *const mount_keys[] = {"height_m", "tilt_deg", NULL};
static const char *const environment_keys[] = {"ambient", "rh_percent", NULL};
static const char *const ambient_keys[] = {"model",    "base_c", "rate_c_per_h", "amplitude_c",
                                           "period_s", "sd_c",   "tau_s",        NULL};
static const char *const blackbody_keys[] = {
    "enabled",           "set_c",      "emissivity",          "position_m", "aperture_m",
    "instability_c",     "instability_tau_s", "cold_start", "heat_rate_c_per_min",
    "cool_tau_s",        "failures",   NULL};
static const char *const bb_failure_keys[] = {"mode",           "at_s",     "until_s",
                                              "rate_c_per_min", "offset_m", NULL};
static const char *const physiology_keys[] = {
    "afebrile_core_c", "febrile_core_c", "canthus_offset_c", "forehead_offset_c",
    "canthus_lr_sd_c", "ambient_slope",  "ambient_ref_c",    NULL};
static const char *const dist_keys[] = {"mean", "sd", "min", "max", NULL};
static const char *const dist_max_keys[] = {"mean", "sd", "max", NULL};
static const char *const dist_ms_keys[] = {"mean", "sd", NULL};
static const char *const subject_keys[] = {
    "id",       "enter_s", "start_distance_m", "exit_distance_m",  "speed_mps", "lateral_m",
    "height_m", "core_c",  "febrile",          "canthus_offset_c",
    /* people and confounders (issue 3B) */
    "glasses", "mask", "hat", "cold_entry_c", "cold_entry_ago_s", "face_wipe_ago_s",
    "exercise_ago_s", "hot_drink_c", "head_turn", "dwell_s", NULL};
static const char *const head_turn_keys[] = {"peak_s", "yaw_deg", "duration_s", NULL};
static const char *const burst_keys[] = {"at_s", "count", "duration_s", NULL};
static const char *const distractor_keys[] = {"id",         "shape",    "position_m", "size_m",
                                              "temp_c",     "emissivity", "reflected_c", NULL};
static const char *const population_keys[] = {"arrival_rate_per_min",
                                              "start_s",
                                              "end_s",
                                              "fever_share",
                                              "speed_mps",
                                              "lateral_m",
                                              "height_m",
                                              "start_distance_m",
                                              "exit_distance_m",
                                              "max_subjects",
                                              "bursts",
                                              "glasses_share",
                                              "mask_surgical_share",
                                              "mask_n95_share",
                                              "hat_share",
                                              "cold_entry_share",
                                              "outdoor_c",
                                              "face_wipe_share",
                                              "exercise_share",
                                              "hot_drink_share",
                                              "head_turn_share",
                                              "head_turn_yaw_deg",
                                              NULL};
static const char *const screening_keys[] = {"working_distance_m", "min_face_px",
                                             "min_face_visible", "fever_threshold_c",
                                             "max_yaw_deg",        "stop_distance_m",
                                             "dwell_s",            NULL};
static const char *const dut_keys[] = {"spec",
                                       "alarm_threshold_c",
                                       "body_offset_c",
                                       "frame_timeout_s",
                                       "handshake_timeout_s",
                                       "pacing",
                                       NULL};
static const char *const criteria_keys[] = {
#define FB_CRIT_KEY(e, key, kind, unit, what) key,
    FB_CRITERIA_LIST(FB_CRIT_KEY)
#undef FB_CRIT_KEY
        NULL};

static const struct key_table {
    const char *prefix;
    const char *const *keys;
} key_tables[] = {
    {"", root_keys},
    {"camera.", camera_keys},
    {"mount.", mount_keys},
    {"environment.", environment_keys},
    {"environment.ambient.", ambient_keys},
    {"blackbody.", blackbody_keys},
    {"blackbody.failures[].", bb_failure_keys},
    {"physiology.", physiology_keys},
    {"physiology.afebrile_core_c.", dist_max_keys},
    {"physiology.febrile_core_c.", dist_keys},
    {"physiology.canthus_offset_c.", dist_ms_keys},
    {"physiology.forehead_offset_c.", dist_ms_keys},
    {"subjects[].", subject_keys},
    {"subjects[].head_turn.", head_turn_keys},
    {"population.", population_keys},
    {"population.speed_mps.", dist_keys},
    {"population.lateral_m.", dist_keys},
    {"population.height_m.", dist_keys},
    {"population.bursts[].", burst_keys},
    {"population.head_turn_yaw_deg.", dist_keys},
    {"screening.", screening_keys},
    {"distractors[].", distractor_keys},
    {"dut.", dut_keys},
    {"criteria.", criteria_keys},
    {"room.", room_keys},
};

bool fb_scenario_key(size_t i, char *buf, size_t len)
{
    for (size_t t = 0; t < sizeof key_tables / sizeof key_tables[0]; t++)
        for (const char *const *k = key_tables[t].keys; *k; k++)
            if (i-- == 0) {
                if (buf && len)
                    snprintf(buf, len, "%s%s", key_tables[t].prefix, *k);
                return true;
            }
    return false;
}

/* ---- defaults: every default of the format, here and nowhere else ---- */

static void scenario_defaults(fb_scenario *s)
{
    fb_room_defaults(FB_ROOM_PLAIN, &s->room);
    s->seed = 1;
    s->camera_height_m = 2.0;
    s->camera_tilt_deg = 8.0;
    s->camera_power_on_s = 3600.0; /* warmed up: docs/sources.md, 30-60 min to stabilise */
    snprintf(s->frontend, sizeof s->frontend, "model"); /* the C golden model */
    s->rh_percent = 40.0;          /* inside FDA's 10-50 % (docs/sources.md) */
    s->ambient = (fb_ambient_params){.kind = FB_AMBIENT_CONSTANT, .base_c = 23.0};
    /* Used only when "blackbody" is present (then "enabled" defaults to true). */
    s->blackbody = (fb_blackbody_params){.enabled = false,
                                         .set_c = 35.0,
                                         .emissivity = 0.98,
                                         .aperture_m = 0.07,
                                         .instability_c = 0.02,
                                         .instability_tau_s = 30.0,
                                         .heat_rate_c_per_min = FB_BB_DEFAULT_HEAT_RATE_C_PER_MIN,
                                         .cool_tau_s = FB_BB_DEFAULT_COOL_TAU_S};
    fb_physiology_defaults(&s->physiology); /* docs/sources.md values, models/physiology.c */
    s->population = (fb_population_spec){
        .enabled = false, /* enabled by the presence of "population" */
        .arrival_rate_per_min = 20.0,
        .start_s = 0.0,
        .end_s = 0.0,
        .fever_share = 0.05,
        .speed_mps = {1.31, 0.15, 0.8, 1.8}, /* Murtagh 2020 (docs/sources.md) */
        .lateral_m = {0.0, 0.15, -0.4, 0.4},
        .height_m = {1.72, 0.09, 1.5, 1.95},
        .start_distance_m = 8.0,
        .exit_distance_m = 0.8,
        .max_subjects = 10000,
        .outdoor_c = -5.0,                        /* a winter day (issue 3: e.g. outdoor -5 °C) */
        .head_turn_yaw_deg = {45.0, 15.0, 15.0, 80.0}, /* our numbers: a glance aside */
    };
    s->screening = (fb_screening_spec){.min_distance_m = 1.0,
                                       .max_distance_m = 3.5,
                                       .min_face_px = 20.0,
                                       .min_face_visible = 0.8,
                                       .fever_threshold_c = 37.5,
                                       /* docs/sources.md: viewing angle < 30° adds < 0.05 °C */
                                       .max_yaw_deg = 30.0,
                                       .stop_distance_m = 0.0,
                                       .dwell_s = 2.0};
    snprintf(s->dut.spec, sizeof s->dut.spec, "%s", "reference");
    s->dut.alarm_threshold_c = 37.5;
    s->dut.body_offset_c = 1.24; /* FDA: oral - inner canthus 1.24 °C */
    s->dut.frame_timeout_s = 5.0;
    s->dut.handshake_timeout_s = 10.0;
    s->dut.pacing = 0; /* lockstep */
}

/* A listed subject's defaults: the population's typical person (the distributions' means). */
static void subject_defaults(fb_subject_spec *sub, const fb_population_spec *pop, size_t index)
{
    memset(sub, 0, sizeof *sub);
    snprintf(sub->id, sizeof sub->id, "s%zu", index);
    sub->start_distance_m = pop->start_distance_m;
    sub->exit_distance_m = pop->exit_distance_m;
    sub->speed_mps = pop->speed_mps.mean;
    sub->lateral_m = pop->lateral_m.mean;
    sub->height_m = pop->height_m.mean;
}

/* A distribution given without "min"/"max" is cut at mean -/+ this many SD (inside the
 * quantity's own range). */
#define DIST_DEFAULT_SDS 3.0

/* ---- ranges ---- */

typedef struct range {
    double lo, hi;
    bool lo_open, hi_open;
} range;

#define CLOSED(a, b)                                                                               \
    {                                                                                              \
        (a), (b), false, false                                                                     \
    }
#define LEFT_OPEN(a, b)                                                                            \
    {                                                                                              \
        (a), (b), true, false                                                                      \
    }
#define OPEN(a, b)                                                                                 \
    {                                                                                              \
        (a), (b), true, true                                                                       \
    }
#define AT_LEAST(a)                                                                                \
    {                                                                                              \
        (a), INFINITY, false, true                                                                 \
    }

static bool in_range(const range *r, double v)
{
    return (r->lo_open ? v > r->lo : v >= r->lo) && (r->hi_open ? v < r->hi : v <= r->hi);
}

/* "in (0, 86400]", ">= 0", "> 0". */
static void range_text(const range *r, char *buf, size_t n)
{
    if (isinf(r->hi))
        snprintf(buf, n, "%s %.10g", r->lo_open ? ">" : ">=", r->lo);
    else
        snprintf(buf, n, "in %c%.10g, %.10g%c", r->lo_open ? '(' : '[', r->lo, r->hi,
                 r->hi_open ? ')' : ']');
}

/* ---- context, paths and messages ---- */

typedef struct path_el {
    const char *name; /* member name; NULL for an array element */
    size_t index;     /* array index when name is NULL */
    size_t ordinal;   /* member ordinal or element index for fb_json_pos_find_steps; NO_ORDINAL
                         when the key is absent (messages then point at the enclosing object) */
} path_el;

typedef struct ctx {
    const char *text; /* source text, for positions */
    size_t len;
    const char *file; /* shown in messages */
    const char *base_dir;
    path_el path[MAX_PATH]; /* the object being read, from the root */
    size_t depth;
    char *err;
    size_t err_len;
} ctx;

/* A key or string for display: control bytes, '"' and '\\' escaped, at most 64 bytes. */
static void sanitize(const char *s, char *buf, size_t n)
{
    size_t o = 0, i = 0;
    if (!n)
        return;
    for (; s[i] && i < 64; i++) {
        unsigned char ch = (unsigned char)s[i];
        char tmp[8];
        if (ch < 0x20 || ch == 0x7F || ch == '"' || ch == '\\')
            snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned)ch);
        else
            snprintf(tmp, sizeof tmp, "%c", ch);
        for (const char *t = tmp; *t && o + 1 < n; t++)
            buf[o++] = *t;
    }
    if (s[i])
        for (const char *t = "..."; *t && o + 1 < n; t++)
            buf[o++] = *t;
    buf[o] = '\0';
}

static void path_append(char *buf, size_t n, size_t *o, const path_el *el)
{
    char part[96];
    if (el->name) {
        char name[80];
        sanitize(el->name, name, sizeof name);
        snprintf(part, sizeof part, "%s%s", *o ? "." : "", name);
    } else {
        snprintf(part, sizeof part, "[%zu]", el->index);
    }
    for (const char *t = part; *t && *o + 1 < n; t++)
        buf[(*o)++] = *t;
    buf[*o] = '\0';
}

static void format_path(const ctx *c, const path_el *extra, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->depth; i++)
        path_append(buf, n, &o, &c->path[i]);
    if (extra)
        path_append(buf, n, &o, extra);
    if (!o)
        snprintf(buf, n, "(document)");
}

/* Offset of the node at the context path + extra (its key when at_key); falls back to the
 * nearest ancestor that can be located. */
static size_t locate(const ctx *c, const path_el *extra, int at_key)
{
    size_t steps[MAX_PATH + 1], n = 0, off = 0;
    for (size_t i = 0; i < c->depth; i++)
        steps[n++] = c->path[i].ordinal;
    if (extra && extra->ordinal != NO_ORDINAL)
        steps[n++] = extra->ordinal;
    else
        at_key = 0;
    for (size_t k = n;; k--) {
        if (fb_json_pos_find_steps(c->text, c->len, steps, k, at_key && k == n, &off) == 0)
            return off;
        if (k == 0)
            return 0;
    }
}

static int fail(ctx *c, const path_el *extra, int at_key, int rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Writes the one error line for the node at the context path + extra; returns rc. */
static int fail(ctx *c, const path_el *extra, int at_key, int rc, const char *fmt, ...)
{
    if (!c->err || !c->err_len)
        return rc;
    char msg[640], path[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    format_path(c, extra, path, sizeof path);
    fb_json_pos p = fb_json_pos_at(c->text, c->len, locate(c, extra, at_key));
    snprintf(c->err, c->err_len, "%s:%zu:%zu: %s: %s", c->file, p.line, p.col, path, msg);
    return rc;
}

static int push(ctx *c, const path_el *el)
{
    if (c->depth >= MAX_PATH)
        return fail(c, el, 0, FB_ERR_ARG, "internal error: key path too deep");
    c->path[c->depth++] = *el;
    return 0;
}

static void pop(ctx *c)
{
    if (c->depth)
        c->depth--;
}

static const char *type_name(const cJSON *n)
{
    if (cJSON_IsNull(n))
        return "null";
    if (cJSON_IsBool(n))
        return "a boolean";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsArray(n))
        return "an array";
    if (cJSON_IsObject(n))
        return "an object";
    return "an invalid value";
}

/* ---- key suggestions ---- */

/* Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    unsigned char d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned char)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned char)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = d[i - 1][j] + 1u;
            unsigned ins = d[i][j - 1] + 1u;
            unsigned sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u);
            if (ins < v)
                v = ins;
            if (sub < v)
                v = sub;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1u < v)
                v = d[i - 2][j - 2] + 1u;
            d[i][j] = (unsigned char)v;
        }
    return d[la][lb];
}

/* The closest of names to s: within edit distance 2 (and at most half of s), else the one
 * name that is s plus a "_suffix" ("speed" -> "speed_mps"), else NULL. */
static const char *closest(const char *const *names, const char *s)
{
    const char *best = NULL;
    size_t best_d = 3, slen = strlen(s);
    for (const char *const *k = names; *k; k++) {
        size_t d = edit_distance(s, *k);
        if (d < best_d && 2 * d <= slen) {
            best = *k;
            best_d = d;
        }
    }
    if (best || slen < 3)
        return best;
    for (const char *const *k = names; *k; k++)
        if (strncmp(*k, s, slen) == 0 && (*k)[slen] == '_') {
            if (best)
                return NULL; /* ambiguous */
            best = *k;
        }
    return best;
}

static void join(const char *const *names, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *const *k = names; *k; k++) {
        int w = snprintf(buf + o, n - o, "%s%s", o ? ", " : "", *k);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

/* ---- reading one object ---- */

/* An object being read: its keys table, and which keys the code asked for (every key in the
 * table must be asked for, every key asked for must be in the table: checked at the end). */
typedef struct rd {
    ctx *c;
    const cJSON *obj;
    const char *const *keys;
    uint64_t asked;
    const char *bug; /* a key asked for that is not in the table */
} rd;

static size_t key_index(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return SIZE_MAX;
}

/* Unknown and duplicate keys, in text order. */
static int check_keys(rd *r)
{
    size_t first[64];
    uint64_t seen = 0;
    size_t ord = 0;
    for (const cJSON *ch = r->obj->child; ch; ch = ch->next, ord++) {
        const char *key = ch->string ? ch->string : "";
        path_el el = {key, 0, ord};
        size_t k = key_index(r->keys, key);
        char shown[80];
        sanitize(key, shown, sizeof shown);
        if (k == SIZE_MAX) {
            const char *near = closest(r->keys, key);
            if (near)
                return fail(r->c, &el, 1, FB_ERR_INVALID,
                            "unknown key \"%s\" (did you mean \"%s\"?)", shown, near);
            char list[480];
            join(r->keys, list, sizeof list);
            return fail(r->c, &el, 1, FB_ERR_INVALID, "unknown key \"%s\" (expected one of: %s)",
                        shown, list);
        }
        if (k < 64 && (seen >> k & 1u)) {
            path_el f = {key, 0, first[k]};
            fb_json_pos p = fb_json_pos_at(r->c->text, r->c->len, locate(r->c, &f, 1));
            return fail(
                r->c, &el, 1, FB_ERR_INVALID,
                "duplicate key \"%s\" (first at line %zu, column %zu; expected each key once)",
                shown, p.line, p.col);
        }
        if (k < 64) {
            seen |= (uint64_t)1 << k;
            first[k] = ord;
        }
    }
    return 0;
}

/* The member named key (first one: duplicates were rejected), or NULL; fills *el either way. */
static const cJSON *member(rd *r, const char *key, path_el *el)
{
    size_t k = key_index(r->keys, key);
    if (k == SIZE_MAX || k >= 64)
        r->bug = key;
    else
        r->asked |= (uint64_t)1 << k;
    *el = (path_el){key, 0, NO_ORDINAL};
    size_t ord = 0;
    for (const cJSON *ch = r->obj->child; ch; ch = ch->next, ord++)
        if (ch->string && strcmp(ch->string, key) == 0) {
            el->ordinal = ord;
            return ch;
        }
    return NULL;
}

static int rd_end(rd *r)
{
    if (r->bug)
        return fail(r->c, NULL, 0, FB_ERR_ARG, "internal error: key \"%s\" is not in its table",
                    r->bug);
    for (size_t i = 0; r->keys[i]; i++)
        if (i >= 64 || !(r->asked >> i & 1u))
            return fail(r->c, NULL, 0, FB_ERR_ARG, "internal error: key \"%s\" is never read",
                        r->keys[i]);
    return 0;
}

static int missing(rd *r, const char *key, const char *expected)
{
    path_el el = {key, 0, NO_ORDINAL};
    return fail(r->c, &el, 0, FB_ERR_INVALID, "missing required key (expected %s)", expected);
}

/* ---- values ---- */

static int num_value(ctx *c, const path_el *el, const cJSON *n, const range *rg, double *out)
{
    char rt[80];
    if (rg)
        range_text(rg, rt, sizeof rt);
    if (!cJSON_IsNumber(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected a number%s%s, got %s", rg ? " " : "",
                    rg ? rt : "", type_name(n));
    double v = n->valuedouble;
    if (!isfinite(v))
        return fail(c, el, 0, FB_ERR_INVALID,
                    "number too large for a double (expected a finite number%s%s)", rg ? " " : "",
                    rg ? rt : "");
    if (rg && !in_range(rg, v))
        return fail(c, el, 0, FB_ERR_INVALID, "must be %s, got %.15g", rt, v);
    *out = v;
    return 0;
}

/* An integer in [lo, hi] (both <= 2^53, exact in a double). */
static int uint_value(ctx *c, const path_el *el, const cJSON *n, double lo, double hi,
                      uint64_t *out)
{
    if (!cJSON_IsNumber(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected an integer in [%.0f, %.0f], got %s", lo, hi,
                    type_name(n));
    double v = n->valuedouble;
    if (!isfinite(v))
        return fail(c, el, 0, FB_ERR_INVALID,
                    "number too large for a double (expected an integer in [%.0f, %.0f])", lo, hi);
    if (v != floor(v))
        return fail(c, el, 0, FB_ERR_INVALID, "must be an integer, got %.15g", v);
    if (v < lo || v > hi)
        return fail(c, el, 0, FB_ERR_INVALID, "must be in [%.0f, %.0f], got %.15g", lo, hi, v);
    *out = (uint64_t)v;
    return 0;
}

static int bool_value(ctx *c, const path_el *el, const cJSON *n, bool *out)
{
    if (!cJSON_IsBool(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected true or false, got %s", type_name(n));
    *out = cJSON_IsTrue(n) != 0;
    return 0;
}

enum str_kind {
    STR_TEXT, /* one line of text, may be empty */
    STR_NAME, /* [a-z0-9-], not empty */
    STR_ID,   /* [A-Za-z0-9_.-], not empty */
    STR_SPEC  /* one line of text, not empty */
};

static int str_value(ctx *c, const path_el *el, const cJSON *n, enum str_kind kind, char *buf,
                     size_t size)
{
    static const char *const what[] = {[STR_TEXT] = "one line of text",
                                       [STR_NAME] = "a name of a-z, 0-9 and '-'",
                                       [STR_ID] = "an id of A-Z, a-z, 0-9, '_', '.' and '-'",
                                       [STR_SPEC] = "one line of text"};
    if (!cJSON_IsString(n) || !n->valuestring)
        return fail(c, el, 0, FB_ERR_INVALID, "expected a string (%s), got %s", what[kind],
                    type_name(n));
    const char *s = n->valuestring;
    size_t len = strlen(s);
    if (len == 0 && kind != STR_TEXT)
        return fail(c, el, 0, FB_ERR_INVALID, "empty string (expected %s)", what[kind]);
    if (len >= size)
        return fail(c, el, 0, FB_ERR_INVALID, "too long: %zu bytes (expected at most %zu)", len,
                    size - 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool ok;
        if (kind == STR_NAME)
            ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        else if (kind == STR_ID)
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_' || ch == '.';
        else
            ok = ch >= 0x20 && ch != 0x7F;
        if (!ok) {
            if (ch >= 0x21 && ch < 0x7F)
                return fail(c, el, 0, FB_ERR_INVALID,
                            "invalid character '%c' at index %zu (expected %s)", ch, i, what[kind]);
            return fail(c, el, 0, FB_ERR_INVALID,
                        "invalid character 0x%02X at index %zu (expected %s)", (unsigned)ch, i,
                        what[kind]);
        }
    }
    memcpy(buf, s, len + 1);
    return 0;
}

/* Optional (or required) number member; *present (may be NULL) and *el tell whether given. */
static int rd_num(rd *r, const char *key, const range *rg, bool required, double *dst,
                  path_el *el_out)
{
    path_el el;
    const cJSON *n = member(r, key, &el);
    if (el_out)
        *el_out = el;
    if (!n) {
        if (!required)
            return 0;
        char rt[80], ex[100];
        range_text(rg, rt, sizeof rt);
        snprintf(ex, sizeof ex, "a number %s", rt);
        return missing(r, key, ex);
    }
    return num_value(r->c, &el, n, rg, dst);
}

static int rd_str(rd *r, const char *key, enum str_kind kind, bool required, char *buf, size_t size)
{
    path_el el;
    const cJSON *n = member(r, key, &el);
    if (!n)
        return required
                   ? missing(r, key, kind == STR_NAME ? "a name of a-z, 0-9 and '-'" : "a string")
                   : 0;
    return str_value(r->c, &el, n, kind, buf, size);
}

static int rd_bool(rd *r, const char *key, bool *dst, path_el *el_out)
{
    path_el el;
    const cJSON *n = member(r, key, &el);
    if (el_out)
        *el_out = el;
    return n ? bool_value(r->c, &el, n, dst) : 0;
}

typedef int (*obj_fn)(rd *r, void *arg);

/* Reads the object n (at el, relative to the context path) with fn. */
static int object_at(ctx *c, const path_el *el, const cJSON *n, const char *const *keys, obj_fn fn,
                     void *arg)
{
    if (!cJSON_IsObject(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected an object, got %s", type_name(n));
    int rc = el ? push(c, el) : 0;
    if (rc)
        return rc;
    rd r = {c, n, keys, 0, NULL};
    rc = check_keys(&r);
    if (!rc)
        rc = fn(&r, arg);
    if (!rc)
        rc = rd_end(&r);
    if (el)
        pop(c);
    return rc;
}

static int rd_obj(rd *r, const char *key, const char *const *keys, obj_fn fn, void *arg,
                  bool *present)
{
    path_el el;
    const cJSON *n = member(r, key, &el);
    if (present)
        *present = n != NULL;
    return n ? object_at(r->c, &el, n, keys, fn, arg) : 0;
}

/* One of names[] (NULL-terminated) as a string at el; *out its index. Errors: not a string
 * ("expected one of ..."), or an unknown "noun" (with "did you mean" when suggest). */
static int enum_value(ctx *c, const path_el *el, const cJSON *n, const char *const *names,
                      const char *noun, bool suggest, size_t *out)
{
    char list[80], shown[80];
    join(names, list, sizeof list);
    if (!cJSON_IsString(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected one of %s, got %s", list, type_name(n));
    size_t k = key_index(names, n->valuestring);
    if (k == SIZE_MAX) {
        sanitize(n->valuestring, shown, sizeof shown);
        const char *near = suggest ? closest(names, n->valuestring) : NULL;
        if (near)
            return fail(c, el, 0, FB_ERR_INVALID, "unknown %s \"%s\" (did you mean \"%s\"?)", noun,
                        shown, near);
        return fail(c, el, 0, FB_ERR_INVALID, "unknown %s \"%s\" (expected one of %s)", noun,
                    shown, list);
    }
    *out = k;
    return 0;
}

/* A fixed-length array of numbers, element i in rg[i]. */
static int vec_value(ctx *c, const path_el *el, const cJSON *n, size_t count,
                     const range *const *rg, const char *shape, double *out)
{
    if (!cJSON_IsArray(n))
        return fail(c, el, 0, FB_ERR_INVALID, "expected an array of %zu numbers %s, got %s", count,
                    shape, type_name(n));
    size_t got = 0;
    for (const cJSON *e = n->child; e; e = e->next)
        got++;
    if (got != count)
        return fail(c, el, 0, FB_ERR_INVALID, "%s (expected %zu numbers %s)",
                    got ? "wrong number of elements" : "empty array", count, shape);
    int rc = push(c, el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        rc = num_value(c, &ei, e, rg[i], &out[i]);
    }
    pop(c);
    return rc;
}

/* ---- distributions ---- */

typedef struct dist_arg {
    const range *mean_rg, *sd_rg;  /* min and max use mean_rg */
    double *mean, *sd, *min, *max; /* min/max NULL when the distribution has no such key */
    bool minmax_from_sd;           /* absent min/max: mean -/+ DIST_DEFAULT_SDS sd, clamped */
} dist_arg;

static int parse_dist(rd *r, void *arg)
{
    dist_arg *d = arg;
    path_el el_mean, el_sd, el_min = {0}, el_max = {0};
    int rc = rd_num(r, "mean", d->mean_rg, true, d->mean, &el_mean);
    if (!rc)
        rc = rd_num(r, "sd", d->sd_rg, true, d->sd, &el_sd);
    if (!rc && d->min)
        rc = rd_num(r, "min", d->mean_rg, false, d->min, &el_min);
    if (!rc && d->max)
        rc = rd_num(r, "max", d->mean_rg, false, d->max, &el_max);
    if (rc)
        return rc;
    if (d->minmax_from_sd) {
        if (d->min && el_min.ordinal == NO_ORDINAL)
            *d->min = fmax(*d->mean - DIST_DEFAULT_SDS * *d->sd, d->mean_rg->lo);
        if (d->max && el_max.ordinal == NO_ORDINAL)
            *d->max = fmin(*d->mean + DIST_DEFAULT_SDS * *d->sd, d->mean_rg->hi);
    }
    if (d->min && d->max && *d->min > *d->max)
        return fail(r->c, el_min.ordinal != NO_ORDINAL ? &el_min : &el_max, 0, FB_ERR_INVALID,
                    "min %.10g is above max %.10g (expected min <= max)", *d->min, *d->max);
    if (d->min && d->max && *d->sd > 0 && *d->min == *d->max)
        return fail(r->c, &el_max, 0, FB_ERR_INVALID,
                    "min and max are both %.10g (expected max > min when sd > 0)", *d->max);
    if (d->min && d->max && (*d->mean < *d->min || *d->mean > *d->max))
        return fail(r->c, &el_mean, 0, FB_ERR_INVALID,
                    "must be within [min, max] = [%.10g, %.10g], got %.10g", *d->min, *d->max,
                    *d->mean);
    if (d->min && *d->mean < *d->min)
        return fail(r->c, &el_mean, 0, FB_ERR_INVALID, "must be >= min (%.10g), got %.10g", *d->min,
                    *d->mean);
    if (d->max && *d->mean > *d->max)
        return fail(r->c, &el_mean, 0, FB_ERR_INVALID, "must be <= max (%.10g), got %.10g", *d->max,
                    *d->mean);
    return 0;
}

/* ---- camera profile ---- */

typedef struct camera_arg {
    fb_camera_profile *cam;
    bool is_inline;
    const char *expected_name; /* profile resolved by name: its "name" must match */
} camera_arg;

/* The sensor and optics keys are optional; left out, they take these values: a generic 12 µm,
 * f/1.1 VOx core (the turret-256 class; docs/scenario.md gives each value's source). */
static void camera_model_defaults(fb_camera_profile *cam)
{
    cam->pixel_pitch_um = 12.0;         /* docs/sources.md: Lepton 3.5, and 7 mm lens of the Dahua */
    cam->f_number = 1.1;                /* docs/sources.md: Dahua 7 mm F1.1, Lepton f/1.1 */
    cam->lens_blur_um = 3.0;          /* optics MTF ~0.35 at Nyquist for 12 um, f/1.1 (assumed) */
    cam->fpa_rise_k = 10.0;
    cam->fpa_tau_s = 1200.0;
    cam->responsivity_tc_per_k = -0.002;
    cam->fpa_offset_k_per_k = 0.1;
    cam->ffc_offset_k_per_k = 0.15;
    cam->ffc_period_s = 300.0;          /* docs/sources.md: Lepton FFC every 5 min */
    cam->ffc_delta_k = 3.0;             /* docs/sources.md: or on a 3 K change of camera temperature */
    cam->ffc_frames = 4;                /* docs/sources.md: shutter closed ~4 frames */
    cam->fpn_growth_mk_per_min = 5.0;
    cam->dead_pixel_share = 0.0005;
    cam->noisy_pixel_share = 0.0002;
    cam->thermal_tau_ms = 10.0;         /* docs/sources.md: microbolometers 7-12 ms */
    cam->corner_illumination = 0.92;    /* our assumption for a fast LWIR lens (cos^4 gives ~0.87 at
                                         * the turret's corner; designs do better) */
}

/* The optional sensor and optics keys (camera_model_defaults for those left out). */
static int parse_camera_model(rd *r, fb_camera_profile *cam)
{
    static const range r_pitch = LEFT_OPEN(1, 100), r_fno = CLOSED(0.5, 20),
                       r_blur = CLOSED(0, 100), r_rise = CLOSED(0, 50), r_ftau = CLOSED(0, 1e6),
                       r_tc = CLOSED(-0.05, 0.05), r_off = CLOSED(-5, 5),
                       r_period = CLOSED(0, 86400), r_delta = CLOSED(0, 50),
                       r_frames = CLOSED(0, 1000), r_growth = CLOSED(0, 1000),
                       r_share = CLOSED(0, 0.1), r_ttau = CLOSED(0, 100),
                       r_ri = CLOSED(0.3, 1);
    const struct {
        const char *key;
        const range *rg;
        double *dst;
    } k[] = {
        {"pixel_pitch_um", &r_pitch, &cam->pixel_pitch_um},
        {"f_number", &r_fno, &cam->f_number},
        {"lens_blur_um", &r_blur, &cam->lens_blur_um},
        {"fpa_rise_k", &r_rise, &cam->fpa_rise_k},
        {"fpa_tau_s", &r_ftau, &cam->fpa_tau_s},
        {"responsivity_tc_per_k", &r_tc, &cam->responsivity_tc_per_k},
        {"fpa_offset_k_per_k", &r_off, &cam->fpa_offset_k_per_k},
        {"ffc_offset_k_per_k", &r_off, &cam->ffc_offset_k_per_k},
        {"ffc_period_s", &r_period, &cam->ffc_period_s},
        {"ffc_delta_k", &r_delta, &cam->ffc_delta_k},
        {"fpn_growth_mk_per_min", &r_growth, &cam->fpn_growth_mk_per_min},
        {"dead_pixel_share", &r_share, &cam->dead_pixel_share},
        {"noisy_pixel_share", &r_share, &cam->noisy_pixel_share},
        {"thermal_tau_ms", &r_ttau, &cam->thermal_tau_ms},
        {"corner_illumination", &r_ri, &cam->corner_illumination},
    };
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = rd_num(r, k[i].key, k[i].rg, false, k[i].dst, NULL);
    double frames = cam->ffc_frames;
    path_el el;
    if (!rc)
        rc = rd_num(r, "ffc_frames", &r_frames, false, &frames, &el);
    if (!rc && frames != floor(frames))
        rc = fail(r->c, &el, 0, FB_ERR_INVALID, "must be an integer, got %.15g", frames);
    cam->ffc_frames = (int)frames;
    return rc;
}

static int parse_camera(rd *r, void *arg)
{
    camera_arg *a = arg;
    fb_camera_profile *cam = a->cam;
    static const range r_px = CLOSED(8, 4096), r_hfov = OPEN(1, 170), r_fps = LEFT_OPEN(0, 1000),
                       r_netd = LEFT_OPEN(0, 1000), r_counts = LEFT_OPEN(1, 1000),
                       r_ref = CLOSED(-40, 100), r_fpn = CLOSED(0, 5000), r_drift = CLOSED(0, 10),
                       r_tau = LEFT_OPEN(0, 1e7);
    path_el el_name;
    const cJSON *n = member(r, "name", &el_name);
    int rc;
    if (n) {
        rc = str_value(r->c, &el_name, n, STR_NAME, cam->name, sizeof cam->name);
        if (rc)
            return rc;
    } else if (a->is_inline) {
        snprintf(cam->name, sizeof cam->name, "%s", "inline");
    } else {
        return missing(r, "name", "a name of a-z, 0-9 and '-'");
    }
    if (a->expected_name && strcmp(cam->name, a->expected_name) != 0)
        return fail(r->c, &el_name, 0, FB_ERR_INVALID,
                    "profile name \"%s\" differs from its file name (expected \"%s\")", cam->name,
                    a->expected_name);
    rc = rd_str(r, "description", STR_TEXT, false, cam->description, sizeof cam->description);
    double w = 0, h = 0;
    path_el el_w, el_h;
    if (!rc)
        rc = rd_num(r, "width", &r_px, true, &w, &el_w);
    if (!rc)
        rc = rd_num(r, "height", &r_px, true, &h, &el_h);
    if (!rc && w != floor(w))
        rc = fail(r->c, &el_w, 0, FB_ERR_INVALID, "must be an integer, got %.15g", w);
    if (!rc && h != floor(h))
        rc = fail(r->c, &el_h, 0, FB_ERR_INVALID, "must be an integer, got %.15g", h);
    cam->width = (int)w;
    cam->height = (int)h;
    if (!rc)
        rc = rd_num(r, "hfov_deg", &r_hfov, true, &cam->hfov_deg, NULL);
    if (!rc)
        rc = rd_num(r, "fps", &r_fps, true, &cam->fps, NULL);
    if (!rc)
        rc = rd_num(r, "netd_mk", &r_netd, true, &cam->netd_mk, NULL);
    if (!rc)
        rc = rd_num(r, "counts_per_k", &r_counts, true, &cam->counts_per_k, NULL);
    if (!rc)
        rc = rd_num(r, "reference_c", &r_ref, true, &cam->reference_c, NULL);
    if (!rc)
        rc = rd_num(r, "fpn_sd_mk", &r_fpn, true, &cam->fpn_sd_mk, NULL);
    if (!rc)
        rc = rd_num(r, "drift_sd_c", &r_drift, true, &cam->drift_sd_c, NULL);
    if (!rc)
        rc = rd_num(r, "drift_tau_s", &r_tau, true, &cam->drift_tau_s, NULL);
    camera_model_defaults(cam);
    if (!rc)
        rc = parse_camera_model(r, cam);
    return rc;
}

/* ---- files ---- */

/* Reads a whole file (at most MAX_FILE_BYTES) into a NUL-terminated cJSON_malloc'ed buffer.
 * Returns 0, FB_ERR_IO (*err_no = errno; EFBIG when too large) or FB_ERR_NOMEM. */
static int read_file(const char *path, char **text, size_t *len, int *err_no)
{
    *text = NULL;
    *len = 0;
    *err_no = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err_no = errno;
        return FB_ERR_IO;
    }
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int rc = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            if (ncap > MAX_FILE_BYTES + 2)
                ncap = MAX_FILE_BYTES + 2;
            char *nb = cJSON_malloc(ncap);
            if (!nb) {
                rc = FB_ERR_NOMEM;
                break;
            }
            if (n)
                memcpy(nb, buf, n);
            cJSON_free(buf);
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (n > MAX_FILE_BYTES) {
            *err_no = EFBIG;
            rc = FB_ERR_IO;
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                *err_no = errno ? errno : EIO;
                rc = FB_ERR_IO;
            }
            break;
        }
    }
    fclose(f);
    if (rc) {
        cJSON_free(buf);
        return rc;
    }
    if (!buf) { /* not reached: the first round allocates */
        buf = cJSON_malloc(1);
        if (!buf)
            return FB_ERR_NOMEM;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

static int io_message(char *err, size_t err_len, const char *path, int err_no, int rc)
{
    if (err && err_len) {
        if (rc == FB_ERR_NOMEM)
            snprintf(err, err_len, "%s: out of memory", path);
        else if (err_no == EFBIG)
            snprintf(err, err_len, "%s: cannot read: file too large (expected at most %zu bytes)",
                     path, MAX_FILE_BYTES);
        else
            snprintf(err, err_len, "%s: cannot read: %s", path, strerror(err_no));
    }
    return rc;
}

/* Syntax check with a located message, then cJSON. */
static int parse_text(ctx *c, cJSON **out)
{
    fb_json_syntax e;
    *out = NULL;
    if (fb_json_pos_check(c->text, c->len, &e) != 0) {
        if (c->err && c->err_len) {
            fb_json_pos p = fb_json_pos_at(c->text, c->len, e.offset);
            snprintf(c->err, c->err_len, "%s:%zu:%zu: %s: syntax error: %s%s%s%s", c->file, p.line,
                     p.col, e.path[0] ? e.path : "(document)", e.what,
                     e.expected[0] ? " (expected " : "", e.expected, e.expected[0] ? ")" : "");
        }
        return FB_ERR_PARSE;
    }
    /* The check is stricter than cJSON, so cJSON fails here only when an allocation fails. */
    *out = cJSON_ParseWithLengthOpts(c->text, c->len, NULL, 0);
    if (!*out) {
        if (c->err && c->err_len)
            snprintf(c->err, c->err_len, "%s: out of memory while parsing", c->file);
        return FB_ERR_NOMEM;
    }
    return 0;
}

/* Chains the unformatted text of doc into *h. */
static int hash_doc(uint64_t *h, const cJSON *doc)
{
    char *p = cJSON_PrintUnformatted(doc);
    if (!p)
        return FB_ERR_NOMEM;
    *h = fb_hash64(*h, p, strlen(p));
    cJSON_free(p);
    return 0;
}

/* Parses and checks a camera profile document (and sets its doc_hash); *doc_out (may be NULL)
 * receives the tree. */
static int load_camera_text(const char *text, size_t len, const char *file,
                            const char *expected_name, fb_camera_profile *cam, cJSON **doc_out,
                            char *err, size_t err_len)
{
    ctx c = {.text = text, .len = len, .file = file, .err = err, .err_len = err_len};
    cJSON *doc = NULL;
    int rc = parse_text(&c, &doc);
    if (!rc) {
        camera_arg a = {cam, false, expected_name};
        rc = object_at(&c, NULL, doc, camera_keys, parse_camera, &a);
    }
    if (!rc) {
        cam->doc_hash = FB_HASH_INIT;
        if (hash_doc(&cam->doc_hash, doc))
            rc = fail(&c, NULL, 0, FB_ERR_NOMEM, "out of memory");
    }
    if (rc || !doc_out)
        cJSON_Delete(doc);
    else
        *doc_out = doc;
    return rc;
}

int fb_camera_profile_load(const char *path, fb_camera_profile *out, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    if (!path || !out)
        return FB_ERR_ARG;
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    int err_no;
    int rc = read_file(path, &text, &len, &err_no);
    if (rc)
        return io_message(err, err_len, path, err_no, rc);
    rc = load_camera_text(text, len, path, NULL, out, NULL, err, err_len);
    cJSON_free(text);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

int fb_camera_profile_load_text(const char *text, size_t len, const char *display_name,
                                fb_camera_profile *out, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    if (!text || !display_name || !out)
        return FB_ERR_ARG;
    memset(out, 0, sizeof *out);
    int rc = load_camera_text(text, len, display_name, NULL, out, NULL, err, err_len);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

/* "camera": "NAME" -> <base_dir>/cameras/NAME.json, else the embedded cameras/NAME.json. */
static int resolve_camera(ctx *c, const path_el *el, const cJSON *n, fb_camera_profile *cam,
                          cJSON **doc)
{
    char name[64];
    int rc = str_value(c, el, n, STR_NAME, name, sizeof name);
    if (rc)
        return rc;
    char file[1024] = "", tried[1100] = "";
    char *text = NULL;
    size_t len = 0;
    if (c->base_dir) {
        int w = snprintf(file, sizeof file, "%s/cameras/%s.json", c->base_dir, name);
        if (w < 0 || (size_t)w >= sizeof file)
            return fail(c, el, 0, FB_ERR_IO,
                        "camera profile path too long (expected at most %zu bytes)",
                        sizeof file - 1);
        int err_no;
        rc = read_file(file, &text, &len, &err_no);
        if (rc == FB_ERR_NOMEM)
            return fail(c, el, 0, rc, "out of memory");
        if (rc && err_no != ENOENT) {
            if (err_no == EFBIG)
                return fail(
                    c, el, 0, FB_ERR_IO,
                    "cannot read camera profile %s: file too large (expected at most %zu bytes)",
                    file, MAX_FILE_BYTES);
            return fail(c, el, 0, FB_ERR_IO, "cannot read camera profile %s: %s", file,
                        strerror(err_no));
        }
        snprintf(tried, sizeof tried, "%s, ", file);
    }
    if (text) {
        rc = load_camera_text(text, len, file, name, cam, doc, c->err, c->err_len);
        cJSON_free(text);
        return rc;
    }
    char rel[96];
    snprintf(rel, sizeof rel, "cameras/%s.json", name);
    const fb_embedded_file *f = fb_embedded_find(rel);
    if (!f) {
        char avail[400];
        size_t o = 0;
        avail[0] = '\0';
        for (const fb_embedded_file *e = fb_embedded_files; e->path; e++) {
            size_t pl = strlen(e->path);
            if (strncmp(e->path, "cameras/", 8) != 0 || pl < 13)
                continue;
            int w = snprintf(avail + o, sizeof avail - o, "%s%.*s", o ? ", " : "", (int)(pl - 13),
                             e->path + 8);
            if (w < 0 || (size_t)w >= sizeof avail - o)
                break;
            o += (size_t)w;
        }
        return fail(c, el, 0, FB_ERR_IO,
                    "camera profile \"%s\" not found (tried %sembedded:%s; expected one of: %s)",
                    name, tried, rel, o ? avail : "none");
    }
    char shown[128];
    snprintf(shown, sizeof shown, "embedded:%s", rel);
    return load_camera_text(f->text, f->len, shown, name, cam, doc, c->err, c->err_len);
}

/* ---- sections ---- */

typedef struct scen_arg {
    fb_scenario *s;
    cJSON *camera_doc; /* the resolved profile's tree (owned), or NULL for an inline camera */
    const cJSON *camera_node;
} scen_arg;

static int parse_mount(rd *r, void *arg)
{
    fb_scenario *s = arg;
    static const range r_h = CLOSED(0.5, 5), r_tilt = CLOSED(-45, 45);
    int rc = rd_num(r, "height_m", &r_h, false, &s->camera_height_m, NULL);
    return rc ? rc : rd_num(r, "tilt_deg", &r_tilt, false, &s->camera_tilt_deg, NULL);
}

static const char *const ambient_models[] = {"constant", "ramp", "sine", "random_walk", NULL};

static int parse_ambient(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_ambient_params *a = &s->ambient;
    static const range r_base = CLOSED(-30, 50), r_rate = CLOSED(-50, 50), r_amp = CLOSED(0, 20),
                       r_period = LEFT_OPEN(0, 1e6), r_sd = CLOSED(0, 10),
                       r_tau = LEFT_OPEN(0, 1e6);
    path_el el_model;
    const cJSON *n = member(r, "model", &el_model);
    int kind = FB_AMBIENT_CONSTANT;
    if (n) {
        size_t k;
        int rc = enum_value(r->c, &el_model, n, ambient_models, "model", true, &k);
        if (rc)
            return rc;
        kind = (int)k;
    }
    a->kind = (fb_ambient_kind)kind;
    int rc = rd_num(r, "base_c", &r_base, false, &a->base_c, NULL);
    if (rc)
        return rc;
    struct {
        const char *key;
        int kind;
        const range *rg;
        double *dst;
        path_el el;
    } p[] = {{"rate_c_per_h", FB_AMBIENT_RAMP, &r_rate, &a->rate_c_per_h, {0}},
             {"amplitude_c", FB_AMBIENT_SINE, &r_amp, &a->amplitude_c, {0}},
             {"period_s", FB_AMBIENT_SINE, &r_period, &a->period_s, {0}},
             {"sd_c", FB_AMBIENT_RANDOM_WALK, &r_sd, &a->sd_c, {0}},
             {"tau_s", FB_AMBIENT_RANDOM_WALK, &r_tau, &a->tau_s, {0}}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        const cJSON *v = member(r, p[i].key, &p[i].el);
        if (v && p[i].kind != kind)
            return fail(r->c, &p[i].el, 1, FB_ERR_INVALID,
                        "%s is only valid with model %s (model is %s)", p[i].key,
                        ambient_models[p[i].kind], ambient_models[kind]);
        if (!v && p[i].kind == kind) {
            char rt[80], ex[140];
            range_text(p[i].rg, rt, sizeof rt);
            snprintf(ex, sizeof ex, "a number %s with model %s", rt, ambient_models[kind]);
            return missing(r, p[i].key, ex);
        }
        if (v && (rc = num_value(r->c, &p[i].el, v, p[i].rg, p[i].dst)) != 0)
            return rc;
    }
    /* The air must stay within base_c's range over the run. */
    if (kind == FB_AMBIENT_RAMP) {
        double end_c = a->base_c + a->rate_c_per_h * s->duration_s / 3600.0;
        if (!in_range(&r_base, end_c))
            return fail(
                r->c, &p[0].el, 0, FB_ERR_INVALID,
                "ramps the air to %.3g °C by the end of the run (expected it to stay in [-30, 50])",
                end_c);
    } else if (kind == FB_AMBIENT_SINE) {
        if (!in_range(&r_base, a->base_c - a->amplitude_c) ||
            !in_range(&r_base, a->base_c + a->amplitude_c))
            return fail(r->c, &p[1].el, 0, FB_ERR_INVALID,
                        "swings the air to %.3g..%.3g °C (expected it to stay in [-30, 50])",
                        a->base_c - a->amplitude_c, a->base_c + a->amplitude_c);
    }
    return 0;
}

static int parse_environment(rd *r, void *arg)
{
    fb_scenario *s = arg;
    static const range r_rh = CLOSED(0, 100);
    int rc = rd_obj(r, "ambient", ambient_keys, parse_ambient, s, NULL);
    return rc ? rc : rd_num(r, "rh_percent", &r_rh, false, &s->rh_percent, NULL);
}

/* The common start of an array of objects under key: absent (returns 0 with *out NULL), not an
 * array, empty, or longer than max (one located error each); else *out, *el and *count are set.
 * hint is appended to the "too many" message ("" for none). */
static int object_array(rd *r, const char *key, const char *noun, size_t max, const char *hint,
                        const cJSON **out, path_el *el, size_t *count)
{
    *out = NULL;
    const cJSON *n = member(r, key, el);
    if (!n)
        return 0;
    if (!cJSON_IsArray(n))
        return fail(r->c, el, 0, FB_ERR_INVALID, "expected an array of %s objects, got %s", noun,
                    type_name(n));
    size_t k = 0;
    for (const cJSON *e = n->child; e; e = e->next)
        k++;
    if (k == 0)
        return fail(r->c, el, 0, FB_ERR_INVALID,
                    "empty array (expected 1 to %zu %s objects; leave \"%s\" out for none)", max,
                    noun, key);
    if (k > max)
        return fail(r->c, el, 0, FB_ERR_INVALID, "%zu %ss (expected at most %zu%s)", k, noun, max,
                    hint);
    *out = n;
    *count = k;
    return 0;
}

/* Prepares element i of a list read by object_list (zeroes it, sets its defaults) and returns
 * the argument the keys' reader gets for it. */
typedef void *(*elem_fn)(void *list_arg, size_t i);

/* An array of objects under key, each read with keys and fn (element i's argument from
 * elem(list_arg, i)), errors located at key[i]. *count: the elements read (0 on error or when
 * absent). */
static int object_list(rd *r, const char *key, const char *noun, size_t max,
                       const char *const *keys, obj_fn fn, elem_fn elem, void *list_arg,
                       size_t *count)
{
    path_el el;
    const cJSON *n;
    size_t k = 0;
    *count = 0;
    int rc = object_array(r, key, noun, max, "", &n, &el, &k);
    if (rc || !n)
        return rc;
    rc = push(r->c, &el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        rc = object_at(r->c, &ei, e, keys, fn, elem(list_arg, i));
    }
    pop(r->c);
    *count = rc ? 0 : k;
    return rc;
}

/* One entry of blackbody.failures, read against the run's duration. */
typedef struct bb_failure_arg {
    fb_blackbody_params *b;
    fb_bb_failure *f; /* the element being read */
    double duration_s;
} bb_failure_arg;

static int parse_bb_failure(rd *r, void *arg)
{
    bb_failure_arg *a = arg;
    fb_bb_failure *f = a->f;
    static const range r_rate = CLOSED(-60, 60), r_off_xy = CLOSED(-10, 10),
                       r_off_z = CLOSED(-5, 5);
    static const range *const r_off[] = {&r_off_xy, &r_off_xy, &r_off_z};
    const range r_at = {0, a->duration_s, false, true}; /* [0, duration) */
    path_el el;
    const cJSON *n = member(r, "mode", &el);
    char list[60];
    const char *names[FB_BB_FAIL_KIND_COUNT + 1];
    for (int k = 0; k < FB_BB_FAIL_KIND_COUNT; k++)
        names[k] = fb_bb_failure_name((fb_bb_failure_kind)k);
    names[FB_BB_FAIL_KIND_COUNT] = NULL;
    join(names, list, sizeof list);
    if (!n)
        return missing(r, "mode", list);
    size_t k;
    int rc = enum_value(r->c, &el, n, names, "mode", false, &k);
    if (rc)
        return rc;
    f->kind = (fb_bb_failure_kind)k;
    rc = rd_num(r, "at_s", &r_at, true, &f->at_s, NULL);
    if (rc)
        return rc;
    path_el el_until, el_rate, el_off;
    f->until_s = INFINITY;
    const range r_until = {f->at_s, 1e9, true, false}; /* (at_s, ...] */
    rc = rd_num(r, "until_s", &r_until, false, &f->until_s, &el_until);
    if (!rc)
        rc = rd_num(r, "rate_c_per_min", &r_rate, f->kind == FB_BB_FAIL_DRIFT, &f->rate_c_per_min,
                    &el_rate);
    if (rc)
        return rc;
    if (f->kind == FB_BB_FAIL_DRIFT && f->rate_c_per_min == 0.0)
        return fail(r->c, &el_rate, 0, FB_ERR_INVALID,
                    "a drift needs a non-zero rate (expected a number in [-60, 60] other than 0)");
    if (f->kind != FB_BB_FAIL_DRIFT && el_rate.ordinal != NO_ORDINAL)
        return fail(r->c, &el_rate, 0, FB_ERR_INVALID,
                    "applies only to mode \"drift\" (this failure is \"%s\")",
                    fb_bb_failure_name(f->kind));
    n = member(r, "offset_m", &el_off);
    if (f->kind == FB_BB_FAIL_MOVED) {
        if (!n)
            return missing(r, "offset_m", "[dx, dy, dz] in metres: where the source was moved");
        rc = vec_value(r->c, &el_off, n, 3, r_off, "[dx, dy, dz]", f->offset_m);
        if (rc)
            return rc;
        if (f->offset_m[0] == 0.0 && f->offset_m[1] == 0.0 && f->offset_m[2] == 0.0)
            return fail(r->c, &el_off, 0, FB_ERR_INVALID,
                        "a move needs a non-zero offset (expected [dx, dy, dz] not all 0)");
    } else if (n) {
        return fail(r->c, &el_off, 0, FB_ERR_INVALID,
                    "applies only to mode \"moved\" (this failure is \"%s\")",
                    fb_bb_failure_name(f->kind));
    }
    return 0;
}

static void *bb_failure_elem(void *list_arg, size_t i)
{
    bb_failure_arg *a = list_arg;
    a->f = &a->b->failures[i];
    memset(a->f, 0, sizeof *a->f);
    return a;
}

static int parse_bb_failures(rd *r, fb_blackbody_params *b, double duration_s)
{
    bb_failure_arg a = {b, NULL, duration_s};
    size_t count;
    int rc = object_list(r, "failures", "failure", FB_BB_MAX_FAILURES, bb_failure_keys,
                         parse_bb_failure, bb_failure_elem, &a, &count);
    b->n_failures = (uint32_t)count;
    return rc;
}

static int parse_blackbody(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_blackbody_params *b = &s->blackbody;
    static const range r_set = CLOSED(20, 50), r_emis = LEFT_OPEN(0, 1), r_ap = LEFT_OPEN(0, 1),
                       r_inst = CLOSED(0, 1), r_tau = LEFT_OPEN(0, 86400),
                       r_heat = LEFT_OPEN(0, 60), r_cool = LEFT_OPEN(0, 86400);
    static const range r_x = CLOSED(-10, 10), r_y = LEFT_OPEN(0.3, 20), r_z = CLOSED(0, 5);
    static const range *const r_pos[] = {&r_x, &r_y, &r_z};
    b->enabled = true;
    int rc = rd_bool(r, "enabled", &b->enabled, NULL);
    if (!rc)
        rc = rd_num(r, "set_c", &r_set, false, &b->set_c, NULL);
    if (!rc)
        rc = rd_num(r, "emissivity", &r_emis, false, &b->emissivity, NULL);
    if (rc)
        return rc;
    path_el el;
    const cJSON *n = member(r, "position_m", &el);
    if (n) {
        double v[3];
        rc = vec_value(r->c, &el, n, 3, r_pos, "[x, y, z]", v);
        if (rc)
            return rc;
        b->x_m = v[0];
        b->y_m = v[1];
        b->z_m = v[2];
    } else if (b->enabled) {
        return missing(r, "position_m", "[x, y, z] in metres when the blackbody is enabled");
    }
    rc = rd_num(r, "aperture_m", &r_ap, false, &b->aperture_m, NULL);
    if (!rc)
        rc = rd_num(r, "instability_c", &r_inst, false, &b->instability_c, NULL);
    if (!rc)
        rc = rd_num(r, "instability_tau_s", &r_tau, false, &b->instability_tau_s, NULL);
    if (!rc)
        rc = rd_bool(r, "cold_start", &b->cold_start, NULL);
    if (!rc)
        rc = rd_num(r, "heat_rate_c_per_min", &r_heat, false, &b->heat_rate_c_per_min, NULL);
    if (!rc)
        rc = rd_num(r, "cool_tau_s", &r_cool, false, &b->cool_tau_s, NULL);
    if (!rc)
        rc = parse_bb_failures(r, b, s->duration_s);
    return rc;
}

static int parse_physiology(rd *r, void *arg)
{
    fb_physiology_params *p = arg;
    static const range r_core = CLOSED(34, 43), r_core_sd = CLOSED(0, 3), r_off = CLOSED(-1, 4),
                       r_off_sd = CLOSED(0, 2), r_lr = CLOSED(0, 2), r_slope = CLOSED(0, 1),
                       r_ref = CLOSED(-30, 50);
    dist_arg afeb = {&r_core,
                     &r_core_sd,
                     &p->afebrile_core_mean_c,
                     &p->afebrile_core_sd_c,
                     NULL,
                     &p->afebrile_core_max_c,
                     false};
    dist_arg feb = {&r_core,
                    &r_core_sd,
                    &p->febrile_core_mean_c,
                    &p->febrile_core_sd_c,
                    &p->febrile_core_min_c,
                    &p->febrile_core_max_c,
                    false};
    dist_arg canth = {&r_off, &r_off_sd, &p->canthus_offset_mean_c, &p->canthus_offset_sd_c, NULL,
                      NULL,   false};
    dist_arg fore = {&r_off, &r_off_sd, &p->forehead_offset_mean_c, &p->forehead_offset_sd_c, NULL,
                     NULL,   false};
    int rc = rd_obj(r, "afebrile_core_c", dist_max_keys, parse_dist, &afeb, NULL);
    if (!rc)
        rc = rd_obj(r, "febrile_core_c", dist_keys, parse_dist, &feb, NULL);
    if (!rc)
        rc = rd_obj(r, "canthus_offset_c", dist_ms_keys, parse_dist, &canth, NULL);
    if (!rc)
        rc = rd_obj(r, "forehead_offset_c", dist_ms_keys, parse_dist, &fore, NULL);
    if (!rc)
        rc = rd_num(r, "canthus_lr_sd_c", &r_lr, false, &p->canthus_lr_sd_c, NULL);
    if (!rc)
        rc = rd_num(r, "ambient_slope", &r_slope, false, &p->ambient_slope, NULL);
    if (!rc)
        rc = rd_num(r, "ambient_ref_c", &r_ref, false, &p->ambient_ref_c, NULL);
    return rc;
}

static const range r_distance = LEFT_OPEN(0, 50);

/* ---- people: bursts, confounder shares, head turns (issue 3B) ---- */

typedef struct burst_arg {
    fb_scenario *s;
    fb_burst *b;
} burst_arg;

static int parse_burst(rd *r, void *arg)
{
    burst_arg *a = arg;
    fb_burst *b = a->b;
    static const range r_at = CLOSED(0, 86400), r_dur = LEFT_OPEN(0, 3600);
    path_el el_at, el;
    b->duration_s = 60.0;
    int rc = rd_num(r, "at_s", &r_at, true, &b->at_s, &el_at);
    if (rc)
        return rc;
    if (b->at_s >= a->s->duration_s)
        return fail(r->c, &el_at, 0, FB_ERR_INVALID, "must be < duration_s (%.10g), got %.10g",
                    a->s->duration_s, b->at_s);
    const cJSON *n = member(r, "count", &el);
    if (!n)
        return missing(r, "count", "an integer in [1, 10000]");
    uint64_t v;
    rc = uint_value(r->c, &el, n, 1, 10000, &v);
    if (rc)
        return rc;
    b->count = (size_t)v;
    return rd_num(r, "duration_s", &r_dur, false, &b->duration_s, NULL);
}

static void *burst_elem(void *list_arg, size_t i)
{
    burst_arg *a = list_arg;
    a->b = &a->s->population.bursts[i];
    return a;
}

static int parse_bursts(rd *r, fb_scenario *s)
{
    burst_arg a = {s, NULL};
    return object_list(r, "bursts", "burst", FB_MAX_BURSTS, burst_keys, parse_burst, burst_elem,
                       &a, &s->population.n_bursts);
}

static int parse_population_people(rd *r, fb_scenario *s)
{
    fb_population_spec *p = &s->population;
    static const range r_share = CLOSED(0, 1), r_out = CLOSED(-40, 20), r_yaw = CLOSED(0, 90),
                       r_yaw_sd = CLOSED(0, 90);
    struct {
        const char *key;
        double *dst;
    } shares[] = {{"glasses_share", &p->glasses_share},
                  {"mask_surgical_share", &p->mask_surgical_share},
                  {"mask_n95_share", &p->mask_n95_share},
                  {"hat_share", &p->hat_share},
                  {"cold_entry_share", &p->cold_entry_share},
                  {"face_wipe_share", &p->face_wipe_share},
                  {"exercise_share", &p->exercise_share},
                  {"hot_drink_share", &p->hot_drink_share},
                  {"head_turn_share", &p->head_turn_share}};
    path_el el_n95;
    int rc = parse_bursts(r, s);
    for (size_t i = 0; !rc && i < sizeof shares / sizeof shares[0]; i++)
        rc = rd_num(r, shares[i].key, &r_share, false, shares[i].dst,
                    shares[i].dst == &p->mask_n95_share ? &el_n95 : NULL);
    if (rc)
        return rc;
    if (p->mask_surgical_share + p->mask_n95_share > 1.0)
        return fail(r->c, el_n95.ordinal != NO_ORDINAL ? &el_n95 : NULL, 0, FB_ERR_INVALID,
                    "mask_surgical_share + mask_n95_share = %.10g (expected at most 1)",
                    p->mask_surgical_share + p->mask_n95_share);
    rc = rd_num(r, "outdoor_c", &r_out, false, &p->outdoor_c, NULL);
    if (rc)
        return rc;
    dist_arg yaw = {&r_yaw,
                    &r_yaw_sd,
                    &p->head_turn_yaw_deg.mean,
                    &p->head_turn_yaw_deg.sd,
                    &p->head_turn_yaw_deg.min,
                    &p->head_turn_yaw_deg.max,
                    true};
    return rd_obj(r, "head_turn_yaw_deg", dist_keys, parse_dist, &yaw, NULL);
}

static int parse_population(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_population_spec *p = &s->population;
    static const range r_rate = LEFT_OPEN(0, 600), r_t = CLOSED(0, 86400), r_share = CLOSED(0, 1),
                       r_speed = CLOSED(0.1, 5), r_speed_sd = CLOSED(0, 4.9), r_lat = CLOSED(-5, 5),
                       r_lat_sd = CLOSED(0, 10), r_h = CLOSED(1.0, 2.3), r_h_sd = CLOSED(0, 1.3);
    static const range r_rate_bursts = CLOSED(0, 600); /* only bursts: no Poisson arrivals */
    p->enabled = true;
    path_el el_start, el_end, el_sd, el_xd;
    bool has_bursts = cJSON_GetObjectItemCaseSensitive(r->obj, "bursts") != NULL;
    int rc = rd_num(r, "arrival_rate_per_min", has_bursts ? &r_rate_bursts : &r_rate, false,
                    &p->arrival_rate_per_min, NULL);
    if (!rc)
        rc = rd_num(r, "start_s", &r_t, false, &p->start_s, &el_start);
    if (!rc)
        rc = rd_num(r, "end_s", &r_t, false, &p->end_s, &el_end);
    if (!rc)
        rc = rd_num(r, "fever_share", &r_share, false, &p->fever_share, NULL);
    if (rc)
        return rc;
    if (p->start_s >= s->duration_s)
        return fail(r->c, &el_start, 0, FB_ERR_INVALID, "must be < duration_s (%.10g), got %.10g",
                    s->duration_s, p->start_s);
    if (p->end_s > s->duration_s)
        return fail(r->c, &el_end, 0, FB_ERR_INVALID,
                    "must be <= duration_s (%.10g) or 0 for the whole run, got %.10g",
                    s->duration_s, p->end_s);
    if (p->end_s > 0 && p->end_s <= p->start_s)
        return fail(r->c, &el_end, 0, FB_ERR_INVALID,
                    "must be > start_s (%.10g) or 0 for the whole run, got %.10g", p->start_s,
                    p->end_s);
    dist_arg speed = {
        &r_speed,          &r_speed_sd, &p->speed_mps.mean, &p->speed_mps.sd, &p->speed_mps.min,
        &p->speed_mps.max, true};
    dist_arg lat = {&r_lat,
                    &r_lat_sd,
                    &p->lateral_m.mean,
                    &p->lateral_m.sd,
                    &p->lateral_m.min,
                    &p->lateral_m.max,
                    true};
    dist_arg height = {
        &r_h, &r_h_sd, &p->height_m.mean, &p->height_m.sd, &p->height_m.min, &p->height_m.max,
        true};
    rc = rd_obj(r, "speed_mps", dist_keys, parse_dist, &speed, NULL);
    if (!rc)
        rc = rd_obj(r, "lateral_m", dist_keys, parse_dist, &lat, NULL);
    if (!rc)
        rc = rd_obj(r, "height_m", dist_keys, parse_dist, &height, NULL);
    if (!rc)
        rc = rd_num(r, "start_distance_m", &r_distance, false, &p->start_distance_m, &el_sd);
    if (!rc)
        rc = rd_num(r, "exit_distance_m", &r_distance, false, &p->exit_distance_m, &el_xd);
    if (rc)
        return rc;
    if (p->start_distance_m <= p->exit_distance_m)
        return fail(r->c, el_xd.ordinal != NO_ORDINAL ? &el_xd : &el_sd, 0, FB_ERR_INVALID,
                    "start_distance_m (%.10g) must be > exit_distance_m (%.10g)",
                    p->start_distance_m, p->exit_distance_m);
    path_el el;
    const cJSON *n = member(r, "max_subjects", &el);
    if (n) {
        uint64_t v;
        rc = uint_value(r->c, &el, n, 1, 1000000, &v);
        if (rc)
            return rc;
        p->max_subjects = (size_t)v;
    }
    return parse_population_people(r, s);
}

typedef struct subject_arg {
    fb_scenario *s;
    size_t index;
} subject_arg;

static const char *const mask_kinds[] = {"none", "surgical", "n95", NULL};

static int parse_head_turn(rd *r, void *arg)
{
    fb_subject_spec *sub = arg;
    static const range r_t = CLOSED(0, 86400), r_yaw = CLOSED(-90, 90), r_dur = LEFT_OPEN(0, 600);
    sub->head_turn_duration_s = 2.0;
    int rc = rd_num(r, "peak_s", &r_t, true, &sub->head_turn_peak_s, NULL);
    if (!rc)
        rc = rd_num(r, "yaw_deg", &r_yaw, true, &sub->head_turn_yaw_deg, NULL);
    if (!rc)
        rc = rd_num(r, "duration_s", &r_dur, false, &sub->head_turn_duration_s, NULL);
    return rc;
}

/* The subject keys of people and confounders (issue 3B). */
static int parse_subject_people(rd *r, fb_scenario *s, fb_subject_spec *sub)
{
    (void)s;
    static const range r_out = CLOSED(-40, 20), r_ago = CLOSED(0, 3600), r_cup = CLOSED(40, 95),
                       r_dwell = CLOSED(0, 600);
    path_el el, el_cold, el_cold_ago, el_wipe, el_ex, el_cup, el_dwell;
    int rc = rd_bool(r, "glasses", &sub->glasses, NULL);
    if (!rc)
        rc = rd_bool(r, "hat", &sub->hat, NULL);
    if (rc)
        return rc;
    const cJSON *n = member(r, "mask", &el);
    if (n) {
        size_t k;
        int rc0 = enum_value(r->c, &el, n, mask_kinds, "mask", false, &k);
        if (rc0)
            return rc0;
        sub->mask = (fb_mask_kind)k;
    }
    rc = rd_num(r, "cold_entry_c", &r_out, false, &sub->cold_entry_c, &el_cold);
    if (!rc)
        rc = rd_num(r, "cold_entry_ago_s", &r_ago, false, &sub->cold_entry_ago_s, &el_cold_ago);
    if (!rc)
        rc = rd_num(r, "face_wipe_ago_s", &r_ago, false, &sub->face_wipe_ago_s, &el_wipe);
    if (!rc)
        rc = rd_num(r, "exercise_ago_s", &r_ago, false, &sub->exercise_ago_s, &el_ex);
    if (!rc)
        rc = rd_num(r, "hot_drink_c", &r_cup, false, &sub->hot_drink_c, &el_cup);
    if (!rc)
        rc = rd_obj(r, "head_turn", head_turn_keys, parse_head_turn, sub, &sub->has_head_turn);
    if (!rc)
        rc = rd_num(r, "dwell_s", &r_dwell, false, &sub->dwell_s, &el_dwell);
    if (rc)
        return rc;
    sub->has_cold_entry = el_cold.ordinal != NO_ORDINAL;
    sub->has_face_wipe = el_wipe.ordinal != NO_ORDINAL;
    sub->has_exercise = el_ex.ordinal != NO_ORDINAL;
    sub->has_hot_drink = el_cup.ordinal != NO_ORDINAL;
    sub->has_dwell = el_dwell.ordinal != NO_ORDINAL;
    if (!sub->has_cold_entry && el_cold_ago.ordinal != NO_ORDINAL)
        return fail(r->c, &el_cold_ago, 1, FB_ERR_INVALID,
                    "cold_entry_ago_s without cold_entry_c (expected the outdoor temperature "
                    "too)");
    return 0;
}

static int parse_subject(rd *r, void *arg)
{
    subject_arg *a = arg;
    fb_scenario *s = a->s;
    fb_subject_spec *sub = &s->subjects[a->index];
    static const range r_enter = CLOSED(0, 86400), r_speed = LEFT_OPEN(0, 5), r_lat = CLOSED(-5, 5),
                       r_h = CLOSED(1.0, 2.3), r_core = CLOSED(34, 43), r_off = CLOSED(-1, 4);
    subject_defaults(sub, &s->population, a->index);
    path_el el_enter, el_sd, el_xd, el_core, el_feb, el_off;
    int rc = rd_str(r, "id", STR_ID, false, sub->id, sizeof sub->id);
    if (!rc)
        rc = rd_num(r, "enter_s", &r_enter, true, &sub->enter_s, &el_enter);
    if (rc)
        return rc;
    if (sub->enter_s >= s->duration_s)
        return fail(r->c, &el_enter, 0, FB_ERR_INVALID, "must be < duration_s (%.10g), got %.10g",
                    s->duration_s, sub->enter_s);
    rc = rd_num(r, "start_distance_m", &r_distance, false, &sub->start_distance_m, &el_sd);
    if (!rc)
        rc = rd_num(r, "exit_distance_m", &r_distance, false, &sub->exit_distance_m, &el_xd);
    if (rc)
        return rc;
    if (sub->start_distance_m <= sub->exit_distance_m)
        return fail(r->c, el_xd.ordinal != NO_ORDINAL ? &el_xd : &el_sd, 0, FB_ERR_INVALID,
                    "start_distance_m (%.10g) must be > exit_distance_m (%.10g)",
                    sub->start_distance_m, sub->exit_distance_m);
    rc = rd_num(r, "speed_mps", &r_speed, false, &sub->speed_mps, NULL);
    if (!rc)
        rc = rd_num(r, "lateral_m", &r_lat, false, &sub->lateral_m, NULL);
    if (!rc)
        rc = rd_num(r, "height_m", &r_h, false, &sub->height_m, NULL);
    if (!rc)
        rc = rd_num(r, "core_c", &r_core, false, &sub->core_c, &el_core);
    if (!rc)
        rc = rd_bool(r, "febrile", &sub->febrile_draw, &el_feb);
    if (!rc)
        rc = rd_num(r, "canthus_offset_c", &r_off, false, &sub->canthus_offset_c, &el_off);
    if (rc)
        return rc;
    sub->has_core = el_core.ordinal != NO_ORDINAL;
    sub->has_canthus_offset = el_off.ordinal != NO_ORDINAL;
    if (sub->has_core && el_feb.ordinal != NO_ORDINAL)
        return fail(r->c, &el_feb, 1, FB_ERR_INVALID,
                    "febrile and core_c both given (expected one: core_c fixes the core "
                    "temperature, febrile draws it from physiology)");
    return parse_subject_people(r, s, sub);
}

typedef struct id_ref {
    const char *id;
    size_t index;
} id_ref;

static int cmp_id_ref(const void *pa, const void *pb)
{
    const id_ref *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int parse_subjects(rd *r, fb_scenario *s)
{
    path_el el;
    const cJSON *n;
    size_t count = 0;
    int rc0 = object_array(r, "subjects", "subject", MAX_SUBJECTS,
                           "; use \"population\" for crowds", &n, &el, &count);
    if (rc0 || !n)
        return rc0;
    s->subjects = cJSON_malloc(count * sizeof *s->subjects);
    if (!s->subjects)
        return fail(r->c, &el, 0, FB_ERR_NOMEM, "out of memory for %zu subjects", count);
    memset(s->subjects, 0, count * sizeof *s->subjects);
    s->n_subjects = count;
    int rc = push(r->c, &el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        subject_arg a = {s, i};
        rc = object_at(r->c, &ei, e, subject_keys, parse_subject, &a);
    }
    if (rc) {
        pop(r->c);
        return rc;
    }
    /* Unique ids: sort (id, index) pairs; report the repeat that comes first in the file. */
    id_ref *refs = cJSON_malloc(count * sizeof *refs);
    if (!refs) {
        pop(r->c);
        return fail(r->c, &el, 0, FB_ERR_NOMEM, "out of memory");
    }
    for (i = 0; i < count; i++)
        refs[i] = (id_ref){s->subjects[i].id, i};
    qsort(refs, count, sizeof *refs, cmp_id_ref);
    size_t dup = SIZE_MAX, orig = 0;
    for (i = 1; i < count; i++)
        if (strcmp(refs[i].id, refs[i - 1].id) == 0 && refs[i].index < dup) {
            size_t k = i;
            while (k > 0 && strcmp(refs[k - 1].id, refs[i].id) == 0)
                k--;
            dup = refs[i].index;
            orig = refs[k].index;
        }
    cJSON_free(refs);
    if (dup != SIZE_MAX) {
        const cJSON *e = n->child;
        for (i = 0; i < dup; i++)
            e = e->next;
        path_el ei = {NULL, dup, dup}, eid = {"id", 0, NO_ORDINAL};
        size_t ord = 0;
        for (const cJSON *ch = e->child; ch; ch = ch->next, ord++)
            if (ch->string && strcmp(ch->string, "id") == 0) {
                eid.ordinal = ord;
                break;
            }
        rc = push(r->c, &ei);
        if (!rc) {
            char shown[80];
            sanitize(s->subjects[dup].id, shown, sizeof shown);
            rc = fail(r->c, &eid, 0, FB_ERR_INVALID,
                      "duplicate subject id \"%s\" (%ssubjects[%zu] has it too; expected unique "
                      "ids)",
                      shown, eid.ordinal == NO_ORDINAL ? "this subject's default id; " : "", orig);
            pop(r->c);
        }
    }
    pop(r->c);
    return rc;
}

static int parse_screening(rd *r, void *arg)
{
    fb_screening_spec *sc = arg;
    static const range r_wd = LEFT_OPEN(0, 50), r_px = CLOSED(1, 4096), r_vis = LEFT_OPEN(0, 1),
                       r_fever = CLOSED(35, 42);
    static const range *const r_pair[] = {&r_wd, &r_wd};
    path_el el;
    const cJSON *n = member(r, "working_distance_m", &el);
    if (n) {
        double v[2];
        int rc = vec_value(r->c, &el, n, 2, r_pair, "[near, far]", v);
        if (rc)
            return rc;
        if (v[0] >= v[1])
            return fail(r->c, &el, 0, FB_ERR_INVALID,
                        "near %.10g is not below far %.10g (expected [near, far] with near < far)",
                        v[0], v[1]);
        sc->min_distance_m = v[0];
        sc->max_distance_m = v[1];
    }
    int rc = rd_num(r, "min_face_px", &r_px, false, &sc->min_face_px, NULL);
    if (!rc)
        rc = rd_num(r, "min_face_visible", &r_vis, false, &sc->min_face_visible, NULL);
    if (!rc)
        rc = rd_num(r, "fever_threshold_c", &r_fever, false, &sc->fever_threshold_c, NULL);
    static const range r_yaw = LEFT_OPEN(0, 90), r_stop = LEFT_OPEN(0, 50),
                       r_dwell = LEFT_OPEN(0, 600);
    if (!rc)
        rc = rd_num(r, "max_yaw_deg", &r_yaw, false, &sc->max_yaw_deg, NULL);
    if (!rc)
        rc = rd_num(r, "stop_distance_m", &r_stop, false, &sc->stop_distance_m, NULL);
    if (!rc)
        rc = rd_num(r, "dwell_s", &r_dwell, false, &sc->dwell_s, NULL);
    return rc;
}

/* ---- distractors: static objects in the room (issue 3B) ---- */

static const char *const distractor_shapes[] = {"rect", "ellipse", NULL};

static int parse_distractor(rd *r, void *arg)
{
    fb_distractor *d = arg;
    static const range r_x = CLOSED(-20, 20), r_y = LEFT_OPEN(0.3, 50), r_z = CLOSED(0, 10),
                       r_size = LEFT_OPEN(0, 20), r_temp = CLOSED(-50, 400),
                       r_emis = LEFT_OPEN(0, 1);
    static const range *const r_pos[] = {&r_x, &r_y, &r_z};
    static const range *const r_wh[] = {&r_size, &r_size};
    path_el el, el_temp, el_refl;
    d->emissivity = 0.95;
    int rc = rd_str(r, "id", STR_ID, false, d->id, sizeof d->id);
    if (rc)
        return rc;
    const cJSON *n = member(r, "shape", &el);
    if (n) {
        size_t k;
        rc = enum_value(r->c, &el, n, distractor_shapes, "shape", false, &k);
        if (rc)
            return rc;
        d->ellipse = k == 1;
    }
    double v[3];
    n = member(r, "position_m", &el);
    if (!n)
        return missing(r, "position_m", "[x, y, z] in metres");
    rc = vec_value(r->c, &el, n, 3, r_pos, "[x, y, z]", v);
    if (rc)
        return rc;
    d->x_m = v[0];
    d->y_m = v[1];
    d->z_m = v[2];
    n = member(r, "size_m", &el);
    if (!n)
        return missing(r, "size_m", "[width, height] in metres");
    rc = vec_value(r->c, &el, n, 2, r_wh, "[width, height]", v);
    if (rc)
        return rc;
    d->w_m = v[0];
    d->h_m = v[1];
    rc = rd_num(r, "temp_c", &r_temp, false, &d->temp_c, &el_temp);
    if (!rc)
        rc = rd_num(r, "emissivity", &r_emis, false, &d->emissivity, NULL);
    if (!rc)
        rc = rd_num(r, "reflected_c", &r_temp, false, &d->reflected_c, &el_refl);
    d->has_temp = el_temp.ordinal != NO_ORDINAL;
    d->has_reflected = el_refl.ordinal != NO_ORDINAL;
    return rc;
}

static void *distractor_elem(void *list_arg, size_t i)
{
    fb_distractor *d = &((fb_scenario *)list_arg)->distractors[i];
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "d%zu", i);
    return d;
}

static int parse_distractors(rd *r, fb_scenario *s)
{
    return object_list(r, "distractors", "distractor", FB_MAX_DISTRACTORS, distractor_keys,
                       parse_distractor, distractor_elem, s, &s->n_distractors);
}

static int parse_dut(rd *r, void *arg)
{
    fb_dut_spec *d = arg;
    static const range r_alarm = CLOSED(30, 45), r_off = CLOSED(-5, 5),
                       r_timeout = LEFT_OPEN(0, 3600);
    int rc = rd_str(r, "spec", STR_SPEC, false, d->spec, sizeof d->spec);
    if (!rc)
        rc = rd_num(r, "alarm_threshold_c", &r_alarm, false, &d->alarm_threshold_c, NULL);
    if (!rc)
        rc = rd_num(r, "body_offset_c", &r_off, false, &d->body_offset_c, NULL);
    if (!rc)
        rc = rd_num(r, "frame_timeout_s", &r_timeout, false, &d->frame_timeout_s, NULL);
    if (!rc)
        rc = rd_num(r, "handshake_timeout_s", &r_timeout, false, &d->handshake_timeout_s, NULL);
    if (rc)
        return rc;
    /* "pacing": one of the names below, index = fb_pacing (sim/link.h). */
    static const char *const pacings[] = {"lockstep", "realtime", NULL};
    path_el el;
    const cJSON *n = member(r, "pacing", &el);
    if (!n)
        return 0;
    if (!cJSON_IsString(n))
        return fail(r->c, &el, 0, FB_ERR_INVALID, "expected \"lockstep\" or \"realtime\", got %s",
                    type_name(n));
    size_t k = key_index(pacings, n->valuestring);
    if (k == SIZE_MAX) {
        char v[32];
        sanitize(n->valuestring, v, sizeof v);
        return fail(r->c, &el, 0, FB_ERR_INVALID,
                    "unknown pacing \"%s\" (expected \"lockstep\" or \"realtime\")", v);
    }
    d->pacing = (int)k;
    return 0;
}

/* Limits by kind: shares (unitless "_min") in [0, 1]; counts (unitless "_max") are integers
 * >= 0; the rest (seconds, °C, per minute) >= 0. */
static int parse_criteria(rd *r, void *arg)
{
    fb_scenario *s = arg;
    static const range r_share = CLOSED(0, 1), r_pos = AT_LEAST(0);
    for (int id = 0; id < FB_CRIT_COUNT; id++) {
        const fb_criterion_desc *d = fb_criterion_get((fb_criterion_id)id);
        path_el el;
        const cJSON *n = member(r, d->key, &el);
        if (!n)
            continue;
        double v;
        int rc;
        if (!d->unit[0] && !d->is_min) {
            uint64_t u;
            rc = uint_value(r->c, &el, n, 0, 1e9, &u);
            v = (double)u;
        } else {
            rc = num_value(r->c, &el, n, !d->unit[0] ? &r_share : &r_pos, &v);
        }
        if (rc)
            return rc;
        s->criteria[id].set = true;
        s->criteria[id].limit = v;
    }
    return 0;
}

/* "frontend": a name from the front-end registry (sim/frontend_variant.h). */
static int parse_frontend(rd *r, fb_scenario *s)
{
    path_el el;
    const cJSON *n = member(r, "frontend", &el);
    if (!n)
        return 0;
    char names[64] = "";
    for (size_t i = 0; fb_fe_variants[i]; i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, fb_fe_variants[i]->name, sizeof names - strlen(names) - 1);
    }
    if (!cJSON_IsString(n))
        return fail(r->c, &el, 0, FB_ERR_INVALID, "expected a front-end name (one of: %s), got %s",
                    names, type_name(n));
    if (!fb_fe_variant_find(n->valuestring)) {
        char v[32];
        sanitize(n->valuestring, v, sizeof v);
        return fail(r->c, &el, 0, FB_ERR_INVALID,
                    "unknown front-end \"%s\" (expected one of: %s; \"rtl\" needs a build with "
                    "FB_RTL)",
                    v, names);
    }
    snprintf(s->frontend, sizeof s->frontend, "%s", n->valuestring);
    return 0;
}

/* "room": a preset (its dimensions and temperatures, models/room.h) and overrides of them. */
static int parse_room(rd *r, void *arg)
{
    fb_room_params *room = arg;
    static const char *const presets[] = {"plain", "lobby", "corridor", NULL};
    path_el el;
    const cJSON *n = member(r, "preset", &el);
    size_t which = 0;
    if (n) {
        int rc = enum_value(r->c, &el, n, presets, "room preset", true, &which);
        if (rc)
            return rc;
    }
    fb_room_defaults((fb_room_preset)which, room);
    static const range r_w = CLOSED(1.5, 30), r_d = CLOSED(3, 60), r_h = CLOSED(2, 10),
                       r_eps = LEFT_OPEN(0.5, 1), r_out = CLOSED(-40, 45), r_rad = CLOSED(20, 90),
                       r_light = CLOSED(15, 80);
    const struct {
        const char *key;
        const range *rg;
        double *dst;
    } k[] = {{"width_m", &r_w, &room->width_m},
             {"depth_m", &r_d, &room->depth_m},
             {"height_m", &r_h, &room->height_m},
             {"floor_emissivity", &r_eps, &room->floor_emissivity},
             {"outdoor_c", &r_out, &room->outdoor_c},
             {"radiator_c", &r_rad, &room->radiator_c},
             {"lights_c", &r_light, &room->lights_c}};
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = rd_num(r, k[i].key, k[i].rg, false, k[i].dst, NULL);
    return rc;
}

/* A room must hold the scene: everyone starts in front of its back wall. */
static int check_room_depth(rd *r, const fb_scenario *s)
{
    if (s->room.preset == FB_ROOM_PLAIN)
        return 0;
    double far = s->population.enabled ? s->population.start_distance_m : 0.0;
    for (size_t i = 0; i < s->n_subjects; i++)
        far = s->subjects[i].start_distance_m > far ? s->subjects[i].start_distance_m : far;
    if (s->blackbody.enabled && s->blackbody.y_m > far)
        far = s->blackbody.y_m;
    if (s->room.depth_m > far + 0.5)
        return 0;
    path_el el;
    member(r, "room", &el);
    return fail(r->c, &el, 0, FB_ERR_INVALID,
                "room.depth_m %.10g m does not hold the scene: people start (or the blackbody "
                "stands) %.10g m away (expected a back wall at least 0.5 m beyond)",
                s->room.depth_m, far);
}

/* "people": how people are drawn, "template" or "3d" (docs/people.md). */
static int parse_people(rd *r, fb_scenario *s)
{
    path_el el;
    const cJSON *n = member(r, "people", &el);
    if (!n)
        return 0;
    if (!cJSON_IsString(n))
        return fail(r->c, &el, 0, FB_ERR_INVALID,
                    "expected how people are drawn (one of: template, 3d), got %s", type_name(n));
    if (strcmp(n->valuestring, "3d") && strcmp(n->valuestring, "template")) {
        char v[32];
        sanitize(n->valuestring, v, sizeof v);
        return fail(r->c, &el, 0, FB_ERR_INVALID,
                    "unknown people model \"%s\" (expected one of: template, 3d)", v);
    }
    s->people_3d = strcmp(n->valuestring, "3d") == 0;
    return 0;
}

static int parse_root(rd *r, void *arg)
{
    scen_arg *a = arg;
    fb_scenario *s = a->s;
    static const range r_duration = LEFT_OPEN(0, 86400);
    int rc = rd_str(r, "name", STR_NAME, true, s->name, sizeof s->name);
    if (!rc)
        rc = rd_str(r, "description", STR_TEXT, false, s->description, sizeof s->description);
    if (rc)
        return rc;
    path_el el;
    const cJSON *n = member(r, "seed", &el);
    if (n && (rc = uint_value(r->c, &el, n, 0, 9007199254740992.0, &s->seed)) != 0)
        return rc;
    rc = rd_num(r, "duration_s", &r_duration, true, &s->duration_s, NULL);
    if (rc)
        return rc;
    n = member(r, "camera", &el);
    if (!n)
        return missing(r, "camera",
                       "a camera profile name such as \"turret-256\", or a profile "
                       "object");
    if (cJSON_IsString(n)) {
        rc = resolve_camera(r->c, &el, n, &s->camera, &a->camera_doc);
    } else if (cJSON_IsObject(n)) {
        camera_arg ca = {&s->camera, true, NULL};
        rc = object_at(r->c, &el, n, camera_keys, parse_camera, &ca);
        a->camera_node = n;
    } else {
        rc = fail(r->c, &el, 0, FB_ERR_INVALID,
                  "expected a camera profile name (string) or a profile object, got %s",
                  type_name(n));
    }
    if (!rc) {
        static const range r_on = CLOSED(0, 1e7);
        rc = rd_num(r, "camera_power_on_s", &r_on, false, &s->camera_power_on_s, NULL);
    }
    if (!rc)
        rc = parse_frontend(r, s);
    if (!rc)
        rc = parse_people(r, s);
    if (!rc)
        rc = rd_obj(r, "mount", mount_keys, parse_mount, s, NULL);
    if (!rc)
        rc = rd_obj(r, "environment", environment_keys, parse_environment, s, NULL);
    if (!rc)
        rc = rd_obj(r, "blackbody", blackbody_keys, parse_blackbody, s, NULL);
    if (!rc)
        rc = rd_obj(r, "physiology", physiology_keys, parse_physiology, &s->physiology, NULL);
    if (!rc)
        rc = rd_obj(r, "population", population_keys, parse_population, s, NULL);
    if (!rc)
        rc = parse_subjects(r, s);
    if (!rc)
        rc = rd_obj(r, "screening", screening_keys, parse_screening, &s->screening, NULL);
    if (!rc)
        rc = parse_distractors(r, s);
    if (!rc)
        rc = rd_obj(r, "dut", dut_keys, parse_dut, &s->dut, NULL);
    if (!rc)
        rc = rd_obj(r, "criteria", criteria_keys, parse_criteria, s, NULL);
    if (!rc && s->n_subjects == 0 && !s->population.enabled)
        rc = missing(r, "subjects", "at least one person: \"subjects\" or \"population\"");
    if (!rc)
        rc = rd_obj(r, "room", room_keys, parse_room, &s->room, NULL);
    if (!rc)
        rc = check_room_depth(r, s);
    return rc;
}

/* ---- entry points ---- */


int fb_scenario_load_text(const char *text, size_t len, const char *display_name,
                          const char *base_dir, fb_scenario *out, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    if (!out)
        return FB_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!text && len) {
        if (err && err_len)
            snprintf(err, err_len, "fb_scenario_load_text: text is NULL");
        return FB_ERR_ARG;
    }
    if (!display_name)
        display_name = "(text)";
    ctx c = {.text = text ? text : "",
             .len = len,
             .file = display_name,
             .base_dir = base_dir,
             .err = err,
             .err_len = err_len};
    cJSON *root = NULL;
    scen_arg a = {out, NULL, NULL};
    int rc = parse_text(&c, &root);
    if (rc)
        goto fail;
    scenario_defaults(out);
    rc = object_at(&c, NULL, root, root_keys, parse_root, &a);
    if (rc)
        goto fail;
    uint64_t h = FB_HASH_INIT;
    rc = hash_doc(&h, root);
    if (!rc)
        rc = hash_doc(&h, a.camera_doc ? a.camera_doc : a.camera_node);
    if (rc) {
        if (err && err_len)
            snprintf(err, err_len, "%s: out of memory", display_name);
        goto fail;
    }
    out->hash = h;
    snprintf(out->source, sizeof out->source, "%s", display_name);
    cJSON_Delete(a.camera_doc);
    cJSON_Delete(root);
    return 0;

fail:
    cJSON_Delete(a.camera_doc);
    cJSON_Delete(root);
    fb_scenario_free(out);
    memset(out, 0, sizeof *out);
    return rc;
}

int fb_scenario_load(const char *path, fb_scenario *out, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    if (!out)
        return FB_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (!path)
        return FB_ERR_ARG;
    char *text;
    size_t len;
    int err_no;
    int rc = read_file(path, &text, &len, &err_no);
    if (rc)
        return io_message(err, err_len, path, err_no, rc);
    /* Camera profiles are looked up beside the scenario: <dir of path>/cameras/. */
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    rc = fb_scenario_load_text(text, len, path, dir, out, err, err_len);
    cJSON_free(text);
    return rc;
}

void fb_scenario_free(fb_scenario *s)
{
    if (!s)
        return;
    cJSON_free(s->subjects);
    s->subjects = NULL;
    s->n_subjects = 0;
}
