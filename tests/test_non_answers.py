"""A non-answer scores nothing on any exercise, present or future.

For every exercise, each function (or method) of the reference solution that holds an answer
region is replaced, all at once, by one non-answer: `return numpy.zeros(1)`, `return None`,
return its first argument unchanged, return zeros or ones of the reference's own output shape
(learned by calling the reference), `raise NotImplementedError`, or `raise ValueError` on every
input. Each variant must earn 0 points; one that earns any names the check to fix -- usually a
property check (no mutation, uniformity, reproducibility, a round trip) that should say which
check's correct result it presupposes, with `@check(..., requires=...)`.
"""

import ast
import functools
import inspect

import numpy as np
import pytest

from dlcourse.grading.course import Course
from inprocess import ROOT, ExerciseGrader

BEGIN = "### BEGIN SOLUTION"


def _first_argument(args, kwargs):
    return args[0] if args else next(iter(kwargs.values()), None)


def _constant_like(value, fill):
    if isinstance(value, (tuple, list)):
        return type(value)(_constant_like(v, fill) for v in value)
    if isinstance(value, dict):
        return {k: _constant_like(v, fill) for k, v in value.items()}
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 -- not array-like (a model, a generator): no answer at all
        return None
    if array.dtype.kind not in "biufc":
        return None
    return np.full_like(array, fill)


def _raise(kind):
    def body(*args, **kwargs):
        raise kind("not an answer")
    return body


NON_ANSWERS = {
    "zeros(1)": lambda original: lambda *a, **k: np.zeros(1),
    "None": lambda original: lambda *a, **k: None,
    "first argument": lambda original: lambda *a, **k: _first_argument(a, k),
    "zeros of the right shape": lambda original: lambda *a, **k: _constant_like(original(*a, **k), 0),
    "ones of the right shape": lambda original: lambda *a, **k: _constant_like(original(*a, **k), 1),
    "NotImplementedError": lambda original: _raise(NotImplementedError),
    "ValueError always": lambda original: _raise(ValueError),
}


def answer_functions(source: str) -> list[tuple[str | None, str]]:
    """(class name or None, function name) of every function whose body holds an answer region."""
    lines = source.splitlines()
    regions = [i + 1 for i, line in enumerate(lines) if line.strip() == BEGIN]
    found = []

    def visit(node, owner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(child.lineno < r <= child.end_lineno for r in regions):
                    found.append((owner, child.name))
            elif isinstance(child, ast.ClassDef) and owner is None:
                visit(child, child.name)

    visit(ast.parse(source), None)
    return found


def _patch(module, targets, make):
    for owner, name in targets:
        holder = getattr(module, owner) if owner else module
        original = inspect.getattr_static(holder, name)
        if isinstance(original, (staticmethod, classmethod)):
            continue
        if owner:  # a method: the non-answer sees the arguments after self

            def method(self, *a, _original=original, **k):
                return make(functools.partial(_original, self))(*a, **k)

            setattr(holder, name, functools.wraps(original)(method))
        else:
            setattr(holder, name, functools.wraps(original)(make(original)))


EXERCISES = [e.id for e in Course(ROOT).exercises]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_non_answers_score_nothing(exercise):
    grader = ExerciseGrader(exercise)
    targets = answer_functions(grader.solution.read_text())
    assert targets, f"{exercise}: no function holds an answer region"
    paying = []
    for label, make in NON_ANSWERS.items():
        module = grader.load(grader.solution, f"non_answer_{label.replace(' ', '_')}")
        _patch(module, targets, make)
        for name, (fraction, _) in grader.score(module).items():
            if fraction > 0:
                paying.append(f"{label!r} earns {fraction:.0%} of `{name}`")
    assert not paying, (f"{exercise}: non-answers earn points; make these checks require a correct result "
                        "(@check(..., requires=...)) or test the result themselves:\n  " + "\n  ".join(paying))


def test_answer_functions_finds_functions_and_methods():
    source = ("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\n"
              "def helper(x):\n    return x\n\n"
              "class Layer:\n    def call(self, x):\n        ### BEGIN SOLUTION\n        return x\n"
              "        ### END SOLUTION\n")
    assert answer_functions(source) == [(None, "f"), ("Layer", "call")]
