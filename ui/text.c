/* text.c — glyph atlas: each glyph rendered once by SDL2_ttf (blended, anti-aliased), drawn by copying. */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Next code point of UTF-8 text at *p (advances *p); invalid bytes give '?'. */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    if (c < 0x80) {
        *p = s + 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF && (s[1] & 0xC0) == 0x80) {
        *p = s + 2;
        return (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
    }
    /* longer sequences: skip the continuation bytes, show '?' */
    s++;
    while ((*s & 0xC0) == 0x80)
        s++;
    *p = s;
    return '?';
}

static unsigned atlas_index(unsigned cp)
{
    return (cp >= FB_TEXT_FIRST && cp <= FB_TEXT_LAST) ? cp : '?';
}

int fb_text_init(fb_text *t, SDL_Renderer *r, const char *font_path, int px, char *err,
                 size_t err_len)
{
    memset(t, 0, sizeof *t);
    t->px = px;
    t->font = TTF_OpenFont(font_path, px);
    if (!t->font) {
        snprintf(err, err_len, "%s: cannot open the font: %s", font_path, TTF_GetError());
        return -1;
    }
    TTF_SetFontHinting(t->font, TTF_HINTING_LIGHT);
    t->height = TTF_FontLineSkip(t->font);
    t->ascent = TTF_FontAscent(t->font);
    int cell_w = px * 2, cell_h = TTF_FontHeight(t->font) + 2, cols = 16;
    int rows = (FB_TEXT_LAST - FB_TEXT_FIRST + 1 + cols - 1) / cols;
    SDL_Surface *sheet =
        SDL_CreateRGBSurfaceWithFormat(0, cell_w * cols, cell_h * rows, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!sheet) {
        snprintf(err, err_len, "out of memory for the glyph atlas: %s", SDL_GetError());
        goto fail;
    }
    SDL_FillRect(sheet, NULL, 0);
    SDL_Color white = {255, 255, 255, 255};
    for (unsigned cp = FB_TEXT_FIRST; cp <= FB_TEXT_LAST; cp++) {
        int minx, maxx, miny, maxy, adv;
        if (TTF_GlyphMetrics(t->font, (Uint16)cp, &minx, &maxx, &miny, &maxy, &adv) != 0)
            continue;
        t->advance[cp] = adv;
        SDL_Surface *g = TTF_RenderGlyph_Blended(t->font, (Uint16)cp, white);
        if (!g)
            continue;
        unsigned k = cp - FB_TEXT_FIRST;
        SDL_Rect dst = {(int)(k % (unsigned)cols) * cell_w, (int)(k / (unsigned)cols) * cell_h,
                        g->w < cell_w ? g->w : cell_w, g->h < cell_h ? g->h : cell_h};
        SDL_SetSurfaceBlendMode(g, SDL_BLENDMODE_NONE);
        SDL_Rect src = {0, 0, dst.w, dst.h};
        SDL_BlitSurface(g, &src, sheet, &dst);
        SDL_FreeSurface(g);
        /* The rendered glyph surface spans the font's full height, pen at its left edge. */
        t->glyph[cp] = dst;
        t->minx[cp] = 0;
        t->maxy[cp] = 0;
    }
    t->atlas = SDL_CreateTextureFromSurface(r, sheet);
    SDL_FreeSurface(sheet);
    if (!t->atlas) {
        snprintf(err, err_len, "cannot create the glyph atlas texture: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetTextureBlendMode(t->atlas, SDL_BLENDMODE_BLEND);
    return 0;
fail:
    TTF_CloseFont(t->font);
    t->font = NULL;
    return -1;
}

void fb_text_free(fb_text *t)
{
    if (t->atlas)
        SDL_DestroyTexture(t->atlas);
    if (t->font)
        TTF_CloseFont(t->font);
    memset(t, 0, sizeof *t);
}

int fb_text_width(const fb_text *t, const char *utf8)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p)
        w += t->advance[atlas_index(next_cp(&p))];
    return w;
}

int fb_text_draw(const fb_text *t, SDL_Renderer *r, int x, int y, uint32_t rgb, const char *utf8)
{
    if (!t->atlas)
        return 0;
    SDL_SetTextureColorMod(t->atlas, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
    int x0 = x;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        unsigned i = atlas_index(next_cp(&p));
        const SDL_Rect *g = &t->glyph[i];
        if (g->w > 0) {
            SDL_Rect dst = {x + t->minx[i], y - t->maxy[i], g->w, g->h};
            SDL_RenderCopy(r, t->atlas, g, &dst);
        }
        x += t->advance[i];
    }
    return x - x0;
}
