/* sandbox.c — the sandbox around a DUT process: namespaces, a read-only view with a private
 * scratch folder, a scrubbed environment, limits, and a libseccomp filter whose notifications the
 * bench answers (records, then denies or lets through). The threat model: docs/security.md.
 *
 * Who does what: the keeper (link_child.c), root of fresh user/mount namespaces, builds the view
 * (in_keeper); the DUT's process sets limits and loads the filter, hands the filter's listener to
 * the bench over a socket and executes the program with a scrubbed environment (in_dut, exec);
 * the bench answers every notification from its poll loop (fb_sandbox_service). Each layer the
 * kernel refuses is named in the audit ("missing"), never skipped in silence.
 */
#define _GNU_SOURCE
#include "sandbox.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include "../models/fb_error.h"
#include "sandbox_net.h"
#include "sandbox_scratch.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* statfs f_flags (linux/statfs.h); glibc 2.36 lacks it */
#endif
#define SCRATCH_DIR     "/tmp"       /* inside the DUT's view: its working directory and home */
#define SCRATCH_SIZE    "size=64m"   /* tmpfs size: the DUT's whole writable space */
#define MAX_EXPOSED     8            /* files named on the command line, shown read-only */
#define LIMIT_FILE_B    (64u << 20)  /* largest file the DUT may write */
#define LIMIT_FILES     64           /* open files */
#define LIMIT_PROCS     64           /* processes (as the sandbox's own user) */
#define LIMIT_CPU_S     3600         /* CPU seconds */
#define LIMIT_MEM_B     (1ull << 30) /* data (private writable memory): malloc, mmap */

/* Folders that hold people's files, the bench's outputs or other programs' state: the DUT sees
 * each as an empty read-only folder (but for what its command line names). */
static const char *const hidden_dirs[] = {"/home", "/root", "/work", "/mnt", "/media",
                                          "/srv",  "/run",  "/var/tmp", "/opt"};

/* What a DUT may open for reading without a record: its libraries, the system's read-only data,
 * its own processes (a private /proc), the harmless devices, and its scratch folder; besides
 * these, what its command line names and the folders on the way to it. Anything else (/etc/passwd, a hidden home folder) is
 * recorded and denied. */
static const char *const readable[] = {
    "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc/ld.so.cache",
    "/etc/ld.so.preload", "/etc/localtime", "/etc/locale.alias", "/proc",
    "/sys/devices/system", "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
    SCRATCH_DIR};

struct fb_sandbox {
    fbl_child_setup setup;
    char prog[PATH_MAX];             /* argv[0] resolved: the one program the DUT may execute */
    char *const *argv;
    char exposed[MAX_EXPOSED][PATH_MAX];
    int exposed_fd[MAX_EXPOSED];     /* O_PATH, opened in the keeper before hiding */
    size_t n_exposed;
    char hide_extra[2][PATH_MAX];    /* the bench's working folder, if outside hidden_dirs */
    char port_host[PATH_MAX];        /* a file the bench shares (fb_sandbox_port), "" for none */
    char port_view[PATH_MAX];        /* where the DUT sees it: SCRATCH_DIR/name */
    char port_dir[PATH_MAX];         /* its folder: the DUT's working folder without a view */
    int port_fd;                     /* O_PATH, opened in the keeper before hiding */
    const char *runtime_who;         /* an emulator ("QEMU") whose own look-ups are notes */
    const char *const *runtime;      /* prefixes of its own start-up reads (fb_sandbox_runtime) */
    size_t n_runtime;
    bool runtime_ring;               /* its io_uring: refused, a note */
    int fd_chan[2];                  /* DUT -> bench: the seccomp listener (SCM_RIGHTS) */
    int chan_dut_fd;                 /* fd_chan[1]'s number: the one sendmsg not notified */
    int listener;
    int scratch_fd;                  /* the DUT's scratch folder (keeps it readable after the DUT) */
    bool exec_seen;                  /* the DUT's own execve went through */
    bool asan;                       /* the DUT is built with a sanitizer: no address limit */
    double t0;
    struct seccomp_notif *req;
    struct seccomp_notif_resp *resp;
    fb_link_audit rec;               /* attempts recorded so far */
    char missing[160];
    unsigned long flags_got;
};

/* ---- what runs in the child (keeper, then DUT) --------------------------------------------- */

static int mkdirs(const char *path, bool last_is_file)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    if (last_is_file) {
        int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0)
            return -1;
        close(fd);
        return 0;
    }
    return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Binds what the command line names (exposed[k], held open) at its own path, inside a fresh
 * tmpfs laid over its folder; read-only and nosuid when `ro`. Returns 0 or errno. */
static int bind_exposed(const fb_sandbox *sb, size_t k, bool ro)
{
    struct stat es;
    bool is_dir = fstatat(sb->exposed_fd[k], "", &es, AT_EMPTY_PATH) == 0 && S_ISDIR(es.st_mode);
    char src[64];
    snprintf(src, sizeof src, "/proc/self/fd/%d", sb->exposed_fd[k]);
    if (mkdirs(sb->exposed[k], !is_dir) != 0 || mount(src, sb->exposed[k], NULL, MS_BIND, NULL) != 0)
        return errno;
    struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID};
    if (ro && mount_setattr(AT_FDCWD, sb->exposed[k], 0, &a, sizeof a) != 0)
        return errno;
    return 0;
}

