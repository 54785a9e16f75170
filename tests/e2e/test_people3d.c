/* test_people3d.c — 3D people ("people": "3d"): the head's box against the camera's projection,
 * visibility from depth (glasses over the canthus, the nose over the far canthus at yaw, a
 * nearer head), landmarks on the face, determinism, meshes let go once a person is gone, the floor's mirror images skipped only where
 * they cannot reach it, and the rendered face's regional
 * temperatures over a population against docs/sources.md (FDA study: canthus - forehead centre). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atmosphere.h"
#include "fbtest.h"
#include "scenario_text.h"
#include "world/render.h"
#include "scenario/scenario.h"
#include "world/world.h"

static char err[512];

/* One person walking from 4 m to 0.8 m at 0.8 m/s, facing the camera (the subject's extras in
 * EXTRA), a 20 °C room, no blackbody. */
#define ONE_JSON                                                                                   \
    "{\"name\": \"one\", \"seed\": 7, \"duration_s\": 5, \"camera\": \"turret-256\","               \
    " \"people\": \"3d\", \"environment\": {\"ambient\": {\"model\": \"constant\","               \
    " \"base_c\": 22}}, \"subjects\": [{\"id\": \"a\", \"enter_s\": 0, \"start_distance_m\": 4,"    \
    " \"exit_distance_m\": 0.8, \"speed_mps\": 0.8, \"lateral_m\": 0, \"height_m\": 1.75 %s}]}"

typedef struct walk {
    fb_scenario sc;
    fb_world w;
    fb_render r;
} walk;

static int open_walk(walk *wk, const char *extra)
{
    char json[2048];
    snprintf(json, sizeof json, ONE_JSON, extra);
    if (load_scenario_text(json, &wk->sc))
        return -1;
    if (fb_world_init(&wk->w, &wk->sc, err, sizeof err))
        return -1;
    return fb_render_init(&wk->r, wk->sc.camera.width, wk->sc.camera.height, wk->w.n_subjects,
                          true);
}

static void close_walk(walk *wk)
{
    fb_render_free(&wk->r);
    fb_world_free(&wk->w);
    fb_scenario_free(&wk->sc);
}

/* Renders frame n and returns the person's truth (NULL when not in the scene). */
static const fb_truth_subject *at_frame(walk *wk, uint32_t n)
{
    fb_world_step(&wk->w, n);
    CHECK_EQ_INT(fb_render_frame(&wk->r, &wk->w), 0);
    fb_world_finish_truth(&wk->w, wk->r.geo);
    return wk->w.n_truth ? &wk->w.truth[0] : NULL;
}

/* Frame at which the person stands d metres away (0.8 m/s from 4 m). */
static uint32_t frame_at(double d_m)
{
    return (uint32_t)((4.0 - d_m) / 0.8 * 25.0);
}

