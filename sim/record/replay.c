/* replay.c — re-scores a recording without the DUT: criteria from the scenario, the live link's event checks, run's exit status. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../models/fb_error.h"
#include "scenario/catalog.h"
#include "scenario/criteria.h"
#include "scenario/embedded.h"
#include "link/event_check.h"
#include "record.h"
#include "score/score.h"

#define SHIPPED_PREFIX "embedded:"

/* Loads the scenario a recording was made from: arg is a file or a shipped scenario's name;
 * "embedded:NAME" (how the recording names a shipped one) only the shipped copy. */
static int load_source(const char *arg, fb_scenario *sc, char *err, size_t err_len)
{
    if (strncmp(arg, SHIPPED_PREFIX, strlen(SHIPPED_PREFIX)) != 0)
        return fb_catalog_load(arg, sc, err, err_len);
    const char *name = arg + strlen(SHIPPED_PREFIX);
    const fb_embedded_file *f = fb_embedded_find(name);
    if (!f) {
        snprintf(err, err_len, "%s: this feverbench ships no scenario %s", arg, name);
        return FB_ERR_IO;
    }
    return fb_scenario_load_text(f->text, f->len, arg, NULL, sc, err, err_len);
}

/* The scenario the recording names (or o->scenario), on its recorded camera (or o->camera),
 * with the run's seed, duration and people. Refuses (FB_ERR_INVALID, message in err) when its
 * hash differs from the one the recording holds: criteria never come from the recording. */
static int replay_scenario(const fb_record_header *h, const fb_replay_opts *o, fb_scenario *sc,
                           char *err, size_t err_len)
{
    char why[700];
    const char *arg = o && o->scenario ? o->scenario : h->scenario_source;
    int rc = load_source(arg, sc, why, sizeof why);
    if (rc) {
        snprintf(err, err_len,
                 "cannot load the scenario %s (%s): a replay takes its criteria from the "
                 "scenario, never from the recording; give it with --scenario FILE",
                 arg, why);
        return rc;
    }
    const char *cam = o && o->camera ? o->camera : NULL;
    if (!cam && strcmp(sc->camera.name, h->camera_name) != 0)
        cam = h->camera_name; /* the run had --camera NAME */
    if (cam && (rc = fb_catalog_set_camera(sc, cam, why, sizeof why)) != 0) {
        snprintf(err, err_len,
                 "the run used camera \"%s\", which cannot be loaded (%s); give it with "
                 "--camera FILE",
                 cam, why);
        fb_scenario_free(sc);
        return rc;
    }
    if (sc->hash != h->scenario_hash) {
        snprintf(err, err_len,
                 "scenario %s%s%s has hash %016" PRIx64 ", the recording says %016" PRIx64
                 ": it is not the scenario the run used, so its criteria cannot judge the "
                 "recording (give the right one with --scenario FILE [--camera FILE])",
                 arg, cam ? " on camera " : "", cam ? cam : "", sc->hash, h->scenario_hash);
        fb_scenario_free(sc);
        return FB_ERR_INVALID;
    }
    sc->seed = h->seed; /* run's --seed, --duration, --people: not in the hash */
    sc->duration_s = h->duration_s;
    if (h->people[0])
        sc->people_3d = strcmp(h->people, "3d") == 0;
    return FB_OK;
}

/* Says in err the first thing the recording's HEAD claims about scoring that its (verified)
 * scenario does not; returns true when there is one. */
