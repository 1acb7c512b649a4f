"""Grading on a Dask cluster: the same sandboxed runner, on other machines.

`dlcourse grade --cluster ADDRESS` (or `local:N`) grades exactly as without it, through the same
`grade()`, except that each (submission, exercise)'s `runner.run_checks` runs on a Dask worker
instead of here: `DaskRunner` is the `run` function `grade.grade` and `grade.grade_source` take.

What crosses the wire is what a local child receives and returns. A task carries the request
(the student's source, the grader's source, the check names, the paths to hide), the deadlines
and the limits, all as plain data; on the worker, `run_on_worker` hands them to `run_checks`,
which forks sandboxed children from the worker's own zygote, and sends back the outcomes: status,
message, seconds and the arrays as the same numpy archive (`probe.dump_arrays`, read with
`allow_pickle=False` here) a child writes. References, comparison (`compare_results`, `judge`),
the cache and the reports never leave this process, and solutions never leave this machine.

Trusting the worker process is the same trust as trusting this one: a Dask worker is dlcourse
code an instructor installed and started (Dask's own protocol pickles, so a worker must be
trusted in any case), and student code never runs in it, only in its sandboxed children, whose
output it reads as plain arrays exactly as `runner` does here -- never unpickled. A worker whose
dlcourse version differs from this one's is refused (retired from the cluster, once, with one
sentence) before or when it takes a task, so every result comes from the same grading code.

Faults: a worker that dies mid-task loses nothing, since Dask gives the task to another worker;
a task that kills `distributed.scheduler.allowed-failures` workers ends as that exercise's
error (`grade.NotGraded`, never cached, so a rerun tries it again) while the class goes on. Each
result lands in the cache on this side as it arrives, so an interrupted run resumes.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import logging
import pathlib
import signal
import sys
import threading
import uuid

from dlcourse import __version__
from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.grade import NotGraded
from dlcourse.grading.probe import dump_arrays, load_arrays
from dlcourse.grading.runner import Deadlines, Limits, Outcome, prewarm, run_checks

INSTALL = 'pip install "dlcourse[cluster]"'
_ATTEMPTS = 8  # submissions of one task, each after refusing a worker of another version


class ClusterError(CourseError):
    """The cluster cannot grade (not installed, not reachable, no usable worker): one sentence."""


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--cluster needs Dask's `distributed` package, which is not installed; "
                           f"run {INSTALL}.") from None
    return distributed


@contextlib.contextmanager
def connect(address: str, say=None):
    """A `DaskRunner` on the Dask scheduler at `address` (`tcp://host:8786`), or on a
    `LocalCluster` of N worker processes on this machine (`local:N`), closed afterwards."""
    distributed = _distributed()
    cluster = None
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {address} needs a positive number of local workers, e.g. local:4.")
        # One thread per worker process: each thread drives one exercise's sandboxed children.
        # The workers ignore Ctrl-C (they inherit that): they end with this process, and would
        # otherwise each print a traceback.
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            cluster = distributed.LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                                               dashboard_address=None, silence_logs=logging.CRITICAL)
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)
        client = distributed.Client(cluster)
    else:
        try:
            client = distributed.Client(address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as err:
            raise ClusterError(f"no Dask scheduler answered at {address} ({err}); start one with "
                               "`dask scheduler` there, or pass its tcp://host:port.") from None
    interrupted = False
    try:
        runner = DaskRunner(client, say)
        runner.check_workers()
        yield runner
    except KeyboardInterrupt:
        interrupted = True  # the caller exits at once: local workers watch this process and go with it
        raise
    finally:
        if not interrupted:
            client.close()
            if cluster is not None:
                cluster.close()


_shared: dict[str, DaskRunner] = {}
_shared_lock = threading.Lock()


def runner_for(address: str, say=None) -> DaskRunner:
    """One `DaskRunner` per address for this process (nbgrader grades notebook by notebook),
    closed when the process exits."""
    with _shared_lock:
        if address not in _shared:
            manager = connect(address, say)
            _shared[address] = manager.__enter__()
            atexit.register(manager.__exit__, None, None, None)
        return _shared[address]


class DaskRunner:
    """`run_checks` on a Dask cluster: call it as `run_checks(request, deadlines, limits)`."""

    def __init__(self, client, say=None):
        self.client = client
        self.say = say or (lambda message: print(message, file=sys.stderr))
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    @property
    def slots(self) -> int:
        """Exercises to keep in flight: twice the workers' threads, so that no worker waits for a
        round trip to this process between two tasks (the scheduler queues the rest)."""
        return max(8, 2 * sum(self.client.nthreads().values()))

    def check_workers(self) -> None:
        """Refuse every worker whose dlcourse version is not this one's; fail if none is left."""
        found = self.client.run(_worker_version, on_error="return")
        for address, version in found.items():
            if version != __version__:
                self._refuse(address, version)
        if found and len(self._refused) == len(found):
            raise ClusterError(f"no worker of the Dask cluster has dlcourse {__version__}, the version grading "
                               f"here; install dlcourse=={__version__} on the workers (and {INSTALL}).")

    def prewarm(self, sources) -> None:
        """Let the workers' zygotes import what these sources need (TensorFlow) now."""
        with contextlib.suppress(Exception):  # a worker that cannot warm up still grades
            self.client.run(prewarm, list(sources), on_error="ignore")

    def __call__(self, request: dict, deadlines: Deadlines, limits: Limits):
        """({check: Outcome}, isolation, import seconds), as `run_checks` returns them."""
        distributed = _distributed()
        plain = (request, dataclasses.asdict(deadlines), dataclasses.asdict(limits))
        for _ in range(_ATTEMPTS):
            key = f"grade-{request['module_name']}-{uuid.uuid4().hex}"
            future = self.client.submit(run_on_worker, __version__, *plain, key=key, pure=False)
            try:
                result = future.result()
            except distributed.KilledWorker:
                raise NotGraded(
                    "the Dask workers grading this exercise kept dying while it ran (a machine fault, or code "
                    "that brought a worker down); it was not graded, and grading again retries it.") from None
            finally:
                future.release()
            if result["version"] == __version__:
                return _outcomes(result)
            self._refuse(result["worker"], result["version"])
        raise NotGraded(f"no Dask worker with dlcourse {__version__} took this exercise; install that version on "
                        "the workers and grade again.")

    def _refuse(self, address, version) -> None:
        with self._lock:
            if address in self._refused:
                return
            self._refused.add(address)
        if isinstance(version, BaseException):
            why = f"it cannot run dlcourse ({type(version).__name__}: {version})"
        else:
            why = f"it has dlcourse {version}, this machine {__version__}"
        self.say(f"refused Dask worker {address}: {why}; install dlcourse=={__version__} there.")
        with contextlib.suppress(Exception):
            self.client.retire_workers([address])


