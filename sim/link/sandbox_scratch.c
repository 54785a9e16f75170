/* sandbox_scratch.c — lists the files a sandboxed DUT left in its scratch folder: sizes, a
 * count, the first few by name (docs/security.md, "What the audit lists"). */
#define _GNU_SOURCE
#include "sandbox_scratch.h"
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH   16     /* folders deeper than this are counted as files, not entered */
#define MAX_ENTRIES 100000 /* a DUT that made more is cut short (the count says "at least") */

typedef struct walk {
    dev_t dev; /* the scratch file system: bind mounts inside it (exposed files) are skipped */
    fb_link_audit *a;
    unsigned long seen;
    const char *const *skip; /* the sandbox's own mount points (fb_scratch_list) */
    size_t n_skip;
} walk;

static bool skipped(const walk *w, const char *path)
{
    for (size_t i = 0; i < w->n_skip; i++)
        if (strcmp(w->skip[i], path) == 0)
            return true;
    return false;
}

static void keep(walk *w, const char *path, uint64_t size_b)
{
    fb_link_audit *a = w->a;
    a->scratch_files++;
    a->scratch_bytes += size_b;
    if (a->n_scratch >= FB_AUDIT_MAX_SCRATCH)
        return;
    fb_audit_file *f = &a->scratch[a->n_scratch++];
    size_t n = strnlen(path, sizeof f->path - 1); /* a longer path is cut */
    memcpy(f->path, path, n);
    f->path[n] = '\0';
    for (char *p = f->path; *p; p++) /* a path for a report: printable only */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            *p = '?';
    f->size_b = size_b;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The folder's entry names, sorted, in memory of our own (not scandir's, whose allocations
 * the fault-injection tests cannot see). Out of memory: the names read so far. */
static char **read_names(int dirfd, size_t *n_out)
{
    *n_out = 0;
    int fd = dup(dirfd); /* fdopendir takes it over */
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return NULL;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_ENTRIES) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            char **nv = realloc(v, nc * sizeof(*nv));
            if (!nv)
                break;
            v = nv;
            cap = nc;
        }
        size_t len = strlen(e->d_name);
        char *name = malloc(len + 1);
        if (!name)
            break;
        memcpy(name, e->d_name, len + 1);
        v[n++] = name;
    }
    closedir(d);
    if (n > 1)
        qsort(v, n, sizeof(*v), by_name);
    *n_out = n;
    return v;
}

static void walk_dir(walk *w, int dirfd, const char *path, int depth)
{
    size_t n;
    char **names = read_names(dirfd, &n);
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];
        char sub[512];
        snprintf(sub, sizeof sub, "%s/%s", path, name);
        struct stat st;
        if (w->seen++ < MAX_ENTRIES && !skipped(w, sub) &&
            fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == w->dev) {
            if (!S_ISDIR(st.st_mode) || depth >= MAX_DEPTH) {
                keep(w, sub, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
            } else {
                int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0) {
                    walk_dir(w, fd, sub, depth + 1);
                    close(fd);
                } else {
                    keep(w, sub, 0); /* a folder it made unreadable: still listed */
                }
            }
        }
        free(names[i]);
    }
    free(names);
}

int fb_scratch_list(int dirfd, const char *shown_as, const char *const *skip, size_t n_skip,
                    fb_link_audit *a)
{
    struct stat st;
    if (fstat(dirfd, &st) != 0)
        return -1;
    walk w = {.dev = st.st_dev, .a = a, .skip = skip, .n_skip = n_skip};
    a->scratch_files = a->scratch_bytes = 0;
    a->n_scratch = 0;
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    walk_dir(&w, fd, shown_as, 0);
    close(fd);
    return 0;
}
