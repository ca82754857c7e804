/* One table of options drives getopt (the long options and the short-option string),
 * the names and accepted values that messages give, which options go with which action,
 * and --help, so that none of them can disagree with another. */
#include "options.h"

#include "helptext.h"
#include "parse.h"
#include "policy.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TASKS_MAX 100000000L
#define REPS_MAX 1000000L
#define WAIT_QUIET_MAX 3600

enum opt_id {
    OPT_THREADS, OPT_TASKS, OPT_REPS, OPT_WARMUP, OPT_SCHEDULE, OPT_BIND, OPT_PARAM,
    OPT_FORMAT, OPT_WAIT_QUIET, OPT_COUNTERS, OPT_CHECK, OPT_CHECK_ENV, OPT_LIST, OPT_DESCRIBE, OPT_HELP,
    OPT_COUNT
};

enum opt_kind {
    KIND_LONG,   /* an integer from min to max, stored at offset */
    KIND_DOUBLE, /* a number from min to max, stored at offset */
    KIND_OTHER,  /* parsed by its own case below */
    KIND_ACTION, /* selects the action `action` */
};

#define ACT(a) (1u << (a))
#define FOR_RUNS (ACT(ACTION_RUN) | ACT(ACTION_CHECK))

struct opt_spec {
    const char *name; /* the long option */
    char letter;      /* the short option, or 0 */
    const char *arg;  /* the value's name in --help; NULL for a flag */
    enum opt_kind kind;
    long min, max;
    size_t offset;
    const char *accepts; /* what the value may be; NULL for KIND_LONG (said by min, max) */
    const char *help;
    unsigned goes_with; /* the actions it may be given with (ACT bits) */
    enum action action; /* KIND_ACTION: the action it selects */
};

static const char *const format_names[] = {
    [FORMAT_CSV] = "csv", [FORMAT_JSON] = "json", [FORMAT_HUMAN] = "human"
};

static const struct opt_spec specs[OPT_COUNT] = {
    [OPT_THREADS] = { "threads", 't', "N", KIND_LONG, 1, THREADS_MAX,
                      offsetof(struct options, threads), NULL,
                      "threads doing the work (default: OMP_NUM_THREADS, else the processing "
                      "units hwloc reports); the pool's calling thread is one of them",
                      FOR_RUNS, ACTION_RUN },
    [OPT_TASKS] = { "tasks", 'n', "N", KIND_LONG, 0, TASKS_MAX,
                    offsetof(struct options, tasks), NULL,
                    "independent tasks per repetition (default: the workload's, see --list)",
                    FOR_RUNS, ACTION_RUN },
    [OPT_REPS] = { "reps", 'r', "N", KIND_LONG, 1, REPS_MAX, offsetof(struct options, reps),
                   NULL, "measured repetitions, one result row each (default 5)", FOR_RUNS,
                   ACTION_RUN },
    [OPT_WARMUP] = { "warmup", 'w', "N", KIND_LONG, 0, REPS_MAX,
                     offsetof(struct options, warmup), NULL,
                     "unmeasured repetitions first (default 1)", FOR_RUNS, ACTION_RUN },
    [OPT_SCHEDULE] = { "schedule", 's', "S", KIND_OTHER, 0, 0, 0, SCHEDULE_ACCEPTS,
                       "loop schedule, OpenMP's meaning in every build (default: "
                       "OMP_SCHEDULE, else static)",
                       FOR_RUNS, ACTION_RUN },
    [OPT_BIND] = { "bind", 'b', "POLICY", KIND_OTHER, 0, 0, 0, AFFINITY_ACCEPTS,
                   "thread pinning with hwloc, see docs/pinning.md (default: BENCH_BIND, "
                   "else none)",
                   FOR_RUNS, ACTION_RUN },
    [OPT_PARAM] = { "param", 'p', "N=V", KIND_OTHER, 0, 0, 0,
                    "NAME=VALUE, a parameter of the workload (see --list)",
                    "a workload parameter (repeatable)", FOR_RUNS, ACTION_RUN },
    [OPT_FORMAT] = { "format", 0, "F", KIND_OTHER, 0, 0, 0, "csv, json or human",
                     "result rows as csv (default), json or human; --list writes human "
                     "(default) or json",
                     FOR_RUNS | ACT(ACTION_LIST), ACTION_RUN },
    [OPT_WAIT_QUIET] = { "wait-quiet", 0, "S", KIND_DOUBLE, 0, WAIT_QUIET_MAX,
                         offsetof(struct options, wait_quiet_s),
                         "seconds, a number from 0 to 3600",
                         "before the first repetition, wait up to S seconds for the machine "
                         "to be quiet (see docs/suite.md)",
                         FOR_RUNS, ACTION_RUN },
    [OPT_COUNTERS] = { "counters", 0, "L", KIND_OTHER, 0, 0, 0, COUNTERS_ACCEPTS,
                       "kernel counters per repetition, all with hardware ones where the "
                       "machine has them; see docs/counters.md (default: BENCH_COUNTERS, "
                       "else software, except none for noop)",
                       FOR_RUNS, ACTION_RUN },
    [OPT_CHECK] = { "check", 0, NULL, KIND_ACTION, 0, 0, 0, NULL,
                    "check the options, the workload and its parameters (both optional) and "
                    "the environment as a run would, run nothing: exit 0 in silence, or 2 "
                    "with the run's one line",
                    0, ACTION_CHECK },
    [OPT_CHECK_ENV] = { "check-env", 0, NULL, KIND_ACTION, 0, 0, 0, NULL,
                        "check the environment alone, as --check does", 0,
                        ACTION_CHECK_ENV },
    [OPT_LIST] = { "list", 0, NULL, KIND_ACTION, 0, 0, 0, NULL,
                   "workloads, their parameters and defaults", 0, ACTION_LIST },
    [OPT_DESCRIBE] = { "describe", 0, NULL, KIND_ACTION, 0, 0, 0, NULL,
                       "the machine and the build, as JSON", 0, ACTION_DESCRIBE },
    [OPT_HELP] = { "help", 'h', NULL, KIND_ACTION, 0, 0, 0, NULL, "this text", 0,
                   ACTION_HELP },
};

