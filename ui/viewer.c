/* viewer.c — the viewer's state: opening SDL and the source, stepping, keys and mouse, the interactive loop, screenshots. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <SDL_ttf.h>
#include "../models/camera.h"
#include "../models/fb_error.h"
#include "util/pngfile.h"
#include "viewer_internal.h"
#include "world/world.h"

const double fb_view_speeds[] = {1.0 / 16, 1.0 / 8, 0.25, 0.5, 1, 2, 4, 8, 16, -1};
const int fb_view_n_speeds = (int)(sizeof fb_view_speeds / sizeof fb_view_speeds[0]);
#define SPEED_1X 4

double fb_view_speed(const fb_viewer *v)
{
    return fb_view_speeds[v->speed_idx];
}

static double now_s(void)
{
    return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency();
}

/* One line on stdout per state change (--trace): what the scripted window tests read. */
static void trace(fb_viewer *v, const char *why)
{
    if (!v->o.trace)
        return;
    char ov[64] = "";
    static const char *const names[] = {"truth", "dut", "blackbody", "zone", "isotherm"};
    for (int i = 0; i < 5; i++)
        if (v->overlays & (1u << i)) {
            if (ov[0])
                strcat(ov, ",");
            strcat(ov, names[i]);
        }
    double sp = fb_view_speed(v);
    printf("state %s frame=%ld paused=%d speed=%s%g palette=%s overlays=%s span=%s size=%dx%d "
           "help=%d\n",
           why, (long)v->src->frames_done - 1, v->paused ? 1 : 0, sp < 0 ? "max" : "",
           sp < 0 ? 0.0 : sp, fb_palette_name(v->palette), ov[0] ? ov : "none",
           v->span_fixed ? "fixed" : "auto", v->out_w, v->out_h, v->help ? 1 : 0);
    fflush(stdout);
}

/* Mean reading over the inner 60 % of the blackbody's aperture, NAN without one. */
static double blackbody_read(const fb_view_source *s)
{
    const fb_blackbody_params *bb = &s->sc.blackbody;
    double u, v, depth;
    if (!bb->enabled || !fb_camera_project(&s->geom, bb->x_m, bb->y_m, bb->z_m, &u, &v, &depth))
        return NAN;
    double inner = 0.6 * bb->aperture_m / 2 * s->geom.focal_px / depth;
    int w = s->sc.camera.width, h = s->sc.camera.height;
    double x0 = fmax(0, ceil(u - inner - 0.5)), x1 = fmin(w - 1, floor(u + inner - 0.5));
    double y0 = fmax(0, ceil(v - inner - 0.5)), y1 = fmin(h - 1, floor(v + inner - 0.5));
    double sum = 0;
    size_t n = 0;
    for (double y = y0; y <= y1; y++)
        for (double x = x0; x <= x1; x++) {
            sum += fb_ck_to_c(s->frame_ck[(size_t)y * (size_t)w + (size_t)x]);
            n++;
        }
    return n ? sum / (double)n : NAN;
}

static void reset_view_state(fb_viewer *v)
{
    v->n_hist = 0;
    v->n_marks = v->next_mark = 0;
    v->bb_claim = FB_VIEW_CLAIM_NONE;
    v->bb_claim_t_s = NAN;
    v->bb_read_c = NAN;
    if (v->res_valid)
        fb_results_free(&v->res);
    v->res_valid = false;
}

