/* world.c — instantiates the people of a scenario and advances the room frame by frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "world.h"

#define FB_GENERATED_STREAM_BASE 0x80000000u
#define FB_PI 3.14159265358979323846

/* Normal truncated to [min, max] by redrawing; clamps after 64 rejections (degenerate ranges). */
static double draw_dist(fb_rng *r, const fb_dist *d)
{
    for (int i = 0; i < 64; i++) {
        double x = fb_rng_normal_ms(r, d->mean, d->sd);
        if (x >= d->min && x <= d->max)
            return x;
    }
    return fmin(fmax(d->mean, d->min), d->max);
}

static void make_subject(const fb_scenario *sc, fb_world_subject *ws, fb_rng *r,
                         const fb_subject_spec *spec, double enter_s, double fever_share,
                         const char *id)
{
    const fb_population_spec *pop = &sc->population;
    memset(ws, 0, sizeof(*ws));
    snprintf(ws->info.id, sizeof(ws->info.id), "%s", id);
    fb_physiology_draw(&sc->physiology, fever_share, r, &ws->physio);
    if (spec && spec->has_core) {
        ws->physio.core_c = spec->core_c;
        ws->physio.febrile = spec->core_c >= sc->screening.fever_threshold_c;
    }
    if (spec && spec->has_canthus_offset)
        ws->physio.canthus_offset_c = spec->canthus_offset_c;
    ws->canthus_max_right = fb_rng_uniform(r) < 0.5;
    fb_body_defaults(&ws->dims);

    fb_walker *wk = &ws->walker;
    wk->enter_s = enter_s;
    if (spec) {
        wk->start_distance_m = spec->start_distance_m;
        wk->exit_distance_m = spec->exit_distance_m;
        wk->speed_mps = spec->speed_mps;
        wk->lateral_m = spec->lateral_m;
        wk->height_m = spec->height_m;
    } else {
        wk->start_distance_m = pop->start_distance_m;
        wk->exit_distance_m = pop->exit_distance_m;
        wk->speed_mps = draw_dist(r, &pop->speed_mps);
        wk->lateral_m = draw_dist(r, &pop->lateral_m);
        wk->height_m = draw_dist(r, &pop->height_m);
    }
    ws->info.enter_s = enter_s;
    ws->info.core_c = ws->physio.core_c;
    ws->info.febrile = ws->physio.core_c >= sc->screening.fever_threshold_c;
    ws->info.speed_mps = wk->speed_mps;
}

static int cmp_enter(const void *a, const void *b)
{
    const fb_world_subject *x = a, *y = b;
    if (x->info.enter_s < y->info.enter_s)
        return -1;
    return x->info.enter_s > y->info.enter_s;
}

static int build_population(fb_world *w, const fb_scenario *sc, char *err, size_t err_len)
{
    const fb_population_spec *pop = &sc->population;
    size_t cap = sc->n_subjects + (pop->enabled ? pop->max_subjects : 0);
    w->subjects = calloc(cap ? cap : 1, sizeof(*w->subjects));
    w->truth = calloc(cap ? cap : 1, sizeof(*w->truth));
    if (!w->subjects || !w->truth) {
        snprintf(err, err_len, "out of memory for %zu subjects", cap);
        return FB_ERR_NOMEM;
    }
    for (size_t i = 0; i < sc->n_subjects; i++) {
        const fb_subject_spec *sp = &sc->subjects[i];
        fb_rng r;
        fb_rng_seed(&r, sc->seed, FB_STREAM_SUBJECT, (uint32_t)i);
        double share = sp->has_core ? 0.0 : (sp->febrile_draw ? 1.0 : 0.0);
        make_subject(sc, &w->subjects[w->n_subjects++], &r, sp, sp->enter_s, share, sp->id);
    }
    if (pop->enabled) {
        fb_rng arr;
        fb_rng_seed(&arr, sc->seed, FB_STREAM_POPULATION, 0);
        double end_s = pop->end_s > 0 ? pop->end_s : sc->duration_s;
        double rate_per_s = pop->arrival_rate_per_min / 60.0;
        double t = pop->start_s + fb_rng_exponential(&arr, rate_per_s);
        for (uint32_t j = 0; t < end_s && j < pop->max_subjects; j++) {
            fb_rng r;
            char id[32];
            fb_rng_seed(&r, sc->seed, FB_STREAM_SUBJECT, FB_GENERATED_STREAM_BASE + j);
            snprintf(id, sizeof(id), "p%u", (unsigned)(j + 1));
            make_subject(sc, &w->subjects[w->n_subjects++], &r, NULL, t, pop->fever_share, id);
            t += fb_rng_exponential(&arr, rate_per_s);
        }
    }
    /* Reports list people by entry time; a stable insertion sort keeps ties in file order. */
    for (size_t i = 1; i < w->n_subjects; i++) {
        fb_world_subject tmp = w->subjects[i];
        size_t k = i;
        while (k > 0 && cmp_enter(&w->subjects[k - 1], &tmp) > 0) {
            w->subjects[k] = w->subjects[k - 1];
            k--;
        }
        w->subjects[k] = tmp;
    }
    return FB_OK;
}

