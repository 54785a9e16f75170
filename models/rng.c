/* rng.c — seeded random streams: xoshiro256** seeded by splitmix64 from (seed, kind, index), and the distributions the models draw from. */
#include <math.h>
#include "rng.h"
#include "rng_table.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void fb_rng_seed(fb_rng *r, uint64_t seed, uint32_t kind, uint32_t index)
{
    /* Two splitmix64 rounds: the seed alone, then the seed's hash mixed with (kind, index), so
     * (seed, kind, index) triples only collide through a 64-bit hash collision. */
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ (((uint64_t)kind << 32) | (uint64_t)index);
    (void)splitmix64(&x);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) /* the one forbidden xoshiro state */
        r->s[0] = 1;
}

/* xoshiro256** 1.0 (Blackman & Vigna 2018). */
static inline uint64_t next(uint64_t s[4])
{
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t fb_rng_next(fb_rng *r)
{
    return next(r->s);
}

double fb_rng_uniform(fb_rng *r)
{
    return (double)(next(r->s) >> 11) * 0x1.0p-53;
}

double fb_rng_normal(fb_rng *r)
{
    /* Marsaglia polar method; the second variate of each pair is discarded (the state holds no
     * cache, so a stream's value depends only on how many draws came before it). */
    for (;;) {
        double u = 2.0 * fb_rng_uniform(r) - 1.0;
        double v = 2.0 * fb_rng_uniform(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

double fb_rng_normal_ms(fb_rng *r, double mean, double sd)
{
    return mean + sd * fb_rng_normal(r);
}

double fb_rng_exponential(fb_rng *r, double rate)
{
    /* 1 - u is in (0, 1], so the log is finite. */
    return -log(1.0 - fb_rng_uniform(r)) / rate;
}

void fb_rng_fill_normal_f32(fb_rng *r, float *out, size_t n, float sd)
{
    const float *q = fb_rng_normal_table;
    uint64_t s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3];
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint64_t st[4] = {s0, s1, s2, s3};
        uint64_t x = next(st);
        s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
        out[i] = q[x & 0xffffu] * sd;
        out[i + 1] = q[(x >> 16) & 0xffffu] * sd;
        out[i + 2] = q[(x >> 32) & 0xffffu] * sd;
        out[i + 3] = q[x >> 48] * sd;
    }
    r->s[0] = s0, r->s[1] = s1, r->s[2] = s2, r->s[3] = s3;
    if (i < n) {
        uint64_t x = next(r->s);
        for (; i < n; i++, x >>= 16)
            out[i] = q[x & 0xffffu] * sd;
    }
}
