/* test_rtl_errors.c — the RTL harness returns errors instead of hanging or exiting: stalled
 * handshakes, wrong frame sizes, out-of-range coefficients, bad bus accesses, $stop/$finish. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fb_error.h"
#include "fb_rtl_regs.h"
#include "fbtest.h"
#include "fe_rtl.h"
#include "frontend.h"
#include "rtl_testutil.h"

enum { W = 160, H = 120, N = W * H };

static uint16_t counts[(W + 8) * (H + 8)], want[N], got[N];

static uint32_t rd(fb_rtl *r, uint32_t addr)
{
    uint32_t v = 0xDEADBEEFu;
    CHECK_EQ_INT(fb_rtl_reg_read(r, addr, &v), FB_OK);
    return v;
}

static uint32_t take_errors(fb_rtl *r)
{
    uint32_t e = rd(r, FB_RTL_REG_ERROR);
    CHECK_EQ_INT(fb_rtl_reg_write(r, FB_RTL_REG_ERROR, FB_RTL_ERR_ALL), FB_OK);
    return e;
}

/* A correct frame after an error must come out bit-exact: the harness recovered. */
static void good_frame(fb_rtl *r, const fb_frontend *fe, uint64_t seed, const char *after)
{
    tu_make_counts(counts, N, seed);
    fb_frontend_process(fe, counts, want);
    int rc = fb_rtl_process(r, counts, W, H, got, NULL);
    CHECK_EQ_INT(rc, FB_OK);
    if (rc)
        fprintf(stderr, "after %s: %s\n", after, fb_rtl_errmsg(r));
    else
        CHECK_EQ_INT(tu_compare_frames(got, want, W, H, after), 0);
}

static void test_open(uint32_t *cap_w, uint32_t *cap_h)
{
    int err = 0;
    CHECK(fb_rtl_open(0, 120, NULL, &err) == NULL);
    CHECK_EQ_INT(err, FB_ERR_RANGE);
    CHECK(fb_rtl_open(161, 120, NULL, &err) == NULL); /* odd: two pixels per clock */
    CHECK_EQ_INT(err, FB_ERR_RANGE);
    fb_rtl *r = fb_rtl_open(W, H, NULL, &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_EQ_INT(rd(r, FB_RTL_REG_ID), FB_RTL_ID_VALUE);
    uint32_t cap = rd(r, FB_RTL_REG_CAPACITY);
    *cap_w = cap & 0xFFFFu;
    *cap_h = cap >> 16;
    CHECK(*cap_w >= 640 && *cap_h >= 512);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_FRAME_SIZE), (uint32_t)H << 16 | W);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_PACKETS), 60u << 16 | 240u);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_STATUS), 0);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_CTRL), FB_RTL_CTRL_DISCARD_EN);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_ERROR), 0);
    fb_rtl_close(r);

    CHECK(fb_rtl_open((int)*cap_w + 1, 10, NULL, &err) == NULL);
    CHECK_EQ_INT(err, FB_ERR_RANGE);
    CHECK(fb_rtl_open(10, (int)*cap_h + 1, NULL, &err) == NULL);
    CHECK_EQ_INT(err, FB_ERR_RANGE);

    /* tracing: unsupported unless built with FB_RTL_TRACE, then it writes an FST file */
    char path[] = "/tmp/fb_rtl_trace_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    fb_rtl_options o = {path, 0};
    r = fb_rtl_open(8, 2, &o, &err);
    if (fb_rtl_trace_supported()) {
        CHECK(r != NULL);
        fb_rtl_close(r);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        if (f) {
            fseek(f, 0, SEEK_END);
            CHECK(ftell(f) > 100);
            fclose(f);
        }
    } else {
        CHECK(r == NULL);
        CHECK_EQ_INT(err, FB_ERR_UNSUPPORTED);
    }
    unlink(path);
}

