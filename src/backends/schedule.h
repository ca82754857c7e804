/* Loop schedules with OpenMP's meaning, shared by the options, the pool and the
 * OpenMP backend so that "dynamic,4" means the same thing everywhere. */
#ifndef BENCH_SCHEDULE_H
#define BENCH_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

enum sched_kind { SCHED_STATIC, SCHED_DYNAMIC, SCHED_GUIDED };

struct schedule {
    enum sched_kind kind;
    long chunk; /* 0: the kind's default (static: one block per thread; others: 1) */
};

#define SCHEDULE_ACCEPTS "static, dynamic or guided, optionally followed by ,CHUNK (CHUNK >= 1)"

/* Parses OMP_SCHEDULE's syntax: [monotonic:|nonmonotonic:]kind[,chunk], any case,
 * spaces allowed around the parts. */
bool schedule_parse(const char *text, struct schedule *out);

/* Writes the result-file form: "static" or "dynamic:4" (no comma, for CSV). */
void schedule_format(const struct schedule *s, char *buf, size_t len);

const char *schedule_kind_name(enum sched_kind kind);

#endif
