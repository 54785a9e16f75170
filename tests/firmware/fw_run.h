/* fw_run.h — drives the reference firmware through a painted scene and collects its events with the truth. */
#ifndef FW_RUN_H
#define FW_RUN_H

#include <stdlib.h>

#include "fbfw.h"
#include "fw_scene.h"

#define FW_MAX_WALKERS 4
#define FW_MAX_EVENTS 64
#define FW_GUARD_BYTES 256

enum { FW_CUP_NONE = 0, FW_CUP_CHEST = 1, FW_CUP_BESIDE_HEAD = 2, FW_CUP_MOUTH = 3 };

/* A person walking toward the camera along the lane. */
typedef struct fw_walker {
    double x_m, d0_m, speed_mps, canthus_c;
    double z_m; /* head centre height (1.6 m: a 1.72 m person) */
    int hands;
    int cup;  /* FW_CUP_* : a 60 °C cup held by this person */
    int mask; /* a face mask over nose, mouth and chin: at room temperature, ... */
    double mask_warm_k; /* ... or, when not 0, at the canthus plus this (a breathed-warm mask) */
} fw_walker;

typedef struct fw_opts {
    double ambient_c;
    double offset_k, offset_end_k; /* camera offset, ramped linearly ... */
    int offset_ramp_frames;        /* ... over this many frames (0: the whole run), then held */
    double netd_k, fpn_k;
    int blur;
    int with_bb;    /* configure a blackbody (it is painted whenever bb_visible) */
    int bb_visible;
    double bb_c;
    int occlude_from, occlude_to; /* frames [from, to) where the rectangle shows occlude_c */
    double occlude_c;
    int frozen_from, frozen_to; /* frames [from, to) flagged FBFW_FRAME_FROZEN */
    int veil_from, veil_to;     /* frames [from, to): a room-temperature pillar in front of all, */
    double veil_x0, veil_x1;    /* over columns [x0, x1) */
    int no_room_until;          /* frames before this get max_events = 0 */
    int n_frames;
    uint32_t seed;
    int n_walkers;
    fw_walker w[FW_MAX_WALKERS];
    int cup_alone; /* a hand holding a 60 °C cup, carried toward the camera, no person */
    double set_c, threshold_c, body_offset_c;
    /* Optional: called after each frame with the firmware state (for debugging). */
    void (*hook)(const void *state, int frame, const fbfw_event *ev, int n);
} fw_opts;

typedef struct fw_result {
    int n_events, n_meas, n_status, n_lost, n_ok;
    fbfw_event ev[FW_MAX_EVENTS];
    int who[FW_MAX_EVENTS];      /* walker whose head box overlaps the event box best, or -1 */
    double iou[FW_MAX_EVENTS];   /* that overlap (intersection over union) */
    double head_w[FW_MAX_EVENTS]; /* that walker's true head width then, pixels */
    int bad_return;              /* fbfw_process returned < 0 */
    int guard_ok;                /* the bytes after the state were never written */
    size_t state_size;
} fw_result;

static inline void fw_opts_default(fw_opts *o) {
    memset(o, 0, sizeof(*o));
    o->ambient_c = 24.0;
    o->offset_k = 0.8;
    o->offset_end_k = 0.8;
    o->netd_k = 0.05;
    o->fpn_k = 0.02;
    o->with_bb = 1;
    o->bb_visible = 1;
    o->bb_c = 35.0;
    o->occlude_from = o->occlude_to = -1;
    o->occlude_c = 30.0;
    o->frozen_from = o->frozen_to = -1;
    o->veil_from = o->veil_to = -1;
    o->n_frames = 90;
    o->seed = 1;
    o->set_c = 35.0;
    o->threshold_c = 37.5;
    o->body_offset_c = 1.24;
}

static inline fw_walker fw_walker_make(double x_m, double d0_m, double canthus_c) {
    fw_walker w;
    w.x_m = x_m;
    w.d0_m = d0_m;
    w.speed_mps = 1.3;
    w.z_m = 1.6;
    w.canthus_c = canthus_c;
    w.hands = 1;
    w.cup = FW_CUP_NONE;
    w.mask = 0;
    w.mask_warm_k = 0.0;
    return w;
}

static inline uint16_t fw_ck(double c) {
    return (uint16_t)floor(c * 100.0 + 27315.0 + 0.5);
}

static inline double fw_c(uint16_t ck) {
    return ((double)ck - 27315.0) / 100.0;
}

/* The config the bench would give for this scene: the installer rectangle is the painted
 * source with a 3 px margin. */
