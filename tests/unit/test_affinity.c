/* The pinning policies on synthetic machines (hwloc builds them from a description such
 * as "pack:2 core:4 pu:2"), restricted ones included, the binding of a real thread, and
 * the placement record and its text. */
#include "affinity.h"
#include "placement.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static hwloc_topology_t synthetic(const char *description)
{
    hwloc_topology_t t;
    assert_int_equal(hwloc_topology_init(&t), 0);
    assert_int_equal(hwloc_topology_set_synthetic(t, description), 0);
    assert_int_equal(hwloc_topology_load(t), 0);
    return t;
}

static void restrict_to(hwloc_topology_t t, const char *pus)
{
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    assert_int_equal(hwloc_bitmap_list_sscanf(set, pus), 0);
    assert_int_equal(hwloc_topology_restrict(t, set, 0), 0);
    hwloc_bitmap_free(set);
}

static struct affinity_policy policy(const char *text)
{
    struct affinity_policy p;
    struct error e;
    int rc = affinity_parse(text, &p, &e);
    if (rc != ERR_OK)
        fail_msg("affinity_parse('%s'): %s", text, e.msg);
    return p;
}

/* The plan's cpusets as one text: "0-1|2-3|..." (hwloc's list syntax per thread). */
static void plan_text(hwloc_topology_t t, const char *pol, unsigned threads, char *out,
                      size_t len)
{
    struct affinity_policy p = policy(pol);
    struct error e;
    struct affinity_plan *plan = NULL;
    int rc = affinity_plan_create(&plan, t, &p, threads, &e);
    if (rc != ERR_OK)
        fail_msg("plan %s for %u threads: %s", pol, threads, e.msg);
    assert_int_equal(affinity_plan_threads(plan), threads);
    size_t used = 0;
    out[0] = '\0';
    for (unsigned k = 0; k < threads; k++) {
        char set[64];
        hwloc_bitmap_list_snprintf(set, sizeof set, affinity_plan_set(plan, k));
        used += (size_t)snprintf(out + used, len - used, "%s%s", k ? "|" : "", set);
        assert_true(used < len);
    }
    affinity_plan_destroy(plan);
}

static void expect_plan(hwloc_topology_t t, const char *pol, unsigned threads,
                        const char *expected)
{
    char got[1024];
    plan_text(t, pol, threads, got, sizeof got);
    if (strcmp(got, expected) != 0)
        fail_msg("%s, %u threads: got %s, expected %s", pol, threads, got, expected);
}

/* ---- parsing ------------------------------------------------------------------------ */

static void parse_accepts_names_and_lists(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum affinity_kind kind;
    } good[] = {
        { "none", AFFINITY_NONE },     { "core", AFFINITY_CORE },    { "pu", AFFINITY_PU },
        { "compact", AFFINITY_COMPACT }, { "spread", AFFINITY_SPREAD }, { "0", AFFINITY_LIST },
        { "0,2,4-7", AFFINITY_LIST },  { "3-3", AFFINITY_LIST },     { "7,0", AFFINITY_LIST },
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++)
        assert_int_equal(policy(good[k].text).kind, good[k].kind);
}

static void parse_refuses_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "foo", "Spread", "1-", "-1", "1,,2", ",1", "1,",
                                       "3-1", "1 ,2", " 1", "0x1", "1-2-3", "2:1", "1;2" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct affinity_policy p;
        struct error e = { .msg = "" };
        if (affinity_parse(bad[k], &p, &e) != ERR_USAGE)
            fail_msg("'%s' was accepted", bad[k]);
        assert_true(e.msg[0] != '\0');
    }
}

static void format_is_csv_safe(void **state)
{
    (void)state;
    char buf[64];
    struct affinity_policy p = policy("0,2,4-7");
    affinity_format(&p, buf, sizeof buf);
    assert_string_equal(buf, "0;2;4-7");
    p = policy("spread");
    affinity_format(&p, buf, sizeof buf);
    assert_string_equal(buf, "spread");
}

/* ---- mappings on a two-package machine: 2 packages x 4 cores x 2 PUs ----------------- */

static void core_gives_whole_cores_and_wraps(void **state)
{
    hwloc_topology_t t = *state;
    expect_plan(t, "core", 3, "0-1|2-3|4-5");
    expect_plan(t, "core", 10, "0-1|2-3|4-5|6-7|8-9|10-11|12-13|14-15|0-1|2-3");
}

