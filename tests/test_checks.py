"""The check API's judging: a compare function that crashes on a malformed result fails the check."""

import numpy as np
import pytest

from dlcourse.grading.checks import Check, compare_results, judge


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


def test_forbidden_names_are_found_under_their_other_spellings():
    from dlcourse.grading.sources import forbidden_uses

    banned = ("keras", "tensorflow", "keras.layers.MultiHeadAttention")
    cases = {
        "from keras.src.layers import SimpleRNNCell": ["keras"],
        "import keras\nkeras.src.ops.dot_product_attention": ["keras"],
        "import tf_keras as K\nK.backend.conv2d": ["keras"],
        "from tensorflow.keras import layers": ["keras", "tensorflow"],
        "import numpy as np\nnp.dot": [],
    }
    for source, expected in cases.items():
        assert forbidden_uses(source, banned[:2]) == expected, source
    assert forbidden_uses("from keras.src.layers.attention.multi_head_attention import MultiHeadAttention",
                          banned[2:]) == ["keras.layers.MultiHeadAttention"]
    assert forbidden_uses("import keras\nkeras.layers.Dense", banned[2:]) == []


def test_a_hint_is_added_to_the_default_feedback():
    chk = Check(name="probe", probe=lambda sub: {}, points=1, visible=True, hint="Average over N.")
    fraction, feedback = compare_results(chk, {"loss": np.array(2.0)}, {"loss": np.array(1.0)})
    assert fraction == 0.0 and feedback == "`loss` is 2, expected 1. Average over N."


def test_a_property_check_pays_only_with_the_results_it_requires():
    checks = [Check("values", None, 2.0, visible=True), Check("untouched", None, 1.0, requires=("values",)),
              Check("hidden_values", None, 1.0), Check("uniform", None, 1.0, requires=("hidden_values",))]
    judged = judge(checks, {"values": (0.5, "half"), "untouched": (1.0, ""), "hidden_values": (0.0, "no"),
                            "uniform": (1.0, "")})
    assert judged["values"] == (0.5, "half")
    assert judged["untouched"][0] == 0.0 and "`values`" in judged["untouched"][1]
    assert judged["uniform"][0] == 0.0 and "a hidden check" in judged["uniform"][1]
    assert judge(checks, {"values": (1.0, ""), "untouched": (1.0, "")})["untouched"] == (1.0, "")
    # `dlcourse check` runs the visible checks only: a hidden requirement is not held against them.
    assert judge(checks, {"uniform": (1.0, "")})["uniform"] == (1.0, "")


def test_requires_must_name_an_earlier_check():
    from dlcourse.grading.checks import check, checks_of

    @check(1, requires="later")
    def first(sub):
        return {}

    @check(1)
    def later(sub):
        return {}

    with pytest.raises(ValueError, match="which is not a check defined above it"):
        checks_of({"first": first, "later": later})
