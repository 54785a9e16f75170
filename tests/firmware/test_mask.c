/* test_mask.c — a mask warmed by breath, hotter than the canthus just above it, is not read as one. */
/* On the painter's template heads the eye window ends 2 cm under the canthi, above the mask; on
 * the bench's 3D heads it reaches the mask, and the rule that leaves a mask's top edge out is
 * tested on hand-built rows by test_face_rules.c and through the bench by e2e_fw_people3d. */
#include "fbtest.h"
#include "fw_run.h"

/* One person in a mask at canthus + warm_k walks in from 4.5 m; returns the reading, °C (NAN
 * when there is no single measurement). */
static double walk_masked(double canthus_c, double warm_k, int blur, uint32_t seed) {
    fw_opts o;
    fw_result r;
    int m;
    fw_opts_default(&o);
    o.seed = seed;
    o.blur = blur;
    o.n_walkers = 1;
    o.w[0] = fw_walker_make(0.05, 4.5, canthus_c);
    o.w[0].mask = 1;
    o.w[0].mask_warm_k = warm_k;
    fw_run(&o, &r);
    CHECK(!r.bad_return);
    CHECK_EQ_INT(r.n_meas, 1);
    m = fw_meas_of(&r, 0);
    CHECK(m >= 0);
    if (r.n_meas != 1 || m < 0)
        return NAN;
    CHECK(r.iou[m] >= 0.6);
    return fw_c(r.ev[m].skin_ck);
}

int main(void) {
    uint32_t seed;
    /* An N95 at its breathing peak: 0.35 K above the canthus (models/confounders.c: 0.1 above,
     * swinging +/-0.25). The hottest pixel in the eye window would be the mask's, 0.35 K high;
     * the reading must be the canthus's, as without a mask (test_walk: within 0.15 K). */
    for (seed = 1; seed <= 4; seed++)
        CHECK_NEAR(walk_masked(36.2, 0.35, 0, seed), 36.2, 0.15);
    /* A febrile wearer: still alarmed on the canthus, not on the mask (1 K above it). */
    CHECK_NEAR(walk_masked(38.4, 1.0, 0, 5), 38.4, 0.15);
    /* Through optics blur the mask's edge spreads over the rows just under the eyes: those rows
     * are left out too. The canthus reads ~0.13 K low through this blur (test_multi), so the
     * reading stays under the canthus plus 0.1 K, not near the mask's +0.35. */
    for (seed = 6; seed <= 8; seed++) {
        double v = walk_masked(36.2, 0.35, 1, seed);
        CHECK(v < 36.3);
        CHECK(v > 35.9);
    }
    /* A mask at room temperature (test_walk's) and a surgical one below the canthus change
     * nothing: the canthus is the hottest anyway. */
    CHECK_NEAR(walk_masked(36.2, -0.3, 0, 9), 36.2, 0.15);
    return FBTEST_END();
}
