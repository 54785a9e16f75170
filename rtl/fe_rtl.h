/* fe_rtl.h — C API of the Verilated sensor front-end (rtl/fb_fe_top.v): counts -> centikelvin
 * frames, bit-exact with models/frontend.h. */
#ifndef FB_FE_RTL_H
#define FB_FE_RTL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One Verilated model with its own VerilatedContext: instances are independent, and nothing
 * in the RTL or in Verilator's $stop/$finish/fatal paths ends the process (they end the
 * instance: every later call returns FB_ERR_DUT). Not thread-safe per instance; separate
 * instances may run on separate threads. Errors: FB_ERR_ARG (NULL, bad argument),
 * FB_ERR_RANGE (size or coefficient out of range), FB_ERR_INVALID (frame does not match the
 * configured size: the RTL's framing checks), FB_ERR_NOMEM, FB_ERR_UNSUPPORTED (tracing
 * requested in a build without FB_RTL_TRACE), FB_ERR_DUT (the hardware model misbehaved:
 * cycle budget exceeded, e.g. out_ready stalled; a bad packet; $stop/$finish). After an error
 * fb_rtl_errmsg() says what and where; a frame error soft-resets the stream so the next
 * frame starts clean. */
typedef struct fb_rtl fb_rtl;
struct fb_frontend; /* models/frontend.h */

typedef struct fb_rtl_options {
    const char *trace_path; /* FST waveform of everything this instance runs; NULL = none */
    uint64_t budget_cycles; /* per frame; 0 = 4 * pixels + 8 * width + 4096 */
} fb_rtl_options;

/* Opens an instance for width x height frames (capacity = the build's FB_RTL_MAX_WIDTH x
 * FB_RTL_MAX_HEIGHT, 640 x 512 by default; the RTL takes two pixels per clock, so the width
 * must be even: 2..capacity; FB_ERR_RANGE otherwise). opt may be NULL. Returns NULL
 * and sets *err on failure (err may be NULL). Coefficients start as whatever the memories
 * hold (zeros): call fb_rtl_load before processing. Free with fb_rtl_close. */
fb_rtl *fb_rtl_open(int width, int height, const fb_rtl_options *opt, int *err);
void fb_rtl_close(fb_rtl *r);

/* Loads offsets, gains, bad map and the calibration table through the register bus, as
 * firmware would. fe's size must equal the instance's (FB_ERR_INVALID); a bad-map value other
 * than 0 or 1 is rejected by the RTL (FB_ERR_RANGE; the golden model would treat any nonzero
 * value as bad). */
int fb_rtl_load(fb_rtl *r, const struct fb_frontend *fe);

/* The raw packet stream of one fb_rtl_process call, discard packets included. */
typedef struct fb_rtl_stream {
    uint8_t *buf; /* caller-owned */
    size_t cap;   /* bytes */
    size_t len;   /* bytes stored (whole 164-byte packets) */
    size_t total; /* bytes the RTL sent; > len if cap was too small (then FB_ERR_RANGE) */
} fb_rtl_stream;

/* Streams one frame of raw counts (width*height, row-major) through the RTL and reassembles
 * its packets (CRC-checked) into ck_out[width*height] (centikelvin). width x height must be the
 * configured size: any other (even-width) size is pushed as given and the RTL's framing checks
 * reject it (FB_ERR_INVALID; an odd width cannot be sent at all: FB_ERR_INVALID). raw may be NULL.
 * On error ck_out is left unchanged. */
int fb_rtl_process(fb_rtl *r, const uint16_t *counts, int width, int height, uint16_t *ck_out,
                   fb_rtl_stream *raw);

/* Handshake patterns for tests: on stream cycle n the pixel input is offered iff bit (n % 32)
 * of valid_pattern is set, and the packet output accepted iff that bit of ready_pattern is.
 * Default 0xFFFFFFFF for both (full speed); ready_pattern 0 stalls the output forever. */
void fb_rtl_set_flow(fb_rtl *r, uint32_t valid_pattern, uint32_t ready_pattern);

/* Register bus, one access per clock (addresses and fields: rtl/fb_rtl_regs.h, docs/rtl.md).
 * They return FB_OK once the bus cycle ran; whether the RTL accepted a write shows in the
 * ERROR register. */
int fb_rtl_reg_write(fb_rtl *r, uint32_t addr, uint32_t data);
int fb_rtl_reg_read(fb_rtl *r, uint32_t addr, uint32_t *data);
/* n consecutive words from addr (addr, addr+4, ...): bulk loading. */
int fb_rtl_reg_write_block(fb_rtl *r, uint32_t addr, const uint32_t *data, size_t n);

/* What the last fb_rtl_process call cost. */
typedef struct fb_rtl_frame_stats {
    uint64_t cycles;           /* clock cycles of the call */
    uint64_t first_data_cycle; /* cycle of the first data-packet word (latency), 0 if none */
    uint32_t data_packets;
    uint32_t discard_packets;
    uint64_t total_cycles; /* since open, bus cycles included */
} fb_rtl_frame_stats;
int fb_rtl_stats(const fb_rtl *r, fb_rtl_frame_stats *s);

/* Detail of the last error of this instance ("" if none); valid until the next call. */
const char *fb_rtl_errmsg(const fb_rtl *r);

/* Configured frame size. */
int fb_rtl_width(const fb_rtl *r);
int fb_rtl_height(const fb_rtl *r);

/* 1 if this build can write FST traces (CMake option FB_RTL_TRACE). */
int fb_rtl_trace_supported(void);

#ifdef __cplusplus
}
#endif

#endif
