/* test_frames.c — `feverbench frames`: the PNGs hold exactly the frames the DUT receives, and
 * annotations.json is well-formed COCO that agrees with the truth. */
#include <cJSON.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/catalog.h"
#include "fbtest.h"
#include "run/frames.h"
#include "run/run.h"
#include "world/world.h"

/* A selection with screenable faces in it (the first frames of a run have nobody near). */
typedef struct selection {
    const char *scenario;
    uint32_t first, end, every;
    double duration_s;
} selection;

typedef struct png16 {
    int w, h;
    uint16_t *px;
    char units[32], frame[16], scenario[64];
} png16;

/* Reads a 16-bit grayscale PNG and its tEXt chunks; returns 0 or -1. */
static int read_png(const char *path, png16 *out)
{
    memset(out, 0, sizeof(*out));
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(row);
        free(out->px);
        out->px = NULL;
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_read_info(png, info);
    if (png_get_bit_depth(png, info) != 16 || png_get_color_type(png, info) != PNG_COLOR_TYPE_GRAY)
        png_error(png, "not 16-bit grayscale");
    out->w = (int)png_get_image_width(png, info);
    out->h = (int)png_get_image_height(png, info);
    out->px = malloc((size_t)out->w * (size_t)out->h * sizeof(uint16_t));
    row = malloc((size_t)out->w * 2);
    if (!out->px || !row)
        png_error(png, "out of memory");
    for (int y = 0; y < out->h; y++) {
        png_read_row(png, row, NULL);
        for (int x = 0; x < out->w; x++) /* PNG samples are big-endian */
            out->px[(size_t)y * (size_t)out->w + (size_t)x] =
                (uint16_t)(row[2 * x] << 8 | row[2 * x + 1]);
    }
    png_read_end(png, info);
    png_textp text;
    int n_text = 0;
    png_get_text(png, info, &text, &n_text);
    for (int i = 0; i < n_text; i++) {
        if (strcmp(text[i].key, "units") == 0)
            snprintf(out->units, sizeof(out->units), "%s", text[i].text);
        else if (strcmp(text[i].key, "frame") == 0)
            snprintf(out->frame, sizeof(out->frame), "%s", text[i].text);
        else if (strcmp(text[i].key, "scenario") == 0)
            snprintf(out->scenario, sizeof(out->scenario), "%s", text[i].text);
    }
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    fclose(f);
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* Exports scenario `name` and checks every written PNG against the frames a session with the
 * reference firmware sends it (the same seed and duration), and the annotations against that
 * session's truth. */
static void check_scenario(const selection *sel, const char *dir)
{
    const char *name = sel->scenario;
    const uint32_t FIRST = sel->first, END = sel->end, EVERY = sel->every;
    const double DURATION_S = sel->duration_s;
    int n_screenable = 0;
    char err[1024], path[1200];
    fb_scenario sc;
    if (fb_catalog_load(name, &sc, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        CHECK(0);
        return;
    }
    fb_run_opts ro = {.seed_set = true, .seed = 7, .duration_s = DURATION_S};
    fb_frames_opts fo = {.out_dir = dir, .every = EVERY, .first = FIRST, .end = END};
    CHECK_EQ_INT(fb_frames_export(&sc, &ro, &fo), FB_EXIT_PASS);

    snprintf(path, sizeof(path), "%s/annotations.json", dir);
    char *text = slurp(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    CHECK(doc != NULL);
    const cJSON *images = get(doc, "images"), *anns = get(doc, "annotations");
    const cJSON *cats = get(doc, "categories"), *info = get(doc, "info");
    CHECK(cJSON_IsArray(images) && cJSON_IsArray(anns) && cJSON_IsArray(cats));
    CHECK_EQ_INT(cJSON_GetArraySize(images), (END - FIRST + EVERY - 1) / EVERY);
    CHECK_EQ_INT(cJSON_GetArraySize(cats), 2);
    const cJSON *face_cat = cJSON_GetArrayItem(cats, 1);
    CHECK_EQ_INT(cJSON_GetArraySize(get(face_cat, "keypoints")), 7);
    CHECK(cJSON_IsString(get(info, "units")) &&
          strstr(get(info, "units")->valuestring, "0.01 K") != NULL);
    CHECK(cJSON_IsString(get(info, "scenario")) &&
          strcmp(get(info, "scenario")->valuestring, sc.name) == 0);
    CHECK(cJSON_IsNumber(get(info, "seed")) && get(info, "seed")->valuedouble == 7);

    fb_session *s = NULL;
    fb_run_opts with_dut = {.seed_set = true, .seed = 7, .duration_s = DURATION_S};
    CHECK_EQ_INT(fb_session_open(&s, &sc, &with_dut, err, sizeof(err)), 0);
    int image_i = 0, n_faces = 0, n_people = 0;
    while (s && fb_session_frames_done(s) < END && fb_session_step(s) > 0) {
        uint32_t n = fb_session_frames_done(s) - 1;
        if (n < FIRST || (n - FIRST) % EVERY)
            continue;
        const cJSON *img = cJSON_GetArrayItem(images, image_i++);
        CHECK(img && cJSON_IsNumber(get(img, "frame")) && get(img, "frame")->valueint == (int)n);
        char rel[64];
        snprintf(rel, sizeof(rel), "frames/%06u.png", (unsigned)n);
        CHECK(img && cJSON_IsString(get(img, "file_name")) &&
              strcmp(get(img, "file_name")->valuestring, rel) == 0);
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        png16 p;
        if (read_png(path, &p)) {
            fprintf(stderr, "%s: cannot read back\n", path);
            CHECK(0);
            continue;
        }
        CHECK_EQ_INT(p.w, sc.camera.width);
        CHECK_EQ_INT(p.h, sc.camera.height);
        size_t npx = (size_t)p.w * (size_t)p.h;
        const uint16_t *ck = fb_session_frame_ck(s);
        size_t differ = 0;
        for (size_t i = 0; i < npx; i++)
            differ += p.px[i] != ck[i];
        CHECK_EQ_INT(differ, 0); /* exactly the DUT's frame */
        CHECK(strcmp(p.units, "centikelvin") == 0);
        CHECK_EQ_INT(atoi(p.frame), n);
        CHECK(strcmp(p.scenario, sc.name) == 0);
        free(p.px);

        /* Each screenable truth face has an annotation with the same box and temperature. */
        fb_truth_frame tf = fb_world_truth(fb_session_world(s));
        int image_id = img ? get(img, "id")->valueint : -1;
        for (size_t k = 0; k < tf.n_subjects; k++) {
            const fb_truth_subject *ts = &tf.subjects[k];
            if (!ts->screenable)
                continue;
            const cJSON *a, *found = NULL;
            cJSON_ArrayForEach(a, anns)
            {
                if (get(a, "image_id")->valueint == image_id &&
                    get(a, "category_id")->valueint == 2 &&
                    get(a, "subject")->valueint == (int)ts->subject)
                    found = a;
            }
            CHECK(found != NULL);
            n_screenable++;
            if (!found)
                continue;
            CHECK(cJSON_IsTrue(get(found, "screenable")));
            CHECK_NEAR(get(found, "canthus_c")->valuedouble, ts->canthus_c, 0.0005);
            const cJSON *bb = get(found, "bbox");
            CHECK_NEAR(cJSON_GetArrayItem(bb, 0)->valuedouble, fmax(0, ts->face_x), 0.005);
            CHECK_NEAR(cJSON_GetArrayItem(bb, 2)->valuedouble,
                       fmin(sc.camera.width, ts->face_x + ts->face_w) - fmax(0, ts->face_x), 0.01);
        }
    }
    CHECK_EQ_INT(image_i, cJSON_GetArraySize(images));
    if (s) {
        fb_results res;
        fb_run_info ri;
        if (fb_session_finish(s, &res, &ri) == 0)
            fb_results_free(&res);
        fb_session_close(s);
    }

    /* Structure of every annotation: COCO box inside the image, keypoints x,y,v with
     * v in {0,1,2}, num_keypoints = labelled ones, ids unique and increasing. */
    const cJSON *a;
    int last_id = 0;
    cJSON_ArrayForEach(a, anns)
    {
        int id = get(a, "id")->valueint, cat = get(a, "category_id")->valueint;
        CHECK(id > last_id);
        last_id = id;
        CHECK(cat == 1 || cat == 2);
        CHECK_EQ_INT(get(a, "iscrowd")->valueint, 0);
        const cJSON *bb = get(a, "bbox");
        CHECK_EQ_INT(cJSON_GetArraySize(bb), 4);
        double x = cJSON_GetArrayItem(bb, 0)->valuedouble, y = cJSON_GetArrayItem(bb, 1)->valuedouble;
        double w = cJSON_GetArrayItem(bb, 2)->valuedouble, h = cJSON_GetArrayItem(bb, 3)->valuedouble;
        CHECK(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= sc.camera.width + 0.01 &&
              y + h <= sc.camera.height + 0.01);
        CHECK(cJSON_IsString(get(a, "subject_id")) && cJSON_IsArray(get(a, "confounders")));
        CHECK(cJSON_IsNumber(get(a, "core_c")) && cJSON_IsBool(get(a, "febrile")));
        if (cat == 1) {
            n_people++;
            continue;
        }
        n_faces++;
        const cJSON *kp = get(a, "keypoints");
        CHECK_EQ_INT(cJSON_GetArraySize(kp), 21);
        int labelled = 0;
        for (int i = 0; i < 7; i++) {
            int v = cJSON_GetArrayItem(kp, 3 * i + 2)->valueint;
            CHECK(v >= 0 && v <= 2);
            labelled += v > 0;
        }
        CHECK_EQ_INT(get(a, "num_keypoints")->valueint, labelled);
        CHECK(cJSON_IsNumber(get(a, "canthus_c")) && cJSON_IsBool(get(a, "screenable")));
        CHECK_EQ_INT(cJSON_GetArraySize(get(a, "canthus_temp_c")), 2);
    }
    printf("%s: %d images, %d people, %d faces, %d screenable\n", name, image_i, n_people,
           n_faces, n_screenable);
    CHECK(n_faces > 0 && n_people > 0 && n_screenable > 0);
    cJSON_Delete(doc);
    free(text);
    fb_scenario_free(&sc);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp/fb_test_frames";
    static const selection sels[] = {{"checkpoint", 180, 260, 8, 12.0},
                                     {"single-slow", 190, 280, 9, 12.0}};
    for (size_t i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
        char sub[512];
        snprintf(sub, sizeof(sub), "%s/%s", dir, sels[i].scenario);
        check_scenario(&sels[i], sub);
    }
    return FBTEST_END();
}
