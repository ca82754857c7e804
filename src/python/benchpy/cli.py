"""The command line: the C binaries' parser (through the library) reads every flag and
variable, so that bench-python accepts, refuses and words its errors exactly as they do.
bench-python only takes out of argv what is its own before that: --backend, and the -p
assignments, which the library checks against the Python backend's parameter table."""

import ctypes
import json
import sys

from . import clib
from .clib import BenchError, ERR_USAGE

BACKENDS = ("python-threads", "python-processes", "python-seq")
BACKENDS_ACCEPTS = "python-threads, python-processes or python-seq"
FORMATS = ("csv", "json", "human")
# options.h's enum action, and params.h's enum param_type.
ACTION_RUN, ACTION_HELP, ACTION_LIST, ACTION_DESCRIBE, ACTION_CHECK, ACTION_CHECK_ENV = range(6)
PARAM_INT, PARAM_CHOICE, PARAM_TEXT = range(3)

# The C parser's options that take a value (short and long; -h and the long ones below
# are flags). Only used to find where each value is, so that -p and --backend can be
# taken out; the C parser judges everything.
_SHORT_VALUE = "tnrwsbp"
_LONG_VALUE = ("threads", "tasks", "reps", "warmup", "schedule", "bind", "param", "format",
               "wait-quiet", "counters", "backend")
_LONG_FLAG = ("check", "check-env", "list", "describe", "help")


def _long_name(given):
    """The long option a GNU-style (possibly abbreviated) name stands for, or None."""
    names = _LONG_VALUE + _LONG_FLAG
    if given in names:
        return given
    found = [n for n in names if n.startswith(given)]
    return found[0] if len(found) == 1 else None


class Scan:
    """argv with bench-python's own parts taken out: what the C parser reads (c_argv),
    the -p assignments in order, and the --backend value last given."""

    def __init__(self, argv):
        self.c_argv = [argv[0]]
        self.assign = []
        self.backend = None
        rest = argv[1:]
        k = 0
        while k < len(rest):
            tok = rest[k]
            k += 1
            if tok == "--":
                self.c_argv.extend(rest[k - 1:])
                return
            if tok.startswith("--"):
                name, eq, value = tok[2:].partition("=")
                long = _long_name(name)
                if long in _LONG_VALUE and not eq:
                    if k >= len(rest):
                        if long == "backend":
                            raise BenchError(ERR_USAGE, "--backend needs a value: %s"
                                             % BACKENDS_ACCEPTS)
                        self.c_argv.append(tok)
                        continue
                    value = rest[k]
                    k += 1
                if long == "param":
                    self.assign.append(value)
                elif long == "backend":
                    self.backend = value
                else:
                    self.c_argv.append(tok)
                    if long in _LONG_VALUE and not eq:
                        self.c_argv.append(value)
                continue
            if tok.startswith("-") and len(tok) > 1:
                k = self._short(tok, rest, k)
                continue
            self.c_argv.append(tok)

    def _short(self, tok, rest, k):
        """A cluster of short options (-h, -t4, -p ms=5); returns the next index."""
        kept = "-"
        for pos in range(1, len(tok)):
            ch = tok[pos]
            if ch not in _SHORT_VALUE:
                kept += ch  # a flag, or an option the C parser will refuse
                continue
            value = tok[pos + 1:]
            if not value:
                if k >= len(rest):
                    kept += ch  # the C parser says it needs a value
                    break
                value = rest[k]
                k += 1
            if ch == "p":
                self.assign.append(value)
            else:
                if kept != "-":
                    self.c_argv.append(kept)
                    kept = "-"
                self.c_argv.extend(["-" + ch, value])
            break
        if kept != "-":
            self.c_argv.append(kept)
        return k


