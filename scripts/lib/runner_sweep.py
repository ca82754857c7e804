"""The sweep of a run: configurations visited in rounds (or in suite order) until
bench-summary says each has what its rule asks; then summary.csv and meta.json.
"""

import datetime
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import runner_ask as ask
from runner_common import PROG, EXIT_BY_SIGNAL, signals, knobs, plural, mmss, say
from runner_folder import VISIT_OUT, VISIT_ERR
from runner_node import job_meta
from runner_suite import SEQUENTIAL

# Repetitions shorter than 1/--visit of this many seconds are run more to a visit, up to
# about this long: below it, starting the process and its warm-up cost more than they.
FILL_S = 1.0


class Sweep:
    """One invocation's visits of a run. need[i] is bench-summary's (clean, disturbed,
    more) for configuration i, the i-th row of plan.csv, as of the last --todo."""

    def __init__(self, run, project, configs, settings, tty):
        self.run, self.project, self.configs = run, project, configs
        self.settings = settings
        self.tty = tty
        self.plan = run.file("plan.csv")
        self.failed = {}  # config index -> why
        self.failures = []
        self.need = None
        self.reps_run = self.visits_run = 0
        self.configs_run = set()
        self.visits_of = {}
        self.since_todo = {}  # config index -> repetitions run since the last --todo
        self.rep_s = {}  # config index -> mean wall_s of its repetitions
        self.cost_s = {}  # config index -> seconds of its visits per repetition
        self.binaries_s = 0.0
        self.start = time.monotonic()

    def ask_todo(self):
        self.need = ask.todo(self.project.summary, self.plan, self.run.file("results.csv"))
        if len(self.need) != len(self.configs):
            raise ask.Broken("bench-summary --todo answered %d rows for a plan of %d"
                             % (len(self.need), len(self.configs)))
        self.since_todo = {}
        return self.need

    def pending(self, indexes):
        return [i for i in indexes if self.need[i][2] > 0 and i not in self.failed]

    def complete(self):
        return sum(1 for i, n in enumerate(self.need) if n[2] == 0 and i not in self.failed)

    def run_all(self):
        """Interleaved: one suite line after the other, each in rounds until bench-summary
        asks nothing more of its configurations; a round visits those that need more in
        an order shuffled from (seed, line, round), which --seed replays. Suite order:
        one configuration after the other, each until it needs nothing more."""
        lines = {}
        for i, c in enumerate(self.configs):
            lines.setdefault(c.line, []).append(i)
        rounds = {}
        for key, _, rnd in self.run.visits():
            rounds[key] = max(rounds.get(key, -1), rnd)
        self.ask_todo()
        if self.settings["order"] == "suite":
            for i in range(len(self.configs)):
                while self.pending([i]) and not signals["caught"]:
                    self.visit(i, self.need[i][2], 0)
                    self.ask_todo()
            return
        seed = self.settings["seed"]
        for line, members in lines.items():
            rnd = 1 + max((rounds.get("|".join(self.configs[i].key()), -1)
                           for i in members), default=-1)
            while not signals["caught"]:
                todo = self.pending(members)
                if not todo:
                    break
                random.Random("%d:%d:%d" % (seed, line, rnd)).shuffle(todo)
                for i in todo:
                    if signals["caught"]:
                        break
                    self.visit(i, self.visit_size(i), rnd)
                if not signals["caught"]:
                    self.ask_todo()
                rnd += 1

    def visit_size(self, i):
        size = self.settings["visit_reps"]
        if self.rep_s.get(i):
            size = max(size, int(FILL_S / self.rep_s[i]))
        return min(self.need[i][2], size)

    def time_left(self):
        """Seconds the repetitions still asked for should take, each configuration at
        the cost per repetition of its visits so far (else of the others')."""
        if not self.cost_s:
            return None
        mean = sum(self.cost_s.values()) / len(self.cost_s)
        return sum(max(n[2] - self.since_todo.get(i, 0), 0) * self.cost_s.get(i, mean)
                   for i, n in enumerate(self.need) if i not in self.failed)

    def progress(self, c, reps, rnd):
        elapsed = time.monotonic() - self.start
        left = self.time_left()
        left = "?" if left is None else mmss(left)
        where = "" if self.settings["order"] == "suite" else ", round %d" % (rnd + 1)
        line = "[%d/%d] %s elapsed, ~%s left: %s (%s%s)" % (
            self.complete(), len(self.configs), mmss(elapsed), left, c.describe(),
            plural(reps, "rep"), where)
        if self.tty:
            cols = shutil.get_terminal_size((80, 24)).columns
            sys.stderr.write("\r\033[K" + line[:cols - 1])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def command(self, c, reps):
        cmd = [self.project.paths[c.backend], c.workload]
        if c.backend not in SEQUENTIAL:  # they run one thread; -t would draw a note
            cmd += ["-t", str(c.threads)]
        cmd += ["-n", str(c.tasks), "-r", str(reps), "-w", str(c.warmup),
                "-s", ask.schedule_arg(c.schedule), "-b", ask.bind_arg(c.bind)]
        if c.params != "-":
            for kv in c.params.split(";"):
                cmd += ["-p", kv]
        cmd += ["--format", "csv"]
        if self.settings["wait_quiet"] is not None:
            cmd += ["--wait-quiet", self.settings["wait_quiet"]]
        return cmd

    def visit(self, i, reps, rnd):
        """Runs one visit of configuration i: reps measured repetitions after its warm-up,
        in a process group of its own under timeout. Whole visits only reach results.csv."""
        c = self.configs[i]
        self.progress(c, reps, rnd)
        out_path, err_path = self.run.file(VISIT_OUT), self.run.file(VISIT_ERR)
        t0 = time.monotonic()
        with open(out_path, "w") as out, open(err_path, "w") as err:
            proc = subprocess.Popen(["timeout", "-k", "2", c.timeout, *self.command(c, reps)],
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    env=self.project.env, **ask.OWN_GROUP)
        signals["visit"] = proc.pid
        self.run.own(visit=proc.pid)
        if signals["caught"]:  # a signal between the start and the line above
            os.killpg(proc.pid, signal.SIGTERM)
        rc = proc.wait()
        signals["visit"] = None
        seconds = time.monotonic() - t0
        self.binaries_s += seconds
        self.run.own()
        with open(out_path) as f:
            out = f.read()
        with open(err_path) as f:
            errors = f.read()
        os.unlink(out_path)
        os.unlink(err_path)
        if errors:
            self.run.append("log.txt", "== %s (%s)\n%s%s" % (
                c.describe(), c.origin, errors, "" if errors.endswith("\n") else "\n"))
        why, rows = self.judge(c, reps, rc, out, errors)
        if why is not None and signals["caught"]:
            self.keep_partial(out)
            return
        self.visits_run += 1
        self.reps_run += reps
        self.since_todo[i] = self.since_todo.get(i, 0) + reps
        self.configs_run.add(i)
        self.cost_s[i] = seconds / reps
        self.visits_of[i] = self.visits_of.get(i, 0) + 1
        if why is None and self.visits_of[i] > c.reps_max + 2 * c.reps_min:
            why = "bench-summary --todo still asks for more after %s" % plural(
                self.visits_of[i], "visit")
        if why is None:
            walls = [float(r.split(",")[self.project.wall_col]) for r in rows]
            self.rep_s[i] = sum(walls) / len(walls)
            self.run.add_visit(c.key(), rows, rnd, seconds)
            return
        self.failed[i] = why
        fields = (*c.key()[:-1], c.params, str(rc), why.replace(",", ";").replace('"', ""))
        self.run.append("failed.csv", ",".join(fields) + "\n")
        self.failures.append("%s (%s): %s" % (c.describe(), c.origin, why))
        if self.tty:
            sys.stderr.write("\n")
        sys.stderr.write("%s: failed: %s: %s\n" % (PROG, c.describe(), why))

    def judge(self, c, reps, rc, out, errors):
        """(None, rows) for a whole visit, else (why it failed, None)."""
        if rc in (124, 137):
            return "timed out after %s s" % c.timeout, None
        if rc != 0:
            lines = [ln for ln in errors.splitlines() if ln.strip() and ": note: " not in ln]
            return (lines[-1].strip() if lines else "exit status %d" % rc), None
        lines = out.split("\n")
        if lines[-1] == "":
            lines.pop()
        if len(lines) != reps + 1 or lines[0] != self.project.header:
            return "expected a header and %s, got %s" % (
                plural(reps, "row"), plural(len(lines), "line")), None
        head = lines[0].split(",")
        for row in lines[1:]:
            named = dict(zip(head, row.split(",")))
            got = tuple(named.get(k, "?") for k in head[:7]) + (named.get("runtime", "?"),)
            want = c.key()
            want = (want[0], want[1], want[3], want[4], want[5], want[6], want[7], want[2])
            if got != want:
                return ("its rows name another configuration (%s) than the plan (%s)"
                        % (" ".join(got), " ".join(want))), None
        return None, lines[1:]

    def keep_partial(self, out):
        """The repetitions an interrupted visit had finished go to partial.csv; results.csv
        holds whole visits only. A row cut off mid-write (no newline) is left out."""
        lines = out.split("\n")[:-1]
        if len(lines) < 2 or lines[0] != self.project.header:
            return
        if not os.path.exists(self.run.file("partial.csv")):
            self.run.append("partial.csv", lines[0] + "\n")
        self.run.append("partial.csv", "".join(r + "\n" for r in lines[1:]))
        say("kept the %s of the interrupted visit in %s" % (
            plural(len(lines) - 1, "finished repetition"), self.run.file("partial.csv")))


