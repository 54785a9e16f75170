/* pool.c — the worker pool: a job is published as one atomic word (job number, its task count,
 * the next task) that workers claim tasks from by compare-and-swap, so a worker that wakes late claims nothing of a
 * job already handed out, and the caller waits only for tasks under way, never for a sleeper.
 * Waiting threads (workers for the next job, the caller for the last tasks, the joiner) look at
 * the atomics for a while before they sleep: a frame hands out a few jobs, some tens to hundreds
 * of microseconds apart, and waking a sleeping thread costs tens of microseconds on this
 * project's virtual machines, up to a millisecond when they are loaded (measured: a job of eight
 * 18 us tasks on 2 threads took 110-140 us with sleeping threads, 75-80 us with spinning ones,
 * 72 ideal). They look with a pause between looks for some tens of microseconds, then give their
 * core away (sched_yield) between looks for up to 2 ms: when another process holds the other
 * core and the pool's two threads share one, a thread that only spun held up the very thread it
 * waited for for a whole time slice (FB_POOL_TRACE showed both threads waiting ~0.8 ms a frame,
 * in turn). A spawned task (fb_pool_spawn) sits
 * in a word of its own, claimed by the first worker that sees it; the jobs it runs are handed
 * out like any other, to the workers and to the thread in fb_pool_join. A side job
 * (fb_pool_run_side) has a slot of its own, so the thread that spawned can hand out work while
 * the spawned task's jobs run: idle workers take its tasks as they take a job's. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/fb_error.h"
#include "pool.h"
#include "clock.h"

/* A job slot: the job is written by its runner before it publishes `state`, read after a task
 * is claimed. */
struct job {
    void (*task)(void *ctx, int i);
    void *ctx;
    int n_tasks;
    /* job number << 32 | its task count << 16 | the next task to hand out: one word, so a claim
     * never mixes one job's count with another's */
    _Atomic uint64_t state;
    _Atomic int finished;   /* tasks of the current job returned */
    pthread_cond_t done;    /* its runner sleeps on it (under the pool's mu) */
};

struct fb_pool {
    int n_threads;
    pthread_t *workers;     /* n_threads - 1 */
    int n_started;
    pthread_mutex_t mu;
    pthread_cond_t start;
    bool quit;
    struct job job;  /* fb_pool_run's */
    struct job side; /* fb_pool_run_side's */
    /* the spawned task: written by fb_pool_spawn before it publishes `spawned` */
    void (*bg_task)(void *ctx);
    void *bg_ctx;
    _Atomic int spawned;    /* SPAWN_NONE, SPAWN_POSTED, SPAWN_RUNNING or SPAWN_DONE */
    _Atomic int next_index; /* the next worker's index in this pool (fb_pool_thread_index) */
};

enum { SPAWN_NONE, SPAWN_POSTED, SPAWN_RUNNING, SPAWN_DONE };

/* A waiting thread looks SPIN_CHECKS times a pause apart (some tens of microseconds: a pause is
 * some 40-140 cycles), then yields its core between looks for YIELD_S, longer than the serial
 * stretches between a frame's jobs and the caller's work between frames, before it sleeps. */
#define SPIN_CHECKS 1000
#define YIELD_S 2e-3

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* A wait's state: looks so far, and when it began yielding. */
typedef struct waiting {
    int k;
    double t_yield;
} waiting;

/* One more look's pause: true while the wait is to go on, false when it is time to sleep. */
static bool wait_more(waiting *w)
{
    if (w->k < SPIN_CHECKS) {
        w->k++;
        cpu_relax();
        return true;
    }
    if (w->k++ == SPIN_CHECKS)
        w->t_yield = fb_clock_s();
    sched_yield();
    return fb_clock_s() - w->t_yield < YIELD_S;
}

/* The optional timeline (FB_POOL_TRACE=FILE, looked at when a pool is made): every task, wait
 * and labelled stretch (fb_pool_trace_span) with its thread and times, kept in memory and written
 * when the pool is freed; scripts/pool_trace.py sums it up. Off, it costs a test of one pointer
 * a task and a wait. */
