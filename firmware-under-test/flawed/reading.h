/* reading.h — how the test fixtures (flawed/, cheating/) turn a skin reading into an event's
 * skin, body and alarm fields, as the installed configuration says. */
#ifndef FBFW_FIXTURE_READING_H
#define FBFW_FIXTURE_READING_H

#include <stdint.h>
#include "../include/fbfw.h"

static inline uint16_t fixture_clamp_ck(int32_t v)
{
    return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

/* skin in centikelvin; body = skin + the configured offset; alarm at the configured threshold */
static inline void fixture_set_reading(const fbfw_config *cfg, fbfw_event *e, int32_t skin)
{
    e->skin_ck = fixture_clamp_ck(skin);
    e->body_ck = fixture_clamp_ck(skin + (int32_t)cfg->body_offset_ck);
    e->alarm = (uint8_t)(e->body_ck >= cfg->alarm_threshold_ck);
}

#endif
