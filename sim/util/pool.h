/* pool.h — a fixed pool of worker threads made once per run: runs tasks 0..n-1 of a job across
 * them and waits; which thread runs a task is left to scheduling, so tasks must write disjoint
 * memory (and results that are summed must be summed by the caller in a fixed order). */
#ifndef FB_POOL_H
#define FB_POOL_H

#include <stdatomic.h>
#include <stdbool.h>

#define FB_POOL_MAX_THREADS 64 /* --threads' upper bound */
#define FB_POOL_MAX_TASKS 65535 /* a job with more runs on the calling thread alone */

typedef struct fb_pool fb_pool;

/* A pool of n_threads threads in all, the caller's included (n_threads - 1 are started).
 * Returns 0, FB_ERR_ARG (n_threads outside 1..FB_POOL_MAX_THREADS) or FB_ERR_NOMEM (memory or a
 * thread could not be had). */
int fb_pool_create(fb_pool **out, int n_threads);
void fb_pool_free(fb_pool *p);
int fb_pool_threads(const fb_pool *p);

/* Runs task(ctx, i) for every i in 0..n_tasks-1, the calling thread taking part, and returns
 * when all have returned. Not reentrant: one job at a time per pool. Threads that wait (the
 * workers for the next job, the caller for the last tasks) spin briefly, then yield their core
 * between looks for up to 2 ms before they sleep, so a pool keeps its cores (yielding to any
 * other thread that wants them) that long after a job (pool.c says why). */
void fb_pool_run(fb_pool *p, void (*task)(void *ctx, int i), void *ctx, int n_tasks);

/* fb_pool_run in a slot of its own, for the thread that spawned a task while that task runs
 * (or for any caller when none is spawned): the workers that are idle, and the spawned task's
 * thread once the task has returned, help with it; threads inside the spawned task's jobs do
 * not. One side job at a time. With a pool of one thread the tasks run on the caller, in
 * order. */
void fb_pool_run_side(fb_pool *p, void (*task)(void *ctx, int i), void *ctx, int n_tasks);

/* Starts task(ctx) on a worker and returns at once: true, or false (a pool of one thread, or a
 * spawned task not yet joined) having started nothing. The task may run jobs on the pool
 * (fb_pool_run from inside it); the other workers help with them, and so does the caller once
 * it reaches fb_pool_join. One spawned task at a time; the caller must not run jobs of its own
 * until it has joined. */
bool fb_pool_spawn(fb_pool *p, void (*task)(void *ctx), void *ctx);
/* Helps with the spawned task's jobs until the task has returned (it has when this returns). */
void fb_pool_join(fb_pool *p);

/* This thread's place in its pool: 0 for the thread that runs jobs (or any thread not a
 * worker), 1 .. n_threads - 1 for the workers. */
int fb_pool_thread_index(void);

/* Row bands 0..n-1 of a job handed out from both ends: threads of even index take them from
 * the top down, odd ones from the bottom up, so that a thread keeps drawing, restoring and
 * resolving much the same rows frame after frame (its cache holds them) while the bands in the
 * middle still go to whoever is free first. Which thread takes a band never changes what the
 * band's task writes. Each call returns a band not yet handed out (every band once); the
 * caller makes one call per task of a job of n tasks. */
typedef struct fb_pool_ends {
    _Atomic unsigned state; /* next from the top | (one past the next from the bottom) << 16 */
} fb_pool_ends;
void fb_pool_ends_reset(fb_pool_ends *e, int n);
int fb_pool_ends_take(fb_pool_ends *e);

/* The timeline FB_POOL_TRACE=FILE asks for (pool.c): fb_pool_trace_now() is the time (0 when no
 * trace is kept) and fb_pool_trace_span records the stretch from t0 to now on this thread as
 * `what` (a string that lives as long as the process; nothing when no trace is kept). */
double fb_pool_trace_now(void);
void fb_pool_trace_span(const char *what, double t0);

#endif
