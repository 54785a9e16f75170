/* vertices.c — a posed mesh's vertices shaded and projected: one at a time, and eight at a time
 * in AVX-512 or AVX2 lanes with the same operations in the same order (so the same floats). */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "vertices.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FB_VERTICES_SIMD 1
#else
#define FB_VERTICES_SIMD 0
#endif

/* no nearer than this to the lens (m): nothing is drawn of a vertex closer */
#define NEAREST_M 0.05

void fb_vert_box_empty(fb_vert_box *b)
{
    b->bx0 = b->by0 = b->fx0 = b->fy0 = INFINITY;
    b->bx1 = b->by1 = b->fx1 = b->fy1 = -INFINITY;
}

/* Emissivity at normal emissivity eps0 seen at cos(view) c: bilinear in the table. */
static float eps_at(const float (*t)[65], float eps0, float c)
{
    float fi = (eps0 - 0.85f) * 100.0f;
    fi = fi < 0 ? 0 : fi > 15 ? 15 : fi;
    int i0 = (int)fi;
    int i1 = i0 < 15 ? i0 + 1 : 15;
    float a = fi - (float)i0;
    float fj = (c < 0 ? 0 : c > 1 ? 1 : c) * 64.0f;
    int j0 = (int)fj;
    int j1 = j0 < 64 ? j0 + 1 : 64;
    float b = fj - (float)j0;
    float e0 = t[i0][j0] + b * (t[i0][j1] - t[i0][j0]);
    float e1 = t[i1][j0] + b * (t[i1][j1] - t[i1][j0]);
    return e0 + a * (e1 - e0);
}

static bool is_face(uint8_t part)
{
    return part == FB_PART_FACE || part == FB_PART_HAT;
}

static void shade_one(const fb_vert_ctx *c, const fb_fig_vertex *fv, fb_rvert *rv, uint8_t *part,
                      fb_vert_box *box)
{
    const double cam[3] = {0.0, 0.0, c->geom->height_m};
    double lp[3] = {fv->p[0], fv->p[1], fv->p[2]}, ln[3] = {fv->n[0], fv->n[1], fv->n[2]};
    double p[3], n[3];
    fb_figure_xform_point(c->bone, lp, p);
    fb_figure_xform_dir(c->bone, ln, n);
    double vx = p[0] - cam[0], vy = p[1] - cam[1], vz = p[2] - cam[2];
    double vl = sqrt(vx * vx + vy * vy + vz * vz);
    float cs = (float)(-(n[0] * vx + n[1] * vy + n[2] * vz) / vl);
    float b = 0;
    for (int q = 0; q < FB_FIG_WEIGHTS; q++)
        b += fv->w[q] * c->zone_rad[fv->zone[q]];
    if (fv->spot_id) /* toward the canthus temperature, all the way at its centre */
        b += fv->spot * (c->spot_rad[fv->spot_id] - b);
    float e = eps_at(c->eps_table, fv->eps0, cs);
    float l = e * b + (1.0f - e) * c->refl_rad;
    double u, v, depth;
    if (!fb_camera_project(c->geom, p[0], p[1], p[2], &u, &v, &depth) || depth < NEAREST_M) {
        rv->inv_z = 0.0f;
    } else {
        rv->x = (float)u;
        rv->y = (float)v;
        rv->inv_z = (float)(1.0 / depth);
        /* (u, v are never NaN nor -0: plain comparisons give fmin's and fmax's values) */
        box->bx0 = u < box->bx0 ? u : box->bx0, box->bx1 = u > box->bx1 ? u : box->bx1;
        box->by0 = v < box->by0 ? v : box->by0, box->by1 = v > box->by1 ? v : box->by1;
        if (is_face(fv->part))
            box->fx0 = u < box->fx0 ? u : box->fx0, box->fx1 = u > box->fx1 ? u : box->fx1,
            box->fy0 = v < box->fy0 ? v : box->fy0, box->fy1 = v > box->fy1 ? v : box->fy1;
    }
    rv->rad = c->tau * l + c->air_rad;
    *part = fv->part;
}

#if FB_VERTICES_SIMD
#define T512 FB_TARGET_AVX512

/* x < lo ? lo : x > hi ? hi : x, lane by lane (exactly the scalar's choice) */
T512 static inline __m256 clamp_ps(__m256 x, float lo, float hi)
{
    __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
    __m256 y = _mm256_mask_blend_ps(_mm256_cmp_ps_mask(x, h, _CMP_GT_OQ), x, h);
    return _mm256_mask_blend_ps(_mm256_cmp_ps_mask(x, l, _CMP_LT_OQ), y, l);
}

/* t[i][j0] and t[i][j1] (j1 = j0 + 1, or 64 where j0 is 64), lane by lane, from one gather of
 * neighbouring pairs: the pair at min(j0, 63) holds both, or at j0 = 64 its second is both (so
 * no read past the table's end). */
