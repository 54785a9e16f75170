/* fe_rtl_load.c — loads a golden-model fb_frontend (coefficients + calibration table) into the RTL
 * through its register bus. */
#include <stdio.h>
#include "fb_error.h"
#include "fb_rtl_regs.h"
#include "fe_rtl.h"
#include "fe_rtl_internal.h"
#include "frontend.h"

enum { CHUNK = 512 };

static int check_errors(fb_rtl *r, const fb_frontend *fe, size_t n)
{
    uint32_t e = 0;
    char msg[256];
    int rc = fb_rtl_reg_read(r, FB_RTL_REG_ERROR, &e);
    if (rc)
        return rc;
    if (!e)
        return FB_OK;
    rc = fb_rtl_reg_write(r, FB_RTL_REG_ERROR, FB_RTL_ERR_ALL);
    if (rc)
        return rc;
    if (e & FB_RTL_ERR_DATA) {
        for (size_t i = 0; i < n; i++)
            if (fe->bad[i] > 1) {
                snprintf(msg, sizeof msg, "bad[%zu] (row %zu, column %zu) = %u: must be 0 or 1", i,
                         i / (size_t)fe->width, i % (size_t)fe->width, fe->bad[i]);
                return fb_rtl_set_errmsg(r, FB_ERR_RANGE, msg);
            }
        return fb_rtl_set_errmsg(r, FB_ERR_RANGE, "RTL rejected a coefficient (ERROR.DATA)");
    }
    snprintf(msg, sizeof msg, "RTL flagged ERROR 0x%02x while loading coefficients", e);
    return fb_rtl_set_errmsg(r, e & FB_RTL_ERR_BUSY ? FB_ERR_INVALID : FB_ERR_DUT, msg);
}

int fb_rtl_load(fb_rtl *r, const fb_frontend *fe)
{
    uint32_t buf[CHUNK];
    if (!r)
        return FB_ERR_ARG;
    if (!fe || !fe->offset || !fe->gain || !fe->bad)
        return fb_rtl_set_errmsg(r, FB_ERR_ARG, "fb_rtl_load: NULL front-end or arrays");
    if (fe->width != fb_rtl_width(r) || fe->height != fb_rtl_height(r)) {
        char msg[160];
        snprintf(msg, sizeof msg, "front-end is %dx%d, the RTL instance %dx%d", fe->width,
                 fe->height, fb_rtl_width(r), fb_rtl_height(r));
        return fb_rtl_set_errmsg(r, FB_ERR_INVALID, msg);
    }
    const size_t n = (size_t)fe->width * (size_t)fe->height;
    int rc = fb_rtl_reg_write(r, FB_RTL_REG_ERROR, FB_RTL_ERR_ALL);
    for (size_t i = 0; rc == FB_OK && i < n; i += CHUNK) {
        size_t m = n - i < CHUNK ? n - i : CHUNK;
        for (size_t j = 0; j < m; j++)
            buf[j] = (uint32_t)(int32_t)fe->offset[i + j]; /* sign-extended int16 */
        rc = fb_rtl_reg_write_block(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, i), buf, m);
        for (size_t j = 0; rc == FB_OK && j < m; j++)
            buf[j] = fe->gain[i + j];
        if (rc == FB_OK)
            rc = fb_rtl_reg_write_block(r, FB_RTL_ADDR(FB_RTL_GAIN_BASE, i), buf, m);
        for (size_t j = 0; rc == FB_OK && j < m; j++)
            buf[j] = fe->bad[i + j];
        if (rc == FB_OK)
            rc = fb_rtl_reg_write_block(r, FB_RTL_ADDR(FB_RTL_BAD_BASE, i), buf, m);
    }
    for (size_t k = 0; rc == FB_OK && k < FB_FE_CAL_N; k++)
        buf[k] = fe->cal_ck[k];
    if (rc == FB_OK)
        rc = fb_rtl_reg_write_block(r, FB_RTL_CAL_BASE, buf, FB_FE_CAL_N);
    if (rc == FB_OK)
        rc = check_errors(r, fe, n);
    return rc;
}
