/* The command line of every binary, checked in full with the environment before
 * anything runs, so that bad input costs nothing and leaves nothing behind. */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include "affinity.h"
#include "counters.h"
#include "env.h"
#include "error.h"
#include "params.h"
#include "schedule.h"
#include "workload.h"

#include <stdbool.h>

enum format { FORMAT_CSV, FORMAT_JSON, FORMAT_HUMAN };
enum action {
    ACTION_RUN,
    ACTION_HELP,
    ACTION_LIST,
    ACTION_DESCRIBE,
    ACTION_CHECK,     /* --check: options, workload and environment, as a run checks them */
    ACTION_CHECK_ENV, /* --check-env: the environment alone */
};

struct options {
    enum action action;
    const struct workload *workload; /* NULL only for --check without one, and non-runs */
    struct param_values params;
    long threads;              /* 0: not given; main asks hwloc */
    const char *threads_from;  /* "-t", "OMP_NUM_THREADS" or NULL */
    long tasks;                /* -1: the workload's default */
    long reps;
    long warmup;
    struct schedule schedule;  /* -s, else OMP_SCHEDULE, else static */
    struct affinity_policy bind; /* -b, else BENCH_BIND, else none */
    enum format format;        /* --format; for --list, csv stands for the text form */
    double wait_quiet_s;       /* --wait-quiet; 0: do not wait */
    enum counters_level counters; /* --counters, else BENCH_COUNTERS, else software (none
                                   * for a workload that is uncounted) */
    struct env env;            /* everything the environment says */
};

/* Parses argv and the environment envp into o. ERR_USAGE with one line naming the flag
 * or variable and what it accepts. */
int options_parse(int argc, char **argv, char *const *envp, struct options *o,
                  struct error *e);

/* The --help text, generated from the tables of options and variables. */
void options_print_help(FILE *f, const char *prog);

#endif
