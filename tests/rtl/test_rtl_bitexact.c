/* test_rtl_bitexact.c — the Verilated front-end against the golden model fb_frontend_process: every
 * pixel and every packet, smallest to largest profile. */
#include <stdio.h>
#include <stdlib.h>
#include "fb_error.h"
#include "fbtest.h"
#include "fe_rtl.h"
#include "frontend.h"
#include "rtl_testutil.h"
#include "vospi.h"

typedef struct tcase {
    const char *name;
    int width, height, frames, flags;
    uint32_t valid_pattern, ready_pattern;
    uint64_t seed;
} tcase;

static void run_case(const tcase *tc)
{
    const size_t n = (size_t)tc->width * (size_t)tc->height;
    fb_frontend fe;
    int rc = tu_make_frontend(&fe, tc->width, tc->height, tc->seed, tc->flags);
    CHECK_EQ_INT(rc, FB_OK);
    if (rc)
        return;
    uint16_t *counts = malloc(n * sizeof *counts);
    uint16_t *want = malloc(n * sizeof *want);
    uint16_t *got = malloc(n * sizeof *got);
    fb_vospi_geom g;
    CHECK_EQ_INT(fb_vospi_geometry(tc->width, tc->height, &g), FB_OK);
    /* data packets plus generous room for discard packets */
    size_t cap = ((size_t)g.packets + 64 + (size_t)tc->width / 8) * FB_VOSPI_PACKET_BYTES * 2;
    uint8_t *raw = malloc(cap);
    CHECK(counts && want && got && raw);
    int err = 0;
    fb_rtl *r = fb_rtl_open(tc->width, tc->height, NULL, &err);
    CHECK_EQ_INT(err, FB_OK);
    if (!counts || !want || !got || !raw || !r)
        goto out;
    fb_rtl_set_flow(r, tc->valid_pattern, tc->ready_pattern);
    rc = fb_rtl_load(r, &fe);
    CHECK_EQ_INT(rc, FB_OK);
    if (rc) {
        fprintf(stderr, "%s: load: %s\n", tc->name, fb_rtl_errmsg(r));
        goto out;
    }
    for (int f = 0; f < tc->frames; f++) {
        char what[96];
        snprintf(what, sizeof what, "%s frame %d", tc->name, f);
        tu_make_counts(counts, n, tc->seed * 131u + (uint64_t)f);
        if (tc->flags & TU_WIDE_COUNTS)
            for (size_t i = 0; i < n; i += 7)
                counts[i] = (uint16_t)(counts[i] * 4u + 3u); /* up to 65535 */
        fb_frontend_process(&fe, counts, want);
        fb_rtl_stream st = {raw, cap, 0, 0};
        rc = fb_rtl_process(r, counts, tc->width, tc->height, got, &st);
        CHECK_EQ_INT(rc, FB_OK);
        if (rc) {
            fprintf(stderr, "%s: %s\n", what, fb_rtl_errmsg(r));
            break;
        }
        CHECK_EQ_INT(tu_compare_frames(got, want, tc->width, tc->height, what), 0);
        unsigned disc = 0;
        CHECK_EQ_INT(tu_check_stream(raw, st.len, want, tc->width, tc->height, &disc), 0);
        fb_rtl_frame_stats s;
        CHECK_EQ_INT(fb_rtl_stats(r, &s), FB_OK);
        CHECK_EQ_INT(s.data_packets, g.packets);
        CHECK_EQ_INT(s.discard_packets, disc);
        printf("%-28s %4dx%-4d frame %d: %u packets + %u discard, %llu cycles (%.3f per pixel), "
               "first packet word at cycle %llu\n",
               tc->name, tc->width, tc->height, f, s.data_packets, s.discard_packets,
               (unsigned long long)s.cycles, (double)s.cycles / (double)n,
               (unsigned long long)s.first_data_cycle);
    }
out:
    fb_rtl_close(r);
    free(raw);
    free(got);
    free(want);
    free(counts);
    fb_frontend_free(&fe);
}

