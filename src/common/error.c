/* Formatting of the messages that travel back to main with an error code. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int error_set(struct error *e, int code, const char *fmt, ...)
{
    if (e != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
