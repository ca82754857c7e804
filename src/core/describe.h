/* `--describe`: the machine (from hwloc and uname) and the build (compiler, flags, OpenMP)
 * as one JSON object, which the suite saves as meta.json beside the results. */
#ifndef BENCH_DESCRIBE_H
#define BENCH_DESCRIBE_H

#include "error.h"

#include <stdio.h>

/* What the binary is, as its backend says (main passes it, so that this module does not
 * depend on which backend is linked). */
struct describe_build {
    const char *backend; /* "seq", "pthread" or "omp" */
    const char *runtime; /* backend_runtime() */
    long openmp;         /* _OPENMP, or 0 without OpenMP */
    const char *backend_compiler; /* backend_compiler: "" when built like the rest */
    const char *openmp_flags;     /* backend_openmp_flags */
};

/* Writes the JSON object and a newline to f; ERR_RUN when hwloc cannot load. */
int describe_print(FILE *f, const struct describe_build *b, struct error *e);

#endif
