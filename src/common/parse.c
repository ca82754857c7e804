/* Strict decimal parsing: strtol accepts leading junk, trailing junk and silent
 * overflow, which would let "-t 3x" or "-t 99999999999" through. */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

bool parse_double(const char *text, double min, double max, double *out)
{
    if (text == NULL || *text == '\0' || isspace((unsigned char)*text))
        return false;
    char *end = NULL;
    double v = strtod(text, &end);
    /* The comparison is false for NaN, so "nan" is refused with the out-of-range. */
    if (end == text || *end != '\0' || !(v >= min && v <= max))
        return false;
    *out = v;
    return true;
}

void parse_describe_long(long min, long max, char *buf, size_t len)
{
    if (min == max)
        snprintf(buf, len, "%ld only", min);
    else
        snprintf(buf, len, "an integer from %ld to %ld", min, max);
}
