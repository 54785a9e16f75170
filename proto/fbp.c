/* fbp.c — the link protocol codec: CRC-32C, COBS framing, message packing and checking
 * (docs/protocol.md). */
#include <string.h>
#include "fbp.h"
#include "fbp_crc_tables.h"

/* ---- CRC-32C (Castagnoli): slicing-by-8 in portable C; the SSE4.2 instruction where there is one
 */

static uint32_t crc32c_sw(uint32_t crc, const uint8_t *p, size_t n)
{
    const uint32_t(*t)[256] = fbp_crc_t;
    while (n >= 8) {
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24);
        uint32_t hi =
            (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        crc = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^
              t[4][lo >> 24] ^ t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^
              t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = t[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FBP_NO_HW_CRC)
#define FBP_HW_CRC 1
/* x86-64 SSE4.2 CRC32 computes exactly CRC-32C (same reflected polynomial, no pre/post XOR).
 * Compiled for SSE4.2 here only, and called only when the CPU has it. */
__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p,
                                                            size_t n)
{
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--)
        c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}
#endif

uint32_t fbp_crc32(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
#ifdef FBP_HW_CRC
    if (__builtin_cpu_supports("sse4.2"))
        return ~crc32c_hw(~crc, p, n);
#endif
    return ~crc32c_sw(~crc, p, n);
}

/* ---- names ------------------------------------------------------------------------------ */

const char *fbp_type_name(uint8_t type)
{
    switch (type) {
    case FBP_HELLO:
        return "HELLO";
    case FBP_CONFIG:
        return "CONFIG";
    case FBP_FRAME_START:
        return "FRAME_START";
    case FBP_FRAME_CHUNK:
        return "FRAME_CHUNK";
    case FBP_PING:
        return "PING";
    case FBP_BYE:
        return "BYE";
    case FBP_ERROR_BENCH:
        return "ERROR";
    case FBP_HELLO_ACK:
        return "HELLO_ACK";
    case FBP_CONFIG_ACK:
        return "CONFIG_ACK";
    case FBP_EVENT:
        return "EVENT";
    case FBP_FRAME_DONE:
        return "FRAME_DONE";
    case FBP_STATUS:
        return "STATUS";
    case FBP_BYE_ACK:
        return "BYE_ACK";
    case FBP_ERROR_DUT:
        return "ERROR";
    default:
        return NULL;
    }
}

const char *fbp_strerror(int err)
{
    switch (err) {
    case FBP_OK:
        return "ok";
    case FBP_ERR_OVERSIZE:
        return "packet too long";
    case FBP_ERR_COBS:
        return "broken COBS framing";
    case FBP_ERR_TRUNCATED:
        return "truncated packet";
    case FBP_ERR_LENGTH:
        return "packet longer than its length field";
    case FBP_ERR_CRC:
        return "bad CRC";
    case FBP_ERR_HEADER:
        return "reserved header byte not 0";
    case FBP_ERR_TYPE:
        return "unknown message type";
    case FBP_ERR_PAYLOAD:
        return "bad payload";
    case FBP_ERR_SEQUENCE:
        return "chunk out of order";
    case FBP_ERR_FRAME_CRC:
        return "frame CRC mismatch";
    case FBP_ERR_ARG:
        return "invalid argument";
    default:
        return "unknown error";
    }
}

/* ---- little-endian field access ---------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
    p[2] = (uint8_t)((v >> 16) & 0xFFu);
    p[3] = (uint8_t)(v >> 24);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)(p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Printable ASCII, no NUL: the only bytes allowed in names and error texts. */
static bool printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20u || (unsigned char)s[i] > 0x7Eu)
            return false;
    return true;
}

static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n])
        n++;
    return n;
}

/* The fixed payload size of a type, or 0 for variable-size types (checked separately), or -1
 * for an unknown type. */
