/* bbscore.c — blackbody failure episodes from the truth, and the DUT's LOST/OK claims matched to them. */
#include "bbscore.h"

#include <math.h>
#include <string.h>
#include "../firmware-under-test/include/fbfw.h"

void fb_bb_score_init(fb_bb_score *s)
{
    memset(s, 0, sizeof *s);
    s->last_fail_s = -INFINITY;
}

static void store(fb_bb_results *r, const fb_bb_episode *e)
{
    /* Counts every episode; keeps the first FB_BB_MAX_EPISODES in detail. */
    r->episodes++;
    if (e->required) {
        r->required++;
        r->detected_required += e->detected;
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

/* Completes the episode in progress at end_s: duration, reason, detection. */
static void seal(const fb_bb_score *s, fb_bb_episode *e, double end_s, bool ended)
{
    e->end_s = end_s;
    e->ended = ended;
    double dur = end_s - e->start_s;
    e->required = dur >= FB_BB_MIN_EPISODE_S;
    e->lost_share = dur > 0 ? fmin(1.0, s->cur_lost_s / dur) : (s->claim_lost ? 1.0 : 0.0);
    e->detected = e->lost_share >= FB_BB_DETECT_SHARE;
    if (!e->detected)
        e->latency_s = NAN;
}

void fb_bb_score_frame(fb_bb_score *s, const fb_truth_frame *tf)
{
    /* The interval since the last frame had the last frame's state and the claim as it
     * stood after that frame's events. */
    double dt = tf->t_s - s->now_s;
    if (s->open && dt > 0) {
        if (s->claim_lost)
            s->cur_lost_s += dt;
    }
    s->now_s = tf->t_s;
    s->state = tf->blackbody_state;
    /* the reason is what the reference itself was doing: a passer-by's occlusion on top of a
     * failure does not rename it */
    if (s->open && s->cur.reason == FB_BBT_OCCLUDED && tf->blackbody_state != FB_BBT_OK &&
        tf->blackbody_state != FB_BBT_NONE)
        s->cur.reason = tf->blackbody_state;
    if (tf->blackbody_state == FB_BBT_NONE)
        return;
    s->r.applicable = true;
    bool failing = tf->blackbody_state != FB_BBT_OK;
    if (failing || tf->blackbody_fault)
        s->last_fail_s = tf->t_s; /* a LOST now is not false: early is allowed */
    if (failing) {
        if (!s->open) {
            close_last(s); /* the previous episode can no longer change */
            s->open = true;
            s->cur_lost_s = 0;
            s->cur = (fb_bb_episode){.reason = tf->blackbody_state,
                                     .start_s = tf->t_s,
                                     .end_s = NAN,
                                     .claimed = s->claim_lost,
                                     .latency_s = s->claim_lost ? 0.0 : NAN,
                                     .recovery_s = NAN};
        }
    } else if (s->open) {
        s->open = false;
        seal(s, &s->cur, tf->t_s, true);
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
        if (t_s - s->last_fail_s > FB_BB_GRACE_S)
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
    if (s->open) {
        fb_bb_score tmp = *s; /* account the last frame's interval up to end_s */
        double dt = end_s - s->now_s;
        if (dt > 0) {
            if (s->claim_lost)
                tmp.cur_lost_s += dt;
        }
        fb_bb_episode e = s->cur;
        seal(&tmp, &e, end_s, false);
        store(out, &e);
    } else if (s->have_last) {
        fb_bb_episode e = s->cur; /* detected, still claimed LOST: recovery not seen */
        e.recovery_s = fmax(0.0, end_s - e.end_s);
        e.recovery_censored = true;
        store(out, &e);
    }
    out->detection_rate =
        out->required ? (double)out->detected_required / (double)out->required : NAN;
    out->latency_max_s = NAN;
    out->recovery_max_s = NAN;
    for (size_t i = 0; i < out->n_ep; i++) {
        const fb_bb_episode *e = &out->ep[i];
        if (e->required && e->detected)
            out->latency_max_s = isnan(out->latency_max_s) ? e->latency_s
                                                           : fmax(out->latency_max_s, e->latency_s);
        if (e->detected && !isnan(e->recovery_s))
            out->recovery_max_s = isnan(out->recovery_max_s)
                                      ? e->recovery_s
                                      : fmax(out->recovery_max_s, e->recovery_s);
    }
}
