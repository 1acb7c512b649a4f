"""`dlcourse release`: stubs, notebooks and packaged visible checks, and their staleness check."""

import ast
import contextlib
import io
import shutil
import traceback

import nbformat
import pytest

from conftest import ROOT, run_cli
from dlcourse.grading.checks import checks_of
from dlcourse.grading.course import Course
from dlcourse.grading.probe import load_namespace
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


HELPERS_GRADER = '''"""Grader for ch09_demo/x."""

import numpy as np

from dlcourse.grading import check

FORBIDDEN = ("keras",)

SCALE = 3.0
_HINT = "multiply by SCALE"


def _inputs(n):
    return np.arange(n) * SCALE


def _close(student, reference):
    assert np.allclose(student["y"], reference["y"]), _HINT


# The trap: a tie at exactly 0.5.
_TRAP = 0.5


def _tie_image():
    """An image whose windows tie at the threshold."""
    return np.full((4, 4), _TRAP)


@check(points=1, visible=True, compare=_close)
def shown(sub):
    return {"y": sub.f(_inputs(3))}


@check(points=2)
def secret(sub):
    return {"y": sub.f(_tie_image()), "z": sub.f(_inputs(5))}


@check(points=1, visible=True, requires=("secret",))
def shown_property(sub):
    return {"y": sub.f(_inputs(2))}
'''


def test_visible_checks_keep_only_what_they_reach():
    visible = visible_checks_source(HELPERS_GRADER, "graders/ch09_demo/x.py")
    for kept in ('"""Grader for ch09_demo/x."""', "import numpy as np", "FORBIDDEN =", "SCALE = 3.0", "_HINT =",
                 "def _inputs", "def _close", "def shown(", "def shown_property("):
        assert kept in visible, kept
    for dropped in ("secret(", "_tie_image", "_TRAP", "The trap", "windows tie"):
        assert dropped not in visible, dropped
    # The packaged copy loads although `shown_property` requires the hidden check it lacks.
    namespace = load_namespace(visible, "x.py")
    assert [c.name for c in checks_of(namespace, strict=False)] == ["shown", "shown_property"]


def test_a_visible_check_that_calls_a_hidden_one_is_refused():
    grader = ("from dlcourse.grading import check\n"
              "@check(points=1)\ndef secret(sub):\n    return {}\n"
              "@check(points=1, visible=True)\ndef shown(sub):\n    return secret(sub)\n")
    with pytest.raises(ReleaseError, match="uses the hidden check `secret`"):
        visible_checks_source(grader, "graders/ch09_demo/x.py")


def _top_level_names(tree):
    """{name: statement} of a module's functions, classes and assignments."""
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                names.update({n.id: node for n in ast.walk(target) if isinstance(n, ast.Name)})
    return names


