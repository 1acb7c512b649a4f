"""Grading on a Dask cluster (`--cluster`) gives the report local grading gives, through faults.

One `LocalCluster` of 2 worker processes serves the module. The class: four submissions of
three numpy exercises of chapter 1, with an `os._exit`, a hang, a numpy monkeypatch, a wrong
answer and a missing file among them. Each cluster run starts from a cache holding only the
references the local run computed, so every submitted file is graded on the workers.
"""

import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid

import pytest

distributed = pytest.importorskip("distributed")

from conftest import ROOT, by_id, run_cli  # noqa: E402
from dlcourse import __version__  # noqa: E402
from dlcourse.grading import grade as grading  # noqa: E402
from dlcourse.grading.cluster import ClusterError, DaskRunner  # noqa: E402
from dlcourse.grading.course import Course  # noqa: E402
from dlcourse.grading.grade import Cache, grade  # noqa: E402
from dlcourse.grading.runner import Limits  # noqa: E402
from dlcourse.grading.submissions import discover  # noqa: E402

CHAPTER = "ch01_perceptron"
EXERCISES = ["dense_forward", "losses", "hidden_layer_network"]
LIMITS = Limits(timeout_cap=6.0)  # the hang costs 6 s; a right answer on a loaded machine has room
HANG = "import numpy as np\nwhile True:\n    pass\n"  # at import: one deadline for all checks
EXIT = "import os\nimport numpy as np\ndef dense_forward(*a, **k):\n    os._exit(0)\n"
PATCH = """import numpy as np
import numpy.testing
np.testing.assert_allclose = lambda *a, **k: None
np.allclose = lambda *a, **k: True
def dense_forward(x, w, b, activation='sigmoid'):
    return np.zeros((len(x), np.shape(w)[1]))
"""
CLASS = {  # {submission: {exercise: source, or None for the solution; missing: no file}}
    "alice": {name: None for name in EXERCISES},
    "bob": {"dense_forward": EXIT, "losses": None, "hidden_layer_network": None},
    "carol": {"dense_forward": HANG, "losses": "wrong", "hidden_layer_network": None},
    "dave": {"dense_forward": PATCH, "losses": None},
}


FEW = ("alice", "carol")  # the fault tests grade these two: a hang keeps a worker busy for seconds


def few(klass):
    """(submissions, their local reports, files graded) of FEW."""
    _, submissions, local, _, _ = klass
    return ([s for s in submissions if s.name in FEW], [s for s in local["submissions"] if s["submission"] in FEW],
            sum(len(CLASS[name]) for name in FEW))


class Counting:
    """A runner that counts the exercises it was asked to run."""

    def __init__(self, runner):
        self.runner, self.calls, self._lock = runner, 0, threading.Lock()

    @property
    def slots(self):
        return self.runner.slots

    def __call__(self, *args):
        with self._lock:
            self.calls += 1
        return self.runner(*args)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """(course, submissions, the local report, its cache folder, files graded)."""
    base = tmp_path_factory.mktemp("class")
    for student, files in CLASS.items():
        for name, source in files.items():
            solution = (ROOT / "solutions" / CHAPTER / f"{name}.py").read_text()
            if source == "wrong":
                source = solution.replace("np.mean((y_pred - y_true) ** 2)", "np.mean(np.abs(y_pred - y_true))")
                assert source != solution
            target = base / "class" / student / CHAPTER / f"{name}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(solution if source is None else source)
    course = Course(ROOT)
    course.__dict__["exercises"] = [course.exercise(f"{CHAPTER}/{name}") for name in EXERCISES]
    submissions = discover([str(base / "class")], base / "work")
    local = grade(course, submissions, LIMITS, Cache(base / "local"), jobs=2)
    files = sum(len(files) for files in CLASS.values())
    return course, submissions, local, base / "local", files


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as local, distributed.Client(local) as client:
        yield local, client


@pytest.fixture
def fresh_cache(klass, tmp_path):
    """A cache with only the local run's references: the instructor's, and timed once."""
    shutil.copytree(klass[3] / "reference", tmp_path / "cache" / "reference")
    return Cache(tmp_path / "cache")


