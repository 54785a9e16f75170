/* test_room.c — the rooms' patches: the plain room has none; the lobby's floor, walls and door
 * where the preset puts them; temperatures by hand (wall gradient, window pane, radiator). */
#include <math.h>
#include <string.h>
#include "fbtest.h"
#include "room.h"

int main(void)
{
    fb_room_params p;
    fb_room_patch pt[FB_ROOM_MAX_PATCHES];
    fb_room_defaults(FB_ROOM_PLAIN, &p);
    CHECK_EQ_INT(fb_room_patches(&p, 23.0, pt), 0);
    CHECK(strcmp(fb_room_preset_name(FB_ROOM_LOBBY), "lobby") == 0);
    CHECK(fb_room_preset_name(FB_ROOM_PRESET_COUNT) == NULL);

    fb_room_defaults(FB_ROOM_LOBBY, &p);
    size_t n = fb_room_patches(&p, 23.0, pt);
    CHECK(n > 10 && n <= FB_ROOM_MAX_PATCHES);
    int floors = 0, glass = 0, radiator = 0, lights = 0, frames = 0;
    for (size_t i = 0; i < n; i++) {
        const fb_room_patch *q = &pt[i];
        CHECK(q->nu >= 1 && q->nv >= 1);
        /* cells no longer than ~1 m, so a cell crossing the camera's near plane is small */
        double lu = sqrt(q->eu[0] * q->eu[0] + q->eu[1] * q->eu[1] + q->eu[2] * q->eu[2]);
        CHECK(lu / q->nu <= 1.0 + 1e-9);
        switch (q->surface) {
        case FB_ROOM_FLOOR:
            floors++;
            CHECK_NEAR(q->p0[2], 0.0, 0.0);
            /* the hall's: air - 0.5; the corridor's behind the door 1 °C cooler still */
            CHECK_NEAR(fb_room_patch_temp(q, 0.0), q->p0[1] < 0 ? 22.5 : 21.5, 1e-12);
            CHECK_NEAR(q->emissivity, 0.90, 0.0);
            break;
        case FB_ROOM_GLASS:
            glass++;
            /* inner pane: 23 - 0.18 (23 - 5) = 19.76 °C */
            CHECK_NEAR(fb_room_patch_temp(q, 1.5), 19.76, 1e-9);
            break;
        case FB_ROOM_RADIATOR:
            radiator++;
            CHECK(fb_room_patch_temp(q, 0.5) >= 52.0);
            break;
        case FB_ROOM_LIGHT:
            lights++;
            CHECK_NEAR(q->p0[2], 3.0 - 0.005, 1e-12);
            break;
        case FB_ROOM_DOOR_FRAME:
            frames++;
            CHECK_NEAR(q->p0[1], 14.0 - 0.03, 1e-12);
            break;
        case FB_ROOM_WALL:
            /* 0.3 K per metre of height about 1.5 m */
            CHECK_NEAR(fb_room_patch_temp(q, 2.5) - fb_room_patch_temp(q, 1.5), 0.3, 1e-12);
            break;
        default:
            break;
        }
    }
    CHECK_EQ_INT(floors, 2); /* the hall's and the corridor's behind the door */
    CHECK_EQ_INT(glass, 1);
    CHECK_EQ_INT(radiator, 2);
    CHECK_EQ_INT(frames, 3);
    CHECK_EQ_INT(lights, 6); /* 2 across x 3 along a 14 m hall, every 4 m from 3 m */

    fb_room_defaults(FB_ROOM_CORRIDOR, &p);
    n = fb_room_patches(&p, 23.0, pt);
    glass = lights = 0;
    for (size_t i = 0; i < n; i++) {
        glass += pt[i].surface == FB_ROOM_GLASS || pt[i].surface == FB_ROOM_RADIATOR;
        lights += pt[i].surface == FB_ROOM_LIGHT;
    }
    CHECK_EQ_INT(glass, 0);
    CHECK_EQ_INT(lights, 4); /* one row down a 2.6 m corridor, at 3, 7, 11, 15 m */
    return FBTEST_END();
}
