/* bolometer.c — first-order pixel lag under piecewise-linear radiance, read row by row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bolometer.h"
#include "fb_error.h"

int fb_bolometer_init(fb_bolometer *b, int width, int height, double tau_s, bool rolling)
{
    memset(b, 0, sizeof(*b));
    if (width < 1 || height < 1 || width > 8192 || height > 8192 || !(tau_s >= 0 && tau_s <= 1))
        return FB_ERR_RANGE;
    b->width = width;
    b->height = height;
    b->tau_s = tau_s;
    b->rolling = rolling;
    if (tau_s == 0)
        return FB_OK;
    size_t n = (size_t)width * (size_t)height;
    b->s_prev = malloc(n * sizeof(float));
    b->l_prev = malloc(n * sizeof(float));
    b->row_w = malloc(3 * (size_t)height * sizeof(float));
    if (!b->s_prev || !b->l_prev || !b->row_w) {
        fb_bolometer_free(b);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_bolometer_free(fb_bolometer *b)
{
    free(b->s_prev);
    free(b->l_prev);
    free(b->row_w);
    memset(b, 0, sizeof(*b));
}

/* Weights of S0, L0 and L1 for a read at share a of the interval d after the previous frame. */
static void weights(double a, double d, double tau, float w[3])
{
    double h = a * d / tau;
    if (h < 1e-9) { /* read at the previous frame's time: the state then */
        w[0] = 1.0f;
        w[1] = w[2] = 0.0f;
        return;
    }
    double e = exp(-h), ramp = a * (1.0 - (1.0 - e) / h);
    w[0] = (float)e;
    w[1] = (float)(1.0 - e - ramp);
    w[2] = (float)ramp;
}

void fb_bolometer_apply(fb_bolometer *b, float *radiance, double t_s)
{
    if (b->tau_s == 0)
        return;
    size_t w = (size_t)b->width, n = w * (size_t)b->height;
    if (!b->primed || !(t_s > b->t_prev_s)) {
        /* the first frame (or time not moving on): a steady state, nothing to smear */
        memcpy(b->s_prev, radiance, n * sizeof(float));
        memcpy(b->l_prev, radiance, n * sizeof(float));
        b->primed = true;
        b->t_prev_s = t_s;
        return;
    }
    double d = t_s - b->t_prev_s;
    if (d != b->dt_s) {
        for (int y = 0; y < b->height; y++)
            weights(b->rolling ? (y + 0.5) / b->height : 1.0, d, b->tau_s, &b->row_w[3 * y]);
        weights(1.0, d, b->tau_s, b->full_w);
        b->dt_s = d;
    }
    const float f0 = b->full_w[0], f1 = b->full_w[1], f2 = b->full_w[2];
    for (int y = 0; y < b->height; y++) {
        const float r0 = b->row_w[3 * y], r1 = b->row_w[3 * y + 1], r2 = b->row_w[3 * y + 2];
        float *l = radiance + (size_t)y * w, *s = b->s_prev + (size_t)y * w;
        float *lp = b->l_prev + (size_t)y * w;
        for (size_t x = 0; x < w; x++) {
            float l1 = l[x], l0 = lp[x], s0 = s[x];
            l[x] = r0 * s0 + r1 * l0 + r2 * l1;
            s[x] = f0 * s0 + f1 * l0 + f2 * l1;
            lp[x] = l1;
        }
    }
    b->t_prev_s = t_s;
}
