"""Assignments from course.toml: `dlcourse grade --assignment`, its reports, and nbgrader's assignments."""

import csv
import datetime
import json
import re
import shutil

import pytest

from conftest import ROOT, by_id, run_cli
from dlcourse.grading.assignments import apply, load
from dlcourse.grading.course import Course, CourseError

DENSE, LOSSES, SGD = "ch01_perceptron/dense_forward", "ch01_perceptron/losses", "ch01_perceptron/minibatch_sgd"

COURSE_TOML = f"""
[assignments.week1]
title = "Dense layers and losses"
due = 2025-10-17
exercises = ["{DENSE}", "{LOSSES}.py"]
weights = {{ "{DENSE}" = 2 }}

[assignments.week2]
due = 2025-10-24T12:00:00+02:00
exercises = ["{SGD}"]
"""


@pytest.fixture
def course(tmp_path):
    """A course checkout with chapter 1 and the course file above."""
    root = tmp_path / "course"
    for folder in ("solutions", "graders"):
        shutil.copytree(ROOT / folder / "ch01_perceptron", root / folder / "ch01_perceptron")
    (root / "course.toml").write_text(COURSE_TOML)
    return root


def test_the_shipped_course_file_has_one_assignment_per_chapter():
    course = Course(ROOT)
    assignments = course.assignments
    chapters = sorted({e.chapter for e in course.exercises})
    assert sorted(assignments) == chapters  # so nbgrader's assignments are the chapters, as before
    for name, assignment in assignments.items():
        assert [e.id for e in assignment.exercises] == [e.id for e in course.exercises if e.chapter == name]


def test_exercises_weights_and_due_dates(course):
    assignments = load(Course(course))
    week1, week2 = assignments["week1"], assignments["week2"]
    assert [e.id for e in week1.exercises] == [DENSE, LOSSES]
    assert (week1.weight(DENSE), week1.weight(LOSSES)) == (2.0, 1.0)
    assert week1.due == datetime.datetime(2025, 10, 17, 23, 59, 59)  # a bare date: the end of that day
    assert week2.due == datetime.datetime(2025, 10, 24, 10, 0)  # an offset: in UTC, as nbgrader keeps it
    report = {"submissions": [{"submission": "s", "score": 3, "max_score": 11, "exercises": [
        {"id": DENSE, "score": 1, "max_score": 5, "tests": []},
        {"id": LOSSES, "score": 2, "max_score": 6, "tests": []}]}]}
    (sub,) = apply(report, week1)["submissions"]
    assert (sub["weighted_score"], sub["weighted_max_score"]) == (4, 16)
    assert report["assignment"]["due"] == "2025-10-17T23:59:59"


def test_without_a_course_file_there_is_one_assignment_per_chapter(course):
    (course / "course.toml").unlink()
    assignments = load(Course(course))
    assert list(assignments) == ["ch01_perceptron"]
    assert len(assignments["ch01_perceptron"].exercises) == len(list((course / "graders/ch01_perceptron").glob("*.py")))


@pytest.mark.parametrize("text, words", [
    ("[assignments.a1\nexercises = 3", "course.toml is not valid TOML"),
    ("[other]\nx = 1", "defines no assignments"),
    ('[assignments.a1]\nexercise = ["ch01_perceptron"]', "unknown key 'exercise'"),
    ("[assignments.a1]\nexercises = []", "needs exercises = [...]"),
    ('[assignments.a1]\nexercises = ["ch01_perceptron/nope"]', "names 'ch01_perceptron/nope', which is neither"),
    ('[assignments.a1]\nexercises = ["ch01_perceptron"]\nweights = { "ch02_training/x" = 2 }',
     "weights 'ch02_training/x', which is not one of its exercises"),
    (f'[assignments.a1]\nexercises = ["{DENSE}"]\nweights = {{ "{DENSE}" = -1 }}', "must be a number >= 0"),
    ('[assignments.a1]\nexercises = ["ch01_perceptron"]\ndue = "next friday"', "due must be a date"),
    ('[assignments."a 1"]\nexercises = ["ch01_perceptron"]', "is not a usable name"),
])
def test_a_malformed_course_file_is_one_sentence(course, text, words):
    (course / "course.toml").write_text(text)
    with pytest.raises(CourseError, match=re.escape(words)) as err:
        load(Course(course))
    assert str(course / "course.toml") in str(err.value)


