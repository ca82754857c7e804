/* Starting and stopping bench-netserver. fork+exec keeps the server's memory and work out
 * of the measured process. Two pipes join them: the server writes "port N" or "error ..."
 * on one; it watches the other, which only the parent can write, and whose end of file
 * means the parent is gone; PR_SET_PDEATHSIG covers the same case a second way. */
#include "netchild.h"

#include "cleanup.h"
#include "selfpath.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define START_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 2000

static void reap(pid_t pid, long wait_ms)
{
    struct timespec tick = { .tv_sec = 0, .tv_nsec = 10 * 1000000L };
    for (long waited = 0; waited < wait_ms; waited += 10) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void exec_server(const char *path, char *const argv[], int port_fd, int stop_fd,
                        pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the parent died before the line above */
        _exit(1);
    /* A session of its own puts the server in its own scheduler autogroup, where it
     * gets its fair share of the CPUs against the whole team of workers instead of one
     * thread's share in 1 + N: otherwise a burst of N connects starves it and every
     * request it reads late is answered late. Terminal signals then reach only the
     * benchmark, which stops the server through the lifeline like on any other exit. */
    setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    fcntl(port_fd, F_SETFD, 0);
    fcntl(stop_fd, F_SETFD, 0);
    /* Standard output carries the results; the server has nothing to say there. */
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0)
        dup2(null, STDOUT_FILENO);
    execv(path, argv);
    int err = errno;
    static const char prefix[] = "error cannot run ";
    ssize_t w = write(port_fd, prefix, sizeof prefix - 1);
    w = write(port_fd, path, strlen(path));
    w = write(port_fd, ": ", 2);
    const char *msg = strerror(err); /* a constant string table in glibc */
    w = write(port_fd, msg, strlen(msg));
    (void)w;
    _exit(127);
}

/* Reads the server's one line about its start-up, waiting at most START_TIMEOUT_MS. */
static int read_start_line(int fd, char *line, size_t len, struct error *e)
{
    size_t have = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        long spent = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (spent >= START_TIMEOUT_MS)
            return error_set(e, ERR_RUN, "net: the server did not start within %d ms",
                             START_TIMEOUT_MS);
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, (int)(START_TIMEOUT_MS - spent));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(fd, line + have, len - 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (have += (size_t)n) == len - 1 || memchr(line, '\n', have) != NULL)
            break;
    }
    line[have] = '\0';
    char *nl = strchr(line, '\n');
    if (nl != NULL)
        *nl = '\0';
    return ERR_OK;
}

int netchild_start(struct netchild *c, const char *host, struct error *e)
{
    c->pid = 0;
    c->lifeline = -1;
    c->port = 0;
    /* Beside the binary, else in the project's bin/ (for builds kept in bin/tsan/). */
    char path[1024];
    int rc = selfpath_dir(path, sizeof path - 32, e);
    if (rc != ERR_OK)
        return rc;
    strcat(path, "/bench-netserver");
    if (access(path, X_OK) != 0) {
        char beside[sizeof path];
        snprintf(beside, sizeof beside, "%s", path);
        int err = errno;
        rc = selfpath_project(path, sizeof path - 32, e);
        if (rc != ERR_OK)
            return rc;
        strcat(path, "/bin/bench-netserver");
        if (access(path, X_OK) != 0)
            return error_set(e, ERR_RUN, "net: cannot run the server %s: %s (run make)",
                             beside, strerror(err));
    }
    int port_pipe[2], stop_pipe[2];
    if (pipe2(port_pipe, O_CLOEXEC) != 0)
        return error_set(e, ERR_RUN, "net: pipe: %s", strerror(errno));
    if (pipe2(stop_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        close(port_pipe[0]);
        close(port_pipe[1]);
        return error_set(e, ERR_RUN, "net: pipe: %s", strerror(err));
    }
    char port_fd[16], stop_fd[16], host_arg[256];
    snprintf(port_fd, sizeof port_fd, "%d", port_pipe[1]);
    snprintf(stop_fd, sizeof stop_fd, "%d", stop_pipe[0]);
    snprintf(host_arg, sizeof host_arg, "%s", host);
    char *argv[] = { "bench-netserver", "--host", host_arg, "--port", "0",
                     "--port-fd", port_fd, "--stop-fd", stop_fd, NULL };
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        exec_server(path, argv, port_pipe[1], stop_pipe[0], parent);
    int err = errno;
    close(port_pipe[1]);
    close(stop_pipe[0]);
    if (pid < 0) {
        close(port_pipe[0]);
        close(stop_pipe[1]);
        return error_set(e, ERR_RUN, "net: fork: %s", strerror(err));
    }
    c->pid = pid;
    c->lifeline = stop_pipe[1];
    cleanup_child_set(pid);

    char line[600];
    rc = read_start_line(port_pipe[0], line, sizeof line, e);
    close(port_pipe[0]);
    long port = 0;
    if (rc == ERR_OK && sscanf(line, "port %ld", &port) == 1 && port > 0 && port <= 65535) {
        c->port = (int)port;
        return ERR_OK;
    }
    if (rc == ERR_OK) {
        if (strncmp(line, "error ", 6) == 0)
            rc = error_set(e, ERR_RUN, "net: the server did not start: %s", line + 6);
        else
            rc = error_set(e, ERR_RUN, "net: the server (%s) exited before it listened", path);
    }
    netchild_stop(c);
    return rc;
}

void netchild_stop(struct netchild *c)
{
    if (c->lifeline >= 0) {
        close(c->lifeline);
        c->lifeline = -1;
    }
    if (c->pid > 0) {
        /* Forgotten before it is reaped, so that a signal handler never kills a pid
         * that may already be someone else's; the closed lifeline stops the server. */
        cleanup_child_set(0);
        reap(c->pid, STOP_TIMEOUT_MS);
        c->pid = 0;
    }
}