# ---- the run ---------------------------------------------------------------------------
def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_meta(run, project, settings, env, finished=None, overhead_ms=None):
    """meta.json: the machine as described when the run started, and the run's keys."""
    try:
        meta = json.loads(run.read("meta.json"))
    except (OSError, ValueError):
        meta = dict(project.machine)
    meta.update({
        "run_id": os.path.basename(run.path), "suite": settings["suite"],
        "command": settings["command"], "started": settings["started"],
        "finished": finished, "git_commit": settings["commit"],
        "env": dict(knobs(env)),
        "binaries": {b: {"path": p, "runtime": project.spelling.schedule(b, "static")["runtime"]}
                     for b, p in project.paths.items() if b in project.used},
        "runner_overhead_ms_per_config": overhead_ms,
        "order": settings["order"], "seed": settings["seed"],
        "visit_reps": settings["visit_reps"], "reps": settings["reps"],
        "foreign_limit": (float(env["BENCH_FOREIGN_LIMIT"]) if "BENCH_FOREIGN_LIMIT" in env
                          else project.machine.get("foreign_limit")),
        "wait_quiet": (float(settings["wait_quiet"]) if settings["wait_quiet"] is not None
                       else None),
    })
    if project.workloads_json is not None:
        meta["workloads"] = project.workloads_json
    slurm = job_meta(meta.get("slurm"))
    if slurm is not None:
        meta["slurm"] = slurm
    if project.python_workloads_json() is not None:
        meta["workloads_python"] = project.python_workloads_json()
    run.write_json("meta.json", meta)


