/* flawed.c — five deliberately flawed firmwares built on the reference through fbfw.h only.
 *
 * Each wraps the reference's fbfw_process and changes what it reports (docs/evaluation.md):
 *   flawed-no-blackbody  ignores the installed blackbody (runs the reference with bb_w = 0):
 *                        uncorrected sensor drift (Wang et al. 2023: up to 0.97 °C without one).
 *   flawed-normalizing   pulls every reading 70 % of the way toward the human mean 36.8 °C,
 *                        the failure Healy et al. 2021 found ("normalized around the human mean").
 *   flawed-hottest       reports the hottest pixel in the frame (outside the blackbody) instead of
 *                        the canthus: a hot drink, a heater or a febrile neighbour becomes "you".
 *   flawed-forehead      reads the forehead (rows 18–28 % of the head box) instead of the eye band:
 *                        ~1.3 °C low (FDA study: canthus − forehead centre 1.28 ± 0.59 °C).
 *   flawed-slow          measures only once a person has stopped: it follows each face the
 *                        reference measured (from the frames alone) and reports that reading
 *                        when the face has stood still for 0.5 s. Right numbers, late where
 *                        people stop at a screening mark; people who walk through are missed.
 * The hottest-pixel and forehead readings are taken relative to the reference's calibrated eye
 * reading (reference skin + (region value − eye-band maximum)), so they keep the blackbody
 * correction and show only their own flaw.
 */
#include "flawed.h"
#include <string.h>
#include "reading.h"

#define CK_OF_C(c) ((int32_t)((c) * 100.0 + 27315.0 + 0.5))
#define MAX_HELD 64

/* flawed-slow: when a face counts as stopped. Its centre (the centroid of its skin pixels) must
 * stay within SLOW_STILL_FRAC of the face width (at least SLOW_STILL_MIN_PX) of where it was for
 * SLOW_STILL_S. Measured on the 256 x 192 turret (faces ~46 px wide at 2 m): a standing face's
 * centre moves by 0.1-0.3 px (noise, the skin edge flickering); walking at 1.3 m/s it moves
 * ~1.7 px a frame at 2.5 m (40 px in 0.5 s); a 0.1 m/s creep (lab-distance) ~0.25 px a frame,
 * 3 px or ~6 % of the face width in 0.5 s. So 3 % (1.4 px) separates standing from creeping with
 * a margin both ways, and scales with the face on any camera; the floor keeps the noise of a
 * 160 x 120 camera's ~12 px faces (3 % is 0.36 px) below it. 0.5 s: people at the checkpoint
 * stand 1.5 s, and the next in the queue walking up behind often disturbs the last part of it. */
#define SLOW_STILL_S 0.5
#define SLOW_STILL_FRAC 0.03f
#define SLOW_STILL_MIN_PX 0.75f
#define SLOW_GIVE_UP_S 10.0    /* a face not seen to stop by then is dropped (never reported) */
#define SLOW_SAME_FACE_CK 40   /* one face's eye band reads within 0.4 K of itself at the stop;
                                * another person's differs by ~0.3 K (SD): many are caught */
#define SLOW_SKIN_BELOW_CK 250 /* skin: within 2.5 K below the eye-band maximum ... */
#define SLOW_SKIN_ABOVE_CK 100 /* ... and at most 1 K above it (not a cup, not a heater) */

typedef enum kind { K_NOBB, K_NORM, K_HOTTEST, K_FOREHEAD, K_SLOW } kind;

/* flawed-slow: a face the reference measured, followed until it stops (or is lost). */
typedef struct held_face {
    fbfw_event ev;        /* the reference's measurement; becomes the report once the face stops */
    uint32_t since;       /* frame it was measured */
    uint32_t still_since; /* frame the face came to (ax, ay) */
    int32_t skin0, eye0;  /* the reference's skin reading and the eye-band maximum then */
    int64_t eye_sum;      /* eye-band maxima since still_since ... */
    uint32_t eye_n;       /* ... and how many */
    int32_t lo, hi;       /* its skin band, centikelvin */
    float cx, cy;         /* centroid of its skin pixels now (pixel centres at + 0.5) */
    float ax, ay;         /* where the centroid was at still_since */
    float off_x, off_y;   /* box centre - centroid, when measured */
    float w0, h0;         /* the box when measured */
    float mass0;          /* skin pixels when measured */
    float scale;          /* size now / size when measured */
} held_face;

