"""The three ways bench-python spreads a repetition's tasks: a plain loop (python-seq),
a ThreadPoolExecutor and a ProcessPoolExecutor of `threads` workers. A team is started
and warmed once, before the first repetition, as the C pool is: every worker exists,
has its index and sits where the bind policy puts it before anything is timed.

How the tasks are handed to an executor follows the schedule (-s, OMP_SCHEDULE):
static gives each worker one block (static,C: its chunks of C, taken in turn), dynamic,C
submits chunks of C tasks (1 by default: one submit per task, as the tutorials do), and
guided submits chunks that shrink with the work left. An executor's queue hands a
submitted job to whichever worker is free first; the schedule decides only the jobs."""

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import threading
from array import array
from concurrent.futures.process import BrokenProcessPool

from . import clib
from .clib import BenchError, ERR_RUN

BARRIER_TIMEOUT_S = 60  # for every worker to start; far beyond any sane start-up
PR_SET_PDEATHSIG = 1


def jobs(n, threads, kind, chunk):
    """The jobs a repetition of n tasks becomes: each a list of index ranges."""
    if kind == "static" and chunk == 0:
        blocks = [range(t * n // threads, (t + 1) * n // threads) for t in range(threads)]
        return [[b] for b in blocks if len(b) > 0]
    if kind == "static":
        step = threads * chunk
        mine = [[range(s, min(s + chunk, n)) for s in range(t * chunk, n, step)]
                for t in range(threads)]
        return [m for m in mine if m]
    out, start = [], 0
    c = chunk or 1
    while start < n:
        size = c if kind == "dynamic" else max(-(-(n - start) // threads), c)
        size = min(size, n - start)
        out.append([range(start, start + size)])
        start += size
    return out


def pus_text(pus):
    """PU indexes as hwloc writes a list: 0-3,6."""
    pus, parts, k = sorted(pus), [], 0
    while k < len(pus):
        j = k
        while j + 1 < len(pus) and pus[j + 1] == pus[j] + 1:
            j += 1
        parts.append(str(pus[k]) if j == k else "%d-%d" % (pus[k], pus[j]))
        k = j + 1
    return ",".join(parts)


def bind_self(tid, pus):
    """Binds the calling thread to pus and reads the binding back; the error's text, or
    None when all went well (or there is nothing to bind)."""
    if not pus:
        return None
    want = set(pus)
    try:
        os.sched_setaffinity(0, want)
    except OSError as e:
        return "binding thread %d: sched_setaffinity(PUs %s): %s" % (
            tid, pus_text(want), e.strerror)
    got = os.sched_getaffinity(0)
    if got != want:
        return ("binding thread %d: sched_setaffinity(PUs %s) succeeded but the thread is "
                "bound to PUs %s" % (tid, pus_text(want), pus_text(got)))
    return None


class Counter:
    """The shared value the tutorials' FakeDatabase holds."""

    def __init__(self):
        self.value = 0


class Team:
    """What every backend offers the harness and the workloads."""

    name = None
    parallel = True

    def __init__(self, threads, schedule, pus):
        self.threads = threads
        self.kind, self.chunk = schedule
        self.pus = pus  # per member, the PUs it is bound to; [] when it is not bound
        self.note = clib.lib().pylib_placement_note

    # Shared state a workload makes before the team starts, so that processes share it.
    def make_counter(self):
        return Counter()

    def make_lock(self):
        return threading.Lock()

    def make_array(self, n):
        return memoryview(array("d", bytes(8 * n)))

    def open(self, workload):
        raise NotImplementedError

    def run(self, n, task):
        """Runs task(i, tid) for every i < n; returns the (i, result) pairs."""
        raise NotImplementedError

    def empty_tasks(self, count):
        """Runs count empty tasks (the noop workload's); returns the members' indexes."""
        raise NotImplementedError

    def note_members(self):
        """Notes where each member runs now, outside any timed part."""
        raise NotImplementedError

    def worker_pids(self):
        return []

    def close(self, stopping=False):
        pass


class Seq(Team):
    """python-seq: the plain loop, on the main thread, bound where member 0 would be."""

    name = "python-seq"
    parallel = False

    def open(self, workload):
        err = bind_self(0, self.pus[0] if self.pus else [])
        if err:
            raise BenchError(ERR_RUN, err)

    def run(self, n, task):
        out = []
        note = self.note
        for i in range(n):
            out.append((i, task(i, 0)))
            note(0)
        return out

    def empty_tasks(self, count):
        return [_empty() for _ in range(count)]

    def note_members(self):
        self.note(0)


def _empty():
    return 0


# ---- python-threads -------------------------------------------------------------------

_member = threading.local()


def _thread_start(tids, pus):
    tid = tids.pop()
    _member.tid = tid
    _member.error = bind_self(tid, pus[tid] if pus else [])


def _thread_meet(barrier):
    barrier.wait(BARRIER_TIMEOUT_S)
    return _member.error


def _thread_job(task, ranges, note, stop):
    tid = _member.tid
    out = []
    for r in ranges:
        for i in r:
            if stop.is_set():  # a stop signal: the tasks not begun are not run
                return out
            out.append((i, task(i, tid)))
            note(tid)
    return out


def _thread_empty():
    return _member.tid


def _thread_note(barrier, note):
    note(_member.tid)
    barrier.wait(BARRIER_TIMEOUT_S)


class Threads(Team):
    """python-threads: concurrent.futures.ThreadPoolExecutor(max_workers=threads); the
    main thread submits and waits, and does no task itself."""

    name = "python-threads"

    def __init__(self, threads, schedule, pus):
        super().__init__(threads, schedule, pus)
        self.stop = threading.Event()

    def open(self, workload):
        tids = list(range(self.threads - 1, -1, -1))  # list.pop is atomic under the GIL
        self.pool = cf.ThreadPoolExecutor(max_workers=self.threads,
                                          initializer=_thread_start, initargs=(tids, self.pus))
        barrier = threading.Barrier(self.threads)
        for err in [f.result() for f in
                    [self.pool.submit(_thread_meet, barrier) for _ in range(self.threads)]]:
            if err:
                raise BenchError(ERR_RUN, err)

    def run(self, n, task):
        futures = [self.pool.submit(_thread_job, task, j, self.note, self.stop)
                   for j in jobs(n, self.threads, self.kind, self.chunk)]
        out = []
        for f in futures:
            out.extend(f.result())
        return out

    def empty_tasks(self, count):
        futures = [self.pool.submit(_thread_empty) for _ in range(count)]
        return [f.result() for f in futures]

    def note_members(self):
        barrier = threading.Barrier(self.threads)
        for f in [self.pool.submit(_thread_note, barrier, self.note)
                  for _ in range(self.threads)]:
            f.result()

    def close(self, stopping=False):
        pool = getattr(self, "pool", None)
        if pool is not None:
            if stopping:
                self.stop.set()  # threads cannot be killed; they stop between tasks
            pool.shutdown(wait=True, cancel_futures=True)


# ---- python-processes ------------------------------------------------------------------

_worker = {}


def _process_start(tids, pus, barrier, task, inherited):
    # The parent's end of a helper's lifeline must close when the parent dies, not
    # stay open in its workers; and a worker must not outlive the parent.
    for fd in inherited:
        os.close(fd)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # Ctrl-C reaches the whole process group: the parent decides how the run ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tid = tids.get()
    _worker.update(tid=tid, task=task, barrier=barrier, pu=clib.lib().pylib_current_pu,
                   error=bind_self(tid, pus[tid] if pus else []))


def _process_meet():
    _worker["barrier"].wait(BARRIER_TIMEOUT_S)
    return os.getpid(), _worker["error"]


def _process_job(ranges):
    tid, task, pu = _worker["tid"], _worker["task"], _worker["pu"]
    out, seen = [], set()
    for r in ranges:
        for i in r:
            out.append((i, task(i, tid)))
            seen.add(pu())
    return tid, seen, out


def _process_empty():
    return _worker["tid"]


def _process_note():
    _worker["barrier"].wait(BARRIER_TIMEOUT_S)
    return _worker["tid"], _worker["pu"]()


class Processes(Team):
    """python-processes: concurrent.futures.ProcessPoolExecutor(max_workers=threads),
    its workers forked once the workload is set up, so that they inherit it (and the
    shared counter, lock and arrays it made); each job's results come back pickled."""

    name = "python-processes"

    def __init__(self, threads, schedule, pus):
        super().__init__(threads, schedule, pus)
        self.ctx = multiprocessing.get_context("fork")
        self.pids = []

    def make_counter(self):
        return self.ctx.RawValue("Q", 0)

    def make_lock(self):
        return self.ctx.Lock()

    def make_array(self, n):
        return memoryview(self.ctx.RawArray("d", n)).cast("B").cast("d")

    def open(self, workload):
        tids = self.ctx.SimpleQueue()
        for t in range(self.threads):
            tids.put(t)
        barrier = self.ctx.Barrier(self.threads)
        self.pool = cf.ProcessPoolExecutor(
            max_workers=self.threads, mp_context=self.ctx, initializer=_process_start,
            initargs=(tids, self.pus, barrier, workload.task, workload.parent_fds()))
        met = [f.result() for f in
               [self.pool.submit(_process_meet) for _ in range(self.threads)]]
        self.pids = sorted(pid for pid, _ in met)
        for _, err in met:
            if err:
                raise BenchError(ERR_RUN, err)

    def run(self, n, task):
        futures = [self.pool.submit(_process_job, j)
                   for j in jobs(n, self.threads, self.kind, self.chunk)]
        done = [f.result() for f in futures]
        mark = clib.lib().pylib_placement_mark
        out = []
        for tid, seen, pairs in done:
            for pu in seen:
                mark(tid, pu)
            out.extend(pairs)
        return out

    def empty_tasks(self, count):
        futures = [self.pool.submit(_process_empty) for _ in range(count)]
        return [f.result() for f in futures]

    def note_members(self):
        mark = clib.lib().pylib_placement_mark
        for f in [self.pool.submit(_process_note) for _ in range(self.threads)]:
            mark(*f.result())

    def worker_pids(self):
        return self.pids

    def close(self, stopping=False):
        pool = getattr(self, "pool", None)
        if pool is None:
            return
        if stopping:
            for pid in self.pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except BrokenProcessPool:
            pass


TEAMS = {t.name: t for t in (Seq, Threads, Processes)}
