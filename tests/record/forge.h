/* forge.h — copies a recording as a forger would (CRCs, counts and hashes made right by the
 * writer), changing what a test names: for the tests that check a recording is evidence. */
#ifndef FB_TEST_FORGE_H
#define FB_TEST_FORGE_H

#include <stdio.h>
#include <string.h>
#include "fbtest.h"
#include "record/record.h"
#include "scenario/catalog.h"
#include "util/hash.h"
#include "world/world.h"

/* What a forger changes while copying a recording (CRCs, counts and hashes all made right by
 * the writer, as a forger would). */
typedef struct forgery {
    bool drop_criteria;      /* HEAD without the criteria table, same scenario hash */
    int bad_event;           /* 0 none; 1 unknown kind, 2 alarm 7, 3 box outside the frame,
                              * 4 65 events in a frame, 5 an event naming a later frame */
    uint32_t at_frame;       /* where the bad event goes */
    const char *stop_reason; /* non-NULL: END says incomplete, with this reason */
} forgery;

static inline void bad_events(const forgery *fg, uint32_t frame, fb_event *ev, size_t *n)
{
    fb_event e = {.ev = {.kind = FBFW_EV_MEASUREMENT, .frame = frame, .track_id = 99,
                         .box_x = 10, .box_y = 10, .box_w = 20, .box_h = 24,
                         .skin_ck = 30915, .body_ck = 31015},
                  .arrival_frame = frame,
                  .arrival_t_s = 0};
    switch (fg->bad_event) {
    case 1: e.ev.kind = 7; break;
    case 2: e.ev.alarm = 7; break;
    case 3: e.ev.box_x = 250; break; /* 250 + 20 > 256 */
    case 5: e.ev.frame = frame + 1; break;
    default: break;
    }
    size_t k = fg->bad_event == 4 ? 65 : 1;
    for (size_t i = 0; i < k; i++)
        ev[(*n)++] = e;
}

/* Copies src to dst through the reader and the writer, applying fg. Returns 0 or -1. */
static inline int forge(const char *src, const char *dst, const char *scenario, const forgery *fg)
{
    char err[600];
    fb_recording *r;
    if (fb_recording_open(&r, src, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    fb_scenario sc;
    fb_world w;
    CHECK(fb_catalog_load(scenario, &sc, err, sizeof err) == 0);
    CHECK(fb_world_init(&w, &sc, err, sizeof err) == 0);
    const fb_record_header *h = fb_recording_header(r);
    sc.hash = h->scenario_hash;
    if (fg->drop_criteria)
        memset(sc.criteria, 0, sizeof sc.criteria);
    fb_record *out;
    CHECK(fb_record_open(&out, dst, &sc, &w, h->dut_name, h->dut_spec, err, sizeof err) == 0);
    static fb_event ev[200];
    uint64_t fh = FB_FRAMES_HASH_INIT;
    size_t npx = (size_t)h->width * h->height;
    fb_record_frame_view v;
    int rc;
    while ((rc = fb_recording_next(r, &v, err, sizeof err)) > 0) {
        if (rc == FB_REC_FAULT) {
            fb_record_fault(out, v.fault);
            continue;
        }
        size_t n = v.n_events;
        memcpy(ev, v.events, n * sizeof *ev);
        if (fg->bad_event && v.truth.frame == fg->at_frame)
            bad_events(fg, v.truth.frame, ev, &n);
        fb_record_frame(out, &v.truth, v.frame_ck, ev, n);
        fh = fb_frames_hash(fh, v.frame_ck, npx * sizeof *v.frame_ck);
    }
    CHECK_EQ_INT(rc, 0);
    const fb_record_end *end = fb_recording_end(r);
    if (end && end->have_audit)
        fb_record_audit(out, end->audit_clean, end->egress_attempts, end->sandbox_violations);
    CHECK(fb_record_close(out, fh, fg->stop_reason == NULL && end && end->complete,
                          fg->stop_reason, err, sizeof err) == 0);
    fb_world_free(&w);
    fb_scenario_free(&sc);
    fb_recording_close(r);
    return 0;
}

#endif