def test_the_local_report_is_what_the_attacks_deserve(klass):
    _, _, local, _, _ = klass
    subs = {s["submission"]: by_id(s) for s in local["submissions"]}
    assert sorted(subs) == sorted(CLASS)
    for exercise in subs["alice"].values():
        assert exercise["score"] == exercise["max_score"]
    target = f"{CHAPTER}/dense_forward"
    for student in ("bob", "carol", "dave"):
        assert subs[student][target]["score"] == 0
    assert {t["status"] for t in subs["carol"][target]["tests"]} == {"timeout"}
    assert 0 < subs["carol"][f"{CHAPTER}/losses"]["score"] < subs["carol"][f"{CHAPTER}/losses"]["max_score"]
    assert subs["bob"][f"{CHAPTER}/losses"]["score"] == subs["bob"][f"{CHAPTER}/losses"]["max_score"]
    assert subs["dave"][f"{CHAPTER}/hidden_layer_network"]["file"] is None


def test_cluster_report_equals_local(klass, cluster, fresh_cache, monkeypatch):
    course, submissions, local, _, files = klass
    _, client = cluster
    runner = Counting(DaskRunner(client))

    def not_here(*args, **kwargs):
        raise AssertionError("with a cluster, no check runs in the grading process")

    monkeypatch.setattr(grading, "run_checks", not_here)
    report = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=runner)
    assert runner.calls == files  # every submitted file went to a worker
    assert report["submissions"] == local["submissions"]  # score for score, feedback for feedback
    assert report["isolation"] == local["isolation"]


def test_a_worker_killed_mid_run_loses_nothing(klass, cluster, fresh_cache):
    course = klass[0]
    submissions, expected, _ = few(klass)
    _, client = cluster
    pids = client.run(os.getpid)
    killed, done = [], threading.Event()

    def kill_a_busy_worker():
        while not done.is_set():
            busy = [address for address, keys in client.processing().items() if keys and address in pids]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)  # its zygote and sandboxes die with it
                killed.append(busy[0])
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        report = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=DaskRunner(client))
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was busy to be killed"
    assert report["submissions"] == expected
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it


def test_a_task_that_keeps_killing_workers_is_that_exercises_error(klass, cluster, fresh_cache):
    course = klass[0]
    submissions, expected, _ = few(klass)
    local_cluster, client = cluster
    pids = client.run(os.getpid)
    killed, done = [], threading.Event()

    def kill_once():
        while not done.is_set():
            busy = [address for address, keys in client.processing().items() if keys and address in pids]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.01)

    before = local_cluster.scheduler.allowed_failures
    local_cluster.scheduler.allowed_failures = 0  # the first death is one too many
    killer = threading.Thread(target=kill_once)
    killer.start()
    try:
        report = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=DaskRunner(client))
    finally:
        done.set()
        killer.join()
        local_cluster.scheduler.allowed_failures = before
    assert killed
    lost, same = 0, 0
    for ours, theirs in zip(report["submissions"], expected):
        for exercise, local_exercise in zip(ours["exercises"], theirs["exercises"]):
            if exercise == local_exercise:
                same += 1
                continue
            lost += 1
            assert exercise["score"] == 0
            assert all(t["status"] == "error" and "kept dying" in t["feedback"] for t in exercise["tests"])
    assert lost >= 1 and same >= 1  # the tasks on the killed worker, nothing else
    client.wait_for_workers(2, timeout=60)
    # Not cached: grading again grades it.
    again = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=DaskRunner(client))
    assert again["submissions"] == expected


def test_an_interrupted_cluster_run_resumes_from_the_cache(klass, cluster, fresh_cache):
    course = klass[0]
    submissions, expected, files = few(klass)
    _, client = cluster

    class Interrupted(KeyboardInterrupt):
        pass

    def ctrl_c(name):
        raise Interrupted  # as the first submission is done

    with pytest.raises(Interrupted):
        grade(course, submissions, LIMITS, fresh_cache, jobs=2, progress=ctrl_c, run=DaskRunner(client))
    resumed = Counting(DaskRunner(client))
    report = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=resumed)
    assert resumed.calls < files  # what the first run graded came from the cache
    assert report["submissions"] == expected