static void test_geometry(void)
{
    walk wk;
    CHECK(open_walk(&wk, "") == 0);
    const fb_world_subject *ws = &wk.w.subjects[0];
    for (double d = 3.0; d >= 1.5; d -= 0.5) { /* nearer, the head leaves the frame's bottom */
        const fb_truth_subject *ts = at_frame(&wk, frame_at(d));
        CHECK(ts != NULL);
        if (!ts)
            continue;
        /* The head's box is the head's breadth with hair and ears (+ up to 40 %) seen at its
         * depth: focal * width / depth (pinhole). */
        double depth = ts->distance_m * wk.w.geom.cos_t; /* ~ the head's depth along the axis */
        double expect = ws->look.head_w_m * wk.w.geom.focal_px / depth;
        CHECK(ts->face_w >= 0.9 * expect && ts->face_w <= 1.45 * expect);
        CHECK(ts->face_h >= 1.1 * ts->face_w && ts->face_h <= 1.9 * ts->face_w);
        CHECK(ts->in_view);
        CHECK(ts->face_visible > 0.97);
        /* facing the camera: both canthi, both eyes and the nose tip are seen, inside the box */
        CHECK(ts->canthus_visible >= 0.8);
        for (int i = 0; i < 2; i++) {
            CHECK(ts->canthus_seen[i]);
            CHECK(ts->canthus_u[i] > ts->face_x && ts->canthus_u[i] < ts->face_x + ts->face_w);
        }
        CHECK(ts->landmark_seen[FB_LM_EYE_LEFT] && ts->landmark_seen[FB_LM_EYE_RIGHT]);
        CHECK(ts->landmark_seen[FB_LM_NOSE]);
        if (!ts->landmark_seen[FB_LM_NOSE])
            fprintf(stderr, "nose tip not seen at %.1f m\n", d);
        CHECK(ts->canthus_u[0] < ts->canthus_u[1]);
        CHECK(ts->landmark_v[FB_LM_NOSE] > ts->landmark_v[FB_LM_EYE_LEFT]);
        CHECK(ts->landmark_v[FB_LM_MOUTH_LEFT] > ts->landmark_v[FB_LM_NOSE]);
        /* the body's box holds the face's */
        CHECK(ts->body_x <= ts->face_x && ts->body_x + ts->body_w >= ts->face_x + ts->face_w);
        CHECK(ts->body_y <= ts->face_y + 1e-9);
        CHECK(ts->screenable);
    }
    close_walk(&wk);
}

static void test_glasses(void)
{
    walk wk;
    CHECK(open_walk(&wk, ", \"glasses\": true") == 0);
    for (double d = 3.0; d >= 1.0; d -= 1.0) {
        const fb_truth_subject *ts = at_frame(&wk, frame_at(d));
        CHECK(ts && ts->canthus_visible == 0.0);
        CHECK(ts && !ts->canthus_seen[0] && !ts->canthus_seen[1]);
        CHECK(ts && !ts->screenable);
        CHECK(ts && ts->face_visible > 0.97); /* the lenses are the head's */
    }
    close_walk(&wk);
}

static void test_yaw(void)
{
    /* A turn to 70° peaking 2 s in (at 2.4 m): the nasal bridge hides the canthus on the side the
     * face turns to... the far canthus from the camera: with + yaw (face toward image right), the
     * image-right canthus turns away behind the nose. */
    walk wk;
    CHECK(open_walk(&wk, ", \"head_turn\": {\"peak_s\": 2.0, \"yaw_deg\": 70, \"duration_s\": 3}") ==
          0);
    const fb_truth_subject *ts = at_frame(&wk, 50);
    CHECK(ts != NULL);
    if (ts) {
        CHECK_NEAR(ts->yaw_deg, 70, 1e-6);
        CHECK(ts->canthus_seen[0] != ts->canthus_seen[1]);
        CHECK(!ts->screenable); /* the yaw limit */
    }
    close_walk(&wk);
}

/* The pixels' thermal lag (camera.thermal_tau_ms, 10 by default) draws a walking person where
 * they were 10 ms ago: 8 mm farther at 0.8 m/s, so the head's box is smaller by 8 mm / d. */
static void test_pixel_lag(void)
{
    walk a, b;
    CHECK(open_walk(&a, "") == 0);
    CHECK(open_walk(&b, "") == 0);
    CHECK_NEAR(a.r.delay_s, 0.0, 0.0); /* fb_render_init: none; the session sets the camera's */
    b.r.delay_s = 0.010;
    const fb_truth_subject *ta = at_frame(&a, frame_at(2.0));
    const fb_truth_subject *tb = at_frame(&b, frame_at(2.0));
    CHECK(ta && tb);
    if (ta && tb) {
        CHECK_NEAR(ta->distance_m, tb->distance_m, 0.0); /* the truth is where they are now */
        double ratio = ta->face_w / tb->face_w - 1.0, want = 0.8 * 0.010 / ta->distance_m;
        printf("pixel lag: head box %.3f px now, %.3f px as drawn 10 ms late (%.4f, expected %.4f)\n",
               ta->face_w, tb->face_w, ratio, want);
        CHECK(ratio > 0.5 * want && ratio < 1.5 * want);
    }
    close_walk(&a);
    close_walk(&b);
}

