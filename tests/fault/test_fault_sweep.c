/* test_fault_sweep.c — countdown fault injection over a whole run: the N-th allocation, file open,
 * flush or rename fails, and the disk fills up at every size; each must end in a clear error and
 * a clean exit status, with no leak, no open file and no half-written result left behind. */
#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "run/run.h"

/* ---- the injector: link-time wrappers (-Wl,--wrap=...) around what sim/ calls ---- */
enum { F_ALLOC, F_OPEN, F_FLUSH, F_RENAME, F_DUT_READ, F_KINDS };
static const char *kind_name[F_KINDS] = {"allocation", "fopen", "fflush", "rename", "DUT read"};
static long countdown[F_KINDS]; /* fail when it reaches 0; < 0 never */
static long calls[F_KINDS];
static int injected;
static long live_allocs, open_files;

static int should_fail(int kind)
{
    calls[kind]++;
    if (countdown[kind] < 0)
        return 0;
    if (countdown[kind]-- == 0) {
        injected = 1;
        return 1;
    }
    return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t al, size_t n);
void __real_free(void *p);
FILE *__real_fopen(const char *path, const char *mode);
int __real_fclose(FILE *f);
int __real_fflush(FILE *f);
int __real_rename(const char *a, const char *b);
ssize_t __real_recv(int fd, void *buf, size_t n, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t al, size_t n);
void __wrap_free(void *p);
FILE *__wrap_fopen(const char *path, const char *mode);
int __wrap_fclose(FILE *f);
int __wrap_fflush(FILE *f);
int __wrap_rename(const char *a, const char *b);

void *__wrap_malloc(size_t n)
{
    if (should_fail(F_ALLOC))
        return NULL;
    void *p = __real_malloc(n);
    live_allocs += p != NULL;
    return p;
}
void *__wrap_calloc(size_t a, size_t b)
{
    if (should_fail(F_ALLOC))
        return NULL;
    void *p = __real_calloc(a, b);
    live_allocs += p != NULL;
    return p;
}
void *__wrap_realloc(void *p, size_t n)
{
    if (should_fail(F_ALLOC))
        return NULL;
    void *q = __real_realloc(p, n);
    live_allocs += q != NULL && p == NULL;
    return q;
}
void *__wrap_aligned_alloc(size_t al, size_t n)
{
    if (should_fail(F_ALLOC))
        return NULL;
    void *p = __real_aligned_alloc(al, n);
    live_allocs += p != NULL;
    return p;
}
void __wrap_free(void *p)
{
    live_allocs -= p != NULL;
    __real_free(p);
}
FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (should_fail(F_OPEN)) {
        errno = EACCES;
        return NULL;
    }
    FILE *f = __real_fopen(path, mode);
    open_files += f != NULL;
    return f;
}
int __wrap_fclose(FILE *f)
{
    open_files -= f != NULL;
    return __real_fclose(f);
}
int __wrap_fflush(FILE *f)
{
    if (should_fail(F_FLUSH)) {
        errno = ENOSPC;
        return EOF;
    }
    return __real_fflush(f);
}
int __wrap_rename(const char *a, const char *b)
{
    if (should_fail(F_RENAME)) {
        errno = EIO;
        return -1;
    }
    return __real_rename(a, b);
}

ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags)
{
    if (should_fail(F_DUT_READ)) {
        errno = EIO;
        return -1;
    }
    return __real_recv(fd, buf, n, flags);
}

/* ---- checks on what a run left in its output directory ---- */
static char base_dir[256];

static void clear_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[600];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.')) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
}

/* No temporary file left; results.json, if present, is whole JSON with a "pass" field. */
static int outputs_clean(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    struct dirent *e;
    int ok = 1;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp"))
            ok = 0;
    closedir(d);
    char path[600];
    snprintf(path, sizeof(path), "%s/results.json", dir);
    FILE *f = __real_fopen(path, "rb");
    if (f) {
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        __real_fclose(f);
        buf[n] = '\0';
        cJSON *doc = cJSON_Parse(buf);
        if (!doc || !cJSON_GetObjectItemCaseSensitive(doc, "pass"))
            ok = 0;
        cJSON_Delete(doc);
    }
    return ok;
}