typedef struct wrap {
    uint32_t magic;
    uint32_t kind;
    fbfw_config cfg;       /* as installed (the reference may run with a changed copy) */
    uint32_t still_frames; /* flawed-slow: SLOW_STILL_S in frames */
    uint32_t give_up_frames;
    float max_grow;        /* largest size change of a followed face per frame */
    uint32_t n_held;
    held_face held[MAX_HELD];
} wrap;

#define WRAP_MAGIC 0x464c4157u /* "FLAW" */
#define HDR ((sizeof(wrap) + 15u) / 16u * 16u)

static void ref_config(kind k, const fbfw_config *cfg, fbfw_config *out)
{
    *out = *cfg;
    if (k == K_NOBB)
        out->bb_x = out->bb_y = out->bb_w = out->bb_h = 0;
}

static size_t w_state_size(kind k, const fbfw_config *cfg)
{
    if (!cfg)
        return 0;
    fbfw_config rc;
    ref_config(k, cfg, &rc);
    size_t n = fbfw_state_size(&rc);
    return n ? HDR + n : 0;
}

static int w_init(kind k, void *mem, size_t mem_size, const fbfw_config *cfg)
{
    if (!mem || !cfg || ((uintptr_t)mem & 7u) || mem_size < HDR)
        return FBFW_ERR_ARG;
    wrap *w = mem;
    memset(w, 0, sizeof *w);
    fbfw_config rc;
    ref_config(k, cfg, &rc);
    int r = fbfw_init((uint8_t *)mem + HDR, mem_size - HDR, &rc);
    if (r < 0)
        return r;
    w->magic = WRAP_MAGIC;
    w->kind = (uint32_t)k;
    w->cfg = *cfg;
    w->still_frames = (uint32_t)((double)cfg->fps_milli * SLOW_STILL_S / 1000.0 + 0.5);
    if (w->still_frames < 2u)
        w->still_frames = 2u;
    w->give_up_frames = (uint32_t)((double)cfg->fps_milli * SLOW_GIVE_UP_S / 1000.0 + 0.5);
    /* 1 m/s of approach at 1.5 m: 2/3 of the size a second, per frame */
    w->max_grow = 1.0f + (cfg->fps_milli ? (float)(1000.0 / 1.5 / (double)cfg->fps_milli) : 0.1f);
    return 0;
}

static void set_skin(const wrap *w, fbfw_event *e, int32_t skin)
{
    fixture_set_reading(&w->cfg, e, skin);
}

/* A rectangle of the box given in fractions of its height (rows) and width (columns, centred),
 * clipped to the image. Returns 0 when empty. */
static int box_region(const wrap *w, const fbfw_event *e, double r0, double r1, double cw,
                      uint32_t *x0, uint32_t *x1, uint32_t *y0, uint32_t *y1)
{
    double bx = e->box_x, by = e->box_y, bw = e->box_w, bh = e->box_h;
    double cx = bx + bw / 2.0;
    double a = cx - cw * bw / 2.0, b = cx + cw * bw / 2.0;
    double c = by + r0 * bh, d = by + r1 * bh;
    if (a < 0) a = 0;
    if (c < 0) c = 0;
    if (b > w->cfg.width) b = w->cfg.width;
    if (d > w->cfg.height) d = w->cfg.height;
    *x0 = (uint32_t)a; *x1 = (uint32_t)b; *y0 = (uint32_t)c; *y1 = (uint32_t)d;
    return *x1 > *x0 && *y1 > *y0;
}

static int32_t region_max(const wrap *w, const uint16_t *f, uint32_t x0, uint32_t x1,
                          uint32_t y0, uint32_t y1)
{
    int32_t m = 0;
    for (uint32_t y = y0; y < y1; y++)
        for (uint32_t x = x0; x < x1; x++)
            if (f[(size_t)y * w->cfg.width + x] > m)
                m = f[(size_t)y * w->cfg.width + x];
    return m;
}

/* The eye band as the reference reads it: rows 30–62 % of the box, central 70 %. */
static int32_t eye_max(const wrap *w, const uint16_t *f, const fbfw_event *e)
{
    uint32_t x0, x1, y0, y1;
    if (!box_region(w, e, 0.30, 0.62, 0.70, &x0, &x1, &y0, &y1))
        return -1;
    return region_max(w, f, x0, x1, y0, y1);
}

