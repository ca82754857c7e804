/* Interference readings from /proc/stat, /proc/pressure/cpu, getrusage and the helper
 * child's /proc/PID/stat. Everything here runs outside the timed interval; a source the
 * kernel lacks (PSI before 4.20, or disabled) leaves its figure out, never fails a run. */
#include "interference.h"

#include "clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const struct interference_source interference_proc = {
    .stat = "/proc/stat",
    .psi = "/proc/pressure/cpu",
    .child = 0,
};

double interference_tick_s(void)
{
    long hz = sysconf(_SC_CLK_TCK);
    return hz > 0 ? 1.0 / (double)hz : 0.01;
}

/* The aggregate "cpu" line and the count of "cpuN" lines that follow it. */
static void read_stat(const char *path, double tick, struct interference_sample *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[512];
    unsigned long long v[10] = { 0 };
    bool have = false;
    unsigned ncpus = 0;
    while (fgets(line, sizeof line, f) != NULL && strncmp(line, "cpu", 3) == 0) {
        if (line[3] == ' ') {
            /* Kernels before 2.6.33 have fewer fields; missing ones stay 0. */
            have = sscanf(line + 3, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                          &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) >= 4;
        } else {
            ncpus++;
        }
    }
    fclose(f);
    if (!have || ncpus == 0)
        return;
    out->have_stat = true;
    out->busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) * tick;
    out->steal_s = (double)v[7] * tick;
    out->ncpus = ncpus;
}

static void read_psi(const char *path, struct interference_sample *out)
{
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    if (f == NULL)
        return;
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        const char *total = strstr(line, "total=");
        if (strncmp(line, "some ", 5) == 0 && total != NULL &&
            sscanf(total, "total=%llu", &out->psi_some_us) == 1) {
            out->have_psi = true;
            break;
        }
    }
    fclose(f);
}

/* utime and stime of a process, fields 14 and 15 of /proc/PID/stat, counted after the
 * command name's closing parenthesis, since the name itself may hold spaces. */
static double child_cpu(pid_t pid, double tick)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    double s = 0;
    if (fgets(line, sizeof line, f) != NULL) {
        const char *p = strrchr(line, ')');
        unsigned long long ut, st;
        if (p != NULL &&
            sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
                   &st) == 2)
            s = (double)(ut + st) * tick;
    }
    fclose(f);
    return s;
}

static void read_self(const struct interference_source *src, double tick,
                      struct interference_sample *out)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        out->self_cpu_s = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
        out->nivcsw = ru.ru_nivcsw;
    }
    if (src->child > 0)
        out->child_cpu_s = child_cpu(src->child, tick);
}

void interference_read(const struct interference_source *src, enum interference_when when,
                       struct interference_sample *out)
{
    double tick = interference_tick_s();
    *out = (struct interference_sample){ 0 };
    /* The process's own times sit next to the timed interval, so that cpu_s covers as
     * little of the reading itself as it can. */
    if (when == INTERFERENCE_AFTER)
        read_self(src, tick, out);
    read_stat(src->stat, tick, out);
    read_psi(src->psi, out);
    if (when == INTERFERENCE_BEFORE)
        read_self(src, tick, out);
}

void interference_diff(const struct interference_sample *a, const struct interference_sample *b,
                       struct interference *out)
{
    *out = (struct interference){ .nivcsw = b->nivcsw - a->nivcsw };
    if (a->have_stat && b->have_stat) {
        double ours = (b->self_cpu_s - a->self_cpu_s) + (b->child_cpu_s - a->child_cpu_s);
        double foreign = (b->busy_s - a->busy_s) - ours;
        out->have_stat = true;
        out->steal_s = b->steal_s - a->steal_s;
        out->foreign_cpu_s = foreign > 0 ? foreign : 0;
        out->ncpus = b->ncpus;
    }
    if (a->have_psi && b->have_psi && b->psi_some_us >= a->psi_some_us) {
        out->have_psi = true;
        out->psi_some_us = b->psi_some_us - a->psi_some_us;
    }
}

bool interference_disturbed(const struct interference *d, double wall_s, double cpu_s,
                            double limit, double tick_s)
{
    if (!d->have_stat || wall_s <= 0)
        return false;
    double used = cpu_s / wall_s;
    double spare = (double)d->ncpus - used;
    if (spare < 1)
        spare = 1;
    double allowed = limit * spare * wall_s;
    if (allowed < 3 * tick_s)
        allowed = 3 * tick_s;
    return d->foreign_cpu_s + d->steal_s > allowed;
}

void interference_format(const struct interference *d, char *buf, size_t len)
{
    size_t used = strlen(buf);
    if (used >= len)
        return;
    char steal[32] = "-", foreign[32] = "-", psi[32] = "-";
    if (d->have_stat) {
        snprintf(steal, sizeof steal, "%.3f", d->steal_s);
        snprintf(foreign, sizeof foreign, "%.3f", d->foreign_cpu_s);
    }
    if (d->have_psi)
        snprintf(psi, sizeof psi, "%llu", d->psi_some_us);
    snprintf(buf + used, len - used, "%ssteal_s=%s;foreign_cpu_s=%s;psi_some_us=%s;nivcsw=%ld",
             used ? ";" : "", steal, foreign, psi, d->nivcsw);
}

bool interference_wait_quiet(const struct interference_source *src, double quiet_s,
                             double max_s, double limit)
{
    double tick = interference_tick_s(), start = clock_now_s();
    for (;;) {
        struct interference_sample a, b;
        struct interference d;
        interference_read(src, INTERFERENCE_BEFORE, &a);
        if (!a.have_stat)
            return true; /* nothing to judge by: do not hold the run up */
        double t0 = clock_now_s();
        struct timespec ts = { .tv_sec = (time_t)quiet_s,
                               .tv_nsec = (long)(fmod(quiet_s, 1.0) * 1e9) };
        nanosleep(&ts, NULL);
        interference_read(src, INTERFERENCE_AFTER, &b);
        interference_diff(&a, &b, &d);
        double t1 = clock_now_s();
        if (!interference_disturbed(&d, t1 - t0, b.self_cpu_s - a.self_cpu_s, limit, tick))
            return true;
        if (t1 - start >= max_s)
            return false;
    }
}
