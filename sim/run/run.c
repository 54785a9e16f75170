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
#include "../models/optics.h"
#include "../models/sensor.h"
#include "frontend/frontend_variant.h"
#include "util/hash.h"
#include "util/interrupt.h"
#include "link/link.h"
#include "record/record.h"
#include "world/render.h"
#include "util/progress.h"
#include "pixels.h"
#include "run.h"

struct fb_session {
    fb_scenario sc;          /* shallow copy with the run's overrides applied */
    fb_run_opts opts;
    fb_world world;
    fb_render render;
    fb_optics optics;
    fb_sensor sensor;
    uint32_t frame_flags;    /* FBFW_FRAME_* of the last frame (frozen while the shutter is closed) */
    fb_frontend frontend;
    const fb_fe_variant_ops *fe_ops; /* model or rtl (sim/frontend/frontend_variant.h) */
    void *fe_priv;
    fb_pixels pixels;        /* the four pixel stages of a frame (pixels.h) */
    bool bench_error;        /* stopped by the bench itself (front-end), not by the DUT */
    int interrupted;         /* the signal that stopped the run, 0 if none */
    fb_link *link;
    fb_score *score;
    fb_stream *stream;
    fb_record *rec;          /* NULL unless opts.record_path; closed by finish */
    char record_err[600];    /* why writing the recording failed, "" if it did not */
    size_t n_events;         /* events of the last frame */
    uint16_t *counts, *frame_ck;
    uint32_t n_frames, next_frame;
    uint64_t frames_hash;
    /* The frame the last step ran, as its pixel stages, DUT exchange and scoring take it: the
     * truth copied out of the world (which may be a frame ahead, below), the room's air, the
     * radiance the renderer drew. */
    fb_truth_frame tf;
    fb_truth_subject *truth;     /* n_subjects: tf.subjects */
    /* Pipelined (opts.pipeline with threads > 1): while a step runs frame n's pixel stages,
     * DUT exchange and scoring on the caller's thread, the pool steps the world to frame n + 1
     * and draws it into the other radiance buffer; the step returns once both are done. */
    bool pipelined;
    float *radiance_spare;       /* the buffer the renderer is not drawing into (pipelined) */
    bool ahead;                  /* frame next_frame is already drawn ... */
    int ahead_rc;                /* ... with this result (FB_OK or FB_ERR_NOMEM) ... */
    bool ahead_blurred;          /* ... and its lens blur applied there (fb_pixels_blur) ... */
    double ahead_draw_s, ahead_blur_s; /* ... the drawing and the blur taking this long */
    /* Whether the drawing thread blurs the frame it drew (draw_ahead) is decided from the last
     * frames' times (smoothed): the drawing, the blur, and the caller's part of a step without
     * the blur. Only who blurs depends on them, never a pixel. */
    bool blur_ahead;
    double bal_draw_s, bal_blur_s, bal_caller_s;
    bool faulted;
    char stop_reason[320];
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

int fb_make_dir(const char *dir, char *err, size_t err_len)
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
    s->frames_hash = FB_FRAMES_HASH_INIT;
    if (s->opts.people) {
        if (strcmp(s->opts.people, "3d") && strcmp(s->opts.people, "template")) {
            snprintf(err, err_len, "unknown people model \"%s\" (expected template or 3d)",
                     s->opts.people);
            free(s);
            return FB_ERR_ARG;
        }
        s->sc.people_3d = strcmp(s->opts.people, "3d") == 0;
    }

