/* test_scenario_nomem.c — allocation failures: the N-th allocation (cJSON's and the loader's,
 * which share cJSON's hooks) fails for N = 1, 2, ... until the load succeeds; every failure
 * returns FB_ERR_NOMEM with a message and leaks nothing (run under ASan). */
#include <stdlib.h>
#include <cJSON.h>
#include "fb_error.h"
#include "fbtest.h"
#include "scenario/scenario.h"

static long countdown = -1; /* allocations left before one fails; -1: never fail */
static long allocations;

static void *failing_malloc(size_t n)
{
    allocations++;
    if (countdown == 0)
        return NULL;
    if (countdown > 0)
        countdown--;
    return malloc(n);
}

static void run(const char *what, int (*load)(fb_scenario *, char *, size_t))
{
    char err[1024];
    fb_scenario s;
    int rc = 1;
    long n;
    for (n = 0; n < 100000 && rc != 0; n++) {
        countdown = n;
        rc = load(&s, err, sizeof err);
        countdown = -1;
        if (rc != 0) {
            CHECK_EQ_INT(rc, FB_ERR_NOMEM);
            CHECK_STR_CONTAINS(err, "out of memory");
            if (rc != FB_ERR_NOMEM)
                fprintf(stderr, "  %s, allocation %ld fails: %s\n", what, n, err);
            CHECK(s.subjects == NULL);
        }
        fb_scenario_free(&s);
    }
    CHECK_EQ_INT(rc, 0);
    CHECK(n > 10);
    printf("%s: loads after %ld failing allocation points\n", what, n - 1);
}

static int load_full(fb_scenario *s, char *err, size_t len)
{
    return fb_scenario_load(FB_SOURCE_DIR "/tests/scenario/good/full.json", s, err, len);
}

static int load_local(fb_scenario *s, char *err, size_t len)
{
    return fb_scenario_load(FB_SOURCE_DIR "/tests/scenario/good/local-camera.json", s, err, len);
}

static int load_inline(fb_scenario *s, char *err, size_t len)
{
    return fb_scenario_load(FB_SOURCE_DIR "/tests/scenario/good/inline-camera.json", s, err, len);
}

static int load_camera(fb_scenario *s, char *err, size_t len)
{
    fb_camera_profile cam;
    memset(s, 0, sizeof *s);
    return fb_camera_profile_load(FB_SOURCE_DIR "/scenarios/cameras/core-640.json", &cam, err, len);
}

int main(void)
{
    cJSON_Hooks hooks = {failing_malloc, free};
    cJSON_InitHooks(&hooks);
    run("full.json", load_full);
    run("local-camera.json", load_local);
    run("inline-camera.json", load_inline);
    run("core-640.json", load_camera);
    cJSON_InitHooks(NULL);
    return FBTEST_END();
}
