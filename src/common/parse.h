/* Strict number parsing shared by the command line, the environment and workload
 * parameters: the whole text must be the number, in range, with no overflow. */
#ifndef BENCH_PARSE_H
#define BENCH_PARSE_H

#include <stdbool.h>

/* Parses text as a decimal integer in [min, max]; false on anything else. */
bool parse_long(const char *text, long min, long max, long *out);

#endif