static int fixed_size(uint8_t type)
{
    switch (type) {
    case FBP_HELLO:
        return 12;
    case FBP_CONFIG:
        return 36;
    case FBP_FRAME_START:
        return 16;
    case FBP_PING:
        return 4;
    case FBP_BYE:
        return 4;
    case FBP_CONFIG_ACK:
        return 8;
    case FBP_EVENT:
        return 24;
    case FBP_FRAME_DONE:
        return 12;
    case FBP_STATUS:
        return 24;
    case FBP_BYE_ACK:
        return 4;
    case FBP_FRAME_CHUNK:
    case FBP_HELLO_ACK:
    case FBP_ERROR_BENCH:
    case FBP_ERROR_DUT:
        return 0;
    default:
        return -1;
    }
}

uint32_t fbp_chunk_count(uint32_t frame_bytes, uint16_t chunk_bytes)
{
    if (chunk_bytes == 0)
        return 0;
    return (frame_bytes + chunk_bytes - 1u) / chunk_bytes;
}

/* Bounds shared by pack and unpack: FBP_OK or FBP_ERR_PAYLOAD. */
static int check_fields(const fbp_msg *m)
{
    switch (m->type) {
    case FBP_HELLO:
        return m->u.hello.magic == FBP_MAGIC ? FBP_OK : FBP_ERR_PAYLOAD;
    case FBP_HELLO_ACK: {
        const fbp_hello_ack *h = &m->u.hello_ack;
        size_t n = bounded_len(h->name, FBP_NAME_MAX);
        if (h->magic != FBP_MAGIC || h->max_payload < FBP_MIN_PAYLOAD_LIMIT || n == 0 ||
            n > FBP_NAME_MAX || !printable(h->name, n))
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    }
    case FBP_CONFIG: {
        const fbp_config *c = &m->u.config;
        uint32_t frame_bytes = (uint32_t)c->width * c->height * 2u;
        if (c->width == 0 || c->height == 0 || c->width > FBP_MAX_DIM || c->height > FBP_MAX_DIM ||
            c->chunk_bytes < 2 || c->chunk_bytes > FBP_CHUNK_MAX_DATA || (c->chunk_bytes & 1u) ||
            fbp_chunk_count(frame_bytes, c->chunk_bytes) > 0xFFFFu || c->fps_milli == 0 ||
            (c->flags & ~(uint32_t)FBP_CFG_FRAME_PORT) != 0)
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    }
    case FBP_CONFIG_ACK:
        return m->u.config_ack.result <= 0 ? FBP_OK : FBP_ERR_PAYLOAD;
    case FBP_FRAME_START:
        return (m->u.frame_start.flags & ~(uint32_t)FBP_FRAME_FROZEN) == 0 ? FBP_OK
                                                                           : FBP_ERR_PAYLOAD;
    case FBP_FRAME_CHUNK: {
        const fbp_frame_chunk *c = &m->u.chunk;
        if (c->n_bytes < 2 || c->n_bytes > FBP_CHUNK_MAX_DATA || (c->n_bytes & 1u) ||
            (!c->data && c->n_bytes))
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    }
    case FBP_PING:
        return FBP_OK;
    case FBP_BYE:
        return m->u.bye.reason <= 1 ? FBP_OK : FBP_ERR_PAYLOAD;
    case FBP_ERROR_BENCH:
    case FBP_ERROR_DUT: {
        const fbp_error *e = &m->u.error;
        size_t n = bounded_len(e->text, FBP_TEXT_MAX);
        if (e->fatal > 1 || n > FBP_TEXT_MAX || !printable(e->text, n))
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    }
    case FBP_EVENT: {
        const fbp_event *e = &m->u.event;
        if (e->kind < 1 || e->kind > 2 || e->alarm > 1)
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    }
    case FBP_FRAME_DONE:
        if (m->u.frame_done.n_events > FBP_MAX_EVENTS_PER_FRAME || m->u.frame_done.result > 0)
            return FBP_ERR_PAYLOAD;
        return FBP_OK;
    case FBP_STATUS:
    case FBP_BYE_ACK:
        return FBP_OK;
    default:
        return FBP_ERR_TYPE;
    }
}

/* ---- packing ------------------------------------------------------------------------------ */

