/* test_scenario_good.c — valid scenarios load with every field as written, defaults as
 * documented in docs/scenario.md, camera profiles resolved (beside the file, embedded, inline). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "fb_error.h"
#include "fbtest.h"
#include "scenario/scenario.h"
#include "scenario/embedded.h"

#define GOOD FB_SOURCE_DIR "/tests/scenario/good/"

static char err[1024];

static void test_full(void)
{
    fb_scenario s;
    int rc = fb_scenario_load(GOOD "full.json", &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(strcmp(s.name, "full-0-test") == 0);
    CHECK(strcmp(s.description, "Every key set to a value other than its default") == 0);
    CHECK(strcmp(s.source, GOOD "full.json") == 0);
    CHECK(s.hash != 0);
    CHECK(s.seed == 4242);
    CHECK_NEAR(s.duration_s, 300, 0);
    /* camera: turret-384 from the embedded profiles (no
     * tests/scenario/good/cameras/turret-384.json) */
    CHECK(strcmp(s.camera.name, "turret-384") == 0);
    CHECK_STR_CONTAINS(s.camera.description, "Hikvision");
    CHECK_EQ_INT(s.camera.width, 384);
    CHECK_EQ_INT(s.camera.height, 288);
    CHECK_NEAR(s.camera.hfov_deg, 24, 0);
    CHECK_NEAR(s.camera.fps, 25, 0);
    CHECK_NEAR(s.camera.netd_mk, 40, 0);
    CHECK_NEAR(s.camera.counts_per_k, 40, 0);
    CHECK_NEAR(s.camera.reference_c, 25, 0);
    CHECK_NEAR(s.camera.fpn_sd_mk, 20, 0);
    CHECK_NEAR(s.camera.drift_sd_c, 0.3, 0);
    CHECK_NEAR(s.camera.drift_tau_s, 900, 0);
    CHECK_NEAR(s.camera.pixel_pitch_um, 17, 0);
    CHECK_NEAR(s.camera.f_number, 1.0, 0);
    CHECK_NEAR(s.camera.fpa_offset_k_per_k, 0.07, 0);
    CHECK_EQ_INT(s.camera.ffc_frames, 12);
    CHECK_NEAR(s.camera_power_on_s, 120, 0);
    CHECK_NEAR(s.rh_percent, 65, 0);
    CHECK_NEAR(s.camera_height_m, 2.5, 0);
    CHECK_NEAR(s.camera_tilt_deg, -3.5, 0);
    CHECK_EQ_INT(s.ambient.kind, FB_AMBIENT_RANDOM_WALK);
    CHECK_NEAR(s.ambient.base_c, 21.5, 0);
    CHECK_NEAR(s.ambient.sd_c, 0.4, 0);
    CHECK_NEAR(s.ambient.tau_s, 600, 0);
    CHECK_NEAR(s.ambient.rate_c_per_h, 0, 0);
    CHECK_NEAR(s.ambient.amplitude_c, 0, 0);
    CHECK_NEAR(s.ambient.period_s, 0, 0);
    CHECK(s.blackbody.enabled);
    CHECK_NEAR(s.blackbody.set_c, 36.5, 0);
    CHECK_NEAR(s.blackbody.emissivity, 0.97, 0);
    CHECK_NEAR(s.blackbody.x_m, -0.6, 0);
    CHECK_NEAR(s.blackbody.y_m, 3.1, 0);
    CHECK_NEAR(s.blackbody.z_m, 1.6, 0);
    CHECK_NEAR(s.blackbody.aperture_m, 0.1, 0);
    CHECK_NEAR(s.blackbody.instability_c, 0.05, 0);
    CHECK_NEAR(s.blackbody.instability_tau_s, 45, 0);
    CHECK(s.blackbody.cold_start);
    CHECK_NEAR(s.blackbody.heat_rate_c_per_min, 1.5, 0);
    CHECK_NEAR(s.blackbody.cool_tau_s, 900, 0);
    CHECK_EQ_INT(s.blackbody.n_failures, 4);
    CHECK(s.blackbody.failures[0].kind == FB_BB_FAIL_OFF);
    CHECK_NEAR(s.blackbody.failures[0].at_s, 10, 0);
    CHECK_NEAR(s.blackbody.failures[0].until_s, 20, 0);
    CHECK(s.blackbody.failures[1].kind == FB_BB_FAIL_DRIFT);
    CHECK_NEAR(s.blackbody.failures[1].rate_c_per_min, -0.5, 0);
    CHECK(isinf(s.blackbody.failures[1].until_s));
    CHECK(s.blackbody.failures[2].kind == FB_BB_FAIL_MOVED);
    CHECK_NEAR(s.blackbody.failures[2].offset_m[0], 0.3, 0);
    CHECK_NEAR(s.blackbody.failures[2].offset_m[1], -0.2, 0);
    CHECK_NEAR(s.blackbody.failures[2].offset_m[2], 0.05, 0);
    CHECK(s.blackbody.failures[3].kind == FB_BB_FAIL_OCCLUDED);
    CHECK_NEAR(s.blackbody.failures[3].at_s, 50.5, 0);
    const fb_physiology_params *p = &s.physiology;
    CHECK_NEAR(p->afebrile_core_mean_c, 36.7, 0);
    CHECK_NEAR(p->afebrile_core_sd_c, 0.3, 0);
    CHECK_NEAR(p->afebrile_core_max_c, 37.4, 0);
    CHECK_NEAR(p->febrile_core_mean_c, 38.6, 0);
    CHECK_NEAR(p->febrile_core_sd_c, 0.5, 0);
    CHECK_NEAR(p->febrile_core_min_c, 37.6, 0);
    CHECK_NEAR(p->febrile_core_max_c, 40.5, 0);
    CHECK_NEAR(p->canthus_offset_mean_c, 1.1, 0);
    CHECK_NEAR(p->canthus_offset_sd_c, 0.3, 0);
    CHECK_NEAR(p->forehead_offset_mean_c, 1.4, 0);
    CHECK_NEAR(p->forehead_offset_sd_c, 0.5, 0);
    CHECK_NEAR(p->canthus_lr_sd_c, 0.2, 0);
    CHECK_NEAR(p->ambient_slope, 0.12, 0);
    CHECK_NEAR(p->ambient_ref_c, 23.5, 0);
    CHECK_EQ_INT(s.n_subjects, 3);
    if (s.n_subjects == 3) {
        const fb_subject_spec *a = &s.subjects[0], *b = &s.subjects[1], *c = &s.subjects[2];
        CHECK(strcmp(a->id, "a") == 0);
        CHECK_NEAR(a->enter_s, 0, 0);
        CHECK_NEAR(a->start_distance_m, 9, 0);
        CHECK_NEAR(a->exit_distance_m, 0.6, 0);
        CHECK_NEAR(a->speed_mps, 1.1, 0);
        CHECK_NEAR(a->lateral_m, -0.2, 0);
        CHECK_NEAR(a->height_m, 1.65, 0);
        CHECK(a->has_core);
        CHECK_NEAR(a->core_c, 38.2, 0);
        CHECK(!a->febrile_draw);
        CHECK(a->has_canthus_offset);
        CHECK_NEAR(a->canthus_offset_c, 1.3, 0);
        CHECK(strcmp(b->id, "b.2") == 0);
        CHECK_NEAR(b->enter_s, 12.5, 0);
        CHECK(!b->has_core);
        CHECK(b->febrile_draw);
        CHECK(!b->has_canthus_offset);
        /* unset subject keys: the population's typical person (its means) */
        CHECK_NEAR(b->start_distance_m, 7, 0);
        CHECK_NEAR(b->exit_distance_m, 0.9, 0);
        CHECK_NEAR(b->speed_mps, 1.2, 0);
        CHECK_NEAR(b->lateral_m, 0.1, 0);
        CHECK_NEAR(b->height_m, 1.7, 0);
        CHECK(strcmp(c->id, "s2") == 0); /* default id: "s" + index */
        CHECK_NEAR(c->enter_s, 30, 0);
        CHECK(!c->febrile_draw && !c->has_core);
    }
    const fb_population_spec *pop = &s.population;
    CHECK(pop->enabled);
    CHECK_NEAR(pop->arrival_rate_per_min, 15, 0);
    CHECK_NEAR(pop->start_s, 10, 0);
    CHECK_NEAR(pop->end_s, 250, 0);
    CHECK_NEAR(pop->fever_share, 0.1, 0);
    CHECK_NEAR(pop->speed_mps.mean, 1.2, 0);
    CHECK_NEAR(pop->speed_mps.sd, 0.2, 0);
    CHECK_NEAR(pop->speed_mps.min, 0.7, 0);
    CHECK_NEAR(pop->speed_mps.max, 1.9, 0);
    CHECK_NEAR(pop->lateral_m.mean, 0.1, 0);
    CHECK_NEAR(pop->lateral_m.sd, 0.1, 0);
    CHECK_NEAR(pop->lateral_m.min, 0.1 - 3 * 0.1, 1e-12); /* default cut: mean -/+ 3 sd */
    CHECK_NEAR(pop->lateral_m.max, 0.1 + 3 * 0.1, 1e-12);
    CHECK_NEAR(pop->height_m.mean, 1.7, 0);
    CHECK_NEAR(pop->height_m.sd, 0.08, 0);
    CHECK_NEAR(pop->height_m.min, 1.45, 0);
    CHECK_NEAR(pop->height_m.max, 2.0, 0);
    CHECK_NEAR(pop->start_distance_m, 7, 0);
    CHECK_NEAR(pop->exit_distance_m, 0.9, 0);
    CHECK_EQ_INT(pop->max_subjects, 500);
    CHECK_NEAR(s.screening.min_distance_m, 0.8, 0);
    CHECK_NEAR(s.screening.max_distance_m, 3.0, 0);
    CHECK_NEAR(s.screening.min_face_px, 24, 0);
    CHECK_NEAR(s.screening.min_face_visible, 0.7, 0);
    CHECK_NEAR(s.screening.fever_threshold_c, 38.0, 0);
    CHECK(strcmp(s.dut.spec, "exec:./my-firmware --flag") == 0);
    CHECK_NEAR(s.dut.alarm_threshold_c, 37.8, 0);
    CHECK_NEAR(s.dut.body_offset_c, 1.3, 0);
    CHECK_NEAR(s.dut.frame_timeout_s, 2.5, 0);
    CHECK_NEAR(s.dut.handshake_timeout_s, 3, 0);
    CHECK_EQ_INT(s.dut.pacing, 1); /* realtime */
    static const double limits[FB_CRIT_COUNT] = {
        [FB_CRIT_DETECTION_RATE] = 0.9,  [FB_CRIT_LATENCY_MEAN] = 0.5,
        [FB_CRIT_LATENCY_P95] = 1.2,     [FB_CRIT_SKIN_MAE] = 0.3,
        [FB_CRIT_SKIN_BIAS] = 0.2,       [FB_CRIT_SKIN_WITHIN_03] = 0.8,
        [FB_CRIT_SKIN_WITHIN_05] = 0.95, [FB_CRIT_BODY_MAE] = 0.4,
        [FB_CRIT_SENSITIVITY] = 0.85,    [FB_CRIT_SPECIFICITY] = 0.9,
        [FB_CRIT_AUC] = 0.8,             [FB_CRIT_UNMATCHED] = 3,
        [FB_CRIT_AFEBRILE_ALARMS] = 2,   [FB_CRIT_FALSE_ALARMS] = 1,
        [FB_CRIT_THROUGHPUT] = 10,       [FB_CRIT_DUT_FAULTS] = 0,
        [FB_CRIT_AUDIT_CLEAN] = 1,       [FB_CRIT_EGRESS_ATTEMPTS] = 0,
        [FB_CRIT_SANDBOX_VIOLATIONS] = 2, [FB_CRIT_BB_DETECTION] = 1,
        [FB_CRIT_BB_LATENCY] = 2,        [FB_CRIT_BB_RECOVERY] = 30,
        [FB_CRIT_BB_FALSE_LOST] = 0,     [FB_CRIT_BB_FALSE_OK] = 1};
    for (int i = 0; i < FB_CRIT_COUNT; i++) {
        CHECK(s.criteria[i].set);
        CHECK_NEAR(s.criteria[i].limit, limits[i], 0);
    }
    fb_scenario_free(&s);
    CHECK(s.subjects == NULL && s.n_subjects == 0);
}

