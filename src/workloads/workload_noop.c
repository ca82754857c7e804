/* noop: what a parallel construct costs, measured the EPCC way. A repetition alternates
 * timed reference parts (rounds calls of an empty body on one thread) with timed test
 * parts (rounds of the construct around the same body); the overhead per construct is
 * test minus reference divided by rounds, reported as the median of the samples with a
 * distribution-free 95% interval. Every body call is counted, so the run is verified. */
#include "workload.h"

#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum construct { C_REGION, C_PARFOR, C_BARRIER, C_FOR, C_TASK, C_FORKJOIN, C_CREATE };

static const char *const construct_names[] = { "region", "parfor", "barrier", "for", "task",
                                               "forkjoin", "create", NULL };

static const struct param_spec noop_params[] = {
    { .name = "construct", .type = PARAM_CHOICE, .def = "region", .choices = construct_names,
      .help = "region: a parallel region per round; parfor: a parallel loop of one "
              "iteration per thread per round (EPCC's PARALLEL FOR); barrier: a barrier per "
              "round inside one region; for: one loop of rounds iterations (-s applies); "
              "task: rounds tasks created by one thread; forkjoin: per round, one task per "
              "thread and a wait; "
              "create: a region of threads created and joined per round (bench-pthread only)" },
    { .name = "rounds", .type = PARAM_INT, .def = "1000", .min = 1, .max = 100000000L,
      .help = "constructs per timed sample" },
    { .name = "samples", .type = PARAM_INT, .def = "20", .min = 1, .max = 1000,
      .help = "timed samples of the test and of the reference per repetition" },
};

/* One counter per thread, each on its own cache line, so the body shares nothing. */
struct noop_count {
    _Alignas(64) uint64_t n;
};

struct noop_ctx {
    enum construct construct;
    size_t rounds;
    unsigned samples;
    unsigned threads;
    struct backend *b;   /* for the barrier body; set by drive */
    struct noop_count *count;
    struct noop_count ref; /* the reference loop's own counter */
    void (*body)(struct noop_count *count);
    double *over_us;       /* per sample: (test - reference) / rounds */
    double test_us, ref_us; /* per construct, medians over the samples */
};

/* The empty task: one increment of the caller's own counter, called through a pointer
 * so that the reference loop cannot be folded away. */
static void noop_body(struct noop_count *count)
{
    count->n++;
}

static void region_body(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct noop_ctx *c = arg;
    c->body(&c->count[tid]);
}

static void barrier_body(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct noop_ctx *c = arg;
    for (size_t r = 0; r < c->rounds; r++) {
        c->body(&c->count[tid]);
        backend_barrier(c->b);
    }
}

static void iter_body(void *arg, size_t i, unsigned tid)
{
    (void)i;
    struct noop_ctx *c = arg;
    c->body(&c->count[tid]);
}

static int noop_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    enum construct k = (enum construct)params_int(run->params, "construct");
    if (k == C_CREATE && !backend_offers(BACKEND_SPAWN))
        return error_set(e, ERR_USAGE,
                         "-p construct=create: threads created and joined per region are "
                         "measured by bench-pthread only (the other builds use a team)");
    /* Aligned: the context holds a cache-line-aligned counter. */
    struct noop_ctx *c = aligned_alloc(64, (sizeof *c + 63) / 64 * 64);
    if (c == NULL)
        return error_set(e, ERR_RUN, "noop: out of memory");
    memset(c, 0, sizeof *c);
    c->construct = k;
    c->rounds = (size_t)params_int(run->params, "rounds");
    c->samples = (unsigned)params_int(run->params, "samples");
    c->threads = run->threads;
    c->body = noop_body;
    c->count = aligned_alloc(64, run->threads * sizeof *c->count);
    c->over_us = calloc(c->samples, sizeof *c->over_us);
    if (c->count == NULL || c->over_us == NULL) {
        free(c->count);
        free(c->over_us);
        free(c);
        return error_set(e, ERR_RUN, "noop: out of memory for %u threads", run->threads);
    }
    *ctx = c;
    return ERR_OK;
}

static int noop_rep_begin(void *ctx, struct error *e)
{
    (void)e;
    struct noop_ctx *c = ctx;
    memset(c->count, 0, c->threads * sizeof *c->count);
    c->ref.n = 0;
    return ERR_OK;
}

static unsigned noop_parts(void *ctx)
{
    const struct noop_ctx *c = ctx;
    return 2 * c->samples;
}

static int noop_test(struct noop_ctx *c, struct backend *b, struct error *e)
{
    switch (c->construct) {
    case C_REGION:
        for (size_t r = 0; r < c->rounds; r++)
            backend_region(b, region_body, c);
        break;
    case C_PARFOR:
        for (size_t r = 0; r < c->rounds; r++)
            backend_for(b, c->threads, iter_body, c);
        break;
    case C_BARRIER:
        backend_region(b, barrier_body, c);
        break;
    case C_FOR:
        backend_for(b, c->rounds, iter_body, c);
        break;
    case C_TASK:
        backend_tasks(b, c->rounds, iter_body, c);
        break;
    case C_FORKJOIN:
        for (size_t r = 0; r < c->rounds; r++)
            backend_tasks(b, c->threads, iter_body, c);
        break;
    case C_CREATE:
        for (size_t r = 0; r < c->rounds; r++) {
            int rc = backend_region_spawned(b, region_body, c, e);
            if (rc != ERR_OK)
                return rc;
        }
        break;
    }
    return ERR_OK;
}

