/* link_audit.h — what crossed the DUT link: bytes and messages each way, protocol errors, and
 * findings. */
#ifndef FB_LINK_AUDIT_H
#define FB_LINK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FB_AUDIT_MAX_KINDS    16 /* message types counted per direction */
#define FB_AUDIT_MAX_FINDINGS 12
#define FB_AUDIT_MAX_ATTEMPTS 32 /* attempts kept in detail; the counters count them all */
#define FB_AUDIT_MAX_SCRATCH  16 /* scratch files kept in detail; the counters count them all */
#define FB_AUDIT_MAX_RUNTIME  8  /* distinct runtime notes kept; the counter counts them all */
#define FB_AUDIT_NOISE_HEAD   16 /* first bytes kept of what the DUT sent outside the protocol */

typedef struct fb_audit_count {
    char name[16]; /* message type ("FRAME_CHUNK") or call ("fbfw_process") */
    uint64_t n;
} fb_audit_count;

typedef struct fb_audit_dir {
    uint64_t bytes;                          /* on the link (encoded), 0 for inproc */
    fb_audit_count msgs[FB_AUDIT_MAX_KINDS]; /* in type-code order, only types seen */
    size_t n_msgs;
} fb_audit_dir;

/* Something the sandbox stopped (or let through and noted): docs/security.md. */
typedef struct fb_audit_attempt {
    uint32_t frame; /* the latest frame sent to the DUT when it happened */
    double t_s;     /* seconds since the DUT started */
    bool egress;    /* a network attempt (counts toward egress_attempts_max) */
    char what[168]; /* "connect to 203.0.113.9:443, denied" */
} fb_audit_attempt;

/* A file the DUT left in its scratch folder (sim/link/sandbox_scratch.c). */
typedef struct fb_audit_file {
    char path[128]; /* as the DUT saw it: "/tmp/f5.raw" */
    uint64_t size_b;
} fb_audit_file;

/* Filled by the link (sim/link*.c) when the session ends; plain data, no pointers. A finding is
 * anything the DUT did that the protocol does not declare or that it was not asked for. */
typedef struct fb_link_audit {
    char transport[16]; /* "inproc", "exec", "serial", "qemu-mcu" */
    char pacing[16];    /* "lockstep", "realtime" */
    fb_audit_dir to_dut, from_dut;
    uint64_t frame_port_bytes; /* frames sent on the frame port instead of the link */
    uint64_t protocol_errors;  /* malformed packets from the DUT (their CRC held) */
    char first_protocol_error[160];
    /* Bytes outside the protocol (docs/protocol.md §6: no packet whose CRC held): how many, in
     * how many runs (each ended by a delimiter), the first run's first bytes and the frame
     * outstanding then (-1 before the first frame). */
    uint64_t noise_bytes, noise_runs;
    uint8_t noise_head[FB_AUDIT_NOISE_HEAD];
    size_t noise_head_len;
    long noise_frame;
    uint64_t dut_errors;    /* ERROR messages the DUT sent */
    uint64_t dut_rx_errors; /* malformed packets the DUT says it received (its STATUS) */
    char findings[FB_AUDIT_MAX_FINDINGS][200];
    size_t n_findings;
    bool clean; /* no findings, no protocol errors, no sandbox violations */
    /* The sandbox (sim/link/sandbox.h): "on", "off" (--sandbox off) or "none" (the DUT is no process
     * of ours: inproc, serial); the layers in force and those missing, comma-separated
     * ("" when none); what the DUT tried. Violations include the egress attempts. */
    char sandbox[8];
    char sandbox_layers[128];
    char sandbox_missing[160];
    uint64_t egress_attempts, sandbox_violations;
    fb_audit_attempt attempts[FB_AUDIT_MAX_ATTEMPTS];
    size_t n_attempts;
    /* What an emulator (QEMU) did for itself and was refused: notes, no violations
     * ("QEMU: open /etc/libnl/classid for reading, refused (no such file)"). */
    uint64_t runtime_notes;
    char runtime[FB_AUDIT_MAX_RUNTIME][168];
    size_t n_runtime;
    /* What the DUT left in its scratch folder when the session ended (files, not folders). */
    uint64_t scratch_files, scratch_bytes;
    fb_audit_file scratch[FB_AUDIT_MAX_SCRATCH];
    size_t n_scratch;
} fb_link_audit;

/* The first bytes outside the protocol as text: "66 77 3a" (two hex digits a byte, blanks
 * between; "" when there were none). out holds 3 * FB_AUDIT_NOISE_HEAD bytes at least. */
void fb_link_audit_noise_hex(const fb_link_audit *a, char *out, size_t len);

#endif
