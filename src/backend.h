/* The backend decides only how the tasks of a loop are spread over threads. Each binary
 * links exactly one implementation: sequential, the pthread pool or OpenMP. */
#ifndef BENCH_BACKEND_H
#define BENCH_BACKEND_H

#include "affinity.h"
#include "error.h"
#include "schedule.h"

#include <stdbool.h>
#include <stddef.h>

struct backend;

struct backend_config {
    unsigned threads;
    struct schedule schedule;
    long spin; /* the pool's polls before sleeping; ignored by the others */
    /* Each thread binds itself to its cpuset at open; NULL or a plan that does not
     * bind leaves placement to the kernel. Ignored when backend_runtime_binds(). */
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

/* True when the runtime places threads itself because the user set OMP_PROC_BIND,
 * OMP_PLACES, GOMP_CPU_AFFINITY or KMP_AFFINITY (bench-omp only); buf then receives the
 * settings in force as "OMP_PROC_BIND=true+OMP_PLACES=cores", CSV-safe. */
bool backend_runtime_binds(char *buf, size_t len);

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e);

/* The threads really doing the work (1 for the sequential backend). */
unsigned backend_threads(const struct backend *b);

/* Runs fn for i in 0..n-1 with the configured schedule; tid < backend_threads(). */
void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg);

void backend_close(struct backend *b);

#endif
