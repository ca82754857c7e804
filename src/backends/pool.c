/* The pthread pool. Every wait in it (a worker for the next region, the caller for the
 * end of one, a member at a barrier, a worker for tasks) spins a bounded number of polls
 * on a shared word and then sleeps on a futex, so back-to-back regions cost no system
 * call while idle workers cost no CPU. Work is handed out without locks: a region by an
 * epoch counter, loop iterations by a shared atomic index, tasks through a preallocated
 * ring that the submitter fills and the team drains with compare-and-swap. */
#include "pool.h"

#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RING_SLOTS 1024u /* a power of two */
#define CLAIM_MAX 16u    /* most tasks one claim takes when the ring is full */
#define PUBLISH_EVERY 8u /* tasks the submitter fills before it shows them, unless asked */

struct pool_worker {
    struct pool *pool;
    unsigned tid;
    pthread_t thread;
};

/* The slots are atomic because a claimer reads one before its claim is confirmed and the
 * submitter may, in a claim that then fails, already be rewriting it. */
struct task_slot {
    _Atomic(pool_iter_fn *) fn;
    _Atomic(void *) arg;
    atomic_size_t i;
};

/* A word threads wait on, with the count of those asleep on it, so that whoever changes
 * the word makes a system call only when someone sleeps. */
struct gate {
    _Alignas(64) atomic_uint word;
    atomic_uint sleepers;
};

struct pool {
    unsigned nthreads;
    unsigned started;
    long spin;
    bool yield; /* the team outnumbers the CPUs: a spinning waiter gives its CPU away */
    struct pool_worker *workers;
    struct task_slot *ring;

    /* The current region: written by the caller before it opens the epoch gate, read
     * by workers after they see it open, and left alone until pending is back to 0. */
    pool_region_fn *fn;
    void *arg;
    bool stop;
    bool tasks_running; /* the owner's own note: a task region is open */
    unsigned tasks_ticket; /* its finish() ticket */
    size_t head_seen;   /* the owner's last look at head, to skip reloading it */
    size_t filled;      /* the owner's count of slots written; tail lags it */

    struct gate epoch; /* bumped to start a region */
    struct gate done;  /* bumped by the last worker to finish one */
    _Alignas(64) atomic_uint pending;
    _Alignas(64) atomic_uint arrived; /* members at the current barrier */
    struct gate barrier;              /* bumped by the last to arrive */
    /* pool_share's next iteration (dynamic, guided). One is enough: each shared loop
     * ends with a barrier, whose last arriver resets it for the next loop. */
    _Alignas(64) atomic_size_t share_next;
    _Alignas(64) atomic_size_t head;  /* first task not claimed */
    _Alignas(64) atomic_size_t tail;  /* first slot not shown to the team; <= filled */
    atomic_bool closed;               /* no more tasks until the next pool_wait */
    _Alignas(64) atomic_bool hungry;  /* a worker found the ring empty: show tasks at once */
    struct gate bell;                 /* rung when tail or closed change and someone sleeps */
};

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void relax(const struct pool *p)
{
    if (p->yield)
        sched_yield();
    else
        cpu_relax();
}