static bool head_differs(const fb_record_header *h, const fb_scenario *sc, char *err,
                         size_t err_len)
{
#define SAME(field, head_value, scen_value)                                                        \
    do {                                                                                           \
        double a_ = (double)(head_value), b_ = (double)(scen_value);                              \
        if (a_ != b_) {                                                                            \
            snprintf(err, err_len, "HEAD says %s = %.17g, the scenario %.17g", field, a_, b_);   \
            return true;                                                                           \
        }                                                                                          \
    } while (0)
    SAME("camera.width", h->width, sc->camera.width);
    SAME("camera.height", h->height, sc->camera.height);
    SAME("camera.fps", h->fps, sc->camera.fps);
    SAME("camera.hfov_deg", h->hfov_deg, sc->camera.hfov_deg);
    SAME("camera_height_m", h->camera_height_m, sc->camera_height_m);
    SAME("camera_tilt_deg", h->camera_tilt_deg, sc->camera_tilt_deg);
    const fb_blackbody_params *a = &h->blackbody, *b = &sc->blackbody;
    SAME("blackbody.enabled", a->enabled, b->enabled);
    SAME("blackbody.set_c", a->set_c, b->set_c);
    SAME("blackbody.emissivity", a->emissivity, b->emissivity);
    SAME("blackbody.x_m", a->x_m, b->x_m);
    SAME("blackbody.y_m", a->y_m, b->y_m);
    SAME("blackbody.z_m", a->z_m, b->z_m);
    SAME("blackbody.aperture_m", a->aperture_m, b->aperture_m);
    SAME("screening.min_distance_m", h->screening.min_distance_m, sc->screening.min_distance_m);
    SAME("screening.max_distance_m", h->screening.max_distance_m, sc->screening.max_distance_m);
    SAME("screening.min_face_px", h->screening.min_face_px, sc->screening.min_face_px);
    SAME("screening.min_face_visible", h->screening.min_face_visible,
         sc->screening.min_face_visible);
    SAME("screening.fever_threshold_c", h->screening.fever_threshold_c,
         sc->screening.fever_threshold_c);
    SAME("dut.alarm_threshold_c", h->alarm_threshold_c, sc->dut.alarm_threshold_c);
    SAME("dut.body_offset_c", h->body_offset_c, sc->dut.body_offset_c);
#undef SAME
    for (int i = 0; i < FB_CRIT_COUNT; i++) {
        const fb_criterion_limit *x = &h->criteria[i], *y = &sc->criteria[i];
        if (x->set == y->set && (!x->set || x->limit == y->limit))
            continue;
        const char *key = fb_criterion_get((fb_criterion_id)i)->key;
        char hv[40] = "nothing", sv[40] = "nothing";
        if (x->set)
            snprintf(hv, sizeof hv, "%.17g", x->limit);
        if (y->set)
            snprintf(sv, sizeof sv, "%.17g", y->limit);
        snprintf(err, err_len, "HEAD says criteria.%s = %s, the scenario %s", key, hv, sv);
        return true;
    }
    return false;
}

int fb_replay_scenario(const fb_recording *rec, const fb_replay_opts *o, fb_scenario *sc,
                       char *err, size_t err_len)
{
    const fb_record_header *h = fb_recording_header(rec);
    int rc = replay_scenario(h, o, sc, err, err_len);
    if (rc)
        return rc;
    char why[600];
    if (head_differs(h, sc, why, sizeof why)) {
        snprintf(err, err_len,
                 "the recording does not match its scenario (altered, or recorded by another "
                 "feverbench): %s",
                 why);
        fb_scenario_free(sc);
        return FB_ERR_INVALID;
    }
    return FB_OK;
}

/* The signal an incomplete run's stop reason names ("interrupted by signal 15 ..."), or 0:
 * every stop reason run.c writes for a signal says it so (docs/recording.md). */
static int stop_signal(const char *reason)
{
    const char *p = strstr(reason, "interrupted by signal ");
    if (!p)
        return 0;
    long s = strtol(p + strlen("interrupted by signal "), NULL, 10);
    return s > 0 && s < 128 ? (int)s : 0;
}