    rc = fb_world_init(&s->world, &s->sc, err, err_len);
    if (rc)
        goto fail_world;
    const fb_camera_profile *cam = &s->sc.camera;
    rc = fb_render_init(&s->render, cam->width, cam->height, s->world.n_subjects,
                        s->sc.people_3d);
    if (rc) {
        snprintf(err, err_len, "out of memory for the %dx%d renderer", cam->width, cam->height);
        goto fail_render;
    }
    rc = fb_render_set_threads(&s->render, s->opts.threads ? s->opts.threads : 1);
    if (rc) {
        snprintf(err, err_len, "--threads %d: %s", s->opts.threads,
                 rc == FB_ERR_ARG ? "not between 1 and 64" : "cannot start the threads");
        fb_render_free(&s->render);
        goto fail_render;
    }
    s->pipelined = s->opts.pipeline && s->render.pool;
    s->blur_ahead = true; /* until the times say otherwise (balance_blur) */
    s->truth = calloc(s->world.n_subjects ? s->world.n_subjects : 1, sizeof(*s->truth));
    s->radiance_spare = s->pipelined ? malloc((size_t)cam->width * (size_t)cam->height *
                                              sizeof(*s->radiance_spare))
                                     : NULL;
    if (!s->truth || (s->pipelined && !s->radiance_spare)) {
        snprintf(err, err_len, "out of memory for the frame's truth");
        rc = FB_ERR_NOMEM;
        free(s->truth);
        free(s->radiance_spare);
        fb_render_free(&s->render);
        goto fail_render;
    }
    s->tf.subjects = s->truth;
    s->render.delay_s = cam->thermal_tau_ms / 1000.0;
    s->render.profile = s->opts.times != NULL;
    fb_optics_params op;
    fb_camera_optics_params(cam, &op);
    rc = fb_optics_init(&s->optics, cam->width, cam->height, &op);
    if (rc) {
        snprintf(err, err_len, "camera \"%s\": optics: %s", cam->name, fb_strerror(rc));
        goto fail_optics;
    }
    fb_sensor_params sp;
    fb_camera_sensor_params(cam, s->world.ambient.value_c, s->sc.camera_power_on_s, &sp);
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
    /* the factory's flat field undoes the lens's vignetting as it was at calibration */
    fb_frontend_flat_field(&s->frontend, s->optics.illum, &s->sensor, s->world.rad,
                           s->sensor.fpa_cal_c);
    fb_sensor_mark_dead(&s->sensor, s->frontend.bad); /* the factory's bad-pixel map */
    const char *fe_name = s->opts.frontend ? s->opts.frontend : s->sc.frontend;
    s->fe_ops = fb_fe_variant_find(fe_name[0] ? fe_name : "model");
    if (!s->fe_ops) {
        snprintf(err, err_len, "front-end \"%s\": unknown (expected model or rtl)", fe_name);
        rc = FB_ERR_ARG;
        goto fail_fe_variant;
    }
    rc = s->fe_ops->open(&s->fe_priv, cam->width, cam->height, err, err_len);
    if (!rc) {
        rc = s->fe_ops->load(s->fe_priv, &s->frontend, err, err_len);
        if (rc)
            s->fe_ops->close(s->fe_priv);
    }
    if (rc)
        goto fail_fe_variant;
    size_t npx = (size_t)cam->width * (size_t)cam->height;
    s->counts = malloc(npx * sizeof(*s->counts));
    s->frame_ck = calloc(npx, sizeof(*s->frame_ck));
    if (!s->counts || !s->frame_ck ||
        fb_pixels_init(&s->pixels, &s->optics, &s->sensor, &s->frontend, s->fe_ops, s->fe_priv,
                       FB_PIXELS_BAND_AUTO) ||
        fb_pixels_set_pool(&s->pixels, s->render.pool)) {
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
        rc = fb_make_dir(s->opts.out_dir, err, err_len);
        if (rc)
            goto fail_stream;
        s->stream = fb_stream_open(s->opts.out_dir, err, err_len);
        if (!s->stream) {
            rc = FB_ERR_IO;
            goto fail_stream;
        }
    }
    if (s->opts.no_dut) {
        if (s->opts.record_path) {
            snprintf(err, err_len, "a recording needs a DUT (no_dut with record_path)");
            rc = FB_ERR_ARG;
            goto fail_link;
        }
        *out = s;
        return FB_OK;
    }
    fbfw_config cfg;
    firmware_config(s, &cfg);
    const char *spec = s->opts.dut_spec ? s->opts.dut_spec : s->sc.dut.spec;
    fb_link_opts lo = {.pacing = s->sc.dut.pacing == 1 ? FB_PACING_REALTIME : FB_PACING_LOCKSTEP,
                       .frame_timeout_s = s->sc.dut.frame_timeout_s,
                       .handshake_timeout_s = s->sc.dut.handshake_timeout_s,
                       .sandbox_off = s->opts.sandbox_off};
    if (s->opts.pacing && fb_pacing_parse(s->opts.pacing, &lo.pacing) != 0) {
        snprintf(err, err_len, "pacing \"%s\": expected lockstep or realtime", s->opts.pacing);
        rc = FB_ERR_ARG;
        goto fail_link;
    }
    rc = fb_link_open(&s->link, spec, &cfg, &lo, err, err_len);
    if (rc == FB_ERR_DUT && s->link) {
        /* The DUT did not start or shake hands: a faulted session with no frames, so the run
         * still reports (results.json complete=false, the stop reason, the link audit). */
        snprintf(s->stop_reason, sizeof(s->stop_reason), "DUT fault before the first frame: %s",
                 err);
        fb_score_fault(s->score, s->stop_reason);
        s->faulted = true;
        rc = FB_OK;
    } else if (rc == FB_ERR_INTERRUPTED && s->link) {
        /* A signal while the DUT was starting: no frames, reported as interrupted. */
        s->interrupted = fb_interrupt_signal() ? fb_interrupt_signal() : SIGTERM;
        snprintf(s->stop_reason, sizeof(s->stop_reason), "%s before the first frame", err);
        rc = FB_OK;
    }
    if (rc)
        goto fail_link;
    fb_link_set_frames(s->link, s->n_frames);
    if (s->opts.record_path) {
        rc = fb_record_open(&s->rec, s->opts.record_path, &s->sc, &s->world, s->link->dut_name,
                            spec, err, err_len);
        if (rc) {
            fb_link_close(s->link);
            goto fail_link;
        }
        if (s->faulted)
            fb_record_fault(s->rec, s->stop_reason);
    }
    *out = s;
    return FB_OK;

fail_link:
    if (s->stream)
        fb_stream_close(s->stream, NULL, 0);
fail_stream:
    fb_score_free(s->score);
fail_buffers:
    fb_pixels_free(&s->pixels);
    free(s->counts);
    free(s->frame_ck);
    s->fe_ops->close(s->fe_priv);
fail_fe_variant:
    fb_frontend_free(&s->frontend);
fail_frontend:
    fb_sensor_free(&s->sensor);
fail_sensor:
    fb_optics_free(&s->optics);
fail_optics:
    free(s->truth);
    free(s->radiance_spare);
    fb_render_free(&s->render);
fail_render:
    fb_world_free(&s->world);
fail_world:
    free(s);
    return rc;
}