/* Runs in the keeper: the view. Returns 0 (layers that fail are noted by the bench's probe). */
static int sb_in_keeper(void *ctx, unsigned long ns_flags)
{
    fb_sandbox *sb = ctx;
    int rc;
    sb->flags_got = ns_flags;
    if (!(sb->flags_got & CLONE_NEWNS))
        return 0;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return errno;
    for (size_t i = 0; i < sb->n_exposed; i++)
        sb->exposed_fd[i] = open(sb->exposed[i], O_PATH | O_CLOEXEC);
    sb->port_fd = sb->port_host[0] ? open(sb->port_host, O_PATH | O_CLOEXEC) : -1;
    if (sb->port_host[0] && sb->port_fd < 0)
        return errno;
    const char *dirs[sizeof hidden_dirs / sizeof hidden_dirs[0] + 2];
    size_t nd = 0;
    for (size_t i = 0; i < sizeof hidden_dirs / sizeof hidden_dirs[0]; i++)
        dirs[nd++] = hidden_dirs[i];
    for (size_t i = 0; i < 2; i++)
        if (sb->hide_extra[i][0])
            dirs[nd++] = sb->hide_extra[i];
    for (size_t i = 0; i < nd; i++) {
        struct stat st;
        if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (mount("tmpfs", dirs[i], "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755") != 0)
            return errno;
        /* what the command line names stays visible where it was */
        for (size_t k = 0; k < sb->n_exposed; k++)
            if (sb->exposed_fd[k] >= 0 && under(sb->exposed[k], dirs[i]) &&
                (rc = bind_exposed(sb, k, false)) != 0)
                return rc; /* made read-only with all the rest below */
    }
    /* everything read-only, then the scratch folder and a /proc of the DUT's own processes */
    struct mount_attr ma = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID};
    if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ma, sizeof ma) != 0)
        return errno;
    /* no symbolic link on it is followed (Linux >= 5.10): a link the DUT makes in its scratch
     * folder cannot take a path judged as scratch anywhere else; an older kernel's refusal is
     * named in the audit (fb_sandbox_started) */
    if (mount("tmpfs", SCRATCH_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOSYMFOLLOW,
              SCRATCH_SIZE ",mode=1777") != 0 &&
        (errno != EINVAL || mount("tmpfs", SCRATCH_DIR, "tmpfs", MS_NOSUID | MS_NODEV,
                                  SCRATCH_SIZE ",mode=1777") != 0))
        return errno;
    /* What the command line names under /tmp (a build tree or a test's folder there) stays
     * visible where it was, read-only, inside the fresh scratch folder. */
    for (size_t k = 0; k < sb->n_exposed; k++)
        if (sb->exposed_fd[k] >= 0 && under(sb->exposed[k], SCRATCH_DIR) &&
            (rc = bind_exposed(sb, k, true)) != 0)
            return rc;
    /* the bench's port, in the scratch folder (a mount point, passed over by the listing) */
    if (sb->port_fd >= 0) {
        char src[64];
        snprintf(src, sizeof src, "/proc/self/fd/%d", sb->port_fd);
        if (mkdirs(sb->port_view, true) != 0 ||
            mount(src, sb->port_view, NULL, MS_BIND, NULL) != 0)
            return errno;
        close(sb->port_fd);
    }
    if (sb->flags_got & CLONE_NEWPID)
        (void)mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    for (size_t i = 0; i < sb->n_exposed; i++)
        if (sb->exposed_fd[i] >= 0)
            close(sb->exposed_fd[i]);
    return 0;
}

/* A call that changes a name, a folder or a mode: where its paths are (dirfd and path argument
 * numbers, -1 for none), and whether the last component of the first is followed. */
typedef struct path_call {
    int nr;
    const char *name;    /* as the record says it ("unlink", "rename") */
    int dir1, path1;     /* the path judged */
    int dir2, path2;     /* a second path judged (rename, link), -1 for none */
    int target;          /* a symbolic link's target: shown, not judged (-1 for none) */
    bool follows;        /* the call follows a link in the last component */
} path_call;

static const path_call path_calls[] = {
    {SCMP_SYS(unlink), "unlink", -1, 0, -1, -1, -1, false},
    {SCMP_SYS(unlinkat), "unlink", 0, 1, -1, -1, -1, false}, /* rmdir with AT_REMOVEDIR */
    {SCMP_SYS(rmdir), "rmdir", -1, 0, -1, -1, -1, false},
    {SCMP_SYS(mkdir), "mkdir", -1, 0, -1, -1, -1, false},
    {SCMP_SYS(mkdirat), "mkdir", 0, 1, -1, -1, -1, false},
    {SCMP_SYS(rename), "rename", -1, 0, -1, 1, -1, false},
    {SCMP_SYS(renameat), "rename", 0, 1, 2, 3, -1, false},
    {SCMP_SYS(renameat2), "rename", 0, 1, 2, 3, -1, false},
    {SCMP_SYS(link), "link", -1, 0, -1, 1, -1, false},
    {SCMP_SYS(linkat), "link", 0, 1, 2, 3, -1, false},
    {SCMP_SYS(symlink), "symlink", -1, 1, -1, -1, 0, false},
    {SCMP_SYS(symlinkat), "symlink", 1, 2, -1, -1, 0, false},
    {SCMP_SYS(chmod), "chmod", -1, 0, -1, -1, -1, true},
    {SCMP_SYS(fchmodat), "chmod", 0, 1, -1, -1, -1, true},
#ifdef __NR_fchmodat2
    {SCMP_SYS(fchmodat2), "chmod", 0, 1, -1, -1, -1, true},
#endif
    {SCMP_SYS(chown), "chown", -1, 0, -1, -1, -1, true},
    {SCMP_SYS(lchown), "chown", -1, 0, -1, -1, -1, false},
    {SCMP_SYS(fchownat), "chown", 0, 1, -1, -1, -1, true},
    {SCMP_SYS(mknod), "mknod", -1, 0, -1, -1, -1, false},
    {SCMP_SYS(mknodat), "mknod", 0, 1, -1, -1, -1, false},
    {SCMP_SYS(truncate), "truncate", -1, 0, -1, -1, -1, true},
};

/* The filter: what is recorded (and then denied or let through by the bench). */
static int add_rules(scmp_filter_ctx f, int chan_fd)
{
    const uint32_t N = SCMP_ACT_NOTIFY;
    int rc = 0;
    rc |= seccomp_rule_add(f, N, SCMP_SYS(socket), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(connect), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(bind), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(listen), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(sendto), 1, SCMP_A4(SCMP_CMP_NE, 0));
    /* sendmsg but on the channel that hands the listener to the bench (before anyone answers) */
    rc |= seccomp_rule_add(f, N, SCMP_SYS(sendmsg), 1, SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)chan_fd));
    rc |= seccomp_rule_add(f, N, SCMP_SYS(sendmmsg), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(ptrace), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(process_vm_readv), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(process_vm_writev), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(execve), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(execveat), 0);
    /* every open: for writing outside scratch it is denied, for reading outside the readable
     * set it is recorded and denied (answer() sorts them) */
    rc |= seccomp_rule_add(f, N, SCMP_SYS(open), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(openat), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(creat), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(openat2), 0);
    /* calls that change names, folders or modes: outside scratch they are denied (the view is
     * read-only anyway) and recorded (answer_path_change) */
    for (size_t i = 0; i < sizeof path_calls / sizeof path_calls[0]; i++)
        rc |= seccomp_rule_add(f, N, path_calls[i].nr, 0);
    /* a ring's operations are made by the kernel, past the filter: no ring */
    rc |= seccomp_rule_add(f, N, SCMP_SYS(io_uring_setup), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(io_uring_enter), 0);
    rc |= seccomp_rule_add(f, N, SCMP_SYS(io_uring_register), 0);
    return rc;
}

