/* record.h — recordings of a run (frames, truth, events, what is needed to re-score) and their replay without the DUT.
 *
 * The format (binary, little-endian, versioned, chunked like PNG, every chunk CRC-checked) is
 * specified in docs/recording.md. The reader trusts nothing: every count and size is checked
 * against the header and the chunk it sits in, and errors name the chunk, the frame and the
 * file offset. Memory held by a reader is bounded by the header (one frame, one truth and
 * event table), never by what a count in the file claims.
 */
#ifndef FB_RECORD_H
#define FB_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "link/event.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "world/truth.h"
#include "world/world.h"

#define FB_REC_VERSION_MAJOR 3   /* readers read this, 2 and 1 (1.x: truth without
                                  * canthus_visible, read as NaN; 1.x and 2.x: END's frames
                                  * hash is the legacy fb_hash64 chain), reject other majors */
#define FB_REC_VERSION_MINOR 1   /* readers accept any minor (new ancillary chunks only) */

/* Reader limits (docs/recording.md). */
#define FB_REC_MAX_SIDE 4096u          /* width, height */
#define FB_REC_MAX_SUBJECTS 1000000u   /* subject table */
#define FB_REC_MAX_EVENTS 4096u        /* events in one frame */
#define FB_REC_MAX_TEXT (1u << 20)     /* scenario text, bytes */
#define FB_REC_MAX_STRING 1024u        /* any other string, bytes */

/* What a recording says about its run: enough to re-score it and to draw it. */
typedef struct fb_record_header {
    uint16_t version_major, version_minor; /* of the file (reader) */
    const char *frames_hash_algorithm;     /* END's frames hash: FB_FRAMES_HASH_ALGORITHM from
                                            * 3.0, FB_FRAMES_HASH_ALGORITHM_LEGACY before */
    char feverbench[64];         /* version of the program that recorded */
    char scenario_name[64];
    char scenario_source[512];
    uint64_t scenario_hash;
    uint64_t seed;
    char camera_name[64];
    char dut_name[128];          /* the firmware's own name */
    char dut_spec[256];          /* how it was reached ("reference", "inproc:reference", ...) */
    uint32_t width, height;      /* pixels */
    double fps;
    double duration_s;           /* planned */
    uint32_t frames_planned;
    double hfov_deg, camera_height_m, camera_tilt_deg;
    fb_blackbody_params blackbody;
    fb_screening_spec screening;
    double alarm_threshold_c, body_offset_c; /* the DUT's settings */
    fb_criterion_limit criteria[FB_CRIT_COUNT];
    char people[16];             /* "template" or "3d" (since 3.0; "" before) */
} fb_record_header;

/* ---- writer ---- */

typedef struct fb_record fb_record;

/* Creates PATH and writes the header, the scenario text (when its source can be read again:
 * a file, or a shipped scenario) and the subject table of world w. sc is the scenario as run
 * (overrides applied). Returns 0, or FB_ERR_IO / FB_ERR_NOMEM with a message. *out is freed
 * by fb_record_close. */
int fb_record_open(fb_record **out, const char *path, const fb_scenario *sc, const fb_world *w,
                   const char *dut_name, const char *dut_spec, char *err, size_t err_len);

/* Appends one frame: its truth, the events that arrived with it and the radiometric frame
 * (width x height centikelvin). Write errors are sticky and reported by fb_record_close. */
void fb_record_frame(fb_record *r, const fb_truth_frame *tf, const uint16_t *frame_ck,
                     const fb_event *events, size_t n_events);
/* Appends a DUT fault as the scorer got it (fb_score_fault), in order with the frames. */
void fb_record_fault(fb_record *r, const char *msg);
/* The link audit's verdict and the sandbox's counts (an ancillary "audt" chunk before END). */
void fb_record_audit(fb_record *r, bool clean, uint64_t egress_attempts, uint64_t violations);

/* Writes the END chunk (frames, frames hash, completeness) and closes the file; frees r
 * (NULL is fine). Returns 0, or FB_ERR_IO with a message when any write failed. */
int fb_record_close(fb_record *r, uint64_t frames_hash, bool complete, const char *stop_reason,
                    char *err, size_t err_len);

/* ---- reader ---- */

typedef struct fb_recording fb_recording;

/* What fb_recording_next read. */
enum {
    FB_REC_FRAME = 1, /* a frame: truth, events, frame_ck */
    FB_REC_FAULT = 2  /* a DUT fault: fault (feed it to fb_score_fault where it appears) */
};

/* One item as read; everything is borrowed from the reader until its next call. */
typedef struct fb_record_frame_view {
    fb_truth_frame truth;
    const fb_event *events;
    size_t n_events;
    const uint16_t *frame_ck;    /* width x height */
    const char *fault;           /* FB_REC_FAULT: the message */
} fb_record_frame_view;

