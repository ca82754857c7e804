/* The sequential backend: a plain loop on the calling thread, the reference every
 * speedup is measured against. */
#include "backend.h"

#include <stdlib.h>

struct backend {
    int unused;
};

const char backend_name[] = "seq";
const int backend_parallel = 0;

const char *backend_runtime(void)
{
    return "none";
}

int backend_open(struct backend **out, const struct backend_config *cfg, struct error *e)
{
    (void)cfg;
    static struct backend only;
    (void)e;
    *out = &only;
    return ERR_OK;
}

unsigned backend_threads(const struct backend *b)
{
    (void)b;
    return 1;
}

void backend_for(struct backend *b, size_t n, backend_iter_fn *fn, void *arg)
{
    (void)b;
    for (size_t i = 0; i < n; i++)
        fn(arg, i, 0);
}

void backend_close(struct backend *b)
{
    (void)b;
}
