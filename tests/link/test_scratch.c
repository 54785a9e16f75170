/* test_scratch.c — the scratch listing by hand: files and sizes left in a folder, in name order,
 * and the sandbox's own mount points (left behind once their bind mounts are gone) passed over. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fbtest.h"
#include "link/sandbox_scratch.h"

static void put(int dir, const char *name, size_t size_b)
{
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    CHECK(fd >= 0);
    for (size_t i = 0; fd >= 0 && i < size_b; i++)
        CHECK(write(fd, "x", 1) == 1);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    char root[] = "/tmp/fb-scratch-XXXXXX";
    CHECK(mkdtemp(root) != NULL);
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(dir >= 0);
    /* what a DUT left: b (3 bytes), a (0), sub/c (5); what the sandbox made to expose the DUT's
     * own program at /tmp/build/fw: the folder build and the empty file fw */
    put(dir, "b", 3);
    put(dir, "a", 0);
    CHECK(mkdirat(dir, "sub", 0700) == 0);
    put(dir, "sub/c", 5);
    CHECK(mkdirat(dir, "build", 0700) == 0);
    put(dir, "build/fw", 0);

    fb_link_audit a;
    memset(&a, 0, sizeof a);
    CHECK(fb_scratch_list(dir, "/tmp", NULL, 0, &a) == 0);
    CHECK_EQ_INT(a.scratch_files, 4); /* a, b, build/fw, sub/c */
    CHECK_EQ_INT(a.scratch_bytes, 8);

    const char *skip[] = {"/tmp/build/fw"};
    memset(&a, 0, sizeof a);
    CHECK(fb_scratch_list(dir, "/tmp", skip, 1, &a) == 0);
    CHECK_EQ_INT(a.scratch_files, 3);
    CHECK_EQ_INT(a.scratch_bytes, 8);
    CHECK_EQ_INT(a.n_scratch, 3);
    if (a.n_scratch == 3) {
        CHECK(strcmp(a.scratch[0].path, "/tmp/a") == 0);
        CHECK(strcmp(a.scratch[1].path, "/tmp/b") == 0);
        CHECK_EQ_INT(a.scratch[1].size_b, 3);
        CHECK(strcmp(a.scratch[2].path, "/tmp/sub/c") == 0);
        CHECK_EQ_INT(a.scratch[2].size_b, 5);
    }
    CHECK(fb_scratch_list(-1, "/tmp", NULL, 0, &a) == -1); /* no folder: an error, not a list */

    unlinkat(dir, "sub/c", 0);
    unlinkat(dir, "sub", AT_REMOVEDIR);
    unlinkat(dir, "build/fw", 0);
    unlinkat(dir, "build", AT_REMOVEDIR);
    unlinkat(dir, "a", 0);
    unlinkat(dir, "b", 0);
    close(dir);
    rmdir(root);
    return FBTEST_END();
}
