/* faces.c — head candidates from skin blobs: forehead-anchored head geometry, an eye window owned by
 * the head, the canthus estimate, and which heads hide which. */
#include <string.h>

#include "fbfw_internal.h"

#ifdef FBFW_DEBUG_FACES /* a debugging aid for host builds only: never enabled in a commit */
#include <stdio.h>
#define FACE_DBG(...) printf(__VA_ARGS__)
#else
#define FACE_DBG(...) ((void)0)
#endif

#ifndef FBFW_CANTHUS_METHOD
/* 2: the hottest pixel that has a neighbour within FBFW_SPIKE_CK of it; 1: the hottest mean of
 * two horizontally adjacent pixels; 0: the hottest pixel */
#define FBFW_CANTHUS_METHOD 2
#endif

/* Where another head's outline joins a traced face at a side (dome_trace): row y, columns
 * [x0, x1] of the new outline, y < 0 when none; with cut set, the trace stops there (the rows
 * below are the other head's), else it goes on as if nothing had joined. */
typedef struct fbfw_join {
    int32_t y, x0, x1;
    int32_t cut;
} fbfw_join;

static int32_t imax(int32_t a, int32_t b) {
    return a > b ? a : b;
}
static int32_t imin(int32_t a, int32_t b) {
    return a < b ? a : b;
}

/* Is run i free of blob runs touching it in the row above (a hairline: a skin region's top)? A
 * row's runs come left to right: the ones that start right of a column cannot touch it, here and
 * in the run searches below. */
static int is_seed(fbfw_state *s, uint32_t i, uint16_t label) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    const fbfw_run *c = &runs[i];
    uint32_t k;
    if (c->y == 0)
        return 1;
    for (k = row_start[c->y - 1]; k < row_start[c->y] && runs[k].x0 <= c->x1; k++) {
        const fbfw_run *p = &runs[k];
        if (p->label == label && p->x0 <= c->x1 && c->x0 <= p->x1)
            return 0;
    }
    return 1;
}

/* Rows of skin below the hairline: consecutive rows from y0 in which the blob has a run
 * overlapping the central corridor [c0, c1], up to `limit` rows. */
static int32_t skin_rows(fbfw_state *s, uint16_t label, int32_t y0, int32_t c0, int32_t c1,
                         int32_t y_end, int32_t limit) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    int32_t y, n = 0;
    for (y = y0; y <= y_end && n < limit; y++, n++) {
        uint32_t k;
        int found = 0;
        for (k = row_start[y]; k < row_start[y + 1] && (int32_t)runs[k].x0 <= c1 && !found; k++)
            found = runs[k].label == label && c0 <= (int32_t)runs[k].x1;
        if (!found)
            break;
    }
    return n;
}

/* Bit k is set when row[x0 + k] >= lo, for x0 + k < x1 (x1 - x0 <= 63; w: the row's width). */
static uint64_t window_mask(const uint16_t *row, int32_t x0, int32_t x1, int32_t w, uint16_t lo) {
    const int32_t n = x1 - x0;
    uint64_t m = 0;
    int32_t k;
    for (k = 0; k < n && x0 + k + 16 <= w; k += 16)
        m |= (uint64_t)fbfw_band_mask16(row + x0 + k, lo) << k;
    for (; k < n; k++)
        m |= (uint64_t)(row[x0 + k] >= lo) << k;
    return m & (((uint64_t)1 << n) - 1);
}

/* The eye window [x0,x1) x [y0,y1) on pixels owned by this head: from the forehead rows just below
 * the hairline (row `top`), pixels >= lo2 are followed down inside the window's columns, a row's
 * runs kept when they touch runs kept in the row above (a neighbour's skin cut off by hair or by
 * the nose stays out). In the window rows the hottest kept, non-hot pixel that has a neighbour
 * within FBFW_SPIKE_CK of it is the canthus estimate (a noisy pixel's lone spike is not; the
 * pair mean of METHOD 1 reads a ~2 px canthus 0.03 K lower still). Returns 0 when nothing
 * qualifies; *reach is the last row reached, *at the estimate's pixel (y * width + x). */
static int eye_window(const fbfw_state *s, const uint16_t *f, int32_t top, int32_t x0, int32_t y0,
                      int32_t x1, int32_t y1, int32_t lo2, float *out, int32_t *reach,
                      int32_t *at) {
    const int32_t hot = s->hot_raw, w = s->w;
    int32_t a0[FBFW_MAX_RUNS_PER_ROW], a1[FBFW_MAX_RUNS_PER_ROW];
    int32_t b0[FBFW_MAX_RUNS_PER_ROW], b1[FBFW_MAX_RUNS_PER_ROW];
    int32_t na = 0, y, best = -1;
    /* A mask's warm top edge below the eyes: from some row to the window's end, every row's
     * mean across the window is FBFW_MASK_STEP_CK above every eye row's (three and more rows
     * up: the edge's blur spans two), flat, and kept across most of it, for at least
     * FBFW_MASK_ROWS rows. Then nothing from that row on is a canthus, nor the two rows above
     * it (blurred into it). A warm band that ends inside the window (the eyes' rising edge,
     * a periorbital band with its canthi) is not a mask. */
    int32_t best1 = -1, best2 = -1, best_above = -1, run = 0; /* best of rows <= y-2, y-3 */
    int32_t bat = -1, bat1 = -1, bat2 = -1, bat_above = -1;     /* ... and their pixels */
    float mean_max = -1.0f, mean1 = -1.0f, mean2 = -1.0f, base = -1.0f;
    const int by_mask = x1 - x0 <= 63 && lo2 >= 0 && lo2 <= 65535; /* a row's runs off a mask */
    *reach = top - 1;
    for (y = top; y < y1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)w;
        int32_t x = x0, nb = 0, k;
        uint64_t m = by_mask ? window_mask(row, x0, x1, w, (uint16_t)lo2) : 0;
        while ((by_mask ? m != 0 : x < x1) && nb < FBFW_MAX_RUNS_PER_ROW) {
            int32_t a;
            if (by_mask) { /* the lowest run of set bits, then cleared from m */
                const int32_t first = fbfw_low_bit(m);
                const int32_t end = fbfw_low_bit(~m & ~(((uint64_t)1 << first) - 1));
                a = x0 + first;
                x = x0 + end;
                m &= ~(((uint64_t)1 << end) - 1);
            } else {
                if ((int32_t)row[x] < lo2) {
                    x++;
                    continue;
                }
                a = x;
                while (x < x1 && (int32_t)row[x] >= lo2)
                    x++;
            }
            if (na > 0) { /* must touch a run kept in the row above */
                for (k = 0; k < na; k++)
                    if (a0[k] <= x - 1 && a <= a1[k])
                        break;
                if (k == na)
                    continue;
            }
            b0[nb] = a;
            b1[nb] = x - 1;
            nb++;
        }
        if (nb == 0) {
            if (y <= top + 1)
                continue; /* the hairline rows may be below the raised threshold */
            break;
        }
        *reach = y;
        if (y >= y0) {
            int32_t kept = 0, top_v = 0, xx;
            float sum = 0.0f, mean;
            for (k = 0; k < nb; k++)
                kept += b1[k] - b0[k] + 1;
            for (xx = x0; xx < x1; xx++) {
                sum += (float)row[xx];
                top_v = (int32_t)row[xx] > top_v ? (int32_t)row[xx] : top_v;
            }
            mean = sum / (float)(x1 - x0);
            if (run == 0) {
                base = mean_max;
                best_above = best2;
                bat_above = bat2;
            }
            if (base >= 0.0f && mean >= base + (float)FBFW_MASK_STEP_CK &&
                (float)top_v - mean <= (float)FBFW_MASK_FLAT_CK &&
                (float)kept >= FBFW_MASK_SPAN * (float)(x1 - x0))
                run++;
            else
                run = 0;
            if (mean2 > mean_max)
                mean_max = mean2;
            mean2 = mean1;
            mean1 = mean;
        }
        best2 = best1;
        best1 = best;
        bat2 = bat1;
        bat1 = bat;
        if (y >= y0) {
            for (k = 0; k < nb; k++) {
                int32_t xx;
                for (xx = b0[k]; xx <= b1[k]; xx++) {
                    int32_t v = (int32_t)row[xx];
                    if (v >= hot)
                        continue;
#if FBFW_CANTHUS_METHOD == 0
                    if (2 * v > best) {
                        best = 2 * v;
                        bat = y * w + xx;
                    }
#elif FBFW_CANTHUS_METHOD == 2
                    if (2 * v > best) {
                        /* a lone spike (a noisy pixel) is not a canthus: the hottest pixel must
                         * have a neighbour within FBFW_SPIKE_CK of it */
                        int32_t nbr = xx > x0 ? (int32_t)row[xx - 1] : 0;
                        if (xx + 1 < x1 && (int32_t)row[xx + 1] > nbr)
                            nbr = (int32_t)row[xx + 1];
                        if (y > 0 && (int32_t)row[xx - w] > nbr)
                            nbr = (int32_t)row[xx - w];
                        if (y + 1 < s->h && (int32_t)row[xx + w] > nbr)
                            nbr = (int32_t)row[xx + w];
                        if (nbr >= v - FBFW_SPIKE_CK || nbr >= hot) {
                            best = 2 * v;
                            bat = y * w + xx;
                        } else if (2 * nbr > best) {
                            best = 2 * nbr;
                            bat = y * w + xx;
                        }
                    }
#else
                    if (xx + 1 <= b1[k]) {
                        int32_t u = (int32_t)row[xx + 1];
                        if (u < hot && v + u > best) {
                            best = v + u;
                            bat = y * w + (u > v ? xx + 1 : xx);
                        }
                    }
#endif
                }
            }
        }
        for (k = 0; k < nb; k++) {
            a0[k] = b0[k];
            a1[k] = b1[k];
        }
        na = nb;
    }
    if (run >= FBFW_MASK_ROWS) {
        FACE_DBG("mask from row %d\n", (int)(*reach - run + 1));
        best = best_above;
        bat = bat_above;
    }
    if (best < 0)
        return 0;
    *out = 0.5f * (float)best;
    *at = bat;
    return 1;
}

