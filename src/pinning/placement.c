/* Recording of the PUs each thread was seen on. sched_getcpu is what hwloc's Linux
 * backend calls for hwloc_get_last_cpu_location(HWLOC_CPUBIND_THREAD); calling it
 * directly keeps the task path free of hwloc's bitmap reallocations. */
#include "placement.h"

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_LINE 64
#define WORD_BITS 64
#define SEEN_ELSEWHERE 1u /* a PU outside the recorded range, or sched_getcpu failed */

struct placement {
    unsigned nthreads;
    unsigned max_pu;
    size_t words;  /* bitmap words of a slot; the word after them holds flags */
    size_t stride; /* words from one thread's slot to the next: whole cache lines */
    uint64_t *slots;
};

int placement_create(struct placement **out, unsigned nthreads, unsigned max_pu, struct error *e)
{
    struct placement *p = malloc(sizeof *p);
    if (p == NULL)
        return error_set(e, ERR_RUN, "out of memory for placement records");
    p->nthreads = nthreads;
    p->max_pu = max_pu;
    p->words = (size_t)max_pu / WORD_BITS + 1;
    size_t per_line = CACHE_LINE / sizeof(uint64_t);
    p->stride = (p->words + 1 + per_line - 1) / per_line * per_line;
    size_t bytes = (size_t)nthreads * p->stride * sizeof(uint64_t);
    p->slots = aligned_alloc(CACHE_LINE, bytes ? bytes : CACHE_LINE);
    if (p->slots == NULL) {
        free(p);
        return error_set(e, ERR_RUN, "out of memory for placement records of %u threads",
                         nthreads);
    }
    placement_reset(p);
    *out = p;
    return ERR_OK;
}

void placement_destroy(struct placement *p)
{
    if (p == NULL)
        return;
    free(p->slots);
    free(p);
}

void placement_reset(struct placement *p)
{
    memset(p->slots, 0, (size_t)p->nthreads * p->stride * sizeof(uint64_t));
}

void placement_mark(struct placement *p, unsigned tid, unsigned pu)
{
    uint64_t *slot = p->slots + (size_t)tid * p->stride;
    if (pu > p->max_pu) {
        slot[p->words] |= SEEN_ELSEWHERE;
        return;
    }
    uint64_t bit = (uint64_t)1 << (pu % WORD_BITS);
    /* Test first: most tasks run where the previous one did, and a load does not make
     * the line dirty. */
    if (!(slot[pu / WORD_BITS] & bit))
        slot[pu / WORD_BITS] |= bit;
}

void placement_note(struct placement *p, unsigned tid)
{
    int cpu = sched_getcpu();
    if (cpu < 0) {
        p->slots[(size_t)tid * p->stride + p->words] |= SEEN_ELSEWHERE;
        return;
    }
    placement_mark(p, tid, (unsigned)cpu);
}

static int seen(const uint64_t *slot, unsigned pu)
{
    return (slot[pu / WORD_BITS] >> (pu % WORD_BITS)) & 1;
}

/* Writes the PUs of one slot as "0-3.6", checking them against set (may be NULL). */
static void format_slot(FILE *f, const struct placement *p, const uint64_t *slot,
                        hwloc_const_cpuset_t set, int *outside)
{
    int any = 0;
    for (unsigned pu = 0; pu <= p->max_pu; pu++) {
        if (!seen(slot, pu))
            continue;
        unsigned last = pu;
        while (last < p->max_pu && seen(slot, last + 1))
            last++;
        if (last == pu)
            fprintf(f, "%s%u", any ? "." : "", pu);
        else
            fprintf(f, "%s%u-%u", any ? "." : "", pu, last);
        for (unsigned k = pu; k <= last && set != NULL; k++)
            if (!hwloc_bitmap_isset(set, k))
                *outside = 1;
        any = 1;
        pu = last;
    }
    if (slot[p->words] & SEEN_ELSEWHERE) {
        fprintf(f, "%s?", any ? "." : "");
        if (set != NULL)
            *outside = 1;
        any = 1;
    }
    if (!any)
        fputc('-', f);
}

int placement_report(const struct placement *p, const struct affinity_plan *plan, char **text,
                     unsigned *misplaced, struct error *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return error_set(e, ERR_RUN, "out of memory for the placement text");
    int check = plan != NULL && affinity_plan_binds(plan);
    unsigned bad = 0;
    for (unsigned tid = 0; tid < p->nthreads; tid++) {
        int outside = 0;
        hwloc_const_cpuset_t set = NULL;
        if (check && tid < affinity_plan_threads(plan))
            set = affinity_plan_set(plan, tid);
        fprintf(f, "%s%u:", tid ? ";" : "", tid);
        format_slot(f, p, p->slots + (size_t)tid * p->stride, set, &outside);
        if (outside) {
            fputc('!', f);
            bad++;
        }
    }
    if (fclose(f) != 0 || buf == NULL) {
        free(buf);
        return error_set(e, ERR_RUN, "out of memory for the placement text");
    }
    *text = buf;
    *misplaced = bad;
    return ERR_OK;
}