/* The lobby seen by a wide camera (lepton-160, 57°): the radiator reads its grey-body radiance
 * through the air, and a glossy floor mirrors the person standing on it (1 - emissivity of
 * their radiance instead of the room's just below their feet). */
static int lobby_frame(double floor_eps, fb_scenario *sc, fb_world *w, fb_render *r)
{
    char json[1024];
    snprintf(json, sizeof json,
             "{\"name\": \"lobby\", \"seed\": 3, \"duration_s\": 5, \"camera\": \"lepton-160\","
             " \"people\": \"3d\", \"room\": {\"preset\": \"lobby\", \"floor_emissivity\": %g},"
             " \"environment\": {\"ambient\": {\"model\": \"constant\", \"base_c\": 23}},"
             " \"subjects\": [{\"id\": \"a\", \"enter_s\": 0, \"start_distance_m\": 4.1,"
             " \"exit_distance_m\": 3.0, \"speed_mps\": 0.1, \"lateral_m\": 0.3}]}",
             floor_eps);
    if (load_scenario_text(json, sc) || fb_world_init(w, sc, err, sizeof err))
        return -1;
    if (fb_render_init(r, sc->camera.width, sc->camera.height, w->n_subjects, true))
        return -1;
    fb_world_step(w, 10);
    CHECK_EQ_INT(fb_render_frame(r, w), 0);
    fb_world_finish_truth(w, r->geo);
    return 0;
}

static void test_room(void)
{
    fb_scenario sa, sb;
    fb_world wa, wb;
    fb_render ra, rb;
    CHECK(lobby_frame(0.9, &sa, &wa, &ra) == 0);
    CHECK(lobby_frame(1.0, &sb, &wb, &rb) == 0);
    CHECK(wa.n_truth == 1);
    /* the radiator's face: x = -2.9 m, y 4..7 m, z 0.15..0.75 m */
    double u = -1, v = -1, depth = 1; /* off the image unless projected */
    CHECK(fb_camera_project(&wa.geom, -2.9, 5.5, 0.45, &u, &v, &depth));
    if (u >= 0 && v >= 0 && u < ra.width && v < ra.height) {
        double l = ra.radiance[(size_t)v * (size_t)ra.width + (size_t)u];
        double amb = fb_radiometry_radiance(wa.rad, 23 + FB_KELVIN_OFFSET);
        double want = 0.95 * fb_radiometry_radiance(wa.rad, 55 + FB_KELVIN_OFFSET) + 0.05 * amb;
        double tau = fb_atmosphere_transmission(depth, 23, sa.rh_percent);
        want = tau * want + (1 - tau) * amb;
        CHECK_NEAR(l / want, 1.0, 0.01);
    } else {
        CHECK(0); /* the radiator must be in a 57° camera's view */
    }
    /* just in front of a foot (the right leg at x = 0.3 + 0.09 m, a few cm nearer the camera
     * than the person): warmer with the glossy floor (the trouser leg mirrored in it) */
    const fb_truth_subject *ts = &wa.truth[0];
    double fu = -1, fv = -1; /* off the image unless projected */
    CHECK(fb_camera_project(&wa.geom, 0.39, ts->distance_m - 0.06, 0.0, &fu, &fv, NULL));
    int fx = (int)fu, fy = (int)fv + 2;
    CHECK(fy < ra.height && fx >= 0 && fx < ra.width);
    if (fy < ra.height && fx >= 0 && fx < ra.width) {
        double best = -1;
        for (int y = fy; y < fy + 6 && y < ra.height; y++) {
            double la = ra.radiance[(size_t)y * (size_t)ra.width + (size_t)fx];
            double lb = rb.radiance[(size_t)y * (size_t)rb.width + (size_t)fx];
            double d = fb_radiometry_temperature(wa.rad, la) - fb_radiometry_temperature(wb.rad, lb);
            best = d > best ? d : best;
        }
        printf("floor in front of the foot: up to %.2f K warmer with emissivity 0.9 than 1.0\n", best);
        CHECK(best > 0.15 && best < 1.5);
    }
    fb_render_free(&ra);
    fb_render_free(&rb);
    fb_world_free(&wa);
    fb_world_free(&wb);
    fb_scenario_free(&sa);
    fb_scenario_free(&sb);
}

