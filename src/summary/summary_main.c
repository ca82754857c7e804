/* bench-summary: reads a run's results.csv (and its plan and record of failed
 * configurations) and writes summary.csv, or what each configuration still needs, to
 * stdout; or the statistics of a column of numbers, for scripts. The core count comes
 * from --cores or the run's meta.json. */
#include "error.h"
#include "parse.h"
#include "stats.h"
#include "summary.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: bench-summary [--cores N | --meta META.json] [--failed FAILED.csv]\n"
    "                     [--plan PLAN.csv] RESULTS.csv\n"
    "       bench-summary --plan PLAN.csv --todo RESULTS.csv\n"
    "       bench-summary --stats [--level L] < NUMBERS\n"
    "Writes one summary row per configuration of RESULTS.csv to stdout. With --todo:\n"
    "row,clean,disturbed,more for each configuration of PLAN.csv, how many more measured\n"
    "repetitions its rule asks for. With --stats: n,median,min,max,mean,stddev,ci_lo,\n"
    "ci_hi,ci_level of one number per line (the interval of the median at level L,\n"
    "default 0.95).\n";

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
        size_t lo, hi;
        double got = stats_median_ci(n, level, &lo, &hi);
        printf("%.10g,%.10g,%.4f\n", v[lo], v[hi], got);
    } else {
        printf("-,-,-\n");
    }
    free(v);
    return ERR_OK;
}

/* Reads the top-level "cores" number of the run's meta.json. The file is the runner's
 * own output (written by jq), so a key search is enough; anything else is refused. */
static int cores_from_meta(const char *path, unsigned *cores, struct error *e)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(e, ERR_USAGE, "--meta: cannot open %s", path);
    char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *p = strstr(text, "\"cores\"");
    long v;
    char digits[24] = "";
    if (p != NULL) {
        p += strlen("\"cores\"");
        p += strspn(p, " \t\r\n");
        if (*p == ':') {
            p++;
            p += strspn(p, " \t\r\n");
            size_t len = strspn(p, "0123456789");
            if (len > 0 && len < sizeof digits)
                memcpy(digits, p, len);
        }
    }
    if (!parse_long(digits, 1, 1 << 20, &v))
        return error_set(e, ERR_USAGE, "--meta: %s has no \"cores\": N entry", path);
    *cores = (unsigned)v;
    return ERR_OK;
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
        { "failed", required_argument, NULL, 'f' },
        { "plan", required_argument, NULL, 'p' },
        { "todo", no_argument, NULL, 't' },
        { "stats", no_argument, NULL, 's' },
        { "level", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct error e = { "" };
    const char *meta = NULL, *failed = NULL, *plan = NULL;
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
    if (rc == ERR_OK && cores == 0 && !todo)
        rc = cores_from_meta(meta, &cores, &e);

    struct summary *s = NULL;
    if (rc == ERR_OK)
        rc = summary_create(&s, cores ? cores : 1, &e);
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
