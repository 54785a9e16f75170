/* test_fw_link.c — the firmware's side of the protocol (firmware-under-test/link/) against a
 * scripted bench: handshake, frames in chunks and on the frame port, and every kind of bad input
 * answered with a counted ERROR and the frame reported lost — never a crash, never a hang. */
#include <stdlib.h>
#include "fbfw_link.h"
#include "fbtest.h"

#define W           32
#define H           16
#define FRAME_BYTES (W * H * 2)

typedef struct script {
    uint8_t in[1 << 16];
    size_t in_len, in_pos;
    uint8_t out[1 << 16];
    size_t out_len;
    uint8_t frame_port[FRAME_BYTES * 4];
    size_t fp_len, fp_pos;
    void *mem;
} script;

static script sc;

static int s_write(void *ctx, const uint8_t *buf, size_t n)
{
    script *s = ctx;
    if (s->out_len + n > sizeof s->out)
        return -1;
    memcpy(s->out + s->out_len, buf, n);
    s->out_len += n;
    return 0;
}

static long s_read(void *ctx, uint8_t *buf, size_t n)
{
    script *s = ctx;
    size_t k = s->in_len - s->in_pos;
    if (k > n)
        k = n;
    if (k > 7)
        k = 7; /* odd read sizes: packets straddle reads */
    memcpy(buf, s->in + s->in_pos, k);
    s->in_pos += k;
    return (long)k;
}

static int s_read_frame(void *ctx, uint8_t *buf, size_t n)
{
    script *s = ctx;
    if (s->fp_len - s->fp_pos < n)
        return -1;
    memcpy(buf, s->frame_port + s->fp_pos, n);
    s->fp_pos += n;
    return 0;
}

static void *s_alloc(void *ctx, size_t n)
{
    script *s = ctx;
    free(s->mem);
    s->mem = aligned_alloc(16, (n + 15) / 16 * 16);
    return s->mem;
}

static void put(const fbp_msg *m)
{
    uint8_t scratch[FBP_MAX_RAW];
    int n = fbp_encode(m, sc.in + sc.in_len, sizeof sc.in - sc.in_len, scratch, sizeof scratch);
    CHECK(n > 0);
    sc.in_len += n > 0 ? (size_t)n : 0;
}

static void put_bytes(const void *b, size_t n)
{
    memcpy(sc.in + sc.in_len, b, n);
    sc.in_len += n;
}

static uint8_t frame_le[FRAME_BYTES];

static void put_hello_config(uint32_t flags)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO;
    m.u.hello = (fbp_hello){FBP_MAGIC, 1, 0, FBP_MAX_PAYLOAD, FBP_CAP_FRAME_PORT};
    put(&m);
    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG;
    m.u.config = (fbp_config){.api_version = FBFW_API_VERSION,
                              .width = W,
                              .height = H,
                              .fps_milli = 25000,
                              .focal_px_milli = 100000,
                              .alarm_threshold_ck = 31115,
                              .body_offset_ck = 124,
                              .chunk_bytes = 100,
                              .flags = flags};
    put(&m);
}

static void put_frame(uint32_t frame_no, const int *order, int n_order, uint32_t crc)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_START;
    m.u.frame_start.frame_no = frame_no;
    m.u.frame_start.n_chunks = (uint16_t)fbp_chunk_count(FRAME_BYTES, 100);
    m.u.frame_start.crc32 = crc; /* 0 for frames in chunks */
    put(&m);
    for (int i = 0; i < n_order; i++) {
        uint32_t off = (uint32_t)order[i] * 100u;
        fbp_msg c;
        memset(&c, 0, sizeof c);
        c.type = FBP_FRAME_CHUNK;
        c.u.chunk = (fbp_frame_chunk){
            .frame_no = frame_no,
            .index = (uint16_t)order[i],
            .n_bytes = (uint16_t)(off + 100 <= FRAME_BYTES ? 100 : FRAME_BYTES - off),
            .data = frame_le + off};
        put(&c);
    }
}

