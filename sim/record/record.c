/* record.c — writes and reads recordings (docs/recording.md); replay.c re-scores them. */
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../models/fb_error.h"
#include "scenario/catalog.h"
#include "scenario/embedded.h"
#include "util/hash.h"
#include "score/score.h"

/* ---- format constants (docs/recording.md) ---- */

static const uint8_t rec_magic[8] = {0x89, 'F', 'B', 'R', '\r', '\n', 0x1A, '\n'};
#define FILE_HEADER_LEN 16u
#define CHUNK_OVERHEAD 12u                /* length, type, CRC */
#define MAX_CHUNK ((size_t)1 << 27)       /* 128 MiB: no chunk is ever larger */
#define MAX_HEAD 65536u
#define SUBJ_ENTRY 61u                    /* id[32], enter_s, core_c, febrile, speed_mps,
                                             confounders */
#define TRUTH_ENTRY 85u                   /* subject, flags, 10 doubles */
#define TRUTH_ENTRY_V1 77u                /* format 1.x: without canthus_visible */
#define EVENT_ENTRY 36u
#define FRAM_FIXED 45u                    /* frame, t, ambient, bb, bb state, bb fault, bb
                                             visible (2.0), n_truth, n_events, coding,
                                             pixel bytes */
#define CODING_RAW 0u
#define CODING_RICE 1u
#define RICE_ESCAPE 20u                   /* unary prefix length that means "17 raw bits follow" */
#define RICE_MAX_K 16u

#define TYPE(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define T_HEAD TYPE('H', 'E', 'A', 'D')
#define T_SCEN TYPE('S', 'C', 'E', 'N')
#define T_SUBJ TYPE('S', 'U', 'B', 'J')
#define T_FRAM TYPE('F', 'R', 'A', 'M')
#define T_FALT TYPE('F', 'A', 'L', 'T')
#define T_END TYPE('E', 'N', 'D', ' ')
#define T_AUDT TYPE('a', 'u', 'd', 't') /* ancillary (3.1): the link audit's verdict */

static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu,
    0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u,
    0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u,
    0xf3b97148u, 0x84be41deu, 0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u,
    0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u, 0xa2677172u,
    0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u,
    0x26d930acu, 0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u,
    0xcfba9599u, 0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u, 0x01db7106u,
    0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu, 0x9fbfe4a5u, 0xe8b8d433u,
    0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du,
    0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u,
    0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u,
    0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au, 0x346ed9fcu, 0xad678846u, 0xda60b8d0u,
    0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau,
    0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au,
    0xead54739u, 0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u,
    0x0d6d6a3eu, 0x7a6a5aa8u, 0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u,
    0xf00f9344u, 0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au, 0x67dd4accu,
    0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u, 0xa1d1937eu,
    0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u,
    0x316e8eefu, 0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u,
    0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du,
    0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au, 0x9c0906a9u, 0xeb0e363fu,
    0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u,
    0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u,
    0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u,
    0x616bffd3u, 0x166ccf45u, 0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u,
    0xa7672661u, 0xd06016f7u, 0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu,
    0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u, 0xcdd70693u,
    0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};

/* CRC-32 (ISO-HDLC, as PNG and zlib), continued from crc (start with 0). */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

uint32_t fb_record_crc32(uint32_t crc, const void *data, size_t len)
{
    return crc32_update(crc, data, len);
}

/* ---- growable byte buffer (writer side) ---- */

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
    bool nomem;
} bytes;

static uint8_t *bytes_grow(bytes *b, size_t n)
{
    if (b->nomem)
        return NULL;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = true;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    uint8_t *out = b->p + b->len;
    b->len += n;
    return out;
}

static void put_bytes(bytes *b, const void *src, size_t n)
{
    uint8_t *d = bytes_grow(b, n);
    if (d && n)
        memcpy(d, src, n);
}

static void put_u8(bytes *b, uint8_t v)
{
    put_bytes(b, &v, 1);
}

