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

/* The interval of the median of the sorted sample v[0..n-1] (n >= 2), as values. */
struct stats_interval {
    double lo, hi;
    double level; /* the coverage actually achieved */
};
void stats_median_interval(const double *v, size_t n, double level, struct stats_interval *out);

/* The median of v[0..n-1] (n >= 1; v is sorted in place) and its interval at level; with
 * one sample the interval is that sample and its coverage 0. */
double stats_median_with_interval(double *v, size_t n, double level, struct stats_interval *out);

/* When a configuration has measured enough: at least min samples, and, with a target,
 * until the interval of the median at level lies within +/- target of the median, up
 * to max samples. target 0 means a fixed count (min). */
struct stats_rule {
    size_t min, max;
    double target; /* relative half-width, 0.02 for +/-2% */
    double level;
};

/* How many more samples the rule asks for, given the sorted sample v[0..n-1]: 0 when it
 * is satisfied. Under a target it estimates the count from the interval's width, which
 * shrinks as 1/sqrt(n), so that a run does not creep up one sample at a time. */
size_t stats_more_needed(const double *v, size_t n, const struct stats_rule *r);

/* The interval's larger side relative to the median of the sorted sample v (n >= 2):
 * max(median - v[lo], v[hi] - median) / median. */
double stats_ci_rel(const double *v, size_t n, double level);

#endif
