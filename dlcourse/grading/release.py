"""`dlcourse release`: exercises/ and the packaged visible checks, generated from the course.

- exercises/<id>.py: the solution with each `### BEGIN SOLUTION` ... `### END SOLUTION` region
  replaced by `# YOUR CODE HERE` and `raise NotImplementedError()` (nbgrader's convention) at
  the region's indentation; everything else verbatim.
- exercises/<id>.ipynb: the same stub as a notebook, for students who work in Jupyter, with a
  last cell that runs the visible checks in the kernel (`dlcourse.grading.notebook`).
- dlcourse/checks/<id>.py: the grader's visible checks and only what they use (no hidden check,
  nor a helper only hidden checks use) -- what `dlcourse check` runs -- and
  dlcourse/checks/<id>.npz: the reference's outputs on those visible checks, tagged with the
  hash of the sources they came from.
"""

from __future__ import annotations

import ast
import dataclasses
import pathlib

import numpy as np

from dlcourse.grading.course import Course, CourseError, Exercise
from dlcourse.grading.grade import content_key

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
HASH_KEY = "__source_hash__"
CHECKS_DIR = pathlib.Path(__file__).resolve().parent.parent / "checks"


def checks_dir_of(course: Course) -> pathlib.Path:
    """Where a course's visible checks go: into the package when the course is this repository
    (so they ship in the wheel), else into the course's own checks/ folder."""
    packaged = course.root / "dlcourse" / "checks"
    return packaged if packaged.is_dir() else course.root / "checks"


class ReleaseError(CourseError):
    pass


def stub_source(source: str, origin: str = "<solution>") -> str:
    """The student's version of a solution: marked regions become the nbgrader stub."""
    out, inside, begin_line = [], False, 0
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ReleaseError(f"{origin}:{number} opens a solution region inside another; close the one from line {begin_line}.")
            inside, begin_line = True, number
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(f"{indent}{text}\n" for text in STUB)
        elif marker == END:
            if not inside:
                raise ReleaseError(f"{origin}:{number} closes a solution region that was never opened.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{origin}:{begin_line} opens a solution region that is never closed; add `{END}`.")
    if not begin_line:
        raise ReleaseError(f"{origin} has no `{BEGIN}` region, so the stub would give the answer away.")
    return "".join(out)


CHECK_HEADING = """## Check your work

Run the cell below to run this exercise's visible checks (those of `dlcourse check`) on the
functions you defined above. The hidden tests run when your work is graded. (In Colab, first run
`!pip install dlcourse`.)"""

CHECK_CELL = 'from dlcourse.grading.notebook import check_notebook\n\ncheck_notebook("{id}", globals())'


def notebook_text(py_source: str, exercise_id: str | None = None) -> str:
    """The stub as a notebook: its cells, then (given `exercise_id`) a last cell that runs the
    visible checks. The .py stub has no such cell: `dlcourse check` is its way."""
    from dlcourse.grading.sources import import_jupytext

    jupytext = import_jupytext()
    import nbformat

    notebook = jupytext.reads(py_source, fmt="py:percent")
    if exercise_id is not None:
        notebook.cells += [nbformat.v4.new_markdown_cell(CHECK_HEADING),
                           nbformat.v4.new_code_cell(CHECK_CELL.format(id=exercise_id))]
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"  # nbformat's ids are random; a release must be reproducible
    notebook.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return jupytext.writes(notebook, fmt="ipynb")


def visible_checks_source(grader_source: str, origin: str = "<grader>") -> str:
    """The grader's source as students get it: its visible checks and only what they reach.

    Kept: the module docstring, imports, FORBIDDEN, the visible checks (decorators included: a
    `compare=` or `hint=` they name), and every module-level function, class and assignment
    those reach, transitively. Dropped: the hidden checks and every other top-level definition
    -- a helper that builds a hidden check's inputs, or whose docstring explains the trap it
    sets, stays in graders/. A comment above a statement goes with it. A visible check's
    `requires=` may still name a hidden check: the packaged copy is loaded with
    `checks_of(..., strict=False)`, which allows that.
    """
    tree = ast.parse(grader_source)
    body = tree.body
    defines = [_defined_names(node) for node in body]
    keep = set()
    for index, node in enumerate(body):
        if isinstance(node, (ast.Import, ast.ImportFrom)) or "FORBIDDEN" in defines[index] or (
                index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            keep.add(index)
        elif _check_decorator(node) is not None:
            if not _is_hidden_check(node):
                keep.add(index)
        elif not defines[index]:
            keep.add(index)  # a bare statement runs when the module loads: keep it and what it uses
    hidden = {node.name for node in body if _is_hidden_check(node)}
    pending = list(keep)
    while pending:
        user = body[pending.pop()]
        wanted = _used_names(user)
        if wanted & hidden:
            raise ReleaseError(f"{origin}:{user.lineno} uses the hidden check `{min(wanted & hidden)}` outside the "
                               "hidden checks, so it would ship to students; move the code they share into a helper "
                               "function.")
        for index, names in enumerate(defines):
            if index not in keep and names & wanted:
                keep.add(index)
                pending.append(index)
    lines = grader_source.splitlines(keepends=True)
    kept, start = [], 0  # a statement's span starts after the previous one ends: its comments go with it
    for index, node in enumerate(body):
        end = len(lines) if index == len(body) - 1 else node.end_lineno
        if index in keep:
            kept.extend(lines[start:end])
        start = end
    header = f'# Generated by `dlcourse release` from the visible checks of {origin}; do not edit.\n'
    return header + "".join(kept)


def _defined_names(node: ast.stmt) -> set[str]:
    """The module-level names a top-level statement binds (imports aside)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:
        return set()
    return {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}


def _used_names(node: ast.stmt) -> set[str]:
    """Every name a statement reads, decorators and default values included."""
    return {name.id for name in ast.walk(node) if isinstance(name, ast.Name) and not isinstance(name.ctx, ast.Store)}


def _check_decorator(node: ast.stmt):
    """The `@check(...)` call decorating a top-level function, else None."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", getattr(decorator.func, "attr", "")) == "check":
            return decorator
    return None