/* getopt's value for an option: its letter, or a number past every character. */
static int opt_value(enum opt_id id)
{
    return specs[id].letter ? specs[id].letter : 256 + (int)id;
}

static int opt_from_value(int c)
{
    for (int id = 0; id < OPT_COUNT; id++)
        if (opt_value((enum opt_id)id) == c)
            return id;
    return -1;
}

/* "-t/--threads" or "--format". */
static const char *opt_name(enum opt_id id)
{
    static char buf[64];
    if (specs[id].letter)
        snprintf(buf, sizeof buf, "-%c/--%s", specs[id].letter, specs[id].name);
    else
        snprintf(buf, sizeof buf, "--%s", specs[id].name);
    return buf;
}

static const char *opt_accepts(enum opt_id id)
{
    static char buf[256];
    if (specs[id].kind == KIND_LONG) {
        parse_describe_long(specs[id].min, specs[id].max, buf, sizeof buf);
        return buf;
    }
    return specs[id].accepts;
}

static int bad_value(enum opt_id id, const char *got, struct error *e)
{
    char name[64];
    snprintf(name, sizeof name, "%s", opt_name(id));
    return error_set(e, ERR_USAGE, "%s: expected %s, got '%s'", name, opt_accepts(id), got);
}

/* The long options and the short-option string, from the table. */
static void build_getopt(struct option *longopts, char *shortopts)
{
    char *s = shortopts;
    *s++ = ':'; /* a missing value is ':', not '?' */
    for (int id = 0; id < OPT_COUNT; id++) {
        const struct opt_spec *o = &specs[id];
        longopts[id] = (struct option){ o->name, o->arg ? required_argument : no_argument,
                                        NULL, opt_value((enum opt_id)id) };
        if (o->letter) {
            *s++ = o->letter;
            if (o->arg)
                *s++ = ':';
        }
    }
    longopts[OPT_COUNT] = (struct option){ NULL, 0, NULL, 0 };
    *s = '\0';
}

static const char *action_option(enum action a)
{
    for (int id = 0; id < OPT_COUNT; id++)
        if (specs[id].kind == KIND_ACTION && specs[id].action == a)
            return opt_name((enum opt_id)id);
    return "a run";
}

/* The value of an option the table cannot store by itself. */
static int parse_other(enum opt_id id, const char *arg, struct options *o, const char **assign,
                       size_t *nassign, size_t maxassign, struct error *e)
{
    switch (id) {
    case OPT_SCHEDULE:
        if (!schedule_parse(arg, &o->schedule))
            return bad_value(id, arg, e);
        return ERR_OK;
    case OPT_BIND:
        return policy_accept(opt_name(id), arg, &o->bind, e);
    case OPT_PARAM:
        if (*nassign == maxassign)
            return error_set(e, ERR_USAGE, "-p/--param: at most %zu assignments", maxassign);
        assign[(*nassign)++] = arg;
        return ERR_OK;
    case OPT_FORMAT:
        for (size_t k = 0; k < sizeof format_names / sizeof *format_names; k++)
            if (strcmp(arg, format_names[k]) == 0) {
                o->format = (enum format)k;
                return ERR_OK;
            }
        return bad_value(id, arg, e);
    case OPT_COUNTERS:
        return counters_parse_level(arg, &o->counters) ? ERR_OK : bad_value(id, arg, e);
    default:
        return ERR_OK;
    }
}

