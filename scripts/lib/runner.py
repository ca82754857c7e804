"""scripts/bench, the suite runner (docs/suite.md): expands a suite file into
configurations, visits them in shuffled rounds (or in suite order), a few repetitions per
visit, until bench-summary says each has what its rule asks, and keeps results/RUN_ID/
so that a run cut short anywhere resumes with no duplicate or partial row.
"""

# First: runner_common installs the signal handlers before anything else is loaded.
from runner_common import PROG, EXIT_BY_SIGNAL, Interrupted, signals, knobs, say, short_host

import hashlib
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import time

import runner_ask as ask
import runner_slurm as slurm
from runner_folder import RunFolder, Busy, remove_abandoned, run_folders
from runner_suite import Suite, SuiteError, BACKENDS
from runner_sweep import sweep, write_meta, now_iso

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_VISIT = 3

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
  --slurm              run SUITE through Slurm: build, then one exclusive job per node,
                       each writing its own run folder; waits, then prints the run
                       folders (docs/cluster.md). With it:
    --sbatch "ARGS"    more sbatch options (partition, time limit, account, ...)
    --nodes N          N nodes of the partition, idle ones first (default: one job on
                       any node)
    --nodelist LIST    one job on each of these nodes (node[01-04],big1)
    --no-wait          submit, print the job ids and return; the same command without
                       it waits for them and collects
    --build-on-nodes   build on each node even when it looks like this machine
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


# ---- the command line ------------------------------------------------------------------
OPTIONS = {  # name: (takes a value, default)
    "--resume": (True, None), "--results": (True, None), "--order": (True, "interleaved"),
    "--visit": (True, None), "--seed": (True, None), "--reps": (True, None),
    "--wait-quiet": (True, None), "--foreign-limit": (True, None),
    "--new": (False, False), "--list": (False, False), "--no-build": (False, False),
    **slurm.OPTIONS,
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
    problem = slurm.check_options(opts)
    if problem is not None:
        raise Usage(problem)
    return opts, suite


# ---- what the runner knows of the project ---------------------------------------------
def binary(name):
    return os.path.join(ROOT, "bin", "bench-" + name)


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
        for b in BACKENDS:
            if os.access(binary(b), os.X_OK):
                self.paths[b] = binary(b)
        for b in ("seq", "pthread", "omp", "summary"):
            if not os.access(binary(b), os.X_OK):
                raise ask.Broken("%s is missing; run make" % binary(b))
        self.summary = binary("summary")
        self.used = set()  # the backends of the suite's configurations that can run
        self.lists = {}  # binary -> its workloads and their JSON array (--list)
        self.workloads_json = self.listing(self.paths["seq"])[1]
        self.machine = ask.describe(self.paths["omp"], env)
        self.spelling = ask.Spelling(self.paths, env)
        self._defaults = None
        self.header, _ = ask.probe(self.paths["seq"], [], env)
        self.wall_col = self.header.split(",").index("wall_s")

    def listing(self, path):
        """A binary's --list, asked once (the bench-python-* links are one program)."""
        path = os.path.realpath(path)
        if path not in self.lists:
            self.lists[path] = ask.workloads(path, self.env)
        return self.lists[path]

    def catalog(self, backend):
        """The workloads of the binary that runs the backend (bench-seq's for a backend
        whose binary does not exist: its configurations are skipped, the line is read)."""
        return self.listing(self.paths.get(backend, self.paths["seq"]))[0]

    def python_workloads_json(self):
        """bench-python's --list, when a Python backend's binary was asked for it."""
        for b in BACKENDS:
            if b.startswith("python-") and b in self.used:
                return self.listing(self.paths[b])[1]
        return None

    def defaults(self):
        """The thread count, schedule and pinning the binaries use by themselves
        (OMP_NUM_THREADS, OMP_SCHEDULE, BENCH_BIND, else their own defaults)."""
        if self._defaults is None:
            _, row = ask.probe(self.paths["pthread"], [], self.env)
            self._defaults = (int(row["threads"]), row["schedule"], row["bind"])
        return self._defaults


def find_unfinished(results_dir, fp, host):
    """The newest run of the same command on this host that is not complete, or None (a
    results folder that several machines share holds runs of the same command from each)."""
    for name, d in run_folders(results_dir, newest_first=True):
        try:
            with open(os.path.join(d, "fingerprint")) as f:
                if f.read().strip() != fp:
                    continue
            with open(os.path.join(d, "meta.json")) as f:
                if json.load(f).get("host") != host:
                    continue
            with open(os.path.join(d, "state")) as f:
                state = f.read().strip()
        except (OSError, ValueError):
            state = ""
        if state != "complete":
            return name
    return None


def command_line(argv):
    """The command as a user would type it again: the knobs, then the runner."""
    return " ".join(["%s=%s" % (k, shlex.quote(v)) for k, v in knobs(os.environ)]
                    + [PROG] + [shlex.quote(a) for a in argv])


def new_run_id():
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + short_host()


def point_latest(results_dir, run_id):
    tmp = os.path.join(results_dir, ".latest-%d" % os.getpid())
    os.symlink(run_id, tmp)
    os.replace(tmp, os.path.join(results_dir, "latest"))


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
    suite = Suite(project.catalog, project.machine, project.spelling, project.defaults, reps)
    try:
        configs = suite.read(suite_file, text)
    except ask.Refused as e:  # the binaries' own defaults refused: their line
        raise Usage(ask.unprefixed(str(e))) from None
    for note in suite.notes:
        say("note: " + note)
    project.used = {c.backend for c in configs if c.runnable}
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
        signals["mode"] = "sweep"

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
    signals["mode"] = "sweep"
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
        if opts["--slurm"]:
            measuring = [a for n in MEASURING if opts[n] != OPTIONS[n][1] for a in (n, opts[n])]
            try:
                return slurm.submit(opts, command_line(argv), suite_arg, measuring, fp,
                                    results_dir, ROOT)
            except slurm.Refused as e:
                raise Usage(str(e)) from None
            except slurm.Failed as e:
                raise ask.Broken(str(e)) from None
        found = None if opts["--new"] else find_unfinished(results_dir, fp,
                                                           project.machine.get("host"))
        if found is not None:
            say("resuming %s, an unfinished run of the same command (--new starts afresh)"
                % found)
            run = RunFolder(os.path.join(results_dir, found))
            settings = json.loads(run.read("settings.json"))
    if run is None:
        settings.update({"suite": os.path.abspath(suite_file), "started": now_iso(),
                         "command": command_line(argv)})
        run = make_run(results_dir, project, suite_file, plan, settings, env, fp)
        resumed = False
    elif take_run(run, project, plan, settings, env):
        resumed = True
    else:
        return 1
    return sweep(run, project, configs, settings, env, resumed, t_script)


def entry():
    code = 2
    try:
        signals["mode"] = "unwind"
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
