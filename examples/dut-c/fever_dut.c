/* fever_dut.c — a small firmware-under-test in C speaking the feverbench link protocol on
 * stdin/stdout, built against the installed SDK (libfbp, fbp.h). Run it with
 *     feverbench run default --dut exec:/path/to/fever_dut
 *
 * What it shows (docs/protocol.md is the normative text; docs/install.md how to build this):
 *   - the byte stream: 0x00-delimited COBS packets in, decoded with fbp_decoder_feed, checked
 *     with fbp_unpack; replies packed and COBS-encoded with fbp_encode;
 *   - the session: HELLO -> HELLO_ACK, CONFIG -> CONFIG_ACK, FRAME_START + FRAME_CHUNKs (put
 *     together with fbp_frame_rx_*) -> EVENTs + FRAME_DONE, PING -> STATUS, BYE -> BYE_ACK;
 *   - a deliberately simple screening algorithm: warm blobs are faces, their hottest pixel is the
 *     inner canthus. It is here to produce events the bench can score, not to screen well: use
 *     the reference firmware (firmware-under-test/reference/) as a model for that.
 * Diagnostics go to stderr, never to stdout (stdout is the link).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fbp.h>

#define DUT_NAME "example-c-dut"
#define SKIN_MIN_CK 30515u /* 32.0 °C: warmer pixels are taken for bare skin */
#define FACE_MIN_PX 8u     /* a blob this tall (pixels) is a face close enough to measure */
#define MAX_TRACKS 32u
#define TRACK_GAP_FRAMES 12u /* a track not seen for this many frames is dropped */

/* ---- the link: counters the STATUS message reports, and sending ------------------------ */

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

/* ---- the screening algorithm --------------------------------------------------------------- */

static fbp_config cfg;       /* the camera, from CONFIG */
static uint8_t *frame_bytes; /* one frame as received: u16 little-endian centikelvin */
static uint8_t *seen;        /* flood fill: pixel already visited */
static uint32_t *stack;      /* flood fill: pixels to visit */

typedef struct track {
    uint32_t id, last_frame;
    float cx, cy;  /* centre of the blob when last seen */
    int measured; /* 1 once its measurement was sent: one per person */
} track;
static track tracks[MAX_TRACKS];
static uint32_t n_tracks, next_track_id = 1;

static uint16_t pixel(uint32_t i)
{
    return (uint16_t)(frame_bytes[2u * i] | frame_bytes[2u * i + 1u] << 8);
}

static int in_blackbody(uint32_t x, uint32_t y)
{
    const uint32_t margin = 2;
    return cfg.bb_w > 0 && x + margin >= cfg.bb_x && x < cfg.bb_x + cfg.bb_w + margin &&
           y + margin >= cfg.bb_y && y < cfg.bb_y + cfg.bb_h + margin;
}

typedef struct blob {
    uint16_t x0, y0, x1, y1; /* bounding box, inclusive */
    uint16_t max_ck;
    uint32_t area;
} blob;

/* The 4-connected blob of skin pixels around pixel `start`. */
static blob fill(uint32_t start)
{
    uint32_t w = cfg.width, h = cfg.height, top = 0;
    blob b = {(uint16_t)(start % w), (uint16_t)(start / w), (uint16_t)(start % w),
              (uint16_t)(start / w), 0, 0};
    seen[start] = 1;
    stack[top++] = start;
    while (top > 0) {
        uint32_t i = stack[--top], x = i % w, y = i / w;
        uint16_t v = pixel(i);
        b.area++;
        if (v > b.max_ck)
            b.max_ck = v;
        if (x < b.x0) b.x0 = (uint16_t)x;
        if (x > b.x1) b.x1 = (uint16_t)x;
        if (y < b.y0) b.y0 = (uint16_t)y;
        if (y > b.y1) b.y1 = (uint16_t)y;
        uint32_t nb[4] = {x > 0 ? i - 1 : i, x + 1 < w ? i + 1 : i, y > 0 ? i - w : i,
                          y + 1 < h ? i + w : i};
        for (int k = 0; k < 4; k++)
            if (!seen[nb[k]] && pixel(nb[k]) >= SKIN_MIN_CK &&
                !in_blackbody(nb[k] % w, nb[k] / w)) {
                seen[nb[k]] = 1;
                stack[top++] = nb[k]; /* each pixel is pushed once: the stack never overflows */
            }
    }
    return b;
}

