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

/* A distribution-free confidence interval of the median of n >= 2 samples: the order
 * statistics v[*lo] .. v[*hi] (0-based, of the sorted sample) of the narrowest symmetric
 * pair whose binomial coverage reaches level. When even min..max falls short (n <= 5 for
 * 95%), it gives min..max. Returns the coverage actually achieved. */
double stats_median_ci(size_t n, double level, size_t *lo, size_t *hi);

#endif
