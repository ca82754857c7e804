/* The interference readers on crafted /proc snapshots (a missing pressure file among
 * them), the foreign-CPU arithmetic, the disturbed rule and the metrics text. */
#include "interference.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define TICK 0.01

/* A temporary file holding text; the caller unlinks it. */
static void write_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* A /proc/stat with two CPUs: user nice system idle iowait irq softirq steal. */
static const char stat_before[] =
    "cpu  1000 10 500 90000 40 5 5 20 0 0\n"
    "cpu0 500 5 250 45000 20 3 2 10 0 0\n"
    "cpu1 500 5 250 45000 20 2 3 10 0 0\n"
    "intr 12345 1 2 3\n";
static const char stat_after[] =
    "cpu  1200 10 520 90150 40 6 9 45 0 0\n"
    "cpu0 600 5 260 45070 20 3 4 20 0 0\n"
    "cpu1 600 5 260 45080 20 3 5 25 0 0\n"
    "intr 12399 1 2 3\n";
static const char psi_before[] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000\n"
                                 "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
static const char psi_after[] = "some avg10=1.00 avg60=0.50 avg300=0.10 total=251000\n"
                                "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

static void test_reads_stat_and_pressure(void **state)
{
    (void)state;
    char sp[] = "/tmp/test-intf-stat-XXXXXX", pp[] = "/tmp/test-intf-psi-XXXXXX";
    write_file(sp, stat_before);
    write_file(pp, psi_before);
    struct interference_source src = { .stat = sp, .psi = pp };
    struct interference_sample s;
    interference_read(&src, INTERFERENCE_BEFORE, &s);
    unlink(sp);
    unlink(pp);
    assert_true(s.have_stat);
    assert_int_equal(s.ncpus, 2);
    /* user + nice + system + irq + softirq, in ticks of the machine's clock */
    assert_float_equal(s.busy_s, 1520 * interference_tick_s(), 1e-9);
    assert_float_equal(s.steal_s, 20 * interference_tick_s(), 1e-9);
    assert_true(s.have_psi);
    assert_int_equal(s.psi_some_us, 1000);
    assert_true(s.self_cpu_s >= 0);
}

static void test_snapshots_before_and_after(void **state)
{
    (void)state;
    char s0[] = "/tmp/test-intf-stat-XXXXXX", p0[] = "/tmp/test-intf-psi-XXXXXX";
    char s1[] = "/tmp/test-intf-stat-XXXXXX", p1[] = "/tmp/test-intf-psi-XXXXXX";
    write_file(s0, stat_before);
    write_file(p0, psi_before);
    write_file(s1, stat_after);
    write_file(p1, psi_after);
    struct interference_source before = { .stat = s0, .psi = p0 }, after = { .stat = s1, .psi = p1 };
    struct interference_sample a, b;
    interference_read(&before, INTERFERENCE_BEFORE, &a);
    interference_read(&after, INTERFERENCE_AFTER, &b);
    unlink(s0);
    unlink(p0);
    unlink(s1);
    unlink(p1);
    struct interference d;
    interference_diff(&a, &b, &d);
    double tick = interference_tick_s();
    /* 225 ticks of busy time, less the little this test itself used in between */
    assert_true(d.foreign_cpu_s <= 225 * tick + 1e-9 && d.foreign_cpu_s > 225 * tick - 0.05);
    assert_float_equal(d.steal_s, 25 * tick, 1e-9);
    assert_int_equal(d.psi_some_us, 250000);
    assert_int_equal(d.ncpus, 2);
}

static void test_missing_files_leave_figures_out(void **state)
{
    (void)state;
    struct interference_source src = { .stat = "/nonexistent/stat",
                                       .psi = "/nonexistent/pressure/cpu" };
    struct interference_sample a, b;
    interference_read(&src, INTERFERENCE_BEFORE, &a);
    interference_read(&src, INTERFERENCE_AFTER, &b);
    assert_false(a.have_stat);
    assert_false(a.have_psi);
    struct interference d;
    interference_diff(&a, &b, &d);
    assert_false(d.have_stat);
    assert_false(d.have_psi);
    char buf[200] = "gb_s=3";
    interference_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "gb_s=3;steal_s=-;foreign_cpu_s=-;psi_some_us=-;nivcsw=0");
    /* Nothing to judge by: never disturbed. */
    assert_false(interference_disturbed(&d, 1.0, 1.0, 0.1, TICK));
}

