/* Order statistics of a sample of times, for the summaries the binaries and the
 * suite's summary tool print. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

struct stats {
    size_t n;
    double median, min, max, mean, stddev;
};

/* Summarises v[0..n-1] (n >= 1); v is sorted in place. */
void stats_compute(double *v, size_t n, struct stats *out);

#endif
