/* noop: what a parallel construct costs, measured as EPCC's microbenchmarks do. A
 * repetition alternates timed reference parts with timed test parts. Each test part runs
 * rounds instances of the construct around bodies that run EPCC's delay loop for
 * delay_ns; the reference part runs, on one thread, the bodies one thread of the test
 * runs (syncbench and taskbench: one body per round; schedbench: the iterations of one
 * thread). The overhead per construct is the median test time minus the median reference
 * time, per round (EPCC's median_ovrhd), with an exact distribution-free interval. Every
 * body call is tallied, so a body run twice or never fails the run. */
#include "workload.h"

#include "clock.h"
#include "stats.h"
#include "tally.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum construct {
    C_REGION,
    C_PARFOR,
    C_PARFOR_RUNTIME,
    C_BARRIER,
    C_FOR,
    C_TASK,
    C_FORKJOIN,
    C_CREATE
};

static const char *const construct_names[] = { "region", "parfor",   "parfor-runtime",
                                               "barrier", "for",     "task",
                                               "forkjoin", "create", NULL };

/* What overhead_us is per, by construct: the `unit` metric. */
static const char *const construct_units[] = { "region", "loop", "loop",  "barrier",
                                               "loop",   "task", "round", "region" };

/* EPCC schedbench's iterations per thread in each loop of the for construct. */
#define FOR_ITERS_PER_THREAD 1024

/* The delay calibration, as EPCC's getdelaylengthfromtime: calls per timing. */
#define DELAY_CALIBRATION_CALLS 1000

static const struct param_spec noop_params[] = {
    { .name = "construct", .type = PARAM_CHOICE, .def = "region", .choices = construct_names,
      .help = "region: a parallel region per round (per region); parfor: a parallel loop "
              "with the default schedule, one iteration per thread (per loop; EPCC's "
              "PARALLEL FOR); parfor-runtime: the same with schedule(runtime), the loop "
              "the other workloads run (per loop); barrier: a barrier per round inside one "
              "region (per barrier); for: one region, a loop of 1024 iterations per thread "
              "per round with the -s schedule (per loop, and per iteration in "
              "iter_overhead_us; EPCC's schedbench); task: one thread creates one task per "
              "thread per round (per task on each thread; EPCC's MASTER TASK); forkjoin: "
              "per round, one task per thread and a wait (per round); create: a region of "
              "threads created and joined per round (per region; bench-pthread only)" },
    { .name = "rounds", .type = PARAM_INT, .def = "1000", .min = 1, .max = 100000000L,
      .help = "constructs per timed sample" },
    { .name = "samples", .type = PARAM_INT, .def = "20", .min = 1, .max = 1000,
      .help = "timed samples of the test and of the reference per repetition" },
    { .name = "delay_ns", .type = PARAM_INT, .def = "100", .min = 0, .max = 10000,
      .help = "nanoseconds of work in every body, test and reference alike: EPCC's delay "
              "loop, calibrated once before the first repetition (its default, 0.1 us); 0: "
              "the bodies only count themselves" },
};

struct noop_ctx;

/* The argument of a construct started once per round by the caller: where it sits in
 * the round array says the round, so no shared word is written per round. */
struct noop_round {
    struct noop_ctx *c;
};

/* The argument of the iterations of one loop or batch of tasks (or of the reference
 * loop): the slots they tally in and the number of the first body. */
struct noop_batch {
    struct noop_ctx *c;
    struct tally_slot *slots;
    uint64_t first;
};

struct noop_ctx {
    enum construct construct;
    size_t rounds;
    unsigned samples;
    unsigned threads;
    uint64_t width;     /* bodies of the test per round (every thread's) */
    uint64_t refwidth;  /* bodies of the reference per round (one thread's) */
    unsigned sample;    /* the sample being run */
    int delay_iters;    /* of the delay loop in every body: delay_ns, calibrated */
    struct backend *b;  /* for the barrier and the shared loop; set by drive */
    void (*body)(struct noop_ctx *c, struct tally_slot *slot, uint64_t id);
    backend_iter_fn *ref_iter; /* batch_iter, called through a pointer as a runtime does */
    struct tally_slot *tally; /* the test's bodies, one slot per thread */
    struct tally_slot *ref;   /* the reference's bodies */
    struct noop_round *round; /* rounds entries, for constructs started per round */
    struct tally_sum want, want_ref;
    double *test_us; /* per sample, per round: the test parts' times */
    double *ref_us;  /* the same for the reference parts */
};