/* The canthus estimate's local contrast: est minus the mean of the (2 FBFW_SSE_NBHD_PX + 1)-pixel
 * square around its pixel `at` (clipped to the image), in ck. A cold face around a warm canthus
 * stands out more, and the lens takes more from it (docs/firmware.md, "Size-of-source"). */
static float local_contrast(const fbfw_state *s, const uint16_t *f, int32_t at, float est) {
    const int32_t x = at % s->w, y = at / s->w, r = FBFW_SSE_NBHD_PX;
    int32_t xx, yy, n = 0;
    float sum = 0.0f;
    for (yy = imax(y - r, 0); yy <= imin(y + r, s->h - 1); yy++)
        for (xx = imax(x - r, 0); xx <= imin(x + r, s->w - 1); xx++, n++)
            sum += (float)f[(size_t)yy * (size_t)s->w + (size_t)xx];
    return est - sum / (float)n;
}

/* The run of pixels >= thr in row y that continues [x0, x1] of the row above: the one through
 * column xc, else the one nearest to it inside [x0, x1]. Returns 0 when there is none. */
static int pixel_run(const fbfw_state *s, const uint16_t *f, int32_t y, int32_t x0, int32_t x1,
                     int32_t xc, int32_t thr, int32_t *a, int32_t *b) {
    const uint16_t *row = f + (size_t)y * (size_t)s->w;
    int32_t x = -1, d, lo_x = 0, hi_x = s->w - 1;
    /* A source that is seen is not skin (its rectangle and a pixel around it). */
    if (s->bb_seen && y >= s->bb_ry0 - 1 && y <= s->bb_ry1) {
        if (xc < s->bb_rx0 - 1)
            hi_x = s->bb_rx0 - 2;
        else if (xc > s->bb_rx1)
            lo_x = s->bb_rx1 + 1;
        else
            return 0;
    }
    x0 = imax(x0, lo_x);
    x1 = imin(x1, hi_x);
    if (x1 < x0)
        return 0;
    xc = xc < x0 ? x0 : xc > x1 ? x1 : xc;
    for (d = 0; xc - d >= x0 || xc + d <= x1; d++) {
        if (xc - d >= x0 && (int32_t)row[xc - d] >= thr) {
            x = xc - d;
            break;
        }
        if (xc + d <= x1 && (int32_t)row[xc + d] >= thr) {
            x = xc + d;
            break;
        }
    }
    if (x < 0)
        return 0;
    *a = *b = x;
    if (thr <= 65535) { /* 16 pixels at a time, then the last few one by one */
        const uint16_t t = (uint16_t)(thr < 0 ? 0 : thr);
        uint32_t m;
        for (; *a - 16 >= lo_x; *a -= 16) {
            m = fbfw_band_mask16(row + *a - 16, t);
            if (m != 0xffffu) { /* keep the set bits above the highest clear one */
                *a -= 15 - fbfw_high_bit(~m & 0xffffu);
                break;
            }
        }
        for (; *b + 16 <= hi_x; *b += 16) {
            m = fbfw_band_mask16(row + *b + 1, t);
            if (m != 0xffffu) { /* keep the set bits below the lowest clear one */
                *b += fbfw_low_bit(~m);
                break;
            }
        }
    }
    for (; *a > lo_x && (int32_t)row[*a - 1] >= thr; (*a)--) {
    }
    for (; *b < hi_x && (int32_t)row[*b + 1] >= thr; (*b)++) {
    }
    return 1;
}

/* The width of the forehead run [x0, x0 + wf) of row y to a fraction of a pixel: each pixel
 * counts by where it lies between the hair beside the forehead (2 px out, each side) and the
 * forehead (the middle half of the run). A 27 px head has a 17 px forehead: whole pixels
 * would be 6 % steps in its distance. */
static float forehead_width(const fbfw_state *s, const uint16_t *f, int32_t y, int32_t x0,
                            int32_t wf) {
    const uint16_t *row = f + (size_t)y * (size_t)s->w;
    int32_t x, x1 = x0 + wf - 1, c = x0 + wf / 2, cnt = 0;
    float in = 0.0f, ol, orr, sum = 0.0f;
    if (x0 < 2 || x1 + 2 >= s->w || wf < 4)
        return (float)wf;
    for (x = x0 + wf / 4; x <= x1 - wf / 4; x++, cnt++)
        in += (float)row[x];
    in /= (float)cnt;
    ol = (float)row[x0 - 2];
    orr = (float)row[x1 + 2];
    if (in - ol < 100.0f || in - orr < 100.0f)
        return (float)wf; /* no clear step to the hair (1 K) */
    for (x = x0 - 1; x <= x1 + 1; x++) {
        float o = x < c ? ol : orr, v = ((float)row[x] - o) / (in - o);
        sum += v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
    }
    return sum;
}