/* Even parts are the reference, odd parts the test, interleaved so that a change in the
 * machine's load touches both alike. */
static int noop_drive(void *ctx, struct backend *b, unsigned part, struct error *e)
{
    struct noop_ctx *c = ctx;
    c->b = b;
    if (part % 2 == 1)
        return noop_test(c, b, e);
    for (size_t r = 0; r < c->rounds; r++)
        c->body(&c->ref);
    return ERR_OK;
}

static double median_of(double *v, size_t n)
{
    struct stats s;
    stats_compute(v, n, &s);
    return s.median;
}

static void noop_timed(void *ctx, const double *part_s, unsigned nparts)
{
    struct noop_ctx *c = ctx;
    unsigned ns = nparts / 2;
    double *test = malloc(2 * ns * sizeof *test);
    if (test == NULL) {
        c->test_us = c->ref_us = NAN;
        for (unsigned k = 0; k < ns; k++)
            c->over_us[k] = NAN;
        return;
    }
    double *ref = test + ns;
    for (unsigned k = 0; k < ns; k++) {
        ref[k] = part_s[2 * k] * 1e6 / (double)c->rounds;
        test[k] = part_s[2 * k + 1] * 1e6 / (double)c->rounds;
        c->over_us[k] = test[k] - ref[k];
    }
    c->test_us = median_of(test, ns);
    c->ref_us = median_of(ref, ns);
    free(test);
}

/* The body calls one repetition owes: per thread for the constructs every member runs,
 * in total for those that spread the calls. */
static uint64_t noop_expected(const struct noop_ctx *c, bool *per_thread)
{
    uint64_t n = (uint64_t)c->rounds * c->samples;
    *per_thread = c->construct == C_REGION || c->construct == C_BARRIER ||
                  c->construct == C_CREATE;
    return c->construct == C_FORKJOIN || c->construct == C_PARFOR ? n * c->threads : n;
}

static int noop_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                      struct error *e)
{
    (void)results;
    (void)n;
    (void)e;
    struct noop_ctx *c = ctx;
    bool per_thread;
    uint64_t want = noop_expected(c, &per_thread), total = 0;
    size_t wrong = 0;
    for (unsigned t = 0; t < c->threads; t++) {
        total += c->count[t].n;
        if (per_thread && c->count[t].n != want)
            wrong++;
    }
    if (!per_thread && total != want)
        wrong++;
    if (c->ref.n != (uint64_t)c->rounds * c->samples) /* the reference ran in full */
        wrong++;

    /* The same checksum in every build and at every thread count when all went right:
     * it folds the construct and the rounds run, not how the calls were spread. */
    uint64_t folded[3] = { (uint64_t)c->construct, (uint64_t)c->rounds * c->samples, wrong };
    out->checksum = workload_fold(folded, 3);
    out->verified = wrong == 0;
    out->expected_loss = false;

    /* The median and a distribution-free 95% interval for it: the order statistics of
     * ranks n/2 -+ 0.98 sqrt(n) (Le Boudec, Performance Evaluation, 2.1). */
    size_t ns = c->samples;
    double med = median_of(c->over_us, ns); /* sorts over_us */
    double half = 0.98 * sqrt((double)ns);
    long lo = (long)floor((double)ns / 2 - half), hi = (long)ceil((double)ns / 2 + half);
    lo = lo < 0 ? 0 : lo;
    hi = hi > (long)ns - 1 ? (long)ns - 1 : hi;
    int len = snprintf(out->metrics, sizeof out->metrics,
                       "overhead_us=%.4f;ci_lo_us=%.4f;ci_hi_us=%.4f;test_us=%.4f;ref_us=%.4f",
                       med, c->over_us[lo], c->over_us[hi], c->test_us, c->ref_us);
    if (wrong > 0 && len > 0 && (size_t)len < sizeof out->metrics)
        snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                 ";wrong_counts=%zu", wrong);
    return ERR_OK;
}

static void noop_teardown(void *ctx)
{
    struct noop_ctx *c = ctx;
    free(c->count);
    free(c->over_us);
    free(c);
}

const struct workload workload_noop = {
    .name = "noop",
    .bound = "runtime overhead",
    .uncounted = true,
    .summary = "empty bodies inside rounds of a parallel construct, against the same "
               "bodies without it; overhead_us is the cost per construct (EPCC's method); "
               "-n is not used",
    .params = noop_params,
    .nparams = sizeof noop_params / sizeof noop_params[0],
    .default_tasks = 1,
    .setup = noop_setup,
    .rep_begin = noop_rep_begin,
    .check = noop_check,
    .teardown = noop_teardown,
    .parts = noop_parts,
    .drive = noop_drive,
    .timed = noop_timed,
};
