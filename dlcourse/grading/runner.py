"""Parent side of the sandbox: start a child for one module, feed it, time it, read its frames.

`run_checks` runs the named checks of one grader against one module's source. Each check gets
its own wall-clock deadline; a check that overruns is recorded as a timeout, the child's whole
process group is killed, and a fresh child (forked from the zygote, so it costs a fraction of a
second) continues with the remaining checks. A child that dies mid-check (sys.exit, os._exit, a
crash, the CPU or memory limit) loses only that check. The parent times every check itself, from
the child's start frame to its result: that is how the reference's times are measured.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import queue
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

from dlcourse.grading.probe import load_arrays

IMPORT_TIMEOUT_S = 90.0
MAX_FRAME = 64 * 1024 * 1024
MAX_FRAMES = 10_000
ENV_PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclasses.dataclass
class Limits:
    """Resources of one child: memory (MiB of address space), CPU and wall seconds per check."""

    memory_mb: int = 4096
    cpu_seconds_per_check: float = 120.0
    timeout_cap: float | None = None  # caps every check's own timeout (e.g. `--timeout`)
    isolate: bool = True
    zygote: bool = True  # fork children from a process that imported TensorFlow once


@dataclasses.dataclass
class Outcome:
    """What came back for one check: arrays, or an error/timeout message."""

    status: str  # "ok", "error" or "timeout"
    arrays: dict | None = None
    message: str = ""
    seconds: float | None = None  # wall time from the check's start to its result, as the parent saw it


def child_env(scratch: str) -> dict:
    env = {k: os.environ[k] for k in ENV_PASSED_THROUGH if k in os.environ}
    env.update(
        HOME=scratch,
        TMPDIR=scratch,
        MPLCONFIGDIR=scratch,
        MPLBACKEND="Agg",
        KERAS_HOME=os.path.join(scratch, ".keras"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_ENABLE_ONEDNN_OPTS="0",  # identical float results in reference and student runs
        CUDA_VISIBLE_DEVICES="",
        KERAS_BACKEND="tensorflow",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        TF_NUM_INTRAOP_THREADS="1",
        TF_NUM_INTEROP_THREADS="1",
    )
    return env


class _Child:
    def __init__(self, request: dict, limits: Limits):
        self.scratch = tempfile.mkdtemp(prefix="dlcourse-child-")
        self.log = tempfile.TemporaryFile()
        read_fd, write_fd = os.pipe()
        request = dict(request, scratch=self.scratch, isolate=limits.isolate,
                       memory_mb=limits.memory_mb,
                       cpu_seconds=limits.cpu_seconds_per_check * (len(request["checks"]) + 1),
                       cpu_seconds_per_check=limits.cpu_seconds_per_check)
        data = json.dumps(request).encode()
        self.proc = None
        if limits.zygote:
            self.proc = _fork_from_zygote(request, self.scratch, write_fd, self.log.fileno(), data)
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-m", "dlcourse.grading.child", str(write_fd)],
                stdin=subprocess.PIPE, stdout=self.log, stderr=self.log, pass_fds=(write_fd,),
                env=child_env(self.scratch), cwd=self.scratch, start_new_session=True,
            )
            _write_all(self.proc.stdin, data)
        os.close(write_fd)
        self.fd = read_fd
        self.buffer = b""
        self.frames = 0

    def next_frame(self, deadline: float):
        """The next (header, payload), None at end of stream, or "timeout" at the deadline."""
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return "timeout"
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk

    def _parse(self):
        buf = self.buffer
        if len(buf) < 4:
            return None
        (hlen,) = struct.unpack(">I", buf[:4])
        if hlen > MAX_FRAME:
            raise _Garbled("a result frame is too large")
        if len(buf) < 8 + hlen:
            return None
        (plen,) = struct.unpack(">I", buf[4 + hlen : 8 + hlen])
        if plen > MAX_FRAME:
            raise _Garbled("a result payload is too large")
        if len(buf) < 8 + hlen + plen:
            return None
        try:
            header = json.loads(buf[4 : 4 + hlen])
        except ValueError as err:
            raise _Garbled("a result frame is not valid JSON") from err
        if not isinstance(header, dict):
            raise _Garbled("a result frame is not an object")
        self.frames += 1
        if self.frames > MAX_FRAMES:
            raise _Garbled("too many result frames")
        self.buffer = buf[8 + hlen + plen :]
        return header, buf[8 + hlen : 8 + hlen + plen]

    def output_tail(self, limit=800) -> str:
        self.log.seek(0, os.SEEK_END)
        size = self.log.tell()
        self.log.seek(max(0, size - limit))
        return self.log.read().decode("utf-8", "replace")

    def kill(self):
        """Kill the child's process group now; reaping it (the kernel tearing down a process that
        may map all of TensorFlow) happens on the reaper thread, so grading goes on at once."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        os.close(self.fd)
        self.log.close()
        _reap(self.proc, self.scratch)