/* Every default, as docs/scenario.md lists them. */
static void test_minimal_defaults(void)
{
    fb_scenario s;
    int rc = fb_scenario_load(GOOD "minimal.json", &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(strcmp(s.name, "minimal") == 0);
    CHECK(s.description[0] == '\0');
    CHECK(s.seed == 1);
    CHECK_NEAR(s.duration_s, 60, 0);
    CHECK(strcmp(s.camera.name, "turret-256") == 0);
    CHECK_EQ_INT(s.camera.width, 256);
    CHECK_EQ_INT(s.camera.height, 192);
    CHECK_NEAR(s.camera.hfov_deg, 24.75, 0);
    CHECK_NEAR(s.camera.fps, 25, 0);
    CHECK_NEAR(s.camera.netd_mk, 50, 0);
    CHECK_NEAR(s.camera.counts_per_k, 40, 0);
    CHECK_NEAR(s.camera.reference_c, 25, 0);
    CHECK_NEAR(s.camera.fpn_sd_mk, 20, 0);
    CHECK_NEAR(s.camera.drift_sd_c, 0.3, 0);
    CHECK_NEAR(s.camera.drift_tau_s, 900, 0);
    /* the turret-256's sensor model (docs/scenario.md: docs/sources.md and assumed values) */
    CHECK_NEAR(s.camera.pixel_pitch_um, 12, 0);
    CHECK_NEAR(s.camera.f_number, 1.1, 0);
    CHECK_NEAR(s.camera.lens_blur_um, 3, 0);
    CHECK_NEAR(s.camera.fpa_rise_k, 10, 0);
    CHECK_NEAR(s.camera.fpa_tau_s, 1200, 0);
    CHECK_NEAR(s.camera.responsivity_tc_per_k, -0.002, 0);
    CHECK_NEAR(s.camera.fpa_offset_k_per_k, 0.1, 0);
    CHECK_NEAR(s.camera.ffc_offset_k_per_k, 0.15, 0);
    CHECK_NEAR(s.camera.ffc_period_s, 300, 0);
    CHECK_NEAR(s.camera.ffc_delta_k, 3, 0);
    CHECK_EQ_INT(s.camera.ffc_frames, 12);
    CHECK_NEAR(s.camera.fpn_growth_mk_per_min, 5, 0);
    CHECK_NEAR(s.camera.dead_pixel_share, 0.0005, 0);
    CHECK_NEAR(s.camera.noisy_pixel_share, 0.0002, 0);
    CHECK_NEAR(s.camera_power_on_s, 3600, 0); /* default: warmed up */
    CHECK_NEAR(s.rh_percent, 40, 0);
    CHECK_NEAR(s.camera_height_m, 2.0, 0);
    CHECK_NEAR(s.camera_tilt_deg, 8.0, 0);
    CHECK_EQ_INT(s.ambient.kind, FB_AMBIENT_CONSTANT);
    CHECK_NEAR(s.ambient.base_c, 23.0, 0);
    CHECK(!s.blackbody.enabled);
    CHECK_NEAR(s.blackbody.set_c, 35, 0);
    CHECK_NEAR(s.blackbody.emissivity, 0.98, 0);
    CHECK_NEAR(s.blackbody.aperture_m, 0.07, 0);
    CHECK_NEAR(s.blackbody.instability_c, 0.02, 0);
    CHECK_NEAR(s.blackbody.instability_tau_s, 30, 0);
    const fb_physiology_params *p = &s.physiology;
    CHECK_NEAR(p->afebrile_core_mean_c, 36.89, 0);
    CHECK_NEAR(p->afebrile_core_sd_c, 0.28, 0);
    CHECK_NEAR(p->afebrile_core_max_c, 37.49, 0);
    CHECK_NEAR(p->febrile_core_mean_c, 38.3, 0);
    CHECK_NEAR(p->febrile_core_sd_c, 0.6, 0);
    CHECK_NEAR(p->febrile_core_min_c, 37.5, 0);
    CHECK_NEAR(p->febrile_core_max_c, 41.0, 0);
    CHECK_NEAR(p->canthus_offset_mean_c, 1.24, 0);
    CHECK_NEAR(p->canthus_offset_sd_c, 0.34, 0);
    CHECK_NEAR(p->canthus_lr_sd_c, 0.28, 0);
    CHECK_NEAR(p->forehead_offset_mean_c, 1.28, 0);
    CHECK_NEAR(p->forehead_offset_sd_c, 0.59, 0);
    CHECK_NEAR(p->ambient_slope, 0.115, 0);
    CHECK_NEAR(p->ambient_ref_c, 24.1, 0);
    CHECK_EQ_INT(s.n_subjects, 1);
    if (s.n_subjects == 1) {
        const fb_subject_spec *a = &s.subjects[0];
        CHECK(strcmp(a->id, "s0") == 0);
        CHECK_NEAR(a->enter_s, 1, 0);
        CHECK_NEAR(a->start_distance_m, 8, 0);
        CHECK_NEAR(a->exit_distance_m, 0.8, 0);
        CHECK_NEAR(a->speed_mps, 1.31, 0);
        CHECK_NEAR(a->lateral_m, 0, 0);
        CHECK_NEAR(a->height_m, 1.72, 0);
        CHECK(!a->has_core && !a->febrile_draw && !a->has_canthus_offset);
    }
    const fb_population_spec *pop = &s.population;
    CHECK(!pop->enabled);
    CHECK_NEAR(pop->arrival_rate_per_min, 20, 0);
    CHECK_NEAR(pop->start_s, 0, 0);
    CHECK_NEAR(pop->end_s, 0, 0);
    CHECK_NEAR(pop->fever_share, 0.05, 0);
    CHECK_NEAR(pop->speed_mps.mean, 1.31, 0);
    CHECK_NEAR(pop->speed_mps.sd, 0.15, 0);
    CHECK_NEAR(pop->speed_mps.min, 0.8, 0);
    CHECK_NEAR(pop->speed_mps.max, 1.8, 0);
    CHECK_NEAR(pop->lateral_m.mean, 0, 0);
    CHECK_NEAR(pop->lateral_m.sd, 0.15, 0);
    CHECK_NEAR(pop->lateral_m.min, -0.4, 0);
    CHECK_NEAR(pop->lateral_m.max, 0.4, 0);
    CHECK_NEAR(pop->height_m.mean, 1.72, 0);
    CHECK_NEAR(pop->height_m.sd, 0.09, 0);
    CHECK_NEAR(pop->height_m.min, 1.5, 0);
    CHECK_NEAR(pop->height_m.max, 1.95, 0);
    CHECK_NEAR(pop->start_distance_m, 8, 0);
    CHECK_NEAR(pop->exit_distance_m, 0.8, 0);
    CHECK_EQ_INT(pop->max_subjects, 10000);
    CHECK_NEAR(s.screening.min_distance_m, 1.0, 0);
    CHECK_NEAR(s.screening.max_distance_m, 3.5, 0);
    CHECK_NEAR(s.screening.min_face_px, 20, 0);
    CHECK_NEAR(s.screening.min_face_visible, 0.8, 0);
    CHECK_NEAR(s.screening.fever_threshold_c, 37.5, 0);
    CHECK(strcmp(s.dut.spec, "reference") == 0);
    CHECK_NEAR(s.dut.alarm_threshold_c, 37.5, 0);
    CHECK_NEAR(s.dut.body_offset_c, 1.24, 0);
    CHECK_NEAR(s.dut.frame_timeout_s, 5, 0);
    CHECK_NEAR(s.dut.handshake_timeout_s, 10, 0);
    CHECK_EQ_INT(s.dut.pacing, 0); /* lockstep */
    for (int i = 0; i < FB_CRIT_COUNT; i++)
        CHECK(!s.criteria[i].set);
    fb_scenario_free(&s);
}

/* A profile in <scenario dir>/cameras/ wins; an inline profile; a ramp; a disabled blackbody. */
static void test_cameras(void)
{
    fb_scenario s;
    int rc = fb_scenario_load(GOOD "local-camera.json", &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (!rc) {
        CHECK(strcmp(s.camera.name, "test-cam") == 0);
        CHECK_EQ_INT(s.camera.width, 80);
        CHECK_NEAR(s.camera.drift_tau_s, 60, 0);
        CHECK(s.population.enabled);
        CHECK_EQ_INT(s.n_subjects, 0);
        fb_scenario_free(&s);
    }
    rc = fb_scenario_load(GOOD "inline-camera.json", &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (!rc) {
        CHECK(strcmp(s.camera.name, "inline") == 0);
        CHECK_EQ_INT(s.camera.width, 32);
        CHECK_EQ_INT(s.camera.height, 24);
        CHECK_NEAR(s.camera.fps, 16, 0);
        /* sensor-model keys left out: the documented defaults */
        CHECK_NEAR(s.camera.pixel_pitch_um, 12, 0);
        CHECK_NEAR(s.camera.ffc_period_s, 300, 0);
        CHECK_EQ_INT(s.camera.ffc_frames, 4);
        CHECK_NEAR(s.camera.dead_pixel_share, 0.0005, 0);
        CHECK_EQ_INT(s.ambient.kind, FB_AMBIENT_RAMP);
        CHECK_NEAR(s.ambient.rate_c_per_h, -6, 0);
        CHECK(!s.blackbody.enabled);
        CHECK_NEAR(s.population.arrival_rate_per_min, 30, 0);
        fb_scenario_free(&s);
    }
    /* Each shipped profile loads on its own and its name matches its file. */
    static const struct {
        const char *name;
        int w, h;
        double hfov, fps, netd, drift_sd;
    } shipped[] = {{"turret-256", 256, 192, 24.75, 25, 50, 0.3},
                   {"lepton-160", 160, 120, 57, 8.7, 50, 1.5},
                   {"turret-384", 384, 288, 24, 25, 40, 0.3},
                   {"core-640", 640, 512, 24, 30, 40, 0.3}};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, FB_SOURCE_DIR "/scenarios/cameras/%s.json", shipped[i].name);
        fb_camera_profile cam;
        rc = fb_camera_profile_load(path, &cam, err, sizeof err);
        CHECK_EQ_INT(rc, 0);
        if (rc) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        CHECK(strcmp(cam.name, shipped[i].name) == 0);
        CHECK(cam.description[0] != '\0');
        CHECK_EQ_INT(cam.width, shipped[i].w);
        CHECK_EQ_INT(cam.height, shipped[i].h);
        CHECK_NEAR(cam.hfov_deg, shipped[i].hfov, 0);
        CHECK_NEAR(cam.fps, shipped[i].fps, 0);
        CHECK_NEAR(cam.netd_mk, shipped[i].netd, 0);
        CHECK_NEAR(cam.drift_sd_c, shipped[i].drift_sd, 0);
        char rel[128];
        snprintf(rel, sizeof rel, "cameras/%s.json", shipped[i].name);
        CHECK(fb_embedded_find(rel) != NULL);
    }
    /* turret-256: 7 mm lens, 256 x 12 um -> 2 atan(1.536 / 7) (docs/sources.md, Dahua TPC-BF3221-T) */
    fb_camera_profile cam;
    if (fb_camera_profile_load(FB_SOURCE_DIR "/scenarios/cameras/turret-256.json", &cam, err,
                               sizeof err) == 0)
        CHECK_NEAR(cam.hfov_deg, 2 * atan(1.536 / 7) * 180 / 3.14159265358979, 0.01);
}

/* The shipped scenarios load, from files and from the embedded copies; the hash covers the
 * camera profile; source names the origin. */
static void test_shipped_and_hash(void)
{
    size_t n = 0;
    for (const fb_embedded_file *f = fb_embedded_files; f->path; f++) {
        if (strchr(f->path, '/'))
            continue;
        char display[256];
        snprintf(display, sizeof display, "embedded:%s", f->path);
        fb_scenario s;
        int rc = fb_scenario_load_text(f->text, f->len, display, NULL, &s, err, sizeof err);
        CHECK_EQ_INT(rc, 0);
        if (rc) {
            fprintf(stderr, "%s\n", err);
            continue;
        }
        CHECK(strcmp(s.source, display) == 0);
        char path[512];
        snprintf(path, sizeof path, FB_SOURCE_DIR "/scenarios/%s", f->path);
        fb_scenario t;
        rc = fb_scenario_load(path, &t, err, sizeof err);
        CHECK_EQ_INT(rc, 0);
        if (!rc) {
            CHECK(s.hash == t.hash); /* same text, same profile -> same hash */
            fb_scenario_free(&t);
        }
        fb_scenario_free(&s);
        n++;
    }
    CHECK(n >= 1);

    const char *a = "{\"name\":\"h\",\"duration_s\":1,\"camera\":\"turret-256\",\"population\":{}}";
    const char *b = "{\"name\":\"h\",\"duration_s\":1,\"camera\":\"lepton-160\",\"population\":{}}";
    const char *a2 = "{ \"name\" : \"h\",\n \"duration_s\": 1, \"camera\": \"turret-256\", "
                     "\"population\": { } }";
    fb_scenario sa, sb, sa2;
    CHECK_EQ_INT(fb_scenario_load_text(a, strlen(a), "a", NULL, &sa, err, sizeof err), 0);
    CHECK_EQ_INT(fb_scenario_load_text(b, strlen(b), "b", NULL, &sb, err, sizeof err), 0);
    CHECK_EQ_INT(fb_scenario_load_text(a2, strlen(a2), "a2", NULL, &sa2, err, sizeof err), 0);
    CHECK(sa.hash != sb.hash);  /* the camera profile is part of the hash */
    CHECK(sa.hash == sa2.hash); /* whitespace is not */
    CHECK(sa.population.enabled);
    fb_scenario_free(&sa);
    fb_scenario_free(&sb);
    fb_scenario_free(&sa2);
}

/* fb_scenario_free is safe on zeroed and failed structs; arguments are checked. */
static void test_free_and_args(void)
{
    fb_scenario s;
    memset(&s, 0, sizeof s);
    fb_scenario_free(&s);
    fb_scenario_free(NULL);
    CHECK_EQ_INT(fb_scenario_load_text("{}", 2, "x", NULL, NULL, err, sizeof err), FB_ERR_ARG);
    CHECK_EQ_INT(fb_scenario_load_text(NULL, 5, "x", NULL, &s, err, sizeof err), FB_ERR_ARG);
    CHECK_EQ_INT(fb_scenario_load(NULL, &s, err, sizeof err), FB_ERR_ARG);
    /* failure leaves a zeroed struct that can be freed */
    const char *bad = "{\"name\":\"x\",\"duration_s\":5,\"camera\":\"turret-256\","
                      "\"subjects\":[{\"enter_s\":1},{\"enter_s\":-1}]}";
    CHECK_EQ_INT(fb_scenario_load_text(bad, strlen(bad), "x", NULL, &s, err, sizeof err),
                 FB_ERR_INVALID);
    CHECK(s.subjects == NULL && s.n_subjects == 0);
    fb_scenario_free(&s);
    /* no error buffer at all */
    CHECK_EQ_INT(fb_scenario_load_text(bad, strlen(bad), "x", NULL, &s, NULL, 0), FB_ERR_INVALID);
    /* a tiny one: truncated, still terminated */
    char small[8];
    memset(small, 'z', sizeof small);
    CHECK_EQ_INT(fb_scenario_load_text(bad, strlen(bad), "x", NULL, &s, small, sizeof small),
                 FB_ERR_INVALID);
    CHECK(memchr(small, '\0', sizeof small) != NULL);
}

/* Files that cannot be read; a broken profile loaded on its own names itself. */
static void test_io(void)
{
    fb_scenario s;
    CHECK_EQ_INT(fb_scenario_load(GOOD "no-such-file.json", &s, err, sizeof err), FB_ERR_IO);
    CHECK_STR_CONTAINS(err, GOOD "no-such-file.json: cannot read: No such file or directory");
    CHECK_EQ_INT(fb_scenario_load(GOOD "cameras", &s, err, sizeof err), FB_ERR_IO);
    CHECK_STR_CONTAINS(err, GOOD "cameras: cannot read: ");
    fb_camera_profile cam;
    CHECK_EQ_INT(fb_camera_profile_load(FB_SOURCE_DIR "/tests/scenario/bad/cameras/broken-cam.json",
                                        &cam, err, sizeof err),
                 FB_ERR_INVALID);
    CHECK_STR_CONTAINS(err, "/tests/scenario/bad/cameras/broken-cam.json:7:10: fps: must be in (0, "
                            "1000], got -1");
    CHECK(cam.width == 0); /* zeroed on failure */
    CHECK_EQ_INT(fb_camera_profile_load(GOOD "cameras/none.json", &cam, err, sizeof err),
                 FB_ERR_IO);
    CHECK_EQ_INT(fb_camera_profile_load(NULL, &cam, err, sizeof err), FB_ERR_ARG);
    /* an embedded scenario cannot reach profiles on disk: only compiled-in ones */
    const char *t = "{\"name\":\"e\",\"duration_s\":1,\"camera\":\"test-cam\",\"population\":{}}";
    CHECK_EQ_INT(fb_scenario_load_text(t, strlen(t), "embedded:e.json", NULL, &s, err, sizeof err),
                 FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "embedded:e.json:1:37: camera: camera profile \"test-cam\" not found "
                            "(tried embedded:cameras/test-cam.json; expected one of: ");
    CHECK_EQ_INT(fb_scenario_load_text(t, strlen(t), "x.json", GOOD, &s, err, sizeof err), 0);
    CHECK(strcmp(s.camera.name, "test-cam") == 0);
    fb_scenario_free(&s);
}

int main(void)
{
    test_full();
    test_minimal_defaults();
    test_cameras();
    test_shipped_and_hash();
    test_free_and_args();
    test_io();
    return FBTEST_END();
}
