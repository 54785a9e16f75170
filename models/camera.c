/* camera.c — pinhole projection of room coordinates onto the sensor, with the camera pitched down. */
#include <math.h>
#include "camera.h"
#include "fb_error.h"

#define FB_DEG_TO_RAD 0.017453292519943295769

int fb_camera_geom_init(fb_camera_geom *g, int width, int height, double hfov_deg, double height_m,
                        double tilt_deg)
{
    if (!g)
        return FB_ERR_ARG;
    if (width < 8 || width > 4096 || height < 8 || height > 4096)
        return FB_ERR_RANGE;
    if (!(hfov_deg > 1.0 && hfov_deg < 170.0) || !(tilt_deg >= -45.0 && tilt_deg <= 45.0) ||
        !isfinite(height_m))
        return FB_ERR_RANGE;
    g->width = width;
    g->height = height;
    g->hfov_deg = hfov_deg;
    g->height_m = height_m;
    g->tilt_deg = tilt_deg;
    g->focal_px = ((double)width / 2.0) / tan(hfov_deg * FB_DEG_TO_RAD / 2.0);
    g->cx = (double)width / 2.0;
    g->cy = (double)height / 2.0;
    g->cos_t = cos(tilt_deg * FB_DEG_TO_RAD);
    g->sin_t = sin(tilt_deg * FB_DEG_TO_RAD);
    return FB_OK;
}
