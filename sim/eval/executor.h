/* executor.h — runs a list of independent `feverbench run` tasks: here (local) or on Slurm. */
#ifndef FB_EXECUTOR_H
#define FB_EXECUTOR_H
#include <stdbool.h>
#include <stddef.h>

/* One run. Its folder is <dir>/runs/<id>/; the executor adds "--out runs/<id>" to argv and
 * runs it with <dir> as the working folder, so argv's paths may be relative to <dir>. The task
 * is done when runs/<id>/results.json parses and says "complete": true (or when the caller's
 * task_done says so); anything else (a crash, a kill, a lost node, a half-written file) is a
 * failure that is tried again. Each attempt that ends leaves runs/<id>/exit_status: "exit N"
 * (the run's exit status, 128+N when killed by signal N) and "elapsed_s S" (wall seconds),
 * one a line, written by whichever executor ran it. */
typedef struct fb_exec_task {
    const char *id;    /* [A-Za-z0-9._@-]+, '/' between folders, unique in the list */
    const char **argv; /* program and arguments, NULL-terminated; no tab or newline in any */
} fb_exec_task;

typedef struct fb_exec_opts {
    const char *dir;     /* the study folder (on Slurm: a folder every node sees at this path) */
    unsigned jobs;       /* local: runs at once (>= 1) */
    unsigned attempts;   /* tries per task, the first included (>= 1) */
    bool quiet;          /* no progress line on stderr */
    /* slurm: sbatch options (NULL: the cluster's default) and extra ones passed through */
    const char *partition, *time, *mem;
    const char *const *sbatch_args;
    size_t n_sbatch_args;
    double poll_s; /* seconds between squeue polls (> 0) */
    /* slurm: runs per array task in the first round (0: fb_exec_auto_batch); failures go round
     * again alone, one run per array task */
    unsigned batch;
    /* when a task counts as done (NULL: fb_exec_task_done); ctx is passed through */
    bool (*task_done)(const char *dir, const char *id, void *ctx);
    void *task_done_ctx;
    /* called (NULL: not) when an attempt of a task has ended: status as in exit_status (-1 when
     * none was written: a lost Slurm task), done as task_done says, last when it will not be
     * tried again (done, out of attempts, or stopping); ctx is passed through */
    void (*task_ended)(const char *id, int status, bool done, bool last, void *ctx);
    void *task_ended_ctx;
} fb_exec_opts;

/* What became of the tasks: done[i] for each task given. */
typedef struct fb_exec_result {
    size_t done, failed, skipped; /* skipped: already done when the executor started (resume) */
    int signal;                   /* > 0: stopped by this signal (SIGINT/SIGTERM) */
} fb_exec_result;

/* An executor. run() gets only the tasks not yet done, sets done[i] as tasks complete, and
 * returns 0, or FB_ERR_* with one line in err (a tool missing, a submission refused). It
 * honours fb_exec_stop_requested() by stopping what it started (kill, scancel) and returning. */
typedef struct fb_executor_ops {
    const char *name; /* "local", "slurm" */
    const char *what; /* one line for --help */
    int (*run)(const fb_exec_opts *o, const fb_exec_task *t, size_t n, bool *done,
               char *err, size_t err_len);
} fb_executor_ops;

/* The most array tasks one job array gets from the automatic batch size: Slurm's default
 * MaxArraySize is 1001 (indices 0..1000). */
#define FB_EXEC_MAX_ARRAY 1000
/* Runs per array task when not given: 1, or as few as keep n runs within FB_EXEC_MAX_ARRAY
 * array tasks (ceil(n / FB_EXEC_MAX_ARRAY)). */
unsigned fb_exec_auto_batch(size_t n);

/* The executor called name, or NULL. */
const fb_executor_ops *fb_executor_find(const char *name);
/* Names of all executors, "local|slurm" (static). */
const char *fb_executor_names(void);

/* Runs tasks through ops: skips those already done (resume), catches SIGINT/SIGTERM while it
 * runs, calls ops->run, then checks every task's results.json again. done (n entries, the
 * caller's) says which are done at the end. Returns 0 (see *res for failures and a signal), or
 * FB_ERR_* with one line in err. */
int fb_exec_run(const fb_executor_ops *ops, const fb_exec_opts *o, const fb_exec_task *t,
                size_t n, bool *done, fb_exec_result *res, char *err, size_t err_len);

/* True when runs/<id>/results.json under dir is a complete run. */
bool fb_exec_task_done(const char *dir, const char *id);
/* o->task_done, or fb_exec_task_done without one. */
bool fb_exec_is_done(const fb_exec_opts *o, const char *id);
/* Reads runs/<id>/exit_status under dir: 0 and *status (and *elapsed_s, NAN when not recorded),
 * or -1 when there is none. */
int fb_exec_task_status(const char *dir, const char *id, int *status, double *elapsed_s);

/* Set by the SIGINT/SIGTERM handler fb_exec_run installs: the signal, or 0. */
int fb_exec_stop_requested(void);

/* The progress line "queued Q, running R, done D, failed F" on stderr, unless quiet: redrawn in
 * place on a terminal; elsewhere (a CI log) a line when D or F has changed, at most one per
 * FB_EXEC_PROGRESS_EVERY_S seconds, and always once all are done or failed. Q counts the tasks
 * waiting to be started, retries included. */
#define FB_EXEC_PROGRESS_EVERY_S 10.0
void fb_exec_progress(const fb_exec_opts *o, size_t queued, size_t running, size_t done,
                      size_t failed);

#endif
