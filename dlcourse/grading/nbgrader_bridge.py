"""The nbgrader bridge: `dlcourse nbgrader COURSE_DIR` and the preprocessor that grades in the sandbox.

`dlcourse nbgrader` writes an nbgrader course: `nbgrader_config.py`, and one assignment per
assignment of the course file (`course.toml`; one per chapter without it, or with `-c`) under
`source/`, one notebook per exercise, generated from solutions/:

- the prompt as locked markdown cells;
- each code cell holding a `### BEGIN SOLUTION` region as an autograded-answer cell;
- one locked autograder-test cell per check of graders/, with the check's points. A visible
  check's cell calls `dlcourse.grading.notebook.run_check` (students run it in Jupyter and see
  what `dlcourse check` shows); a hidden check's call sits inside `### BEGIN HIDDEN TESTS`, and
  names the check only: its inputs and code stay in graders/.

Plain nbgrader would execute the test cells in the student's kernel, after the student's code,
where a student can monkeypatch the comparison, exit the kernel or rewrite gradebook.db. The
generated config therefore replaces nbgrader's `Execute` step of `nbgrader autograde` with
`SandboxGrade`: it takes the student's code cells (never the test cells), grades them with the
same code and sandbox as `dlcourse grade`, and writes each test cell's outcome as its output --
an error for no credit, a number for the points earned -- which nbgrader's own `SaveAutoGrades`
then records. Student code never runs in nbgrader's process, and the sandbox hides the
gradebook and every nbgrader folder from it.

The builder never overwrites a file an instructor changed: it records a hash of everything it
wrote in `.dlcourse-nbgrader.json` and only replaces files that still match.
"""

from __future__ import annotations

import ast
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import pathlib

import nbformat
from nbgrader import preprocessors as nbgrader_preprocessors
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer, List, Unicode

from dlcourse.grading.course import CHAPTERS, Course, CourseError, Exercise
from dlcourse.grading.release import BEGIN

MANIFEST = ".dlcourse-nbgrader.json"
_graded_ahead: set[pathlib.Path] = set()  # submission folders whose notebooks were graded ahead
SCHEMA = 3  # nbgrader's cell metadata schema version

CONFIG = '''\
# nbgrader configuration for the dlcourse course, written by `dlcourse nbgrader`.
# Edit freely: once you change this file, `dlcourse nbgrader` leaves it alone.
c = get_config()  # noqa: F821

# `nbgrader autograde` grades each notebook's code in dlcourse's sandbox instead of running
# the test cells in the student's kernel (see "Grading with nbgrader" in dlcourse's README).
c.Autograde.autograde_preprocessors = [
    "dlcourse.grading.nbgrader_bridge.SandboxGrade",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# The dlcourse checkout with solutions/ and graders/, and the sandbox's limits.
c.SandboxGrade.course = {course!r}
c.SandboxGrade.memory_mb = 4096
# Run the sandboxed checks on a Dask cluster (dlcourse[cluster]; README: "Grading on a cluster"):
# c.SandboxGrade.cluster = "tcp://scheduler:8786"

# A test cell a student deleted is put back, and graded like the others. nbgrader's own
# OverwriteCells warns "Attribute 'checksum' ... has changed!" for every hidden-test cell of
# every submission, since the release strips the hidden region by design; dlcourse's warns only
# for a test cell a student really changed.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "dlcourse.grading.nbgrader_bridge.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback shows no hidden-test region (nbgrader #917, #1363). dlcourse's ClearHiddenTests is
# nbgrader's without its "`display_data_priority` not recognized" warning.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "dlcourse.grading.nbgrader_bridge.ClearHiddenTests",
]

# nbgrader 0.9's gradebook under SQLAlchemy 2 warns "Object of type <SubmittedAssignment> not in
# session" while it creates a submission's rows (it adds them right after): noise, not an error.
import warnings  # noqa: E402

warnings.filterwarnings("ignore", message=r"Object of type <Submitted\\w+> not in session", module=r"nbgrader\\.")
'''

CHECKS_HEADER = """## Checks

Each cell below is one test of your work, worth the points it states. Run the visible ones while
you work: they are the checks `dlcourse check` runs. The hidden ones are run when your notebook
is graded. Do not edit or delete these cells."""

RUN_CHECK = 'from dlcourse.grading.notebook import run_check\nrun_check("{id}", "{name}", globals())'


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _points(value) -> str:
    return f"{value:g} point{'s' if value != 1 else ''}"


