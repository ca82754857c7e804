/* The OpenMP backend: `parallel for schedule(runtime)`, with the team size and the
 * schedule set through omp_set_num_threads and omp_set_schedule from the same options
 * the pool reads. */
#include "backend.h"

#include "env.h"

#include <dlfcn.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct backend {
    unsigned threads;
    struct schedule schedule; /* backend_workshare's clause */
    omp_lock_t lock;          /* backend_locked */
};

const char backend_name[] = "omp";
const int backend_parallel = 1;
#if defined(__clang__)
#define COMPILER_NAME "clang "
#define COMPILER_VERSION_TEXT                                                                \
    BENCH_STR(__clang_major__) "." BENCH_STR(__clang_minor__) "." BENCH_STR(__clang_patchlevel__)
#else
#define COMPILER_NAME "gcc "
#define COMPILER_VERSION_TEXT                                                                \
    BENCH_STR(__GNUC__) "." BENCH_STR(__GNUC_MINOR__) "." BENCH_STR(__GNUC_PATCHLEVEL__)
#endif
#define BENCH_STR2(x) #x
#define BENCH_STR(x) BENCH_STR2(x)

/* The Makefile passes the OpenMP flag it compiled this file with. */
#ifndef BENCH_OMPFLAGS_TEXT
#error "build backend_omp.c with -DBENCH_OMPFLAGS_TEXT='\"<the OpenMP flag>\"'"
#endif

const long backend_openmp = _OPENMP;
const char backend_compiler[] = COMPILER_NAME COMPILER_VERSION_TEXT;
const char backend_openmp_flags[] = BENCH_OMPFLAGS_TEXT;

/* Every member of the team binds itself inside one region; libgomp and libomp keep the
 * same thread at the same number in later regions of the same size, which the placement
 * record of every repetition confirms. */
static int bind_team(const struct affinity_plan *plan, unsigned threads, struct error *e)
{
    int *rcs = calloc(threads, sizeof *rcs);
    struct error *errs = calloc(threads, sizeof *errs);
    int rc = ERR_OK;
    if (rcs == NULL || errs == NULL) {
        rc = error_set(e, ERR_RUN, "out of memory for binding %u threads", threads);
    } else {
#pragma omp parallel
        {
            unsigned tid = (unsigned)omp_get_thread_num();
            rcs[tid] = affinity_bind(plan, tid, &errs[tid]);
        }
        for (unsigned k = 0; k < threads && rc == ERR_OK; k++)
            if (rcs[k] != ERR_OK)
                rc = error_set(e, rcs[k], "%s", errs[k].msg);
    }
    free(rcs);
    free(errs);
    return rc;
}


/* The runtime is named after the library that really provides omp_get_thread_num (a
 * clang build can link libgomp, a gcc build libomp); its version is the compiler's,
 * since each runtime ships with its compiler. */
const char *backend_runtime(void)
{
    static char text[64];
    if (text[0] == '\0') {
        Dl_info info;
        const char *lib = "openmp";
        if (dladdr((void *)omp_get_thread_num, &info) != 0 && info.dli_fname != NULL) {
            if (strstr(info.dli_fname, "libgomp") != NULL)
                lib = "libgomp";
            else if (strstr(info.dli_fname, "libomp") != NULL ||
                     strstr(info.dli_fname, "libiomp") != NULL)
                lib = "libomp";
        }
        snprintf(text, sizeof text, "%s-%s", lib, COMPILER_VERSION_TEXT);
    }
    return text;
}

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e)
{
    static const omp_sched_t kinds[] = {
        [SCHED_STATIC] = omp_sched_static,
        [SCHED_DYNAMIC] = omp_sched_dynamic,
        [SCHED_GUIDED] = omp_sched_guided,
    };
    struct backend *b = malloc(sizeof *b);
    if (b == NULL)
        return error_set(e, ERR_RUN, "out of memory");
    omp_set_dynamic(0);
    omp_set_num_threads((int)cfg->threads);
    omp_set_schedule(kinds[cfg->schedule.kind], (int)cfg->schedule.chunk);

    /* The first region creates the team, as pool_create does, and tells how many
     * threads the runtime really gave (OMP_THREAD_LIMIT can cap it). */
    int got = 0;
#pragma omp parallel
    {
#pragma omp single
        got = omp_get_num_threads();
    }
    if (got != (int)cfg->threads) {
        free(b);
        return error_set(e, ERR_RUN,
                         "the OpenMP runtime gave %d thread%s of the %u asked "
                         "(is OMP_THREAD_LIMIT set?)",
                         got, got == 1 ? "" : "s", cfg->threads);
    }
    b->threads = cfg->threads;
    b->schedule = cfg->schedule;
    if (cfg->bind != NULL && affinity_plan_binds(cfg->bind)) {
        int rc = bind_team(cfg->bind, b->threads, e);
        if (rc != ERR_OK) {
            free(b);
            return rc;
        }
    }
    omp_init_lock(&b->lock);
    *out = b;
    return ERR_OK;
}

