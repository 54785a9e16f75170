/* fever_dut.c — a device under test in C: the feverbench link protocol on stdin/stdout, built
 * against the installed SDK (libfbp and fbp.h), around the toy firmware of screen.c (fbfw.h).
 * Run it with
 *     feverbench run default --dut exec:/path/to/fever_dut
 *
 * What it shows (docs/protocol.md is the normative text; docs/install.md how to build this):
 *   - the byte stream: 0x00-delimited COBS packets in, decoded with fbp_decoder_feed, checked
 *     with fbp_unpack; replies packed and COBS-encoded with fbp_encode;
 *   - the session: HELLO -> HELLO_ACK, CONFIG -> CONFIG_ACK, FRAME_START + FRAME_CHUNKs (put
 *     together with fbp_frame_rx_*) -> EVENTs + FRAME_DONE, PING -> STATUS, BYE -> BYE_ACK;
 *   - the firmware called through fbfw.h as the bench calls an inproc: firmware, so the same
 *     screen.c gives the same events over the link and in process.
 * Diagnostics go to stderr, never to stdout: stdout is the link.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fbfw.h>
#include <fbp.h>

/* ---- sending, and the counters STATUS reports ---------------------------------------------- */

static uint32_t rx_packets, rx_errors, tx_packets, frames_done;
static struct timespec t_start;

static void write_all(const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w <= 0) {
            perror("fever_dut: write");
            exit(1); /* the bench is gone */
        }
        p += w;
        n -= (size_t)w;
    }
}

static void send_msg(const fbp_msg *m)
{
    uint8_t wire[FBP_MAX_WIRE], scratch[FBP_MAX_RAW];
    int n = fbp_encode(m, wire, sizeof wire, scratch, sizeof scratch);
    if (n < 0) { /* a field out of bounds: a bug in this program */
        fprintf(stderr, "fever_dut: cannot encode message 0x%02x: %s\n", m->type,
                fbp_strerror(n));
        exit(2);
    }
    write_all(wire, (size_t)n);
    tx_packets++;
}

static void send_error(int code, uint32_t frame_no, const char *text)
{
    fbp_msg m = {.type = FBP_ERROR_DUT};
    m.u.error.code = (uint16_t)(code < 0 ? -code : code);
    m.u.error.frame_no = frame_no;
    snprintf(m.u.error.text, sizeof m.u.error.text, "%s", text);
    send_msg(&m);
}

static void send_frame_done(uint32_t frame_no, uint16_t n_events, int16_t result, uint32_t us)
{
    fbp_msg d = {.type = FBP_FRAME_DONE};
    d.u.frame_done.frame_no = frame_no;
    d.u.frame_done.n_events = n_events;
    d.u.frame_done.result = result;
    d.u.frame_done.proc_us = us;
    send_msg(&d);
}

static uint64_t us_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)((now.tv_sec - t0->tv_sec) * 1000000L + (now.tv_nsec - t0->tv_nsec) / 1000L);
}

/* ---- the session ----------------------------------------------------------------------------- */

static fbp_config cfg;  /* the camera, from CONFIG */
static void *fw_state;  /* the firmware's memory (fbfw_state_size bytes) */
static uint16_t *frame; /* one frame, width * height pixels in centikelvin */
static fbp_frame_rx frx;
static uint32_t frame_flags;

