/* The wait policy: the environment's say on spinning, turned into the pool's poll count. */
#include "waitpolicy.h"

#include "pool.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

bool waitpolicy_parse(const char *text, enum waitpolicy *out)
{
    if (strcasecmp(text, "active") == 0)
        *out = WAITPOLICY_ACTIVE;
    else if (strcasecmp(text, "passive") == 0)
        *out = WAITPOLICY_PASSIVE;
    else
        return false;
    return true;
}

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

bool waitpolicy_parse_spincount(const char *text, long *out)
{
    const char *p = skip_space(text);
    if (strncasecmp(p, "infinity", 8) == 0 || strncasecmp(p, "infinite", 8) == 0) {
        if (*skip_space(p + 8) != '\0')
            return false;
        *out = POOL_SPIN_FOREVER;
        return true;
    }
    /* strtoull would take a sign and wrap "-1" round to a huge count, as libgomp does by
     * accident; a count starts with a digit. */
    if (!isdigit((unsigned char)*p))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 10);
    bool saturated = errno == ERANGE;
    p = skip_space(end);
    unsigned long long mult = 1;
    if (*p != '\0') {
        switch (tolower((unsigned char)*p)) {
        case 'k': mult = 1000ULL; break;
        case 'm': mult = 1000000ULL; break;
        case 'g': mult = 1000000000ULL; break;
        case 't': mult = 1000000000000ULL; break;
        default: return false;
        }
        p = skip_space(p + 1);
        if (*p != '\0')
            return false;
    }
    if (saturated || v > (unsigned long long)LONG_MAX / mult)
        *out = POOL_SPIN_FOREVER;
    else
        *out = (long)(v * mult);
    return true;
}

long waitpolicy_spin(enum waitpolicy policy, long spincount)
{
    if (spincount >= 0)
        return spincount;
    switch (policy) {
    case WAITPOLICY_PASSIVE: return 0;
    case WAITPOLICY_ACTIVE: return POOL_SPIN_FOREVER;
    case WAITPOLICY_DEFAULT: break;
    }
    return POOL_SPIN_DEFAULT;
}