static void futex_wait(atomic_uint *word, unsigned expected)
{
    /* Returns at once when *word != expected; a spurious return is harmless because
     * every caller loops on its predicate. */
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake_all(atomic_uint *word)
{
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Waits until g->word differs from seen. A sleeper counts itself in sleepers before its
 * last look at the word, and gate_open bumps the word before it reads sleepers (both
 * sequentially consistent), so a wake-up is never missed. */
static void gate_wait(const struct pool *p, struct gate *g, unsigned seen)
{
    for (long k = 0; k < p->spin; k++) {
        if (atomic_load_explicit(&g->word, memory_order_acquire) != seen)
            return;
        relax(p);
    }
    for (;;) {
        atomic_fetch_add(&g->sleepers, 1);
        if (atomic_load(&g->word) == seen)
            futex_wait(&g->word, seen);
        atomic_fetch_sub(&g->sleepers, 1);
        if (atomic_load_explicit(&g->word, memory_order_acquire) != seen)
            return;
    }
}

static void gate_open(struct gate *g)
{
    atomic_fetch_add(&g->word, 1);
    if (atomic_load(&g->sleepers) > 0)
        futex_wake_all(&g->word);
}

static unsigned gate_seen(struct gate *g)
{
    return atomic_load_explicit(&g->word, memory_order_acquire);
}

/* Starts fn on the workers; the caller then waits with finish(p, ticket). */
static unsigned start(struct pool *p, pool_region_fn *fn, void *arg)
{
    p->fn = fn;
    p->arg = arg;
    atomic_store_explicit(&p->pending, p->nthreads - 1, memory_order_relaxed);
    unsigned ticket = gate_seen(&p->done);
    gate_open(&p->epoch);
    return ticket;
}

static void finish(struct pool *p, unsigned ticket)
{
    gate_wait(p, &p->done, ticket);
}

static void *worker_main(void *argp)
{
    struct pool_worker *w = argp;
    struct pool *p = w->pool;
    unsigned seen = 0;

    for (;;) {
        gate_wait(p, &p->epoch, seen);
        seen = gate_seen(&p->epoch);
        if (p->stop)
            return NULL;
        p->fn(p->arg, w->tid, p->nthreads);
        if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) == 1)
            gate_open(&p->done);
    }
}

static void stop_workers(struct pool *p)
{
    p->stop = true;
    gate_open(&p->epoch);
    for (unsigned k = 0; k < p->started; k++)
        pthread_join(p->workers[k].thread, NULL);
}

static long usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

int pool_create(struct pool **out, const struct pool_config *cfg, struct error *e)
{
    if (cfg->threads < 1)
        return error_set(e, ERR_USAGE, "pool: threads must be at least 1");
    struct pool *p = aligned_alloc(64, (sizeof *p + 63) / 64 * 64);
    if (p == NULL)
        return error_set(e, ERR_RUN, "pool: out of memory");
    memset(p, 0, sizeof *p);
    p->nthreads = cfg->threads;
    p->spin = cfg->spin > 0 ? cfg->spin : 0;
    p->yield = (long)cfg->threads > usable_cpus();
    if (p->yield && p->spin > POOL_SPIN_THROTTLED && p->spin != POOL_SPIN_FOREVER)
        p->spin = POOL_SPIN_THROTTLED;
    p->workers = calloc(cfg->threads, sizeof *p->workers);
    p->ring = calloc(RING_SLOTS, sizeof *p->ring);
    if (p->workers == NULL || p->ring == NULL) {
        free(p->workers);
        free(p->ring);
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
        free(p->ring);
        free(p);
        return error_set(e, ERR_RUN,
                         "pthread_create failed for thread %u of %u: %s "
                         "(the %u worker%s it had started %s joined)",
                         made + 2, cfg->threads, strerror(rc), made, made == 1 ? "" : "s",
                         made == 1 ? "was" : "were");
    }
    *out = p;
    return ERR_OK;
}

void pool_destroy(struct pool *p)
{
    if (p == NULL)
        return;
    pool_wait(p); /* workers in a task region would not see stop */
    stop_workers(p);
    free(p->workers);
    free(p->ring);
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
    if (p->tasks_running)
        pool_wait(p); /* the team is in the task region: end that batch first */
    unsigned ticket = start(p, fn, arg);
    fn(arg, 0, p->nthreads);
    finish(p, ticket);
}

/* A central counter barrier. The generation is read before arriving: it cannot move
 * until this member has arrived, so the member waits for exactly this barrier's end.
 * The last to arrive resets the count (and *reset, when given) before it opens the gate,
 * and the others see the reset because they see the gate open (release, then acquire);
 * every other member's use of *reset came before its own arrival. */
static void barrier_wait(struct pool *p, atomic_size_t *reset)
{
    unsigned gen = gate_seen(&p->barrier);
    if (atomic_fetch_add_explicit(&p->arrived, 1, memory_order_acq_rel) == p->nthreads - 1) {
        atomic_store_explicit(&p->arrived, 0, memory_order_relaxed);
        if (reset != NULL)
            atomic_store_explicit(reset, 0, memory_order_relaxed);
        gate_open(&p->barrier);
    } else {
        gate_wait(p, &p->barrier, gen);
    }
}