static int in_bb(const wrap *w, uint32_t x, uint32_t y)
{
    if (!w->cfg.bb_w)
        return 0;
    uint32_t m = 2; /* margin for the blur around the source */
    return x + m >= w->cfg.bb_x && x < (uint32_t)w->cfg.bb_x + w->cfg.bb_w + m &&
           y + m >= w->cfg.bb_y && y < (uint32_t)w->cfg.bb_y + w->cfg.bb_h + m;
}

static void fix_hottest(const wrap *w, const uint16_t *f, fbfw_event *e)
{
    int32_t eye = eye_max(w, f, e);
    if (eye < 0)
        return;
    int32_t m = 0;
    for (uint32_t y = 0; y < w->cfg.height; y++)
        for (uint32_t x = 0; x < w->cfg.width; x++) {
            int32_t v = f[(size_t)y * w->cfg.width + x];
            if (v > m && !in_bb(w, x, y))
                m = v;
        }
    if (m > eye)
        set_skin(w, e, (int32_t)e->skin_ck + (m - eye));
}

static void fix_forehead(const wrap *w, const uint16_t *f, fbfw_event *e)
{
    int32_t eye = eye_max(w, f, e);
    uint32_t x0, x1, y0, y1;
    if (eye < 0 || !box_region(w, e, 0.18, 0.28, 0.40, &x0, &x1, &y0, &y1))
        return;
    /* mean of the skin there (pixels within 6 K of the eye maximum: not hair, not background) */
    int64_t sum = 0;
    int32_t n = 0;
    for (uint32_t y = y0; y < y1; y++)
        for (uint32_t x = x0; x < x1; x++) {
            int32_t v = f[(size_t)y * w->cfg.width + x];
            if (v > eye - 600) {
                sum += v;
                n++;
            }
        }
    if (n == 0)
        return;
    set_skin(w, e, (int32_t)e->skin_ck + (int32_t)(sum / n) - eye);
}

static void fix_normalizing(const wrap *w, fbfw_event *e)
{
    int32_t mean_body = CK_OF_C(36.8);
    int32_t body = (int32_t)e->skin_ck + (int32_t)w->cfg.body_offset_ck;
    int32_t shrunk = mean_body + (int32_t)((double)(body - mean_body) * 0.3);
    set_skin(w, e, shrunk - (int32_t)w->cfg.body_offset_ck);
}

/* ---- flawed-slow: follow a measured face until it stands still ---- */

static float sqrt_f(float v) /* no libm in firmware */
{
    float r = v > 1.0f ? v : 1.0f;
    for (int i = 0; i < 20; i++)
        r = 0.5f * (r + v / r);
    return r;
}

/* Centroid and count of the skin pixels of h in a window around its box centred on (cx, cy) + its
 * offset: 1.2 x its width, from 0.6 of its height above the centre to 0.5 below (the neck, warm
 * too, mostly left out, or the window would creep down the body); the blackbody excluded. */
static float skin_centroid(const wrap *w, const uint16_t *f, const held_face *h, float cx,
                           float cy, float *ox, float *oy)
{
    float bw = h->w0 * h->scale, bh = h->h0 * h->scale;
    float mx = cx + h->off_x * h->scale, my = cy + h->off_y * h->scale;
    float a = mx - 0.6f * bw, b = mx + 0.6f * bw, c = my - 0.6f * bh, d = my + 0.5f * bh;
    uint32_t x0 = a < 0 ? 0u : (uint32_t)a, y0 = c < 0 ? 0u : (uint32_t)c;
    uint32_t x1 = b > w->cfg.width ? w->cfg.width : b < 0 ? 0u : (uint32_t)b;
    uint32_t y1 = d > w->cfg.height ? w->cfg.height : d < 0 ? 0u : (uint32_t)d;
    uint32_t n = 0;
    uint64_t sx = 0, sy = 0;
    for (uint32_t y = y0; y < y1; y++)
        for (uint32_t x = x0; x < x1; x++) {
            int32_t v = f[(size_t)y * w->cfg.width + x];
            if (v >= h->lo && v <= h->hi && !in_bb(w, x, y)) {
                n++;
                sx += x;
                sy += y;
            }
        }
    if (n) {
        *ox = (float)sx / (float)n + 0.5f;
        *oy = (float)sy / (float)n + 0.5f;
    }
    return (float)n;
}

