/* tracker.c — follows faces across frames, collects canthus samples and reports one measurement per person. */
#include <string.h>

#include "fbfw_internal.h"

void fbfw_tracks_reset(fbfw_state *s) {
    memset(s->tracks, 0, sizeof(s->tracks));
    s->next_id = 1;
    s->max_missed = (uint32_t)fbfw_round(FBFW_TRACK_MAX_MISSED_S * s->fps);
    if (s->max_missed < 2)
        s->max_missed = 2;
    memset(s->ghosts, 0, sizeof(s->ghosts));
    s->ghost_frames = (uint32_t)fbfw_round(FBFW_GHOST_S * s->fps);
    s->samples_wanted = (uint32_t)fbfw_round(FBFW_SAMPLE_TIME_S * s->fps);
    if (s->samples_wanted < 3)
        s->samples_wanted = 3;
    if (s->samples_wanted > FBFW_SAMPLES)
        s->samples_wanted = FBFW_SAMPLES;
}

static float median_samples(const float *v, uint32_t n) {
    float t[FBFW_SAMPLES];
    uint32_t i, j;
    for (i = 0; i < n; i++) { /* insertion sort, n is tiny */
        float x = v[i];
        for (j = i; j > 0 && t[j - 1] > x; j--)
            t[j] = t[j - 1];
        t[j] = x;
    }
    if (n % 2u)
        return t[n / 2u];
    return 0.5f * (t[n / 2u - 1u] + t[n / 2u]);
}

