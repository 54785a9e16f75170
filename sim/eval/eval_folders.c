/* eval_folders.c — evaluate's run folders named by the name each DUT announced in its HELLO
 * (docs/evaluation.md: How it runs). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "evaluate.h"

void fb_eval_folder_name(const char *announced, char *out, size_t len)
{
    size_t j = 0;
    int last_us = 1; /* drop leading and repeated '_' (and so a leading '.' or '-' turned '_') */
    if (len == 0)
        return;
    for (const char *s = announced ? announced : ""; *s && j + 1 < len && j < 63; s++) {
        char ch = *s;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '.' || ch == '_';
        if (j == 0 && (ch == '.' || ch == '-')) /* no hidden folder, no option look-alike */
            ok = 0;
        if (!ok || ch == '_') {
            if (last_us)
                continue;
            out[j++] = '_';
            last_us = 1;
            continue;
        }
        out[j++] = ch;
        last_us = 0;
    }
    while (j > 0 && out[j - 1] == '_')
        j--;
    out[j] = 0;
}

/* 1 when another candidate (before index k, or named with NAME=) already has slug s */
static int taken(const fb_eval *ev, size_t k, const char *s)
{
    for (size_t i = 0; i < ev->n_cands; i++)
        if (i != k && (i < k || ev->cands[i].name) && strcmp(ev->cands[i].slug, s) == 0)
            return 1;
    return 0;
}

/* 1 when runs/old is a symbolic link to new: a resumed evaluation that renamed it before */
static int links_to(const char *old_path, const char *new_slug)
{
    char target[PATH_MAX];
    ssize_t n = readlink(old_path, target, sizeof target - 1);
    if (n < 0)
        return 0;
    target[n] = 0;
    return strcmp(target, new_slug) == 0;
}

void fb_eval_name_folders(fb_eval *ev, const char *out)
{
    for (size_t k = 0; k < ev->n_cands; k++) {
        fb_eval_candidate *c = &ev->cands[k];
        char base[128], want[sizeof c->slug], old_path[4400], new_path[4400];
        fb_eval_folder_name(c->fw_name, base, sizeof base);
        if (c->name || !base[0]) /* --dut NAME=SPEC wins; nothing announced: keep the spec's */
            continue;
        if (c->camera_arg) { /* the camera part of the slug as it was: "@lepton-160" */
            const char *at = strrchr(c->slug, '@');
            snprintf(want, sizeof want, "%s%s", base, at ? at : "");
        } else {
            snprintf(want, sizeof want, "%s", base);
        }
        if (strcmp(want, c->slug) == 0)
            continue;
        snprintf(old_path, sizeof old_path, "%s/runs/%s", out, c->slug);
        /* de-duplicated: two candidates announcing the same name, or a folder already there
         * that is not this candidate's own from an earlier, resumed evaluation */
        char cand[sizeof c->slug];
        snprintf(cand, sizeof cand, "%s", want);
        for (unsigned i = 2; i < 1000; i++) {
            struct stat st;
            snprintf(new_path, sizeof new_path, "%s/runs/%s", out, cand);
            if (!taken(ev, k, cand) && (links_to(old_path, cand) || lstat(new_path, &st) != 0))
                break;
            snprintf(cand, sizeof cand, "%.*s-%u", (int)(sizeof cand - 8), want, i);
        }
        if (!links_to(old_path, cand)) {
            if (rename(old_path, new_path) != 0) {
                fprintf(stderr, "feverbench evaluate: note: runs/%s kept its name (cannot rename it to "
                                "runs/%s: %s)\n", c->slug, cand, strerror(errno));
                continue;
            }
            /* the old name stays as a link, so the same command run again resumes */
            if (symlink(cand, old_path) != 0)
                fprintf(stderr, "feverbench evaluate: note: cannot link runs/%s to runs/%s: %s\n",
                        c->slug, cand, strerror(errno));
        }
        snprintf(c->slug, sizeof c->slug, "%s", cand);
    }
}
