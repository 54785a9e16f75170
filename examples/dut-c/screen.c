/* screen.c — a toy screening firmware behind the in-process API of fbfw.h: warm blobs are faces,
 * a blob's hottest pixel is its inner canthus, one measurement per blob it follows.
 *
 * The same file is the firmware of both examples: linked into fever_dut (the link protocol on
 * stdin/stdout, --dut exec:./fever_dut) and built alone as libfever_fw.so (loaded in process,
 * --dut inproc:./libfever_fw.so). As fbfw.h asks, it allocates nothing and calls no OS function:
 * all its memory is the caller's block of fbfw_state_size() bytes. It is here to produce events
 * the bench can score, not to screen well (its readings run ~0.6 °C low: the blob's hottest
 * pixel is not the canthus); firmware-under-test/reference/ shows how it is done properly.
 */
#include <string.h>
#include <fbfw.h>

#define FW_NAME "example-c-dut 0.1"
#define SKIN_MIN_CK 30515u /* 32.0 °C: warmer pixels are taken for bare skin */
#define FACE_MIN_PX 8u     /* a blob this tall (pixels) is a face near enough to measure */
#define MAX_TRACKS 32u
#define TRACK_GAP_FRAMES 12u /* a track not seen for this many frames is forgotten */
#define STATE_MAGIC 0x46455645u

typedef struct track {
    uint32_t id, last_frame;
    float cx, cy; /* centre of the blob when last seen */
    int measured; /* 1 once its measurement was sent: one per person */
} track;

/* The state at the start of the caller's block; the flood fill's work arrays follow it. */
typedef struct state {
    uint32_t magic;
    fbfw_config cfg;
    uint32_t n_tracks, next_track_id;
    track tracks[MAX_TRACKS];
} state;

typedef struct blob {
    uint16_t x0, y0, x1, y1; /* bounding box, inclusive */
    uint16_t max_ck;
    uint32_t area;
} blob;

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }
static size_t n_pixels(const fbfw_config *c) { return (size_t)c->width * c->height; }
static uint8_t *seen_of(state *s) { return (uint8_t *)s + align8(sizeof *s); }
static uint32_t *stack_of(state *s)
{
    return (uint32_t *)(void *)(seen_of(s) + align8(n_pixels(&s->cfg)));
}

size_t fbfw_state_size(const fbfw_config *cfg)
{
    if (!cfg || cfg->api_version != FBFW_API_VERSION || cfg->width == 0 || cfg->height == 0)
        return 0;
    /* the state, a visited flag per pixel, and a stack of pixel indices */
    return align8(sizeof(state)) + align8(n_pixels(cfg)) + 4u * n_pixels(cfg);
}

int fbfw_init(void *mem, size_t mem_size, const fbfw_config *cfg)
{
    size_t need = fbfw_state_size(cfg);
    if (!mem || ((uintptr_t)mem & 7u))
        return FBFW_ERR_ARG;
    if (need == 0)
        return FBFW_ERR_CONFIG;
    if (mem_size < need)
        return FBFW_ERR_ARG;
    state *s = mem;
    memset(s, 0, sizeof *s);
    s->magic = STATE_MAGIC;
    s->cfg = *cfg;
    s->next_track_id = 1;
    return 0;
}

const char *fbfw_name(void) { return FW_NAME; }

static int in_blackbody(const fbfw_config *c, uint32_t x, uint32_t y)
{
    const uint32_t margin = 2;
    return c->bb_w > 0 && x + margin >= c->bb_x && x < (uint32_t)c->bb_x + c->bb_w + margin &&
           y + margin >= c->bb_y && y < (uint32_t)c->bb_y + c->bb_h + margin;
}

static int is_skin(const state *s, const uint16_t *px, uint32_t i)
{
    return px[i] >= SKIN_MIN_CK && !in_blackbody(&s->cfg, i % s->cfg.width, i / s->cfg.width);
}

