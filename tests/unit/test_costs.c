/* Unit tests of the cost workloads and of the pool's constructs they rely on: the
 * barrier, the task ring (including a full ring), the contention totals through the
 * pthread backend at 1, 2, 8 and 64 threads, noop's counts (the reference's against the
 * test's), its delay and statistics, the exactly-once checks of both workloads under
 * injected faults (a batch of tasks run twice, another never), and the wait policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backend.h"
#include "harness.h"
#include "pool.h"
#include "env.h"
#include "waitpolicy.h"
#include "workload.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the pool's barrier and tasks --------------------------------------------------- */

static struct pool *test_pool_now; /* the pool phases_region runs in */

struct phases {
    unsigned nthreads;
    atomic_uint arrived[64];
    atomic_uint wrong;
};

/* Every member passes 50 barriers; after barrier k every member must see all members
 * arrived at phase k, whatever order they ran in. */
static void phases_region(void *arg, unsigned tid, unsigned nthreads)
{
    (void)tid;
    struct phases *ph = arg;
    for (unsigned k = 0; k < 50; k++) {
        atomic_fetch_add(&ph->arrived[k], 1);
        pool_barrier(test_pool_now);
        if (atomic_load(&ph->arrived[k]) != nthreads)
            atomic_fetch_add(&ph->wrong, 1);
    }
}

static struct pool *make_pool(unsigned threads, long spin)
{
    struct pool *p = NULL;
    struct error e;
    struct pool_config cfg = { .threads = threads, .spin = spin };
    assert_int_equal(pool_create(&p, &cfg, &e), ERR_OK);
    return p;
}

static void barrier_orders_phases(void **state)
{
    (void)state;
    static const unsigned counts[] = { 1, 2, 3, 8 };
    static const long spins[] = { 0, 1000, POOL_SPIN_DEFAULT };
    for (size_t c = 0; c < 4; c++) {
        for (size_t s = 0; s < 3; s++) {
            test_pool_now = make_pool(counts[c], spins[s]);
            for (int again = 0; again < 2; again++) { /* the barrier resets itself */
                struct phases ph = { .nthreads = counts[c] };
                pool_run(test_pool_now, phases_region, &ph);
                assert_int_equal(atomic_load(&ph.wrong), 0);
            }
            pool_destroy(test_pool_now);
        }
    }
}

struct tally {
    size_t n;
    atomic_uint *hits;
};

static void tally_task(void *arg, size_t i, unsigned tid)
{
    (void)tid;
    struct tally *t = arg;
    atomic_fetch_add(&t->hits[i], 1);
}

/* Far more tasks than the ring holds, so the submitter must run some itself; every task
 * runs exactly once, and pool_wait returns only when all have run. */
static void tasks_run_once_each(void **state)
{
    (void)state;
    static const unsigned counts[] = { 1, 2, 4, 16 };
    for (size_t c = 0; c < 4; c++) {
        struct pool *p = make_pool(counts[c], c % 2 ? 0 : POOL_SPIN_DEFAULT);
        for (size_t round = 0; round < 3; round++) {
            size_t n = round == 0 ? 1 : round == 1 ? 7 : 20000;
            struct tally t = { .n = n, .hits = calloc(n, sizeof *t.hits) };
            assert_non_null(t.hits);
            for (size_t i = 0; i < n; i++)
                pool_submit(p, tally_task, &t, i);
            pool_wait(p);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(atomic_load(&t.hits[i]), 1);
            free(t.hits);
        }
        pool_wait(p); /* nothing submitted: returns at once */
        pool_destroy(p);
    }
}

static void count_member(void *arg, unsigned tid, unsigned nthreads)
{
    (void)tid;
    (void)nthreads;
    atomic_fetch_add((atomic_uint *)arg, 1);
}

/* A region, or destroying the pool, with tasks still queued runs them first instead of
 * hanging. */
static void queued_tasks_end_before_region_or_destroy(void **state)
{
    (void)state;
    struct tally t = { .n = 3000, .hits = calloc(3000, sizeof *t.hits) };
    assert_non_null(t.hits);
    struct pool *p = make_pool(3, POOL_SPIN_DEFAULT);
    for (size_t i = 0; i < t.n / 2; i++)
        pool_submit(p, tally_task, &t, i);
    atomic_uint members = 0;
    pool_run(p, count_member, &members);
    assert_int_equal(atomic_load(&members), 3);
    for (size_t i = 0; i < t.n / 2; i++)
        assert_int_equal(atomic_load(&t.hits[i]), 1);
    for (size_t i = t.n / 2; i < t.n; i++)
        pool_submit(p, tally_task, &t, i);
    pool_destroy(p);
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(atomic_load(&t.hits[i]), 1);
    free(t.hits);
}

