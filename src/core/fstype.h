/* The name of the filesystem a folder lives on (ext4, xfs, tmpfs, ...), because what an
 * fsync costs depends on it and the results must say which it was. */
#ifndef BENCH_FSTYPE_H
#define BENCH_FSTYPE_H

#include <stddef.h>

/* Writes the type of the filesystem holding path into buf ("unknown" when it cannot tell). */
void fstype_of(const char *path, char *buf, size_t len);

#endif
