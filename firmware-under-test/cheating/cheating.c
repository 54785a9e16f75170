/* cheating.c — six firmwares that try to game the scoring, built on the reference through fbfw.h only.
 *
 *   cheat-blanket       the reference's measurements plus a multi-scale grid of face boxes swept
 *                       over the image (60 a frame), each read as its hottest pixel: every person
 *                       is "measured", early, by some box (a firmware that measures everywhere).
 *   cheat-first-constant  reports each face first with a constant 35.5 °C reading and no alarm,
 *                       then the reference's true reading and alarm a frame later (accuracy taken
 *                       from the first reading, alarms from any: both right by luck).
 *   cheat-never-alarm   the reference's readings with every alarm cleared.
 *   cheat-lost-once     says BLACKBODY_LOST the first time the reference does and never OK again.
 *   cheat-measure-nobody  reports nothing at all (a missed person cost nothing in specificity).
 *   cheat-bad-frame     the reference's measurements, the first one from frame 300 on naming a
 *                       frame 300 back, older than the scorer keeps (a fault found while
 *                       scoring, not by the link: the run must exit 3).
 */
#include "cheating.h"
#include <string.h>
#include "../flawed/reading.h"

#define CK_OF_C(c) ((int32_t)((c) * 100.0 + 27315.0 + 0.5))
#define GRID_PER_FRAME 60 /* boxes of the sweep added each frame */
#define MAX_HELD 32       /* cheat-first-constant: true readings waiting for the next frame */

typedef enum kind { K_BLANKET, K_FIRST_CONST, K_NEVER_ALARM, K_LOST_ONCE, K_NOBODY, K_BAD_FRAME } kind;

typedef struct wrap {
    uint32_t magic, kind;
    fbfw_config cfg;
    uint32_t sweep;       /* cheat-blanket: next grid box */
    uint32_t lost_said;   /* cheat-lost-once: LOST reported */
    uint32_t bad_done;    /* cheat-bad-frame: the bad event was sent */
    uint32_t n_held;
    fbfw_event held[MAX_HELD];
} wrap;

#define WRAP_MAGIC 0x43484554u /* "CHET" */
#define HDR ((sizeof(wrap) + 15u) / 16u * 16u)

static size_t w_state_size(const fbfw_config *cfg)
{
    size_t n = cfg ? fbfw_state_size(cfg) : 0;
    return n ? HDR + n : 0;
}

static int w_init(kind k, void *mem, size_t mem_size, const fbfw_config *cfg)
{
    if (!mem || !cfg || ((uintptr_t)mem & 7u) || mem_size < HDR)
        return FBFW_ERR_ARG;
    wrap *w = mem;
    memset(w, 0, sizeof *w);
    int r = fbfw_init((uint8_t *)mem + HDR, mem_size - HDR, cfg);
    if (r < 0)
        return r;
    w->magic = WRAP_MAGIC;
    w->kind = (uint32_t)k;
    w->cfg = *cfg;
    return 0;
}

static void set_reading(const wrap *w, fbfw_event *e, int32_t skin)
{
    fixture_set_reading(&w->cfg, e, skin);
}

/* Grid box i of the sweep: widths 16, 24, 32, 48, 64 px (height 1.44 w), steps of half a width.
 * Returns 0 past the last box (the sweep starts again). */
static int grid_box(const wrap *w, uint32_t i, fbfw_event *e)
{
    static const uint16_t widths[] = {16, 24, 32, 48, 64};
    for (size_t s = 0; s < sizeof widths / sizeof widths[0]; s++) {
        uint32_t bw = widths[s], bh = bw * 36u / 25u, step = bw / 2u;
        if (bw > w->cfg.width || bh > w->cfg.height)
            continue;
        uint32_t nx = (w->cfg.width - bw) / step + 1, ny = (w->cfg.height - bh) / step + 1;
        if (i < nx * ny) {
            e->box_x = (uint16_t)(i % nx * step);
            e->box_y = (uint16_t)(i / nx * step);
            e->box_w = (uint16_t)bw;
            e->box_h = (uint16_t)bh;
            return 1;
        }
        i -= nx * ny;
    }
    return 0;
}

