/* pngwrite.h — writes 8-bit RGB PNG files (libpng) from 0xAARRGGBB pixels. */
#ifndef FB_UI_PNGWRITE_H
#define FB_UI_PNGWRITE_H

#include <stddef.h>
#include <stdint.h>

/* pixels: h rows of pitch bytes, each pixel a uint32_t 0xAARRGGBB (alpha ignored). Writes
 * PATH through PATH.tmp + rename. Returns 0, or -1 with a message. */
int fb_png_write(const char *path, const uint32_t *pixels, int w, int h, size_t pitch, char *err,
                 size_t err_len);

#endif
