/* world.c — instantiates the people of a scenario and advances the room frame by frame: the
 * interaction between people (the headway: nobody walks through anybody) lives here, each
 * person's own walk in models/walker.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "world.h"

#define FB_GENERATED_STREAM_BASE 0x80000000u
#define FB_PI                    3.14159265358979323846

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

/* Generated-people draws of the confounder stream, always all of them in this order so that
 * one share never changes who gets another confounder. */
typedef struct conf_draws {
    double glasses, mask, hat, cold, cold_ago, wipe, wipe_ago, exercise, exercise_ago, drink,
        drink_c, breath, turn, turn_at, turn_sign, turn_dur;
} conf_draws;

static void draw_conf(fb_rng *r, conf_draws *u)
{
    double *v[] = {&u->glasses,      &u->mask,    &u->hat,       &u->cold,
                   &u->cold_ago,     &u->wipe,    &u->wipe_ago,  &u->exercise,
                   &u->exercise_ago, &u->drink,   &u->drink_c,   &u->breath,
                   &u->turn,         &u->turn_at, &u->turn_sign, &u->turn_dur};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        *v[i] = fb_rng_uniform(r);
}

/* Generated people: time since a confounder's event when they enter the lane, uniform in
 * [0, max] (our numbers: people come in from the cold within the last 5 min, wiped their face
 * within the last 2 min, stopped exercising within the last 3 min); a hot drink's cup is
 * 55-65 °C (docs/sources.md); a head turn lasts 1.5-3 s. */
#define GEN_COLD_AGO_MAX_S     300.0
#define GEN_WIPE_AGO_MAX_S     120.0
#define GEN_EXERCISE_AGO_MAX_S 180.0
#define GEN_DRINK_MIN_C        55.0
#define GEN_DRINK_MAX_C        65.0
#define GEN_TURN_MIN_S         1.5
#define GEN_TURN_MAX_S         3.0

static void make_confounders(const fb_scenario *sc, fb_world_subject *ws, fb_rng *rc,
                             const fb_subject_spec *spec, double enter_s)
{
    const fb_population_spec *pop = &sc->population;
    fb_confounders *c = &ws->conf;
    fb_walker *wk = &ws->walker;
    conf_draws u;
    draw_conf(rc, &u);
    c->breath_phase_rad = 2 * FB_PI * u.breath;
    if (spec) {
        c->glasses = spec->glasses;
        c->hat = spec->hat;
        c->mask = spec->mask;
        c->cold_entry = spec->has_cold_entry;
        c->outdoor_c = spec->cold_entry_c;
        c->indoor_at_s = enter_s - spec->cold_entry_ago_s;
        c->face_wipe = spec->has_face_wipe;
        c->face_wipe_at_s = enter_s - spec->face_wipe_ago_s;
        c->exercise = spec->has_exercise;
        c->exercise_end_s = enter_s - spec->exercise_ago_s;
        c->hot_drink = spec->has_hot_drink;
        c->hot_drink_c = spec->hot_drink_c;
        if (spec->has_head_turn) {
            wk->turns[0] = (fb_head_turn){spec->head_turn_peak_s, spec->head_turn_yaw_deg,
                                          spec->head_turn_duration_s};
            wk->n_turns = 1;
        }
        return;
    }
    c->glasses = u.glasses < pop->glasses_share;
    c->mask = u.mask < pop->mask_surgical_share                         ? FB_MASK_SURGICAL
              : u.mask < pop->mask_surgical_share + pop->mask_n95_share ? FB_MASK_N95
                                                                        : FB_MASK_NONE;
    c->hat = u.hat < pop->hat_share;
    c->cold_entry = u.cold < pop->cold_entry_share;
    c->outdoor_c = pop->outdoor_c;
    c->indoor_at_s = enter_s - u.cold_ago * GEN_COLD_AGO_MAX_S;
    c->face_wipe = u.wipe < pop->face_wipe_share;
    c->face_wipe_at_s = enter_s - u.wipe_ago * GEN_WIPE_AGO_MAX_S;
    c->exercise = u.exercise < pop->exercise_share;
    c->exercise_end_s = enter_s - u.exercise_ago * GEN_EXERCISE_AGO_MAX_S;
    c->hot_drink = u.drink < pop->hot_drink_share;
    c->hot_drink_c = GEN_DRINK_MIN_C + u.drink_c * (GEN_DRINK_MAX_C - GEN_DRINK_MIN_C);
    /* The yaw magnitude is drawn last: a truncated normal takes a variable number of draws. */
    double yaw = draw_dist(rc, &pop->head_turn_yaw_deg);
    if (u.turn < pop->head_turn_share) {
        /* Peak somewhere in the working distance, where it matters for screening. */
        const fb_screening_spec *scr = &sc->screening;
        double d = scr->min_distance_m + u.turn_at * (scr->max_distance_m - scr->min_distance_m);
        wk->turns[0] =
            (fb_head_turn){fb_walker_time_at(wk, d), u.turn_sign < 0.5 ? -yaw : yaw,
                           GEN_TURN_MIN_S + u.turn_dur * (GEN_TURN_MAX_S - GEN_TURN_MIN_S)};
        wk->n_turns = 1;
    }
}

