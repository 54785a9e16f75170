/* drawlist.c — recording triangle draws (vertices copied into growing arenas, referred to by
 * offset) and replaying them band by band on a pool. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/fb_error.h"
#include "drawlist.h"
#include "util/clock.h"

/* Bands per thread: bands are taken as threads come free, so with more than one a thread a band
 * slower than its estimate holds the others up less; but more bands repeat more triangle
 * set-ups at the band edges and more tests of which triangles reach a band (with 4 a thread,
 * perf counted 54 % more raster work on `crowd` than one thread; with 2, 18 %). Since the
 * threads keep their rows (bands from both ends, fb_pool_ends), one a thread is the fastest:
 * `crowd` 3D at --threads 2 ran 4-5 % faster than with 2 and 6-7 % faster than with 3 (12
 * alternated pairs each); `crowd` at 640 x 512 and `default` the same within 2 %. */
#define BANDS_PER_THREAD 1
#define MAX_BANDS (BANDS_PER_THREAD * FB_POOL_MAX_THREADS)

typedef struct cmd {
    bool add;          /* fb_raster_tris_add; else fb_raster_tris ... */
    bool hiz;          /* ... or fb_raster_hiz_update over x_lo .. x_hi, y_min .. y_max */
    float x_lo, x_hi;
    bool cull, mirrored, has_vpart;
    uint8_t part;      /* the part of every triangle (tris without part_of_vertex), or only_part */
    uint16_t owner;
    uint32_t pass;
    size_t v0, nv, t0, nt; /* offsets into the arenas */
    size_t nt_in;          /* triangles submitted (fb_raster_tris; nt of them kept) */
    float y_min, y_max;    /* of the vertices in front of the camera: no band outside is touched */
    uint32_t *covered;
    fb_raster_stats *stats;
} cmd;

/* What one band's replay counted per command. */
typedef struct band_out {
    uint32_t covered;
    fb_raster_stats st;
} band_out;

struct fb_drawlist {
    cmd *cmd;
    size_t n_cmd, cap_cmd;
    fb_rvert *vert;
    uint8_t *vpart;
    size_t n_vert, cap_vert;
    uint32_t (*tri)[3];
    size_t n_tri, cap_tri;
    band_out *out; /* n_band * n_cmd while replaying */
    size_t cap_out;
};

int fb_drawlist_create(fb_drawlist **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? FB_OK : FB_ERR_NOMEM;
}

void fb_drawlist_free(fb_drawlist *d)
{
    if (!d)
        return;
    free(d->cmd);
    free(d->vert);
    free(d->vpart);
    free(d->tri);
    free(d->out);
    free(d);
}

void fb_drawlist_clear(fb_drawlist *d)
{
    d->n_cmd = d->n_vert = d->n_tri = 0;
}

/* Grows *p (elements of size el, capacity *cap) to hold n; false when memory ran out. */
static bool grow(void **p, size_t *cap, size_t n, size_t el)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap : 256;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * el);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* Appends a command with its vertices and triangles copied (with keep_in, only the triangles
 * that can touch its image, fb_raster_tris_keep); NULL when memory ran out. */
static cmd *append(fb_drawlist *d, const fb_rvert *v, size_t nv, const uint32_t (*tri)[3],
                   size_t nt, const uint8_t *vpart, const fb_raster *keep_in, bool cull)
{
    size_t cap_v = d->cap_vert;
    if (!grow((void **)&d->cmd, &d->cap_cmd, d->n_cmd + 1, sizeof(cmd)) ||
        !grow((void **)&d->vert, &cap_v, d->n_vert + nv, sizeof(fb_rvert)) ||
        !grow((void **)&d->vpart, &d->cap_vert, d->n_vert + nv, 1) ||
        !grow((void **)&d->tri, &d->cap_tri, d->n_tri + nt, sizeof(*d->tri)))
        return NULL;
    cmd *c = &d->cmd[d->n_cmd++];
    memset(c, 0, sizeof(*c));
    c->v0 = d->n_vert, c->nv = nv, c->t0 = d->n_tri, c->nt = nt;
    memcpy(d->vert + d->n_vert, v, nv * sizeof(*v));
    if (vpart)
        memcpy(d->vpart + d->n_vert, vpart, nv);
    c->nt_in = nt;
    if (keep_in)
        c->nt = nt = fb_raster_tris_keep(keep_in, v, tri, nt, cull, d->tri + d->n_tri);
    else
        memcpy(d->tri + d->n_tri, tri, nt * sizeof(*tri));
    d->n_vert += nv, d->n_tri += nt;
    c->has_vpart = vpart != NULL;
    /* vertices behind the camera are in no drawn triangle (their x, y may be anything) */
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < nv; i++)
        if (v[i].inv_z > 0.0f) {
            lo = v[i].y < lo ? v[i].y : lo;
            hi = v[i].y > hi ? v[i].y : hi;
        }
    c->y_min = lo, c->y_max = hi;
    return c;
}

