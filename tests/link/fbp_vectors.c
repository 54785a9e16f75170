/* fbp_vectors.c — the protocol's test vectors (proto/vectors/): writes them, and checks the codec
 * against them.
 *
 *   fbp_vectors --write DIR   regenerate DIR/NAME.hex and DIR/MANIFEST (on purpose only: say why in
 * the commit) fbp_vectors --check DIR   every vector decodes to what MANIFEST says, re-encodes to
 * the same bytes, every broken one is rejected with the listed error, and the files equal what this
 * program generates
 *
 * A .hex file holds the wire bytes of one packet (COBS, 0x00 delimiter included) or of a short
 * stream, as hex pairs; lines starting with '#' are comments. MANIFEST lines are
 * "FILE<TAB>EXPECTED" where EXPECTED is the decoded message in the canonical text of
 * docs/protocol.md ("EVENT kind=1 ..."), "error: <reason>" for a packet a receiver must reject,
 * or "frame: <outcome>" for a stream of FRAME_START + FRAME_CHUNKs run through frame assembly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fbp.h"
#include "fbtest.h"

#define MAX_VEC   40
#define MAX_BYTES 8192

typedef struct vec {
    char file[48];
    char expect[400];
    uint8_t bytes[MAX_BYTES];
    size_t n;
    const char *comment;
} vec;

static vec vecs[MAX_VEC];
static size_t n_vecs;

/* ---- canonical text of a message (docs/protocol.md, "Test vectors") --------------------- */

