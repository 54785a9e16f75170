/* bbscore.h — scores the DUT's blackbody status events (BLACKBODY_LOST / _OK) against the truth of the reference's failures (docs/scoring.md). */
#ifndef FB_BBSCORE_H
#define FB_BBSCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "truth.h"

/* A failure shorter than this need not be reported (a passer-by's shadow); one that lasts
 * longer must be: the DUT must claim LOST for at least FB_BB_DETECT_SHARE of it (a LOST blip
 * caused by something else does not count as noticing a slow drift). */
#define FB_BB_MIN_EPISODE_S 2.0
/* A LOST this soon after a failure (or while one is under way) is not false. */
#define FB_BB_GRACE_S 2.0
#define FB_BB_DETECT_SHARE 0.5
#define FB_BB_MAX_EPISODES 32 /* episodes kept in detail; all are counted */

/* One stretch of frames in which the reference was not usable. */
typedef struct fb_bb_episode {
    fb_bb_truth reason;   /* its first state other than "occluded" (else "occluded") */
    double start_s, end_s;/* end: first usable frame after it, or the end of the run */
    bool ended;           /* the reference became usable again before the run ended */
    bool required;        /* lasted at least FB_BB_MIN_EPISODE_S */
    double lost_share;    /* share of it the DUT spent claiming LOST */
    bool detected;        /* lost_share >= FB_BB_DETECT_SHARE */
    bool claimed;         /* the DUT claimed LOST at some time during it */
    double latency_s;     /* first LOST claim in it - start (0 if already claiming), NAN if none */
    double recovery_s;    /* first OK claim after end - end; NAN if not detected or not ended */
    bool recovery_censored; /* no OK claim by the end of the run: recovery_s is a lower bound */
} fb_bb_episode;

typedef struct fb_bb_results {
    bool applicable;        /* the scene had a blackbody */
    size_t episodes, required, detected_required;
    double detection_rate;  /* detected_required / required, NAN if none required */
    double latency_max_s;   /* over all detected required episodes, NAN if none */
    double recovery_max_s;  /* over all detected ended episodes (censored ones count), NAN if none */
    size_t lost_claims;     /* LOST transitions the DUT made */
    size_t false_lost;      /* LOST claims with the reference usable and no failure under way
                             * for the last FB_BB_GRACE_S seconds */
    size_t false_ok;        /* OK claims while the reference was not usable */
    fb_bb_episode ep[FB_BB_MAX_EPISODES];
    size_t n_ep;            /* stored in ep (min(episodes, FB_BB_MAX_EPISODES)) */
} fb_bb_results;

typedef struct fb_bb_score {
    fb_bb_results r;
    bool claim_lost;        /* what the DUT says now (it starts not complaining) */
    bool open;              /* an episode is in progress */
    fb_bb_episode cur;      /* the episode in progress or the last one */
    double cur_lost_s;      /* time it spent with the DUT claiming LOST */
    bool have_last;         /* cur holds a closed episode that may still be detected/recovered */
    double last_fail_s;     /* last frame with the reference unusable or a failure under way */
    double now_s;
} fb_bb_score;

void fb_bb_score_init(fb_bb_score *s);
/* Feeds a frame's truth (before the events that arrived with it). */
void fb_bb_score_frame(fb_bb_score *s, const fb_truth_frame *tf);
/* Feeds one status event (fbfw_status code) that arrived at arrival_t_s. */
void fb_bb_score_status(fb_bb_score *s, uint16_t status, double arrival_t_s);
/* Results as if the run ended at end_s (does not change s). */
void fb_bb_score_finish(const fb_bb_score *s, double end_s, fb_bb_results *out);

#endif
