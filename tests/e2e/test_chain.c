/* test_chain.c — render -> sensor -> front-end against independent radiometry: what a pixel reads. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "atmosphere.h"
#include "scenario/catalog.h"
#include "fbtest.h"
#include "radiometry.h"
#include "run/run.h"
#include "world/world.h"

/* Blackbody-equivalent temperature (°C) of a grey surface, from the exact Planck integral. */
static double apparent_c(double emissivity, double temp_c, double reflected_c)
{
    double l = emissivity * fb_band_radiance_exact(temp_c + FB_KELVIN_OFFSET, FB_BAND_LO_M, FB_BAND_HI_M) +
               (1 - emissivity) * fb_band_radiance_exact(reflected_c + FB_KELVIN_OFFSET,
                                                         FB_BAND_LO_M, FB_BAND_HI_M);
    return fb_band_temperature_exact(l) - FB_KELVIN_OFFSET;
}

/* The same surface seen through distance_m of the scenario's air (models/atmosphere.h, checked
 * against hand values in tests/models/test_atmosphere.c): tau L + (1 - tau) L(air). */
static double through_air_c(double emissivity, double temp_c, double air_c, double rh_percent,
                            double distance_m)
{
    double tau = fb_atmosphere_transmission(distance_m, air_c, rh_percent);
    double l_air = fb_band_radiance_exact(air_c + FB_KELVIN_OFFSET, FB_BAND_LO_M, FB_BAND_HI_M);
    double l = fb_band_radiance_exact(apparent_c(emissivity, temp_c, air_c) + FB_KELVIN_OFFSET,
                                      FB_BAND_LO_M, FB_BAND_HI_M);
    return fb_band_temperature_exact(fb_atmosphere_apply(tau, l, l_air)) - FB_KELVIN_OFFSET;
}

static double mean_box(const uint16_t *ck, int width, int x0, int y0, int w, int h)
{
    double sum = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            sum += ck[y * width + x];
    return sum / (w * h) / 100.0 - FB_KELVIN_OFFSET;
}

static double max_box(const uint16_t *ck, int width, double fx, double fy, double fw, double fh)
{
    int m = 0;
    for (int y = (int)fmax(0, fy); y < (int)fmin(192, fy + fh); y++)
        for (int x = (int)fmax(0, fx); x < (int)fmin(width, fx + fw); x++)
            if (ck[y * width + x] > m)
                m = ck[y * width + x];
    return m / 100.0 - FB_KELVIN_OFFSET;
}

