"""A run's folder, results/RUN_ID/: made whole or not at all, held by one runner at a
time, and kept so that a run cut short anywhere resumes with no duplicate or partial row.

Bookkeeping files (besides what docs/suite.md lists for users):
  done.txt       one line per whole visit, written after its rows: key, rows, round,
                 seconds
  state          running, interrupted, failed or complete
  settings.json  what a resume needs: suite origin, start, command, order, seed, ...
  fingerprint    the command that made the run, normalised (see runner.fingerprint)
  .lock          flock()ed by the runner that works on the run; it holds that runner's
                 pid and start time and those of the visit's process group, so that the
                 next runner can tell an owner that is gone and stop what it left running
"""

import fcntl
import json
import os
import shutil
import signal
import time

TEMP_PREFIX = ".new-"
HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
VISIT_OUT, VISIT_ERR = ".config.csv", ".config.err"


class Busy(Exception):
    """Another runner holds the run."""


def _stat(pid):
    """(pgrp, starttime) of a process, or None when it does not exist."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[2]), int(fields[19])


def starttime(pid):
    st = _stat(pid)
    return st[1] if st else None


def _group_members(pgid, since):
    """Processes of process group pgid started no earlier than its leader was (a group's
    id is not given out again while it has members, so these are the group's own)."""
    leader = _stat(pgid)
    if leader is not None and leader[1] != since:
        return []  # the id names another process now: not ours
    members = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None and st[0] == pgid and st[1] >= since:
                members.append(int(name))
    return members


def stop_group(pgid, since, grace=3.0):
    """Stops what is left of a visit's process group; True when something ran."""
    if not _group_members(pgid, since):
        return False
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return True
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if not _group_members(pgid, since):
                return True
            time.sleep(0.05)
    return True


def remove_abandoned(results_dir):
    """Removes folders that runners killed while making a run left behind."""
    try:
        names = os.listdir(results_dir)
    except OSError:
        return
    for name in names:
        if name.startswith(TEMP_PREFIX):
            pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and starttime(int(pid)) is None:
                shutil.rmtree(os.path.join(results_dir, name), ignore_errors=True)


def run_folders(results_dir, newest_first=False):
    """(name, path) of the folders in results_dir that may hold runs, by name (which
    sorts by start time): not hidden (.new-*, .slurm) nor links (latest)."""
    try:
        names = sorted(os.listdir(results_dir), reverse=newest_first)
    except OSError:
        return
    for name in names:
        path = os.path.join(results_dir, name)
        if not name.startswith(".") and not os.path.islink(path):
            yield name, path


def try_lock(path):
    """An fd holding flock(path) exclusively, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def write_atomic(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


class RunFolder:
    def __init__(self, path):
        self.path = path
        self.lock_fd = None

    def file(self, name):
        return os.path.join(self.path, name)

    def read(self, name):
        with open(self.file(name)) as f:
            return f.read()

    # ---- making and taking -----------------------------------------------------------
    @classmethod
    def make(cls, results_dir, run_id, fill, placed):
        """Builds the run in a hidden folder (fill(folder) writes its files), then renames
        it into place: a run folder exists whole, or not at all. placed() runs as soon as
        it is in place, with signals held back until it returns. Returns the folder,
        locked, and its final id (run_id, or run_id-2, ... when taken)."""
        os.makedirs(results_dir, exist_ok=True)
        tmp = os.path.join(results_dir, "%s%d-%s" % (TEMP_PREFIX, os.getpid(), run_id))
        os.mkdir(tmp)
        folder = cls(tmp)
        try:
            folder._lock()
            fill(folder)
            held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
            try:
                n = 1
                while True:
                    final_id = run_id if n == 1 else "%s-%d" % (run_id, n)
                    final = os.path.join(results_dir, final_id)
                    n += 1
                    if os.path.lexists(final):
                        continue
                    try:
                        os.rename(tmp, final)  # fails onto a folder that holds a run
                    except OSError:
                        continue
                    folder.path = final
                    placed()
                    break
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        except BaseException:
            if folder.path == tmp:
                folder.release(clean=True)
                shutil.rmtree(tmp, ignore_errors=True)
            raise
        return folder, final_id

    def take(self):
        """Locks an existing run. Returns notes about a previous owner that is gone and
        anything of its visit that was still running (stopped now)."""
        self._lock()
        notes = []
        try:
            owner = self.read(".lock").split("\n")
        except OSError:
            owner = []
        if owner and owner[0].startswith("runner "):
            notes.append("%s was left by runner %s, which is gone; taking it over"
                         % (os.path.basename(self.path), owner[0].split()[1]))
        if len(owner) > 1 and owner[1].startswith("visit "):
            _, pgid, since = owner[1].split()
            if stop_group(int(pgid), int(since)):
                notes.append("stopped its visit still running (process group %s)" % pgid)
        for name in (VISIT_OUT, VISIT_ERR):
            if os.path.exists(self.file(name)):
                os.unlink(self.file(name))
        self.own()
        return notes

    def _lock(self):
        self.lock_fd = try_lock(self.file(".lock"))
        if self.lock_fd is None:
            raise Busy(os.path.basename(self.path))

    def _owner(self, text):
        os.ftruncate(self.lock_fd, 0)
        os.pwrite(self.lock_fd, text.encode(), 0)

    def own(self, visit=None):
        """Records this runner, and the process group of the visit it runs (or none)."""
        me = "runner %d %d\n" % (os.getpid(), starttime(os.getpid()) or 0)
        if visit is not None:
            me += "visit %d %d\n" % (visit, starttime(visit) or 0)
        self._owner(me)

    def release(self, clean=False):
        """Leaves the run: an empty .lock says its last runner ended in order."""
        if self.lock_fd is not None:
            if clean:
                self._owner("")
            os.close(self.lock_fd)
            self.lock_fd = None

    # ---- the rows -----------------------------------------------------------------------
    def visits(self):
        """[(key, rows, round)] of the whole visits, in the order they ran."""
        done = []
        for line in self.read("done.txt").splitlines():
            f = line.split("\t")
            if len(f) >= 2 and f[1].isdigit():
                done.append((f[0], int(f[1]), int(f[2]) if len(f) > 2 else 0))
        return done

    def keep_whole_visits(self):
        """Cuts results.csv back to its header and the rows done.txt counts: a runner
        killed in the middle of an append leaves rows that no visit owns."""
        want = 1 + sum(n for _, n, _ in self.visits())
        with open(self.file("results.csv"), "rb") as f:
            lines = f.read().split(b"\n")
        have = len(lines) - 1  # complete lines only
        if have != want or lines[-1]:
            write_atomic(self.file("results.csv"),
                         b"\n".join(lines[:want]).decode() + "\n")

    def add_visit(self, key, rows, rnd, seconds):
        """Appends a whole visit's rows, then records it: the rows count only once
        done.txt says so."""
        with open(self.file("results.csv"), "a") as f:
            f.write("".join(r + "\n" for r in rows))
        with open(self.file("done.txt"), "a") as f:
            f.write("%s\t%d\t%d\t%.3f\n" % ("|".join(key), len(rows), rnd, seconds))

    def append(self, name, text):
        with open(self.file(name), "a") as f:
            f.write(text)

    def write(self, name, text):
        write_atomic(self.file(name), text)

    def write_json(self, name, value):
        write_atomic(self.file(name), json.dumps(value, indent=2) + "\n")
