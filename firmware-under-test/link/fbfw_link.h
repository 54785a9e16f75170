/* fbfw_link.h — the firmware's side of the link protocol (docs/protocol.md), the same on every
 * port.
 *
 * A port (host stdio, a serial device, an MCU's UART + frame port) supplies a few byte-moving
 * functions; this engine answers the bench: handshake, configuration, frames in chunks or on the
 * frame port, events, status and bye. It calls the firmware through fbfw.h only, allocates
 * nothing (memory for the firmware comes from the port's alloc, once per CONFIG) and makes no
 * OS calls, so it builds for the host, ARM Linux and a bare-metal Cortex-M alike.
 */
#ifndef FBFW_LINK_H
#define FBFW_LINK_H

#include <stddef.h>
#include <stdint.h>
#include "fbp.h"
#include "fbfw.h"

/* Bytes read from the port at a time: small on an MCU, large on a host (fewer system calls). */
#ifndef FBFW_LINK_IN_BYTES
#define FBFW_LINK_IN_BYTES 512
#endif

/* FRAME_DONE.result when a frame was lost on the link (an ERROR message precedes it). */
#define FBFW_LINK_FRAME_LOST (-100)

typedef struct fbfw_port {
    void *ctx;
    /* Writes all n bytes. Returns 0, or < 0 when the link is gone. */
    int (*write)(void *ctx, const uint8_t *buf, size_t n);
    /* Reads 1..n bytes, blocking until at least one arrives. Returns the count, 0 at the end of
     * the link, < 0 on error. */
    long (*read)(void *ctx, uint8_t *buf, size_t n);
    /* The frame port: reads exactly n bytes of the next frame. Returns 0 or < 0. NULL when the
     * port has no frame port. */
    int (*read_frame)(void *ctx, uint8_t *buf, size_t n);
    /* Memory for the firmware: n bytes, 8-byte aligned, replacing any earlier block. NULL when
     * there is not enough. */
    void *(*alloc)(void *ctx, size_t n);
    /* Microseconds from any origin (wraps), for FRAME_DONE.proc_us; NULL: no clock. */
    uint32_t (*now_us)(void *ctx);
} fbfw_port;

typedef struct fbfw_link fbfw_link;

/* Test-only misbehaviour (firmware-under-test/broken/): NULL in every real build. */
typedef struct fbfw_link_hooks {
    /* Called when frame frame_no has arrived, before the firmware sees it. */
    void (*before_frame)(void *hctx, fbfw_link *lk, uint32_t frame_no);
    /* Called for every outgoing message; may change *m or send other bytes first. Returns 0 to
     * send *m, 1 to drop it. */
    int (*before_send)(void *hctx, fbfw_link *lk, fbp_msg *m);
} fbfw_link_hooks;

struct fbfw_link {
    const fbfw_port *port;
    const fbfw_link_hooks *hooks;
    void *hctx;
    fbp_decoder dec;
    bool hello_seen, configured, frame_port;
    fbp_config cfg;
    void *state;
    uint16_t *frame; /* width*height pixels */
    uint32_t frame_bytes;
    fbp_frame_rx frx;
    uint32_t frame_flags;
    uint32_t frames_done, rx_packets, rx_errors, tx_packets;
    fbfw_event events[FBP_MAX_EVENTS_PER_FRAME];
    uint8_t rx[FBP_MAX_RAW];
    uint8_t scratch[FBP_MAX_RAW];
    uint8_t tx[FBP_MAX_WIRE];
    uint8_t in[FBFW_LINK_IN_BYTES];
};

/* Serves the bench until BYE. lk is the caller's (static on an MCU: it holds ~3 KiB of buffers).
 * Returns 0 after BYE, 1 when the link ended without BYE, < 0 when writing failed. */
int fbfw_link_run(fbfw_link *lk, const fbfw_port *port, const fbfw_link_hooks *hooks, void *hctx);

/* Encodes and writes one message (hooks see it first). Returns 0 or < 0. */
int fbfw_link_send(fbfw_link *lk, fbp_msg *m);
/* Writes one message without the hooks (for the hooks themselves). */
int fbfw_link_send_raw(fbfw_link *lk, const fbp_msg *m);

#endif
