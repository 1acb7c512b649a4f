"""The nbgrader bridge, end to end with nbgrader's own commands.

One nbgrader course for chapters 1-2, three students: `alice` submits the reference answers,
`bob` the untouched release, and `mallory` attacks -- numpy's comparison functions monkeypatched
and zeros returned, `os._exit` in a cell, a rewrite of gradebook.db, a deleted test cell -- and
earns partial credit on one honest exercise. nbgrader's exported grades must equal `dlcourse grade` on the same
notebooks, test by test.
"""

import csv
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT, by_id, grade_json, run_cli
from dlcourse.grading.course import Course
from dlcourse.grading.nbgrader_bridge import _test_target

pytestmark = pytest.mark.slow

CHAPTERS = ("ch01_perceptron", "ch02_training")
OS_EXIT = "ch01_perceptron/losses"
GRADEBOOK_ATTACK = "ch01_perceptron/minibatch_sgd"
PARTIAL = "ch01_perceptron/dense_forward"
DELETES_A_TEST = "ch02_training/kfold_split"
EDITS_A_HIDDEN_TEST = "ch02_training/dropout"

MONKEYPATCH = """\
import numpy as np
np.testing.assert_allclose = lambda *a, **k: None
np.testing.assert_array_equal = lambda *a, **k: None
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)
np.array_equal = lambda *a, **k: True
"""

GRADEBOOK_REWRITE = """\
import glob, os, sqlite3
for path in [{db!r}] + glob.glob("/**/gradebook.db", recursive=True)[:5]:
    try:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE grade SET auto_score = 1000")
            db.execute("UPDATE grade_cells SET max_score = 1000")
    except Exception:
        pass
"""

PARTIAL_ANSWER = """\
def dense_forward(x, w, b, activation="sigmoid"):
    z = x @ w + b
    return 1.0 / (1.0 + np.exp(-z))  # only sigmoid, and it overflows for large |z|
"""


def nbgrader(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=1200)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _solution_cells(notebook):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def _submit(course_dir, student, chapter, name, edit):
    release = course_dir / "release" / chapter / f"{name}.ipynb"
    notebook = nbformat.read(release, as_version=4)
    source = nbformat.read(course_dir / "source" / chapter / f"{name}.ipynb", as_version=4)
    edit(notebook, source)
    target = course_dir / "submitted" / student / chapter / f"{name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def _answers(notebook, source):
    answers = _solution_cells(source)
    for grade_id, cell in _solution_cells(notebook).items():
        cell.source = answers[grade_id].source


def _attack(db):
    def edit(notebook, source, exercise_id):
        for cell in _solution_cells(notebook).values():
            cell.source = cell.source.replace("raise NotImplementedError()", "return np.zeros(3)")
        extra = MONKEYPATCH
        if exercise_id == OS_EXIT:
            extra += "import os\nos._exit(0)\n"
        if exercise_id == GRADEBOOK_ATTACK:
            extra += GRADEBOOK_REWRITE.format(db=str(db))
        if exercise_id == PARTIAL:
            _solution_cells(notebook)["answer_3"].source = PARTIAL_ANSWER
            extra = "import numpy as np\n"
        notebook.cells.insert(1, nbformat.v4.new_code_cell(extra))
        if exercise_id == DELETES_A_TEST:
            notebook.cells.pop()  # nbgrader puts the test cell back, and it is graded
        if exercise_id == EDITS_A_HIDDEN_TEST:  # nbgrader puts its source back, and says so
            (hidden, *_) = (c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id", "")
                            .startswith("hidden_check"))
            hidden.source = "pass  # no hidden test here"
    return edit


NBGRADER_SAID = {}  # command -> what it printed on stderr (its log)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nbgrader")
    course_dir = tmp / "course"
    args = ["nbgrader", course_dir]
    for chapter in CHAPTERS:
        args += ["-c", chapter]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    exercises = [e for e in Course(ROOT).exercises if e.chapter in CHAPTERS]
    for chapter in CHAPTERS:
        nbgrader("generate_assignment", chapter, cwd=course_dir)
    attack = _attack(course_dir / "gradebook.db")
    for exercise in exercises:
        _submit(course_dir, "alice", exercise.chapter, exercise.name, _answers)
        _submit(course_dir, "bob", exercise.chapter, exercise.name, lambda nb, src: None)
        _submit(course_dir, "mallory", exercise.chapter, exercise.name,
                lambda nb, src, i=exercise.id: attack(nb, src, i))
    for chapter in CHAPTERS:
        NBGRADER_SAID[f"autograde {chapter}"] = nbgrader("autograde", chapter, cwd=course_dir).stderr
    nbgrader("export", cwd=course_dir)
    NBGRADER_SAID["generate_feedback"] = nbgrader("generate_feedback", CHAPTERS[0], cwd=course_dir).stderr
    report = grade_json(*(course_dir / "submitted" / s for s in ("alice", "bob", "mallory")), tmp_path=tmp,
                        extra=["--no-cache", *(arg for chapter in CHAPTERS for arg in ("-c", chapter))])
    return course_dir, exercises, report


