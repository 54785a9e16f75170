/* hash.c — fb_hash64, a multiply-xorshift hash (same result on every platform, any alignment), and the XXH3-64 frames hash (libxxhash's run-time dispatch: AVX2/AVX-512 where the CPU has them, the same value). */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#if defined(__x86_64__) || defined(__i386__)
/* libxxhash exports the x86 dispatch entry points (XXH3_*_dispatch, xxHash >= 0.8.0): they pick
 * the widest vector unit at run time; XXH3's value does not depend on it. */
#define XXH_DISPATCH_DISABLE_REPLACE
#include <immintrin.h>
#include <xxh_x86dispatch.h>
#define FRAMES_XXH3 XXH3_64bits_withSeed_dispatch
#define FRAMES_XXH3_UPDATE XXH3_64bits_update_dispatch
#define FRAMES_XXH3_DISPATCH 1
#else
#define FRAMES_XXH3 XXH3_64bits_withSeed
#define FRAMES_XXH3_UPDATE XXH3_64bits_update
#endif
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

#ifdef FRAMES_XXH3_DISPATCH
/* The dispatched AVX2/AVX-512 code returns with the vector registers' upper halves dirty (no
 * vzeroupper): every SSE instruction after it then waits on them, and the flat people's painter,
 * which runs next, took twice as long (crowd, template people: 125 -> 255 us a frame, fb_bench).
 * Clearing them costs one instruction. */
__attribute__((target("avx"))) static void clear_upper(void)
{
    _mm256_zeroupper();
}
#endif

uint64_t fb_frames_hash(uint64_t h, const void *frame, size_t len)
{
    uint64_t v = (uint64_t)FRAMES_XXH3(frame, len, (XXH64_hash_t)h);
#ifdef FRAMES_XXH3_DISPATCH
    if (__builtin_cpu_supports("avx"))
        clear_upper();
#endif
    return v;
}

struct fb_frames_hasher {
    XXH3_state_t *st;
};

fb_frames_hasher *fb_frames_hasher_new(void)
{
    fb_frames_hasher *h = malloc(sizeof(*h));
    if (!h)
        return NULL;
    h->st = XXH3_createState();
    if (!h->st) {
        free(h);
        return NULL;
    }
    return h;
}

void fb_frames_hasher_free(fb_frames_hasher *h)
{
    if (!h)
        return;
    XXH3_freeState(h->st);
    free(h);
}

void fb_frames_hasher_begin(fb_frames_hasher *h, uint64_t seed)
{
    XXH3_64bits_reset_withSeed(h->st, (XXH64_hash_t)seed);
}

void fb_frames_hasher_update(fb_frames_hasher *h, const void *data, size_t len)
{
    FRAMES_XXH3_UPDATE(h->st, data, len);
#ifdef FRAMES_XXH3_DISPATCH
    if (__builtin_cpu_supports("avx"))
        clear_upper(); /* as fb_frames_hash: the next stage may be SSE code */
#endif
}

uint64_t fb_frames_hasher_end(fb_frames_hasher *h)
{
    return (uint64_t)XXH3_64bits_digest(h->st);
}
