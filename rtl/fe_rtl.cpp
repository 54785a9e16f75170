// fe_rtl.cpp — thin C++ harness over the Verilated fb_fe_top: clocking, bus cycles, frame
// streaming, behind the C API of fe_rtl.h.
//
// Clocking: the model is Verilated with FB_FE_BOTH_EDGES, so every toggle of clk is one clock
// cycle (rtl/fb_fe_top.v). Each cycle sets the inputs, samples the handshakes, then toggles clk
// and evaluates once (the edge). The RTL promises that in_ready and the out_* signals depend on
// registers only, so the values left by the previous edge are the ones this edge acts on and
// no evaluation with the new inputs is needed before sampling.
// Verilator's $finish/$stop/fatal hooks are replaced (VL_USER_FINISH/STOP/FATAL when
// compiling verilated.cpp): they mark the instance's context finished, fatal unwinds out of
// eval() with an exception caught at the C boundary, and nothing calls exit() or abort().
#include "fe_rtl.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "Vfb_fe_top.h"
#include "fb_error.h"
#include "fb_rtl_regs.h"
#include "fe_rtl_internal.h"
#include "verilated.h"
#include "vospi.h"
#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif

struct fb_rtl {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vfb_fe_top> top;
#if VM_TRACE_FST
    std::unique_ptr<VerilatedFstC> tfp;
#endif
    bool tracing = false;
    bool dead = false;         // $finish/$stop/fatal happened: the model is no longer usable
    std::string msg;           // last error, for fb_rtl_errmsg
    std::string sim_msg;       // what the vl_* hooks reported
    int width = 0, height = 0; // configured frame size
    uint64_t budget_opt = 0;
    uint32_t valid_pat = 0xFFFFFFFFu, ready_pat = 0xFFFFFFFFu;
    uint64_t cycles = 0;
    fb_rtl_frame_stats st{};
    std::vector<uint16_t> frame; // decode target (configured size)
};

