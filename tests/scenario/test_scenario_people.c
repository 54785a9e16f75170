/* test_scenario_people.c — the people, confounder and distractor keys (issue 3B): every value as
 * written, the documented defaults, and that old scenarios load with none of them. */
#include <stdlib.h>
#include "fbtest.h"
#include "scenario/scenario.h"

#define GOOD FB_SOURCE_DIR "/tests/scenario/good/"

static char err[1024];

static void test_people(void)
{
    fb_scenario s;
    int rc = fb_scenario_load(GOOD "people.json", &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_EQ_INT(s.n_subjects, 3);
    const fb_subject_spec *a = &s.subjects[0], *b = &s.subjects[1], *c = &s.subjects[2];
    CHECK(a->glasses && a->hat && a->mask == FB_MASK_N95);
    CHECK(a->has_cold_entry && a->cold_entry_c == -12 && a->cold_entry_ago_s == 45);
    CHECK(a->has_face_wipe && a->face_wipe_ago_s == 70);
    CHECK(a->has_exercise && a->exercise_ago_s == 20);
    CHECK(a->has_hot_drink && a->hot_drink_c == 63.5);
    CHECK(a->has_head_turn && a->head_turn_peak_s == 7.5 && a->head_turn_yaw_deg == -55 &&
          a->head_turn_duration_s == 3);
    CHECK(a->has_dwell && a->dwell_s == 0);
    CHECK(b->mask == FB_MASK_SURGICAL && !b->glasses && !b->hat && !b->has_cold_entry &&
          !b->has_face_wipe && !b->has_exercise && !b->has_hot_drink && !b->has_dwell);
    CHECK(b->has_head_turn && b->head_turn_duration_s == 2); /* default */
    CHECK(c->mask == FB_MASK_NONE && !c->has_head_turn);

    const fb_population_spec *p = &s.population;
    CHECK(p->enabled && p->arrival_rate_per_min == 0);
    CHECK_EQ_INT(p->n_bursts, 2);
    CHECK(p->bursts[0].at_s == 60 && p->bursts[0].count == 25 && p->bursts[0].duration_s == 90);
    CHECK(p->bursts[1].at_s == 200 && p->bursts[1].count == 3 && p->bursts[1].duration_s == 60);
    CHECK(p->glasses_share == 0.1 && p->mask_surgical_share == 0.2 && p->mask_n95_share == 0.3 &&
          p->hat_share == 0.4 && p->cold_entry_share == 0.5 && p->outdoor_c == -10 &&
          p->face_wipe_share == 0.6 && p->exercise_share == 0.7 && p->hot_drink_share == 0.8 &&
          p->head_turn_share == 0.9);
    /* Given without min/max: mean -/+ 3 sd, kept inside [0, 90]. */
    CHECK(p->head_turn_yaw_deg.mean == 30 && p->head_turn_yaw_deg.sd == 10 &&
          p->head_turn_yaw_deg.min == 0 && p->head_turn_yaw_deg.max == 60);

    CHECK(s.screening.max_yaw_deg == 25 && s.screening.stop_distance_m == 1.8 &&
          s.screening.dwell_s == 1.5);

    CHECK_EQ_INT(s.n_distractors, 2);
    const fb_distractor *h = &s.distractors[0], *d = &s.distractors[1];
    CHECK(strcmp(h->id, "heater") == 0 && h->ellipse && h->x_m == -1 && h->y_m == 6 &&
          h->z_m == 1 && h->w_m == 0.8 && h->h_m == 0.6 && h->has_temp && h->temp_c == 60 &&
          h->emissivity == 0.9 && h->has_reflected && h->reflected_c == 30);
    CHECK(strcmp(d->id, "d1") == 0 && !d->ellipse && !d->has_temp && !d->has_reflected &&
          d->emissivity == 0.95);
    fb_scenario_free(&s);
}

/* A scenario without any of the keys: documented defaults, no confounder, no distractor. */
static void test_defaults(void)
{
    static const char text[] = "{\"name\": \"d\", \"duration_s\": 10, \"camera\": \"turret-256\","
                               " \"subjects\": [{\"enter_s\": 0}], \"population\": {}}";
    fb_scenario s;
    int rc = fb_scenario_load_text(text, sizeof text - 1, "d.json", NULL, &s, err, sizeof err);
    CHECK_EQ_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    const fb_subject_spec *a = &s.subjects[0];
    CHECK(!a->glasses && !a->hat && a->mask == FB_MASK_NONE && !a->has_cold_entry &&
          !a->has_face_wipe && !a->has_exercise && !a->has_hot_drink && !a->has_head_turn &&
          !a->has_dwell);
    const fb_population_spec *p = &s.population;
    CHECK_EQ_INT(p->n_bursts, 0);
    CHECK(p->glasses_share == 0 && p->mask_surgical_share == 0 && p->mask_n95_share == 0 &&
          p->hat_share == 0 && p->cold_entry_share == 0 && p->face_wipe_share == 0 &&
          p->exercise_share == 0 && p->hot_drink_share == 0 && p->head_turn_share == 0);
    CHECK(p->outdoor_c == -5);
    CHECK(p->head_turn_yaw_deg.mean == 45 && p->head_turn_yaw_deg.sd == 15 &&
          p->head_turn_yaw_deg.min == 15 && p->head_turn_yaw_deg.max == 80);
    CHECK(s.screening.max_yaw_deg == 30); /* docs/sources.md: viewing angle < 30° adds < 0.05 °C */
    CHECK(s.screening.stop_distance_m == 0 && s.screening.dwell_s == 2);
    CHECK_EQ_INT(s.n_distractors, 0);
    fb_scenario_free(&s);
}

int main(void)
{
    test_people();
    test_defaults();
    return FBTEST_END();
}