struct meeting {
    atomic_uint started;
    atomic_uint met;
};

/* Each task waits (for 10 s at most) until every task of the meeting has started: it
 * returns having met the others only if the tasks really ran at the same time. */
static void meet_task(void *arg, size_t i, unsigned tid)
{
    (void)i;
    (void)tid;
    struct meeting *m = arg;
    atomic_fetch_add(&m->started, 1);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        if (atomic_load(&m->started) == 2) {
            atomic_fetch_add(&m->met, 1);
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (t.tv_sec - t0.tv_sec < 10);
}

/* Two tasks on a team of two run side by side, even though the submitter shows tasks
 * to the team in batches: pool_wait shows what is left before it helps. */
static void few_tasks_run_side_by_side(void **state)
{
    (void)state;
    for (long spin = 0; spin <= POOL_SPIN_DEFAULT; spin += POOL_SPIN_DEFAULT) {
        struct pool *p = make_pool(2, spin);
        for (int round = 0; round < 20; round++) {
            struct meeting m = { 0 };
            pool_submit(p, meet_task, &m, 0);
            pool_submit(p, meet_task, &m, 1);
            pool_wait(p);
            assert_int_equal(atomic_load(&m.met), 2);
        }
        pool_destroy(p);
    }
}

/* ---- the workloads through the pthread backend ------------------------------------- */

extern const struct workload workload_contention;
extern const struct workload workload_noop;

struct collected {
    long rows;
    long lost_total;
    bool all_verified;
    uint64_t checksum;
};

static int collect(void *arg, const struct harness_rep *r, struct error *e)
{
    (void)e;
    struct collected *c = arg;
    c->rows++;
    c->all_verified = c->all_verified && r->check.verified;
    c->checksum = r->check.checksum;
    const char *lost = strstr(r->check.metrics, "lost=");
    if (lost != NULL)
        c->lost_total += atol(lost + 5);
    return ERR_OK;
}

/* Runs a workload as main does, with assignments like "mode=atomic". */
static int run_workload(const struct workload *w, unsigned threads, size_t tasks,
                        const char *const *assign, size_t nassign, struct collected *out,
                        struct error *e)
{
    struct param_values v;
    params_init(&v, w->params, w->nparams);
    for (size_t k = 0; k < nassign; k++) {
        int rc = params_set(&v, w->name, assign[k], e);
        if (rc != ERR_OK)
            return rc;
    }
    /* As the option parser does: what this build cannot run is refused before setup. */
    if (w->admit != NULL && w->admit(&v, e) != ERR_OK)
        return ERR_USAGE;
    struct workload_run run = { .params = &v, .tasks = tasks, .threads = threads };
    void *ctx = NULL;
    int rc = w->setup(&ctx, &run, e);
    if (rc != ERR_OK)
        return rc;
    struct backend *b = NULL;
    struct backend_config bc = { .threads = threads,
                                 .schedule = { .kind = SCHED_DYNAMIC, .chunk = 1 },
                                 .spin = POOL_SPIN_DEFAULT };
    rc = backend_open(&b, &bc, e);
    if (rc == ERR_OK) {
        struct harness_config hc = { .reps = 2, .warmup = 1, .tasks = tasks };
        long unverified = 0;
        *out = (struct collected){ .all_verified = true };
        bool quiet;
        rc = harness_run(&hc, b, w, ctx, collect, out, &unverified, &quiet, e);
        backend_close(b);
    }
    w->teardown(ctx);
    return rc;
}

static void contention_loses_nothing_when_synchronised(void **state)
{
    (void)state;
    static const char *const modes[] = { "mode=mutex", "mode=atomic", "mode=reduction" };
    static const unsigned threads[] = { 1, 2, 8, 64 };
    uint64_t first = 0;
    for (size_t m = 0; m < 3; m++) {
        for (size_t t = 0; t < 4; t++) {
            const char *assign[] = { modes[m], "incs=2000" };
            struct collected c;
            struct error e;
            assert_int_equal(run_workload(&workload_contention, threads[t], 64, assign, 2, &c, &e),
                             ERR_OK);
            assert_int_equal(c.rows, 2);
            assert_true(c.all_verified);
            assert_int_equal(c.lost_total, 0);
            if (first == 0)
                first = c.checksum;
            assert_int_equal(c.checksum, first); /* the same total everywhere */
        }
    }
}

/* The reduction's per-task sums are real: right for counts that no unrolling divides
 * and at every thread count (that the compiled task is a loop over the increments is
 * checked on the object file by tests/cli/t710-kernels.bats). */
static void contention_reduction_sums_every_increment(void **state)
{
    (void)state;
    static const char *const incs[] = { "incs=1", "incs=7", "incs=4099", "incs=1000003" };
    static const unsigned threads[] = { 1, 2, 3 };
    for (size_t k = 0; k < sizeof incs / sizeof incs[0]; k++) {
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            const char *assign[] = { "mode=reduction", incs[k] };
            struct collected c;
            struct error e;
            assert_int_equal(run_workload(&workload_contention, threads[t], 13, assign, 2, &c, &e),
                             ERR_OK);
            assert_true(c.all_verified);
            assert_int_equal(c.lost_total, 0);
        }
    }
}

