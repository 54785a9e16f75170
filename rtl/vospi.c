/* vospi.c — VoSPI packet CRC, reference packetizer and frame decoder for the RTL front-end's
 * output. */
#include "vospi.h"
#include <pthread.h>
#include <string.h>
#include "fb_error.h"

int fb_vospi_geometry(int width, int height, fb_vospi_geom *g)
{
    if (!g)
        return FB_ERR_ARG;
    if (width < 1 || height < 1 || width > 65535 || height > 65535)
        return FB_ERR_RANGE;
    uint64_t px = (uint64_t)width * (uint64_t)height;
    uint64_t n = (px + FB_VOSPI_PIXELS - 1) / FB_VOSPI_PIXELS;
    uint64_t p = (n + FB_VOSPI_SEGMENTS - 1) / FB_VOSPI_SEGMENTS;
    if (p > FB_VOSPI_MAX_PER_SEGMENT)
        return FB_ERR_RANGE;
    g->pixels = (uint32_t)px;
    g->packets = (uint32_t)n;
    g->per_segment = (uint32_t)p;
    return FB_OK;
}

/* CRC-16 (0x1021, MSB first) of each byte value shifted into a zero register. */
static const uint16_t crc_table[256] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50A5, 0x60C6, 0x70E7, 0x8108, 0x9129, 0xA14A, 0xB16B,
    0xC18C, 0xD1AD, 0xE1CE, 0xF1EF, 0x1231, 0x0210, 0x3273, 0x2252, 0x52B5, 0x4294, 0x72F7, 0x62D6,
    0x9339, 0x8318, 0xB37B, 0xA35A, 0xD3BD, 0xC39C, 0xF3FF, 0xE3DE, 0x2462, 0x3443, 0x0420, 0x1401,
    0x64E6, 0x74C7, 0x44A4, 0x5485, 0xA56A, 0xB54B, 0x8528, 0x9509, 0xE5EE, 0xF5CF, 0xC5AC, 0xD58D,
    0x3653, 0x2672, 0x1611, 0x0630, 0x76D7, 0x66F6, 0x5695, 0x46B4, 0xB75B, 0xA77A, 0x9719, 0x8738,
    0xF7DF, 0xE7FE, 0xD79D, 0xC7BC, 0x48C4, 0x58E5, 0x6886, 0x78A7, 0x0840, 0x1861, 0x2802, 0x3823,
    0xC9CC, 0xD9ED, 0xE98E, 0xF9AF, 0x8948, 0x9969, 0xA90A, 0xB92B, 0x5AF5, 0x4AD4, 0x7AB7, 0x6A96,
    0x1A71, 0x0A50, 0x3A33, 0x2A12, 0xDBFD, 0xCBDC, 0xFBBF, 0xEB9E, 0x9B79, 0x8B58, 0xBB3B, 0xAB1A,
    0x6CA6, 0x7C87, 0x4CE4, 0x5CC5, 0x2C22, 0x3C03, 0x0C60, 0x1C41, 0xEDAE, 0xFD8F, 0xCDEC, 0xDDCD,
    0xAD2A, 0xBD0B, 0x8D68, 0x9D49, 0x7E97, 0x6EB6, 0x5ED5, 0x4EF4, 0x3E13, 0x2E32, 0x1E51, 0x0E70,
    0xFF9F, 0xEFBE, 0xDFDD, 0xCFFC, 0xBF1B, 0xAF3A, 0x9F59, 0x8F78, 0x9188, 0x81A9, 0xB1CA, 0xA1EB,
    0xD10C, 0xC12D, 0xF14E, 0xE16F, 0x1080, 0x00A1, 0x30C2, 0x20E3, 0x5004, 0x4025, 0x7046, 0x6067,
    0x83B9, 0x9398, 0xA3FB, 0xB3DA, 0xC33D, 0xD31C, 0xE37F, 0xF35E, 0x02B1, 0x1290, 0x22F3, 0x32D2,
    0x4235, 0x5214, 0x6277, 0x7256, 0xB5EA, 0xA5CB, 0x95A8, 0x8589, 0xF56E, 0xE54F, 0xD52C, 0xC50D,
    0x34E2, 0x24C3, 0x14A0, 0x0481, 0x7466, 0x6447, 0x5424, 0x4405, 0xA7DB, 0xB7FA, 0x8799, 0x97B8,
    0xE75F, 0xF77E, 0xC71D, 0xD73C, 0x26D3, 0x36F2, 0x0691, 0x16B0, 0x6657, 0x7676, 0x4615, 0x5634,
    0xD94C, 0xC96D, 0xF90E, 0xE92F, 0x99C8, 0x89E9, 0xB98A, 0xA9AB, 0x5844, 0x4865, 0x7806, 0x6827,
    0x18C0, 0x08E1, 0x3882, 0x28A3, 0xCB7D, 0xDB5C, 0xEB3F, 0xFB1E, 0x8BF9, 0x9BD8, 0xABBB, 0xBB9A,
    0x4A75, 0x5A54, 0x6A37, 0x7A16, 0x0AF1, 0x1AD0, 0x2AB3, 0x3A92, 0xFD2E, 0xED0F, 0xDD6C, 0xCD4D,
    0xBDAA, 0xAD8B, 0x9DE8, 0x8DC9, 0x7C26, 0x6C07, 0x5C64, 0x4C45, 0x3CA2, 0x2C83, 0x1CE0, 0x0CC1,
    0xEF1F, 0xFF3E, 0xCF5D, 0xDF7C, 0xAF9B, 0xBFBA, 0x8FD9, 0x9FF8, 0x6E17, 0x7E36, 0x4E55, 0x5E74,
    0x2E93, 0x3EB2, 0x0ED1, 0x1EF0,
};

