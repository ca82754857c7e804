/* The backend decides only how the tasks of a loop are spread over threads. Each binary
 * links exactly one implementation: sequential, the pthread pool or OpenMP. */
#ifndef BENCH_BACKEND_H
#define BENCH_BACKEND_H

#include "affinity.h"
#include "error.h"
#include "schedule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct backend;

struct backend_config {
    unsigned threads;
    struct schedule schedule;
    long spin; /* the pool's polls before sleeping; ignored by the others */
    /* Each thread binds itself to its cpuset at open; NULL or a plan that does not
     * bind leaves placement to the kernel (or to the OpenMP runtime). */
    const struct affinity_plan *bind;
};

typedef void backend_iter_fn(void *arg, size_t i, unsigned tid);

/* "seq", "pthread" or "omp": the value of the results' backend column. */
extern const char backend_name[];

/* Which runtime spreads the work ("none", "pool", "libgomp-12.2.0", "libomp-14.0.6"). */
const char *backend_runtime(void);

/* True when the backend runs more than one thread (false for the sequential build). */
extern const int backend_parallel;

/* _OPENMP of the build (201511 for OpenMP 4.5), 0 for a backend without OpenMP. */
extern const long backend_openmp;

/* How this backend's own file was compiled, which can differ from the shared code (the
 * libomp build compiles only backend_omp.c with clang): the compiler and version, and
 * the OpenMP flag; both "" for backends built like everything else. */
extern const char backend_compiler[];
extern const char backend_openmp_flags[];

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e);

/* The threads really doing the work (1 for the sequential backend). */
unsigned backend_threads(const struct backend *b);

/* Runs fn for i in 0..n-1 with the configured schedule; tid < backend_threads(). */
void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg);

void backend_close(struct backend *b);

/* ---- constructs the cost workloads measure (noop, contention) ---------------------- */
typedef void backend_region_fn(void *arg, unsigned tid, unsigned nthreads);
typedef void backend_excl_fn(void *arg);
typedef uint64_t backend_value_fn(void *arg, size_t i, unsigned tid);

/* Constructs only some builds have; a workload asks before it relies on one. */
enum backend_feature {
    BACKEND_OMP_LOCK, /* omp_lock_t: the OpenMP build */
    BACKEND_SPAWN,    /* a region by pthread_create/pthread_join: the pthread build */
};
bool backend_offers(enum backend_feature f);

/* Runs fn once on every thread of the team (`omp parallel`); nthreads is the team size. */
void backend_region(struct backend *b, backend_region_fn *fn, void *arg);

/* Inside backend_region, called by every member (`omp barrier`). */
void backend_barrier(struct backend *b);

/* `omp parallel for` with no schedule clause, whatever the configured schedule: the
 * runtime's default (static blocks in libgomp, libomp and the pool), as EPCC's PARALLEL
 * FOR measures it. backend_for is the same loop with schedule(runtime). */
void backend_parfor(struct backend *b, size_t n, backend_iter_fn *fn, void *arg);

/* Inside backend_region, called by every member (tid, as the region function received
 * it) with the same n: i in 0..n-1 spread over the team with the configured schedule,
 * then a barrier (`omp for schedule(kind,chunk)` inside `omp parallel`). */
void backend_workshare(struct backend *b, unsigned tid, size_t n, backend_iter_fn *fn,
                       void *arg);

/* One thread creates n tasks fn(arg, i, tid), one at a time, and the team runs them;
 * returns when all have run (`omp single` + `omp task`, the pool's submit and wait). */
void backend_tasks(struct backend *b, size_t n, backend_iter_fn *fn, void *arg);

/* Runs fn under mutual exclusion: `omp critical` in the OpenMP build, a pthread mutex
 * in the others. */
void backend_critical(struct backend *b, backend_excl_fn *fn, void *arg);

/* Runs fn holding an omp_lock_t. Only where backend_offers(BACKEND_OMP_LOCK); elsewhere
 * it is the same as backend_critical. */
void backend_locked(struct backend *b, backend_excl_fn *fn, void *arg);

/* *x += v atomically: `omp atomic`, or C11 atomic_fetch_add. */
void backend_atomic_add(struct backend *b, uint64_t *x, uint64_t v);

/* The sum of fn(arg, i, tid) for i in 0..n-1 with the configured schedule:
 * `reduction(+:)`, or per-thread partial sums added at the end. */
uint64_t backend_sum(struct backend *b, size_t n, backend_value_fn *fn, void *arg);

/* backend_region with a team created and joined for this region alone, no pool. Only
 * where backend_offers(BACKEND_SPAWN); elsewhere it is backend_region. ERR_RUN when a
 * thread cannot be created (those created are joined first). */
int backend_region_spawned(struct backend *b, backend_region_fn *fn, void *arg,
                           struct error *e);

#endif
