/* frontend_variant.c — the front-end registry: the C golden model, and the Verilated RTL when built. */
#include <stdio.h>
#include <string.h>
#include "../models/fb_error.h"
#include "frontend_variant.h"
#ifdef FB_HAVE_RTL
#include "fe_rtl.h"
#endif

/* ---- model: models/frontend.c, in process ---- */
static int model_open(void **priv, int width, int height, char *err, size_t err_len)
{
    (void)width;
    (void)height;
    (void)err;
    (void)err_len;
    *priv = NULL;
    return FB_OK;
}

static int model_load(void *priv, const fb_frontend *tables, char *err, size_t err_len)
{
    (void)priv;
    (void)tables;
    (void)err;
    (void)err_len;
    return FB_OK;
}

static int model_process(void *priv, const fb_frontend *tables, const uint16_t *counts,
                         uint16_t *ck_out, char *err, size_t err_len)
{
    (void)priv;
    (void)err;
    (void)err_len;
    fb_frontend_process(tables, counts, ck_out);
    return FB_OK;
}

static void model_process_rows(void *priv, const fb_frontend *tables, const uint16_t *counts,
                               uint16_t *ck_out, int y0, int y1)
{
    (void)priv;
    fb_frontend_process_rows(tables, counts, ck_out, y0, y1);
}

static void model_close(void *priv)
{
    (void)priv;
}

static const fb_fe_variant_ops fe_model = {
    .name = "model",
    .help = "the C golden model (models/frontend.c)",
    .open = model_open,
    .load = model_load,
    .process = model_process,
    .process_rows = model_process_rows,
    .close = model_close,
};

#ifdef FB_HAVE_RTL
/* ---- rtl: the Verilog in rtl/ through Verilator, bit-identical to the model ---- */
static int rtl_open(void **priv, int width, int height, char *err, size_t err_len)
{
    int rc = 0;
    fb_rtl *r = fb_rtl_open(width, height, NULL, &rc);
    if (!r) {
        snprintf(err, err_len, "Verilated front-end: cannot open a %dx%d pipeline: %s", width,
                 height, fb_strerror(rc));
        return rc ? rc : FB_ERR_UNSUPPORTED;
    }
    *priv = r;
    return FB_OK;
}

static int rtl_load(void *priv, const fb_frontend *tables, char *err, size_t err_len)
{
    int rc = fb_rtl_load(priv, tables);
    if (rc)
        snprintf(err, err_len, "Verilated front-end: loading coefficients failed: %s",
                 fb_rtl_errmsg(priv));
    return rc;
}

static int rtl_process(void *priv, const fb_frontend *tables, const uint16_t *counts,
                       uint16_t *ck_out, char *err, size_t err_len)
{
    int rc = fb_rtl_process(priv, counts, tables->width, tables->height, ck_out, NULL);
    if (rc)
        snprintf(err, err_len, "Verilated front-end: %s", fb_rtl_errmsg(priv));
    return rc;
}

static void rtl_close(void *priv)
{
    fb_rtl_close(priv);
}

static const fb_fe_variant_ops fe_rtl = {
    .name = "rtl",
    .help = "the Verilog in rtl/, run by Verilator (bit-identical to the model)",
    .open = rtl_open,
    .load = rtl_load,
    .process = rtl_process,
    .close = rtl_close,
};
#endif

const fb_fe_variant_ops *const fb_fe_variants[] = {
    &fe_model,
#ifdef FB_HAVE_RTL
    &fe_rtl,
#endif
    NULL,
};

const fb_fe_variant_ops *fb_fe_variant_find(const char *name)
{
    for (size_t i = 0; fb_fe_variants[i]; i++)
        if (strcmp(fb_fe_variants[i]->name, name) == 0)
            return fb_fe_variants[i];
    return NULL;
}
