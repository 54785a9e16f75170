/* raster.h — a depth-buffered triangle rasteriser with four samples per pixel (rotated grid):
 * per sample the nearest surface's radiance, who it belongs to (owner, part) and its depth;
 * resolved to pixels by averaging the samples (the pixel integrates the scene over its area).
 * The four samples of a pixel are stored side by side and tested together (SIMD). */
#ifndef FB_RASTER_H
#define FB_RASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../models/isa.h"

#define FB_RASTER_SPP 4 /* samples per pixel */
#define FB_RASTER_BLOCK_PX 16 /* pixels a row's drawn-over block spans */
#define FB_RASTER_HIZ_PX 8    /* pixels a row's hidden-surface block spans */

/* What fb_raster_tris has done since fb_raster_init: counted always (a few adds per
 * triangle and row), read by the benchmark (sim/bench/bench.c). */
typedef struct fb_raster_stats {
    uint64_t tris_in;    /* triangles submitted */
    uint64_t tris_drawn; /* of those, facing the camera with a box on the image */
    uint64_t rows;       /* row spans whose pixels were tested */
    uint64_t px_tested;  /* pixels whose four samples were tested */
    uint64_t tris_hidden; /* of the drawn, skipped as behind everything there (hiz) */
} fb_raster_stats;

/* A coverage pass counted over a sequence of draws: the pass, the pixels [x0, x1] x [y0, y1]
 * its triangles have reached so far (none while x0 > x1) and how many samples there carry its
 * stamp. The kernels only stamp the samples a triangle covers; each draw then counts the stamps
 * in the box, and what it adds to that total is what it covered for the first time. */
typedef struct fb_raster_cover {
    uint32_t pass;
    int x0, x1, y0, y1;
    uint32_t total;
} fb_raster_cover;

/* Starts counting pass `pass` (nothing covered yet). */
void fb_raster_cover_begin(fb_raster_cover *c, uint32_t pass);

typedef struct fb_raster {
    int width, height; /* pixels */
    /* per sample, index 4 * pixel + s (s: the sample's place in the pixel, fb_raster_sample_at) */
    float *inv_z;      /* 1 / depth of the nearest surface (0: nothing) */
    float *rad;        /* radiance */
    uint32_t *id;      /* who the nearest surface belongs to and what it is: owner << 8 | part
                        * (fb_raster_owner, fb_raster_part), one word so the four samples'
                        * ids are written together */
    uint32_t *stamp;   /* the last coverage pass that covered the sample */
    void *samples_mem; /* the block holding inv_z, rad, id, stamp and rstamp (raster.c) */
    /* the static layer (the room), restored where a frame drew over it, and its resolved image */
    float *bg_inv_z, *bg_rad, *bg_pixels;
    uint32_t *bg_id;
    uint32_t *bg_blk_id; /* per row, per block of FB_RASTER_BLOCK_PX pixels: the id all its static
                          * samples share (UINT32_MAX: they differ), restored without reading
                          * bg_id */
    /* per row, the pixels [lo, hi) drawn over the static layer since fb_raster_begin ... */
    int *dirty_lo, *dirty_hi;
    /* ... and per row, per block of FB_RASTER_BLOCK_PX pixels, whether it was (1) or still holds
     * the static layer (0): restoring, resolving and counting visit drawn blocks only */
    uint8_t *dirty_blk;
    int blk_per_row;
    /* per row, per block of FB_RASTER_HIZ_PX pixels: a bound its samples' 1 / depth are all
     * at or above (0 when none is known; restoring the static layer resets it), and whether
     * it is stale (fb_raster_hiz_update: raised to the samples' least when next read). A
     * triangle drawn without coverage whose nearest point is behind that bound in every block
     * of its box is skipped: it would write nothing. */
    float *hiz;
    uint8_t *hiz_stale;
    uint8_t *hiz_rows; /* per row: 1 when any of its blocks was marked since the last reset */
    int hiz_per_row;
    uint32_t pass;     /* the current coverage pass id */
    fb_raster_cover cover; /* its count for fb_raster_tris (fb_raster_new_pass starts it) */
    uint32_t *rstamp;  /* the last frame a reflection was added to the sample */
    uint32_t rpass;    /* this frame's reflection id (fb_raster_begin counts it up) */
    fb_raster_stats stats;
} fb_raster;

