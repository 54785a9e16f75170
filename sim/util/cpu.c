/* cpu.c — the processor's name and the widest vector path the renderer and pixel stages take on it. */
#include <stdio.h>
#include <string.h>
#include "../models/isa.h"
#include "cpu.h"

/* The first "model name" line of /proc/cpuinfo, into model (n bytes); false when there is none. */
static int model_name(char *model, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return 0;
    char line[256];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            const char *c = strchr(line, ':');
            if (c) {
                snprintf(model, n, "%s", c + (c[1] == ' ' ? 2 : 1));
                model[strcspn(model, "\n")] = '\0';
                found = 1;
            }
        }
    fclose(f);
    return found;
}

void fb_cpu_describe(char *out, size_t n)
{
    char model[128];
    if (!model_name(model, sizeof model))
        snprintf(model, sizeof model, "unknown");
    const fb_isa widest = fb_isa_widest(FB_ISA_BEST);
    const char *path = widest == FB_ISA_AVX2 ? "AVX2 (no AVX-512)" : fb_isa_name(widest);
    snprintf(out, n, "%s; widest vector path: %s", model, path);
}
