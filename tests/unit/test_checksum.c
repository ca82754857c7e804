/* Checksums do not depend on the thread count or the schedule, for every registered
 * workload (a new one is covered without editing this file), every repetition verifies,
 * and a wrong result is caught: the check must be able to fail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "backend.h"
#include "harness.h"
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
    uint64_t checksum;
    int rows;
    int unverified_rows;
};

static int remember(void *arg, const struct harness_rep *r, struct error *e)
{
    (void)e;
    struct seen *s = arg;
    if (s->rows > 0 && r->check.checksum != s->checksum)
        fail_msg("checksum changed between repetitions");
    s->checksum = r->check.checksum;
    s->rows++;
    if (!r->check.verified)
        s->unverified_rows++;
    return ERR_OK;
}

/* Runs workload name with the given parameters on `threads` threads and schedule s. */
static uint64_t run_once(const char *name, const char *const *assign, size_t tasks,
                         unsigned threads, struct schedule s)
{
    const struct workload *w = workload_find(name);
    assert_non_null(w);
    struct param_values pv;
    struct error e;
    params_init(&pv, w->params, w->nparams);
    for (; assign != NULL && *assign != NULL; assign++)
        if (params_set(&pv, name, *assign, &e) != ERR_OK)
            fail_msg("%s", e.msg);

    struct workload_run wr = { .params = &pv, .tasks = tasks, .threads = threads };
    void *ctx = NULL;
    if (w->setup(&ctx, &wr, &e) != ERR_OK)
        fail_msg("setup: %s", e.msg);
    struct backend *b = NULL;
    struct backend_config bc = { .threads = threads, .schedule = s, .spin = 1000 };
    if (backend_open(&b, &bc, &e) != ERR_OK)
        fail_msg("backend_open: %s", e.msg);
    struct harness_config hc = { .reps = 2, .warmup = 1, .tasks = tasks };
    struct seen seen = { 0 };
    long unverified = 0;
    bool quiet;
    if (harness_run(&hc, b, w, ctx, remember, &seen, &unverified, &quiet, &e) != ERR_OK)
        fail_msg("harness_run: %s", e.msg);
    backend_close(b);
    w->teardown(ctx);
    assert_int_equal(seen.rows, 2);
    if (unverified != 0 || seen.unverified_rows != 0)
        fail_msg("%s on %u threads, %s: not verified", name, threads,
                 schedule_kind_name(s.kind));
    return seen.checksum;
}

static void same_everywhere(const char *name, const char *const *assign, size_t tasks)
{
    static const unsigned threads[] = { 1, 2, 3, 8 };
    static const struct schedule schedules[] = {
        { SCHED_STATIC, 0 }, { SCHED_STATIC, 5 }, { SCHED_DYNAMIC, 0 },
        { SCHED_DYNAMIC, 3 }, { SCHED_GUIDED, 0 }, { SCHED_GUIDED, 2 },
    };
    uint64_t ref = run_once(name, assign, tasks, 1, schedules[0]);
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
        for (size_t s = 0; s < sizeof schedules / sizeof *schedules; s++)
            assert_true(run_once(name, assign, tasks, threads[t], schedules[s]) == ref);
}

/* Each workload in its small instance (test_params), with a task count that is not a
 * multiple of any thread count tried, so that schedules split it unevenly. */
static void test_every_workload(void **state)
{
    (void)state;
    assert_true(workloads_count > 0);
    for (size_t k = 0; k < workloads_count; k++) {
        const struct workload *w = workloads[k];
        size_t tasks = w->default_tasks < 37 ? (size_t)w->default_tasks : 37;
        print_message("# %s\n", w->name);
        same_everywhere(w->name, w->test_params, tasks);
    }
}

/* cpu's skews spread the work unevenly, which the schedules must not change. */
static void test_cpu_skews(void **state)
{
    (void)state;
    static const char *const uniform[] = { "work=3000", NULL };
    static const char *const random[] = { "work=3000", "skew=random", NULL };
    static const char *const tiny[] = { "work=1", NULL };
    same_everywhere("cpu", uniform, 97);
    same_everywhere("cpu", random, 97);
    same_everywhere("cpu", tiny, 10);
}