/* EPCC's delay (common.c): a chain of dependent float additions, which the compiler may
 * neither vectorise nor reorder without -ffast-math, so its time grows with iters on any
 * machine. The test on a keeps the loop; it is never true. Not inlined, as EPCC's is a
 * call into another file, so that the bodies run what the calibration timed. */
__attribute__((noinline)) static void delay_loop(int iters)
{
    float a = 0.0f;
    for (int i = 0; i < iters; i++)
        a += (float)i;
    if (a < 0)
        printf("%f\n", (double)a);
}

/* EPCC's getdelaylengthfromtime: the iterations grow by 10% (and one) until a call takes
 * at least delay_ns. Each length is timed three times and the fastest kept, so that being
 * descheduled during one timing (this suite runs on shared machines) cannot stop the
 * growth early. */
static int delay_calibrate(long delay_ns)
{
    int iters = 0;
    delay_loop(iters);
    double per_call_ns = 0;
    while (per_call_ns < (double)delay_ns) {
        iters = (int)(iters * 1.1) + 1;
        per_call_ns = INFINITY;
        for (int k = 0; k < 3; k++) {
            double t0 = clock_now_s();
            for (int c = 0; c < DELAY_CALIBRATION_CALLS; c++)
                delay_loop(iters);
            double ns = (clock_now_s() - t0) * 1e9 / DELAY_CALIBRATION_CALLS;
            per_call_ns = ns < per_call_ns ? ns : per_call_ns;
        }
    }
    return iters;
}

/* The body with delay_ns=0: it tallies itself and nothing else. Called through a pointer
 * so that the reference loop cannot be folded away. */
static void noop_body(struct noop_ctx *c, struct tally_slot *slot, uint64_t id)
{
    (void)c;
    tally_note(slot, id);
}

/* The body EPCC runs, tallied. */
static void delay_body(struct noop_ctx *c, struct tally_slot *slot, uint64_t id)
{
    delay_loop(c->delay_iters);
    tally_note(slot, id);
}

/* Body i of round r of the current sample; bodies are numbered 0..samples*rounds*width-1
 * across the repetition, each number run exactly once. */
static uint64_t round_body_id(const struct noop_round *ra, uint64_t i)
{
    const struct noop_ctx *c = ra->c;
    uint64_t r = (uint64_t)(ra - c->round);
    return ((uint64_t)c->sample * c->rounds + r) * c->width + i;
}

static void round_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    const struct noop_round *ra = arg;
    ra->c->body(ra->c, &ra->c->tally[tid], round_body_id(ra, tid));
}

static void round_iter(void *arg, size_t i, unsigned tid)
{
    const struct noop_round *ra = arg;
    ra->c->body(ra->c, &ra->c->tally[tid], round_body_id(ra, i));
}

static void batch_iter(void *arg, size_t i, unsigned tid)
{
    const struct noop_batch *a = arg;
    a->c->body(a->c, &a->slots[tid], a->first + i);
}

static uint64_t sample_first_id(const struct noop_ctx *c)
{
    return (uint64_t)c->sample * c->rounds * c->width;
}

static void barrier_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct noop_ctx *c = arg;
    uint64_t id = sample_first_id(c) + tid;
    for (size_t r = 0; r < c->rounds; r++, id += c->width) {
        c->body(c, &c->tally[tid], id);
        backend_barrier(c->b);
    }
}

/* schedbench's loop: every member meets rounds loops of width iterations; each member's
 * batch is its own, and all of them agree on the numbers. */
static void for_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct noop_ctx *c = arg;
    struct noop_batch a = { .c = c, .slots = c->tally, .first = sample_first_id(c) };
    for (size_t r = 0; r < c->rounds; r++, a.first += c->width)
        backend_workshare(c->b, tid, c->width, batch_iter, &a);
}

