/* fe_rtl_internal.h — harness internals shared by fe_rtl.cpp and fe_rtl_load.c (not public API). */
#ifndef FB_FE_RTL_INTERNAL_H
#define FB_FE_RTL_INTERNAL_H

#include "fe_rtl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sets the instance's fb_rtl_errmsg text and returns rc. */
int fb_rtl_set_errmsg(fb_rtl *r, int rc, const char *msg);

#ifdef __cplusplus
}
#endif

#endif
