/* test_scenario_mutate.c — a quick deterministic fuzz of the loader: thousands of byte-level
 * mutations of valid scenarios never crash, and every failure is one located line. (The
 * libFuzzer target runs the same entry point for longer.) */
#include <stdint.h>
#include <stdlib.h>
#include "fb_error.h"
#include "fbtest.h"
#include "scenario/embedded.h"
#include "scenario/scenario.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const char *const tokens[] = {
    "{",    "}",    "[",     "]",  ",",  ":",       "\"",          "1e999", "-1", "0.5",
    "null", "true", "\"x\"", "[]", "{}", "\\u0000", "\"seed\":1,", "\xff",  "\n", "1.5"};

int main(void)
{
    static char text[1 << 16], mut[1 << 16];
    static const char *const files[] = {"tests/scenario/good/full.json",
                                        "tests/scenario/good/inline-camera.json",
                                        "scenarios/default.json"};
    long ok = 0, failed = 0;
    for (size_t fi = 0; fi < sizeof files / sizeof files[0]; fi++) {
        char path[512];
        snprintf(path, sizeof path, FB_SOURCE_DIR "/%s", files[fi]);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        size_t len = fread(text, 1, sizeof text - 64, f);
        fclose(f);
        for (int iter = 0; iter < 4000; iter++) {
            memcpy(mut, text, len);
            size_t mlen = len;
            int edits = 1 + (int)(next() % 3);
            for (int k = 0; k < edits && mlen > 0; k++) {
                size_t at = (size_t)(next() % mlen);
                switch (next() % 3) {
                case 0: /* replace a byte */
                    mut[at] = (char)(next() & 0xFF);
                    break;
                case 1: /* delete a run */ {
                    size_t n = 1 + (size_t)(next() % 8);
                    if (at + n > mlen)
                        n = mlen - at;
                    memmove(mut + at, mut + at + n, mlen - at - n);
                    mlen -= n;
                    break;
                }
                default: { /* insert a token */
                    const char *t = tokens[next() % (sizeof tokens / sizeof tokens[0])];
                    size_t n = strlen(t);
                    if (mlen + n >= sizeof mut)
                        break;
                    memmove(mut + at + n, mut + at, mlen - at);
                    memcpy(mut + at, t, n);
                    mlen += n;
                }
                }
            }
            fb_scenario s;
            char err[512];
            int rc = fb_scenario_load_text(mut, mlen, "mutant.json", NULL, &s, err, sizeof err);
            if (rc == 0) {
                ok++;
                CHECK(s.duration_s > 0 && s.camera.width >= 8);
            } else {
                failed++;
                int known = rc == FB_ERR_PARSE || rc == FB_ERR_INVALID || rc == FB_ERR_IO;
                if (!known || strncmp(err, "mutant.json:", 12) != 0 || strchr(err, '\n'))
                    fprintf(stderr, "rc %d: %s\n", rc, err);
                CHECK(known);
                CHECK(strncmp(err, "mutant.json:", 12) == 0);
                CHECK(strchr(err, '\n') == NULL);
                CHECK(s.subjects == NULL);
            }
            fb_scenario_free(&s);
        }
    }
    printf("%ld mutants loaded, %ld rejected\n", ok, failed);
    CHECK(failed > 0);
    return FBTEST_END();
}
