/* dut_stderr.h — what a process DUT writes to its stderr reaches the user's terminal made harmless: control bytes escaped, the amount capped. */
#ifndef FB_DUT_STDERR_H
#define FB_DUT_STDERR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FB_DUT_STDERR_MAX_BYTES 65536u /* shown per run; the rest is counted, not shown */

typedef struct fb_dut_stderr {
    uint64_t read;  /* bytes the DUT wrote */
    uint64_t shown; /* of those, shown */
    int fd;         /* the read end of the DUT's stderr pipe (non-blocking), -1 none */
    FILE *out;      /* where it goes (stderr) */
} fb_dut_stderr;

/* Writes in[0..n) to out[0..cap) as text a terminal cannot act on: printable ASCII, newline and
 * tab as they are; backslash as "\\"; every other byte (ESC, CR, BS, BEL, DEL, C1 controls,
 * any byte >= 0x80) as "\xNN". Stops before an escape that would not fit; returns how many input
 * bytes were written, and out is NUL-terminated (cap >= 1). */
size_t fb_dut_stderr_escape(const uint8_t *in, size_t n, char *out, size_t cap);

/* Reads what is waiting on s->fd and writes it, escaped, to s->out, up to
 * FB_DUT_STDERR_MAX_BYTES a run (once over: one line saying so). Returns 1 while the pipe is
 * open, 0 at its end (or with no pipe). */
int fb_dut_stderr_relay(fb_dut_stderr *s);

/* At the end of a run: relays what is left, and says how much was not shown. */
void fb_dut_stderr_finish(fb_dut_stderr *s);

#endif
