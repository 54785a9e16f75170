/* physiology.c — draws a person's core temperature and facial offsets, and derives the skin temperature of each body region. */
#include <math.h>
#include "physiology.h"

void fb_physiology_defaults(fb_physiology_params *p)
{
    /* docs/sources.md "Human physiology": FDA clinical study (PhysioNet "Facial and oral temperature
     * data", 1020 subjects). */
    p->afebrile_core_mean_c = 36.89;  /* afebrile (< 37.5) oral 36.89 +/- 0.28 */
    p->afebrile_core_sd_c = 0.28;
    p->afebrile_core_max_c = 37.49;   /* fever line 37.5 (FDA dataset) */
    p->febrile_core_mean_c = 38.3;    /* our default: 10.9 % >= 37.5, 4.8 % >= 38.0, max 40.3 */
    p->febrile_core_sd_c = 0.6;
    p->febrile_core_min_c = 37.5;
    p->febrile_core_max_c = 41.0;
    p->canthus_offset_mean_c = 1.24;  /* oral - inner-canthus max 1.24 +/- 0.34 */
    p->canthus_offset_sd_c = 0.34;
    p->canthus_lr_sd_c = 0.28;        /* right - left canthus -0.01 +/- 0.28 */
    p->forehead_offset_mean_c = 1.28; /* canthus - forehead centre 1.28 +/- 0.59 */
    p->forehead_offset_sd_c = 0.59;
    p->ambient_slope = 0.115;         /* canthus +0.115 °C per °C ambient */
    p->ambient_ref_c = 24.1;          /* study ambient 24.1 +/- 1.3 °C */
}

/* Minimum canthus - forehead centre offset: the forehead is never hotter than the canthus. */
#define FOREHEAD_OFFSET_MIN_C 0.2
/* Redraw limit for truncated normals; past it the draw is clamped (only for degenerate
 * parameters, e.g. a bound many SD from the mean). */
#define MAX_REDRAWS 1000

/* N(mean, sd) truncated to [lo, hi] by redrawing. */
static double draw_truncated(fb_rng *r, double mean, double sd, double lo, double hi)
{
    for (int i = 0; i < MAX_REDRAWS; i++) {
        double x = fb_rng_normal_ms(r, mean, sd);
        if (x >= lo && x <= hi)
            return x;
    }
    return fmin(fmax(mean, lo), hi);
}

void fb_physiology_draw(const fb_physiology_params *p, double fever_share, fb_rng *r,
                        fb_physio *out)
{
    /* Fixed draw order (febrile, core, canthus offset, left-right, forehead): changing it
     * changes every run's people. */
    out->febrile = fb_rng_uniform(r) < fever_share;
    if (out->febrile)
        out->core_c = draw_truncated(r, p->febrile_core_mean_c, p->febrile_core_sd_c,
                                     p->febrile_core_min_c, p->febrile_core_max_c);
    else
        out->core_c = draw_truncated(r, p->afebrile_core_mean_c, p->afebrile_core_sd_c, -INFINITY,
                                     p->afebrile_core_max_c);
    /* The FDA offset holds from afebrile to febrile subjects (1.19 ... 1.41 °C): one
     * distribution, untruncated (a negative offset is 3.6 SD away). */
    out->canthus_offset_c = fb_rng_normal_ms(r, p->canthus_offset_mean_c, p->canthus_offset_sd_c);
    out->canthus_lr_c = fabs(fb_rng_normal_ms(r, 0.0, p->canthus_lr_sd_c));
    out->forehead_offset_c = draw_truncated(r, p->forehead_offset_mean_c, p->forehead_offset_sd_c,
                                            FOREHEAD_OFFSET_MIN_C, INFINITY);
}

void fb_physiology_surface(const fb_physiology_params *p, const fb_physio *ph, double ambient_c,
                           fb_surface_temps *out)
{
    /* docs/sources.md: canthus max = oral - 1.24 (person-specific offset), +0.115 °C per °C ambient
     * around the study's 24.1 °C. */
    double canthus = ph->core_c - ph->canthus_offset_c +
                     p->ambient_slope * (ambient_c - p->ambient_ref_c);
    out->canthus_max_c = canthus;
    out->canthus_min_c = canthus - ph->canthus_lr_c; /* FDA right - left SD 0.28 */
    /* Periorbital skin a little cooler than the tear duct (our choice: 0.4 °C); the canthus is
     * the face's hottest spot in most subjects (face max = canthus max in 57 %, docs/sources.md). */
    out->periorbital_c = canthus - 0.4;
    out->forehead_c = canthus - ph->forehead_offset_c; /* FDA canthus - forehead centre */
    /* Cheeks and nose cooler than the forehead (nose tip coolest); neck a little below the
     * canthus; hands well below the core: our round numbers, not from docs/sources.md. */
    out->cheeks_c = out->forehead_c - 0.5;
    out->nose_c = out->cheeks_c - 1.5;
    out->neck_c = canthus - 1.0;
    out->hands_c = canthus - 3.0;
    /* Hair and clothing insulate: their outer surface sits part way from the air to the skin
     * (our blend factors 0.35 and 0.45 toward the forehead temperature). */
    out->hair_c = ambient_c + 0.35 * (out->forehead_c - ambient_c);
    out->clothing_c = ambient_c + 0.45 * (out->forehead_c - ambient_c);
    out->lens_c = out->mask_c = out->hat_c = out->cup_c = ambient_c;
}