T512 static inline void gather_pairs(const float (*t)[65], __m256i i, __m256i j0, __m256 *a,
                                     __m256 *b)
{
    const __m256i j = _mm256_min_epi32(j0, _mm256_set1_epi32(63));
    const __m256i k = _mm256_add_epi32(_mm256_mullo_epi32(i, _mm256_set1_epi32(65)), j);
    /* at -O0 GCC's gather is a macro whose all-lanes mask trips -Wsign-conversion */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
    const __m512 pr = _mm512_castpd_ps(_mm512_i32gather_pd(k, (const void *)&t[0][0], 4));
#pragma GCC diagnostic pop
    const __m512i even = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 15, 13, 11, 9, 7, 5, 3, 1);
    const __m256 lo = _mm512_castps512_ps256(_mm512_permutexvar_ps(even, pr));
    const __m256 hi = _mm512_castps512_ps256(_mm512_permutexvar_ps(odd, pr));
    *a = _mm256_mask_blend_ps(_mm256_cmpeq_epi32_mask(j0, _mm256_set1_epi32(64)), lo, hi);
    *b = hi;
}

/* Vertices i .. i + 7: shade_one's arithmetic lane by lane, the fields read from the mesh's
 * arrays (fb_fig_soa). */
/* The zones' radiance (FB_TZ_COUNT <= 32 entries, zero beyond) and the canthi's (3 entries)
 * in registers: a lane's table entry is picked by a permute, the same float a gather reads. */
typedef struct shade_tabs {
    __m512 zone_lo, zone_hi;
    __m256 spot;
} shade_tabs;

/* cnt (1..8) of the eight are the mesh's; always inlined, so that the loop over whole eights
 * has cnt 8 as a constant (its masks all ones, folded away). */
