/* raster.c — depth-buffered, supersampled triangle rasterisation (edge functions, top-left fill
 * rule, 1/z depth, radiance interpolated across each triangle). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../models/fb_error.h"
#include "raster.h"

int fb_raster_init(fb_raster *r, int width, int height, int ss)
{
    memset(r, 0, sizeof(*r));
    if (width <= 0 || height <= 0 || ss < 1 || ss > 4)
        return FB_ERR_ARG;
    r->width = width;
    r->height = height;
    r->ss = ss;
    r->sw = width * ss;
    r->sh = height * ss;
    size_t n = (size_t)r->sw * (size_t)r->sh;
    r->inv_z = malloc(n * sizeof(float));
    r->rad = malloc(n * sizeof(float));
    r->owner = malloc(n * sizeof(uint16_t));
    r->part = malloc(n);
    r->stamp = calloc(n, sizeof(uint32_t));
    r->bg_inv_z = calloc(n, sizeof(float));
    r->bg_rad = calloc(n, sizeof(float));
    r->bg_owner = calloc(n, sizeof(uint16_t));
    r->bg_part = calloc(n, 1);
    if (!r->inv_z || !r->rad || !r->owner || !r->part || !r->stamp || !r->bg_inv_z ||
        !r->bg_rad || !r->bg_owner || !r->bg_part) {
        fb_raster_free(r);
        return FB_ERR_NOMEM;
    }
    return FB_OK;
}

void fb_raster_free(fb_raster *r)
{
    free(r->inv_z);
    free(r->rad);
    free(r->owner);
    free(r->part);
    free(r->stamp);
    free(r->bg_inv_z);
    free(r->bg_rad);
    free(r->bg_owner);
    free(r->bg_part);
    memset(r, 0, sizeof(*r));
}

void fb_raster_begin(fb_raster *r)
{
    size_t n = (size_t)r->sw * (size_t)r->sh;
    memcpy(r->inv_z, r->bg_inv_z, n * sizeof(float));
    memcpy(r->rad, r->bg_rad, n * sizeof(float));
    memcpy(r->owner, r->bg_owner, n * sizeof(uint16_t));
    memcpy(r->part, r->bg_part, n);
}

void fb_raster_keep_as_background(fb_raster *r)
{
    size_t n = (size_t)r->sw * (size_t)r->sh;
    memcpy(r->bg_inv_z, r->inv_z, n * sizeof(float));
    memcpy(r->bg_rad, r->rad, n * sizeof(float));
    memcpy(r->bg_owner, r->owner, n * sizeof(uint16_t));
    memcpy(r->bg_part, r->part, n);
}

void fb_raster_clear(fb_raster *r, float rad)
{
    size_t n = (size_t)r->sw * (size_t)r->sh;
    for (size_t i = 0; i < n; i++) {
        r->inv_z[i] = 0.0f;
        r->rad[i] = rad;
    }
    memset(r->owner, 0, n * sizeof(uint16_t));
    memset(r->part, 0, n);
}

uint32_t fb_raster_new_pass(fb_raster *r)
{
    if (++r->pass == 0) { /* wrapped: forget every old stamp */
        memset(r->stamp, 0, (size_t)r->sw * (size_t)r->sh * sizeof(uint32_t));
        r->pass = 1;
    }
    return r->pass;
}

/* Whether an edge from a to b (counter-clockwise in sample space, y down) is a top or left edge. */
static bool top_left(const fb_rvert *a, const fb_rvert *b)
{
    float dx = b->x - a->x, dy = b->y - a->y;
    return (dy == 0.0f && dx < 0.0f) || dy > 0.0f;
}

