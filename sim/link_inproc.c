/* link_inproc.c — the inproc transport: the firmware API called directly (the reference firmware, linked in). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "link.h"

typedef struct inproc {
    void *state;        /* firmware state, fbfw_state_size bytes, 8-byte aligned */
    fbfw_event pending[FB_LINK_MAX_EVENTS + 1];
    int n_pending;      /* what fbfw_process returned for the last frame */
} inproc;

static int inproc_open(fb_link *l, const char *arg, const fbfw_config *cfg, char *err,
                       size_t err_len)
{
    if (strcmp(arg, "reference") != 0) {
        snprintf(err, err_len,
                 "inproc DUT \"%s\": unknown firmware (expected \"reference\", the linked-in "
                 "reference firmware)",
                 arg);
        return FB_ERR_ARG;
    }
    size_t size = fbfw_state_size(cfg);
    if (size == 0) {
        snprintf(err, err_len, "inproc DUT \"%s\": firmware does not support a %ux%u camera", arg,
                 (unsigned)cfg->width, (unsigned)cfg->height);
        return FB_ERR_DUT;
    }
    inproc *p = calloc(1, sizeof(*p));
    void *state = p ? aligned_alloc(16, (size + 15) / 16 * 16) : NULL;
    if (!p || !state) {
        free(p);
        snprintf(err, err_len, "inproc DUT: out of memory for %zu bytes of firmware state", size);
        return FB_ERR_NOMEM;
    }
    p->state = state;
    int rc = fbfw_init(state, size, cfg);
    if (rc < 0) {
        free(state);
        free(p);
        snprintf(err, err_len, "inproc DUT \"%s\": fbfw_init failed (%d)", arg, rc);
        return FB_ERR_DUT;
    }
    snprintf(l->dut_name, sizeof(l->dut_name), "%s", fbfw_name());
    l->priv = p;
    return FB_OK;
}

static int inproc_send(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                       char *err, size_t err_len)
{
    inproc *p = l->priv;
    /* One slot more than allowed, so an over-long answer is seen, not silently cut. */
    p->n_pending = fbfw_process(p->state, frame_ck, frame_no, flags, p->pending,
                                FB_LINK_MAX_EVENTS + 1);
    if (p->n_pending < 0) {
        snprintf(err, err_len, "firmware returned error %d for frame %u", p->n_pending,
                 (unsigned)frame_no);
        return FB_ERR_DUT;
    }
    return FB_OK;
}

static int inproc_poll(fb_link *l, fbfw_event *out, int max, int *n, char *err, size_t err_len)
{
    inproc *p = l->priv;
    (void)err;
    (void)err_len;
    int k = p->n_pending < max ? p->n_pending : max;
    memcpy(out, p->pending, (size_t)k * sizeof(*out));
    *n = p->n_pending; /* the wrapper rejects counts above the limit */
    p->n_pending = 0;
    return FB_OK;
}

static void inproc_close(fb_link *l)
{
    inproc *p = l->priv;
    if (p) {
        free(p->state);
        free(p);
    }
    l->priv = NULL;
}

const fb_link_ops fb_link_inproc = {
    .name = "inproc",
    .help = "firmware called in-process: inproc:reference (the linked-in reference firmware)",
    .open = inproc_open,
    .send_frame = inproc_send,
    .poll_events = inproc_poll,
    .close = inproc_close,
};
