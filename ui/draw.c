/* draw.c — everything the viewer draws: thermal image and overlays, colour bar, side panel, status line, help. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "../models/camera.h"
#include "palette.h"
#include "viewer_internal.h"
#include "world/world.h"

#define C_TEXT 0xE6E9EDu
#define C_DIM 0x8A939Eu
#define C_HEAD 0x9FC3E8u
#define C_PANEL 0x1E2228u
#define C_RULE 0x3A414Au
#define C_OK 0x7CE08Au
#define C_WARN 0xFFB347u
#define C_PLOT_AMB 0xFFB000u
#define C_PLOT_OFF 0x38C8FFu
#define C_PLOT_BB 0xF0F0F0u

/* ---- small drawing helpers ---- */

static void color(SDL_Renderer *r, uint32_t rgb, uint8_t a)
{
    SDL_SetRenderDrawBlendMode(r, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, a);
}

static void fill(SDL_Renderer *r, int x, int y, int w, int h, uint32_t rgb, uint8_t a)
{
    SDL_Rect rc = {x, y, w, h};
    color(r, rgb, a);
    SDL_RenderFillRect(r, &rc);
}

/* Outline of thickness t drawn inside (x, y, w, h). */
static void frame_rect(SDL_Renderer *r, int x, int y, int w, int h, int t, uint32_t rgb)
{
    color(r, rgb, 255);
    for (int i = 0; i < t && w - 2 * i > 0 && h - 2 * i > 0; i++) {
        SDL_Rect rc = {x + i, y + i, w - 2 * i, h - 2 * i};
        SDL_RenderDrawRect(r, &rc);
    }
}

static void dashed_line(SDL_Renderer *r, int x0, int y0, int x1, int y1, int dash)
{
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    if (len < 1)
        return;
    for (double s = 0; s < len; s += 2 * dash) {
        double e = fmin(s + dash, len);
        SDL_RenderDrawLine(r, x0 + (int)lround(dx * s / len), y0 + (int)lround(dy * s / len),
                           x0 + (int)lround(dx * e / len), y0 + (int)lround(dy * e / len));
    }
}

static void dashed_rect(SDL_Renderer *r, int x, int y, int w, int h, int dash, uint32_t rgb)
{
    color(r, rgb, 255);
    dashed_line(r, x, y, x + w - 1, y, dash);
    dashed_line(r, x + w - 1, y, x + w - 1, y + h - 1, dash);
    dashed_line(r, x + w - 1, y + h - 1, x, y + h - 1, dash);
    dashed_line(r, x, y + h - 1, x, y, dash);
}

static int text(fb_viewer *v, const fb_text *f, int x, int y, uint32_t rgb, const char *s)
{
    return fb_text_draw(f, v->ren, x, y, rgb, s);
}

