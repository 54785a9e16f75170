/* fixed.h — a number with a fixed count of decimals, byte for byte what printf("%.*f") writes, without printf's arbitrary-precision conversion (the per-frame JSON streams write ~100 a frame). */
#ifndef FB_FIXED_H
#define FB_FIXED_H

#include <stddef.h>

#define FB_FIXED_MAX 352 /* bytes out[] must hold: the longest "%.9f" of a double, and its NUL */

/* Writes v with `decimals` (0..9) digits after the point into out (FB_FIXED_MAX bytes), exactly
 * as printf("%.*f", decimals, v) does in the C locale under the default rounding — the binary
 * value itself rounded to the nearest, ties to even; a minus sign on every negative value and on
 * -0, even where the digits are all zero — and returns the length. Values the fast path cannot
 * take exactly (|v| 10^decimals at or over 2^52, NaN, infinities, decimals out of range) go to
 * snprintf. */
size_t fb_format_fixed(char *out, double v, int decimals);

#endif
