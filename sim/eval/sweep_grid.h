/* sweep_grid.h — `--set KEY=V1,V2,…|A:B:STEP` parsing, key checking and applying to scenario JSON. */
#ifndef FB_SWEEP_GRID_H
#define FB_SWEEP_GRID_H
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct fb_sweep_value {
    char text[64]; /* as printed in files: "30", "0.5", "true", "lepton-160" */
    cJSON *json;   /* number, bool or string (owned) */
} fb_sweep_value;

typedef struct fb_sweep_param {
    char key[128]; /* JSON path: "camera.netd_mk", "subjects[0].core_c" */
    fb_sweep_value *values;
    size_t n;
    bool numeric; /* every value a number */
} fb_sweep_param;

/* Parses "KEY=LIST" (LIST: comma-separated items, each a value or an inclusive range A:B:STEP
 * of numbers, STEP > 0, B reached within 1e-9 of a step or not passed). *p is filled (free with
 * fb_sweep_param_free). Returns 0, or FB_ERR_INVALID with what is wrong in err; more than
 * max_values values is an error. */
int fb_sweep_param_parse(const char *spec, fb_sweep_param *p, size_t max_values, char *err,
                         size_t err_len);
void fb_sweep_param_free(fb_sweep_param *p);

/* Checks key against the scenario format's key table (sim/scenario/scenario_keys.h; array indices as
 * [N]). Returns 0, or FB_ERR_INVALID with "unknown key K (nearest: a, b, c)" in err. */
int fb_sweep_key_check(const char *key, char *err, size_t err_len);

/* Sets key to value in the scenario document root (a copy of value is stored). A "camera.*" key
 * first inlines the named camera profile (camera_text, the profile's JSON, used when "camera"
 * is still a name). Missing objects on the way are created; an array index must exist.
 * Returns 0, or FB_ERR_INVALID with the reason in err. */
int fb_sweep_set(cJSON *root, const char *key, const cJSON *value, const char *camera_text,
                 char *err, size_t err_len);

/* Levenshtein distance between a and b (for "nearest" suggestions). */
size_t fb_sweep_distance(const char *a, const char *b);

#endif
