/* heap.c — the process's heap policy for a long run (glibc's mallopt). */
#include "heap.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Blocks under 64 MiB come from the heap (not one mmap each), and the heap's top is handed
 * back only when 256 MiB of it lie free: a run's peak stays mapped, nothing grows without it. */
#define KEEP_MMAP_BELOW_B ((int)64 << 20)
#define KEEP_TRIM_ABOVE_B ((int)256 << 20)

void fb_heap_keep(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, KEEP_MMAP_BELOW_B);
    mallopt(M_TRIM_THRESHOLD, KEEP_TRIM_ABOVE_B);
#endif
}
