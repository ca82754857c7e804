/* The kernel counters: real software counters that move when the process does, every
 * field in every row, and the not-available path forced with an event no machine has. */
#include "counters.h"

#include <linux/perf_event.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static void *sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
    return NULL;
}

/* Field name=value of a metrics text, copied into buf. */
static const char *value_of(const char *metrics, const char *name, char *buf, size_t len)
{
    char key[64];
    snprintf(key, sizeof key, "%s=", name);
    const char *p = strstr(metrics, key);
    assert_non_null(p);
    p += strlen(key);
    size_t n = strcspn(p, ";");
    assert_true(n < len);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static void test_software_counters_count_threads_created_after_open(void **state)
{
    (void)state;
    struct counters *c;
    counters_open(&c, COUNTERS_SOFTWARE, NULL);
    assert_non_null(c);
    if (counters_why(c)[0] != '\0')
        skip(); /* not permitted here: the forced test below still covers the path */
    struct counters_sample a, b;
    counters_read(c, &a);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, sleeper, NULL), 0);
    pthread_join(t, NULL);
    counters_read(c, &b);
    char text[512] = "", v[32];
    counters_format(c, &a, &b, text, sizeof text);
    /* 20 sleeps on a thread born after the open: at least 20 switches, all counted. */
    assert_true(atol(value_of(text, "ctx_switches", v, sizeof v)) >= 20);
    assert_true(atof(value_of(text, "task_clock_s", v, sizeof v)) > 0);
    assert_string_equal(value_of(text, "cycles", v, sizeof v), "-"); /* not asked for */
    assert_string_equal(value_of(text, "ipc", v, sizeof v), "-");
    counters_close(c);
}

static void test_an_event_the_machine_lacks_reads_dash(void **state)
{
    (void)state;
    struct counter_event events[CTR_COUNT];
    memcpy(events, counters_events, sizeof events);
    /* A software event number no kernel defines. */
    events[CTR_CTX_SWITCHES].config = 0x7fff;
    struct counters *c;
    counters_open(&c, COUNTERS_SOFTWARE, events);
    assert_non_null(c);
    assert_non_null(strstr(counters_why(c), "ctx_switches: not supported by this machine"));
    struct counters_sample a, b;
    counters_read(c, &a);
    counters_read(c, &b);
    char text[512] = "gb_s=1", v[32];
    counters_format(c, &a, &b, text, sizeof text);
    assert_true(strncmp(text, "gb_s=1;task_clock_s=", strlen("gb_s=1;task_clock_s=")) == 0);
    assert_string_equal(value_of(text, "ctx_switches", v, sizeof v), "-");
    counters_close(c);
}

static void test_none_opens_nothing_and_writes_every_field(void **state)
{
    (void)state;
    struct counters *c;
    counters_open(&c, COUNTERS_NONE, NULL);
    assert_non_null(c);
    assert_string_equal(counters_why(c), "");
    struct counters_sample a, b;
    counters_read(c, &a);
    counters_read(c, &b);
    char text[512] = "";
    counters_format(c, &a, &b, text, sizeof text);
    assert_string_equal(text, "task_clock_s=-;ctx_switches=-;migrations=-;page_faults=-;"
                              "cycles=-;instructions=-;llc_misses=-;ipc=-");
    counters_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_software_counters_count_threads_created_after_open),
        cmocka_unit_test(test_an_event_the_machine_lacks_reads_dash),
        cmocka_unit_test(test_none_opens_nothing_and_writes_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
