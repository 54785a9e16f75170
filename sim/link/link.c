/* link.c — the DUT link wrapper: spec parsing, pacing, argument checks and validation of everything
 * the DUT returns. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/fb_error.h"
#include "util/interrupt.h"
#include "link.h"
#include "util/clock.h"

const fb_link_ops *const fb_link_transports[] = {&fb_link_inproc, &fb_link_exec, &fb_link_lib,
                                                 &fb_link_serial, &fb_link_qemu_mcu, NULL};

const char *fb_pacing_name(fb_pacing p)
{
    return p == FB_PACING_REALTIME ? "realtime" : "lockstep";
}

int fb_pacing_parse(const char *name, fb_pacing *out)
{
    if (strcmp(name, "lockstep") == 0)
        *out = FB_PACING_LOCKSTEP;
    else if (strcmp(name, "realtime") == 0)
        *out = FB_PACING_REALTIME;
    else
        return -1;
    return 0;
}

void fb_link_opts_default(fb_link_opts *o)
{
    o->pacing = FB_PACING_LOCKSTEP;
    o->frame_timeout_s = 5.0;
    o->handshake_timeout_s = 10.0;
}

double fb_link_now(void)
{
    return fb_clock_s();
}

void fb_link_stamp(const fb_link *l, fb_event *e)
{
    e->arrival_frame = l->last_frame;
    e->arrival_t_s = l->opts.pacing == FB_PACING_REALTIME ? fb_link_now() - l->t0 : NAN;
}

/* The transport spec names and its argument: NULL (message in err) for an empty spec or an
 * unknown transport. A library by path is a vendor's: in its sandboxed host process, never in the
 * bench. */
static const fb_link_ops *find_transport(const char *spec, const char **arg, char *err,
                                         size_t err_len)
{
    if (!spec || !*spec) {
        snprintf(err, err_len, "empty DUT spec (expected TRANSPORT:ARG, e.g. inproc:reference)");
        return NULL;
    }
    const char *colon = strchr(spec, ':');
    const fb_link_ops *ops = NULL;
    *arg = spec;
    if (colon) {
        size_t nlen = (size_t)(colon - spec);
        for (size_t i = 0; fb_link_transports[i]; i++)
            if (strlen(fb_link_transports[i]->name) == nlen &&
                strncmp(fb_link_transports[i]->name, spec, nlen) == 0)
                ops = fb_link_transports[i];
        if (!ops) {
            char names[128] = "";
            for (size_t i = 0; fb_link_transports[i]; i++) {
                strncat(names, i ? ", " : "", sizeof(names) - strlen(names) - 1);
                strncat(names, fb_link_transports[i]->name, sizeof(names) - strlen(names) - 1);
            }
            snprintf(err, err_len,
                     "DUT spec \"%s\": unknown transport \"%.*s\" (expected one of: %s)", spec,
                     (int)nlen, spec, names);
            return NULL;
        }
        *arg = colon + 1;
    } else {
        ops = &fb_link_inproc;
    }
    if (ops == &fb_link_inproc && strchr(*arg, '/'))
        ops = &fb_link_lib;
    return ops;
}

int fb_link_check(const char *spec, char *err, size_t err_len)
{
    const char *arg;
    const fb_link_ops *ops = find_transport(spec, &arg, err, err_len);
    if (!ops)
        return FB_ERR_ARG;
    return ops->check ? ops->check(arg, err, err_len) : FB_OK;
}

int fb_link_open(fb_link **out, const char *spec, const fbfw_config *cfg, const fb_link_opts *opts,
                 char *err, size_t err_len)
{
    *out = NULL;
    const char *arg;
    const fb_link_ops *ops = find_transport(spec, &arg, err, err_len);
    if (!ops)
        return FB_ERR_ARG;
    fb_link *l = calloc(1, sizeof(*l));
    if (!l) {
        snprintf(err, err_len, "out of memory opening DUT \"%s\"", spec);
        return FB_ERR_NOMEM;
    }
    l->ops = ops;
    l->cfg = *cfg;
    if (opts)
        l->opts = *opts;
    else
        fb_link_opts_default(&l->opts);
    if (!(l->opts.frame_timeout_s > 0))
        l->opts.frame_timeout_s = 5.0;
    if (!(l->opts.handshake_timeout_s > 0))
        l->opts.handshake_timeout_s = 10.0;
    snprintf(l->audit.transport, sizeof l->audit.transport, "%s", ops->name);
    snprintf(l->audit.pacing, sizeof l->audit.pacing, "%s", fb_pacing_name(l->opts.pacing));
    /* no process of ours to sandbox, unless the transport says otherwise (exec: on / off) */
    snprintf(l->audit.sandbox, sizeof l->audit.sandbox, "none");
    int rc = ops->open(l, arg, err, err_len);
    if (rc == FB_ERR_INTERRUPTED) {
        l->interrupted = true; /* kept like a fault: what crossed the link is reported */
        *out = l;
        return rc;
    }
    if (rc == FB_ERR_DUT) {
        /* Kept, so the caller can report what crossed the link before it failed. */
        l->faulted = true;
        *out = l;
        return rc;
    }
    if (rc) {
        if (l->priv && ops->close)
            ops->close(l);
        free(l);
        return rc;
    }
    *out = l;
    return FB_OK;
}

/* Validates events[first..*n) (sim/link/event_check.h, as replay does): each event's frame against the
 * frame it answers (arrival_frame: lockstep, the frame answered; realtime, the latest sent). On
 * the first bad one, *n stops before it. */
