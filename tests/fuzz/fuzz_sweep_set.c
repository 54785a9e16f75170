/* fuzz_sweep_set.c — libFuzzer target: any bytes as `sweep --set` text give a parameter or one
 * error message, and a parsed key set into a scenario document never crashes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "eval/sweep_grid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = malloc(size + 1);
    if (!spec)
        return 0;
    memcpy(spec, data, size);
    spec[size] = '\0';
    char err[512] = "";
    fb_sweep_param p;
    int rc = fb_sweep_param_parse(spec, &p, 1000, err, sizeof err);
    if (rc != 0 && err[0] == '\0')
        __builtin_trap();
    if (rc == 0) {
        if (p.n == 0)
            __builtin_trap();
        err[0] = '\0';
        if (fb_sweep_key_check(p.key, err, sizeof err) != 0 && err[0] == '\0')
            __builtin_trap();
        cJSON *doc = cJSON_Parse("{\"camera\":\"c\",\"subjects\":[{\"core_c\":37}],\"mount\":{}}");
        err[0] = '\0';
        if (doc && fb_sweep_set(doc, p.key, p.values[0].json, "{\"netd_mk\":50}", err, sizeof err) != 0 &&
            err[0] == '\0')
            __builtin_trap();
        cJSON_Delete(doc);
        fb_sweep_param_free(&p);
    }
    free(spec);
    return 0;
}
