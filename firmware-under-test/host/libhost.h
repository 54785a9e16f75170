/* libhost.h — fbfw_host as the host of a vendor's firmware library (libhost.c). */
#ifndef FBFW_LIBHOST_H
#define FBFW_LIBHOST_H

#include <stddef.h>

/* Loads the library at path and binds the firmware API to it. Returns 0, or -1 with a message. */
int fbfw_libhost_load(const char *path, char *err, size_t err_len);
/* Tells the bench on fd, as a fatal ERROR message, why there is no firmware. */
void fbfw_libhost_fail(int fd, const char *text);

#endif
