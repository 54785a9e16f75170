/* main.c — the reference firmware on a bare-metal Cortex-M3 (QEMU mps2-an385): protocol on UART0,
 * frames on a frame port.
 *
 * Control messages and events go over the CMSDK UART0 at 0x40004000. Frames arrive through the
 * frame port: under QEMU a semihosting read of the file "fbp-frames" that the bench writes,
 * standing where a camera's sensor SPI/DMA would be. When the file cannot be opened the firmware
 * offers no frame port and takes frames in chunks over the UART (slow under QEMU, but correct).
 * The firmware core (reference/) and the protocol engine (link/) are the same as on the host.
 */
#include <stdint.h>
#include <string.h>
#include "fbfw_link.h"
#include "mcu.h"

/* ---- semihosting (Arm semihosting v2, AArch32 BKPT 0xAB) ---------------------------------- */

#define SYS_OPEN                     0x01
#define SYS_READ                     0x06
#define SYS_EXIT                     0x18
#define SYS_ELAPSED                  0x30
#define SYS_TICKFREQ                 0x31
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUNTIME_ERROR    0x20023

int fbmcu_semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void fbmcu_exit(int status)
{
    /* On AArch32, SYS_EXIT takes the reason code itself in r1. */
    uintptr_t reason = status == 0 ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR;
    fbmcu_semihost(SYS_EXIT, (void *)reason);
    for (;;)
        __asm__ volatile("wfi");
}

/* ---- CMSDK APB UART0 ----------------------------------------------------------------------- */

#define UART0_BASE    0x40004000u
#define UART_DATA     (*(volatile uint32_t *)(UART0_BASE + 0x000u))
#define UART_STATE    (*(volatile uint32_t *)(UART0_BASE + 0x004u))
#define UART_CTRL     (*(volatile uint32_t *)(UART0_BASE + 0x008u))
#define UART_INTCLEAR (*(volatile uint32_t *)(UART0_BASE + 0x00Cu))
#define UART_BAUDDIV  (*(volatile uint32_t *)(UART0_BASE + 0x010u))
#define STATE_TXFULL  0x1u
#define STATE_RXFULL  0x2u
#define CTRL_TXEN     0x1u
#define CTRL_RXEN     0x2u
#define INT_RX        0x2u

static void uart_init(void)
{
    UART_BAUDDIV = 217u; /* 25 MHz / 115200; QEMU ignores the rate */
    UART_CTRL = CTRL_TXEN | CTRL_RXEN;
    /* QEMU stops offering input while the receiver was off; one read of DATA restarts it. */
    (void)UART_DATA;
}

static int uart_write(void *ctx, const uint8_t *buf, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        while (UART_STATE & STATE_TXFULL)
            ;
        UART_DATA = buf[i];
    }
    return 0;
}

static long uart_read(void *ctx, uint8_t *buf, size_t n)
{
    (void)ctx;
    size_t got = 0;
    while (!(UART_STATE & STATE_RXFULL))
        ;
    while (got < n && (UART_STATE & STATE_RXFULL)) {
        UART_INTCLEAR = INT_RX; /* clear the RX interrupt before reading DATA */
        buf[got++] = (uint8_t)UART_DATA;
    }
    return (long)got;
}

/* ---- the frame port ------------------------------------------------------------------------ */

static int frame_handle = -1;

static int frame_read(void *ctx, uint8_t *buf, size_t n)
{
    (void)ctx;
    while (n > 0) {
        uint32_t args[3] = {(uint32_t)frame_handle, (uint32_t)(uintptr_t)buf, (uint32_t)n};
        int not_read = fbmcu_semihost(SYS_READ, args);
        if (not_read < 0 || (size_t)not_read > n)
            return -1;
        size_t got = n - (size_t)not_read;
        if (got == 0)
            return -1; /* end of file: the bench has gone */
        buf += got;
        n -= got;
    }
    return 0;
}

/* ---- memory and time ----------------------------------------------------------------------- */

/* Room for the firmware state and one frame: a 640x480 camera needs ~0.6 MiB of frame. */
static uint8_t arena[3u << 20] __attribute__((aligned(8)));

static void *arena_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return n <= sizeof arena ? arena : NULL;
}

static uint32_t ticks_per_us; /* 0: no semihosting clock */

static uint32_t elapsed_us(void *ctx)
{
    (void)ctx;
    uint32_t t[2] = {0, 0};
    if (fbmcu_semihost(SYS_ELAPSED, t) != 0)
        return 0;
    uint64_t ticks = (uint64_t)t[0] | ((uint64_t)t[1] << 32);
    return (uint32_t)(ticks / ticks_per_us);
}

static fbfw_link lk;

#ifdef FBMCU_HOSTILE /* test-only (hostile.c) */
#define HOOKS (&fbmcu_hostile_hooks)
#else
#define HOOKS NULL
#endif

int main(void)
{
    uart_init();
#ifdef FBMCU_HOSTILE
    fbmcu_hostile_banner(uart_write);
#endif
    static const char name[] = "fbp-frames";
    uint32_t open_args[3] = {(uint32_t)(uintptr_t)name, 1u /* "rb" */, sizeof name - 1u};
    frame_handle = fbmcu_semihost(SYS_OPEN, open_args);
    int freq = fbmcu_semihost(SYS_TICKFREQ, NULL);
    ticks_per_us = freq >= 1000000 ? (uint32_t)freq / 1000000u : 0u;
    fbfw_port port = {.ctx = NULL,
                      .write = uart_write,
                      .read = uart_read,
                      .read_frame = frame_handle >= 0 ? frame_read : NULL,
                      .alloc = arena_alloc,
                      .now_us = ticks_per_us ? elapsed_us : NULL};
    int rc = fbfw_link_run(&lk, &port, HOOKS, NULL);
    return rc == 0 ? 0 : 1;
}
