/* fuzz_fbp.c — libFuzzer target for the link protocol decoder (proto/fbp.c): any bytes, fed in any
 * split, give packets or counted errors, never a write out of bounds; every accepted packet packs
 * back to exactly its bytes. Inputs that are hex text (the .hex seeds in proto/vectors) are decoded
 * from hex first. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fbp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "# comment\n02 05 ..." -> bytes; returns 0 when data is not such text. */
static size_t from_hex(const uint8_t *data, size_t size, uint8_t *out)
{
    size_t n = 0;
    int hi = -1;
    bool comment = false;
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        if (comment) {
            comment = c != '\n';
            continue;
        }
        if (c == '#') {
            comment = true;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return 0;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? n : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *hex = malloc(size / 2 + 1);
    if (!hex)
        return 0;
    size_t hn = from_hex(data, size, hex);
    const uint8_t *in = hn ? hex : data;
    size_t n = hn ? hn : size;
    uint8_t *buf = malloc(FBP_MAX_RAW); /* exactly the limit: ASan sees any overrun */
    if (!buf) {
        free(hex);
        return 0;
    }
    fbp_decoder d;
    fbp_decoder_init(&d, buf, FBP_MAX_RAW);
    size_t step = n ? (size_t)in[0] % 17u + 1u : 1u; /* feed in pieces of varying size */
    for (size_t at = 0; at < n;) {
        size_t used, k = n - at < step ? n - at : step;
        int r = fbp_decoder_feed(&d, in + at, k, &used);
        if (used == 0 || used > k)
            __builtin_trap();
        at += used;
        if (r <= 0)
            continue;
        fbp_msg m;
        if (fbp_unpack(buf, (size_t)r, &m) != FBP_OK)
            continue;
        uint8_t again[FBP_MAX_RAW];
        int k2 = fbp_pack(&m, again, sizeof again);
        if (k2 != r || memcmp(again, buf, (size_t)r) != 0)
            __builtin_trap(); /* accepted but not canonical */
        if (m.type == FBP_FRAME_START || m.type == FBP_FRAME_CHUNK) {
            static fbp_frame_rx rx;
            static uint8_t frame[4096];
            if (m.type == FBP_FRAME_START)
                (void)fbp_frame_rx_start(&rx, &m.u.frame_start, sizeof frame, 1024);
            else
                (void)fbp_frame_rx_chunk(&rx, &m.u.chunk, frame);
        }
    }
    free(buf);
    free(hex);
    return 0;
}
