"""Checks inside a Jupyter kernel: what the test cells of dlcourse's nbgrader notebooks call.

A student who runs a visible test cell gets the same check as `dlcourse check`: the probe runs on
the functions the notebook defined, and its results are compared with the reference outputs that
ship with dlcourse. This runs in the student's own kernel, so it is a convenience and never a
grade: when the notebook is autograded, `dlcourse.grading.nbgrader_bridge.SandboxGrade` grades
the notebook's code in the sandbox and writes each test cell's result itself.
"""

from __future__ import annotations

import os
import types

from dlcourse.grading.checks import compare_results
from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.probe import run_probe


def run_check(exercise_id: str, check_name: str, namespace: dict):
    """Run check `check_name` of `exercise_id` on the code defined in `namespace` (`globals()`).

    Prints what `dlcourse check` prints for it. Returns None on full marks, the points earned on
    partial credit (nbgrader's convention), and raises AssertionError with the feedback when the
    check fails.
    """
    chk, reference = _find(exercise_id, check_name)
    if chk is None:
        print("This hidden check runs when your notebook is graded.")
        return None
    points = f"{chk.points:g} point{'s' if chk.points != 1 else ''}"
    try:
        results = run_probe(chk, types.SimpleNamespace(**namespace))
    except Exception as err:  # noqa: BLE001 -- any error in the student's code fails the check
        raise AssertionError(f"{chk.name} (0/{points}): your code raised {type(err).__name__}: {err}") from err
    fraction, feedback = compare_results(chk, results, reference)
    if fraction <= 0.0:
        raise AssertionError(f"{chk.name} (0/{points}): {feedback}")
    if fraction < 1.0:
        print(f"{chk.name}: {feedback}")
        return round(chk.points * fraction, 4)
    print(f"passed: {chk.name} ({points})")
    return None


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
