/* Raising the soft open-file limit, which any process may do up to its hard limit. */
#include "fdlimit.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

int fdlimit_raise(long needed, struct error *e)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return error_set(e, ERR_RUN, "getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            return error_set(e, ERR_RUN, "setrlimit(RLIMIT_NOFILE, %llu): %s",
                             (unsigned long long)rl.rlim_cur, strerror(errno));
    }
    if (rl.rlim_cur != RLIM_INFINITY && (long long)rl.rlim_cur < (long long)needed)
        return error_set(e, ERR_RUN,
                         "%ld open files needed, but the hard limit is %llu (raise ulimit -Hn)",
                         needed, (unsigned long long)rl.rlim_cur);
    return ERR_OK;
}
