/* test_scenario_keys.c — the key table (sim/scenario/scenario_keys.c) is well formed: unique paths, every
 * nested key under an object, ranges that hold a value, enum lists in the order of the C enums the
 * loader indexes with them, one row per criterion of the registry, and the loader's
 * fb_scenario_key and key-list lookups serve the table. (docs/scenario.md and scenarios/schema/
 * are generated from the table; test scenario_format_generated keeps the committed copies.) */
#include <math.h>
#include <stdlib.h>
#include "fbtest.h"
#include "../models/ambient.h"
#include "../models/blackbody.h"
#include "../models/room.h"
#include "scenario/criteria.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"

/* The parent entry of path ("subjects[].id" -> "subjects", "camera.fps" -> "camera"), or NULL
 * for a top-level key. */
static const fb_key_def *parent(const char *path)
{
    char p[200];
    snprintf(p, sizeof p, "%s", path);
    char *dot = strrchr(p, '.');
    if (!dot)
        return NULL;
    *dot = '\0';
    size_t n = strlen(p);
    if (n > 2 && strcmp(p + n - 2, "[]") == 0)
        p[n - 2] = '\0';
    return fb_key_find(p);
}

/* The i-th comma-separated value. */
static int value(const char *list, size_t i, char *out, size_t n)
{
    for (; i && list; i--)
        if ((list = strchr(list, ',')) != NULL)
            list++;
    if (!list || !*list)
        return 0;
    snprintf(out, n, "%.*s", (int)strcspn(list, ","), list);
    return 1;
}

static void check_enum(const char *path, const char *(*name)(int), int count)
{
    const fb_key_def *d = fb_key_find(path);
    CHECK(d && d->kind == FB_KEY_ENUM);
    if (!d)
        return;
    char v[32];
    int i = 0;
    for (; value(d->values, (size_t)i, v, sizeof v); i++) {
        if (i < count && strcmp(v, name(i)) != 0)
            fprintf(stderr, "%s: value %d is \"%s\", the code's is \"%s\"\n", path, i, v, name(i));
        CHECK(i < count && strcmp(v, name(i)) == 0);
    }
    CHECK_EQ_INT(i, count);
}

static const char *bb_failure(int k)
{
    return fb_bb_failure_name((fb_bb_failure_kind)k);
}
static const char *room_preset(int k)
{
    return fb_room_preset_name((fb_room_preset)k);
}
static const char *ambient_model(int k)
{
    static const char *const names[] = {[FB_AMBIENT_CONSTANT] = "constant",
                                        [FB_AMBIENT_RAMP] = "ramp",
                                        [FB_AMBIENT_SINE] = "sine",
                                        [FB_AMBIENT_RANDOM_WALK] = "random_walk"};
    return names[k];
}

