/* pngfile.c — PNG files on libpng (pngfile.h): RGB8 and GRAY16, atomic through a temporary file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pngfile.h"
#ifdef FB_HAVE_PNG
#include <png.h>
#endif

bool fb_png_supported(void)
{
#ifdef FB_HAVE_PNG
    return true;
#else
    return false;
#endif
}

#ifdef FB_HAVE_PNG
typedef struct png_job {
    FILE *f;
    fb_png_format fmt;
    const uint8_t *pixels;
    int w, h;
    size_t pitch;
    png_text *text;
    int n_text;
    uint8_t *row;
} png_job;

/* The libpng part, alone in its function so that setjmp sees no locals that change. */
static int png_encode(png_job *j)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png)
        return -1;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_init_io(png, j->f);
    bool gray = j->fmt == FB_PNG_GRAY16;
    if (gray)
        png_set_compression_level(png, 6);
    png_set_IHDR(png, info, (png_uint_32)j->w, (png_uint_32)j->h, gray ? 16 : 8,
                 gray ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (j->n_text > 0)
        png_set_text(png, info, j->text, j->n_text);
    png_write_info(png, info);
    for (int y = 0; y < j->h; y++) {
        const void *line = j->pixels + (size_t)y * j->pitch;
        if (gray) {
            const uint16_t *src = line;
            for (int x = 0; x < j->w; x++) {
                j->row[2 * x] = (uint8_t)(src[x] >> 8);
                j->row[2 * x + 1] = (uint8_t)(src[x] & 0xffu);
            }
        } else {
            const uint32_t *src = line;
            for (int x = 0; x < j->w; x++) {
                j->row[3 * x] = (uint8_t)(src[x] >> 16);
                j->row[3 * x + 1] = (uint8_t)(src[x] >> 8);
                j->row[3 * x + 2] = (uint8_t)src[x];
            }
        }
        png_write_row(png, j->row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}
#endif

int fb_png_write(const char *path, fb_png_format fmt, const void *pixels, int w, int h,
                 size_t pitch, const char *const *keys, const char *const *values, int n_text,
                 char *err, size_t err_len)
{
#ifdef FB_HAVE_PNG
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    png_text text[8];
    if (n_text > 8)
        n_text = 8;
    memset(text, 0, sizeof(text));
    for (int i = 0; i < n_text; i++) {
        text[i].compression = PNG_TEXT_COMPRESSION_NONE;
        text[i].key = (png_charp)(uintptr_t)keys[i]; /* libpng copies; it does not write them */
        text[i].text = (png_charp)(uintptr_t)values[i];
    }
    png_job j = {NULL, fmt, pixels, w, h, pitch, text, n_text,
                 malloc((size_t)w * (fmt == FB_PNG_GRAY16 ? 2 : 3))};
    if (!j.row) {
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    j.f = fopen(tmp, "wb");
    if (!j.f) {
        snprintf(err, err_len, "%s: cannot create: %s", tmp, strerror(errno));
        free(j.row);
        return -1;
    }
    int rc = png_encode(&j);
    free(j.row);
    if (fclose(j.f) != 0)
        rc = -1;
    if (rc) {
        snprintf(err, err_len, "%s: writing the PNG failed (disk full?)", path);
        remove(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, err_len, "%s: cannot rename into place: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
#else
    (void)fmt, (void)pixels, (void)w, (void)h, (void)pitch, (void)keys, (void)values, (void)n_text;
    snprintf(err, err_len, "%s: this feverbench was built without libpng", path);
    return -1;
#endif
}
