/* fbfw_reference.c — the reference screening firmware: API entry points, state layout and the per-frame pipeline. */
#include <string.h>

#include "fbfw_internal.h"

static size_t align8(size_t n) {
    return (n + 7u) & ~(size_t)7u;
}

static int config_ok(const fbfw_config *cfg) {
    if (!cfg || cfg->api_version != FBFW_API_VERSION)
        return 0;
    if (cfg->width < FBFW_MIN_DIM || cfg->width > FBFW_MAX_DIM || cfg->height < FBFW_MIN_DIM ||
        cfg->height > FBFW_MAX_DIM)
        return 0;
    if (cfg->fps_milli < 1000u || cfg->fps_milli > 1000000u) /* 1 .. 1000 Hz */
        return 0;
    if (cfg->focal_px_milli < 1000u || cfg->focal_px_milli > 100000000u)
        return 0;
    if (cfg->bb_w != 0) {
        if (cfg->bb_h == 0 || cfg->bb_x >= cfg->width || cfg->bb_y >= cfg->height)
            return 0;
        if (cfg->bb_set_ck < FBFW_CK(0) || cfg->bb_set_ck > FBFW_CK(6000))
            return 0;
    }
    return 1;
}

static uint32_t max_runs_for(const fbfw_config *cfg) {
    uint32_t per_row = (uint32_t)cfg->width / 2u + 1u;
    if (per_row > FBFW_MAX_RUNS_PER_ROW)
        per_row = FBFW_MAX_RUNS_PER_ROW;
    return per_row * (uint32_t)cfg->height; /* <= 32 * 1024, fits the uint16 labels */
}

/* Byte offsets of the arrays that follow the state struct; returns the total size. */
static size_t layout(const fbfw_config *cfg, size_t *runs, size_t *parent, size_t *row_start) {
    size_t n_runs = max_runs_for(cfg);
    size_t off = align8(sizeof(fbfw_state));
    *runs = off;
    off = align8(off + n_runs * sizeof(fbfw_run));
    *parent = off;
    off = align8(off + n_runs * sizeof(uint16_t));
    *row_start = off;
    off = align8(off + ((size_t)cfg->height + 1u) * sizeof(uint16_t));
    return off;
}

size_t fbfw_state_size(const fbfw_config *cfg) {
    size_t a, b, c;
    if (!config_ok(cfg))
        return 0;
    return layout(cfg, &a, &b, &c);
}

int fbfw_init(void *mem, size_t mem_size, const fbfw_config *cfg) {
    fbfw_state *s = (fbfw_state *)mem;
    size_t need;
    if (!config_ok(cfg))
        return FBFW_ERR_CONFIG;
    if (!mem || ((uintptr_t)mem & 7u) != 0)
        return FBFW_ERR_ARG;
    need = fbfw_state_size(cfg);
    if (mem_size < need)
        return FBFW_ERR_ARG;
    memset(s, 0, sizeof(*s));
    s->cfg = *cfg;
    s->w = (int32_t)cfg->width;
    s->h = (int32_t)cfg->height;
    s->focal_px = (float)cfg->focal_px_milli / 1000.0f;
    s->fps = (float)cfg->fps_milli / 1000.0f;
    s->face_w_min = FBFW_FACE_W_SLACK * FBFW_HEAD_W_M * s->focal_px / FBFW_FACE_DIST_MAX_M;
    if (s->face_w_min < 6.0f)
        s->face_w_min = 6.0f;
    s->face_w_max = FBFW_HEAD_W_M * s->focal_px / FBFW_FACE_DIST_MIN_M / FBFW_FACE_W_SLACK;
    s->measure_min_w = fbfw_round(FBFW_HEAD_W_M * s->focal_px / FBFW_MEASURE_LATEST_M);
    if (s->measure_min_w > FBFW_MEASURE_MIN_W_PX)
        s->measure_min_w = FBFW_MEASURE_MIN_W_PX;
    if (s->measure_min_w < FBFW_MEASURE_FLOOR_PX)
        s->measure_min_w = FBFW_MEASURE_FLOOR_PX;
    s->sample_min_w = FBFW_SAMPLE_MIN_W_PX * s->measure_min_w / FBFW_MEASURE_MIN_W_PX;
    if (s->sample_min_w < FBFW_MEASURE_FLOOR_PX)
        s->sample_min_w = FBFW_MEASURE_FLOOR_PX;
    s->start_w = FBFW_START_W_PX * s->measure_min_w / FBFW_MEASURE_MIN_W_PX;
    if (s->start_w < s->sample_min_w)
        s->start_w = s->sample_min_w;
    s->wait_frames = (uint32_t)fbfw_round(FBFW_MEASURE_WAIT_S * s->fps);
    s->max_runs = max_runs_for(cfg);
    (void)layout(cfg, &s->off_runs, &s->off_parent, &s->off_row_start);
    fbfw_bb_reset(s);
    s->amb_alpha = 1.0f / (s->fps * FBFW_AMB_TAU_S);
    if (s->amb_alpha > 1.0f)
        s->amb_alpha = 1.0f;
    fbfw_tracks_reset(s);
    s->magic = FBFW_MAGIC;
    return 0;
}

/* Skin band thresholds in raw (uncorrected) ck for this frame. */
static void set_thresholds(fbfw_state *s) {
    float lo = s->amb_ck + FBFW_SKIN_BAND_FRAC * ((float)FBFW_SKIN_REF_CK - s->amb_ck);
    int32_t lo_raw, hot_raw;
    if (lo < (float)FBFW_SKIN_LO_MIN_CK)
        lo = (float)FBFW_SKIN_LO_MIN_CK;
    if (lo > (float)FBFW_SKIN_LO_MAX_CK)
        lo = (float)FBFW_SKIN_LO_MAX_CK;
    lo_raw = fbfw_round(lo) - s->corr_ck;
    hot_raw = FBFW_HOT_CK - s->corr_ck;
    if (lo_raw < 1)
        lo_raw = 1;
    if (hot_raw > 65535)
        hot_raw = 65535;
    s->lo_raw = lo_raw;
    s->hot_raw = hot_raw;
}

int fbfw_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                 fbfw_event *events, int max_events) {
    fbfw_state *s = (fbfw_state *)mem;
    int n = 0;
    if (!s || s->magic != FBFW_MAGIC)
        return FBFW_ERR_STATE;
    if (!frame_ck || max_events < 0 || (max_events > 0 && !events))
        return FBFW_ERR_ARG;
    if (flags & FBFW_FRAME_FROZEN) {
        fbfw_bb_shutter(s);
        return 0; /* shutter closed: the frame says nothing about the scene */
    }

    fbfw_bb_update(s, frame_ck, frame_no);
    fbfw_ambient_update(s, frame_ck);
    set_thresholds(s);
    fbfw_blobs_find(s, frame_ck);
    fbfw_faces_find(s, frame_ck);

    /* Status changes first, oldest first; what does not fit waits for the next frame. */
    while (s->n_pending > 0 && n < max_events) {
        uint32_t i;
        memset(&events[n], 0, sizeof(events[n]));
        events[n].kind = FBFW_EV_STATUS;
        events[n].status = s->pending[0];
        events[n].frame = frame_no;
        n++;
        for (i = 1; i < s->n_pending; i++)
            s->pending[i - 1] = s->pending[i];
        s->n_pending--;
    }
    n += fbfw_tracks_update(s, frame_no, events + n, max_events - n);
    return n;
}

const char *fbfw_name(void) {
    return "feverbench-reference 0.1";
}