namespace
{

constexpr int RTL_PACKET_WORDS = FB_VOSPI_PACKET_BYTES / 4; // 32-bit words on out_data

struct sim_abort {
};                              // thrown by vl_fatal to leave eval()
thread_local fb_rtl *t_current; // instance being clocked on this thread

// The context the hooks act on: the instance being clocked (Verilator's thread context is
// whichever context was made current last, not necessarily this one).
VerilatedContext *hook_context()
{
    return t_current ? t_current->ctx.get() : Verilated::threadContextp();
}

void note_sim(const char *what, const char *file, int line)
{
    if (t_current && t_current->sim_msg.empty()) {
        char buf[512];
        std::snprintf(buf, sizeof buf, "%s at %s:%d", what, file ? file : "?", line);
        t_current->sim_msg = buf;
    }
}

int fail(fb_rtl *r, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int fail(fb_rtl *r, int rc, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->msg = buf;
    return rc;
}

// One clock cycle with the inputs as set: toggling clk is the active edge.
inline void edge(fb_rtl *r)
{
    r->top->clk = !r->top->clk;
    r->top->eval();
#if VM_TRACE_FST
    if (r->tracing)
        r->tfp->dump(r->ctx->time());
#endif
    r->ctx->timeInc(1);
    r->cycles++;
}

int check_alive(fb_rtl *r)
{
    if (r->dead)
        return fail(r, FB_ERR_DUT, "RTL simulation ended earlier: %s", r->sim_msg.c_str());
    if (r->ctx->gotFinish()) {
        r->dead = true;
        return fail(r, FB_ERR_DUT, "RTL simulation ended: %s",
                    r->sim_msg.empty() ? "$finish" : r->sim_msg.c_str());
    }
    return FB_OK;
}

// One bus cycle; the stream is paused (no pixel offered, no word taken).
void bus_cycle(fb_rtl *r, uint32_t addr, uint32_t data, bool we, bool re)
{
    Vfb_fe_top *t = r->top.get();
    t->in_valid = 0;
    t->out_ready = 0;
    t->bus_addr = addr;
    t->bus_wdata = data;
    t->bus_we = we;
    t->bus_re = re;
    edge(r);
    t->bus_we = 0;
    t->bus_re = 0;
}

uint32_t bus_read(fb_rtl *r, uint32_t addr)
{
    bus_cycle(r, addr, 0, false, true);
    return r->top->bus_rdata;
}

// Soft-resets the stream (coefficients and configuration stay) and clears the error flags.
void recover(fb_rtl *r)
{
    uint32_t ctrl = bus_read(r, FB_RTL_REG_CTRL);
    bus_cycle(r, FB_RTL_REG_CTRL, (ctrl & FB_RTL_CTRL_DISCARD_EN) | FB_RTL_CTRL_SRST, true, false);
    bus_cycle(r, FB_RTL_REG_ERROR, FB_RTL_ERR_ALL, true, false);
}

std::string err_bits(uint32_t e)
{
    static const char *const names[] = {"SOF", "EOL", "ADDR", "DATA", "BUSY", "SIZE"};
    std::string s;
    for (unsigned b = 0; b < 6; b++)
        if (e & (1u << b)) {
            if (!s.empty())
                s += "|";
            s += names[b];
        }
    return s.empty() ? "none" : s;
}

// Runs f with this instance current; turns C++ exceptions into error codes.
template <class F> int guarded(fb_rtl *r, F f)
{
    fb_rtl *prev = t_current;
    t_current = r;
    Verilated::threadContextp(r->ctx.get());
    int rc;
    try {
        rc = check_alive(r);
        if (rc == FB_OK)
            rc = f();
        if (rc == FB_OK)
            rc = check_alive(r);
    } catch (const sim_abort &) {
        r->dead = true;
        rc = fail(r, FB_ERR_DUT, "RTL simulation aborted: %s", r->sim_msg.c_str());
    } catch (const std::bad_alloc &) {
        rc = fail(r, FB_ERR_NOMEM, "out of memory");
    } catch (...) {
        r->dead = true;
        rc = fail(r, FB_ERR_DUT, "unexpected C++ exception in the RTL harness");
    }
    t_current = prev;
    return rc;
}

int configure(fb_rtl *r, int width, int height)
{
    Vfb_fe_top *t = r->top.get();
    t->rst = 1;
    t->in_valid = 0;
    t->out_ready = 0;
    t->bus_we = 0;
    t->bus_re = 0;
    t->clk = 0;
    t->eval(); // initial blocks and settle with clk low: the first toggle is a rising edge
    for (int i = 0; i < 4; i++)
        edge(r);
    t->rst = 0;
    uint32_t id = bus_read(r, FB_RTL_REG_ID);
    if (id != FB_RTL_ID_VALUE)
        return fail(r, FB_ERR_DUT, "RTL ID register reads 0x%08x, expected 0x%08x", id,
                    FB_RTL_ID_VALUE);
    uint32_t cap = bus_read(r, FB_RTL_REG_CAPACITY);
    int cap_w = (int)(cap & 0xFFFFu), cap_h = (int)(cap >> 16);
    fb_vospi_geom g;
    if (width < 2 || width % 2 || height < 1 || width > cap_w || height > cap_h ||
        fb_vospi_geometry(width, height, &g) != FB_OK)
        return fail(r, FB_ERR_RANGE,
                    "frame %dx%d: must be 2..%d (even) x 1..%d (two pixels per clock; the "
                    "capacity is CMake FB_RTL_MAX_WIDTH/HEIGHT)",
                    width, height, cap_w, cap_h);
    bus_cycle(r, FB_RTL_REG_FRAME_SIZE, (uint32_t)height << 16 | (uint32_t)width, true, false);
    uint32_t e = bus_read(r, FB_RTL_REG_ERROR);
    uint32_t fs = bus_read(r, FB_RTL_REG_FRAME_SIZE);
    if (e || fs != ((uint32_t)height << 16 | (uint32_t)width))
        return fail(r, FB_ERR_RANGE, "RTL rejected frame size %dx%d (ERROR %s)", width, height,
                    err_bits(e).c_str());
    r->width = width;
    r->height = height;
    r->frame.assign((size_t)width * (size_t)height, 0);
    return FB_OK;
}

int process(fb_rtl *r, const uint16_t *counts, int width, int height, uint16_t *ck_out,
            fb_rtl_stream *raw)
{
    Vfb_fe_top *t = r->top.get();
    VerilatedContext *ctx = r->ctx.get();
    if (width % 2)
        return fail(r, FB_ERR_INVALID,
                    "frame %dx%d: the RTL takes two pixels per clock, widths must be even", width,
                    height);
    const size_t n = (size_t)width * (size_t)height / 2; // pixel pairs
    const int pairs_per_row = width / 2;
    const size_t cfg_px = (size_t)r->width * (size_t)r->height;
    // 4x the nominal W*H/2 clocks, plus room for the line-buffer latency and discard packets
    const uint64_t budget =
        r->budget_opt ? r->budget_opt : 2u * (uint64_t)cfg_px + 8u * (uint64_t)r->width + 4096u;

    fb_vospi_dec dec;
    int rc = fb_vospi_dec_init(&dec, r->width, r->height, r->frame.data());
    if (rc)
        return fail(r, rc, "decoder init failed");
    if (raw) {
        raw->len = 0;
        raw->total = 0;
    }
    r->st = fb_rtl_frame_stats{};

    uint8_t pkt[FB_VOSPI_PACKET_BYTES];
    int wpos = -1; // next word of the packet being received, -1 between packets
    size_t i = 0;  // next pixel pair to offer
    int col = 0;
    uint64_t cyc = 0;
    const uint32_t vp = r->valid_pat, rp = r->ready_pat;

    for (;;) {
        const unsigned bit = (unsigned)(cyc & 31u);
        const bool valid = i < n && ((vp >> bit) & 1u);
        const bool ready = (rp >> bit) & 1u;
        t->in_valid = valid;
        if (valid) {
            t->in_data = (uint32_t)counts[2 * i] | (uint32_t)counts[2 * i + 1] << 16;
            t->in_sof = i == 0;
            t->in_eol = col == pairs_per_row - 1;
        }
        t->out_ready = ready;
        const bool in_fire = valid && t->in_ready;
        const bool out_fire = ready && t->out_valid;
        const uint32_t word = t->out_data;
        const bool sop = t->out_sop, eop = t->out_eop;
        edge(r);
        cyc++;
        if (VL_UNLIKELY(ctx->gotFinish()))
            return check_alive(r);

        if (in_fire) {
            i++;
            if (++col == pairs_per_row)
                col = 0;
            if (i == n && t->frame_open && !t->err) {
                uint32_t pos = bus_read(r, FB_RTL_REG_IN_POS);
                recover(r);
                return fail(r, FB_ERR_INVALID,
                            "frame %dx%d is shorter than the configured %dx%d: the RTL expects "
                            "row %u column %u next",
                            width, height, r->width, r->height, pos >> 16, pos & 0xFFFFu);
            }
        }
        if (out_fire) {
            if (sop) {
                if (wpos >= 0) {
                    recover(r);
                    return fail(r, FB_ERR_DUT, "RTL started a packet after %d words", wpos);
                }
                wpos = 0;
                if ((word & 0x0F000000u) != 0x0F000000u && r->st.first_data_cycle == 0)
                    r->st.first_data_cycle = cyc; // latency to the first data-packet word
            } else if (wpos < 0) {
                recover(r);
                return fail(r, FB_ERR_DUT, "RTL sent a word outside a packet");
            }
            pkt[4 * wpos] = (uint8_t)(word >> 24); // big-endian, first pixel first
            pkt[4 * wpos + 1] = (uint8_t)(word >> 16);
            pkt[4 * wpos + 2] = (uint8_t)(word >> 8);
            pkt[4 * wpos + 3] = (uint8_t)word;
            wpos++;
            if (eop != (wpos == RTL_PACKET_WORDS)) {
                recover(r);
                return fail(r, FB_ERR_DUT, "RTL packet end flag at word %d", wpos);
            }
            if (eop) {
                wpos = -1;
                if (raw) {
                    if (raw->buf && raw->cap - raw->len >= FB_VOSPI_PACKET_BYTES) {
                        std::memcpy(raw->buf + raw->len, pkt, FB_VOSPI_PACKET_BYTES);
                        raw->len += FB_VOSPI_PACKET_BYTES;
                    }
                    raw->total += FB_VOSPI_PACKET_BYTES;
                }
                const bool disc = fb_vospi_is_discard(pkt);
                rc = fb_vospi_dec_packet(&dec, pkt);
                if (rc) {
                    recover(r);
                    return fail(r, FB_ERR_DUT, "RTL packet %u (ID 0x%04x): %s", dec.err_packet,
                                dec.err_id,
                                rc == FB_ERR_PARSE ? "CRC mismatch" : "out of sequence");
                }
                if (disc) {
                    r->st.discard_packets++;
                } else {
                    r->st.data_packets++;
                    if (fb_vospi_dec_done(&dec))
                        break;
                }
            }
        }
        if (VL_UNLIKELY(t->err)) {
            uint32_t e = bus_read(r, FB_RTL_REG_ERROR);
            uint32_t pos = bus_read(r, FB_RTL_REG_IN_POS);
            recover(r);
            return fail(r, FB_ERR_INVALID,
                        "frame %dx%d does not match the configured %dx%d: RTL ERROR %s at input "
                        "pixel %zu (RTL position row %u column %u)",
                        width, height, r->width, r->height, err_bits(e).c_str(), 2 * i - 2,
                        pos >> 16, pos & 0xFFFFu);
        }
        if (VL_UNLIKELY(cyc >= budget)) {
            recover(r);
            return fail(r, FB_ERR_DUT,
                        "cycle budget of %llu exceeded: %zu of %zu pixels accepted, %u of %u "
                        "packets received (output stalled?)",
                        (unsigned long long)budget, 2 * i, 2 * n, dec.next, dec.g.packets);
        }
    }
    if (i != n) { // the frame completed before all pixels went in: too many pixels
        recover(r);
        return fail(r, FB_ERR_INVALID, "frame %dx%d is larger than the configured %dx%d", width,
                    height, r->width, r->height);
    }
    r->st.cycles = cyc;
    if (2 * n != cfg_px)
        return fail(r, FB_ERR_INVALID, "frame %dx%d does not match the configured %dx%d", width,
                    height, r->width, r->height);
    std::memcpy(ck_out, r->frame.data(), cfg_px * sizeof *ck_out);
    if (raw && raw->total > raw->len)
        return fail(r, FB_ERR_RANGE, "raw packet buffer of %zu bytes too small: %zu needed",
                    raw->cap, raw->total);
    return FB_OK;
}

} // namespace

// ---- Verilator hooks (VL_USER_FINISH, VL_USER_STOP, VL_USER_FATAL) ----

void vl_finish(const char *filename, int linenum, const char *hier) VL_MT_UNSAFE
{
    (void)hier;
    hook_context()->gotFinish(true);
    note_sim("$finish", filename, linenum);
}

void vl_stop(const char *filename, int linenum, const char *hier) VL_MT_UNSAFE
{
    (void)hier;
    hook_context()->gotError(true);
    hook_context()->gotFinish(true);
    note_sim("$stop", filename, linenum);
}

void vl_fatal(const char *filename, int linenum, const char *hier, const char *msg) VL_MT_UNSAFE
{
    (void)hier;
    hook_context()->gotError(true);
    hook_context()->gotFinish(true);
    note_sim(msg ? msg : "fatal", filename, linenum);
    throw sim_abort();
}

// ---- C API ----

extern "C" {

fb_rtl *fb_rtl_open(int width, int height, const fb_rtl_options *opt, int *err)
{
    int dummy;
    if (!err)
        err = &dummy;
    fb_rtl *r = new (std::nothrow) fb_rtl;
    if (!r) {
        *err = FB_ERR_NOMEM;
        return nullptr;
    }
    if (opt)
        r->budget_opt = opt->budget_cycles;
    const char *trace_path = opt ? opt->trace_path : nullptr;
    int rc;
    try {
        r->ctx.reset(new VerilatedContext);
        r->ctx->fatalOnError(false);
        if (trace_path) {
#if VM_TRACE_FST
            r->ctx->traceEverOn(true);
#else
            *err = FB_ERR_UNSUPPORTED;
            delete r;
            return nullptr;
#endif
        }
        fb_rtl *prev = t_current;
        t_current = r;
        r->top.reset(new Vfb_fe_top{r->ctx.get(), "fb_fe"});
#if VM_TRACE_FST
        if (trace_path) {
            r->tfp.reset(new VerilatedFstC);
            r->top->trace(r->tfp.get(), 99);
            r->tfp->open(trace_path);
            r->tracing = r->tfp->isOpen();
        }
#endif
        t_current = prev;
        if (trace_path && !r->tracing)
            rc = FB_ERR_IO;
        else
            rc = guarded(r, [&] { return configure(r, width, height); });
    } catch (const std::bad_alloc &) {
        rc = FB_ERR_NOMEM;
    } catch (...) {
        rc = FB_ERR_DUT;
    }
    if (rc) {
        *err = rc;
        fb_rtl_close(r);
        return nullptr;
    }
    *err = FB_OK;
    return r;
}

void fb_rtl_close(fb_rtl *r)
{
    if (!r)
        return;
    fb_rtl *prev = t_current;
    t_current = r;
    try {
        if (r->top && !r->dead)
            r->top->final();
#if VM_TRACE_FST
        if (r->tfp)
            r->tfp->close();
#endif
    } catch (...) {
    }
    t_current = prev;
    delete r;
}

int fb_rtl_process(fb_rtl *r, const uint16_t *counts, int width, int height, uint16_t *ck_out,
                   fb_rtl_stream *raw)
{
    if (!r)
        return FB_ERR_ARG;
    if (!counts || !ck_out || width < 1 || height < 1 || (raw && raw->cap && !raw->buf))
        return fail(r, FB_ERR_ARG, "fb_rtl_process: NULL buffer or size < 1");
    return guarded(r, [&] { return process(r, counts, width, height, ck_out, raw); });
}

void fb_rtl_set_flow(fb_rtl *r, uint32_t valid_pattern, uint32_t ready_pattern)
{
    if (!r)
        return;
    r->valid_pat = valid_pattern;
    r->ready_pat = ready_pattern;
}

int fb_rtl_reg_write(fb_rtl *r, uint32_t addr, uint32_t data)
{
    if (!r)
        return FB_ERR_ARG;
    return guarded(r, [&] {
        bus_cycle(r, addr, data, true, false);
        return FB_OK;
    });
}

int fb_rtl_reg_write_block(fb_rtl *r, uint32_t addr, const uint32_t *data, size_t n)
{
    if (!r)
        return FB_ERR_ARG;
    if (!data && n)
        return fail(r, FB_ERR_ARG, "fb_rtl_reg_write_block: NULL data");
    return guarded(r, [&] {
        for (size_t i = 0; i < n; i++)
            bus_cycle(r, addr + 4u * (uint32_t)i, data[i], true, false);
        return FB_OK;
    });
}

int fb_rtl_reg_read(fb_rtl *r, uint32_t addr, uint32_t *data)
{
    if (!r)
        return FB_ERR_ARG;
    if (!data)
        return fail(r, FB_ERR_ARG, "fb_rtl_reg_read: NULL data");
    return guarded(r, [&] {
        *data = bus_read(r, addr);
        return FB_OK;
    });
}

int fb_rtl_stats(const fb_rtl *r, fb_rtl_frame_stats *s)
{
    if (!r || !s)
        return FB_ERR_ARG;
    *s = r->st;
    s->total_cycles = r->cycles;
    return FB_OK;
}

const char *fb_rtl_errmsg(const fb_rtl *r)
{
    return r ? r->msg.c_str() : "";
}

int fb_rtl_width(const fb_rtl *r)
{
    return r ? r->width : 0;
}

int fb_rtl_height(const fb_rtl *r)
{
    return r ? r->height : 0;
}

int fb_rtl_trace_supported(void)
{
    return VM_TRACE_FST ? 1 : 0;
}

int fb_rtl_set_errmsg(fb_rtl *r, int rc, const char *msg)
{
    if (r)
        r->msg = msg ? msg : "";
    return rc;
}

} // extern "C"