/* Opens single-slow with an ideal or real camera and steps to frame n. */
static fb_session *open_at(fb_scenario *sc, uint32_t n)
{
    char err[512];
    fb_session *s;
    fb_run_opts o = {0};
    if (fb_session_open(&s, sc, &o, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    while (fb_session_frames_done(s) <= n && fb_session_step(s) > 0)
        ;
    return s;
}

int main(void)
{
    char err[512];
    fb_scenario sc;
    CHECK(fb_catalog_load("single-slow", &sc, err, sizeof(err)) == 0);
    /* The flat template before a uniform wall (3D people stand in a room whose floor and ceiling
     * differ from the air), seen by an ideal camera: no drift, no fixed pattern, 1 mK noise,
     * constant 23 °C room. */
    sc.people_3d = false;
    sc.camera.drift_sd_c = 0;
    sc.camera.fpn_sd_mk = 0;
    sc.camera.netd_mk = 1;
    sc.blackbody.instability_c = 0;
    /* ... no camera-temperature effects, bad pixels or lens blur (sigma 0.02 px: none) */
    sc.camera.fpa_offset_k_per_k = 0;
    sc.camera.ffc_offset_k_per_k = 0;
    sc.camera.responsivity_tc_per_k = 0;
    sc.camera.fpn_growth_mk_per_min = 0;
    sc.camera.dead_pixel_share = 0;
    sc.camera.noisy_pixel_share = 0;
    sc.camera.pixel_pitch_um = 100;
    sc.camera.f_number = 0.5;
    sc.camera.lens_blur_um = 0;
    sc.camera.corner_illumination = 1; /* ... no vignetting, no pixel lag */
    sc.camera.thermal_tau_ms = 0;
    sc.ambient.kind = FB_AMBIENT_CONSTANT;
    sc.ambient.base_c = 23.0;

    fb_session *s = open_at(&sc, 0);
    CHECK(s != NULL);
    if (!s)
        return FBTEST_END();
    const uint16_t *ck = fb_session_frame_ck(s);
    int w = sc.camera.width;
    /* The wall (emissivity 0.95 reflecting the room) reads the room temperature. */
    CHECK_NEAR(mean_box(ck, w, 10, 10, 20, 20), 23.0, 0.02);
    /* The blackbody's centre reads its apparent temperature: 0.98 emissivity at 35 °C
     * reflecting a 23 °C room, computed independently from Planck's law, seen through the air
     * over its distance. */
    double bb_surface = apparent_c(0.98, 35.0, 23.0);
    CHECK(bb_surface < 35.0 && bb_surface > 34.7);
    fb_camera_geom g;
    fb_camera_geom_init(&g, w, sc.camera.height, sc.camera.hfov_deg, sc.camera_height_m,
                        sc.camera_tilt_deg);
    double u = 0, v = 0, depth = 1; /* (when the projection fails, the CHECK says so) */
    CHECK(fb_camera_project(&g, sc.blackbody.x_m, sc.blackbody.y_m, sc.blackbody.z_m, &u, &v, &depth));
    double bb_app = through_air_c(0.98, 35.0, 23.0, sc.rh_percent, depth);
    CHECK(bb_app < bb_surface - 0.05); /* ~2.8 m of air at 40 % RH: about 0.1 °C */
    CHECK_NEAR(mean_box(ck, w, (int)u - 2, (int)v - 2, 4, 4), bb_app, 0.02);
    /* The source is aperture * focal / depth pixels wide: its edge is at that distance. */
    double half = sc.blackbody.aperture_m / 2 * g.focal_px / depth;
    CHECK_NEAR(mean_box(ck, w, (int)(u + half + 2), (int)v - 2, 2, 4), 23.0, 0.05);
    fb_session_close(s);

    /* The walker at ~1.6 m: the canthus spans ~4 px, so the face's hottest pixel reads its
     * apparent temperature; at ~7 m (1 px) the size-of-source effect makes it read lower. */
    double near_max = 0, near_true = 0, far_max = 0, far_true = 0;
    for (int pass = 0; pass < 2; pass++) {
        double dist = pass == 0 ? 1.6 : 7.0;
        /* enter 0.5 s at 8 m, 0.6 m/s: distance d at t = 0.5 + (8 - d) / 0.6 */
        uint32_t frame = (uint32_t)lround((0.5 + (8.0 - dist) / 0.6) * sc.camera.fps);
        s = open_at(&sc, frame);
        CHECK(s != NULL);
        if (!s)
            break;
        const fb_world *wd = fb_session_world(s);
        CHECK_EQ_INT(wd->n_truth, 1);
        const fb_truth_subject *ts = &wd->truth[0];
        CHECK_NEAR(ts->distance_m, dist, 0.03);
        double truth_app = through_air_c(0.98, ts->canthus_c, 23.0, sc.rh_percent, ts->distance_m);
        double m = max_box(fb_session_frame_ck(s), w, ts->face_x, ts->face_y, ts->face_w, ts->face_h);
        if (pass == 0) {
            near_max = m;
            near_true = truth_app;
        } else {
            far_max = m;
            far_true = truth_app;
        }
        fb_session_close(s);
    }
    CHECK_NEAR(near_max, near_true, 0.03);
    CHECK(far_max < far_true - 0.1);
    printf("canthus apparent %.3f: reads %.3f at 1.6 m, %.3f at 7 m\n", near_true, near_max, far_max);
    (void)far_true;
    fb_scenario_free(&sc);
    return FBTEST_END();
}
