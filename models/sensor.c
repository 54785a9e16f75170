/* sensor.c — microbolometer array model: band radiance -> raw 14-bit counts with FPA temperature (warm-up, room), responsivity and offset drift, shutter FFC, growing fixed pattern, NETD noise (counter-based words into a normal quantile table; AVX-512 or AVX2 when available, same result), dead and noisy pixels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "rng_table.h"
#include "sensor.h"

/* The responsivity is specified at 300 K (counts_per_k, netd_k, fpn_sd_k are K-equivalent there).
 */
#define SENSOR_SPEC_K 300.0
/* Temporal noise is made in chunks of this many pixels (even: a chunk starts on a pixel pair). */
#define NOISE_CHUNK ((size_t)1024)

static bool finite_ge0(double v)
{
    return v >= 0.0 && isfinite(v);
}

static bool params_ok(const fb_sensor_params *p)
{
    if (p->width < 1 || p->width > 4096 || p->height < 1 || p->height > 4096)
        return false;
    if (!finite_ge0(p->netd_k) || !(p->counts_per_k > 0.0) || !isfinite(p->counts_per_k) ||
        !(p->reference_c > -FB_KELVIN_OFFSET) || !isfinite(p->reference_c) ||
        !finite_ge0(p->fpn_sd_k) || !finite_ge0(p->drift_sd_k))
        return false;
    if (p->drift_sd_k > 0.0 && (!(p->drift_tau_s > 0.0) || !isfinite(p->drift_tau_s)))
        return false;
    if (!(p->ambient_c >= -100.0 && p->ambient_c <= 200.0) || !finite_ge0(p->power_on_s) ||
        !finite_ge0(p->fpa_rise_k) || !finite_ge0(p->fpa_tau_s) ||
        !isfinite(p->responsivity_tc_per_k) || fabs(p->responsivity_tc_per_k) >= 0.1 ||
        !isfinite(p->fpa_offset_k_per_k) || !isfinite(p->ffc_offset_k_per_k))
        return false;
    if (!finite_ge0(p->ffc_period_s) || !finite_ge0(p->ffc_delta_k) || p->ffc_frames < 0 ||
        !finite_ge0(p->fpn_growth_k_per_s))
        return false;
    if (!(p->dead_share >= 0.0 && p->dead_share <= 1.0) ||
        !(p->noisy_share >= 0.0 && p->noisy_share <= 1.0) || p->dead_share + p->noisy_share > 1.0)
        return false;
    return true;
}

/* Dead and noisy pixels: one uniform draw per pixel on (seed, SENSOR_PIXELS, 0), in pixel
 * order: u < dead_share -> dead (then a stuck value), else u < dead + noisy share -> noisy
 * (then an onset time). With count_only the lists are only counted. */
static void draw_pixels(fb_sensor *s, uint64_t seed, bool count_only)
{
    const fb_sensor_params *p = &s->p;
    const size_t n = (size_t)p->width * (size_t)p->height;
    fb_rng r;
    fb_rng_seed(&r, seed, FB_STREAM_SENSOR_PIXELS, 0);
    size_t nd = 0, nn = 0;
    for (size_t i = 0; i < n; i++) {
        double u = fb_rng_uniform(&r);
        if (u < p->dead_share) {
            double v = fb_rng_uniform(&r);
            if (!count_only) {
                s->dead_index[nd] = (uint32_t)i;
                s->dead_counts[nd] = (uint16_t)(v * (FB_SENSOR_COUNTS_MAX + 1));
            }
            nd++;
        } else if (u < p->dead_share + p->noisy_share) {
            double v = fb_rng_uniform(&r);
            if (!count_only) {
                s->noisy[nn].index = (uint32_t)i;
                s->noisy[nn].onset_s = (float)(v * FB_SENSOR_NOISY_ONSET_S);
            }
            nn++;
        }
    }
    s->n_dead = nd;
    s->n_noisy = nn;
}