int fb_viewer_step(fb_viewer *v)
{
    fb_view_source *s = v->src;
    int rc = s->ops->step(s);
    if (v->res_valid)
        fb_results_free(&v->res);
    v->res_valid = false;
    if (rc <= 0)
        return rc;
    v->bb_read_c = blackbody_read(s);
    if (v->n_hist == v->cap_hist) {
        size_t cap = v->cap_hist ? v->cap_hist * 2 : 1024;
        fb_view_sample *p = realloc(v->hist, cap * sizeof *p);
        if (p) {
            v->hist = p;
            v->cap_hist = cap;
        }
    }
    fb_view_sample *smp = NULL;
    if (v->n_hist < v->cap_hist) {
        smp = &v->hist[v->n_hist++];
        smp->t_s = s->truth.t_s;
        smp->ambient_c = s->truth.ambient_c;
        smp->bb_read_c = v->bb_read_c;
        smp->offset_c = v->bb_read_c - s->truth.blackbody_c;
        smp->bb_truth = (int8_t)s->truth.blackbody_state;
    }
    for (size_t i = 0; i < s->n_events; i++) {
        const fbfw_event *e = &s->events[i].ev;
        if (e->kind == FBFW_EV_STATUS && (e->status == FBFW_STATUS_BLACKBODY_LOST ||
                                          e->status == FBFW_STATUS_BLACKBODY_OK)) {
            v->bb_claim = (int)e->status;
            v->bb_claim_t_s = s->events[i].arrival_t_s;
        }
        if (e->kind != FBFW_EV_MEASUREMENT)
            continue;
        fb_view_mark *m = &v->marks[v->next_mark];
        m->ev = s->events[i].ev;
        m->t_s = s->events[i].arrival_t_s;
        v->next_mark = (v->next_mark + 1) % FB_VIEW_MAX_MARKS;
        if (v->n_marks < FB_VIEW_MAX_MARKS)
            v->n_marks++;
    }
    if (smp) /* the claim as it stands after this frame's events */
        smp->bb_claim = (int8_t)v->bb_claim;
    return 1;
}

static int restart(fb_viewer *v)
{
    int rc = v->src->ops->restart(v->src);
    reset_view_state(v);
    if (rc)
        fprintf(stderr, "feverbench view: restart failed: %s\n", v->src->error);
    return rc;
}

int fb_viewer_seek(fb_viewer *v, uint32_t frame, char *err, size_t err_len)
{
    uint64_t want = (uint64_t)frame + 1;
    if (v->src->frames_done > want && restart(v)) {
        snprintf(err, err_len, "%s", v->src->error);
        return FB_ERR_IO;
    }
    while (v->src->frames_done < want) {
        int rc = fb_viewer_step(v);
        if (rc < 0) {
            snprintf(err, err_len, "%s", v->src->error);
            return rc;
        }
        if (rc == 0) {
            snprintf(err, err_len, "the run has %u frames: frame %u is past its end",
                     (unsigned)v->src->frames_done, (unsigned)frame);
            return FB_ERR_RANGE;
        }
    }
    return 0;
}

void fb_viewer_draw(fb_viewer *v)
{
    if (!v->res_valid)
        v->res_valid = v->src->ops->peek(v->src, &v->res) == 0;
    fb_view_draw(v);
}

int fb_viewer_save_png(fb_viewer *v, const char *path, char *err, size_t err_len)
{
    if (v->surface) {
        SDL_RenderFlush(v->ren);
        return fb_png_write(path, FB_PNG_RGB8, v->surface->pixels, v->surface->w,
                            v->surface->h, (size_t)v->surface->pitch, NULL, NULL, 0, err, err_len);
    }
    size_t pitch = (size_t)v->out_w * 4;
    uint32_t *buf = malloc(pitch * (size_t)v->out_h);
    if (!buf) {
        snprintf(err, err_len, "out of memory for the screenshot");
        return -1;
    }
    int rc = SDL_RenderReadPixels(v->ren, NULL, SDL_PIXELFORMAT_ARGB8888, buf, (int)pitch);
    if (rc != 0)
        snprintf(err, err_len, "reading the window back failed: %s", SDL_GetError());
    else
        rc = fb_png_write(path, FB_PNG_RGB8, buf, v->out_w, v->out_h, pitch, NULL, NULL, 0, err,
                          err_len);
    free(buf);
    return rc;
}