@pytest.mark.parametrize("args, words", [
    (["-a", "week3"], "there is no assignment 'week3' in"),
    (["-a", "week1", "-c", "ch01_perceptron"], "either --assignment or --chapters"),
])
def test_command_line_errors_are_one_sentence(course, args, words):
    proc = run_cli("grade", ROOT / "solutions", "--course", course, *args, check=False)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
    if "week3" in args:
        assert "choose from week1, week2" in proc.stderr


def test_grade_one_assignment_reports_weights_and_class_statistics(course, tmp_path):
    cls = tmp_path / "class"
    for name, files in {"alice": (DENSE, LOSSES), "bob": (), "carol": (DENSE,)}.items():
        (cls / name / "ch01_perceptron").mkdir(parents=True)
        for exercise_id in files:
            shutil.copy(ROOT / "solutions" / f"{exercise_id}.py", cls / name / f"{exercise_id}.py")
    shutil.copy(ROOT / "solutions" / f"{SGD}.py", cls / "alice" / f"{SGD}.py")  # not in week1: not graded
    out = tmp_path / "out"
    proc = run_cli("grade", cls, "--course", course, "-a", "week1", "--json", out / "r.json",
                   "--csv", out / "class.csv", "--feedback", out / "feedback", "--stats", out / "stats", "--gradescope", out / "gs", "-j", "2")
    assert proc.returncode == 0, proc.stderr

    report = json.loads((out / "r.json").read_text())
    assert report["assignment"]["name"] == "week1" and report["assignment"]["weights"] == {DENSE: 2, LOSSES: 1}
    alice, bob, carol = report["submissions"]
    assert [e["id"] for e in alice["exercises"]] == [DENSE, LOSSES]
    full = by_id(alice)[DENSE]["max_score"]
    assert (carol["score"], carol["weighted_score"]) == (full, 2 * full)
    assert alice["weighted_max_score"] == 2 * full + by_id(alice)[LOSSES]["max_score"] == alice["weighted_score"]
    assert json.loads((out / "gs" / "carol" / "results.json").read_text())["score"] == 2 * full  # as the autograder

    header, max_row, *rows = csv.reader((out / "class.csv").open())
    assert header == ["submission", "score", "max_score", "weighted_score", "weighted_max_score", DENSE, LOSSES]
    assert max_row[0] == "max points" and float(max_row[5]) == full
    assert [r[0] for r in rows] == ["alice", "bob", "carol"]

    feedback = (out / "feedback" / "bob.md").read_text()
    assert "Assignment week1 (Dense layers and losses), due 2025-10-17 23:59" in feedback
    assert f"## {DENSE}" in feedback and f"## {SGD}" not in feedback and "(weight 2)" in feedback

    assert "class statistics (3 submissions)" in proc.stdout
    stats = {r["id"]: r for r in csv.DictReader((out / "stats" / "stats.csv").open())}
    assert float(stats[DENSE]["full_marks"]) == pytest.approx(2 / 3, abs=1e-3)  # alice and carol
    assert float(stats[LOSSES]["mean_fraction"]) == pytest.approx(1 / 3, abs=1e-3)
    assert (out / "stats" / "scores.png").read_bytes().startswith(b"\x89PNG")


def test_nbgrader_builds_one_assignment_per_course_file_assignment(course, tmp_path):
    from nbgrader.api import Gradebook

    nb = tmp_path / "nb"
    proc = run_cli("nbgrader", nb, "--course", course)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(nb / "source").as_posix() for p in (nb / "source").rglob("*.ipynb")) == [
        "week1/dense_forward.ipynb", "week1/losses.ipynb", "week2/minibatch_sgd.ipynb"]
    with Gradebook(f"sqlite:///{nb / 'gradebook.db'}") as gradebook:
        due = {a.name: a.duedate for a in gradebook.assignments}
    assert due == {"week1": datetime.datetime(2025, 10, 17, 23, 59, 59), "week2": datetime.datetime(2025, 10, 24, 10)}

    unknown = run_cli("nbgrader", tmp_path / "nb2", "--course", course, "-a", "week9", check=False)
    assert unknown.returncode == 2 and "there is no assignment 'week9'" in unknown.stderr
