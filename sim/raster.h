/* raster.h — a depth-buffered triangle rasteriser with supersampling: per sample the nearest
 * surface's radiance, who it belongs to (owner, part) and its depth; resolved to pixels by
 * averaging the samples (the pixel integrates the scene over its area). */
#ifndef FB_RASTER_H
#define FB_RASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fb_raster {
    int width, height; /* pixels */
    int ss;            /* samples per pixel side */
    int sw, sh;        /* samples */
    float *inv_z;      /* sw*sh: 1 / depth of the nearest surface (0: nothing) */
    float *rad;        /* sw*sh radiance */
    uint16_t *owner;   /* sw*sh: who the nearest surface belongs to */
    uint8_t *part;     /* sw*sh: what it is (fb_part or a room/object code) */
    uint32_t *stamp;   /* sw*sh: the last coverage pass that touched the sample */
    /* the static layer (the room), copied in at the start of each frame */
    float *bg_inv_z, *bg_rad;
    uint16_t *bg_owner;
    uint8_t *bg_part;
    uint32_t pass;     /* the current coverage pass id */
} fb_raster;

/* A vertex ready to draw: sample coordinates, 1 / depth and radiance. */
typedef struct fb_rvert {
    float x, y, inv_z, rad;
} fb_rvert;

int fb_raster_init(fb_raster *r, int width, int height, int ss);
void fb_raster_free(fb_raster *r);

/* Copies the static layer into the frame. */
void fb_raster_begin(fb_raster *r);
/* Makes what has been drawn so far the static layer. */
void fb_raster_keep_as_background(fb_raster *r);
/* Clears to radiance rad at infinite depth, owner 0, part 0. */
void fb_raster_clear(fb_raster *r, float rad);

/* Starts a coverage pass: fb_raster_tris counts into *covered each sample a triangle of the pass
 * covers (whatever its depth), once per sample. Returns the pass id. */
uint32_t fb_raster_new_pass(fb_raster *r);

/* Draws triangles (indices into v) with depth test and write. Triangles whose winding shows
 * their back are skipped when cull is true. part_of gives each triangle's part (NULL: part).
 * covered, if not NULL, counts the samples this pass covers for the first time. Returns the
 * number of triangles drawn. mode 0: replace; mode 1: reflection — add radiance
 * (v.rad) only to samples whose part equals reflect_part, without depth test or write, each
 * sample at most once per pass (the first, nearest-first drawing order decides). */
size_t fb_raster_tris(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                      uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                      int mode, uint8_t reflect_part, uint32_t *covered);

/* Averages the samples into radiance[width*height]. */
void fb_raster_resolve(const fb_raster *r, float *radiance);

/* The sample at pixel coordinates (u, v) (nearest sample), or -1 outside. */
long fb_raster_sample_at(const fb_raster *r, double u_px, double v_px);

#endif
