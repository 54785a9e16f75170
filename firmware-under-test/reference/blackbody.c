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

/* The wall around the source: the search window outside [x0, x1] x [y0, y1], pixels within
 * FBFW_BB_WALL_BAND_CK of the coolest (a passer-by in the ring is warmer and left out).
 * Returns the mean in raw ck, or -1 when fewer than 4 pixels are left. */
static float read_wall(const fbfw_state *s, const uint16_t *f, int32_t x0, int32_t y0, int32_t x1,
                       int32_t y1) {
    int32_t x, y, vmin = 65535, lim, n = 0;
    uint32_t sum = 0;
    for (y = s->bb_wy0; y < s->bb_wy1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)s->w;
        for (x = s->bb_wx0; x < s->bb_wx1; x++)
            if ((x < x0 || x > x1 || y < y0 || y > y1) && (int32_t)row[x] < vmin)
                vmin = (int32_t)row[x];
    }
    lim = vmin + FBFW_BB_WALL_BAND_CK;
    for (y = s->bb_wy0; y < s->bb_wy1; y++) {
        const uint16_t *row = f + (size_t)y * (size_t)s->w;
        for (x = s->bb_wx0; x < s->bb_wx1; x++) {
            if ((x < x0 || x > x1 || y < y0 || y > y1) && (int32_t)row[x] <= lim) {
                sum += row[x];
                n++;
            }
        }
    }
    return n >= 4 ? (float)sum / (float)n : -1.0f;
}

/* One reading of the source: returns 1 and fills the reading (mean of the central pixels, ck)
 * and the source bounds when a compact, uniform plateau is found. */
static int read_source(const fbfw_state *s, const uint16_t *f, float *reading, float *wall,
                       int32_t *sx0, int32_t *sy0, int32_t *sx1, int32_t *sy1) {
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
    *wall = read_wall(s, f, bx0 - 1, by0 - 1, bx1 + 1, by1 + 1);
    *sx0 = bx0;
    *sy0 = by0;
    *sx1 = bx1;
    *sy1 = by1;
    return 1;
}

void fbfw_bb_shutter(fbfw_state *s) {
    /* An FFC shifts every pixel's offset: B jumps, B - W does not. The history is kept and B's
     * older samples are shifted onto the first one after the shutter (bb_track). */
    s->bb_ffc = 1;
}

/* max - min of v over the history. */
static float range(const fbfw_state *s, const float *v) {
    uint32_t i;
    float lo = v[0], hi = v[0];
    for (i = 1; i < s->bb_hist_n; i++) {
        if (v[i] < lo)
            lo = v[i];
        if (v[i] > hi)
            hi = v[i];
    }
    return hi - lo;
}

/* Least-squares slope (per second) of v against the seconds t over the history. */
static float slope(const fbfw_state *s, const float *v) {
    uint32_t i, n = s->bb_hist_n;
    float mt = 0.0f, mv = 0.0f, stt = 0.0f, stv = 0.0f, t0 = (float)s->bb_hist_sec[0];
    for (i = 0; i < n; i++) {
        mt += (float)s->bb_hist_sec[i] - t0;
        mv += v[i];
    }
    mt /= (float)n;
    mv /= (float)n;
    for (i = 0; i < n; i++) {
        float dt = (float)s->bb_hist_sec[i] - t0 - mt;
        stt += dt * dt;
        stv += dt * (v[i] - mv);
    }
    return stt > 0.0f ? stv / stt : 0.0f;
}

/* The oldest correction still in the window: what to fall back on when the plate turns out
 * to have been changing. */
static float oldest_corr(const fbfw_state *s) {
    return s->bb_hist_n > 0 ? s->bb_hist_corr[0] : s->bb_corr_ck;
}

/* The plate is lost because it changed: hold the oldest correction in the window and the wall's
 * reading of the same second, to follow the camera's own drift on the wall from here on. */
static void hold_on_wall(fbfw_state *s) {
    s->bb_corr_ck = oldest_corr(s);
    s->bb_wall_hold = s->bb_hist_n > 0;
    if (!s->bb_wall_hold)
        return;
    s->bb_hold_corr_ck = s->bb_corr_ck;
    s->bb_hold_w_ck = s->bb_hist_b[0] - s->bb_hist_bw[0];
    s->bb_wall_ck = s->bb_hold_w_ck;
}

/* While held on the wall: the wall around the learned source (the plate's own pixels left out,
 * whatever it reads now) moves with the camera's offset; the correction moves against it. The
 * room is taken to hold its temperature meanwhile (docs/firmware.md: what this cannot tell). */
