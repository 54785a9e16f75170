/* test_scenario_json_pos.c — the JSON position scanner: line:col of offsets, the strict syntax
 * check (messages, offsets, paths; agreement with cJSON), path lookups, and random bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <cJSON.h>
#include "fb_error.h"
#include "fbtest.h"
#include "scenario/json_pos.h"

static void test_pos_at(void)
{
    const char *t = "ab\ncd\n\xc3\xa9x";
    fb_json_pos p = fb_json_pos_at(t, strlen(t), 0);
    CHECK(p.line == 1 && p.col == 1);
    p = fb_json_pos_at(t, strlen(t), 1);
    CHECK(p.line == 1 && p.col == 2);
    p = fb_json_pos_at(t, strlen(t), 3);
    CHECK(p.line == 2 && p.col == 1);
    p = fb_json_pos_at(t, strlen(t), 8); /* 'x' after a two-byte character */
    CHECK(p.line == 3 && p.col == 2);
    p = fb_json_pos_at(t, strlen(t), 999); /* clamped to the end */
    CHECK(p.line == 3 && p.col == 3);
    const char *bom = "\xef\xbb\xbf{}";
    p = fb_json_pos_at(bom, 5, 3);
    CHECK(p.line == 1 && p.col == 1);
    p = fb_json_pos_at(NULL, 0, 0);
    CHECK(p.line == 1 && p.col == 1);
}

static void test_check_valid(void)
{
    static const char *const ok[] = {
        "{}",
        "[]",
        "0",
        "-0.5e+10",
        "\"\"",
        "true",
        " null ",
        "\xef\xbb\xbf{\"a\":1}",
        "{\"a\":[1,2,{\"b\":\"\\u00e9\\ud83d\\ude00\\n\"}],\"c\":false}",
        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
        "[1e999]",
        "{\"a\":1,\"a\":2}",
        "\r\n\t{ \"x\" : [ ] }\n"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        fb_json_syntax e;
        int rc = fb_json_pos_check(ok[i], strlen(ok[i]), &e);
        CHECK_EQ_INT(rc, 0);
        if (rc)
            fprintf(stderr, "  %s: %s\n", ok[i], e.what);
    }
    /* 64 levels are fine, 65 are not */
    char deep[200];
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    CHECK_EQ_INT(fb_json_pos_check(deep, 128, NULL), 0);
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    fb_json_syntax e;
    CHECK_EQ_INT(fb_json_pos_check(deep, 130, &e), FB_ERR_PARSE);
    CHECK_STR_CONTAINS(e.what, "nested too deep");
    CHECK_EQ_INT(e.offset, 64);
    /* a million brackets: no recursion, fails at the 65th */
    size_t big = 1000000;
    char *b = malloc(big);
    if (b) {
        memset(b, '[', big);
        CHECK_EQ_INT(fb_json_pos_check(b, big, &e), FB_ERR_PARSE);
        CHECK_EQ_INT(e.offset, 64);
        size_t off = 0;
        size_t steps[1] = {0};
        CHECK(fb_json_pos_find_steps(b, big, steps, 1, 0, &off) != 0 || off == 1);
        free(b);
    }
}

