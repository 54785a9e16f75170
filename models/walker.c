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
