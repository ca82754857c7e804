"""The workloads in Python, each the C workload of the same name (src/workloads/) with
the same parameters, the same per-task results and the same checksum: task i returns
what C's task i returns, and the check recomputes it independently. A workload never
times itself and never knows which team runs its tasks; it makes what the tasks share
(a counter, a lock, arrays) through the team, before the team starts.

kernel=c (cpu, memory) hands each task to the C build's own task through ctypes
(clib.Kernel), which releases the GIL for the call: the C-extension lesson."""

import os
import socket
import stat
import time

from . import clib, netchild
from .harness import POISON
from .clib import BenchError, ERR_RUN, ERR_USAGE
from .mix import (MASK, fold, mix64, pattern_digest, pattern_expect, pattern_finish,
                  pattern_seed, pattern_words)


class Check:
    """What a repetition produced, as the workload judges it (struct check)."""

    def __init__(self, checksum, verified, metrics="", expected_loss=False):
        self.checksum = checksum
        self.verified = verified
        self.metrics = metrics
        self.expected_loss = expected_loss


def check_each(expect, results):
    """The common check of workloads whose task i has one right answer."""
    wrong = sum(1 for i, r in enumerate(results) if r != expect(i))
    return Check(fold(results), wrong == 0, "wrong_tasks=%d" % wrong if wrong else "")


class Workload:
    """Setup, per-repetition reset, task, check and teardown (struct workload)."""

    parts = 0  # > 0: the repetition is made of timed parts the workload drives (noop)

    def __init__(self, opt, team, tasks):
        self.opt = opt
        self.team = team
        self.tasks = tasks

    @staticmethod
    def check_options(opt):
        """Refuses (BenchError) what the options alone rule out for this workload on
        opt.backend, so that --check says it before a run."""

    def setup(self):
        pass

    def rep_begin(self):
        pass

    def task(self, i, tid):
        raise NotImplementedError

    def timed(self, part_s):
        pass

    def check(self, results):
        raise NotImplementedError

    def teardown(self):
        pass

    def helper_pid(self):
        """A process serving the run (net's server): its CPU is the run's."""
        return 0

    def parent_fds(self):
        """Descriptors the team's forked workers must close (a helper's lifeline)."""
        return []


# ---- sleep ------------------------------------------------------------------------------

class Sleep(Workload):
    def setup(self):
        self.ms = self.opt.param_int("ms")
        self.seconds = self.ms / 1000.0

    def expect(self, i):
        return mix64((i * 2654435761 + self.ms) & MASK)

    def task(self, i, tid):
        time.sleep(self.seconds)  # resumed after a signal by Python itself (PEP 475)
        return self.expect(i)

    def check(self, results):
        return check_each(self.expect, results)


# ---- cpu --------------------------------------------------------------------------------

LCG_MUL = 6364136223846793005
LCG_ADD = 1442695040888963407
SKEW_SEED = 0x5eed5eed5eed5eed


class Cpu(Workload):
    """Task i runs a chain of 64-bit multiply-add steps from a seed derived from i; the
    check jumps the chain ahead in O(log steps), as workload_cpu.c does."""

    kernel = None

    def setup(self):
        self.work = self.opt.param_int("work")
        self.skew = self.opt.param_text("skew")
        if self.opt.param_text("kernel") == "c":
            self.kernel = clib.Kernel("cpu", self.opt.params_text, self.tasks,
                                      self.team.threads)
            self.task = self.kernel.task

    def steps(self, i):
        if self.skew == "linear":
            return self.work * 2 * (i + 1) // (self.tasks + 1)
        if self.skew == "random":
            return (self.work * (mix64((SKEW_SEED + i) & MASK) >> 32)) >> 31
        return self.work

    @staticmethod
    def seed(i):
        return mix64((i + 0x9e3779b97f4a7c15) & MASK)

    def task(self, i, tid):
        x = self.seed(i)
        for _ in range(self.steps(i)):
            x = (x * LCG_MUL + LCG_ADD) & MASK
        return mix64(x)

    def expect(self, i):
        steps, mul, add, acc_mul, acc_add = self.steps(i), LCG_MUL, LCG_ADD, 1, 0
        while steps > 0:
            if steps & 1:
                acc_mul = (acc_mul * mul) & MASK
                acc_add = (acc_add * mul + add) & MASK
            add = ((mul + 1) * add) & MASK
            mul = (mul * mul) & MASK
            steps >>= 1
        return mix64((acc_mul * self.seed(i) + acc_add) & MASK)

    def check(self, results):
        return check_each(self.expect, results)

    def teardown(self):
        if self.kernel is not None:
            self.kernel.close()


