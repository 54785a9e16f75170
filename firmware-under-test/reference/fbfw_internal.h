/* fbfw_internal.h — the reference firmware's settings, state layout and module interfaces (not public). */
#ifndef FBFW_INTERNAL_H
#define FBFW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "fbfw.h"

/* ---- Settings (docs/firmware.md explains each). Temperatures in centikelvin (ck). ---- */
#define FBFW_CK(c_x100) ((int32_t)(c_x100) + 27315) /* °C x 100 -> ck */

/* FBFW_SIMD 1: the band masks (the skin-band scan, pixel_run, the eye window) compare 16 pixels
 * at a time and a run's peak 8 at a time with SSE2 where the compiler targets it (every x86-64);
 * 0: plain-C loops. Both give the same bits (firmware_simd_same). */
#ifndef FBFW_SIMD
#if defined(__SSE2__)
#define FBFW_SIMD 1
#else
#define FBFW_SIMD 0
#endif
#endif

#if FBFW_SIMD
#include <emmintrin.h>
#endif

/* Supported geometry and bounds on state. */
#define FBFW_MIN_DIM 16
#define FBFW_MAX_DIM 1024
#define FBFW_MAX_RUNS_PER_ROW 32 /* skin-band runs kept per row; more are dropped */
#define FBFW_MAX_BLOBS 256       /* connected components per frame */
#define FBFW_MAX_FACES 64        /* head candidates per frame */
#define FBFW_MAX_SEEDS_PER_BLOB 24 /* head tops tried per blob */
#define FBFW_MAX_TRACKS 32
#define FBFW_MAX_PENDING 4 /* status events waiting for room in the caller's event array */

/* Face geometry (FACTS/bench template: head 0.16 m wide x 0.23 m tall). */
#define FBFW_HEAD_W_M 0.16f
#define FBFW_HEAD_ASPECT 1.4375f /* 0.23 / 0.16 */
#define FBFW_FACE_DIST_MIN_M 0.8f
#define FBFW_FACE_DIST_MAX_M 8.0f
#define FBFW_FACE_W_SLACK 0.7f /* accept widths down to 0.7x the farthest, up to 1/0.7x the nearest */
/* The skin starts at the hairline, ~15 % of the head height below its top (bench template:
 * forehead top 0.08 m above the head centre of a 0.23 m head). */
#define FBFW_HAIRLINE_FRAC 0.15f
/* The forehead below the hairline is 0.10 m of the 0.16 m head (framed by the hair cap); the
 * head's width is read from its first rows. */
#define FBFW_FOREHEAD_FRAC 0.625f
#define FBFW_FOREHEAD_ROWS 3
/* Eye window, in head widths W below the hairline: rows 0.12 .. 0.50 W (the canthi are 0.375 W
 * below the hairline, 0.19 W when a hat hides the top of the forehead), columns +-0.2 W around
 * the centre (the canthi are +-0.1 W, 0.075 W wide). */
#define FBFW_EYE_TOP_W 0.12f
#define FBFW_EYE_BOTTOM_W 0.50f
#define FBFW_EYE_HALF_W 0.20f
#define FBFW_EYE_REACH_W 0.42f /* measured only when the face's skin reaches this far down */
/* Where the canthi can be inside it: rows 0.15 .. 0.45 W below the hairline, +-0.15 W. */
#define FBFW_CANTHI_TOP_W 0.15f
#define FBFW_CANTHI_BOTTOM_W 0.45f
#define FBFW_CANTHI_HALF_W 0.15f
/* Rounded heads (docs/firmware.md, "Heads"): the widest row of skin is this share of the head
 * width (ears and hair outside it); the eyes lie ~0.57 .. 0.73 W below the skin's top, searched
 * in rows 0.34 .. 0.80 W (an N95 mask's warm top edge starts ~0.87 W down), columns +-0.22 W;
 * a hairline is taken 0.3 W below the top (the canthi are then 0.27 .. 0.43 W below it, as a
 * template face's, for who hides whom). */
#define FBFW_DOME_SKIN_FRAC 0.95f
#define FBFW_DOME_HAIRLINE_W 0.30f
#define FBFW_DOME_EYE_TOP_W 0.34f
#define FBFW_DOME_EYE_BOTTOM_W 0.80f
#define FBFW_DOME_EYE_HALF_W 0.22f
/* A skin region whose top lies within this share of its width below a wider skin region is that
 * region's neck or chin, parted from it by the jaw's cool shadow (docs/firmware.md, "Heads"). */
