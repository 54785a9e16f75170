/* test_score_report.c — the scorecard, results.json and junit.xml (read back), byte-identical
 * output, atomic writes that fail cleanly, and the JSON Lines streams. */
#include <cJSON.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fb_error.h"
#include "fbtest.h"
#include "report/report.h"
#include "score_fixture.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void path_in(char *out, size_t len, const char *dir, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

static bool exists(const char *dir, const char *name)
{
    char p[512];
    path_in(p, sizeof p, dir, name);
    return access(p, F_OK) == 0;
}

static void clean_dir(const char *dir)
{
    static const char *names[] = {"results.json", "junit.xml", ".results.json.tmp",
                                  ".junit.xml.tmp", "events.jsonl", "truth.jsonl"};
    char p[512];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        path_in(p, sizeof p, dir, names[i]);
        if (remove(p) != 0)
            rmdir(p);
    }
    rmdir(dir);
}

/* Three subjects at 10 fps, frames 0..10, all screenable from frame 2 (0.2 s):
 *   A febrile 38.6: measured at frame 6 (latency 0.4 s), skin 37.40 vs 37.30, body 38.64, alarm
 *   B afebrile 37.0: missed (counted apart from the classification table)
 *   C afebrile 36.6: measured at frame 10 (latency 0.8 s), skin 35.50 vs 35.60, body 36.74
 * Criteria: detection_rate_min 0.5 (2/3: pass), latency_mean_max_s 0.5 (0.6: FAIL).
 * 2 of 3 has the Wilson 95 % interval 0.208–0.939 (tests/score/test_interval.c): 0.5 lies inside,
 * so detection is "inconclusive" (still passing the gate); at a share of 2/3 the interval
 * leaves 0.5 behind at n = 35 (stepping n up in python3). */
static void score_run(fb_results *r, const char *fault)
{
    fb_scenario *sc = fx_scenario(10);
    fx_limit(sc, FB_CRIT_DETECTION_RATE, 0.5);
    fx_limit(sc, FB_CRIT_LATENCY_MEAN, 0.5);
    fb_subject_info info[3] = {fx_info("A", 38.6), fx_info("B", 37.0), fx_info("C", 36.6)};
    fb_score *s = fb_score_new(sc, info, 3);
    for (uint32_t f = 0; f <= 10; f++) {
        fb_truth_subject ts[3] = {fx_ts(0, true, f >= 2, 0, 0, 20, 20, 37.30),
                                  fx_ts(1, true, f >= 2, 40, 0, 20, 20, 35.9),
                                  fx_ts(2, true, f >= 2, 80, 0, 20, 20, 35.60)};
        fb_truth_frame tf = fx_frame(f, 10, ts, 3);
        fb_event e[1];
        size_t k = 0;
        if (f == 6)
            e[k++] = fx_meas(f, f, 10, 0, 0, 20, 20, 37.40, 38.64, 1);
        if (f == 10)
            e[k++] = fx_meas(f, f, 10, 80, 0, 20, 20, 35.50, 36.74, 0);
        fb_score_frame(s, &tf, e, k);
    }
    if (fault)
        fb_score_fault(s, fault);
    CHECK_EQ_INT(fb_score_finish(s, r), 0);
    fb_score_free(s);
    free(sc);
}

static fb_run_info run_info(void)
{
    fb_run_info ri = {
        .version = "0.1.0-test",
        .scenario_name = "hand",
        .scenario_source = "tests/score/hand.json",
        .scenario_hash = 0xdeadbeefull,
        .seed = 18446744073709551615ull,
        .camera_name = "handcam",
        .dut_name = "feverbench-reference 0.1",
        .frames_hash = 0x0123456789abcdefull,
        .frames = 11,
        .fps = 10,
        .duration_s = 1.1,
        .complete = 1,
        .stop_reason = NULL,
    };
    return ri;
}

static const cJSON *jget(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, tok);
    return o;
}

static double jnumv(const cJSON *o, const char *path)
{
    const cJSON *j = jget(o, path);
    return cJSON_IsNumber(j) ? j->valuedouble : -999;
}

static const char *jstrv(const cJSON *o, const char *path)
{
    const cJSON *j = jget(o, path);
    return cJSON_IsString(j) ? j->valuestring : "(not a string)";
}

