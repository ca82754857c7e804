/* `--describe`: the machine (from hwloc and uname) and the build (compiler, flags, OpenMP)
 * as one JSON object, which the suite saves as meta.json beside the results. */
#ifndef BENCH_DESCRIBE_H
#define BENCH_DESCRIBE_H

#include "error.h"

#include <stdio.h>

/* Writes the JSON object and a newline to f; ERR_RUN when hwloc cannot load. */
int describe_print(FILE *f, struct error *e);

#endif