T512 static inline __attribute__((always_inline)) void
shade_eight(const fb_vert_ctx *c, const shade_tabs *tb, const fb_fig_soa *v, size_t at,
            unsigned cnt, fb_rvert *out, uint8_t *part, __m512d acc_min[4], __m512d acc_max[4])
{
    const double *m = c->bone;
    __m512d lp[3], ln[3], p[3], n[3];
    for (int k = 0; k < 3; k++) {
        lp[k] = _mm512_cvtps_pd(_mm256_loadu_ps(v->p[k] + at));
        ln[k] = _mm512_cvtps_pd(_mm256_loadu_ps(v->n[k] + at));
    }
    for (int i = 0; i < 3; i++) {
        __m512d m0 = _mm512_set1_pd(m[4 * i]), m1 = _mm512_set1_pd(m[4 * i + 1]);
        __m512d m2 = _mm512_set1_pd(m[4 * i + 2]), m3 = _mm512_set1_pd(m[4 * i + 3]);
        __m512d pp = _mm512_add_pd(_mm512_mul_pd(m0, lp[0]), _mm512_mul_pd(m1, lp[1]));
        pp = _mm512_add_pd(pp, _mm512_mul_pd(m2, lp[2]));
        p[i] = _mm512_add_pd(pp, m3);
        __m512d nn = _mm512_add_pd(_mm512_mul_pd(m0, ln[0]), _mm512_mul_pd(m1, ln[1]));
        n[i] = _mm512_add_pd(nn, _mm512_mul_pd(m2, ln[2]));
    }
    const __m512d zero = _mm512_setzero_pd();
    __m512d vx = _mm512_sub_pd(p[0], zero), vy = _mm512_sub_pd(p[1], zero);
    __m512d vz = _mm512_sub_pd(p[2], _mm512_set1_pd(c->geom->height_m));
    __m512d vl = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(vx, vx), _mm512_mul_pd(vy, vy)),
                               _mm512_mul_pd(vz, vz));
    vl = _mm512_sqrt_pd(vl);
    __m512d dot = _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(n[0], vx), _mm512_mul_pd(n[1], vy)),
                                _mm512_mul_pd(n[2], vz));
    __m512d neg_dot = _mm512_xor_pd(dot, _mm512_set1_pd(-0.0)); /* -dot: the sign bit flipped */
    __m256 cs = _mm512_cvtpd_ps(_mm512_div_pd(neg_dot, vl));
    __m256i zones = _mm256_loadu_si256((const __m256i *)(const void *)(v->zone + at));
    __m256 b = _mm256_setzero_ps();
    for (int q = 0; q < FB_FIG_WEIGHTS; q++) {
        __m256i z = _mm256_and_si256(_mm256_srli_epi32(zones, 8 * q), _mm256_set1_epi32(0xff));
        __m256 w = _mm256_loadu_ps(v->w[q] + at);
        __m256 zr = _mm512_castps512_ps256(
            _mm512_permutex2var_ps(tb->zone_lo, _mm512_zextsi256_si512(z), tb->zone_hi));
        b = _mm256_add_ps(b, _mm256_mul_ps(w, zr));
    }
    __m256i sp = _mm256_loadu_si256((const __m256i *)(const void *)(v->sp + at));
    __m256i spot_id = _mm256_and_si256(sp, _mm256_set1_epi32(0xff));
    __mmask8 has_spot = _mm256_cmpneq_epi32_mask(spot_id, _mm256_setzero_si256());
    if (has_spot) {
        /* spot_id is 0, 1 or 2: spot_rad[0] is there to be read, and the lanes without a
         * spot keep b */
        __m256 bs = _mm256_permutevar8x32_ps(tb->spot, spot_id);
        __m256 spot = _mm256_loadu_ps(v->spot + at);
        b = _mm256_mask_add_ps(b, has_spot, b, _mm256_mul_ps(spot, _mm256_sub_ps(bs, b)));
    }
    /* eps_at */
    __m256 eps0 = _mm256_loadu_ps(v->eps0 + at);
    __m256 fi = clamp_ps(_mm256_mul_ps(_mm256_sub_ps(eps0, _mm256_set1_ps(0.85f)),
                                       _mm256_set1_ps(100.0f)), 0.0f, 15.0f);
    __m256i i0 = _mm256_cvttps_epi32(fi);
    __m256i i1 = _mm256_min_epi32(_mm256_add_epi32(i0, _mm256_set1_epi32(1)), _mm256_set1_epi32(15));
    __m256 a = _mm256_sub_ps(fi, _mm256_cvtepi32_ps(i0));
    __m256 fj = _mm256_mul_ps(clamp_ps(cs, 0.0f, 1.0f), _mm256_set1_ps(64.0f));
    __m256i j0 = _mm256_cvttps_epi32(fj);
    __m256 bj = _mm256_sub_ps(fj, _mm256_cvtepi32_ps(j0));
    __m256 t00, t01, t10, t11;
    gather_pairs(c->eps_table, i0, j0, &t00, &t01);
    gather_pairs(c->eps_table, i1, j0, &t10, &t11);
    __m256 e0 = _mm256_add_ps(t00, _mm256_mul_ps(bj, _mm256_sub_ps(t01, t00)));
    __m256 e1 = _mm256_add_ps(t10, _mm256_mul_ps(bj, _mm256_sub_ps(t11, t10)));
    __m256 e = _mm256_add_ps(e0, _mm256_mul_ps(a, _mm256_sub_ps(e1, e0)));
    __m256 l = _mm256_add_ps(_mm256_mul_ps(e, b), _mm256_mul_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), e),
                                                                _mm256_set1_ps(c->refl_rad)));
    __m256 rad = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(c->tau), l), _mm256_set1_ps(c->air_rad));
    /* fb_camera_project */
    const fb_camera_geom *g = c->geom;
    __m512d pz = _mm512_sub_pd(p[2], _mm512_set1_pd(g->height_m));
    __m512d depth = _mm512_sub_pd(_mm512_mul_pd(p[1], _mm512_set1_pd(g->cos_t)),
                                  _mm512_mul_pd(pz, _mm512_set1_pd(g->sin_t)));
    __mmask8 ok = _mm512_cmp_pd_mask(depth, _mm512_set1_pd(FB_CAMERA_MIN_DEPTH_M), _CMP_GT_OQ);
    ok &= (__mmask8)~_mm512_cmp_pd_mask(depth, _mm512_set1_pd(NEAREST_M), _CMP_LT_OQ);
    const __mmask8 live = (__mmask8)(0xffu >> (8 - cnt)); /* lanes past the mesh's end: padding */
    __m512d up = _mm512_add_pd(_mm512_mul_pd(p[1], _mm512_set1_pd(g->sin_t)),
                               _mm512_mul_pd(pz, _mm512_set1_pd(g->cos_t)));
    __m512d f = _mm512_set1_pd(g->focal_px);
    __m512d u = _mm512_add_pd(_mm512_set1_pd(g->cx), _mm512_div_pd(_mm512_mul_pd(f, p[0]), depth));
    __m512d vv = _mm512_sub_pd(_mm512_set1_pd(g->cy), _mm512_div_pd(_mm512_mul_pd(f, up), depth));
    __m256 iz = _mm512_cvtpd_ps(_mm512_div_pd(_mm512_set1_pd(1.0), depth));
    iz = _mm256_maskz_mov_ps(ok, iz);
    __m256i parts = _mm256_and_si256(_mm256_srli_epi32(sp, 8), _mm256_set1_epi32(0xff));
    __mmask8 face = _mm256_cmpeq_epi32_mask(parts, _mm256_set1_epi32(FB_PART_FACE)) |
                    _mm256_cmpeq_epi32_mask(parts, _mm256_set1_epi32(FB_PART_HAT));
    face &= ok;
    const __mmask8 seen = ok & live;
    face &= live;
    acc_min[0] = _mm512_mask_min_pd(acc_min[0], seen, acc_min[0], u);
    acc_max[0] = _mm512_mask_max_pd(acc_max[0], seen, acc_max[0], u);
    acc_min[1] = _mm512_mask_min_pd(acc_min[1], seen, acc_min[1], vv);
    acc_max[1] = _mm512_mask_max_pd(acc_max[1], seen, acc_max[1], vv);
    acc_min[2] = _mm512_mask_min_pd(acc_min[2], face, acc_min[2], u);
    acc_max[2] = _mm512_mask_max_pd(acc_max[2], face, acc_max[2], u);
    acc_min[3] = _mm512_mask_min_pd(acc_min[3], face, acc_min[3], vv);
    acc_max[3] = _mm512_mask_max_pd(acc_max[3], face, acc_max[3], vv);
    /* the four fields interleaved into eight fb_rvert (x, y, inv_z, rad) by shuffles: two
     * 512-bit stores (masked to the mesh's vertices) instead of a store per field per vertex */
    _Static_assert(sizeof(fb_rvert) == 16, "fb_rvert is four floats");
    const __m512 x = _mm512_castps256_ps512(_mm512_cvtpd_ps(u));
    const __m512 y = _mm512_castps256_ps512(_mm512_cvtpd_ps(vv));
    const __m512 z = _mm512_castps256_ps512(iz), r = _mm512_castps256_ps512(rad);
    /* xy: x0 y0 x1 y1 .. x7 y7, zr: z0 r0 .. z7 r7 (each pair a 64-bit lane) */
    const __m512i pair = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512d xy = _mm512_castps_pd(_mm512_permutex2var_ps(x, pair, y));
    const __m512d zr = _mm512_castps_pd(_mm512_permutex2var_ps(z, pair, r));
    /* vertex k is xy's lane k then zr's lane k */
    const __m512i lo4 = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i hi4 = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    const __m512 v03 = _mm512_castpd_ps(_mm512_permutex2var_pd(xy, lo4, zr));
    const __m512 v47 = _mm512_castpd_ps(_mm512_permutex2var_pd(xy, hi4, zr));
    const unsigned lanes = 4 * cnt; /* floats to store */
    const __mmask16 m03 = (__mmask16)(lanes >= 16 ? 0xffffu : (1u << lanes) - 1u);
    _mm512_mask_storeu_ps((float *)(void *)out, m03, v03);
    if (lanes > 16)
        _mm512_mask_storeu_ps((float *)(void *)(out + 4),
                              (__mmask16)(lanes >= 32 ? 0xffffu : (1u << (lanes - 16)) - 1u), v47);
    _mm256_mask_cvtepi32_storeu_epi8(part, live, parts);
}