static void make_subject(const fb_scenario *sc, fb_world_subject *ws, fb_rng *r, fb_rng *rc,
                         const fb_subject_spec *spec, double enter_s, double fever_share,
                         const char *id, uint32_t stream)
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
    if (sc->screening.stop_distance_m > 0) {
        wk->stop_distance_m = sc->screening.stop_distance_m;
        wk->dwell_s = spec && spec->has_dwell ? spec->dwell_s : sc->screening.dwell_s;
    }
    ws->generated = spec == NULL;
    make_confounders(sc, ws, rc, spec, enter_s);
    fb_rng ra;
    fb_rng_seed(&ra, sc->seed, FB_STREAM_APPEARANCE, stream);
    fb_body_dims look_dims;
    fb_figure_draw(&ra, wk->height_m, &ws->look, &look_dims);
    if (sc->people_3d) /* the flat template keeps its round sizes */
        ws->dims = look_dims;
    ws->info.enter_s = enter_s;
    ws->info.core_c = ws->physio.core_c;
    ws->info.febrile = ws->physio.core_c >= sc->screening.fever_threshold_c;
    ws->info.speed_mps = wk->speed_mps;
    ws->info.confounders =
        fb_confounders_flags(&ws->conf) | (wk->n_turns ? FB_CONF_FLAG(HEAD_TURN) : 0u);
}

static int cmp_enter(const void *a, const void *b)
{
    const fb_world_subject *x = a, *y = b;
    if (x->info.enter_s < y->info.enter_s)
        return -1;
    return x->info.enter_s > y->info.enter_s;
}

/* Reports list people by entry time; a stable insertion sort keeps ties in file order. */
static void sort_by_entry(fb_world *w)
{
    for (size_t i = 1; i < w->n_subjects; i++) {
        fb_world_subject tmp = w->subjects[i];
        size_t k = i;
        while (k > 0 && cmp_enter(&w->subjects[k - 1], &tmp) > 0) {
            w->subjects[k] = w->subjects[k - 1];
            k--;
        }
        w->subjects[k] = tmp;
    }
}

/* With a stop at a marked point people queue out of view: each person in entry order reaches
 * the mark no sooner than QUEUE_HEADWAY_S after the person before left it (our number: the
 * next person steps up as the previous one walks off). Head turns of generated people move
 * with them; listed turns and confounder times stay on the run clock. */
#define QUEUE_HEADWAY_S 1.0

