/* test_proto_codec.c — the protocol codec (proto/fbp.c): CRC and COBS reference values, every
 * message round-trips, every bound is enforced, and no input — random, oversized, cut, corrupted —
 * can make it write out of bounds or crash (run it under ASan). */
#include <stdlib.h>
#include "fbp.h"
#include "fbtest.h"

static uint32_t rng = 12345u;
static uint8_t rnd8(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (uint8_t)rng;
}

/* Bitwise CRC-32C, the definition itself, to check the tables and the hardware path against. */
static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return ~c;
}

static void test_crc(void)
{
    CHECK_EQ_INT(fbp_crc32(0, "123456789", 9), 0xE3069283u); /* the CRC-32C check value */
    CHECK_EQ_INT(fbp_crc32(0, "", 0), 0);
    CHECK_EQ_INT(fbp_crc32(0, "a", 1), 0xC1D04330u);
    /* chaining equals one pass */
    CHECK_EQ_INT(fbp_crc32(fbp_crc32(0, "12345", 5), "6789", 4), 0xE3069283u);
    /* every length and alignment against the definition */
    static uint8_t buf[600];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = rnd8();
    for (size_t off = 0; off < 9; off++)
        for (size_t n = 0; n + off <= sizeof buf; n += 1 + n / 8)
            CHECK_EQ_INT(fbp_crc32(0, buf + off, n), crc_bitwise(buf + off, n));
}

/* COBS reference examples (Cheshire & Baker 1999; the Wikipedia table). */
static void test_cobs(void)
{
    static const struct {
        uint8_t in[8];
        size_t n;
        uint8_t out[10];
        size_t m;
    } ex[] = {
        {{0x00}, 1, {0x01, 0x01, 0x00}, 3},
        {{0x00, 0x00}, 2, {0x01, 0x01, 0x01, 0x00}, 4},
        {{0x00, 0x11, 0x00}, 3, {0x01, 0x02, 0x11, 0x01, 0x00}, 5},
        {{0x11, 0x22, 0x00, 0x33}, 4, {0x03, 0x11, 0x22, 0x02, 0x33, 0x00}, 6},
        {{0x11, 0x22, 0x33, 0x44}, 4, {0x05, 0x11, 0x22, 0x33, 0x44, 0x00}, 6},
        {{0x11, 0x00, 0x00, 0x00}, 4, {0x02, 0x11, 0x01, 0x01, 0x01, 0x00}, 6},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        uint8_t out[16];
        int n = fbp_cobs_encode(ex[i].in, ex[i].n, out, sizeof out);
        CHECK_EQ_INT(n, ex[i].m);
        CHECK(n > 0 && memcmp(out, ex[i].out, ex[i].m) == 0);
        uint8_t buf[16];
        fbp_decoder d;
        fbp_decoder_init(&d, buf, sizeof buf);
        int got = 0;
        for (size_t k = 0; k < ex[i].m; k++)
            got = fbp_decoder_put(&d, ex[i].out[k]);
        CHECK_EQ_INT(got, ex[i].n);
        CHECK(memcmp(buf, ex[i].in, ex[i].n) == 0);
    }
    /* 254 and 255 non-zero bytes: the 0xFF block code on both sides of its boundary. */
    for (size_t len = 250; len <= 600; len++) {
        static uint8_t in[600], out[700], buf[700];
        for (size_t k = 0; k < len; k++)
            in[k] = (uint8_t)(1 + k % 255);
        if (len % 7 == 0)
            in[len / 2] = 0;
        int n = fbp_cobs_encode(in, len, out, sizeof out);
        CHECK(n > 0 && (size_t)n <= len + len / 254 + 2);
        for (int k = 0; k < n - 1; k++)
            if (out[k] == 0)
                CHECK(0);
        fbp_decoder d;
        fbp_decoder_init(&d, buf, sizeof buf);
        int got = 0;
        for (int k = 0; k < n; k++)
            got = fbp_decoder_put(&d, out[k]);
        CHECK_EQ_INT(got, len);
        CHECK(memcmp(buf, in, len) == 0);
    }
    uint8_t small[4];
    CHECK_EQ_INT(fbp_cobs_encode((const uint8_t *)"abcd", 4, small, sizeof small), FBP_ERR_ARG);
}

static void roundtrip(const fbp_msg *m)
{
    uint8_t wire[FBP_MAX_WIRE], scratch[FBP_MAX_RAW], buf[FBP_MAX_RAW];
    int n = fbp_encode(m, wire, sizeof wire, scratch, sizeof scratch);
    CHECK(n > 0 && (size_t)n <= FBP_MAX_WIRE);
    fbp_decoder d;
    fbp_decoder_init(&d, buf, sizeof buf);
    int got = 0;
    for (int i = 0; i < n; i++)
        got = fbp_decoder_put(&d, wire[i]);
    CHECK(got > 0);
    fbp_msg back;
    CHECK_EQ_INT(fbp_unpack(buf, (size_t)got, &back), FBP_OK);
    CHECK_EQ_INT(back.type, m->type);
    uint8_t again[FBP_MAX_WIRE];
    int n2 = fbp_encode(&back, again, sizeof again, scratch, sizeof scratch);
    CHECK_EQ_INT(n2, n);
    CHECK(n2 == n && memcmp(again, wire, (size_t)n) == 0);
}

