"""Suite files (docs/suite.md): one sweep per line, a workload and key=value words whose
comma lists are crossed, expanded into configurations in suite order.

What the binaries own (workloads, parameters, which schedules and pinnings exist, how
rows spell them, the thread count they use by themselves) is asked of them through
runner_ask; the keys of the file itself (lists, counts, reps) are read here.
"""

import re

from runner_ask import Refused, unprefixed

KEYS = ("threads", "tasks", "backends", "schedules", "bind", "reps", "min_reps", "max_reps",
        "ci", "warmup", "timeout")
# Each backend runs as bin/bench-BACKEND. The sequential ones run one thread, static, no
# pinning: they are the references the speedups divide (bench-summary divides the C
# backends by seq and the Python ones by python-seq).
BACKENDS = ("seq", "pthread", "omp", "omp-libomp", "python-seq", "python-threads",
            "python-processes")
SEQUENTIAL = ("seq", "python-seq")
DEFAULT_BACKENDS = ("seq", "pthread", "omp")
FIXED_REPS, WARMUP, TIMEOUT = 5, 1, 600
# reps=auto: at least AUTO_MIN clean repetitions, then more until the 95% interval of the
# median is within +/- AUTO_CI of it, at most AUTO_MAX (bench-summary applies the rule).
AUTO_MIN, AUTO_MAX, AUTO_CI = 5, 30, 0.02
MAX_THREADS, MAX_REPS = 100000, 999999


class SuiteError(Exception):
    """A line the runner cannot use; str() is 'FILE:LINE: what'."""