/* The owner and the part of sample i. */
static inline uint16_t fb_raster_owner(const fb_raster *r, size_t i)
{
    return (uint16_t)(r->id[i] >> 8);
}

static inline uint8_t fb_raster_part(const fb_raster *r, size_t i)
{
    return (uint8_t)(r->id[i] & 0xffu);
}

/* A vertex ready to draw: pixel coordinates, 1 / depth and radiance. */
typedef struct fb_rvert {
    float x, y, inv_z, rad;
} fb_rvert;

/* Returns FB_ERR_ARG or FB_ERR_NOMEM; after an error *r is safe to fb_raster_free. */
int fb_raster_init(fb_raster *r, int width, int height);
void fb_raster_free(fb_raster *r);

/* Starts a frame: what the last frame drew over the static layer is restored. */
void fb_raster_begin(fb_raster *r);
/* fb_raster_begin in parts, for threads: a new frame's reflections (once) ... */
void fb_raster_begin_reflections(fb_raster *r);
/* ... and the rows [y_lo, y_hi) restored (disjoint row ranges at once). */
void fb_raster_restore_rows(fb_raster *r, int y_lo, int y_hi);
/* Clears everything to radiance rad at infinite depth, owner 0, part 0 ... */
void fb_raster_clear(fb_raster *r, float rad);
/* ... and makes what has been drawn since the static layer. */
void fb_raster_keep_as_background(fb_raster *r);

/* Starts a coverage pass: fb_raster_tris counts into *covered each sample a triangle of the pass
 * covers (whatever its depth), once per sample over the pass's calls, which follow one another
 * (r->pass set by hand to another pass starts that one's count afresh). Returns the pass id. */
uint32_t fb_raster_new_pass(fb_raster *r);

/* Draws triangles (indices into v) with depth test and write; the vertices' radiance is
 * interpolated across each. Triangles whose winding shows their back (meshes wind
 * counter-clockwise seen from outside) are skipped when cull is true. part_of_vertex gives each
 * triangle's part from its first vertex (NULL: part for all). covered, if not NULL, counts the
 * samples the current pass covers for the first time. Returns the triangles drawn. */
size_t fb_raster_tris(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                      uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                      uint32_t *covered);

/* fb_raster_tris on the rows [y_lo, y_hi) only, counting coverage (covered not NULL) with
 * *cover (not r->cover: the band's own count of its pass, begun by the caller and kept across
 * the band's draws of that pass), its counters added to *st (not r->stats; tris_in is left to
 * the caller, a triangle counts as drawn in the band holding its first row): every sample in
 * the band ends as the whole draw leaves it, bit for bit, so disjoint bands may be drawn by
 * different threads at once. */
size_t fb_raster_tris_rows(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                           uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                           uint32_t *covered, fb_raster_cover *cover, int y_lo, int y_hi,
                           fb_raster_stats *st);

/* Marks the hidden-surface bound of the blocks holding pixels x_lo .. x_hi (clipped to the
 * image) in rows [y_lo, y_hi) stale: the next test that reads one raises it to the least 1 /
 * depth the block then holds, so blocks no later triangle reaches cost nothing (disjoint row
 * ranges at once). Nearer people drawn first, and their bounds raised, let the triangles of
 * those behind them that no sample would show be skipped; which are skipped never changes a
 * sample, a drawn-over mark or a coverage count, only the counters' rows and pixels tested. */
void fb_raster_hiz_update(fb_raster *r, float x_lo, float x_hi, int y_lo, int y_hi);

