/* test_scenario_docs.c — docs/scenario.md, the one place the format's keys, ranges and defaults
 * are documented, has a table row for every key the loader accepts, and no row for a key it
 * does not accept. A row is a line starting with "| `KEY`" where KEY is the full path
 * ("population.speed_mps.mean", "subjects[].id", "camera.fps"). */
#include <stdlib.h>
#include "fbtest.h"
#include "scenario.h"

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, cap, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int is_key(const char *key)
{
    char k[160];
    for (size_t i = 0; fb_scenario_key(i, k, sizeof k); i++)
        if (strcmp(k, key) == 0)
            return 1;
    return 0;
}

int main(void)
{
    char *doc = read_all(FB_SOURCE_DIR "/docs/scenario.md");
    CHECK(doc != NULL);
    if (!doc)
        return FBTEST_END();
    size_t n = 0;
    char key[160], row[200];
    for (size_t i = 0; fb_scenario_key(i, key, sizeof key); i++, n++) {
        snprintf(row, sizeof row, "\n| `%s`", key);
        if (!strstr(doc, row)) {
            fprintf(stderr, "docs/scenario.md has no row \"| `%s` | ...\"\n", key);
            CHECK(0);
        } else {
            CHECK(1);
        }
    }
    CHECK(n > 100);
    /* Reverse: every documented row is a key the loader accepts. */
    size_t rows = 0;
    for (const char *p = strstr(doc, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
        const char *s = p + 4, *e = strchr(s, '`');
        if (!e || (size_t)(e - s) >= sizeof key)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)(e - s), s);
        rows++;
        if (!is_key(key))
            fprintf(stderr, "docs/scenario.md documents \"%s\", which the loader rejects\n", key);
        CHECK(is_key(key));
    }
    CHECK_EQ_INT(rows, n);
    free(doc);
    return FBTEST_END();
}