static int file_contains(const char *dir, const char *name, const char *needle)
{
    char path[600];
    static char buf[1 << 20];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = __real_fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    __real_fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

/* One run under the current injector settings; returns its exit status. */
static const char *dut_spec; /* NULL: the scenario's (inproc); the DUT-read sweep uses exec */

static int one_run(const fb_scenario *sc, const char *dir)
{
    clear_dir(dir);
    injected = 0;
    long allocs0 = live_allocs, files0 = open_files;
    fb_run_opts o = {.duration_s = 0.4, .out_dir = dir, .dut_spec = dut_spec};
    FILE *devnull = __real_fopen("/dev/null", "w");
    int status = fb_run(sc, &o, devnull);
    __real_fclose(devnull);
    CHECK_EQ_INT(live_allocs, allocs0);
    CHECK_EQ_INT(open_files, files0);
    return status;
}

/* Fails the N-th call of one kind for N = 0, 1, ... until a run sees no failure. */
static void sweep(const fb_scenario *sc, int kind, const char *dir, int *runs)
{
    for (long n = 0;; n++) {
        for (int k = 0; k < F_KINDS; k++)
            countdown[k] = -1;
        countdown[kind] = n;
        int status = one_run(sc, dir);
        (*runs)++;
        if (!injected) {
            CHECK(status == FB_EXIT_PASS || status == FB_EXIT_FAIL);
            printf("%-10s: %ld injection points, every one ended cleanly\n", kind_name[kind], n);
            break;
        }
        if (kind == F_DUT_READ && status == FB_EXIT_FAIL) {
            /* A read failing after the last frame (during PING/BYE) loses no result: the run
             * completes and the audit says what happened. */
            CHECK(file_contains(dir, "results.json", "link failed while saying goodbye") ||
                  file_contains(dir, "results.json", "DUT closed the link"));
        } else if (status != FB_EXIT_USAGE && status != FB_EXIT_DUT_FAULT) {
            fprintf(stderr, "%s #%ld: exit status %d\n", kind_name[kind], n, status);
            CHECK(status == FB_EXIT_USAGE || status == FB_EXIT_DUT_FAULT);
        }
        CHECK(outputs_clean(dir));
        if (n > 100000)
            break;
    }
}

/* The disk fills up after `limit` bytes per file, for a spread of limits. */
static void disk_full_sweep(const fb_scenario *sc, const char *dir, int *runs)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_IGN);
    int failures = 0;
    for (rlim_t limit = 0; limit < 4000000; limit = limit ? limit * 3 / 2 : 64) {
        lim = old;
        lim.rlim_cur = limit;
        setrlimit(RLIMIT_FSIZE, &lim);
        for (int k = 0; k < F_KINDS; k++)
            countdown[k] = -1;
        int status = one_run(sc, dir);
        setrlimit(RLIMIT_FSIZE, &old);
        (*runs)++;
        if (status == FB_EXIT_USAGE)
            failures++;
        else
            CHECK(status == FB_EXIT_PASS || status == FB_EXIT_FAIL); /* everything fitted */
        CHECK(outputs_clean(dir));
    }
    CHECK(failures > 5); /* small limits must be reported, not ignored */
    printf("disk full : %d file-size limits reported as errors\n", failures);
}

static void *hook_malloc(size_t n)
{
    return __wrap_malloc(n);
}

int main(void)
{
    char err[512];
    fb_scenario sc;
    /* cJSON (a shared library) allocates through our injector too. */
    cJSON_Hooks hooks = {hook_malloc, __wrap_free};
    if (fb_catalog_load("default", &sc, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    cJSON_InitHooks(&hooks);
    snprintf(base_dir, sizeof(base_dir), "/tmp/fb-fault-XXXXXX");
    if (!mkdtemp(base_dir)) {
        perror("mkdtemp");
        return 1;
    }
    int runs = 0;
    for (int k = 0; k < F_KINDS; k++) {
        dut_spec = k == F_DUT_READ ? "exec:" FB_FW_HOST : NULL;
        sweep(&sc, k, base_dir, &runs);
    }
    dut_spec = NULL;
    disk_full_sweep(&sc, base_dir, &runs);
    clear_dir(base_dir);
    rmdir(base_dir);
    cJSON_InitHooks(NULL);
    fb_scenario_free(&sc);
    printf("%d runs under fault injection\n", runs);
    return FBTEST_END();
}