int fb_viewer_export(fb_viewer *v, const char *base, char *err, size_t err_len)
{
    int w, h;
    const uint16_t *ck = fb_viewer_frame(v, &w, &h);
    if (!ck) {
        snprintf(err, err_len, "no frame to export yet");
        return -1;
    }
    char path[1100], seed[32], frame[32], t[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)v->src->sc.seed);
    snprintf(frame, sizeof frame, "%u", (unsigned)(v->src->frames_done - 1));
    snprintf(t, sizeof t, "%.4f", v->src->truth.t_s);
    const char *keys[] = {"Scenario", "Seed", "Frame", "Time s", "Unit"};
    const char *vals[] = {v->src->sc.name, seed, frame, t, "0.01 K (pixel / 100 - 273.15 = degC)"};
    snprintf(path, sizeof path, "%s.png", base);
    if (fb_png_write(path, FB_PNG_GRAY16, ck, w, h, (size_t)w * 2, keys, vals, 5, err, err_len))
        return -1;
    snprintf(path, sizeof path, "%s.csv", base);
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            fprintf(f, "%.2f%c", fb_ck_to_c(ck[(size_t)y * (size_t)w + (size_t)x]),
                    x + 1 < w ? ',' : '\n');
    if (fclose(f) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Export key: SHOT_DIR/feverbench-NAME-fFRAME-radiometric.png and .csv. */
static void key_export(fb_viewer *v)
{
    char base[1100], err[600];
    snprintf(base, sizeof base, "%s/feverbench-%s-f%06ld-radiometric",
             v->o.shot_dir ? v->o.shot_dir : ".", v->src->sc.name, (long)v->src->frames_done - 1);
    if (fb_viewer_export(v, base, err, sizeof err) == 0) {
        printf("feverbench view: wrote %s.png and .csv\n", base);
        fflush(stdout);
        snprintf(v->flash, sizeof v->flash, "exported %.200s.png/.csv", base);
    } else {
        fprintf(stderr, "feverbench view: %s\n", err);
        snprintf(v->flash, sizeof v->flash, "export failed: %.200s", err);
    }
    v->flash_until_ms = SDL_GetTicks() + 4000;
}

static void output_size(fb_viewer *v)
{
    if (v->surface) {
        v->out_w = v->surface->w;
        v->out_h = v->surface->h;
    } else {
        SDL_GetRendererOutputSize(v->ren, &v->out_w, &v->out_h);
    }
}

/* Screenshot key: SHOT_DIR/feverbench-NAME-fFRAME.png. */
static void key_screenshot(fb_viewer *v)
{
    char path[1200], err[600];
    snprintf(path, sizeof path, "%s/feverbench-%s-f%06ld.png", v->o.shot_dir ? v->o.shot_dir : ".",
             v->src->sc.name, (long)v->src->frames_done - 1);
    if (fb_viewer_save_png(v, path, err, sizeof err) == 0) {
        printf("feverbench view: wrote %s\n", path);
        fflush(stdout);
        snprintf(v->flash, sizeof v->flash, "saved %.200s", path);
    } else {
        fprintf(stderr, "feverbench view: %s\n", err);
        snprintf(v->flash, sizeof v->flash, "screenshot failed: %.200s", err);
    }
    v->flash_until_ms = SDL_GetTicks() + 4000;
}

/* Pauses and shows frame (clamped to the run), re-running from the start when it lies behind
 * (the same seed gives the same frames); a failure is flashed. */
static void seek_to(fb_viewer *v, long frame)
{
    long last = (long)v->src->frames_planned - 1;
    if (frame > last)
        frame = last;
    if (frame < 0)
        frame = 0;
    v->paused = true;
    char err[600];
    if (fb_viewer_seek(v, (uint32_t)frame, err, sizeof err) != 0) {
        snprintf(v->flash, sizeof v->flash, "seek failed: %.200s", err);
        v->flash_until_ms = SDL_GetTicks() + 4000;
    }
}

bool fb_viewer_region(const fb_viewer *v, fb_vregion *region, fb_vregion_stats *stats)
{
    int w, h;
    const uint16_t *ck = fb_viewer_frame(v, &w, &h);
    if (!v->region_set || !ck)
        return false;
    if (region)
        *region = v->region;
    fb_vregion_stats st;
    if (fb_vregion_measure(&v->region, ck, w, h, &st))
        return false;
    if (stats)
        *stats = st;
    return true;
}

/* Output pixels -> camera pixel coordinates (through the image's place on screen). */
static void to_camera(const fb_viewer *v, int ox, int oy, double *cx, double *cy)
{
    const fb_viewer_info *in = &v->info;
    *cx = in->img_w > 0 ? (ox - in->img_x) * (double)v->src->sc.camera.width / in->img_w : 0;
    *cy = in->img_h > 0 ? (oy - in->img_y) * (double)v->src->sc.camera.height / in->img_h : 0;
}

static void on_key(fb_viewer *v, SDL_Keycode k, Uint16 mod)
{
    const char *what = NULL;
    bool shift = (mod & KMOD_SHIFT) != 0;
    switch (k) {
    case SDLK_SPACE:
        v->paused = !v->paused;
        what = v->paused ? "pause" : "resume";
        break;
    case SDLK_PERIOD:
    case SDLK_RIGHT:
        v->paused = true;
        fb_viewer_step(v);
        what = "step";
        break;
    case SDLK_COMMA:
    case SDLK_LEFT: /* one frame back */
        seek_to(v, (long)v->src->frames_done - 2);
        what = "step back";
        break;
    case SDLK_PAGEUP:
    case SDLK_PAGEDOWN: { /* ten seconds back or on */
        long ten = lround(10.0 * v->src->sc.camera.fps);
        seek_to(v, (long)v->src->frames_done - 1 + (k == SDLK_PAGEUP ? -ten : ten));
        what = "seek";
        break;
    }
    case SDLK_HOME:
        seek_to(v, 0);
        what = "seek";
        break;
    case SDLK_m: /* the region tool: spot, box, ellipse, line */
        v->tool = (v->tool + (shift ? FB_VREGION_KINDS : 1)) % (FB_VREGION_KINDS + 1);
        what = "tool";
        break;
    case SDLK_c:
        v->region_set = false;
        what = "clear region";
        break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS:
        if (v->speed_idx + 1 < fb_view_n_speeds)
            v->speed_idx++;
        what = "faster";
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        if (v->speed_idx > 0)
            v->speed_idx--;
        what = "slower";
        break;
    case SDLK_r:
        restart(v);
        what = "restart";
        break;
    case SDLK_p:
        v->palette = (fb_palette_id)(((int)v->palette + (shift ? FB_PAL_COUNT - 1 : 1)) % FB_PAL_COUNT);
        what = "palette";
        break;
    case SDLK_a:
        v->span_fixed = !v->span_fixed;
        if (v->span_fixed) { /* freeze the span now in use */
            v->span_lo = v->cur_lo;
            v->span_hi = v->cur_hi;
        }
        what = "span";
        break;
    case SDLK_t: v->overlays ^= FB_OV_TRUTH; what = "overlay"; break;
    case SDLK_d: v->overlays ^= FB_OV_DUT; what = "overlay"; break;
    case SDLK_b: v->overlays ^= FB_OV_BLACKBODY; what = "overlay"; break;
    case SDLK_z: v->overlays ^= FB_OV_ZONE; what = "overlay"; break;
    case SDLK_i: v->overlays ^= FB_OV_ISOTHERM; what = "overlay"; break;
    case SDLK_s:
        key_screenshot(v);
        what = "screenshot";
        break;
    case SDLK_e:
        key_export(v);
        what = "export";
        break;
    case SDLK_SLASH:
    case SDLK_QUESTION:
    case SDLK_h:
    case SDLK_F1:
        if (k == SDLK_SLASH && !shift)
            break;
        v->help = !v->help;
        what = "help";
        break;
    case SDLK_q:
    case SDLK_ESCAPE:
        if (k == SDLK_ESCAPE && v->help) {
            v->help = false;
            what = "help";
            break;
        }
        v->quit = true;
        what = "quit";
        break;
    default: break;
    }
    if (what)
        trace(v, what);
}

bool fb_viewer_handle_event(fb_viewer *v, const void *sdl_event)
{
    const SDL_Event *e = sdl_event;
    switch (e->type) {
    case SDL_QUIT:
        v->quit = true;
        trace(v, "quit");
        break;
    case SDL_KEYDOWN:
        on_key(v, e->key.keysym.sym, e->key.keysym.mod);
        break;
    case SDL_MOUSEMOTION: {
        /* window coordinates -> output pixels (they differ on high-DPI screens) */
        int ww = v->out_w, wh = v->out_h;
        if (v->win)
            SDL_GetWindowSize(v->win, &ww, &wh);
        v->mouse_x = ww > 0 ? e->motion.x * v->out_w / ww : e->motion.x;
        v->mouse_y = wh > 0 ? e->motion.y * v->out_h / wh : e->motion.y;
        const fb_viewer_info *in = &v->info;
        v->mouse_in = v->mouse_x >= in->img_x && v->mouse_x < in->img_x + in->img_w &&
                      v->mouse_y >= in->img_y && v->mouse_y < in->img_y + in->img_h;
        if (v->dragging)
            to_camera(v, v->mouse_x, v->mouse_y, &v->region.x1, &v->region.y1);
        break;
    }
    case SDL_MOUSEBUTTONDOWN: {
        /* a click on the timeline seeks there */
        int ww = v->out_w, wh = v->out_h;
        if (v->win)
            SDL_GetWindowSize(v->win, &ww, &wh);
        int mx = ww > 0 ? e->button.x * v->out_w / ww : e->button.x;
        int my = wh > 0 ? e->button.y * v->out_h / wh : e->button.y;
        const fb_viewer_info *in = &v->info;
        bool on_image = mx >= in->img_x && mx < in->img_x + in->img_w && my >= in->img_y &&
                        my < in->img_y + in->img_h;
        if (e->button.button == SDL_BUTTON_LEFT && v->tool > 0 && on_image) {
            double cx, cy;
            to_camera(v, mx, my, &cx, &cy);
            v->region = (fb_vregion){(fb_vregion_kind)(v->tool - 1), cx, cy, cx, cy};
            v->region_set = v->dragging = true;
            trace(v, "region start");
            break;
        }
        if (e->button.button == SDL_BUTTON_LEFT && in->timeline_w > 0 && mx >= in->timeline_x &&
            mx < in->timeline_x + in->timeline_w && my >= in->timeline_y - 3 &&
            my < in->timeline_y + in->timeline_h + 3) {
            double f = (double)(mx - in->timeline_x) / in->timeline_w;
            seek_to(v, lround(f * ((double)v->src->frames_planned - 1)));
            trace(v, "seek");
        }
        break;
    }
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT && v->dragging) {
            v->dragging = false;
            trace(v, "region set");
        }
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            output_size(v);
            char err[600];
            if (fb_view_fonts(v, err, sizeof err))
                fprintf(stderr, "feverbench view: %s\n", err);
            trace(v, "resize");
        } else if (e->window.event == SDL_WINDOWEVENT_LEAVE) {
            v->mouse_in = false;
        }
        break;
    default: break;
    }
    return !v->quit;
}

