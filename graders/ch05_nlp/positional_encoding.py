"""Grader for ch05_nlp/positional_encoding."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "keras", "keras_hub", "tensorflow", "torch")

SHAPES = {
    "sinusoidal_position_encoding": {},
    "add_position_encoding": {"embeddings": "(batch, T, d_model)"},
}


def _encoding(sub, length, d_model, **kwargs):
    return np.asarray(sub.sinusoidal_position_encoding(length, d_model, **kwargs), dtype=float)


@check(points=1, visible=True)
def small_table(sub):
    """4 positions, d_model = 6: sines in the even features, cosines in the odd ones."""
    return {"p": _encoding(sub, 4, 6)}


@check(points=1, hint="feature i uses the pair index j = i // 2 in the exponent 2j / d_model.")
def long_and_wide(sub):
    """50 positions, d_model = 16 (the default max_wavelength 10000): every pair's own angle."""
    return {"p": _encoding(sub, 50, 16)}


@check(points=1)
def odd_width_and_one_position(sub):
    """d_model = 5 (the last feature is a sine), a single position (length 1), and d_model = 1."""
    return {"odd": _encoding(sub, 7, 5), "one_position": _encoding(sub, 1, 4), "one_feature": _encoding(sub, 6, 1)}


@check(points=1)
def other_max_wavelength(sub):
    """max_wavelength = 100 instead of 10000, 12 positions, d_model = 8."""
    return {"p": _encoding(sub, 12, 8, max_wavelength=100)}


def _added_without_mutation(student, reference):
    if np.shape(student.get("sum")) != reference["sum"].shape:
        raise AssertionError(f"add_position_encoding returned shape {np.shape(student.get('sum'))}, "
                             f"expected {reference['sum'].shape} (the embeddings' shape).")
    if not np.allclose(student["sum"], reference["sum"], rtol=1e-5, atol=1e-6):
        raise AssertionError("add_position_encoding(embeddings) differs from embeddings + p, p the same for "
                             "every sequence of the batch.")
    if not np.array_equal(student["embeddings_after"], reference["embeddings_after"]):
        raise AssertionError("add_position_encoding changed `embeddings` in place; return a new array.")


@check(points=1, compare=_added_without_mutation)
def added_to_a_batch(sub):
    """a batch of 3 sequences of 5 positions, d_model = 4: embeddings + p, embeddings unchanged."""
    embeddings = np.random.default_rng(0).normal(size=(3, 5, 4))
    total = np.asarray(sub.add_position_encoding(embeddings), dtype=float)
    return {"sum": total, "embeddings_after": embeddings}
