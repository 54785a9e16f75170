/* flawed.h — deliberately flawed screening firmwares, regression fixtures for `feverbench evaluate`.
 *
 * Each variant is a flaw a real vendor might ship, built on the reference firmware through its
 * public API (fbfw.h) only: it wraps fbfw_process and changes what is reported. They are linked
 * into the bench and selected as DUTs by name: --dut inproc:flawed-hottest (sim/link/link_inproc.c).
 * docs/evaluation.md lists which battery tests each one must fail.
 */
#ifndef FBFW_FLAWED_H
#define FBFW_FLAWED_H

#include <stddef.h>
#include <stdint.h>
#include "fbfw.h"

typedef struct fbfw_flawed_api {
    const char *id;   /* DUT name after "inproc:", e.g. "flawed-hottest" */
    const char *flaw; /* one line: what it does wrong */
    size_t (*state_size)(const fbfw_config *cfg);
    int (*init)(void *mem, size_t mem_size, const fbfw_config *cfg);
    int (*process)(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                   fbfw_event *events, int max_events);
    const char *(*name)(void);
} fbfw_flawed_api;

/* The variants, in a fixed order; n_out gets their count. */
const fbfw_flawed_api *fbfw_flawed_list(size_t *n_out);
/* The variant called id ("flawed-hottest"), or NULL. */
const fbfw_flawed_api *fbfw_flawed_find(const char *id);

#endif