/* Lockstep events arrive with the frame whose answer carried them (the link sets arrival_frame,
 * which may be the previous frame: process DUTs work one frame behind the bench); their time is
 * that frame's, computed as the world computes it. */
static void stamp_lockstep(const fb_session *s, fb_event *ev, int n)
{
    for (int i = 0; i < n; i++)
        if (isnan(ev[i].arrival_t_s))
            ev[i].arrival_t_s = (double)ev[i].arrival_frame / s->sc.camera.fps;
}

/* The radiance the lens housing makes up for the light it loses toward the corners, as the
 * front-end's flat field sees it: the factory calibrated the shading away at the FPA's
 * calibration temperature, and the shutter sits in front of the lens, so each FFC takes up the
 * housing's drift too; what shows is the drift since the last FFC (models/optics.h). */
static float housing_radiance(const fb_session *s)
{
    const fb_radiometry *rad = s->world.rad;
    double k = FB_KELVIN_OFFSET;
    return (float)(fb_radiometry_radiance(rad, s->sensor.fpa_cal_c + k) +
                   fb_radiometry_radiance(rad, s->sensor.fpa_c + k) -
                   fb_radiometry_radiance(rad, s->sensor.fpa_at_ffc_c + k));
}

/* Steps the world to frame n and draws it (radiance, truth, the blackbody's visibility): on the
 * caller's thread, or on the pool's while the caller works on frame n - 1 (pipelined). Returns
 * FB_OK or FB_ERR_NOMEM (the frame must not be used). */
