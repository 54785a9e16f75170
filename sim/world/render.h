/* render.h — the scene as the camera's aperture sees it: LWIR band radiance per pixel from 3D
 * people, the room, the blackbody and distractors, resolved by depth and supersampled. */
#ifndef FB_RENDER_H
#define FB_RENDER_H

#include <stdint.h>
#include "raster.h"
#include "render2d.h"
#include "util/pool.h"
#include "world.h"

/* What drawing the 3D frames has cost since fb_render_init, for the benchmark (sim/bench/bench.c):
 * counts always, times (seconds) only while fb_render.profile is set. */
typedef struct fb_render_stats {
    uint64_t frames;
    fb_raster_stats raster; /* the rasteriser's counters (room, plates, people) */
    double begin_s;   /* restoring the static layer where the last frame drew (with one thread
                       * the last frame's end restored it already: ~0) */
    double plates_s;  /* the blackbody, its cover, distractors */
    double people_s;  /* every person: pose, vertices, triangles, reflections */
    double truth_s;   /* landmarks, canthi (with threads also the rows' pass, in the same job) */
    double rows_s;    /* one pass over the drawn rows: counting who holds the samples,
                       * resolving them to pixels, restoring the static layer (one thread) */
    /* per level of detail a person was drawn at (0 the finest) */
    uint64_t people[FB_FIG_LODS]; /* people drawn (a person each frame) */
    uint64_t tris[FB_FIG_LODS];   /* their triangles submitted (meshes in view) */
    uint64_t drawn[FB_FIG_LODS];  /* of those, facing the camera with a box on the image */
    uint64_t px_tested[FB_FIG_LODS]; /* pixels their triangles tested */
    double head_px[FB_FIG_LODS];  /* the sum of their heads' widths in pixels */
    uint64_t verts;               /* vertices of meshes in view, all people */
    uint64_t mirrors, mirrors_culled; /* meshes whose mirror image in the floor was tried, and of
                                       * those skipped as unable to reach a floor sample */
    uint64_t samples_held;        /* samples people hold at the end of their frames */
    uint64_t lod_builds[FB_FIG_LODS]; /* levels of detail built on first use (figure.h) */
    double lod_build_s[FB_FIG_LODS];  /* time building them */
    double person_s[FB_FIG_LODS]; /* time drawing them, of which ... */
    double mesh_s;    /* ... building levels of detail and posing (every level) ... */
    double vert_s;    /* ... the vertices' radiance and projection ... */
    double tris_s;    /* ... rasterising ... */
    double reflect_s; /* ... and the floor's reflections */
} fb_render_stats;

/* One person's drawing: its scratch, its recorded triangles (with several threads) and its
 * counters for the frame, added to the renderer's in person order (sim/world/render.c). */
typedef struct fb_person_slot {
    struct fb_drawlist *dl;  /* NULL: drawn straight into the raster (one thread) */
    fb_rvert *vert;          /* a mesh's vertices ready to draw ... */
    uint8_t *vpart;
    size_t vert_cap;
    fb_rvert *mirror;        /* ... and their mirror images in the floor */
    size_t mirror_cap;
    uint32_t pass;           /* its head's coverage pass (with dl) */
    int rc;                  /* FB_OK or what drawing it returned */
    float cost;              /* what drawing it is expected to take (render.c order_people) */
    int lod;                 /* the level of detail it is drawn at (-1: not in view) */
    struct fb_fig_build *build; /* NULL, or its level begun and its pieces built by the pool */
    int build_pieces;
    double build_s;          /* the build's share of the pieces' job (profile only) */
    fb_render_stats st;      /* this frame's counters (not raster, tris, drawn, px_tested ...) */
    fb_raster_stats lod_raster[FB_FIG_LODS]; /* ... which come from its triangles' counts */
} fb_person_slot;