static void test_check_errors(void)
{
    static const struct {
        const char *text;
        size_t offset;
        const char *what, *expected, *path;
    } cases[] = {
        {"", 0, "empty document", "a JSON value", ""},
        {"  \n ", 4, "empty document", "a JSON value", ""},
        {"{\"a\":1,}", 7, "trailing comma before '}'", "another member", ""},
        {"[1,2,]", 5, "trailing comma before ']'", "another element", "[2]"},
        {"{\"a\":1 \"b\":2}", 7, "missing ',' between members", "',' or '}'", "a"},
        {"[1 2]", 3, "missing ',' between elements", "',' or ']'", "[0]"},
        {"[1 :]", 3, "unexpected ':'", "',' or ']'", "[0]"},
        {"[\"a\" \"b\"]", 5, "missing ',' between elements", "',' or ']'", "[0]"},
        {"{\"a\" 1}", 5, "missing ':' after key", "':'", "a"},
        {"{\"a\":}", 5, "missing value after ':'", "a value", "a"},
        {"{a:1}", 1, "unquoted key", "a key in double quotes", ""},
        {"{'a':1}", 1, "single-quoted string", "a string in double quotes", ""},
        {"{\"a\":1]", 6, "mismatched ']'", "',' or '}'", "a"},
        {"{\"a\":\"x", 5, "unterminated string", "a closing '\"'", "a"},
        {"{\"a\":\"x\ty\"}", 7, "control character U+0009 in a string",
         "an escape such as \\n or \\t", "a"},
        {"\"\\x\"", 1, "invalid escape '\\x'", "", ""},
        {"\"\\u12G4\"", 1, "invalid \\u escape", "four hex digits after \\u", ""},
        {"\"\\u0000\"", 1, "\\u0000 in a string", "", ""},
        {"\"\\udc00\"", 1, "unpaired UTF-16 low surrogate \\uDC00", "", ""},
        {"\"\\ud800x\"", 1, "unpaired UTF-16 high surrogate \\uD800", "", ""},
        {"\"\xff\"", 1, "invalid UTF-8 byte 0xFF in a string", "UTF-8 text", ""},
        {"\"\xc0\xaf\"", 1, "invalid UTF-8 byte 0xC0 in a string", "", ""},     /* overlong */
        {"\"\xed\xa0\x80\"", 1, "invalid UTF-8 byte 0xED in a string", "", ""}, /* surrogate */
        {"[01]", 1, "invalid number: leading zero", "no leading zeros", "[0]"},
        {"[1.]", 3, "invalid number", "a digit after '.'", "[0]"},
        {"[1e]", 3, "invalid number", "a digit in the exponent", "[0]"},
        {"[-]", 2, "invalid number", "a digit after '-'", "[0]"},
        {"[+1]", 1, "invalid number: leading '+'", "", "[0]"},
        {"[.5]", 1, "invalid number: leading '.'", "", "[0]"},
        {"[NaN]", 1, "non-finite number", "a finite number", "[0]"},
        {"[-Infinity]", 1, "non-finite number", "", "[0]"},
        {"[True]", 1, "invalid literal 'True'", "", "[0]"},
        {"{} x", 3, "unexpected data after the document", "end of input", ""},
        {"// c\n{}", 0, "comments are not allowed in JSON", "", ""},
        {"{\"a\":{\"b\":[1,{\"c\":tru}]}}", 18, "invalid literal 'tru'", "", "a.b[1].c"},
        {"{\"a\":1", 6, "unexpected end of input", "',' or '}'", "a"},
        {"[", 1, "unexpected end of input", "a value or ']'", "[0]"},
        {"{\"a\"", 4, "unexpected end of input", "':'", "a"},
        {"\x01", 0, "unexpected control character U+0001", "a value", ""},
        {"{\"a\\u0000b\":1}", 3, "\\u0000 in a string", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb_json_syntax e;
        memset(&e, 0, sizeof e);
        const char *t = cases[i].text;
        int rc = fb_json_pos_check(t, strlen(t), &e);
        CHECK_EQ_INT(rc, FB_ERR_PARSE);
        CHECK_EQ_INT(e.offset, cases[i].offset);
        CHECK_STR_CONTAINS(e.what, cases[i].what);
        CHECK_STR_CONTAINS(e.expected, cases[i].expected);
        CHECK(strcmp(e.path, cases[i].path) == 0);
        if (rc != FB_ERR_PARSE || e.offset != cases[i].offset || strcmp(e.path, cases[i].path))
            fprintf(stderr, "  case %zu %s: offset %zu what \"%s\" expected \"%s\" path \"%s\"\n",
                    i, t, e.offset, e.what, e.expected, e.path);
    }
    /* e may be NULL; text may be NULL with len 0 */
    CHECK_EQ_INT(fb_json_pos_check("[", 1, NULL), FB_ERR_PARSE);
    CHECK_EQ_INT(fb_json_pos_check(NULL, 0, NULL), FB_ERR_PARSE);
}

static void test_find(void)
{
    const char *t = "{\n"
                    "  \"name\": \"x\",\n"
                    "  \"subjects\": [\n"
                    "    { \"id\": \"a\", \"speed_mps\": 1.2 },\n"
                    "    { \"id\": \"b\", \"speed_mps\": [1, {\"q\": \"]}\\\"\"}], \"lat\": 5 }\n"
                    "  ],\n"
                    "  \"\\u0061b\": true,\n"
                    "  \"dup\": 1, \"dup\": 2\n"
                    "}\n";
    size_t len = strlen(t), off = 0;
    CHECK_EQ_INT(fb_json_pos_check(t, len, NULL), 0);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "", 0, &off), 0);
    CHECK_EQ_INT(off, 0);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[0].speed_mps", 0, &off), 0);
    fb_json_pos p = fb_json_pos_at(t, len, off);
    CHECK(p.line == 4 && p.col == 31);
    CHECK(strncmp(t + off, "1.2", 3) == 0);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[0].speed_mps", 1, &off), 0);
    p = fb_json_pos_at(t, len, off);
    CHECK(p.line == 4 && p.col == 18);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[1].lat", 0, &off), 0);
    CHECK(strncmp(t + off, "5 }", 3) == 0); /* skipped a string holding "]}\"" */
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[1].speed_mps[1].q", 0, &off), 0);
    CHECK(t[off] == '"');
    CHECK_EQ_INT(fb_json_pos_find(t, len, "ab", 1, &off), 0); /* "\u0061b" decodes to "ab" */
    CHECK(strncmp(t + off, "\"\\u0061b\"", 9) == 0);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[2]", 0, &off), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "nope", 0, &off), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "name.x", 0, &off), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects.id", 0, &off), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "subjects[x]", 0, &off), FB_ERR_ARG);
    CHECK_EQ_INT(fb_json_pos_find(t, len, ".name", 0, &off), FB_ERR_ARG);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "a..b", 0, &off), FB_ERR_ARG);
    /* the second "dup" by ordinal (name lookups take the first) */
    size_t steps[] = {4};
    CHECK_EQ_INT(fb_json_pos_find_steps(t, len, steps, 1, 1, &off), 0);
    p = fb_json_pos_at(t, len, off);
    CHECK(p.line == 8 && p.col == 13);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "dup", 1, &off), 0);
    p = fb_json_pos_at(t, len, off);
    CHECK(p.line == 8 && p.col == 3);
    size_t steps2[] = {1, 1, 1, 0};
    CHECK_EQ_INT(fb_json_pos_find_steps(t, len, steps2, 4, 0, &off), 0);
    CHECK(t[off] == '1');
    size_t steps3[] = {9};
    CHECK_EQ_INT(fb_json_pos_find_steps(t, len, steps3, 1, 0, &off), FB_ERR_INVALID);
    CHECK_EQ_INT(fb_json_pos_find_steps(t, len, NULL, 0, 0, &off), 0);
    CHECK_EQ_INT(off, 0);
    CHECK_EQ_INT(fb_json_pos_find(t, len, "x", 0, NULL), FB_ERR_ARG);
}

