/* fbfw_link.c — the firmware's side of the link protocol: answers the bench, feeds frames to
 * fbfw_process. */
#include <string.h>
#include "fbfw_link.h"

#define FBFW_LINK_NAME_FALLBACK "unnamed firmware"

int fbfw_link_send_raw(fbfw_link *lk, const fbp_msg *m)
{
    int n = fbp_encode(m, lk->tx, sizeof lk->tx, lk->scratch, sizeof lk->scratch);
    if (n < 0)
        return n;
    lk->tx_packets++;
    return lk->port->write(lk->port->ctx, lk->tx, (size_t)n);
}

int fbfw_link_send(fbfw_link *lk, fbp_msg *m)
{
    if (lk->hooks && lk->hooks->before_send && lk->hooks->before_send(lk->hctx, lk, m))
        return 0;
    return fbfw_link_send_raw(lk, m);
}

static int send_error(fbfw_link *lk, int fbp_code, uint32_t frame_no, const char *text)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_ERROR_DUT;
    m.u.error.code = (uint16_t)(fbp_code < 0 ? -fbp_code : fbp_code);
    m.u.error.fatal = 0;
    m.u.error.frame_no = frame_no;
    size_t n = strlen(text);
    if (n > FBP_TEXT_MAX)
        n = FBP_TEXT_MAX;
    memcpy(m.u.error.text, text, n);
    return fbfw_link_send(lk, &m);
}

static int send_frame_done(fbfw_link *lk, uint32_t frame_no, uint16_t n_events, int16_t result,
                           uint32_t proc_us)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_DONE;
    m.u.frame_done.frame_no = frame_no;
    m.u.frame_done.n_events = n_events;
    m.u.frame_done.result = result;
    m.u.frame_done.proc_us = proc_us;
    return fbfw_link_send(lk, &m);
}

static int on_hello(fbfw_link *lk, const fbp_hello *h)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO_ACK;
    m.u.hello_ack.magic = FBP_MAGIC;
    m.u.hello_ack.major = FBP_VERSION_MAJOR;
    m.u.hello_ack.minor = FBP_VERSION_MINOR;
    m.u.hello_ack.max_payload = FBP_MAX_PAYLOAD;
    m.u.hello_ack.caps = lk->port->read_frame ? FBP_CAP_FRAME_PORT : 0;
    /* The firmware's own name, cut to what the protocol carries and to printable ASCII. */
    const char *name = fbfw_name();
    size_t n = 0;
    for (; name && name[n] && n < FBP_NAME_MAX; n++)
        m.u.hello_ack.name[n] = (name[n] >= 0x20 && name[n] < 0x7F) ? name[n] : '?';
    if (n == 0)
        memcpy(m.u.hello_ack.name, FBFW_LINK_NAME_FALLBACK, sizeof FBFW_LINK_NAME_FALLBACK);
    lk->hello_seen = true;
    (void)h; /* the bench checks versions; the DUT answers with its own */
    return fbfw_link_send(lk, &m);
}

static int on_config(fbfw_link *lk, const fbp_config *c)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG_ACK;
    lk->configured = false;
    fbfw_config fc;
    memset(&fc, 0, sizeof fc);
    fc.api_version = c->api_version;
    fc.width = c->width;
    fc.height = c->height;
    fc.fps_milli = c->fps_milli;
    fc.focal_px_milli = c->focal_px_milli;
    fc.bb_x = c->bb_x;
    fc.bb_y = c->bb_y;
    fc.bb_w = c->bb_w;
    fc.bb_h = c->bb_h;
    fc.bb_set_ck = c->bb_set_ck;
    fc.alarm_threshold_ck = c->alarm_threshold_ck;
    fc.body_offset_ck = c->body_offset_ck;
    bool want_port = (c->flags & FBP_CFG_FRAME_PORT) != 0;
    size_t state = fbfw_state_size(&fc);
    uint32_t frame_bytes = (uint32_t)c->width * c->height * 2u;
    if (state == 0 || (want_port && !lk->port->read_frame)) {
        m.u.config_ack.result = FBFW_ERR_CONFIG;
        return fbfw_link_send(lk, &m);
    }
    size_t state_al = (state + 7u) & ~(size_t)7u;
    uint8_t *mem = lk->port->alloc(lk->port->ctx, state_al + frame_bytes);
    if (!mem) {
        m.u.config_ack.result = FBFW_ERR_ARG;
        m.u.config_ack.state_bytes = (uint32_t)state;
        return fbfw_link_send(lk, &m);
    }
    int rc = fbfw_init(mem, state, &fc);
    m.u.config_ack.result = rc < 0 ? rc : 0;
    m.u.config_ack.state_bytes = (uint32_t)state;
    if (rc >= 0) {
        lk->cfg = *c;
        lk->state = mem;
        lk->frame = (uint16_t *)(void *)(mem + state_al);
        lk->frame_bytes = frame_bytes;
        lk->frame_port = want_port;
        lk->configured = true;
        lk->frames_done = 0;
    }
    return fbfw_link_send(lk, &m);
}

