/* memory: STREAM's triad a[j] = b[j] + s*c[j] over three arrays split among the tasks.
 * Task i owns one contiguous block and touches it first, in the warm-up, so its pages sit
 * near the thread that computes on them under a static schedule. A repetition is passes
 * passes over the whole arrays, back to back as STREAM's NTIMES iterations, each pass a
 * parallel loop over all the tasks, so that a repetition lasts long enough to time and
 * to judge. The check validates every element of the three arrays, as STREAM does, and
 * a tally that every task ran once per pass; the rate counts 24 bytes per element (two
 * loads and one store), as STREAM does. By default each array is four times the
 * last-level cache (STREAM's rule), and before each repetition a sweep over another
 * buffer twice that cache's size evicts what the check left of the arrays, so no
 * repetition starts with part of them cached. */
#include "workload.h"

#include "tally.h"
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
    { .name = "passes", .type = PARAM_INT, .def = "1", .min = 1, .max = 1000,
      .help = "triads over the whole arrays per repetition, back to back with no eviction "
              "between them (STREAM's NTIMES); gb_s counts them all, best_gb_s is the "
              "fastest pass's" },
};

static const char *const memory_test_params[] = { "mib=8", "passes=3", NULL };

#define LLC_TIMES_PER_ARRAY 4 /* STREAM's rule */
#define SWEEP_TIMES_LLC 2     /* the eviction sweep, against the last-level cache */

struct memory_ctx {
    size_t n, tasks;
    unsigned passes, threads;
    struct tally_slot *runs; /* per thread: the tasks it ran */
    struct tally_sum want;   /* every task once per pass */
    double *a, *b, *c;
    unsigned char *sweep;   /* read through before each repetition, to evict the arrays */
    size_t sweep_len;
    unsigned char *touched; /* per task: its block has been first-touched */
    double scalar;
    unsigned long reps;
    double tick_s;  /* the clock's granularity, measured as STREAM's checktick does */
    double wall_s;  /* of the repetition just run: its passes added up */
    double best_s;  /* its fastest pass */
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
    free(m->runs);
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
    m->threads = run->threads;
    m->passes = (unsigned)params_int(run->params, "passes");
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
    m->runs = tally_new(m->threads);
    if (m->a == NULL || m->b == NULL || m->c == NULL || m->sweep == NULL ||
        m->touched == NULL || m->runs == NULL) {
        memory_free(m);
        return error_set(e, ERR_RUN, "memory: cannot allocate 3 arrays of %zu bytes", len);
    }
    /* Written, so that it has pages of its own: untouched pages all map the one zero
     * page, and reading them would evict nothing. */
    memset(m->sweep, 1, m->sweep_len);
    m->want = tally_expect_times(m->tasks, m->passes);
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
    tally_reset(m->runs, m->threads);
    evict(m);
    return ERR_OK;
}

/* Task i's block, once: the triad, after the first touch if this is the block's first
 * run. The harness's runs go through drive (one parallel loop per pass); bench-python's
 * kernel=c calls it as the task hook, one task at a time. */
static uint64_t memory_task(void *ctx, size_t i, unsigned tid)
{
    struct memory_ctx *m = ctx;
    tally_note(&m->runs[tid], i);
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

static void pass_task(void *ctx, size_t i, unsigned tid)
{
    (void)memory_task(ctx, i, tid);
}

static unsigned memory_parts(void *ctx)
{
    const struct memory_ctx *m = ctx;
    return m->passes;
}

/* One pass: every task's block once, in one parallel loop. */
static int memory_drive(void *ctx, struct backend *b, unsigned part, struct error *e)
{
    (void)part;
    (void)e;
    struct memory_ctx *m = ctx;
    backend_for(b, m->tasks, pass_task, m);
    return ERR_OK;
}

static void memory_timed(void *ctx, const double *part_s, unsigned nparts)
{
    struct memory_ctx *m = ctx;
    m->wall_s = 0;
    m->best_s = part_s[0];
    for (unsigned k = 0; k < nparts; k++) {
        m->wall_s += part_s[k];
        m->best_s = part_s[k] < m->best_s ? part_s[k] : m->best_s;
    }
}

static bool close_to(double got, double want)
{
    return fabs(got - want) <= 1e-13 * fabs(want);
}

/* results is not read: the harness's repetitions drive the passes and leave it unset;
 * the tally says whether every task ran once per pass. */
static int memory_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                        struct error *e)
{
    (void)results;
    (void)n;
    (void)e;
    const struct memory_ctx *m = ctx;
    size_t wrong = 0;
    struct tally_sum ran;
    bool each_pass = tally_check(m->runs, m->threads, m->want, &ran);
    for (size_t j = 0; j < m->n; j++) {
        double b = b_value(j), c = c_value(j);
        if (!close_to(m->a[j], b + m->scalar * c) || m->b[j] != b || m->c[j] != c)
            wrong++;
    }
    uint64_t folded[2] = { m->n, wrong + !each_pass };
    out->checksum = workload_fold(folded, 2);
    out->verified = wrong == 0 && each_pass;
    out->expected_loss = false;
    /* STREAM's rules, said rather than enforced: a pass shorter than 20 ticks of the
     * clock is too short to time (the shortest pass is judged: best_gb_s times it
     * alone), and a repetition that first-touched pages (the warm-up, unless -w 0) is
     * not a bandwidth figure. */
    double bytes = (double)BYTES_PER_ELEMENT * (double)m->n;
    double gbs = (double)m->passes * bytes / m->wall_s * 1e-9;
    double best = bytes / m->best_s * 1e-9;
    double ticks = m->best_s / m->tick_s;
    int len = snprintf(out->metrics, sizeof out->metrics,
                       "gb_s=%.3f;best_gb_s=%.3f;bytes=%zu;ticks=%.0f%s%s", gbs, best,
                       (size_t)BYTES_PER_ELEMENT * m->n, ticks, ticks < 20 ? ";too_short=1" : "",
                       m->touch_run ? ";first_touch=1" : "");
    if (wrong > 0 && len > 0 && (size_t)len < sizeof out->metrics)
        len += snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                        ";wrong_elements=%zu", wrong);
    if (!each_pass && len > 0 && (size_t)len < sizeof out->metrics)
        snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                 ";task_runs=%llu;wrong_runs=1", (unsigned long long)ran.runs);
    return ERR_OK;
}

static void memory_teardown(void *ctx)
{
    memory_free(ctx);
}

const struct workload workload_memory = {
    .name = "memory",
    .bound = "memory bandwidth",
    .summary = "STREAM triad a = b + s*c over arrays split among the tasks, passes times "
               "per repetition; gb_s counts 24 bytes per element, best_gb_s is the fastest "
               "pass's; every element validated",
    .params = memory_params,
    .nparams = sizeof memory_params / sizeof memory_params[0],
    .default_tasks = 64,
    .test_params = memory_test_params,
    .setup = memory_setup,
    .rep_begin = memory_rep_begin,
    .task = memory_task,
    .check = memory_check,
    .teardown = memory_teardown,
    .timed = memory_timed,
    .parts = memory_parts,
    .drive = memory_drive,
};