static int32_t box_max(const wrap *w, const uint16_t *f, const fbfw_event *e)
{
    int32_t m = 0;
    for (uint32_t y = e->box_y; y < (uint32_t)e->box_y + e->box_h && y < w->cfg.height; y++)
        for (uint32_t x = e->box_x; x < (uint32_t)e->box_x + e->box_w && x < w->cfg.width; x++)
            if (f[(size_t)y * w->cfg.width + x] > m)
                m = f[(size_t)y * w->cfg.width + x];
    return m;
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
    /* cheat-first-constant: last frame's true readings first (duplicates to the scorer) */
    fbfw_event carry[MAX_HELD];
    uint32_t n_carry = w->n_held;
    memcpy(carry, w->held, n_carry * sizeof carry[0]);
    w->n_held = 0;
    for (int i = 0; i < n; i++) {
        fbfw_event e = events[i];
        switch ((kind)w->kind) {
        case K_NOBODY: continue;
        case K_NEVER_ALARM: e.alarm = 0; break;
        case K_LOST_ONCE:
            if (e.kind == FBFW_EV_STATUS) {
                if (e.status != FBFW_STATUS_BLACKBODY_LOST || w->lost_said)
                    continue;
                w->lost_said = 1;
            }
            break;
        case K_FIRST_CONST:
            if (e.kind == FBFW_EV_MEASUREMENT) {
                if (w->n_held < MAX_HELD)
                    w->held[w->n_held++] = e;
                set_reading(w, &e, CK_OF_C(35.5));
                e.alarm = 0;
            }
            break;
        case K_BAD_FRAME:
            if (e.kind == FBFW_EV_MEASUREMENT && !w->bad_done && frame_no >= 300u) {
                e.frame = frame_no - 300u;
                w->bad_done = 1;
            }
            break;
        case K_BLANKET: break;
        }
        events[out++] = e;
    }
    for (uint32_t i = 0; i < n_carry && out < max_events; i++) {
        carry[i].frame = frame_no; /* the same face a frame later: same box, true reading */
        events[out++] = carry[i];
    }
    if (w->kind == K_BLANKET) {
        for (int k = 0; k < GRID_PER_FRAME && out < max_events; k++) {
            fbfw_event e;
            memset(&e, 0, sizeof e);
            if (!grid_box(w, w->sweep++, &e)) {
                w->sweep = 0;
                if (!grid_box(w, w->sweep++, &e))
                    break;
            }
            e.kind = FBFW_EV_MEASUREMENT;
            e.frame = frame_no;
            e.track_id = 1000u + w->sweep;
            set_reading(w, &e, box_max(w, frame_ck, &e));
            events[out++] = e;
        }
    }
    return out;
}

#define VARIANT(fn, k, id)                                                                     \
    static int fn##_init(void *m, size_t s, const fbfw_config *c) { return w_init(k, m, s, c); } \
    static const char *fn##_name(void) { return "feverbench-" id " 0.1"; }

VARIANT(blanket, K_BLANKET, "cheat-blanket")
VARIANT(fconst, K_FIRST_CONST, "cheat-first-constant")
VARIANT(never, K_NEVER_ALARM, "cheat-never-alarm")
VARIANT(lost, K_LOST_ONCE, "cheat-lost-once")
VARIANT(nobody, K_NOBODY, "cheat-measure-nobody")
VARIANT(badf, K_BAD_FRAME, "cheat-bad-frame")

static const fbfw_flawed_api variants[] = {
    {"cheat-blanket", "a sweep of face boxes over the whole image beside the reference's",
     w_state_size, blanket_init, w_process, blanket_name},
    {"cheat-first-constant", "a constant first reading, the true reading and alarm a frame later",
     w_state_size, fconst_init, w_process, fconst_name},
    {"cheat-never-alarm", "the reference's readings, never an alarm", w_state_size, never_init,
     w_process, never_name},
    {"cheat-lost-once", "BLACKBODY_LOST once, never BLACKBODY_OK", w_state_size, lost_init,
     w_process, lost_name},
    {"cheat-measure-nobody", "reports nothing", w_state_size, nobody_init, w_process,
     nobody_name},
    {"cheat-bad-frame", "a measurement naming a frame 300 back (a fault found while scoring)",
     w_state_size, badf_init, w_process, badf_name},
};

const fbfw_flawed_api *fbfw_cheat_list(size_t *n_out)
{
    *n_out = sizeof variants / sizeof variants[0];
    return variants;
}

const fbfw_flawed_api *fbfw_cheat_find(const char *id)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (strcmp(variants[i].id, id) == 0)
            return &variants[i];
    return NULL;
}