#define FBFW_NECK_GAP_W 0.40f
/* A temple strip (a narrow top of skin beside a fringe) widens to FBFW_TEMPLE_GROW times its
 * width within FBFW_TEMPLE_ROWS_W of the largest head's width below its top. */
#define FBFW_TEMPLE_GROW 4
#define FBFW_TEMPLE_ROWS_W 0.25f
/* Overlapping heads (docs/firmware.md, "Heads"): a rounded head's traced side that moved outward
 * by at most 1 px over FBFW_JOIN_STALL_ROWS rows and then steps out by FBFW_JOIN_STEP_PX or more
 * in one row has met another head's outline (a concave corner; a head's own outline is convex).
 * crowd seed 11, frame 223: the farther face's side stalls at its cheekbones (127, 126, 126, 126,
 * 127) and the nearer bald head's top steps it out by 4 px; the ears of the bench's heads widen
 * a side by 1-2 px a row. */
#define FBFW_JOIN_STALL_ROWS 3
#define FBFW_JOIN_STEP_PX 3
/* A rounded head's trace that narrows and widens back within a few rows to this share of its
 * widest run crossed a cold band (brows, the eyes' outer corners), not the jaw. crowd seed 3,
 * frame 1125: p83's widest run 30 px (columns 142..171), 14 px across the band, 26 px at its eyes
 * (columns 145..170) - 0.9 took its eyes' band for the jaw and read it 1 K low. */
#define FBFW_BAND_BACK 0.85f
#define FBFW_MIN_ROWS_W 0.35f  /* a head has at least this many rows of skin below the hairline */
/* A head at least this wide relative to another (as near or nearer) that covers the other's eye
 * window hides it. */
#define FBFW_OCCLUDER_RATIO 0.97f

/* Skin band: lower edge adapts to the room, lo = A + 0.6 (34.0 °C - A), clamped to 30.5..33.0 °C
 * (clothing renders near A + 0.45 (forehead - A), hair lower); pixels >= 41 °C are "hot". */
#define FBFW_SKIN_LO_MIN_CK FBFW_CK(3050)
#define FBFW_SKIN_LO_MAX_CK FBFW_CK(3300)
#define FBFW_SKIN_REF_CK FBFW_CK(3400)
#define FBFW_SKIN_BAND_FRAC 0.6f
#define FBFW_HOT_CK FBFW_CK(4100)
#define FBFW_FACE_MIN_PEAK_CK FBFW_CK(3300) /* a head's eye band must reach this (hands do not) */
#define FBFW_MASK_STEP_CK 50 /* a mask's top edge: a row 0.5 K warmer on average than the eye rows */
#define FBFW_MASK_SPAN 0.8f   /* ... across this share of the eye window's columns, */
#define FBFW_MASK_FLAT_CK 30  /* ... and flat: its warmest pixel this close to its mean, */
#define FBFW_MASK_ROWS 3      /* ... for this many rows */
#define FBFW_SPIKE_CK 25 /* the canthus pixel has a neighbour within 0.25 K (a noisy pixel not) */
#define FBFW_HAND_BELOW_CK 100 /* hands are ~3 K below the canthus: 1 K below a head's is a hand */
#define FBFW_RETRACE_BELOW_CK 70 /* a face's own skin: its forehead - 0.7 K and warmer */
#define FBFW_HAIR_STEP_CK 300    /* hair in the skin band: the forehead below it is >= 3 K warmer */
#define FBFW_FORE_EVEN_CK 80     /* a forehead's first rows vary by less (a nose: 1.5 K colder) */
#ifndef FBFW_SOFT_HAIRLINE
#define FBFW_SOFT_HAIRLINE 1 /* rows each even, warmer downward: a soft hairline (docs/firmware.md) */
#endif

/* Room (wall) estimate: a low percentile of a subsampled histogram, smoothed. */
#define FBFW_AMB_PERCENTILE 30
#define FBFW_AMB_BIN_CK 25
#define FBFW_AMB_BINS 240 /* 0 .. 60 °C */
#define FBFW_AMB_TAU_S 2.0f

