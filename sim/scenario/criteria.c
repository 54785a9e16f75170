/* criteria.c — descriptors expanded from the criteria registry. */
#include <string.h>
#include "criteria.h"

static const fb_criterion_desc criteria[FB_CRIT_COUNT] = {
#define FB_CRIT_DESC(e, key, kind, unit, what) [FB_CRIT_##e] = {key, FB_CRIT_IS_##kind, unit, what},
#define FB_CRIT_IS_MIN 1
#define FB_CRIT_IS_MAX 0
    FB_CRITERIA_LIST(FB_CRIT_DESC)
#undef FB_CRIT_DESC
};

const fb_criterion_desc *fb_criterion_get(fb_criterion_id id)
{
    return (unsigned)id < FB_CRIT_COUNT ? &criteria[id] : NULL;
}

fb_criterion_id fb_criterion_find(const char *key)
{
    for (int i = 0; i < FB_CRIT_COUNT; i++)
        if (strcmp(criteria[i].key, key) == 0)
            return (fb_criterion_id)i;
    return FB_CRIT_COUNT;
}