def _outcomes(result: dict):
    outcomes = {
        name: Outcome(o["status"], None if o["arrays"] is None else load_arrays(o["arrays"]), o["message"],
                      o["seconds"])
        for name, o in result["outcomes"].items()
    }
    return outcomes, result["isolation"], result["import_seconds"]


# -- on the worker -------------------------------------------------------------------------

def _worker_version() -> str:
    return __version__


def run_on_worker(version: str, request: dict, deadlines: dict, limits: dict) -> dict:
    """On a Dask worker: the request's checks in sandboxed children forked from this worker's
    zygote, as `run_checks` runs them on the instructor's machine; only plain data comes back."""
    from distributed import get_worker

    worker = get_worker().address
    if version != __version__:
        return {"version": __version__, "worker": worker}
    request = dict(request, hide=[*request["hide"], *_private_here()])
    outcomes, isolation, import_seconds = run_checks(request, Deadlines(**deadlines), Limits(**limits))
    return {
        "version": __version__,
        "worker": worker,
        "isolation": isolation,
        "import_seconds": import_seconds,
        "outcomes": {name: {"status": o.status, "message": o.message, "seconds": o.seconds,
                            "arrays": None if o.arrays is None else dump_arrays(o.arrays)}
                     for name, o in outcomes.items()},
    }


def _private_here() -> list[str]:
    """What student code on this worker must not see beyond the paths the instructor named
    (which are the instructor's, and mean nothing here unless the file system is shared): the
    worker's Dask folder, which may hold other students' tasks, and, where this worker runs
    dlcourse from a course checkout, that checkout's solutions/, graders/, cache and history."""
    from distributed import get_worker

    paths = [get_worker().local_directory]
    root = pathlib.Path(__file__).resolve().parent.parent.parent
    if (root / "solutions").is_dir() and (root / "graders").is_dir():
        paths += [str(p) for p in Course(root).hidden_paths]
    return paths
