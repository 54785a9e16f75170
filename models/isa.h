/* isa.h — the instruction sets the vectorised loops are compiled for (plain C, AVX2, AVX-512) and which of them this CPU runs: each module takes the widest up to a cap that tests lower to compare the paths, which give the same results. */
#ifndef FB_ISA_H
#define FB_ISA_H

#include <stdbool.h>

typedef enum fb_isa {
    FB_ISA_C = 0,
    FB_ISA_AVX2,
    FB_ISA_AVX512, /* F, VL, BW and DQ: what every AVX-512 instance here may use */
    FB_ISA_BEST = FB_ISA_AVX512
} fb_isa;

/* The GCC target attributes of a function compiled for AVX2, or for AVX-512 (which also has
 * AVX2's 256-bit forms), on x86-64 builds. */
#define FB_TARGET_AVX2 __attribute__((target("avx2")))
#define FB_TARGET_AVX512 __attribute__((target("avx2,avx512f,avx512vl,avx512bw,avx512dq")))

/* Whether this build and this CPU run isa's instances (FB_ISA_C always). */
bool fb_isa_has(fb_isa isa);
/* The widest set this build and this CPU run, no wider than cap. */
fb_isa fb_isa_widest(fb_isa cap);
/* "AVX-512", "AVX2" or "plain C". */
const char *fb_isa_name(fb_isa isa);

#endif