/* A workload opened by hand, to run its parts in an order of the test's choosing. */
struct by_hand {
    const struct workload *w;
    struct param_values v;
    void *ctx;
    struct backend *b;
};

static void open_by_hand(struct by_hand *h, const struct workload *w, unsigned threads,
                         size_t tasks, const char *const *assign, size_t nassign)
{
    struct error e;
    h->w = w;
    params_init(&h->v, w->params, w->nparams);
    for (size_t k = 0; k < nassign; k++)
        assert_int_equal(params_set(&h->v, w->name, assign[k], &e), ERR_OK);
    struct workload_run run = { .params = &h->v, .tasks = tasks, .threads = threads };
    assert_int_equal(w->setup(&h->ctx, &run, &e), ERR_OK);
    struct backend_config bc = { .threads = threads,
                                 .schedule = { .kind = SCHED_DYNAMIC, .chunk = 1 },
                                 .spin = POOL_SPIN_DEFAULT };
    assert_int_equal(backend_open(&h->b, &bc, &e), ERR_OK);
    assert_int_equal(w->rep_begin(h->ctx, &e), ERR_OK);
}

/* Runs the given parts in order (timed as zero), then the check. */
static struct check check_by_hand(struct by_hand *h, const unsigned *parts, size_t n)
{
    struct error e;
    for (size_t k = 0; k < n; k++)
        assert_int_equal(h->w->drive(h->ctx, h->b, parts[k], &e), ERR_OK);
    if (h->w->timed != NULL) {
        unsigned np = h->w->parts(h->ctx);
        double *zero = calloc(np, sizeof *zero);
        assert_non_null(zero);
        h->w->timed(h->ctx, zero, np);
        free(zero);
    }
    struct check out;
    assert_int_equal(h->w->check(h->ctx, NULL, 0, &out, &e), ERR_OK);
    return out;
}

static void close_by_hand(struct by_hand *h)
{
    backend_close(h->b);
    h->w->teardown(h->ctx);
}

/* Fault injection into a real run: one sample's bodies run twice and another sample's
 * never leave every count right, and must still fail the check; so must a reference
 * part run twice in place of another. */
static void noop_detects_bodies_run_twice_and_skipped(void **state)
{
    (void)state;
    static const char *const constructs[] = { "construct=region", "construct=parfor",
                                              "construct=barrier", "construct=for",
                                              "construct=task", "construct=forkjoin" };
    for (size_t k = 0; k < sizeof constructs / sizeof constructs[0]; k++) {
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            const char *assign[] = { constructs[k], "rounds=50", "samples=2" };
            static const unsigned all[] = { 0, 1, 2, 3 };
            static const unsigned test_twice[] = { 0, 1, 2, 1 };
            static const unsigned ref_twice[] = { 0, 1, 0, 3 };
            struct by_hand h;
            open_by_hand(&h, &workload_noop, threads, 1, assign, 3);
            assert_true(check_by_hand(&h, all, 4).verified);
            struct error e;
            assert_int_equal(h.w->rep_begin(h.ctx, &e), ERR_OK);
            struct check twice = check_by_hand(&h, test_twice, 4);
            assert_false(twice.verified);
            assert_non_null(strstr(twice.metrics, "wrong_counts=1"));
            assert_int_equal(h.w->rep_begin(h.ctx, &e), ERR_OK);
            assert_false(check_by_hand(&h, ref_twice, 4).verified);
            close_by_hand(&h);
        }
    }
}

/* A run of every contention task twice is a fault even in racy mode, where lost updates
 * are expected: it must fail, not pass as an expected loss. */