int fb_drawlist_tris(fb_drawlist *d, const fb_raster *r, const fb_rvert *v, size_t nv,
                     const uint32_t (*tri)[3], size_t nt, uint16_t owner,
                     const uint8_t *part_of_vertex, uint8_t part, bool cull, uint32_t pass,
                     uint32_t *covered, fb_raster_stats *stats)
{
    cmd *c = append(d, v, nv, tri, nt, part_of_vertex, r, cull);
    if (!c)
        return FB_ERR_NOMEM;
    c->owner = owner, c->part = part, c->cull = cull, c->pass = pass;
    c->covered = covered, c->stats = stats;
    return FB_OK;
}

int fb_drawlist_tris_add(fb_drawlist *d, const fb_rvert *v, size_t nv, const uint32_t (*tri)[3],
                         size_t nt, uint8_t only_part, bool mirrored)
{
    cmd *c = append(d, v, nv, tri, nt, NULL, NULL, false);
    if (!c)
        return FB_ERR_NOMEM;
    c->add = true, c->part = only_part, c->mirrored = mirrored;
    return FB_OK;
}

int fb_drawlist_hiz(fb_drawlist *d, float x_lo, float x_hi, float y_lo, float y_hi)
{
    if (!grow((void **)&d->cmd, &d->cap_cmd, d->n_cmd + 1, sizeof(cmd)))
        return FB_ERR_NOMEM;
    cmd *c = &d->cmd[d->n_cmd++];
    memset(c, 0, sizeof(*c));
    c->v0 = d->n_vert, c->t0 = d->n_tri; /* (no vertices, no triangles) */
    c->hiz = true, c->x_lo = x_lo, c->x_hi = x_hi, c->y_min = y_lo, c->y_max = y_hi;
    return FB_OK;
}

/* The share of a row's factor kept each frame (the rest follows its band's measured time per
 * unit of triangle weight), and the factor's bounds: a band slowed by another process shifts
 * the next cuts only a little. */
#define BALANCE_KEEP 0.5
#define BALANCE_MIN 0.25
#define BALANCE_MAX 4.0

struct fb_drawlist_balance {
    float *row_factor; /* time per unit of triangle weight in each row, relative; 1 at first */
    int height;        /* of the raster row_factor was measured on (0: none yet) */
};

int fb_drawlist_balance_create(fb_drawlist_balance **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? FB_OK : FB_ERR_NOMEM;
}

void fb_drawlist_balance_free(fb_drawlist_balance *b)
{
    if (!b)
        return;
    free(b->row_factor);
    free(b);
}

/* The replay under way: the lists in order, cut into bands of rows. */
typedef struct replay {
    fb_drawlist *const *lists;
    size_t n_lists;
    fb_raster *r;
    int n_band, threads;
    int cut[MAX_BANDS + 1]; /* band b is the rows [cut[b], cut[b + 1]) */
    const float *row_factor; /* NULL: triangles alone */
    double *row_w;           /* each row's share of the triangles (height) */
    double band_s[MAX_BANDS]; /* each band's replay time, when balancing */
    bool timed;
    fb_pool_ends ends; /* which band a task draws: from the top or the bottom (pool.h) */
} replay;

/* Cuts the image into j->n_band bands of set shares of the work: each command's triangles
 * spread evenly over the rows its vertices span (times the rows' measured factors when
 * balancing), the bands cut where the running sum crosses each share (rows without triangles
 * still fall in some band). Only where the bands lie depends on this, never a sample. Keeps
 * the rows' weights in j->row_w (the caller frees them). Returns false when memory ran out. */