/* Two instances alive at once, interleaved: each has its own VerilatedContext and state. */
static void two_instances(void)
{
    fb_frontend fa, fb2;
    CHECK_EQ_INT(tu_make_frontend(&fa, 160, 120, 11, 0), FB_OK);
    CHECK_EQ_INT(tu_make_frontend(&fb2, 100, 7, 12, TU_CAL_REAL), FB_OK);
    uint16_t *ca = malloc(160 * 120 * 2), *wa = malloc(160 * 120 * 2), *ga = malloc(160 * 120 * 2);
    uint16_t cb[700], wb[700], gb[700];
    int ea = 0, eb = 0;
    fb_rtl *a = fb_rtl_open(160, 120, NULL, &ea);
    fb_rtl *b = fb_rtl_open(100, 7, NULL, &eb);
    CHECK(a && b && ca && wa && ga);
    if (a && b && ca && wa && ga) {
        CHECK_EQ_INT(fb_rtl_load(a, &fa), FB_OK);
        CHECK_EQ_INT(fb_rtl_load(b, &fb2), FB_OK);
        for (int f = 0; f < 2; f++) {
            tu_make_counts(ca, 160 * 120, 100u + (uint64_t)f);
            tu_make_counts(cb, 700, 200u + (uint64_t)f);
            fb_frontend_process(&fa, ca, wa);
            fb_frontend_process(&fb2, cb, wb);
            CHECK_EQ_INT(fb_rtl_process(b, cb, 100, 7, gb, NULL), FB_OK);
            CHECK_EQ_INT(fb_rtl_process(a, ca, 160, 120, ga, NULL), FB_OK);
            CHECK_EQ_INT(tu_compare_frames(ga, wa, 160, 120, "instance a"), 0);
            CHECK_EQ_INT(tu_compare_frames(gb, wb, 100, 7, "instance b"), 0);
        }
    }
    fb_rtl_close(a);
    fb_rtl_close(b);
    free(ca);
    free(wa);
    free(ga);
    fb_frontend_free(&fa);
    fb_frontend_free(&fb2);
}

int main(void)
{
    const uint32_t all = 0xFFFFFFFFu;
    const tcase cases[] = {
        /* smallest profile (a Lepton 3.5: 4 segments x 60 packets), synthetic and real tables */
        {"160x120 synthetic table", 160, 120, 3, TU_EXTREME_GAIN, all, all, 1},
        {"160x120 calibrated table", 160, 120, 2, TU_CAL_REAL, all, all, 2},
        {"160x120 16-bit counts", 160, 120, 2, TU_EXTREME_GAIN | TU_WIDE_COUNTS, all, all, 12},
        /* rows that are not whole packets (3.2 packets per row), zero-padded last packet */
        {"256x192", 256, 192, 2, TU_EXTREME_GAIN, all, all, 3},
        {"100x7 padded", 100, 7, 2, 0, all, all, 4},
        {"2x3 degenerate", 2, 3, 2, 0, all, all, 5},
        {"8x1 single row", 8, 1, 2, 0, all, all, 6},
        {"6x5 tiny", 6, 5, 3, TU_EXTREME_GAIN, 0x0F0F0F0Fu, 0x33333333u, 11},
        /* handshakes: gaps on the input, back-pressure on the output */
        {"160x120 gaps+backpressure", 160, 120, 2, TU_EXTREME_GAIN, 0xB6DB6DB7u, 0x5A5AF0F3u, 7},
        {"160x120 slow reader", 160, 120, 1, 0, all, 0x11111111u, 8},
        /* largest profile */
        {"640x512", 640, 512, 2, TU_EXTREME_GAIN, all, all, 9},
        {"640x512 calibrated, no bad", 640, 512, 1, TU_CAL_REAL | TU_NO_BAD, all, all, 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    two_instances();
    return FBTEST_END();
}
