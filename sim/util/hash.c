/* hash.c — fb_hash64, a multiply-xorshift hash (same result on every platform, any alignment), and the XXH3-64 frames hash. */
#include <string.h>
#include <xxhash.h>
#include "hash.h"

static uint64_t mix(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return x;
}

uint64_t fb_hash64(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len >= 8) {
        uint64_t w = 0;
        for (int i = 0; i < 8; i++)
            w |= (uint64_t)p[i] << (8 * i); /* little-endian by definition */
        h = mix(h ^ w) * 0x9E3779B97F4A7C15ull;
        p += 8;
        len -= 8;
    }
    uint64_t w = (uint64_t)len << 56;
    for (size_t i = 0; i < len; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return mix(mix(h ^ w) * 0x9E3779B97F4A7C15ull);
}

uint64_t fb_frames_hash(uint64_t h, const void *frame, size_t len)
{
    return (uint64_t)XXH3_64bits_withSeed(frame, len, (XXH64_hash_t)h);
}
