/* physiology.h — a person's core and skin temperatures, drawn from the FDA clinical study numbers (docs/sources.md). */
#ifndef FB_PHYSIOLOGY_H
#define FB_PHYSIOLOGY_H

#include <stdbool.h>
#include "rng.h"

/* Population parameters; fb_physiology_defaults() fills the docs/sources.md values. */
typedef struct fb_physiology_params {
    double afebrile_core_mean_c;   /* 36.89, FDA/PhysioNet afebrile oral mean */
    double afebrile_core_sd_c;     /* 0.28 */
    double afebrile_core_max_c;    /* 37.49: afebrile draws are redrawn above this (fever line 37.5) */
    double febrile_core_mean_c;    /* 38.3 (our default: FDA data 10.9 % >= 37.5, 4.8 % >= 38.0, max 40.3) */
    double febrile_core_sd_c;      /* 0.6 */
    double febrile_core_min_c;     /* 37.5: febrile draws are redrawn below this */
    double febrile_core_max_c;     /* 41.0 */
    double canthus_offset_mean_c;  /* 1.24: oral - inner-canthus max, FDA */
    double canthus_offset_sd_c;    /* 0.34 */
    double canthus_lr_sd_c;        /* 0.28: right - left canthus SD, FDA (mean -0.01 ignored) */
    double forehead_offset_mean_c; /* 1.28: canthus - forehead centre, FDA */
    double forehead_offset_sd_c;   /* 0.59 */
    double ambient_slope;          /* 0.115 °C canthus per °C ambient, FDA */
    double ambient_ref_c;          /* 24.1: FDA study mean ambient, where the offsets hold */
} fb_physiology_params;

void fb_physiology_defaults(fb_physiology_params *p);

/* One person, drawn once. Offsets are person-specific and constant over a run. */
typedef struct fb_physio {
    bool febrile;               /* drawn from the febrile distribution */
    double core_c;              /* true core (oral) temperature */
    double canthus_offset_c;    /* core - canthus max at ambient_ref_c */
    double canthus_lr_c;        /* |right - left| canthus difference (the cooler side is lower) */
    double forehead_offset_c;   /* canthus max - forehead centre (>= 0.2, redrawn below) */
} fb_physio;

/* Draws a person: febrile with probability fever_share (0..1), else afebrile. Uses only r. */
void fb_physiology_draw(const fb_physiology_params *p, double fever_share, fb_rng *r,
                        fb_physio *out);

/* Surface temperatures of each region of the person at a given room temperature.
 * canthus_max_c = core - canthus_offset + ambient_slope * (ambient - ambient_ref).
 * Other regions are fixed offsets below the canthus or blends toward ambient (documented in
 * the .c with their source): periorbital canthus-0.4, forehead canthus-forehead_offset,
 * cheeks forehead-0.5, nose cheeks-1.5, neck canthus-1.0, hair ambient+0.35*(forehead-ambient),
 * clothing ambient+0.45*(forehead-ambient), hands canthus-3.0. */
typedef struct fb_surface_temps {
    double canthus_max_c;  /* the truth the camera should read: hotter inner canthus */
    double canthus_min_c;  /* the other inner canthus */
    double periorbital_c;
    double forehead_c;
    double cheeks_c;
    double nose_c;
    double neck_c;
    double hair_c;
    double clothing_c;
    double hands_c;
    /* Worn and carried items (models/confounders.h sets them; fb_physiology_surface leaves
     * them at the air temperature). */
    double lens_c;
    double mask_c;
    double hat_c;
    double cup_c;
} fb_surface_temps;

void fb_physiology_surface(const fb_physiology_params *p, const fb_physio *ph, double ambient_c,
                           fb_surface_temps *out);

/* Skin emissivity in LWIR (docs/sources.md): 0.98. */
#define FB_SKIN_EMISSIVITY 0.98
#define FB_CLOTHING_EMISSIVITY 0.95
#define FB_HAIR_EMISSIVITY 0.95

#endif
