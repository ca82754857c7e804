/* Error codes and the one message a failing call leaves for its caller.
 * Library code fills a struct error and returns its code; only main prints it. */
#ifndef BENCH_ERROR_H
#define BENCH_ERROR_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_RUN = 1,   /* the run failed: verification, I/O, a resource the system refused */
    ERR_USAGE = 2, /* bad flag, parameter or environment value */
};

struct error {
    char msg[512];
};

/* Formats the message into e (when e is not NULL) and returns code, so that callers can
 * write `return error_set(e, ERR_USAGE, "...")`. */
int error_set(struct error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