class Options:
    """Everything the command line and the environment decided."""

    def __init__(self, argv, prog):
        scan = Scan(argv)
        self.prog = prog
        self.backend = _backend_of(prog)
        if scan.backend is not None:
            if scan.backend not in BACKENDS:
                raise BenchError(ERR_USAGE, "--backend: expected %s, got '%s'"
                                 % (BACKENDS_ACCEPTS, scan.backend))
            self.backend = scan.backend
        argc = len(scan.c_argv)
        c_argv = (ctypes.c_char_p * (argc + 1))(*[clib.text(a) for a in scan.c_argv], None)
        c_assign = (ctypes.c_char_p * max(len(scan.assign), 1))(
            *[clib.text(a) for a in scan.assign])
        o = clib.Options()
        clib.call("pylib_parse", argc, c_argv, c_assign, len(scan.assign), ctypes.byref(o))
        self.action = o.action
        self.format = FORMATS[o.format]
        # None for --check without a workload, and for the actions that take none
        self.workload = (clib.string(o.workload) or None) if o.action in (
            ACTION_RUN, ACTION_CHECK) else None
        if self.action != ACTION_RUN:
            return
        self.threads = o.threads
        self.threads_from = clib.string(o.threads_from)
        self.tasks = o.tasks
        self.reps = o.reps
        self.warmup = o.warmup
        self.schedule = (("static", "dynamic", "guided")[o.schedule_kind], o.schedule_chunk)
        self.schedule_text = clib.string(o.schedule)
        self.bind_text = clib.string(o.bind)
        self.wait_quiet_s = o.wait_quiet_s
        self.foreign_limit = o.foreign_limit
        self.params_text = clib.string(o.params)

    def param_int(self, name):
        return clib.lib().pylib_param_int(clib.text(name))

    def param_text(self, name):
        return clib.string(clib.lib().pylib_param_text(clib.text(name)))


def _backend_of(prog):
    """bench-python-threads runs python-threads, and so on; bench-python, threads."""
    for b in BACKENDS:
        if prog == "bench-" + b:
            return b
    return "python-threads"


def _param_json(p):
    """A parameter in the shape of src/core/listing.c's JSON."""
    out = {"name": clib.string(p.name), "default": clib.string(p.default)}
    if p.type == PARAM_INT:
        out.update(type="integer", min=p.min, max=p.max)
    elif p.type == PARAM_CHOICE:
        out.update(type="choice", choices=[clib.string(c) for c in p.choices if c])
    else:
        out.update(type="text")
    out.update(accepts=clib.string(p.accepts), meaning=clib.string(p.help))
    return out


def print_list(fmt):
    """--list as the C binaries print theirs, with this backend's workloads."""
    facts = clib.workload_facts()
    if fmt == "json":
        sys.stdout.write("[\n")
        for k, (w, params) in enumerate(facts):
            obj = {"name": clib.string(w.name), "bound": clib.string(w.bound),
                   "waits": bool(w.waits), "summary": clib.string(w.summary),
                   "default_tasks": w.default_tasks,
                   "params": [_param_json(p) for p in params]}
            sys.stdout.write(json.dumps(obj, separators=(",", ":")))
            sys.stdout.write(",\n" if k + 1 < len(facts) else "\n")
        sys.stdout.write("]\n")
        return
    for w, params in facts:
        print("%s (bound by %s, %d task%s by default): %s" % (
            clib.string(w.name), clib.string(w.bound), w.default_tasks,
            "" if w.default_tasks == 1 else "s", clib.string(w.summary)))
        for p in params:
            print("    -p %s=%s  %s; %s" % (clib.string(p.name), clib.string(p.default),
                                          clib.string(p.help), clib.string(p.accepts)))


HELP_PYTHON = """
bench-python runs the same workloads in Python, as one more backend:
      --backend B     python-threads (concurrent.futures.ThreadPoolExecutor with
                      max_workers = THREADS), python-processes (ProcessPoolExecutor)
                      or python-seq (a plain loop); bench-python-threads,
                      bench-python-processes and bench-python-seq choose by name
                      (default: python-threads)
  -p kernel=python|c  cpu and memory: each task's work in Python (holding the GIL)
                      or the C build's task through ctypes (which releases it)
  -p window_ms=N      contention: a sleep between reading and writing the counter
-t is the number of workers; the main thread submits and waits, and runs no task.
-s applies to how tasks are handed to the executor: static gives each worker one
block (static,C: chunks of C in turn), dynamic,C submits chunks of C tasks,
guided submits shrinking chunks. -b and BENCH_BIND pin each worker with
os.sched_setaffinity. See docs/python.md.
"""


def print_help(prog):
    sys.stdout.flush()
    clib.lib().pylib_print_help(clib.text(prog))
    sys.stdout.write(HELP_PYTHON)