static void set_limit(int what, rlim_t v)
{
    struct rlimit r = {v, v};
    (void)setrlimit(what, &r);
}

/* Runs in the DUT's process before exec: user, limits, filter. Returns 0 or an errno. */
static int sb_in_dut(void *ctx, unsigned long ns_flags)
{
    fb_sandbox *sb = ctx;
    sb->flags_got = ns_flags;
    if (sb->flags_got & CLONE_NEWNET)
        (void)fb_sandbox_lo_up(); /* with the capabilities it has until exec; without, no loopback */
    if (sb->flags_got & CLONE_NEWUSER) {
        /* the one id mapped (link_child.c): drops every capability at exec */
        uid_t u = geteuid() == 0 ? 65534 : geteuid();
        gid_t g = geteuid() == 0 ? 65534 : getegid();
        if (getuid() != u && (setresgid(g, g, g) != 0 || setresuid(u, u, u) != 0))
            return errno;
    }
    if ((sb->flags_got & CLONE_NEWNS) && chdir(SCRATCH_DIR) != 0)
        return errno;
    if (!(sb->flags_got & CLONE_NEWNS) && sb->port_dir[0] && chdir(sb->port_dir) != 0)
        return errno;
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
    if (!f)
        return ENOMEM;
    /* The kernel's Spectre mitigations for filtered tasks (forced SSBD, IBPB on every switch)
     * would nearly double the cost of each exchange; the DUT keeps those of any process
     * (docs/security.md says what that leaves). */
    int rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_SSB, 1);
    rc |= add_rules(f, sb->fd_chan[1]);
    if (!rc)
        rc = seccomp_load(f);
    int lfd = rc ? -1 : seccomp_notify_fd(f);
    if (lfd < 0) {
        seccomp_release(f);
        return rc ? -rc : EPERM;
    }
    /* the listener to the bench (sendmsg is not filtered), then exec: the bench answers it */
    char byte = 'L';
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    memset(&cm, 0, sizeof cm);
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf,
                        .msg_controllen = sizeof cm.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &lfd, sizeof lfd);
    if (sendmsg(sb->fd_chan[1], &mh, 0) != 1)
        return errno;
    close(lfd);
    close(sb->fd_chan[1]);
    return 0;
}

static void sb_exec(void *ctx, char *const argv[])
{
    fb_sandbox *sb = ctx;
    /* a scrubbed environment: nothing of the bench's (paths, tokens, user names) */
    static char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" SCRATCH_DIR,
                                 "TMPDIR=" SCRATCH_DIR, "LANG=C.UTF-8", NULL};
    /* the limits last: nothing allocates after them (a sanitizer-built bench's fork would) */
    set_limit(RLIMIT_FSIZE, LIMIT_FILE_B);
    set_limit(RLIMIT_NOFILE, LIMIT_FILES);
    set_limit(RLIMIT_CPU, LIMIT_CPU_S);
    set_limit(RLIMIT_CORE, 0);
    if (sb->flags_got & CLONE_NEWUSER)
        set_limit(RLIMIT_NPROC, LIMIT_PROCS);
    if (!sb->asan) /* not RLIMIT_AS: an emulator reserves its guest's 4 GiB up front */
        set_limit(RLIMIT_DATA, LIMIT_MEM_B);
    execve(sb->prog, argv, envp);
}

/* ---- the bench's side ------------------------------------------------------------------- */

static void sb_while_starting(void *ctx);

static int resolve(const char *name, char *out, size_t len)
{
    if (strchr(name, '/'))
        return realpath(name, out) && access(out, X_OK) == 0 ? 0 : -1;
    const char *path = getenv("PATH");
    char buf[PATH_MAX];
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", name);
        if (access(buf, X_OK) == 0 && realpath(buf, out))
            return 0;
        p += n + (e ? 1 : 0);
    }
    (void)len;
    errno = ENOENT;
    return -1;
}

/* Is the program built with a sanitizer (it reserves terabytes of address space)? */
static bool has_sanitizer(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static const char needle[] = "__asan_init";
    char buf[65536 + sizeof needle];
    size_t keep = 0, n;
    bool found = false;
    while (!found && (n = fread(buf + keep, 1, 65536, f)) > 0) {
        n += keep;
        found = memmem(buf, n, needle, sizeof needle - 1) != NULL;
        keep = n < sizeof needle ? n : sizeof needle - 1;
        memmove(buf, buf + n - keep, keep);
    }
    fclose(f);
    return found;
}

/* The vendor tree /opt/NAME of a path below it (not /opt/NAME itself): 1, or 0 for none. */
static int vendor_tree(const char *path, char *out, size_t len)
{
    static const char opt[] = "/opt/";
    if (strncmp(path, opt, sizeof opt - 1) != 0)
        return 0;
    const char *name = path + sizeof opt - 1, *slash = strchr(name, '/');
    if (!slash || slash == name || !slash[1] || (size_t)(slash - path) >= len)
        return 0;
    snprintf(out, len, "%.*s", (int)(slash - path), path);
    return 1;
}

