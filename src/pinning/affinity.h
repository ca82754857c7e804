/* Thread pinning: a policy (none, core, pu, compact, spread or a list of PUs) turns a
 * thread count into one hwloc cpuset per thread on a loaded topology, the machine's or a
 * synthetic one; a thread binds itself to its cpuset and reads the binding back. */
#ifndef BENCH_AFFINITY_H
#define BENCH_AFFINITY_H

#include "error.h"

#include <hwloc.h>
#include <stddef.h>

enum affinity_kind {
    AFFINITY_NONE,    /* the kernel decides */
    AFFINITY_CORE,    /* thread k on core k mod cores, every PU of the core */
    AFFINITY_PU,      /* thread k on the k-th PU (mod PUs) in OS-index order */
    AFFINITY_COMPACT, /* OpenMP's close: PUs in topology order, a core's PUs first */
    AFFINITY_SPREAD,  /* OpenMP's spread: as far apart as possible, packages then cores */
    AFFINITY_LIST,    /* thread k on the k-th PU (mod length) of an OS-index list */
};

struct affinity_policy {
    enum affinity_kind kind;
    const char *list; /* AFFINITY_LIST: the text "0,2,4-7", checked by affinity_parse */
};

#define AFFINITY_ACCEPTS                                                                    \
    "none, core, pu, compact, spread or a list of PU OS indexes such as 0,2,4-7"

/* Parses a policy name or list. Only the syntax: ERR_USAGE with a message saying what
 * is wrong, not naming the flag (the caller knows where the text came from). */
int affinity_parse(const char *text, struct affinity_policy *out, struct error *e);

/* Checks the policy against the PUs the topology allows: every PU of a list must exist
 * and be allowed. ERR_USAGE naming the first PU that is not. */
int affinity_check(hwloc_topology_t t, const struct affinity_policy *p, struct error *e);

/* The allowed PUs as hwloc's list text ("0-1", "0,2-3"), for messages. */
void affinity_allowed_text(hwloc_topology_t t, char *buf, size_t len);

/* The policy as a result field, no comma or quote: "spread", "0;2;4-7". */
void affinity_format(const struct affinity_policy *p, char *buf, size_t len);

/* One cpuset per thread; the topology must outlive the plan. */
struct affinity_plan;

/* Computes the cpusets of nthreads threads. AFFINITY_NONE gives a plan whose every
 * cpuset is the whole allowed set (nothing to bind, everything to compare against). */
int affinity_plan_create(struct affinity_plan **out, hwloc_topology_t t,
                         const struct affinity_policy *p, unsigned nthreads, struct error *e);
void affinity_plan_destroy(struct affinity_plan *plan);

unsigned affinity_plan_threads(const struct affinity_plan *plan);
/* True when the plan pins threads (the policy is not none). */
int affinity_plan_binds(const struct affinity_plan *plan);
/* Thread tid's cpuset; tid < affinity_plan_threads(). */
hwloc_const_cpuset_t affinity_plan_set(const struct affinity_plan *plan, unsigned tid);

/* Binds the calling thread, as member tid of the team, to its cpuset and reads the
 * binding back; nothing to do for a plan that does not bind. ERR_RUN with hwloc's
 * function, the cpuset and strerror(errno) when the kernel refuses. */
int affinity_bind(const struct affinity_plan *plan, unsigned tid, struct error *e);

/* Binds the calling thread to set and checks the binding read back equals it. */
int affinity_bind_set(hwloc_topology_t t, hwloc_const_cpuset_t set, struct error *e);

#endif
