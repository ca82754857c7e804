/* Where the running binary lives, so that the suite finds its own parts (the net server
 * next to it, the project's results/ folder above it) wherever it is started from. */
#ifndef BENCH_SELFPATH_H
#define BENCH_SELFPATH_H

#include "error.h"

#include <stddef.h>

/* The folder holding the running binary (/proc/self/exe without its last part). */
int selfpath_dir(char *buf, size_t len, struct error *e);

/* The project's folder: the nearest folder above the binary that holds a Makefile
 * (bin/bench-omp and bin/tsan/bench-pthread both find the same one), else the binary's
 * folder's parent. */
int selfpath_project(char *buf, size_t len, struct error *e);

#endif