def test_cell_source(exercise: Exercise, chk) -> str:
    call = RUN_CHECK.format(id=exercise.id, name=chk.name)
    if chk.visible:
        summary = (chk.probe.__doc__ or "").strip().splitlines()
        about = f": {summary[0].rstrip('.')}." if summary else "."
        return f"# Visible check `{chk.name}` ({_points(chk.points)}){about}\n{call}"
    return (f"# Hidden check ({_points(chk.points)}), run when your notebook is graded.\n"
            f"### BEGIN HIDDEN TESTS\n{call}\n### END HIDDEN TESTS")


def source_notebook(exercise: Exercise) -> str:
    """The nbgrader source notebook of one exercise (with its answers), as .ipynb text."""
    import jupytext

    notebook = jupytext.reads(exercise.solution.read_text(encoding="utf-8"), fmt="py:percent")
    cells = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "markdown":
            cell.metadata = _meta(f"prompt_{number}", locked=True)
        elif BEGIN in cell.source:
            cell.metadata = _meta(f"answer_{number}", solution=True)
        else:
            cell.metadata = {}
        cells.append(cell)
    cells.append(nbformat.v4.new_markdown_cell(CHECKS_HEADER, metadata=_meta("checks", locked=True)))
    hidden = 0
    for chk in exercise.checks:
        if chk.visible:
            grade_id = chk.name
        else:
            hidden += 1
            grade_id = f"hidden_check_{hidden}"
        cells.append(nbformat.v4.new_code_cell(
            test_cell_source(exercise, chk),
            metadata=_meta(grade_id, grade=True, locked=True, points=chk.points)))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # reproducible output
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells = cells
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "dlcourse": {"exercise": exercise.id},
    }
    return nbformat.writes(notebook)


# -- building the course folder -----------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    written: list[pathlib.Path]
    unchanged: list[pathlib.Path]
    kept: list[pathlib.Path]  # the instructor changed them; left alone


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def plan(course: Course, chapters=None, assignments=None) -> dict[str, tuple[list[Exercise], object]]:
    """{nbgrader assignment name: (exercises, due date or None)}: one per chapter of `chapters`,
    else one per named assignment of the course file, else one per course-file assignment (one
    per chapter where the course has no course.toml)."""
    if chapters and assignments:
        raise CourseError("pass either --assignment or --chapters, not both (an assignment names its exercises "
                          "in course.toml).")
    if chapters:
        course.select(chapters)  # an unknown chapter is one sentence
        return {c: (course.select([c]), None) for c in sorted(set(chapters), key=CHAPTERS.index)}
    chosen = [course.assignment(name) for name in assignments] if assignments else list(course.assignments.values())
    result = {}
    for assignment in chosen:
        names: dict[str, str] = {}
        for exercise in assignment.exercises:
            if exercise.name in names:
                raise CourseError(f"assignment {assignment.name!r} holds both {names[exercise.name]} and {exercise.id}, "
                                  "which would be the same notebook in nbgrader; put them in different assignments.")
            names[exercise.name] = exercise.id
        result[assignment.name] = (list(assignment.exercises), assignment.due)
    return result


def build(course: Course, root: pathlib.Path, chapters=None, assignments=None) -> Outcome:
    """Create or update the nbgrader course at `root`: one nbgrader assignment per entry of `plan`."""
    root = pathlib.Path(root).resolve()
    planned = plan(course, chapters, assignments)
    if root.exists() and not root.is_dir():
        raise CourseError(f"{root} is a file; pass a folder for the nbgrader course.")
    files = {root / "nbgrader_config.py": CONFIG.format(course=str(course.root))}
    for name, (exercises, _) in planned.items():
        for exercise in exercises:
            files[root / "source" / name / f"{exercise.name}.ipynb"] = source_notebook(exercise)

    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    except ValueError:
        manifest = {}
    outcome = Outcome([], [], [])
    for path, text in files.items():
        key = str(path.relative_to(root))
        if path.exists():
            current = path.read_text(encoding="utf-8")
            if current == text:
                outcome.unchanged.append(path)
                manifest[key] = _sha(text)
                continue
            if manifest.get(key) != _sha(current):
                outcome.kept.append(path)
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        manifest[key] = _sha(text)
        outcome.written.append(path)
    root.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    _register_assignments(root, {name: due for name, (_, due) in planned.items()})
    return outcome


def _register_assignments(root: pathlib.Path, assignments: dict) -> None:
    """The gradebook's assignments (what `nbgrader generate_assignment` expects), with the course
    file's due dates (nbgrader's late penalties read them)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for name, due in assignments.items():
            gradebook.update_or_create_assignment(name, **({"duedate": due} if due else {}))


# -- autograding ---------------------------------------------------------------------------

def _test_target(source: str):
    """(exercise id, check name) that a test cell's `run_check(...)` call names, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "run_check"
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])):
            return node.args[0].value, node.args[1].value
    return None


