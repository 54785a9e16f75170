/* region.c — box, ellipse and line statistics over a centikelvin frame (region.h). */
#include <math.h>
#include "world/world.h"
#include "region.h"

const char *fb_vregion_name(fb_vregion_kind k)
{
    static const char *const names[FB_VREGION_KINDS] = {"box", "ellipse", "line"};
    return k < FB_VREGION_KINDS ? names[k] : "?";
}

/* Running sums: Welford's update keeps the variance exact enough over a whole frame. */
typedef struct acc {
    size_t n;
    double mean, m2, min, max;
    int max_x, max_y;
} acc;

static void add(acc *a, double c, int x, int y)
{
    a->n++;
    double d = c - a->mean;
    a->mean += d / (double)a->n;
    a->m2 += d * (c - a->mean);
    if (a->n == 1 || c < a->min)
        a->min = c;
    if (a->n == 1 || c > a->max) {
        a->max = c;
        a->max_x = x;
        a->max_y = y;
    }
}

int fb_vregion_measure(const fb_vregion *r, const uint16_t *ck, int w, int h, fb_vregion_stats *out)
{
    acc a = {0, 0, 0, 0, 0, -1, -1};
    double lx = fmin(r->x0, r->x1), hx = fmax(r->x0, r->x1);
    double ly = fmin(r->y0, r->y1), hy = fmax(r->y0, r->y1);
    if (r->kind == FB_VREGION_LINE) {
        double len = hypot(r->x1 - r->x0, r->y1 - r->y0);
        int n = (int)ceil(len) + 1;
        for (int i = 0; i < n && n < 100000; i++) {
            double f = n > 1 ? (double)i / (n - 1) : 0.0;
            int x = (int)floor(r->x0 + f * (r->x1 - r->x0)), y = (int)floor(r->y0 + f * (r->y1 - r->y0));
            if (x >= 0 && y >= 0 && x < w && y < h)
                add(&a, fb_ck_to_c(ck[(size_t)y * (size_t)w + (size_t)x]), x, y);
        }
    } else {
        double cx = (lx + hx) / 2, cy = (ly + hy) / 2, rx = (hx - lx) / 2, ry = (hy - ly) / 2;
        int x0 = (int)fmax(0, floor(lx)), x1 = (int)fmin(w - 1, ceil(hx));
        int y0 = (int)fmax(0, floor(ly)), y1 = (int)fmin(h - 1, ceil(hy));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5, py = y + 0.5;
                if (px < lx || px > hx || py < ly || py > hy)
                    continue;
                if (r->kind == FB_VREGION_ELLIPSE) {
                    double u = rx > 0 ? (px - cx) / rx : 0, v = ry > 0 ? (py - cy) / ry : 0;
                    if (u * u + v * v > 1.0)
                        continue;
                }
                add(&a, fb_ck_to_c(ck[(size_t)y * (size_t)w + (size_t)x]), x, y);
            }
    }
    if (a.n == 0)
        return -1;
    out->n = a.n;
    out->min_c = a.min;
    out->max_c = a.max;
    out->mean_c = a.mean;
    out->sd_c = a.n > 1 ? sqrt(a.m2 / (double)(a.n - 1)) : 0.0;
    out->max_x = a.max_x;
    out->max_y = a.max_y;
    return 0;
}
