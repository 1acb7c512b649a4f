"""`dlcourse check`: a student runs an exercise's visible checks on their own file."""

from __future__ import annotations

import pathlib

import numpy as np

from dlcourse.grading.checks import checks_of
from dlcourse.grading.course import CHAPTERS, CourseError
from dlcourse.grading.grade import Cache, Task, grade_file, unflatten
from dlcourse.grading.probe import load_namespace
from dlcourse.grading.release import CHECKS_DIR, HASH_KEY


def available(checks_dir: pathlib.Path = CHECKS_DIR) -> list[str]:
    return sorted(
        f"{p.parent.name}/{p.stem}" for chapter in CHAPTERS for p in (checks_dir / chapter).glob("*.py")
    )


def visible_task(exercise_id: str, checks_dir: pathlib.Path = CHECKS_DIR) -> Task:
    source_path = checks_dir / f"{exercise_id}.py"
    golden_path = checks_dir / f"{exercise_id}.npz"
    if not source_path.exists() or not golden_path.exists():
        known = ", ".join(available(checks_dir)) or "none"
        raise CourseError(f"there are no checks for {exercise_id!r}; exercises with checks: {known}.")
    source = source_path.read_text(encoding="utf-8")
    namespace = load_namespace(source, str(source_path))
    with np.load(golden_path, allow_pickle=False) as npz:
        reference = unflatten({k: npz[k] for k in npz.files if k != HASH_KEY})
    return Task(exercise_id, source, checks_of(namespace, strict=False), tuple(namespace.get("FORBIDDEN", ())),
                reference)


def default_path(exercise_id: str) -> pathlib.Path:
    """Where a student's file usually is: ./<id>.py, ./<name>.py, or the .ipynb of either."""
    name = exercise_id.split("/")[-1]
    for candidate in (f"{exercise_id}.py", f"{name}.py", f"{exercise_id}.ipynb", f"{name}.ipynb",
                      f"exercises/{exercise_id}.py", f"exercises/{exercise_id}.ipynb"):
        if pathlib.Path(candidate).is_file():
            return pathlib.Path(candidate)
    raise CourseError(
        f"cannot find your file for {exercise_id}; run from the folder that holds {exercise_id}.py "
        "or pass --path FILE."
    )


def check(exercise_id: str, path: pathlib.Path | None, limits) -> dict:
    """The exercise report of the visible checks on the student's file."""
    task = visible_task(exercise_id)
    path = pathlib.Path(path) if path else default_path(exercise_id)
    if not path.is_file():
        raise CourseError(f"{path} does not exist; pass the file with your solution as --path FILE.")
    report, isolation = grade_file(task, path, limits, hide=[], cache=Cache(None))
    report["isolation"] = isolation or "not needed"
    return report
