/* fuzz_vospi.c — libFuzzer target for the VoSPI decoder: any byte stream decodes or fails cleanly,
 * and every single-bit error in a valid stream is caught. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "fb_error.h"
#include "vospi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { RW = 16, RH = 10, RN = RW * RH }; /* round-trip frame: exactly 2 packets */

static const int geoms[4][2] = {{16, 10}, {160, 120}, {100, 7}, {2, 1}};

static uint16_t frame[160 * 120];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!(data[0] & 0x80)) {
        /* raw mode: the rest is a packet stream for one of a few geometries */
        const int *g = geoms[data[0] & 3];
        fb_vospi_dec d;
        size_t used = 0;
        int rc = fb_vospi_decode(g[0], g[1], data + 1, size - 1, frame, &used, &d);
        if (used > size - 1 || (rc == FB_OK && !fb_vospi_dec_done(&d)) ||
            (rc != FB_OK && rc != FB_ERR_PARSE && rc != FB_ERR_INVALID))
            __builtin_trap();
        return 0;
    }
    /* round-trip mode: pixels from the input, encode, flip at most one bit, decode */
    uint16_t ck[RN], out[RN];
    uint8_t s[2 * FB_VOSPI_PACKET_BYTES];
    for (size_t i = 0; i < RN; i++)
        ck[i] = (uint16_t)(size > 3 + 2 * i + 1 ? data[3 + 2 * i] << 8 | data[4 + 2 * i] : i);
    size_t len = 0;
    if (fb_vospi_encode(RW, RH, ck, s, sizeof s, &len) != FB_OK || len != sizeof s)
        __builtin_trap();
    int flip = (data[0] & 0x40) && size >= 3;
    if (flip) {
        unsigned bit = (unsigned)(data[1] << 8 | data[2]) % (unsigned)(8 * sizeof s);
        s[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    int rc = fb_vospi_decode(RW, RH, s, len, out, NULL, NULL);
    if (flip ? rc == FB_OK : (rc != FB_OK || memcmp(out, ck, sizeof ck) != 0))
        __builtin_trap(); /* CRC-16 catches every single-bit error; the ID checks the rest */
    return 0;
}
