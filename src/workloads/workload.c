/* The registry of workloads and the checks they share. */
#include "workload.h"

#include "mix.h"

#include <stdio.h>
#include <string.h>

/* The registry, in --list order (the order of the report's sections): one line per
 * workload, X(NAME) for the descriptor workload_NAME in src/workloads/workload_NAME.c.
 * Every line ends in a backslash, so that adding one touches no other. */
#define REGISTRY(X)                                                                         \
    X(sleep)                                                                                \
    X(cpu)                                                                                  \
    X(disk)                                                                                 \
    X(net)                                                                                  \
    X(memory)                                                                               \
    X(contention)                                                                           \
    X(noop)                                                                                 \
    /* end of the registry */

#define DECLARE(name) extern const struct workload workload_##name;
REGISTRY(DECLARE)
#define ENTRY(name) &workload_##name,
const struct workload *const workloads[] = { REGISTRY(ENTRY) };
const size_t workloads_count = sizeof workloads / sizeof workloads[0];

const struct workload *workload_find(const char *name)
{
    for (size_t k = 0; k < workloads_count; k++)
        if (strcmp(workloads[k]->name, name) == 0)
            return workloads[k];
    return NULL;
}

uint64_t workload_fold(const uint64_t *results, size_t n)
{
    uint64_t h = mix64(n);
    for (size_t i = 0; i < n; i++)
        h = mix64(h ^ results[i]);
    return h;
}

void workload_check_each(void *ctx, uint64_t (*expect)(void *ctx, size_t i),
                         const uint64_t *results, size_t n, struct check *out)
{
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        if (results[i] != expect(ctx, i))
            wrong++;
    out->checksum = workload_fold(results, n);
    out->verified = wrong == 0;
    out->expected_loss = false;
    out->metrics[0] = '\0';
    if (wrong > 0) {
        /* Says how much went wrong, not only that something did. */
        size_t len = sizeof out->metrics;
        char *m = out->metrics;
        snprintf(m, len, "wrong_tasks=%zu", wrong);
    }
}
