/* link_proto.c — the bench's side of the link protocol (docs/protocol.md) over any byte stream:
 * handshake, frames, events, audit.
 *
 * Everything the DUT sends is untrusted: packets are decoded into a fixed buffer, checked by the
 * codec, matched against what the bench asked for, and counted. A malformed packet after the
 * handshake, a wrong or missing FRAME_DONE, more events than allowed, a flood, a closed link or a
 * missed deadline ends the run as a DUT fault with a message naming the frame and the cause.
 * Well-formed messages the DUT was not asked for are findings in the audit, not faults.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "../proto/fbp.h"
#include "util/interrupt.h"
#include "link_internal.h"

#define QUEUE_EVENTS    ((FB_LINK_MAX_BEHIND + 1) * FB_LINK_MAX_EVENTS)
#define FLOOD_MIN_BYTES (1u << 20) /* a DUT may send this much without a FRAME_DONE ... */
#define PING_NONCE      0x5EEDF00Du
#define RAW_TAIL        (FBP_MAX_WIRE - 1u) /* the longest packet on the wire, no delimiter */
#define MIN_WIRE        9u /* the shortest: 8 bytes and a COBS code byte */

enum phase { PH_HELLO, PH_CONFIG, PH_RUN, PH_PING, PH_BYE, PH_DONE };

typedef struct proto {
    fbl_io io;
    enum phase phase;
    fbp_decoder dec;
    uint8_t rx[FBP_MAX_RAW];
    uint8_t scratch[FBP_MAX_RAW];
    uint8_t inbuf[16384];
    size_t in_pos, in_len; /* inbuf[in_pos .. in_len) read, not yet decoded */
    /* Output: encoded packets waiting for the link, and one frame for the frame port. */
    uint8_t *tx;
    size_t tx_cap, tx_len, tx_off;
    uint8_t *frame_le; /* the frame as little-endian bytes */
    uint32_t frame_bytes;
    size_t fp_len, fp_off; /* frame port bytes pending */
    uint16_t chunk_bytes;
    bool use_frame_port;
    /* What the DUT said. */
    fbp_hello_ack hello;
    fbp_config_ack cack;
    fbp_status status;
    bool got_hello, got_cack, got_status, got_bye_ack, ended;
    /* Frames sent and not yet answered, oldest first. */
    uint32_t out_frame[FB_LINK_MAX_BEHIND + 1];
    double out_sent[FB_LINK_MAX_BEHIND + 1];
    int n_out;
    int want_out; /* lockstep wait: at most this many unanswered */
    uint32_t events_this_frame;
    uint64_t bytes_since_done, flood_limit;
    fb_event queue[QUEUE_EVENTS];
    size_t q_head, q_len;
    /* The first fault ends everything; so does a signal (SIGINT, SIGTERM), which is no fault. */
    int interrupted;
    bool fault;
    char fault_msg[400];
    long fault_frame; /* the frame outstanding when the fault happened, -1 none */
    bool err_ended;   /* the DUT's stderr pipe reached its end: no more polling it */
    /* Audit counters. */
    uint64_t tx_msgs[256], rx_msgs[256], unrequested[256];
    uint64_t tx_bytes, rx_bytes, fp_bytes;
    uint64_t proto_errors; /* malformed packets: their CRC held, their content did not */
    char first_proto_error[160];
    /* Bytes outside the protocol: what ended at a delimiter without being a packet whose CRC
     * held (a log line, a banner, line noise). The packet being read: its first bytes, its size. */
    uint8_t cur_head[FB_AUDIT_NOISE_HEAD];
    size_t cur_head_len;
    uint64_t cur_bytes;
    /* its last bytes (at least RAW_TAIL once that many came): where a packet that bytes outside
     * the protocol ran into is looked for (salvage) */
    uint8_t cur_tail[2 * RAW_TAIL];
    size_t cur_tail_len;
    uint64_t noise_bytes, noise_runs;
    uint8_t noise_head[FB_AUDIT_NOISE_HEAD]; /* the first run's first bytes */
    size_t noise_head_len;
    uint64_t noise_first_bytes; /* the first run's size */
    long noise_frame;           /* the frame outstanding at the first run, -1 none */
    char noise_where[40];       /* "at frame 5", "before the first frame" */
    uint64_t dut_errors;
    char first_dut_error[160];
    bool ping_unanswered, bye_unanswered;
    double t_open; /* monotonic time the link opened */
} proto;

static void set_fault(proto *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_fault(proto *p, const char *fmt, ...)
{
    if (p->fault)
        return;
    p->fault = true;
    p->fault_frame = p->phase == PH_RUN && p->n_out ? (long)p->out_frame[0] : -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->fault_msg, sizeof p->fault_msg, fmt, ap);
    va_end(ap);
}

/* What the bench is waiting for, for messages ("while waiting for FRAME_DONE of frame 5"). */
static void waiting_for(const proto *p, char *buf, size_t len)
{
    switch (p->phase) {
    case PH_HELLO:
        snprintf(buf, len, "HELLO_ACK");
        break;
    case PH_CONFIG:
        snprintf(buf, len, "CONFIG_ACK");
        break;
    case PH_RUN:
        if (p->n_out)
            snprintf(buf, len, "FRAME_DONE of frame %u", (unsigned)p->out_frame[0]);
        else
            snprintf(buf, len, "nothing (between frames)");
        break;
    case PH_PING:
        snprintf(buf, len, "STATUS");
        break;
    case PH_BYE:
        snprintf(buf, len, "BYE_ACK");
        break;
    default:
        snprintf(buf, len, "nothing");
        break;
    }
}

/* ---- output ------------------------------------------------------------------------------- */

