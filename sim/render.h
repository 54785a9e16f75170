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
    size_t visible_cap;
    uint32_t *order;      /* scratch: painter's order */
} fb_render;

int fb_render_init(fb_render *r, int width, int height, size_t max_subjects);
void fb_render_free(fb_render *r);

/* Renders the world's current state, far to near: the wall at room temperature, the
 * blackbody, each person's thermal template (models/body.h) at their distance. Fills
 * r->visible_px for fb_world_finish_truth. */
void fb_render_frame(fb_render *r, const fb_world *w);

#endif
