/* atmosphere.c — LWIR transmission of room air over a few metres (FLIR's empirical water-vapour model) and path radiance. */
#include <math.h>
#include "atmosphere.h"

/* FLIR SC660 atmospheric constants (Thermimage raw2temp; Minkina & Dudzik 2009). */
#define ATM_X  1.9
#define ATM_A1 0.006569
#define ATM_A2 0.01262
#define ATM_B1 (-0.002276)
#define ATM_B2 (-0.00667)

double fb_atmosphere_h2o(double air_c, double rh_percent)
{
    double rh = rh_percent < 0.0 ? 0.0 : rh_percent > 100.0 ? 100.0 : rh_percent;
    double t = air_c;
    return rh / 100.0 * exp(1.5587 + 0.06939 * t - 0.00027816 * t * t + 0.00000068455 * t * t * t);
}

double fb_atmosphere_transmission(double distance_m, double air_c, double rh_percent)
{
    if (!(distance_m > 0.0))
        return 1.0;
    double s = sqrt(distance_m), h = sqrt(fb_atmosphere_h2o(air_c, rh_percent));
    double tau =
        ATM_X * exp(-s * (ATM_A1 + ATM_B1 * h)) + (1.0 - ATM_X) * exp(-s * (ATM_A2 + ATM_B2 * h));
    return tau < 0.0 ? 0.0 : tau > 1.0 ? 1.0 : tau;
}