/* Slicing by four: far[k][v] is the CRC of byte v followed by k zero bytes, so four message bytes
 * x0..x3 (the register xored into x0 x1) update it in one step as the xor of four lookups
 * instead of a chain of four. Filled once from crc_table. */
static uint16_t far[4][256];
static pthread_once_t far_once = PTHREAD_ONCE_INIT;

static void far_fill(void)
{
    for (unsigned v = 0; v < 256; v++) {
        unsigned t = crc_table[v];
        far[0][v] = (uint16_t)t;
        for (int k = 1; k < 4; k++) {
            t = ((t << 8) ^ crc_table[t >> 8]) & 0xFFFFu; /* eight more zero bits */
            far[k][v] = (uint16_t)t;
        }
    }
}

uint16_t fb_vospi_crc16_update(uint16_t crc, const uint8_t *p, size_t n)
{
    unsigned c = crc;
    size_t i = 0;
    if (n >= 8) {
        pthread_once(&far_once, far_fill);
        for (; i + 4 <= n; i += 4) {
            unsigned x0 = (c >> 8) ^ p[i], x1 = (c & 0xFFu) ^ p[i + 1];
            c = far[3][x0] ^ far[2][x1] ^ far[1][p[i + 2]] ^ far[0][p[i + 3]];
        }
    }
    for (; i < n; i++)
        c = ((c << 8) ^ crc_table[((c >> 8) ^ p[i]) & 0xFFu]) & 0xFFFFu;
    return (uint16_t)c;
}

uint16_t fb_vospi_packet_crc(const uint8_t *pkt)
{
    const uint8_t head[4] = {(uint8_t)(pkt[0] & 0x0Fu), pkt[1], 0, 0};
    uint16_t c = fb_vospi_crc16_update(0, head, sizeof head);
    return fb_vospi_crc16_update(c, pkt + 4, FB_VOSPI_PACKET_BYTES - 4);
}

uint16_t fb_vospi_id(const fb_vospi_geom *g, uint32_t k)
{
    uint32_t seg = k / g->per_segment + 1u, num = k % g->per_segment;
    return (uint16_t)(seg << 12 | num);
}

static void put_crc(uint8_t *pkt)
{
    uint16_t c = fb_vospi_packet_crc(pkt);
    pkt[2] = (uint8_t)(c >> 8);
    pkt[3] = (uint8_t)c;
}

void fb_vospi_encode_packet(const fb_vospi_geom *g, const uint16_t *ck, uint32_t k, uint8_t *pkt)
{
    uint16_t id = fb_vospi_id(g, k);
    pkt[0] = (uint8_t)(id >> 8);
    pkt[1] = (uint8_t)id;
    uint32_t first = k * FB_VOSPI_PIXELS;
    for (uint32_t i = 0; i < FB_VOSPI_PIXELS; i++) {
        uint16_t v = first + i < g->pixels ? ck[first + i] : 0; /* last packet: zero padding */
        pkt[4 + 2 * i] = (uint8_t)(v >> 8);
        pkt[5 + 2 * i] = (uint8_t)v;
    }
    put_crc(pkt);
}

