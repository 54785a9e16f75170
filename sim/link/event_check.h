/* event_check.h — the rules every DUT event must keep: one check shared by the live link and by replay. */
#ifndef FB_EVENT_CHECK_H
#define FB_EVENT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define FB_EVENT_MAX_PER_FRAME 64 /* events a DUT may return for one frame (docs/protocol.md) */

/* Checks one event the DUT sent (docs/protocol.md §6): a known kind; `frame` no later than
 * frame_bound (the frame being answered in lockstep, the latest frame sent in realtime: the
 * event's arrival_frame either way); a measurement's face box non-empty and inside the
 * width x height frame; its alarm 0 or 1. Returns 0, or FB_ERR_DUT with one line in err. */
int fb_event_check(const fbfw_event *e, uint32_t frame_bound, unsigned width, unsigned height,
                   char *err, size_t err_len);

/* Checks how many events answered one frame: n events for frame; more than
 * FB_EVENT_MAX_PER_FRAME is FB_ERR_DUT with one line in err, else 0. */
int fb_event_check_count(size_t n, uint32_t frame, char *err, size_t err_len);

/* Checks the events that arrived with one frame in their order, as the live link met them: each
 * against its arrival_frame, and the 65th is over the count. *n_ok receives how many lead events
 * pass (all of them, or those before the first bad one: the ones the live link kept).
 * Returns 0 or FB_ERR_DUT with one line in err. */
int fb_event_check_frame(const fb_event *ev, size_t n, uint32_t frame, unsigned width,
                         unsigned height, size_t *n_ok, char *err, size_t err_len);

#endif
