/* region.h — measurement regions on the thermal image, as thermal analysis software has them:
 * a box, an ellipse or a line, with the minimum, maximum, mean and standard deviation of the
 * temperatures inside (on the line: along it). Pure functions over a centikelvin frame. */
#ifndef FB_VREGION_H
#define FB_VREGION_H

#include <stddef.h>
#include <stdint.h>

typedef enum fb_vregion_kind {
    FB_VREGION_BOX = 0,
    FB_VREGION_ELLIPSE,
    FB_VREGION_LINE,
    FB_VREGION_KINDS
} fb_vregion_kind;

/* Corners (box), the bounding box's corners (ellipse) or the ends (line), in camera pixel
 * coordinates: pixel (i, j) covers [i, i + 1) x [j, j + 1), its centre at (i + 0.5, j + 0.5). */
typedef struct fb_vregion {
    fb_vregion_kind kind;
    double x0, y0, x1, y1;
} fb_vregion;

typedef struct fb_vregion_stats {
    size_t n;                 /* pixels (line: samples, one per pixel of length, ends included) */
    double min_c, max_c, mean_c;
    double sd_c;              /* sample standard deviation (n - 1); 0 for one pixel */
    int max_x, max_y;         /* where the maximum is (the first in row order) */
} fb_vregion_stats;

/* The statistics of frame ck (w x h) over region r: a box or an ellipse takes the pixels whose
 * centres lie inside it (an ellipse inscribed in the box of the two corners), a line samples the
 * nearest pixel every pixel of its length. Returns 0, or -1 when no pixel is inside. */
int fb_vregion_measure(const fb_vregion *r, const uint16_t *ck, int w, int h, fb_vregion_stats *out);

/* "box", "ellipse", "line" */
const char *fb_vregion_name(fb_vregion_kind k);

#endif
