/* Writing JSON by hand, for the few documents the programs print (--describe, --list). */
#ifndef BENCH_JSONOUT_H
#define BENCH_JSONOUT_H

#include <stdio.h>

/* A JSON string with quotes, backslashes and control characters escaped, or null for
 * NULL: host names, CPU models and descriptions come from outside the program's control. */
void jsonout_string(FILE *f, const char *s);

#endif
