/* mcu.h — the MPS2 AN385 port's few hardware services: semihosting and the CMSDK UART. */
#ifndef FBMCU_H
#define FBMCU_H

#include <stddef.h>
#include <stdint.h>

/* Ends the program (semihosting SYS_EXIT): status 0 success, anything else failure. */
__attribute__((noreturn)) void fbmcu_exit(int status);

#endif