static int queue_msg(proto *p, const fbp_msg *m)
{
    if (p->tx_cap - p->tx_len < FBP_MAX_WIRE) {
        if (p->tx_off > 0) { /* compact what is already sent */
            memmove(p->tx, p->tx + p->tx_off, p->tx_len - p->tx_off);
            p->tx_len -= p->tx_off;
            p->tx_off = 0;
        }
        if (p->tx_cap - p->tx_len < FBP_MAX_WIRE)
            return FB_ERR_NOMEM;
    }
    int n = fbp_encode(m, p->tx + p->tx_len, p->tx_cap - p->tx_len, p->scratch, sizeof p->scratch);
    if (n < 0)
        return FB_ERR_ARG;
    p->tx_len += (size_t)n;
    p->tx_msgs[m->type]++;
    return FB_OK;
}

/* ---- input -------------------------------------------------------------------------------- */

static void count_proto_error(proto *p, int code, size_t len)
{
    p->proto_errors++;
    if (p->proto_errors == 1) {
        if (len >= 1 && code != FBP_ERR_OVERSIZE && code != FBP_ERR_COBS)
            snprintf(p->first_proto_error, sizeof p->first_proto_error,
                     "%s (packet of %zu bytes, type 0x%02X)", fbp_strerror(code), len,
                     (unsigned)p->rx[0]);
        else if (code == FBP_ERR_OVERSIZE)
            snprintf(p->first_proto_error, sizeof p->first_proto_error, "%s (more than %u bytes)",
                     fbp_strerror(code), (unsigned)FBP_MAX_RAW);
        else
            snprintf(p->first_proto_error, sizeof p->first_proto_error, "%s", fbp_strerror(code));
    }
}

/* Bytes that ended at a delimiter without making a packet whose CRC held: outside the protocol
 * (docs/protocol.md §6), a finding, not a fault; the framing resynchronises at the delimiter.
 * cur_bytes, cur_head: the run. */
static void on_noise(proto *p)
{
    if (p->noise_runs++ == 0) {
        memcpy(p->noise_head, p->cur_head, p->cur_head_len);
        p->noise_head_len = p->cur_head_len;
        p->noise_first_bytes = p->cur_bytes;
        p->noise_frame = p->phase == PH_RUN && p->n_out ? (long)p->out_frame[0] : -1;
        if (p->noise_frame >= 0)
            snprintf(p->noise_where, sizeof p->noise_where, "at frame %ld", p->noise_frame);
        else
            snprintf(p->noise_where, sizeof p->noise_where, "%s",
                     p->phase < PH_RUN    ? "before the first frame"
                     : p->phase == PH_RUN ? "between frames"
                                          : "after the last frame");
    }
    p->noise_bytes += p->cur_bytes;
}

static void on_packet(fb_link *l, proto *p, size_t len);

/* A run that made no packet may be bytes outside the protocol with no delimiter after them (a
 * log line) followed by a whole packet: the longest tail of the run that decodes to a packet
 * whose every check holds is that packet, and only what comes before it is outside the
 * protocol. A tail of random bytes passes the CRC-32C once in 2^32. */
static void salvage(fb_link *l, proto *p)
{
    size_t w = p->cur_tail_len;
    size_t s0 = w > RAW_TAIL ? w - RAW_TAIL : p->cur_bytes > w ? 0 : 1; /* not the whole run */
    for (size_t s = s0; w >= MIN_WIRE && s <= w - MIN_WIRE; s++) {
        fbp_decoder d;
        size_t used;
        fbp_decoder_init(&d, p->rx, sizeof p->rx);
        if (fbp_decoder_feed(&d, p->cur_tail + s, w - s, &used) != 0 || used != w - s)
            continue;
        int n = fbp_decoder_put(&d, 0);
        fbp_msg m;
        if (n <= 0 || fbp_unpack(p->rx, (size_t)n, &m) < 0)
            continue;
        uint64_t outside = p->cur_bytes - (w - s);
        p->cur_bytes = outside;
        if (p->cur_head_len > outside)
            p->cur_head_len = (size_t)outside;
        on_noise(p);
        on_packet(l, p, (size_t)n);
        return;
    }
    on_noise(p);
}

static void on_bad_packet(fb_link *l, proto *p, int code, size_t len)
{
    /* A packet whose CRC holds (a bad header byte, type or payload) is the DUT speaking: a
     * malformed one is a fault at once (before HELLO_ACK too, rather than a silence until the
     * handshake times out). Anything else (too long, broken COBS, too short, a wrong CRC) is
     * bytes outside the protocol: a boot banner, a log line, line noise. */
    bool crc_held = code == FBP_ERR_HEADER || code == FBP_ERR_TYPE || code == FBP_ERR_PAYLOAD;
    if (!crc_held) {
        salvage(l, p);
        return;
    }
    count_proto_error(p, code, len);
    char w[80];
    waiting_for(p, w, sizeof w);
    char what[160];
    if (len >= 1 && code != FBP_ERR_OVERSIZE && code != FBP_ERR_COBS)
        snprintf(what, sizeof what, "%s (packet of %zu bytes, type 0x%02X)", fbp_strerror(code),
                 len, (unsigned)p->rx[0]);
    else if (code == FBP_ERR_OVERSIZE)
        snprintf(what, sizeof what, "%s (more than %u bytes)", fbp_strerror(code),
                 (unsigned)FBP_MAX_RAW);
    else
        snprintf(what, sizeof what, "%s", fbp_strerror(code));
    set_fault(p, "DUT sent a malformed packet while the bench waited for %s: %s", w, what);
}

