/* --list: the registered workloads, their bound, defaults and parameters, as text for
 * people or as JSON for the runner, the summary and the report. */
#ifndef BENCH_LISTING_H
#define BENCH_LISTING_H

#include <stdbool.h>
#include <stdio.h>

/* Every workload in registry order; json selects the JSON array. */
void listing_print(FILE *f, bool json);

#endif