static void test_results_and_junit(void)
{
    char dir[] = "/tmp/fb_score_report_XXXXXX", dir2[] = "/tmp/fb_score_report_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK(mkdtemp(dir2) != NULL);
    fb_results r;
    score_run(&r, NULL);
    fb_run_info ri = run_info();
    char err[512] = "";
    CHECK_EQ_INT(fb_report_write(dir, &ri, &r, err, sizeof err), 0);
    CHECK(!exists(dir, ".results.json.tmp") && !exists(dir, ".junit.xml.tmp"));

    char p[512];
    path_in(p, sizeof p, dir, "results.json");
    char *text = slurp(p);
    CHECK(text != NULL);
    CHECK_STR_CONTAINS(text, "18446744073709551615"); /* the seed, exactly */
    CHECK_STR_CONTAINS(text, "\"bias_c\":\t0,");         /* 1.8e-14 of float noise: 0 */
    CHECK_STR_CONTAINS(text, "\"detection_rate\":\t0.666666667,");
    cJSON *j = cJSON_Parse(text ? text : "");
    CHECK(j != NULL);
    CHECK_STR_CONTAINS(jstrv(j, "feverbench"), "0.1.0-test");
    CHECK_STR_CONTAINS(jstrv(j, "scenario.name"), "hand");
    CHECK_STR_CONTAINS(jstrv(j, "scenario.source"), "tests/score/hand.json");
    CHECK(strcmp(jstrv(j, "scenario.hash"), "00000000deadbeef") == 0);
    CHECK(strcmp(jstrv(j, "frames_hash"), "0123456789abcdef") == 0);
    CHECK_STR_CONTAINS(jstrv(j, "camera"), "handcam");
    CHECK_EQ_INT(jnumv(j, "frames"), 11);
    CHECK_NEAR(jnumv(j, "fps"), 10, 0);
    CHECK_NEAR(jnumv(j, "duration_s"), 1.1, 1e-12);
    CHECK(cJSON_IsTrue(jget(j, "complete")));
    CHECK(cJSON_IsNull(jget(j, "stop_reason")));
    CHECK_NEAR(jnumv(j, "classification.fever_threshold_c"), 37.5, 0); /* truth */
    CHECK_NEAR(jnumv(j, "classification.alarm_threshold_c"), 38.0, 0); /* the device's setting */
    CHECK_EQ_INT(jnumv(j, "detection.screenable"), 3);
    CHECK_EQ_INT(jnumv(j, "detection.measured"), 2);
    CHECK_EQ_INT(jnumv(j, "detection.missed"), 1);
    CHECK_NEAR(jnumv(j, "detection.detection_rate"), 2.0 / 3.0, 1e-9);
    CHECK_NEAR(jnumv(j, "detection.latency_mean_s"), 0.6, 1e-9);
    CHECK_NEAR(jnumv(j, "detection.latency_median_s"), 0.6, 1e-9);
    CHECK_NEAR(jnumv(j, "detection.latency_p95_s"), 0.8, 1e-9);
    CHECK_NEAR(jnumv(j, "detection.latency_max_s"), 0.8, 1e-9);
    /* Skin errors +0.10, -0.10: bias 0, SD sqrt(0.02), MAE 0.1; body +0.04, +0.14. */
    CHECK_EQ_INT(jnumv(j, "accuracy.skin.n"), 2);
    CHECK_NEAR(jnumv(j, "accuracy.skin.bias_c"), 0.0, 1e-9);
    CHECK_NEAR(jnumv(j, "accuracy.skin.sd_c"), sqrt(0.02), 1e-9);
    CHECK_NEAR(jnumv(j, "accuracy.skin.mae_c"), 0.1, 1e-9);
    CHECK_NEAR(jnumv(j, "accuracy.skin.loa_hi_c"), 1.96 * sqrt(0.02), 1e-9);
    CHECK_NEAR(jnumv(j, "accuracy.body.bias_c"), 0.09, 1e-9);
    CHECK_NEAR(jnumv(j, "accuracy.body.within_0_3"), 1.0, 0);
    CHECK_EQ_INT(jnumv(j, "classification.tp"), 1);
    CHECK_EQ_INT(jnumv(j, "classification.fp"), 0);
    CHECK_EQ_INT(jnumv(j, "classification.tn"), 1);
    CHECK_EQ_INT(jnumv(j, "detection.missed_afebrile"), 1);
    CHECK_EQ_INT(jnumv(j, "detection.missed_febrile"), 0);
    CHECK_EQ_INT(jnumv(j, "detection.min_screenable_frames"), FB_MIN_SCREENABLE_FRAMES);
    CHECK_EQ_INT(jnumv(cJSON_GetArrayItem(jget(j, "subjects"), 0), "screenable_frames"), 9);
    CHECK_EQ_INT(jnumv(j, "classification.fn"), 0);
    CHECK_NEAR(jnumv(j, "classification.sensitivity"), 1.0, 0);
    CHECK_NEAR(jnumv(j, "classification.auc"), 1.0, 0);
    CHECK_NEAR(jnumv(j, "throughput_per_min"), 2 / (1.1 / 60), 1e-7);
    CHECK_EQ_INT(jnumv(j, "faults.count"), 0);
    CHECK(cJSON_IsNull(jget(j, "faults.first")));
    CHECK(cJSON_IsFalse(jget(j, "pass")));

    const cJSON *crit = jget(j, "criteria");
    CHECK_EQ_INT(cJSON_GetArraySize(crit), 2);
    const cJSON *c1 = cJSON_GetArrayItem(crit, 1);
    CHECK(strcmp(jstrv(c1, "key"), "latency_mean_max_s") == 0);
    CHECK_NEAR(jnumv(c1, "limit"), 0.5, 0);
    CHECK_NEAR(jnumv(c1, "actual"), 0.6, 1e-9);
    CHECK(cJSON_IsFalse(jget(c1, "pass")));
    CHECK(strcmp(jstrv(c1, "unit"), "s") == 0);
    CHECK_STR_CONTAINS(jstrv(c1, "what"), "latency");
    const cJSON *c0 = cJSON_GetArrayItem(crit, 0);
    CHECK(cJSON_IsTrue(jget(c0, "pass")));
    CHECK(strcmp(jstrv(c0, "verdict"), "inconclusive") == 0);
    CHECK_EQ_INT(jnumv(c0, "n"), 3);
    CHECK_NEAR(cJSON_GetArrayItem(jget(c0, "ci95"), 0)->valuedouble, 0.207659601, 1e-9);
    CHECK_NEAR(cJSON_GetArrayItem(jget(c0, "ci95"), 1)->valuedouble, 0.938508055, 1e-9);
    CHECK_EQ_INT(jnumv(c0, "n_to_settle"), 35);
    /* latencies 0.4 and 0.8 s: every bootstrap mean is 0.4, 0.6 or 0.8 (each of the first and
     * last with probability 1/4, far above 2.5 %), so the interval is 0.4–0.8 by hand; it holds
     * the 0.5 limit: inconclusive, and d = 0.2, gap 0.1 give n ~ 2 · (0.2 / 0.1)² = 8 */
    CHECK(strcmp(jstrv(c1, "verdict"), "inconclusive") == 0);
    CHECK_EQ_INT(jnumv(c1, "n"), 2);
    CHECK_NEAR(cJSON_GetArrayItem(jget(c1, "ci95"), 0)->valuedouble, 0.4, 1e-9);
    CHECK_NEAR(cJSON_GetArrayItem(jget(c1, "ci95"), 1)->valuedouble, 0.8, 1e-9);
    CHECK_EQ_INT(jnumv(c1, "n_to_settle"), 8);
    /* two latencies bound neither end of a median ([0, null]) and only the lower end of a p95:
     * P(B <= 0) = 0.05² = 0.0025 <= 0.025 with B ~ Binomial(2, 0.95), so x(1) = 0.4 */
    CHECK_EQ_INT(jnumv(j, "detection.latency_n"), 2);
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "detection.latency_median_ci95_s"), 0)->valuedouble, 0, 0);
    CHECK(cJSON_IsNull(cJSON_GetArrayItem(jget(j, "detection.latency_median_ci95_s"), 1)));
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "detection.latency_p95_ci95_s"), 0)->valuedouble, 0.4, 1e-9);
    CHECK(cJSON_IsNull(cJSON_GetArrayItem(jget(j, "detection.latency_p95_ci95_s"), 1)));
    /* AUC 1 over one febrile and one afebrile person: Newcombe = Wilson's 1 of 1, 0.2065–1 */
    CHECK_EQ_INT(jnumv(j, "classification.auc_n_febrile"), 1);
    CHECK_EQ_INT(jnumv(j, "classification.auc_n_afebrile"), 1);
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "classification.auc_ci95"), 0)->valuedouble,
               1 / (1 + FB_Z95 * FB_Z95), 1e-9);
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "classification.auc_ci95"), 1)->valuedouble, 1, 0);
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "detection.detection_rate_ci95"), 0)->valuedouble,
               0.207659601, 1e-9);
    CHECK_EQ_INT(jnumv(j, "classification.sensitivity_n"), 1);
    /* 1 of 1: Wilson 1/(1 + z²) = 0.2065 to 1 */
    CHECK_NEAR(cJSON_GetArrayItem(jget(j, "classification.sensitivity_ci95"), 0)->valuedouble,
               1 / (1 + FB_Z95 * FB_Z95), 1e-9);
    /* two skin errors, one bootstrap interval with n = 2 */
    CHECK(cJSON_IsArray(jget(j, "accuracy.skin.mae_ci95_c")));

    const cJSON *subj = jget(j, "subjects");
    CHECK_EQ_INT(cJSON_GetArraySize(subj), 3);
    const cJSON *sa = cJSON_GetArrayItem(subj, 0), *sb = cJSON_GetArrayItem(subj, 1);
    CHECK(strcmp(jstrv(sa, "id"), "A") == 0);
    CHECK(strcmp(jstrv(sa, "status"), "measured") == 0);
    CHECK_NEAR(jnumv(sa, "latency_s"), 0.4, 1e-9);
    CHECK_NEAR(jnumv(sa, "skin_reported_c"), 37.40, 1e-9);
    CHECK(cJSON_IsTrue(jget(sa, "alarm")));
    CHECK(cJSON_IsTrue(jget(sa, "febrile")));
    CHECK(strcmp(jstrv(sb, "status"), "missed") == 0);
    CHECK(cJSON_IsNull(jget(sb, "latency_s")));    /* NAN -> null */
    CHECK(cJSON_IsNull(jget(sb, "measured_at_s")));
    CHECK_NEAR(jnumv(sb, "screenable_from_s"), 0.2, 1e-12);
    cJSON_Delete(j);

    path_in(p, sizeof p, dir, "junit.xml");
    char *xml = slurp(p);
    CHECK_STR_CONTAINS(xml, "<testsuite name=\"feverbench.hand\" tests=\"4\" failures=\"1\"");
    CHECK_STR_CONTAINS(xml, "<property name=\"seed\" value=\"18446744073709551615\"/>");
    CHECK_STR_CONTAINS(xml, "<property name=\"version\" value=\"0.1.0-test\"/>");
    CHECK_STR_CONTAINS(xml, "<property name=\"scenario_hash\" value=\"00000000deadbeef\"/>");
    CHECK_STR_CONTAINS(xml, "<testcase name=\"detection_rate_min\" classname=\"hand\">\n"
                            "    <system-out>inconclusive: 95 % CI 0.208..0.939 (n 3) contains the "
                            "limit; n ~ 35 would settle it</system-out>");
    CHECK_STR_CONTAINS(xml, "<testcase name=\"latency_mean_max_s\" classname=\"hand\">\n"
                            "    <failure type=\"criterion\" message=\"actual 0.6, expected &lt;= 0.5; "
                            "inconclusive: 95 % CI 0.400..0.800 (n 2) contains the limit; n ~ 8 would "
                            "settle it\">");
    CHECK_STR_CONTAINS(xml, "<testcase name=\"dut_faults\" classname=\"hand\"/>");
    CHECK_STR_CONTAINS(xml, "<testcase name=\"run_complete\" classname=\"hand\"/>");
    CHECK_STR_CONTAINS(xml, "</testsuite>\n");

    /* Same inputs -> byte-identical files, in the same directory again and in another. */
    CHECK_EQ_INT(fb_report_write(dir2, &ri, &r, err, sizeof err), 0);
    CHECK_EQ_INT(fb_report_write(dir, &ri, &r, err, sizeof err), 0);
    char p2[512];
    path_in(p, sizeof p, dir, "results.json");
    path_in(p2, sizeof p2, dir2, "results.json");
    char *a = slurp(p), *b = slurp(p2);
    CHECK(a && b && strcmp(a, b) == 0 && text && strcmp(a, text) == 0);
    free(a);
    free(b);
    path_in(p, sizeof p, dir, "junit.xml");
    path_in(p2, sizeof p2, dir2, "junit.xml");
    a = slurp(p);
    b = slurp(p2);
    CHECK(a && b && xml && strcmp(a, b) == 0 && strcmp(a, xml) == 0);
    free(a);
    free(b);
    free(text);
    free(xml);
    fb_results_free(&r);
    clean_dir(dir);
    clean_dir(dir2);
}

