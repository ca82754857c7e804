/* The tally of task runs: every task run once, on any thread and in any order, checks;
 * a task run twice with another skipped (the count still right), a task skipped, a task
 * run twice, or a task number out of range does not. The same for every task run a
 * number of times (memory's passes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tally.h"

#include <stdlib.h>

enum { TASKS = 1000, SLOTS = 3 };

/* Runs tasks 0..TASKS-1 once each, spread over the slots in a scrambled order, except
 * that task skip is left out and task twice runs twice (either may be -1: no fault). */
static bool run_and_check(long skip, long twice)
{
    struct tally_slot *slots = tally_new(SLOTS);
    assert_non_null(slots);
    for (uint64_t k = 0; k < TASKS; k++) {
        uint64_t task = (k * 7919) % TASKS; /* 7919 is prime: a permutation of 0..999 */
        if ((long)task == skip)
            continue;
        tally_note(&slots[task % SLOTS], task);
        if ((long)task == twice)
            tally_note(&slots[(task + 1) % SLOTS], task);
    }
    struct tally_sum got;
    bool ok = tally_check(slots, SLOTS, tally_expect(TASKS), &got);
    free(slots);
    return ok;
}

static void every_task_once_checks(void **state)
{
    (void)state;
    assert_true(run_and_check(-1, -1));
}

static void skipped_and_duplicated_fail(void **state)
{
    (void)state;
    /* The count alone cannot see these: one task too few, one too many. */
    assert_false(run_and_check(3, 4));
    assert_false(run_and_check(999, 0));
    assert_false(run_and_check(500, 499));
}

static void skipped_or_duplicated_alone_fail(void **state)
{
    (void)state;
    assert_false(run_and_check(17, -1));
    assert_false(run_and_check(-1, 17));
}

static void a_task_out_of_range_fails(void **state)
{
    (void)state;
    struct tally_slot *slots = tally_new(1);
    assert_non_null(slots);
    for (uint64_t task = 0; task + 1 < TASKS; task++)
        tally_note(slots, task);
    tally_note(slots, TASKS); /* one past the end instead of the last task */
    struct tally_sum got;
    assert_false(tally_check(slots, 1, tally_expect(TASKS), &got));
    assert_int_equal(got.runs, TASKS);
    tally_reset(slots, 1);
    assert_true(tally_check(slots, 1, tally_expect(0), NULL));
    free(slots);
}

enum { PASSES = 3 };

/* Runs every task PASSES times, a pass at a time as memory's passes do, each pass on
 * the slots in another order, except that in pass skip_pass task skip is left out and
 * task twice runs twice (either may be -1: no fault); checks against what passes runs
 * of each task give. */
static bool passes_check(uint64_t passes, long skip_pass, long skip, long twice)
{
    struct tally_slot *slots = tally_new(SLOTS);
    assert_non_null(slots);
    for (long p = 0; p < PASSES; p++) {
        for (uint64_t k = 0; k < TASKS; k++) {
            uint64_t task = (k * 7919 + (uint64_t)p * 131) % TASKS;
            bool faulty = p == skip_pass;
            if (faulty && (long)task == skip)
                continue;
            tally_note(&slots[(task + (uint64_t)p) % SLOTS], task);
            if (faulty && (long)task == twice)
                tally_note(&slots[task % SLOTS], task);
        }
    }
    bool ok = tally_check(slots, SLOTS, tally_expect_times(TASKS, passes), NULL);
    free(slots);
    return ok;
}

static void every_task_each_pass_checks(void **state)
{
    (void)state;
    assert_true(passes_check(PASSES, -1, -1, -1));
    /* Once is the special case of it. */
    struct tally_sum once = tally_expect(TASKS), times1 = tally_expect_times(TASKS, 1);
    assert_int_equal(once.runs, times1.runs);
    assert_int_equal(once.sum, times1.sum);
}

static void a_pass_short_or_long_fails(void **state)
{
    (void)state;
    /* One task one run short and another one run over: the count is still right. */
    assert_false(passes_check(PASSES, 1, 3, 4));
    assert_false(passes_check(PASSES, 2, 999, 0));
    assert_false(passes_check(PASSES, 0, 17, -1));
    assert_false(passes_check(PASSES, 0, -1, 17));
    /* Every task once too few or too many. */
    assert_false(passes_check(PASSES - 1, -1, -1, -1));
    assert_false(passes_check(PASSES + 1, -1, -1, -1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_task_once_checks),
        cmocka_unit_test(skipped_and_duplicated_fail),
        cmocka_unit_test(skipped_or_duplicated_alone_fail),
        cmocka_unit_test(a_task_out_of_range_fails),
        cmocka_unit_test(every_task_each_pass_checks),
        cmocka_unit_test(a_pass_short_or_long_fails),
    };
    return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