int fb_world_init(fb_world *w, const fb_scenario *sc, char *err, size_t err_len)
{
    int rc;
    memset(w, 0, sizeof(*w));
    w->sc = sc;
    rc = fb_camera_geom_init(&w->geom, sc->camera.width, sc->camera.height, sc->camera.hfov_deg,
                             sc->camera_height_m, sc->camera_tilt_deg);
    if (rc) {
        snprintf(err, err_len, "camera geometry out of range");
        return rc;
    }
    w->rad = malloc(sizeof(*w->rad));
    if (!w->rad) {
        snprintf(err, err_len, "out of memory for the radiometry table");
        return FB_ERR_NOMEM;
    }
    fb_radiometry_init(w->rad);
    rc = fb_ambient_reset(&w->ambient, &sc->ambient, sc->seed);
    if (rc) {
        snprintf(err, err_len, "environment.ambient: parameters out of range");
        goto fail;
    }
    if (sc->blackbody.enabled) {
        rc = fb_blackbody_reset(&w->blackbody, &sc->blackbody, sc->seed);
        if (rc) {
            snprintf(err, err_len, "blackbody: parameters out of range");
            goto fail;
        }
    }
    rc = build_population(w, sc, err, err_len);
    if (rc)
        goto fail;
    fb_world_step(w, 0);
    return FB_OK;
fail:
    fb_world_free(w);
    return rc;
}

void fb_world_free(fb_world *w)
{
    free(w->rad);
    free(w->subjects);
    free(w->truth);
    w->rad = NULL;
    w->subjects = NULL;
    w->truth = NULL;
    w->n_subjects = w->n_truth = 0;
}

void fb_world_step(fb_world *w, uint32_t frame)
{
    const fb_scenario *sc = w->sc;
    w->frame = frame;
    w->t_s = (double)frame / sc->camera.fps;
    w->ambient_c = fb_ambient_step(&w->ambient, w->t_s);
    w->blackbody_c = sc->blackbody.enabled ? fb_blackbody_step(&w->blackbody, w->t_s) : NAN;

    w->n_truth = 0;
    for (size_t i = 0; i < w->n_subjects; i++) {
        const fb_world_subject *ws = &w->subjects[i];
        double d;
        if (!fb_walker_distance(&ws->walker, w->t_s, &d))
            continue;
        fb_truth_subject *ts = &w->truth[w->n_truth++];
        memset(ts, 0, sizeof(*ts));
        ts->subject = (uint32_t)i;
        ts->distance_m = d;
        double u, v, depth;
        if (fb_camera_project(&w->geom, ws->walker.lateral_m, d, fb_walker_head_z(&ws->walker),
                              &u, &v, &depth)) {
            double s = w->geom.focal_px / depth;
            ts->face_w = ws->dims.head_w_m * s;
            ts->face_h = ws->dims.head_h_m * s;
            ts->face_x = u - ts->face_w / 2;
            ts->face_y = v - ts->face_h / 2;
            ts->face_px = ts->face_w;
            ts->in_view = ts->face_x < w->geom.width && ts->face_x + ts->face_w > 0 &&
                          ts->face_y < w->geom.height && ts->face_y + ts->face_h > 0;
        }
        fb_surface_temps st;
        fb_physiology_surface(&sc->physiology, &ws->physio, w->ambient_c, &st);
        ts->canthus_c = st.canthus_max_c;
    }
}

void fb_world_finish_truth(fb_world *w, const uint32_t *visible_px)
{
    const fb_screening_spec *scr = &w->sc->screening;
    for (size_t k = 0; k < w->n_truth; k++) {
        fb_truth_subject *ts = &w->truth[k];
        double area = FB_PI / 4 * ts->face_w * ts->face_h; /* the head ellipse */
        ts->face_visible = area > 0 ? fmin(1.0, visible_px[k] / area) : 0.0;
        ts->screenable = ts->in_view && ts->distance_m >= scr->min_distance_m &&
                         ts->distance_m <= scr->max_distance_m &&
                         ts->face_px >= scr->min_face_px &&
                         ts->face_visible >= scr->min_face_visible;
    }
}

fb_truth_frame fb_world_truth(const fb_world *w)
{
    fb_truth_frame tf;
    tf.frame = w->frame;
    tf.t_s = w->t_s;
    tf.ambient_c = w->ambient_c;
    tf.blackbody_c = w->blackbody_c;
    tf.n_subjects = w->n_truth;
    tf.subjects = w->truth;
    return tf;
}

uint16_t fb_c_to_ck(double temp_c)
{
    double ck = floor((temp_c + FB_KELVIN_OFFSET) * 100.0 + 0.5);
    if (!(ck >= 0))
        return 0;
    if (ck > 65535)
        return 65535;
    return (uint16_t)ck;
}

double fb_ck_to_c(uint16_t ck)
{
    return ck / 100.0 - FB_KELVIN_OFFSET;
}
