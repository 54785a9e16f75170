/* room.h — the room around the lane as flat patches with temperatures: floor, ceiling, walls
 * warmer toward the ceiling, a door in the back wall with its frame and a cooler corridor
 * behind, a window with a radiator under it, ceiling light panels. Pure geometry and
 * temperatures (sim/world/render.c draws them; people are reflected in the floor there). */
#ifndef FB_ROOM_H
#define FB_ROOM_H

#include <stdbool.h>
#include <stddef.h>

typedef enum fb_room_preset {
    FB_ROOM_PLAIN = 0, /* a uniform wall at the air temperature, far behind everything */
    FB_ROOM_LOBBY,     /* an entrance hall: door at the back, window and radiator on the left */
    FB_ROOM_CORRIDOR,  /* a long narrow corridor with a door at its end */
    FB_ROOM_PRESET_COUNT
} fb_room_preset;

/* A room. fb_room_defaults fills a preset's values; a scenario may override the numbers. World
 * frame as models/camera.h: x across the lane, y away from the camera, z up from the floor. */
typedef struct fb_room_params {
    fb_room_preset preset;
    double width_m, depth_m, height_m; /* x in [-w/2, w/2], y in [-1, depth], z in [0, height] */
    double floor_emissivity;           /* polished floors reflect: (0, 1] */
    double outdoor_c;                  /* outside the window */
    double radiator_c;                 /* the radiator's surface */
    double lights_c;                   /* the light panels' surface */
} fb_room_params;

/* Name of a preset ("plain", "lobby", "corridor"), or NULL. */
const char *fb_room_preset_name(fb_room_preset p);

/* The preset's dimensions and temperatures (docs/scenario.md gives them with their sources). */
void fb_room_defaults(fb_room_preset p, fb_room_params *out);

/* What a patch is, for its emissivity and for reflections. */
typedef enum fb_room_surface {
    FB_ROOM_WALL = 0,
    FB_ROOM_FLOOR,
    FB_ROOM_CEILING,
    FB_ROOM_DOOR_FRAME,
    FB_ROOM_GLASS,
    FB_ROOM_RADIATOR,
    FB_ROOM_LIGHT
} fb_room_surface;

/* A parallelogram p0 + s eu + t ev (s, t in [0, 1]) facing along eu x ev, cut into nu x nv cells
 * (so the vertical temperature gradient and the camera's near plane are followed cell by cell). */
typedef struct fb_room_patch {
    double p0[3], eu[3], ev[3];
    int nu, nv;
    fb_room_surface surface;
    double emissivity;
    double temp_c;          /* at height 1.5 m (walls) or everywhere (the rest) */
    double grad_c_per_m;    /* temperature change per metre of height */
} fb_room_patch;

#define FB_ROOM_MAX_PATCHES 48

/* Writes the room's patches for air temperature ambient_c into out (at most
 * FB_ROOM_MAX_PATCHES) and returns how many (0 for the plain preset). */
size_t fb_room_patches(const fb_room_params *p, double ambient_c, fb_room_patch *out);

/* Temperature of a patch at height z_m. */
double fb_room_patch_temp(const fb_room_patch *pt, double z_m);

#endif