int fb_sandbox_new(fb_sandbox **out, char *const argv[], char *err, size_t err_len)
{
    *out = NULL;
    fb_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) {
        snprintf(err, err_len, "out of memory");
        return FB_ERR_NOMEM;
    }
    sb->listener = -1;
    sb->scratch_fd = -1;
    sb->port_fd = -1;
    sb->fd_chan[0] = sb->fd_chan[1] = -1;
    if (resolve(argv[0], sb->prog, sizeof sb->prog) != 0) {
        snprintf(err, err_len, "cannot start \"%s\": %s", argv[0], strerror(errno));
        free(sb);
        return FB_ERR_ARG;
    }
    sb->argv = argv;
    sb->asan = has_sanitizer(sb->prog);
    /* the program and every existing file the command line names stay visible */
    snprintf(sb->exposed[sb->n_exposed++], PATH_MAX, "%s", sb->prog);
    for (int i = 1; argv[i] && sb->n_exposed < MAX_EXPOSED; i++) {
        char rp[PATH_MAX];
        if (argv[i][0] != '-' && realpath(argv[i], rp))
            snprintf(sb->exposed[sb->n_exposed++], PATH_MAX, "%s", rp);
    }
    /* a program or library of a vendor's tree under /opt (FHS: /opt/<package>): the whole tree,
     * for its own lib/ and data */
    for (size_t i = 0, n0 = sb->n_exposed; i < n0; i++) {
        char rp[PATH_MAX], tree[PATH_MAX];
        if (!realpath(sb->exposed[i], rp) || !vendor_tree(rp, tree, sizeof tree))
            continue;
        bool have = false;
        for (size_t k = 0; k < sb->n_exposed; k++)
            have |= strcmp(sb->exposed[k], tree) == 0;
        if (!have && sb->n_exposed < MAX_EXPOSED)
            snprintf(sb->exposed[sb->n_exposed++], PATH_MAX, "%s", tree);
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") != 0) {
        bool covered = false;
        for (size_t i = 0; i < sizeof hidden_dirs / sizeof hidden_dirs[0]; i++)
            covered |= under(cwd, hidden_dirs[i]);
        if (!covered && !under(cwd, "/tmp"))
            snprintf(sb->hide_extra[0], PATH_MAX, "%s", cwd);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sb->fd_chan) != 0 ||
        seccomp_notify_alloc(&sb->req, &sb->resp) != 0) {
        snprintf(err, err_len, "sandbox: %s", strerror(errno));
        fb_sandbox_free(sb);
        return FB_ERR_IO;
    }
    sb->chan_dut_fd = sb->fd_chan[1];
    sb->setup.clone_flags =
        CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
    sb->setup.as_nobody = true;
    sb->setup.ctx = sb;
    sb->setup.in_keeper = sb_in_keeper;
    sb->setup.in_dut = sb_in_dut;
    sb->setup.exec = sb_exec;
    sb->setup.while_starting = sb_while_starting;
    snprintf(sb->rec.sandbox, sizeof sb->rec.sandbox, "on");
    *out = sb;
    return FB_OK;
}

int fb_sandbox_port(fb_sandbox *sb, const char *host_path, const char *name, char *err,
                    size_t err_len)
{
    const char *slash = strrchr(host_path, '/');
    if (host_path[0] != '/' || !name[0] || strchr(name, '/') ||
        snprintf(sb->port_host, sizeof sb->port_host, "%s", host_path) >=
            (int)sizeof sb->port_host) {
        snprintf(err, err_len, "sandbox: bad port %s", host_path);
        sb->port_host[0] = '\0';
        return FB_ERR_ARG;
    }
    snprintf(sb->port_view, sizeof sb->port_view, SCRATCH_DIR "/%s", name);
    snprintf(sb->port_dir, sizeof sb->port_dir, "%.*s",
             slash == host_path ? 1 : (int)(slash - host_path), host_path);
    return FB_OK;
}

void fb_sandbox_runtime(fb_sandbox *sb, const char *who, const char *const *prefixes, size_t n,
                        bool ring)
{
    sb->runtime_who = who;
    sb->runtime = prefixes;
    sb->n_runtime = n;
    sb->runtime_ring = ring;
}

const fbl_child_setup *fb_sandbox_setup(fb_sandbox *sb)
{
    return &sb->setup;
}

int fb_sandbox_fd(const fb_sandbox *sb)
{
    return sb ? sb->listener : -1;
}

