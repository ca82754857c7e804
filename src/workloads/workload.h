/* A workload is N independent tasks plus untimed setup, per-repetition reset, check and
 * teardown. It never times itself and never knows which backend spreads its tasks. */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include "backend.h"
#include "error.h"
#include "params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a repetition produced, as the workload judges it. */
struct check {
    uint64_t checksum;  /* folded from what the tasks produced */
    bool verified;      /* every task's result matches its independently computed value */
    bool expected_loss; /* a failure that is the point (the racy counter), not an error */
    char metrics[256];  /* extra figures as name=value;name=value, or empty */
};

struct workload_run {
    const struct param_values *params;
    size_t tasks;
    unsigned threads; /* how many threads may call task at once; tid < threads */
};

struct workload {
    const char *name;
    const char *bound; /* what limits it: "waiting", "CPU", ... */
    /* Its tasks wait (a timer, storage, the network) rather than use a CPU, so threads
     * beyond the core count still help: ideally the run takes ceil(tasks / threads)
     * task times, where CPU-bound work stops at min(threads, cores). */
    bool waits;
    /* Its figure is the cost of the thread machinery itself (creating, waking and
     * switching threads), which the kernel's per-thread counting slows by far more than
     * the 1% it may cost a repetition (docs/counters.md): its counters stay off unless
     * --counters or BENCH_COUNTERS asks for them. */
    bool uncounted;
    /* Optional: refuses parameter values this build cannot run (a construct only one
     * backend has), before anything is set up. The option parser asks it, so --check
     * and a run refuse alike. */
    int (*admit)(const struct param_values *params, struct error *e);
    const char *summary;
    const struct param_spec *params;
    size_t nparams;
    long default_tasks;
    /* Optional: NAME=VALUE assignments, NULL-terminated, that make a repetition take
     * milliseconds, for the unit test that runs every workload at several thread counts
     * and schedules; NULL when the defaults already do. */
    const char *const *test_params;

    /* Prepares a run (untimed): allocates state and anything verification needs. */
    int (*setup)(void **ctx, const struct workload_run *run, struct error *e);
    /* Optional: resets shared state before each repetition (untimed). */
    int (*rep_begin)(void *ctx, struct error *e);
    /* Task i, on thread tid; returns its result, which check() receives at index i. */
    uint64_t (*task)(void *ctx, size_t i, unsigned tid);
    /* Judges a repetition; ERR_RUN only for a failure of the run itself (I/O). */
    int (*check)(void *ctx, const uint64_t *results, size_t n, struct check *out,
                 struct error *e);
    void (*teardown)(void *ctx);

    /* Optional: a repetition made of the workload's own calls to the backend instead of
     * backend_for over the tasks, for workloads that measure the backend's constructs
     * (noop), need one that is not a plain loop (contention's reduction) or run the
     * loop several times (memory's passes). The harness times each of the parts(ctx)
     * parts on its own; the row's wall_s and cpu_s cover them all. A part never times
     * itself. The harness then neither calls task nor counts task runs, so the workload
     * checks its runs itself (tally.h); a driven workload may still have a task, for
     * callers that run its tasks one at a time (bench-python's kernel=c). */
    unsigned (*parts)(void *ctx);
    int (*drive)(void *ctx, struct backend *b, unsigned part, struct error *e);
    /* Optional: the wall time of each part of the repetition just run (one part, the
     * loop, without drive), given before check so that it can report rates and
     * differences ("test minus reference") among its metrics. */
    void (*timed)(void *ctx, const double *part_s, unsigned nparts);
};

/* The workloads this build knows, in --list order. */
extern const struct workload *const workloads[];
extern const size_t workloads_count;

const struct workload *workload_find(const char *name);

/* Folds per-task results, in index order, into one checksum. */
uint64_t workload_fold(const uint64_t *results, size_t n);

/* The common check for workloads whose task i has one right answer: expect(ctx, i)
 * computes it without running the task. */
void workload_check_each(void *ctx, uint64_t (*expect)(void *ctx, size_t i),
                         const uint64_t *results, size_t n, struct check *out);

#endif
