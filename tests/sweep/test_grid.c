/* test_grid.c — sweep grids by hand: value lists and ranges, key checking with the nearest names,
 * setting a key in scenario JSON (inlining the camera profile), the seeds' 95 % intervals, and
 * the Slurm executor's automatic batch size. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>

#include "eval/executor.h"
#include "fb_error.h"
#include "fbtest.h"
#include "eval/sweep.h"
#include "eval/sweep_grid.h"
#include "eval/sweep_study.h"

static void values(void)
{
    char err[256];
    fb_sweep_param p;
    /* 30:90:10 inclusive: 30,40,...,90 = 7 values */
    CHECK_EQ_INT(fb_sweep_param_parse("camera.netd_mk=30:90:10", &p, 100, err, sizeof err), 0);
    CHECK_EQ_INT(p.n, 7);
    CHECK(strcmp(p.key, "camera.netd_mk") == 0);
    CHECK(strcmp(p.values[0].text, "30") == 0 && strcmp(p.values[6].text, "90") == 0);
    CHECK(p.numeric);
    fb_sweep_param_free(&p);
    /* 0.1:0.3:0.1 reaches 0.3 although 0.1 + 2 * 0.1 = 0.30000000000000004 */
    CHECK_EQ_INT(fb_sweep_param_parse("k=0.1:0.3:0.1", &p, 100, err, sizeof err), 0);
    CHECK_EQ_INT(p.n, 3);
    CHECK(p.n == 3 && strcmp(p.values[2].text, "0.3") == 0 && p.values[2].json->valuedouble == 0.3);
    fb_sweep_param_free(&p);
    /* 1:2:0.4 stops at 1.8 (the next, 2.2, passes B) */
    CHECK_EQ_INT(fb_sweep_param_parse("k=1:2:0.4", &p, 100, err, sizeof err), 0);
    CHECK(p.n == 3 && strcmp(p.values[2].text, "1.8") == 0);
    fb_sweep_param_free(&p);
    /* a list mixing a range and values; strings and booleans */
    CHECK_EQ_INT(fb_sweep_param_parse("k=1:3:1,10", &p, 100, err, sizeof err), 0);
    CHECK(p.n == 4 && strcmp(p.values[3].text, "10") == 0);
    fb_sweep_param_free(&p);
    CHECK_EQ_INT(fb_sweep_param_parse("camera=turret-256,lepton-160", &p, 100, err, sizeof err), 0);
    CHECK(p.n == 2 && !p.numeric && cJSON_IsString(p.values[1].json));
    fb_sweep_param_free(&p);
    CHECK_EQ_INT(fb_sweep_param_parse("k=true,false", &p, 100, err, sizeof err), 0);
    CHECK(p.n == 2 && cJSON_IsTrue(p.values[0].json) && cJSON_IsFalse(p.values[1].json));
    fb_sweep_param_free(&p);
    /* errors */
    CHECK_EQ_INT(fb_sweep_param_parse("k", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_param_parse("k=", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_param_parse("k=1,,2", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(err, "empty");
    CHECK_EQ_INT(fb_sweep_param_parse("k=5:1:1", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_param_parse("k=1:5:0", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_param_parse("k=1:5", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_param_parse("k=1,2,1", &p, 100, err, sizeof err), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(err, "twice");
    CHECK_EQ_INT(fb_sweep_param_parse("k=1:100:1", &p, 10, err, sizeof err), FB_ERR_INVALID);
}

static void keys(void)
{
    char err[512];
    CHECK_EQ_INT(fb_sweep_key_check("camera.netd_mk", err, sizeof err), 0);
    CHECK_EQ_INT(fb_sweep_key_check("population.arrival_rate_per_min", err, sizeof err), 0);
    CHECK_EQ_INT(fb_sweep_key_check("subjects[1].core_c", err, sizeof err), 0);
    CHECK_EQ_INT(fb_sweep_key_check("duration_s", err, sizeof err), 0);
    /* one letter's case off: distance 1 to camera.netd_mk, the nearest named first */
    CHECK_EQ_INT(fb_sweep_key_check("camera.netd_mK", err, sizeof err), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(err, "unknown key \"camera.netd_mK\" (nearest: camera.netd_mk");
    CHECK_EQ_INT(fb_sweep_key_check("netd_mk", err, sizeof err), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_sweep_distance("kitten", "sitting"), 3);
    CHECK_EQ_INT(fb_sweep_distance("", "abc"), 3);
    CHECK_EQ_INT(fb_sweep_distance("netd_mk", "netd_mk"), 0);
}

static void set(void)
{
    char err[256];
    cJSON *doc = cJSON_Parse("{\"camera\":\"c1\",\"subjects\":[{\"core_c\":37}]}");
    const char *cam = "{\"name\":\"c1\",\"netd_mk\":50,\"fps\":25}";
    cJSON *v = cJSON_CreateNumber(30);
    CHECK_EQ_INT(fb_sweep_set(doc, "camera.netd_mk", v, cam, err, sizeof err), 0);
    cJSON *c = cJSON_GetObjectItem(doc, "camera");
    CHECK(cJSON_IsObject(c)); /* the profile inlined, then changed */
    CHECK_NEAR(cJSON_GetObjectItem(c, "netd_mk")->valuedouble, 30, 0);
    CHECK_NEAR(cJSON_GetObjectItem(c, "fps")->valuedouble, 25, 0);
    CHECK_EQ_INT(fb_sweep_set(doc, "subjects[0].core_c", v, NULL, err, sizeof err), 0);
    CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "subjects"), 0),
                                   "core_c")
                   ->valuedouble,
               30, 0);
    CHECK_EQ_INT(fb_sweep_set(doc, "subjects[1].core_c", v, NULL, err, sizeof err),
                 FB_ERR_INVALID);
    CHECK_STR_CONTAINS(err, "(1 items)");
    /* an object absent from the file is created (the loader's defaults apply to the rest) */
    CHECK_EQ_INT(fb_sweep_set(doc, "mount.height_m", v, NULL, err, sizeof err), 0);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "mount"), "height_m")));
    cJSON_Delete(v);
    cJSON_Delete(doc);
}

