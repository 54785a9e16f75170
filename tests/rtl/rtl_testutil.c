/* rtl_testutil.c — shared fixtures for the RTL tests (see rtl_testutil.h). */
#include "rtl_testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "radiometry.h"
#include "sensor.h"
#include "vospi.h"

uint32_t tu_rand(tu_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

int tu_range(tu_rng *r, int lo, int hi)
{
    return lo + (int)(tu_rand(r) % (uint32_t)(hi - lo + 1));
}

static void set_bad(fb_frontend *fe, int row, int col)
{
    if (row >= 0 && row < fe->height && col >= 0 && col < fe->width)
        fe->bad[(size_t)row * (size_t)fe->width + (size_t)col] = 1;
}

static void make_bad_map(fb_frontend *fe, tu_rng *rng)
{
    int w = fe->width, h = fe->height;
    /* structured cases on fixed rows (modulo the height) */
    set_bad(fe, 0, 0);     /* left edge, single */
    set_bad(fe, 0, w - 1); /* right edge, single */
    set_bad(fe, 1 % h, 0); /* left edge pair */
    set_bad(fe, 1 % h, 1);
    set_bad(fe, 1 % h, w - 2); /* right edge pair */
    set_bad(fe, 1 % h, w - 1);
    set_bad(fe, 2 % h, w / 2); /* adjacent pair in the middle */
    set_bad(fe, 2 % h, w / 2 + 1);
    set_bad(fe, 2 % h, w / 3); /* run of 3 */
    set_bad(fe, 2 % h, w / 3 + 1);
    set_bad(fe, 2 % h, w / 3 + 2);
    if (h > 4)
        for (int c = 0; c < w; c++) /* a whole bad row: stays unchanged */
            set_bad(fe, 3, c);
    if (h > 5)
        for (int c = 0; c < w; c++) /* one good pixel in the row */
            if (c != w / 4)
                set_bad(fe, 4, c);
    if (h > 6)
        for (int c = 0; c < w; c += 2) /* every other pixel */
            set_bad(fe, 5, c);
    /* random singles and pairs, about 0.5 % */
    size_t n = (size_t)w * (size_t)h;
    for (size_t k = 0; k < n / 200 + 1; k++) {
        int row = tu_range(rng, 0, h - 1), col = tu_range(rng, 0, w - 1);
        set_bad(fe, row, col);
        if (tu_rand(rng) & 1)
            set_bad(fe, row, col + 1);
    }
}

static void synth_table(fb_frontend *fe, tu_rng *rng)
{
    /* Rising ~60 ck per entry with noise, a falling stretch (negative slope), and the extremes. */
    int v = 20000;
    for (int k = 0; k < FB_FE_CAL_N; k++) {
        if (k >= 100 && k < 110)
            v -= tu_range(rng, 0, 300);
        else
            v += tu_range(rng, 0, 120);
        fe->cal_ck[k] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
    }
    fe->cal_ck[0] = 0;
    fe->cal_ck[1] = 65535; /* steepest possible rise and fall */
    fe->cal_ck[2] = 0;
    fe->cal_ck[256] = 65535;
}

static int real_table(fb_frontend *fe)
{
    fb_radiometry *rad = malloc(sizeof *rad);
    if (!rad)
        return FB_ERR_NOMEM;
    fb_radiometry_init(rad);
    fb_sensor s;
    memset(&s, 0, sizeof s);
    s.reference_radiance = fb_radiometry_radiance(rad, 303.15);
    s.gain_counts_per_radiance = 40.0 / fb_radiometry_slope(rad, 300.0);
    fb_frontend_calibrate(fe, &s, rad);
    free(rad);
    return FB_OK;
}

int tu_make_frontend(fb_frontend *fe, int width, int height, uint64_t seed, int flags)
{
    int rc = fb_frontend_init(fe, width, height);
    if (rc)
        return rc;
    tu_rng rng = {seed};
    int gx = tu_range(&rng, -300, 300), gy = tu_range(&rng, -300, 300);
    for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++) {
            size_t i = (size_t)r * (size_t)width + (size_t)c;
            /* drift-like: a smooth gradient plus pixel noise */
            int off = gx * c / width + gy * r / height + tu_range(&rng, -150, 150);
            if (tu_rand(&rng) % 97 == 0)
                off = tu_range(&rng, -32768, 32767); /* extreme: x far below 0 or far above 16383 */
            fe->offset[i] = (int16_t)off;
            fe->gain[i] = (uint16_t)tu_range(&rng, 8192, 24576); /* 0.5 .. 1.5 */
            if ((flags & TU_EXTREME_GAIN) && tu_rand(&rng) % 211 == 0)
                fe->gain[i] = (tu_rand(&rng) & 1) ? 65535 : 0;
        }
    if (!(flags & TU_NO_BAD))
        make_bad_map(fe, &rng);
    if (flags & TU_CAL_REAL)
        return real_table(fe);
    synth_table(fe, &rng);
    return FB_OK;
}