/* Glasses are opaque in LWIR: they stop the skin below the forehead with a band ~0.2 W tall
 * (lenses, 34 mm) and the face's skin resumes right below it (a nearer head's hair cap that
 * cuts a face from below is taller). The canthi are hidden then and the face reads low; it is
 * still measured (docs/firmware.md, known limits). Looks in the middle 0.5 W of the face, up to
 * 0.25 W (and 2 px of blur) below row `stop`; returns the row where the skin resumes, or 0. */
static int32_t glasses_below(const fbfw_state *s, const uint16_t *f, int32_t stop, float cx,
                             float W) {
    const int32_t x0 = imax(fbfw_round(cx - 0.25f * W), 0);
    const int32_t x1 = imin(fbfw_round(cx + 0.25f * W), s->w - 1);
    const int32_t lo = s->lo_raw;
    const int32_t y_end = imin(stop + 3 + fbfw_round(0.25f * W), s->h - 1);
    int32_t y, x;
    for (y = stop + 2; y <= y_end; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)s->w;
        int32_t n_skin = 0;
        for (x = x0; x <= x1; x++)
            n_skin += (int32_t)row[x] >= lo;
        if (2 * n_skin > x1 - x0 + 1)
            return y; /* skin again: below the lenses */
    }
    return 0;
}

/* A rounded head seen from the front: the skin's top is a dome (the skull, or a hairline that
 * curves down to the temples), not a forehead with straight sides under a hair cap. From the
 * skin's top row y0 the skin is followed down at threshold thr (the run through the running
 * centre) while it widens toward the cheekbones and until it narrows to the jaw. It stops where
 * an edge jumps outward in one row (a neighbour's face joined at the cheek, a mask, a collar): the
 * rows from there on are not this face's own. Returns the widest run's width, *c2 its x0 + x1,
 * *stop the first row that is not this face's own skin (or the last row looked at + 1). */
static int32_t dome_trace(const fbfw_state *s, const uint16_t *f, int32_t y0, int32_t x0,
                          int32_t x1, int32_t thr, int32_t *c2, int32_t *stop, fbfw_join *join) {
    const int32_t limit = imin(s->h - 1, y0 + fbfw_round(1.2f * s->face_w_max));
    int32_t y, a, b, maxw = 0, maxy = y0, xc = (x0 + x1) / 2, maxa = x0, maxb = x1;
    int32_t hl[FBFW_JOIN_STALL_ROWS], hr[FBFW_JOIN_STALL_ROWS], nh = 0; /* the last rows' edges */
    *c2 = x0 + x1;
    *stop = y0 + 1;
    join->y = -1;
    for (y = y0 + 1; y <= limit; y++) {
        int32_t wd, jump, old = nh % FBFW_JOIN_STALL_ROWS;
        if (!pixel_run(s, f, y, x0, x1, xc, thr, &a, &b))
            break;
        wd = b - a + 1;
        jump = 2 + (x1 - x0 + 1) / 6;
        /* Another head joined at a side: an outline that had stopped widening (a face's side at
         * the cheekbones moves outward by at most a pixel over FBFW_JOIN_STALL_ROWS rows) steps
         * out again by FBFW_JOIN_STEP_PX or more in one row. A head's own outline is convex
         * (it widens less and less down to the cheekbones); a concave corner is where a second
         * outline, a head below and in front, meets it (docs/firmware.md, "Overlapping heads").
         * Where the second head starts is a seed of its own (*join); once it has been found
         * to be a head, the rows from there on are not this face's own (join->cut). */
        if (nh >= FBFW_JOIN_STALL_ROWS && 10 * (y - y0) >= 3 * wd &&
            (float)(x1 - x0 + 1) >= FBFW_FOREHEAD_FRAC * s->face_w_min &&
            !(3 * (y - y0) < wd && 10 * (x1 - x0 + 1) < 6 * wd)) {
            const int right = b - x1 >= FBFW_JOIN_STEP_PX && x1 - hr[old] <= 1;
            const int left = x0 - a >= FBFW_JOIN_STEP_PX && hl[old] - x0 <= 1;
            if ((right || left) && join->y < 0) {
                join->y = y;
                join->x0 = right ? x1 + 1 : a;
                join->x1 = right ? b : x0 - 1;
                if (join->cut)
                    break;
            }
        }
        /* Joined by something beside it (a neighbour at the cheek, a mask, a collar): stop. But a
         * strip of skin at a temple that joins a much wider forehead below a fringe is the top,
         * and so is the skin under a fringe swept to one side, which widens by more than half
         * within a third of its width below the top. */
        if (y > y0 + 2 && (x0 - a > jump || b - x1 > jump) && 10 * (x1 - x0 + 1) >= 4 * wd &&
            !(3 * (y - y0) < wd && 10 * (x1 - x0 + 1) < 6 * wd))
            break;
        if (wd > maxw) {
            maxw = wd;
            maxy = y;
            maxa = a;
            maxb = b;
            *c2 = a + b;
        } else if (5 * wd < 4 * maxw && y > maxy + 2) {
            /* The jaw, unless the face widens again within a few rows, to FBFW_BAND_BACK of its
             * widest run and inside that run's span: then this was a cold band across it (the
             * brows, the eyes' outer corners, a cold nose's alae; a face is narrower at its eyes
             * than at its temples, and a band over several rows narrows the row above too). */
            int32_t yy, ya = -1, aa = a, bb = b, look = imin(limit, y + 2 + maxw / 6);
            for (yy = y + 1; yy <= look && ya < 0; yy++) {
                if (!pixel_run(s, f, yy, aa, bb, (aa + bb) / 2, thr, &aa, &bb))
                    break;
                if ((float)(bb - aa + 1) >= FBFW_BAND_BACK * (float)maxw &&
                    aa >= imin(x0, maxa) - jump && bb <= imax(x1, maxb) + jump + maxw / 4)
                    ya = yy;
            }
            if (ya < 0)
                break; /* the jaw */
            y = ya;
            a = aa;
            b = bb;
        }
        if (y - y0 > 2 * maxw + 4)
            break;
        hl[nh % FBFW_JOIN_STALL_ROWS] = x0;
        hr[nh % FBFW_JOIN_STALL_ROWS] = x1;
        nh++;
        x0 = a;
        x1 = b;
        xc = (a + b) / 2;
        *stop = y + 1;
    }
    return maxw;
}

/* Pixels of run u within columns [c0, c1] that are skin, not hot (a radiator or a cup merged with
 * the skin region is no face above anything). */
static int32_t skin_in(const fbfw_state *s, const uint16_t *f, const fbfw_run *u, int32_t c0,
                       int32_t c1) {
    const int32_t a = imax(c0, (int32_t)u->x0), b = imin(c1, (int32_t)u->x1);
    const uint16_t *row = f + (size_t)u->y * (size_t)s->w;
    int32_t x, n = 0;
    if (a > b)
        return 0;
    if ((int32_t)u->vmax < s->hot_raw)
        return b - a + 1;
    for (x = a; x <= b; x++)
        n += (int32_t)row[x] < s->hot_raw;
    return n;
}

/* Does the blob cover at least two thirds of columns [c0, c1] in one of the `rows` rows above
 * row y? (A face above; a narrow strip beside a fringe does not count.) */
