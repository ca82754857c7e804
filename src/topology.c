/* Loading of the hwloc topology. hwloc 2 restricts the topology to the cpuset the process
 * is allowed to use unless asked otherwise, which is what every count here wants. */
#include "topology.h"

#include <errno.h>
#include <string.h>

static hwloc_topology_t loaded;

int topology_get(hwloc_topology_t *out, struct error *e)
{
    if (loaded == NULL) {
        hwloc_topology_t t;
        if (hwloc_topology_init(&t) != 0)
            return error_set(e, ERR_RUN, "hwloc_topology_init: %s", strerror(errno));
        if (hwloc_topology_load(t) != 0) {
            int err = errno;
            hwloc_topology_destroy(t);
            return error_set(e, ERR_RUN, "hwloc_topology_load: %s", strerror(err));
        }
        loaded = t;
    }
    *out = loaded;
    return ERR_OK;
}

static int count(hwloc_obj_type_t type, unsigned *out, struct error *e)
{
    hwloc_topology_t t;
    int rc = topology_get(&t, e);
    if (rc != ERR_OK)
        return rc;
    int n = hwloc_get_nbobjs_by_type(t, type);
    if (n <= 0)
        return error_set(e, ERR_RUN, "hwloc found no %s", hwloc_obj_type_string(type));
    *out = (unsigned)n;
    return ERR_OK;
}

int topology_count_pus(unsigned *out, struct error *e)
{
    return count(HWLOC_OBJ_PU, out, e);
}

int topology_count_cores(unsigned *out, struct error *e)
{
    return count(HWLOC_OBJ_CORE, out, e);
}

void topology_release(void)
{
    if (loaded != NULL)
        hwloc_topology_destroy(loaded);
    loaded = NULL;
}
