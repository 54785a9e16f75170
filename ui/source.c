/* source.c — the two frame sources of the viewer: a live session and a recording. */
#include "source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "link/event_check.h"
#include "scenario/catalog.h"
#include "record/record.h"

/* ---- live: fb_session_* ---- */

typedef struct live {
    fb_scenario sc_loaded;        /* owned (fb_scenario_free) */
    fb_run_opts ro;
    char dut_spec[256];
    fb_session *session;
    fb_subject_info *infos;       /* owned copy of the world's subject table */
} live;

static int live_fill(fb_view_source *s, live *l)
{
    const fb_world *w = fb_session_world(l->session);
    free(l->infos);
    l->infos = calloc(w->n_subjects ? w->n_subjects : 1, sizeof *l->infos);
    if (!l->infos) {
        snprintf(s->error, sizeof s->error, "out of memory");
        return FB_ERR_NOMEM;
    }
    for (size_t i = 0; i < w->n_subjects; i++)
        l->infos[i] = w->subjects[i].info;
    s->subjects = l->infos;
    s->n_subjects = w->n_subjects;
    s->geom = w->geom;
    s->frames_done = 0;
    s->frame_ck = fb_session_frame_ck(l->session);
    memset(&s->truth, 0, sizeof s->truth);
    s->events = NULL;
    s->n_events = 0;
    s->finished = false;
    s->faulted = false;
    s->fault[0] = '\0';
    return 0;
}

static int live_step(fb_view_source *s)
{
    live *l = s->priv;
    if (s->finished)
        return 0;
    int rc = fb_session_step(l->session);
    if (rc > 0) {
        s->frames_done = fb_session_frames_done(l->session);
        s->frame_ck = fb_session_frame_ck(l->session);
        s->truth = fb_session_truth(l->session); /* the world may be a frame ahead */
        s->events = fb_session_events(l->session, &s->n_events);
    } else {
        s->finished = true;
    }
    if (fb_session_faulted(l->session) && !s->faulted) {
        s->faulted = true;
        fb_results r;
        if (fb_session_peek(l->session, &r) == 0) {
            snprintf(s->fault, sizeof s->fault, "%s", r.first_fault);
            fb_results_free(&r);
        }
    }
    return rc > 0 ? 1 : 0;
}

static int live_restart(fb_view_source *s)
{
    live *l = s->priv;
    fb_session_close(l->session);
    l->session = NULL;
    int rc = fb_session_open(&l->session, &l->sc_loaded, &l->ro, s->error, sizeof s->error);
    if (rc)
        return rc;
    return live_fill(s, l);
}

static int live_peek(fb_view_source *s, fb_results *res)
{
    live *l = s->priv;
    return fb_session_peek(l->session, res);
}

static void live_close(fb_view_source *s)
{
    live *l = s->priv;
    if (!l)
        return;
    fb_session_close(l->session);
    fb_scenario_free(&l->sc_loaded);
    free(l->infos);
    free(l);
}

static const fb_view_source_ops live_ops = {
    .name = "live",
    .step = live_step,
    .restart = live_restart,
    .peek = live_peek,
    .close = live_close,
};