def _reads(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def hidden_only_names(exercise):
    """Top-level names of the grader that hidden checks read and nothing else does."""
    tree = ast.parse(exercise.grader.read_text())
    hidden = {c.name for c in exercise.checks if not c.visible}
    readers = {}
    for node in tree.body:
        for name in _reads(node):
            readers.setdefault(name, set()).add(getattr(node, "name", None) or id(node))
    defined = _top_level_names(tree)
    return {name for name in defined if name not in hidden and readers.get(name) and readers[name] <= hidden}


def test_packaged_checks_hold_nothing_only_hidden_checks_use():
    course = Course(ROOT)
    for exercise in course.exercises:
        packaged = (ROOT / "dlcourse" / "checks" / f"{exercise.id}.py").read_text()
        tree = ast.parse(packaged)
        defined = _top_level_names(tree)
        leaked = hidden_only_names(exercise) & (set(defined) | _reads(tree))
        assert not leaked, (exercise.id, sorted(leaked))
        # Whatever else it defines is used by something else in it (so nothing dead ships either).
        checks = {c.name for c in exercise.checks}
        for name, node in defined.items():
            if name not in checks and name != "FORBIDDEN":
                users = [other for other in tree.body if other is not node and name in _reads(other)]
                assert users, (exercise.id, name)
    sliding = (ROOT / "dlcourse" / "checks" / "ch04_cnn" / "sliding_window.py").read_text()
    assert not any(name in sliding for name in ("_square_image", "_zero_one_image", "_contrast"))
    assert "_graph" not in (ROOT / "dlcourse" / "checks" / "ch07_gnn" / "gcn_layer.py").read_text()


def test_packaged_checks_give_a_solution_full_visible_marks():
    for exercise_id in ("ch04_cnn/sliding_window", "ch07_gnn/gcn_layer"):
        proc = run_cli("check", exercise_id, "--path", ROOT / "solutions" / f"{exercise_id}.py")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "passed" in proc.stdout and "failed" not in proc.stdout


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
    for chapter, minimum in {"ch01_perceptron": 6, "ch02_training": 6, "ch03_sequence": 8, "ch04_cnn": 8, "ch06_generative": 8,
                            "ch07_gnn": 10, "ch08_llm": 12}.items():
        assert sum(i.startswith(chapter + "/") for i in ids) >= minimum, chapter


def test_notebooks_are_valid_and_match_the_stubs():
    import jupytext

    for notebook_path in (ROOT / "exercises").rglob("*.ipynb"):
        notebook = nbformat.reads(notebook_path.read_text(), as_version=4)
        nbformat.validate(notebook)
        stub = jupytext.reads(notebook_path.with_suffix(".py").read_text(), fmt="py:percent")
        # The stub's cells, verbatim and in order, then the cell that runs the visible checks.
        *cells, heading, check_cell = notebook.cells
        assert [(c.cell_type, c.source) for c in cells] == [(c.cell_type, c.source) for c in stub.cells], notebook_path
        assert "raise NotImplementedError()" in "".join(c.source for c in cells if c.cell_type == "code")
        exercise_id = notebook_path.relative_to(ROOT / "exercises").with_suffix("").as_posix()
        assert heading.cell_type == "markdown" and "visible checks" in heading.source
        assert check_cell.cell_type == "code" and f'check_notebook("{exercise_id}", globals())' in check_cell.source
        assert "check_notebook" not in notebook_path.with_suffix(".py").read_text()


def _run_cells(sources, origin):
    """Run notebook cells in a fresh namespace as a kernel does; returns what they printed."""
    namespace, out = {"__name__": "__main__"}, io.StringIO()
    with contextlib.redirect_stdout(out):
        for number, source in enumerate(sources):
            exec(compile(source, f"<{origin} cell {number}>", "exec"), namespace)  # noqa: S102 -- the course's own code
    return out.getvalue()


def test_the_last_cell_of_each_notebook_runs_its_visible_checks(restore_legacy_keras_flag):
    """In-process, as in a kernel: a stub's last cell prints a short failure per visible check, a
    solution's cells with that last cell pass every one; nothing raises."""
    import jupytext

    for exercise in Course(ROOT).exercises:
        notebook = jupytext.reads((ROOT / "exercises" / f"{exercise.id}.ipynb").read_text(), fmt="ipynb")
        stub_cells = [c.source for c in notebook.cells if c.cell_type == "code"]
        visible = [c for c in exercise.checks if c.visible]
        assert forbidden_uses(stub_cells[-1], exercise.forbidden) == [], exercise.id  # a submission may keep it
        shown = _run_cells(stub_cells, exercise.id)
        assert "Traceback" not in shown and len(shown.splitlines()) == len(visible) + 1, (exercise.id, shown)
        assert all(f"failed  {c.name} (0/" in shown for c in visible), (exercise.id, shown)
        assert shown.splitlines()[-1].startswith(f"0/{sum(c.points for c in visible):g} point"), shown
        assert "not implemented yet" in shown, (exercise.id, shown)

        solution = jupytext.reads(exercise.solution.read_text(), fmt="py:percent")
        shown = _run_cells([c.source for c in solution.cells if c.cell_type == "code"] + stub_cells[-1:], exercise.id)
        total = sum(c.points for c in visible)
        assert all(f"passed  {c.name} (" in shown for c in visible), (exercise.id, shown)
        assert shown.splitlines()[-1].startswith(f"{total:g}/{total:g} point"), (exercise.id, shown)


def test_a_notebook_in_a_kernel_shows_one_line_per_check_and_no_traceback():
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(ROOT / "exercises" / "ch01_perceptron" / "dense_forward.ipynb", as_version=4)
    # The nbgrader release's visible test cell, as `dlcourse nbgrader` writes it.
    notebook.cells.append(nbformat.v4.new_code_cell(
        'from dlcourse.grading.notebook import run_check\n'
        'run_check("ch01_perceptron/dense_forward", "sigmoid_output", globals())'))
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True).execute()
    check_cell, test_cell = notebook.cells[-2:]
    assert [o.output_type for o in check_cell.outputs] == ["stream"]
    assert check_cell.outputs[0].text.splitlines() == [
        "failed  sigmoid_output (0/1 point): `dense_forward` is not implemented yet: replace its "
        "`raise NotImplementedError()` with your code.",
        "0/1 point on the visible checks of ch01_perceptron/dense_forward; hidden tests run when your work is graded."]
    (error,) = [o for o in test_cell.outputs if o.output_type == "error"]
    assert error.traceback == [f"CheckFailed: sigmoid_output (0/1 point): {error.evalue.split(': ', 1)[1]}"]
    assert "not implemented yet" in error.evalue