static void follow_wall(fbfw_state *s, const uint16_t *f) {
    float w, d;
    if (!s->bb_wall_hold)
        return;
    w = read_wall(s, f, s->bb_sx0 - 1, s->bb_sy0 - 1, s->bb_sx1 + 1, s->bb_sy1 + 1);
    if (w < 0.0f)
        return; /* the ring hidden: keep the last */
    s->bb_wall_ck += s->bb_alpha * (w - s->bb_wall_ck);
    d = s->bb_wall_ck - s->bb_hold_w_ck;
    if (d > (float)FBFW_BB_MAX_CORR_CK)
        d = (float)FBFW_BB_MAX_CORR_CK; /* no camera drifts 3 K while a plate is away */
    if (d < -(float)FBFW_BB_MAX_CORR_CK)
        d = -(float)FBFW_BB_MAX_CORR_CK;
    s->bb_corr_ck = s->bb_hold_corr_ck - d;
}

/* Accumulates this frame into its second; when a second completes, appends its means to the
 * history (dropping seconds older than the window) and re-judges stability. */
static void bb_track(fbfw_state *s, uint32_t frame_no, int seen, float reading, float wall) {
    uint32_t sec = (uint32_t)(((uint64_t)frame_no * 1000u) / s->cfg.fps_milli);
    if (sec != s->bb_sec) {
        uint32_t i, k, n = 0;
        /* a second with at least half its frames seen is a sample */
        if (s->bb_acc_frames > 0 && 2u * s->bb_acc_n >= s->bb_acc_frames && s->bb_acc_n > 0) {
            float b = s->bb_acc_b / (float)s->bb_acc_n, w = s->bb_acc_w / (float)s->bb_acc_n;
            if (s->bb_hist_n == FBFW_BB_WINDOW_S) { /* full: drop the oldest */
                for (i = 1; i < FBFW_BB_WINDOW_S; i++) {
                    s->bb_hist_b[i - 1] = s->bb_hist_b[i];
                    s->bb_hist_bw[i - 1] = s->bb_hist_bw[i];
                    s->bb_hist_corr[i - 1] = s->bb_hist_corr[i];
                    s->bb_hist_sec[i - 1] = s->bb_hist_sec[i];
                }
                s->bb_hist_n--;
            }
            if (s->bb_ffc && s->bb_hist_n > 0) { /* continue across the shutter's jump */
                float jump = b - s->bb_hist_b[s->bb_hist_n - 1];
                for (i = 0; i < s->bb_hist_n; i++) {
                    s->bb_hist_b[i] += jump;
                    s->bb_hist_corr[i] -= jump; /* what they would have been after it */
                }
            }
            s->bb_ffc = 0;
            s->bb_hist_b[s->bb_hist_n] = b;
            s->bb_hist_bw[s->bb_hist_n] = b - w;
            s->bb_hist_corr[s->bb_hist_n] = s->bb_corr_ck;
            s->bb_hist_sec[s->bb_hist_n] = s->bb_sec;
            s->bb_hist_n++;
        }
        /* forget seconds that have left the window (gaps while hidden or moved) */
        for (i = 0; i < s->bb_hist_n && s->bb_hist_sec[i] + FBFW_BB_WINDOW_S <= sec; i++)
            n++;
        if (n > 0) {
            for (k = n; k < s->bb_hist_n; k++) {
                s->bb_hist_b[k - n] = s->bb_hist_b[k];
                s->bb_hist_bw[k - n] = s->bb_hist_bw[k];
                s->bb_hist_corr[k - n] = s->bb_hist_corr[k];
                s->bb_hist_sec[k - n] = s->bb_hist_sec[k];
            }
            s->bb_hist_n -= n;
        }
        s->bb_changing = 0;
        if (s->bb_hist_n >= FBFW_BB_STABLE_MIN_N) {
            float sb = slope(s, s->bb_hist_b), sbw = slope(s, s->bb_hist_bw);
            s->bb_changing = (sb > FBFW_BB_MAX_RATE_CK_S && sbw > FBFW_BB_MAX_RATE_CK_S) ||
                             (sb < -FBFW_BB_MAX_RATE_CK_S && sbw < -FBFW_BB_MAX_RATE_CK_S);
        }
        s->bb_stable = s->bb_hist_n >= FBFW_BB_STABLE_MIN_N && !s->bb_changing &&
                       range(s, s->bb_hist_bw) <= FBFW_BB_STEADY_RANGE_CK &&
                       range(s, s->bb_hist_b) <= FBFW_BB_STEADY_B_RANGE_CK;
        s->bb_sec = sec;
        s->bb_acc_n = s->bb_acc_frames = 0;
        s->bb_acc_b = s->bb_acc_w = 0.0f;
    }
    s->bb_acc_frames++;
    if (seen) {
        if (wall < 0.0f)
            wall = s->bb_last_w > 0.0f ? s->bb_last_w : reading;
        s->bb_last_w = wall;
        s->bb_acc_b += reading;
        s->bb_acc_w += wall;
        s->bb_acc_n++;
    }
}