int fb_viewer_run(fb_viewer *v)
{
    double prev = now_s(), stat_t0 = prev, budget = 0, last_draw = 0;
    uint32_t stat_frames = 0, stat_draws = 0;
    bool was_finished = false;
    trace(v, "start");
    while (!v->quit) {
        bool dirty = false;
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            fb_viewer_handle_event(v, &e);
            dirty = true;
        }
        if (v->quit)
            break;
        double t = now_s(), dt = t - prev;
        prev = t;
        if (dt > 0.25)
            dt = 0.25;
        fb_view_source *s = v->src;
        if (!v->paused && !s->finished) {
            /* step as many frames as the sensor made since the last pass (x speed), or as many
             * as fit in 30 ms ("as fast as possible"); draw once after them */
            double sp = fb_view_speed(v);
            double deadline = t + 0.030;
            uint32_t before = stat_frames;
            if (sp < 0) {
                while (now_s() < deadline && fb_viewer_step(v) > 0)
                    stat_frames++;
            } else {
                budget += dt * s->sc.camera.fps * sp;
                while (budget >= 1 && now_s() < deadline + 0.010) {
                    if (fb_viewer_step(v) <= 0)
                        break;
                    stat_frames++;
                    budget -= 1;
                }
                if (budget > 2) /* cannot keep up: drop the backlog rather than spiral */
                    budget = 2;
            }
            dirty = dirty || stat_frames != before || s->finished;
        } else {
            budget = 0;
        }
        if (s->finished && !was_finished) {
            was_finished = true;
            if (s->error[0])
                fprintf(stderr, "feverbench view: %s\n", s->error);
            trace(v, "finished");
        } else if (!s->finished) {
            was_finished = false;
        }
        t = now_s();
        if (t - stat_t0 >= 0.5) {
            v->fps_sim = stat_frames / (t - stat_t0);
            v->fps_draw = stat_draws / (t - stat_t0);
            stat_frames = stat_draws = 0;
            stat_t0 = t;
        }
        if (dirty || t - last_draw > 0.25) {
            fb_viewer_draw(v);
            SDL_RenderPresent(v->ren);
            stat_draws++;
            last_draw = t;
        }
        double spent = now_s() - t;
        if (spent < 0.012)
            SDL_Delay((Uint32)((0.012 - spent) * 1000));
    }
    return 0;
}

