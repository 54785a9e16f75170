/* sandbox.h — for transports: the sandbox around a DUT process that is not ours (exec, qemu-user,
 * a vendor library in its host process): namespaces, a read-only view with a private scratch
 * folder, a scrubbed environment, limits, and a seccomp filter whose user notifications the bench
 * answers — recording and denying what a firmware has no business doing. docs/security.md.
 */
#ifndef FB_SANDBOX_H
#define FB_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include "link_audit.h"
#include "link_internal.h"

typedef struct fb_sandbox fb_sandbox;

/* A sandbox for the program argv (argv[0] searched in PATH now, so that the one execve the DUT
 * may make is known). Returns 0 or FB_ERR_* with a message (the program does not exist). */
int fb_sandbox_new(fb_sandbox **out, char *const argv[], char *err, size_t err_len);
/* A file the bench shares with the DUT (a frame FIFO), shown in its scratch folder as
 * SCRATCH/name (/tmp/name) and readable there; without a mount namespace the DUT works in the
 * file's folder instead and may read the file where it is. Before the spawn. Returns 0 or
 * FB_ERR_*. */
int fb_sandbox_port(fb_sandbox *sb, const char *host_path, const char *name, char *err,
                    size_t err_len);
/* What an emulator (who: "QEMU") itself tries as it starts, refused and kept as runtime notes
 * (audit.sandbox.runtime), not as the firmware's violations: reads under the given prefixes by
 * its main thread (answered "no such file"; the same reads from its guest's thread are the
 * firmware's, recorded and denied), and with ring an io_uring for its event loop (answered "not
 * implemented": it falls back to poll). who and the prefixes must outlive sb. */
void fb_sandbox_runtime(fb_sandbox *sb, const char *who, const char *const *prefixes, size_t n,
                        bool ring);
/* What fbl_child_spawn needs to build it (valid while sb lives). */
const fbl_child_setup *fb_sandbox_setup(fb_sandbox *sb);
/* After a successful spawn: takes the seccomp listener from the DUT (which sent it before exec)
 * and answers notifications until the DUT's own execve went through. Returns 0 or FB_ERR_*. */
int fb_sandbox_started(fb_sandbox *sb, fbl_child *c, char *err, size_t err_len);
/* The seccomp listener for a poll set (-1 when there is none). */
int fb_sandbox_fd(const fb_sandbox *sb);
/* Answers the pending notifications (non-blocking); frame and t_s stamp what is recorded. */
void fb_sandbox_service(fb_sandbox *sb, uint32_t frame, double t_s);
/* Fills the sandbox part of the audit: layers in force, layers missing, attempts, and the files
 * the DUT left in its scratch folder. */
void fb_sandbox_audit(fb_sandbox *sb, fb_link_audit *a);
/* The audit of a DUT run with the sandbox off (--sandbox off): says so. */
void fb_sandbox_audit_off(fb_link_audit *a, const char *why);
void fb_sandbox_free(fb_sandbox *sb);

#endif
