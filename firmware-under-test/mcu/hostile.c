/* hostile.c — test-only: the MCU firmware turned against its host. A boot banner outside the
 * protocol on UART0, then at frame 5 a debug line on UART0 mid-run and semihosting calls a
 * firmware has no business making: read /etc/passwd and a file under /sys/bus (where QEMU's own
 * libraries look as it starts), write a host file outside its scratch folder, remove one, rename
 * one, run a host shell command. Linked into fbfw_mcu_hostile.elf only (docs/security.md,
 * tests/link/contain.sh hostile-mcu).
 */
#include <stdint.h>
#include <string.h>
#include "fbfw_link.h"
#include "mcu.h"

#define SYS_OPEN   0x01
#define SYS_CLOSE  0x02
#define SYS_WRITE  0x05
#define SYS_READ   0x06
#define SYS_REMOVE 0x0E
#define SYS_RENAME 0x0F
#define SYS_SYSTEM 0x12
#define MODE_R     0u /* fopen "r" */
#define MODE_W     4u /* fopen "w" */

static int open_host(const char *path, uint32_t mode)
{
    uint32_t a[3] = {(uint32_t)(uintptr_t)path, mode, (uint32_t)strlen(path)};
    return fbmcu_semihost(SYS_OPEN, a);
}

static void before_frame(void *hctx, fbfw_link *lk, uint32_t frame_no)
{
    (void)hctx;
    if (frame_no != 5u)
        return;
    /* a debug line on the protocol's UART, ended by the delimiter (so the packets after it
     * arrive whole) */
    static const char dbg[] = "dbg: frame 5\r\n";
    (void)lk->port->write(lk->port->ctx, (const uint8_t *)dbg, sizeof dbg); /* with its '\0' */
    static uint8_t buf[256];
    static const char *const reads[] = {"/etc/passwd", "/sys/bus/nd/devices"};
    for (size_t i = 0; i < 2u; i++) {
        int h = open_host(reads[i], MODE_R);
        if (h >= 0) {
            uint32_t r[3] = {(uint32_t)h, (uint32_t)(uintptr_t)buf, sizeof buf};
            (void)fbmcu_semihost(SYS_READ, r);
            uint32_t c[1] = {(uint32_t)h};
            (void)fbmcu_semihost(SYS_CLOSE, c);
        }
    }
    static const char owned[] = "owned by an MCU\n";
    int h = open_host("/var/tmp/fbmcu-hostile.txt", MODE_W);
    if (h >= 0) {
        uint32_t w[3] = {(uint32_t)h, (uint32_t)(uintptr_t)owned, sizeof owned - 1u};
        (void)fbmcu_semihost(SYS_WRITE, w);
        uint32_t c[1] = {(uint32_t)h};
        (void)fbmcu_semihost(SYS_CLOSE, c);
    }
    static const char victim[] = "/var/tmp/fbmcu-keep.txt";
    uint32_t rm[2] = {(uint32_t)(uintptr_t)victim, sizeof victim - 1u};
    (void)fbmcu_semihost(SYS_REMOVE, rm);
    static const char from[] = "/var/tmp/fbmcu-ghost.txt", to[] = "/var/tmp/fbmcu-moved.txt";
    uint32_t mv[4] = {(uint32_t)(uintptr_t)from, sizeof from - 1u, (uint32_t)(uintptr_t)to,
                      sizeof to - 1u};
    (void)fbmcu_semihost(SYS_RENAME, mv);
    static const char cmd[] = "echo owned > /var/tmp/fbmcu-system.txt";
    uint32_t s[2] = {(uint32_t)(uintptr_t)cmd, sizeof cmd - 1u};
    (void)fbmcu_semihost(SYS_SYSTEM, s);
}

const fbfw_link_hooks fbmcu_hostile_hooks = {.before_frame = before_frame, .before_send = NULL};

/* Text on the protocol's UART before the handshake, ended by the protocol's delimiter (0x00) so
 * that it stays one malformed packet rather than spoiling HELLO_ACK. */
void fbmcu_hostile_banner(int (*write)(void *ctx, const uint8_t *buf, size_t n))
{
    static const char banner[] = "fbmcu-hostile boot: debug shell on UART0\r\n";
    (void)write(NULL, (const uint8_t *)banner, sizeof banner); /* with its '\0' */
}
