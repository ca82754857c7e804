"""scripts/bench, the suite runner (docs/suite.md): expands a suite file into
configurations, visits them in shuffled rounds (or in suite order), a few repetitions per
visit, until bench-summary says each has what its rule asks, and keeps results/RUN_ID/
so that a run cut short anywhere resumes with no duplicate or partial row.
"""

import os
import signal
import sys

PROG = "scripts/bench"
EXIT_BY_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


class Interrupted(BaseException):
    """A signal arrived before the run folder was in place: nothing is kept."""


# Signals first. Until main() runs, a signal ends the runner at once (there is nothing to
# undo); until the run folder is in place it unwinds, and what was made is removed; from
# then on it stops the visit that runs and the sweep ends in order. A signal ignored on
# entry stays ignored (nohup).
_signal_state = {"caught": None, "mode": "exit", "visit": None}


def _on_signal(signum, _frame):
    _signal_state["caught"] = signum
    if _signal_state["mode"] == "exit":
        os._exit(EXIT_BY_SIGNAL[signum])
    visit = _signal_state["visit"]
    if visit is not None:
        try:
            os.killpg(visit, signal.SIGTERM)
        except ProcessLookupError:
            pass
    if _signal_state["mode"] == "unwind":
        raise Interrupted(signum)


for _sig in EXIT_BY_SIGNAL:
    if signal.getsignal(_sig) != signal.SIG_IGN:
        signal.signal(_sig, _on_signal)

# Imports after the handlers: a Ctrl-C in the first milliseconds is handled like any other.
import datetime  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import runner_ask as ask  # noqa: E402
from runner_folder import RunFolder, Busy, VISIT_OUT, VISIT_ERR, remove_abandoned  # noqa: E402
from runner_suite import Suite, SuiteError  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_VISIT = 3
# Repetitions shorter than 1/--visit of this many seconds are run more to a visit, up to
# about this long: below it, starting the process and its warm-up cost more than they.
FILL_S = 1.0
KNOB_PREFIXES = ("OMP_", "GOMP_", "BENCH_")

USAGE = """\
Usage: scripts/bench [options] [SUITE]
Runs every configuration of SUITE (quick, default, or a path; default: default) and
writes results/RUN_ID/ (results.csv, summary.csv, plan.csv, meta.json, topology.xml,
suite.txt, failed.csv); results/latest points at the newest run.

  --resume RUN_ID      finish that run: run what its configurations still need
  --new                start a new run even when an unfinished run of the same command
                       (same suite, options, environment knobs and commit) exists;
                       without it, such a run is resumed
  --results DIR        where runs go (default: results/ in the project)
  --list               print the configurations the suite expands to, run nothing
  --no-build           do not run make first
  --order ORDER        interleaved (default): each suite line's configurations are
                       visited in rounds, each round in a fresh shuffled order; suite:
                       one configuration after the other, in suite order
  --visit N            repetitions per visit when interleaved (default %d; short ones
                       fill about a second)
  --seed N             the seed of the shuffled order (default: a random one; meta.json
                       records it)
  --reps N|auto        the repetitions of every line, instead of the suite's reps=
  --wait-quiet S       each visit first waits up to S seconds for a quiet machine
  --foreign-limit F    BENCH_FOREIGN_LIMIT for the binaries: a repetition is disturbed
                       when other work used more than F of the CPUs the run left spare
  -h, --help           this text

Environment knobs, passed through to the binaries and recorded in meta.json:
OMP_NUM_THREADS, OMP_SCHEDULE and BENCH_BIND (the thread count, schedule and pinning of
suite lines that name none), OMP_PROC_BIND, OMP_PLACES, OMP_WAIT_POLICY, GOMP_SPINCOUNT,
BENCH_FOREIGN_LIMIT and any other OMP_*, GOMP_*, BENCH_* variable.
Exit status: 0 every configuration ran and verified its run, 1 some failed (listed at the
end), 2 bad usage, environment or suite file, 130/143/129 interrupted (resume it).
""" % DEFAULT_VISIT


