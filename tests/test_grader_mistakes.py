"""Every grader catches the typical mistakes of its exercise, with feedback the student can act on.

Each row of MISTAKES makes one realistic mistake in a reference solution (a single text
replacement), runs every check of the exercise's grader on the mistaken and on the reference
solution, and requires the named checks to fail with non-empty feedback. So a grader that stops
catching a mistake -- a check deleted, an input too easy, a tolerance too loose -- fails here.
The replaced text must occur exactly once in the solution, so a solution edit breaks a row loudly
instead of silently testing nothing.
"""

import functools
import pathlib
import runpy

import pytest

from dlcourse.grading.checks import checks_of, compare_results
from dlcourse.grading.probe import load_module, load_namespace, run_probe

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The mistaken solutions divide by zero or overflow on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

# One file a chapter (or part of one) in tests/mistakes/, so that each is edited on its own.
MISTAKES = [row for part in sorted((ROOT / "tests" / "mistakes").glob("*.py"))
            for row in runpy.run_path(str(part))["MISTAKES"]]

# Rows whose mistake the grader misses today: strict xfails, so fixing the grader turns the row
# into an XPASS failure that asks for its entry here to be removed.
GRADER_GAPS: dict = {}


def _module_name(exercise, suffix):
    return "mistakes_" + exercise.replace("/", "_") + "_" + suffix


def _solution_path(exercise):
    return ROOT / "solutions" / f"{exercise}.py"


@functools.lru_cache(maxsize=None)
def _checks(exercise):
    path = ROOT / "graders" / f"{exercise}.py"
    return tuple(checks_of(load_namespace(path.read_text(), str(path))))


@functools.lru_cache(maxsize=None)
def _reference_results(exercise):
    """The reference solution's results of every check, computed once per exercise."""
    reference = load_module(str(_solution_path(exercise)), _module_name(exercise, "reference"))
    return {chk.name: run_probe(chk, reference) for chk in _checks(exercise)}


def _params():
    for exercise, mistake, old, new, failing in MISTAKES:
        gap = GRADER_GAPS.get((exercise, mistake))
        marks = [pytest.mark.xfail(strict=True, reason=f"grader gap: {gap}")] if gap else []
        yield pytest.param(exercise, old, new, failing, id=f"{exercise.split('/')[1]}-{mistake}", marks=marks)


def test_every_row_is_well_formed():
    """A solution edit or a renamed check must not make a row vacuous (checked here, outside the
    xfails of GRADER_GAPS, so it is loud for every row)."""
    for exercise, mistake, old, _, failing in MISTAKES:
        assert _solution_path(exercise).read_text().count(old) == 1, (
            f"{exercise} {mistake}: the mistake's text must occur exactly once in the solution")
        names = {chk.name for chk in _checks(exercise)}
        assert failing, f"{exercise} {mistake}: name at least one check that must fail"
        assert failing <= names, f"{exercise} {mistake}: no checks {sorted(failing - names)} in its grader"
    assert {(exercise, mistake) for exercise, mistake, *_ in MISTAKES} >= set(GRADER_GAPS)


@pytest.mark.parametrize("exercise, old, new, failing", list(_params()))
def test_mistake_loses_points_with_feedback(exercise, old, new, failing, tmp_path):
    source = _solution_path(exercise).read_text()
    assert source.count(old) == 1, f"the mistake's text must occur once in solutions/{exercise}.py"
    path = tmp_path / f"{pathlib.Path(exercise).name}.py"
    path.write_text(source.replace(old, new))
    wrong = load_module(str(path), _module_name(exercise, "wrong"))
    expected = _reference_results(exercise)
    failed = set()
    for chk in _checks(exercise):
        try:
            fraction, feedback = compare_results(chk, run_probe(chk, wrong), expected[chk.name])
        except Exception as err:  # a crash in the student's code is a failed check too
            fraction, feedback = 0.0, f"{type(err).__name__}: {err}"
        if fraction < 1.0:
            assert feedback, f"{chk.name} failed without feedback"
            failed.add(chk.name)
    assert failing <= failed, f"expected {sorted(failing)} to fail, failed: {sorted(failed)}"