static int draw_frame(fb_session *s, uint32_t n)
{
    fb_stage_times *tm = s->opts.times;
    double t0 = tm ? now_s() : 0, t1;
    double q0 = fb_pool_trace_now();
    fb_world_step(&s->world, n);
    fb_pool_trace_span("world step", q0);
    q0 = fb_pool_trace_now();
    if (tm) {
        t1 = now_s();
        tm->world_s += t1 - t0;
        t0 = t1;
    }
    if (fb_render_frame(&s->render, &s->world))
        return FB_ERR_NOMEM;
    fb_pool_trace_span("draw", q0);
    fb_world_finish_truth(&s->world, s->render.geo);
    fb_world_finish_blackbody(&s->world, s->render.bb_visible_px, s->render.bb_full_px);
    if (tm)
        tm->render_s += now_s() - t0;
    return FB_OK;
}

/* The pool's part of a pipelined step: frame next_frame drawn ahead, and its lens blur applied
 * (the blur keeps no state from frame to frame; what the next step's pixel stages would do to
 * the frame first): the caller's thread, which has frame n's pixel stages, DUT exchange and
 * scoring in a row, then has less to do where the drawing thread has more room (flat template
 * people: the drawing is the shorter half). */
static void draw_ahead(void *ctx)
{
    fb_session *s = ctx;
    double t0 = now_s();
    s->ahead_rc = draw_frame(s, s->next_frame);
    double t1 = now_s();
    s->ahead_draw_s = t1 - t0;
    s->ahead_blurred = false;
    s->ahead_blur_s = 0.0;
    if (s->ahead_rc != FB_OK || !s->blur_ahead)
        return;
    double q0 = fb_pool_trace_now();
    fb_pixels_blur(&s->pixels, s->render.radiance);
    s->ahead_blurred = true;
    fb_pool_trace_span("blur ahead", q0);
    s->ahead_blur_s = now_s() - t1;
}

/* After a pipelined step: the drawing's and the blur's times, and the caller's part (caller_s,
 * with the blur when it had it) smoothed, and whether the next frame's blur goes to the drawing
 * thread: when drawing and blur together still end before the caller's part without the blur
 * would, the step then ends sooner (where the drawing is the longer half, moving the blur to it
 * only makes the step longer). The first frames blur ahead, which measures the blur. */
static void balance_blur(fb_session *s, bool blurred, double caller_s)
{
    const double keep = 0.8;
    s->bal_draw_s = s->bal_draw_s > 0 ? keep * s->bal_draw_s + (1 - keep) * s->ahead_draw_s
                                      : s->ahead_draw_s;
    if (blurred) {
        s->bal_blur_s = s->bal_blur_s > 0 ? keep * s->bal_blur_s + (1 - keep) * s->ahead_blur_s
                                          : s->ahead_blur_s;
        caller_s += s->ahead_blur_s; /* what it would have taken with the blur */
    }
    s->bal_caller_s = s->bal_caller_s > 0 ? keep * s->bal_caller_s + (1 - keep) * caller_s
                                          : caller_s;
    s->blur_ahead = !(s->bal_blur_s > 0) || s->bal_draw_s + s->bal_blur_s < s->bal_caller_s;
}

