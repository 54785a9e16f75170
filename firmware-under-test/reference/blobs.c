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

/* The hottest pixel of row[a..b] (a <= b). */
static uint16_t run_max(const uint16_t *row, int32_t a, int32_t b) {
    uint16_t v = row[a];
    int32_t x;
#if FBFW_SIMD
    if (b - a >= 7) { /* 8 at a time as signed lanes (v ^ 0x8000), the last 8 overlapping */
        const __m128i flip = _mm_set1_epi16((short)0x8000);
        __m128i m = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(row + a)), flip);
        for (x = a + 8; x + 7 < b; x += 8)
            m = _mm_max_epi16(
                m, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(row + x)), flip));
        m = _mm_max_epi16(
            m, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(row + b - 7)), flip));
        m = _mm_max_epi16(m, _mm_srli_si128(m, 8));
        m = _mm_max_epi16(m, _mm_srli_si128(m, 4));
        m = _mm_max_epi16(m, _mm_srli_si128(m, 2));
        return (uint16_t)(((uint32_t)_mm_cvtsi128_si32(m) ^ 0x8000u) & 0xffffu);
    }
#endif
    for (x = a + 1; x <= b; x++)
        v = row[x] > v ? row[x] : v;
    return v;
}

/* Appends the runs of row y (mask: its pixels in the band) to the run list: a run starts at a set
 * bit whose left neighbour is clear and ends at one whose right neighbour is clear, read off a
 * word at a time (in order, they alternate: the first end of a word may close a run begun in an
 * earlier word, the last start may open one that ends in a later word). */
static void scan_row(fbfw_state *s, const uint16_t *row, const uint64_t *mask, int32_t y) {
    fbfw_run *runs = fbfw_runs(s);
    uint16_t *parent = fbfw_parent(s);
    const int32_t n_words = (s->w + 63) >> 6;
    uint32_t added = 0;
    uint64_t carry = 0; /* the last pixel of the word before is in the band */
    int32_t i, start = 0;
    for (i = 0; i < n_words; i++) {
        const uint64_t m = mask[i], next = i + 1 < n_words ? mask[i + 1] & 1u : 0u;
        uint64_t starts = m & ~(m << 1 | carry), ends = m & ~(m >> 1 | next << 63);
        carry = m >> 63;
        for (; ends; ends &= ends - 1) {
            const int32_t end = 64 * i + fbfw_low_bit(ends);
            if (starts && 64 * i + fbfw_low_bit(starts) <= end) {
                start = 64 * i + fbfw_low_bit(starts);
                starts &= starts - 1;
            }
            if (added < FBFW_MAX_RUNS_PER_ROW && s->n_runs < s->max_runs) {
                fbfw_run *r = &runs[s->n_runs];
                r->y = (uint16_t)y;
                r->x0 = (uint16_t)start;
                r->x1 = (uint16_t)end;
                r->vmax = run_max(row, start, end);
                r->label = FBFW_LABEL_NONE;
                parent[s->n_runs] = (uint16_t)s->n_runs;
                s->n_runs++;
                added++;
            } else {
                s->run_overflow++;
            }
        }
        if (starts)
            start = 64 * i + fbfw_low_bit(starts);
    }
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
            int32_t x;
            for (x = ex0; x < ex1; x++) /* the blackbody's columns: not skin */
                mask[x >> 6] &= ~((uint64_t)1 << (x & 63));
        }
        scan_row(s, row, mask, y);
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
