/* walker.h — a person walking toward the camera along a lane: constant speed, an optional stop at a
 * marked screening point, head turns (yaw) on the way, then passing the camera. */
#ifndef FB_WALKER_H
#define FB_WALKER_H

#include <stdbool.h>
#include <stddef.h>

/* Walking speed (FACTS.md, Murtagh 2020): usual 1.31 m/s, slow 0.82, fast 1.72. */
#define FB_WALK_USUAL_MPS 1.31

/* One head turn: the face turns away by yaw_deg and back, a raised-cosine bump of the given
 * duration centred on peak_s. Positive yaw turns the face toward the image right. */
typedef struct fb_head_turn {
    double peak_s;     /* time of the largest yaw */
    double yaw_deg;    /* [-90, 90] */
    double duration_s; /* > 0: from facing the camera, away, and back */
} fb_head_turn;

#define FB_WALKER_MAX_TURNS 2

typedef struct fb_walker {
    double enter_s;          /* time the person appears at start_distance_m */
    double start_distance_m; /* distance from the camera along its axis at entry (> exit) */
    double exit_distance_m;  /* the person leaves the scene (passes the camera) here */
    double speed_mps;        /* > 0 */
    double lateral_m;        /* offset from the camera axis, + is image right */
    double height_m;         /* standing height; the head centre is height - 0.12 m */
    /* Optional stop: stands still at stop_distance_m for dwell_s. Ignored unless
     * exit_distance_m < stop_distance_m < start_distance_m and dwell_s > 0. */
    double stop_distance_m;
    double dwell_s;
    fb_head_turn turns[FB_WALKER_MAX_TURNS];
    size_t n_turns; /* 0 .. FB_WALKER_MAX_TURNS */
} fb_walker;

/* Distance from the camera at time t_s. Returns false when the person is not in the
 * scene (before entry or after reaching exit_distance_m); *distance_m is then unchanged. */
bool fb_walker_distance(const fb_walker *w, double t_s, double *distance_m);

/* Time at which the walker first reaches distance_m (may be outside the walk). With a stop,
 * distances nearer than the stop point are reached dwell_s later. */
double fb_walker_time_at(const fb_walker *w, double distance_m);

/* Whether the walk includes a stop (see fb_walker.stop_distance_m). */
bool fb_walker_stops(const fb_walker *w);

/* Height of the head centre above the floor. */
double fb_walker_head_z(const fb_walker *w);

/* Head yaw at t_s in degrees: the sum of the turns' bumps, clamped to [-90, 90]; 0 when the
 * person looks at the camera. */
double fb_walker_yaw_deg(const fb_walker *w, double t_s);

#endif