/* Parameters are part of the answer: other parameters, another checksum. */
static void test_params_change_checksum(void **state)
{
    (void)state;
    static const char *const a[] = { "work=3000", NULL };
    static const char *const b[] = { "work=3001", NULL };
    static const char *const c[] = { "work=3000", "skew=linear", NULL };
    struct schedule st = { SCHED_STATIC, 0 };
    uint64_t ca = run_once("cpu", a, 20, 2, st);
    assert_true(ca != run_once("cpu", b, 20, 2, st));
    assert_true(ca != run_once("cpu", c, 20, 2, st));
}

/* One corrupted, one missing (poisoned) and one swapped result are each caught. */
static void test_wrong_results_fail(void **state)
{
    (void)state;
    const struct workload *w = workload_find("cpu");
    struct param_values pv;
    struct error e;
    params_init(&pv, w->params, w->nparams);
    assert_int_equal(params_set(&pv, "cpu", "work=100", &e), ERR_OK);
    enum { N = 16 };
    struct workload_run wr = { .params = &pv, .tasks = N, .threads = 1 };
    void *ctx = NULL;
    assert_int_equal(w->setup(&ctx, &wr, &e), ERR_OK);
    uint64_t good[N], bad[N];
    for (size_t i = 0; i < N; i++)
        good[i] = w->task(ctx, i, 0);
    struct check chk;
    assert_int_equal(w->check(ctx, good, N, &chk, &e), ERR_OK);
    assert_true(chk.verified);
    uint64_t right = chk.checksum;

    memcpy(bad, good, sizeof bad);
    bad[7] ^= 1;
    assert_int_equal(w->check(ctx, bad, N, &chk, &e), ERR_OK);
    assert_false(chk.verified);
    assert_true(chk.checksum != right);
    assert_non_null(strstr(chk.metrics, "wrong_tasks=1"));

    memcpy(bad, good, sizeof bad);
    bad[3] = bad[4];
    bad[4] = good[3];
    assert_int_equal(w->check(ctx, bad, N, &chk, &e), ERR_OK);
    assert_false(chk.verified);
    w->teardown(ctx);
}

/* memory's passes: a task skipped in one pass and another run twice leave every element
 * right (the other pass wrote them), so only the tally of runs can tell; it must. */
static void test_memory_pass_miscounted_fails(void **state)
{
    (void)state;
    const struct workload *w = workload_find("memory");
    assert_non_null(w);
    struct param_values pv;
    struct error e;
    params_init(&pv, w->params, w->nparams);
    assert_int_equal(params_set(&pv, "memory", "mib=1", &e), ERR_OK);
    assert_int_equal(params_set(&pv, "memory", "passes=2", &e), ERR_OK);
    enum { N = 8, PASSES = 2 };
    struct workload_run wr = { .params = &pv, .tasks = N, .threads = 2 };
    void *ctx = NULL;
    assert_int_equal(w->setup(&ctx, &wr, &e), ERR_OK);
    assert_int_equal(w->parts(ctx), PASSES);
    uint64_t results[N] = { 0 };
    double part_s[PASSES] = { 0.01, 0.01 };
    struct check chk;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(w->rep_begin(ctx, &e), ERR_OK);
        for (unsigned p = 0; p < PASSES; p++)
            for (size_t i = 0; i < N; i++) {
                bool faulty = round == 1 && p == 1;
                if (faulty && i == 5)
                    continue;
                w->task(ctx, i, p);
                if (faulty && i == 2)
                    w->task(ctx, i, 0);
            }
        w->timed(ctx, part_s, PASSES);
        assert_int_equal(w->check(ctx, results, N, &chk, &e), ERR_OK);
        if (round == 0)
            assert_true(chk.verified);
    }
    assert_false(chk.verified);
    assert_non_null(strstr(chk.metrics, "wrong_runs=1"));
    assert_null(strstr(chk.metrics, "wrong_elements"));
    w->teardown(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_workload),
        cmocka_unit_test(test_cpu_skews),
        cmocka_unit_test(test_params_change_checksum),
        cmocka_unit_test(test_wrong_results_fail),
        cmocka_unit_test(test_memory_pass_miscounted_fails),
    };
    return cmocka_run_group_tests_name("checksum", tests, NULL, NULL);
}
