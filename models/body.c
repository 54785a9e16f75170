/* body.c — the frontal thermal template of a person as painter-ordered shapes around the head centre. */
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

size_t fb_body_shapes(const fb_body_dims *d, int canthus_max_on_right, fb_shape *out)
{
    /* Face features are laid out for the default 0.16 x 0.23 m head and scale with it:
     * x by sx, z by sz (the numbers below are metres on the default head). */
    const double sx = d->head_w_m / 0.16, sz = d->head_h_m / 0.23;
    const double shoulder_dz = -0.20 * sz; /* shoulders below the head centre; the neck bridges */
    const double eye_dz = 0.02 * sz;       /* eye level above the head centre */
    const double hip_dz = shoulder_dz - d->torso_h_m;
    size_t n = 0;

    /* Torso (clothing) from the shoulders down to the hips. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_CLOTHING, 0.0, shoulder_dz - d->torso_h_m / 2,
                     d->shoulder_w_m / 2, d->torso_h_m / 2);
    /* Hands hanging beside the hips. */
    for (int side = -1; side <= 1; side += 2)
        out[n++] = shape(FB_SHAPE_RECT, FB_REGION_HANDS, side * (d->shoulder_w_m / 2 + 0.04 * sx),
                         hip_dz, 0.04 * sx, 0.06 * sz);
    /* Neck: from inside the head's lower part down to just over the shoulder line. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_NECK, 0.0, -0.155 * sz, 0.05 * sx, 0.055 * sz);
    /* Head skin: the face's base (jaw, ears, chin), painted over by the features below. */
    out[n++] = shape(FB_SHAPE_ELLIPSE, FB_REGION_CHEEKS, 0.0, 0.0, d->head_w_m / 2,
                     d->head_h_m / 2);
    /* Hair cap: top of the head, temples and sideburns (spans -0.045 .. +0.125 m). */
    out[n++] = shape(FB_SHAPE_ELLIPSE, FB_REGION_HAIR, 0.0, 0.04 * sz, 0.085 * sx, 0.085 * sz);
    /* Forehead below the hairline (+0.03 .. +0.08 m). */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_FOREHEAD, 0.0, 0.055 * sz, 0.05 * sx, 0.025 * sz);
    /* Cheeks: the lower face, uncovering the skin inside the sideburns (-0.07 .. +0.03 m). */
    out[n++] = shape(FB_SHAPE_ELLIPSE, FB_REGION_CHEEKS, 0.0, -0.02 * sz, 0.065 * sx, 0.05 * sz);
    /* Nose: bridge to tip; its top is hidden under the periorbital band. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_NOSE, 0.0, -0.015 * sz, 0.012 * sx, 0.022 * sz);
    /* Periorbital band across both eyes. */
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_PERIORBITAL, 0.0, eye_dz, 0.055 * sx, 0.015 * sz);
    /* The two inner canthi at eye level, canthus_sep_m apart (centre to centre). */
    double right = d->canthus_sep_m / 2, left = -right;
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_CANTHUS_MAX, canthus_max_on_right ? right : left,
                     eye_dz, d->canthus_w_m / 2, d->canthus_h_m / 2);
    out[n++] = shape(FB_SHAPE_RECT, FB_REGION_CANTHUS_MIN, canthus_max_on_right ? left : right,
                     eye_dz, d->canthus_w_m / 2, d->canthus_h_m / 2);
    return n;
}