static void queue_at_stop(fb_world *w)
{
    double free_at = -INFINITY;
    for (size_t i = 0; i < w->n_subjects; i++) {
        fb_world_subject *ws = &w->subjects[i];
        fb_walker *wk = &ws->walker;
        if (!fb_walker_stops(wk))
            continue;
        double arrive = fb_walker_time_at(wk, wk->stop_distance_m);
        if (arrive < free_at) {
            double shift = free_at - arrive;
            wk->enter_s += shift;
            ws->info.enter_s = wk->enter_s;
            if (ws->generated)
                for (size_t k = 0; k < wk->n_turns; k++)
                    wk->turns[k].peak_s += shift;
            arrive += shift;
        }
        free_at = arrive + wk->dwell_s + QUEUE_HEADWAY_S;
    }
}

/* Generated people of burst b (0-based) use subject streams from here on. */
#define FB_BURST_STREAM_STRIDE 0x01000000u

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
        fb_rng r, rc;
        fb_rng_seed(&r, sc->seed, FB_STREAM_SUBJECT, (uint32_t)i);
        fb_rng_seed(&rc, sc->seed, FB_STREAM_CONFOUNDERS, (uint32_t)i);
        double share = sp->has_core ? 0.0 : (sp->febrile_draw ? 1.0 : 0.0);
        make_subject(sc, &w->subjects[w->n_subjects++], &r, &rc, sp, sp->enter_s, share, sp->id,
                     (uint32_t)i);
    }
    if (pop->enabled) {
        size_t made = 0;
        double end_s = pop->end_s > 0 ? pop->end_s : sc->duration_s;
        if (pop->arrival_rate_per_min > 0) {
            fb_rng arr;
            fb_rng_seed(&arr, sc->seed, FB_STREAM_POPULATION, 0);
            double rate_per_s = pop->arrival_rate_per_min / 60.0;
            double t = pop->start_s + fb_rng_exponential(&arr, rate_per_s);
            for (uint32_t j = 0; t < end_s && j < pop->max_subjects; j++) {
                fb_rng r, rc;
                char id[32];
                fb_rng_seed(&r, sc->seed, FB_STREAM_SUBJECT, FB_GENERATED_STREAM_BASE + j);
                fb_rng_seed(&rc, sc->seed, FB_STREAM_CONFOUNDERS, FB_GENERATED_STREAM_BASE + j);
                snprintf(id, sizeof(id), "p%u", (unsigned)(j + 1));
                make_subject(sc, &w->subjects[w->n_subjects++], &r, &rc, NULL, t, pop->fever_share,
                             id, FB_GENERATED_STREAM_BASE + j);
                made++;
                t += fb_rng_exponential(&arr, rate_per_s);
            }
        }
        for (size_t b = 0; b < pop->n_bursts; b++) {
            const fb_burst *bu = &pop->bursts[b];
            fb_rng arr;
            fb_rng_seed(&arr, sc->seed, FB_STREAM_POPULATION, (uint32_t)(1 + b));
            for (size_t k = 0; k < bu->count && made < pop->max_subjects; k++) {
                uint32_t idx = FB_GENERATED_STREAM_BASE +
                               (uint32_t)(b + 1) * FB_BURST_STREAM_STRIDE + (uint32_t)k;
                double t = bu->at_s + fb_rng_uniform(&arr) * bu->duration_s;
                fb_rng r, rc;
                char id[32];
                fb_rng_seed(&r, sc->seed, FB_STREAM_SUBJECT, idx);
                fb_rng_seed(&rc, sc->seed, FB_STREAM_CONFOUNDERS, idx);
                snprintf(id, sizeof(id), "b%u-%u", (unsigned)(b + 1), (unsigned)(k + 1));
                make_subject(sc, &w->subjects[w->n_subjects++], &r, &rc, NULL, t, pop->fever_share,
                             id, idx);
                made++;
            }
        }
    }
    sort_by_entry(w);
    if (sc->screening.stop_distance_m > 0) {
        queue_at_stop(w);
        sort_by_entry(w);
    }
    return FB_OK;
}

