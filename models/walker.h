/* walker.h — a person walking toward the camera along a lane at constant speed, then passing it. */
#ifndef FB_WALKER_H
#define FB_WALKER_H

#include <stdbool.h>

/* Walking speed (FACTS.md, Murtagh 2020): usual 1.31 m/s, slow 0.82, fast 1.72. */
#define FB_WALK_USUAL_MPS 1.31

typedef struct fb_walker {
    double enter_s;          /* time the person appears at start_distance_m */
    double start_distance_m; /* distance from the camera along its axis at entry (> exit) */
    double exit_distance_m;  /* the person leaves the scene (passes the camera) here */
    double speed_mps;        /* > 0 */
    double lateral_m;        /* offset from the camera axis, + is image right */
    double height_m;         /* standing height; the head centre is height - 0.12 m */
} fb_walker;

/* Distance from the camera at time t_s. Returns false when the person is not in the
 * scene (before entry or after reaching exit_distance_m); *distance_m is then unchanged. */
bool fb_walker_distance(const fb_walker *w, double t_s, double *distance_m);

/* Time at which the walker reaches distance_m (may be outside the walk). */
double fb_walker_time_at(const fb_walker *w, double distance_m);

/* Height of the head centre above the floor. */
double fb_walker_head_z(const fb_walker *w);

#endif
