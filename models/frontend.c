/* frontend.c — not written yet (this session). */
typedef int fb_pending_frontend;
