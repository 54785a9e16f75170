/* blackbody.c — the reference blackbody's emitting surface: its set point plus an Ornstein–Uhlenbeck instability. */
#include <math.h>
#include "blackbody.h"
#include "fb_error.h"

int fb_blackbody_reset(fb_blackbody *b, const fb_blackbody_params *p, uint64_t seed)
{
    /* On error *b is unchanged. A disabled blackbody is not range-checked (it is never drawn). */
    if (!b || !p)
        return FB_ERR_ARG;
    if (p->enabled) {
        if (!isfinite(p->set_c) || !isfinite(p->x_m) || !isfinite(p->y_m) || !isfinite(p->z_m))
            return FB_ERR_RANGE;
        if (!(p->emissivity > 0.0 && p->emissivity <= 1.0))
            return FB_ERR_RANGE;
        if (!(p->aperture_m > 0.0) || !isfinite(p->aperture_m))
            return FB_ERR_RANGE;
        if (!(p->instability_c >= 0.0) || !isfinite(p->instability_c))
            return FB_ERR_RANGE;
        if (!(p->instability_tau_s > 0.0) || !isfinite(p->instability_tau_s))
            return FB_ERR_RANGE;
    }
    b->p = *p;
    fb_rng_seed(&b->rng, seed, FB_STREAM_BLACKBODY, 0);
    b->t_s = 0.0;
    /* The source has been running: its deviation starts at a draw from the stationary
     * distribution (exactly set_c when the instability is 0). */
    b->surface_c = p->set_c;
    if (p->instability_c > 0.0)
        b->surface_c += p->instability_c * fb_rng_normal(&b->rng);
    return FB_OK;
}

double fb_blackbody_step(fb_blackbody *b, double t_s)
{
    /* Exact OU transition of the deviation from the set point; time never runs backwards. */
    if (!(t_s > b->t_s))
        return b->surface_c;
    if (b->p.instability_c > 0.0) {
        double a = exp(-(t_s - b->t_s) / b->p.instability_tau_s);
        double dev = (b->surface_c - b->p.set_c) * a +
                     b->p.instability_c * sqrt(1.0 - a * a) * fb_rng_normal(&b->rng);
        b->surface_c = b->p.set_c + dev;
    }
    b->t_s = t_s;
    return b->surface_c;
}