static int unknown_workload(const char *name, struct error *e)
{
    char names[256] = "";
    size_t used = 0;
    for (size_t k = 0; k < workloads_count && used < sizeof names; k++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                                 workloads[k]->name);
    return error_set(e, ERR_USAGE, "unknown workload '%s' (known: %s)", name, names);
}

/* Each option fits the action; the workload is there when the action needs one. */
static int check_combination(const struct options *o, const bool *given, int argc, char **argv,
                             struct error *e)
{
    for (int id = 0; id < OPT_COUNT; id++) {
        if (!given[id] || specs[id].kind == KIND_ACTION ||
            (specs[id].goes_with & ACT(o->action)))
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s", opt_name((enum opt_id)id));
        return error_set(e, ERR_USAGE, "%s does not go with %s (see --help)", name,
                         action_option(o->action));
    }
    int words = argc - optind;
    if (o->action == ACTION_RUN && words == 0)
        return error_set(e, ERR_USAGE, "no workload given (see --list)");
    if ((o->action == ACTION_RUN || o->action == ACTION_CHECK) && words > 1)
        return error_set(e, ERR_USAGE, "one workload at a time, got '%s' and '%s'",
                         argv[optind], argv[optind + 1]);
    if (o->action != ACTION_RUN && o->action != ACTION_CHECK && words > 0)
        return error_set(e, ERR_USAGE, "%s takes no workload, got '%s'",
                         action_option(o->action), argv[optind]);
    if (o->action == ACTION_LIST && o->format == FORMAT_CSV && given[OPT_FORMAT])
        return error_set(e, ERR_USAGE, "--format: --list writes human or json, got 'csv'");
    return ERR_OK;
}

/* Where the OpenMP runtime places the threads, a pinning policy cannot apply as well:
 * refused rather than dropped, so that two configurations never record the same bind. */
static int check_runtime_places(const struct options *o, const bool *given, struct error *e)
{
    if (!backend_openmp || o->env.runtime_places[0] == '\0' || o->bind.kind == AFFINITY_NONE)
        return ERR_OK;
    char policy[256];
    affinity_format(&o->bind, policy, sizeof policy);
    return error_set(e, ERR_USAGE,
                     "%s: policy '%s' cannot apply while %s makes the OpenMP runtime place "
                     "the threads; give none, or unset the runtime's variables "
                     "(OMP_PROC_BIND=false alone leaves pinning to -b)",
                     given[OPT_BIND] ? "-b/--bind" : "BENCH_BIND", policy,
                     o->env.runtime_places);
}

int options_parse(int argc, char **argv, char *const *envp, struct options *o,
                  struct error *e)
{
    *o = (struct options){
        .action = ACTION_RUN,
        .tasks = -1,
        .reps = 5,
        .warmup = 1,
        .schedule = { .kind = SCHED_STATIC, .chunk = 0 },
        .bind = { .kind = AFFINITY_NONE },
        .format = FORMAT_CSV,
        .counters = COUNTERS_SOFTWARE,
    };
    /* A bad value is an error even when a flag overrides it, as the OpenMP runtime would
     * warn about it. */
    int rc = env_read(envp, &o->env, e);
    if (rc != ERR_OK)
        return rc;

    struct option longopts[OPT_COUNT + 1];
    char shortopts[2 * OPT_COUNT + 2];
    build_getopt(longopts, shortopts);
    bool given[OPT_COUNT] = { false };
    /* -p values need the workload's table, which may come after them on the line. */
    const char *assign[64];
    size_t nassign = 0;