static void compact_fills_a_core_then_the_next(void **state)
{
    hwloc_topology_t t = *state;
    expect_plan(t, "compact", 3, "0|1|2");
    expect_plan(t, "compact", 18, "0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|0|1");
}

static void spread_uses_packages_then_cores(void **state)
{
    hwloc_topology_t t = *state;
    expect_plan(t, "spread", 1, "0");
    expect_plan(t, "spread", 2, "0|8");
    expect_plan(t, "spread", 3, "0|4|8");
    expect_plan(t, "spread", 4, "0|4|8|12");
    expect_plan(t, "spread", 8, "0|2|4|6|8|10|12|14");
    /* One per PU at 16, and past that every policy wraps around. */
    expect_plan(t, "spread", 17, "0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|0");
}

/* Up to one thread per PU, spread gives every thread a PU of its own. */
static void expect_spread_distinct(hwloc_topology_t t, unsigned npus)
{
    for (unsigned n = 1; n <= npus; n++) {
        struct affinity_policy p = policy("spread");
        struct affinity_plan *plan;
        struct error e;
        assert_int_equal(affinity_plan_create(&plan, t, &p, n, &e), ERR_OK);
        hwloc_bitmap_t used = hwloc_bitmap_alloc();
        for (unsigned k = 0; k < n; k++) {
            assert_int_equal(hwloc_bitmap_weight(affinity_plan_set(plan, k)), 1);
            assert_false(hwloc_bitmap_intersects(used, affinity_plan_set(plan, k)));
            hwloc_bitmap_or(used, used, affinity_plan_set(plan, k));
        }
        hwloc_bitmap_free(used);
        affinity_plan_destroy(plan);
    }
}

static void spread_never_shares_a_pu_below_the_pu_count(void **state)
{
    expect_spread_distinct(*state, 16);
    hwloc_topology_t t = synthetic("pack:3 core:3 pu:2");
    restrict_to(t, "0,2-3,7,12-17");
    expect_spread_distinct(t, 10);
    hwloc_topology_destroy(t);
}

static void list_keeps_its_order_and_wraps(void **state)
{
    hwloc_topology_t t = *state;
    expect_plan(t, "3,1,5-6", 6, "3|1|5|6|3|1");
}

static void none_allows_every_pu(void **state)
{
    hwloc_topology_t t = *state;
    expect_plan(t, "none", 2, "0-15|0-15");
    struct affinity_policy p = policy("none");
    struct affinity_plan *plan;
    struct error e;
    assert_int_equal(affinity_plan_create(&plan, t, &p, 1, &e), ERR_OK);
    assert_false(affinity_plan_binds(plan));
    assert_int_equal(affinity_bind(plan, 0, &e), ERR_OK); /* nothing to do */
    affinity_plan_destroy(plan);
}

static void list_of_unknown_pu_is_usage_error(void **state)
{
    hwloc_topology_t t = *state;
    static const char *const bad[] = { "16", "0,99", "14-17", "4000000000" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct affinity_policy p = policy(bad[k]);
        struct error e = { .msg = "" };
        assert_int_equal(affinity_check(t, &p, &e), ERR_USAGE);
        if (strstr(e.msg, "allowed PUs: 0-15") == NULL)
            fail_msg("'%s': message does not list the allowed PUs: %s", bad[k], e.msg);
        struct affinity_plan *plan = NULL;
        assert_int_equal(affinity_plan_create(&plan, t, &p, 2, &e), ERR_USAGE);
        assert_null(plan);
    }
}

/* ---- a machine whose PU numbers interleave the cores (as on many Intel servers) ------ */

static void pu_follows_os_indexes_compact_the_cores(void **state)
{
    (void)state;
    hwloc_topology_t t = synthetic("pack:1 core:4 pu:2(indexes=0,4,1,5,2,6,3,7)");
    expect_plan(t, "pu", 5, "0|1|2|3|4");
    expect_plan(t, "compact", 5, "0|4|1|5|2");
    expect_plan(t, "core", 2, "0,4|1,5");
    expect_plan(t, "spread", 4, "0|1|2|3");
    hwloc_topology_destroy(t);
}

