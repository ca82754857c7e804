/* Groups the rows of results.csv by configuration and derives, per configuration, the
 * order statistics, the confidence interval of the median, speedup over the sequential
 * median of the same work, the ideal speedup and the efficiency. Disturbed repetitions
 * are counted and left out; the run's plan says what each configuration still needs. */
#include "summary.h"

#include "parse.h"
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NOISY_CV 0.05
#define CI_LEVEL 0.95
#define MAX_FIELDS 64
/* Below this median a repetition is too short: the scheduler's slices (a few ms), two
 * threads stacked on one CPU, and /proc/stat's ticks all weigh on it. Work that waits
 * holds no CPU while it waits, so no slice stands between it and its clock; only the
 * wake-up (tens of microseconds) does, a few percent of 5 ms. The report's wording of
 * both is short_rule() in scripts/lib/summary.awk. */
#define SHORT_S 0.05
#define SHORT_WAITING_S 0.005

/* The fields that name a configuration, in summary.csv order. */
enum key { K_WORKLOAD, K_BACKEND, K_RUNTIME, K_THREADS, K_TASKS, K_SCHEDULE, K_BIND, K_PARAMS,
           K_COUNT };
static const char *const key_names[K_COUNT] = { "workload", "backend", "runtime", "threads",
                                                "tasks", "schedule", "bind", "params" };

struct sample {
    double *v;
    size_t n, cap;
};

struct metric {
    char *name;
    struct sample values;
};

/* The repetitions of one kind (clean or disturbed) of a configuration. */
struct reps {
    struct sample wall;
    struct metric *metrics;
    size_t nmetrics;
};

struct group {
    char *key[K_COUNT];
    unsigned threads;
    unsigned long tasks;
    bool failed, all_verified;
    struct reps clean, disturbed;
    bool planned; /* named by the plan */
    struct stats_rule rule;
    unsigned long disturbed_max;
};

/* What the summary needs to know of a workload, from its descriptor via --list. */
struct workload_fact {
    char *name;
    bool waits;
};

struct summary {
    unsigned cores;
    struct group *groups;
    size_t n, cap;
    struct workload_fact *facts;
    size_t nfacts;
    char *facts_from; /* where the facts came from, for messages */
};

static int nomem(struct error *e)
{
    return error_set(e, ERR_RUN, "out of memory");
}

int summary_create(struct summary **out, unsigned cores, struct error *e)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return nomem(e);
    (*out)->cores = cores;
    return ERR_OK;
}

void summary_free(struct summary *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        struct group *g = &s->groups[i];
        for (int k = 0; k < K_COUNT; k++)
            free(g->key[k]);
        struct reps *both[] = { &g->clean, &g->disturbed };
        for (size_t r = 0; r < 2; r++) {
            free(both[r]->wall.v);
            for (size_t m = 0; m < both[r]->nmetrics; m++) {
                free(both[r]->metrics[m].name);
                free(both[r]->metrics[m].values.v);
            }
            free(both[r]->metrics);
        }
    }
    free(s->groups);
    for (size_t i = 0; i < s->nfacts; i++)
        free(s->facts[i].name);
    free(s->facts);
    free(s->facts_from);
    free(s);
}

int summary_read_workloads(struct summary *s, const struct json *list, const char *name,
                           struct error *e)
{
    if (list == NULL || list->type != JSON_ARRAY)
        return error_set(e, ERR_USAGE, "%s: expected the array of --list --format json", name);
    struct workload_fact *facts = calloc(list->n ? list->n : 1, sizeof *facts);
    char *from = strdup(name);
    if (facts == NULL || from == NULL) {
        free(facts);
        free(from);
        return nomem(e);
    }
    int rc = ERR_OK;
    size_t n = 0;
    for (; n < list->n && rc == ERR_OK; n++) {
        const struct json *w = &list->items[n];
        const struct json *wname = json_get(w, "name"), *waits = json_get(w, "waits");
        if (wname == NULL || wname->type != JSON_STRING || waits == NULL ||
            waits->type != JSON_BOOL)
            rc = error_set(e, ERR_USAGE, "%s: workload %zu has no \"name\" string and "
                           "\"waits\" boolean", name, n + 1);
        else if ((facts[n].name = strdup(wname->string)) == NULL)
            rc = nomem(e);
        else
            facts[n].waits = waits->boolean;
    }
    if (rc != ERR_OK) {
        for (size_t i = 0; i < n; i++)
            free(facts[i].name);
        free(facts);
        free(from);
        return rc;
    }
    for (size_t i = 0; i < s->nfacts; i++)
        free(s->facts[i].name);
    free(s->facts);
    free(s->facts_from);
    s->facts = facts;
    s->nfacts = n;
    s->facts_from = from;
    return ERR_OK;
}