/* Vertices [0, n): the last eight may run past n into the arrays' zero padding (fb_fig_soa),
 * whose lanes are neither stored nor boxed. */
T512 static void shade_512(const fb_vert_ctx *c, const fb_fig_soa *v, uint32_t n,
                           fb_rvert *out, uint8_t *part, fb_vert_box *box)
{
    _Static_assert(FB_TZ_COUNT <= 32, "the zones' radiance must fit two registers");
    _Static_assert(FB_FIG_SOA_ALIGN % 8 == 0, "the last eight lanes must be in the padding");
    float zt[32] = {0}, st[8] = {0};
    for (int z = 0; z < FB_TZ_COUNT; z++)
        zt[z] = c->zone_rad[z];
    for (int k = 0; k < 3; k++)
        st[k] = c->spot_rad[k];
    const shade_tabs tb = {_mm512_loadu_ps(zt), _mm512_loadu_ps(zt + 16), _mm256_loadu_ps(st)};
    __m512d lo[4], hi[4];
    for (int k = 0; k < 4; k++)
        lo[k] = _mm512_set1_pd(INFINITY), hi[k] = _mm512_set1_pd(-INFINITY);
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8)
        shade_eight(c, &tb, v, i, 8, out + i, part + i, lo, hi);
    if (i < n)
        shade_eight(c, &tb, v, i, n - i, out + i, part + i, lo, hi);
    double l[4], h[4];
    for (int k = 0; k < 4; k++)
        l[k] = _mm512_reduce_min_pd(lo[k]), h[k] = _mm512_reduce_max_pd(hi[k]);
    box->bx0 = l[0] < box->bx0 ? l[0] : box->bx0, box->bx1 = h[0] > box->bx1 ? h[0] : box->bx1;
    box->by0 = l[1] < box->by0 ? l[1] : box->by0, box->by1 = h[1] > box->by1 ? h[1] : box->by1;
    box->fx0 = l[2] < box->fx0 ? l[2] : box->fx0, box->fx1 = h[2] > box->fx1 ? h[2] : box->fx1;
    box->fy0 = l[3] < box->fy0 ? l[3] : box->fy0, box->fy1 = h[3] > box->fy1 ? h[3] : box->fy1;
}
#endif

#if FB_VERTICES_SIMD
#define T2 FB_TARGET_AVX2

