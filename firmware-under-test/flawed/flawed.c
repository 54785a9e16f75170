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
 *   flawed-slow          integrates 3 s before it reports: right numbers, late.
 * The hottest-pixel and forehead readings are taken relative to the reference's calibrated eye
 * reading (reference skin + (region value − eye-band maximum)), so they keep the blackbody
 * correction and show only their own flaw.
 */
#include "flawed.h"
#include <string.h>

#define CK_OF_C(c) ((int32_t)((c) * 100.0 + 27315.0 + 0.5))
#define MAX_HELD 64
#define SLOW_HOLD_S 3.0

typedef enum kind { K_NOBB, K_NORM, K_HOTTEST, K_FOREHEAD, K_SLOW } kind;

typedef struct held_event {
    uint32_t due_frame;
    fbfw_event ev;
} held_event;

typedef struct wrap {
    uint32_t magic;
    uint32_t kind;
    fbfw_config cfg;      /* as installed (the reference may run with a changed copy) */
    uint32_t hold_frames; /* flawed-slow */
    uint32_t n_held;
    held_event held[MAX_HELD];
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
    uint32_t hold = (uint32_t)((double)cfg->fps_milli * SLOW_HOLD_S / 1000.0 + 0.5);
    w->hold_frames = hold > 200u ? 200u : hold; /* the bench matches events up to 255 frames back */
    return 0;
}

static uint16_t clamp_ck(int32_t v)
{
    return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

static void set_skin(const wrap *w, fbfw_event *e, int32_t skin)
{
    e->skin_ck = clamp_ck(skin);
    e->body_ck = clamp_ck(skin + (int32_t)w->cfg.body_offset_ck);
    e->alarm = (uint8_t)(e->body_ck >= w->cfg.alarm_threshold_ck);
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
                if (w->n_held < MAX_HELD) {
                    w->held[w->n_held].due_frame = frame_no + w->hold_frames;
                    w->held[w->n_held].ev = e;
                    w->n_held++;
                }
                continue; /* reported later (a full queue drops it: missed) */
            case K_NOBB: break;
            }
        }
        events[out++] = e;
    }
    /* flawed-slow: what is due, oldest first, as far as there is room */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < w->n_held; i++) {
        if (w->held[i].due_frame <= frame_no && out < max_events)
            events[out++] = w->held[i].ev;
        else
            w->held[kept++] = w->held[i];
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
    {"flawed-slow", "integrates 3 s before reporting", slow_size, slow_init, w_process, slow_name},
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
