/* figure.c — builds a person's 3D meshes (parametric head with features and hair, tube body,
 * worn and carried items), their temperature-zone weights, and poses them for a frame. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "figure.h"

#define FIG_PI 3.14159265358979323846
#define DEG (FIG_PI / 180.0)

bool fb_part_is_head(fb_part p)
{
    return p == FB_PART_FACE || p == FB_PART_LENS || p == FB_PART_MASK || p == FB_PART_HAT;
}

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* fmax(a, b) for numbers (never NaN here), inline: what glibc's fmax gives on x86 (maxsd: b
 * where the two compare equal). */
static double maxd(double a, double b)
{
    return a > b ? a : b;
}

/* 0 at e0, 1 at e1 (either way round), smoothly between. Where the numerator's sign or size
 * settles the clamp, the division is not made: a quotient at or below 0 gives +0 (clamped, or
 * +-0 squared), at or above 1 gives 1, so the answer is what the division would have led to. */
static double smooth(double e0, double e1, double x)
{
    const double num = x - e0, den = e1 - e0;
    if (den > 0.0) {
        if (num <= 0.0)
            return 0.0;
        if (num >= den)
            return 1.0;
    } else if (den < 0.0) {
        if (num >= 0.0)
            return 0.0;
        if (num <= den)
            return 1.0;
    }
    double t = clampd(num / den, 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

/* exp(x) for the falloffs of the head's features: below -40 (4e-18) the term is nothing a
 * vertex can show (a radius in metres, a zone weight near 1, both rounded to float), so exp is
 * not called; most features are far from most grid nodes, and exp was a third of a build. */
static double falloff(double x)
{
    return x < -40.0 ? 0.0 : exp(x);
}

/* falloff(-0.5 * pow(q, 2)), 0 without the pow or the exp where |q| > 9: there q * q > 81, so
 * pow's answer (within an ulp of it, 81 a double) is at least 81 and the argument at most -40.5. */
static double falloff_sq(double q)
{
    return fabs(q) > 9.0 ? 0.0 : falloff(-0.5 * pow(q, 2));
}

/* 0 without a division or an exp where either quotient is over 80: a square over 81 times its
 * scale's (that product rounded, within an ulp of it) makes the quotient at least 80.99..., the
 * sum (of two terms >= 0) no smaller, the argument under -40, where falloff gives 0 anyway. */
static double gauss2(double dx, double sx, double dz, double sz)
{
    const double qx = dx * dx, sx2 = sx * sx, qz = dz * dz, sz2 = sz * sz;
    if (qx > 81.0 * sx2 || qz > 81.0 * sz2)
        return 0.0;
    return falloff(-0.5 * (qx / sx2 + qz / sz2));
}

/* gauss2 where it is to be multiplied by face: 0 without an exp where face is 0 (the back of the
 * head, half its grid nodes), the same product either way (face * gauss2 is +0 there). */
static double face_gauss2(double face, double dx, double sx, double dz, double sz)
{
    return face == 0.0 ? 0.0 : gauss2(dx, sx, dz, sz);
}

/* ---- the look ------------------------------------------------------------------------------ */

static double nrm(fb_rng *r, double mean, double sd, double lo, double hi)
{
    return clampd(fb_rng_normal_ms(r, mean, sd), lo, hi);
}

void fb_figure_draw(fb_rng *r, double height_m, fb_figure_look *lk, fb_body_dims *dims)
{
    /* Anthropometry: our round numbers after adult head and body surveys (head breadth ~15 cm,
     * length ~19 cm, chin-vertex ~23 cm, men ~4 % larger than women; intercanthal distance
     * 30-34 mm; palpebral fissure ~30 mm; ear length ~6 cm). Fixed draw order. */
    memset(lk, 0, sizeof(*lk));
    lk->female = fb_rng_uniform(r) < 0.5;
    lk->age_y = 18.0 + 57.0 * fb_rng_uniform(r);
    double sexf = lk->female ? 0.96 : 1.0;
    double hs = clampd(height_m / 1.72, 0.85, 1.15);
    double hsz = 0.55 + 0.45 * hs; /* heads scale less than bodies */
    lk->head_w_m = nrm(r, 0.153, 0.006, 0.135, 0.170) * sexf * hsz;
    lk->head_d_m = nrm(r, 0.193, 0.008, 0.170, 0.215) * sexf * hsz;
    lk->head_h_m = nrm(r, 0.230, 0.009, 0.205, 0.255) * sexf * hsz;
    lk->jaw_w = nrm(r, lk->female ? 0.74 : 0.80, 0.04, 0.66, 0.90);
    lk->chin_m = nrm(r, lk->female ? 0.006 : 0.008, 0.002, 0.002, 0.012);
    lk->nose_len_m = nrm(r, 0.050, 0.004, 0.040, 0.060) * sexf;
    lk->nose_proj_m = nrm(r, 0.021, 0.003, 0.014, 0.028) * sexf;
    lk->nose_w_m = nrm(r, 0.034, 0.003, 0.028, 0.042) * sexf;
    lk->brow_m = nrm(r, lk->female ? 0.004 : 0.007, 0.0015, 0.002, 0.010);
    lk->canthus_sep_m = nrm(r, 0.032, 0.0025, 0.027, 0.038);
    lk->eye_w_m = nrm(r, 0.030, 0.002, 0.026, 0.034);
    lk->ear_m = nrm(r, lk->female ? 0.058 : 0.063, 0.004, 0.050, 0.072);
    lk->lip_m = nrm(r, lk->female ? 0.0055 : 0.0045, 0.001, 0.0025, 0.0075);
    double u = fb_rng_uniform(r);
    double bald_p = lk->female ? 0.0 : clampd((lk->age_y - 30.0) / 90.0, 0.0, 0.4);
    double long_p = lk->female ? 0.6 : 0.08;
    lk->hair = u < bald_p ? FB_HAIR_BALD : u < bald_p + long_p ? FB_HAIR_LONG : FB_HAIR_SHORT;
    lk->beard = !lk->female && fb_rng_uniform(r) < 0.25;
    lk->hair_m = nrm(r, lk->hair == FB_HAIR_LONG ? 0.016 : 0.010, 0.004, 0.004, 0.025);
    lk->hairline_m = nrm(r, 0.050, 0.008, 0.035, 0.070);
    lk->recession = lk->female ? 0.0 : clampd(fb_rng_uniform(r) * (lk->age_y - 20.0) / 50.0, 0, 1);
    lk->shoulder_w_m = nrm(r, lk->female ? 0.40 : 0.46, 0.025, 0.34, 0.54) * hs;
    lk->hip_w_m = nrm(r, lk->female ? 0.37 : 0.35, 0.025, 0.29, 0.45) * hs;
    lk->chest_d_m = nrm(r, lk->female ? 0.22 : 0.24, 0.02, 0.18, 0.32) * hs;
    lk->neck_r_m = nrm(r, lk->female ? 0.050 : 0.058, 0.004, 0.042, 0.068);
    lk->short_sleeves = fb_rng_uniform(r) < 0.3;
    lk->jacket = fb_rng_uniform(r) < 0.4;
    lk->fold_phase = 2 * FIG_PI * fb_rng_uniform(r);
    lk->fold_m = 0.06 + 0.06 * fb_rng_uniform(r);
    lk->hair_seed = (uint32_t)(fb_rng_next(r) >> 32);
    lk->pitch_deg = nrm(r, 2.0, 4.0, -8.0, 12.0);
    lk->roll_deg = nrm(r, 0.0, 2.5, -7.0, 7.0);
    /* docs/sources.md (FDA study): oral - forehead max 1.67 +/- 0.47, oral - forehead centre
     * 2.59 +/- 0.69: the forehead's maximum (inner brows, temples; Haddad et al. 2016) stands
     * 0.92 °C above its centre on average. Our spread 0.35. */
    lk->forehead_max_c = nrm(r, 0.92, 0.35, 0.1, 2.0);
    /* The nose tip is the most variable region (Aristizabal-Tique 2023): 0..2 °C extra cooling. */
    lk->nose_cool_c = nrm(r, 0.5, 0.5, 0.0, 2.0);
    lk->breath_phase = 2 * FIG_PI * fb_rng_uniform(r);

    fb_body_defaults(dims);
    dims->head_w_m = lk->head_w_m + (lk->hair == FB_HAIR_BALD ? 0.0 : 2 * 0.6 * lk->hair_m);
    dims->head_h_m = lk->head_h_m + (lk->hair == FB_HAIR_BALD ? 0.0 : lk->hair_m);
    dims->shoulder_w_m = lk->shoulder_w_m;
    dims->canthus_sep_m = lk->canthus_sep_m;
}

double fb_figure_stride_m(double height_m)
{
    /* Step length ~0.41 x height at usual speed: a stride (two steps) 0.83 x height. */
    return 0.83 * height_m;
}

/* ---- the head's surface -------------------------------------------------------------------- */

/* Frame: head centre at the origin, face toward -y. Eye level FIG_EYE_Z above the centre. */
typedef struct headgeo {
    const fb_figure_look *lk;
    double A, B, C;   /* ellipsoid semi-axes: half breadth, half length, half height */
    double ze;        /* eye level */
    double xc;        /* inner canthus |x| */
    double xe;        /* eye centre |x| */
    double ztip;      /* nose tip height */
    double zmouth;
    double zchin;
} headgeo;

static void headgeo_init(headgeo *g, const fb_figure_look *lk)
{
    g->lk = lk;
    g->A = lk->head_w_m / 2;
    g->B = lk->head_d_m / 2;
    g->C = lk->head_h_m / 2;
    g->ze = 0.10 * g->C;
    g->xc = lk->canthus_sep_m / 2;
    g->xe = g->xc + lk->eye_w_m / 2;
    g->ztip = g->ze - lk->nose_len_m;
    g->zmouth = g->ze - 0.078 * (lk->head_h_m / 0.23);
    g->zchin = g->ze - 0.112 * (lk->head_h_m / 0.23);
}

static void dir_of(double az, double el, double d[3])
{
    d[0] = sin(az) * cos(el);
    d[1] = -cos(az) * cos(el);
    d[2] = sin(el);
}

/* Base skull: an ellipsoid, the lower face narrowed toward the jaw, the back of the lower head
 * drawn in where the neck begins. */
/* base_r's terms that depend on the height share d[2] alone: the same for a head grid's row. */
typedef struct baserow {
    double aa;      /* the jaw-narrowed half breadth, squared */
    double bb_back; /* the half length behind, squared */
    double front;   /* 0.10 x the lower face's drawing in at the front */
    double zq;      /* d[2]^2 / C^2 */
} baserow;

static void base_row(const headgeo *g, double zn, baserow *br)
{
    double a = g->A, b = g->B, c = g->C;
    double jaw = 1.0 - (1.0 - g->lk->jaw_w) * 0.6 * smooth(-0.1, -0.8, zn);
    a *= jaw;
    br->aa = a * a;
    b *= 1.0 - 0.25 * smooth(-0.2, -0.8, zn); /* back of the head: the occiput, then the nape */
    br->bb_back = b * b;
    br->front = 0.10 * smooth(-0.3, -0.9, zn);
    br->zq = zn * zn / (c * c);
}

/* base_r from its row's terms: the same operations in the same order, so the same bits. */
static double base_r_row(const headgeo *g, const baserow *br, const double d[3])
{
    double bb = br->bb_back;
    if (!(d[1] > 0)) {
        double b = g->B * (0.97 - br->front * (1 - smooth(0.0, 0.3, fabs(d[0]))));
        bb = b * b;
    }
    double q = d[0] * d[0] / br->aa + d[1] * d[1] / bb + br->zq;
    return 1.0 / sqrt(q);
}

static double base_r(const headgeo *g, const double d[3])
{
    baserow br;
    base_row(g, d[2], &br); /* d[2]: a rough height share */
    return base_r_row(g, &br, d);
}

/* Frontal position of a direction on the base skull: x to the right, z up (metres), and how much
 * the direction faces forward (1 straight ahead, 0 at the side). */
static double frontal_r(double r, const double d[3], double *x, double *z, double *ff)
{
    *x = r * d[0];
    *z = r * d[2];
    *ff = smooth(0.15, 0.5, -d[1] / sqrt(d[0] * d[0] + d[1] * d[1] + 1e-12));
    return r;
}

static double frontal(const headgeo *g, const double d[3], double *x, double *z, double *ff)
{
    return frontal_r(base_r(g, d), d, x, z, ff);
}

/* Where a grid node's direction lies on the face: frontal()'s answers, worked out once per node
 * and handed to everything that needs them (the skin, the hair, the zones). */
typedef struct fpos {
    double x, z, ff; /* frontal position (m) and how much it faces forward */
} fpos;

/* Outward displacement of the skin by the face's features at frontal (x, z). */
static double features(const headgeo *g, double x, double z, double ff)
{
    if (ff == 0.0)
        return 0.0; /* s * ff: a signed zero, which adds nothing to the radius it is added to */
    const fb_figure_look *lk = g->lk;
    double ax = fabs(x), s = 0.0;
    double zb = g->ze + 0.004; /* nasal bridge top */
    /* Brow ridge over both eyes, socket dents, eyeballs and upper lids. */
    s += lk->brow_m * gauss2(ax - 0.030, 0.022, z - (g->ze + 0.020), 0.007);
    s += -0.010 * gauss2(ax - g->xe, 0.016, z - (g->ze + 0.002), 0.011);
    s += 0.0065 * gauss2(ax - g->xe, 0.0105, z - g->ze, 0.0068);
    s += 0.0015 * gauss2(ax - g->xe, 0.012, z - (g->ze + 0.0075), 0.0025);
    /* Nose: a ridge from the bridge to the tip, wider toward the alae; tip ball; alae. */
    double len = lk->nose_len_m, t = (zb - z) / len;
    if (t > -0.3) {
        double w = 0.0055 + (lk->nose_w_m * 0.22) * clampd(t, 0.0, 1.0);
        double across = falloff(-0.5 * x * x / (w * w));
        /* where across is 0 the profile (finite, >= 0) times it is +0, which leaves s as it is
         * (s is never -0: it starts at +0 and a sum is -0 only of two -0s) */
        if (across != 0.0) {
            /* above the bridge (t < 0) only the last profile counts: the others not made */
            double prof = t < 0      ? lk->nose_proj_m * 0.3 * exp(t / 0.12)
                          : t <= 1.0 ? lk->nose_proj_m * (0.3 + 0.7 * pow(clampd(t, 0.0, 1.0), 1.2))
                                     : lk->nose_proj_m * falloff(-((t - 1.0) * len) / 0.006);
            s += prof * across;
        }
    }
    s += 0.003 * gauss2(x, 0.007, z - (g->ztip + 0.003), 0.006);
    s += 0.010 * gauss2(ax - lk->nose_w_m * 0.40, 0.0065, z - (g->ztip + 0.004), 0.006);
    /* Cheekbones, nasolabial folds. */
    s += 0.006 * gauss2(ax - 0.046, 0.018, z - (g->ze - 0.028), 0.016);
    s += -0.0015 * gauss2(ax - 0.028, 0.004, z - (g->ze - 0.060), 0.012);
    /* Lips and the mouth line; chin. */
    s += lk->lip_m * gauss2(x, 0.020, z - (g->zmouth + 0.007), 0.0045);
    s += lk->lip_m * 1.1 * gauss2(x, 0.017, z - (g->zmouth - 0.007), 0.005);
    s += -0.003 * gauss2(x, 0.023, z - g->zmouth, 0.0018);
    const double under_lip = 1.0 - smooth(0.5, 1.0, 1.0); /* 0: the term is +0, s unchanged */
    if (under_lip != 0.0)
        s += 0.008 * gauss2(x, 0.022, z - (g->zmouth - 0.012), 0.012) * under_lip;
    s += lk->chin_m * gauss2(x, 0.020, z - g->zchin, 0.012);
    return s * ff;
}

/* What a head grid node's surface needs that depends on its column (azimuth az) alone, or on
 * its row (elevation el, sine s_el) alone: worked out once per column and row (head_begin) by the
 * operations the node would make, so every node gets the same bits. */
typedef struct headcol {
    double aaz;      /* |az| in degrees: 0 front .. 180 back */
    double ear_q[2]; /* ears: each ear's azimuth term (image-left ear first) */
    double side_lo;  /* hair_at: where the hair at the side ends below */
    double side, long_ear, fringe, beard_jaw; /* hair_at's weights of aaz */
    double z_ear, z_back; /* head_zones' weights of aaz (the ear, the back of the head) */
    int32_t nu_i;         /* vnoise's lattice column at az * 30 and its smoothed fraction */
    double nu_a;
} headcol;

typedef struct headrow {
    baserow base;
    double ear_q;           /* ears: the elevation term */
    double thick;           /* hair_at: the hair's thickness factor of the height d[2] */
    double z_scalp, z_neck; /* head_zones' weights of d[2] */
    int32_t nv_j;           /* vnoise's lattice row at el * 22 and its smoothed fraction */
    double nv_b;
} headrow;

/* The ears' height (elevation) and their spread in elevation. */
static void ear_place(const headgeo *g, double *el_c, double *sel)
{
    double r = g->A;
    *el_c = (g->ze - 0.008) / g->C * 0.9;
    *sel = g->lk->ear_m / (2.2 * r);
}

/* Ears: outward bumps on each side, behind the cheek; from the node's column and row terms. */
static double ears(const headcol *hc, const headrow *hr)
{
    double s = 0.0;
    for (int k = 0; k < 2; k++)
        s += 0.015 * falloff(-0.5 * (hc->ear_q[k] + hr->ear_q));
    return s;
}

/* Cheap deterministic value noise in [0, 1] over a 2D lattice (the hair's texture). */
static double hashf(uint32_t seed, int32_t i, int32_t j)
{
    uint32_t h = seed ^ (uint32_t)i * 0x9E3779B1u ^ (uint32_t)j * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return (double)(h & 0xFFFFFF) / 16777215.0;
}

/* A lattice coordinate's cell and its smoothed fraction. */
static double vnoise_axis(double u, int32_t *i)
{
    double fu = floor(u);
    *i = (int32_t)fu;
    double a = u - fu;
    return a * a * (3 - 2 * a);
}

static double vnoise_at(uint32_t seed, int32_t i, double a, int32_t j, double b)
{
    double h00 = hashf(seed, i, j), h10 = hashf(seed, i + 1, j);
    double h01 = hashf(seed, i, j + 1), h11 = hashf(seed, i + 1, j + 1);
    return (h00 * (1 - a) + h10 * a) * (1 - b) + (h01 * (1 - a) + h11 * a) * b;
}

static double vnoise(uint32_t seed, double u, double v)
{
    int32_t i, j;
    double a = vnoise_axis(u, &i), b = vnoise_axis(v, &j);
    return vnoise_at(seed, i, a, j, b);
}

/* Hair cover (0..1) and thickness at a direction. */
static void hair_at(const headgeo *g, const headcol *hc, const headrow *hr, const fpos *fp,
                    double *cover, double *thick)
{
    const fb_figure_look *lk = g->lk;
    const double x = fp->x, z = fp->z;
    double c = 0.0;
    double brow = g->ze + 0.022;
    if (lk->hair != FB_HAIR_BALD) {
        /* Front: above the hairline, raised at the temples by recession. */
        /* no recession (women, young men): the temples' term is +0 (0 x 0.030 x a falloff in
         * 0..1), which adds nothing, so its pow and exp are not made */
        const double temples = lk->recession == 0.0
                                   ? 0.0
                                   : lk->recession * 0.030 * falloff_sq((fabs(x) - 0.042) / 0.015);
        double hl = brow + lk->hairline_m + temples;
        double front = smooth(hl - 0.004, hl + 0.006, z);
        /* Sides: above the ear top and behind (head_col: side_lo). */
        const double side_lo = hc->side_lo;
        double side = smooth(side_lo - 0.003, side_lo + 0.006, z) * hc->side;
        c = maxd(front, side);
        /* Long hair covers the ears. */
        if (lk->hair == FB_HAIR_LONG)
            c = maxd(c, hc->long_ear * smooth(g->ze - 0.09, g->ze - 0.06, z));
    } else if (lk->recession > 0.5 || lk->age_y > 45) {
        /* A horseshoe fringe around the back and sides. */
        c = hc->fringe * smooth(g->ze - 0.070, g->ze - 0.060, z) *
            (1 - smooth(g->ze + 0.030, g->ze + 0.045, z)) * 0.8;
    }
    double t = 0.0;
    if (c > 0.0) {
        double n = vnoise_at(lk->hair_seed, hc->nu_i, hc->nu_a, hr->nv_j, hr->nv_b);
        double top = lk->hair == FB_HAIR_BALD ? 0.003 : lk->hair_m;
        t = top * c * hr->thick * (0.85 + 0.3 * n);
        c *= 0.85 + 0.15 * n;
    }
    /* Beard: the jaw, chin and upper lip, the lips left bare. */
    if (lk->beard) {
        double lower = smooth(g->ze - 0.048, g->ze - 0.058, z) * smooth(g->zchin - 0.045, g->zchin - 0.02, z);
        double jaw = hc->beard_jaw;
        /* off the jaw band lower * jaw is +0, so b would be +0 and never above c (>= +0) */
        double b = 0.0;
        if (lower * jaw != 0.0) {
            double lips = gauss2(x, 0.024, z - g->zmouth, 0.010);
            b = lower * jaw * (1.0 - lips) *
                (0.8 + 0.2 * vnoise(lk->hair_seed ^ 0xBEEFu, x * 300, z * 300));
        }
        if (b > c) {
            c = b;
            t = maxd(t, 0.007 * b);
        }
    }
    *cover = clampd(c, 0.0, 1.0);
    *thick = t;
}

/* Zone weights of a head vertex (unnormalised masks, then the four largest normalised). */
typedef struct zmix {
    double m[FB_TZ_COUNT];
} zmix;

/* ear: ears(), which the node's radius has already taken. */
static void head_zones(const headgeo *g, const headcol *hc, const headrow *hr, double ear,
                       const fpos *fp, double cover, zmix *zm, double *eye_open)
{
    const fb_figure_look *lk = g->lk;
    const double x = fp->x, z = fp->z, ff = fp->ff;
    double ax = fabs(x), aaz = hc->aaz;
    memset(zm, 0, sizeof(*zm));
    double face = ff;
    double eo = 0.0; /* inside the palpebral fissure (almond) */
    {
        double u = (ax - g->xe) / (lk->eye_w_m / 2), v = (z - g->ze) / 0.0048;
        /* an almond: the opening narrows toward both corners */
        double q = fabs(u) >= 1.0 ? 2.0 : u * u + v * v / (1.0 - 0.6 * u * u);
        eo = (1.0 - smooth(0.75, 1.0, q)) * face;
    }
    *eye_open = eo;
    /* the cheeks' weight is the face's base below the eyes; above, the forehead's */
    zm->m[FB_TZ_CHEEK] = 0.6 * face * (1.0 - 0.9 * smooth(g->ze + 0.010, g->ze + 0.030, z)) + 0.02;
    zm->m[FB_TZ_FOREHEAD] = 1.5 * face * smooth(g->ze + 0.018, g->ze + 0.035, z);
    zm->m[FB_TZ_FOREHEAD_WARM] =
        face * (2.2 * face_gauss2(face, ax - 0.013, 0.009, z - (g->ze + 0.024), 0.009)) +
        2.0 * gauss2(aaz - 50.0, 9.0, z - (g->ze + 0.032), 0.014);
    /* Warm around the inner canthus and the upper lid, cooling toward the outer canthus
     * (Haddad et al. 2016: the outer canthus is among the cool regions). */
    zm->m[FB_TZ_PERIORBITAL] =
        3.0 * face * face_gauss2(face, ax - g->xc - 0.005, 0.013, z - g->ze, 0.011);
    zm->m[FB_TZ_EYE] = 40.0 * eo;
    double tip = face_gauss2(face, x, 0.011, z - g->ztip, 0.011);
    zm->m[FB_TZ_NOSE] = 4.0 * face * tip +
                        2.0 * face *
                            face_gauss2(face, ax - lk->nose_w_m * 0.40, 0.007, z - g->ztip, 0.007);
    zm->m[FB_TZ_NOSTRIL] =
        6.0 * face * face_gauss2(face, ax - 0.007, 0.0035, z - (g->ztip - 0.005), 0.0035);
    zm->m[FB_TZ_LIP] = face * (4.0 * face_gauss2(face, ax - 0.023, 0.005, z - g->zmouth, 0.005) +
                               2.5 * face_gauss2(face, x, 0.017, z - (g->zmouth + 0.006), 0.004));
    zm->m[FB_TZ_CHIN] = face * 1.5 * smooth(g->zmouth - 0.004, g->zmouth - 0.016, z) +
                        0.8 * smooth(g->zmouth, g->zchin - 0.02, z) * (1 - face);
    zm->m[FB_TZ_EAR] = 6.0 * ear / 0.015 * hc->z_ear;
    zm->m[FB_TZ_SCALP] = 1.2 * (1.0 - face) * hr->z_scalp + 1.0 * hc->z_back;
    zm->m[FB_TZ_NECK] = 2.0 * hr->z_neck * (1.0 - 0.7 * face);
    /* Eyebrows: hair over the skin along the brow ridge, arched, thinning laterally; a
     * share of the hair's temperature (thicker brows for men). */
    double brow = 0.0; /* face * ... : 0 where face is */
    if (face != 0.0) {
        double brow_z = g->ze + 0.017 + 0.004 * falloff_sq((ax - g->xe) / 0.012);
        brow = face * (lk->female ? 0.8 : 1.2) *
               gauss2(ax - (g->xe - 0.002), 0.015, z - brow_z, 0.0038) *
               (1.0 - smooth(g->xe + 0.010, g->xe + 0.024, ax));
    }
    for (int k = 0; k < FB_TZ_COUNT; k++)
        zm->m[k] *= 1.0 - cover;
    zm->m[FB_TZ_HAIR] = cover * 3.0 + brow * (1.0 - cover);
}

/* Keeps the four largest weights of a mix, normalised, into a vertex. */
static void put_zones(fb_fig_vertex *v, const zmix *zm)
{
    int idx[FB_FIG_WEIGHTS] = {FB_TZ_CLOTH, FB_TZ_CLOTH, FB_TZ_CLOTH, FB_TZ_CLOTH};
    double val[FB_FIG_WEIGHTS] = {0, 0, 0, 0};
    for (int k = 0; k < FB_TZ_COUNT; k++) {
        double m = zm->m[k];
        if (!(m > val[FB_FIG_WEIGHTS - 1]))
            continue;
        int j = FB_FIG_WEIGHTS - 1;
        while (j > 0 && m > val[j - 1]) {
            val[j] = val[j - 1];
            idx[j] = idx[j - 1];
            j--;
        }
        val[j] = m;
        idx[j] = k;
    }
    double sum = val[0] + val[1] + val[2] + val[3];
    if (!(sum > 0)) {
        val[0] = sum = 1.0;
    }
    for (int j = 0; j < FB_FIG_WEIGHTS; j++) {
        v->zone[j] = (uint8_t)idx[j];
        v->w[j] = (float)(val[j] / sum);
    }
}

static void one_zone(fb_fig_vertex *v, fb_tzone z)
{
    zmix zm;
    memset(&zm, 0, sizeof(zm));
    zm.m[z] = 1.0;
    put_zones(v, &zm);
}

/* ---- mesh building ------------------------------------------------------------------------- */

typedef struct mbuild {
    fb_fig_mesh *m;
    size_t cap_v, cap_t;
    int fail;
} mbuild;

static void mb_reserve(mbuild *b, size_t nv, size_t nt)
{
    if (b->fail)
        return;
    if (b->m->nv + nv > b->cap_v) {
        size_t c = (b->m->nv + nv) * 2;
        fb_fig_vertex *p = realloc(b->m->v, c * sizeof(*p));
        if (!p) {
            b->fail = 1;
            return;
        }
        b->m->v = p;
        b->cap_v = c;
    }
    if (b->m->nt + nt > b->cap_t) {
        size_t c = (b->m->nt + nt) * 2;
        uint32_t(*p)[3] = realloc(b->m->tri, c * sizeof(*p));
        if (!p) {
            b->fail = 1;
            return;
        }
        b->m->tri = p;
        b->cap_t = c;
    }
}

/* Appends a grid of nu x nv vertices (already in b's vertex array from base) as quads:
 * columns wrap when wrap_u. Winding: (u, v) -> (u+1, v) -> (u+1, v+1) is counter-clockwise
 * seen from outside when u runs to the right and v runs up, seen from outside. */
static void grid_tris(mbuild *b, uint32_t base, int nu, int nv, bool wrap_u, bool flip)
{
    int cu = wrap_u ? nu : nu - 1;
    mb_reserve(b, 0, (size_t)cu * (size_t)(nv - 1) * 2);
    if (b->fail)
        return;
    for (int j = 0; j + 1 < nv; j++)
        for (int i = 0; i < cu; i++) {
            uint32_t a = base + (uint32_t)(j * nu + i);
            uint32_t bb = base + (uint32_t)(j * nu + (i + 1) % nu);
            uint32_t c = base + (uint32_t)((j + 1) * nu + (i + 1) % nu);
            uint32_t d = base + (uint32_t)((j + 1) * nu + i);
            uint32_t(*t)[3] = &b->m->tri[b->m->nt];
            if (!flip) {
                t[0][0] = a, t[0][1] = bb, t[0][2] = c;
                t[1][0] = a, t[1][1] = c, t[1][2] = d;
            } else {
                t[0][0] = a, t[0][1] = c, t[0][2] = bb;
                t[1][0] = a, t[1][1] = d, t[1][2] = c;
            }
            b->m->nt += 2;
        }
}

/* Area-weighted vertex normals from the triangles (outward for counter-clockwise winding). */
/* Returns 0, or -1 when out of memory (the mesh is then unusable: callers fail the build). */
static int mesh_normals(fb_fig_mesh *m)
{
    double *acc = calloc((size_t)m->nv * 3, sizeof(double));
    if (!acc)
        return -1;
    for (uint32_t t = 0; t < m->nt; t++) {
        const float *a = m->v[m->tri[t][0]].p, *b = m->v[m->tri[t][1]].p, *c = m->v[m->tri[t][2]].p;
        double e1[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
        double e2[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        double n[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                       e1[0] * e2[1] - e1[1] * e2[0]};
        for (int k = 0; k < 3; k++)
            for (int q = 0; q < 3; q++)
                acc[3 * m->tri[t][k] + (uint32_t)q] += n[q];
    }
    for (uint32_t i = 0; i < m->nv; i++) {
        double *n = &acc[3 * i];
        double l = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (l > 0)
            for (int q = 0; q < 3; q++)
                m->v[i].n[q] = (float)(n[q] / l);
    }
    free(acc);
    return 0;
}

int fb_fig_soa_build(const fb_fig_vertex *v, uint32_t n, fb_fig_soa *soa)
{
    memset(soa, 0, sizeof(*soa));
    size_t np = ((size_t)n + FB_FIG_SOA_ALIGN - 1) / FB_FIG_SOA_ALIGN * FB_FIG_SOA_ALIGN;
    if (np == 0)
        np = FB_FIG_SOA_ALIGN;
    enum { FLOATS = 6 + FB_FIG_WEIGHTS + 2, WORDS = 2 };
    float *block = calloc(np * (FLOATS + WORDS), sizeof(float));
    if (!block)
        return -1;
    float *f = block;
    for (int q = 0; q < 3; q++, f += np)
        soa->p[q] = f;
    for (int q = 0; q < 3; q++, f += np)
        soa->n[q] = f;
    for (int q = 0; q < FB_FIG_WEIGHTS; q++, f += np)
        soa->w[q] = f;
    soa->spot = f, f += np;
    soa->eps0 = f, f += np;
    soa->zone = (uint32_t *)(void *)f, f += np;
    soa->sp = (uint32_t *)(void *)f;
    for (uint32_t i = 0; i < n; i++) {
        const fb_fig_vertex *x = &v[i];
        for (int q = 0; q < 3; q++)
            soa->p[q][i] = x->p[q], soa->n[q][i] = x->n[q];
        uint32_t z = 0;
        for (int q = 0; q < FB_FIG_WEIGHTS; q++) {
            soa->w[q][i] = x->w[q];
            z |= (uint32_t)x->zone[q] << (8 * q);
        }
        soa->zone[i] = z;
        soa->spot[i] = x->spot;
        soa->eps0[i] = x->eps0;
        soa->sp[i] = (uint32_t)x->spot_id | (uint32_t)x->part << 8;
    }
    return 0;
}

/* Grid nodes of one head axis: regular steps of fine_deg inside [lo, hi], coarse_deg outside,
 * over [from, to]; then the must-have angles (radians) are merged in, and regular nodes closer
 * to one than 0.4 of the fine step dropped, so every level of detail has them as grid lines. */
static int axis_nodes(double *out, int cap, double from, double to, double lo, double hi,
                      double fine_deg, double coarse_deg, const double *must, int n_must,
                      bool closed)
{
    double reg[200];
    int n = 0;
    double a = from;
    while (a < to - 1e-9 && n < 199) {
        reg[n++] = a * DEG;
        double step = (a >= lo && a < hi) ? fine_deg : coarse_deg;
        if (a < lo && a + step > lo)
            step = lo - a;
        if (a < hi && a + step > hi && a >= lo)
            step = hi - a;
        a += step;
    }
    if (!closed)
        reg[n++] = to * DEG;
    int m = 0, k = 0;
    for (int i = 0; i < n && m < cap; i++) {
        while (k < n_must && must[k] <= reg[i] && m < cap)
            out[m++] = must[k++];
        bool near = false;
        for (int j = 0; j < n_must; j++)
            near = near || fabs(reg[i] - must[j]) < 0.4 * fine_deg * DEG;
        bool end = i == 0 || (!closed && i == n - 1);
        if ((!near || end) && m < cap)
            out[m++] = reg[i];
    }
    while (k < n_must && m < cap)
        out[m++] = must[k++];
    return m;
}

/* One head axis as the union of two sets of grid lines: the regular ones (axis_nodes without
 * must-haves: the grid of the whole head) and the refined ones (with the canthus lines merged in:
 * the grid inside the canthus patch). reg[k] and spot[k] say which set line k belongs to. The
 * patch's bounds *lo, *hi are the nearest lines of both sets outside the must-haves, so the
 * refined lines run only between them instead of all round the head. Returns the line count. */
static int head_axis(double *out, bool *reg, bool *spot, int cap, double from, double to,
                     double lo, double hi, double fine_deg, double coarse_deg, const double *must,
                     int n_must, bool closed, int *p_lo, int *p_hi)
{
    double r[200], m[200];
    int nr = axis_nodes(r, 200, from, to, lo, hi, fine_deg, coarse_deg, NULL, 0, closed);
    int nm = axis_nodes(m, 200, from, to, lo, hi, fine_deg, coarse_deg, must, n_must, closed);
    int n = 0, i = 0, k = 0;
    while ((i < nr || k < nm) && n < cap) {
        double v;
        if (k >= nm || (i < nr && r[i] < m[k]))
            v = r[i++];
        else if (i >= nr || m[k] < r[i])
            v = m[k++];
        else
            v = r[i++], k++;
        bool in_r = false, in_m = false;
        for (int q = 0; q < nr; q++)
            in_r = in_r || r[q] == v;
        for (int q = 0; q < nm; q++)
            in_m = in_m || m[q] == v;
        out[n] = v, reg[n] = in_r, spot[n] = in_m;
        n++;
    }
    double mlo = must[0], mhi = must[n_must - 1];
    *p_lo = 0, *p_hi = n - 1;
    for (int q = 0; q < n; q++)
        if (reg[q] && spot[q] && out[q] < mlo)
            *p_lo = q;
    for (int q = n - 1; q >= 0; q--)
        if (reg[q] && spot[q] && out[q] > mhi)
            *p_hi = q;
    return n;
}

/* Whether two doubles are the same bits (a signed zero, a NaN's payload included). */
static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The direction (az, el) whose skin point lies at frontal (x, z) on the face: thirty steps of a
 * fixed-point iteration from straight ahead. A step is a function of (az, el) alone, so once one
 * gives back the very bits it was given, so would every step after it: the loop stops there
 * with the answer all thirty give (most of the canthus lines get there in 8-20 steps). */
static void solve_frontal(const headgeo *g, double x, double z, double *az, double *el)
{
    double a = 0.0, e = 0.0, d[3];
    for (int it = 0; it < 30; it++) {
        dir_of(a, e, d);
        double xx, zz, ff;
        double r = frontal(g, d, &xx, &zz, &ff); /* base_r(g, d) */
        r += features(g, xx, zz, ff);
        double cx = clampd(x / (r * cos(e)), -1.0, 1.0);
        double na = asin(cx), ne = asin(clampd(z / r, -1.0, 1.0));
        if (same_bits(na, a) && same_bits(ne, e))
            break;
        a = na;
        e = ne;
    }
    *az = a;
    *el = e;
}

/* The head grid's lines through the canthus spot (head_begin), the same at every level: the
 * azimuths through each inner canthus and the spot's edges (image-left side first, each side
 * left to right) and the elevations through the canthus and the spot's edges (upward). */
static const double SPOT_DX_M[FB_FIG_SPOT_LINES] = {-0.007, -0.005, 0.0, 0.005, 0.007};
static const double SPOT_DZ_M[FB_FIG_SPOT_LINES] = {-0.005, -0.003, 0.0, 0.003, 0.005};

static void spot_lines(const headgeo *g, double az[2 * FB_FIG_SPOT_LINES],
                       double el[FB_FIG_SPOT_LINES])
{
    double a, e;
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < FB_FIG_SPOT_LINES; k++) {
            solve_frontal(g, (side ? 1.0 : -1.0) * g->xc + SPOT_DX_M[k], g->ze, &a, &e);
            az[side * FB_FIG_SPOT_LINES + k] = a;
        }
    for (int k = 0; k < FB_FIG_SPOT_LINES; k++) {
        solve_frontal(g, g->xc, g->ze + SPOT_DZ_M[k], &a, &e);
        el[k] = e;
    }
}

/* A head grid column's terms (headcol) at azimuth az. */
static void head_col(const headgeo *g, double az, headcol *hc)
{
    const fb_figure_look *lk = g->lk;
    double aaz = fabs(az) / DEG;
    hc->aaz = aaz;
    for (int side = -1; side <= 1; side += 2) {
        double daz = az - side * 97.0 * DEG;
        hc->ear_q[(side + 1) / 2] = daz * daz / (0.10 * 0.10);
    }
    /* the hair at the side: down to above the ear top, lower behind; sideburns down to eye
     * level - 1 cm */
    double nape = lk->hair == FB_HAIR_LONG ? 0.20 : 0.075;
    hc->side_lo = g->ze + 0.030 - (0.030 + nape) * smooth(95, 140, aaz) -
                  0.040 * falloff_sq((aaz - 80.0) / 5.0);
    hc->side = smooth(55, 75, aaz);
    hc->long_ear = smooth(70, 85, aaz);
    hc->fringe = smooth(80, 100, aaz);
    hc->beard_jaw = smooth(100, 85, aaz);
    hc->z_ear = smooth(80, 92, aaz);
    hc->z_back = smooth(110, 150, aaz);
    hc->nu_a = vnoise_axis(az * 30.0, &hc->nu_i);
}

/* A head grid row's terms (headrow) at elevation el, whose sine is s_el (dir_of's d[2]). */
static void head_row(const headgeo *g, double el, double s_el, headrow *hr)
{
    base_row(g, s_el, &hr->base);
    double el_c, sel;
    ear_place(g, &el_c, &sel);
    hr->ear_q = (el - el_c) * (el - el_c) / (sel * sel);
    hr->thick = 0.55 + 0.45 * smooth(-0.2, 0.6, s_el);
    hr->z_scalp = smooth(-0.1, 0.4, s_el);
    hr->z_neck = smooth(-0.55, -0.85, s_el);
    hr->nv_b = vnoise_axis(el * 22.0, &hr->nv_j);
}

typedef struct headnode {
    double p[3];
    double r_skin, r_hair;
    double cover;
    double fx, fz; /* frontal position (frontal(): the worn shells' extent and mask zones) */
} headnode;

/* The head's surface at a grid node: its radii, hair cover and frontal position into *hn; *fp
 * and *ear for head_temps. */
static void head_eval(const headgeo *g, const headcol *hc, const headrow *hr, const double d[3],
                      headnode *hn, fpos *fp, double *ear)
{
    double r = frontal_r(base_r_row(g, &hr->base, d), d, &fp->x, &fp->z, &fp->ff);
    *ear = ears(hc, hr);
    r += features(g, fp->x, fp->z, fp->ff) + *ear;
    double cover, thick;
    hair_at(g, hc, hr, fp, &cover, &thick);
    hn->r_skin = r;
    hn->r_hair = r + thick;
    hn->cover = cover;
    hn->fx = fp->x;
    hn->fz = fp->z;
    for (int q = 0; q < 3; q++)
        hn->p[q] = hn->r_hair * d[q];
}

/* The temperature field at a grid node whose surface head_eval gave (fp, ear, cover): its zone
 * mix, how open the eye is there, and the canthus spot's weight and side. */
static void head_temps(const headgeo *g, const headcol *hc, const headrow *hr, const fpos *fp,
                       double ear, double cover, zmix *zm, double *eye_open, double *spot,
                       int *spot_id)
{
    const fpos f = *fp;
    head_zones(g, hc, hr, ear, &f, cover, zm, eye_open);
    /* Canthus spots: the warm medial canthal area around each inner canthus, 12 x 8 mm at the
     * canthus temperature (the template's hot spot, truth.h) with 2 mm soft edges: a plateau the
     * pixels can read whole at working distances, its hottest point the canthus itself. */
    *spot = 0.0;
    *spot_id = 0;
    for (int side = -1; side <= 1; side += 2) {
        double sx = 1.0 - smooth(0.005, 0.007, fabs(f.x - side * g->xc));
        double sz = 1.0 - smooth(0.003, 0.005, fabs(f.z - g->ze));
        double sv = sx * sz * f.ff * (1 - cover);
        if (sv > *spot) {
            *spot = sv;
            *spot_id = side < 0 ? 1 : 2;
        }
    }
}

/* A head grid under way: the nodes are evaluated row by row (head_rows, any rows in any order,
 * on any thread), then head_end joins them into the face mesh and its worn shells. */
typedef struct headplan {
    headgeo g;
    double az[170], el[130];
    /* Which set each line belongs to: the regular grid (coarse: the whole head) and the grid
     * refined through the canthus spots (fine: the patch only); see head_axis. */
    bool az_reg[170], az_spot[170], el_reg[130], el_spot[130];
    int pa0, pa1, pe0, pe1; /* the patch: columns pa0..pa1 x rows pe0..pe1, bounds in both sets */
    bool every_node; /* worn shells read the nodes' radii: evaluate those no triangle uses too */
    /* the grid's sines and cosines once per column and row (dir_of's products, in its order) */
    double s_az[170], c_az[170], s_el[130], c_el[130];
    headcol col[170]; /* what a node's surface needs of its column alone, and of its row */
    headrow row[130];
    int naz, nel;
    headnode *hn;  /* naz x nel */
    bool *used;    /* naz x nel, after hn[] in its allocation: whether the node is a vertex */
    mbuild b;      /* the face mesh's: its nodes reserved, one vertex a node */
} headplan;

/* Whether the head grid's node (i, j) is a vertex: inside the canthus patch where both its
 * lines are refined ones, outside it where both are regular, on its edge either way. */
static bool node_used(const headplan *hp, int i, int j)
{
    bool in_rect = i >= hp->pa0 && i <= hp->pa1 && j >= hp->pe0 && j <= hp->pe1;
    bool inside = i > hp->pa0 && i < hp->pa1 && j > hp->pe0 && j < hp->pe1;
    bool spot = hp->az_spot[i] && hp->el_spot[j], reg = hp->az_reg[i] && hp->el_reg[j];
    return inside ? spot : in_rect ? spot || reg : reg;
}

/* The head grid's axes and its nodes' memory; the face mesh is meshes[*n_mesh], counted. */
static int head_begin(fb_figure *f, int lod, headplan *hp, fb_fig_mesh *meshes, size_t *n_mesh)
{
    headgeo_init(&hp->g, &f->look);
    static const double FINE_DEG[FB_FIG_LODS] = {3.2, 6.5, 13.0, 26.0};
    static const double COARSE_DEG[FB_FIG_LODS] = {9.0, 15.0, 30.0, 30.0};
    double fine = FINE_DEG[lod], coarse = COARSE_DEG[lod];
    /* Grid lines through each inner canthus and through the canthus spot's edges: where its
     * plateau ends (5 mm either side, 3 mm above and below) and where it has fallen to nothing
     * (7 mm, 5 mm; head_eval), so that interpolation between vertices keeps the plateau flat
     * and the spot its size at every level of detail. The coarsest level, for heads under ~22 px
     * where the spot is about a pixel, keeps the lines through the canthi only. Sorted;
     * solved once per person (fb_figure_init: spot_lines). */
    bool coarsest = lod == FB_FIG_LODS - 1;
    int n_must_az = 0, n_must_el = 0;
    double must_az[2 * FB_FIG_SPOT_LINES], must_el[FB_FIG_SPOT_LINES];
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < FB_FIG_SPOT_LINES; k++)
            if (!coarsest || SPOT_DX_M[k] == 0.0)
                must_az[n_must_az++] = f->spot_az[side * FB_FIG_SPOT_LINES + k];
    for (int k = 0; k < FB_FIG_SPOT_LINES; k++)
        if (!coarsest || SPOT_DZ_M[k] == 0.0)
            must_el[n_must_el++] = f->spot_el[k];
    hp->naz = head_axis(hp->az, hp->az_reg, hp->az_spot, 170, -180.0, 180.0, -62.0, 62.0, fine,
                        coarse, must_az, n_must_az, true, &hp->pa0, &hp->pa1);
    hp->nel = head_axis(hp->el, hp->el_reg, hp->el_spot, 130, -90.0, 90.0, -68.0, 48.0, fine,
                        coarse, must_el, n_must_el, false, &hp->pe0, &hp->pe1);

    hp->every_node = f->mask || f->hat;
    size_t n_nodes = (size_t)hp->naz * (size_t)hp->nel;
    hp->hn = malloc(n_nodes * (sizeof(*hp->hn) + sizeof(*hp->used)));
    if (!hp->hn)
        return -1;
    hp->used = (bool *)(void *)(hp->hn + n_nodes); /* a node's used is read many times (the
                                                     cells' edges): worked out once */
    for (int j = 0; j < hp->nel; j++)
        for (int i = 0; i < hp->naz; i++)
            hp->used[(size_t)j * (size_t)hp->naz + (size_t)i] = node_used(hp, i, j);
    fb_fig_mesh *face = &meshes[(*n_mesh)++];
    memset(face, 0, sizeof(*face));
    face->bone = FB_BONE_HEAD;
    hp->b = (mbuild){face, 0, 0, 0};
    mb_reserve(&hp->b, n_nodes, 0);
    if (hp->b.fail) {
        free(hp->hn);
        hp->hn = NULL;
        return -1;
    }
    face->nv = (uint32_t)n_nodes; /* head_rows fills them */
    for (int i = 0; i < hp->naz; i++)
        hp->s_az[i] = sin(hp->az[i]), hp->c_az[i] = cos(hp->az[i]);
    for (int j = 0; j < hp->nel; j++)
        hp->s_el[j] = sin(hp->el[j]), hp->c_el[j] = cos(hp->el[j]);
    for (int i = 0; i < hp->naz; i++)
        head_col(&hp->g, hp->az[i], &hp->col[i]);
    for (int j = 0; j < hp->nel; j++)
        head_row(&hp->g, hp->el[j], hp->s_el[j], &hp->row[j]);
    return 0;
}

/* Whether the head grid's node (i, j) is a vertex (head_begin worked it out: node_used). */
static bool head_node_used(const headplan *hp, int i, int j)
{
    return hp->used[(size_t)j * (size_t)hp->naz + (size_t)i];
}

/* The grid's rows [j0, j1): their nodes and the face's vertices (writes only those). */
static void head_rows(headplan *hp, int j0, int j1)
{
    const int naz = hp->naz;
    fb_fig_vertex *fv = hp->b.m->v;
    for (int j = j0; j < j1; j++)
        for (int i = 0; i < naz; i++) {
            const bool used = head_node_used(hp, i, j);
            if (!used && !hp->every_node)
                continue; /* dropped by head_tris */
            size_t k = (size_t)j * (size_t)naz + (size_t)i;
            const double d[3] = {hp->s_az[i] * hp->c_el[j], -hp->c_az[i] * hp->c_el[j],
                                 hp->s_el[j]};
            fpos fp;
            double ear;
            head_eval(&hp->g, &hp->col[i], &hp->row[j], d, &hp->hn[k], &fp, &ear);
            if (!used)
                continue; /* the worn shells read its node; head_tris drops its vertex */
            zmix zm;
            double eo, spot;
            int sid;
            head_temps(&hp->g, &hp->col[i], &hp->row[j], &fp, ear, hp->hn[k].cover, &zm, &eo, &spot,
                       &sid);
            fb_fig_vertex *v = &fv[k];
            memset(v, 0, sizeof(*v));
            for (int q = 0; q < 3; q++)
                v->p[q] = (float)hp->hn[k].p[q];
            put_zones(v, &zm);
            v->spot = (float)spot;
            v->spot_id = (uint8_t)sid;
            v->part = FB_PART_FACE;
            /* Skin 0.98 (docs/sources.md), hair 0.95, the eye's surface 0.97. */
            v->eps0 = (float)(0.98 - 0.03 * hp->hn[k].cover - 0.01 * eo);
        }
}

/* One cell of the grid, columns i0 -> i1 (wrapping) by rows j0 -> j1, as triangles: its used
 * nodes round its edges counter-clockwise (seen from outside), fanned from a corner whose two
 * edges have none between their ends; a plain quad as grid_tris splits it. A cell next to the
 * patch has the patch's lines ending on one edge, so no crack opens where they stop. */
static void head_cell(const headplan *hp, mbuild *b, int i0, int i1, int j0, int j1)
{
    const int naz = hp->naz;
    uint32_t poly[64];
    int n = 0, corner[4], extra[4] = {0, 0, 0, 0};
#define PUT(I, J)                                                                   \
    do {                                                                            \
        if (n < 64)                                                                 \
            poly[n++] = (uint32_t)(J) * (uint32_t)naz + (uint32_t)(I);              \
    } while (0)
    corner[0] = n;
    PUT(i0, j0);
    for (int i = (i0 + 1) % naz; i != i1; i = (i + 1) % naz) /* bottom, left to right */
        if (head_node_used(hp, i, j0)) {
            PUT(i, j0);
            extra[0]++;
        }
    corner[1] = n;
    PUT(i1, j0);
    for (int j = j0 + 1; j < j1; j++) /* right, upward */
        if (head_node_used(hp, i1, j)) {
            PUT(i1, j);
            extra[1]++;
        }
    corner[2] = n;
    PUT(i1, j1);
    for (int i = (i1 - 1 + naz) % naz; i != i0; i = (i - 1 + naz) % naz) /* top, leftward */
        if (head_node_used(hp, i, j1)) {
            PUT(i, j1);
            extra[2]++;
        }
    corner[3] = n;
    PUT(i0, j1);
    for (int j = j1 - 1; j > j0; j--) /* left, downward */
        if (head_node_used(hp, i0, j)) {
            PUT(i0, j);
            extra[3]++;
        }
#undef PUT
    int c = 0; /* the corner between edges k - 1 and k is corner[k] */
    for (int k = 0; k < 4; k++)
        if (extra[k] == 0 && extra[(k + 3) % 4] == 0) {
            c = corner[k];
            break;
        }
    mb_reserve(b, 0, (size_t)(n - 2));
    if (b->fail)
        return;
    for (int k = 1; k + 1 < n; k++) {
        uint32_t(*t)[3] = &b->m->tri[b->m->nt++];
        t[0][0] = poly[c], t[0][1] = poly[(c + k) % n], t[0][2] = poly[(c + k + 1) % n];
    }
}

/* The face mesh's triangles: the regular grid's cells outside the canthus patch, the refined
 * grid's inside; then the nodes no triangle uses are dropped from its vertices. */
static void head_tris(const headplan *hp, mbuild *b)
{
    const int naz = hp->naz, nel = hp->nel;
    for (int j0 = 0; j0 + 1 < nel;) {
        int j1 = j0 + 1;
        while (j1 < nel - 1 && !hp->el_reg[j1])
            j1++;
        for (int i0 = 0; i0 < naz && hp->az_reg[i0];) {
            int i1 = (i0 + 1) % naz;
            while (!hp->az_reg[i1])
                i1 = (i1 + 1) % naz;
            bool in_patch = i0 >= hp->pa0 && i1 <= hp->pa1 && i1 > i0 && j0 >= hp->pe0 &&
                            j1 <= hp->pe1;
            if (!in_patch)
                head_cell(hp, b, i0, i1, j0, j1);
            if (i1 <= i0)
                break;
            i0 = i1;
        }
        j0 = j1;
    }
    for (int j0 = hp->pe0; j0 < hp->pe1;) {
        int j1 = j0 + 1;
        while (!hp->el_spot[j1])
            j1++;
        for (int i0 = hp->pa0; i0 < hp->pa1;) {
            int i1 = i0 + 1;
            while (!hp->az_spot[i1])
                i1++;
            head_cell(hp, b, i0, i1, j0, j1);
            i0 = i1;
        }
        j0 = j1;
    }
    if (b->fail)
        return;
    /* keep the used nodes, in grid order */
    fb_fig_mesh *m = b->m;
    uint32_t *remap = malloc((size_t)m->nv * sizeof(*remap));
    if (!remap) {
        b->fail = 1;
        return;
    }
    for (uint32_t k = 0; k < m->nv; k++)
        remap[k] = UINT32_MAX;
    for (uint32_t t = 0; t < m->nt; t++)
        for (int q = 0; q < 3; q++)
            remap[m->tri[t][q]] = 0;
    uint32_t nv = 0;
    for (uint32_t k = 0; k < m->nv; k++)
        if (remap[k] == 0) {
            remap[k] = nv;
            m->v[nv++] = m->v[k];
        }
    for (uint32_t t = 0; t < m->nt; t++)
        for (int q = 0; q < 3; q++)
            m->tri[t][q] = remap[m->tri[t][q]];
    m->nv = nv;
    free(remap);
}

/* Once every row is in: the face's triangles and normals, then the worn items as shells over
 * the grid, counted in *n_mesh; frees the nodes. */
static int head_end(fb_figure *f, headplan *hp, fb_fig_mesh *meshes, size_t *n_mesh)
{
    const headgeo g = hp->g;
    const int naz = hp->naz, nel = hp->nel;
    const double *az = hp->az, *el = hp->el;
    const headnode *hn = hp->hn;
    mbuild b = hp->b;
    head_tris(hp, &b);
    if (!b.fail && mesh_normals(b.m))
        b.fail = 1;

    /* Worn items as shells over the head grid. */
    int shell_fail = 0;
    if (f->mask || f->hat) {
        for (int item = 0; item < 2; item++) {
            if ((item == 0 && !f->mask) || (item == 1 && !f->hat))
                continue;
            /* The rows and columns the item spans. */
            int j0 = nel, j1 = -1, i0 = naz, i1 = -1;
            for (int j = 0; j < nel; j++)
                for (int i = 0; i < naz; i++) {
                    /* every node was evaluated (every_node): its frontal z as frontal() gives
                     * it for dir_of(az, el), whose elevation's sine is s_el */
                    const double z = hn[(size_t)j * (size_t)naz + (size_t)i].fz;
                    bool in;
                    if (item == 0) /* mask: nose bridge to under the chin, cheek to cheek */
                        in = fabs(az[i]) < 72 * DEG && z < g.ze - 0.010 && z > g.zchin - 0.035 &&
                             hp->s_el[j] > -0.92;
                    else /* hat: above the brows + 2.5 cm all round */
                        in = z > g.ze + 0.045;
                    if (in) {
                        j0 = j < j0 ? j : j0;
                        j1 = j > j1 ? j : j1;
                        i0 = i < i0 ? i : i0;
                        i1 = i > i1 ? i : i1;
                    }
                }
            if (j1 < j0 || i1 < i0)
                continue;
            if (item == 1) { /* a hat goes all round */
                i0 = 0;
                i1 = naz - 1;
            }
            fb_fig_mesh *sh = &meshes[(*n_mesh)++];
            memset(sh, 0, sizeof(*sh));
            sh->bone = FB_BONE_HEAD;
            mbuild sb = {sh, 0, 0, 0};
            int nu = i1 - i0 + 1, nv = j1 - j0 + (item == 1 ? 1 : 1);
            mb_reserve(&sb, (size_t)nu * (size_t)nv, 0);
            if (sb.fail) {
                shell_fail = 1;
                break;
            }
            for (int j = j0; j <= j1; j++) {
                /* the hat's knitted ribs, bands 1 cm apart: the same along a row */
                const double rib = item == 1 ? 0.25 * (0.5 + 0.5 * sin(el[j] * 60.0)) : 0.0;
                /* the mask's rows: the largest skin radius in rows j - 3 .. j + 3 of each column,
                 * then of seven columns of those: the same largest radius as over the 7 x 7
                 * nodes at once, a max taking any order (radii are > 0, never NaN) */
                double col_r[170];
                for (int ii = 0; item == 0 && ii < naz; ii++) {
                    double r = 0.0;
                    for (int jj = j - 3; jj <= j + 3; jj++)
                        if (jj >= 0 && jj < nel)
                            r = maxd(r, hn[(size_t)jj * (size_t)naz + (size_t)ii].r_skin);
                    col_r[ii] = r;
                }
                for (int i = i0; i <= i1; i++) {
                    /* dir_of(az[i], el[j]) as head_rows makes it */
                    const double d[3] = {hp->s_az[i] * hp->c_el[j], -hp->c_az[i] * hp->c_el[j],
                                         hp->s_el[j]};
                    double r;
                    if (item == 0) {
                        /* over the nose: the largest skin radius within ~2 grid steps, + 4 mm */
                        r = 0.0;
                        for (int di = -3; di <= 3; di++)
                            r = maxd(r, col_r[(i + di + naz) % naz]);
                        r += 0.004;
                    } else {
                        r = hn[(size_t)j * (size_t)naz + (size_t)i].r_hair + 0.007;
                    }
                    fb_fig_vertex *v = &sh->v[sh->nv++];
                    memset(v, 0, sizeof(*v));
                    for (int q = 0; q < 3; q++)
                        v->p[q] = (float)(r * d[q]);
                    zmix zm;
                    memset(&zm, 0, sizeof(zm));
                    if (item == 0) {
                        const headnode *nd = &hn[(size_t)j * (size_t)naz + (size_t)i];
                        const double x = nd->fx, z = nd->fz; /* frontal(&g, d, ...) */
                        zm.m[FB_TZ_MASK] = 1.0;
                        zm.m[FB_TZ_MASK_WARM] = 2.0 * gauss2(x, 0.030, z - (g.zmouth + 0.012), 0.025);
                        v->part = FB_PART_MASK;
                        v->eps0 = 0.98f;
                    } else {
                        zm.m[FB_TZ_HAT] = 1.0;
                        zm.m[FB_TZ_HAIR] = rib;
                        v->part = FB_PART_HAT;
                        v->eps0 = 0.95f;
                    }
                    put_zones(v, &zm);
                }
            }
            grid_tris(&sb, 0, nu, nv, item == 1, false);
            shell_fail |= sb.fail || mesh_normals(sh) != 0;
        }
    }
    free(hp->hn);
    hp->hn = NULL;
    return b.fail || shell_fail ? -1 : 0;
}

/* ---- body tubes ---------------------------------------------------------------------------- */

/* What a tube is: its cross-section along its length and what its surface is made of. */
typedef enum tube_kind {
    TUBE_TORSO,    /* crotch (t = 0) to the shoulder line (t ~ 0.86), sloping in to a collar */
    TUBE_NECK,
    TUBE_SLEEVE,   /* a clothed arm */
    TUBE_BARE,     /* a bare forearm */
    TUBE_TROUSERS, /* a leg */
    TUBE_HAND,
    TUBE_CUP,
    TUBE_HAIR      /* long hair falling behind the neck */
} tube_kind;

typedef struct tube {
    const fb_figure *f;
    tube_kind kind;
    double r0, r1; /* limbs, hands, cups: radius at t = 0 and at t = 1 */
} tube;

/* Half-width rx and half-depth ry of the cross-section at t (0..1 along the tube). */
static void tube_section(const tube *tb, double t, double *rx, double *ry)
{
    const fb_figure_look *lk = &tb->f->look;
    switch (tb->kind) {
    case TUBE_TORSO: {
        double hip = lk->hip_w_m / 2, chest = lk->shoulder_w_m / 2 - 0.055;
        double waist = fmin(hip, chest) * 0.86, dch = lk->chest_d_m / 2;
        if (t < 0.35)
            *rx = hip + (waist - hip) * smooth(0.0, 0.35, t);
        else if (t < 0.85)
            *rx = waist + (chest - waist) * smooth(0.35, 0.8, t);
        else /* the shoulders slope in to a collar standing 1 cm off the neck */
            *rx = chest + (lk->neck_r_m + 0.011 - chest) * smooth(0.86, 0.94, t);
        *ry = t < 0.85 ? dch * (0.9 + 0.1 * smooth(0.3, 0.75, t))
                       : dch + (lk->neck_r_m * 0.95 + 0.011 - dch) * smooth(0.86, 0.94, t);
        return;
    }
    case TUBE_NECK:
        *rx = lk->neck_r_m;
        *ry = lk->neck_r_m * 0.95;
        return;
    case TUBE_HAIR: {
        double r = lk->head_w_m / 2 + lk->hair_m * 0.7;
        *rx = r * (1.0 + 0.25 * t);
        *ry = r * 0.9;
        return;
    }
    case TUBE_CUP:
        *rx = *ry = tb->r0 + (tb->r1 - tb->r0) * t;
        return;
    default: { /* limbs and hands: tapered, rounded at both ends */
        double r = tb->r0 + (tb->r1 - tb->r0) * t;
        r *= 0.6 + 0.4 * smooth(0.0, 0.12, t) * smooth(1.0, 0.88, t);
        *rx = *ry = r;
        return;
    }
    }
}

/* Zones, part and emissivity of a tube's vertex at t, around az (0 at the front; sin_az and
 * cos_az its sine and cosine), height z. */
static void tube_surface(const tube *tb, fb_fig_vertex *v, double t, double az, double sin_az,
                         double cos_az, double z)
{
    const fb_figure_look *lk = &tb->f->look;
    zmix zm;
    memset(&zm, 0, sizeof(zm));
    v->part = FB_PART_BODY;
    v->eps0 = 0.95f; /* textiles */
    switch (tb->kind) {
    case TUBE_TORSO: {
        double front = 0.5 + 0.5 * cos_az; /* 1 at the front */
        double side = fabs(sin_az);
        zm.m[FB_TZ_CLOTH] = 1.0;
        /* Warm where cloth lies on skin: the shoulders and collar, the upper chest and back. */
        zm.m[FB_TZ_CLOTH_WARM] = 1.6 * smooth(0.72, 0.95, t) + 0.5 * smooth(0.55, 0.8, t) * (1 - side);
        /* Folds: horizontal creases across the belly (spacing fold_m), loose and cooler; the hem. */
        double crease = 0.5 + 0.5 * sin(z / lk->fold_m * 2 * FIG_PI + lk->fold_phase + 0.6 * az);
        zm.m[FB_TZ_CLOTH_COOL] = (0.9 * crease * crease * (1 - smooth(0.5, 0.7, t)) +
                                  1.2 * (1 - smooth(0.0, 0.08, t))) *
                                 (0.4 + 0.6 * front);
        /* Side seams: a doubled layer, a little cooler. */
        /* exp is +0 below -745 (|q| > 40: pow(q, 2) >= 1600), and adding 1.5 * +0 changes
         * nothing */
        const double q = (side - 1.0) / 0.01;
        zm.m[FB_TZ_CLOTH_COOL] += fabs(q) > 40.0 ? 0.0 : 1.5 * exp(-0.5 * pow(q, 2));
        /* An open jacket: the shirt shows down the front, warmer; the lapels' edges cooler. */
        if (lk->jacket && front > 0.8) {
            double x = fabs(sin_az);
            zm.m[FB_TZ_CLOTH_WARM] += 3.0 * smooth(0.07, 0.05, x) * smooth(0.1, 0.25, t);
            zm.m[FB_TZ_CLOTH_COOL] += 1.2 * gauss2(x - 0.075, 0.012, 0, 1);
        }
        break;
    }
    case TUBE_NECK:
        zm.m[FB_TZ_NECK] = 1.0;
        /* under the chin, at the front: warm; long hair covers the back */
        zm.m[FB_TZ_FOREHEAD_WARM] = 0.5 * smooth(0.5, 1.0, t) * (0.5 + 0.5 * cos_az);
        if (lk->hair == FB_HAIR_LONG)
            zm.m[FB_TZ_HAIR] = 3.0 * smooth(0.2, -0.4, cos_az);
        v->part = FB_PART_SKIN;
        v->eps0 = 0.98f;
        break;
    case TUBE_BARE:
    case TUBE_HAND:
        zm.m[FB_TZ_HAND] = 1.0;
        v->part = FB_PART_SKIN;
        v->eps0 = 0.98f;
        break;
    case TUBE_SLEEVE:
    case TUBE_TROUSERS: {
        double crease = 0.5 + 0.5 * sin(z / (lk->fold_m * 0.7) * 2 * FIG_PI + lk->fold_phase + az);
        zm.m[FB_TZ_CLOTH] = 1.0;
        zm.m[FB_TZ_CLOTH_COOL] = 0.6 * crease * crease + 0.8 * smooth(0.85, 1.0, t);
        zm.m[FB_TZ_CLOTH_WARM] = 0.8 * smooth(0.2, 0.0, t);
        break;
    }
    case TUBE_CUP:
        zm.m[FB_TZ_CUP] = 1.0;
        v->part = FB_PART_CUP;
        break;
    case TUBE_HAIR:
        zm.m[FB_TZ_HAIR] = 1.0;
        zm.m[FB_TZ_CLOTH] = 0.4 * vnoise(lk->hair_seed, az * 12, z * 40) * t;
        v->part = FB_PART_HAIR;
        break;
    }
    put_zones(v, &zm);
}

/* A tube along z from z0 (t = 0) to z1 (t = 1), its axis y_off in front (-) or behind (+),
 * nu vertices around and nv along, closed at both ends by a ring of radius 0. */
static void build_tube(mbuild *b, const tube *tb, double z0, double z1, int nu, int nv, double y_off)
{
    uint32_t base = b->m->nv;
    enum { NU_MAX = 64 };
    if (nu > NU_MAX) { /* the levels' tubes have at most 22 */
        b->fail = 1;
        return;
    }
    mb_reserve(b, (size_t)nu * (size_t)(nv + 2), 0);
    if (b->fail)
        return;
    double s_az[NU_MAX], c_az[NU_MAX]; /* the same for every ring */
    for (int i = 0; i < nu; i++) {
        double az = 2 * FIG_PI * i / nu;
        s_az[i] = sin(az);
        c_az[i] = cos(az);
    }
    for (int j = 0; j < nv + 2; j++) {
        double t = j == 0 ? 0.0 : j == nv + 1 ? 1.0 : (double)(j - 1) / (double)(nv - 1);
        double z = z0 + (z1 - z0) * t, rx = 0.0, ry = 0.0;
        if (j > 0 && j < nv + 1)
            tube_section(tb, t, &rx, &ry);
        for (int i = 0; i < nu; i++) {
            double az = 2 * FIG_PI * i / nu;
            fb_fig_vertex *v = &b->m->v[b->m->nv++];
            memset(v, 0, sizeof(*v));
            v->p[0] = (float)(rx * s_az[i]);
            v->p[1] = (float)(y_off - ry * c_az[i]);
            v->p[2] = (float)z;
            tube_surface(tb, v, t, az, s_az[i], c_az[i], z);
        }
    }
    /* u runs with az (toward +x from the front), v from z0 to z1: for z1 > z0 that is up. */
    grid_tris(b, base, nu, nv + 2, true, z1 < z0);
}

/* A new mesh on a bone holding one tube. */
static void add_tube(fb_fig_mesh *meshes, size_t *n_mesh, const tube *tb, int bone, double z0,
                     double z1, int nu, int nv, double y_off, int *fail)
{
    fb_fig_mesh *m = &meshes[(*n_mesh)++];
    memset(m, 0, sizeof(*m));
    m->bone = bone;
    mbuild b = {m, 0, 0, 0};
    build_tube(&b, tb, z0, z1, nu, nv, y_off);
    *fail |= b.fail || mesh_normals(m) != 0;
}

/* Body proportions (shares of standing height; our round numbers after adult anthropometry). */
#define FIG_SHOULDER_BELOW_HEAD 0.20 /* shoulder line below the head centre, m */
#define FIG_HIP_Z 0.53               /* hip joint */
#define FIG_CROTCH_Z 0.47
#define FIG_UPPER_ARM 0.186
#define FIG_FOREARM 0.146
#define FIG_HAND 0.108
#define FIG_THIGH 0.245
#define FIG_SHIN 0.25

static double head_centre_z(const fb_figure *f)
{
    double top = f->look.hair == FB_HAIR_BALD ? 0.0 : f->look.hair_m * 0.8;
    return f->height_m - f->look.head_h_m / 2 - top + 0.01;
}

/* Truth points on the head's skin (no mesh needed: the surface function itself): eyes, nose
 * tip, mouth corners, inner canthi. */
static void truth_points(fb_figure *f)
{
    headgeo g;
    headgeo_init(&g, &f->look);
    const double pts[7][2] = {{-g.xe, g.ze},        {g.xe, g.ze},       {0.0, g.ztip + 0.002},
                              {-0.023, g.zmouth},   {0.023, g.zmouth},  {-g.xc, g.ze},
                              {g.xc, g.ze}};
    for (int k = 0; k < 7; k++) {
        double a, e, d[3];
        solve_frontal(&g, pts[k][0], pts[k][1], &a, &e);
        dir_of(a, e, d);
        double r = base_r(&g, d), x, z, ff;
        frontal(&g, d, &x, &z, &ff);
        r += features(&g, x, z, ff);
        double *out = k < 5 ? f->landmark[k] : f->canthus[k - 5];
        for (int q = 0; q < 3; q++)
            out[q] = r * d[q];
    }
}

int fb_figure_init(fb_figure *f, const fb_figure_look *look, double height_m, bool glasses,
                    bool mask, bool hat, bool cup)
{
    memset(f, 0, sizeof(*f));
    f->look = *look;
    f->height_m = height_m;
    f->glasses = glasses;
    f->mask = mask;
    f->hat = hat;
    f->cup = cup;
    f->head_centre_z_m = head_centre_z(f);
    truth_points(f); /* the meshes wait until the person is drawn (fb_figure_lod) */
    headgeo g;
    headgeo_init(&g, &f->look);
    spot_lines(&g, f->spot_az, f->spot_el);
    return 0;
}

static void glasses_mesh(fb_fig_mesh *meshes, size_t *n_mesh, const fb_figure *f, int *fail)
{
    headgeo g;
    headgeo_init(&g, &f->look);
    fb_fig_mesh *m = &meshes[(*n_mesh)++];
    memset(m, 0, sizeof(*m));
    m->bone = FB_BONE_HEAD;
    mbuild b = {m, 0, 0, 0};
    /* The lens plane: 13 mm in front of the eyes' surface, following the face's curve. */
    double eye_front = -(g.B * 0.97) - 0.002; /* the cornea lies near the face plane */
    double yl = eye_front - 0.013;
    for (int side = -1; side <= 1; side += 2) {
        int nu = 6, nv = 4;
        uint32_t base = m->nv;
        mb_reserve(&b, (size_t)nu * (size_t)nv, 0);
        if (b.fail)
            break;
        for (int j = 0; j < nv; j++)
            for (int i = 0; i < nu; i++) {
                double u = (double)i / (nu - 1), vv = (double)j / (nv - 1);
                double x = side * (0.007 + 0.046 * u);
                double z = g.ze - 0.017 + 0.033 * vv;
                /* round the outer corners */
                double cu = fabs(u - 0.5) * 2, cv = fabs(vv - 0.5) * 2;
                if (cu > 0.9 && cv > 0.9)
                    z = g.ze - 0.001 + (z - g.ze) * 0.8;
                fb_fig_vertex *v = &m->v[m->nv++];
                memset(v, 0, sizeof(*v));
                v->p[0] = (float)x;
                v->p[1] = (float)(yl + 0.9 * x * x / 0.06);
                v->p[2] = (float)z;
                one_zone(v, FB_TZ_LENS);
                v->part = FB_PART_LENS;
                v->eps0 = 0.90f;
            }
        grid_tris(&b, base, nu, nv, false, side > 0 ? false : true);
        /* the grid's u runs outward: flip the left lens so both face the camera */
    }
    /* Bridge and the temples (arms) back to the ears, thin boxes drawn as two strips each. */
    double strips[3][6] = {
        {-0.008, yl, g.ze + 0.008, 0.008, yl, g.ze + 0.008},
        {-0.053, yl + 0.04, g.ze + 0.012, -g.A - 0.004, g.B * 0.1, g.ze + 0.006},
        {0.053, yl + 0.04, g.ze + 0.012, g.A + 0.004, g.B * 0.1, g.ze + 0.006},
    };
    for (int s = 0; s < 3 && !b.fail; s++) {
        uint32_t base = m->nv;
        mb_reserve(&b, 4, 0);
        if (b.fail)
            break;
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) {
                fb_fig_vertex *v = &m->v[m->nv++];
                memset(v, 0, sizeof(*v));
                const double *a = &strips[s][0], *c = &strips[s][3];
                if (s == 0) {
                    v->p[0] = (float)(i ? c[0] : a[0]);
                    v->p[1] = (float)a[1];
                    v->p[2] = (float)(a[2] + (j ? 0.003 : -0.003));
                } else {
                    /* temples: horizontal-ish strips, 4 mm tall, seen edge-on from the front */
                    double lx = i ? c[0] : a[0] + (s == 1 ? 0.0 : 0.0);
                    v->p[0] = (float)(s == 1 ? (i ? c[0] : -0.055) : (i ? c[0] : 0.055));
                    (void)lx;
                    v->p[1] = (float)(i ? c[1] : yl + 0.002);
                    v->p[2] = (float)((i ? c[2] : a[2]) + (j ? 0.002 : -0.002));
                }
                one_zone(v, FB_TZ_LENS);
                v->part = FB_PART_LENS;
                v->eps0 = 0.90f;
            }
        /* both windings: a strip is seen from either side */
        mb_reserve(&b, 0, 4);
        if (b.fail)
            break;
        uint32_t(*t)[3] = &m->tri[m->nt];
        uint32_t q[4] = {base, base + 1, base + 3, base + 2};
        t[0][0] = q[0], t[0][1] = q[1], t[0][2] = q[2];
        t[1][0] = q[0], t[1][1] = q[2], t[1][2] = q[3];
        t[2][0] = q[0], t[2][1] = q[2], t[2][2] = q[1];
        t[3][0] = q[0], t[3][1] = q[3], t[3][2] = q[2];
        m->nt += 4;
    }
    *fail |= b.fail || mesh_normals(m) != 0;
}

/* The body's meshes, after the head's in a level: torso, neck, limbs, then the items held or
 * worn that are not shells over the head grid; counted in *n_mesh, *fail set on running out of
 * memory. */
static void build_body(const fb_figure *f, int l, fb_fig_mesh *meshes, size_t *n_mesh,
                       int *fail_out)
{
    size_t n = *n_mesh;
    int fail = 0;
    const fb_figure_look *lk = &f->look;
    double H = f->height_m, hc = f->head_centre_z_m;
    double shoulder_z = hc - FIG_SHOULDER_BELOW_HEAD;
    /* around and along: the torso, then the limbs */
    static const int TORSO_NU[FB_FIG_LODS] = {20, 14, 10, 8}, TORSO_NV[FB_FIG_LODS] = {12, 8, 5, 3};
    static const int LIMB_NU[FB_FIG_LODS] = {8, 8, 6, 5}, LIMB_NV[FB_FIG_LODS] = {5, 5, 3, 2};
    int nu = TORSO_NU[l], nv = TORSO_NV[l];
    /* Torso and neck in the torso's frame: origin at the hip joint height on the body axis; the
     * neck runs from inside the torso to inside the head. */
    double hip_z = FIG_HIP_Z * H;
    tube tb = {f, TUBE_TORSO, 0, 0};
    add_tube(meshes, &n, &tb, FB_BONE_TORSO, FIG_CROTCH_Z * H - hip_z, shoulder_z + 0.07 - hip_z,
             nu, nv, 0.0, &fail);
    tb.kind = TUBE_NECK;
    add_tube(meshes, &n, &tb, FB_BONE_TORSO, shoulder_z - 0.03 - hip_z, hc - 0.045 - hip_z,
             nu / 2 + 2, 3, 0.008, &fail);
    int lnu = LIMB_NU[l], lnv = LIMB_NV[l];
    for (int side = 0; side < 2; side++) {
        /* limbs hang from their joint (the bone's origin) downward */
        tube arm = {f, TUBE_SLEEVE, 0.047, 0.040};
        add_tube(meshes, &n, &arm, FB_BONE_UPPER_ARM_L + side, 0.0, -FIG_UPPER_ARM * H, lnu, lnv,
                 0.0, &fail);
        tube fore = {f, lk->short_sleeves ? TUBE_BARE : TUBE_SLEEVE, 0.038, 0.029};
        add_tube(meshes, &n, &fore, FB_BONE_FOREARM_L + side, 0.0, -FIG_FOREARM * H, lnu, lnv,
                 0.0, &fail);
        /* the hand hangs from the forearm's end: a tube flattened into a palm, narrow across x
         * and broad along y */
        tube hand = {f, TUBE_HAND, 0.030, 0.022};
        add_tube(meshes, &n, &hand, FB_BONE_FOREARM_L + side, -FIG_FOREARM * H + 0.01,
                 -FIG_FOREARM * H - FIG_HAND * H, lnu, lnv, 0.0, &fail);
        if (!fail) {
            fb_fig_mesh *m = &meshes[n - 1];
            for (uint32_t i = 0; i < m->nv; i++)
                m->v[i].p[0] *= 0.55f, m->v[i].p[1] *= 1.35f;
            fail |= mesh_normals(m) != 0;
        }
        tube thigh = {f, TUBE_TROUSERS, 0.078, 0.056}, shin = {f, TUBE_TROUSERS, 0.052, 0.038};
        add_tube(meshes, &n, &thigh, FB_BONE_THIGH_L + side, 0.0, -FIG_THIGH * H, lnu, lnv, 0.0,
                 &fail);
        add_tube(meshes, &n, &shin, FB_BONE_SHIN_L + side, 0.0, -FIG_SHIN * H, lnu, lnv, 0.0,
                 &fail);
    }
    if (f->glasses)
        glasses_mesh(meshes, &n, f, &fail);
    if (f->cup) { /* held upright in the right hand, in front of the palm */
        tube cup = {f, TUBE_CUP, 0.037, 0.045};
        double z0 = -FIG_FOREARM * H - 0.02;
        add_tube(meshes, &n, &cup, FB_BONE_FOREARM_R, z0 - 0.055, z0 + 0.055, lnu + 2, 3, -0.05,
                 &fail);
    }
    if (lk->hair == FB_HAIR_LONG && !fail) {
        headgeo g;
        headgeo_init(&g, lk);
        tube hair = {f, TUBE_HAIR, 0, 0};
        add_tube(meshes, &n, &hair, FB_BONE_HEAD, g.ze - 0.05, g.ze - 0.35, nu, 4, 0.02, &fail);
        /* keep the back three quarters: drop the triangles that lie wholly in front */
        fb_fig_mesh *m = &meshes[n - 1];
        uint32_t k = 0;
        for (uint32_t t = 0; !fail && t < m->nt; t++) {
            bool front = true;
            for (int q = 0; q < 3; q++)
                front = front && m->v[m->tri[t][q]].p[1] < -0.045f;
            if (!front) {
                memmove(m->tri[k], m->tri[t], sizeof(m->tri[0]));
                k++;
            }
        }
        m->nt = k;
    }
    *n_mesh = n;
    *fail_out |= fail;
}

/* A mesh's bounding sphere: its box's centre, its farthest vertex. */
static void bound_mesh(fb_fig_mesh *m)
{
    float lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    /* fminf(lo, p) and fmaxf(hi, p) for numbers (x86's minss and maxss: the second when they
     * are equal), written out so that the compiler may keep them inline */
    for (uint32_t k = 0; k < m->nv; k++)
        for (int q = 0; q < 3; q++) {
            const float p = m->v[k].p[q];
            lo[q] = lo[q] < p ? lo[q] : p;
            hi[q] = hi[q] > p ? hi[q] : p;
        }
    float r2 = 0.0f;
    for (int q = 0; q < 3; q++)
        m->centre[q] = m->nv ? (lo[q] + hi[q]) / 2 : 0.0f;
    for (uint32_t k = 0; k < m->nv; k++) {
        float d2 = 0.0f;
        for (int q = 0; q < 3; q++)
            d2 += (m->v[k].p[q] - m->centre[q]) * (m->v[k].p[q] - m->centre[q]);
        r2 = r2 > d2 ? r2 : d2;
    }
    m->radius_m = sqrtf(r2);
}

/* Meshes a level holds at most: the face, two shells; torso, neck, 2 x 5 limbs, glasses, cup,
 * long hair. */
#define LOD_MESHES_MAX 24
/* Rows of the head grid a piece evaluates (the finest grid has some 60 rows of ~150 nodes). */
#define BUILD_ROWS_PER_PIECE 6

struct fb_fig_build {
    fb_figure *f;
    int lod;
    headplan hp;
    fb_fig_mesh head[3];                 /* the face, then its shells (head_end) */
    size_t n_head;
    fb_fig_mesh body[LOD_MESHES_MAX];    /* piece 0 */
    size_t n_body;
    int body_fail;
};

static void free_meshes(fb_fig_mesh *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].v);
        free(m[i].soa.p[0]);
        free(m[i].tri);
    }
}

