/* tbvec.c — $readmemh vector writer, vvp runner and output-log parser for the Icarus test bench. */
#include "tbvec.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "fb_error.h"
#include "fb_rtl_regs.h"
#include "vospi.h"

static FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fopen(path, mode);
}

int fb_tbvec_open(fb_tbvec *v, const char *dir)
{
    memset(v, 0, sizeof *v);
    snprintf(v->dir, sizeof v->dir, "%s", dir);
    v->cmds = open_in(dir, "cmds.hex", "w");
    v->pixels = open_in(dir, "pixels.hex", "w");
    if (!v->cmds || !v->pixels) {
        if (v->cmds)
            fclose(v->cmds);
        if (v->pixels)
            fclose(v->pixels);
        return FB_ERR_IO;
    }
    return FB_OK;
}

static void cmd(fb_tbvec *v, uint32_t op, uint32_t a, uint32_t b)
{
    fprintf(v->cmds, "%08x\n%08x\n%08x\n", op, a, b);
    v->ncmd++;
}

void fb_tbvec_write(fb_tbvec *v, uint32_t addr, uint32_t data)
{
    cmd(v, 1, addr, data);
}

void fb_tbvec_read(fb_tbvec *v, uint32_t addr)
{
    cmd(v, 3, addr, 0);
}

void fb_tbvec_load(fb_tbvec *v, const fb_frontend *fe)
{
    size_t n = (size_t)fe->width * (size_t)fe->height;
    fb_tbvec_write(v, FB_RTL_REG_FRAME_SIZE, (uint32_t)fe->height << 16 | (uint32_t)fe->width);
    for (size_t i = 0; i < n; i++) {
        fb_tbvec_write(v, FB_RTL_ADDR(FB_RTL_OFFSET_BASE, i), (uint32_t)(int32_t)fe->offset[i]);
        fb_tbvec_write(v, FB_RTL_ADDR(FB_RTL_GAIN_BASE, i), fe->gain[i]);
        fb_tbvec_write(v, FB_RTL_ADDR(FB_RTL_BAD_BASE, i), fe->bad[i]);
    }
    for (uint32_t k = 0; k < FB_FE_CAL_N; k++)
        fb_tbvec_write(v, FB_RTL_ADDR(FB_RTL_CAL_BASE, k), fe->cal_ck[k]);
}

void fb_tbvec_frame(fb_tbvec *v, const uint16_t *counts, int width, int height)
{
    fb_vospi_geom g;
    if (fb_vospi_geometry(width, height, &g) != FB_OK)
        return;
    for (int r = 0; r < height; r++)
        for (int c = 0; c + 1 < width; c += 2) {
            size_t i = (size_t)r * (size_t)width + (size_t)c;
            unsigned flags = (r == 0 && c == 0 ? 1u : 0u) | (c == width - 2 ? 2u : 0u);
            fprintf(v->pixels, "%x%04x%04x\n", flags, counts[i + 1], counts[i]);
        }
    v->npix += g.pixels / 2;
    v->data_packets += g.packets;
    cmd(v, 2, v->data_packets, g.pixels / 2);
}

