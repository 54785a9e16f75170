/* vertices.h — a posed mesh's vertices made ready to draw: placed by their bone, shaded (the
 * zones' radiance, the canthus spot, grazing-angle emissivity, the air) and projected; eight at
 * a time in AVX-512 or AVX2 lanes where the CPU has them, bit-identical to one at a time. */
#ifndef FB_VERTICES_H
#define FB_VERTICES_H

#include <stdbool.h>
#include <stdint.h>
#include "../models/camera.h"
#include "../models/figure.h"
#include "raster.h"

/* What shading a person's vertices this frame takes. */
typedef struct fb_vert_ctx {
    const fb_camera_geom *geom;
    const double *bone;           /* the mesh's bone transform (fb_figure_pose m[bone]) */
    const float *zone_rad;        /* band radiance per fb_tzone */
    const float *spot_rad;        /* [1], [2]: the inner canthi's radiance ([0] read, not used) */
    const float (*eps_table)[65]; /* emissivity by normal emissivity and cos(view): render.h */
    float refl_rad;               /* radiance the skin reflects (the room) */
    float tau, air_rad;           /* the air between: transmission and its own radiance */
} fb_vert_ctx;

/* The projected extent of what has been shaded so far, in pixels: the whole person (body) and
 * its face and hat (face); start from fb_vert_box_empty. */
typedef struct fb_vert_box {
    double bx0, by0, bx1, by1;
    double fx0, fy0, fx1, fy1;
} fb_vert_box;

void fb_vert_box_empty(fb_vert_box *b);

/* Shades and projects v[0..n) into out (a vertex behind the camera or nearer than 5 cm gets
 * inv_z 0: its triangles are not drawn) and their parts into part, widening *box. soa, the same
 * vertices field by field (fb_fig_mesh.soa), lets eight at a time be read with plain loads (the
 * last eight reaching into its padding: nothing past out[n - 1] is written); NULL shades one at
 * a time. */
void fb_vertices_shade(const fb_vert_ctx *c, const fb_fig_vertex *v, const fb_fig_soa *soa,
                       uint32_t n, fb_rvert *out, uint8_t *part, fb_vert_box *box);

/* The widest path fb_vertices_shade may take where the CPU has it: one vertex at a time (C),
 * eight in AVX2 lanes (double math four at a time), eight in AVX-512 lanes. Every path gives the
 * same floats, bit for bit; this is for the tests that say so. Not thread-safe: set it before
 * shading. */
void fb_vertices_set_isa(fb_isa isa); /* FB_ISA_BEST by default */

#endif
