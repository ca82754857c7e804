/* Timing of repetitions. Only the backend's loop is inside the timed interval; resetting
 * results, the workload's per-repetition reset and its check are outside it. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct task_call {
    const struct workload *w;
    void *ctx;
    uint64_t *results;
    struct placement *placement;
};

static void call_task(void *arg, size_t i, unsigned tid)
{
    struct task_call *c = arg;
    c->results[i] = c->w->task(c->ctx, i, tid);
    if (c->placement != NULL)
        placement_note(c->placement, tid);
}

/* A workload that drives the backend itself calls no task the placement could watch, so
 * after its timed parts (untimed) one region notes where each thread of the team runs. */
static void note_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct task_call *c = arg;
    placement_note(c->placement, tid);
}

static double now_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* User plus system time of the whole process, every thread included. */
static double now_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* A workload with drive: each part timed on its own, all parts in the row's times. */
static int drive_parts(struct backend *b, const struct task_call *call, double *part_s,
                       unsigned nparts, struct error *e)
{
    for (unsigned k = 0; k < nparts; k++) {
        double t0 = now_wall();
        int rc = call->w->drive(call->ctx, b, k, e);
        part_s[k] = now_wall() - t0;
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

static int one_rep(struct backend *b, struct task_call *call, size_t n, double *part_s,
                   unsigned nparts, struct harness_rep *r, struct error *e)
{
    /* A task that never ran would leave the previous repetition's right answer behind;
     * a fresh poison value makes it show as wrong. */
    memset(call->results, 0xa5, n * sizeof *call->results);
    if (call->placement != NULL)
        placement_reset(call->placement);
    if (call->w->rep_begin != NULL) {
        int rc = call->w->rep_begin(call->ctx, e);
        if (rc != ERR_OK)
            return rc;
    }
    int rc = ERR_OK;
    double w0 = now_wall(), c0 = now_cpu();
    if (call->w->drive != NULL)
        rc = drive_parts(b, call, part_s, nparts, e);
    else
        backend_for(b, n, call_task, call);
    double w1 = now_wall(), c1 = now_cpu();
    if (rc != ERR_OK)
        return rc;
    r->wall_s = w1 - w0;
    r->cpu_s = c1 - c0;
    if (call->w->drive != NULL && call->placement != NULL)
        backend_region(b, note_member, call);
    if (call->w->drive == NULL)
        part_s[0] = r->wall_s;
    if (call->w->timed != NULL)
        call->w->timed(call->ctx, part_s, nparts);
    return call->w->check(call->ctx, call->results, n, &r->check, e);
}

int harness_run(const struct harness_config *cfg, struct backend *b, const struct workload *w,
                void *ctx, harness_emit_fn *emit, void *emit_arg, long *unverified,
                struct error *e)
{
    size_t n = cfg->tasks;
    struct task_call call = { .w = w, .ctx = ctx, .results = malloc((n ? n : 1) * sizeof(uint64_t)),
                              .placement = cfg->placement };
    if (call.results == NULL)
        return error_set(e, ERR_RUN, "out of memory for %zu task results", n);

    unsigned nparts = w->drive != NULL ? w->parts(ctx) : 1;
    double *part_s = calloc(nparts ? nparts : 1, sizeof *part_s);
    if (part_s == NULL) {
        free(call.results);
        return error_set(e, ERR_RUN, "out of memory for %u part times", nparts);
    }

    int rc = ERR_OK;
    *unverified = 0;
    for (long k = 0; k < cfg->warmup + cfg->reps && rc == ERR_OK; k++) {
        struct harness_rep r = { .rep = k - cfg->warmup + 1 };
        rc = one_rep(b, &call, n, part_s, nparts, &r, e);
        if (rc != ERR_OK)
            break;
        if (!r.check.verified && !r.check.expected_loss)
            ++*unverified; /* a warm-up that fails counts too: the build is wrong */
        if (r.rep >= 1)
            rc = emit(emit_arg, &r, e);
    }
    free(part_s);
    free(call.results);
    return rc;
}