/* Headway: nobody walks through anybody. Each person's walker is their plan; the world keeps
 * how late each one runs (lag_s) and moves everyone a frame at a time, nearest the camera
 * first, so that the person ahead has already moved when the one behind is placed:
 *
 * - in a lane (centres across the axis closer than the mean of the two shoulder widths,
 *   0.45 m for the template's adults: closer, and the two bodies would overlap) nobody comes
 *   nearer than FB_WALK_HEADWAY_M behind the person ahead (fb_walker_follow): a faster walker
 *   keeps pace with a slower one and walks on at their own speed once the way is free;
 * - someone who arrives while the entrance is taken (a person of their lane within the
 *   headway of start_distance_m, either side) waits out of view, as the queue does;
 * - the screening mark holds one person: whoever stops there waits at the headway behind it
 *   while another stands on it (the planned queue, queue_at_stop, already spaces them; this
 *   keeps it so when someone was held up on the way).
 *
 * The walk is deterministic (ordered by distance, then subject index) and draws nothing: the
 * random streams are exactly those of the plan. Generated people's head turns follow their
 * own clock (placed on their walk, they stay there); listed turns stay on the run clock. */
struct fb_walk_slot {
    double key; /* distance at the previous frame; start_distance_m while entering */
    uint32_t subject;
    bool was_in;       /* in the scene at the previous frame */
    bool is_in;        /* in the scene now (after this slot's move) */
    double distance_m; /* now, when is_in */
};

static int cmp_slot(const void *a, const void *b)
{
    const struct fb_walk_slot *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->subject > y->subject) - (x->subject < y->subject);
}

static bool in_lane(const fb_world_subject *a, const fb_world_subject *b)
{
    return fb_walker_same_lane(&a->walker, &b->walker,
                               (a->dims.shoulder_w_m + b->dims.shoulder_w_m) / 2);
}

/* Moves everyone who is in the scene or entering it from run time t0_s to t1_s. */
static void walk_step(fb_world *w, double t0_s, double t1_s)
{
    struct fb_walk_slot *sl = w->walk;
    uint32_t *was = w->walk_in, *now = w->walk_in + w->n_subjects;
    size_t m = 0, n_was = 0, n_now = 0;
    for (size_t i = 0; i < w->n_subjects; i++) {
        fb_world_subject *ws = &w->subjects[i];
        const fb_walker *wk = &ws->walker;
        double from = t0_s - ws->lag_s, d = 0;
        if (t1_s - ws->lag_s < wk->enter_s)
            continue; /* not there yet */
        bool in = fb_walker_distance(wk, from, &d);
        if (!in && from >= wk->enter_s) {
            /* gone past the camera, for good as time runs forward: its meshes are let go (a
             * replay from frame 0 builds them again when it needs them) */
            fb_figure_release(&ws->fig);
            continue;
        }
        sl[m++] = (struct fb_walk_slot){in ? d : wk->start_distance_m, (uint32_t)i, in, false, 0};
    }
    qsort(sl, m, sizeof(*sl), cmp_slot);
    for (size_t k = 0; k < m; k++)
        if (sl[k].was_in)
            was[n_was++] = (uint32_t)k;
    for (size_t k = 0; k < m; k++) {
        struct fb_walk_slot *s = &sl[k];
        fb_world_subject *ws = &w->subjects[s->subject];
        const fb_walker *wk = &ws->walker;
        bool to_mark = fb_walker_stops(wk) && s->key > wk->stop_distance_m;
        double min_d = -INFINITY;
        for (size_t j = 0; j < n_now; j++) { /* ahead, already moved */
            const struct fb_walk_slot *o = &sl[now[j]];
            const fb_world_subject *wo = &w->subjects[o->subject];
            if (in_lane(ws, wo))
                min_d = fmax(min_d, o->distance_m + FB_WALK_HEADWAY_M);
            if (to_mark && fb_walker_stops(&wo->walker) && o->distance_m == wk->stop_distance_m)
                min_d = fmax(min_d, wk->stop_distance_m + FB_WALK_HEADWAY_M);
        }
        if (!s->was_in)
            for (size_t j = 0; j < n_was; j++) { /* just behind the entrance */
                const struct fb_walk_slot *o = &sl[was[j]];
                if (o->key > s->key && o->key < s->key + FB_WALK_HEADWAY_M &&
                    in_lane(ws, &w->subjects[o->subject]))
                    min_d = INFINITY;
            }
        double from = t0_s - ws->lag_s, to = t1_s - ws->lag_s;
        double c = fb_walker_follow(wk, from, to, min_d);
        if (c != to)
            ws->lag_s += to - c;
        s->is_in = fb_walker_distance(wk, t1_s - ws->lag_s, &s->distance_m);
        if (s->is_in)
            now[n_now++] = (uint32_t)k;
    }
}