/* Frames travel as little-endian u16; on a big-endian core swap in place. */
static void frame_to_host(uint16_t *px, uint32_t n)
{
    const uint16_t probe = 1;
    if (*(const uint8_t *)&probe == 1)
        return;
    for (uint32_t i = 0; i < n; i++)
        px[i] = (uint16_t)((px[i] >> 8) | (px[i] << 8));
}

static int process_frame(fbfw_link *lk, uint32_t frame_no)
{
    if (lk->hooks && lk->hooks->before_frame)
        lk->hooks->before_frame(lk->hctx, lk, frame_no);
    frame_to_host(lk->frame, lk->frame_bytes / 2u);
    uint32_t t0 = lk->port->now_us ? lk->port->now_us(lk->port->ctx) : 0;
    int n = fbfw_process(lk->state, lk->frame, frame_no, lk->frame_flags, lk->events,
                         (int)FBP_MAX_EVENTS_PER_FRAME);
    uint32_t proc = lk->port->now_us ? lk->port->now_us(lk->port->ctx) - t0 : 0xFFFFFFFFu;
    if (n < 0)
        return send_frame_done(lk, frame_no, 0, (int16_t)(n < -32768 ? -32768 : n), proc);
    if (n > (int)FBP_MAX_EVENTS_PER_FRAME)
        n = (int)FBP_MAX_EVENTS_PER_FRAME;
    for (int i = 0; i < n; i++) {
        const fbfw_event *e = &lk->events[i];
        fbp_msg m;
        memset(&m, 0, sizeof m);
        m.type = FBP_EVENT;
        m.u.event.kind = e->kind;
        m.u.event.alarm = e->alarm;
        m.u.event.status = e->status;
        m.u.event.frame = e->frame;
        m.u.event.track_id = e->track_id;
        m.u.event.box_x = e->box_x;
        m.u.event.box_y = e->box_y;
        m.u.event.box_w = e->box_w;
        m.u.event.box_h = e->box_h;
        m.u.event.skin_ck = e->skin_ck;
        m.u.event.body_ck = e->body_ck;
        int rc = fbfw_link_send(lk, &m);
        if (rc < 0)
            return rc;
    }
    lk->frames_done++;
    return send_frame_done(lk, frame_no, (uint16_t)n, 0, proc);
}

static int on_frame_start(fbfw_link *lk, const fbp_frame_start *fs)
{
    if (!lk->configured) {
        int rc = send_error(lk, FBP_ERR_SEQUENCE, fs->frame_no, "frame before CONFIG");
        return rc < 0 ? rc : send_frame_done(lk, fs->frame_no, 0, FBFW_ERR_STATE, 0xFFFFFFFFu);
    }
    lk->frame_flags = fs->flags;
    if (lk->frame_port) {
        int rc = fs->n_chunks == 0
                     ? lk->port->read_frame(lk->port->ctx, (uint8_t *)lk->frame, lk->frame_bytes)
                     : FBP_ERR_SEQUENCE;
        if (rc == 0 && fbp_crc32(0, lk->frame, lk->frame_bytes) == fs->crc32)
            return process_frame(lk, fs->frame_no);
        int code = rc == 0 ? FBP_ERR_FRAME_CRC : FBP_ERR_SEQUENCE;
        rc = send_error(lk, code, fs->frame_no, fbp_strerror(code));
        return rc < 0 ? rc
                      : send_frame_done(lk, fs->frame_no, 0, FBFW_LINK_FRAME_LOST, 0xFFFFFFFFu);
    }
    int rc = fbp_frame_rx_start(&lk->frx, fs, lk->frame_bytes, lk->cfg.chunk_bytes);
    if (rc < 0) {
        rc = send_error(lk, rc, fs->frame_no, "chunk count does not match the frame size");
        return rc < 0 ? rc
                      : send_frame_done(lk, fs->frame_no, 0, FBFW_LINK_FRAME_LOST, 0xFFFFFFFFu);
    }
    return 0;
}

