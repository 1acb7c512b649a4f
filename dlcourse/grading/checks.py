"""The `@check` decorator that grader files use, and how a check's results are compared.

A check is a *probe* plus a *comparison*. The probe is a function of the submission's module
(`sub`) that calls the student's code on seeded inputs and returns a dict of plain values
(numpy arrays, numbers, strings). It runs twice, each time in a sandboxed child process: once
against the student's module and once against the reference solution. Only the returned arrays
come back to the grading process, which compares them itself -- so nothing a submission does in
its own process (patching numpy, printing, exiting) can change how it is judged.

    @check(points=2, visible=True)
    def output_shape(sub):
        rng = np.random.default_rng(0)
        return {"y": sub.dense_forward(rng.normal(size=(5, 3)), ...)}

By default every key of the reference's dict must be in the student's, with the same shape and
values within `rtol`/`atol`. `compare=fn(student, reference)` replaces that with custom logic
that runs in the grading process on the two dicts of numpy arrays: it raises `AssertionError`
with a message the student can act on, or returns a fraction in [0, 1] for partial credit
(None means full credit).

A *property* check (the inputs are left unchanged, draws are uniform, the same seed gives the same
result, a round trip holds) proves nothing about an answer that is not there: `return x`
leaves every input alone, and an identity encode undoes an identity decode. Such a check names
the checks whose correct result it presupposes, `@check(1, requires=("output_values",))`, and
earns its points only when all of those earn theirs (`judge`). A property check may instead
compute that correctness itself, in its `compare`.

Declared shapes. A hidden check may test only what its prompt (the solution's docstring) states:
shapes, dtypes, ranges, edge cases, numerical stability. Each grader therefore declares, next to
`FORBIDDEN`, the argument shapes its prompt states, per function the checks call:

    SHAPES = {"gcn_layer": {"h": "(N, F)", "senders": "(E,) int", "w_k": "(F, F')"},
              "aggregate_mean": {"messages": "(E, ...)", "receivers": "(E,) int"},
              "forward_propagation": {'params["W1"]': "(n_inputs, H)", "x": "(N, n_inputs)"},
              "minibatch_sgd": {"params": "dict", "x": "(N, ...)"},  # a dict of free shapes
              "fans": {}}                                # a function without array arguments

Sizes are symbols, integers, expressions (`units + input_dim`, `2D`) or `...`; alternatives are
joined by " or "; "any shape" and "dict" stand for what the prompt leaves free; `int`, `float`,
`bool` and `in [lo, hi)` may follow a shape. `SHAPES = {}` when the answer is Keras layer
methods. `tests/test_declared_shapes.py` finds each declaration in the prompt (the shape must be
the next parenthesis after the argument's name: "h (N, F)", "x of shape (N, D)"), then runs
every check on the reference and fails when a call's array argument is undeclared, has another
rank, or gives one symbol two sizes. Add an edge case to a hidden check only after stating it
in the prompt.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

DEFAULT_TIMEOUT_S = 60.0


@dataclasses.dataclass(frozen=True)
class Check:
    """One graded test of an exercise (see the module docstring)."""

    name: str
    probe: Callable
    points: float
    visible: bool = False
    rtol: float = 1e-5
    atol: float = 1e-6
    compare: Callable | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    hint: str = ""
    requires: tuple[str, ...] = ()


def check(points, *, visible=False, rtol=1e-5, atol=1e-6, compare=None, timeout=DEFAULT_TIMEOUT_S, hint="",
          requires=()):
    """Mark a grader function as a check worth `points`.

    Args:
        points: points this check is worth (a positive number).
        visible: whether students may run it with `dlcourse check` (it then ships in the wheel,
            with the reference's outputs precomputed by `dlcourse release`).
        rtol, atol: tolerances of the default comparison (`numpy.allclose` semantics).
        compare: optional `fn(student: dict, reference: dict) -> None | float` run in the
            grading process; raise `AssertionError("...")` to fail with that feedback.
        timeout: wall-clock seconds the probe may take on a submission.
        hint: a sentence about the usual mistake, added to the default comparison's feedback
            when it fails ("`y` has shape (5, 3), expected (5, 4). <hint>").
        requires: names of checks defined above this one whose full marks this check needs
            before it pays (for property checks; see the module docstring).
    """
    if not isinstance(points, (int, float)) or points <= 0:
        raise ValueError(f"@check points must be a positive number, got {points!r}.")
    requires = (requires,) if isinstance(requires, str) else tuple(requires)

    def decorate(fn):
        fn.__dlcourse_check__ = Check(
            name=fn.__name__,
            probe=fn,
            points=float(points),
            visible=bool(visible),
            rtol=rtol,
            atol=atol,
            compare=compare,
            timeout=float(timeout),
            hint=str(hint),
            requires=requires,
        )
        return fn

    return decorate


def checks_of(namespace: dict, strict: bool = True) -> list[Check]:
    """The checks defined in a grader module's namespace, in definition order; a `requires=`
    that names no check defined above its own is an error (with `strict=False`, as for the
    packaged visible checks that lack the hidden ones, only one that names a later check)."""
    found = [v.__dlcourse_check__ for v in namespace.values() if hasattr(v, "__dlcourse_check__")]
    names = {c.name for c in found}
    for index, chk in enumerate(found):
        above = {c.name for c in found[:index]}
        for name in chk.requires:
            if name not in above and (strict or name in names):
                raise ValueError(f"check {chk.name!r} requires {name!r}, which is not a check defined above it; "
                                 "name an earlier check of the same grader.")
    return found


def judge(checks: list[Check], results: dict) -> dict[str, tuple[float, str]]:
    """{check name: (fraction, feedback)} of a whole exercise from {check name: (fraction,
    feedback)} as `compare_results` gave them, with each check's `requires` applied: a check
    whose presupposed checks did not all earn full marks earns nothing. A required check that is
    absent (e.g. hidden, when a student runs only the visible checks) is not held against it."""
    judged = {}
    for chk in checks:
        if chk.name not in results:
            continue
        fraction, feedback = results[chk.name]
        missing = [name for name in chk.requires if name in judged and judged[name][0] < 1.0]
        if fraction > 0 and missing:
            shown = [name for name in missing if _visible(checks, name)]
            which = f"`{'`, `'.join(shown)}`" if shown else "a hidden check of this exercise"
            fraction, feedback = 0.0, (f"this property counts only together with a correct result, and {which} "
                                       "did not pass; fix that first.")
        judged[chk.name] = (fraction, feedback)
    return judged


def _visible(checks, name):
    return any(c.name == name and c.visible for c in checks)


def compare_results(chk: Check, student: dict, reference: dict) -> tuple[float, str]:
    """Judge one check: returns (fraction of its points earned, feedback for the student)."""
    if chk.compare is not None:
        try:
            fraction = chk.compare(student, reference)
        except AssertionError as err:
            return 0.0, str(err) or f"{chk.name} did not hold."
        except Exception as err:  # noqa: BLE001 -- a malformed result (shape, type, key) is the student's to fix
            return 0.0, (f"your results could not be checked ({type(err).__name__}: {err}); "
                         "check the shapes and types your functions return.")
        if fraction is None:
            return 1.0, ""
        fraction = float(np.clip(fraction, 0.0, 1.0))
        return fraction, "" if fraction == 1.0 else f"partial credit: {fraction:.0%} of this check."
    for key, expected in reference.items():
        if key not in student:
            return 0.0, f"`{key}` is missing from your results."
        message = _difference(key, student[key], expected, chk.rtol, chk.atol, chk.visible)
        if message:
            return 0.0, f"{message} {chk.hint}" if chk.hint else message
    return 1.0, ""


def _difference(key, got, expected, rtol, atol, visible=False) -> str:
    """Feedback on `got` against `expected` ("" when they agree): the shape, or where the values
    first differ. Only a visible check's feedback shows values: a hidden check's expected values
    are the answer on inputs the student cannot see, and the student's own values could carry
    those inputs out, so it names shapes, counts and the first differing index only."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape:
        return f"`{key}` has shape {got.shape}, expected {expected.shape}."
    if expected.dtype.kind in "USb":
        if np.array_equal(got, expected):
            return ""
        if not visible:
            return f"`{key}` is not the expected value" + (
                "." if got.ndim == 0 else f"; first differs at {_index(got != expected)}.")
        if got.ndim == 0:
            return f"`{key}` is {_short(got)}, expected {_short(expected)}."
        first = _index(got != expected)
        return (f"`{key}` is {_short(got)}, expected {_short(expected)}; first differs at {first}: "
                f"{_short(got[tuple(first)])}, expected {_short(expected[tuple(first)])}.")
    if got.dtype.kind not in "biuf":
        return f"`{key}` has dtype {got.dtype}, expected numbers."
    got, expected = got.astype(np.float64), expected.astype(np.float64)
    if not np.all(np.isfinite(got) == np.isfinite(expected)):
        where = "" if got.ndim == 0 else f" (first at {_index(np.isfinite(got) != np.isfinite(expected))})"
        return f"`{key}` has NaN or infinite entries where the expected values are finite{where}."
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return ""
    if got.ndim == 0:
        if visible:
            return f"`{key}` is {got.item():.6g}, expected {expected.item():.6g}."
        return f"`{key}` is not the expected value."
    first = _index(~close)
    wrong = f"`{key}` differs from the expected values in {int((~close).sum())} of {close.size} entries"
    if not visible:
        return f"{wrong}; first differs at {first}."
    largest = np.abs(got - expected)[~close].max()
    at = tuple(first)
    return (f"{wrong} (largest difference {largest:.3g}); first differs at {first}: "
            f"{got[at]:.3g}, expected {expected[at]:.3g}.")


def _index(mismatch: np.ndarray) -> list[int]:
    """The first index (in C order) where `mismatch` is true, as a list: [2, 0, 1]."""
    return [int(i) for i in np.unravel_index(int(np.argmax(mismatch)), mismatch.shape)]


def _short(a):
    text = np.array2string(np.asarray(a), threshold=6)
    return text if len(text) < 60 else text[:57] + "..."
