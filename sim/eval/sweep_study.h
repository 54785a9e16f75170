/* sweep_study.h — a finished sweep's figures, shared by the study writers (json, csv, html). */
#ifndef FB_SWEEP_STUDY_H
#define FB_SWEEP_STUDY_H
#include <stdbool.h>
#include <stddef.h>

#include "sweep.h"
#include "sweep_grid.h"

#define FB_SWEEP_METRICS 8
#define FB_SWEEP_MAX_CRITERIA 32

typedef struct fb_sweep_metric {
    const char *path;  /* in results.json: "accuracy.skin.mae_c" */
    const char *label; /* "skin MAE" */
    const char *unit;  /* "°C", "s", "" */
} fb_sweep_metric;
extern const fb_sweep_metric fb_sweep_metrics[FB_SWEEP_METRICS];

typedef struct fb_sweep_point {
    size_t runs, complete, passed; /* passed: every criterion passed */
    fb_sweep_stat m[FB_SWEEP_METRICS];
    size_t crit_pass[FB_SWEEP_MAX_CRITERIA], crit_n[FB_SWEEP_MAX_CRITERIA];
} fb_sweep_point;

typedef struct fb_sweep_study {
    char scenario[128];
    unsigned long long seed0;
    size_t seeds;
    double duration_s; /* NAN: the scenario's */
    fb_sweep_param *params;
    size_t nparams, npoints;
    fb_sweep_point *points;
    char crit[FB_SWEEP_MAX_CRITERIA][48];
    size_t ncrit;
    bool complete;
} fb_sweep_study;

/* Index of parameter p's value at grid point i (the last parameter varies fastest). */
size_t fb_sweep_value_index(const fb_sweep_study *s, size_t point, size_t p);

/* Writers: 0 or FB_ERR_IO with the reason in err. Output depends on the study only. */
int fb_sweep_write_json(const fb_sweep_study *s, const char *path, char *err, size_t err_len);
int fb_sweep_write_csv(const fb_sweep_study *s, const char *path, char *err, size_t err_len);
int fb_sweep_write_html(const fb_sweep_study *s, const char *path, char *err, size_t err_len);

#endif
