/* text.h — crisp text for the viewer: DejaVu rendered by SDL2_ttf at the window's pixel size into a glyph atlas. */
#ifndef FB_UI_TEXT_H
#define FB_UI_TEXT_H

#include <SDL.h>
#include <SDL_ttf.h>

#define FB_TEXT_FIRST 32  /* the atlas holds code points 32..255 (ASCII + Latin-1: °, ±, ×) */
#define FB_TEXT_LAST 255

/* One font at one pixel size. Owns the font and the atlas texture (fb_text_free). Rebuilt by
 * the viewer whenever the window size changes the text size, so glyphs are never scaled. */
typedef struct fb_text {
    TTF_Font *font;
    SDL_Texture *atlas;
    int px;             /* requested size in pixels */
    int height, ascent; /* line height and baseline from the top */
    SDL_Rect glyph[FB_TEXT_LAST + 1]; /* rectangle in the atlas (w == 0: blank) */
    int minx[FB_TEXT_LAST + 1];       /* glyph's left offset from the pen */
    int maxy[FB_TEXT_LAST + 1];       /* glyph's top above the baseline */
    int advance[FB_TEXT_LAST + 1];
} fb_text;

/* Opens font_path at px pixels and renders the atlas for renderer r. Returns 0, or -1 with
 * a message in err (TTF_Init must have been called). */
int fb_text_init(fb_text *t, SDL_Renderer *r, const char *font_path, int px, char *err,
                 size_t err_len);
void fb_text_free(fb_text *t);

/* Width in pixels of UTF-8 text (code points above 255 draw as '?'). */
int fb_text_width(const fb_text *t, const char *utf8);
/* Draws text with its top-left at (x, y) in colour rgb (0xRRGGBB); returns the width. */
int fb_text_draw(const fb_text *t, SDL_Renderer *r, int x, int y, uint32_t rgb, const char *utf8);

#endif