/* The frame is whole: run the firmware on it, send its events and FRAME_DONE. */
static void answer_frame(uint32_t frame_no)
{
    fbfw_event ev[FBP_MAX_EVENTS_PER_FRAME];
    uint8_t *bytes = (uint8_t *)frame;
    size_t npx = (size_t)cfg.width * cfg.height;
    for (size_t i = 0; i < npx; i++) /* the wire is little-endian, whatever this CPU is */
        frame[i] = (uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int n = fbfw_process(fw_state, frame, frame_no, frame_flags, ev, FBP_MAX_EVENTS_PER_FRAME);
    uint32_t us = (uint32_t)us_since(&t0);
    if (n < 0) { /* the firmware's error: the bench ends the run as a DUT fault */
        send_frame_done(frame_no, 0, (int16_t)n, us);
        return;
    }
    for (int i = 0; i < n; i++) {
        fbp_msg m = {.type = FBP_EVENT};
        m.u.event.kind = ev[i].kind;
        m.u.event.alarm = ev[i].alarm;
        m.u.event.status = ev[i].status;
        m.u.event.frame = ev[i].frame;
        m.u.event.track_id = ev[i].track_id;
        m.u.event.box_x = ev[i].box_x;
        m.u.event.box_y = ev[i].box_y;
        m.u.event.box_w = ev[i].box_w;
        m.u.event.box_h = ev[i].box_h;
        m.u.event.skin_ck = ev[i].skin_ck;
        m.u.event.body_ck = ev[i].body_ck;
        send_msg(&m);
    }
    frames_done++;
    send_frame_done(frame_no, (uint16_t)n, 0, us);
}

static void on_config(const fbp_config *c)
{
    /* fbp_config carries fbfw_config's fields, and how the frames will travel */
    fbfw_config fc = {c->api_version, c->width, c->height, c->fps_milli, c->focal_px_milli,
                      c->bb_x, c->bb_y, c->bb_w, c->bb_h, c->bb_set_ck,
                      c->alarm_threshold_ck, c->body_offset_ck};
    fbp_msg m = {.type = FBP_CONFIG_ACK};
    size_t size = fbfw_state_size(&fc);
    free(fw_state);
    free(frame);
    fw_state = size ? malloc(size) : NULL; /* malloc's alignment suits fbfw_init's 8 bytes */
    frame = malloc(2u * (size_t)c->width * c->height);
    if (c->flags & FBP_CFG_FRAME_PORT) /* not offered in HELLO_ACK, so never asked for */
        m.u.config_ack.result = FBFW_ERR_CONFIG;
    else if (!fw_state || !frame)
        m.u.config_ack.result = size ? FBFW_ERR_ARG : FBFW_ERR_CONFIG;
    else
        m.u.config_ack.result = fbfw_init(fw_state, size, &fc);
    m.u.config_ack.state_bytes = (uint32_t)size;
    if (m.u.config_ack.result == 0) {
        cfg = *c;
        frames_done = 0;
    } else {
        free(fw_state);
        fw_state = NULL;
    }
    send_msg(&m);
}

/* Handles one decoded packet; returns 1 after BYE. */
static int on_packet(const uint8_t *pkt, size_t len, int *hello_seen)
{
    fbp_msg m;
    int rc = fbp_unpack(pkt, len, &m);
    if (rc < 0) {
        rx_errors++;
        if (*hello_seen) /* before HELLO nothing is answered */
            send_error(rc, 0xFFFFFFFFu, fbp_strerror(rc));
        return 0;
    }
    rx_packets++;
    if (m.type != FBP_HELLO && !*hello_seen)
        return 0;
    switch (m.type) {
    case FBP_HELLO: {
        fbp_msg a = {.type = FBP_HELLO_ACK};
        a.u.hello_ack.magic = FBP_MAGIC;
        a.u.hello_ack.major = FBP_VERSION_MAJOR; /* the bench ends the session if it differs */
        a.u.hello_ack.minor = FBP_VERSION_MINOR;
        a.u.hello_ack.max_payload = FBP_MAX_PAYLOAD;
        a.u.hello_ack.caps = 0; /* frames in chunks on this link, no frame port */
        snprintf(a.u.hello_ack.name, sizeof a.u.hello_ack.name, "%s", fbfw_name());
        *hello_seen = 1;
        send_msg(&a);
        return 0;
    }
    case FBP_CONFIG:
        on_config(&m.u.config);
        return 0;
    case FBP_FRAME_START:
        frame_flags = m.u.frame_start.flags;
        if (!fw_state) {
            send_error(FBP_ERR_SEQUENCE, m.u.frame_start.frame_no, "frame before CONFIG");
            send_frame_done(m.u.frame_start.frame_no, 0, FBFW_ERR_STATE, 0xFFFFFFFFu);
        } else if ((rc = fbp_frame_rx_start(&frx, &m.u.frame_start, 2u * cfg.width * cfg.height,
                                            cfg.chunk_bytes)) < 0) {
            send_error(rc, m.u.frame_start.frame_no, fbp_strerror(rc));
            send_frame_done(m.u.frame_start.frame_no, 0, -100, 0xFFFFFFFFu); /* frame lost */
        }
        return 0;
    case FBP_FRAME_CHUNK:
        rc = frx.active ? fbp_frame_rx_chunk(&frx, &m.u.chunk, (uint8_t *)frame)
                        : FBP_ERR_SEQUENCE;
        if (rc == 1) {
            answer_frame(frx.frame_no); /* the last chunk: the frame is whole */
        } else if (rc < 0) {
            rx_errors++;
            send_error(rc, m.u.chunk.frame_no, fbp_strerror(rc));
        }
        return 0;
    case FBP_PING: {
        fbp_msg s = {.type = FBP_STATUS};
        s.u.status.nonce = m.u.ping.nonce;
        s.u.status.uptime_ms = (uint32_t)(us_since(&t_start) / 1000u);
        s.u.status.frames_done = frames_done;
        s.u.status.rx_packets = rx_packets;
        s.u.status.rx_errors = rx_errors;
        s.u.status.tx_packets = tx_packets;
        send_msg(&s);
        return 0;
    }
    case FBP_BYE: {
        fbp_msg b = {.type = FBP_BYE_ACK};
        b.u.bye_ack.frames_done = frames_done;
        send_msg(&b);
        return 1;
    }
    default: /* ERROR from the bench, or a message meant for the bench: nothing to answer */
        return 0;
    }
}

int main(void)
{
    static uint8_t in[65536], pkt[FBP_MAX_RAW];
    fbp_decoder dec;
    int hello_seen = 0, bye = 0;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    fbp_decoder_init(&dec, pkt, sizeof pkt);
    while (!bye) {
        ssize_t got = read(STDIN_FILENO, in, sizeof in);
        if (got <= 0)
            break; /* the link ended without BYE */
        size_t at = 0;
        while (at < (size_t)got && !bye) {
            size_t used;
            int n = fbp_decoder_feed(&dec, in + at, (size_t)got - at, &used);
            at += used;
            if (n < 0) { /* a packet too long or broken COBS: dropped, counted, reported */
                rx_errors++;
                if (hello_seen)
                    send_error(n, 0xFFFFFFFFu, fbp_strerror(n));
            } else if (n > 0) {
                bye = on_packet(pkt, (size_t)n, &hello_seen);
            }
        }
    }
    free(fw_state);
    free(frame);
    return bye ? 0 : 1;
}
