/* The syntax of OMP_PROC_BIND and OMP_PLACES, as the OpenMP runtimes accept them, so
 * that a value either runtime would refuse (and then leave the threads unbound) is
 * refused before anything runs. */
#ifndef BENCH_OMPPLACE_H
#define BENCH_OMPPLACE_H

#include <stdbool.h>

#define OMPPLACE_PROC_BIND_ACCEPTS                                                          \
    "true, false, or a comma-separated list of primary, master, close and spread (any case)"
#define OMPPLACE_PLACES_ACCEPTS                                                             \
    "threads, cores, sockets, ll_caches or numa_domains, optionally followed by (N), or a " \
    "list of places such as {0,1},{2,3} or {0:2}:2:2"

/* OMP_PROC_BIND: *is_false tells whether it turns binding off. */
bool ompplace_parse_proc_bind(const char *text, bool *is_false);

/* OMP_PLACES: an abstract name or an explicit list, with OpenMP's intervals (start:count
 * and start:count:stride) and exclusions (!), spaces allowed between the parts. Only
 * the syntax: which PUs a list names is for the runtime to judge. */
bool ompplace_parse_places(const char *text);

#endif