int fb_figure_build_begin(fb_figure *f, int l, fb_fig_build **out, int *n_pieces)
{
    *out = NULL;
    *n_pieces = 0;
    if (l < 0)
        l = 0;
    if (l > FB_FIG_LODS - 1)
        l = FB_FIG_LODS - 1;
    fb_fig_build *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->f = f;
    b->lod = l;
    if (head_begin(f, l, &b->hp, b->head, &b->n_head)) {
        free_meshes(b->head, b->n_head);
        free(b);
        return -1;
    }
    *out = b;
    *n_pieces = 1 + (b->hp.nel + BUILD_ROWS_PER_PIECE - 1) / BUILD_ROWS_PER_PIECE;
    return 0;
}

void fb_figure_build_piece(fb_fig_build *b, int i)
{
    if (i == 0) {
        build_body(b->f, b->lod, b->body, &b->n_body, &b->body_fail);
        for (size_t k = 0; !b->body_fail && k < b->n_body; k++) {
            bound_mesh(&b->body[k]);
            /* the vertices field by field for shading, once they are final */
            b->body_fail |= fb_fig_soa_build(b->body[k].v, b->body[k].nv, &b->body[k].soa) != 0;
        }
        return;
    }
    int j0 = (i - 1) * BUILD_ROWS_PER_PIECE, j1 = j0 + BUILD_ROWS_PER_PIECE;
    head_rows(&b->hp, j0 < b->hp.nel ? j0 : b->hp.nel, j1 < b->hp.nel ? j1 : b->hp.nel);
}

