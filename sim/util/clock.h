/* clock.h — seconds on the monotonic clock, for timings and deadlines (one definition for the bench). */
#ifndef FB_CLOCK_H
#define FB_CLOCK_H

#include <time.h>

/* Seconds since an arbitrary start, never going back (CLOCK_MONOTONIC). */
static inline double fb_clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
