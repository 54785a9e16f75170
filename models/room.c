/* room.c — the presets' rooms as patches: floor, ceiling, walls with a vertical gradient, door
 * and corridor, window and radiator, light panels. */
#include <string.h>
#include "room.h"

const char *fb_room_preset_name(fb_room_preset p)
{
    static const char *const names[FB_ROOM_PRESET_COUNT] = {"plain", "lobby", "corridor"};
    return (unsigned)p < FB_ROOM_PRESET_COUNT ? names[p] : NULL;
}

void fb_room_defaults(fb_room_preset p, fb_room_params *out)
{
    memset(out, 0, sizeof(*out));
    out->preset = p;
    /* Our round numbers for an entrance hall and a corridor. Floors: polished stone or vinyl,
     * emissivity ~0.9 in the LWIR (glossy: the rest reflects, mostly specularly). Radiator: a
     * hot-water panel at ~55 °C; LED ceiling panels run ~35-40 °C at their face. The window's
     * outside: a cold day (the scenario's air inside stays the room's). */
    out->outdoor_c = 5.0;
    out->radiator_c = 55.0;
    out->lights_c = 38.0;
    switch (p) {
    case FB_ROOM_LOBBY:
        out->width_m = 6.0, out->depth_m = 14.0, out->height_m = 3.0;
        out->floor_emissivity = 0.90;
        break;
    case FB_ROOM_CORRIDOR:
        out->width_m = 2.6, out->depth_m = 18.0, out->height_m = 2.6;
        out->floor_emissivity = 0.92;
        break;
    default:
        out->width_m = 6.0, out->depth_m = 14.0, out->height_m = 3.0;
        out->floor_emissivity = 0.95;
        break;
    }
}

/* Stratified air: walls and ceiling warmer toward the top, 0.3 K per metre (our assumption:
 * heated rooms stratify ~0.5 K/m in the air; walls follow part of it). */
#define WALL_GRADIENT_C_PER_M 0.3
#define WALL_EMISSIVITY 0.95   /* painted plaster */
#define WOOD_EMISSIVITY 0.90
#define GLASS_EMISSIVITY 0.84  /* soda-lime glass in the 8-14 um band */
#define DOOR_W_M 1.0
#define DOOR_H_M 2.1
#define FRAME_M 0.08
#define CORRIDOR_M 4.0

static fb_room_patch patch(double x0, double y0, double z0, const double eu[3], const double ev[3],
                           int nu, int nv, fb_room_surface surf, double eps, double t_c,
                           double grad)
{
    fb_room_patch p;
    p.p0[0] = x0, p.p0[1] = y0, p.p0[2] = z0;
    memcpy(p.eu, eu, sizeof(p.eu));
    memcpy(p.ev, ev, sizeof(p.ev));
    p.nu = nu, p.nv = nv;
    p.surface = surf;
    p.emissivity = eps;
    p.temp_c = t_c;
    p.grad_c_per_m = grad;
    return p;
}

/* A vertical rectangle in the plane y = y (x from x0 to x1, z from z0 to z1). */
static fb_room_patch wall_y(double y, double x0, double x1, double z0, double z1, double t_c,
                            fb_room_surface surf, double eps)
{
    double eu[3] = {x1 - x0, 0, 0}, ev[3] = {0, 0, z1 - z0};
    int nu = (int)((x1 - x0) / 1.0) + 1, nv = (int)((z1 - z0) / 0.5) + 1;
    return patch(x0, y, z0, eu, ev, nu, nv, surf, eps, t_c,
                 surf == FB_ROOM_WALL ? WALL_GRADIENT_C_PER_M : 0.0);
}

/* A vertical rectangle in the plane x = x (y from y0 to y1, z from z0 to z1). */
static fb_room_patch wall_x(double x, double y0, double y1, double z0, double z1, double t_c,
                            fb_room_surface surf, double eps)
{
    double eu[3] = {0, y1 - y0, 0}, ev[3] = {0, 0, z1 - z0};
    int nu = (int)((y1 - y0) / 0.5) + 1, nv = (int)((z1 - z0) / 0.5) + 1;
    return patch(x, y0, z0, eu, ev, nu, nv, surf, eps, t_c,
                 surf == FB_ROOM_WALL ? WALL_GRADIENT_C_PER_M : 0.0);
}

/* A horizontal rectangle at height z (x from x0 to x1, y from y0 to y1). */
static fb_room_patch flat_z(double z, double x0, double x1, double y0, double y1, double t_c,
                            fb_room_surface surf, double eps)
{
    double eu[3] = {x1 - x0, 0, 0}, ev[3] = {0, y1 - y0, 0};
    int nu = (int)((x1 - x0) / 0.5) + 1, nv = (int)((y1 - y0) / 0.5) + 1;
    return patch(x0, y0, z, eu, ev, nu, nv, surf, eps, t_c, 0.0);
}

