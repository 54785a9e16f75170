/* confounders.c — skin transients (cold entry, face wipe, exercise) and the temperatures of worn
 * and carried items. */
#include <math.h>
#include "confounders.h"

#define CONF_PI 3.14159265358979323846

const char *fb_confounder_name(unsigned bit)
{
    static const char *const names[] = {
#define FB_CONF_NAME(e, name) name,
        FB_CONFOUNDER_LIST(FB_CONF_NAME)
#undef FB_CONF_NAME
    };
    return bit < FB_CONF_COUNT ? names[bit] : 0;
}

uint32_t fb_confounders_flags(const fb_confounders *c)
{
    uint32_t f = 0;
    if (c->glasses)
        f |= FB_CONF_FLAG(GLASSES);
    if (c->mask == FB_MASK_SURGICAL)
        f |= FB_CONF_FLAG(MASK_SURGICAL);
    if (c->mask == FB_MASK_N95)
        f |= FB_CONF_FLAG(MASK_N95);
    if (c->hat)
        f |= FB_CONF_FLAG(HAT);
    if (c->cold_entry)
        f |= FB_CONF_FLAG(COLD_ENTRY);
    if (c->face_wipe)
        f |= FB_CONF_FLAG(FACE_WIPE);
    if (c->exercise)
        f |= FB_CONF_FLAG(EXERCISE);
    if (c->hot_drink)
        f |= FB_CONF_FLAG(HOT_DRINK);
    return f;
}

/* Per-region offsets of one transient, in the order of the fields below. */
typedef struct region_delta {
    double canthus, periorbital, forehead, cheeks, nose, neck, hands, hair, clothing;
} region_delta;

static void add_delta(fb_surface_temps *st, const region_delta *d, double f)
{
    st->canthus_max_c += f * d->canthus;
    st->canthus_min_c += f * d->canthus;
    st->periorbital_c += f * d->periorbital;
    st->forehead_c += f * d->forehead;
    st->cheeks_c += f * d->cheeks;
    st->nose_c += f * d->nose;
    st->neck_c += f * d->neck;
    st->hands_c += f * d->hands;
    st->hair_c += f * d->hair;
    st->clothing_c += f * d->clothing;
}

/* Cold entry. docs/sources.md: acclimation takes >= 10 min (vendors advise 5-10 min); periorbital
 * skin is the least affected region. Our numbers: at the door each region sits this share of
 * the outdoor - indoor difference below its indoor value (from -5 °C into 23 °C: canthus
 * -1.4 °C, forehead -7 °C, nose -11 °C, a coat's surface -17 °C), relaxing with a 240 s time
 * constant (8 % left after 10 min); hair and clothing surfaces with 180 s. */
static const region_delta cold_share = {0.05, 0.06, 0.25, 0.30, 0.40, 0.10, 0.35, 0.60, 0.60};
#define COLD_TAU_SKIN_S  240.0
#define COLD_TAU_COVER_S 180.0

/* Face wipe with a 20 °C towel. docs/sources.md: forehead -2.8 °C and inner canthus -0.6 °C after
 * 1 min. Cheeks and nose as the forehead, periorbital skin as the canthus (our reading); the
 * skin recovers with a 180 s time constant (our number: minutes, as for cosmetics in docs/sources.md). */
static const region_delta wipe_1min = {FB_WIPE_CANTHUS_1MIN_C,
                                       FB_WIPE_CANTHUS_1MIN_C,
                                       FB_WIPE_FOREHEAD_1MIN_C,
                                       FB_WIPE_FOREHEAD_1MIN_C,
                                       FB_WIPE_FOREHEAD_1MIN_C,
                                       0.0,
                                       0.0,
                                       0.0,
                                       0.0};
#define WIPE_TAU_S 180.0

/* Exercise or heat. docs/sources.md: raises skin temperature for a few minutes. Our numbers at the end
 * of the exertion: canthus and periorbital +0.6 °C, forehead, cheeks, nose and hands +1.5 °C,
 * neck +1.0 °C, decaying with a 150 s time constant. The core is not changed. */
static const region_delta exercise_end = {0.6, 0.6, 1.5, 1.5, 1.5, 1.0, 1.5, 0.0, 0.0};
#define EXERCISE_TAU_S 150.0

/* Masks warm the perioral region, N95 more than surgical (docs/sources.md). Our numbers: the outer
 * surface sits near the canthus, surgical 0.3 °C below it, N95 0.1 °C above it, and swings
 * with breathing (+/-0.15 and +/-0.25 °C, 15 breaths/min) so its peaks pass the canthus. */
#define MASK_SURGICAL_OFFSET_C (-0.3)
#define MASK_SURGICAL_SWING_C  0.15
#define MASK_N95_OFFSET_C      0.1
#define MASK_N95_SWING_C       0.25
#define BREATH_PERIOD_S        4.0

/* Lenses sit in the air in front of the face, warmed a little by it: ambient + 0.3 of the way
 * to the periorbital skin (docs/sources.md: opaque at 8-14 µm; the 0.3 is ours: a few °C above the
 * air). A knitted cap: ambient + 0.2 of the way to the forehead (our number, cooler than hair). */
#define LENS_BLEND 0.3
#define HAT_BLEND  0.2

void fb_confounders_apply(const fb_confounders *c, double t_s, double ambient_c,
                          fb_surface_temps *st)
{
    if (c->cold_entry) {
        double dt = fmax(0.0, t_s - c->indoor_at_s);
        double diff = c->outdoor_c - ambient_c;
        double fs = diff * exp(-dt / COLD_TAU_SKIN_S), fc = diff * exp(-dt / COLD_TAU_COVER_S);
        region_delta skin = cold_share, cover = {0};
        skin.hair = skin.clothing = 0.0;
        cover.hair = cold_share.hair;
        cover.clothing = cold_share.clothing;
        add_delta(st, &skin, fs);
        add_delta(st, &cover, fc);
    }
    if (c->face_wipe && t_s >= c->face_wipe_at_s)
        add_delta(st, &wipe_1min, exp(-(t_s - c->face_wipe_at_s - 60.0) / WIPE_TAU_S));
    if (c->exercise && t_s >= c->exercise_end_s)
        add_delta(st, &exercise_end, exp(-(t_s - c->exercise_end_s) / EXERCISE_TAU_S));

    st->lens_c = ambient_c + LENS_BLEND * (st->periorbital_c - ambient_c);
    st->hat_c = ambient_c + HAT_BLEND * (st->forehead_c - ambient_c);
    if (c->mask != FB_MASK_NONE) {
        double breath = sin(2.0 * CONF_PI * t_s / BREATH_PERIOD_S + c->breath_phase_rad);
        if (c->mask == FB_MASK_N95)
            st->mask_c = st->canthus_max_c + MASK_N95_OFFSET_C + MASK_N95_SWING_C * breath;
        else
            st->mask_c =
                st->canthus_max_c + MASK_SURGICAL_OFFSET_C + MASK_SURGICAL_SWING_C * breath;
    }
    st->cup_c = c->hot_drink ? c->hot_drink_c : ambient_c;
}