static void put_u16(bytes *b, uint16_t v)
{
    uint8_t d[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put_bytes(b, d, 2);
}

static void put_u32(bytes *b, uint32_t v)
{
    uint8_t d[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put_bytes(b, d, 4);
}

static void put_u64(bytes *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_f64(bytes *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64(b, u);
}

/* u16 length + bytes, cut at FB_REC_MAX_STRING. */
static void put_str(bytes *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > FB_REC_MAX_STRING)
        n = FB_REC_MAX_STRING;
    put_u16(b, (uint16_t)n);
    put_bytes(b, s, n);
}

/* ---- pixel codec: MED prediction (LOCO-I) + adaptive Rice codes (docs/recording.md) ---- */

/* Median edge detector: a = left, b = up, c = up-left; row 0 predicts from the left (the
 * first pixel from 0), column 0 from above. */
static inline int32_t med_predict(const uint16_t *row, const uint16_t *up, uint32_t x)
{
    if (!up)
        return x ? row[x - 1] : 0;
    if (x == 0)
        return up[0];
    int32_t a = row[x - 1], b = up[x], c = up[x - 1];
    int32_t mx = a > b ? a : b, mn = a < b ? a : b;
    if (c >= mx)
        return mn;
    if (c <= mn)
        return mx;
    return a + b - c;
}

typedef struct rice_state {
    uint32_t a, n; /* running sum of mapped residuals and their count */
} rice_state;

static inline unsigned rice_k(const rice_state *st)
{
    unsigned k = 0;
    while (k < RICE_MAX_K && ((uint64_t)st->n << k) < st->a)
        k++;
    return k;
}

static inline void rice_update(rice_state *st, uint32_t z)
{
    st->a += z;
    if (++st->n >= 64) {
        st->a >>= 1;
        st->n >>= 1;
    }
}

/* MSB-first bit writer into a buffer sized for the worst case. */
typedef struct bitw {
    uint8_t *p;
    size_t len;
    uint64_t acc;
    unsigned n; /* bits in acc */
} bitw;

static inline void bitw_put(bitw *w, uint32_t v, unsigned n) /* n <= 32 */
{
    w->acc = (w->acc << n) | (v & (uint32_t)((1ull << n) - 1u));
    w->n += n;
    while (w->n >= 8) {
        w->n -= 8;
        w->p[w->len++] = (uint8_t)(w->acc >> w->n);
    }
}

/* Worst case: every pixel escapes. */
static size_t rice_max_bytes(size_t npx)
{
    return (npx * (RICE_ESCAPE + 17) + 7) / 8;
}

/* Codes w*h pixels into b (appended). */
static void encode_rice(bytes *b, const uint16_t *px, uint32_t w, uint32_t h)
{
    size_t npx = (size_t)w * h, start = b->len;
    if (!bytes_grow(b, rice_max_bytes(npx)))
        return;
    bitw bw = {b->p + start, 0, 0, 0};
    rice_state st = {16, 1};
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *row = px + (size_t)y * w, *up = y ? row - w : NULL;
        for (uint32_t x = 0; x < w; x++) {
            int32_t r = (int32_t)row[x] - med_predict(row, up, x);
            uint32_t z = r >= 0 ? (uint32_t)r << 1 : ((uint32_t)(-r) << 1) - 1u;
            unsigned k = rice_k(&st);
            uint32_t q = z >> k;
            if (q < RICE_ESCAPE) {
                bitw_put(&bw, ((1u << q) - 1u) << 1, q + 1); /* q ones, then a zero */
                if (k)
                    bitw_put(&bw, z, k);
            } else {
                bitw_put(&bw, (1u << RICE_ESCAPE) - 1u, RICE_ESCAPE);
                bitw_put(&bw, z, 17);
            }
            rice_update(&st, z);
        }
    }
    if (bw.n)
        bitw_put(&bw, 0, 8 - bw.n);
    b->len = start + bw.len;
}

/* MSB-first bit reader that never reads past len bytes. */
typedef struct bitr {
    const uint8_t *p;
    size_t len, pos; /* bytes */
    uint64_t buf;    /* next bits at the top; bits below the n valid ones are 0 */
    unsigned n;
} bitr;

static inline void bitr_fill(bitr *r)
{
    while (r->n <= 56 && r->pos < r->len) {
        r->buf |= (uint64_t)r->p[r->pos++] << (56 - r->n);
        r->n += 8;
    }
}

static inline int bitr_get(bitr *r, unsigned k, uint32_t *out) /* k <= 32 */
{
    if (r->n < k)
        bitr_fill(r);
    if (r->n < k)
        return -1;
    *out = k ? (uint32_t)(r->buf >> (64 - k)) : 0;
    r->buf = k ? r->buf << k : r->buf;
    r->n -= k;
    return 0;
}

/* The unary prefix: ones before a zero (consumed), or RICE_ESCAPE ones. */
static inline int bitr_unary(bitr *r, unsigned *q)
{
    bitr_fill(r);
    uint64_t inv = ~r->buf;
    unsigned ones = inv ? (unsigned)__builtin_clzll(inv) : 64u;
    if (ones >= RICE_ESCAPE) {
        if (r->n < RICE_ESCAPE)
            return -1;
        r->buf <<= RICE_ESCAPE;
        r->n -= RICE_ESCAPE;
        *q = RICE_ESCAPE;
        return 0;
    }
    if (ones + 1 > r->n) /* the terminating zero is past the data */
        return -1;
    r->buf <<= ones + 1;
    r->n -= ones + 1;
    *q = ones;
    return 0;
}

/* Decodes w*h pixels from exactly len bytes. Returns 0 or -1 with a reason in *why. */
static int decode_rice(const uint8_t *p, size_t len, uint16_t *px, uint32_t w, uint32_t h,
                       const char **why)
{
    bitr br = {p, len, 0, 0, 0};
    rice_state st = {16, 1};
    for (uint32_t y = 0; y < h; y++) {
        uint16_t *row = px + (size_t)y * w;
        const uint16_t *up = y ? row - w : NULL;
        for (uint32_t x = 0; x < w; x++) {
            unsigned k = rice_k(&st), q;
            uint32_t z, low = 0;
            if (bitr_unary(&br, &q)) {
                *why = "pixel data ends early";
                return -1;
            }
            if (q == RICE_ESCAPE) {
                if (bitr_get(&br, 17, &z)) {
                    *why = "pixel data ends early";
                    return -1;
                }
            } else {
                if (bitr_get(&br, k, &low)) {
                    *why = "pixel data ends early";
                    return -1;
                }
                z = (q << k) | low;
            }
            int32_t r = (z & 1u) ? -(int32_t)((z + 1u) >> 1) : (int32_t)(z >> 1);
            int32_t v = med_predict(row, up, x) + r;
            if (v < 0 || v > 65535) {
                *why = "a pixel decodes outside 0..65535";
                return -1;
            }
            row[x] = (uint16_t)v;
            rice_update(&st, z);
        }
    }
    size_t used_bits = br.pos * 8 - br.n;
    if ((used_bits + 7) / 8 != len) {
        *why = "pixel data longer than the frame";
        return -1;
    }
    return 0;
}

/* ======================================================================================
 * writer
 * ====================================================================================== */

struct fb_record {
    FILE *f;
    char path[1024];
    int err_no;       /* first write error (errno), sticky */
    bool nomem;
    uint32_t width, height, frames;
    bytes chunk, pix;
};

static void write_chunk(fb_record *r, uint32_t type, const bytes *payload)
{
    if (r->err_no || r->nomem)
        return;
    if (payload->nomem) {
        r->nomem = true;
        return;
    }
    uint8_t h[8], t[4];
    uint32_t len = (uint32_t)payload->len;
    for (int i = 0; i < 4; i++) {
        h[i] = (uint8_t)(len >> (8 * i));
        h[4 + i] = (uint8_t)(type >> (8 * i));
    }
    uint32_t crc = crc32_update(crc32_update(0, h + 4, 4), payload->p, payload->len);
    for (int i = 0; i < 4; i++)
        t[i] = (uint8_t)(crc >> (8 * i));
    errno = 0;
    if (fwrite(h, 1, 8, r->f) != 8 ||
        (payload->len && fwrite(payload->p, 1, payload->len, r->f) != payload->len) ||
        fwrite(t, 1, 4, r->f) != 4)
        r->err_no = errno ? errno : EIO;
}

/* The scenario text as loaded, read again from its source; NULL when it cannot be. */
static char *scenario_text(const fb_scenario *sc, size_t *len)
{
    *len = 0;
    if (strncmp(sc->source, "embedded:", 9) == 0) {
        const fb_embedded_file *f = fb_embedded_find(sc->source + 9);
        if (!f || f->len > FB_REC_MAX_TEXT)
            return NULL;
        char *t = malloc(f->len + 1);
        if (t) {
            memcpy(t, f->text, f->len);
            t[f->len] = '\0';
            *len = f->len;
        }
        return t;
    }
    FILE *f = fopen(sc->source, "rb");
    if (!f)
        return NULL;
    char *t = malloc(FB_REC_MAX_TEXT + 1);
    size_t n = t ? fread(t, 1, FB_REC_MAX_TEXT + 1, f) : 0;
    fclose(f);
    if (!t || n > FB_REC_MAX_TEXT) {
        free(t);
        return NULL;
    }
    t[n] = '\0';
    *len = n;
    return t;
}

static void put_header(bytes *b, const fb_scenario *sc, const char *dut_name, const char *dut_spec,
                       uint32_t frames_planned)
{
    put_str(b, FB_VERSION_STRING);
    put_str(b, sc->name);
    put_str(b, sc->source);
    put_u64(b, sc->hash);
    put_u64(b, sc->seed);
    put_str(b, sc->camera.name);
    put_str(b, dut_name);
    put_str(b, dut_spec);
    put_u32(b, (uint32_t)sc->camera.width);
    put_u32(b, (uint32_t)sc->camera.height);
    put_f64(b, sc->camera.fps);
    put_f64(b, sc->duration_s);
    put_u32(b, frames_planned);
    put_f64(b, sc->camera.hfov_deg);
    put_f64(b, sc->camera_height_m);
    put_f64(b, sc->camera_tilt_deg);
    const fb_blackbody_params *bb = &sc->blackbody;
    put_u8(b, bb->enabled ? 1 : 0);
    put_f64(b, bb->set_c);
    put_f64(b, bb->emissivity);
    put_f64(b, bb->x_m);
    put_f64(b, bb->y_m);
    put_f64(b, bb->z_m);
    put_f64(b, bb->aperture_m);
    put_f64(b, bb->instability_c);
    put_f64(b, bb->instability_tau_s);
    const fb_screening_spec *sp = &sc->screening;
    put_f64(b, sp->min_distance_m);
    put_f64(b, sp->max_distance_m);
    put_f64(b, sp->min_face_px);
    put_f64(b, sp->min_face_visible);
    put_f64(b, sp->fever_threshold_c);
    put_f64(b, sc->dut.alarm_threshold_c);
    put_f64(b, sc->dut.body_offset_c);
    uint16_t n = 0;
    for (int i = 0; i < FB_CRIT_COUNT; i++)
        n = (uint16_t)(n + (sc->criteria[i].set ? 1 : 0));
    put_u16(b, n);
    for (int i = 0; i < FB_CRIT_COUNT; i++) {
        if (!sc->criteria[i].set)
            continue;
        put_str(b, fb_criterion_get((fb_criterion_id)i)->key);
        put_f64(b, sc->criteria[i].limit);
    }
    put_str(b, sc->people_3d ? "3d" : "template"); /* since 3.0 */
}

int fb_record_open(fb_record **out, const char *path, const fb_scenario *sc, const fb_world *w,
                   const char *dut_name, const char *dut_spec, char *err, size_t err_len)
{
    *out = NULL;
    fb_record *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    snprintf(r->path, sizeof r->path, "%s", path);
    r->width = (uint32_t)sc->camera.width;
    r->height = (uint32_t)sc->camera.height;
    r->f = fopen(path, "wb");
    if (!r->f) {
        snprintf(err, err_len, "%s: cannot create the recording: %s", path, strerror(errno));
        free(r);
        return FB_ERR_IO;
    }
    uint8_t fh[FILE_HEADER_LEN] = {0};
    memcpy(fh, rec_magic, sizeof rec_magic);
    fh[8] = FB_REC_VERSION_MAJOR;
    fh[10] = FB_REC_VERSION_MINOR;
    if (fwrite(fh, 1, sizeof fh, r->f) != sizeof fh)
        r->err_no = errno ? errno : EIO;

    uint32_t planned = (uint32_t)ceil(sc->duration_s * sc->camera.fps - 1e-9);
    put_header(&r->chunk, sc, dut_name, dut_spec, planned);
    write_chunk(r, T_HEAD, &r->chunk);

    size_t tlen;
    char *text = scenario_text(sc, &tlen);
    if (text) {
        r->chunk.len = 0;
        put_bytes(&r->chunk, text, tlen);
        write_chunk(r, T_SCEN, &r->chunk);
        free(text);
    }

    r->chunk.len = 0;
    put_u32(&r->chunk, (uint32_t)w->n_subjects);
    for (size_t i = 0; i < w->n_subjects; i++) {
        const fb_subject_info *si = &w->subjects[i].info;
        char id[32] = {0};
        snprintf(id, sizeof id, "%s", si->id);
        put_bytes(&r->chunk, id, sizeof id);
        put_f64(&r->chunk, si->enter_s);
        put_f64(&r->chunk, si->core_c);
        put_u8(&r->chunk, si->febrile ? 1 : 0);
        put_f64(&r->chunk, si->speed_mps);
        put_u32(&r->chunk, si->confounders);
    }
    write_chunk(r, T_SUBJ, &r->chunk);
    if (r->err_no || r->nomem) {
        snprintf(err, err_len, "%s: cannot write the recording: %s", path,
                 r->nomem ? "out of memory" : strerror(r->err_no));
        int rc = r->nomem ? FB_ERR_NOMEM : FB_ERR_IO;
        fclose(r->f);
        free(r->chunk.p);
        free(r);
        return rc;
    }
    *out = r;
    return FB_OK;
}

void fb_record_fault(fb_record *r, const char *msg)
{
    if (!r || r->err_no || r->nomem)
        return;
    r->chunk.len = 0;
    put_str(&r->chunk, msg && *msg ? msg : "DUT fault");
    write_chunk(r, T_FALT, &r->chunk);
}

void fb_record_frame(fb_record *r, const fb_truth_frame *tf, const uint16_t *frame_ck,
                     const fb_event *events, size_t n_events)
{
    if (!r || r->err_no || r->nomem)
        return;
    bytes *b = &r->chunk;
    b->len = 0;
    put_u32(b, tf->frame);
    put_f64(b, tf->t_s);
    put_f64(b, tf->ambient_c);
    put_f64(b, tf->blackbody_c);
    put_u8(b, (uint8_t)tf->blackbody_state); /* since 2.0 */
    put_u8(b, tf->blackbody_fault ? 1u : 0u);
    put_f64(b, tf->blackbody_visible);
    put_u32(b, (uint32_t)tf->n_subjects);
    for (size_t i = 0; i < tf->n_subjects; i++) {
        const fb_truth_subject *s = &tf->subjects[i];
        put_u32(b, s->subject);
        put_u8(b, (uint8_t)((s->in_view ? 1u : 0u) | (s->screenable ? 2u : 0u)));
        put_f64(b, s->distance_m);
        put_f64(b, s->face_x);
        put_f64(b, s->face_y);
        put_f64(b, s->face_w);
        put_f64(b, s->face_h);
        put_f64(b, s->face_px);
        put_f64(b, s->face_visible);
        put_f64(b, s->canthus_c);
        put_f64(b, s->yaw_deg);
        put_f64(b, s->canthus_visible); /* since 2.0 */
    }
    if (n_events > FB_REC_MAX_EVENTS)
        n_events = FB_REC_MAX_EVENTS; /* cannot happen: links allow FB_LINK_MAX_EVENTS */
    put_u32(b, (uint32_t)n_events);
    for (size_t i = 0; i < n_events; i++) {
        const fbfw_event *e = &events[i].ev;
        put_u8(b, e->kind);
        put_u8(b, e->alarm);
        put_u16(b, e->status);
        put_u32(b, e->frame);
        put_u32(b, e->track_id);
        put_u16(b, e->box_x);
        put_u16(b, e->box_y);
        put_u16(b, e->box_w);
        put_u16(b, e->box_h);
        put_u16(b, e->skin_ck);
        put_u16(b, e->body_ck);
        put_u32(b, events[i].arrival_frame);
        put_f64(b, events[i].arrival_t_s);
    }
    size_t npx = (size_t)r->width * r->height;
    r->pix.len = 0;
    encode_rice(&r->pix, frame_ck, r->width, r->height);
    if (!r->pix.nomem && r->pix.len < npx * 2) {
        put_u8(b, CODING_RICE);
        put_u32(b, (uint32_t)r->pix.len);
        put_bytes(b, r->pix.p, r->pix.len);
    } else {
        put_u8(b, CODING_RAW);
        put_u32(b, (uint32_t)(npx * 2));
        uint8_t *d = bytes_grow(b, npx * 2);
        for (size_t i = 0; d && i < npx; i++) {
            d[2 * i] = (uint8_t)frame_ck[i];
            d[2 * i + 1] = (uint8_t)(frame_ck[i] >> 8);
        }
    }
    write_chunk(r, T_FRAM, b);
    r->frames++;
}

void fb_record_audit(fb_record *r, bool clean, uint64_t egress_attempts, uint64_t violations)
{
    if (!r)
        return;
    r->chunk.len = 0;
    put_u8(&r->chunk, clean ? 1 : 0);
    put_u64(&r->chunk, egress_attempts);
    put_u64(&r->chunk, violations);
    write_chunk(r, T_AUDT, &r->chunk);
}

int fb_record_close(fb_record *r, uint64_t frames_hash, bool complete, const char *stop_reason,
                    char *err, size_t err_len)
{
    if (!r)
        return FB_OK;
    r->chunk.len = 0;
    put_u32(&r->chunk, r->frames);
    put_u64(&r->chunk, frames_hash);
    put_u8(&r->chunk, complete ? 1 : 0);
    put_str(&r->chunk, complete ? NULL : stop_reason);
    write_chunk(r, T_END, &r->chunk);
    errno = 0;
    if (fclose(r->f) != 0 && !r->err_no)
        r->err_no = errno ? errno : EIO;
    int rc = FB_OK;
    if (r->err_no || r->nomem) {
        if (err && err_len)
            snprintf(err, err_len, "%s: writing the recording failed: %s", r->path,
                     r->nomem ? "out of memory" : strerror(r->err_no));
        rc = r->nomem ? FB_ERR_NOMEM : FB_ERR_IO;
    }
    free(r->chunk.p);
    free(r->pix.p);
    free(r);
    return rc;
}

/* ======================================================================================
 * reader
 * ====================================================================================== */

struct fb_recording {
    char name[512];
    FILE *f;                     /* file source, or NULL for memory */
    const uint8_t *mem;
    size_t mem_len, mem_pos;
    uint64_t pos;                /* file offset of the next byte */
    uint64_t first_frame_pos;
    fb_record_header h;
    char *scen_text;             /* owned, NUL-terminated */
    fb_subject_info *subjects;   /* owned */
    size_t n_subjects;
    uint8_t *buf;                /* chunk payload, owned */
    size_t buf_cap;
    fb_truth_subject *truth;     /* owned, n_subjects capacity */
    fb_event *events;            /* owned, FB_REC_MAX_EVENTS */
    uint16_t *frame_ck;          /* owned, width*height */
    char fault[FB_REC_MAX_STRING + 1];
    uint32_t next_frame;
    double last_t_s;
    uint64_t frames_hash;
    bool legacy_hash;            /* format < 3.0: frames hash is the fb_hash64 chain */
    bool at_end;
    fb_record_end end;
};

static int rd_fail(const fb_recording *r, uint64_t at, char *err, size_t err_len, int rc,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int rd_fail(const fb_recording *r, uint64_t at, char *err, size_t err_len, int rc,
                   const char *fmt, ...)
{
    if (err && err_len) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(err, err_len, "%s: offset %" PRIu64 ": %s", r->name, at, msg);
    }
    return rc;
}

/* Reads up to n bytes; returns how many were read. */
static size_t src_read(fb_recording *r, void *dst, size_t n)
{
    size_t got;
    if (r->f) {
        got = fread(dst, 1, n, r->f);
    } else {
        got = r->mem_len - r->mem_pos < n ? r->mem_len - r->mem_pos : n;
        if (got)
            memcpy(dst, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    }
    r->pos += got;
    return got;
}

static int src_seek(fb_recording *r, uint64_t pos)
{
    if (r->f) {
        if (fseeko(r->f, (off_t)pos, SEEK_SET) != 0)
            return -1;
    } else {
        if (pos > r->mem_len)
            return -1;
        r->mem_pos = (size_t)pos;
    }
    r->pos = pos;
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The chunk type for messages ("END " prints as "END"). */
static void type_name(uint32_t type, char out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)(type >> (8 * i));
        out[i] = (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    out[4] = '\0';
    for (int i = 3; i > 0 && out[i] == ' '; i--)
        out[i] = '\0';
}

/* Largest payload a chunk of this type can have, given what has been read so far. */
static size_t max_payload(const fb_recording *r, uint32_t type)
{
    switch (type) {
    case T_HEAD: return MAX_HEAD;
    case T_SCEN: return FB_REC_MAX_TEXT;
    case T_SUBJ: return 4 + (size_t)FB_REC_MAX_SUBJECTS * SUBJ_ENTRY;
    case T_END: return 4 + 8 + 1 + 2 + FB_REC_MAX_STRING;
    case T_FALT: return 2 + FB_REC_MAX_STRING;
    case T_FRAM: {
        size_t npx = (size_t)r->h.width * r->h.height;
        size_t pix = npx * 2 > rice_max_bytes(npx) ? npx * 2 : rice_max_bytes(npx);
        return FRAM_FIXED + r->n_subjects * TRUTH_ENTRY + FB_REC_MAX_EVENTS * EVENT_ENTRY + pix;
    }
    default: return MAX_CHUNK;
    }
}

/* Reads one chunk: *type, payload in r->buf (*len bytes). *start is the chunk's offset.
 * Returns 0, 1 at a clean end of file (no byte left), or FB_ERR_*. */
static int read_chunk(fb_recording *r, uint32_t *type, size_t *len, uint64_t *start, char *err,
                      size_t err_len)
{
    uint8_t h[8];
    *start = r->pos;
    size_t got = src_read(r, h, 8);
    if (got == 0)
        return 1;
    if (got < 8)
        return rd_fail(r, *start, err, err_len, FB_ERR_PARSE,
                       "truncated chunk header (%zu of 8 bytes)", got);
    uint32_t n = le32(h);
    *type = le32(h + 4);
    char tn[5];
    type_name(*type, tn);
    for (int i = 0; i < 4; i++) {
        uint8_t c = h[4 + i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' '))
            return rd_fail(r, *start, err, err_len, FB_ERR_PARSE,
                           "chunk type \"%s\" is not 4 letters (not a recording, or corrupt)", tn);
    }
    size_t lim = max_payload(r, *type);
    if (n > lim || n > MAX_CHUNK)
        return rd_fail(r, *start, err, err_len, FB_ERR_INVALID,
                       "%s: length %" PRIu32 " exceeds the limit %zu for this chunk", tn, n, lim);
    /* Grow the buffer only as data actually arrives: a lying length costs no memory. */
    size_t have = 0;
    while (have < n) {
        size_t want = n - have > ((size_t)1 << 20) ? ((size_t)1 << 20) : n - have;
        if (have + want > r->buf_cap) {
            size_t cap = r->buf_cap ? r->buf_cap : 65536;
            while (cap < have + want)
                cap *= 2;
            uint8_t *p = realloc(r->buf, cap);
            if (!p)
                return rd_fail(r, *start, err, err_len, FB_ERR_NOMEM, "%s: out of memory", tn);
            r->buf = p;
            r->buf_cap = cap;
        }
        size_t g = src_read(r, r->buf + have, want);
        have += g;
        if (g < want)
            return rd_fail(r, *start, err, err_len, FB_ERR_PARSE,
                           "%s: truncated (%zu of %" PRIu32 " payload bytes)", tn, have, n);
    }
    uint8_t c[4];
    if (src_read(r, c, 4) < 4)
        return rd_fail(r, *start, err, err_len, FB_ERR_PARSE, "%s: truncated before its CRC", tn);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    uint32_t crc = crc32_update(crc32_update(0, h + 4, 4), r->buf, n);
    if (crc != le32(c))
        return rd_fail(r, *start, err, err_len, FB_ERR_PARSE,
                       "%s: CRC mismatch (stored %08" PRIx32 ", computed %08" PRIx32 ")", tn,
                       le32(c), crc);
#endif
    *len = n;
    return 0;
}

/* Bounded cursor over a chunk payload: reads past the end set `bad` and return zeros. */
typedef struct cur {
    const uint8_t *p;
    size_t len, pos;
    bool bad;
    const char *what; /* first problem, for the message */
} cur;

static const uint8_t *cur_take(cur *c, size_t n)
{
    if (c->bad || c->len - c->pos < n) {
        if (!c->bad)
            c->what = "ends before its fields do";
        c->bad = true;
        return NULL;
    }
    const uint8_t *p = c->p + c->pos;
    c->pos += n;
    return p;
}

static uint8_t get_u8(cur *c)
{
    const uint8_t *p = cur_take(c, 1);
    return p ? p[0] : (uint8_t)0;
}

static uint16_t get_u16(cur *c)
{
    const uint8_t *p = cur_take(c, 2);
    uint32_t v = p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : 0u;
    return (uint16_t)v;
}

static uint32_t get_u32(cur *c)
{
    const uint8_t *p = cur_take(c, 4);
    return p ? le32(p) : 0;
}

static uint64_t get_u64(cur *c)
{
    uint64_t lo = get_u32(c);
    return lo | (uint64_t)get_u32(c) << 32;
}

static double get_f64(cur *c)
{
    uint64_t u = get_u64(c);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* A finite double (NaN and infinities are rejected). */
static double get_finite(cur *c, const char *field)
{
    double v = get_f64(c);
    if (!c->bad && !isfinite(v)) {
        c->bad = true;
        c->what = field;
    }
    return v;
}

/* u16-length string into dst (size cap, NUL-terminated); too long or a NUL inside is bad. */
static void get_str(cur *c, char *dst, size_t cap, const char *field)
{
    uint16_t n = get_u16(c);
    dst[0] = '\0';
    if (c->bad)
        return;
    if (n > FB_REC_MAX_STRING || (size_t)n >= cap) {
        c->bad = true;
        c->what = field;
        return;
    }
    const uint8_t *p = cur_take(c, n);
    if (!p)
        return;
    if (memchr(p, 0, n)) {
        c->bad = true;
        c->what = field;
        return;
    }
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static void cur_check(cur *c, bool ok, const char *what)
{
    if (!c->bad && !ok) {
        c->bad = true;
        c->what = what;
    }
}

static int cur_done(const fb_recording *r, cur *c, uint64_t at, const char *chunk, char *err,
                    size_t err_len)
{
    if (!c->bad && c->pos != c->len) {
        return rd_fail(r, at, err, err_len, FB_ERR_PARSE, "%s: %zu bytes left over after its fields",
                       chunk, c->len - c->pos);
    }
    if (c->bad)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID, "%s: %s", chunk, c->what);
    return 0;
}

static int parse_head(fb_recording *r, const uint8_t *p, size_t len, uint64_t at, char *err,
                      size_t err_len)
{
    fb_record_header *h = &r->h;
    cur c = {p, len, 0, false, NULL};
    get_str(&c, h->feverbench, sizeof h->feverbench, "feverbench version string too long");
    get_str(&c, h->scenario_name, sizeof h->scenario_name, "scenario name too long");
    get_str(&c, h->scenario_source, sizeof h->scenario_source, "scenario source too long");
    h->scenario_hash = get_u64(&c);
    h->seed = get_u64(&c);
    get_str(&c, h->camera_name, sizeof h->camera_name, "camera name too long");
    get_str(&c, h->dut_name, sizeof h->dut_name, "DUT name too long");
    get_str(&c, h->dut_spec, sizeof h->dut_spec, "DUT spec too long");
    h->width = get_u32(&c);
    h->height = get_u32(&c);
    cur_check(&c, h->width >= 8 && h->width <= FB_REC_MAX_SIDE && h->height >= 8 &&
                      h->height <= FB_REC_MAX_SIDE,
              "width and height must be in 8..4096");
    h->fps = get_finite(&c, "fps is not a number");
    cur_check(&c, h->fps > 0 && h->fps <= 1000, "fps must be in (0, 1000]");
    h->duration_s = get_finite(&c, "duration_s is not a number");
    cur_check(&c, h->duration_s > 0, "duration_s must be > 0");
    h->frames_planned = get_u32(&c);
    h->hfov_deg = get_finite(&c, "hfov_deg is not a number");
    h->camera_height_m = get_finite(&c, "camera height is not a number");
    h->camera_tilt_deg = get_finite(&c, "camera tilt is not a number");
    fb_camera_geom g;
    cur_check(&c, c.bad || fb_camera_geom_init(&g, (int)h->width, (int)h->height, h->hfov_deg,
                                               h->camera_height_m, h->camera_tilt_deg) == 0,
              "camera geometry out of range (hfov (1, 170), tilt [-45, 45])");
    fb_blackbody_params *bb = &h->blackbody;
    uint8_t en = get_u8(&c);
    cur_check(&c, en <= 1, "blackbody enabled flag must be 0 or 1");
    bb->enabled = en == 1;
    bb->set_c = get_finite(&c, "blackbody set_c is not a number");
    bb->emissivity = get_finite(&c, "blackbody emissivity is not a number");
    bb->x_m = get_finite(&c, "blackbody position is not a number");
    bb->y_m = get_finite(&c, "blackbody position is not a number");
    bb->z_m = get_finite(&c, "blackbody position is not a number");
    bb->aperture_m = get_finite(&c, "blackbody aperture is not a number");
    bb->instability_c = get_finite(&c, "blackbody instability is not a number");
    bb->instability_tau_s = get_finite(&c, "blackbody time constant is not a number");
    fb_screening_spec *sp = &h->screening;
    sp->min_distance_m = get_finite(&c, "screening distance is not a number");
    sp->max_distance_m = get_finite(&c, "screening distance is not a number");
    sp->min_face_px = get_finite(&c, "screening min_face_px is not a number");
    sp->min_face_visible = get_finite(&c, "screening min_face_visible is not a number");
    sp->fever_threshold_c = get_finite(&c, "fever threshold is not a number");
    h->alarm_threshold_c = get_finite(&c, "alarm threshold is not a number");
    h->body_offset_c = get_finite(&c, "body offset is not a number");
    uint16_t nc = get_u16(&c);
    cur_check(&c, nc <= FB_CRIT_COUNT, "more criteria than this feverbench knows");
    for (uint16_t i = 0; i < nc && !c.bad; i++) {
        char key[64];
        get_str(&c, key, sizeof key, "criterion key too long");
        double lim = get_finite(&c, "criterion limit is not a number");
        if (c.bad)
            break;
        fb_criterion_id id = fb_criterion_find(key);
        if (id == FB_CRIT_COUNT)
            return rd_fail(r, at, err, err_len, FB_ERR_UNSUPPORTED,
                           "HEAD: criterion \"%s\" is unknown to this feverbench", key);
        cur_check(&c, !h->criteria[id].set, "a criterion appears twice");
        h->criteria[id].set = true;
        h->criteria[id].limit = lim;
    }
    if (h->version_major >= 3) {
        get_str(&c, h->people, sizeof h->people, "people model too long");
        cur_check(&c, c.bad || !strcmp(h->people, "3d") || !strcmp(h->people, "template"),
                  "people must be \"template\" or \"3d\"");
    }
    return cur_done(r, &c, at, "HEAD", err, err_len);
}

static int parse_subj(fb_recording *r, const uint8_t *p, size_t len, uint64_t at, char *err,
                      size_t err_len)
{
    cur c = {p, len, 0, false, NULL};
    uint32_t n = get_u32(&c);
    if (c.bad || n > FB_REC_MAX_SUBJECTS || (size_t)n * SUBJ_ENTRY != len - 4)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID,
                       "SUBJ: %" PRIu32 " subjects do not fit its %zu bytes (or exceed %u)", n,
                       len, FB_REC_MAX_SUBJECTS);
    r->subjects = calloc(n ? n : 1, sizeof *r->subjects);
    r->truth = calloc(n ? n : 1, sizeof *r->truth);
    if (!r->subjects || !r->truth)
        return rd_fail(r, at, err, err_len, FB_ERR_NOMEM, "SUBJ: out of memory for %" PRIu32
                       " subjects", n);
    r->n_subjects = n;
    for (uint32_t i = 0; i < n && !c.bad; i++) {
        fb_subject_info *s = &r->subjects[i];
        const uint8_t *id = cur_take(&c, 32);
        cur_check(&c, id && memchr(id, 0, 32), "a subject id is not NUL-terminated in 32 bytes");
        if (c.bad)
            break;
        memcpy(s->id, id, 32);
        s->enter_s = get_finite(&c, "a subject's enter_s is not a number");
        s->core_c = get_finite(&c, "a subject's core_c is not a number");
        uint8_t f = get_u8(&c);
        cur_check(&c, f <= 1, "a subject's febrile flag is not 0 or 1");
        s->febrile = f == 1;
        s->speed_mps = get_finite(&c, "a subject's speed is not a number");
        s->confounders = get_u32(&c);
    }
    return cur_done(r, &c, at, "SUBJ", err, err_len);
}

static int rec_open(fb_recording *r, char *err, size_t err_len)
{
    uint8_t fh[FILE_HEADER_LEN];
    size_t got = src_read(r, fh, sizeof fh);
    if (got < sizeof fh || memcmp(fh, rec_magic, sizeof rec_magic) != 0)
        return rd_fail(r, 0, err, err_len, FB_ERR_PARSE,
                       "not a feverbench recording (bad magic; see docs/recording.md)");
    if (fh[12] | fh[13] | fh[14] | fh[15])
        return rd_fail(r, 12, err, err_len, FB_ERR_PARSE,
                       "file header: reserved bytes 12..15 must be 0 (corrupt?)");
    r->h.version_major = (uint16_t)(fh[8] | fh[9] << 8);
    r->h.version_minor = (uint16_t)(fh[10] | fh[11] << 8);
    if (r->h.version_major < 1 || r->h.version_major > FB_REC_VERSION_MAJOR)
        return rd_fail(r, 8, err, err_len, FB_ERR_UNSUPPORTED,
                       "recording format version %u.%u, this feverbench reads 1.x to %u.x",
                       (unsigned)r->h.version_major, (unsigned)r->h.version_minor,
                       (unsigned)FB_REC_VERSION_MAJOR);
    r->legacy_hash = r->h.version_major < 3;
    r->h.frames_hash_algorithm =
        r->legacy_hash ? FB_FRAMES_HASH_ALGORITHM_LEGACY : FB_FRAMES_HASH_ALGORITHM;
    bool have_head = false;
    for (;;) {
        uint32_t type;
        size_t len;
        uint64_t at;
        int rc = read_chunk(r, &type, &len, &at, err, err_len);
        if (rc == 1)
            return rd_fail(r, at, err, err_len, FB_ERR_PARSE,
                           "file ends before the first frame (no %s chunk)",
                           have_head ? "SUBJ" : "HEAD");
        if (rc)
            return rc;
        char tn[5];
        type_name(type, tn);
        if (!have_head && type != T_HEAD)
            return rd_fail(r, at, err, err_len, FB_ERR_PARSE, "%s: expected HEAD first", tn);
        if (type == T_HEAD) {
            if (have_head)
                return rd_fail(r, at, err, err_len, FB_ERR_PARSE, "HEAD: appears twice");
            rc = parse_head(r, r->buf, len, at, err, err_len);
            if (rc)
                return rc;
            have_head = true;
            size_t npx = (size_t)r->h.width * r->h.height;
            r->frame_ck = calloc(npx, sizeof *r->frame_ck);
            r->events = calloc(FB_REC_MAX_EVENTS, sizeof *r->events);
            if (!r->frame_ck || !r->events)
                return rd_fail(r, at, err, err_len, FB_ERR_NOMEM, "HEAD: out of memory");
        } else if (type == T_SCEN) {
            if (r->scen_text)
                return rd_fail(r, at, err, err_len, FB_ERR_PARSE, "SCEN: appears twice");
            if (memchr(r->buf, 0, len))
                return rd_fail(r, at, err, err_len, FB_ERR_INVALID, "SCEN: text contains NUL");
            r->scen_text = malloc(len + 1);
            if (!r->scen_text)
                return rd_fail(r, at, err, err_len, FB_ERR_NOMEM, "SCEN: out of memory");
            if (len)
                memcpy(r->scen_text, r->buf, len);
            r->scen_text[len] = '\0';
        } else if (type == T_SUBJ) {
            rc = parse_subj(r, r->buf, len, at, err, err_len);
            if (rc)
                return rc;
            r->first_frame_pos = r->pos;
            r->frames_hash = r->legacy_hash ? FB_FRAMES_HASH_INIT_LEGACY : FB_FRAMES_HASH_INIT;
            return 0;
        } else if (tn[0] >= 'A' && tn[0] <= 'Z') {
            return rd_fail(r, at, err, err_len, FB_ERR_UNSUPPORTED,
                           "%s: unknown critical chunk before the subject table", tn);
        }
        /* else: an ancillary chunk from a newer minor version: skipped */
    }
}

static int open_common(fb_recording **out, fb_recording *r, char *err, size_t err_len)
{
    int rc = rec_open(r, err, err_len);
    if (rc) {
        fb_recording_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int fb_recording_open(fb_recording **out, const char *path, char *err, size_t err_len)
{
    *out = NULL;
    fb_recording *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "%s: out of memory", path);
        return FB_ERR_NOMEM;
    }
    snprintf(r->name, sizeof r->name, "%s", path);
    const char *kind = fb_catalog_not_regular(path);
    if (kind) { /* never opened: a FIFO without a writer would block */
        snprintf(err, err_len, "%s: not a recording file: it is %s", path, kind);
        free(r);
        return FB_ERR_IO;
    }
    r->f = fopen(path, "rb");
    if (!r->f) {
        snprintf(err, err_len, "%s: cannot open the recording: %s", path, strerror(errno));
        free(r);
        return FB_ERR_IO;
    }
    return open_common(out, r, err, err_len);
}

int fb_recording_open_mem(fb_recording **out, const void *data, size_t len, const char *name,
                          char *err, size_t err_len)
{
    *out = NULL;
    fb_recording *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    snprintf(r->name, sizeof r->name, "%s", name ? name : "(memory)");
    r->mem = data;
    r->mem_len = data ? len : 0;
    return open_common(out, r, err, err_len);
}

void fb_recording_close(fb_recording *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->scen_text);
    free(r->subjects);
    free(r->buf);
    free(r->truth);
    free(r->events);
    free(r->frame_ck);
    free(r);
}

const fb_record_header *fb_recording_header(const fb_recording *r)
{
    return &r->h;
}

const fb_subject_info *fb_recording_subjects(const fb_recording *r, size_t *n)
{
    *n = r->n_subjects;
    return r->subjects;
}

const char *fb_recording_scenario_text(const fb_recording *r)
{
    return r->scen_text ? r->scen_text : "";
}

void fb_recording_scenario(const fb_recording *r, fb_scenario *sc)
{
    const fb_record_header *h = &r->h;
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "%s", h->scenario_name);
    snprintf(sc->source, sizeof sc->source, "%s", h->scenario_source);
    sc->hash = h->scenario_hash;
    sc->seed = h->seed;
    sc->duration_s = h->duration_s;
    snprintf(sc->camera.name, sizeof sc->camera.name, "%s", h->camera_name);
    sc->camera.width = (int)h->width;
    sc->camera.height = (int)h->height;
    sc->camera.hfov_deg = h->hfov_deg;
    sc->camera.fps = h->fps;
    sc->camera_height_m = h->camera_height_m;
    sc->camera_tilt_deg = h->camera_tilt_deg;
    sc->blackbody = h->blackbody;
    sc->screening = h->screening;
    snprintf(sc->dut.spec, sizeof sc->dut.spec, "%s", h->dut_spec);
    sc->dut.alarm_threshold_c = h->alarm_threshold_c;
    sc->dut.body_offset_c = h->body_offset_c;
    memcpy(sc->criteria, h->criteria, sizeof sc->criteria);
}

