/* pngwrite.c — PNG writer on libpng: RGB, 8 bits, default compression; atomic through a temporary file. */
#include "pngwrite.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_job {
    FILE *f;
    const uint32_t *pixels;
    int w, h;
    size_t pitch;
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
    png_set_IHDR(png, info, (png_uint_32)j->w, (png_uint_32)j->h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < j->h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)((const uint8_t *)j->pixels +
                                                               (size_t)y * j->pitch);
        for (int x = 0; x < j->w; x++) {
            j->row[3 * x] = (uint8_t)(src[x] >> 16);
            j->row[3 * x + 1] = (uint8_t)(src[x] >> 8);
            j->row[3 * x + 2] = (uint8_t)src[x];
        }
        png_write_row(png, j->row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int fb_png_write(const char *path, const uint32_t *pixels, int w, int h, size_t pitch, char *err,
                 size_t err_len)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    png_job j = {NULL, pixels, w, h, pitch, malloc((size_t)w * 3)};
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
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, err_len, "%s: cannot rename into place: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    if (rc) {
        snprintf(err, err_len, "%s: writing the PNG failed", path);
        remove(tmp);
    }
    return rc;
}