/* Random JSON-ish bytes: never a crash; whatever passes the check, cJSON parses too. */
static void test_random(void)
{
    static const char alphabet[] = "{}[]:,\" \n\\tfalsenu0123456789-+.eE\x01\x7f\xc3\xa9\xff";
    uint64_t x = 0x243F6A8885A308D3ull;
    char buf[96];
    int passed = 0, disagree = 0, bad_offsets = 0;
    for (int iter = 0; iter < 200000; iter++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t len = (size_t)(x % sizeof buf);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        fb_json_syntax e;
        int rc = fb_json_pos_check(buf, len, &e);
        if (rc == 0) {
            passed++;
            cJSON *j = cJSON_ParseWithLengthOpts(buf, len, NULL, 0);
            if (!j)
                disagree++;
            cJSON_Delete(j);
        } else if (e.offset > len) {
            bad_offsets++;
        }
        size_t off, steps[3] = {(size_t)(x % 3), (size_t)(x >> 8) % 3, 0};
        (void)fb_json_pos_find_steps(buf, len, steps, (size_t)(x >> 16) % 4, (int)(x & 1), &off);
        (void)fb_json_pos_find(buf, len, "a[1].b", 0, &off);
        (void)fb_json_pos_at(buf, len, (size_t)(x % 100));
    }
    CHECK(passed > 0);
    CHECK_EQ_INT(disagree, 0);
    CHECK_EQ_INT(bad_offsets, 0);
}

int main(void)
{
    test_pos_at();
    test_check_valid();
    test_check_errors();
    test_find();
    test_random();
    return FBTEST_END();
}
