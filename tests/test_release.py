"""`dlcourse release`: stubs, notebooks and packaged visible checks, and their staleness check."""

import ast
import json
import shutil

import nbformat
import pytest

from conftest import ROOT, run_cli
from dlcourse.grading.course import Course
from dlcourse.grading.release import ReleaseError, stub_source, visible_checks_source
from dlcourse.grading.sources import forbidden_uses


def test_stub_replaces_each_region_at_its_indentation():
    source = (
        "def f(x):\n"
        "    '''doc'''\n"
        "    ### BEGIN SOLUTION\n"
        "    y = x + 1\n"
        "    return y\n"
        "    ### END SOLUTION\n"
        "\n"
        "class A:\n"
        "    def g(self):\n"
        "        ### BEGIN SOLUTION\n"
        "        return 2\n"
        "        ### END SOLUTION\n"
    )
    assert stub_source(source) == (
        "def f(x):\n"
        "    '''doc'''\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n"
        "\n"
        "class A:\n"
        "    def g(self):\n"
        "        # YOUR CODE HERE\n"
        "        raise NotImplementedError()\n"
    )


@pytest.mark.parametrize("source, words", [
    ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n### END SOLUTION\n", "never opened"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
    ("x = 1\n", "no `### BEGIN SOLUTION`"),
])
def test_malformed_markers_are_one_clear_sentence(source, words):
    with pytest.raises(ReleaseError, match=words):
        stub_source(source, "solutions/ch01_perceptron/x.py")


def test_visible_checks_drop_hidden_checks():
    grader = (
        "from dlcourse.grading import check\n"
        "@check(points=1, visible=True)\n"
        "def shown(sub):\n    return {}\n"
        "@check(points=2)\n"
        "def secret_one(sub):\n    return {'x': 12345}\n"
        "@check(points=2, visible=False)\n"
        "def secret_two(sub):\n    return {}\n"
    )
    visible = visible_checks_source(grader)
    assert "def shown" in visible
    assert "secret" not in visible and "12345" not in visible
    ast.parse(visible)


def test_committed_release_is_up_to_date():
    proc = run_cli("release", "--check")
    assert proc.returncode == 0, proc.stderr


def _course_copy(tmp_path):
    course = tmp_path / "course"
    for folder in ("solutions", "graders", "exercises"):
        shutil.copytree(ROOT / folder, course / folder)
    return course


def test_release_check_names_stale_files(tmp_path):
    course = _course_copy(tmp_path)
    stub = next((course / "exercises").rglob("*.py"))
    stub.write_text(stub.read_text() + "# edited by hand\n")
    proc = run_cli("release", "--check", "--course", course)
    assert proc.returncode == 1
    assert str(stub.relative_to(course)) in proc.stderr


def test_every_exercise_is_consistent():
    course = Course(ROOT)
    assert course.exercises
    for exercise in course.exercises:
        checks = exercise.checks
        assert 3 <= len(checks) <= 6 and any(c.visible for c in checks), exercise.id
        assert exercise.stated_points == exercise.max_score, (
            f"{exercise.id}: the prompt says {exercise.stated_points} points, the grader gives {exercise.max_score}")
        solution = exercise.solution.read_text()
        assert any(name.startswith("dlcourse.") for name in exercise.forbidden), (
            f"{exercise.id}: the grader should forbid the dlcourse module that implements the exercise")
        assert forbidden_uses(solution, exercise.forbidden) == [], f"{exercise.id}: the reference uses a forbidden name"
        stub = (ROOT / "exercises" / f"{exercise.id}.py").read_text()
        assert "raise NotImplementedError()" in stub and "### BEGIN SOLUTION" not in stub


def test_chapters_have_enough_graded_exercises():
    ids = [e.id for e in Course(ROOT).exercises]
    # The minimum each chapter's issue asked for.
    for chapter, minimum in {"ch01_perceptron": 6, "ch02_training": 6, "ch03_sequence": 8, "ch04_cnn": 8,
                            "ch07_gnn": 10}.items():
        assert sum(i.startswith(chapter + "/") for i in ids) >= minimum, chapter


def test_notebooks_are_valid_and_match_the_stubs():
    import jupytext

    for notebook_path in (ROOT / "exercises").rglob("*.ipynb"):
        notebook = nbformat.reads(notebook_path.read_text(), as_version=4)
        nbformat.validate(notebook)
        stub = notebook_path.with_suffix(".py").read_text()
        code = "".join(c.source for c in notebook.cells if c.cell_type == "code")
        assert "raise NotImplementedError()" in code
        assert jupytext.writes(jupytext.reads(json.dumps(notebook), fmt="ipynb"), fmt="py:percent").count(
            "raise NotImplementedError()") == stub.count("raise NotImplementedError()")


def test_student_bundle_has_stubs_and_no_answers(tmp_path):
    proc = run_cli("release", "--course", _course_copy(tmp_path), "--bundle", tmp_path / "bundle")
    assert proc.returncode == 0, proc.stderr
    files = {p.relative_to(tmp_path / "bundle").as_posix() for p in (tmp_path / "bundle").rglob("*") if p.is_file()}
    for exercise in Course(ROOT).exercises:
        assert f"{exercise.id}.py" in files and f"{exercise.id}.ipynb" in files
    assert not any("BEGIN SOLUTION" in (tmp_path / "bundle" / f).read_text() for f in files)
    again = run_cli("release", "--course", tmp_path / "course", "--bundle", tmp_path / "bundle", check=False)
    assert again.returncode == 2 and "not empty" in again.stderr
