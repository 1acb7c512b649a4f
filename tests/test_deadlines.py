"""Deadlines come from the reference's own time, and nothing a grading run starts outlives it."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from conftest import run_cli
from dlcourse.grading.checks import Check
from dlcourse.grading.grade import (DEADLINE_FLOOR_S, DEADLINE_MULTIPLE, IMPORT_FLOOR_S, Cache, Task,
                                    timed_reference)
from dlcourse.grading.course import Course
from dlcourse.grading.runner import IMPORT_TIMEOUT_S, Limits

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = "ch01_perceptron/dense_forward"
HANG = "def _hang(*args, **kwargs):\n    while True:\n        pass\n\n"


def _task(seconds, timeout=60.0):
    checks = [Check("fast", None, 1.0, timeout=timeout), Check("slow", None, 1.0, timeout=timeout),
              Check("unmeasured", None, 1.0, timeout=timeout)]
    return Task("ch00/x", "", checks, (), {}, seconds)


def test_deadline_is_a_multiple_of_the_reference_time_with_a_floor_and_a_cap():
    deadlines = _task({"fast": 0.001, "slow": 1.0, "__import__": 2.0}).deadlines
    assert deadlines.checks["fast"] == DEADLINE_FLOOR_S
    assert deadlines.checks["slow"] == DEADLINE_MULTIPLE * 1.0
    assert deadlines.checks["unmeasured"] == 60.0  # no time known: the check's own timeout
    assert deadlines.import_s == min(IMPORT_TIMEOUT_S, max(IMPORT_FLOOR_S, DEADLINE_MULTIPLE * 2.0))
    assert _task({"slow": 10.0}, timeout=30.0).deadlines.checks["slow"] == 30.0  # capped by timeout=
    message = deadlines.message("slow", Limits(timeout_cap=5.0))
    assert "within 5 s" in message and "reference solution takes 1 s" in message


def test_reference_times_are_cached_with_its_results(tmp_path):
    exercise = Course(ROOT).exercise(TARGET)
    cache = Cache(tmp_path)
    arrays, seconds = timed_reference(exercise, Limits(), cache)
    assert set(seconds) == {c.name for c in exercise.checks} | {"__import__"}
    assert all(value > 0 for value in seconds.values())
    again_arrays, again = timed_reference(exercise, Limits(), cache)  # from the cache: no child runs
    assert again == pytest.approx(seconds) and again_arrays.keys() == arrays.keys()


def _hanging_submission(folder, exercises=(TARGET,)):
    """A submission whose every function of `exercises` loops forever."""
    for exercise in exercises:
        stub = (ROOT / "exercises" / f"{exercise}.py").read_text()
        names = [line.split("(")[0][4:] for line in stub.splitlines() if line.startswith("def ")]
        path = folder / f"{exercise}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HANG + "".join(f"{name} = _hang\n" for name in names))
    return folder


def test_a_hanging_check_times_out_on_its_calibrated_deadline(tmp_path):
    sub = _hanging_submission(tmp_path / "sub")
    out = tmp_path / "report.json"
    run_cli("grade", sub, "--json", out, "-c", "ch01_perceptron", "--jobs", "1")
    tests = next(e for e in json.loads(out.read_text())["submissions"][0]["exercises"] if e["id"] == TARGET)["tests"]
    assert {t["status"] for t in tests} == {"timeout"}
    for test in tests:
        limit = float(test["feedback"].split("within ")[1].split(" s")[0])
        assert DEADLINE_FLOOR_S <= limit < 60.0, test["feedback"]
        assert "the reference solution takes" in test["feedback"]


def _stat(pid):
    """The fields of /proc/PID/stat after the command name (state is [0], ppid [1]), or None."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid):
    """Every process below `pid`, as {pid: start time} (so a reused pid is not mistaken)."""
    children = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry.name)):
            children.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
    found, todo = {}, [pid]
    while todo:
        for child, start in children.get(todo.pop(), []):
            found[child] = start
            todo.append(child)
    return found


def _children(pid):
    return {p for p in _descendants(pid) if (fields := _stat(p)) and int(fields[1]) == pid}


def _describe(pid):
    try:
        cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return "(gone)"
    fields = _stat(pid) or ["?", "?"]
    return f"{cmd.strip()[-60:]} state={fields[0]} ppid={fields[1]} cpu={_cpu_seconds(pid)}"


def _alive(pid, start):
    fields = _stat(pid)
    return fields is not None and fields[19] == start and fields[0] != "Z"


def _cpu_seconds(pid):
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_killing_a_grading_run_mid_hang_leaves_nothing_running(tmp_path, signum):
    numpy_only = [e.id for e in Course(ROOT).select(["ch01_perceptron"]) if "import keras" not in e.solution.read_text()]
    sub = _hanging_submission(tmp_path / "sub", numpy_only)
    proc = subprocess.Popen([sys.executable, "-m", "dlcourse.cli", "grade", str(sub), "-c", "ch01_perceptron",
                             "--no-cache", "--jobs", "1"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        spinning, started = {}, time.monotonic()
        while time.monotonic() - started < 120 and not spinning:
            time.sleep(0.3)
            family = _descendants(proc.pid)
            # The student's loop runs in a grandchild (the zygote, a direct child, may be busy
            # importing TensorFlow for another exercise).
            spinning = {pid for pid in family if pid not in _children(proc.pid) and _cpu_seconds(pid) > 0.5}
        assert spinning, "the student's loop never started"
        family = _descendants(proc.pid)
        os.kill(proc.pid, signum)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p, s) for p, s in family.items()):
            time.sleep(0.2)
        survivors = [f"{p} {_describe(p)}" for p, s in family.items() if _alive(p, s)]
        assert not survivors, f"still running after {signal.Signals(signum).name}: {survivors}"
        if signum == signal.SIGINT:
            assert proc.returncode == 130
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("isolate", [True, False])
def test_the_cpu_limit_stops_a_loop(isolate):
    from dlcourse.grading.runner import Deadlines, run_checks

    grader = "from dlcourse.grading import check\n@check(1)\ndef spins(sub):\n    return {'y': sub.f()}\n"
    request = {"module_name": "m", "source": "def f():\n    while True:\n        pass\n",
               "grader_source": grader, "checks": ["spins"], "hide": []}
    outcomes, _, _ = run_checks(request, Deadlines({"spins": 120.0}), Limits(cpu_seconds_per_check=1, isolate=isolate))
    # "error", not "timeout": the CPU limit ended the loop long before the 120 s deadline.
    assert outcomes["spins"].status == "error" and "CPU time" in outcomes["spins"].message