static int blob_above(fbfw_state *s, const uint16_t *f, uint16_t label, int32_t y, int32_t c0,
                      int32_t c1, int32_t rows) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    int32_t r;
    for (r = y - 1; r >= 0 && r >= y - rows; r--) {
        int32_t cover = 0;
        uint32_t k;
        for (k = row_start[r]; k < row_start[r + 1] && (int32_t)runs[k].x0 <= c1; k++)
            if (runs[k].label == label)
                cover += skin_in(s, f, &runs[k], c0, c1);
        if (3 * cover >= 2 * (c1 - c0 + 1))
            return 1;
    }
    return 0;
}

/* Does a hot pixel (a cup, a heater) show inside a head W x H centred at (cx, cy), within the
 * ellipse of 0.85 its half-widths? A cup at the lips or the cheek does; something hot beside or
 * behind the head (a radiator the head hides part of) only meets its outline or its box's
 * corners, and spoils nothing: the canthus search passes over hot pixels anyway. */
static int hot_in_head(const fbfw_state *s, const uint16_t *f, float cx, float cy, float W,
                       float H) {
    const float ax = 0.425f * W, ay = 0.425f * H;
    const int32_t y0 = imax(0, fbfw_round(cy - ay)), y1 = imin(s->h - 1, fbfw_round(cy + ay));
    const int32_t x0 = imax(0, fbfw_round(cx - ax)), x1 = imin(s->w - 1, fbfw_round(cx + ax));
    int32_t x, y;
    for (y = y0; y <= y1; y++) {
        const float dy = ((float)y + 0.5f - cy) / ay;
        for (x = x0; x <= x1; x++) {
            const float dx = ((float)x + 0.5f - cx) / ax;
            if (dx * dx + dy * dy <= 1.0f &&
                (int32_t)f[(size_t)y * (size_t)s->w + (size_t)x] >= s->hot_raw)
                return 1;
        }
    }
    return 0;
}

/* Is there, just above row y across columns [c0, c1], another skin region at least w_px wide that
 * covers two thirds of them (in one of `rows` rows)? A neck or chin parted from its face by a
 * cool band (the jaw's shadow in a cool room) has its face there, wider than itself; a nearer
 * person's head has, above its hair, only farther and so narrower faces. */
static int face_above_other(fbfw_state *s, const uint16_t *f, uint16_t label, int32_t y,
                            int32_t c0, int32_t c1, int32_t rows, float w_px) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    int32_t r;
    for (r = y - 1; r >= 0 && r >= y - rows; r--) {
        int32_t cover = 0;
        uint32_t k;
        for (k = row_start[r]; k < row_start[r + 1] && (int32_t)runs[k].x0 <= c1; k++) {
            const fbfw_run *u = &runs[k];
            const fbfw_blob *ob;
            if (u->label == label || u->label >= s->n_blobs)
                continue;
            ob = &s->blobs[u->label];
            if ((float)(ob->x1 - ob->x0 + 1) < w_px)
                continue;
            cover += skin_in(s, f, u, c0, c1);
        }
        if (3 * cover >= 2 * (c1 - c0 + 1))
            return 1;
    }
    return 0;
}

/* Is the seed row [x0, x1] at y the top of a narrow strip of skin that widens, within a short
 * head's height and without either side falling in, into a forehead at least FBFW_TEMPLE_GROW
 * times as wide and a small head's forehead wide, the strip at a side of it and hair over its
 * middle on the way down? That is a temple beside a fringe, or either side of a parted one: the
 * skin's top is then traced as a rounded head's (dome_trace). */
static int temple_strip(const fbfw_state *s, const uint16_t *f, int32_t y, int32_t x0, int32_t x1,
                        int32_t thr) {
    const int32_t w0 = x1 - x0 + 1, lim = fbfw_round(FBFW_TEMPLE_ROWS_W * s->face_w_max);
    int32_t k, a, b, l = x0, r = x1, kw = 0, wl = x0, wr = x1, side, xm;
    if ((float)w0 >= FBFW_FOREHEAD_FRAC * s->face_w_min)
        return 0; /* a wide top: the template's tests were the right ones */
    for (k = 1; k <= lim && y + k < s->h; k++) {
        if (!pixel_run(s, f, y + k, l, r, (l + r) / 2, thr, &a, &b) || a > l || b < r)
            break; /* the jaw, a neighbour's edge: the forehead is above */
        l = a;
        r = b;
        if (r - l > wr - wl) {
            wl = l;
            wr = r;
            kw = k;
        }
    }
    if (wr - wl + 1 < FBFW_TEMPLE_GROW * w0 ||
        (float)(wr - wl + 1) < FBFW_FOREHEAD_FRAC * s->face_w_min)
        return 0;
    side = (wr - wl + 1) * 3 / 10;
    if (x1 > wl + side && x0 < wr - side)
        return 0; /* a temple is at a side of its forehead */
    xm = (wl + wr) / 2;
    for (k = 0; k < kw; k++) /* the fringe: not skin over the middle, somewhere above */
        if ((int32_t)f[(size_t)(y + k) * (size_t)s->w + (size_t)xm] < thr)
            return 1;
    return 0;
}

/* The level at which a head that joins a traced face at a side (*j) is followed apart from it:
 * halfway from the skin band's lower edge to its own skin (the warmest pixel of the join's
 * columns in the 3 rows below it). The seam between two overlapping heads (the nearer head's
 * edge, cooled by the grazing angle, against the farther face's cheek) stays below it, while its
 * free side, a step of ~12 K to the room blurred over ~2 px, loses at most a pixel to it (crowd
 * seed 11, frame 223: skin 35.0 °C, band 30.5 °C, seam 29.1-31.8 °C, the farther cheek beside it
 * 32.5-33.0 °C, the level 32.75 °C). A level at the skin less 0.7 K (the eye window's) parts
 * them too but loses 3-4 px a side to the blur and the grazing angle: the head reads 25 % narrow
 * and its eye window misses the eyes. */
static int32_t join_level(const fbfw_state *s, const uint16_t *f, const fbfw_join *j) {
    int32_t y, x, v = 0;
    for (y = j->y + 1; y <= imin(j->y + 3, s->h - 1); y++)
        for (x = j->x0; x <= j->x1; x++)
            v = imax(v, (int32_t)f[(size_t)y * (size_t)s->w + (size_t)x]);
    if (v >= s->hot_raw || v <= s->lo_raw)
        return s->lo_raw;
    return (s->lo_raw + v) / 2;
}

/* A head from its hairline seed. The forehead (the rows just below the hairline, framed by the
 * hair cap) is the part of a face that others hide least: people nearer the camera appear lower
 * and cover a farther face from below, neighbours join it at the cheeks and the jaw. So the
 * head's width and centre come from the forehead's width (FBFW_FOREHEAD_FRAC of the head's), not
 * from the widest row. Returns 1 with *out filled for a plausible head. */
