"""`dlcourse gradescope build`: the autograder zip, run the way Gradescope runs it."""

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

from conftest import ROOT, run_cli
from dlcourse.grading.course import Course
from dlcourse.grading.gradescope import results_json

ASSIGNMENT = "ch01_perceptron"
DENSE = "ch01_perceptron/dense_forward"


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The zip for chapter 1, unpacked where Gradescope unpacks it: ROOT/source."""
    tmp = tmp_path_factory.mktemp("gradescope")
    proc = run_cli("gradescope", "build", tmp / "autograder.zip", "--assignment", ASSIGNMENT)
    assert proc.returncode == 0, proc.stderr
    root = tmp / "autograder"
    with zipfile.ZipFile(tmp / "autograder.zip") as zf:
        zf.extractall(root / "source")
        modes = {info.filename: info.external_attr >> 16 for info in zf.infolist()}
    return tmp / "autograder.zip", root, modes


def test_the_zip_holds_setup_run_autograder_and_the_assignments_tests(autograder):
    _, root, modes = autograder
    source = root / "source"
    exercises = [e.id for e in Course(ROOT).assignment(ASSIGNMENT).exercises]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert sorted(p.relative_to(source / "graders").with_suffix("").as_posix()
                  for p in (source / "graders").rglob("*.py")) == exercises  # this assignment's only
    assert {p.name for p in (source / "solutions" / "ch01_perceptron").glob("*.py")} == \
        {f"{e.split('/')[1]}.py" for e in exercises}
    (wheel,) = (source / "wheels").glob("dlcourse-*.whl")
    assert not [n for n in zipfile.ZipFile(wheel).namelist() if n.startswith(("solutions/", "graders/"))]
    setup = (source / "setup.sh").read_text()
    assert f"pip install -q \"$PWD/wheels/{wheel.name}\"" in setup
    assert subprocess.run(["bash", "-n", source / "setup.sh"]).returncode == 0
    course_file = tomllib.loads((source / "course.toml").read_text())
    assert list(course_file["assignments"]) == [ASSIGNMENT]
    assert Course(source).assignment(ASSIGNMENT).max_score == Course(ROOT).assignment(ASSIGNMENT).max_score


def test_run_autograder_grades_a_submission_laid_out_as_gradescope_does(autograder):
    _, root, _ = autograder
    submission = root / "submission"
    (submission / "exercises" / "ch01_perceptron").mkdir(parents=True)
    # Files uploaded one by one arrive flat; a zip keeps its folders.
    shutil.copy(ROOT / "solutions" / f"{DENSE}.py", submission / "dense_forward.py")
    shutil.copy(ROOT / "exercises" / "ch01_perceptron" / "losses.ipynb", submission / "exercises" / "ch01_perceptron")
    # A link to the answer is not the student's file, and the course is hidden from student code.
    (submission / "minibatch_sgd.py").symlink_to(root / "source" / "solutions" / "ch01_perceptron" / "minibatch_sgd.py")
    stolen = root / "source" / "solutions" / "ch01_perceptron" / "hidden_layer_network.py"
    (submission / "hidden_layer_network.py").write_text(f"exec(open({str(stolen)!r}).read())\n")
    (root / "submission_metadata.json").write_text("{}")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")  # as Gradescope does

    env = {**os.environ, "DLCOURSE_AUTOGRADER_ROOT": str(root), "DLCOURSE_PYTHON": sys.executable}
    proc = subprocess.run(["bash", root / "run_autograder"], env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((root / "results" / "results.json").read_text())

    assert isinstance(results["score"], (int, float)) and results["tests"]
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output", "visibility"}
        assert test["visibility"] in ("visible", "after_published") and 0 <= test["score"] <= test["max_score"]
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    assert sum(t["max_score"] for t in results["tests"]) == Course(ROOT).assignment(ASSIGNMENT).max_score
    per_exercise = {}
    for test in results["tests"]:
        exercise_id = test["name"].split(":")[0]
        got, top = per_exercise.get(exercise_id, (0, 0))
        per_exercise[exercise_id] = (got + test["score"], top + test["max_score"])
    assert per_exercise[DENSE][0] == per_exercise[DENSE][1] > 0
    assert per_exercise["ch01_perceptron/losses"][0] == 0  # the untouched stub
    assert per_exercise["ch01_perceptron/minibatch_sgd"][0] == 0
    if "isolation: namespaces" in proc.stdout:
        assert per_exercise["ch01_perceptron/hidden_layer_network"][0] == 0
    assert "exercises/ch01_perceptron/losses.ipynb" in results["output"]
    assert "ch01_perceptron/minibatch_sgd" in results["output"].split("No file found for:")[1]
    assert "minibatch_sgd.py is a symbolic link" in results["output"]


def test_weights_scale_each_gradescope_test():
    sub = {"submission": "s", "score": 3, "max_score": 4, "weighted_score": 7.5, "exercises": [
        {"id": DENSE, "score": 3, "max_score": 4, "weight": 2.5, "file": "dense_forward.py", "tests": [
            {"name": "a", "score": 1, "max_score": 2, "status": "failed", "feedback": "no", "visible": True},
            {"name": "b", "score": 2, "max_score": 2, "status": "passed", "feedback": "", "visible": False}]}]}
    results = results_json(sub, "namespaces")
    assert [(t["score"], t["max_score"]) for t in results["tests"]] == [(2.5, 5), (5, 5)]
    assert results["score"] == 7.5


def test_pypi_zip_bundles_no_wheel(tmp_path):
    proc = run_cli("gradescope", "build", tmp_path / "ag.zip", "-a", ASSIGNMENT, "--pypi")
    assert proc.returncode == 0, proc.stderr
    names = zipfile.ZipFile(tmp_path / "ag.zip").namelist()
    assert not [n for n in names if n.startswith("wheels/")]
    assert "pip install -q 'dlcourse==" in zipfile.ZipFile(tmp_path / "ag.zip").read("setup.sh").decode()


@pytest.mark.parametrize("args, words", [
    (["out.txt"], "does not end in .zip"),
    (["out.zip", "-a", "ch99"], "there is no assignment 'ch99'"),
])
def test_build_errors_are_one_sentence(tmp_path, args, words):
    proc = run_cli("gradescope", "build", *(tmp_path / a if a.startswith("out") else a for a in args), check=False)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
