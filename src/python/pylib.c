/* The C side of bench-python (pylib.h): thin functions over the modules the bench
 * binaries are made of, with plain types that ctypes can pass. */
#include "pylib.h"

#include "counters.h"
#include "describe.h"
#include "error.h"
#include "fdlimit.h"
#include "interference.h"
#include "options.h"
#include "params.h"
#include "placement.h"
#include "stats.h"
#include "topology.h"
#include "workload.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies a message into the caller's buffer and passes the code on. */
static int give(int rc, const struct error *e, char *err, size_t errlen)
{
    if (rc != ERR_OK && err != NULL && errlen > 0)
        snprintf(err, errlen, "%s", e->msg);
    return rc;
}

/* ---- the Python backend's parameter tables -------------------------------------------
 * What differs from the C builds' tables: parameters it adds, and parameters whose
 * choices, default or meaning differ. Everything else is the C workload's own entry, so
 * that a range or a default changed there is changed here. */

static const char *const kernel_names[] = { "python", "c", NULL };
static const char *const py_modes[] = { "racy", "mutex", "reduction", NULL };
static const char *const py_constructs[] = { "task", "forkjoin", NULL };

static const struct param_spec kernel_param = {
    .name = "kernel", .type = PARAM_CHOICE, .def = "python", .choices = kernel_names,
    .help = "python: each task's work runs in Python, holding the GIL; c: the C build's "
            "task runs through ctypes, which releases the GIL for the call"
};
static const struct param_spec window_param = {
    .name = "window_ms", .type = PARAM_INT, .def = "0", .min = 0, .max = 600000,
    .help = "milliseconds each increment sleeps between reading the counter and writing "
            "it back (the tutorials' time.sleep(0.1) is 100)"
};

static const struct {
    const char *workload;
    const struct param_spec *spec;
} py_extras[] = {
    { "cpu", &kernel_param },
    { "memory", &kernel_param },
    { "contention", &window_param },
};

/* Python's own view of a C parameter: its default, choices and help, and for an integer
 * a narrower range when bounded (refused at parsing, so --check and a run agree). */
static const struct {
    const char *workload, *param, *def;
    const char *const *choices;
    const char *help;
    bool bounded;
    long min, max;
} py_changes[] = {
    { "contention", "mode", "mutex", py_modes,
      "racy: read the counter, wait window_ms, write it back, with no lock (loses updates "
      "on purpose); mutex: the same holding a threading.Lock (a multiprocessing.Lock for "
      "processes); reduction: each task counts on its own and the counts are added at the "
      "end", false, 0, 0 },
    { "noop", "construct", "task", py_constructs,
      "task: rounds tasks submitted by one thread, then a wait for all of them; forkjoin: "
      "per round, one task per thread and a wait", false, 0, 0 },
    { "noop", "delay_ns", "0", NULL,
      "0 only: the bodies are calls of an empty Python function, which take longer than "
      "the C builds' default delay (0.1 us) by themselves", true, 0, 0 },
};

static const struct {
    const char *workload, *summary;
} py_summaries[] = {
    { "sleep", "each task sleeps ms milliseconds (time.sleep)" },
    { "contention", "each task adds 1 to one shared counter incs times (racy, mutex or "
                    "reduction); reports expected, observed and lost updates" },
    { "noop", "empty tasks submitted to the executor, against the same calls without it; "
              "overhead_us is the cost per task or per fork-join (EPCC's method); -n is not "
              "used" },
};

struct py_workload {
    const struct workload *w;
    const char *summary;
    size_t nparams;
    struct param_spec params[PARAMS_MAX];
};

static struct py_workload *py_table;

static const struct py_workload *py_workloads(void)
{
    if (py_table != NULL)
        return py_table;
    struct py_workload *t = calloc(workloads_count, sizeof *t);
    if (t == NULL)
        abort(); /* a few hundred bytes at load: nothing sensible is left to do */
    for (size_t k = 0; k < workloads_count; k++) {
        const struct workload *w = workloads[k];
        struct py_workload *p = &t[k];
        p->w = w;
        p->summary = w->summary;
        for (size_t s = 0; s < sizeof py_summaries / sizeof py_summaries[0]; s++)
            if (strcmp(py_summaries[s].workload, w->name) == 0)
                p->summary = py_summaries[s].summary;
        for (size_t j = 0; j < w->nparams && p->nparams < PARAMS_MAX; j++) {
            struct param_spec spec = w->params[j];
            for (size_t c = 0; c < sizeof py_changes / sizeof py_changes[0]; c++) {
                if (strcmp(py_changes[c].workload, w->name) == 0 &&
                    strcmp(py_changes[c].param, spec.name) == 0) {
                    spec.def = py_changes[c].def;
                    spec.choices = py_changes[c].choices;
                    spec.help = py_changes[c].help;
                    if (py_changes[c].bounded) {
                        spec.min = py_changes[c].min;
                        spec.max = py_changes[c].max;
                    }
                }
            }
            p->params[p->nparams++] = spec;
        }
        for (size_t x = 0; x < sizeof py_extras / sizeof py_extras[0]; x++)
            if (strcmp(py_extras[x].workload, w->name) == 0 && p->nparams < PARAMS_MAX)
                p->params[p->nparams++] = *py_extras[x].spec;
    }
    py_table = t;
    return t;
}