static void record(fb_sandbox *sb, uint32_t frame, double t_s, bool egress, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void record(fb_sandbox *sb, uint32_t frame, double t_s, bool egress, const char *fmt, ...)
{
    fb_link_audit *a = &sb->rec;
    a->sandbox_violations++;
    a->egress_attempts += egress;
    if (a->n_attempts >= FB_AUDIT_MAX_ATTEMPTS)
        return;
    fb_audit_attempt *at = &a->attempts[a->n_attempts++];
    at->frame = frame;
    at->t_s = t_s;
    at->egress = egress;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(at->what, sizeof at->what, fmt, ap);
    va_end(ap);
}

/* Something the emulator did for itself, refused: a runtime note (audit.sandbox.runtime), no
 * violation. Distinct notes are kept (up to FB_AUDIT_MAX_RUNTIME); every one is counted. */
static void note_runtime(fb_sandbox *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note_runtime(fb_sandbox *sb, const char *fmt, ...)
{
    fb_link_audit *a = &sb->rec;
    a->runtime_notes++;
    char what[sizeof a->runtime[0]];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < a->n_runtime; i++)
        if (strcmp(a->runtime[i], what) == 0)
            return;
    if (a->n_runtime < FB_AUDIT_MAX_RUNTIME)
        snprintf(a->runtime[a->n_runtime++], sizeof a->runtime[0], "%s", what);
}

/* Is thread pid (as the bench sees it) its process's main thread (Tgid = Pid)? An emulator's
 * libraries look things up there as it starts; its guest runs on a thread of its own (QEMU's
 * vCPU thread makes the guest's semihosting calls). */
static bool main_thread(pid_t pid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    long tgid = -1;
    while (tgid < 0 && fgets(line, sizeof line, f))
        if (strncmp(line, "Tgid:", 5) == 0)
            tgid = strtol(line + 5, NULL, 10);
    fclose(f);
    return tgid == (long)pid;
}

/* Reads len bytes at addr of process pid (the notification's). Returns bytes read or -1. */
static ssize_t peek(pid_t pid, uint64_t addr, void *buf, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = pread(fd, buf, len, (off_t)addr);
    close(fd);
    return n;
}

static void peek_string(pid_t pid, uint64_t addr, char *out, size_t len)
{
    ssize_t n = addr ? peek(pid, addr, out, len - 1) : -1;
    if (n < 0)
        n = 0;
    out[n] = '\0';
    for (char *p = out; *p; p++) /* a path for a report: printable only */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            *p = '?';
    if (!out[0])
        snprintf(out, len, "(unreadable)");
}

/* Reads the socket address a DUT passed (len bytes at addr). Returns its length, or 0. */
static size_t read_addr(pid_t pid, uint64_t addr, uint64_t len, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    size_t n = len < sizeof *ss ? (size_t)len : sizeof *ss;
    ssize_t got = addr ? peek(pid, addr, ss, n) : -1;
    return got >= (ssize_t)sizeof(sa_family_t) ? (size_t)got : 0;
}

static void format_addr(const struct sockaddr_storage *ss, size_t n, char *out, size_t out_len)
{
    if (!n) {
        snprintf(out, out_len, "(unreadable address)");
        return;
    }
    char ip[INET6_ADDRSTRLEN];
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        snprintf(out, out_len, "%s:%u", ip, (unsigned)ntohs(s4->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        snprintf(out, out_len, "[%s]:%u", ip, (unsigned)ntohs(s6->sin6_port));
    } else if (ss->ss_family == AF_UNIX) {
        const struct sockaddr_un *su = (const struct sockaddr_un *)ss;
        snprintf(out, out_len, "unix:%.100s", su->sun_path[0] ? su->sun_path : "(abstract)");
    } else {
        snprintf(out, out_len, "address family %u", (unsigned)ss->ss_family);
    }
}

/* The address of a sendmsg (msghdr at a) or the first non-local one of a sendmmsg (vlen
 * mmsghdrs at a; up to 64 judged): *n 0 when there is none to judge (connected sockets). Returns
 * false when an address leaves the namespace (or cannot be read). */
static bool msg_addr(pid_t pid, uint64_t a, uint64_t vlen, bool netns, struct sockaddr_storage *ss, size_t *n)
{
    *n = 0;
    for (uint64_t i = 0; i < (vlen < 64 ? vlen : 64); i++) {
        struct msghdr mh;
        if (peek(pid, a + i * sizeof(struct mmsghdr), &mh, sizeof mh) != (ssize_t)sizeof mh)
            return false;
        if (!mh.msg_name)
            continue;
        *n = read_addr(pid, (uint64_t)(uintptr_t)mh.msg_name, mh.msg_namelen, ss);
        if (!*n || !netns || !fb_sandbox_net_local(ss, *n))
            return false;
    }
    return true;
}

static const char *family_name(uint64_t f)
{
    switch (f) {
    case AF_INET: return "IPv4";
    case AF_INET6: return "IPv6";
    case AF_UNIX: return "unix";
    case AF_NETLINK: return "netlink";
    case AF_PACKET: return "packet";
    default: return "other";
    }
}

/* Does process `proc` (as the bench sees it) have a thread whose id in the DUT's own PID
 * namespace (NSpid's last field) is tid? */
static bool has_thread(long proc, uint64_t tid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/task", proc);
    DIR *d = opendir(path);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sp[300];
        snprintf(sp, sizeof sp, "/proc/%ld/task/%s/status", proc, e->d_name);
        FILE *t = fopen(sp, "r");
        if (!t)
            continue;
        while (fgets(line, sizeof line, t))
            if (strncmp(line, "NSpid:", 6) == 0) {
                char *last = strrchr(line, '\t');
                found = last && strtoull(last + 1, NULL, 10) == tid;
            }
        fclose(t);
    }
    closedir(d);
    return found;
}

/* Is the ptrace target one of the caller's own threads, or of its parent when the caller shares
 * its parent's memory? That is a sanitizer's leak check: a tracer process cloned with the DUT's
 * memory stops the DUT's threads. pid: the caller as the bench sees it; tid: the target in the DUT's view. */
static bool own_thread(pid_t pid, uint64_t tid)
{
    char path[64], line[256];
    long tgid = -1, ppid = -1;
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Tgid:", 5) == 0)
            tgid = strtol(line + 5, NULL, 10);
        else if (strncmp(line, "PPid:", 5) == 0)
            ppid = strtol(line + 5, NULL, 10);
    }
    fclose(f);
    if (tgid > 0 && has_thread(tgid, tid))
        return true;
    /* the parent only when it shares the caller's memory (kcmp KCMP_VM): a tracer it cloned */
    return ppid > 0 && syscall(SYS_kcmp, (long)pid, ppid, KCMP_VM, 0L, 0L) == 0 &&
           has_thread(ppid, tid);
}

/* The flags of an open call (openat2: the open_how's first field). */
static uint64_t open_flags(pid_t pid, int nr, const __u64 *a)
{
    if (nr == SCMP_SYS(open))
        return a[1];
    if (nr == SCMP_SYS(openat))
        return a[2];
    uint64_t how = 0;
    if (nr == SCMP_SYS(openat2) && peek(pid, a[2], &how, sizeof how) == (ssize_t)sizeof how)
        return how;
    return O_WRONLY | O_CREAT | O_TRUNC; /* creat, or an open_how we cannot read */
}

/* out = the absolute, lexically normalised form of path as process pid sees it: relative paths
 * against its working folder (AT_FDCWD) or the folder open at dirfd. Returns false when the base
 * cannot be read. */
static bool absolute(pid_t pid, int dirfd, const char *path, char *out, size_t len)
{
    char buf[2 * PATH_MAX + 2];
    if (path[0] == '/') {
        snprintf(buf, sizeof buf, "%s", path);
    } else {
        char link[64], base[PATH_MAX];
        if (dirfd == AT_FDCWD)
            snprintf(link, sizeof link, "/proc/%ld/cwd", (long)pid);
        else
            snprintf(link, sizeof link, "/proc/%ld/fd/%d", (long)pid, dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        if (n <= 0 || base[0] != '/')
            return false;
        base[n] = '\0';
        snprintf(buf, sizeof buf, "%s/%s", base, path);
    }
    /* collapse "//", "/./" and "/x/.." */
    size_t o = 0;
    out[o] = '\0';
    for (char *save = NULL, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            while (o > 0 && out[--o] != '/')
                ;
            out[o] = '\0';
            continue;
        }
        int k = snprintf(out + o, len - o, "/%s", c);
        if (k < 0 || (size_t)k >= len - o)
            return false;
        o += (size_t)k;
    }
    if (o == 0)
        snprintf(out, len, "/");
    return true;
}

/* Is a component of full (a path in the scratch folder) a symbolic link on the scratch file
 * system (links inside binds of exposed trees are theirs)? Its path and target in link, target.
 * The kernel follows none of them (MS_NOSYMFOLLOW): this only names what the DUT tried. */
