/* link.c — the DUT link wrapper: spec parsing, argument checks and validation of everything the DUT returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "link.h"

const fb_link_ops *const fb_link_transports[] = {&fb_link_inproc, NULL};

int fb_link_open(fb_link **out, const char *spec, const fbfw_config *cfg, char *err,
                 size_t err_len)
{
    *out = NULL;
    if (!spec || !*spec) {
        snprintf(err, err_len, "empty DUT spec (expected TRANSPORT:ARG, e.g. inproc:reference)");
        return FB_ERR_ARG;
    }
    const char *colon = strchr(spec, ':');
    const fb_link_ops *ops = NULL;
    const char *arg = spec;
    if (colon) {
        size_t nlen = (size_t)(colon - spec);
        for (size_t i = 0; fb_link_transports[i]; i++)
            if (strlen(fb_link_transports[i]->name) == nlen &&
                strncmp(fb_link_transports[i]->name, spec, nlen) == 0)
                ops = fb_link_transports[i];
        if (!ops) {
            char names[128] = "";
            for (size_t i = 0; fb_link_transports[i]; i++) {
                strncat(names, i ? ", " : "", sizeof(names) - strlen(names) - 1);
                strncat(names, fb_link_transports[i]->name, sizeof(names) - strlen(names) - 1);
            }
            snprintf(err, err_len, "DUT spec \"%s\": unknown transport \"%.*s\" (expected one of: %s)",
                     spec, (int)nlen, spec, names);
            return FB_ERR_ARG;
        }
        arg = colon + 1;
    } else {
        ops = &fb_link_inproc;
    }
    fb_link *l = calloc(1, sizeof(*l));
    if (!l) {
        snprintf(err, err_len, "out of memory opening DUT \"%s\"", spec);
        return FB_ERR_NOMEM;
    }
    l->ops = ops;
    l->cfg = *cfg;
    int rc = ops->open(l, arg, cfg, err, err_len);
    if (rc) {
        free(l);
        return rc;
    }
    *out = l;
    return FB_OK;
}

/* Rejects what a DUT must never send; returns 0 or FB_ERR_DUT with a message. */
static int validate_event(const fb_link *l, const fbfw_event *e, uint32_t frame_no, char *err,
                          size_t err_len)
{
    if (e->kind != FBFW_EV_MEASUREMENT && e->kind != FBFW_EV_STATUS) {
        snprintf(err, err_len, "DUT sent an event of unknown kind %u for frame %u",
                 (unsigned)e->kind, (unsigned)frame_no);
        return FB_ERR_DUT;
    }
    if (e->frame > frame_no) {
        snprintf(err, err_len, "DUT reported frame %u while frame %u was the latest sent",
                 (unsigned)e->frame, (unsigned)frame_no);
        return FB_ERR_DUT;
    }
    if (e->kind == FBFW_EV_MEASUREMENT &&
        ((uint32_t)e->box_x + e->box_w > l->cfg.width ||
         (uint32_t)e->box_y + e->box_h > l->cfg.height || e->box_w == 0 || e->box_h == 0)) {
        snprintf(err, err_len,
                 "DUT sent a face box %ux%u+%u+%u outside the %ux%u frame (frame %u, track %u)",
                 (unsigned)e->box_w, (unsigned)e->box_h, (unsigned)e->box_x, (unsigned)e->box_y,
                 (unsigned)l->cfg.width, (unsigned)l->cfg.height, (unsigned)frame_no,
                 (unsigned)e->track_id);
        return FB_ERR_DUT;
    }
    if (e->kind == FBFW_EV_MEASUREMENT && e->alarm > 1) {
        snprintf(err, err_len, "DUT sent alarm flag %u (expected 0 or 1) for frame %u",
                 (unsigned)e->alarm, (unsigned)frame_no);
        return FB_ERR_DUT;
    }
    return FB_OK;
}

int fb_link_exchange(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                     fbfw_event *events, int max, int *n, char *err, size_t err_len)
{
    *n = 0;
    if (!l || !frame_ck || !events || max <= 0) {
        snprintf(err, err_len, "fb_link_exchange: invalid argument");
        return FB_ERR_ARG;
    }
    int rc = l->ops->send_frame(l, frame_ck, frame_no, flags, err, err_len);
    if (rc)
        return rc;
    l->frames_sent++;
    int got = 0;
    rc = l->ops->poll_events(l, events, max, &got, err, err_len);
    if (rc)
        return rc;
    if (got < 0 || got > max || got > FB_LINK_MAX_EVENTS) {
        l->violations++;
        snprintf(err, err_len, "DUT returned %d events for frame %u (allowed 0..%d)", got,
                 (unsigned)frame_no, max < FB_LINK_MAX_EVENTS ? max : FB_LINK_MAX_EVENTS);
        return FB_ERR_DUT;
    }
    for (int i = 0; i < got; i++) {
        rc = validate_event(l, &events[i], frame_no, err, err_len);
        if (rc) {
            l->violations++;
            return rc;
        }
        (*n)++;
        l->events_received++;
    }
    return FB_OK;
}

void fb_link_close(fb_link *l)
{
    if (!l)
        return;
    if (l->ops->close)
        l->ops->close(l);
    free(l);
}
