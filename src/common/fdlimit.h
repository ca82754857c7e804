/* Open-file limits: a thousand connections need more descriptors than the usual soft
 * limit of 1024, on both the client's and the server's side. */
#ifndef BENCH_FDLIMIT_H
#define BENCH_FDLIMIT_H

#include "error.h"

/* Raises the soft RLIMIT_NOFILE to the hard limit; ERR_RUN when even that is below
 * needed (then the message names both figures). */
int fdlimit_raise(long needed, struct error *e);

#endif
