/* blackbody.h — the reference blackbody (ETRS): a controlled square source beside the lane, its warm-up and its failures. */
#ifndef FB_BLACKBODY_H
#define FB_BLACKBODY_H

#include <stdbool.h>
#include <stdint.h>
#include "rng.h"

/* What can go wrong with the reference during a run (docs/scenario.md, "blackbody.failures"). */
typedef enum fb_bb_failure_kind {
    FB_BB_FAIL_OFF = 0,      /* heater off (unplugged, tripped): the surface cools to the room */
    FB_BB_FAIL_DRIFT = 1,    /* controller fault: the surface runs away from the set point */
    FB_BB_FAIL_MOVED = 2,    /* knocked or carried away: no longer where the camera was told */
    FB_BB_FAIL_OCCLUDED = 3, /* something at room temperature in front of it (a coat, a board) */
    FB_BB_FAIL_KIND_COUNT
} fb_bb_failure_kind;

#define FB_BB_MAX_FAILURES 8

typedef struct fb_bb_failure {
    fb_bb_failure_kind kind;
    double at_s;           /* starts here */
    double until_s;        /* ends here (INFINITY: lasts to the end of the run); > at_s */
    double rate_c_per_min; /* drift: the surface's target moves this fast (signed) */
    double offset_m[3];    /* moved: displacement (lateral, along the axis, height) */
} fb_bb_failure;

typedef struct fb_blackbody_params {
    bool enabled;
    double set_c;            /* set point; vendors 35 °C, FDA/Wang 2023 found 36–37 °C best */
    double emissivity;       /* (0, 1], typical ETRS 0.97–0.99 */
    double x_m, y_m, z_m;    /* centre: lateral (+ image right), distance along the axis, height */
    double aperture_m;       /* side of the square emitting surface */
    double instability_c;    /* stationary SD of the surface around the set point (OU) */
    double instability_tau_s;/* its time constant, > 0 */
    /* Warm-up and cooling (issue 3). cold_start: switched on at t = 0 at room temperature. */
    bool cold_start;
    double heat_rate_c_per_min; /* heater's slew limit when far below the target, > 0 */
    double cool_tau_s;          /* passive cooling time constant toward the room, > 0 */
    fb_bb_failure failures[FB_BB_MAX_FAILURES];
    uint32_t n_failures;
} fb_blackbody_params;

/* The controller settles the last fraction of a kelvin with this time constant (a PID-held
 * source reaches its set point without overshoot in about a minute: an assumption, see
 * docs/scenario.md). */
#define FB_BB_CONTROL_TAU_S 15.0
/* Defaults for the warm-up keys: a 7 cm ETRS plate warms at about 1 K/min (a 35 °C source
 * from a 23 °C room in ~12 min + settling) and loses heat to the room with τ ≈ 10 min
 * (assumed: vendors quote 10–20 min warm-up; no published cooling figure). */
#define FB_BB_DEFAULT_HEAT_RATE_C_PER_MIN 1.0
#define FB_BB_DEFAULT_COOL_TAU_S 600.0

typedef struct fb_blackbody {
    fb_blackbody_params p;
    fb_rng rng;
    double t_s;
    double controlled_c;  /* the plate temperature the heater and the room make */
    double deviation_c;   /* OU instability around it */
    double surface_c;     /* actual emitting surface temperature now: controlled + deviation */
} fb_blackbody;

/* Returns FB_ERR_RANGE for emissivity outside (0,1], aperture <= 0, tau <= 0, instability < 0,
 * heat rate or cooling constant <= 0, a failure with until_s <= at_s or at_s < 0, or more than
 * FB_BB_MAX_FAILURES failures (all checked only when enabled). Draws from stream (seed,
 * FB_STREAM_BLACKBODY, 0); the deviation starts at a draw from its stationary distribution
 * (exactly 0 when instability_c is 0). A cold start begins at ambient_c, else at the set point. */
int fb_blackbody_reset(fb_blackbody *b, const fb_blackbody_params *p, uint64_t seed,
                       double ambient_c);
/* Advances to t_s in a room at ambient_c and returns the surface temperature in °C. The plate
 * follows dT/dt = min((target - T) / FB_BB_CONTROL_TAU_S, heat rate) below its target with the
 * heater on, max((target - T) / FB_BB_CONTROL_TAU_S, (ambient - T) / cool_tau) above it, and
 * (ambient - T) / cool_tau with the heater off; integrated in steps of at most 0.25 s. */
double fb_blackbody_step(fb_blackbody *b, double t_s, double ambient_c);

/* Whether a failure of this kind is active at t_s (at_s <= t < until_s). */
bool fb_blackbody_failing(const fb_blackbody *b, fb_bb_failure_kind kind, double t_s);
/* Where the source is at t_s (its installed position plus the active "moved" offsets). */
void fb_blackbody_position(const fb_blackbody *b, double t_s, double *x_m, double *y_m,
                           double *z_m);
/* The temperature the controller is trying to hold at t_s: the set point plus any active
 * drift's run-away. */
double fb_blackbody_target_c(const fb_blackbody *b, double t_s);
/* Name of a failure kind as in scenario files ("off", "drift", "moved", "occluded"). */
const char *fb_bb_failure_name(fb_bb_failure_kind kind);

#endif
