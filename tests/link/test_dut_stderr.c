/* test_dut_stderr.c — a DUT's stderr reaches the terminal escaped and capped (sim/link/dut_stderr.h): hand-worked cases. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "link/dut_stderr.h"
#include "fbtest.h"

static void esc(const char *in, size_t n, size_t cap, const char *want, size_t want_used)
{
    char out[256];
    size_t used = fb_dut_stderr_escape((const uint8_t *)in, n, out, cap);
    CHECK_EQ_INT(used, want_used);
    CHECK(strcmp(out, want) == 0);
    if (strcmp(out, want) != 0)
        fprintf(stderr, "  got \"%s\", want \"%s\"\n", out, want);
}

int main(void)
{
    esc("ok\tfine\n", 8, 256, "ok\tfine\n", 8);
    /* clear screen, cursor home, window title with BEL, colour: nothing a terminal obeys */
    esc("\033[2J\033[H\033]0;owned\007", 17, 256, "\\x1b[2J\\x1b[H\\x1b]0;owned\\x07", 17);
    esc("a\rb\bc\177", 6, 256, "a\\x0db\\x08c\\x7f", 6);
    esc("a\\b", 3, 256, "a\\\\b", 3);           /* a backslash cannot forge an escape */
    esc("\xc2\x9b" "31m", 5, 256, "\\xc2\\x9b31m", 5); /* C1 CSI in UTF-8 */
    esc("\xe9t\xc3\xa9", 4, 256, "\\xe9t\\xc3\\xa9", 4);
    /* room for one escape (4 + NUL in 6), not two; nothing half-written */
    esc("\033\033", 2, 6, "\\x1b", 1);
    esc("abc", 3, 3, "ab", 2);
    esc("", 0, 1, "", 0);

    /* The relay: 70 000 bytes from a DUT, 65 536 shown, the rest counted and said. */
    int p[2];
    CHECK(pipe(p) == 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    FILE *out = tmpfile();
    CHECK(out != NULL);
    fb_dut_stderr s = {.fd = p[0], .out = out};
    static char big[70000];
    memset(big, 'a', sizeof big);
    big[0] = '\033';
    size_t off = 0;
    while (off < sizeof big) { /* the pipe holds 64 KiB: write and relay in turns */
        ssize_t w = write(p[1], big + off, sizeof big - off > 4096 ? 4096 : sizeof big - off);
        CHECK(w > 0);
        off += (size_t)w;
        CHECK_EQ_INT(fb_dut_stderr_relay(&s), 1);
    }
    close(p[1]);
    CHECK_EQ_INT(fb_dut_stderr_relay(&s), 0); /* the end of the pipe */
    fb_dut_stderr_finish(&s);
    CHECK_EQ_INT(s.read, 70000);
    CHECK_EQ_INT(s.shown, 65536);
    long len = ftell(out);
    rewind(out);
    char *text = malloc((size_t)len + 1);
    size_t got = fread(text, 1, (size_t)len, out);
    text[got] = '\0';
    CHECK(strncmp(text, "\\x1baaa", 7) == 0);
    CHECK(strchr(text, '\033') == NULL);
    CHECK(strstr(text, "passed 65536 bytes; the rest is not shown") != NULL);
    CHECK(strstr(text, "[feverbench: 4464 bytes of the DUT's stderr not shown]") != NULL);
    /* 65 535 'a's and one ESC as 4 characters, plus the two notes */
    CHECK(strlen(text) > 65535 + 4);
    free(text);
    fclose(out);
    close(p[0]);
    return FBTEST_END();
}