def test_exported_totals_are_full_zero_and_zero_on_tampered(graded):
    course_dir, exercises, report = graded
    with open(course_dir / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    totals = {}
    for row in rows:
        totals.setdefault(row["student_id"], {})[row["assignment"]] = (float(row["raw_score"]), float(row["max_score"]))
    for chapter in CHAPTERS:
        expected_max = sum(e.max_score for e in exercises if e.chapter == chapter)
        assert totals["alice"][chapter] == (expected_max, expected_max)
        assert totals["bob"][chapter] == (0.0, expected_max)
    mallory = by_id(next(s for s in report["submissions"] if s["submission"] == "mallory"))
    for exercise_id, result in mallory.items():
        if exercise_id == PARTIAL:
            assert 0 < result["score"] < result["max_score"]
        else:
            assert result["score"] == 0, (exercise_id, result)
    assert totals["mallory"]["ch01_perceptron"][0] == mallory[PARTIAL]["score"]
    assert totals["mallory"]["ch02_training"][0] == 0.0


def test_nbgrader_prints_no_expected_noise_but_reports_an_edited_test_cell(graded):
    """nbgrader's checksum warning for every released hidden-test cell, SQLAlchemy 2's SAWarning
    and traitlets' `display_data_priority` warning are gone; a test cell a student edited is
    still reported."""
    said = "\n".join(NBGRADER_SAID.values())
    assert "SAWarning" not in said and "display_data_priority" not in said and "Traceback" not in said
    checksums = [line for line in said.splitlines() if "Attribute 'checksum'" in line]
    assert len(checksums) == 1 and "for cell hidden_check_" in checksums[0], checksums


def test_nbgrader_equals_dlcourse_grade_test_by_test(graded):
    from nbgrader.api import Gradebook

    course_dir, exercises, report = graded
    students = {s["submission"]: by_id(s) for s in report["submissions"]}
    compared = 0
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for exercise in exercises:
            source = nbformat.read(course_dir / "source" / exercise.chapter / f"{exercise.name}.ipynb", as_version=4)
            check_of = {c.metadata["nbgrader"]["grade_id"]: _test_target(c.source)[1] for c in source.cells
                        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}
            assert sorted(check_of.values()) == sorted(c.name for c in exercise.checks)
            for student, results in students.items():
                tests = {t["name"]: t for t in results[exercise.id]["tests"]}
                notebook = gradebook.find_submission_notebook(exercise.name, exercise.chapter, student)
                for grade in notebook.grades:
                    expected = tests[check_of[grade.name]]
                    assert grade.max_score == expected["max_score"]
                    assert grade.auto_score == pytest.approx(expected["score"]), (student, exercise.id, grade.name)
                    compared += 1
    assert compared == 3 * sum(len(e.checks) for e in exercises)


def test_attacks_cost_only_their_exercise_and_leave_the_gradebook_alone(graded):
    course_dir, _, report = graded
    mallory = by_id(next(s for s in report["submissions"] if s["submission"] == "mallory"))
    assert mallory[OS_EXIT]["score"] == 0
    assert all(t["status"] in ("error", "failed") for t in mallory[OS_EXIT]["tests"])
    # The gradebook rewrite never reached the gradebook: no score above the cell's points.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for student in ("alice", "bob", "mallory"):
            for chapter in CHAPTERS:
                submission = gradebook.find_submission(chapter, student)
                assert submission.max_score < 1000
                assert all(g.auto_score <= g.max_score for n in submission.notebooks for g in n.grades)


def test_feedback_reveals_no_hidden_test(graded):
    course_dir, exercises, _ = graded
    html_files = list((course_dir / "feedback").rglob("*.html"))
    assert html_files
    hidden_names = {c.name for e in exercises for c in e.checks if not c.visible}
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text
        assert "run_check" in text  # the visible checks are shown
        leaked = [name for name in hidden_names if f'"{name}"' in text or f"&quot;{name}&quot;" in text]
        assert not leaked, (path.name, leaked)


def test_released_notebooks_run_the_visible_checks_in_a_kernel_like_dlcourse_check(graded, tmp_path):
    """A student's kernel: the visible test cells of the filled-in release pass, of the stub fail."""
    course_dir, _, _ = graded
    notebook = nbformat.read(course_dir / "submitted" / "alice" / "ch01_perceptron" / "dense_forward.ipynb",
                             as_version=4)
    namespace = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102 -- our own test notebook
    stub = nbformat.read(course_dir / "release" / "ch01_perceptron" / "dense_forward.ipynb", as_version=4)
    namespace = {}
    with pytest.raises(AssertionError, match="NotImplementedError"):
        for cell in stub.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102


def test_rebuilding_keeps_the_instructors_edits(tmp_path):
    course_dir = tmp_path / "course"
    assert run_cli("nbgrader", course_dir, "-c", "ch01_perceptron").returncode == 0
    config = course_dir / "nbgrader_config.py"
    notebook = course_dir / "source" / "ch01_perceptron" / "losses.ipynb"
    config.write_text(config.read_text() + "\nc.Exchange.course_id = 'adla'\n")
    original = notebook.read_text()
    notebook.unlink()
    proc = run_cli("nbgrader", course_dir, "-c", "ch01_perceptron")
    assert proc.returncode == 0
    assert "c.Exchange.course_id = 'adla'" in config.read_text()
    assert "kept nbgrader_config.py" in proc.stderr
    assert notebook.read_text() == original  # a deleted generated file comes back


def test_unknown_chapter_is_one_sentence(tmp_path):
    proc = run_cli("nbgrader", tmp_path / "c", "-c", "ch09_quantum", check=False)
    assert proc.returncode == 2
    assert "there is no chapter 'ch09_quantum'" in proc.stderr