static int parse_frame(fb_recording *r, const uint8_t *p, size_t len, uint64_t at,
                       fb_record_frame_view *out, char *err, size_t err_len)
{
    cur c = {p, len, 0, false, NULL};
    uint32_t frame = get_u32(&c);
    if (!c.bad && frame != r->next_frame)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID,
                       "FRAM: frame %" PRIu32 " where frame %" PRIu32 " was expected", frame,
                       r->next_frame);
    fb_truth_frame *tf = &out->truth;
    tf->frame = frame;
    tf->t_s = get_finite(&c, "t_s is not a number");
    cur_check(&c, tf->t_s >= 0 && tf->t_s >= r->last_t_s, "t_s is negative or goes back");
    tf->ambient_c = get_finite(&c, "ambient_c is not a number");
    tf->blackbody_c = get_f64(&c); /* NaN when there is no blackbody */
    cur_check(&c, !isinf(tf->blackbody_c), "blackbody_c is infinite");
    tf->blackbody_state = FB_BBT_NONE; /* 1.x recorded none: its status is not scored */
    tf->blackbody_fault = false;
    tf->blackbody_visible = NAN;
    if (r->h.version_major >= 2) {
        uint8_t st = get_u8(&c), fault = get_u8(&c);
        cur_check(&c, st < FB_BBT_COUNT, "unknown blackbody state");
        cur_check(&c, fault <= 1, "blackbody fault flag is not 0 or 1");
        tf->blackbody_state = (fb_bb_truth)st;
        tf->blackbody_fault = fault != 0;
        tf->blackbody_visible = get_f64(&c);
        cur_check(&c, isnan(tf->blackbody_visible) ||
                          (tf->blackbody_visible >= 0 && tf->blackbody_visible <= 1),
                  "blackbody_visible is outside [0, 1]");
    }
    uint32_t nt = get_u32(&c);
    cur_check(&c, nt <= r->n_subjects, "more people in the frame than in the subject table");
    size_t entry = r->h.version_major == 1 ? TRUTH_ENTRY_V1 : TRUTH_ENTRY;
    cur_check(&c, c.bad || (size_t)nt * entry <= c.len - c.pos,
              "truth table longer than the chunk");
    for (uint32_t i = 0; i < nt && !c.bad; i++) {
        fb_truth_subject *s = &r->truth[i];
        s->subject = get_u32(&c);
        cur_check(&c, s->subject < r->n_subjects, "a truth entry names no subject");
        uint8_t fl = get_u8(&c);
        cur_check(&c, fl <= 3, "a truth entry has unknown flags");
        s->in_view = (fl & 1u) != 0;
        s->screenable = (fl & 2u) != 0;
        s->distance_m = get_finite(&c, "a truth distance is not a number");
        s->face_x = get_finite(&c, "a truth face box is not a number");
        s->face_y = get_finite(&c, "a truth face box is not a number");
        s->face_w = get_finite(&c, "a truth face box is not a number");
        s->face_h = get_finite(&c, "a truth face box is not a number");
        s->face_px = get_finite(&c, "a truth face size is not a number");
        s->face_visible = get_finite(&c, "a truth face_visible is not a number");
        s->canthus_c = get_finite(&c, "a truth canthus_c is not a number");
        s->yaw_deg = get_finite(&c, "a truth yaw_deg is not a number");
        s->canthus_visible = r->h.version_major == 1
                                 ? NAN /* not recorded before 2.0 */
                                 : get_finite(&c, "a truth canthus_visible is not a number");
    }
    tf->n_subjects = nt;
    tf->subjects = r->truth;
    uint32_t ne = get_u32(&c);
    cur_check(&c, ne <= FB_REC_MAX_EVENTS, "more events than the limit of 4096");
    cur_check(&c, c.bad || (size_t)ne * EVENT_ENTRY <= c.len - c.pos,
              "event table longer than the chunk");
    for (uint32_t i = 0; i < ne && !c.bad; i++) {
        fb_event *e = &r->events[i];
        e->ev.kind = get_u8(&c);
        e->ev.alarm = get_u8(&c);
        e->ev.status = get_u16(&c);
        e->ev.frame = get_u32(&c);
        e->ev.track_id = get_u32(&c);
        e->ev.box_x = get_u16(&c);
        e->ev.box_y = get_u16(&c);
        e->ev.box_w = get_u16(&c);
        e->ev.box_h = get_u16(&c);
        e->ev.skin_ck = get_u16(&c);
        e->ev.body_ck = get_u16(&c);
        e->arrival_frame = get_u32(&c);
        cur_check(&c, e->arrival_frame == frame, "an event arrived with another frame");
        e->arrival_t_s = get_finite(&c, "an event's arrival time is not a number");
    }
    out->events = r->events;
    out->n_events = ne;
    uint8_t coding = get_u8(&c);
    uint32_t nbytes = get_u32(&c);
    size_t npx = (size_t)r->h.width * r->h.height;
    cur_check(&c, coding == CODING_RAW || coding == CODING_RICE, "unknown pixel coding");
    cur_check(&c, c.bad || nbytes == c.len - c.pos, "pixel byte count does not match the chunk");
    cur_check(&c, c.bad || coding != CODING_RAW || nbytes == npx * 2,
              "raw pixel data is not width x height x 2 bytes");
    const uint8_t *px = cur_take(&c, nbytes);
    if (c.bad)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID, "FRAM %" PRIu32 ": %s", frame,
                       c.what);
    if (coding == CODING_RAW) {
        for (size_t i = 0; i < npx; i++)
            r->frame_ck[i] = (uint16_t)(px[2 * i] | px[2 * i + 1] << 8);
    } else {
        const char *why = NULL;
        if (decode_rice(px, nbytes, r->frame_ck, r->h.width, r->h.height, &why))
            return rd_fail(r, at, err, err_len, FB_ERR_INVALID, "FRAM %" PRIu32 ": %s", frame,
                           why);
    }
    out->frame_ck = r->frame_ck;
    r->frames_hash = r->legacy_hash
                         ? fb_hash64(r->frames_hash, r->frame_ck, npx * sizeof *r->frame_ck)
                         : fb_frames_hash(r->frames_hash, r->frame_ck, npx * sizeof *r->frame_ck);
    r->last_t_s = tf->t_s;
    r->next_frame++;
    return FB_REC_FRAME;
}

