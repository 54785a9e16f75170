/* catalog.c — scenario lookup: a file on disk first, then the copies compiled into the binary. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "../models/fb_error.h"
#include "catalog.h"
#include "embedded.h"

int fb_catalog_load(const char *arg, fb_scenario *sc, char *err, size_t err_len)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode))
        return fb_scenario_load(arg, sc, err, err_len);
    const char *name = arg;
    if (strncmp(name, "scenarios/", 10) == 0)
        name += 10;
    char path[256], display[300];
    size_t len = strlen(name);
    int has_ext = len > 5 && strcmp(name + len - 5, ".json") == 0;
    const fb_embedded_file *f = NULL;
    if (len < 200 && !strchr(name, '/')) {
        snprintf(path, sizeof(path), "%s%s", name, has_ext ? "" : ".json");
        f = fb_embedded_find(path);
    }
    if (!f) {
        snprintf(err, err_len,
                 "%s: no such file, and no shipped scenario of that name (see `feverbench list`)",
                 arg);
        return FB_ERR_IO;
    }
    snprintf(display, sizeof(display), "embedded:%s", path);
    return fb_scenario_load_text(f->text, f->len, display, NULL, sc, err, err_len);
}
