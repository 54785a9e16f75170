/* json_pos.h — positions in JSON source text, which cJSON does not record: a strict RFC 8259
 * check that locates and names the first syntax error, and the line:col of the value (or key)
 * at a JSON path. Every function is bounded by len, never recurses, and accepts any bytes. */
#ifndef FB_JSON_POS_H
#define FB_JSON_POS_H

#include <stddef.h>

/* Arrays and objects nested deeper than this are an error ("nested too deep"). */
#define FB_JSON_MAX_DEPTH 64

/* A position in the text: 1-based line and column. Lines end at '\n'; columns count UTF-8
 * characters (not bytes), so they match what an editor shows; a tab counts as one. */
typedef struct fb_json_pos {
    size_t line, col;
} fb_json_pos;

/* Position of byte offset (clamped to len) in text. A leading UTF-8 BOM is not counted. */
fb_json_pos fb_json_pos_at(const char *text, size_t len, size_t offset);

/* The first syntax error found by fb_json_pos_check. */
typedef struct fb_json_syntax {
    size_t offset;     /* byte offset where the error is */
    char what[96];     /* "unterminated string", "trailing comma before '}'", ... */
    char expected[96]; /* what would have been valid there, e.g. "',' or '}'"; may be "" */
    char path[256];    /* JSON path of the innermost value being read ("a.b[2]"), "" at the top */
} fb_json_syntax;

/* Checks that text[0..len) is exactly one JSON value per RFC 8259 (optional UTF-8 BOM; only
 * space, tab, CR, LF as whitespace; valid UTF-8; no "\u0000", no unpaired surrogate escapes;
 * depth <= FB_JSON_MAX_DEPTH). Stricter than cJSON, so text that passes also parses with
 * cJSON. Returns 0 when valid, else FB_ERR_PARSE with *e filled (e may be NULL). */
int fb_json_pos_check(const char *text, size_t len, fb_json_syntax *e);

/* Finds the byte offset where the value at a path starts, in valid JSON text. path uses
 * member names and array indices: "subjects[3].speed_mps" ("" = the whole document); a name
 * ends at '.' or '[' (names containing them cannot be addressed: use _find_steps). Escapes in
 * the text's keys are decoded before comparing; the first member with the name is taken.
 * With want_key, the offset of the key's opening quote instead (for an array element, of
 * the element). Returns 0, FB_ERR_INVALID when the path does not exist, FB_ERR_PARSE when
 * the text is malformed or nested deeper than FB_JSON_MAX_DEPTH on the way. */
int fb_json_pos_find(const char *text, size_t len, const char *path, int want_key, size_t *offset);

/* Same with the path as positions: steps[i] is the ordinal of the member (in an object, in
 * text order, duplicates counted) or the index of the element (in an array) at depth i.
 * This is how a cJSON tree walk names a node, including one of two duplicate keys. */
int fb_json_pos_find_steps(const char *text, size_t len, const size_t *steps, size_t n_steps,
                           int want_key, size_t *offset);

#endif