typedef struct trace_ev {
    double t0, t1;
    const char *what; /* a static string */
    int thread;       /* 0: the thread that made the pool (or any other), 1..: its workers */
    uint32_t job;
} trace_ev;
#define TRACE_MAX (1 << 21)
static trace_ev *g_trace;
static _Atomic int g_trace_n;
static _Thread_local int t_thread;

static void trace_add(const char *what, uint32_t job, double t0)
{
    int i = atomic_fetch_add(&g_trace_n, 1);
    if (i < TRACE_MAX)
        g_trace[i] = (trace_ev){t0, fb_clock_s(), what, t_thread, job};
}

double fb_pool_trace_now(void)
{
    return g_trace ? fb_clock_s() : 0.0;
}

void fb_pool_trace_span(const char *what, double t0)
{
    if (g_trace)
        trace_add(what, 0, t0);
}

static void trace_write(void)
{
    const char *path = getenv("FB_POOL_TRACE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) {
        if (path)
            fprintf(stderr, "FB_POOL_TRACE=%s: %s (no timeline written)\n", path,
                    strerror(errno));
        return;
    }
    int n = atomic_load(&g_trace_n);
    n = n < TRACE_MAX ? n : TRACE_MAX;
    fprintf(f, "# thread job start_s end_s what\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "%d %u %.9f %.9f %s\n", g_trace[i].thread, g_trace[i].job, g_trace[i].t0,
                g_trace[i].t1, g_trace[i].what);
    fclose(f);
    atomic_store(&g_trace_n, 0);
}

/* Claims the next task of job `job` in slot j: its index, or -1 when that job has none left (or
 * is over). */
static int claim(struct job *j, uint32_t job)
{
    uint64_t s = atomic_load(&j->state);
    for (;;) {
        uint32_t n = (uint32_t)(s >> 16) & 0xffffu, i = (uint32_t)s & 0xffffu;
        if ((uint32_t)(s >> 32) != job || i >= n)
            return -1;
        if (atomic_compare_exchange_weak(&j->state, &s, s + 1))
            return (int)i;
    }
}

/* Runs the tasks of job `job` in slot j this thread can claim, and counts them finished. */
static void take_tasks(fb_pool *p, struct job *j, uint32_t job)
{
    int ran = 0;
    for (int i; (i = claim(j, job)) >= 0; ran++) {
        double t0 = g_trace ? fb_clock_s() : 0.0;
        j->task(j->ctx, i); /* the job cannot change while one of its tasks is unfinished */
        if (g_trace)
            trace_add(j == &p->side ? "side task" : "task", job, t0);
    }
    if (!ran)
        return;
    /* read before these tasks are counted: until then the runner waits for them, so n_tasks
     * is still this job's (after, the runner may have gone on to the next job) */
    const int n_tasks = j->n_tasks;
    if (atomic_fetch_add(&j->finished, ran) + ran == n_tasks) {
        pthread_mutex_lock(&p->mu); /* the runner checks `finished` under mu before it sleeps */
        pthread_cond_signal(&j->done);
        pthread_mutex_unlock(&p->mu);
    }
}

static uint32_t job_number(const struct job *j)
{
    return (uint32_t)(atomic_load_explicit(&j->state, memory_order_acquire) >> 32);
}

/* Whether, within SPIN_CHECKS looks, a job after `seen` or a side job after `seen_side` was
 * published, or a task spawned (*spawn set). */
static bool spin_for_job(fb_pool *p, uint32_t seen, uint32_t seen_side, bool *spawn)
{
    waiting wt = {0, 0.0};
    do {
        *spawn = atomic_load_explicit(&p->spawned, memory_order_acquire) == SPAWN_POSTED;
        if (job_number(&p->job) != seen || job_number(&p->side) != seen_side || *spawn)
            return true;
    } while (wait_more(&wt));
    return false;
}

