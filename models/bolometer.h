/* bolometer.h — the microbolometer pixel's thermal time constant and the array's rolling
 * readout: each pixel's temperature follows the radiance falling on it with a first-order lag,
 * and row y is read a fraction of a frame period before the last row, so moving edges smear
 * and the smear differs from the top of the frame to the bottom (FACTS.md: 7-12 ms, line by line).
 *
 * The scene is known at frame times only; between two frames each pixel's radiance is taken to
 * change linearly, for which the lag has an exact solution (no stepping error). */
#ifndef FB_BOLOMETER_H
#define FB_BOLOMETER_H

#include <stdbool.h>

typedef struct fb_bolometer {
    int width, height;
    double tau_s;     /* thermal time constant, 0: the pixel follows at once (pass-through) */
    bool rolling;     /* rows read one after another over a frame period (false: all at once) */
    float *s_prev;    /* width*height: each pixel's state at the previous frame time (owned) */
    float *l_prev;    /* width*height: the radiance at the previous frame time (owned) */
    float *row_w;     /* 3 * height: per row, the weights of s_prev, l_prev, l_now when read */
    float full_w[3];  /* the same at the frame time itself: the state carried forward */
    double dt_s;      /* the frame interval the weights are for (0: not yet) */
    double t_prev_s;
    bool primed;      /* a frame has been seen */
} fb_bolometer;

/* Returns FB_ERR_RANGE for a size outside 1..8192 or tau_s outside [0, 1], FB_ERR_NOMEM; after
 * an error *b is safe to fb_bolometer_free. */
int fb_bolometer_init(fb_bolometer *b, int width, int height, double tau_s, bool rolling);
void fb_bolometer_free(fb_bolometer *b);

/* Turns the radiance falling on the array at time t_s (> the previous call's; the first call
 * starts from a steady state) into the radiance-equivalent the pixels hold when read, in place.
 * With frame interval d and a = (y + 0.5) / height (1 for a global readout), row y is read at
 * t_s - (1 - a) d; for radiance changing linearly from L0 (previous frame) to L1:
 *   S = e^-h S0 + (1 - e^-h) L0 + a (1 - (1 - e^-h) / h) (L1 - L0),  h = a d / tau. */
void fb_bolometer_apply(fb_bolometer *b, float *radiance, double t_s);

#endif
