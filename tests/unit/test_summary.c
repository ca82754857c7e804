/* The suite's statistics on known data: the interval of the median and its coverage,
 * ideal speedup, speedup and efficiency against seq, the noisy, short and verified flags,
 * metrics medians, disturbed repetitions, the plan's statuses and what is left to run,
 * the repetition rule, failed configurations, and errors that name file and line. */
#include "stats.h"
#include "json.h"
#include "summary.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define HEADER                                                                                 \
    "workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified,"  \
    "runtime,placement,metrics\n"
#define HEADER_D                                                                               \
    "workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified,"  \
    "runtime,placement,metrics,disturbed\n"
#define PLAN_HEADER                                                                            \
    "workload,backend,runtime,threads,tasks,schedule,bind,params,reps_min,reps_max,ci_target," \
    "disturbed_max\n"

/* The workloads' facts as bench-seq --list --format json gives them (the fields the
 * summary reads), with a made-up waiting workload to show they come from here. */
static const char *workload_facts =
    "[{\"name\":\"sleep\",\"waits\":true},{\"name\":\"cpu\",\"waits\":false},"
    "{\"name\":\"disk\",\"waits\":true},{\"name\":\"net\",\"waits\":true},"
    "{\"name\":\"memory\",\"waits\":false},{\"name\":\"contention\",\"waits\":false},"
    "{\"name\":\"noop\",\"waits\":false},{\"name\":\"queue\",\"waits\":true}]";

static void read_facts(struct summary *s, const char *text, struct error *e)
{
    struct json *list = NULL;
    assert_int_equal(json_parse(text, "facts", &list, e), ERR_OK);
    assert_int_equal(summary_read_workloads(s, list, "facts", e), ERR_OK);
    json_free(list);
}

/* Summarises results (after plan, and with failed, when not NULL) and returns
 * summary.csv's text, or with todo the list of what is left. */
static char *summarise_plan(const char *plan, const char *results, const char *failed,
                            bool todo, unsigned cores, int *rc, struct error *e)
{
    struct summary *s;
    assert_int_equal(summary_create(&s, cores, e), ERR_OK);
    read_facts(s, workload_facts, e);
    FILE *in;
    *rc = ERR_OK;
    if (plan != NULL) {
        in = fmemopen((void *)plan, strlen(plan), "r");
        *rc = summary_read_plan(s, in, "plan.csv", e);
        fclose(in);
        assert_int_equal(*rc, ERR_OK);
    }
    in = fmemopen((void *)results, strlen(results), "r");
    assert_non_null(in);
    *rc = summary_read_results(s, in, "results.csv", e);
    fclose(in);
    if (*rc == ERR_OK && failed != NULL) {
        in = fmemopen((void *)failed, strlen(failed), "r");
        *rc = summary_read_failed(s, in, "failed.csv", e);
        fclose(in);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (*rc == ERR_OK)
        *rc = todo ? summary_write_todo(s, out, e) : summary_write(s, out, e);
    fclose(out);
    summary_free(s);
    return text;
}

static char *summarise(const char *results, const char *failed, unsigned cores, int *rc,
                       struct error *e)
{
    return summarise_plan(NULL, results, failed, false, cores, rc, e);
}

/* The summary row whose first fields are prefix; fails the test when there is none. */
static const char *row_of(const char *text, const char *prefix)
{
    for (const char *p = text; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
        if (strncmp(p, prefix, strlen(prefix)) == 0)
            return p;
    fail_msg("no summary row starts with %s in:\n%s", prefix, text);
    return NULL;
}

/* Field i (0-based) of a CSV row, copied into buf. */
static const char *field(const char *row, int i, char *buf, size_t size)
{
    while (i-- > 0)
        row = strchr(row, ',') + 1;
    size_t n = strcspn(row, ",\n");
    assert_true(n < size);
    memcpy(buf, row, n);
    buf[n] = '\0';
    return buf;
}

enum { F_REPS = 8, F_DISTURBED, F_MEDIAN, F_MIN, F_MAX, F_MEAN, F_SD, F_CV, F_CILO, F_CIHI,
       F_CILEVEL, F_SPEEDUP, F_IDEAL, F_EFF, F_NOISY, F_SHORT, F_VERIFIED, F_STATUS,
       F_METRICS };

static void assert_field(const char *row, int i, const char *want)
{
    char buf[256];
    assert_string_equal(field(row, i, buf, sizeof buf), want);
}

static void test_ci_five_samples_is_min_max_at_93_75(void **state)
{
    (void)state;
    size_t lo, hi;
    assert_float_equal(stats_median_ci(5, 0.95, &lo, &hi), 0.9375, 1e-12);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 4);
}

static void test_ci_ten_samples_drops_one_each_side(void **state)
{
    (void)state;
    size_t lo, hi;
    /* j=2: 1 - 2 * (1 + 10) / 1024; j=3 would give 1 - 2 * 56 / 1024 = 0.89 < 0.95. */
    assert_float_equal(stats_median_ci(10, 0.95, &lo, &hi), 1 - 22.0 / 1024, 1e-12);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 8);
}

