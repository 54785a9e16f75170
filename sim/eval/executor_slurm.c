/* executor_slurm.c — runs tasks as a Slurm job array (sbatch), polls squeue, resubmits failures. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "executor.h"
#include "fb_error.h"

/* Runs argv, its stdout into out (NUL-terminated, truncated to out_len), stderr into errbuf.
 * Returns the exit status, or -1 when it could not be started. */
static int capture(const char *const *argv, char *out, size_t out_len, char *errbuf,
                   size_t errbuf_len)
{
    int po[2], pe[2];
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        close(po[0]);
        close(pe[0]);
        signal(SIGINT, SIG_IGN); /* a Ctrl-C is ours to handle (scancel), not sbatch's */
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    size_t lo = 0, le = 0;
    int fds[2] = {po[0], pe[0]};
    for (int k = 0; k < 2; k++) {
        char *buf = k ? errbuf : out;
        size_t cap = k ? errbuf_len : out_len, *l = k ? &le : &lo;
        char tmp[4096];
        for (;;) {
            ssize_t r = read(fds[k], tmp, sizeof tmp);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            size_t take = (size_t)r;
            if (cap && *l + take > cap - 1)
                take = cap - 1 - *l;
            if (cap)
                memcpy(buf + *l, tmp, take);
            *l += take;
        }
        if (cap)
            buf[*l] = '\0';
        close(fds[k]);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void chomp(char *s)
{
    size_t l = strlen(s);
    while (l && (s[l - 1] == '\n' || s[l - 1] == '\r' || s[l - 1] == ' '))
        s[--l] = '\0';
}

static const char task_script[] =
    "#!/bin/sh\n"
    "# written by feverbench sweep/evaluate --executor slurm: array task i runs lines i*B+1 to\n"
    "# i*B+B of the task list $1 (B = $2; a line: id TAB program TAB arguments...), one after\n"
    "# another, in the study folder; each run's output to runs/<id>/, its exit status, wall\n"
    "# time, job and node to runs/<id>/exit_status as it ends (read while the task runs on)\n"
    "list=$1\n"
    "b=${2:-1}\n"
    "tab=$(printf '\\t')\n"
    "run_one() {\n"
    "    id=$1\n"
    "    shift\n"
    "    mkdir -p \"runs/$id\"\n"
    "    t0=$(date +%s.%N)\n"
    "    \"$@\" --out \"runs/$id\" </dev/null >>\"runs/$id/log.txt\" 2>&1\n"
    "    rc=$?\n"
    "    t1=$(date +%s.%N)\n"
    "    printf 'exit %d\\nelapsed_s %s\\njob %s\\nnode %s\\n' \"$rc\" \\\n"
    "        \"$(awk -v a=\"$t0\" -v b=\"$t1\" 'BEGIN { printf \"%.3f\", b - a }')\" \\\n"
    "        \"${SLURM_ARRAY_JOB_ID:-}\" \"${SLURMD_NODENAME:-}\" \\\n"
    "        >\"runs/$id/exit_status.tmp\" && mv \"runs/$id/exit_status.tmp\" \"runs/$id/exit_status\"\n"
    "    return $rc\n"
    "}\n"
    "i=$((SLURM_ARRAY_TASK_ID * b + 1))\n"
    "last=$((i + b - 1))\n"
    "status=0\n"
    "set -f\n"
    "while [ \"$i\" -le \"$last\" ]; do\n"
    "    line=$(sed -n \"${i}p\" \"$list\")\n"
    "    [ -n \"$line\" ] || break\n"
    "    IFS=$tab\n"
    "    set -- $line\n"
    "    unset IFS\n"
    "    run_one \"$@\" || status=$?\n"
    "    i=$((i + 1))\n"
    "done\n"
    "exit $status\n";

static int write_text(const char *path, const char *text, mode_t mode, char *err, size_t err_len)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        return FB_ERR_IO;
    }
    chmod(path, mode);
    return 0;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    nanosleep(&ts, NULL); /* a signal cuts it short: fine */
}

/* Jobs an earlier, interrupted sweep left in the queue would write the same runs: cancel them. */
static void cancel_recorded(const char *jobs_file)
{
    FILE *f = fopen(jobs_file, "r");
    if (!f)
        return;
    char line[64];
    while (fgets(line, sizeof line, f)) {
        chomp(line);
        if (!line[0])
            continue;
        const char *argv[] = {"scancel", line, NULL};
        char out[256], e[256];
        capture(argv, out, sizeof out, e, sizeof e);
    }
    fclose(f);
}

static void cancel(const char *job)
{
    const char *argv[] = {"scancel", job, NULL};
    char out[256], e[256];
    capture(argv, out, sizeof out, e, sizeof e);
}

/* True when runs/<id>/exit_status under dir was written by job (this round's array): the run
 * has ended, its status in *status. A file from an earlier round, an earlier campaign or a
 * cancelled job names another job (or none) and does not count. */
