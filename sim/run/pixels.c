/* pixels.c — the four pixel stages of one frame: stage by stage over the whole frame, or in row bands carried through all four while in cache (the same frames, counts and hash). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/fb_error.h"
#include "util/hash.h"
#include "pixels.h"

/* Pixels per band when the caller lets the loop choose: a band's buffers (float radiance,
 * counts, ck, the sensor's and front-end's per-pixel tables: ~25 bytes a pixel) then stay
 * within a level-2 cache of a few hundred KiB and mostly within level 1. */
#define AUTO_BAND_PX 4096

struct fb_pixels_scratch {
    float *rows;              /* band_rows x width: the optics' output rows */
    const float **row_ptr;    /* band_rows: where each row of the band lies */
    fb_frames_hasher *hasher;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int fb_pixels_init(fb_pixels *px, fb_optics *optics, fb_sensor *sensor, fb_frontend *frontend,
                   const fb_fe_variant_ops *fe_ops, void *fe_priv, int band_rows)
{
    if (!px)
        return FB_ERR_ARG;
    memset(px, 0, sizeof(*px));
    if (!optics || !sensor || !frontend)
        return FB_ERR_ARG;
    int w = frontend->width, h = frontend->height;
    if (optics->width != w || optics->height != h || sensor->p.width != w ||
        sensor->p.height != h)
        return FB_ERR_RANGE;
    if (band_rows != FB_PIXELS_BAND_AUTO && (band_rows < 0 || band_rows > h))
        return FB_ERR_RANGE;
    px->optics = optics;
    px->sensor = sensor;
    px->frontend = frontend;
    px->fe_ops = fe_ops;
    px->fe_priv = fe_priv;
    if (band_rows == FB_PIXELS_BAND_AUTO)
        band_rows = AUTO_BAND_PX / w < 1 ? 1 : AUTO_BAND_PX / w > h ? h : AUTO_BAND_PX / w;
    px->band_rows = band_rows;
    if (band_rows == FB_PIXELS_STAGE_BY_STAGE)
        return FB_OK;
    struct fb_pixels_scratch *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return FB_ERR_NOMEM;
    px->scratch = sc;
    sc->rows = malloc((size_t)band_rows * (size_t)w * sizeof(*sc->rows));
    sc->row_ptr = malloc((size_t)band_rows * sizeof(*sc->row_ptr));
    sc->hasher = fb_frames_hasher_new();
    if (!sc->rows || !sc->row_ptr || !sc->hasher) {
        fb_pixels_free(px);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_pixels_free(fb_pixels *px)
{
    if (!px)
        return;
    struct fb_pixels_scratch *sc = px->scratch;
    if (sc) {
        free(sc->rows);
        free(sc->row_ptr);
        fb_frames_hasher_free(sc->hasher);
    }
    free(sc);
    px->scratch = NULL;
}

/* Each stage over the whole frame in turn. */
static int stage_by_stage(fb_pixels *px, float *radiance, float housing_radiance,
                          double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                          uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *tm,
                          char *err, size_t err_len)
{
    const size_t npx = (size_t)px->frontend->width * (size_t)px->frontend->height;
    double t0 = tm ? now_s() : 0.0, t1;
    fb_optics_blur(px->optics, radiance, radiance[0]);
    fb_optics_vignette(px->optics, radiance, housing_radiance);
    if (tm) {
        t1 = now_s();
        tm->optics_s += t1 - t0;
        t0 = t1;
    }
    fb_sensor_set_ambient_c(px->sensor, ambient_c);
    *sensor_flags = fb_sensor_expose(px->sensor, radiance, t_s, counts);
    if (tm) {
        t1 = now_s();
        tm->sensor_s += t1 - t0;
        t0 = t1;
    }
    int rc;
    if (px->fe_ops)
        rc = px->fe_ops->process(px->fe_priv, px->frontend, counts, ck, err, err_len);
    else
        rc = (fb_frontend_process(px->frontend, counts, ck), FB_OK);
    if (rc)
        return rc;
    if (tm) {
        t1 = now_s();
        tm->frontend_s += t1 - t0;
        t0 = t1;
    }
    *frames_hash = fb_frames_hash(*frames_hash, ck, npx * sizeof(*ck));
    if (tm)
        tm->hash_s += now_s() - t0;
    return FB_OK;
}

/* Asks for bytes [p, p + len) to be brought toward the cache (a hint: no effect on results). */
static void prefetch(const void *p, size_t len)
{
    const char *c = p;
    for (size_t o = 0; o < len; o += 64)
        __builtin_prefetch(c + o, 0, 2);
}

/* The per-pixel tables band [y0, y1) will read, fetched while the band before it is worked on:
 * the bands interleave a dozen streams, more than the hardware prefetchers follow, and at
 * 640 x 512 the tables come from main memory. */
static void prefetch_band(const fb_pixels *px, const float *radiance, int y0, int y1)
{
    const size_t w = (size_t)px->frontend->width, a = (size_t)y0 * w, m = (size_t)(y1 - y0) * w;
    prefetch(radiance + a, m * sizeof(*radiance));
    prefetch(px->sensor->fpn_counts + a, m * sizeof(float));
    prefetch(px->sensor->fpn_growth + a, m * sizeof(float));
    if (px->optics->illum)
        prefetch(px->optics->illum + a, m * sizeof(float));
    prefetch(px->frontend->offset + a, m * sizeof(*px->frontend->offset));
    prefetch(px->frontend->gain + a, m * sizeof(*px->frontend->gain));
    prefetch(px->frontend->bad + a, m * sizeof(*px->frontend->bad));
}

/* Adds the seconds since *t0 to *acc and moves *t0 on (split timing only). */
static void lap(double *acc, double *t0)
{
    double t1 = now_s();
    *acc += t1 - *t0;
    *t0 = t1;
}

/* Row bands, each carried through the four stages before the next: a band's blurred rows, then
 * its sensor pixels (the vignetting applied on the way in), front-end rows and hash bytes, each
 * stage's calls in frame order, so every stage sees its inputs in the order stage_by_stage gives
 * them. */
static void banded(fb_pixels *px, const float *radiance, float housing_radiance, double ambient_c,
                   double t_s, uint16_t *counts, uint16_t *ck, uint64_t *frames_hash,
                   unsigned *sensor_flags, fb_pixel_times *tm)
{
    struct fb_pixels_scratch *sc = px->scratch;
    const int w = px->frontend->width, h = px->frontend->height, band = px->band_rows;
    const size_t wz = (size_t)w;
    const float *illum = px->optics->illum; /* the vignetting, applied by the sensor */
    double t0 = tm ? now_s() : 0.0;
    fb_sensor_set_ambient_c(px->sensor, ambient_c);
    fb_sensor_frame f;
    unsigned flags = fb_sensor_begin(px->sensor, t_s, &f);
    const int frozen = (flags & FB_SENSOR_FROZEN) != 0; /* the held frame: no optics needed */
    if (!frozen)
        fb_optics_rows_begin(px->optics, radiance[0]);
    fb_frames_hasher_begin(sc->hasher, *frames_hash);
    if (tm)
        lap(&tm->sensor_s, &t0);
    for (int y0 = 0; y0 < h; y0 += band) {
        const int y1 = y0 + band < h ? y0 + band : h;
        if (y1 < h && !frozen)
            prefetch_band(px, radiance, y1, y1 + band < h ? y1 + band : h);
        if (frozen) {
            fb_sensor_pixels(px->sensor, &f, NULL, (size_t)y0 * wz, (size_t)(y1 - y0) * wz,
                             counts);
            if (tm)
                lap(&tm->sensor_s, &t0);
        } else {
            for (int y = y0; y < y1; y++)
                sc->row_ptr[y - y0] =
                    fb_optics_row(px->optics, radiance, y, sc->rows + (size_t)(y - y0) * wz);
            if (tm)
                lap(&tm->optics_s, &t0);
            /* runs of rows that lie one after another in memory expose as one span */
            for (int y = y0; y < y1;) {
                int e = y + 1;
                while (e < y1 && sc->row_ptr[e - y0] == sc->row_ptr[e - 1 - y0] + wz)
                    e++;
                fb_sensor_pixels_shaded(px->sensor, &f, sc->row_ptr[y - y0], illum ?
                                        illum + (size_t)y * wz : NULL, housing_radiance,
                                        (size_t)y * wz, (size_t)(e - y) * wz, counts);
                y = e;
            }
            if (tm)
                lap(&tm->sensor_s, &t0);
        }
        if (px->fe_ops)
            px->fe_ops->process_rows(px->fe_priv, px->frontend, counts, ck, y0, y1);
        else
            fb_frontend_process_rows(px->frontend, counts, ck, y0, y1);
        if (tm)
            lap(&tm->frontend_s, &t0);
        fb_frames_hasher_update(sc->hasher, ck + (size_t)y0 * wz,
                                (size_t)(y1 - y0) * wz * sizeof(*ck));
        if (tm)
            lap(&tm->hash_s, &t0);
    }
    fb_sensor_end(px->sensor, &f);
    *frames_hash = fb_frames_hasher_end(sc->hasher);
    *sensor_flags = flags;
    if (tm)
        lap(&tm->hash_s, &t0);
}

int fb_pixel_stages(fb_pixels *px, float *radiance, float housing_radiance, double ambient_c,
                    double t_s, uint16_t *counts, uint16_t *ck, uint64_t *frames_hash,
                    unsigned *sensor_flags, fb_pixel_times *times, char *err, size_t err_len)
{
    double t0 = times ? now_s() : 0.0;
    fb_pixel_times *split = times && times->split ? times : NULL;
    int rc = FB_OK;
    if (px->band_rows > 0 && (!px->fe_ops || px->fe_ops->process_rows))
        banded(px, radiance, housing_radiance, ambient_c, t_s, counts, ck, frames_hash,
               sensor_flags, split);
    else /* a front-end without process_rows (the Verilated RTL) takes whole frames */
        rc = stage_by_stage(px, radiance, housing_radiance, ambient_c, t_s, counts, ck,
                            frames_hash, sensor_flags, split, err, err_len);
    if (times)
        times->all_s += now_s() - t0;
    return rc;
}
