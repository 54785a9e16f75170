/* walker.h — a person walking toward the camera along a lane: constant speed, an optional stop at a
 * marked screening point, head turns (yaw) on the way, then passing the camera.
 *
 * The walk is a timetable: fb_walker_distance(w, clock_s) is where the person is at time clock_s
 * of their own plan. Walking alone, the clock is the run's time. People do not walk through each
 * other: someone held up by a slower person ahead falls behind their plan, and their clock runs
 * late (fb_walker_follow). This model only knows one person; who is ahead and in the way is the
 * world's business (sim/world/world.c, which keeps each person's lag). */
#ifndef FB_WALKER_H
#define FB_WALKER_H

#include <stdbool.h>
#include <stddef.h>

/* Walking speed (docs/sources.md, Murtagh 2020): usual 1.31 m/s, slow 0.82, fast 1.72. */
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

/* Headway: the nearest a person comes to the one ahead in their lane, centre to centre along the
 * walking axis. Our assumption, not a measured figure: about a body depth (~0.3 m) plus half a
 * pace (~0.5 m) of free space in front. People following in single file at walking speed keep
 * more (the space a walker needs grows with speed: Seyfried et al. 2005, single-file
 * experiments), so this is a floor that stops bodies overlapping, not a model of how people
 * choose their distance (docs/scenario.md). */
#define FB_WALK_HEADWAY_M 0.8

/* Whether two people at these lateral offsets walk in one lane: their centres are less than
 * body_w_m apart across the axis, so one cannot pass the other (body_w_m: the mean of their
 * shoulder widths, models/body.h). */
bool fb_walker_same_lane(const fb_walker *a, const fb_walker *b, double body_w_m);

/* Advances a person's own clock from from_clock_s towards to_clock_s (walking on by their plan)
 * without coming nearer the camera than min_distance_m (the person ahead in the lane plus
 * FB_WALK_HEADWAY_M; -INFINITY: the way is free). Returns the new clock: to_clock_s when the
 * way is free, else the latest clock at which the plan puts the person at min_distance_m (so
 * they keep the gap and move on with the person ahead), never below from_clock_s (nobody walks
 * back). A clock held below enter_s keeps the person out of the scene: they wait to enter.
 * The lag the person gathers is to_clock_s minus the result. */
double fb_walker_follow(const fb_walker *w, double from_clock_s, double to_clock_s,
                        double min_distance_m);

/* Height of the head centre above the floor. */
double fb_walker_head_z(const fb_walker *w);

/* Head yaw at t_s in degrees: the sum of the turns' bumps, clamped to [-90, 90]; 0 when the
 * person looks at the camera. */
double fb_walker_yaw_deg(const fb_walker *w, double t_s);

#endif
