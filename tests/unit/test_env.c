/* The environment: each variable's values as the OpenMP runtimes take them, empty values
 * as unset, what hands placement to the runtime, and the guard that runs before it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "env.h"
#include "ompplace.h"
#include "pool.h"

#include <string.h>

static int read_one(const char *assignment, struct env *out, struct error *e)
{
    char *envp[] = { (char *)assignment, NULL };
    e->msg[0] = '\0';
    return env_read(envp, out, e);
}

static void test_defaults(void **state)
{
    (void)state;
    struct env env;
    struct error e;
    char *none[] = { "PATH=/bin", NULL };
    assert_int_equal(env_read(none, &env, &e), ERR_OK);
    assert_int_equal(env.threads, 0);
    assert_false(env.set[ENV_OMP_SCHEDULE]);
    assert_false(env.set[ENV_BENCH_BIND]);
    assert_int_equal(env.spincount, -1);
    assert_int_equal(env.wait_policy, WAITPOLICY_DEFAULT);
    assert_string_equal(env.runtime_places, "");
    assert_true(env.foreign_limit > 0.09 && env.foreign_limit < 0.11);
}

static void test_good_values(void **state)
{
    (void)state;
    struct env env;
    struct error e;
    char *envp[] = { "OMP_NUM_THREADS= 6 , 2", "OMP_SCHEDULE=GUIDED, 7",
                     "BENCH_BIND=spread", "OMP_WAIT_POLICY=Passive",
                     "BENCH_FOREIGN_LIMIT=0.5", NULL };
    assert_int_equal(env_read(envp, &env, &e), ERR_OK);
    assert_int_equal(env.threads, 6);
    assert_true(env.set[ENV_OMP_SCHEDULE]);
    assert_int_equal(env.schedule.kind, SCHED_GUIDED);
    assert_int_equal(env.schedule.chunk, 7);
    assert_true(env.set[ENV_BENCH_BIND]);
    assert_int_equal(env.bind.kind, AFFINITY_SPREAD);
    assert_int_equal(env.wait_policy, WAITPOLICY_PASSIVE);
    assert_true(env.foreign_limit == 0.5);
    assert_int_equal(waitpolicy_spin(env.wait_policy, env.spincount), 0);
}

/* GOMP_SPINCOUNT's syntax: suffixes, spaces, infinity, saturation. */
static void test_spincount(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long want;
    } good[] = {
        { "0", 0 },          { "300k", 300000 },     { "300K", 300000 },
        { " 2 M ", 2000000 }, { "1g", 1000000000L }, { "infinity", POOL_SPIN_FOREVER },
        { "Infinite", POOL_SPIN_FOREVER },           { "9999999999T", POOL_SPIN_FOREVER },
        { "99999999999999999999999", POOL_SPIN_FOREVER },
    };
    for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
        long v = -2;
        if (!waitpolicy_parse_spincount(good[k].text, &v) || v != good[k].want)
            fail_msg("'%s': got %ld, expected %ld", good[k].text, v, good[k].want);
    }
    static const char *const bad[] = { "", "k", "-1", "300q", "3 00", "300kk", "infinityx",
                                       "1.5k" };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        long v;
        if (waitpolicy_parse_spincount(bad[k], &v))
            fail_msg("'%s' accepted", bad[k]);
    }
    /* The count wins over the policy. */
    assert_int_equal(waitpolicy_spin(WAITPOLICY_ACTIVE, 5), 5);
    assert_int_equal(waitpolicy_spin(WAITPOLICY_ACTIVE, -1), POOL_SPIN_FOREVER);
    assert_int_equal(waitpolicy_spin(WAITPOLICY_DEFAULT, -1), POOL_SPIN_DEFAULT);
}

/* Values libgomp 12 and libomp 14 accept, and values libgomp refuses (probed by hand). */
static void test_proc_bind_and_places(void **state)
{
    (void)state;
    bool is_false;
    static const char *const bind_good[] = { "true", "TRUE", " false ", "primary", "master",
                                             "close", "spread, close", "spread,master" };
    for (size_t k = 0; k < sizeof bind_good / sizeof *bind_good; k++)
        if (!ompplace_parse_proc_bind(bind_good[k], &is_false))
            fail_msg("OMP_PROC_BIND='%s' refused", bind_good[k]);
    static const char *const bind_bad[] = { "", "bogus", "false,close", "true,spread",
                                            "close,", "closer", "1" };
    for (size_t k = 0; k < sizeof bind_bad / sizeof *bind_bad; k++)
        if (ompplace_parse_proc_bind(bind_bad[k], &is_false))
            fail_msg("OMP_PROC_BIND='%s' accepted", bind_bad[k]);
    assert_true(ompplace_parse_proc_bind("False", &is_false) && is_false);
    assert_true(ompplace_parse_proc_bind("close", &is_false) && !is_false);

    static const char *const places_good[] = {
        "threads", "cores", "Sockets", "ll_caches", "numa_domains", "cores(2)", "threads ( 4 )",
        "{0},{1}", "{0:2}", "{0}:2:1", "{0,1},{2,3}", "{0:4:2}", "{0}:4:-1", "{ 0 , 1 } , {2}",
        "{0},!{1}", "{0,!1}",
    };
    for (size_t k = 0; k < sizeof places_good / sizeof *places_good; k++)
        if (!ompplace_parse_places(places_good[k]))
            fail_msg("OMP_PLACES='%s' refused", places_good[k]);
    static const char *const places_bad[] = { "", "bogus", "{0,1", "{}", "cores(0)", "cores(",
                                              "{0}:0", "{0},", "{-1}", "{0}x", "!{0}:2",
                                              "threads cores" };
    for (size_t k = 0; k < sizeof places_bad / sizeof *places_bad; k++)
        if (ompplace_parse_places(places_bad[k]))
            fail_msg("OMP_PLACES='%s' accepted", places_bad[k]);
}

