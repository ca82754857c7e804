/* The constructs the sequential build and the pool share, written without OpenMP: a C11
 * atomic add, and, with no omp_lock_t to offer, backend_locked as backend_critical. */
#include "backend.h"

#include <assert.h>
#include <stdatomic.h>

static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t) &&
                  _Alignof(_Atomic uint64_t) == _Alignof(uint64_t),
              "a uint64_t counter can be updated as an _Atomic uint64_t");

void backend_atomic_add(struct backend *b, uint64_t *x, uint64_t v)
{
    (void)b;
    atomic_fetch_add_explicit((_Atomic uint64_t *)x, v, memory_order_relaxed);
}

void backend_locked(struct backend *b, backend_excl_fn *fn, void *arg)
{
    backend_critical(b, fn, arg);
}