static void test_foreign_is_busy_time_not_ours(void **state)
{
    (void)state;
    struct interference_sample a = { .have_stat = true, .busy_s = 15.2, .steal_s = 0.2,
                                     .ncpus = 2, .have_psi = true, .psi_some_us = 1000,
                                     .self_cpu_s = 3.0, .child_cpu_s = 0.5, .nivcsw = 10 };
    struct interference_sample b = a;
    b.busy_s = 17.4;      /* 2.2 s of busy time on the machine */
    b.steal_s = 0.45;
    b.self_cpu_s = 4.5;   /* 1.5 s of it ours */
    b.child_cpu_s = 0.7;  /* and 0.2 s our child's */
    b.psi_some_us = 251000;
    b.nivcsw = 13;
    struct interference d;
    interference_diff(&a, &b, &d);
    assert_true(d.have_stat);
    assert_float_equal(d.foreign_cpu_s, 0.5, 1e-9);
    assert_float_equal(d.steal_s, 0.25, 1e-9);
    assert_int_equal(d.psi_some_us, 250000);
    assert_int_equal(d.nivcsw, 3);
    char buf[200] = "";
    interference_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "steal_s=0.250;foreign_cpu_s=0.500;psi_some_us=250000;nivcsw=3");
    /* Rounding in /proc/stat can make the difference negative: it is then none. */
    b.busy_s = 16.0;
    interference_diff(&a, &b, &d);
    assert_float_equal(d.foreign_cpu_s, 0, 0);
}

static void test_disturbed_rule(void **state)
{
    (void)state;
    struct interference d = { .have_stat = true, .ncpus = 8 };
    /* One busy thread of 1 s on 8 CPUs leaves 7 spare: up to 0.7 s foreign is allowed. */
    d.foreign_cpu_s = 0.69;
    assert_false(interference_disturbed(&d, 1.0, 1.0, 0.1, TICK));
    d.foreign_cpu_s = 0.71;
    assert_true(interference_disturbed(&d, 1.0, 1.0, 0.1, TICK));
    /* Steal counts the same as foreign CPU. */
    d.foreign_cpu_s = 0.4;
    d.steal_s = 0.4;
    assert_true(interference_disturbed(&d, 1.0, 1.0, 0.1, TICK));
    /* A run using every CPU still allows a tenth of one CPU. */
    d = (struct interference){ .have_stat = true, .ncpus = 2, .foreign_cpu_s = 0.09 };
    assert_false(interference_disturbed(&d, 1.0, 2.0, 0.1, TICK));
    d.foreign_cpu_s = 0.11;
    assert_true(interference_disturbed(&d, 1.0, 2.0, 0.1, TICK));
    /* Below three ticks, /proc/stat cannot tell load from rounding. */
    d.foreign_cpu_s = 0.029;
    assert_false(interference_disturbed(&d, 0.05, 0.05, 0.1, TICK));
    d.foreign_cpu_s = 0.031;
    assert_true(interference_disturbed(&d, 0.05, 0.05, 0.1, TICK));
}

static void test_child_cpu_from_proc_of_a_real_child(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Burn about 0.2 s of CPU, then wait to be killed. */
        volatile unsigned long x = 0;
        struct timespec t0, t;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        do {
            for (int i = 0; i < 100000; i++)
                x += (unsigned long)i;
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        } while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9 < 0.2);
        pause();
        _exit(0);
    }
    struct interference_source src = { .stat = "/proc/stat", .psi = NULL, .child = pid };
    struct interference_sample s;
    double got = 0;
    for (int tries = 0; tries < 500 && got < 0.15; tries++) {
        struct timespec ms = { 0, 10000000 };
        nanosleep(&ms, NULL);
        interference_read(&src, INTERFERENCE_AFTER, &s);
        got = s.child_cpu_s;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    assert_true(got >= 0.15);
    assert_true(got < 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_stat_and_pressure),
        cmocka_unit_test(test_snapshots_before_and_after),
        cmocka_unit_test(test_missing_files_leave_figures_out),
        cmocka_unit_test(test_foreign_is_busy_time_not_ours),
        cmocka_unit_test(test_disturbed_rule),
        cmocka_unit_test(test_child_cpu_from_proc_of_a_real_child),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