static void test_ci_large_sample_stays_at_or_above_level(void **state)
{
    (void)state;
    size_t lo, hi;
    /* For n = 100 the textbook ranks are 40 and 61 (1-based), coverage 0.9648. */
    double c = stats_median_ci(100, 0.95, &lo, &hi);
    assert_int_equal(lo, 39);
    assert_int_equal(hi, 60);
    assert_true(c >= 0.95 && c < 0.97);
    assert_float_equal(stats_median_ci(2, 0.95, &lo, &hi), 0.5, 1e-12);
}

static void test_ideal_speedup(void **state)
{
    (void)state;
    assert_float_equal(summary_ideal_speedup(true, 10, 20, 2), 10, 1e-12);
    assert_float_equal(summary_ideal_speedup(true, 3, 20, 2), 20.0 / 7, 1e-12);
    assert_float_equal(summary_ideal_speedup(true, 64, 20, 2), 20, 1e-12);
    assert_float_equal(summary_ideal_speedup(true, 1, 20, 2), 1, 1e-12);
    assert_float_equal(summary_ideal_speedup(false, 8, 64, 2), 2, 1e-12);
    assert_float_equal(summary_ideal_speedup(false, 1, 64, 2), 1, 1e-12);
    assert_float_equal(summary_ideal_speedup(false, 3, 64, 4), 3, 1e-12);
}

/* Which workloads wait comes from the facts, not from a list of names in the summary: a
 * workload unknown to the summary but waiting by its facts scales past the cores, and a
 * workload the facts do not name is refused before anything is written. */
