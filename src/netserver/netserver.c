/* The event loop of the slow server. A connection moves through three phases: reading
 * its request line, waiting for its due time, writing its reply; then the server closes
 * it, so the TIME_WAIT state stays on the server's side and the clients' ephemeral ports
 * are free again at once. Every phase has a deadline in one min-heap, and the timerfd is
 * armed for the earliest, so a client that stalls costs nothing and never stays forever. */
#include "netserver.h"

#include "netproto.h"
#include "pattern.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000ull
#define READ_TIMEOUT_NS (10000 * NS_PER_MS)  /* for the request line */
#define STALL_TIMEOUT_NS (30000 * NS_PER_MS) /* a reply that makes no progress */
#define ACCEPT_RETRY_NS (100 * NS_PER_MS)    /* after accept ran out of memory or files */
#define CHUNK_WORDS 8192
#define NOT_QUEUED SIZE_MAX

enum phase { READING, WAITING, WRITING };

struct conn {
    int fd;
    enum phase phase;
    size_t heap_pos;
    uint64_t due_ns;
    size_t reqlen;
    char req[NETPROTO_REQUEST_MAX];
    uint64_t seed, total, sent;
    uint32_t watching; /* the epoll events it is registered for; 0: not registered */
};

struct netserver {
    int listen_fd, epoll_fd, timer_fd;
    int port;
    bool accept_paused;
    uint64_t accept_retry_ns; /* when a paused accept tries again by itself */
    uint64_t armed_ns; /* what the timerfd is armed for; 0: disarmed */
    struct conn **heap;
    size_t heap_n, heap_cap;
    uint64_t chunk[CHUNK_WORDS];
};

/* epoll tags for the descriptors that are not connections. */
static char tag_listen, tag_timer, tag_stop;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- the deadline heap ---------------------------------------------------------- */

static void heap_swap(struct netserver *s, size_t a, size_t b)
{
    struct conn *t = s->heap[a];
    s->heap[a] = s->heap[b];
    s->heap[b] = t;
    s->heap[a]->heap_pos = a;
    s->heap[b]->heap_pos = b;
}

static void heap_up(struct netserver *s, size_t k)
{
    while (k > 0 && s->heap[(k - 1) / 2]->due_ns > s->heap[k]->due_ns) {
        heap_swap(s, k, (k - 1) / 2);
        k = (k - 1) / 2;
    }
}

static void heap_down(struct netserver *s, size_t k)
{
    for (;;) {
        size_t l = 2 * k + 1, r = l + 1, m = k;
        if (l < s->heap_n && s->heap[l]->due_ns < s->heap[m]->due_ns)
            m = l;
        if (r < s->heap_n && s->heap[r]->due_ns < s->heap[m]->due_ns)
            m = r;
        if (m == k)
            return;
        heap_swap(s, k, m);
        k = m;
    }
}

static void heap_remove(struct netserver *s, struct conn *c)
{
    size_t k = c->heap_pos;
    if (k == NOT_QUEUED)
        return;
    c->heap_pos = NOT_QUEUED;
    if (k != --s->heap_n) {
        s->heap[k] = s->heap[s->heap_n];
        s->heap[k]->heap_pos = k;
        heap_up(s, k);
        heap_down(s, s->heap[k]->heap_pos);
    }
}

/* Sets c's deadline, queueing it if it was not. */
static bool heap_set(struct netserver *s, struct conn *c, uint64_t due)
{
    if (c->heap_pos == NOT_QUEUED) {
        if (s->heap_n == s->heap_cap) {
            size_t cap = s->heap_cap ? 2 * s->heap_cap : 1024;
            struct conn **h = realloc(s->heap, cap * sizeof *h);
            if (h == NULL)
                return false;
            s->heap = h;
            s->heap_cap = cap;
        }
        c->heap_pos = s->heap_n;
        s->heap[s->heap_n++] = c;
    }
    c->due_ns = due;
    heap_up(s, c->heap_pos);
    heap_down(s, c->heap_pos);
    return true;
}

/* Re-arms only when the earliest deadline changed: one system call less per wake-up. */
static void arm_timer(struct netserver *s)
{
    struct itimerspec its = { 0 };
    uint64_t due = s->heap_n > 0 ? s->heap[0]->due_ns : 0;
    if (s->accept_paused && (due == 0 || s->accept_retry_ns < due))
        due = s->accept_retry_ns;
    if (due == s->armed_ns)
        return;
    s->armed_ns = due;
    if (due != 0) {
        its.it_value.tv_sec = (time_t)(due / 1000000000ull);
        its.it_value.tv_nsec = (long)(due % 1000000000ull);
        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
            its.it_value.tv_nsec = 1; /* zero would disarm it */
    }
    timerfd_settime(s->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* ---- connections ------------------------------------------------------------------ */

/* A connection is registered with epoll when it first has to wait: most requests are
 * whole when accepted, so a connection is usually registered once its reply is pending. */
static bool watch(struct netserver *s, struct conn *c, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    int op = c->watching ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(s->epoll_fd, op, c->fd, &ev) != 0)
        return false;
    c->watching = events;
    return true;
}

/* Stops accepting: the backlog keeps new clients until accept_resume. */
static void accept_pause(struct netserver *s)
{
    struct epoll_event ev = { .events = 0, .data.ptr = &tag_listen };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev) == 0) {
        s->accept_paused = true;
        s->accept_retry_ns = now_ns() + ACCEPT_RETRY_NS;
    }
}