/* Brings everyone's lag to frame n, replaying from frame 0 when asked for an earlier one. */
static void walk_to(fb_world *w, uint32_t frame)
{
    double fps = w->sc->camera.fps;
    if (!w->walk_valid || frame < w->walk_frame) {
        for (size_t i = 0; i < w->n_subjects; i++)
            w->subjects[i].lag_s = 0.0;
        w->walk_valid = true;
        w->walk_frame = 0;
        walk_step(w, -1.0 / fps, 0.0);
    }
    while (w->walk_frame < frame) {
        w->walk_frame++;
        walk_step(w, ((double)w->walk_frame - 1.0) / fps, (double)w->walk_frame / fps);
    }
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
        rc = fb_blackbody_reset(&w->blackbody, &sc->blackbody, sc->seed,
                                fb_ambient_step(&w->ambient, 0.0));
        if (rc) {
            snprintf(err, err_len, "blackbody: parameters out of range");
            goto fail;
        }
    }
    rc = build_population(w, sc, err, err_len);
    if (rc)
        goto fail;
    w->walk = calloc(w->n_subjects ? w->n_subjects : 1, sizeof(*w->walk));
    w->walk_in = calloc(w->n_subjects ? 2 * w->n_subjects : 1, sizeof(*w->walk_in));
    if (!w->walk || !w->walk_in) {
        snprintf(err, err_len, "out of memory for %zu subjects", w->n_subjects);
        rc = FB_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0; sc->people_3d && i < w->n_subjects; i++) {
        fb_world_subject *ws = &w->subjects[i];
        if (fb_figure_init(&ws->fig, &ws->look, ws->walker.height_m, ws->conf.glasses,
                           ws->conf.mask != FB_MASK_NONE, ws->conf.hat, ws->conf.hot_drink)) {
            snprintf(err, err_len, "out of memory for the 3D people");
            rc = FB_ERR_NOMEM;
            goto fail;
        }
    }
    fb_world_step(w, 0);
    return FB_OK;
fail:
    fb_world_free(w);
    return rc;
}

void fb_world_free(fb_world *w)
{
    for (size_t i = 0; w->subjects && i < w->n_subjects; i++)
        fb_figure_free(&w->subjects[i].fig);
    free(w->rad);
    free(w->subjects);
    free(w->truth);
    free(w->walk);
    free(w->walk_in);
    w->rad = NULL;
    w->subjects = NULL;
    w->truth = NULL;
    w->walk = NULL;
    w->walk_in = NULL;
    w->walk_valid = false;
    w->n_subjects = w->n_truth = 0;
}

