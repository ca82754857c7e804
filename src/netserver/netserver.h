/* The slow local server of the net workload: one thread, epoll and one timerfd, so it
 * holds thousands of connections at once and answers each after the delay the request
 * asks for. It runs in its own process (bin/bench-netserver) so that its work never
 * counts against the threads being measured. */
#ifndef BENCH_NETSERVER_H
#define BENCH_NETSERVER_H

#include "error.h"

struct netserver;

/* Listens on host (numeric) and port (0: an ephemeral one). */
int netserver_open(struct netserver **out, const char *host, int port, struct error *e);

/* The port it listens on. */
int netserver_port(const struct netserver *s);

/* Serves until stop_fd (when >= 0) becomes readable or hangs up: data or end of file
 * both mean stop, so the read end of a pipe whose writer dies stops the server. */
int netserver_run(struct netserver *s, int stop_fd, struct error *e);

void netserver_close(struct netserver *s);

#endif