static const struct workload_fact *fact_of(const struct summary *s, const char *workload)
{
    for (size_t i = 0; i < s->nfacts; i++)
        if (strcmp(s->facts[i].name, workload) == 0)
            return &s->facts[i];
    return NULL;
}

double summary_ideal_speedup(bool waits, unsigned threads, unsigned long tasks, unsigned cores)
{
    if (waits) {
        if (tasks == 0 || threads == 0)
            return 1;
        unsigned long rounds = (tasks + threads - 1) / threads;
        return (double)tasks / (double)rounds;
    }
    return threads < cores ? threads : cores;
}

static bool sample_push(struct sample *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        double *v = realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return true;
}

/* Splits line (modified in place) at commas; returns the field count, or -1 when there
 * are more than max. */
static int split(char *line, char **fields, int max)
{
    line[strcspn(line, "\r\n")] = '\0';
    int n = 0;
    for (char *p = line;;) {
        if (n == max)
            return -1;
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (comma == NULL)
            return n;
        *comma = '\0';
        p = comma + 1;
    }
}

static int column(char **names, int n, const char *want)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], want) == 0)
            return i;
    return -1;
}

static bool parse_count(const char *text, long max, unsigned long *out)
{
    long v;
    if (!parse_long(text, 0, max, &v))
        return false;
    *out = (unsigned long)v;
    return true;
}

/* A number of seconds (or a relative target): finite and not negative. */
static bool parse_seconds(const char *text, double *out)
{
    return parse_double(text, 0, DBL_MAX, out);
}

/* Finds the group of a configuration, or adds it. The rows of one configuration come
 * together, so the last group is tried first. */
static struct group *group_of(struct summary *s, char **key, struct error *e, int *rc)
{
    for (size_t i = s->n; i-- > 0;) {
        struct group *g = &s->groups[i];
        int k = 0;
        while (k < K_COUNT && strcmp(g->key[k], key[k]) == 0)
            k++;
        if (k == K_COUNT)
            return g;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        struct group *gs = realloc(s->groups, cap * sizeof *gs);
        if (gs == NULL) {
            *rc = nomem(e);
            return NULL;
        }
        s->groups = gs;
        s->cap = cap;
    }
    struct group *g = &s->groups[s->n];
    *g = (struct group){ .all_verified = true };
    for (int k = 0; k < K_COUNT; k++) {
        g->key[k] = strdup(key[k]);
        if (g->key[k] == NULL) {
            while (k-- > 0)
                free(g->key[k]);
            *rc = nomem(e);
            return NULL;
        }
    }
    s->n++;
    return g;
}

/* Records each numeric name=value of a metrics field; other values ('-' among them) are
 * not summarised. */
