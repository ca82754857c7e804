/* Adding up and checking the per-thread tallies of task runs. */
#include "tally.h"

#include <stdlib.h>

struct tally_slot *tally_new(size_t nslots)
{
    size_t n = nslots > 0 ? nslots : 1;
    struct tally_slot *s = aligned_alloc(_Alignof(struct tally_slot), n * sizeof *s);
    if (s != NULL)
        tally_reset(s, n);
    return s;
}

void tally_reset(struct tally_slot *slots, size_t nslots)
{
    for (size_t k = 0; k < nslots; k++) {
        atomic_init(&slots[k].runs, 0);
        atomic_init(&slots[k].sum, 0);
    }
}

struct tally_sum tally_expect(uint64_t n)
{
    return tally_expect_times(n, 1);
}

/* The sums wrap modulo 2^64 as the slots' adds do, so times x the once-sum is exact. */
struct tally_sum tally_expect_times(uint64_t n, uint64_t times)
{
    struct tally_sum want = { .runs = n * times };
    for (uint64_t task = 0; task < n; task++)
        want.sum += mix64(task);
    want.sum *= times;
    return want;
}

bool tally_check(const struct tally_slot *slots, size_t nslots, struct tally_sum want,
                 struct tally_sum *got)
{
    struct tally_sum sum = { 0 };
    for (size_t k = 0; k < nslots; k++) {
        sum.runs += atomic_load_explicit(&slots[k].runs, memory_order_relaxed);
        sum.sum += atomic_load_explicit(&slots[k].sum, memory_order_relaxed);
    }
    if (got != NULL)
        *got = sum;
    return sum.runs == want.runs && sum.sum == want.sum;
}
