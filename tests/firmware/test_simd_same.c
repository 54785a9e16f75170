/* test_simd_same.c — the firmware's SSE2 paths (FBFW_SIMD) and its plain C give the same heads. */
#include <string.h>

/* The library is built for its target (SSE2 on x86-64); blobs.c and faces.c are compiled in here
 * once more on the plain-C path, under other names. */
#define FBFW_SIMD 0
#include "fbfw_internal.h"
#include "fbtest.h"
#include "fw_run.h"

void plain_ambient_update(fbfw_state *s, const uint16_t *frame);
void plain_blobs_find(fbfw_state *s, const uint16_t *frame);
void plain_faces_find(fbfw_state *s, const uint16_t *frame);
#define fbfw_ambient_update plain_ambient_update
#define fbfw_blobs_find plain_blobs_find
#define fbfw_faces_find plain_faces_find
#include "blobs.c"
#include "faces.c"
#undef fbfw_ambient_update
#undef fbfw_blobs_find
#undef fbfw_faces_find

#define MAX_STATE (1u << 20)
static uint64_t mem_a[MAX_STATE / 8], mem_b[MAX_STATE / 8], mem_c[MAX_STATE / 8];
static uint16_t frame[FBFW_MAX_DIM * 64];
static uint32_t n_runs_seen, n_faces_seen; /* so that the comparisons compare something */

/* Runs, blobs and heads of frame f on state mem_a (as it is), by both paths: the same bytes. */
static void same_both_ways(const uint16_t *f, size_t size) {
    memcpy(mem_b, mem_a, size);
    memcpy(mem_c, mem_a, size);
    fbfw_blobs_find((fbfw_state *)(void *)mem_b, f);
    plain_blobs_find((fbfw_state *)(void *)mem_c, f);
    CHECK(memcmp(mem_b, mem_c, size) == 0);
    fbfw_faces_find((fbfw_state *)(void *)mem_b, f);
    plain_faces_find((fbfw_state *)(void *)mem_c, f);
    CHECK(memcmp(mem_b, mem_c, size) == 0);
    n_runs_seen += ((fbfw_state *)(void *)mem_b)->n_runs;
    n_faces_seen += ((fbfw_state *)(void *)mem_b)->n_faces;
}

/* Random frames at widths that are and are not multiples of 16 and 64, thresholds up to the top of
 * the 16-bit range, with and without the blackbody's rectangle left out. */
static void random_frames(void) {
    static const uint16_t widths[] = {16, 17, 31, 63, 64, 65, 100, 256, 257, 640, 1023, 1024};
    static const int32_t los[] = {30700, 32767, 32768, 40000, 65535};
    uint32_t rng = 12345u;
    size_t wi, li;
    for (wi = 0; wi < sizeof(widths) / sizeof(widths[0]); wi++) {
        for (li = 0; li < sizeof(los) / sizeof(los[0]); li++) {
            fbfw_config cfg;
            fbfw_state *s = (fbfw_state *)(void *)mem_a;
            const int32_t w = widths[wi], h = 64, lo = los[li];
            size_t size, i;
            int x;
            memset(&cfg, 0, sizeof(cfg));
            cfg.api_version = FBFW_API_VERSION;
            cfg.width = widths[wi];
            cfg.height = (uint16_t)h;
            cfg.fps_milli = 25000;
            cfg.focal_px_milli = 584000;
            size = fbfw_state_size(&cfg);
            CHECK(size > 0 && size <= MAX_STATE);
            memset(mem_a, 0, sizeof(mem_a));
            CHECK_EQ_INT(fbfw_init(mem_a, size, &cfg), 0);
            /* stretches of pixels below and at or above lo, some hot, a few at 65535 */
            for (i = 0; i < (size_t)(w * h);) {
                uint32_t len = 1u + fw_xorshift(&rng) % 40u, kind = fw_xorshift(&rng) % 8u;
                for (; len > 0 && i < (size_t)(w * h); len--, i++) {
                    int32_t v = lo - 1 - (int32_t)(fw_xorshift(&rng) % 300u);
                    if (kind >= 4)
                        v = lo + (int32_t)(fw_xorshift(&rng) % 300u);
                    if (kind == 7 && fw_xorshift(&rng) % 4u == 0)
                        v = 65535;
                    frame[i] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
                }
            }
            s->lo_raw = lo;
            s->hot_raw = lo + 200 > 65535 ? 65535 : lo + 200;
            for (x = 0; x < 2; x++) { /* without, then with a blackbody rectangle left out */
                s->bb_seen = x;
                s->bb_rx0 = w / 3;
                s->bb_rx1 = w / 3 + 5 < w ? w / 3 + 5 : w;
                s->bb_ry0 = 10;
                s->bb_ry1 = 20;
                same_both_ways(frame, size);
            }
        }
    }
}

/* People walking toward the camera past a blackbody: the whole pipeline from the library, then this
 * frame's runs, blobs and heads once more by each path. */
static void painted_people(void) {
    fw_opts o;
    fbfw_config cfg;
    size_t size;
    int k, i;
    fw_opts_default(&o);
    fw_make_config(&o, &cfg);
    size = fbfw_state_size(&cfg);
    CHECK(size > 0 && size <= MAX_STATE);
    memset(mem_a, 0, sizeof(mem_a));
    CHECK_EQ_INT(fbfw_init(mem_a, size, &cfg), 0);
    fw_scene_init(&fw_the_scene, 22.0, 7u, 0.02);
    for (k = 0; k < 60; k++) {
        fbfw_event ev[FW_MAX_EVENTS];
        int x0, y0, x1, y1;
        fw_scene_clear(&fw_the_scene);
        fw_paint_blackbody(&fw_the_scene, o.bb_c, &x0, &y0, &x1, &y1);
        for (i = 0; i < 3; i++)
            (void)fw_paint_person(&fw_the_scene, -0.4 + 0.35 * i, 5.0 - 0.05 * k - 0.6 * i, 1.65,
                                  35.5 + 0.5 * i, 1);
        fw_blur(&fw_the_scene);
        fw_render(&fw_the_scene, 0.3, 0.05, fw_the_frame);
        CHECK(fbfw_process(mem_a, fw_the_frame, (uint32_t)k, 0, ev, FW_MAX_EVENTS) >= 0);
        same_both_ways(fw_the_frame, size);
    }
}

int main(void) {
    random_frames();
    CHECK(n_runs_seen > 10000);
    n_faces_seen = 0;
    painted_people();
    CHECK(n_faces_seen >= 60); /* the nearer heads are found in most frames */
    return FBTEST_END();
}