/* The mirror images that cannot reach the floor's samples are skipped (sim/world/render.c,
 * mirror_may_touch_floor): four people 1.5 to 9 m away on a glossy floor, frames over their
 * walk drawn with the cull and without it are the same to the bit, and the cull both skipped and
 * kept meshes (neither side of the comparison is empty). */
static void test_mirror_cull(void)
{
    const char *json =
        "{\"name\": \"mirrors\", \"seed\": 5, \"duration_s\": 4, \"camera\": \"turret-256\","
        " \"people\": \"3d\", \"room\": {\"preset\": \"lobby\", \"floor_emissivity\": 0.85},"
        " \"environment\": {\"ambient\": {\"model\": \"constant\", \"base_c\": 22}}, \"subjects\": ["
        "{\"id\": \"a\", \"enter_s\": 0, \"start_distance_m\": 3, \"exit_distance_m\": 0.8,"
        " \"speed_mps\": 0.8, \"lateral_m\": 0.2},"
        "{\"id\": \"b\", \"enter_s\": 0, \"start_distance_m\": 6, \"exit_distance_m\": 1,"
        " \"speed_mps\": 1.2, \"lateral_m\": -0.6},"
        "{\"id\": \"c\", \"enter_s\": 0, \"start_distance_m\": 9, \"exit_distance_m\": 1,"
        " \"speed_mps\": 1.0, \"lateral_m\": 1.0},"
        "{\"id\": \"d\", \"enter_s\": 0, \"start_distance_m\": 7, \"exit_distance_m\": 1,"
        " \"speed_mps\": 0.5, \"lateral_m\": -1.5}]}";
    fb_scenario sa, sb;
    fb_world wa, wb;
    fb_render ra, rb;
    CHECK(load_scenario_text(json, &sa) == 0 && load_scenario_text(json, &sb) == 0);
    CHECK(fb_world_init(&wa, &sa, err, sizeof err) == 0);
    CHECK(fb_world_init(&wb, &sb, err, sizeof err) == 0);
    CHECK(fb_render_init(&ra, sa.camera.width, sa.camera.height, wa.n_subjects, true) == 0);
    CHECK(fb_render_init(&rb, sb.camera.width, sb.camera.height, wb.n_subjects, true) == 0);
    rb.mirror_cull_off = true;
    size_t npx = (size_t)sa.camera.width * (size_t)sa.camera.height;
    int same = 0, frames = 0;
    for (uint32_t n = 0; n < 100; n += 7, frames++) {
        fb_world_step(&wa, n);
        fb_world_step(&wb, n);
        CHECK_EQ_INT(fb_render_frame(&ra, &wa), 0);
        CHECK_EQ_INT(fb_render_frame(&rb, &wb), 0);
        same += memcmp(ra.radiance, rb.radiance, npx * sizeof(float)) == 0;
    }
    CHECK(ra.floor_in_view && ra.floor_reflect > 0.1f);
    CHECK_EQ_INT(same, frames);
    printf("mirror images: %llu of %llu skipped, %d of %d frames the same without the cull\n",
           (unsigned long long)ra.stats.mirrors_culled, (unsigned long long)ra.stats.mirrors, same,
           frames);
    CHECK(ra.stats.mirrors_culled > 0 && ra.stats.mirrors_culled < ra.stats.mirrors);
    CHECK(rb.stats.mirrors_culled == 0 && rb.stats.mirrors == ra.stats.mirrors);
    fb_render_free(&ra);
    fb_render_free(&rb);
    fb_world_free(&wa);
    fb_world_free(&wb);
    fb_scenario_free(&sa);
    fb_scenario_free(&sb);
}

