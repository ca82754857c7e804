/* The backend decides only how the tasks of a loop are spread over threads. Each binary
 * links exactly one implementation: sequential, the pthread pool or OpenMP. */
#ifndef BENCH_BACKEND_H
#define BENCH_BACKEND_H

#include "error.h"
#include "schedule.h"

#include <stddef.h>

struct backend;

struct backend_config {
    unsigned threads;
    struct schedule schedule;
    long spin; /* the pool's polls before sleeping; ignored by the others */
};

typedef void backend_iter_fn(void *arg, size_t i, unsigned tid);

/* "seq", "pthread" or "omp": the value of the results' backend column. */
extern const char backend_name[];

/* Which runtime spreads the work ("none", "pool", "libgomp-12.2.0", "libomp-14.0.6"). */
const char *backend_runtime(void);

/* True when the backend runs more than one thread (false for the sequential build). */
extern const int backend_parallel;

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e);

/* The threads really doing the work (1 for the sequential backend). */
unsigned backend_threads(const struct backend *b);

/* Runs fn for i in 0..n-1 with the configured schedule; tid < backend_threads(). */
void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg);

void backend_close(struct backend *b);

#endif
