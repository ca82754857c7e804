/* A pinning policy as a user gives it (-b or BENCH_BIND): its syntax, then its PUs
 * against those this process may use. */
#ifndef BENCH_POLICY_H
#define BENCH_POLICY_H

#include "affinity.h"
#include "error.h"

/* Parses text into out (which keeps pointing into text). ERR_USAGE with one line that
 * starts with from ("-b/--bind", "BENCH_BIND") and, for a bad list, names the PUs
 * allowed; ERR_RUN when the topology cannot be loaded. */
int policy_accept(const char *from, const char *text, struct affinity_policy *out,
                  struct error *e);

#endif
