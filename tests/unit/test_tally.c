/* The tally of task runs: every task run once, on any thread and in any order, checks;
 * a task run twice with another skipped (the count still right), a task skipped, a task
 * run twice, or a task number out of range does not. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_task_once_checks),
        cmocka_unit_test(skipped_and_duplicated_fail),
        cmocka_unit_test(skipped_or_duplicated_alone_fail),
        cmocka_unit_test(a_task_out_of_range_fails),
    };
    return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