def sweep(run, project, configs, settings, env, resumed, t_script):
    run_id = os.path.basename(run.path)
    tty = sys.stderr.isatty()
    s = Sweep(run, project, configs, settings, tty)
    if resumed:
        s.ask_todo()
        if s.complete():
            say("%d of %s already complete in %s" % (
                s.complete(), plural(len(configs), "configuration"), run_id))
    t_start = time.monotonic()
    s.start = t_start
    s.run_all()
    t_end = time.monotonic()
    if tty:
        sys.stderr.write("\r\033[K")
    overhead_ms = None
    if s.visits_run:
        overhead_ms = round((t_end - t_start - s.binaries_s) * 1000 / len(s.configs_run), 3)
        say("ran %s (%s, %s) in %s; runner overhead %.3f ms per configuration, plus %.2f s "
            "once at the start (make, probes, hwloc, meta.json)" % (
                plural(len(s.configs_run), "configuration"), plural(s.visits_run, "visit"),
                plural(s.reps_run, "repetition"), mmss(t_end - t_start), overhead_ms,
                t_start - t_script))

    # The summary covers what is there, even after an interruption.
    problem = ask.summarise(project.summary, run.file("meta.json"), run.file("failed.csv"),
                            run.file("plan.csv"), run.file("results.csv"),
                            run.file("summary.csv.tmp"))
    if problem is None:
        os.replace(run.file("summary.csv.tmp"), run.file("summary.csv"))
        tally(run)
    else:
        os.unlink(run.file("summary.csv.tmp"))

    caught = signals["caught"]
    if caught is not None:
        run.write("state", "interrupted\n")
        write_meta(run, project, settings, env, overhead_ms=overhead_ms)
        run.release(clean=True)
        say("interrupted; %s keeps every whole visit. Resume with: %s --resume %s"
            % (run_id, PROG, run_id))
        return EXIT_BY_SIGNAL[caught]
    run.write("state", "failed\n" if s.failures else "complete\n")
    write_meta(run, project, settings, env, finished=now_iso(), overhead_ms=overhead_ms)
    run.release(clean=True)
    say("results in %s" % run.path)
    if problem is not None:
        say("bench-summary failed: %s" % problem)
        return 1
    if s.failures:
        say("%s failed (recorded in %s):" % (plural(len(s.failures), "configuration"),
                                            run.file("failed.csv")))
        for f in s.failures:
            sys.stderr.write("  %s\n" % f)
        return 1
    return 0


def tally(run):
    """One line on what summary.csv says: statuses, disturbed and noisy configurations."""
    with open(run.file("summary.csv")) as f:
        lines = f.read().splitlines()
    col = {name: i for i, name in enumerate(lines[0].split(","))}
    status, disturbed_reps, noisy = {}, 0, 0
    for line in lines[1:]:
        f = line.split(",")
        status[f[col["status"]]] = status.get(f[col["status"]], 0) + 1
        if f[col["reps_disturbed"]].isdigit():
            disturbed_reps += int(f[col["reps_disturbed"]])
        noisy += f[col["noisy"]] == "1"
    parts = ", ".join("%d %s" % (n, k) for k, n in sorted(status.items(), key=lambda x: -x[1]))
    notes = []
    if disturbed_reps:
        notes.append("%s disturbed by other work, left out" % plural(disturbed_reps,
                                                                    "repetition"))
    if noisy:
        notes.append("%d noisy (CV over 5%%)" % noisy)
    say("summary.csv: %s (%s)%s" % (plural(len(lines) - 1, "configuration"), parts,
                                    "".join("; " + n for n in notes)))