static int validate_new(fb_link *l, fb_event *events, int first, int *n, char *err, size_t err_len)
{
    for (int i = first; i < *n; i++) {
        int rc = fb_event_check(&events[i].ev, events[i].arrival_frame, l->cfg.width,
                                l->cfg.height, err, err_len);
        if (rc) {
            l->fault_frame = events[i].arrival_frame;
            l->violations++;
            l->faulted = true;
            *n = i;
            return rc;
        }
        l->events_received++;
    }
    return FB_OK;
}

/* Collects events: wait >= 0 waits until at most that many frames are unanswered. */
static int collect(fb_link *l, int wait, double deadline, fb_event *events, int max, int *n,
                   char *err, size_t err_len)
{
    int first = *n;
    int rc = l->ops->poll_events(l, wait, deadline, events, max, n, err, err_len);
    if (*n < first || *n > max) {
        l->violations++;
        l->faulted = true;
        snprintf(err, err_len, "DUT link returned %d events for frame %u (allowed 0..%d)",
                 *n - first, (unsigned)l->last_frame, max);
        *n = first;
        return FB_ERR_DUT;
    }
    int vrc = validate_new(l, events, first, n, err, err_len);
    if (rc == FB_ERR_INTERRUPTED && !vrc) {
        l->interrupted = true;
        return rc;
    }
    if (rc) {
        l->faulted = true;
        return rc;
    }
    return vrc;
}

int fb_link_exchange(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                     fb_event *events, int max, int *n, char *err, size_t err_len)
{
    *n = 0;
    if (!l || !frame_ck || !events || max <= 0) {
        snprintf(err, err_len, "fb_link_exchange: invalid argument");
        return FB_ERR_ARG;
    }
    if (l->faulted) {
        snprintf(err, err_len, "the DUT link has already failed");
        return FB_ERR_DUT;
    }
    if (l->interrupted) {
        snprintf(err, err_len, "the DUT link was interrupted by a signal");
        return FB_ERR_INTERRUPTED;
    }
    if (max > FB_LINK_MAX_EVENTS)
        max = FB_LINK_MAX_EVENTS;
    l->fault_frame = frame_no; /* unless the transport or a check names an earlier one */
    int rc;
    if (l->opts.pacing == FB_PACING_REALTIME) {
        double now = fb_link_now();
        if (l->frames_sent == 0)
            l->t0 = now - (double)frame_no * 1000.0 / (double)l->cfg.fps_milli;
        double due = l->t0 + (double)frame_no * 1000.0 / (double)l->cfg.fps_milli;
        if (l->ops->poll_events) {
            rc = collect(l, -1, due, events, max, n, err, err_len);
            if (rc)
                return rc;
        }
        int sig = fb_interrupt_sleep_until(due);
        if (sig) {
            l->interrupted = true;
            snprintf(err, err_len, "interrupted by signal %d (%s) before frame %u was due", sig,
                     strsignal(sig), (unsigned)frame_no);
            return FB_ERR_INTERRUPTED;
        }
        if (fb_link_now() > due + 1000.0 / (double)l->cfg.fps_milli)
            l->frames_late++;
    }
    rc = l->ops->send_frame(l, frame_ck, frame_no, flags, err, err_len);
    if (rc) {
        l->faulted = true;
        return rc;
    }
    l->frames_sent++;
    l->last_frame = frame_no;
    if (l->opts.pacing == FB_PACING_REALTIME)
        return collect(l, -1, fb_link_now(), events, max, n, err, err_len);
    bool last = l->frames_total && frame_no + 1u >= l->frames_total;
    return collect(l, last ? 0 : (int)l->lookahead, fb_link_now() + l->opts.frame_timeout_s, events,
                   max, n, err, err_len);
}

void fb_link_set_frames(fb_link *l, uint32_t frames_total)
{
    if (l)
        l->frames_total = frames_total;
}

static void add_finding(fb_link_audit *a, const char *msg)
{
    if (a->n_findings < FB_AUDIT_MAX_FINDINGS)
        snprintf(a->findings[a->n_findings++], sizeof a->findings[0], "%s", msg);
}

int fb_link_finish(fb_link *l, fb_event *events, int max, int *n, char *err, size_t err_len)
{
    *n = 0;
    if (!l || l->finished)
        return FB_OK;
    if (!l->faulted && !l->interrupted && l->frames_sent && l->ops->poll_events) {
        if (max > FB_LINK_MAX_EVENTS)
            max = FB_LINK_MAX_EVENTS;
        l->fault_frame = l->last_frame;
        int rc =
            collect(l, 0, fb_link_now() + l->opts.frame_timeout_s, events, max, n, err, err_len);
        if (rc && rc != FB_ERR_INTERRUPTED) /* a signal: what arrived is kept, then bye */
            return rc;
        if (!rc && *n == max)
            return 1; /* more may be queued: call again */
    }
    l->finished = true;
    if (l->ops->finish)
        l->ops->finish(l);
    fb_link_audit *a = &l->audit;
    if (l->frames_late) {
        char msg[120];
        snprintf(msg, sizeof msg, "%u frame%s sent more than a frame period late (realtime pacing)",
                 (unsigned)l->frames_late, l->frames_late == 1 ? "" : "s");
        add_finding(a, msg);
    }
    a->clean = a->n_findings == 0 && a->protocol_errors == 0 && a->noise_runs == 0 &&
               a->sandbox_violations == 0;
    return FB_OK;
}

void fb_link_close(fb_link *l)
{
    if (!l)
        return;
    if (l->ops->close)
        l->ops->close(l);
    free(l);
}

void fb_link_audit_noise_hex(const fb_link_audit *a, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < a->noise_head_len && i < FB_AUDIT_NOISE_HEAD && o + 3 < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%02x", i ? " " : "", (unsigned)a->noise_head[i]);
}
