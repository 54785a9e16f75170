/* progress.c — the redrawn status line of long commands (progress.h). */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"
#include "clock.h"

void fb_progress_start(fb_progress *p, const char *what, bool quiet)
{
    memset(p, 0, sizeof(*p));
    p->out = !quiet && isatty(STDERR_FILENO) ? stderr : NULL;
    snprintf(p->what, sizeof(p->what), "%s", what);
    p->t0_s = p->last_s = fb_clock_s();
}

/* h:mm:ss or m:ss */
static void clock_text(char *buf, size_t len, double s)
{
    long t = s > 0 && s < 1e8 ? (long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

void fb_progress_format(char *buf, size_t len, const char *what, uint32_t done, uint32_t total,
                        double fps, double wall_s)
{
    double sim_s = fps > 0 ? done / fps : 0, total_s = fps > 0 ? total / fps : 0;
    if (done == 0 || wall_s <= 0) {
        snprintf(buf, len, "%s: frame %u / %u (%.1f of %.1f s simulated)", what, (unsigned)done,
                 (unsigned)total, sim_s, total_s);
        return;
    }
    char left[32];
    clock_text(left, sizeof(left), wall_s / done * (double)(total > done ? total - done : 0));
    snprintf(buf, len, "%s: frame %u / %u (%.1f of %.1f s simulated), %.1fx real time, %s left",
             what, (unsigned)done, (unsigned)total, sim_s, total_s, sim_s / wall_s, left);
}

void fb_progress_update(fb_progress *p, uint32_t done, uint32_t total, double fps)
{
    if (!p->out)
        return;
    double now = fb_clock_s();
    if (p->drawn && now - p->last_s < 0.2)
        return;
    p->last_s = now;
    char line[200];
    fb_progress_format(line, sizeof(line), p->what, done, total, fps, now - p->t0_s);
    /* carriage return, the line, erase to its end: one line, redrawn */
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->drawn = true;
}

void fb_progress_end(fb_progress *p)
{
    if (p->out && p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->drawn = false;
}
