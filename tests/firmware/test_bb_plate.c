/* test_bb_plate.c — the reference tells a changing plate (off, warming, drifting) from camera and room drift, and holds across a shutter FFC. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fbtest.h"
#include "../../firmware-under-test/reference/fbfw_internal.h"

/* A 120 x 90 camera at 10 Hz looking at a wall with a 12 x 12 px source at (50, 30); the
 * installer's rectangle has a 3 px margin. Temperatures in °C; the camera adds offset_k to
 * every pixel (its drift), the frame holds centikelvin like the bench's. */
#define W 120
#define H 90
#define FPS 10
#define SX 50
#define SY 30
#define SS 12

typedef struct timeline {
    double (*room_c)(double t);
    double (*plate_c)(double t);
    double (*offset_k)(double t);
    double ffc_at_s; /* a frozen frame there, offsets jump by ffc_jump_k after it (< 0: none) */
    double ffc_jump_k;
    double probe_s; /* the correction is noted at this time (outcome.corr_probe) */
} timeline;

typedef struct outcome {
    int lost_at, ok_at;       /* frame of the first LOST / the first OK after it, -1 none */
    int n_lost, n_ok;
    float corr_at_lost;       /* correction (ck) right after the LOST */
    float corr_end;           /* correction at the end */
    float corr_probe;         /* correction at the timeline's probe_s */
} outcome;

static uint16_t ck(double c)
{
    return (uint16_t)(c * 100.0 + 27315.0 + 0.5);
}

static void run(const timeline *tl, double dur_s, outcome *out)
{
    static uint64_t mem[200000];
    static uint16_t frame[W * H];
    fbfw_config c;
    memset(&c, 0, sizeof c);
    c.api_version = FBFW_API_VERSION;
    c.width = W;
    c.height = H;
    c.fps_milli = FPS * 1000;
    c.focal_px_milli = 150000;
    c.bb_x = SX - 3;
    c.bb_y = SY - 3;
    c.bb_w = SS + 6;
    c.bb_h = SS + 6;
    c.bb_set_ck = ck(35.0);
    c.alarm_threshold_ck = ck(38.0);
    c.body_offset_ck = 124;
    size_t size = fbfw_state_size(&c);
    CHECK(size <= sizeof mem);
    CHECK_EQ_INT(fbfw_init(mem, sizeof mem, &c), 0);
    const fbfw_state *s = (const fbfw_state *)(const void *)mem;
    memset(out, 0, sizeof *out);
    out->lost_at = out->ok_at = -1;
    int frames = (int)(dur_s * FPS);
    double jump = 0;
    for (int f = 0; f < frames; f++) {
        double t = (double)f / FPS;
        uint32_t flags = 0;
        if (tl->ffc_at_s >= 0 && f == (int)(tl->ffc_at_s * FPS)) {
            flags = FBFW_FRAME_FROZEN;
            jump = tl->ffc_jump_k;
        }
        double off = tl->offset_k(t) + jump;
        uint16_t wall = ck(tl->room_c(t) + off), plate = ck(tl->plate_c(t) + off);
        for (int i = 0; i < W * H; i++)
            frame[i] = wall;
        for (int y = SY; y < SY + SS; y++)
            for (int x = SX; x < SX + SS; x++)
                frame[y * W + x] = plate;
        fbfw_event ev[8];
        int n = fbfw_process(mem, frame, (uint32_t)f, flags, ev, 8);
        if (f == (int)(tl->probe_s * FPS))
            out->corr_probe = s->bb_corr_ck;
        if (n < 0) {
            CHECK(n >= 0);
            break;
        }
        for (int i = 0; i < n; i++) {
            if (ev[i].kind != FBFW_EV_STATUS)
                continue;
            if (ev[i].status == FBFW_STATUS_BLACKBODY_LOST) {
                if (out->n_lost++ == 0) {
                    out->lost_at = f;
                    out->corr_at_lost = s->bb_corr_ck;
                }
            } else if (ev[i].status == FBFW_STATUS_BLACKBODY_OK) {
                if (out->n_ok++ == 0)
                    out->ok_at = f;
            }
        }
    }
    out->corr_end = s->bb_corr_ck;
}

static double room_23(double t)
{
    (void)t;
    return 23.0;
}
static double room_ramp(double t) /* 0.5 K/min: faster than any building's HVAC swing */
{
    return 23.0 + 0.5 * t / 60.0;
}
static double plate_35(double t)
{
    (void)t;
    return 35.0;
}
static double offset_0(double t)
{
    (void)t;
    return 0.0;
}
static double offset_ramp(double t) /* camera drifting 0.25 K/min */
{
    return -0.25 * t / 60.0;
}
/* Heater off at 60 s: Newton cooling toward 23 °C with tau 600 s (1.2 K/min at first). */
static double plate_off(double t)
{
    return t < 60.0 ? 35.0 : 23.0 + 12.0 * exp(-(t - 60.0) / 600.0);
}
/* Switched on at 30 °C, 1 K/min to 35 °C (at 300 s), then steady. */
static double plate_warm(double t)
{
    return t < 300.0 ? 30.0 + 5.0 * t / 300.0 : 35.0;
}
/* A controller fault: +0.6 K/min from 60 s to 120 s (then stuck at +0.6 K). */
static double plate_drift(double t)
{
    return t < 60.0 ? 35.0 : 35.0 + 0.6 * (fmin(t, 120.0) - 60.0) / 60.0;
}

