/* world.h — the simulated room over time: people (explicit and generated), ambient, blackbody, and the truth per frame. */
#ifndef FB_WORLD_H
#define FB_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../models/ambient.h"
#include "../models/blackbody.h"
#include "../models/body.h"
#include "../models/camera.h"
#include "../models/confounders.h"
#include "../models/figure.h"
#include "../models/physiology.h"
#include "../models/radiometry.h"
#include "../models/walker.h"
#include "scenario/scenario.h"
#include "truth.h"

/* One person for the whole run. */
typedef struct fb_world_subject {
    fb_subject_info info;
    fb_walker walker;
    fb_physio physio;
    fb_body_dims dims;      /* round sizes (lanes; set from the look) */
    fb_figure_look look;    /* how the person is built and dressed (stream APPEARANCE) */
    fb_figure fig;          /* their 3D geometry, levels of detail built on first use (owned) */
    bool canthus_max_right; /* the hotter inner canthus is on the image right */
    fb_confounders conf;    /* glasses, mask, hat, hot drink, skin transients */
    bool generated;         /* made by the population generator (not listed) */
    double lag_s;           /* how late the walk runs (held up by people ahead): the walker's
                             * own clock is t - lag_s (sim/world/world.c, headway) */
} fb_world_subject;

struct fb_walk_slot; /* sim/world/world.c: one person's place in a frame's headway pass */

/* The world. Owns subjects, truth and the radiometry table; borrows the scenario, which must
 * outlive it. */
typedef struct fb_world {
    const fb_scenario *sc;
    fb_camera_geom geom;
    fb_radiometry *rad;          /* owned, immutable after init */
    fb_ambient ambient;
    fb_blackbody blackbody;
    fb_world_subject *subjects;  /* owned; explicit ones first, then generated, by entry time */
    size_t n_subjects;
    struct fb_walk_slot *walk;   /* owned scratch for the headway pass, n_subjects */
    uint32_t *walk_in;           /* owned scratch, 2 * n_subjects */
    uint32_t walk_frame;         /* the frame everyone's lag_s is for (valid if walk_valid) */
    bool walk_valid;
    fb_truth_subject *truth;     /* owned, n_subjects capacity; the first n_truth are current */
    size_t n_truth;
    uint32_t frame;
    double t_s;
    double ambient_c, blackbody_c;
    double bb_x_m, bb_y_m, bb_z_m; /* where the blackbody is now (moved by a "moved" failure) */
    bool bb_occluder;              /* an "occluded" failure's cover hangs in front of it */
    double bb_visible;             /* share of its face visible (fb_world_finish_blackbody) */
    fb_bb_truth bb_state;
    bool bb_fault;                 /* a failure is under way or the plate is off its set point */
} fb_world;

/* Builds the world: camera geometry, every person (explicit subjects on streams
 * (seed, SUBJECT, i), Poisson arrivals on (seed, SUBJECT, 0x80000000 + j) with arrival times
 * from (seed, POPULATION, 0), burst b's k-th person on (seed, SUBJECT, 0x80000000 +
 * (b + 1) * 2^24 + k) with arrival times from (seed, POPULATION, 1 + b); each person's
 * confounders and head turns on (seed, CONFOUNDERS, same index)), ambient and blackbody.
 * With a screening stop people queue: an entry is delayed until the person ahead has left
 * the mark (docs/scenario.md). Returns 0, or FB_ERR_* with a message in err. */
int fb_world_init(fb_world *w, const fb_scenario *sc, char *err, size_t err_len);
void fb_world_free(fb_world *w);

/* Advances to frame n (t = n / fps): ambient, blackbody, who is in the scene and where.
 * People keep a headway to the person ahead in their lane (models/walker.h), which the world
 * works out frame by frame: stepping to an earlier frame than the last one replays from
 * frame 0, so any order of calls gives the same world.
 * Truth entries get geometry and temperatures; visibility and screenable are set by
 * fb_world_finish_truth after rendering. */
void fb_world_step(fb_world *w, uint32_t frame);

/* Completes truth from what the renderer found of each person (geo[k] for truth entry k: the
 * head's box and visible share, the canthus spot's visible share, landmarks) and applies the
 * screenable rule (docs/scoring.md). */
void fb_world_finish_truth(fb_world *w, const fb_subject_geo *geo);

/* Where truth entry k's person was delay_s before this frame's time (>= 0; the camera's pixel
 * lag draws moving people where they were a time constant ago): feet at (x_m, y_m), gait
 * cycles walked, walking speed (0 standing), head yaw. */
typedef struct fb_subject_place {
    double x_m, y_m, gait_cycles, speed_mps, yaw_deg;
} fb_subject_place;
void fb_world_subject_place(const fb_world *w, size_t k, double delay_s, fb_subject_place *p);

/* Completes the blackbody's truth from the renderer's count of its visible pixels out of
 * the pixels its face covers (full_px 0: out of view) and classifies it (fb_bb_truth). */
void fb_world_finish_blackbody(fb_world *w, uint32_t visible_px, uint32_t full_px);

/* A person's surface temperatures now (physiology at the current air temperature, plus
 * their confounders' transients and items). */
void fb_world_surface(const fb_world *w, const fb_world_subject *ws, fb_surface_temps *st);

/* The current truth frame (borrows w->truth). */
fb_truth_frame fb_world_truth(const fb_world *w);

/* Blackbody-equivalent centikelvin of a Celsius temperature, rounded, clamped to uint16. */
uint16_t fb_c_to_ck(double temp_c);
double fb_ck_to_c(uint16_t ck);

#endif
