/* memory: STREAM's triad a[j] = b[j] + s*c[j] over three arrays split among the tasks.
 * Task i owns one contiguous block and touches it first, in the warm-up, so its pages sit
 * near the thread that computes on them under a static schedule. The check validates
 * every element of the three arrays, as STREAM does; the rate counts 24 bytes per
 * element (two loads and one store), as STREAM does. By default each array is four times
 * the last-level cache (STREAM's rule), and before each repetition a sweep over another
 * buffer twice that cache's size evicts what the check left of the arrays, so no
 * repetition starts with part of them cached. */
#include "workload.h"

#include "topology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BYTES_PER_ELEMENT 24 /* STREAM's count for the triad: 3 arrays of double */

static const struct param_spec memory_params[] = {
    { .name = "mib", .type = PARAM_INT, .def = "auto", .min = 1, .max = 1048576,
      .automatic = true,
      .help = "total size of the three arrays in MiB; auto: each array four times the "
              "last-level cache hwloc reports (STREAM's rule), so 12 times it in all" },
};

#define LLC_TIMES_PER_ARRAY 4 /* STREAM's rule */
#define SWEEP_TIMES_LLC 2     /* the eviction sweep, against the last-level cache */

struct memory_ctx {
    size_t n, tasks;
    double *a, *b, *c;
    unsigned char *sweep;   /* read through before each repetition, to evict the arrays */
    size_t sweep_len;
    unsigned char *touched; /* per task: its block has been first-touched */
    double scalar;
    unsigned long reps;
    double tick_s;  /* the clock's granularity, measured as STREAM's checktick does */
    double wall_s;  /* of the repetition just run */
    bool touch_run; /* the repetition just run included first touches */
};

/* Sizes every element can be checked against without reading another array. */
static double b_value(size_t j)
{
    return 2.0 + (double)(j & 1023);
}

static double c_value(size_t j)
{
    return 0.5 * (double)(j & 511);
}

static double clock_tick(void)
{
    double best = 1.0;
    for (int k = 0; k < 20; k++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do
            clock_gettime(CLOCK_MONOTONIC, &t1);
        while (t1.tv_sec == t0.tv_sec && t1.tv_nsec == t0.tv_nsec);
        double d = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        best = d < best ? d : best;
    }
    return best;
}

static void memory_free(struct memory_ctx *m)
{
    free(m->a);
    free(m->b);
    free(m->c);
    free(m->sweep);
    free(m->touched);
    free(m);
}

static int memory_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    uint64_t llc = 0, bytes = (uint64_t)params_int(run->params, "mib") << 20;
    int rc = topology_llc_bytes(&llc, e);
    if (rc != ERR_OK && bytes == 0)
        return rc;
    if (bytes == 0)
        bytes = 3 * LLC_TIMES_PER_ARRAY * llc;
    struct memory_ctx *m = calloc(1, sizeof *m);
    if (m == NULL)
        return error_set(e, ERR_RUN, "memory: out of memory");
    m->n = (size_t)(bytes / BYTES_PER_ELEMENT);
    m->tasks = run->tasks;
    if (m->tasks == 0 || m->n < m->tasks) {
        free(m);
        return error_set(e, ERR_USAGE,
                         "-n: memory needs from 1 to %zu tasks (one element each at least)",
                         (size_t)(bytes / BYTES_PER_ELEMENT));
    }
    /* Rounded up to whole cache lines; large blocks come fresh from mmap, so no page is
     * touched before a task touches it. */
    size_t len = (m->n * sizeof(double) + 63) / 64 * 64;
    m->a = aligned_alloc(64, len);
    m->b = aligned_alloc(64, len);
    m->c = aligned_alloc(64, len);
    /* Without a cache size from hwloc, twice the arrays evict them as surely. */
    m->sweep_len = (size_t)(SWEEP_TIMES_LLC * (llc > 0 ? llc : bytes) + 63) / 64 * 64;
    m->sweep = aligned_alloc(64, m->sweep_len);
    m->touched = calloc(m->tasks, 1);
    if (m->a == NULL || m->b == NULL || m->c == NULL || m->sweep == NULL ||
        m->touched == NULL) {
        memory_free(m);
        return error_set(e, ERR_RUN, "memory: cannot allocate 3 arrays of %zu bytes", len);
    }
    /* Written, so that it has pages of its own: untouched pages all map the one zero
     * page, and reading them would evict nothing. */
    memset(m->sweep, 1, m->sweep_len);
    m->tick_s = clock_tick();
    *ctx = m;
    return ERR_OK;
}

