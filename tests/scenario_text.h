/* scenario_text.h — tests load scenarios written inline as JSON text: one helper that prints the
 * loader's located message when the text is wrong. */
#ifndef FB_TEST_SCENARIO_TEXT_H
#define FB_TEST_SCENARIO_TEXT_H

#include <stdio.h>
#include <string.h>
#include "scenario/scenario.h"

/* Loads json (named "test.json" in messages) into *sc. Returns the loader's status. */
static inline int load_scenario_text(const char *json, fb_scenario *sc)
{
    char msg[512];
    int rc = fb_scenario_load_text(json, strlen(json), "test.json", NULL, sc, msg, sizeof msg);
    if (rc)
        fprintf(stderr, "%s\n", msg);
    return rc;
}

#endif
