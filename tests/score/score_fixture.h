/* score_fixture.h — hand-built scenarios, truth frames and events for the scoring and report tests. */
#ifndef SCORE_FIXTURE_H
#define SCORE_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "score/score.h"

/* A zeroed scenario with only what scoring reads: camera fps, screening spec, name. */
static inline fb_scenario *fx_scenario(double fps)
{
    fb_scenario *sc = calloc(1, sizeof *sc);
    if (!sc)
        abort();
    strcpy(sc->name, "hand");
    strcpy(sc->source, "tests/score/hand.json");
    sc->seed = 7;
    sc->duration_s = 60;
    strcpy(sc->camera.name, "handcam");
    sc->camera.width = 320;
    sc->camera.height = 240;
    sc->camera.fps = fps;
    sc->screening.min_distance_m = 1.0;
    sc->screening.max_distance_m = 3.5;
    sc->screening.min_face_px = 20;
    sc->screening.min_face_visible = 0.8;
    sc->screening.fever_threshold_c = 37.5;
    sc->dut.alarm_threshold_c = 38.0;
    return sc;
}

static inline void fx_limit(fb_scenario *sc, fb_criterion_id id, double limit)
{
    sc->criteria[id].set = true;
    sc->criteria[id].limit = limit;
}

static inline fb_subject_info fx_info(const char *id, double core_c)
{
    fb_subject_info s;
    memset(&s, 0, sizeof s);
    strncpy(s.id, id, sizeof s.id - 1);
    s.core_c = core_c;
    s.febrile = core_c >= 37.5;
    s.speed_mps = 1.31;
    return s;
}

static inline fb_truth_subject fx_ts(uint32_t subject, bool in_view, bool screenable, double x,
                                     double y, double w, double h, double canthus_c)
{
    fb_truth_subject t;
    memset(&t, 0, sizeof t);
    t.subject = subject;
    t.in_view = in_view;
    t.screenable = screenable;
    t.distance_m = 2.0;
    t.face_x = x;
    t.face_y = y;
    t.face_w = w;
    t.face_h = h;
    t.face_px = w;
    t.face_visible = in_view ? 1.0 : 0.0;
    t.canthus_visible = in_view ? 1.0 : 0.0;
    t.canthus_c = canthus_c;
    return t;
}

static inline uint16_t fx_ck(double c)
{
    return (uint16_t)lround((c + 273.15) * 100.0);
}

/* A measurement event for frame `frame`, arriving at frame `arrival` (time arrival / fps). */
static inline fb_event fx_meas(uint32_t frame, uint32_t arrival, double fps, uint16_t x, uint16_t y,
                               uint16_t w, uint16_t h, double skin_c, double body_c, int alarm)
{
    fb_event e;
    memset(&e, 0, sizeof e);
    e.ev.kind = FBFW_EV_MEASUREMENT;
    e.ev.alarm = (uint8_t)(alarm != 0);
    e.ev.frame = frame;
    e.ev.track_id = frame + 1000u;
    e.ev.box_x = x;
    e.ev.box_y = y;
    e.ev.box_w = w;
    e.ev.box_h = h;
    e.ev.skin_ck = fx_ck(skin_c);
    e.ev.body_ck = fx_ck(body_c);
    e.arrival_frame = arrival;
    e.arrival_t_s = arrival / fps;
    return e;
}

static inline fb_truth_frame fx_frame(uint32_t frame, double fps, const fb_truth_subject *subjects,
                                      size_t n)
{
    fb_truth_frame tf;
    memset(&tf, 0, sizeof tf);
    tf.frame = frame;
    tf.t_s = frame / fps;
    tf.ambient_c = 22.0;
    tf.blackbody_c = 35.0;
    tf.n_subjects = n;
    tf.subjects = subjects;
    return tf;
}

#endif