static inline void fw_make_config(const fw_opts *o, fbfw_config *c) {
    memset(c, 0, sizeof(*c));
    c->api_version = FBFW_API_VERSION;
    c->width = FW_W;
    c->height = FW_H;
    c->fps_milli = (uint32_t)(FW_FPS * 1000.0);
    c->focal_px_milli = (uint32_t)(FW_FOCAL * 1000.0);
    if (o->with_bb) {
        double u, v, s;
        int x0, y0, x1, y1;
        fw_project(0.4, 2.5, 1.6, &u, &v, &s);
        x0 = (int)floor(u - 0.035 * s) - 3;
        y0 = (int)floor(v - 0.035 * s) - 3;
        x1 = (int)ceil(u + 0.035 * s) + 3;
        y1 = (int)ceil(v + 0.035 * s) + 3;
        c->bb_x = (uint16_t)x0;
        c->bb_y = (uint16_t)y0;
        c->bb_w = (uint16_t)(x1 - x0);
        c->bb_h = (uint16_t)(y1 - y0);
        c->bb_set_ck = fw_ck(o->set_c);
    }
    c->alarm_threshold_ck = fw_ck(o->threshold_c);
    c->body_offset_ck = (uint16_t)floor(o->body_offset_c * 100.0 + 0.5);
}

static inline double fw_iou(double ax, double ay, double aw, double ah, double bx, double by,
                            double bw, double bh) {
    double ix = fmin(ax + aw, bx + bw) - fmax(ax, bx), iy = fmin(ay + ah, by + bh) - fmax(ay, by);
    double inter = (ix > 0 && iy > 0) ? ix * iy : 0.0, uni = aw * ah + bw * bh - inter;
    return uni > 0 ? inter / uni : 0.0;
}

/* A hand (canthus - 3 °C) holding a 60 °C cup (8 x 10 cm) at (u, v), s px per metre. */
static inline void fw_paint_cup(fw_scene *sc, double u, double v, double s, double hand_c) {
    fw_paint(sc, 0, u, v + 0.05 * s, 0.05 * s, 0.04 * s, hand_c, 1e9);
    fw_paint(sc, 0, u, v, 0.04 * s, 0.05 * s, 60.0, 1e9);
}

static fw_scene fw_the_scene;
static uint16_t fw_the_frame[FW_W * FW_H];
#define FW_MAX_FRAMES 1024
/* True head boxes per frame and walker (width 0: not in view), to match events by the frame
 * they name, like the bench's scorer. */
static double fw_truth_box[FW_MAX_FRAMES][FW_MAX_WALKERS][4];

