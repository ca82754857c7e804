/* How long the pool's idle threads spin before they sleep, from the environment:
 * OMP_WAIT_POLICY (active|passive, read as the OpenMP runtime reads it, so one setting
 * steers both builds) and BENCH_SPINCOUNT (the pool's GOMP_SPINCOUNT). */
#ifndef BENCH_WAITPOLICY_H
#define BENCH_WAITPOLICY_H

#include "error.h"

#include <stdbool.h>

#define WAITPOLICY_ACCEPTS "active or passive (any case)"
#define SPINCOUNT_ACCEPTS "a count of polls from 0 to 10^12, or infinity"

/* True for the variables this module reads. */
bool waitpolicy_reads(const char *name);

/* ERR_USAGE, naming the variable and what it accepts, for a bad value. */
int waitpolicy_check_env(const char *name, const char *value, struct error *e);

/* The pool's polls before sleeping: BENCH_SPINCOUNT when set, else 0 for a passive
 * policy, POOL_SPIN_FOREVER for an active one, else POOL_SPIN_DEFAULT (libgomp's). The
 * variables must have passed waitpolicy_check_env. */
long waitpolicy_spin(void);

#endif
