/* The wait policy: the environment's say on spinning, checked once with the other
 * variables and then turned into the pool's poll count. */
#include "waitpolicy.h"

#include "parse.h"
#include "pool.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool parse_spincount(const char *text, long *out)
{
    if (strcasecmp(text, "infinity") == 0 || strcasecmp(text, "infinite") == 0) {
        *out = POOL_SPIN_FOREVER;
        return true;
    }
    return parse_long(text, 0, 1000000000000L, out);
}

bool waitpolicy_reads(const char *name)
{
    return strcmp(name, "OMP_WAIT_POLICY") == 0 || strcmp(name, "BENCH_SPINCOUNT") == 0;
}

int waitpolicy_check_env(const char *name, const char *value, struct error *e)
{
    long n;
    if (strcmp(name, "OMP_WAIT_POLICY") == 0 && strcasecmp(value, "active") != 0 &&
        strcasecmp(value, "passive") != 0)
        return error_set(e, ERR_USAGE, "OMP_WAIT_POLICY: expected %s, got '%s'",
                         WAITPOLICY_ACCEPTS, value);
    if (strcmp(name, "BENCH_SPINCOUNT") == 0 && !parse_spincount(value, &n))
        return error_set(e, ERR_USAGE, "BENCH_SPINCOUNT: expected %s, got '%s'",
                         SPINCOUNT_ACCEPTS, value);
    return ERR_OK;
}

long waitpolicy_spin(void)
{
    long n;
    const char *count = getenv("BENCH_SPINCOUNT");
    if (count != NULL && parse_spincount(count, &n))
        return n;
    const char *policy = getenv("OMP_WAIT_POLICY");
    if (policy != NULL && strcasecmp(policy, "passive") == 0)
        return 0;
    if (policy != NULL && strcasecmp(policy, "active") == 0)
        return POOL_SPIN_FOREVER;
    return POOL_SPIN_DEFAULT;
}