static void test_bus(fb_rtl *r, uint32_t cap_w, uint32_t cap_h)
{
    /* read-back of every region through the real interface */
    CHECK_EQ_INT(fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, 7), (uint32_t)-5), FB_OK);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, 7)), (uint32_t)-5);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_GAIN_BASE, 7), 0xFFFF);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_GAIN_BASE, 7)), 0xFFFF);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_BAD_BASE, 7), 1);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_BAD_BASE, 7)), 1);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_CAL_BASE, 256), 0xBEEF);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_CAL_BASE, 256)), 0xBEEF);
    CHECK_EQ_INT(take_errors(r), 0);

    /* out-of-range data is flagged and ignored */
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, 7), 40000); /* not an int16 */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_DATA);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, 7)), (uint32_t)-5);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_GAIN_BASE, 7), 0x10000);
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_DATA);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_BAD_BASE, 7), 2);
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_DATA);
    CHECK_EQ_INT(rd(r, FB_RTL_ADDR(FB_RTL_BAD_BASE, 7)), 1);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_CAL_BASE, 3), 0x12345);
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_DATA);

    /* bad addresses */
    fb_rtl_reg_write(r, FB_RTL_OFFSET_BASE + 2, 0); /* unaligned */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_ADDR);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, cap_w * cap_h), 0); /* past the memory */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_ADDR);
    fb_rtl_reg_write(r, FB_RTL_ADDR(FB_RTL_CAL_BASE, 257), 0);
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_ADDR);
    (void)rd(r, 0x05000000u); /* no region 5 */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_ADDR);
    (void)rd(r, 0x40u); /* no such CSR */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_ADDR);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_STATUS), 0);

    /* frame size out of range is refused, the old one stays */
    fb_rtl_reg_write(r, FB_RTL_REG_FRAME_SIZE, 0);
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_SIZE);
    fb_rtl_reg_write(r, FB_RTL_REG_FRAME_SIZE, (cap_h << 16) | (cap_w + 2));
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_SIZE);
    fb_rtl_reg_write(r, FB_RTL_REG_FRAME_SIZE, (cap_h << 16) | 159u); /* odd width */
    CHECK_EQ_INT(take_errors(r), FB_RTL_ERR_SIZE);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_FRAME_SIZE), (uint32_t)H << 16 | W);
    /* errors are sticky until written back (W1C): one bit at a time */
    fb_rtl_reg_write(r, FB_RTL_REG_FRAME_SIZE, 0);
    fb_rtl_reg_write(r, 0x05000000u, 0);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_ERROR), FB_RTL_ERR_SIZE | FB_RTL_ERR_ADDR);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_STATUS), 4); /* error bit */
    fb_rtl_reg_write(r, FB_RTL_REG_ERROR, FB_RTL_ERR_SIZE);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_ERROR), FB_RTL_ERR_ADDR);
    take_errors(r);
}

static void test_load(fb_rtl *r, fb_frontend *fe)
{
    fe->bad[W * 5 + 9] = 2; /* the golden model would accept it as "bad"; the RTL refuses */
    CHECK_EQ_INT(fb_rtl_load(r, fe), FB_ERR_RANGE);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "bad[809] (row 5, column 9) = 2");
    fe->bad[W * 5 + 9] = 1;
    CHECK_EQ_INT(rd(r, FB_RTL_REG_ERROR), 0);

    fb_frontend other;
    CHECK_EQ_INT(fb_frontend_init(&other, W, H + 1), FB_OK);
    CHECK_EQ_INT(fb_rtl_load(r, &other), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "160x121");
    fb_frontend_free(&other);
    CHECK_EQ_INT(fb_rtl_load(r, NULL), FB_ERR_ARG);
    CHECK_EQ_INT(fb_rtl_load(r, fe), FB_OK);
}

