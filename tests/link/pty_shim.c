/* pty_shim.c — TEST ONLY (LD_PRELOAD): lets libserialport 0.1.1 open a pseudo-terminal, so the
 * bench's libserialport code path can be exercised without a real serial port.
 *
 * libserialport rejects a pty in two places: sp_get_port_by_name looks the device up in
 * /sys/class/tty/NAME (a link for real ports, absent for pts/N), and sp_open/sp_set_config read
 * and set modem lines (TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET), which a pty refuses with ENOTTY.
 * For /dev/pts/N only, this shim makes the sysfs lookup succeed and the modem-line ioctls no-ops.
 * Never part of the product: tests/link/CMakeLists.txt builds it for the link tests alone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYSFS_PTS "/sys/class/tty/pts/"

static int is_pty_fd(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 &&
           major(st.st_rdev) <= 143;
}

static void fake_link(struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFLNK | 0777;
}

/* glibc < 2.33 ABI (what libserialport 0.1.1 on Debian 12 calls), and the plain names. */
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st)
{
    static int (*real)(int, const char *, struct stat *);
    if (path && strncmp(path, SYSFS_PTS, strlen(SYSFS_PTS)) == 0) {
        fake_link(st);
        return 0;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "__lxstat");
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(ver, path, st);
}

int lstat(const char *path, struct stat *st)
{
    static int (*real)(const char *, struct stat *);
    if (strncmp(path, SYSFS_PTS, strlen(SYSFS_PTS)) == 0) {
        fake_link(st);
        return 0;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "lstat");
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(path, st);
}

ssize_t readlink(const char *path, char *buf, size_t n)
{
    static ssize_t (*real)(const char *, char *, size_t);
    if (strncmp(path, SYSFS_PTS, strlen(SYSFS_PTS)) == 0) {
        static const char target[] = "../../devices/virtual/tty/ptmx";
        size_t k = sizeof target - 1 < n ? sizeof target - 1 : n;
        memcpy(buf, target, k);
        return (ssize_t)k;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "readlink");
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(path, buf, n);
}

int ioctl(int fd, unsigned long req, ...)
{
    static int (*real)(int, unsigned long, void *);
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if ((req == TIOCMGET || req == TIOCMSET || req == TIOCMBIS || req == TIOCMBIC) &&
        is_pty_fd(fd)) {
        if (req == TIOCMGET && arg)
            *(int *)arg = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
        return 0;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "ioctl");
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(fd, req, arg);
}