int fb_sensor_init(fb_sensor *s, const fb_sensor_params *p, const fb_radiometry *rad, uint64_t seed)
{
    /* On error nothing is allocated and *s is left safe to fb_sensor_free. */
    if (!s || !p || !rad)
        return FB_ERR_ARG;
    memset(s, 0, sizeof(*s));
    if (!params_ok(p))
        return FB_ERR_RANGE;

    size_t n = (size_t)p->width * (size_t)p->height;
    s->p = *p;
    /* counts = 8192 + gain (L - L_ref): gain makes 1 K at 300 K worth counts_per_k counts. */
    s->gain_counts_per_radiance = p->counts_per_k / fb_radiometry_slope(rad, SENSOR_SPEC_K);
    s->reference_radiance = fb_radiometry_radiance(rad, p->reference_c + FB_KELVIN_OFFSET);
    s->noise_sd_counts = (float)(p->netd_k * p->counts_per_k);
    s->fpn_counts = malloc(n * sizeof(*s->fpn_counts));
    s->fpn_growth = malloc(n * sizeof(*s->fpn_growth));
    s->noise_index = malloc(NOISE_CHUNK * sizeof(*s->noise_index));
    s->noise_shaded = malloc(NOISE_CHUNK * sizeof(*s->noise_shaded));
    if (!s->fpn_counts || !s->fpn_growth || !s->noise_index || !s->noise_shaded)
        goto fail;
    if (p->ffc_frames > 0 && !(s->hold = calloc(n, sizeof(*s->hold))))
        goto fail;
    draw_pixels(s, seed, true);
    if (s->n_dead && (!(s->dead_index = malloc(s->n_dead * sizeof(*s->dead_index))) ||
                      !(s->dead_counts = malloc(s->n_dead * sizeof(*s->dead_counts)))))
        goto fail;
    if (s->n_noisy && !(s->noisy = malloc(s->n_noisy * sizeof(*s->noisy))))
        goto fail;
    draw_pixels(s, seed, false);

    /* The pattern right after an FFC, then the unit pattern its growth takes. */
    fb_rng fpn_rng;
    fb_rng_seed(&fpn_rng, seed, FB_STREAM_SENSOR_FPN, 0);
    double fpn_sd_counts = p->fpn_sd_k * p->counts_per_k;
    for (size_t i = 0; i < n; i++)
        s->fpn_counts[i] =
            fpn_sd_counts > 0.0 ? (float)(fpn_sd_counts * fb_rng_normal(&fpn_rng)) : 0.0f;
    for (size_t i = 0; i < n; i++)
        s->fpn_growth[i] = p->fpn_growth_k_per_s > 0.0 ? (float)fb_rng_normal(&fpn_rng) : 0.0f;
    fb_rng_seed(&s->noise_rng, seed, FB_STREAM_SENSOR_NOISE, 0);
    fb_rng_seed(&s->drift_rng, seed, FB_STREAM_SENSOR_DRIFT, 0);
    fb_rng_seed(&s->noisy_rng, seed, FB_STREAM_SENSOR_PIXELS, 1);
    s->t_s = 0.0;
    /* The camera has been running: the drift starts at a draw from its stationary law. */
    s->drift_counts = 0.0;
    if (p->drift_sd_k > 0.0)
        s->drift_counts = p->drift_sd_k * p->counts_per_k * fb_rng_normal(&s->drift_rng);
    /* The FPA has warmed up for power_on_s in a room at ambient_c; an FFC has just completed. */
    s->ambient_c = p->ambient_c;
    double warm = p->fpa_tau_s > 0.0 ? 1.0 - exp(-p->power_on_s / p->fpa_tau_s) : 1.0;
    s->fpa_c = p->ambient_c + p->fpa_rise_k * warm;
    s->fpa_cal_c = p->reference_c + p->fpa_rise_k;
    s->fpa_at_ffc_c = s->fpa_c;
    s->t_ffc_s = s->t_ffc_start_s = 0.0;
    s->gain_now = s->gain_counts_per_radiance;
    return FB_OK;

fail:
    fb_sensor_free(s);
    return FB_ERR_NOMEM;
}