int fb_replay(const char *path, const fb_replay_opts *o, FILE *scorecard)
{
    char err[2400];
    fb_recording *rec;
    int rc = fb_recording_open(&rec, path, err, sizeof err);
    if (rc) {
        fprintf(stderr, "feverbench: %s\n", err);
        return FB_EXIT_USAGE;
    }
    int status = FB_EXIT_USAGE;
    fb_score *score = NULL;
    fb_stream *stream = NULL;
    const fb_record_header *h = fb_recording_header(rec);
    fb_scenario sc;
    if (fb_replay_scenario(rec, o, &sc, err, sizeof err)) {
        fprintf(stderr, "feverbench: %s: %s\n", path, err);
        goto out_rec;
    }
    size_t n_subj;
    const fb_subject_info *subj = fb_recording_subjects(rec, &n_subj);
    score = fb_score_new(&sc, subj, n_subj);
    if (!score) {
        fprintf(stderr, "feverbench: out of memory for the scorer\n");
        goto out_scen;
    }
    if (o && o->out_dir) {
        if (mkdir(o->out_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "feverbench: %s: cannot create directory: %s\n", o->out_dir,
                    strerror(errno));
            goto out_score;
        }
        stream = fb_stream_open(o->out_dir, err, sizeof err);
        if (!stream) {
            fprintf(stderr, "feverbench: %s\n", err);
            goto out_score;
        }
    }
    bool faulted = false;
    char violation[400] = ""; /* an event the live link would have refused */
    uint32_t frames = 0;
    fb_record_frame_view v;
    while ((rc = fb_recording_next(rec, &v, err, sizeof err)) > 0) {
        if (rc == FB_REC_FAULT) {
            fb_score_fault(score, v.fault);
            faulted = true;
            continue;
        }
        frames++;
        /* The checks the live link applies (sim/link/event_check.h): what it would have refused ends
         * the replay as it would have ended the run, with the events before it kept. */
        size_t n_ok;
        char why[300];
        if (fb_event_check_frame(v.events, v.n_events, v.truth.frame, h->width, h->height, &n_ok,
                                 why, sizeof why)) {
            snprintf(violation, sizeof violation, "DUT fault at frame %u: %s (found by replay)",
                     (unsigned)v.truth.frame, why);
            v.n_events = n_ok;
        }
        fb_score_frame(score, &v.truth, v.events, v.n_events);
        fb_stream_truth(stream, &v.truth);
        fb_stream_events(stream, v.events, v.n_events);
        if (violation[0]) {
            fb_score_fault(score, violation);
            faulted = true;
            break;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "feverbench: %s\n", err);
        goto out_stream;
    }
    const fb_record_end *end = violation[0] ? NULL : fb_recording_end(rec);
    bool complete = end && end->complete;
    const char *stop = violation[0]              ? violation
                       : complete                ? NULL
                       : end->stop_reason[0]     ? end->stop_reason
                                                 : "stopped before the end";
    int sig = stop && !violation[0] ? stop_signal(stop) : 0;
    fb_run_info info = {
        .version = FB_VERSION_STRING,
        .scenario_name = h->scenario_name,
        .scenario_source = h->scenario_source,
        .scenario_hash = h->scenario_hash,
        .seed = h->seed,
        .camera_name = h->camera_name,
        .people = h->people[0] ? h->people : NULL,
        .width = (int)h->width,
        .height = (int)h->height,
        .dut_name = h->dut_name,
        .frames_hash = end ? end->frames_hash : 0,
        .frames_hash_algorithm = h->frames_hash_algorithm,
        .frames = end ? end->frames : frames,
        .fps = h->fps,
        .duration_s = (end ? end->frames : frames) / h->fps,
        .complete = complete,
        .stop_reason = stop,
    };
    if (end && end->have_audit) { /* else: the recording does not say; those criteria fail */
        fb_score_audit(score, end->audit_clean);
        fb_score_sandbox(score, end->egress_attempts, end->sandbox_violations);
    }
    fb_results res;
    rc = fb_score_finish(score, &res);
    if (rc) {
        fprintf(stderr, "feverbench: scoring failed: %s\n", fb_strerror(rc));
        goto out_stream;
    }
    /* The status `run` had (sim/run/run.c): a signal, a DUT fault, a run the bench stopped, the
     * verdict. */
    status = sig                         ? FB_EXIT_SIGNAL + sig
             : faulted || res.dut_faults ? FB_EXIT_DUT_FAULT
             : !complete                 ? FB_EXIT_USAGE
             : res.pass                  ? FB_EXIT_PASS
                                         : FB_EXIT_FAIL;
    if (stop)
        fprintf(stderr, "feverbench: %s: %s%s\n", path, stop,
                sig ? "; the results so far are marked incomplete" : "");
    if (scorecard) {
        fprintf(scorecard, "replay of %s (recorded by feverbench %s; criteria from %s)\n", path,
                h->feverbench, sc.source);
        fb_report_scorecard(scorecard, &info, &res);
    }
    if (stream) {
        rc = fb_stream_close(stream, err, sizeof err);
        stream = NULL;
        if (rc) {
            fprintf(stderr, "feverbench: %s\n", err);
            status = status == FB_EXIT_DUT_FAULT ? status : FB_EXIT_USAGE;
        }
    }
    if (o && o->out_dir && fb_report_write(o->out_dir, &info, &res, err, sizeof err)) {
        fprintf(stderr, "feverbench: %s\n", err);
        status = status == FB_EXIT_DUT_FAULT ? status : FB_EXIT_USAGE;
    }
    fb_results_free(&res);
out_stream:
    if (stream)
        fb_stream_close(stream, NULL, 0);
out_score:
    fb_score_free(score);
out_scen:
    fb_scenario_free(&sc);
out_rec:
    fb_recording_close(rec);
    return status;
}
