/* The environment variables the binaries read: OMP_NUM_THREADS, OMP_SCHEDULE,
 * OMP_PROC_BIND, OMP_PLACES, OMP_WAIT_POLICY and the suite's BENCH_BIND, BENCH_SPINCOUNT,
 * BENCH_FOREIGN_LIMIT and BENCH_COUNTERS, parsed once into one struct that the rest reads; nothing else
 * calls getenv. An empty value counts as unset, as the OpenMP runtimes ignore one. */
#ifndef BENCH_ENV_H
#define BENCH_ENV_H

#include "affinity.h"
#include "counters.h"
#include "error.h"
#include "schedule.h"
#include "waitpolicy.h"

#include <stdbool.h>
#include <stdio.h>

/* The thread counts a run accepts, from -t or OMP_NUM_THREADS. */
#define THREADS_MAX 65536

/* The variables, in the order they are checked and listed. */
enum env_id {
    ENV_OMP_NUM_THREADS, ENV_OMP_SCHEDULE, ENV_OMP_PROC_BIND, ENV_OMP_PLACES,
    ENV_GOMP_CPU_AFFINITY, ENV_KMP_AFFINITY, ENV_OMP_WAIT_POLICY, ENV_BENCH_BIND,
    ENV_BENCH_SPINCOUNT, ENV_BENCH_FOREIGN_LIMIT, ENV_BENCH_COUNTERS, ENV_COUNT
};

struct env {
    bool set[ENV_COUNT];         /* the variable has a value (not empty) */
    long threads;                /* OMP_NUM_THREADS's first item; 0 when unset */
    struct schedule schedule;    /* OMP_SCHEDULE */
    struct affinity_policy bind; /* BENCH_BIND; points into envp */
    enum waitpolicy wait_policy; /* OMP_WAIT_POLICY */
    long spincount;              /* BENCH_SPINCOUNT; -1 when unset */
    double foreign_limit;        /* BENCH_FOREIGN_LIMIT, else its default */
    enum counters_level counters; /* BENCH_COUNTERS */
    /* When an OpenMP runtime would place the threads itself (OMP_PROC_BIND other than
     * false, OMP_PLACES, GOMP_CPU_AFFINITY or KMP_AFFINITY set): the settings in force
     * as "OMP_PROC_BIND=close+OMP_PLACES={0};{1}", CSV-safe; else "". */
    char runtime_places[256];
};

/* Reads envp ("NAME=VALUE" strings, NULL-terminated: environ, or a test's) into out,
 * BENCH_BIND's PUs checked against those this process may use. ERR_USAGE with one line
 * naming the variable and what it accepts. */
int env_read(char *const *envp, struct env *out, struct error *e);

/* For bench-omp before the OpenMP runtime starts: checks the variables the runtime
 * reads too, in the words env_read uses, and removes those with an empty value from
 * envp, so that the runtime treats them as unset as well (libomp stops on an empty
 * OMP_NUM_THREADS, libgomp warns). Calls no library but libc's string functions. */
int env_guard(char **envp, struct error *e);

/* The environment section of --help: every variable, what it accepts, what it does. */
void env_print_help(FILE *f);

#endif