void fb_sensor_free(fb_sensor *s)
{
    if (!s)
        return;
    free(s->fpn_counts);
    free(s->fpn_growth);
    free(s->noise_index);
    free(s->noise_shaded);
    s->noise_shaded = NULL;
    free(s->hold);
    free(s->dead_index);
    free(s->dead_counts);
    free(s->noisy);
    s->fpn_counts = s->fpn_growth = NULL;
    s->hold = s->dead_counts = s->noise_index = NULL;
    s->dead_index = NULL;
    s->noisy = NULL;
    s->n_dead = s->n_noisy = 0;
}

int fb_sensor_set_ambient_c(fb_sensor *s, double ambient_c)
{
    if (!(ambient_c >= -100.0 && ambient_c <= 200.0))
        return FB_ERR_RANGE;
    s->ambient_c = ambient_c;
    return FB_OK;
}

size_t fb_sensor_mark_dead(const fb_sensor *s, uint8_t *bad)
{
    for (size_t k = 0; k < s->n_dead; k++)
        bad[s->dead_index[k]] = 1;
    return s->n_dead;
}

/* The FFC completes now: the since-FFC offset and the non-uniformity growth restart. */
static void ffc_complete(fb_sensor *s, double t_s)
{
    s->t_ffc_s = t_s;
    s->fpa_at_ffc_c = s->fpa_c;
    s->ffc_count++;
}

/* Advances the FPA and the electronics drift from the previous exposure to t_s. */
static void advance(fb_sensor *s, double t_s)
{
    if (!(t_s > s->t_s))
        return;
    double dt = t_s - s->t_s;
    double target = s->ambient_c + s->p.fpa_rise_k;
    s->fpa_c =
        s->p.fpa_tau_s > 0.0 ? target + (s->fpa_c - target) * exp(-dt / s->p.fpa_tau_s) : target;
    /* Drift: exact OU transition. */
    if (s->p.drift_sd_k > 0.0) {
        double a = exp(-dt / s->p.drift_tau_s);
        double sd = s->p.drift_sd_k * s->p.counts_per_k;
        s->drift_counts =
            s->drift_counts * a + sd * sqrt(1.0 - a * a) * fb_rng_normal(&s->drift_rng);
    }
    s->t_s = t_s;
}

/* Rounds v + 0.5 clamped to [0, 16383.5] down: round half up to 0..16383. NaN reads 0. */
static inline uint16_t to_counts(float v, float top)
{
    v = v > 0.0f ? v : 0.0f;
    v = v < top ? v : top;
    return (uint16_t)v;
}

/* lowbias32 (C. Wellons, hash-prospector): a 32-bit bijection with near-ideal avalanche. */
static inline uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x21f0aaadu;
    x ^= x >> 15;
    x *= 0x735a2d97u;
    x ^= x >> 15;
    return x;
}

/* What one exposure's pixel loop needs, for a span of pixels starting on an even pixel: the
 * pointers at the span's first pixel, pair0 its pixel pair (its index / 2). */
typedef struct expose_args {
    const float *rad, *fpn, *fg;
    uint16_t *out;
    uint16_t *idx; /* NOISE_CHUNK scratch */
    float *shaded; /* NOISE_CHUNK scratch */
    float gain, base, grow, top, sd;
    uint32_t key_a, key_b;
    uint32_t pair0;
    const float *illum; /* NULL, or the lens's relative illumination at the span's pixels */
    float housing;      /* radiance the housing adds where illum < 1 */
} expose_args;

/* The lens's shading on the way in, fb_optics_vignette's expression (models/optics.h). */
static inline float shade(float rad, float v, float housing)
{
    return housing + v * (rad - housing);
}

/* Pixels [c0, c0 + m) of one exposure. The loops are straight-line so that GCC vectorises
 * them; inlined into a baseline and an AVX2 copy, which compute the same (same operations
 * per element, no FMA: -ffp-contract=off and the avx2 target has none). */
