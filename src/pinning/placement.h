/* Where threads really ran: each team member notes the PU it is on once per task, in its
 * own cache-line-aligned bitmap (no lock, no allocation, no shared line on the task
 * path); between repetitions the bitmaps become one compact, CSV-safe text. */
#ifndef BENCH_PLACEMENT_H
#define BENCH_PLACEMENT_H

#include "affinity.h"
#include "error.h"

struct placement;

/* Room for nthreads threads on PUs whose OS index is at most max_pu. */
int placement_create(struct placement **out, unsigned nthreads, unsigned max_pu, struct error *e);
void placement_destroy(struct placement *p);

/* Forgets what was seen (untimed, between repetitions). */
void placement_reset(struct placement *p);

/* Called by team member tid during a task: marks the PU it runs on now. */
void placement_note(struct placement *p, unsigned tid);

/* Marks PU pu as seen by thread tid, as placement_note does for the current PU. */
void placement_mark(struct placement *p, unsigned tid, unsigned pu);

/* The text "THREAD:PUS;THREAD:PUS..." (PUS as ranges joined by '.', "-" when the thread
 * ran no task, '!' after a thread seen outside its cpuset). When plan is not NULL and
 * binds, *misplaced counts such threads; otherwise nothing is checked. The caller frees
 * *text. */
int placement_report(const struct placement *p, const struct affinity_plan *plan, char **text,
                     unsigned *misplaced, struct error *e);

#endif
