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
const long backend_openmp = 0;

bool backend_runtime_binds(char *buf, size_t len)
{
    (void)buf;
    (void)len;
    return false;
}

/* Each member binds itself, since hwloc binds the calling thread; the results are
 * per member so that no lock is needed, and the lowest failing member is reported. */
struct bind_team {
    const struct affinity_plan *plan;
    int *rc;
    struct error *err;
};

static void bind_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct bind_team *t = arg;
    t->rc[tid] = affinity_bind(t->plan, tid, &t->err[tid]);
}

static int bind_pool(struct pool *pool, const struct affinity_plan *plan, struct error *e)
{
    unsigned n = pool_threads(pool);
    struct bind_team t = { .plan = plan, .rc = calloc(n, sizeof *t.rc),
                           .err = calloc(n, sizeof *t.err) };
    int rc = ERR_OK;
    if (t.rc == NULL || t.err == NULL) {
        rc = error_set(e, ERR_RUN, "out of memory for binding %u threads", n);
    } else {
        pool_run(pool, bind_member, &t);
        for (unsigned k = 0; k < n && rc == ERR_OK; k++)
            if (t.rc[k] != ERR_OK)
                rc = error_set(e, t.rc[k], "%s", t.err[k].msg);
    }
    free(t.rc);
    free(t.err);
    return rc;
}

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
    if (cfg->bind != NULL && affinity_plan_binds(cfg->bind)) {
        rc = bind_pool(b->pool, cfg->bind, e);
        if (rc != ERR_OK) {
            backend_close(b);
            return rc;
        }
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
