/* isa.c — which of the vector instruction sets this CPU runs (isa.h). */
#include "isa.h"

bool fb_isa_has(fb_isa isa)
{
    switch (isa) {
    case FB_ISA_C:
        return true;
#if defined(__x86_64__) && defined(__GNUC__)
    case FB_ISA_AVX2:
        return __builtin_cpu_supports("avx2");
    case FB_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
#endif
    default:
        return false;
    }
}

fb_isa fb_isa_widest(fb_isa cap)
{
    for (int i = cap; i > FB_ISA_C; i--)
        if (fb_isa_has((fb_isa)i))
            return (fb_isa)i;
    return FB_ISA_C;
}

const char *fb_isa_name(fb_isa isa)
{
    return isa == FB_ISA_AVX512 ? "AVX-512" : isa == FB_ISA_AVX2 ? "AVX2" : "plain C";
}
