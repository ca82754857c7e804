/* disk: task i writes kib KiB derived from i to a new file of its own, fsyncs it, reads it
 * back and deletes it: work bound by storage. Every file is deleted whatever happens,
 * also on a stop signal (src/cleanup.c), and the filesystem type goes into the metrics
 * because an fsync on tmpfs costs nothing. */
#include "workload.h"

#include "cleanup.h"
#include "fstype.h"
#include "pattern.h"
#include "selfpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DISK_SALT UINT64_C(0xd15cd15cd15cd15c)
#define CHUNK_WORDS 4096 /* 32 KiB per write and read, on the task's stack */

enum { ERR_NONE, ERR_WRITING, ERR_READY };

struct disk_ctx {
    uint64_t nbytes;
    bool fsync;
    long pid;
    bool own_dir; /* the scratch folder this run made, removed at the end */
    char dir[CLEANUP_PATH_MAX - 64];
    char fs[32];
    atomic_int err_state;
    char err[CLEANUP_PATH_MAX + 128];
};

static const char *const fsync_names[] = { "0", "1", NULL };

static const struct param_spec disk_params[] = {
    { .name = "kib", .type = PARAM_INT, .def = "64", .min = 0, .max = 1048576,
      .help = "KiB each task writes to its file, then reads back" },
    { .name = "dir", .type = PARAM_TEXT, .def = "auto",
      .help = "an existing writable folder for the files; auto: a scratch folder made "
              "under the project's results/ and removed afterwards" },
    { .name = "fsync", .type = PARAM_CHOICE, .def = "1", .choices = fsync_names,
      .help = "1: fsync each file before reading it back; 0: leave it in the page cache" },
};

/* Keeps the first failure of any task; later ones are consequences or repeats. */
static void disk_fail(struct disk_ctx *c, const char *op, const char *path, int err)
{
    int none = ERR_NONE;
    if (!atomic_compare_exchange_strong(&c->err_state, &none, ERR_WRITING))
        return;
    char tmp[128];
    snprintf(c->err, sizeof c->err, "disk: %s %s: %s", op, path,
             strerror_r(err, tmp, sizeof tmp));
    atomic_store(&c->err_state, ERR_READY);
}

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool write_file(const struct disk_ctx *c, int fd, uint64_t seed, const char **op)
{
    uint64_t buf[CHUNK_WORDS];
    uint64_t words = c->nbytes / 8;
    *op = "write";
    for (uint64_t k = 0; k < words; k += CHUNK_WORDS) {
        size_t m = words - k < CHUNK_WORDS ? (size_t)(words - k) : CHUNK_WORDS;
        pattern_fill(seed, k, buf, m);
        if (!write_all(fd, buf, m * 8))
            return false;
    }
    *op = "fsync";
    return !c->fsync || fsync(fd) == 0;
}

/* Reads the file to its end, folding every byte into the digest. */
static bool read_file(int fd, uint64_t seed, uint64_t *digest)
{
    uint64_t buf[CHUNK_WORDS];
    unsigned char *bytes = (unsigned char *)buf;
    size_t have = 0;
    uint64_t total = 0, h = seed;
    for (;;) {
        ssize_t n = read(fd, bytes + have, sizeof buf - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        have += (size_t)n;
        total += (uint64_t)n;
        h = pattern_digest(h, buf, have / 8);
        memmove(bytes, bytes + have / 8 * 8, have % 8);
        have %= 8;
    }
    if (have > 0) { /* a file cut short mid-word still differs from the expected one */
        memset(bytes + have, 0, 8 - have);
        h = pattern_digest(h, buf, 1);
    }
    *digest = pattern_finish(h, total);
    return true;
}

static uint64_t disk_task(void *ctx, size_t i, unsigned tid)
{
    struct disk_ctx *c = ctx;
    if (atomic_load(&c->err_state) != ERR_NONE)
        return 0;
    char path[CLEANUP_PATH_MAX];
    snprintf(path, sizeof path, "%s/bench-disk-%ld-%zu", c->dir, c->pid, i);
    if (!cleanup_file_creating(tid, path))
        return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    cleanup_file_created(tid);
    if (fd < 0) {
        disk_fail(c, "create", path, errno);
        cleanup_file_gone(tid);
        return 0;
    }
    uint64_t seed = pattern_seed(DISK_SALT, i), digest = 0;
    const char *op = "write";
    bool ok = write_file(c, fd, seed, &op);
    int err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        op = "close";
        err = errno;
    }
    if (ok) {
        op = "read";
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ok = fd >= 0 && read_file(fd, seed, &digest);
        err = errno;
        if (fd >= 0)
            close(fd);
    }
    if (unlink(path) != 0 && ok) {
        ok = false;
        op = "delete";
        err = errno;
    }
    cleanup_file_gone(tid);
    if (!ok)
        disk_fail(c, op, path, err);
    return digest;
}

static uint64_t disk_expect(void *ctx, size_t i)
{
    const struct disk_ctx *c = ctx;
    return pattern_expect(pattern_seed(DISK_SALT, i), c->nbytes / 8);
}

