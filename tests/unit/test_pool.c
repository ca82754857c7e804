/* The pool runs every iteration exactly once, for every schedule, from 1 thread to far
 * more threads than cores, in loops of their own and in loops shared inside a region;
 * regions run back to back; shutdown is clean; a refused
 * pthread_create is an error, not a crash or a hang. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pool.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const unsigned thread_counts[] = { 1, 2, 7, 64, 1024 };
static const size_t task_counts[] = { 0, 1, 5, 10000 };

struct tally {
    size_t n;
    unsigned threads;
    atomic_uint *runs;
    unsigned *tid_of;
    atomic_uint bad_tid;
};

static void count_iteration(void *arg, size_t i, unsigned tid)
{
    struct tally *t = arg;
    atomic_fetch_add_explicit(&t->runs[i], 1, memory_order_relaxed);
    t->tid_of[i] = tid;
    if (tid >= t->threads)
        atomic_fetch_add(&t->bad_tid, 1);
}

static struct pool *make_pool(unsigned threads, long spin)
{
    struct pool *p = NULL;
    struct error e;
    struct pool_config cfg = { .threads = threads, .spin = spin };
    int rc = pool_create(&p, &cfg, &e);
    if (rc != ERR_OK)
        fail_msg("pool_create(%u): %s", threads, e.msg);
    assert_int_equal(pool_threads(p), threads);
    return p;
}

static void check_exactly_once(struct pool *p, unsigned threads, size_t n, struct schedule s)
{
    struct tally t = { .n = n, .threads = threads };
    t.runs = calloc(n ? n : 1, sizeof *t.runs);
    t.tid_of = calloc(n ? n : 1, sizeof *t.tid_of);
    assert_non_null(t.runs);
    assert_non_null(t.tid_of);
    pool_for(p, n, s, count_iteration, &t);
    for (size_t i = 0; i < n; i++)
        if (atomic_load(&t.runs[i]) != 1)
            fail_msg("%s chunk %ld, %u threads, %zu tasks: iteration %zu ran %u times",
                     schedule_kind_name(s.kind), s.chunk, threads, n, i,
                     atomic_load(&t.runs[i]));
    assert_int_equal(atomic_load(&t.bad_tid), 0);
    free(t.runs);
    free(t.tid_of);
}

static void test_every_task_once(void **state)
{
    (void)state;
    static const struct schedule schedules[] = {
        { SCHED_STATIC, 0 }, { SCHED_STATIC, 3 }, { SCHED_DYNAMIC, 0 },
        { SCHED_DYNAMIC, 7 }, { SCHED_GUIDED, 0 }, { SCHED_GUIDED, 4 },
    };
    for (size_t a = 0; a < sizeof thread_counts / sizeof *thread_counts; a++) {
        struct pool *p = make_pool(thread_counts[a], 1000);
        for (size_t s = 0; s < sizeof schedules / sizeof *schedules; s++)
            for (size_t b = 0; b < sizeof task_counts / sizeof *task_counts; b++)
                check_exactly_once(p, thread_counts[a], task_counts[b], schedules[s]);
        pool_destroy(p);
    }
}

/* Static schedules are deterministic, so their exact layout is checked as libgomp lays
 * it out: blocks (the first n % T threads one longer), or chunks dealt round-robin. */
static void test_static_layout(void **state)
{
    (void)state;
    struct pool *p = make_pool(3, 1000);
    struct tally t = { .n = 10, .threads = 3 };
    atomic_uint runs[10];
    unsigned tids[10];
    t.runs = runs;
    t.tid_of = tids;

    memset(runs, 0, sizeof runs);
    pool_for(p, 10, (struct schedule){ SCHED_STATIC, 0 }, count_iteration, &t);
    static const unsigned blocks[10] = { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2 };
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(tids[i], blocks[i]);

    memset(runs, 0, sizeof runs);
    pool_for(p, 10, (struct schedule){ SCHED_STATIC, 2 }, count_iteration, &t);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(tids[i], (i / 2) % 3);
    pool_destroy(p);
}

