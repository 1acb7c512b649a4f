"""Assignments: which exercises are handed out together, their weights and due date.

The course file `course.toml` at the course root defines them; `dlcourse grade --assignment`,
`dlcourse nbgrader` and `dlcourse gradescope build` all read this one definition:

    [assignments.ch01_perceptron]
    title = "From the perceptron to a neural network"     # optional
    due = 2025-10-17T23:59:00                             # optional: a TOML date or date-time
    exercises = ["ch01_perceptron", "ch02_training/adam_update"]   # chapters or exercise ids
    weights = { "ch01_perceptron/backprop_two_layer" = 2 }         # optional, default 1

A weight multiplies an exercise's points in the weighted score, reported alongside the raw
points. Without a course file there is one assignment per chapter, named after the chapter.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import tomllib

from dlcourse.grading.course import CHAPTERS, Course, CourseError, Exercise

COURSE_FILE = "course.toml"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_KEYS = ("title", "due", "exercises", "weights")


@dataclasses.dataclass(frozen=True)
class Assignment:
    """One assignment: its exercises in course order, a weight for each, an optional due date."""

    name: str
    exercises: tuple[Exercise, ...]
    weights: dict = dataclasses.field(default_factory=dict)  # {exercise id: weight}, all present
    due: datetime.datetime | None = None
    title: str = ""

    def weight(self, exercise_id: str) -> float:
        return self.weights.get(exercise_id, 1.0)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)

    @property
    def weighted_max_score(self) -> float:
        return sum(self.weight(e.id) * e.max_score for e in self.exercises)

    def describe(self) -> dict:
        """What a report records of the assignment (JSON-ready)."""
        return {"name": self.name, "title": self.title,
                "due": self.due.isoformat() if self.due else None,
                "weights": {e.id: self.weight(e.id) for e in self.exercises}}


def load(course: Course) -> dict[str, Assignment]:
    """{name: Assignment} from the course file, in its order; one per chapter without a file."""
    path = course.root / COURSE_FILE
    if not path.exists():
        chapters = sorted({e.chapter for e in course.exercises}, key=CHAPTERS.index)
        return {c: Assignment(c, tuple(e for e in course.exercises if e.chapter == c)) for c in chapters}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CourseError(f"{path} is not valid TOML ({err}); fix it, or delete it to get one "
                          "assignment per chapter.") from None
    table = data.get("assignments")
    if not isinstance(table, dict) or not table:
        raise CourseError(f"{path} defines no assignments; add a table such as "
                          "[assignments.ch01_perceptron] with exercises = [\"ch01_perceptron\"].")
    extra = sorted(set(data) - {"assignments"})
    if extra:
        raise CourseError(f"{path} has an unknown top-level key {extra[0]!r}; only [assignments.NAME] "
                          "tables belong there.")
    return {name: _assignment(course, path, name, spec) for name, spec in table.items()}


def _assignment(course: Course, path, name: str, spec) -> Assignment:
    where = f"{path}: assignment {name!r}"
    if not _NAME.match(name):
        raise CourseError(f"{where} is not a usable name (it becomes a folder name); use letters, "
                          "digits, '_', '-' and '.', starting with a letter or digit.")
    if not isinstance(spec, dict):
        raise CourseError(f"{where} must be a table ([assignments.{name}]) with an exercises list.")
    unknown = sorted(set(spec) - set(_KEYS))
    if unknown:
        raise CourseError(f"{where} has an unknown key {unknown[0]!r}; the keys are {', '.join(_KEYS)}.")
    names = spec.get("exercises")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise CourseError(f"{where} needs exercises = [...], a non-empty list of chapters or exercise ids "
                          "(`dlcourse list` shows them).")
    chapters = {e.chapter for e in course.exercises}
    ids = {e.id for e in course.exercises}
    chosen = set()
    for item in names:
        item = item.removesuffix(".py")
        if item in chapters:
            chosen |= {e.id for e in course.exercises if e.chapter == item}
        elif item in ids:
            chosen.add(item)
        else:
            raise CourseError(f"{where} names {item!r}, which is neither a chapter with exercises nor an "
                              "exercise id (`dlcourse list` shows them).")
    exercises = tuple(e for e in course.exercises if e.id in chosen)
    weights = spec.get("weights", {})
    if not isinstance(weights, dict):
        raise CourseError(f"{where}: weights must be a table of exercise id = number, e.g. "
                          "weights = { \"ch01_perceptron/losses\" = 2 }.")
    for key, value in weights.items():
        if key not in chosen:
            raise CourseError(f"{where} weights {key!r}, which is not one of its exercises; use an exercise "
                              "id listed in (or in a chapter of) its exercises.")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise CourseError(f"{where}: the weight of {key!r} must be a number >= 0, got {value!r}.")
    title = spec.get("title", "")
    if not isinstance(title, str):
        raise CourseError(f"{where}: title must be a string, got {title!r}.")
    return Assignment(name, exercises, {k: float(v) for k, v in weights.items()},
                      _due(where, spec.get("due")), title)


def _due(where: str, value) -> datetime.datetime | None:
    """A date-time (a bare date means the end of that day); an offset is turned into UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise CourseError(f"{where}: due must be a date or date-time such as 2025-10-17T23:59:00, "
                              f"got {value!r}.") from None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(23, 59, 59))
    raise CourseError(f"{where}: due must be a date or date-time such as 2025-10-17T23:59:00, got {value!r}.")


def find(course: Course, name: str) -> Assignment:
    """The assignment called `name`; an unknown name is one sentence listing the known ones."""
    known = course.assignments
    if name not in known:
        source = f"{course.root / COURSE_FILE}" if (course.root / COURSE_FILE).exists() else \
            "this course (no course.toml: one assignment per chapter)"
        raise CourseError(f"there is no assignment {name!r} in {source}; choose from {', '.join(known)}.")
    return known[name]


def apply(report: dict, assignment: Assignment) -> dict:
    """Record the assignment in a grading report, with each exercise's weight and each
    submission's weighted score; returns the report."""
    report["assignment"] = assignment.describe()
    for sub in report["submissions"]:
        weighted = weighted_max = 0.0
        for ex in sub["exercises"]:
            ex["weight"] = assignment.weight(ex["id"])
            weighted += ex["weight"] * ex["score"]
            weighted_max += ex["weight"] * ex["max_score"]
        sub["weighted_score"] = round(weighted, 4)
        sub["weighted_max_score"] = round(weighted_max, 4)
    return report
