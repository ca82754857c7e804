"""The repetitions, measured as src/core/harness.c measures them. Only the team's run of
the tasks is inside the timed interval (CLOCK_MONOTONIC); resetting the results, the
workload's per-repetition reset, its check, the CPU clocks and the interference readings
(through the library, so that the disturbed rule has one home) are outside it."""

import ctypes
import time

from . import clib

POISON = 0xa5a5a5a5a5a5a5a5  # what a task that never ran leaves, as the C harness's memset


def now():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


class Rep:
    """One measured or warm-up repetition (struct harness_rep)."""

    def __init__(self, rep):
        self.rep = rep
        self.wall_s = self.cpu_s = 0.0
        self.check = None
        self.disturbed = "-"


def _timed(team, workload, n):
    """Runs one repetition's work; returns (pairs, part times, wall time)."""
    if workload.parts:
        part_s = []
        w0 = now()
        for k in range(workload.parts):
            t0 = now()
            workload.drive(k)
            part_s.append(now() - t0)
        w1 = now()
        return None, part_s, w1 - w0
    w0 = now()
    pairs = team.run(n, workload.task)
    w1 = now()
    return pairs, [w1 - w0], w1 - w0


def run(opt, team, workload, n, emit):
    """Warm-up and measured repetitions; emit(rep) receives each measured one as soon as
    it is checked. Returns the count of repetitions (warm-ups included) that did not
    verify, expected losses (the racy counter) excluded, and whether the machine was
    quiet when --wait-quiet asked for it."""
    lib = clib.lib()
    quiet = True
    if opt.wait_quiet_s > 0:
        quiet = bool(lib.pylib_wait_quiet(opt.wait_quiet_s, opt.foreign_limit))
    pids = team.worker_pids()
    workers = (ctypes.c_int * max(len(pids), 1))(*pids)
    helper = workload.helper_pid()
    unverified = 0
    for k in range(opt.warmup + opt.reps):
        r = Rep(k - opt.warmup + 1)
        results = [POISON] * n
        runs = [0] * n
        lib.pylib_placement_reset()
        workload.rep_begin()
        lib.pylib_measure(0, workers, len(pids), helper)
        pairs, part_s, r.wall_s = _timed(team, workload, n)
        lib.pylib_measure(1, workers, len(pids), helper)
        r.cpu_s = lib.pylib_measured_cpu_s()
        r.disturbed = {-1: "-", 0: "0", 1: "1"}[
            lib.pylib_measured_disturbed(r.wall_s, opt.foreign_limit)]
        if pairs is None:
            team.note_members()  # a driven repetition runs no task placement could watch
        else:
            for i, value in pairs:
                results[i] = value
                runs[i] += 1
        workload.timed(part_s)
        r.check = workload.check(results)
        wrong = sum(1 for c in runs if c != 1) if pairs is not None else 0
        if wrong:
            # A team that ran a task twice would pass the workload's own check.
            r.check.verified = False
            r.check.expected_loss = False
            r.check.metrics += "%sruns_wrong=%d" % (";" if r.check.metrics else "", wrong)
        if not r.check.verified and not r.check.expected_loss:
            unverified += 1  # a warm-up that fails counts too: the backend is wrong
        if r.rep >= 1:
            emit(r)
    return unverified, quiet
