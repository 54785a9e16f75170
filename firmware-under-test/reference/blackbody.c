/* blackbody.c — finds the reference source in the installer's rectangle and learns the drift correction. */
#include "fbfw_internal.h"

static int32_t imin(int32_t a, int32_t b) {
    return a < b ? a : b;
}
static int32_t imax(int32_t a, int32_t b) {
    return a > b ? a : b;
}
static int32_t iabs(int32_t a) {
    return a < 0 ? -a : a;
}

void fbfw_queue_status(fbfw_state *s, uint16_t status) {
    if (s->n_pending < FBFW_MAX_PENDING) {
        s->pending[s->n_pending++] = status;
    } else { /* keep the newest: drop the oldest */
        uint32_t i;
        for (i = 1; i < FBFW_MAX_PENDING; i++)
            s->pending[i - 1] = s->pending[i];
        s->pending[FBFW_MAX_PENDING - 1] = status;
    }
}

void fbfw_bb_reset(fbfw_state *s) {
    const fbfw_config *c = &s->cfg;
    int32_t margin;
    s->bb_enabled = c->bb_w != 0;
    s->bb_state = FBFW_BB_SEARCH;
    s->bb_locked = 0;
    s->bb_corr_ck = 0.0f;
    s->corr_ck = 0;
    s->bb_alpha = 1.0f / (s->fps * FBFW_BB_TAU_S);
    if (s->bb_alpha > 1.0f)
        s->bb_alpha = 1.0f;
    if (!s->bb_enabled)
        return;
    s->bb_rx0 = (int32_t)c->bb_x;
    s->bb_ry0 = (int32_t)c->bb_y;
    s->bb_rx1 = imin((int32_t)c->bb_x + (int32_t)c->bb_w, s->w);
    s->bb_ry1 = imin((int32_t)c->bb_y + (int32_t)c->bb_h, s->h);
    /* Search a slightly larger window: the installer may have drawn the rectangle a little off. */
    margin = 2 + imax((int32_t)c->bb_w, (int32_t)c->bb_h) / 8;
    s->bb_wx0 = imax(s->bb_rx0 - margin, 0);
    s->bb_wy0 = imax(s->bb_ry0 - margin, 0);
    s->bb_wx1 = imin(s->bb_rx1 + margin, s->w);
    s->bb_wy1 = imin(s->bb_ry1 + margin, s->h);
}

/* One reading of the source: returns 1 and fills the reading (mean of the central pixels, ck)
 * and the source bounds when a compact, uniform plateau is found. */
static int read_source(const fbfw_state *s, const uint16_t *f, float *reading, int32_t *sx0,
                       int32_t *sy0, int32_t *sx1, int32_t *sy1) {
    const int32_t w = s->w;
    const int32_t x0 = s->bb_wx0, y0 = s->bb_wy0, x1 = s->bb_wx1, y1 = s->bb_wy1;
    int32_t best = -1, thr, x, y, bx0 = x1, by0 = y1, bx1 = -1, by1 = -1, count = 0;
    int32_t bw, bh, inset, ix0, iy0, ix1, iy1, vmin = 65535, vmax = 0;
    uint32_t sum = 0;

    if (x1 - x0 < 3 || y1 - y0 < 3)
        return 0;
    /* The hottest 3x3 mean (robust to a single noisy pixel) marks the plateau. */
    for (y = y0; y + 3 <= y1; y++) {
        for (x = x0; x + 3 <= x1; x++) {
            const uint16_t *p = f + (size_t)y * (size_t)w + (size_t)x;
            const size_t ws = (size_t)w;
            int32_t sum9 = (int32_t)p[0] + p[1] + p[2] + p[ws] + p[ws + 1] + p[ws + 2] +
                           p[2 * ws] + p[2 * ws + 1] + p[2 * ws + 2];
            if (sum9 > best)
                best = sum9;
        }
    }
    thr = best / 9 - FBFW_BB_PLATEAU_CK;
    for (y = y0; y < y1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)w;
        for (x = x0; x < x1; x++) {
            if ((int32_t)row[x] >= thr) {
                count++;
                bx0 = imin(bx0, x);
                bx1 = imax(bx1, x);
                by0 = imin(by0, y);
                by1 = imax(by1, y);
            }
        }
    }
    if (count < 9)
        return 0;
    bw = bx1 - bx0 + 1;
    bh = by1 - by0 + 1;
    /* A square source, mostly filled, surrounded by cooler background inside the window. */
    if (bw < 3 || bh < 3 || bw > 2 * bh || bh > 2 * bw || count * 10 < bw * bh * 7)
        return 0;
    if ((bx0 == x0 && x0 > 0) || (by0 == y0 && y0 > 0) || (bx1 == x1 - 1 && x1 < s->w) ||
        (by1 == y1 - 1 && y1 < s->h))
        return 0;
    /* Central pixels: inset a quarter of the size, keeping at least 3x3 (Pušnik & Geršak 2021). */
    inset = imax(imin(bw, bh) / 4, 1);
    while (inset > 0 && (bw - 2 * inset < 3 || bh - 2 * inset < 3))
        inset--;
    ix0 = bx0 + inset;
    iy0 = by0 + inset;
    ix1 = bx1 - inset;
    iy1 = by1 - inset;
    for (y = iy0; y <= iy1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)w;
        for (x = ix0; x <= ix1; x++) {
            int32_t v = (int32_t)row[x];
            sum += (uint32_t)v;
            vmin = imin(vmin, v);
            vmax = imax(vmax, v);
        }
    }
    if (vmax - vmin > FBFW_BB_UNIFORM_CK)
        return 0;
    *reading = (float)sum / (float)((ix1 - ix0 + 1) * (iy1 - iy0 + 1));
    *sx0 = bx0;
    *sy0 = by0;
    *sx1 = bx1;
    *sy1 = by1;
    return 1;
}

