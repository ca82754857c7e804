/* perf_event_open counters, one file descriptor per event (a group read does not sum
 * inherited counters), each counting this process and every thread it creates later.
 * A counter the kernel refuses is left closed; the run goes on without it. */
#include "counters.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

const struct counter_event counters_events[CTR_COUNT] = {
    [CTR_TASK_CLOCK] = { "task_clock_s", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, false,
                         false },
    [CTR_CTX_SWITCHES] = { "ctx_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES,
                           false, true },
    [CTR_MIGRATIONS] = { "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, false,
                         true },
    [CTR_PAGE_FAULTS] = { "page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, false,
                          false },
    [CTR_CYCLES] = { "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, true, false },
    [CTR_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, true,
                           false },
    [CTR_LLC_MISSES] = { "llc_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, true,
                         false },
};

struct counters {
    enum counters_level level;
    const struct counter_event *events;
    int fd[CTR_COUNT];
    char why[512];
};

static int open_event(const struct counter_event *ev, bool user_only)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = ev->type;
    attr.config = ev->config;
    attr.inherit = 1;
    attr.exclude_kernel = user_only;
    attr.exclude_hv = user_only;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* What an errno from perf_event_open means to a user. */
static const char *reason(int err)
{
    switch (err) {
    case ENOENT:
    case EOPNOTSUPP:
    case EINVAL:
        return "not supported by this machine";
    case EACCES:
    case EPERM:
        return "not permitted (kernel.perf_event_paranoid)";
    case ENOSYS:
        return "no perf_event_open in this kernel";
    default:
        return "refused";
    }
}

/* Adds "name" to the list of counters refused for why_text, grouping equal reasons. */
static void note_refused(struct counters *c, const char *name, const char *why_text)
{
    size_t used = strlen(c->why);
    snprintf(c->why + used, sizeof c->why - used, "%s%s: %s", used ? "; " : "", name, why_text);
}

bool counters_parse_level(const char *text, enum counters_level *out)
{
    static const char *const names[] = { [COUNTERS_NONE] = "none",
                                         [COUNTERS_SOFTWARE] = "software",
                                         [COUNTERS_ALL] = "all" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(text, names[k]) == 0) {
            *out = (enum counters_level)k;
            return true;
        }
    return false;
}

void counters_open(struct counters **out, enum counters_level level,
                   const struct counter_event *events)
{
    struct counters *c = calloc(1, sizeof *c);
    *out = c;
    if (c == NULL)
        return;
    c->level = level;
    c->events = events != NULL ? events : counters_events;
    for (int k = 0; k < CTR_COUNT; k++) {
        c->fd[k] = -1;
        const struct counter_event *ev = &c->events[k];
        if (level == COUNTERS_NONE || (ev->hardware && level != COUNTERS_ALL))
            continue;
        int fd = open_event(ev, false);
        /* As perf stat does: where the kernel side is refused, count user space; but an
         * event that only happens in the kernel would then read a wrong 0. */
        if (fd < 0 && (errno == EACCES || errno == EPERM) && !ev->kernel_side)
            fd = open_event(ev, true);
        if (fd < 0) {
            char text[128];
            snprintf(text, sizeof text, "%s (%s)", reason(errno), strerror(errno));
            note_refused(c, ev->name, text);
        }
        c->fd[k] = fd;
    }
}

void counters_close(struct counters *c)
{
    if (c == NULL)
        return;
    for (int k = 0; k < CTR_COUNT; k++)
        if (c->fd[k] >= 0)
            close(c->fd[k]);
    free(c);
}

void counters_read(const struct counters *c, struct counters_sample *out)
{
    memset(out, 0, sizeof *out);
    if (c == NULL)
        return;
    for (int k = 0; k < CTR_COUNT; k++) {
        uint64_t v[3]; /* value, time enabled, time running */
        if (c->fd[k] < 0 || read(c->fd[k], v, sizeof v) != (ssize_t)sizeof v)
            continue;
        /* A hardware counter shared among more events than the PMU has registers runs
         * part of the time; scale it as perf stat does. */
        if (v[2] > 0 && v[2] < v[1])
            v[0] = (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]);
        out->have[k] = v[2] > 0 || v[0] > 0 || c->events[k].type == PERF_TYPE_SOFTWARE;
        out->value[k] = v[0];
    }
}

void counters_format(const struct counters *c, const struct counters_sample *a,
                     const struct counters_sample *b, char *buf, size_t len)
{
    /* Every row has every field, so that scripts find them; '-' for one not counted. */
    const struct counter_event *events = c != NULL ? c->events : counters_events;
    size_t used = strlen(buf);
    for (int k = 0; k < CTR_COUNT && used < len; k++) {
        bool have = a->have[k] && b->have[k];
        double d = have ? (double)(b->value[k] - a->value[k]) : 0;
        char num[32] = "-";
        if (have && k == CTR_TASK_CLOCK)
            snprintf(num, sizeof num, "%.6f", d * 1e-9);
        else if (have)
            snprintf(num, sizeof num, "%.0f", d);
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? ";" : "",
                                 events[k].name, num);
    }
    if (used < len) {
        bool have = a->have[CTR_CYCLES] && b->have[CTR_CYCLES] && a->have[CTR_INSTRUCTIONS] &&
                    b->have[CTR_INSTRUCTIONS] && b->value[CTR_CYCLES] > a->value[CTR_CYCLES];
        if (have)
            snprintf(buf + used, len - used, ";ipc=%.3f",
                     (double)(b->value[CTR_INSTRUCTIONS] - a->value[CTR_INSTRUCTIONS]) /
                         (double)(b->value[CTR_CYCLES] - a->value[CTR_CYCLES]));
        else
            snprintf(buf + used, len - used, ";ipc=-");
    }
}

const char *counters_why(const struct counters *c)
{
    return c != NULL ? c->why : "";
}
