/* net: task i fetches a reply of kib KiB over TCP from a server that answers after
 * latency_ms, like fetching pages from a slow web server, and checks every byte. The
 * benchmark starts its own server (bin/bench-netserver) in a child process unless
 * host and port name another one. Every wait is bounded, so a dead server fails the
 * run within latency_ms + timeout_ms instead of hanging it. */
#include "workload.h"

#include "fdlimit.h"
#include "netchild.h"
#include "netproto.h"
#include "pattern.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_WORDS 2048 /* 16 KiB per recv, on the task's stack */

enum { ERR_NONE, ERR_WRITING, ERR_READY };

struct net_ctx {
    long kib, latency_ms, timeout_ms;
    char host[64];
    int port;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    char where[96]; /* host:port, for messages */
    struct netchild child;
    atomic_int err_state;
    char err[256];
};

static const struct param_spec net_params[] = {
    { .name = "latency_ms", .type = PARAM_INT, .def = "20", .min = 0, .max = NETPROTO_MS_MAX,
      .help = "milliseconds the server waits before it replies" },
    { .name = "kib", .type = PARAM_INT, .def = "4", .min = 0, .max = NETPROTO_KIB_MAX,
      .help = "KiB of each reply" },
    { .name = "host", .type = PARAM_TEXT, .def = "127.0.0.1",
      .help = "numeric IPv4 or IPv6 address of the server" },
    { .name = "port", .type = PARAM_INT, .def = "0", .min = 0, .max = 65535,
      .help = "0: start the suite's own server on host; else use the server already there" },
    { .name = "timeout_ms", .type = PARAM_INT, .def = "5000", .min = 1, .max = 3600000,
      .help = "how long past latency_ms a task waits for its whole reply before the run "
              "fails" },
};

static void net_fail(struct net_ctx *c, size_t i, const char *what, int err)
{
    int none = ERR_NONE;
    if (!atomic_compare_exchange_strong(&c->err_state, &none, ERR_WRITING))
        return;
    char tmp[128];
    snprintf(c->err, sizeof c->err, "net: %s: %s%s%s (task %zu)", c->where, what,
             err ? ": " : "", err ? strerror_r(err, tmp, sizeof tmp) : "", i);
    atomic_store(&c->err_state, ERR_READY);
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Waits for events on fd until the deadline (us): 1 ready, 0 timed out, -1 failed. */
static int wait_for(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = (deadline - now_us() + 999) / 1000;
        if (left <= 0)
            return 0;
        struct pollfd p = { .fd = fd, .events = events };
        int r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r != 0)
            return r > 0 ? 1 : -1;
    }
}

/* Connects and sends the request. A loopback connect usually completes inside the
 * connect() call, so the request goes out without waiting for writability first; a
 * refusal then shows up on send(), and is reported as the connect failure it is. */
static bool net_request(struct net_ctx *c, int fd, long long deadline, size_t i)
{
    if (connect(fd, (struct sockaddr *)&c->addr, c->addrlen) != 0 && errno != EINPROGRESS) {
        net_fail(c, i, "connect", errno);
        return false;
    }
    char req[NETPROTO_REQUEST_MAX];
    struct netproto_request r = { .index = i, .kib = c->kib, .ms = c->latency_ms };
    size_t len = netproto_format_request(&r, req, sizeof req), sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            net_fail(c, i, sent == 0 ? "connect" : "send", errno);
            return false;
        }
        if (wait_for(fd, POLLOUT, deadline) <= 0) {
            net_fail(c, i, sent == 0 ? "connect timed out" : "send timed out", 0);
            return false;
        }
    }
    return true;
}

/* The first byte of a reply must not come before latency_ms has passed since the task
 * began (less 1 % and 1 ms, for a server on another host whose clock runs a little fast):
 * a server that answers early would make waiting look cheaper than it is. */
static bool net_in_time(struct net_ctx *c, size_t i, long long waited_us)
{
    if (waited_us >= c->latency_ms * 990 - 1000)
        return true;
    char what[96];
    snprintf(what, sizeof what, "the reply came %.1f ms after the request, before latency_ms=%ld",
             waited_us / 1000.0, c->latency_ms);
    net_fail(c, i, what, 0);
    return false;
}