int fb_view_source_live(fb_view_source **out, const fb_live_opts *o, char *err, size_t err_len)
{
    *out = NULL;
    fb_view_source *s = calloc(1, sizeof *s);
    live *l = calloc(1, sizeof *l);
    if (!s || !l) {
        free(s);
        free(l);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    s->ops = &live_ops;
    s->priv = l;
    int rc = fb_catalog_load(o->scenario, &l->sc_loaded, err, err_len);
    if (rc) {
        free(l);
        free(s);
        return rc;
    }
    l->ro.seed_set = o->seed_set;
    l->ro.seed = o->seed;
    l->ro.duration_s = o->duration_s;
    l->ro.threads = o->threads;
    l->ro.pipeline = true; /* with threads: the next frame drawn while this one is scored */
    if (o->dut_spec) {
        snprintf(l->dut_spec, sizeof l->dut_spec, "%s", o->dut_spec);
        l->ro.dut_spec = l->dut_spec;
    }
    rc = fb_session_open(&l->session, &l->sc_loaded, &l->ro, err, err_len);
    if (rc)
        goto fail;
    s->sc = l->sc_loaded; /* shallow: arrays stay owned by sc_loaded */
    if (o->seed_set)
        s->sc.seed = o->seed;
    if (o->duration_s > 0)
        s->sc.duration_s = o->duration_s;
    s->frames_planned = (uint32_t)ceil(s->sc.duration_s * s->sc.camera.fps - 1e-9);
    snprintf(s->label, sizeof s->label, "%s  (%s), seed %llu", s->sc.name, s->sc.source,
             (unsigned long long)s->sc.seed);
    snprintf(s->dut, sizeof s->dut, "%s", o->dut_spec ? o->dut_spec : s->sc.dut.spec);
    rc = live_fill(s, l);
    if (rc) {
        snprintf(err, err_len, "%s", s->error);
        goto fail;
    }
    *out = s;
    return 0;
fail:
    live_close(s);
    free(s);
    return rc;
}

/* ---- replay: fb_recording_* + a scorer fed as the run fed it ---- */

typedef struct replay {
    fb_recording *rec;
    fb_score *score;
} replay;

static int replay_step(fb_view_source *s)
{
    replay *p = s->priv;
    if (s->finished)
        return 0;
    fb_record_frame_view v;
    int rc;
    while ((rc = fb_recording_next(p->rec, &v, s->error, sizeof s->error)) == FB_REC_FAULT) {
        fb_score_fault(p->score, v.fault); /* in file order, as the run fed its scorer */
        s->faulted = true;
        snprintf(s->fault, sizeof s->fault, "%s", v.fault);
    }
    if (rc <= 0) {
        s->finished = true;
        /* the audit's verdict, as `replay` judges it (else those criteria fail) */
        const fb_record_end *end = rc == 0 ? fb_recording_end(p->rec) : NULL;
        if (end && end->have_audit) {
            fb_score_audit(p->score, end->audit_clean);
            fb_score_sandbox(p->score, end->egress_attempts, end->sandbox_violations);
        }
        return rc;
    }
    /* The checks the live link applies, as `replay` applies them (sim/record/replay.c): what it
     * would have refused ends the replay at that frame, a DUT fault, the events before it kept. */
    const fb_record_header *h = fb_recording_header(p->rec);
    size_t n_ok;
    char why[240];
    bool refused = fb_event_check_frame(v.events, v.n_events, v.truth.frame, h->width, h->height,
                                        &n_ok, why, sizeof why) != 0;
    if (refused)
        v.n_events = n_ok;
    fb_score_frame(p->score, &v.truth, v.events, v.n_events);
    if (refused) {
        snprintf(s->fault, sizeof s->fault, "DUT fault at frame %u: %s (found by replay)",
                 (unsigned)v.truth.frame, why);
        fb_score_fault(p->score, s->fault);
        s->faulted = true;
        s->finished = true;
    }
    s->frames_done++;
    s->frame_ck = v.frame_ck;
    s->truth = v.truth;
    s->events = v.events;
    s->n_events = v.n_events;
    return 1;
}

static int replay_restart(fb_view_source *s)
{
    replay *p = s->priv;
    int rc = fb_recording_rewind(p->rec, s->error, sizeof s->error);
    if (rc)
        return rc;
    fb_score_free(p->score);
    p->score = fb_score_new(&s->sc, s->subjects, s->n_subjects);
    if (!p->score) {
        snprintf(s->error, sizeof s->error, "out of memory for the scorer");
        return FB_ERR_NOMEM;
    }
    s->frames_done = 0;
    memset(&s->truth, 0, sizeof s->truth);
    s->n_events = 0;
    s->finished = s->faulted = false;
    s->fault[0] = '\0';
    return 0;
}

static int replay_peek(fb_view_source *s, fb_results *res)
{
    replay *p = s->priv;
    return fb_score_finish(p->score, res); /* does not change the scorer (score.h) */
}

static void replay_close(fb_view_source *s)
{
    replay *p = s->priv;
    if (!p)
        return;
    fb_score_free(p->score);
    fb_recording_close(p->rec);
    free(p);
}

static const fb_view_source_ops replay_ops = {
    .name = "replay",
    .step = replay_step,
    .restart = replay_restart,
    .peek = replay_peek,
    .close = replay_close,
};

int fb_view_source_replay(fb_view_source **out, const char *path, const char *scenario,
                          const char *camera, char *err, size_t err_len)
{
    *out = NULL;
    fb_view_source *s = calloc(1, sizeof *s);
    replay *p = calloc(1, sizeof *p);
    if (!s || !p) {
        free(s);
        free(p);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    s->ops = &replay_ops;
    s->priv = p;
    int rc = fb_recording_open(&p->rec, path, err, err_len);
    if (rc) {
        free(p);
        free(s);
        return rc;
    }
    fb_recording_scenario(p->rec, &s->sc);
    /* judged by the scenario, never by the recording's own criteria (sim/record/replay.c) */
    fb_scenario judge;
    fb_replay_opts ro = {.scenario = scenario, .camera = camera};
    char why[2400];
    if ((rc = fb_replay_scenario(p->rec, &ro, &judge, why, sizeof why)) != 0) {
        snprintf(err, err_len, "%s: %s", path, why);
        replay_close(s);
        free(s);
        return rc;
    }
    memcpy(s->sc.criteria, judge.criteria, sizeof s->sc.criteria);
    fb_scenario_free(&judge);
    s->subjects = fb_recording_subjects(p->rec, &s->n_subjects);
    const fb_record_header *h = fb_recording_header(p->rec);
    fb_camera_geom_init(&s->geom, (int)h->width, (int)h->height, h->hfov_deg, h->camera_height_m,
                        h->camera_tilt_deg); /* validated by the reader */
    s->frames_planned = h->frames_planned;
    snprintf(s->label, sizeof s->label, "%s  (replay of %s), seed %llu", h->scenario_name, path,
             (unsigned long long)h->seed);
    snprintf(s->dut, sizeof s->dut, "%s (recorded)", h->dut_name);
    p->score = fb_score_new(&s->sc, s->subjects, s->n_subjects);
    if (!p->score) {
        snprintf(err, err_len, "out of memory for the scorer");
        replay_close(s);
        free(s);
        return FB_ERR_NOMEM;
    }
    *out = s;
    return 0;
}

void fb_view_source_close(fb_view_source *s)
{
    if (!s)
        return;
    s->ops->close(s);
    free(s);
}