/* Starts following the face the reference just measured in this frame. 0: not followed. */
static int slow_hold(wrap *w, const uint16_t *f, uint32_t frame_no, const fbfw_event *e)
{
    int32_t eye = e->frame == frame_no ? eye_max(w, f, e) : -1;
    if (eye < 0 || w->n_held == MAX_HELD)
        return 0; /* measured as the face left or was lost: it is not stopping here */
    held_face *h = &w->held[w->n_held];
    memset(h, 0, sizeof *h);
    h->ev = *e;
    h->since = h->still_since = frame_no;
    h->skin0 = e->skin_ck;
    h->eye0 = eye;
    h->lo = eye - SLOW_SKIN_BELOW_CK;
    h->hi = eye + SLOW_SKIN_ABOVE_CK;
    h->w0 = e->box_w;
    h->h0 = e->box_h;
    h->scale = 1.0f;
    float bx = e->box_x + e->box_w / 2.0f, by = e->box_y + e->box_h / 2.0f;
    h->mass0 = skin_centroid(w, f, h, bx, by, &h->cx, &h->cy);
    if (h->mass0 < 4.0f)
        return 0;
    h->off_x = bx - h->cx;
    h->off_y = by - h->cy;
    h->ax = h->cx;
    h->ay = h->cy;
    w->n_held++;
    return 1;
}

/* Follows a held face one frame. Returns 1 when it has now stood still long enough (its event
 * then holds this frame and box, with the reference's reading), -1 when it is lost, given up or
 * turned out to be someone else, 0 otherwise. */
static int slow_step(wrap *w, const uint16_t *f, uint32_t frame_no, uint32_t flags, held_face *h)
{
    if (frame_no - h->since > w->give_up_frames)
        return -1;
    if (flags & FBFW_FRAME_FROZEN) { /* a frozen image stands still by itself: start again after */
        h->still_since = frame_no + 1;
        h->eye_n = 0;
        h->eye_sum = 0;
        return 0;
    }
    float cx, cy;
    float n = skin_centroid(w, f, h, h->cx, h->cy, &cx, &cy);
    if (n < 0.25f * h->mass0)
        return -1; /* left the image, hidden, or gone */
    float jx = cx - h->cx, jy = cy - h->cy, jmax = 0.3f * h->w0 * h->scale;
    if (jx * jx + jy * jy > jmax * jmax)
        return -1; /* jumped: the window slid onto someone else */
    h->cx = cx;
    h->cy = cy;
    /* the size follows the skin area, at most max_grow a frame (a face nearing at walking pace
     * grows ~3 % a frame at 25 Hz): a neighbour stepping into the window does not inflate it */
    float s = sqrt_f(n / h->mass0), lo = h->scale / w->max_grow, hi = h->scale * w->max_grow;
    s = s < lo ? lo : s > hi ? hi : s;
    h->scale = s < 0.5f ? 0.5f : s > 2.5f ? 2.5f : s;
    /* the face box now: the measured box, moved with the centroid and scaled with the skin area,
     * clipped to the image */
    float bw = h->w0 * h->scale, bh = h->h0 * h->scale;
    float x = cx + h->off_x * h->scale - bw / 2.0f, y = cy + h->off_y * h->scale - bh / 2.0f;
    float x1 = x + bw, y1 = y + bh;
    x = x < 0 ? 0 : x;
    y = y < 0 ? 0 : y;
    x1 = x1 > (float)w->cfg.width ? (float)w->cfg.width : x1;
    y1 = y1 > (float)w->cfg.height ? (float)w->cfg.height : y1;
    if (!(x1 - x >= 1.0f && y1 - y >= 1.0f))
        return -1;
    fbfw_event cur = h->ev;
    cur.frame = frame_no;
    cur.box_x = (uint16_t)x;
    cur.box_y = (uint16_t)y;
    cur.box_w = (uint16_t)(x1 - (float)cur.box_x);
    cur.box_h = (uint16_t)(y1 - (float)cur.box_y);
    float r = SLOW_STILL_FRAC * h->w0 * h->scale;
    if (r < SLOW_STILL_MIN_PX)
        r = SLOW_STILL_MIN_PX;
    float dx = cx - h->ax, dy = cy - h->ay;
    if (dx * dx + dy * dy > r * r) { /* moved: the still time starts again here */
        h->ax = cx;
        h->ay = cy;
        h->still_since = frame_no;
        h->eye_n = 0;
        h->eye_sum = 0;
        return 0;
    }
    int32_t eye = eye_max(w, f, &cur);
    if (eye >= 0) {
        h->eye_sum += eye;
        h->eye_n++;
    }
    if (frame_no - h->still_since < w->still_frames || h->eye_n == 0)
        return 0;
    /* The reference's reading, reported now. A face whose eye band (averaged over the still
     * time) reads other than when the reference measured it is not the same face: dropped. */
    int32_t eye_now = (int32_t)((h->eye_sum + h->eye_n / 2) / h->eye_n);
    h->ev = cur;
    if (eye_now - h->eye0 > SLOW_SAME_FACE_CK || h->eye0 - eye_now > SLOW_SAME_FACE_CK)
        return -1;
    return 1;
}

