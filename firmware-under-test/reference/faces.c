/* faces.c — head candidates from skin blobs: head box from the row-width profile, robust canthus estimate. */
#include <string.h>

#include "fbfw_internal.h"

#ifndef FBFW_CANTHUS_METHOD
#define FBFW_CANTHUS_METHOD 1 /* 1: hottest horizontal pair mean; 0: hottest pixel */
#endif

static int32_t imax(int32_t a, int32_t b) {
    return a > b ? a : b;
}
static int32_t imin(int32_t a, int32_t b) {
    return a < b ? a : b;
}

/* Canthus estimate (raw ck) over the eye band [x0,x1) x [y0,y1), using only skin-band pixels
 * below the hot threshold: the hottest mean of two horizontally adjacent pixels (the inner
 * canthus is ~12 x 8 mm, wider than tall), or with FBFW_CANTHUS_METHOD 0 the hottest pixel.
 * Returns 0 when nothing qualifies. */
static int canthus_estimate(const fbfw_state *s, const uint16_t *f, int32_t x0, int32_t y0,
                            int32_t x1, int32_t y1, float *out) {
    const int32_t lo = s->lo_raw, hot = s->hot_raw, w = s->w;
    int32_t x, y, best = -1;
    for (y = y0; y < y1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)w;
        for (x = x0; x < x1; x++) {
            int32_t v = (int32_t)row[x];
            if (v < lo || v >= hot)
                continue;
#if FBFW_CANTHUS_METHOD == 0
            if (2 * v > best)
                best = 2 * v;
#else
            if (x + 1 < x1) {
                int32_t u = (int32_t)row[x + 1];
                if (u >= lo && u < hot && v + u > best)
                    best = v + u;
            }
#endif
        }
    }
    if (best < 0)
        return 0;
    *out = 0.5f * (float)best;
    return 1;
}

/* The skin below one head's hairline, row by row. */
typedef struct head_profile {
    int32_t start, nrows, wmax; /* first row, rows, widest row */
    float csum;                 /* sum of the rows' centres */
    int32_t wlow;               /* narrowest row since the widest one (jaw, neck) */
    int touches;                /* reached the image's left or right edge */
    int clean;                  /* nothing else joined it */
} head_profile;

static void profile_row(head_profile *p, const fbfw_state *s, int32_t mn, int32_t mx) {
    p->csum += 0.5f * (float)(mn + mx + 1);
    p->nrows++;
    if (mx - mn + 1 > p->wmax)
        p->wmax = p->wlow = mx - mn + 1;
    p->wlow = imin(p->wlow, mx - mn + 1);
    if (mn == 0 || mx == s->w - 1)
        p->touches = 1;
}

/* Should the trace stop before a row spanning [mn, mx]? When it is much wider than the head so
 * far, or wider again after the face narrowed toward the jaw (a head's width rises to its widest
 * row, then falls): a nearer person's face, or warm clothing, joins it. Not clean. */
static int profile_done(head_profile *p, int32_t mn, int32_t mx) {
    const int32_t wr = mx - mn + 1;
    if ((p->nrows >= 3 && 2 * p->nrows >= p->wmax && wr * 10 > p->wmax * FBFW_JUMP_X10) ||
        (p->wlow < p->wmax && wr * 10 > p->wlow * 12 + 10 && wr > p->wlow + 1)) {
        p->clean = 0;
        return 1;
    }
    return 0;
}

/* Traces one head down from seed run `seed` (a run of the blob with no skin above it: the
 * hairline of a head, since its own hair cap lies above). Each following row keeps the runs of
 * the blob that touch the runs kept in the row above and that no earlier trace took. */
static void trace_runs(fbfw_state *s, const fbfw_blob *b, uint16_t label, uint32_t seed,
                       uint16_t trace_id, head_profile *p) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    uint16_t *mark = fbfw_mark(s);
    uint16_t sel[2][FBFW_MAX_RUNS_PER_ROW];
    uint32_t nsel[2] = {1u, 0u}, cur = 0, i, j;
    int32_t r, mn = runs[seed].x0, mx = runs[seed].x1;

    memset(p, 0, sizeof(*p));
    p->start = runs[seed].y;
    p->clean = 1;
    sel[0][0] = (uint16_t)seed;
    mark[seed] = trace_id;
    for (r = p->start;;) {
        profile_row(p, s, mn, mx);
        if (p->nrows > p->wmax + 2 || ++r > (int32_t)b->y1)
            break;
        nsel[cur ^ 1u] = 0;
        for (i = row_start[r]; i < row_start[r + 1]; i++) {
            const fbfw_run *c = &runs[i];
            if (c->label != label)
                continue;
            for (j = 0; j < nsel[cur]; j++) {
                const fbfw_run *q = &runs[sel[cur][j]];
                if (q->x0 <= c->x1 && c->x0 <= q->x1)
                    break;
            }
            if (j == nsel[cur])
                continue;
            if (mark[i] != FBFW_LABEL_NONE && mark[i] != trace_id) {
                p->clean = 0; /* another head's skin joins this one */
                continue;
            }
            sel[cur ^ 1u][nsel[cur ^ 1u]++] = (uint16_t)i;
        }
        if (nsel[cur ^ 1u] == 0)
            break;
        mn = runs[sel[cur ^ 1u][0]].x0;
        mx = runs[sel[cur ^ 1u][nsel[cur ^ 1u] - 1u]].x1;
        if (profile_done(p, mn, mx))
            break;
        cur ^= 1u;
        for (j = 0; j < nsel[cur]; j++)
            mark[sel[cur][j]] = trace_id;
    }
}