size_t fb_raster_tris(fb_raster *r, const fb_rvert *v, const uint32_t (*tri)[3], size_t nt,
                      uint16_t owner, const uint8_t *part_of_vertex, uint8_t part, bool cull,
                      int mode, uint8_t reflect_part, uint32_t *covered)
{
    size_t drawn = 0;
    const int sw = r->sw, sh = r->sh;
    for (size_t t = 0; t < nt; t++) {
        const fb_rvert *a = &v[tri[t][0]], *b = &v[tri[t][1]], *c = &v[tri[t][2]];
        if (!(a->inv_z > 0.0f && b->inv_z > 0.0f && c->inv_z > 0.0f))
            continue; /* behind the camera or too near */
        float area = (b->x - a->x) * (c->y - a->y) - (c->x - a->x) * (b->y - a->y);
        /* Meshes wind counter-clockwise seen from outside; with y down on the image that is a
         * negative area here: a positive area shows the triangle's back. */
        if (area > 0.0f) {
            if (cull)
                continue; /* its back: already positively oriented for the edge functions */
        } else if (area < 0.0f) {
            const fb_rvert *s = b; /* its front: swap to positive orientation */
            b = c;
            c = s;
            area = -area;
        } else {
            continue;
        }
        float fx0 = fminf(a->x, fminf(b->x, c->x)), fx1 = fmaxf(a->x, fmaxf(b->x, c->x));
        float fy0 = fminf(a->y, fminf(b->y, c->y)), fy1 = fmaxf(a->y, fmaxf(b->y, c->y));
        if (fx1 < 0.0f || fy1 < 0.0f || fx0 > (float)sw || fy0 > (float)sh)
            continue;
        int x0 = (int)floorf(fmaxf(fx0 - 0.5f, 0.0f)), x1 = (int)ceilf(fminf(fx1 - 0.5f, (float)(sw - 1)));
        int y0 = (int)floorf(fmaxf(fy0 - 0.5f, 0.0f)), y1 = (int)ceilf(fminf(fy1 - 0.5f, (float)(sh - 1)));
        if (x0 > x1 || y0 > y1)
            continue;
        drawn++;
        /* Edge functions E(p) = (q1 - q0) x (p - q0), >= 0 inside; bias excludes shared edges
         * that are not top-left. */
        const fb_rvert *e0a = b, *e0b = c, *e1a = c, *e1b = a, *e2a = a, *e2b = b;
        float A0 = e0a->y - e0b->y, B0 = e0b->x - e0a->x;
        float A1 = e1a->y - e1b->y, B1 = e1b->x - e1a->x;
        float A2 = e2a->y - e2b->y, B2 = e2b->x - e2a->x;
        float px = (float)x0 + 0.5f, py = (float)y0 + 0.5f;
        float w0r = (px - e0a->x) * A0 + (py - e0a->y) * B0;
        float w1r = (px - e1a->x) * A1 + (py - e1a->y) * B1;
        float w2r = (px - e2a->x) * A2 + (py - e2a->y) * B2;
        /* sign convention check: w0 + w1 + w2 = area (> 0) */
        float bias0 = top_left(e0a, e0b) ? 0.0f : 1e-7f * area;
        float bias1 = top_left(e1a, e1b) ? 0.0f : 1e-7f * area;
        float bias2 = top_left(e2a, e2b) ? 0.0f : 1e-7f * area;
        float inv_area = 1.0f / area;
        /* attribute planes in barycentrics: attr = (w0 a0 + w1 a1 + w2 a2) / area, where w0
         * belongs to vertex a (opposite edge b-c) */
        float za = a->inv_z, zb = b->inv_z, zc = c->inv_z;
        float ra = a->rad, rb = b->rad, rc = c->rad;
        uint8_t tp = part_of_vertex ? part_of_vertex[tri[t][0]] : part;
        for (int y = y0; y <= y1; y++) {
            float w0 = w0r, w1 = w1r, w2 = w2r;
            size_t row = (size_t)y * (size_t)sw;
            for (int x = x0; x <= x1; x++) {
                if (w0 >= bias0 && w1 >= bias1 && w2 >= bias2) {
                    size_t i = row + (size_t)x;
                    float l0 = w0 * inv_area, l1 = w1 * inv_area, l2 = 1.0f - l0 - l1;
                    float iz = l0 * za + l1 * zb + l2 * zc;
                    float rv = l0 * ra + l1 * rb + l2 * rc;
                    if (mode == 0) {
                        if (covered && r->stamp[i] != r->pass) {
                            r->stamp[i] = r->pass;
                            (*covered)++;
                        }
                        if (iz > r->inv_z[i]) {
                            r->inv_z[i] = iz;
                            r->rad[i] = rv;
                            r->owner[i] = owner;
                            r->part[i] = tp;
                        }
                    } else if (r->part[i] == reflect_part && r->stamp[i] != r->pass) {
                        r->stamp[i] = r->pass;
                        r->rad[i] += rv;
                    }
                }
                w0 += A0;
                w1 += A1;
                w2 += A2;
            }
            w0r += B0;
            w1r += B1;
            w2r += B2;
        }
    }
    return drawn;
}

void fb_raster_resolve(const fb_raster *r, float *radiance)
{
    const int ss = r->ss;
    const float k = 1.0f / (float)(ss * ss);
    for (int y = 0; y < r->height; y++) {
        float *out = radiance + (size_t)y * (size_t)r->width;
        if (ss == 1) {
            memcpy(out, r->rad + (size_t)y * (size_t)r->sw, (size_t)r->width * sizeof(float));
            continue;
        }
        for (int x = 0; x < r->width; x++)
            out[x] = 0.0f;
        for (int j = 0; j < ss; j++) {
            const float *in = r->rad + (size_t)(y * ss + j) * (size_t)r->sw;
            for (int x = 0; x < r->width; x++) {
                float s = 0.0f;
                for (int i = 0; i < ss; i++)
                    s += in[x * ss + i];
                out[x] += s;
            }
        }
        for (int x = 0; x < r->width; x++)
            out[x] *= k;
    }
}

long fb_raster_sample_at(const fb_raster *r, double u_px, double v_px)
{
    double sx = u_px * r->ss, sy = v_px * r->ss;
    if (!(sx >= 0 && sy >= 0 && sx < r->sw && sy < r->sh))
        return -1;
    return (long)((size_t)sy * (size_t)r->sw + (size_t)sx);
}
