/* vospi.h — Lepton-style VoSPI packets of the RTL front-end: CRC, reference packetizer and a frame
 * decoder (plain C, no allocation). */
#ifndef FB_VOSPI_H
#define FB_VOSPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Packet: 2-byte ID, 2-byte CRC, 80 pixels big-endian (docs/sources.md "Sensor facts").
 * ID = {0, segment[2:0], number[11:0]}. A frame of W x H pixels, flattened row-major, is cut into
 * N = ceil(W*H / 80) packets (the last zero-padded), grouped into 4 segments of
 * P = ceil(N / 4) packets: data packet k has segment k / P + 1 (1..4) and number k % P. A
 * 160 x 120 frame thus numbers its packets like a Lepton 3 (4 segments x 60); unlike a Lepton,
 * every packet carries its segment. An ID whose bits 11..8 are all ones (xFxx) is a discard
 * packet; the RTL sends ID 0x0FFF with 80 zero pixels and a valid CRC.
 * CRC-16: polynomial x^16+x^12+x^5+1 (0x1021), initial 0, MSB first, no final xor, over all
 * 164 bytes with the ID's top 4 bits and both CRC bytes taken as zero. */
#define FB_VOSPI_PACKET_BYTES    164
#define FB_VOSPI_PACKET_WORDS    82
#define FB_VOSPI_PIXELS          80
#define FB_VOSPI_SEGMENTS        4
#define FB_VOSPI_MAX_PER_SEGMENT 3839u /* numbers 0xF00.. would read as discard IDs */
#define FB_VOSPI_DISCARD_ID      0x0FFFu

typedef struct fb_vospi_geom {
    uint32_t pixels;      /* W * H */
    uint32_t packets;     /* N */
    uint32_t per_segment; /* P */
} fb_vospi_geom;

/* Geometry of a width x height frame. FB_ERR_RANGE if a side is < 1 or P exceeds
 * FB_VOSPI_MAX_PER_SEGMENT, FB_ERR_ARG for NULL. */
int fb_vospi_geometry(int width, int height, fb_vospi_geom *g);

/* CRC-16/XMODEM update over n bytes (no masking): the building block, exposed for test vectors. */
uint16_t fb_vospi_crc16_update(uint16_t crc, const uint8_t *p, size_t n);
/* The packet CRC with the VoSPI masking rules (reads all 164 bytes, ignores bytes 2..3). */
uint16_t fb_vospi_packet_crc(const uint8_t *pkt);

static inline uint16_t fb_vospi_packet_id(const uint8_t *pkt)
{
    return (uint16_t)((unsigned)pkt[0] << 8 | pkt[1]);
}
static inline int fb_vospi_is_discard(const uint8_t *pkt)
{
    return (pkt[0] & 0x0Fu) == 0x0Fu;
}

/* ID of data packet k (< g->packets). */
uint16_t fb_vospi_id(const fb_vospi_geom *g, uint32_t k);
/* Reference packetizer: builds data packet k of the frame ck[g->pixels] into pkt[164]. */
void fb_vospi_encode_packet(const fb_vospi_geom *g, const uint16_t *ck, uint32_t k, uint8_t *pkt);
/* The discard packet the RTL sends. */
void fb_vospi_discard_packet(uint8_t *pkt);
/* All N data packets of a frame, in order, no discard packets: N * 164 bytes into out[cap].
 * FB_ERR_RANGE if cap is too small or the geometry is invalid; *len = bytes written. */
int fb_vospi_encode(int width, int height, const uint16_t *ck, uint8_t *out, size_t cap,
                    size_t *len);

/* Streaming decoder: feed packets one by one; discard packets are skipped. The caller owns
 * frame (g.pixels values). */
typedef struct fb_vospi_dec {
    fb_vospi_geom g;
    uint16_t *frame;
    uint32_t next; /* index of the next expected data packet; == g.packets when done */
    uint32_t seen; /* packets fed, discard packets included */
    uint32_t discards;
    uint32_t err_packet; /* value of seen at the last error (1-based packet of the stream) */
    uint16_t err_id;     /* ID of that packet */
} fb_vospi_dec;

int fb_vospi_dec_init(fb_vospi_dec *d, int width, int height, uint16_t *frame);
/* One 164-byte packet. FB_OK: consumed (or skipped as discard). FB_ERR_PARSE: CRC mismatch.
 * FB_ERR_INVALID: a bad ID (segment or number out of range), a packet out of order (one is
 * missing or repeated), or a data packet after the frame is complete. On error the decoder
 * state is unchanged apart from seen/err_packet/err_id; restart with fb_vospi_dec_init. */
int fb_vospi_dec_packet(fb_vospi_dec *d, const uint8_t *pkt);
static inline int fb_vospi_dec_done(const fb_vospi_dec *d)
{
    return d->next == d->g.packets;
}

/* Decodes one frame from a byte stream of whole packets; stops at the frame's last packet
 * (*used = bytes consumed, may be NULL). Errors as fb_vospi_dec_packet, plus FB_ERR_PARSE if
 * the stream ends before the frame is complete (truncated). dec may be NULL; if given it holds
 * the decoder state afterwards (for error details). */
int fb_vospi_decode(int width, int height, const uint8_t *stream, size_t len, uint16_t *frame,
                    size_t *used, fb_vospi_dec *dec);

#ifdef __cplusplus
}
#endif

#endif
