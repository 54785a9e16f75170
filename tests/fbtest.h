/* fbtest.h — a minimal assertion harness for CTest executables: each failure prints file:line and the values. */
#ifndef FBTEST_H
#define FBTEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int fbtest_failures;
static int fbtest_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        fbtest_checks++;                                                                           \
        if (!(cond)) {                                                                             \
            fbtest_failures++;                                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* |a - b| <= tol, with both values printed on failure. */
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double fbt_a = (double)(a), fbt_b = (double)(b), fbt_t = (double)(tol);                    \
        fbtest_checks++;                                                                           \
        if (!(fabs(fbt_a - fbt_b) <= fbt_t)) {                                                     \
            fbtest_failures++;                                                                     \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.9g, %s = %.9g, tol %.3g\n",          \
                    __FILE__, __LINE__, #a, fbt_a, #b, fbt_b, fbt_t);                              \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        long long fbt_a = (long long)(a), fbt_b = (long long)(b);                                  \
        fbtest_checks++;                                                                           \
        if (fbt_a != fbt_b) {                                                                      \
            fbtest_failures++;                                                                     \
            fprintf(stderr, "%s:%d: CHECK_EQ_INT failed: %s = %lld, %s = %lld\n", __FILE__,        \
                    __LINE__, #a, fbt_a, #b, fbt_b);                                               \
        }                                                                                          \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                            \
    do {                                                                                           \
        const char *fbt_h = (hay), *fbt_n = (needle);                                              \
        fbtest_checks++;                                                                           \
        if (!fbt_h || !strstr(fbt_h, fbt_n)) {                                                     \
            fbtest_failures++;                                                                     \
            fprintf(stderr, "%s:%d: expected \"%s\" to contain \"%s\"\n", __FILE__, __LINE__,      \
                    fbt_h ? fbt_h : "(null)", fbt_n);                                              \
        }                                                                                          \
    } while (0)

/* Ends main(): prints "N passed, N failed" for the checks and returns the exit status. */
#define FBTEST_END()                                                                               \
    (printf("%d checks: %d passed, %d failed\n", fbtest_checks, fbtest_checks - fbtest_failures,   \
            fbtest_failures),                                                                      \
     fbtest_failures ? 1 : 0)

#endif
