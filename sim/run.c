/* run.c — the one frame loop: world, render, sensor, front-end, DUT link, scoring and reports. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "../models/fb_error.h"
#include "../models/frontend.h"
#include "../models/sensor.h"
#include "hash.h"
#include "link.h"
#include "render.h"
#include "run.h"

struct fb_session {
    fb_scenario sc;          /* shallow copy with the run's overrides applied */
    fb_run_opts opts;
    fb_world world;
    fb_render render;
    fb_sensor sensor;
    fb_frontend frontend;
    fb_link *link;
    fb_score *score;
    fb_stream *stream;
    uint16_t *counts, *frame_ck;
    uint32_t n_frames, next_frame;
    uint64_t frames_hash;
    bool faulted;
    char stop_reason[320];
    fbfw_event fw_events[FB_LINK_MAX_EVENTS];
    fb_event events[FB_LINK_MAX_EVENTS];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The installer's settings for the firmware: geometry, blackbody rectangle, thresholds. */
static void firmware_config(const fb_session *s, fbfw_config *cfg)
{
    const fb_scenario *sc = &s->sc;
    const fb_camera_geom *g = &s->world.geom;
    memset(cfg, 0, sizeof(*cfg));
    cfg->api_version = FBFW_API_VERSION;
    cfg->width = (uint16_t)g->width;
    cfg->height = (uint16_t)g->height;
    cfg->fps_milli = (uint32_t)lround(sc->camera.fps * 1000.0);
    cfg->focal_px_milli = (uint32_t)lround(g->focal_px * 1000.0);
    double u, v, depth;
    if (sc->blackbody.enabled &&
        fb_camera_project(g, sc->blackbody.x_m, sc->blackbody.y_m, sc->blackbody.z_m, &u, &v,
                          &depth)) {
        /* The installer draws a box a few pixels larger than the source. */
        double half = sc->blackbody.aperture_m / 2 * g->focal_px / depth + 3.0;
        double x0 = fmax(0.0, floor(u - half)), y0 = fmax(0.0, floor(v - half));
        double x1 = fmin((double)g->width, ceil(u + half));
        double y1 = fmin((double)g->height, ceil(v + half));
        if (x1 > x0 && y1 > y0) {
            cfg->bb_x = (uint16_t)x0;
            cfg->bb_y = (uint16_t)y0;
            cfg->bb_w = (uint16_t)(x1 - x0);
            cfg->bb_h = (uint16_t)(y1 - y0);
            cfg->bb_set_ck = fb_c_to_ck(sc->blackbody.set_c);
        }
    }
    cfg->alarm_threshold_ck = fb_c_to_ck(sc->dut.alarm_threshold_c);
    cfg->body_offset_ck = (uint16_t)lround(sc->dut.body_offset_c * 100.0);
}

static int make_dir(const char *dir, char *err, size_t err_len)
{
    char path[1024];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
        snprintf(err, err_len, "%s: output path too long", dir);
        return FB_ERR_ARG;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            snprintf(err, err_len, "%s: cannot create directory: %s", path, strerror(errno));
            return FB_ERR_IO;
        }
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "%s: cannot create directory: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    return FB_OK;
}

