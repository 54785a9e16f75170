/* scenario_keys_gen.c — writes what is generated from the key table (sim/scenario/scenario_keys.c): the key
 * tables of docs/scenario.md and the KEYS section of docs/man/feverbench-scenario.5 (between
 * their markers), and scenarios/schema/{scenario,camera}.schema.json.
 *
 *   scenario_keys_gen SOURCE_DIR OUT_DIR
 *
 * reads SOURCE_DIR/docs/scenario.md and SOURCE_DIR/docs/man/feverbench-scenario.5 and writes
 * OUT_DIR/scenario.md, OUT_DIR/feverbench-scenario.5, OUT_DIR/scenario.schema.json and
 * OUT_DIR/camera.schema.json. Exit 0, or 2 with a message on stderr (a file that cannot be read
 * or written, a marker missing). The build compares the outputs with the committed files
 * (test scenario_format_generated); `cmake --build --preset release --target scenario-format`
 * copies them over. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "scenario_keys.h"

#define MAX_CHILDREN 64

/* ---- small helpers ---- */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "scenario_keys_gen: cannot write %s\n", path);
        return 2;
    }
    return 0;
}

/* A growing string. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    if (b->n + (size_t)w + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap : 4096);
        while (cap < b->n + (size_t)w + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            fprintf(stderr, "scenario_keys_gen: out of memory\n");
            exit(2);
        }
        b->s = ns;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)w;
}

/* The i-th comma-separated item of list into out, or 0 past the end. */
static int item(const char *list, size_t i, char *out, size_t n)
{
    for (; i && list; i--)
        if ((list = strchr(list, ',')) != NULL)
            list++;
    if (!list || !*list)
        return 0;
    snprintf(out, n, "%.*s", (int)strcspn(list, ","), list);
    return 1;
}

/* The section (docs table) a key belongs to: its first path component ("subjects"), or "top"
 * for the top-level keys and the room's (documented with the top level). */
static void section_of(const char *path, char *out, size_t n)
{
    size_t len = strcspn(path, ".[");
    if (!path[len] || strncmp(path, "room.", 5) == 0)
        snprintf(out, n, "top");
    else
        snprintf(out, n, "%.*s", (int)len, path);
}

/* ---- docs/scenario.md ---- */

/* 86400, 10^7, 2^53, -0.05 */
static void doc_num(double v, char *out, size_t n)
{
    double e = v >= 1e6 ? log10(v) : 0;
    if (v == 9007199254740992.0)
        snprintf(out, n, "2^53");
    else if (v >= 1e6 && e == floor(e))
        snprintf(out, n, "10^%.0f", e);
    else
        snprintf(out, n, "%.10g", v);
}

static void doc_range(const fb_key_range *r, char *out, size_t n)
{
    char lo[32], hi[32];
    doc_num(r->lo, lo, sizeof lo);
    if (isinf(r->hi)) {
        snprintf(out, n, "%s %s", r->lo_open ? ">" : "≥", lo);
        return;
    }
    doc_num(r->hi, hi, sizeof hi);
    snprintf(out, n, "%c%s, %s%c", r->lo_open ? '(' : '[', lo, hi, r->hi_open ? ')' : ']');
}