/* x < lo ? lo : x > hi ? hi : x, lane by lane (exactly the scalar's choice) */
T2 static inline __m256 clamp2_ps(__m256 x, float lo, float hi)
{
    __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
    __m256 y = _mm256_blendv_ps(x, h, _mm256_cmp_ps(x, h, _CMP_GT_OQ));
    return _mm256_blendv_ps(y, l, _mm256_cmp_ps(x, l, _CMP_LT_OQ));
}

/* The zones' radiance (FB_TZ_COUNT <= 24 entries, zero beyond) in three registers and the
 * canthi's (3 entries): a lane's entry is picked by permutes, the same float a gather reads
 * (measured faster than _mm256_i32gather_ps on Zen 3). */
typedef struct shade_tabs2 {
    __m256 zone[3];
    __m256 spot;
} shade_tabs2;

/* zone_rad[z] lane by lane, z in [0, 24): bit 3 picks the second register, bit 4 the third
 * (blendv reads each lane's sign bit) */
T2 static inline __m256 zone_rad2(const shade_tabs2 *tb, __m256i z)
{
    __m256 r = _mm256_permutevar8x32_ps(tb->zone[0], z);
    r = _mm256_blendv_ps(r, _mm256_permutevar8x32_ps(tb->zone[1], z),
                         _mm256_castsi256_ps(_mm256_slli_epi32(z, 28)));
    return _mm256_blendv_ps(r, _mm256_permutevar8x32_ps(tb->zone[2], z),
                            _mm256_castsi256_ps(_mm256_slli_epi32(z, 27)));
}

/* t[k0], t[k0 + 1], t[k1], t[k1 + 1]: two neighbouring pairs by 64-bit loads */
T2 static inline __m128 pair2(const float *t, int k0, int k1)
{
    return _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)(const void *)(t + k0)),
                        (const __m64 *)(const void *)(t + k1));
}

/* gather_pairs in AVX2: the row's eight pairs by plain 64-bit loads (on Zen 3 8.3 ns a vertex
 * against 8.6 with two vgatherdpd a row), lanes 0, 1, 4, 5 then 2, 3, 6, 7 so that one in-lane
 * shuffle puts the pairs' firsts (and seconds) in vertex order. j0 is also held at 0 or more,
 * for the padding's lanes (a NaN cosine, were one at the lens itself, must still read inside
 * the table). */
T2 static inline void gather_pairs2(const float (*t)[65], __m256i i, __m256i j0, __m256 *a,
                                    __m256 *b)
{
    const __m256i j =
        _mm256_max_epi32(_mm256_min_epi32(j0, _mm256_set1_epi32(63)), _mm256_setzero_si256());
    int32_t k[8];
    _mm256_storeu_si256((__m256i *)(void *)k,
                        _mm256_add_epi32(_mm256_mullo_epi32(i, _mm256_set1_epi32(65)), j));
    const float *base = &t[0][0];
    const __m256 p0 = _mm256_set_m128(pair2(base, k[4], k[5]), pair2(base, k[0], k[1]));
    const __m256 p1 = _mm256_set_m128(pair2(base, k[6], k[7]), pair2(base, k[2], k[3]));
    const __m256 lo = _mm256_shuffle_ps(p0, p1, _MM_SHUFFLE(2, 0, 2, 0));
    const __m256 hi = _mm256_shuffle_ps(p0, p1, _MM_SHUFFLE(3, 1, 3, 1));
    *a = _mm256_blendv_ps(lo, hi,
                          _mm256_castsi256_ps(_mm256_cmpeq_epi32(j0, _mm256_set1_epi32(64))));
    *b = hi;
}

/* Vertices at .. at + 7 as shade_eight does them, the double arithmetic in two halves of four;
 * cnt (1..8) of them are the mesh's, the others neither boxed nor meant to be kept (all eight
 * are stored: the last group's go to a scratch copy). Always inlined, so that cnt 8 folds. */
