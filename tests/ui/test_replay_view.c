/* test_replay_view.c — `view --replay` shows a recording at the same frames as the live run: same pixels, same truth, same picture of the scene. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "imgread.h"
#include "record/forge.h"
#include "record/record.h"
#include "run/run.h"
#include "view.h"

static int open_at(fb_viewer **v, const char *scenario, const char *replay, uint32_t frame,
                   const char *png, img *im)
{
    fb_viewer_opts o = {.scenario = scenario, .replay = replay, .palette = FB_PAL_IRON,
                        .overlays = FB_OV_ALL, .width = 1280, .height = 720, .headless = true,
                        .duration_s = replay ? 0 : 12};
    char err[700];
    if (fb_viewer_open(v, &o, err, sizeof err) || fb_viewer_seek(*v, frame, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    fb_viewer_draw(*v);
    if (fb_viewer_save_png(*v, png, err, sizeof err) || img_read_png(png, im)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

int main(void)
{
    char tmp[] = "/tmp/fb_ui_replay.XXXXXX", rec[300], pa[300], pb[300], err[600];
    if (!mkdtemp(tmp))
        return 1;
    snprintf(rec, sizeof rec, "%s/d.fbrec", tmp);
    snprintf(pa, sizeof pa, "%s/live.png", tmp);
    snprintf(pb, sizeof pb, "%s/replay.png", tmp);
    fb_scenario sc;
    CHECK(fb_catalog_load("default", &sc, err, sizeof err) == 0);
    fb_run_opts ro = {.duration_s = 12, .record_path = rec};
    CHECK(fb_run(&sc, &ro, NULL) <= 1);
    fb_scenario_free(&sc);

    const uint32_t frames[] = {0, 137, 299};
    for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++) {
        fb_viewer *a = NULL, *b = NULL;
        img ia = {0, 0, NULL}, ib = {0, 0, NULL};
        CHECK(open_at(&a, "default", NULL, frames[k], pa, &ia) == 0);
        CHECK(open_at(&b, NULL, rec, frames[k], pb, &ib) == 0);
        if (!a || !b || !ia.px || !ib.px)
            break;
        int w1, h1, w2, h2;
        const uint16_t *fa = fb_viewer_frame(a, &w1, &h1), *fbp = fb_viewer_frame(b, &w2, &h2);
        CHECK(w1 == w2 && h1 == h2 && fa && fbp);
        CHECK(memcmp(fa, fbp, (size_t)w1 * (size_t)h1 * sizeof *fa) == 0);
        const fb_subject_info *sa, *sb;
        size_t na, nb;
        const fb_truth_frame *ta = fb_viewer_truth(a, &sa, &na), *tb = fb_viewer_truth(b, &sb, &nb);
        CHECK(ta->frame == frames[k] && tb->frame == frames[k] && ta->t_s == tb->t_s);
        CHECK(ta->n_subjects == tb->n_subjects && na == nb);
        for (size_t i = 0; i < ta->n_subjects && i < tb->n_subjects; i++)
            CHECK(ta->subjects[i].face_x == tb->subjects[i].face_x &&
                  ta->subjects[i].canthus_c == tb->subjects[i].canthus_c);
        /* the picture of the scene (image, overlays, colour bar, legend) is the same; only the
         * panel's header says "replay" */
        fb_viewer_info in;
        fb_viewer_get_info(a, &in);
        size_t diff = 0;
        for (int y = 0; y < 650; y++)
            for (int x = 0; x < in.panel_x; x++)
                diff += img_at(&ia, x, y) != img_at(&ib, x, y);
        printf("frame %u: %zu people, %zu differing pixels left of the panel\n",
               (unsigned)frames[k], ta->n_subjects, diff);
        CHECK_EQ_INT(diff, 0);
        free(ia.px);
        free(ib.px);
        fb_viewer_close(a);
        fb_viewer_close(b);
    }
    /* past the end of the recording: a clear error */
    fb_viewer *c;
    fb_viewer_opts o = {.replay = rec, .headless = true, .width = 800, .height = 500};
    CHECK(fb_viewer_open(&c, &o, err, sizeof err) == 0);
    CHECK(fb_viewer_seek(c, 300, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "the run has 300 frames: frame 300 is past its end");
    fb_viewer_close(c);

    /* An event the live link would have refused (a box past the frame's right edge, added by a
     * forger at frame 137) ends the replay there as a DUT fault, as `feverbench replay` judges
     * it; the honest recording plays to its last frame with no fault. */
    char forged[300];
    snprintf(forged, sizeof forged, "%s/forged.fbrec", tmp);
    forgery fg = {.bad_event = 3, .at_frame = 137};
    CHECK(forge(rec, forged, "default", &fg) == 0);
    const char *paths[] = {rec, forged};
    const uint32_t last[] = {299, 137};
    for (int k = 0; k < 2; k++) {
        fb_viewer_opts ro2 = {.replay = paths[k], .headless = true, .width = 800, .height = 500};
        CHECK(fb_viewer_open(&c, &ro2, err, sizeof err) == 0);
        int st;
        while ((st = fb_viewer_step(c)) > 0)
            ;
        CHECK_EQ_INT(st, 0);
        fb_viewer_info in;
        fb_viewer_get_info(c, &in);
        printf("%s: ends at frame %u, fault: %s\n", k ? "forged" : "honest", (unsigned)in.frame,
               in.fault ? in.fault : "none");
        CHECK(in.finished);
        CHECK_EQ_INT(in.frame, last[k]);
        if (k == 0)
            CHECK(in.fault == NULL);
        else
            CHECK(in.fault && strstr(in.fault, "DUT fault at frame 137") &&
                  strstr(in.fault, "outside") && strstr(in.fault, "(found by replay)"));
        fb_viewer_close(c);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return FBTEST_END();
}
