/* scenario.h — a test scenario as plain C structs (SI units, °C), loaded from JSON and fully validated. */
#ifndef FB_SCENARIO_H
#define FB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../models/room.h"
#include "../models/ambient.h"
#include "../models/blackbody.h"
#include "../models/confounders.h"
#include "../models/physiology.h"
#include "criteria.h"

/* A normal distribution truncated to [min, max] by redrawing. */
typedef struct fb_dist {
    double mean, sd, min, max;
} fb_dist;

/* A camera profile (scenarios/cameras/NAME.json or inline under "camera"). */
typedef struct fb_camera_profile {
    char name[64];
    char description[200];
    int width, height;       /* pixels, 8..4096 */
    double hfov_deg;         /* (1, 170) */
    double fps;              /* (0, 1000] */
    double netd_mk;          /* temporal noise, mK, (0, 1000] */
    double counts_per_k;     /* raw responsivity at 300 K, (1, 1000] */
    double reference_c;      /* scene temperature that reads mid-scale */
    double fpn_sd_mk;        /* fixed-pattern noise SD left after factory NUC, mK, [0, 5000] */
    double drift_sd_c;       /* uncorrected offset drift, stationary SD, [0, 10] */
    double drift_tau_s;      /* drift time constant, > 0 */
    /* Sensor and optics model (docs/scenario.md: optional, defaults there; models/sensor.h). */
    double pixel_pitch_um;   /* (1, 100] */
    double f_number;         /* [0.5, 20] */
    double lens_blur_um;     /* aberration/focus blur SD in the image plane, [0, 100] */
    double fpa_rise_k;       /* FPA above the room when warmed up, [0, 50] */
    double fpa_tau_s;        /* camera thermal time constant, [0, 10^6] */
    double responsivity_tc_per_k; /* relative responsivity change per K of FPA, [-0.05, 0.05] */
    double fpa_offset_k_per_k;    /* offset per K of FPA off calibration (FFC cannot remove), [-5, 5] */
    double ffc_offset_k_per_k;    /* offset per K of FPA change since the last FFC, [-5, 5] */
    double ffc_period_s;     /* periodic FFC, 0 = none, [0, 86400] */
    double ffc_delta_k;      /* FFC on an FPA change, 0 = none, [0, 50] */
    int ffc_frames;          /* frames frozen per FFC, [0, 1000] */
    double fpn_growth_mk_per_min; /* non-uniformity growth since the last FFC, [0, 1000] */
    double dead_pixel_share;  /* [0, 0.1] */
    double noisy_pixel_share; /* [0, 0.1] */
    double thermal_tau_ms;   /* the pixels' thermal time constant, [0, 100] (0: none) */
    double corner_illumination; /* the lens's relative illumination at the image corner, [0.3, 1] */
    /* fb_hash64 of the profile's unformatted JSON when it was loaded from its own text (a
     * profile file or a shipped one); 0 for a profile written inline in a scenario. */
    uint64_t doc_hash;
} fb_camera_profile;

/* One explicitly listed person. */
typedef struct fb_subject_spec {
    char id[32];             /* unique; "s<N>" when not given */
    double enter_s;          /* >= 0 */
    double start_distance_m; /* > exit_distance_m */
    double exit_distance_m;  /* > 0 */
    double speed_mps;        /* (0, 5] */
    double lateral_m;        /* [-5, 5] */
    double height_m;         /* [1.0, 2.3] */
    bool has_core;           /* core_c given; else drawn from physiology */
    double core_c;           /* [34, 43] */
    bool febrile_draw;       /* when !has_core: draw from the febrile distribution */
    bool has_canthus_offset;
    double canthus_offset_c; /* [-1, 4] */
    /* Confounders (docs/scenario.md "subjects[]"); absent = none. */
    bool glasses, hat;
    fb_mask_kind mask;
    bool has_cold_entry;
    double cold_entry_c;     /* outdoor temperature they come in from, [-40, 20] */
    double cold_entry_ago_s; /* came indoors this long before enter_s, default 0 */
    bool has_face_wipe;
    double face_wipe_ago_s;  /* wiped the face with a 20 °C towel this long before enter_s */
    bool has_exercise;
    double exercise_ago_s;   /* exercise ended this long before enter_s */
    bool has_hot_drink;
    double hot_drink_c;      /* cup temperature, [40, 95] */
    bool has_head_turn;
    double head_turn_peak_s, head_turn_yaw_deg, head_turn_duration_s;
    bool has_dwell;
    double dwell_s;          /* overrides screening.dwell_s */
} fb_subject_spec;

