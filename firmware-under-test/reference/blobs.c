/* blobs.c — room temperature estimate and skin-band connected components (run-length union-find). */
#include <string.h>

#include "fbfw_internal.h"

void fbfw_ambient_update(fbfw_state *s, const uint16_t *f) {
    const int32_t step = 8, lo = FBFW_CK(0); /* every 8th pixel of every 8th row */
    uint32_t total = 0, target, acc = 0;
    int32_t x, y, bin = 0;
    float a;
    memset(s->amb_hist, 0, sizeof(s->amb_hist));
    for (y = step / 2; y < s->h; y += step) {
        const uint16_t *row = f + (size_t)y * (size_t)s->w;
        for (x = step / 2; x < s->w; x += step) {
            int32_t b = ((int32_t)row[x] + s->corr_ck - lo) / FBFW_AMB_BIN_CK;
            if (b < 0)
                b = 0;
            if (b >= FBFW_AMB_BINS)
                b = FBFW_AMB_BINS - 1;
            s->amb_hist[b]++;
            total++;
        }
    }
    target = total * FBFW_AMB_PERCENTILE / 100u;
    for (bin = 0; bin < FBFW_AMB_BINS; bin++) {
        acc += s->amb_hist[bin];
        if (acc > target)
            break;
    }
    if (bin >= FBFW_AMB_BINS)
        bin = FBFW_AMB_BINS - 1;
    a = (float)(lo + bin * FBFW_AMB_BIN_CK) + 0.5f * (float)FBFW_AMB_BIN_CK;
    if (!s->amb_init) {
        s->amb_ck = a;
        s->amb_init = 1;
    } else {
        s->amb_ck += s->amb_alpha * (a - s->amb_ck);
    }
}

static uint16_t uf_find(uint16_t *parent, uint16_t i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]]; /* path halving */
        i = parent[i];
    }
    return i;
}

static void uf_union(uint16_t *parent, uint16_t a, uint16_t b) {
    uint16_t ra = uf_find(parent, a), rb = uf_find(parent, b);
    /* The smaller index is the root, so a root always precedes its members in run order. */
    if (ra < rb)
        parent[rb] = ra;
    else if (rb < ra)
        parent[ra] = rb;
}

/* Bit x of mask (64 pixels a word) is set when row[x] >= lo, for x < w; the rest are clear. */
static void band_mask(const uint16_t *row, int32_t w, uint16_t lo, uint64_t *mask) {
    uint64_t word = 0;
    int32_t x;
    for (x = 0; x + 64 <= w; x += 64)
        mask[x >> 6] = (uint64_t)fbfw_band_mask16(row + x, lo) |
                       (uint64_t)fbfw_band_mask16(row + x + 16, lo) << 16 |
                       (uint64_t)fbfw_band_mask16(row + x + 32, lo) << 32 |
                       (uint64_t)fbfw_band_mask16(row + x + 48, lo) << 48;
    if (x == w)
        return;
    for (; x + 16 <= w; x += 16)
        word |= (uint64_t)fbfw_band_mask16(row + x, lo) << (x & 63);
    for (; x < w; x++)
        word |= (uint64_t)(row[x] >= lo) << (x & 63);
    mask[(w - 1) >> 6] = word;
}

/* The first x in [x, xb) whose mask bit is `set` (1 or 0), or xb. */
static int32_t next_bit(const uint64_t *mask, int32_t x, int32_t xb, int set) {
    while (x < xb) {
        uint64_t word = (set ? mask[x >> 6] : ~mask[x >> 6]) >> (x & 63);
        if (word) {
            x += fbfw_low_bit(word);
            return x < xb ? x : xb;
        }
        x = (x | 63) + 1;
    }
    return xb;
}

/* Appends the runs of row y in [xa, xb) (mask: its pixels in the band) to the run list; returns
 * how many were added. */
static uint32_t scan_segment(fbfw_state *s, const uint16_t *row, const uint64_t *mask, int32_t y,
                             int32_t xa, int32_t xb, uint32_t in_row) {
    fbfw_run *runs = fbfw_runs(s);
    uint16_t *parent = fbfw_parent(s);
    uint32_t added = 0;
    int32_t x = next_bit(mask, xa, xb, 1);
    while (x < xb) {
        const int32_t start = x;
        uint16_t vmax = row[x];
        x = next_bit(mask, x + 1, xb, 0);
        if (in_row + added < FBFW_MAX_RUNS_PER_ROW && s->n_runs < s->max_runs) {
            fbfw_run *r = &runs[s->n_runs];
            int32_t k;
            for (k = start + 1; k < x; k++)
                vmax = row[k] > vmax ? row[k] : vmax;
            r->y = (uint16_t)y;
            r->x0 = (uint16_t)start;
            r->x1 = (uint16_t)(x - 1);
            r->vmax = vmax;
            r->label = FBFW_LABEL_NONE;
            parent[s->n_runs] = (uint16_t)s->n_runs;
            s->n_runs++;
            added++;
        } else {
            s->run_overflow++;
        }
        x = next_bit(mask, x, xb, 1);
    }
    return added;
}