static int parse_end(fb_recording *r, const uint8_t *p, size_t len, uint64_t at, char *err,
                     size_t err_len)
{
    cur c = {p, len, 0, false, NULL};
    fb_record_end *e = &r->end;
    e->frames = get_u32(&c);
    e->frames_hash = get_u64(&c);
    uint8_t complete = get_u8(&c);
    cur_check(&c, complete <= 1, "complete flag is not 0 or 1");
    e->complete = complete == 1;
    get_str(&c, e->stop_reason, sizeof e->stop_reason, "stop reason too long");
    int rc = cur_done(r, &c, at, "END", err, err_len);
    if (rc)
        return rc;
    if (e->frames != r->next_frame)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID,
                       "END: says %" PRIu32 " frames, the file holds %" PRIu32, e->frames,
                       r->next_frame);
    if (e->frames_hash != r->frames_hash)
        return rd_fail(r, at, err, err_len, FB_ERR_INVALID,
                       "END: frames hash %016" PRIx64 " differs from the frames read (%016" PRIx64
                       "): recording corrupt",
                       e->frames_hash, r->frames_hash);
    uint8_t extra;
    if (src_read(r, &extra, 1) != 0)
        return rd_fail(r, r->pos - 1, err, err_len, FB_ERR_PARSE, "data after the END chunk");
    return 0;
}