/* Traces again from the seed, on the pixels, with a threshold raised to this person's skin:
 * 0.7 K below the forehead read just below the hairline (the cheeks are 0.5 K below it, the
 * nose, a hole then, 2 K). Warm clothing of someone behind (room + 0.45 (their forehead - room))
 * then no longer joins the face. Only a window around the seed is looked at; reaching its edge
 * means something large still joins: not clean. */
static void retrace_pixels(const fbfw_state *s, const uint16_t *f, const fbfw_run *seed,
                           const fbfw_blob *b, int32_t w_hint, head_profile *p) {
    const int32_t w = s->w, half = imax((seed->x1 - seed->x0 + 1) / 4, 1);
    const int32_t fc = (seed->x0 + seed->x1) / 2;
    int32_t sel0[FBFW_MAX_RUNS_PER_ROW], sel1[FBFW_MAX_RUNS_PER_ROW];
    int32_t nsel = 1, r, x, n = 0, wx0, wx1, lo2, width;
    float sum = 0.0f, fore;

    memset(p, 0, sizeof(*p));
    p->start = seed->y;
    p->clean = 1;
    /* Forehead: the centre half of the seed's width, the two rows below the hairline row. */
    for (r = seed->y + 1; r <= seed->y + 2 && r <= (int32_t)b->y1; r++)
        for (x = imax(fc - half, 0); x <= imin(fc + half, w - 1); x++, n++)
            sum += (float)f[(size_t)r * (size_t)w + (size_t)x];
    if (n == 0)
        return;
    fore = sum / (float)n;
    lo2 = fbfw_round(fore) - FBFW_RETRACE_BELOW_CK;
    if (lo2 <= s->lo_raw)
        return; /* nothing to gain */
    width = imax(w_hint, 2 * (seed->x1 - seed->x0 + 1));
    wx0 = imax(0, fc - (3 * width) / 2);
    wx1 = imin(w, fc + (3 * width) / 2 + 1);
    sel0[0] = seed->x0;
    sel1[0] = seed->x1;
    for (r = seed->y; r <= (int32_t)b->y1; r++) {
        const uint16_t *row = f + (size_t)r * (size_t)w;
        int32_t nr0[FBFW_MAX_RUNS_PER_ROW], nr1[FBFW_MAX_RUNS_PER_ROW], nn = 0, k, mn = 0, mx = 0;
        x = wx0;
        while (x < wx1 && nn < FBFW_MAX_RUNS_PER_ROW) {
            int32_t a;
            if ((int32_t)row[x] < lo2) {
                x++;
                continue;
            }
            a = x;
            while (x < wx1 && (int32_t)row[x] >= lo2)
                x++;
            for (k = 0; k < nsel; k++)
                if (sel0[k] <= x - 1 && a <= sel1[k])
                    break;
            if (k == nsel)
                continue; /* does not touch the row above */
            if ((a == wx0 && a > 0) || (x == wx1 && x < w))
                p->clean = 0; /* runs on past the window: something large joined */
            nr0[nn] = a;
            nr1[nn] = x - 1;
            nn++;
        }
        if (nn == 0) {
            if (p->nrows == 0 && r < seed->y + 2)
                continue; /* the hairline row itself may be below the raised threshold */
            break;
        }
        mn = nr0[0];
        mx = nr1[nn - 1];
        if (p->nrows > 0 && profile_done(p, mn, mx))
            break;
        if (p->nrows == 0)
            p->start = r;
        profile_row(p, s, mn, mx);
        if (p->nrows > p->wmax + 2)
            break;
        for (k = 0; k < nn; k++) {
            sel0[k] = nr0[k];
            sel1[k] = nr1[k];
        }
        nsel = nn;
    }
}

