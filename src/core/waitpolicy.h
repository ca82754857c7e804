/* How long the pool's idle threads spin before they sleep: OMP_WAIT_POLICY (active or
 * passive, read as the OpenMP runtimes read it, so that one setting steers every build)
 * and BENCH_SPINCOUNT (the pool's GOMP_SPINCOUNT, in its syntax). The environment module
 * reads the variables; this one knows what their values mean. */
#ifndef BENCH_WAITPOLICY_H
#define BENCH_WAITPOLICY_H

#include <stdbool.h>

#define WAITPOLICY_ACCEPTS "active or passive (any case)"
#define SPINCOUNT_ACCEPTS                                                                   \
    "a count of polls, optionally followed by k, M, G or T (thousands, millions, ...), "   \
    "or infinity"

enum waitpolicy { WAITPOLICY_DEFAULT, WAITPOLICY_ACTIVE, WAITPOLICY_PASSIVE };

/* OMP_WAIT_POLICY's values, as both OpenMP runtimes take them: no spaces, any case. */
bool waitpolicy_parse(const char *text, enum waitpolicy *out);

/* GOMP_SPINCOUNT's syntax, as libgomp reads it: a count with an optional k/M/G/T suffix
 * (spaces allowed around it), or infinity/infinite; a count too large saturates to
 * infinity, as libgomp's does. */
bool waitpolicy_parse_spincount(const char *text, long *out);

/* The pool's polls before sleeping: the spin count when one was given (>= 0), else 0
 * for a passive policy, POOL_SPIN_FOREVER for an active one, else POOL_SPIN_DEFAULT
 * (libgomp's). */
long waitpolicy_spin(enum waitpolicy policy, long spincount);

#endif
