/* libhost.c — a vendor's firmware library behind the link protocol: fbfw_host built with
 * FBFW_LIBHOST loads the library named by --lib and forwards the firmware API to it.
 *
 * The bench runs this program, sandboxed, for lib:/path/libfw.so (and inproc:/path/libfw.so), so
 * a vendor's code never runs inside the bench: a library that crashes ends its own process (a DUT
 * fault), and one that reaches for the bench's memory, the network or files meets the sandbox.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fbfw.h"
#include "fbp.h"
#include "libhost.h"

static size_t (*p_state_size)(const fbfw_config *cfg);
static int (*p_init)(void *mem, size_t mem_size, const fbfw_config *cfg);
static int (*p_process)(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                        fbfw_event *events, int max_events);
static const char *(*p_name)(void);

int fbfw_libhost_load(const char *path, char *err, size_t err_len)
{
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        snprintf(err, err_len, "cannot load: %s", dlerror());
        return -1;
    }
    static const char *const syms[] = {"fbfw_state_size", "fbfw_init", "fbfw_process", "fbfw_name"};
    void *f[4];
    for (size_t i = 0; i < 4; i++) {
        f[i] = dlsym(dl, syms[i]);
        if (!f[i]) {
            snprintf(err, err_len, "does not export %s (not a firmware library)", syms[i]);
            return -1;
        }
    }
    /* POSIX: function pointers convert through dlsym's void * */
    memcpy(&p_state_size, &f[0], sizeof f[0]);
    memcpy(&p_init, &f[1], sizeof f[1]);
    memcpy(&p_process, &f[2], sizeof f[2]);
    memcpy(&p_name, &f[3], sizeof f[3]);
    return 0;
}

void fbfw_libhost_fail(int fd, const char *text)
{
    fbp_msg m;
    memset(&m, 0, sizeof m);
    m.type = FBP_ERROR_DUT;
    m.u.error.code = 100;
    m.u.error.fatal = 1;
    m.u.error.frame_no = 0xFFFFFFFFu;
    snprintf(m.u.error.text, sizeof m.u.error.text, "%.*s", FBP_TEXT_MAX, text);
    static uint8_t wire[FBP_MAX_WIRE], scratch[FBP_MAX_RAW];
    int n = fbp_encode(&m, wire, sizeof wire, scratch, sizeof scratch);
    if (n > 0) {
        ssize_t w = write(fd, wire, (size_t)n);
        (void)w;
    }
}

size_t fbfw_state_size(const fbfw_config *cfg)
{
    return p_state_size(cfg);
}

int fbfw_init(void *mem, size_t mem_size, const fbfw_config *cfg)
{
    return p_init(mem, mem_size, cfg);
}

int fbfw_process(void *mem, const uint16_t *frame_ck, uint32_t frame_no, uint32_t flags,
                 fbfw_event *events, int max_events)
{
    return p_process(mem, frame_ck, frame_no, flags, events, max_events);
}

const char *fbfw_name(void)
{
    return p_name();
}