/* Copies into kept[] (room for nt), in order, the triangles fb_raster_tris would not skip
 * whole — those in front of the camera, facing it when cull is true, not degenerate, with a box
 * on the image — and returns how many: drawing the kept ones leaves every sample and counter
 * as drawing all would, but tris_in (a draw list records the kept ones once rather than having
 * every band test them all). */
size_t fb_raster_tris_keep(const fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                           size_t nt, bool cull, uint32_t (*kept)[3]);

/* The widest loop fb_raster_tris may use where the CPU has it: four lanes (C), eight (AVX2:
 * two pixels a step, eight triangles set up at once), sixteen (AVX-512: four pixels a step,
 * sixteen triangles set up at once).
 * Every path gives the same samples, bit for bit; this is for the tests that say so. Not
 * thread-safe: set it before drawing. */
void fb_raster_set_isa(fb_isa isa); /* FB_ISA_BEST by default */

/* Adds the triangles' radiance (no depth test, no depth write) to the samples whose part is
 * only_part and that no reflection has been added to in this frame: a reflection in a glossy
 * floor, the first drawn wins. Meshes mirrored in the floor wind the other way: mirrored true culls
 * accordingly. Returns the triangles drawn. */
size_t fb_raster_tris_add(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                          uint8_t only_part, bool mirrored);

/* fb_raster_tris_add on the rows [y_lo, y_hi) only (a triangle counts as drawn in the band
 * holding its first row); bit for bit what the whole draw leaves there. */
size_t fb_raster_tris_add_rows(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3],
                               size_t nt, uint8_t only_part, bool mirrored, int y_lo, int y_hi);

/* Averages the samples into radiance[width*height]. */
void fb_raster_resolve(const fb_raster *r, float *radiance);
/* The same for the rows [y_lo, y_hi) only (disjoint row ranges at once). */
void fb_raster_resolve_rows(const fb_raster *r, float *radiance, int y_lo, int y_hi);

/* Per owner id below n_owner, adds the samples it holds now to count[id] (where head(part) is
 * true, also to head_count[id]); rows and pixels the frame did not draw over hold the static
 * layer (owner 0) and are skipped. */
void fb_raster_count(const fb_raster *r, size_t n_owner, uint32_t *count, uint32_t *head_count,
                     bool (*head)(uint8_t part), uint16_t extra_owner, uint32_t *extra_count);

/* The same over the rows [y_lo, y_hi) only (disjoint row ranges at once, each into counts of
 * its own; the counts are integers, so their sum over bands is the whole image's). */
void fb_raster_count_rows(const fb_raster *r, int y_lo, int y_hi, size_t n_owner,
                          uint32_t *count, uint32_t *head_count, bool (*head)(uint8_t part),
                          uint16_t extra_owner, uint32_t *extra_count);

/* Who is counted by fb_raster_finish_rows, as fb_raster_count_rows's arguments of the same
 * names: owners 1..n_owner into count[owner - 1] and, where is_head[part] is true (a table of
 * 256), also into head_count[owner - 1]; extra_owner into *extra_count. */
typedef struct fb_raster_tally {
    size_t n_owner;
    uint32_t *count, *head_count;
    const bool *is_head;
    uint16_t extra_owner;
    uint32_t *extra_count;
} fb_raster_tally;

/* The end of a frame's rows [y_lo, y_hi) in one pass over their drawn-over blocks, each block's
 * samples loaded once: counted as fb_raster_count_rows counts them (tally NULL: not counted),
 * resolved into radiance as fb_raster_resolve_rows resolves them (radiance NULL: not resolved),
 * and, when restore is true, restored as fb_raster_restore_rows restores them — then nothing may
 * read those rows' samples until the next frame draws (the next fb_raster_begin has nothing
 * left there to restore). Disjoint row ranges at once, each with counts of its own. */
void fb_raster_finish_rows(fb_raster *r, int y_lo, int y_hi, float *radiance,
                           const fb_raster_tally *tally, bool restore);

/* The sample nearest pixel coordinates (u, v), or -1 outside the image. */
long fb_raster_sample_at(const fb_raster *r, double u_px, double v_px);

#endif
