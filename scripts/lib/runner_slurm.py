"""scripts/bench --slurm (docs/cluster.md): the suite through Slurm, one exclusive job per
node, each an ordinary run into results/RUN_ID-HOST/ on the shared results folder.

A submission is kept in RESULTS/.slurm/ID/ (submission.json, job.sh, each job's output
and facts), so that the same command again finds it: it waits for jobs still queued or
running, reports those that ended, and submits again, for the node whose run it was,
a job that ended before its run was complete and has been reported (the node's runner
then resumes that run). Slurm is asked with squeue, which knows ended jobs for MinJobAge
seconds, then sacct where the cluster keeps accounting; a job neither knows any more is
judged by its run folder alone.
"""

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

from runner_common import PROG, EXIT_BY_SIGNAL, Interrupted, plural, mmss, say, short_host
from runner_folder import run_folders, try_lock, write_atomic
from runner_node import build_key

# name: (takes a value, default), merged into the runner's options.
OPTIONS = {"--slurm": (False, False), "--sbatch": (True, None), "--nodes": (True, None),
           "--nodelist": (True, None), "--no-wait": (False, False),
           "--build-on-nodes": (False, False)}
ACTIVE = ("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED",
          "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
          "RESV_DEL_HOLD")
HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Refused(Exception):
    """The user's input or the cluster refused (exit 2, nothing submitted)."""


class Failed(Exception):
    """Slurm failed in a way that is not the user's input (exit 1)."""


def check_options(opts):
    """The Slurm options' own rules; a message for the one line of exit 2, or None."""
    if not opts["--slurm"]:
        for name in OPTIONS:
            if opts[name] != OPTIONS[name][1]:
                return "%s: only with --slurm" % name
        return None
    if opts["--resume"] is not None:
        return "--resume and --slurm exclude each other (the same --slurm command resumes)"
    if opts["--nodes"] is not None and opts["--nodelist"] is not None:
        return "--nodes and --nodelist exclude each other"
    n = opts["--nodes"]
    if n is not None and not (n.isdigit() and 1 <= int(n) <= 100000):
        return "--nodes: expected a count from 1 to 100000, got '%s'" % n
    if opts["--nodelist"] is not None and not opts["--nodelist"].strip():
        return "--nodelist: expected node names (node1,node[02-04]), got ''"
    try:
        shlex.split(opts["--sbatch"] or "")
    except ValueError as e:
        return "--sbatch: cannot split '%s' into words (%s)" % (opts["--sbatch"], e)
    return None


# ---- asking Slurm --------------------------------------------------------------------
def _slurm(argv):
    try:
        return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, check=False)
    except OSError as e:
        raise Failed("%s: %s" % (argv[0], e.strerror)) from None


def _complaint(proc):
    lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    return lines[-1] if lines else "exit status %d" % proc.returncode


def partition_of(sbatch_args):
    """The partition sbatch will use: -p/--partition in ARGS, else SBATCH_PARTITION, else
    None (the cluster's default)."""
    part = os.environ.get("SBATCH_PARTITION") or None
    for i, a in enumerate(sbatch_args):
        if a in ("-p", "--partition") and i + 1 < len(sbatch_args):
            part = sbatch_args[i + 1]
        elif a.startswith("--partition="):
            part = a.split("=", 1)[1]
        elif a.startswith("-p") and len(a) > 2 and not a.startswith("--"):
            part = a[2:]
    return part


def pick_nodes(count, partition):
    """count nodes of the partition in service, idle ones first, by name."""
    proc = _slurm(["sinfo", "-h", "-N", "-o", "%N|%t|%P"]
                  + (["-p", partition] if partition else []))
    if proc.returncode != 0:
        raise Refused("--nodes: sinfo failed: %s" % _complaint(proc))
    idle, busy, where = [], [], partition
    for line in proc.stdout.splitlines():
        name, state, part = (line.split("|") + ["", ""])[:3]
        if partition is None:
            if not part.endswith("*"):
                continue
            where = part[:-1]
        state = state.rstrip("*~#!%$@^-")
        if state == "idle" and name not in idle:
            idle.append(name)
        elif state in ("mix", "mixed", "alloc", "allocated", "comp", "completing") \
                and name not in busy:
            busy.append(name)
    nodes = sorted(idle) + sorted(n for n in busy if n not in idle)
    if len(nodes) < count:
        raise Refused("--nodes: %s partition %s has %s in service (%s)" % (
            "the default" if partition is None else "the", where or "?",
            plural(len(nodes), "node"), ", ".join(nodes) or "none"))
    return nodes[:count]