static int head_from_seed(fbfw_state *s, const uint16_t *f, const fbfw_blob *b, uint16_t label,
                          const fbfw_run *sd, int32_t thr_join, fbfw_join *join, fbfw_face *out) {
    int32_t y0 = sd->y, thr = thr_join > 0 ? thr_join : s->lo_raw;
    int32_t wid[FBFW_FOREHEAD_ROWS], cen2[FBFW_FOREHEAD_ROWS], n = 0, k, x0 = sd->x0, x1 = sd->x1;
    int32_t m = 0, tx0, tx1;
    int32_t lmin = 1 << 20, lmax = -1, rmin = 1 << 20, rmax = -1, nrow;
    int32_t c2 = (int32_t)sd->x0 + (int32_t)sd->x1, wf, ex0, ex1, ey0, ey1, reach, lo2, nrows, at = 0;
    int32_t touches = 0, bottom, edge, dome = 0, ytop = y0, stop = 0;
    float W, H, cx, bx, by, est, fore = 0.0f;

    /* Hair in the skin band (a warm room, a hot face): then the seed is the top of the hair cap
     * and the forehead starts below it, a step up of ~0.65 (forehead - room). The forehead is
     * then traced at the middle of that step. */
    if (thr_join <= 0 && y0 + 2 < s->h) {
        const int32_t xc = c2 / 2, q = (sd->x1 - sd->x0 + 1) / 4, w = s->w;
        const float room = s->amb_ck - (float)s->corr_ck;
        const int32_t lim = imin(y0 + 2 + 2 * (sd->x1 - sd->x0 + 1), s->h - 1);
        float top = 0.0f;
        int32_t x, r, cnt = 0;
        for (x = sd->x0 + q; x <= (int32_t)sd->x1 - q; x++, cnt++)
            top += (float)f[(size_t)(y0 + 1) * (size_t)w + (size_t)x];
        top /= (float)cnt;
        for (r = y0 + 2; r <= lim; r++) {
            const uint16_t *row = f + (size_t)r * (size_t)w;
            float v = (float)row[xc];
            if (v < (float)s->lo_raw)
                break; /* out of the skin band (the nose, the chin): no step */
            if (v - top >= (float)FBFW_HAIR_STEP_CK && v - top >= 0.5f * (v - room)) {
                thr = fbfw_round(0.5f * (top + v));
                for (y0 = y0 + 1; y0 < r && (int32_t)f[(size_t)y0 * (size_t)w + (size_t)xc] < thr;
                     y0++) {
                }
                x0 = x1 = xc;
                break;
            }
        }
    }

    /* Forehead rows: follow the run under the hairline's centre down the forehead (~0.2 head
     * widths: 1.6 x 0.2 = 0.32 forehead widths, at least 3 rows), on the pixels. */
    ytop = y0;
    tx0 = x0;
    tx1 = x1;
    nrow = FBFW_FOREHEAD_ROWS;
    for (k = 1; k <= nrow && y0 + k < s->h; k++) {
        const int32_t px0 = x0, px1 = x1, step = 1 + (px1 - px0 + 1) / 8;
        if (!pixel_run(s, f, y0 + k, x0, x1, c2 / 2, thr, &x0, &x1))
            break;
        /* Past its first rows, a run that falls in sharply at a side has met a cold band across
         * the face (the brows, the eyes' outer corners): the forehead ends above it. */
        if (n >= FBFW_FOREHEAD_ROWS && (x0 - px0 > step || px1 - x1 > step)) {
            x0 = px0;
            x1 = px1;
            break;
        }
        if (n < FBFW_FOREHEAD_ROWS) {
            wid[n] = x1 - x0 + 1;
            cen2[n] = x0 + x1;
            n++;
            if (n == FBFW_FOREHEAD_ROWS - 1 || n == FBFW_FOREHEAD_ROWS)
                nrow = imax(nrow, (32 * (x1 - x0 + 1) + 50) / 100);
        }
        lmin = imin(lmin, x0);
        lmax = imax(lmax, x0);
        rmin = imin(rmin, x1);
        rmax = imax(rmax, x1);
    }
    if (n == 0) { /* no row below: the seed row itself */
        wid[0] = sd->x1 - sd->x0 + 1;
        cen2[0] = (int32_t)sd->x0 + (int32_t)sd->x1;
        n = 1;
        m = -1;
    }
    /* The median row (a row joined at one side by a neighbour is an outlier). */
    {
        int32_t order[FBFW_FOREHEAD_ROWS], i, j;
        for (i = 0; i < n; i++) {
            int32_t v = i;
            for (j = i; j > 0 && wid[order[j - 1]] > wid[v]; j--)
                order[j] = order[j - 1];
            order[j] = v;
        }
        m = m < 0 ? -1 : order[(n - 1) / 2];
        wf = wid[m < 0 ? 0 : m];
        c2 = cen2[m < 0 ? 0 : m];
    }
    /* A skin top that widens on both sides, row after row, is a rounded head (a dome): its
     * width is the widest row's, its eyes lower (dome_trace). */
    if (n >= 3) {
        const int32_t fl = (cen2[0] - wid[0] + 1) / 2, fr = fl + wid[0] - 1;
        const int32_t grow_l = fl - x0, grow_r = x1 - fr, tol = 1 + wf / 8;
        /* both sides widen; or one does and the other holds (a temple beside a fringe) */
        dome = (grow_l > tol && grow_r >= 0) || (grow_r > tol && grow_l >= 0);
    }
    /* A hairline sits over the middle of its forehead; a seed at the end of a wider run below
     * is skin beside the hair (a temple), or a ragged hairline whose middle is another seed. */
    if (thr == s->lo_raw && thr_join <= 0 && (2 * ((int32_t)sd->x0 + (int32_t)sd->x1 - c2) > wf ||
                             2 * (c2 - (int32_t)sd->x0 - (int32_t)sd->x1) > wf))
        goto rejected;
    /* A forehead is even: no cold nose in the middle of its rows 2 and 3 (the row right under
     * the hairline is part hair, blurred; the skin under a pair of glasses, the cheeks and the
     * nose, has a straight top edge too). */
    {
        int32_t r, x, vmin = 1 << 20, vmax = -1, q = wf / 4, xc = c2 / 2, rows = 0, soft = 1;
        int32_t rmean[2] = {0, 0};
        for (r = y0 + 2; r <= y0 + 3 && r < s->h; r++, rows++) {
            const uint16_t *row = f + (size_t)r * (size_t)s->w;
            int32_t lo = 1 << 20, hi = -1, sum = 0, cnt = 0;
            for (x = imax(xc - q, 0); x <= imin(xc + q, s->w - 1); x++, cnt++) {
                lo = imin(lo, (int32_t)row[x]);
                hi = imax(hi, (int32_t)row[x]);
                sum += (int32_t)row[x];
            }
            vmin = imin(vmin, lo);
            vmax = imax(vmax, hi);
            soft = soft && cnt > 0 && hi - lo <= FBFW_FORE_EVEN_CK;
            rmean[rows] = cnt > 0 ? sum / cnt : 0;
        }
        if (vmax >= 0 && vmax - vmin > FBFW_FORE_EVEN_CK) {
            /* A soft hairline: short hair thinning over several rows leaves the forehead's first
             * rows each even but warmer row by row (a cold nose makes a row uneven). Its head is
             * traced as a rounded one, from the skin's top. */
            if (FBFW_SOFT_HAIRLINE && rows == 2 && soft &&
                rmean[1] - rmean[0] >= FBFW_FORE_EVEN_CK / 2)
                dome = 1;
            goto rejected;
        }
    }
    /* Its sides are straight (the hair frames it): a side that slants is the edge of another
     * head in front, which hides part of this forehead (the width would be wrong). */
    if (n >= 2 && (lmax - lmin > 1 + wf / 8 || rmax - rmin > 1 + wf / 8))
        goto rejected;
    /* ... and under hair: the rows just above a forehead are not skin. Where two faces
     * touch at the cheeks, the first joined row has no skin right above it either, but the
     * faces themselves are above the wide run that follows. */
    if (y0 > 0) {
        int32_t r, x, skin = 0, all = 0, fx0 = (c2 - wf + 1) / 2, fx1 = fx0 + wf - 1;
        for (r = imax(y0 - 2, 0); r < y0; r++) {
            const uint16_t *row = f + (size_t)r * (size_t)s->w;
            for (x = imax(fx0, 0); x <= imin(fx1, s->w - 1); x++, all++)
                skin += (int32_t)row[x] >= thr;
        }
        if (all > 0 && 10 * skin > 3 * all)
            goto rejected;
    }
    W = forehead_width(s, f, y0 + 1 + m, (c2 - wf + 1) / 2, wf) /
        FBFW_FOREHEAD_FRAC;
    if (W < s->face_w_min || W > s->face_w_max)
        goto rejected;
    cx = 0.5f * (float)c2 + 0.5f;
    goto shaped;
rejected:
    /* The template's tests failed: a rounded head? */
    if (!dome)
        dome = temple_strip(s, f, ytop, tx0, tx1, thr);
    if (!dome)
        return 0;
    {
        int32_t c2d, ws = dome_trace(s, f, ytop, tx0, tx1, thr, &c2d, &stop, join), ra, rb;
        W = (float)ws / FBFW_DOME_SKIN_FRAC;
        if (W < s->face_w_min || W > s->face_w_max || (float)(stop - ytop) < 0.55f * W)
            return 0;
        cx = 0.5f * (float)c2d + 0.5f;
        y0 = ytop + fbfw_round(FBFW_DOME_HAIRLINE_W * W);
        c2 = c2d;
        wf = fbfw_round(FBFW_FOREHEAD_FRAC * W);
        m = 0;
        if (y0 + 1 < s->h && pixel_run(s, f, y0 + 1, c2d / 2, c2d / 2, c2d / 2, thr, &ra, &rb)) {
            c2 = ra + rb; /* the forehead ends there, for who hides whom */
            wf = rb - ra + 1;
        }
        goto shaped;
    }
shaped:
    /* A head's top has hair or the room above it. The same skin region just above, across its
     * middle, is the face this top lies in: the floor of a cold nose, the chin and neck under a
     * cold mouth, the cheeks under cold brows or eye corners, skin under glasses, not a head of
     * its own. */
    if (blob_above(s, f, label, ytop, fbfw_round(cx - 0.15f * W), fbfw_round(cx + 0.15f * W),
                   fbfw_round(0.9f * W)) ||
        face_above_other(s, f, label, ytop, fbfw_round(cx - 0.15f * W), fbfw_round(cx + 0.15f * W),
                         fbfw_round(FBFW_NECK_GAP_W * W), W))
        return 0;
    H = FBFW_HEAD_ASPECT * W;
    bx = cx - 0.5f * W;
    by = (float)y0 - FBFW_HAIRLINE_FRAC * H;

    /* A face has skin for about a head width below the hairline; a stripe does not. */
    bottom = imin((int32_t)b->y1, s->h - 1);
    nrows = skin_rows(s, label, y0, fbfw_round(cx - 0.25f * W), fbfw_round(cx + 0.25f * W), bottom,
                      fbfw_round(W));
    if (y0 == 0 || bx < 0.0f || by < 0.0f || bx + W > (float)s->w || by + H > (float)s->h ||
        c2 - wf + 1 <= 0 || c2 + wf - 1 >= 2 * (s->w - 1)) /* cut by the image's edge */
        touches = 1;
    edge = c2 - wf + 1 <= 0 ? -1 : c2 + wf - 1 >= 2 * (s->w - 1) ? 1 : 0;
    if ((float)nrows < FBFW_MIN_ROWS_W * W && y0 + nrows <= bottom)
        return 0;

    /* This person's skin level: the forehead below the hairline, the coolest of the middle
     * halves of its rows 2 .. 0.1 W below the hairline (the row right under it is part hair,
     * blurred; a hat leaves only 0.125 W of forehead above the warmer eye band); their face is
     * traced at it minus 0.7 K (the cheeks, 0.5-2 K below the forehead, and the nose, 2-5 K,
     * stay out). */
    {
        int32_t r, x, half = imax(wf / 4, 1), xc = fbfw_round(cx - 0.5f);
        int32_t last = y0 + imax(3, fbfw_round(0.1f * W));
        fore = -1.0f;
        for (r = y0 + 2; r <= last && r < s->h; r++) {
            float sum = 0.0f, t;
            int32_t cnt = 0;
            for (x = imax(xc - half, 0); x <= imin(xc + half, s->w - 1); x++, cnt++)
                sum += (float)f[(size_t)r * (size_t)s->w + (size_t)x];
            t = sum / (float)cnt;
            if (fore < 0.0f || t < fore)
                fore = t;
        }
        if (fore < 0.0f)
            fore = (float)s->lo_raw;
        lo2 = imax(fbfw_round(fore) - FBFW_RETRACE_BELOW_CK, s->lo_raw);
    }

    /* Eye window: hairline + 0.12 .. 0.5 head widths (the canthi are 0.375 W below the
     * hairline, less under a hat that hides the top of the forehead), the central 0.4 W. */
    ey0 = y0 + fbfw_round(FBFW_EYE_TOP_W * W);
    ey1 = y0 + fbfw_round(FBFW_EYE_BOTTOM_W * W);
    ex0 = fbfw_round(cx - FBFW_EYE_HALF_W * W);
    ex1 = fbfw_round(cx + FBFW_EYE_HALF_W * W);
    if (dome) { /* the eyes of a rounded head: 0.45 .. 0.65 W below the skin's top */
        ey0 = ytop + fbfw_round(FBFW_DOME_EYE_TOP_W * W);
        ey1 = imin(ytop + fbfw_round(FBFW_DOME_EYE_BOTTOM_W * W), stop - 1);
        ex0 = fbfw_round(cx - FBFW_DOME_EYE_HALF_W * W);
        ex1 = fbfw_round(cx + FBFW_DOME_EYE_HALF_W * W);
    }
    if (ex0 < 0 || ex1 > s->w || ey1 > s->h)
        touches = 1;
    ex0 = imax(ex0, 0);
    ex1 = imin(ex1, s->w);
    ey1 = imin(ey1, s->h);
    if (ey1 <= ey0 || ex1 <= ex0 ||
        !eye_window(s, f, y0, ex0, ey0, ex1, ey1, lo2, &est, &reach, &at))
        return 0;
    if (est + (float)s->corr_ck < (float)FBFW_FACE_MIN_PEAK_CK)
        return 0; /* no canthus-warm spot: a hand, a warm object */
    if (b->hot) { /* a hot object (cup) over or touching the head: do not trust it */
        float hx0 = (float)b->hx0, hx1 = (float)b->hx1 + 1.0f;
        float hy0 = (float)b->hy0, hy1 = (float)b->hy1 + 1.0f;
        if (hx1 > bx - 2.0f && hx0 < bx + W + 2.0f && hy1 > by - 2.0f && hy0 < by + H + 2.0f &&
            hot_in_head(s, f, cx, by + 0.5f * H, W, H))
            return 0;
    }
    /* Near the blackbody: a visible part of the 35 °C source in the eye window would read as
     * a canthus. Track, do not measure. */
    if (s->bb_enabled) {
        float rx0 = (float)(s->bb_rx0 - 1), rx1 = (float)(s->bb_rx1 + 1);
        float ry0 = (float)(s->bb_ry0 - 1), ry1 = (float)(s->bb_ry1 + 1);
        /* While the source is not seen (partly hidden, or not found yet), a "forehead" that
         * fits inside the installer's rectangle is the source's own square top, or what hides
         * it (a hand, a sign); a person's forehead in front of the source is wider. */
        if (!s->bb_seen && (float)(c2 - wf + 1) * 0.5f >= rx0 &&
            (float)(c2 + wf - 1) * 0.5f + 1.0f <= rx1 && (float)y0 >= ry0 && (float)y0 < ry1)
            return 0;
        if ((float)ex0 < rx1 && (float)ex1 > rx0 && (float)ey0 < ry1 && (float)ey1 > ry0) {
            /* Its eye window meets the installer's rectangle. Fine only when the source is
             * hidden and this head covers all of where it was learned (then none of it shows:
             * the person is in front of it). */
            float hx = 0.5f * W - 1.0f, hy = 0.5f * H - 1.0f;
            float sx0 = (float)s->bb_sx0 - cx, sx1 = (float)s->bb_sx1 + 1.0f - cx;
            float sy0 = (float)s->bb_sy0 - (by + 0.5f * H);
            float sy1 = (float)s->bb_sy1 + 1.0f - (by + 0.5f * H);
            float ax = sx0 * sx0 > sx1 * sx1 ? sx0 : sx1, ay = sy0 * sy0 > sy1 * sy1 ? sy0 : sy1;
            if (s->bb_seen || !s->bb_locked || (ax / hx) * (ax / hx) + (ay / hy) * (ay / hy) > 1.0f)
                touches = 1;
        }
    }
    memset(out, 0, sizeof(*out));
    out->cx = cx;
    out->cy = by + 0.5f * H;
    out->w = W;
    out->hairline = (float)y0;
    out->blob = label;
    out->edge_cut = (int8_t)edge;
    out->bx = imax(fbfw_round(bx), 0);
    out->by = imax(fbfw_round(by), 0);
    out->bw = imin(fbfw_round(bx + W), s->w) - out->bx;
    out->bh = imin(fbfw_round(by + H), s->h) - out->by;
    out->ex0 = (int16_t)ex0;
    out->ex1 = (int16_t)ex1;
    out->ey0 = (int16_t)ey0;
    out->ey1 = (int16_t)ey1;
    out->fx0 = (int16_t)((c2 - wf + 1) / 2);
    out->fx1 = (int16_t)(out->fx0 + wf - 1);
    out->fy = (int16_t)(y0 + 1 + m);
    out->canthus_raw = est;
    out->contrast_ck = local_contrast(s, f, at, est);
    out->fore_raw = fore;
    out->at_border = (uint8_t)touches;
    /* Measurable: large enough, inside the image, and the skin under the hairline reaches past
     * the eyes (nothing cold - hair, a shoulder - cuts the window short), unless what stops it
     * is a pair of glasses. */
    if ((float)(reach - y0) < FBFW_EYE_REACH_W * W && (float)(reach - y0) >= FBFW_EYE_TOP_W * W)
        out->glasses_y = (int16_t)glasses_below(s, f, reach, cx, W);
    /* Cut short by another head's outline: what resumes below is that head, not glasses. */
    if (join->cut && join->y >= 0)
        out->glasses_y = 0;
    out->measurable =
        (uint8_t)(!touches && W >= (float)s->sample_min_w &&
                  ((float)(reach - y0) >= FBFW_EYE_REACH_W * W || out->glasses_y > 0));
    out->valid = 1;
    FACE_DBG("head top %d x %.1f W %.1f dome %d stop %d win %d..%d x %d..%d est %.2f reach %d "
             "glasses %d meas %d\n", (int)ytop, (double)cx, (double)W, dome, (int)stop,
             (int)ey0, (int)ey1, (int)ex0, (int)ex1, (double)(est / 100.0f - 273.15f),
             (int)reach, (int)out->glasses_y, (int)out->measurable);
    return out->bw > 0 && out->bh > 0;
}