static inline __attribute__((always_inline)) void expose_span(const expose_args *a, size_t c0,
                                                             size_t m)
{
    const float *restrict rad = a->rad + c0, *restrict fpn = a->fpn + c0,
                          *restrict fg = a->fg + c0;
    const float *restrict il = a->illum ? a->illum + c0 : NULL;
    uint16_t *restrict out = a->out + c0;
    const float gain = a->gain, base = a->base, grow = a->grow, top = a->top, sd = a->sd,
                hous = a->housing;
    float *restrict shaded = a->shaded;
    if (il) { /* the shaded radiance first, then the loops below read it */
        for (size_t j = 0; j < m; j++)
            shaded[j] = shade(rad[j], il[j], hous);
        rad = shaded;
    }
    if (sd > 0.0f) {
        /* Quantile-table indices: pixel pair p's word, low half for the even pixel. */
        uint16_t *restrict idx = a->idx;
        const uint32_t p0 = a->pair0 + (uint32_t)(c0 / 2), ka = a->key_a, kb = a->key_b;
        const size_t pairs = (m + 1) / 2;
        for (size_t k = 0; k < pairs; k++) {
            uint32_t w = mix32(mix32((p0 + (uint32_t)k) ^ ka) ^ kb);
            idx[2 * k] = (uint16_t)(w & 0xffffu);
            idx[2 * k + 1] = (uint16_t)(w >> 16);
        }
        const float *restrict q = fb_rng_normal_table;
        for (size_t j = 0; j < m; j++)
            out[j] = to_counts(gain * rad[j] + (base + fpn[j] + grow * fg[j] + q[idx[j]] * sd), top);
    } else {
        for (size_t j = 0; j < m; j++)
            out[j] = to_counts(gain * rad[j] + (base + fpn[j] + grow * fg[j]), top);
    }
}

static void expose_pixels_c(const expose_args *a, size_t n)
{
    for (size_t c0 = 0; c0 < n; c0 += NOISE_CHUNK)
        expose_span(a, c0, n - c0 < NOISE_CHUNK ? n - c0 : NOISE_CHUNK);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FB_SENSOR_NO_SIMD)
#include <immintrin.h>
#define FB_SENSOR_AVX2 1
__attribute__((target("avx2"))) static inline __m256i mix32_avx2(__m256i x)
{
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 16));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32(0x21f0aaad));
    x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
    x = _mm256_mullo_epi32(x, _mm256_set1_epi32(0x735a2d97));
    return _mm256_xor_si256(x, _mm256_srli_epi32(x, 15));
}

/* 8 pixels: v = gain rad + (((base + fpn) + grow fg) + z sd), clamped and truncated: the
 * scalar expression's operations in its order. */
__attribute__((target("avx2"))) static inline __m256i counts8(const expose_args *a, size_t i,
                                                               __m256 z)
{
    __m256 t = _mm256_add_ps(_mm256_set1_ps(a->base), _mm256_loadu_ps(a->fpn + i));
    t = _mm256_add_ps(t, _mm256_mul_ps(_mm256_set1_ps(a->grow), _mm256_loadu_ps(a->fg + i)));
    t = _mm256_add_ps(t, _mm256_mul_ps(z, _mm256_set1_ps(a->sd)));
    __m256 r = _mm256_loadu_ps(a->rad + i);
    if (a->illum) {
        __m256 h = _mm256_set1_ps(a->housing);
        r = _mm256_add_ps(h, _mm256_mul_ps(_mm256_loadu_ps(a->illum + i), _mm256_sub_ps(r, h)));
    }
    __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(a->gain), r), t);
    v = _mm256_max_ps(v, _mm256_setzero_ps()); /* NaN -> 0, as to_counts */
    v = _mm256_min_ps(v, _mm256_set1_ps(a->top));
    return _mm256_cvttps_epi32(v);
}

