/* pixels.c — the four pixel stages of one frame: stage by stage over the whole frame, or in row bands carried through all four while in cache (the same frames, counts and hash). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/fb_error.h"
#include "util/hash.h"
#include "pixels.h"
#include "util/clock.h"

/* Pixels per band when the caller lets the loop choose: a band's buffers (float radiance,
 * counts, ck, the sensor's and front-end's per-pixel tables: ~25 bytes a pixel) then stay
 * within a level-2 cache of a few hundred KiB and mostly within level 1. */
#define AUTO_BAND_PX 4096
/* Parts of the frame per thread on a pool: a thread that joins late still finds work. */
#define PARTS_PER_THREAD 3

struct fb_pixels_scratch {
    float *rows;              /* band_rows x width: the optics' output rows */
    const float **row_ptr;    /* band_rows: where each row of the band lies */
    fb_frames_hasher *hasher;
};

/* A part of the frame's rows on a pool (fb_pixels_set_pool): a cursor and scratch of its own. */
struct fb_pixels_part {
    fb_optics cursor;        /* the blur's rows (fb_optics_rows_init) */
    fb_sensor_scratch noise;
    float *rows;             /* band_rows x width: the optics' output rows */
    const float **row_ptr;
    fb_pixel_times tm;       /* its stages' seconds this call (split timing) */
};

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
    /* fb_pixels_blur's cursor and row, made here so that the blur itself cannot fail */
    px->ahead_row = malloc((size_t)w * sizeof(*px->ahead_row));
    if (!px->ahead_row || fb_optics_rows_init(&px->ahead, optics)) {
        fb_pixels_free(px);
        return FB_ERR_NOMEM;
    }
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

static void free_parts(fb_pixels *px)
{
    for (int i = 0; px->parts && i < px->n_parts; i++) {
        struct fb_pixels_part *pt = &px->parts[i];
        fb_optics_free(&pt->cursor);
        fb_sensor_scratch_free(&pt->noise);
        free(pt->rows);
        free(pt->row_ptr);
    }
    free(px->parts);
    free(px->noisy_z);
    px->parts = NULL;
    px->noisy_z = NULL;
    px->n_parts = 0;
    px->pool = NULL;
}

int fb_pixels_set_pool(fb_pixels *px, fb_pool *pool)
{
    free_parts(px);
    if (!pool || fb_pool_threads(pool) < 2 || px->band_rows <= 0)
        return FB_OK;
    const int w = px->frontend->width, h = px->frontend->height;
    /* parts of a few bands each, so that a thread that comes free late still finds some */
    int n = (h + px->band_rows - 1) / px->band_rows;
    if (n > PARTS_PER_THREAD * fb_pool_threads(pool))
        n = PARTS_PER_THREAD * fb_pool_threads(pool);
    if (n < 2)
        return FB_OK;
    px->parts = calloc((size_t)n, sizeof(*px->parts));
    px->noisy_z = malloc((fb_sensor_noisy_count(px->sensor) + 1) * sizeof(*px->noisy_z));
    if (!px->parts || !px->noisy_z) {
        free_parts(px);
        return FB_ERR_NOMEM;
    }
    px->n_parts = n;
    for (int i = 0; i < n; i++) {
        struct fb_pixels_part *pt = &px->parts[i];
        pt->rows = malloc((size_t)px->band_rows * (size_t)w * sizeof(*pt->rows));
        pt->row_ptr = malloc((size_t)px->band_rows * sizeof(*pt->row_ptr));
        if (fb_optics_rows_init(&pt->cursor, px->optics) || fb_sensor_scratch_init(&pt->noise) ||
            !pt->rows || !pt->row_ptr) {
            free_parts(px);
            return FB_ERR_NOMEM;
        }
    }
    px->pool = pool;
    return FB_OK;
}

void fb_pixels_free(fb_pixels *px)
{
    if (!px)
        return;
    free_parts(px);
    struct fb_pixels_scratch *sc = px->scratch;
    if (sc) {
        free(sc->rows);
        free(sc->row_ptr);
        fb_frames_hasher_free(sc->hasher);
    }
    free(sc);
    px->scratch = NULL;
    fb_optics_free(&px->ahead);
    free(px->ahead_row);
    px->ahead_row = NULL;
}

void fb_pixels_blur(fb_pixels *px, float *radiance)
{
    const int w = px->optics->width, h = px->optics->height;
    if (px->optics->radius == 0)
        return; /* no blur: the image as it is */
    /* Row y's blur reads rows up to y + radius, whose horizontal pass the cursor has made
     * already, and row y itself before it is written over: in place, row by row. */
    fb_optics_rows_begin(&px->ahead, radiance[0]);
    for (int y = 0; y < h; y++) {
        float *in = radiance + (size_t)y * (size_t)w;
        const float *out = fb_optics_row(&px->ahead, radiance, y, px->ahead_row);
        if (out != in)
            memcpy(in, out, (size_t)w * sizeof(*in));
    }
}

