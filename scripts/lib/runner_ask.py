"""What the suite runner asks of the project's programs.

The bench binaries own the rules of the environment (OMP_*, BENCH_*), the workloads and
their parameters, the spelling of schedules and pinnings in a result row, and the
machine; bench-summary owns the stop rule. The runner asks them here and decides none of
it itself.
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys

# One trivial run (one task, no sleep, no warm-up): what the binary writes for a given
# command line, which is the only spelling of a configuration that results.csv knows.
PROBE = ("sleep", "-n", "1", "-r", "1", "-w", "0", "-p", "ms=0")


# How many --check questions run at once.
CHECKS_AT_ONCE = 8

# Popen arguments that start a child in a process group of its own.
OWN_GROUP = {"process_group": 0} if sys.version_info >= (3, 11) else {"preexec_fn": os.setpgrp}


class Refused(Exception):
    """A program refused what it was given (exit 2); str() is its one line."""


class Broken(Exception):
    """A program failed in a way that is not the user's input (exit 1, a crash)."""


def _run(argv, env=None, group=False):
    """group: in a process group of its own, out of reach of a Ctrl-C meant for the
    runner, which then finishes what it was doing."""
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env, check=False,
                          **(OWN_GROUP if group else {}))


def _complaint(proc):
    """The program's own error line: the last line that is not a note."""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and ": note: " not in ln]
    return lines[-1].strip() if lines else "exit status %d" % proc.returncode


def unprefixed(line):
    """'bench-seq: OMP_SCHEDULE: ...' -> 'OMP_SCHEDULE: ...'."""
    return re.sub(r"^bench-[a-z-]+: ", "", line)


def _answer(proc, what):
    if proc.returncode == 2:
        raise Refused(_complaint(proc))
    if proc.returncode != 0:
        raise Broken("%s failed: %s" % (what, _complaint(proc)))
    return proc.stdout


def check_env(binary, env):
    """Raises Refused with the binary's line when it refuses a variable of env."""
    _answer(_run([binary, "--check-env"], env), binary + " --check-env")


def check_options(binary, options, env):
    """Raises Refused when the binary refuses the options (which take effect on a run)."""
    _answer(_run([binary, "--check", *options], env), binary + " --check")


class Workload:
    def __init__(self, name, default_tasks, params):
        self.name = name
        self.default_tasks = default_tasks
        self.params = params  # [(name, default)], in the binary's order


def workloads(binary, env):
    """The workloads, in the binaries' order, and the JSON array of --list --format json
    they come from (meta.json keeps it)."""
    out = _answer(_run([binary, "--list", "--format", "json"], env), binary + " --list")
    try:
        array = json.loads(out)
        found = [Workload(w["name"], int(w["default_tasks"]),
                          [(p["name"], str(p["default"])) for p in w.get("params", [])])
                 for w in array]
    except (ValueError, TypeError, KeyError) as e:
        raise Broken("%s --list --format json: not the workloads' array (%s)"
                     % (binary, e)) from None
    if not found:
        raise Broken("%s --list --format json names no workload" % binary)
    return found, array


def describe(binary, env):
    """The machine and the build, as the binary describes them (a dict)."""
    out = _answer(_run([binary, "--describe"], env), binary + " --describe")
    try:
        machine = json.loads(out)
    except ValueError as e:
        raise Broken("%s --describe printed no JSON (%s)" % (binary, e)) from None
    if not isinstance(machine, dict) or not isinstance(machine.get("cores"), int):
        raise Broken("%s --describe has no cores" % binary)
    return machine


def probe(binary, options, env):
    """The header line and the one row (a dict) the binary writes for a trivial run with
    these options: its backend, runtime, and its spelling of the schedule and pinning."""
    out = _answer(_run([binary, *PROBE, *options, "--format", "csv"], env), binary)
    lines = out.splitlines()
    if len(lines) != 2:
        raise Broken("%s: expected a header and one row, got %d lines" % (binary, len(lines)))
    return lines[0], dict(zip(lines[0].split(","), lines[1].split(",")))


def todo(summary, plan, results):
    """[(clean, disturbed, more)] per plan row, in plan order: bench-summary's stop rule."""
    proc = _run([summary, "--plan", plan, "--todo", results], group=True)
    if proc.returncode != 0:
        raise Broken("bench-summary --todo failed: " + _complaint(proc))
    rows = proc.stdout.splitlines()
    head = rows[0].split(",") if rows else []
    col = {name: i for i, name in enumerate(head)}
    if not {"row", "clean", "disturbed", "more"} <= col.keys():
        raise Broken("bench-summary --todo: unexpected header %r" % (rows[:1],))
    need = []
    for row in rows[1:]:
        f = row.split(",")
        need.append((int(f[col["clean"]]), int(f[col["disturbed"]]), int(f[col["more"]])))
    return need


def summarise(summary, meta, failed, plan, results, out_path):
    """Writes summary.csv; returns None, or bench-summary's complaint."""
    with open(out_path, "w") as out:
        proc = subprocess.run([summary, "--meta", meta, "--failed", failed, "--plan", plan,
                               results], stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.PIPE, text=True, check=False,
                              **OWN_GROUP)
    return None if proc.returncode == 0 else _complaint(proc)


def schedule_arg(value):
    """A suite's schedule (kind or kind:chunk, as rows write it) as -s takes it."""
    return re.sub(r":(\d+)$", r",\1", value)


def bind_arg(value):
    """A suite's pinning (a PU list written with ';', as rows write it) as -b takes it."""
    return value.replace(";", ",")


class Spelling:
    """Whether each binary accepts a schedule or a pinning, and how its rows spell them,
    asked once per backend and value with a trivial run; whether it accepts a workload's
    task count and parameters, asked once per set with --check."""

    def __init__(self, binaries, env):
        self.binaries = binaries  # backend name -> path
        self.env = env
        self.cache = {}

    def check(self, asks):
        """asks: [(backend, options)]. Raises Refused with the line of the first one
        (in their order) whose binary's --check refuses the options, and its backend
        as e.backend. The binaries are asked at once, a few at a time: bench-python
        takes some 50 ms to answer."""
        def one(ask):
            backend, options = ask
            try:
                check_options(self.binaries[backend], options, self.env)
            except Refused as e:
                e.backend = backend
                return e
            return None

        todo = [a for a in dict.fromkeys((b, tuple(o)) for b, o in asks)
                if ("--check", *a) not in self.cache]
        with concurrent.futures.ThreadPoolExecutor(max_workers=CHECKS_AT_ONCE) as pool:
            for a, answer in zip(todo, pool.map(one, todo)):
                self.cache[("--check", *a)] = answer
        for b, o in asks:
            if self.cache[("--check", b, tuple(o))] is not None:
                raise self.cache[("--check", b, tuple(o))]

    def _ask(self, backend, option, value):
        key = (backend, option, value)
        if key not in self.cache:
            try:
                self.cache[key] = probe(self.binaries[backend], [option, value], self.env)
            except Refused as e:
                self.cache[key] = e
        answer = self.cache[key]
        if isinstance(answer, Refused):
            raise answer
        return answer[1]

    def schedule(self, backend, value):
        """The row of a run with this schedule (its backend, runtime, schedule)."""
        return self._ask(backend, "-s", schedule_arg(value))

    def bind(self, backend, value):
        """The row of a run with this pinning (its bind)."""
        return self._ask(backend, "-b", bind_arg(value))
