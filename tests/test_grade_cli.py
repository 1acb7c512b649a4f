"""`dlcourse grade`, `check`, `list` as a user types them."""

import csv
import json
import pathlib
import shutil
import tarfile
import zipfile

import pytest

from conftest import ROOT, by_id, grade_json, run_cli
from dlcourse.grading import grade as grading
from dlcourse.grading.course import Course
from dlcourse.grading.grade import Cache, grade
from dlcourse.grading.runner import Limits
from dlcourse.grading.submissions import discover

TARGET = "ch01_perceptron/dense_forward"


def test_solutions_score_full_marks(tmp_path):
    report = grade_json(ROOT / "solutions", tmp_path=tmp_path, extra=["--jobs", "2"])
    (sub,) = report["submissions"]
    assert sub["max_score"] > 0
    bad = {e["id"]: [t for t in e["tests"] if t["status"] != "passed"] for e in sub["exercises"]
           if e["score"] != e["max_score"]}
    assert not bad
    assert {e["id"] for e in sub["exercises"]} == {e.id for e in Course(ROOT).exercises}


def test_released_stubs_score_zero_cleanly(tmp_path):
    report = grade_json(ROOT / "exercises", tmp_path=tmp_path, extra=["--jobs", "2"])
    (sub,) = report["submissions"]
    assert sub["score"] == 0
    for exercise in sub["exercises"]:
        for test in exercise["tests"]:
            assert test["status"] == "error"
            assert "not implemented" in test["feedback"], test


def _submission(folder, wrong=False):
    shutil.copytree(ROOT / "exercises" / "ch01_perceptron", folder / "ch01_perceptron")
    source = (ROOT / "solutions" / f"{TARGET}.py").read_text()
    if wrong:
        source = source.replace("np.tanh(z)", "np.tanh(2 * z)")
    (folder / f"{TARGET}.py").write_text(source)


def test_folder_of_archives_and_folders_with_reports(tmp_path):
    subs = tmp_path / "class"
    _submission(subs / "alice")
    _submission(tmp_path / "bob" / "bob", wrong=True)
    with zipfile.ZipFile(subs / "bob.zip", "w") as zf:  # an archive of a single folder
        for path in (tmp_path / "bob").rglob("*.py"):
            zf.write(path, path.relative_to(tmp_path / "bob"))
    _submission(tmp_path / "carol")
    with tarfile.open(subs / "carol.tar.gz", "w:gz") as tf:
        tf.add(tmp_path / "carol" / "ch01_perceptron", "ch01_perceptron")
    (subs / "dave").mkdir()  # submitted nothing: still gets a result line

    out = tmp_path / "out"
    proc = run_cli("grade", subs, "--json", out / "r.json", "--csv", out / "class.csv",
                   "--feedback", out / "feedback", "--gradescope", out / "gs")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "r.json").read_text())
    scores = {s["submission"]: by_id(s)[TARGET] for s in report["submissions"]}
    assert sorted(scores) == ["alice", "bob", "carol", "dave"]
    assert scores["alice"]["score"] == scores["alice"]["max_score"] == scores["carol"]["score"]
    assert 0 < scores["bob"]["score"] < scores["bob"]["max_score"]  # partial: tanh is wrong
    assert scores["dave"]["score"] == 0
    assert "no file for this exercise" in scores["dave"]["tests"][0]["feedback"]
    for sub in report["submissions"]:
        for exercise in sub["exercises"]:
            assert set(exercise) >= {"id", "score", "max_score", "tests"}
            for test in exercise["tests"]:
                assert set(test) >= {"name", "score", "max_score", "status", "feedback"}

    max_row, *rows = csv.DictReader((out / "class.csv").open())
    assert max_row["submission"] == "max points" and float(max_row[TARGET]) == scores["alice"]["max_score"]
    assert [r["submission"] for r in rows] == ["alice", "bob", "carol", "dave"]
    assert "class statistics (4 submissions)" in proc.stdout
    assert (out / "class-scores.png").read_bytes().startswith(b"\x89PNG")  # the histogram, next to the CSV
    assert float(rows[0][TARGET]) == scores["alice"]["score"]
    bob_feedback = (out / "feedback" / "bob.md").read_text()
    assert "hidden check" in bob_feedback and "`tanh` differs" in bob_feedback
    gradescope = json.loads((out / "gs" / "bob" / "results.json").read_text())
    assert gradescope["score"] == report["submissions"][1]["score"]
    assert {t["visibility"] for t in gradescope["tests"]} == {"visible", "after_published"}


def test_interrupted_run_resumes_from_cache(tmp_path, monkeypatch):
    _submission(tmp_path / "sub")
    course = Course(ROOT)
    course.__dict__["exercises"] = [e for e in course.exercises if e.chapter == "ch01_perceptron"][:3]
    cache = Cache(tmp_path / "cache")
    subs = discover([str(tmp_path / "sub")], tmp_path)
    first = grade(course, subs, Limits(), cache, jobs=2)

    def no_more_children(*args, **kwargs):
        raise AssertionError("everything should come from the cache")

    monkeypatch.setattr(grading, "run_checks", no_more_children)
    assert grade(course, subs, Limits(), cache, jobs=2) == first


