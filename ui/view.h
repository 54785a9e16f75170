/* view.h — the SDL2 viewer: a scenario (live) or a recording in a window, the truth beside what the firmware said.
 *
 * The viewer steps the same session as `feverbench run` (sim/run/run.h) or reads a recording
 * (sim/record/record.h); it has no physics, scoring or frame loop of its own. The same drawing code
 * draws into a window or, headless, into an off-screen surface with SDL's software renderer
 * (no video driver needed), so a screenshot is exactly what the window shows. docs/viewer.md.
 */
#ifndef FB_UI_VIEW_H
#define FB_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "palette.h"
#include "region.h"
#include "world/truth.h"

/* The `feverbench view` command (argv after "view"); returns the exit status. */
int fb_view_main(int argc, char **argv);

/* Overlays, toggled by keys. */
enum {
    FB_OV_TRUTH = 1u << 0,     /* t: true face boxes, true canthus temperature */
    FB_OV_DUT = 1u << 1,       /* d: the firmware's boxes, track ids, readings, alarms */
    FB_OV_BLACKBODY = 1u << 2, /* b: blackbody: set, true and measured temperature */
    FB_OV_ZONE = 1u << 3,      /* z: the screenable zone */
    FB_OV_ISOTHERM = 1u << 4,  /* i: paint everything at or above the alarm's skin temperature */
    FB_OV_ALL = 0x1Fu
};

typedef struct fb_viewer_opts {
    /* source: a scenario (live) or a recording */
    const char *scenario;      /* file or shipped name (ignored when replay is set) */
    const char *replay;        /* a recording (feverbench run --record) */
    const char *replay_scenario; /* replay: the scenario that judges it (NULL: the one it names) */
    const char *replay_camera;   /* replay: its camera (NULL: the recorded one) */
    const char *dut_spec;      /* NULL: the scenario's */
    bool seed_set;
    uint64_t seed;
    double duration_s;         /* > 0 overrides */
    int threads;               /* threads drawing each frame (0 or 1: one; fb_run_opts.threads) */
    /* look */
    fb_palette_id palette;
    unsigned overlays;         /* FB_OV_* */
    bool span_fixed;           /* false: automatic span from each frame */
    double span_lo_c, span_hi_c;
    bool spot_set;             /* spot meter at a fixed image pixel (headless screenshots) */
    int spot_x, spot_y;
    int width, height;         /* window or screenshot size in pixels (default 1280 x 720) */
    const char *font_dir;      /* NULL: /usr/share/fonts/truetype/dejavu */
    /* how */
    bool headless;             /* no window: software renderer on an off-screen surface */
    bool trace;                /* print a line on stdout at every state change (tests) */
    const char *shot_dir;      /* where the screenshot key writes ("." when NULL) */
    double speed;              /* initial speed factor (0: 1x; < 0: as fast as possible) */
    bool start_paused;
} fb_viewer_opts;

typedef struct fb_viewer fb_viewer;

/* Opens the source, SDL, the fonts and a window (or the off-screen surface). Returns 0, or
 * FB_ERR_* with a message. fb_viewer_close frees *out. */
int fb_viewer_open(fb_viewer **out, const fb_viewer_opts *o, char *err, size_t err_len);
void fb_viewer_close(fb_viewer *v);

/* Runs one frame of the source (and the viewer's history). 1, 0 at the end, <0 error. */
int fb_viewer_step(fb_viewer *v);
/* Steps until `frame` (0-based) is the frame shown. 0, or <0 if the run ends before it. */
int fb_viewer_seek(fb_viewer *v, uint32_t frame, char *err, size_t err_len);
/* Draws everything into the back buffer (headless: the surface). */
void fb_viewer_draw(fb_viewer *v);
/* Writes what was last drawn to a PNG file. 0, or <0 with a message. */
int fb_viewer_save_png(fb_viewer *v, const char *path, char *err, size_t err_len);
/* The measurement region set with the region tools, and its statistics on the frame shown.
 * Returns false when no region is set (or nothing of it is inside the frame). */
