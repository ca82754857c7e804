/* A tally of task runs, for workloads whose tasks return nothing a check could read
 * (noop's empty bodies, contention's increments). Each thread counts the tasks it ran
 * and adds up a hash of their numbers in a slot of its own, so counting shares no cache
 * line and costs a few nanoseconds per task; after the run, untimed, the slots are
 * added up and compared with what running each task 0..n-1 exactly once gives. A task
 * run twice and another skipped leave the count right but change the sum by
 * mix64(twice) - mix64(skipped), which is never 0 since mix64 is a bijection; several
 * such faults could cancel only by a 64-bit coincidence. The same holds when each task
 * is to run k times (memory's passes): one run k+1 times and another k-1 times. */
#ifndef BENCH_TALLY_H
#define BENCH_TALLY_H

#include "mix.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tally_slot {
    _Alignas(64) _Atomic uint64_t runs;
    _Atomic uint64_t sum;
};

/* The slots added up, or what they should add up to. */
struct tally_sum {
    uint64_t runs, sum;
};

/* Task number task ran on the thread that owns slot. Inline: it sits in timed loops.
 * The adds are atomic although no other thread touches the slot, for a steady cost: on
 * this EPYC a plain add to memory in a body costs 1.2 or 1.7 ns depending on where the
 * process's code and stack landed, differently in noop's reference and test, which put
 * +-0.45 us on a loop of 1024 bodies; a locked add costs the same (about 5 ns) on every
 * path. */
static inline void tally_note(struct tally_slot *slot, uint64_t task)
{
    atomic_fetch_add_explicit(&slot->runs, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&slot->sum, mix64(task), memory_order_relaxed);
}

/* nslots zeroed slots, each on its own cache line (free with free()); NULL when out of
 * memory. */
struct tally_slot *tally_new(size_t nslots);

void tally_reset(struct tally_slot *slots, size_t nslots);

/* What the slots hold when every task 0..n-1 ran exactly once. O(n): compute it once. */
struct tally_sum tally_expect(uint64_t n);

/* What the slots hold when every task 0..n-1 ran exactly times times. O(n). */
struct tally_sum tally_expect_times(uint64_t n, uint64_t times);

/* True when the slots add up to want; *got (may be NULL) receives what they add up to. */
bool tally_check(const struct tally_slot *slots, size_t nslots, struct tally_sum want,
                 struct tally_sum *got);

#endif
