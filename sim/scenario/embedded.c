/* embedded.c — lookup in the table of shipped scenario files generated at build time. */
#include <string.h>
#include "embedded.h"

const fb_embedded_file *fb_embedded_find(const char *path)
{
    for (const fb_embedded_file *f = fb_embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}