def expand_nodelist(text):
    proc = _slurm(["scontrol", "show", "hostnames", text])
    if proc.returncode != 0 or not proc.stdout.split():
        raise Refused("--nodelist: scontrol cannot read '%s': %s" % (text, _complaint(proc)))
    return proc.stdout.split()


def job_states(name, ids, sacct=True):
    """{job id: (state, node, reason)} of the jobs Slurm still knows: squeue (every state,
    for MinJobAge after the end), then, when sacct is true, sacct for the rest where the
    cluster keeps accounting (the key "sacct" says whether it answered). None when squeue
    cannot be asked."""
    proc = _slurm(["squeue", "-h", "-t", "all", "--name=" + name, "-o", "%i|%T|%N|%r"])
    if proc.returncode != 0:
        return None
    known = {}
    for line in proc.stdout.splitlines():
        f = line.split("|")
        if len(f) == 4 and f[0] in ids:
            known[f[0]] = (f[1], f[2], f[3])
    rest = [i for i in ids if i not in known]
    if rest and sacct and shutil.which("sacct"):
        proc = _slurm(["sacct", "-n", "-P", "-X", "-j", ",".join(rest), "-o",
                       "JobID,State,NodeList"])
        known["sacct"] = proc.returncode == 0
        if proc.returncode == 0:
            for line in proc.stdout.splitlines():
                f = line.split("|")
                if len(f) == 3 and f[0] in rest:
                    known[f[0]] = (f[1].split()[0], f[2], "")
    return known


# ---- the submission ------------------------------------------------------------------
class Submission:
    """RESULTS/.slurm/ID/: submission.json, job.sh, job-JOBID.out and job-JOBID.json.
    nodes: [{"node": name or None (any), "jobs": [{"id", "reported"}]}]."""

    def __init__(self, path, data):
        self.path, self.data, self.lock_fd = path, data, None

    @classmethod
    def load(cls, path):
        with open(os.path.join(path, "submission.json")) as f:
            return cls(path, json.load(f))

    def file(self, name):
        return os.path.join(self.path, name)

    def save(self):
        write_atomic(self.file("submission.json"), json.dumps(self.data, indent=2))

    def lock(self):
        """One command at a time follows a submission; False when another does."""
        self.lock_fd = try_lock(self.file(".lock"))
        return self.lock_fd is not None

    def jobs(self):
        return [j["id"] for n in self.data["nodes"] for j in n["jobs"]]

    def runs(self):
        """{node name: run folder} of this submission's runs, newest per node, from their
        meta.json (a resumed run carries the submission of the job that resumed it)."""
        found = {}
        for _, d in run_folders(self.data["results"]):
            try:
                with open(os.path.join(d, "meta.json")) as f:
                    slurm = json.load(f).get("slurm") or {}
            except (OSError, ValueError):
                continue
            if slurm.get("submission") == self.data["id"]:
                found[slurm.get("node")] = d
        return found


def find_open(slurm_dir, fp):
    """The newest submission of the same command that is not done, or None."""
    for _, path in run_folders(slurm_dir, newest_first=True):
        try:
            sub = Submission.load(path)
        except (OSError, ValueError):
            continue
        if sub.data.get("fingerprint") == fp and not sub.data.get("done"):
            return sub
    return None


JOB_SCRIPT = """#!/bin/sh
# One node's run of: %(command)s
# Builds for the node when it differs from %(host)s, then runs the suite into
# %(results)s.
exec python3 -E -S -B %(node)s %(subdir)s "$@"
"""