/* Decodes everything the firmware wrote. */
static size_t replies(fbp_msg *out, size_t max)
{
    static uint8_t buf[FBP_MAX_RAW];
    fbp_decoder d;
    fbp_decoder_init(&d, buf, sizeof buf);
    size_t n = 0;
    for (size_t i = 0; i < sc.out_len && n < max; i++) {
        int k = fbp_decoder_put(&d, sc.out[i]);
        CHECK(k >= 0);
        if (k > 0) {
            CHECK_EQ_INT(fbp_unpack(buf, (size_t)k, &out[n]), FBP_OK);
            n++;
        }
    }
    return n;
}

static void reset(void)
{
    free(sc.mem);
    memset(&sc, 0, sizeof sc);
    for (int i = 0; i < W * H; i++) { /* a 25 °C scene: 29815 ck, little-endian */
        frame_le[2 * i] = (uint8_t)(29815 & 0xFF);
        frame_le[2 * i + 1] = (uint8_t)(29815 >> 8);
    }
}

static fbfw_link lk;

static void test_chunks_and_errors(void)
{
    reset();
    put_bytes("\x00\x13\x37", 3); /* noise before HELLO: counted, never answered */
    put_bytes("\x00", 1);
    put_hello_config(0);
    int nchunks = (int)fbp_chunk_count(FRAME_BYTES, 100); /* 11 */
    int order[16], swapped[16];
    for (int i = 0; i < nchunks; i++)
        order[i] = swapped[i] = i;
    swapped[3] = 4;
    swapped[4] = 3;
    put_frame(0, order, nchunks, 0);       /* good */
    put_frame(1, swapped, nchunks, 0);     /* out of order: lost */
    put_frame(2, order, nchunks, 0x1234u); /* a frame CRC on a chunked frame: lost */
    put_bytes("\x05\x11\x22\x00", 4);      /* broken COBS */
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_EVENT; /* a DUT-to-bench type sent to the DUT */
    m.u.event.kind = 1;
    put(&m);
    memset(&m, 0, sizeof m);
    m.type = FBP_PING;
    m.u.ping.nonce = 77;
    put(&m);
    memset(&m, 0, sizeof m);
    m.type = FBP_BYE;
    put(&m);
    fbfw_port port = {.ctx = &sc,
                      .write = s_write,
                      .read = s_read,
                      .read_frame = NULL,
                      .alloc = s_alloc,
                      .now_us = NULL};
    CHECK_EQ_INT(fbfw_link_run(&lk, &port, NULL, NULL), 0);

    fbp_msg r[64];
    size_t n = replies(r, 64);
    size_t i = 0;
    CHECK(n >= 2);
    CHECK_EQ_INT(r[i].type, FBP_HELLO_ACK);
    CHECK_EQ_INT(r[i].u.hello_ack.caps, 0); /* no frame port on this port */
    CHECK_STR_CONTAINS(r[i].u.hello_ack.name, "reference");
    i++;
    CHECK_EQ_INT(r[i].type, FBP_CONFIG_ACK);
    CHECK_EQ_INT(r[i].u.config_ack.result, 0);
    i++;
    while (i < n && r[i].type == FBP_EVENT)
        i++;
    CHECK(i < n && r[i].type == FBP_FRAME_DONE && r[i].u.frame_done.frame_no == 0 &&
          r[i].u.frame_done.result == 0 && r[i].u.frame_done.proc_us == 0xFFFFFFFFu);
    i++;
    CHECK(i + 1 < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.code == 9 &&
          r[i].u.error.frame_no == 1 && r[i].u.error.fatal == 0);
    CHECK(i + 1 < n && r[i + 1].type == FBP_FRAME_DONE && r[i + 1].u.frame_done.frame_no == 1 &&
          r[i + 1].u.frame_done.result == FBFW_LINK_FRAME_LOST);
    i += 2;
    /* the rest of frame 1's chunks: each refused as outside a frame */
    while (i < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.frame_no == 1)
        i++;
    CHECK(i + 1 < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.code == 9 &&
          r[i].u.error.frame_no == 2 && r[i + 1].type == FBP_FRAME_DONE &&
          r[i + 1].u.frame_done.result == FBFW_LINK_FRAME_LOST);
    i += 2;
    while (i < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.frame_no == 2)
        i++;
    CHECK(i < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.code == 2); /* broken COBS */
    i++;
    CHECK(i < n && r[i].type == FBP_ERROR_DUT && r[i].u.error.code == 7); /* EVENT to a DUT */
    i++;
    CHECK(i < n && r[i].type == FBP_STATUS && r[i].u.status.nonce == 77 &&
          r[i].u.status.frames_done == 1 && r[i].u.status.rx_errors >= 4);
    i++;
    CHECK(i < n && r[i].type == FBP_BYE_ACK && r[i].u.bye_ack.frames_done == 1);
    CHECK_EQ_INT(i + 1, n);
}

