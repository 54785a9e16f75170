/* scenario_read.c — reads JSON objects against the key table for the scenario loader: paths and
 * located messages, unknown and duplicate keys with "did you mean", typed and range-checked
 * values (scenario_read.h), files and syntax. What is particular to the format: scenario.c. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "util/hash.h"
#include "json_pos.h"
#include "scenario_read.h"

/* ---- context, paths and messages ---- */

/* A key or string for display: control bytes, '"' and '\\' escaped, at most 64 bytes. */
void sr_sanitize(const char *s, char *buf, size_t n)
{
    size_t o = 0, i = 0;
    if (!n)
        return;
    for (; s[i] && i < 64; i++) {
        unsigned char ch = (unsigned char)s[i];
        char tmp[8];
        if (ch < 0x20 || ch == 0x7F || ch == '"' || ch == '\\')
            snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned)ch);
        else
            snprintf(tmp, sizeof tmp, "%c", ch);
        for (const char *t = tmp; *t && o + 1 < n; t++)
            buf[o++] = *t;
    }
    if (s[i])
        for (const char *t = "..."; *t && o + 1 < n; t++)
            buf[o++] = *t;
    buf[o] = '\0';
}

static void sr_path_append(char *buf, size_t n, size_t *o, const path_el *el)
{
    char part[96];
    if (el->name) {
        char name[80];
        sr_sanitize(el->name, name, sizeof name);
        snprintf(part, sizeof part, "%s%s", *o ? "." : "", name);
    } else {
        snprintf(part, sizeof part, "[%zu]", el->index);
    }
    for (const char *t = part; *t && *o + 1 < n; t++)
        buf[(*o)++] = *t;
    buf[*o] = '\0';
}

static void sr_format_path(const ctx *c, const path_el *extra, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->depth; i++)
        sr_path_append(buf, n, &o, &c->path[i]);
    if (extra)
        sr_path_append(buf, n, &o, extra);
    if (!o)
        snprintf(buf, n, "(document)");
}

/* Offset of the node at the context path + extra (its key when at_key); falls back to the
 * nearest ancestor that can be located. */
static size_t sr_locate(const ctx *c, const path_el *extra, int at_key)
{
    size_t steps[MAX_PATH + 1], n = 0, off = 0;
    for (size_t i = 0; i < c->depth; i++)
        steps[n++] = c->path[i].ordinal;
    if (extra && extra->ordinal != NO_ORDINAL)
        steps[n++] = extra->ordinal;
    else
        at_key = 0;
    for (size_t k = n;; k--) {
        if (fb_json_pos_find_steps(c->text, c->len, steps, k, at_key && k == n, &off) == 0)
            return off;
        if (k == 0)
            return 0;
    }
}

/* Writes the one error line for the node at the context path + extra; returns rc. */
int sr_fail(ctx *c, const path_el *extra, int at_key, int rc, const char *fmt, ...)
{
    if (!c->err || !c->err_len)
        return rc;
    char msg[640], path[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_format_path(c, extra, path, sizeof path);
    fb_json_pos p = fb_json_pos_at(c->text, c->len, sr_locate(c, extra, at_key));
    snprintf(c->err, c->err_len, "%s:%zu:%zu: %s: %s", c->file, p.line, p.col, path, msg);
    return rc;
}

int sr_push(ctx *c, const path_el *el)
{
    if (c->depth >= MAX_PATH)
        return sr_fail(c, el, 0, FB_ERR_ARG, "internal error: key path too deep");
    c->path[c->depth++] = *el;
    return 0;
}

void sr_pop(ctx *c)
{
    if (c->depth)
        c->depth--;
}

const char *sr_type_name(const cJSON *n)
{
    if (cJSON_IsNull(n))
        return "null";
    if (cJSON_IsBool(n))
        return "a boolean";
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsArray(n))
        return "an array";
    if (cJSON_IsObject(n))
        return "an object";
    return "an invalid value";
}

/* ---- key suggestions ---- */

/* Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours). */
static size_t sr_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return SIZE_MAX;
    unsigned char d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned char)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned char)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = d[i - 1][j] + 1u;
            unsigned ins = d[i][j - 1] + 1u;
            unsigned sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u);
            if (ins < v)
                v = ins;
            if (sub < v)
                v = sub;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1u < v)
                v = d[i - 2][j - 2] + 1u;
            d[i][j] = (unsigned char)v;
        }
    return d[la][lb];
}

/* The closest of names to s: within edit distance 2 (and at most half of s), else the one
 * name that is s plus a "_suffix" ("speed" -> "speed_mps"), else NULL. */
static const char *sr_closest(const char *const *names, const char *s)
{
    const char *best = NULL;
    size_t best_d = 3, slen = strlen(s);
    for (const char *const *k = names; *k; k++) {
        size_t d = sr_edit_distance(s, *k);
        if (d < best_d && 2 * d <= slen) {
            best = *k;
            best_d = d;
        }
    }
    if (best || slen < 3)
        return best;
    for (const char *const *k = names; *k; k++)
        if (strncmp(*k, s, slen) == 0 && (*k)[slen] == '_') {
            if (best)
                return NULL; /* ambiguous */
            best = *k;
        }
    return best;
}

static void sr_join(const char *const *names, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *const *k = names; *k; k++) {
        int w = snprintf(buf + o, n - o, "%s%s", o ? ", " : "", *k);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

/* ---- reading one object ---- */

size_t sr_key_index(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return SIZE_MAX;
}

/* The table path of the object at the context path + el: "subjects[].head_turn." */
static void sr_table_prefix(const ctx *c, const path_el *el, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i <= c->depth; i++) {
        const path_el *p = i < c->depth ? &c->path[i] : el;
        if (!p)
            break;
        int w = p->name ? snprintf(buf + o, n - o, "%s%s", o ? "." : "", p->name)
                        : snprintf(buf + o, n - o, "[]");
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
    snprintf(buf + o, n - o, "%s", o ? "." : "");
    if (c->root[0]) { /* a camera profile file: its keys are the table's "camera." */
        char tmp[128];
        snprintf(tmp, sizeof tmp, "%s%s", c->root, buf);
        snprintf(buf, n, "%s", tmp);
    }
}

/* The table entry of key in the object r reads (NULL when it is not in the table). */
const fb_key_def *sr_key_def(const rd *r, const char *key)
{
    char path[192];
    snprintf(path, sizeof path, "%s%s", r->prefix, key);
    return fb_key_find(path);
}

/* Unknown and duplicate keys, in text order. */
static int sr_check_keys(rd *r)
{
    size_t first[MAX_KEYS];
    uint64_t seen = 0;
    size_t ord = 0;
    for (const cJSON *ch = r->obj->child; ch; ch = ch->next, ord++) {
        const char *key = ch->string ? ch->string : "";
        path_el el = {key, 0, ord};
        size_t k = sr_key_index(r->keys, key);
        char shown[80];
        sr_sanitize(key, shown, sizeof shown);
        if (k == SIZE_MAX) {
            const char *near = sr_closest(r->keys, key);
            if (near)
                return sr_fail(r->c, &el, 1, FB_ERR_INVALID,
                               "unknown key \"%s\" (did you mean \"%s\"?)", shown, near);
            char list[480];
            sr_join(r->keys, list, sizeof list);
            return sr_fail(r->c, &el, 1, FB_ERR_INVALID, "unknown key \"%s\" (expected one of: %s)",
                           shown, list);
        }
        if (seen >> k & 1u) {
            path_el f = {key, 0, first[k]};
            fb_json_pos p = fb_json_pos_at(r->c->text, r->c->len, sr_locate(r->c, &f, 1));
            return sr_fail(
                r->c, &el, 1, FB_ERR_INVALID,
                "duplicate key \"%s\" (first at line %zu, column %zu; expected each key once)",
                shown, p.line, p.col);
        }
        seen |= (uint64_t)1 << k;
        first[k] = ord;
    }
    return 0;
}

/* The member named key (first one: duplicates were rejected), or NULL; fills *el either way. */
const cJSON *sr_member(rd *r, const char *key, path_el *el)
{
    size_t k = sr_key_index(r->keys, key);
    if (k == SIZE_MAX)
        r->bug = key;
    else
        r->asked |= (uint64_t)1 << k;
    *el = (path_el){key, 0, NO_ORDINAL};
    size_t ord = 0;
    for (const cJSON *ch = r->obj->child; ch; ch = ch->next, ord++)
        if (ch->string && strcmp(ch->string, key) == 0) {
            el->ordinal = ord;
            return ch;
        }
    return NULL;
}

static int sr_rd_end(rd *r)
{
    if (r->bug)
        return sr_fail(r->c, NULL, 0, FB_ERR_ARG, "internal error: key \"%s\" is not in its table",
                       r->bug);
    for (size_t i = 0; r->keys[i]; i++)
        if (!(r->asked >> i & 1u))
            return sr_fail(r->c, NULL, 0, FB_ERR_ARG, "internal error: key \"%s\" is never read",
                           r->keys[i]);
    return 0;
}

int sr_missing(rd *r, const char *key, const char *expected)
{
    path_el el = {key, 0, NO_ORDINAL};
    return sr_fail(r->c, &el, 0, FB_ERR_INVALID, "missing required key (expected %s)", expected);
}

/* A key the code reads whose table entry is missing or of another kind: a bug, not bad input. */
int sr_table_bug(rd *r, const char *key)
{
    return sr_fail(r->c, NULL, 0, FB_ERR_ARG, "internal error: key \"%s%s\" has no %s table entry",
                   r->prefix, key, sr_key_def(r, key) ? "matching" : "");
}

/* ---- values ---- */

int sr_num_value(ctx *c, const path_el *el, const cJSON *n, const range *rg, double *out)
{
    char rt[80];
    if (rg)
        range_text(rg, rt, sizeof rt);
    if (!cJSON_IsNumber(n))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected a number%s%s, got %s", rg ? " " : "",
                       rg ? rt : "", sr_type_name(n));
    double v = n->valuedouble;
    if (!isfinite(v))
        return sr_fail(c, el, 0, FB_ERR_INVALID,
                       "number too large for a double (expected a finite number%s%s)",
                       rg ? " " : "", rg ? rt : "");
    if (rg && !in_range(rg, v))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "must be %s, got %.15g", rt, v);
    *out = v;
    return 0;
}