int fbp_pack(const fbp_msg *m, uint8_t *out, size_t cap)
{
    if (!m || !out || fixed_size(m->type) < 0 || check_fields(m) != FBP_OK)
        return FBP_ERR_ARG;
    uint8_t pl[40]; /* a fixed-size payload, or the fixed head of a variable one */
    size_t n = 0;
    const uint8_t *tail = NULL; /* variable part copied after pl */
    size_t tail_n = 0;
    memset(pl, 0, sizeof pl);
    switch (m->type) {
    case FBP_HELLO: {
        const fbp_hello *h = &m->u.hello;
        put32(pl, h->magic);
        pl[4] = h->major;
        pl[5] = h->minor;
        put16(pl + 6, h->max_payload);
        put32(pl + 8, h->caps);
        n = 12;
        break;
    }
    case FBP_HELLO_ACK: {
        const fbp_hello_ack *h = &m->u.hello_ack;
        put32(pl, h->magic);
        pl[4] = h->major;
        pl[5] = h->minor;
        put16(pl + 6, h->max_payload);
        put32(pl + 8, h->caps);
        n = 12;
        tail = (const uint8_t *)h->name;
        tail_n = bounded_len(h->name, FBP_NAME_MAX);
        break;
    }
    case FBP_CONFIG: {
        const fbp_config *c = &m->u.config;
        put32(pl, c->api_version);
        put16(pl + 4, c->width);
        put16(pl + 6, c->height);
        put32(pl + 8, c->fps_milli);
        put32(pl + 12, c->focal_px_milli);
        put16(pl + 16, c->bb_x);
        put16(pl + 18, c->bb_y);
        put16(pl + 20, c->bb_w);
        put16(pl + 22, c->bb_h);
        put16(pl + 24, c->bb_set_ck);
        put16(pl + 26, c->alarm_threshold_ck);
        put16(pl + 28, c->body_offset_ck);
        put16(pl + 30, c->chunk_bytes);
        put32(pl + 32, c->flags);
        n = 36;
        break;
    }
    case FBP_CONFIG_ACK:
        put32(pl, (uint32_t)m->u.config_ack.result);
        put32(pl + 4, m->u.config_ack.state_bytes);
        n = 8;
        break;
    case FBP_FRAME_START: {
        const fbp_frame_start *f = &m->u.frame_start;
        put32(pl, f->frame_no);
        put32(pl + 4, f->flags);
        put16(pl + 8, f->n_chunks);
        put32(pl + 12, f->crc32);
        n = 16;
        break;
    }
    case FBP_FRAME_CHUNK: {
        const fbp_frame_chunk *c = &m->u.chunk;
        put32(pl, c->frame_no);
        put16(pl + 4, c->index);
        n = 8;
        tail = c->data;
        tail_n = c->n_bytes;
        break;
    }
    case FBP_PING:
        put32(pl, m->u.ping.nonce);
        n = 4;
        break;
    case FBP_BYE:
        put32(pl, m->u.bye.reason);
        n = 4;
        break;
    case FBP_ERROR_BENCH:
    case FBP_ERROR_DUT: {
        const fbp_error *e = &m->u.error;
        put16(pl, e->code);
        pl[2] = e->fatal;
        put32(pl + 4, e->frame_no);
        n = 8;
        tail = (const uint8_t *)e->text;
        tail_n = bounded_len(e->text, FBP_TEXT_MAX);
        break;
    }
    case FBP_EVENT: {
        const fbp_event *e = &m->u.event;
        pl[0] = e->kind;
        pl[1] = e->alarm;
        put16(pl + 2, e->status);
        put32(pl + 4, e->frame);
        put32(pl + 8, e->track_id);
        put16(pl + 12, e->box_x);
        put16(pl + 14, e->box_y);
        put16(pl + 16, e->box_w);
        put16(pl + 18, e->box_h);
        put16(pl + 20, e->skin_ck);
        put16(pl + 22, e->body_ck);
        n = 24;
        break;
    }
    case FBP_FRAME_DONE: {
        const fbp_frame_done *d = &m->u.frame_done;
        put32(pl, d->frame_no);
        put16(pl + 4, d->n_events);
        put16(pl + 6, (uint16_t)d->result);
        put32(pl + 8, d->proc_us);
        n = 12;
        break;
    }
    case FBP_STATUS: {
        const fbp_status *s = &m->u.status;
        put32(pl, s->nonce);
        put32(pl + 4, s->uptime_ms);
        put32(pl + 8, s->frames_done);
        put32(pl + 12, s->rx_packets);
        put32(pl + 16, s->rx_errors);
        put32(pl + 20, s->tx_packets);
        n = 24;
        break;
    }
    case FBP_BYE_ACK:
        put32(pl, m->u.bye_ack.frames_done);
        n = 4;
        break;
    default:
        return FBP_ERR_ARG;
    }
    size_t payload = n + tail_n;
    size_t total = FBP_HEADER_SIZE + payload + FBP_CRC_SIZE;
    if (payload > FBP_MAX_PAYLOAD || total > cap)
        return FBP_ERR_ARG;
    out[0] = m->type;
    out[1] = 0;
    put16(out + 2, (uint16_t)payload);
    memcpy(out + FBP_HEADER_SIZE, pl, n);
    if (tail_n)
        memcpy(out + FBP_HEADER_SIZE + n, tail, tail_n);
    put32(out + FBP_HEADER_SIZE + payload, fbp_crc32(0, out, FBP_HEADER_SIZE + payload));
    return (int)total;
}