static void test_messages(void)
{
    fbp_msg m;
    static const uint8_t types[] = {FBP_HELLO,      FBP_CONFIG,    FBP_FRAME_START, FBP_PING,
                                    FBP_BYE,        FBP_HELLO_ACK, FBP_CONFIG_ACK,  FBP_EVENT,
                                    FBP_FRAME_DONE, FBP_STATUS,    FBP_BYE_ACK,     FBP_ERROR_DUT,
                                    FBP_ERROR_BENCH};
    for (size_t i = 0; i < sizeof types; i++) {
        memset(&m, 0, sizeof m);
        m.type = types[i];
        switch (m.type) {
        case FBP_HELLO:
            m.u.hello.magic = FBP_MAGIC;
            break;
        case FBP_HELLO_ACK:
            m.u.hello_ack.magic = FBP_MAGIC;
            m.u.hello_ack.max_payload = 64;
            memset(m.u.hello_ack.name, 'x', FBP_NAME_MAX); /* the longest name */
            break;
        case FBP_CONFIG:
            m.u.config.width = 640;
            m.u.config.height = 480;
            m.u.config.fps_milli = 8700;
            m.u.config.chunk_bytes = 56;
            break;
        case FBP_EVENT:
            m.u.event.kind = 2;
            break;
        case FBP_ERROR_DUT:
        case FBP_ERROR_BENCH:
            memset(m.u.error.text, '~', FBP_TEXT_MAX);
            break;
        default:
            break;
        }
        roundtrip(&m);
    }
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_CHUNK;
    static uint8_t data[FBP_CHUNK_MAX_DATA];
    for (size_t k = 0; k < sizeof data; k++)
        data[k] = (uint8_t)(k & 0xFF ? k : 0);
    m.u.chunk =
        (fbp_frame_chunk){.frame_no = 1, .index = 2, .n_bytes = FBP_CHUNK_MAX_DATA, .data = data};
    roundtrip(&m);

    /* Out-of-bounds fields are refused by the packer, as the unpacker would refuse them. */
    uint8_t out[FBP_MAX_RAW];
    m.u.chunk.n_bytes = FBP_CHUNK_MAX_DATA + 2;
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    m.u.chunk.n_bytes = 3;
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    memset(&m, 0, sizeof m);
    m.type = FBP_EVENT;
    m.u.event.kind = 1;
    m.u.event.alarm = 2;
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    m.type = 0x42;
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG;
    m.u.config = (fbp_config){.width = 4097, .height = 1, .fps_milli = 1, .chunk_bytes = 2};
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    m.u.config.width = 4096;
    m.u.config.height = 4096; /* 32 MiB in 2-byte chunks: more than 65535 chunks */
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG);
    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO_ACK;
    m.u.hello_ack.magic = FBP_MAGIC;
    m.u.hello_ack.max_payload = 64;
    CHECK_EQ_INT(fbp_pack(&m, out, sizeof out), FBP_ERR_ARG); /* empty name */
    memset(&m, 0, sizeof m);
    m.type = FBP_PING;
    CHECK_EQ_INT(fbp_pack(&m, out, 11), FBP_ERR_ARG); /* 12 bytes needed */
    CHECK_EQ_INT(fbp_pack(&m, out, 12), 12);
    CHECK(fbp_type_name(0x42) == NULL);
    CHECK_STR_CONTAINS(fbp_strerror(FBP_ERR_CRC), "CRC");
    CHECK_STR_CONTAINS(fbp_strerror(-99), "unknown");
}

/* Random bytes, and valid packets with random damage: never a crash, never a write past the
 * buffer (the decoder's buffer is exactly FBP_MAX_RAW and ASan watches it). */
