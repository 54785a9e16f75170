/* bbscore.c — blackbody failure episodes from the truth, and the DUT's LOST/OK claims matched to them, decided in whole frames. */
#include "bbscore.h"

#include <math.h>
#include <string.h>
#include "../firmware-under-test/include/fbfw.h"

uint32_t fb_bb_frames(double seconds, double fps)
{
    if (!(fps > 0) || !(seconds > 0))
        return 1;
    double f = ceil(seconds * fps - 1e-9);
    return f < 1 ? 1 : f > 4e9 ? 4000000000u : (uint32_t)f;
}

void fb_bb_score_init(fb_bb_score *s, double fps)
{
    memset(s, 0, sizeof *s);
    s->r.detection_rate = s->r.latency_max_s = s->r.recovery_max_s = NAN;
    s->r.min_episode_frames = fb_bb_frames(FB_BB_MIN_EPISODE_S, fps);
    s->r.grace_frames = fb_bb_frames(FB_BB_GRACE_S, fps);
}

static double max_defined(double a, double b)
{
    return isnan(a) ? b : isnan(b) ? a : fmax(a, b);
}

static void store(fb_bb_results *r, const fb_bb_episode *e)
{
    /* Counts every episode and its latency and recovery; keeps the first FB_BB_MAX_EPISODES in
     * detail. */
    r->episodes++;
    if (e->required) {
        r->required++;
        r->detected_required += e->detected;
        if (e->detected)
            r->latency_max_s = max_defined(r->latency_max_s, e->latency_s);
    }
    if (e->detected) {
        r->recovery_max_s = max_defined(r->recovery_max_s, e->recovery_s);
        r->recovery_censored += e->recovery_censored;
    }
    if (r->n_ep < FB_BB_MAX_EPISODES)
        r->ep[r->n_ep++] = *e;
}

static void close_last(fb_bb_score *s)
{
    if (s->have_last)
        store(&s->r, &s->cur);
    s->have_last = false;
}

/* Completes an episode at end_s: required and detected, from whole frames. */
static void seal(const fb_bb_results *r, fb_bb_episode *e, double end_s, bool ended)
{
    e->end_s = end_s;
    e->ended = ended;
    e->required = e->frames >= r->min_episode_frames;
    e->lost_share = e->frames ? (double)e->lost_frames / (double)e->frames : 0.0;
    e->detected = e->frames > 0 && 2u * (uint64_t)e->lost_frames >= e->frames;
    if (!e->detected)
        e->latency_s = NAN;
}

void fb_bb_score_frame(fb_bb_score *s, const fb_truth_frame *tf)
{
    /* the previous frame's claim (after its events) is now final for that frame */
    if (s->open && s->claim_lost)
        s->cur.lost_frames++;
    s->now_s = tf->t_s;
    s->frames++;
    /* the reason is what the reference itself was doing: a passer-by's occlusion on top of a
     * failure does not rename it */
    if (s->open && s->cur.reason == FB_BBT_OCCLUDED && tf->blackbody_state != FB_BBT_OK &&
        tf->blackbody_state != FB_BBT_NONE)
        s->cur.reason = tf->blackbody_state;
    if (tf->blackbody_state == FB_BBT_NONE) {
        if (s->open) { /* the blackbody left the scene: the episode ends here, not recovered */
            s->open = false;
            seal(&s->r, &s->cur, tf->t_s, false);
            store(&s->r, &s->cur);
        }
        return;
    }
    s->r.applicable = true;
    bool failing = tf->blackbody_state != FB_BBT_OK;
    if (failing || tf->blackbody_fault)
        s->last_fail = s->frames; /* a LOST now is not false: early is allowed */
    if (failing) {
        if (!s->open) {
            if (s->have_last) { /* still distrusted since its end: recovered by this start */
                s->cur.recovery_s = fmax(0.0, tf->t_s - s->cur.end_s);
                s->cur.recovery_interrupted = true;
            }
            close_last(s);
            s->open = true;
            s->cur = (fb_bb_episode){.reason = tf->blackbody_state,
                                     .start_s = tf->t_s,
                                     .end_s = NAN,
                                     .claimed = s->claim_lost,
                                     .latency_s = s->claim_lost ? 0.0 : NAN,
                                     .recovery_s = NAN};
        }
        s->cur.frames++;
    } else if (s->open) {
        s->open = false;
        seal(&s->r, &s->cur, tf->t_s, true);
        s->have_last = true;
        if (!s->cur.detected || !s->claim_lost)
            close_last(s); /* nothing to recover from */
    }
}

void fb_bb_score_status(fb_bb_score *s, uint16_t status, double t_s)
{
    if (status == FBFW_STATUS_BLACKBODY_LOST) {
        if (s->claim_lost)
            return;
        s->claim_lost = true;
        s->r.lost_claims++;
        if (!s->r.applicable)
            return; /* no blackbody at all: a device that says so is right */
        if (s->open && !s->cur.claimed) {
            s->cur.claimed = true;
            s->cur.latency_s = fmax(0.0, t_s - s->cur.start_s);
        }
        if (s->last_fail == 0 || s->frames - s->last_fail > s->r.grace_frames)
            s->r.false_lost++;
    } else if (status == FBFW_STATUS_BLACKBODY_OK) {
        if (!s->claim_lost)
            return;
        s->claim_lost = false;
        if (!s->r.applicable)
            return;
        if (s->open) {
            s->r.false_ok++; /* trusting a reference that is still bad */
        } else if (s->have_last) {
            s->cur.recovery_s = fmax(0.0, t_s - s->cur.end_s);
            close_last(s);
        }
    }
}

void fb_bb_score_finish(const fb_bb_score *s, double end_s, fb_bb_results *out)
{
    *out = s->r;
    fb_bb_episode e = s->cur;
    if (s->open) { /* the last frame's claim stands for it */
        e.lost_frames += s->claim_lost;
        seal(&s->r, &e, end_s, false);
        store(out, &e);
    } else if (s->have_last) { /* detected, still claimed LOST: recovery not seen */
        e.recovery_s = fmax(0.0, end_s - e.end_s);
        e.recovery_censored = true;
        store(out, &e);
    }
    out->detection_rate =
        out->required ? (double)out->detected_required / (double)out->required : NAN;
}