/* A scheduled burst of arrivals (a shift change): count people over [at_s, at_s + duration_s). */
typedef struct fb_burst {
    double at_s;
    size_t count;
    double duration_s;
} fb_burst;
#define FB_MAX_BURSTS 16

/* The population generator: Poisson arrivals of people drawn from distributions. */
typedef struct fb_population_spec {
    bool enabled;
    double arrival_rate_per_min; /* (0, 600] */
    double start_s, end_s;       /* arrivals in [start_s, end_s); end_s 0 = the run's duration */
    double fever_share;          /* [0, 1] */
    fb_dist speed_mps;           /* default 1.31 ± 0.15 in [0.8, 1.8] (Murtagh 2020) */
    fb_dist lateral_m;           /* default 0 ± 0.15 in [-0.4, 0.4] */
    fb_dist height_m;            /* default 1.72 ± 0.09 in [1.5, 1.95] */
    double start_distance_m;     /* default 8 */
    double exit_distance_m;      /* default 0.8 */
    size_t max_subjects;         /* cap on generated people, default 10000 */
    fb_burst bursts[FB_MAX_BURSTS]; /* scheduled bursts besides the Poisson arrivals */
    size_t n_bursts;
    /* Shares of generated people with each confounder, each [0, 1] (masks: the two kinds
     * together at most 1), all 0 by default. */
    double glasses_share, mask_surgical_share, mask_n95_share, hat_share;
    double cold_entry_share, face_wipe_share, exercise_share, hot_drink_share;
    double outdoor_c;            /* cold entry: outdoor temperature, default -5 */
    double head_turn_share;      /* share who turn their head once on the way */
    fb_dist head_turn_yaw_deg;   /* |peak yaw|, default 45 +/- 15 in [15, 80] */
} fb_population_spec;

/* When a subject counts as screenable (docs/scoring.md). */
typedef struct fb_screening_spec {
    double min_distance_m, max_distance_m; /* working distance, default 1.0 .. 3.5 */
    double min_face_px;                    /* face width in pixels, default 20 */
    double min_face_visible;               /* share of the face visible, default 0.8 */
    double fever_threshold_c;              /* true fever: core >= this, default 37.5 (FDA data) */
    double max_yaw_deg;                    /* |head yaw| below this, default 30 (docs/sources.md) */
    double stop_distance_m;                /* marked screening point, 0 = people walk through */
    double dwell_s;                        /* time people stand there, default 2 */
} fb_screening_spec;

/* A static object in the room (heater, lamp, sunny window, glossy panel): a rectangle or
 * ellipse facing the camera. Radiance: emissivity L(temp) + (1 - emissivity) L(reflected). */
typedef struct fb_distractor {
    char id[32];
    bool ellipse;
    double x_m, y_m, z_m;        /* centre: lateral, distance along the axis, height */
    double w_m, h_m;             /* size */
    bool has_temp;
    double temp_c;               /* surface temperature; absent: the air's */
    double emissivity;           /* default 0.95 */
    bool has_reflected;
    double reflected_c;          /* what the surface reflects; absent: the air's */
} fb_distractor;
#define FB_MAX_DISTRACTORS 64

