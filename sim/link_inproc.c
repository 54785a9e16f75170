/* link_inproc.c — not written yet (this session). */
typedef int fb_pending_link_inproc;