int fbp_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    if (!out || (!in && n) || cap < n + n / 254u + 2u)
        return FBP_ERR_ARG;
    size_t o = 0, i = 0;
    for (;;) {
        /* Up to the next 0x00 (or the end): full blocks of 254 bytes (code 0xFF, no implied zero),
         * then one block of the rest whose code implies the zero. */
        const uint8_t *z = i < n ? memchr(in + i, 0, n - i) : NULL;
        size_t end = z ? (size_t)(z - in) : n;
        bool full_last = false;
        while (end - i >= 254u) {
            out[o] = 0xFF;
            memcpy(out + o + 1, in + i, 254u);
            o += 255u;
            i += 254u;
            full_last = true;
        }
        if (!z && full_last && i == n)
            break; /* the data ended with a full block: nothing implied after it */
        size_t run = end - i;
        out[o] = (uint8_t)(run + 1u);
        if (run)
            memcpy(out + o + 1, in + i, run);
        o += run + 1u;
        i = end;
        if (!z)
            break;
        i++; /* the zero, implied by the code */
    }
    out[o++] = 0;
    return (int)o;
}

int fbp_encode(const fbp_msg *m, uint8_t *out, size_t cap, uint8_t *scratch, size_t scratch_cap)
{
    int n = fbp_pack(m, scratch, scratch_cap);
    if (n < 0)
        return n;
    return fbp_cobs_encode(scratch, (size_t)n, out, cap);
}

/* ---- unpacking ---------------------------------------------------------------------------- */

