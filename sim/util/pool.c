/* pool.c — the worker pool: a generation counter under one mutex starts a job, an atomic
 * counter hands out its tasks, the last worker to finish wakes the caller. */
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "../models/fb_error.h"
#include "pool.h"

struct fb_pool {
    int n_threads;
    pthread_t *workers;     /* n_threads - 1 */
    int n_started;
    pthread_mutex_t mu;
    pthread_cond_t start, done;
    unsigned long generation; /* counts jobs up; a worker runs each new one once */
    int busy;                 /* workers still in the current job */
    bool quit;
    void (*task)(void *ctx, int i);
    void *ctx;
    int n_tasks;
    atomic_int next;          /* the next task to hand out */
};

/* Takes tasks until none are left. */
static void take_tasks(fb_pool *p)
{
    for (int i; (i = atomic_fetch_add(&p->next, 1)) < p->n_tasks;)
        p->task(p->ctx, i);
}

static void *worker(void *arg)
{
    fb_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->generation == seen)
            pthread_cond_wait(&p->start, &p->mu);
        if (p->quit)
            break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        take_tasks(p);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
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
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->done, NULL);
    atomic_init(&p->next, 0);
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
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p);
}

int fb_pool_threads(const fb_pool *p)
{
    return p->n_threads;
}

void fb_pool_run(fb_pool *p, void (*task)(void *ctx, int i), void *ctx, int n_tasks)
{
    if (p->n_started == 0 || n_tasks <= 1) {
        for (int i = 0; i < n_tasks; i++)
            task(ctx, i);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->task = task;
    p->ctx = ctx;
    p->n_tasks = n_tasks;
    atomic_store(&p->next, 0);
    p->busy = p->n_started;
    p->generation++;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    take_tasks(p);
    pthread_mutex_lock(&p->mu);
    while (p->busy > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