/* Head box, eye band and canthus estimate from a profile; returns 1 with *out filled when it
 * is a plausible, measurable-or-trackable head. */
static int finish_head(fbfw_state *s, const uint16_t *f, const fbfw_blob *b,
                       const head_profile *p, fbfw_face *out) {
    int32_t ey0, ey1, ex0, ex1, touches = p->touches;
    float cx, W, H, bx, by, est;

    if (p->nrows == 0 || (float)p->wmax < s->face_w_min || (float)p->wmax > s->face_w_max)
        return 0;
    W = (float)p->wmax;
    H = FBFW_HEAD_ASPECT * W;
    cx = p->csum / (float)p->nrows;
    bx = cx - 0.5f * W;
    by = (float)p->start - FBFW_HAIRLINE_FRAC * H;
    if (p->start == 0 || p->start + p->nrows >= s->h || bx < 0.0f || by < 0.0f ||
        bx + W > (float)s->w || by + H > (float)s->h)
        touches = 1;
    out->at_border = (uint8_t)touches;
    /* Below the hairline a face is ~0.7 head heights (~1 width) of skin; a stripe is not. */
    if (!touches && p->clean && (float)p->nrows < 0.4f * W)
        return 0;

    ey0 = imax(fbfw_round(by + FBFW_EYE_TOP * H), 0);
    ey1 = imin(fbfw_round(by + FBFW_EYE_BOTTOM * H), s->h);
    ex0 = imax(fbfw_round(cx - FBFW_EYE_HALF_W * W), 0);
    ex1 = imin(fbfw_round(cx + FBFW_EYE_HALF_W * W), s->w);
    if (ey1 <= ey0 || ex1 <= ex0 || !canthus_estimate(s, f, ex0, ey0, ex1, ey1, &est))
        return 0;
    if (est + (float)s->corr_ck < (float)FBFW_FACE_MIN_PEAK_CK)
        return 0; /* no canthus-warm spot: a hand, a warm object */
    if (b->hot) { /* a hot object (cup) over or touching the head: do not trust it */
        float hx0 = (float)b->hx0, hx1 = (float)b->hx1 + 1.0f;
        float hy0 = (float)b->hy0, hy1 = (float)b->hy1 + 1.0f;
        if (hx1 > bx - 2.0f && hx0 < bx + W + 2.0f && hy1 > by - 2.0f && hy0 < by + H + 2.0f)
            return 0;
    }
    /* Near the blackbody rectangle: while the source is seen, the rectangle is cut out of the
     * skin, so a head over it is cut (the person is behind it); while it is hidden (the person
     * is in front), only its own eye band must stay clear of the rectangle (a visible corner of
     * the 35 °C source would read as a canthus). Track, do not measure. */
    if (s->bb_enabled) {
        float x0 = (float)(s->bb_rx0 - 1), x1 = (float)(s->bb_rx1 + 1);
        float y0 = (float)(s->bb_ry0 - 1), y1 = (float)(s->bb_ry1 + 1);
        if (s->bb_seen ? (bx < x1 && bx + W > x0 && by < y1 && by + H > y0)
                       : ((float)ex0 < x1 && (float)ex1 > x0 && (float)ey0 < y1 && (float)ey1 > y0))
            touches = 1;
    }
    out->cx = cx;
    out->cy = by + 0.5f * H;
    out->w = W;
    out->bx = imax(fbfw_round(bx), 0);
    out->by = imax(fbfw_round(by), 0);
    out->bw = imin(fbfw_round(bx + W), s->w) - out->bx;
    out->bh = imin(fbfw_round(by + H), s->h) - out->by;
    out->canthus_raw = est;
    out->measurable = (uint8_t)(!touches && p->wmax >= s->measure_min_w);
    out->valid = 1;
    out->clean = (uint8_t)p->clean;
    return out->bw > 0 && out->bh > 0;
}

/* Is run i (row y > blob top) free of blob runs touching it in the row above? */
static int is_seed(fbfw_state *s, uint32_t i, uint16_t label) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    const fbfw_run *c = &runs[i];
    uint32_t k;
    if (c->y == 0)
        return 1;
    for (k = row_start[c->y - 1]; k < row_start[c->y]; k++) {
        const fbfw_run *p = &runs[k];
        if (p->label == label && p->x0 <= c->x1 && c->x0 <= p->x1)
            return 0;
    }
    return 1;
}

