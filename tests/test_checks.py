"""The check API's judging: a compare function that crashes on a malformed result fails the check."""

import numpy as np

from dlcourse.grading.checks import Check, compare_results


def _check(compare=None):
    return Check(name="probe", probe=lambda sub: {}, points=2, visible=False, rtol=1e-5, atol=1e-6,
                 compare=compare, timeout=60)


def test_a_compare_that_crashes_on_the_students_result_is_feedback_not_a_crash():
    def compare(student, reference):
        return float(student["walks"][0, 5] == reference["walks"][0, 5])  # IndexError on a short walk

    fraction, feedback = compare_results(_check(compare), {"walks": np.zeros((1, 2))}, {"walks": np.zeros((1, 9))})
    assert fraction == 0.0
    assert "could not be checked (IndexError" in feedback


def test_a_missing_key_and_a_wrong_shape_name_the_quantity():
    assert compare_results(_check(), {}, {"y": np.zeros(3)}) == (0.0, "`y` is missing from your results.")
    fraction, feedback = compare_results(_check(), {"y": np.zeros(2)}, {"y": np.zeros(3)})
    assert fraction == 0.0 and feedback == "`y` has shape (2,), expected (3,)."