/* Each stage over the whole frame in turn. */
static int stage_by_stage(fb_pixels *px, float *radiance, int blurred, float housing_radiance,
                          double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                          uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *tm,
                          char *err, size_t err_len)
{
    const size_t npx = (size_t)px->frontend->width * (size_t)px->frontend->height;
    double t0 = tm ? fb_clock_s() : 0.0, t1;
    if (!blurred)
        fb_optics_blur(px->optics, radiance, radiance[0]);
    fb_optics_vignette(px->optics, radiance, housing_radiance);
    if (tm) {
        t1 = fb_clock_s();
        tm->optics_s += t1 - t0;
        t0 = t1;
    }
    fb_sensor_set_ambient_c(px->sensor, ambient_c);
    *sensor_flags = fb_sensor_expose(px->sensor, radiance, t_s, counts);
    if (tm) {
        t1 = fb_clock_s();
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
        t1 = fb_clock_s();
        tm->frontend_s += t1 - t0;
        t0 = t1;
    }
    *frames_hash = fb_frames_hash(*frames_hash, ck, npx * sizeof(*ck));
    if (tm)
        tm->hash_s += fb_clock_s() - t0;
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
    double t1 = fb_clock_s();
    *acc += t1 - *t0;
    *t0 = t1;
}

/* Row bands, each carried through the four stages before the next: a band's blurred rows, then
 * its sensor pixels (the vignetting applied on the way in), front-end rows and hash bytes, each
 * stage's calls in frame order, so every stage sees its inputs in the order stage_by_stage gives
 * them. */
