/* test_optics.c — the lens PSF: its width from f-number, wavelength and pitch by hand, the kernel, and the fast blur (detail spans only) against a brute-force full-frame convolution. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fb_error.h"
#include "fbtest.h"
#include "optics.h"

#define W 96
#define H 64

/* Full-frame separable convolution in double, edges continued: the reference. */
static void brute(const fb_optics *o, const float *in, double *out)
{
    int r = o->radius;
    double *tmp = malloc(sizeof(double) * W * H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double a = 0;
            for (int k = -r; k <= r; k++) {
                int xx = x + k < 0 ? 0 : x + k >= W ? W - 1 : x + k;
                a += o->w[k + r] * (double)in[y * W + xx];
            }
            tmp[y * W + x] = a;
        }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double a = 0;
            for (int k = -r; k <= r; k++) {
                int yy = y + k < 0 ? 0 : y + k >= H ? H - 1 : y + k;
                a += o->w[k + r] * tmp[yy * W + x];
            }
            out[y * W + x] = a;
        }
    free(tmp);
}

static void rect(float *img, int x0, int y0, int x1, int y1, float v)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            img[y * W + x] = v;
}

int main(void)
{
    /* sigma = sqrt((0.42 * 10 um * N)^2 + blur^2) / pitch, by hand:
     * f/1.1, 12 um, no blur: 4.62 / 12 = 0.385; blur 5 um: sqrt(21.3444 + 25) / 12 = 0.567306;
     * f/1.0, 17 um, blur 5 um: sqrt(17.64 + 25) / 17 = 0.38411. */
    fb_optics_params p = {12.0, 1.1, 0.0, 0.0, 0.0};
    CHECK_NEAR(fb_optics_sigma_px(&p), 0.385, 1e-9);
    p.lens_blur_um = 5.0;
    CHECK_NEAR(fb_optics_sigma_px(&p), 0.567306, 1e-6);
    fb_optics_params q = {17.0, 1.0, 5.0, 0.0, 0.0};
    CHECK_NEAR(fb_optics_sigma_px(&q), 0.38411, 1e-5);
    fb_optics_params bad = {0.0, 1.1, 0.0, 0.0, 0.0};
    CHECK(fb_optics_sigma_px(&bad) < 0.0);

    fb_optics o;
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &bad), FB_ERR_RANGE);
    fb_optics_free(&o);
    CHECK_EQ_INT(fb_optics_init(&o, 0, H, &p), FB_ERR_RANGE);
    fb_optics_free(&o);

    /* Kernel for sigma 0.567306: radius ceil(3 sigma) = 2; w1/w0 = exp(-1 / (2 sigma^2)) =
     * exp(-1.553593) = 0.211488, w2/w0 = exp(-6.214372) = 0.0020005; centre 0.70078. */
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &p), FB_OK);
    CHECK_EQ_INT(o.radius, 2);
    CHECK_NEAR(o.w[3] / o.w[2], 0.211488, 1e-6);
    CHECK_NEAR(o.w[2], 0.70078, 1e-5);
    CHECK_NEAR(o.w[4] / o.w[2], 0.0020005, 1e-7);
    CHECK_NEAR(o.w[0], o.w[4], 0.0);
    CHECK_NEAR((double)o.w[0] + o.w[1] + o.w[2] + o.w[3] + o.w[4], 1.0, 1e-6);

    /* A scene with detail: wall, a big warm body touching the left edge, a small hot spot,
     * a single hot pixel and a spot in the bottom-right corner. The fast blur equals the
     * full-frame convolution, and does not depend on the background hint. */
    float *img = malloc(sizeof(float) * W * H), *a = malloc(sizeof(float) * W * H);
    float *b = malloc(sizeof(float) * W * H);
    double *ref = malloc(sizeof(double) * W * H);
    const float wall = 40.0f;
    for (int i = 0; i < W * H; i++)
        img[i] = wall;
    rect(img, 0, 10, 20, 40, 48.0f);
    rect(img, 50, 20, 52, 22, 55.0f);
    img[30 * W + 70] = 60.0f;
    rect(img, W - 3, H - 2, W, H, 45.0f);
    memcpy(a, img, sizeof(float) * W * H);
    memcpy(b, img, sizeof(float) * W * H);
    brute(&o, img, ref);
    fb_optics_blur(&o, a, wall);
    fb_optics_blur(&o, b, 48.0f); /* a poor hint: slower, same image */
    double worst = 0, worst_b = 0, sum_in = 0, sum_out = 0;
    for (int i = 0; i < W * H; i++) {
        worst = fmax(worst, fabs(a[i] - ref[i]));
        worst_b = fmax(worst_b, fabs(b[i] - ref[i]));
    }
    CHECK(worst < 1e-4); /* float sums of ~50: a few ulp */
    CHECK(worst_b < 1e-4);
    /* Untouched far from detail: exactly the wall. */
    CHECK(a[2 * W + 90] == wall);
    CHECK(a[(H - 1) * W + 40] == wall);
    /* The single hot pixel spreads: centre keeps w2^2 of the excess (0.70078^2), and the
     * excess is conserved away from the edges. */
    CHECK_NEAR(a[30 * W + 70] - wall, 20.0 * o.w[2] * o.w[2], 1e-4);
    for (int y = 25; y <= 35; y++)
        for (int x = 65; x <= 75; x++) {
            sum_in += img[y * W + x] - wall;
            sum_out += a[y * W + x] - wall;
        }
    CHECK_NEAR(sum_out, sum_in, 1e-3);
    /* Deep inside the big body the level is kept. */
    CHECK_NEAR(a[25 * W + 10], 48.0, 1e-5);
    fb_optics_free(&o);

    /* Sharp optics (sigma < 0.2 px): no blur at all. */
    fb_optics_params sharp = {50.0, 1.0, 0.0, 0.0, 0.0}; /* 4.2 / 50 = 0.084 px */
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &sharp), FB_OK);
    CHECK_EQ_INT(o.radius, 0);
    memcpy(a, img, sizeof(float) * W * H);
    fb_optics_blur(&o, a, wall);
    CHECK(memcmp(a, img, sizeof(float) * W * H) == 0);
    fb_optics_free(&o);

    free(img);
    free(a);
    free(b);
    free(ref);

    /* Vignetting, by hand: W x H at hfov 60°: f = 48 / tan 30° = 83.138 px; the corner at
     * r^2 = 48^2 + 32^2 = 3328 px^2, tan^2 = 0.48148, cos^4 = 1 / 1.48148^2 = 0.455625. A pixel
     * centre 0.5 px in from the corner keeps nearly all of the falloff; the centre pixels none. */
    fb_optics_params v = {50.0, 1.0, 0.0, 0.8, 60.0};
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &v), FB_OK);
    CHECK(o.illum != NULL);
    double f = 48.0 / tan(30.0 * 3.14159265358979323846 / 180.0);
    double t2 = (47.5 * 47.5 + 31.5 * 31.5) / (f * f), c4 = 1.0 / ((1 + t2) * (1 + t2));
    CHECK_NEAR(o.illum[0], 1.0 - 0.2 * (1.0 - c4) / (1.0 - 0.455625), 1e-5);
    CHECK(o.illum[0] > 0.8 && o.illum[0] < 0.81);
    CHECK_NEAR(o.illum[(H / 2) * W + W / 2], 1.0, 1e-4);
    CHECK(o.illum[(H / 2) * W + 0] < o.illum[(H / 2) * W + W / 4]); /* falls outward */
    float px[W * H];
    for (int i = 0; i < W * H; i++)
        px[i] = 10.0f;
    fb_optics_vignette(&o, px, 10.0f); /* housing as bright as the scene: nothing shows */
    CHECK_NEAR(px[0], 10.0, 1e-6);
    fb_optics_vignette(&o, px, 0.0f); /* a black housing: the scene dimmed by V */
    CHECK_NEAR(px[0], 10.0 * o.illum[0], 1e-5);
    fb_optics_free(&o);
    fb_optics_params v1 = {50.0, 1.0, 0.0, 1.0, 60.0}; /* 1: no vignetting */
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &v1), FB_OK);
    CHECK(o.illum == NULL);
    fb_optics_free(&o);
    fb_optics_params vbad = {50.0, 1.0, 0.0, 0.8, 0.0}; /* vignetting needs a field of view */
    CHECK_EQ_INT(fb_optics_init(&o, W, H, &vbad), FB_ERR_RANGE);
    fb_optics_free(&o);
    return FBTEST_END();
}