static void test_determinism(void)
{
    walk a, b;
    CHECK(open_walk(&a, "") == 0);
    CHECK(open_walk(&b, "") == 0);
    size_t npx = (size_t)a.sc.camera.width * (size_t)a.sc.camera.height;
    /* b renders frames out of order first: the figures' lazily built meshes must not matter */
    at_frame(&b, 80);
    at_frame(&b, 10);
    for (uint32_t n = 0; n < 100; n += 33) {
        at_frame(&a, n);
        at_frame(&b, n);
        CHECK(memcmp(a.r.radiance, b.r.radiance, npx * sizeof(float)) == 0);
    }
    close_walk(&a);
    close_walk(&b);
}

/* A person 1.9 m away facing the camera in a 24.1 °C room (the FDA study's mean): the apparent
 * temperature at the hotter inner canthus and at the forehead centre (~5 cm above the eyes' line)
 * for 80 different people. docs/sources.md: canthus - forehead centre = 1.28 +/- 0.59 °C. And the
 * face's cooler regions: the cheek (4 cm below the eyes' line, under the pupil) about 2 °C under
 * the forehead (Ariyaratnam & Rood 1990: forehead ~34, cheeks ~32 °C), the nose tip cooler still
 * (the face's coolest and most variable region). */
static double surface_c(const fb_world *w, const fb_render *r, double u, double v)
{
    double l = r->radiance[(size_t)v * (size_t)r->width + (size_t)u];
    double lamb = fb_radiometry_radiance(w->rad, 24.1 + FB_KELVIN_OFFSET);
    /* apparent (emissivity 0.98, room reflected) -> surface temperature */
    return fb_radiometry_temperature(w->rad, (l - 0.02 * lamb) / 0.98) - FB_KELVIN_OFFSET;
}