/* An integer in [lo, hi] (both <= 2^53, exact in a double). */
static int sr_uint_value(ctx *c, const path_el *el, const cJSON *n, double lo, double hi,
                         uint64_t *out)
{
    if (!cJSON_IsNumber(n))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected an integer in [%.0f, %.0f], got %s", lo,
                       hi, sr_type_name(n));
    double v = n->valuedouble;
    if (!isfinite(v))
        return sr_fail(c, el, 0, FB_ERR_INVALID,
                       "number too large for a double (expected an integer in [%.0f, %.0f])", lo,
                       hi);
    if (v != floor(v))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "must be an integer, got %.15g", v);
    if (v < lo || v > hi)
        return sr_fail(c, el, 0, FB_ERR_INVALID, "must be in [%.0f, %.0f], got %.15g", lo, hi, v);
    *out = (uint64_t)v;
    return 0;
}

static int sr_bool_value(ctx *c, const path_el *el, const cJSON *n, bool *out)
{
    if (!cJSON_IsBool(n))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected true or false, got %s", sr_type_name(n));
    *out = cJSON_IsTrue(n) != 0;
    return 0;
}

/* A string of kind FB_KEY_TEXT, _SPEC, _NAME or _ID, at most size - 1 bytes. */
int sr_str_value(ctx *c, const path_el *el, const cJSON *n, fb_key_kind kind, char *buf,
                 size_t size)
{
    const char *what = kind == FB_KEY_NAME ? "a name of a-z, 0-9 and '-'"
                       : kind == FB_KEY_ID ? "an id of A-Z, a-z, 0-9, '_', '.' and '-'"
                                           : "one line of text";
    if (!cJSON_IsString(n) || !n->valuestring)
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected a string (%s), got %s", what,
                       sr_type_name(n));
    const char *s = n->valuestring;
    size_t len = strlen(s);
    if (len == 0 && kind != FB_KEY_TEXT)
        return sr_fail(c, el, 0, FB_ERR_INVALID, "empty string (expected %s)", what);
    if (len >= size)
        return sr_fail(c, el, 0, FB_ERR_INVALID, "too long: %zu bytes (expected at most %zu)", len,
                       size - 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool ok;
        if (kind == FB_KEY_NAME)
            ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        else if (kind == FB_KEY_ID)
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_' || ch == '.';
        else
            ok = ch >= 0x20 && ch != 0x7F;
        if (!ok) {
            if (ch >= 0x21 && ch < 0x7F)
                return sr_fail(c, el, 0, FB_ERR_INVALID,
                               "invalid character '%c' at index %zu (expected %s)", ch, i, what);
            return sr_fail(c, el, 0, FB_ERR_INVALID,
                           "invalid character 0x%02X at index %zu (expected %s)", (unsigned)ch, i,
                           what);
        }
    }
    memcpy(buf, s, len + 1);
    return 0;
}