# ---- disk -------------------------------------------------------------------------------

DISK_SALT = 0xd15cd15cd15cd15c
CHUNK_WORDS = 4096  # 32 KiB per write and read, as the C task


class Disk(Workload):
    """Task i writes kib KiB of its pattern to a file of its own, fsyncs it, reads it
    back into a digest and deletes it. A failure stops the run with the first error."""

    dir = own_dir = None

    def setup(self):
        self.nbytes = self.opt.param_int("kib") * 1024
        self.fsync = self.opt.param_text("fsync") == "1"
        self.pid = os.getpid()
        given = self.opt.param_text("dir")
        if given == "auto":
            self.dir = self._make_scratch()
        else:
            self.dir = given
            self._check_dir(given)
        buf = clib.filled("fstype_of", clib.text(self.dir), size=32)
        self.fs = "".join("_" if ch in ',;="\\ ' else ch for ch in buf)

    def _make_scratch(self):
        results = os.path.join(clib.project_dir(), "results")
        path = os.path.join(results, "scratch-%d" % self.pid)
        try:
            os.makedirs(results, exist_ok=True)
            os.mkdir(path, 0o700)
        except OSError as e:
            raise BenchError(ERR_RUN, "disk: cannot create %s: %s (choose a folder with -p dir=)"
                             % (e.filename, e.strerror)) from None
        self.own_dir = path
        return path

    def _check_dir(self, d):
        """A folder given by the user must exist and take a new file."""
        try:
            st = os.stat(d)
        except OSError as e:
            raise BenchError(ERR_USAGE, "-p dir: %s: %s (expected an existing writable folder)"
                             % (d, e.strerror)) from None
        if not stat.S_ISDIR(st.st_mode):
            raise BenchError(ERR_USAGE, "-p dir: %s is not a folder (expected an existing "
                             "writable folder)" % d)
        probe = os.path.join(d, "bench-disk-%d-probe" % self.pid)
        try:
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
            os.unlink(probe)
        except OSError as e:
            raise BenchError(ERR_USAGE, "-p dir: %s is not writable: %s"
                             % (d, e.strerror)) from None

    def _path(self, i):
        return os.path.join(self.dir, "bench-disk-%d-%d" % (self.pid, i))

    def task(self, i, tid):
        path = self._path(i)
        seed = pattern_seed(DISK_SALT, i)
        op = "create"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                op = "write"
                words = self.nbytes // 8
                for k in range(0, words, CHUNK_WORDS):
                    data = memoryview(pattern_words(seed, k, min(CHUNK_WORDS, words - k)))
                    while data:
                        data = data[os.write(fd, data):]
                op = "fsync"
                if self.fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            op = "read"
            digest = self._read(path, seed)
            op = "delete"
            os.unlink(path)
        except OSError as e:
            if op != "create":
                _unlink_quietly(path)
            raise BenchError(ERR_RUN, "disk: %s %s: %s" % (op, path, e.strerror)) from None
        return digest

    @staticmethod
    def _read(path, seed):
        """Reads the file to its end, folding every byte into the digest."""
        h, total, left = seed, 0, b""
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            while True:
                chunk = os.read(fd, CHUNK_WORDS * 8)
                if not chunk:
                    break
                total += len(chunk)
                data = left + chunk
                whole = len(data) // 8 * 8
                h = pattern_digest(h, data[:whole])
                left = data[whole:]
        finally:
            os.close(fd)
        if left:  # a file cut short mid-word still differs from the expected one
            h = pattern_digest(h, left + bytes(8 - len(left)))
        return pattern_finish(h, total)

    def expect(self, i):
        return pattern_expect(pattern_seed(DISK_SALT, i), self.nbytes // 8)

    def check(self, results):
        c = check_each(self.expect, results)
        c.metrics += (";" if c.metrics else "") + "fs=" + self.fs
        return c

    def teardown(self):
        # Files of tasks a stop signal cut short, then the scratch folder.
        if self.dir is None:
            return
        prefix = "bench-disk-%d-" % self.pid
        try:
            for name in os.listdir(self.dir):
                if name.startswith(prefix):
                    _unlink_quietly(os.path.join(self.dir, name))
        except OSError:
            pass
        if self.own_dir is not None:
            os.rmdir(self.own_dir)
            self.own_dir = None


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


# ---- net --------------------------------------------------------------------------------

NET_SALT = 0x6e657477726b6e65


class Net(Workload):
    """Task i asks the server for kib KiB after latency_ms ("GET i kib ms\\n") and folds
    every byte of the reply into its digest; every wait is bounded."""

    server = None

    def setup(self):
        self.kib = self.opt.param_int("kib")
        self.latency_ms = self.opt.param_int("latency_ms")
        self.timeout_ms = self.opt.param_int("timeout_ms")
        host = self.opt.param_text("host")
        port = self.opt.param_int("port")
        self.family = None
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                socket.inet_pton(family, host)
                self.family = family
                break
            except OSError:
                pass
        if self.family is None:
            raise BenchError(ERR_USAGE, "-p host: expected a numeric IPv4 or IPv6 address "
                             "(no names), got '%s'" % host)
        clib.call("pylib_fdlimit_raise", self.team.threads + 64)
        if port == 0:
            path = netchild.server_path(clib.bin_dir(), clib.project_dir())
            self.server = netchild.NetServer(path, host)
            port = self.server.port
        self.addr = (host, port)
        self.where = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)

    def helper_pid(self):
        return self.server.pid if self.server is not None else 0

    def parent_fds(self):
        return [self.server.lifeline] if self.server is not None else []

    def fail(self, i, what, err=None):
        why = ": " + os.strerror(err) if err else ""
        return BenchError(ERR_RUN, "net: %s: %s%s (task %d)" % (self.where, what, why, i))

    def task(self, i, tid):
        start = time.monotonic()
        deadline = start + (self.latency_ms + self.timeout_ms) / 1000.0
        want = self.kib * 1024
        with socket.socket(self.family, socket.SOCK_STREAM) as s:
            try:
                s.settimeout(max(deadline - time.monotonic(), 0.001))
                s.connect(self.addr)
                s.sendall(b"GET %d %d %d\n" % (i, self.kib, self.latency_ms))
            except socket.timeout:
                raise self.fail(i, "connect timed out") from None
            except OSError as e:
                raise self.fail(i, "connect", e.errno) from None
            h, got, left = pattern_seed(NET_SALT, i), 0, b""
            while True:
                wait = deadline - time.monotonic()
                try:
                    if wait <= 0:
                        raise socket.timeout
                    s.settimeout(wait)
                    chunk = s.recv(16384)
                except socket.timeout:
                    raise self.fail(i, "no complete reply within %d ms (%d of %d bytes)"
                                    % (self.latency_ms + self.timeout_ms, got, want)) from None
                except OSError as e:
                    raise self.fail(i, "recv", e.errno) from None
                if not chunk:
                    break
                if got == 0:
                    self._in_time(i, time.monotonic() - start)
                got += len(chunk)
                if got > want:
                    raise self.fail(i, "the reply is longer than asked for")
                data = left + chunk
                whole = len(data) // 8 * 8
                h = pattern_digest(h, data[:whole])
                left = data[whole:]
        if got < want:
            raise self.fail(i, "the server closed the connection after %d of %d bytes"
                            % (got, want))
        return pattern_finish(h, got)

    def _in_time(self, i, waited_s):
        """A reply before latency_ms (less 1% and 1 ms) would make waiting look cheap."""
        if waited_s * 1e6 < self.latency_ms * 990 - 1000:
            raise self.fail(i, "the reply came %.1f ms after the request, before "
                            "latency_ms=%d" % (waited_s * 1000, self.latency_ms))

    def expect(self, i):
        return pattern_expect(pattern_seed(NET_SALT, i), self.kib * 128)

    def check(self, results):
        c = check_each(self.expect, results)
        server = "child" if self.server is not None else "external"
        c.metrics += (";" if c.metrics else "") + "server=" + server
        return c

    def teardown(self):
        if self.server is not None:
            self.server.stop()