/* The keys directly under prefix, as " (`a`, `b`)" when they are not all of mean/sd/min/max. */
static void dist_keys(const char *path, char *out, size_t n)
{
    char prefix[160];
    const char *names[MAX_CHILDREN + 1];
    snprintf(prefix, sizeof prefix, "%s.", path);
    size_t k = fb_key_children(prefix, names, MAX_CHILDREN + 1);
    out[0] = '\0';
    if (k == 4)
        return;
    size_t o = 0;
    for (size_t i = 0; i < k && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s`%s`", i ? ", " : " (", names[i]);
    if (o < n)
        snprintf(out + o, n - o, ")");
}

static void doc_type(const fb_key_def *d, char *out, size_t n)
{
    char extra[160] = "";
    switch (d->kind) {
    case FB_KEY_NUMBER:
        snprintf(out, n, "number");
        return;
    case FB_KEY_INTEGER:
        snprintf(out, n, "integer");
        return;
    case FB_KEY_BOOL:
        snprintf(out, n, "boolean");
        return;
    case FB_KEY_OBJECT:
        snprintf(out, n, "object");
        return;
    case FB_KEY_OBJECTS:
        snprintf(out, n, "array of objects");
        return;
    case FB_KEY_CAMERA:
        snprintf(out, n, "string or object");
        return;
    case FB_KEY_DIST:
        dist_keys(d->path, extra, sizeof extra);
        snprintf(out, n, "distribution%s", extra);
        return;
    case FB_KEY_VECTOR: {
        char e[16];
        size_t o = (size_t)snprintf(out, n, "array [");
        for (size_t i = 0; item(d->elems, i, e, sizeof e) && o < n; i++)
            o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "", e);
        if (o < n)
            snprintf(out + o, n - o, "]");
        return;
    }
    default:
        snprintf(out, n, "string");
        return;
    }
}

static void doc_range_cell(const fb_key_def *d, char *out, size_t n)
{
    char r[200] = "", e[16];
    size_t o = 0;
    switch (d->kind) {
    case FB_KEY_NUMBER:
    case FB_KEY_INTEGER:
        if (d->has_range)
            doc_range(&d->range, r, sizeof r);
        break;
    case FB_KEY_NAME:
        snprintf(r, sizeof r, "`a-z`, `0-9`, `-`; 1–%zu chars", d->max_len);
        break;
    case FB_KEY_ID:
        snprintf(r, sizeof r, "`A-Z a-z 0-9 _ . -`; 1–%zu chars", d->max_len);
        break;
    case FB_KEY_TEXT:
        snprintf(r, sizeof r, "one line, ≤ %zu bytes", d->max_len);
        break;
    case FB_KEY_SPEC:
        snprintf(r, sizeof r, "one line, 1–%zu bytes", d->max_len);
        break;
    case FB_KEY_OBJECTS:
        snprintf(r, sizeof r, "1–%.0f elements", d->range.hi);
        break;
    case FB_KEY_ENUM:
        for (size_t i = 0; item(d->values, i, e, sizeof e) && o < sizeof r; i++)
            o += (size_t)snprintf(r + o, sizeof r - o, "%s`%s`", i ? ", " : "", e);
        break;
    case FB_KEY_VECTOR:
        for (size_t i = 0; item(d->elems, i, e, sizeof e) && o < sizeof r; i++) {
            char rg[64];
            doc_range(&d->elem[i], rg, sizeof rg);
            o += (size_t)snprintf(r + o, sizeof r - o, "%s%s %s", i ? ", " : "", e, rg);
        }
        break;
    default:
        break;
    }
    snprintf(out, n, "%s%s", r, d->note ? d->note : "");
}

/* A table cell: " text " with '|' escaped, or " " when empty. */
static void cell(buf *b, const char *text)
{
    put(b, " ");
    for (const char *p = text; *p; p++)
        put(b, *p == '|' ? "\\|" : "%c", *p);
    put(b, text[0] ? " |" : "|");
}

static void doc_table(buf *b, const char *section)
{
    put(b, "| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < fb_key_count; i++) {
        const fb_key_def *d = &fb_key_defs[i];
        char sec[64], path[200], type[200], range[400], unit[32];
        section_of(d->path, sec, sizeof sec);
        if (strcmp(sec, section) != 0)
            continue;
        snprintf(path, sizeof path, "`%s`", d->path);
        doc_type(d, type, sizeof type);
        doc_range_cell(d, range, sizeof range);
        snprintf(unit, sizeof unit, "%s%s", d->unit && d->unit[0] == '/' ? "1" : "",
                 d->unit ? d->unit : "");
        put(b, "|");
        cell(b, path);
        cell(b, type);
        cell(b, unit);
        cell(b, range);
        cell(b, d->required ? "**required**" : d->def ? d->def : "");
        cell(b, d->meaning ? d->meaning : "");
        put(b, "\n");
    }
}

#define DOC_BEGIN "<!-- BEGIN generated keys: "
#define DOC_END   "<!-- END generated keys -->"

/* Replaces what is between each "<!-- BEGIN generated keys: SECTION ... -->" line and the next
 * END marker with that section's table. */
static int splice_doc(const char *in, buf *out)
{
    const char *p = in;
    size_t n = 0;
    for (const char *m; (m = strstr(p, DOC_BEGIN)) != NULL; n++) {
        const char *eol = strchr(m, '\n'), *end = strstr(m, DOC_END);
        if (!eol || !end) {
            fprintf(stderr, "scenario_keys_gen: docs/scenario.md: a BEGIN marker has no END\n");
            return 2;
        }
        char section[64];
        snprintf(section, sizeof section, "%.*s", (int)strcspn(m + strlen(DOC_BEGIN), " -"),
                 m + strlen(DOC_BEGIN));
        put(out, "%.*s", (int)(eol + 1 - p), p);
        doc_table(out, section);
        p = end;
    }
    put(out, "%s", p);
    if (n == 0) {
        fprintf(stderr, "scenario_keys_gen: docs/scenario.md has no \"%s\" marker\n", DOC_BEGIN);
        return 2;
    }
    return 0;
}

/* ---- docs/man/feverbench-scenario.5 ---- */

/* Text for roff: backticks dropped, '\' and '-' escaped, a leading '.' or '\'' guarded. */
static void roff(buf *b, const char *text)
{
    if (text[0] == '.' || text[0] == '\'')
        put(b, "\\&");
    for (const char *p = text; *p; p++) {
        if (*p == '`')
            continue;
        if (*p == '\\')
            put(b, "\\e");
        else if (*p == '-')
            put(b, "\\-");
        else
            put(b, "%c", *p);
    }
}

/* "a, b (c, d), e": the keys under prefix, nested keys in parentheses. */
static void man_children(buf *b, const char *prefix)
{
    const char *names[MAX_CHILDREN + 1];
    size_t k = fb_key_children(prefix, names, MAX_CHILDREN + 1);
    for (size_t i = 0; i < k; i++) {
        char path[200], sub[256];
        snprintf(path, sizeof path, "%s%s", prefix, names[i]);
        const fb_key_def *d = fb_key_find(path);
        put(b, "%s", i ? ", " : "");
        roff(b, names[i]);
        if (d->kind == FB_KEY_OBJECTS)
            put(b, "[]");
        snprintf(sub, sizeof sub, "%s%s.", path, d->kind == FB_KEY_OBJECTS ? "[]" : "");
        const char *probe[2];
        if (d->kind != FB_KEY_DIST && fb_key_children(sub, probe, 2)) {
            put(b, " (");
            man_children(b, sub);
            put(b, ")");
        }
    }
}

static void man_keys(buf *b)
{
    const char *names[MAX_CHILDREN + 1];
    size_t k = fb_key_children("", names, MAX_CHILDREN + 1);
    put(b, ".SH KEYS\n");
    for (size_t i = 0; i < k; i++) {
        const fb_key_def *d = fb_key_find(names[i]);
        char sub[200];
        put(b, ".TP\n.B ");
        roff(b, d->path);
        put(b, "%s\n", d->kind == FB_KEY_OBJECTS ? "[]" : "");
        roff(b, d->meaning);
        if (d->required)
            put(b, "; required");
        else if (d->def && d->kind != FB_KEY_OBJECT && d->kind != FB_KEY_OBJECTS) {
            put(b, "; default ");
            roff(b, d->def);
        }
        snprintf(sub, sizeof sub, "%s%s.", d->path, d->kind == FB_KEY_OBJECTS ? "[]" : "");
        const char *probe[2];
        if (d->kind != FB_KEY_CAMERA && fb_key_children(sub, probe, 2)) {
            put(b, ":\n");
            man_children(b, sub);
        }
        put(b, ".\n");
    }
}

#define MAN_BEGIN ".\\\" BEGIN generated keys"
#define MAN_END   ".\\\" END generated keys"

static int splice_man(const char *in, buf *out)
{
    const char *m = strstr(in, MAN_BEGIN), *end = m ? strstr(m, MAN_END) : NULL;
    const char *eol = m ? strchr(m, '\n') : NULL;
    if (!m || !end || !eol) {
        fprintf(stderr, "scenario_keys_gen: feverbench-scenario.5 has no \"%s\" ... \"%s\"\n",
                MAN_BEGIN, MAN_END);
        return 2;
    }
    put(out, "%.*s", (int)(eol + 1 - in), in);
    man_keys(out);
    put(out, "%s", end);
    return 0;
}

/* ---- scenarios/schema/ ---- */

static cJSON *schema_of(const fb_key_def *d);

/* A number written with the fewest digits that read back exactly (cJSON's own printing rounds
 * 2^53 to 15 digits). */
static void add_num(cJSON *o, const char *name, double v)
{
    char text[40];
    if (v == floor(v) && fabs(v) <= 9007199254740992.0)
        snprintf(text, sizeof text, "%.0f", v);
    else
        for (int digits = 1; digits <= 17; digits++) {
            snprintf(text, sizeof text, "%.*g", digits, v);
            if (strtod(text, NULL) == v)
                break;
        }
    cJSON_AddRawToObject(o, name, text);
}

static void add_range(cJSON *o, const fb_key_range *r)
{
    add_num(o, r->lo_open ? "exclusiveMinimum" : "minimum", r->lo);
    if (!isinf(r->hi))
        add_num(o, r->hi_open ? "exclusiveMaximum" : "maximum", r->hi);
}

static void add_description(cJSON *o, const fb_key_def *d)
{
    char text[1200];
    const char *m = d->meaning ? d->meaning : "";
    const char *u = d->unit && d->unit[0] ? d->unit : NULL;
    if (!m[0] && !u)
        return;
    snprintf(text, sizeof text, "%s%s%s%s", m, m[0] && u ? " (" : "", u ? u : "",
             m[0] && u ? ")" : "");
    cJSON_AddStringToObject(o, "description", text);
}

/* The object whose keys are the entries under prefix. */
static cJSON *object_schema(const char *prefix, bool dist)
{
    const char *names[MAX_CHILDREN + 1];
    size_t k = fb_key_children(prefix, names, MAX_CHILDREN + 1);
    cJSON *o = cJSON_CreateObject(), *props = cJSON_CreateObject(), *req = cJSON_CreateArray();
    cJSON *all = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "type", "object");
    cJSON_AddBoolToObject(o, "additionalProperties", 0);
    cJSON_AddItemToObject(o, "properties", props);
    for (size_t i = 0; i < k; i++) {
        char path[200];
        snprintf(path, sizeof path, "%s%s", prefix, names[i]);
        const fb_key_def *d = fb_key_find(path);
        cJSON_AddItemToObject(props, names[i], schema_of(d));
        /* A distribution's mean and sd are required whenever it is given. */
        if (d->required || (dist && (!strcmp(names[i], "mean") || !strcmp(names[i], "sd"))))
            cJSON_AddItemToArray(req, cJSON_CreateString(names[i]));
        if (d->when) { /* "KEY=VALUE": required when KEY is VALUE, else rejected */
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)strcspn(d->when, "="), d->when);
            const char *value = d->when + strlen(key) + (d->when[strlen(key)] ? 1 : 0);
            cJSON *rule = cJSON_CreateObject(), *cond = cJSON_CreateObject();
            cJSON *cp = cJSON_AddObjectToObject(cond, "properties");
            cJSON_AddStringToObject(cJSON_AddObjectToObject(cp, key), "const", value);
            cJSON_AddItemToObject(cond, "required",
                                  cJSON_CreateStringArray(&(const char *){key}, 1));
            cJSON_AddItemToObject(rule, "if", cond);
            cJSON *then = cJSON_AddObjectToObject(rule, "then");
            cJSON_AddItemToObject(then, "required", cJSON_CreateStringArray(&names[i], 1));
            cJSON *els = cJSON_AddObjectToObject(rule, "else");
            cJSON_AddItemToObject(cJSON_AddObjectToObject(els, "not"), "required",
                                  cJSON_CreateStringArray(&names[i], 1));
            cJSON_AddItemToArray(all, rule);
        }
    }
    if (cJSON_GetArraySize(req))
        cJSON_AddItemToObject(o, "required", req);
    else
        cJSON_Delete(req);
    if (cJSON_GetArraySize(all))
        cJSON_AddItemToObject(o, "allOf", all);
    else
        cJSON_Delete(all);
    return o;
}

