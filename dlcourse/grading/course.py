"""The instructor's course checkout: solutions/, graders/, exercises/, and its exercises."""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import pathlib
import re

from dlcourse.grading.checks import Check, checks_of
from dlcourse.grading.probe import load_namespace
from dlcourse.lecture import LectureReferenceError, references

CHAPTERS = (
    "ch01_perceptron",
    "ch02_training",
    "ch03_sequence",
    "ch04_cnn",
    "ch05_nlp",
    "ch06_generative",
    "ch07_gnn",
    "ch08_llm",
)
TITLE = re.compile(r"^(?P<title>.+?)\s*\((?P<points>\d+(?:\.\d+)?) points?\)\s*$")


class CourseError(Exception):
    """A problem with the course checkout or the command line; its message is one sentence."""


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise: `solutions/<id>.py` (the reference and prompt) and `graders/<id>.py`."""

    id: str
    solution: pathlib.Path
    grader: pathlib.Path

    @property
    def name(self) -> str:
        return self.id.split("/")[-1]

    @property
    def chapter(self) -> str:
        return self.id.split("/")[0]

    @functools.cached_property
    def grader_namespace(self) -> dict:
        return load_namespace(self.grader.read_text(encoding="utf-8"), str(self.grader))

    @property
    def checks(self) -> list[Check]:
        return checks_of(self.grader_namespace)

    @property
    def forbidden(self) -> tuple[str, ...]:
        return tuple(self.grader_namespace.get("FORBIDDEN", ()))

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def prompt(self) -> str:
        return ast.get_docstring(ast.parse(self.solution.read_text(encoding="utf-8"))) or ""

    @property
    def title(self) -> str:
        match = self._title_line()
        return match.group("title") if match else (self.prompt.strip().splitlines() or [self.name])[0]

    @property
    def stated_points(self) -> float | None:
        """The points the prompt's first line announces, "Title (N points)"."""
        match = self._title_line()
        return float(match.group("points")) if match else None

    @property
    def lecture(self) -> list[tuple[str, str]]:
        """The notes' sections the prompt's `Lecture:` line names, as (number, title) pairs."""
        try:
            return references(self.prompt)
        except LectureReferenceError as err:
            raise CourseError(f"solutions/{self.id}.py: {err}") from None

    def _title_line(self):
        lines = self.prompt.strip().splitlines()
        return TITLE.match(lines[0]) if lines else None

    def fingerprint(self) -> str:
        """Changes whenever the reference or the grader changes."""
        digest = hashlib.sha256()
        for path in (self.solution, self.grader):
            digest.update(path.read_bytes())
        return digest.hexdigest()[:20]


@dataclasses.dataclass
class Course:
    root: pathlib.Path

    @classmethod
    def find(cls, course: str | None = None) -> "Course":
        """The course at `course`, or the nearest folder above the current one with
        solutions/ and graders/."""
        if course:
            root = pathlib.Path(course).resolve()
            if not (root / "solutions").is_dir() or not (root / "graders").is_dir():
                raise CourseError(
                    f"{root} is not a course checkout: it needs solutions/ and graders/ folders."
                )
            return cls(root)
        here = pathlib.Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / "solutions").is_dir() and (folder / "graders").is_dir():
                return cls(folder)
        raise CourseError(
            "no course checkout found here or above (a folder with solutions/ and graders/); "
            "run inside the course checkout or pass --course DIR."
        )

    @functools.cached_property
    def exercises(self) -> list[Exercise]:
        found = []
        for chapter in CHAPTERS:
            for solution in sorted((self.root / "solutions" / chapter).glob("*.py")):
                if solution.name.startswith("_"):
                    continue
                grader = self.root / "graders" / chapter / solution.name
                if grader.exists():
                    found.append(Exercise(f"{chapter}/{solution.stem}", solution, grader))
        return found

    def select(self, chapters=()) -> list[Exercise]:
        """The exercises of `chapters` (every exercise when empty); an unknown chapter is an error."""
        known = sorted({e.chapter for e in self.exercises}, key=CHAPTERS.index)
        for chapter in chapters:
            if chapter not in known:
                raise CourseError(f"there is no chapter {chapter!r} with exercises; choose from {', '.join(known)}.")
        return [e for e in self.exercises if not chapters or e.chapter in chapters]

    @functools.cached_property
    def assignments(self) -> dict:
        """{name: Assignment} from the course file `course.toml` (one per chapter without it)."""
        from dlcourse.grading.assignments import load

        return load(self)

    def assignment(self, name: str):
        """The assignment `name`; an unknown one is a CourseError listing the known ones."""
        from dlcourse.grading.assignments import find

        return find(self, name)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise CourseError(
            f"there is no exercise {exercise_id!r}; ids look like 'ch01_perceptron/dense_forward' "
            f"(`dlcourse list` shows them)."
        )

    @property
    def hidden_paths(self) -> list[pathlib.Path]:
        """What student code must never see: everything in the checkout but the dlcourse package
        it may be running from (solutions/, graders/, the cache, and .git, whose history holds
        the answers too), and any .git folder above the checkout."""
        package = pathlib.Path(__file__).resolve().parent.parent
        paths = [p for p in sorted(self.root.iterdir()) if p.resolve() != package]
        paths += [folder / ".git" for folder in self.root.parents if (folder / ".git").exists()]
        return paths
