/* Strict decimal parsing: strtol accepts leading junk, trailing junk and silent
 * overflow, which would let "-t 3x" or "-t 99999999999" through. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

bool parse_long(const char *text, long min, long max, long *out)
{
    if (text == NULL || *text == '\0' || isspace((unsigned char)*text))
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}
