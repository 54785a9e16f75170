/* rng_table.h — internal: the build-time generated standard-normal quantile table (see gen_normal_table.c). */
#ifndef FB_RNG_TABLE_H
#define FB_RNG_TABLE_H

#define FB_RNG_NORMAL_TABLE_N 65536

/* Entry j = Phi^-1((j + 0.5) / 65536) scaled to unit variance; antisymmetric (mean exactly 0). */
extern const float fb_rng_normal_table[FB_RNG_NORMAL_TABLE_N];

#endif
