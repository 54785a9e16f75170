/* scenario_keys.h — every key of the scenario and camera-profile format, declared once: its JSON
 * path, type, unit, range, default, whether required, and one line of meaning. The loader
 * (scenario.c) takes its key lists, types, ranges and required keys from this table;
 * docs/scenario.md's key tables and scenarios/schema/ are generated from it (scenario_keys_gen.c).
 */
#ifndef FB_SCENARIO_KEYS_H
#define FB_SCENARIO_KEYS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum fb_key_kind {
    FB_KEY_NUMBER,  /* a number within range */
    FB_KEY_INTEGER, /* a number without a fractional part, within range */
    FB_KEY_BOOL,    /* true or false */
    FB_KEY_TEXT,    /* one line of text, may be empty, at most max_len bytes */
    FB_KEY_SPEC,    /* one line of text, not empty, at most max_len bytes */
    FB_KEY_NAME,    /* a-z, 0-9, '-'; 1..max_len bytes */
    FB_KEY_ID,      /* A-Z, a-z, 0-9, '_', '.', '-'; 1..max_len bytes */
    FB_KEY_ENUM,    /* one of values (comma-separated) */
    FB_KEY_OBJECT,  /* an object: its keys are the entries under "PATH." */
    FB_KEY_OBJECTS, /* an array of range.lo..range.hi objects: keys under "PATH[]." */
    FB_KEY_VECTOR,  /* an array of numbers, one per name in elems, element i within elem[i] */
    FB_KEY_DIST,    /* a distribution object: keys under "PATH." (mean, sd, [min], [max]) */
    FB_KEY_CAMERA,  /* a camera profile name, or an inline profile (keys under "camera.") */
} fb_key_kind;

/* A numeric range: [lo, hi], "(" when lo_open, ")" when hi_open; hi = INFINITY for ">= lo". */
typedef struct fb_key_range {
    double lo, hi;
    bool lo_open, hi_open;
} fb_key_range;

typedef struct fb_key_def {
    const char *path; /* "duration_s", "subjects[].speed_mps", "camera.fps" */
    fb_key_kind kind;
    const char *unit; /* "s", "°C", "" for none */
    bool has_range;   /* range holds for NUMBER, INTEGER, OBJECTS (element count) */
    fb_key_range range;
    const char *elems;    /* VECTOR: element names, comma-separated ("x,y,z") */
    fb_key_range elem[3]; /* VECTOR: each element's range */
    size_t max_len;       /* TEXT, SPEC, NAME, ID: longest value in bytes */
    const char *values;   /* ENUM: the accepted values, comma-separated, in index order */
    const char *noun;     /* ENUM, OBJECTS: what one value or element is ("mask", "subject") */
    const char *when;     /* "KEY=VALUE": required when the sibling KEY is VALUE, else rejected */
    const char *note;     /* the docs' range column after the generated part (cross-field rules) */
    bool required;        /* must be present whenever its object is */
    const char *def;      /* the default, as the docs say it ("1", "`model`", "preset's") */
    const char *meaning;  /* one line */
} fb_key_def;

/* The table, in docs order; fb_key_count entries. */
extern const fb_key_def fb_key_defs[];
extern const size_t fb_key_count;

/* The entry of path ("subjects[].speed_mps"), or NULL. */
const fb_key_def *fb_key_find(const char *path);

/* The names of the keys directly under the object at prefix ("" for the top level,
 * "population.", "subjects[]."), in table order: up to max into names, NULL-terminated.
 * Returns how many (max - 1 at most). */
size_t fb_key_children(const char *prefix, const char **names, size_t max);

/* "in (0, 86400]", ">= 0" */
void fb_key_range_text(const fb_key_range *r, char *buf, size_t len);
bool fb_key_in_range(const fb_key_range *r, double v);

#endif