/* Measurement: when the canthus is resolved well enough (the size-of-source effect: optics blur
 * reads a ~2 px canthus low), against how soon a person must be measured. docs/firmware.md. */
#ifndef FBFW_MEASURE_MIN_W_PX
#define FBFW_MEASURE_MIN_W_PX 36 /* head width (px) whose samples settle a measurement (~2.6 m) */
#endif
#ifndef FBFW_SAMPLE_MIN_W_PX
#define FBFW_SAMPLE_MIN_W_PX 24 /* samples are taken from this head width on (~3.9 m), */
#endif
#define FBFW_START_W_PX 26      /* and from this one (~3.6 m, where screening starts) */
#ifndef FBFW_MEASURE_WAIT_S
#define FBFW_MEASURE_WAIT_S 0.64f /* a measurement is settled this long later at the latest */
#endif
#define FBFW_MEASURE_LATEST_M 1.5f /* low-resolution cameras: at most the face width at this */
#define FBFW_MEASURE_FLOOR_PX 10   /* distance, never below this many pixels */
/* Size-of-source compensation: a canthus sample from a head w pixels wide reads
 * FBFW_SSE_K_CKPX / w centikelvin low (the warm spot is a few pixels across; blur and pixel
 * area mix in the cooler lids and eye). Calibrated for the bench's 3D faces through its lens
 * (docs/firmware.md, scripts/calibrate_sse.py); 0 turns it off. */
#ifndef FBFW_SSE_K_CKPX
#define FBFW_SSE_K_CKPX 1045
#endif
/* ... and more where the face around the canthus is cold: a sample whose canthus pixel stands
 * c ck above the mean of the 7 x 7 pixels around it (FBFW_SSE_NBHD_PX each side) adds
 * FBFW_SSE_C_PX * (c - FBFW_SSE_C0_CK) / w more, the excess counted up to FBFW_SSE_C_MAX_CK
 * (a warm face's canthus stands 0.8-1.4 K out, FBFW_SSE_K_CKPX alone is fitted on them; a face
 * 2 min in from the cold ~2 K). Fitted with FBFW_SSE_K_CKPX by scripts/calibrate_sse.py
 * (docs/firmware.md); 0 turns it off. */
#ifndef FBFW_SSE_C_PX
#define FBFW_SSE_C_PX 18
#endif
#ifndef FBFW_SSE_C0_CK
#define FBFW_SSE_C0_CK 150
#endif
#define FBFW_SSE_C_MAX_CK 100 /* excess contrast counted at most (calibrated: up to ~1.2 K seen) */
#define FBFW_SSE_NBHD_PX 3
#ifndef FBFW_SAMPLES
#define FBFW_SAMPLES 5 /* samples kept per person (the latest); their median is reported */
#endif
#define FBFW_SAMPLE_TIME_S 0.2f /* samples wanted: 0.2 s worth (5 at 25 Hz), at least 3 */
#define FBFW_SAMPLES_MIN 3      /* a track that ends with fewer samples is reported with these */

/* Tracking. */
#define FBFW_TRACK_MAX_MISSED_S 0.5f
#define FBFW_TRACK_GATE_FRAC 0.6f /* gate radius = 0.6 x face width + 3 px */
#define FBFW_TRACK_GATE_PX 3.0f
#define FBFW_TRACK_FIRM_FRAMES 5   /* a track seen this often: */
#define FBFW_TRACK_GATE_FIRM 0.35f /* gate radius 0.35 x face width + 3 px, */
#define FBFW_TRACK_FORE_CK 35.0f   /* and its forehead within 0.35 K of the track's */
#define FBFW_TRACK_SHRINK 0.9f     /* a face < 0.9 x the predicted width is partly hidden */
/* Two tracks are folded into one only when their widths are within this ratio (lab-stability: one
 * head read 45 px by the rounded-head path, 56 px by the forehead path in the next frame; checkpoint
 * seed 39: a lost track heading up the image met a head 2.2 x narrower, someone farther back). */
#define FBFW_TRACK_MERGE_RATIO 1.5f
/* A person already reported whose track was lost (hidden by others) and who shows again near
 * where the track was heading, within this long, is the same person: not reported twice. */
#define FBFW_GHOST_S 3.0f
#define FBFW_MAX_GHOSTS 16