/* Loops shared inside one region (pool_share): each member meets the same loops in
 * the same order; every iteration of every loop runs once, and when a member leaves a
 * loop every iteration of it has run (the barrier at its end). */
enum { SHARED_LOOPS = 40 };

struct shared {
    struct pool *pool;
    struct schedule sched;
    unsigned threads;
    size_t n[SHARED_LOOPS];
    atomic_uint *runs[SHARED_LOOPS];
    atomic_uint done[SHARED_LOOPS];
    atomic_uint early; /* a member left a loop before all its iterations had run */
    atomic_uint bad_tid;
};

struct shared_iter {
    struct shared *sh;
    unsigned loop;
};

static void shared_iteration(void *arg, size_t i, unsigned tid)
{
    const struct shared_iter *it = arg;
    atomic_fetch_add_explicit(&it->sh->runs[it->loop][i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&it->sh->done[it->loop], 1, memory_order_relaxed);
    if (tid >= it->sh->threads)
        atomic_fetch_add(&it->sh->bad_tid, 1);
}

static void shared_region(void *arg, unsigned tid, unsigned nthreads)
{
    (void)nthreads;
    struct shared *sh = arg;
    for (unsigned k = 0; k < SHARED_LOOPS; k++) {
        struct shared_iter it = { .sh = sh, .loop = k };
        pool_share(sh->pool, tid, sh->n[k], sh->sched, shared_iteration, &it);
        if (atomic_load(&sh->done[k]) != sh->n[k])
            atomic_fetch_add(&sh->early, 1);
    }
}

static void test_shared_loops_once(void **state)
{
    (void)state;
    static const struct schedule schedules[] = {
        { SCHED_STATIC, 0 }, { SCHED_STATIC, 3 }, { SCHED_DYNAMIC, 1 },
        { SCHED_DYNAMIC, 5 }, { SCHED_GUIDED, 0 }, { SCHED_GUIDED, 2 },
    };
    static const unsigned counts[] = { 1, 2, 7, 64 };
    for (size_t a = 0; a < sizeof counts / sizeof *counts; a++) {
        struct pool *p = make_pool(counts[a], 1000);
        for (size_t s = 0; s < sizeof schedules / sizeof *schedules; s++) {
            struct shared sh = { .pool = p, .sched = schedules[s], .threads = counts[a] };
            for (unsigned k = 0; k < SHARED_LOOPS; k++) {
                sh.n[k] = (size_t)(k * 37 % 300); /* 0 included, sizes vary loop to loop */
                sh.runs[k] = calloc(sh.n[k] + 1, sizeof *sh.runs[k]);
                assert_non_null(sh.runs[k]);
            }
            pool_run(p, shared_region, &sh);
            for (unsigned k = 0; k < SHARED_LOOPS; k++) {
                for (size_t i = 0; i < sh.n[k]; i++)
                    if (atomic_load(&sh.runs[k][i]) != 1)
                        fail_msg("%s chunk %ld, %u threads, loop %u: iteration %zu ran %u "
                                 "times", schedule_kind_name(sh.sched.kind), sh.sched.chunk,
                                 counts[a], k, i, atomic_load(&sh.runs[k][i]));
                free(sh.runs[k]);
            }
            assert_int_equal(atomic_load(&sh.early), 0);
            assert_int_equal(atomic_load(&sh.bad_tid), 0);
        }
        pool_destroy(p);
    }
}

struct rounds {
    atomic_uint per_tid[8];
};

static void count_region(void *arg, unsigned tid, unsigned nthreads)
{
    struct rounds *r = arg;
    (void)nthreads;
    atomic_fetch_add_explicit(&r->per_tid[tid], 1, memory_order_relaxed);
}

static void fork_join_rounds(unsigned threads, long spin)
{
    enum { ROUNDS = 10000 };
    struct pool *p = make_pool(threads, spin);
    struct rounds r;
    memset(&r, 0, sizeof r);
    for (int k = 0; k < ROUNDS; k++)
        pool_run(p, count_region, &r);
    for (unsigned tid = 0; tid < threads; tid++)
        assert_int_equal(atomic_load(&r.per_tid[tid]), ROUNDS);
    pool_destroy(p);
}

static void test_fork_join_rounds(void **state)
{
    (void)state;
    fork_join_rounds(2, 20000); /* workers mostly catch the next region while spinning */
    fork_join_rounds(8, 0);     /* every hand-over goes through the futex */
    fork_join_rounds(3, 50);
}

/* The threads of this process, as the kernel counts them. */
static int live_threads(void)
{
    int n = -1;
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(f);
    assert_true(n >= 1);
    return n;
}

/* The thread count once it reaches want: a joined thread leaves the kernel's count a
 * moment after pthread_join returns (the join wakes on the cleared tid, before the
 * kernel releases the task), so the count is polled, for at most 10 s. */
static int threads_settle_at(int want)
{
    int n = live_threads();
    for (int k = 0; k < 10000 && n != want; k++) {
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
        n = live_threads();
    }
    return n;
}

/* An idle pool, sleeping or spinning, starts its workers and its destroy joins every one
 * of them: the process has as many threads after as before. */
static void test_shutdown_idle(void **state)
{
    (void)state;
    int before = live_threads();
    for (int k = 0; k < 50; k++) {
        struct pool *sleeping = make_pool(4, 0);
        assert_int_equal(live_threads(), before + 3);
        pool_destroy(sleeping);
        assert_int_equal(threads_settle_at(before), before);
        struct pool *spinning = make_pool(4, 100000);
        assert_int_equal(live_threads(), before + 3);
        pool_destroy(spinning);
        assert_int_equal(threads_settle_at(before), before);
    }
    pool_destroy(make_pool(1, 0));
    assert_int_equal(threads_settle_at(before), before);
}

static void test_shutdown_after_batch(void **state)
{
    (void)state;
    for (int k = 0; k < 50; k++) {
        struct pool *p = make_pool(5, k % 2 ? 0 : 100000);
        check_exactly_once(p, 5, 100, (struct schedule){ SCHED_DYNAMIC, 1 });
        pool_destroy(p);
    }
}

/* Runs in a child whose address space is too small for 1000 thread stacks, so some
 * pthread_create fails; the pool must report it and return. Not in the ThreadSanitizer
 * build, whose shadow memory cannot live under an address-space limit: the plain build
 * runs it, and tests/cli covers the binaries. */
#if !defined(__SANITIZE_THREAD__)
static void test_create_failure(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit lim = { .rlim_cur = 256UL << 20, .rlim_max = 256UL << 20 };
        if (setrlimit(RLIMIT_AS, &lim) != 0)
            _exit(10);
        struct pool *p = NULL;
        struct error e = { .msg = "" };
        struct pool_config cfg = { .threads = 1000, .spin = 0 };
        int rc = pool_create(&p, &cfg, &e);
        if (rc != ERR_RUN)
            _exit(11);
        if (strstr(e.msg, "pthread_create") == NULL)
            _exit(12);
        /* The pool joined what it made: a smaller pool still works in this process. */
        struct pool_config small = { .threads = 2, .spin = 0 };
        if (pool_create(&p, &small, &e) != ERR_OK)
            _exit(13);
        pool_destroy(p);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_task_once),
        cmocka_unit_test(test_static_layout),
        cmocka_unit_test(test_shared_loops_once),
        cmocka_unit_test(test_fork_join_rounds),
        cmocka_unit_test(test_shutdown_idle),
        cmocka_unit_test(test_shutdown_after_batch),
#if !defined(__SANITIZE_THREAD__)
        cmocka_unit_test(test_create_failure),
#endif
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