/* A number member within rg (the table's range when rg is NULL); a required key (the table's
 * flag, or required) that is absent is an error. *el_out (may be NULL) tells whether given. */
int sr_rd_num_in(rd *r, const char *key, const range *rg, bool required, double *dst,
                 path_el *el_out)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_NUMBER || (!rg && !d->has_range))
        return sr_table_bug(r, key);
    if (!rg)
        rg = &d->range;
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (el_out)
        *el_out = el;
    if (!n) {
        if (!required && !d->required)
            return 0;
        char rt[80], ex[100];
        range_text(rg, rt, sizeof rt);
        snprintf(ex, sizeof ex, "a number %s", rt);
        return sr_missing(r, key, ex);
    }
    return sr_num_value(r->c, &el, n, rg, dst);
}

/* A number member with the table's range and required flag. */
int sr_rd_num(rd *r, const char *key, double *dst, path_el *el_out)
{
    return sr_rd_num_in(r, key, NULL, false, dst, el_out);
}

/* An integer member with the table's range and required flag; *dst unchanged when absent. */
int sr_rd_uint(rd *r, const char *key, uint64_t *dst, path_el *el_out)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_INTEGER || !d->has_range)
        return sr_table_bug(r, key);
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (el_out)
        *el_out = el;
    if (!n) {
        if (!d->required)
            return 0;
        char ex[100];
        snprintf(ex, sizeof ex, "an integer in [%.0f, %.0f]", d->range.lo, d->range.hi);
        return sr_missing(r, key, ex);
    }
    return sr_uint_value(r->c, &el, n, d->range.lo, d->range.hi, dst);
}

/* The same into an int or a size_t. */
int sr_rd_int(rd *r, const char *key, int *dst)
{
    uint64_t v = (uint64_t)*dst;
    int rc = sr_rd_uint(r, key, &v, NULL);
    *dst = (int)v;
    return rc;
}

int sr_rd_size(rd *r, const char *key, size_t *dst)
{
    uint64_t v = *dst;
    int rc = sr_rd_uint(r, key, &v, NULL);
    *dst = (size_t)v;
    return rc;
}

/* A string member of the table's kind and length (buf holds size bytes). */
int sr_rd_str(rd *r, const char *key, char *buf, size_t size)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d ||
        (d->kind != FB_KEY_TEXT && d->kind != FB_KEY_SPEC && d->kind != FB_KEY_NAME &&
         d->kind != FB_KEY_ID) ||
        d->max_len >= size)
        return sr_table_bug(r, key);
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (!n)
        return d->required
                   ? sr_missing(r, key,
                                d->kind == FB_KEY_NAME ? "a name of a-z, 0-9 and '-'" : "a string")
                   : 0;
    return sr_str_value(r->c, &el, n, d->kind, buf, d->max_len + 1);
}

int sr_rd_bool(rd *r, const char *key, bool *dst, path_el *el_out)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_BOOL)
        return sr_table_bug(r, key);
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (el_out)
        *el_out = el;
    return n ? sr_bool_value(r->c, &el, n, dst) : 0;
}

