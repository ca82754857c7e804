"""bin/bench-netserver as a child process, started and stopped as the C builds do it
(src/workloads/netchild.c): two pipes join them, one on which the server writes
"port N" or "error ...", and a lifeline only this process writes, whose end of file
tells the server to stop; PR_SET_PDEATHSIG covers the parent's death a second way, and
a session of its own gives the server its own scheduler group."""

import ctypes
import os
import select
import signal
import subprocess
import time

from .clib import BenchError, ERR_RUN

START_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 2.0
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # Between fork and exec, in the child; the program is single-threaded here.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def server_path(bin_dir, project_dir):
    """bench-netserver beside bench-python, else in the project's bin/."""
    beside = os.path.join(bin_dir, "bench-netserver")
    if os.access(beside, os.X_OK):
        return beside
    other = os.path.join(project_dir, "bin", "bench-netserver")
    if os.access(other, os.X_OK):
        return other
    raise BenchError(ERR_RUN, "net: cannot run the server %s: %s (run make)"
                     % (beside, os.strerror(2)))


class NetServer:
    def __init__(self, path, host):
        self.proc = None
        self.lifeline = -1
        port_r, port_w = os.pipe2(os.O_CLOEXEC)
        stop_r, self.lifeline = os.pipe2(os.O_CLOEXEC)
        try:
            self.proc = subprocess.Popen(
                [path, "--host", host, "--port", "0", "--port-fd", str(port_w),
                 "--stop-fd", str(stop_r)],
                pass_fds=(port_w, stop_r), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent)
        except OSError as e:
            os.close(port_r)
            self.stop()
            raise BenchError(ERR_RUN, "net: cannot run the server %s: %s"
                             % (path, e.strerror)) from None
        finally:
            os.close(port_w)
            os.close(stop_r)
        try:
            line = self._start_line(port_r)
        finally:
            os.close(port_r)
        words = (line or "").split()
        if len(words) == 2 and words[0] == "port" and words[1].isdigit() and \
                0 < int(words[1]) <= 65535:
            self.port = int(words[1])
            return
        self.stop()
        if line is None:
            raise BenchError(ERR_RUN, "net: the server did not start within %d ms"
                             % (START_TIMEOUT_S * 1000))
        if line.startswith("error "):
            raise BenchError(ERR_RUN, "net: the server did not start: %s" % line[6:])
        raise BenchError(ERR_RUN, "net: the server (%s) exited before it listened" % path)

    @staticmethod
    def _start_line(fd):
        """The server's one line about its start-up ("" when it closed the pipe first),
        or None when none came within 5 s."""
        data = b""
        deadline = time.monotonic() + START_TIMEOUT_S
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 600)
            if not chunk:
                break
            data += chunk
        return data.split(b"\n")[0].decode(errors="replace")

    @property
    def pid(self):
        return self.proc.pid if self.proc is not None else 0

    def stop(self):
        """Closes the lifeline, which stops the server, and reaps it (killed after 2 s)."""
        if self.lifeline >= 0:
            os.close(self.lifeline)
            self.lifeline = -1
        if self.proc is not None:
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
