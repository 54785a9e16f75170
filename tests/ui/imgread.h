/* imgread.h — reads pictures back for the viewer tests: PNG (libpng) and X window dumps (xwd), as 0xRRGGBB pixels. */
#ifndef FB_TEST_IMGREAD_H
#define FB_TEST_IMGREAD_H

#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct img {
    int w, h;
    uint32_t *px; /* w*h, 0xRRGGBB */
} img;

/* Reads an 8-bit RGB or RGBA PNG; returns 0 or -1. */
static inline int img_read_png(const char *path, img *out)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    memset(out, 0, sizeof *out);
    if (!png_image_begin_read_from_file(&pi, path))
        return -1;
    pi.format = PNG_FORMAT_BGRA; /* little-endian uint32 0xAARRGGBB */
    out->w = (int)pi.width;
    out->h = (int)pi.height;
    out->px = malloc(PNG_IMAGE_SIZE(pi));
    if (!out->px || !png_image_finish_read(&pi, NULL, out->px, 0, NULL)) {
        free(out->px);
        png_image_free(&pi);
        return -1;
    }
    for (size_t i = 0; i < (size_t)out->w * (size_t)out->h; i++)
        out->px[i] &= 0xFFFFFFu;
    return 0;
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads an X window dump (xwd -id WINDOW) of a 24/32-bit TrueColor window; returns 0 or -1. */
static inline int img_read_xwd(const char *path, img *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t h[100];
    int rc = -1;
    if (fread(h, 1, sizeof h, f) != sizeof h || be32(h + 4) != 7)
        goto done;
    uint32_t header_size = be32(h), w = be32(h + 16), ht = be32(h + 20), byte_order = be32(h + 28);
    uint32_t bpp = be32(h + 44), bpl = be32(h + 48), ncolors = be32(h + 76);
    uint32_t rmask = be32(h + 56), gmask = be32(h + 60), bmask = be32(h + 64);
    if (bpp != 32 || w == 0 || ht == 0 || w > 16384 || ht > 16384 || bpl < w * 4 ||
        header_size < 100 || rmask != 0xFF0000u || gmask != 0xFF00u || bmask != 0xFFu)
        goto done;
    if (fseek(f, (long)(header_size + ncolors * 12), SEEK_SET) != 0)
        goto done;
    uint8_t *row = malloc(bpl);
    out->px = malloc((size_t)w * ht * 4);
    out->w = (int)w;
    out->h = (int)ht;
    rc = 0;
    for (uint32_t y = 0; y < ht && rc == 0; y++) {
        if (fread(row, 1, bpl, f) != bpl) {
            rc = -1;
            break;
        }
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *p = row + 4 * x;
            uint32_t v = byte_order ? be32(p)
                                    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
                                          (uint32_t)p[1] << 8 | p[0];
            out->px[(size_t)y * w + x] = v & 0xFFFFFFu;
        }
    }
    free(row);
done:
    fclose(f);
    return rc;
}

static inline uint32_t img_at(const img *im, int x, int y)
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        return 0xFFFFFFFFu;
    return im->px[(size_t)y * (size_t)im->w + (size_t)x];
}

static inline int img_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Distinct colours in a rectangle (clipped to the picture), at most cap. */
static inline size_t img_colours(const img *im, int x0, int y0, int w, int h, size_t cap)
{
    uint32_t *v = malloc((size_t)(w > 0 ? w : 1) * (size_t)(h > 0 ? h : 1) * sizeof *v);
    size_t n = 0, distinct = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            if (x >= 0 && y >= 0 && x < im->w && y < im->h)
                v[n++] = im->px[(size_t)y * (size_t)im->w + (size_t)x];
    qsort(v, n, sizeof *v, img_cmp_u32);
    for (size_t i = 0; i < n && distinct < cap; i++)
        distinct += i == 0 || v[i] != v[i - 1];
    free(v);
    return distinct;
}

#endif