# ---- memory -----------------------------------------------------------------------------

BYTES_PER_ELEMENT = 24  # STREAM's count for the triad: 3 arrays of double
PERIOD = 1024  # b and c repeat every 1024 elements


def b_value(j):
    return 2.0 + (j & 1023)


def c_value(j):
    return 0.5 * (j & 511)


def clock_tick():
    """The clock's granularity as this program sees it (STREAM's checktick)."""
    best = 1.0
    for _ in range(20):
        t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
        t1 = t0
        while t1 == t0:
            t1 = time.clock_gettime(time.CLOCK_MONOTONIC)
        best = min(best, t1 - t0)
    return best


class Memory(Workload):
    """STREAM's triad a = b + s*c over three arrays split into one block per task; task
    i first touches its block. A repetition is passes parts, each one run of every task
    through the team, as the C workload's passes. kernel=c runs the C workload whole (its
    arrays, its check, its tally of runs) and only spreads its tasks."""

    kernel = None

    @staticmethod
    def check_options(opt):
        if opt.param_text("kernel") == "c" and opt.backend == "python-processes":
            raise BenchError(ERR_USAGE, "-p kernel=c: the C memory workload's arrays live "
                             "in one process; use python-threads or python-seq")

    def setup(self):
        self.passes = self.parts = self.opt.param_int("passes")
        if self.opt.param_text("kernel") == "c":
            self.kernel = clib.Kernel("memory", self.opt.params_text, self.tasks,
                                      self.team.threads)
            self.task = self.kernel.task
            return
        nbytes = self.opt.param_int("mib") << 20
        if nbytes == 0:  # auto: the C workload's rule, each array four times the LLC
            llc = clib.ctypes.c_ulonglong()
            clib.call("pylib_llc_bytes", clib.ctypes.byref(llc))
            nbytes = 3 * 4 * llc.value
        self.n = nbytes // BYTES_PER_ELEMENT
        if self.tasks == 0 or self.n < self.tasks:
            raise BenchError(ERR_USAGE, "-n: memory needs from 1 to %d tasks (one element each "
                             "at least)" % self.n)
        # Shared with the workers when the team is processes.
        self.a = self.team.make_array(self.n)
        self.b = self.team.make_array(self.n)
        self.c = self.team.make_array(self.n)
        self.touched = self.team.make_array(self.tasks)
        self.scalar_box = self.team.make_array(1)  # set between repetitions, read by tasks
        self.tick_s = clock_tick()
        self.reps = 0

    def block(self, i):
        return i * self.n // self.tasks, (i + 1) * self.n // self.tasks

    def rep_begin(self):
        # What the harness does for a loop it runs itself, done here for the passes.
        self.results = [POISON] * self.tasks
        self.runs = [0] * self.tasks
        if self.kernel is not None:
            self.kernel.rep_begin()
            return
        self.reps += 1
        self.scalar = self.scalar_box[0] = 3.0 + self.reps % 2
        self.touch_run = any(t == 0.0 for t in self.touched)

    def drive(self, part):
        """One pass: every task once, through the team."""
        for i, value in self.team.run(self.tasks, self.task):
            self.results[i] = value
            self.runs[i] += 1

    def task(self, i, tid):
        lo, hi = self.block(i)
        a, b, c, s = self.a, self.b, self.c, self.scalar_box[0]
        if not self.touched[i]:
            for j in range(lo, hi):
                a[j] = 0.0
                b[j] = b_value(j)
                c[j] = c_value(j)
            self.touched[i] = 1.0
        for j in range(lo, hi):
            a[j] = b[j] + s * c[j]
        return hi - lo

    def timed(self, part_s):
        if self.kernel is not None:
            self.kernel.timed(part_s)
        self.wall_s = sum(part_s)
        self.best_s = min(part_s)

    def _wrong_elements(self):
        """Elements of a, b or c that differ from what the triad leaves. b and c repeat
        every PERIOD elements, so whole periods compare at C speed; a is computed here
        exactly as the Python task computes it, so it must match bit for bit."""
        s = self.scalar
        pb = [b_value(j) for j in range(PERIOD)]
        pc = [c_value(j) for j in range(PERIOD)]
        pa = [pb[j] + s * pc[j] for j in range(PERIOD)]
        wrong = 0
        for lo in range(0, self.n, PERIOD):
            hi = min(lo + PERIOD, self.n)
            m = hi - lo
            for arr, want in ((self.a, pa), (self.b, pb), (self.c, pc)):
                if arr[lo:hi].tolist() != want[:m]:
                    wrong += sum(1 for k in range(m) if arr[lo + k] != want[k])
        return wrong

    def check(self, results):
        """results is the harness's, unset in a driven repetition: the passes' are read."""
        if self.kernel is not None:
            checksum, verified, loss, metrics = self.kernel.check(self.results)
            return Check(checksum, verified, metrics, loss)
        wrong_tasks = sum(1 for i, r in enumerate(self.results)
                          if r != self.block(i)[1] - self.block(i)[0])
        wrong_runs = any(r != self.passes for r in self.runs)
        wrong = self._wrong_elements()
        nbytes = BYTES_PER_ELEMENT * self.n
        ticks = self.best_s / self.tick_s
        metrics = "gb_s=%.3f;best_gb_s=%.3f;bytes=%d;ticks=%.0f%s%s" % (
            self.passes * nbytes / self.wall_s * 1e-9, nbytes / self.best_s * 1e-9, nbytes,
            ticks, ";too_short=1" if ticks < 20 else "",
            ";first_touch=1" if self.touch_run else "")
        if wrong:
            metrics += ";wrong_elements=%d" % wrong
        if wrong_tasks:
            metrics += ";wrong_tasks=%d" % wrong_tasks
        if wrong_runs:
            metrics += ";task_runs=%d;wrong_runs=1" % sum(self.runs)
        ok = wrong == 0 and wrong_tasks == 0 and not wrong_runs
        return Check(fold([self.n, wrong + wrong_tasks + wrong_runs]), ok, metrics)

    def teardown(self):
        if self.kernel is not None:
            self.kernel.close()