int main(void)
{
    outcome o;

    /* A steady plate while the camera drifts 0.25 K/min: no status at all, and the
     * correction follows the drift (10 min: -2.5 K of offset -> +250 ck). */
    timeline a = {room_23, plate_35, offset_ramp, -1, 0, 0};
    run(&a, 600.0, &o);
    CHECK_EQ_INT(o.n_lost, 0);
    CHECK_NEAR(o.corr_end, 250.0, 3.0);

    /* A room warming 0.5 K/min under a steady plate: no status. */
    timeline b = {room_ramp, plate_35, offset_0, -1, 0, 0};
    run(&b, 600.0, &o);
    CHECK_EQ_INT(o.n_lost, 0);
    CHECK_NEAR(o.corr_end, 0.0, 3.0);

    /* A shutter FFC at 120 s shifting every offset by +0.6 K: no status (B - W does not
     * move; the history is shifted across the jump), the correction takes the new offset. */
    timeline c = {room_23, plate_35, offset_0, 120.0, 0.6, 0};
    run(&c, 300.0, &o);
    CHECK_EQ_INT(o.n_lost, 0);
    CHECK_NEAR(o.corr_end, -60.0, 3.0);

    /* Heater off at 60 s while the camera drifts: LOST once the 30 s slopes of B and B - W
     * both exceed 0.3 K/min (about 15-30 s in), and the correction falls back to the value
     * of 30 s before, i.e. the camera's own offset then (+0.25 K/min x ~1 min = ~+25 ck),
     * not the cooling plate's. Never OK again (the plate settles at the room, > 3 K off). */
    /* From then on the wall around the plate carries the camera's drift: at 300 s the
     * correction is the camera's offset then, +0.25 K/min x 5 min = +125 ck (held on the
     * plate's last good value it would still be ~+25 ck, 1 K off). */
    timeline d = {room_23, plate_off, offset_ramp, -1, 0, 300.0};
    run(&d, 900.0, &o);
    CHECK_EQ_INT(o.n_lost, 1);
    CHECK(o.lost_at > 60 * FPS && o.lost_at <= 90 * FPS);
    CHECK(o.corr_at_lost > 0.0f && o.corr_at_lost < 40.0f);
    CHECK_NEAR(o.corr_probe, 125.0, 3.0);
    CHECK_EQ_INT(o.n_ok, 0);
    printf("off: LOST %.1f s after the heater went off, correction held %.1f ck, %.1f ck at 300 s\n",
           o.lost_at / (double)FPS - 60.0, o.corr_at_lost, o.corr_probe);

    /* The same across a shutter FFC at 200 s that shifts every offset by +0.6 K: the wall's
     * jump is the camera's, so at 300 s the correction is +125 - 60 = +65 ck. */
    timeline d2 = {room_23, plate_off, offset_ramp, 200.0, 0.6, 300.0};
    run(&d2, 320.0, &o);
    CHECK_EQ_INT(o.n_lost, 1);
    CHECK_NEAR(o.corr_probe, 65.0, 3.0);

    /* What the wall cannot tell: a room warming 0.5 K/min while the plate is off reads as the
     * camera drifting, so the correction is off by the room's warming since the second it
     * holds (~30 s before the LOST, itself ~10 s after 60 s): 0.5 K/min x ~4.3 min by 300 s,
     * about -215 ck where 0 is right. docs/firmware.md states it. */
    timeline d3 = {room_ramp, plate_off, offset_0, -1, 0, 300.0};
    run(&d3, 320.0, &o);
    CHECK_EQ_INT(o.n_lost, 1);
    CHECK(o.corr_probe < -150.0f && o.corr_probe > -230.0f);
    printf("off in a warming room: correction %.1f ck at 300 s (0 is right)\n", o.corr_probe);

    /* Switched on warming (30 -> 35 °C at 1 K/min): LOST after 1 s (5 K off: implausible),
     * no OK while it heats even once within 3 K; OK once the 30 s window holds no more than
     * 0.2 K of the heating (12 s of it at 1 K/min: from ~318 s), then correct. */
    timeline e = {room_23, plate_warm, offset_0, -1, 0, 0};
    run(&e, 600.0, &o);
    CHECK_EQ_INT(o.n_lost, 1);
    CHECK(o.lost_at <= 1 * FPS + 1);
    CHECK_EQ_INT(o.n_ok, 1);
    CHECK(o.ok_at >= 315 * FPS && o.ok_at <= 340 * FPS);
    CHECK_NEAR(o.corr_end, 0.0, 3.0);
    printf("warm-up: OK %.1f s after the plate settled\n", o.ok_at / (double)FPS - 300.0);

    /* A drift of +0.6 K/min from 60 to 120 s, then stuck at +0.6 K: LOST during the drift,
     * holding the good correction; it relocks once the window holds no more than 0.2 K of the
     * drift (20 s of it: from ~130 s), and then the plate reads 0.6 K hot: a stuck controller
     * looks like a camera offset (the limit docs/firmware.md states). */
    timeline f = {room_23, plate_drift, offset_0, -1, 0, 0};
    run(&f, 400.0, &o);
    CHECK_EQ_INT(o.n_lost, 1);
    CHECK(o.lost_at > 60 * FPS && o.lost_at < 120 * FPS);
    CHECK(fabsf(o.corr_at_lost) < 10.0f);
    CHECK_EQ_INT(o.n_ok, 1);
    CHECK(o.ok_at > 128 * FPS && o.ok_at < 160 * FPS);
    CHECK_NEAR(o.corr_end, -60.0, 3.0);
    printf("drift: LOST %.1f s after it began, OK %.1f s after it stopped\n",
           o.lost_at / (double)FPS - 60.0, o.ok_at / (double)FPS - 120.0);
    return FBTEST_END();
}
