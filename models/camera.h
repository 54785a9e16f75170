/* camera.h — where the camera is and how it projects the room onto pixels (pinhole, pitch tilt). */
#ifndef FB_CAMERA_H
#define FB_CAMERA_H

#include <stdbool.h>

/* World frame: x lateral (+ image right), y forward along the lane (distance from the camera's
 * foot), z up from the floor. The camera sits at (0, 0, height_m) and looks along +y, pitched
 * down by tilt_deg. Pixel (0,0) is the top-left corner of the top-left pixel; pixel centres
 * are at half-integers. */
typedef struct fb_camera_geom {
    int width, height;   /* pixels */
    double hfov_deg;     /* horizontal field of view */
    double height_m;     /* mounting height */
    double tilt_deg;     /* pitch down, >= 0 looks at the floor */
    /* derived by fb_camera_geom_init: */
    double focal_px;     /* (width / 2) / tan(hfov / 2) */
    double cx, cy;       /* principal point: width / 2, height / 2 */
    double cos_t, sin_t;
} fb_camera_geom;

/* Returns FB_ERR_RANGE unless width, height in 8..4096, hfov in (1, 170), tilt in [-45, 45]. */
int fb_camera_geom_init(fb_camera_geom *g, int width, int height, double hfov_deg, double height_m,
                        double tilt_deg);

/* Projects world point (x, y, z) in metres. Returns false when it is behind the camera
 * (depth <= 1 cm). depth_m is the distance along the optical axis, used for scale:
 * an object of size s metres in a plane facing the camera spans s * focal_px / depth px. */
#define FB_CAMERA_MIN_DEPTH_M 0.01 /* nearer than this along the axis is behind the camera */
/* Inline: the 3D renderer projects every vertex of every person each frame. */
static inline bool fb_camera_project(const fb_camera_geom *g, double x_m, double y_m, double z_m,
                                     double *u_px, double *v_px, double *depth_m)
{
    /* Camera frame: axis = (0, cos t, -sin t), up = (0, sin t, cos t), right = (1, 0, 0).
     * On false the outputs are not written. Any output pointer may be NULL. */
    double pz = z_m - g->height_m;
    double depth = y_m * g->cos_t - pz * g->sin_t;
    if (!(depth > FB_CAMERA_MIN_DEPTH_M))
        return false;
    double up = y_m * g->sin_t + pz * g->cos_t;
    if (u_px)
        *u_px = g->cx + g->focal_px * x_m / depth;
    if (v_px)
        *v_px = g->cy - g->focal_px * up / depth;
    if (depth_m)
        *depth_m = depth;
    return true;
}

#endif
