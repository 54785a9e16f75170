/* cpu.h — the processor's name and the widest vector path the renderer and pixel stages take on it (for the benchmarks' headers). */
#ifndef FB_CPU_H
#define FB_CPU_H

#include <stddef.h>

/* Writes "MODEL; widest vector path: PATH" into out (n bytes, always terminated): MODEL from
 * /proc/cpuinfo ("unknown" elsewhere), PATH "AVX-512", "AVX2 (no AVX-512)" or "plain C" — the
 * same frames on each, but figures that differ widely between them. */
void fb_cpu_describe(char *out, size_t n);

#endif