static void test_frame_port(void)
{
    reset();
    put_hello_config(FBP_CFG_FRAME_PORT);
    fbp_msg m;
    for (uint32_t f = 0; f < 3; f++) {
        memset(&m, 0, sizeof m);
        m.type = FBP_FRAME_START;
        m.u.frame_start.frame_no = f;
        m.u.frame_start.crc32 = fbp_crc32(0, frame_le, FRAME_BYTES) ^ (f == 1 ? 1u : 0u);
        put(&m);
        memcpy(sc.frame_port + sc.fp_len, frame_le, FRAME_BYTES);
        sc.fp_len += FRAME_BYTES;
    }
    /* frame 3 announced, but the frame port has nothing: lost, not a hang */
    m.u.frame_start.frame_no = 3;
    put(&m);
    fbfw_port port = {.ctx = &sc,
                      .write = s_write,
                      .read = s_read,
                      .read_frame = s_read_frame,
                      .alloc = s_alloc,
                      .now_us = NULL};
    /* no BYE: the run ends with the input */
    CHECK_EQ_INT(fbfw_link_run(&lk, &port, NULL, NULL), 1);
    fbp_msg r[64];
    size_t n = replies(r, 64);
    int done_ok = 0, lost = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].type == FBP_HELLO_ACK)
            CHECK_EQ_INT(r[i].u.hello_ack.caps, FBP_CAP_FRAME_PORT);
        if (r[i].type == FBP_FRAME_DONE && r[i].u.frame_done.result == 0)
            done_ok++;
        if (r[i].type == FBP_FRAME_DONE && r[i].u.frame_done.result == FBFW_LINK_FRAME_LOST)
            lost++;
    }
    CHECK_EQ_INT(done_ok, 2);
    CHECK_EQ_INT(lost, 2);
}

static void test_bad_config(void)
{
    reset();
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO;
    m.u.hello = (fbp_hello){FBP_MAGIC, 1, 0, FBP_MAX_PAYLOAD, 0};
    put(&m);
    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG; /* 8x8: smaller than the reference firmware supports */
    m.u.config = (fbp_config){.api_version = FBFW_API_VERSION,
                              .width = 8,
                              .height = 8,
                              .fps_milli = 25000,
                              .focal_px_milli = 100000,
                              .chunk_bytes = 64};
    put(&m);
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_START;
    put(&m);
    fbfw_port port = {.ctx = &sc,
                      .write = s_write,
                      .read = s_read,
                      .read_frame = NULL,
                      .alloc = s_alloc,
                      .now_us = NULL};
    CHECK_EQ_INT(fbfw_link_run(&lk, &port, NULL, NULL), 1);
    fbp_msg r[8];
    size_t n = replies(r, 8);
    CHECK(n >= 4);
    CHECK(r[1].type == FBP_CONFIG_ACK && r[1].u.config_ack.result < 0);
    CHECK(r[2].type == FBP_ERROR_DUT); /* frame before a configuration that worked */
    CHECK(r[3].type == FBP_FRAME_DONE && r[3].u.frame_done.result == FBFW_ERR_STATE);
}

int main(void)
{
    test_chunks_and_errors();
    test_frame_port();
    test_bad_config();
    free(sc.mem);
    return FBTEST_END();
}