void fbfw_faces_find(fbfw_state *s, const uint16_t *f) {
    const fbfw_run *runs = fbfw_runs(s);
    const uint16_t *row_start = fbfw_row_start(s);
    uint16_t *mark = fbfw_mark(s);
    uint32_t bi, i, j;
    uint16_t trace_id = 0;

    for (i = 0; i < s->n_runs; i++)
        mark[i] = FBFW_LABEL_NONE;
    s->n_faces = 0;
    for (bi = 0; bi < s->n_blobs && s->n_faces < FBFW_MAX_FACES; bi++) {
        const fbfw_blob *b = &s->blobs[bi];
        uint32_t first = s->n_faces, seeds = 0;
        int any_unclean = 0;
        if ((float)(b->x1 - b->x0 + 1) < s->face_w_min ||
            (float)(b->y1 - b->y0 + 1) < 0.4f * s->face_w_min)
            continue;
        /* Seeds top-down: each head of a blob starts at a run with no skin above it. */
        for (i = row_start[b->y0]; i < row_start[b->y1 + 1u]; i++) {
            fbfw_face face;
            head_profile prof;
            if (runs[i].label != bi || mark[i] != FBFW_LABEL_NONE || !is_seed(s, i, (uint16_t)bi))
                continue;
            if (++seeds > FBFW_MAX_SEEDS_PER_BLOB || s->n_faces >= FBFW_MAX_FACES ||
                s->n_faces - first >= FBFW_MAX_HEADS_PER_BLOB)
                break;
            trace_runs(s, b, (uint16_t)bi, i, trace_id++, &prof);
            if ((float)prof.wmax >= s->face_w_min) {
                /* Trace again at this person's skin level: what joins at the blob's threshold
                 * (warm clothing, someone behind) falls away. */
                head_profile again;
                retrace_pixels(s, f, &runs[i], b, prof.wmax, &again);
                if (again.clean && again.nrows > 0)
                    prof = again;
            }
            if (finish_head(s, f, b, &prof, &face)) {
                any_unclean |= !prof.clean;
                s->faces[s->n_faces++] = face;
            }
        }
        /* A second trace of the same head (from a seed beside it, e.g. skin at an ear below
         * the hair) is dropped: the first seed is the higher one, the hairline. */
        for (i = first + 1; i < s->n_faces; i++) {
            fbfw_face *c = &s->faces[i];
            for (j = first; j < i; j++) {
                const fbfw_face *h = &s->faces[j];
                float dx = c->cx - h->cx, dy = c->cy - h->cy, lim = 0.25f * h->w;
                if (h->valid && dx < lim && dx > -lim && dy < 1.5f * lim && dy > -1.5f * lim)
                    c->valid = 0;
            }
        }
        for (i = first; i < s->n_faces; i++) {
            fbfw_face *c = &s->faces[i];
            if (!any_unclean && s->n_faces - first == 1)
                break;
            if (!c->valid)
                continue;
            /* A much wider part just below a head of the same blob is the body (clothing in
             * the skin band in a warm room), not a nearer face (that would overlap the head). */
            for (j = first; j < s->n_faces; j++) {
                const fbfw_face *h = &s->faces[j];
                float dx = c->cx - h->cx;
                if (j != i && c->w > 1.6f * h->w && c->by >= h->by + h->bh - 1 &&
                    c->by < h->by + 2 * h->bh && dx < 0.5f * c->w && dx > -0.5f * c->w)
                    c->valid = 0;
            }
        }
        /* Heads whose boxes overlap within a blob (one occludes the other), or that something
         * joined, are tracked but not measured. */
        for (i = first; i < s->n_faces; i++) {
            fbfw_face *c = &s->faces[i];
            if (!c->valid)
                continue;
            if (!c->clean)
                c->measurable = 0;
            for (j = first; j < s->n_faces; j++) {
                const fbfw_face *h = &s->faces[j];
                if (j != i && h->valid && c->bx < h->bx + h->bw && h->bx < c->bx + c->bw &&
                    c->by < h->by + h->bh && h->by < c->by + c->bh)
                    c->measurable = 0;
            }
        }
    }
    /* A hand is a smaller warm blob below a head, within a few head widths to the side. */
    for (i = 0; i < s->n_faces; i++) {
        fbfw_face *c = &s->faces[i];
        for (j = 0; j < s->n_faces; j++) {
            const fbfw_face *h = &s->faces[j];
            float dx = c->cx - h->cx;
            if (j == i || !h->valid || h->w < 1.3f * c->w)
                continue;
            if (c->cy - 0.5f * FBFW_HEAD_ASPECT * c->w >= h->cy + 0.5f * FBFW_HEAD_ASPECT * h->w &&
                dx < 2.5f * h->w && dx > -2.5f * h->w) {
                c->valid = 0;
                break;
            }
        }
    }
    for (i = 0, j = 0; i < s->n_faces; i++)
        if (s->faces[i].valid)
            s->faces[j++] = s->faces[i];
    s->n_faces = j;
}