static void accept_resume(struct netserver *s)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &tag_listen };
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev) == 0)
        s->accept_paused = false;
}

static void conn_close(struct netserver *s, struct conn *c)
{
    heap_remove(s, c);
    close(c->fd);
    free(c);
    if (s->accept_paused)
        accept_resume(s);
}

/* Sends what the socket takes; closes c when the reply is complete or the peer is gone. */
static void conn_send(struct netserver *s, struct conn *c)
{
    bool progress = false, blocked = false;
    while (c->sent < c->total) {
        uint64_t word = c->sent / 8;
        size_t words = c->total / 8 - word < CHUNK_WORDS ? (size_t)(c->total / 8 - word)
                                                         : CHUNK_WORDS;
        pattern_fill(c->seed, word, s->chunk, words);
        size_t skip = (size_t)(c->sent % 8), len = words * 8 - skip;
        /* The end of the reply waits for close(), which sends it and the FIN in one
         * segment: one packet and one wake-up of the client fewer per connection. */
        int last = c->sent + len == c->total ? MSG_MORE : 0;
        ssize_t n = send(c->fd, (char *)s->chunk + skip, len, MSG_NOSIGNAL | last);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            blocked = true;
            break;
        }
        if (n <= 0) {
            conn_close(s, c);
            return;
        }
        c->sent += (uint64_t)n;
        progress = true;
    }
    /* close() sends what is queued at once, Nagle or not. */
    if (c->sent == c->total) {
        conn_close(s, c);
        return;
    }
    if (blocked && c->watching != EPOLLOUT) {
        /* A reply too big for the socket buffer: push its partial last segment now
         * rather than after the client's delayed ACK, and wait until it drains. */
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (!watch(s, c, EPOLLOUT)) {
            conn_close(s, c);
            return;
        }
    }
    if (progress && !heap_set(s, c, now_ns() + STALL_TIMEOUT_NS))
        conn_close(s, c);
}

static void conn_start_reply(struct netserver *s, struct conn *c)
{
    c->phase = WRITING;
    if (!heap_set(s, c, now_ns() + STALL_TIMEOUT_NS)) {
        conn_close(s, c);
        return;
    }
    conn_send(s, c);
}

static void conn_read(struct netserver *s, struct conn *c)
{
    for (;;) {
        ssize_t n = recv(c->fd, c->req + c->reqlen, sizeof c->req - 1 - c->reqlen, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->watching && !watch(s, c, EPOLLIN | EPOLLRDHUP))
                conn_close(s, c);
            return;
        }
        if (n <= 0) { /* closed or failed before a whole request */
            conn_close(s, c);
            return;
        }
        c->reqlen += (size_t)n;
        c->req[c->reqlen] = '\0';
        char *nl = strchr(c->req, '\n');
        if (nl == NULL) {
            if (c->reqlen == sizeof c->req - 1) {
                conn_close(s, c); /* too long to be a request */
                return;
            }
            continue;
        }
        *nl = '\0';
        struct netproto_request r;
        if (!netproto_parse_request(c->req, &r)) {
            conn_close(s, c);
            return;
        }
        c->seed = pattern_seed(NETPROTO_SALT, r.index);
        c->total = (uint64_t)r.kib * 1024;
        /* Watched while it waits, so that a client that leaves (or closes its side:
         * the server cannot tell the two apart) is dropped at once (conn_event) instead
         * of holding a descriptor for up to NETPROTO_MS_MAX. */
        c->phase = WAITING;
        if ((!c->watching && !watch(s, c, EPOLLIN | EPOLLRDHUP)) ||
            !heap_set(s, c, now_ns() + (uint64_t)r.ms * NS_PER_MS))
            conn_close(s, c);
        return;
    }
}

static void conn_event(struct netserver *s, struct conn *c, uint32_t events)
{
    if (events & (EPOLLERR | EPOLLHUP)) {
        conn_close(s, c);
        return;
    }
    if (c->phase == READING && (events & (EPOLLIN | EPOLLRDHUP)))
        conn_read(s, c);
    else if (c->phase != READING && (events & (EPOLLIN | EPOLLRDHUP)))
        conn_close(s, c); /* gone, or talking out of turn, before its reply is done */
    else if (c->phase == WRITING && (events & EPOLLOUT))
        conn_send(s, c);
}