int fb_session_open(fb_session **out, const fb_scenario *sc, const fb_run_opts *o, char *err,
                    size_t err_len)
{
    int rc;
    *out = NULL;
    fb_session *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    s->sc = *sc;
    if (o)
        s->opts = *o;
    if (s->opts.seed_set)
        s->sc.seed = s->opts.seed;
    if (s->opts.duration_s > 0)
        s->sc.duration_s = s->opts.duration_s;
    s->n_frames = (uint32_t)ceil(s->sc.duration_s * s->sc.camera.fps - 1e-9);
    s->frames_hash = FB_HASH_INIT;

    rc = fb_world_init(&s->world, &s->sc, err, err_len);
    if (rc)
        goto fail_world;
    const fb_camera_profile *cam = &s->sc.camera;
    rc = fb_render_init(&s->render, cam->width, cam->height, s->world.n_subjects);
    if (rc) {
        snprintf(err, err_len, "out of memory for the %dx%d renderer", cam->width, cam->height);
        goto fail_render;
    }
    fb_sensor_params sp = {
        .width = cam->width,
        .height = cam->height,
        .netd_k = cam->netd_mk / 1000.0,
        .counts_per_k = cam->counts_per_k,
        .reference_c = cam->reference_c,
        .fpn_sd_k = cam->fpn_sd_mk / 1000.0,
        .drift_sd_k = cam->drift_sd_c,
        .drift_tau_s = cam->drift_tau_s,
    };
    rc = fb_sensor_init(&s->sensor, &sp, s->world.rad, s->sc.seed);
    if (rc) {
        snprintf(err, err_len, "camera \"%s\": sensor parameters rejected: %s", cam->name,
                 fb_strerror(rc));
        goto fail_sensor;
    }
    rc = fb_frontend_init(&s->frontend, cam->width, cam->height);
    if (rc) {
        snprintf(err, err_len, "out of memory for the front-end tables");
        goto fail_frontend;
    }
    fb_frontend_calibrate(&s->frontend, &s->sensor, s->world.rad);
    size_t npx = (size_t)cam->width * (size_t)cam->height;
    s->counts = malloc(npx * sizeof(*s->counts));
    s->frame_ck = calloc(npx, sizeof(*s->frame_ck));
    if (!s->counts || !s->frame_ck) {
        snprintf(err, err_len, "out of memory for frame buffers");
        rc = FB_ERR_NOMEM;
        goto fail_buffers;
    }
    fb_subject_info *infos = calloc(s->world.n_subjects ? s->world.n_subjects : 1, sizeof(*infos));
    if (!infos) {
        snprintf(err, err_len, "out of memory");
        rc = FB_ERR_NOMEM;
        goto fail_buffers;
    }
    for (size_t i = 0; i < s->world.n_subjects; i++)
        infos[i] = s->world.subjects[i].info;
    s->score = fb_score_new(&s->sc, infos, s->world.n_subjects);
    free(infos);
    if (!s->score) {
        snprintf(err, err_len, "out of memory for the scorer");
        rc = FB_ERR_NOMEM;
        goto fail_buffers;
    }
    if (s->opts.out_dir) {
        rc = make_dir(s->opts.out_dir, err, err_len);
        if (rc)
            goto fail_stream;
        s->stream = fb_stream_open(s->opts.out_dir, err, err_len);
        if (!s->stream) {
            rc = FB_ERR_IO;
            goto fail_stream;
        }
    }
    fbfw_config cfg;
    firmware_config(s, &cfg);
    const char *spec = s->opts.dut_spec ? s->opts.dut_spec : s->sc.dut.spec;
    rc = fb_link_open(&s->link, spec, &cfg, err, err_len);
    if (rc)
        goto fail_link;
    *out = s;
    return FB_OK;

fail_link:
    if (s->stream)
        fb_stream_close(s->stream, NULL, 0);
fail_stream:
    fb_score_free(s->score);
fail_buffers:
    free(s->counts);
    free(s->frame_ck);
    fb_frontend_free(&s->frontend);
fail_frontend:
    fb_sensor_free(&s->sensor);
fail_sensor:
    fb_render_free(&s->render);
fail_render:
    fb_world_free(&s->world);
fail_world:
    free(s);
    return rc;
}

int fb_session_step(fb_session *s)
{
    if (s->faulted || s->next_frame >= s->n_frames)
        return 0;
    fb_stage_times *tm = s->opts.times;
    uint32_t n = s->next_frame++;
    double t0 = tm ? now_s() : 0, t1;

    fb_world_step(&s->world, n);
    if (tm) {
        t1 = now_s();
        tm->world_s += t1 - t0;
        t0 = t1;
    }
    fb_render_frame(&s->render, &s->world);
    fb_world_finish_truth(&s->world, s->render.visible_px);
    if (tm) {
        t1 = now_s();
        tm->render_s += t1 - t0;
        t0 = t1;
    }
    fb_sensor_expose(&s->sensor, s->render.radiance, s->world.t_s, s->counts);
    if (tm) {
        t1 = now_s();
        tm->sensor_s += t1 - t0;
        t0 = t1;
    }
    fb_frontend_process(&s->frontend, s->counts, s->frame_ck);
    size_t npx = (size_t)s->sc.camera.width * (size_t)s->sc.camera.height;
    s->frames_hash = fb_hash64(s->frames_hash, s->frame_ck, npx * sizeof(*s->frame_ck));
    if (tm) {
        t1 = now_s();
        tm->frontend_s += t1 - t0;
        t0 = t1;
    }
    int n_ev = 0;
    char err[256];
    int rc = fb_link_exchange(s->link, s->frame_ck, n, 0, s->fw_events, FB_LINK_MAX_EVENTS, &n_ev,
                              err, sizeof(err));
    if (tm) {
        t1 = now_s();
        tm->dut_s += t1 - t0;
        t0 = t1;
    }
    for (int i = 0; i < n_ev; i++) {
        s->events[i].ev = s->fw_events[i];
        s->events[i].arrival_frame = n;
        s->events[i].arrival_t_s = s->world.t_s;
    }
    fb_truth_frame tf = fb_world_truth(&s->world);
    fb_score_frame(s->score, &tf, s->events, (size_t)n_ev);
    if (rc) {
        snprintf(s->stop_reason, sizeof(s->stop_reason), "DUT fault at frame %u: %s", (unsigned)n,
                 err);
        fb_score_fault(s->score, s->stop_reason);
        s->faulted = true;
    }
    if (tm) {
        t1 = now_s();
        tm->score_s += t1 - t0;
        t0 = t1;
    }
    if (s->stream) {
        fb_stream_truth(s->stream, &tf);
        fb_stream_events(s->stream, s->events, (size_t)n_ev);
        if (tm)
            tm->output_s += now_s() - t0;
    }
    if (tm)
        tm->frames++;
    return 1;
}

