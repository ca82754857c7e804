/* The net workload's server as a child process: started before the warm-up (while the
 * benchmark is still single-threaded), told to stop when the run ends, and killed by the
 * stop-signal handler. It exits by itself when its parent dies, even by SIGKILL. */
#ifndef BENCH_NETCHILD_H
#define BENCH_NETCHILD_H

#include "error.h"

#include <sys/types.h>

struct netchild {
    pid_t pid;
    int lifeline; /* write end of a pipe the server watches; closing it stops the server */
    int port;
};

/* Starts bin/bench-netserver (beside the running binary) on host and an ephemeral port. */
int netchild_start(struct netchild *c, const char *host, struct error *e);

/* Stops the server and reaps it; safe on a struct that never started. */
void netchild_stop(struct netchild *c);

#endif
