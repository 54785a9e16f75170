/* sandbox_scratch.c — lists the files a sandboxed DUT left in its scratch folder: sizes, a
 * count, the first few by name (docs/security.md, "What the audit lists"). */
#define _GNU_SOURCE
#include "sandbox_scratch.h"
#include <dirent.h>
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
} walk;

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

static int skip_dots(const struct dirent *e)
{
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

static void walk_dir(walk *w, int dirfd, const char *path, int depth)
{
    struct dirent **names = NULL;
    int n = scandirat(dirfd, ".", &names, skip_dots, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char sub[512];
        snprintf(sub, sizeof sub, "%s/%s", path, name);
        struct stat st;
        if (w->seen++ < MAX_ENTRIES && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            st.st_dev == w->dev) {
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

int fb_scratch_list(int dirfd, const char *shown_as, fb_link_audit *a)
{
    struct stat st;
    if (fstat(dirfd, &st) != 0)
        return -1;
    walk w = {.dev = st.st_dev, .a = a};
    a->scratch_files = a->scratch_bytes = 0;
    a->n_scratch = 0;
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    walk_dir(&w, fd, shown_as, 0);
    close(fd);
    return 0;
}
