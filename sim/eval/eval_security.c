/* eval_security.c — what the sandbox recorded in a candidate's runs, pooled into a verdict and a
 * list of findings (report.json "security"; docs/evaluation.md: Security, docs/security.md). */
#include "eval_security.h"
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const cJSON *obj(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static uint64_t count(const cJSON *o, const char *k)
{
    const cJSON *v = obj(o, k);
    return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static void append_missing(char *dst, size_t len, const char *list)
{
    /* each comma-separated layer once, in the order first seen */
    char buf[160];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (!*t || strstr(dst, t))
            continue;
        size_t n = strlen(dst);
        snprintf(dst + n, len - n, "%s%s", n ? ", " : "", t);
    }
}

void fb_eval_sec_read(const cJSON *doc, uint64_t seed, fb_eval_sec *s)
{
    memset(s, 0, sizeof *s);
    s->runs = 1;
    const cJSON *sb = obj(obj(doc, "audit"), "sandbox"), *mode = obj(sb, "mode"),
                *tr = obj(obj(doc, "audit"), "transport");
    const char *m = cJSON_IsString(mode) ? mode->valuestring : "";
    /* a firmware built into the bench (inproc: mode "none") or an older results.json */
    if (!sb || !m[0] || (cJSON_IsString(tr) && strcmp(tr->valuestring, "inproc") == 0)) {
        s->runs_absent = 1;
        return;
    }
    if (strcmp(m, "on") == 0)
        s->runs_on = 1;
    else if (strcmp(m, "off") == 0)
        s->runs_off = 1;
    else
        s->runs_none = 1;
    const cJSON *mi = obj(sb, "missing");
    if (s->runs_on && cJSON_IsString(mi))
        append_missing(s->missing, sizeof s->missing, mi->valuestring);
    s->egress = count(sb, "egress_attempts");
    s->violations = count(sb, "violations");
    const cJSON *a;
    cJSON_ArrayForEach(a, obj(sb, "attempts"))
    {
        const cJSON *w = obj(a, "what"), *t = obj(a, "t_s");
        if (s->n_attempts == FB_EVAL_SEC_ATTEMPTS || !cJSON_IsString(w))
            continue;
        fb_eval_sec_attempt *x = &s->attempts[s->n_attempts++];
        snprintf(x->what, sizeof x->what, "%s", w->valuestring);
        x->frame = (uint32_t)count(a, "frame");
        x->t_s = cJSON_IsNumber(t) ? t->valuedouble : NAN;
        x->egress = cJSON_IsTrue(obj(a, "egress"));
        x->seed = seed;
    }
    const cJSON *sc = obj(sb, "scratch");
    s->scratch_files = count(sc, "files");
    s->scratch_bytes = count(sc, "bytes");
    const cJSON *f;
    cJSON_ArrayForEach(f, obj(sc, "listed"))
    {
        const cJSON *p = obj(f, "path");
        if (s->n_files == FB_EVAL_SEC_FILES || !cJSON_IsString(p))
            continue;
        fb_eval_sec_file *x = &s->files[s->n_files++];
        snprintf(x->path, sizeof x->path, "%s", p->valuestring);
        x->size_b = count(f, "size_b");
    }
}

void fb_eval_sec_merge(fb_eval_sec *out, const fb_eval_sec *r)
{
    out->runs += r->runs;
    out->runs_on += r->runs_on;
    out->runs_off += r->runs_off;
    out->runs_none += r->runs_none;
    out->runs_absent += r->runs_absent;
    append_missing(out->missing, sizeof out->missing, r->missing);
    out->egress += r->egress;
    out->violations += r->violations;
    out->scratch_files += r->scratch_files;
    out->scratch_bytes += r->scratch_bytes;
    for (size_t i = 0; i < r->n_attempts && out->n_attempts < FB_EVAL_SEC_ATTEMPTS; i++)
        out->attempts[out->n_attempts++] = r->attempts[i];
    for (size_t i = 0; i < r->n_files && out->n_files < FB_EVAL_SEC_FILES; i++)
        out->files[out->n_files++] = r->files[i];
}

double fb_eval_sec_denied(const fb_eval_sec *s)
{
    if (s->violations)
        return (double)s->violations;
    return s->runs && s->runs_on == s->runs ? 0.0 : NAN;
}

const char *fb_eval_sec_kind(const char *what, int egress)
{
    if (egress)
        return "network";
    if (strncmp(what, "open ", 5) == 0)
        return strstr(what, " for writing") ? "write" : "read";
    /* a name, a folder or a mode changed outside scratch (sim/link/sandbox.c: path_calls) */
    static const char *const changes[] = {"unlink ", "rmdir ", "mkdir ", "rename ", "link ",
                                          "symlink ", "chmod ", "chown ", "mknod ", "truncate "};
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
        if (strncmp(what, changes[i], strlen(changes[i])) == 0)
            return "write";
    if (strncmp(what, "execute ", 8) == 0)
        return "execute";
    if (strncmp(what, "ptrace", 6) == 0 || strncmp(what, "process_vm_", 11) == 0)
        return "process";
    return "other";
}

static void add_finding(fb_eval_security *out, const fb_eval_sec_attempt *a, const char *test, size_t test_i)
{
    const char *kind = fb_eval_sec_kind(a->what, a->egress);
    for (size_t i = 0; i < out->n_findings; i++) {
        fb_eval_sec_finding *f = &out->findings[i];
        if (f->kind == kind && strcmp(f->what, a->what) == 0) {
            f->count++;
            if (f->last_test_i != test_i) {
                f->tests++;
                f->last_test_i = test_i;
            }
            return;
        }
    }
    if (out->n_findings == FB_EVAL_SEC_FINDINGS) {
        out->more_findings++; /* counted once per attempt beyond the distinct ones kept */
        return;
    }
    fb_eval_sec_finding *f = &out->findings[out->n_findings++];
    f->kind = kind;
    snprintf(f->what, sizeof f->what, "%s", a->what);
    f->count = 1;
    f->tests = 1;
    f->last_test_i = test_i;
    snprintf(f->first_test, sizeof f->first_test, "%s", test);
    f->first_seed = a->seed;
    f->first_frame = a->frame;
    f->first_t_s = a->t_s;
}

void fb_eval_sec_pool(fb_eval_security *out, const fb_eval_sec *const *runs, const char *const *test_ids, size_t n_tests)
{
    memset(out, 0, sizeof *out);
    size_t on = 0, off = 0, none = 0, absent = 0;
    for (size_t t = 0; t < n_tests; t++) {
        const fb_eval_sec *r = runs[t];
        out->tests++;
        on += r->runs_on;
        off += r->runs_off;
        none += r->runs_none;
        absent += r->runs_absent;
        if (r->runs && r->runs_on == r->runs)
            out->tests_sandboxed++;
        if (r->violations)
            out->tests_flagged++;
        if (r->scratch_files)
            out->tests_with_files++;
        append_missing(out->missing, sizeof out->missing, r->missing);
        out->egress += r->egress;
        out->violations += r->violations;
        out->scratch_files += r->scratch_files;
        out->scratch_bytes += r->scratch_bytes;
        out->attempts_listed += r->n_attempts;
        for (size_t i = 0; i < r->n_attempts; i++)
            add_finding(out, &r->attempts[i], test_ids[t], t);
        for (size_t i = 0; i < r->n_files && out->n_files < FB_EVAL_SEC_LISTED; i++) {
            out->files[out->n_files] = r->files[i];
            snprintf(out->files[out->n_files].test, sizeof out->files[0].test, "%s", test_ids[t]);
            out->n_files++;
        }
    }
    int kinds = (on > 0) + (off > 0) + (none > 0) + (absent > 0);
    out->sandbox = kinds > 1 ? "mixed" : on ? "on" : off ? "off" : none ? "none" : "in-process";
    if (out->violations) {
        out->verdict = "flagged";
        snprintf(out->why, sizeof out->why, "%llu attempts denied in %zu of %zu tests (%llu network)",
                 (unsigned long long)out->violations, out->tests_flagged, out->tests,
                 (unsigned long long)out->egress);
    } else if (out->tests && out->tests_sandboxed == out->tests) {
        out->verdict = "clean";
    } else {
        out->verdict = "unchecked";
        if (absent && !on && !off && !none)
            snprintf(out->why, sizeof out->why, "built into the bench: trusted, not sandboxed");
        else if (off)
            snprintf(out->why, sizeof out->why, "--sandbox off in %zu run%s", off, off == 1 ? "" : "s");
        else if (none && !on && !absent)
            snprintf(out->why, sizeof out->why, "no process on this host (serial, MCU): nothing to sandbox");
        else
            snprintf(out->why, sizeof out->why, "sandboxed in %zu of %zu tests", out->tests_sandboxed, out->tests);
    }
}

static void add_u64(cJSON *o, const char *k, uint64_t v)
{
    cJSON_AddNumberToObject(o, k, (double)v);
}

void fb_eval_sec_json(cJSON *candidate, const fb_eval_security *s)
{
    cJSON *o = cJSON_AddObjectToObject(candidate, "security");
    cJSON_AddStringToObject(o, "verdict", s->verdict);
    if (s->why[0])
        cJSON_AddStringToObject(o, "why", s->why);
    else
        cJSON_AddNullToObject(o, "why");
    cJSON_AddStringToObject(o, "sandbox", s->sandbox);
    cJSON_AddStringToObject(o, "missing", s->missing);
    add_u64(o, "tests_sandboxed", s->tests_sandboxed);
    add_u64(o, "tests_flagged", s->tests_flagged);
    add_u64(o, "egress_attempts", s->egress);
    add_u64(o, "violations", s->violations);
    add_u64(o, "scratch_files", s->scratch_files);
    add_u64(o, "scratch_bytes", s->scratch_bytes);
    add_u64(o, "attempts_listed", s->attempts_listed);
    cJSON *fa = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; i < s->n_findings; i++) {
        const fb_eval_sec_finding *f = &s->findings[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "kind", f->kind);
        cJSON_AddStringToObject(x, "what", f->what);
        add_u64(x, "count", f->count);
        add_u64(x, "tests", f->tests);
        cJSON_AddStringToObject(x, "first_test", f->first_test);
        add_u64(x, "first_seed", f->first_seed);
        add_u64(x, "first_frame", f->first_frame);
        if (isfinite(f->first_t_s))
            cJSON_AddNumberToObject(x, "first_t_s", round(f->first_t_s * 1e4) / 1e4);
        else
            cJSON_AddNullToObject(x, "first_t_s");
        cJSON_AddItemToArray(fa, x);
    }
    add_u64(o, "findings_more", s->more_findings);
    cJSON *fl = cJSON_AddArrayToObject(o, "scratch");
    for (size_t i = 0; i < s->n_files; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "test", s->files[i].test);
        cJSON_AddStringToObject(x, "path", s->files[i].path);
        add_u64(x, "size_b", s->files[i].size_b);
        cJSON_AddItemToArray(fl, x);
    }
}

void fb_eval_sec_json_run(cJSON *result, const fb_eval_sec *s)
{
    cJSON *o = cJSON_AddObjectToObject(result, "security");
    const char *mode = !s->runs                  ? "no results"
                       : s->runs_on == s->runs ? "on"
                       : s->runs_off == s->runs ? "off"
                       : s->runs_none == s->runs ? "none"
                       : s->runs_absent == s->runs ? "in-process"
                                                   : "mixed";
    cJSON_AddStringToObject(o, "sandbox", mode);
    cJSON_AddStringToObject(o, "missing", s->missing);
    add_u64(o, "egress_attempts", s->egress);
    add_u64(o, "violations", s->violations);
    add_u64(o, "scratch_files", s->scratch_files);
    add_u64(o, "scratch_bytes", s->scratch_bytes);
}
