/* frontend_variant.h — which implementation turns raw counts into centikelvin: the C golden model or the Verilated RTL (one ops table each). */
#ifndef FB_FRONTEND_VARIANT_H
#define FB_FRONTEND_VARIANT_H

#include <stddef.h>
#include <stdint.h>
#include "../models/frontend.h"

/* A front-end implementation. Both must give bit-identical frames for the same tables
 * (tests/rtl/ and tests/e2e/ check it). open allocates *priv, close frees it. */
typedef struct fb_fe_variant_ops {
    const char *name; /* the scenario's "frontend" value */
    const char *help;
    int (*open)(void **priv, int width, int height, char *err, size_t err_len);
    /* (Re)loads coefficients and the calibration table; called after every change. */
    int (*load)(void *priv, const fb_frontend *tables, char *err, size_t err_len);
    int (*process)(void *priv, const fb_frontend *tables, const uint16_t *counts, uint16_t *ck_out,
                   char *err, size_t err_len);
    /* The rows [y0, y1) of a frame only (the pixel stages' bands, sim/run/pixels.c); NULL when
     * the implementation takes whole frames (the Verilated RTL). With --threads N it is called
     * at once from several threads on disjoint rows, so it must keep no state between calls. */
    void (*process_rows)(void *priv, const fb_frontend *tables, const uint16_t *counts,
                         uint16_t *ck_out, int y0, int y1);
    void (*close)(void *priv);
} fb_fe_variant_ops;

/* The registry, NULL-terminated: "model" always, "rtl" when built with FB_RTL. */
extern const fb_fe_variant_ops *const fb_fe_variants[];

/* The variant called name, or NULL. */
const fb_fe_variant_ops *fb_fe_variant_find(const char *name);

#endif