/* Is the rectangle [x0,x1] x [y0,y1] inside the ellipse (cx, cy, rx, ry) anywhere? */
static int rect_meets_ellipse(float x0, float y0, float x1, float y1, float cx, float cy, float rx,
                              float ry) {
    float px = cx < x0 ? x0 : cx > x1 ? x1 : cx; /* the rectangle's point nearest the centre */
    float py = cy < y0 ? y0 : cy > y1 ? y1 : cy;
    float dx = (px - cx) / rx, dy = (py - cy) / ry;
    return dx * dx + dy * dy < 1.0f;
}

/* Does head h cover any of the rectangle [x0,x1] x [y0,y1]? With skin_only, only its skin counts
 * (its face below its hairline, and its neck: 0.1 m wide, 0.10 .. 0.21 m below the centre);
 * otherwise its whole outline, with the hair cap (a 0.17 m circle 0.04 m above the centre). */
static int covers(const fbfw_face *h, float x0, float y0, float x1, float y1, int skin_only) {
    const float W = h->w;
    if (skin_only && y0 < h->hairline)
        y0 = h->hairline;
    if (y1 < y0)
        return 0;
    return rect_meets_ellipse(x0, y0, x1, y1, h->cx, h->cy, 0.5f * W,
                              0.5f * FBFW_HEAD_ASPECT * W) ||
           (!skin_only &&
            rect_meets_ellipse(x0, y0, x1, y1, h->cx, h->cy - 0.25f * W, 0.53f * W, 0.53f * W)) ||
           (x1 > h->cx - 0.31f * W && x0 < h->cx + 0.31f * W && y1 > h->cy + 0.62f * W &&
            y0 < h->cy + 1.31f * W);
}

