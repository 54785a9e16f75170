/* test_rtl_icarus.c — cross-check: the same RTL under Icarus Verilog, driven from $readmemh
 * vectors, against the golden model (every pixel, every packet). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fb_error.h"
#include "fb_rtl_regs.h"
#include "fbtest.h"
#include "frontend.h"
#include "rtl_testutil.h"
#include "tbvec.h"
#include "vospi.h"

typedef struct frame_spec {
    int width, height;
    uint64_t seed;
    const fb_frontend *fe;
    uint16_t *ck; /* golden output */
} frame_spec;

/* Checks one run's packet log frame by frame: packets byte-exact, decoded pixels exact. */
static void check_log(const char *dir, const frame_spec *fr, int nframes, const char *what)
{
    size_t cap = 4u << 20, len = 0, got = 0;
    uint8_t *pk = malloc(cap);
    uint32_t reads[8];
    CHECK(pk != NULL);
    if (!pk)
        return;
    int rc = fb_tbvec_output(dir, pk, cap, &len, reads, 8, &got);
    CHECK_EQ_INT(rc, FB_OK);
    if (rc) {
        fprintf(stderr, "%s: bad test-bench log in %s/out.txt\n", what, dir);
        free(pk);
        return;
    }
    size_t off = 0;
    for (int f = 0; f < nframes; f++) {
        fb_vospi_geom g;
        fb_vospi_geometry(fr[f].width, fr[f].height, &g);
        /* this frame's slice: up to and including its last data packet */
        size_t end = off;
        uint32_t data = 0;
        while (data < g.packets && end + FB_VOSPI_PACKET_BYTES <= len) {
            if (!fb_vospi_is_discard(pk + end))
                data++;
            end += FB_VOSPI_PACKET_BYTES;
        }
        char name[96];
        snprintf(name, sizeof name, "%s frame %d (%dx%d)", what, f, fr[f].width, fr[f].height);
        unsigned disc = 0;
        int bad = tu_check_stream(pk + off, end - off, fr[f].ck, fr[f].width, fr[f].height, &disc);
        CHECK_EQ_INT(bad, 0);
        size_t n = (size_t)fr[f].width * (size_t)fr[f].height;
        uint16_t *dec = calloc(n, sizeof *dec);
        CHECK(dec != NULL);
        if (dec) {
            CHECK_EQ_INT(
                fb_vospi_decode(fr[f].width, fr[f].height, pk + off, end - off, dec, NULL, NULL),
                FB_OK);
            CHECK_EQ_INT(tu_compare_frames(dec, fr[f].ck, fr[f].width, fr[f].height, name), 0);
            free(dec);
        }
        printf("%s: %u data + %u discard packets checked\n", name, g.packets, disc);
        off = end;
    }
    /* register reads logged by the bench: ID, then FRAME_COUNT after the 160x120 frames, then
     * FRAME_SIZE and FRAME_COUNT at the end */
    CHECK_EQ_INT(got, 4);
    if (got == 4) {
        CHECK_EQ_INT(reads[0], FB_RTL_ID_VALUE);
        CHECK_EQ_INT(reads[1], 2);
        CHECK_EQ_INT(reads[2], 7u << 16 | 100u);
        CHECK_EQ_INT(reads[3], 3);
    }
    free(pk);
}

static void rm_vectors(const char *dir)
{
    static const char *const files[] = {"meta.hex", "cmds.hex", "pixels.hex", "out.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

int main(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/icarus_XXXXXX", FB_BINARY_DIR);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    fb_frontend big, small;
    CHECK_EQ_INT(tu_make_frontend(&big, 160, 120, 41, TU_EXTREME_GAIN), FB_OK);
    CHECK_EQ_INT(tu_make_frontend(&small, 100, 7, 42, TU_CAL_REAL), FB_OK);
    frame_spec fr[3] = {
        {160, 120, 1, &big, NULL}, {160, 120, 2, &big, NULL}, {100, 7, 3, &small, NULL}};

    fb_tbvec v;
    CHECK_EQ_INT(fb_tbvec_open(&v, dir), FB_OK);
    fb_tbvec_read(&v, FB_RTL_REG_ID);
    for (int f = 0; f < 3; f++) {
        size_t n = (size_t)fr[f].width * (size_t)fr[f].height;
        uint16_t *counts = malloc(n * sizeof *counts);
        fr[f].ck = malloc(n * sizeof *fr[f].ck);
        CHECK(counts && fr[f].ck);
        if (!counts || !fr[f].ck)
            return FBTEST_END();
        if (f == 0 || fr[f].fe != fr[f - 1].fe)
            fb_tbvec_load(&v, fr[f].fe); /* FRAME_SIZE, coefficients, table over the bus */
        tu_make_counts(counts, n, fr[f].seed);
        fb_frontend_process(fr[f].fe, counts, fr[f].ck);
        fb_tbvec_frame(&v, counts, fr[f].width, fr[f].height);
        if (f == 1)
            fb_tbvec_read(&v, FB_RTL_REG_FRAME_COUNT);
        free(counts);
    }
    fb_tbvec_read(&v, FB_RTL_REG_FRAME_SIZE);
    fb_tbvec_read(&v, FB_RTL_REG_FRAME_COUNT);
    CHECK_EQ_INT(fb_tbvec_close(&v, 8u * 160u * 120u + 10000u), FB_OK);

    /* full speed, then random valid gaps and back-pressure */
    for (int stress = 0; stress <= 1; stress++) {
        double secs = 0;
        uint64_t cyc = 0;
        int rc = fb_tbvec_run(FB_VVP_BIN, FB_RTL_TB_VVP, dir, stress, 0, &secs, NULL, &cyc);
        CHECK_EQ_INT(rc, FB_OK);
        printf("vvp stress=%d: %.2f s, %llu stream cycles\n", stress, secs,
               (unsigned long long)cyc);
        if (rc == FB_OK)
            check_log(dir, fr, 3, stress ? "icarus stress" : "icarus");
    }

    if (fbtest_failures == 0)
        rm_vectors(dir);
    else
        fprintf(stderr, "vectors and log kept in %s\n", dir);
    for (int f = 0; f < 3; f++)
        free(fr[f].ck);
    fb_frontend_free(&big);
    fb_frontend_free(&small);
    return FBTEST_END();
}
