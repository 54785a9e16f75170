/* body.c — the frontal thermal template of a person as painter-ordered shapes around the head
 * centre. */
#include <math.h>
#include "body.h"

void fb_body_defaults(fb_body_dims *d)
{
    /* An adult: head 16 cm wide x 23 cm tall, shoulders 45 cm, torso 65 cm (our round
     * anthropometric numbers). Canthus hot spot 12 x 8 mm, inner canthi 32 mm apart (typical
     * adult intercanthal distance ~30-34 mm). */
    d->head_w_m = 0.16;
    d->head_h_m = 0.23;
    d->shoulder_w_m = 0.45;
    d->torso_h_m = 0.65;
    d->canthus_w_m = 0.012;
    d->canthus_h_m = 0.008;
    d->canthus_sep_m = 0.032;
}

static fb_shape shape(fb_shape_kind kind, fb_region region, double dx_m, double dz_m,
                      double half_w_m, double half_h_m)
{
    fb_shape s;
    s.kind = kind;
    s.region = region;
    s.dx_m = dx_m;
    s.dz_m = dz_m;
    s.half_w_m = half_w_m;
    s.half_h_m = half_h_m;
    return s;
}

bool fb_region_is_head(fb_region reg)
{
    return reg != FB_REGION_CLOTHING && reg != FB_REGION_HANDS && reg != FB_REGION_NECK &&
           reg != FB_REGION_CUP && reg < FB_REGION_COUNT;
}

#define BODY_PI 3.14159265358979323846
/* The nasal bridge at eye level stands this far proud of the head cylinder through the canthi,
 * and is this wide (half): our round numbers for an adult nose (bridge ~12 mm wide, inner
 * canthi recessed ~1 cm behind it). */
#define BRIDGE_PROUD_M  0.008
#define BRIDGE_HALF_W_M 0.006
/* The nose tip stands further out. */
#define NOSE_PROUD_M 0.015

/* Turns a face feature spanning [x0, x1] (frontal metres) on a cylinder of radius a by yaw
 * (radians): each edge at angle asin(x / a) moves to a sin(angle + yaw), cut at the limb (90°).
 * Returns false when the feature has turned out of sight. */
static bool turn_span(double a, double x0, double x1, double yaw, double *c, double *hw)
{
    double t0 = asin(fmax(-1.0, fmin(1.0, x0 / a))) + yaw;
    double t1 = asin(fmax(-1.0, fmin(1.0, x1 / a))) + yaw;
    const double lim = BODY_PI / 2;
    if (t0 >= lim || t1 <= -lim)
        return false;
    double u0 = a * sin(fmax(t0, -lim)), u1 = a * sin(fmin(t1, lim));
    if (!(u1 > u0))
        return false;
    *c = (u0 + u1) / 2;
    *hw = (u1 - u0) / 2;
    return true;
}

/* Appends a face feature, turned by yaw when yaw is not zero (exactly the frontal shape then). */
static void add_feature(fb_shape *out, size_t *n, double a, double yaw, fb_shape s)
{
    if (yaw != 0.0) {
        double c, hw;
        if (!turn_span(a, s.dx_m - s.half_w_m, s.dx_m + s.half_w_m, yaw, &c, &hw))
            return;
        s.dx_m = c;
        s.half_w_m = hw;
    }
    out[(*n)++] = s;
}

/* A feature standing proud of the cylinder by p (nose): its centre moves by (a + p) sin(yaw),
 * its width narrows by cos(yaw). */
static fb_shape proud(fb_shape s, double a, double p, double yaw)
{
    if (yaw != 0.0) {
        s.dx_m = s.dx_m * cos(yaw) + (a + p) * sin(yaw);
        s.half_w_m *= cos(yaw);
    }
    return s;
}

size_t fb_body_shapes(const fb_body_dims *d, int canthus_max_on_right, fb_shape *out)
{
    const fb_body_pose frontal = {0};
    return fb_body_shapes_posed(d, canthus_max_on_right, &frontal, out);
}