static void test_population_forehead(void)
{
    int n = 0;
    double sum = 0, sum2 = 0, sum_canthus_err = 0, sum_cheek = 0, sum_nose = 0;
    for (int seed = 1; seed <= 80; seed++) {
        char json[1024];
        snprintf(json, sizeof json,
                 "{\"name\": \"p\", \"seed\": %d, \"duration_s\": 2, \"camera\": \"core-640\","
                 " \"people\": \"3d\", \"environment\": {\"ambient\": {\"model\": \"constant\","
                 " \"base_c\": 24.1}}, \"subjects\": [{\"id\": \"a\", \"enter_s\": 0,"
                 " \"start_distance_m\": 2.0, \"exit_distance_m\": 0.5, \"speed_mps\": 0.1,"
                 " \"lateral_m\": 0, \"height_m\": 1.72}]}",
                 seed);
        fb_scenario sc;
        fb_world w;
        fb_render r;
        if (load_scenario_text(json, &sc) || fb_world_init(&w, &sc, err, sizeof err))
            continue;
        if (fb_render_init(&r, sc.camera.width, sc.camera.height, w.n_subjects, true) == 0) {
            fb_world_step(&w, 25);
            CHECK_EQ_INT(fb_render_frame(&r, &w), 0);
            fb_world_finish_truth(&w, r.geo);
            const fb_truth_subject *ts = w.n_truth ? &w.truth[0] : NULL;
            const fb_world_subject *ws = ts ? &w.subjects[ts->subject] : NULL;
            if (ts && ts->canthus_visible > 0.5 && ws->look.hairline_m > 0.0) {
                int hot = ws->canthus_max_right ? 1 : 0;
                double eu = (ts->landmark_u[0] + ts->landmark_u[1]) / 2;
                double ev = (ts->landmark_v[0] + ts->landmark_v[1]) / 2;
                double eye_px = ts->landmark_u[1] - ts->landmark_u[0]; /* ~63 mm */
                double fu = eu, fv = ev - eye_px * 0.045 / 0.063;
                double tc = surface_c(&w, &r, ts->canthus_u[hot], ts->canthus_v[hot]);
                double tf = surface_c(&w, &r, fu, fv);
                /* both cheeks under the pupils, 4 cm below the eyes' line; the nose tip */
                double cv = ev + eye_px * 0.040 / 0.063;
                double tch = 0.5 * (surface_c(&w, &r, ts->landmark_u[0], cv) +
                                    surface_c(&w, &r, ts->landmark_u[1], cv));
                double tn = surface_c(&w, &r, ts->landmark_u[FB_LM_NOSE],
                                      ts->landmark_v[FB_LM_NOSE]);
                double diff = tc - tf;
                sum += diff;
                sum2 += diff * diff;
                sum_canthus_err += tc - ts->canthus_c;
                sum_cheek += tf - tch;
                sum_nose += tch - tn;
                n++;
            }
            fb_render_free(&r);
        }
        fb_world_free(&w);
        fb_scenario_free(&sc);
    }
    CHECK(n >= 60);
    if (n > 1) {
        double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
        printf("canthus - forehead centre over %d people: %.2f +/- %.2f °C (docs/sources.md 1.28 +/- 0.59); "
               "canthus pixel - truth %.3f °C\n",
               n, mean, sd, sum_canthus_err / n);
        printf("forehead centre - cheeks %.2f °C (~2, Ariyaratnam & Rood 1990); cheeks - nose tip "
               "%.2f °C\n", sum_cheek / n, sum_nose / n);
        CHECK(sum_cheek / n > 1.0 && sum_cheek / n < 3.0);
        CHECK(sum_nose / n > 0.5);
        CHECK_NEAR(mean, 1.28, 0.30);
        CHECK(sd > 0.35 && sd < 0.85);
        /* the canthus pixel reads the truth within the pixel's averaging (size of source) */
        CHECK(sum_canthus_err / n < 0.05 && sum_canthus_err / n > -0.6);
    }
}

/* A person gone past the camera lets go of their meshes (a long run's memory stays flat); going
 * back to a frame they were in builds them again and draws the same frame. */
static void test_release(void)
{
    walk wk;
    CHECK(open_walk(&wk, "") == 0);
    const size_t npx = (size_t)wk.sc.camera.width * (size_t)wk.sc.camera.height;
    float *first = malloc(npx * sizeof(float));
    CHECK(first != NULL);
    const fb_truth_subject *ts = at_frame(&wk, 60);
    CHECK(ts != NULL);
    memcpy(first, wk.r.radiance, npx * sizeof(float));
    int built = 0;
    for (int l = 0; l < FB_FIG_LODS; l++)
        built += wk.w.subjects[0].fig.lod[l] != NULL;
    CHECK(built >= 1);
    CHECK(at_frame(&wk, 120) == NULL); /* 4 m to 0.8 m at 0.8 m/s: gone after frame 100 */
    for (int l = 0; l < FB_FIG_LODS; l++)
        CHECK(wk.w.subjects[0].fig.lod[l] == NULL);
    CHECK(at_frame(&wk, 60) != NULL);
    CHECK(memcmp(first, wk.r.radiance, npx * sizeof(float)) == 0);
    free(first);
    close_walk(&wk);
}

int main(void)
{
    test_geometry();
    test_glasses();
    test_yaw();
    test_determinism();
    test_pixel_lag();
    test_room();
    test_mirror_cull();
    test_population_forehead();
    test_release();
    return FBTEST_END();
}
