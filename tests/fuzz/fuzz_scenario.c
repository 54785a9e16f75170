/* fuzz_scenario.c — libFuzzer target: any bytes as a scenario file must give 0 or one located error, never a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    fb_scenario sc;
    memset(&sc, 0, sizeof(sc));
    int rc = fb_scenario_load_text((const char *)data, size, "fuzz.json", NULL, &sc, err,
                                   sizeof(err));
    if (rc == 0)
        fb_scenario_free(&sc);
    else if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
        __builtin_trap(); /* every failure must explain itself */
    return 0;
}
