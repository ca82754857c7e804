/* Result rows in the formats of the design: CSV (the contract scripts read), JSON and a
 * human table. Each row is flushed as soon as it is written, so an interrupted run
 * keeps every finished repetition. */
#ifndef BENCH_OUTPUT_H
#define BENCH_OUTPUT_H

#include "options.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct output_row {
    const char *workload;
    const char *backend;
    unsigned threads;
    size_t tasks;
    const char *schedule;
    const char *bind;
    const char *params;
    long rep;
    double wall_s;
    double cpu_s;
    uint64_t checksum;
    bool verified;
    /* Extra columns, after the required ones. */
    const char *runtime;
    const char *placement;
    const char *metrics;
    const char *disturbed; /* "1", "0" or "-" (not measurable) */
};

void output_begin(FILE *f, enum format fmt);
void output_row(FILE *f, enum format fmt, const struct output_row *r);
void output_end(FILE *f, enum format fmt);

#endif
