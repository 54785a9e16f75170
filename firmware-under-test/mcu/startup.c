/* startup.c — Cortex-M3 reset and fault vectors for the MPS2 AN385: copies .data, zeroes .bss, runs
 * main. */
#include <stdint.h>
#include "mcu.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void fbmcu_reset(void);
void fbmcu_fault(void);

void fbmcu_reset(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    while (dst < &_edata)
        *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss; dst++)
        *dst = 0;
    int rc = main();
    fbmcu_exit(rc);
}

/* Any fault ends the emulation with a failure status: the bench reports the DUT's death. */
void fbmcu_fault(void)
{
    fbmcu_exit(3);
}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)&_estack, /* initial stack pointer */
    fbmcu_reset,                 /* reset */
    fbmcu_fault,                 /* NMI */
    fbmcu_fault,                 /* hard fault */
    fbmcu_fault,                 /* memory management fault */
    fbmcu_fault,                 /* bus fault */
    fbmcu_fault,                 /* usage fault */
    0,
    0,
    0,
    0,           /* reserved */
    fbmcu_fault, /* SVCall */
    fbmcu_fault, /* debug monitor */
    0,           /* reserved */
    fbmcu_fault, /* PendSV */
    fbmcu_fault, /* SysTick */
};
