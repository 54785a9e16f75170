/* heap.h — the process's heap policy for a long run: freed memory is kept for reuse. */
#ifndef FB_HEAP_H
#define FB_HEAP_H

/* Keeps memory that the run frees in the process instead of handing it back to the kernel:
 * people's meshes are built when they come near and freed when they leave, all run long, and
 * glibc would otherwise trim the heap's top and map large blocks afresh, so that every build
 * faulted its pages in again (~4 % of a crowd run on a virtual machine, where a page fault is
 * dear). Call once, first thing in main; a no-op off glibc. */
void fb_heap_keep(void);

#endif