static void on_event(fb_link *l, proto *p, const fbp_event *e)
{
    if (p->phase != PH_RUN || p->n_out == 0) {
        p->unrequested[FBP_EVENT]++;
        return;
    }
    char why[120];
    if (fb_event_check_count(++p->events_this_frame, p->out_frame[0], why, sizeof why)) {
        set_fault(p, "%s", why);
        return;
    }
    if (p->q_len >= QUEUE_EVENTS) { /* cannot happen: bounded by MAX_BEHIND frames of events */
        set_fault(p, "DUT event queue overflow at frame %u", (unsigned)p->out_frame[0]);
        return;
    }
    fb_event *q = &p->queue[(p->q_head + p->q_len++) % QUEUE_EVENTS];
    memset(q, 0, sizeof *q);
    q->ev.kind = e->kind;
    q->ev.alarm = e->alarm;
    q->ev.status = e->status;
    q->ev.frame = e->frame;
    q->ev.track_id = e->track_id;
    q->ev.box_x = e->box_x;
    q->ev.box_y = e->box_y;
    q->ev.box_w = e->box_w;
    q->ev.box_h = e->box_h;
    q->ev.skin_ck = e->skin_ck;
    q->ev.body_ck = e->body_ck;
    fb_link_stamp(l, q);
    if (l->opts.pacing == FB_PACING_LOCKSTEP)
        q->arrival_frame = p->out_frame[0]; /* frames are answered in order */
}

static void on_frame_done(fb_link *l, proto *p, const fbp_frame_done *d)
{
    if (p->phase != PH_RUN) {
        p->unrequested[FBP_FRAME_DONE]++;
        return;
    }
    if (p->n_out == 0) {
        set_fault(p, "DUT sent FRAME_DONE for frame %u, but no frame was outstanding",
                  (unsigned)d->frame_no);
        return;
    }
    uint32_t want = p->out_frame[0];
    if (d->frame_no != want) {
        set_fault(p, "DUT sent FRAME_DONE for frame %u, but frame %u was the one outstanding",
                  (unsigned)d->frame_no, (unsigned)want);
        return;
    }
    if (d->result == -100) {
        set_fault(p, "DUT lost frame %u on the link (it reported: %s)", (unsigned)want,
                  p->dut_errors ? p->first_dut_error : "no detail");
        return;
    }
    if (d->result < 0) {
        set_fault(p, "firmware returned error %d for frame %u", (int)d->result, (unsigned)want);
        return;
    }
    if (d->n_events != p->events_this_frame) {
        set_fault(p, "FRAME_DONE for frame %u announced %u events, but %u arrived", (unsigned)want,
                  (unsigned)d->n_events, (unsigned)p->events_this_frame);
        return;
    }
    if (d->proc_us != 0xFFFFFFFFu) {
        l->dut_proc_s += (double)d->proc_us * 1e-6;
        l->dut_proc_frames++;
    }
    memmove(p->out_frame, p->out_frame + 1, (size_t)(p->n_out - 1) * sizeof p->out_frame[0]);
    memmove(p->out_sent, p->out_sent + 1, (size_t)(p->n_out - 1) * sizeof p->out_sent[0]);
    p->n_out--;
    p->events_this_frame = 0;
    p->bytes_since_done = 0;
}

static void on_packet(fb_link *l, proto *p, size_t len)
{
    fbp_msg m;
    int rc = fbp_unpack(p->rx, len, &m);
    if (rc < 0) {
        on_bad_packet(l, p, rc, len);
        return;
    }
    p->rx_msgs[m.type]++;
    if (!(m.type & FBP_FROM_DUT)) { /* a message only the bench sends: counted for the audit */
        p->unrequested[m.type]++;
        return;
    }
    switch (m.type) {
    case FBP_HELLO_ACK:
        if (p->phase == PH_HELLO && !p->got_hello) {
            p->hello = m.u.hello_ack;
            p->got_hello = true;
        } else {
            p->unrequested[m.type]++;
        }
        break;
    case FBP_CONFIG_ACK:
        if (p->phase == PH_CONFIG && !p->got_cack) {
            p->cack = m.u.config_ack;
            p->got_cack = true;
        } else {
            p->unrequested[m.type]++;
        }
        break;
    case FBP_EVENT:
        on_event(l, p, &m.u.event);
        break;
    case FBP_FRAME_DONE:
        on_frame_done(l, p, &m.u.frame_done);
        break;
    case FBP_STATUS:
        if (p->phase == PH_PING && !p->got_status && m.u.status.nonce == PING_NONCE) {
            p->status = m.u.status;
            p->got_status = true;
        } else {
            p->unrequested[m.type]++;
        }
        break;
    case FBP_BYE_ACK:
        if (p->phase == PH_BYE && !p->got_bye_ack)
            p->got_bye_ack = true;
        else
            p->unrequested[m.type]++;
        break;
    case FBP_ERROR_DUT:
        if (p->dut_errors++ == 0)
            snprintf(p->first_dut_error, sizeof p->first_dut_error, "error %u at frame %ld: %s",
                     (unsigned)m.u.error.code,
                     m.u.error.frame_no == 0xFFFFFFFFu ? -1L : (long)m.u.error.frame_no,
                     m.u.error.text[0] ? m.u.error.text : "(no text)");
        if (m.u.error.fatal)
            set_fault(p, "DUT reported a fatal error %u: %s", (unsigned)m.u.error.code,
                      m.u.error.text[0] ? m.u.error.text : "(no text)");
        break;
    default:
        break;
    }
}