/* ---- restricted machines: a cpuset keeps PUs 2-5 and 9 -------------------------------- */

static void restricted_uses_allowed_pus_only(void **state)
{
    (void)state;
    hwloc_topology_t t = synthetic("pack:2 core:4 pu:2");
    restrict_to(t, "2-5,9");
    expect_plan(t, "none", 1, "2-5,9");
    expect_plan(t, "core", 4, "2-3|4-5|9|2-3");
    expect_plan(t, "compact", 6, "2|3|4|5|9|2");
    expect_plan(t, "pu", 6, "2|3|4|5|9|2");
    /* Weights 4 and 1: both of two threads go to the first package, one per core. */
    expect_plan(t, "spread", 2, "2|4");
    expect_plan(t, "spread", 3, "2|4|9");
    expect_plan(t, "9,2", 3, "9|2|9");

    struct affinity_policy p = policy("0-2");
    struct error e = { .msg = "" };
    assert_int_equal(affinity_check(t, &p, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "PU 0 "));
    assert_non_null(strstr(e.msg, "allowed PUs: 2-5,9"));
    char allowed[64];
    affinity_allowed_text(t, allowed, sizeof allowed);
    assert_string_equal(allowed, "2-5,9");
    hwloc_topology_destroy(t);
}

static void restricted_to_one_pu_maps_everything_there(void **state)
{
    (void)state;
    hwloc_topology_t t = synthetic("pack:1 core:2 pu:1");
    restrict_to(t, "1");
    static const char *const all[] = { "core", "pu", "compact", "spread", "1" };
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        expect_plan(t, all[k], 3, "1|1|1");
    hwloc_topology_destroy(t);
}

/* ---- binding a real thread ---------------------------------------------------------- */

static hwloc_topology_t this_machine(void)
{
    hwloc_topology_t t;
    assert_int_equal(hwloc_topology_init(&t), 0);
    assert_int_equal(hwloc_topology_load(t), 0);
    return t;
}

static void bind_sets_and_reads_back(void **state)
{
    (void)state;
    hwloc_topology_t t = this_machine();
    hwloc_bitmap_t before = hwloc_bitmap_alloc();
    assert_int_equal(hwloc_get_cpubind(t, before, HWLOC_CPUBIND_THREAD), 0);

    int last = hwloc_bitmap_last(before);
    assert_true(last >= 0);
    struct affinity_policy p = policy("none");
    char list[16];
    snprintf(list, sizeof list, "%d", last);
    p = policy(list);
    struct affinity_plan *plan;
    struct error e;
    assert_int_equal(affinity_plan_create(&plan, t, &p, 1, &e), ERR_OK);
    if (affinity_bind(plan, 0, &e) != ERR_OK)
        fail_msg("%s", e.msg);
    cpu_set_t mask;
    assert_int_equal(sched_getaffinity(0, sizeof mask, &mask), 0);
    assert_int_equal(CPU_COUNT(&mask), 1);
    assert_true(CPU_ISSET(last, &mask));
    assert_int_equal(sched_getcpu(), last);

    /* The placement record sees the PU the thread is bound to. */
    struct placement *pl;
    assert_int_equal(placement_create(&pl, 1, (unsigned)last, &e), ERR_OK);
    placement_note(pl, 0);
    char *text;
    unsigned misplaced = 99;
    assert_int_equal(placement_report(pl, plan, &text, &misplaced, &e), ERR_OK);
    char expected[32];
    snprintf(expected, sizeof expected, "0:%d", last);
    assert_string_equal(text, expected);
    assert_int_equal(misplaced, 0);
    free(text);
    placement_destroy(pl);
    affinity_plan_destroy(plan);

    assert_int_equal(affinity_bind_set(t, before, &e), ERR_OK);
    hwloc_bitmap_free(before);
    hwloc_topology_destroy(t);
}

static void refused_bind_reports_hwloc_error(void **state)
{
    (void)state;
    hwloc_topology_t t = this_machine();
    hwloc_bitmap_t nowhere = hwloc_bitmap_alloc();
    hwloc_bitmap_only(nowhere, 100000);
    struct error e = { .msg = "" };
    assert_int_equal(affinity_bind_set(t, nowhere, &e), ERR_RUN);
    assert_non_null(strstr(e.msg, "hwloc_set_cpubind(PUs 100000, HWLOC_CPUBIND_THREAD): "));
    hwloc_bitmap_free(nowhere);
    hwloc_topology_destroy(t);
}

