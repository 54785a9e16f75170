/* walker.c — straight-line approach of a person toward the camera: constant speed, optional stop,
 * head turns. */
#include <math.h>
#include "walker.h"

/* Head centre below standing height: half a 0.23 m head (body.h) plus a little hair. */
#define HEAD_CENTRE_BELOW_TOP_M 0.12
#define WALKER_PI               3.14159265358979323846

bool fb_walker_stops(const fb_walker *w)
{
    return w->dwell_s > 0 && w->stop_distance_m > w->exit_distance_m &&
           w->stop_distance_m < w->start_distance_m;
}

bool fb_walker_distance(const fb_walker *w, double t_s, double *distance_m)
{
    if (t_s < w->enter_s)
        return false;
    double d = w->start_distance_m - w->speed_mps * (t_s - w->enter_s);
    if (fb_walker_stops(w) && d < w->stop_distance_m) {
        double arrive_s = w->enter_s + (w->start_distance_m - w->stop_distance_m) / w->speed_mps;
        if (t_s < arrive_s + w->dwell_s)
            d = w->stop_distance_m;
        else
            d = w->stop_distance_m - w->speed_mps * (t_s - arrive_s - w->dwell_s);
    }
    if (d <= w->exit_distance_m)
        return false;
    *distance_m = d;
    return true;
}

double fb_walker_time_at(const fb_walker *w, double distance_m)
{
    double t = w->enter_s + (w->start_distance_m - distance_m) / w->speed_mps;
    if (fb_walker_stops(w) && distance_m < w->stop_distance_m)
        t += w->dwell_s;
    return t;
}

bool fb_walker_same_lane(const fb_walker *a, const fb_walker *b, double body_w_m)
{
    return fabs(a->lateral_m - b->lateral_m) < body_w_m;
}

double fb_walker_follow(const fb_walker *w, double from_clock_s, double to_clock_s,
                        double min_distance_m)
{
    double d;
    /* Free: not there yet, the plan keeps the gap, or the gap ends beyond the exit. Past the
     * exit while the person ahead is still in the scene is not free: it would pass them. */
    if (to_clock_s < w->enter_s || min_distance_m <= w->exit_distance_m ||
        (fb_walker_distance(w, to_clock_s, &d) && d >= min_distance_m))
        return to_clock_s;
    if (min_distance_m > w->start_distance_m)
        return from_clock_s; /* the entrance is not clear: wait outside */
    /* The latest clock at min_distance_m: at the mark itself, the end of the dwell. */
    double c = fb_walker_time_at(w, min_distance_m);
    if (fb_walker_stops(w) && min_distance_m == w->stop_distance_m)
        c += w->dwell_s;
    return fmin(fmax(c, from_clock_s), to_clock_s);
}

double fb_walker_head_z(const fb_walker *w)
{
    return w->height_m - HEAD_CENTRE_BELOW_TOP_M;
}

double fb_walker_yaw_deg(const fb_walker *w, double t_s)
{
    double yaw = 0.0;
    for (size_t i = 0; i < w->n_turns && i < FB_WALKER_MAX_TURNS; i++) {
        const fb_head_turn *h = &w->turns[i];
        double x = (t_s - h->peak_s) / h->duration_s; /* -0.5 .. 0.5 inside the turn */
        if (h->duration_s > 0 && x > -0.5 && x < 0.5)
            yaw += h->yaw_deg * 0.5 * (1.0 + cos(2.0 * WALKER_PI * x));
    }
    return fmin(fmax(yaw, -90.0), 90.0);
}
