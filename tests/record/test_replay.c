/* test_replay.c — `replay` re-scores a recording without the DUT: the same results.json as the run (apart from the link audit), the same exit status. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "record/record.h"
#include "run/run.h"

/* Fields about the transport, which a replay (no DUT, no link) cannot repeat. */
static const char *const transport_keys[] = {"audit", "link", "transport", "pacing", "dut_spec"};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    size_t got = fread(p, 1, (size_t)n, f);
    p[got] = '\0';
    fclose(f);
    return p;
}

static cJSON *load_results(const char *dir)
{
    char path[400];
    snprintf(path, sizeof path, "%s/results.json", dir);
    char *text = slurp(path);
    if (!text)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    free(text);
    for (size_t i = 0; j && i < sizeof transport_keys / sizeof transport_keys[0]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(j, transport_keys[i]);
    return j;
}

static void same_file(const char *a_dir, const char *b_dir, const char *name)
{
    char pa[400], pb[400];
    snprintf(pa, sizeof pa, "%s/%s", a_dir, name);
    snprintf(pb, sizeof pb, "%s/%s", b_dir, name);
    char *a = slurp(pa), *b = slurp(pb);
    CHECK(a && b && strcmp(a, b) == 0);
    if (!(a && b && strcmp(a, b) == 0))
        fprintf(stderr, "  %s differs between the run and the replay\n", name);
    free(a);
    free(b);
}

/* One scenario: run with --record and --out, replay with --out, compare. */
static void run_and_replay(const char *tmp, const char *scenario, double duration_s,
                           int min_measured)
{
    char a_dir[300], b_dir[300], rec[300], err[600];
    snprintf(a_dir, sizeof a_dir, "%s/%s-run", tmp, scenario);
    snprintf(b_dir, sizeof b_dir, "%s/%s-replay", tmp, scenario);
    snprintf(rec, sizeof rec, "%s/%s.fbrec", tmp, scenario);
    fb_scenario sc;
    if (fb_catalog_load(scenario, &sc, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    fb_run_opts o = {.duration_s = duration_s, .out_dir = a_dir, .record_path = rec};
    int st_run = fb_run(&sc, &o, NULL);
    fb_scenario_free(&sc);
    fb_replay_opts ro = {.out_dir = b_dir};
    int st_replay = fb_replay(rec, &ro, NULL);
    printf("%s: run exit %d, replay exit %d\n", scenario, st_run, st_replay);
    CHECK_EQ_INT(st_replay, st_run);

    cJSON *a = load_results(a_dir), *b = load_results(b_dir);
    CHECK(a && b);
    if (a && b) {
        CHECK(cJSON_Compare(a, b, 1));
        if (!cJSON_Compare(a, b, 1)) {
            char *ta = cJSON_Print(a), *tb = cJSON_Print(b);
            fprintf(stderr, "run:\n%s\nreplay:\n%s\n", ta, tb);
            free(ta);
            free(tb);
        }
        /* the comparison means something: people were measured and scored */
        const cJSON *det = cJSON_GetObjectItemCaseSensitive(a, "detection");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(det, "measured");
        CHECK(cJSON_IsNumber(m) && m->valuedouble >= min_measured);
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    same_file(a_dir, b_dir, "junit.xml");
    same_file(a_dir, b_dir, "events.jsonl");
    same_file(a_dir, b_dir, "truth.jsonl");
}

int main(void)
{
    char tmp[] = "/tmp/fb_replay_test.XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    /* 40 s of the default scenario: a stream of people and febrile-a's alarm at ~22 s */
    run_and_replay(tmp, "default", 40, 8);
    /* a bad recording path is a usage error, with the reason */
    CHECK_EQ_INT(fb_replay("/nonexistent/r.fbrec", NULL, NULL), FB_EXIT_USAGE);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return FBTEST_END();
}