void fbfw_bb_update(fbfw_state *s, const uint16_t *f, uint32_t frame_no) {
    float reading = 0.0f, wall = -1.0f, c;
    int32_t sx0 = 0, sy0 = 0, sx1 = 0, sy1 = 0;
    int plausible, near, found;
    uint32_t relock_frames;

    s->bb_seen = 0;
    if (!s->bb_enabled) {
        s->corr_ck = 0;
        return;
    }
    found = read_source(s, f, &reading, &wall, &sx0, &sy0, &sx1, &sy1);
    plausible = found;
    c = (float)s->cfg.bb_set_ck - reading;
    if (plausible && (c > (float)FBFW_BB_MAX_CORR_CK || c < -(float)FBFW_BB_MAX_CORR_CK))
        plausible = 0; /* not a drift any camera has: not the source */
    /* Once learned, the source must stay where it was (a passer-by's head is not the source). */
    if (plausible && s->bb_locked &&
        (iabs(sx0 - s->bb_sx0) > FBFW_BB_POS_TOL_PX || iabs(sy0 - s->bb_sy0) > FBFW_BB_POS_TOL_PX ||
         iabs(sx1 - s->bb_sx1) > FBFW_BB_POS_TOL_PX || iabs(sy1 - s->bb_sy1) > FBFW_BB_POS_TOL_PX))
        plausible = 0;
    s->bb_seen = plausible;
    /* The source's history takes every in-place sighting, plausible drift or not (a cooling
     * plate leaves the plausible range). */
    bb_track(s, frame_no,
             found && (!s->bb_locked || (iabs(sx0 - s->bb_sx0) <= FBFW_BB_POS_TOL_PX &&
                                         iabs(sy0 - s->bb_sy0) <= FBFW_BB_POS_TOL_PX &&
                                         iabs(sx1 - s->bb_sx1) <= FBFW_BB_POS_TOL_PX &&
                                         iabs(sy1 - s->bb_sy1) <= FBFW_BB_POS_TOL_PX)),
             reading, wall);
    near = plausible && s->bb_locked && c - s->bb_corr_ck <= (float)FBFW_BB_JUMP_CK &&
           s->bb_corr_ck - c <= (float)FBFW_BB_JUMP_CK;
    relock_frames = (uint32_t)fbfw_round(FBFW_BB_RELOCK_S * s->fps);

    switch (s->bb_state) {
    case FBFW_BB_SEARCH: /* a camera is normally switched on with its reference warm */
        if (plausible && !s->bb_changing) {
            s->bb_corr_ck = c;
            s->bb_locked = 1;
            s->bb_state = FBFW_BB_OK;
            s->bb_bad = 0;
        } else if (!plausible && ++s->bb_bad >= (uint32_t)fbfw_round(s->fps)) {
            s->bb_state = FBFW_BB_LOST; /* nothing found within a second of starting */
            s->bb_good = 0;
            fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_LOST);
        }
        break;
    case FBFW_BB_OK:
        if (s->bb_changing) {
            /* The plate itself is changing (switched off, heating, a controller fault): fall
             * back on the correction from before the window, stop trusting the plate and follow
             * the camera's drift on the wall. */
            hold_on_wall(s);
            s->bb_lost_plate = 1;
            s->bb_state = FBFW_BB_LOST;
            s->bb_good = 0;
            s->bb_relock = 0;
            fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_LOST);
        } else if (near) {
            s->bb_corr_ck += s->bb_alpha * (c - s->bb_corr_ck);
            s->bb_bad = 0;
        } else if (++s->bb_bad >= FBFW_BB_LOST_FRAMES) {
            s->bb_state = FBFW_BB_LOST; /* hold the last good correction */
            s->bb_good = 0;
            s->bb_relock = 0;
            fbfw_queue_status(s, FBFW_STATUS_BLACKBODY_LOST);
        }
        break;
    default: /* FBFW_BB_LOST: a plate that changed (or was never learned) must first hold
              * steady for a while; one that was only hidden or moved comes back at once */
        if (s->bb_lost_plate)
            follow_wall(s, f);
        near = plausible && s->bb_locked && c - s->bb_corr_ck <= (float)FBFW_BB_JUMP_CK &&
               s->bb_corr_ck - c <= (float)FBFW_BB_JUMP_CK;
        if (s->bb_changing || ((s->bb_lost_plate || !s->bb_locked) && !s->bb_stable)) {
            s->bb_good = 0;
            s->bb_relock = 0;
        } else if (near || (plausible && !s->bb_locked)) {
            s->bb_relock = 0;
            if (++s->bb_good >= FBFW_BB_OK_FRAMES) {
                if (s->bb_locked)
                    s->bb_corr_ck += s->bb_alpha * (c - s->bb_corr_ck);
                else
                    s->bb_corr_ck = c;
                s->bb_locked = 1;
                s->bb_lost_plate = 0;
                s->bb_wall_hold = 0;
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
                s->bb_lost_plate = 0;
                s->bb_wall_hold = 0;
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
