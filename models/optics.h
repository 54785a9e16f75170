/* optics.h — the lens's point-spread function: a separable Gaussian blur of the radiance image, sized from f-number, wavelength and pixel pitch (the size-of-source effect). */
#ifndef FB_OPTICS_H
#define FB_OPTICS_H

#include <stddef.h>

/* Wavelength that sizes the diffraction spot: near the centre of the 8–14 µm band, where a
 * 300 K scene peaks (Wien: 2898 µm K / 300 K = 9.7 µm). */
#define FB_OPTICS_WAVELENGTH_UM 10.0
#define FB_OPTICS_MAX_RADIUS    8 /* kernel taps each side, at most */

typedef struct fb_optics_params {
    double pixel_pitch_um; /* > 0 */
    double f_number;       /* > 0 */
    double lens_blur_um;   /* aberrations and focus: extra Gaussian SD in the image plane, >= 0 */
    /* Vignetting: relative illumination at the image corner, (0, 1] (1 or 0: none), and the
     * horizontal field of view that sets each pixel's field angle. */
    double corner_illumination;
    double hfov_deg;
} fb_optics_params;

/* PSF width in pixels: the diffraction spot as a Gaussian, sigma = 0.42 lambda N (the paraxial
 * Airy-pattern fit of Zhang, Zerubia & Olivo-Marin, Appl. Opt. 46(10), 2007: 0.21 lambda / NA
 * with NA = 1 / (2N)), added in quadrature to lens_blur_um, divided by the pitch. The pixel's
 * own area is not in it: the renderer already averages the scene over each pixel. Returns -1
 * for parameters out of range. */
double fb_optics_sigma_px(const fb_optics_params *p);

/* The blur and its buffers, owned (fb_optics_init allocates, fb_optics_free frees). */
typedef struct fb_optics {
    int width, height;
    double sigma_px;
    int radius;                            /* taps each side: ceil(3 sigma), capped; 0 = no blur */
    float w[2 * FB_OPTICS_MAX_RADIUS + 1]; /* normalised, w[radius] is the centre */
    float *tmp;                            /* width*height: horizontal pass */
    float *line;                           /* width + 2 radius: one padded row */
    float *flat;                           /* width: a row of the background value */
    int *span_lo, *span_hi; /* per row: columns [lo, hi) of the horizontal pass; lo = hi: none */
    float *illum;           /* width*height relative illumination V, NULL: no vignetting */
    /* Row by row (fb_optics_rows_begin / fb_optics_row): */
    float *ring;            /* 2 radius + 1 rows of the horizontal pass, row y in y % (2r + 1) */
    int next_h;             /* the next row the horizontal pass takes */
    int simd;               /* widest vector copy to use where the CPU has it: 2 AVX-512 (the
                             * default), 1 AVX2, 0 none; the same image from each (tests) */
} fb_optics;

/* Returns FB_ERR_RANGE for a size outside 1..4096 or bad params, FB_ERR_NOMEM; after an error
 * *o is safe to fb_optics_free. Kernel: w[k] proportional to exp(-k^2 / (2 sigma^2)) for
 * |k| <= radius, summing to 1; sigma below 0.2 px gives radius 0 (no blur). */
int fb_optics_init(fb_optics *o, int width, int height, const fb_optics_params *p);
void fb_optics_free(fb_optics *o);

/* Vignetting: the relative illumination at field angle theta (tan theta = r / focal length)
 * falls as cos^4 theta, scaled so that the image corner gets corner_illumination:
 *   V = 1 - (1 - corner) (1 - cos^4 theta) / (1 - cos^4 theta_corner).
 * What the lens does not pass from the scene, its barrel and housing supply at their own
 * temperature: radiance[i] = V_i radiance[i] + (1 - V_i) housing_radiance. No-op without it. */
void fb_optics_vignette(const fb_optics *o, float *radiance, float housing_radiance);

/* Blurs radiance[width*height] in place with the separable kernel; the scene beyond the frame
 * edge continues the edge pixel. background is a hint for speed only: rows are scanned for
 * pixels that differ from it, and only those plus the kernel radius are convolved — exact,
 * because the blur of a uniform region is that value. Any value gives the same image (up to
 * float rounding of uniform regions next to detail); the wall's radiance makes it fast. AVX-512
 * and AVX2 copies run when the CPU has them (o->simd): the same sums in the same order, so the
 * same image. */
void fb_optics_blur(fb_optics *o, float *radiance, float background);

/* The same blur a row at a time, for a pipeline that carries rows on while they are in cache:
 * after fb_optics_rows_begin(o, background), fb_optics_row(o, radiance, y, out) for y = 0, 1,
 * ... in order (rows may be skipped) returns row y of fb_optics_blur, bit for bit: a pointer to
 * out[width] where it wrote it, or into radiance itself when the row is untouched (no detail
 * within the radius). radiance is only read. The horizontal pass runs radius rows ahead into a
 * ring of 2 radius + 1 rows. The vignetting (illum) is the caller's to apply: the sensor does it
 * on the way in (fb_sensor_pixels_shaded, models/sensor.h), with fb_optics_vignette's
 * expression. */
void fb_optics_rows_begin(fb_optics *o, float background);
/* A cursor for fb_optics_rows_begin / fb_optics_row of its own: o's kernel and size, and its own
 * ring and row buffers (no vignetting table, no whole-frame pass), so that several threads may
 * each blur rows of one image at once, every row the same as o gives it. fb_optics_free frees
 * it. Returns FB_OK or FB_ERR_NOMEM (then c is freed). */
int fb_optics_rows_init(fb_optics *c, const fb_optics *o);
const float *fb_optics_row(fb_optics *o, const float *radiance, int y, float *out);

#endif
