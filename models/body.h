/* body.h — the frontal thermal template of a person: shapes in metres around the head centre. */
#ifndef FB_BODY_H
#define FB_BODY_H

#include <stddef.h>

/* The region a shape belongs to; the renderer maps it to a temperature (physiology.h). */
typedef enum fb_region {
    FB_REGION_CLOTHING = 0,
    FB_REGION_HANDS,
    FB_REGION_NECK,
    FB_REGION_HAIR,
    FB_REGION_CHEEKS, /* the face's base skin */
    FB_REGION_FOREHEAD,
    FB_REGION_NOSE,
    FB_REGION_PERIORBITAL,
    FB_REGION_CANTHUS_MAX, /* hotter inner canthus */
    FB_REGION_CANTHUS_MIN, /* the other one */
    FB_REGION_COUNT
} fb_region;

typedef enum fb_shape_kind { FB_SHAPE_RECT = 0, FB_SHAPE_ELLIPSE = 1 } fb_shape_kind;

/* An axis-aligned shape in the plane facing the camera. Offsets from the head centre in
 * metres: dx_m to the person's left as seen by the camera is negative (image left), dz_m up. */
typedef struct fb_shape {
    fb_shape_kind kind;
    fb_region region;
    double dx_m, dz_m;         /* centre */
    double half_w_m, half_h_m; /* half extents (ellipse semi-axes) */
} fb_shape;

/* Body dimensions; fb_body_defaults() gives an adult (head 0.16 x 0.23 m). */
typedef struct fb_body_dims {
    double head_w_m;      /* 0.16 */
    double head_h_m;      /* 0.23 */
    double shoulder_w_m;  /* 0.45 */
    double torso_h_m;     /* 0.65: shoulders to hips */
    double canthus_w_m;   /* 0.012: hot spot at each inner canthus */
    double canthus_h_m;   /* 0.008 */
    double canthus_sep_m; /* 0.032: between the two inner canthi */
} fb_body_dims;

void fb_body_defaults(fb_body_dims *d);

/* Writes the person's shapes back-to-front (later shapes paint over earlier ones): torso,
 * hands, neck, head skin, hair cap, forehead, cheeks, nose, periorbital, both canthi.
 * canthus_max_on_right: which side is hotter (image right when true). Returns the number of
 * shapes (at most FB_BODY_MAX_SHAPES). The face box (truth) is the head ellipse's extent. */
#define FB_BODY_MAX_SHAPES 16
size_t fb_body_shapes(const fb_body_dims *d, int canthus_max_on_right, fb_shape *out);

#endif