static void banded(fb_pixels *px, const float *radiance, int blurred, float housing_radiance,
                   double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                   uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *tm)
{
    struct fb_pixels_scratch *sc = px->scratch;
    const int w = px->frontend->width, h = px->frontend->height, band = px->band_rows;
    const size_t wz = (size_t)w;
    const float *illum = px->optics->illum; /* the vignetting, applied by the sensor */
    double t0 = tm ? fb_clock_s() : 0.0;
    fb_sensor_set_ambient_c(px->sensor, ambient_c);
    fb_sensor_frame f;
    unsigned flags = fb_sensor_begin(px->sensor, t_s, &f);
    const int frozen = (flags & FB_SENSOR_FROZEN) != 0; /* the held frame: no optics needed */
    if (!frozen && !blurred)
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
                sc->row_ptr[y - y0] = blurred ? radiance + (size_t)y * wz
                                              : fb_optics_row(px->optics, radiance, y,
                                                              sc->rows + (size_t)(y - y0) * wz);
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

/* One call's parts on the pool. */
typedef struct parts_job {
    fb_pixels *px;
    const float *radiance;
    int blurred; /* radiance blurred already (fb_pixels_blur) */
    float housing_radiance;
    const fb_sensor_frame *f;
    uint16_t *counts, *ck;
    int split;
} parts_job;

/* Part i: its rows [h i / n, h (i + 1) / n) through the blur, the sensor and the front-end in
 * bands, as `banded` takes them — the blur's rows from a cursor of the part's own, the sensor's
 * noisy pixels from the draws made before the job — so every pixel gets the same operations. */
static void part_task(void *ctx, int i)
{
    const parts_job *j = ctx;
    fb_pixels *px = j->px;
    struct fb_pixels_part *pt = &px->parts[i];
    const int w = px->frontend->width, h = px->frontend->height, band = px->band_rows;
    const size_t wz = (size_t)w;
    const int y_begin = (int)((long)h * i / px->n_parts);
    const int y_end = (int)((long)h * (i + 1) / px->n_parts);
    const float *illum = px->optics->illum;
    const int frozen = (j->f->flags & FB_SENSOR_FROZEN) != 0;
    fb_pixel_times *tm = j->split ? &pt->tm : NULL;
    memset(&pt->tm, 0, sizeof(pt->tm));
    double t0 = tm ? fb_clock_s() : 0.0;
    fb_sensor_frame f;
    fb_sensor_part_begin(px->sensor, j->f, (size_t)y_begin * wz, &f);
    if (!frozen && !j->blurred)
        fb_optics_rows_begin(&pt->cursor, j->radiance[0]);
    for (int y0 = y_begin; y0 < y_end; y0 += band) {
        const int y1 = y0 + band < y_end ? y0 + band : y_end;
        if (y1 < y_end && !frozen)
            prefetch_band(px, j->radiance, y1, y1 + band < y_end ? y1 + band : y_end);
        if (frozen) {
            fb_sensor_pixels_part(px->sensor, &f, NULL, NULL, 0.0f, (size_t)y0 * wz,
                                  (size_t)(y1 - y0) * wz, j->counts, &pt->noise, px->noisy_z);
            if (tm)
                lap(&tm->sensor_s, &t0);
        } else {
            for (int y = y0; y < y1; y++)
                pt->row_ptr[y - y0] =
                    j->blurred ? j->radiance + (size_t)y * wz
                               : fb_optics_row(&pt->cursor, j->radiance, y,
                                               pt->rows + (size_t)(y - y0) * wz);
            if (tm)
                lap(&tm->optics_s, &t0);
            for (int y = y0; y < y1;) {
                int e = y + 1;
                while (e < y1 && pt->row_ptr[e - y0] == pt->row_ptr[e - 1 - y0] + wz)
                    e++;
                fb_sensor_pixels_part(px->sensor, &f, pt->row_ptr[y - y0],
                                      illum ? illum + (size_t)y * wz : NULL, j->housing_radiance,
                                      (size_t)y * wz, (size_t)(e - y) * wz, j->counts, &pt->noise,
                                      px->noisy_z);
                y = e;
            }
            if (tm)
                lap(&tm->sensor_s, &t0);
        }
        if (px->fe_ops)
            px->fe_ops->process_rows(px->fe_priv, px->frontend, j->counts, j->ck, y0, y1);
        else
            fb_frontend_process_rows(px->frontend, j->counts, j->ck, y0, y1);
        if (tm)
            lap(&tm->frontend_s, &t0);
    }
}

/* The frame in parts on the pool (fb_pixels_set_pool): the exposure begun and its noisy pixels
 * drawn on this thread, the parts handed out as a side job (the threads not drawing help), then
 * the exposure ended and the frames hash taken over the finished frame (XXH3 in one go gives
 * the streaming value). */
static void in_parts(fb_pixels *px, const float *radiance, int blurred, float housing_radiance,
                     double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                     uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *tm)
{
    const size_t npx = (size_t)px->frontend->width * (size_t)px->frontend->height;
    double t0 = tm ? fb_clock_s() : 0.0;
    fb_sensor_set_ambient_c(px->sensor, ambient_c);
    fb_sensor_frame f;
    unsigned flags = fb_sensor_begin(px->sensor, t_s, &f);
    fb_sensor_noisy_draws(px->sensor, &f, px->noisy_z);
    if (tm)
        lap(&tm->sensor_s, &t0);
    parts_job j = {px, radiance, blurred, housing_radiance, &f, counts, ck, tm != NULL};
    fb_pool_run_side(px->pool, part_task, &j, px->n_parts);
    if (tm) {
        t0 = fb_clock_s();
        for (int i = 0; i < px->n_parts; i++) { /* CPU seconds of all parts */
            tm->optics_s += px->parts[i].tm.optics_s;
            tm->sensor_s += px->parts[i].tm.sensor_s;
            tm->frontend_s += px->parts[i].tm.frontend_s;
        }
    }
    fb_sensor_end(px->sensor, &f);
    *frames_hash = fb_frames_hash(*frames_hash, ck, npx * sizeof(*ck));
    *sensor_flags = flags;
    if (tm)
        lap(&tm->hash_s, &t0);
}

int fb_pixel_stages(fb_pixels *px, float *radiance, int blurred, float housing_radiance,
                    double ambient_c, double t_s, uint16_t *counts, uint16_t *ck,
                    uint64_t *frames_hash, unsigned *sensor_flags, fb_pixel_times *times,
                    char *err, size_t err_len)
{
    double t0 = times ? fb_clock_s() : 0.0;
    fb_pixel_times *split = times && times->split ? times : NULL;
    int rc = FB_OK;
    if (px->pool && (!px->fe_ops || px->fe_ops->process_rows))
        in_parts(px, radiance, blurred, housing_radiance, ambient_c, t_s, counts, ck, frames_hash,
                 sensor_flags, split);
    else if (px->band_rows > 0 && (!px->fe_ops || px->fe_ops->process_rows))
        banded(px, radiance, blurred, housing_radiance, ambient_c, t_s, counts, ck, frames_hash,
               sensor_flags, split);
    else /* a front-end without process_rows (the Verilated RTL) takes whole frames */
        rc = stage_by_stage(px, radiance, blurred, housing_radiance, ambient_c, t_s, counts, ck,
                            frames_hash, sensor_flags, split, err, err_len);
    if (times)
        times->all_s += fb_clock_s() - t0;
    return rc;
}
