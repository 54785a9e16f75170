/* palette.c — palette tables interpolated once from a few control points. */
#include "palette.h"

#include <math.h>
#include <string.h>

typedef struct stop {
    double at;
    uint8_t r, g, b;
} stop;

/* FLIR-style "iron": black, indigo, purple, red, orange, yellow, near white. */
static const stop iron[] = {
    {0.00, 0, 0, 16},     {0.12, 30, 4, 110},  {0.30, 120, 10, 150}, {0.48, 200, 40, 90},
    {0.64, 240, 100, 20}, {0.80, 255, 170, 0}, {0.92, 255, 228, 80}, {1.00, 255, 255, 235},
};
/* Blue to red through cyan, green and yellow. */
static const stop rainbow[] = {
    {0.00, 0, 0, 96},  {0.15, 0, 0, 255},   {0.35, 0, 220, 255}, {0.50, 0, 200, 60},
    {0.65, 200, 230, 0}, {0.82, 255, 130, 0}, {1.00, 230, 0, 0},
};
static const stop white_hot[] = {{0.0, 0, 0, 0}, {1.0, 255, 255, 255}};
static const stop black_hot[] = {{0.0, 255, 255, 255}, {1.0, 0, 0, 0}};

static const struct {
    const char *name;
    const stop *stops;
    unsigned n;
    uint32_t isotherm;
} palettes[FB_PAL_COUNT] = {
    [FB_PAL_IRON] = {"iron", iron, sizeof iron / sizeof iron[0], 0xFF30FFu},
    [FB_PAL_RAINBOW] = {"rainbow", rainbow, sizeof rainbow / sizeof rainbow[0], 0xFF30FFu},
    [FB_PAL_WHITE_HOT] = {"white-hot", white_hot, 2, 0xFF2020u},
    [FB_PAL_BLACK_HOT] = {"black-hot", black_hot, 2, 0xFF2020u},
};

const char *fb_palette_name(fb_palette_id p)
{
    return (unsigned)p < FB_PAL_COUNT ? palettes[p].name : NULL;
}

fb_palette_id fb_palette_find(const char *name)
{
    for (int i = 0; i < FB_PAL_COUNT; i++)
        if (strcmp(palettes[i].name, name) == 0)
            return (fb_palette_id)i;
    return FB_PAL_COUNT;
}

static uint8_t lerp8(uint8_t a, uint8_t b, double f)
{
    return (uint8_t)lround((double)a + ((double)b - (double)a) * f);
}

uint32_t fb_palette_entry(fb_palette_id p, unsigned i)
{
    if ((unsigned)p >= FB_PAL_COUNT)
        p = FB_PAL_IRON;
    if (i > 255)
        i = 255;
    const stop *s = palettes[p].stops;
    unsigned n = palettes[p].n;
    double x = (i + 0.5) / 256.0;
    unsigned k = 0;
    while (k + 2 < n && x > s[k + 1].at)
        k++;
    double f = (x - s[k].at) / (s[k + 1].at - s[k].at);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (uint32_t)lerp8(s[k].r, s[k + 1].r, f) << 16 | (uint32_t)lerp8(s[k].g, s[k + 1].g, f) << 8 |
           lerp8(s[k].b, s[k + 1].b, f);
}

uint32_t fb_palette_color(fb_palette_id p, double t_c, double lo_c, double hi_c)
{
    double f = hi_c > lo_c ? (t_c - lo_c) / (hi_c - lo_c) : 0.0;
    double idx = floor(f * 256.0);
    unsigned i = !(idx > 0) ? 0u : idx >= 255 ? 255u : (unsigned)idx;
    return fb_palette_entry(p, i);
}

uint32_t fb_palette_isotherm(fb_palette_id p)
{
    return (unsigned)p < FB_PAL_COUNT ? palettes[p].isotherm : 0xFF30FFu;
}