int fb_figure_build_end(fb_fig_build *b)
{
    if (!b)
        return -1;
    fb_figure *f = b->f;
    int fail = head_end(f, &b->hp, b->head, &b->n_head) != 0 || b->body_fail;
    for (size_t i = 0; !fail && i < b->n_head; i++)
        fail = fb_fig_soa_build(b->head[i].v, b->head[i].nv, &b->head[i].soa) != 0;
    fb_fig_mesh *meshes = fail ? NULL : calloc(LOD_MESHES_MAX, sizeof(*meshes));
    if (!meshes) { /* nothing half-built is kept: the next call tries again */
        free_meshes(b->head, b->n_head);
        free_meshes(b->body, b->n_body);
        free(b);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < b->n_head; i++) {
        bound_mesh(&b->head[i]);
        meshes[n++] = b->head[i];
    }
    for (size_t i = 0; i < b->n_body; i++)
        meshes[n++] = b->body[i];
    f->lod[b->lod] = meshes;
    f->n_mesh[b->lod] = n;
    free(b);
    return 0;
}

void fb_figure_build_abort(fb_fig_build *b)
{
    if (!b)
        return;
    free(b->hp.hn);
    free_meshes(b->head, b->n_head);
    free_meshes(b->body, b->n_body);
    free(b);
}