static bool started_per_round(enum construct k)
{
    return k == C_REGION || k == C_PARFOR || k == C_PARFOR_RUNTIME || k == C_FORKJOIN ||
           k == C_CREATE;
}

static void noop_free(struct noop_ctx *c)
{
    free(c->tally);
    free(c->ref);
    free(c->round);
    free(c->test_us);
    free(c);
}

static int noop_admit(const struct param_values *params, struct error *e)
{
    if (params_int(params, "construct") == C_CREATE && !backend_offers(BACKEND_SPAWN))
        return error_set(e, ERR_USAGE,
                         "-p construct=create: threads created and joined per region are "
                         "measured by bench-pthread only (the other builds use a team)");
    return ERR_OK;
}

static int noop_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    enum construct k = (enum construct)params_int(run->params, "construct");
    struct noop_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return error_set(e, ERR_RUN, "noop: out of memory");
    c->construct = k;
    c->rounds = (size_t)params_int(run->params, "rounds");
    c->samples = (unsigned)params_int(run->params, "samples");
    c->threads = run->threads;
    c->refwidth = k == C_FOR ? FOR_ITERS_PER_THREAD : 1;
    c->width = c->refwidth * run->threads;
    long delay_ns = params_int(run->params, "delay_ns");
    c->delay_iters = delay_ns > 0 ? delay_calibrate(delay_ns) : 0;
    c->body = delay_ns > 0 ? delay_body : noop_body;
    c->ref_iter = batch_iter;
    c->tally = tally_new(run->threads);
    c->ref = tally_new(1);
    c->test_us = calloc(2 * (size_t)c->samples, sizeof *c->test_us);
    if (started_per_round(k))
        c->round = malloc(c->rounds * sizeof *c->round);
    if (c->tally == NULL || c->ref == NULL || c->test_us == NULL ||
        (started_per_round(k) && c->round == NULL)) {
        noop_free(c);
        return error_set(e, ERR_RUN, "noop: out of memory for %u threads and %zu rounds",
                         run->threads, (size_t)params_int(run->params, "rounds"));
    }
    c->ref_us = c->test_us + c->samples;
    for (size_t r = 0; c->round != NULL && r < c->rounds; r++)
        c->round[r].c = c;
    c->want = tally_expect((uint64_t)c->samples * c->rounds * c->width);
    c->want_ref = tally_expect((uint64_t)c->samples * c->rounds * c->refwidth);
    *ctx = c;
    return ERR_OK;
}

static int noop_rep_begin(void *ctx, struct error *e)
{
    (void)e;
    struct noop_ctx *c = ctx;
    tally_reset(c->tally, c->threads);
    tally_reset(c->ref, 1);
    return ERR_OK;
}

static unsigned noop_parts(void *ctx)
{
    const struct noop_ctx *c = ctx;
    return 2 * c->samples;
}

static int noop_test(struct noop_ctx *c, struct backend *b, struct error *e)
{
    struct noop_batch batch = { .c = c, .slots = c->tally, .first = sample_first_id(c) };
    switch (c->construct) {
    case C_REGION:
        for (size_t r = 0; r < c->rounds; r++)
            backend_region(b, round_member, &c->round[r]);
        break;
    case C_PARFOR:
        for (size_t r = 0; r < c->rounds; r++)
            backend_parfor(b, c->threads, round_iter, &c->round[r]);
        break;
    case C_PARFOR_RUNTIME:
        for (size_t r = 0; r < c->rounds; r++)
            backend_for(b, c->threads, round_iter, &c->round[r]);
        break;
    case C_BARRIER:
        backend_region(b, barrier_member, c);
        break;
    case C_FOR:
        backend_region(b, for_member, c);
        break;
    case C_TASK:
        backend_tasks(b, c->rounds * c->width, batch_iter, &batch);
        break;
    case C_FORKJOIN:
        for (size_t r = 0; r < c->rounds; r++)
            backend_tasks(b, c->threads, round_iter, &c->round[r]);
        break;
    case C_CREATE:
        for (size_t r = 0; r < c->rounds; r++) {
            int rc = backend_region_spawned(b, round_member, &c->round[r], e);
            if (rc != ERR_OK)
                return rc;
        }
        break;
    }
    return ERR_OK;
}

