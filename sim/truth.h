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

/* One person in one frame (only people in the scene appear). */
typedef struct fb_truth_subject {
    uint32_t subject;     /* index into the subject table */
    bool in_view;         /* some part of the head is inside the image */
    bool screenable;      /* docs/scoring.md: working distance, face size, face visible */
    double distance_m;
    double face_x, face_y, face_w, face_h; /* head box in pixels (not clipped) */
    double face_px;       /* face width in pixels */
    double face_visible;  /* share of the head box inside the image and not occluded, 0..1 */
    double canthus_c;     /* true inner-canthus max temperature now */
    double yaw_deg;       /* head yaw now (0: facing the camera; + toward the image right) */
} fb_truth_subject;

/* One frame. subjects is borrowed from the world (valid until its next step). */
typedef struct fb_truth_frame {
    uint32_t frame;
    double t_s;
    double ambient_c;
    double blackbody_c;   /* actual blackbody surface temperature (NAN if none) */
    size_t n_subjects;
    const fb_truth_subject *subjects;
} fb_truth_frame;

#endif
