/* What the rest of the machine did while a repetition ran: hypervisor steal, CPU time of
 * every other process, CPU pressure, and this process's involuntary context switches.
 * Sampled just before and just after the timed interval, never inside it. */
#ifndef BENCH_INTERFERENCE_H
#define BENCH_INTERFERENCE_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where the machine-wide figures come from; tests point these at crafted files. */
struct interference_source {
    const char *stat; /* /proc/stat */
    const char *psi;  /* /proc/pressure/cpu; may not exist */
    pid_t child;      /* a helper process whose CPU is ours too (net's server), or 0 */
};

extern const struct interference_source interference_proc;

/* One reading. Fields that could not be read are marked by the have_ flags. */
struct interference_sample {
    bool have_stat;
    double busy_s;  /* every CPU: user, nice, system, irq, softirq (guest is inside user) */
    double steal_s; /* every CPU */
    unsigned ncpus;
    bool have_psi;
    unsigned long long psi_some_us;
    double self_cpu_s;  /* this process, every thread: user + system */
    double child_cpu_s; /* source->child's user + system, 0 without one */
    long nivcsw;
};

/* What happened between two readings. */
struct interference {
    bool have_stat;
    double steal_s;
    double foreign_cpu_s; /* busy time not ours; never below 0 */
    unsigned ncpus;
    bool have_psi;
    unsigned long long psi_some_us;
    long nivcsw;
};

/* The default limit of foreign CPU plus steal, as a fraction of the CPUs a repetition
 * leaves spare (BENCH_FOREIGN_LIMIT). */
#define INTERFERENCE_LIMIT_DEFAULT 0.10

/* Reads the sources; a missing file leaves its have_ flag false and is not an error.
 * BEFORE the timed interval, or AFTER it: the process's own times are read nearest it. */
enum interference_when { INTERFERENCE_BEFORE, INTERFERENCE_AFTER };
void interference_read(const struct interference_source *src, enum interference_when when,
                       struct interference_sample *out);

void interference_diff(const struct interference_sample *before,
                       const struct interference_sample *after, struct interference *out);

/* The seconds /proc/stat counts in (one clock tick). */
double interference_tick_s(void);

/* True when foreign CPU plus steal over a repetition of wall_s seconds, in which this
 * process used cpu_s, exceeds limit times the CPUs it left spare (at least one CPU), and
 * exceeds 3 ticks, below which /proc/stat cannot tell load from rounding. */
bool interference_disturbed(const struct interference *d, double wall_s, double cpu_s,
                            double limit, double tick_s);

/* Appends "steal_s=..;foreign_cpu_s=..;psi_some_us=..;nivcsw=.." ('-' for a figure that
 * could not be read) to buf, after a ';' when buf is not empty. */
void interference_format(const struct interference *d, char *buf, size_t len);

/* Waits until the machine has been quiet (foreign CPU within limit of every CPU, as
 * interference_disturbed judges an idle process) for quiet_s, for at most max_s seconds.
 * True when it was quiet; false when max_s ran out first. */
bool interference_wait_quiet(const struct interference_source *src, double quiet_s,
                             double max_s, double limit);

#endif