/* The device under test and its settings. */
typedef struct fb_dut_spec {
    char spec[256];              /* "reference" (linked-in reference firmware) */
    double alarm_threshold_c;    /* firmware alarm threshold on body estimate, default 37.5 */
    double body_offset_c;        /* firmware skin -> body offset, default 1.24 (FDA) */
    double frame_timeout_s;      /* per-frame deadline for the DUT, default 5 */
    double handshake_timeout_s;  /* deadline to open (HELLO, CONFIG) and close the link, default 10 */
    int pacing;                  /* 0 lockstep (default), 1 realtime: fb_pacing (sim/link/link.h) */
} fb_dut_spec;

typedef struct fb_criterion_limit {
    bool set;
    double limit;
} fb_criterion_limit;

typedef struct fb_scenario {
    char name[64];
    char description[400];
    char source[512];            /* file path, or "embedded:NAME" */
    uint64_t hash;               /* fb_hash64 of the canonical JSON (scenario + resolved camera) */
    uint64_t seed;
    double duration_s;           /* (0, 86400] */
    fb_camera_profile camera;
    double camera_height_m;      /* mounting height, default 2.0 */
    double camera_tilt_deg;      /* pitch down, default 8 */
    fb_ambient_params ambient;   /* "environment": {"ambient": {...}} */
    double rh_percent;           /* "environment": relative humidity, default 40 */
    double camera_power_on_s;    /* camera on-time at t = 0, default 3600 (warmed up) */
    char frontend[16];           /* "model" (default) or "rtl": who turns counts into centikelvin */
    fb_room_params room;         /* the room around the lane (models/room.h): "plain" by default */
    bool people_3d;              /* "people": "3d" (people as 3D bodies, render.h; the default) or
                                  * "template" (the flat 2D template, render2d.h) */
    fb_blackbody_params blackbody;
    fb_physiology_params physiology; /* docs/sources.md defaults; overridable under "physiology" */
    fb_subject_spec *subjects;   /* owned */
    size_t n_subjects;
    fb_population_spec population;
    fb_screening_spec screening;
    fb_distractor distractors[FB_MAX_DISTRACTORS];
    size_t n_distractors;
    fb_dut_spec dut;
    fb_criterion_limit criteria[FB_CRIT_COUNT];
} fb_scenario;

/* Loads and validates a scenario file. On failure returns FB_ERR_IO / FB_ERR_PARSE /
 * FB_ERR_INVALID / FB_ERR_NOMEM and writes one line to err:
 *   "path:line:col: json.path: what is wrong (expected …)"
 * On success *out is fully set and owns its arrays (free with fb_scenario_free). Camera
 * profile names resolve to <scenario dir>/cameras/NAME.json, then to the embedded copies. */
int fb_scenario_load(const char *path, fb_scenario *out, char *err, size_t err_len);

/* Same, from text in memory. display_name is used in messages; base_dir (may be NULL) for
 * camera profile files. */
int fb_scenario_load_text(const char *text, size_t len, const char *display_name,
                          const char *base_dir, fb_scenario *out, char *err, size_t err_len);

/* Loads a camera profile file on its own (for `feverbench validate` and `list`). */
int fb_camera_profile_load(const char *path, fb_camera_profile *out, char *err, size_t err_len);
/* Same, from text in memory (display_name is used in messages). */
int fb_camera_profile_load_text(const char *text, size_t len, const char *display_name,
                                fb_camera_profile *out, char *err, size_t err_len);

/* Frees what the scenario owns (safe on a zeroed or failed-load struct; the struct itself is
 * the caller's). */
void fb_scenario_free(fb_scenario *s);

/* The i-th key the loader accepts (0-based) as a path: "duration_s", "subjects[].speed_mps",
 * "population.speed_mps.mean"; camera profile keys appear as "camera.KEY" (a profile file has
 * them at its top level). Writes it to buf and returns true; false past the last key. Used
 * by the test that keeps docs/scenario.md complete, and by tools. */
bool fb_scenario_key(size_t i, char *buf, size_t len);

#endif