/* Blackbody. */
#define FBFW_BB_PLATEAU_CK 150  /* source = pixels within 1.5 K of the hottest 3x3 mean */
#define FBFW_BB_UNIFORM_CK 60   /* max - min of the central pixels */
#define FBFW_BB_JUMP_CK 150     /* reject readings this far from the learned correction */
#define FBFW_BB_MAX_CORR_CK 300 /* first lock: |set point - reading| at most 3 K */
#define FBFW_BB_POS_TOL_PX 2    /* source edges may move this much once learned */
#define FBFW_BB_TAU_S 1.0f      /* EMA time constant of the correction */
#define FBFW_BB_LOST_FRAMES 3   /* consecutive bad frames before BLACKBODY_LOST */
#define FBFW_BB_OK_FRAMES 3     /* consecutive good frames before BLACKBODY_OK */
#define FBFW_BB_RELOCK_S 2.0f   /* consistent but shifted readings this long are adopted */
/* Is the source itself changing? Per-second means of the source (B) and of the wall around it
 * (W) over the last FBFW_BB_WINDOW_S seconds; least-squares slopes of B and of B - W. A camera
 * offset drift moves B and W together (B - W stays), a room drift moves W (B stays); only the
 * plate itself moves both B and B - W, in the same direction. Faster than 0.3 K/min in both is
 * the plate: a switched-off source cools at ~1-2 K/min, a heater at ~1 K/min, while rooms and
 * the camera's own drift stay well below it in B - W (docs/firmware.md). */
#define FBFW_BB_WINDOW_S 30u
#define FBFW_BB_STABLE_MIN_N 20u      /* samples (seconds) before the slopes are trusted */
#define FBFW_BB_MAX_RATE_CK_S 0.5f    /* 0.3 K/min */
#define FBFW_BB_WALL_BAND_CK 100      /* wall = ring pixels within 1 K of the ring's coolest */
/* Steady again (to relock after the plate itself changed, or to learn it the first time after
 * a failed start): over the window B - W has stayed within 0.2 K and B within 0.3 K (B also
 * carries the camera's own drift, ~0.08 K SD over 30 s for the turret profile). Ranges, not
 * slopes: a slope test passes a plate turning round. */
#define FBFW_BB_STEADY_RANGE_CK 20.0f
#define FBFW_BB_STEADY_B_RANGE_CK 30.0f

#define FBFW_LABEL_NONE 0xFFFFu
#define FBFW_MAGIC 0x66626677u /* "fbfw" */

/* ---- State ---- */
typedef struct fbfw_run {
    uint16_t y, x0, x1; /* x1 inclusive */
    uint16_t vmax;      /* hottest raw value in the run */
    uint16_t label;     /* blob index after labelling, FBFW_LABEL_NONE if dropped */
} fbfw_run;

typedef struct fbfw_blob {
    uint32_t area;
    uint16_t x0, y0, x1, y1; /* inclusive bounds */
    uint16_t vmax;
    uint16_t hot;                /* 1 when some pixel >= hot threshold */
    uint16_t hx0, hy0, hx1, hy1; /* bounds of the hot pixels */
} fbfw_blob;

typedef struct fbfw_face {
    float cx, cy;     /* head centre, pixels */
    float w;          /* head width, pixels */
    float hairline;   /* row of the hairline (top of the forehead skin) */
    int32_t bx, by, bw, bh; /* head box, clamped to the image */
    int16_t ex0, ex1, ey0, ey1; /* eye window [ex0, ex1) x [ey0, ey1) */
    int16_t fx0, fx1, fy;       /* a forehead row: its first and last pixel, its row */
    int16_t glasses_y;          /* glasses: the row where the skin resumes below them; else 0 */
    float canthus_raw; /* canthus estimate before correction, ck */
    float contrast_ck; /* canthus_raw minus the mean of the square around its pixel */
    float fore_raw;    /* forehead below the hairline, before correction, ck */
    uint8_t measurable; /* large enough, clear of the image border and of nearer heads */
    uint8_t valid;
    uint8_t at_border; /* the head box reaches past the image edge (or the blackbody) */
    uint16_t blob;     /* the skin blob it was found in */
    int8_t edge_cut;   /* its forehead runs into the image's left (-1) or right (+1) edge */
} fbfw_face;

