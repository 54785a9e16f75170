/* event.h — an event from the DUT as the bench received it: the firmware's event plus arrival time. */
#ifndef FB_EVENT_H
#define FB_EVENT_H

#include <stdint.h>
#include "../firmware-under-test/include/fbfw.h"

typedef struct fb_event {
    fbfw_event ev;          /* as the DUT sent it (untrusted: frame may be anything) */
    uint32_t arrival_frame; /* frame the bench had sent last when the event arrived */
    double arrival_t_s;     /* scenario time of arrival (lockstep: time of that frame) */
} fb_event;

#endif