static bool ended_in_job(const char *dir, const char *id, const char *job, int *status)
{
    char path[4200], line[128];
    snprintf(path, sizeof path, "%s/runs/%s/exit_status", dir, id);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    int st = -1;
    bool ours = false;
    while (fgets(line, sizeof line, f)) {
        chomp(line);
        if (strncmp(line, "exit ", 5) == 0)
            st = atoi(line + 5);
        else if (strncmp(line, "job ", 4) == 0)
            ours = strcmp(line + 4, job) == 0;
    }
    fclose(f);
    if (!ours || st < 0)
        return false;
    *status = st;
    return true;
}

static int slurm_run(const fb_exec_opts *o, const fb_exec_task *t, size_t n, bool *done,
                     char *err, size_t err_len)
{
    char sdir[4096], script[4200], jobs_file[4200];
    snprintf(sdir, sizeof sdir, "%s/slurm", o->dir);
    if (mkdir(sdir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", sdir, strerror(errno));
        return FB_ERR_IO;
    }
    snprintf(script, sizeof script, "%s/task.sh", sdir);
    snprintf(jobs_file, sizeof jobs_file, "%s/jobs", sdir);
    int rc = write_text(script, task_script, 0755, err, err_len);
    if (rc)
        return rc;
    cancel_recorded(jobs_file);

    size_t *pending = malloc(n * sizeof *pending);
    char *state = calloc(n, 1); /* per array task: 'Q' queued, 'R' running, 0 gone */
    bool *ended = calloc(n, sizeof *ended); /* per pending run: reported this round */
    if (!pending || !state || !ended) {
        free(pending);
        free(state);
        free(ended);
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    size_t np = n, ndone = 0, nfailed = 0;
    for (size_t i = 0; i < n; i++)
        pending[i] = i;
    /* a distinct name per round keeps earlier rounds' files for the post-mortem */
    char round_tag[32];
    snprintf(round_tag, sizeof round_tag, "%ld", (long)time(NULL));
    for (unsigned attempt = 1; attempt <= o->attempts && np && !rc && !fb_exec_stop_requested();
         attempt++) {
        char list[4300], logs[4300], array[64];
        snprintf(list, sizeof list, "%s/tasks-%s-%u.txt", sdir, round_tag, attempt);
        snprintf(logs, sizeof logs, "%s/%s-%u-%%a.log", sdir, round_tag, attempt);
        FILE *f = fopen(list, "w");
        if (!f) {
            snprintf(err, err_len, "cannot write %s: %s", list, strerror(errno));
            rc = FB_ERR_IO;
            break;
        }
        for (size_t j = 0; j < np; j++) {
            const fb_exec_task *tk = &t[pending[j]];
            fputs(tk->id, f);
            for (size_t a = 0; tk->argv[a]; a++)
                fprintf(f, "\t%s", tk->argv[a]);
            fputc('\n', f);
        }
        if (fclose(f) != 0) {
            snprintf(err, err_len, "cannot write %s: %s", list, strerror(errno));
            rc = FB_ERR_IO;
            break;
        }
        /* the first round in batches; what goes round again, alone */
        size_t b = attempt == 1 ? (o->batch ? o->batch : fb_exec_auto_batch(np)) : 1;
        size_t na = (np + b - 1) / b; /* array tasks */
        char btxt[32];
        snprintf(btxt, sizeof btxt, "%zu", b);
        snprintf(array, sizeof array, "--array=0-%zu", na - 1);
        const char *argv[64 + 16];
        size_t c = 0;
        char chdir_opt[4300], out_opt[4400], part[256], tim[128], mem[128];
        snprintf(chdir_opt, sizeof chdir_opt, "--chdir=%s", o->dir);
        snprintf(out_opt, sizeof out_opt, "--output=%s", logs);
        argv[c++] = "sbatch";
        argv[c++] = "--parsable";
        argv[c++] = "--job-name=feverbench-sweep";
        argv[c++] = array;
        argv[c++] = chdir_opt;
        argv[c++] = out_opt;
        if (o->partition) {
            snprintf(part, sizeof part, "--partition=%s", o->partition);
            argv[c++] = part;
        }
        if (o->time) {
            snprintf(tim, sizeof tim, "--time=%s", o->time);
            argv[c++] = tim;
        }
        if (o->mem) {
            snprintf(mem, sizeof mem, "--mem=%s", o->mem);
            argv[c++] = mem;
        }
        for (size_t a = 0; a < o->n_sbatch_args && c < 64 + 12; a++)
            argv[c++] = o->sbatch_args[a];
        argv[c++] = script;
        argv[c++] = list;
        argv[c++] = btxt;
        argv[c] = NULL;
        char job[256], serr[1024];
        int st = capture(argv, job, sizeof job, serr, sizeof serr);
        chomp(job);
        chomp(serr);
        char *semi = strchr(job, ';'); /* "jobid;cluster" on federated clusters */
        if (semi)
            *semi = '\0';
        if (st != 0 || !job[0] || strspn(job, "0123456789") != strlen(job)) {
            snprintf(err, err_len, "sbatch %s: %s", st < 0 ? "could not be started" : "refused the job",
                     serr[0] ? serr : job);
            rc = FB_ERR_IO;
            break;
        }
        FILE *jf = fopen(jobs_file, "a");
        if (jf) {
            fprintf(jf, "%s\n", job);
            fclose(jf);
        }
        if (!o->quiet && b > 1)
            fprintf(stderr, "slurm: submitted job %s: %zu task(s) in %zu array task(s) of up to %zu, attempt %u\n",
                    job, np, na, b, attempt);
        else if (!o->quiet)
            fprintf(stderr, "slurm: submitted job %s: %zu task(s), attempt %u\n", job, np, attempt);
        for (size_t a = 0; a < na; a++)
            state[a] = 'Q';
        memset(ended, 0, np * sizeof *ended);
        size_t bad = 0; /* runs of this round that ended and are not done */
        unsigned squeue_fail = 0;
        for (;;) {
            if (fb_exec_stop_requested()) {
                cancel(job);
                break;
            }
            const char *qv[] = {"squeue", "-h", "-r", "-j", job, "-o", "%K %t", NULL};
            char out[1 << 16], qerr[512];
            int qs = capture(qv, out, sizeof out, qerr, sizeof qerr);
            if (qs != 0) {
                /* a finished job may be forgotten already ("Invalid job id"): that is done */
                if (strstr(qerr, "Invalid job id")) {
                    out[0] = '\0';
                } else if (++squeue_fail >= 10) {
                    chomp(qerr);
                    snprintf(err, err_len, "squeue failed 10 times in a row: %s", qerr);
                    cancel(job);
                    rc = FB_ERR_IO;
                    break;
                } else {
                    nap(o->poll_s);
                    continue;
                }
            }
            squeue_fail = 0;
            char *seen = calloc(na, 1);
            if (!seen) {
                rc = FB_ERR_NOMEM;
                snprintf(err, err_len, "out of memory");
                cancel(job);
                break;
            }
            for (char *p = strtok(out, "\n"); p; p = strtok(NULL, "\n")) {
                char *end;
                unsigned long k = strtoul(p, &end, 10);
                if (end == p || k >= na)
                    continue;
                while (*end == ' ')
                    end++;
                seen[k] = strncmp(end, "PD", 2) == 0 ? 'Q' : 'R';
            }
            size_t queued = 0, running = 0, alive = 0;
            for (size_t a = 0; a < na; a++) {
                size_t j0 = a * b, j1 = j0 + b < np ? j0 + b : np; /* its runs, in order */
                bool gone = state[a] && !seen[a]; /* left the queue since the last poll */
                bool started = seen[a] == 'R' || gone;
                state[a] = seen[a];
                alive += seen[a] != 0;
                /* a started task's runs are reported as each ends (its exit_status names this
                 * job); those after the first still going are waiting their turn: queued */
                bool going = false;
                for (size_t j = j0; j < j1; j++) {
                    if (ended[j])
                        continue;
                    int est = -1;
                    if (!started || going || !ended_in_job(o->dir, t[pending[j]].id, job, &est)) {
                        if (!gone) {
                            running += started && !going;
                            queued += !started || going;
                            going = started;
                            continue;
                        }
                        est = -1; /* the task has gone without it: lost */
                    }
                    const char *id = t[pending[j]].id;
                    ended[j] = true;
                    done[pending[j]] = fb_exec_is_done(o, id);
                    if (done[pending[j]])
                        ndone++;
                    else
                        bad++;
                    if (o->task_ended)
                        o->task_ended(id, est, done[pending[j]],
                                      done[pending[j]] || attempt == o->attempts ||
                                          fb_exec_stop_requested(),
                                      o->task_ended_ctx);
                }
            }
            free(seen);
            /* a failure with attempts left waits for the next round: queued, as the local pool
             * counts it; on the last round it has failed */
            if (attempt < o->attempts)
                fb_exec_progress(o, queued + bad, running, ndone, nfailed);
            else
                fb_exec_progress(o, queued, running, ndone, nfailed + bad);
            if (!alive)
                break;
            nap(o->poll_s);
        }
        /* what is not done goes round again */
        size_t k = 0;
        for (size_t j = 0; j < np; j++)
            if (!done[pending[j]])
                pending[k++] = pending[j];
        if (k && !fb_exec_stop_requested() && !rc && !o->quiet)
            fprintf(stderr, "slurm: %zu task(s) of job %s failed or were lost%s\n", k, job,
                    attempt < o->attempts ? ": submitting them again" : "");
        if (attempt == o->attempts || fb_exec_stop_requested() || rc)
            nfailed = k;
        np = k;
    }
    free(pending);
    free(state);
    free(ended);
    return rc;
}

const fb_executor_ops fb_executor_slurm = {
    .name = "slurm",
    .what = "a Slurm job array (sbatch), polled with squeue; the study folder must be shared",
    .run = slurm_run,
};
