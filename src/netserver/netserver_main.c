/* bin/bench-netserver: the slow server of the net workload as its own program. The
 * benchmark starts it with --port-fd and --stop-fd (src/netchild.c); run by hand, it
 * serves other machines' or other runs' clients: -p host=... -p port=... */
#include "error.h"
#include "fdlimit.h"
#include "netserver.h"
#include "parse.h"

#include <getopt.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: bench-netserver [--host ADDR] [--port N] [--port-fd FD] [--stop-fd FD]\n"
          "  --host ADDR   numeric IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
          "  --port N      port, 0 to 65535 (default 0: an ephemeral port)\n"
          "  --port-fd FD  write 'port N' or 'error MESSAGE' there instead of stdout/stderr\n"
          "  --stop-fd FD  stop when FD is readable or closed (the parent's lifeline)\n",
          f);
}

/* Says the one outcome of start-up where the starter listens for it: the port fd when
 * there is one, else stdout (the port) or stderr (an error). */
static void report(int fd, bool failed, const char *line)
{
    if (fd >= 0) {
        ssize_t w = write(fd, line, strlen(line));
        (void)w; /* a starter that went away cannot be told anything */
        return;
    }
    fprintf(failed ? stderr : stdout, "%s%s", failed ? "bench-netserver: " : "", line);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "host", required_argument, NULL, 'H' },   { "port", required_argument, NULL, 'P' },
        { "port-fd", required_argument, NULL, 'F' }, { "stop-fd", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    const char *host = "127.0.0.1";
    long port = 0, port_fd = -1, stop_fd = -1;
    int c;
    opterr = 0; /* one line of our own instead of getopt's */
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        const char *name = NULL, *accepts = NULL;
        switch (c) {
        case 'H': host = optarg; break;
        case 'P':
            if (!parse_long(optarg, 0, 65535, &port))
                name = "--port", accepts = "an integer from 0 to 65535";
            break;
        case 'F':
            if (!parse_long(optarg, 0, 1 << 20, &port_fd))
                name = "--port-fd", accepts = "an open file descriptor number";
            break;
        case 'S':
            if (!parse_long(optarg, 0, 1 << 20, &stop_fd))
                name = "--stop-fd", accepts = "an open file descriptor number";
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "bench-netserver: %s '%s' (see --help)\n",
                    c == ':' ? "missing value for" : "unknown option", argv[optind - 1]);
            return ERR_USAGE;
        }
        if (name != NULL) {
            fprintf(stderr, "bench-netserver: %s: expected %s, got '%s'\n", name, accepts, optarg);
            return ERR_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "bench-netserver: unexpected argument '%s' (see --help)\n", argv[optind]);
        return ERR_USAGE;
    }
    /* Peers that vanish mid-reply must not kill the server (it also sends MSG_NOSIGNAL). */
    signal(SIGPIPE, SIG_IGN);

    struct error e = { .msg = "" };
    struct netserver *s = NULL;
    /* As many descriptors as the hard limit allows; at the limit the server stops
     * accepting until a connection closes, so a low limit slows it but does not stop it. */
    int rc = fdlimit_raise(64, &e);
    if (rc == ERR_OK)
        rc = netserver_open(&s, host, (int)port, &e);
    char line[sizeof e.msg + 16];
    if (rc != ERR_OK) {
        snprintf(line, sizeof line, "%s%s\n", port_fd >= 0 ? "error " : "", e.msg);
        report((int)port_fd, true, line);
        return rc;
    }
    snprintf(line, sizeof line, "%s%d\n", port_fd >= 0 ? "port " : "listening on port ",
             netserver_port(s));
    report((int)port_fd, false, line);
    if (port_fd >= 0)
        close((int)port_fd);
    rc = netserver_run(s, (int)stop_fd, &e);
    netserver_close(s);
    if (rc != ERR_OK)
        fprintf(stderr, "bench-netserver: %s\n", e.msg);
    return rc;
}