class Usage(Exception):
    """Bad input: one line, exit 2."""


def plural(n, word, many=None):
    return "%d %s" % (n, word if n == 1 else (many or word + "s"))


def mmss(seconds):
    s = int(seconds)
    return "%d:%02d" % (s // 60, s % 60)


# ---- the command line ------------------------------------------------------------------
OPTIONS = {  # name: (takes a value, default)
    "--resume": (True, None), "--results": (True, None), "--order": (True, "interleaved"),
    "--visit": (True, None), "--seed": (True, None), "--reps": (True, None),
    "--wait-quiet": (True, None), "--foreign-limit": (True, None),
    "--new": (False, False), "--list": (False, False), "--no-build": (False, False),
}
MEASURING = ("--order", "--visit", "--seed", "--reps", "--wait-quiet", "--foreign-limit")


def parse_args(argv):
    opts = {name: default for name, (_, default) in OPTIONS.items()}
    suite, i = None, 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if name in OPTIONS and OPTIONS[name][0]:
            if not eq:
                if i + 1 >= len(argv):
                    raise Usage("%s: expected a value; see --help" % name)
                i += 1
                value = argv[i]
            opts[name] = value
        elif arg in OPTIONS:
            opts[arg] = True
        elif arg.startswith("-") and arg != "-":
            raise Usage("unknown option '%s'; see --help" % arg)
        elif suite is not None:
            raise Usage("one SUITE only, got '%s' and '%s'" % (suite, arg))
        else:
            suite = arg
        i += 1
    if opts["--resume"] is not None:
        if opts["--new"]:
            raise Usage("--resume and --new exclude each other")
        for name in MEASURING:
            if opts[name] != OPTIONS[name][1]:
                raise Usage("--resume takes the run's own settings; %s cannot be given with "
                            "it" % name)
    if opts["--order"] not in ("interleaved", "suite"):
        raise Usage("--order: expected interleaved or suite, got '%s'" % opts["--order"])
    for name, low, high in (("--visit", 1, 1000), ("--seed", 0, 2**63 - 1)):
        v = opts[name]
        if v is not None and not (v.isdigit() and low <= int(v) <= high):
            raise Usage("%s: expected a whole number from %d to %d, got '%s'"
                        % (name, low, high, v))
    r = opts["--reps"]
    if r is not None and r != "auto" and not (r.isdigit() and 1 <= int(r) <= 999999):
        raise Usage("--reps: expected a count from 1, or auto, got '%s'" % r)
    return opts, suite


# ---- what the runner knows of the project ---------------------------------------------
def binary(name):
    return os.path.join(ROOT, "bin", "bench-" + name)


def knobs(env):
    return sorted((k, v) for k, v in env.items() if k.startswith(KNOB_PREFIXES))


def git_commit():
    def git(*args):
        return subprocess.run(["git", "-C", ROOT, *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              check=False)
    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return "unknown"
    dirty = git("diff", "--quiet", "HEAD", "--").returncode != 0
    return head.stdout.strip() + ("-dirty" if dirty else "")


def suite_path(arg):
    if "/" in arg or arg.endswith(".suite"):
        return arg
    return os.path.join(ROOT, "bench", arg + ".suite")


def fingerprint(suite_file, suite_text, settings, commit, env):
    """The command that makes a run, written the same however it was typed: the suite
    file (its real path and text), the measuring options, the commit and the knobs."""
    what = {"suite": os.path.realpath(suite_file), "text": suite_text, "commit": commit,
            "knobs": knobs(env), **{k: settings[k] for k in
                                    ("order", "visit_reps", "reps", "wait_quiet")}}
    if settings["seed_given"]:
        what["seed"] = settings["seed"]
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


class Project:
    """The binaries and what they say, asked once at the start."""

    def __init__(self, env):
        self.env = env
        self.paths = {}
        for b in ("seq", "pthread", "omp", "omp-libomp"):
            if os.access(binary(b), os.X_OK):
                self.paths[b] = binary(b)
        for b in ("seq", "pthread", "omp", "summary"):
            if not os.access(binary(b), os.X_OK):
                raise ask.Broken("%s is missing; run make" % binary(b))
        self.summary = binary("summary")
        self.workloads, self.workloads_json = ask.workloads(self.paths["seq"], env)
        self.machine = ask.describe(self.paths["omp"], env)
        self.spelling = ask.Spelling(self.paths, env)
        self._defaults = None
        self.header, _ = ask.probe(self.paths["seq"], [], env)
        self.wall_col = self.header.split(",").index("wall_s")

    def defaults(self):
        """The thread count, schedule and pinning the binaries use by themselves
        (OMP_NUM_THREADS, OMP_SCHEDULE, BENCH_BIND, else their own defaults)."""
        if self._defaults is None:
            _, row = ask.probe(self.paths["pthread"], [], self.env)
            self._defaults = (int(row["threads"]), row["schedule"], row["bind"])
        return self._defaults


# ---- the sweep -----------------------------------------------------------------------
class Sweep:
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
        lines = {}
        for i, c in enumerate(self.configs):
            lines.setdefault(c.line, []).append(i)
        rounds = {}
        for key, _, rnd in self.run.visits():
            rounds[key] = max(rounds.get(key, -1), rnd)
        self.ask_todo()
        if self.settings["order"] == "suite":
            for i in range(len(self.configs)):
                while self.pending([i]) and not _signal_state["caught"]:
                    self.visit(i, self.need[i][2], 0)
                    self.ask_todo()
            return
        seed = self.settings["seed"]
        for line, members in lines.items():
            rnd = 1 + max((rounds.get("|".join(self.configs[i].key()), -1)
                           for i in members), default=-1)
            while not _signal_state["caught"]:
                todo = self.pending(members)
                if not todo:
                    break
                random.Random("%d:%d:%d" % (seed, line, rnd)).shuffle(todo)
                for i in todo:
                    if _signal_state["caught"]:
                        break
                    self.visit(i, self.visit_size(i), rnd)
                if not _signal_state["caught"]:
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
        if c.backend != "seq":  # seq runs one thread; -t would only draw a note
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
        _signal_state["visit"] = proc.pid
        self.run.own(visit=proc.pid)
        if _signal_state["caught"]:  # a signal between the start and the line above
            os.killpg(proc.pid, signal.SIGTERM)
        rc = proc.wait()
        _signal_state["visit"] = None
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
        if why is not None and _signal_state["caught"]:
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
                     for b, p in project.paths.items()},
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
    run.write_json("meta.json", meta)


def find_unfinished(results_dir, fp):
    """The newest run of the same command that is not complete, or None."""
    try:
        names = sorted(os.listdir(results_dir), reverse=True)
    except OSError:
        return None
    for name in names:
        d = os.path.join(results_dir, name)
        if name.startswith(".") or os.path.islink(d):
            continue
        try:
            with open(os.path.join(d, "fingerprint")) as f:
                if f.read().strip() != fp:
                    continue
            with open(os.path.join(d, "state")) as f:
                state = f.read().strip()
        except OSError:
            state = ""
        if state != "complete":
            return name
    return None


def new_run_id():
    host = socket.gethostname().split(".")[0] or "host"
    host = "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in host)
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + host


def point_latest(results_dir, run_id):
    tmp = os.path.join(results_dir, ".latest-%d" % os.getpid())
    os.symlink(run_id, tmp)
    os.replace(tmp, os.path.join(results_dir, "latest"))


def say(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))