bool fb_session_faulted(const fb_session *s)
{
    return s->faulted;
}

const fb_world *fb_session_world(const fb_session *s)
{
    return &s->world;
}

const uint16_t *fb_session_frame_ck(const fb_session *s)
{
    return s->frame_ck;
}

uint32_t fb_session_frames_done(const fb_session *s)
{
    return s->next_frame;
}

int fb_session_finish(fb_session *s, fb_results *res, fb_run_info *info)
{
    memset(info, 0, sizeof(*info));
    info->version = FB_VERSION_STRING;
    info->scenario_name = s->sc.name;
    info->scenario_source = s->sc.source;
    info->scenario_hash = s->sc.hash;
    info->seed = s->sc.seed;
    info->camera_name = s->sc.camera.name;
    info->dut_name = s->link ? s->link->dut_name : "";
    info->frames_hash = s->frames_hash;
    info->frames = s->next_frame;
    info->fps = s->sc.camera.fps;
    info->duration_s = s->next_frame / s->sc.camera.fps;
    info->complete = !s->faulted && s->next_frame >= s->n_frames;
    if (!info->complete)
        info->stop_reason = s->stop_reason[0] ? s->stop_reason : "stopped before the end";
    return fb_score_finish(s->score, res);
}

void fb_session_close(fb_session *s)
{
    if (!s)
        return;
    if (s->stream)
        fb_stream_close(s->stream, NULL, 0);
    fb_link_close(s->link);
    fb_score_free(s->score);
    free(s->counts);
    free(s->frame_ck);
    fb_frontend_free(&s->frontend);
    fb_sensor_free(&s->sensor);
    fb_render_free(&s->render);
    fb_world_free(&s->world);
    free(s);
}

int fb_run(const fb_scenario *sc, const fb_run_opts *o, FILE *scorecard)
{
    char err[512];
    fb_session *s;
    int rc = fb_session_open(&s, sc, o, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "feverbench: %s\n", err);
        return rc == FB_ERR_DUT ? FB_EXIT_DUT_FAULT : FB_EXIT_USAGE;
    }
    while (fb_session_step(s) > 0)
        ;
    fb_results res;
    fb_run_info info;
    rc = fb_session_finish(s, &res, &info);
    int status;
    if (rc) {
        fprintf(stderr, "feverbench: scoring failed: %s\n", fb_strerror(rc));
        fb_session_close(s);
        return FB_EXIT_USAGE;
    }
    status = fb_session_faulted(s) ? FB_EXIT_DUT_FAULT : res.pass ? FB_EXIT_PASS : FB_EXIT_FAIL;
    if (fb_session_faulted(s))
        fprintf(stderr, "feverbench: %s\n", info.stop_reason);
    if (scorecard)
        fb_report_scorecard(scorecard, &info, &res);
    if (o && o->out_dir) {
        if (s->stream) {
            rc = fb_stream_close(s->stream, err, sizeof(err));
            s->stream = NULL;
            if (rc) {
                fprintf(stderr, "feverbench: %s\n", err);
                status = status == FB_EXIT_PASS ? FB_EXIT_USAGE : status;
            }
        }
        rc = fb_report_write(o->out_dir, &info, &res, err, sizeof(err));
        if (rc) {
            fprintf(stderr, "feverbench: %s\n", err);
            status = status == FB_EXIT_PASS ? FB_EXIT_USAGE : status;
        }
    }
    fb_results_free(&res);
    fb_session_close(s);
    return status;
}
