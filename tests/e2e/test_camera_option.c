/* test_camera_option.c — `--camera` (fb_catalog_set_camera): a scenario run on another camera
 * profile changes only the camera; the DUT's frame size and blackbody rectangle follow the new
 * geometry. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "run/run.h"

static const struct {
    const char *name;
    int width, height;
} profiles[] = {{"lepton-160", 160, 120},
                {"turret-256", 256, 192},
                {"turret-384", 384, 288},
                {"core-640", 640, 512}};

/* Where the first frame is hot (> 30 °C, the wall is at 24 °C): the bounding box and centroid. */
typedef struct hot_area {
    int n, x0, y0, x1, y1; /* [x0, x1] x [y0, y1] */
    double cx, cy;         /* centroid, pixel centres at +0.5 */
} hot_area;

/* Runs frames of sc; returns the frames hash, and the DUT's config and the first frame's hot area
 * through the out parameters. */
static uint64_t run_frames(const fb_scenario *sc, uint32_t frames, fbfw_config *cfg, hot_area *hot)
{
    char err[512];
    fb_session *s;
    fb_run_opts o = {0};
    o.duration_s = frames / sc->camera.fps;
    if (fb_session_open(&s, sc, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 0;
    }
    for (uint32_t n = 0; fb_session_step(s) > 0; n++) {
        if (n != 0)
            continue;
        const uint16_t *f = fb_session_frame_ck(s);
        hot_area h = {0, sc->camera.width, sc->camera.height, -1, -1, 0, 0};
        for (int y = 0; y < sc->camera.height; y++)
            for (int x = 0; x < sc->camera.width; x++) {
                if (f[y * sc->camera.width + x] / 100.0 - 273.15 <= 30.0)
                    continue;
                h.n++;
                h.cx += x + 0.5;
                h.cy += y + 0.5;
                h.x0 = x < h.x0 ? x : h.x0;
                h.y0 = y < h.y0 ? y : h.y0;
                h.x1 = x > h.x1 ? x : h.x1;
                h.y1 = y > h.y1 ? y : h.y1;
            }
        if (h.n) {
            h.cx /= h.n;
            h.cy /= h.n;
        }
        *hot = h;
    }
    const fbfw_config *c = fb_session_dut_config(s);
    if (c)
        *cfg = *c;
    fb_results res;
    fb_run_info info;
    fb_session_finish(s, &res, &info);
    uint64_t h = info.frames_hash;
    fb_results_free(&res);
    fb_session_close(s);
    return h;
}

/* lab-accuracy's first frames have nobody in view: what is hot is the 35 °C blackbody. On every
 * shipped camera the DUT gets that camera's frame size and a blackbody box around the source. */
static void test_each_profile(void)
{
    for (size_t p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
        char err[512];
        fb_scenario sc;
        CHECK(fb_catalog_load("lab-accuracy", &sc, err, sizeof err) == 0);
        uint64_t own = sc.hash;
        CHECK(fb_catalog_set_camera(&sc, profiles[p].name, err, sizeof err) == 0);
        CHECK(strcmp(sc.camera.name, profiles[p].name) == 0);
        CHECK(sc.hash != own); /* the run's identity names the change */
        fbfw_config cfg;
        memset(&cfg, 0, sizeof cfg);
        hot_area h;
        memset(&h, 0, sizeof h);
        run_frames(&sc, 3, &cfg, &h);
        CHECK_EQ_INT(cfg.width, profiles[p].width);
        CHECK_EQ_INT(cfg.height, profiles[p].height);
        CHECK_EQ_INT(cfg.fps_milli, (uint32_t)lround(sc.camera.fps * 1000.0));
        CHECK(cfg.bb_w > 0 && cfg.bb_h > 0);
        /* the box is the 7 cm source at 2.8 m (focal / 2.8 * 0.07 px) plus 3 px a side */
        double focal = cfg.focal_px_milli / 1000.0, src = 0.07 * focal / 2.8;
        CHECK(h.n >= 4);
        CHECK(h.n <= (src + 2) * (src + 2)); /* nothing else is hot */
        CHECK(cfg.bb_w <= ceil(src + 8) && cfg.bb_w >= floor(src + 5));
        CHECK(h.x0 >= cfg.bb_x && h.x1 < cfg.bb_x + cfg.bb_w);
        CHECK(h.y0 >= cfg.bb_y && h.y1 < cfg.bb_y + cfg.bb_h);
        CHECK_NEAR(cfg.bb_x + cfg.bb_w / 2.0, h.cx, 1.0);
        CHECK_NEAR(cfg.bb_y + cfg.bb_h / 2.0, h.cy, 1.0);
        printf("%-11s %dx%d: blackbody box %ux%u at (%u,%u); %d hot pixels in [%d,%d]x[%d,%d], "
               "centre (%.1f, %.1f)\n",
               profiles[p].name, cfg.width, cfg.height, cfg.bb_w, cfg.bb_h, cfg.bb_x, cfg.bb_y, h.n,
               h.x0, h.x1, h.y0, h.y1, h.cx, h.cy);
        fb_scenario_free(&sc);
    }
}

/* The scenario's own camera named again: the same frames (only the camera changes, never the
 * people, the room or the seed); a path to a profile file works like its name. */
static void test_only_the_camera_changes(void)
{
    char err[512];
    fb_scenario a, b, c;
    CHECK(fb_catalog_load("single-slow", &a, err, sizeof err) == 0);
    CHECK(fb_catalog_load("single-slow", &b, err, sizeof err) == 0);
    CHECK(fb_catalog_load("single-slow", &c, err, sizeof err) == 0);
    CHECK(strcmp(a.camera.name, "turret-256") == 0);
    CHECK(fb_catalog_set_camera(&b, "turret-256", err, sizeof err) == 0);
    CHECK(fb_catalog_set_camera(&c, "scenarios/cameras/turret-256.json", err, sizeof err) == 0);
    CHECK(b.hash == c.hash); /* the same profile, by name or by file */
    fbfw_config cfg;
    hot_area h;
    uint64_t ha = run_frames(&a, 50, &cfg, &h);
    uint64_t hb = run_frames(&b, 50, &cfg, &h);
    CHECK(ha != 0 && ha == hb);
    fb_scenario_free(&a);
    fb_scenario_free(&b);
    fb_scenario_free(&c);
}

/* An unknown camera: an error naming the shipped profiles; the scenario is left as it was. */
static void test_unknown_camera(void)
{
    char err[512];
    fb_scenario sc;
    CHECK(fb_catalog_load("single-slow", &sc, err, sizeof err) == 0);
    uint64_t h = sc.hash;
    CHECK(fb_catalog_set_camera(&sc, "lepton-999", err, sizeof err) < 0);
    CHECK_STR_CONTAINS(err, "camera \"lepton-999\"");
    CHECK_STR_CONTAINS(err, "core-640, lepton-160, turret-256, turret-384");
    CHECK(sc.hash == h && strcmp(sc.camera.name, "turret-256") == 0);
    CHECK(fb_catalog_set_camera(&sc, "no/such/dir/cam.json", err, sizeof err) < 0);
    fb_camera_profile cam;
    CHECK(fb_catalog_camera("cameras/lepton-160.json", &cam, NULL, err, sizeof err) == 0);
    CHECK_EQ_INT(cam.width, 160);
    fb_scenario_free(&sc);
}

int main(void)
{
    test_each_profile();
    test_only_the_camera_changes();
    test_unknown_camera();
    return FBTEST_END();
}