/* The link ended (EOF or an error): a fault unless the DUT had said BYE_ACK. */
static void on_end(proto *p, const char *how)
{
    p->ended = true;
    if (p->phase == PH_DONE || (p->phase == PH_BYE && p->got_bye_ack))
        return;
    char w[80], what[200] = "";
    waiting_for(p, w, sizeof w);
    if (p->io.describe_end)
        p->io.describe_end(p->io.ctx, what, sizeof what);
    if (p->phase == PH_PING || p->phase == PH_BYE) {
        /* Closing: not a fault any more, a finding. */
        p->ping_unanswered = p->phase == PH_PING;
        p->bye_unanswered = true;
        return;
    }
    set_fault(p, "DUT closed the link (%s%s%s) while the bench waited for %s", how,
              what[0] ? "; " : "", what, w);
}

/* Keeps the first bytes and the size of the packet being read (what the decoder consumed;
 * ended: the last byte is the delimiter that ended it). A lone delimiter before starts afresh. */
static void track_raw(proto *p, const uint8_t *in, size_t n, bool ended)
{
    for (size_t i = 0; i < n - (ended ? 1u : 0u); i++) {
        if (in[i] == 0) {
            p->cur_head_len = p->cur_tail_len = 0;
            p->cur_bytes = 0;
            continue;
        }
        if (p->cur_head_len < sizeof p->cur_head)
            p->cur_head[p->cur_head_len++] = in[i];
        if (p->cur_tail_len == sizeof p->cur_tail) { /* keep the last RAW_TAIL */
            memmove(p->cur_tail, p->cur_tail + RAW_TAIL, RAW_TAIL);
            p->cur_tail_len = RAW_TAIL;
        }
        p->cur_tail[p->cur_tail_len++] = in[i];
        p->cur_bytes++;
    }
}

/* Decodes buffered input, but stops as soon as done(p) holds: what comes after the answer the
 * bench waits for is judged in the next exchange, whenever it happened to be read. That makes
 * the frame a fault is reported at independent of timing. */
static void process_input(fb_link *l, proto *p, bool (*done)(const proto *))
{
    while (p->in_pos < p->in_len && !p->fault && !done(p)) {
        size_t used;
        int n = fbp_decoder_feed(&p->dec, p->inbuf + p->in_pos, p->in_len - p->in_pos, &used);
        track_raw(p, p->inbuf + p->in_pos, used, n != 0);
        p->in_pos += used;
        p->bytes_since_done += used;
        if (n > 0)
            on_packet(l, p, (size_t)n);
        else if (n < 0)
            on_bad_packet(l, p, n, 0);
        if (n != 0)
            p->cur_head_len = p->cur_tail_len = p->cur_bytes = 0;
        if (!p->fault && p->bytes_since_done > p->flood_limit) {
            char w[80];
            waiting_for(p, w, sizeof w);
            set_fault(p,
                      "DUT flooded the link: more than %llu bytes without a FRAME_DONE while the "
                      "bench waited for %s",
                      (unsigned long long)p->flood_limit, w);
        }
    }
}

static void read_input(fb_link *l, proto *p, bool (*done)(const proto *))
{
    for (int rounds = 0; rounds < 64 && !p->fault && !p->ended; rounds++) {
        process_input(l, p, done);
        if (p->fault || done(p) || p->in_pos < p->in_len)
            return;
        long got = p->io.read(p->io.ctx, p->inbuf, sizeof p->inbuf);
        if (got == 0)
            return;
        if (got < 0) {
            on_end(p, errno ? strerror(errno) : "end of stream");
            return;
        }
        p->rx_bytes += (uint64_t)got;
        p->in_pos = 0;
        p->in_len = (size_t)got;
    }
}

/* Moves bytes both ways until done(p), the deadline, a fault, the end of the link or a signal.
 * Returns 1 when done, 0 at the deadline, -1 on a fault or the end, -2 on a signal (the signal
 * descriptor is in every poll set: the bench stops waiting at once, whatever the deadline). */