static bool cut_bands(replay *j)
{
    const int H = j->r->height, n = j->n_band;
    double *w = calloc((size_t)H + 1, sizeof(*w));
    if (!w)
        return false;
    for (size_t l = 0; l < j->n_lists; l++)
        for (size_t k = 0; k < j->lists[l]->n_cmd; k++) {
            const cmd *c = &j->lists[l]->cmd[k];
            if (!(c->y_max >= 0.0f && c->y_min < (float)H) || c->nt == 0)
                continue;
            int a = c->y_min > 0.0f ? (int)c->y_min : 0;
            int b = c->y_max < (float)(H - 1) ? (int)c->y_max : H - 1;
            double per_row = (double)c->nt / (double)(b - a + 1);
            w[a] += per_row, w[b + 1] -= per_row; /* a difference array */
        }
    /* each row's weight: its share of the triangles, times its factor when balancing */
    double total = 0, row_w = 0;
    for (int y = 0; y < H; y++) {
        row_w += w[y];
        w[y] = row_w > 0 ? row_w : 0; /* the sums' rounding */
        total += j->row_factor ? w[y] * j->row_factor[y] : w[y];
    }
    /* the bands are taken from both ends towards the middle (fb_pool_ends): with more than one
     * a thread the first round (one a thread) gets a larger share than the next, so that the last
     * bands taken, which decide when the job ends, are the short ones in the middle (shares
     * 3 : 2 : 2 : 3 with two bands a thread and two threads; with one, all alike) */
    double share[MAX_BANDS], shares = 0;
    const int per_end = (j->threads + 1) / 2; /* threads taking from each end */
    for (int i = 0; i < n; i++) {
        const int d = i < n - 1 - i ? i : n - 1 - i; /* from the nearer end */
        share[i] = BANDS_PER_THREAD + 1 - d / per_end;
        share[i] = share[i] < 1 ? 1 : share[i];
        shares += share[i];
    }
    j->cut[0] = 0;
    double run = 0, below = share[0];
    int b = 1;
    for (int y = 0; y < H && b < n; y++) {
        run += j->row_factor ? w[y] * j->row_factor[y] : w[y];
        while (b < n && run >= total * below / shares)
            j->cut[b] = y + 1, below += share[b++];
    }
    while (b < n)
        j->cut[b++] = H;
    j->cut[n] = H;
    j->row_w = w;
    return true;
}

/* After a balanced replay: each band's time per unit of its rows' triangle weight, against the
 * frame's, moves its rows' factors (smoothed, bounded). */
static void learn(const replay *j, fb_drawlist_balance *bal)
{
    double t_all = 0, w_all = 0;
    for (int b = 0; b < j->n_band; b++)
        t_all += j->band_s[b];
    for (int y = 0; y < j->r->height; y++)
        w_all += j->row_w[y] * bal->row_factor[y];
    if (!(t_all > 0) || !(w_all > 0))
        return;
    for (int b = 0; b < j->n_band; b++) {
        double wb = 0;
        for (int y = j->cut[b]; y < j->cut[b + 1]; y++)
            wb += j->row_w[y] * bal->row_factor[y];
        if (!(wb > 0))
            continue;
        /* the band took t_b where its factored weight said wb / w_all of t_all */
        double ratio = j->band_s[b] / t_all * w_all / wb;
        ratio = ratio < BALANCE_MIN ? BALANCE_MIN : ratio > BALANCE_MAX ? BALANCE_MAX : ratio;
        for (int y = j->cut[b]; y < j->cut[b + 1]; y++) {
            double f = bal->row_factor[y] * (BALANCE_KEEP + (1.0 - BALANCE_KEEP) * ratio);
            bal->row_factor[y] = (float)(f < BALANCE_MIN ? BALANCE_MIN
                                         : f > BALANCE_MAX ? BALANCE_MAX : f);
        }
    }
}