int main(void)
{
    CHECK(fb_key_count > 200);
    for (size_t i = 0; i < fb_key_count; i++) {
        const fb_key_def *d = &fb_key_defs[i];
        /* unique */
        CHECK(fb_key_find(d->path) == d);
        /* nested keys sit under an object, an array of objects, a distribution or the camera */
        const fb_key_def *p = parent(d->path);
        if (strchr(d->path, '.')) {
            if (!p)
                fprintf(stderr, "%s: no parent entry\n", d->path);
            CHECK(p && (p->kind == FB_KEY_OBJECT || p->kind == FB_KEY_OBJECTS ||
                        p->kind == FB_KEY_DIST || p->kind == FB_KEY_CAMERA));
            const char *dot = strrchr(d->path, '.');
            if (p && dot - d->path > 2 && strncmp(dot - 2, "[]", 2) == 0)
                CHECK(p->kind == FB_KEY_OBJECTS);
        }
        CHECK(d->meaning != NULL);
        /* ranges hold a value; numbers without one carry a note saying what bounds them */
        if (d->has_range)
            CHECK(d->range.lo < d->range.hi ||
                  (d->range.lo == d->range.hi && !d->range.lo_open && !d->range.hi_open));
        if (d->kind == FB_KEY_NUMBER && !d->has_range)
            CHECK(d->note != NULL);
        if (d->kind == FB_KEY_INTEGER)
            CHECK(d->has_range && d->range.lo >= 0 && d->range.hi <= 9007199254740992.0);
        if (d->kind == FB_KEY_OBJECTS)
            CHECK(d->has_range && d->noun && d->range.lo == 1);
        if (d->kind == FB_KEY_ENUM)
            CHECK(d->values && d->noun);
        if (d->kind >= FB_KEY_TEXT && d->kind <= FB_KEY_ID)
            CHECK(d->max_len > 0);
        if (d->kind == FB_KEY_VECTOR) {
            char e[16];
            size_t n = 0;
            while (value(d->elems, n, e, sizeof e))
                n++;
            CHECK(n >= 2 && n <= 3);
            for (size_t k = 0; k < n; k++)
                CHECK(d->elem[k].lo < d->elem[k].hi);
        }
        /* "KEY=VALUE": KEY is a sibling enum that has VALUE */
        if (d->when) {
            char sib[200], want[32], v[32];
            const char *dot = strrchr(d->path, '.');
            snprintf(sib, sizeof sib, "%.*s%.*s", (int)(dot + 1 - d->path), d->path,
                     (int)strcspn(d->when, "="), d->when);
            snprintf(want, sizeof want, "%s", strchr(d->when, '=') + 1);
            const fb_key_def *s = fb_key_find(sib);
            CHECK(s && s->kind == FB_KEY_ENUM);
            int found = 0;
            for (size_t k = 0; s && value(s->values, k, v, sizeof v); k++)
                found |= strcmp(v, want) == 0;
            CHECK(found);
        }
    }
    /* Enum values in the order of the C enums the loader casts their index to. */
    check_enum("blackbody.failures[].mode", bb_failure, FB_BB_FAIL_KIND_COUNT);
    check_enum("room.preset", room_preset, FB_ROOM_PRESET_COUNT);
    check_enum("environment.ambient.model", ambient_model, 4);
    /* One row per criterion of the registry, and no other. */
    size_t crit_rows = 0;
    for (size_t i = 0; i < fb_key_count; i++)
        crit_rows += strncmp(fb_key_defs[i].path, "criteria.", 9) == 0;
    CHECK_EQ_INT(crit_rows, FB_CRIT_COUNT);
    for (int id = 0; id < FB_CRIT_COUNT; id++) {
        char path[96];
        snprintf(path, sizeof path, "criteria.%s", fb_criterion_get((fb_criterion_id)id)->key);
        const fb_key_def *d = fb_key_find(path);
        CHECK(d != NULL);
        /* hand-worked: shares [0, 1], counts integers, times and °C >= 0 */
        if (d && strcmp(path, "criteria.sensitivity_min") == 0)
            CHECK(d->kind == FB_KEY_NUMBER && d->range.lo == 0 && d->range.hi == 1);
        if (d && strcmp(path, "criteria.false_alarms_max") == 0)
            CHECK(d->kind == FB_KEY_INTEGER && d->range.hi == 1e9);
        if (d && strcmp(path, "criteria.latency_mean_max_s") == 0)
            CHECK(d->kind == FB_KEY_NUMBER && isinf(d->range.hi));
    }
    /* The object key lists the loader reads with. */
    const char *names[65];
    CHECK_EQ_INT(fb_key_children("mount.", names, 65), 2);
    CHECK(strcmp(names[0], "height_m") == 0 && strcmp(names[1], "tilt_deg") == 0 && !names[2]);
    CHECK_EQ_INT(fb_key_children("physiology.afebrile_core_c.", names, 65), 3);
    CHECK(strcmp(names[2], "max") == 0);
    CHECK_EQ_INT(fb_key_children("subjects[].head_turn.", names, 65), 3);
    CHECK_EQ_INT(fb_key_children("", names, 65), 19);
    /* fb_scenario_key (sweep --set, tools) walks the table. */
    char k[160];
    size_t n = 0;
    while (fb_scenario_key(n, k, sizeof k)) {
        CHECK(strcmp(k, fb_key_defs[n].path) == 0);
        n++;
    }
    CHECK_EQ_INT(n, fb_key_count);
    return FBTEST_END();
}
