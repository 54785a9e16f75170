/* pixels.h — one frame through the four pixel stages (lens blur and shading, sensor, front-end, frames hash), in row bands carried through all four while they are in cache. */
#ifndef FB_PIXELS_H
#define FB_PIXELS_H

#include <stddef.h>
#include <stdint.h>
#include "../models/frontend.h"
#include "../models/optics.h"
#include "../models/sensor.h"
#include "frontend/frontend_variant.h"
#include "util/pool.h"

/* Seconds spent, added to (never reset). all_s: the whole call. With split set, the band loop
 * also reads the clock at each band's stage boundaries and adds each stage's share to optics_s,
 * sensor_s, frontend_s and hash_s (a few clock reads a band: what they cost shows in all_s). */
typedef struct fb_pixel_times {
    double optics_s, sensor_s, frontend_s, hash_s;
    double all_s;
    int split;
} fb_pixel_times;

/* The stages of one session, borrowed (the caller owns and frees them), and the band loop's
 * scratch, owned. One fb_pixels per session; calls on one fb_pixels must not overlap, calls on
 * different ones may (no global state). */
typedef struct fb_pixels {
    fb_optics *optics;
    fb_sensor *sensor;
    fb_frontend *frontend;           /* the tables; the model processes them in the band loop */
    const fb_fe_variant_ops *fe_ops; /* NULL or with process_rows: bands; else stage by stage */
    void *fe_priv;
    int band_rows;                   /* rows per band; 0 (stage by stage) only by request */
    struct fb_pixels_scratch *scratch;
    /* fb_pixels_set_pool: the frame in n_parts parts of rows on the pool, each with a cursor
     * and scratch of its own; NULL / 0 on one thread */
    fb_pool *pool;
    int n_parts;
    struct fb_pixels_part *parts;
    double *noisy_z;                 /* the noisy pixels' draws of the exposure under way */
    /* fb_pixels_blur's cursor and row (the thread that draws a frame ahead blurs it there) */
    fb_optics ahead;
    float *ahead_row;
} fb_pixels;

/* band_rows: rows carried through the four stages together, 1..height; FB_PIXELS_BAND_AUTO picks
 * a band whose buffers fit the level-1 cache; FB_PIXELS_STAGE_BY_STAGE runs each stage over the
 * whole frame in turn (the reference the band loop is tested against: the same frames, counts,
 * ck and hash, bit for bit). Returns FB_OK, FB_ERR_RANGE (band_rows, or stages of different
 * sizes), FB_ERR_NOMEM; after an error *px is safe to fb_pixels_free. */
#define FB_PIXELS_BAND_AUTO      (-1)
#define FB_PIXELS_STAGE_BY_STAGE 0
int fb_pixels_init(fb_pixels *px, fb_optics *optics, fb_sensor *sensor, fb_frontend *frontend,
                   const fb_fe_variant_ops *fe_ops, void *fe_priv, int band_rows);
void fb_pixels_free(fb_pixels *px);

/* With a pool of 2 or more threads (borrowed: it must outlive px, or be unset first with NULL),
 * fb_pixel_stages splits the frame into parts of whole row bands that the pool's threads take
 * as they come free (fb_pool_run_side: the calling thread may have a task spawned on the same
 * pool), each carried through the blur, sensor and front-end as in one thread's band loop; the
 * sensor's noisy pixels are drawn before the parts, in their order, and the frames hash taken
 * after, over the whole frame: counts, ck and hash bit for bit those of one thread (e2e_pixels).
 * A front-end without process_rows (the Verilated RTL) still runs stage by stage on the calling
 * thread. Returns FB_OK or FB_ERR_NOMEM (then px runs on one thread, as before the call). */
int fb_pixels_set_pool(fb_pixels *px, fb_pool *pool);

/* The lens blur of a frame alone, in place, as fb_pixel_stages would apply it (its background
 * hint radiance[0] before the blur), for the thread that has just drawn the frame while another
 * runs the stages of the frame before (sim/run/run.c): that frame then goes to fb_pixel_stages
 * with `blurred` set, which skips the blur — the same counts, ck and hash, bit for bit
 * (e2e_pixels). The vignetting stays with the sensor. Uses a cursor of its own: it may run while
 * fb_pixel_stages runs on another thread on another frame's buffers (fb_pixels_init made it,
 * so this cannot fail). */
void fb_pixels_blur(fb_pixels *px, float *radiance);

/* Frame n through the four stages:
 *   radiance[width*height]  the renderer's image (W m^-2 sr^-1); read, and used as scratch: its
 *                           contents afterwards are unspecified;
 *   blurred                 nonzero when fb_pixels_blur has blurred radiance already;
 *   housing_radiance        what the lens housing adds where vignetting takes light away
 *                           (fb_optics_vignette), from the sensor's state before this frame;
 *   ambient_c, t_s          the room now (fb_sensor_set_ambient_c) and the frame's time;
 *   counts[width*height]    out: the sensor's raw counts (the firmware never sees them);
 *   ck[width*height]        out: the front-end's centikelvin frame;
 *   *frames_hash            in: h_n, out: h_{n+1} = fb_frames_hash(h_n, ck) (util/hash.h);
 *   *sensor_flags           out: fb_sensor_expose's flags (FB_SENSOR_FROZEN);
 *   times                   NULL, or seconds added (above).
 * The lens blur's background hint is radiance[0], as fb_session_step has always passed. Returns
 * FB_OK, or the front-end variant's error with a message in err (the frame is then incomplete
 * and the hash not updated). */
int fb_pixel_stages(fb_pixels *px, float *radiance, int blurred, float housing_radiance,
                    double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                    uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *times,
                    char *err, size_t err_len);

#endif
