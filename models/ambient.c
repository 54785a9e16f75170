/* ambient.c — room air temperature over time: constant, ramp, sinusoid or Ornstein–Uhlenbeck random walk. */
#include <math.h>
#include "ambient.h"
#include "fb_error.h"

#define FB_TWO_PI 6.28318530717958647692

/* Exact OU transition over dt_s (Gillespie 1996): x' = x e^(-dt/tau) + sd sqrt(1 - e^(-2dt/tau)) N. */
static double ou_step(fb_rng *r, double x, double sd, double tau_s, double dt_s)
{
    double a = exp(-dt_s / tau_s);
    return x * a + sd * sqrt(1.0 - a * a) * fb_rng_normal(r);
}

static double deterministic_c(const fb_ambient_params *p, double t_s)
{
    switch (p->kind) {
    case FB_AMBIENT_RAMP: return p->base_c + p->rate_c_per_h * t_s / 3600.0;
    case FB_AMBIENT_SINE: return p->base_c + p->amplitude_c * sin(FB_TWO_PI * t_s / p->period_s);
    case FB_AMBIENT_CONSTANT:
    case FB_AMBIENT_RANDOM_WALK: break;
    }
    return p->base_c;
}

int fb_ambient_reset(fb_ambient *a, const fb_ambient_params *p, uint64_t seed)
{
    /* Only the fields the kind uses are checked, so a loader may leave the others 0.
     * On error *a is unchanged. */
    if (!a || !p)
        return FB_ERR_ARG;
    if (!isfinite(p->base_c))
        return FB_ERR_RANGE;
    switch (p->kind) {
    case FB_AMBIENT_CONSTANT: break;
    case FB_AMBIENT_RAMP:
        if (!isfinite(p->rate_c_per_h))
            return FB_ERR_RANGE;
        break;
    case FB_AMBIENT_SINE:
        if (!isfinite(p->amplitude_c) || !(p->period_s > 0.0) || !isfinite(p->period_s))
            return FB_ERR_RANGE;
        break;
    case FB_AMBIENT_RANDOM_WALK:
        if (!(p->sd_c >= 0.0) || !isfinite(p->sd_c) || !(p->tau_s > 0.0) || !isfinite(p->tau_s))
            return FB_ERR_RANGE;
        break;
    default: return FB_ERR_RANGE;
    }
    a->p = *p;
    fb_rng_seed(&a->rng, seed, FB_STREAM_AMBIENT, 0);
    a->t_s = 0.0;
    a->ou_c = 0.0;
    a->value_c = p->base_c;
    return FB_OK;
}

double fb_ambient_step(fb_ambient *a, double t_s)
{
    /* Time never runs backwards: an earlier t_s returns the current value unchanged. */
    if (!(t_s > a->t_s))
        return a->value_c;
    if (a->p.kind == FB_AMBIENT_RANDOM_WALK) {
        a->ou_c = ou_step(&a->rng, a->ou_c, a->p.sd_c, a->p.tau_s, t_s - a->t_s);
        a->value_c = a->p.base_c + a->ou_c;
    } else {
        a->value_c = deterministic_c(&a->p, t_s);
    }
    a->t_s = t_s;
    return a->value_c;
}
