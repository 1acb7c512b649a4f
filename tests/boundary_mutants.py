"""One-token boundary mutants of the reference answers, and which of them keep full marks.

A *boundary mutant* changes one token inside a solution's `### BEGIN SOLUTION` region the way
an off-by-one slip does: a comparison loses or gains its equality (`<` <-> `<=`, `>` <-> `>=`),
or an integer literal moves by one (`0` -> `1`, `2` -> `1`, `2` -> `3`). Every boundary a prompt
states or implies (the smallest legal argument, an empty or one-element input, a threshold hit
exactly, boxes in [0, 1] rather than pixels) is such a token in the reference. A grader that
lets the mutant keep full marks never tries that edge.

A surviving mutant is either a gap in the grader (add a check that tries the edge) or truly
equivalent to the reference (`<=` for `<` between continuous floats that never tie, an axis of a
symmetric matrix). Equivalents are declared, each with a one-line reason, in the
`EQUIVALENT_MUTANTS` dict of the exercise's file in tests/mistakes/:

    EQUIVALENT_MUTANTS = {
        ("ch04_cnn/iou", "keep = scores > threshold", ">", ">="):
            "scores are continuous uniform draws, so none equals the threshold",
    }

keyed by (exercise id, the mutated line with its indentation stripped, old token, new token).
tests/test_boundary_mutants.py fails on any undeclared survivor and on any declaration that no
longer matches a surviving mutant.

Run it by hand to see an exercise's survivors while writing its grader:

    python tests/boundary_mutants.py ch04_cnn/iou ch04_cnn/nms      # or a chapter: ch04_cnn
"""

from __future__ import annotations

import dataclasses
import io
import pathlib
import runpy
import sys
import tokenize

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # for tests/inprocess.py when run as a script
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
RELATIONAL = {"<": ("<=",), "<=": ("<",), ">": (">=",), ">=": (">",)}


@dataclasses.dataclass(frozen=True)
class Mutant:
    exercise: str
    line: int  # 1-based line of the solution file
    col: int
    old: str
    new: str
    text: str  # the mutated line, stripped

    @property
    def key(self):
        return (self.exercise, self.text, self.old, self.new)

    def apply(self, source: str) -> str:
        lines = source.splitlines(keepends=True)
        row = lines[self.line - 1]
        assert row[self.col:self.col + len(self.old)] == self.old
        lines[self.line - 1] = row[:self.col] + self.new + row[self.col + len(self.old):]
        return "".join(lines)

    def __str__(self):
        return f"{self.exercise}:{self.line}: `{self.text}`  {self.old!r} -> {self.new!r}"


def _answer_lines(source: str) -> set[int]:
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def mutants(exercise: str) -> list[Mutant]:
    """Every boundary mutant of the answer regions of solutions/<exercise>.py, in source order."""
    source = (ROOT / "solutions" / f"{exercise}.py").read_text()
    answer = _answer_lines(source)
    lines = source.splitlines()
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        row, col = tok.start
        if row not in answer:
            continue
        if tok.type == tokenize.OP and tok.string in RELATIONAL:
            replacements = RELATIONAL[tok.string]
        elif tok.type == tokenize.NUMBER and tok.string.isdigit():
            value = int(tok.string)
            replacements = tuple(str(v) for v in (value - 1, value + 1) if v >= 0)
        else:
            continue
        for new in replacements:
            found.append(Mutant(exercise, row, col, tok.string, new, lines[row - 1].strip()))
    return found


def declared_equivalents() -> dict:
    """Every EQUIVALENT_MUTANTS entry of tests/mistakes/*.py, merged."""
    declared = {}
    for part in sorted((ROOT / "tests" / "mistakes").glob("*.py")):
        declared.update(runpy.run_path(str(part)).get("EQUIVALENT_MUTANTS", {}))
    return declared


def survivors(exercise: str, log=None) -> list[Mutant]:
    """The mutants of `exercise` that its grader gives full marks, graded in this process
    (tests/inprocess.py: the mutants are the reference's own code, so no sandbox is needed)."""
    from inprocess import ExerciseGrader

    grader = ExerciseGrader(exercise)
    source = grader.solution.read_text()
    scratch = ROOT / ".dlcourse-cache" / "mutants"
    scratch.mkdir(parents=True, exist_ok=True)
    alive = []
    for index, mutant in enumerate(mutants(exercise)):
        path = scratch / f"{grader.tag}_{index}.py"
        path.write_text(mutant.apply(source))
        scores = grader.score(grader.load(path, f"mutant_{index}"), stop_below_full=True)
        path.unlink()
        if len(scores) == len(grader.checks) and all(fraction >= 1.0 for fraction, _ in scores.values()):
            alive.append(mutant)
            if log:
                log(f"survives: {mutant}")
    return alive


def _exercises(names):
    from dlcourse.grading.course import Course

    course = Course(ROOT)
    ids = [e.id for e in course.exercises]
    if not names:
        return ids
    chosen = [i for i in ids if any(i == n or i.startswith(n.rstrip("/") + "/") for n in names)]
    unknown = [n for n in names if not any(i == n or i.startswith(n.rstrip("/") + "/") for i in ids)]
    if unknown:
        sys.exit(f"no exercise or chapter {', '.join(unknown)}; ids look like ch04_cnn/iou.")
    return chosen


if __name__ == "__main__":
    declared = declared_equivalents()
    undeclared = 0
    for exercise in _exercises(sys.argv[1:]):
        found = mutants(exercise)
        alive = survivors(exercise)
        print(f"{exercise}: {len(found)} mutants, {len(alive)} keep full marks")
        for mutant in alive:
            reason = declared.get(mutant.key)
            undeclared += reason is None
            print(f"    {mutant}" + (f"   [equivalent: {reason}]" if reason else "   [UNDECLARED]"))
            if reason is None:
                print(f"        key: {mutant.key!r}")
    sys.exit(1 if undeclared else 0)
