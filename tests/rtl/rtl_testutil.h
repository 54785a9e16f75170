/* rtl_testutil.h — shared fixtures for the RTL tests: seeded coefficient sets, count frames and
 * packet-stream checks. */
#ifndef FB_RTL_TESTUTIL_H
#define FB_RTL_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include "frontend.h"

typedef struct tu_rng {
    uint64_t s;
} tu_rng;

uint32_t tu_rand(tu_rng *r);
/* uniform in [lo, hi] */
int tu_range(tu_rng *r, int lo, int hi);

enum {
    TU_CAL_SYNTH = 0,    /* synthetic table with a decreasing stretch and both extremes */
    TU_CAL_REAL = 1,     /* fb_frontend_calibrate with a 40 counts/K sensor at 30 °C */
    TU_NO_BAD = 2,       /* no bad pixels */
    TU_EXTREME_GAIN = 4, /* sprinkle gains 0 and 65535 */
    TU_WIDE_COUNTS = 8   /* counts above 14 bits too (the port is 16-bit; the model accepts them) */
};

/* Initializes fe (width x height) with drift-like offsets (gradient + noise, some larger than
 * any count so x < 0), gains 0.5..1.5, bad pixels (singles, adjacent pairs, both row edges, a
 * run of 3, a whole bad row, a row with one good pixel) and a table. FB_OK or an fb_err. */
int tu_make_frontend(fb_frontend *fe, int width, int height, uint64_t seed, int flags);
/* Random counts 0..16383 with the extremes 0 and 16383 sprinkled in (about 2 %). */
void tu_make_counts(uint16_t *counts, size_t n, uint64_t seed);

/* Checks a raw RTL packet stream against the golden frame ck[width*height]: every data packet
 * byte-identical to the reference packetizer's, in order, all of them; every discard packet
 * identical to fb_vospi_discard_packet. Returns the number of mismatches (0 = pass) and prints
 * the first few; *discards = discard packets seen (may be NULL). */
int tu_check_stream(const uint8_t *stream, size_t len, const uint16_t *ck, int width, int height,
                    unsigned *discards);

/* Number of differing pixels, printing the first few with their position. */
int tu_compare_frames(const uint16_t *got, const uint16_t *want, int width, int height,
                      const char *what);

#endif