static int pump(fb_link *l, proto *p, bool (*done)(const proto *), double deadline)
{
    for (;;) {
        if (p->interrupted || (p->interrupted = fb_interrupt_signal()) != 0)
            return -2;
        process_input(l, p, done); /* what was read but not yet needed */
        if (p->fault)
            return -1;
        if (done(p))
            return 1;
        if (p->ended)
            return -1;
        double now = fb_link_now();
        if (now >= deadline)
            return 0;
        struct pollfd fds[6];
        int nfds = 0, ri = -1, wi = -1, fi = -1;
        bool want_w = p->tx_off < p->tx_len, want_f = p->fp_off < p->fp_len;
        fds[nfds] = (struct pollfd){.fd = p->io.rfd, .events = POLLIN};
        ri = nfds++;
        if (want_w) {
            if (p->io.wfd == p->io.rfd) {
                fds[ri].events |= POLLOUT;
                wi = ri;
            } else {
                fds[nfds] = (struct pollfd){.fd = p->io.wfd, .events = POLLOUT};
                wi = nfds++;
            }
        }
        if (want_f) {
            fds[nfds] = (struct pollfd){.fd = p->io.frame_fd, .events = POLLOUT};
            fi = nfds++;
        }
        if (fb_interrupt_fd() >= 0)
            fds[nfds++] = (struct pollfd){.fd = fb_interrupt_fd(), .events = POLLIN};
        int xi = -1, ei = -1;
        if (p->io.watch_fd >= 0) {
            xi = nfds;
            fds[nfds++] = (struct pollfd){.fd = p->io.watch_fd, .events = POLLIN};
        }
        if (p->io.err && p->io.err->fd >= 0 && !p->err_ended) {
            ei = nfds;
            fds[nfds++] = (struct pollfd){.fd = p->io.err->fd, .events = POLLIN};
        }
        double left_ms = ceil((deadline - now) * 1000.0);
        int timeout = left_ms > 1000.0 ? 1000 : (int)left_ms;
        int rc = poll(fds, (nfds_t)nfds, timeout < 1 ? 1 : timeout);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            set_fault(p, "cannot wait for the DUT: %s", strerror(errno));
            return -1;
        }
        if (rc == 0)
            continue;
        if (ei >= 0 && (fds[ei].revents & (POLLIN | POLLHUP | POLLERR)))
            p->err_ended = fb_dut_stderr_relay(p->io.err) == 0;
        if (fds[ri].revents & (POLLIN | POLLHUP | POLLERR))
            read_input(l, p, done);
        if (xi >= 0 && (fds[xi].revents & POLLIN) && p->io.on_watch)
            /* at the frame the DUT is working on (the oldest unanswered), not the latest sent;
             * after the input that came with it, so a FRAME_DONE the DUT sent before its attempt
             * counts (the MCU's UART through QEMU lags) */
            p->io.on_watch(p->io.ctx, p->phase == PH_RUN && p->n_out ? p->out_frame[0] : l->last_frame,
                           now - p->t_open);
        if (wi >= 0 && (fds[wi].revents & (POLLOUT | POLLERR)) && !p->fault && !p->ended) {
            long w = p->io.write(p->io.ctx, p->tx + p->tx_off, p->tx_len - p->tx_off);
            if (w < 0)
                on_end(p, errno ? strerror(errno) : "write failed");
            else {
                p->tx_off += (size_t)w;
                p->tx_bytes += (uint64_t)w;
                if (p->tx_off == p->tx_len)
                    p->tx_off = p->tx_len = 0;
            }
        }
        if (fi >= 0 && (fds[fi].revents & (POLLOUT | POLLERR)) && !p->fault) {
            ssize_t w = write(p->io.frame_fd, p->frame_le + p->fp_off, p->fp_len - p->fp_off);
            if (w < 0 && errno != EAGAIN && errno != EINTR)
                set_fault(p, "cannot write the frame port: %s", strerror(errno));
            else if (w > 0) {
                p->fp_off += (size_t)w;
                p->fp_bytes += (uint64_t)w;
            }
        }
    }
}

static bool never(const proto *p)
{
    (void)p;
    return false;
}
static bool tx_drained(const proto *p)
{
    return p->tx_off >= p->tx_len && p->fp_off >= p->fp_len;
}
static bool outstanding_ok(const proto *p)
{
    return p->n_out <= p->want_out && (p->want_out > 0 || tx_drained(p));
}
static bool have_hello(const proto *p)
{
    return p->got_hello;
}
static bool have_cack(const proto *p)
{
    return p->got_cack;
}
static bool have_status(const proto *p)
{
    return p->got_status;
}
static bool have_bye_ack(const proto *p)
{
    return p->got_bye_ack;
}

static int interrupted_out(proto *p, char *err, size_t err_len)
{
    char w[80];
    waiting_for(p, w, sizeof w);
    snprintf(err, err_len, "interrupted by signal %d (%s) while the bench waited for %s",
             p->interrupted, strsignal(p->interrupted), w);
    return FB_ERR_INTERRUPTED;
}

/* The fault as an error; the link learns the frame it concerns (run.c reports it there). */
static int fault_out(fb_link *l, proto *p, char *err, size_t err_len)
{
    if (p->fault_frame >= 0)
        l->fault_frame = (uint32_t)p->fault_frame;
    snprintf(err, err_len, "%s", p->fault_msg);
    return FB_ERR_DUT;
}

/* ---- the ops ------------------------------------------------------------------------------ */