static int disk_check(void *ctx, const uint64_t *results, size_t n, struct check *out,
                      struct error *e)
{
    struct disk_ctx *c = ctx;
    if (atomic_load(&c->err_state) == ERR_READY)
        return error_set(e, ERR_RUN, "%s", c->err);
    workload_check_each(ctx, disk_expect, results, n, out);
    size_t used = strlen(out->metrics);
    snprintf(out->metrics + used, sizeof out->metrics - used, "%sfs=%s", used ? ";" : "",
             c->fs);
    return ERR_OK;
}

/* The default folder: results/scratch-PID in the project, beside bin/, on its disk. */
static int make_scratch(struct disk_ctx *c, struct error *e)
{
    char project[CLEANUP_PATH_MAX];
    int rc = selfpath_project(project, sizeof project - 64, e);
    if (rc != ERR_OK)
        return rc;
    char results[CLEANUP_PATH_MAX];
    if (snprintf(results, sizeof results, "%s/results", project) >= (int)sizeof results)
        return error_set(e, ERR_RUN, "disk: the project's path is too long (use -p dir=)");
    if (mkdir(results, 0777) != 0 && errno != EEXIST)
        return error_set(e, ERR_RUN, "disk: cannot create %s: %s (choose a folder with -p dir=)",
                         results, strerror(errno));
    if (snprintf(c->dir, sizeof c->dir, "%s/scratch-%ld", results, c->pid) >= (int)sizeof c->dir)
        return error_set(e, ERR_RUN, "disk: the project's path is too long (use -p dir=)");
    /* Registered first, so that a signal right after mkdir still removes it. */
    cleanup_dir_set(c->dir);
    if (mkdir(c->dir, 0700) != 0) {
        int err = errno;
        cleanup_dir_set(NULL);
        return error_set(e, ERR_RUN, "disk: cannot create %s: %s (choose a folder with -p dir=)",
                         c->dir, strerror(err));
    }
    c->own_dir = true;
    return ERR_OK;
}

/* A folder given by the user must exist and take a new file, or the run does not start. */
static int check_dir(struct disk_ctx *c, const char *dir, struct error *e)
{
    struct stat st;
    if (strlen(dir) >= sizeof c->dir)
        return error_set(e, ERR_USAGE, "-p dir: the path is too long (at most %zu characters)",
                         sizeof c->dir - 1);
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    if (stat(dir, &st) != 0)
        return error_set(e, ERR_USAGE, "-p dir: %s: %s (expected an existing writable folder)",
                         dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return error_set(e, ERR_USAGE, "-p dir: %s is not a folder (expected an existing "
                         "writable folder)", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return error_set(e, ERR_USAGE, "-p dir: %s is not writable: %s", dir, strerror(errno));
    /* access() says yes to root on a folder that refuses files for other reasons. */
    char probe[CLEANUP_PATH_MAX];
    snprintf(probe, sizeof probe, "%s/bench-disk-%ld-probe", dir, c->pid);
    if (!cleanup_file_creating(0, probe))
        return error_set(e, ERR_RUN, "disk: stopped by a signal");
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    cleanup_file_created(0);
    int err = errno;
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    cleanup_file_gone(0);
    if (fd < 0)
        return error_set(e, ERR_USAGE, "-p dir: %s is not writable: %s", dir, strerror(err));
    return ERR_OK;
}

static void disk_teardown(void *ctx)
{
    struct disk_ctx *c = ctx;
    if (c->own_dir) {
        rmdir(c->dir);
        cleanup_dir_set(NULL);
    }
    cleanup_files_release();
    free(c);
}

static int disk_setup(void **ctx, const struct workload_run *run, struct error *e)
{
    struct disk_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return error_set(e, ERR_RUN, "disk: out of memory");
    c->nbytes = (uint64_t)params_int(run->params, "kib") * 1024;
    c->fsync = params_int(run->params, "fsync") == 1;
    c->pid = (long)getpid();
    atomic_init(&c->err_state, ERR_NONE);
    const char *dir = params_text(run->params, "dir");
    int rc = cleanup_files_reserve(run->threads, e);
    if (rc == ERR_OK)
        rc = strcmp(dir, "auto") == 0 ? make_scratch(c, e) : check_dir(c, dir, e);
    if (rc != ERR_OK) {
        disk_teardown(c);
        return rc;
    }
    fstype_of(c->dir, c->fs, sizeof c->fs);
    /* The metrics field is name=value;...: a type name must not break it. */
    for (char *p = c->fs; *p != '\0'; p++)
        if (strchr(",;=\" \\", *p) != NULL)
            *p = '_';
    *ctx = c;
    return ERR_OK;
}

static const char *const disk_test_params[] = { "kib=4", "fsync=0", NULL };

const struct workload workload_disk = {
    .name = "disk",
    .bound = "storage I/O",
    .waits = true,
    .summary = "each task writes kib KiB to its own file, fsyncs, reads it back, verifies "
               "and deletes it",
    .params = disk_params,
    .nparams = sizeof disk_params / sizeof disk_params[0],
    .default_tasks = 32,
    .test_params = disk_test_params,
    .setup = disk_setup,
    .task = disk_task,
    .check = disk_check,
    .teardown = disk_teardown,
};
