/* link_audit.h — what crossed the DUT link: bytes and messages each way, protocol errors, and
 * findings. */
#ifndef FB_LINK_AUDIT_H
#define FB_LINK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FB_AUDIT_MAX_KINDS    16 /* message types counted per direction */
#define FB_AUDIT_MAX_FINDINGS 12

typedef struct fb_audit_count {
    char name[16]; /* message type ("FRAME_CHUNK") or call ("fbfw_process") */
    uint64_t n;
} fb_audit_count;

typedef struct fb_audit_dir {
    uint64_t bytes;                          /* on the link (encoded), 0 for inproc */
    fb_audit_count msgs[FB_AUDIT_MAX_KINDS]; /* in type-code order, only types seen */
    size_t n_msgs;
} fb_audit_dir;

/* Filled by the link (sim/link*.c) when the session ends; plain data, no pointers. A finding is
 * anything the DUT did that the protocol does not declare or that it was not asked for. */
typedef struct fb_link_audit {
    char transport[16]; /* "inproc", "exec", "serial", "qemu-mcu" */
    char pacing[16];    /* "lockstep", "realtime" */
    fb_audit_dir to_dut, from_dut;
    uint64_t frame_port_bytes; /* frames sent on the frame port instead of the link */
    uint64_t protocol_errors;  /* malformed packets from the DUT */
    char first_protocol_error[160];
    uint64_t dut_errors;    /* ERROR messages the DUT sent */
    uint64_t dut_rx_errors; /* malformed packets the DUT says it received (its STATUS) */
    char findings[FB_AUDIT_MAX_FINDINGS][200];
    size_t n_findings;
    bool clean; /* no findings and no protocol errors */
} fb_link_audit;

#endif