static int build_lod(fb_figure *f, int l)
{
    fb_fig_build *b;
    int n_pieces;
    if (fb_figure_build_begin(f, l, &b, &n_pieces))
        return -1;
    for (int i = 0; i < n_pieces; i++)
        fb_figure_build_piece(b, i);
    return fb_figure_build_end(b);
}

const fb_fig_mesh *fb_figure_lod(fb_figure *f, int l, size_t *n_mesh)
{
    if (l < 0)
        l = 0;
    if (l > FB_FIG_LODS - 1)
        l = FB_FIG_LODS - 1;
    if (!f->lod[l] && build_lod(f, l) != 0) {
        *n_mesh = 0;
        return NULL;
    }
    *n_mesh = f->n_mesh[l];
    return f->lod[l];
}

void fb_figure_free(fb_figure *f)
{
    fb_figure_release(f);
}

void fb_figure_release(fb_figure *f)
{
    for (int l = 0; l < FB_FIG_LODS; l++) {
        for (size_t i = 0; f->lod[l] && i < f->n_mesh[l]; i++) {
            free(f->lod[l][i].v);
            free(f->lod[l][i].soa.p[0]);
            free(f->lod[l][i].tri);
        }
        free(f->lod[l]);
        f->lod[l] = NULL;
        f->n_mesh[l] = 0;
    }
}

