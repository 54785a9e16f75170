/* sweep_grid.c — sweep parameters: parsing value lists and ranges, checking and setting keys. */
#include "sweep_grid.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_error.h"
#include "scenario/scenario.h"
#include "scenario/scenario_keys.h"

void fb_sweep_param_free(fb_sweep_param *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        cJSON_Delete(p->values[i].json);
    free(p->values);
    p->values = NULL;
    p->n = 0;
}

static bool parse_number(const char *s, double *v)
{
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return false;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v);
}

static int add_value(fb_sweep_param *p, size_t max_values, cJSON *j, const char *text, char *err,
                     size_t err_len)
{
    if (!j) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    if (p->n >= max_values) {
        cJSON_Delete(j);
        snprintf(err, err_len, "%s: more than %zu values", p->key, max_values);
        return FB_ERR_INVALID;
    }
    fb_sweep_value *v = realloc(p->values, (p->n + 1) * sizeof *v);
    if (!v) {
        cJSON_Delete(j);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    p->values = v;
    snprintf(v[p->n].text, sizeof v[p->n].text, "%s", text);
    v[p->n].json = j;
    p->n++;
    return 0;
}

static int add_number(fb_sweep_param *p, size_t max_values, double x, char *err, size_t err_len)
{
    char t[64];
    snprintf(t, sizeof t, "%.12g", x); /* 0.1 + 2 * 0.1 prints 0.3, not 0.30000000000000004 */
    x = strtod(t, NULL);
    if (x == 0)
        x = 0; /* no "-0" */
    snprintf(t, sizeof t, "%.12g", x);
    return add_value(p, max_values, cJSON_CreateNumber(x), t, err, err_len);
}

int fb_sweep_param_parse(const char *spec, fb_sweep_param *p, size_t max_values, char *err,
                         size_t err_len)
{
    memset(p, 0, sizeof *p);
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec) {
        snprintf(err, err_len, "--set \"%s\": expected KEY=V1,V2,... or KEY=A:B:STEP", spec);
        return FB_ERR_INVALID;
    }
    if ((size_t)(eq - spec) >= sizeof p->key) {
        snprintf(err, err_len, "--set \"%s\": key too long", spec);
        return FB_ERR_INVALID;
    }
    memcpy(p->key, spec, (size_t)(eq - spec));
    p->key[eq - spec] = '\0';
    const char *s = eq + 1;
    if (!*s) {
        snprintf(err, err_len, "--set %s: no values after '='", p->key);
        return FB_ERR_INVALID;
    }
    int rc = 0;
    while (!rc) {
        const char *comma = strchr(s, ',');
        size_t l = comma ? (size_t)(comma - s) : strlen(s);
        char item[128];
        if (l == 0 || l >= sizeof item || strchr(s, '\t') || strchr(s, '\n')) {
            snprintf(err, err_len, "--set %s: %s value in \"%s\"", p->key,
                     l == 0 ? "an empty" : "a bad", eq + 1);
            rc = FB_ERR_INVALID;
            break;
        }
        memcpy(item, s, l);
        item[l] = '\0';
        char *c1 = strchr(item, ':');
        double a, b, step, x;
        if (c1) {
            char *c2 = strchr(c1 + 1, ':');
            *c1 = '\0';
            if (c2)
                *c2 = '\0';
            if (!c2 || !parse_number(item, &a) || !parse_number(c1 + 1, &b) ||
                !parse_number(c2 + 1, &step) || step <= 0 || b < a) {
                snprintf(err, err_len,
                         "--set %s: range \"%.*s\" is not A:B:STEP with numbers, A <= B, STEP > 0",
                         p->key, (int)l, s);
                rc = FB_ERR_INVALID;
                break;
            }
            double steps = floor((b - a) / step + 1e-9);
            if (steps + 1 > (double)max_values) {
                snprintf(err, err_len, "%s: more than %zu values", p->key, max_values);
                rc = FB_ERR_INVALID;
                break;
            }
            for (double i = 0; i <= steps && !rc; i++)
                rc = add_number(p, max_values, a + i * step, err, err_len);
        } else if (parse_number(item, &x)) {
            rc = add_number(p, max_values, x, err, err_len);
        } else if (strcmp(item, "true") == 0 || strcmp(item, "false") == 0) {
            rc = add_value(p, max_values, cJSON_CreateBool(item[0] == 't'), item, err, err_len);
        } else {
            rc = add_value(p, max_values, cJSON_CreateString(item), item, err, err_len);
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    if (rc) {
        fb_sweep_param_free(p);
        return rc;
    }
    p->numeric = true;
    for (size_t i = 0; i < p->n; i++) {
        p->numeric = p->numeric && cJSON_IsNumber(p->values[i].json);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->values[i].text, p->values[j].text) == 0) {
                snprintf(err, err_len, "--set %s: value %s appears twice", p->key,
                         p->values[i].text);
                fb_sweep_param_free(p);
                return FB_ERR_INVALID;
            }
    }
    return 0;
}

