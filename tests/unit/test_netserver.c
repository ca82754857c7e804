/* The net workload's server, over real sockets on 127.0.0.1: many clients at once each
 * get the right bytes after about the delay they asked for; bad or vanished clients do
 * not stop it; it stops when its stop pipe closes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fdlimit.h"
#include "netproto.h"
#include "netserver.h"
#include "pattern.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct server {
    struct netserver *s;
    int stop[2];
    pthread_t thread;
    int rc;
    struct error e;
};

struct client {
    int fd;
    size_t index;
    long kib, ms;
    bool sent;
    uint64_t got;
    size_t wrong; /* bytes that differ from the pattern */
    bool done;
    double t_sent, t_done;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *serve(void *arg)
{
    struct server *sv = arg;
    sv->rc = netserver_run(sv->s, sv->stop[0], &sv->e);
    return NULL;
}

static int start_server(void **state)
{
    struct error e;
    signal(SIGPIPE, SIG_IGN);
    if (fdlimit_raise(4200, &e) != ERR_OK) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    struct server *sv = calloc(1, sizeof *sv);
    if (sv == NULL || netserver_open(&sv->s, "127.0.0.1", 0, &sv->e) != ERR_OK ||
        pipe(sv->stop) != 0 || pthread_create(&sv->thread, NULL, serve, sv) != 0)
        return -1;
    *state = sv;
    return 0;
}

/* Closing the write end is how a parent's death looks to the server: it must stop. */
static int stop_server(void **state)
{
    struct server *sv = *state;
    close(sv->stop[1]);
    pthread_join(sv->thread, NULL);
    close(sv->stop[0]);
    int rc = sv->rc;
    netserver_close(sv->s);
    free(sv);
    return rc == ERR_OK ? 0 : -1;
}

static int connect_to(const struct server *sv)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)netserver_port(sv->s)) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(fd >= 0);
    int r = connect(fd, (struct sockaddr *)&a, sizeof a);
    assert_true(r == 0 || errno == EINPROGRESS);
    return fd;
}

