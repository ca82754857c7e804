/* The command line and the environment variables every binary reads, checked in full
 * before anything runs, so that bad input costs nothing and leaves nothing behind. */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include "affinity.h"
#include "counters.h"
#include "error.h"
#include "params.h"
#include "schedule.h"
#include "workload.h"

#include <stdbool.h>

#define THREADS_MAX 65536L
#define TASKS_MAX 100000000L
#define REPS_MAX 1000000L

enum format { FORMAT_CSV, FORMAT_JSON, FORMAT_HUMAN };
enum action { ACTION_RUN, ACTION_HELP, ACTION_LIST, ACTION_DESCRIBE };

struct options {
    enum action action;
    const struct workload *workload;
    struct param_values params;
    long threads;        /* 0: not given; main asks hwloc */
    const char *threads_from; /* "-t", "OMP_NUM_THREADS" or NULL */
    long tasks;          /* -1: the workload's default */
    long reps;
    long warmup;
    struct schedule schedule;
    const char *schedule_from; /* "-s", "OMP_SCHEDULE" or NULL (the default, static) */
    struct affinity_policy bind;
    const char *bind_from; /* "-b", "BENCH_BIND" or NULL (the default, none) */
    enum format format;
    bool format_given;
    double wait_quiet_s;  /* --wait-quiet; 0: do not wait */
    double foreign_limit; /* BENCH_FOREIGN_LIMIT */
    enum counters_level counters; /* --counters, else BENCH_COUNTERS, else software */
};

/* Parses argv and the environment into o. ERR_USAGE with one line naming the flag or
 * variable and what it accepts. */
int options_parse(int argc, char **argv, struct options *o, struct error *e);

/* Checks one environment variable the binaries read (OMP_NUM_THREADS, OMP_SCHEDULE);
 * ERR_OK for a good value or a variable it does not read. */
int options_check_env(const char *name, const char *value, struct error *e);

/* Parses OMP_NUM_THREADS's syntax: a positive integer, or a list whose first item counts. */
bool options_parse_threads_env(const char *text, long *out);

void options_print_help(const char *prog);
void options_print_list(void);

#endif