/* One band's replay of every list, in order (a pool task). */
static void run_band(void *ctx, int task)
{
    replay *j = ctx;
    const int b = j->threads > 1 ? fb_pool_ends_take(&j->ends) : task;
    if (b < 0)
        return; /* not reached: one take a task, as many tasks as bands */
    const double t0 = j->timed ? fb_clock_s() : 0.0;
    const int lo = j->cut[b], hi = j->cut[b + 1];
    for (size_t l = 0; l < j->n_lists; l++) {
        fb_drawlist *d = j->lists[l];
        band_out *out = d->out + (size_t)b * d->n_cmd;
        fb_raster_cover cover; /* the band's count of the list's current coverage pass */
        fb_raster_cover_begin(&cover, 0);
        bool counting = false;
        for (size_t k = 0; k < d->n_cmd; k++) {
            const cmd *c = &d->cmd[k];
            band_out *o = &out[k];
            memset(o, 0, sizeof(*o));
            if (c->hiz) { /* the band's rows of floor(y_min) .. floor(y_max) */
                if (c->y_max >= (float)lo && c->y_min < (float)hi)
                    fb_raster_hiz_update(j->r, c->x_lo, c->x_hi,
                                         c->y_min > (float)lo ? (int)c->y_min : lo,
                                         c->y_max < (float)(hi - 1) ? (int)c->y_max + 1 : hi);
                continue;
            }
            /* no vertex reaches the band: neither does any triangle (floor(y) < lo iff y < lo) */
            if (c->nt == 0 || !(c->y_max >= (float)lo && c->y_min < (float)hi))
                continue;
            const fb_rvert *v = d->vert + c->v0;
            const uint32_t(*tri)[3] = (const uint32_t(*)[3])(d->tri + c->t0);
            if (c->add) {
                fb_raster_tris_add_rows(j->r, v, tri, c->nt, c->part, c->mirrored, lo, hi);
                continue;
            }
            if (c->covered && !(counting && cover.pass == c->pass)) {
                fb_raster_cover_begin(&cover, c->pass);
                counting = true;
            }
            fb_raster_tris_rows(j->r, v, tri, c->nt, c->owner,
                                c->has_vpart ? d->vpart + c->v0 : NULL, c->part, c->cull,
                                c->covered ? &o->covered : NULL, c->covered ? &cover : NULL, lo,
                                hi, &o->st);
        }
    }
    if (j->timed)
        j->band_s[b] = fb_clock_s() - t0;
}

static void add_stats(fb_raster_stats *to, const fb_raster_stats *s)
{
    to->tris_in += s->tris_in, to->tris_drawn += s->tris_drawn;
    to->rows += s->rows, to->px_tested += s->px_tested;
    to->tris_hidden += s->tris_hidden;
}

/* Adds what list d's commands counted, band by band in row order, to their pointers. */
static void merge(fb_drawlist *d, int n_band, fb_raster *r)
{
    for (size_t k = 0; k < d->n_cmd; k++) {
        const cmd *c = &d->cmd[k];
        fb_raster_stats st = {0, 0, 0, 0, 0};
        uint32_t covered = 0;
        for (int b = 0; b < n_band; b++) {
            const band_out *o = &d->out[(size_t)b * d->n_cmd + k];
            covered += o->covered;
            add_stats(&st, &o->st);
        }
        if (c->add || c->hiz)
            continue; /* reflections are not counted (fb_raster_tris_add), nor bounds */
        st.tris_in = c->nt_in;
        if (c->covered)
            *c->covered += covered;
        if (c->stats)
            add_stats(c->stats, &st);
        add_stats(&r->stats, &st);
    }
}

int fb_drawlist_run(fb_drawlist *const *lists, size_t n_lists, fb_raster *r, fb_pool *pool)
{
    return fb_drawlist_run_balanced(lists, n_lists, r, pool, NULL);
}

int fb_drawlist_run_balanced(fb_drawlist *const *lists, size_t n_lists, fb_raster *r,
                             fb_pool *pool, fb_drawlist_balance *bal)
{
    int threads = pool ? fb_pool_threads(pool) : 1;
    int n_band = threads * BANDS_PER_THREAD;
    n_band = n_band > r->height ? r->height : n_band;
    for (size_t l = 0; l < n_lists; l++) {
        fb_drawlist *d = lists[l];
        if (!grow((void **)&d->out, &d->cap_out, (size_t)n_band * d->n_cmd, sizeof(band_out)))
            return FB_ERR_NOMEM;
    }
    if (bal && bal->height != r->height) { /* a new raster: every row alike */
        float *f = realloc(bal->row_factor, (size_t)r->height * sizeof(*f));
        if (!f)
            return FB_ERR_NOMEM;
        for (int y = 0; y < r->height; y++)
            f[y] = 1.0f;
        bal->row_factor = f;
        bal->height = r->height;
    }
    replay j = {.lists = lists, .n_lists = n_lists, .r = r, .n_band = n_band, .threads = threads,
                .row_factor = bal ? bal->row_factor : NULL, .timed = bal != NULL};
    double q0 = fb_pool_trace_now();
    if (!cut_bands(&j))
        return FB_ERR_NOMEM;
    fb_pool_trace_span("bands cut", q0);
    fb_pool_ends_reset(&j.ends, n_band);
    if (pool)
        fb_pool_run(pool, run_band, &j, n_band);
    else
        for (int b = 0; b < n_band; b++)
            run_band(&j, b);
    q0 = fb_pool_trace_now();
    for (size_t l = 0; l < n_lists; l++)
        merge(lists[l], n_band, r);
    if (bal)
        learn(&j, bal);
    free(j.row_w);
    fb_pool_trace_span("bands merged", q0);
    return FB_OK;
}