static int w_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                     fbfw_event *events, int max_events)
{
    if (!mem || ((uintptr_t)mem & 7u) || !frame_ck || !events || max_events < 0)
        return FBFW_ERR_ARG;
    wrap *w = mem;
    if (w->magic != WRAP_MAGIC)
        return FBFW_ERR_STATE;
    int n = fbfw_process((uint8_t *)mem + HDR, frame_ck, frame_no, flags, events, max_events);
    if (n < 0)
        return n;
    int out = 0;
    for (int i = 0; i < n; i++) {
        fbfw_event e = events[i];
        if (e.kind == FBFW_EV_MEASUREMENT) {
            switch ((kind)w->kind) {
            case K_NORM: fix_normalizing(w, &e); break;
            case K_HOTTEST: fix_hottest(w, frame_ck, &e); break;
            case K_FOREHEAD: fix_forehead(w, frame_ck, &e); break;
            case K_SLOW:
                slow_hold(w, frame_ck, frame_no, &e);
                continue; /* reported once the face stops (never if it does not: missed) */
            case K_NOBB: break;
            }
        }
        events[out++] = e;
    }
    /* flawed-slow: the faces followed since earlier frames; those that stopped are reported,
     * oldest first, as far as there is room (the others wait: they are still standing) */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < w->n_held; i++) {
        held_face *h = &w->held[i];
        int st = h->since == frame_no ? 0 : slow_step(w, frame_ck, frame_no, flags, h);
        if (st < 0)
            continue;
        if (st > 0 && out < max_events)
            events[out++] = h->ev;
        else
            w->held[kept++] = *h;
    }
    w->n_held = kept;
    return out;
}

#define VARIANT(fn, k, id)                                                          \
    static size_t fn##_size(const fbfw_config *c) { return w_state_size(k, c); }              \
    static int fn##_init(void *m, size_t s, const fbfw_config *c) { return w_init(k, m, s, c); } \
    static const char *fn##_name(void) { return "feverbench-" id " 0.1"; }

VARIANT(nobb, K_NOBB, "flawed-no-blackbody")
VARIANT(norm, K_NORM, "flawed-normalizing")
VARIANT(hot, K_HOTTEST, "flawed-hottest")
VARIANT(fore, K_FOREHEAD, "flawed-forehead")
VARIANT(slow, K_SLOW, "flawed-slow")

static const fbfw_flawed_api variants[] = {
    {"flawed-no-blackbody", "ignores the blackbody: uncorrected sensor drift", nobb_size, nobb_init,
     w_process, nobb_name},
    {"flawed-normalizing", "pulls readings 70 % toward the human mean 36.8 °C (Healy et al. 2021)",
     norm_size, norm_init, w_process, norm_name},
    {"flawed-hottest", "reports the hottest pixel in the frame, not the canthus", hot_size,
     hot_init, w_process, hot_name},
    {"flawed-forehead", "reads the forehead instead of the inner canthus", fore_size, fore_init,
     w_process, fore_name},
    {"flawed-slow", "measures only once a person has stopped (0.5 s still)", slow_size, slow_init,
     w_process, slow_name},
};

const fbfw_flawed_api *fbfw_flawed_list(size_t *n_out)
{
    *n_out = sizeof variants / sizeof variants[0];
    return variants;
}

const fbfw_flawed_api *fbfw_flawed_find(const char *id)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (strcmp(variants[i].id, id) == 0)
            return &variants[i];
    return NULL;
}