typedef struct fbfw_track {
    uint32_t id;
    float cx, cy, w;
    float vx, vy, vw; /* pixels per frame */
    float fore_ck;    /* forehead temperature (corrected), smoothed: who it is */
    int32_t bx, by, bw, bh;
    float samples[FBFW_SAMPLES]; /* corrected canthus, ck: the latest, a ring */
    uint32_t clock; /* frame number of the first sample from a face >= start_w */
    uint32_t last_frame; /* frame number of the last face taken */
    uint32_t sample_frame; /* ... and of the last sample, with its box: */
    int32_t sx, sy, sw, sh;
    uint8_t active, reported, matched, n_samples; /* n_samples: in the ring */
    uint8_t ring;   /* next slot of the ring */
    uint8_t n_good; /* samples from faces >= measure_min_w, saturating */
    uint8_t clock_on; /* clock is set */
    uint8_t settled;  /* its result is fixed (waiting for room in the event array) */
    uint8_t ending; /* lost with unreported samples: report them, then end */
    uint8_t n_seen; /* frames matched, saturating */
    uint8_t leaving; /* its face reaches the image edge now */
    uint16_t missed;
} fbfw_track;

/* The last state of a reported person's lost track. */
typedef struct fbfw_ghost {
    uint32_t id, last_frame;
    float cx, cy, w, vx, vy, vw;
    uint8_t active;
} fbfw_ghost;

enum { FBFW_BB_SEARCH = 0, FBFW_BB_OK = 1, FBFW_BB_LOST = 2 };

typedef struct fbfw_state {
    uint32_t magic;
    fbfw_config cfg;
    int32_t w, h;
    float focal_px, fps;
    float face_w_min, face_w_max; /* plausible head widths, pixels */
    int32_t measure_min_w;        /* head width whose samples settle a measurement */
    int32_t sample_min_w;         /* head width from which canthus samples are taken */
    int32_t start_w;              /* head width that starts the clock of wait_frames */
    uint32_t wait_frames;         /* frames after the first sample to settle at the latest */
    uint32_t max_runs;
    size_t off_runs, off_parent, off_row_start;

    /* blackbody */
    int32_t bb_enabled;
    int32_t bb_rx0, bb_ry0, bb_rx1, bb_ry1; /* installer rectangle, exclusive ends, clamped */
    int32_t bb_wx0, bb_wy0, bb_wx1, bb_wy1; /* search window */
    int32_t bb_sx0, bb_sy0, bb_sx1, bb_sy1; /* learned source bounds (inclusive) */
    int32_t bb_state, bb_locked;
    int32_t bb_seen; /* the source was found in place in this frame */
    uint32_t bb_bad, bb_good, bb_relock;
    float bb_corr_ck; /* learned set point - reading */
    float bb_alpha;
    float bb_relock_ck; /* first correction of a relock streak */
    /* stability of the source: per-second means (docs/firmware.md) */
    uint32_t bb_sec;          /* second the accumulators belong to */
    uint32_t bb_acc_n, bb_acc_frames;
    float bb_acc_b, bb_acc_w; /* sums of the source and wall readings (raw ck) this second */
    float bb_last_w;          /* the last wall reading (used when the ring is hidden) */
    float bb_hist_b[FBFW_BB_WINDOW_S], bb_hist_bw[FBFW_BB_WINDOW_S], bb_hist_corr[FBFW_BB_WINDOW_S];
    uint32_t bb_hist_sec[FBFW_BB_WINDOW_S];
    uint32_t bb_hist_n;
    int32_t bb_stable;        /* the window is full enough and the plate is not changing */
    int32_t bb_changing;      /* the plate is changing (both slopes above the limit) */
    int32_t bb_ffc;           /* a shutter FFC since the last sample: offsets have jumped */
    int32_t bb_lost_plate;    /* lost because the plate itself changed */
    /* while the plate cannot be trusted, the wall around it carries the camera's own drift:
     * the correction is the one held minus how far the wall's reading moved since then */
    int32_t bb_wall_hold;     /* holding on the wall (bb_hold_corr_ck, bb_hold_w_ck valid) */
    float bb_hold_corr_ck;    /* the correction held when the plate was lost */
    float bb_hold_w_ck;       /* the wall's raw reading at the time of that correction */
    float bb_wall_ck;         /* the wall's raw reading since, smoothed (bb_alpha) */

    /* room estimate (corrected ck) */
    int32_t amb_init;
    float amb_ck, amb_alpha;
    uint16_t amb_hist[FBFW_AMB_BINS];

    /* per frame */
    int32_t corr_ck;
    int32_t lo_raw, hot_raw;
    uint32_t n_runs, run_overflow; /* runs kept; runs dropped (row or table full) */
    uint32_t n_blobs;
    fbfw_blob blobs[FBFW_MAX_BLOBS];
    uint32_t n_faces;
    fbfw_face faces[FBFW_MAX_FACES];

    /* tracks and events */
    fbfw_track tracks[FBFW_MAX_TRACKS];
    fbfw_ghost ghosts[FBFW_MAX_GHOSTS];
    uint32_t next_id;
    uint32_t max_missed, ghost_frames;
    uint32_t samples_wanted;
    uint16_t pending[FBFW_MAX_PENDING];
    uint32_t n_pending;
} fbfw_state;

