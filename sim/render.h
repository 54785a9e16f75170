/* render.h — the scene as the camera's aperture sees it: LWIR band radiance per pixel, with area coverage at shape edges. */
#ifndef FB_RENDER_H
#define FB_RENDER_H

#include <stdint.h>
#include "world.h"

/* Per-frame buffers, owned (fb_render_init allocates, fb_render_free frees). */
typedef struct fb_render {
    int width, height;
    float *radiance;      /* width*height, W m^-2 sr^-1 */
    uint16_t *owner;      /* width*height: which head covers the pixel (truth index + 1), 0 none */
    uint32_t *visible_px; /* per truth entry: pixels its head owns after occlusion */
    double *canthus_visible; /* per truth entry: share of its hotter inner canthus (the
                              * measurement site) on pixels its head owns after occlusion */
    double *canthus_box;  /* scratch: per truth entry that canthus in pixels, x0 y0 x1 y1 */
    size_t visible_cap;
    uint32_t *order;      /* scratch: painter's order */
    uint32_t bb_full_px;    /* pixels the blackbody's face covered when painted (0: none) */
    uint32_t bb_visible_px; /* of those, still its own after nearer things were painted */
} fb_render;

/* Owner id of the blackbody's pixels in fb_render.owner (people are truth index + 1). */
#define FB_RENDER_OWNER_BLACKBODY UINT16_MAX

int fb_render_init(fb_render *r, int width, int height, size_t max_subjects);
void fb_render_free(fb_render *r);

/* Renders the world's current state, far to near: the wall at room temperature, the
 * blackbody, each person's thermal template (models/body.h) at their distance. Fills
 * r->visible_px and r->canthus_visible for fb_world_finish_truth and bb_full_px /
 * bb_visible_px for fb_world_finish_blackbody. */
void fb_render_frame(fb_render *r, const fb_world *w);

#endif
