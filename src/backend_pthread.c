/* The pthread backend: the project's own pool, created once and reused by every
 * repetition, as an OpenMP team is. */
#include "backend.h"

#include "pool.h"

#include <stdlib.h>

struct backend {
    struct pool *pool;
    struct schedule schedule;
};

const char backend_name[] = "pthread";
const int backend_parallel = 1;

const char *backend_runtime(void)
{
    return "pool";
}

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e)
{
    struct backend *b = malloc(sizeof *b);
    if (b == NULL)
        return error_set(e, ERR_RUN, "out of memory");
    b->schedule = cfg->schedule;
    struct pool_config pc = { .threads = cfg->threads, .spin = cfg->spin };
    int rc = pool_create(&b->pool, &pc, e);
    if (rc != ERR_OK) {
        free(b);
        return rc;
    }
    *out = b;
    return ERR_OK;
}

unsigned backend_threads(const struct backend *b)
{
    return pool_threads(b->pool);
}

void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    pool_for(b->pool, n, b->schedule, fn, arg);
}

void backend_close(struct backend *b)
{
    if (b == NULL)
        return;
    pool_destroy(b->pool);
    free(b);
}