int fbl_proto_open(fb_link *l, const fbl_io *io, char *err, size_t err_len)
{
    proto *p = calloc(1, sizeof *p);
    if (!p) {
        if (io->close)
            io->close(io->ctx);
        snprintf(err, err_len, "out of memory for the DUT link");
        return FB_ERR_NOMEM;
    }
    p->io = *io;
    p->t_open = fb_link_now();
    p->noise_frame = -1;
    l->priv = p;
    fbp_decoder_init(&p->dec, p->rx, sizeof p->rx);
    const fbfw_config *c = &l->cfg;
    p->frame_bytes = (uint32_t)c->width * c->height * 2u;
    p->tx_cap = 16u * FBP_MAX_WIRE; /* the handshake; grown once the chunk size is agreed */
    p->tx = malloc(p->tx_cap);
    p->frame_le = malloc(p->frame_bytes ? p->frame_bytes : 1);
    uint64_t twice = 2u * (uint64_t)p->frame_bytes + 65536u;
    p->flood_limit = twice > FLOOD_MIN_BYTES ? twice : FLOOD_MIN_BYTES;
    if (!p->tx || !p->frame_le) {
        snprintf(err, err_len, "out of memory for the DUT link buffers");
        return FB_ERR_NOMEM;
    }
    double hs = l->opts.handshake_timeout_s;

    /* A lone 0x00 first: whatever the DUT's decoder held is dropped. */
    p->tx[p->tx_len++] = 0;
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_HELLO;
    m.u.hello.magic = FBP_MAGIC;
    m.u.hello.major = FBP_VERSION_MAJOR;
    m.u.hello.minor = FBP_VERSION_MINOR;
    m.u.hello.max_payload = FBP_MAX_PAYLOAD;
    m.u.hello.caps = io->frame_fd >= 0 ? FBP_CAP_FRAME_PORT : 0;
    queue_msg(p, &m);
    p->phase = PH_HELLO;
    int rc = pump(l, p, have_hello, fb_link_now() + hs);
    if (rc == -2)
        return interrupted_out(p, err, err_len);
    if (rc == 0)
        set_fault(p, "DUT did not answer HELLO within %g s (dut.handshake_timeout_s)", hs);
    if (p->fault)
        return fault_out(l, p, err, err_len);
    snprintf(l->dut_name, sizeof l->dut_name, "%s", p->hello.name);
    if (p->hello.major != FBP_VERSION_MAJOR) {
        set_fault(p, "DUT \"%s\" speaks protocol version %u.%u; the bench speaks %u.%u",
                  p->hello.name, (unsigned)p->hello.major, (unsigned)p->hello.minor,
                  FBP_VERSION_MAJOR, FBP_VERSION_MINOR);
        return fault_out(l, p, err, err_len);
    }
    uint32_t chunk = p->hello.max_payload - FBP_CHUNK_HEADER;
    if (chunk > FBP_CHUNK_MAX_DATA)
        chunk = FBP_CHUNK_MAX_DATA;
    p->chunk_bytes = (uint16_t)(chunk & ~1u);
    p->use_frame_port = (p->hello.caps & FBP_CAP_FRAME_PORT) && io->frame_fd >= 0;
    if (fbp_chunk_count(p->frame_bytes, p->chunk_bytes) > 0xFFFFu) {
        set_fault(p,
                  "DUT accepts payloads of only %u bytes: a %ux%u frame needs more than 65535 "
                  "chunks",
                  (unsigned)p->hello.max_payload, (unsigned)c->width, (unsigned)c->height);
        return fault_out(l, p, err, err_len);
    }
    /* Room for one frame in chunks of the agreed size, and a few control messages. */
    size_t need = (size_t)fbp_chunk_count(p->frame_bytes, p->chunk_bytes) *
                      (p->chunk_bytes + FBP_CHUNK_HEADER + 16u) +
                  8u * FBP_MAX_WIRE;
    if (need > p->tx_cap) {
        uint8_t *t = realloc(p->tx, need);
        if (!t) {
            snprintf(err, err_len, "out of memory for the DUT link buffers");
            return FB_ERR_NOMEM;
        }
        p->tx = t;
        p->tx_cap = need;
    }

    memset(&m, 0, sizeof m);
    m.type = FBP_CONFIG;
    fbp_config *fc = &m.u.config;
    fc->api_version = c->api_version;
    fc->width = c->width;
    fc->height = c->height;
    fc->fps_milli = c->fps_milli;
    fc->focal_px_milli = c->focal_px_milli;
    fc->bb_x = c->bb_x;
    fc->bb_y = c->bb_y;
    fc->bb_w = c->bb_w;
    fc->bb_h = c->bb_h;
    fc->bb_set_ck = c->bb_set_ck;
    fc->alarm_threshold_ck = c->alarm_threshold_ck;
    fc->body_offset_ck = c->body_offset_ck;
    fc->chunk_bytes = p->chunk_bytes;
    fc->flags = p->use_frame_port ? FBP_CFG_FRAME_PORT : 0;
    if (queue_msg(p, &m) != FB_OK) {
        snprintf(err, err_len, "camera %ux%u cannot be described in a CONFIG message",
                 (unsigned)c->width, (unsigned)c->height);
        return FB_ERR_ARG;
    }
    p->phase = PH_CONFIG;
    rc = pump(l, p, have_cack, fb_link_now() + hs);
    if (rc == -2)
        return interrupted_out(p, err, err_len);
    if (rc == 0)
        set_fault(p, "DUT did not answer CONFIG within %g s (dut.handshake_timeout_s)", hs);
    if (p->fault)
        return fault_out(l, p, err, err_len);
    if (p->cack.result < 0) {
        set_fault(p, "DUT \"%s\" rejected the configuration (%ux%u at %.3g fps): error %d",
                  p->hello.name, (unsigned)c->width, (unsigned)c->height,
                  (double)c->fps_milli / 1000.0, (int)p->cack.result);
        return fault_out(l, p, err, err_len);
    }
    p->phase = PH_RUN;
    p->bytes_since_done = 0;
    l->lookahead = io->lookahead; /* the DUT works on frame n while the bench renders n+1 */
    return FB_OK;
}

