/* test_progress.c — the progress line's text, hand-worked: frames, simulated time, real-time
 * factor and time left (sim/util/progress.h). */
#include <string.h>
#include "../../sim/util/progress.h"
#include "../fbtest.h"

int main(void)
{
    char b[200];
    /* 250 of 1500 frames at 25 fps after 2.5 s: 10 of 60 s simulated, 4x real time; 1250
     * frames left at 0.01 s each = 12.5 s, shown rounded as 0:13 */
    fb_progress_format(b, sizeof(b), "run default", 250, 1500, 25.0, 2.5);
    CHECK(strcmp(b, "run default: frame 250 / 1500 (10.0 of 60.0 s simulated), 4.0x real time, "
                    "0:13 left") == 0);
    /* an hour of 30 fps at 100x: 108 000 frames, 10 800 done in 3.6 s, 32.4 s left */
    fb_progress_format(b, sizeof(b), "run soak", 10800, 108000, 30.0, 3.6);
    CHECK_STR_CONTAINS(b, "(360.0 of 3600.0 s simulated), 100.0x real time, 0:32 left");
    /* slower than real time, over an hour left: h:mm:ss */
    fb_progress_format(b, sizeof(b), "run x", 25, 90000, 25.0, 2.0);
    CHECK_STR_CONTAINS(b, "0.5x real time, 1:59:58 left");
    /* nothing done yet: no rate, no time left */
    fb_progress_format(b, sizeof(b), "frames crowd", 0, 1500, 25.0, 0.0);
    CHECK(strcmp(b, "frames crowd: frame 0 / 1500 (0.0 of 60.0 s simulated)") == 0);
    /* quiet, or not a terminal: silent (a test's stderr is a file or a pipe here) */
    fb_progress p;
    fb_progress_start(&p, "run x", true);
    CHECK(p.out == NULL);
    fb_progress_update(&p, 1, 2, 25.0);
    CHECK(!p.drawn);
    fb_progress_end(&p);
    return FBTEST_END();
}