static void test_frames(fb_rtl *r, const fb_frontend *fe)
{
    good_frame(r, fe, 1, "load");
    tu_make_counts(counts, sizeof counts / sizeof counts[0], 2);

    /* narrower rows: the RTL sees in_eol too early */
    CHECK_EQ_INT(fb_rtl_process(r, counts, W - 2, H, got, NULL), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "EOL");
    good_frame(r, fe, 3, "narrow frame");
    /* wider rows */
    CHECK_EQ_INT(fb_rtl_process(r, counts, W + 4, H, got, NULL), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "EOL");
    good_frame(r, fe, 4, "wide frame");
    /* an odd width cannot even be put on the two-pixel port */
    CHECK_EQ_INT(fb_rtl_process(r, counts, W - 1, H, got, NULL), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "even");
    good_frame(r, fe, 40, "odd frame");
    /* same pixel count, transposed */
    CHECK_EQ_INT(fb_rtl_process(r, counts, H, W, got, NULL), FB_ERR_INVALID);
    good_frame(r, fe, 5, "transposed frame");
    /* fewer rows: every row is fine, the frame just stops */
    CHECK_EQ_INT(fb_rtl_process(r, counts, W, H - 2, got, NULL), FB_ERR_INVALID);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "shorter");
    good_frame(r, fe, 6, "short frame");
    /* more rows: the next pixel arrives at a frame start without in_sof */
    CHECK_EQ_INT(fb_rtl_process(r, counts, W, H + 2, got, NULL), FB_ERR_INVALID);
    good_frame(r, fe, 7, "long frame");

    /* the output stalled forever (out_ready low): budget error, not a hang */
    fb_rtl_set_flow(r, 0xFFFFFFFFu, 0);
    CHECK_EQ_INT(fb_rtl_process(r, counts, W, H, got, NULL), FB_ERR_DUT);
    CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "cycle budget");
    fb_rtl_frame_stats s;
    fb_rtl_stats(r, &s);
    fb_rtl_set_flow(r, 0xFFFFFFFFu, 0xFFFFFFFFu);
    good_frame(r, fe, 8, "stalled ready");
    /* no input at all */
    fb_rtl_set_flow(r, 0, 0xFFFFFFFFu);
    CHECK_EQ_INT(fb_rtl_process(r, counts, W, H, got, NULL), FB_ERR_DUT);
    fb_rtl_set_flow(r, 0xFFFFFFFFu, 0xFFFFFFFFu);
    good_frame(r, fe, 9, "stalled valid");

    /* raw stream buffer too small: the frame is still decoded, the error says how much */
    uint8_t small[164 * 10];
    fb_rtl_stream st = {small, sizeof small, 0, 0};
    tu_make_counts(counts, N, 10);
    fb_frontend_process(fe, counts, want);
    CHECK_EQ_INT(fb_rtl_process(r, counts, W, H, got, &st), FB_ERR_RANGE);
    CHECK_EQ_INT(st.len, sizeof small);
    CHECK(st.total >= 240u * 164u);
    CHECK_EQ_INT(tu_compare_frames(got, want, W, H, "small raw buffer"), 0);

    CHECK_EQ_INT(fb_rtl_process(NULL, counts, W, H, got, NULL), FB_ERR_ARG);
    CHECK_EQ_INT(fb_rtl_process(r, NULL, W, H, got, NULL), FB_ERR_ARG);
    CHECK_EQ_INT(fb_rtl_process(r, counts, 0, H, got, NULL), FB_ERR_ARG);
    CHECK_EQ_INT(rd(r, FB_RTL_REG_FRAME_COUNT) > 0, 1);
}

/* $stop / $finish inside the RTL end that instance, not the process. */
static void test_sim_end(const fb_frontend *fe)
{
    static const struct {
        uint32_t code;
        const char *what;
    } ends[] = {{0x5709, "$stop"}, {0xF1F1, "$finish"}};
    for (size_t i = 0; i < 2; i++) {
        int err = 0;
        fb_rtl *r = fb_rtl_open(W, H, NULL, &err);
        fb_rtl *other = fb_rtl_open(W, H, NULL, &err);
        CHECK(r && other);
        if (!r || !other) {
            fb_rtl_close(r);
            fb_rtl_close(other);
            continue;
        }
        CHECK_EQ_INT(fb_rtl_reg_write(r, FB_RTL_REG_SIM_CTRL, ends[i].code), FB_ERR_DUT);
        CHECK_STR_CONTAINS(fb_rtl_errmsg(r), ends[i].what);
        CHECK_EQ_INT(fb_rtl_process(r, counts, W, H, got, NULL), FB_ERR_DUT);
        CHECK_STR_CONTAINS(fb_rtl_errmsg(r), "ended");
        uint32_t v;
        CHECK_EQ_INT(fb_rtl_reg_read(r, FB_RTL_REG_ID, &v), FB_ERR_DUT);
        fb_rtl_close(r);
        /* the other instance is untouched */
        CHECK_EQ_INT(fb_rtl_load(other, fe), FB_OK);
        good_frame(other, fe, 20 + i, ends[i].what);
        fb_rtl_close(other);
    }
}

int main(void)
{
    fb_frontend fe;
    uint32_t cap_w = 640, cap_h = 512;
    CHECK_EQ_INT(tu_make_frontend(&fe, W, H, 77, TU_EXTREME_GAIN), FB_OK);
    test_open(&cap_w, &cap_h);
    int err = 0;
    fb_rtl *r = fb_rtl_open(W, H, NULL, &err);
    CHECK(r != NULL);
    if (r) {
        test_bus(r, cap_w, cap_h);
        test_load(r, &fe);
        test_frames(r, &fe);
        fb_rtl_close(r);
    }
    test_sim_end(&fe);
    fb_frontend_free(&fe);
    return FBTEST_END();
}