int fb_recording_next(fb_recording *r, fb_record_frame_view *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (r->at_end)
        return 0;
    for (;;) {
        uint32_t type;
        size_t len;
        uint64_t at;
        int rc = read_chunk(r, &type, &len, &at, err, err_len);
        if (rc == 1)
            return rd_fail(r, at, err, err_len, FB_ERR_PARSE,
                           "truncated after frame %" PRIu32 " (no END chunk: the run was cut off?)",
                           r->next_frame);
        if (rc)
            return rc;
        char tn[5];
        type_name(type, tn);
        if (type == T_FRAM)
            return parse_frame(r, r->buf, len, at, out, err, err_len);
        if (type == T_FALT) {
            cur c = {r->buf, len, 0, false, NULL};
            get_str(&c, r->fault, sizeof r->fault, "message too long");
            cur_check(&c, r->fault[0] != '\0', "empty message");
            rc = cur_done(r, &c, at, "FALT", err, err_len);
            if (rc)
                return rc;
            out->fault = r->fault;
            return FB_REC_FAULT;
        }
        if (type == T_AUDT) {
            cur c = {r->buf, len, 0, false, NULL};
            uint8_t clean = get_u8(&c);
            cur_check(&c, clean <= 1, "clean flag is not 0 or 1");
            uint64_t eg = get_u64(&c), vi = get_u64(&c);
            cur_check(&c, eg <= vi, "more egress attempts than violations");
            rc = cur_done(r, &c, at, "audt", err, err_len);
            if (rc)
                return rc;
            r->end.have_audit = true;
            r->end.audit_clean = clean == 1;
            r->end.egress_attempts = eg;
            r->end.sandbox_violations = vi;
            continue;
        }
        if (type == T_END) {
            rc = parse_end(r, r->buf, len, at, err, err_len);
            if (rc)
                return rc;
            r->at_end = true;
            return 0;
        }
        if (tn[0] >= 'A' && tn[0] <= 'Z')
            return rd_fail(r, at, err, err_len, FB_ERR_PARSE,
                           "%s: unexpected chunk among the frames", tn);
    }
}

const fb_record_end *fb_recording_end(const fb_recording *r)
{
    return r->at_end ? &r->end : NULL;
}

int fb_recording_rewind(fb_recording *r, char *err, size_t err_len)
{
    if (src_seek(r, r->first_frame_pos))
        return rd_fail(r, r->first_frame_pos, err, err_len, FB_ERR_IO, "cannot seek: %s",
                       strerror(errno));
    r->next_frame = 0;
    r->last_t_s = 0;
    r->frames_hash = r->legacy_hash ? FB_FRAMES_HASH_INIT_LEGACY : FB_FRAMES_HASH_INIT;
    r->at_end = false;
    memset(&r->end, 0, sizeof r->end);
    return 0;
}