int fb_tbvec_close(fb_tbvec *v, uint32_t budget)
{
    int bad = ferror(v->cmds) | ferror(v->pixels);
    if (v->npix == 0) /* $readmemh of an empty file warns: keep one dummy line */
        fprintf(v->pixels, "000000000\n");
    bad |= fclose(v->cmds) | fclose(v->pixels);
    FILE *m = open_in(v->dir, "meta.hex", "w");
    if (!m)
        return FB_ERR_IO;
    fprintf(m, "%08x\n%08x\n%08x\n%08x\n", v->ncmd, v->npix, budget, 0u);
    bad |= ferror(m);
    bad |= fclose(m);
    return bad ? FB_ERR_IO : FB_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double children_cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

int fb_tbvec_run(const char *vvp, const char *tb, const char *dir, int stress, int skip_stream,
                 double *seconds, double *cpu_seconds, uint64_t *stream_cycles)
{
    char a_dir[600], a_stress[32], a_skip[32];
    snprintf(a_dir, sizeof a_dir, "+dir=%s", dir);
    snprintf(a_stress, sizeof a_stress, "+stress=%d", stress);
    snprintf(a_skip, sizeof a_skip, "+skipstream=%d", skip_stream);
    fflush(NULL); /* the child must not inherit unwritten stdio buffers */
    double t0 = now_s(), cpu0 = children_cpu_s();
    pid_t pid = fork();
    if (pid < 0)
        return FB_ERR_IO;
    if (pid == 0) {
        /* vvp prints $readmemh notes and "$finish" lines: keep them off the caller's stdout */
        FILE *devnull = freopen("/dev/null", "w", stdout);
        (void)devnull;
        execl(vvp, vvp, "-n", tb, a_dir, a_stress, a_skip, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return FB_ERR_IO;
    if (seconds)
        *seconds = now_s() - t0;
    if (cpu_seconds) /* children's CPU time grows by exactly this child's */
        *cpu_seconds = children_cpu_s() - cpu0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return FB_ERR_IO;
    FILE *f = open_in(dir, "out.txt", "r");
    if (!f)
        return FB_ERR_IO;
    char line[128];
    int rc = FB_ERR_IO;
    while (fgets(line, sizeof line, f)) {
        unsigned long long cyc;
        if (sscanf(line, "DONE %llu", &cyc) == 1) {
            if (stream_cycles)
                *stream_cycles = cyc;
            rc = FB_OK;
        }
    }
    fclose(f);
    return rc;
}

int fb_tbvec_output(const char *dir, uint8_t *pkts, size_t cap, size_t *len, uint32_t *reads,
                    size_t nreads, size_t *got)
{
    FILE *f = open_in(dir, "out.txt", "r");
    if (!f)
        return FB_ERR_IO;
    uint8_t pkt[FB_VOSPI_PACKET_BYTES];
    int wpos = -1, rc = FB_OK;
    char line[128];
    *len = 0;
    *got = 0;
    while (rc == FB_OK && fgets(line, sizeof line, f)) {
        unsigned long long w;
        unsigned ra, rd;
        if (sscanf(line, "W %llx", &w) == 1) {
            int sop = (int)(w >> 33) & 1, eop = (int)(w >> 32) & 1;
            if (sop) {
                if (wpos >= 0) {
                    rc = FB_ERR_PARSE;
                    break;
                }
                wpos = 0;
            } else if (wpos < 0) {
                rc = FB_ERR_PARSE;
                break;
            }
            pkt[4 * wpos] = (uint8_t)(w >> 24); /* big-endian, first pixel first */
            pkt[4 * wpos + 1] = (uint8_t)(w >> 16);
            pkt[4 * wpos + 2] = (uint8_t)(w >> 8);
            pkt[4 * wpos + 3] = (uint8_t)w;
            wpos++;
            if (eop != (wpos == FB_VOSPI_PACKET_BYTES / 4)) {
                rc = FB_ERR_PARSE;
                break;
            }
            if (eop) {
                wpos = -1;
                if (cap - *len < FB_VOSPI_PACKET_BYTES) {
                    rc = FB_ERR_RANGE;
                    break;
                }
                memcpy(pkts + *len, pkt, FB_VOSPI_PACKET_BYTES);
                *len += FB_VOSPI_PACKET_BYTES;
            }
        } else if (sscanf(line, "R %x %x", &ra, &rd) == 2) {
            if (*got < nreads)
                reads[*got] = rd;
            (*got)++;
        } else if (strncmp(line, "DONE", 4) != 0) {
            rc = FB_ERR_PARSE; /* TIMEOUT or garbage */
        }
    }
    fclose(f);
    return rc;
}
