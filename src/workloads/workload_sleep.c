/* sleep: each task waits ms milliseconds, the model of work bound by waiting (a remote
 * call, a timer). Threads beyond the core count still help, which is the lesson. */
#include "workload.h"

#include "mix.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct sleep_ctx {
    long ms;
};

static const struct param_spec sleep_params[] = {
    { .name = "ms", .type = PARAM_INT, .def = "10", .min = 0, .max = 600000,
      .help = "milliseconds each task sleeps" },
};

static int sleep_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    struct sleep_ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return error_set(e, ERR_RUN, "sleep: out of memory");
    c->ms = params_int(run->params, "ms");
    *ctx = c;
    return ERR_OK;
}

static uint64_t sleep_expect(void *ctx, size_t i)
{
    const struct sleep_ctx *c = ctx;
    return mix64((uint64_t)i * 2654435761u + (uint64_t)c->ms);
}

static uint64_t sleep_task(void *ctx, size_t i, unsigned tid)
{
    (void)tid;
    const struct sleep_ctx *c = ctx;
    struct timespec left = { .tv_sec = c->ms / 1000, .tv_nsec = (c->ms % 1000) * 1000000L };
    /* A signal may cut the sleep short; the task still owes the rest of it. */
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
    return sleep_expect(ctx, i);
}

static int sleep_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                       struct error *e)
{
    (void)e;
    workload_check_each(ctx, sleep_expect, results, n, out);
    return ERR_OK;
}

static const char *const sleep_test_params[] = { "ms=1", NULL };

const struct workload workload_sleep = {
    .name = "sleep",
    .bound = "waiting",
    .waits = true,
    .summary = "each task sleeps ms milliseconds (nanosleep)",
    .params = sleep_params,
    .nparams = sizeof sleep_params / sizeof sleep_params[0],
    .default_tasks = 32,
    .test_params = sleep_test_params,
    .setup = sleep_setup,
    .task = sleep_task,
    .check = sleep_check,
    .teardown = free,
};