/* What the END chunk says (valid once fb_recording_next returned 0). */
typedef struct fb_record_end {
    uint32_t frames;
    uint64_t frames_hash;
    bool complete;
    char stop_reason[320];
    /* From the ancillary "audt" chunk (format 3.1; absent in older files: have_audit false):
     * the link audit's verdict and the sandbox's counts, so replay judges audit_clean,
     * egress_attempts_max and sandbox_violations_max as the run did. */
    bool have_audit, audit_clean;
    uint64_t egress_attempts, sandbox_violations;
} fb_record_end;

/* Opens a recording and reads everything before the first frame. Returns 0, or
 * FB_ERR_IO / FB_ERR_PARSE / FB_ERR_INVALID / FB_ERR_UNSUPPORTED / FB_ERR_NOMEM with one line:
 * "FILE: offset N: CHUNK: what is wrong". fb_recording_close frees *out. */
int fb_recording_open(fb_recording **out, const char *path, char *err, size_t err_len);
/* Same, from memory (data must outlive the reader; for tests and fuzzing). */
int fb_recording_open_mem(fb_recording **out, const void *data, size_t len, const char *name,
                          char *err, size_t err_len);
void fb_recording_close(fb_recording *r);

const fb_record_header *fb_recording_header(const fb_recording *r);
/* The subject table (index = fb_truth_subject.subject). */
const fb_subject_info *fb_recording_subjects(const fb_recording *r, size_t *n);
/* The scenario JSON as it was loaded, NUL-terminated ("" when the recorder could not read it). */
const char *fb_recording_scenario_text(const fb_recording *r);
/* Fills sc (zeroed first; owns nothing: no fb_scenario_free needed) with what the header
 * carries: name, source, hash, seed, duration, camera geometry and fps, mount, blackbody,
 * screening, DUT thresholds and criteria. Enough for fb_score_new and for drawing. */
void fb_recording_scenario(const fb_recording *r, fb_scenario *sc);

/* Reads the next item into *out. Returns FB_REC_FRAME or FB_REC_FAULT, 0 at a valid END
 * (then fb_recording_end is set), or a negative FB_ERR_* with a message (a truncated file, a
 * bad CRC, a count that does not fit its chunk, frames out of order, pixels that do not
 * decode, frames hash or count different from END's). */
int fb_recording_next(fb_recording *r, fb_record_frame_view *out, char *err, size_t err_len);
const fb_record_end *fb_recording_end(const fb_recording *r);
/* Goes back to the first frame. Returns 0 or FB_ERR_IO with a message. */
int fb_recording_rewind(fb_recording *r, char *err, size_t err_len);

/* CRC-32 (ISO-HDLC, as PNG and zlib) of a chunk's type and payload, continued from crc
 * (start with 0): for tests and tools that build recordings byte by byte. */
uint32_t fb_record_crc32(uint32_t crc, const void *data, size_t len);

/* ---- replay: re-score a recording without the DUT ---- */

typedef struct fb_replay_opts {
    const char *out_dir;   /* NULL: no files; else results.json, junit.xml, *.jsonl as `run` */
    const char *scenario;  /* NULL: the one the recording names (a file, or a shipped one) */
    const char *camera;    /* NULL: the recorded camera's shipped profile when the run had
                            * --camera; else a profile file or name */
} fb_replay_opts;

/* The scenario that judges a recording (sim/record/replay.c): the one it names (or o->scenario, on
 * o->camera), refused when its hash is not the recorded one or when HEAD's scoring settings or
 * criteria differ from it, so criteria never come from the recording. `replay` and
 * `view --replay` both judge with it. Returns 0 (free sc with fb_scenario_free) or FB_ERR_*
 * with the reason in err. */
int fb_replay_scenario(const fb_recording *rec, const fb_replay_opts *o, fb_scenario *sc,
                       char *err, size_t err_len);

/* Re-scores a recording (sim/record/replay.c): loads the scenario it was made from and refuses when
 * that scenario's hash is not the recorded one, or when HEAD's scoring settings or criteria
 * differ from the scenario's (criteria never come from the recording); feeds truth and events
 * to a fresh scorer in the order the run did, after the live link's event checks
 * (sim/link/event_check.h: a refused event ends the replay as a DUT fault at its frame, as it would
 * have ended the run); prints the scorecard (may be NULL) and writes the reports. Returns the
 * exit status `run` had: 128 + N for a run a signal stopped, 3 for a DUT fault, 2 for a run the
 * bench stopped, 0 / 1 for the verdict; 2 for an unreadable or damaged file or a scenario that
 * does not match. */
int fb_replay(const char *path, const fb_replay_opts *o, FILE *scorecard);

#endif
