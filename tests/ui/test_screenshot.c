/* test_screenshot.c — headless pictures of a fixed scenario, seed and frame, checked against what the truth and the palette say they must show. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../firmware-under-test/include/fbfw.h"
#include "../../models/camera.h"
#include "scenario/catalog.h"
#include "fbtest.h"
#include "imgread.h"
#include "palette.h"
#include "view.h"
#include "world/world.h"

#define FRAME 250 /* single-slow at 10 s: the walker is screenable, about 2.4 m away */

static char tmpdir[256];

typedef struct shot {
    fb_viewer *v;
    fb_viewer_info in;
    img im;
    const uint16_t *frame;
    int cw, ch;
} shot;

/* Opens the viewer headless on single-slow (seed 3), draws FRAME, writes and reads back a PNG. */
static int take(shot *s, const char *name, fb_palette_id pal, unsigned overlays, bool fixed)
{
    memset(s, 0, sizeof *s);
    fb_viewer_opts o = {.scenario = "single-slow", .seed_set = true, .seed = 3, .palette = pal,
                        .overlays = overlays, .span_fixed = fixed, .span_lo_c = 20,
                        .span_hi_c = 40, .width = 1280, .height = 720, .headless = true};
    char err[700], path[400];
    if (fb_viewer_open(&s->v, &o, err, sizeof err) || fb_viewer_seek(s->v, FRAME, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    fb_viewer_draw(s->v);
    snprintf(path, sizeof path, "%s/%s.png", tmpdir, name);
    if (fb_viewer_save_png(s->v, path, err, sizeof err) || img_read_png(path, &s->im)) {
        fprintf(stderr, "%s: %s\n", path, err);
        return -1;
    }
    fb_viewer_get_info(s->v, &s->in);
    s->frame = fb_viewer_frame(s->v, &s->cw, &s->ch);
    return 0;
}

static void drop(shot *s)
{
    fb_viewer_close(s->v);
    free(s->im.px);
}

/* Screen pixel at the centre of camera pixel (x, y). */
static void to_screen(const shot *s, int x, int y, int *sx, int *sy)
{
    *sx = (int)floor(s->in.img_x + (x + 0.5) * s->in.img_w / s->cw);
    *sy = (int)floor(s->in.img_y + (y + 0.5) * s->in.img_h / s->ch);
}

/* The blackbody's camera pixel, from the scenario's geometry (not from the viewer). */
static void blackbody_px(int *bx, int *by)
{
    char err[600];
    fb_scenario sc;
    *bx = *by = -1;
    if (fb_catalog_load("single-slow", &sc, err, sizeof err))
        return;
    fb_camera_geom g;
    double u, v, d;
    fb_camera_geom_init(&g, sc.camera.width, sc.camera.height, sc.camera.hfov_deg,
                        sc.camera_height_m, sc.camera_tilt_deg);
    if (fb_camera_project(&g, sc.blackbody.x_m, sc.blackbody.y_m, sc.blackbody.z_m, &u, &v, &d)) {
        *bx = (int)floor(u);
        *by = (int)floor(v);
    }
    fb_scenario_free(&sc);
}

/* Is rgb the colour of some temperature in [lo_c, hi_c] on span 20..40? */
static bool colour_of_range(fb_palette_id p, uint32_t rgb, double lo_c, double hi_c)
{
    for (double t = lo_c; t <= hi_c; t += 0.005)
        if (fb_palette_color(p, t, 20, 40) == rgb)
            return true;
    return false;
}

/* The blackbody's pixels have the palette colour of its temperature; the colour bar's labels
 * match the span and sit at their value; the isotherm colours the bar above its threshold. */
static void test_palette_and_bar(fb_palette_id pal)
{
    shot s;
    CHECK(take(&s, fb_palette_name(pal), pal, FB_OV_TRUTH | FB_OV_BLACKBODY | FB_OV_ISOTHERM,
               true) == 0);
    if (!s.frame)
        return;
    CHECK_EQ_INT(s.im.w, 1280);
    CHECK_EQ_INT(s.im.h, 720);
    CHECK_EQ_INT(s.in.frame, FRAME);
    CHECK(s.in.span_fixed && s.in.span_lo_c == 20 && s.in.span_hi_c == 40);
    CHECK(s.in.scale > 2); /* a 256-wide image fills a good part of the window */

    /* blackbody: a 3x3 block of camera pixels at its centre */
    int bx, by, bad_exact = 0, bad_range = 0;
    blackbody_px(&bx, &by);
    CHECK(bx > 1 && by > 1 && bx < s.cw - 1 && by < s.ch - 1);
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int x = bx + dx, y = by + dy, sx, sy;
            double t = fb_ck_to_c(s.frame[(size_t)y * (size_t)s.cw + (size_t)x]);
            to_screen(&s, x, y, &sx, &sy);
            uint32_t got = img_at(&s.im, sx, sy);
            if (got != fb_palette_color(pal, t, 20, 40)) {
                bad_exact++;
                fprintf(stderr, "  bb px (%d,%d) %.2f °C: screen (%d,%d) %06x, palette %06x\n", x, y,
                        t, sx, sy, got, fb_palette_color(pal, t, 20, 40));
            }
            /* set 35 °C; the camera reads it within a degree (offset, drift, noise) */
            bad_range += !colour_of_range(pal, got, 34.0, 36.0);
        }
    CHECK_EQ_INT(bad_exact, 0);
    CHECK_EQ_INT(bad_range, 0);

    /* colour bar: ticks on a 1-2-5 step from 20 to 40 °C, labels drawn where their value is */
    CHECK(s.in.n_ticks >= 5);
    double step = s.in.n_ticks > 1 ? s.in.ticks[1].value_c - s.in.ticks[0].value_c : 0;
    CHECK(step == 1 || step == 2 || step == 5 || step == 10);
    CHECK(s.in.ticks[0].value_c == 20);
    CHECK(s.in.n_ticks && s.in.ticks[s.in.n_ticks - 1].value_c == 40);
    for (size_t i = 0; i < s.in.n_ticks; i++) {
        const fb_viewer_tick *tk = &s.in.ticks[i];
        char want[16];
        snprintf(want, sizeof want, "%.0f", 20 + (double)i * step);
        CHECK(strcmp(tk->label, want) == 0);
        /* the label's middle is at its value on the bar (within a pixel) */
        double y_val = s.in.bar_y + (40 - tk->value_c) / 20 * s.in.bar_h;
        CHECK(fabs(tk->y + tk->h / 2.0 - y_val) <= 1.5);
        /* text was drawn there: bright pixels in the label's box, background around */
        size_t ink = 0;
        for (int y = tk->y; y < tk->y + tk->h; y++)
            for (int x = tk->x; x < tk->x + tk->w; x++)
                ink += (img_at(&s.im, x, y) & 0x808080u) != 0;
        CHECK(ink >= 10);
        CHECK(img_at(&s.im, tk->x + tk->w + 3, tk->y + tk->h / 2) == FB_VIEW_COLOR_BG);
        /* the bar's colour at the tick is the palette's colour of the tick's value */
        int row = (int)floor(y_val);
        if (row >= s.in.bar_y + s.in.bar_h)
            row = s.in.bar_y + s.in.bar_h - 1;
        uint32_t bar = img_at(&s.im, s.in.bar_x + s.in.bar_w / 2, row);
        if (tk->value_c < s.in.isotherm_c - 0.2)
            CHECK(colour_of_range(pal, bar, tk->value_c - 0.2, tk->value_c + 0.2));
        else if (tk->value_c > s.in.isotherm_c + 0.2)
            CHECK(bar == fb_palette_isotherm(pal));
    }
    /* the walker (36.8 °C core) is below the isotherm: no isotherm colour on the image */
    size_t iso_px = 0;
    for (int y = s.in.img_y; y < s.in.img_y + s.in.img_h; y++)
        for (int x = s.in.img_x; x < s.in.img_x + s.in.img_w; x++)
            iso_px += img_at(&s.im, x, y) == fb_palette_isotherm(pal);
    CHECK_EQ_INT(iso_px, 0);
    drop(&s);
}

/* A known person's box is drawn where the truth puts it. */
static void test_truth_box(void)
{
    shot s;
    CHECK(take(&s, "truth", FB_PAL_IRON, FB_OV_TRUTH, true) == 0);
    if (!s.frame)
        return;
    const fb_subject_info *subj;
    size_t n_subj;
    const fb_truth_frame *tf = fb_viewer_truth(s.v, &subj, &n_subj);
    CHECK(tf->frame == FRAME && tf->n_subjects == 1);
    if (tf->n_subjects != 1)
        return;
    const fb_truth_subject *ts = &tf->subjects[0];
    CHECK(strcmp(subj[ts->subject].id, "walker") == 0);
    CHECK(ts->in_view && ts->screenable);
    double sx = (double)s.in.img_w / s.cw, sy = (double)s.in.img_h / s.ch;
    int x0 = (int)floor(s.in.img_x + ts->face_x * sx), y0 = (int)floor(s.in.img_y + ts->face_y * sy);
    int x1 = (int)floor(s.in.img_x + (ts->face_x + ts->face_w) * sx);
    int y1 = (int)floor(s.in.img_y + (ts->face_y + ts->face_h) * sy);
    CHECK(x1 - x0 > 20 && y1 - y0 > 20);
    /* a solid two-pixel outline: each side, at three points along it */
    int bad = 0;
    for (int k = 1; k <= 3; k++) {
        int mx = x0 + (x1 - x0) * k / 4, my = y0 + (y1 - y0) * k / 4;
        const int pts[8][2] = {{mx, y0}, {mx, y0 + 1}, {mx, y1 - 1}, {mx, y1 - 2},
                               {x0, my}, {x0 + 1, my}, {x1 - 1, my}, {x1 - 2, my}};
        for (int i = 0; i < 8; i++)
            if (img_at(&s.im, pts[i][0], pts[i][1]) != FB_VIEW_COLOR_TRUTH) {
                bad++;
                fprintf(stderr, "  truth box: (%d,%d) is %06x\n", pts[i][0], pts[i][1],
                        img_at(&s.im, pts[i][0], pts[i][1]));
            }
    }
    CHECK_EQ_INT(bad, 0);
    /* inside the box is the face, not the outline colour */
    CHECK(img_at(&s.im, (x0 + x1) / 2, (y0 + y1) / 2) != FB_VIEW_COLOR_TRUTH);
    /* its label (id and true canthus temperature) is drawn just above it, in the truth colour */
    size_t label = 0;
    for (int y = y0 - 24; y < y0 - 1; y++)
        for (int x = x0; x < x0 + 80; x++) {
            uint32_t c = img_at(&s.im, x, y), r = c >> 16, g = (c >> 8) & 0xFF, b = c & 0xFF;
            label += g >= 0x80 && g > r + 0x30 && g > b + 0x20; /* anti-aliased truth green */
        }
    CHECK(label >= 40);
    drop(&s);
}

/* The automatic span covers the frame from its cold end to its hottest pixels in 0.5 °C steps. */
static void test_auto_span(void)
{
    shot s;
    CHECK(take(&s, "auto", FB_PAL_IRON, FB_OV_ALL, false) == 0);
    if (!s.frame)
        return;
    double lo = s.in.span_lo_c, hi = s.in.span_hi_c;
    CHECK(!s.in.span_fixed);
    CHECK(fmod(lo * 2, 1) == 0 && fmod(hi * 2, 1) == 0 && hi - lo >= 2);
    size_t n = (size_t)s.cw * (size_t)s.ch, below = 0, above = 0;
    double tmax = -1e9;
    for (size_t i = 0; i < n; i++) {
        double t = fb_ck_to_c(s.frame[i]);
        below += t < lo;
        above += t > hi;
        tmax = fmax(tmax, t);
    }
    printf("auto span %.1f..%.1f, hottest pixel %.2f, %zu below, %zu above\n", lo, hi, tmax, below,
           above);
    CHECK(below <= n / 100);
    CHECK(above <= 8);
    CHECK(hi - tmax < 0.6); /* not padded far beyond the hottest face */
    drop(&s);
}

/* The DUT's blackbody claims as the viewer keeps them: blackbody-occluded covers the source from
 * 60 to 120 s; the reference firmware says LOST within its 2 s and OK again within 2 s after. */
static void test_bb_claim(void)
{
    fb_viewer_opts o = {.scenario = "blackbody-occluded", .width = 1280, .height = 720,
                        .headless = true, .overlays = FB_OV_BLACKBODY};
    fb_viewer *v;
    char err[700];
    if (fb_viewer_open(&v, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    fb_viewer_info in;
    CHECK(fb_viewer_seek(v, 25 * 50, err, sizeof err) == 0); /* 50 s: fine, nothing claimed */
    fb_viewer_get_info(v, &in);
    CHECK_EQ_INT(in.bb_claim, -1);
    CHECK(fb_viewer_seek(v, 25 * 90, err, sizeof err) == 0); /* 90 s: covered */
    fb_viewer_get_info(v, &in);
    CHECK_EQ_INT(in.bb_claim, FBFW_STATUS_BLACKBODY_LOST);
    CHECK(in.bb_claim_t_s >= 60.0 && in.bb_claim_t_s <= 62.0);
    CHECK(fb_viewer_seek(v, 25 * 150, err, sizeof err) == 0); /* 150 s: uncovered again */
    fb_viewer_get_info(v, &in);
    CHECK_EQ_INT(in.bb_claim, FBFW_STATUS_BLACKBODY_OK);
    CHECK(in.bb_claim_t_s >= 120.0 && in.bb_claim_t_s <= 122.0);
    printf("blackbody claims: OK at %.2f s\n", in.bb_claim_t_s);
    fb_viewer_draw(v); /* draws the claim and the band without trouble */
    fb_viewer_close(v);
}

/* The export key's files: the CSV holds every pixel in °C as the frame's centikelvin say; the
 * PNG is 16-bit (its size checked by the header's bit depth byte). */
static void test_export(void)
{
    shot s;
    if (take(&s, "export", FB_PAL_IRON, 0, false)) {
        CHECK(0);
        return;
    }
    char base[300], path[320], err[700];
    snprintf(base, sizeof base, "%s/exp", tmpdir);
    CHECK(fb_viewer_export(s.v, base, err, sizeof err) == 0);
    snprintf(path, sizeof path, "%s.csv", base);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    size_t n = 0, bad = 0;
    double c;
    int sep;
    while (f && fscanf(f, "%lf", &c) == 1) {
        if (n < (size_t)s.cw * (size_t)s.ch) {
            double want = s.frame[n] / 100.0 - 273.15;
            bad += fabs(c - want) > 0.0051;
        }
        n++;
        sep = fgetc(f);
        if (sep != ',' && sep != '\n')
            break;
    }
    if (f)
        fclose(f);
    CHECK(n == (size_t)s.cw * (size_t)s.ch);
    CHECK(bad == 0);
    snprintf(path, sizeof path, "%s.png", base);
    unsigned char hdr[26] = {0};
    f = fopen(path, "rb");
    CHECK(f && fread(hdr, 1, sizeof hdr, f) == sizeof hdr);
    if (f)
        fclose(f);
    CHECK(hdr[24] == 16 && hdr[25] == 0); /* IHDR: bit depth 16, colour type grey */
    CHECK((hdr[16] << 24 | hdr[17] << 16 | hdr[18] << 8 | hdr[19]) == s.cw);
    printf("export: %zu values in the CSV, 16-bit PNG %dx%d\n", n, s.cw, s.ch);
    drop(&s);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/fb_ui_shot.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    for (int p = 0; p < FB_PAL_COUNT; p++)
        test_palette_and_bar((fb_palette_id)p);
    test_truth_box();
    test_auto_span();
    test_bb_claim();
    test_export();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return FBTEST_END();
}
