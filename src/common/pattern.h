/* The bytes the I/O workloads write and read back: a stream of 64-bit words derived from
 * a seed (the task index), so every byte can be checked without keeping a copy, and the
 * digest that folds the words actually read into the task's result. */
#ifndef BENCH_PATTERN_H
#define BENCH_PATTERN_H

#include "mix.h"

#include <stddef.h>
#include <stdint.h>

#define PATTERN_GOLDEN UINT64_C(0x9e3779b97f4a7c15)

/* salt keeps the disk's and the net's streams apart. */
static inline uint64_t pattern_seed(uint64_t salt, uint64_t i)
{
    return mix64(salt ^ mix64(i + PATTERN_GOLDEN));
}

/* Word k of the stream, so any offset can be produced without the words before it. */
static inline uint64_t pattern_word(uint64_t seed, uint64_t k)
{
    return mix64(seed + k * PATTERN_GOLDEN);
}

static inline void pattern_fill(uint64_t seed, uint64_t first, uint64_t *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        w[k] = pattern_word(seed, first + k);
}

/* Folds n words into a running digest h (start from the seed). */
static inline uint64_t pattern_digest(uint64_t h, const uint64_t *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        h = mix64(h ^ w[k]);
    return h;
}

/* The digest of a whole stream of nbytes, the length folded in last so that a short
 * stream never matches a long one. */
static inline uint64_t pattern_finish(uint64_t h, uint64_t nbytes)
{
    return mix64(h ^ nbytes);
}

/* What a task that read the stream correctly returns, computed without any I/O. */
static inline uint64_t pattern_expect(uint64_t seed, uint64_t nwords)
{
    uint64_t h = seed;
    for (uint64_t k = 0; k < nwords; k++)
        h = mix64(h ^ pattern_word(seed, k));
    return pattern_finish(h, nwords * 8);
}

#endif
