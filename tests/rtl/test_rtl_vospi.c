/* test_rtl_vospi.c — the VoSPI packet CRC, reference packetizer and decoder: good stream, corrupted
 * CRC, discard packets interleaved, missing and truncated packets. */
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "fbtest.h"
#include "vospi.h"

/* Bit-serial CRC-16 (poly 0x1021, MSB first) continuing from register c: an independent
 * reference. */
static uint16_t crc_bitwise_from(uint16_t c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int b = 7; b >= 0; b--) {
            unsigned in = (p[i] >> b) & 1u, top = (c >> 15) & 1u;
            c = (uint16_t)(c << 1);
            if (in ^ top)
                c ^= 0x1021u;
        }
    return c;
}

static uint16_t crc_bitwise(const uint8_t *p, size_t n)
{
    return crc_bitwise_from(0, p, n);
}

static void test_crc(void)
{
    /* CRC-16/XMODEM check value (poly 0x1021, init 0): "123456789" -> 0x31C3 */
    const uint8_t nine[] = "123456789";
    CHECK_EQ_INT(fb_vospi_crc16_update(0, nine, 9), 0x31C3);
    CHECK_EQ_INT(crc_bitwise(nine, 9), 0x31C3);

    /* packet CRC = bitwise CRC of the packet with ID top nibble and CRC bytes zeroed */
    uint8_t pkt[FB_VOSPI_PACKET_BYTES], masked[FB_VOSPI_PACKET_BYTES];
    for (unsigned i = 0; i < FB_VOSPI_PACKET_BYTES; i++)
        pkt[i] = (uint8_t)(i * 37 + 11);
    memcpy(masked, pkt, sizeof pkt);
    masked[0] &= 0x0F;
    masked[2] = masked[3] = 0;
    CHECK_EQ_INT(fb_vospi_packet_crc(pkt), crc_bitwise(masked, sizeof masked));
    /* the segment bits (ID 14..12) and the CRC field do not change it */
    pkt[0] ^= 0x70;
    pkt[2] ^= 0xFF;
    CHECK_EQ_INT(fb_vospi_packet_crc(pkt), crc_bitwise(masked, sizeof masked));

    /* every length 0..164 at each alignment, from varied start registers: the four-byte steps
     * and the byte tail agree with the bit-serial reference */
    for (unsigned off = 0; off < 4; off++)
        for (size_t n = 0; n + off <= sizeof pkt; n++) {
            uint16_t start = (uint16_t)(n * 7919u + off),
                     ref = crc_bitwise_from(start, pkt + off, n);
            if (fb_vospi_crc16_update(start, pkt + off, n) != ref) {
                CHECK_EQ_INT(fb_vospi_crc16_update(start, pkt + off, n), ref);
                break;
            }
        }

    uint8_t disc[FB_VOSPI_PACKET_BYTES];
    fb_vospi_discard_packet(disc);
    CHECK(fb_vospi_is_discard(disc));
    CHECK_EQ_INT(fb_vospi_packet_id(disc), 0x0FFF);
    CHECK_EQ_INT((unsigned)disc[2] << 8 | disc[3], fb_vospi_packet_crc(disc));
}

static void test_geometry(void)
{
    fb_vospi_geom g;
    CHECK_EQ_INT(fb_vospi_geometry(160, 120, &g), FB_OK); /* Lepton 3: 4 x 60 */
    CHECK_EQ_INT(g.packets, 240);
    CHECK_EQ_INT(g.per_segment, 60);
    CHECK_EQ_INT(fb_vospi_geometry(256, 192, &g), FB_OK); /* 3.2 packets per row */
    CHECK_EQ_INT(g.packets, 615);
    CHECK_EQ_INT(g.per_segment, 154);
    CHECK_EQ_INT(fb_vospi_geometry(640, 512, &g), FB_OK);
    CHECK_EQ_INT(g.packets, 4096);
    CHECK_EQ_INT(g.per_segment, 1024);
    CHECK_EQ_INT(fb_vospi_id(&g, 0), 0x1000);
    CHECK_EQ_INT(fb_vospi_id(&g, 1023), 0x13FF);
    CHECK_EQ_INT(fb_vospi_id(&g, 1024), 0x2000);
    CHECK_EQ_INT(fb_vospi_id(&g, 4095), 0x43FF);
    CHECK_EQ_INT(fb_vospi_geometry(1, 1, &g), FB_OK);
    CHECK_EQ_INT(g.packets, 1);
    CHECK_EQ_INT(fb_vospi_geometry(0, 10, &g), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_vospi_geometry(4096, 4096, &g), FB_ERR_RANGE); /* > 3839 per segment */
}

enum { W = 256, H = 192 };

