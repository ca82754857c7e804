/* The harness owns all measuring: warm-up, repetitions, wall and CPU time around the
 * backend's loop, and the workload's check after each repetition (untimed). */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include "backend.h"
#include "placement.h"
#include "workload.h"

struct harness_config {
    long reps;
    long warmup;
    size_t tasks;
    struct placement *placement; /* where threads ran, reset before each repetition; may be NULL */
};

struct harness_rep {
    long rep; /* 1-based, measured repetitions only */
    double wall_s;
    double cpu_s;
    struct check check;
};

/* Receives each measured repetition as soon as it is checked. */
typedef int harness_emit_fn(void *arg, const struct harness_rep *r, struct error *e);

/* Runs warm-up and measured repetitions. ERR_RUN when a repetition could not run or be
 * checked; a repetition that ran but did not verify is emitted with verified false and
 * counted in *unverified (warm-ups included, expected losses excluded). */
int harness_run(const struct harness_config *cfg, struct backend *b, const struct workload *w,
                void *ctx, harness_emit_fn *emit, void *emit_arg, long *unverified,
                struct error *e);

#endif
