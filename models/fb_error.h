/* fb_error.h — the one error enum of feverbench and its strerror (lowest layer, shared by all). */
#ifndef FB_ERROR_H
#define FB_ERROR_H

/* 0 is success, negative values are errors (libserialport style). A function either
 * reports an error (writes a message) or returns it, never both; see each header. */
typedef enum fb_err {
    FB_OK = 0,
    FB_ERR_ARG = -1,      /* a caller passed an invalid argument (programming error) */
    FB_ERR_RANGE = -2,    /* a physical quantity out of its allowed range */
    FB_ERR_NOMEM = -3,    /* allocation failed */
    FB_ERR_IO = -4,       /* file or device I/O failed; errno holds the OS detail */
    FB_ERR_PARSE = -5,    /* malformed input (scenario, profile, recording) */
    FB_ERR_INVALID = -6,  /* well-formed input that breaks a rule (validation) */
    FB_ERR_DUT = -7,      /* the device under test misbehaved (timeout, crash, protocol) */
    FB_ERR_UNSUPPORTED = -8, /* a variant that does not support the operation */
    FB_ERR_INTERRUPTED = -9  /* a signal (SIGINT, SIGTERM) ended a wait: stop and report */
} fb_err;

/* Static string naming the error; never NULL. */
const char *fb_strerror(int err);

#endif