int pylib_workload_facts(size_t k, struct pylib_workload *out)
{
    if (k >= workloads_count)
        return 0;
    const struct py_workload *p = &py_workloads()[k];
    *out = (struct pylib_workload){ .name = p->w->name, .bound = p->w->bound,
                                    .summary = p->summary, .waits = p->w->waits,
                                    .default_tasks = p->w->default_tasks,
                                    .nparams = p->nparams };
    return 1;
}

void pylib_param_facts(size_t k, size_t j, struct pylib_param *out)
{
    const struct param_spec *s = &py_workloads()[k].params[j];
    *out = (struct pylib_param){ .name = s->name, .def = s->def, .help = s->help,
                                 .type = (int)s->type, .min = s->min, .max = s->max };
    for (size_t c = 0; s->choices != NULL && s->choices[c] != NULL &&
                       c + 1 < sizeof out->choices / sizeof out->choices[0]; c++)
        out->choices[c] = s->choices[c];
    params_describe(s, out->accepts, sizeof out->accepts);
}

long pylib_c_choice(const char *workload, const char *param, const char *value)
{
    const struct workload *w = workload_find(workload);
    for (size_t j = 0; w != NULL && j < w->nparams; j++) {
        if (strcmp(w->params[j].name, param) != 0 || w->params[j].choices == NULL)
            continue;
        for (long c = 0; w->params[j].choices[c] != NULL; c++)
            if (strcmp(w->params[j].choices[c], value) == 0)
                return c;
    }
    return -1;
}

/* ---- the command line ------------------------------------------------------------------ */

static struct options opt;
static struct param_values py_params;

size_t pylib_options_size(void)
{
    return sizeof(struct pylib_options);
}

static void fill(struct pylib_options *out)
{
    *out = (struct pylib_options){ .action = (int)opt.action, .format = (int)opt.format };
    if (opt.workload == NULL)
        return;
    snprintf(out->workload, sizeof out->workload, "%s", opt.workload->name);
    out->threads = opt.threads;
    snprintf(out->threads_from, sizeof out->threads_from, "%s",
             opt.threads_from != NULL ? opt.threads_from : "");
    out->tasks = opt.tasks;
    out->reps = opt.reps;
    out->warmup = opt.warmup;
    out->schedule_kind = (int)opt.schedule.kind;
    out->schedule_chunk = opt.schedule.chunk;
    schedule_format(&opt.schedule, out->schedule, sizeof out->schedule);
    affinity_format(&opt.bind, out->bind, sizeof out->bind);
    out->wait_quiet_s = opt.wait_quiet_s;
    out->foreign_limit = opt.env.foreign_limit;
    params_format(&py_params, out->params, sizeof out->params);
}

int pylib_parse(int argc, char **argv, const char *const *assign, size_t nassign,
                struct pylib_options *out, char *err, size_t errlen)
{
    extern char **environ;
    static const char *const action_options[] = {
        [ACTION_LIST] = "--list", [ACTION_DESCRIBE] = "--describe",
        [ACTION_CHECK_ENV] = "--check-env",
    };
    struct error e = { .msg = "" };
    int rc = options_parse(argc, argv, environ, &opt, &e);
    bool runs = opt.action == ACTION_RUN || opt.action == ACTION_CHECK;
    /* The assignments never reached options_parse, which would refuse them here. */
    if (rc == ERR_OK && nassign > 0 && !runs && opt.action != ACTION_HELP)
        rc = error_set(&e, ERR_USAGE, "-p/--param does not go with %s (see --help)",
                       action_options[opt.action]);
    if (rc == ERR_OK && runs && opt.workload != NULL) {
        const struct py_workload *p = py_workloads();
        while (p->w != opt.workload) /* options_parse found it in the same registry */
            p++;
        params_init(&py_params, p->params, p->nparams);
        for (size_t k = 0; k < nassign && rc == ERR_OK; k++)
            rc = params_set(&py_params, opt.workload->name, assign[k], &e);
    }
    if (rc == ERR_OK)
        fill(out);
    return give(rc, &e, err, errlen);
}

long pylib_param_int(const char *name)
{
    return params_int(&py_params, name);
}

const char *pylib_param_text(const char *name)
{
    return params_text(&py_params, name);
}