static void format_msg(const fbp_msg *m, char *b, size_t n)
{
    const char *t = fbp_type_name(m->type);
    switch (m->type) {
    case FBP_HELLO:
        snprintf(b, n, "%s magic=0x%08X major=%u minor=%u max_payload=%u caps=0x%X", t,
                 (unsigned)m->u.hello.magic, (unsigned)m->u.hello.major, (unsigned)m->u.hello.minor,
                 (unsigned)m->u.hello.max_payload, (unsigned)m->u.hello.caps);
        break;
    case FBP_HELLO_ACK:
        snprintf(b, n, "%s magic=0x%08X major=%u minor=%u max_payload=%u caps=0x%X name=\"%s\"", t,
                 (unsigned)m->u.hello_ack.magic, (unsigned)m->u.hello_ack.major,
                 (unsigned)m->u.hello_ack.minor, (unsigned)m->u.hello_ack.max_payload,
                 (unsigned)m->u.hello_ack.caps, m->u.hello_ack.name);
        break;
    case FBP_CONFIG: {
        const fbp_config *c = &m->u.config;
        snprintf(b, n,
                 "%s api_version=%u width=%u height=%u fps_milli=%u focal_px_milli=%u bb_x=%u "
                 "bb_y=%u bb_w=%u bb_h=%u bb_set_ck=%u alarm_threshold_ck=%u body_offset_ck=%u "
                 "chunk_bytes=%u flags=0x%X",
                 t, (unsigned)c->api_version, (unsigned)c->width, (unsigned)c->height,
                 (unsigned)c->fps_milli, (unsigned)c->focal_px_milli, (unsigned)c->bb_x,
                 (unsigned)c->bb_y, (unsigned)c->bb_w, (unsigned)c->bb_h, (unsigned)c->bb_set_ck,
                 (unsigned)c->alarm_threshold_ck, (unsigned)c->body_offset_ck,
                 (unsigned)c->chunk_bytes, (unsigned)c->flags);
        break;
    }
    case FBP_CONFIG_ACK:
        snprintf(b, n, "%s result=%d state_bytes=%u", t, (int)m->u.config_ack.result,
                 (unsigned)m->u.config_ack.state_bytes);
        break;
    case FBP_FRAME_START:
        snprintf(b, n, "%s frame_no=%u flags=0x%X n_chunks=%u crc32=0x%08X", t,
                 (unsigned)m->u.frame_start.frame_no, (unsigned)m->u.frame_start.flags,
                 (unsigned)m->u.frame_start.n_chunks, (unsigned)m->u.frame_start.crc32);
        break;
    case FBP_FRAME_CHUNK:
        snprintf(b, n, "%s frame_no=%u index=%u n_bytes=%u data_crc32=0x%08X", t,
                 (unsigned)m->u.chunk.frame_no, (unsigned)m->u.chunk.index,
                 (unsigned)m->u.chunk.n_bytes,
                 (unsigned)fbp_crc32(0, m->u.chunk.data, m->u.chunk.n_bytes));
        break;
    case FBP_PING:
        snprintf(b, n, "%s nonce=0x%08X", t, (unsigned)m->u.ping.nonce);
        break;
    case FBP_BYE:
        snprintf(b, n, "%s reason=%u", t, (unsigned)m->u.bye.reason);
        break;
    case FBP_ERROR_BENCH:
    case FBP_ERROR_DUT:
        snprintf(b, n, "%s(0x%02X) code=%u fatal=%u frame_no=%u text=\"%s\"", t, (unsigned)m->type,
                 (unsigned)m->u.error.code, (unsigned)m->u.error.fatal,
                 (unsigned)m->u.error.frame_no, m->u.error.text);
        break;
    case FBP_EVENT: {
        const fbp_event *e = &m->u.event;
        snprintf(b, n,
                 "%s kind=%u alarm=%u status=%u frame=%u track_id=%u box=%u,%u,%u,%u skin_ck=%u "
                 "body_ck=%u",
                 t, (unsigned)e->kind, (unsigned)e->alarm, (unsigned)e->status, (unsigned)e->frame,
                 (unsigned)e->track_id, (unsigned)e->box_x, (unsigned)e->box_y, (unsigned)e->box_w,
                 (unsigned)e->box_h, (unsigned)e->skin_ck, (unsigned)e->body_ck);
        break;
    }
    case FBP_FRAME_DONE:
        snprintf(b, n, "%s frame_no=%u n_events=%u result=%d proc_us=%u", t,
                 (unsigned)m->u.frame_done.frame_no, (unsigned)m->u.frame_done.n_events,
                 (int)m->u.frame_done.result, (unsigned)m->u.frame_done.proc_us);
        break;
    case FBP_STATUS: {
        const fbp_status *s = &m->u.status;
        snprintf(b, n,
                 "%s nonce=0x%08X uptime_ms=%u frames_done=%u rx_packets=%u rx_errors=%u "
                 "tx_packets=%u",
                 t, (unsigned)s->nonce, (unsigned)s->uptime_ms, (unsigned)s->frames_done,
                 (unsigned)s->rx_packets, (unsigned)s->rx_errors, (unsigned)s->tx_packets);
        break;
    }
    case FBP_BYE_ACK:
        snprintf(b, n, "%s frames_done=%u", t, (unsigned)m->u.bye_ack.frames_done);
        break;
    default:
        snprintf(b, n, "? type=0x%02X", (unsigned)m->type);
        break;
    }
}

/* ---- building the vectors ------------------------------------------------------------------ */

static uint8_t raw[FBP_MAX_RAW + 1024];

static vec *new_vec(const char *file, const char *comment)
{
    vec *v = &vecs[n_vecs++];
    memset(v, 0, sizeof *v);
    snprintf(v->file, sizeof v->file, "%s", file);
    v->comment = comment;
    return v;
}

static void good(const char *file, const char *comment, const fbp_msg *m)
{
    vec *v = new_vec(file, comment);
    uint8_t scratch[FBP_MAX_RAW];
    int n = fbp_encode(m, v->bytes, sizeof v->bytes, scratch, sizeof scratch);
    CHECK(n > 0);
    v->n = n > 0 ? (size_t)n : 0;
    format_msg(m, v->expect, sizeof v->expect);
}