static int textf(fb_viewer *v, const fb_text *f, int x, int y, uint32_t rgb, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int textf(fb_viewer *v, const fb_text *f, int x, int y, uint32_t rgb, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fb_text_draw(f, v->ren, x, y, rgb, buf);
}

/* Text with a dark outline, legible on any palette, kept inside the image horizontally. */
static int text_on_image(fb_viewer *v, const fb_text *f, int x, int y, uint32_t rgb, const char *s)
{
    static const int off[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    int w = fb_text_width(f, s), right = v->info.img_x + v->info.img_w - 2;
    if (x + w > right)
        x = right - w;
    if (x < v->info.img_x + 2)
        x = v->info.img_x + 2;
    for (int i = 0; i < 4; i++)
        fb_text_draw(f, v->ren, x + off[i][0], y + off[i][1], 0x000000u, s);
    return fb_text_draw(f, v->ren, x, y, rgb, s);
}

static bool rects_meet(const SDL_Rect *a, const SDL_Rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* A label for a box on the image, placed where it overlaps no label already placed in this
 * draw: at y (its place beside the box), else one, two or three lines further away in the
 * direction step (-1 up, +1 down), else the other way, with a leader line to the box when it
 * moved; left out when nothing is free (crowds: the nearer people, drawn first, keep theirs).
 * Returns whether it was drawn. */
static bool label_on_image(fb_viewer *v, const fb_text *f, const SDL_Rect *box, int x, int y,
                           int step, uint32_t rgb, const char *s)
{
    int w = fb_text_width(f, s), h = f->height, right = v->info.img_x + v->info.img_w - 2;
    if (x + w > right)
        x = right - w;
    if (x < v->info.img_x + 2)
        x = v->info.img_x + 2;
    static const int tries[] = {0, 1, 2, 3, -1, -2, -3};
    for (size_t k = 0; k < sizeof tries / sizeof tries[0]; k++) {
        SDL_Rect rc = {x - 1, y + tries[k] * step * (h + 1) - 1, w + 2, h + 2};
        if (rc.y < v->info.img_y || rc.y + rc.h > v->info.img_y + v->info.img_h)
            continue;
        bool free_ = !rects_meet(&rc, box) || tries[k] == 0;
        for (size_t i = 0; free_ && i < v->n_labels; i++)
            free_ = !rects_meet(&rc, &v->labels[i]);
        if (!free_)
            continue;
        if (v->n_labels < FB_VIEW_MAX_LABELS)
            v->labels[v->n_labels++] = rc;
        if (tries[k] != 0) { /* a leader from the label's nearer edge to the box */
            int ly = rc.y > box->y ? rc.y : rc.y + rc.h, by = rc.y > box->y ? box->y + box->h : box->y;
            color(v->ren, rgb, 160);
            SDL_RenderDrawLine(v->ren, x + w / 2 < box->x + box->w ? x + w / 2 : box->x + box->w / 2,
                               ly, box->x + box->w / 2, by);
        }
        text_on_image(v, f, x, rc.y + 1, rgb, s);
        return true;
    }
    return false;
}

/* Clamps a screen coordinate computed in double before it becomes an int. */
static int sc(double x)
{
    return x < -1e6 ? -1000000 : x > 1e6 ? 1000000 : (int)floor(x);
}

static void fmt_c(char *buf, size_t n, double v, int decimals)
{
    if (isfinite(v))
        snprintf(buf, n, "%.*f", decimals, v);
    else
        snprintf(buf, n, "-");
}

/* ---- fonts ---- */

int fb_view_fonts(fb_viewer *v, char *err, size_t err_len)
{
    long px = lround(fmin(v->out_h / 46.0, v->out_w / 80.0));
    px = px < 10 ? 10 : px > 30 ? 30 : px;
    if ((int)px == v->font_px && v->sans.atlas)
        return 0;
    fb_text_free(&v->sans);
    fb_text_free(&v->bold);
    fb_text_free(&v->mono);
    v->font_px = (int)px;
    char path[600];
    snprintf(path, sizeof path, "%s/DejaVuSans.ttf", v->font_dir);
    if (fb_text_init(&v->sans, v->ren, path, (int)px, err, err_len))
        return -1;
    snprintf(path, sizeof path, "%s/DejaVuSans-Bold.ttf", v->font_dir);
    if (fb_text_init(&v->bold, v->ren, path, (int)px, err, err_len))
        return -1;
    snprintf(path, sizeof path, "%s/DejaVuSansMono.ttf", v->font_dir);
    if (fb_text_init(&v->mono, v->ren, path, (int)px - 1, err, err_len))
        return -1;
    return 0;
}

/* ---- span, colour table, image ---- */

/* Automatic span: from the 1st percentile of the frame to its 8th hottest pixel (a few bad
 * pixels do not stretch it, the hottest canthus is inside it), widened to 0.5 °C steps and at
 * least 2 °C wide (stable labels and colours from frame to frame). */
static void auto_span(fb_viewer *v, const uint16_t *px, size_t n, double *lo, double *hi)
{
    enum { NB = 6554 }; /* 10 ck bins */
    memset(v->hist_counts, 0, NB * sizeof *v->hist_counts);
    for (size_t i = 0; i < n; i++)
        v->hist_counts[px[i] / 10]++;
    size_t lo_n = n / 100, hi_n = n > 8 ? n - 8 : 0, acc = 0;
    int blo = -1, bhi = NB - 1;
    for (int b = 0; b < NB; b++) {
        acc += v->hist_counts[b];
        if (blo < 0 && acc > lo_n)
            blo = b;
        if (acc >= hi_n) {
            bhi = b;
            break;
        }
    }
    if (blo < 0)
        blo = 0;
    double l = blo * 0.1 - 273.15, h = (bhi + 1) * 0.1 - 273.15;
    l = floor(l * 2) / 2;
    h = ceil(h * 2) / 2;
    if (h - l < 2) {
        double m = (h + l) / 2;
        l = floor((m - 1) * 2) / 2;
        h = l + 2;
    }
    *lo = l;
    *hi = h;
}

static void build_lut(fb_viewer *v)
{
    bool iso = (v->overlays & FB_OV_ISOTHERM) != 0;
    if (v->lut_valid && v->lut_pal == v->palette && v->lut_lo == v->cur_lo &&
        v->lut_hi == v->cur_hi && v->lut_iso == iso)
        return;
    uint32_t iso_rgb = fb_palette_isotherm(v->palette);
    uint16_t iso_ck = fb_c_to_ck(v->iso_c);
    uint32_t entry[256];
    for (unsigned i = 0; i < 256; i++)
        entry[i] = 0xFF000000u | fb_palette_entry(v->palette, i);
    /* Same mapping as fb_palette_color, per centikelvin value. */
    double span = v->cur_hi - v->cur_lo;
    for (uint32_t ck = 0; ck < 65536; ck++) {
        if (iso && ck >= iso_ck) {
            v->lut[ck] = 0xFF000000u | iso_rgb;
            continue;
        }
        double f = (fb_ck_to_c((uint16_t)ck) - v->cur_lo) / span;
        double idx = floor(f * 256.0);
        unsigned i = !(idx > 0) ? 0u : idx >= 255 ? 255u : (unsigned)idx;
        v->lut[ck] = entry[i];
    }
    v->lut_valid = true;
    v->lut_pal = v->palette;
    v->lut_lo = v->cur_lo;
    v->lut_hi = v->cur_hi;
    v->lut_iso = iso;
}

static void draw_image(fb_viewer *v, const SDL_Rect *dst)
{
    const fb_view_source *s = v->src;
    int w = s->sc.camera.width, h = s->sc.camera.height;
    if (!v->img_tex) {
        SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");
        v->img_tex = SDL_CreateTexture(v->ren, SDL_PIXELFORMAT_ARGB8888,
                                       SDL_TEXTUREACCESS_STREAMING, w, h);
        if (!v->img_tex)
            return;
    }
    if (s->frames_done > 0) {
        void *pixels;
        int pitch;
        if (SDL_LockTexture(v->img_tex, NULL, &pixels, &pitch) == 0) {
            const uint16_t *f = s->frame_ck;
            for (int y = 0; y < h; y++) {
                uint32_t *row = (uint32_t *)(void *)((uint8_t *)pixels + (size_t)y * (size_t)pitch);
                const uint16_t *src = f + (size_t)y * (size_t)w;
                for (int x = 0; x < w; x++)
                    row[x] = v->lut[src[x]];
            }
            SDL_UnlockTexture(v->img_tex);
        }
        SDL_RenderCopy(v->ren, v->img_tex, NULL, dst);
    } else {
        fill(v->ren, dst->x, dst->y, dst->w, dst->h, 0x000000u, 255);
    }
}

/* ---- colour bar ---- */

static double nice_step(double span, int max_ticks)
{
    static const double m[] = {1, 2, 5};
    for (double p = 0.01; p < 1e4; p *= 10)
        for (int i = 0; i < 3; i++)
            if (span / (m[i] * p) <= max_ticks)
                return m[i] * p;
    return 1e4;
}

static void draw_bar(fb_viewer *v, fb_viewer_info *in)
{
    SDL_Renderer *r = v->ren;
    int x = in->bar_x, y = in->bar_y, w = in->bar_w, h = in->bar_h;
    double lo = v->cur_lo, hi = v->cur_hi;
    for (int i = 0; i < h; i++) {
        double t = hi - (i + 0.5) / h * (hi - lo);
        uint32_t c = fb_palette_color(v->palette, t, lo, hi);
        if ((v->overlays & FB_OV_ISOTHERM) && fb_c_to_ck(t) >= fb_c_to_ck(v->iso_c))
            c = fb_palette_isotherm(v->palette);
        color(r, c, 255);
        SDL_RenderDrawLine(r, x, y + i, x + w - 1, y + i);
    }
    frame_rect(r, x - 1, y - 1, w + 2, h + 2, 1, C_RULE);
    text(v, &v->sans, x, y - v->sans.height - 2, C_DIM, "°C");

    int max_ticks = h / (v->mono.height * 2);
    if (max_ticks < 2)
        max_ticks = 2;
    double step = nice_step(hi - lo, max_ticks);
    int dec = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
    in->n_ticks = 0;
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step) {
        if (in->n_ticks >= sizeof in->ticks / sizeof in->ticks[0])
            break;
        int ty = y + sc((hi - t) / (hi - lo) * h);
        if (ty >= y + h)
            ty = y + h - 1;
        color(r, C_TEXT, 255);
        SDL_RenderDrawLine(r, x + w, ty, x + w + 4, ty);
        fb_viewer_tick *tk = &in->ticks[in->n_ticks++];
        tk->value_c = fabs(t) < 1e-9 ? 0.0 : t;
        snprintf(tk->label, sizeof tk->label, "%.*f", dec, tk->value_c);
        tk->w = fb_text_width(&v->mono, tk->label);
        tk->h = v->mono.height;
        tk->x = x + w + 7;
        tk->y = ty - v->mono.height / 2;
        text(v, &v->mono, tk->x, tk->y, C_TEXT, tk->label);
    }
    /* markers: the isotherm threshold and the blackbody set point */
    if ((v->overlays & FB_OV_ISOTHERM) && v->iso_c > lo && v->iso_c < hi) {
        int ty = y + sc((hi - v->iso_c) / (hi - lo) * h);
        color(r, fb_palette_isotherm(v->palette), 255);
        SDL_RenderDrawLine(r, x - 6, ty, x - 2, ty);
        SDL_RenderDrawLine(r, x - 6, ty - 1, x - 2, ty - 1);
    }
}

/* ---- overlays on the image ---- */

typedef struct xf {
    double x0, y0, sx, sy; /* screen = x0 + camera * sx */
} xf;

static SDL_Rect box_rect(const xf *t, double x, double y, double w, double h)
{
    SDL_Rect rc = {sc(t->x0 + x * t->sx), sc(t->y0 + y * t->sy), 0, 0};
    rc.w = sc(t->x0 + (x + w) * t->sx) - rc.x;
    rc.h = sc(t->y0 + (y + h) * t->sy) - rc.y;
    return rc;
}

static void draw_truth(fb_viewer *v, const xf *t)
{
    const fb_view_source *s = v->src;
    /* nearest first, so that in a crowd the nearer people keep their labels */
    size_t n = s->truth.n_subjects < 256 ? s->truth.n_subjects : 256, order[256];
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && s->truth.subjects[order[j - 1]].distance_m > s->truth.subjects[i].distance_m; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (size_t k = 0; k < n; k++) {
        const fb_truth_subject *ts = &s->truth.subjects[order[k]];
        if (!ts->in_view || ts->subject >= s->n_subjects)
            continue;
        SDL_Rect rc = box_rect(t, ts->face_x, ts->face_y, ts->face_w, ts->face_h);
        if (ts->screenable)
            frame_rect(v->ren, rc.x, rc.y, rc.w, rc.h, 2, FB_VIEW_COLOR_TRUTH);
        else
            dashed_rect(v->ren, rc.x, rc.y, rc.w, rc.h, 4, FB_VIEW_COLOR_TRUTH);
        char buf[96];
        snprintf(buf, sizeof buf, "%s %.2f°", s->subjects[ts->subject].id, ts->canthus_c);
        label_on_image(v, &v->sans, &rc, rc.x, rc.y - v->sans.height - 1, -1, FB_VIEW_COLOR_TRUTH,
                       buf);
    }
}

static void draw_dut(fb_viewer *v, const xf *t)
{
    double now = v->src->truth.t_s;
    for (size_t k = 0; k < v->n_marks; k++) {
        const fb_view_mark *m = &v->marks[k];
        if (m->ev.kind != FBFW_EV_MEASUREMENT || now - m->t_s > FB_VIEW_DUT_HOLD_S ||
            m->t_s > now)
            continue;
        const fbfw_event *e = &m->ev;
        uint32_t c = e->alarm ? FB_VIEW_COLOR_ALARM : FB_VIEW_COLOR_DUT;
        SDL_Rect rc = box_rect(t, e->box_x, e->box_y, e->box_w, e->box_h);
        /* The box names the frame it was measured on; the person walks on. Fresh, it is drawn
         * with its reading; then, until it goes, as a thin outline without a label. */
        if (now - m->t_s > FB_VIEW_DUT_FRESH_S) {
            frame_rect(v->ren, rc.x, rc.y, rc.w, rc.h, 1, C_DIM);
            continue;
        }
        frame_rect(v->ren, rc.x, rc.y, rc.w, rc.h, 2, c);
        char buf[96];
        snprintf(buf, sizeof buf, "#%u %.2f/%.2f°%s", (unsigned)e->track_id,
                 fb_ck_to_c(e->skin_ck), fb_ck_to_c(e->body_ck), e->alarm ? " ALARM" : "");
        label_on_image(v, &v->sans, &rc, rc.x, rc.y + rc.h + 1, 1, c, buf);
    }
}

static bool blackbody_rect(const fb_viewer *v, const xf *t, SDL_Rect *out)
{
    const fb_scenario *sc_ = &v->src->sc;
    double u, vv, depth;
    if (!sc_->blackbody.enabled ||
        !fb_camera_project(&v->src->geom, sc_->blackbody.x_m, sc_->blackbody.y_m,
                           sc_->blackbody.z_m, &u, &vv, &depth))
        return false;
    double half = sc_->blackbody.aperture_m / 2 * v->src->geom.focal_px / depth;
    *out = box_rect(t, u - half, vv - half, 2 * half, 2 * half);
    return true;
}

/* Whether the DUT's blackbody claim fits the truth's state: LOST while the reference is not
 * usable, OK or nothing while it is. */
static bool bb_claim_fits(int claim, fb_bb_truth st)
{
    bool usable = st == FB_BBT_OK || st == FB_BBT_NONE;
    return claim == FBFW_STATUS_BLACKBODY_LOST ? !usable : usable;
}

/* "DUT: BLACKBODY_LOST since 12.3 s" (or OK, or no claim) and its colour. */
static void bb_claim_text(const fb_viewer *v, char *buf, size_t len, uint32_t *rgb)
{
    int claim = v->bb_claim;
    bool fits = bb_claim_fits(claim, v->src->truth.blackbody_state);
    if (claim == FB_VIEW_CLAIM_NONE)
        snprintf(buf, len, "DUT: no blackbody claim");
    else
        snprintf(buf, len, "DUT: BLACKBODY_%s since %.1f s",
                 claim == FBFW_STATUS_BLACKBODY_LOST ? "LOST" : "OK", v->bb_claim_t_s);
    *rgb = fits ? (claim == FB_VIEW_CLAIM_NONE ? C_DIM : C_OK) : C_WARN;
}

static void draw_blackbody(fb_viewer *v, const xf *t)
{
    SDL_Rect rc;
    if (!blackbody_rect(v, t, &rc))
        return;
    frame_rect(v->ren, rc.x - 2, rc.y - 2, rc.w + 4, rc.h + 4, 1, FB_VIEW_COLOR_BLACKBODY);
    char a[16], b[16], c[16];
    fmt_c(a, sizeof a, v->src->sc.blackbody.set_c, 2);
    fmt_c(b, sizeof b, v->src->truth.blackbody_c, 2);
    fmt_c(c, sizeof c, v->bb_read_c, 2);
    char l1[64], l2[64];
    /* the truth's verdict on the reference when it is not usable (docs/scoring.md) */
    fb_bb_truth st = v->src->truth.blackbody_state;
    if (st != FB_BBT_OK && st != FB_BBT_NONE)
        snprintf(l1, sizeof l1, "blackbody set %s° %s", a, fb_bb_truth_name(st));
    else
        snprintf(l1, sizeof l1, "blackbody set %s°", a);
    snprintf(l2, sizeof l2, "true %s° read %s°", b, c);
    int tw = fb_text_width(&v->sans, l2) > fb_text_width(&v->sans, l1) ? fb_text_width(&v->sans, l2)
                                                                       : fb_text_width(&v->sans, l1);
    /* under the source, right-aligned with it (text_on_image keeps it inside the image) */
    int x = rc.x + rc.w + 2 - tw, y = rc.y + rc.h + 4;
    if (v->n_labels < FB_VIEW_MAX_LABELS) /* people's labels keep off it */
        v->labels[v->n_labels++] = (SDL_Rect){x - 1, y - 1, tw + 2, 3 * v->sans.height + 2};
    text_on_image(v, &v->sans, x, y, FB_VIEW_COLOR_BLACKBODY, l1);
    text_on_image(v, &v->sans, x, y + v->sans.height, FB_VIEW_COLOR_BLACKBODY, l2);
    /* what the DUT claims of it, green when the claim fits the truth, amber when not */
    char l3[64];
    uint32_t rgb;
    bb_claim_text(v, l3, sizeof l3, &rgb);
    text_on_image(v, &v->sans, x, y + 2 * v->sans.height, rgb, l3);
}

/* The screenable zone: the working distance band at a typical face height (1.6 m), 1.5 m wide. */
static void draw_zone(fb_viewer *v, const xf *t)
{
    const fb_screening_spec *sp = &v->src->sc.screening;
    const double face_z = 1.6, half_w = 0.75;
    double d[2] = {sp->min_distance_m, sp->max_distance_m};
    int px[2][2][2];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double u, vv, depth;
            if (!fb_camera_project(&v->src->geom, j ? half_w : -half_w, d[i], face_z, &u, &vv,
                                   &depth))
                return;
            px[i][j][0] = sc(t->x0 + u * t->sx);
            px[i][j][1] = sc(t->y0 + vv * t->sy);
        }
    color(v->ren, FB_VIEW_COLOR_ZONE, 255);
    for (int i = 0; i < 2; i++)
        dashed_line(v->ren, px[i][0][0], px[i][0][1], px[i][1][0], px[i][1][1], 6);
    for (int j = 0; j < 2; j++)
        dashed_line(v->ren, px[0][j][0], px[0][j][1], px[1][j][0], px[1][j][1], 6);
    char buf[96];
    snprintf(buf, sizeof buf, "screenable %.1f-%.1f m", sp->min_distance_m, sp->max_distance_m);
    int lx = px[1][0][0], ly = px[1][0][1] - v->sans.height - 2;
    text_on_image(v, &v->sans, lx, ly, FB_VIEW_COLOR_ZONE, buf);
}

/* Spot meter: the temperature of the camera pixel under the pointer (or --spot). */
static void draw_spot(fb_viewer *v, const fb_viewer_info *in, const xf *t, char *status,
                      size_t status_len)
{
    const fb_view_source *s = v->src;
    int cx, cy;
    if (v->o.spot_set) {
        cx = v->o.spot_x;
        cy = v->o.spot_y;
    } else if (v->mouse_in && v->tool == 0) { /* with a region tool the pointer draws regions */
        cx = sc((v->mouse_x - t->x0) / t->sx);
        cy = sc((v->mouse_y - t->y0) / t->sy);
    } else {
        return;
    }
    if (cx < 0 || cy < 0 || cx >= s->sc.camera.width || cy >= s->sc.camera.height ||
        s->frames_done == 0)
        return;
    double tc = fb_ck_to_c(s->frame_ck[(size_t)cy * (size_t)s->sc.camera.width + (size_t)cx]);
    int sx = sc(t->x0 + (cx + 0.5) * t->sx), sy = sc(t->y0 + (cy + 0.5) * t->sy);
    int arm = v->font_px;
    for (int pass = 0; pass < 2; pass++) {
        color(v->ren, pass ? 0xFFFFFFu : 0x000000u, 255);
        int o = pass ? 0 : 1;
        SDL_RenderDrawLine(v->ren, sx - arm, sy + o, sx - 3, sy + o);
        SDL_RenderDrawLine(v->ren, sx + 3, sy + o, sx + arm, sy + o);
        SDL_RenderDrawLine(v->ren, sx + o, sy - arm, sx + o, sy - 3);
        SDL_RenderDrawLine(v->ren, sx + o, sy + 3, sx + o, sy + arm);
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.2f °C", tc);
    int lx = sx + 6, ly = sy + 4;
    if (lx + fb_text_width(&v->sans, buf) > in->img_x + in->img_w)
        lx = sx - 6 - fb_text_width(&v->sans, buf);
    text_on_image(v, &v->sans, lx, ly, 0xFFFFFFu, buf);
    snprintf(status, status_len, "spot (%d, %d) %.2f °C", cx, cy, tc);
}

/* The measurement region (box, ellipse or line) and its statistics beside it; the same in the
 * status line. */
static void draw_region(fb_viewer *v, const fb_viewer_info *in, const xf *t, char *status,
                        size_t status_len)
{
    fb_vregion rg;
    fb_vregion_stats st;
    if (!fb_viewer_region(v, &rg, &st))
        return;
    int x0 = sc(t->x0 + rg.x0 * t->sx), y0 = sc(t->y0 + rg.y0 * t->sy);
    int x1 = sc(t->x0 + rg.x1 * t->sx), y1 = sc(t->y0 + rg.y1 * t->sy);
    for (int pass = 0; pass < 2; pass++) { /* dark under white, readable on any palette */
        color(v->ren, pass ? 0xFFFFFFu : 0x000000u, 255);
        int o = pass ? 0 : 1;
        if (rg.kind == FB_VREGION_LINE) {
            SDL_RenderDrawLine(v->ren, x0 + o, y0 + o, x1 + o, y1 + o);
        } else if (rg.kind == FB_VREGION_BOX) {
            SDL_Rect rc = {(x0 < x1 ? x0 : x1) + o, (y0 < y1 ? y0 : y1) + o, abs(x1 - x0),
                           abs(y1 - y0)};
            SDL_RenderDrawRect(v->ren, &rc);
        } else {
            double cx = (x0 + x1) / 2.0 + o, cy = (y0 + y1) / 2.0 + o;
            double rx = abs(x1 - x0) / 2.0, ry = abs(y1 - y0) / 2.0;
            for (int i = 0; i < 48; i++) {
                double a = 2 * 3.14159265358979 * i / 48, b = 2 * 3.14159265358979 * (i + 1) / 48;
                SDL_RenderDrawLine(v->ren, sc(cx + rx * cos(a)), sc(cy + ry * sin(a)),
                                   sc(cx + rx * cos(b)), sc(cy + ry * sin(b)));
            }
        }
    }
    /* the hottest pixel: a small white square */
    int hx = sc(t->x0 + (st.max_x + 0.5) * t->sx), hy = sc(t->y0 + (st.max_y + 0.5) * t->sy);
    SDL_Rect hot = {hx - 2, hy - 2, 5, 5};
    color(v->ren, 0xFFFFFFu, 255);
    SDL_RenderDrawRect(v->ren, &hot);
    char buf[160];
    snprintf(buf, sizeof buf, "%s: max %.2f  min %.2f  mean %.2f  SD %.2f °C  (%zu px)",
             fb_vregion_name(rg.kind), st.max_c, st.min_c, st.mean_c, st.sd_c, st.n);
    int ly = (y0 > y1 ? y0 : y1) + 3;
    if (ly + v->sans.height > in->img_y + in->img_h)
        ly = (y0 < y1 ? y0 : y1) - v->sans.height - 3;
    text_on_image(v, &v->sans, x0 < x1 ? x0 : x1, ly, 0xFFFFFFu, buf);
    snprintf(status, status_len, "%s", buf);
}

/* What the colours on the image mean, in the space under it. */
static void draw_legend(fb_viewer *v, int x, int y, int w)
{
    const struct {
        unsigned ov;
        uint32_t rgb;
        const char *what;
    } items[] = {
        {FB_OV_TRUTH, FB_VIEW_COLOR_TRUTH, "truth (solid: screenable)"},
        {FB_OV_DUT, FB_VIEW_COLOR_DUT, "DUT measurement"},
        {FB_OV_DUT, FB_VIEW_COLOR_ALARM, "DUT alarm"},
        {FB_OV_BLACKBODY, FB_VIEW_COLOR_BLACKBODY, "blackbody"},
        {FB_OV_ZONE, FB_VIEW_COLOR_ZONE, "screenable zone"},
        {FB_OV_ISOTHERM, 0, "isotherm"},
    };
    int x0 = x, sq = v->sans.ascent * 2 / 3;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (!(v->overlays & items[i].ov))
            continue;
        uint32_t rgb = items[i].ov == FB_OV_ISOTHERM ? fb_palette_isotherm(v->palette) : items[i].rgb;
        int tw = sq + 6 + fb_text_width(&v->sans, items[i].what) + v->font_px;
        if (x + tw > x0 + w) {
            x = x0;
            y += v->sans.height;
        }
        fill(v->ren, x, y + (v->sans.ascent - sq) / 2 + 1, sq, sq, rgb, 255);
        text(v, &v->sans, x + sq + 6, y, C_DIM, items[i].what);
        x += tw;
    }
}

/* ---- side panel ---- */

typedef struct pen {
    int x, y, w;
} pen;

static void section(fb_viewer *v, pen *p, const char *title)
{
    p->y += v->sans.height / 3;
    color(v->ren, C_RULE, 255);
    SDL_RenderDrawLine(v->ren, p->x, p->y, p->x + p->w, p->y);
    p->y += 3;
    text(v, &v->bold, p->x, p->y, C_HEAD, title);
    p->y += v->bold.height;
}

static const char *run_state(const fb_viewer *v, uint32_t *rgb)
{
    const fb_view_source *s = v->src;
    static char buf[64];
    if (s->faulted) {
        *rgb = FB_VIEW_COLOR_ALARM;
        return "stopped: DUT fault";
    }
    if (s->finished) {
        bool pass = v->res_valid && v->res.pass;
        *rgb = pass ? C_OK : FB_VIEW_COLOR_ALARM;
        return pass ? "finished: PASS" : "finished: FAIL";
    }
    if (v->paused) {
        *rgb = C_WARN;
        return "paused";
    }
    if (v->o.headless) {
        *rgb = C_DIM;
        return "headless picture";
    }
    *rgb = C_OK;
    double sp = fb_view_speed(v);
    if (sp < 0)
        snprintf(buf, sizeof buf, "running, as fast as possible");
    else
        snprintf(buf, sizeof buf, "running at %g× real time", sp);
    return buf;
}

static void panel_status(fb_viewer *v, pen *p)
{
    const fb_view_source *s = v->src;
    int lh = v->sans.height;
    text(v, &v->bold, p->x, p->y, C_TEXT, s->sc.name);
    p->y += lh;
    textf(v, &v->sans, p->x, p->y, C_DIM, "%s %d×%d @ %g fps · DUT %s", s->sc.camera.name,
          s->sc.camera.width, s->sc.camera.height, s->sc.camera.fps, s->dut);
    p->y += lh;
    textf(v, &v->sans, p->x, p->y, C_DIM, "seed %llu%s", (unsigned long long)s->sc.seed,
          v->o.replay ? " · replay (no DUT)" : "");
    p->y += lh;
    section(v, p, "Run");
    double t = s->frames_done ? s->truth.t_s : 0.0;
    textf(v, &v->mono, p->x, p->y, C_TEXT, "t %7.2f / %.2f s   frame %u / %u", t,
          s->sc.duration_s, s->frames_done ? (unsigned)s->frames_done - 1 : 0u,
          (unsigned)s->frames_planned);
    p->y += lh;
    if (v->o.headless)
        textf(v, &v->mono, p->x, p->y, C_DIM, "FPS  n/a (headless)   sensor %g", s->sc.camera.fps);
    else
        textf(v, &v->mono, p->x, p->y, C_TEXT, "FPS %5.1f (sensor %g)  draw %4.0f", v->fps_sim,
              s->sc.camera.fps, v->fps_draw);
    p->y += lh;
    uint32_t rgb;
    const char *st = run_state(v, &rgb);
    text(v, &v->bold, p->x, p->y, rgb, st);
    p->y += lh;
    if (s->faulted && s->fault[0]) {
        textf(v, &v->sans, p->x, p->y, FB_VIEW_COLOR_ALARM, "%.80s", s->fault);
        p->y += lh;
    }
}

static void panel_scores(fb_viewer *v, pen *p)
{
    section(v, p, "Scores so far");
    if (!v->res_valid)
        return;
    const fb_results *r = &v->res;
    int lh = v->mono.height;
    char a[16], b[16], c[16], d[16];
    textf(v, &v->mono, p->x, p->y, C_TEXT, "screenable %zu  measured %zu  missed %zu",
          r->n_screenable, r->n_measured, r->n_missed);
    p->y += lh;
    fmt_c(a, sizeof a, r->latency_mean_s, 2);
    fmt_c(b, sizeof b, r->latency_p95_s, 2);
    fmt_c(c, sizeof c, r->latency_max_s, 2);
    textf(v, &v->mono, p->x, p->y, C_TEXT, "latency    mean %s  p95 %s  max %s s", a, b, c);
    p->y += lh;
    fmt_c(a, sizeof a, r->skin.mae, 3);
    fmt_c(b, sizeof b, r->skin.bias, 3);
    fmt_c(c, sizeof c, r->body.mae, 3);
    textf(v, &v->mono, p->x, p->y, C_TEXT, "skin       MAE %s  bias %s °C", a, b);
    p->y += lh;
    textf(v, &v->mono, p->x, p->y, C_TEXT, "body       MAE %s °C  (n %zu)", c, r->skin.n);
    p->y += lh;
    snprintf(d, sizeof d, "%zu", r->false_alarms);
    textf(v, &v->mono, p->x, p->y, (r->fp || r->fn || r->false_alarms) ? C_WARN : C_TEXT,
          "alarms     TP %zu  FP %zu  TN %zu  FN %zu  false %s", r->tp, r->fp, r->tn, r->fn, d);
    p->y += lh;
    textf(v, &v->mono, p->x, p->y, r->dut_faults ? FB_VIEW_COLOR_ALARM : C_TEXT,
          "DUT faults %zu   events: unmatched %zu  dup %zu", r->dut_faults,
          r->unmatched_measurements, r->duplicate_measurements);
    p->y += lh;
}

#define PEOPLE_ROW "%-9.9s %5s %5s %5s %5s %5s %5s %s"
#define PEOPLE_WIDEST "febrile-a 38.90 37.13 36.91 38.15 -0.22 -2.60 screened" /* for the layout */

/* The people table: who is in the scene (nearest first), then who has left, latest first. */
static void panel_people(fb_viewer *v, pen *p, int y_end)
{
    const fb_view_source *s = v->src;
    int lh = v->mono.height;
    section(v, p, "People");
    text(v, &v->mono, p->x, p->y, C_DIM, "          true °C     DUT °C");
    p->y += lh;
    textf(v, &v->mono, p->x, p->y, C_DIM, PEOPLE_ROW, "id", "body", "skin", "skin", "body", "err",
          "lat", "status");
    p->y += lh;
    if (!v->res_valid)
        return;
    double now = s->frames_done ? s->truth.t_s : 0.0;
    int rows = (y_end - p->y) / lh;
    /* the people in the scene, nearest first (insertion sort: a handful at a time) */
    size_t n_in = s->truth.n_subjects < 256 ? s->truth.n_subjects : 256, order[256];
    for (size_t i = 0; i < n_in; i++) {
        size_t j = i;
        for (; j > 0 && s->truth.subjects[order[j - 1]].distance_m > s->truth.subjects[i].distance_m; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    /* rows: in scene (by distance), then departed (by enter time, latest first) */
    for (int pass = 0; pass < 2 && rows > 0; pass++) {
        size_t n = pass == 0 ? n_in : s->n_subjects;
        for (size_t k = 0; k < n && rows > 0; k++) {
            size_t idx;
            const fb_truth_subject *ts = NULL;
            if (pass == 0) {
                ts = &s->truth.subjects[order[k]];
                idx = ts->subject;
            } else {
                idx = n - 1 - k;
                const fb_subject_info *si = &s->subjects[idx];
                if (si->enter_s > now)
                    continue;
                bool present = false;
                for (size_t i = 0; i < s->truth.n_subjects; i++)
                    present = present || s->truth.subjects[i].subject == idx;
                if (present)
                    continue;
            }
            if (idx >= s->n_subjects || idx >= v->res.n_subjects)
                continue;
            const fb_subject_result *r = &v->res.subjects[idx];
            const char *status;
            uint32_t rgb;
            bool measured = r->n_measurements > 0;
            bool was_screenable = !isnan(r->screenable_from_s);
            if (measured && r->alarm) {
                status = "ALARM";
                rgb = FB_VIEW_COLOR_ALARM;
            } else if (measured) {
                /* a reading off by more than the scenario's skin MAE limit (else the ±0.3 °C
                 * accuracy of IEC 80601-2-59 checklists) is not drawn as good */
                const fb_criterion_limit *mae = &s->sc.criteria[FB_CRIT_SKIN_MAE];
                double lim = mae->set ? mae->limit : 0.3;
                status = "screened";
                rgb = fabs(r->skin_reported_c - r->skin_true_c) <= lim ? C_OK : C_WARN;
            } else if (ts) {
                status = "waiting";
                rgb = ts->screenable ? C_TEXT : C_DIM;
            } else if (was_screenable) {
                status = "missed";
                rgb = C_WARN;
            } else {
                continue; /* left without ever being screenable: not scored */
            }
            double skin_true = ts ? ts->canthus_c : r->skin_true_c;
            char a[12], b[12], c[12], d[12], e[12], f[12];
            fmt_c(a, sizeof a, r->info.core_c, 2);
            fmt_c(b, sizeof b, skin_true, 2);
            fmt_c(c, sizeof c, r->skin_reported_c, 2);
            fmt_c(d, sizeof d, r->body_reported_c, 2);
            if (measured)
                snprintf(e, sizeof e, "%+.2f", r->skin_reported_c - r->skin_true_c);
            else
                snprintf(e, sizeof e, "-");
            if (measured && was_screenable)
                snprintf(f, sizeof f, "%.2f", r->measured_at_s - r->screenable_from_s);
            else
                snprintf(f, sizeof f, "-");
            textf(v, &v->mono, p->x, p->y, rgb, PEOPLE_ROW, r->info.id, a, b, c, d, e, f, status);
            p->y += lh;
            rows--;
        }
    }
}

/* Three strips over time: ambient (truth), the camera's offset on the blackbody (read - true)
 * and the blackbody reading. */
/* Two rows over time: "truth" green while the blackbody is usable, amber while not; "DUT" green
 * while its claim fits the truth, amber while not, grey before its first claim. */
static void bb_band(fb_viewer *v, int x, int y, int w, int lh, double t_max)
{
    text(v, &v->mono, x, y, C_DIM, "BB truth");
    text(v, &v->mono, x, y + lh, C_DIM, "BB DUT");
    int lx = x + fb_text_width(&v->mono, "BB truth") + 6, lw = w - (lx - x);
    if (lw < 10)
        return;
    for (size_t i = 0; i < v->n_hist; i++) {
        const fb_view_sample *smp = &v->hist[i];
        double t1 = i + 1 < v->n_hist ? v->hist[i + 1].t_s : smp->t_s;
        int xa = lx + sc(smp->t_s / t_max * (lw - 1)), xb = lx + sc(t1 / t_max * (lw - 1));
        int ww = xb - xa > 1 ? xb - xa : 1;
        fb_bb_truth st = (fb_bb_truth)smp->bb_truth;
        bool usable = st == FB_BBT_OK || st == FB_BBT_NONE;
        fill(v->ren, xa, y + 2, ww, lh - 4, usable ? C_OK : C_WARN, 255);
        uint32_t c = smp->bb_claim == FB_VIEW_CLAIM_NONE ? (usable ? C_DIM : C_WARN)
                     : bb_claim_fits(smp->bb_claim, st) ? C_OK
                                                         : C_WARN;
        fill(v->ren, xa, y + lh + 2, ww, lh - 4, c, 255);
    }
}

/* A tick interval for a time axis of t_max seconds: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min,
 * 1 h ..., the smallest that gives at most six intervals. */
static double time_tick_s(double t_max)
{
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (t_max / steps[i] <= 6.0)
            return steps[i];
    return ceil(t_max / 6.0 / 3600.0) * 3600.0;
}

/* "0", "30 s", "2 min", "1:30", "1 h" */
static void time_label(char *buf, size_t len, double t_s)
{
    long t = (long)(t_s + 0.5);
    if (t == 0)
        snprintf(buf, len, "0");
    else if (t < 60)
        snprintf(buf, len, "%ld s", t);
    else if (t % 3600 == 0)
        snprintf(buf, len, "%ld h", t / 3600);
    else if (t % 60 == 0)
        snprintf(buf, len, "%ld min", t / 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

static void panel_plot(fb_viewer *v, pen *p, int y_end)
{
    section(v, p, "Over time");
    int lh = v->sans.height;
    /* with a blackbody, a band of two rows under the strips: the truth's state, the DUT's claim */
    bool bb = v->src->sc.blackbody.enabled;
    int band_h = bb ? 2 * lh + 4 : 0;
    int strip_h = (y_end - p->y - v->mono.height - band_h) / 3; /* and a time axis under all */
    if (strip_h < lh + 8)
        return;
    double t_max = fmax(v->src->sc.duration_s, 1e-3);
    double tick_s = time_tick_s(t_max);
    const struct {
        const char *name;
        size_t off;
        uint32_t rgb;
    } strips[3] = {
        {"ambient", offsetof(fb_view_sample, ambient_c), C_PLOT_AMB},
        {"camera offset (BB read - true)", offsetof(fb_view_sample, offset_c), C_PLOT_OFF},
        {"blackbody read", offsetof(fb_view_sample, bb_read_c), C_PLOT_BB},
    };
    for (int k = 0; k < 3; k++) {
        int y0 = p->y + k * strip_h, gx = p->x, gw = p->w, gy = y0 + lh, gh = strip_h - lh - 4;
        double lo = INFINITY, hi = -INFINITY, last = NAN;
        for (size_t i = 0; i < v->n_hist; i++) {
            double val;
            memcpy(&val, (const char *)&v->hist[i] + strips[k].off, sizeof val);
            if (!isfinite(val))
                continue;
            lo = fmin(lo, val);
            hi = fmax(hi, val);
            last = val;
        }
        char cur[16], l[16], h[16];
        fmt_c(cur, sizeof cur, last, k == 1 ? 3 : 2);
        textf(v, &v->sans, gx, y0, strips[k].rgb, "%s  %s °C", strips[k].name, cur);
        fill(v->ren, gx, gy, gw, gh, 0x14171Bu, 255);
        /* the time axis: a tick on each strip's bottom edge, labels under the last */
        for (double t = 0; t <= t_max + 1e-9; t += tick_s) {
            int tx = gx + sc(t / t_max * (gw - 1));
            fill(v->ren, tx, gy + gh - 3, 1, 3, C_DIM, 255);
            if (k == 2) {
                char lab[24];
                time_label(lab, sizeof lab, t);
                int tw = fb_text_width(&v->mono, lab);
                int lx = tx - tw / 2 < gx ? gx : tx + tw / 2 > gx + gw ? gx + gw - tw : tx - tw / 2;
                text(v, &v->mono, lx, gy + gh + 1, C_DIM, lab);
            }
        }
        if (k == 2 && bb)
            bb_band(v, gx, gy + gh + v->mono.height + 2, gw, lh, t_max);
        if (!(hi >= lo))
            continue;
        if (hi - lo < 0.2) {
            double m = (hi + lo) / 2;
            lo = m - 0.1;
            hi = m + 0.1;
        }
        fmt_c(h, sizeof h, hi, 2);
        fmt_c(l, sizeof l, lo, 2);
        int hw = fb_text_width(&v->mono, h) > fb_text_width(&v->mono, l) ? fb_text_width(&v->mono, h)
                                                                           : fb_text_width(&v->mono, l);
        text(v, &v->mono, gx + gw - hw - 2, gy, C_DIM, h);
        text(v, &v->mono, gx + gw - hw - 2, gy + gh - v->mono.height, C_DIM, l);
        /* one point per pixel column: the last sample that falls in it */
        color(v->ren, strips[k].rgb, 255);
        int px_prev = -1, py_prev = 0;
        for (size_t i = 0; i < v->n_hist; i++) {
            double val;
            memcpy(&val, (const char *)&v->hist[i] + strips[k].off, sizeof val);
            if (!isfinite(val))
                continue;
            int px = gx + sc(v->hist[i].t_s / t_max * (gw - 1));
            int py = gy + gh - 1 - sc((val - lo) / (hi - lo) * (gh - 1));
            if (px_prev >= 0 && (px != px_prev || i + 1 == v->n_hist))
                SDL_RenderDrawLine(v->ren, px_prev, py_prev, px, py);
            if (px != px_prev || px_prev < 0) {
                px_prev = px;
                py_prev = py;
            }
        }
    }
    p->y = y_end;
}

/* ---- help ---- */

static const char *const help_lines[][2] = {
    {"Space", "pause / resume"},
    {". or Right", "step one frame (pauses)"},
    {", or Left", "one frame back (re-runs from the start: same seed, same frames)"},
    {"PgUp / PgDn", "10 s back / on; Home: the start; click the timeline to seek"},
    {"+ / -", "faster / slower (1/16x .. as fast as possible)"},
    {"r", "restart from frame 0"},
    {"p", "next palette (iron, rainbow, white-hot, black-hot)"},
    {"a", "span: automatic / fixed at the current span"},
    {"t", "truth: true face boxes and canthus temperatures"},
    {"d", "DUT: the firmware's boxes, track ids, readings, alarms"},
    {"b", "blackbody: set, true and measured temperature"},
    {"z", "screenable zone"},
    {"i", "isotherm: paint skin at or above the alarm"},
    {"s", "screenshot to PNG"},
    {"e", "export the frame: 16-bit PNG in 0.01 K and CSV in °C"},
    {"m / M", "region tool: spot, box, ellipse, line (drag on the image); c clears"},
    {"? or h", "this help"},
    {"q or Esc", "quit"},
};

static void draw_help(fb_viewer *v)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]), lh = v->sans.height;
    int kw = 0, dw = 0;
    for (int i = 0; i < n; i++) {
        int a = fb_text_width(&v->bold, help_lines[i][0]), b = fb_text_width(&v->sans, help_lines[i][1]);
        kw = a > kw ? a : kw;
        dw = b > dw ? b : dw;
    }
    int w = kw + dw + 4 * v->font_px, h = (n + 3) * lh;
    int x = (v->out_w - w) / 2, y = (v->out_h - h) / 2;
    fill(v->ren, x, y, w, h, 0x000000u, 215);
    frame_rect(v->ren, x, y, w, h, 1, C_HEAD);
    text(v, &v->bold, x + v->font_px, y + lh / 2, C_HEAD, "Keys");
    for (int i = 0; i < n; i++) {
        int yy = y + lh / 2 + (i + 1) * lh + lh / 2;
        text(v, &v->bold, x + v->font_px, yy, C_TEXT, help_lines[i][0]);
        text(v, &v->sans, x + 2 * v->font_px + kw + v->font_px, yy, C_TEXT, help_lines[i][1]);
    }
}

/* ---- the whole window ---- */

void fb_view_draw(fb_viewer *v)
{
    SDL_Renderer *r = v->ren;
    const fb_view_source *s = v->src;
    fb_viewer_info *in = &v->info;
    int W = v->out_w, H = v->out_h;
    int px = v->font_px, lh = v->sans.height, pad = px / 2 + 2;
    int cw = s->sc.camera.width, ch = s->sc.camera.height;

    /* span and colour table */
    size_t npx = (size_t)cw * (size_t)ch;
    if (v->span_fixed || s->frames_done == 0) {
        v->cur_lo = v->span_lo;
        v->cur_hi = v->span_hi;
    } else {
        auto_span(v, s->frame_ck, npx, &v->cur_lo, &v->cur_hi);
    }
    build_lut(v);

    /* layout */
    int sb_h = lh + pad;
    int P = fb_text_width(&v->mono, PEOPLE_WIDEST " ") + 2 * pad; /* the widest panel line */
    if (P < 26 * px)
        P = 26 * px;
    if (P > W / 2)
        P = W / 2;
    int panel_x = W - P;
    int bar_w = px, label_w = fb_text_width(&v->mono, "-00.0") + 10;
    int bw = bar_w + label_w + 2 * pad;
    int legend_h = 2 * lh;
    int ax = pad, ay = pad, aw = panel_x - bw - 2 * pad, ah = H - sb_h - 2 * pad - legend_h;
    if (aw < 16)
        aw = 16;
    if (ah < 16)
        ah = 16;
    double scale = fmin((double)aw / cw, (double)ah / ch);
    int img_w = (int)floor(cw * scale), img_h = (int)floor(ch * scale);
    if (img_w < 1)
        img_w = 1;
    if (img_h < 1)
        img_h = 1;
    in->img_x = ax + (aw - img_w) / 2;
    in->img_y = ay;
    in->img_w = img_w;
    in->img_h = img_h;
    in->scale = (double)img_w / cw;
    in->bar_x = in->img_x + img_w + pad;
    in->bar_y = in->img_y + lh + 4;
    in->bar_w = bar_w;
    in->bar_h = img_h - (lh + 4) - lh / 2;
    if (in->bar_h < 8)
        in->bar_h = 8;
    in->panel_x = panel_x;
    in->background = FB_VIEW_COLOR_BG;

    /* background, image, overlays */
    color(r, FB_VIEW_COLOR_BG, 255);
    SDL_RenderClear(r);
    SDL_Rect img = {in->img_x, in->img_y, img_w, img_h};
    draw_image(v, &img);
    xf t = {in->img_x, in->img_y, (double)img_w / cw, (double)img_h / ch};
    char spot[96] = "", region[160] = "";
    if (s->frames_done > 0) {
        SDL_RenderSetClipRect(r, &img);
        v->n_labels = 0;
        if (v->overlays & FB_OV_ZONE)
            draw_zone(v, &t);
        if (v->overlays & FB_OV_BLACKBODY)
            draw_blackbody(v, &t);
        if (v->overlays & FB_OV_TRUTH)
            draw_truth(v, &t);
        if (v->overlays & FB_OV_DUT)
            draw_dut(v, &t);
        draw_spot(v, in, &t, spot, sizeof spot);
        draw_region(v, in, &t, region, sizeof region);
        SDL_RenderSetClipRect(r, NULL);
    }
    draw_bar(v, in);
    draw_legend(v, in->img_x, in->img_y + img_h + pad / 2, panel_x - pad - in->img_x);

    /* side panel */
    fill(r, panel_x, 0, P, H - sb_h, C_PANEL, 255);
    color(r, C_RULE, 255);
    SDL_RenderDrawLine(r, panel_x, 0, panel_x, H - sb_h);
    pen p = {panel_x + pad, pad, P - 2 * pad};
    SDL_Rect panel_clip = {panel_x + 1, 0, P - 1 - pad / 2, H - sb_h};
    SDL_RenderSetClipRect(r, &panel_clip);
    panel_status(v, &p);
    panel_scores(v, &p);
    int plot_h = 3 * (3 * lh) + lh;
    int people_end = H - sb_h - pad - plot_h;
    panel_people(v, &p, people_end);
    p.y = people_end;
    panel_plot(v, &p, H - sb_h - pad);
    SDL_RenderSetClipRect(r, NULL);

    /* status line, and along its top the run's timeline: done so far, the rest dim */
    fill(r, 0, H - sb_h, W, sb_h, 0x0E1013u, 255);
    {
        int tx = pad, tw = W - 2 * pad, ty = H - sb_h, th = 3;
        double planned = s->frames_planned > 0 ? (double)s->frames_planned : 1.0;
        int done_w = sc((double)s->frames_done / planned * tw);
        fill(r, tx, ty, tw, th, C_RULE, 255);
        fill(r, tx, ty, done_w < tw ? done_w : tw, th, C_DIM, 255);
        in->timeline_x = tx, in->timeline_y = ty, in->timeline_w = tw, in->timeline_h = th;
    }
    char ov[32];
    snprintf(ov, sizeof ov, "%s%s%s%s%s", (v->overlays & FB_OV_TRUTH) ? "T" : "-",
             (v->overlays & FB_OV_DUT) ? "D" : "-", (v->overlays & FB_OV_BLACKBODY) ? "B" : "-",
             (v->overlays & FB_OV_ZONE) ? "Z" : "-", (v->overlays & FB_OV_ISOTHERM) ? "I" : "-");
    char line[600];
    int n = snprintf(line, sizeof line, "palette %s · span %s %.1f..%.1f °C · overlays %s",
                     fb_palette_name(v->palette), v->span_fixed ? "fixed" : "auto", v->cur_lo,
                     v->cur_hi, ov);
    if (v->overlays & FB_OV_ISOTHERM)
        n += snprintf(line + n, sizeof line - (size_t)n, " · isotherm >= %.2f °C skin", v->iso_c);
    if (v->tool > 0)
        n += snprintf(line + n, sizeof line - (size_t)n, " · tool %s",
                      fb_vregion_name((fb_vregion_kind)(v->tool - 1)));
    if (spot[0])
        n += snprintf(line + n, sizeof line - (size_t)n, " · %s", spot);
    if (region[0])
        n += snprintf(line + n, sizeof line - (size_t)n, " · %s", region);
    if (v->flash[0] && !v->o.headless && SDL_GetTicks() < v->flash_until_ms)
        snprintf(line + n, sizeof line - (size_t)n, " · %s", v->flash);
    text(v, &v->sans, pad, H - sb_h + pad / 2, C_TEXT, line);
    const char *hint = "? keys";
    text(v, &v->sans, W - pad - fb_text_width(&v->sans, hint), H - sb_h + pad / 2, C_DIM, hint);

    if (v->help)
        draw_help(v);
}
