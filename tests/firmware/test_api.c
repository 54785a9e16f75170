/* test_api.c — the fbfw.h contract: config checks, argument errors, frozen frames, event room, memory bounds, junk input. */
#include "fbtest.h"
#include "fw_run.h"

static uint16_t junk[1024 * 1024];

static void std_config(fbfw_config *c) {
    fw_opts o;
    fw_opts_default(&o);
    fw_make_config(&o, c);
}

/* Runs n frames produced by fill(frame index) through a fresh instance of cfg and checks the
 * return values and that nothing is written past the state. */
static void junk_run(const fbfw_config *cfg, int n, void (*fill)(uint16_t *, size_t, int)) {
    size_t size = fbfw_state_size(cfg), npx = (size_t)cfg->width * cfg->height, i;
    unsigned char *mem = (unsigned char *)malloc(size + FW_GUARD_BYTES);
    fbfw_event ev[4];
    int f, bad = 0, guard = 1;
    CHECK(size > 0);
    if (!mem || size == 0) {
        free(mem);
        return;
    }
    memset(mem + size, 0x5A, FW_GUARD_BYTES);
    CHECK_EQ_INT(fbfw_init(mem, size, cfg), 0);
    for (f = 0; f < n; f++) {
        int k;
        fill(junk, npx, f);
        k = fbfw_process(mem, junk, (uint32_t)f, 0, ev, 4);
        bad += k < 0 || k > 4;
    }
    for (i = 0; i < FW_GUARD_BYTES; i++)
        guard &= mem[size + i] == 0x5A;
    CHECK_EQ_INT(bad, 0);
    CHECK(guard);
    free(mem);
}

static uint32_t junk_rng = 12345u;
static void fill_random(uint16_t *p, size_t n, int f) {
    size_t i;
    (void)f;
    for (i = 0; i < n; i++)
        p[i] = (uint16_t)fw_xorshift(&junk_rng);
}
/* Skin-band checkerboard: the most runs and components a frame can have. */
static void fill_checker(uint16_t *p, size_t n, int f) {
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (uint16_t)((((i + (size_t)f) ^ (i / 7u)) & 1u) ? fw_ck(35.0) : fw_ck(22.0));
}
static void fill_flat_skin(uint16_t *p, size_t n, int f) {
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = fw_ck(35.0 + 0.01 * (double)(f % 7));
}
static void fill_extremes(uint16_t *p, size_t n, int f) {
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (uint16_t)((f % 3 == 0) ? 0u : (f % 3 == 1) ? 65535u : (i % 2u ? 65535u : 0u));
}
/* Random warm ellipses ("faces" of all sizes) on a wall. */
static void fill_blobs(uint16_t *p, size_t n, int f) {
    size_t i, w = (size_t)(n == (size_t)FW_W * FW_H ? FW_W : 1024);
    int k;
    for (i = 0; i < n; i++)
        p[i] = (uint16_t)(fw_ck(24.0) + (fw_xorshift(&junk_rng) % 10u));
    for (k = 0; k < 40; k++) {
        size_t cx = fw_xorshift(&junk_rng) % w, cy = fw_xorshift(&junk_rng) % (n / w);
        size_t r = 1u + fw_xorshift(&junk_rng) % 40u, x, y;
        uint16_t t = (uint16_t)(fw_ck(31.0) + fw_xorshift(&junk_rng) % 1200u);
        for (y = cy > r ? cy - r : 0; y < cy + r && y < n / w; y++)
            for (x = cx > r ? cx - r : 0; x < cx + r && x < w; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r)
                    p[y * w + x] = t;
    }
    (void)f;
}