/* Per-frame buffers, owned (fb_render_init allocates, fb_render_free frees). */
typedef struct fb_render {
    int width, height;
    float *radiance;      /* width*height, W m^-2 sr^-1 at the aperture */
    fb_raster raster;     /* samples: depth, radiance, owner, part */
    fb_subject_geo *geo;  /* per truth entry: what was drawn of the person */
    size_t geo_cap;
    fb_rvert *vert;       /* scratch: the room's vertices */
    uint8_t *vpart;
    size_t vert_cap;
    uint32_t (*tri)[3];   /* scratch: the room's triangles */
    size_t tri_cap;
    bool floor_in_view;   /* the room's floor shows somewhere (reflections are drawn) */
    float floor_reflect;  /* its reflectance, 1 - emissivity */
    int floor_row0;       /* the first row with a floor sample (height: none) */
    float eps_table[16][65]; /* emissivity by normal emissivity 0.85..1.00 and cos(view) */
    bool head_parts[256];    /* by part id: whether it is the head's (fb_part_is_head) */
    double room_ambient_c;   /* the air temperature the static room was drawn at (NAN: none) */
    uint32_t bb_full_px;    /* pixels the blackbody's face covers when nothing is in front (0: none) */
    uint32_t bb_visible_px; /* of those, still its own after nearer things were drawn */
    uint32_t *face_full;    /* scratch, per truth entry: samples its head covers ... */
    uint32_t *face_vis, *body_vis; /* ... and samples its head, and any part of it, holds */
    bool people_3d;         /* false: the transitional flat renderer below draws the frame */
    double delay_s;         /* people are drawn where they were this long ago: the pixels' thermal
                             * time constant (3D only; 0 after fb_render_init) */
    fb_render2d flat;
    bool profile;           /* time the stages into stats (the benchmark; off after init) */
    bool mirror_cull_off;   /* draw every mesh's mirror image in the floor, even those that
                             * cannot reach it (tests show the cull changes nothing) */
    fb_render_stats stats;
    fb_person_slot one;     /* one thread: the slot every person is drawn with */
    /* --threads N > 1 (fb_render_set_threads): the pool poses the people, a slot each, and
     * draws the recorded triangles (the plates' list, then the people's) in row bands; all NULL
     * with one thread */
    fb_pool *pool;
    struct fb_drawlist *drawlist;     /* the plates' triangles */
    struct fb_drawlist_balance *balance; /* the row bands' measured costs, frame to frame */
    fb_person_slot *slots;            /* geo_cap */
    struct fb_drawlist **lists;       /* scratch: the lists in drawing order, geo_cap + 1 */
    uint32_t *order;                  /* scratch: the people, costliest first, geo_cap */
    uint32_t *band_count;   /* scratch: per row band, the samples the blackbody, each head and
                             * each person hold there (render.c band_counts) */
    uint32_t bb_covered;    /* scratch: samples the blackbody's face covers this frame */
    fb_pool_ends restore_ends, finish_ends; /* which row band a task restores, counts and
                                             * resolves: from the top or the bottom, so a
                                             * thread keeps its rows (pool.h) */
} fb_render;

/* Owner id of the blackbody's samples (people are truth index + 1, the room 0). */
#define FB_RENDER_OWNER_BLACKBODY UINT16_MAX
#define FB_RENDER_OWNER_OBJECT (UINT16_MAX - 1) /* distractors, the blackbody's cover */

/* people_3d false: the scene is drawn by the transitional flat renderer (render2d.h) and the
 * geometry truth comes from its 2D template. */
int fb_render_init(fb_render *r, int width, int height, size_t max_subjects, bool people_3d);
/* Draws the 3D people's triangles with n_threads threads (1: on the caller's, as after init):
 * a pool made here, once, and row bands (sim/world/drawlist.h); the frames are bit for bit
 * those of one thread. The flat renderer draws on one thread, but gets the pool too (r->pool:
 * the session's, to draw a frame while it works on the last). Returns FB_OK, FB_ERR_ARG (n_threads outside 1..FB_POOL_MAX_THREADS) or
 * FB_ERR_NOMEM. */
int fb_render_set_threads(fb_render *r, int n_threads);
void fb_render_free(fb_render *r);

/* Gives the renderer `next` (width * height floats, malloc'd) to draw the next frame into and
 * returns the buffer it drew the last frame into, now the caller's: two buffers let the last
 * frame's pixel stages run while the next frame is drawn (sim/run/run.c). Every frame writes
 * every pixel, so the buffers need no clearing; fb_render_free frees the one it holds. */
float *fb_render_swap_radiance(fb_render *r, float *next);

/* Renders the world's current state: the room (redrawn when the air has changed), the
 * blackbody, distractors and each person in 3D posed for this frame (models/figure.h), by
 * depth. Fills r->geo for fb_world_finish_truth and bb_full_px / bb_visible_px for
 * fb_world_finish_blackbody. The world's figures build their levels of detail on first use.
 * Returns FB_OK, or FB_ERR_NOMEM when a mesh or a buffer could not be had (the frame is then
 * incomplete and must not be used). */
int fb_render_frame(fb_render *r, fb_world *w);

#endif
