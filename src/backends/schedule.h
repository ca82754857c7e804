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

/* The largest chunk both OpenMP runtimes take from OMP_SCHEDULE: libgomp refuses one
 * above INT_MAX, libomp INT_MAX itself. */
#define SCHEDULE_CHUNK_MAX 2147483646
#define SCHEDULE_STR2(x) #x
#define SCHEDULE_STR(x) SCHEDULE_STR2(x)
/* The monotonic: and nonmonotonic: modifiers are refused, not dropped: the pool has no
 * such choice and the schedule column no place for one, so results would not say what
 * ran. */
#define SCHEDULE_ACCEPTS                                                                    \
    "static, dynamic or guided, optionally followed by ,CHUNK (CHUNK from 1 to "            \
    SCHEDULE_STR(SCHEDULE_CHUNK_MAX) "; no monotonic: or nonmonotonic: modifier)"

/* Parses OMP_SCHEDULE's syntax without its modifiers: kind[,chunk], any case, spaces
 * allowed around the parts. */
bool schedule_parse(const char *text, struct schedule *out);

/* Writes the result-file form: "static" or "dynamic:4" (no comma, for CSV). */
void schedule_format(const struct schedule *s, char *buf, size_t len);

const char *schedule_kind_name(enum sched_kind kind);

#endif