void pylib_print_help(const char *prog)
{
    options_print_help(stdout, prog);
    fflush(stdout);
}

/* ---- the machine, pinning and placement -------------------------------------------------- */

static struct affinity_plan *plan;
static struct placement *placed;

int pylib_count_pus(unsigned *out, char *err, size_t errlen)
{
    struct error e;
    return give(topology_count_pus(out, &e), &e, err, errlen);
}

int pylib_plan(unsigned threads, char *err, size_t errlen)
{
    struct error e;
    hwloc_topology_t t;
    unsigned max_pu = 0;
    int rc = topology_get(&t, &e);
    if (rc == ERR_OK)
        rc = affinity_plan_create(&plan, t, &opt.bind, threads, &e);
    if (rc == ERR_OK)
        rc = topology_max_pu_index(&max_pu, &e);
    if (rc == ERR_OK)
        rc = placement_create(&placed, threads, max_pu, &e);
    return give(rc, &e, err, errlen);
}

int pylib_plan_binds(void)
{
    return plan != NULL && affinity_plan_binds(plan);
}

int pylib_plan_pus(unsigned tid, unsigned *pus, int max)
{
    int n = 0;
    if (plan == NULL || tid >= affinity_plan_threads(plan))
        return 0;
    hwloc_const_cpuset_t set = affinity_plan_set(plan, tid);
    for (int pu = hwloc_bitmap_first(set); pu >= 0 && n < max; pu = hwloc_bitmap_next(set, pu))
        pus[n++] = (unsigned)pu;
    return n;
}

void pylib_placement_reset(void)
{
    placement_reset(placed);
}

void pylib_placement_note(unsigned tid)
{
    placement_note(placed, tid);
}

void pylib_placement_mark(unsigned tid, unsigned pu)
{
    placement_mark(placed, tid, pu);
}

int pylib_placement_text(char *buf, size_t len, unsigned *misplaced, char *err, size_t errlen)
{
    struct error e;
    char *text = NULL;
    int rc = placement_report(placed, plan, &text, misplaced, &e);
    if (rc == ERR_OK)
        snprintf(buf, len, "%s", text);
    free(text);
    return give(rc, &e, err, errlen);
}

int pylib_current_pu(void)
{
    return sched_getcpu();
}

/* ---- interference and CPU time ------------------------------------------------------------ */

static struct interference_sample before, after;
static double workers_cpu[2];
static struct interference measured;
static struct counters *counters;
static struct counters_sample counted[2];

int pylib_counters_open(char *note, size_t len)
{
    counters_open(&counters, opt.counters, NULL);
    if (counters == NULL)
        return ERR_RUN;
    snprintf(note, len, "%s", counters_why(counters));
    return ERR_OK;
}

void pylib_counters_close(void)
{
    counters_close(counters);
    counters = NULL;
}

/* The CPU time of another process, read the way the harness reads its helper child's:
 * a source whose machine-wide files hold nothing leaves only that child's reading. */
static double process_cpu(int pid)
{
    struct interference_source src = { .stat = "/dev/null", .psi = NULL, .child = pid };
    struct interference_sample s;
    interference_read(&src, INTERFERENCE_BEFORE, &s);
    return s.child_cpu_s;
}

static double workers_total(const int *workers, size_t nworkers)
{
    double sum = 0;
    for (size_t k = 0; k < nworkers; k++)
        sum += process_cpu(workers[k]);
    return sum;
}

/* In the harness's order: the counters nearest the timed interval, then the process's
 * (and here its workers') times, then the machine's figures furthest from it. */
void pylib_measure(int when, const int *workers, size_t nworkers, int helper)
{
    struct interference_source src = interference_proc;
    src.child = helper;
    if (when == 0) {
        interference_read(&src, INTERFERENCE_BEFORE, &before);
        workers_cpu[0] = workers_total(workers, nworkers);
        counters_read(counters, &counted[0]);
        /* The workers' CPU is the run's, not the rest of the machine's. */
        before.child_cpu_s += workers_cpu[0];
        return;
    }
    counters_read(counters, &counted[1]);
    workers_cpu[1] = workers_total(workers, nworkers);
    interference_read(&src, INTERFERENCE_AFTER, &after);
    after.child_cpu_s += workers_cpu[1];
    interference_diff(&before, &after, &measured);
}

double pylib_measured_cpu_s(void)
{
    return (after.self_cpu_s - before.self_cpu_s) + (workers_cpu[1] - workers_cpu[0]);
}

int pylib_measured_disturbed(double wall_s, double limit)
{
    if (!measured.have_stat)
        return -1;
    return interference_disturbed(&measured, wall_s, pylib_measured_cpu_s(), limit,
                                  interference_tick_s());
}

