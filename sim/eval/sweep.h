/* sweep.h — `feverbench sweep`: a scenario over a parameter grid and seeds, through an executor. */
#ifndef FB_SWEEP_H
#define FB_SWEEP_H
#include <stddef.h>

/* One grid point's figures for one metric across its seeds (n = runs with a value). */
typedef struct fb_sweep_stat {
    size_t n;
    double mean, sd, lo, hi; /* lo/hi: 95 % interval of the mean (Student t); NAN when n < 2 */
} fb_sweep_stat;

/* The 95 % two-sided Student t quantile for df degrees of freedom (df >= 1). */
double fb_sweep_t95(size_t df);
/* Mean, sample SD and the 95 % interval of the mean of x[0..n) (NANs skipped). */
fb_sweep_stat fb_sweep_stats(const double *x, size_t n);
/* Wilson 95 % interval of a pass rate k/n into lo, hi (n > 0). */
void fb_sweep_wilson(size_t k, size_t n, double *lo, double *hi);

/* argv after "sweep"; self is the path the binary was started as. Returns the exit status:
 * 0 study written, every run complete; 2 bad input or usage; 3 some runs failed every attempt
 * (the study is written from the others, "complete": false); 128+N interrupted by signal N
 * (finished runs are kept; the same command resumes). */
int fb_sweep_cmd(int argc, char **argv, const char *self);

#endif