# ---- contention -------------------------------------------------------------------------

class Contention(Workload):
    """The tutorials' FakeDatabase.update: each of incs increments reads the shared
    value, waits window_ms, and writes the value plus one back; racy does it with no
    lock, mutex holding one lock, reduction on a count of the task's own."""

    def setup(self):
        self.mode = self.opt.param_text("mode")
        self.incs = self.opt.param_int("incs")
        self.window = self.opt.param_int("window_ms") / 1000.0
        self.counter = self.team.make_counter()
        self.lock = self.team.make_lock()

    def rep_begin(self):
        self.counter.value = 0

    def task(self, i, tid):
        window, counter = self.window, self.counter
        if self.mode == "reduction":
            mine = 0
            for _ in range(self.incs):
                local_copy = mine
                if window:
                    time.sleep(window)
                mine = local_copy + 1
            return mine
        for _ in range(self.incs):
            if self.mode == "mutex":
                with self.lock:
                    local_copy = counter.value
                    if window:
                        time.sleep(window)
                    counter.value = local_copy + 1
            else:
                local_copy = counter.value
                if window:
                    time.sleep(window)
                counter.value = local_copy + 1
        return 0

    def check(self, results):
        observed = sum(results) if self.mode == "reduction" else self.counter.value
        expected = self.incs * self.tasks
        lost = expected - observed
        return Check(fold([observed & MASK]), lost == 0,
                     "expected=%d;observed=%d;lost=%d" % (expected, observed, lost),
                     expected_loss=self.mode == "racy" and lost != 0)