__attribute__((target("avx2"))) static void expose_pixels_avx2(const expose_args *args, size_t n)
{
    const expose_args copy = *args, *a = &copy; /* a local: the stores cannot change it */
    if (!(a->sd > 0.0f)) {
        expose_pixels_c(a, n);
        return;
    }
    const __m256i ka = _mm256_set1_epi32((int)a->key_a), kb = _mm256_set1_epi32((int)a->key_b),
                  step = _mm256_set1_epi32(8);
    __m256i p = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                 _mm256_set1_epi32((int)a->pair0));
    size_t i = 0;
    for (; i + 16 <= n; i += 16, p = _mm256_add_epi32(p, step)) {
        /* words of pairs i/2 .. i/2 + 7; pixel 2k takes the low half of word k */
        __m256i w = mix32_avx2(_mm256_xor_si256(mix32_avx2(_mm256_xor_si256(p, ka)), kb));
        /* the sixteen quantiles by plain loads (on Zen 3 two eight-lane gathers took over half
         * the loop): pixel 2k takes the low half of word k */
        uint32_t wv[8];
        _mm256_storeu_si256((__m256i *)(void *)wv, w);
        const float *q = fb_rng_normal_table;
        const __m256 z0 = _mm256_setr_ps(q[wv[0] & 0xffffu], q[wv[0] >> 16], q[wv[1] & 0xffffu],
                                         q[wv[1] >> 16], q[wv[2] & 0xffffu], q[wv[2] >> 16],
                                         q[wv[3] & 0xffffu], q[wv[3] >> 16]);
        const __m256 z1 = _mm256_setr_ps(q[wv[4] & 0xffffu], q[wv[4] >> 16], q[wv[5] & 0xffffu],
                                         q[wv[5] >> 16], q[wv[6] & 0xffffu], q[wv[6] >> 16],
                                         q[wv[7] & 0xffffu], q[wv[7] >> 16]);
        __m256i c = _mm256_packus_epi32(counts8(a, i, z0), counts8(a, i + 8, z1));
        _mm256_storeu_si256((__m256i *)(void *)(a->out + i), _mm256_permute4x64_epi64(c, 0xd8));
    }
    for (size_t c0 = i; c0 < n; c0 += NOISE_CHUNK)
        expose_span(a, c0, n - c0 < NOISE_CHUNK ? n - c0 : NOISE_CHUNK);
}

#ifndef FB_SENSOR_NO_AVX512
#define FB_SENSOR_AVX512 1
__attribute__((target("avx512f,avx512bw"))) static inline __m512i mix32_avx512(__m512i x)
{
    x = _mm512_xor_si512(x, _mm512_srli_epi32(x, 16));
    x = _mm512_mullo_epi32(x, _mm512_set1_epi32(0x21f0aaad));
    x = _mm512_xor_si512(x, _mm512_srli_epi32(x, 15));
    x = _mm512_mullo_epi32(x, _mm512_set1_epi32(0x735a2d97));
    return _mm512_xor_si512(x, _mm512_srli_epi32(x, 15));
}

/* 16 pixels: counts8's operations, twice as wide. */
#define AVX512_TARGET target("avx512f,avx512bw")
__attribute__((AVX512_TARGET)) static inline __m512i counts16(const expose_args *a, size_t i,
                                                              __m512i index)
{
    /* at -O0 GCC's gather is a macro whose all-lanes mask trips -Wsign-conversion */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
    __m512 z = _mm512_i32gather_ps(index, fb_rng_normal_table, 4);
#pragma GCC diagnostic pop
    __m512 t = _mm512_add_ps(_mm512_set1_ps(a->base), _mm512_loadu_ps(a->fpn + i));
    t = _mm512_add_ps(t, _mm512_mul_ps(_mm512_set1_ps(a->grow), _mm512_loadu_ps(a->fg + i)));
    t = _mm512_add_ps(t, _mm512_mul_ps(z, _mm512_set1_ps(a->sd)));
    __m512 r = _mm512_loadu_ps(a->rad + i);
    if (a->illum) {
        __m512 h = _mm512_set1_ps(a->housing);
        r = _mm512_add_ps(h, _mm512_mul_ps(_mm512_loadu_ps(a->illum + i), _mm512_sub_ps(r, h)));
    }
    __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(a->gain), r), t);
    v = _mm512_max_ps(v, _mm512_setzero_ps()); /* NaN -> 0, as to_counts */
    v = _mm512_min_ps(v, _mm512_set1_ps(a->top));
    return _mm512_cvttps_epi32(v);
}

