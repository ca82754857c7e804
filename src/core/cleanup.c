/* The stop-signal handler and its registry. The handler uses only async-signal-safe calls
 * on paths written before it can run. A task announces a file before creating it, so the
 * handler either stops the task from creating it or waits until it exists and deletes it:
 * both sides use sequentially consistent atomics, so one of them always sees the other. */
#include "cleanup.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { SLOT_IDLE, SLOT_CREATING, SLOT_CREATED };

struct slot {
    atomic_int state;
    atomic_int owner; /* the thread (gettid) that announced the file */
    char path[CLEANUP_PATH_MAX];
};

static struct slot *_Atomic slots;
static atomic_uint nslots;
static atomic_int stopping;
static char dir_path[CLEANUP_PATH_MAX];
static atomic_int dir_set;
static atomic_int child;

/* SIGPIPE: a reader of the results that goes away (`| head`) ends the run too. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void pause_ms(long ms)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void remove_files(void)
{
    struct slot *s = atomic_load(&slots);
    unsigned n = atomic_load(&nslots);
    int self = (int)gettid();
    for (unsigned k = 0; s != NULL && k < n; k++) {
        /* Another thread inside open() finishes it within moments; this thread, stopped
         * by the signal itself, will never return to its open(). Two seconds bound it. */
        for (int waited = 0; waited < 2000 && atomic_load(&s[k].state) == SLOT_CREATING &&
                             atomic_load(&s[k].owner) != self;
             waited++)
            pause_ms(1);
        if (atomic_load(&s[k].state) != SLOT_IDLE)
            unlink(s[k].path);
    }
}

static void on_stop(int sig)
{
    int saved = errno;
    atomic_store(&stopping, 1);
    remove_files();
    if (atomic_load(&dir_set))
        rmdir(dir_path);
    pid_t pid = (pid_t)atomic_load(&child);
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    /* Die of the same signal once the handler returns (it is blocked until then). */
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
    errno = saved;
}

int cleanup_install(struct error *e)
{
    struct sigaction sa = { .sa_handler = on_stop, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof stop_signals / sizeof stop_signals[0]; k++)
        sigaddset(&sa.sa_mask, stop_signals[k]);
    for (size_t k = 0; k < sizeof stop_signals / sizeof stop_signals[0]; k++) {
        struct sigaction old;
        if (sigaction(stop_signals[k], NULL, &old) != 0)
            return error_set(e, ERR_RUN, "sigaction: %s", strerror(errno));
        /* A signal ignored by whoever started us (nohup) stays ignored. */
        if (old.sa_handler == SIG_IGN)
            continue;
        if (sigaction(stop_signals[k], &sa, NULL) != 0)
            return error_set(e, ERR_RUN, "sigaction: %s", strerror(errno));
    }
    return ERR_OK;
}

int cleanup_files_reserve(unsigned n, struct error *e)
{
    struct slot *s = calloc(n ? n : 1, sizeof *s);
    if (s == NULL)
        return error_set(e, ERR_RUN, "out of memory for %u file slots", n);
    atomic_store(&slots, s);
    atomic_store(&nslots, n);
    return ERR_OK;
}

void cleanup_files_release(void)
{
    struct slot *s = atomic_load(&slots);
    atomic_store(&nslots, 0);
    atomic_store(&slots, NULL);
    free(s);
}

bool cleanup_file_creating(unsigned slot, const char *path)
{
    struct slot *s = &atomic_load(&slots)[slot];
    size_t len = strlen(path);
    if (len >= sizeof s->path)
        len = sizeof s->path - 1;
    memcpy(s->path, path, len);
    s->path[len] = '\0';
    atomic_store(&s->owner, (int)gettid());
    atomic_store(&s->state, SLOT_CREATING);
    if (atomic_load(&stopping)) {
        atomic_store(&s->state, SLOT_IDLE);
        return false;
    }
    return true;
}

void cleanup_file_created(unsigned slot)
{
    atomic_store(&atomic_load(&slots)[slot].state, SLOT_CREATED);
}

void cleanup_file_gone(unsigned slot)
{
    atomic_store(&atomic_load(&slots)[slot].state, SLOT_IDLE);
}

void cleanup_dir_set(const char *path)
{
    atomic_store(&dir_set, 0);
    if (path == NULL)
        return;
    size_t len = strlen(path);
    if (len >= sizeof dir_path)
        return;
    memcpy(dir_path, path, len + 1);
    atomic_store(&dir_set, 1);
}

void cleanup_child_set(pid_t pid)
{
    atomic_store(&child, (int)pid);
}

pid_t cleanup_child(void)
{
    return (pid_t)atomic_load(&child);
}
