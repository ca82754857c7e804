/* Median, extremes, mean and sample standard deviation of a sample. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void stats_compute(double *v, size_t n, struct stats *out)
{
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n, ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    *out = (struct stats){
        .n = n,
        .median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2,
        .min = v[0],
        .max = v[n - 1],
        .mean = mean,
        .stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0,
    };
}
