/* confounders.h — what fools a fever-screening camera, per person: worn items (glasses, mask, hat),
 * a hot drink in hand, and skin transients (cold entry, face wipe, exercise), with docs/sources.md
 * numbers. */
#ifndef FB_CONFOUNDERS_H
#define FB_CONFOUNDERS_H

#include <stdbool.h>
#include <stdint.h>
#include "physiology.h"

/* The confounder flags reported per subject (fb_subject_info.confounders, results.json), one
 * line each: X(ENUM_SUFFIX, "name"). Append only: the bit of each is its position. */
#define FB_CONFOUNDER_LIST(X)                                                                      \
    X(GLASSES, "glasses")                                                                          \
    X(MASK_SURGICAL, "mask_surgical")                                                              \
    X(MASK_N95, "mask_n95")                                                                        \
    X(HAT, "hat")                                                                                  \
    X(COLD_ENTRY, "cold_entry")                                                                    \
    X(FACE_WIPE, "face_wipe")                                                                      \
    X(EXERCISE, "exercise")                                                                        \
    X(HOT_DRINK, "hot_drink")                                                                      \
    X(HEAD_TURN, "head_turn")

enum {
#define FB_CONF_BIT(e, name) FB_CONF_BIT_##e,
    FB_CONFOUNDER_LIST(FB_CONF_BIT)
#undef FB_CONF_BIT
        FB_CONF_COUNT
};
#define FB_CONF_FLAG(e) (1u << FB_CONF_BIT_##e)

/* Name of flag bit `bit` ("glasses", ...), or NULL past the last one. */
const char *fb_confounder_name(unsigned bit);

typedef enum fb_mask_kind { FB_MASK_NONE = 0, FB_MASK_SURGICAL = 1, FB_MASK_N95 = 2 } fb_mask_kind;

/* One person's confounders. Times are on the run's clock (seconds; may be negative: before
 * the run started). Zeroed = none. */
typedef struct fb_confounders {
    bool glasses; /* lenses over the eyes: opaque in LWIR, the canthus is hidden */
    bool hat;     /* cap over the head top and the upper forehead */
    fb_mask_kind mask;
    double breath_phase_rad; /* phase of the mask's breathing cycle */
    bool cold_entry;         /* came in from the cold */
    double outdoor_c;        /* the outdoor temperature they came from */
    double indoor_at_s;      /* when they came indoors */
    bool face_wipe;          /* wiped the face with a 20 °C towel */
    double face_wipe_at_s;
    bool exercise;         /* exercise or heat exposure */
    double exercise_end_s; /* when it ended */
    bool hot_drink;        /* carries a hot drink at chest height */
    double hot_drink_c;    /* cup wall temperature */
} fb_confounders;

/* FB_CONF_FLAG bits of c (HEAD_TURN is the walker's business: the caller adds it). */
uint32_t fb_confounders_flags(const fb_confounders *c);

/* Adds the skin transients at time t_s (cold entry, face wipe, exercise; each decays
 * exponentially, see confounders.c for the numbers and their sources) to the region
 * temperatures in st, then sets the worn and carried items' temperatures (lens_c, mask_c,
 * hat_c, cup_c). ambient_c: the room air now. */
void fb_confounders_apply(const fb_confounders *c, double t_s, double ambient_c,
                          fb_surface_temps *st);

/* Emissivities of the items in LWIR (our numbers: glass and plastics ~0.9, textiles 0.95,
 * a paper or ceramic cup 0.95; the mask as skin, 0.98, so that its offset from the canthus
 * below is also what the camera sees). */
#define FB_LENS_EMISSIVITY 0.90
#define FB_MASK_EMISSIVITY 0.98
#define FB_HAT_EMISSIVITY  0.95
#define FB_CUP_EMISSIVITY  0.95

/* The docs/sources.md face-wipe numbers: 1 min after a 20 °C towel the forehead is 2.8 °C and the
 * inner canthus 0.6 °C cooler. */
#define FB_WIPE_FOREHEAD_1MIN_C (-2.8)
#define FB_WIPE_CANTHUS_1MIN_C  (-0.6)

#endif
