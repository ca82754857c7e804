/* The program: reads the options, sets up the workload and the backend, lets the harness
 * run the repetitions, writes the rows, and prints the one error message, if any. */
#include "affinity.h"
#include "backend.h"
#include "describe.h"
#include "cleanup.h"
#include "harness.h"
#include "listing.h"
#include "options.h"
#include "output.h"
#include "placement.h"
#include "stats.h"
#include "topology.h"
#include "waitpolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run {
    const struct options *opt;
    unsigned threads;
    size_t tasks;
    char schedule[48];
    char params[512];
    char bind[320];
    const char *prog;
    bool summary;
    double *walls;
    long nwalls;
    struct affinity_plan *plan; /* thread k's cpuset; checked against when it binds */
    struct placement *placement;
    unsigned long misplaced; /* thread-repetitions seen outside their cpusets */
    struct counters *counters;
};

static int emit_row(void *arg, const struct harness_rep *r, struct error *e)
{
    struct run *run = arg;
    const struct options *o = run->opt;
    char *placement = NULL;
    unsigned misplaced = 0;
    int rc = placement_report(run->placement, run->plan, &placement, &misplaced, e);
    if (rc != ERR_OK)
        return rc;
    char metrics[sizeof r->check.metrics + 512];
    snprintf(metrics, sizeof metrics, "%s", r->check.metrics);
    if (affinity_plan_binds(run->plan)) {
        size_t used = strlen(metrics);
        snprintf(metrics + used, sizeof metrics - used, "%smisplaced=%u", used ? ";" : "",
                 misplaced);
    }
    interference_format(&r->interference, metrics, sizeof metrics);
    counters_format(run->counters, &r->counters_before, &r->counters_after, metrics,
                    sizeof metrics);
    if (misplaced > 0) {
        fprintf(stderr, "%s: warning: repetition %ld: %u thread%s ran outside %s cpuset "
                "(marked '!'): %s\n", run->prog, r->rep, misplaced, misplaced == 1 ? "" : "s",
                misplaced == 1 ? "its" : "their", placement);
        run->misplaced += misplaced;
    }
    struct output_row row = {
        .workload = o->workload->name,
        .backend = backend_name,
        .threads = run->threads,
        .tasks = run->tasks,
        .schedule = run->schedule,
        .bind = run->bind,
        .params = run->params,
        .rep = r->rep,
        .wall_s = r->wall_s,
        .cpu_s = r->cpu_s,
        .checksum = r->check.checksum,
        .verified = r->check.verified,
        .runtime = backend_runtime(),
        .placement = placement,
        .metrics = metrics,
        .disturbed = !r->interference.have_stat ? "-" : r->disturbed ? "1" : "0",
    };
    output_row(stdout, o->format, &row);
    free(placement);
    run->walls[run->nwalls++] = r->wall_s;
    return ERR_OK;
}

static void print_summary(const struct run *run, long unverified)
{
    struct stats s;
    stats_compute(run->walls, (size_t)run->nwalls, &s);
    fprintf(stderr,
            "%s on %s (%s), %u thread%s, %zu task%s, %s, bind %s, %s: median %.6f s, "
            "min %.6f s, max %.6f s over %ld repetition%s; %s\n",
            run->opt->workload->name, backend_name, backend_runtime(), run->threads,
            run->threads == 1 ? "" : "s", run->tasks, run->tasks == 1 ? "" : "s",
            run->schedule, run->bind, run->params, s.median, s.min, s.max, run->nwalls,
            run->nwalls == 1 ? "" : "s", unverified ? "NOT VERIFIED" : "verified");
}

/* Resolves the thread count: the flag, else OMP_NUM_THREADS, else hwloc's PUs. */
static int choose_threads(const struct options *o, const char *prog, unsigned *out,
                          struct error *e)
{
    if (!backend_parallel) {
        if (o->threads > 1)
            fprintf(stderr, "%s: note: the sequential build runs 1 thread (%s asked for %ld)\n",
                    prog, o->threads_from, o->threads);
        *out = 1;
        return ERR_OK;
    }
    if (o->threads > 0) {
        *out = (unsigned)o->threads;
        return ERR_OK;
    }
    return topology_count_pus(out, e);
}

/* Computes every thread's cpuset, or, when bench-omp leaves placement to the OpenMP
 * runtime (options refused any other policy then), plans nothing to bind and records the
 * runtime's settings. Placement is recorded either way. */
static int plan_placement(struct run *run, struct error *e)
{
    const struct options *o = run->opt;
    hwloc_topology_t t;
    int rc = topology_get(&t, e);
    if (rc != ERR_OK)
        return rc;
    if (backend_openmp && o->env.runtime_places[0] != '\0')
        snprintf(run->bind, sizeof run->bind, "runtime:%s", o->env.runtime_places);
    else
        affinity_format(&o->bind, run->bind, sizeof run->bind);
    rc = affinity_plan_create(&run->plan, t, &o->bind, run->threads, e);
    unsigned max_pu = 0;
    if (rc == ERR_OK)
        rc = topology_max_pu_index(&max_pu, e);
    if (rc == ERR_OK)
        rc = placement_create(&run->placement, run->threads, max_pu, e);
    return rc;
}