static void test_waiting_comes_from_the_facts(void **state)
{
    (void)state;
    static const char results[] =
        HEADER_D
        "queue,pthread,8,16,static,none,n=1,1,0.5,0.1,00,1,pool,-,-,0\n"
        "queue,seq,1,16,static,none,n=1,1,4.0,0.1,00,1,none,-,-,0\n";
    int rc;
    struct error e;
    char *text = summarise_plan(NULL, results, NULL, false, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    /* ideal 16 / ceil(16 / 8) = 8, not min(8, 2 cores). */
    assert_non_null(strstr(text, ",8.0000,8.0000,1.0000,"));
    free(text);

    struct summary *s;
    assert_int_equal(summary_create(&s, 2, &e), ERR_OK);
    read_facts(s, "[{\"name\":\"sleep\",\"waits\":true}]", &e);
    FILE *in = fmemopen((void *)results, strlen(results), "r");
    assert_int_equal(summary_read_results(s, in, "results.csv", &e), ERR_OK);
    fclose(in);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(summary_write(s, out, &e), ERR_USAGE);
    fclose(out);
    assert_int_equal(len, 0);
    assert_non_null(strstr(e.msg, "workload 'queue' is not among the workloads of facts"));
    free(buf);
    summary_free(s);

    struct json *bad = NULL;
    assert_int_equal(json_parse("[{\"name\":\"x\"}]", "facts", &bad, &e), ERR_OK);
    assert_int_equal(summary_create(&s, 2, &e), ERR_OK);
    assert_int_equal(summary_read_workloads(s, bad, "facts", &e), ERR_USAGE);
    json_free(bad);
    summary_free(s);
}

/* A median is short below 0.05 s, or below 5 ms for work that waits (its threads hold no
 * CPU while they wait, so the scheduler's slices do not blur it). */
static void test_short_floor_depends_on_waiting(void **state)
{
    (void)state;
    static const char results[] =
        HEADER_D
        "sleep,pthread,4,64,static,none,ms=1,1,0.0049,0,00,1,pool,-,-,0\n"
        "sleep,pthread,8,64,static,none,ms=1,1,0.0051,0,00,1,pool,-,-,0\n"
        "cpu,pthread,4,64,static,none,work=1,1,0.049,0,00,1,pool,-,-,0\n"
        "cpu,pthread,8,64,static,none,work=1,1,0.051,0,00,1,pool,-,-,0\n";
    int rc;
    struct error e;
    char *out = summarise_plan(NULL, results, NULL, false, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    assert_field(row_of(out, "sleep,pthread,pool,4,64,static,none,ms=1,"), F_SHORT, "1");
    assert_field(row_of(out, "sleep,pthread,pool,8,64,static,none,ms=1,"), F_SHORT, "0");
    assert_field(row_of(out, "cpu,pthread,pool,4,64,static,none,work=1,"), F_SHORT, "1");
    assert_field(row_of(out, "cpu,pthread,pool,8,64,static,none,work=1,"), F_SHORT, "0");
    free(out);
}

/* The JSON reader takes what --list --format json and meta.json hold, and nothing less. */
static void test_json_reader(void **state)
{
    (void)state;
    struct json *j = NULL;
    struct error e;
    assert_int_equal(json_parse(" {\"a\": [1, -2.5e3, true, null, \"x\\\"\\u00e9\\ud83d\\ude00\"],"
                                " \"b\": {}} ", "t", &j, &e), ERR_OK);
    const struct json *a = json_get(j, "a");
    assert_non_null(a);
    assert_int_equal(a->n, 5);
    assert_true(a->items[1].number == -2500);
    assert_true(a->items[2].boolean);
    assert_int_equal(a->items[3].type, JSON_NULL);
    assert_string_equal(a->items[4].string, "x\"\xc3\xa9\xf0\x9f\x98\x80");
    assert_int_equal(json_get(j, "b")->type, JSON_OBJECT);
    assert_null(json_get(j, "c"));
    json_free(j);
    static const char *const bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01x", "0x10", "nan",
                                       "[1] 2", "\"\\q\"", "{\"a\":tru}", "[.5]", "+1" };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        j = NULL;
        if (json_parse(bad[k], "t", &j, &e) != ERR_USAGE)
            fail_msg("'%s' accepted", bad[k]);
        assert_non_null(strstr(e.msg, "t: not valid JSON"));
    }
}

