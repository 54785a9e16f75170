/* viewer_internal.h — the viewer's state, shared by viewer.c (state, keys, loop) and draw.c (drawing). */
#ifndef FB_UI_VIEWER_INTERNAL_H
#define FB_UI_VIEWER_INTERNAL_H

#include <SDL.h>
#include "link/event.h"
#include "region.h"
#include "score/score.h"
#include "source.h"
#include "text.h"
#include "view.h"

#define FB_VIEW_DUT_HOLD_S 1.5   /* a DUT measurement's box stays on screen this long, */
#define FB_VIEW_MAX_LABELS 96   /* labels on the image per frame; more are left out */
#define FB_VIEW_DUT_FRESH_S 0.4  /* with its reading this long (then a thin grey outline) */
#define FB_VIEW_MAX_MARKS 64

/* One point of the panel's plot over time. */
typedef struct fb_view_sample {
    double t_s, ambient_c, bb_read_c, offset_c; /* NAN where there is no blackbody */
    int8_t bb_truth;                            /* fb_bb_truth at that frame */
    int8_t bb_claim;                            /* the DUT's last blackbody claim (below) */
} fb_view_sample;

/* What the DUT last said of the blackbody: nothing yet, or an FBFW_STATUS_BLACKBODY_* code. */
#define FB_VIEW_CLAIM_NONE (-1)

/* A DUT measurement kept on screen for FB_VIEW_DUT_HOLD_S. */
typedef struct fb_view_mark {
    fbfw_event ev;
    double t_s;                  /* arrival */
} fb_view_mark;

struct fb_viewer {
    fb_viewer_opts o;
    fb_view_source *src;
    char font_dir[512];
    /* SDL: a window and its renderer, or (headless) a surface and a software renderer */
    bool sdl_up, ttf_up;
    SDL_Window *win;
    SDL_Surface *surface;
    SDL_Renderer *ren;
    SDL_Texture *img_tex;
    int out_w, out_h;
    fb_text sans, bold, mono;
    int font_px;
    /* state */
    bool paused, quit, help;
    int speed_idx;
    fb_palette_id palette;
    unsigned overlays;
    bool span_fixed;
    double span_lo, span_hi;     /* fixed span */
    double cur_lo, cur_hi;       /* span used for the current frame */
    double iso_c;                /* isotherm: skin temperature that makes the alarm */
    uint32_t *lut;               /* 65536 ARGB entries: centikelvin -> colour */
    bool lut_valid;
    fb_palette_id lut_pal;
    double lut_lo, lut_hi;
    bool lut_iso;
    uint32_t *hist_counts;       /* auto span histogram, 0.1 °C bins */
    /* per frame, derived for drawing */
    double bb_read_c;
    fb_results res;
    bool res_valid;
    fb_view_sample *hist;
    size_t n_hist, cap_hist;
    fb_view_mark marks[FB_VIEW_MAX_MARKS];
    size_t n_marks, next_mark;
    /* region tool: 0 spot meter (the pointer), else 1 + fb_vregion_kind; a left drag on the image
     * sets the region, which stays (its statistics follow the frames) until c clears it */
    int tool;
    bool region_set, dragging;
    fb_vregion region;
    SDL_Rect labels[FB_VIEW_MAX_LABELS]; /* labels placed on the image in this draw */
    size_t n_labels;
    int bb_claim;                /* FB_VIEW_CLAIM_NONE or FBFW_STATUS_BLACKBODY_LOST / _OK */
    double bb_claim_t_s;         /* when the DUT said it */
    /* pointer */
    bool mouse_in;
    int mouse_x, mouse_y;
    /* timing (interactive) */
    double fps_sim, fps_draw;
    char flash[300];             /* a short message in the status bar ("saved x.png") */
    uint32_t flash_until_ms;
    fb_viewer_info info;         /* layout of the last draw */
};

/* Speed factors selectable with + and -; the last one means "as fast as possible". */
extern const double fb_view_speeds[];
extern const int fb_view_n_speeds;
double fb_view_speed(const fb_viewer *v);

/* draw.c */
int fb_view_fonts(fb_viewer *v, char *err, size_t err_len); /* (re)builds fonts for out_h */
void fb_view_draw(fb_viewer *v);

#endif
