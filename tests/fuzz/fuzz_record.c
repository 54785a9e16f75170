/* fuzz_record.c — libFuzzer target: any bytes as a recording are read to the end or rejected with one located error. */
#include <stddef.h>
#include <stdint.h>
#include "record/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    fb_recording *r;
    err[0] = '\0';
    if (fb_recording_open_mem(&r, data, size, "fuzz.fbrec", err, sizeof(err)) != 0) {
        if (err[0] == '\0')
            __builtin_trap(); /* every rejection explains itself */
        return 0;
    }
    fb_record_frame_view v;
    int rc;
    for (int i = 0; i < 100000 && (rc = fb_recording_next(r, &v, err, sizeof(err))) > 0; i++)
        ;
    fb_recording_close(r);
    return 0;
}
