/* What a run leaves behind when SIGINT, SIGTERM, SIGHUP or SIGPIPE stops it: the handler
 * removes the files and the folder registered here and stops the registered child
 * process, then re-raises the signal so that the exit status says how the run ended. */
#ifndef BENCH_CLEANUP_H
#define BENCH_CLEANUP_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CLEANUP_PATH_MAX 512

/* Installs the handlers; a run with nothing registered dies as it would without them. */
int cleanup_install(struct error *e);

/* Reserves one file slot per thread (slot = tid), each holding the one file that thread
 * may have on disk at a time. */
int cleanup_files_reserve(unsigned slots, struct error *e);
void cleanup_files_release(void);

/* Call before creating path; false means a stop signal came first and the file must not
 * be created. created() after open() returns, gone() once the file is deleted. */
bool cleanup_file_creating(unsigned slot, const char *path);
void cleanup_file_created(unsigned slot);
void cleanup_file_gone(unsigned slot);

/* A folder to remove (rmdir: it must be empty by then), or NULL for none. */
void cleanup_dir_set(const char *path);

/* A child process to kill and reap, or 0 for none. */
void cleanup_child_set(pid_t pid);

/* The child registered now, or 0: the run's helper process, whose CPU is the run's. */
pid_t cleanup_child(void);

#endif
