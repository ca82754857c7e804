/* The sequential backend: a plain loop on the calling thread, the reference every
 * speedup is measured against. */
#include "backend.h"

#include <stdlib.h>

struct backend {
    int unused;
};

const char backend_name[] = "seq";
const int backend_parallel = 0;
const long backend_openmp = 0;

bool backend_runtime_binds(char *buf, size_t len)
{
    (void)buf;
    (void)len;
    return false;
}

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
