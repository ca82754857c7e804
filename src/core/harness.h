/* The harness owns all measuring: warm-up, repetitions, wall and CPU time around the
 * backend's loop, and the workload's check after each repetition (untimed). */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include "backend.h"
#include "counters.h"
#include "interference.h"
#include "placement.h"
#include "workload.h"

struct harness_config {
    long reps;
    long warmup;
    size_t tasks;
    struct placement *placement; /* where threads ran, reset before each repetition; may be NULL */
    double foreign_limit;        /* interference_disturbed's limit */
    /* When > 0: before the first repetition, wait up to this many seconds for the
     * machine to be quiet (interference_wait_quiet). */
    double wait_quiet_s;
    const struct counters *counters; /* read around each repetition; may be NULL */
};

struct harness_rep {
    long rep; /* 1-based, measured repetitions only */
    double wall_s;
    double cpu_s; /* this process only; a helper child's CPU is in interference */
    struct check check;
    struct interference interference;
    bool disturbed;
    struct counters_sample counters_before, counters_after;
};

/* Receives each measured repetition as soon as it is checked. */
typedef int harness_emit_fn(void *arg, const struct harness_rep *r, struct error *e);

/* Runs warm-up and measured repetitions. ERR_RUN when a repetition could not run or be
 * checked; a repetition that ran but did not verify is emitted with verified false and
 * counted in *unverified (warm-ups included, expected losses excluded). A repetition in
 * which a task did not run exactly once is not verified, whatever its results say, and
 * its metrics say how many tasks (runs_wrong=N). *quiet is false when wait_quiet_s ran
 * out before the machine was quiet. */
int harness_run(const struct harness_config *cfg, struct backend *b, const struct workload *w,
                void *ctx, harness_emit_fn *emit, void *emit_arg, long *unverified,
                bool *quiet, struct error *e);

#endif