/* Half the width of head h's outline (hair cap, head, neck) at row y, about its centre; 0 when
 * the row misses it. Needs no libm: the square root by a few Newton steps. */
static float outline_half(const fbfw_face *h, float y) {
    const float W = h->w, hy = y - (h->cy - 0.25f * W), ey = y - h->cy;
    const float r = 0.53f * W, ry = 0.5f * FBFW_HEAD_ASPECT * W;
    float q = 0.0f, half = 0.0f, g;
    int k;
    if (hy * hy < r * r)
        q = r * r - hy * hy; /* hair cap */
    if (ey * ey < ry * ry && 0.25f * W * W * (1.0f - ey * ey / (ry * ry)) > q)
        q = 0.25f * W * W * (1.0f - ey * ey / (ry * ry)); /* head */
    if (q > 0.0f) {
        g = 0.5f * W;
        for (k = 0; k < 6; k++)
            g = 0.5f * (g + q / g);
        half = g;
    }
    if (ey > 0.62f * W && ey < 1.31f * W && half < 0.31f * W)
        half = 0.31f * W; /* neck */
    return half;
}

/* Is face c hidden in part by a head h in front of it? When h's outline covers c's canthi (the
 * middle of its eye window), when h's skin reaches into c's eye window (it could read as c's
 * canthus), or when h's outline runs along an end of c's forehead (h cut that forehead short:
 * its width and centre are wrong; an outline that reaches into the forehead is behind it, one
 * that stays off it hides only hair). */