/* Reads the object n (at el, relative to the context path) with fn. */
int sr_object_at(ctx *c, const path_el *el, const cJSON *n, obj_fn fn, void *arg)
{
    if (!cJSON_IsObject(n))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected an object, got %s", sr_type_name(n));
    rd r = {.c = c, .obj = n};
    sr_table_prefix(c, el, r.prefix, sizeof r.prefix);
    fb_key_children(r.prefix, r.keys, MAX_KEYS + 1);
    int rc = el ? sr_push(c, el) : 0;
    if (rc)
        return rc;
    rc = sr_check_keys(&r);
    if (!rc)
        rc = fn(&r, arg);
    if (!rc)
        rc = sr_rd_end(&r);
    if (el)
        sr_pop(c);
    return rc;
}

int sr_rd_obj(rd *r, const char *key, obj_fn fn, void *arg, bool *present)
{
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (present)
        *present = n != NULL;
    return n ? sr_object_at(r->c, &el, n, fn, arg) : 0;
}

/* The i-th of the comma-separated values (i < 16), or NULL; into buf. */
const char *sr_nth_value(const char *values, size_t i, char *buf, size_t n)
{
    for (; i && values; i--) {
        values = strchr(values, ',');
        if (values)
            values++;
    }
    if (!values || !*values)
        return NULL;
    size_t len = strcspn(values, ",");
    snprintf(buf, n, "%.*s", (int)len, values);
    return buf;
}

/* The table's values of an ENUM key as a NULL-terminated list (storage in store). */
#define MAX_VALUES 16
typedef struct enum_names {
    char store[MAX_VALUES][32];
    const char *names[MAX_VALUES + 1];
} enum_names;

static void sr_enum_list(const fb_key_def *d, enum_names *e)
{
    size_t i = 0;
    for (; i < MAX_VALUES && sr_nth_value(d->values, i, e->store[i], sizeof e->store[i]); i++)
        e->names[i] = e->store[i];
    e->names[i] = NULL;
}

/* One of names[] (NULL-terminated) as a string at el; *out its index. Errors: not a string
 * ("expected one of ..."), or an unknown "noun" (with "did you mean" when one is close). */
static int sr_enum_value(ctx *c, const path_el *el, const cJSON *n, const char *const *names,
                         const char *noun, size_t *out)
{
    char list[160], shown[80];
    sr_join(names, list, sizeof list);
    if (!cJSON_IsString(n))
        return sr_fail(c, el, 0, FB_ERR_INVALID, "expected one of %s, got %s", list,
                       sr_type_name(n));
    size_t k = sr_key_index(names, n->valuestring);
    if (k == SIZE_MAX) {
        sr_sanitize(n->valuestring, shown, sizeof shown);
        const char *near = sr_closest(names, n->valuestring);
        if (near)
            return sr_fail(c, el, 0, FB_ERR_INVALID, "unknown %s \"%s\" (did you mean \"%s\"?)",
                           noun, shown, near);
        return sr_fail(c, el, 0, FB_ERR_INVALID, "unknown %s \"%s\" (expected one of %s)", noun,
                       shown, list);
    }
    *out = k;
    return 0;
}

/* An ENUM member: *out is the index of its value in the table's list (unchanged when absent;
 * a required key that is absent is an error). */
int sr_rd_enum(rd *r, const char *key, size_t *out, path_el *el_out)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_ENUM)
        return sr_table_bug(r, key);
    enum_names e;
    sr_enum_list(d, &e);
    path_el el;
    const cJSON *n = sr_member(r, key, &el);
    if (el_out)
        *el_out = el;
    if (!n) {
        if (!d->required)
            return 0;
        char list[160];
        sr_join(e.names, list, sizeof list);
        return sr_missing(r, key, list);
    }
    return sr_enum_value(r->c, &el, n, e.names, d->noun ? d->noun : key, out);
}

/* A VECTOR member: as many numbers as the table names, element i within its range. Returns 0
 * with el->ordinal NO_ORDINAL when absent (the caller says what is required when). */
