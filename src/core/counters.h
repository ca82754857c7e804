/* Kernel counters of the whole process over each repetition, through perf_event_open:
 * task clock, context switches, migrations and page faults (software events, which work
 * on virtual machines too) and, where the machine has a PMU, cycles, instructions and
 * last-level cache misses. Opened before the backend creates its threads, so that every
 * thread is counted (inherit); read outside the timed interval. */
#ifndef BENCH_COUNTERS_H
#define BENCH_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum counters_level { COUNTERS_NONE, COUNTERS_SOFTWARE, COUNTERS_ALL };

#define COUNTERS_ACCEPTS "none, software or all"

/* A level by its name (--counters, BENCH_COUNTERS); false for anything else. */
bool counters_parse_level(const char *text, enum counters_level *out);

enum counter_id {
    CTR_TASK_CLOCK,
    CTR_CTX_SWITCHES,
    CTR_MIGRATIONS,
    CTR_PAGE_FAULTS,
    CTR_CYCLES,
    CTR_INSTRUCTIONS,
    CTR_LLC_MISSES,
    CTR_COUNT
};

/* What to open for one counter: a perf_event_attr type and config. Tests swap in an
 * event the machine lacks to force the not-available path. */
struct counter_event {
    const char *name; /* the metrics name: task_clock_s, ctx_switches, ... */
    uint32_t type;
    uint64_t config;
    bool hardware;    /* opened only at COUNTERS_ALL */
    bool kernel_side; /* happens in the kernel: reads 0 when only user space is counted */
};

extern const struct counter_event counters_events[CTR_COUNT];

struct counters;

/* Opens the counters the level asks for, from events[0..CTR_COUNT-1] (NULL: the real
 * ones). Never fails for a counter the machine refuses: that one reads as '-' and
 * counters_why() says why. NULL *out only when out of memory. */
void counters_open(struct counters **out, enum counters_level level,
                   const struct counter_event *events);
void counters_close(struct counters *c);

/* One reading of every open counter. */
struct counters_sample {
    bool have[CTR_COUNT];
    uint64_t value[CTR_COUNT];
};
void counters_read(const struct counters *c, struct counters_sample *out);

/* Appends "task_clock_s=..;ctx_switches=..;...;ipc=.." for the difference of two
 * readings to buf (after a ';' when buf is not empty): every counter, '-' for one that
 * is not open (refused, not asked for, or c NULL). */
void counters_format(const struct counters *c, const struct counters_sample *before,
                     const struct counters_sample *after, char *buf, size_t len);

/* Why some counters asked for are not open ("cycles, instructions, llc_misses: not
 * supported by this machine (ENOENT)"), or "" when all are. */
const char *counters_why(const struct counters *c);

#endif
