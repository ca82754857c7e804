/* Median, extremes, mean and sample standard deviation of a sample. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of a sorted sample: the middle value, or the mean of the middle two. */
static double median_sorted(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
        .median = median_sorted(v, n),
        .min = v[0],
        .max = v[n - 1],
        .mean = mean,
        .stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0,
    };
}

/* P(B <= k) for B ~ Binomial(n, 1/2), through log-factorials so that large n does not
 * underflow 2^-n. */
static double binom_half_cdf(size_t n, size_t k)
{
    double sum = 0, ln2n = (double)n * log(2.0);
    for (size_t i = 0; i <= k && i <= n; i++)
        sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
                   lgamma((double)(n - i) + 1) - ln2n);
    return sum;
}

double stats_median_ci(size_t n, double level, size_t *lo, size_t *hi)
{
    /* The interval between the j-th smallest and the j-th largest (1-based) misses the
     * median only when fewer than j samples fall on one side: coverage 1 - 2 P(B <= j-1).
     * Coverage shrinks as j grows, so keep the largest j that still reaches level. */
    size_t best = 1;
    double cover = n >= 2 ? 1 - 2 * binom_half_cdf(n, 0) : 0;
    for (size_t j = 2; j <= n / 2; j++) {
        double c = 1 - 2 * binom_half_cdf(n, j - 1);
        if (c < level)
            break;
        best = j;
        cover = c;
    }
    *lo = best - 1;
    *hi = n - best;
    return cover;
}

void stats_median_interval(const double *v, size_t n, double level, struct stats_interval *out)
{
    size_t lo, hi;
    out->level = stats_median_ci(n, level, &lo, &hi);
    out->lo = v[lo];
    out->hi = v[hi];
}

/* One sample gets the interval [v0, v0] at level 0 from stats_median_ci itself. */
double stats_median_with_interval(double *v, size_t n, double level, struct stats_interval *out)
{
    qsort(v, n, sizeof *v, cmp_double);
    stats_median_interval(v, n, level, out);
    return median_sorted(v, n);
}

double stats_ci_rel(const double *v, size_t n, double level)
{
    struct stats_interval ci;
    stats_median_interval(v, n, level, &ci);
    double median = median_sorted(v, n);
    if (median <= 0)
        return INFINITY;
    double below = median - ci.lo, above = ci.hi - median;
    return (below > above ? below : above) / median;
}

size_t stats_more_needed(const double *v, size_t n, const struct stats_rule *r)
{
    if (n < r->min)
        return r->min - n;
    if (r->target <= 0 || n >= r->max)
        return 0;
    double rel = stats_ci_rel(v, n, r->level);
    if (rel <= r->target)
        return 0;
    double want = ceil((double)n * (rel / r->target) * (rel / r->target));
    if (!isfinite(want) || want > (double)r->max)
        want = (double)r->max;
    size_t more = (size_t)want - n;
    return more > 0 ? more : 1;
}
