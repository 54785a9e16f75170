/* fb_error.c — names for fb_err values. */
#include "fb_error.h"

const char *fb_strerror(int err)
{
    switch (err) {
    case FB_OK: return "success";
    case FB_ERR_ARG: return "invalid argument";
    case FB_ERR_RANGE: return "value out of range";
    case FB_ERR_NOMEM: return "out of memory";
    case FB_ERR_IO: return "input/output error";
    case FB_ERR_PARSE: return "malformed input";
    case FB_ERR_INVALID: return "invalid input";
    case FB_ERR_DUT: return "device under test fault";
    case FB_ERR_UNSUPPORTED: return "not supported";
    case FB_ERR_INTERRUPTED: return "interrupted by a signal";
    }
    return "unknown error";
}