int fbp_unpack(const uint8_t *pkt, size_t len, fbp_msg *m)
{
    if (!pkt || !m)
        return FBP_ERR_ARG;
    if (len < FBP_HEADER_SIZE + FBP_CRC_SIZE)
        return FBP_ERR_TRUNCATED;
    if (len > FBP_MAX_RAW)
        return FBP_ERR_OVERSIZE;
    size_t payload = get16(pkt + 2);
    if (FBP_HEADER_SIZE + payload + FBP_CRC_SIZE > len)
        return FBP_ERR_TRUNCATED;
    if (FBP_HEADER_SIZE + payload + FBP_CRC_SIZE < len)
        return FBP_ERR_LENGTH;
    if (fbp_crc32(0, pkt, FBP_HEADER_SIZE + payload) != get32(pkt + FBP_HEADER_SIZE + payload))
        return FBP_ERR_CRC;
    if (pkt[1] != 0)
        return FBP_ERR_HEADER;
    uint8_t type = pkt[0];
    int fixed = fixed_size(type);
    if (fixed < 0)
        return FBP_ERR_TYPE;
    if (fixed > 0 && payload != (size_t)fixed)
        return FBP_ERR_PAYLOAD;
    const uint8_t *p = pkt + FBP_HEADER_SIZE;
    memset(m, 0, sizeof *m);
    m->type = type;
    switch (type) {
    case FBP_HELLO: {
        fbp_hello *h = &m->u.hello;
        h->magic = get32(p);
        h->major = p[4];
        h->minor = p[5];
        h->max_payload = get16(p + 6);
        h->caps = get32(p + 8);
        break;
    }
    case FBP_HELLO_ACK: {
        fbp_hello_ack *h = &m->u.hello_ack;
        if (payload < 13 || payload > 12 + FBP_NAME_MAX)
            return FBP_ERR_PAYLOAD;
        h->magic = get32(p);
        h->major = p[4];
        h->minor = p[5];
        h->max_payload = get16(p + 6);
        h->caps = get32(p + 8);
        memcpy(h->name, p + 12, payload - 12);
        h->name[payload - 12] = '\0';
        if (!printable(h->name, payload - 12))
            return FBP_ERR_PAYLOAD;
        break;
    }
    case FBP_CONFIG: {
        fbp_config *c = &m->u.config;
        c->api_version = get32(p);
        c->width = get16(p + 4);
        c->height = get16(p + 6);
        c->fps_milli = get32(p + 8);
        c->focal_px_milli = get32(p + 12);
        c->bb_x = get16(p + 16);
        c->bb_y = get16(p + 18);
        c->bb_w = get16(p + 20);
        c->bb_h = get16(p + 22);
        c->bb_set_ck = get16(p + 24);
        c->alarm_threshold_ck = get16(p + 26);
        c->body_offset_ck = get16(p + 28);
        c->chunk_bytes = get16(p + 30);
        c->flags = get32(p + 32);
        break;
    }
    case FBP_CONFIG_ACK:
        m->u.config_ack.result = (int32_t)get32(p);
        m->u.config_ack.state_bytes = get32(p + 4);
        break;
    case FBP_FRAME_START: {
        fbp_frame_start *f = &m->u.frame_start;
        f->frame_no = get32(p);
        f->flags = get32(p + 4);
        f->n_chunks = get16(p + 8);
        if (get16(p + 10) != 0)
            return FBP_ERR_PAYLOAD;
        f->crc32 = get32(p + 12);
        break;
    }
    case FBP_FRAME_CHUNK: {
        fbp_frame_chunk *c = &m->u.chunk;
        if (payload < FBP_CHUNK_HEADER + 2)
            return FBP_ERR_PAYLOAD;
        c->frame_no = get32(p);
        c->index = get16(p + 4);
        if (get16(p + 6) != 0)
            return FBP_ERR_PAYLOAD;
        c->n_bytes = (uint16_t)(payload - FBP_CHUNK_HEADER);
        c->data = p + FBP_CHUNK_HEADER;
        break;
    }
    case FBP_PING:
        m->u.ping.nonce = get32(p);
        break;
    case FBP_BYE:
        m->u.bye.reason = get32(p);
        break;
    case FBP_ERROR_BENCH:
    case FBP_ERROR_DUT: {
        fbp_error *e = &m->u.error;
        if (payload < 8 || payload > 8 + FBP_TEXT_MAX || p[3] != 0)
            return FBP_ERR_PAYLOAD;
        e->code = get16(p);
        e->fatal = p[2];
        e->frame_no = get32(p + 4);
        memcpy(e->text, p + 8, payload - 8);
        e->text[payload - 8] = '\0';
        if (!printable(e->text, payload - 8))
            return FBP_ERR_PAYLOAD;
        break;
    }
    case FBP_EVENT: {
        fbp_event *e = &m->u.event;
        e->kind = p[0];
        e->alarm = p[1];
        e->status = get16(p + 2);
        e->frame = get32(p + 4);
        e->track_id = get32(p + 8);
        e->box_x = get16(p + 12);
        e->box_y = get16(p + 14);
        e->box_w = get16(p + 16);
        e->box_h = get16(p + 18);
        e->skin_ck = get16(p + 20);
        e->body_ck = get16(p + 22);
        break;
    }
    case FBP_FRAME_DONE: {
        fbp_frame_done *d = &m->u.frame_done;
        d->frame_no = get32(p);
        d->n_events = get16(p + 4);
        d->result = (int16_t)get16(p + 6);
        d->proc_us = get32(p + 8);
        break;
    }
    case FBP_STATUS: {
        fbp_status *s = &m->u.status;
        s->nonce = get32(p);
        s->uptime_ms = get32(p + 4);
        s->frames_done = get32(p + 8);
        s->rx_packets = get32(p + 12);
        s->rx_errors = get32(p + 16);
        s->tx_packets = get32(p + 20);
        break;
    }
    case FBP_BYE_ACK:
        m->u.bye_ack.frames_done = get32(p);
        break;
    default:
        return FBP_ERR_TYPE;
    }
    return check_fields(m);
}