class Config:
    """One configuration: what the binary is given, how its rows name it, and its rule."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def key(self):
        """How results.csv names it (the columns plan.csv and bench-summary match on)."""
        return (self.workload, self.row_backend, self.runtime, str(self.threads),
                str(self.tasks), self.row_schedule, self.row_bind, self.params)

    def describe(self):
        return "%s %s threads=%d tasks=%d %s bind=%s %s" % (
            self.workload, self.backend, self.threads, self.tasks, self.row_schedule,
            self.row_bind, self.params)

    def reps_text(self):
        return str(self.reps_min) if self.ci_target == 0 else "auto"

    def plan_fields(self):
        ci = "0" if self.ci_target == 0 else "%g" % self.ci_target
        return (*self.key(), str(self.reps_min), str(self.reps_max), ci,
                str(2 * self.reps_min))


def _count(text, low, high):
    return re.fullmatch(r"[0-9]+", text) is not None and low <= int(text) <= high


def thread_count(item, cores, pus):
    """N, cores, pus, N*cores, cores*N, cores/N (pus alike), or None."""
    m = re.fullmatch(r"(?:([0-9]+)\*)?(cores|pus)(?:([*/])([0-9]+))?", item)
    if m is None:
        n = int(item) if re.fullmatch(r"[0-9]+", item) else 0
    elif m.group(1) is not None and m.group(3) is not None:
        return None
    else:
        base = cores if m.group(2) == "cores" else pus
        if m.group(1) is not None:
            n = base * int(m.group(1))
        elif m.group(3) == "*":
            n = base * int(m.group(4))
        elif m.group(3) == "/":
            n = max(base // int(m.group(4)), 1) if int(m.group(4)) > 0 else 0
        else:
            n = base
    return n if 1 <= n <= MAX_THREADS else None


class Suite:
    """Reads a suite file into configurations.

    catalog(backend): the workloads (runner_ask.Workload list, in the binary's order) of
    the binary that runs the backend; machine: cores and pus; spelling: a
    runner_ask.Spelling for the backends whose binary exists; defaults(): the thread
    count, schedule and pinning the binaries use by themselves; reps: None, or the
    runner's --reps (a count or 'auto') for every line."""

    def __init__(self, catalog, machine, spelling, defaults, reps=None):
        self.catalog = catalog
        self.cores, self.pus = machine["cores"], machine["pus"]
        self.spelling = spelling
        self.defaults = defaults
        self.reps = reps
        self.configs, self.notes, self._seen = [], [], {}

    def read(self, path, text):
        lineno = 0
        for lineno, raw in enumerate(text.splitlines(), 1):
            words = raw.split("#", 1)[0].split()
            if words:
                self._line("%s:%d" % (path, lineno), lineno, words)
        if not self.configs:
            raise SuiteError("%s: no configurations (every line is empty or a comment)" % path)
        return self.configs

    def _workload(self, name, backends, fail):
        """{backend: Workload}: the workload as the binary of each backend lists it."""
        found, known = {}, []
        for b in backends:
            for w in self.catalog(b):
                known += [w.name] if w.name not in known else []
                if w.name == name:
                    found[b] = w
        if not found:
            fail("unknown workload '%s' (known: %s)" % (name, " ".join(known)))
        lacking = [b for b in backends if b not in found]
        if lacking:
            fail("workload '%s' is not one that %s %s (their --list); give %s a line of its "
                 "own" % (name, " ".join(lacking), "runs" if len(lacking) == 1 else "run",
                          " ".join(found)))
        return found

    def _line(self, at, lineno, words):
        def fail(msg):
            raise SuiteError("%s: %s" % (at, msg))

        given = {}
        for word in words[1:]:
            if "=" not in word:
                fail("expected KEY=VALUE, got '%s'" % word)
            k, v = word.split("=", 1)
            if not v:
                fail("%s: empty value" % k)
            if k in given:
                fail("%s given twice" % k)
            given[k] = v
        backends = given.get("backends", ",".join(DEFAULT_BACKENDS)).split(",")
        for b in backends:
            if b not in BACKENDS:
                fail("backends: unknown backend '%s' (known: %s)" % (b, " ".join(BACKENDS)))
        found = self._workload(words[0], backends, fail)
        # A parameter goes to the backends whose workload has it (kernel= to the Python
        # ones of a line that mixes them with C); a key none of them has is refused.
        params, lists = [], {}
        for b, w in found.items():
            params += [p for p, _ in w.params if p not in params]
            lists.setdefault(" ".join(p for p, _ in w.params) or "none", []).append(b)
        for k, v in given.items():
            if k not in KEYS and k not in params:
                fail("unknown key '%s' (keys: %s; parameters of %s: %s)" % (
                    k, " ".join(KEYS), words[0], next(iter(lists)) if len(lists) == 1 else
                    "; ".join("%s on %s" % (ps, " ".join(bs)) for ps, bs in lists.items())))
            if k in params and re.search(r"[;\"'\\]", v):
                fail("%s: '%s' holds a character values cannot hold (; quote backslash)"
                     % (k, v))

        threads = []
        for item in given["threads"].split(",") if "threads" in given else []:
            n = thread_count(item, self.cores, self.pus)
            if n is None:
                fail("threads: '%s' is not a count, cores, pus, N*cores, cores*N or cores/N "
                     "(pus alike), 1 to %d" % (item, MAX_THREADS))
            if n not in threads:
                threads.append(n)
        tasks = given["tasks"].split(",") if "tasks" in given else [None]
        for t in tasks:
            if t is not None and not re.fullmatch(r"[1-9][0-9]{0,11}", t):
                fail("tasks: '%s' is not a count from 1" % t)
        warmup = given.get("warmup", str(WARMUP))
        if not _count(warmup, 0, MAX_REPS):
            fail("warmup: '%s' is not a count from 0" % warmup)
        timeout = given.get("timeout", str(TIMEOUT))
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", timeout) or float(timeout) <= 0:
            fail("timeout: '%s' is not a positive number of seconds" % timeout)
        rule = self._rule(given, fail)

        if not threads or "schedules" not in given or "bind" not in given:
            d_threads, d_schedule, d_bind = self.defaults()
            threads = threads or [d_threads]
        schedules = given["schedules"].split(",") if "schedules" in given else [d_schedule]
        binds = given["bind"].split(",") if "bind" in given else [d_bind]

        # The cross product of the values given, each backend's parameters in its
        # binary's order, with its binary's defaults for the others.
        combos = [{}]
        for p in params:
            if p in given:
                combos = [dict(c, **{p: v}) for c in combos for v in given[p].split(",")]
        checks = []
        for n in tasks:
            for combo in combos:
                for b in backends:
                    w = found[b]
                    nb = int(n or w.default_tasks)
                    ps = ";".join("%s=%s" % (p, combo.get(p, d)) for p, d in w.params) or "-"
                    checks.append(self._check(b, w.name, nb, ps, threads))
                    if b in SEQUENTIAL:  # one thread, static, unpinned: the reference
                        self._add(at, lineno, w.name, b, 1, nb, "static", "none", ps, rule,
                                  int(warmup), timeout)
                        continue
                    for th in threads:
                        for s in schedules:
                            for bd in binds:
                                self._add(at, lineno, w.name, b, th, nb, s, bd, ps, rule,
                                          int(warmup), timeout)
        try:
            self.spelling.check([c for c in checks if c[0] in self.spelling.binaries])
        except Refused as e:
            fail("backend %s: %s" % (e.backend, unprefixed(str(e))))

    @staticmethod
    def _check(backend, workload, tasks, params, threads):
        """What the backend's binary is asked to judge (its --check): the task count, the
        largest thread count and the parameters."""
        options = [workload, "-n", str(tasks)]
        if backend not in SEQUENTIAL:
            options += ["-t", str(max(threads))]
        for kv in params.split(";") if params != "-" else []:
            options += ["-p", kv]
        return backend, options

    def _rule(self, given, fail):
        reps = self.reps or given.get("reps", str(FIXED_REPS))
        if reps != "auto" and not _count(reps, 1, MAX_REPS):
            fail("reps: '%s' is not a count from 1, or auto" % reps)
        if reps != "auto":
            for k in ("min_reps", "max_reps", "ci"):
                if k in given and self.reps is None:
                    fail("%s: only with reps=auto" % k)
            return int(reps), int(reps), 0.0
        low, high = given.get("min_reps", str(AUTO_MIN)), given.get("max_reps", str(AUTO_MAX))
        for k, v in (("min_reps", low), ("max_reps", high)):
            if not _count(v, 1, MAX_REPS):
                fail("%s: '%s' is not a count from 1" % (k, v))
        if int(high) < int(low):
            fail("max_reps: %s is below min_reps %s" % (high, low))
        ci = given.get("ci", "%g%%" % (100 * AUTO_CI))
        m = re.fullmatch(r"([0-9]+(\.[0-9]+)?)%", ci)
        if m is None or not 0 < float(m.group(1)) <= 50:
            fail("ci: '%s' is not a percentage above 0 and at most 50 (2%%)" % ci)
        return int(low), int(high), float(m.group(1)) / 100

    def _add(self, at, lineno, workload, backend, threads, tasks, schedule, bind, params,
             rule, warmup, timeout):
        c = Config(workload=workload, backend=backend, threads=threads, tasks=tasks,
                   schedule=schedule, bind=bind, params=params, reps_min=rule[0],
                   reps_max=rule[1], ci_target=rule[2], warmup=warmup, timeout=timeout,
                   origin=at, line=lineno, runnable=backend in self.spelling.binaries)
        c.row_backend, c.runtime, c.row_schedule, c.row_bind = backend, "-", schedule, bind
        if c.runnable:
            try:
                row = self.spelling.schedule(backend, schedule)
            except Refused as e:
                raise SuiteError("%s: schedules: '%s': %s (a suite writes the chunk after "
                                 "':', dynamic:4)" % (at, schedule, unprefixed(str(e))))
            try:
                c.row_bind = self.spelling.bind(backend, bind)["bind"]
            except Refused as e:
                raise SuiteError("%s: bind: '%s': %s (a suite writes a PU list with ';', "
                                 "0;2;4-7)" % (at, bind, unprefixed(str(e))))
            c.row_backend, c.runtime, c.row_schedule = row["backend"], row["runtime"], \
                row["schedule"]
        # A configuration named twice (by two lines, or by two spellings the binary
        # writes alike) runs once, where it first appears.
        first = self._seen.get(c.key())
        if first is None:
            self._seen[c.key()] = c
            self.configs.append(c)
        elif (first.schedule, first.bind) != (c.schedule, c.bind):
            self.notes.append("%s: %s %s bind=%s runs as %s %s bind=%s of %s: the binary "
                              "writes both as '%s' bind=%s" % (
                                  at, backend, schedule, bind, backend, first.schedule,
                                  first.bind, first.origin, c.row_schedule, c.row_bind))