/* Reads the reply to its end of file, folding every byte into *digest. */
static bool net_reply(struct net_ctx *c, int fd, long long start, long long deadline, size_t i,
                      uint64_t *digest)
{
    uint64_t buf[CHUNK_WORDS], seed = pattern_seed(NETPROTO_SALT, i), h = seed;
    unsigned char *bytes = (unsigned char *)buf;
    uint64_t want = (uint64_t)c->kib * 1024, got = 0;
    size_t have = 0;
    /* The reply cannot come before latency_ms: wait first rather than try a recv. */
    errno = EAGAIN;
    for (ssize_t n = -1;; n = recv(fd, bytes + have, sizeof buf - have, 0)) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = wait_for(fd, POLLIN, deadline);
            if (r > 0)
                continue;
            char what[96];
            snprintf(what, sizeof what, "no complete reply within %ld ms (%llu of %llu bytes)",
                     c->latency_ms + c->timeout_ms, (unsigned long long)got,
                     (unsigned long long)want);
            net_fail(c, i, what, r < 0 ? errno : 0);
            return false;
        }
        if (n < 0) {
            net_fail(c, i, "recv", errno);
            return false;
        }
        if (n == 0)
            break;
        if (got == 0 && !net_in_time(c, i, now_us() - start))
            return false;
        got += (uint64_t)n;
        if (got > want) {
            net_fail(c, i, "the reply is longer than asked for", 0);
            return false;
        }
        have += (size_t)n;
        h = pattern_digest(h, buf, have / 8);
        memmove(bytes, bytes + have / 8 * 8, have % 8);
        have %= 8;
    }
    if (got < want) {
        char what[96];
        snprintf(what, sizeof what, "the server closed the connection after %llu of %llu bytes",
                 (unsigned long long)got, (unsigned long long)want);
        net_fail(c, i, what, 0);
        return false;
    }
    *digest = pattern_finish(h, got);
    return true;
}

static uint64_t net_task(void *ctx, size_t i, unsigned tid)
{
    (void)tid;
    struct net_ctx *c = ctx;
    if (atomic_load(&c->err_state) != ERR_NONE)
        return 0;
    long long start = now_us(), deadline = start + (c->latency_ms + c->timeout_ms) * 1000;
    int fd = socket(c->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        net_fail(c, i, "socket", errno);
        return 0;
    }
    uint64_t digest = 0;
    if (net_request(c, fd, deadline, i))
        net_reply(c, fd, start, deadline, i, &digest);
    close(fd);
    return digest;
}

static uint64_t net_expect(void *ctx, size_t i)
{
    const struct net_ctx *c = ctx;
    return pattern_expect(pattern_seed(NETPROTO_SALT, i), (uint64_t)c->kib * 128);
}

static int net_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                     struct error *e)
{
    struct net_ctx *c = ctx;
    if (atomic_load(&c->err_state) == ERR_READY)
        return error_set(e, ERR_RUN, "%s", c->err);
    workload_check_each(ctx, net_expect, results, n, out);
    size_t used = strlen(out->metrics);
    snprintf(out->metrics + used, sizeof out->metrics - used, "%sserver=%s",
             used ? ";" : "", c->child.pid > 0 ? "child" : "external");
    return ERR_OK;
}

static void net_teardown(void *ctx)
{
    struct net_ctx *c = ctx;
    netchild_stop(&c->child);
    free(c);
}

static int net_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    struct net_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return error_set(e, ERR_RUN, "net: out of memory");
    c->child.pid = 0;
    c->child.lifeline = -1;
    c->kib = params_int(run->params, "kib");
    c->latency_ms = params_int(run->params, "latency_ms");
    c->timeout_ms = params_int(run->params, "timeout_ms");
    c->port = (int)params_int(run->params, "port");
    atomic_init(&c->err_state, ERR_NONE);
    const char *host = params_text(run->params, "host");
    if (strlen(host) >= sizeof c->host || !netproto_address(host, c->port, &c->addr, &c->addrlen)) {
        free(c);
        return error_set(e, ERR_USAGE, "-p host: expected a numeric IPv4 or IPv6 address "
                         "(no names), got '%s'", host);
    }
    snprintf(c->host, sizeof c->host, "%s", host);
    /* One socket per thread at a time, and the descriptors the process already has. */
    int rc = fdlimit_raise((long)run->threads + 64, e);
    if (rc == ERR_OK && c->port == 0) {
        rc = netchild_start(&c->child, c->host, e);
        c->port = c->child.port;
        if (rc == ERR_OK)
            netproto_address(c->host, c->port, &c->addr, &c->addrlen);
    }
    if (rc != ERR_OK) {
        net_teardown(c);
        return rc;
    }
    netproto_format_address(c->host, c->port, c->where, sizeof c->where);
    *ctx = c;
    return ERR_OK;
}

static const char *const net_test_params[] = { "latency_ms=1", "kib=1", NULL };

const struct workload workload_net = {
    .name = "net",
    .bound = "network I/O",
    .waits = true,
    .summary = "each task fetches kib KiB over TCP from a local server that answers after "
               "latency_ms",
    .params = net_params,
    .nparams = sizeof net_params / sizeof net_params[0],
    .default_tasks = 64,
    .test_params = net_test_params,
    .setup = net_setup,
    .task = net_task,
    .check = net_check,
    .teardown = net_teardown,
};
