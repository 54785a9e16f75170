/* test_scenario_bad.c — every file in tests/scenario/bad/ fails to load with the return code and
 * the exact located message listed in bad/expected.txt; no file is left out of the table. */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include "fb_error.h"
#include "fbtest.h"
#include "scenario/scenario.h"

#define BAD_DIR "tests/scenario/bad"

typedef struct bad_case {
    char file[128];
    int rc;
    char expected[512];
    int seen;
} bad_case;

static int rc_from_name(const char *s)
{
    if (!strcmp(s, "IO"))
        return FB_ERR_IO;
    if (!strcmp(s, "PARSE"))
        return FB_ERR_PARSE;
    if (!strcmp(s, "INVALID"))
        return FB_ERR_INVALID;
    return 1;
}

/* Reads "FILE<TAB>RC<TAB>EXPECTED" lines ('#' starts a comment line). */
static size_t read_table(bad_case *cases, size_t cap)
{
    FILE *f = fopen(BAD_DIR "/expected.txt", "r");
    CHECK(f != NULL);
    if (!f)
        return 0;
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < cap) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        CHECK(t1 && t2);
        if (!t1 || !t2)
            continue;
        *t1 = *t2 = '\0';
        bad_case *c = &cases[n++];
        snprintf(c->file, sizeof c->file, "%.127s", line);
        c->rc = rc_from_name(t1 + 1);
        snprintf(c->expected, sizeof c->expected, "%.511s", t2 + 1);
        c->seen = 0;
    }
    fclose(f);
    return n;
}

int main(void)
{
    if (chdir(FB_SOURCE_DIR) != 0)
        return 2;
    static bad_case cases[256];
    size_t n = read_table(cases, sizeof cases / sizeof cases[0]);
    CHECK(n >= 30);
    for (size_t i = 0; i < n; i++) {
        bad_case *c = &cases[i];
        char path[256], err[1024];
        snprintf(path, sizeof path, BAD_DIR "/%s", c->file);
        fb_scenario s;
        memset(&s, 0x5A, sizeof s); /* the loader must not rely on a zeroed struct */
        int rc = fb_scenario_load(path, &s, err, sizeof err);
        CHECK_EQ_INT(rc, c->rc);
        /* ":L:C: ..." is checked right after this file's path; anything else (an error in a
         * camera profile file names that file) anywhere in the message. */
        char want[1024];
        if (c->expected[0] == ':')
            snprintf(want, sizeof want, "%s%s", path, c->expected);
        else
            snprintf(want, sizeof want, "%s", c->expected);
        CHECK_STR_CONTAINS(err, want);
        CHECK(strchr(err, '\n') == NULL);
        if (rc != c->rc || !strstr(err, want))
            fprintf(stderr, "  %s\t%s\n", c->file, err);
        CHECK(s.subjects == NULL && s.n_subjects == 0);
        fb_scenario_free(&s);
        /* the same text through fb_scenario_load_text without a directory gives the same
         * line, except where a camera profile is looked up beside the file */
        if (!strstr(c->file, "camera-file") && !strstr(c->file, "camera-missing")) {
            FILE *f = fopen(path, "rb");
            static char text[1 << 16];
            size_t len = f ? fread(text, 1, sizeof text, f) : 0;
            if (f)
                fclose(f);
            char err2[1024];
            rc = fb_scenario_load_text(text, len, path, NULL, &s, err2, sizeof err2);
            CHECK_EQ_INT(rc, c->rc);
            CHECK(strcmp(err, err2) == 0);
            fb_scenario_free(&s);
        }
    }
    /* every .json in bad/ has a line in the table */
    DIR *d = opendir(BAD_DIR);
    CHECK(d != NULL);
    size_t files = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        files++;
        int listed = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(cases[i].file, e->d_name)) {
                listed = cases[i].seen = 1;
            }
        if (!listed)
            fprintf(stderr, "bad/%s has no line in bad/expected.txt\n", e->d_name);
        CHECK(listed);
    }
    if (d)
        closedir(d);
    for (size_t i = 0; i < n; i++) {
        if (!cases[i].seen)
            fprintf(stderr, "bad/expected.txt lists %s, which does not exist\n", cases[i].file);
        CHECK(cases[i].seen);
    }
    printf("%zu malformed scenarios, %zu files\n", n, files);
    return FBTEST_END();
}
