/* bench-summary: reads a run's results.csv (and its plan and record of failed
 * configurations) and writes summary.csv, or what each configuration still needs, to
 * stdout; or the statistics of a column of numbers, for scripts. The core count comes
 * from --cores or the run's meta.json. */
#include "error.h"
#include "json.h"
#include "parse.h"
#include "selfpath.h"
#include "stats.h"
#include "summary.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: bench-summary [--cores N | --meta META.json] [--workloads LIST.json]\n"
    "                     [--failed FAILED.csv] [--plan PLAN.csv] RESULTS.csv\n"
    "       bench-summary --plan PLAN.csv --todo RESULTS.csv\n"
    "       bench-summary --stats [--level L] < NUMBERS\n"
    "Writes one summary row per configuration of RESULTS.csv to stdout. With --todo:\n"
    "row,clean,disturbed,more for each configuration of PLAN.csv, how many more measured\n"
    "repetitions its rule asks for. With --stats: n,median,min,max,mean,stddev,ci_lo,\n"
    "ci_hi,ci_level of one number per line (the interval of the median at level L,\n"
    "default 0.95).\n"
    "Which workloads wait rather than compute (their ideal speedup) comes from LIST.json\n"
    "(bin/bench-seq --list --format json), else from META.json's \"workloads\", else from\n"
    "the bench-seq beside bench-summary.\n";

/* The statistics of one number per line on stdin, as summary.csv computes them. */
static int print_stats(double level, struct error *e)
{
    double *v = NULL, x;
    size_t n = 0, cap = 0;
    char line[128];
    long lineno = 0;
    while (fgets(line, sizeof line, stdin) != NULL) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        char *end;
        x = strtod(line, &end);
        if (*end != '\0' || !isfinite(x)) {
            free(v);
            return error_set(e, ERR_USAGE, "--stats: line %ld: expected a number, got '%s'",
                             lineno, line);
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            double *nv = realloc(v, cap * sizeof *nv);
            if (nv == NULL) {
                free(v);
                return error_set(e, ERR_RUN, "out of memory");
            }
            v = nv;
        }
        v[n++] = x;
    }
    if (n == 0) {
        free(v);
        return error_set(e, ERR_USAGE, "--stats: no numbers on stdin");
    }
    struct stats st;
    stats_compute(v, n, &st);
    printf("n,median,min,max,mean,stddev,ci_lo,ci_hi,ci_level\n");
    printf("%zu,%.10g,%.10g,%.10g,%.10g,%.10g,", st.n, st.median, st.min, st.max, st.mean,
           st.stddev);
    if (n >= 2) {
        struct stats_interval ci;
        stats_median_interval(v, n, level, &ci);
        printf("%.10g,%.10g,%.4f\n", ci.lo, ci.hi, ci.level);
    } else {
        printf("-,-,-\n");
    }
    free(v);
    return ERR_OK;
}

/* The whole of a stream, NUL-terminated; NULL when out of memory or unreadable. */
static char *slurp(FILE *f)
{
    size_t len = 0, cap = 4096;
    char *text = malloc(cap);
    for (size_t got; text != NULL && (got = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += got;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(text, 2 * cap);
            if (bigger == NULL)
                free(text);
            text = bigger;
            cap *= 2;
        }
    }
    if (text != NULL && ferror(f)) {
        free(text);
        return NULL;
    }
    if (text != NULL)
        text[len] = '\0';
    return text;
}

/* Parses the JSON document of a file; what says which option named it. */
static int read_json(const char *what, const char *path, struct json **out, struct error *e)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(e, ERR_USAGE, "%s: cannot open %s", what, path);
    char *text = slurp(f);
    fclose(f);
    if (text == NULL)
        return error_set(e, ERR_RUN, "%s: cannot read %s", what, path);
    char name[320];
    snprintf(name, sizeof name, "%s %s", what, path);
    int rc = json_parse(text, name, out, e);
    free(text);
    return rc;
}

/* The top-level "cores" count of the run's meta.json. */
static int cores_from_meta(const struct json *meta, const char *path, unsigned *cores,
                           struct error *e)
{
    const struct json *c = json_get(meta, "cores");
    if (c == NULL || c->type != JSON_NUMBER || c->number < 1 || c->number > (1 << 20) ||
        c->number != (double)(unsigned)c->number)
        return error_set(e, ERR_USAGE, "--meta: %s has no \"cores\": N entry", path);
    *cores = (unsigned)c->number;
    return ERR_OK;
}

/* The workloads' facts when neither --workloads nor meta.json has them: from the
 * binary that owns them, bench-seq, beside this one. */