/* The default as JSON when the docs' default is a plain value ("3600", "`model`", "true"). */
static void add_default(cJSON *o, const fb_key_def *d)
{
    if (!d->def || d->required)
        return;
    char *end;
    double v = strtod(d->def, &end);
    size_t len = strlen(d->def);
    if ((d->kind == FB_KEY_NUMBER || d->kind == FB_KEY_INTEGER) && end != d->def && !*end)
        add_num(o, "default", v);
    else if (d->kind == FB_KEY_BOOL && (!strcmp(d->def, "true") || !strcmp(d->def, "false")))
        cJSON_AddBoolToObject(o, "default", d->def[0] == 't');
    else if (d->kind == FB_KEY_ENUM && len > 2 && d->def[0] == '`' && d->def[len - 1] == '`' &&
             !memchr(d->def + 1, '`', len - 2)) {
        char s[64];
        snprintf(s, sizeof s, "%.*s", (int)(len - 2), d->def + 1);
        cJSON_AddStringToObject(o, "default", s);
    }
}

static cJSON *schema_of(const fb_key_def *d)
{
    cJSON *o = NULL;
    char prefix[200], e[64], pattern[80];
    switch (d->kind) {
    case FB_KEY_NUMBER:
    case FB_KEY_INTEGER:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", d->kind == FB_KEY_NUMBER ? "number" : "integer");
        if (d->has_range)
            add_range(o, &d->range);
        break;
    case FB_KEY_BOOL:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "boolean");
        break;
    case FB_KEY_TEXT:
    case FB_KEY_SPEC:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "string");
        if (d->kind == FB_KEY_SPEC)
            add_num(o, "minLength", 1);
        add_num(o, "maxLength", (double)d->max_len);
        cJSON_AddStringToObject(o, "pattern", "^[^\\u0000-\\u001f\\u007f]*$");
        break;
    case FB_KEY_NAME:
    case FB_KEY_ID:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "string");
        snprintf(pattern, sizeof pattern, "^[%s]{1,%zu}$",
                 d->kind == FB_KEY_NAME ? "a-z0-9-" : "A-Za-z0-9_.-", d->max_len);
        cJSON_AddStringToObject(o, "pattern", pattern);
        break;
    case FB_KEY_ENUM: {
        o = cJSON_CreateObject();
        cJSON *en = cJSON_AddArrayToObject(o, "enum");
        for (size_t i = 0; item(d->values, i, e, sizeof e); i++)
            cJSON_AddItemToArray(en, cJSON_CreateString(e));
        break;
    }
    case FB_KEY_OBJECT:
    case FB_KEY_DIST:
        snprintf(prefix, sizeof prefix, "%s.", d->path);
        o = object_schema(prefix, d->kind == FB_KEY_DIST);
        break;
    case FB_KEY_OBJECTS:
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "array");
        add_num(o, "minItems", d->range.lo);
        add_num(o, "maxItems", d->range.hi);
        snprintf(prefix, sizeof prefix, "%s[].", d->path);
        cJSON_AddItemToObject(o, "items", object_schema(prefix, false));
        break;
    case FB_KEY_VECTOR: {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "type", "array");
        cJSON *items = cJSON_AddArrayToObject(o, "prefixItems");
        size_t n = 0;
        for (; item(d->elems, n, e, sizeof e); n++) {
            cJSON *el = cJSON_CreateObject();
            cJSON_AddStringToObject(el, "type", "number");
            add_range(el, &d->elem[n]);
            cJSON_AddStringToObject(el, "description", e);
            cJSON_AddItemToArray(items, el);
        }
        add_num(o, "minItems", (double)n);
        add_num(o, "maxItems", (double)n);
        cJSON_AddBoolToObject(o, "items", 0);
        break;
    }
    case FB_KEY_CAMERA: {
        o = cJSON_CreateObject();
        cJSON *one = cJSON_AddArrayToObject(o, "oneOf"), *name = cJSON_CreateObject();
        cJSON_AddStringToObject(name, "type", "string");
        cJSON_AddStringToObject(name, "pattern", "^[a-z0-9-]{1,63}$");
        cJSON_AddStringToObject(name, "description",
                                "a profile name: <scenario folder>/cameras/NAME.json, else the "
                                "shipped one");
        cJSON_AddItemToArray(one, name);
        cJSON *ref = cJSON_CreateObject();
        cJSON_AddStringToObject(ref, "$ref", "camera.schema.json#/$defs/profile");
        cJSON_AddItemToArray(one, ref);
        break;
    }
    }
    add_default(o, d);
    add_description(o, d);
    return o;
}

