"""What every part of the suite runner shares: its name in messages, and what a signal
does at each stage of a run. Imported first, so that the handlers are in place before
anything else is loaded: a Ctrl-C in the first milliseconds is handled like any other.
"""

import os
import signal
import socket
import sys

PROG = "scripts/bench"
EXIT_BY_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


class Interrupted(BaseException):
    """A signal arrived before the run folder was in place: nothing is kept."""


# Signals first. Until main() runs, a signal ends the runner at once (there is nothing to
# undo); until the run folder is in place it unwinds, and what was made is removed; from
# then on it stops the visit that runs and the sweep ends in order. A signal ignored on
# entry stays ignored (nohup).
signals = {"caught": None, "mode": "exit", "visit": None}


def _on_signal(signum, _frame):
    signals["caught"] = signum
    if signals["mode"] == "exit":
        os._exit(EXIT_BY_SIGNAL[signum])
    visit = signals["visit"]
    if visit is not None:
        try:
            os.killpg(visit, signal.SIGTERM)
        except ProcessLookupError:
            pass
    if signals["mode"] == "unwind":
        raise Interrupted(signum)


for _sig in EXIT_BY_SIGNAL:
    if signal.getsignal(_sig) != signal.SIG_IGN:
        signal.signal(_sig, _on_signal)


def plural(n, word, many=None):
    return "%d %s" % (n, word if n == 1 else (many or word + "s"))


def mmss(seconds):
    s = int(seconds)
    return "%d:%02d" % (s // 60, s % 60)


def short_host():
    """This machine's name as run folders carry it (RUN_ID ends with it)."""
    host = socket.gethostname().split(".")[0] or "host"
    return "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in host)


def say(msg):
    sys.stderr.write("%s: %s\n" % (PROG, msg))


KNOB_PREFIXES = ("OMP_", "GOMP_", "BENCH_")


def knobs(env):
    return sorted((k, v) for k, v in env.items() if k.startswith(KNOB_PREFIXES))