static int workloads_from_binary(struct summary *s, struct error *e)
{
    char dir[4096], cmd[4200];
    int rc = selfpath_dir(dir, sizeof dir, e);
    if (rc != ERR_OK)
        return rc;
    if (strchr(dir, '\'') != NULL)
        return error_set(e, ERR_RUN, "cannot run bench-seq from %s (a quote in the path)", dir);
    snprintf(cmd, sizeof cmd, "'%s/bench-seq' --list --format json", dir);
    FILE *p = popen(cmd, "r");
    char *text = p != NULL ? slurp(p) : NULL;
    int status = p != NULL ? pclose(p) : -1;
    if (text == NULL || status != 0) {
        free(text);
        return error_set(e, ERR_USAGE, "no workload facts: give --workloads LIST.json or a "
                         "--meta with \"workloads\" (%s/bench-seq --list --format json "
                         "failed)", dir);
    }
    char name[4200];
    snprintf(name, sizeof name, "%s/bench-seq --list --format json", dir);
    struct json *list = NULL;
    rc = json_parse(text, name, &list, e);
    free(text);
    if (rc == ERR_OK)
        rc = summary_read_workloads(s, list, name, e);
    json_free(list);
    return rc;
}

typedef int reader_fn(struct summary *s, FILE *f, const char *name, struct error *e);

static int read_file(struct summary *s, const char *path, reader_fn *read, struct error *e)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(e, ERR_USAGE, "cannot open %s", path);
    int rc = read(s, f, path, e);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "cores", required_argument, NULL, 'c' },
        { "meta", required_argument, NULL, 'm' },
        { "workloads", required_argument, NULL, 'W' },
        { "failed", required_argument, NULL, 'f' },
        { "plan", required_argument, NULL, 'p' },
        { "todo", no_argument, NULL, 't' },
        { "stats", no_argument, NULL, 's' },
        { "level", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct error e = { "" };
    const char *meta = NULL, *failed = NULL, *plan = NULL, *list_path = NULL;
    bool todo = false, stats = false;
    double level = 0.95;
    unsigned cores = 0;
    long v;
    int c, rc = ERR_OK;
    opterr = 0;
    while (rc == ERR_OK && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!parse_long(optarg, 1, 1 << 20, &v))
                rc = error_set(&e, ERR_USAGE, "--cores: expected a count from 1, got '%s'",
                               optarg);
            cores = (unsigned)v;
            break;
        case 'm': meta = optarg; break;
        case 'W': list_path = optarg; break;
        case 'f': failed = optarg; break;
        case 'p': plan = optarg; break;
        case 't': todo = true; break;
        case 's': stats = true; break;
        case 'l': {
            char *end;
            level = strtod(optarg, &end);
            if (*end != '\0' || !(level > 0 && level < 1))
                rc = error_set(&e, ERR_USAGE, "--level: expected a number between 0 and 1, "
                               "got '%s'", optarg);
            break;
        }
        case 'h': fputs(usage, stdout); return 0;
        default:
            rc = error_set(&e, ERR_USAGE, "unknown option '%s'; see --help", argv[optind - 1]);
        }
    }
    if (rc == ERR_OK && stats) {
        if (optind != argc)
            rc = error_set(&e, ERR_USAGE, "--stats reads stdin and takes no file; see --help");
        else
            rc = print_stats(level, &e);
        if (rc != ERR_OK)
            fprintf(stderr, "bench-summary: %s\n", e.msg);
        return rc;
    }
    if (rc == ERR_OK && optind != argc - 1)
        rc = error_set(&e, ERR_USAGE, "expected one RESULTS.csv; see --help");
    if (rc == ERR_OK && todo && plan == NULL)
        rc = error_set(&e, ERR_USAGE, "--todo needs --plan PLAN.csv");
    /* --todo needs no cores: it judges repetitions, not speedups. */
    if (rc == ERR_OK && cores == 0 && meta == NULL && !todo)
        rc = error_set(&e, ERR_USAGE, "give --cores N or --meta META.json");
    struct json *meta_json = NULL, *list = NULL;
    if (rc == ERR_OK && meta != NULL && !todo)
        rc = read_json("--meta", meta, &meta_json, &e);
    if (rc == ERR_OK && cores == 0 && !todo)
        rc = cores_from_meta(meta_json, meta, &cores, &e);

    struct summary *s = NULL;
    if (rc == ERR_OK)
        rc = summary_create(&s, cores ? cores : 1, &e);
    /* --todo judges repetitions only: it needs no workload facts. */
    if (rc == ERR_OK && !todo && list_path != NULL) {
        rc = read_json("--workloads", list_path, &list, &e);
        if (rc == ERR_OK)
            rc = summary_read_workloads(s, list, list_path, &e);
    } else if (rc == ERR_OK && !todo && json_get(meta_json, "workloads") != NULL) {
        char name[4200];
        snprintf(name, sizeof name, "%s (\"workloads\")", meta);
        rc = summary_read_workloads(s, json_get(meta_json, "workloads"), name, &e);
    } else if (rc == ERR_OK && !todo) {
        rc = workloads_from_binary(s, &e);
    }
    json_free(meta_json);
    json_free(list);
    if (rc == ERR_OK && plan != NULL)
        rc = read_file(s, plan, summary_read_plan, &e);
    if (rc == ERR_OK)
        rc = read_file(s, argv[optind], summary_read_results, &e);
    if (rc == ERR_OK && failed != NULL)
        rc = read_file(s, failed, summary_read_failed, &e);
    if (rc == ERR_OK)
        rc = todo ? summary_write_todo(s, stdout, &e) : summary_write(s, stdout, &e);
    summary_free(s);
    if (rc != ERR_OK)
        fprintf(stderr, "bench-summary: %s\n", e.msg);
    return rc;
}
