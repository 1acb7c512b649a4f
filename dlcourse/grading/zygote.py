"""A fork server for sandboxed children, so TensorFlow is imported once per grading run.

Importing TensorFlow and Keras costs about 4 s, more than most checks take. The runner starts
one zygote (`python -I -m dlcourse.grading.zygote FD`) per grading process. The zygote imports
numpy and the grading code -- and TensorFlow/Keras the first time a request asks for them -- but
never runs student code or a TensorFlow op. For every child the runner sends a small request
with the file descriptors of the child's stdin, result pipe, log and a status socket; the
zygote forks a worker (a new session; it runs `dlcourse.grading.child.run` exactly as a fresh
child does: it reads its request from stdin and isolates itself before anything else) and
reports its pid, then its exit status, on the status socket. So the runner gets what
`subprocess.Popen` would: a process group to kill and an exit status to explain. One fork per
child matters: forking a process that maps TensorFlow costs tens of milliseconds.

A forked child has a single thread, so it can still enter new user namespaces; TensorFlow starts
its thread pools in the child on first use. The worker closes every descriptor of the zygote's
but its own three, so student code can reach neither the zygote nor another child.

Nothing outlives the grading run: the zygote is killed when the runner dies (PR_SET_PDEATHSIG,
which the kernel delivers however the runner dies, SIGKILL included, even mid-way through a
TensorFlow preload), and it exits when the runner closes its socket; each worker is killed when
the zygote dies, and the sandbox ties the student's process to the worker the same way.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading

PRELOADABLE = ("tensorflow", "keras")
_USES_KERAS = re.compile(
    r"^\s*(?:import|from)\s+(?:keras|tensorflow|dlcourse\.(?:perceptron|training|sequence|cnn|detection|nlp|generative|gnn|llm))\b",
    re.MULTILINE)


def preload_for(*sources: str) -> list[str]:
    """The modules worth importing in the zygote for these sources (grader and submission)."""
    return list(PRELOADABLE) if any(_USES_KERAS.search(s or "") for s in sources) else []


# -- the zygote process ---------------------------------------------------------------------

def _serve(sock: socket.socket) -> None:
    import numpy

    # numpy loads these submodules on first use (about 16 ms for numpy.random, in every child
    # that seeds): load them here, once.
    import numpy.linalg  # noqa: F401
    import numpy.random

    numpy.random.seed(0)

    import dlcourse.grading.checks  # noqa: F401
    import dlcourse.grading.probe  # noqa: F401
    from dlcourse.grading import child

    # SIGCHLD wakes the loop through a pipe; a worker's exit status is read without reaping it
    # (WNOWAIT) and sent to the runner, and the worker is reaped only when the runner closes its
    # status socket: while it is a zombie its pid, which is also its process group, cannot be
    # reused, so the runner's killpg can never hit another process.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    workers: dict[socket.socket, list] = {}  # status socket -> [pid, exit code or None]
    zygote = os.getpid()
    while True:
        ready, _, _ = select.select([sock, wake_r, *workers], [], [])
        if wake_r in ready:
            while True:
                try:
                    if not os.read(wake_r, 4096):
                        break
                except BlockingIOError:
                    break
            for status, entry in workers.items():
                if entry[1] is None and (code := _exit_code(entry[0])) is not None:
                    entry[1] = code
                    try:
                        status.sendall(struct.pack(">i", code))
                    except OSError:
                        pass
        for status in [s for s in ready if s in workers]:
            pid, code = workers.pop(status)  # the runner is done with this worker
            status.close()
            if code is None:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
            os.waitpid(pid, 0)
        if sock not in ready:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(sock, 65536, 4)
        except OSError:
            return
        if not message:
            return  # the runner is gone
        request = json.loads(message)
        for name in request.get("preload", ()):
            if name in PRELOADABLE:
                __import__(name)
        if len(fds) != 4:  # a warm-up request (`Zygote.warm`): nothing to fork
            for fd in fds:
                os.close(fd)
            continue
        stdin_fd, result_fd, log_fd, status_fd = fds
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for fd in (wake_r, wake_w, status_fd):
                os.close(fd)
            sock.close()  # the worker must not reach the zygote or the other workers' sockets
            for status in workers:
                status.close()
            _worker(request, stdin_fd, result_fd, log_fd, child, zygote)
        for fd in (stdin_fd, result_fd, log_fd):
            os.close(fd)
        status = socket.socket(fileno=status_fd)
        try:
            status.sendall(struct.pack(">i", pid))
        except OSError:
            pass
        workers[status] = [pid, None]


def _exit_code(pid):
    """The exit status of the worker `pid` if it has ended (-N for a signal), else None; leaves
    it unreaped."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return -signal.SIGKILL
    if info is None:
        return None
    return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status