T2 static inline __attribute__((always_inline)) void
shade_eight2(const fb_vert_ctx *c, const shade_tabs2 *tb, const fb_fig_soa *v, size_t at,
             unsigned cnt, fb_rvert *out, uint8_t *part, __m256d acc_min[4], __m256d acc_max[4])
{
    const double *m = c->bone;
    const fb_camera_geom *g = c->geom;
    __m128 cs4[2], x4[2], y4[2], iz4[2];
    __m256d ok[2], u[2], vv[2];
    for (int h = 0; h < 2; h++) {
        const size_t o = at + 4 * (size_t)h;
        __m256d lp[3], ln[3], p[3], n[3];
        for (int k = 0; k < 3; k++) {
            lp[k] = _mm256_cvtps_pd(_mm_loadu_ps(v->p[k] + o));
            ln[k] = _mm256_cvtps_pd(_mm_loadu_ps(v->n[k] + o));
        }
        for (int i = 0; i < 3; i++) {
            __m256d m0 = _mm256_set1_pd(m[4 * i]), m1 = _mm256_set1_pd(m[4 * i + 1]);
            __m256d m2 = _mm256_set1_pd(m[4 * i + 2]), m3 = _mm256_set1_pd(m[4 * i + 3]);
            __m256d pp = _mm256_add_pd(_mm256_mul_pd(m0, lp[0]), _mm256_mul_pd(m1, lp[1]));
            pp = _mm256_add_pd(pp, _mm256_mul_pd(m2, lp[2]));
            p[i] = _mm256_add_pd(pp, m3);
            __m256d nn = _mm256_add_pd(_mm256_mul_pd(m0, ln[0]), _mm256_mul_pd(m1, ln[1]));
            n[i] = _mm256_add_pd(nn, _mm256_mul_pd(m2, ln[2]));
        }
        const __m256d zero = _mm256_setzero_pd();
        __m256d vx = _mm256_sub_pd(p[0], zero), vy = _mm256_sub_pd(p[1], zero);
        __m256d vz = _mm256_sub_pd(p[2], _mm256_set1_pd(g->height_m));
        __m256d vl = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(vx, vx), _mm256_mul_pd(vy, vy)),
                                   _mm256_mul_pd(vz, vz));
        vl = _mm256_sqrt_pd(vl);
        __m256d dot = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(n[0], vx), _mm256_mul_pd(n[1], vy)),
                                    _mm256_mul_pd(n[2], vz));
        __m256d neg_dot = _mm256_xor_pd(dot, _mm256_set1_pd(-0.0)); /* -dot: the sign flipped */
        cs4[h] = _mm256_cvtpd_ps(_mm256_div_pd(neg_dot, vl));
        /* fb_camera_project, and no nearer than NEAREST_M */
        __m256d pz = _mm256_sub_pd(p[2], _mm256_set1_pd(g->height_m));
        __m256d depth = _mm256_sub_pd(_mm256_mul_pd(p[1], _mm256_set1_pd(g->cos_t)),
                                      _mm256_mul_pd(pz, _mm256_set1_pd(g->sin_t)));
        ok[h] = _mm256_andnot_pd(
            _mm256_cmp_pd(depth, _mm256_set1_pd(NEAREST_M), _CMP_LT_OQ),
            _mm256_cmp_pd(depth, _mm256_set1_pd(FB_CAMERA_MIN_DEPTH_M), _CMP_GT_OQ));
        __m256d up = _mm256_add_pd(_mm256_mul_pd(p[1], _mm256_set1_pd(g->sin_t)),
                                   _mm256_mul_pd(pz, _mm256_set1_pd(g->cos_t)));
        __m256d f = _mm256_set1_pd(g->focal_px);
        u[h] = _mm256_add_pd(_mm256_set1_pd(g->cx), _mm256_div_pd(_mm256_mul_pd(f, p[0]), depth));
        vv[h] = _mm256_sub_pd(_mm256_set1_pd(g->cy), _mm256_div_pd(_mm256_mul_pd(f, up), depth));
        /* 0 (+0.0f) where not drawn */
        iz4[h] = _mm256_cvtpd_ps(_mm256_and_pd(ok[h], _mm256_div_pd(_mm256_set1_pd(1.0), depth)));
        x4[h] = _mm256_cvtpd_ps(u[h]);
        y4[h] = _mm256_cvtpd_ps(vv[h]);
    }
    const __m256 cs = _mm256_set_m128(cs4[1], cs4[0]);
    __m256i zones = _mm256_loadu_si256((const __m256i *)(const void *)(v->zone + at));
    __m256 b = _mm256_setzero_ps();
    for (int q = 0; q < FB_FIG_WEIGHTS; q++) {
        __m256i z = _mm256_and_si256(_mm256_srli_epi32(zones, 8 * q), _mm256_set1_epi32(0xff));
        __m256 w = _mm256_loadu_ps(v->w[q] + at);
        b = _mm256_add_ps(b, _mm256_mul_ps(w, zone_rad2(tb, z)));
    }
    __m256i sp = _mm256_loadu_si256((const __m256i *)(const void *)(v->sp + at));
    __m256i spot_id = _mm256_and_si256(sp, _mm256_set1_epi32(0xff));
    __m256 no_spot = _mm256_castsi256_ps(_mm256_cmpeq_epi32(spot_id, _mm256_setzero_si256()));
    if (_mm256_movemask_ps(no_spot) != 0xff) {
        /* spot_id is 0, 1 or 2: spot_rad[0] is there to be read, and the lanes without a
         * spot keep b */
        __m256 bs = _mm256_permutevar8x32_ps(tb->spot, spot_id);
        __m256 spot = _mm256_loadu_ps(v->spot + at);
        b = _mm256_blendv_ps(_mm256_add_ps(b, _mm256_mul_ps(spot, _mm256_sub_ps(bs, b))), b,
                             no_spot);
    }
    /* eps_at */
    __m256 eps0 = _mm256_loadu_ps(v->eps0 + at);
    __m256 fi =
        clamp2_ps(_mm256_mul_ps(_mm256_sub_ps(eps0, _mm256_set1_ps(0.85f)), _mm256_set1_ps(100.0f)),
                  0.0f, 15.0f);
    __m256i i0 = _mm256_cvttps_epi32(fi);
    __m256i i1 =
        _mm256_min_epi32(_mm256_add_epi32(i0, _mm256_set1_epi32(1)), _mm256_set1_epi32(15));
    __m256 a = _mm256_sub_ps(fi, _mm256_cvtepi32_ps(i0));
    __m256 fj = _mm256_mul_ps(clamp2_ps(cs, 0.0f, 1.0f), _mm256_set1_ps(64.0f));
    __m256i j0 = _mm256_cvttps_epi32(fj);
    __m256 bj = _mm256_sub_ps(fj, _mm256_cvtepi32_ps(j0));
    __m256 t00, t01, t10, t11;
    gather_pairs2(c->eps_table, i0, j0, &t00, &t01);
    gather_pairs2(c->eps_table, i1, j0, &t10, &t11);
    __m256 e0 = _mm256_add_ps(t00, _mm256_mul_ps(bj, _mm256_sub_ps(t01, t00)));
    __m256 e1 = _mm256_add_ps(t10, _mm256_mul_ps(bj, _mm256_sub_ps(t11, t10)));
    __m256 e = _mm256_add_ps(e0, _mm256_mul_ps(a, _mm256_sub_ps(e1, e0)));
    __m256 l =
        _mm256_add_ps(_mm256_mul_ps(e, b), _mm256_mul_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), e),
                                                         _mm256_set1_ps(c->refl_rad)));
    __m256 rad =
        _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(c->tau), l), _mm256_set1_ps(c->air_rad));
    /* the boxes: lanes not drawn, or past the mesh's end, offer +-inf */
    __m256i parts = _mm256_and_si256(_mm256_srli_epi32(sp, 8), _mm256_set1_epi32(0xff));
    __m256i face = _mm256_or_si256(_mm256_cmpeq_epi32(parts, _mm256_set1_epi32(FB_PART_FACE)),
                                   _mm256_cmpeq_epi32(parts, _mm256_set1_epi32(FB_PART_HAT)));
    __m256i live =
        _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cnt), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256d inf = _mm256_set1_pd(INFINITY), ninf = _mm256_set1_pd(-INFINITY);
    for (int h = 0; h < 2; h++) {
        __m128i live4 = h ? _mm256_extracti128_si256(live, 1) : _mm256_castsi256_si128(live);
        __m128i face4 = h ? _mm256_extracti128_si256(face, 1) : _mm256_castsi256_si128(face);
        __m256d seen = _mm256_and_pd(ok[h], _mm256_castsi256_pd(_mm256_cvtepi32_epi64(live4)));
        __m256d fs = _mm256_and_pd(seen, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(face4)));
        acc_min[0] = _mm256_min_pd(acc_min[0], _mm256_blendv_pd(inf, u[h], seen));
        acc_max[0] = _mm256_max_pd(acc_max[0], _mm256_blendv_pd(ninf, u[h], seen));
        acc_min[1] = _mm256_min_pd(acc_min[1], _mm256_blendv_pd(inf, vv[h], seen));
        acc_max[1] = _mm256_max_pd(acc_max[1], _mm256_blendv_pd(ninf, vv[h], seen));
        acc_min[2] = _mm256_min_pd(acc_min[2], _mm256_blendv_pd(inf, u[h], fs));
        acc_max[2] = _mm256_max_pd(acc_max[2], _mm256_blendv_pd(ninf, u[h], fs));
        acc_min[3] = _mm256_min_pd(acc_min[3], _mm256_blendv_pd(inf, vv[h], fs));
        acc_max[3] = _mm256_max_pd(acc_max[3], _mm256_blendv_pd(ninf, vv[h], fs));
    }
    /* eight fb_rvert (x, y, inv_z, rad) interleaved by unpacks: four 256-bit stores */
    _Static_assert(sizeof(fb_rvert) == 16, "fb_rvert is four floats");
    const __m256 x = _mm256_set_m128(x4[1], x4[0]), y = _mm256_set_m128(y4[1], y4[0]);
    const __m256 z = _mm256_set_m128(iz4[1], iz4[0]);
    /* xy_lo: x0 y0 x1 y1 | x4 y4 x5 y5, xy_hi: x2 y2 x3 y3 | x6 y6 x7 y7; zr alike */
    const __m256d xy_lo = _mm256_castps_pd(_mm256_unpacklo_ps(x, y));
    const __m256d xy_hi = _mm256_castps_pd(_mm256_unpackhi_ps(x, y));
    const __m256d zr_lo = _mm256_castps_pd(_mm256_unpacklo_ps(z, rad));
    const __m256d zr_hi = _mm256_castps_pd(_mm256_unpackhi_ps(z, rad));
    const __m256 v04 = _mm256_castpd_ps(_mm256_unpacklo_pd(xy_lo, zr_lo)); /* vertex 0 | 4 */
    const __m256 v15 = _mm256_castpd_ps(_mm256_unpackhi_pd(xy_lo, zr_lo));
    const __m256 v26 = _mm256_castpd_ps(_mm256_unpacklo_pd(xy_hi, zr_hi));
    const __m256 v37 = _mm256_castpd_ps(_mm256_unpackhi_pd(xy_hi, zr_hi));
    float *o = (float *)(void *)out;
    _mm256_storeu_ps(o, _mm256_permute2f128_ps(v04, v15, 0x20));
    _mm256_storeu_ps(o + 8, _mm256_permute2f128_ps(v26, v37, 0x20));
    _mm256_storeu_ps(o + 16, _mm256_permute2f128_ps(v04, v15, 0x31));
    _mm256_storeu_ps(o + 24, _mm256_permute2f128_ps(v26, v37, 0x31));
    /* the parts: byte 1 of each sp, lanes 0..3 then 4..7 brought together */
    const __m128i pick = _mm_setr_epi8(1, 5, 9, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i pb =
        _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(sp, _mm256_broadcastsi128_si256(pick)),
                                    _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0));
    _mm_storel_epi64((__m128i *)(void *)part, _mm256_castsi256_si128(pb));
}