/* 32 pixels a step: the words of 16 pairs; pixel 2k takes the low half of word k. */
__attribute__((AVX512_TARGET)) static void expose_pixels_avx512(const expose_args *args, size_t n)
{
    const expose_args copy = *args, *a = &copy; /* a local: the stores cannot change it */
    if (!(a->sd > 0.0f)) {
        expose_pixels_c(a, n);
        return;
    }
    const __m512i ka = _mm512_set1_epi32((int)a->key_a), kb = _mm512_set1_epi32((int)a->key_b),
                  step = _mm512_set1_epi32(16);
    /* the low 16-bit halves of the two registers' 32-bit lanes, in order: lanes 0-15 of the
     * first, then of the second (the counts are 0..16383, so the halves are the values) */
    static const uint16_t even_words[32] = {0,  2,  4,  6,  8,  10, 12, 14, 16, 18, 20,
                                            22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42,
                                            44, 46, 48, 50, 52, 54, 56, 58, 60, 62};
    const __m512i evens = _mm512_loadu_si512((const void *)even_words);
    __m512i p = _mm512_add_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
        _mm512_set1_epi32((int)a->pair0));
    size_t i = 0;
    for (; i + 32 <= n; i += 32, p = _mm512_add_epi32(p, step)) {
        __m512i w = mix32_avx512(_mm512_xor_si512(mix32_avx512(_mm512_xor_si512(p, ka)), kb));
        /* pixel 2k takes the low half of word k, 2k + 1 the high: pixel order is w's 16-bit
         * order, so the indices are its halves zero-extended */
        __m512i i0 = _mm512_cvtepu16_epi32(_mm512_castsi512_si256(w));
        __m512i i1 = _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(w, 1));
        _mm512_storeu_si512((void *)(a->out + i),
                            _mm512_permutex2var_epi16(counts16(a, i, i0), evens,
                                                      counts16(a, i + 16, i1)));
    }
    for (size_t c0 = i; c0 < n; c0 += NOISE_CHUNK)
        expose_span(a, c0, n - c0 < NOISE_CHUNK ? n - c0 : NOISE_CHUNK);
}
#endif /* FB_SENSOR_NO_AVX512 */
#endif

/* Pixel i alone, whatever its parity (a span that starts on an odd pixel): the word of its
 * pair, its half. */
static uint16_t one_pixel(const fb_sensor_frame *f, const fb_sensor *s, float rad,
                          const float *illum, float housing, size_t i)
{
    if (illum)
        rad = shade(rad, illum[0], housing);
    float z = 0.0f;
    if (f->sd > 0.0f) {
        uint32_t w = mix32(mix32((uint32_t)(i / 2) ^ f->key_a) ^ f->key_b);
        z = fb_rng_normal_table[(i & 1) ? w >> 16 : w & 0xffffu];
        return to_counts(f->gain * rad + (f->base + s->fpn_counts[i] +
                                          f->grow * s->fpn_growth[i] + z * f->sd),
                         f->top);
    }
    return to_counts(f->gain * rad + (f->base + s->fpn_counts[i] + f->grow * s->fpn_growth[i]),
                     f->top);
}

