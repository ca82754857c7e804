"""The C builds' mixing function, checksum fold and I/O byte pattern (src/common/mix.h,
src/common/pattern.h, workload_fold in src/workloads/workload.c), in Python with 64-bit
wrap-around, so that Python tasks produce and check the very values C tasks do. The
tests compare bench-python's checksums with bench-seq's for every workload."""

import struct

MASK = (1 << 64) - 1
GOLDEN = 0x9e3779b97f4a7c15


def mix64(x):
    """splitmix64's finaliser."""
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & MASK
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & MASK
    return x ^ (x >> 31)


def fold(results):
    """Folds per-task results, in index order, into one checksum."""
    h = mix64(len(results))
    for r in results:
        h = mix64(h ^ r)
    return h


def pattern_seed(salt, i):
    return mix64(salt ^ mix64((i + GOLDEN) & MASK))


def pattern_words(seed, first, n):
    """Words first .. first+n-1 of task seed's stream, as bytes in this machine's order
    (as the C tasks write them)."""
    words = [mix64((seed + k * GOLDEN) & MASK) for k in range(first, first + n)]
    return struct.pack("=%dQ" % n, *words)


def pattern_digest(h, data):
    """Folds the whole 64-bit words of data into the running digest h."""
    for (w,) in struct.iter_unpack("=Q", data):
        h = mix64(h ^ w)
    return h


def pattern_finish(h, nbytes):
    return mix64(h ^ nbytes)


def pattern_expect(seed, nwords):
    """What a task that read the stream correctly returns, without any I/O."""
    h = seed
    for k in range(nwords):
        h = mix64(h ^ mix64((seed + k * GOLDEN) & MASK))
    return pattern_finish(h, nwords * 8)
