/* catalog.h — finds a scenario or a camera profile by path or by a shipped one's name. */
#ifndef FB_CATALOG_H
#define FB_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include "scenario.h"

/* Loads arg: the file at that path if one exists, else the shipped scenario NAME (with or
 * without ".json" or a leading "scenarios/"). Returns 0, or FB_ERR_* with one line in err. */
/* What path is when it exists but is no regular file ("a directory", "a FIFO", "a device",
 * "a socket"), NULL otherwise: such paths are refused before they are opened (a FIFO without a
 * writer would block the open forever). */
const char *fb_catalog_not_regular(const char *path);

int fb_catalog_load(const char *arg, fb_scenario *sc, char *err, size_t err_len);

/* Loads a camera profile: the file at arg if one exists, else the shipped profile NAME (with or
 * without ".json" or a leading "cameras/" or "scenarios/cameras/"). *hash (may be NULL) receives
 * fb_hash64 of the profile's canonical JSON. Returns 0, or FB_ERR_* with one line in err; an
 * unknown name lists the shipped profiles. */
int fb_catalog_camera(const char *arg, fb_camera_profile *cam, uint64_t *hash, char *err,
                      size_t err_len);

/* Runs sc on another camera (`--camera`): replaces sc->camera with the profile arg names (as
 * fb_catalog_camera) and chains its hash into sc->hash, so the run's identity records the
 * change. Nothing else changes: the blackbody's pixel rectangle, face sizes and the frame count
 * follow from the new geometry and frame rate when the session opens. sc is unchanged on error. */
int fb_catalog_set_camera(fb_scenario *sc, const char *arg, char *err, size_t err_len);

#endif
