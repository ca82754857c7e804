/* A persistent team of pthreads, created once and reused by every parallel region, with
 * OpenMP's loop schedules on top. The calling thread is member 0 of the team, so a pool
 * of N threads has N-1 workers. */
#ifndef BENCH_POOL_H
#define BENCH_POOL_H

#include "error.h"
#include "schedule.h"

#include <stddef.h>

struct pool;

struct pool_config {
    unsigned threads; /* threads that run regions, the caller included; >= 1 */
    long spin;        /* polls of a shared word before a waiting thread sleeps */
};

/* Runs once on every member of the team; tid is 0 for the caller. */
typedef void pool_region_fn(void *arg, unsigned tid, unsigned nthreads);
/* Runs for iteration i of a loop, on member tid. */
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

/* Runs iterations 0..n-1 of fn spread by schedule s, as `omp for schedule(s)` would
 * spread them, and returns when all have run. */
void pool_for(struct pool *p, size_t n, struct schedule s, pool_iter_fn *fn, void *arg);

#endif
