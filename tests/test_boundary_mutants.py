"""No off-by-one slip in a reference answer keeps full marks, unless it is declared equivalent.

tests/boundary_mutants.py says what a boundary mutant is and how equivalents are declared.
"""

import pytest

from boundary_mutants import ROOT, declared_equivalents, mutants, survivors
from dlcourse.grading.course import Course

EXERCISES = [e.id for e in Course(ROOT).exercises]
DECLARED = declared_equivalents()


@pytest.mark.parametrize("exercise", EXERCISES)
def test_boundary_mutants_lose_points(exercise):
    alive = survivors(exercise)
    undeclared = [m for m in alive if m.key not in DECLARED]
    assert not undeclared, (
        "these one-token slips keep full marks; add a check that tries the edge, or declare the "
        "mutant equivalent (with its reason) in EQUIVALENT_MUTANTS of tests/mistakes/:\n"
        + "\n".join(f"  {m}\n    key: {m.key!r}" for m in undeclared))
    stale = {key for key in DECLARED if key[0] == exercise} - {m.key for m in alive}
    assert not stale, f"declared equivalents that no longer survive (remove them): {sorted(stale)}"


def test_every_declaration_names_a_mutant_with_a_reason():
    generated = {m.key for exercise in EXERCISES for m in mutants(exercise)}
    for key, reason in DECLARED.items():
        assert key in generated, f"{key} is no boundary mutant of its solution (edited or misspelt?)"
        assert isinstance(reason, str) and len(reason.split()) >= 4, f"{key}: give a one-line reason"
