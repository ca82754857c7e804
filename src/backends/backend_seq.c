/* The sequential backend: a plain loop on the calling thread, the reference every
 * speedup is measured against. */
#include "backend.h"

#include <pthread.h>
#include <stdlib.h>

struct backend {
    int unused;
};

const char backend_name[] = "seq";
const int backend_parallel = 0;
const long backend_openmp = 0;
const char backend_compiler[] = "";
const char backend_openmp_flags[] = "";

const char *backend_runtime(void)
{
    return "none";
}

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e)
{
    static struct backend only;
    /* The one thread is thread 0 of the plan, so that a sequential baseline runs where
     * thread 0 of a parallel run would. */
    int rc = affinity_bind(cfg->bind, 0, e);
    if (rc != ERR_OK)
        return rc;
    *out = &only;
    return ERR_OK;
}

unsigned backend_threads(const struct backend *b)
{
    (void)b;
    return 1;
}

void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
    for (size_t i = 0; i < n; i++)
        fn(arg, i, 0);
}

void backend_close(struct backend *b)
{
    (void)b;
}

/* ---- constructs of the cost workloads: the plain-loop equivalents, so that the
 * sequential build gives the reference every construct is compared with. ---------------- */

static pthread_mutex_t seq_mutex = PTHREAD_MUTEX_INITIALIZER;

bool backend_offers(enum backend_feature f)
{
    (void)f;
    return false;
}

void backend_region(struct backend *b, backend_region_fn *fn, void *arg)
{
    (void)b;
    fn(arg, 0, 1);
}

void backend_barrier(struct backend *b)
{
    (void)b;
}

void backend_parfor(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    backend_for(b, n, fn, arg);
}

void backend_workshare(struct backend *b, unsigned tid, size_t n, backend_iter_fn *fn,
                       void *arg)
{
    (void)tid;
    backend_for(b, n, fn, arg);
}

void backend_tasks(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    backend_for(b, n, fn, arg);
}

void backend_critical(struct backend *b, backend_excl_fn *fn, void *arg)
{
    (void)b;
    pthread_mutex_lock(&seq_mutex);
    fn(arg);
    pthread_mutex_unlock(&seq_mutex);
}

uint64_t backend_sum(struct backend *b, size_t n, backend_value_fn *fn, void *arg)
{
    (void)b;
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fn(arg, i, 0);
    return sum;
}