size_t fb_sweep_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = malloc((lb + 1) * sizeof *row);
    if (!row)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

/* "subjects[3].core_c" -> "subjects[].core_c" */
static void strip_indices(const char *key, char *out, size_t len)
{
    size_t o = 0;
    for (const char *k = key; *k && o + 1 < len; k++) {
        out[o++] = *k;
        if (*k == '[')
            while (isdigit((unsigned char)k[1]))
                k++;
    }
    out[o] = '\0';
}

int fb_sweep_key_check(const char *key, char *err, size_t err_len)
{
    char want[160], k[160];
    strip_indices(key, want, sizeof want);
    const char *best[3] = {0};
    size_t bestd[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    static char names[3][160];
    if (fb_key_find(want))
        return 0;
    for (size_t i = 0; i < fb_key_count; i++) {
        snprintf(k, sizeof k, "%s", fb_key_defs[i].path);
        size_t d = fb_sweep_distance(want, k);
        for (int s = 0; s < 3; s++)
            if (d < bestd[s]) {
                for (int m = 2; m > s; m--) {
                    bestd[m] = bestd[m - 1];
                    if (best[m - 1])
                        memcpy(names[m], names[m - 1], sizeof names[m]);
                    best[m] = best[m - 1] ? names[m] : NULL;
                }
                bestd[s] = d;
                memcpy(names[s], k, sizeof names[s]);
                best[s] = names[s];
                break;
            }
    }
    snprintf(err, err_len, "--set: unknown key \"%s\" (nearest: %s%s%s%s%s)", key,
             best[0] ? best[0] : "", best[1] ? ", " : "", best[1] ? best[1] : "",
             best[2] ? ", " : "", best[2] ? best[2] : "");
    return FB_ERR_INVALID;
}

int fb_sweep_set(cJSON *root, const char *key, const cJSON *value, const char *camera_text,
                 char *err, size_t err_len)
{
    if (strncmp(key, "camera.", 7) == 0) {
        cJSON *cam = cJSON_GetObjectItemCaseSensitive(root, "camera");
        if (!cJSON_IsObject(cam)) {
            cJSON *prof = camera_text ? cJSON_Parse(camera_text) : NULL;
            if (!cJSON_IsObject(prof)) {
                cJSON_Delete(prof);
                snprintf(err, err_len, "%s: the scenario's camera profile could not be read", key);
                return FB_ERR_INVALID;
            }
            if (cam)
                cJSON_ReplaceItemInObjectCaseSensitive(root, "camera", prof);
            else
                cJSON_AddItemToObject(root, "camera", prof);
        }
    }
    cJSON *node = root;
    const char *s = key;
    for (;;) {
        size_t l = strcspn(s, ".[");
        char name[128];
        if (l == 0 || l >= sizeof name) {
            snprintf(err, err_len, "%s: bad path", key);
            return FB_ERR_INVALID;
        }
        memcpy(name, s, l);
        name[l] = '\0';
        s += l;
        bool last = *s == '\0';
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, name);
        if (last) {
            cJSON *copy = cJSON_Duplicate(value, true);
            if (!copy) {
                snprintf(err, err_len, "out of memory");
                return FB_ERR_NOMEM;
            }
            if (child)
                cJSON_ReplaceItemInObjectCaseSensitive(node, name, copy);
            else
                cJSON_AddItemToObject(node, name, copy);
            return 0;
        }
        if (!child) {
            if (*s == '[') {
                snprintf(err, err_len, "%s: the scenario has no \"%s\" array", key, name);
                return FB_ERR_INVALID;
            }
            child = cJSON_AddObjectToObject(node, name);
        }
        node = child;
        while (*s == '[') {
            char *end;
            unsigned long idx = strtoul(s + 1, &end, 10);
            if (end == s + 1 || *end != ']' || !cJSON_IsArray(node) ||
                idx >= (unsigned long)cJSON_GetArraySize(node)) {
                snprintf(err, err_len, "%s: index [%.*s] is not in the scenario's \"%s\" (%d items)",
                         key, (int)(end - s - 1), s + 1, name,
                         cJSON_IsArray(node) ? cJSON_GetArraySize(node) : 0);
                return FB_ERR_INVALID;
            }
            node = cJSON_GetArrayItem(node, (int)idx);
            s = end + 1;
            if (*s == '\0') {
                snprintf(err, err_len, "%s: a whole array item cannot be set", key);
                return FB_ERR_INVALID;
            }
        }
        if (!cJSON_IsObject(node)) {
            snprintf(err, err_len, "%s: \"%s\" is not an object in the scenario", key, name);
            return FB_ERR_INVALID;
        }
        if (*s == '.')
            s++;
    }
}