bool fb_viewer_region(const fb_viewer *v, fb_vregion *region, fb_vregion_stats *stats);

/* Exports the current frame as thermal software reads it: BASE.png, 16-bit grayscale in
 * centikelvin (tEXt: scenario, seed, frame, time, unit) and BASE.csv, one row of °C per image
 * row (two decimals). Returns 0, or -1 with a message (no frame yet, a file not written). */
int fb_viewer_export(fb_viewer *v, const char *base, char *err, size_t err_len);
/* Handles one SDL event (keys, mouse, resize, quit) — the interactive loop's dispatch,
 * callable by tests. The argument is an SDL_Event. Returns false once quit was asked. */
bool fb_viewer_handle_event(fb_viewer *v, const void *sdl_event);
/* The interactive loop: events, stepping at the sensor rate x speed, drawing; until quit. */
int fb_viewer_run(fb_viewer *v);

/* What is on screen, for tests: state and the geometry of what was last drawn. */
typedef struct fb_viewer_tick {
    double value_c;
    char label[16];
    int x, y, w, h;            /* where the label's text was drawn */
} fb_viewer_tick;

typedef struct fb_viewer_info {
    /* state */
    uint32_t frame;            /* the frame shown (frames done - 1); UINT32_MAX before any */
    bool paused, finished, help;
    const char *fault;         /* the run's first DUT fault as the panel shows it, or NULL */
    double speed;              /* < 0: as fast as possible */
    fb_palette_id palette;
    unsigned overlays;
    bool span_fixed;
    double span_lo_c, span_hi_c; /* the span in use for the last drawn frame */
    double isotherm_c;         /* skin temperature at which the isotherm starts */
    int timeline_x, timeline_y, timeline_w, timeline_h; /* the run's timeline (click: seek) */
    int bb_claim;              /* the DUT's last blackbody claim: -1 none, else FBFW_STATUS_* */
    double bb_claim_t_s;       /* when it arrived (scenario time) */
    int win_w, win_h;          /* output size in pixels */
    int font_px;
    /* layout of the last drawn frame */
    int img_x, img_y, img_w, img_h; /* the thermal image on screen */
    double scale;              /* screen pixels per camera pixel */
    int bar_x, bar_y, bar_w, bar_h; /* the colour bar: top = span_hi, bottom = span_lo */
    size_t n_ticks;
    fb_viewer_tick ticks[16];
    int panel_x;               /* left edge of the side panel */
    uint32_t background;       /* 0xRRGGBB of the window background */
} fb_viewer_info;

void fb_viewer_get_info(const fb_viewer *v, fb_viewer_info *out);
/* The sensor's frame rate (frames per second of scenario time). */
double fb_viewer_fps(const fb_viewer *v);
/* The frames the source will have run at its end (a live run's duration, a recording's length). */
uint32_t fb_viewer_frames_planned(const fb_viewer *v);
/* The source's camera width and height and the last frame (centikelvin), for tests. */
const uint16_t *fb_viewer_frame(const fb_viewer *v, int *width, int *height);
/* The last frame's truth and the subject table (index = fb_truth_subject.subject). */
const fb_truth_frame *fb_viewer_truth(const fb_viewer *v, const fb_subject_info **subjects,
                                      size_t *n_subjects);

/* Overlay colours (0xRRGGBB), for tests and docs. */
#define FB_VIEW_COLOR_TRUTH 0x50FF78u
#define FB_VIEW_COLOR_DUT 0x38C8FFu
#define FB_VIEW_COLOR_ALARM 0xFF3838u
#define FB_VIEW_COLOR_BLACKBODY 0xFFFFFFu
#define FB_VIEW_COLOR_ZONE 0xFFB000u
#define FB_VIEW_COLOR_BG 0x15181Cu

#endif
