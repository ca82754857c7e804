/* The option parser: every bad input the binaries must refuse is refused with exit
 * status 2 and a message naming the flag or variable; good input parses as documented. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses a command line given as one string of space-separated words. */
static int parse_line(const char *line, struct options *o, struct error *e)
{
    static char buf[512];
    char *argv[32];
    int argc = 0;
    snprintf(buf, sizeof buf, "bench-test %s", line);
    for (char *tok = strtok(buf, " "); tok != NULL && argc < 31; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    e->msg[0] = '\0';
    return options_parse(argc, argv, environ, o, e);
}

static int group_setup(void **state)
{
    (void)state;
    /* The parser reads the whole environment: none of the caller's settings may leak in. */
    static const char *const names[] = { "OMP_NUM_THREADS", "OMP_SCHEDULE", "OMP_PROC_BIND",
                                         "OMP_PLACES", "GOMP_CPU_AFFINITY", "KMP_AFFINITY",
                                         "OMP_WAIT_POLICY", "BENCH_BIND", "BENCH_SPINCOUNT",
                                         "BENCH_FOREIGN_LIMIT", "BENCH_COUNTERS" };
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        unsetenv(names[k]);
    return 0;
}

struct bad_case {
    const char *line;
    const char *env_name, *env_value;
    const char *names; /* what the message must mention */
};

static const struct bad_case bad_cases[] = {
    { "nosuch", NULL, NULL, "unknown workload 'nosuch'" },
    { "cpu --frobnicate", NULL, NULL, "--frobnicate" },
    { "cpu -x", NULL, NULL, "-x" },
    { "cpu -t", NULL, NULL, "-t/--threads" },
    { "cpu --threads", NULL, NULL, "-t/--threads" },
    { "cpu -t 0", NULL, NULL, "-t/--threads" },
    { "cpu -t -3", NULL, NULL, "-t/--threads" },
    { "cpu -t abc", NULL, NULL, "-t/--threads" },
    { "cpu -t 99999999999", NULL, NULL, "-t/--threads" },
    { "cpu -t 3x", NULL, NULL, "-t/--threads" },
    { "cpu", "OMP_NUM_THREADS", "abc", "OMP_NUM_THREADS" },
    { "cpu", "OMP_NUM_THREADS", "0", "OMP_NUM_THREADS" },
    { "cpu", "OMP_NUM_THREADS", "4,x", "OMP_NUM_THREADS" },
    { "cpu", "OMP_NUM_THREADS", " ", "OMP_NUM_THREADS" },
    { "cpu -n -1", NULL, NULL, "-n/--tasks" },
    { "cpu -n ten", NULL, NULL, "-n/--tasks" },
    { "cpu -r 0", NULL, NULL, "-r/--reps" },
    { "cpu -w -1", NULL, NULL, "-w/--warmup" },
    { "cpu -p nosuch=1", NULL, NULL, "nosuch" },
    { "sleep -p ms=-1", NULL, NULL, "-p ms" },
    { "cpu -p work=x", NULL, NULL, "-p work" },
    { "cpu -p skew=wobbly", NULL, NULL, "-p skew" },
    { "cpu -p work", NULL, NULL, "NAME=VALUE" },
    { "cpu -s fastest", NULL, NULL, "-s/--schedule" },
    { "cpu -s dynamic,0", NULL, NULL, "-s/--schedule" },
    { "cpu -s static,", NULL, NULL, "-s/--schedule" },
    { "cpu", "OMP_SCHEDULE", "auto", "OMP_SCHEDULE" },
    { "cpu", "OMP_SCHEDULE", "guided,0", "OMP_SCHEDULE" },
    { "cpu", "OMP_SCHEDULE", "monotonic:dynamic", "no monotonic: or nonmonotonic: modifier" },
    { "cpu -s dynamic", "OMP_SCHEDULE", "dynamic,2147483648", "OMP_SCHEDULE" },
    { "cpu", "OMP_PROC_BIND", "bogus", "OMP_PROC_BIND" },
    { "cpu", "OMP_PROC_BIND", "false,close", "OMP_PROC_BIND" },
    { "cpu", "OMP_PLACES", "{0,1", "OMP_PLACES" },
    { "cpu", "OMP_WAIT_POLICY", "sometimes", "OMP_WAIT_POLICY" },
    { "cpu", "BENCH_SPINCOUNT", "300q", "BENCH_SPINCOUNT" },
    { "cpu", "BENCH_FOREIGN_LIMIT", "0", "BENCH_FOREIGN_LIMIT" },
    { "cpu --counters none", "BENCH_COUNTERS", "some", "BENCH_COUNTERS" },
    { "cpu --counters some", NULL, NULL, "--counters: expected none, software or all" },
    { "cpu -b none", "BENCH_BIND", "compct", "BENCH_BIND: unknown policy 'compct'" },
    { "--list -t 3", NULL, NULL, "-t/--threads does not go with --list" },
    { "--list cpu", NULL, NULL, "--list takes no workload" },
    { "--list --format csv", NULL, NULL, "--format" },
    { "--check-env cpu", NULL, NULL, "--check-env takes no workload" },
    { "--check-env -s static", NULL, NULL, "-s/--schedule does not go with --check-env" },
    { "--list --check", NULL, NULL, "one at a time" },
    { "--check -s static,", NULL, NULL, "-s/--schedule" },
    { "--check nosuch", NULL, NULL, "unknown workload 'nosuch'" },
    { "--check cpu -p work=x", NULL, NULL, "-p work" },
    { "--describe --format json", NULL, NULL, "--format does not go with --describe" },
    { "cpu --format xml", NULL, NULL, "--format" },
    { "", NULL, NULL, "no workload" },
    { "cpu sleep", NULL, NULL, "one workload" },
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++) {
        const struct bad_case *c = &bad_cases[k];
        if (c->env_name != NULL)
            setenv(c->env_name, c->env_value, 1);
        struct options o;
        struct error e;
        int rc = parse_line(c->line, &o, &e);
        if (c->env_name != NULL)
            unsetenv(c->env_name);
        if (rc != ERR_USAGE)
            fail_msg("'%s' (%s=%s): status %d, expected 2", c->line,
                     c->env_name ? c->env_name : "-", c->env_value ? c->env_value : "-", rc);
        if (strstr(e.msg, c->names) == NULL)
            fail_msg("'%s': message '%s' does not mention '%s'", c->line, e.msg, c->names);
        if (strchr(e.msg, '\n') != NULL)
            fail_msg("'%s': message is more than one line", c->line);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    struct options o;
    struct error e;
    assert_int_equal(parse_line("cpu", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_RUN);
    assert_string_equal(o.workload->name, "cpu");
    assert_int_equal(o.threads, 0); /* main asks hwloc */
    assert_int_equal(o.tasks, -1);
    assert_int_equal(o.reps, 5);
    assert_int_equal(o.warmup, 1);
    assert_int_equal(o.schedule.kind, SCHED_STATIC);
    assert_int_equal(o.schedule.chunk, 0);
    assert_int_equal(o.format, FORMAT_CSV);
    char params[128];
    params_format(&o.params, params, sizeof params);
    assert_string_equal(params, "work=2000000;skew=uniform");
}

static void test_flags_and_env(void **state)
{
    (void)state;
    struct options o;
    struct error e;
    setenv("OMP_NUM_THREADS", " 6 , 2", 1);
    setenv("OMP_SCHEDULE", " Dynamic , 5", 1);
    assert_int_equal(parse_line("sleep -p ms=3 -n 7", &o, &e), ERR_OK);
    assert_int_equal(o.threads, 6);
    assert_string_equal(o.threads_from, "OMP_NUM_THREADS");
    assert_int_equal(o.schedule.kind, SCHED_DYNAMIC);
    assert_int_equal(o.schedule.chunk, 5);
    assert_int_equal(o.tasks, 7);
    assert_int_equal(params_int(&o.params, "ms"), 3);

    /* Flags win over the environment, in either position around the workload. */
    assert_int_equal(parse_line("-t 3 sleep --schedule=guided,2 --format json", &o, &e),
                     ERR_OK);
    assert_int_equal(o.threads, 3);
    assert_string_equal(o.threads_from, "-t");
    assert_int_equal(o.schedule.kind, SCHED_GUIDED);
    assert_int_equal(o.schedule.chunk, 2);
    assert_int_equal(o.format, FORMAT_JSON);
    unsetenv("OMP_NUM_THREADS");
    unsetenv("OMP_SCHEDULE");

    /* An empty variable is unset, as the OpenMP runtimes treat it. */
    setenv("OMP_NUM_THREADS", "", 1);
    assert_int_equal(parse_line("cpu", &o, &e), ERR_OK);
    assert_int_equal(o.threads, 0);
    assert_null(o.threads_from);
    unsetenv("OMP_NUM_THREADS");

    assert_int_equal(parse_line("--list", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_LIST);
    assert_int_equal(parse_line("--format json --list", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_LIST);
    assert_int_equal(o.format, FORMAT_JSON);
    assert_int_equal(parse_line("--check-env", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_CHECK_ENV);
    assert_int_equal(parse_line("--check -t 4 -s guided,2 -b compact", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_CHECK);
    assert_null(o.workload);
    assert_int_equal(parse_line("--check sleep -p ms=4", &o, &e), ERR_OK);
    assert_string_equal(o.workload->name, "sleep");
    assert_int_equal(parse_line("--help", &o, &e), ERR_OK);
    assert_int_equal(o.action, ACTION_HELP);
}

/* The counters' level: software by default, none by default for a workload whose figure
 * is the thread machinery's own cost (noop), and what the flag or the variable asks for
 * whatever the workload. */
static void test_counters_level(void **state)
{
    (void)state;
    struct options o;
    struct error e;
    assert_int_equal(parse_line("cpu", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_SOFTWARE);
    assert_int_equal(parse_line("noop", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_NONE);
    assert_int_equal(parse_line("--counters software noop", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_SOFTWARE);
    assert_int_equal(parse_line("noop --counters all", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_ALL);
    assert_int_equal(parse_line("sleep --counters none", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_NONE);
    setenv("BENCH_COUNTERS", "software", 1);
    assert_int_equal(parse_line("noop", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_SOFTWARE);
    setenv("BENCH_COUNTERS", "all", 1);
    assert_int_equal(parse_line("noop --counters none", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_NONE);
    assert_int_equal(parse_line("cpu", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_ALL);
    /* An empty variable is unset: noop's default again. */
    setenv("BENCH_COUNTERS", "", 1);
    assert_int_equal(parse_line("noop", &o, &e), ERR_OK);
    assert_int_equal(o.counters, COUNTERS_NONE);
    unsetenv("BENCH_COUNTERS");
}

static void test_schedule_text(void **state)
{
    (void)state;
    struct schedule s;
    char buf[32];
    assert_true(schedule_parse("static", &s));
    schedule_format(&s, buf, sizeof buf);
    assert_string_equal(buf, "static");
    assert_true(schedule_parse("DYNAMIC,3", &s));
    schedule_format(&s, buf, sizeof buf);
    assert_string_equal(buf, "dynamic:3"); /* no comma: it goes into a CSV field */
    assert_false(schedule_parse("", &s));
    assert_false(schedule_parse("dynamic:3", &s));
    assert_false(schedule_parse("static,1,2", &s));
    assert_false(schedule_parse("sideways:static", &s));
    /* Modifiers are refused, not dropped: nothing downstream could say they were asked. */
    assert_false(schedule_parse("monotonic:dynamic", &s));
    assert_false(schedule_parse("nonmonotonic:static,2", &s));
    /* libgomp refuses a chunk above INT_MAX, libomp INT_MAX itself. */
    assert_true(schedule_parse("dynamic,2147483646", &s));
    assert_false(schedule_parse("dynamic,2147483647", &s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_flags_and_env),
        cmocka_unit_test(test_counters_level),
        cmocka_unit_test(test_schedule_text),
    };
    return cmocka_run_group_tests_name("options", tests, group_setup, NULL);
}
