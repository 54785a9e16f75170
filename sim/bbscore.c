/* bbscore.c — blackbody failure episodes from the truth, and the DUT's LOST/OK claims matched to them. */
#include "bbscore.h"

#include <math.h>
#include <string.h>
#include "../firmware-under-test/include/fbfw.h"

void fb_bb_score_init(fb_bb_score *s)
{
    memset(s, 0, sizeof *s);
    s->last_fail_s = -INFINITY;
    s->r.detection_rate = s->r.latency_max_s = s->r.recovery_max_s = NAN;
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
    if (e->detected)
        r->recovery_max_s = max_defined(r->recovery_max_s, e->recovery_s);
    if (r->n_ep < FB_BB_MAX_EPISODES)
        r->ep[r->n_ep++] = *e;
}

static void close_last(fb_bb_score *s)
{
    if (s->have_last)
        store(&s->r, &s->cur);
    s->have_last = false;
}

/* Completes an episode at end_s, lost_s of it claimed LOST: duration, detection. */
static void seal(fb_bb_episode *e, double lost_s, double end_s, bool ended)
{
    e->end_s = end_s;
    e->ended = ended;
    double dur = end_s - e->start_s;
    e->required = dur >= FB_BB_MIN_EPISODE_S;
    e->lost_share = dur > 0 ? fmin(1.0, lost_s / dur) : 0.0;
    e->detected = e->lost_share >= FB_BB_DETECT_SHARE;
    if (!e->detected)
        e->latency_s = NAN;
}

void fb_bb_score_frame(fb_bb_score *s, const fb_truth_frame *tf)
{
    /* Since the last frame the claim was what it was after that frame's events. */
    if (s->open && s->claim_lost && tf->t_s > s->now_s)
        s->cur_lost_s += tf->t_s - s->now_s;
    s->now_s = tf->t_s;
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
        seal(&s->cur, s->cur_lost_s, tf->t_s, true);
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
    fb_bb_episode e = s->cur;
    if (s->open) { /* the last frame's interval runs to end_s */
        double lost_s = s->cur_lost_s + (s->claim_lost && end_s > s->now_s ? end_s - s->now_s : 0);
        seal(&e, lost_s, end_s, false);
        store(out, &e);
    } else if (s->have_last) { /* detected, still claimed LOST: recovery not seen */
        e.recovery_s = fmax(0.0, end_s - e.end_s);
        e.recovery_censored = true;
        store(out, &e);
    }
    out->detection_rate =
        out->required ? (double)out->detected_required / (double)out->required : NAN;
}
