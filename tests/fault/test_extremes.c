/* test_extremes.c — scenarios at the edges of every accepted range run to the end cleanly:
 * no crash, no overflow (UBSan in the asan build), an exit status from the documented set. */
#include <stdio.h>
#include <string.h>
#include "fbtest.h"
#include "run/run.h"
#include "scenario/scenario.h"

/* A scenario with one part replaced: camera, ambient, blackbody and subject are JSON snippets. */
static int run_case(const char *what, const char *camera, const char *ambient,
                    const char *blackbody, const char *subject, const char *extra)
{
    char json[4096], err[1024];
    snprintf(json, sizeof(json),
             "{\"name\": \"extreme\", \"seed\": 9007199254740992, \"duration_s\": 0.5,\n"
             " \"camera\": %s,\n"
             " \"environment\": {\"ambient\": %s},\n"
             " \"blackbody\": %s,\n"
             " \"subjects\": [%s]%s}\n",
             camera, ambient, blackbody, subject, extra);
    fb_scenario sc;
    int rc = fb_scenario_load_text(json, strlen(json), what, NULL, &sc, err, sizeof(err));
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, err);
        return -1;
    }
    FILE *devnull = fopen("/dev/null", "w");
    fb_run_opts o = {0};
    int status = fb_run(&sc, &o, devnull);
    fclose(devnull);
    fb_scenario_free(&sc);
    printf("%-28s exit %d\n", what, status);
    CHECK(status == FB_EXIT_PASS || status == FB_EXIT_FAIL || status == FB_EXIT_DUT_FAULT);
    return status;
}

#define CAM(w, h, fov, fps)                                                                        \
    "{\"name\": \"x\", \"description\": \"edge\", \"width\": " #w ", \"height\": " #h               \
    ", \"hfov_deg\": " #fov ", \"fps\": " #fps ", \"netd_mk\": 50, \"counts_per_k\": 40,"           \
    " \"reference_c\": 25, \"fpn_sd_mk\": 20, \"drift_sd_c\": 0.3, \"drift_tau_s\": 900}"
#define TURRET "\"turret-256\""
#define AMB_C "{\"model\": \"constant\", \"base_c\": 23}"
#define BB "{\"set_c\": 35, \"position_m\": [0.5, 2.8, 1.55], \"aperture_m\": 0.07}"
#define WALKER "{\"enter_s\": 0, \"start_distance_m\": 3, \"speed_mps\": 1.3}"

int main(void)
{
    run_case("smallest camera", CAM(8, 8, 24, 25), AMB_C, BB, WALKER, "");
    run_case("wide 4096x8", CAM(4096, 8, 100, 25), AMB_C, BB, WALKER, "");
    run_case("tall 8x1024", CAM(8, 1024, 5, 25), AMB_C, BB, WALKER, "");
    run_case("fov 170, 1000 fps", CAM(64, 48, 169.9, 1000), AMB_C, BB, WALKER, "");
    run_case("fov 1.01", CAM(64, 48, 1.01, 25), AMB_C, BB, WALKER, "");
    run_case("coldest room", TURRET, "{\"model\": \"constant\", \"base_c\": -30}", BB, WALKER, "");
    run_case("hottest room", TURRET, "{\"model\": \"constant\", \"base_c\": 50}", BB, WALKER, "");
    run_case("fastest ramp", TURRET,
             "{\"model\": \"ramp\", \"base_c\": 0, \"rate_c_per_h\": 50}", BB, WALKER, "");
    run_case("blackbody 20 C", TURRET, AMB_C,
             "{\"set_c\": 20, \"position_m\": [0.5, 2.8, 1.55], \"aperture_m\": 0.07}", WALKER, "");
    run_case("blackbody 50 C", TURRET, AMB_C,
             "{\"set_c\": 50, \"position_m\": [0.5, 2.8, 1.55], \"aperture_m\": 0.07}", WALKER, "");
    run_case("hottest subject", TURRET, AMB_C, BB,
             "{\"enter_s\": 0, \"start_distance_m\": 3, \"speed_mps\": 5, \"core_c\": 43,"
             " \"canthus_offset_c\": -1, \"height_m\": 2.3}",
             "");
    run_case("coldest subject", TURRET, AMB_C, BB,
             "{\"enter_s\": 0, \"start_distance_m\": 3, \"speed_mps\": 0.01, \"core_c\": 34,"
             " \"canthus_offset_c\": 4, \"height_m\": 1.0}",
             "");
    run_case("busiest population", TURRET, AMB_C, BB, WALKER,
             ", \"population\": {\"arrival_rate_per_min\": 600, \"max_subjects\": 10000}");
    return FBTEST_END();
}