/* A raw packet (header + payload given, CRC computed unless crc_xor), COBS-encoded. */
static void bad_raw(const char *file, const char *comment, const uint8_t *pkt, size_t n,
                    uint32_t crc_xor, int err)
{
    vec *v = new_vec(file, comment);
    memcpy(raw, pkt, n);
    uint32_t crc = fbp_crc32(0, raw, n) ^ crc_xor;
    for (int i = 0; i < 4; i++)
        raw[n + (size_t)i] = (uint8_t)(crc >> (8 * i));
    int k = fbp_cobs_encode(raw, n + 4, v->bytes, sizeof v->bytes);
    CHECK(k > 0);
    v->n = k > 0 ? (size_t)k : 0;
    snprintf(v->expect, sizeof v->expect, "error: %s", fbp_strerror(err));
}

static void bad_bytes(const char *file, const char *comment, const uint8_t *b, size_t n, int err)
{
    vec *v = new_vec(file, comment);
    memcpy(v->bytes, b, n);
    v->n = n;
    snprintf(v->expect, sizeof v->expect, "error: %s", fbp_strerror(err));
}

/* Packs m, then lets edit change the decoded packet (CRC recomputed), COBS-encodes. */
static void bad_edit(const char *file, const char *comment, const fbp_msg *m, size_t at,
                     uint8_t value, int err)
{
    uint8_t pkt[FBP_MAX_RAW];
    int n = fbp_pack(m, pkt, sizeof pkt);
    CHECK(n > 8);
    pkt[at] = value;
    bad_raw(file, comment, pkt, (size_t)n - 4, 0, err);
}

static void append(vec *v, const fbp_msg *m)
{
    uint8_t scratch[FBP_MAX_RAW];
    int n = fbp_encode(m, v->bytes + v->n, sizeof v->bytes - v->n, scratch, sizeof scratch);
    CHECK(n > 0);
    v->n += n > 0 ? (size_t)n : 0;
}

/* A 4x2-pixel frame (16 bytes) in chunks of chunk_bytes, in the given chunk order. */
static void frame_stream(const char *file, const char *comment, uint16_t chunk_bytes,
                         const int *order, int n_order, const char *outcome)
{
    static const uint16_t px[8] = {29315, 29316, 0, 31000, 30815, 256, 65535, 1};
    uint8_t le[16];
    for (int i = 0; i < 8; i++) {
        le[2 * i] = (uint8_t)(px[i] & 0xFFu);
        le[2 * i + 1] = (uint8_t)(px[i] >> 8);
    }
    vec *v = new_vec(file, comment);
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_START;
    m.u.frame_start.frame_no = 7;
    m.u.frame_start.n_chunks = (uint16_t)fbp_chunk_count(16, chunk_bytes);
    m.u.frame_start.crc32 = 0; /* chunks carry their own CRCs */
    append(v, &m);
    for (int i = 0; i < n_order; i++) {
        int k = order[i];
        fbp_msg c;
        memset(&c, 0, sizeof c);
        c.type = FBP_FRAME_CHUNK;
        c.u.chunk.frame_no = 7;
        c.u.chunk.index = (uint16_t)k;
        uint32_t off = (uint32_t)k * chunk_bytes;
        c.u.chunk.n_bytes = (uint16_t)(off + chunk_bytes <= 16 ? chunk_bytes : 16 - off);
        c.u.chunk.data = le + off;
        append(v, &c);
    }
    snprintf(v->expect, sizeof v->expect, "frame: %s", outcome);
}