int sr_rd_vec(rd *r, const char *key, double *out, path_el *el)
{
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_VECTOR)
        return sr_table_bug(r, key);
    const cJSON *n = sr_member(r, key, el);
    if (!n)
        return 0;
    char shape[64], names[3][16];
    size_t count = 0;
    while (count < 3 && sr_nth_value(d->elems, count, names[count], sizeof names[count]))
        count++;
    snprintf(shape, sizeof shape, "[%s%s%s%s%s]", names[0], count > 1 ? ", " : "",
             count > 1 ? names[1] : "", count > 2 ? ", " : "", count > 2 ? names[2] : "");
    if (!cJSON_IsArray(n))
        return sr_fail(r->c, el, 0, FB_ERR_INVALID, "expected an array of %zu numbers %s, got %s",
                       count, shape, sr_type_name(n));
    size_t got = 0;
    for (const cJSON *e = n->child; e; e = e->next)
        got++;
    if (got != count)
        return sr_fail(r->c, el, 0, FB_ERR_INVALID, "%s (expected %zu numbers %s)",
                       got ? "wrong number of elements" : "empty array", count, shape);
    int rc = sr_push(r->c, el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        rc = sr_num_value(r->c, &ei, e, &d->elem[i], &out[i]);
    }
    sr_pop(r->c);
    return rc;
}

/* A required VECTOR: absent is an error saying "[x, y, z] in metres" and why (may be ""). */
int sr_rd_vec_required(rd *r, const char *key, double *out, const char *why)
{
    path_el el;
    int rc = sr_rd_vec(r, key, out, &el);
    if (rc || el.ordinal != NO_ORDINAL)
        return rc;
    const fb_key_def *d = sr_key_def(r, key);
    char names[3][16], ex[160];
    size_t count = 0;
    while (count < 3 && sr_nth_value(d->elems, count, names[count], sizeof names[count]))
        count++;
    snprintf(ex, sizeof ex, "[%s%s%s%s%s]%s%s", names[0], count > 1 ? ", " : "",
             count > 1 ? names[1] : "", count > 2 ? ", " : "", count > 2 ? names[2] : "",
             strcmp(d->unit ? d->unit : "", "m") == 0 ? " in metres" : "", why);
    return sr_missing(r, key, ex);
}

/* ---- files ---- */

/* Reads a whole file (at most MAX_FILE_BYTES) into a NUL-terminated cJSON_malloc'ed buffer.
 * Returns 0, FB_ERR_IO (*err_no = errno; EFBIG when too large) or FB_ERR_NOMEM. */
