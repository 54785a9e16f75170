/* drawlist.h — a frame's triangle draws recorded in order and then replayed in horizontal row
 * bands by a thread pool: each band runs the whole list clipped to its rows, so every sample
 * sees the same operations in the same order as with one thread, and the frame is bit for bit
 * the same (raster.h's *_rows functions). */
#ifndef FB_DRAWLIST_H
#define FB_DRAWLIST_H

#include "raster.h"
#include "util/pool.h"

typedef struct fb_drawlist fb_drawlist;
/* What the replays so far measured of each row's cost, for cutting the next frame's bands
 * (fb_drawlist_run_balanced). */
typedef struct fb_drawlist_balance fb_drawlist_balance;

/* Returns FB_OK or FB_ERR_NOMEM. */
int fb_drawlist_create(fb_drawlist **out);
void fb_drawlist_free(fb_drawlist *d);
/* Forgets what was recorded (a new frame). */
void fb_drawlist_clear(fb_drawlist *d);

/* Records fb_raster_tris(r, v[0..nv), tri, ...) with coverage pass `pass`. The vertices and
 * part_of_vertex are copied, and of the triangles those that can touch r's image
 * (fb_raster_tris_keep: decided once here, in the recording thread, rather than by every band;
 * r's size is all it reads). covered (NULL: none) and stats (NULL: none; its tris_in,
 * tris_drawn, rows and px_tested) must stay valid until fb_drawlist_run, which adds to them.
 * A pass's counted commands in a list follow one another (no other pass's counted command in
 * between: each band counts one pass of a list at a time, fb_raster_cover). Returns FB_OK or
 * FB_ERR_NOMEM. */
int fb_drawlist_tris(fb_drawlist *d, const fb_raster *r, const fb_rvert *v, size_t nv,
                     const uint32_t (*tri)[3], size_t nt, uint16_t owner,
                     const uint8_t *part_of_vertex, uint8_t part, bool cull, uint32_t pass,
                     uint32_t *covered, fb_raster_stats *stats);
/* Records fb_raster_tris_add(v[0..nv), tri, ...). */
int fb_drawlist_tris_add(fb_drawlist *d, const fb_rvert *v, size_t nv, const uint32_t (*tri)[3],
                         size_t nt, uint8_t only_part, bool mirrored);

/* Records fb_raster_hiz_update(r, x_lo, x_hi, rows floor(y_lo) .. floor(y_hi)): each band
 * marks the bounds of its own rows there. Returns FB_OK or FB_ERR_NOMEM. */
int fb_drawlist_hiz(fb_drawlist *d, float x_lo, float x_hi, float y_lo, float y_hi);

/* Draws everything recorded in lists[0..n_lists), in that order, into r in bands of rows, the
 * pool's threads (NULL: the caller only) taking bands as they come free; adds the coverage
 * counts and counters to the recorded pointers and r->stats, summed band by band in row order.
 * Returns FB_OK or FB_ERR_NOMEM (then nothing was drawn). */
int fb_drawlist_run(fb_drawlist *const *lists, size_t n_lists, fb_raster *r, fb_pool *pool);

/* fb_drawlist_run with the bands cut by what the last frames' replays took (bal, NULL: as
 * fb_drawlist_run): each row's share of the triangles weighted by how long a triangle took in
 * the rows there, timed band by band and smoothed over frames, so that the bands end together
 * where triangles cost unevenly (large ones near the camera, a band's edge). Only where the
 * bands lie depends on the times, never a sample or a counter. */
int fb_drawlist_run_balanced(fb_drawlist *const *lists, size_t n_lists, fb_raster *r,
                             fb_pool *pool, fb_drawlist_balance *bal);
/* Returns FB_OK or FB_ERR_NOMEM. */
int fb_drawlist_balance_create(fb_drawlist_balance **out);
void fb_drawlist_balance_free(fb_drawlist_balance *b);

#endif
