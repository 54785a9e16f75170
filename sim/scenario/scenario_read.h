/* scenario_read.h — the scenario loader's reading machinery (internal to scenario.c and
 * scenario_read.c): a JSON object read against the key table (sim/scenario/scenario_keys.h) with located
 * one-line errors "file:line:col: json.path: what (expected …)". Not a public header. */
#ifndef FB_SCENARIO_READ_H
#define FB_SCENARIO_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>
#include "scenario_keys.h"

#define MAX_FILE_BYTES ((size_t)16 << 20) /* scenario and profile files */
#define MAX_PATH       8                  /* deepest key path: population.speed_mps.mean */
#define NO_ORDINAL     SIZE_MAX           /* a path element for a key that is absent */

/* ---- ranges (fb_key_range, sim/scenario/scenario_keys.h) ---- */

typedef fb_key_range range;
#define in_range   fb_key_in_range
#define range_text fb_key_range_text

typedef struct path_el {
    const char *name; /* member name; NULL for an array element */
    size_t index;     /* array index when name is NULL */
    size_t ordinal;   /* member ordinal or element index for fb_json_pos_find_steps; NO_ORDINAL
                         when the key is absent (messages then point at the enclosing object) */
} path_el;

typedef struct ctx {
    const char *text; /* source text, for positions */
    size_t len;
    const char *file; /* shown in messages */
    const char *base_dir;
    const char *root;       /* the table path of the document: "" (scenario) or "camera." */
    path_el path[MAX_PATH]; /* the object being read, from the root */
    size_t depth;
    char *err;
    size_t err_len;
} ctx;

#define MAX_KEYS 64 /* keys of one object (the duplicate check's bit set) */

/* An object being read: its table path and keys (fb_key_children), and which keys the code asked
 * for (every key in the table must be asked for, every key asked for must be in the table:
 * checked at the end). */
typedef struct rd {
    ctx *c;
    const cJSON *obj;
    char prefix[128]; /* "population.bursts[]." */
    const char *keys[MAX_KEYS + 1];
    uint64_t asked;
    const char *bug; /* a key asked for that is not in the table */
} rd;

typedef int (*obj_fn)(rd *r, void *arg);

/* Prepares element i of a list read by sr_object_list (zeroes it, sets its defaults) and returns
 * the argument the keys' reader gets for it. */
typedef void *(*elem_fn)(void *list_arg, size_t i);

/* Writes the one error line for the node at the context path + extra; returns rc. */
int sr_fail(ctx *c, const path_el *extra, int at_key, int rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Chains the unformatted text of doc into *h. */
int sr_hash_doc(uint64_t *h, const cJSON *doc);

int sr_io_message(char *err, size_t err_len, const char *path, int err_no, int rc);

/* The table entry of key in the object r reads (NULL when it is not in the table). */
const fb_key_def *sr_key_def(const rd *r, const char *key);

size_t sr_key_index(const char *const *keys, const char *key);

/* The member named key (first one: duplicates were rejected), or NULL; fills *el either way. */
const cJSON *sr_member(rd *r, const char *key, path_el *el);

int sr_missing(rd *r, const char *key, const char *expected);

/* The i-th of the comma-separated values (i < 16), or NULL; into buf. */
const char *sr_nth_value(const char *values, size_t i, char *buf, size_t n);

int sr_num_value(ctx *c, const path_el *el, const cJSON *n, const range *rg, double *out);

/* The common start of an array of objects under key: absent (returns 0 with *out NULL), not an
 * array, empty, or longer than the table allows (one located error each); else *out, *el and
 * *count are set. hint is appended to the "too many" message ("" for none). */
int sr_object_array(rd *r, const char *key, const char *hint, const cJSON **out, path_el *el,
                    size_t *count);

/* Reads the object n (at el, relative to the context path) with fn. */
int sr_object_at(ctx *c, const path_el *el, const cJSON *n, obj_fn fn, void *arg);

/* An array of objects under key, each read with fn (element i's argument from
 * elem(list_arg, i)), errors located at key[i]. *count: the elements read (0 on error or when
 * absent). */
int sr_object_list(rd *r, const char *key, obj_fn fn, elem_fn elem, void *list_arg, size_t *count);

/* Syntax check with a located message, then cJSON. */
int sr_parse_text(ctx *c, cJSON **out);

void sr_pop(ctx *c);

int sr_push(ctx *c, const path_el *el);

int sr_rd_bool(rd *r, const char *key, bool *dst, path_el *el_out);

/* An ENUM member: *out is the index of its value in the table's list (unchanged when absent;
 * a required key that is absent is an error). */
int sr_rd_enum(rd *r, const char *key, size_t *out, path_el *el_out);

/* The same into an int or a size_t. */
int sr_rd_int(rd *r, const char *key, int *dst);

/* A number member with the table's range and required flag. */
int sr_rd_num(rd *r, const char *key, double *dst, path_el *el_out);

/* A number member within rg (the table's range when rg is NULL); a required key (the table's
 * flag, or required) that is absent is an error. *el_out (may be NULL) tells whether given. */
int sr_rd_num_in(rd *r, const char *key, const range *rg, bool required, double *dst,
                 path_el *el_out);

int sr_rd_obj(rd *r, const char *key, obj_fn fn, void *arg, bool *present);

/* An optional number: *has tells whether it was given. */
int sr_rd_opt(rd *r, const char *key, double *dst, bool *has);

int sr_rd_size(rd *r, const char *key, size_t *dst);

/* A string member of the table's kind and length (buf holds size bytes). */
int sr_rd_str(rd *r, const char *key, char *buf, size_t size);

/* An integer member with the table's range and required flag; *dst unchanged when absent. */
int sr_rd_uint(rd *r, const char *key, uint64_t *dst, path_el *el_out);

/* A VECTOR member: as many numbers as the table names, element i within its range. Returns 0
 * with el->ordinal NO_ORDINAL when absent (the caller says what is required when). */
int sr_rd_vec(rd *r, const char *key, double *out, path_el *el);

/* A required VECTOR: absent is an error saying "[x, y, z] in metres" and why (may be ""). */
int sr_rd_vec_required(rd *r, const char *key, double *out, const char *why);

/* Reads a whole file (at most MAX_FILE_BYTES) into a NUL-terminated cJSON_malloc'ed buffer.
 * Returns 0, FB_ERR_IO (*err_no = errno; EFBIG when too large) or FB_ERR_NOMEM. */
int sr_read_file(const char *path, char **text, size_t *len, int *err_no);

/* A key or string for display: control bytes, '"' and '\\' escaped, at most 64 bytes. */
void sr_sanitize(const char *s, char *buf, size_t n);

/* A string of kind FB_KEY_TEXT, _SPEC, _NAME or _ID, at most size - 1 bytes. */
int sr_str_value(ctx *c, const path_el *el, const cJSON *n, fb_key_kind kind, char *buf,
                 size_t size);

/* A key the code reads whose table entry is missing or of another kind: a bug, not bad input. */
int sr_table_bug(rd *r, const char *key);

const char *sr_type_name(const cJSON *n);

#endif
