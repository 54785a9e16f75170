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
#include "../models/physiology.h"
#include "../models/radiometry.h"
#include "../models/walker.h"
#include "scenario.h"
#include "truth.h"

/* One person for the whole run. */
typedef struct fb_world_subject {
    fb_subject_info info;
    fb_walker walker;
    fb_physio physio;
    fb_body_dims dims;
    bool canthus_max_right; /* the hotter inner canthus is on the image right */
} fb_world_subject;

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
    fb_truth_subject *truth;     /* owned, n_subjects capacity; the first n_truth are current */
    size_t n_truth;
    uint32_t frame;
    double t_s;
    double ambient_c, blackbody_c;
} fb_world;

/* Builds the world: camera geometry, every person (explicit subjects on streams
 * (seed, SUBJECT, i), generated ones on (seed, SUBJECT, 0x80000000 + j) with arrival times
 * from (seed, POPULATION, 0)), ambient and blackbody. Returns 0, or FB_ERR_* with a message
 * in err. */
int fb_world_init(fb_world *w, const fb_scenario *sc, char *err, size_t err_len);
void fb_world_free(fb_world *w);

/* Advances to frame n (t = n / fps): ambient, blackbody, who is in the scene and where.
 * Truth entries get geometry and temperatures; visibility and screenable are set by
 * fb_world_finish_truth after rendering. */
void fb_world_step(fb_world *w, uint32_t frame);

/* Completes truth from the renderer's per-subject visible head pixel counts
 * (visible_px[k] for truth entry k) and applies the screenable rule (docs/scoring.md). */
void fb_world_finish_truth(fb_world *w, const uint32_t *visible_px);

/* The current truth frame (borrows w->truth). */
fb_truth_frame fb_world_truth(const fb_world *w);

/* Blackbody-equivalent centikelvin of a Celsius temperature, rounded, clamped to uint16. */
uint16_t fb_c_to_ck(double temp_c);
double fb_ck_to_c(uint16_t ck);

#endif