static inline fbfw_run *fbfw_runs(fbfw_state *s) {
    return (fbfw_run *)(void *)((unsigned char *)s + s->off_runs);
}
static inline uint16_t *fbfw_parent(fbfw_state *s) {
    return (uint16_t *)(void *)((unsigned char *)s + s->off_parent);
}
/* After labelling, the union-find array is reused to mark which head trace took each run. */
static inline uint16_t *fbfw_mark(fbfw_state *s) {
    return fbfw_parent(s);
}
static inline uint16_t *fbfw_row_start(fbfw_state *s) {
    return (uint16_t *)(void *)((unsigned char *)s + s->off_row_start);
}

/* Rounds to the nearest integer without libm. */
static inline int32_t fbfw_round(float v) {
    return (int32_t)(v >= 0.0f ? v + 0.5f : v - 0.5f);
}

/* Bit k of the result is set when p[k] >= lo, for the 16 pixels from p. */
static inline uint32_t fbfw_band_mask16(const uint16_t *p, uint16_t lo) {
#if FBFW_SIMD
    const __m128i l = _mm_set1_epi16((short)lo), z = _mm_setzero_si128();
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 8));
    a = _mm_cmpeq_epi16(_mm_subs_epu16(l, a), z); /* lo - v saturates to 0 where v >= lo */
    b = _mm_cmpeq_epi16(_mm_subs_epu16(l, b), z);
    return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(a, b));
#else
    uint32_t m = 0, k;
    for (k = 0; k < 16u; k++)
        m |= (uint32_t)(p[k] >= lo) << k;
    return m;
#endif
}

/* The index of the lowest set bit of v (v != 0). */
static inline int32_t fbfw_low_bit(uint64_t v) {
#if defined(__GNUC__)
    return __builtin_ctzll(v);
#else
    int32_t n = 0;
    for (; !(v & 1u); v >>= 1)
        n++;
    return n;
#endif
}

/* The index of the highest set bit of v (v != 0). */
static inline int32_t fbfw_high_bit(uint32_t v) {
#if defined(__GNUC__)
    return 31 - __builtin_clz(v);
#else
    int32_t n = 0;
    for (; v > 1u; v >>= 1)
        n++;
    return n;
#endif
}

/* blackbody.c: updates s->corr_ck from the reference; may queue status events. */
void fbfw_bb_reset(fbfw_state *s);
void fbfw_bb_update(fbfw_state *s, const uint16_t *frame, uint32_t frame_no);
/* The shutter closed (an FFC): offsets jump, so the source's history starts over. */
void fbfw_bb_shutter(fbfw_state *s);
void fbfw_queue_status(fbfw_state *s, uint16_t status);

/* blobs.c: room estimate, skin-band runs and connected components into s->blobs. */
void fbfw_ambient_update(fbfw_state *s, const uint16_t *frame);
void fbfw_blobs_find(fbfw_state *s, const uint16_t *frame);

/* faces.c: head candidates (box, canthus estimate) from the blobs into s->faces. */
void fbfw_faces_find(fbfw_state *s, const uint16_t *frame);

/* tracker.c: associates faces to tracks, collects samples, writes measurement events. */
void fbfw_tracks_reset(fbfw_state *s);
float fbfw_sse_ck(float w, float contrast_ck);
int fbfw_tracks_update(fbfw_state *s, uint32_t frame_no, fbfw_event *events, int max_events);

#endif
