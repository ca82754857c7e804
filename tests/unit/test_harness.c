/* The harness's exactly-once check, by fault injection: a backend that runs one task
 * twice, or skips one, must fail verification even when the workload's own check (a
 * result per task, or a total) would pass; a correct one passes, and every row carries
 * the interference figures and the disturbed mark. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- a backend with a fault to inject ------------------------------------------------ */
enum fault { FAULT_NONE, FAULT_TWICE, FAULT_SKIP };
static enum fault fault;
static size_t fault_task;

struct backend {
    int unused;
};
static struct backend the_backend;

void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
    for (size_t i = 0; i < n; i++) {
        if (fault == FAULT_SKIP && i == fault_task)
            continue;
        fn(arg, i, 0);
        if (fault == FAULT_TWICE && i == fault_task)
            fn(arg, i, 0);
    }
}

void backend_region(struct backend *b, backend_region_fn *fn, void *arg)
{
    (void)b;
    fn(arg, 0, 1);
}

/* ---- a workload whose own check cannot see a duplicate --------------------------------- */
static uint64_t square_task(void *ctx, size_t i, unsigned tid)
{
    (void)ctx;
    (void)tid;
    return (uint64_t)i * i;
}

/* Compares each result with its right answer: a task run twice writes the same answer. */
static int square_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                        struct error *e)
{
    (void)ctx;
    (void)e;
    *out = (struct check){ .verified = true };
    for (size_t i = 0; i < n; i++)
        if (results[i] != (uint64_t)i * i)
            out->verified = false;
    return ERR_OK;
}

static const struct workload squares = {
    .name = "squares", .task = square_task, .check = square_check,
};

struct seen {
    long rows, unverified_rows;
    char metrics[256];
    bool have_interference;
};

static int collect(void *arg, const struct harness_rep *r, struct error *e)
{
    (void)e;
    struct seen *s = arg;
    s->rows++;
    s->unverified_rows += !r->check.verified;
    snprintf(s->metrics, sizeof s->metrics, "%s", r->check.metrics);
    s->have_interference = r->interference.have_stat;
    return ERR_OK;
}

static struct seen run(enum fault f, long *unverified)
{
    fault = f;
    fault_task = 5;
    struct harness_config cfg = { .reps = 3, .warmup = 1, .tasks = 10, .foreign_limit = 0.1 };
    struct seen s = { 0 };
    struct error e = { "" };
    bool quiet;
    assert_int_equal(harness_run(&cfg, &the_backend, &squares, NULL, collect, &s, unverified,
                                 &quiet, &e),
                     ERR_OK);
    assert_true(quiet);
    return s;
}

static void test_each_task_once_verifies(void **state)
{
    (void)state;
    long unverified;
    struct seen s = run(FAULT_NONE, &unverified);
    assert_int_equal(s.rows, 3);
    assert_int_equal(unverified, 0);
    assert_string_equal(s.metrics, "");
    assert_true(s.have_interference); /* /proc/stat exists here */
}

static void test_task_run_twice_fails(void **state)
{
    (void)state;
    long unverified;
    struct seen s = run(FAULT_TWICE, &unverified);
    assert_int_equal(unverified, 4); /* the warm-up and 3 measured repetitions */
    assert_int_equal(s.unverified_rows, 3);
    assert_string_equal(s.metrics, "runs_wrong=1");
}

static void test_task_skipped_fails(void **state)
{
    (void)state;
    long unverified;
    struct seen s = run(FAULT_SKIP, &unverified);
    assert_int_equal(unverified, 4);
    assert_string_equal(s.metrics, "runs_wrong=1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_task_once_verifies),
        cmocka_unit_test(test_task_run_twice_fails),
        cmocka_unit_test(test_task_skipped_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
