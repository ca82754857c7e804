/* The machine as hwloc sees it, loaded once per process and shared read-only. Only the
 * PUs this process may use count (a taskset or a container's cpuset restricts them). */
#ifndef BENCH_TOPOLOGY_H
#define BENCH_TOPOLOGY_H

#include "error.h"

#include <hwloc.h>
#include <stdint.h>

/* Loads the topology on first use; later calls return the same one. */
int topology_get(hwloc_topology_t *out, struct error *e);

/* Processing units (hardware threads) this process may run on. */
int topology_count_pus(unsigned *out, struct error *e);

/* The highest OS index of any PU of the machine, allowed or not: the size of a table
 * indexed by what sched_getcpu returns. */
int topology_max_pu_index(unsigned *out, struct error *e);

/* All caches of the deepest level hwloc knows, added up: the last-level cache of the
 * machine (one per package on a multi-socket host). */
int topology_llc_bytes(uint64_t *out, struct error *e);

void topology_release(void);

#endif
