/* cheating.h — firmwares written to game the scoring, regression fixtures for the scoring rules (docs/scoring.md).
 *
 * Each is built on the reference through its public API (fbfw.h), like the flawed fixtures, and
 * selected the same way: --dut inproc:cheat-blanket (sim/link/link_inproc.c). The scoring must catch
 * every one in the shipped scenarios and the evaluate battery (tests/score/cheats.sh).
 */
#ifndef FBFW_CHEATING_H
#define FBFW_CHEATING_H

#include "flawed.h"

/* The cheats, in a fixed order (the same descriptor type as the flawed fixtures). */
const fbfw_flawed_api *fbfw_cheat_list(size_t *n_out);
/* The cheat called id ("cheat-blanket"), or NULL. */
const fbfw_flawed_api *fbfw_cheat_find(const char *id);

#endif
