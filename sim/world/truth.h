/* truth.h — what really happened in a frame: who was where, how hot, and whether they were screenable. */
#ifndef FB_TRUTH_H
#define FB_TRUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fixed facts about one person of the run (index = position in the run's subject table). */
typedef struct fb_subject_info {
    char id[32];
    double enter_s;
    double core_c;        /* true core temperature */
    bool febrile;         /* core_c >= the scenario's fever_threshold_c */
    double speed_mps;
    uint32_t confounders; /* FB_CONF_FLAG bits (models/confounders.h): glasses, mask, ... */
} fb_subject_info;

/* Facial landmarks per person (fb_truth_subject.landmark_*), in this order. */
enum { FB_LM_EYE_LEFT = 0, FB_LM_EYE_RIGHT, FB_LM_NOSE, FB_LM_MOUTH_LEFT, FB_LM_MOUTH_RIGHT,
       FB_TRUTH_LANDMARKS };

/* One person in one frame (only people in the scene appear). */
typedef struct fb_truth_subject {
    uint32_t subject;     /* index into the subject table */
    bool in_view;         /* some part of the head is inside the image */
    bool screenable;      /* docs/scoring.md: working distance, face size, face and canthus
                           * visible, head yaw */
    double distance_m;
    double face_x, face_y, face_w, face_h; /* head box in pixels (not clipped) */
    double face_px;       /* face width in pixels */
    double face_visible;  /* share of the head box inside the image and not occluded, 0..1 */
    double canthus_visible; /* share of the hotter inner canthus (where canthus_c is) inside
                             * the image and not occluded, 0..1 */
    double canthus_c;     /* true inner-canthus max temperature now */
    double yaw_deg;       /* head yaw now (0: facing the camera; + toward the image right) */
    /* From the rendered geometry (sim/world/render.c fills them; not in recordings): */
    double body_x, body_y, body_w, body_h; /* the whole person's box in pixels (not clipped):
                                            * every part drawn, hands and a carried cup too */
    uint32_t body_visible_px; /* pixels the person (any part) owns after occlusion */
    /* Five facial landmarks (the WIDER FACE / RetinaFace convention), in pixels: the centres of
     * the image-left and image-right eye, the nose tip, the image-left and image-right corner of
     * the mouth; seen = in the image and not hidden by anything nearer (the person's own nose,
     * glasses, a mask, another head). */
    double landmark_u[FB_TRUTH_LANDMARKS], landmark_v[FB_TRUTH_LANDMARKS];
    bool landmark_seen[FB_TRUTH_LANDMARKS];
    /* The two inner canthi ([0] image-left, [1] image-right), their true temperatures and
     * whether each is seen; canthus_c is the hotter one's. */
    double canthus_u[2], canthus_v[2], canthus_temp_c[2];
    bool canthus_seen[2];
} fb_truth_subject;

/* Screenable needs the measurement site itself in sight: at least half of the hotter inner
 * canthus's spot (12 x 8 mm) on pixels the person's own head owns (docs/scoring.md). The spot
 * spans a few pixels at most (turret-256: 2 x 1.3 px at 3.5 m, 7 x 4.7 px at 1 m; under a
 * pixel on a lepton-160), so this is the renderer's own rule for whose a pixel is (the shape
 * covering at least half of it) applied to the spot: the reading there comes more from the
 * person than from what is in front. Not a scenario setting: it says what can be measured. */
#define FB_MIN_CANTHUS_VISIBLE 0.5

/* The reference blackbody in one frame: usable, or why not (docs/scoring.md, "Blackbody status"). */
typedef enum fb_bb_truth {
    FB_BBT_NONE = 0,     /* no blackbody in the scene */
    FB_BBT_OK = 1,       /* in place, visible, within FB_BB_USABLE_TOL_C of its set point */
    FB_BBT_WARMING = 2,  /* heater on, not (yet or again) at its set point */
    FB_BBT_OFF = 3,      /* heater off and the plate has cooled off its set point */
    FB_BBT_DRIFTING = 4, /* controller fault has moved the plate off its set point */
    FB_BBT_MOVED = 5,    /* not where the camera was told it is */
    FB_BBT_OCCLUDED = 6, /* less than FB_BB_MIN_VISIBLE of its face visible to the camera */
    FB_BBT_COUNT
} fb_bb_truth;

/* The ETRS's expanded uncertainty must be < ±0.3 °C (docs/sources.md, Foster et al. 2021 checklist):
 * a plate further than this from its set point is not a reference. */
#define FB_BB_USABLE_TOL_C 0.3
/* A reference must be seen whole to be read (the central pixels of a uniform plateau,
 * Pušnik & Geršak 2021): less than 90 % visible counts as occluded. */
#define FB_BB_MIN_VISIBLE 0.9

/* Name of a state as written in truth.jsonl ("ok", "warming", "off", ...; "none"). */
const char *fb_bb_truth_name(fb_bb_truth st);

/* What the renderer found of one person in a frame (sim/world/render.c): the geometry truth that
 * fb_world_finish_truth copies into fb_truth_subject. Boxes in pixels, not clipped. */
typedef struct fb_subject_geo {
    bool drawn;                 /* the person was drawn (in front of the camera) */
    double face_x, face_y, face_w, face_h; /* the head's box: skin, hair and worn items */
    double body_x, body_y, body_w, body_h;
    double face_visible;        /* share of the head's projected area not hidden, 0..1 */
    double canthus_visible;     /* share of the hotter inner canthus's spot seen, 0..1 */
    uint32_t body_visible_px;
    double landmark_u[FB_TRUTH_LANDMARKS], landmark_v[FB_TRUTH_LANDMARKS];
    bool landmark_seen[FB_TRUTH_LANDMARKS];
    double canthus_u[2], canthus_v[2];
    bool canthus_seen[2];
} fb_subject_geo;

/* One frame. subjects is borrowed from the world (valid until its next step). */
typedef struct fb_truth_frame {
    uint32_t frame;
    double t_s;
    double ambient_c;
    double blackbody_c;   /* actual blackbody surface temperature (NAN if none) */
    double blackbody_visible; /* share of its face the camera sees, 0..1 (NAN if none) */
    fb_bb_truth blackbody_state;
    bool blackbody_fault; /* a failure is under way (it may not have spoilt the reference yet) */
    size_t n_subjects;
    const fb_truth_subject *subjects;
} fb_truth_frame;

#endif
