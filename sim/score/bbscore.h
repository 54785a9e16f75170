/* bbscore.h — scores the DUT's blackbody status events (BLACKBODY_LOST / _OK) against the truth of the reference's failures (docs/scoring.md). */
#ifndef FB_BBSCORE_H
#define FB_BBSCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "world/truth.h"

/* A failure shorter than this need not be reported (a passer-by's shadow); one that lasts
 * longer must be: the DUT must claim LOST in at least half of its frames (a LOST blip caused by
 * something else does not count as noticing a slow drift). Decided in whole frames: an episode
 * is required when it spans at least fb_bb_frames(FB_BB_MIN_EPISODE_S, fps) frames. */
#define FB_BB_MIN_EPISODE_S 2.0
/* A LOST this soon after a failure (or while one is under way) is not false: within the last
 * fb_bb_frames(FB_BB_GRACE_S, fps) frames. */
#define FB_BB_GRACE_S 2.0
#define FB_BB_MAX_EPISODES 32 /* episodes kept in detail; all are counted */

/* One stretch of frames in which the reference was not usable. */
typedef struct fb_bb_episode {
    fb_bb_truth reason;   /* its first state other than "occluded" (else "occluded") */
    double start_s, end_s;/* end: first usable frame after it, or the end of the run */
    uint32_t frames;      /* frames it spans (first not-usable frame up to the first usable) */
    uint32_t lost_frames; /* of them, frames after whose events the DUT claimed LOST */
    bool ended;           /* the reference became usable again before the run ended */
    bool required;        /* frames >= the run's min_episode_frames */
    double lost_share;    /* lost_frames / frames, for display (decisions use the counts) */
    bool detected;        /* 2 lost_frames >= frames */
    bool claimed;         /* the DUT claimed LOST at some time during it */
    double latency_s;     /* first LOST claim in it - start (0 if already claiming), NAN if none */
    double recovery_s;    /* first OK claim after end - end, or the next episode's start - end
                           * when that came first; NAN if not detected or not ended */
    bool recovery_interrupted; /* the next episode began while the DUT still claimed LOST */
    bool recovery_censored; /* no OK claim by the end of the run: recovery_s is a lower bound */
} fb_bb_episode;

typedef struct fb_bb_results {
    bool applicable;        /* the scene had a blackbody */
    uint32_t min_episode_frames; /* FB_BB_MIN_EPISODE_S in frames: required from this length */
    uint32_t grace_frames;  /* FB_BB_GRACE_S in frames */
    size_t episodes, required, detected_required;
    double detection_rate;  /* detected_required / required, NAN if none required */
    double latency_max_s;   /* over all detected required episodes, NAN if none */
    double recovery_max_s;  /* over all detected ended episodes (censored ones count), NAN if none */
    size_t recovery_censored; /* detected episodes still claimed LOST when the run ended */
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
    bool open;              /* an episode is in progress (the last frame fed is in it) */
    fb_bb_episode cur;      /* the episode in progress or the last one */
    bool have_last;         /* cur holds a closed episode that may still be detected/recovered */
    uint64_t frames;        /* frames fed */
    uint64_t last_fail;     /* 1 + index of the last frame with the reference unusable or a
                             * failure under way; 0: none yet */
    double now_s;
} fb_bb_score;

/* seconds as a whole number of frames at fps: ceil(seconds x fps), 1e-9 frame slack for
 * decimal fps such as 8.7 (docs/scoring.md: "decided in whole frames"). */
uint32_t fb_bb_frames(double seconds, double fps);
/* fps: the camera's frame rate (for the frame counts of the 2 s limits). */
void fb_bb_score_init(fb_bb_score *s, double fps);
/* Feeds a frame's truth (before the events that arrived with it). */
void fb_bb_score_frame(fb_bb_score *s, const fb_truth_frame *tf);
/* Feeds one status event (fbfw_status code) that arrived at arrival_t_s. */
void fb_bb_score_status(fb_bb_score *s, uint16_t status, double arrival_t_s);
/* Results as if the run ended at end_s (does not change s). */
void fb_bb_score_finish(const fb_bb_score *s, double end_s, fb_bb_results *out);

#endif