/* Each bad value: ERR_USAGE, one line naming the variable and what it accepts. */
static void test_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "OMP_NUM_THREADS=0", "OMP_NUM_THREADS=4,x", "OMP_NUM_THREADS=65537",
        "OMP_SCHEDULE=auto", "OMP_SCHEDULE=monotonic:dynamic", "OMP_SCHEDULE=dynamic,2147483648",
        "OMP_PROC_BIND=bogus", "OMP_PLACES=bogus", "OMP_WAIT_POLICY= active",
        "BENCH_BIND=compct", "BENCH_SPINCOUNT=lots", "BENCH_FOREIGN_LIMIT=nan",
        "BENCH_COUNTERS=some",
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        struct env env;
        struct error e;
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(bad[k], "="), bad[k]);
        if (read_one(bad[k], &env, &e) != ERR_USAGE)
            fail_msg("%s accepted", bad[k]);
        if (strncmp(e.msg, name, strlen(name)) != 0 || strstr(e.msg, "expected") == NULL ||
            strchr(e.msg, '\n') != NULL)
            fail_msg("%s: message '%s'", bad[k], e.msg);
    }
}

/* An empty value is unset, for every variable (libgomp ignores one with a warning). */
static void test_empty_is_unset(void **state)
{
    (void)state;
    struct env env;
    struct error e;
    char *envp[] = { "OMP_NUM_THREADS=", "OMP_SCHEDULE=", "OMP_PROC_BIND=", "OMP_PLACES=",
                     "OMP_WAIT_POLICY=", "BENCH_BIND=", "BENCH_SPINCOUNT=",
                     "BENCH_FOREIGN_LIMIT=", NULL };
    assert_int_equal(env_read(envp, &env, &e), ERR_OK);
    assert_int_equal(env.threads, 0);
    assert_false(env.set[ENV_OMP_SCHEDULE]);
    assert_false(env.set[ENV_BENCH_BIND]);
    assert_int_equal(env.spincount, -1);
    assert_string_equal(env.runtime_places, "");
}

static void test_runtime_places(void **state)
{
    (void)state;
    struct env env;
    struct error e;
    char *alone_false[] = { "OMP_PROC_BIND=false", NULL };
    assert_int_equal(env_read(alone_false, &env, &e), ERR_OK);
    assert_string_equal(env.runtime_places, "");
    char *bound[] = { "OMP_PLACES={0},{1}", "OMP_PROC_BIND=spread", NULL };
    assert_int_equal(env_read(bound, &env, &e), ERR_OK);
    assert_string_equal(env.runtime_places, "OMP_PROC_BIND=spread+OMP_PLACES={0};{1}");
    /* libomp binds to OMP_PLACES even under OMP_PROC_BIND=false. */
    char *mixed[] = { "OMP_PROC_BIND=false", "OMP_PLACES=cores", NULL };
    assert_int_equal(env_read(mixed, &env, &e), ERR_OK);
    assert_string_equal(env.runtime_places, "OMP_PROC_BIND=false+OMP_PLACES=cores");
    char *affinity[] = { "KMP_AFFINITY=granularity=fine,compact", NULL };
    assert_int_equal(env_read(affinity, &env, &e), ERR_OK);
    assert_string_equal(env.runtime_places, "KMP_AFFINITY=granularity=fine;compact");
}

/* The guard checks what the runtime reads and removes empty values, nothing else. */
static void test_guard(void **state)
{
    (void)state;
    struct error e;
    char *envp[] = { "HOME=/root", "OMP_NUM_THREADS=", "OMP_SCHEDULE=dynamic",
                     "OMP_PLACES=", "BENCH_BIND=not-checked-here", "EMPTY=", NULL };
    assert_int_equal(env_guard(envp, &e), ERR_OK);
    assert_string_equal(envp[0], "HOME=/root");
    assert_string_equal(envp[1], "OMP_SCHEDULE=dynamic");
    assert_string_equal(envp[2], "BENCH_BIND=not-checked-here");
    assert_string_equal(envp[3], "EMPTY=");
    assert_null(envp[4]);
    char *bad[] = { "OMP_SCHEDULE=sideways", NULL };
    assert_int_equal(env_guard(bad, &e), ERR_USAGE);
    assert_non_null(strstr(e.msg, "OMP_SCHEDULE: expected"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_good_values),
        cmocka_unit_test(test_spincount),
        cmocka_unit_test(test_proc_bind_and_places),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_empty_is_unset),
        cmocka_unit_test(test_runtime_places),
        cmocka_unit_test(test_guard),
    };
    return cmocka_run_group_tests_name("env", tests, NULL, NULL);
}
