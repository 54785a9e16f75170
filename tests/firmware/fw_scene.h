/* fw_scene.h — a tiny synthetic thermal-scene painter for the firmware tests (independent of models/ and sim/). */
#ifndef FW_SCENE_H
#define FW_SCENE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifndef FW_W /* the bench's default camera; overridable for experiments */
#define FW_W 256
#define FW_H 192
#define FW_FOCAL 584.0
#define FW_FPS 25.0
#endif
#define FW_CAM_H_M 2.0
#define FW_TILT_DEG 8.0
#define FW_PI 3.14159265358979323846

/* Scene radiance as blackbody-equivalent temperature, °C (emissivity 1 everywhere). */
typedef struct fw_scene {
    double t[FW_H][FW_W];
    double fpn[FW_H][FW_W]; /* fixed-pattern noise, K */
    uint32_t rng;
    double ambient_c;
} fw_scene;

/* What the painter put where, for assertions. */
typedef struct fw_person_px {
    double u, v;     /* head centre, pixels */
    double scale;    /* pixels per metre at the head */
    double head_w_px;
} fw_person_px;

static inline uint32_t fw_xorshift(uint32_t *s) {
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/* Approximately standard normal: Irwin-Hall sum of 4 uniforms, rescaled. */
static inline double fw_gauss(uint32_t *s) {
    double sum = 0.0;
    int i;
    for (i = 0; i < 4; i++)
        sum += (double)(fw_xorshift(s) >> 8) / 16777216.0;
    return (sum - 2.0) * 1.7320508075688772;
}

static inline void fw_scene_init(fw_scene *sc, double ambient_c, uint32_t seed, double fpn_k) {
    int x, y;
    sc->rng = seed ? seed : 1u;
    sc->ambient_c = ambient_c;
    for (y = 0; y < FW_H; y++)
        for (x = 0; x < FW_W; x++)
            sc->fpn[y][x] = fpn_k * fw_gauss(&sc->rng);
}

static inline void fw_scene_clear(fw_scene *sc) {
    int x, y;
    for (y = 0; y < FW_H; y++)
        for (x = 0; x < FW_W; x++)
            sc->t[y][x] = sc->ambient_c;
}

/* Pinhole camera at FW_CAM_H_M, pitched down FW_TILT_DEG. World: x right, y forward, z up. */
static inline void fw_project(double x, double y, double z, double *u, double *v, double *scale) {
    double t = FW_TILT_DEG * FW_PI / 180.0;
    double dz = z - FW_CAM_H_M;
    double depth = y * cos(t) - dz * sin(t);
    double up = y * sin(t) + dz * cos(t);
    *u = FW_W / 2.0 + FW_FOCAL * x / depth;
    *v = FW_H / 2.0 - FW_FOCAL * up / depth;
    *scale = FW_FOCAL / depth;
}

/* Paints an axis-aligned ellipse (kind 1, 4x4 supersampled coverage at its edge) or rectangle
 * (kind 0, exact coverage); only the part above row v_clip (v < v_clip) is painted. */
static inline void fw_paint(fw_scene *sc, int kind, double cu, double cv, double ru, double rv,
                            double temp, double v_clip) {
    int x0 = (int)floor(cu - ru) - 1, x1 = (int)ceil(cu + ru) + 1;
    int y0 = (int)floor(cv - rv) - 1, y1 = (int)ceil(cv + rv) + 1;
    int x, y, i, j;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > FW_W) x1 = FW_W;
    if (y1 > FW_H) y1 = FW_H;
    for (y = y0; y < y1; y++) {
        double vy0 = fmax((double)y, cv - rv), vy1 = fmin(y + 1.0, fmin(cv + rv, v_clip));
        if (vy1 <= vy0)
            continue;
        for (x = x0; x < x1; x++) {
            double c;
            if (kind == 0) {
                double ox = fmin(x + 1.0, cu + ru) - fmax((double)x, cu - ru);
                c = ox > 0 ? ox * (vy1 - vy0) : 0.0;
            } else {
                double ax = fabs(x - cu) > fabs(x + 1.0 - cu) ? x - cu : x + 1.0 - cu;
                double ay = fabs(y - cv) > fabs(y + 1.0 - cv) ? y - cv : y + 1.0 - cv;
                if ((ax / ru) * (ax / ru) + (ay / rv) * (ay / rv) <= 1.0 && y + 1.0 <= v_clip) {
                    c = 1.0; /* the farthest corner is inside: the whole pixel is */
                } else {
                    int hits = 0;
                    for (j = 0; j < 4; j++) {
                        for (i = 0; i < 4; i++) {
                            double pu = x + (i + 0.5) / 4.0, pv = y + (j + 0.5) / 4.0;
                            double du = (pu - cu) / ru, dv = (pv - cv) / rv;
                            if (pv < v_clip && du * du + dv * dv <= 1.0)
                                hits++;
                        }
                    }
                    c = hits / 16.0;
                }
            }
            if (c > 0)
                sc->t[y][x] += (temp - sc->t[y][x]) * c;
        }
    }
}

