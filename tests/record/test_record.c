/* test_record.c — recordings: what is written reads back exactly, and a damaged or lying file gives a clear error, never a crash. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/catalog.h"
#include "fb_error.h"
#include "fbtest.h"
#include "util/hash.h"
#include "record/record.h"
#include "run/run.h"

static char tmpdir[256];

/* ---- a recording made through the session API, with what was recorded kept in memory ---- */

typedef struct kept_frame {
    uint64_t hash;
    fb_truth_frame tf;
    fb_truth_subject *subj;
    fb_event *ev;
    size_t n_ev;
} kept_frame;

typedef struct kept {
    kept_frame *f;
    size_t n;
    fb_scenario sc;
    size_t n_subjects;
    int w, h;
} kept;

static int record_run(const char *scenario, double duration_s, const char *path, kept *k)
{
    char err[600];
    memset(k, 0, sizeof *k);
    if (fb_catalog_load(scenario, &k->sc, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    fb_run_opts o = {.duration_s = duration_s, .record_path = path};
    fb_session *s;
    if (fb_session_open(&s, &k->sc, &o, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    k->w = k->sc.camera.width;
    k->h = k->sc.camera.height;
    k->n_subjects = fb_session_world(s)->n_subjects;
    size_t cap = (size_t)ceil(duration_s * k->sc.camera.fps) + 2;
    k->f = calloc(cap, sizeof *k->f);
    while (fb_session_step(s) > 0 && k->n < cap) {
        kept_frame *f = &k->f[k->n++];
        f->hash = fb_hash64(FB_HASH_INIT, fb_session_frame_ck(s),
                            (size_t)k->w * (size_t)k->h * sizeof(uint16_t));
        f->tf = fb_world_truth(fb_session_world(s));
        f->subj = malloc((f->tf.n_subjects + 1) * sizeof *f->subj);
        memcpy(f->subj, f->tf.subjects, f->tf.n_subjects * sizeof *f->subj);
        const fb_event *ev = fb_session_events(s, &f->n_ev);
        f->ev = malloc((f->n_ev + 1) * sizeof *f->ev);
        memcpy(f->ev, ev, f->n_ev * sizeof *f->ev);
    }
    fb_results r;
    fb_run_info info;
    int rc = fb_session_finish(s, &r, &info);
    fb_results_free(&r);
    fb_session_close(s);
    return rc;
}

static void kept_free(kept *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->f[i].subj);
        free(k->f[i].ev);
    }
    free(k->f);
    fb_scenario_free(&k->sc);
}

static int same_truth_subject(const fb_truth_subject *a, const fb_truth_subject *b)
{
    return a->subject == b->subject && a->in_view == b->in_view && a->screenable == b->screenable &&
           a->distance_m == b->distance_m && a->face_x == b->face_x && a->face_y == b->face_y &&
           a->face_w == b->face_w && a->face_h == b->face_h && a->face_px == b->face_px &&
           a->face_visible == b->face_visible && a->canthus_c == b->canthus_c &&
           a->yaw_deg == b->yaw_deg && a->canthus_visible == b->canthus_visible;
}

static int same_event(const fb_event *a, const fb_event *b)
{
    const fbfw_event *x = &a->ev, *y = &b->ev;
    return x->kind == y->kind && x->alarm == y->alarm && x->status == y->status &&
           x->frame == y->frame && x->track_id == y->track_id && x->box_x == y->box_x &&
           x->box_y == y->box_y && x->box_w == y->box_w && x->box_h == y->box_h &&
           x->skin_ck == y->skin_ck && x->body_ck == y->body_ck &&
           a->arrival_frame == b->arrival_frame && a->arrival_t_s == b->arrival_t_s;
}

/* Everything recorded reads back bit for bit; rewinding reads it again. */
static void test_roundtrip(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/rt.fbrec", tmpdir);
    kept k;
    CHECK(record_run("default", 16, path, &k) == 0);
    CHECK(k.n == 400);
    char err[600];
    fb_recording *r;
    int rc = fb_recording_open(&r, path, err, sizeof err);
    CHECK(rc == 0);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        kept_free(&k);
        return;
    }
    const fb_record_header *h = fb_recording_header(r);
    CHECK_EQ_INT(h->version_major, FB_REC_VERSION_MAJOR);
    CHECK_EQ_INT(h->width, k.w);
    CHECK_EQ_INT(h->height, k.h);
    CHECK(h->fps == k.sc.camera.fps);
    CHECK(h->seed == k.sc.seed);
    CHECK(h->scenario_hash == k.sc.hash);
    CHECK_EQ_INT(h->frames_planned, 400);
    CHECK(strcmp(h->scenario_name, "default") == 0);
    CHECK(strcmp(h->camera_name, k.sc.camera.name) == 0);
    CHECK(strstr(h->dut_name, "reference") != NULL);
    CHECK(h->blackbody.enabled && h->blackbody.set_c == k.sc.blackbody.set_c);
    CHECK(h->alarm_threshold_c == k.sc.dut.alarm_threshold_c);
    for (int i = 0; i < FB_CRIT_COUNT; i++) {
        CHECK(h->criteria[i].set == k.sc.criteria[i].set);
        CHECK(h->criteria[i].limit == k.sc.criteria[i].limit);
    }
    CHECK(strstr(fb_recording_scenario_text(r), "\"shift change") != NULL ||
          strstr(fb_recording_scenario_text(r), "shift change") != NULL);
    size_t n_subj;
    const fb_subject_info *si = fb_recording_subjects(r, &n_subj);
    CHECK_EQ_INT(n_subj, k.n_subjects);
    size_t fa = 0;
    while (fa < n_subj && strcmp(si[fa].id, "febrile-a") != 0)
        fa++;
    CHECK(n_subj > 2 && fa < n_subj && si[fa].febrile && si[fa].core_c == 38.9);

    for (int pass = 0; pass < 2; pass++) {
        size_t i = 0, bad_truth = 0, bad_events = 0, bad_pixels = 0, measurements = 0;
        fb_record_frame_view v;
        while ((rc = fb_recording_next(r, &v, err, sizeof err)) == FB_REC_FRAME && i < k.n) {
            const kept_frame *f = &k.f[i++];
            uint64_t hh = fb_hash64(FB_HASH_INIT, v.frame_ck,
                                    (size_t)k.w * (size_t)k.h * sizeof(uint16_t));
            bad_pixels += hh != f->hash;
            int ok = v.truth.frame == f->tf.frame && v.truth.t_s == f->tf.t_s &&
                     v.truth.ambient_c == f->tf.ambient_c &&
                     v.truth.blackbody_c == f->tf.blackbody_c &&
                     v.truth.n_subjects == f->tf.n_subjects;
            for (size_t j = 0; ok && j < v.truth.n_subjects; j++)
                ok = same_truth_subject(&v.truth.subjects[j], &f->subj[j]);
            bad_truth += !ok;
            ok = v.n_events == f->n_ev;
            for (size_t j = 0; ok && j < v.n_events; j++) {
                ok = same_event(&v.events[j], &f->ev[j]);
                measurements += v.events[j].ev.kind == FBFW_EV_MEASUREMENT;
            }
            bad_events += !ok;
        }
        CHECK_EQ_INT(rc, 0);
        if (rc < 0)
            fprintf(stderr, "%s\n", err);
        CHECK_EQ_INT(i, k.n);
        CHECK_EQ_INT(bad_pixels, 0);
        CHECK_EQ_INT(bad_truth, 0);
        CHECK_EQ_INT(bad_events, 0);
        CHECK(measurements >= 5);
        const fb_record_end *e = fb_recording_end(r);
        CHECK(e && e->complete && e->frames == 400);
        CHECK(fb_recording_rewind(r, err, sizeof err) == 0);
    }
    /* size: the pixel codec keeps a noisy 256x192 frame well under its 96 KiB raw size */
    FILE *fp = fopen(path, "rb");
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    printf("recording: %ld bytes for %zu frames (%.1f KiB/frame, raw %.1f KiB)\n", size, k.n,
           (double)size / 1024.0 / (double)k.n, k.w * k.h * 2 / 1024.0);
    CHECK(size < (long)k.n * k.w * k.h * 2 * 7 / 10);
    fb_recording_close(r);
    kept_free(&k);
}

/* ---- damaged files ---- */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n + 1);
    *len = fread(p, 1, (size_t)n, f);
    fclose(f);
    return p;
}