static bool scratch_link(const fb_sandbox *sb, const char *full, bool last_too, char *link,
                         size_t link_len, char *target, size_t target_len)
{
    struct stat root;
    if (sb->scratch_fd < 0 || fstat(sb->scratch_fd, &root) != 0)
        return false;
    const char *rel = full + strlen(SCRATCH_DIR);
    char p[PATH_MAX];
    for (const char *c = rel; *c == '/';) {
        const char *e = strchr(c + 1, '/');
        size_t n = e ? (size_t)(e - rel) : strlen(rel);
        if (!e && !last_too)
            return false;
        snprintf(p, sizeof p, ".%.*s", (int)n, rel);
        struct stat st;
        if (fstatat(sb->scratch_fd, p, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != root.st_dev)
            return false; /* gone, or not on the scratch file system */
        if (S_ISLNK(st.st_mode)) {
            ssize_t k = readlinkat(sb->scratch_fd, p, target, target_len - 1);
            target[k > 0 ? k : 0] = '\0';
            snprintf(link, link_len, SCRATCH_DIR "%.*s", (int)n, rel);
            return true;
        }
        if (!e)
            return false;
        c = e;
    }
    return false;
}

/* An open: for writing, allowed in scratch only; for reading, allowed in the readable set and
 * what the command line names; otherwise recorded and denied. Returns whether to let it through. */
static bool answer_open(fb_sandbox *sb, const struct seccomp_notif *q, uint32_t frame,
                        double t_s)
{
    int nr = q->data.nr;
    const __u64 *a = q->data.args;
    pid_t pid = (pid_t)q->pid;
    bool at = nr == SCMP_SYS(openat) || nr == SCMP_SYS(openat2);
    char what[PATH_MAX], full[PATH_MAX];
    peek_string(pid, at ? a[1] : a[0], what, sizeof what);
    uint64_t fl = open_flags(pid, nr, a);
    bool writes = (fl & O_ACCMODE) != O_RDONLY || (fl & (O_CREAT | O_TRUNC));
    bool known = absolute(pid, at ? (int)a[0] : AT_FDCWD, what, full, sizeof full);
    bool mountns = (sb->flags_got & CLONE_NEWNS) != 0;
    char link[PATH_MAX], target[PATH_MAX];
    if (known && mountns && under(full, SCRATCH_DIR) &&
        scratch_link(sb, full, !(fl & O_NOFOLLOW), link, sizeof link, target, sizeof target)) {
        record(sb, frame, t_s, false, "open %s for %s through the link %s -> %s, denied", full,
               writes ? "writing" : "reading", link, target);
        return false;
    }
    if (writes) {
        /* its scratch folder is its own; what is left there is listed (sandbox_scratch.c) */
        bool scratch = known ? under(full, SCRATCH_DIR) || strcmp(full, "/dev/null") == 0
                             : what[0] != '/' && strstr(what, "..") == NULL;
        if (scratch && mountns)
            return true;
        record(sb, frame, t_s, false, "open %s for writing, denied", what);
        return false;
    }
    bool ok = false;
    for (size_t i = 0; known && !ok && i < sizeof readable / sizeof readable[0]; i++)
        ok = under(full, readable[i]) && (mountns || strcmp(readable[i], SCRATCH_DIR) != 0);
    /* what the command line names, and the folders on the way to it (in the view they hold
     * only that: an interpreter lists its script's folder) */
    for (size_t i = 0; known && !ok && i < sb->n_exposed; i++)
        ok = under(full, sb->exposed[i]) || (mountns && under(sb->exposed[i], full));
    /* the bench's port where it is (in the view it is in scratch) */
    ok |= known && !mountns && sb->port_host[0] && strcmp(full, sb->port_host) == 0;
    /* an emulator's own look-up on its main thread: refused (no such file), a runtime note; the
     * same path from its guest's thread is the firmware's, recorded below */
    for (size_t i = 0; known && !ok && i < sb->n_runtime; i++)
        if (under(full, sb->runtime[i]) && main_thread(pid)) {
            sb->resp->error = -ENOENT;
            note_runtime(sb, "%s: open %s for reading, refused (no such file)", sb->runtime_who,
                         full);
            return false;
        }
    if (!ok)
        record(sb, frame, t_s, false, "open %s for reading, denied", known ? full : what);
    return ok;
}

/* One path of a path_call, judged: whether it lies in the scratch folder (only with a view of
 * its own: otherwise /tmp is the host's); its absolute form (or as given) in shown. */
static bool path_in_scratch(const fb_sandbox *sb, pid_t pid, const __u64 *a, int dir, int path,
                            char *shown, size_t len)
{
    char what[PATH_MAX];
    peek_string(pid, a[path], what, sizeof what);
    int dirfd = dir < 0 ? AT_FDCWD : (int)a[dir];
    bool known = absolute(pid, dirfd, what, shown, len);
    if (!known)
        snprintf(shown, len, "%s", what);
    bool scratch = known ? under(shown, SCRATCH_DIR) : what[0] != '/' && strstr(what, "..") == NULL;
    return scratch && (sb->flags_got & CLONE_NEWNS) != 0;
}

/* A call that changes a name, a folder or a mode (path_calls): let through in the scratch folder
 * (the DUT's own), recorded and denied anywhere else ("unlink /var/tmp/x, denied"), and through
 * a link in scratch too (which the kernel would refuse: nosymfollow). Returns whether to let it
 * through; false with *handled false when nr is no such call. */
static bool answer_path_change(fb_sandbox *sb, const struct seccomp_notif *q, uint32_t frame,
                               double t_s, bool *handled)
{
    const path_call *c = NULL;
    for (size_t i = 0; !c && i < sizeof path_calls / sizeof path_calls[0]; i++)
        if (path_calls[i].nr == q->data.nr)
            c = &path_calls[i];
    *handled = c != NULL;
    if (!c)
        return false;
    const __u64 *a = q->data.args;
    pid_t pid = (pid_t)q->pid;
    const char *name = c->name;
    if (q->data.nr == SCMP_SYS(unlinkat) && (a[2] & AT_REMOVEDIR))
        name = "rmdir";
    char p1[PATH_MAX], p2[PATH_MAX] = "", target[PATH_MAX] = "";
    bool ok = path_in_scratch(sb, pid, a, c->dir1, c->path1, p1, sizeof p1);
    if (c->path2 >= 0)
        ok &= path_in_scratch(sb, pid, a, c->dir2, c->path2, p2, sizeof p2);
    if (c->target >= 0)
        peek_string(pid, a[c->target], target, sizeof target);
    char link[PATH_MAX], to[PATH_MAX];
    if (ok && under(p1, SCRATCH_DIR) &&
        scratch_link(sb, p1, c->follows, link, sizeof link, to, sizeof to)) {
        record(sb, frame, t_s, false, "%s %s through the link %s -> %s, denied", name, p1, link,
               to);
        return false;
    }
    if (ok)
        return true;
    if (c->path2 >= 0)
        record(sb, frame, t_s, false, "%s %s to %s, denied", name, p1, p2);
    else if (c->target >= 0)
        record(sb, frame, t_s, false, "%s %s -> %s, denied", name, p1, target);
    else
        record(sb, frame, t_s, false, "%s %s, denied", name, p1);
    return false;
}

/* Answers one notification. */
static void answer(fb_sandbox *sb, uint32_t frame, double t_s)
{
    struct seccomp_notif *q = sb->req;
    struct seccomp_notif_resp *r = sb->resp;
    memset(q, 0, sizeof *q);
    if (seccomp_notify_receive(sb->listener, q) != 0)
        return;
    memset(r, 0, sizeof *r);
    r->id = q->id;
    r->error = -EACCES; /* denied unless let through below */
    int nr = q->data.nr;
    const __u64 *a = q->data.args;
    pid_t pid = (pid_t)q->pid;
    char what[PATH_MAX + 32];
    bool allow = false;
    /* In its own network namespace (nothing but a loopback) a DUT may talk to itself: sockets of
     * the internet and Unix families, addresses that stay inside (sandbox_net.c). Without one,
     * every socket is recorded and denied. */
    bool netns = (sb->flags_got & CLONE_NEWNET) != 0;
    struct sockaddr_storage ss;
    size_t sn;
    if (nr == SCMP_SYS(socket)) {
        if (netns && fb_sandbox_net_family_ok(a[0]))
            allow = true;
        else
            record(sb, frame, t_s, true, "socket (%s, type %llu), denied", family_name(a[0]),
                   (unsigned long long)(a[1] & 0xF));
    } else if (nr == SCMP_SYS(connect) || nr == SCMP_SYS(bind) || nr == SCMP_SYS(sendto)) {
        uint64_t addr = nr == SCMP_SYS(sendto) ? a[4] : a[1];
        uint64_t len = nr == SCMP_SYS(sendto) ? a[5] : a[2];
        sn = read_addr(pid, addr, len, &ss);
        if (netns && sn && fb_sandbox_net_local(&ss, sn)) {
            allow = true;
        } else {
            format_addr(&ss, sn, what, sizeof what);
            record(sb, frame, t_s, true, "%s %s %s, denied",
                   nr == SCMP_SYS(connect) ? "connect" : nr == SCMP_SYS(bind) ? "bind" : "sendto",
                   nr == SCMP_SYS(bind) ? "on" : "to", what);
        }
    } else if (nr == SCMP_SYS(sendmsg) || nr == SCMP_SYS(sendmmsg)) {
        bool mm = nr == SCMP_SYS(sendmmsg);
        if (msg_addr(pid, a[1], mm ? a[2] : 1, netns, &ss, &sn)) {
            allow = true;
        } else {
            format_addr(&ss, sn, what, sizeof what);
            record(sb, frame, t_s, true, "%s to %s, denied", mm ? "sendmmsg" : "sendmsg", what);
        }
    } else if (nr == SCMP_SYS(listen)) {
        if (netns)
            allow = true; /* reachable from the namespace alone */
        else
            record(sb, frame, t_s, true, "listen, denied");
    } else if (nr == SCMP_SYS(ptrace)) {
        if (own_thread(pid, a[1])) {
            allow = true; /* a sanitizer's leak check stops its own threads */
        } else {
            record(sb, frame, t_s, false, "ptrace (request %llu, pid %llu), denied",
                   (unsigned long long)a[0], (unsigned long long)a[1]);
        }
    } else if (nr == SCMP_SYS(process_vm_readv) || nr == SCMP_SYS(process_vm_writev)) {
        record(sb, frame, t_s, false, "%s of pid %llu, denied",
               nr == SCMP_SYS(process_vm_readv) ? "process_vm_readv" : "process_vm_writev",
               (unsigned long long)a[0]);
    } else if (nr == SCMP_SYS(io_uring_setup) || nr == SCMP_SYS(io_uring_enter) ||
               nr == SCMP_SYS(io_uring_register)) {
        if (sb->runtime_ring) { /* an emulator's event loop (its guest has no way to a ring) */
            r->error = -ENOSYS;  /* it falls back to poll */
            note_runtime(sb, "%s: %s, refused (not implemented: it polls)", sb->runtime_who,
                         nr == SCMP_SYS(io_uring_setup)   ? "io_uring_setup"
                         : nr == SCMP_SYS(io_uring_enter) ? "io_uring_enter"
                                                          : "io_uring_register");
        } else
            record(sb, frame, t_s, false, "%s (its ring would bypass the filter), denied",
                   nr == SCMP_SYS(io_uring_setup)   ? "io_uring_setup"
                   : nr == SCMP_SYS(io_uring_enter) ? "io_uring_enter"
                                                    : "io_uring_register");
    } else if (nr == SCMP_SYS(execve) || nr == SCMP_SYS(execveat)) {
        peek_string(pid, nr == SCMP_SYS(execve) ? a[0] : a[1], what, sizeof what);
        if (!sb->exec_seen && strcmp(what, sb->prog) == 0) {
            allow = true; /* the DUT itself */
            sb->exec_seen = true;
        } else {
            record(sb, frame, t_s, false, "execute %s, denied", what);
        }
    } else {
        bool handled;
        allow = answer_path_change(sb, q, frame, t_s, &handled);
        if (!handled)
            allow = answer_open(sb, q, frame, t_s);
    }
    if (allow) {
        r->error = 0;
        r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    }
    if (seccomp_notify_id_valid(sb->listener, q->id) == 0)
        (void)seccomp_notify_respond(sb->listener, r);
}

void fb_sandbox_service(fb_sandbox *sb, uint32_t frame, double t_s)
{
    if (!sb || sb->listener < 0)
        return;
    for (int i = 0; i < 256; i++) {
        struct pollfd p = {.fd = sb->listener, .events = POLLIN};
        if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
            return;
        answer(sb, frame, t_s);
    }
}

static void note_missing(fb_sandbox *sb, const char *what)
{
    size_t n = strlen(sb->missing);
    snprintf(sb->missing + n, sizeof sb->missing - n, "%s%s", n ? ", " : "", what);
}

/* The listener, sent by the DUT before exec (non-blocking: nothing yet is fine). */
static void take_listener(fb_sandbox *sb)
{
    if (sb->listener >= 0 || sb->fd_chan[0] < 0)
        return;
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf,
                        .msg_controllen = sizeof cm.buf};
    if (recvmsg(sb->fd_chan[0], &mh, MSG_DONTWAIT) == 1) {
        struct cmsghdr *h = CMSG_FIRSTHDR(&mh);
        if (h && h->cmsg_type == SCM_RIGHTS) {
            memcpy(&sb->listener, CMSG_DATA(h), sizeof(int));
            (void)fcntl(sb->listener, F_SETFD, FD_CLOEXEC);
        }
    }
}