unsigned backend_threads(const struct backend *b)
{
    return b->threads;
}

void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        fn(arg, i, (unsigned)omp_get_thread_num());
}

void backend_close(struct backend *b)
{
    if (b == NULL)
        return;
    omp_destroy_lock(&b->lock);
    free(b);
}

/* ---- constructs of the cost workloads, written as OpenMP users write them -------------- */

bool backend_offers(enum backend_feature f)
{
    return f == BACKEND_OMP_LOCK;
}

void backend_region(struct backend *b, backend_region_fn *fn, void *arg)
{
    (void)b;
#pragma omp parallel
    fn(arg, (unsigned)omp_get_thread_num(), (unsigned)omp_get_num_threads());
}

void backend_barrier(struct backend *b)
{
    (void)b;
#pragma omp barrier
}

void backend_parfor(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
#pragma omp parallel for
    for (size_t i = 0; i < n; i++)
        fn(arg, i, (unsigned)omp_get_thread_num());
}

/* The schedule written in the clause, as users and EPCC's schedbench write it: with
 * schedule(runtime), libomp takes its general dispatch path even for static. */
void backend_workshare(struct backend *b, unsigned tid, size_t n, backend_iter_fn *fn,
                       void *arg)
{
    long chunk = b->schedule.chunk > 0 ? b->schedule.chunk : 1;
    switch (b->schedule.kind) {
    case SCHED_STATIC:
        if (b->schedule.chunk <= 0) {
#pragma omp for schedule(static)
            for (size_t i = 0; i < n; i++)
                fn(arg, i, tid);
        } else {
#pragma omp for schedule(static, chunk)
            for (size_t i = 0; i < n; i++)
                fn(arg, i, tid);
        }
        break;
    case SCHED_DYNAMIC:
#pragma omp for schedule(dynamic, chunk)
        for (size_t i = 0; i < n; i++)
            fn(arg, i, tid);
        break;
    case SCHED_GUIDED:
#pragma omp for schedule(guided, chunk)
        for (size_t i = 0; i < n; i++)
            fn(arg, i, tid);
        break;
    }
}

void backend_tasks(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
#pragma omp parallel
#pragma omp single
    for (size_t i = 0; i < n; i++) {
#pragma omp task firstprivate(i)
        fn(arg, i, (unsigned)omp_get_thread_num());
    }
}

void backend_critical(struct backend *b, backend_excl_fn *fn, void *arg)
{
    (void)b;
#pragma omp critical(bench_critical)
    fn(arg);
}

void backend_locked(struct backend *b, backend_excl_fn *fn, void *arg)
{
    omp_set_lock(&b->lock);
    fn(arg);
    omp_unset_lock(&b->lock);
}

void backend_atomic_add(struct backend *b, uint64_t *x, uint64_t v)
{
    (void)b;
#pragma omp atomic update
    *x += v;
}

uint64_t backend_sum(struct backend *b, size_t n, backend_value_fn *fn, void *arg)
{
    (void)b;
    uint64_t sum = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : sum)
    for (size_t i = 0; i < n; i++)
        sum += fn(arg, i, (unsigned)omp_get_thread_num());
    return sum;
}

/* libgomp reads the OMP_* variables in its constructor and prints its own warning for a
 * bad value, before main could say anything; libomp stops on an empty OMP_NUM_THREADS. A
 * preinit function of the executable runs before any library's constructor (and before
 * libc sets environ, hence envp), so a bad value is reported here in the words main
 * would use, the process stops as main would, and empty values are removed so that the
 * runtime treats them as unset, as the rest of the program does. */
static void omp_env_guard(int argc, char **argv, char **envp)
{
    (void)argc;
    struct error err;
    if (env_guard(envp, &err) == ERR_OK)
        return;
    char line[sizeof err.msg + 64];
    const char *prog = argv != NULL && argv[0] != NULL ? argv[0] : "bench-omp";
    const char *slash = strrchr(prog, '/');
    int n = snprintf(line, sizeof line, "%s: %s\n", slash ? slash + 1 : prog, err.msg);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (write(STDERR_FILENO, line, len) < 0)
        _exit(ERR_USAGE); /* nothing more to say where stderr is gone */
    _exit(ERR_USAGE);
}

__attribute__((used, section(".preinit_array"))) static void (*const omp_env_guard_entry)(
    int, char **, char **) = omp_env_guard;
