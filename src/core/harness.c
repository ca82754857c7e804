/* Timing of repetitions. Only the backend's loop is inside the timed interval; resetting
 * results, the workload's per-repetition reset, its check, the CPU clock and the
 * interference readings are outside it. */
#include "harness.h"

#include "clock.h"
#include "cleanup.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct task_call {
    const struct workload *w;
    void *ctx;
    uint64_t *results;
    /* How often each task ran in this repetition: a backend that runs a task twice would
     * write the same right answer twice and pass the workload's check. Atomic because a
     * duplicate may well run on two threads at once. */
    _Atomic uint32_t *runs;
    struct placement *placement;
};

static void call_task(void *arg, size_t i, unsigned tid)
{
    struct task_call *c = arg;
    c->results[i] = c->w->task(c->ctx, i, tid);
    atomic_fetch_add_explicit(&c->runs[i], 1, memory_order_relaxed);
    if (c->placement != NULL)
        placement_note(c->placement, tid);
}

/* Tasks that did not run exactly once (untimed, after the loop). */
static size_t runs_wrong(const struct task_call *c, size_t n)
{
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += atomic_load_explicit(&c->runs[i], memory_order_relaxed) != 1;
    return wrong;
}

/* A workload that drives the backend itself calls no task the placement could watch, so
 * after its timed parts (untimed) one region notes where each thread of the team runs. */
static void note_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct task_call *c = arg;
    placement_note(c->placement, tid);
}

/* A workload with drive: each part timed on its own, all parts in the row's times. */
static int drive_parts(struct backend *b, const struct task_call *call, double *part_s,
                       unsigned nparts, struct error *e)
{
    for (unsigned k = 0; k < nparts; k++) {
        double t0 = clock_now_s();
        int rc = call->w->drive(call->ctx, b, k, e);
        part_s[k] = clock_now_s() - t0;
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

static int one_rep(const struct harness_config *cfg, struct backend *b, struct task_call *call,
                   size_t n, double *part_s, unsigned nparts, struct harness_rep *r,
                   struct error *e)
{
    /* A task that never ran would leave the previous repetition's right answer behind;
     * a fresh poison value makes it show as wrong. */
    memset(call->results, 0xa5, n * sizeof *call->results);
    for (size_t i = 0; i < n; i++)
        atomic_init(&call->runs[i], 0);
    if (call->placement != NULL)
        placement_reset(call->placement);
    if (call->w->rep_begin != NULL) {
        int rc = call->w->rep_begin(call->ctx, e);
        if (rc != ERR_OK)
            return rc;
    }
    int rc = ERR_OK;
    /* The net workload's server is a child whose CPU is ours, not foreign. */
    struct interference_source src = interference_proc;
    src.child = cleanup_child();
    struct interference_sample s0, s1;
    interference_read(&src, INTERFERENCE_BEFORE, &s0);
    counters_read(cfg->counters, &r->counters_before);
    double w0 = clock_now_s();
    if (call->w->drive != NULL)
        rc = drive_parts(b, call, part_s, nparts, e);
    else
        backend_for(b, n, call_task, call);
    double w1 = clock_now_s();
    counters_read(cfg->counters, &r->counters_after);
    interference_read(&src, INTERFERENCE_AFTER, &s1);
    if (rc != ERR_OK)
        return rc;
    r->wall_s = w1 - w0;
    r->cpu_s = s1.self_cpu_s - s0.self_cpu_s;
    interference_diff(&s0, &s1, &r->interference);
    r->disturbed = interference_disturbed(&r->interference, r->wall_s, r->cpu_s,
                                          cfg->foreign_limit, interference_tick_s());
    if (call->w->drive != NULL && call->placement != NULL)
        backend_region(b, note_member, call);
    if (call->w->drive == NULL)
        part_s[0] = r->wall_s;
    if (call->w->timed != NULL)
        call->w->timed(call->ctx, part_s, nparts);
    rc = call->w->check(call->ctx, call->results, n, &r->check, e);
    size_t wrong = call->w->drive == NULL ? runs_wrong(call, n) : 0;
    if (rc == ERR_OK && wrong > 0) {
        r->check.verified = false;
        r->check.expected_loss = false;
        size_t used = strlen(r->check.metrics);
        snprintf(r->check.metrics + used, sizeof r->check.metrics - used, "%sruns_wrong=%zu",
                 used ? ";" : "", wrong);
    }
    return rc;
}

int harness_run(const struct harness_config *cfg, struct backend *b, const struct workload *w,
                void *ctx, harness_emit_fn *emit, void *emit_arg, long *unverified,
                bool *quiet, struct error *e)
{
    size_t n = cfg->tasks;
    struct task_call call = { .w = w, .ctx = ctx, .results = malloc((n ? n : 1) * sizeof(uint64_t)),
                              .runs = malloc((n ? n : 1) * sizeof(_Atomic uint32_t)),
                              .placement = cfg->placement };
    if (call.results == NULL || call.runs == NULL) {
        free(call.results);
        free(call.runs);
        return error_set(e, ERR_RUN, "out of memory for %zu task results", n);
    }

    unsigned nparts = w->drive != NULL ? w->parts(ctx) : 1;
    double *part_s = calloc(nparts ? nparts : 1, sizeof *part_s);
    if (part_s == NULL) {
        free(call.results);
        free(call.runs);
        return error_set(e, ERR_RUN, "out of memory for %u part times", nparts);
    }

    int rc = ERR_OK;
    *unverified = 0;
    *quiet = true;
    if (cfg->wait_quiet_s > 0)
        *quiet = interference_wait_quiet(&interference_proc, 0.5, cfg->wait_quiet_s,
                                         cfg->foreign_limit);
    for (long k = 0; k < cfg->warmup + cfg->reps && rc == ERR_OK; k++) {
        struct harness_rep r = { .rep = k - cfg->warmup + 1 };
        rc = one_rep(cfg, b, &call, n, part_s, nparts, &r, e);
        if (rc != ERR_OK)
            break;
        if (!r.check.verified && !r.check.expected_loss)
            ++*unverified; /* a warm-up that fails counts too: the build is wrong */
        if (r.rep >= 1)
            rc = emit(emit_arg, &r, e);
    }
    free(part_s);
    free(call.results);
    free(call.runs);
    return rc;
}