/* A fault, an early stop and hostile strings from the DUT. */
static void test_fault_incomplete_escaping(void)
{
    char dir[] = "/tmp/fb_score_report_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    fb_results r;
    score_run(&r, "DUT timed out after frame 10 (5 s) <&>");
    fb_run_info ri = run_info();
    ri.dut_name = "ev<il>&\"co'\x01\xff";
    ri.complete = 0;
    ri.stop_reason = "DUT fault";
    char err[512] = "";
    CHECK_EQ_INT(fb_report_write(dir, &ri, &r, err, sizeof err), 0);

    char p[512];
    path_in(p, sizeof p, dir, "results.json");
    char *text = slurp(p);
    cJSON *j = cJSON_Parse(text ? text : "");
    CHECK(j != NULL);
    CHECK(strcmp(jstrv(j, "dut"), "ev<il>&\"co'??") == 0);
    CHECK(cJSON_IsFalse(jget(j, "complete")));
    CHECK(strcmp(jstrv(j, "stop_reason"), "DUT fault") == 0);
    CHECK_EQ_INT(jnumv(j, "faults.count"), 1);
    CHECK_STR_CONTAINS(jstrv(j, "faults.first"), "DUT timed out after frame 10");
    CHECK(cJSON_IsFalse(jget(j, "pass")));
    cJSON_Delete(j);
    free(text);

    path_in(p, sizeof p, dir, "junit.xml");
    char *xml = slurp(p);
    CHECK_STR_CONTAINS(xml, "tests=\"4\" failures=\"3\"");
    CHECK_STR_CONTAINS(xml, "<property name=\"dut\" value=\"ev&lt;il&gt;&amp;&quot;co&apos;??\"/>");
    CHECK_STR_CONTAINS(xml, "<testcase name=\"dut_faults\" classname=\"hand\">\n    <failure "
                            "type=\"dut_fault\" message=\"1 DUT fault, first: DUT timed out after "
                            "frame 10 (5 s) &lt;&amp;&gt;\">");
    CHECK_STR_CONTAINS(xml, "<failure type=\"incomplete\" message=\"run stopped early: DUT fault\"/>");
    free(xml);
    fb_results_free(&r);
    clean_dir(dir);
}

