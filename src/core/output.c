/* Formatting of result rows. The CSV columns are fixed by the design: the required ones
 * in order, then the extra ones; no field holds a comma or a quote. */
#include "output.h"

#include <string.h>

static const char csv_header[] =
    "workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,verified,"
    "runtime,placement,metrics,disturbed";

static int rows_written;

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

void output_begin(FILE *f, enum format fmt)
{
    rows_written = 0;
    if (fmt == FORMAT_CSV)
        fprintf(f, "%s\n", csv_header);
    else if (fmt == FORMAT_JSON)
        fputs("[\n", f);
    else
        fprintf(f, "%-10s %-8s %7s %8s %-12s %5s %12s %12s %-16s %s\n", "workload", "backend",
                "threads", "tasks", "schedule", "rep", "wall_s", "cpu_s", "checksum",
                "verified");
    fflush(f);
}

void output_row(FILE *f, enum format fmt, const struct output_row *r)
{
    switch (fmt) {
    case FORMAT_CSV:
        fprintf(f, "%s,%s,%u,%zu,%s,%s,%s,%ld,%.9f,%.6f,%016llx,%d,%s,%s,%s,%s\n", r->workload,
                r->backend, r->threads, r->tasks, r->schedule, r->bind, r->params, r->rep,
                r->wall_s, r->cpu_s, (unsigned long long)r->checksum, r->verified ? 1 : 0,
                or_dash(r->runtime), or_dash(r->placement), or_dash(r->metrics),
                or_dash(r->disturbed));
        break;
    case FORMAT_JSON:
        /* Values come from the parameter checks, which refuse quotes and backslashes. */
        fprintf(f,
                "%s{\"workload\":\"%s\",\"backend\":\"%s\",\"threads\":%u,\"tasks\":%zu,"
                "\"schedule\":\"%s\",\"bind\":\"%s\",\"params\":\"%s\",\"rep\":%ld,"
                "\"wall_s\":%.9f,\"cpu_s\":%.6f,\"checksum\":\"%016llx\",\"verified\":%s,"
                "\"runtime\":\"%s\",\"placement\":\"%s\",\"metrics\":\"%s\",\"disturbed\":\"%s\"}",
                rows_written ? ",\n" : "", r->workload, r->backend, r->threads, r->tasks,
                r->schedule, r->bind, r->params, r->rep, r->wall_s, r->cpu_s,
                (unsigned long long)r->checksum, r->verified ? "true" : "false",
                or_dash(r->runtime), or_dash(r->placement), or_dash(r->metrics),
                or_dash(r->disturbed));
        break;
    case FORMAT_HUMAN:
        fprintf(f, "%-10s %-8s %7u %8zu %-12s %5ld %12.6f %12.6f %016llx %s%s\n", r->workload,
                r->backend, r->threads, r->tasks, r->schedule, r->rep, r->wall_s, r->cpu_s,
                (unsigned long long)r->checksum, r->verified ? "yes" : "NO",
                r->disturbed != NULL && strcmp(r->disturbed, "1") == 0 ? " (disturbed)" : "");
        break;
    }
    rows_written++;
    fflush(f);
}

void output_end(FILE *f, enum format fmt)
{
    if (fmt == FORMAT_JSON)
        fputs(rows_written ? "\n]\n" : "]\n", f);
    fflush(f);
}