static void accept_all(struct netserver *s)
{
    for (;;) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* Until a connection closes and frees a slot, or, when none is open
                 * to close, until a retry a little later. */
                accept_pause(s);
            }
            return;
        }
        struct conn *c = calloc(1, sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->phase = READING;
        c->heap_pos = NOT_QUEUED;
        if (!heap_set(s, c, now_ns() + READ_TIMEOUT_NS)) {
            close(fd);
            free(c);
            continue;
        }
        /* Clients send their request right after connecting: it is usually here. */
        conn_read(s, c);
    }
}

static void run_timers(struct netserver *s)
{
    uint64_t now = now_ns();
    if (s->accept_paused && s->accept_retry_ns <= now)
        accept_resume(s);
    while (s->heap_n > 0 && s->heap[0]->due_ns <= now) {
        struct conn *c = s->heap[0];
        heap_remove(s, c);
        if (c->phase == WAITING)
            conn_start_reply(s, c);
        else
            conn_close(s, c); /* a request or a reply that stalled */
    }
    arm_timer(s);
}

/* ---- the server ------------------------------------------------------------------- */

/* The kernel caps the backlog at net.core.somaxconn; asking for that much lets a
 * thousand clients connect at the same moment without a SYN retry (a second each). */
static int backlog_size(void)
{
    int n = SOMAXCONN;
    FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
    if (f != NULL) {
        int v;
        if (fscanf(f, "%d", &v) == 1 && v > n)
            n = v;
        fclose(f);
    }
    return n;
}

int netserver_open(struct netserver **out, const char *host, int port, struct error *e)
{
    struct sockaddr_storage sa;
    socklen_t salen;
    char where[96];
    netproto_format_address(host, port, where, sizeof where);
    if (!netproto_address(host, port, &sa, &salen))
        return error_set(e, ERR_USAGE, "%s: not a numeric IPv4 or IPv6 address and port",
                         where);
    struct netserver *s = calloc(1, sizeof *s);
    if (s == NULL)
        return error_set(e, ERR_RUN, "out of memory");
    s->listen_fd = s->epoll_fd = s->timer_fd = -1;
    int one = 1;
    const char *what = "socket";
    s->listen_fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->listen_fd >= 0) {
        setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        what = "bind";
        if (bind(s->listen_fd, (struct sockaddr *)&sa, salen) == 0) {
            what = "listen";
            if (listen(s->listen_fd, backlog_size()) == 0)
                what = NULL;
        }
    }
    if (what != NULL) {
        int err = errno;
        netserver_close(s);
        return error_set(e, ERR_RUN, "%s: %s: %s", where, what, strerror(err));
    }
    socklen_t len = sizeof sa;
    getsockname(s->listen_fd, (struct sockaddr *)&sa, &len);
    s->port = sa.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&sa)->sin_port)
                                      : ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = &tag_listen };
    struct epoll_event tev = { .events = EPOLLIN, .data.ptr = &tag_timer };
    if (s->epoll_fd < 0 || s->timer_fd < 0 ||
        epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->listen_fd, &lev) != 0 ||
        epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->timer_fd, &tev) != 0) {
        int err = errno;
        netserver_close(s);
        return error_set(e, ERR_RUN, "%s: epoll or timerfd: %s", where, strerror(err));
    }
    *out = s;
    return ERR_OK;
}

int netserver_port(const struct netserver *s)
{
    return s->port;
}

int netserver_run(struct netserver *s, int stop_fd, struct error *e)
{
    if (stop_fd >= 0) {
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &tag_stop };
        if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, stop_fd, &ev) != 0)
            return error_set(e, ERR_RUN, "epoll_ctl(stop fd %d): %s", stop_fd,
                             strerror(errno));
    }
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(s->epoll_fd, evs, (int)(sizeof evs / sizeof evs[0]), -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return error_set(e, ERR_RUN, "epoll_wait: %s", strerror(errno));
        for (int k = 0; k < n; k++) {
            void *tag = evs[k].data.ptr;
            if (tag == &tag_stop) {
                return ERR_OK;
            } else if (tag == &tag_listen) {
                accept_all(s);
            } else if (tag == &tag_timer) {
                uint64_t ticks;
                ssize_t r = read(s->timer_fd, &ticks, sizeof ticks);
                (void)r; /* only clears readiness; run_timers looks at the clock */
            } else {
                conn_event(s, tag, evs[k].events);
            }
        }
        run_timers(s);
    }
}

void netserver_close(struct netserver *s)
{
    if (s == NULL)
        return;
    for (size_t k = 0; k < s->heap_n; k++) {
        close(s->heap[k]->fd);
        free(s->heap[k]);
    }
    free(s->heap);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->epoll_fd >= 0)
        close(s->epoll_fd);
    if (s->timer_fd >= 0)
        close(s->timer_fd);
    free(s);
}
