/* body.c — not written yet (this session). */
typedef int fb_pending_body;
