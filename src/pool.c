/* The pthread pool. A region is published by bumping an epoch counter; workers wait for
 * the epoch to change, spinning a bounded number of polls and then sleeping on a futex,
 * so back-to-back regions cost no system call while idle workers cost no CPU. The caller
 * runs its own share and waits the same way for a count of pending workers to reach 0. */
#include "pool.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct pool_worker {
    struct pool *pool;
    unsigned tid;
    pthread_t thread;
};

struct pool {
    unsigned nthreads;
    unsigned started;
    long spin;
    struct pool_worker *workers;

    /* The current region: written by the caller before it bumps epoch, read by workers
     * after they see the new epoch, and left alone until pending is back to 0. */
    pool_region_fn *fn;
    void *arg;
    bool stop;

    /* The two futex words sit on their own cache lines: epoch is read by every idle
     * worker, pending is written by every finishing one. */
    _Alignas(64) atomic_uint epoch;
    atomic_uint sleepers;
    _Alignas(64) atomic_uint pending;
    atomic_uint caller_sleeping;
};

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void futex_wait(atomic_uint *word, unsigned expected)
{
    /* Returns at once when *word != expected; a spurious return is harmless because
     * every caller loops on its predicate. */
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *word, int count)
{
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

/* Waits until p->epoch differs from seen and returns the new value. A sleeper counts
 * itself in sleepers before its last look at epoch, and the caller bumps epoch before it
 * reads sleepers (both sequentially consistent), so a wake-up is never missed. */
static unsigned wait_epoch(struct pool *p, unsigned seen)
{
    for (long k = 0; k < p->spin; k++) {
        unsigned now = atomic_load_explicit(&p->epoch, memory_order_acquire);
        if (now != seen)
            return now;
        cpu_relax();
    }
    for (;;) {
        atomic_fetch_add(&p->sleepers, 1);
        if (atomic_load(&p->epoch) == seen)
            futex_wait(&p->epoch, seen);
        atomic_fetch_sub(&p->sleepers, 1);
        unsigned now = atomic_load_explicit(&p->epoch, memory_order_acquire);
        if (now != seen)
            return now;
    }
}

static void publish(struct pool *p)
{
    atomic_fetch_add(&p->epoch, 1);
    if (atomic_load(&p->sleepers) > 0)
        futex_wake(&p->epoch, INT_MAX);
}

static void *worker_main(void *argp)
{
    struct pool_worker *w = argp;
    struct pool *p = w->pool;
    unsigned seen = 0;

    for (;;) {
        seen = wait_epoch(p, seen);
        if (p->stop)
            return NULL;
        p->fn(p->arg, w->tid, p->nthreads);
        if (atomic_fetch_sub(&p->pending, 1) == 1 && atomic_load(&p->caller_sleeping))
            futex_wake(&p->pending, 1);
    }
}

/* Same protocol as wait_epoch, mirrored: the last worker decrements pending before it
 * reads caller_sleeping, and the caller sets caller_sleeping before it reads pending. */
static void wait_pending(struct pool *p)
{
    for (long k = 0; k < p->spin; k++) {
        if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0)
            return;
        cpu_relax();
    }
    for (;;) {
        atomic_store(&p->caller_sleeping, 1);
        unsigned left = atomic_load(&p->pending);
        if (left == 0)
            break;
        futex_wait(&p->pending, left);
    }
    atomic_store(&p->caller_sleeping, 0);
}

static void stop_workers(struct pool *p)
{
    p->stop = true;
    publish(p);
    for (unsigned k = 0; k < p->started; k++)
        pthread_join(p->workers[k].thread, NULL);
}

