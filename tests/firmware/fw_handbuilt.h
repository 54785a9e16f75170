/* fw_handbuilt.h — what the reference firmware's hand-built tests share: the camera they assume (256 x 192, 584 px focal, 25 Hz, no blackbody, alarm 38.00 °C), and with FW_HANDBUILT_FRAME a frame painted span by span and a fresh instance that has seen it once. Include after fbfw_internal.h (or faces.c) and fbtest.h. */
#ifndef FW_HANDBUILT_H
#define FW_HANDBUILT_H

#include <string.h>

#define FW 256
#define FH 192

static uint64_t mem[(200 * 1024) / 8];

/* The camera every hand-built test assumes. */
static void fw_config(fbfw_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->api_version = FBFW_API_VERSION;
    cfg->width = FW;
    cfg->height = FH;
    cfg->fps_milli = 25000;
    cfg->focal_px_milli = 584000;
    cfg->alarm_threshold_ck = 3800;
    cfg->body_offset_ck = 124;
}

#ifdef FW_HANDBUILT_FRAME
#define C(c) ((uint16_t)((c) * 100.0 + 27315.0 + 0.5)) /* °C -> ck */

static uint16_t frame[FW * FH];

/* Fills row y, columns [x0, x1] (inclusive) with c °C. */
static void span(int y, int x0, int x1, double c)
{
    for (int x = x0; x <= x1; x++)
        frame[y * FW + x] = C(c);
}

/* A fresh instance (fw_config's camera) that has seen `frame` once. */
static fbfw_state *process(void)
{
    fbfw_config cfg;
    fbfw_event ev[8];
    fw_config(&cfg);
    CHECK(fbfw_state_size(&cfg) <= sizeof(mem));
    CHECK_EQ_INT(fbfw_init(mem, sizeof(mem), &cfg), 0);
    CHECK(fbfw_process(mem, frame, 0, 0, ev, 8) >= 0);
    return (fbfw_state *)(void *)mem;
}
#endif

#endif
