/* event_check.c — the rules every DUT event must keep (event_check.h), for the live link and replay alike. */
#include <stdio.h>
#include "../models/fb_error.h"
#include "event_check.h"

int fb_event_check(const fbfw_event *e, uint32_t frame_bound, unsigned width, unsigned height,
                   char *err, size_t err_len)
{
    if (e->kind != FBFW_EV_MEASUREMENT && e->kind != FBFW_EV_STATUS) {
        snprintf(err, err_len, "DUT sent an event of unknown kind %u for frame %u",
                 (unsigned)e->kind, (unsigned)frame_bound);
        return FB_ERR_DUT;
    }
    if (e->frame > frame_bound) {
        snprintf(err, err_len, "DUT reported frame %u in its answer to frame %u",
                 (unsigned)e->frame, (unsigned)frame_bound);
        return FB_ERR_DUT;
    }
    if (e->kind == FBFW_EV_MEASUREMENT &&
        ((uint32_t)e->box_x + e->box_w > width || (uint32_t)e->box_y + e->box_h > height ||
         e->box_w == 0 || e->box_h == 0)) {
        snprintf(err, err_len,
                 "DUT sent a face box %ux%u+%u+%u outside the %ux%u frame (frame %u, track %u)",
                 (unsigned)e->box_w, (unsigned)e->box_h, (unsigned)e->box_x, (unsigned)e->box_y,
                 width, height, (unsigned)frame_bound, (unsigned)e->track_id);
        return FB_ERR_DUT;
    }
    if (e->kind == FBFW_EV_MEASUREMENT && e->alarm > 1) {
        snprintf(err, err_len, "DUT sent alarm flag %u (expected 0 or 1) for frame %u",
                 (unsigned)e->alarm, (unsigned)frame_bound);
        return FB_ERR_DUT;
    }
    return FB_OK;
}

int fb_event_check_count(size_t n, uint32_t frame, char *err, size_t err_len)
{
    if (n <= FB_EVENT_MAX_PER_FRAME)
        return FB_OK;
    snprintf(err, err_len, "DUT sent more than %d events for frame %u", FB_EVENT_MAX_PER_FRAME,
             (unsigned)frame);
    return FB_ERR_DUT;
}

int fb_event_check_frame(const fb_event *ev, size_t n, uint32_t frame, unsigned width,
                         unsigned height, size_t *n_ok, char *err, size_t err_len)
{
    *n_ok = 0;
    for (size_t i = 0; i < n; i++) { /* in arrival order, as the link meets them */
        int rc = fb_event_check_count(i + 1, frame, err, err_len);
        if (!rc)
            rc = fb_event_check(&ev[i].ev, ev[i].arrival_frame, width, height, err, err_len);
        if (rc)
            return rc;
        *n_ok = i + 1;
    }
    return FB_OK;
}
