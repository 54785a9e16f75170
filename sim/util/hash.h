/* hash.h — 64-bit non-cryptographic hashes for determinism checks: the frames hash (XXH3-64, and the hash recordings before format 3 used) and fb_hash64 for scenarios and results. */
#ifndef FB_HASH_H
#define FB_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FB_HASH_INIT 0x9E3779B97F4A7C15ull

/* Continues hash h over len bytes (8 bytes a step, multiply-xorshift mixing). Chaining
 * fb_hash64(fb_hash64(h, a), b) hashes a stream. Same on every build. Used for scenario and
 * camera-profile identities (fb_scenario.hash, doc_hash) and, as "fb_hash64", for the frames
 * hash of recordings before format 3.0 (docs/recording.md). */
uint64_t fb_hash64(uint64_t h, const void *data, size_t len);

/* The frames hash (results.json "frames_hash", recording END): one 64-bit value chained over
 * every radiometric frame, h_0 = FB_FRAMES_HASH_INIT,
 *   h_{n+1} = XXH3_64bits_withSeed(frame_n, len, h_n)      (xxHash 0.8, libxxhash)
 * over the frame's bytes as they lie in memory (uint16 centikelvin, little-endian hosts).
 * results.json names it "frames_hash_algorithm": FB_FRAMES_HASH_ALGORITHM. */
#define FB_FRAMES_HASH_ALGORITHM "xxh3-64"
#define FB_FRAMES_HASH_INIT 0ull
uint64_t fb_frames_hash(uint64_t h, const void *frame, size_t len);

/* The same value taken in pieces (XXH3's streaming form gives the one-shot value for any
 * split): fb_frames_hasher_begin(st, h), then _update over the frame's bytes in order, then
 * _end returns fb_frames_hash(h, frame, len). One hasher per thread at a time; _new returns NULL
 * when out of memory. */
typedef struct fb_frames_hasher fb_frames_hasher;
fb_frames_hasher *fb_frames_hasher_new(void);
void fb_frames_hasher_free(fb_frames_hasher *st);
void fb_frames_hasher_begin(fb_frames_hasher *st, uint64_t h);
void fb_frames_hasher_update(fb_frames_hasher *st, const void *data, size_t len);
uint64_t fb_frames_hasher_end(fb_frames_hasher *st);

/* The frames hash before XXH3 (results.json before it named an algorithm, recordings 1.x and
 * 2.x): fb_hash64 chained from FB_HASH_INIT. Kept to verify those recordings. */
#define FB_FRAMES_HASH_ALGORITHM_LEGACY "fb_hash64"
#define FB_FRAMES_HASH_INIT_LEGACY FB_HASH_INIT

#endif