void fbfw_bb_update(fbfw_state *s, const uint16_t *f) {
    float reading = 0.0f, c;
    int32_t sx0 = 0, sy0 = 0, sx1 = 0, sy1 = 0;
    int plausible, near;
    uint32_t relock_frames;

    s->bb_seen = 0;
    if (!s->bb_enabled) {
        s->corr_ck = 0;
        return;
    }
    plausible = read_source(s, f, &reading, &sx0, &sy0, &sx1, &sy1);
    c = (float)s->cfg.bb_set_ck - reading;
    if (plausible && (c > (float)FBFW_BB_MAX_CORR_CK || c < -(float)FBFW_BB_MAX_CORR_CK))
        plausible = 0; /* not a drift any camera has: not the source */
    /* Once learned, the source must stay where it was (a passer-by's head is not the source). */
    if (plausible && s->bb_locked &&
        (iabs(sx0 - s->bb_sx0) > FBFW_BB_POS_TOL_PX || iabs(sy0 - s->bb_sy0) > FBFW_BB_POS_TOL_PX ||
         iabs(sx1 - s->bb_sx1) > FBFW_BB_POS_TOL_PX || iabs(sy1 - s->bb_sy1) > FBFW_BB_POS_TOL_PX))
        plausible = 0;
    s->bb_seen = plausible;
    near = plausible && s->bb_locked && c - s->bb_corr_ck <= (float)FBFW_BB_JUMP_CK &&
           s->bb_corr_ck - c <= (float)FBFW_BB_JUMP_CK;
    relock_frames = (uint32_t)fbfw_round(FBFW_BB_RELOCK_S * s->fps);

    switch (s->bb_state) {
    case FBFW_BB_SEARCH:
        if (plausible) {
            s->bb_corr_ck = c;
            s->bb_locked = 1;
            s->bb_state = FBFW_BB_OK;
            s->bb_bad = 0;
        } else if (++s->bb_bad >= (uint32_t)fbfw_round(s->fps)) {
            s->bb_state = FBFW_BB_LOST; /* nothing found within a second of starting */
            s->bb_good = 0;
            fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_LOST);
        }
        break;
    case FBFW_BB_OK:
        if (near) {
            s->bb_corr_ck += s->bb_alpha * (c - s->bb_corr_ck);
            s->bb_bad = 0;
        } else if (++s->bb_bad >= FBFW_BB_LOST_FRAMES) {
            s->bb_state = FBFW_BB_LOST; /* hold the last good correction */
            s->bb_good = 0;
            s->bb_relock = 0;
            fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_LOST);
        }
        break;
    default: /* FBFW_BB_LOST */
        if (near || (plausible && !s->bb_locked)) {
            s->bb_relock = 0;
            if (++s->bb_good >= FBFW_BB_OK_FRAMES) {
                if (s->bb_locked)
                    s->bb_corr_ck += s->bb_alpha * (c - s->bb_corr_ck);
                else
                    s->bb_corr_ck = c;
                s->bb_locked = 1;
                s->bb_state = FBFW_BB_OK;
                s->bb_bad = 0;
                fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_OK);
            }
        } else if (plausible) {
            /* Consistent, in place, but far from the held value: the drift moved while the
             * source was hidden. Adopt it after a while. */
            s->bb_good = 0;
            if (s->bb_relock > 0 && (c - s->bb_relock_ck > (float)FBFW_BB_JUMP_CK ||
                                     s->bb_relock_ck - c > (float)FBFW_BB_JUMP_CK))
                s->bb_relock = 0; /* not consistent with itself: start over */
            if (s->bb_relock == 0)
                s->bb_relock_ck = c;
            if (++s->bb_relock >= relock_frames) {
                s->bb_corr_ck = c;
                s->bb_state = FBFW_BB_OK;
                s->bb_bad = 0;
                s->bb_relock = 0;
                fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_OK);
            }
        } else {
            s->bb_good = 0;
            s->bb_relock = 0;
        }
        break;
    }
    if (plausible && (s->bb_state == FBFW_BB_OK) && (near || s->bb_bad == 0)) {
        s->bb_sx0 = sx0;
        s->bb_sy0 = sy0;
        s->bb_sx1 = sx1;
        s->bb_sy1 = sy1;
    }
    s->corr_ck = fbfw_round(s->bb_corr_ck);
}
