/* Loading of the hwloc topology, restricted to the PUs this process may run on: hwloc 2
 * leaves out what a cgroup forbids, and the restriction below what the process's own
 * binding (taskset, hwloc-bind, numactl) excludes, which is what every count here wants. */
#include "topology.h"

#include <hwloc/glibc-sched.h>

#include <errno.h>
#include <sched.h>
#include <string.h>

static hwloc_topology_t loaded;

/* The binding the process started with, read before any library's constructor runs:
 * libgomp binds the initial thread to its first place when OMP_PROC_BIND is set, and
 * reading the binding later would shrink the machine to that one place. */
static cpu_set_t initial_mask;
static int initial_known;

static void capture_initial_mask(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    /* Fails (EINVAL) only beyond CPU_SETSIZE PUs; hwloc then reads the binding itself. */
    initial_known = sched_getaffinity(0, sizeof initial_mask, &initial_mask) == 0;
}

#ifdef BENCH_SHARED_LIBRARY
/* A shared library (bin/libbench.so, for bench-python) has no .preinit_array; its
 * constructor runs when the library is loaded, before the program that loads it binds
 * any thread through it. */
__attribute__((constructor)) static void capture_at_load(void)
{
    capture_initial_mask(0, NULL, NULL);
}
#else
__attribute__((used, section(".preinit_array"))) static void (*const capture_entry)(
    int, char **, char **) = capture_initial_mask;
#endif

static int restrict_to_initial(hwloc_topology_t t, struct error *e)
{
    hwloc_cpuset_t set = hwloc_bitmap_alloc();
    if (set == NULL)
        return error_set(e, ERR_RUN, "out of memory for a cpuset");
    int rc = ERR_OK;
    if (hwloc_cpuset_from_glibc_sched_affinity(t, set, &initial_mask, sizeof initial_mask) != 0 ||
        hwloc_topology_restrict(t, set, 0) != 0)
        rc = error_set(e, ERR_RUN, "hwloc_topology_restrict to the process's binding: %s",
                       strerror(errno));
    hwloc_bitmap_free(set);
    return rc;
}

int topology_get(hwloc_topology_t *out, struct error *e)
{
    if (loaded == NULL) {
        hwloc_topology_t t;
        if (hwloc_topology_init(&t) != 0)
            return error_set(e, ERR_RUN, "hwloc_topology_init: %s", strerror(errno));
        unsigned long flags = HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM;
        if (!initial_known)
            flags |= HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING;
        if (hwloc_topology_set_flags(t, flags) != 0 || hwloc_topology_load(t) != 0) {
            int err = errno;
            hwloc_topology_destroy(t);
            return error_set(e, ERR_RUN, "hwloc_topology_load: %s", strerror(err));
        }
        if (initial_known) {
            int rc = restrict_to_initial(t, e);
            if (rc != ERR_OK) {
                hwloc_topology_destroy(t);
                return rc;
            }
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

int topology_max_pu_index(unsigned *out, struct error *e)
{
    hwloc_topology_t t;
    int rc = topology_get(&t, e);
    if (rc != ERR_OK)
        return rc;
    int last = hwloc_bitmap_last(hwloc_topology_get_complete_cpuset(t));
    if (last < 0)
        return error_set(e, ERR_RUN, "hwloc found no PU");
    *out = (unsigned)last;
    return ERR_OK;
}

int topology_llc_bytes(uint64_t *out, struct error *e)
{
    hwloc_topology_t t;
    int rc = topology_get(&t, e);
    if (rc != ERR_OK)
        return rc;
    static const hwloc_obj_type_t levels[] = { HWLOC_OBJ_L5CACHE, HWLOC_OBJ_L4CACHE,
                                               HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE,
                                               HWLOC_OBJ_L1CACHE };
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++) {
        int n = hwloc_get_nbobjs_by_type(t, levels[k]);
        uint64_t sum = 0;
        for (int i = 0; i < n; i++)
            sum += hwloc_get_obj_by_type(t, levels[k], (unsigned)i)->attr->cache.size;
        if (sum > 0) {
            *out = sum;
            return ERR_OK;
        }
    }
    return error_set(e, ERR_RUN, "hwloc reports no cache; give the size with -p mib=");
}

void topology_release(void)
{
    if (loaded != NULL)
        hwloc_topology_destroy(loaded);
    loaded = NULL;
}