unsigned fb_sensor_begin(fb_sensor *s, double t_s, fb_sensor_frame *f)
{
    const fb_sensor_params *p = &s->p;
    memset(f, 0, sizeof(*f));
    advance(s, t_s);
    t_s = s->t_s;
    f->t_s = t_s;
    if (s->frozen_left > 0) { /* shutter closed: the last frame again */
        f->flags = FB_SENSOR_FROZEN;
        return f->flags;
    }

    /* Per pixel: v = G L + (8192 - G L_ref + offset + drift + 0.5) + fpn + growth u + noise,
     * then clamp to [0, 16383.5] and truncate: round half up to 0..16383. */
    double d_cal = s->fpa_c - s->fpa_cal_c;
    s->gain_now = s->gain_counts_per_radiance * (1.0 + p->responsivity_tc_per_k * d_cal);
    s->offset_k =
        p->fpa_offset_k_per_k * d_cal + p->ffc_offset_k_per_k * (s->fpa_c - s->fpa_at_ffc_c);
    f->gain = (float)s->gain_now;
    f->base = (float)((double)FB_SENSOR_COUNTS_MID - s->gain_now * s->reference_radiance +
                      p->counts_per_k * s->offset_k + s->drift_counts + 0.5);
    f->grow = (float)(p->counts_per_k * p->fpn_growth_k_per_s * (t_s - s->t_ffc_s));
    f->top = (float)FB_SENSOR_COUNTS_MAX + 0.5f;
    f->sd = s->noise_sd_counts;
    f->noisy_sd = FB_SENSOR_NOISY_NETDS * (double)s->noise_sd_counts;
    if (f->sd > 0.0f) { /* this exposure's noise keys: one draw of the noise stream */
        uint64_t k = fb_rng_next(&s->noise_rng);
        f->key_a = (uint32_t)k;
        f->key_b = (uint32_t)(k >> 32);
    }
    /* Shutter: due by time since the last FFC started, or by the FPA's move since the last. */
    f->ffc_due = (p->ffc_period_s > 0.0 && t_s - s->t_ffc_start_s >= p->ffc_period_s) ||
                 (p->ffc_delta_k > 0.0 && fabs(s->fpa_c - s->fpa_at_ffc_c) >= p->ffc_delta_k);
    return 0;
}

void fb_sensor_pixels(fb_sensor *s, fb_sensor_frame *f, const float *radiance, size_t i0,
                      size_t m, uint16_t *counts)
{
    fb_sensor_pixels_shaded(s, f, radiance, NULL, 0.0f, i0, m, counts);
}

/* fb_sensor_pixels_shaded with the noise scratch idx/shaded (NOISE_CHUNK each) and, when z is
 * not NULL, the noisy pixels' draws taken from z (fb_sensor_noisy_draws) instead of the
 * stream. */
static void pixels_span(fb_sensor *s, fb_sensor_frame *f, const float *radiance,
                        const float *illum, float housing_radiance, size_t i0, size_t m,
                        uint16_t *counts, uint16_t *idx, float *shaded, const double *z)
{
    const size_t n = (size_t)s->p.width * (size_t)s->p.height;
    if (m == 0 || i0 >= n)
        return;
    if (m > n - i0)
        m = n - i0;
    if (f->flags & FB_SENSOR_FROZEN) {
        memcpy(counts + i0, s->hold + i0, m * sizeof(*counts));
        return;
    }
    size_t i = i0, end = i0 + m;
    if (i & 1) { /* the span starts on an odd pixel: it alone, then pairs */
        counts[i] = one_pixel(f, s, radiance[0], illum, housing_radiance, i);
        i++;
    }
    if (i < end) {
        expose_args a = {
            .rad = radiance + (i - i0),
            .fpn = s->fpn_counts + i,
            .fg = s->fpn_growth + i,
            .out = counts + i,
            .idx = idx,
            .gain = f->gain,
            .base = f->base,
            .grow = f->grow,
            .top = f->top,
            .sd = f->sd,
            .key_a = f->key_a,
            .key_b = f->key_b,
            .pair0 = (uint32_t)(i / 2),
            .illum = illum ? illum + (i - i0) : NULL,
            .housing = housing_radiance,
            .shaded = shaded,
        };
#ifdef FB_SENSOR_AVX512
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
            expose_pixels_avx512(&a, end - i);
        else
#endif
#ifdef FB_SENSOR_AVX2
        if (__builtin_cpu_supports("avx2"))
            expose_pixels_avx2(&a, end - i);
        else
#endif
            expose_pixels_c(&a, end - i);
    }

    /* Noisy pixels of the span after their onset, then the dead ones (both lists by index). */
    const double t_s = f->t_s;
    for (; f->next_noisy < s->n_noisy && s->noisy[f->next_noisy].index < end; f->next_noisy++) {
        const fb_sensor_noisy *q = &s->noisy[f->next_noisy];
        if (q->index < i0 || !((double)q->onset_s <= t_s))
            continue;
        const double zn = z ? z[f->next_noisy] : fb_rng_normal(&s->noisy_rng);
        float v = (float)counts[q->index] + (float)(f->noisy_sd * zn) + 0.5f;
        counts[q->index] = to_counts(v, f->top);
    }
    for (; f->next_dead < s->n_dead && s->dead_index[f->next_dead] < end; f->next_dead++)
        if (s->dead_index[f->next_dead] >= i0)
            counts[s->dead_index[f->next_dead]] = s->dead_counts[f->next_dead];
    if (f->ffc_due && s->p.ffc_frames > 0)
        memcpy(s->hold + i0, counts + i0, m * sizeof(*counts));
}

