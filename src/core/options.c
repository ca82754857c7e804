/* Parsing of the command line and of the OMP_* variables, with one table of options so
 * that --help and the parser cannot disagree. */
#include "options.h"

#include "interference.h"
#include "parse.h"
#include "topology.h"
#include "waitpolicy.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS_ACCEPTS "an integer from 1 to 65536"
#define FORMAT_ACCEPTS "csv, json or human"
#define WAIT_QUIET_ACCEPTS "seconds, a number from 0 to 3600"
#define FOREIGN_LIMIT_ACCEPTS "a fraction of the spare CPUs, a number from 0.001 to 10"

static bool parse_counters(const char *text, enum counters_level *out)
{
    static const char *const names[] = { "none", "software", "all" };
    for (int k = 0; k < 3; k++)
        if (strcmp(text, names[k]) == 0) {
            *out = (enum counters_level)k;
            return true;
        }
    return false;
}

/* A positive decimal number within [lo, hi]. */
static bool parse_number(const char *text, double lo, double hi, double *out)
{
    char *end;
    if (text[0] == '\0')
        return false;
    double v = strtod(text, &end);
    if (*end != '\0' || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static const struct option long_options[] = {
    { "threads", required_argument, NULL, 't' },
    { "tasks", required_argument, NULL, 'n' },
    { "reps", required_argument, NULL, 'r' },
    { "warmup", required_argument, NULL, 'w' },
    { "schedule", required_argument, NULL, 's' },
    { "bind", required_argument, NULL, 'b' },
    { "param", required_argument, NULL, 'p' },
    { "format", required_argument, NULL, 'F' },
    { "wait-quiet", required_argument, NULL, 'Q' },
    { "counters", required_argument, NULL, 'C' },
    { "list", no_argument, NULL, 'L' },
    { "describe", no_argument, NULL, 'D' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};
static const char short_options[] = ":t:n:r:w:s:b:p:h";

/* How each option is named in messages and what it accepts. */
static const char *option_name(int c)
{
    switch (c) {
    case 't': return "-t/--threads";
    case 'n': return "-n/--tasks";
    case 'r': return "-r/--reps";
    case 'w': return "-w/--warmup";
    case 's': return "-s/--schedule";
    case 'b': return "-b/--bind";
    case 'p': return "-p/--param";
    case 'F': return "--format";
    case 'Q': return "--wait-quiet";
    case 'C': return "--counters";
    default: return "option";
    }
}

static const char *option_accepts(int c)
{
    switch (c) {
    case 't': return THREADS_ACCEPTS;
    case 'n': return "an integer from 0 to 100000000";
    case 'r': return "an integer from 1 to 1000000";
    case 'w': return "an integer from 0 to 1000000";
    case 's': return SCHEDULE_ACCEPTS;
    case 'b': return AFFINITY_ACCEPTS;
    case 'p': return "NAME=VALUE (see --list)";
    case 'F': return FORMAT_ACCEPTS;
    case 'Q': return WAIT_QUIET_ACCEPTS;
    case 'C': return COUNTERS_ACCEPTS;
    default: return "a value";
    }
}

static int bad_value(int c, const char *got, struct error *e)
{
    return error_set(e, ERR_USAGE, "%s: expected %s, got '%s'", option_name(c),
                     option_accepts(c), got);
}

/* A pinning policy from -b or BENCH_BIND: its syntax, then its PUs against the ones this
 * process may use, which every message lists. */
static int parse_bind(const char *from, const char *text, struct affinity_policy *out,
                      struct error *e)
{
    struct error why;
    int rc = affinity_parse(text, out, &why);
    hwloc_topology_t t;
    if (rc == ERR_OK && out->kind != AFFINITY_LIST)
        return ERR_OK;
    int trc = topology_get(&t, e);
    if (trc != ERR_OK)
        return trc;
    if (rc == ERR_OK) {
        rc = affinity_check(t, out, &why);
        if (rc == ERR_OK)
            return ERR_OK;
        return error_set(e, rc, "%s: %s", from, why.msg);
    }
    char allowed[256];
    affinity_allowed_text(t, allowed, sizeof allowed);
    return error_set(e, rc, "%s: %s; expected %s, of the allowed PUs %s", from, why.msg,
                     AFFINITY_ACCEPTS, allowed);
}

bool options_parse_threads_env(const char *text, long *out)
{
    /* As libgomp: items separated by commas, spaces allowed around each number; every
     * item must be valid, and the first is the team size of the outermost level. */
    long first = 0;
    const char *p = text;
    bool have = false;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *digits = p;
        while (*p >= '0' && *p <= '9')
            p++;
        size_t len = (size_t)(p - digits);
        char num[24];
        long v;
        if (len == 0 || len >= sizeof num)
            return false;
        memcpy(num, digits, len);
        num[len] = '\0';
        if (!parse_long(num, 1, THREADS_MAX, &v))
            return false;
        if (!have) {
            first = v;
            have = true;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (*p != ',')
            return false;
        p++;
    }
    *out = first;
    return true;
}

int options_check_env(const char *name, const char *value, struct error *e)
{
    if (strcmp(name, "OMP_NUM_THREADS") == 0) {
        long v;
        if (!options_parse_threads_env(value, &v))
            return error_set(e, ERR_USAGE,
                             "OMP_NUM_THREADS: expected %s (or a comma-separated list of "
                             "them, the first is used), got '%s'",
                             THREADS_ACCEPTS, value);
    } else if (strcmp(name, "OMP_SCHEDULE") == 0) {
        struct schedule s;
        if (!schedule_parse(value, &s))
            return error_set(e, ERR_USAGE, "OMP_SCHEDULE: expected %s, got '%s'",
                             SCHEDULE_ACCEPTS, value);
    } else if (waitpolicy_reads(name)) {
        return waitpolicy_check_env(name, value, e);
    } else if (strcmp(name, "BENCH_COUNTERS") == 0) {
        enum counters_level l;
        if (!parse_counters(value, &l))
            return error_set(e, ERR_USAGE, "BENCH_COUNTERS: expected %s, got '%s'",
                             COUNTERS_ACCEPTS, value);
    } else if (strcmp(name, "BENCH_FOREIGN_LIMIT") == 0) {
        double v;
        if (!parse_number(value, 0.001, 10, &v))
            return error_set(e, ERR_USAGE, "BENCH_FOREIGN_LIMIT: expected %s, got '%s'",
                             FOREIGN_LIMIT_ACCEPTS, value);
    }
    return ERR_OK;
}

/* Reads the environment's defaults; the command line overrides them afterwards. A bad
 * value is an error even when a flag overrides it, as the OpenMP runtime would warn. */
static int read_env(struct options *o, struct error *e)
{
    static const char *const names[] = { "OMP_NUM_THREADS", "OMP_SCHEDULE", "OMP_WAIT_POLICY",
                                         "BENCH_SPINCOUNT", "BENCH_FOREIGN_LIMIT",
                                         "BENCH_COUNTERS" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *v = getenv(names[k]);
        if (v == NULL)
            continue;
        int rc = options_check_env(names[k], v, e);
        if (rc != ERR_OK)
            return rc;
    }
    const char *threads = getenv("OMP_NUM_THREADS");
    if (threads != NULL && options_parse_threads_env(threads, &o->threads))
        o->threads_from = "OMP_NUM_THREADS";
    const char *sched = getenv("OMP_SCHEDULE");
    if (sched != NULL && schedule_parse(sched, &o->schedule))
        o->schedule_from = "OMP_SCHEDULE";
    const char *counters = getenv("BENCH_COUNTERS");
    if (counters != NULL)
        parse_counters(counters, &o->counters);
    const char *limit = getenv("BENCH_FOREIGN_LIMIT");
    if (limit != NULL)
        parse_number(limit, 0.001, 10, &o->foreign_limit);
    const char *bind = getenv("BENCH_BIND");
    if (bind != NULL) {
        int rc = parse_bind("BENCH_BIND", bind, &o->bind, e);
        if (rc != ERR_OK)
            return rc;
        o->bind_from = "BENCH_BIND";
    }
    return ERR_OK;
}

int options_parse(int argc, char **argv, struct options *o, struct error *e)
{
    *o = (struct options){
        .action = ACTION_RUN,
        .tasks = -1,
        .reps = 5,
        .warmup = 1,
        .schedule = { .kind = SCHED_STATIC, .chunk = 0 },
        .bind = { .kind = AFFINITY_NONE },
        .format = FORMAT_CSV,
        .foreign_limit = INTERFERENCE_LIMIT_DEFAULT,
        .counters = COUNTERS_SOFTWARE,
    };
    int rc = read_env(o, e);
    if (rc != ERR_OK)
        return rc;

    /* -p values need the workload's table, which may come after them on the line. */
    const char *assignments[64];
    size_t nassign = 0;

    opterr = 0;
    optind = 0; /* GNU getopt: start afresh, so the parser can run more than once */
    int c;
    while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        switch (c) {
        case 't':
            if (!parse_long(optarg, 1, THREADS_MAX, &o->threads))
                return bad_value(c, optarg, e);
            o->threads_from = "-t";
            break;
        case 'n':
            if (!parse_long(optarg, 0, TASKS_MAX, &o->tasks))
                return bad_value(c, optarg, e);
            break;
        case 'r':
            if (!parse_long(optarg, 1, REPS_MAX, &o->reps))
                return bad_value(c, optarg, e);
            break;
        case 'w':
            if (!parse_long(optarg, 0, REPS_MAX, &o->warmup))
                return bad_value(c, optarg, e);
            break;
        case 's':
            if (!schedule_parse(optarg, &o->schedule))
                return bad_value(c, optarg, e);
            o->schedule_from = "-s";
            break;
        case 'b':
            rc = parse_bind(option_name(c), optarg, &o->bind, e);
            if (rc != ERR_OK)
                return rc;
            o->bind_from = "-b";
            break;
        case 'p':
            if (nassign == sizeof assignments / sizeof assignments[0])
                return error_set(e, ERR_USAGE, "-p/--param: at most %zu assignments",
                                 nassign);
            assignments[nassign++] = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "csv") == 0)
                o->format = FORMAT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = FORMAT_JSON;
            else if (strcmp(optarg, "human") == 0)
                o->format = FORMAT_HUMAN;
            else
                return bad_value(c, optarg, e);
            o->format_given = true;
            break;
        case 'Q':
            if (!parse_number(optarg, 0, 3600, &o->wait_quiet_s))
                return bad_value(c, optarg, e);
            break;
        case 'C':
            if (!parse_counters(optarg, &o->counters))
                return bad_value(c, optarg, e);
            break;
        case 'L':
            o->action = ACTION_LIST;
            return ERR_OK;
        case 'D':
            o->action = ACTION_DESCRIBE;
            return ERR_OK;
        case 'h':
            o->action = ACTION_HELP;
            return ERR_OK;
        case ':':
            return error_set(e, ERR_USAGE, "%s needs a value: %s", option_name(optopt),
                             option_accepts(optopt));
        default:
            if (optopt != 0)
                return error_set(e, ERR_USAGE, "unknown option '-%c' (see --help)", optopt);
            return error_set(e, ERR_USAGE, "unknown option '%s' (see --help)",
                             argv[optind - 1]);
        }
    }

    if (optind >= argc)
        return error_set(e, ERR_USAGE, "no workload given (see --list)");
    if (optind + 1 < argc)
        return error_set(e, ERR_USAGE, "one workload at a time, got '%s' and '%s'",
                         argv[optind], argv[optind + 1]);
    o->workload = workload_find(argv[optind]);
    if (o->workload == NULL) {
        char names[256] = "";
        size_t used = 0;
        for (size_t k = 0; k < workloads_count && used < sizeof names; k++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     k ? ", " : "", workloads[k]->name);
        return error_set(e, ERR_USAGE, "unknown workload '%s' (known: %s)", argv[optind],
                         names);
    }
    params_init(&o->params, o->workload->params, o->workload->nparams);
    for (size_t k = 0; k < nassign; k++) {
        rc = params_set(&o->params, o->workload->name, assignments[k], e);
        if (rc != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

void options_print_help(const char *prog)
{
    printf("Usage: %s WORKLOAD [-t THREADS] [-n TASKS] [-r REPS] [-w WARMUP]\n"
           "       %*s [-s SCHEDULE] [-b BIND] [-p NAME=VALUE ...] [--format csv|json|human]\n"
           "       %s --list | --describe | --help\n\n"
           "Runs TASKS independent tasks of WORKLOAD, REPS times after WARMUP unmeasured\n"
           "repetitions, and writes one result row per measured repetition to stdout.\n\n"
           "  -t, --threads N     threads doing the work (default: OMP_NUM_THREADS, else\n"
           "                      the processing units hwloc reports)\n"
           "  -n, --tasks N       number of tasks (default: the workload's, see --list)\n"
           "  -r, --reps N        measured repetitions (default 5)\n"
           "  -w, --warmup N      unmeasured repetitions first (default 1)\n"
           "  -s, --schedule S    static|dynamic|guided[,CHUNK] (default: OMP_SCHEDULE,\n"
           "                      else static)\n"
           "  -b, --bind POLICY   thread pinning: none, core, pu, compact, spread or a list\n"
           "                      of PU OS indexes such as 0,2,4-7 (default: BENCH_BIND,\n"
           "                      else none); see docs/pinning.md\n"
           "  -p, --param N=V     a workload parameter (repeatable; see --list)\n"
           "      --format F      csv (default), json or human\n"
           "      --wait-quiet S  before the first repetition, wait up to S seconds for\n"
           "                      the machine to be quiet (see docs/suite.md)\n"
           "      --counters L    kernel counters per repetition: none, software (default:\n"
           "                      BENCH_COUNTERS, else software) or all (with hardware\n"
           "                      ones where the machine has them); see docs/counters.md\n"
           "      --list          workloads, their parameters and defaults\n"
           "      --describe      the machine and the build, as JSON\n"
           "      --help          this text\n\n"
           "Every row records the machine's interference (steal, foreign CPU, CPU pressure,\n"
           "involuntary switches) and is marked disturbed when foreign CPU and steal exceed\n"
           "BENCH_FOREIGN_LIMIT (default 0.10) of the CPUs the run left spare.\n\n"
           "Exit status: 0 verified, 1 the run failed (verification, I/O, threads),\n"
           "2 bad usage or environment value.\n",
           prog, (int)strlen(prog), "", prog);
}

void options_print_list(void)
{
    for (size_t k = 0; k < workloads_count; k++) {
        const struct workload *w = workloads[k];
        printf("%s (bound by %s, %ld tasks by default): %s\n", w->name, w->bound,
               w->default_tasks, w->summary);
        for (size_t j = 0; j < w->nparams; j++) {
            char accepts[256];
            params_describe(&w->params[j], accepts, sizeof accepts);
            printf("    -p %s=%s  %s; %s\n", w->params[j].name, w->params[j].def,
                   w->params[j].help, accepts);
        }
    }
}