class _Garbled(Exception):
    pass


_reaped = queue.SimpleQueue()
_reaper = None
_reaper_lock = threading.Lock()


def _reap(proc, scratch):
    """Wait for a killed child and release it on a background thread (one per process)."""
    global _reaper
    with _reaper_lock:
        if _reaper is None or not _reaper.is_alive():
            _reaper = threading.Thread(target=_reap_forever, name="dlcourse-reaper", daemon=True)
            _reaper.start()
    _reaped.put((proc, scratch))


def _reap_forever():
    while True:
        proc, scratch = _reaped.get()
        try:
            proc.wait()
            if hasattr(proc, "release"):
                proc.release()  # only now may the waiter reap it: its pid stays ours until here
        except Exception:  # noqa: BLE001 -- a reaping problem must not stop the reaper
            pass
        shutil.rmtree(scratch, ignore_errors=True)


def _write_all(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except BrokenPipeError:
        pass  # the child is gone; its frames (none) tell the story


# One zygote per preload set: numpy exercises fork from a zygote that never loads TensorFlow
# (forking it costs a few milliseconds, and they need not wait while the other imports it), Keras
# exercises from one that imported TensorFlow once.
_zygotes: dict[tuple, object] = {}
_zygote_lock = threading.Lock()


def stop_zygote() -> None:
    """Close this process's zygotes now (they also close at exit); their children die with them."""
    with _zygote_lock:
        for zygote in _zygotes.values():
            zygote.close()
        _zygotes.clear()


def _zygote_for(preload):
    """This process's zygote for `preload` (started now if there is none), or None if it cannot start."""
    from dlcourse.grading.zygote import Zygote

    with _zygote_lock:
        zygote = _zygotes.get(tuple(preload))
        if zygote is None or not zygote.alive():
            home = tempfile.mkdtemp(prefix="dlcourse-zygote-")
            try:
                zygote = _zygotes[tuple(preload)] = Zygote(child_env(home), home)
            except OSError:
                shutil.rmtree(home, ignore_errors=True)
                return None
            atexit.register(zygote.close)
        return zygote


def prewarm(sources) -> None:
    """Let the zygotes that these (grader or solution) sources will need import what they preload
    now, in the background, while the grading process reads submissions and caches."""
    from dlcourse.grading.zygote import preload_for

    for preload in {tuple(preload_for(source)) for source in sources}:
        if preload and (zygote := _zygote_for(list(preload))) is not None:
            zygote.warm(list(preload))


def _fork_from_zygote(request, scratch, result_fd, log_fd, data):
    """A child forked by this process's zygote for the request's preload set (started on first
    use), or None if that fails."""
    from dlcourse.grading.zygote import preload_for

    preload = preload_for(request["grader_source"], request["source"])
    zygote = _zygote_for(preload)
    if zygote is None:
        return None  # fresh children instead
    stdin_r, stdin_w = os.pipe()
    spawn = {"env": child_env(scratch), "cwd": scratch, "preload": preload}
    try:
        proc = zygote.spawn(spawn, stdin_r, result_fd, log_fd)
    except OSError:
        os.close(stdin_w)
        return None
    finally:
        os.close(stdin_r)
    _write_all(os.fdopen(stdin_w, "wb"), data)
    return proc


@dataclasses.dataclass
class Deadlines:
    """Wall-clock seconds for a run: the import, each check, and what the timeout feedback says
    of the reference's own time ({check: seconds}; empty where it is not known)."""

    checks: dict[str, float]
    import_s: float = IMPORT_TIMEOUT_S
    reference_s: dict[str, float] = dataclasses.field(default_factory=dict)

    def message(self, name: str, limits: Limits) -> str:
        text = f"this check did not finish within {_cap(self.checks[name], limits):.3g} s"
        if name in self.reference_s:
            text += (f"; the reference solution takes {self.reference_s[name]:.2g} s, so look for an endless "
                     "loop or far more work than the task needs")
        return text + "."


def run_checks(request: dict, deadlines: Deadlines, limits: Limits):
    """Run `request["checks"]` in sandboxed children; returns ({check: Outcome}, isolation, import seconds).

    `request` holds `module_name`, `source` (the module's text), `grader_source`, `checks`
    (names, in order) and `hide` (folders the child must not see). The import seconds are the
    first child's, from its sandbox being ready to the module having imported (None if it did not).
    """
    pending = list(request["checks"])
    outcomes: dict[str, Outcome] = {}
    isolation = None  # as the child reported it before any student code ran
    import_seconds = None
    while pending:
        child = _Child(dict(request, checks=pending), limits)
        try:
            current, isolation, took = _drive(child, pending, deadlines, limits, outcomes, isolation)
            import_seconds = took if import_seconds is None else import_seconds
        finally:
            child.kill()
        pending = [name for name in pending if name not in outcomes]
        if current is None:  # the module never became ready: nothing more can run
            break
    return outcomes, isolation, import_seconds


def _cap(timeout, limits):
    return min(timeout, limits.timeout_cap) if limits.timeout_cap else timeout


def _drive(child, pending, deadlines, limits, outcomes, isolation):
    """Read one child's frames until it ends; returns (last started check or None, isolation,
    seconds the import took or None)."""
    current = None
    started = set()
    began = time.monotonic()
    deadline = began + _cap(deadlines.import_s, limits)
    imported = None
    while True:
        try:
            frame = child.next_frame(deadline)
        except _Garbled as err:
            frame = ("garbled", str(err))
        if frame == "timeout":
            if not current:
                message = "importing your file took too long (an endless loop at module level?)"
                for name in pending:
                    outcomes.setdefault(name, Outcome("timeout", message=message))
            else:
                outcomes.setdefault(current, Outcome("timeout", message=deadlines.message(current, limits)))
            return current, isolation, imported
        if frame is None or frame[0] == "garbled":
            why = frame[1] if frame else _ended(child)
            if not current:
                for name in pending:
                    outcomes.setdefault(name, Outcome("error", message=f"your file could not be loaded: {why}"))
            elif current not in outcomes:
                outcomes[current] = Outcome("error", message=f"the process ended during this check: {why}")
            return current, isolation, imported
        header, payload = frame
        event, name = header.get("event"), header.get("check")
        if event == "import-error" and current is None:
            message = f"your file could not be imported: {header.get('message', '')}"
            for pending_name in pending:
                outcomes.setdefault(pending_name, Outcome("error", message=message))
            return None, isolation, imported
        if event == "isolated" and current is None and isolation is None:
            isolation = str(header.get("isolation"))
            began = time.monotonic()
        elif event == "ready" and current is None:
            current = ""  # imported; no check running yet
            imported = time.monotonic() - began
        elif name in pending and name not in outcomes:
            if event == "start":
                # The child runs the checks in order, each once: a start frame for any other
                # check (or a second one, forged by student code to push its deadline) is ignored.
                upcoming = next((n for n in pending if n not in outcomes and n not in started), None)
                if name == upcoming and (not current or current in outcomes):
                    started.add(name)
                    current = name
                    began = time.monotonic()
                    deadline = began + _cap(deadlines.checks[name], limits)
            elif event == "result" and name == current:
                try:
                    outcomes[name] = Outcome("ok", arrays=load_arrays(payload), seconds=time.monotonic() - began)
                except Exception:  # noqa: BLE001 -- anything malformed is the submission's
                    outcomes[name] = Outcome("error", message="the results could not be read back")
            elif event == "error" and name == current:
                outcomes[name] = Outcome("error", message=str(header.get("message", ""))[:800],
                                         seconds=time.monotonic() - began)
            if all(n in outcomes for n in pending):
                return current, isolation, imported  # nothing left to wait for: no need to see it exit


def _ended(child) -> str:
    code = child.proc.poll()
    if code is None:
        try:
            code = child.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it stopped sending results"
    tail = child.output_tail().strip().splitlines()
    hint = f" (last output: {tail[-1][:200]})" if tail else ""
    # Without namespaces a signal shows as -N; through the namespace's waiting parent as 256-N.
    signum = -code if code < 0 else 256 - code if code > 128 else None
    if signum == signal.SIGXCPU or code == signal.SIGXCPU:  # the sandbox's PID 1 exits with 24 on SIGXCPU
        return "it used up its CPU time" + hint
    if signum == signal.SIGKILL:
        return "it was killed (out of memory?)" + hint
    if signum:
        return f"it was stopped by signal {signal.Signals(signum).name}" + hint
    return f"the process exited (status {code}; sys.exit/os._exit are not allowed){hint}"
