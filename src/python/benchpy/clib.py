"""bin/libbench.so through ctypes: the bench binaries' own parser, parameter tables,
pinning, placement, interference rule and C tasks (src/python/pylib.h says what each
function does). Every signature is declared here and nowhere else."""

import ctypes
import os
from ctypes import (POINTER, c_char_p, c_double, c_int, c_long, c_size_t, c_uint,
                    c_ulonglong, c_uint64, c_void_p)

ERR_OK, ERR_RUN, ERR_USAGE = 0, 1, 2
ERR_LEN = 512  # struct error's message


class BenchError(Exception):
    """A failure with its exit status (ERR_RUN or ERR_USAGE) and its one-line message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Options(ctypes.Structure):
    """struct pylib_options."""

    _fields_ = [
        ("action", c_int),
        ("workload", ctypes.c_char * 32),
        ("threads", c_long),
        ("threads_from", ctypes.c_char * 32),
        ("tasks", c_long),
        ("reps", c_long),
        ("warmup", c_long),
        ("schedule_kind", c_int),
        ("schedule_chunk", c_long),
        ("schedule", ctypes.c_char * 48),
        ("bind", ctypes.c_char * 320),
        ("format", c_int),
        ("wait_quiet_s", c_double),
        ("foreign_limit", c_double),
        ("params", ctypes.c_char * 512),
    ]


class WorkloadFacts(ctypes.Structure):
    """struct pylib_workload."""

    _fields_ = [("name", c_char_p), ("bound", c_char_p), ("summary", c_char_p),
                ("waits", c_int), ("default_tasks", c_long), ("nparams", c_size_t)]


class ParamFacts(ctypes.Structure):
    """struct pylib_param."""

    _fields_ = [("name", c_char_p), ("default", c_char_p), ("help", c_char_p),
                ("type", c_int), ("min", c_long), ("max", c_long),
                ("choices", c_char_p * 16), ("accepts", ctypes.c_char * 256)]


def workload_facts():
    """Every workload as this backend has it, in --list order: (facts, [param facts])."""
    out, k = [], 0
    w = WorkloadFacts()
    while lib().pylib_workload_facts(k, ctypes.byref(w)):
        params = []
        for j in range(w.nparams):
            p = ParamFacts()
            lib().pylib_param_facts(k, j, ctypes.byref(p))
            params.append(p)
        out.append((w, params))
        w = WorkloadFacts()
        k += 1
    return out


_SIGNATURES = {
    "pylib_options_size": (c_size_t, []),
    "pylib_parse": (c_int, [c_int, POINTER(c_char_p), POINTER(c_char_p), c_size_t,
                            c_void_p, c_char_p, c_size_t]),
    "pylib_param_int": (c_long, [c_char_p]),
    "pylib_param_text": (c_char_p, [c_char_p]),
    "pylib_print_help": (None, [c_char_p]),
    "pylib_workload_facts": (c_int, [c_size_t, c_void_p]),
    "pylib_param_facts": (None, [c_size_t, c_size_t, c_void_p]),
    "pylib_c_choice": (c_long, [c_char_p, c_char_p, c_char_p]),
    "pylib_count_pus": (c_int, [POINTER(c_uint), c_char_p, c_size_t]),
    "pylib_plan": (c_int, [c_uint, c_char_p, c_size_t]),
    "pylib_plan_binds": (c_int, []),
    "pylib_plan_pus": (c_int, [c_uint, POINTER(c_uint), c_int]),
    "pylib_placement_reset": (None, []),
    "pylib_placement_note": (None, [c_uint]),
    "pylib_placement_mark": (None, [c_uint, c_uint]),
    "pylib_placement_text": (c_int, [c_char_p, c_size_t, POINTER(c_uint), c_char_p,
                                     c_size_t]),
    "pylib_current_pu": (c_int, []),
    "pylib_measure": (None, [c_int, POINTER(c_int), c_size_t, c_int]),
    "pylib_measured_cpu_s": (c_double, []),
    "pylib_measured_disturbed": (c_int, [c_double, c_double]),
    "pylib_measured_format": (None, [c_char_p, c_size_t]),
    "pylib_counters_open": (c_int, [c_char_p, c_size_t]),
    "pylib_counters_close": (None, []),
    "pylib_wait_quiet": (c_int, [c_double, c_double]),
    "pylib_kernel_open": (c_void_p, [c_char_p, c_char_p, c_size_t, c_uint, POINTER(c_int),
                                     c_char_p, c_size_t]),
    "pylib_kernel_rep_begin": (c_int, [c_void_p, c_char_p, c_size_t]),
    "pylib_kernel_task": (c_uint64, [c_void_p, c_size_t, c_uint]),
    "pylib_kernel_timed": (None, [c_void_p, POINTER(c_double), c_uint]),
    "pylib_kernel_check": (c_int, [c_void_p, POINTER(c_uint64), c_size_t, POINTER(c_uint64),
                                   POINTER(c_int), POINTER(c_int), c_char_p, c_size_t,
                                   c_char_p, c_size_t]),
    "pylib_kernel_close": (None, [c_void_p]),
    "pylib_llc_bytes": (c_int, [POINTER(c_ulonglong), c_char_p, c_size_t]),
    "pylib_fdlimit_raise": (c_int, [c_long, c_char_p, c_size_t]),
    "pylib_stats": (None, [POINTER(c_double), c_size_t, POINTER(c_double), POINTER(c_double),
                           POINTER(c_double)]),
    "pylib_median_interval": (c_double, [POINTER(c_double), c_size_t, c_double,
                                         POINTER(c_double), POINTER(c_double)]),
    "pylib_describe": (c_int, [c_char_p, c_char_p, c_char_p, c_size_t]),
    "fstype_of": (None, [c_char_p, c_char_p, c_size_t]),
}


def bin_dir():
    """The folder holding bin/bench-python, whose archive holds this file: the library
    and bench-netserver sit beside it."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def project_dir():
    """The nearest folder above bin/ that holds a Makefile (as src/core/selfpath.c
    finds it), else bin/'s parent."""
    here = bin_dir()
    d = here
    for _ in range(3):
        d = os.path.dirname(d)
        if os.path.exists(os.path.join(d, "Makefile")):
            return d
    return os.path.dirname(here)