def test_without_isolation_the_report_says_so(tmp_path):
    _submission(tmp_path / "sub")
    course = Course(ROOT)
    course.__dict__["exercises"] = [course.exercise(TARGET)]
    report = grade(course, discover([str(tmp_path / "sub")], tmp_path), Limits(isolate=False), Cache(None))
    assert report["isolation"].startswith("none")
    assert report["submissions"][0]["score"] == report["submissions"][0]["max_score"]


@pytest.mark.parametrize("args, words", [
    (["grade", "no/such/folder"], "does not exist"),
    (["grade", "solutions", "--course", "/tmp"], "is not a course checkout"),
    (["check", "ch01_perceptron/no_such_exercise"], "there are no checks"),
])
def test_errors_are_one_clear_sentence(args, words):
    proc = run_cli(*args, check=False)
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_runs_only_visible_checks(tmp_path):
    _submission(tmp_path)
    proc = run_cli("check", TARGET, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sigmoid_output" in proc.stdout and "passed" in proc.stdout
    hidden = [c.name for c in Course(ROOT).exercise(TARGET).checks if not c.visible]
    assert hidden and not any(name in proc.stdout for name in hidden)
    stub = run_cli("check", TARGET, "--path", ROOT / "exercises" / f"{TARGET}.ipynb", cwd=tmp_path)
    assert stub.returncode == 1 and "not implemented" in stub.stdout


def test_list_shows_points():
    proc = run_cli("list")
    assert proc.returncode == 0 and TARGET in proc.stdout


def test_isolation_is_reported_even_when_the_import_fails(tmp_path):
    (tmp_path / "sub" / "ch01_perceptron").mkdir(parents=True)
    (tmp_path / "sub" / f"{TARGET}.py").write_text("import sys\nsys.exit(0)\n")
    course = Course(ROOT)
    course.__dict__["exercises"] = [course.exercise(TARGET)]
    report = grade(course, discover([str(tmp_path / "sub")], tmp_path), Limits(), Cache(None))
    assert report["submissions"][0]["score"] == 0
    assert report["isolation"].startswith("namespaces")


def test_a_report_written_into_the_temp_folder_does_not_hide_the_sandbox_scratch(tmp_path):
    """--json /tmp/report.json once hid all of /tmp (where children keep their scratch)."""
    import tempfile
    import uuid

    submission = tmp_path / "sub" / "ch01_perceptron"
    submission.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / f"{TARGET}.py", submission)
    report = pathlib.Path(tempfile.gettempdir()) / f"dlcourse-report-{uuid.uuid4().hex}.json"
    try:
        proc = run_cli("grade", tmp_path / "sub", "-c", "ch01_perceptron", "--no-cache", "--json", report)
        assert proc.returncode == 0, proc.stderr
        (sub,) = json.loads(report.read_text())["submissions"]
        assert by_id(sub)[TARGET]["score"] == by_id(sub)[TARGET]["max_score"]
    finally:
        report.unlink(missing_ok=True)


def test_a_bad_argument_is_refused_before_any_progress_display(tmp_path):
    for name in ("alice", "bob"):  # a class: its progress bar used to be drawn before the error
        (tmp_path / name / "ch01_perceptron").mkdir(parents=True)
    for extra, words in ((["-c", "ch99"], "there is no chapter 'ch99'"),
                         (["-a", "no_such_assignment"], "there is no assignment 'no_such_assignment'")):
        proc = run_cli("grade", tmp_path, *extra, check=False)
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"error: {words}"), proc.stderr


def test_the_progress_display_shows_the_exercise_being_graded_while_it_waits(monkeypatch):
    """A hanging check leaves no frozen bar: the display refreshes by itself, naming the exercise
    that runs and its time so far."""
    import io
    import threading

    from rich.console import Console

    from dlcourse import cli
    from dlcourse.grading.submissions import Submission

    screen = io.StringIO()
    monkeypatch.setattr(cli, "err_console", Console(file=screen, force_terminal=True, width=200))
    shown = threading.Event()

    def hanging_grade(course, submissions, limits, cache, jobs, hidden, progress=None, exercises=None,
                      on_exercise=None):
        on_exercise("alice", TARGET, True)
        for _ in range(200):  # until the display has drawn itself at least once (at most 20 s)
            if "now 0:0" in screen.getvalue() and f"alice {TARGET}" in screen.getvalue():
                shown.set()
                break
            threading.Event().wait(0.1)
        on_exercise("alice", TARGET, False)
        return {"submissions": []}

    subs = [Submission("alice", pathlib.Path("."))]
    assert cli._grade_with_progress(hanging_grade, None, subs, None, None, 1, [], ["one exercise"]) == {
        "submissions": []}
    assert shown.is_set(), screen.getvalue()
    assert "grading alice" in screen.getvalue()