/* Frame n, drawn: its pixel stages, the DUT exchange, scoring, the recording and the streams.
 * Reads of the world only what s->tf holds (the world may be a frame ahead) and the radiance in
 * `radiance`. Returns 1, or 0 when the front-end failed (the run is over). */
static int run_frame(fb_session *s, uint32_t n, float *radiance, bool blurred)
{
    fb_stage_times *tm = s->opts.times;
    double t0 = 0, t1;
    /* The lens blurs the image (the wall, uniform, marks where there is nothing to blur) and
     * shades it toward the corners, where its housing makes up the light it loses; the sensor
     * exposes it, the front-end turns it into centikelvin and the frames hash takes it in: in
     * row bands carried through the four while in cache (pixels.h). */
    unsigned sf = 0;
    char fe_err[200];
    fb_pixel_times pt = {.split = tm != NULL};
    double q0 = fb_pool_trace_now();
    if (fb_pixel_stages(&s->pixels, radiance, blurred, housing_radiance(s), s->tf.ambient_c,
                        s->tf.t_s, s->counts, s->frame_ck, &s->frames_hash, &sf,
                        tm ? &pt : NULL, fe_err, sizeof(fe_err))) {
        snprintf(s->stop_reason, sizeof(s->stop_reason), "front-end failed at frame %u: %s",
                 (unsigned)n, fe_err);
        s->faulted = true;
        s->bench_error = true;
        return 0;
    }
    s->frame_flags = (sf & FB_SENSOR_FROZEN) ? FBFW_FRAME_FROZEN : 0u;
    fb_pool_trace_span("pixel stages", q0);
    q0 = fb_pool_trace_now();
    if (tm) {
        tm->optics_s += pt.optics_s;
        tm->sensor_s += pt.sensor_s;
        tm->frontend_s += pt.frontend_s;
        tm->hash_s += pt.hash_s;
        tm->pixels_s += pt.all_s;
        t0 = now_s();
    }
    int n_ev = 0;
    char err[256];
    int rc = s->link ? fb_link_exchange(s->link, s->frame_ck, n, s->frame_flags, s->events,
                                        FB_LINK_MAX_EVENTS, &n_ev, err, sizeof(err))
                     : 0;
    if (tm) {
        t1 = now_s();
        tm->dut_s += t1 - t0;
        t0 = t1;
    }
    fb_pool_trace_span("DUT exchange", q0);
    q0 = fb_pool_trace_now();
    stamp_lockstep(s, s->events, n_ev);
    const fb_truth_frame tf = s->tf;
    fb_score_frame(s->score, &tf, s->events, (size_t)n_ev);
    if (rc == FB_ERR_INTERRUPTED) {
        /* Not the DUT's fault: the frame and what arrived for it are kept, the run stops. */
        s->interrupted = fb_interrupt_signal() ? fb_interrupt_signal() : SIGTERM;
        snprintf(s->stop_reason, sizeof(s->stop_reason), "%s at frame %u", err, (unsigned)n);
    } else if (rc) {
        /* at the frame the fault concerns: a process DUT answers one frame behind (lookahead),
         * so a missing answer found while frame n is exchanged is frame n - 1's */
        uint32_t at = s->link && s->link->fault_frame <= n ? s->link->fault_frame : n;
        snprintf(s->stop_reason, sizeof(s->stop_reason), "DUT fault at frame %u: %s", (unsigned)at,
                 err);
        fb_score_fault(s->score, s->stop_reason);
        s->faulted = true;
    }
    s->n_events = (size_t)n_ev;
    if (s->rec) {
        fb_record_frame(s->rec, &tf, s->frame_ck, s->events, (size_t)n_ev);
        if (rc && rc != FB_ERR_INTERRUPTED)
            fb_record_fault(s->rec, s->stop_reason);
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
    fb_pool_trace_span("scoring and output", q0);
    if (tm)
        tm->frames++;
    return 1;
}

int fb_session_step(fb_session *s)
{
    if (s->faulted || s->interrupted || s->next_frame >= s->n_frames)
        return 0;
    if (s->opts.interrupt && *s->opts.interrupt) {
        s->interrupted = (int)*s->opts.interrupt;
        snprintf(s->stop_reason, sizeof(s->stop_reason),
                 "interrupted by signal %d after %u frames", s->interrupted,
                 (unsigned)s->next_frame);
        return 0;
    }
    uint32_t n = s->next_frame++;
    int rc = s->ahead ? s->ahead_rc : draw_frame(s, n);
    const bool blurred = s->ahead && s->ahead_blurred;
    if (blurred && s->opts.times)
        s->opts.times->optics_s += s->ahead_blur_s;
    s->ahead = false;
    if (rc) {
        snprintf(s->stop_reason, sizeof(s->stop_reason),
                 "rendering failed at frame %u: out of memory", (unsigned)n);
        s->faulted = true;
        s->bench_error = true;
        return 0;
    }
    /* frame n as its pixel stages and scoring take it, before the world moves on */
    fb_truth_frame tf = fb_world_truth(&s->world);
    memcpy(s->truth, tf.subjects, tf.n_subjects * sizeof(*s->truth));
    tf.subjects = s->truth;
    s->tf = tf;
    float *radiance = s->render.radiance;
    bool spawned = false;
    if (s->pipelined && s->next_frame < s->n_frames) {
        /* frame n + 1 drawn into the other buffer meanwhile (not after the last frame) */
        s->radiance_spare = fb_render_swap_radiance(&s->render, s->radiance_spare);
        s->ahead = true;
        spawned = fb_pool_spawn(s->render.pool, draw_ahead, s);
        if (!spawned)
            draw_ahead(s); /* not reached: the pool has a worker and nothing else spawned */
    }
    double t_run = now_s();
    int ran = run_frame(s, n, radiance, blurred);
    if (spawned) {
        double t0 = now_s();
        fb_pool_join(s->render.pool);
        if (s->opts.times)
            s->opts.times->join_s += now_s() - t0;
        balance_blur(s, s->ahead_blurred, t0 - t_run);
    }
    return ran;
}

bool fb_session_faulted(const fb_session *s)
{
    return s->faulted;
}

const fb_world *fb_session_world(const fb_session *s)
{
    return &s->world;
}

const fb_render_stats *fb_session_render_stats(const fb_session *s)
{
    return &s->render.stats;
}

fb_truth_frame fb_session_truth(const fb_session *s)
{
    return s->tf;
}

const uint16_t *fb_session_frame_ck(const fb_session *s)
{
    return s->frame_ck;
}

uint32_t fb_session_frames_done(const fb_session *s)
{
    return s->next_frame;
}

uint32_t fb_session_frame_flags(const fb_session *s)
{
    return s->frame_flags;
}

const fb_sensor *fb_session_sensor(const fb_session *s)
{
    return &s->sensor;
}

const fbfw_config *fb_session_dut_config(const fb_session *s)
{
    return s->link ? &s->link->cfg : NULL;
}

void fb_camera_sensor_params(const fb_camera_profile *cam, double ambient_c, double power_on_s,
                             fb_sensor_params *sp)
{
    *sp = (fb_sensor_params){
        .width = cam->width,
        .height = cam->height,
        .netd_k = cam->netd_mk / 1000.0,
        .counts_per_k = cam->counts_per_k,
        .reference_c = cam->reference_c,
        .fpn_sd_k = cam->fpn_sd_mk / 1000.0,
        .drift_sd_k = cam->drift_sd_c,
        .drift_tau_s = cam->drift_tau_s,
        .ambient_c = ambient_c,
        .power_on_s = power_on_s,
        .fpa_rise_k = cam->fpa_rise_k,
        .fpa_tau_s = cam->fpa_tau_s,
        .responsivity_tc_per_k = cam->responsivity_tc_per_k,
        .fpa_offset_k_per_k = cam->fpa_offset_k_per_k,
        .ffc_offset_k_per_k = cam->ffc_offset_k_per_k,
        .ffc_period_s = cam->ffc_period_s,
        .ffc_delta_k = cam->ffc_delta_k,
        .ffc_frames = cam->ffc_frames,
        .fpn_growth_k_per_s = cam->fpn_growth_mk_per_min / 1000.0 / 60.0,
        .dead_share = cam->dead_pixel_share,
        .noisy_share = cam->noisy_pixel_share,
    };
}

void fb_camera_optics_params(const fb_camera_profile *cam, fb_optics_params *op)
{
    *op = (fb_optics_params){.pixel_pitch_um = cam->pixel_pitch_um,
                             .f_number = cam->f_number,
                             .lens_blur_um = cam->lens_blur_um,
                             .corner_illumination = cam->corner_illumination,
                             .hfov_deg = cam->hfov_deg};
}

const fb_event *fb_session_events(const fb_session *s, size_t *n)
{
    *n = s->n_events;
    return s->events;
}

int fb_session_peek(const fb_session *s, fb_results *res)
{
    return fb_score_finish(s->score, res); /* it does not change the scorer (score.h) */
}

/* Ends the DUT session: answers still due (realtime) are scored, then bye and the link audit. */
static void finish_link(fb_session *s)
{
    char err[256];
    int n_ev, rc;
    if (!s->link)
        return;
    do {
        n_ev = 0;
        rc = fb_link_finish(s->link, s->events, FB_LINK_MAX_EVENTS, &n_ev, err, sizeof(err));
        stamp_lockstep(s, s->events, n_ev);
        fb_score_frame(s->score, NULL, s->events, (size_t)n_ev);
        if (s->stream)
            fb_stream_events(s->stream, s->events, (size_t)n_ev);
        if (rc < 0 && !s->faulted) {
            snprintf(s->stop_reason, sizeof(s->stop_reason), "DUT fault after frame %u: %s",
                     (unsigned)(s->next_frame ? s->next_frame - 1 : 0), err);
            fb_score_fault(s->score, s->stop_reason);
            s->faulted = true;
        }
    } while (rc != 0);
    if (s->link->interrupted && !s->interrupted && !s->faulted) {
        /* The signal came while the last answers were awaited. */
        s->interrupted = fb_interrupt_signal() ? fb_interrupt_signal() : SIGTERM;
        snprintf(s->stop_reason, sizeof(s->stop_reason),
                 "interrupted by signal %d while the bench waited for the last answers",
                 s->interrupted);
    }
    fb_score_audit(s->score, s->link->audit.clean);
    fb_score_sandbox(s->score, s->link->audit.egress_attempts, s->link->audit.sandbox_violations);
}

int fb_session_finish(fb_session *s, fb_results *res, fb_run_info *info)
{
    finish_link(s);
    memset(info, 0, sizeof(*info));
    info->version = FB_VERSION_STRING;
    info->scenario_name = s->sc.name;
    info->scenario_source = s->sc.source;
    info->scenario_hash = s->sc.hash;
    info->seed = s->sc.seed;
    info->camera_name = s->sc.camera.name;
    info->people = s->sc.people_3d ? "3d" : "template";
    info->width = s->sc.camera.width;
    info->height = s->sc.camera.height;
    info->dut_name = s->link ? s->link->dut_name : "";
    info->audit = s->link ? &s->link->audit : NULL;
    info->frames_hash = s->frames_hash;
    info->frames_hash_algorithm = FB_FRAMES_HASH_ALGORITHM;
    info->frames = s->next_frame;
    info->fps = s->sc.camera.fps;
    info->duration_s = s->next_frame / s->sc.camera.fps;
    info->complete = !s->faulted && !s->interrupted && s->next_frame >= s->n_frames;
    if (!info->complete)
        info->stop_reason = s->stop_reason[0] ? s->stop_reason : "stopped before the end";
    if (s->rec) {
        if (s->link)
            fb_record_audit(s->rec, s->link->audit.clean, s->link->audit.egress_attempts,
                            s->link->audit.sandbox_violations);
        fb_record_close(s->rec, info->frames_hash, info->complete, info->stop_reason,
                        s->record_err, sizeof(s->record_err));
        s->rec = NULL;
    }
    return fb_score_finish(s->score, res);
}

void fb_session_close(fb_session *s)
{
    if (!s)
        return;
    if (s->stream)
        fb_stream_close(s->stream, NULL, 0);
    fb_record_close(s->rec, s->frames_hash, false, "closed before the end", NULL, 0);
    fb_link_close(s->link);
    fb_score_free(s->score);
    fb_pixels_free(&s->pixels);
    free(s->counts);
    free(s->frame_ck);
    s->fe_ops->close(s->fe_priv);
    fb_frontend_free(&s->frontend);
    fb_sensor_free(&s->sensor);
    fb_optics_free(&s->optics);
    free(s->truth);
    free(s->radiance_spare);
    fb_render_free(&s->render);
    fb_world_free(&s->world);
    free(s);
}

int fb_run(const fb_scenario *sc, const fb_run_opts *o, FILE *scorecard)
{
    char err[512];
    fb_session *s;
    fb_run_opts ro = o ? *o : (fb_run_opts){0};
    ro.pipeline = true; /* with --threads N > 1: frame n + 1 drawn while frame n is scored */
    int rc = fb_session_open(&s, sc, &ro, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "feverbench: %s\n", err);
        return rc == FB_ERR_DUT ? FB_EXIT_DUT_FAULT : FB_EXIT_USAGE;
    }
    fb_progress pg;
    fb_progress_start(&pg, o && o->progress ? o->progress : "", !(o && o->progress));
    while (fb_session_step(s) > 0)
        fb_progress_update(&pg, s->next_frame, s->n_frames, s->sc.camera.fps);
    fb_progress_end(&pg);
    fb_results res;
    fb_run_info info;
    rc = fb_session_finish(s, &res, &info);
    int status;
    if (rc) {
        fprintf(stderr, "feverbench: scoring failed: %s\n", fb_strerror(rc));
        fb_session_close(s);
        return FB_EXIT_USAGE;
    }
    status = s->interrupted          ? FB_EXIT_SIGNAL + s->interrupted
             : s->bench_error        ? FB_EXIT_USAGE
             : fb_session_faulted(s) || res.dut_faults ? FB_EXIT_DUT_FAULT
             : res.pass              ? FB_EXIT_PASS
                                     : FB_EXIT_FAIL;
    if (fb_session_faulted(s) || s->interrupted)
        fprintf(stderr, "feverbench: %s%s\n", info.stop_reason,
                s->interrupted ? "; the results so far are marked incomplete" : "");
    if (scorecard)
        fb_report_scorecard(scorecard, &info, &res);
    if (o && o->out_dir) {
        if (s->stream) {
            rc = fb_stream_close(s->stream, err, sizeof(err));
            s->stream = NULL;
            if (rc) {
                fprintf(stderr, "feverbench: %s\n", err);
                status = status == FB_EXIT_DUT_FAULT ? status : FB_EXIT_USAGE;
            }
        }
        rc = fb_report_write(o->out_dir, &info, &res, err, sizeof(err));
        if (rc) { /* results not saved: the verdict cannot be trusted by a CI gate */
            fprintf(stderr, "feverbench: %s\n", err);
            status = status == FB_EXIT_DUT_FAULT ? status : FB_EXIT_USAGE;
        }
    }
    if (s->record_err[0]) { /* the recording could not be written (disk full?) */
        fprintf(stderr, "feverbench: %s\n", s->record_err);
        status = status == FB_EXIT_DUT_FAULT ? status : FB_EXIT_USAGE;
    }
    fb_results_free(&res);
    fb_session_close(s);
    return status;
}