void fb_vospi_discard_packet(uint8_t *pkt)
{
    memset(pkt, 0, FB_VOSPI_PACKET_BYTES);
    pkt[0] = (uint8_t)(FB_VOSPI_DISCARD_ID >> 8);
    pkt[1] = (uint8_t)FB_VOSPI_DISCARD_ID;
    put_crc(pkt);
}

int fb_vospi_encode(int width, int height, const uint16_t *ck, uint8_t *out, size_t cap,
                    size_t *len)
{
    fb_vospi_geom g;
    if (!ck || !out || !len)
        return FB_ERR_ARG;
    *len = 0;
    int rc = fb_vospi_geometry(width, height, &g);
    if (rc)
        return rc;
    if (cap / FB_VOSPI_PACKET_BYTES < g.packets)
        return FB_ERR_RANGE;
    for (uint32_t k = 0; k < g.packets; k++)
        fb_vospi_encode_packet(&g, ck, k, out + (size_t)k * FB_VOSPI_PACKET_BYTES);
    *len = (size_t)g.packets * FB_VOSPI_PACKET_BYTES;
    return FB_OK;
}

int fb_vospi_dec_init(fb_vospi_dec *d, int width, int height, uint16_t *frame)
{
    if (!d || !frame)
        return FB_ERR_ARG;
    memset(d, 0, sizeof *d);
    int rc = fb_vospi_geometry(width, height, &d->g);
    if (rc)
        return rc;
    d->frame = frame;
    return FB_OK;
}

int fb_vospi_dec_packet(fb_vospi_dec *d, const uint8_t *pkt)
{
    if (!d || !pkt || !d->frame)
        return FB_ERR_ARG;
    d->seen++;
    uint16_t id = fb_vospi_packet_id(pkt);
    if (fb_vospi_is_discard(pkt)) {
        d->discards++;
        return FB_OK;
    }
    uint16_t crc = (uint16_t)((unsigned)pkt[2] << 8 | pkt[3]);
    if (crc != fb_vospi_packet_crc(pkt)) {
        d->err_packet = d->seen;
        d->err_id = id;
        return FB_ERR_PARSE;
    }
    uint32_t seg = (uint32_t)(id >> 12) & 7u, num = id & 0x0FFFu;
    uint32_t k = (seg - 1u) * d->g.per_segment + num;
    if ((id & 0x8000u) || seg < 1 || seg > FB_VOSPI_SEGMENTS || num >= d->g.per_segment ||
        k != d->next || k >= d->g.packets) {
        d->err_packet = d->seen;
        d->err_id = id;
        return FB_ERR_INVALID;
    }
    uint32_t first = k * FB_VOSPI_PIXELS;
    for (uint32_t i = 0; i < FB_VOSPI_PIXELS && first + i < d->g.pixels; i++)
        d->frame[first + i] = (uint16_t)((unsigned)pkt[4 + 2 * i] << 8 | pkt[5 + 2 * i]);
    d->next++;
    return FB_OK;
}

int fb_vospi_decode(int width, int height, const uint8_t *stream, size_t len, uint16_t *frame,
                    size_t *used, fb_vospi_dec *dec)
{
    fb_vospi_dec local;
    fb_vospi_dec *d = dec ? dec : &local;
    if (used)
        *used = 0;
    if (!stream && len)
        return FB_ERR_ARG;
    int rc = fb_vospi_dec_init(d, width, height, frame);
    if (rc)
        return rc;
    size_t off = 0;
    while (!fb_vospi_dec_done(d)) {
        if (len - off < FB_VOSPI_PACKET_BYTES) {
            d->err_packet = d->seen + 1u;
            rc = FB_ERR_PARSE; /* truncated: the frame's packets ran out */
            break;
        }
        rc = fb_vospi_dec_packet(d, stream + off);
        if (rc)
            break;
        off += FB_VOSPI_PACKET_BYTES;
    }
    if (used)
        *used = off;
    return rc;
}