def test_a_failing_test_cell_raises_one_short_error():
    from dlcourse.grading.notebook import CheckFailed, run_check

    namespace = {"__name__": "__main__"}
    exec(compile("def dense_forward(x, w, b, activation):\n    return x\n", "<cell>", "exec"), namespace)  # noqa: S102
    with pytest.raises(CheckFailed) as failed:
        run_check("ch01_perceptron/dense_forward", "sigmoid_output", namespace)
    assert isinstance(failed.value, AssertionError)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__
    assert failed.value.args[0].startswith("sigmoid_output (0/1 point): `y` has shape")
    # The error comes from run_check itself, not from frames of the probe or the grader.
    assert [f.name for f in traceback.extract_tb(failed.value.__traceback__)][1:] == ["run_check"]
    exec(compile("def dense_forward(x, w, b, activation):\n    return undefined_name\n", "<cell>", "exec"),  # noqa: S102
         namespace)
    with pytest.raises(CheckFailed, match=r"your code raised NameError: name 'undefined_name' is not defined "
                                          r"\(in `dense_forward`\)"):
        run_check("ch01_perceptron/dense_forward", "sigmoid_output", namespace)
    with pytest.raises(CheckFailed, match="the notebook does not define `dense_forward`"):
        run_check("ch01_perceptron/dense_forward", "sigmoid_output", {"__name__": "__main__"})


def test_a_submitted_notebook_is_graded_as_before_its_check_cell(tmp_path):
    """Graded, a notebook's code is imported as a module, where the check cell does nothing."""
    from dlcourse.grading.release import notebook_text

    exercise_id = "ch01_perceptron/dense_forward"
    answer = tmp_path / "dense_forward.ipynb"
    answer.write_text(notebook_text((ROOT / "solutions" / f"{exercise_id}.py").read_text(), exercise_id))
    proc = run_cli("check", exercise_id, "--path", answer)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli("check", exercise_id, "--path", ROOT / "exercises" / f"{exercise_id}.ipynb")
    assert proc.returncode == 1 and "not implemented yet" in proc.stdout, proc.stdout + proc.stderr


def test_student_bundle_has_stubs_and_no_answers(tmp_path):
    proc = run_cli("release", "--course", _course_copy(tmp_path), "--bundle", tmp_path / "bundle")
    assert proc.returncode == 0, proc.stderr
    files = {p.relative_to(tmp_path / "bundle").as_posix() for p in (tmp_path / "bundle").rglob("*") if p.is_file()}
    for exercise in Course(ROOT).exercises:
        assert f"{exercise.id}.py" in files and f"{exercise.id}.ipynb" in files
    assert not any("BEGIN SOLUTION" in (tmp_path / "bundle" / f).read_text() for f in files)
    again = run_cli("release", "--course", tmp_path / "course", "--bundle", tmp_path / "bundle", check=False)
    assert again.returncode == 2 and "not empty" in again.stderr