static int add_metrics(struct reps *g, char *metrics, struct error *e)
{
    if (strcmp(metrics, "-") == 0)
        return ERR_OK;
    for (char *item = strtok(metrics, ";"); item != NULL; item = strtok(NULL, ";")) {
        char *eq = strchr(item, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        char *end;
        double v = strtod(eq + 1, &end);
        if (eq[1] == '\0' || *end != '\0' || !isfinite(v))
            continue;
        size_t m = 0;
        while (m < g->nmetrics && strcmp(g->metrics[m].name, item) != 0)
            m++;
        if (m == g->nmetrics) {
            struct metric *ms = realloc(g->metrics, (m + 1) * sizeof *ms);
            if (ms == NULL)
                return nomem(e);
            g->metrics = ms;
            g->metrics[m] = (struct metric){ .name = strdup(item) };
            if (g->metrics[m].name == NULL)
                return nomem(e);
            g->nmetrics++;
        }
        if (!sample_push(&g->metrics[m].values, v))
            return nomem(e);
    }
    return ERR_OK;
}

/* One of the CSV files the summary reads: the configuration's columns (key_names), then
 * the file's own, found by name in its header; then its rows one by one. */
struct table {
    FILE *f;
    const char *name; /* what messages call it ("results.csv") */
    const char *const *extra;
    int nextra;
    unsigned optional; /* bits of the columns that may be absent */
    int col[MAX_FIELDS]; /* each wanted column's index in a row, -1 when absent */
    int ncols;
    char *buf;
    size_t cap;
    long line;
    char *fields[MAX_FIELDS];
    char *key[K_COUNT]; /* the row's configuration ("-" for an absent optional column) */
    unsigned long threads, tasks;
};

static const char *table_column(const struct table *t, int i)
{
    return i < K_COUNT ? key_names[i] : t->extra[i - K_COUNT];
}

/* The field of wanted column i in the current row. */
static char *table_field(const struct table *t, int i)
{
    return t->col[i] >= 0 ? t->fields[t->col[i]] : "-";
}

static int table_bad(const struct table *t, int i, struct error *e)
{
    return error_set(e, ERR_RUN, "%s:%ld: %s is not valid: '%s'", t->name, t->line,
                     table_column(t, i), table_field(t, i));
}

/* Reads the header; ERR_RUN naming the first wanted column it lacks that is not optional. */
static int table_open(struct table *t, struct error *e)
{
    if (getline(&t->buf, &t->cap, t->f) < 0)
        return error_set(e, ERR_RUN, "%s:1: empty, expected a header line", t->name);
    t->line = 1;
    t->ncols = split(t->buf, t->fields, MAX_FIELDS);
    if (t->ncols < 0)
        return error_set(e, ERR_RUN, "%s:1: more than %d columns", t->name, MAX_FIELDS);
    for (int i = 0; i < K_COUNT + t->nextra; i++) {
        t->col[i] = column(t->fields, t->ncols, table_column(t, i));
        if (t->col[i] < 0 && !(t->optional & (1u << i)))
            return error_set(e, ERR_RUN, "%s:1: the header has no column %s", t->name,
                             table_column(t, i));
    }
    return ERR_OK;
}

/* Reads the next row that is not blank, with its configuration, thread and task counts.
 * True with a row; false at the end of the file, or with *rc set for a bad row. */
static bool table_next(struct table *t, struct error *e, int *rc)
{
    while (getline(&t->buf, &t->cap, t->f) >= 0) {
        t->line++;
        int n = split(t->buf, t->fields, MAX_FIELDS);
        if (n == 1 && t->fields[0][0] == '\0')
            continue;
        if (n != t->ncols) {
            *rc = error_set(e, ERR_RUN, "%s:%ld: %d fields, the header has %d", t->name,
                            t->line, n, t->ncols);
            return false;
        }
        for (int k = 0; k < K_COUNT; k++)
            t->key[k] = table_field(t, k);
        if (!parse_count(t->key[K_THREADS], 1L << 20, &t->threads) || t->threads == 0)
            *rc = table_bad(t, K_THREADS, e);
        else if (!parse_count(t->key[K_TASKS], 1L << 40, &t->tasks))
            *rc = table_bad(t, K_TASKS, e);
        return *rc == ERR_OK;
    }
    return false;
}

/* The group of the current row, with the row's thread and task counts. */
static struct group *table_group(struct summary *s, struct table *t, struct error *e, int *rc)
{
    struct group *g = group_of(s, t->key, e, rc);
    if (g != NULL) {
        g->threads = (unsigned)t->threads;
        g->tasks = t->tasks;
    }
    return g;
}

static void table_close(struct table *t)
{
    free(t->buf);
}

enum rcol { R_WALL = K_COUNT, R_VERIFIED, R_METRICS, R_DISTURBED };

int summary_read_results(struct summary *s, FILE *f, const char *name, struct error *e)
{
    static const char *const extra[] = { "wall_s", "verified", "metrics", "disturbed" };
    struct table t = { .f = f, .name = name, .extra = extra, .nextra = 4,
                       .optional = 1u << K_RUNTIME | 1u << R_METRICS | 1u << R_DISTURBED };
    int rc = table_open(&t, e);
    while (rc == ERR_OK && table_next(&t, e, &rc)) {
        unsigned long verified;
        double wall;
        int bad = !parse_seconds(table_field(&t, R_WALL), &wall)                 ? R_WALL
                  : !parse_count(table_field(&t, R_VERIFIED), 1, &verified) ? R_VERIFIED
                                                                            : -1;
        struct group *g = bad < 0 ? table_group(s, &t, e, &rc) : NULL;
        if (bad >= 0)
            rc = table_bad(&t, bad, e);
        if (g == NULL)
            break;
        if (!verified)
            g->all_verified = false;
        bool disturbed = strcmp(table_field(&t, R_DISTURBED), "1") == 0;
        struct reps *r = disturbed ? &g->disturbed : &g->clean;
        if (!sample_push(&r->wall, wall)) {
            rc = nomem(e);
            break;
        }
        if (t.col[R_METRICS] >= 0)
            rc = add_metrics(r, table_field(&t, R_METRICS), e);
    }
    table_close(&t);
    return rc;
}

int summary_read_failed(struct summary *s, FILE *f, const char *name, struct error *e)
{
    struct table t = { .f = f, .name = name };
    int rc = table_open(&t, e);
    while (rc == ERR_OK && table_next(&t, e, &rc)) {
        struct group *g = group_of(s, t.key, e, &rc);
        if (g == NULL)
            break;
        /* A configuration with measured rows did complete (a later attempt succeeded). */
        if (g->clean.wall.n + g->disturbed.wall.n == 0) {
            g->failed = true;
            g->threads = (unsigned)t.threads;
            g->tasks = t.tasks;
        }
    }
    table_close(&t);
    return rc;
}

/* The repetitions the statistics use: the clean ones, or, when every one was disturbed,
 * those (the row's status then says so). */
static const struct reps *used_reps(const struct group *g)
{
    return g->clean.wall.n > 0 ? &g->clean : &g->disturbed;
}

static bool has_rows(const struct group *g)
{
    return g->clean.wall.n + g->disturbed.wall.n > 0;
}

/* The sequential run a configuration's speedup divides: seq for the C builds, the plain
 * Python loop (python-seq) for bench-python's backends, so that each language is
 * measured against itself. */
static const char *reference_backend(const struct group *g)
{
    return strncmp(g->key[K_BACKEND], "python-", 7) == 0 ? "python-seq" : "seq";
}

static const struct group *seq_reference(const struct summary *s, const struct group *g)
{
    const char *ref = reference_backend(g);
    for (size_t i = 0; i < s->n; i++) {
        const struct group *r = &s->groups[i];
        if (has_rows(r) && strcmp(r->key[K_BACKEND], ref) == 0 &&
            strcmp(r->key[K_WORKLOAD], g->key[K_WORKLOAD]) == 0 &&
            strcmp(r->key[K_PARAMS], g->key[K_PARAMS]) == 0 && r->tasks == g->tasks)
            return r;
    }
    return NULL;
}

/* A sorted copy of a sample, for order statistics that must not reorder the original
 * (metrics are kept in row order). NULL when out of memory. */
static double *sorted_copy(const struct sample *smp, struct stats *st)
{
    double *copy = malloc((smp->n ? smp->n : 1) * sizeof *copy);
    if (copy == NULL)
        return NULL;
    memcpy(copy, smp->v, smp->n * sizeof *copy);
    stats_compute(copy, smp->n, st);
    return copy;
}

static double median_of(const struct sample *smp)
{
    struct stats st;
    double *copy = sorted_copy(smp, &st);
    free(copy);
    return copy != NULL ? st.median : NAN;
}

static const struct sample *metric_values(const struct reps *r, const char *name)
{
    for (size_t m = 0; m < r->nmetrics; m++)
        if (strcmp(r->metrics[m].name, name) == 0)
            return &r->metrics[m].values;
    return NULL;
}

/* noop's figure is its per-repetition overhead; the interval of its median comes from
 * those values' order statistics, as the wall time's does, and replaces the workload's
 * own per-repetition bounds (a median of bounds is not an interval of anything). */
static bool is_interval_metric(const char *workload, const char *name)
{
    return strcmp(workload, "noop") == 0 &&
           (strcmp(name, "ci_lo_us") == 0 || strcmp(name, "ci_hi_us") == 0);
}

static void write_metrics(const struct group *g, const struct reps *r, FILE *out)
{
    size_t written = 0;
    for (size_t m = 0; m < r->nmetrics; m++) {
        if (is_interval_metric(g->key[K_WORKLOAD], r->metrics[m].name))
            continue;
        fprintf(out, "%s%s=%.10g", written++ ? ";" : "", r->metrics[m].name,
                median_of(&r->metrics[m].values));
    }
    const struct sample *ov = strcmp(g->key[K_WORKLOAD], "noop") == 0
                                  ? metric_values(r, "overhead_us") : NULL;
    if (ov != NULL && ov->n >= 2) {
        struct stats st;
        double *v = sorted_copy(ov, &st);
        if (v != NULL) {
            struct stats_interval ci;
            stats_median_interval(v, ov->n, CI_LEVEL, &ci);
            fprintf(out, "%sci_lo_us=%.10g;ci_hi_us=%.10g;ci_level_us=%.4f", written++ ? ";" : "",
                    ci.lo, ci.hi, ci.level);
            free(v);
        }
    }
    if (written == 0)
        fputs("-", out);
}

/* noop's wall time holds its reference loops too: speedup, efficiency, the noisy and
 * short flags would describe those, not the construct. */
static bool wall_is_its_figure(const struct group *g)
{
    return strcmp(g->key[K_WORKLOAD], "noop") != 0;
}

static const char *status_of(const struct group *g)
{
    if (!has_rows(g))
        return g->failed ? "failed" : "missing";
    if (!g->planned)
        return g->clean.wall.n > 0 ? "ok" : "disturbed";
    if (g->clean.wall.n >= g->rule.min)
        return "ok";
    return g->disturbed.wall.n >= g->disturbed_max ? "disturbed" : "incomplete";
}

static void write_group(const struct summary *s, const struct group *g, FILE *out)
{
    for (int k = 0; k < K_COUNT; k++)
        fprintf(out, "%s,", g->key[k]);
    if (!has_rows(g)) {
        /* reps .. short are undefined; verified 0, then status and metrics. */
        fprintf(out, "-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,0,%s,-\n", status_of(g));
        return;
    }
    const struct reps *r = used_reps(g);
    struct stats st;
    double *v = sorted_copy(&r->wall, &st);
    if (v == NULL) {
        fputs("out of memory\n", out);
        return;
    }
    double cv = st.mean > 0 ? st.stddev / st.mean : 0;
    fprintf(out, "%zu,%zu,%.9f,%.9f,%.9f,%.9f,%.9f,%.4f,", st.n, g->disturbed.wall.n, st.median,
            st.min, st.max, st.mean, st.stddev, cv);
    if (st.n >= 2) {
        struct stats_interval ci;
        stats_median_interval(v, st.n, CI_LEVEL, &ci);
        fprintf(out, "%.9f,%.9f,%.4f,", ci.lo, ci.hi, ci.level);
    } else {
        fputs("-,-,-,", out);
    }
    free(v);
    bool waits = fact_of(s, g->key[K_WORKLOAD])->waits;
    double ideal = summary_ideal_speedup(waits, g->threads, g->tasks, s->cores);
    const struct group *ref = seq_reference(s, g);
    if (!wall_is_its_figure(g)) {
        fputs("-,-,-,-,-,", out);
    } else {
        if (ref != NULL && st.median > 0) {
            double speedup = median_of(&used_reps(ref)->wall) / st.median;
            fprintf(out, "%.4f,%.4f,%.4f,", speedup, ideal, speedup / ideal);
        } else {
            fprintf(out, "-,%.4f,-,", ideal);
        }
        fprintf(out, "%d,%d,", cv > NOISY_CV, st.median < (waits ? SHORT_WAITING_S : SHORT_S));
    }
    fprintf(out, "%d,%s,", g->all_verified, status_of(g));
    write_metrics(g, r, out);
    fputc('\n', out);
}

int summary_write(struct summary *s, FILE *out, struct error *e)
{
    for (size_t i = 0; i < s->n; i++)
        if (fact_of(s, s->groups[i].key[K_WORKLOAD]) == NULL)
            return error_set(e, ERR_USAGE, "workload '%s' is not among the workloads of %s",
                             s->groups[i].key[K_WORKLOAD],
                             s->facts_from ? s->facts_from : "(none given)");
    fputs("workload,backend,runtime,threads,tasks,schedule,bind,params,reps,reps_disturbed,"
          "median_s,min_s,max_s,mean_s,stddev_s,cv,ci_lo_s,ci_hi_s,ci_level,speedup,"
          "ideal_speedup,efficiency,noisy,short,verified,status,metrics\n",
          out);
    for (size_t i = 0; i < s->n; i++)
        write_group(s, &s->groups[i], out);
    if (fflush(out) != 0 || ferror(out))
        return error_set(e, ERR_RUN, "writing the summary failed");
    return ERR_OK;
}

/* ---- the plan ------------------------------------------------------------------------ */
enum pcol { P_MIN = K_COUNT, P_MAX, P_TARGET, P_DMAX };

int summary_read_plan(struct summary *s, FILE *f, const char *name, struct error *e)
{
    static const char *const extra[] = { "reps_min", "reps_max", "ci_target", "disturbed_max" };
    struct table t = { .f = f, .name = name, .extra = extra, .nextra = 4 };
    int rc = table_open(&t, e);
    while (rc == ERR_OK && table_next(&t, e, &rc)) {
        unsigned long min, max, dmax;
        double target;
        int bad = -1;
        if (!parse_count(table_field(&t, P_MIN), 1L << 20, &min) || min == 0)
            bad = P_MIN;
        else if (!parse_count(table_field(&t, P_MAX), 1L << 20, &max) || max < min)
            bad = P_MAX;
        else if (!parse_seconds(table_field(&t, P_TARGET), &target))
            bad = P_TARGET;
        else if (!parse_count(table_field(&t, P_DMAX), 1L << 20, &dmax))
            bad = P_DMAX;
        struct group *g = bad < 0 ? table_group(s, &t, e, &rc) : NULL;
        if (bad >= 0)
            rc = table_bad(&t, bad, e);
        if (g == NULL)
            break;
        g->planned = true;
        g->rule = (struct stats_rule){ .min = min, .max = max, .target = target,
                                       .level = CI_LEVEL };
        g->disturbed_max = dmax;
    }
    table_close(&t);
    return rc;
}

static size_t summary_more_needed(const struct summary *s, size_t i, size_t *clean,
                                  size_t *disturbed)
{
    const struct group *g = &s->groups[i];
    *clean = g->clean.wall.n;
    *disturbed = g->disturbed.wall.n;
    /* Past its disturbed bound a configuration is given up (status disturbed). */
    if (!g->planned || g->disturbed.wall.n >= g->disturbed_max)
        return 0;
    struct stats st;
    double *v = sorted_copy(&g->clean.wall, &st);
    if (v == NULL)
        return g->rule.min > *clean ? g->rule.min - *clean : 0;
    size_t more = stats_more_needed(v, g->clean.wall.n, &g->rule);
    free(v);
    return more;
}

int summary_write_todo(const struct summary *s, FILE *out, struct error *e)
{
    fputs("row,clean,disturbed,more\n", out);
    size_t row = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->groups[i].planned)
            continue;
        size_t clean, disturbed, more = summary_more_needed(s, i, &clean, &disturbed);
        fprintf(out, "%zu,%zu,%zu,%zu\n", ++row, clean, disturbed, more);
    }
    if (fflush(out) != 0 || ferror(out))
        return error_set(e, ERR_RUN, "writing the list of what is left failed");
    return ERR_OK;
}