int main(void) {
    fbfw_config c, bad;
    size_t size;
    static uint64_t mem8[65536]; /* 512 KiB, 8-byte aligned */
    unsigned char *mem = (unsigned char *)mem8;
    fbfw_event ev[8];
    fw_opts o;
    fw_result r;
    int i;

    CHECK_STR_CONTAINS(fbfw_name(), "feverbench-reference");

    /* State size: nonzero, bounded, scales with the frame. */
    std_config(&c);
    size = fbfw_state_size(&c);
    CHECK(size > 0);
    CHECK(size <= sizeof(mem8));
    printf("state for 256x192: %zu bytes\n", size);

    /* Unsupported configurations: size 0 and init < 0. */
    bad = c;
    bad.width = 0;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    CHECK(fbfw_init(mem, sizeof(mem8), &bad) < 0);
    bad = c;
    bad.width = 60000;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    CHECK(fbfw_init(mem, sizeof(mem8), &bad) < 0);
    bad = c;
    bad.height = 0;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    bad = c;
    bad.api_version = FBFW_API_VERSION + 1;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    CHECK_EQ_INT(fbfw_init(mem, sizeof(mem8), &bad), FBFW_ERR_CONFIG);
    bad = c;
    bad.fps_milli = 0;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    bad = c;
    bad.focal_px_milli = 0;
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    bad = c;
    bad.bb_x = 300; /* rectangle starts outside the image */
    CHECK_EQ_INT(fbfw_state_size(&bad), 0);
    CHECK_EQ_INT(fbfw_state_size(NULL), 0);

    /* Argument errors. */
    CHECK(fbfw_init(NULL, size, &c) < 0);
    CHECK(fbfw_init(mem, size - 1, &c) < 0);
    CHECK(fbfw_init(mem + 4, size, &c) < 0); /* not 8-byte aligned */
    memset(mem, 0, size);
    CHECK_EQ_INT(fbfw_process(mem, junk, 0, 0, ev, 8), FBFW_ERR_STATE); /* never initialised */
    CHECK_EQ_INT(fbfw_init(mem, size, &c), 0);
    CHECK(fbfw_process(mem, NULL, 0, 0, ev, 8) < 0);
    CHECK(fbfw_process(mem, junk, 0, 0, NULL, 8) < 0);
    CHECK(fbfw_process(mem, junk, 0, 0, ev, -1) < 0);
    CHECK(fbfw_process(NULL, junk, 0, 0, ev, 8) < 0);
    CHECK_EQ_INT(fbfw_process(mem, junk, 0, 0, NULL, 0), 0);

    /* A frozen frame returns 0 events and its pixels are not read: whatever it holds, the
     * state afterwards is byte for byte the same (the firmware only notes that the shutter
     * closed, docs/firmware.md). */
    {
        static unsigned char snap[sizeof(mem8)], after[sizeof(mem8)];
        CHECK_EQ_INT(fbfw_init(mem, size, &c), 0);
        for (i = 0; i < 5; i++) {
            fill_blobs(junk, (size_t)FW_W * FW_H, i);
            CHECK(fbfw_process(mem, junk, (uint32_t)i, 0, ev, 8) >= 0);
        }
        memcpy(snap, mem, size);
        fill_random(junk, (size_t)FW_W * FW_H, 0);
        CHECK_EQ_INT(fbfw_process(mem, junk, 5, FBFW_FRAME_FROZEN, ev, 8), 0);
        memcpy(after, mem, size);
        memcpy(mem, snap, size);
        fill_random(junk, (size_t)FW_W * FW_H, 99);
        CHECK_EQ_INT(fbfw_process(mem, junk, 5, FBFW_FRAME_FROZEN, ev, 8), 0);
        CHECK(memcmp(after, mem, size) == 0);
    }

    /* All frames frozen: no events at all. */
    fw_opts_default(&o);
    o.n_walkers = 1;
    o.w[0] = fw_walker_make(0.0, 4.5, 36.8);
    o.frozen_from = 0;
    o.frozen_to = o.n_frames;
    fw_run(&o, &r);
    CHECK(!r.bad_return);
    CHECK_EQ_INT(r.n_events, 0);

    /* The shutter closes (FFC, 10 frames) while the person is measured: one measurement,
     * still accurate, none of it on a frozen frame. */
    fw_opts_default(&o);
    o.n_walkers = 1;
    o.w[0] = fw_walker_make(0.0, 4.5, 35.6);
    o.frozen_from = 30;
    o.frozen_to = 40;
    fw_run(&o, &r);
    CHECK_EQ_INT(r.n_meas, 1);
    for (i = 0; i < r.n_events; i++) {
        CHECK(r.ev[i].frame < 30 || r.ev[i].frame >= 40);
        if (r.ev[i].kind == FBFW_EV_MEASUREMENT)
            CHECK_NEAR(fw_c(r.ev[i].skin_ck), 35.6, 0.15);
    }

    /* No room for events: the measurement waits, then comes exactly once (measured at frame
     * ~36; the face reaches the image's bottom edge at ~55). While the face is in view the event
     * names the current frame and box; once it is leaving or gone, the frame and box of its last
     * sample (the bench matches an event against the truth of the frame it names). */
    fw_opts_default(&o);
    o.n_walkers = 1;
    o.w[0] = fw_walker_make(0.0, 4.5, 35.6);
    o.no_room_until = 50;
    fw_run(&o, &r);
    CHECK_EQ_INT(r.n_meas, 1);
    CHECK_EQ_INT(r.n_events, 1);
    if (r.n_events > 0) {
        CHECK_EQ_INT(r.ev[0].frame, 50);
        CHECK(r.iou[0] >= 0.6);
        CHECK_NEAR(fw_c(r.ev[0].skin_ck), 35.6, 0.15);
    }
    o.no_room_until = 72;
    fw_run(&o, &r);
    CHECK_EQ_INT(r.n_meas, 1);
    CHECK_EQ_INT(r.n_events, 1);
    if (r.n_events > 0) {
        CHECK(r.ev[0].frame >= 30 && r.ev[0].frame < 50);
        CHECK(r.iou[0] >= 0.6);
    }

    /* Junk in, no crash, no write outside the state (run under ASan in CI too). */
    junk_run(&c, 20, fill_random);
    junk_run(&c, 10, fill_checker);
    junk_run(&c, 10, fill_flat_skin);
    junk_run(&c, 6, fill_extremes);
    junk_run(&c, 30, fill_blobs);
    c.bb_w = 0;
    junk_run(&c, 10, fill_blobs);
    /* The smallest and the largest supported frames. */
    std_config(&c);
    c.width = c.height = 16;
    c.bb_x = 2;
    c.bb_y = 2;
    c.bb_w = 30; /* runs past the edge: clamped */
    c.bb_h = 5;
    junk_run(&c, 10, fill_random);
    junk_run(&c, 10, fill_checker);
    std_config(&c);
    c.width = c.height = 1024;
    CHECK(fbfw_state_size(&c) > size);
    junk_run(&c, 3, fill_checker);
    junk_run(&c, 3, fill_blobs);
    c.width = 1025;
    CHECK_EQ_INT(fbfw_state_size(&c), 0);
    return FBTEST_END();
}