static void build(void)
{
    fbp_msg m;
    n_vecs = 0;

    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO;
    m.u.hello = (fbp_hello){FBP_MAGIC, 1, 0, FBP_MAX_PAYLOAD, FBP_CAP_FRAME_PORT};
    good("hello.hex", "bench -> DUT: HELLO offering a frame port", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO_ACK;
    m.u.hello_ack.magic = FBP_MAGIC;
    m.u.hello_ack.major = 1;
    m.u.hello_ack.max_payload = FBP_MAX_PAYLOAD;
    m.u.hello_ack.caps = 0;
    snprintf(m.u.hello_ack.name, sizeof m.u.hello_ack.name, "feverbench-reference 0.1");
    good("hello_ack.hex", "DUT -> bench: HELLO_ACK, no frame port", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG;
    m.u.config = (fbp_config){.api_version = 1,
                              .width = 256,
                              .height = 192,
                              .fps_milli = 25000,
                              .focal_px_milli = 587654,
                              .bb_x = 196,
                              .bb_y = 40,
                              .bb_w = 21,
                              .bb_h = 21,
                              .bb_set_ck = 30815,
                              .alarm_threshold_ck = 31115,
                              .body_offset_ck = 124,
                              .chunk_bytes = 1024,
                              .flags = 0};
    good("config.hex", "bench -> DUT: CONFIG for a 256x192 camera at 25 fps", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG_ACK;
    m.u.config_ack = (fbp_config_ack){0, 212992};
    good("config_ack.hex", "DUT -> bench: CONFIG_ACK, accepted", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG_ACK;
    m.u.config_ack = (fbp_config_ack){-3, 0};
    good("config_ack_rejected.hex", "DUT -> bench: CONFIG_ACK, configuration rejected (-3)", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_START;
    m.u.frame_start =
        (fbp_frame_start){.frame_no = 1234, .flags = FBP_FRAME_FROZEN, .n_chunks = 96, .crc32 = 0};
    good("frame_start.hex", "bench -> DUT: FRAME_START, shutter closed, 96 chunks follow", &m);
    m.u.frame_start =
        (fbp_frame_start){.frame_no = 1235, .flags = 0, .n_chunks = 0, .crc32 = 0xDEADBEEFu};
    good("frame_start_port.hex", "bench -> DUT: FRAME_START, pixels on the frame port", &m);

    static uint8_t data[FBP_CHUNK_MAX_DATA];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)((i * 7u) % 251u); /* zeros every 251 bytes: COBS blocks of all kinds */
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_CHUNK;
    m.u.chunk = (fbp_frame_chunk){.frame_no = 1234, .index = 3, .n_bytes = 16, .data = data};
    good("frame_chunk.hex", "bench -> DUT: a 16-byte FRAME_CHUNK", &m);
    m.u.chunk.index = 95;
    m.u.chunk.n_bytes = FBP_CHUNK_MAX_DATA;
    good("frame_chunk_max.hex", "bench -> DUT: the largest FRAME_CHUNK (1024 pixel bytes)", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_PING;
    m.u.ping.nonce = 0x5EEDF00Du;
    good("ping.hex", "bench -> DUT: PING", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_BYE;
    m.u.bye.reason = 0;
    good("bye.hex", "bench -> DUT: BYE, run complete", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_ERROR_BENCH;
    m.u.error.code = 5;
    m.u.error.fatal = 1;
    m.u.error.frame_no = 0xFFFFFFFFu;
    snprintf(m.u.error.text, sizeof m.u.error.text, "bad CRC");
    good("error_bench.hex", "bench -> DUT: ERROR, fatal, no frame", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_EVENT;
    m.u.event = (fbp_event){.kind = 1,
                            .alarm = 1,
                            .status = 0,
                            .frame = 1230,
                            .track_id = 17,
                            .box_x = 120,
                            .box_y = 60,
                            .box_w = 34,
                            .box_h = 49,
                            .skin_ck = 30985,
                            .body_ck = 31109};
    good("event_measurement.hex", "DUT -> bench: a measurement with an alarm", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_EVENT;
    m.u.event = (fbp_event){.kind = 2, .status = 1, .frame = 40};
    good("event_status.hex", "DUT -> bench: a status event (blackbody lost)", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_DONE;
    m.u.frame_done = (fbp_frame_done){.frame_no = 1234, .n_events = 1, .result = 0, .proc_us = 850};
    good("frame_done.hex", "DUT -> bench: FRAME_DONE with one event", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_STATUS;
    m.u.status = (fbp_status){0x5EEDF00Du, 61000, 1500, 1503, 0, 1510};
    good("status.hex", "DUT -> bench: STATUS answering PING", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_BYE_ACK;
    m.u.bye_ack.frames_done = 1500;
    good("bye_ack.hex", "DUT -> bench: BYE_ACK", &m);

    memset(&m, 0, sizeof m);
    m.type = FBP_ERROR_DUT;
    m.u.error.code = 9;
    m.u.error.fatal = 0;
    m.u.error.frame_no = 12;
    snprintf(m.u.error.text, sizeof m.u.error.text, "chunk out of order");
    good("error_dut.hex", "DUT -> bench: ERROR, not fatal, frame 12", &m);

    /* ---- broken packets: each must be rejected with the error named ---- */
    fbp_msg ev;
    memset(&ev, 0, sizeof ev);
    ev.type = FBP_EVENT;
    ev.u.event = (fbp_event){.kind = 1,
                             .frame = 3,
                             .track_id = 1,
                             .box_x = 1,
                             .box_y = 1,
                             .box_w = 10,
                             .box_h = 10,
                             .skin_ck = 30900,
                             .body_ck = 31024};
    uint8_t pkt[FBP_MAX_RAW];
    int pn = fbp_pack(&ev, pkt, sizeof pkt);
    bad_raw("bad_crc.hex", "an EVENT whose CRC has one bit flipped", pkt, (size_t)pn - 4,
            0x00000100u, FBP_ERR_CRC);
    {
        /* FRAME_DONE cut 3 bytes short (its CRC recomputed, so only the length tells). */
        fbp_msg d;
        memset(&d, 0, sizeof d);
        d.type = FBP_FRAME_DONE;
        d.u.frame_done.frame_no = 9;
        uint8_t p2[FBP_MAX_RAW];
        int n2 = fbp_pack(&d, p2, sizeof p2);
        bad_raw("truncated.hex", "FRAME_DONE whose payload lost 3 bytes (length field says 12)", p2,
                (size_t)n2 - 4 - 3, 0, FBP_ERR_TRUNCATED);
        uint8_t p3[FBP_MAX_RAW];
        memcpy(p3, p2, (size_t)n2 - 4);
        p3[(size_t)n2 - 4] = 0xAA; /* one byte more than the length field says */
        bad_raw("trailing_byte.hex", "FRAME_DONE with one byte after its payload", p3,
                (size_t)n2 - 3, 0, FBP_ERR_LENGTH);
    }
    {
        static uint8_t big[4 + 1500];
        memset(big, 0x5A, sizeof big);
        big[0] = FBP_EVENT;
        big[1] = 0;
        big[2] = (uint8_t)(1500u & 0xFFu);
        big[3] = (uint8_t)(1500u >> 8);
        bad_raw("oversize.hex", "a packet with a 1500-byte payload (limit 1032)", big, sizeof big,
                0, FBP_ERR_OVERSIZE);
    }
    {
        uint8_t p[8] = {0x42, 0, 4, 0, 1, 2, 3, 4};
        bad_raw("unknown_type.hex", "type 0x42, well-formed otherwise", p, sizeof p, 0,
                FBP_ERR_TYPE);
        uint8_t q[9] = {FBP_PING, 0, 5, 0, 1, 2, 3, 4, 5};
        bad_raw("bad_payload_size.hex", "PING with a 5-byte payload (4 expected)", q, sizeof q, 0,
                FBP_ERR_PAYLOAD);
    }
    bad_edit("reserved_nonzero.hex", "an EVENT whose reserved header byte is 1", &ev, 1, 1,
             FBP_ERR_HEADER);
    bad_edit("event_alarm_2.hex", "an EVENT with alarm = 2 (0 or 1 allowed)", &ev, 5, 2,
             FBP_ERR_PAYLOAD);
    bad_edit("event_kind_9.hex", "an EVENT of unknown kind 9", &ev, 4, 9, FBP_ERR_PAYLOAD);
    {
        fbp_msg h;
        memset(&h, 0, sizeof h);
        h.type = FBP_HELLO;
        h.u.hello = (fbp_hello){FBP_MAGIC, 1, 0, FBP_MAX_PAYLOAD, 0};
        bad_edit("hello_bad_magic.hex", "HELLO whose magic is \"FBP2\"", &h, 7, '2',
                 FBP_ERR_PAYLOAD);
        fbp_msg a;
        memset(&a, 0, sizeof a);
        a.type = FBP_HELLO_ACK;
        a.u.hello_ack = (fbp_hello_ack){FBP_MAGIC, 1, 0, FBP_MAX_PAYLOAD, 0, "fw"};
        bad_edit("hello_ack_name_control.hex", "HELLO_ACK whose name holds a BEL (0x07)", &a, 17,
                 0x07, FBP_ERR_PAYLOAD);
    }
    {
        uint8_t b[] = {0x05, 0x01, 0x02, 0x00};
        bad_bytes("cobs_broken.hex", "a COBS block announcing 4 bytes, cut by the delimiter", b,
                  sizeof b, FBP_ERR_COBS);
        uint8_t s[] = {0x04, 0x85, 0x01, 0x02, 0x00};
        bad_bytes("too_short.hex", "3 bytes: shorter than a header and a CRC", s, sizeof s,
                  FBP_ERR_TRUNCATED);
    }

    /* ---- frame assembly: a 16-byte frame in 6-byte chunks (3 chunks: 6, 6, 4) ---- */
    static const int in_order[] = {0, 1, 2}, swapped[] = {0, 2, 1}, missing[] = {0, 2};
    frame_stream("frame_in_order.hex", "FRAME_START + 3 FRAME_CHUNKs (6, 6, 4 bytes), in order", 6,
                 in_order, 3, "complete");
    frame_stream("frame_out_of_order.hex", "FRAME_START + chunks 0, 2, 1", 6, swapped, 3,
                 fbp_strerror(FBP_ERR_SEQUENCE));
    frame_stream("frame_missing_chunk.hex", "FRAME_START + chunks 0, 2 (1 lost)", 6, missing, 2,
                 fbp_strerror(FBP_ERR_SEQUENCE));
}

/* ---- reading and checking ------------------------------------------------------------------ */

static int write_all(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%.900s/MANIFEST", dir);
    FILE *mf = fopen(path, "w");
    if (!mf) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(mf,
            "# feverbench link protocol %u.%u test vectors (docs/protocol.md, \"Test vectors\").\n"
            "# FILE<TAB>EXPECTED: the decoded message, \"error: REASON\" (reject), or\n"
            "# \"frame: OUTCOME\" (FRAME_START + FRAME_CHUNKs through frame assembly).\n"
            "# Generated by tests/link/fbp_vectors.c --write; checked by --check.\n",
            FBP_VERSION_MAJOR, FBP_VERSION_MINOR);
    for (size_t i = 0; i < n_vecs; i++) {
        const vec *v = &vecs[i];
        fprintf(mf, "%s\t%s\n", v->file, v->expect);
        snprintf(path, sizeof path, "%.900s/%.47s", dir, v->file);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            fclose(mf);
            return 1;
        }
        fprintf(f, "# %s\n# %zu bytes on the wire (COBS, 0x00 delimiter included)\n", v->comment,
                v->n);
        for (size_t k = 0; k < v->n; k++)
            fprintf(f, "%02x%s", v->bytes[k], (k % 16 == 15 || k + 1 == v->n) ? "\n" : " ");
        fclose(f);
    }
    fclose(mf);
    printf("wrote %zu vectors to %s\n", n_vecs, dir);
    return 0;
}

static size_t read_hex(const char *path, uint8_t *out, size_t cap, int *ok)
{
    FILE *f = fopen(path, "r");
    *ok = 0;
    if (!f)
        return 0;
    char line[512];
    size_t n = 0;
    *ok = 1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *p = line;
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            if (!*p)
                break;
            char *end;
            unsigned long b = strtoul(p, &end, 16);
            if (end == p || b > 0xFF || n >= cap) {
                *ok = 0;
                break;
            }
            out[n++] = (uint8_t)b;
            p = end;
        }
    }
    fclose(f);
    return n;
}

/* What a receiver makes of bytes: the canonical text, "error: ...", or "frame: ...". */
static void receive(const uint8_t *b, size_t n, bool frame_mode, char *out, size_t out_len)
{
    static uint8_t buf[FBP_MAX_RAW];
    static uint8_t frame[64];
    fbp_decoder d;
    fbp_decoder_init(&d, buf, sizeof buf);
    fbp_frame_rx rx;
    memset(&rx, 0, sizeof rx);
    snprintf(out, out_len, "nothing");
    for (size_t i = 0; i < n; i++) {
        int k = fbp_decoder_put(&d, b[i]);
        if (k == 0)
            continue;
        if (k < 0) {
            snprintf(out, out_len, "error: %s", fbp_strerror(k));
            return;
        }
        fbp_msg m;
        int rc = fbp_unpack(buf, (size_t)k, &m);
        if (rc < 0) {
            snprintf(out, out_len, "error: %s", fbp_strerror(rc));
            return;
        }
        if (!frame_mode) {
            format_msg(&m, out, out_len);
            /* Byte-exact the other way: packing the decoded message gives the same bytes. */
            uint8_t again[FBP_MAX_WIRE], scratch[FBP_MAX_RAW];
            int e = fbp_encode(&m, again, sizeof again, scratch, sizeof scratch);
            if (e != (int)n || memcmp(again, b, n) != 0)
                snprintf(out, out_len, "re-encoding differs");
            return;
        }
        if (m.type == FBP_FRAME_START) {
            rc = fbp_frame_rx_start(&rx, &m.u.frame_start, 16, 6);
        } else if (m.type == FBP_FRAME_CHUNK) {
            rc = fbp_frame_rx_chunk(&rx, &m.u.chunk, frame);
            if (rc == 1) {
                snprintf(out, out_len, "frame: complete");
                return;
            }
        }
        if (rc < 0) {
            snprintf(out, out_len, "frame: %s", fbp_strerror(rc));
            return;
        }
    }
    if (frame_mode)
        snprintf(out, out_len, "frame: %s", fbp_strerror(FBP_ERR_SEQUENCE)); /* incomplete */
}

static int check_all(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%.900s/MANIFEST", dir);
    FILE *mf = fopen(path, "r");
    CHECK(mf != NULL);
    if (!mf) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return FBTEST_END();
    }
    char line[600];
    size_t listed = 0;
    while (fgets(line, sizeof line, mf)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        CHECK(tab != NULL);
        if (!tab)
            continue;
        *tab = '\0';
        const char *file = line, *expect = tab + 1;
        listed++;
        snprintf(path, sizeof path, "%.900s/%.100s", dir, file);
        static uint8_t bytes[MAX_BYTES];
        int ok;
        size_t n = read_hex(path, bytes, sizeof bytes, &ok);
        CHECK(ok);
        char got[400];
        receive(bytes, n, strncmp(expect, "frame: ", 7) == 0, got, sizeof got);
        if (strcmp(got, expect) != 0) {
            fprintf(stderr, "%s: expected \"%s\"\n%*s  got      \"%s\"\n", file, expect,
                    (int)strlen(file), "", got);
            CHECK(0);
        } else {
            CHECK(1);
        }
        /* The committed file equals what the generator makes. */
        const vec *v = NULL;
        for (size_t i = 0; i < n_vecs; i++)
            if (strcmp(vecs[i].file, file) == 0)
                v = &vecs[i];
        CHECK(v != NULL);
        if (v && (v->n != n || memcmp(v->bytes, bytes, n) != 0 || strcmp(v->expect, expect))) {
            fprintf(stderr, "%s: differs from what fbp_vectors generates (regenerate on purpose)\n",
                    file);
            CHECK(0);
        }
    }
    fclose(mf);
    CHECK_EQ_INT(listed, n_vecs);
    return FBTEST_END();
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "--write") && strcmp(argv[1], "--check"))) {
        fprintf(stderr, "usage: fbp_vectors --write|--check DIR\n");
        return 2;
    }
    build();
    if (strcmp(argv[1], "--write") == 0)
        return write_all(argv[2]) || fbtest_failures;
    return check_all(argv[2]);
}
