/* hash.h — a fast 64-bit non-cryptographic hash for determinism checks of frames, results and scenarios. */
#ifndef FB_HASH_H
#define FB_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FB_HASH_INIT 0x9E3779B97F4A7C15ull

/* Continues hash h over len bytes (8 bytes a step, multiply-xorshift mixing). Chaining
 * fb_hash64(fb_hash64(h, a), b) is how a stream of frames is hashed. Same on every build. */
uint64_t fb_hash64(uint64_t h, const void *data, size_t len);

#endif
