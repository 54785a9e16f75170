/* fuzz_camera.c — libFuzzer target: any bytes as a camera profile give 0 or one located error. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    fb_camera_profile cam;
    int rc = fb_camera_profile_load_text((const char *)data, size, "fuzz-camera.json", &cam, err,
                                         sizeof(err));
    if (rc != 0 && err[0] == '\0')
        __builtin_trap();
    return 0;
}
