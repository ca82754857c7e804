/* contention: every task adds 1 to one shared counter incs times, synchronised in one of
 * the ways the lesson compares: not at all (racy, the lost-update race kept on purpose),
 * a mutex or `omp critical`, an omp_lock_t, an atomic add, or a reduction over
 * per-thread sums. The run reports expected, observed and lost updates, and checks from
 * a tally that every task ran exactly once. */
#include "workload.h"

#include "tally.h"

#include <stdio.h>
#include <stdlib.h>

enum mode { M_RACY, M_MUTEX, M_OMPLOCK, M_ATOMIC, M_REDUCTION };

static const char *const mode_names[] = { "racy", "mutex", "omplock", "atomic", "reduction",
                                          NULL };

static const struct param_spec contention_params[] = {
    { .name = "mode", .type = PARAM_CHOICE, .def = "atomic", .choices = mode_names,
      .help = "racy: load and store with no synchronisation (loses updates on purpose); "
              "mutex: pthread mutex, omp critical in bench-omp; omplock: omp_lock_t "
              "(bench-omp only); atomic: atomic_fetch_add / omp atomic; reduction: "
              "per-thread sums added at the end / reduction(+:)" },
    { .name = "incs", .type = PARAM_INT, .def = "10000", .min = 1, .max = 1000000000L,
      .help = "increments of the shared counter per task" },
};

struct contention_ctx {
    enum mode mode;
    uint64_t incs;
    size_t tasks;
    unsigned threads;
    struct backend *b;
    uint64_t observed;
    struct tally_slot *runs; /* per thread: the tasks it ran */
    struct tally_sum want;   /* every task once */
    _Alignas(64) uint64_t counter; /* alone on its line: the only thing contended */
};

static void contention_free(void *ctx)
{
    struct contention_ctx *c = ctx;
    free(c->runs);
    free(c);
}

static int contention_admit(const struct param_values *params, struct error *e)
{
    if (params_int(params, "mode") == M_OMPLOCK && !backend_offers(BACKEND_OMP_LOCK))
        return error_set(e, ERR_USAGE,
                         "-p mode=omplock: omp_lock_t exists in bench-omp only; here use "
                         "racy, mutex, atomic or reduction");
    return ERR_OK;
}

static int contention_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    enum mode m = (enum mode)params_int(run->params, "mode");
    /* Aligned: the counter inside is aligned to a cache line. */
    struct contention_ctx *c = aligned_alloc(64, (sizeof *c + 63) / 64 * 64);
    if (c == NULL)
        return error_set(e, ERR_RUN, "contention: out of memory");
    *c = (struct contention_ctx){ .mode = m,
                                  .incs = (uint64_t)params_int(run->params, "incs"),
                                  .tasks = run->tasks,
                                  .threads = run->threads,
                                  .runs = tally_new(run->threads),
                                  .want = tally_expect(run->tasks) };
    if (c->runs == NULL) {
        contention_free(c);
        return error_set(e, ERR_RUN, "contention: out of memory for %u threads",
                         run->threads);
    }
    *ctx = c;
    return ERR_OK;
}

static int contention_rep_begin(void *ctx, struct error *e)
{
    (void)e;
    struct contention_ctx *c = ctx;
    c->counter = 0;
    tally_reset(c->runs, c->threads);
    return ERR_OK;
}

static unsigned contention_parts(void *ctx)
{
    (void)ctx;
    return 1;
}

static void add_one(void *arg)
{
    struct contention_ctx *c = arg;
    c->counter++;
}

/* The data race on purpose: a volatile read and a separate volatile write, so that
 * the compiler neither merges the increments nor makes them one locked instruction,
 * and two threads that read the same value store the same value: one update lost. */
static void racy_incs(struct contention_ctx *c)
{
    volatile uint64_t *v = &c->counter;
    for (uint64_t k = 0; k < c->incs; k++)
        *v = *v + 1;
}

static void inc_task(void *arg, size_t i, unsigned tid)
{
    struct contention_ctx *c = arg;
    tally_note(&c->runs[tid], i);
    switch (c->mode) {
    case M_RACY:
        racy_incs(c);
        break;
    case M_MUTEX:
        for (uint64_t k = 0; k < c->incs; k++)
            backend_critical(c->b, add_one, c);
        break;
    case M_OMPLOCK:
        for (uint64_t k = 0; k < c->incs; k++)
            backend_locked(c->b, add_one, c);
        break;
    case M_ATOMIC:
        for (uint64_t k = 0; k < c->incs; k++)
            backend_atomic_add(c->b, &c->counter, 1);
        break;
    case M_REDUCTION:
        break; /* not reached: reduction_task serves it */
    }
}

/* A task's private count, which a reduction then adds up: nothing is shared while the
 * increments run. The empty asm claims to change the count, so the compiler must keep
 * every increment (one add a step, in a register) instead of folding the loop into
 * mine = incs, which would leave nothing to measure but the fork. */
static uint64_t reduction_task(void *arg, size_t i, unsigned tid)
{
    struct contention_ctx *c = arg;
    tally_note(&c->runs[tid], i);
    uint64_t mine = 0;
    for (uint64_t k = 0; k < c->incs; k++) {
        mine++;
        __asm__ volatile("" : "+r"(mine));
    }
    return mine;
}

static int contention_drive(void *ctx, struct backend *b, unsigned part, struct error *e)
{
    (void)part;
    (void)e;
    struct contention_ctx *c = ctx;
    c->b = b;
    if (c->mode == M_REDUCTION) {
        c->observed = backend_sum(b, c->tasks, reduction_task, c);
    } else {
        backend_for(b, c->tasks, inc_task, c);
        c->observed = c->counter;
    }
    return ERR_OK;
}

static int contention_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                            struct error *e)
{
    (void)results;
    (void)n;
    (void)e;
    const struct contention_ctx *c = ctx;
    uint64_t expected = c->incs * c->tasks;
    long long lost = (long long)(expected - c->observed);
    struct tally_sum ran;
    bool once = tally_check(c->runs, c->threads, c->want, &ran);
    out->checksum = workload_fold(&c->observed, 1);
    out->verified = lost == 0 && once;
    /* Only the racy counter may lose updates; a task skipped or run twice is a fault. */
    out->expected_loss = c->mode == M_RACY && lost != 0 && once;
    int len = snprintf(out->metrics, sizeof out->metrics,
                       "expected=%llu;observed=%llu;lost=%lld", (unsigned long long)expected,
                       (unsigned long long)c->observed, lost);
    if (!once && len > 0 && (size_t)len < sizeof out->metrics)
        snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                 ";task_runs=%llu;wrong_runs=1", (unsigned long long)ran.runs);
    return ERR_OK;
}

const struct workload workload_contention = {
    .name = "contention",
    .bound = "synchronisation",
    .summary = "each task adds 1 to one shared counter incs times (racy, mutex, omplock, "
               "atomic or reduction); reports expected, observed and lost updates",
    .params = contention_params,
    .nparams = sizeof contention_params / sizeof contention_params[0],
    .default_tasks = 64,
    .admit = contention_admit,
    .setup = contention_setup,
    .rep_begin = contention_rep_begin,
    .check = contention_check,
    .teardown = contention_free,
    .parts = contention_parts,
    .drive = contention_drive,
};
