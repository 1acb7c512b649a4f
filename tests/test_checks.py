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
    chk = Check(name="probe", probe=lambda sub: {}, points=1, hint="Average over N.")
    fraction, feedback = compare_results(chk, {"loss": np.array(2.0)}, {"loss": np.array(1.0)})
    assert fraction == 0.0 and feedback == "`loss` is 2, expected 1. Average over N."
