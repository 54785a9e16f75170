/* test_fixed.c — fb_format_fixed (sim/util/fixed.h) against snprintf("%.*f") byte for byte: exact ties (half to even), values a hair either side of a tie, negatives and -0, values that round to zero or up to the next power of ten, the fast path's edge (|v| 10^d near 2^52) and beyond, NaN and infinities, decimals 0..9 and out of range, and a million random values over magnitudes 1e-12..1e15. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../../sim/util/fixed.h"
#include "../fbtest.h"

static int g_bad;

/* One value, every count of decimals (and two out of range). */
static void check(double v)
{
    for (int d = -1; d <= 10; d++) {
        char want[FB_FIXED_MAX], got[FB_FIXED_MAX];
        int n = snprintf(want, sizeof want, "%.*f", d, v);
        size_t m = fb_format_fixed(got, v, d);
        if (n < 0 || (size_t)n != m || strcmp(want, got) != 0) {
            if (g_bad++ < 10)
                fprintf(stderr, "%.17g with %d decimals: \"%s\", want \"%s\"\n", v, d, got, want);
        }
    }
}

int main(void)
{
    /* exact ties at every place: k + 1/2 scaled down by powers of two (exact in binary) */
    for (int k = 0; k < 200; k++)
        for (int sh = 0; sh <= 12; sh++) {
            double t = ((double)k + 0.5) / (double)(1 << sh);
            check(t), check(-t), check(nextafter(t, 0.0)), check(nextafter(t, 1e9));
            check(-nextafter(t, 0.0)), check(-nextafter(t, 1e9));
        }
    /* decimal "ties" that binary cannot hold (0.125 is exact, 0.15 is not), powers of ten and
     * values that round up to them, zero, tiny and small negatives */
    const double special[] = {0.0, -0.0, 0.125, 0.375, 2.5, 3.5, 0.15, 0.25, 1.005, 2.675,
                              9.9999999, 99.995, 999999.9999995, 1e-300, -1e-300, -0.001, -0.5,
                              -1.5, 5e-10, 4.9999999999e-10, 37.2549999999, 310.15, 29315.0,
                              DBL_MIN, -DBL_MIN, 4503599627370495.5, 4503599627370496.0,
                              9007199254740993.0, 1e300, -1e300, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        check(special[i]);
    /* the fast path's edge: |v| 10^d around 2^52 for each d */
    for (int d = 0; d <= 9; d++) {
        double edge = 0x1p52 / pow(10.0, d);
        for (int k = -3; k <= 3; k++) {
            double v = edge + k * edge * 1e-15;
            check(v), check(-v), check(nextafter(edge, 0.0)), check(nextafter(edge, INFINITY));
        }
    }
    /* random values over many magnitudes (a fixed xorshift stream) */
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 1000000 && g_bad == 0; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double mant = (double)(x >> 11) * 0x1p-53;              /* [0, 1) */
        double mag = pow(10.0, (double)((x >> 3) % 28) - 12.0); /* 1e-12 .. 1e15 */
        double v = (x & 1u) ? -mant * mag : mant * mag;
        char want[FB_FIXED_MAX], got[FB_FIXED_MAX];
        int d = (int)((x >> 40) % 10u);
        int n = snprintf(want, sizeof want, "%.*f", d, v);
        size_t m = fb_format_fixed(got, v, d);
        if (n < 0 || (size_t)n != m || strcmp(want, got) != 0)
            if (g_bad++ < 10)
                fprintf(stderr, "%.17g with %d decimals: \"%s\", want \"%s\"\n", v, d, got, want);
    }
    CHECK_EQ_INT(g_bad, 0);
    return FBTEST_END();
}
