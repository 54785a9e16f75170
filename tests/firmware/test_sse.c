/* test_sse.c — the size-of-source compensation: a sharp canthus (no deficit) reads high by exactly
 * FBFW_SSE_K_CKPX / w, 1045 ck·px (docs/firmware.md), at the head widths the samples came from; the
 * painter's warm face is no cold face (its canthus stands < 1.5 K out of its 7 x 7 square), so the
 * contrast term adds nothing. */
#include "fbtest.h"
#include "fw_run.h"

int main(void) {
    int seed, n = 0;
    for (seed = 1; seed <= 6; seed++) {
        fw_opts o;
        fw_result r;
        int m;
        double w, expect;
        fw_opts_default(&o);
        o.seed = (uint32_t)(300 + seed);
        o.n_walkers = 1;
        o.w[0] = fw_walker_make(-0.25 + 0.1 * seed, 4.5, 35.6);
        fw_run(&o, &r);
        CHECK_EQ_INT(r.n_meas, 1);
        m = fw_meas_of(&r, 0);
        CHECK(m >= 0);
        if (m < 0)
            continue;
        /* The reported sample is the median of the last 5, from heads ~w px wide (the reported
         * box's width; the samples span a few pixels: 1/w changes by < 0.02 K over them). */
        w = r.ev[m].box_w;
        expect = 35.6 + 10.45 / w;
        printf("seed %d: head %.0f px, reading %.2f, sharp canthus + 10.45/w = %.2f\n", seed, w,
               fw_c(r.ev[m].skin_ck), expect);
        CHECK(w >= 30.0 && w <= 60.0);
        /* the firmware's own error on this painter is +0.01 +- 0.03 K (test_walk) */
        CHECK_NEAR(fw_c(r.ev[m].skin_ck), expect, 0.08);
        n++;
    }
    CHECK_EQ_INT(n, 6);
    return FBTEST_END();
}
