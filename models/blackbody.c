/* blackbody.c — the reference blackbody's emitting surface: heater control, warm-up, cooling when off, drift faults, an OU instability. */
#include <math.h>
#include "blackbody.h"
#include "fb_error.h"

static const char *const failure_names[FB_BB_FAIL_KIND_COUNT] = {"off", "drift", "moved",
                                                                 "occluded"};

const char *fb_bb_failure_name(fb_bb_failure_kind kind)
{
    return (unsigned)kind < FB_BB_FAIL_KIND_COUNT ? failure_names[kind] : "?";
}

static bool valid_failure(const fb_bb_failure *f)
{
    if ((unsigned)f->kind >= FB_BB_FAIL_KIND_COUNT)
        return false;
    if (!(f->at_s >= 0.0) || !isfinite(f->at_s) || !(f->until_s > f->at_s) || isnan(f->until_s))
        return false;
    if (!isfinite(f->rate_c_per_min))
        return false;
    for (int i = 0; i < 3; i++)
        if (!isfinite(f->offset_m[i]))
            return false;
    return true;
}

static int check(const fb_blackbody_params *p)
{
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
    if (!(p->heat_rate_c_per_min > 0.0) || !isfinite(p->heat_rate_c_per_min))
        return FB_ERR_RANGE;
    if (!(p->cool_tau_s > 0.0) || !isfinite(p->cool_tau_s))
        return FB_ERR_RANGE;
    if (p->n_failures > FB_BB_MAX_FAILURES)
        return FB_ERR_RANGE;
    for (uint32_t i = 0; i < p->n_failures; i++)
        if (!valid_failure(&p->failures[i]))
            return FB_ERR_RANGE;
    return FB_OK;
}

int fb_blackbody_reset(fb_blackbody *b, const fb_blackbody_params *p, uint64_t seed,
                       double ambient_c)
{
    /* On error *b is unchanged. A disabled blackbody is not range-checked (it is never drawn). */
    if (!b || !p)
        return FB_ERR_ARG;
    if (p->enabled) {
        int rc = check(p);
        if (rc)
            return rc;
        if (p->cold_start && !isfinite(ambient_c))
            return FB_ERR_RANGE;
    }
    b->p = *p;
    fb_rng_seed(&b->rng, seed, FB_STREAM_BLACKBODY, 0);
    b->t_s = 0.0;
    b->controlled_c = p->cold_start ? ambient_c : p->set_c;
    /* The controller has been holding the plate: its deviation starts at a draw from the
     * stationary distribution (exactly 0 when the instability is 0). */
    b->deviation_c = p->instability_c > 0.0 ? p->instability_c * fb_rng_normal(&b->rng) : 0.0;
    b->surface_c = b->controlled_c + b->deviation_c;
    return FB_OK;
}

bool fb_blackbody_failing(const fb_blackbody *b, fb_bb_failure_kind kind, double t_s)
{
    for (uint32_t i = 0; i < b->p.n_failures; i++) {
        const fb_bb_failure *f = &b->p.failures[i];
        if (f->kind == kind && t_s >= f->at_s && t_s < f->until_s)
            return true;
    }
    return false;
}

double fb_blackbody_target_c(const fb_blackbody *b, double t_s)
{
    double target = b->p.set_c;
    for (uint32_t i = 0; i < b->p.n_failures; i++) {
        const fb_bb_failure *f = &b->p.failures[i];
        if (f->kind == FB_BB_FAIL_DRIFT && t_s >= f->at_s && t_s < f->until_s)
            target += f->rate_c_per_min * (t_s - f->at_s) / 60.0;
    }
    return target;
}

void fb_blackbody_position(const fb_blackbody *b, double t_s, double *x_m, double *y_m,
                           double *z_m)
{
    double x = b->p.x_m, y = b->p.y_m, z = b->p.z_m;
    for (uint32_t i = 0; i < b->p.n_failures; i++) {
        const fb_bb_failure *f = &b->p.failures[i];
        if (f->kind == FB_BB_FAIL_MOVED && t_s >= f->at_s && t_s < f->until_s) {
            x += f->offset_m[0];
            y += f->offset_m[1];
            z += f->offset_m[2];
        }
    }
    *x_m = x;
    *y_m = y;
    *z_m = z;
}

/* dT/dt of the plate (K/s) at time t: heater and room (see blackbody.h). */
static double plate_rate(const fb_blackbody *b, double temp_c, double t_s, double ambient_c)
{
    double passive = (ambient_c - temp_c) / b->p.cool_tau_s;
    if (fb_blackbody_failing(b, FB_BB_FAIL_OFF, t_s))
        return passive;
    double control = (fb_blackbody_target_c(b, t_s) - temp_c) / FB_BB_CONTROL_TAU_S;
    if (control >= 0.0) /* heating: the heater's power limits the rate far from the target */
        return fmin(control, b->p.heat_rate_c_per_min / 60.0);
    /* above the target the heater is off: it cools no faster than the room lets it */
    return fmax(control, passive);
}

double fb_blackbody_step(fb_blackbody *b, double t_s, double ambient_c)
{
    /* Time never runs backwards. */
    if (!(t_s > b->t_s))
        return b->surface_c;
    double dt_total = t_s - b->t_s;
    int n = (int)ceil(dt_total / 0.25);
    if (n < 1)
        n = 1;
    if (n > 1000000) /* a jump of days: settle in 1000000 steps, still exact enough */
        n = 1000000;
    double h = dt_total / n, t = b->t_s, temp = b->controlled_c;
    for (int i = 0; i < n; i++) { /* midpoint (RK2): the rates change slowly against h */
        double k1 = plate_rate(b, temp, t, ambient_c);
        double k2 = plate_rate(b, temp + 0.5 * h * k1, t + 0.5 * h, ambient_c);
        temp += h * k2;
        t += h;
    }
    b->controlled_c = temp;
    if (b->p.instability_c > 0.0) { /* exact OU transition of the deviation */
        double a = exp(-dt_total / b->p.instability_tau_s);
        b->deviation_c = b->deviation_c * a +
                         b->p.instability_c * sqrt(1.0 - a * a) * fb_rng_normal(&b->rng);
    }
    b->surface_c = b->controlled_c + b->deviation_c;
    b->t_s = t_s;
    return b->surface_c;
}