def die_with_parent(parent: int) -> None:
    """Be killed when the process `parent` (this one's parent now) dies; exit at once if it
    already has."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _worker(request, stdin_fd, result_fd, log_fd, child, zygote):
    die_with_parent(zygote)
    os.setsid()
    os.dup2(stdin_fd, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    for fd in (stdin_fd, log_fd):
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    code = 0
    try:
        child.run(result_fd)
    except BaseException:  # noqa: BLE001 -- whatever happened, the zygote reports the status
        import traceback

        traceback.print_exc()  # into the log, as a fresh child's interpreter would
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


# -- the runner's side ----------------------------------------------------------------------

class Process:
    """A worker forked by the zygote, with the part of `subprocess.Popen`'s interface we use.

    `release()` lets the waiter reap the worker; call it after the last `killpg` of its group.
    """

    def __init__(self, pid: int, status: socket.socket):
        self.pid = pid
        self._status = status
        self.returncode = None

    def poll(self):
        return self.wait(timeout=0) if self.returncode is None else self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            import select

            ready, _, _ = select.select([self._status], [], [], timeout)
            if not ready:
                if timeout == 0:
                    return None
                raise subprocess.TimeoutExpired("zygote worker", timeout)
            data = self._status.recv(4)
            self.returncode = struct.unpack(">i", data)[0] if len(data) == 4 else -signal.SIGKILL
        return self.returncode

    def release(self):
        self._status.close()


class Zygote:
    def __init__(self, env: dict, cwd: str):
        self._home = cwd
        self._lock = threading.Lock()
        self._sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        started, failure = threading.Event(), []

        def keeper():
            # A death signal follows the *thread* that forked: start the zygote from one that
            # never ends (a grading pool's threads end with each run), so it dies with the process.
            try:
                self._proc = subprocess.Popen(
                    [sys.executable, "-I", "-m", "dlcourse.grading.zygote", str(theirs.fileno()), str(os.getpid())],
                    pass_fds=(theirs.fileno(),), env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            except BaseException as err:  # noqa: BLE001 -- reported to the caller below
                failure.append(err)
                return
            finally:
                started.set()
            threading.Event().wait()

        threading.Thread(target=keeper, name="dlcourse-zygote", daemon=True).start()
        started.wait()
        theirs.close()
        if failure:
            self._sock.close()
            raise OSError(f"the zygote could not start: {failure[0]}")

    def alive(self) -> bool:
        return self._proc.poll() is None

    def warm(self, preload: list[str]) -> None:
        """Ask the zygote to import `preload` now, without waiting for it to finish."""
        try:
            with self._lock:
                socket.send_fds(self._sock, [json.dumps({"preload": preload}).encode()], [])
        except OSError:
            pass  # a zygote that is gone is replaced on the next spawn

    def spawn(self, request: dict, stdin_fd: int, result_fd: int, log_fd: int) -> Process:
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                socket.send_fds(self._sock, [json.dumps(request).encode()],
                                [stdin_fd, result_fd, log_fd, theirs.fileno()])
        finally:
            theirs.close()
        ours.settimeout(120)  # a first Keras preload takes seconds
        try:
            data = ours.recv(4)
        except OSError:
            data = b""
        ours.settimeout(None)
        if len(data) != 4:
            ours.close()
            raise OSError("the zygote did not start a child")
        return Process(struct.unpack(">i", data)[0], ours)

    def close(self):
        try:
            self._sock.close()
            self._proc.kill()
            self._proc.wait()
        except OSError:
            pass
        shutil.rmtree(self._home, ignore_errors=True)


if __name__ == "__main__":
    die_with_parent(int(sys.argv[2]))
    _serve(socket.socket(fileno=int(sys.argv[1])))
