/* fbfw_reference.c — not written yet (this session). */
typedef int fb_pending_fbfw_reference;
