/* executor.c — the executor registry, resume and signals; the local fork/exec pool. */
#include "executor.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <time.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fb_error.h"
#include "util/clock.h"

extern const fb_executor_ops fb_executor_local, fb_executor_slurm;
static const fb_executor_ops *const executors[] = {&fb_executor_local, &fb_executor_slurm};

const fb_executor_ops *fb_executor_find(const char *name)
{
    for (size_t i = 0; i < sizeof executors / sizeof executors[0]; i++)
        if (name && strcmp(executors[i]->name, name) == 0)
            return executors[i];
    return NULL;
}

unsigned fb_exec_auto_batch(size_t n)
{
    return n <= FB_EXEC_MAX_ARRAY ? 1u : (unsigned)((n + FB_EXEC_MAX_ARRAY - 1) / FB_EXEC_MAX_ARRAY);
}

const char *fb_executor_names(void)
{
    return "local|slurm";
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

int fb_exec_stop_requested(void)
{
    return (int)stop_signal;
}

bool fb_exec_task_done(const char *dir, const char *id)
{
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/runs/%s/results.json", dir, id);
    if (w < 0 || (size_t)w >= sizeof path)
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char *text = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = realloc(text, cap);
            if (!t) {
                ok = false;
                break;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    bool done = false;
    if (ok && text) {
        text[len] = '\0';
        cJSON *doc = cJSON_ParseWithLength(text, len);
        done = doc && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "complete"));
        cJSON_Delete(doc);
    }
    free(text);
    return done;
}

bool fb_exec_is_done(const fb_exec_opts *o, const char *id)
{
    return o->task_done ? o->task_done(o->dir, id, o->task_done_ctx) : fb_exec_task_done(o->dir, id);
}

int fb_exec_task_status(const char *dir, const char *id, int *status, double *elapsed_s)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs/%s/exit_status", dir, id);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int st = -1;
    double el = NAN;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "exit ", 5) == 0)
            st = atoi(line + 5);
        else if (strncmp(line, "elapsed_s ", 10) == 0)
            el = strtod(line + 10, NULL);
    }
    fclose(f);
    if (st < 0)
        return -1;
    *status = st;
    if (elapsed_s)
        *elapsed_s = el;
    return 0;
}

/* runs/<id>/exit_status for an attempt that ended (local executor; the Slurm task script writes
 * the same lines). */
static void write_status(const char *dir, const char *id, int status, double elapsed_s)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/runs/%s/exit_status", dir, id);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "exit %d\nelapsed_s %.3f\n", status, elapsed_s);
    if (fclose(f) == 0)
        rename(tmp, path);
}

/* what the last progress line said, and when (non-terminal output) */
static size_t progress_ended = (size_t)-1;
static double progress_at_s = -1e9;

void fb_exec_progress(const fb_exec_opts *o, size_t queued, size_t running, size_t done,
                      size_t failed)
{
    if (o->quiet)
        return;
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "\r\033[Kqueued %zu, running %zu, done %zu, failed %zu", queued, running,
                done, failed);
        fflush(stderr);
        return;
    }
    int all = queued == 0 && running == 0;
    if (done + failed == progress_ended ||
        (!all && fb_clock_s() - progress_at_s < FB_EXEC_PROGRESS_EVERY_S))
        return;
    fprintf(stderr, "queued %zu, running %zu, done %zu, failed %zu\n", queued, running, done, failed);
    progress_ended = done + failed;
    progress_at_s = fb_clock_s();
}