/* The 4-connected blob of skin pixels around pixel `start`. */
static blob fill(state *s, const uint16_t *px, uint32_t start)
{
    uint8_t *seen = seen_of(s);
    uint32_t *stack = stack_of(s);
    uint32_t w = s->cfg.width, h = s->cfg.height, top = 0;
    blob b = {(uint16_t)(start % w), (uint16_t)(start / w), (uint16_t)(start % w),
              (uint16_t)(start / w), 0, 0};
    seen[start] = 1;
    stack[top++] = start;
    while (top > 0) {
        uint32_t i = stack[--top], x = i % w, y = i / w;
        b.area++;
        if (px[i] > b.max_ck) b.max_ck = px[i];
        if (x < b.x0) b.x0 = (uint16_t)x;
        if (x > b.x1) b.x1 = (uint16_t)x;
        if (y < b.y0) b.y0 = (uint16_t)y;
        if (y > b.y1) b.y1 = (uint16_t)y;
        uint32_t nb[4] = {x > 0 ? i - 1 : i, x + 1 < w ? i + 1 : i, y > 0 ? i - w : i,
                          y + 1 < h ? i + w : i};
        for (int k = 0; k < 4; k++)
            if (!seen[nb[k]] && is_skin(s, px, nb[k])) {
                seen[nb[k]] = 1;
                stack[top++] = nb[k]; /* each pixel is pushed once: the stack never overflows */
            }
    }
    return b;
}

/* The track this blob continues (nearest centre within a blob's height), or a new one. */
static track *follow(state *s, const blob *b, uint32_t frame_no)
{
    float cx = (b->x0 + b->x1) / 2.0f, cy = (b->y0 + b->y1) / 2.0f;
    float reach = (float)(b->y1 - b->y0 + 1) + 4.0f, best_d = reach * reach;
    track *best = NULL;
    for (uint32_t t = 0; t < s->n_tracks; t++) {
        float dx = s->tracks[t].cx - cx, dy = s->tracks[t].cy - cy;
        if (dx * dx + dy * dy < best_d) {
            best_d = dx * dx + dy * dy;
            best = &s->tracks[t];
        }
    }
    if (!best && s->n_tracks < MAX_TRACKS) {
        best = &s->tracks[s->n_tracks++];
        *best = (track){s->next_track_id++, frame_no, cx, cy, 0};
    }
    if (best) {
        best->cx = cx;
        best->cy = cy;
        best->last_frame = frame_no;
    }
    return best;
}

int fbfw_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                 fbfw_event *events, int max_events)
{
    state *s = mem;
    if (!s || !frame_ck || (!events && max_events > 0) || max_events < 0)
        return FBFW_ERR_ARG;
    if (s->magic != STATE_MAGIC)
        return FBFW_ERR_STATE;
    if (flags & FBFW_FRAME_FROZEN)
        return 0; /* the shutter is closed: the frame shows the shutter, not the scene */
    int n = 0;
    uint32_t npx = (uint32_t)n_pixels(&s->cfg);
    uint8_t *seen = seen_of(s);
    memset(seen, 0, npx);
    for (uint32_t i = 0; i < npx; i++) {
        if (seen[i] || !is_skin(s, frame_ck, i))
            continue;
        blob b = fill(s, frame_ck, i);
        uint32_t bw = b.x1 - b.x0 + 1u, bh = b.y1 - b.y0 + 1u;
        if (bh < FACE_MIN_PX || b.area < bw * bh / 3u)
            continue; /* too small or too sparse to be a face near enough */
        track *t = follow(s, &b, frame_no);
        if (!t || t->measured || n == max_events)
            continue;
        t->measured = 1;
        fbfw_event *e = &events[n++];
        memset(e, 0, sizeof *e);
        e->kind = FBFW_EV_MEASUREMENT;
        e->frame = frame_no;
        e->track_id = t->id;
        e->box_x = b.x0;
        e->box_y = b.y0;
        e->box_w = (uint16_t)bw;
        e->box_h = (uint16_t)bh;
        e->skin_ck = b.max_ck;                                      /* the canthus, we hope */
        e->body_ck = (uint16_t)(b.max_ck + s->cfg.body_offset_ck); /* skin + installer's offset */
        e->alarm = e->body_ck >= s->cfg.alarm_threshold_ck;
    }
    for (uint32_t t = 0; t < s->n_tracks;) /* forget people who left */
        if (frame_no - s->tracks[t].last_frame > TRACK_GAP_FRAMES)
            s->tracks[t] = s->tracks[--s->n_tracks];
        else
            t++;
    return n;
}