static int on_chunk(fbfw_link *lk, const fbp_frame_chunk *c)
{
    if (!lk->frx.active) {
        lk->rx_errors++;
        return send_error(lk, FBP_ERR_SEQUENCE, c->frame_no, "chunk outside a frame");
    }
    uint32_t frame_no = lk->frx.frame_no;
    int rc = fbp_frame_rx_chunk(&lk->frx, c, (uint8_t *)lk->frame);
    if (rc == 0)
        return 0;
    if (rc == 1)
        return process_frame(lk, frame_no);
    lk->rx_errors++;
    int wrc = send_error(lk, rc, frame_no, fbp_strerror(rc));
    return wrc < 0 ? wrc : send_frame_done(lk, frame_no, 0, FBFW_LINK_FRAME_LOST, 0xFFFFFFFFu);
}

/* Handles one decoded packet. Returns 0 to go on, 2 after BYE, < 0 when writing failed. */
static int on_packet(fbfw_link *lk, size_t len)
{
    fbp_msg m;
    int rc = fbp_unpack(lk->rx, len, &m);
    if (rc < 0) {
        lk->rx_errors++;
        return lk->hello_seen ? send_error(lk, rc, 0xFFFFFFFFu, fbp_strerror(rc)) : 0;
    }
    lk->rx_packets++;
    if (m.type != FBP_HELLO && !lk->hello_seen)
        return 0; /* nothing is answered before HELLO */
    switch (m.type) {
    case FBP_HELLO:
        return on_hello(lk, &m.u.hello);
    case FBP_CONFIG:
        return on_config(lk, &m.u.config);
    case FBP_FRAME_START:
        return on_frame_start(lk, &m.u.frame_start);
    case FBP_FRAME_CHUNK:
        return on_chunk(lk, &m.u.chunk);
    case FBP_PING: {
        fbp_msg s;
        memset(&s, 0, sizeof s);
        s.type = FBP_STATUS;
        s.u.status.nonce = m.u.ping.nonce;
        s.u.status.uptime_ms = lk->port->now_us ? lk->port->now_us(lk->port->ctx) / 1000u : 0;
        s.u.status.frames_done = lk->frames_done;
        s.u.status.rx_packets = lk->rx_packets;
        s.u.status.rx_errors = lk->rx_errors;
        s.u.status.tx_packets = lk->tx_packets;
        return fbfw_link_send(lk, &s);
    }
    case FBP_BYE: {
        fbp_msg b;
        memset(&b, 0, sizeof b);
        b.type = FBP_BYE_ACK;
        b.u.bye_ack.frames_done = lk->frames_done;
        rc = fbfw_link_send(lk, &b);
        return rc < 0 ? rc : 2;
    }
    case FBP_ERROR_BENCH:
        return m.u.error.fatal ? 2 : 0;
    default: /* a DUT-to-bench type sent to the DUT */
        lk->rx_errors++;
        return send_error(lk, FBP_ERR_TYPE, 0xFFFFFFFFu, "message type not for a DUT");
    }
}

int fbfw_link_run(fbfw_link *lk, const fbfw_port *port, const fbfw_link_hooks *hooks, void *hctx)
{
    memset(lk, 0, sizeof *lk);
    lk->port = port;
    lk->hooks = hooks;
    lk->hctx = hctx;
    fbp_decoder_init(&lk->dec, lk->rx, sizeof lk->rx);
    for (;;) {
        long got = port->read(port->ctx, lk->in, sizeof lk->in);
        if (got <= 0)
            return 1;
        size_t at = 0;
        while (at < (size_t)got) {
            size_t used;
            int n = fbp_decoder_feed(&lk->dec, lk->in + at, (size_t)got - at, &used);
            at += used;
            if (n == 0)
                continue;
            int rc;
            if (n < 0) {
                lk->rx_errors++;
                rc = lk->hello_seen ? send_error(lk, n, 0xFFFFFFFFu, fbp_strerror(n)) : 0;
            } else {
                rc = on_packet(lk, (size_t)n);
            }
            if (rc < 0)
                return rc;
            if (rc == 2)
                return 0;
        }
    }
}
