/* dut_stderr.c — a process DUT's stderr, escaped and capped on its way to the user's terminal (dut_stderr.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <unistd.h>
#include "dut_stderr.h"

size_t fb_dut_stderr_escape(const uint8_t *in, size_t n, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i = 0;
    for (; i < n; i++) {
        uint8_t c = in[i];
        bool plain = (c >= 0x20 && c < 0x7f && c != '\\') || c == '\n' || c == '\t';
        size_t need = plain ? 1 : c == '\\' ? 2 : 4;
        if (o + need + 1 > cap)
            break;
        if (plain) {
            out[o++] = (char)c;
        } else if (c == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (cap)
        out[o] = '\0';
    return i;
}

int fb_dut_stderr_relay(fb_dut_stderr *s)
{
    if (!s || s->fd < 0)
        return 0;
    uint8_t buf[4096];
    char esc[4 * sizeof buf + 1];
    for (;;) {
        ssize_t r = read(s->fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : 0;
        if (r == 0)
            return 0;
        uint64_t before = s->shown;
        s->read += (uint64_t)r;
        size_t room = s->shown < FB_DUT_STDERR_MAX_BYTES
                          ? (size_t)(FB_DUT_STDERR_MAX_BYTES - s->shown)
                          : 0;
        size_t take = (size_t)r < room ? (size_t)r : room;
        if (take) {
            size_t done = fb_dut_stderr_escape(buf, take, esc, sizeof esc);
            fputs(esc, s->out);
            s->shown += done;
        }
        if (before < FB_DUT_STDERR_MAX_BYTES && s->shown >= FB_DUT_STDERR_MAX_BYTES)
            fprintf(s->out, "\n[feverbench: the DUT's stderr passed %u bytes; the rest is not "
                            "shown]\n",
                    FB_DUT_STDERR_MAX_BYTES);
        fflush(s->out);
    }
}

void fb_dut_stderr_finish(fb_dut_stderr *s)
{
    if (!s || s->fd < 0)
        return;
    (void)fb_dut_stderr_relay(s);
    if (s->read > s->shown)
        fprintf(s->out, "[feverbench: %" PRIu64 " bytes of the DUT's stderr not shown]\n",
                s->read - s->shown);
}