/* Reads one byte of every cache line of the sweep buffer; the sink keeps the reads. */
static void evict(const struct memory_ctx *m)
{
    unsigned char sum = 0;
    for (size_t k = 0; k < m->sweep_len; k += 64)
        sum = (unsigned char)(sum + m->sweep[k]);
    volatile unsigned char sink = sum;
    (void)sink;
}

/* A different scalar at every repetition, so that a block a task skipped would still
 * hold the previous repetition's values and fail the check. */
static int memory_rep_begin(void *ctx, struct error *e)
{
    (void)e;
    struct memory_ctx *m = ctx;
    m->reps++;
    m->scalar = 3.0 + (double)(m->reps % 2);
    m->touch_run = false;
    for (size_t i = 0; i < m->tasks && !m->touch_run; i++)
        m->touch_run = !m->touched[i];
    evict(m);
    return ERR_OK;
}

static uint64_t memory_task(void *ctx, size_t i, unsigned tid)
{
    (void)tid;
    struct memory_ctx *m = ctx;
    size_t lo = i * m->n / m->tasks, hi = (i + 1) * m->n / m->tasks;
    double *restrict a = m->a, *restrict b = m->b, *restrict c = m->c;
    if (!m->touched[i]) {
        for (size_t j = lo; j < hi; j++) {
            a[j] = 0.0;
            b[j] = b_value(j);
            c[j] = c_value(j);
        }
        m->touched[i] = 1;
    }
    /* Vectorised in every build: all of them link this object, compiled with
     * -fopenmp-simd (the Makefile), which honours this pragma without the runtime. */
    const double s = m->scalar;
#pragma omp simd
    for (size_t j = lo; j < hi; j++)
        a[j] = b[j] + s * c[j];
    return hi - lo;
}

static void memory_timed(void *ctx, const double *part_s, unsigned nparts)
{
    (void)nparts;
    struct memory_ctx *m = ctx;
    m->wall_s = part_s[0];
}

static bool close_to(double got, double want)
{
    return fabs(got - want) <= 1e-13 * fabs(want);
}

static int memory_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                        struct error *e)
{
    (void)e;
    const struct memory_ctx *m = ctx;
    size_t wrong = 0, wrong_tasks = 0;
    for (size_t i = 0; i < n; i++)
        if (results[i] != (i + 1) * m->n / m->tasks - i * m->n / m->tasks)
            wrong_tasks++;
    for (size_t j = 0; j < m->n; j++) {
        double b = b_value(j), c = c_value(j);
        if (!close_to(m->a[j], b + m->scalar * c) || m->b[j] != b || m->c[j] != c)
            wrong++;
    }
    uint64_t folded[2] = { m->n, wrong + wrong_tasks };
    out->checksum = workload_fold(folded, 2);
    out->verified = wrong == 0 && wrong_tasks == 0;
    out->expected_loss = false;
    /* STREAM's rules, said rather than enforced: a repetition shorter than 20 ticks of
     * the clock is too short to time, and one that first-touched pages (the warm-up,
     * unless -w 0) is not a bandwidth figure. */
    double gbs = (double)BYTES_PER_ELEMENT * (double)m->n / m->wall_s * 1e-9;
    double ticks = m->wall_s / m->tick_s;
    int len = snprintf(out->metrics, sizeof out->metrics, "gb_s=%.3f;bytes=%zu;ticks=%.0f%s%s",
                       gbs, (size_t)BYTES_PER_ELEMENT * m->n, ticks,
                       ticks < 20 ? ";too_short=1" : "", m->touch_run ? ";first_touch=1" : "");
    if (!out->verified && len > 0 && (size_t)len < sizeof out->metrics)
        snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                 ";wrong_elements=%zu;wrong_tasks=%zu", wrong, wrong_tasks);
    return ERR_OK;
}

static void memory_teardown(void *ctx)
{
    memory_free(ctx);
}

const struct workload workload_memory = {
    .name = "memory",
    .bound = "memory bandwidth",
    .summary = "STREAM triad a = b + s*c over arrays split among the tasks; gb_s counts 24 "
               "bytes per element; every element validated",
    .params = memory_params,
    .nparams = sizeof memory_params / sizeof memory_params[0],
    .default_tasks = 64,
    .setup = memory_setup,
    .rep_begin = memory_rep_begin,
    .task = memory_task,
    .check = memory_check,
    .teardown = memory_teardown,
    .timed = memory_timed,
};