static void test_decode(void)
{
    static uint16_t ck[W * H], out[W * H];
    for (int i = 0; i < W * H; i++)
        ck[i] = (uint16_t)((unsigned)i * 2654435761u >> 16);
    fb_vospi_geom g;
    fb_vospi_geometry(W, H, &g);
    const size_t pb = FB_VOSPI_PACKET_BYTES;
    size_t cap = (g.packets + 20) * pb, len = 0, used = 0;
    uint8_t *s = malloc(cap), *t = malloc(cap);
    CHECK(s && t);
    if (!s || !t)
        goto out;
    CHECK_EQ_INT(fb_vospi_encode(W, H, ck, s, cap, &len), FB_OK);
    CHECK_EQ_INT(len, g.packets * pb);
    CHECK_EQ_INT(fb_vospi_encode(W, H, ck, s, len - 1, &used), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_vospi_encode(W, H, ck, s, cap, &len), FB_OK);
    /* the padded tail of the last packet is zero */
    const uint8_t *last = s + (g.packets - 1) * pb;
    CHECK_EQ_INT(last[4 + 2 * (W * H % 80)], 0);
    CHECK_EQ_INT(last[pb - 1], 0);

    /* good stream */
    fb_vospi_dec d;
    memset(out, 0, sizeof out);
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len, out, &used, &d), FB_OK);
    CHECK_EQ_INT(used, len);
    CHECK(memcmp(out, ck, sizeof ck) == 0);
    CHECK_EQ_INT(d.discards, 0);

    /* discard packets interleaved: before, between and in runs */
    size_t tl = 0;
    uint8_t disc[FB_VOSPI_PACKET_BYTES];
    fb_vospi_discard_packet(disc);
    for (uint32_t k = 0; k < g.packets; k++) {
        if (k == 0 || k % 97 == 3 || k == g.packets - 1) {
            memcpy(t + tl, disc, pb);
            tl += pb;
            if (k == 0) { /* a discard with garbage: the CRC of discards is not checked */
                memcpy(t + tl, disc, pb);
                t[tl + 50] ^= 0xFF;
                tl += pb;
            }
        }
        memcpy(t + tl, s + k * pb, pb);
        tl += pb;
    }
    memset(out, 0, sizeof out);
    CHECK_EQ_INT(fb_vospi_decode(W, H, t, tl, out, &used, &d), FB_OK);
    CHECK(memcmp(out, ck, sizeof ck) == 0);
    CHECK_EQ_INT(d.discards, 2 + 1 + (g.packets - 1 - 3) / 97 + 1);
    CHECK_EQ_INT(used, tl);

    /* corrupted CRC: one payload bit in packet 100 */
    s[100 * pb + 77] ^= 0x04;
    memset(out, 0, sizeof out);
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len, out, &used, &d), FB_ERR_PARSE);
    CHECK_EQ_INT(d.err_packet, 101);
    CHECK_EQ_INT(used, 100 * pb);
    s[100 * pb + 77] ^= 0x04;
    /* corrupted CRC field itself */
    s[5 * pb + 3] ^= 0x80;
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len, out, NULL, &d), FB_ERR_PARSE);
    s[5 * pb + 3] ^= 0x80;
    /* a flipped segment bit is outside the CRC: caught as out of sequence */
    s[7 * pb] ^= 0x40;
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len, out, NULL, &d), FB_ERR_INVALID);
    s[7 * pb] ^= 0x40;

    /* missing packet: drop packet 300 */
    memcpy(t, s, 300 * pb);
    memcpy(t + 300 * pb, s + 301 * pb, len - 301 * pb);
    CHECK_EQ_INT(fb_vospi_decode(W, H, t, len - pb, out, NULL, &d), FB_ERR_INVALID);
    CHECK_EQ_INT(d.err_packet, 301);
    CHECK_EQ_INT(d.next, 300);
    /* repeated packet */
    memcpy(t, s, 11 * pb);
    memcpy(t + 11 * pb, s + 10 * pb, len - 10 * pb);
    CHECK_EQ_INT(fb_vospi_decode(W, H, t, len + pb, out, NULL, &d), FB_ERR_INVALID);

    /* truncated stream: whole packets missing at the end, and a cut inside a packet */
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len - pb, out, &used, &d), FB_ERR_PARSE);
    CHECK_EQ_INT(used, len - pb);
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, len - 17, out, NULL, &d), FB_ERR_PARSE);
    CHECK_EQ_INT(fb_vospi_decode(W, H, s, 0, out, NULL, &d), FB_ERR_PARSE);

    /* streaming API: a data packet after completion is an error */
    CHECK_EQ_INT(fb_vospi_dec_init(&d, W, H, out), FB_OK);
    for (uint32_t k = 0; k < g.packets; k++)
        CHECK_EQ_INT(fb_vospi_dec_packet(&d, s + k * pb), FB_OK);
    CHECK(fb_vospi_dec_done(&d));
    CHECK_EQ_INT(fb_vospi_dec_packet(&d, s), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_vospi_dec_packet(&d, disc), FB_OK);

    /* a stream of another frame size: its segment numbering does not fit */
    CHECK_EQ_INT(fb_vospi_decode(W, H + 1, s, len, out, NULL, &d), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_vospi_decode(0, H, s, len, out, NULL, NULL), FB_ERR_RANGE);
    CHECK_EQ_INT(fb_vospi_dec_init(NULL, W, H, out), FB_ERR_ARG);
out:
    free(s);
    free(t);
}

int main(void)
{
    test_crc();
    test_geometry();
    test_decode();
    return FBTEST_END();
}