/* While the DUT starts: its listener, then its own execve. */
static void sb_while_starting(void *ctx)
{
    fb_sandbox *sb = ctx;
    if (sb->fd_chan[1] >= 0) { /* the DUT's copy is the only writer left */
        close(sb->fd_chan[1]);
        sb->fd_chan[1] = -1;
    }
    take_listener(sb);
    if (sb->listener >= 0 && !sb->exec_seen) {
        struct pollfd q = {.fd = sb->listener, .events = POLLIN};
        while (poll(&q, 1, 0) == 1 && (q.revents & POLLIN))
            answer(sb, 0, 0.0);
    }
}

int fb_sandbox_started(fb_sandbox *sb, fbl_child *c, char *err, size_t err_len)
{
    sb->flags_got = c->ns_flags;
    sb->t0 = fb_link_now();
    take_listener(sb);
    if (sb->fd_chan[0] >= 0) {
        close(sb->fd_chan[0]);
        sb->fd_chan[0] = -1;
    }
    if (sb->listener < 0 || !sb->exec_seen) {
        snprintf(err, err_len, "sandbox: the DUT started without its filter");
        return FB_ERR_IO;
    }
    static const struct {
        unsigned long flag;
        const char *name;
    } layers[] = {{CLONE_NEWUSER, "user namespace"}, {CLONE_NEWPID, "PID namespace"},
                  {CLONE_NEWNET, "network namespace"}, {CLONE_NEWNS, "mount namespace"},
                  {CLONE_NEWIPC, "IPC namespace"}};
    char got[128] = "";
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        if (sb->flags_got & layers[i].flag) {
            size_t n = strlen(got);
            snprintf(got + n, sizeof got - n, "%s%s", n ? "," : "",
                     (const char *[]){"user", "pid", "net", "mount", "ipc"}[i]);
        } else if (layers[i].flag != CLONE_NEWUSER || geteuid() != 0) {
            note_missing(sb, layers[i].name);
        } else {
            note_missing(sb, "user namespace (the DUT runs as root)");
        }
    }
    size_t n = strlen(got);
    snprintf(got + n, sizeof got - n, "%sseccomp,limits", n ? "," : "");
    if (sb->asan)
        note_missing(sb, "memory limit (sanitizer build)");
    if (!(sb->flags_got & CLONE_NEWUSER))
        note_missing(sb, "process-count limit");
    if (sb->flags_got & CLONE_NEWNS) { /* the keeper's view: held so it outlives the DUT */
        char p[64];
        snprintf(p, sizeof p, "/proc/%ld/root" SCRATCH_DIR, (long)c->pid);
        sb->scratch_fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct statfs sf;
        if (sb->scratch_fd < 0)
            note_missing(sb, "scratch listing");
        else if (fstatfs(sb->scratch_fd, &sf) != 0 || !(sf.f_flags & ST_NOSYMFOLLOW))
            note_missing(sb, "links in scratch not followed (Linux < 5.10)");
    }
    snprintf(sb->rec.sandbox_layers, sizeof sb->rec.sandbox_layers, "%s", got);
    snprintf(sb->rec.sandbox_missing, sizeof sb->rec.sandbox_missing, "%s", sb->missing);
    return FB_OK;
}

