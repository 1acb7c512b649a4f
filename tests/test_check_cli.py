"""`dlcourse check` as a student types it: the points the hidden checks hold, every exercise in
a folder at once, ids, names and file paths, and where a wrong result first differs."""

import shutil

import numpy as np
import pytest

from conftest import ROOT, run_cli
from dlcourse.grading.checks import Check, compare_results
from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.release import CHECKS_DIR
from dlcourse.grading.student import resolve

TARGET = "ch01_perceptron/dense_forward"
OTHER = "ch01_perceptron/losses"


def _points(exercise_id):
    """(points in all, points of the visible checks) of an exercise, from the course."""
    exercise = Course(ROOT).exercise(exercise_id)
    return exercise.max_score, sum(c.points for c in exercise.checks if c.visible)


def _put(folder, exercise_id, kind="solutions", suffix=".py", flat=False):
    target = folder / (f"{exercise_id.split('/')[-1]}{suffix}" if flat else f"{exercise_id}{suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / kind / f"{exercise_id}{suffix}", target)
    return target


def test_check_says_how_many_points_the_hidden_checks_hold(tmp_path):
    _put(tmp_path, TARGET)
    total, visible = _points(TARGET)
    assert total > visible  # the point of the message: most points are hidden
    proc = run_cli("check", TARGET, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hidden = f"{total - visible:g} point{'s are' if total - visible != 1 else ' is'}"
    assert (f"visible checks: 1/1 ({visible:g} of {total:g} points); {hidden} in hidden checks that run "
            "when your work is graded") in " ".join(proc.stdout.split())
    assert f"{visible:g} / {visible:g} points" not in proc.stdout  # the old, misleading title


def test_check_without_an_id_checks_every_exercise_here(tmp_path):
    _put(tmp_path, TARGET)  # ch01_perceptron/dense_forward.py, the answer
    _put(tmp_path, OTHER, kind="exercises", flat=True)  # ./losses.py, the untouched stub
    decoy = tmp_path / "graders" / TARGET  # hidden tests are not exercise files
    decoy.parent.mkdir(parents=True)
    decoy.with_suffix(".py").write_text("raise SystemExit('not an exercise')\n")
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the stub fails its visible checks
    out = " ".join(proc.stdout.split())
    rows = [line.split() for line in proc.stdout.splitlines()]
    lines = {row[1]: " ".join(row) for row in rows if len(row) > 1 and row[1].startswith("ch0")}
    assert TARGET in lines and OTHER in lines and len(lines) == 2, proc.stdout
    assert "1/1" in lines[TARGET] and "losses.py" in lines[OTHER] and "0/1" in lines[OTHER]
    (t1, v1), (t2, v2) = _points(TARGET), _points(OTHER)
    assert (f"total: visible checks 1/2 in 2 exercises ({v1:g} of {t1 + t2:g} points); "
            f"{t1 + t2 - v1 - v2:g} points are in hidden checks") in out
    assert "graders" not in proc.stdout


def test_check_without_an_id_in_an_empty_folder_says_what_to_do(tmp_path):
    proc = run_cli("check", cwd=tmp_path, check=False)
    assert proc.returncode == 2 and "no exercise files here" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("argument", ["dense_forward", "ch01_perceptron/dense_forward.py", "./dense_forward.ipynb"])
def test_check_takes_a_name_or_a_file(tmp_path, argument):
    _put(tmp_path, TARGET)
    _put(tmp_path, TARGET, kind="exercises", suffix=".ipynb", flat=True)  # ./dense_forward.ipynb, a stub
    proc = run_cli("check", argument, cwd=tmp_path)
    if argument.endswith(".ipynb"):
        assert proc.returncode == 1 and "not implemented" in proc.stdout, proc.stdout + proc.stderr
        assert "dense_forward.ipynb" in proc.stdout
        assert f"visible checks: 0/1 (0 of {_points(TARGET)[0]:g} points)" in proc.stdout  # the notebook's title
    else:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f"{TARGET}: your file ch01_perceptron/dense_forward.py" in proc.stdout


@pytest.mark.parametrize("argument, words", [
    ("./dense_forward.py", "does not exist"),
    ("no_such_exercise", "there are no checks"),
])
def test_a_bad_argument_is_one_sentence(tmp_path, argument, words):
    proc = run_cli("check", argument, cwd=tmp_path, check=False)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_a_name_of_two_exercises_is_an_error_naming_both(tmp_path):
    for chapter in ("ch01_perceptron", "ch04_cnn"):
        (tmp_path / chapter).mkdir()
        shutil.copy(CHECKS_DIR / f"{TARGET}.py", tmp_path / chapter / "dense_forward.py")
    with pytest.raises(CourseError, match="ch01_perceptron/dense_forward and ch04_cnn/dense_forward"):
        resolve("dense_forward", checks_dir=tmp_path)
    assert resolve("ch04_cnn/dense_forward", path=str(tmp_path / "ch04_cnn" / "dense_forward.py"),
                   checks_dir=tmp_path)[0][0][0] == "ch04_cnn/dense_forward"


def test_a_wrong_value_shows_where_it_first_differs(tmp_path):
    answer = (ROOT / "solutions" / f"{TARGET}.py").read_text()
    right = "np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))"
    assert right in answer
    wrong = tmp_path / "ch01_perceptron" / "dense_forward.py"  # sigmoid(-z) for sigmoid(z)
    wrong.parent.mkdir()
    wrong.write_text(answer.replace(right, "np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))"))
    with np.load(CHECKS_DIR / f"{TARGET}.npz") as npz:
        expected = npz["sigmoid_output/y"][0, 0]
    proc = run_cli("check", TARGET, cwd=tmp_path)
    assert proc.returncode == 1
    out = " ".join(proc.stdout.replace("│", " ").split())
    assert f"first differs at [0, 0]: {1 - expected:.3g}, expected {expected:.3g}" in out, proc.stdout


def test_hidden_feedback_names_the_index_but_never_a_value():
    got, expected = np.zeros((2, 3, 2)), np.zeros((2, 3, 2))
    got[1, 2, 0], expected[1, 2, 0] = 0.731, 0.269
    visible = Check("values", None, 1.0, visible=True)
    hidden = Check("values", None, 1.0, visible=False)
    _, shown = compare_results(visible, {"y": got}, {"y": expected})
    assert shown.endswith("first differs at [1, 2, 0]: 0.731, expected 0.269.")
    for student, reference in (({"y": got}, {"y": expected}), ({"s": np.array(0.731)}, {"s": np.array(0.269)}),
                               ({"w": np.array(["a", "b"])}, {"w": np.array(["a", "c"])})):
        _, said = compare_results(hidden, student, reference)
        assert said and not any(value in said for value in ("0.731", "0.269", "0.462", "'b'", "'c'")), said
    assert compare_results(hidden, {"y": got}, {"y": expected})[1].endswith("first differs at [1, 2, 0].")