static void test_write_failures(void)
{
    fb_results r;
    score_run(&r, NULL);
    fb_run_info ri = run_info();
    char err[512] = "";

    /* A directory that does not exist. */
    char dir[] = "/tmp/fb_score_report_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char missing[512];
    path_in(missing, sizeof missing, dir, "nonexistent");
    CHECK_EQ_INT(fb_report_write(missing, &ri, &r, err, sizeof err), FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "/nonexistent/results.json: ");
    CHECK_STR_CONTAINS(err, strerror(ENOENT));

    /* rename() fails (results.json is a directory): the temp file is removed. */
    char p[512];
    path_in(p, sizeof p, dir, "results.json");
    CHECK(mkdir(p, 0700) == 0);
    err[0] = '\0';
    CHECK_EQ_INT(fb_report_write(dir, &ri, &r, err, sizeof err), FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "/results.json: ");
    CHECK(!exists(dir, ".results.json.tmp"));
    CHECK(!exists(dir, "junit.xml"));
    rmdir(p);

    /* A write fails (file size limit): FB_ERR_IO, no temp file, no half-written results.json. */
    struct rlimit old, lim;
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim = old;
    lim.rlim_cur = 300;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    err[0] = '\0';
    int rc = fb_report_write(dir, &ri, &r, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ_INT(rc, FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "/results.json: ");
    CHECK_STR_CONTAINS(err, strerror(EFBIG));
    CHECK(!exists(dir, ".results.json.tmp"));
    CHECK(!exists(dir, "results.json"));

    /* Streams: a missing directory, then a write error reported at close. */
    err[0] = '\0';
    CHECK(fb_stream_open(missing, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "/nonexistent/events.jsonl: ");
    fb_stream *st = fb_stream_open(dir, err, sizeof err);
    CHECK(st != NULL);
    fb_truth_subject ts = fx_ts(0, true, true, 1, 2, 3, 4, 35.0);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    for (uint32_t f = 0; f < 2000; f++) {
        fb_truth_frame tf = fx_frame(f, 10, &ts, 1);
        fb_stream_truth(st, &tf);
    }
    err[0] = '\0';
    rc = fb_stream_close(st, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ_INT(rc, FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "/truth.jsonl: ");
    CHECK_STR_CONTAINS(err, strerror(EFBIG));

    CHECK_EQ_INT(fb_report_write(NULL, &ri, &r, err, sizeof err), FB_ERR_ARG);
    fb_results_free(&r);
    clean_dir(dir);
}

static void test_streams(void)
{
    char dir[] = "/tmp/fb_score_report_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char err[512] = "";
    fb_stream *st = fb_stream_open(dir, err, sizeof err);
    CHECK(st != NULL);
    if (!st)
        return;
    fb_truth_subject ts[2] = {fx_ts(0, true, true, 10.5, 20.25, 30, 40, 35.65),
                              fx_ts(3, false, false, -5, 0, 8, 8, 34.0)};
    for (uint32_t f = 0; f < 3; f++) {
        fb_truth_frame tf = fx_frame(f, 25, ts, f == 0 ? 0 : 2);
        if (f == 2)
            tf.blackbody_c = NAN;
        fb_stream_truth(st, &tf);
    }
    fb_event ev[2];
    memset(ev, 0, sizeof ev);
    ev[0] = fx_meas(1, 2, 25, 11, 21, 29, 38, 35.80, 37.04, 1);
    ev[1].ev.kind = FBFW_EV_STATUS;
    ev[1].ev.status = FBFW_STATUS_BLACKBODY_LOST;
    ev[1].arrival_frame = 2;
    ev[1].arrival_t_s = 0.08;
    fb_stream_events(st, ev, 2);
    CHECK_EQ_INT(fb_stream_close(st, err, sizeof err), 0);

    char p[512];
    path_in(p, sizeof p, dir, "truth.jsonl");
    char *text = slurp(p);
    CHECK(text != NULL);
    int lines = 0;
    for (char *line = strtok(text ? text : (char[]){""}, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        CHECK(j != NULL);
        CHECK_EQ_INT(jnumv(j, "frame"), lines);
        CHECK_NEAR(jnumv(j, "t_s"), lines / 25.0, 1e-6);
        CHECK_NEAR(jnumv(j, "ambient_c"), 22.0, 1e-9);
        const cJSON *subs = jget(j, "subjects");
        CHECK_EQ_INT(cJSON_GetArraySize(subs), lines == 0 ? 0 : 2);
        if (lines == 2) {
            CHECK(cJSON_IsNull(jget(j, "blackbody_c")));
            const cJSON *s0 = cJSON_GetArrayItem(subs, 0), *s1 = cJSON_GetArrayItem(subs, 1);
            const cJSON *face = jget(s0, "face");
            CHECK_EQ_INT(cJSON_GetArraySize(face), 4);
            CHECK_NEAR(cJSON_GetArrayItem(face, 0)->valuedouble, 10.5, 1e-9);
            CHECK_NEAR(cJSON_GetArrayItem(face, 1)->valuedouble, 20.25, 1e-9);
            CHECK_NEAR(cJSON_GetArrayItem(face, 3)->valuedouble, 40, 1e-9);
            CHECK_NEAR(jnumv(s0, "canthus_c"), 35.65, 1e-9);
            CHECK_NEAR(jnumv(s0, "distance_m"), 2.0, 1e-9);
            CHECK_NEAR(jnumv(s0, "face_px"), 30, 1e-9);
            CHECK_NEAR(jnumv(s0, "face_visible"), 1.0, 1e-9);
            CHECK_NEAR(jnumv(s0, "canthus_visible"), 1.0, 1e-9);
            CHECK(cJSON_IsTrue(jget(s0, "screenable")));
            CHECK_EQ_INT(jnumv(s1, "subject"), 3);
            CHECK(cJSON_IsFalse(jget(s1, "screenable")));
        } else {
            CHECK_NEAR(jnumv(j, "blackbody_c"), 35.0, 1e-9);
        }
        cJSON_Delete(j);
        lines++;
    }
    CHECK_EQ_INT(lines, 3);
    free(text);

    path_in(p, sizeof p, dir, "events.jsonl");
    text = slurp(p);
    char *nl = text ? strchr(text, '\n') : NULL;
    CHECK(nl != NULL);
    if (nl) {
        *nl = '\0';
        cJSON *e0 = cJSON_Parse(text), *e1 = cJSON_Parse(nl + 1);
        CHECK(e0 && e1);
        CHECK_EQ_INT(jnumv(e0, "arrival_frame"), 2);
        CHECK_NEAR(jnumv(e0, "arrival_t_s"), 0.08, 1e-9);
        CHECK(strcmp(jstrv(e0, "kind"), "measurement") == 0);
        CHECK_EQ_INT(jnumv(e0, "frame"), 1);
        CHECK_EQ_INT(jnumv(e0, "track_id"), 1001);
        const cJSON *box = jget(e0, "box");
        CHECK_EQ_INT(cJSON_GetArraySize(box), 4);
        CHECK_EQ_INT(cJSON_GetArrayItem(box, 0)->valuedouble, 11);
        CHECK_EQ_INT(cJSON_GetArrayItem(box, 3)->valuedouble, 38);
        CHECK_NEAR(jnumv(e0, "skin_c"), 35.80, 1e-9);
        CHECK_NEAR(jnumv(e0, "body_c"), 37.04, 1e-9);
        CHECK(cJSON_IsTrue(jget(e0, "alarm")));
        CHECK(strcmp(jstrv(e1, "kind"), "status") == 0);
        CHECK_EQ_INT(jnumv(e1, "status"), FBFW_STATUS_BLACKBODY_LOST);
        CHECK(cJSON_IsFalse(jget(e1, "alarm")));
        cJSON_Delete(e0);
        cJSON_Delete(e1);
    }
    free(text);
    CHECK_EQ_INT(fb_stream_close(NULL, err, sizeof err), 0);
    clean_dir(dir);
}

static char *scorecard(const fb_run_info *ri, const fb_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fb_report_scorecard(f, ri, r);
    fclose(f);
    return buf;
}

static void test_scorecard(void)
{
    fb_results r;
    score_run(&r, NULL);
    fb_run_info ri = run_info();
    char *card = scorecard(&ri, &r);
    CHECK_STR_CONTAINS(card, "feverbench 0.1.0-test\n");
    CHECK_STR_CONTAINS(card, "scenario    hand  (tests/score/hand.json, hash 00000000deadbeef)");
    CHECK_STR_CONTAINS(card, "seed        18446744073709551615\n");
    CHECK_STR_CONTAINS(card, "camera      handcam\n");
    CHECK_STR_CONTAINS(card, "DUT         feverbench-reference 0.1\n");
    CHECK_STR_CONTAINS(card, "frames      11  (1.10 s at 10 fps");
    CHECK_STR_CONTAINS(card, "screenable subjects     3 (of 3; screenable in >= 3 frames)");
    CHECK_STR_CONTAINS(card, "measured                2  (66.7 %, 95 % CI 20.8–93.9 %)");
    CHECK_STR_CONTAINS(card, "sensitivity 1.000  (1/1, 95 % CI 0.207–1.000)");
    /* the fever definition (truth) and the device's setting, said apart, from the scenario */
    CHECK_STR_CONTAINS(card, "  fever (truth): core ≥ 37.50 °C; the device alarms at 38.00 °C (its own setting)\n");
    CHECK_STR_CONTAINS(card, "missed                  1  (febrile 0, afebrile 1)");
    CHECK_STR_CONTAINS(card, "mean 0.60  median 0.60  p95 0.80  max 0.80");
    CHECK_STR_CONTAINS(card, "  skin       2   ");
    CHECK_STR_CONTAINS(card, "0.000   0.141   0.100");
    CHECK_STR_CONTAINS(card, "TP 1  FP 0  TN 1  FN 0");
    CHECK_STR_CONTAINS(card, "specificity 1.000  (1/1, 95 % CI 0.207–1.000)");
    CHECK_STR_CONTAINS(card, "PPV 1.000  (1/1, 95 % CI 0.207–1.000)  AUC 1.000");
    CHECK_STR_CONTAINS(card, "109.09 screened subjects/min");
    CHECK_STR_CONTAINS(card, "Faults\n  none\n");
    CHECK_STR_CONTAINS(card, "  PASS  detection_rate_min       0.666667 >= 0.5  (n 3, 95 % CI 0.208 "
                             ".. 0.939)  inconclusive: n ~ 35 would settle it\n");
    CHECK_STR_CONTAINS(card, "  FAIL  latency_mean_max_s       0.6 s <= 0.5 s  (n 2, 95 % CI 0.400 .. "
                             "0.800)  inconclusive: n ~ 8 would settle it\n");
    CHECK_STR_CONTAINS(card, "mean 0.60  median 0.60  p95 0.80  max 0.80  (n 2)\n"
                             "    95 % CI              mean 0.40–0.80  median 0.00–unbounded  p95 "
                             "0.40–unbounded\n");
    CHECK_STR_CONTAINS(card, "  AUC over 1 febrile and 1 afebrile measured, 95 % CI 0.207–1.000\n");
    CHECK_STR_CONTAINS(card, "RESULT: FAIL (1 of 2 criteria failed)\n");
    CHECK(!strstr(card ? card : "", "INCOMPLETE"));
    free(card);

    ri.complete = 0;
    ri.stop_reason = "interrupted";
    card = scorecard(&ri, &r);
    CHECK_STR_CONTAINS(card, "INCOMPLETE  interrupted\n");
    CHECK_STR_CONTAINS(card, "RESULT: FAIL (run incomplete: interrupted; 1 of 2 criteria failed)");
    free(card);
    fb_results_free(&r);

    /* Nothing scored: undefined values print as n/a, no criteria, a pass. */
    fb_scenario *sc = fx_scenario(10);
    fb_score *s = fb_score_new(sc, NULL, 0);
    fb_truth_frame tf = fx_frame(0, 10, NULL, 0);
    fb_score_frame(s, &tf, NULL, 0);
    CHECK_EQ_INT(fb_score_finish(s, &r), 0);
    fb_score_free(s);
    ri = run_info();
    card = scorecard(&ri, &r);
    CHECK_STR_CONTAINS(card, "measured                0  (n/a)");
    CHECK_STR_CONTAINS(card, "mean n/a  median n/a  p95 n/a  max n/a");
    CHECK_STR_CONTAINS(card, "sensitivity n/a  (0/0)\n  specificity n/a  (0/0)\n  PPV n/a  (0/0)  AUC n/a");
    CHECK_STR_CONTAINS(card, "(none set)");
    CHECK_STR_CONTAINS(card, "RESULT: PASS (0 of 0 criteria met, no DUT faults)");
    free(card);

    /* A fault names itself and fails the run. */
    s = fb_score_new(sc, NULL, 0);
    fb_score_frame(s, &tf, NULL, 0);
    fb_score_fault(s, "bad CRC\x1b[31m");
    fb_results r2;
    CHECK_EQ_INT(fb_score_finish(s, &r2), 0);
    fb_score_free(s);
    card = scorecard(&ri, &r2);
    CHECK_STR_CONTAINS(card, "1 DUT fault, first: bad CRC?[31m\n"); /* no terminal escapes */
    CHECK_STR_CONTAINS(card, "RESULT: FAIL (1 DUT fault)");
    free(card);
    fb_results_free(&r2);
    fb_results_free(&r);
    free(sc);
}

int main(void)
{
    test_results_and_junit();
    test_fault_incomplete_escaping();
    test_write_failures();
    test_streams();
    test_scorecard();
    return FBTEST_END();
}