/* ---- pose ---------------------------------------------------------------------------------- */

static void rot_mul(const double a[9], const double b[9], double out[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
}

static void rot_x(double a, double r[9])
{
    double c = cos(a), s = sin(a);
    double m[9] = {1, 0, 0, 0, c, -s, 0, s, c};
    memcpy(r, m, sizeof(m));
}
static void rot_y(double a, double r[9])
{
    double c = cos(a), s = sin(a);
    double m[9] = {c, 0, s, 0, 1, 0, -s, 0, c};
    memcpy(r, m, sizeof(m));
}
static void rot_z(double a, double r[9])
{
    double c = cos(a), s = sin(a);
    double m[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
    memcpy(r, m, sizeof(m));
}

static void set_bone(double *m, const double r[9], const double t[3])
{
    for (int i = 0; i < 3; i++) {
        m[4 * i] = r[3 * i];
        m[4 * i + 1] = r[3 * i + 1];
        m[4 * i + 2] = r[3 * i + 2];
        m[4 * i + 3] = t[i];
    }
}

void fb_figure_pose_at(const fb_figure *f, double x_m, double y_m, double gait_cycles,
                       double speed_mps, double yaw_deg, fb_figure_pose *pose)
{
    const fb_figure_look *lk = &f->look;
    double H = f->height_m;
    double ph = 2 * FIG_PI * gait_cycles;
    double walk = clampd(speed_mps / 1.31, 0.0, 1.5); /* docs/sources.md usual speed 1.31 m/s */
    /* Gait (our round numbers after gait-lab averages): legs swing +/-20°, arms +/-14° in
     * opposition, the body is lowest at double support (twice per stride) by ~2.5 cm and sways
     * +/-1.5 cm sideways once per stride. */
    double leg = 20.0 * DEG * walk * sin(ph);
    double arm = 14.0 * DEG * walk * sin(ph);
    double bob = -0.025 * walk * (0.5 + 0.5 * cos(2 * ph));
    double sway = 0.015 * walk * sin(ph);
    double hip_z = FIG_HIP_Z * H;
    double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, r[9], r2[9], r3[9];
    double torso_t[3] = {x_m + sway, y_m, hip_z + bob};
    double twist[9];
    rot_z(-3.0 * DEG * walk * sin(ph), twist);
    set_bone(pose->m[FB_BONE_TORSO], twist, torso_t);

    /* Head: pivot at the top of the neck; yaw, then pitch (+ down), then roll. */
    double hc = f->head_centre_z_m;
    double pitch = (lk->pitch_deg + 1.5 * walk * sin(2 * ph)) * DEG;
    double roll = (lk->roll_deg + 1.0 * walk * sin(ph)) * DEG;
    rot_z(yaw_deg * DEG, r);
    rot_x(-pitch, r2);
    rot_mul(r, r2, r3);
    rot_y(roll, r2);
    rot_mul(r3, r2, r);
    double piv[3] = {0.0, 0.015, -0.065}; /* pivot in the head frame */
    double rp[3];
    for (int i = 0; i < 3; i++)
        rp[i] = r[3 * i] * piv[0] + r[3 * i + 1] * piv[1] + r[3 * i + 2] * piv[2];
    double head_t[3] = {torso_t[0] + piv[0] - rp[0], torso_t[1] + piv[1] - rp[1],
                        hc + bob + piv[2] - rp[2]};
    set_bone(pose->m[FB_BONE_HEAD], r, head_t);

    double shoulder_z = hc - FIG_SHOULDER_BELOW_HEAD + bob;
    for (int side = 0; side < 2; side++) {
        double sx = side ? 1.0 : -1.0;
        /* the person's left arm is on the image left when facing the camera */
        double a = (side ? -1.0 : 1.0) * arm;
        double sh_t[3] = {torso_t[0] + sx * (lk->shoulder_w_m / 2 - 0.045), y_m,
                          shoulder_z - 0.025};
        double abd[9];
        rot_y(sx * 6.0 * DEG, abd); /* arms hang slightly away from the body */
        rot_x(a, r2);
        rot_mul(r2, abd, r);
        (void)id;
        bool cup = side == 1 && f->cup;
        if (cup)
            rot_x(-25.0 * DEG, r2), rot_mul(r2, abd, r);
        set_bone(pose->m[FB_BONE_UPPER_ARM_L + side], r, sh_t);
        double elbow_local[3] = {0, 0, -FIG_UPPER_ARM * H}, el[3];
        fb_figure_xform_point(pose->m[FB_BONE_UPPER_ARM_L + side], elbow_local, el);
        double bend = cup ? -95.0 * DEG : a - (12.0 + 10.0 * walk * (0.5 + 0.5 * sin(ph + (side ? FIG_PI : 0)))) * DEG;
        rot_x(cup ? bend - 25.0 * DEG : bend, r2);
        rot_mul(r2, abd, r3);
        set_bone(pose->m[FB_BONE_FOREARM_L + side], r3, el);

        double l = (side ? 1.0 : -1.0) * leg;
        double hip_t[3] = {torso_t[0] + sx * 0.09, y_m, hip_z + bob};
        rot_x(l, r);
        set_bone(pose->m[FB_BONE_THIGH_L + side], r, hip_t);
        double knee_local[3] = {0, 0, -FIG_THIGH * H}, kn[3];
        fb_figure_xform_point(pose->m[FB_BONE_THIGH_L + side], knee_local, kn);
        double knee = l - 15.0 * DEG * walk * fmax(0.0, sin(ph + (side ? 0.0 : FIG_PI) + 0.8));
        rot_x(fmin(knee, l), r2);
        set_bone(pose->m[FB_BONE_SHIN_L + side], r2, kn);
    }
}

void fb_figure_head_centre(const fb_figure_pose *pose, double out[3])
{
    out[0] = pose->m[FB_BONE_HEAD][3];
    out[1] = pose->m[FB_BONE_HEAD][7];
    out[2] = pose->m[FB_BONE_HEAD][11];
}

/* ---- temperatures -------------------------------------------------------------------------- */

void fb_figure_zone_temps(const fb_figure_look *lk, const fb_surface_temps *st, double t_s,
                          double ambient_c, double out[FB_TZ_COUNT])
{
    /* docs/sources.md anchors: the forehead centre (FDA canthus - forehead centre), the forehead maximum
     * (oral - forehead max 1.67 vs centre 2.59: +0.92 on average, per person), the cornea ~1 °C
     * below the inner canthus (Micheletti 2022: 33.3 vs 34.3), cheeks and nose tip cooler
     * (Ariyaratnam & Rood 1990; the nose the most variable), the ear and the lower lip cool,
     * the mouth corners warm (Haddad 2016). Breathing: 15 breaths a minute warm the nostrils
     * and the mask's inside on each exhalation (our amplitude 1.2 °C, half on the mask). */
    double breath = 0.5 + 0.5 * sin(2 * FIG_PI * t_s / 4.0 + lk->breath_phase);
    out[FB_TZ_FOREHEAD] = st->forehead_c;
    out[FB_TZ_FOREHEAD_WARM] = fmin(st->forehead_c + lk->forehead_max_c, st->canthus_max_c + 0.3);
    out[FB_TZ_PERIORBITAL] = st->periorbital_c;
    out[FB_TZ_EYE] = st->canthus_max_c - 1.0;
    /* The face's extremities as fins toward the room: the cheeks, the nose and the ears keep a
     * share of the forehead's excess over the air (our 0.82, 0.68, 0.70: at 22 °C air the
     * cheeks ~2 °C and the nose tip ~4 °C under the forehead, as contact mapping and
     * thermograms show; in a warm room the face evens out). */
    double excess = st->forehead_c - ambient_c;
    double cheeks = fmin(st->cheeks_c, ambient_c + 0.82 * excess);
    double nose = fmin(st->nose_c, ambient_c + 0.68 * excess);
    out[FB_TZ_CHEEK] = cheeks;
    out[FB_TZ_NOSE] = nose - lk->nose_cool_c;
    /* the nostrils' rims: near the cheeks, cooled by the inhaled air and warmed on each
     * exhalation */
    out[FB_TZ_NOSTRIL] = cheeks - 1.0 + 1.8 * breath;
    out[FB_TZ_LIP] = cheeks + 0.8;
    out[FB_TZ_CHIN] = cheeks - 0.3;
    out[FB_TZ_EAR] = fmin(cheeks - 1.2, ambient_c + 0.70 * excess);
    out[FB_TZ_SCALP] = st->forehead_c - 0.3;
    out[FB_TZ_NECK] = st->neck_c;
    out[FB_TZ_HAIR] = st->hair_c;
    out[FB_TZ_CLOTH] = st->clothing_c;
    out[FB_TZ_CLOTH_WARM] = st->clothing_c + 0.35 * (st->neck_c - st->clothing_c);
    out[FB_TZ_CLOTH_COOL] = st->clothing_c - 0.35 * (st->clothing_c - ambient_c);
    out[FB_TZ_HAND] = st->hands_c;
    out[FB_TZ_LENS] = st->lens_c;
    out[FB_TZ_MASK] = st->mask_c - 0.4;
    out[FB_TZ_MASK_WARM] = st->mask_c + 0.4 + 0.6 * breath;
    out[FB_TZ_HAT] = st->hat_c;
    out[FB_TZ_CUP] = st->cup_c;
}