static cJSON *schema_head(const char *name, const char *title, const char *description)
{
    char id[160];
    cJSON *o = cJSON_CreateObject();
    snprintf(id, sizeof id, "https://feverbench.invalid/schema/%s", name);
    cJSON_AddStringToObject(o, "$schema", "https://json-schema.org/draft/2020-12/schema");
    cJSON_AddStringToObject(o, "$id", id);
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "description", description);
    return o;
}

/* Moves every member of from to the end of to, and frees from. */
static void merge(cJSON *to, cJSON *from)
{
    for (cJSON *c; (c = from->child) != NULL;)
        cJSON_AddItemToObject(to, c->string, cJSON_DetachItemViaPointer(from, c));
    cJSON_Delete(from);
}

static char *scenario_schema(void)
{
    cJSON *o = schema_head(
        "scenario.schema.json", "feverbench scenario",
        "A feverbench test scenario, generated from the key table (sim/scenario/scenario_keys.c); every "
        "key, unit, range and default: docs/scenario.md. The loader also checks rules a schema "
        "cannot: limits against duration_s and other keys, unique subject ids, duplicate keys, "
        "min <= max and mean within [min, max].");
    merge(o, object_schema("", false));
    /* At least one person: "subjects" or "population". */
    cJSON *any = cJSON_AddArrayToObject(o, "anyOf");
    const char *subjects = "subjects", *population = "population";
    cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();
    cJSON_AddItemToObject(a, "required", cJSON_CreateStringArray(&subjects, 1));
    cJSON_AddItemToObject(b, "required", cJSON_CreateStringArray(&population, 1));
    cJSON_AddItemToArray(any, a);
    cJSON_AddItemToArray(any, b);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

static char *camera_schema(void)
{
    cJSON *o = schema_head(
        "camera.schema.json", "feverbench camera profile",
        "A camera profile: scenarios/cameras/NAME.json (docs/scenario.md), generated from the key "
        "table (sim/scenario/scenario_keys.c). The same keys form an inline profile under a scenario's "
        "\"camera\"; in a file \"name\" is required and equals the file name.");
    cJSON *defs = cJSON_AddObjectToObject(o, "$defs");
    cJSON_AddItemToObject(defs, "profile", object_schema("camera.", false));
    cJSON_AddStringToObject(o, "$ref", "#/$defs/profile");
    const char *name = "name";
    cJSON_AddItemToObject(o, "required", cJSON_CreateStringArray(&name, 1));
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: scenario_keys_gen SOURCE_DIR OUT_DIR\n");
        return 2;
    }
    char path[1024];
    buf doc = {0}, man = {0};
    snprintf(path, sizeof path, "%s/docs/scenario.md", argv[1]);
    char *doc_in = read_text(path);
    snprintf(path, sizeof path, "%s/docs/man/feverbench-scenario.5", argv[1]);
    char *man_in = read_text(path);
    if (!doc_in || !man_in) {
        fprintf(stderr, "scenario_keys_gen: cannot read %s\n", !doc_in ? "docs/scenario.md" : path);
        return 2;
    }
    int rc = splice_doc(doc_in, &doc);
    if (!rc)
        rc = splice_man(man_in, &man);
    char *scen = scenario_schema(), *cam = camera_schema();
    if (!scen || !cam) {
        fprintf(stderr, "scenario_keys_gen: out of memory\n");
        return 2;
    }
    if (!rc)
        rc = write_text(argv[2], "scenario.md", doc.s);
    if (!rc)
        rc = write_text(argv[2], "feverbench-scenario.5", man.s);
    if (!rc) {
        buf s = {0}, c = {0};
        put(&s, "%s\n", scen);
        put(&c, "%s\n", cam);
        rc = write_text(argv[2], "scenario.schema.json", s.s);
        if (!rc)
            rc = write_text(argv[2], "camera.schema.json", c.s);
        free(s.s);
        free(c.s);
    }
    cJSON_free(scen);
    cJSON_free(cam);
    free(doc.s);
    free(man.s);
    free(doc_in);
    free(man_in);
    return rc;
}
