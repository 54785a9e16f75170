/* fixed.c — fixed-decimal numbers as printf("%.*f") writes them (fixed.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "fixed.h"

size_t fb_format_fixed(char *out, double v, int decimals)
{
    static const double POW10[10] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    const double a = fabs(v);
    const double s = decimals >= 0 && decimals <= 9 ? POW10[decimals] : 0.0;
    const double p = a * s;
    if (!(s > 0.0) || !(p < 0x1p52)) { /* (NaN and infinities fail the test too) */
        int n = snprintf(out, FB_FIXED_MAX, "%.*f", decimals, v);
        return n < 0 ? 0 : (size_t)n;
    }
    /* a s exactly: p + e (a product's rounding error is a double, and fma gives it exactly) */
    const double e = fma(a, s, -p);
    /* p < 2^52: its integer part n and fraction f = p - n are exact, and so is f - 1/2 (both
     * multiples of p's last place, which is at most 1/2) */
    const double n = floor(p), half = (p - n) - 0.5;
    /* the exact value's distance to n + 1/2 is half + e: its sign survives the addition's
     * rounding (a rounded sum is 0 only when the exact one is) */
    const double d = half + e;
    uint64_t r = (uint64_t)n;
    if (d > 0.0 || (d == 0.0 && (r & 1u)))
        r++; /* above the midpoint, or on it and n odd: ties to even */
    char digits[32];
    int k = 0;
    for (int i = 0; i < decimals; i++, r /= 10)
        digits[k++] = (char)('0' + r % 10);
    uint64_t whole = r;
    size_t len = 0;
    if (signbit(v))
        out[len++] = '-';
    char w[24];
    int m = 0;
    do {
        w[m++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (m)
        out[len++] = w[--m];
    if (decimals > 0) {
        out[len++] = '.';
        while (k)
            out[len++] = digits[--k];
    }
    out[len] = '\0';
    return len;
}
