/* The pthread backend: the project's own pool, created once and reused by every
 * repetition, as an OpenMP team is. */
#include "backend.h"

#include "pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct backend {
    struct pool *pool;
    struct schedule schedule;
    pthread_mutex_t mutex; /* backend_critical */
    struct partial *partial; /* backend_sum: one per thread */
};

/* A per-thread partial sum on its own cache line. */
struct partial {
    _Alignas(64) uint64_t v;
};

const char backend_name[] = "pthread";
const int backend_parallel = 1;
const long backend_openmp = 0;
const char backend_compiler[] = "";
const char backend_openmp_flags[] = "";

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
    b->partial = aligned_alloc(64, cfg->threads * sizeof *b->partial);
    if (b->partial == NULL) {
        free(b);
        return error_set(e, ERR_RUN, "out of memory for %u partial sums", cfg->threads);
    }
    pthread_mutex_init(&b->mutex, NULL);
    struct pool_config pc = { .threads = cfg->threads, .spin = cfg->spin };
    int rc = pool_create(&b->pool, &pc, e);
    if (rc != ERR_OK) {
        pthread_mutex_destroy(&b->mutex);
        free(b->partial);
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
    pthread_mutex_destroy(&b->mutex);
    free(b->partial);
    free(b);
}

/* ---- constructs of the cost workloads -------------------------------------------------- */

bool backend_offers(enum backend_feature f)
{
    return f == BACKEND_SPAWN;
}

void backend_region(struct backend *b, backend_region_fn *fn, void *arg)
{
    pool_run(b->pool, fn, arg);
}

void backend_barrier(struct backend *b)
{
    pool_barrier(b->pool);
}

void backend_parfor(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    static const struct schedule blocks = { .kind = SCHED_STATIC, .chunk = 0 };
    pool_for(b->pool, n, blocks, fn, arg);
}

void backend_workshare(struct backend *b, unsigned tid, size_t n, backend_iter_fn *fn,
                       void *arg)
{
    pool_share(b->pool, tid, n, b->schedule, fn, arg);
}

void backend_tasks(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    for (size_t i = 0; i < n; i++)
        pool_submit(b->pool, fn, arg, i);
    pool_wait(b->pool);
}

void backend_critical(struct backend *b, backend_excl_fn *fn, void *arg)
{
    pthread_mutex_lock(&b->mutex);
    fn(arg);
    pthread_mutex_unlock(&b->mutex);
}

/* Each member adds into its own cache line, so the partial sums share nothing until
 * the end, which is what reduction(+:) does inside an OpenMP runtime. */
struct sum_call {
    backend_value_fn *fn;
    void *arg;
    struct partial *partial;
};

static void sum_iter(void *arg, size_t i, unsigned tid)
{
    struct sum_call *c = arg;
    c->partial[tid].v += c->fn(c->arg, i, tid);
}

uint64_t backend_sum(struct backend *b, size_t n, backend_value_fn *fn, void *arg)
{
    unsigned nt = pool_threads(b->pool);
    struct sum_call c = { .fn = fn, .arg = arg, .partial = b->partial };
    memset(c.partial, 0, nt * sizeof *c.partial);
    pool_for(b->pool, n, b->schedule, sum_iter, &c);
    uint64_t sum = 0;
    for (unsigned t = 0; t < nt; t++)
        sum += c.partial[t].v;
    return sum;
}

struct spawned {
    backend_region_fn *fn;
    void *arg;
    unsigned tid, nthreads;
    pthread_t thread;
};

static void *spawned_main(void *argp)
{
    struct spawned *s = argp;
    s->fn(s->arg, s->tid, s->nthreads);
    return NULL;
}

/* The tutorials' way: a thread per member, created and joined for this region alone. */
int backend_region_spawned(struct backend *b, backend_region_fn *fn, void *arg,
                           struct error *e)
{
    unsigned nt = pool_threads(b->pool), made = 0;
    struct spawned one[8];
    struct spawned *team = nt <= 8 ? one : malloc(nt * sizeof *team);
    if (team == NULL)
        return error_set(e, ERR_RUN, "out of memory for %u threads", nt);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = 0;
    for (unsigned t = 1; t < nt; t++) {
        team[t] = (struct spawned){ .fn = fn, .arg = arg, .tid = t, .nthreads = nt };
        rc = pthread_create(&team[t].thread, NULL, spawned_main, &team[t]);
        if (rc != 0)
            break;
        made++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        fn(arg, 0, nt);
    for (unsigned t = 1; t <= made; t++)
        pthread_join(team[t].thread, NULL);
    if (team != one)
        free(team);
    if (rc != 0)
        return error_set(e, ERR_RUN, "pthread_create failed for thread %u of %u: %s",
                         made + 2, nt, strerror(rc));
    return ERR_OK;
}