def test_cells(notebook):
    """[(test cell, (exercise id, check name) or None)] of a notebook, and the one exercise id its
    test cells name (None when they name none); several exercises are a CourseError."""
    from dlcourse.grading.sources import is_test_cell

    tests = [(cell, _test_target(cell.source)) for cell in notebook.cells
             if cell.cell_type == "code" and is_test_cell(cell)]
    ids = {target[0] for _, target in tests if target}
    if len(ids) > 1:
        raise CourseError(f"a notebook's test cells name several exercises ({', '.join(sorted(ids))}); "
                          "regenerate it with `dlcourse nbgrader`.")
    return tests, (ids.pop() if ids else None)


def _stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text + "\n")


def _cell_outputs(test: dict | None, points: float) -> list:
    """The outputs nbgrader's `determine_grade` reads: an error (no credit) or the points earned."""
    if test is None:
        message = ("this test cell names a check the grader does not have; re-run `dlcourse nbgrader` "
                   "and `nbgrader generate_assignment`.")
        return [nbformat.v4.new_output("error", ename="CheckMissing", evalue=message, traceback=[message])]
    if float(test["max_score"]) != float(points):
        message = (f"this cell is worth {points:g} points in the gradebook but {test['max_score']:g} in "
                   "graders/; re-run `dlcourse nbgrader` and `nbgrader generate_assignment`.")
        return [nbformat.v4.new_output("error", ename="PointsChanged", evalue=message, traceback=[message])]
    if test["score"] <= 0:
        message = f"{test['status']}: {test['feedback'] or 'no credit.'}"
        return [nbformat.v4.new_output("error", ename=f"Check{test['status'].capitalize()}",
                                       evalue=test["feedback"], traceback=[message])]
    text = (f"passed ({_points(test['score'])})" if test["status"] == "passed"
            else f"{test['feedback']} ({test['score']:g} of {_points(test['max_score'])})")
    return [_stream(text), nbformat.v4.new_output(
        "execute_result", data={"text/plain": repr(float(test["score"]))}, execution_count=None)]


def private_paths(converter, resources) -> list[pathlib.Path]:
    """nbgrader's files student code must not see: everything in the nbgrader course folder (the
    gradebook, source/, submitted/, grades.csv, ...), the gradebook wherever it is, and the
    exchange (other students' work)."""
    paths = []
    db_url = resources.get("nbgrader", {}).get("db_url", "")
    if db_url.startswith("sqlite:///"):
        paths.append(pathlib.Path(db_url.removeprefix("sqlite:///")))
    coursedir = getattr(converter, "coursedir", None)
    if coursedir is not None:
        root = pathlib.Path(coursedir.root).resolve()
        if root.is_dir():
            paths += sorted(root.iterdir())
    exchange = getattr(getattr(converter, "config", None), "Exchange", None)
    paths.append(pathlib.Path(str(exchange.get("root", "/srv/nbgrader/exchange")) if exchange else "/srv/nbgrader/exchange"))
    return paths


