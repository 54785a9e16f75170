/* link_inproc.c — the inproc transport: a firmware built into the bench (inproc:reference, the
 * flawed fixtures), its API called directly.
 *
 * In-process code shares the bench's address space: only our own firmwares run here. A vendor's
 * library runs in a sandboxed host process instead (lib:, link_lib.c; inproc:/path/lib.so is
 * sent there by fb_link_open).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "../firmware-under-test/cheating/cheating.h"
#include "../firmware-under-test/flawed/flawed.h"
#include "link.h"

typedef struct fw_api {
    size_t (*state_size)(const fbfw_config *cfg);
    int (*init)(void *mem, size_t mem_size, const fbfw_config *cfg);
    int (*process)(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                   fbfw_event *events, int max_events);
    const char *(*name)(void);
} fw_api;

typedef struct inproc {
    fw_api api;
    void *state; /* firmware state, state_size bytes, 16-byte aligned */
    fbfw_event pending[FB_LINK_MAX_EVENTS + 1];
    int n_pending; /* what fbfw_process returned for the last frame */
    uint32_t pending_frame;
    uint64_t calls, events;
} inproc;

static void inproc_close(fb_link *l)
{
    inproc *p = l->priv;
    if (p) {
        free(p->state);
        free(p);
    }
    l->priv = NULL;
}

/* The firmware names inproc: knows; FB_ERR_ARG naming what is valid for any other. */
static int inproc_check(const char *arg, char *err, size_t err_len)
{
    if (strcmp(arg, "reference") == 0 || fbfw_flawed_find(arg) || fbfw_cheat_find(arg))
        return FB_OK;
    snprintf(err, err_len,
             "inproc DUT \"%s\": unknown firmware (expected \"reference\", the linked-in "
             "reference firmware, a flawed fixture such as \"flawed-hottest\" or a cheating "
             "fixture such as \"cheat-blanket\"; a vendor's library: lib:/path/libfw.so)",
             arg);
    return FB_ERR_ARG;
}

static int inproc_open(fb_link *l, const char *arg, char *err, size_t err_len)
{
    const fbfw_config *cfg = &l->cfg;
    inproc *p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, err_len, "inproc DUT: out of memory");
        return FB_ERR_NOMEM;
    }
    l->priv = p;
    if (strcmp(arg, "reference") == 0) {
        p->api = (fw_api){fbfw_state_size, fbfw_init, fbfw_process, fbfw_name};
    } else if (fbfw_flawed_find(arg)) { /* regression fixtures: firmware-under-test/flawed/ */
        const fbfw_flawed_api *f = fbfw_flawed_find(arg);
        p->api = (fw_api){f->state_size, f->init, f->process, f->name};
    } else if (fbfw_cheat_find(arg)) { /* scoring fixtures: firmware-under-test/cheating/ */
        const fbfw_flawed_api *f = fbfw_cheat_find(arg);
        p->api = (fw_api){f->state_size, f->init, f->process, f->name};
    } else {
        return inproc_check(arg, err, err_len);
    }
    size_t size = p->api.state_size(cfg);
    if (size == 0) {
        snprintf(err, err_len, "inproc DUT \"%s\": firmware does not support a %ux%u camera", arg,
                 (unsigned)cfg->width, (unsigned)cfg->height);
        return FB_ERR_DUT;
    }
    p->state = aligned_alloc(16, (size + 15) / 16 * 16);
    if (!p->state) {
        snprintf(err, err_len, "inproc DUT: out of memory for %zu bytes of firmware state", size);
        return FB_ERR_NOMEM;
    }
    int rc = p->api.init(p->state, size, cfg);
    if (rc < 0) {
        snprintf(err, err_len, "inproc DUT \"%s\": fbfw_init failed (%d)", arg, rc);
        return FB_ERR_DUT;
    }
    const char *name = p->api.name();
    snprintf(l->dut_name, sizeof(l->dut_name), "%s", name ? name : "?");
    return FB_OK;
}

static int inproc_send(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                       char *err, size_t err_len)
{
    inproc *p = l->priv;
    /* One slot more than allowed, so an over-long answer is seen, not silently cut. */
    double t0 = fb_link_now();
    p->n_pending =
        p->api.process(p->state, frame_ck, frame_no, flags, p->pending, FB_LINK_MAX_EVENTS + 1);
    l->dut_proc_s += fb_link_now() - t0;
    l->dut_proc_frames++;
    p->calls++;
    p->pending_frame = frame_no;
    if (p->n_pending < 0) {
        snprintf(err, err_len, "firmware returned error %d for frame %u", p->n_pending,
                 (unsigned)frame_no);
        p->n_pending = 0;
        return FB_ERR_DUT;
    }
    if (p->n_pending > FB_LINK_MAX_EVENTS) {
        snprintf(err, err_len, "DUT returned %d events for frame %u (allowed 0..%d)", p->n_pending,
                 (unsigned)frame_no, FB_LINK_MAX_EVENTS);
        p->n_pending = 0;
        return FB_ERR_DUT;
    }
    return FB_OK;
}

static int inproc_poll(fb_link *l, int wait, double deadline, fb_event *out, int max, int *n,
                       char *err, size_t err_len)
{
    inproc *p = l->priv;
    (void)wait; /* processing is synchronous: everything sent is answered */
    (void)deadline;
    (void)err;
    (void)err_len;
    int k = p->n_pending < max - *n ? p->n_pending : max - *n;
    for (int i = 0; i < k; i++) {
        out[*n].ev = p->pending[i];
        fb_link_stamp(l, &out[*n]);
        (*n)++;
    }
    p->events += (uint64_t)k;
    if (k < p->n_pending)
        memmove(p->pending, p->pending + k, (size_t)(p->n_pending - k) * sizeof(p->pending[0]));
    p->n_pending -= k;
    return FB_OK;
}

static void inproc_finish(fb_link *l)
{
    inproc *p = l->priv;
    fb_link_audit *a = &l->audit;
    if (!p)
        return;
    a->to_dut.n_msgs = 0;
    snprintf(a->to_dut.msgs[0].name, sizeof a->to_dut.msgs[0].name, "fbfw_process");
    a->to_dut.msgs[0].n = p->calls;
    a->to_dut.n_msgs = 1;
    snprintf(a->from_dut.msgs[0].name, sizeof a->from_dut.msgs[0].name, "events");
    a->from_dut.msgs[0].n = p->events;
    a->from_dut.n_msgs = 1;
}

const fb_link_ops fb_link_inproc = {
    .name = "inproc",
    .help = "firmware called in-process: inproc:reference (linked in), inproc:flawed-NAME "
            "(flawed fixtures: no-blackbody, normalizing, hottest, forehead, slow), inproc:cheat-NAME "
            "(scoring fixtures: blanket, first-constant, never-alarm, lost-once, measure-nobody, "
            "bad-frame); inproc:/path/lib.so means lib:/path/lib.so",
    .open = inproc_open,
    .check = inproc_check,
    .send_frame = inproc_send,
    .poll_events = inproc_poll,
    .finish = inproc_finish,
    .close = inproc_close,
};