/* The track this blob continues (nearest centre within a blob size), or a new one. */
static track *follow(const blob *b, uint32_t frame_no)
{
    float cx = (b->x0 + b->x1) / 2.0f, cy = (b->y0 + b->y1) / 2.0f;
    float reach = (float)(b->y1 - b->y0 + 1) + 4.0f, best_d = reach * reach;
    track *best = NULL;
    for (uint32_t t = 0; t < n_tracks; t++) {
        float dx = tracks[t].cx - cx, dy = tracks[t].cy - cy;
        if (dx * dx + dy * dy < best_d) {
            best_d = dx * dx + dy * dy;
            best = &tracks[t];
        }
    }
    if (!best && n_tracks < MAX_TRACKS) {
        best = &tracks[n_tracks++];
        *best = (track){next_track_id++, frame_no, cx, cy, 0};
    }
    if (best) {
        best->cx = cx;
        best->cy = cy;
        best->last_frame = frame_no;
    }
    return best;
}

/* Finds faces in the frame and fills ev[] with this frame's measurements; returns how many. */
static uint16_t screen_frame(uint32_t frame_no, uint32_t flags, fbp_event *ev, uint16_t max_ev)
{
    uint16_t n = 0;
    uint32_t npx = (uint32_t)cfg.width * cfg.height;
    if (flags & FBP_FRAME_FROZEN)
        return 0; /* the shutter is closed: the frame shows the shutter, not the scene */
    memset(seen, 0, npx);
    for (uint32_t i = 0; i < npx; i++) {
        if (seen[i] || pixel(i) < SKIN_MIN_CK || in_blackbody(i % cfg.width, i / cfg.width))
            continue;
        blob b = fill(i);
        uint32_t bw = b.x1 - b.x0 + 1u, bh = b.y1 - b.y0 + 1u;
        if (bh < FACE_MIN_PX || b.area < bw * bh / 3u)
            continue; /* too small or too sparse to be a face near enough */
        track *t = follow(&b, frame_no);
        if (!t || t->measured || n == max_ev)
            continue;
        t->measured = 1;
        fbp_event *e = &ev[n++];
        memset(e, 0, sizeof *e);
        e->kind = 1; /* measurement */
        e->frame = frame_no;
        e->track_id = t->id;
        e->box_x = b.x0;
        e->box_y = b.y0;
        e->box_w = (uint16_t)bw;
        e->box_h = (uint16_t)bh;
        e->skin_ck = b.max_ck;                                   /* the inner canthus, we hope */
        e->body_ck = (uint16_t)(b.max_ck + cfg.body_offset_ck); /* skin + the installer's offset */
        e->alarm = e->body_ck >= cfg.alarm_threshold_ck;
    }
    /* forget people who left */
    for (uint32_t t = 0; t < n_tracks;)
        if (frame_no - tracks[t].last_frame > TRACK_GAP_FRAMES)
            tracks[t] = tracks[--n_tracks];
        else
            t++;
    return n;
}

/* ---- the session ------------------------------------------------------------------------- */

static int configured;
static fbp_frame_rx frx;
static uint32_t frame_flags;

static void answer_frame(uint32_t frame_no)
{
    struct timespec t0, t1;
    fbp_event ev[FBP_MAX_EVENTS_PER_FRAME];
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint16_t n = screen_frame(frame_no, frame_flags, ev, FBP_MAX_EVENTS_PER_FRAME);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (uint16_t i = 0; i < n; i++) {
        fbp_msg m = {.type = FBP_EVENT};
        m.u.event = ev[i];
        send_msg(&m);
    }
    fbp_msg d = {.type = FBP_FRAME_DONE};
    d.u.frame_done.frame_no = frame_no;
    d.u.frame_done.n_events = n;
    d.u.frame_done.proc_us = (uint32_t)((t1.tv_sec - t0.tv_sec) * 1000000L +
                                        (t1.tv_nsec - t0.tv_nsec) / 1000L);
    send_msg(&d);
    frames_done++;
}

