/* body.h — the frontal thermal template of a person: shapes in metres around the head centre. */
#ifndef FB_BODY_H
#define FB_BODY_H

#include <stdbool.h>
#include <stddef.h>

/* The region a shape belongs to; the renderer maps it to a temperature (physiology.h).
 * Append only (the renderer and the tests index by it). */
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
    FB_REGION_LENS,        /* spectacle lenses and frame (opaque in LWIR) */
    FB_REGION_MASK,        /* face mask over nose and mouth */
    FB_REGION_HAT,         /* cap over the head top and upper forehead */
    FB_REGION_CUP,         /* a hot drink held in the hand (not part of the head) */
    FB_REGION_COUNT
} fb_region;

/* Whether a region is part of the head (the face box; the renderer counts its visible pixels). */
bool fb_region_is_head(fb_region reg);

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

/* What the person wears or carries and where they look. All zero: the frontal template. */
typedef struct fb_body_pose {
    double yaw_deg; /* head yaw [-90, 90]; + turns the face toward the image right */
    bool glasses;   /* spectacles over both eyes (cover the inner canthi) */
    bool mask;      /* face mask over nose, mouth and chin */
    bool hat;       /* cap over the head top and the upper forehead */
    bool cup;       /* a cup held in the image-right hand at chest height */
} fb_body_pose;

/* Writes the person's shapes back-to-front (later shapes paint over earlier ones): torso,
 * hands, neck, head skin, hair cap, forehead, cheeks, nose, periorbital, both canthi.
 * canthus_max_on_right: which side is hotter (image right when true). Returns the number of
 * shapes (at most FB_BODY_MAX_SHAPES). The face box (truth) is the head ellipse's extent. */
#define FB_BODY_MAX_SHAPES 24
size_t fb_body_shapes(const fb_body_dims *d, int canthus_max_on_right, fb_shape *out);

/* The same template posed: face features turned by pose->yaw_deg on a head modelled as a
 * vertical cylinder of the head's half-width (features move toward the turn and narrow; parts
 * turned past 90° vanish; the back of the head shows as hair on the other side; from a few
 * degrees on the nasal bridge, 8 mm proud of the cylinder and 12 mm wide, slides over the inner
 * canthus on the side the face turns to from about 28° and hides it by 55°), then what the person
 * wears (mask, glasses, hat) and carries (cup, with the hand holding it). With a zero pose the
 * output equals fb_body_shapes exactly. */
size_t fb_body_shapes_posed(const fb_body_dims *d, int canthus_max_on_right,
                            const fb_body_pose *pose, fb_shape *out);

#endif
