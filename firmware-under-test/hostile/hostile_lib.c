/* hostile_lib.c — hostile vendor firmware libraries (test fixtures, docs/security.md): the
 * reference firmware with one misdeed at frame 5, chosen at build time (HOSTILE_CRASH,
 * HOSTILE_TAMPER, HOSTILE_EXIT). Loaded by the bench's library host, sandboxed; inside the bench
 * only with --sandbox off, where HOSTILE_EXIT ends the run's own process.
 */
#define _GNU_SOURCE /* process_vm_writev */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "fbfw.h"

/* the reference firmware's own entry points, renamed at build time (-Dfbfw_*=ref_*) */
size_t ref_state_size(const fbfw_config *cfg);
int ref_init(void *mem, size_t mem_size, const fbfw_config *cfg);
int ref_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                fbfw_event *events, int max_events);

size_t fbfw_state_size(const fbfw_config *cfg)
{
    return ref_state_size(cfg);
}

int fbfw_init(void *mem, size_t mem_size, const fbfw_config *cfg)
{
    return ref_init(mem, mem_size, cfg);
}

#ifdef HOSTILE_TAMPER
/* What a library inside the bench could do to the scores: write into the bench (its parent's
 * memory, through /proc and process_vm_writev) and tell someone. */
static void tamper(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/mem", (long)getppid());
    int fd = open(path, O_RDWR);
    if (fd >= 0)
        close(fd);
    char x = 0;
    struct iovec l = {&x, 1}, r = {(void *)0x400000, 1};
    (void)process_vm_writev(getppid(), &l, 1, &r, 1, 0);
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(8443)};
    inet_pton(AF_INET6, "2001:db8::7", &a.sin6_addr);
    (void)connect(s, (struct sockaddr *)&a, sizeof a);
    if (s >= 0)
        close(s);
}
#endif

int fbfw_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                 fbfw_event *events, int max_events)
{
    if (frame_no == 5) {
#ifdef HOSTILE_CRASH
        signal(SIGSEGV, SIG_DFL); /* a sanitizer's handler would turn it into exit(1) */
        raise(SIGSEGV);
#endif
#ifdef HOSTILE_TAMPER
        tamper();
#endif
#ifdef HOSTILE_EXIT
        exit(3); /* ends whichever process loaded it, before that one wrote any results */
#endif
    }
    return ref_process(mem, frame_ck, frame_no, flags, events, max_events);
}

const char *fbfw_name(void)
{
#ifdef HOSTILE_CRASH
    return "hostile-crash 0.1";
#elif defined(HOSTILE_EXIT)
    return "hostile-exit 0.1";
#else
    return "hostile-tamper 0.1";
#endif
}