/* Reads a whole recording from memory; returns 0 when it is valid, else the error. */
static int read_all(const uint8_t *p, size_t n, char *err, size_t err_len)
{
    fb_recording *r;
    int rc = fb_recording_open_mem(&r, p, n, "mem.fbrec", err, err_len);
    if (rc)
        return rc;
    fb_record_frame_view v;
    while ((rc = fb_recording_next(r, &v, err, err_len)) > 0)
        ;
    fb_recording_close(r);
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Offset of the first chunk of the given type (after the 16-byte file header), or 0. */
static size_t find_chunk(const uint8_t *p, size_t n, const char *type)
{
    size_t off = 16;
    while (off + 12 <= n) {
        if (memcmp(p + off + 4, type, 4) == 0)
            return off;
        off += 12 + le32(p + off);
    }
    return 0;
}

/* Appends a chunk with a correct CRC. */
static size_t put_chunk(uint8_t *dst, const char *type, const uint8_t *payload, uint32_t len)
{
    uint8_t h[8] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    memcpy(h + 4, type, 4);
    memcpy(dst, h, 8);
    memcpy(dst + 8, payload, len);
    uint32_t crc = fb_record_crc32(fb_record_crc32(0, type, 4), payload, len);
    for (int i = 0; i < 4; i++)
        dst[8 + len + (uint32_t)i] = (uint8_t)(crc >> (8 * i));
    return 12 + len;
}

/* HEAD as a recording older than 3.0 has it: without its last field, the people model (a
 * `str`, "template" or "3d"). Appends that chunk to dst and returns its size. */
static size_t put_head_pre3(uint8_t *dst, const uint8_t *head_chunk)
{
    uint32_t len = le32(head_chunk);
    const uint8_t *pl = head_chunk + 8;
    uint32_t cut = 0;
    if (len >= 10 && memcmp(pl + len - 8, "template", 8) == 0)
        cut = 10;
    else if (len >= 4 && memcmp(pl + len - 2, "3d", 2) == 0)
        cut = 4;
    CHECK(cut > 0);
    return put_chunk(dst, "HEAD", pl, len - cut);
}

/* Expects the file to fail with a message containing want. */
#define EXPECT_BAD(p, n, want)                                                                     \
    do {                                                                                           \
        char e_[700] = "";                                                                         \
        int rc_ = read_all(p, n, e_, sizeof e_);                                                   \
        CHECK(rc_ < 0);                                                                            \
        CHECK_STR_CONTAINS(e_, want);                                                              \
    } while (0)

static void test_damage(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/small.fbrec", tmpdir);
    kept k;
    CHECK(record_run("single-slow", 0.4, path, &k) == 0);
    kept_free(&k);
    size_t n;
    uint8_t *good = slurp(path, &n);
    CHECK(good != NULL);
    if (!good)
        return;
    char err[700];
    CHECK(read_all(good, n, err, sizeof err) == 0);
    uint8_t *p = malloc(n + 4096);

    /* truncated anywhere: every length up to the first frame, then a spread of lengths */
    size_t first_frame = find_chunk(good, n, "FRAM"), truncated = 0, fails = 0;
    CHECK(first_frame > 16);
    for (size_t len = 0; len < n; len += len < first_frame + 64 ? 1 : 4999) {
        truncated++;
        fails += read_all(good, len, err, sizeof err) < 0;
    }
    CHECK_EQ_INT(fails, truncated);
    EXPECT_BAD(good, n - 1, "END");
    EXPECT_BAD(good, first_frame + 100, "truncated");
    size_t end = find_chunk(good, n, "END ");
    EXPECT_BAD(good, end, "truncated after frame 10 (no END chunk");

    /* one flipped bit anywhere is caught (magic, version, lengths, types or a CRC), except in
     * the minor version (bytes 10-11: any minor reads) */
    size_t flips = 0;
    fails = 0;
    for (size_t pos = 0; pos < n; pos += pos < first_frame + 64 ? 1 : 1499) {
        if (pos == 10 || pos == 11)
            continue;
        memcpy(p, good, n);
        p[pos] ^= (uint8_t)(1u << (pos % 8));
        flips++;
        fails += read_all(p, n, err, sizeof err) < 0;
    }
    CHECK_EQ_INT(fails, flips);
    memcpy(p, good, n);
    p[first_frame + 200] ^= 0x10;
    EXPECT_BAD(p, n, "FRAM: CRC mismatch");

    /* the header of the file */
    memcpy(p, good, n);
    memcpy(p, "GIF89a", 6);
    EXPECT_BAD(p, n, "not a feverbench recording");
    memcpy(p, good, n);
    p[8] = 4;
    EXPECT_BAD(p, n, "format version 4.1, this feverbench reads 1.x to 3.x");
    memcpy(p, good, n);
    p[8] = 0;
    EXPECT_BAD(p, n, "format version 0.1");
    memcpy(p, good, n);
    p[10] = 7; /* a newer minor version reads */
    CHECK(read_all(p, n, err, sizeof err) == 0);
    p[13] = 1;
    EXPECT_BAD(p, n, "reserved bytes");

    /* a chunk length beyond the limit, and a lying length at the end of the file */
    memcpy(p, good, n);
    p[first_frame + 3] = 0x7F;
    EXPECT_BAD(p, n, "exceeds the limit");
    memcpy(p, good, n);
    p[end] = 0xFF;
    EXPECT_BAD(p, n, "END: truncated");

    /* chunks with correct CRCs whose contents lie */
    const uint8_t *fr = good + first_frame;
    uint32_t fr_len = le32(fr);
    uint8_t *payload = malloc(fr_len + 64);
    size_t base;
#define REBUILD(mutate)                                                                            \
    do {                                                                                           \
        memcpy(payload, fr + 8, fr_len);                                                           \
        mutate;                                                                                    \
        base = first_frame;                                                                        \
        memcpy(p, good, first_frame);                                                              \
        base += put_chunk(p + base, "FRAM", payload, fr_len);                                      \
    } while (0)
    /* frame number 5 where 0 is due */
    REBUILD(payload[0] = 5);
    EXPECT_BAD(p, base, "frame 5 where frame 0 was expected");
    /* the blackbody's truth (2.0: state at offset 28, fault flag 29, visible share 30..37) */
    REBUILD(payload[28] = 7);
    EXPECT_BAD(p, base, "unknown blackbody state");
    REBUILD(payload[29] = 2);
    EXPECT_BAD(p, base, "blackbody fault flag is not 0 or 1");
    REBUILD(memcpy(payload + 30, "\0\0\0\0\0\0\0\x40", 8)); /* 2.0 */
    EXPECT_BAD(p, base, "blackbody_visible is outside [0, 1]");
    /* more people than the subject table holds (n_truth at offset 38) */
    REBUILD(payload[38] = 0xFF; payload[39] = 0xFF; payload[40] = 0xFF; payload[41] = 0x7F);
    EXPECT_BAD(p, base, "more people in the frame than in the subject table");
    /* t_s = NaN */
    REBUILD(memset(payload + 4, 0xFF, 8));
    EXPECT_BAD(p, base, "t_s is not a number");
    /* unknown pixel coding: the coding byte sits 5 bytes before the pixel data */
    {
        uint32_t nt = le32(fr + 8 + 38);
        size_t ev_off = 42 + (size_t)nt * 85;
        uint32_t ne = le32(fr + 8 + ev_off);
        size_t coding_off = ev_off + 4 + (size_t)ne * 36;
        REBUILD(payload[coding_off] = 9);
        EXPECT_BAD(p, base, "unknown pixel coding");
        REBUILD(payload[coding_off + 1] ^= 1);
        EXPECT_BAD(p, base, "pixel byte count does not match the chunk");
        /* pixel data that decodes to garbage: runs out or leaves bytes over */
        REBUILD(memset(payload + coding_off + 5, 0xFF, fr_len - coding_off - 5));
        EXPECT_BAD(p, base, "FRAM 0:");
        REBUILD(memset(payload + coding_off + 5, 0x00, fr_len - coding_off - 5));
        EXPECT_BAD(p, base, "FRAM 0:");
    }
    /* an unknown critical chunk among the frames; an unknown ancillary one is skipped */
    memcpy(p, good, first_frame);
    base = first_frame + put_chunk(p + first_frame, "ZZZZ", (const uint8_t *)"x", 1);
    memcpy(p + base, good + first_frame, n - first_frame);
    EXPECT_BAD(p, base + n - first_frame, "ZZZZ: unexpected chunk among the frames");
    memcpy(p, good, first_frame);
    base = first_frame + put_chunk(p + first_frame, "zzzz", (const uint8_t *)"x", 1);
    memcpy(p + base, good + first_frame, n - first_frame);
    CHECK(read_all(p, base + n - first_frame, err, sizeof err) == 0);
    /* a type that is not letters */
    memcpy(p, good, n);
    p[first_frame + 4] = 0;
    EXPECT_BAD(p, n, "is not 4 letters");
    /* data after END */
    memcpy(p, good, n);
    p[n] = 0;
    EXPECT_BAD(p, n + 1, "data after the END chunk");
    /* END that does not agree with the frames */
    {
        uint32_t el = le32(good + end);
        memcpy(payload, good + end + 8, el);
        payload[0] = 99;
        memcpy(p, good, end);
        base = end + put_chunk(p + end, "END ", payload, el);
        EXPECT_BAD(p, base, "END: says 99 frames, the file holds 10");
        memcpy(payload, good + end + 8, el);
        payload[4] ^= 1;
        base = end + put_chunk(p + end, "END ", payload, el);
        EXPECT_BAD(p, base, "recording corrupt");
    }
    /* a HEAD whose size is out of range, and HEAD not first */
    {
        size_t head = find_chunk(good, n, "HEAD");
        uint32_t hl = le32(good + head);
        memcpy(payload, good + head + 8, hl);
        /* width sits after 3 strings, 2 u64, 3 strings: find it by value */
        size_t woff = 0;
        for (size_t i = 0; i + 8 <= hl; i++)
            if (le32(payload + i) == 256 && le32(payload + i + 4) == 192) {
                woff = i;
                break;
            }
        CHECK(woff > 0);
        payload[woff + 1] = 0x80; /* 32768 + 256 */
        memcpy(p, good, 16);
        base = 16 + put_chunk(p + 16, "HEAD", payload, hl);
        memcpy(p + base, good + 16 + 12 + hl, n - 16 - 12 - hl);
        EXPECT_BAD(p, base + n - 16 - 12 - hl, "width and height must be in 8..4096");
        /* a people model other than template or 3d (HEAD's last field, "3d" here) */
        memcpy(payload, good + head + 8, hl);
        CHECK(memcmp(payload + hl - 2, "3d", 2) == 0);
        memcpy(payload + hl - 2, "2d", 2);
        memcpy(p, good, 16);
        base = 16 + put_chunk(p + 16, "HEAD", payload, hl);
        memcpy(p + base, good + 16 + 12 + hl, n - 16 - 12 - hl);
        EXPECT_BAD(p, base + n - 16 - 12 - hl, "people must be \"template\" or \"3d\"");
        memcpy(p, good, 16);
        base = 16 + put_chunk(p + 16, "SUBJ", (const uint8_t *)"\0\0\0\0", 4);
        EXPECT_BAD(p, base, "expected HEAD first");
    }
    /* a subject table whose count does not fit its bytes */
    {
        size_t sj = find_chunk(good, n, "SUBJ");
        uint32_t sl = le32(good + sj);
        memcpy(payload, good + sj + 8, sl);
        payload[0] = (uint8_t)(payload[0] + 1);
        memcpy(p, good, sj);
        base = sj + put_chunk(p + sj, "SUBJ", payload, sl);
        EXPECT_BAD(p, base, "SUBJ: 2 subjects do not fit");
    }
    /* empty input and a missing file */
    EXPECT_BAD(good, 0, "not a feverbench recording");
    fb_recording *r;
    CHECK(fb_recording_open(&r, "/nonexistent/x.fbrec", err, sizeof err) == FB_ERR_IO);
    CHECK_STR_CONTAINS(err, "/nonexistent/x.fbrec: cannot open the recording");
    free(payload);
    free(p);
    free(good);
}

/* The frames hash a version 1 or 2 recording's END holds: the legacy fb_hash64 chain over the
 * frames of cur (a current recording). */
static uint64_t legacy_frames_hash(const uint8_t *cur, size_t n)
{
    char err[700];
    fb_recording *r;
    uint64_t h = FB_FRAMES_HASH_INIT_LEGACY;
    CHECK(fb_recording_open_mem(&r, cur, n, "cur.fbrec", err, sizeof err) == 0);
    const fb_record_header *hd = fb_recording_header(r);
    size_t npx = (size_t)hd->width * hd->height;
    fb_record_frame_view v;
    while (fb_recording_next(r, &v, err, sizeof err) == FB_REC_FRAME)
        h = fb_hash64(h, v.frame_ck, npx * sizeof *v.frame_ck);
    fb_recording_close(r);
    return h;
}

/* END with its frames hash replaced by h (same length, new CRC) into dst. */
static size_t put_end_with_hash(uint8_t *dst, const uint8_t *end_chunk, uint64_t h)
{
    uint32_t len = le32(end_chunk);
    uint8_t pl[400];
    CHECK(len <= sizeof pl && len >= 12);
    memcpy(pl, end_chunk + 8, len);
    for (int i = 0; i < 8; i++)
        pl[4 + i] = (uint8_t)(h >> (8 * i));
    return put_chunk(dst, "END ", pl, len);
}

/* A version 2 recording (the frames hash is the legacy fb_hash64 chain) still reads and
 * replays; the same file with the current hash in END is corrupt as a version 2. Made from
 * a current one by changing the version and END's hash. */
static void test_version2(void)
{
    char path[300], err[700];
    snprintf(path, sizeof path, "%s/v3.fbrec", tmpdir);
    kept k;
    CHECK(record_run("single-slow", 4, path, &k) == 0);
    kept_free(&k);
    size_t n;
    uint8_t *v3 = slurp(path, &n);
    uint8_t *v2 = malloc(n);
    CHECK(v3 && v2);
    if (!v3 || !v2)
        return;
    /* version 2's layout: HEAD without the people model, every other chunk as it is */
    memcpy(v2, v3, 16);
    v2[8] = 2;
    size_t in = 16, n2 = 16, end2 = 0;
    while (in + 12 <= n) {
        uint32_t len = le32(v3 + in);
        if (memcmp(v3 + in + 4, "HEAD", 4) == 0) {
            n2 += put_head_pre3(v2 + n2, v3 + in);
        } else {
            if (memcmp(v3 + in + 4, "END ", 4) == 0)
                end2 = n2;
            memcpy(v2 + n2, v3 + in, 12 + (size_t)len);
            n2 += 12 + (size_t)len;
        }
        in += 12 + (size_t)len;
    }
    CHECK(end2 > 0);
    CHECK(read_all(v2, n2, err, sizeof err) < 0);
    CHECK_STR_CONTAINS(err, "frames hash");
    uint64_t legacy = legacy_frames_hash(v3, n);
    CHECK(put_end_with_hash(v2 + end2, v2 + end2, legacy) == n2 - end2);
    fb_recording *r2, *r3;
    CHECK(fb_recording_open_mem(&r2, v2, n2, "v2.fbrec", err, sizeof err) == 0);
    CHECK(fb_recording_open_mem(&r3, v3, n, "v3.fbrec", err, sizeof err) == 0);
    CHECK(strcmp(fb_recording_header(r2)->frames_hash_algorithm, "fb_hash64") == 0);
    CHECK(strcmp(fb_recording_header(r3)->frames_hash_algorithm, "xxh3-64") == 0);
    fb_record_frame_view v;
    int rc;
    size_t frames = 0;
    while ((rc = fb_recording_next(r2, &v, err, sizeof err)) == FB_REC_FRAME)
        frames++;
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(frames, 100);
    CHECK(fb_recording_end(r2)->frames_hash == legacy);
    while ((rc = fb_recording_next(r3, &v, err, sizeof err)) == FB_REC_FRAME)
        ;
    CHECK_EQ_INT(rc, 0);
    CHECK(fb_recording_end(r3)->frames_hash != legacy);
    fb_recording_close(r2);
    fb_recording_close(r3);
    free(v2);
    free(v3);
}

/* A version 1 recording (truth entries without canthus_visible, 77 bytes, legacy frames hash)
 * still reads: the same truth, canthus_visible NaN. Made from a current one by cutting each entry's last
 * field (canthus_visible was appended to the entry in 2.0). */
static void test_version1(void)
{
    char path[300], err[700];
    snprintf(path, sizeof path, "%s/v2.fbrec", tmpdir);
    kept k;
    CHECK(record_run("single-slow", 4, path, &k) == 0);
    kept_free(&k);
    size_t n;
    uint8_t *v2 = slurp(path, &n); /* the current version (3), named for the 2.0 layout */
    uint8_t *v1 = malloc(n), *payload = malloc(n);
    CHECK(v2 && v1 && payload);
    if (!v2 || !v1 || !payload)
        return;
    memcpy(v1, v2, 16);
    v1[8] = 1;
    size_t in = 16, out = 16, entries = 0;
    while (in + 12 <= n) {
        uint32_t len = le32(v2 + in);
        const uint8_t *pl = v2 + in + 8;
        if (memcmp(v2 + in + 4, "FRAM", 4) == 0) {
            /* 2.0 also added the blackbody's state, fault flag and visible share (10 bytes)
             * after its temperature at offset 28 */
            uint32_t nt = le32(pl + 38), m = 32;
            memcpy(payload, pl, 28);
            memcpy(payload + 28, pl + 38, 4);
            for (uint32_t i = 0; i < nt; i++, entries++, m += 77)
                memcpy(payload + m, pl + 42 + (size_t)i * 85, 77);
            size_t rest = 42 + (size_t)nt * 85;
            memcpy(payload + m, pl + rest, len - rest);
            out += put_chunk(v1 + out, "FRAM", payload, (uint32_t)(m + len - rest));
        } else if (memcmp(v2 + in + 4, "END ", 4) == 0) {
            out += put_end_with_hash(v1 + out, v2 + in, legacy_frames_hash(v2, n));
        } else if (memcmp(v2 + in + 4, "HEAD", 4) == 0) {
            out += put_head_pre3(v1 + out, v2 + in);
        } else {
            memcpy(v1 + out, v2 + in, 12 + (size_t)len);
            out += 12 + (size_t)len;
        }
        in += 12 + (size_t)len;
    }
    CHECK(entries > 50);
    fb_recording *r1, *r2;
    CHECK(fb_recording_open_mem(&r1, v1, out, "v1.fbrec", err, sizeof err) == 0);
    CHECK(fb_recording_open_mem(&r2, v2, n, "v2.fbrec", err, sizeof err) == 0);
    CHECK_EQ_INT(fb_recording_header(r1)->version_major, 1);
    CHECK_EQ_INT(fb_recording_header(r2)->version_major, FB_REC_VERSION_MAJOR);
    fb_record_frame_view a, b;
    int rc1, rc2;
    size_t frames = 0, same = 0, visible = 0;
    while ((rc1 = fb_recording_next(r1, &a, err, sizeof err)) == FB_REC_FRAME &&
           (rc2 = fb_recording_next(r2, &b, err, sizeof err)) == FB_REC_FRAME) {
        frames++;
        int ok = a.truth.n_subjects == b.truth.n_subjects &&
                 a.truth.blackbody_state == FB_BBT_NONE && isnan(a.truth.blackbody_visible) &&
                 b.truth.blackbody_state != FB_BBT_NONE;
        for (size_t j = 0; ok && j < a.truth.n_subjects; j++) {
            fb_truth_subject s = a.truth.subjects[j];
            ok = isnan(s.canthus_visible);
            visible += b.truth.subjects[j].canthus_visible >= FB_MIN_CANTHUS_VISIBLE;
            s.canthus_visible = b.truth.subjects[j].canthus_visible;
            ok = ok && same_truth_subject(&s, &b.truth.subjects[j]);
        }
        same += ok != 0;
    }
    CHECK_EQ_INT(rc1, 0);
    CHECK_EQ_INT(frames, 100);
    CHECK_EQ_INT(same, frames);
    CHECK(visible > 0);
    fb_recording_close(r1);
    fb_recording_close(r2);
    free(payload);
    free(v1);
    free(v2);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/fb_record_test.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_roundtrip();
    test_damage();
    test_version1();
    test_version2();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return FBTEST_END();
}
