/* walker.c — straight-line, constant-speed approach of a person toward the camera. */
#include "walker.h"

/* Head centre below standing height: half a 0.23 m head (body.h) plus a little hair. */
#define HEAD_CENTRE_BELOW_TOP_M 0.12

bool fb_walker_distance(const fb_walker *w, double t_s, double *distance_m)
{
    if (t_s < w->enter_s)
        return false;
    double d = w->start_distance_m - w->speed_mps * (t_s - w->enter_s);
    if (d <= w->exit_distance_m)
        return false;
    *distance_m = d;
    return true;
}

double fb_walker_time_at(const fb_walker *w, double distance_m)
{
    return w->enter_s + (w->start_distance_m - distance_m) / w->speed_mps;
}

double fb_walker_head_z(const fb_walker *w)
{
    return w->height_m - HEAD_CENTRE_BELOW_TOP_M;
}
