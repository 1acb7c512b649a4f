"""Checks inside a Jupyter kernel: the last cell of each exercise notebook, and the test cells
of dlcourse's nbgrader notebooks.

- `check_notebook(exercise_id, globals())` runs all of an exercise's visible checks on the
  functions the notebook defined and prints one line per check and the total -- never a
  traceback. It is the last cell of every notebook in exercises/.
- `run_check(exercise_id, check_name, globals())` runs one check, for an nbgrader test cell: it
  raises CheckFailed, an AssertionError that Jupyter shows as one line with the feedback, when
  the check fails (nbgrader's signal).

Either gives the same verdict as `dlcourse check`: the probe runs on the notebook's functions, and
its results are compared with the reference outputs that ship with dlcourse. This runs in the
student's own kernel, so it is a convenience and never a grade: a submitted notebook is graded
in the sandbox (`dlcourse grade`, or `dlcourse.grading.nbgrader_bridge.SandboxGrade` under
nbgrader), which imports its code as a module -- and there `check_notebook` does nothing.
"""

from __future__ import annotations

import linecache
import os
import traceback
import types

from dlcourse.grading.checks import compare_results, judge
from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.probe import run_probe


class CheckFailed(AssertionError):
    """A visible check failed; the message is the feedback. Jupyter shows it as that one line,
    without a traceback (IPython's `_render_traceback_` hook): nothing in the traceback is the
    student's to fix."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def check_notebook(exercise_id: str, namespace: dict) -> None:
    """Run the visible checks of `exercise_id` on the code defined in `namespace` (`globals()`).

    Prints one line per check (passed, or the feedback of `dlcourse check`) and the points of
    the visible checks; raises nothing. Does nothing outside a notebook's own namespace (whose
    `__name__` is "__main__"), i.e. when the notebook's code is imported to be graded.
    """
    if namespace.get("__name__") != "__main__":
        return
    from dlcourse.grading.student import visible_task

    try:
        task = visible_task(exercise_id)
    except CourseError as err:
        print(f"cannot check this notebook: {err}")
        return
    results = {chk.name: _judge_one(chk, namespace, task.reference[chk.name]) for chk in task.checks}
    judged = judge(task.checks, results)
    earned = 0.0
    for chk in task.checks:
        fraction, feedback = judged[chk.name]
        earned += chk.points * fraction
        if fraction >= 1.0:
            print(f"passed  {chk.name} ({_points(chk.points)})")
        else:
            print(f"failed  {chk.name} ({chk.points * fraction:g}/{_points(chk.points)}): {feedback}")
    total = sum(chk.points for chk in task.checks)
    print(f"{earned:g}/{_points(total)} on the visible checks of {exercise_id}; "
          "hidden tests run when your work is graded.")


def run_check(exercise_id: str, check_name: str, namespace: dict):
    """Run check `check_name` of `exercise_id` on the code defined in `namespace` (`globals()`).

    Prints what `dlcourse check` prints for it. Returns None on full marks, the points earned on
    partial credit (nbgrader's convention), and raises CheckFailed (an AssertionError) with the
    feedback when the check fails.
    """
    chk, reference = _find(exercise_id, check_name)
    if chk is None:
        print("This hidden check runs when your notebook is graded.")
        return None
    fraction, feedback = _judge_one(chk, namespace, reference)
    if fraction <= 0.0:
        raise CheckFailed(f"{chk.name} (0/{_points(chk.points)}): {feedback}") from None
    if fraction < 1.0:
        print(f"{chk.name}: {feedback}")
        return round(chk.points * fraction, 4)
    print(f"passed: {chk.name} ({_points(chk.points)})")
    return None


def _points(value: float) -> str:
    return f"{value:g} point{'s' if value != 1 else ''}"


def _judge_one(chk, namespace: dict, reference: dict) -> tuple[float, str]:
    """(fraction, feedback) of one check on the notebook's code; an error in that code is the
    feedback, in one sentence, never a traceback."""
    module = types.SimpleNamespace(**namespace)
    try:
        results = run_probe(chk, module)
    except Exception as err:  # noqa: BLE001 -- any error in the student's code fails the check
        return 0.0, _error_feedback(err, module, namespace)
    return compare_results(chk, results, reference)


def _error_feedback(err: BaseException, module, namespace: dict) -> str:
    frames = _notebook_frames(err, namespace)
    if isinstance(err, NotImplementedError):
        name = f"`{frames[-1][0]}`" if frames else "this part"
        return f"{name} is not implemented yet: replace its `raise NotImplementedError()` with your code."
    if isinstance(err, AttributeError) and getattr(err, "obj", None) is module:
        return f"the notebook does not define `{err.name}`, which this check calls; run the cell that defines it."
    message = str(err) if len(str(err)) <= 200 else str(err)[:197] + "..."
    where = ""
    if frames:
        name, line = frames[-1]
        where = f" (in `{name}`: {line})" if line else f" (in `{name}`)"
    return f"your code raised {type(err).__name__}: {message}{where}"


def _notebook_frames(err: BaseException, namespace: dict) -> list[tuple[str, str]]:
    """[(qualified name, source line)] of the traceback's frames in code the notebook defined
    (its functions and methods), innermost last."""
    files = set()
    for value in namespace.values():
        members = vars(value).values() if isinstance(value, type) else (value,)
        for member in members:
            code = getattr(member, "__code__", None)
            if code is not None and getattr(member, "__module__", None) == namespace.get("__name__"):
                files.add(code.co_filename)
    frames = []
    for frame, line in traceback.walk_tb(err.__traceback__):
        if frame.f_code.co_filename in files:
            text = linecache.getline(frame.f_code.co_filename, line, frame.f_globals).strip()
            frames.append((frame.f_code.co_qualname, text))
    return frames


def _find(exercise_id, check_name):
    """(check, reference arrays) from the packaged visible checks, else from the instructor's
    course checkout (for hidden checks, when one is found); (None, None) when neither has it."""
    from dlcourse.grading.student import visible_task

    try:
        task = visible_task(exercise_id)
    except CourseError:
        task = None
    if task is not None:
        for chk in task.checks:
            if chk.name == check_name:
                return chk, task.reference[chk.name]
    try:
        course = Course.find(os.environ.get("DLCOURSE_COURSE"))
        exercise = course.exercise(exercise_id)
    except CourseError:
        return None, None
    from dlcourse.grading.grade import Cache, reference_results
    from dlcourse.grading.runner import Limits

    for chk in exercise.checks:
        if chk.name == check_name:
            reference = reference_results(exercise, Limits(), Cache(course.root / ".dlcourse-cache"))
            return chk, reference[chk.name]
    return None, None