void fb_viewer_get_info(const fb_viewer *v, fb_viewer_info *out)
{
    *out = v->info;
    out->frame = v->src->frames_done ? v->src->frames_done - 1 : UINT32_MAX;
    out->paused = v->paused;
    out->bb_claim = v->bb_claim;
    out->bb_claim_t_s = v->bb_claim_t_s;
    out->finished = v->src->finished;
    out->fault = v->src->faulted && v->src->fault[0] ? v->src->fault : NULL;
    out->help = v->help;
    out->speed = fb_view_speed(v);
    out->palette = v->palette;
    out->overlays = v->overlays;
    out->span_fixed = v->span_fixed;
    out->span_lo_c = v->cur_lo;
    out->span_hi_c = v->cur_hi;
    out->isotherm_c = v->iso_c;
    out->win_w = v->out_w;
    out->win_h = v->out_h;
    out->font_px = v->font_px;
}

const fb_truth_frame *fb_viewer_truth(const fb_viewer *v, const fb_subject_info **subjects,
                                      size_t *n_subjects)
{
    *subjects = v->src->subjects;
    *n_subjects = v->src->n_subjects;
    return &v->src->truth;
}

double fb_viewer_fps(const fb_viewer *v)
{
    return v->src->sc.camera.fps;
}

uint32_t fb_viewer_frames_planned(const fb_viewer *v)
{
    return v->src->frames_planned;
}

