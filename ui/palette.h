/* palette.h — the false-colour palettes people know from thermal cameras, as 256-entry tables. */
#ifndef FB_UI_PALETTE_H
#define FB_UI_PALETTE_H

#include <stdint.h>

typedef enum fb_palette_id {
    FB_PAL_IRON = 0,
    FB_PAL_RAINBOW,
    FB_PAL_WHITE_HOT,
    FB_PAL_BLACK_HOT,
    FB_PAL_COUNT
} fb_palette_id;

/* "iron", "rainbow", "white-hot", "black-hot"; NULL past the last. */
const char *fb_palette_name(fb_palette_id p);
/* Looks a name up; returns FB_PAL_COUNT when unknown. */
fb_palette_id fb_palette_find(const char *name);

/* Colour of entry i (0 = coldest .. 255 = hottest) as 0xRRGGBB. */
uint32_t fb_palette_entry(fb_palette_id p, unsigned i);
/* Colour of temperature t_c on a span [lo_c, hi_c] (clamped at the ends), 0xRRGGBB: entry
 * floor((t - lo) / (hi - lo) * 256), clamped to 0..255. */
uint32_t fb_palette_color(fb_palette_id p, double t_c, double lo_c, double hi_c);
/* The colour that paints the isotherm (everything at or above the alarm threshold): one
 * that does not occur in palette p. */
uint32_t fb_palette_isotherm(fb_palette_id p);

#endif