def checked_env(opts):
    """The environment of the binaries, once they have accepted it and the options that
    they judge (--foreign-limit is BENCH_FOREIGN_LIMIT, --wait-quiet their own)."""
    env = dict(os.environ)
    if opts["--foreign-limit"] is not None:
        env["BENCH_FOREIGN_LIMIT"] = opts["--foreign-limit"]
    try:
        ask.check_env(binary("seq"), env)
        if opts["--wait-quiet"] is not None:
            ask.check_options(binary("seq"), ["--wait-quiet", opts["--wait-quiet"]], env)
    except ask.Refused as e:
        msg = ask.unprefixed(str(e))
        if opts["--foreign-limit"] is not None and msg.startswith("BENCH_FOREIGN_LIMIT:"):
            msg = "--foreign-limit:" + msg[len("BENCH_FOREIGN_LIMIT:"):]
        raise Usage(msg) from None
    return env


def new_settings(opts):
    seed = opts["--seed"]
    return {"order": opts["--order"], "visit_reps": int(opts["--visit"] or DEFAULT_VISIT),
            "seed": int(seed) if seed is not None else random.randrange(2**31),
            "seed_given": seed is not None, "reps": opts["--reps"],
            "wait_quiet": opts["--wait-quiet"], "foreign_limit": opts["--foreign-limit"]}