def new_submission(slurm_dir, fp, spec):
    os.makedirs(slurm_dir, exist_ok=True)
    base = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    n = 1
    while True:
        sid = base if n == 1 else "%s-%d" % (base, n)
        path = os.path.join(slurm_dir, sid)
        try:
            os.mkdir(path)
            break
        except FileExistsError:
            n += 1
    sub = Submission(path, dict(spec, id=sid, fingerprint=fp, job_name="bench-" + sid,
                                created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
    with open(sub.file("job.sh"), "w") as f:
        f.write(JOB_SCRIPT % {
            "command": spec["command"], "host": spec["submit_host"],
            "results": spec["results"],
            "node": shlex.quote(os.path.join(spec["root"], "scripts", "lib", "runner_node.py")),
            "subdir": shlex.quote(path)})
    sub.lock()
    sub.save()
    return sub


def submit_job(sub, entry, runner_args):
    """sbatch for one node of the submission (entry["node"]; None: any node); returns
    the job id, recorded before anything else can happen."""
    d, node = sub.data, entry["node"]
    argv = ["sbatch", "--parsable", "--exclusive", "--nodes=1", "--ntasks=1", "--mem=0",
            "--job-name=" + d["job_name"], "--chdir=" + d["root"],
            "--output=" + sub.file("job-%j.out")]
    if node is not None:
        argv.append("--nodelist=" + node)
    argv += d["sbatch"] + [sub.file("job.sh")] + runner_args
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        proc = _slurm(argv)
        if proc.returncode != 0:
            raise Refused("sbatch refused the job%s: %s" % (
                " for " + node if node else "", _complaint(proc)))
        job = proc.stdout.strip().split(";")[0]
        entry["jobs"].append({"id": job, "reported": False})
        sub.save()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return job


# ---- following the jobs --------------------------------------------------------------
def run_state(run):
    try:
        with open(os.path.join(run, "state")) as f:
            return f.read().strip()
    except OSError:
        return "starting"


def progress_of(sub, job):
    """The last "[k/n]" progress of the job's runner, from its output, or ''."""
    try:
        with open(sub.file("job-%s.out" % job), "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            tail = f.read().decode(errors="replace")
    except OSError:
        return ""
    for line in reversed(tail.splitlines()):
        if line.startswith("[") and "/" in line.split("]")[0]:
            return line[1:].split("]")[0]
    return ""


def last_words(sub, job):
    """The job's own last message: its output's last line from scripts/bench or a
    program, progress lines left out."""
    try:
        with open(sub.file("job-%s.out" % job), errors="replace") as f:
            lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("[")]
    except OSError:
        return ""
    return lines[-1] if lines else ""


class Follower:
    """Follows the last job of every node of a submission."""

    def __init__(self, sub):
        self.sub = sub
        self.tty = sys.stderr.isatty()
        self.shown = None
        self.states = {}
        self.sacct = True  # until it fails: a cluster without accounting is not asked again

    def last_jobs(self):
        return [(n, n["jobs"][-1]) for n in self.sub.data["nodes"] if n["jobs"]]

    def ask(self):
        """Job states as Slurm has them (a job it no longer knows is GONE, and judged by
        its run). A node asked as "any node" becomes the node its job ran on, where its
        run now lives."""
        got = job_states(self.sub.data["job_name"], [j["id"] for _, j in self.last_jobs()],
                         self.sacct)
        if got is None:
            return False
        self.sacct = got.pop("sacct", self.sacct)
        self.states = got
        for n, job in self.last_jobs():
            if n["node"] is None:
                n["node"] = got.get(job["id"], ("", "", ""))[1] or job_info(self.sub, job).get(
                    "node") or None
        return True

    def state(self, job):
        return self.states.get(job["id"], ("GONE", "", ""))[0]

    def active(self):
        return [j for _, j in self.last_jobs() if self.state(j) in ACTIVE]

    def wait(self, interval):
        start = time.monotonic()
        failures = 0
        while True:
            if self.ask():
                failures = 0
            else:
                failures += 1
                if failures * interval > 120:
                    raise Failed("squeue has not answered for 2 minutes; the jobs go on: "
                                 "the same command collects them")
            if not self.active():
                break
            self.show(time.monotonic() - start)
            time.sleep(interval)
        if self.tty and self.shown is not None:
            sys.stderr.write("\r\033[K")

    def show(self, elapsed):
        """One line: each job's state and its runner's progress (counts beyond 4 jobs);
        updated in place on a terminal, else written when it changes."""
        last = self.last_jobs()
        if len(last) <= 4:
            parts = []
            for n, j in last:
                state, _, reason = self.states.get(j["id"], ("GONE", "", ""))
                what = state.lower()
                if state == "PENDING" and reason and reason != "None":
                    what += " (%s)" % reason
                done = progress_of(self.sub, j["id"]) if state == "RUNNING" else ""
                if done:
                    what += ", %s configurations" % done
                parts.append("job %s on %s %s" % (j["id"], n["node"] or "any node", what))
            what = "; ".join(parts)
        else:
            count = {}
            for _, j in last:
                s = self.state(j)
                s = s.lower() if s in ("PENDING", "RUNNING") else "ended"
                count[s] = count.get(s, 0) + 1
            what = ", ".join("%d %s" % (v, k) for k, v in sorted(count.items()))
        if self.tty:
            cols = shutil.get_terminal_size((80, 24)).columns
            line = "%s: slurm %s: %s" % (PROG, mmss(elapsed), what)
            sys.stderr.write("\r\033[K" + line[:cols - 1])
            sys.stderr.flush()
            self.shown = what
        elif what != self.shown:
            say("slurm %s: %s" % (mmss(elapsed), what))
            self.shown = what


def job_info(sub, job):
    """The facts the job wrote on its node (runner_node.py), or {}."""
    try:
        with open(sub.file("job-%s.json" % job["id"])) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def summary_counts(run):
    """(configurations done, configurations) of a run from its summary.csv, or None."""
    try:
        with open(os.path.join(run, "summary.csv")) as f:
            lines = f.read().splitlines()
        col = lines[0].split(",").index("status")
    except (OSError, IndexError, ValueError):
        return None
    rows = [ln.split(",") for ln in lines[1:]]
    return sum(1 for r in rows if r[col] in ("ok", "disturbed")), len(rows)


def why_not_complete(sub, job, state, node, run):
    """A sentence on a job that ended without a complete run."""
    head = "job %s on %s ended %s" % (job["id"], node or "a node", state)
    if run is None:
        words = last_words(sub, job["id"])
        if state == "COMPLETED":
            return "%s but wrote no run folder into %s (is it on a filesystem the nodes " \
                   "share?)" % (head, sub.data["results"])
        return "%s before its run started%s" % (head, ": " + words if words else "")
    rs = run_state(run)
    if rs == "failed":
        with open(os.path.join(run, "failed.csv")) as f:
            failed = [ln.split(",") for ln in f.read().splitlines()[1:]]
        shown = "; ".join("%s %s %s threads: %s" % (r[0], r[1], r[3], r[-1]) for r in failed[:3])
        return "%s: %s failed (%s): %s%s" % (
            head, plural(len(failed), "configuration"), os.path.join(run, "failed.csv"),
            shown, "; ..." if len(failed) > 3 else "")
    counts = summary_counts(run)
    have = " with %d of %d configurations" % counts if counts else ""
    return "%s: %s is %s%s; the same command again resumes it" % (
        head, os.path.basename(run), rs, have)


def complete(runs, n):
    run = runs.get(n["node"])
    return run is not None and run_state(run) == "complete"


def collect(sub, follower, runs):
    """Reports every ended job not reported yet; returns the failures."""
    failures = []
    for n, job in follower.last_jobs():
        state = follower.state(job)
        if state in ACTIVE or job["reported"]:
            continue
        job["reported"] = True
        if complete(runs, n):
            say("job %s on %s: %s complete" % (job["id"], n["node"], runs[n["node"]]))
            continue
        if state == "GONE":
            state = "(Slurm no longer knows how)"
        failures.append("%s; its output: %s" % (
            why_not_complete(sub, job, state, n["node"], runs.get(n["node"])),
            sub.file("job-%s.out" % job["id"])))
    sub.save()
    return failures


# ---- the command ---------------------------------------------------------------------
def submit(opts, command, suite_arg, measuring, fp, results_dir, root):
    """scripts/bench --slurm: submits (or follows) the submission of this command."""
    for tool in ("sbatch", "squeue", "sinfo", "scontrol"):
        if shutil.which(tool) is None:
            raise Refused("--slurm: %s not found (Slurm's client commands; make deps installs "
                          "slurm-wlm)" % tool)
    sbatch = shlex.split(opts["--sbatch"] or "")
    suite = suite_arg or "default"
    if "/" in suite or suite.endswith(".suite"):
        suite = os.path.abspath(suite)
    runner_args = ["--no-build", "--results", results_dir] + measuring + [suite]
    spec = {"command": command, "root": root, "results": results_dir,
            "submit_host": short_host(), "key": build_key(dict(os.environ)),
            "build_on_nodes": opts["--build-on-nodes"], "sbatch": sbatch,
            "runner_args": runner_args + (["--new"] if opts["--new"] else [])}
    sub_fp = hashlib.sha256(json.dumps(
        {"run": fp, "sbatch": sbatch, "nodes": opts["--nodes"], "nodelist": opts["--nodelist"],
         "build_on_nodes": opts["--build-on-nodes"], "results": results_dir},
        sort_keys=True).encode()).hexdigest()
    slurm_dir = os.path.join(results_dir, ".slurm")
    made = [d for d in (results_dir, slurm_dir) if not os.path.isdir(d)]
    sub = None if opts["--new"] else find_open(slurm_dir, sub_fp)
    fresh = sub is None
    if not fresh:
        if not sub.lock():
            say("submission %s is being followed by another %s" % (sub.data["id"], PROG))
            return 1
        say("following submission %s of the same command (%s; --new submits afresh)"
            % (sub.data["id"], plural(len(sub.jobs()), "job")))
    try:
        if fresh:
            if opts["--nodelist"] is not None:
                nodes = expand_nodelist(opts["--nodelist"])
            elif opts["--nodes"] is not None and int(opts["--nodes"]) > 1:
                nodes = pick_nodes(int(opts["--nodes"]), partition_of(sbatch))
            else:
                nodes = [None]
            spec["nodes"] = [{"node": n, "jobs": []} for n in nodes]
            sub = new_submission(slurm_dir, sub_fp, spec)
        return follow(sub, opts, fresh)
    except (Refused, Interrupted) as e:
        if sub is None or not sub.jobs():  # nothing was submitted: nothing is kept
            if fresh and sub is not None:
                shutil.rmtree(sub.path, ignore_errors=True)
            for d in reversed(made):
                try:
                    os.rmdir(d)
                except OSError:
                    pass
            raise
        if isinstance(e, Refused):
            say(str(e))
            say("the jobs submitted go on; the same command submits the rest")
            return 1
        say("stopped following; the jobs go on: the same command collects them")
        return EXIT_BY_SIGNAL[e.args[0]]


def resubmit(sub, follower):
    """A node whose last job ended, was reported, and left its run incomplete (or made
    none) gets a job again on the same node; its runner resumes the run."""
    if not follower.ask():
        raise Failed("squeue failed; nothing was submitted")
    runs = sub.runs()
    submitted = []
    for n, job in follower.last_jobs():
        if follower.state(job) in ACTIVE or not job["reported"] or complete(runs, n):
            continue
        run = runs.get(n["node"])
        args = ["--no-build", "--results", sub.data["results"], "--resume",
                os.path.basename(run)] if run is not None else []
        new = submit_job(sub, n, args)
        submitted.append(new)
        say("job %s ended unfinished; job %s on %s %s" % (
            job["id"], new, n["node"] or "any node",
            "resumes " + os.path.basename(run) if run else "starts its run"))
    return submitted


def follow(sub, opts, fresh):
    follower = Follower(sub)
    # First the nodes with no job yet (all of a new submission; those an sbatch refused)
    submitted = [submit_job(sub, n, []) for n in sub.data["nodes"] if not n["jobs"]]
    if not fresh:
        submitted += resubmit(sub, follower)
    if submitted:
        say("submitted %s to Slurm: %s (output in %s)" % (
            plural(len(submitted), "job"), ", ".join(submitted), sub.path))
    if opts["--no-wait"]:
        follower.ask()
        waiting = sorted(set(submitted) | {j["id"] for j in follower.active()}, key=int)
        if waiting:
            print("\n".join(waiting))
            say("not waiting; the same command without --no-wait collects them")
            return 0
    interval = 1.0 if len(sub.data["nodes"]) <= 10 else min(30.0, len(sub.data["nodes"]) / 10)
    follower.wait(interval)
    runs = sub.runs()
    failures = collect(sub, follower, runs)
    for node in sorted(runs):
        print(runs[node])
    sys.stdout.flush()
    done = sum(1 for n in sub.data["nodes"] if complete(runs, n))
    if failures:
        say("%s of %s did not complete:" % (plural(len(failures), "job"),
                                            plural(len(sub.data["nodes"]), "node")))
        for f in failures:
            sys.stderr.write("  %s\n" % f)
        return 1
    if done == len(sub.data["nodes"]):
        sub.data["done"] = True
        sub.save()
        say("%s complete; the run folders are listed above" % plural(done, "node"))
        return 0
    say("%d of %s complete; the same command again resumes the others"
        % (done, plural(len(sub.data["nodes"]), "node")))
    return 1