void pool_barrier(struct pool *p)
{
    if (p->nthreads == 1)
        return;
    barrier_wait(p, NULL);
}

struct loop {
    size_t n;
    struct schedule sched;
    pool_iter_fn *fn;
    void *arg;
    atomic_size_t *next; /* dynamic and guided: first iteration not handed out */
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
static void deal(const struct loop *l, unsigned tid, unsigned nthreads)
{
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
            size_t lo = atomic_fetch_add_explicit(l->next, chunk, memory_order_relaxed);
            if (lo >= n)
                break;
            run_range(l, lo, min_size(lo + chunk, n), tid);
        }
        break;
    case SCHED_GUIDED: {
        size_t lo = atomic_load_explicit(l->next, memory_order_relaxed);
        while (lo < n) {
            size_t q = (n - lo + nt - 1) / nt;
            q = min_size(q < chunk ? chunk : q, n - lo);
            if (atomic_compare_exchange_weak_explicit(l->next, &lo, lo + q,
                                                      memory_order_relaxed,
                                                      memory_order_relaxed)) {
                run_range(l, lo, lo + q, tid);
                lo = atomic_load_explicit(l->next, memory_order_relaxed);
            }
        }
        break;
    }
    }
}

static void loop_region(void *arg, unsigned tid, unsigned nthreads)
{
    deal(arg, tid, nthreads);
}

void pool_for(struct pool *p, size_t n, struct schedule s, pool_iter_fn *fn, void *arg)
{
    if (p->nthreads == 1 || n == 0) {
        for (size_t i = 0; i < n; i++)
            fn(arg, i, 0);
        return;
    }
    _Alignas(64) atomic_size_t next;
    atomic_init(&next, 0);
    struct loop l = { .n = n, .sched = s, .fn = fn, .arg = arg, .next = &next };
    pool_run(p, loop_region, &l);
}

void pool_share(struct pool *p, unsigned tid, size_t n, struct schedule s, pool_iter_fn *fn,
                void *arg)
{
    if (p->nthreads == 1) {
        for (size_t i = 0; i < n; i++)
            fn(arg, i, 0);
        return;
    }
    struct loop l = { .n = n, .sched = s, .fn = fn, .arg = arg, .next = &p->share_next };
    deal(&l, tid, p->nthreads);
    barrier_wait(p, &p->share_next);
}

/* ---- tasks ---------------------------------------------------------------------------- */

struct task {
    pool_iter_fn *fn;
    void *arg;
    size_t i;
};

/* Claims and runs up to CLAIM_MAX queued tasks; false when the ring was empty. Slots are
 * copied before the claim: while head has not moved past a slot the submitter cannot
 * reuse it, and a claim that succeeds proves head had not moved. A claim takes a share
 * of what is queued, so a long queue costs fewer compare-and-swaps per task. */
static bool claim_run(struct pool *p, unsigned tid)
{
    size_t h = atomic_load_explicit(&p->head, memory_order_relaxed);
    struct task got[CLAIM_MAX];
    for (;;) {
        size_t t = atomic_load_explicit(&p->tail, memory_order_acquire);
        if (h >= t)
            return false;
        size_t take = (t - h) / (2 * (size_t)p->nthreads);
        take = take < 1 ? 1 : min_size(take, CLAIM_MAX);
        for (size_t j = 0; j < take; j++) {
            struct task_slot *s = &p->ring[(h + j) & (RING_SLOTS - 1)];
            got[j].fn = atomic_load_explicit(&s->fn, memory_order_relaxed);
            got[j].arg = atomic_load_explicit(&s->arg, memory_order_relaxed);
            got[j].i = atomic_load_explicit(&s->i, memory_order_relaxed);
        }
        if (atomic_compare_exchange_weak_explicit(&p->head, &h, h + take,
                                                  memory_order_acq_rel,
                                                  memory_order_relaxed)) {
            for (size_t j = 0; j < take; j++)
                got[j].fn(got[j].arg, got[j].i, tid);
            return true;
        }
    }
}