static void send_line(int fd, const char *line)
{
    size_t len = strlen(line);
    assert_int_equal(send(fd, line, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Checks each byte received against the pattern of c's task at its offset. */
static void take(struct client *c, const unsigned char *buf, size_t n)
{
    uint64_t seed = pattern_seed(NETPROTO_SALT, c->index);
    for (size_t k = 0; k < n; k++, c->got++) {
        uint64_t w = pattern_word(seed, c->got / 8);
        if ((unsigned char)(w >> (8 * (c->got % 8))) != buf[k])
            c->wrong++;
    }
}

/* Drives every client at once from one thread: connect, request, read to end of file. */
static void run_clients(const struct server *sv, struct client *cs, size_t n, double limit_s)
{
    struct pollfd *p = calloc(n, sizeof *p);
    unsigned char buf[65536];
    assert_non_null(p);
    for (size_t k = 0; k < n; k++)
        cs[k].fd = connect_to(sv);
    size_t left = n;
    double t0 = now_s();
    while (left > 0) {
        assert_true(now_s() - t0 < limit_s);
        for (size_t k = 0; k < n; k++) {
            p[k].fd = cs[k].done ? -1 : cs[k].fd;
            p[k].events = cs[k].sent ? POLLIN : POLLOUT;
        }
        int r = poll(p, (nfds_t)n, 1000);
        assert_true(r >= 0 || errno == EINTR);
        for (size_t k = 0; k < n && r > 0; k++) {
            struct client *c = &cs[k];
            if (p[k].revents == 0 || c->done)
                continue;
            if (!c->sent) {
                char line[NETPROTO_REQUEST_MAX];
                struct netproto_request req = { .index = c->index, .kib = c->kib, .ms = c->ms };
                netproto_format_request(&req, line, sizeof line);
                c->t_sent = now_s();
                send_line(c->fd, line);
                c->sent = true;
                continue;
            }
            ssize_t got = recv(c->fd, buf, sizeof buf, 0);
            if (got > 0) {
                take(c, buf, (size_t)got);
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                c->done = true;
                c->t_done = now_s();
                close(c->fd);
                left--;
            }
        }
    }
    free(p);
}

static void test_many_clients_at_once(void **state)
{
    enum { N = 1024 };
    const long ms = 300;
    struct client *cs = calloc(N, sizeof *cs);
    assert_non_null(cs);
    for (size_t k = 0; k < N; k++)
        cs[k] = (struct client){ .index = k * 7919, .kib = 4, .ms = ms };
    double t0 = now_s();
    /* Served one at a time, they would need N * 0.3 s = 307 s. */
    run_clients(*state, cs, N, 60);
    double total = now_s() - t0;
    double slowest = 0;
    for (size_t k = 0; k < N; k++) {
        assert_int_equal(cs[k].got, 4 * 1024);
        assert_int_equal(cs[k].wrong, 0);
        double waited = cs[k].t_done - cs[k].t_sent;
        assert_true(waited >= ms * 1e-3); /* never early */
        if (waited > slowest)
            slowest = waited;
    }
    print_message("# %d clients, %ld ms each: all done in %.3f s, slowest reply %.3f s\n", N,
                  ms, total, slowest);
    assert_true(total < 10 * ms * 1e-3);
    free(cs);
}

static void test_large_reply(void **state)
{
    struct client c = { .index = 123456789, .kib = 8192, .ms = 0 };
    run_clients(*state, &c, 1, 60);
    assert_int_equal(c.got, 8192ull * 1024);
    assert_int_equal(c.wrong, 0);
}

static void test_empty_reply_after_delay(void **state)
{
    struct client c = { .index = 5, .kib = 0, .ms = 100 };
    run_clients(*state, &c, 1, 10);
    assert_int_equal(c.got, 0);
    assert_true(c.t_done - c.t_sent >= 0.1);
}

/* A malformed request gets the connection closed without a byte; the server goes on. */
static void test_bad_requests_are_refused(void **state)
{
    static const char *const bad[] = { "HELLO\n", "GET 1 2\n", "GET -1 4 0\n",
                                       "GET 1 99999999 0\n", "GET 1 4 0 junk\n" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int fd = connect_to(*state);
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        assert_int_equal(poll(&p, 1, 5000), 1);
        send_line(fd, bad[k]);
        p.events = POLLIN;
        assert_int_equal(poll(&p, 1, 5000), 1);
        char b[16];
        assert_int_equal(recv(fd, b, sizeof b, 0), 0);
        close(fd);
    }
    struct client c = { .index = 1, .kib = 1, .ms = 0 };
    run_clients(*state, &c, 1, 10);
    assert_int_equal(c.got, 1024);
    assert_int_equal(c.wrong, 0);
}

/* Clients that leave while their reply waits, or mid-reply, cost the others nothing. */
static void test_clients_that_leave(void **state)
{
    for (int k = 0; k < 50; k++) {
        int fd = connect_to(*state);
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        assert_int_equal(poll(&p, 1, 5000), 1);
        send_line(fd, k % 2 ? "GET 1 4 100\n" : "GET 1 65536 0\n");
        close(fd);
    }
    struct client cs[8];
    for (size_t k = 0; k < 8; k++)
        cs[k] = (struct client){ .index = k, .kib = 64, .ms = 50 };
    run_clients(*state, cs, 8, 10);
    for (size_t k = 0; k < 8; k++) {
        assert_int_equal(cs[k].got, 64 * 1024);
        assert_int_equal(cs[k].wrong, 0);
    }
}

static int open_fds(void)
{
    int n = 0;
    char path[64];
    for (int fd = 0; fd < 4096; fd++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        n += access(path, F_OK) == 0;
    }
    return n;
}

/* A client that leaves while its reply waits (here a minute) gives its descriptor back
 * at once, whether its request came before or after the server accepted it. */
static void test_clients_that_leave_free_their_descriptors(void **state)
{
    int before = open_fds();
    for (int k = 0; k < 50; k++) {
        int fd = connect_to(*state);
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        assert_int_equal(poll(&p, 1, 5000), 1);
        send_line(fd, "GET 1 4 60000\n");
        if (k % 2)
            usleep(2000); /* let the server accept it before the request is read */
        close(fd);
    }
    double t0 = now_s();
    while (open_fds() > before && now_s() - t0 < 5)
        usleep(10000);
    print_message("# 50 clients left mid-wait: descriptors back in %.3f s\n", now_s() - t0);
    assert_int_equal(open_fds(), before);
}

/* Out of descriptors with no connection of its own to close, the server stops
 * accepting; it must try again by itself once descriptors are free. */
static void test_accept_resumes_after_running_out_of_descriptors(void **state)
{
    struct rlimit saved, tight;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    int lowest_free = 0;
    while (fcntl(lowest_free, F_GETFD) != -1)
        lowest_free++;
    tight = saved;
    tight.rlim_cur = (rlim_t)lowest_free + 1; /* room for the client's socket only */
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &tight), 0);
    int fd = connect_to(*state); /* the server's accept now fails with EMFILE */
    usleep(50000);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    close(fd);
    struct client c = { .index = 77, .kib = 4, .ms = 0 };
    run_clients(*state, &c, 1, 5);
    assert_int_equal(c.got, 4096);
    assert_int_equal(c.wrong, 0);
}

static void test_request_parsing(void **state)
{
    (void)state;
    struct netproto_request r;
    assert_true(netproto_parse_request("GET 18446744073709551615 1048576 600000", &r));
    assert_true(r.index == UINT64_MAX && r.kib == 1048576 && r.ms == 600000);
    assert_false(netproto_parse_request("GET 1 1048577 0", &r));
    assert_false(netproto_parse_request("GET 1 4 600001", &r));
    assert_false(netproto_parse_request("GET 1 4", &r));
    assert_false(netproto_parse_request("GET  1 4 0", &r));
    assert_false(netproto_parse_request("GET 1 4 +0", &r));
    assert_false(netproto_parse_request("get 1 4 0", &r));
    char line[NETPROTO_REQUEST_MAX];
    struct netproto_request w = { .index = 42, .kib = 3, .ms = 7 };
    netproto_format_request(&w, line, sizeof line);
    assert_string_equal(line, "GET 42 3 7\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_parsing),
        cmocka_unit_test_setup_teardown(test_many_clients_at_once, start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_large_reply, start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_empty_reply_after_delay, start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_bad_requests_are_refused, start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_clients_that_leave, start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_clients_that_leave_free_their_descriptors,
                                        start_server, stop_server),
        cmocka_unit_test_setup_teardown(test_accept_resumes_after_running_out_of_descriptors,
                                        start_server, stop_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