void tu_make_counts(uint16_t *counts, size_t n, uint64_t seed)
{
    tu_rng rng = {seed ^ 0xC0FFEEull};
    for (size_t i = 0; i < n; i++) {
        uint32_t u = tu_rand(&rng);
        counts[i] = (uint16_t)(u % 16384u);
        if (u % 100u == 0)
            counts[i] = 0;
        else if (u % 100u == 1)
            counts[i] = 16383;
    }
}

int tu_check_stream(const uint8_t *stream, size_t len, const uint16_t *ck, int width, int height,
                    unsigned *discards)
{
    fb_vospi_geom g;
    uint8_t want[FB_VOSPI_PACKET_BYTES], disc[FB_VOSPI_PACKET_BYTES];
    int bad = 0;
    unsigned nd = 0;
    uint32_t k = 0;
    if (fb_vospi_geometry(width, height, &g) != FB_OK) {
        fprintf(stderr, "tu_check_stream: bad geometry %dx%d\n", width, height);
        return 1;
    }
    fb_vospi_discard_packet(disc);
    if (len % FB_VOSPI_PACKET_BYTES) {
        fprintf(stderr, "stream of %zu bytes is not whole packets\n", len);
        bad++;
    }
    for (size_t off = 0; off + FB_VOSPI_PACKET_BYTES <= len; off += FB_VOSPI_PACKET_BYTES) {
        const uint8_t *p = stream + off;
        if (fb_vospi_is_discard(p)) {
            nd++;
            if (memcmp(p, disc, sizeof disc) != 0 && bad++ < 5)
                fprintf(stderr, "discard packet at byte %zu differs from the reference\n", off);
            continue;
        }
        if (k >= g.packets) {
            if (bad++ < 5)
                fprintf(stderr, "extra data packet at byte %zu\n", off);
            continue;
        }
        fb_vospi_encode_packet(&g, ck, k, want);
        if (memcmp(p, want, sizeof want) != 0 && bad++ < 5) {
            size_t j = 0;
            while (j < sizeof want && p[j] == want[j])
                j++;
            fprintf(stderr,
                    "data packet %u (ID 0x%04x, want 0x%04x): first difference at byte "
                    "%zu: 0x%02x, want 0x%02x\n",
                    k, fb_vospi_packet_id(p), fb_vospi_packet_id(want), j, p[j], want[j]);
        }
        k++;
    }
    if (k != g.packets) {
        fprintf(stderr, "%u data packets, want %u\n", k, g.packets);
        bad++;
    }
    if (discards)
        *discards = nd;
    return bad;
}

int tu_compare_frames(const uint16_t *got, const uint16_t *want, int width, int height,
                      const char *what)
{
    int bad = 0;
    for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++) {
            size_t i = (size_t)r * (size_t)width + (size_t)c;
            if (got[i] != want[i] && bad++ < 5)
                fprintf(stderr, "%s: pixel (row %d, col %d): RTL %u, model %u\n", what, r, c,
                        got[i], want[i]);
        }
    if (bad)
        fprintf(stderr, "%s: %d of %d pixels differ\n", what, bad, width * height);
    return bad;
}