void pylib_measured_format(char *buf, size_t len)
{
    interference_format(&measured, buf, len);
    counters_format(counters, &counted[0], &counted[1], buf, len);
}

int pylib_wait_quiet(double max_s, double limit)
{
    return interference_wait_quiet(&interference_proc, 0.5, max_s, limit);
}

/* ---- the C builds' tasks -------------------------------------------------------------------- */

struct pylib_kernel {
    const struct workload *w;
    struct param_values params;
    void *ctx;
};

struct pylib_kernel *pylib_kernel_open(const char *workload, const char *params, size_t tasks,
                                       unsigned threads, int *rc, char *err, size_t errlen)
{
    struct error e = { .msg = "" };
    const struct workload *w = workload_find(workload);
    struct pylib_kernel *k = w != NULL ? calloc(1, sizeof *k) : NULL;
    *rc = w == NULL ? error_set(&e, ERR_USAGE, "no C workload '%s'", workload)
                    : k == NULL ? error_set(&e, ERR_RUN, "out of memory") : ERR_OK;
    if (*rc != ERR_OK) {
        give(*rc, &e, err, errlen);
        return NULL;
    }
    k->w = w;
    params_init(&k->params, w->params, w->nparams);
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", params);
    char *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item != NULL && *rc == ERR_OK;
         item = strtok_r(NULL, ";", &save)) {
        size_t name_len = strcspn(item, "=");
        bool known = false;
        for (size_t j = 0; j < w->nparams; j++)
            known |= strlen(w->params[j].name) == name_len &&
                     strncmp(w->params[j].name, item, name_len) == 0;
        if (known)
            *rc = params_set(&k->params, w->name, item, &e);
    }
    struct workload_run run = { .params = &k->params, .tasks = tasks, .threads = threads };
    if (*rc == ERR_OK)
        *rc = w->setup(&k->ctx, &run, &e);
    if (*rc != ERR_OK) {
        give(*rc, &e, err, errlen);
        free(k);
        return NULL;
    }
    return k;
}

int pylib_kernel_rep_begin(struct pylib_kernel *k, char *err, size_t errlen)
{
    struct error e;
    return give(k->w->rep_begin != NULL ? k->w->rep_begin(k->ctx, &e) : ERR_OK, &e, err,
                errlen);
}

uint64_t pylib_kernel_task(struct pylib_kernel *k, size_t i, unsigned tid)
{
    return k->w->task(k->ctx, i, tid);
}

void pylib_kernel_timed(struct pylib_kernel *k, const double *part_s, unsigned nparts)
{
    if (k->w->timed != NULL && nparts > 0)
        k->w->timed(k->ctx, part_s, nparts);
}

int pylib_kernel_check(struct pylib_kernel *k, const uint64_t *results, size_t n,
                       uint64_t *checksum, int *verified, int *expected_loss, char *metrics,
                       size_t mlen, char *err, size_t errlen)
{
    struct error e;
    struct check c = { .checksum = 0 };
    int rc = k->w->check(k->ctx, results, n, &c, &e);
    if (rc != ERR_OK)
        return give(rc, &e, err, errlen);
    *checksum = c.checksum;
    *verified = c.verified;
    *expected_loss = c.expected_loss;
    snprintf(metrics, mlen, "%s", c.metrics);
    return ERR_OK;
}

void pylib_kernel_close(struct pylib_kernel *k)
{
    if (k == NULL)
        return;
    k->w->teardown(k->ctx);
    free(k);
}

/* ---- what several Python workloads need ------------------------------------------------------ */

int pylib_llc_bytes(unsigned long long *out, char *err, size_t errlen)
{
    struct error e;
    uint64_t bytes = 0;
    int rc = topology_llc_bytes(&bytes, &e);
    *out = bytes;
    return give(rc, &e, err, errlen);
}

int pylib_fdlimit_raise(long needed, char *err, size_t errlen)
{
    struct error e;
    return give(fdlimit_raise(needed, &e), &e, err, errlen);
}

double pylib_median_interval(double *v, size_t n, double level, double *lo, double *hi)
{
    struct stats_interval ci;
    double median = stats_median_with_interval(v, n, level, &ci);
    *lo = ci.lo;
    *hi = ci.hi;
    return median;
}

void pylib_stats(double *v, size_t n, double *median, double *min, double *max)
{
    struct stats s;
    stats_compute(v, n, &s);
    *median = s.median;
    *min = s.min;
    *max = s.max;
}

int pylib_describe(const char *backend, const char *runtime, char *err, size_t errlen)
{
    struct error e;
    struct describe_build build = { .backend = backend, .runtime = runtime, .openmp = 0,
                                    .backend_compiler = "", .openmp_flags = "" };
    int rc = describe_print(stdout, &build, &e);
    fflush(stdout);
    return give(rc, &e, err, errlen);
}
