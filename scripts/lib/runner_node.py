"""One node's share of a Slurm submission (scripts/bench --slurm, docs/cluster.md): the
job script runs `python3 runner_node.py SUBMISSION_DIR [RUNNER ARGS]`, which picks the
binaries this node can run, builds them here when the node differs from the machine
that submitted, and then becomes the suite runner. job_meta() is what the runner
writes into meta.json about the job it runs in.
"""

import fcntl
import json
import os
import subprocess
import sys

from runner_common import short_host
from runner_folder import write_atomic

# The job's facts for the runner's meta.json: a JSON file the node writes before the
# runner starts, named by this variable (not a knob: knobs start OMP_, GOMP_, BENCH_).
JOB_INFO_VAR = "SUITE_SLURM_JOB"
# Where the binaries are copied from for a node unlike the submitting machine: a folder
# of links to the sources, in which make builds build/ and bin/ of its own.
TREE = ("Makefile", "src", "scripts", "bench")


def _out(argv):
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, check=False)
    except OSError:
        return "-"
    lines = proc.stdout.strip().splitlines()
    return lines[0] if proc.returncode == 0 and lines else "-"


def _first(path, prefix):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split("=", 1)[1].strip().strip('"') if "=" in prefix \
                        else line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "-"


def build_key(env):
    """What decides whether binaries built on one machine run right on another: the
    architecture, the distribution (which fixes hwloc, libgomp and libomp), the CPU model
    (for -march flags), the compilers and the flags make reads from the environment."""
    cc = env.get("CC") or "cc"
    key = {"arch": os.uname().machine,
           "os": _first("/etc/os-release", "ID=") + " " + _first("/etc/os-release", "VERSION_ID="),
           "cpu": _first("/proc/cpuinfo", "model name"),
           "cc": "%s %s %s" % (cc, _out([cc, "-dumpfullversion"]), _out([cc, "-dumpmachine"])),
           "clang": _out([env.get("CLANG") or "clang", "-dumpversion"])}
    for var in ("CFLAGS", "CPPFLAGS", "LDFLAGS", "LDLIBS", "OPT"):
        if env.get(var):
            key[var] = env[var]
    return key


def compiler_name(env):
    cc = env.get("CC") or "cc"
    brand = "clang" if "clang" in _out([cc, "--version"]).lower() else "gcc"
    return "%s-%s" % (brand, _out([cc, "-dumpfullversion"]))


def differences(a, b):
    return ", ".join("%s %s here, %s there" % (k, a.get(k, "-"), b.get(k, "-"))
                     for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))


def build_here(root, env):
    """Builds the binaries for this host and compiler in root/build/hosts/HOST-COMPILER/
    (one make at a time per folder); returns that folder, or None when make failed."""
    tree = os.path.join(root, "build", "hosts", "%s-%s" % (short_host(), compiler_name(env)))
    os.makedirs(tree, exist_ok=True)
    for name in TREE:
        link = os.path.join(tree, name)
        if not os.path.islink(link):
            os.symlink(os.path.join(root, name), link)
    with open(os.path.join(tree, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        jobs = str(len(os.sched_getaffinity(0)))
        done = subprocess.run(["make", "-s", "--no-print-directory", "-j", jobs, "-C", tree,
                               "all"], stdin=subprocess.DEVNULL, stdout=sys.stderr, env=env)
    return tree if done.returncode == 0 else None


def node_main(argv):
    """runner_node.py SUBMISSION_DIR [RUNNER ARGS]: chooses or builds the binaries, writes
    the job's facts, then execs the suite runner with RUNNER ARGS (the submission's own
    when none are given)."""
    subdir, args = argv[0], argv[1:]
    with open(os.path.join(subdir, "submission.json")) as f:
        sub = json.load(f)
    env = dict(os.environ)
    root, host = sub["root"], short_host()
    job = env.get("SLURM_JOB_ID", "0")
    here = build_key(env)
    why = differences(here, sub["key"])
    if sub["build_on_nodes"] or why:
        reason = "--build-on-nodes" if sub["build_on_nodes"] else \
            "this node differs from %s: %s" % (sub["submit_host"], why)
        sys.stderr.write("scripts/bench: building for %s (%s)\n" % (host, reason))
        tree = build_here(root, env)
        if tree is None:
            sys.stderr.write("scripts/bench: make failed on %s; nothing ran\n" % host)
            return 1
        built_on = host
    else:
        tree, built_on = root, sub["submit_host"]
        reason = "this node is like %s, which built them" % sub["submit_host"]
    info = {"submission": sub["id"], "command": sub["command"],
            "node": env.get("SLURMD_NODENAME") or host,
            "build": {"folder": os.path.join(tree, "bin"), "built_on": built_on,
                      "compiler": compiler_name(env), "why": reason}}
    path = os.path.join(subdir, "job-%s.json" % job)
    write_atomic(path, json.dumps(info, indent=2))
    env[JOB_INFO_VAR] = path
    runner = os.path.join(tree, "scripts", "bench")
    os.execve("/bin/bash", ["bash", runner] + (args or sub["runner_args"]), env)
    return 1


def job_meta(previous):
    """meta.json's "slurm": the job the runner runs in (None outside Slurm), with every
    job that has worked on the run (a cancelled run is resumed by another job)."""
    job = os.environ.get("SLURM_JOB_ID")
    if not job:
        return previous
    info = {}
    if os.environ.get(JOB_INFO_VAR):
        try:
            with open(os.environ[JOB_INFO_VAR]) as f:
                info = json.load(f)
        except (OSError, ValueError):
            info = {}
    jobs = list((previous or {}).get("job_ids", []))
    if job not in jobs:
        jobs.append(job)
    return {"job_id": job, "job_ids": jobs,
            "node": os.environ.get("SLURMD_NODENAME") or short_host(),
            "partition": os.environ.get("SLURM_JOB_PARTITION"),
            "job_name": os.environ.get("SLURM_JOB_NAME"),
            "submission": info.get("submission"), "command": info.get("command"),
            "build": info.get("build")}


if __name__ == "__main__":
    sys.exit(node_main(sys.argv[1:]))
