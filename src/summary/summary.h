/* The per-configuration summary of a suite run: groups result rows by configuration and
 * derives the statistics, speedup and efficiency that summary.csv holds. */
#ifndef BENCH_SUMMARY_H
#define BENCH_SUMMARY_H

#include "error.h"
#include "json.h"

#include <stdbool.h>
#include <stdio.h>

struct summary;

/* cores: the machine's core count, for the ideal speedup of CPU-bound workloads. */
int summary_create(struct summary **out, unsigned cores, struct error *e);
void summary_free(struct summary *s);

/* Takes the workloads' facts from the JSON array of `bench-seq --list --format json` (or
 * its copy in meta.json): which workloads wait rather than compute. name is what an error
 * message calls the source. Every workload of the results must be among them. */
int summary_read_workloads(struct summary *s, const struct json *list, const char *name,
                           struct error *e);

/* Reads result rows (a header line, then rows as the binaries print them). name is what
 * an error message calls the stream ("results.csv"); errors say name:line. */
int summary_read_results(struct summary *s, FILE *f, const char *name, struct error *e);

/* Reads the runner's record of failed configurations (header, then rows starting with
 * workload,backend,runtime,threads,tasks,schedule,bind,params). */
int summary_read_failed(struct summary *s, FILE *f, const char *name, struct error *e);

/* Reads the runner's plan.csv: every configuration of the suite, with its repetition
 * rule (reps_min, reps_max, ci_target) and disturbed_max, the disturbed repetitions it
 * may use up. Read it before the results, so that rows follow the plan's order. */
int summary_read_plan(struct summary *s, FILE *f, const char *name, struct error *e);

/* Writes summary.csv (ERR_USAGE, before a line is written, when a workload of the results
 * is not among summary_read_workloads's): the header, then one row per configuration in first-seen order. A
 * planned configuration that never ran has status missing; one with fewer clean
 * repetitions than its rule asks has status disturbed when it used up its disturbed
 * repetitions, else incomplete. */
int summary_write(struct summary *s, FILE *out, struct error *e);

/* Writes "row,clean,disturbed,more": for each plan row (1-based), its clean and
 * disturbed repetitions and how many more its rule asks for (0: done or given up). */
int summary_write_todo(const struct summary *s, FILE *out, struct error *e);

/* The speedup perfect scaling would give: work whose tasks wait (the descriptor's waits:
 * sleep, disk, net) finishes in ceil(tasks / threads) rounds; anything else is limited
 * to min(threads, cores). */
double summary_ideal_speedup(bool waits, unsigned threads, unsigned long tasks, unsigned cores);

#endif
