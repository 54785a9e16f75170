/* broken.h — deliberately broken DUTs (test fixtures): the host firmware with one misbehaviour from
 * frame N on. */
#ifndef FBFW_BROKEN_H
#define FBFW_BROKEN_H

#include <stddef.h>
#include <stdint.h>
#include "fbfw_link.h"

#define FBFW_BROKEN_MODES                                                                          \
    "hang, crash, exit, oversize, garbage, wrong-frame, images, flood, silent, bad-version, "     \
    "daemon, setsid, ignore-term, late-spawn, phone-home, hoard, ptrace, exec, fork-bomb, "       \
    "alloc, next-frame, bad-hello, stderr-escape, snoop, litter, loopback, io-uring, symlink, "     \
    "remove, chatter"

typedef enum fbfw_broken_mode {
    FBFW_BROKEN_HANG,        /* stops answering (sleeps forever) at frame N */
    FBFW_BROKEN_CRASH,       /* dies of SIGSEGV at frame N */
    FBFW_BROKEN_EXIT,        /* exits with status 0 at frame N (stops mid-run) */
    FBFW_BROKEN_OVERSIZE,    /* sends a 1500-byte packet before FRAME_DONE of frame N */
    FBFW_BROKEN_GARBAGE,     /* sends random bytes forever from frame N */
    FBFW_BROKEN_WRONG_FRAME, /* FRAME_DONE names frame+3 from frame N */
    FBFW_BROKEN_IMAGES,      /* sends each frame back as FRAME_CHUNKs from frame N */
    FBFW_BROKEN_FLOOD,       /* sends STATUS messages without end from frame N */
    FBFW_BROKEN_SILENT,      /* never answers HELLO */
    FBFW_BROKEN_BAD_VERSION, /* answers HELLO with protocol version 9.0 */
    /* Processes meant to outlive the run (each sleeps forever; the bench must end them): */
    FBFW_BROKEN_DAEMON,      /* at frame N forks a child that keeps the link socket open */
    FBFW_BROKEN_SETSID,      /* at frame N leaves a grandchild in a session of its own */
    FBFW_BROKEN_IGNORE_TERM, /* at frame N forks a child ignoring SIGTERM, then hangs, itself
                              * ignoring SIGTERM */
    FBFW_BROKEN_LATE_SPAWN,  /* starts a detached child as it acknowledges BYE */
    /* Hostile firmwares (docs/security.md): each tries once, at frame N, then works on. */
    FBFW_BROKEN_PHONE_HOME, /* TCP connect to 203.0.113.9:443, UDP send to 198.51.100.7:53 */
    FBFW_BROKEN_HOARD,      /* writes the frame to its working folder and to /var/tmp */
    FBFW_BROKEN_PTRACE,     /* attaches to its parent with ptrace */
    FBFW_BROKEN_EXEC,       /* runs /bin/sh */
    FBFW_BROKEN_FORK_BOMB,  /* forks until it cannot (the children sleep) */
    FBFW_BROKEN_ALLOC,      /* allocates and touches 2 GiB */
    /* Rule breakers found by the smaller checks: */
    FBFW_BROKEN_NEXT_FRAME,    /* from frame N, adds a status event naming the frame after the
                                * one answered (the bench has sent it: lookahead) */
    FBFW_BROKEN_BAD_HELLO,     /* answers HELLO with a HELLO_ACK of 5 payload bytes (valid CRC) */
    FBFW_BROKEN_STDERR_ESCAPE, /* at frame N writes terminal escape sequences to stderr */
    FBFW_BROKEN_SNOOP,         /* at frame N reads /etc/passwd, lists $HOME, and reads
                                * /etc/hostname by a path relative to /etc (file-snooping) */
    FBFW_BROKEN_LITTER,        /* at frame N leaves 20 files of 1..20 bytes in litter/ */
    /* Not hostile: what the sandbox must let a firmware do. */
    FBFW_BROKEN_LOOPBACK,      /* at frame N talks to itself: TCP and UDP on 127.0.0.1, sendmsg
                                * on ::1, an abstract Unix socket; then sends a datagram to
                                * 192.0.2.1 with sendmsg (recorded, denied) */
    /* Ways around the filter, closed (docs/security.md): */
    FBFW_BROKEN_IO_URING,      /* at frame N sets up an io_uring (a ring's calls bypass seccomp) */
    FBFW_BROKEN_SYMLINK,       /* at frame N links passwd-link -> /etc/passwd and etc-link -> /etc
                                * in its scratch folder, opens and stats both links */
    FBFW_BROKEN_REMOVE,        /* at frame N renames a file in its scratch folder, then tries to
                                * unlink, rename to, mkdir, symlink and chmod under /var/tmp */
    /* Bytes outside the protocol: */
    FBFW_BROKEN_CHATTER        /* writes a log line on the link (stdout) before FRAME_DONE: at
                                * frame N with a 0x00 after it, at N+1 without */
} fbfw_broken_mode;

typedef struct fbfw_broken {
    fbfw_broken_mode mode;
    uint32_t from_frame;
} fbfw_broken;

/* Parses "MODE" or "MODE@N". Returns 0, or -1 with a message in err. */
int fbfw_broken_parse(const char *arg, fbfw_broken *b, char *err, size_t err_len);

extern const fbfw_link_hooks fbfw_broken_hooks;

#endif
