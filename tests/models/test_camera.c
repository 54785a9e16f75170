/* test_camera.c — pinhole projection with pitch tilt: focal length, principal point, field-of-view edges, tilt direction and range errors. */
#include <math.h>
#include "camera.h"
#include "fb_error.h"
#include "fbtest.h"

#define DEG 0.017453292519943295769

int main(void)
{
    fb_camera_geom g;
    double u = -1, v = -1, depth = -1;

    /* 256 px, HFOV 24.7°: f = 128 / tan(12.35°) = 584.61 px. */
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 24.7, 1.6, 0.0), FB_OK);
    CHECK_NEAR(g.focal_px, 128.0 / tan(12.35 * DEG), 1e-9);
    CHECK_NEAR(g.focal_px, 584.61, 0.005);
    CHECK(g.cx == 128.0 && g.cy == 96.0);

    /* On the axis: the principal point. */
    CHECK(fb_camera_project(&g, 0.0, 3.0, 1.6, &u, &v, &depth));
    CHECK_NEAR(u, 128.0, 1e-12);
    CHECK_NEAR(v, 96.0, 1e-12);
    CHECK_NEAR(depth, 3.0, 1e-12);
    /* Edges of the horizontal field of view land on u = 0 and u = width. */
    double x_edge = 3.0 * tan(12.35 * DEG);
    CHECK(fb_camera_project(&g, x_edge, 3.0, 1.6, &u, &v, &depth));
    CHECK_NEAR(u, 256.0, 1e-9);
    CHECK(fb_camera_project(&g, -x_edge, 3.0, 1.6, &u, &v, &depth));
    CHECK_NEAR(u, 0.0, 1e-9);
    /* 0.1 m above the axis at 2.5 m: 0.1 * 584.61 / 2.5 = 23.4 px above the centre (smaller v). */
    CHECK(fb_camera_project(&g, 0.0, 2.5, 1.7, &u, &v, &depth));
    CHECK_NEAR(v, 96.0 - 0.1 * g.focal_px / 2.5, 1e-9);
    /* Behind the camera or within 1 cm of it: not projected, outputs untouched. */
    u = v = depth = -1;
    CHECK(!fb_camera_project(&g, 0.0, -1.0, 1.6, &u, &v, &depth));
    CHECK(!fb_camera_project(&g, 0.0, 0.005, 1.6, &u, &v, &depth));
    CHECK(u == -1 && v == -1 && depth == -1);

    /* Tilted 10° down: a point on the tilted axis projects to the centre; a point at camera
     * height moves up in the image (v < cy) by f tan(10°). */
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 24.7, 2.0, 10.0), FB_OK);
    double y = 3.0 * cos(10 * DEG), z = 2.0 - 3.0 * sin(10 * DEG);
    CHECK(fb_camera_project(&g, 0.0, y, z, &u, &v, &depth));
    CHECK_NEAR(u, 128.0, 1e-9);
    CHECK_NEAR(v, 96.0, 1e-9);
    CHECK_NEAR(depth, 3.0, 1e-12);
    CHECK(fb_camera_project(&g, 0.0, 4.0, 2.0, &u, &v, &depth));
    CHECK(v < 96.0);
    CHECK_NEAR(v, 96.0 - g.focal_px * tan(10 * DEG), 1e-9);
    CHECK_NEAR(depth, 4.0 * cos(10 * DEG), 1e-12);
    /* Upward tilt works the other way. */
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 24.7, 2.0, -10.0), FB_OK);
    CHECK(fb_camera_project(&g, 0.0, 4.0, 2.0, &u, &v, NULL));
    CHECK_NEAR(v, 96.0 + g.focal_px * tan(10 * DEG), 1e-9);

    /* Range errors. */
    CHECK_EQ_INT(fb_camera_geom_init(&g, 7, 192, 24.7, 2.0, 0.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 4097, 24.7, 2.0, 0.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 1.0, 2.0, 0.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 170.0, 2.0, 0.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 24.7, 2.0, 45.5), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, 24.7, 2.0, -46.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 256, 192, NAN, 2.0, 0.0), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_camera_geom_init(&g, 8, 8, 169.9, 2.0, 45.0), FB_OK);
    return FBTEST_END();
}
