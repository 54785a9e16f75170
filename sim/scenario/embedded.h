/* embedded.h — the shipped scenarios and camera profiles compiled into the binary. */
#ifndef FB_EMBEDDED_H
#define FB_EMBEDDED_H

#include <stddef.h>

typedef struct fb_embedded_file {
    const char *path; /* relative to scenarios/: "default.json", "cameras/turret-256.json" */
    const char *text; /* NUL-terminated */
    size_t len;
} fb_embedded_file;

/* Terminated by an entry with path == NULL; sorted by path. */
extern const fb_embedded_file fb_embedded_files[];

/* The embedded file at path (relative to scenarios/), or NULL. */
const fb_embedded_file *fb_embedded_find(const char *path);

#endif
