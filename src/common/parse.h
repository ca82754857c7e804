/* Strict number parsing shared by the command line, the environment and workload
 * parameters: the whole text must be the number, in range, with no overflow. */
#ifndef BENCH_PARSE_H
#define BENCH_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Parses text as a decimal integer in [min, max]; false on anything else. */
bool parse_long(const char *text, long min, long max, long *out);

/* Parses text as a decimal number in [min, max]; false on anything else (NaN included). */
bool parse_double(const char *text, double min, double max, double *out);

/* What parse_long(text, min, max) accepts, as messages and --help say it: "an integer
 * from 1 to 65536". */
void parse_describe_long(long min, long max, char *buf, size_t len);

#endif