def _is_hidden_check(node: ast.stmt) -> bool:
    decorator = _check_decorator(node)
    if decorator is None:
        return False
    for keyword in decorator.keywords:
        if keyword.arg == "visible":
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is True)
    return True


@dataclasses.dataclass
class Plan:
    """Every file a release writes: {path: text}, and the golden files to (re)compute."""

    texts: dict[pathlib.Path, str]
    golden: dict[pathlib.Path, tuple[Exercise, str, str]]  # path -> (exercise, checks source, hash)
    owned: list[pathlib.Path]  # folders whose other files are stale


def plan(course: Course, checks_dir: pathlib.Path | None = None) -> Plan:
    checks_dir = checks_dir or checks_dir_of(course)
    texts, golden = {}, {}
    for exercise in course.exercises:
        solution = exercise.solution.read_text(encoding="utf-8")
        stub = stub_source(solution, str(exercise.solution.relative_to(course.root)))
        texts[course.root / "exercises" / f"{exercise.id}.py"] = stub
        texts[course.root / "exercises" / f"{exercise.id}.ipynb"] = notebook_text(stub, exercise.id)
        grader = exercise.grader.read_text(encoding="utf-8")
        checks_source = visible_checks_source(grader, f"graders/{exercise.id}.py")
        if not any(c.visible for c in exercise.checks):
            raise ReleaseError(f"graders/{exercise.id}.py has no visible check; mark one @check(..., visible=True) so students can test their work.")
        texts[checks_dir / f"{exercise.id}.py"] = checks_source
        golden[checks_dir / f"{exercise.id}.npz"] = (exercise, checks_source, content_key(solution, checks_source))
    return Plan(texts, golden, [course.root / "exercises", checks_dir])


def stale(course: Course, checks_dir: pathlib.Path | None = None) -> list[str]:
    """Generated files that differ from what `release` would write now (empty: up to date)."""
    p = plan(course, checks_dir)
    problems = []
    for path, text in p.texts.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            problems.append(f"{_show(path, course)} differs from a fresh release")
    for path, (_, _, digest) in p.golden.items():
        if _stored_hash(path) != digest:
            problems.append(f"{_show(path, course)} holds reference outputs of older sources")
    expected = set(p.texts) | set(p.golden)
    for folder in p.owned:
        for path in _generated_files(folder):
            if path not in expected:
                problems.append(f"{_show(path, course)} has no source in solutions/ or graders/")
    return problems


def _generated_files(folder: pathlib.Path):
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb", ".npz")
            and p.name != "__init__.py" and "__pycache__" not in p.parts]


def _stored_hash(path: pathlib.Path) -> str | None:
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            return str(npz[HASH_KEY]) if HASH_KEY in npz.files else None
    except (OSError, ValueError):
        return None


def _show(path, course):
    try:
        return str(path.relative_to(course.root))
    except ValueError:
        return str(path)


def release(course: Course, limits, checks_dir: pathlib.Path | None = None, log=print) -> list[pathlib.Path]:
    """Write every generated file that changed; returns the paths written or removed."""
    from dlcourse.grading.grade import Cache, _flatten, reference_results

    p = plan(course, checks_dir)
    changed = []
    for path, text in p.texts.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path, (exercise, _, digest) in p.golden.items():
        if _stored_hash(path) == digest:
            continue
        log(f"computing reference outputs of {exercise.id}'s visible checks")
        visible = [c for c in exercise.checks if c.visible]
        arrays = _flatten(reference_results(exercise, limits, Cache(None), visible))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **arrays, **{HASH_KEY: np.array(digest)})
        changed.append(path)
    expected = set(p.texts) | set(p.golden)
    for folder in p.owned:
        for path in _generated_files(folder):
            if path not in expected:
                path.unlink()
                changed.append(path)
    return changed


BUNDLE_README = """# {title}

One file per exercise, as a Python script (.py) and as a notebook (.ipynb): work in either.
Each file's docstring is the task. Replace every `raise NotImplementedError()`.

Check your work (visible checks only; hidden tests run at grading time):

    pip install dlcourse
    dlcourse check ch01_perceptron/dense_forward

In a notebook, run its last cell (`check_notebook(...)`) instead.

Submit this folder (or a .zip of it) with the same layout.
"""


def write_bundle(course: Course, folder: pathlib.Path) -> pathlib.Path:
    """Copy the released stubs and notebooks to `folder`, with a short README for students."""
    import shutil

    if folder.exists() and any(folder.iterdir()):
        raise CourseError(f"{folder} is not empty; choose a new folder for the student bundle.")
    shutil.copytree(course.root / "exercises", folder, dirs_exist_ok=True)
    (folder / "README.md").write_text(BUNDLE_README.format(title="Advanced Deep Learning Architecture: exercises"))
    return folder
