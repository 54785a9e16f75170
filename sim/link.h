/* link.h — how the bench reaches a DUT: one ops table per transport, called only through fb_link_* wrappers. */
#ifndef FB_LINK_H
#define FB_LINK_H

#include <stddef.h>
#include <stdint.h>
#include "../firmware-under-test/include/fbfw.h"

#define FB_LINK_MAX_EVENTS 64 /* events a DUT may return for one frame; more is a violation */

typedef struct fb_link fb_link;

/* A transport. NULL members mean "not supported". Who frees what: open allocates l->priv,
 * close frees it; the wrapper owns the fb_link itself. */
typedef struct fb_link_ops {
    const char *name;   /* the DUT spec prefix: "inproc" */
    const char *help;   /* one line for `feverbench list` */
    /* arg: the spec after "name:" ("reference"). Returns 0 or FB_ERR_* with a message. */
    int (*open)(fb_link *l, const char *arg, const fbfw_config *cfg, char *err, size_t err_len);
    /* Hands one frame to the DUT. */
    int (*send_frame)(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                      char *err, size_t err_len);
    /* Lockstep: waits for the DUT to finish the frame just sent, returns its events
     * (up to max; *n set). A count above FB_LINK_MAX_EVENTS is a fault. */
    int (*poll_events)(fb_link *l, fbfw_event *out, int max, int *n, char *err, size_t err_len);
    void (*close)(fb_link *l);
} fb_link_ops;

struct fb_link {
    const fb_link_ops *ops;
    void *priv;
    fbfw_config cfg;
    char dut_name[128]; /* set by open: the firmware's own name */
    uint64_t frames_sent, events_received, violations;
};

/* The transports (registry order). */
extern const fb_link_ops fb_link_inproc;

/* Opens the DUT named by spec: "TRANSPORT:ARG", or a bare name meaning "inproc:NAME".
 * *out is allocated; free with fb_link_close. Returns FB_ERR_ARG for an unknown transport
 * (message lists the valid ones), or what the transport's open returns. */
int fb_link_open(fb_link **out, const char *spec, const fbfw_config *cfg, char *err,
                 size_t err_len);

/* One lockstep exchange: sends the frame, collects and validates the DUT's events (kind
 * known, box inside the frame, frame number not in the future). Returns 0; FB_ERR_DUT
 * (message in err) for a fault — events validated so far are still returned in *n. */
int fb_link_exchange(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                     fbfw_event *events, int max, int *n, char *err, size_t err_len);

void fb_link_close(fb_link *l);

/* The transport registry, for `feverbench list` and tests. NULL-terminated. */
extern const fb_link_ops *const fb_link_transports[];

#endif
