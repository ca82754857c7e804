/* The 64-bit mixing function (splitmix64's finaliser) that seeds tasks and folds
 * results into checksums. Inline because workloads call it inside timed loops. */
#ifndef BENCH_MIX_H
#define BENCH_MIX_H

#include <stdint.h>

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

#endif