static uint16_t clamp_u16(int32_t v) {
    return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

/* The size-of-source compensation of a canthus sample from a head w px wide whose canthus pixel
 * stands contrast_ck above its surroundings, in ck (docs/firmware.md): only a contrast above the
 * usual adds (below it the warm spot is often no canthus at all: skin beside glasses, a mask's
 * edge), and at most FBFW_SSE_C_MAX_CK of it counts. */
float fbfw_sse_ck(float w, float contrast_ck) {
    float excess = contrast_ck - (float)FBFW_SSE_C0_CK;
    excess = excess < 0.0f ? 0.0f : excess > (float)FBFW_SSE_C_MAX_CK ? (float)FBFW_SSE_C_MAX_CK
                                                                       : excess;
    return ((float)FBFW_SSE_K_CKPX + (float)FBFW_SSE_C_PX * excess) / w;
}

/* Keeps the latest samples_wanted samples (the largest faces: people come closer). */
static void add_sample(const fbfw_state *s, fbfw_track *t, float v, uint32_t frame_no) {
    t->samples[t->ring] = v;
    t->ring = (uint8_t)((t->ring + 1u) % s->samples_wanted);
    if (t->n_samples < s->samples_wanted)
        t->n_samples++;
    t->sample_frame = frame_no;
}

static void take_face(fbfw_state *s, fbfw_track *t, const fbfw_face *f, uint32_t frame_no) {
    const float gap = frame_no > t->last_frame ? (float)(frame_no - t->last_frame) : 1.0f;
    const float pw = t->w + t->vw * gap;
    /* People come closer: a face that shrinks is partly hidden (by someone in front, the
     * blackbody's cut-out, the image's edge). Follow where it is, keep the size it had. */
    const int part = t->n_seen >= FBFW_TRACK_FIRM_FRAMES && f->w < FBFW_TRACK_SHRINK * pw;
    if (t->n_seen > 0 && !part) { /* constant-velocity model, smoothed: people walk steadily */
        float lim = 0.5f * t->w;
        float vx = (f->cx - t->cx) / gap, vy = (f->cy - t->cy) / gap, vw = (f->w - t->w) / gap;
        float a = t->n_seen > 1 ? 0.5f : 1.0f;
        vx = vx > lim ? lim : vx < -lim ? -lim : vx; /* one odd detection must not fling it */
        vy = vy > lim ? lim : vy < -lim ? -lim : vy;
        vw = vw > 0.1f * t->w ? 0.1f * t->w : vw < -0.1f * t->w ? -0.1f * t->w : vw;
        t->vx += a * (vx - t->vx);
        t->vy += a * (vy - t->vy);
        t->vw += a * (vw - t->vw);
    }
    if (t->n_seen == 0)
        t->fore_ck = f->fore_raw + (float)s->corr_ck;
    else
        t->fore_ck += 0.3f * (f->fore_raw + (float)s->corr_ck - t->fore_ck);
    if (t->n_seen < 255)
        t->n_seen++;
    t->cx = f->cx;
    t->cy = f->cy;
    t->w = part ? pw : f->w;
    t->bx = f->bx;
    t->by = f->by;
    t->bw = f->bw;
    t->bh = f->bh;
    t->missed = 0;
    t->matched = 1;
    t->last_frame = frame_no;
    t->leaving = f->at_border;
    if (f->measurable && !part && !t->reported && !t->settled) {
        add_sample(s, t, f->canthus_raw + (float)s->corr_ck + fbfw_sse_ck(f->w, f->contrast_ck),
                   frame_no);
        if (f->w >= (float)s->measure_min_w && t->n_good < 255)
            t->n_good++;
        if (f->w >= (float)s->start_w && !t->clock_on) {
            t->clock_on = 1;
            t->clock = frame_no;
        }
        t->sx = f->bx;
        t->sy = f->by;
        t->sw = f->bw;
        t->sh = f->bh;
    }
}

/* A reported person's track ends: remember where it was heading. */
static void make_ghost(fbfw_state *s, const fbfw_track *t) {
    fbfw_ghost *g = NULL;
    uint32_t i;
    for (i = 0; i < FBFW_MAX_GHOSTS && !g; i++) /* this person's older ghost is replaced */
        if (s->ghosts[i].active && s->ghosts[i].id == t->id)
            g = &s->ghosts[i];
    for (i = 0; i < FBFW_MAX_GHOSTS && !g; i++) /* else a free slot */
        if (!s->ghosts[i].active)
            g = &s->ghosts[i];
    if (!g) { /* else the oldest */
        g = &s->ghosts[0];
        for (i = 1; i < FBFW_MAX_GHOSTS; i++)
            if (s->ghosts[i].last_frame < g->last_frame)
                g = &s->ghosts[i];
    }
    g->active = 1;
    g->id = t->id;
    g->last_frame = t->last_frame;
    g->cx = t->cx;
    g->cy = t->cy;
    g->w = t->w;
    g->vx = t->vx;
    g->vy = t->vy;
    g->vw = t->vw;
}

/* A new track on face f: the same person as a ghost near where it was heading? Then it takes
 * the ghost's id and is not reported again. */
static void claim_ghost(fbfw_state *s, fbfw_track *t, const fbfw_face *f, uint32_t frame_no) {
    fbfw_ghost *best = NULL;
    float best_d2 = 0.0f;
    uint32_t i, j;
    for (i = 0; i < FBFW_MAX_GHOSTS; i++) {
        fbfw_ghost *g = &s->ghosts[i];
        float ahead, px, py, pw, dx, dy, gate, d2;
        if (!g->active)
            continue;
        if (frame_no - g->last_frame > s->ghost_frames) {
            g->active = 0;
            continue;
        }
        /* the person was found again and followed for a while: a new face elsewhere is
         * someone else (the next phantom stepping onto the same mark) */
        for (j = 0; j < FBFW_MAX_TRACKS; j++)
            if (&s->tracks[j] != t && s->tracks[j].active && s->tracks[j].id == g->id &&
                s->tracks[j].n_seen >= FBFW_TRACK_FIRM_FRAMES)
                break;
        if (j < FBFW_MAX_TRACKS)
            continue;
        ahead = (float)(frame_no - g->last_frame);
        /* people may stop (a mark on the floor): extrapolate at most 1 s of motion */
        px = g->cx + g->vx * (ahead < s->fps ? ahead : s->fps);
        py = g->cy + g->vy * (ahead < s->fps ? ahead : s->fps);
        pw = g->w + g->vw * (ahead < s->fps ? ahead : s->fps);
        if (pw < g->w)
            pw = g->w;
        if (f->w > 1.5f * pw || pw > 1.5f * f->w)
            continue;
        /* the person was walking in or standing (growing, going down the image, or still): a
         * smaller face higher up than where it was last seen, or any face half a head higher,
         * is someone farther back (the next in line), not this person come back */
        if (g->vy >= 0.0f && ((g->vw > 0.0f && f->w < 0.9f * g->w && f->cy < g->cy - 0.25f * g->w) ||
                              f->cy < g->cy - 0.5f * g->w))
            continue;
        dx = f->cx - px;
        dy = f->cy - py;
        d2 = dx * dx + dy * dy;
        gate = 0.8f * (f->w > pw ? f->w : pw) + FBFW_TRACK_GATE_PX + 0.2f * ahead;
        if (d2 <= gate * gate && (!best || d2 < best_d2)) {
            best = g;
            best_d2 = d2;
        }
    }
    if (best) { /* the ghost stays: a fragment of the face may claim it first */
        t->id = best->id;
        t->reported = 1;
    }
}

/* The squared distance from where track t is heading to face f, when f may be its face this frame
 * (inside the gate, of about its size, with about its forehead); -1 when it may not. */
static float match_d2(const fbfw_state *s, const fbfw_track *t, const fbfw_face *f,
                      uint32_t frame_no) {
    /* frames since last seen (frozen frames too: people move while the shutter is closed) */
    const float ahead = (float)(frame_no - t->last_frame);
    const float px = t->cx + t->vx * ahead, py = t->cy + t->vy * ahead;
    const float pw = t->w + t->vw * ahead;
    float dx = f->cx - px, dy = f->cy - py, d2, fd;
    float wm = f->w > pw ? f->w : pw;
    /* a young track's speed is not known yet; an established one moves smoothly and must not jump
     * to a neighbour (in a crowd, heads are about a width apart) */
    const int settled_track = t->n_seen >= FBFW_TRACK_FIRM_FRAMES;
    float gate = (settled_track ? FBFW_TRACK_GATE_FIRM : FBFW_TRACK_GATE_FRAC) * wm +
                 FBFW_TRACK_GATE_PX + ahead - 1.0f;
    const float ratio = settled_track ? 1.2f : t->n_seen >= 3 ? 1.33f : 1.6f;
    if (f->w > ratio * pw || pw > ratio * f->w)
        return -1.0f;
    /* a forehead much warmer or cooler than the one followed so far is someone else (people's
     * foreheads differ by ~0.6 K; one person's varies by < 0.2 K) */
    fd = f->fore_raw + (float)s->corr_ck - t->fore_ck;
    if (settled_track && (fd > FBFW_TRACK_FORE_CK || fd < -FBFW_TRACK_FORE_CK))
        return -1.0f;
    d2 = dx * dx + dy * dy;
    return d2 <= gate * gate ? d2 : -1.0f;
}

/* Track t's nearest face not yet used (the first of equals): *d2 as match_d2, -1 when none. */
static void nearest_face(const fbfw_state *s, const fbfw_track *t, const uint8_t *used,
                         uint32_t frame_no, float *d2, uint8_t *face) {
    uint32_t j;
    *d2 = -1.0f;
    for (j = 0; j < s->n_faces; j++) {
        float d;
        if (used[j])
            continue;
        d = match_d2(s, t, &s->faces[j], frame_no);
        if (d >= 0.0f && (*d2 < 0.0f || d < *d2)) {
            *d2 = d;
            *face = (uint8_t)j;
        }
    }
}

int fbfw_tracks_update(fbfw_state *s, uint32_t frame_no, fbfw_event *events, int max_events) {
    uint8_t used[FBFW_MAX_FACES], near_face[FBFW_MAX_TRACKS];
    float near_d2[FBFW_MAX_TRACKS];
    uint32_t i, j;
    int n = 0;

    memset(used, 0, sizeof(used));
    for (i = 0; i < FBFW_MAX_TRACKS; i++)
        s->tracks[i].matched = 0;

    /* Greedy nearest-centroid association inside a gate that scales with the face size: the
     * closest pair of all (the first of equals, tracks then faces, in index order) is taken, then
     * the closest of the rest. Each waiting track keeps its nearest unused face; only the tracks
     * whose nearest face was just taken look again. */
    for (i = 0; i < FBFW_MAX_TRACKS; i++) {
        const fbfw_track *t = &s->tracks[i];
        near_d2[i] = -1.0f;
        near_face[i] = 0;
        if (t->active && !t->ending)
            nearest_face(s, t, used, frame_no, &near_d2[i], &near_face[i]);
    }
    for (;;) {
        float best = -1.0f;
        uint32_t bt = 0, bf;
        for (i = 0; i < FBFW_MAX_TRACKS; i++) {
            if (near_d2[i] >= 0.0f && (best < 0.0f || near_d2[i] < best)) {
                best = near_d2[i];
                bt = i;
            }
        }
        if (best < 0.0f)
            break;
        bf = near_face[bt];
        used[bf] = 1;
        near_d2[bt] = -1.0f;
        take_face(s, &s->tracks[bt], &s->faces[bf], frame_no);
        for (i = 0; i < FBFW_MAX_TRACKS; i++)
            if (near_d2[i] >= 0.0f && near_face[i] == bf)
                nearest_face(s, &s->tracks[i], used, frame_no, &near_d2[i], &near_face[i]);
    }

    /* Two tracks on one person (one was born on a duplicate or a bad detection while the
     * other lost the face): the older identity survives with the newer one's position. */
    for (i = 0; i < FBFW_MAX_TRACKS; i++) {
        fbfw_track *o = &s->tracks[i];
        if (!o->active || o->ending)
            continue;
        for (j = 0; j < FBFW_MAX_TRACKS; j++) {
            fbfw_track *y = &s->tracks[j];
            /* an older track that lost the face is where it was heading */
            const float ahead = o->matched ? 0.0f : (float)(frame_no - o->last_frame);
            float dx = o->cx + o->vx * ahead - y->cx, dy = o->cy + o->vy * ahead - y->cy;
            float lim = FBFW_TRACK_GATE_FIRM * (o->w > y->w ? o->w : y->w);
            /* ... and of about the size it was heading for (FBFW_TRACK_MERGE_RATIO: the two
             * head paths of faces.c may differ by ~25 % on one head): a nearer and a farther
             * head in one column are two people */
            const float ow = o->w + o->vw * ahead;
            if (j == i || !y->active || y->ending || !y->matched || y->id < o->id || dx > lim ||
                dx < -lim || dy > lim || dy < -lim || y->w > FBFW_TRACK_MERGE_RATIO * ow ||
                ow > FBFW_TRACK_MERGE_RATIO * y->w)
                continue; /* (two tracks that both lost their faces are left alone) */
            if (y->matched && !o->matched) {
                uint32_t k;
                o->cx = y->cx;
                o->cy = y->cy;
                o->w = y->w;
                o->vx = y->vx;
                o->vy = y->vy;
                o->vw = y->vw;
                o->fore_ck = y->fore_ck;
                o->bx = y->bx;
                o->by = y->by;
                o->bw = y->bw;
                o->bh = y->bh;
                o->matched = 1;
                o->missed = 0;
                o->leaving = y->leaving;
                o->last_frame = y->last_frame;
                if (y->n_samples > 0 && !o->settled) {
                    for (k = 0; k < y->n_samples; k++)
                        add_sample(s, o, y->samples[k], y->sample_frame);
                    if (y->clock_on && (!o->clock_on || y->clock < o->clock)) {
                        o->clock_on = 1;
                        o->clock = y->clock;
                    }
                    k = (uint32_t)o->n_good + y->n_good;
                    o->n_good = (uint8_t)(k > 255u ? 255u : k);
                    o->sx = y->sx;
                    o->sy = y->sy;
                    o->sw = y->sw;
                    o->sh = y->sh;
                }
            }
            if (y->reported)
                o->reported = 1;
            y->active = 0;
        }
    }

    /* Tracks not seen this frame age and end; new faces start tracks while there is room. */
    for (i = 0; i < FBFW_MAX_TRACKS; i++) {
        fbfw_track *t = &s->tracks[i];
        if (t->active && !t->matched && !t->ending && ++t->missed > s->max_missed) {
            if (!t->reported && t->n_samples >= FBFW_SAMPLES_MIN && t->clock_on) {
                /* it left before enough samples: report what there is, if some of it was
                 * taken where screening starts (a far head glimpsed in a few frames reads low
                 * and is likely found again nearer) */
                t->ending = 1;
            } else {
                if (t->reported)
                    make_ghost(s, t);
                t->active = 0;
            }
        }
    }
    for (j = 0; j < s->n_faces; j++) {
        if (used[j])
            continue;
        for (i = 0; i < FBFW_MAX_TRACKS; i++) {
            fbfw_track *t = &s->tracks[i];
            if (t->active)
                continue;
            memset(t, 0, sizeof(*t));
            t->active = 1;
            t->id = s->next_id++;
            claim_ghost(s, t, &s->faces[j], frame_no);
            take_face(s, t, &s->faces[j], frame_no);
            break;
        }
    }

    /* One measurement per track, once it has its samples (a track seen last frame keeps its
     * result until the caller has room for it). */
    for (i = 0; i < FBFW_MAX_TRACKS; i++) {
        fbfw_track *t = &s->tracks[i];
        /* Settled by enough samples from large faces; or, with at least 3, once waiting any
         * longer would make the person late; or by a face that left the image or is leaving.
         * A settled result takes no more samples: it waits as it is if there is no room. */
        if (t->active && !t->reported && t->n_samples > 0 &&
            (t->n_good >= s->samples_wanted ||
             (t->n_samples >= 3 && t->clock_on && frame_no - t->clock >= s->wait_frames) ||
             ((t->ending || (t->matched && t->leaving)) && t->n_samples >= FBFW_SAMPLES_MIN)))
            t->settled = 1;
    }
    for (i = 0; i < FBFW_MAX_TRACKS && n < max_events; i++) {
        fbfw_track *t = &s->tracks[i];
        fbfw_event *e;
        int32_t skin, body;
        if (!t->active || t->reported || !t->settled)
            continue;
        skin = fbfw_round(median_samples(t->samples, t->n_samples));
        body = skin + (int32_t)s->cfg.body_offset_ck;
        e = &events[n++];
        memset(e, 0, sizeof(*e));
        e->kind = FBFW_EV_MEASUREMENT;
        e->track_id = t->id;
        if (t->matched && !t->leaving) { /* the box of this frame */
            e->frame = frame_no;
            e->box_x = clamp_u16(t->bx);
            e->box_y = clamp_u16(t->by);
            e->box_w = clamp_u16(t->bw);
            e->box_h = clamp_u16(t->bh);
        } else { /* the face is (partly) gone: the box and frame of the last sample */
            e->frame = t->sample_frame;
            e->box_x = clamp_u16(t->sx);
            e->box_y = clamp_u16(t->sy);
            e->box_w = clamp_u16(t->sw);
            e->box_h = clamp_u16(t->sh);
        }
        e->skin_ck = clamp_u16(skin);
        e->body_ck = clamp_u16(body);
        e->alarm = (uint8_t)(body >= (int32_t)s->cfg.alarm_threshold_ck);
        t->reported = 1;
        if (t->ending) {
            make_ghost(s, t);
            t->active = 0;
        }
    }
    return n;
}
