/* mcu.h — the MPS2 AN385 port's few hardware services: semihosting and the CMSDK UART. */
#ifndef FBMCU_H
#define FBMCU_H

#include <stddef.h>
#include <stdint.h>

/* An Arm semihosting call (BKPT 0xAB): op in r0, arg in r1; returns r0. */
int fbmcu_semihost(int op, void *arg);
/* Ends the program (semihosting SYS_EXIT): status 0 success, anything else failure. */
__attribute__((noreturn)) void fbmcu_exit(int status);

/* Test-only (hostile.c, in fbfw_mcu_hostile.elf): its link hooks and its boot banner. */
struct fbfw_link_hooks;
extern const struct fbfw_link_hooks fbmcu_hostile_hooks;
void fbmcu_hostile_banner(int (*write)(void *ctx, const uint8_t *buf, size_t n));

#endif