void fb_sandbox_audit(fb_sandbox *sb, fb_link_audit *a)
{
    if (sb->scratch_fd >= 0) {
        const char *skip[MAX_EXPOSED + 1]; /* the mount points made for exposed files there */
        size_t n_skip = 0;
        for (size_t k = 0; k < sb->n_exposed; k++)
            if (under(sb->exposed[k], SCRATCH_DIR))
                skip[n_skip++] = sb->exposed[k];
        if (sb->port_host[0]) /* and for the bench's port */
            skip[n_skip++] = sb->port_view;
        (void)fb_scratch_list(sb->scratch_fd, SCRATCH_DIR, skip, n_skip, a);
    }
    snprintf(a->sandbox, sizeof a->sandbox, "%s", sb->rec.sandbox);
    snprintf(a->sandbox_layers, sizeof a->sandbox_layers, "%s", sb->rec.sandbox_layers);
    snprintf(a->sandbox_missing, sizeof a->sandbox_missing, "%s", sb->rec.sandbox_missing);
    a->egress_attempts = sb->rec.egress_attempts;
    a->sandbox_violations = sb->rec.sandbox_violations;
    a->n_attempts = sb->rec.n_attempts;
    memcpy(a->attempts, sb->rec.attempts, sizeof a->attempts);
    a->runtime_notes = sb->rec.runtime_notes;
    a->n_runtime = sb->rec.n_runtime;
    memcpy(a->runtime, sb->rec.runtime, sizeof a->runtime);
}

void fb_sandbox_audit_off(fb_link_audit *a, const char *why)
{
    snprintf(a->sandbox, sizeof a->sandbox, "off");
    snprintf(a->sandbox_missing, sizeof a->sandbox_missing, "%s", why);
}

void fb_sandbox_free(fb_sandbox *sb)
{
    if (!sb)
        return;
    if (sb->listener >= 0)
        close(sb->listener);
    if (sb->scratch_fd >= 0)
        close(sb->scratch_fd);
    for (int i = 0; i < 2; i++)
        if (sb->fd_chan[i] >= 0)
            close(sb->fd_chan[i]);
    seccomp_notify_free(sb->req, sb->resp);
    free(sb);
}
