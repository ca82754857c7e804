/* cpu: each task runs a chain of 64-bit multiply-add steps (an LCG) finished by a mix:
 * pure arithmetic with one dependency chain, no memory traffic. Because the chain is
 * affine, its end can be computed independently in O(log n) steps, which is how the
 * result of every task is verified without running the work twice. */
#include "workload.h"

#include "mix.h"

#include <stdlib.h>

#define LCG_MUL UINT64_C(6364136223846793005)
#define LCG_ADD UINT64_C(1442695040888963407)
#define SKEW_SEED UINT64_C(0x5eed5eed5eed5eed)

enum skew { SKEW_UNIFORM, SKEW_LINEAR, SKEW_RANDOM };

static const char *const skew_names[] = { "uniform", "linear", "random", NULL };

static const struct param_spec cpu_params[] = {
    { .name = "work", .type = PARAM_INT, .def = "2000000", .min = 0, .max = 1000000000000L,
      .help = "multiply-add steps per task (the mean, when skewed)" },
    { .name = "skew", .type = PARAM_CHOICE, .def = "uniform", .choices = skew_names,
      .help = "load imbalance: uniform (equal tasks), linear (task i does 2(i+1)/(n+1) "
              "times work), random (0 to 2 times work, fixed seed)" },
};

struct cpu_ctx {
    uint64_t work;
    enum skew skew;
    size_t tasks;
};

static int cpu_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    struct cpu_ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return error_set(e, ERR_RUN, "cpu: out of memory");
    c->work = (uint64_t)params_int(run->params, "work");
    c->skew = (enum skew)params_int(run->params, "skew");
    c->tasks = run->tasks;
    *ctx = c;
    return ERR_OK;
}

/* The steps task i owes; the mean over all tasks is work for every skew. */
static uint64_t cpu_steps(const struct cpu_ctx *c, size_t i)
{
    typedef unsigned __int128 u128;
    switch (c->skew) {
    case SKEW_LINEAR:
        return (uint64_t)((u128)c->work * 2 * (i + 1) / (c->tasks + 1));
    case SKEW_RANDOM:
        return (uint64_t)(((u128)c->work * (mix64(SKEW_SEED + i) >> 32)) >> 31);
    case SKEW_UNIFORM:
        break;
    }
    return c->work;
}

static uint64_t cpu_seed(size_t i)
{
    return mix64((uint64_t)i + UINT64_C(0x9e3779b97f4a7c15));
}

static uint64_t cpu_task(void *ctx, size_t i, unsigned tid)
{
    (void)tid;
    uint64_t x = cpu_seed(i);
    for (uint64_t s = cpu_steps(ctx, i); s > 0; s--)
        x = x * LCG_MUL + LCG_ADD;
    return mix64(x);
}

/* The same chain by jump-ahead: n steps of x -> a*x + c compose to one affine map,
 * built by squaring (F. Brown, "Random number generation with arbitrary strides"). */
static uint64_t cpu_expect(void *ctx, size_t i)
{
    uint64_t steps = cpu_steps(ctx, i);
    uint64_t mul = LCG_MUL, add = LCG_ADD, acc_mul = 1, acc_add = 0;
    for (; steps > 0; steps >>= 1) {
        if (steps & 1) {
            acc_mul *= mul;
            acc_add = acc_add * mul + add;
        }
        add = (mul + 1) * add;
        mul *= mul;
    }
    return mix64(acc_mul * cpu_seed(i) + acc_add);
}

static int cpu_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                     struct error *e)
{
    (void)e;
    workload_check_each(ctx, cpu_expect, results, n, out);
    return ERR_OK;
}

static const char *const cpu_test_params[] = { "work=3000", "skew=linear", NULL };

const struct workload workload_cpu = {
    .name = "cpu",
    .bound = "CPU",
    .summary = "each task runs a chain of work 64-bit multiply-add steps (no memory traffic)",
    .params = cpu_params,
    .nparams = sizeof cpu_params / sizeof cpu_params[0],
    .default_tasks = 64,
    .test_params = cpu_test_params,
    .setup = cpu_setup,
    .task = cpu_task,
    .check = cpu_check,
    .teardown = free,
};
