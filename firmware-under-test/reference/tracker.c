/* tracker.c — follows faces across frames, collects canthus samples and reports one measurement per person. */
#include <string.h>

#include "fbfw_internal.h"

void fbfw_tracks_reset(fbfw_state *s) {
    memset(s->tracks, 0, sizeof(s->tracks));
    s->next_id = 1;
    s->max_missed = (uint32_t)fbfw_round(FBFW_TRACK_MAX_MISSED_S * s->fps);
    if (s->max_missed < 2)
        s->max_missed = 2;
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

static void take_face(fbfw_state *s, fbfw_track *t, const fbfw_face *f, uint32_t frame_no) {
    if (t->n_seen > 0) { /* constant-velocity model, smoothed: people walk steadily */
        float gap = (float)(t->missed + 1u), lim = 0.5f * t->w;
        float vx = (f->cx - t->cx) / gap, vy = (f->cy - t->cy) / gap, vw = (f->w - t->w) / gap;
        float a = t->n_seen > 1 ? 0.5f : 1.0f;
        vx = vx > lim ? lim : vx < -lim ? -lim : vx; /* one odd detection must not fling it */
        vy = vy > lim ? lim : vy < -lim ? -lim : vy;
        vw = vw > 0.1f * t->w ? 0.1f * t->w : vw < -0.1f * t->w ? -0.1f * t->w : vw;
        t->vx += a * (vx - t->vx);
        t->vy += a * (vy - t->vy);
        t->vw += a * (vw - t->vw);
    }
    if (t->n_seen < 255)
        t->n_seen++;
    t->cx = f->cx;
    t->cy = f->cy;
    t->w = f->w;
    t->bx = f->bx;
    t->by = f->by;
    t->bw = f->bw;
    t->bh = f->bh;
    t->missed = 0;
    t->matched = 1;
    t->last_frame = frame_no;
    t->leaving = f->at_border;
    if (f->measurable && !t->reported && t->n_samples < s->samples_wanted) {
        t->samples[t->n_samples++] = f->canthus_raw + (float)s->corr_ck;
        t->sample_frame = frame_no;
        t->sx = f->bx;
        t->sy = f->by;
        t->sw = f->bw;
        t->sh = f->bh;
    }
}

int fbfw_tracks_update(fbfw_state *s, uint32_t frame_no, fbfw_event *events, int max_events) {
    uint8_t used[FBFW_MAX_FACES];
    uint32_t i, j;
    int n = 0;

    memset(used, 0, sizeof(used));
    for (i = 0; i < FBFW_MAX_TRACKS; i++)
        s->tracks[i].matched = 0;

    /* Greedy nearest-centroid association inside a gate that scales with the face size. */
    for (;;) {
        float best = -1.0f;
        uint32_t bt = 0, bf = 0;
        for (i = 0; i < FBFW_MAX_TRACKS; i++) {
            const fbfw_track *t = &s->tracks[i];
            if (!t->active || t->matched || t->ending)
                continue;
            const float ahead = (float)(t->missed + 1u); /* frames since last seen */
            const float px = t->cx + t->vx * ahead, py = t->cy + t->vy * ahead;
            const float pw = t->w + t->vw * ahead;
            for (j = 0; j < s->n_faces; j++) {
                const fbfw_face *f = &s->faces[j];
                float dx = f->cx - px, dy = f->cy - py, d2;
                float wm = f->w > pw ? f->w : pw;
                float gate = FBFW_TRACK_GATE_FRAC * wm + FBFW_TRACK_GATE_PX + (float)t->missed;
                /* sizes change slowly; a young track's speed is not known yet */
                const float ratio = t->n_seen >= 3 ? 1.33f : 1.6f;
                if (used[j] || f->w > ratio * pw || pw > ratio * f->w)
                    continue;
                d2 = dx * dx + dy * dy;
                if (d2 <= gate * gate && (best < 0.0f || d2 < best)) {
                    best = d2;
                    bt = i;
                    bf = j;
                }
            }
        }
        if (best < 0.0f)
            break;
        used[bf] = 1;
        take_face(s, &s->tracks[bt], &s->faces[bf], frame_no);
    }

    /* Two tracks on one person (one was born on a duplicate or a bad detection while the
     * other lost the face): the older identity survives with the newer one's position. */
    for (i = 0; i < FBFW_MAX_TRACKS; i++) {
        fbfw_track *o = &s->tracks[i];
        if (!o->active || o->ending)
            continue;
        for (j = 0; j < FBFW_MAX_TRACKS; j++) {
            fbfw_track *y = &s->tracks[j];
            float dx = o->cx - y->cx, dy = o->cy - y->cy;
            float lim = 0.25f * (o->w > y->w ? o->w : y->w);
            if (j == i || !y->active || y->ending || y->id < o->id || dx > lim || dx < -lim ||
                dy > lim || dy < -lim)
                continue;
            if (y->matched && !o->matched) {
                uint32_t k;
                o->cx = y->cx;
                o->cy = y->cy;
                o->w = y->w;
                o->vx = y->vx;
                o->vy = y->vy;
                o->vw = y->vw;
                o->bx = y->bx;
                o->by = y->by;
                o->bw = y->bw;
                o->bh = y->bh;
                o->matched = 1;
                o->missed = 0;
                o->leaving = y->leaving;
                o->last_frame = y->last_frame;
                for (k = 0; k < y->n_samples && o->n_samples < s->samples_wanted; k++) {
                    o->samples[o->n_samples++] = y->samples[k];
                    o->sample_frame = y->sample_frame;
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
            if (!t->reported && t->n_samples >= FBFW_SAMPLES_MIN)
                t->ending = 1; /* it left before enough samples: report what there is */
            else
                t->active = 0;
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
            take_face(s, t, &s->faces[j], frame_no);
            break;
        }
    }

    /* One measurement per track, once it has its samples (a track seen last frame keeps its
     * result until the caller has room for it). */
    for (i = 0; i < FBFW_MAX_TRACKS && n < max_events; i++) {
        fbfw_track *t = &s->tracks[i];
        fbfw_event *e;
        int32_t skin, body;
        if (!t->active || t->reported || t->n_samples == 0)
            continue;
        if (t->n_samples < s->samples_wanted &&
            !((t->ending || (t->matched && t->leaving)) && t->n_samples >= FBFW_SAMPLES_MIN))
            continue; /* wait for more samples, unless the face left the image or is leaving */
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
        if (t->ending)
            t->active = 0;
    }
    return n;
}
