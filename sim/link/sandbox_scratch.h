/* sandbox_scratch.h — lists the files a sandboxed DUT left in its scratch folder. */
#ifndef FB_SANDBOX_SCRATCH_H
#define FB_SANDBOX_SCRATCH_H

#include "link_audit.h"

/* Walks the folder open at dirfd (the DUT's scratch tmpfs, shown to the DUT as `shown_as`),
 * never leaving its file system nor following links, and fills a->scratch_files, scratch_bytes
 * and the first FB_AUDIT_MAX_SCRATCH files (in name order). The n_skip paths in skip (as the DUT
 * sees them: the mount points the sandbox made for files it exposes there, which outlive their
 * bind mounts once the DUT's view is gone) are not the DUT's and are passed over. Returns 0, or
 * -1 when the folder cannot be read (errno). */
int fb_scratch_list(int dirfd, const char *shown_as, const char *const *skip, size_t n_skip,
                    fb_link_audit *a);

#endif