def _load():
    path = os.path.join(bin_dir(), "libbench.so")
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise BenchError(ERR_RUN, "cannot load %s: %s (run make)" % (path, e)) from None
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    if lib.pylib_options_size() != ctypes.sizeof(Options):
        raise BenchError(ERR_RUN, "%s does not match this program (struct pylib_options "
                         "is %d bytes, not %d): run make" % (
                             path, lib.pylib_options_size(), ctypes.sizeof(Options)))
    return lib


_lib = None


def lib():
    """The library, loaded on first use."""
    global _lib
    if _lib is None:
        _lib = _load()
    return _lib


def text(value):
    """A C string from a Python one (paths and arguments as the OS gave them)."""
    return os.fsencode(value)


def string(raw):
    """A Python string from a C one; None stays None."""
    return None if raw is None else os.fsdecode(raw)


def call(name, *args):
    """Calls a function whose last two arguments are the error buffer and its size;
    raises BenchError with the message when it returns an error code."""
    err = ctypes.create_string_buffer(ERR_LEN)
    rc = getattr(lib(), name)(*args, err, ERR_LEN)
    if rc != ERR_OK:
        raise BenchError(rc, string(err.value))
    return rc


def filled(name, *args, size=4096):
    """Calls a function that writes a string into a buffer (buf, len come last)."""
    buf = ctypes.create_string_buffer(size)
    getattr(lib(), name)(*args, buf, size)
    return string(buf.value)


def placement():
    """The placement column's text for the repetition just run, and how many threads
    ran outside their cpusets."""
    buf = ctypes.create_string_buffer(8192)
    misplaced = c_uint()
    call("pylib_placement_text", buf, len(buf), ctypes.byref(misplaced))
    return string(buf.value), misplaced.value


def stats(values):
    """The median, minimum and maximum of values, computed by the binaries' code."""
    v = (c_double * len(values))(*values)
    med, lo, hi = c_double(), c_double(), c_double()
    lib().pylib_stats(v, len(values), ctypes.byref(med), ctypes.byref(lo), ctypes.byref(hi))
    return med.value, lo.value, hi.value


def median_interval(values, level):
    """The median of values and the order statistics (lo, hi) around it that cover it
    with at least level, computed by the binaries' code."""
    v = (c_double * len(values))(*values)
    lo, hi = c_double(), c_double()
    med = lib().pylib_median_interval(v, len(values), level, ctypes.byref(lo),
                                      ctypes.byref(hi))
    return med, lo.value, hi.value


class Kernel:
    """One C workload set up in this process: its tasks are the kernel=c work."""

    def __init__(self, workload, params, tasks, threads):
        rc = c_int(0)
        err = ctypes.create_string_buffer(ERR_LEN)
        self.handle = lib().pylib_kernel_open(text(workload), text(params), tasks, threads,
                                              ctypes.byref(rc), err, ERR_LEN)
        if not self.handle:
            raise BenchError(rc.value, string(err.value))
        self.task_fn = lib().pylib_kernel_task

    def rep_begin(self):
        call("pylib_kernel_rep_begin", self.handle)

    def task(self, i, tid):
        # ctypes lets go of the GIL for the length of the call.
        return self.task_fn(self.handle, i, tid)

    def timed(self, part_s):
        arr = (c_double * max(len(part_s), 1))(*part_s)
        lib().pylib_kernel_timed(self.handle, arr, len(part_s))

    def check(self, results):
        """(checksum, verified, expected_loss, metrics) from the C workload's check."""
        arr = (c_uint64 * max(len(results), 1))(*results)
        checksum, verified, loss = c_uint64(), c_int(), c_int()
        metrics = ctypes.create_string_buffer(256)
        call("pylib_kernel_check", self.handle, arr, len(results), ctypes.byref(checksum),
             ctypes.byref(verified), ctypes.byref(loss), metrics, 256)
        return checksum.value, bool(verified.value), bool(loss.value), string(metrics.value)

    def close(self):
        if self.handle:
            lib().pylib_kernel_close(self.handle)
            self.handle = None