static void stats(void)
{
    /* 1, 2, 3: mean 2, SD 1, half-width t(2) = 4.303 x 1 / sqrt(3) = 2.48434 */
    double x[4] = {1, 2, NAN, 3};
    fb_sweep_stat s = fb_sweep_stats(x, 4);
    CHECK_EQ_INT(s.n, 3);
    CHECK_NEAR(s.mean, 2, 1e-12);
    CHECK_NEAR(s.sd, 1, 1e-12);
    CHECK_NEAR(s.hi - s.mean, 4.303 / sqrt(3.0), 1e-12);
    CHECK_NEAR(s.mean - s.lo, 4.303 / sqrt(3.0), 1e-12);
    s = fb_sweep_stats(x, 1);
    CHECK(s.n == 1 && s.mean == 1 && isnan(s.lo));
    CHECK_NEAR(fb_sweep_t95(1), 12.706, 0);
    /* t(60) = 2.000 in the tables; the expansion gives it to 1e-3 */
    CHECK_NEAR(fb_sweep_t95(60), 2.000, 1e-3);
    CHECK_NEAR(fb_sweep_t95(120), 1.980, 1e-3);
    /* Wilson: 8 of 10, z = 1.96, z^2 = 3.8415: centre (0.8 + 0.19207) / 1.38415 = 0.71674,
     * half-width 1.96 / 1.38415 x sqrt(0.016 + 0.0096037) = 0.22658 -> [0.4902, 0.9433] */
    double lo, hi;
    fb_sweep_wilson(8, 10, &lo, &hi);
    CHECK_NEAR(lo, 0.4902, 1e-4);
    CHECK_NEAR(hi, 0.9433, 1e-4);
}

/* Runs per Slurm array task when --batch is not given: the fewest that keep one array within
 * 1000 tasks (Slurm's default MaxArraySize 1001 allows indices 0..1000). */
static void auto_batch(void)
{
    CHECK(fb_exec_auto_batch(1) == 1);
    CHECK(fb_exec_auto_batch(1000) == 1);   /* 1000 tasks of 1 */
    CHECK(fb_exec_auto_batch(1001) == 2);   /* 501 tasks of 2 */
    CHECK(fb_exec_auto_batch(2000) == 2);   /* 1000 tasks of 2 */
    CHECK(fb_exec_auto_batch(2001) == 3);   /* 667 tasks of 3 */
    CHECK(fb_exec_auto_batch(10000) == 10); /* the 10 000-run study: 1000 tasks of 10 */
}

int main(void)
{
    auto_batch();
    values();
    keys();
    set();
    stats();
    return FBTEST_END();
}