/* Runs the scene through a fresh firmware instance. */
static inline void fw_run(const fw_opts *o, fw_result *r) {
    fw_scene *sc = &fw_the_scene;
    fbfw_config cfg;
    unsigned char *mem;
    size_t size, i;
    int f, k, order[FW_MAX_WALKERS];

    memset(r, 0, sizeof(*r));
    fw_make_config(o, &cfg);
    size = fbfw_state_size(&cfg);
    r->state_size = size;
    mem = (unsigned char *)malloc(size + FW_GUARD_BYTES); /* malloc is 8-byte aligned */
    if (!mem || size == 0 || fbfw_init(mem, size, &cfg) != 0) {
        r->bad_return = 1;
        free(mem);
        return;
    }
    for (i = 0; i < FW_GUARD_BYTES; i++)
        mem[size + i] = (unsigned char)(0xA5u ^ i);
    fw_scene_init(sc, o->ambient_c, o->seed * 2654435761u + 1u, o->fpn_k);

    for (f = 0; f < o->n_frames; f++) {
        double t = f / FW_FPS;
        int ramp = o->offset_ramp_frames > 0 ? o->offset_ramp_frames : o->n_frames - 1;
        double off = o->offset_k + (o->offset_end_k - o->offset_k) * (f < ramp ? f : ramp) / (ramp > 0 ? ramp : 1);
        double *hx[FW_MAX_WALKERS], *hy[FW_MAX_WALKERS], *hw[FW_MAX_WALKERS], *hh[FW_MAX_WALKERS];
        const int fi = f < FW_MAX_FRAMES ? f : FW_MAX_FRAMES - 1;
        fbfw_event ev[8];
        int n, e;
        for (k = 0; k < FW_MAX_WALKERS; k++) {
            hx[k] = &fw_truth_box[fi][k][0];
            hy[k] = &fw_truth_box[fi][k][1];
            hw[k] = &fw_truth_box[fi][k][2];
            hh[k] = &fw_truth_box[fi][k][3];
            *hw[k] = 0.0;
        }
        fw_scene_clear(sc);
        if (o->with_bb && o->bb_visible) {
            int x0, y0, x1, y1;
            fw_paint_blackbody(sc, o->bb_c, &x0, &y0, &x1, &y1);
        }
        if (f >= o->occlude_from && f < o->occlude_to) {
            fw_paint(sc, 0, cfg.bb_x + cfg.bb_w / 2.0, cfg.bb_y + cfg.bb_h / 2.0, cfg.bb_w / 2.0,
                     cfg.bb_h / 2.0, o->occlude_c, 1e9);
        }
        if (o->cup_alone) {
            double u, v, s;
            fw_project(0.15, 4.0 - 1.3 * t, 1.1, &u, &v, &s);
            if (4.0 - 1.3 * t > 0.5)
                fw_paint_cup(sc, u, v, s, 32.6);
        }
        /* Far to near. */
        for (k = 0; k < o->n_walkers; k++)
            order[k] = k;
        for (k = 1; k < o->n_walkers; k++) {
            int j = k, x = order[k];
            double dx = o->w[x].d0_m - o->w[x].speed_mps * t;
            while (j > 0 && o->w[order[j - 1]].d0_m - o->w[order[j - 1]].speed_mps * t < dx) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = x;
        }
        for (k = 0; k < o->n_walkers; k++) {
            const fw_walker *w = &o->w[order[k]];
            double d = w->d0_m - w->speed_mps * t;
            fw_person_px p;
            if (d < 0.5)
                continue;
            p = fw_paint_person(sc, w->x_m, d, w->z_m, w->canthus_c, w->hands);
            *hx[order[k]] = p.u - 0.08 * p.scale;
            *hy[order[k]] = p.v - 0.115 * p.scale;
            *hw[order[k]] = 0.16 * p.scale;
            *hh[order[k]] = 0.23 * p.scale;
            if (w->mask && w->mask_warm_k == 0.0) /* an ellipse from below the eyes to the chin */
                fw_paint(sc, 1, p.u, p.v + 0.055 * p.scale, 0.064 * p.scale, 0.052 * p.scale,
                         o->ambient_c, 1e9);
            else if (w->mask) /* worn up to the nose bridge, its top 1.7 cm under the canthi (as the bench's 3D masks) */
                fw_paint(sc, 1, p.u, p.v + 0.053 * p.scale, 0.064 * p.scale, 0.056 * p.scale,
                         w->canthus_c + w->mask_warm_k, 1e9);
            if (w->cup == FW_CUP_CHEST)
                fw_paint_cup(sc, p.u + 0.18 * p.scale, p.v + 0.45 * p.scale, p.scale, w->canthus_c - 3.0);
            else if (w->cup == FW_CUP_BESIDE_HEAD)
                fw_paint_cup(sc, p.u + 0.17 * p.scale, p.v + 0.03 * p.scale, p.scale, w->canthus_c - 3.0);
            else if (w->cup == FW_CUP_MOUTH)
                fw_paint_cup(sc, p.u + 0.03 * p.scale, p.v + 0.09 * p.scale, p.scale, w->canthus_c - 3.0);
        }
        if (f >= o->veil_from && f < o->veil_to)
            fw_paint(sc, 0, 0.5 * (o->veil_x0 + o->veil_x1), FW_H / 2.0,
                     0.5 * (o->veil_x1 - o->veil_x0), FW_H / 2.0, o->ambient_c, 1e9);
        if (o->blur)
            fw_blur(sc);
        fw_render(sc, off, o->netd_k, fw_the_frame);
        n = fbfw_process(mem, fw_the_frame, (uint32_t)f,
                         (f >= o->frozen_from && f < o->frozen_to) ? FBFW_FRAME_FROZEN : 0u, ev,
                         f < o->no_room_until ? 0 : 8);
        if (o->hook)
            o->hook(mem, f, ev, n);
        if (n < 0 || n > 8) {
            r->bad_return = 1;
            continue;
        }
        for (e = 0; e < n && r->n_events < FW_MAX_EVENTS; e++) {
            int m = r->n_events++;
            r->ev[m] = ev[e];
            r->who[m] = -1;
            r->iou[m] = 0.0;
            if (ev[e].kind == FBFW_EV_MEASUREMENT) {
                r->n_meas++;
                for (k = 0; k < o->n_walkers && ev[e].frame <= (uint32_t)f; k++) {
                    const double *tb = fw_truth_box[ev[e].frame < FW_MAX_FRAMES ? ev[e].frame : 0][k];
                    double iou;
                    if (tb[2] <= 0.0)
                        continue;
                    iou = fw_iou(ev[e].box_x, ev[e].box_y, ev[e].box_w, ev[e].box_h, tb[0], tb[1],
                                 tb[2], tb[3]);
                    if (iou > r->iou[m]) {
                        r->iou[m] = iou;
                        r->who[m] = k;
                        r->head_w[m] = tb[2];
                    }
                }
            } else if (ev[e].kind == FBFW_EV_STATUS) {
                r->n_status++;
                r->n_lost += ev[e].status == FBFW_STATUS_BLACKBODY_LOST;
                r->n_ok += ev[e].status == FBFW_STATUS_BLACKBODY_OK;
            }
        }
    }
    r->guard_ok = 1;
    for (i = 0; i < FW_GUARD_BYTES; i++)
        if (mem[size + i] != (unsigned char)(0xA5u ^ i))
            r->guard_ok = 0;
    free(mem);
}

/* Index of the first measurement event for walker k, or -1. */
static inline int fw_meas_of(const fw_result *r, int k) {
    int i;
    for (i = 0; i < r->n_events; i++)
        if (r->ev[i].kind == FBFW_EV_MEASUREMENT && r->who[i] == k)
            return i;
    return -1;
}

#endif