int pool_create(struct pool **out, const struct pool_config *cfg, struct error *e)
{
    if (cfg->threads < 1)
        return error_set(e, ERR_USAGE, "pool: threads must be at least 1");
    struct pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return error_set(e, ERR_RUN, "pool: out of memory");
    p->nthreads = cfg->threads;
    p->spin = cfg->spin > 0 ? cfg->spin : 0;
    p->workers = calloc(cfg->threads, sizeof *p->workers);
    if (p->workers == NULL) {
        free(p);
        return error_set(e, ERR_RUN, "pool: out of memory for %u threads", cfg->threads);
    }

    /* Workers block asynchronous signals, so SIGINT and SIGTERM reach the main thread,
     * which owns the clean-up. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = 0;
    for (unsigned k = 0; k + 1 < cfg->threads; k++) {
        p->workers[k] = (struct pool_worker){ .pool = p, .tid = k + 1 };
        rc = pthread_create(&p->workers[k].thread, NULL, worker_main, &p->workers[k]);
        if (rc != 0)
            break;
        p->started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    if (rc != 0) {
        unsigned made = p->started;
        stop_workers(p);
        free(p->workers);
        free(p);
        return error_set(e, ERR_RUN,
                         "pthread_create failed for thread %u of %u: %s "
                         "(the %u workers it had started were joined)",
                         made + 2, cfg->threads, strerror(rc), made);
    }
    *out = p;
    return ERR_OK;
}

void pool_destroy(struct pool *p)
{
    if (p == NULL)
        return;
    stop_workers(p);
    free(p->workers);
    free(p);
}

unsigned pool_threads(const struct pool *p)
{
    return p->nthreads;
}

void pool_run(struct pool *p, pool_region_fn *fn, void *arg)
{
    if (p->nthreads == 1) {
        fn(arg, 0, 1);
        return;
    }
    p->fn = fn;
    p->arg = arg;
    atomic_store_explicit(&p->pending, p->nthreads - 1, memory_order_relaxed);
    publish(p);
    fn(arg, 0, p->nthreads);
    wait_pending(p);
}

struct loop {
    size_t n;
    struct schedule sched;
    pool_iter_fn *fn;
    void *arg;
    _Alignas(64) atomic_size_t next; /* dynamic and guided: first iteration not handed out */
};

static void run_range(const struct loop *l, size_t lo, size_t hi, unsigned tid)
{
    for (size_t i = lo; i < hi; i++)
        l->fn(l->arg, i, tid);
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* The three schedules as libgomp hands them out: static without a chunk gives each
 * member one contiguous block (the first n % T members one iteration more); static with
 * a chunk deals chunks round-robin; dynamic takes chunks first come, first served;
 * guided takes ceil(remaining / T) iterations, never fewer than the chunk. */
static void loop_region(void *arg, unsigned tid, unsigned nthreads)
{
    struct loop *l = arg;
    size_t n = l->n, t = tid, nt = nthreads;
    size_t chunk = l->sched.chunk > 0 ? (size_t)l->sched.chunk : 1;

    switch (l->sched.kind) {
    case SCHED_STATIC:
        if (l->sched.chunk <= 0) {
            size_t q = n / nt, r = n % nt;
            size_t lo = t * q + min_size(t, r);
            run_range(l, lo, lo + q + (t < r), tid);
        } else {
            for (size_t lo = t * chunk; lo < n; lo += nt * chunk)
                run_range(l, lo, min_size(lo + chunk, n), tid);
        }
        break;
    case SCHED_DYNAMIC:
        for (;;) {
            size_t lo = atomic_fetch_add_explicit(&l->next, chunk, memory_order_relaxed);
            if (lo >= n)
                break;
            run_range(l, lo, min_size(lo + chunk, n), tid);
        }
        break;
    case SCHED_GUIDED: {
        size_t lo = atomic_load_explicit(&l->next, memory_order_relaxed);
        while (lo < n) {
            size_t q = (n - lo + nt - 1) / nt;
            q = min_size(q < chunk ? chunk : q, n - lo);
            if (atomic_compare_exchange_weak_explicit(&l->next, &lo, lo + q,
                                                      memory_order_relaxed,
                                                      memory_order_relaxed)) {
                run_range(l, lo, lo + q, tid);
                lo = atomic_load_explicit(&l->next, memory_order_relaxed);
            }
        }
        break;
    }
    }
}

void pool_for(struct pool *p, size_t n, struct schedule s, pool_iter_fn *fn, void *arg)
{
    struct loop l = { .n = n, .sched = s, .fn = fn, .arg = arg };
    atomic_init(&l.next, 0);
    pool_run(p, loop_region, &l);
}