/* Runs the spawned task if this thread is the first to claim it; wakes the joiner after. */
static void run_spawned(fb_pool *p)
{
    int posted = SPAWN_POSTED;
    if (!atomic_compare_exchange_strong(&p->spawned, &posted, SPAWN_RUNNING))
        return;
    double t0 = g_trace ? fb_clock_s() : 0.0;
    p->bg_task(p->bg_ctx);
    if (g_trace)
        trace_add("spawned task", 0, t0);
    pthread_mutex_lock(&p->mu); /* the joiner checks `spawned` under mu before it sleeps */
    atomic_store(&p->spawned, SPAWN_DONE);
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    fb_pool *p = arg;
    uint32_t seen = 0, seen_side = 0;
    t_thread = atomic_fetch_add(&p->next_index, 1);
    for (;;) {
        bool spawn;
        double tw = g_trace ? fb_clock_s() : 0.0;
        bool got = spin_for_job(p, seen, seen_side, &spawn);
        if (g_trace)
            trace_add("wait for work", 0, tw);
        if (!got) {
            /* none yet: sleep until one is published (or the pool freed) */
            pthread_mutex_lock(&p->mu);
            while (!p->quit && job_number(&p->job) == seen &&
                   job_number(&p->side) == seen_side && atomic_load(&p->spawned) != SPAWN_POSTED)
                pthread_cond_wait(&p->start, &p->mu);
            bool quit = p->quit;
            pthread_mutex_unlock(&p->mu);
            if (quit)
                break;
        }
        run_spawned(p); /* jobs it ran are over when it returns: `seen` moves on below */
        uint32_t job = job_number(&p->job);
        if (job != seen) {
            seen = job;
            take_tasks(p, &p->job, seen);
        }
        job = job_number(&p->side);
        if (job != seen_side) {
            seen_side = job;
            take_tasks(p, &p->side, seen_side);
        }
    }
    return NULL;
}

int fb_pool_create(fb_pool **out, int n_threads)
{
    *out = NULL;
    if (n_threads < 1 || n_threads > FB_POOL_MAX_THREADS)
        return FB_ERR_ARG;
    fb_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return FB_ERR_NOMEM;
    p->n_threads = n_threads;
    if (getenv("FB_POOL_TRACE") && !g_trace)
        g_trace = malloc(TRACE_MAX * sizeof(*g_trace)); /* kept to the process's end */
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->job.done, NULL);
    pthread_cond_init(&p->side.done, NULL);
    atomic_init(&p->job.state, 0);
    atomic_init(&p->side.state, 0);
    atomic_init(&p->spawned, SPAWN_NONE);
    atomic_init(&p->next_index, 1);
    if (n_threads > 1) {
        p->workers = calloc((size_t)n_threads - 1, sizeof(*p->workers));
        if (!p->workers) {
            fb_pool_free(p);
            return FB_ERR_NOMEM;
        }
        for (int i = 0; i < n_threads - 1; i++) {
            if (pthread_create(&p->workers[i], NULL, worker, p) != 0) {
                fb_pool_free(p);
                return FB_ERR_NOMEM;
            }
            p->n_started++;
        }
    }
    *out = p;
    return FB_OK;
}

void fb_pool_free(fb_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_started; i++)
        pthread_join(p->workers[i], NULL);
    pthread_cond_destroy(&p->start);
    pthread_cond_destroy(&p->job.done);
    pthread_cond_destroy(&p->side.done);
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p);
    if (g_trace)
        trace_write();
}

int fb_pool_threads(const fb_pool *p)
{
    return p->n_threads;
}

int fb_pool_thread_index(void)
{
    return t_thread;
}

void fb_pool_ends_reset(fb_pool_ends *e, int n)
{
    atomic_store(&e->state, (unsigned)n << 16);
}

