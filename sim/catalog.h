/* catalog.h — finds a scenario by file path or by the name of a shipped (embedded) scenario. */
#ifndef FB_CATALOG_H
#define FB_CATALOG_H

#include <stddef.h>
#include "scenario.h"

/* Loads arg: the file at that path if one exists, else the shipped scenario NAME (with or
 * without ".json" or a leading "scenarios/"). Returns 0, or FB_ERR_* with one line in err. */
int fb_catalog_load(const char *arg, fb_scenario *sc, char *err, size_t err_len);

#endif
