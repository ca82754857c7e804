/* backend_region_spawned for the backends that cannot create a team for one region (the
 * sequential build, OpenMP): the region runs on the team they have, as backend.h says. */
#include "backend.h"

int backend_region_spawned(struct backend *b, backend_region_fn *fn, void *arg,
                           struct error *e)
{
    (void)e;
    backend_region(b, fn, arg);
    return ERR_OK;
}
