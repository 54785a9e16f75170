/* fbfw.h — the in-process firmware API: what any screening firmware exports to be tested by feverbench.
 *
 * A firmware sees only what a camera sees: its configuration (geometry, blackbody position and
 * set point, alarm threshold) and radiometric frames in centikelvin. It never sees the truth.
 * The caller provides all memory; the firmware allocates nothing and makes no OS calls, so the
 * same core runs linked into the bench, in a host process or on a microcontroller.
 * Any shared library exporting these four functions can be loaded as a DUT.
 */
#ifndef FBFW_H
#define FBFW_H

#include <stddef.h>
#include <stdint.h>

#define FBFW_API_VERSION 1

/* Settings a camera is installed with. Temperatures in centikelvin (K x 100), like the frames. */
typedef struct fbfw_config {
    uint32_t api_version;     /* FBFW_API_VERSION */
    uint16_t width, height;   /* frame size in pixels */
    uint32_t fps_milli;       /* sensor frame rate x 1000 (25 Hz -> 25000) */
    uint32_t focal_px_milli;  /* focal length in pixels x 1000 (for expected face sizes) */
    /* Blackbody as drawn by the installer: a pixel rectangle around it, and its set point.
     * bb_w == 0 means no blackbody is installed. */
    uint16_t bb_x, bb_y, bb_w, bb_h;
    uint16_t bb_set_ck;
    /* Screening settings. */
    uint16_t alarm_threshold_ck; /* alarm when the estimated body temperature >= this */
    uint16_t body_offset_ck;     /* body estimate = canthus skin + this (FDA: 1.24 °C -> 124) */
} fbfw_config;

typedef enum fbfw_event_kind {
    FBFW_EV_MEASUREMENT = 1, /* one per person: the screening result */
    FBFW_EV_STATUS = 2       /* device status change (code in `status`) */
} fbfw_event_kind;

/* Status codes carried by FBFW_EV_STATUS. */
typedef enum fbfw_status {
    FBFW_STATUS_OK = 0,
    FBFW_STATUS_BLACKBODY_LOST = 1, /* reference not found or implausible: readings uncorrected */
    FBFW_STATUS_BLACKBODY_OK = 2    /* reference found again */
} fbfw_status;

typedef struct fbfw_event {
    uint8_t kind;            /* fbfw_event_kind */
    uint8_t alarm;           /* measurement: 1 when body_ck >= threshold */
    uint16_t status;         /* status event: fbfw_status */
    uint32_t frame;          /* frame number the measurement belongs to */
    uint32_t track_id;       /* the firmware's id for the person (stable across frames) */
    uint16_t box_x, box_y, box_w, box_h; /* face box in pixels */
    uint16_t skin_ck;        /* measured inner-canthus skin temperature */
    uint16_t body_ck;        /* estimated body (core) temperature */
} fbfw_event;

/* Negative return values of fbfw_init / fbfw_process (a firmware may return other negative
 * values; callers treat any negative value as an error). */
typedef enum fbfw_error {
    FBFW_ERR_ARG = -1,    /* NULL or misaligned pointer, memory too small, bad max_events */
    FBFW_ERR_STATE = -2,  /* mem was not initialised by fbfw_init */
    FBFW_ERR_CONFIG = -3  /* unsupported configuration */
} fbfw_error;

/* Bytes of state the firmware needs for cfg (0 if cfg is unsupported). */
size_t fbfw_state_size(const fbfw_config *cfg);

/* Initialises the state in mem (state_size bytes, 8-byte aligned). Returns 0, or a negative
 * value for an unsupported configuration. */
int fbfw_init(void *mem, size_t mem_size, const fbfw_config *cfg);

/* Processes one frame (width*height centikelvin values, row-major) with frame number
 * frame_no (consecutive from 0). flags: FBFW_FRAME_FROZEN while the shutter is closed.
 * Writes at most max_events events and returns how many, or a negative value on error. */
#define FBFW_FRAME_FROZEN 0x1u
int fbfw_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                 fbfw_event *events, int max_events);

/* Human-readable name and version of the firmware ("feverbench-reference 0.1"). */
const char *fbfw_name(void);

#endif