    opterr = 0;
    optind = 0; /* GNU getopt: start afresh, so the parser can run more than once */
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == ':') {
            int id = opt_from_value(optopt);
            char name[64];
            snprintf(name, sizeof name, "%s", id >= 0 ? opt_name((enum opt_id)id) : "option");
            return error_set(e, ERR_USAGE, "%s needs a value: %s", name,
                             id >= 0 ? opt_accepts((enum opt_id)id) : "a value");
        }
        int id = opt_from_value(c);
        if (id < 0) {
            if (optopt != 0)
                return error_set(e, ERR_USAGE, "unknown option '-%c' (see --help)", optopt);
            return error_set(e, ERR_USAGE, "unknown option '%s' (see --help)",
                             argv[optind - 1]);
        }
        const struct opt_spec *s = &specs[id];
        given[id] = true;
        switch (s->kind) {
        case KIND_LONG:
            if (!parse_long(optarg, s->min, s->max, (long *)((char *)o + s->offset)))
                return bad_value((enum opt_id)id, optarg, e);
            break;
        case KIND_DOUBLE:
            if (!parse_double(optarg, (double)s->min, (double)s->max,
                              (double *)((char *)o + s->offset)))
                return bad_value((enum opt_id)id, optarg, e);
            break;
        case KIND_OTHER:
            rc = parse_other((enum opt_id)id, optarg, o, assign, &nassign,
                             sizeof assign / sizeof *assign, e);
            if (rc != ERR_OK)
                return rc;
            break;
        case KIND_ACTION:
            if (s->action == ACTION_HELP) {
                o->action = ACTION_HELP;
                return ERR_OK;
            }
            if (o->action != ACTION_RUN && o->action != s->action)
                return error_set(e, ERR_USAGE, "%s and --%s: one at a time",
                                 action_option(o->action), s->name);
            o->action = s->action;
            break;
        }
    }
    rc = check_combination(o, given, argc, argv, e);
    if (rc != ERR_OK || (o->action != ACTION_RUN && o->action != ACTION_CHECK))
        return rc;

    if (given[OPT_THREADS])
        o->threads_from = "-t";
    else if (o->env.threads > 0) {
        o->threads = o->env.threads;
        o->threads_from = "OMP_NUM_THREADS";
    }
    if (!given[OPT_SCHEDULE] && o->env.set[ENV_OMP_SCHEDULE])
        o->schedule = o->env.schedule;
    if (!given[OPT_BIND] && o->env.set[ENV_BENCH_BIND])
        o->bind = o->env.bind;
    if (!given[OPT_COUNTERS] && o->env.set[ENV_BENCH_COUNTERS])
        o->counters = o->env.counters;
    rc = check_runtime_places(o, given, e);
    if (rc != ERR_OK || optind == argc)
        return rc;

    o->workload = workload_find(argv[optind]);
    if (o->workload == NULL)
        return unknown_workload(argv[optind], e);
    if (o->workload->uncounted && !given[OPT_COUNTERS] && !o->env.set[ENV_BENCH_COUNTERS])
        o->counters = COUNTERS_NONE;
    params_init(&o->params, o->workload->params, o->workload->nparams);
    for (size_t k = 0; k < nassign; k++) {
        rc = params_set(&o->params, o->workload->name, assign[k], e);
        if (rc != ERR_OK)
            return rc;
    }
    return o->workload->admit != NULL ? o->workload->admit(&o->params, e) : ERR_OK;
}

void options_print_help(FILE *f, const char *prog)
{
    fprintf(f, "Usage: %s WORKLOAD [OPTIONS]\n"
               "       %s --check [OPTIONS] [WORKLOAD] | --check-env\n"
               "       %s --list [--format json] | --describe | --help\n\n"
               "Runs the tasks of WORKLOAD, REPS times after WARMUP unmeasured repetitions,\n"
               "and writes one result row per measured repetition to stdout.\n\n"
               "Options:\n",
            prog, prog, prog);
    for (int id = 0; id < OPT_COUNT; id++) {
        const struct opt_spec *s = &specs[id];
        char label[64], text[768];
        if (s->letter)
            snprintf(label, sizeof label, "-%c, --%s%s%s", s->letter, s->name,
                     s->arg ? " " : "", s->arg ? s->arg : "");
        else
            snprintf(label, sizeof label, "    --%s%s%s", s->name, s->arg ? " " : "",
                     s->arg ? s->arg : "");
        if (s->arg)
            snprintf(text, sizeof text, "%s; %s: %s", s->help, s->arg,
                     opt_accepts((enum opt_id)id));
        else
            snprintf(text, sizeof text, "%s", s->help);
        helptext_item(f, label, text);
    }
    fputc('\n', f);
    env_print_help(f);
    fprintf(f, "\nEvery row records the machine's interference (steal, foreign CPU, CPU pressure,\n"
               "involuntary switches): see BENCH_FOREIGN_LIMIT.\n\n"
               "Exit status: 0 verified, 1 the run failed (verification, I/O, threads),\n"
               "2 bad usage or environment value.\n");
}