def test_cli_grades_on_a_local_cluster(tmp_path):
    target = tmp_path / "sub" / CHAPTER / "dense_forward.py"
    target.parent.mkdir(parents=True)
    # A text no cache holds, so that it is graded on the cluster (the references may be cached).
    target.write_text((ROOT / "solutions" / CHAPTER / "dense_forward.py").read_text() + f"# {uuid.uuid4()}\n")
    out = tmp_path / "report.json"
    proc = run_cli("grade", tmp_path / "sub", "--cluster", "local:2", "-c", CHAPTER, "--json", out)
    assert proc.returncode == 0, proc.stderr
    (sub,) = json.loads(out.read_text())["submissions"]
    exercise = by_id(sub)[f"{CHAPTER}/dense_forward"]
    assert exercise["score"] == exercise["max_score"] > 0
    assert "Traceback" not in proc.stderr


def test_a_bad_cluster_is_one_sentence():
    proc = run_cli("grade", ROOT / "solutions", "-c", CHAPTER, "--cluster", "local:none", check=False)
    assert proc.returncode == 2 and "needs a positive number of local workers" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_without_distributed_the_error_says_what_to_install(tmp_path):
    # As a user without the extra: `distributed` cannot be imported.
    import subprocess

    code = ("import sys; sys.modules['distributed'] = None; sys.argv[0] = 'dlcourse'; "
            "from dlcourse.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, "grade", str(ROOT / "solutions"), "-c", CHAPTER,
                           "--cluster", "local:2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert 'pip install "dlcourse[cluster]"' in proc.stderr and "Traceback" not in proc.stderr


def test_nbgrader_sandbox_grade_uses_the_cluster_option(klass, cluster, fresh_cache):
    pytest.importorskip("nbgrader")
    from dlcourse.grading.cluster import runner_for
    from dlcourse.grading.grade import grade_source, task_for
    from dlcourse.grading.nbgrader_bridge import SandboxGrade

    course, _, local, _, _ = klass
    local_cluster, _ = cluster
    address = local_cluster.scheduler_address
    run = SandboxGrade(course=str(ROOT), cluster=address)._run()
    assert isinstance(run, DaskRunner) and run is runner_for(address)  # one connection per process
    assert SandboxGrade(course=str(ROOT))._run() is None  # no option: here, as before
    exercise = course.exercise(f"{CHAPTER}/losses")
    source = (ROOT / "solutions" / CHAPTER / "losses.py").read_text()
    try:
        report, _ = grade_source(task_for(exercise, LIMITS, fresh_cache), source, LIMITS, course.hidden_paths,
                                 fresh_cache, run)
    finally:
        run.client.close()  # before the module's cluster closes, not at exit
    alice = by_id(next(s for s in local["submissions"] if s["submission"] == "alice"))[exercise.id]
    assert report["tests"] == alice["tests"]


def test_a_worker_of_another_version_is_refused(klass, cluster, fresh_cache):
    """Last: it retires the module's workers."""
    course = klass[0]
    submissions, expected, _ = few(klass)
    _, client = cluster
    client.wait_for_workers(2, timeout=60)
    old, new = sorted(client.scheduler_info()["workers"])

    def pretend(version):
        import dlcourse.grading.cluster

        dlcourse.grading.cluster.__version__ = version

    client.run(pretend, "0.0.1", workers=[old])
    said = []
    # As if it joined after the run began: the run refuses it on its first task and goes on.
    report = grade(course, submissions, LIMITS, fresh_cache, jobs=2, run=DaskRunner(client, say=said.append))
    assert report["submissions"] == expected
    assert said == [f"refused Dask worker {old}: it has dlcourse 0.0.1, this machine {__version__}; "
                    f"install dlcourse=={__version__} there."]
    assert old not in client.scheduler_info()["workers"]
    # At the start of a run: a cluster with no worker of this version grades nothing.
    client.run(pretend, "0.0.2", workers=[new])
    with pytest.raises(ClusterError, match=f"no worker of the Dask cluster has dlcourse {__version__}"):
        DaskRunner(client, say=said.append).check_workers()
