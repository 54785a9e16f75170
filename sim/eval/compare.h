/* compare.h — `feverbench compare BASE NEW`: two runs' results.json or two evaluations' report.json,
 * metric by metric with tolerances, a verdict (better / same / worse) and JUnit for CI
 * (docs/compare.md). */
#ifndef FB_COMPARE_H
#define FB_COMPARE_H

/* The command: argv without "compare". Returns 0 (same or better), 1 (worse) or 2 (bad input). */
int fb_compare_cmd(int argc, char **argv);

#endif