static void test_garbage(void)
{
    uint8_t *buf = malloc(FBP_MAX_RAW);
    CHECK(buf != NULL);
    if (!buf)
        return;
    fbp_decoder d;
    fbp_decoder_init(&d, buf, FBP_MAX_RAW);
    long packets = 0, errors = 0, ok = 0;
    for (long i = 0; i < 2000000; i++) {
        int n = fbp_decoder_put(&d, rnd8());
        if (n > 0) {
            packets++;
            fbp_msg m;
            if (fbp_unpack(buf, (size_t)n, &m) == FBP_OK)
                ok++;
        } else if (n < 0) {
            errors++;
        }
    }
    CHECK(packets + errors > 1000);
    CHECK_EQ_INT(ok, 0); /* a CRC-32 is not matched by chance in 2 MB */

    /* One valid EVENT, damaged at every byte position in turn: always rejected. */
    fbp_msg ev;
    memset(&ev, 0, sizeof ev);
    ev.type = FBP_EVENT;
    ev.u.event.kind = 1;
    uint8_t wire[FBP_MAX_WIRE], scratch[FBP_MAX_RAW];
    int n = fbp_encode(&ev, wire, sizeof wire, scratch, sizeof scratch);
    CHECK(n > 0);
    for (int pos = 0; pos < n - 1; pos++)
        for (int bit = 0; bit < 8; bit++) {
            uint8_t w2[FBP_MAX_WIRE];
            memcpy(w2, wire, (size_t)n);
            w2[pos] ^= (uint8_t)(1u << bit);
            fbp_decoder_init(&d, buf, FBP_MAX_RAW);
            int accepted = 0;
            for (int k = 0; k < n; k++) {
                int r = fbp_decoder_put(&d, w2[k]);
                fbp_msg m;
                if (r > 0 && fbp_unpack(buf, (size_t)r, &m) == FBP_OK)
                    accepted++;
            }
            fbp_decoder_put(&d, 0);
            CHECK_EQ_INT(accepted, 0);
        }
    /* Every truncation of a valid packet is rejected. */
    for (int cut = 1; cut < n - 1; cut++) {
        fbp_decoder_init(&d, buf, FBP_MAX_RAW);
        int r = 0;
        for (int k = 0; k < cut; k++)
            r = fbp_decoder_put(&d, wire[k]);
        r = fbp_decoder_put(&d, 0);
        fbp_msg m;
        CHECK(r < 0 || fbp_unpack(buf, (size_t)r, &m) < 0);
    }
    /* A decoder with a small limit (an MCU's) drops longer packets whole, then recovers. */
    uint8_t tiny[32];
    fbp_decoder_init(&d, tiny, sizeof tiny);
    for (int k = 0; k < 5000; k++)
        CHECK_EQ_INT(fbp_decoder_put(&d, 0x11), 0);
    CHECK_EQ_INT(fbp_decoder_put(&d, 0), FBP_ERR_OVERSIZE);
    memset(&ev, 0, sizeof ev);
    ev.type = FBP_PING;
    n = fbp_encode(&ev, wire, sizeof wire, scratch, sizeof scratch);
    int r = 0;
    for (int k = 0; k < n; k++)
        r = fbp_decoder_put(&d, wire[k]);
    CHECK_EQ_INT(r, 12);
    free(buf);
}

static void test_frame_rx(void)
{
    uint8_t frame[100], px[100];
    for (int i = 0; i < 100; i++)
        px[i] = (uint8_t)(i * 3);
    fbp_frame_start fs = {.frame_no = 4, .n_chunks = 4, .crc32 = 0};
    fbp_frame_rx rx;
    CHECK_EQ_INT(fbp_frame_rx_start(&rx, &fs, 100, 26), FBP_OK); /* 26, 26, 26, 22 */
    for (uint16_t i = 0; i < 4; i++) {
        fbp_frame_chunk c = {
            .frame_no = 4, .index = i, .n_bytes = (uint16_t)(i < 3 ? 26 : 22), .data = px + 26 * i};
        CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), i < 3 ? 0 : 1);
    }
    CHECK(memcmp(frame, px, 100) == 0);
    /* wrong count, wrong frame, wrong size, repeated chunk, bad CRC */
    fs.n_chunks = 5;
    CHECK_EQ_INT(fbp_frame_rx_start(&rx, &fs, 100, 26), FBP_ERR_SEQUENCE);
    fs.n_chunks = 4;
    fbp_frame_rx_start(&rx, &fs, 100, 26);
    fbp_frame_chunk c = {.frame_no = 5, .index = 0, .n_bytes = 26, .data = px};
    CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), FBP_ERR_SEQUENCE);
    CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), FBP_ERR_SEQUENCE); /* stays dropped */
    fbp_frame_rx_start(&rx, &fs, 100, 26);
    c.frame_no = 4;
    c.n_bytes = 24;
    CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), FBP_ERR_SEQUENCE);
    fbp_frame_rx_start(&rx, &fs, 100, 26);
    c.n_bytes = 26;
    CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), 0);
    CHECK_EQ_INT(fbp_frame_rx_chunk(&rx, &c, frame), FBP_ERR_SEQUENCE);
    fs.crc32 = 1; /* a frame CRC belongs to the frame port, not to chunks */
    CHECK_EQ_INT(fbp_frame_rx_start(&rx, &fs, 100, 26), FBP_ERR_SEQUENCE);
    fs.crc32 = 0;
    fs.n_chunks = 0;
    CHECK_EQ_INT(fbp_frame_rx_start(&rx, &fs, 100, 26), FBP_ERR_SEQUENCE);
}

int main(void)
{
    test_crc();
    test_cobs();
    test_messages();
    test_garbage();
    test_frame_rx();
    return FBTEST_END();
}
