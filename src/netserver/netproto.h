/* What the net workload's client and server say to each other: the request line
 * "GET i kib latency_ms\n", and the reply, which is kib KiB of the pattern stream of
 * task i (src/pattern.h) sent after latency_ms. Also the numeric addresses both use. */
#ifndef BENCH_NETPROTO_H
#define BENCH_NETPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NETPROTO_SALT UINT64_C(0x6e657477726b6e65)
#define NETPROTO_REQUEST_MAX 80
#define NETPROTO_KIB_MAX 1048576L
#define NETPROTO_MS_MAX 600000L

struct netproto_request {
    uint64_t index;
    long kib;
    long ms;
};

/* Writes the request line; returns its length. */
size_t netproto_format_request(const struct netproto_request *r, char *buf, size_t len);

/* Parses one request line (without its newline); false when malformed or out of range. */
bool netproto_parse_request(const char *line, struct netproto_request *r);

/* A numeric IPv4 or IPv6 address and a port; false when host is not one. No name lookup:
 * a benchmark must not wait on DNS. */
bool netproto_address(const char *host, int port, struct sockaddr_storage *sa, socklen_t *len);

/* "127.0.0.1:8080" or "[::1]:8080", for messages. */
void netproto_format_address(const char *host, int port, char *buf, size_t len);

#endif