int sr_read_file(const char *path, char **text, size_t *len, int *err_no)
{
    *text = NULL;
    *len = 0;
    *err_no = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err_no = errno;
        return FB_ERR_IO;
    }
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int rc = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            if (ncap > MAX_FILE_BYTES + 2)
                ncap = MAX_FILE_BYTES + 2;
            char *nb = cJSON_malloc(ncap);
            if (!nb) {
                rc = FB_ERR_NOMEM;
                break;
            }
            if (n)
                memcpy(nb, buf, n);
            cJSON_free(buf);
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (n > MAX_FILE_BYTES) {
            *err_no = EFBIG;
            rc = FB_ERR_IO;
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                *err_no = errno ? errno : EIO;
                rc = FB_ERR_IO;
            }
            break;
        }
    }
    fclose(f);
    if (rc) {
        cJSON_free(buf);
        return rc;
    }
    if (!buf) { /* not reached: the first round allocates */
        buf = cJSON_malloc(1);
        if (!buf)
            return FB_ERR_NOMEM;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

int sr_io_message(char *err, size_t err_len, const char *path, int err_no, int rc)
{
    if (err && err_len) {
        if (rc == FB_ERR_NOMEM)
            snprintf(err, err_len, "%s: out of memory", path);
        else if (err_no == EFBIG)
            snprintf(err, err_len, "%s: cannot read: file too large (expected at most %zu bytes)",
                     path, MAX_FILE_BYTES);
        else
            snprintf(err, err_len, "%s: cannot read: %s", path, strerror(err_no));
    }
    return rc;
}

/* Syntax check with a located message, then cJSON. */
int sr_parse_text(ctx *c, cJSON **out)
{
    fb_json_syntax e;
    *out = NULL;
    if (fb_json_pos_check(c->text, c->len, &e) != 0) {
        if (c->err && c->err_len) {
            fb_json_pos p = fb_json_pos_at(c->text, c->len, e.offset);
            snprintf(c->err, c->err_len, "%s:%zu:%zu: %s: syntax error: %s%s%s%s", c->file, p.line,
                     p.col, e.path[0] ? e.path : "(document)", e.what,
                     e.expected[0] ? " (expected " : "", e.expected, e.expected[0] ? ")" : "");
        }
        return FB_ERR_PARSE;
    }
    /* The check is stricter than cJSON, so cJSON fails here only when an allocation fails. */
    *out = cJSON_ParseWithLengthOpts(c->text, c->len, NULL, 0);
    if (!*out) {
        if (c->err && c->err_len)
            snprintf(c->err, c->err_len, "%s: out of memory while parsing", c->file);
        return FB_ERR_NOMEM;
    }
    return 0;
}

/* Chains the unformatted text of doc into *h. */
int sr_hash_doc(uint64_t *h, const cJSON *doc)
{
    char *p = cJSON_PrintUnformatted(doc);
    if (!p)
        return FB_ERR_NOMEM;
    *h = fb_hash64(*h, p, strlen(p));
    cJSON_free(p);
    return 0;
}

/* The common start of an array of objects under key: absent (returns 0 with *out NULL), not an
 * array, empty, or longer than the table allows (one located error each); else *out, *el and
 * *count are set. hint is appended to the "too many" message ("" for none). */
int sr_object_array(rd *r, const char *key, const char *hint, const cJSON **out, path_el *el,
                    size_t *count)
{
    *out = NULL;
    const fb_key_def *d = sr_key_def(r, key);
    if (!d || d->kind != FB_KEY_OBJECTS || !d->has_range || !d->noun)
        return sr_table_bug(r, key);
    const char *noun = d->noun;
    size_t max = (size_t)d->range.hi;
    const cJSON *n = sr_member(r, key, el);
    if (!n)
        return 0;
    if (!cJSON_IsArray(n))
        return sr_fail(r->c, el, 0, FB_ERR_INVALID, "expected an array of %s objects, got %s", noun,
                       sr_type_name(n));
    size_t k = 0;
    for (const cJSON *e = n->child; e; e = e->next)
        k++;
    if (k == 0)
        return sr_fail(r->c, el, 0, FB_ERR_INVALID,
                       "empty array (expected 1 to %zu %s objects; leave \"%s\" out for none)", max,
                       noun, key);
    if (k > max)
        return sr_fail(r->c, el, 0, FB_ERR_INVALID, "%zu %ss (expected at most %zu%s)", k, noun,
                       max, hint);
    *out = n;
    *count = k;
    return 0;
}

/* An array of objects under key, each read with fn (element i's argument from
 * elem(list_arg, i)), errors located at key[i]. *count: the elements read (0 on error or when
 * absent). */
int sr_object_list(rd *r, const char *key, obj_fn fn, elem_fn elem, void *list_arg, size_t *count)
{
    path_el el;
    const cJSON *n;
    size_t k = 0;
    *count = 0;
    int rc = sr_object_array(r, key, "", &n, &el, &k);
    if (rc || !n)
        return rc;
    rc = sr_push(r->c, &el);
    if (rc)
        return rc;
    size_t i = 0;
    for (const cJSON *e = n->child; e && !rc; e = e->next, i++) {
        path_el ei = {NULL, i, i};
        rc = sr_object_at(r->c, &ei, e, fn, elem(list_arg, i));
    }
    sr_pop(r->c);
    *count = rc ? 0 : k;
    return rc;
}

/* An optional number: *has tells whether it was given. */
int sr_rd_opt(rd *r, const char *key, double *dst, bool *has)
{
    path_el el;
    int rc = sr_rd_num(r, key, dst, &el);
    *has = el.ordinal != NO_ORDINAL;
    return rc;
}