int fb_exec_run(const fb_executor_ops *ops, const fb_exec_opts *o, const fb_exec_task *t,
                size_t n, bool *done, fb_exec_result *res, char *err, size_t err_len)
{
    memset(res, 0, sizeof *res);
    if (!ops || !o || !o->dir || (n && (!t || !done)) || o->jobs < 1 || o->attempts < 1) {
        snprintf(err, err_len, "executor: bad arguments");
        return FB_ERR_ARG;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/runs", o->dir);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    /* the ones to do, in order */
    fb_exec_task *todo = malloc((n ? n : 1) * sizeof *todo);
    size_t *where = malloc((n ? n : 1) * sizeof *where);
    bool *tdone = calloc(n ? n : 1, sizeof *tdone);
    if (!todo || !where || !tdone) {
        free(todo);
        free(where);
        free(tdone);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        done[i] = fb_exec_is_done(o, t[i].id);
        if (done[i]) {
            res->skipped++;
        } else {
            todo[k] = t[i];
            where[k++] = i;
        }
    }
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    progress_ended = (size_t)-1;
    progress_at_s = -1e9;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int rc = k ? ops->run(o, todo, k, tdone, err, err_len) : 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    res->signal = (int)stop_signal;
    if (!o->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "\r\033[K");
    for (size_t j = 0; j < k; j++) {
        /* the files decide, not what the executor believed */
        done[where[j]] = fb_exec_is_done(o, todo[j].id);
        if (done[where[j]])
            res->done++;
        else
            res->failed++;
    }
    free(todo);
    free(where);
    free(tdone);
    return rc;
}

/* ---- local: a fork/exec pool of o->jobs runs ---- */

typedef struct slot {
    pid_t pid;
    size_t task;
    double t0; /* when it started (monotonic s) */
} slot;

static pid_t start_local(const fb_exec_opts *o, const fb_exec_task *t)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s", o->dir, t->id);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return -1;
    size_t argc = 0;
    while (t->argv[argc])
        argc++;
    const char **argv = calloc(argc + 3, sizeof *argv);
    char out[4096];
    snprintf(out, sizeof out, "runs/%s", t->id);
    if (!argv)
        return -1;
    memcpy(argv, t->argv, argc * sizeof *argv);
    argv[argc] = "--out";
    argv[argc + 1] = out;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char log[4200];
        snprintf(log, sizeof log, "%s/log.txt", dir);
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
        if (fd < 0 || chdir(o->dir) != 0)
            _exit(127);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        /* a run dies with whoever started it, even one killed outright */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(128 + SIGTERM);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(argv);
    return pid;
}

static int local_run(const fb_exec_opts *o, const fb_exec_task *t, size_t n, bool *done,
                     char *err, size_t err_len)
{
    slot *slots = calloc(o->jobs, sizeof *slots);
    size_t *queue = malloc(n * sizeof *queue);
    unsigned *tries = calloc(n, sizeof *tries);
    if (!slots || !queue || !tries) {
        free(slots);
        free(queue);
        free(tries);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    size_t head = 0, tail = 0, running = 0, ndone = 0, nfailed = 0;
    for (size_t i = 0; i < n; i++)
        queue[tail++ % n] = i;
    int rc = 0, forwarded = 0;
    while ((head < tail || running) && !rc) {
        while (running < o->jobs && head < tail && !stop_signal) {
            size_t i = queue[head++ % n];
            pid_t pid = start_local(o, &t[i]);
            if (pid < 0) {
                snprintf(err, err_len, "cannot start run %s: %s", t[i].id, strerror(errno));
                rc = FB_ERR_IO;
                break;
            }
            tries[i]++;
            for (unsigned s = 0; s < o->jobs; s++)
                if (!slots[s].pid) {
                    slots[s] = (slot){pid, i, fb_clock_s()};
                    break;
                }
            running++;
        }
        fb_exec_progress(o, tail - head, running, ndone, nfailed);
        if (stop_signal && !forwarded) {
            /* the signal reaches the runs once: each writes what it has and exits 128+N */
            for (unsigned s = 0; s < o->jobs; s++)
                if (slots[s].pid)
                    kill(slots[s].pid, (int)stop_signal);
            forwarded = 1;
        }
        if (!running)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, err_len, "waitpid: %s", strerror(errno));
            rc = FB_ERR_IO;
            break;
        }
        for (unsigned s = 0; s < o->jobs; s++) {
            if (slots[s].pid != pid)
                continue;
            size_t i = slots[s].task;
            slots[s].pid = 0;
            running--;
            int st = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            write_status(o->dir, t[i].id, st, fb_clock_s() - slots[s].t0);
            done[i] = fb_exec_is_done(o, t[i].id);
            int again = !done[i] && tries[i] < o->attempts && !stop_signal;
            if (done[i])
                ndone++;
            else if (again)
                queue[tail++ % n] = i; /* a failure: once more */
            else
                nfailed++;
            if (o->task_ended)
                o->task_ended(t[i].id, st, done[i], !again, o->task_ended_ctx);
        }
    }
    if (!rc && !stop_signal)
        fb_exec_progress(o, 0, 0, ndone, nfailed);
    /* an error above: reap what still runs */
    for (unsigned s = 0; s < o->jobs; s++)
        if (slots[s].pid) {
            kill(slots[s].pid, SIGTERM);
            waitpid(slots[s].pid, NULL, 0);
        }
    free(slots);
    free(queue);
    free(tries);
    return rc;
}

const fb_executor_ops fb_executor_local = {
    .name = "local",
    .what = "runs here, --jobs at once (fork/exec)",
    .run = local_run,
};
