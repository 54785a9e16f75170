/* test_keys.c — the viewer's keys and mouse, injected through SDL's event queue (SDL_PushEvent), change what they say they change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <SDL.h>
#include "fbtest.h"
#include "imgread.h"
#include "view.h"

static fb_viewer *v;

/* Pushes an event into SDL's queue and lets the viewer dispatch what comes out of it. */
static bool inject(SDL_Event *e)
{
    bool alive = true;
    CHECK(SDL_PushEvent(e) == 1);
    SDL_Event got;
    while (SDL_PollEvent(&got))
        alive = fb_viewer_handle_event(v, &got);
    return alive;
}

static bool key(SDL_Keycode k, Uint16 mod)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    return inject(&e);
}

static fb_viewer_info info(void)
{
    fb_viewer_info in;
    fb_viewer_get_info(v, &in);
    return in;
}

static img draw_and_read(const char *path)
{
    char err[600];
    img im = {0, 0, NULL};
    fb_viewer_draw(v);
    CHECK(fb_viewer_save_png(v, path, err, sizeof err) == 0);
    CHECK(img_read_png(path, &im) == 0);
    return im;
}

int main(void)
{
    char tmp[] = "/tmp/fb_ui_keys.XXXXXX", path[300], err[700];
    if (!mkdtemp(tmp))
        return 1;
    CHECK(SDL_InitSubSystem(SDL_INIT_EVENTS) == 0);
    fb_viewer_opts o = {.scenario = "single-slow", .palette = FB_PAL_IRON,
                        .overlays = FB_OV_TRUTH | FB_OV_DUT | FB_OV_BLACKBODY | FB_OV_ZONE,
                        .width = 1280, .height = 720, .headless = true, .shot_dir = tmp};
    if (fb_viewer_open(&v, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    CHECK(fb_viewer_seek(v, 199, err, sizeof err) == 0);
    fb_viewer_draw(v);
    fb_viewer_info in = info();
    CHECK(!in.paused && in.palette == FB_PAL_IRON && in.speed == 1 && !in.help);

    /* Space pauses and resumes */
    key(SDLK_SPACE, 0);
    CHECK(info().paused);
    key(SDLK_SPACE, 0);
    CHECK(!info().paused);
    /* . and Right step one frame each and pause */
    key(SDLK_PERIOD, 0);
    CHECK(info().paused && info().frame == 200);
    key(SDLK_RIGHT, 0);
    CHECK(info().frame == 201);
    /* , and Left go one frame back (re-running from the start), PgDn/PgUp 10 s (250 frames),
     * Home to the start; all pause */
    key(SDLK_LEFT, 0);
    CHECK(info().frame == 200 && info().paused);
    key(SDLK_COMMA, 0);
    CHECK(info().frame == 199);
    key(SDLK_PAGEDOWN, 0);
    CHECK(info().frame == 199 + 250 || info().frame == fb_viewer_frames_planned(v) - 1);
    key(SDLK_HOME, 0);
    CHECK(info().frame == 0);
    key(SDLK_PAGEDOWN, 0);
    CHECK(info().frame == 250);
    key(SDLK_PAGEUP, 0);
    CHECK(info().frame == 0);
    /* a click on the timeline, three quarters along, seeks three quarters into the run */
    fb_viewer_draw(v);
    {
        fb_viewer_info tl = info();
        CHECK(tl.timeline_w > 0);
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_MOUSEBUTTONDOWN;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = tl.timeline_x + tl.timeline_w * 3 / 4;
        e.button.y = tl.timeline_y + 1;
        inject(&e);
        uint32_t f = info().frame;
        printf("timeline click at 3/4 -> frame %u\n", (unsigned)f);
        uint32_t planned = fb_viewer_frames_planned(v); /* single-slow: 400 */
        CHECK(planned > 100);
        CHECK(labs((long)f - lround(0.75 * (planned - 1))) <= (long)planned / 100 + 1);
    }
    CHECK(fb_viewer_seek(v, 201, err, sizeof err) == 0);
    /* m: the box tool; a drag from camera pixel (10, 10) to (20, 15) on the image sets a box
     * whose statistics are the frame's over those 10 x 5 pixels; c clears it */
    fb_viewer_draw(v);
    {
        key(SDLK_m, 0);
        fb_viewer_info g = info();
        SDL_Event e;
        memset(&e, 0, sizeof e);
        double sx = (double)g.img_w / 256, sy = (double)g.img_h / 192;
        e.type = SDL_MOUSEBUTTONDOWN;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = g.img_x + (int)ceil(10 * sx);
        e.button.y = g.img_y + (int)ceil(10 * sy);
        inject(&e);
        memset(&e, 0, sizeof e);
        e.type = SDL_MOUSEMOTION;
        e.motion.x = g.img_x + (int)floor(20 * sx);
        e.motion.y = g.img_y + (int)floor(15 * sy);
        inject(&e);
        memset(&e, 0, sizeof e);
        e.type = SDL_MOUSEBUTTONUP;
        e.button.button = SDL_BUTTON_LEFT;
        inject(&e);
        fb_vregion rg;
        fb_vregion_stats st;
        CHECK(fb_viewer_region(v, &rg, &st));
        CHECK(rg.kind == FB_VREGION_BOX);
        int cw, ch;
        const uint16_t *fr = fb_viewer_frame(v, &cw, &ch);
        double sum = 0;
        for (int y = 10; y < 15; y++)
            for (int x = 10; x < 20; x++)
                sum += fr[y * cw + x] / 100.0 - 273.15;
        printf("box tool: %zu px, mean %.3f (by hand %.3f)\n", st.n, st.mean_c, sum / 50);
        CHECK(st.n == 50);
        CHECK(fabs(st.mean_c - sum / 50) < 1e-6);
        snprintf(path, sizeof path, "%s/region.png", getenv("KEEP_REGION") ? "/tmp" : tmp);
        fb_viewer_draw(v); /* the box and its statistics drawn */
        CHECK(fb_viewer_save_png(v, path, err, sizeof err) == 0);
        key(SDLK_c, 0);
        CHECK(!fb_viewer_region(v, NULL, NULL));
        key(SDLK_m, KMOD_LSHIFT); /* back to the spot meter */
    }
    /* p cycles the palettes, shift+p goes back */
    key(SDLK_p, 0);
    CHECK(info().palette == FB_PAL_RAINBOW);
    key(SDLK_p, 0);
    CHECK(info().palette == FB_PAL_WHITE_HOT);
    key(SDLK_p, KMOD_LSHIFT);
    CHECK(info().palette == FB_PAL_RAINBOW);
    key(SDLK_p, 0);
    key(SDLK_p, 0);
    key(SDLK_p, 0);
    CHECK(info().palette == FB_PAL_IRON);
    /* overlay toggles */
    key(SDLK_t, 0);
    CHECK(!(info().overlays & FB_OV_TRUTH));
    key(SDLK_d, 0);
    key(SDLK_b, 0);
    key(SDLK_z, 0);
    key(SDLK_i, 0);
    CHECK(info().overlays == FB_OV_ISOTHERM);
    key(SDLK_t, 0);
    key(SDLK_d, 0);
    key(SDLK_b, 0);
    key(SDLK_z, 0);
    CHECK(info().overlays == FB_OV_ALL);
    /* speed: + and - through 1/16 .. 16 and "as fast as possible" */
    key(SDLK_PLUS, 0);
    CHECK(info().speed == 2);
    key(SDLK_MINUS, 0);
    key(SDLK_MINUS, 0);
    CHECK(info().speed == 0.5);
    for (int i = 0; i < 12; i++)
        key(SDLK_KP_PLUS, 0);
    CHECK(info().speed < 0);
    for (int i = 0; i < 12; i++)
        key(SDLK_MINUS, 0);
    CHECK(info().speed == 1.0 / 16);
    /* a: freezes the automatic span */
    fb_viewer_draw(v);
    in = info();
    key(SDLK_a, 0);
    CHECK(info().span_fixed && info().span_lo_c == in.span_lo_c && info().span_hi_c == in.span_hi_c);
    key(SDLK_a, 0);
    CHECK(!info().span_fixed);

    /* ? shows the keys over the picture */
    snprintf(path, sizeof path, "%s/nohelp.png", tmp);
    img a = draw_and_read(path);
    key(SDLK_SLASH, KMOD_LSHIFT);
    CHECK(info().help);
    snprintf(path, sizeof path, "%s/help.png", tmp);
    img b = draw_and_read(path);
    size_t diff = 0;
    for (int y = 300; y < 420; y++)
        for (int x = 500; x < 780; x++)
            diff += img_at(&a, x, y) != img_at(&b, x, y);
    CHECK(diff > 1000);
    free(a.px);
    free(b.px);
    key(SDLK_ESCAPE, 0); /* Esc closes the help first */
    CHECK(!info().help);

    /* the mouse over the image puts the spot meter's crosshair there */
    fb_viewer_draw(v);
    in = info();
    SDL_Event m;
    memset(&m, 0, sizeof m);
    m.type = SDL_MOUSEMOTION;
    m.motion.x = in.img_x + in.img_w / 3;
    m.motion.y = in.img_y + in.img_h / 5;
    inject(&m);
    snprintf(path, sizeof path, "%s/spot.png", tmp);
    img c = draw_and_read(path);
    CHECK(img_at(&c, m.motion.x + 5, m.motion.y) == 0xFFFFFFu);
    CHECK(img_at(&c, m.motion.x, m.motion.y - 5) == 0xFFFFFFu);
    free(c.px);

    /* s writes a screenshot into the shot directory */
    key(SDLK_s, 0);
    snprintf(path, sizeof path, "%s/feverbench-single-slow-f000201.png", tmp);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size > 10000);
    /* r restarts from the first frame */
    key(SDLK_r, 0);
    CHECK(info().frame == UINT32_MAX);
    CHECK(fb_viewer_step(v) == 1 && info().frame == 0);
    /* q quits */
    CHECK(!key(SDLK_q, 0));
    fb_viewer_close(v);
    SDL_QuitSubSystem(SDL_INIT_EVENTS);
    SDL_Quit();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return FBTEST_END();
}
