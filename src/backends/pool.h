/* A persistent team of pthreads, created once and reused by every parallel region, with
 * OpenMP's loop schedules, a barrier and a task queue on top. The calling thread is
 * member 0 of the team, so a pool of N threads has N-1 workers. */
#ifndef BENCH_POOL_H
#define BENCH_POOL_H

#include "error.h"
#include "schedule.h"

#include <limits.h>
#include <stddef.h>

struct pool;

/* spin: polls of a shared word before a waiting thread sleeps on a futex. 0 sleeps at
 * once (OMP_WAIT_POLICY=passive); POOL_SPIN_FOREVER never sleeps (active). When the team
 * outnumbers the CPUs the process may use, a waiter yields the CPU at every poll and
 * gives up after at most POOL_SPIN_THROTTLED polls, as libgomp throttles its own. */
#define POOL_SPIN_FOREVER LONG_MAX
#define POOL_SPIN_DEFAULT 300000L /* libgomp's GOMP_SPINCOUNT default */
#define POOL_SPIN_THROTTLED 1000L /* libgomp's, when threads outnumber CPUs */

struct pool_config {
    unsigned threads; /* threads that run regions, the caller included; >= 1 */
    long spin;        /* polls before sleeping, as above; negative counts as 0 */
};

/* Runs once on every member of the team; tid is 0 for the caller. */
typedef void pool_region_fn(void *arg, unsigned tid, unsigned nthreads);
/* Runs for iteration i of a loop (or task i), on member tid. */
typedef void pool_iter_fn(void *arg, size_t i, unsigned tid);

/* Starts the workers and returns once all exist; on a failed pthread_create, joins the
 * ones it made and returns ERR_RUN with the system's reason. */
int pool_create(struct pool **out, const struct pool_config *cfg, struct error *e);

/* Stops and joins every worker. The pool must be idle (no region running). */
void pool_destroy(struct pool *p);

unsigned pool_threads(const struct pool *p);

/* Runs fn on every member and returns when all have returned. Not reentrant: one
 * region at a time, started by the thread that created the pool. */
void pool_run(struct pool *p, pool_region_fn *fn, void *arg);

/* Inside a region started by pool_run, called by every member: returns once all
 * members have called it (`omp barrier`). */
void pool_barrier(struct pool *p);

/* Runs iterations 0..n-1 of fn spread by schedule s, as `omp for schedule(s)` would
 * spread them, and returns when all have run. */
void pool_for(struct pool *p, size_t n, struct schedule s, pool_iter_fn *fn, void *arg);

/* Inside a region started by pool_run, called by every member (tid, as the region
 * function received it) with the same n and s: runs iterations 0..n-1 of fn spread by s
 * over the members and returns after a barrier, once all have run (`omp for` inside
 * `omp parallel`, as EPCC's schedbench measures it). */
void pool_share(struct pool *p, unsigned tid, size_t n, struct schedule s, pool_iter_fn *fn,
                void *arg);

/* Queues task fn(arg, i, tid) for the team; called by the pool's owner outside any
 * region (a region started before pool_wait, and pool_destroy, end the batch first). The
 * first submission after a pool_wait wakes the team; a full queue makes the submitter
 * run queued tasks itself. No allocation and no lock per task. */
void pool_submit(struct pool *p, pool_iter_fn *fn, void *arg, size_t i);

/* Runs queued tasks on the calling thread too and returns when every task submitted
 * since the last pool_wait has run (`omp taskwait` at the end of a `single`). */
void pool_wait(struct pool *p);

#endif