/* Bounds of the pixels >= hot inside run r. */
static void hot_extent(const uint16_t *row, const fbfw_run *r, uint16_t hot, int32_t *hx0,
                       int32_t *hx1) {
    int32_t x;
    *hx0 = r->x1;
    *hx1 = r->x0;
    for (x = r->x0; x <= (int32_t)r->x1; x++) {
        if (row[x] >= hot) {
            if (x < *hx0)
                *hx0 = x;
            if (x > *hx1)
                *hx1 = x;
        }
    }
}

void fbfw_blobs_find(fbfw_state *s, const uint16_t *f) {
    fbfw_run *runs = fbfw_runs(s);
    uint16_t *parent = fbfw_parent(s);
    uint16_t *row_start = fbfw_row_start(s);
    const uint16_t hot = (uint16_t)(s->hot_raw < 0 ? 0 : s->hot_raw);
    const uint16_t lo = (uint16_t)(s->lo_raw > 65535 ? 65535 : s->lo_raw);
    uint64_t mask[FBFW_MAX_DIM / 64];
    int32_t ex0 = 0, ey0 = 0, ex1 = 0, ey1 = 0, y;
    uint32_t i, prev_start = 0, prev_end = 0;

    s->n_runs = 0;
    s->run_overflow = 0;
    s->n_blobs = 0;
    /* The blackbody and a pixel of blur around it are not skin, while it is seen; when it is
     * hidden, whoever hides it may be a face. */
    if (s->bb_seen) {
        ex0 = s->bb_rx0 > 0 ? s->bb_rx0 - 1 : 0;
        ey0 = s->bb_ry0 > 0 ? s->bb_ry0 - 1 : 0;
        ex1 = s->bb_rx1 < s->w ? s->bb_rx1 + 1 : s->w;
        ey1 = s->bb_ry1 < s->h ? s->bb_ry1 + 1 : s->h;
    }

    for (y = 0; y < s->h; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)s->w;
        uint32_t cur_start = s->n_runs, pi, ci;
        row_start[y] = (uint16_t)cur_start;
        band_mask(row, s->w, lo, mask);
        if (s->bb_seen && y >= ey0 && y < ey1) {
            uint32_t n = scan_segment(s, row, mask, y, 0, ex0, 0);
            (void)scan_segment(s, row, mask, y, ex1, s->w, n);
        } else {
            (void)scan_segment(s, row, mask, y, 0, s->w, 0);
        }
        /* 4-connectivity: join runs of this row that overlap runs of the previous row. */
        pi = prev_start;
        ci = cur_start;
        while (pi < prev_end && ci < s->n_runs) {
            const fbfw_run *p = &runs[pi], *c = &runs[ci];
            if (p->x1 < c->x0) {
                pi++;
            } else if (c->x1 < p->x0) {
                ci++;
            } else {
                uf_union(parent, (uint16_t)pi, (uint16_t)ci);
                if (p->x1 < c->x1)
                    pi++;
                else
                    ci++;
            }
        }
        prev_start = cur_start;
        prev_end = s->n_runs;
    }
    row_start[s->h] = (uint16_t)s->n_runs;

    /* Label: roots precede members, so one pass assigns blob indices and accumulates stats. */
    for (i = 0; i < s->n_runs; i++) {
        fbfw_run *r = &runs[i];
        uint16_t root = uf_find(parent, (uint16_t)i);
        fbfw_blob *b;
        if (root == i) {
            if (s->n_blobs >= FBFW_MAX_BLOBS)
                continue; /* label stays NONE: dropped */
            r->label = (uint16_t)s->n_blobs;
            b = &s->blobs[s->n_blobs++];
            memset(b, 0, sizeof(*b));
            b->x0 = r->x0;
            b->x1 = r->x1;
            b->y0 = r->y;
            b->y1 = r->y;
        } else {
            r->label = runs[root].label;
            if (r->label == FBFW_LABEL_NONE)
                continue;
            b = &s->blobs[r->label];
        }
        b->area += (uint32_t)(r->x1 - r->x0 + 1);
        if (r->x0 < b->x0)
            b->x0 = r->x0;
        if (r->x1 > b->x1)
            b->x1 = r->x1;
        if (r->y > b->y1)
            b->y1 = r->y;
        if (r->vmax > b->vmax)
            b->vmax = r->vmax;
        if (r->vmax >= hot) {
            int32_t hx0, hx1;
            hot_extent(f + (size_t)r->y * (size_t)s->w, r, hot, &hx0, &hx1);
            if (!b->hot) {
                b->hot = 1;
                b->hx0 = (uint16_t)hx0;
                b->hx1 = (uint16_t)hx1;
                b->hy0 = r->y;
                b->hy1 = r->y;
            } else {
                if (hx0 < b->hx0)
                    b->hx0 = (uint16_t)hx0;
                if (hx1 > b->hx1)
                    b->hx1 = (uint16_t)hx1;
                if (r->y > b->hy1)
                    b->hy1 = r->y;
            }
        }
    }
}
