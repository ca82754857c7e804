"""bench-python: reads the options, sets the workload and the team up, lets the harness
run the repetitions, writes the rows, and prints the one error message, if any
(src/core/main.c does the same for the C builds)."""

import ctypes
import os
import platform
import signal
import sys
from concurrent.futures.process import BrokenProcessPool

from . import clib, harness
from .backends import TEAMS
from .cli import ACTION_DESCRIBE, ACTION_HELP, ACTION_LIST, ACTION_RUN, Options, print_help, \
    print_list
from .clib import BenchError, ERR_OK, ERR_RUN
from .output import Output
from .workloads import WORKLOADS

RUNTIME = "%s-%s" % (platform.python_implementation().lower(), platform.python_version())
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(Exception):
    """A stop signal (or a closed stdout) came: clean up, then end as the signal says."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise Stopped(signum)


class Run:
    def __init__(self, opt):
        self.opt = opt
        self.walls = []
        self.misplaced = 0

    def choose_threads(self):
        o = self.opt
        if o.backend == "python-seq":
            if o.threads > 1:
                sys.stderr.write("%s: note: the sequential build runs 1 thread (%s asked for "
                                 "%d)\n" % (o.prog, o.threads_from, o.threads))
            return 1
        if o.threads > 0:
            return o.threads
        pus = ctypes.c_uint()
        clib.call("pylib_count_pus", ctypes.byref(pus))
        return pus.value

    def emit(self, r):
        o, lib = self.opt, clib.lib()
        placement, misplaced = clib.placement()
        metrics = r.check.metrics
        if lib.pylib_plan_binds():
            metrics += "%smisplaced=%d" % (";" if metrics else "", misplaced)
        buf = ctypes.create_string_buffer(clib.text(metrics), 1024)
        lib.pylib_measured_format(buf, 1024)
        if misplaced:
            sys.stderr.write("%s: warning: repetition %d: %d thread%s ran outside %s cpuset "
                             "(marked '!'): %s\n" % (
                                 o.prog, r.rep, misplaced, "" if misplaced == 1 else "s",
                                 "its" if misplaced == 1 else "their", placement))
            self.misplaced += misplaced
        self.out.row({
            "workload": o.workload, "backend": o.backend, "threads": self.threads,
            "tasks": self.tasks, "schedule": self.schedule, "bind": o.bind_text,
            "params": o.params_text, "rep": r.rep, "wall_s": r.wall_s, "cpu_s": r.cpu_s,
            "checksum": r.check.checksum, "verified": r.check.verified, "runtime": RUNTIME,
            "placement": placement, "metrics": clib.string(buf.value),
            "disturbed": r.disturbed,
        })
        self.walls.append(r.wall_s)

    def summary(self, unverified):
        o = self.opt
        med, lo, hi = clib.stats(self.walls)
        sys.stderr.write(
            "%s on %s (%s), %d thread%s, %d task%s, %s, bind %s, %s: median %.6f s, "
            "min %.6f s, max %.6f s over %d repetition%s; %s\n" % (
                o.workload, o.backend, RUNTIME, self.threads, "" if self.threads == 1 else "s",
                self.tasks, "" if self.tasks == 1 else "s", self.schedule, o.bind_text,
                o.params_text, med, lo, hi, len(self.walls),
                "" if len(self.walls) == 1 else "s", "NOT VERIFIED" if unverified else "verified"))

    def benchmark(self):
        o, lib = self.opt, clib.lib()
        self.threads = self.choose_threads()
        clib.call("pylib_plan", self.threads)
        pus = []
        if lib.pylib_plan_binds():
            for t in range(self.threads):
                arr = (ctypes.c_uint * 4096)()
                pus.append(list(arr[:lib.pylib_plan_pus(t, arr, 4096)]))
        defaults = {clib.string(w.name): w.default_tasks for w, _ in clib.workload_facts()}
        self.tasks = o.tasks if o.tasks >= 0 else defaults[o.workload]
        self.schedule = o.schedule_text if o.backend != "python-seq" else "static"
        team = TEAMS[o.backend](self.threads, o.schedule, pus)
        workload = WORKLOADS[o.workload](o, team, self.tasks)
        stopping = False
        try:
            workload.setup()
            # After the setup, which may start a helper (net's server) that must not be
            # counted, and before the team's workers, which must be.
            note = ctypes.create_string_buffer(512)
            if lib.pylib_counters_open(note, len(note)) != ERR_OK:
                raise BenchError(ERR_RUN, "out of memory")
            if note.value:
                sys.stderr.write("%s: note: counters read '-' where not available: %s\n"
                                 % (o.prog, clib.string(note.value)))
            team.open(workload)
            self.out = Output(o.format)
            self.out.begin()
            unverified, quiet = harness.run(o, team, workload, self.tasks, self.emit)
            self.out.end()
        except BaseException:
            stopping = True
            raise
        finally:
            team.close(stopping)
            lib.pylib_counters_close()
            workload.teardown()
        if not quiet:
            sys.stderr.write("%s: note: the machine was not quiet after %g s of waiting; "
                             "measured anyway\n" % (o.prog, o.wait_quiet_s))
        if (o.format == "human" or sys.stdout.isatty()) and self.walls:
            self.summary(unverified)
        if unverified:
            raise BenchError(ERR_RUN, "verification failed: %d of %d repetition%s gave wrong "
                             "results" % (unverified, o.reps + o.warmup,
                                          "" if o.reps + o.warmup == 1 else "s"))
        if self.misplaced:
            raise BenchError(ERR_RUN, "placement check failed: %d thread-repetition%s ran "
                             "outside the cpuset of bind policy '%s' (see the placement "
                             "column)" % (self.misplaced, "" if self.misplaced == 1 else "s",
                                          o.bind_text))


def _main(argv, prog):
    opt = Options(argv, prog)
    if opt.workload is not None:  # a run, or --check with a workload
        WORKLOADS[opt.workload].check_options(opt)
    if opt.action == ACTION_HELP:
        print_help(prog)
    elif opt.action == ACTION_LIST:
        print_list(opt.format)
    elif opt.action == ACTION_DESCRIBE:
        sys.stdout.flush()
        clib.call("pylib_describe", clib.text(opt.backend), clib.text(RUNTIME))
    elif opt.action == ACTION_RUN:
        Run(opt).benchmark()
    # --check and --check-env: everything was checked; silence and status 0.
    return ERR_OK


def main():
    prog = os.path.basename(sys.argv[0])
    for s in STOP_SIGNALS:
        # A signal the caller ignores stays ignored (a background job's SIGINT).
        if signal.getsignal(s) != signal.SIG_IGN:
            signal.signal(s, _on_signal)
    try:
        try:
            rc = _main(sys.argv, prog)
            sys.stdout.flush()
        except BrokenPipeError:
            raise Stopped(signal.SIGPIPE) from None
    except BenchError as e:
        sys.stderr.write("%s: %s\n" % (prog, e))
        rc = e.code
    except BrokenProcessPool as e:
        sys.stderr.write("%s: a worker process died: %s\n" % (prog, e))
        rc = ERR_RUN
    except Stopped as s:
        # Everything is cleaned up by now; end the way the signal ends a process.
        signal.signal(s.signum, signal.SIG_DFL)
        os.kill(os.getpid(), s.signum)
        rc = 128 + s.signum
    sys.exit(rc)