static void on_config(const fbp_config *c)
{
    fbp_msg m = {.type = FBP_CONFIG_ACK};
    uint32_t npx = (uint32_t)c->width * c->height;
    free(frame_bytes);
    free(seen);
    free(stack);
    frame_bytes = malloc(2u * (size_t)npx);
    seen = malloc(npx);
    stack = malloc(sizeof *stack * (size_t)npx);
    if (!frame_bytes || !seen || !stack || (c->flags & FBP_CFG_FRAME_PORT)) {
        m.u.config_ack.result = -3; /* unsupported configuration */
        configured = 0;
    } else {
        cfg = *c;
        configured = 1;
        n_tracks = 0;
        frames_done = 0;
        m.u.config_ack.state_bytes = 7u * npx;
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
        if (*hello_seen)
            send_error(rc, 0xFFFFFFFFu, fbp_strerror(rc));
        return 0;
    }
    rx_packets++;
    if (m.type != FBP_HELLO && !*hello_seen)
        return 0; /* nothing is answered before HELLO */
    switch (m.type) {
    case FBP_HELLO: {
        fbp_msg a = {.type = FBP_HELLO_ACK};
        a.u.hello_ack.magic = FBP_MAGIC;
        a.u.hello_ack.major = FBP_VERSION_MAJOR; /* the bench ends the session if it differs */
        a.u.hello_ack.minor = FBP_VERSION_MINOR;
        a.u.hello_ack.max_payload = FBP_MAX_PAYLOAD;
        a.u.hello_ack.caps = 0; /* frames in chunks on this link, no frame port */
        snprintf(a.u.hello_ack.name, sizeof a.u.hello_ack.name, "%s", DUT_NAME);
        *hello_seen = 1;
        send_msg(&a);
        return 0;
    }
    case FBP_CONFIG:
        on_config(&m.u.config);
        return 0;
    case FBP_FRAME_START:
        frame_flags = m.u.frame_start.flags;
        if (!configured ||
            fbp_frame_rx_start(&frx, &m.u.frame_start, 2u * cfg.width * cfg.height,
                               cfg.chunk_bytes) < 0) {
            send_error(FBP_ERR_SEQUENCE, m.u.frame_start.frame_no, "cannot take this frame");
            fbp_msg d = {.type = FBP_FRAME_DONE};
            d.u.frame_done.frame_no = m.u.frame_start.frame_no;
            d.u.frame_done.result = -100; /* frame lost */
            d.u.frame_done.proc_us = 0xFFFFFFFFu;
            send_msg(&d);
        }
        return 0;
    case FBP_FRAME_CHUNK:
        rc = frx.active ? fbp_frame_rx_chunk(&frx, &m.u.chunk, frame_bytes) : FBP_ERR_SEQUENCE;
        if (rc == 1)
            answer_frame(frx.frame_no); /* the last chunk: the frame is whole */
        else if (rc < 0) {
            rx_errors++;
            send_error(rc, m.u.chunk.frame_no, fbp_strerror(rc));
        }
        return 0;
    case FBP_PING: {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        fbp_msg s = {.type = FBP_STATUS};
        s.u.status.nonce = m.u.ping.nonce;
        s.u.status.uptime_ms = (uint32_t)((now.tv_sec - t_start.tv_sec) * 1000L +
                                          (now.tv_nsec - t_start.tv_nsec) / 1000000L);
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
    int hello_seen = 0;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    fbp_decoder_init(&dec, pkt, sizeof pkt);
    for (;;) {
        ssize_t got = read(STDIN_FILENO, in, sizeof in);
        if (got <= 0)
            return 1; /* the link ended without BYE */
        size_t at = 0;
        while (at < (size_t)got) {
            size_t used;
            int n = fbp_decoder_feed(&dec, in + at, (size_t)got - at, &used);
            at += used;
            if (n < 0) { /* a packet too long or broken COBS: dropped, counted, reported */
                rx_errors++;
                if (hello_seen)
                    send_error(n, 0xFFFFFFFFu, fbp_strerror(n));
            } else if (n > 0 && on_packet(pkt, (size_t)n, &hello_seen)) {
                free(frame_bytes);
                free(seen);
                free(stack);
                return 0; /* BYE answered */
            }
        }
    }
}
