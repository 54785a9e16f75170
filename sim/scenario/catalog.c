/* catalog.c — scenarios and camera profiles: a file on disk first, then the shipped copies. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "../models/fb_error.h"
#include "catalog.h"
#include "embedded.h"
#include "util/hash.h"

const char *fb_catalog_not_regular(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return NULL;
    return S_ISDIR(st.st_mode)    ? "a directory"
           : S_ISFIFO(st.st_mode) ? "a FIFO"
           : S_ISSOCK(st.st_mode) ? "a socket"
           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                        : "not a file";
}

int fb_catalog_load(const char *arg, fb_scenario *sc, char *err, size_t err_len)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode))
        return fb_scenario_load(arg, sc, err, err_len);
    const char *kind = fb_catalog_not_regular(arg);
    if (kind) { /* never opened: a FIFO without a writer would block */
        snprintf(err, err_len, "%s: not a scenario file: it is %s", arg, kind);
        return FB_ERR_IO;
    }
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

int fb_catalog_camera(const char *arg, fb_camera_profile *cam, uint64_t *hash, char *err,
                      size_t err_len)
{
    struct stat st;
    char display[300];
    int rc;
    if (!arg || !cam)
        return FB_ERR_ARG;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
        rc = fb_camera_profile_load(arg, cam, err, err_len);
    } else {
        const char *name = arg;
        if (strncmp(name, "scenarios/", 10) == 0)
            name += 10;
        if (strncmp(name, "cameras/", 8) == 0)
            name += 8;
        size_t n = strlen(name);
        if (n > 5 && strcmp(name + n - 5, ".json") == 0)
            n -= 5;
        char path[128];
        const fb_embedded_file *f = NULL;
        if (n > 0 && n < 100 && !memchr(name, '/', n)) {
            snprintf(path, sizeof path, "cameras/%.*s.json", (int)n, name);
            f = fb_embedded_find(path);
        }
        if (!f) {
            char avail[400] = "";
            size_t o = 0;
            for (const fb_embedded_file *e = fb_embedded_files; e->path; e++) {
                size_t pl = strlen(e->path);
                if (strncmp(e->path, "cameras/", 8) != 0 || pl < 14)
                    continue;
                int w = snprintf(avail + o, sizeof avail - o, "%s%.*s", o ? ", " : "",
                                 (int)(pl - 13), e->path + 8);
                if (w < 0 || (size_t)w >= sizeof avail - o)
                    break;
                o += (size_t)w;
            }
            snprintf(err, err_len,
                     "camera \"%s\": no such file, and no shipped camera profile of that name "
                     "(expected one of: %s; or a profile file)",
                     arg, o ? avail : "none");
            return FB_ERR_IO;
        }
        snprintf(display, sizeof display, "embedded:%s", path);
        rc = fb_camera_profile_load_text(f->text, f->len, display, cam, err, err_len);
    }
    if (!rc && hash)
        *hash = cam->doc_hash;
    return rc;
}

int fb_catalog_set_camera(fb_scenario *sc, const char *arg, char *err, size_t err_len)
{
    fb_camera_profile cam;
    uint64_t h;
    if (!sc)
        return FB_ERR_ARG;
    int rc = fb_catalog_camera(arg, &cam, &h, err, err_len);
    if (rc)
        return rc;
    unsigned char b[8]; /* little-endian on every build */
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(h >> (8 * i));
    sc->camera = cam;
    /* the scenario's hash (its JSON and its own camera) chained with the profile run instead */
    sc->hash = fb_hash64(sc->hash, b, sizeof b);
    return FB_OK;
}