const uint16_t *fb_viewer_frame(const fb_viewer *v, int *width, int *height)
{
    *width = v->src->sc.camera.width;
    *height = v->src->sc.camera.height;
    return v->src->frames_done ? v->src->frame_ck : NULL;
}

int fb_viewer_open(fb_viewer **out, const fb_viewer_opts *o, char *err, size_t err_len)
{
    *out = NULL;
    fb_viewer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    v->o = *o;
    if (v->o.width <= 0 || v->o.height <= 0) {
        v->o.width = 1280;
        v->o.height = 720;
    }
    snprintf(v->font_dir, sizeof v->font_dir, "%s",
             o->font_dir ? o->font_dir : "/usr/share/fonts/truetype/dejavu");
    v->palette = (unsigned)o->palette < FB_PAL_COUNT ? o->palette : FB_PAL_IRON;
    v->overlays = o->overlays & FB_OV_ALL;
    v->span_fixed = o->span_fixed;
    v->span_lo = o->span_fixed ? o->span_lo_c : 20.0;
    v->span_hi = o->span_fixed ? o->span_hi_c : 40.0;
    v->cur_lo = v->span_lo;
    v->cur_hi = v->span_hi;
    v->paused = o->start_paused;
    v->speed_idx = SPEED_1X;
    if (o->speed < 0) {
        v->speed_idx = fb_view_n_speeds - 1;
    } else if (o->speed > 0) {
        for (int i = 0; i + 1 < fb_view_n_speeds; i++)
            if (fabs(log(fb_view_speeds[i] / o->speed)) < fabs(log(fb_view_speeds[v->speed_idx] / o->speed)))
                v->speed_idx = i;
    }
    v->bb_read_c = NAN;
    v->bb_claim = FB_VIEW_CLAIM_NONE;
    v->bb_claim_t_s = NAN;
    v->lut = malloc(65536 * sizeof *v->lut);
    v->hist_counts = malloc(6554 * sizeof *v->hist_counts);
    if (!v->lut || !v->hist_counts) {
        snprintf(err, err_len, "out of memory");
        fb_viewer_close(v);
        return FB_ERR_NOMEM;
    }

    int rc;
    if (o->replay) {
        rc = fb_view_source_replay(&v->src, o->replay, o->replay_scenario, o->replay_camera, err,
                                   err_len);
    } else {
        fb_live_opts lo = {o->scenario ? o->scenario : "default", o->dut_spec, o->seed_set,
                           o->seed, o->duration_s, o->threads};
        rc = fb_view_source_live(&v->src, &lo, err, err_len);
    }
    if (rc) {
        fb_viewer_close(v);
        return rc;
    }
    v->iso_c = v->src->sc.dut.alarm_threshold_c - v->src->sc.dut.body_offset_c;

    if (o->headless) {
        v->surface = SDL_CreateRGBSurfaceWithFormat(0, v->o.width, v->o.height, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
        v->ren = v->surface ? SDL_CreateSoftwareRenderer(v->surface) : NULL;
        if (!v->ren) {
            snprintf(err, err_len, "cannot create the off-screen renderer: %s", SDL_GetError());
            fb_viewer_close(v);
            return FB_ERR_NOMEM;
        }
    } else {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            snprintf(err, err_len,
                     "cannot open a window (%s); for pictures without a display use "
                     "--screenshot or --sequence",
                     SDL_GetError());
            fb_viewer_close(v);
            return FB_ERR_IO;
        }
        v->sdl_up = true;
        /* With no display SDL may settle on a driver that shows nothing ("offscreen", "dummy"
         * on Debian 12's SDL 2.26): a window nobody sees, a viewer that never ends. Unless the
         * user asked for that driver by name, that is "no display". */
        const char *drv = SDL_GetCurrentVideoDriver();
        const char *asked = SDL_getenv("SDL_VIDEODRIVER");
        if (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0) &&
            !(asked && strstr(asked, drv))) {
            snprintf(err, err_len,
                     "no display to open a window on (SDL found only its invisible \"%s\" "
                     "driver; DISPLAY and WAYLAND_DISPLAY are %s); for pictures without a "
                     "display use --screenshot or --sequence",
                     drv,
                     SDL_getenv("DISPLAY") || SDL_getenv("WAYLAND_DISPLAY") ? "set" : "unset");
            fb_viewer_close(v);
            return FB_ERR_IO;
        }
        char title[200];
        snprintf(title, sizeof title, "feverbench view: %s", v->src->sc.name);
        v->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                  v->o.width, v->o.height,
                                  SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
        v->ren = v->win ? SDL_CreateRenderer(v->win, -1, 0) : NULL;
        if (!v->ren) {
            snprintf(err, err_len, "cannot create the window: %s", SDL_GetError());
            fb_viewer_close(v);
            return FB_ERR_IO;
        }
        SDL_SetWindowMinimumSize(v->win, 640, 400);
    }
    output_size(v);
    if (TTF_Init() != 0) {
        snprintf(err, err_len, "SDL_ttf: %s", TTF_GetError());
        fb_viewer_close(v);
        return FB_ERR_IO;
    }
    v->ttf_up = true;
    if (fb_view_fonts(v, err, err_len)) {
        fb_viewer_close(v);
        return FB_ERR_IO;
    }
    *out = v;
    return 0;
}

void fb_viewer_close(fb_viewer *v)
{
    if (!v)
        return;
    fb_text_free(&v->sans);
    fb_text_free(&v->bold);
    fb_text_free(&v->mono);
    if (v->img_tex)
        SDL_DestroyTexture(v->img_tex);
    if (v->ren)
        SDL_DestroyRenderer(v->ren);
    if (v->surface)
        SDL_FreeSurface(v->surface);
    if (v->win)
        SDL_DestroyWindow(v->win);
    if (v->ttf_up)
        TTF_Quit();
    if (v->sdl_up)
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    if (v->res_valid)
        fb_results_free(&v->res);
    fb_view_source_close(v->src);
    free(v->hist);
    free(v->lut);
    free(v->hist_counts);
    free(v);
}
