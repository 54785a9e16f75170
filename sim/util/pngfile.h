/* pngfile.h — writes PNG files with libpng: 8-bit RGB from 0xAARRGGBB pixels (viewer screenshots)
 * and 16-bit grayscale with text chunks (radiometric frames in centikelvin). */
#ifndef FB_PNGFILE_H
#define FB_PNGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fb_png_format {
    FB_PNG_RGB8,   /* pixels are uint32_t 0xAARRGGBB, alpha ignored */
    FB_PNG_GRAY16  /* pixels are uint16_t, written as they are (big-endian in the file) */
} fb_png_format;

/* Whether this build can write PNGs (libpng was found). */
bool fb_png_supported(void);

/* Writes h rows of pitch bytes from pixels to path through path.tmp and a rename (a reader
 * never sees half a file), with n_text tEXt chunks keys[i] = values[i] (at most 8; NULL when 0),
 * and no time chunk (the same pixels give the same bytes). Returns 0, or -1 with a message. */
int fb_png_write(const char *path, fb_png_format fmt, const void *pixels, int w, int h,
                 size_t pitch, const char *const *keys, const char *const *values, int n_text,
                 char *err, size_t err_len);

#endif