int fb_pool_ends_take(fb_pool_ends *e)
{
    const bool top = (t_thread & 1) == 0;
    unsigned s = atomic_load(&e->state);
    for (;;) {
        unsigned lo = s & 0xffffu, hi = s >> 16;
        if (lo >= hi)
            return -1; /* more calls than bands: not the contract */
        unsigned next = top ? s + 1u : s - (1u << 16);
        if (atomic_compare_exchange_weak(&e->state, &s, next))
            return top ? (int)lo : (int)hi - 1;
    }
}

/* Publishes a job of n_tasks tasks in slot j, takes part in it and returns when all have
 * returned. */
static void run_in(fb_pool *p, struct job *j, void (*task)(void *ctx, int i), void *ctx,
                   int n_tasks)
{
    pthread_mutex_lock(&p->mu);
    j->task = task;
    j->ctx = ctx;
    atomic_store(&j->finished, 0);
    j->n_tasks = n_tasks;
    uint32_t job = job_number(j) + 1;
    /* published: tasks can be claimed */
    atomic_store(&j->state, (uint64_t)job << 32 | (uint64_t)n_tasks << 16);
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    take_tasks(p, j, job);
    double tw = g_trace ? fb_clock_s() : 0.0;
    waiting wt = {0, 0.0};
    while (atomic_load(&j->finished) < n_tasks && wait_more(&wt))
        ;
    if (atomic_load(&j->finished) < n_tasks) {
        pthread_mutex_lock(&p->mu);
        while (atomic_load(&j->finished) < n_tasks)
            pthread_cond_wait(&j->done, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    if (g_trace)
        trace_add(j == &p->side ? "wait for side tasks" : "wait for tasks", job, tw);
}

void fb_pool_run(fb_pool *p, void (*task)(void *ctx, int i), void *ctx, int n_tasks)
{
    if (p->n_started == 0 || n_tasks <= 1 || n_tasks > FB_POOL_MAX_TASKS) {
        for (int i = 0; i < n_tasks; i++)
            task(ctx, i);
        return;
    }
    run_in(p, &p->job, task, ctx, n_tasks);
}

void fb_pool_run_side(fb_pool *p, void (*task)(void *ctx, int i), void *ctx, int n_tasks)
{
    if (p->n_started == 0 || n_tasks <= 1 || n_tasks > FB_POOL_MAX_TASKS) {
        for (int i = 0; i < n_tasks; i++)
            task(ctx, i);
        return;
    }
    run_in(p, &p->side, task, ctx, n_tasks);
}

bool fb_pool_spawn(fb_pool *p, void (*task)(void *ctx), void *ctx)
{
    if (p->n_started == 0 || atomic_load(&p->spawned) != SPAWN_NONE)
        return false;
    pthread_mutex_lock(&p->mu);
    p->bg_task = task;
    p->bg_ctx = ctx;
    atomic_store(&p->spawned, SPAWN_POSTED);
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    return true;
}

void fb_pool_join(fb_pool *p)
{
    /* the job under way may be the spawned task's with tasks left: looked at first */
    uint32_t seen = job_number(&p->job) - 1u;
    for (;;) {
        if (atomic_load(&p->spawned) == SPAWN_DONE)
            break;
        uint32_t job = job_number(&p->job);
        if (job != seen) { /* a job of the spawned task's: help with it */
            seen = job;
            take_tasks(p, &p->job, seen);
            continue;
        }
        double tw = g_trace ? fb_clock_s() : 0.0;
        waiting wt = {0, 0.0};
        bool changed = false;
        do
            changed = atomic_load(&p->spawned) == SPAWN_DONE || job_number(&p->job) != seen;
        while (!changed && wait_more(&wt));
        if (g_trace)
            trace_add("wait in join", seen, tw);
        if (changed)
            continue;
        pthread_mutex_lock(&p->mu);
        while (atomic_load(&p->spawned) != SPAWN_DONE && job_number(&p->job) == seen)
            pthread_cond_wait(&p->start, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    atomic_store(&p->spawned, SPAWN_NONE);
}
