/* test_pool.c — the worker pool: every task of every job runs exactly once and the job is over when fb_pool_run returns, over many short jobs (late-waking workers claim nothing of a finished job), for 1 to 4 threads; jobs far enough apart that the workers go to sleep, and tasks slow enough that the caller does (both wake); a spawned task running jobs of its own while the spawner works, then helps (fb_pool_spawn/join); side jobs beside a spawned task and alone (fb_pool_run_side); row bands handed out from both ends (fb_pool_ends: each once, even threads from the top down, odd from the bottom up); bad sizes refused. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "../../models/fb_error.h"
#include "../../sim/util/pool.h"
#include "../fbtest.h"

enum { MAX_TASKS = 37, JOBS = 3000 };

typedef struct job {
    int runs[MAX_TASKS]; /* times each task ran */
    uint64_t value[MAX_TASKS];
    uint64_t seed;
} job;

static void task(void *ctx, int i)
{
    job *j = ctx;
    j->runs[i]++;
    uint64_t x = j->seed + (uint64_t)i;
    for (int k = 0; k < (i % 5) * 50; k++) /* uneven tasks */
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    j->value[i] = x;
}

static uint64_t expected(uint64_t seed, int i)
{
    uint64_t x = seed + (uint64_t)i;
    for (int k = 0; k < (i % 5) * 50; k++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* A slow job: each task sleeps 2 ms, counts its run and whether it ran off the caller. */
typedef struct slow_job {
    pthread_t caller;
    _Atomic int runs[8];
    _Atomic int off_caller;
} slow_job;

static void slow_task(void *ctx, int i)
{
    slow_job *j = ctx;
    sleep_ms(2);
    atomic_fetch_add(&j->runs[i], 1);
    if (!pthread_equal(pthread_self(), j->caller))
        atomic_fetch_add(&j->off_caller, 1);
}

/* Jobs 5 ms apart (the workers stop watching for jobs after about a millisecond and sleep) of
 * tasks that outlast the caller's watch too: every task runs once, and the woken workers take
 * part (over 20 jobs of 8 tasks of 2 ms, some task ran off the calling thread). */
static void sleepers_wake(int threads)
{
    fb_pool *p;
    CHECK_EQ_INT(fb_pool_create(&p, threads), FB_OK);
    int wrong = 0, off = 0;
    for (int n = 0; n < 20; n++) {
        slow_job j;
        memset(&j, 0, sizeof j);
        j.caller = pthread_self();
        sleep_ms(5);
        fb_pool_run(p, slow_task, &j, 8);
        for (int i = 0; i < 8; i++)
            wrong += atomic_load(&j.runs[i]) != 1;
        off += atomic_load(&j.off_caller);
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK(off > 0);
    fb_pool_free(p);
}

/* A spawned task: runs `jobs` jobs of 8 slow tasks on the pool (the spawner helps once it
 * joins), records on which thread it ran, and counts its own finish. */
typedef struct spawned {
    fb_pool *p;
    int jobs;
    slow_job job[4];
    pthread_t ran_on;
    _Atomic int finished;
} spawned;

static void spawned_task(void *ctx)
{
    spawned *sp = ctx;
    sp->ran_on = pthread_self();
    for (int n = 0; n < sp->jobs; n++) {
        sp->job[n].caller = pthread_self();
        fb_pool_run(sp->p, slow_task, &sp->job[n], 8);
    }
    atomic_fetch_add(&sp->finished, 1);
}

/* Spawn, work meanwhile (the pipelined session's pixel stages), join: the task ran once, off
 * the spawner's thread, and was over when join returned; each of its jobs' tasks ran once, and
 * over the rounds the joiner took some of them (it helps). A second spawn before the join is
 * refused, and a pool of one thread spawns nothing. */
static void spawn_join(int threads)
{
    fb_pool *p;
    CHECK_EQ_INT(fb_pool_create(&p, threads), FB_OK);
    int wrong = 0, helped = 0, on_spawner = 0, refused = 0;
    for (int round = 0; round < 12; round++) {
        spawned sp;
        memset(&sp, 0, sizeof sp);
        sp.p = p;
        sp.jobs = 1 + round % 4;
        if (round % 3 == 2)
            sleep_ms(5); /* the workers asleep when it is spawned */
        CHECK(fb_pool_spawn(p, spawned_task, &sp));
        refused += !fb_pool_spawn(p, spawned_task, &sp);
        if (round % 2)
            sleep_ms(1); /* the spawner busy for a while */
        fb_pool_join(p);
        wrong += atomic_load(&sp.finished) != 1;
        on_spawner += pthread_equal(sp.ran_on, pthread_self()) != 0;
        for (int n = 0; n < sp.jobs; n++) {
            for (int i = 0; i < 8; i++)
                wrong += atomic_load(&sp.job[n].runs[i]) != 1;
            helped += atomic_load(&sp.job[n].off_caller) > 0;
        }
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(on_spawner, 0);
    CHECK_EQ_INT(refused, 12);
    CHECK(helped > 0);
    /* after a join the pool runs plain jobs as before */
    job j;
    memset(&j, 0, sizeof j);
    fb_pool_run(p, task, &j, MAX_TASKS);
    int ran = 0;
    for (int i = 0; i < MAX_TASKS; i++)
        ran += j.runs[i] == 1;
    CHECK_EQ_INT(ran, MAX_TASKS);
    fb_pool_free(p);
}

/* Side jobs (fb_pool_run_side) of 8 slow tasks run by the spawner while a spawned task runs
 * 0-2 jobs of its own: every task of both ran once, the spawned task was over after the join,
 * and over the rounds the pool's threads took some side tasks (the spawned task's thread once
 * its task returned, or an idle worker). Then many short side jobs with nothing spawned: every
 * task once, the right values. */
static void side_jobs(int threads)
{
    fb_pool *p;
    CHECK_EQ_INT(fb_pool_create(&p, threads), FB_OK);
    int wrong = 0, off = 0;
    for (int round = 0; threads > 1 && round < 9; round++) {
        spawned sp;
        memset(&sp, 0, sizeof sp);
        sp.p = p;
        sp.jobs = round % 3;
        CHECK(fb_pool_spawn(p, spawned_task, &sp));
        slow_job side;
        memset(&side, 0, sizeof side);
        side.caller = pthread_self();
        fb_pool_run_side(p, slow_task, &side, 8);
        for (int i = 0; i < 8; i++)
            wrong += atomic_load(&side.runs[i]) != 1;
        off += atomic_load(&side.off_caller);
        fb_pool_join(p);
        wrong += atomic_load(&sp.finished) != 1;
        for (int n = 0; n < sp.jobs; n++)
            for (int i = 0; i < 8; i++)
                wrong += atomic_load(&sp.job[n].runs[i]) != 1;
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK(threads == 1 || off > 0);
    int bad = 0;
    for (int n = 0; n < JOBS / 10; n++) {
        job j;
        memset(&j, 0, sizeof j);
        j.seed = (uint64_t)n * 977u;
        int nt = 1 + n % MAX_TASKS;
        fb_pool_run_side(p, task, &j, nt);
        for (int i = 0; i < MAX_TASKS; i++)
            bad += j.runs[i] != (i < nt) || (i < nt && j.value[i] != expected(j.seed, i));
    }
    CHECK_EQ_INT(bad, 0);
    fb_pool_free(p);
}

/* A job whose tasks each take a band from both ends: which band, and the thread's index. */
typedef struct ends_job {
    fb_pool_ends ends;
    _Atomic int runs[MAX_TASKS]; /* times each band was taken */
    int by[MAX_TASKS];           /* the index of the thread that took it */
    int order[MAX_TASKS];        /* its place in that thread's sequence of takes */
    _Atomic int seq[4];          /* takes so far per thread */
    uint64_t sink[MAX_TASKS];    /* the uneven work's results */
} ends_job;

static void ends_task(void *ctx, int i)
{
    (void)i;
    ends_job *j = ctx;
    int t = fb_pool_thread_index(), b = fb_pool_ends_take(&j->ends);
    if (b < 0 || b >= MAX_TASKS || t < 0 || t > 3)
        return; /* counted as never taken below */
    atomic_fetch_add(&j->runs[b], 1);
    j->by[b] = t;
    j->order[b] = atomic_fetch_add(&j->seq[t], 1);
    uint64_t x = (uint64_t)b; /* long enough that every thread takes some */
    for (int k = 0; k < 20000 + (b % 3) * 5000; k++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    j->sink[b] = x;
}

/* Every band taken once; a thread of even index takes bands from the top, in ascending order,
 * an odd one from the bottom in descending order. */
static void ends_bands(int threads)
{
    fb_pool *p;
    CHECK_EQ_INT(fb_pool_create(&p, threads), FB_OK);
    int wrong = 0, wrong_end = 0, odd_runs = 0;
    for (int n = 1; n <= MAX_TASKS; n++) {
        ends_job j;
        memset(&j, 0, sizeof j);
        fb_pool_ends_reset(&j.ends, n);
        fb_pool_run(p, ends_task, &j, n);
        for (int b = 0; b < n; b++)
            wrong += atomic_load(&j.runs[b]) != 1;
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
                if (j.by[a] == j.by[b]) /* the same thread: top down or bottom up */
                    wrong_end += (j.by[a] % 2 == 0) != (j.order[a] < j.order[b]);
        odd_runs += threads > 1 && atomic_load(&j.seq[1]) >= 2; /* a run to check */
        CHECK_EQ_INT(fb_pool_ends_take(&j.ends), -1); /* all handed out */
    }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(wrong_end, 0);
    CHECK(threads == 1 || odd_runs > 0);
    fb_pool_free(p);
}

int main(void)
{
    for (int threads = 1; threads <= 4; threads++)
        ends_bands(threads);
    for (int threads = 1; threads <= 3; threads++)
        side_jobs(threads);
    for (int threads = 2; threads <= 3; threads++)
        spawn_join(threads);
    fb_pool *one;
    CHECK_EQ_INT(fb_pool_create(&one, 1), FB_OK);
    CHECK(!fb_pool_spawn(one, NULL, NULL));
    fb_pool_free(one);
    for (int threads = 2; threads <= 3; threads++)
        sleepers_wake(threads);
    for (int threads = 1; threads <= 4; threads++) {
        fb_pool *p;
        CHECK_EQ_INT(fb_pool_create(&p, threads), FB_OK);
        CHECK_EQ_INT(fb_pool_threads(p), threads);
        int wrong = 0;
        for (int n = 0; n < JOBS; n++) {
            job j;
            memset(&j, 0, sizeof j);
            j.seed = (uint64_t)n * 1000003u;
            int n_tasks = n % (MAX_TASKS + 1); /* 0 .. MAX_TASKS */
            fb_pool_run(p, task, &j, n_tasks);
            for (int i = 0; i < MAX_TASKS; i++)
                wrong += j.runs[i] != (i < n_tasks) ||
                         (i < n_tasks && j.value[i] != expected(j.seed, i));
        }
        CHECK_EQ_INT(wrong, 0);
        fb_pool_free(p);
    }
    fb_pool *none = NULL;
    CHECK_EQ_INT(fb_pool_create(&none, 0), FB_ERR_ARG);
    CHECK_EQ_INT(fb_pool_create(&none, -1), FB_ERR_ARG);
    CHECK_EQ_INT(fb_pool_create(&none, FB_POOL_MAX_THREADS + 1), FB_ERR_ARG);
    CHECK(none == NULL);
    return FBTEST_END();
}