static int run_benchmark(const struct options *o, const char *prog, struct error *e)
{
    struct run run = { .opt = o, .prog = prog };
    int rc = choose_threads(o, prog, &run.threads, e);
    if (rc == ERR_OK)
        rc = plan_placement(&run, e);
    if (rc != ERR_OK) {
        affinity_plan_destroy(run.plan);
        placement_destroy(run.placement);
        return rc;
    }
    run.tasks = (size_t)(o->tasks >= 0 ? o->tasks : o->workload->default_tasks);
    schedule_format(&o->schedule, run.schedule, sizeof run.schedule);
    if (!backend_parallel)
        snprintf(run.schedule, sizeof run.schedule, "static");
    params_format(&o->params, run.params, sizeof run.params);
    run.summary = o->format == FORMAT_HUMAN || isatty(STDOUT_FILENO);
    run.walls = calloc((size_t)o->reps, sizeof *run.walls);
    if (run.walls == NULL) {
        affinity_plan_destroy(run.plan);
        placement_destroy(run.placement);
        return error_set(e, ERR_RUN, "out of memory");
    }

    struct workload_run wr = { .params = &o->params, .tasks = run.tasks, .threads = run.threads };
    void *ctx = NULL;
    struct backend *b = NULL;
    long unverified = 0;
    rc = o->workload->setup(&ctx, &wr, e);
    /* After setup, which may start a helper process (net's server) that must not be
     * counted, and before the backend creates the threads that must be. */
    if (rc == ERR_OK) {
        counters_open(&run.counters, o->counters, NULL);
        if (run.counters == NULL)
            rc = error_set(e, ERR_RUN, "out of memory");
        else if (counters_why(run.counters)[0] != '\0')
            fprintf(stderr, "%s: note: counters read '-' where not available: %s\n", prog,
                    counters_why(run.counters));
    }
    if (rc == ERR_OK) {
        /* The pool itself throttles its polls, and yields at each, when the team
         * outnumbers the CPUs it may use (pool.h). */
        struct backend_config bc = { .threads = run.threads, .schedule = o->schedule,
                                     .spin = waitpolicy_spin(o->env.wait_policy,
                                                             o->env.spincount),
                                     .bind = run.plan };
        rc = backend_open(&b, &bc, e);
    }
    if (rc == ERR_OK) {
        struct harness_config hc = { .reps = o->reps, .warmup = o->warmup, .tasks = run.tasks,
                                     .placement = run.placement,
                                     .foreign_limit = o->env.foreign_limit,
                                     .wait_quiet_s = o->wait_quiet_s,
                                     .counters = run.counters };
        bool quiet = true;
        output_begin(stdout, o->format);
        rc = harness_run(&hc, b, o->workload, ctx, emit_row, &run, &unverified, &quiet, e);
        output_end(stdout, o->format);
        if (!quiet)
            fprintf(stderr, "%s: note: the machine was not quiet after %g s of waiting; "
                    "measured anyway\n", prog, o->wait_quiet_s);
    }
    if (rc == ERR_OK && run.summary && run.nwalls > 0)
        print_summary(&run, unverified);
    if (rc == ERR_OK && unverified > 0)
        rc = error_set(e, ERR_RUN, "verification failed: %ld of %ld repetition%s gave wrong "
                       "results", unverified, o->reps + o->warmup,
                       o->reps + o->warmup == 1 ? "" : "s");
    if (rc == ERR_OK && run.misplaced > 0)
        rc = error_set(e, ERR_RUN, "placement check failed: %lu thread-repetition%s ran outside "
                       "the cpuset of bind policy '%s' (see the placement column)",
                       run.misplaced, run.misplaced == 1 ? "" : "s", run.bind);
    backend_close(b);
    counters_close(run.counters);
    if (ctx != NULL)
        o->workload->teardown(ctx);
    free(run.walls);
    affinity_plan_destroy(run.plan);
    placement_destroy(run.placement);
    return rc;
}

int main(int argc, char **argv)
{
    const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    struct options o;
    struct error e = { .msg = "" };
    int rc = options_parse(argc, argv, environ, &o, &e);
    if (rc == ERR_OK) {
        switch (o.action) {
        case ACTION_HELP:
            options_print_help(stdout, prog);
            break;
        case ACTION_LIST:
            listing_print(stdout, o.format == FORMAT_JSON);
            break;
        case ACTION_CHECK:
        case ACTION_CHECK_ENV:
            break; /* everything was checked: silence and status 0 */
        case ACTION_DESCRIBE: {
            struct describe_build build = { .backend = backend_name,
                                            .runtime = backend_runtime(),
                                            .openmp = backend_openmp,
                                            .backend_compiler = backend_compiler,
                                            .openmp_flags = backend_openmp_flags };
            rc = describe_print(stdout, &build, &e);
            break;
        }
        case ACTION_RUN:
            rc = cleanup_install(&e);
            if (rc == ERR_OK)
                rc = run_benchmark(&o, prog, &e);
            break;
        }
    }
    topology_release();
    if (rc != ERR_OK)
        fprintf(stderr, "%s: %s\n", prog, e.msg);
    return rc;
}