static bool tasks_waiting(struct pool *p, size_t seen_tail)
{
    return atomic_load(&p->tail) != seen_tail || atomic_load(&p->closed);
}

/* A worker with nothing to claim waits for the tail to move or the ring to close. The
 * submitter stores tail, then reads bell.sleepers; a sleeper counts itself, then reads
 * tail (all sequentially consistent): one of them sees the other. */
static void wait_for_tasks(struct pool *p, size_t seen_tail)
{
    for (long k = 0; k < p->spin; k++) {
        if (tasks_waiting(p, seen_tail))
            return;
        relax(p);
    }
    for (;;) {
        unsigned bell = gate_seen(&p->bell);
        atomic_fetch_add(&p->bell.sleepers, 1);
        if (!tasks_waiting(p, seen_tail))
            futex_wait(&p->bell.word, bell);
        atomic_fetch_sub(&p->bell.sleepers, 1);
        if (tasks_waiting(p, seen_tail))
            return;
    }
}

static void ring_bell(struct pool *p)
{
    if (atomic_load(&p->bell.sleepers) > 0) {
        atomic_fetch_add(&p->bell.word, 1);
        futex_wake_all(&p->bell.word);
    }
}

static void task_region(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct pool *p = arg;
    for (;;) {
        size_t t = atomic_load_explicit(&p->tail, memory_order_acquire);
        if (claim_run(p, tid))
            continue;
        if (!atomic_load_explicit(&p->hungry, memory_order_relaxed))
            atomic_store_explicit(&p->hungry, true, memory_order_relaxed);
        /* closed is set after the last submission, so once it is seen the ring holds
         * all it will ever hold. */
        if (atomic_load_explicit(&p->closed, memory_order_acquire)) {
            if (!claim_run(p, tid))
                return;
            continue;
        }
        wait_for_tasks(p, t);
    }
}

/* Shows the filled slots to the team. Storing tail moves its cache line to the
 * submitter and reading it moves it back, so while the team is busy the submitter shows
 * tasks PUBLISH_EVERY at a time; a worker that runs dry says so through hungry. */
static void publish(struct pool *p)
{
    if (atomic_load_explicit(&p->tail, memory_order_relaxed) == p->filled)
        return;
    atomic_store(&p->tail, p->filled);
    if (atomic_load_explicit(&p->hungry, memory_order_relaxed))
        atomic_store_explicit(&p->hungry, false, memory_order_relaxed);
    ring_bell(p);
}

void pool_submit(struct pool *p, pool_iter_fn *fn, void *arg, size_t i)
{
    if (p->nthreads == 1) {
        fn(arg, i, 0);
        return;
    }
    if (!p->tasks_running) {
        p->tasks_running = true;
        atomic_store_explicit(&p->closed, false, memory_order_relaxed);
        p->tasks_ticket = start(p, task_region, p);
    }
    size_t t = p->filled;
    while (t - p->head_seen >= RING_SLOTS) {
        publish(p);
        p->head_seen = atomic_load_explicit(&p->head, memory_order_acquire);
        if (t - p->head_seen >= RING_SLOTS)
            claim_run(p, 0); /* the queue is full: help rather than wait */
    }
    struct task_slot *s = &p->ring[t & (RING_SLOTS - 1)];
    atomic_store_explicit(&s->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&s->arg, arg, memory_order_relaxed);
    atomic_store_explicit(&s->i, i, memory_order_relaxed);
    p->filled = t + 1;
    if (p->filled % PUBLISH_EVERY == 0 || atomic_load_explicit(&p->hungry, memory_order_relaxed))
        publish(p);
}

void pool_wait(struct pool *p)
{
    if (!p->tasks_running)
        return;
    publish(p);
    while (claim_run(p, 0))
        ;
    atomic_store(&p->closed, true);
    ring_bell(p);
    finish(p, p->tasks_ticket);
    p->tasks_running = false;
}