class SandboxGrade(NbGraderPreprocessor):
    """nbgrader autograde step: grade the notebook's code in dlcourse's sandbox, not in a kernel.

    Replaces nbgrader's `Execute`. The test cells it reads are the gradebook's own versions
    (nbgrader's `OverwriteCells` has restored them before this runs), so a student cannot
    redirect them; the student's code is every other code cell, in order.
    """

    course = Unicode("", help="The dlcourse course checkout (with solutions/ and graders/).").tag(config=True)
    memory_mb = Integer(4096, help="Memory limit of the sandboxed child, in MiB.").tag(config=True)
    timeout = Float(None, allow_none=True, help="Cap on every check's wall-clock limit, in seconds.").tag(config=True)
    jobs = Integer(os.cpu_count() or 1, help="Notebooks of one submission graded in parallel.").tag(config=True)
    cluster = Unicode("", help="Run the sandboxed checks on this Dask cluster: a scheduler's address "
                               "(tcp://host:8786) or local:N worker processes (needs dlcourse[cluster]); "
                               "empty: on this machine. References and judging stay here.").tag(config=True)

    def preprocess(self, nb, resources):
        from dlcourse.grading.grade import Cache, NotGraded, grade_source, problem_report, task_for
        from dlcourse.grading.runner import Limits
        from dlcourse.grading.sources import SubmissionProblem, notebook_source

        tests, exercise_id = test_cells(nb)
        if exercise_id is None:
            return nb, resources
        course = Course.find(self.course or None)
        exercise = course.exercise(exercise_id)
        limits = Limits(memory_mb=self.memory_mb, timeout_cap=self.timeout)
        cache = Cache(course.root / ".dlcourse-cache")
        task = task_for(exercise, limits, cache)
        hide = [*course.hidden_paths, *private_paths(self._converter(), resources)]
        run = self._run()
        self._grade_ahead(course, limits, cache, hide, resources, run)
        try:
            source = notebook_source(nb)
            report, isolation = grade_source(task, source, limits, hide, cache, run)
        except (SubmissionProblem, NotGraded) as problem:
            report, isolation = problem_report(task, SubmissionProblem(str(problem))), None
        if isolation and isolation.startswith("none"):
            self.log.warning("dlcourse graded %s WITHOUT isolation: %s", exercise.id, isolation)
        by_name = {t["name"]: t for t in report["tests"]}
        for cell, target in tests:
            test = by_name.get(target[1]) if target else None
            cell.outputs = _cell_outputs(test, float(cell.metadata["nbgrader"]["points"]))
        return nb, resources

    def _run(self):
        """Where the checks run: None (here) or the `cluster` option's Dask runner."""
        if not self.cluster:
            return None
        from dlcourse.grading.cluster import runner_for

        return runner_for(self.cluster, say=self.log.warning)

    def _grade_ahead(self, course, limits, cache, hide, resources, run=None):
        """On a submission's first notebook, grade all its notebooks in parallel into the cache.

        nbgrader hands over one notebook at a time; grading the others ahead, from the submitted
        folder, lets `jobs` children work at once. The result cache is keyed by the code graded,
        so a notebook that nbgrader's sanitizing changes is simply graded again when its turn
        comes: nothing graded ahead is trusted beyond its content.
        """
        from dlcourse.grading.grade import grade_source, task_for
        from dlcourse.grading.sources import notebook_source

        converter = self._converter()
        info = resources.get("nbgrader", {})
        jobs = max(self.jobs, getattr(run, "slots", 0))
        if converter is None or jobs < 2 or "student" not in info:
            return
        folder = pathlib.Path(converter.coursedir.format_path(
            converter.coursedir.submitted_directory, info["student"], info["assignment"]))
        if folder in _graded_ahead or not folder.is_dir():
            return
        _graded_ahead.add(folder)
        work = []
        for path in sorted(folder.glob("*.ipynb")):
            try:
                notebook = nbformat.read(path, as_version=4)
                _, exercise_id = test_cells(notebook)
                task = task_for(course.exercise(exercise_id), limits, cache)
                work.append((task, notebook_source(notebook)))
            except Exception:  # noqa: BLE001 -- anything odd is graded (or refused) in its own turn
                continue
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for future in [pool.submit(grade_source, task, source, limits, hide, cache, run) for task, source in work]:
                if future.exception() is not None:
                    self.log.warning("dlcourse could not grade ahead: %s", future.exception())

    def _converter(self):
        """nbgrader's converter (it knows the course folders): the exporter's parent."""
        node = self.parent
        while node is not None and not hasattr(node, "coursedir"):
            node = getattr(node, "parent", None)
        return node


# -- nbgrader's steps, without their expected warnings ---------------------------------------

class OverwriteCells(nbgrader_preprocessors.OverwriteCells):
    """nbgrader's `OverwriteCells` (it restores every locked cell from the gradebook), without its
    checksum warning for a hidden-test cell that is exactly as `generate_assignment` released it
    (hidden region stripped): that is every hidden-test cell of every submission. A cell a
    student changed is still reported, and restored all the same."""

    def preprocess_cell(self, cell, resources, cell_index):
        self._submitted = cell.get("source")  # before nbgrader puts the gradebook's source back
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._submitted is not None:
            source = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id).source
            if self._submitted == _released(source) != source:
                return
        super().report_change(name, attr, old, new)


def _released(source: str) -> str:
    """A test cell's source as nbgrader releases it: without its hidden-test region."""
    cell = nbformat.v4.new_code_cell(source)
    try:
        nbgrader_preprocessors.ClearHiddenTests()._remove_hidden_test_region(cell)
    except RuntimeError:  # unbalanced markers: nbgrader's own release would have failed
        return source
    return cell.source


class ClearHiddenTests(nbgrader_preprocessors.ClearHiddenTests):
    """nbgrader's `ClearHiddenTests`, for feedback. nbconvert's HTML exporter configures every
    preprocessor's `display_data_priority`, which nbgrader's declares without `config=True`, so
    traitlets warned that the option is not recognized; here it is a (harmless) option."""

    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
                                  "image/jpeg", "text/plain"]).tag(config=True)