static void contention_detects_tasks_run_twice(void **state)
{
    (void)state;
    static const char *const modes[] = { "mode=racy", "mode=atomic", "mode=reduction" };
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        const char *assign[] = { modes[m], "incs=100" };
        static const unsigned once[] = { 0 };
        static const unsigned twice[] = { 0, 0 };
        struct by_hand h;
        open_by_hand(&h, &workload_contention, 1, 8, assign, 2);
        assert_true(check_by_hand(&h, once, 1).verified);
        struct error e;
        assert_int_equal(h.w->rep_begin(h.ctx, &e), ERR_OK);
        struct check out = check_by_hand(&h, twice, 2);
        assert_false(out.verified);
        assert_false(out.expected_loss);
        assert_non_null(strstr(out.metrics, "wrong_runs=1"));
        close_by_hand(&h);
    }
}

/* Metric name of a metrics field (name=value;...) as a number; NAN when it is missing. */
static double metric_of(const char *metrics, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = metrics; p != NULL; p = strchr(p, ';')) {
        p += *p == ';';
        if (strncmp(p, name, len) == 0 && p[len] == '=')
            return atof(p + len + 1);
    }
    return NAN;
}

/* noop's statistics from part times the test chooses: a reference of 2 us a round and
 * tests of 2 us plus 0..19 us in a scrambled order give the overhead 9.5 us, the median
 * test minus the median reference, and an interval from the exact 97.5% order
 * statistics of each (the 5th and 16th of 20: ranks from stats_median_ci, not a rank
 * used as an index), joined to cover at least 95%; the for loop is also reported per
 * iteration. */
static void noop_interval_is_the_order_statistics(void **state)
{
    (void)state;
    const char *assign[] = { "construct=for", "rounds=10", "samples=20" };
    struct by_hand h;
    open_by_hand(&h, &workload_noop, 2, 1, assign, 3);
    double part_s[40];
    for (unsigned k = 0; k < 20; k++) {
        double over_us = (double)((k * 7) % 20);
        part_s[2 * k] = 2e-6 * 10;
        part_s[2 * k + 1] = (2.0 + over_us) * 1e-6 * 10;
    }
    h.w->timed(h.ctx, part_s, 40);
    struct check out;
    struct error e;
    assert_int_equal(h.w->check(h.ctx, NULL, 0, &out, &e), ERR_OK);
    assert_true(fabs(metric_of(out.metrics, "overhead_us") - 9.5) < 1e-9);
    assert_true(fabs(metric_of(out.metrics, "ci_lo_us") - 4) < 1e-9);
    assert_true(fabs(metric_of(out.metrics, "ci_hi_us") - 15) < 1e-9);
    assert_true(metric_of(out.metrics, "ci_level") >= 0.95);
    assert_true(fabs(metric_of(out.metrics, "ref_us") - 2) < 1e-9);
    assert_true(fabs(metric_of(out.metrics, "test_us") - 11.5) < 1e-9);
    assert_true(fabs(metric_of(out.metrics, "iter_overhead_us") * 1024 / 9.5 - 1) < 1e-5);
    assert_non_null(strstr(out.metrics, "unit=loop"));
    close_by_hand(&h);
}

/* EPCC's method compares the test with the bodies one thread of it runs: the reference
 * runs one body per round (a region, a loop of one iteration per thread, a barrier, one
 * task per thread), and for the for loop the 1024 iterations of one thread per loop; the
 * test runs the same on every thread. Counted from the tallies of a real run, parts in
 * order, at 1 and 3 threads. */
static void noop_reference_runs_one_threads_bodies(void **state)
{
    (void)state;
    static const char *const constructs[] = { "construct=region", "construct=parfor",
                                              "construct=barrier", "construct=for",
                                              "construct=task", "construct=forkjoin" };
    static const unsigned all[] = { 0, 1, 2, 3 };
    const double rounds = 30, samples = 2;
    for (size_t k = 0; k < sizeof constructs / sizeof constructs[0]; k++) {
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            const char *assign[] = { constructs[k], "rounds=30", "samples=2" };
            struct by_hand h;
            open_by_hand(&h, &workload_noop, threads, 1, assign, 3);
            struct check out = check_by_hand(&h, all, 4);
            assert_true(out.verified);
            double per_thread = samples * rounds * (strcmp(constructs[k], "construct=for") == 0 ? 1024 : 1);
            assert_true(metric_of(out.metrics, "ref_bodies") == per_thread);
            assert_true(metric_of(out.metrics, "bodies") == per_thread * threads);
            close_by_hand(&h);
        }
    }
}

/* The bodies run EPCC's delay loop, calibrated once: some iterations by default (0.1 us),
 * none with delay_ns=0, and the run verifies either way. */