/* ---- the placement text ------------------------------------------------------------- */

static void placement_text_and_misplaced(void **state)
{
    hwloc_topology_t t = *state;
    struct error e;
    struct placement *pl;
    assert_int_equal(placement_create(&pl, 4, 15, &e), ERR_OK);
    placement_mark(pl, 0, 0);
    placement_mark(pl, 1, 1);
    placement_mark(pl, 1, 2);
    placement_mark(pl, 1, 3);
    placement_mark(pl, 1, 7);
    placement_mark(pl, 3, 3);
    placement_mark(pl, 3, 64); /* beyond the machine: unknown */

    char *text;
    unsigned misplaced = 99;
    assert_int_equal(placement_report(pl, NULL, &text, &misplaced, &e), ERR_OK);
    assert_string_equal(text, "0:0;1:1-3.7;2:-;3:3.?");
    assert_int_equal(misplaced, 0);
    free(text);

    struct affinity_policy p = policy("compact");
    struct affinity_plan *plan;
    assert_int_equal(affinity_plan_create(&plan, t, &p, 4, &e), ERR_OK);
    assert_int_equal(placement_report(pl, plan, &text, &misplaced, &e), ERR_OK);
    assert_string_equal(text, "0:0;1:1-3.7!;2:-;3:3.?!");
    assert_int_equal(misplaced, 2);
    free(text);

    /* Nothing is checked when the plan does not bind. */
    affinity_plan_destroy(plan);
    p = policy("none");
    assert_int_equal(affinity_plan_create(&plan, t, &p, 4, &e), ERR_OK);
    assert_int_equal(placement_report(pl, plan, &text, &misplaced, &e), ERR_OK);
    assert_int_equal(misplaced, 0);
    free(text);
    affinity_plan_destroy(plan);

    placement_reset(pl);
    assert_int_equal(placement_report(pl, NULL, &text, &misplaced, &e), ERR_OK);
    assert_string_equal(text, "0:-;1:-;2:-;3:-");
    free(text);
    placement_destroy(pl);
}

static void placement_slots_are_separate(void **state)
{
    (void)state;
    /* With one PU a slot's bitmap and flags fill two words of its line; marking thread 1
     * must land in thread 1's slot only. */
    struct placement *pl;
    struct error e;
    assert_int_equal(placement_create(&pl, 2, 0, &e), ERR_OK);
    placement_mark(pl, 1, 0);
    char *text;
    unsigned misplaced;
    assert_int_equal(placement_report(pl, NULL, &text, &misplaced, &e), ERR_OK);
    assert_string_equal(text, "0:-;1:0");
    free(text);
    placement_destroy(pl);
}

static int load_two_packages(void **state)
{
    *state = synthetic("pack:2 core:4 pu:2");
    return 0;
}

static int destroy_topology(void **state)
{
    hwloc_topology_destroy(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_names_and_lists),
        cmocka_unit_test(parse_refuses_malformed),
        cmocka_unit_test(format_is_csv_safe),
        cmocka_unit_test(core_gives_whole_cores_and_wraps),
        cmocka_unit_test(compact_fills_a_core_then_the_next),
        cmocka_unit_test(spread_uses_packages_then_cores),
        cmocka_unit_test(spread_never_shares_a_pu_below_the_pu_count),
        cmocka_unit_test(list_keeps_its_order_and_wraps),
        cmocka_unit_test(none_allows_every_pu),
        cmocka_unit_test(list_of_unknown_pu_is_usage_error),
        cmocka_unit_test(pu_follows_os_indexes_compact_the_cores),
        cmocka_unit_test(restricted_uses_allowed_pus_only),
        cmocka_unit_test(restricted_to_one_pu_maps_everything_there),
        cmocka_unit_test(bind_sets_and_reads_back),
        cmocka_unit_test(refused_bind_reports_hwloc_error),
        cmocka_unit_test(placement_text_and_misplaced),
        cmocka_unit_test(placement_slots_are_separate),
    };
    return cmocka_run_group_tests(tests, load_two_packages, destroy_topology);
}