/* Even parts are the reference, odd parts the test, interleaved so that a change in the
 * machine's load touches both alike. The reference calls each body as the runtimes do,
 * through the iteration function, so that a body costs the same in both. */
static int noop_drive(void *ctx, struct backend *b, unsigned part, struct error *e)
{
    struct noop_ctx *c = ctx;
    c->b = b;
    c->sample = part / 2;
    if (part % 2 == 1)
        return noop_test(c, b, e);
    struct noop_batch ref = { .c = c, .slots = c->ref,
                              .first = (uint64_t)c->sample * c->rounds * c->refwidth };
    size_t n = c->rounds * (size_t)c->refwidth;
    backend_iter_fn *iter = c->ref_iter;
    for (size_t k = 0; k < n; k++)
        iter(&ref, k, 0);
    return ERR_OK;
}

static void noop_timed(void *ctx, const double *part_s, unsigned nparts)
{
    struct noop_ctx *c = ctx;
    for (unsigned k = 0; k < nparts / 2; k++) {
        c->ref_us[k] = part_s[2 * k] * 1e6 / (double)c->rounds;
        c->test_us[k] = part_s[2 * k + 1] * 1e6 / (double)c->rounds;
    }
}

static int noop_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                      struct error *e)
{
    (void)results;
    (void)n;
    (void)e;
    struct noop_ctx *c = ctx;
    struct tally_sum got, got_ref;
    uint64_t wrong = !tally_check(c->tally, c->threads, c->want, &got) +
                     !tally_check(c->ref, 1, c->want_ref, &got_ref);

    /* The same checksum in every build and at every thread count when all went right:
     * it folds the construct and the rounds run, not how the calls were spread. */
    uint64_t folded[3] = { (uint64_t)c->construct, (uint64_t)c->rounds * c->samples, wrong };
    out->checksum = workload_fold(folded, 3);
    out->verified = wrong == 0;
    out->expected_loss = false;

    /* Medians of the test and of the reference separately, as EPCC takes them: a sample
     * disturbed by another process moves one median less than it moves the median of
     * paired differences, where either part of a pair spoils the pair. The interval
     * joins two intervals of 97.5% each, so it covers the difference with at least 95%
     * (what the pairs of order statistics really reach goes in ci_level). */
    size_t ns = c->samples;
    struct stats_interval t, r;
    double t_med = stats_median_with_interval(c->test_us, ns, 0.975, &t);
    double r_med = stats_median_with_interval(c->ref_us, ns, 0.975, &r);
    double med = t_med - r_med, level = ns >= 2 ? t.level + r.level - 1 : 0;
    int len = snprintf(out->metrics, sizeof out->metrics,
                       "overhead_us=%.6g;ci_lo_us=%.6g;ci_hi_us=%.6g;ci_level=%.4f;"
                       "test_us=%.6g;ref_us=%.6g;unit=%s;delay_iters=%d;bodies=%llu;"
                       "ref_bodies=%llu",
                       med, t.lo - r.hi, t.hi - r.lo, level, t_med, r_med,
                       construct_units[c->construct], c->delay_iters,
                       (unsigned long long)got.runs, (unsigned long long)got_ref.runs);
    if (c->construct == C_FOR && len > 0 && (size_t)len < sizeof out->metrics)
        len += snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                        ";iter_overhead_us=%.6g", med / FOR_ITERS_PER_THREAD);
    if (wrong > 0 && len > 0 && (size_t)len < sizeof out->metrics)
        snprintf(out->metrics + len, sizeof out->metrics - (size_t)len,
                 ";wrong_counts=%llu", (unsigned long long)wrong);
    return ERR_OK;
}

static void noop_teardown(void *ctx)
{
    noop_free(ctx);
}

const struct workload workload_noop = {
    .name = "noop",
    .bound = "runtime overhead",
    .uncounted = true,
    .admit = noop_admit,
    .summary = "empty bodies inside rounds of a parallel construct, against the bodies of "
               "one thread without it (EPCC's method); overhead_us is the cost per "
               "construct, per the unit metric (region, loop, barrier, task, round); "
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