def read_suite(project, suite_file, reps):
    try:
        with open(suite_file) as f:
            text = f.read()
    except OSError:
        raise Usage("cannot read suite file '%s'" % suite_file) from None
    suite = Suite(project.workloads, project.machine, project.spelling, project.defaults, reps)
    try:
        configs = suite.read(suite_file, text)
    except ask.Refused as e:  # the binaries' own defaults refused: their line
        raise Usage(ask.unprefixed(str(e))) from None
    for note in suite.notes:
        say("note: " + note)
    return text, configs


def print_list(configs):
    lines = ["workload|backend|threads|tasks|schedule|bind|params|reps|warmup|timeout|line"]
    lines += ["|".join((c.workload, c.backend, str(c.threads), str(c.tasks), c.row_schedule,
                        c.row_bind, c.params, c.reps_text(), str(c.warmup), c.timeout,
                        c.origin)) for c in configs]
    try:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # scripts/bench --list | head
        sys.stdout = None


def plan_text(configs):
    return ("workload,backend,runtime,threads,tasks,schedule,bind,params,reps_min,reps_max,"
            "ci_target,disturbed_max\n"
            + "".join(",".join(c.plan_fields()) + "\n" for c in configs))


def make_run(results_dir, project, suite_file, plan, settings, env, fp):
    """A new run folder, whole, locked and in place; the runner then sweeps."""
    def fill(folder):
        shutil.copyfile(suite_file, folder.file("suite.txt"))
        folder.write("results.csv", project.header + "\n")
        folder.write("failed.csv", "workload,backend,runtime,threads,tasks,schedule,bind,"
                     "params,exit,error\n")
        folder.write("done.txt", "")
        folder.write("plan.csv", plan)
        with open(folder.file("topology.xml"), "w") as xml:
            if subprocess.run(["lstopo", "--of", "xml"], stdin=subprocess.DEVNULL,
                              stdout=xml).returncode != 0:
                raise ask.Broken("lstopo --of xml failed")
        folder.write_json("settings.json", settings)
        folder.write("state", "running\n")
        write_meta(folder, project, settings, env)
        folder.own()
        folder.write("fingerprint", fp + "\n")  # last: the folder is a run

    def placed():
        _signal_state["mode"] = "sweep"

    run, run_id = RunFolder.make(results_dir, new_run_id(), fill, placed)
    point_latest(results_dir, run_id)
    return run


