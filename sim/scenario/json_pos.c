/* json_pos.c — a strict JSON syntax check with located messages, and path -> position lookup
 * over the source text (cJSON keeps no positions). Iterative, bounded by len, any bytes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "fb_error.h"
#include "json_pos.h"

static size_t bom_len(const char *t, size_t len)
{
    return (len >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
            (unsigned char)t[2] == 0xBF)
               ? 3
               : 0;
}

fb_json_pos fb_json_pos_at(const char *text, size_t len, size_t offset)
{
    fb_json_pos p = {1, 1};
    if (!text)
        return p;
    if (offset > len)
        offset = len;
    size_t i = bom_len(text, len);
    if (i > offset)
        i = offset;
    for (; i < offset; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            p.line++;
            p.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p.col++;
        }
    }
    return p;
}

/* ---- shared lexing helpers ---- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *t, size_t len, size_t i)
{
    while (i < len && is_ws(t[i]))
        i++;
    return i;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at t[i..i+4) -> value, or -1. */
static long hex4(const char *t, size_t len, size_t i)
{
    if (i + 4 > len)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(t[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* ---- strict check ---- */

enum { ST_VALUE, ST_VALUE_OR_CLOSE, ST_KEY, ST_KEY_OR_CLOSE, ST_AFTER };

typedef struct level {
    char kind;      /* '{' or '[' */
    size_t count;   /* members/elements completed before the current one */
    size_t key_off; /* current member's key (raw, without quotes) when has_key */
    size_t key_len;
    int has_key;
} level;

typedef struct checker {
    const char *t;
    size_t len;
    level st[FB_JSON_MAX_DEPTH];
    size_t depth;
    fb_json_syntax *e;
} checker;

static void append(char *buf, size_t size, size_t *n, const char *s, size_t slen)
{
    for (size_t i = 0; i < slen && *n + 1 < size; i++)
        buf[(*n)++] = s[i];
    buf[*n] = '\0';
}

/* A key for display: control bytes, '"' and '\\' escaped, at most 48 bytes of it. */
static void append_key(char *buf, size_t size, size_t *n, const char *s, size_t slen)
{
    size_t shown = slen > 48 ? 48 : slen;
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            char hex[8];
            snprintf(hex, sizeof hex, "\\x%02X", (unsigned)c);
            append(buf, size, n, hex, strlen(hex));
        } else {
            append(buf, size, n, (const char *)&s[i], 1);
        }
    }
    if (shown < slen)
        append(buf, size, n, "...", 3);
}

static int fail(checker *c, size_t off, const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(checker *c, size_t off, const char *expected, const char *fmt, ...)
{
    fb_json_syntax *e = c->e;
    if (!e)
        return FB_ERR_PARSE;
    e->offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->what, sizeof e->what, fmt, ap);
    va_end(ap);
    snprintf(e->expected, sizeof e->expected, "%s", expected ? expected : "");
    size_t n = 0;
    e->path[0] = '\0';
    for (size_t d = 0; d < c->depth; d++) {
        const level *l = &c->st[d];
        if (l->kind == '{') {
            if (!l->has_key)
                break;
            if (n)
                append(e->path, sizeof e->path, &n, ".", 1);
            append_key(e->path, sizeof e->path, &n, c->t + l->key_off, l->key_len);
        } else {
            char idx[32];
            snprintf(idx, sizeof idx, "[%zu]", l->count);
            append(e->path, sizeof e->path, &n, idx, strlen(idx));
        }
    }
    return FB_ERR_PARSE;
}

static int is_ident(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* Length of a valid UTF-8 sequence at t[i], or 0 (overlong, surrogate, > U+10FFFF, cut). */
static size_t utf8_len(const char *t, size_t len, size_t i)
{
    unsigned char b0 = (unsigned char)t[i];
    size_t n;
    unsigned long cp;
    if (b0 < 0x80)
        return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + n > len)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char b = (unsigned char)t[i + k];
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* String starting at the quote t[*i]; on success *i is just past the closing quote. */
static int check_string(checker *c, size_t *i)
{
    const char *t = c->t;
    size_t start = *i, p = *i + 1;
    while (p < c->len) {
        unsigned char ch = (unsigned char)t[p];
        if (ch == '"') {
            *i = p + 1;
            return 0;
        }
        if (ch == '\n' || ch == '\r')
            return fail(c, start, "a closing '\"' before the end of the line",
                        "unterminated string");
        if (ch < 0x20)
            return fail(c, p, "an escape such as \\n or \\t",
                        "control character U+%04X in a string", (unsigned)ch);
        if (ch == '\\') {
            if (p + 1 >= c->len)
                break;
            char esc = t[p + 1];
            if (esc != '\0' && strchr("\"\\/bfnrt", esc)) {
                p += 2;
                continue;
            }
            if (esc != 'u') {
                if ((unsigned char)esc >= 0x20 && (unsigned char)esc < 0x7F)
                    return fail(c, p, "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                                "invalid escape '\\%c'", esc);
                return fail(c, p, "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                            "invalid escape");
            }
            long u = hex4(t, c->len, p + 2);
            if (u < 0)
                return fail(c, p, "four hex digits after \\u", "invalid \\u escape");
            if (u == 0)
                return fail(c, p, "no NUL characters in strings", "\\u0000 in a string");
            if (u >= 0xDC00 && u <= 0xDFFF)
                return fail(c, p, "a high surrogate \\uD800-\\uDBFF before it",
                            "unpaired UTF-16 low surrogate \\u%04lX", u);
            if (u >= 0xD800 && u <= 0xDBFF) {
                long lo = (p + 7 < c->len && t[p + 6] == '\\' && t[p + 7] == 'u')
                              ? hex4(t, c->len, p + 8)
                              : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(c, p, "a low surrogate \\uDC00-\\uDFFF after it",
                                "unpaired UTF-16 high surrogate \\u%04lX", u);
                p += 12;
                continue;
            }
            p += 6;
            continue;
        }
        if (ch >= 0x80) {
            size_t n = utf8_len(t, c->len, p);
            if (!n)
                return fail(c, p, "UTF-8 text", "invalid UTF-8 byte 0x%02X in a string",
                            (unsigned)ch);
            p += n;
            continue;
        }
        p++;
    }
    return fail(c, start, "a closing '\"'", "unterminated string");
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static int check_number(checker *c, size_t *i)
{
    const char *t = c->t;
    size_t p = *i, len = c->len;
    if (t[p] == '-') {
        p++;
        if (p < len && (t[p] == 'I' || t[p] == 'i'))
            return fail(c, *i, "a finite number", "non-finite number");
    }
    if (p >= len || !is_digit(t[p]))
        return fail(c, p, "a digit after '-'", "invalid number");
    if (t[p] == '0' && p + 1 < len && is_digit(t[p + 1]))
        return fail(c, p, "no leading zeros", "invalid number: leading zero");
    while (p < len && is_digit(t[p]))
        p++;
    if (p < len && t[p] == '.') {
        p++;
        if (p >= len || !is_digit(t[p]))
            return fail(c, p, "a digit after '.'", "invalid number");
        while (p < len && is_digit(t[p]))
            p++;
    }
    if (p < len && (t[p] == 'e' || t[p] == 'E')) {
        p++;
        if (p < len && (t[p] == '+' || t[p] == '-'))
            p++;
        if (p >= len || !is_digit(t[p]))
            return fail(c, p, "a digit in the exponent", "invalid number");
        while (p < len && is_digit(t[p]))
            p++;
    }
    *i = p;
    return 0;
}

/* Describes the unexpected byte at t[p] ("unexpected 'x'", "unexpected end of input"). */
static int unexpected(checker *c, size_t p, const char *expected)
{
    if (p >= c->len)
        return fail(c, p, expected, "unexpected end of input");
    unsigned char ch = (unsigned char)c->t[p];
    if (ch == '/')
        return fail(c, p, expected, "comments are not allowed in JSON");
    if (ch == '\'')
        return fail(c, p, "a string in double quotes", "single-quoted string");
    if (ch >= 0x21 && ch < 0x7F)
        return fail(c, p, expected, "unexpected '%c'", ch);
    if (ch >= 0x80)
        return fail(c, p, expected, "unexpected byte 0x%02X", (unsigned)ch);
    return fail(c, p, expected, "unexpected control character U+%04X", (unsigned)ch);
}

static int check_value(checker *c, size_t *i, int *opened)
{
    const char *t = c->t;
    size_t p = *i;
    char ch = t[p];
    *opened = 0;
    if (ch == '{' || ch == '[') {
        if (c->depth >= FB_JSON_MAX_DEPTH)
            return fail(c, p, "at most 64 levels of arrays and objects", "nested too deep");
        level *l = &c->st[c->depth++];
        l->kind = ch;
        l->count = 0;
        l->has_key = 0;
        *i = p + 1;
        *opened = ch;
        return 0;
    }
    if (ch == '"')
        return check_string(c, i);
    if (ch == '-' || is_digit(ch))
        return check_number(c, i);
    if (ch == '+')
        return fail(c, p, "a number without '+'", "invalid number: leading '+'");
    if (ch == '.')
        return fail(c, p, "a digit before '.'", "invalid number: leading '.'");
    if (is_ident(ch)) {
        size_t e = p;
        while (e < c->len && is_ident(t[e]) && e - p < 16)
            e++;
        size_t n = e - p;
        if ((n == 4 && !memcmp(t + p, "true", 4)) || (n == 4 && !memcmp(t + p, "null", 4)) ||
            (n == 5 && !memcmp(t + p, "false", 5))) {
            *i = e;
            return 0;
        }
        if ((n == 3 && !memcmp(t + p, "NaN", 3)) || (n == 8 && !memcmp(t + p, "Infinity", 8)))
            return fail(c, p, "a finite number", "non-finite number");
        return fail(c, p, "true, false, null, a number, a string, an array or an object",
                    "invalid literal '%.*s'", (int)n, t + p);
    }
    return unexpected(c, p, "a value");
}

int fb_json_pos_check(const char *text, size_t len, fb_json_syntax *e)
{
    checker c;
    c.t = text;
    c.len = text ? len : 0;
    c.depth = 0;
    c.e = e;
    size_t i = skip_ws(text, c.len, bom_len(text, c.len));
    if (i >= c.len)
        return fail(&c, i, "a JSON value", "empty document");
    int state = ST_VALUE;
    for (;;) {
        i = skip_ws(text, c.len, i);
        level *top = c.depth ? &c.st[c.depth - 1] : NULL;
        if (state == ST_AFTER && !top) {
            if (i < c.len)
                return fail(&c, i, "end of input", "unexpected data after the document");
            return 0;
        }
        if (i >= c.len) {
            static const char *const exp_by_state[] = {[ST_VALUE] = "a value",
                                                       [ST_VALUE_OR_CLOSE] = "a value or ']'",
                                                       [ST_KEY] = "a string key",
                                                       [ST_KEY_OR_CLOSE] = "a string key or '}'",
                                                       [ST_AFTER] = NULL};
            const char *ex = exp_by_state[state];
            if (!ex)
                ex = top->kind == '{' ? "',' or '}'" : "',' or ']'";
            return fail(&c, i, ex, "unexpected end of input");
        }
        char ch = text[i];
        switch (state) {
        case ST_VALUE_OR_CLOSE:
            if (ch == ']') {
                c.depth--;
                i++;
                state = ST_AFTER;
                break;
            }
            /* fall through */
        case ST_VALUE: {
            if (state == ST_VALUE && top && top->kind == '[' && ch == ']')
                return fail(&c, i, "another element", "trailing comma before ']'");
            if (state == ST_VALUE && top && top->kind == '{' && (ch == '}' || ch == ','))
                return fail(&c, i, "a value", "missing value after ':'");
            int opened;
            int rc = check_value(&c, &i, &opened);
            if (rc)
                return rc;
            state = opened == '{' ? ST_KEY_OR_CLOSE : opened == '[' ? ST_VALUE_OR_CLOSE : ST_AFTER;
            break;
        }
        case ST_KEY_OR_CLOSE:
            if (ch == '}') {
                c.depth--;
                i++;
                state = ST_AFTER;
                break;
            }
            /* fall through */
        case ST_KEY: {
            if (ch == '}')
                return fail(&c, i, "another member", "trailing comma before '}'");
            if (ch != '"') {
                if (is_ident(ch))
                    return fail(&c, i, "a key in double quotes", "unquoted key");
                return unexpected(&c, i, state == ST_KEY ? "a string key" : "a string key or '}'");
            }
            size_t kstart = i;
            int rc = check_string(&c, &i);
            if (rc)
                return rc;
            top->key_off = kstart + 1;
            top->key_len = i - kstart - 2;
            top->has_key = 1;
            i = skip_ws(text, c.len, i);
            if (i >= c.len || text[i] != ':') {
                if (i < c.len && (text[i] == ',' || text[i] == '}'))
                    return fail(&c, i, "':' and a value", "missing ':' after key");
                return i < c.len ? fail(&c, i, "':'", "missing ':' after key")
                                 : unexpected(&c, i, "':'");
            }
            i++;
            state = ST_VALUE;
            break;
        }
        case ST_AFTER:
            if (ch == ',') {
                top->count++;
                top->has_key = 0;
                i++;
                state = top->kind == '{' ? ST_KEY : ST_VALUE;
            } else if ((ch == '}' && top->kind == '{') || (ch == ']' && top->kind == '[')) {
                c.depth--;
                i++;
            } else if (ch == '}' || ch == ']') {
                return fail(&c, i, top->kind == '{' ? "',' or '}'" : "',' or ']'",
                            "mismatched '%c'", ch);
            } else if (top->kind == '{' && ch == '"') {
                return fail(&c, i, "',' or '}'", "missing ',' between members");
            } else if (top->kind == '[' &&
                       (ch == '"' || ch == '{' || ch == '[' || ch == '-' || is_ident(ch))) {
                return fail(&c, i, "',' or ']'", "missing ',' between elements");
            } else {
                return unexpected(&c, i, top->kind == '{' ? "',' or '}'" : "',' or ']'");
            }
            break;
        }
    }
}

/* ---- path lookup (on text that passed the check; still bounded on anything) ---- */

/* Past the string whose quote is t[i]; 0 when unterminated. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == '"')
            return i + 1;
    }
    return 0;
}

/* Past the value starting at t[i] (no whitespace before it); 0 when malformed or nested
 * deeper than FB_JSON_MAX_DEPTH. */
static size_t skip_value(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    if (t[i] == '"')
        return skip_string(t, len, i);
    if (t[i] == '{' || t[i] == '[') {
        size_t depth = 0;
        while (i < len) {
            char ch = t[i];
            if (ch == '"') {
                i = skip_string(t, len, i);
                if (!i)
                    return 0;
                continue;
            }
            if (ch == '{' || ch == '[') {
                if (++depth > FB_JSON_MAX_DEPTH)
                    return 0;
            } else if (ch == '}' || ch == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return 0;
    }
    size_t s = i;
    while (i < len && !is_ws(t[i]) && !strchr(",]}:", t[i]))
        i++;
    return i > s ? i : 0;
}

/* Appends the UTF-8 bytes of the next character of the JSON string body at t[*i] (escapes
 * decoded) to out; returns their count, 0 at the closing quote or on malformed input. */
static size_t next_char(const char *t, size_t len, size_t *i, unsigned char out[4])
{
    if (*i >= len || t[*i] == '"')
        return 0;
    if (t[*i] != '\\') {
        out[0] = (unsigned char)t[(*i)++];
        return 1;
    }
    if (*i + 1 >= len)
        return 0;
    char esc = t[*i + 1];
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *f = esc ? strchr(from, esc) : NULL;
    if (f) {
        out[0] = (unsigned char)to[f - from];
        *i += 2;
        return 1;
    }
    if (esc != 'u')
        return 0;
    long u = hex4(t, len, *i + 2);
    if (u < 0)
        return 0;
    *i += 6;
    unsigned long cp = (unsigned long)u;
    if (u >= 0xD800 && u <= 0xDBFF) {
        long lo = (*i + 1 < len && t[*i] == '\\' && t[*i + 1] == 'u') ? hex4(t, len, *i + 2) : -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        *i += 6;
        cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
    }
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Does the JSON string at t[i] (the quote) decode to exactly name[0..nlen)? */
static int key_equals(const char *t, size_t len, size_t i, const char *name, size_t nlen)
{
    size_t p = i + 1, k = 0;
    unsigned char buf[4];
    size_t n;
    while ((n = next_char(t, len, &p, buf)) > 0) {
        if (k + n > nlen || memcmp(name + k, buf, n) != 0)
            return 0;
        k += n;
    }
    return k == nlen && p < len && t[p] == '"';
}

/* One step of a path: by ordinal/index, or (object) by name. */
typedef struct step {
    int by_name;
    size_t n;         /* ordinal or index */
    const char *name; /* when by_name */
    size_t name_len;
} step;

static int find(const char *t, size_t len, const step *steps, size_t n_steps, int want_key,
                size_t *offset)
{
    if (!t || !offset)
        return FB_ERR_ARG;
    if (n_steps > FB_JSON_MAX_DEPTH)
        return FB_ERR_PARSE;
    size_t i = skip_ws(t, len, bom_len(t, len));
    if (i >= len)
        return FB_ERR_PARSE;
    for (size_t k = 0; k < n_steps; k++) {
        const step *s = &steps[k];
        int last = k + 1 == n_steps;
        if (i >= len)
            return FB_ERR_PARSE;
        if (t[i] == '{') {
            size_t m = 0;
            i++;
            for (;;) {
                i = skip_ws(t, len, i);
                if (i >= len)
                    return FB_ERR_PARSE;
                if (t[i] == '}')
                    return FB_ERR_INVALID;
                if (t[i] != '"')
                    return FB_ERR_PARSE;
                size_t kstart = i;
                i = skip_string(t, len, i);
                if (!i)
                    return FB_ERR_PARSE;
                i = skip_ws(t, len, i);
                if (i >= len || t[i] != ':')
                    return FB_ERR_PARSE;
                i = skip_ws(t, len, i + 1);
                int match =
                    s->by_name ? key_equals(t, len, kstart, s->name, s->name_len) : m == s->n;
                if (match) {
                    if (last && want_key) {
                        *offset = kstart;
                        return 0;
                    }
                    break;
                }
                i = skip_value(t, len, i);
                if (!i)
                    return FB_ERR_PARSE;
                i = skip_ws(t, len, i);
                if (i >= len)
                    return FB_ERR_PARSE;
                if (t[i] == '}')
                    return FB_ERR_INVALID;
                if (t[i] != ',')
                    return FB_ERR_PARSE;
                i++;
                m++;
            }
        } else if (t[i] == '[') {
            if (s->by_name)
                return FB_ERR_INVALID;
            i = skip_ws(t, len, i + 1);
            if (i >= len)
                return FB_ERR_PARSE;
            if (t[i] == ']')
                return FB_ERR_INVALID;
            for (size_t m = 0; m < s->n; m++) {
                i = skip_value(t, len, i);
                if (!i)
                    return FB_ERR_PARSE;
                i = skip_ws(t, len, i);
                if (i >= len)
                    return FB_ERR_PARSE;
                if (t[i] == ']')
                    return FB_ERR_INVALID;
                if (t[i] != ',')
                    return FB_ERR_PARSE;
                i = skip_ws(t, len, i + 1);
            }
        } else {
            return FB_ERR_INVALID; /* a scalar has no members */
        }
        if (i >= len)
            return FB_ERR_PARSE;
    }
    *offset = i;
    return 0;
}

int fb_json_pos_find_steps(const char *text, size_t len, const size_t *steps, size_t n_steps,
                           int want_key, size_t *offset)
{
    step st[FB_JSON_MAX_DEPTH];
    if (n_steps > FB_JSON_MAX_DEPTH)
        return FB_ERR_PARSE;
    if (n_steps && !steps)
        return FB_ERR_ARG;
    for (size_t k = 0; k < n_steps; k++)
        st[k] = (step){0, steps[k], NULL, 0};
    return find(text, len, st, n_steps, want_key, offset);
}

int fb_json_pos_find(const char *text, size_t len, const char *path, int want_key, size_t *offset)
{
    step st[FB_JSON_MAX_DEPTH];
    size_t n = 0;
    if (!path)
        return FB_ERR_ARG;
    const char *p = path;
    while (*p) {
        if (n >= FB_JSON_MAX_DEPTH)
            return FB_ERR_PARSE;
        if (*p == '[') {
            size_t v = 0;
            p++;
            if (!is_digit(*p))
                return FB_ERR_ARG;
            while (is_digit(*p)) {
                if (v > ((size_t)-1 - 9) / 10)
                    return FB_ERR_ARG;
                v = v * 10 + (size_t)(*p++ - '0');
            }
            if (*p++ != ']')
                return FB_ERR_ARG;
            st[n++] = (step){0, v, NULL, 0};
            continue;
        }
        if (*p == '.') {
            if (n == 0)
                return FB_ERR_ARG;
            p++;
        }
        const char *s = p;
        while (*p && *p != '.' && *p != '[')
            p++;
        if (p == s)
            return FB_ERR_ARG;
        st[n++] = (step){1, 0, s, (size_t)(p - s)};
    }
    return find(text, len, st, n, want_key, offset);
}
