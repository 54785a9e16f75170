/* render2d.h — the transitional flat renderer ("people": "template"): people as the 2D thermal
 * template of models/body.h painted far to near with area coverage; kept until the reference
 * firmware is retuned on the 3D people of render.h (docs/people.md). */
#ifndef FB_RENDER2D_H
#define FB_RENDER2D_H

#include <stdint.h>
#include "../models/isa.h"
#include "world.h"

/* Per-frame buffers, owned (fb_render2d_init allocates, fb_render2d_free frees). */
typedef struct fb_render2d {
    int width, height;
    float *radiance;      /* width*height, W m^-2 sr^-1 */
    uint16_t *owner;      /* width*height: which head covers the pixel (truth index + 1), 0 none */
    uint32_t *visible_px; /* per truth entry: pixels its head owns after occlusion */
    double *canthus_visible; /* per truth entry: share of its hotter inner canthus (the
                              * measurement site) on pixels its head owns after occlusion */
    double *canthus_box;  /* scratch: per truth entry that canthus in pixels, x0 y0 x1 y1 */
    size_t visible_cap;
    uint32_t *order;      /* scratch: painter's order */
    double *nx2;          /* scratch: an ellipse's sample columns nx^2, 8 per image column */
    uint32_t bb_full_px;    /* pixels the blackbody's face covered when painted (0: none) */
    uint32_t bb_visible_px; /* of those, still its own after nearer things were painted */
} fb_render2d;

/* Owner id of the blackbody's pixels in fb_render2d.owner (people are truth index + 1). */
#define FB_RENDER2D_OWNER_BLACKBODY UINT16_MAX

int fb_render2d_init(fb_render2d *r, int width, int height, size_t max_subjects);
void fb_render2d_free(fb_render2d *r);

/* Renders the world's current state, far to near: the wall at room temperature, the
 * blackbody, each person's thermal template (models/body.h) at their distance. Fills
 * r->visible_px and r->canthus_visible for fb_world_finish_truth and bb_full_px /
 * bb_visible_px for fb_world_finish_blackbody. */
/* ... and fills geo[k] (one per truth entry) with the person's box, landmarks and canthi; the
 * caller adds the head's box and visible shares. */
void fb_render2d_frame(fb_render2d *r, const fb_world *w, fb_subject_geo *geo);

/* One shape as fb_render2d_frame paints it (centre and half extents in pixels, radiance, owner
 * id; owner 0 clears ownership), for tests that set its paths against each other. */
void fb_render2d_paint(fb_render2d *r, fb_shape_kind kind, double cx, double cy, double hw,
                       double hh, float rad, uint16_t owner);

/* The widest painter instance fb_render2d_paint may use where the CPU has it: scalar (C),
 * eight floats a vector (AVX2), sixteen (AVX-512). Every instance gives the same bits; this is
 * for the tests that say so. Process-wide, not thread-safe: set it before rendering. */
void fb_render2d_set_isa(fb_isa isa); /* FB_ISA_BEST by default */

#endif