/* Paints a person whose head centre is at (x_m, dist_m, z_m) with hotter canthus canthus_c
 * (the other canthus 0.2 K lower). Geometry and region temperatures mirror the bench's
 * frontal template (hair cap over the temples, forehead below the hairline, periorbital band
 * and canthi 0.02 m above the head centre, neck, torso, hands at the hips); painted far to near
 * like the bench. */
static inline fw_person_px fw_paint_person(fw_scene *sc, double x_m, double dist_m, double z_m,
                                           double canthus_c, int hands) {
    fw_person_px p;
    double u, v, s, a = sc->ambient_c;
    double forehead = canthus_c - 1.28, cheeks = forehead - 0.5, nose = cheeks - 1.5;
    double neck = canthus_c - 1.0, hair = a + 0.35 * (forehead - a);
    double clothing = a + 0.45 * (forehead - a), hand = canthus_c - 3.0;
    fw_project(x_m, dist_m, z_m, &u, &v, &s);
    p.u = u;
    p.v = v;
    p.scale = s;
    p.head_w_px = 0.16 * s;
    fw_paint(sc, 0, u, v + 0.525 * s, 0.225 * s, 0.325 * s, clothing, 1e9); /* torso */
    if (hands) {
        fw_paint(sc, 0, u - 0.265 * s, v + 0.85 * s, 0.04 * s, 0.06 * s, hand, 1e9);
        fw_paint(sc, 0, u + 0.265 * s, v + 0.85 * s, 0.04 * s, 0.06 * s, hand, 1e9);
    }
    fw_paint(sc, 0, u, v + 0.155 * s, 0.05 * s, 0.055 * s, neck, 1e9);
    fw_paint(sc, 1, u, v, 0.08 * s, 0.115 * s, cheeks, 1e9);           /* head skin */
    fw_paint(sc, 1, u, v - 0.04 * s, 0.085 * s, 0.085 * s, hair, 1e9); /* hair cap */
    fw_paint(sc, 0, u, v - 0.055 * s, 0.05 * s, 0.025 * s, forehead, 1e9);
    fw_paint(sc, 1, u, v + 0.02 * s, 0.065 * s, 0.05 * s, cheeks, 1e9);
    fw_paint(sc, 0, u, v + 0.015 * s, 0.012 * s, 0.022 * s, nose, 1e9);
    fw_paint(sc, 0, u, v - 0.02 * s, 0.055 * s, 0.015 * s, canthus_c - 0.4, 1e9); /* periorbital */
    fw_paint(sc, 0, u - 0.016 * s, v - 0.02 * s, 0.006 * s, 0.004 * s, canthus_c - 0.2, 1e9);
    fw_paint(sc, 0, u + 0.016 * s, v - 0.02 * s, 0.006 * s, 0.004 * s, canthus_c, 1e9);
    return p;
}

/* The reference source: a 7 cm square at (0.4, 2.5, 1.6) m. Returns its pixel bounds. */
static inline void fw_paint_blackbody(fw_scene *sc, double temp_c, int *x0, int *y0, int *x1, int *y1) {
    double u, v, s;
    fw_project(0.4, 2.5, 1.6, &u, &v, &s);
    fw_paint(sc, 0, u, v, 0.035 * s, 0.035 * s, temp_c, 1e9);
    *x0 = (int)floor(u - 0.035 * s);
    *y0 = (int)floor(v - 0.035 * s);
    *x1 = (int)ceil(u + 0.035 * s);
    *y1 = (int)ceil(v + 0.035 * s);
}

/* Optional optics blur: separable [1 2 1] / 4 kernel (sigma ~0.7 px). */
static inline void fw_blur(fw_scene *sc) {
    static double tmp[FW_H][FW_W];
    int x, y;
    for (y = 0; y < FW_H; y++)
        for (x = 0; x < FW_W; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x < FW_W - 1 ? x + 1 : x;
            tmp[y][x] = 0.25 * sc->t[y][xl] + 0.5 * sc->t[y][x] + 0.25 * sc->t[y][xr];
        }
    for (y = 0; y < FW_H; y++)
        for (x = 0; x < FW_W; x++) {
            int yu = y > 0 ? y - 1 : y, yd = y < FW_H - 1 ? y + 1 : y;
            sc->t[y][x] = 0.25 * tmp[yu][x] + 0.5 * tmp[y][x] + 0.25 * tmp[yd][x];
        }
}

/* Sensor: scene + global offset + fixed-pattern + temporal noise -> centikelvin. The temporal
 * noise is drawn from a fixed table of 4096 normal deviates (fast, deterministic). */
static inline void fw_render(fw_scene *sc, double offset_k, double netd_k, uint16_t *out) {
    static double table[4096];
    static int have_table;
    int x, y;
    if (!have_table) {
        uint32_t t = 0x9E3779B9u;
        for (x = 0; x < 4096; x++)
            table[x] = fw_gauss(&t);
        have_table = 1;
    }
    for (y = 0; y < FW_H; y++)
        for (x = 0; x < FW_W; x++) {
            double k = sc->t[y][x] + 273.15 + offset_k + sc->fpn[y][x] +
                       netd_k * table[fw_xorshift(&sc->rng) >> 20];
            double ck = floor(k * 100.0 + 0.5);
            out[y * FW_W + x] = (uint16_t)(ck < 0 ? 0 : ck > 65535 ? 65535 : ck);
        }
}

#endif
