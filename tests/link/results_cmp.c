/* results_cmp.c — compares two results.json files structurally, ignoring named top-level keys.
 *
 *   results_cmp A.json B.json [KEY...]   (default KEYs: dut audit — what differs by transport)
 * Exit 0 when equal, 1 with the first differing path on stderr, 2 when a file cannot be read.
 */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *b2 = realloc(buf, cap * 2 + 1);
            if (!b2) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b2;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Prints the first path where a and b differ. */
static int diff(const cJSON *a, const cJSON *b, char *path, size_t len)
{
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        size_t at = strlen(path);
        const cJSON *x;
        cJSON_ArrayForEach(x, a)
        {
            snprintf(path + at, len - at, ".%s", x->string);
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
            if (!y || diff(x, y, path, len))
                return 1;
        }
        cJSON_ArrayForEach(x, b)
        {
            snprintf(path + at, len - at, ".%s", x->string);
            if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
                return 1;
        }
        path[at] = '\0';
        return 0;
    }
    return !cJSON_Compare(a, b, 1);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: results_cmp A.json B.json [KEY...]\n");
        return 2;
    }
    char *ta = slurp(argv[1]), *tb = slurp(argv[2]);
    cJSON *a = ta ? cJSON_Parse(ta) : NULL, *b = tb ? cJSON_Parse(tb) : NULL;
    free(ta);
    free(tb);
    if (!a || !b) {
        fprintf(stderr, "results_cmp: cannot read %s\n", !a ? argv[1] : argv[2]);
        cJSON_Delete(a);
        cJSON_Delete(b);
        return 2;
    }
    static const char *const defaults[] = {"dut", "audit"};
    int nk = argc > 3 ? argc - 3 : 2;
    for (int i = 0; i < nk; i++) {
        const char *k = argc > 3 ? argv[3 + i] : defaults[i];
        cJSON_DeleteItemFromObjectCaseSensitive(a, k);
        cJSON_DeleteItemFromObjectCaseSensitive(b, k);
    }
    char path[512] = "";
    int d = diff(a, b, path, sizeof path);
    if (d)
        fprintf(stderr, "results_cmp: %s and %s differ at %s\n", argv[1], argv[2],
                path[0] ? path : "(root)");
    cJSON_Delete(a);
    cJSON_Delete(b);
    return d;
}