void fb_sensor_pixels_shaded(fb_sensor *s, fb_sensor_frame *f, const float *radiance,
                             const float *illum, float housing_radiance, size_t i0, size_t m,
                             uint16_t *counts)
{
    pixels_span(s, f, radiance, illum, housing_radiance, i0, m, counts, s->noise_index,
                s->noise_shaded, NULL);
}

size_t fb_sensor_noisy_count(const fb_sensor *s)
{
    return s->n_noisy;
}

void fb_sensor_noisy_draws(fb_sensor *s, const fb_sensor_frame *f, double *z)
{
    if (f->flags & FB_SENSOR_FROZEN)
        return;
    for (size_t k = 0; k < s->n_noisy; k++) /* the draws fb_sensor_pixels makes, in its order */
        z[k] = (double)s->noisy[k].onset_s <= f->t_s ? fb_rng_normal(&s->noisy_rng) : 0.0;
}

/* The first noisy and the first dead pixel at or after pixel i (both lists ascend). */
static size_t first_noisy(const fb_sensor *s, size_t i)
{
    size_t lo = 0, hi = s->n_noisy;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->noisy[mid].index < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t first_dead(const fb_sensor *s, size_t i)
{
    size_t lo = 0, hi = s->n_dead;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->dead_index[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int fb_sensor_scratch_init(fb_sensor_scratch *sc)
{
    sc->index = malloc(NOISE_CHUNK * sizeof(*sc->index));
    sc->shaded = malloc(NOISE_CHUNK * sizeof(*sc->shaded));
    if (!sc->index || !sc->shaded) {
        fb_sensor_scratch_free(sc);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_sensor_scratch_free(fb_sensor_scratch *sc)
{
    free(sc->index);
    free(sc->shaded);
    sc->index = NULL;
    sc->shaded = NULL;
}

void fb_sensor_part_begin(const fb_sensor *s, const fb_sensor_frame *f, size_t i0,
                          fb_sensor_frame *part)
{
    *part = *f;
    part->next_noisy = first_noisy(s, i0);
    part->next_dead = first_dead(s, i0);
}

void fb_sensor_pixels_part(fb_sensor *s, fb_sensor_frame *part, const float *radiance,
                           const float *illum, float housing_radiance, size_t i0, size_t m,
                           uint16_t *counts, fb_sensor_scratch *sc, const double *z)
{
    pixels_span(s, part, radiance, illum, housing_radiance, i0, m, counts, sc->index,
                sc->shaded, z);
}

void fb_sensor_end(fb_sensor *s, fb_sensor_frame *f)
{
    if (f->flags & FB_SENSOR_FROZEN) {
        if (--s->frozen_left == 0)
            ffc_complete(s, f->t_s);
        return;
    }
    if (f->ffc_due) {
        s->t_ffc_start_s = f->t_s;
        if (s->p.ffc_frames > 0)
            s->frozen_left = s->p.ffc_frames;
        else
            ffc_complete(s, f->t_s);
    }
}

unsigned fb_sensor_expose(fb_sensor *s, const float *radiance, double t_s, uint16_t *counts_out)
{
    fb_sensor_frame f;
    unsigned flags = fb_sensor_begin(s, t_s, &f);
    fb_sensor_pixels(s, &f, radiance, 0, (size_t)s->p.width * (size_t)s->p.height, counts_out);
    fb_sensor_end(s, &f);
    return flags;
}
