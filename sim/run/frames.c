/* frames.c — `feverbench frames`: runs the session loop without a DUT and writes each selected
 * radiometric frame as a 16-bit grayscale PNG (pixel = centikelvin) and the truth as COCO
 * object-detection JSON (docs/frames.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/confounders.h"
#include "../models/fb_error.h"
#include "frames.h"
#include "util/progress.h"
#include "util/pngfile.h"
#include "world/world.h"

/* Keypoint names in annotation order: the five landmarks of sim/world/truth.h, then the two inner
 * canthi; left/right are image-left/image-right. */
static const char *const keypoint_names[] = {"left_eye",    "right_eye",          "nose",
                                             "mouth_left",  "mouth_right",        "left_inner_canthus",
                                             "right_inner_canthus"};
#define N_KEYPOINTS (FB_TRUTH_LANDMARKS + 2)

bool fb_frames_supported(void)
{
    return fb_png_supported();
}

/* JSON output: a string with escapes; a number with fmt, or null when not finite. */
static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void jnum(FILE *f, int decimals, double x)
{
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, x);
    if (strchr(buf, '.')) { /* 12.30 -> 12.3, 5.00 -> 5 */
        size_t n = strlen(buf);
        while (buf[n - 1] == '0')
            buf[--n] = '\0';
        if (buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    fputs(strcmp(buf, "-0") == 0 ? "0" : buf, f); /* no negative zero */
}

/* Clips box (x, y, w, h) to the image; returns false when nothing is left. */
static bool clip_box(double x, double y, double w, double h, int iw, int ih, double b[4])
{
    double x0 = fmax(0.0, x), y0 = fmax(0.0, y);
    double x1 = fmin((double)iw, x + w), y1 = fmin((double)ih, y + h);
    if (!(x1 > x0 && y1 > y0))
        return false;
    b[0] = x0;
    b[1] = y0;
    b[2] = x1 - x0;
    b[3] = y1 - y0;
    return true;
}

static void write_box(FILE *f, const double b[4])
{
    fputs("\"bbox\":[", f);
    for (int i = 0; i < 4; i++) {
        if (i)
            fputc(',', f);
        jnum(f, 2, b[i]);
    }
    fputs("],\"area\":", f);
    jnum(f, 2, b[2] * b[3]);
}

/* Subject facts shared by the person and the face annotation. */
static void write_subject(FILE *f, const fb_truth_subject *ts, const fb_subject_info *si)
{
    fprintf(f, ",\"subject\":%u,\"subject_id\":", (unsigned)ts->subject);
    jstr(f, si->id);
    fputs(",\"core_c\":", f);
    jnum(f, 3, si->core_c);
    fprintf(f, ",\"febrile\":%s,\"confounders\":[", si->febrile ? "true" : "false");
    int n = 0;
    for (unsigned k = 0; k < FB_CONF_COUNT; k++)
        if (si->confounders >> k & 1u) {
            if (n++)
                fputc(',', f);
            jstr(f, fb_confounder_name(k));
        }
    fputs("],\"distance_m\":", f);
    jnum(f, 3, ts->distance_m);
    fputs(",\"yaw_deg\":", f);
    jnum(f, 2, ts->yaw_deg);
}

/* COCO visibility of a point: 2 seen, 1 in the image but hidden, 0 outside (x = y = 0). */
static void write_keypoint(FILE *f, double u, double v, bool seen, int iw, int ih, int *n_labeled)
{
    bool inside = isfinite(u) && isfinite(v) && u >= 0 && v >= 0 && u < iw && v < ih;
    if (!inside) {
        fputs("0,0,0", f);
        return;
    }
    jnum(f, 2, u);
    fputc(',', f);
    jnum(f, 2, v);
    fprintf(f, ",%d", seen ? 2 : 1);
    (*n_labeled)++;
}

/* The person and face annotations of one frame into af; *next_id is the next annotation id. */
static void write_annotations(FILE *af, const fb_world *w, const fb_truth_frame *tf,
                              uint32_t image_id, int iw, int ih, uint64_t *next_id)
{
    for (size_t k = 0; k < tf->n_subjects; k++) {
        const fb_truth_subject *ts = &tf->subjects[k];
        const fb_subject_info *si = &w->subjects[ts->subject].info;
        /* In view: the person's box meets the image and the person owns some pixel there (the
         * head's share when the renderer does not count the body's pixels). */
        double pb[4], fbx[4];
        bool has_body = clip_box(ts->body_x, ts->body_y, ts->body_w, ts->body_h, iw, ih, pb) &&
                        (ts->body_visible_px > 0 || ts->face_visible > 0);
        bool has_face = ts->in_view && ts->face_visible > 0 &&
                        clip_box(ts->face_x, ts->face_y, ts->face_w, ts->face_h, iw, ih, fbx);
        if (!has_body && !has_face)
            continue;
        uint64_t person_id = 0;
        if (has_body) {
            person_id = (*next_id)++;
            fprintf(af, "%s{\"id\":%llu,\"image_id\":%u,\"category_id\":1,\"iscrowd\":0,",
                    *next_id > 2 ? ",\n" : "", (unsigned long long)person_id, (unsigned)image_id);
            write_box(af, pb);
            write_subject(af, ts, si);
            fprintf(af, ",\"visible_px\":%u}", (unsigned)ts->body_visible_px);
        }
        if (has_face) {
            uint64_t id = (*next_id)++;
            fprintf(af, "%s{\"id\":%llu,\"image_id\":%u,\"category_id\":2,\"iscrowd\":0,",
                    *next_id > 2 ? ",\n" : "", (unsigned long long)id, (unsigned)image_id);
            write_box(af, fbx);
            fputs(",\"keypoints\":[", af);
            int n_labeled = 0;
            for (int i = 0; i < FB_TRUTH_LANDMARKS; i++) {
                if (i)
                    fputc(',', af);
                write_keypoint(af, ts->landmark_u[i], ts->landmark_v[i], ts->landmark_seen[i], iw,
                               ih, &n_labeled);
            }
            for (int i = 0; i < 2; i++) {
                fputc(',', af);
                write_keypoint(af, ts->canthus_u[i], ts->canthus_v[i], ts->canthus_seen[i], iw, ih,
                               &n_labeled);
            }
            fprintf(af, "],\"num_keypoints\":%d", n_labeled);
            if (person_id)
                fprintf(af, ",\"person_id\":%llu", (unsigned long long)person_id);
            write_subject(af, ts, si);
            fputs(",\"face_w_px\":", af);
            jnum(af, 2, ts->face_w);
            fputs(",\"canthus_c\":", af);
            jnum(af, 3, ts->canthus_c);
            fputs(",\"canthus_temp_c\":[", af);
            jnum(af, 3, ts->canthus_temp_c[0]);
            fputc(',', af);
            jnum(af, 3, ts->canthus_temp_c[1]);
            fprintf(af, "],\"screenable\":%s,\"face_visible\":", ts->screenable ? "true" : "false");
            jnum(af, 3, ts->face_visible);
            fputs(",\"canthus_visible\":", af);
            jnum(af, 3, ts->canthus_visible);
            fputc('}', af);
        }
    }
}

/* Copies the rest of src to dst; returns 0 or -1. */
static int copy_stream(FILE *src, FILE *dst)
{
    char buf[65536];
    size_t n;
    rewind(src);
    while ((n = fread(buf, 1, sizeof(buf), src)) > 0)
        if (fwrite(buf, 1, n, dst) != n)
            return -1;
    return ferror(src) ? -1 : 0;
}

int fb_frames_export(const fb_scenario *sc, const fb_run_opts *ro, const fb_frames_opts *fo)
{
    char err[4600], path[4200], tmp_path[4200];
    if (!fb_frames_supported()) {
        fprintf(stderr, "feverbench frames: this feverbench was built without libpng (install "
                        "libpng-dev and rebuild)\n");
        return FB_EXIT_USAGE;
    }
    if (fo->every < 1) {
        fprintf(stderr, "feverbench frames: --every must be at least 1\n");
        return FB_EXIT_USAGE;
    }
    fb_run_opts o = ro ? *ro : (fb_run_opts){0};
    o.no_dut = true;
    o.out_dir = NULL;
    o.record_path = NULL;
    o.times = NULL;
    o.pipeline = true; /* the loop below reads the last frame's truth with fb_session_truth */
    double duration_s = o.duration_s > 0 ? o.duration_s : sc->duration_s;
    uint32_t n_frames = (uint32_t)ceil(duration_s * sc->camera.fps - 1e-9);
    uint32_t end = fo->end ? fo->end : n_frames;
    if (end > n_frames) {
        fprintf(stderr,
                "feverbench frames: --frames %u:%u: the run has %u frames (%.6g s at %.6g fps on "
                "%s); ask for a longer --duration\n",
                (unsigned)fo->first, (unsigned)end, (unsigned)n_frames, duration_s,
                sc->camera.fps, sc->camera.name);
        return FB_EXIT_USAGE;
    }
    if (fo->first >= end) {
        fprintf(stderr, "feverbench frames: no frames selected (first %u, end %u of %u)\n",
                (unsigned)fo->first, (unsigned)end, (unsigned)n_frames);
        return FB_EXIT_USAGE;
    }
    snprintf(path, sizeof(path), "%s/frames", fo->out_dir);
    if (fb_make_dir(path, err, sizeof(err))) {
        fprintf(stderr, "feverbench frames: %s\n", err);
        return FB_EXIT_USAGE;
    }
    snprintf(path, sizeof(path), "%s/annotations.json", fo->out_dir);
    snprintf(tmp_path, sizeof(tmp_path), "%s/annotations.json.tmp", fo->out_dir);
    FILE *jf = fopen(tmp_path, "w");
    if (!jf) {
        fprintf(stderr, "feverbench frames: %s: cannot create: %s\n", tmp_path, strerror(errno));
        return FB_EXIT_USAGE;
    }
    FILE *af = tmpfile(); /* annotations, appended after the images */
    if (!af) {
        fprintf(stderr, "feverbench frames: cannot create a temporary file: %s\n", strerror(errno));
        fclose(jf);
        remove(tmp_path);
        return FB_EXIT_USAGE;
    }
    fb_session *s;
    int rc = fb_session_open(&s, sc, &o, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "feverbench frames: %s\n", err);
        fclose(af);
        fclose(jf);
        remove(tmp_path);
        return FB_EXIT_USAGE;
    }
    uint64_t seed = o.seed_set ? o.seed : sc->seed;
    int iw = sc->camera.width, ih = sc->camera.height;
    int status = FB_EXIT_PASS;
    uint32_t n_written = 0;
    uint64_t next_id = 1;

    fputs("{\n\"info\":{\"description\":\"feverbench radiometric frames: pixel value = temperature "
          "in 0.01 K (centikelvin), 16-bit grayscale PNG\",\"version\":",
          jf);
    jstr(jf, FB_VERSION_STRING);
    fputs(",\"units\":\"pixel value = temperature in 0.01 K\",\"scenario\":", jf);
    jstr(jf, sc->name);
    fputs(",\"scenario_source\":", jf);
    jstr(jf, sc->source);
    fprintf(jf, ",\"scenario_hash\":\"%016llx\",\"seed\":%llu,\"camera\":",
            (unsigned long long)sc->hash, (unsigned long long)seed);
    jstr(jf, sc->camera.name);
    fputs(",\"people\":", jf);
    jstr(jf, o.people ? o.people : sc->people_3d ? "3d" : "template");
    fprintf(jf, ",\"width\":%d,\"height\":%d,\"fps\":", iw, ih);
    jnum(jf, 6, sc->camera.fps);
    fprintf(jf, ",\"every\":%u,\"first_frame\":%u,\"end_frame\":%u,",
            (unsigned)fo->every, (unsigned)fo->first, (unsigned)end);
    fputs("\"keypoint_sides\":\"left/right are image-left/image-right\"},\n\"licenses\":[],\n"
          "\"categories\":[{\"id\":1,\"name\":\"person\",\"supercategory\":\"person\"},\n"
          "{\"id\":2,\"name\":\"face\",\"supercategory\":\"person\",\"keypoints\":[",
          jf);
    for (int i = 0; i < N_KEYPOINTS; i++) {
        if (i)
            fputc(',', jf);
        jstr(jf, keypoint_names[i]);
    }
    fputs("],\"skeleton\":[[1,3],[2,3],[3,4],[3,5],[6,1],[7,2]]}],\n\"images\":[\n", jf);

    fb_progress pg;
    fb_progress_start(&pg, o.progress ? o.progress : "", !o.progress);
    while (fb_session_frames_done(s) < end && fb_session_step(s) > 0) {
        uint32_t n = fb_session_frames_done(s) - 1;
        fb_progress_update(&pg, n + 1, end, sc->camera.fps);
        if (n < fo->first || (n - fo->first) % fo->every != 0)
            continue;
        const fb_world *w = fb_session_world(s); /* its subject table only (pipelined) */
        fb_truth_frame tf = fb_session_truth(s);
        char rel[32], seed_s[32], frame_s[16], t_s[32], abs_path[4300];
        snprintf(rel, sizeof(rel), "frames/%06u.png", (unsigned)n);
        snprintf(abs_path, sizeof(abs_path), "%s/%s", fo->out_dir, rel);
        snprintf(seed_s, sizeof(seed_s), "%llu", (unsigned long long)seed);
        snprintf(frame_s, sizeof(frame_s), "%u", (unsigned)n);
        snprintf(t_s, sizeof(t_s), "%.4f", tf.t_s);
        const char *keys[] = {"units", "scenario", "seed", "frame", "t_s", "camera", "Software"};
        const char *vals[] = {"centikelvin", sc->name, seed_s, frame_s, t_s, sc->camera.name,
                              "feverbench " FB_VERSION_STRING};
        if (fb_png_write(abs_path, FB_PNG_GRAY16, fb_session_frame_ck(s), iw, ih,
                         (size_t)iw * sizeof(uint16_t), keys, vals, 7, err,
                        sizeof(err))) {
            fprintf(stderr, "feverbench frames: %s\n", err);
            status = FB_EXIT_USAGE;
            break;
        }
        uint32_t image_id = n + 1; /* COCO ids start at 1 */
        fprintf(jf, "%s{\"id\":%u,\"file_name\":\"%s\",\"width\":%d,\"height\":%d,\"frame\":%u,"
                    "\"t_s\":",
                n_written ? ",\n" : "", (unsigned)image_id, rel, iw, ih, (unsigned)n);
        jnum(jf, 4, tf.t_s);
        fputs(",\"ambient_c\":", jf);
        jnum(jf, 3, tf.ambient_c);
        fprintf(jf, ",\"shutter_frozen\":%s}",
                (fb_session_frame_flags(s) & FBFW_FRAME_FROZEN) ? "true" : "false");
        write_annotations(af, w, &tf, image_id, iw, ih, &next_id);
        n_written++;
    }
    fb_progress_end(&pg);
    fb_results res;
    fb_run_info info;
    int interrupted = o.interrupt ? (int)*o.interrupt : 0;
    bool front_end_failed = fb_session_faulted(s);
    if (fb_session_finish(s, &res, &info) == 0)
        fb_results_free(&res);
    if (front_end_failed && status == FB_EXIT_PASS) {
        fprintf(stderr, "feverbench frames: %s\n",
                info.stop_reason ? info.stop_reason : "stopped early");
        status = FB_EXIT_USAGE;
    }
    if (interrupted && status == FB_EXIT_PASS) {
        fprintf(stderr, "feverbench frames: interrupted by signal %d after %u frames; "
                        "annotations.json lists the %u written (complete: false)\n",
                interrupted, (unsigned)fb_session_frames_done(s), (unsigned)n_written);
        status = FB_EXIT_SIGNAL + interrupted;
    }
    /* frames_hash: results.json's for the frames 0 .. frames_run - 1 (any selection). */
    fprintf(jf, "\n],\n\"frames_run\":%u,\"frames_hash\":\"%016llx\",\"frames_hash_algorithm\":",
            (unsigned)fb_session_frames_done(s), (unsigned long long)info.frames_hash);
    jstr(jf, info.frames_hash_algorithm ? info.frames_hash_algorithm : "");
    fprintf(jf, ",\"complete\":%s,\n\"annotations\":[\n", status == FB_EXIT_PASS ? "true" : "false");
    fb_session_close(s);
    int io = copy_stream(af, jf);
    fputs("\n]\n}\n", jf);
    if (ferror(af) || io)
        io = -1;
    fclose(af);
    if (ferror(jf))
        io = -1;
    if (fclose(jf) != 0)
        io = -1;
    if (io == 0 && rename(tmp_path, path) != 0) {
        fprintf(stderr, "feverbench frames: %s: cannot rename into place: %s\n", path,
                strerror(errno));
        io = -1;
    } else if (io) {
        fprintf(stderr, "feverbench frames: %s: writing failed (disk full?)\n", tmp_path);
    }
    if (io) {
        remove(tmp_path);
        if (status == FB_EXIT_PASS)
            status = FB_EXIT_USAGE;
    }
    if (status == FB_EXIT_PASS)
        fprintf(stderr, "feverbench frames: wrote %u frame%s (%ux%u, centikelvin) and "
                        "annotations.json to %s\n",
                (unsigned)n_written, n_written == 1 ? "" : "s", (unsigned)iw, (unsigned)ih,
                fo->out_dir);
    return status;
}
