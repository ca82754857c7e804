/* The C side of bench-python: one shared library, bin/libbench.so, linked from the same
 * objects as the bench binaries (compiled -fPIC in build/pic/), whose flat functions
 * src/python/benchpy/clib.py declares for ctypes. Through it bench-python uses the
 * binaries' own command-line parser and messages, the workload parameter tables with
 * the Python backend's differences, the pinning plans and the placement record, the
 * interference readings and the disturbed rule, and the C workloads' tasks (kernel=c),
 * which run without the GIL because ctypes releases it for the length of each call.
 *
 * A failing call returns ERR_RUN or ERR_USAGE and leaves one message in the caller's
 * buffer (err, errlen); only the Python program prints it. The parsed options, the plan,
 * the placement and the interference readings are one per process: bench-python parses
 * once and measures from its main thread only. */
#ifndef BENCH_PYLIB_H
#define BENCH_PYLIB_H

#include <stddef.h>
#include <stdint.h>

/* ---- the command line ---------------------------------------------------------------- */

/* What the command line and the environment decided, as bench-python reads it. */
struct pylib_options {
    int action;              /* options.h's enum action: 0 run, 1 help, 2 list, 3 describe,
                              * 4 check, 5 check-env */
    char workload[32];
    long threads;            /* 0 when neither -t nor OMP_NUM_THREADS gave it */
    char threads_from[32];   /* "-t", "OMP_NUM_THREADS" or "" */
    long tasks;              /* -1: the workload's default */
    long reps, warmup;
    int schedule_kind;       /* 0 static, 1 dynamic, 2 guided */
    long schedule_chunk;     /* 0: the kind's default */
    char schedule[48];       /* as the results write it: "dynamic:4" */
    char bind[320];          /* likewise: "spread", "0;2;4-7" */
    int format;              /* 0 csv, 1 json, 2 human; for --list, csv is the text form */
    double wait_quiet_s;
    double foreign_limit;
    char params[512];        /* every parameter of the Python table: name=value;... */
};

/* sizeof(struct pylib_options), which the ctypes declaration checks itself against. */
size_t pylib_options_size(void);

/* Parses argv as the C binaries do (flags, OMP_* and BENCH_* variables, the workload),
 * then the -p assignments, which bench-python takes out of argv beforehand, against the
 * Python backend's parameter table of the workload, and fills *out. */
int pylib_parse(int argc, char **argv, const char *const *assign, size_t nassign,
                struct pylib_options *out, char *err, size_t errlen);

/* The parsed parameters (the Python backend's table) by name. */
long pylib_param_int(const char *name);
const char *pylib_param_text(const char *name);

/* Prints the binaries' --help text to stdout, then flushes it. */
void pylib_print_help(const char *prog);

/* ---- the workloads as the Python backend has them ------------------------------------- */

/* A workload as the Python backend has it (its summary, and its parameter table with
 * the differences laid over the C one). */
struct pylib_workload {
    const char *name, *bound, *summary;
    int waits; /* its tasks wait rather than compute (workload.h) */
    long default_tasks;
    size_t nparams;
};

struct pylib_param {
    const char *name, *def, *help;
    int type;                 /* params.h's enum param_type: 0 integer, 1 choice, 2 text */
    long min, max;            /* an integer's range */
    const char *choices[16];  /* a choice's names, NULL after the last */
    char accepts[256];        /* what it accepts, as --list and the messages say it */
};

/* Workload k in --list order: 1, or 0 when there is none. */
int pylib_workload_facts(size_t k, struct pylib_workload *out);
/* Parameter j of workload k. */
void pylib_param_facts(size_t k, size_t j, struct pylib_param *out);

/* The index of value among the choices of the C builds' parameter (the noop checksum
 * folds the construct's index); -1 when there is none. */
long pylib_c_choice(const char *workload, const char *param, const char *value);

/* ---- the machine, pinning and placement ----------------------------------------------- */

int pylib_count_pus(unsigned *out, char *err, size_t errlen);
/* The cpusets of threads team members under the parsed bind policy, and the placement
 * record they are checked against. */
int pylib_plan(unsigned threads, char *err, size_t errlen);
int pylib_plan_binds(void);
/* The OS indexes of member tid's PUs (at most max of them); returns how many. */
int pylib_plan_pus(unsigned tid, unsigned *pus, int max);
void pylib_placement_reset(void);
void pylib_placement_note(unsigned tid); /* the PU the calling thread runs on now */
void pylib_placement_mark(unsigned tid, unsigned pu);
int pylib_placement_text(char *buf, size_t len, unsigned *misplaced, char *err, size_t errlen);
int pylib_current_pu(void);

/* ---- interference and CPU time --------------------------------------------------------- */

/* Reads the machine and this process before (when 0) or after (when 1) the timed
 * interval. workers: processes doing the run's work (their CPU is in cpu_s); helper: a
 * process serving it (net's server, 0 for none), whose CPU is the run's but not in cpu_s. */
void pylib_measure(int when, const int *workers, size_t nworkers, int helper);
double pylib_measured_cpu_s(void);
/* 1 disturbed, 0 not, -1 when /proc/stat could not be read (the row writes '-'). */
int pylib_measured_disturbed(double wall_s, double limit);
/* The kernel counters of the whole process (--counters, BENCH_COUNTERS), opened after
 * the workload's setup and before the team starts, so that every worker is counted;
 * note receives why some read '-' ("" when all are open). pylib_measure reads them. */
int pylib_counters_open(char *note, size_t len);
void pylib_counters_close(void);
/* Appends steal_s, foreign_cpu_s, psi_some_us and nivcsw, then the counters, to buf. */
void pylib_measured_format(char *buf, size_t len);
int pylib_wait_quiet(double max_s, double limit); /* 1 quiet, 0 not within max_s */

/* ---- the C builds' tasks (kernel=c) ----------------------------------------------------- */

struct pylib_kernel;
/* Sets the C workload up with the parameters of params ("work=100;skew=uniform;kernel=c":
 * names the C workload lacks are skipped). NULL with *rc and err when it fails. */
struct pylib_kernel *pylib_kernel_open(const char *workload, const char *params, size_t tasks,
                                       unsigned threads, int *rc, char *err, size_t errlen);
int pylib_kernel_rep_begin(struct pylib_kernel *k, char *err, size_t errlen);
uint64_t pylib_kernel_task(struct pylib_kernel *k, size_t i, unsigned tid);
/* The wall time of each part of the repetition just run (one, or memory's passes). */
void pylib_kernel_timed(struct pylib_kernel *k, const double *part_s, unsigned nparts);
int pylib_kernel_check(struct pylib_kernel *k, const uint64_t *results, size_t n,
                       uint64_t *checksum, int *verified, int *expected_loss, char *metrics,
                       size_t mlen, char *err, size_t errlen);
void pylib_kernel_close(struct pylib_kernel *k);

/* ---- what several Python workloads need from the C side -------------------------------- */

int pylib_llc_bytes(unsigned long long *out, char *err, size_t errlen);
int pylib_fdlimit_raise(long needed, char *err, size_t errlen);
/* The median, minimum and maximum of v (sorted in place). */
void pylib_stats(double *v, size_t n, double *median, double *min, double *max);
/* The median of v (n >= 1, sorted in place) and the order statistics *lo..*hi that cover
 * it with at least level (stats_median_with_interval). */
double pylib_median_interval(double *v, size_t n, double level, double *lo, double *hi);
/* --describe: the machine and this library's build as JSON on stdout. */
int pylib_describe(const char *backend, const char *runtime, char *err, size_t errlen);

#endif