/* ---- incremental COBS decoder ------------------------------------------------------------- */

void fbp_decoder_init(fbp_decoder *d, uint8_t *buf, size_t cap)
{
    d->buf = buf;
    d->cap = cap;
    d->len = 0;
    d->left = 0;
    d->zero_pending = false;
    d->started = false;
    d->overflow = false;
}

static void dec_append(fbp_decoder *d, uint8_t b)
{
    if (d->len < d->cap)
        d->buf[d->len++] = b;
    else
        d->overflow = true;
}

int fbp_decoder_put(fbp_decoder *d, uint8_t byte)
{
    if (byte == 0) {
        bool started = d->started, overflow = d->overflow, open_block = d->left != 0;
        size_t len = d->len;
        d->len = 0;
        d->left = 0;
        d->zero_pending = false;
        d->started = false;
        d->overflow = false;
        if (!started)
            return 0; /* empty packet: a resynchronisation byte, ignored */
        if (overflow)
            return FBP_ERR_OVERSIZE;
        if (open_block)
            return FBP_ERR_COBS;
        return len ? (int)len : FBP_ERR_TRUNCATED;
    }
    d->started = true;
    if (d->left == 0) { /* a code byte */
        if (d->zero_pending)
            dec_append(d, 0);
        d->left = (uint8_t)(byte - 1u);
        d->zero_pending = byte != 0xFFu;
    } else {
        dec_append(d, byte);
        d->left--;
    }
    return 0;
}

int fbp_decoder_feed(fbp_decoder *d, const uint8_t *in, size_t n, size_t *used)
{
    size_t i = 0;
    while (i < n) {
        if (d->left == 0 || in[i] == 0) { /* a code byte or a delimiter */
            int r = fbp_decoder_put(d, in[i++]);
            if (r != 0) {
                *used = i;
                return r;
            }
            continue;
        }
        /* Inside a block: copy its data bytes up to the first 0x00 (a cut block) at once. */
        size_t span = n - i < d->left ? n - i : d->left;
        const uint8_t *z = memchr(in + i, 0, span);
        if (z)
            span = (size_t)(z - (in + i));
        size_t room = d->cap - d->len, k = span < room ? span : room;
        memcpy(d->buf + d->len, in + i, k);
        d->len += k;
        if (k < span)
            d->overflow = true;
        d->left = (uint8_t)(d->left - span);
        i += span;
    }
    *used = i;
    return 0;
}

/* ---- frame assembly ----------------------------------------------------------------------- */

int fbp_frame_rx_start(fbp_frame_rx *rx, const fbp_frame_start *fs, uint32_t frame_bytes,
                       uint16_t chunk_bytes)
{
    memset(rx, 0, sizeof *rx);
    if (chunk_bytes == 0 || fs->n_chunks == 0 ||
        fs->n_chunks != fbp_chunk_count(frame_bytes, chunk_bytes) || fs->crc32 != 0)
        return FBP_ERR_SEQUENCE;
    rx->active = true;
    rx->frame_no = fs->frame_no;
    rx->n_chunks = fs->n_chunks;
    rx->chunk_bytes = chunk_bytes;
    rx->frame_bytes = frame_bytes;
    return FBP_OK;
}

int fbp_frame_rx_chunk(fbp_frame_rx *rx, const fbp_frame_chunk *c, uint8_t *frame)
{
    if (!rx->active || c->frame_no != rx->frame_no || c->index != rx->next) {
        rx->active = false;
        return FBP_ERR_SEQUENCE;
    }
    uint32_t want = rx->frame_bytes - rx->got;
    if (want > rx->chunk_bytes)
        want = rx->chunk_bytes;
    if (c->n_bytes != want) {
        rx->active = false;
        return FBP_ERR_SEQUENCE;
    }
    memcpy(frame + rx->got, c->data, c->n_bytes);
    rx->got += c->n_bytes;
    rx->next++;
    if (rx->next < rx->n_chunks)
        return 0;
    rx->active = false;
    return 1;
}