/* Vertices [0, n) as shade_512 does them: the last eight may run past n into the arrays' zero
 * padding (fb_fig_soa), whose lanes are neither boxed nor copied out. */
T2 static void shade_avx2(const fb_vert_ctx *c, const fb_fig_soa *v, uint32_t n, fb_rvert *out,
                          uint8_t *part, fb_vert_box *box)
{
    _Static_assert(FB_TZ_COUNT <= 24, "the zones' radiance must fit three registers");
    _Static_assert(FB_FIG_SOA_ALIGN % 8 == 0, "the last eight lanes must be in the padding");
    float zt[24] = {0}, st[8] = {0};
    for (int z = 0; z < FB_TZ_COUNT; z++)
        zt[z] = c->zone_rad[z];
    for (int k = 0; k < 3; k++)
        st[k] = c->spot_rad[k];
    const shade_tabs2 tb = {
        {_mm256_loadu_ps(zt), _mm256_loadu_ps(zt + 8), _mm256_loadu_ps(zt + 16)},
        _mm256_loadu_ps(st)};
    __m256d lo[4], hi[4];
    for (int k = 0; k < 4; k++)
        lo[k] = _mm256_set1_pd(INFINITY), hi[k] = _mm256_set1_pd(-INFINITY);
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8)
        shade_eight2(c, &tb, v, i, 8, out + i, part + i, lo, hi);
    if (i < n) {
        fb_rvert o8[8];
        uint8_t p8[8];
        shade_eight2(c, &tb, v, i, n - i, o8, p8, lo, hi);
        memcpy(out + i, o8, (n - i) * sizeof(*o8));
        memcpy(part + i, p8, n - i);
    }
    double l[4][4], h[4][4];
    for (int k = 0; k < 4; k++)
        _mm256_storeu_pd(l[k], lo[k]), _mm256_storeu_pd(h[k], hi[k]);
    double *bmin[4] = {&box->bx0, &box->by0, &box->fx0, &box->fy0};
    double *bmax[4] = {&box->bx1, &box->by1, &box->fx1, &box->fy1};
    for (int k = 0; k < 4; k++)
        for (int q = 0; q < 4; q++) {
            *bmin[k] = l[k][q] < *bmin[k] ? l[k][q] : *bmin[k];
            *bmax[k] = h[k][q] > *bmax[k] ? h[k][q] : *bmax[k];
        }
}
#endif

/* fb_vertices_set_isa: tests compare every path; by default the widest the CPU has */
static fb_isa g_isa = FB_ISA_BEST;

void fb_vertices_set_isa(fb_isa isa)
{
    g_isa = isa;
}

void fb_vertices_shade(const fb_vert_ctx *c, const fb_fig_vertex *v, const fb_fig_soa *soa,
                       uint32_t n, fb_rvert *out, uint8_t *part, fb_vert_box *box)
{
#if FB_VERTICES_SIMD
    if (soa && g_isa >= FB_ISA_AVX512 && fb_isa_has(FB_ISA_AVX512)) {
        shade_512(c, soa, n, out, part, box);
        return;
    }
    if (soa && g_isa >= FB_ISA_AVX2 && fb_isa_has(FB_ISA_AVX2)) {
        shade_avx2(c, soa, n, out, part, box);
        return;
    }
#else
    (void)soa;
#endif
    for (uint32_t i = 0; i < n; i++)
        shade_one(c, &v[i], &out[i], &part[i], box);
}