size_t fb_body_shapes_posed(const fb_body_dims *d, int canthus_max_on_right,
                            const fb_body_pose *pose, fb_shape *out)
{
    /* Face features are laid out for the default 0.16 x 0.23 m head and scale with it:
     * x by sx, z by sz (the numbers below are metres on the default head). */
    const double sx = d->head_w_m / 0.16, sz = d->head_h_m / 0.23;
    const double shoulder_dz = -0.20 * sz; /* shoulders below the head centre; the neck bridges */
    const double eye_dz = 0.02 * sz;       /* eye level above the head centre */
    const double hip_dz = shoulder_dz - d->torso_h_m;
    const double a = d->head_w_m / 2; /* head cylinder radius */
    const double yaw_deg = fmax(-90.0, fmin(90.0, pose->yaw_deg));
    const double yaw = yaw_deg * (BODY_PI / 180.0);
    const double cup_dx = d->shoulder_w_m / 2 - 0.055 * sx; /* cup in front of the right chest */
    const double cup_dz = shoulder_dz - 0.22 * sz;
    size_t n = 0;

    /* Torso (clothing) from the shoulders down to the hips. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_CLOTHING, 0.0, shoulder_dz - d->torso_h_m / 2,
                     d->shoulder_w_m / 2, d->torso_h_m / 2);
    /* Hands hanging beside the hips; a hand holding a cup is raised to the chest. */
    for (int side = -1; side <= 1; side += 2) {
        if (side == 1 && pose->cup)
            out[n++] = shape(FB_SHAPE_RECT, FB_REGION_HANDS, cup_dx, cup_dz - 0.045 * sz,
                             0.045 * sx, 0.04 * sz);
        else
            out[n++] =
                shape(FB_SHAPE_RECT, FB_REGION_HANDS, side * (d->shoulder_w_m / 2 + 0.04 * sx),
                      hip_dz, 0.04 * sx, 0.06 * sz);
    }
    /* Neck: from inside the head's lower part down to just over the shoulder line. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_NECK, 0.0, -0.155 * sz, 0.05 * sx, 0.055 * sz);
    /* Head skin: the face's base (jaw, ears, chin), painted over by the features below. */
    out[n++] =
        shape(FB_SHAPE_ELLIPSE, FB_REGION_CHEEKS, 0.0, 0.0, d->head_w_m / 2, d->head_h_m / 2);
    /* Hair cap: top of the head, temples and sideburns (spans -0.045 .. +0.125 m). */
    out[n++] = shape(FB_SHAPE_ELLIPSE, FB_REGION_HAIR, 0.0, 0.04 * sz, 0.085 * sx, 0.085 * sz);
    /* A turned head shows the hair of its back on the side it turns from: [-a, -a cos(yaw)]. */
    if (yaw != 0.0) {
        double hw = a * (1.0 - cos(yaw)) / 2;
        double side = yaw > 0 ? -1.0 : 1.0;
        out[n++] =
            shape(FB_SHAPE_ELLIPSE, FB_REGION_HAIR, side * (a - hw), 0.01 * sz, hw, 0.10 * sz);
    }
    /* Forehead below the hairline (+0.03 .. +0.08 m). */
    add_feature(out, &n, a, yaw,
                shape(FB_SHAPE_RECT, FB_REGION_FOREHEAD, 0.0, 0.055 * sz, 0.05 * sx, 0.025 * sz));
    /* Cheeks: the lower face, uncovering the skin inside the sideburns (-0.07 .. +0.03 m). */
    add_feature(out, &n, a, yaw,
                shape(FB_SHAPE_ELLIPSE, FB_REGION_CHEEKS, 0.0, -0.02 * sz, 0.065 * sx, 0.05 * sz));
    /* Nose: bridge to tip; its top is hidden under the periorbital band. */
    out[n++] = proud(shape(FB_SHAPE_RECT, FB_REGION_NOSE, 0.0, -0.015 * sz, 0.012 * sx, 0.022 * sz),
                     a, NOSE_PROUD_M * sx, yaw);
    /* Periorbital band across both eyes. */
    add_feature(out, &n, a, yaw,
                shape(FB_SHAPE_RECT, FB_REGION_PERIORBITAL, 0.0, eye_dz, 0.055 * sx, 0.015 * sz));
    /* The two inner canthi at eye level, canthus_sep_m apart (centre to centre). */
    double right = d->canthus_sep_m / 2, left = -right;
    add_feature(out, &n, a, yaw,
                shape(FB_SHAPE_RECT, FB_REGION_CANTHUS_MAX, canthus_max_on_right ? right : left,
                      eye_dz, d->canthus_w_m / 2, d->canthus_h_m / 2));
    add_feature(out, &n, a, yaw,
                shape(FB_SHAPE_RECT, FB_REGION_CANTHUS_MIN, canthus_max_on_right ? left : right,
                      eye_dz, d->canthus_w_m / 2, d->canthus_h_m / 2));
    /* A turned face: the nasal bridge (periorbital skin) in front of the canthi. */
    if (yaw != 0.0)
        out[n++] = proud(shape(FB_SHAPE_RECT, FB_REGION_PERIORBITAL, 0.0, eye_dz,
                               BRIDGE_HALF_W_M * sx, 0.015 * sz),
                         a, BRIDGE_PROUD_M * sx, yaw);
    /* Mask: from the nose bridge below the eyes to the chin (-0.107 .. -0.003 m). */
    if (pose->mask)
        add_feature(
            out, &n, a, yaw,
            shape(FB_SHAPE_ELLIPSE, FB_REGION_MASK, 0.0, -0.055 * sz, 0.064 * sx, 0.052 * sz));
    /* Glasses: two lenses 48 x 34 mm from 8 to 56 mm either side of the midline (over the
     * inner canthi at 10-22 mm) and the frame's bridge above the nose. */
    if (pose->glasses) {
        for (int side = -1; side <= 1; side += 2)
            add_feature(out, &n, a, yaw,
                        shape(FB_SHAPE_RECT, FB_REGION_LENS, side * 0.032 * sx, eye_dz, 0.024 * sx,
                              0.017 * sz));
        out[n++] = proud(
            shape(FB_SHAPE_RECT, FB_REGION_LENS, 0.0, eye_dz + 0.012 * sz, 0.008 * sx, 0.003 * sz),
            a, BRIDGE_PROUD_M * sx, yaw);
    }
    /* Hat: a knitted cap over the forehead above +0.05 m (a band to +0.09 m) and a dome over the
     * head top (to +0.13 m). */
    if (pose->hat) {
        out[n++] = shape(FB_SHAPE_RECT, FB_REGION_HAT, 0.0, 0.07 * sz, 0.086 * sx, 0.02 * sz);
        out[n++] = shape(FB_SHAPE_ELLIPSE, FB_REGION_HAT, 0.0, 0.09 * sz, 0.086 * sx, 0.04 * sz);
    }
    /* Cup: 8 x 11 cm, held at chest height in front of the clothing. */
    if (pose->cup)
        out[n++] = shape(FB_SHAPE_RECT, FB_REGION_CUP, cup_dx, cup_dz, 0.04 * sx, 0.055 * sz);
    return n;
}