static void noop_delay_is_calibrated_or_off(void **state)
{
    (void)state;
    static const unsigned all[] = { 0, 1, 2, 3 };
    const char *with[] = { "construct=task", "rounds=10", "samples=2" };
    const char *without[] = { "construct=task", "rounds=10", "samples=2", "delay_ns=0" };
    struct by_hand h;
    open_by_hand(&h, &workload_noop, 2, 1, with, 3);
    struct check out = check_by_hand(&h, all, 4);
    assert_true(out.verified);
    assert_true(metric_of(out.metrics, "delay_iters") >= 1);
    close_by_hand(&h);
    open_by_hand(&h, &workload_noop, 2, 1, without, 4);
    out = check_by_hand(&h, all, 4);
    assert_true(out.verified);
    assert_true(metric_of(out.metrics, "delay_iters") == 0);
    close_by_hand(&h);
}

static void contention_racy_alone_loses_nothing(void **state)
{
    (void)state;
    const char *assign[] = { "mode=racy", "incs=100000" };
    struct collected c;
    struct error e;
    assert_int_equal(run_workload(&workload_contention, 1, 8, assign, 2, &c, &e), ERR_OK);
    assert_true(c.all_verified);
    assert_int_equal(c.lost_total, 0);
}

static void contention_omplock_refused_outside_openmp(void **state)
{
    (void)state;
    const char *assign[] = { "mode=omplock" };
    struct collected c;
    struct error e;
    assert_int_equal(run_workload(&workload_contention, 2, 8, assign, 1, &c, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "omplock"));
}

static void noop_counts_every_body(void **state)
{
    (void)state;
    static const char *const constructs[] = { "construct=region", "construct=parfor",
                                              "construct=parfor-runtime", "construct=barrier",
                                              "construct=for", "construct=task",
                                              "construct=forkjoin", "construct=create" };
    for (size_t k = 0; k < sizeof constructs / sizeof constructs[0]; k++) {
        for (unsigned threads = 1; threads <= 4; threads += 3) {
            const char *assign[] = { constructs[k], "rounds=300", "samples=3" };
            struct collected c;
            struct error e;
            assert_int_equal(run_workload(&workload_noop, threads, 1, assign, 3, &c, &e),
                             ERR_OK);
            assert_int_equal(c.rows, 2);
            assert_true(c.all_verified);
        }
    }
}

/* ---- the wait policy ---------------------------------------------------------------- */

static long spin_of(char **envp)
{
    struct env env;
    struct error e;
    assert_int_equal(env_read(envp, &env, &e), ERR_OK);
    return waitpolicy_spin(env.wait_policy, env.spincount);
}

static void wait_policy_reads_the_environment(void **state)
{
    (void)state;
    struct env env;
    struct error e;
    char *lazy[] = { "OMP_WAIT_POLICY=lazy", NULL };
    assert_int_equal(env_read(lazy, &env, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "OMP_WAIT_POLICY"));
    char *negative[] = { "BENCH_SPINCOUNT=-1", NULL };
    assert_int_equal(env_read(negative, &env, &e), ERR_USAGE);

    char *none[] = { NULL };
    assert_int_equal(spin_of(none), POOL_SPIN_DEFAULT);
    char *passive[] = { "OMP_WAIT_POLICY=Passive", NULL };
    assert_int_equal(spin_of(passive), 0);
    char *active[] = { "OMP_WAIT_POLICY=ACTIVE", NULL };
    assert_int_equal(spin_of(active), POOL_SPIN_FOREVER);
    char *both[] = { "OMP_WAIT_POLICY=ACTIVE", "BENCH_SPINCOUNT=123", NULL };
    assert_int_equal(spin_of(both), 123); /* the count wins over the policy */
    char *suffixed[] = { "BENCH_SPINCOUNT=300k", NULL };
    assert_int_equal(spin_of(suffixed), 300000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(barrier_orders_phases),
        cmocka_unit_test(tasks_run_once_each),
        cmocka_unit_test(few_tasks_run_side_by_side),
        cmocka_unit_test(queued_tasks_end_before_region_or_destroy),
        cmocka_unit_test(contention_loses_nothing_when_synchronised),
        cmocka_unit_test(contention_reduction_sums_every_increment),
        cmocka_unit_test(contention_detects_tasks_run_twice),
        cmocka_unit_test(contention_racy_alone_loses_nothing),
        cmocka_unit_test(contention_omplock_refused_outside_openmp),
        cmocka_unit_test(noop_counts_every_body),
        cmocka_unit_test(noop_detects_bodies_run_twice_and_skipped),
        cmocka_unit_test(noop_interval_is_the_order_statistics),
        cmocka_unit_test(noop_reference_runs_one_threads_bodies),
        cmocka_unit_test(noop_delay_is_calibrated_or_off),
        cmocka_unit_test(wait_policy_reads_the_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