# ---- noop -------------------------------------------------------------------------------

def _reference_body():
    return 1


class Noop(Workload):
    """What handing a task to the executor costs, measured as the noop workload measures
    the pool's (EPCC's method): timed reference parts (rounds calls of an empty function
    on the main thread) alternate with timed test parts (rounds empty tasks through the
    team, or rounds fork-joins of one task per member); the overhead per construct is
    the median test time minus the median reference time, divided by rounds. Every call
    is counted."""

    def setup(self):
        self.construct = self.opt.param_text("construct")
        self.index = clib.lib().pylib_c_choice(b"noop", b"construct", clib.text(self.construct))
        self.rounds = self.opt.param_int("rounds")
        self.samples = self.opt.param_int("samples")
        self.parts = 2 * self.samples

    def rep_begin(self):
        self.ran = []
        self.ref_calls = 0

    def drive(self, part):
        """Part 2k is a reference, 2k+1 a test, interleaved so that a change in the
        machine's load touches both alike."""
        if part % 2 == 0:
            n = 0
            for _ in range(self.rounds):
                n += _reference_body()
            self.ref_calls += n
        elif self.construct == "task":
            self.ran.append(self.team.empty_tasks(self.rounds))
        else:
            for _ in range(self.rounds):
                self.ran.append(self.team.empty_tasks(self.team.threads))

    def timed(self, part_s):
        rounds = self.rounds
        self.ref = [part_s[2 * k] * 1e6 / rounds for k in range(self.samples)]
        self.test = [part_s[2 * k + 1] * 1e6 / rounds for k in range(self.samples)]

    def check(self, results):
        want = self.rounds * self.samples
        if self.construct == "forkjoin":
            want *= self.team.threads
        total = sum(len(r) for r in self.ran)
        wrong = (total != want) + (self.ref_calls != self.rounds * self.samples)
        if any(tid >= self.team.threads for r in self.ran for tid in r):
            wrong += 1
        # As the C noop: the median test time minus the median reference time, and an
        # interval joining two exact intervals of 97.5% each, so at least 95%.
        t_med, t_lo, t_hi = clib.median_interval(self.test, 0.975)
        r_med, r_lo, r_hi = clib.median_interval(self.ref, 0.975)
        metrics = "overhead_us=%.4f;ci_lo_us=%.4f;ci_hi_us=%.4f;test_us=%.4f;ref_us=%.4f" % (
            t_med - r_med, t_lo - r_hi, t_hi - r_lo, t_med, r_med)
        if wrong:
            metrics += ";wrong_counts=%d" % wrong
        return Check(fold([self.index, self.rounds * self.samples, wrong]), wrong == 0,
                     metrics)


WORKLOADS = {
    "sleep": Sleep,
    "cpu": Cpu,
    "disk": Disk,
    "net": Net,
    "memory": Memory,
    "contention": Contention,
    "noop": Noop,
}