static int hides(const fbfw_face *h0, const fbfw_face *c) {
    fbfw_face hh = *h0;
    const fbfw_face *h = &hh;
    const float cw = FBFW_CANTHI_HALF_W * c->w;
    float y, half, tol, edge;
    /* A head cut by the image's edge is wider than its forehead says: keep its inner side,
     * grow it toward the edge (at least as wide as c and a quarter). */
    if (hh.edge_cut != 0 && hh.w < 1.25f * c->w) {
        float inner = hh.cx - 0.5f * (float)hh.edge_cut * hh.w;
        hh.w = 1.25f * c->w;
        hh.cx = inner + 0.5f * (float)hh.edge_cut * hh.w;
    }
    y = (float)c->fy + 0.5f;
    half = outline_half(h, y);
    tol = 1.5f + 0.02f * h->w;
    if (covers(h, c->cx - cw, c->hairline + FBFW_CANTHI_TOP_W * c->w, c->cx + cw,
               c->hairline + FBFW_CANTHI_BOTTOM_W * c->w, 0))
        return 1;
    /* Between heads of about the same size either may be in front: only a clearly nearer one's
     * skin, or its outline along a forehead (cut short, that forehead looks farther still). */
    if (h->w >= 1.05f * c->w &&
        covers(h, (float)c->ex0, (float)c->ey0, (float)c->ex1, (float)c->ey1, 1))
        return 1;
    if (half <= 0.0f || h->w < 1.1f * c->w)
        return 0;
    if (h->cx > c->cx) { /* h on the right: its left outline against c's right end */
        edge = (float)c->fx1 + 1.0f;
        return h->cx - half - edge <= tol && edge - (h->cx - half) <= tol;
    }
    edge = (float)c->fx0;
    return edge - (h->cx + half) <= tol && (h->cx + half) - edge <= tol;
}

/* Adds a head to the frame's list unless it is the same head from a second seed (a ragged
 * hairline): then the first is kept. */
static void add_face(fbfw_state *s, const fbfw_face *face) {
    uint32_t j;
    if (s->n_faces >= FBFW_MAX_FACES)
        return;
    for (j = 0; j < s->n_faces; j++) {
        const fbfw_face *h = &s->faces[j];
        float dx = face->cx - h->cx, dy = face->hairline - h->hairline, lim = 0.25f * h->w;
        if (dx < lim && dx > -lim && dy < lim && dy > -lim)
            return;
    }
    s->faces[s->n_faces++] = *face;
}

void fbfw_faces_find(fbfw_state *s, const uint16_t *f) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    uint32_t bi, i, j;

    s->n_faces = 0;
    for (bi = 0; bi < s->n_blobs && s->n_faces < FBFW_MAX_FACES; bi++) {
        const fbfw_blob *b = &s->blobs[bi];
        uint32_t seeds = 0;
        if ((float)(b->x1 - b->x0 + 1) < FBFW_FOREHEAD_FRAC * s->face_w_min ||
            (float)(b->y1 - b->y0 + 1) < FBFW_MIN_ROWS_W * s->face_w_min)
            continue;
        /* Seeds top-down: each head of a blob starts at a run with no skin above it. */
        for (i = row_start[b->y0]; i < row_start[b->y1 + 1u] && s->n_faces < FBFW_MAX_FACES; i++) {
            fbfw_face face, other;
            fbfw_join join = {-1, 0, 0, 0}, none = {-1, 0, 0, 0};
            int found;
            if (runs[i].label != bi || !is_seed(s, i, (uint16_t)bi))
                continue;
            if (++seeds > FBFW_MAX_SEEDS_PER_BLOB)
                break;
            found = head_from_seed(s, f, b, (uint16_t)bi, &runs[i], 0, &join, &face);
            /* Another head's outline joined this one at a side (a head below and in front, whose
             * top meets this face's cheek: it has no top of its own in the blob). When a head
             * grows from where it joined, it is one, and this face is only what lies above it. */
            if (join.y >= 0) {
                fbfw_run js = runs[i];
                js.y = (uint16_t)join.y;
                js.x0 = (uint16_t)join.x0;
                js.x1 = (uint16_t)join.x1;
                if (head_from_seed(s, f, b, (uint16_t)bi, &js, join_level(s, f, &join), &none,
                                   &other)) {
                    add_face(s, &other);
                    join.y = -1;
                    join.cut = 1;
                    found = head_from_seed(s, f, b, (uint16_t)bi, &runs[i], 0, &join, &face);
                }
            }
            if (found)
                add_face(s, &face);
        }
    }

    /* Glasses: the skin that resumes below the lenses is the same face (no head of its own:
     * its top has the nose in the middle). A head that starts there is someone nearer whose
     * hair cut the face: no glasses, and the face is not measured. */
    for (j = 0; j < s->n_faces; j++) {
        fbfw_face *h = &s->faces[j];
        const float tol = 2.0f + 0.05f * h->w;
        if (h->glasses_y <= 0)
            continue;
        for (i = 0; i < s->n_faces; i++) {
            fbfw_face *c = &s->faces[i];
            float dx = c->cx - h->cx;
            if (i == j || !c->valid || c->hairline < (float)h->glasses_y - tol ||
                c->hairline > (float)h->glasses_y + tol || dx >= 0.5f * h->w || dx <= -0.5f * h->w)
                continue;
            h->glasses_y = 0;
            h->measurable = 0;
        }
    }
    for (i = 0; i < s->n_faces; i++) {
        fbfw_face *c = &s->faces[i];
        for (j = 0; j < s->n_faces && c->valid; j++) {
            const fbfw_face *h = &s->faces[j];
            float dx = c->cx - h->cx;
            if (j == i)
                continue;
            /* Part of a bigger head: skin beside the hair at the temples, below the hairline. */
            if (c->w < 0.8f * h->w && c->cx > (float)h->bx && c->cx < (float)(h->bx + h->bw) &&
                c->hairline > h->hairline && c->hairline < (float)(h->by + h->bh))
                c->valid = 0;
            /* A much wider part of the same blob just below a head is the body (clothing in
             * the skin band in a warm room), not a nearer face. */
            if (c->blob == h->blob && c->w > 1.6f * h->w &&
                (float)c->by >= (float)(h->by + h->bh) - 1.0f &&
                (float)c->by < (float)(h->by + 2 * h->bh) && dx < 0.5f * c->w && dx > -0.5f * c->w)
                c->valid = 0;
            /* A hand is a smaller warm part below a head, within a few head widths to the side;
             * or, hands at the hips (one or both, 4-5 head widths below the head), not much
             * wider than the head and clearly cooler than its canthus (hands are ~3 K below). */
            if (h->w >= 1.3f * c->w &&
                c->cy - 0.5f * FBFW_HEAD_ASPECT * c->w >= h->cy + 0.5f * FBFW_HEAD_ASPECT * h->w &&
                dx < 2.5f * h->w && dx > -2.5f * h->w)
                c->valid = 0;
            if (c->cy - h->cy > 2.5f * h->w && c->cy - h->cy < 7.0f * h->w &&
                dx < 2.5f * h->w && dx > -2.5f * h->w && c->w < 1.6f * h->w &&
                c->canthus_raw < h->canthus_raw - FBFW_HAND_BELOW_CK)
                c->valid = 0;
        }
    }
    /* A head that is as near as this one or nearer (as wide or wider) and covers part of its eye
     * window or an end of its forehead hides it: track it, do not measure it. */
    for (i = 0; i < s->n_faces; i++) {
        fbfw_face *c = &s->faces[i];
        if (!c->valid || !c->measurable)
            continue;
        for (j = 0; j < s->n_faces; j++) {
            const fbfw_face *h = &s->faces[j];
            if (j != i && h->valid && (h->w >= FBFW_OCCLUDER_RATIO * c->w || h->edge_cut) &&
                hides(h, c)) {
                c->measurable = 0;
                break;
            }
        }
    }
    for (i = 0, j = 0; i < s->n_faces; i++)
        if (s->faces[i].valid)
            s->faces[j++] = s->faces[i];
    s->n_faces = j;
}