static void test_median_interval_speedup_efficiency(void **state)
{
    (void)state;
    const char *csv = HEADER
        "cpu,seq,1,8,static,none,work=5,1,1.3,1.3,00000000000000aa,1,none,-,-\n"
        "cpu,seq,1,8,static,none,work=5,2,1.0,1.0,00000000000000aa,1,none,-,-\n"
        "cpu,seq,1,8,static,none,work=5,3,1.1,1.1,00000000000000aa,1,none,-,-\n"
        "cpu,pthread,4,8,static,none,work=5,1,0.55,2.2,00000000000000aa,1,pool,-,-\n"
        "cpu,pthread,4,8,static,none,work=5,2,0.50,2.0,00000000000000aa,1,pool,-,-\n"
        "cpu,pthread,4,8,static,none,work=5,3,0.60,2.4,00000000000000aa,1,pool,-,-\n"
        "cpu,pthread,4,8,static,none,work=5,4,0.40,1.6,00000000000000aa,1,pool,-,-\n";
    struct error e;
    int rc;
    char *out = summarise(csv, NULL, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    assert_true(strncmp(out, "workload,backend,runtime,threads,tasks,schedule,bind,params,reps,"
                             "reps_disturbed,median_s,min_s,max_s,mean_s,stddev_s,cv,ci_lo_s,"
                             "ci_hi_s,ci_level,speedup,ideal_speedup,efficiency,noisy,short,"
                             "verified,status,metrics\n",
                        strlen("workload,backend,runtime,threads,tasks,schedule,bind,params,reps,"
                               "reps_disturbed,median_s,min_s,max_s,mean_s,stddev_s,cv,ci_lo_s,"
                               "ci_hi_s,ci_level,speedup,ideal_speedup,efficiency,noisy,short,"
                               "verified,status,metrics\n")) == 0);
    const char *seq = row_of(out, "cpu,seq,none,1,8,static,none,work=5,");
    assert_field(seq, F_REPS, "3");
    assert_field(seq, F_MEDIAN, "1.100000000");
    assert_field(seq, F_MIN, "1.000000000");
    assert_field(seq, F_MAX, "1.300000000");
    assert_field(seq, F_CILEVEL, "0.7500");
    assert_field(seq, F_SPEEDUP, "1.0000");
    const char *par = row_of(out, "cpu,pthread,pool,4,8,static,none,work=5,");
    assert_field(par, F_REPS, "4");
    assert_field(par, F_MEDIAN, "0.525000000"); /* even count: mean of 0.50 and 0.55 */
    assert_field(par, F_MEAN, "0.512500000");
    assert_field(par, F_CILO, "0.400000000");
    assert_field(par, F_CIHI, "0.600000000");
    assert_field(par, F_CILEVEL, "0.8750");
    assert_field(par, F_SPEEDUP, "2.0952");      /* 1.1 / 0.525 */
    assert_field(par, F_IDEAL, "2.0000");        /* min(4 threads, 2 cores) */
    assert_field(par, F_EFF, "1.0476");
    assert_field(par, F_NOISY, "1");             /* sd 0.0854 / mean 0.5125 = 0.167 */
    assert_field(par, F_SHORT, "0");
    assert_field(par, F_VERIFIED, "1");
    assert_field(par, F_STATUS, "ok");
    free(out);
}

static void test_quiet_sample_is_not_noisy_and_unverified_rep_counts(void **state)
{
    (void)state;
    const char *csv = HEADER
        "sleep,omp,4,8,dynamic:2,none,ms=5,1,0.0100,0,0000000000000001,1,libgomp-12,-,lat=3;who=x\n"
        "sleep,omp,4,8,dynamic:2,none,ms=5,2,0.0101,0,0000000000000001,0,libgomp-12,-,lat=1\n"
        "sleep,omp,4,8,dynamic:2,none,ms=5,3,0.0102,0,0000000000000001,1,libgomp-12,-,lat=2\n";
    struct error e;
    int rc;
    char *out = summarise(csv, NULL, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    const char *r = row_of(out, "sleep,omp,libgomp-12,4,8,dynamic:2,none,ms=5,");
    assert_field(r, F_CV, "0.0099");
    assert_field(r, F_NOISY, "0");
    assert_field(r, F_SHORT, "0"); /* 10 ms of waiting: the clock resolves it */
    assert_field(r, F_VERIFIED, "0");
    assert_field(r, F_SPEEDUP, "-"); /* no seq run of this work */
    assert_field(r, F_IDEAL, "4.0000");
    assert_field(r, F_EFF, "-");
    assert_field(r, F_METRICS, "lat=2"); /* the median; non-numeric who= is left out */
    free(out);
}

static void test_failed_configuration_has_dashes(void **state)
{
    (void)state;
    const char *failed = "workload,backend,runtime,threads,tasks,schedule,bind,params,exit,error\n"
                         "sleep,pthread,pool,2,8,static,none,ms=5,1,timed out\n";
    struct error e;
    int rc;
    char *out = summarise(HEADER, failed, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    const char *r = row_of(out, "sleep,pthread,pool,2,8,static,none,ms=5,");
    assert_field(r, F_REPS, "-");
    assert_field(r, F_MEDIAN, "-");
    assert_field(r, F_VERIFIED, "0");
    assert_field(r, F_STATUS, "failed");
    free(out);
}

static void test_bad_row_names_file_and_line(void **state)
{
    (void)state;
    struct error e;
    int rc;
    free(summarise(HEADER "sleep,seq,1,8,static,none,ms=5,1,0.01,0,01,1,none,-,-\n"
                          "sleep,seq,1,8,static,none,ms=5,2,fast,0,01,1,none,-,-\n",
                   NULL, 2, &rc, &e));
    assert_int_equal(rc, ERR_RUN);
    assert_string_equal(e.msg, "results.csv:3: wall_s is not valid: 'fast'");
    free(summarise(HEADER "sleep,seq,1,8,static\n", NULL, 2, &rc, &e));
    assert_int_equal(rc, ERR_RUN);
    assert_string_equal(e.msg, "results.csv:2: 5 fields, the header has 15");
    free(summarise("workload,backend\n", NULL, 2, &rc, &e));
    assert_int_equal(rc, ERR_RUN);
    assert_string_equal(e.msg, "results.csv:1: the header has no column threads");
}

static void test_disturbed_repetitions_are_counted_and_left_out(void **state)
{
    (void)state;
    const char *csv = HEADER_D
        "cpu,omp,1,8,static,none,work=5,1,0.30,0.3,aa,1,libgomp,-,foreign_cpu_s=0.4,1\n"
        "cpu,omp,1,8,static,none,work=5,2,0.10,0.1,aa,1,libgomp,-,foreign_cpu_s=0,0\n"
        "cpu,omp,1,8,static,none,work=5,3,0.11,0.1,aa,1,libgomp,-,foreign_cpu_s=0,0\n"
        "cpu,omp,1,8,static,none,work=5,4,0.12,0.1,aa,1,libgomp,-,foreign_cpu_s=0,0\n"
        "cpu,omp,2,8,static,none,work=5,1,0.30,0.3,aa,1,libgomp,-,foreign_cpu_s=0.5,1\n"
        "cpu,omp,2,8,static,none,work=5,2,0.40,0.3,aa,1,libgomp,-,foreign_cpu_s=0.7,1\n";
    struct error e;
    int rc;
    char *out = summarise(csv, NULL, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    const char *r = row_of(out, "cpu,omp,libgomp,1,8,static,none,work=5,");
    assert_field(r, F_REPS, "3");
    assert_field(r, F_DISTURBED, "1");
    assert_field(r, F_MEDIAN, "0.110000000"); /* the 0.30 of the disturbed one is out */
    assert_field(r, F_MAX, "0.120000000");
    assert_field(r, F_STATUS, "ok");
    assert_field(r, F_METRICS, "foreign_cpu_s=0");
    /* Nothing clean: the disturbed ones are all there is, and the status says so. */
    r = row_of(out, "cpu,omp,libgomp,2,8,static,none,work=5,");
    assert_field(r, F_REPS, "2");
    assert_field(r, F_DISTURBED, "2");
    assert_field(r, F_MEDIAN, "0.350000000");
    assert_field(r, F_STATUS, "disturbed");
    free(out);
}

static void test_plan_orders_rows_and_says_what_is_left(void **state)
{
    (void)state;
    const char *plan = PLAN_HEADER
        "sleep,seq,none,1,4,static,none,ms=1,3,3,0,6\n"          /* done */
        "sleep,pthread,pool,2,4,static,none,ms=1,3,3,0,6\n"      /* one visit short */
        "sleep,pthread,pool,4,4,static,none,ms=1,3,3,0,2\n"      /* gave up: 2 disturbed */
        "sleep,omp,libgomp,2,4,static,none,ms=1,5,30,0.02,10\n"  /* never ran */
        "sleep,omp,libgomp,4,4,static,none,ms=1,5,30,0.02,10\n"; /* interval tight */
    const char *csv = HEADER_D
        "sleep,pthread,2,4,static,none,ms=1,1,0.2,0,aa,1,pool,-,-,0\n"
        "sleep,seq,1,4,static,none,ms=1,1,0.4,0,aa,1,none,-,-,0\n"
        "sleep,seq,1,4,static,none,ms=1,2,0.4,0,aa,1,none,-,-,0\n"
        "sleep,seq,1,4,static,none,ms=1,3,0.4,0,aa,1,none,-,-,0\n"
        "sleep,pthread,4,4,static,none,ms=1,1,0.1,0,aa,1,pool,-,-,1\n"
        "sleep,pthread,4,4,static,none,ms=1,2,0.1,0,aa,1,pool,-,-,1\n"
        "sleep,pthread,4,4,static,none,ms=1,3,0.1,0,aa,1,pool,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,1,0.100,0,aa,1,libgomp,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,2,0.101,0,aa,1,libgomp,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,3,0.100,0,aa,1,libgomp,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,4,0.101,0,aa,1,libgomp,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,5,0.100,0,aa,1,libgomp,-,-,0\n"
        "sleep,omp,4,4,static,none,ms=1,6,0.101,0,aa,1,libgomp,-,-,0\n";
    struct error e;
    int rc;
    char *todo = summarise_plan(plan, csv, NULL, true, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    assert_string_equal(todo, "row,clean,disturbed,more\n"
                              "1,3,0,0\n"
                              "2,1,0,2\n"
                              "3,1,2,0\n"
                              "4,0,0,5\n"
                              "5,6,0,0\n");
    free(todo);
    char *out = summarise_plan(plan, csv, NULL, false, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    /* Rows follow the plan, not the order the results came in. */
    assert_true(strstr(out, "\nsleep,seq,") < strstr(out, "\nsleep,pthread,pool,2,"));
    assert_field(row_of(out, "sleep,seq,none,1,"), F_STATUS, "ok");
    assert_field(row_of(out, "sleep,pthread,pool,2,"), F_STATUS, "incomplete");
    assert_field(row_of(out, "sleep,pthread,pool,4,"), F_STATUS, "disturbed");
    const char *missing = row_of(out, "sleep,omp,libgomp,2,");
    assert_field(missing, F_STATUS, "missing");
    assert_field(missing, F_MEDIAN, "-");
    assert_field(missing, F_METRICS, "-");
    assert_field(row_of(out, "sleep,omp,libgomp,4,"), F_STATUS, "ok");
    free(out);
}

static void test_repetition_rule(void **state)
{
    (void)state;
    const struct stats_rule fixed = { .min = 5, .max = 5, .target = 0, .level = 0.95 };
    const struct stats_rule autorule = { .min = 5, .max = 30, .target = 0.02, .level = 0.95 };
    const double tight[] = { 1.00, 1.001, 1.002, 1.003, 1.004, 1.005 };
    const double wide[] = { 0.90, 0.95, 1.00, 1.05, 1.10, 1.20 };
    double many[30];
    for (size_t i = 0; i < 30; i++)
        many[i] = 0.5 + (double)i / 10; /* as wide as can be, at the cap */
    assert_int_equal(stats_more_needed(tight, 3, &fixed), 2);
    assert_int_equal(stats_more_needed(wide, 6, &fixed), 0); /* a fixed count ignores width */
    assert_int_equal(stats_more_needed(tight, 3, &autorule), 2);
    assert_int_equal(stats_more_needed(tight, 6, &autorule), 0);
    size_t more = stats_more_needed(wide, 6, &autorule);
    assert_true(more >= 1 && more <= 24);
    assert_int_equal(stats_more_needed(many, 30, &autorule), 0);
    /* min..max of 6 samples around a median of 1.0: 0.1 below, 0.2 above. */
    assert_float_equal(stats_ci_rel(wide, 6, 0.95), 0.175 / 1.025, 1e-12);
}

static void test_python_rows_divide_the_python_loop(void **state)
{
    (void)state;
    const char *csv = HEADER_D
        "cpu,seq,1,4,static,none,work=5,1,1.0,1,aa,1,none,-,-,0\n"
        "cpu,python-seq,1,4,static,none,work=5,1,8.0,8,aa,1,cpython-3.11.2,-,-,0\n"
        "cpu,python-threads,2,4,static,none,work=5,1,8.0,8,aa,1,cpython-3.11.2,-,-,0\n"
        "cpu,python-processes,2,4,static,none,work=5,1,4.0,8,aa,1,cpython-3.11.2,-,-,0\n";
    struct error e;
    int rc;
    char *out = summarise(csv, NULL, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    assert_field(row_of(out, "cpu,python-seq,"), F_SPEEDUP, "1.0000");
    assert_field(row_of(out, "cpu,python-threads,"), F_SPEEDUP, "1.0000");
    assert_field(row_of(out, "cpu,python-processes,"), F_SPEEDUP, "2.0000");
    free(out);
}

static void test_noop_interval_and_no_speedup(void **state)
{
    (void)state;
    const char *csv = HEADER_D
        "noop,seq,1,1,static,none,construct=region,1,0.01,0,aa,1,none,-,overhead_us=0,0\n"
        "noop,omp,2,1,static,none,construct=region,1,0.01,0,aa,1,libgomp,-,"
        "overhead_us=1.0;ci_lo_us=0.1;ci_hi_us=9,0\n"
        "noop,omp,2,1,static,none,construct=region,2,0.02,0,aa,1,libgomp,-,"
        "overhead_us=3.0;ci_lo_us=0.1;ci_hi_us=9,0\n"
        "noop,omp,2,1,static,none,construct=region,3,0.03,0,aa,1,libgomp,-,"
        "overhead_us=2.0;ci_lo_us=0.1;ci_hi_us=9,0\n";
    struct error e;
    int rc;
    char *out = summarise(csv, NULL, 2, &rc, &e);
    assert_int_equal(rc, ERR_OK);
    const char *r = row_of(out, "noop,omp,libgomp,2,");
    assert_field(r, F_SPEEDUP, "-");
    assert_field(r, F_EFF, "-");
    assert_field(r, F_NOISY, "-");
    assert_field(r, F_SHORT, "-");
    /* The interval is of the per-repetition overheads (1, 2, 3: min..max at 75%), not
     * the medians of the repetitions' own bounds (0.1, 9). */
    assert_field(r, F_METRICS, "overhead_us=2;ci_lo_us=1;ci_hi_us=3;ci_level_us=0.7500");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ci_five_samples_is_min_max_at_93_75),
        cmocka_unit_test(test_ci_ten_samples_drops_one_each_side),
        cmocka_unit_test(test_ci_large_sample_stays_at_or_above_level),
        cmocka_unit_test(test_ideal_speedup),
        cmocka_unit_test(test_waiting_comes_from_the_facts),
        cmocka_unit_test(test_short_floor_depends_on_waiting),
        cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_median_interval_speedup_efficiency),
        cmocka_unit_test(test_quiet_sample_is_not_noisy_and_unverified_rep_counts),
        cmocka_unit_test(test_failed_configuration_has_dashes),
        cmocka_unit_test(test_bad_row_names_file_and_line),
        cmocka_unit_test(test_disturbed_repetitions_are_counted_and_left_out),
        cmocka_unit_test(test_plan_orders_rows_and_says_what_is_left),
        cmocka_unit_test(test_repetition_rule),
        cmocka_unit_test(test_noop_interval_and_no_speedup),
        cmocka_unit_test(test_python_rows_divide_the_python_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