int fbl_proto_send_frame(fb_link *l, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                         char *err, size_t err_len)
{
    proto *p = l->priv;
    if (p->fault)
        return fault_out(l, p, err, err_len);
    /* Realtime: the previous frame must be on its way, and the DUT not too far behind. */
    if (!tx_drained(p)) {
        int rc = pump(l, p, tx_drained, fb_link_now() + l->opts.frame_timeout_s);
        if (rc == -2)
            return interrupted_out(p, err, err_len);
        if (rc == 0)
            set_fault(p, "DUT did not take frame %u within %g s (dut.frame_timeout_s)",
                      (unsigned)p->out_frame[p->n_out - 1], l->opts.frame_timeout_s);
        if (p->fault)
            return fault_out(l, p, err, err_len);
    }
    if (p->n_out >= FB_LINK_MAX_BEHIND) {
        set_fault(p, "DUT fell %d frames behind (frame %u still unanswered when frame %u was due)",
                  FB_LINK_MAX_BEHIND, (unsigned)p->out_frame[0], (unsigned)frame_no);
        return fault_out(l, p, err, err_len);
    }
    const uint16_t probe = 1;
    if (*(const uint8_t *)&probe == 1) { /* a little-endian bench: the bytes as they are */
        memcpy(p->frame_le, frame_ck, p->frame_bytes);
    } else {
        for (uint32_t i = 0; i < p->frame_bytes / 2u; i++) {
            p->frame_le[2 * i] = (uint8_t)(frame_ck[i] & 0xFFu);
            p->frame_le[2 * i + 1] = (uint8_t)(frame_ck[i] >> 8);
        }
    }
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_FRAME_START;
    m.u.frame_start.frame_no = frame_no;
    m.u.frame_start.flags = flags & FBP_FRAME_FROZEN;
    if (p->use_frame_port) {
        m.u.frame_start.crc32 = fbp_crc32(0, p->frame_le, p->frame_bytes);
        /* Frame port first, so the pixels are there when FRAME_START tells the DUT to read. */
        p->fp_len = p->frame_bytes;
        p->fp_off = 0;
        m.u.frame_start.n_chunks = 0;
        queue_msg(p, &m);
    } else {
        uint32_t n_chunks = fbp_chunk_count(p->frame_bytes, p->chunk_bytes);
        m.u.frame_start.n_chunks = (uint16_t)n_chunks;
        queue_msg(p, &m);
        uint32_t off = 0;
        for (uint32_t i = 0; i < n_chunks; i++) {
            uint32_t n = p->frame_bytes - off;
            if (n > p->chunk_bytes)
                n = p->chunk_bytes;
            fbp_msg c;
            memset(&c, 0, sizeof c);
            c.type = FBP_FRAME_CHUNK;
            c.u.chunk.frame_no = frame_no;
            c.u.chunk.index = (uint16_t)i;
            c.u.chunk.n_bytes = (uint16_t)n;
            c.u.chunk.data = p->frame_le + off;
            if (queue_msg(p, &c) != FB_OK) {
                snprintf(err, err_len, "internal: link buffer too small for frame %u",
                         (unsigned)frame_no);
                return FB_ERR_NOMEM;
            }
            off += n;
        }
    }
    p->out_frame[p->n_out] = frame_no;
    p->out_sent[p->n_out] = fb_link_now();
    p->n_out++;
    return FB_OK;
}

int fbl_proto_poll(fb_link *l, int wait, double deadline, fb_event *out, int max, int *n, char *err,
                   size_t err_len)
{
    proto *p = l->priv;
    double timeout = l->opts.frame_timeout_s;
    int rc;
    if (wait >= 0) {
        /* Lockstep: until at most `wait` frames are unanswered; each has its own deadline. */
        p->want_out = wait;
        for (;;) {
            double d = p->n_out ? p->out_sent[0] + timeout : fb_link_now() + timeout;
            rc = pump(l, p, outstanding_ok, d);
            if (rc != 0)
                break;
            if (p->n_out && fb_link_now() >= p->out_sent[0] + timeout) {
                if (p->n_out == 1 && !tx_drained(p))
                    set_fault(p, "DUT did not take frame %u within %g s (dut.frame_timeout_s)",
                              (unsigned)p->out_frame[0], timeout);
                else
                    set_fault(
                        p, "DUT sent no FRAME_DONE for frame %u within %g s (dut.frame_timeout_s)",
                        (unsigned)p->out_frame[0], timeout);
                break;
            }
        }
    } else {
        /* Realtime: move bytes until the deadline; the oldest unanswered frame has its own. */
        for (;;) {
            double d = deadline;
            if (p->n_out && p->out_sent[0] + timeout < d)
                d = p->out_sent[0] + timeout;
            rc = pump(l, p, never, d);
            if (rc < 0)
                break;
            double now = fb_link_now();
            if (p->n_out && p->out_sent[0] + timeout <= now) {
                set_fault(p,
                          "DUT sent no FRAME_DONE for frame %u within %g s (dut.frame_timeout_s)",
                          (unsigned)p->out_frame[0], timeout);
                break;
            }
            if (now >= deadline)
                break;
        }
    }
    /* Lockstep hands out only answered frames' events (deterministic per call); realtime all. */
    bool lockstep = l->opts.pacing == FB_PACING_LOCKSTEP;
    while (p->q_len && *n < max) {
        const fb_event *e = &p->queue[p->q_head];
        if (lockstep && p->n_out && e->arrival_frame == p->out_frame[0])
            break;
        out[(*n)++] = *e;
        p->q_head = (p->q_head + 1) % QUEUE_EVENTS;
        p->q_len--;
    }
    if (p->fault)
        return fault_out(l, p, err, err_len);
    if (p->interrupted)
        return interrupted_out(p, err, err_len);
    return FB_OK;
}

