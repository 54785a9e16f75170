/* json_pos.c — not written yet (this session). */
typedef int fb_pending_json_pos;