void fb_world_step(fb_world *w, uint32_t frame)
{
    const fb_scenario *sc = w->sc;
    w->frame = frame;
    w->t_s = (double)frame / sc->camera.fps;
    w->ambient_c = fb_ambient_step(&w->ambient, w->t_s);
    if (sc->blackbody.enabled) {
        w->blackbody_c = fb_blackbody_step(&w->blackbody, w->t_s, w->ambient_c);
        fb_blackbody_position(&w->blackbody, w->t_s, &w->bb_x_m, &w->bb_y_m, &w->bb_z_m);
        w->bb_occluder = fb_blackbody_failing(&w->blackbody, FB_BB_FAIL_OCCLUDED, w->t_s);
    } else {
        w->blackbody_c = NAN;
    }
    w->bb_visible = NAN;
    w->bb_state = FB_BBT_NONE;
    w->bb_fault = false;

    walk_to(w, frame);
    w->n_truth = 0;
    for (size_t i = 0; i < w->n_subjects; i++) {
        const fb_world_subject *ws = &w->subjects[i];
        double d, clock_s = w->t_s - ws->lag_s; /* the walker's own clock (headway) */
        if (!fb_walker_distance(&ws->walker, clock_s, &d))
            continue;
        fb_truth_subject *ts = &w->truth[w->n_truth++];
        memset(ts, 0, sizeof(*ts));
        ts->subject = (uint32_t)i;
        ts->distance_m = d;
        double u, v, depth;
        if (fb_camera_project(&w->geom, ws->walker.lateral_m, d, fb_walker_head_z(&ws->walker), &u,
                              &v, &depth)) {
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
        fb_world_surface(w, ws, &st);
        ts->canthus_c = st.canthus_max_c;
        ts->yaw_deg = fb_walker_yaw_deg(&ws->walker, ws->generated ? clock_s : w->t_s);
    }
}

void fb_world_surface(const fb_world *w, const fb_world_subject *ws, fb_surface_temps *st)
{
    fb_physiology_surface(&w->sc->physiology, &ws->physio, w->ambient_c, st);
    fb_confounders_apply(&ws->conf, w->t_s, w->ambient_c, st);
}

void fb_world_finish_truth(fb_world *w, const fb_subject_geo *geo)
{
    const fb_screening_spec *scr = &w->sc->screening;
    for (size_t k = 0; k < w->n_truth; k++) {
        fb_truth_subject *ts = &w->truth[k];
        const fb_subject_geo *g = &geo[k];
        const fb_world_subject *ws = &w->subjects[ts->subject];
        ts->in_view = false;
        if (g->drawn) {
            ts->face_x = g->face_x;
            ts->face_y = g->face_y;
            ts->face_w = g->face_w;
            ts->face_h = g->face_h;
            ts->face_px = g->face_w;
            ts->in_view = ts->face_x < w->geom.width && ts->face_x + ts->face_w > 0 &&
                          ts->face_y < w->geom.height && ts->face_y + ts->face_h > 0;
            ts->body_x = g->body_x;
            ts->body_y = g->body_y;
            ts->body_w = g->body_w;
            ts->body_h = g->body_h;
        }
        ts->body_visible_px = g->body_visible_px;
        ts->face_visible = fmin(1.0, fmax(0.0, g->face_visible));
        ts->canthus_visible = fmin(1.0, fmax(0.0, g->canthus_visible));
        for (int i = 0; i < FB_TRUTH_LANDMARKS; i++) {
            ts->landmark_u[i] = g->landmark_u[i];
            ts->landmark_v[i] = g->landmark_v[i];
            ts->landmark_seen[i] = g->landmark_seen[i];
        }
        fb_surface_temps st;
        fb_world_surface(w, ws, &st);
        for (int i = 0; i < 2; i++) {
            ts->canthus_u[i] = g->canthus_u[i];
            ts->canthus_v[i] = g->canthus_v[i];
            ts->canthus_seen[i] = g->canthus_seen[i];
            ts->canthus_temp_c[i] =
                (i == 1) == ws->canthus_max_right ? st.canthus_max_c : st.canthus_min_c;
        }
        ts->screenable = ts->in_view && ts->distance_m >= scr->min_distance_m &&
                         ts->distance_m <= scr->max_distance_m && ts->face_px >= scr->min_face_px &&
                         ts->face_visible >= scr->min_face_visible &&
                         ts->canthus_visible >= FB_MIN_CANTHUS_VISIBLE &&
                         fabs(ts->yaw_deg) < scr->max_yaw_deg;
    }
}

void fb_world_subject_place(const fb_world *w, size_t k, double delay_s, fb_subject_place *p)
{
    const fb_truth_subject *ts = &w->truth[k];
    const fb_world_subject *ws = &w->subjects[ts->subject];
    const fb_walker *wk = &ws->walker;
    double clock_s = w->t_s - ws->lag_s - delay_s, d = ts->distance_m, d_prev;
    if (delay_s > 0 && !fb_walker_distance(wk, clock_s, &d))
        d = ts->distance_m; /* the delay reaches back before the walk: where they appeared */
    /* speed over the last 40 ms of the walker's own clock (0 while standing or held up) */
    const double dt = 0.04;
    if (!fb_walker_distance(wk, clock_s - dt, &d_prev))
        d_prev = d + wk->speed_mps * dt;
    p->x_m = wk->lateral_m;
    p->y_m = d;
    p->speed_mps = fmax(0.0, (d_prev - d) / dt);
    p->gait_cycles = (wk->start_distance_m - d) / fb_figure_stride_m(wk->height_m);
    p->yaw_deg = fb_walker_yaw_deg(wk, ws->generated ? clock_s : w->t_s - delay_s);
}

const char *fb_bb_truth_name(fb_bb_truth st)
{
    static const char *const names[FB_BBT_COUNT] = {"none",     "ok",    "warming", "off",
                                                    "drifting", "moved", "occluded"};
    return (unsigned)st < FB_BBT_COUNT ? names[st] : "?";
}

void fb_world_finish_blackbody(fb_world *w, uint32_t visible_px, uint32_t full_px)
{
    if (!w->sc->blackbody.enabled) {
        w->bb_visible = NAN;
        w->bb_state = FB_BBT_NONE;
        return;
    }
    const fb_blackbody *b = &w->blackbody;
    w->bb_visible = full_px ? fmin(1.0, (double)visible_px / full_px) : 0.0;
    /* The first reason that applies: where it is, whether it is seen, then how hot it is. */
    if (fb_blackbody_failing(b, FB_BB_FAIL_MOVED, w->t_s))
        w->bb_state = FB_BBT_MOVED;
    else if (w->bb_visible < FB_BB_MIN_VISIBLE)
        w->bb_state = FB_BBT_OCCLUDED;
    else if (!(fabs(w->blackbody_c - w->sc->blackbody.set_c) <= FB_BB_USABLE_TOL_C))
        w->bb_state = fb_blackbody_failing(b, FB_BB_FAIL_OFF, w->t_s)     ? FB_BBT_OFF
                      : fb_blackbody_failing(b, FB_BB_FAIL_DRIFT, w->t_s) ? FB_BBT_DRIFTING
                                                                          : FB_BBT_WARMING;
    else
        w->bb_state = FB_BBT_OK;
    bool active = false;
    for (int k = 0; k < FB_BB_FAIL_KIND_COUNT; k++)
        active = active || fb_blackbody_failing(b, (fb_bb_failure_kind)k, w->t_s);
    w->bb_fault = active || w->bb_state != FB_BBT_OK;
}

fb_truth_frame fb_world_truth(const fb_world *w)
{
    fb_truth_frame tf;
    tf.frame = w->frame;
    tf.t_s = w->t_s;
    tf.ambient_c = w->ambient_c;
    tf.blackbody_c = w->blackbody_c;
    tf.blackbody_visible = w->bb_visible;
    tf.blackbody_state = w->bb_state;
    tf.blackbody_fault = w->bb_fault;
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