static void add_finding(fb_link_audit *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_finding(fb_link_audit *a, const char *fmt, ...)
{
    if (a->n_findings >= FB_AUDIT_MAX_FINDINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->findings[a->n_findings++], sizeof a->findings[0], fmt, ap);
    va_end(ap);
}

static void fill_dir(fb_audit_dir *d, const uint64_t *counts, uint64_t bytes)
{
    d->bytes = bytes;
    d->n_msgs = 0;
    for (int t = 0; t < 256 && d->n_msgs < FB_AUDIT_MAX_KINDS; t++) {
        if (!counts[t])
            continue;
        const char *name = fbp_type_name((uint8_t)t);
        fb_audit_count *c = &d->msgs[d->n_msgs++];
        if (name)
            snprintf(c->name, sizeof c->name, "%s", name);
        else
            snprintf(c->name, sizeof c->name, "0x%02X", (unsigned)t);
        c->n = counts[t];
    }
}

/* Says goodbye (PING for the DUT's own counters, then BYE) and fills the audit. */
void fbl_proto_finish(fb_link *l)
{
    proto *p = l->priv;
    if (!p)
        return;
    double hs = l->opts.handshake_timeout_s;
    bool fault_before = p->fault;
    if (!p->fault && !p->ended && p->phase == PH_RUN && !p->interrupted &&
        !(p->interrupted = fb_interrupt_signal())) {
        fbp_msg m;
        memset(&m, 0, sizeof m);
        m.type = FBP_PING;
        m.u.ping.nonce = PING_NONCE;
        queue_msg(p, &m);
        p->phase = PH_PING;
        if (pump(l, p, have_status, fb_link_now() + hs) != 1 && !p->fault && !p->interrupted)
            p->ping_unanswered = true;
        if (!p->fault && !p->ended && !p->interrupted) {
            memset(&m, 0, sizeof m);
            m.type = FBP_BYE;
            m.u.bye.reason = 0;
            queue_msg(p, &m);
            p->phase = PH_BYE;
            if (pump(l, p, have_bye_ack, fb_link_now() + hs) != 1 && !p->fault &&
                !p->interrupted)
                p->bye_unanswered = true;
        }
    } else if (!p->ended && p->phase != PH_DONE) {
        /* After a fault or a signal: a BYE (reason 1) for a DUT that still listens, no
         * waiting. */
        fbp_msg m;
        memset(&m, 0, sizeof m);
        m.type = FBP_BYE;
        m.u.bye.reason = 1;
        p->tx_off = p->tx_len = 0;
        p->fp_off = p->fp_len = 0;
        if (queue_msg(p, &m) == FB_OK)
            (void)p->io.write(p->io.ctx, p->tx, p->tx_len);
    }
    p->phase = PH_DONE;

    fb_link_audit *a = &l->audit;
    if (p->io.watch_fd >= 0 && p->io.on_watch) /* what is still pending */
        p->io.on_watch(p->io.ctx, l->last_frame, fb_link_now() - p->t_open);
    if (p->io.audit)
        p->io.audit(p->io.ctx, a);
    if (a->sandbox_violations)
        add_finding(a, "the sandbox denied %llu attempt%s by the DUT (first: %s)",
                    (unsigned long long)a->sandbox_violations,
                    a->sandbox_violations == 1 ? "" : "s",
                    a->n_attempts ? a->attempts[0].what : "?");
    fill_dir(&a->to_dut, p->tx_msgs, p->tx_bytes);
    fill_dir(&a->from_dut, p->rx_msgs, p->rx_bytes);
    a->frame_port_bytes = p->fp_bytes;
    a->protocol_errors = p->proto_errors;
    snprintf(a->first_protocol_error, sizeof a->first_protocol_error, "%s", p->first_proto_error);
    a->dut_errors = p->dut_errors;
    a->dut_rx_errors = p->got_status ? p->status.rx_errors : 0;
    for (int t = 0; t < 256; t++) {
        if (!p->unrequested[t])
            continue;
        const char *name = fbp_type_name((uint8_t)t);
        unsigned long long k = (unsigned long long)p->unrequested[t];
        if (!((unsigned)t & FBP_FROM_DUT))
            add_finding(a, "DUT sent %llu %s message%s, which only the bench sends%s", k,
                        name ? name : "?", k == 1 ? "" : "s",
                        t == FBP_FRAME_CHUNK ? " (image data coming back)" : "");
        else
            add_finding(a, "DUT sent %llu %s message%s it was not asked for", k, name ? name : "?",
                        k == 1 ? "" : "s");
    }
    if (p->cur_bytes && !p->fault) /* what the DUT sent last and never ended */
        on_noise(p);
    a->noise_bytes = p->noise_bytes;
    a->noise_runs = p->noise_runs;
    a->noise_frame = p->noise_frame;
    a->noise_head_len = p->noise_head_len;
    memcpy(a->noise_head, p->noise_head, p->noise_head_len);
    if (p->noise_runs) {
        char hex[3 * FB_AUDIT_NOISE_HEAD + 1];
        fb_link_audit_noise_hex(a, hex, sizeof hex);
        add_finding(a,
                    "DUT sent %llu byte%s outside the protocol in %llu run%s (the first %s: %s%s)",
                    (unsigned long long)p->noise_bytes, p->noise_bytes == 1 ? "" : "s",
                    (unsigned long long)p->noise_runs, p->noise_runs == 1 ? "" : "s",
                    p->noise_where, hex, p->noise_first_bytes > p->noise_head_len ? " ..." : "");
    }
    if (p->proto_errors)
        add_finding(a, "%llu malformed packet%s from the DUT (first: %s)",
                    (unsigned long long)p->proto_errors, p->proto_errors == 1 ? "" : "s",
                    p->first_proto_error);
    if (p->dut_errors)
        add_finding(a, "DUT reported %llu error%s (first: %s)", (unsigned long long)p->dut_errors,
                    p->dut_errors == 1 ? "" : "s", p->first_dut_error);
    if (p->got_status && p->status.rx_errors)
        add_finding(a, "DUT received %u malformed packets from the bench",
                    (unsigned)p->status.rx_errors);
    if (p->fault && !fault_before) /* every frame was scored; the goodbye itself failed */
        add_finding(a, "link failed while saying goodbye: %s", p->fault_msg);
    if (p->ping_unanswered && p->ended)
        add_finding(a, "DUT closed the link instead of answering PING");
    else if (p->ping_unanswered)
        add_finding(a, "DUT did not answer PING within %g s", hs);
    else if (p->bye_unanswered && p->ended)
        add_finding(a, "DUT closed the link before acknowledging BYE");
    else if (p->bye_unanswered)
        add_finding(a, "DUT did not acknowledge BYE within %g s", hs);
}

void fbl_proto_close(fb_link *l)
{
    proto *p = l->priv;
    if (!p)
        return;
    if (p->io.close)
        p->io.close(p->io.ctx);
    free(p->tx);
    free(p->frame_le);
    free(p);
    l->priv = NULL;
}