size_t fb_room_patches(const fb_room_params *p, double ambient_c, fb_room_patch *out)
{
    if (p->preset == FB_ROOM_PLAIN)
        return 0;
    size_t n = 0;
    const double w2 = p->width_m / 2, d = p->depth_m, h = p->height_m;
    const double mid = ambient_c; /* walls at 1.5 m: the air */
    /* floor a little below the air, ceiling above it (stratification) */
    out[n++] = flat_z(0.0, -w2, w2, -1.0, d, ambient_c - 0.5, FB_ROOM_FLOOR, p->floor_emissivity);
    out[n++] = flat_z(h, -w2, w2, -1.0, d, ambient_c + WALL_GRADIENT_C_PER_M * (h - 1.5),
                      FB_ROOM_CEILING, WALL_EMISSIVITY);
    out[n++] = wall_x(-w2, -1.0, d, 0.0, h, mid, FB_ROOM_WALL, WALL_EMISSIVITY);
    out[n++] = wall_x(w2, -1.0, d, 0.0, h, mid, FB_ROOM_WALL, WALL_EMISSIVITY);
    /* the back wall around a door in its middle, the door's frame just in front */
    const double dw = DOOR_W_M / 2;
    out[n++] = wall_y(d, -w2, -dw, 0.0, h, mid, FB_ROOM_WALL, WALL_EMISSIVITY);
    out[n++] = wall_y(d, dw, w2, 0.0, h, mid, FB_ROOM_WALL, WALL_EMISSIVITY);
    out[n++] = wall_y(d, -dw, dw, DOOR_H_M, h, mid, FB_ROOM_WALL, WALL_EMISSIVITY);
    out[n++] = wall_y(d - 0.03, -dw - FRAME_M, -dw, 0.0, DOOR_H_M + FRAME_M, ambient_c,
                      FB_ROOM_DOOR_FRAME, WOOD_EMISSIVITY);
    out[n++] = wall_y(d - 0.03, dw, dw + FRAME_M, 0.0, DOOR_H_M + FRAME_M, ambient_c,
                      FB_ROOM_DOOR_FRAME, WOOD_EMISSIVITY);
    out[n++] = wall_y(d - 0.03, -dw, dw, DOOR_H_M, DOOR_H_M + FRAME_M, ambient_c,
                      FB_ROOM_DOOR_FRAME, WOOD_EMISSIVITY);
    /* through the door: a corridor 1 K cooler (unheated), its end wall and sides */
    const double cor = ambient_c - 1.0, cw = 0.8;
    out[n++] = wall_y(d + CORRIDOR_M, -cw, cw, 0.0, DOOR_H_M + 0.4, cor, FB_ROOM_WALL,
                      WALL_EMISSIVITY);
    out[n++] = wall_x(-cw, d, d + CORRIDOR_M, 0.0, DOOR_H_M + 0.4, cor, FB_ROOM_WALL,
                      WALL_EMISSIVITY);
    out[n++] = wall_x(cw, d, d + CORRIDOR_M, 0.0, DOOR_H_M + 0.4, cor, FB_ROOM_WALL,
                      WALL_EMISSIVITY);
    out[n++] = flat_z(0.0, -cw, cw, d, d + CORRIDOR_M, cor - 0.5, FB_ROOM_FLOOR, p->floor_emissivity);
    out[n++] = flat_z(DOOR_H_M + 0.4, -cw, cw, d, d + CORRIDOR_M, cor, FB_ROOM_CEILING,
                      WALL_EMISSIVITY);
    if (p->preset == FB_ROOM_LOBBY) {
        /* a double-glazed window on the left wall: its inner pane sits part way to the outside,
         * T = air - 0.18 (air - outside) (U ~1.4 W/m2K against ~7.7 W/m2K inside; our
         * numbers), and a radiator under it */
        double glass = ambient_c - 0.18 * (ambient_c - p->outdoor_c);
        out[n++] = wall_x(-w2 + 0.01, 3.5, 7.5, 0.9, 2.3, glass, FB_ROOM_GLASS, GLASS_EMISSIVITY);
        out[n++] = wall_x(-w2 + 0.10, 4.0, 7.0, 0.15, 0.75, p->radiator_c, FB_ROOM_RADIATOR, 0.95);
        out[n++] = flat_z(0.75, -w2, -w2 + 0.10, 4.0, 7.0, p->radiator_c - 3.0, FB_ROOM_RADIATOR,
                          0.95);
    }
    /* ceiling light panels, 0.6 m square, just below the ceiling */
    double xs[2] = {-1.5, 1.5};
    int nx = p->width_m < 4.0 ? 1 : 2;
    if (nx == 1)
        xs[0] = 0.0;
    for (double y = 3.0; y < d - 0.5 && n + 2 <= FB_ROOM_MAX_PATCHES; y += 4.0)
        for (int i = 0; i < nx; i++)
            out[n++] = flat_z(h - 0.005, xs[i] - 0.3, xs[i] + 0.3, y - 0.3, y + 0.3, p->lights_c,
                              FB_ROOM_LIGHT, 0.90);
    return n;
}

double fb_room_patch_temp(const fb_room_patch *pt, double z_m)
{
    return pt->temp_c + pt->grad_c_per_m * (z_m - 1.5);
}