def take_run(run, project, plan, settings, env):
    """Takes an existing run over, ready to sweep again; False when another runner has it."""
    try:
        notes = run.take()
    except Busy:
        say("%s is being run by another runner" % os.path.basename(run.path))
        return False
    _signal_state["mode"] = "sweep"
    for note in notes:
        say("note: " + note)
    if not os.path.exists(run.file("plan.csv")) or run.read("plan.csv") != plan:
        run.write("plan.csv", plan)
    run.keep_whole_visits()
    # Failed configurations are tried again; they are recorded anew if they fail.
    run.write("failed.csv", run.read("failed.csv").split("\n", 1)[0] + "\n")
    run.write("state", "running\n")
    write_meta(run, project, settings, env)
    return True


def main(argv):
    t_script = time.monotonic()
    opts, suite_arg = parse_args(argv)
    results_dir = os.path.abspath(opts["--results"] or os.path.join(ROOT, "results"))
    resume = opts["--resume"]
    if resume is not None and (not resume or "/" in resume or resume.startswith(".")):
        raise Usage("--resume: expected a RUN_ID (a folder name in %s), got '%s'"
                    % (results_dir, resume))
    if not opts["--no-build"]:
        if subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, "all"],
                          stdin=subprocess.DEVNULL, stdout=sys.stderr).returncode != 0:
            raise ask.Broken("make failed")
    env = checked_env(opts)
    project = Project(env)

    run = None
    if resume is not None:
        run = RunFolder(os.path.join(results_dir, resume))
        if not all(os.path.isfile(run.file(f)) for f in ("suite.txt", "fingerprint")):
            raise Usage("--resume: no run '%s' in %s" % (resume, results_dir))
        try:
            settings = json.loads(run.read("settings.json"))
        except (OSError, ValueError):
            raise Usage("--resume: %s was made by an older runner; start a new run"
                        % resume) from None
        if settings.get("foreign_limit") is not None:
            env["BENCH_FOREIGN_LIMIT"] = settings["foreign_limit"]
        suite_file = run.file("suite.txt")
    else:
        settings = new_settings(opts)
        suite_file = suite_path(suite_arg or "default")
    suite_text, configs = read_suite(project, suite_file, settings["reps"])
    if opts["--list"]:
        print_list(configs)
        return 0

    for b in sorted({c.backend for c in configs if not c.runnable}):
        say("note: bin/bench-%s does not exist; skipping its configurations" % b)
    configs = [c for c in configs if c.runnable]
    plan = plan_text(configs)
    remove_abandoned(results_dir)
    if run is None:
        settings["commit"] = git_commit()
        fp = fingerprint(suite_file, suite_text, settings, settings["commit"], env)
        found = None if opts["--new"] else find_unfinished(results_dir, fp)
        if found is not None:
            say("resuming %s, an unfinished run of the same command (--new starts afresh)"
                % found)
            run = RunFolder(os.path.join(results_dir, found))
            settings = json.loads(run.read("settings.json"))
    if run is None:
        settings.update({"suite": os.path.abspath(suite_file), "started": now_iso(),
                         "command": " ".join(
                             ["%s=%s" % (k, shlex.quote(v)) for k, v in knobs(os.environ)]
                             + [PROG] + [shlex.quote(a) for a in argv])})
        run = make_run(results_dir, project, suite_file, plan, settings, env, fp)
        resumed = False
    elif take_run(run, project, plan, settings, env):
        resumed = True
    else:
        return 1
    return sweep(run, project, configs, settings, env, resumed, t_script)


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

    caught = _signal_state["caught"]
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


def entry():
    code = 2
    try:
        _signal_state["mode"] = "unwind"
        code = main(sys.argv[1:])
    except Usage as e:
        say(str(e))
        code = 2
    except SuiteError as e:
        sys.stderr.write("%s\n" % e)
        code = 2
    except ask.Broken as e:
        say(str(e))
        code = 1
    except Interrupted as e:
        say("interrupted before the run started; nothing was kept")
        code = EXIT_BY_SIGNAL[e.args[0]]
    sys.exit(code)


if __name__ == "__main__":
    entry()
