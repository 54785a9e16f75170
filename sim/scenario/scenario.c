/* scenario.c — loads a scenario and its camera profile from JSON into fb_scenario: what is
 * particular to the format (defaults, cross-field rules, distributions, camera profiles,
 * subjects and other arrays). Key lists, types, ranges and required keys come from the key table
 * (scenario_keys.c), the generic reading and located errors from scenario_read.c. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "../models/fb_error.h"
#include "embedded.h"
#include "frontend/frontend_variant.h"
#include "util/hash.h"
#include "json_pos.h"
#include "scenario.h"
#include "scenario_keys.h"
#include "scenario_read.h"

/* Allocation goes through cJSON's hooks (cJSON_malloc/cJSON_free), so one fault injector set
 * with cJSON_InitHooks covers the parser and this loader alike. */

/* ---- the accepted keys: sim/scenario/scenario_keys.c (docs/scenario.md is generated from it) ---- */

bool fb_scenario_key(size_t i, char *buf, size_t len)
{
    if (i >= fb_key_count)
        return false;
    if (buf && len)
        snprintf(buf, len, "%s", fb_key_defs[i].path);
    return true;
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
    s->people_3d = true; /* 3D bodies; "people": "template" for the flat 2D template */
    s->rh_percent = 40.0;                               /* inside FDA's 10-50 % (docs/sources.md) */
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
        .outdoor_c = -5.0, /* a winter day (issue 3: e.g. outdoor -5 °C) */
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

/* ---- distributions ---- */

/* Where a distribution's values go; its keys (mean, sd and which of min and max) and their
 * ranges come from the table. */
typedef struct dist_arg {
    double *mean, *sd, *min, *max;
    bool minmax_from_sd; /* absent min/max: mean -/+ DIST_DEFAULT_SDS sd, clamped */
} dist_arg;

static int parse_dist(rd *r, void *arg)
{
    dist_arg *d = arg;
    double *min = sr_key_index(r->keys, "min") != SIZE_MAX ? d->min : NULL;
    double *max = sr_key_index(r->keys, "max") != SIZE_MAX ? d->max : NULL;
    path_el el_mean, el_sd, el_min = {0}, el_max = {0};
    int rc = sr_rd_num_in(r, "mean", NULL, true, d->mean, &el_mean);
    if (!rc)
        rc = sr_rd_num_in(r, "sd", NULL, true, d->sd, &el_sd);
    if (!rc && min)
        rc = sr_rd_num(r, "min", min, &el_min);
    if (!rc && max)
        rc = sr_rd_num(r, "max", max, &el_max);
    if (rc)
        return rc;
    const range *mean_rg = &sr_key_def(r, "mean")->range;
    if (d->minmax_from_sd) {
        if (min && el_min.ordinal == NO_ORDINAL)
            *min = fmax(*d->mean - DIST_DEFAULT_SDS * *d->sd, mean_rg->lo);
        if (max && el_max.ordinal == NO_ORDINAL)
            *max = fmin(*d->mean + DIST_DEFAULT_SDS * *d->sd, mean_rg->hi);
    }
    if (min && max && *min > *max)
        return sr_fail(r->c, el_min.ordinal != NO_ORDINAL ? &el_min : &el_max, 0, FB_ERR_INVALID,
                       "min %.10g is above max %.10g (expected min <= max)", *min, *max);
    if (min && max && *d->sd > 0 && *min == *max)
        return sr_fail(r->c, &el_max, 0, FB_ERR_INVALID,
                       "min and max are both %.10g (expected max > min when sd > 0)", *max);
    if (min && max && (*d->mean < *min || *d->mean > *max))
        return sr_fail(r->c, &el_mean, 0, FB_ERR_INVALID,
                       "must be within [min, max] = [%.10g, %.10g], got %.10g", *min, *max,
                       *d->mean);
    if (min && *d->mean < *min)
        return sr_fail(r->c, &el_mean, 0, FB_ERR_INVALID, "must be >= min (%.10g), got %.10g", *min,
                       *d->mean);
    if (max && *d->mean > *max)
        return sr_fail(r->c, &el_mean, 0, FB_ERR_INVALID, "must be <= max (%.10g), got %.10g", *max,
                       *d->mean);
    return 0;
}

/* The distribution under key into dst (its min and max when the table has them). */
static int rd_dist(rd *r, const char *key, fb_dist *dst, bool minmax_from_sd)
{
    dist_arg a = {&dst->mean, &dst->sd, &dst->min, &dst->max, minmax_from_sd};
    return sr_rd_obj(r, key, parse_dist, &a, NULL);
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
    cam->pixel_pitch_um = 12.0; /* docs/sources.md: Lepton 3.5, and 7 mm lens of the Dahua */
    cam->f_number = 1.1;        /* docs/sources.md: Dahua 7 mm F1.1, Lepton f/1.1 */
    cam->lens_blur_um = 3.0;    /* optics MTF ~0.35 at Nyquist for 12 um, f/1.1 (assumed) */
    cam->fpa_rise_k = 10.0;
    cam->fpa_tau_s = 1200.0;
    cam->responsivity_tc_per_k = -0.002;
    cam->fpa_offset_k_per_k = 0.1;
    cam->ffc_offset_k_per_k = 0.15;
    cam->ffc_period_s = 300.0; /* docs/sources.md: Lepton FFC every 5 min */
    cam->ffc_delta_k = 3.0;    /* docs/sources.md: or on a 3 K change of camera temperature */
    cam->ffc_frames = 4;       /* docs/sources.md: shutter closed ~4 frames */
    cam->fpn_growth_mk_per_min = 5.0;
    cam->dead_pixel_share = 0.0005;
    cam->noisy_pixel_share = 0.0002;
    cam->thermal_tau_ms = 10.0;      /* docs/sources.md: microbolometers 7-12 ms */
    cam->corner_illumination = 0.92; /* our assumption for a fast LWIR lens (cos^4 gives ~0.87 at
                                      * the turret's corner; designs do better) */
}

/* The optional sensor and optics keys (camera_model_defaults for those left out). */
static int parse_camera_model(rd *r, fb_camera_profile *cam)
{
    const struct {
        const char *key;
        double *dst;
    } k[] = {
        {"pixel_pitch_um", &cam->pixel_pitch_um},
        {"f_number", &cam->f_number},
        {"lens_blur_um", &cam->lens_blur_um},
        {"fpa_rise_k", &cam->fpa_rise_k},
        {"fpa_tau_s", &cam->fpa_tau_s},
        {"responsivity_tc_per_k", &cam->responsivity_tc_per_k},
        {"fpa_offset_k_per_k", &cam->fpa_offset_k_per_k},
        {"ffc_offset_k_per_k", &cam->ffc_offset_k_per_k},
        {"ffc_period_s", &cam->ffc_period_s},
        {"ffc_delta_k", &cam->ffc_delta_k},
        {"fpn_growth_mk_per_min", &cam->fpn_growth_mk_per_min},
        {"dead_pixel_share", &cam->dead_pixel_share},
        {"noisy_pixel_share", &cam->noisy_pixel_share},
        {"thermal_tau_ms", &cam->thermal_tau_ms},
        {"corner_illumination", &cam->corner_illumination},
    };
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = sr_rd_num(r, k[i].key, k[i].dst, NULL);
    return rc ? rc : sr_rd_int(r, "ffc_frames", &cam->ffc_frames);
}

static int parse_camera(rd *r, void *arg)
{
    camera_arg *a = arg;
    fb_camera_profile *cam = a->cam;
    path_el el_name;
    const cJSON *n = sr_member(r, "name", &el_name);
    int rc;
    if (n) {
        rc = sr_str_value(r->c, &el_name, n, FB_KEY_NAME, cam->name, sizeof cam->name);
        if (rc)
            return rc;
    } else if (a->is_inline) {
        snprintf(cam->name, sizeof cam->name, "%s", "inline");
    } else {
        return sr_missing(r, "name", "a name of a-z, 0-9 and '-'");
    }
    if (a->expected_name && strcmp(cam->name, a->expected_name) != 0)
        return sr_fail(r->c, &el_name, 0, FB_ERR_INVALID,
                       "profile name \"%s\" differs from its file name (expected \"%s\")",
                       cam->name, a->expected_name);
    rc = sr_rd_str(r, "description", cam->description, sizeof cam->description);
    if (!rc)
        rc = sr_rd_int(r, "width", &cam->width);
    if (!rc)
        rc = sr_rd_int(r, "height", &cam->height);
    const struct {
        const char *key;
        double *dst;
    } k[] = {{"hfov_deg", &cam->hfov_deg},       {"fps", &cam->fps},
             {"netd_mk", &cam->netd_mk},         {"counts_per_k", &cam->counts_per_k},
             {"reference_c", &cam->reference_c}, {"fpn_sd_mk", &cam->fpn_sd_mk},
             {"drift_sd_c", &cam->drift_sd_c},   {"drift_tau_s", &cam->drift_tau_s}};
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = sr_rd_num(r, k[i].key, k[i].dst, NULL);
    camera_model_defaults(cam);
    if (!rc)
        rc = parse_camera_model(r, cam);
    return rc;
}

/* Parses and checks a camera profile document (and sets its doc_hash); *doc_out (may be NULL)
 * receives the tree. */
static int load_camera_text(const char *text, size_t len, const char *file,
                            const char *expected_name, fb_camera_profile *cam, cJSON **doc_out,
                            char *err, size_t err_len)
{
    ctx c = {
        .text = text, .len = len, .file = file, .root = "camera.", .err = err, .err_len = err_len};
    cJSON *doc = NULL;
    int rc = sr_parse_text(&c, &doc);
    if (!rc) {
        camera_arg a = {cam, false, expected_name};
        rc = sr_object_at(&c, NULL, doc, parse_camera, &a);
    }
    if (!rc) {
        cam->doc_hash = FB_HASH_INIT;
        if (sr_hash_doc(&cam->doc_hash, doc))
            rc = sr_fail(&c, NULL, 0, FB_ERR_NOMEM, "out of memory");
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
    int rc = sr_read_file(path, &text, &len, &err_no);
    if (rc)
        return sr_io_message(err, err_len, path, err_no, rc);
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
    int rc = sr_str_value(c, el, n, FB_KEY_NAME, name, sizeof name);
    if (rc)
        return rc;
    char file[1024] = "", tried[1100] = "";
    char *text = NULL;
    size_t len = 0;
    if (c->base_dir) {
        int w = snprintf(file, sizeof file, "%s/cameras/%s.json", c->base_dir, name);
        if (w < 0 || (size_t)w >= sizeof file)
            return sr_fail(c, el, 0, FB_ERR_IO,
                           "camera profile path too long (expected at most %zu bytes)",
                           sizeof file - 1);
        int err_no;
        rc = sr_read_file(file, &text, &len, &err_no);
        if (rc == FB_ERR_NOMEM)
            return sr_fail(c, el, 0, rc, "out of memory");
        if (rc && err_no != ENOENT) {
            if (err_no == EFBIG)
                return sr_fail(
                    c, el, 0, FB_ERR_IO,
                    "cannot read camera profile %s: file too large (expected at most %zu bytes)",
                    file, MAX_FILE_BYTES);
            return sr_fail(c, el, 0, FB_ERR_IO, "cannot read camera profile %s: %s", file,
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
        return sr_fail(c, el, 0, FB_ERR_IO,
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
    int rc = sr_rd_num(r, "height_m", &s->camera_height_m, NULL);
    return rc ? rc : sr_rd_num(r, "tilt_deg", &s->camera_tilt_deg, NULL);
}

/* The keys of one ambient model: those whose table entry says "when": "model=NAME". */
static int parse_ambient(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_ambient_params *a = &s->ambient;
    size_t kind = FB_AMBIENT_CONSTANT;
    char model[32];
    int rc = sr_rd_enum(r, "model", &kind, NULL);
    if (!rc)
        rc = sr_rd_num(r, "base_c", &a->base_c, NULL);
    if (rc)
        return rc;
    a->kind = (fb_ambient_kind)kind;
    sr_nth_value(sr_key_def(r, "model")->values, kind, model, sizeof model);
    struct {
        const char *key;
        double *dst;
        path_el el;
    } p[] = {{"rate_c_per_h", &a->rate_c_per_h, {0}},
             {"amplitude_c", &a->amplitude_c, {0}},
             {"period_s", &a->period_s, {0}},
             {"sd_c", &a->sd_c, {0}},
             {"tau_s", &a->tau_s, {0}}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        const fb_key_def *d = sr_key_def(r, p[i].key);
        if (!d || !d->when || strncmp(d->when, "model=", 6) != 0)
            return sr_table_bug(r, p[i].key);
        const char *needs = d->when + 6;
        const cJSON *v = sr_member(r, p[i].key, &p[i].el);
        if (v && strcmp(needs, model) != 0)
            return sr_fail(r->c, &p[i].el, 1, FB_ERR_INVALID,
                           "%s is only valid with model %s (model is %s)", p[i].key, needs, model);
        if (!v && strcmp(needs, model) == 0) {
            char rt[80], ex[140];
            range_text(&d->range, rt, sizeof rt);
            snprintf(ex, sizeof ex, "a number %s with model %s", rt, model);
            return sr_missing(r, p[i].key, ex);
        }
        if (v && (rc = sr_num_value(r->c, &p[i].el, v, &d->range, p[i].dst)) != 0)
            return rc;
    }
    /* The air must stay within base_c's range over the run. */
    const range *r_base = &sr_key_def(r, "base_c")->range;
    char rt[80];
    range_text(r_base, rt, sizeof rt);
    if (kind == FB_AMBIENT_RAMP) {
        double end_c = a->base_c + a->rate_c_per_h * s->duration_s / 3600.0;
        if (!in_range(r_base, end_c))
            return sr_fail(
                r->c, &p[0].el, 0, FB_ERR_INVALID,
                "ramps the air to %.3g °C by the end of the run (expected it to stay %s)", end_c,
                rt);
    } else if (kind == FB_AMBIENT_SINE) {
        if (!in_range(r_base, a->base_c - a->amplitude_c) ||
            !in_range(r_base, a->base_c + a->amplitude_c))
            return sr_fail(r->c, &p[1].el, 0, FB_ERR_INVALID,
                           "swings the air to %.3g..%.3g °C (expected it to stay %s)",
                           a->base_c - a->amplitude_c, a->base_c + a->amplitude_c, rt);
    }
    return 0;
}

static int parse_environment(rd *r, void *arg)
{
    fb_scenario *s = arg;
    int rc = sr_rd_obj(r, "ambient", parse_ambient, s, NULL);
    return rc ? rc : sr_rd_num(r, "rh_percent", &s->rh_percent, NULL);
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
    const range r_at = {0, a->duration_s, false, true}; /* [0, duration) */
    size_t k = 0;
    int rc = sr_rd_enum(r, "mode", &k, NULL);
    if (rc)
        return rc;
    f->kind = (fb_bb_failure_kind)k;
    rc = sr_rd_num_in(r, "at_s", &r_at, true, &f->at_s, NULL);
    if (rc)
        return rc;
    path_el el_until, el_rate, el_off;
    f->until_s = INFINITY;
    const range r_until = {f->at_s, 1e9, true, false}; /* (at_s, ...] */
    rc = sr_rd_num_in(r, "until_s", &r_until, false, &f->until_s, &el_until);
    if (!rc)
        rc = sr_rd_num_in(r, "rate_c_per_min", NULL, f->kind == FB_BB_FAIL_DRIFT,
                          &f->rate_c_per_min, &el_rate);
    if (rc)
        return rc;
    char rt[80];
    range_text(&sr_key_def(r, "rate_c_per_min")->range, rt, sizeof rt);
    if (f->kind == FB_BB_FAIL_DRIFT && f->rate_c_per_min == 0.0)
        return sr_fail(r->c, &el_rate, 0, FB_ERR_INVALID,
                       "a drift needs a non-zero rate (expected a number %s other than 0)", rt);
    if (f->kind != FB_BB_FAIL_DRIFT && el_rate.ordinal != NO_ORDINAL)
        return sr_fail(r->c, &el_rate, 0, FB_ERR_INVALID,
                       "applies only to mode \"drift\" (this failure is \"%s\")",
                       fb_bb_failure_name(f->kind));
    if (f->kind == FB_BB_FAIL_MOVED) {
        rc = sr_rd_vec_required(r, "offset_m", f->offset_m, ": where the source was moved");
        if (rc)
            return rc;
        sr_member(r, "offset_m", &el_off);
        if (f->offset_m[0] == 0.0 && f->offset_m[1] == 0.0 && f->offset_m[2] == 0.0)
            return sr_fail(r->c, &el_off, 0, FB_ERR_INVALID,
                           "a move needs a non-zero offset (expected [dx, dy, dz] not all 0)");
    } else if (sr_member(r, "offset_m", &el_off)) {
        return sr_fail(r->c, &el_off, 0, FB_ERR_INVALID,
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
    int rc = sr_object_list(r, "failures", parse_bb_failure, bb_failure_elem, &a, &count);
    b->n_failures = (uint32_t)count;
    return rc;
}

static int parse_blackbody(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_blackbody_params *b = &s->blackbody;
    b->enabled = true;
    int rc = sr_rd_bool(r, "enabled", &b->enabled, NULL);
    if (!rc)
        rc = sr_rd_num(r, "set_c", &b->set_c, NULL);
    if (!rc)
        rc = sr_rd_num(r, "emissivity", &b->emissivity, NULL);
    if (rc)
        return rc;
    double v[3];
    path_el el;
    rc = b->enabled ? sr_rd_vec_required(r, "position_m", v, " when the blackbody is enabled")
                    : sr_rd_vec(r, "position_m", v, &el);
    if (rc)
        return rc;
    if (sr_member(r, "position_m", &el)) {
        b->x_m = v[0];
        b->y_m = v[1];
        b->z_m = v[2];
    }
    rc = sr_rd_num(r, "aperture_m", &b->aperture_m, NULL);
    if (!rc)
        rc = sr_rd_num(r, "instability_c", &b->instability_c, NULL);
    if (!rc)
        rc = sr_rd_num(r, "instability_tau_s", &b->instability_tau_s, NULL);
    if (!rc)
        rc = sr_rd_bool(r, "cold_start", &b->cold_start, NULL);
    if (!rc)
        rc = sr_rd_num(r, "heat_rate_c_per_min", &b->heat_rate_c_per_min, NULL);
    if (!rc)
        rc = sr_rd_num(r, "cool_tau_s", &b->cool_tau_s, NULL);
    if (!rc)
        rc = parse_bb_failures(r, b, s->duration_s);
    return rc;
}

static int parse_physiology(rd *r, void *arg)
{
    fb_physiology_params *p = arg;
    dist_arg afeb = {&p->afebrile_core_mean_c, &p->afebrile_core_sd_c, NULL,
                     &p->afebrile_core_max_c, false};
    dist_arg feb = {&p->febrile_core_mean_c, &p->febrile_core_sd_c, &p->febrile_core_min_c,
                    &p->febrile_core_max_c, false};
    dist_arg canth = {&p->canthus_offset_mean_c, &p->canthus_offset_sd_c, NULL, NULL, false};
    dist_arg fore = {&p->forehead_offset_mean_c, &p->forehead_offset_sd_c, NULL, NULL, false};
    int rc = sr_rd_obj(r, "afebrile_core_c", parse_dist, &afeb, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "febrile_core_c", parse_dist, &feb, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "canthus_offset_c", parse_dist, &canth, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "forehead_offset_c", parse_dist, &fore, NULL);
    if (!rc)
        rc = sr_rd_num(r, "canthus_lr_sd_c", &p->canthus_lr_sd_c, NULL);
    if (!rc)
        rc = sr_rd_num(r, "ambient_slope", &p->ambient_slope, NULL);
    if (!rc)
        rc = sr_rd_num(r, "ambient_ref_c", &p->ambient_ref_c, NULL);
    return rc;
}

/* A time key that must also fall before the end of the run. */
static int rd_before_end(rd *r, const char *key, double duration_s, double *dst)
{
    path_el el;
    int rc = sr_rd_num(r, key, dst, &el);
    if (!rc && el.ordinal != NO_ORDINAL && *dst >= duration_s)
        rc = sr_fail(r->c, &el, 0, FB_ERR_INVALID, "must be < duration_s (%.10g), got %.10g",
                     duration_s, *dst);
    return rc;
}

/* start_distance_m and exit_distance_m, the first beyond the second. */
static int rd_walk_span(rd *r, double *start_m, double *exit_m)
{
    path_el el_sd, el_xd;
    int rc = sr_rd_num(r, "start_distance_m", start_m, &el_sd);
    if (!rc)
        rc = sr_rd_num(r, "exit_distance_m", exit_m, &el_xd);
    if (!rc && *start_m <= *exit_m)
        rc = sr_fail(r->c, el_xd.ordinal != NO_ORDINAL ? &el_xd : &el_sd, 0, FB_ERR_INVALID,
                     "start_distance_m (%.10g) must be > exit_distance_m (%.10g)", *start_m,
                     *exit_m);
    return rc;
}

/* ---- people: bursts, confounder shares, head turns (issue 3B) ---- */

typedef struct burst_arg {
    fb_scenario *s;
    fb_burst *b;
} burst_arg;

static int parse_burst(rd *r, void *arg)
{
    burst_arg *a = arg;
    fb_burst *b = a->b;
    b->duration_s = 60.0;
    int rc = rd_before_end(r, "at_s", a->s->duration_s, &b->at_s);
    if (!rc)
        rc = sr_rd_size(r, "count", &b->count);
    return rc ? rc : sr_rd_num(r, "duration_s", &b->duration_s, NULL);
}

static void *burst_elem(void *list_arg, size_t i)
{
    burst_arg *a = list_arg;
    a->b = &a->s->population.bursts[i];
    return a;
}

static int parse_population_people(rd *r, fb_scenario *s)
{
    fb_population_spec *p = &s->population;
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
    burst_arg ba = {s, NULL};
    int rc = sr_object_list(r, "bursts", parse_burst, burst_elem, &ba, &p->n_bursts);
    for (size_t i = 0; !rc && i < sizeof shares / sizeof shares[0]; i++)
        rc = sr_rd_num(r, shares[i].key, shares[i].dst,
                       shares[i].dst == &p->mask_n95_share ? &el_n95 : NULL);
    if (rc)
        return rc;
    if (p->mask_surgical_share + p->mask_n95_share > 1.0)
        return sr_fail(r->c, el_n95.ordinal != NO_ORDINAL ? &el_n95 : NULL, 0, FB_ERR_INVALID,
                       "mask_surgical_share + mask_n95_share = %.10g (expected at most 1)",
                       p->mask_surgical_share + p->mask_n95_share);
    rc = sr_rd_num(r, "outdoor_c", &p->outdoor_c, NULL);
    return rc ? rc : rd_dist(r, "head_turn_yaw_deg", &p->head_turn_yaw_deg, true);
}

static int parse_population(rd *r, void *arg)
{
    fb_scenario *s = arg;
    fb_population_spec *p = &s->population;
    p->enabled = true;
    /* Without bursts the Poisson rate must be > 0 (with them, 0 means bursts only). */
    range r_rate = sr_key_def(r, "arrival_rate_per_min")->range;
    if (!cJSON_GetObjectItemCaseSensitive(r->obj, "bursts"))
        r_rate.lo_open = true;
    path_el el_end;
    int rc =
        sr_rd_num_in(r, "arrival_rate_per_min", &r_rate, false, &p->arrival_rate_per_min, NULL);
    if (!rc)
        rc = rd_before_end(r, "start_s", s->duration_s, &p->start_s);
    if (!rc)
        rc = sr_rd_num(r, "end_s", &p->end_s, &el_end);
    if (!rc)
        rc = sr_rd_num(r, "fever_share", &p->fever_share, NULL);
    if (rc)
        return rc;
    if (p->end_s > s->duration_s)
        return sr_fail(r->c, &el_end, 0, FB_ERR_INVALID,
                       "must be <= duration_s (%.10g) or 0 for the whole run, got %.10g",
                       s->duration_s, p->end_s);
    if (p->end_s > 0 && p->end_s <= p->start_s)
        return sr_fail(r->c, &el_end, 0, FB_ERR_INVALID,
                       "must be > start_s (%.10g) or 0 for the whole run, got %.10g", p->start_s,
                       p->end_s);
    rc = rd_dist(r, "speed_mps", &p->speed_mps, true);
    if (!rc)
        rc = rd_dist(r, "lateral_m", &p->lateral_m, true);
    if (!rc)
        rc = rd_dist(r, "height_m", &p->height_m, true);
    if (!rc)
        rc = rd_walk_span(r, &p->start_distance_m, &p->exit_distance_m);
    if (!rc)
        rc = sr_rd_size(r, "max_subjects", &p->max_subjects);
    return rc ? rc : parse_population_people(r, s);
}

typedef struct subject_arg {
    fb_scenario *s;
    size_t index;
} subject_arg;

static int parse_head_turn(rd *r, void *arg)
{
    fb_subject_spec *sub = arg;
    sub->head_turn_duration_s = 2.0;
    int rc = sr_rd_num(r, "peak_s", &sub->head_turn_peak_s, NULL);
    if (!rc)
        rc = sr_rd_num(r, "yaw_deg", &sub->head_turn_yaw_deg, NULL);
    if (!rc)
        rc = sr_rd_num(r, "duration_s", &sub->head_turn_duration_s, NULL);
    return rc;
}

/* The subject keys of people and confounders (issue 3B). */
static int parse_subject_people(rd *r, fb_subject_spec *sub)
{
    path_el el_cold_ago;
    size_t mask = FB_MASK_NONE;
    int rc = sr_rd_bool(r, "glasses", &sub->glasses, NULL);
    if (!rc)
        rc = sr_rd_bool(r, "hat", &sub->hat, NULL);
    if (!rc)
        rc = sr_rd_enum(r, "mask", &mask, NULL);
    sub->mask = (fb_mask_kind)mask;
    if (!rc)
        rc = sr_rd_opt(r, "cold_entry_c", &sub->cold_entry_c, &sub->has_cold_entry);
    if (!rc)
        rc = sr_rd_num(r, "cold_entry_ago_s", &sub->cold_entry_ago_s, &el_cold_ago);
    if (!rc)
        rc = sr_rd_opt(r, "face_wipe_ago_s", &sub->face_wipe_ago_s, &sub->has_face_wipe);
    if (!rc)
        rc = sr_rd_opt(r, "exercise_ago_s", &sub->exercise_ago_s, &sub->has_exercise);
    if (!rc)
        rc = sr_rd_opt(r, "hot_drink_c", &sub->hot_drink_c, &sub->has_hot_drink);
    if (!rc)
        rc = sr_rd_obj(r, "head_turn", parse_head_turn, sub, &sub->has_head_turn);
    if (!rc)
        rc = sr_rd_opt(r, "dwell_s", &sub->dwell_s, &sub->has_dwell);
    if (rc)
        return rc;
    if (!sub->has_cold_entry && el_cold_ago.ordinal != NO_ORDINAL)
        return sr_fail(r->c, &el_cold_ago, 1, FB_ERR_INVALID,
                       "cold_entry_ago_s without cold_entry_c (expected the outdoor temperature "
                       "too)");
    return 0;
}

static int parse_subject(rd *r, void *arg)
{
    subject_arg *a = arg;
    fb_scenario *s = a->s;
    fb_subject_spec *sub = &s->subjects[a->index];
    subject_defaults(sub, &s->population, a->index);
    path_el el_feb;
    int rc = sr_rd_str(r, "id", sub->id, sizeof sub->id);
    if (!rc)
        rc = rd_before_end(r, "enter_s", s->duration_s, &sub->enter_s);
    if (!rc)
        rc = rd_walk_span(r, &sub->start_distance_m, &sub->exit_distance_m);
    if (!rc)
        rc = sr_rd_num(r, "speed_mps", &sub->speed_mps, NULL);
    if (!rc)
        rc = sr_rd_num(r, "lateral_m", &sub->lateral_m, NULL);
    if (!rc)
        rc = sr_rd_num(r, "height_m", &sub->height_m, NULL);
    if (!rc)
        rc = sr_rd_opt(r, "core_c", &sub->core_c, &sub->has_core);
    if (!rc)
        rc = sr_rd_bool(r, "febrile", &sub->febrile_draw, &el_feb);
    if (!rc)
        rc = sr_rd_opt(r, "canthus_offset_c", &sub->canthus_offset_c, &sub->has_canthus_offset);
    if (rc)
        return rc;
    if (sub->has_core && el_feb.ordinal != NO_ORDINAL)
        return sr_fail(r->c, &el_feb, 1, FB_ERR_INVALID,
                       "febrile and core_c both given (expected one: core_c fixes the core "
                       "temperature, febrile draws it from physiology)");
    return parse_subject_people(r, sub);
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
    int rc0 = sr_object_array(r, "subjects", "; use \"population\" for crowds", &n, &el, &count);
    if (rc0 || !n)
        return rc0;
    s->subjects = cJSON_malloc(count * sizeof *s->subjects);
    if (!s->subjects)
        return sr_fail(r->c, &el, 0, FB_ERR_NOMEM, "out of memory for %zu subjects", count);
    memset(s->subjects, 0, count * sizeof *s->subjects);
    s->n_subjects = count;
    int rc = sr_push(r->c, &el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        subject_arg a = {s, i};
        rc = sr_object_at(r->c, &ei, e, parse_subject, &a);
    }
    if (rc) {
        sr_pop(r->c);
        return rc;
    }
    /* Unique ids: sort (id, index) pairs; report the repeat that comes first in the file. */
    id_ref *refs = cJSON_malloc(count * sizeof *refs);
    if (!refs) {
        sr_pop(r->c);
        return sr_fail(r->c, &el, 0, FB_ERR_NOMEM, "out of memory");
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
        rc = sr_push(r->c, &ei);
        if (!rc) {
            char shown[80];
            sr_sanitize(s->subjects[dup].id, shown, sizeof shown);
            rc = sr_fail(r->c, &eid, 0, FB_ERR_INVALID,
                         "duplicate subject id \"%s\" (%ssubjects[%zu] has it too; expected unique "
                         "ids)",
                         shown, eid.ordinal == NO_ORDINAL ? "this subject's default id; " : "",
                         orig);
            sr_pop(r->c);
        }
    }
    sr_pop(r->c);
    return rc;
}

static int parse_screening(rd *r, void *arg)
{
    fb_screening_spec *sc = arg;
    double v[2];
    path_el el;
    int rc = sr_rd_vec(r, "working_distance_m", v, &el);
    if (rc)
        return rc;
    if (el.ordinal != NO_ORDINAL) {
        if (v[0] >= v[1])
            return sr_fail(
                r->c, &el, 0, FB_ERR_INVALID,
                "near %.10g is not below far %.10g (expected [near, far] with near < far)", v[0],
                v[1]);
        sc->min_distance_m = v[0];
        sc->max_distance_m = v[1];
    }
    const struct {
        const char *key;
        double *dst;
    } k[] = {{"min_face_px", &sc->min_face_px},
             {"min_face_visible", &sc->min_face_visible},
             {"fever_threshold_c", &sc->fever_threshold_c},
             {"max_yaw_deg", &sc->max_yaw_deg},
             {"stop_distance_m", &sc->stop_distance_m},
             {"dwell_s", &sc->dwell_s}};
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = sr_rd_num(r, k[i].key, k[i].dst, NULL);
    return rc;
}

/* ---- distractors: static objects in the room (issue 3B) ---- */

static int parse_distractor(rd *r, void *arg)
{
    fb_distractor *d = arg;
    d->emissivity = 0.95;
    size_t shape = 0;
    double v[3];
    int rc = sr_rd_str(r, "id", d->id, sizeof d->id);
    if (!rc)
        rc = sr_rd_enum(r, "shape", &shape, NULL);
    if (rc)
        return rc;
    d->ellipse = shape == 1;
    rc = sr_rd_vec_required(r, "position_m", v, "");
    if (rc)
        return rc;
    d->x_m = v[0];
    d->y_m = v[1];
    d->z_m = v[2];
    rc = sr_rd_vec_required(r, "size_m", v, "");
    if (rc)
        return rc;
    d->w_m = v[0];
    d->h_m = v[1];
    rc = sr_rd_opt(r, "temp_c", &d->temp_c, &d->has_temp);
    if (!rc)
        rc = sr_rd_num(r, "emissivity", &d->emissivity, NULL);
    if (!rc)
        rc = sr_rd_opt(r, "reflected_c", &d->reflected_c, &d->has_reflected);
    return rc;
}

static void *distractor_elem(void *list_arg, size_t i)
{
    fb_distractor *d = &((fb_scenario *)list_arg)->distractors[i];
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "d%zu", i);
    return d;
}

static int parse_dut(rd *r, void *arg)
{
    fb_dut_spec *d = arg;
    size_t pacing = (size_t)d->pacing; /* index = fb_pacing (sim/link/link.h) */
    int rc = sr_rd_str(r, "spec", d->spec, sizeof d->spec);
    if (!rc)
        rc = sr_rd_num(r, "alarm_threshold_c", &d->alarm_threshold_c, NULL);
    if (!rc)
        rc = sr_rd_num(r, "body_offset_c", &d->body_offset_c, NULL);
    if (!rc)
        rc = sr_rd_num(r, "frame_timeout_s", &d->frame_timeout_s, NULL);
    if (!rc)
        rc = sr_rd_num(r, "handshake_timeout_s", &d->handshake_timeout_s, NULL);
    if (!rc)
        rc = sr_rd_enum(r, "pacing", &pacing, NULL);
    d->pacing = (int)pacing;
    return rc;
}

/* Every criterion of the registry (sim/scenario/criteria.h); its kind and range are in the table. */
static int parse_criteria(rd *r, void *arg)
{
    fb_scenario *s = arg;
    for (int id = 0; id < FB_CRIT_COUNT; id++) {
        const char *key = fb_criterion_get((fb_criterion_id)id)->key;
        const fb_key_def *d = sr_key_def(r, key);
        path_el el;
        double v = 0;
        uint64_t u = 0;
        int rc = d && d->kind == FB_KEY_INTEGER ? sr_rd_uint(r, key, &u, &el)
                                                : sr_rd_num(r, key, &v, &el);
        if (rc)
            return rc;
        if (el.ordinal == NO_ORDINAL)
            continue;
        s->criteria[id].set = true;
        s->criteria[id].limit = d->kind == FB_KEY_INTEGER ? (double)u : v;
    }
    return 0;
}

/* "frontend": a name from the front-end registry (sim/frontend/frontend_variant.h), which holds "rtl"
 * only in a build with FB_RTL. */
static int parse_frontend(rd *r, fb_scenario *s)
{
    path_el el;
    const cJSON *n = sr_member(r, "frontend", &el);
    if (!n)
        return 0;
    char names[64] = "";
    for (size_t i = 0; fb_fe_variants[i]; i++) {
        strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, fb_fe_variants[i]->name, sizeof names - strlen(names) - 1);
    }
    if (!cJSON_IsString(n))
        return sr_fail(r->c, &el, 0, FB_ERR_INVALID,
                       "expected a front-end name (one of: %s), got %s", names, sr_type_name(n));
    if (!fb_fe_variant_find(n->valuestring)) {
        char v[32];
        sr_sanitize(n->valuestring, v, sizeof v);
        return sr_fail(r->c, &el, 0, FB_ERR_INVALID,
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
    size_t which = 0;
    int rc = sr_rd_enum(r, "preset", &which, NULL);
    if (rc)
        return rc;
    fb_room_defaults((fb_room_preset)which, room);
    const struct {
        const char *key;
        double *dst;
    } k[] = {{"width_m", &room->width_m},     {"depth_m", &room->depth_m},
             {"height_m", &room->height_m},   {"floor_emissivity", &room->floor_emissivity},
             {"outdoor_c", &room->outdoor_c}, {"radiator_c", &room->radiator_c},
             {"lights_c", &room->lights_c}};
    for (size_t i = 0; !rc && i < sizeof k / sizeof k[0]; i++)
        rc = sr_rd_num(r, k[i].key, k[i].dst, NULL);
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
    sr_member(r, "room", &el);
    return sr_fail(r->c, &el, 0, FB_ERR_INVALID,
                   "room.depth_m %.10g m does not hold the scene: people start (or the blackbody "
                   "stands) %.10g m away (expected a back wall at least 0.5 m beyond)",
                   s->room.depth_m, far);
}

static int parse_root(rd *r, void *arg)
{
    scen_arg *a = arg;
    fb_scenario *s = a->s;
    size_t people = s->people_3d ? 1 : 0; /* index in the table's values: template, 3d */
    int rc = sr_rd_str(r, "name", s->name, sizeof s->name);
    if (!rc)
        rc = sr_rd_str(r, "description", s->description, sizeof s->description);
    if (!rc)
        rc = sr_rd_uint(r, "seed", &s->seed, NULL);
    if (!rc)
        rc = sr_rd_num(r, "duration_s", &s->duration_s, NULL);
    if (rc)
        return rc;
    path_el el;
    const cJSON *n = sr_member(r, "camera", &el);
    if (!n)
        return sr_missing(r, "camera",
                          "a camera profile name such as \"turret-256\", or a profile "
                          "object");
    if (cJSON_IsString(n)) {
        rc = resolve_camera(r->c, &el, n, &s->camera, &a->camera_doc);
    } else if (cJSON_IsObject(n)) {
        camera_arg ca = {&s->camera, true, NULL};
        rc = sr_object_at(r->c, &el, n, parse_camera, &ca);
        a->camera_node = n;
    } else {
        rc = sr_fail(r->c, &el, 0, FB_ERR_INVALID,
                     "expected a camera profile name (string) or a profile object, got %s",
                     sr_type_name(n));
    }
    if (!rc)
        rc = sr_rd_num(r, "camera_power_on_s", &s->camera_power_on_s, NULL);
    if (!rc)
        rc = parse_frontend(r, s);
    if (!rc)
        rc = sr_rd_enum(r, "people", &people, NULL);
    s->people_3d = people == 1;
    if (!rc)
        rc = sr_rd_obj(r, "mount", parse_mount, s, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "environment", parse_environment, s, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "blackbody", parse_blackbody, s, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "physiology", parse_physiology, &s->physiology, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "population", parse_population, s, NULL);
    if (!rc)
        rc = parse_subjects(r, s);
    if (!rc)
        rc = sr_rd_obj(r, "screening", parse_screening, &s->screening, NULL);
    if (!rc)
        rc = sr_object_list(r, "distractors", parse_distractor, distractor_elem, s,
                            &s->n_distractors);
    if (!rc)
        rc = sr_rd_obj(r, "dut", parse_dut, &s->dut, NULL);
    if (!rc)
        rc = sr_rd_obj(r, "criteria", parse_criteria, s, NULL);
    if (!rc && s->n_subjects == 0 && !s->population.enabled)
        rc = sr_missing(r, "subjects", "at least one person: \"subjects\" or \"population\"");
    if (!rc)
        rc = sr_rd_obj(r, "room", parse_room, &s->room, NULL);
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
             .root = "",
             .base_dir = base_dir,
             .err = err,
             .err_len = err_len};
    cJSON *root = NULL;
    scen_arg a = {out, NULL, NULL};
    int rc = sr_parse_text(&c, &root);
    if (rc)
        goto fail;
    scenario_defaults(out);
    rc = sr_object_at(&c, NULL, root, parse_root, &a);
    if (rc)
        goto fail;
    uint64_t h = FB_HASH_INIT;
    rc = sr_hash_doc(&h, root);
    if (!rc)
        rc = sr_hash_doc(&h, a.camera_doc ? a.camera_doc : a.camera_node);
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
    int rc = sr_read_file(path, &text, &len, &err_no);
    if (rc)
        return sr_io_message(err, err_len, path, err_no, rc);
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
