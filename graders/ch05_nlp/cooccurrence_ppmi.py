"""Grader for ch05_nlp/cooccurrence_ppmi."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "sklearn", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "cooccurrence_counts": {},
    "ppmi": {"counts": "(V, V) float"},
}


def _sentences(seed, count, vocabulary_size, longest):
    rng = np.random.default_rng(seed)
    return [rng.integers(vocabulary_size, size=int(rng.integers(1, longest + 1))) for _ in range(count)]


@check(points=1, visible=True)
def counts_of_one_sentence(sub):
    """the sentence 0 1 2 0 with windows 1 and 2 (V = 3)."""
    sentence = [np.array([0, 1, 2, 0])]
    return {"window_1": sub.cooccurrence_counts(sentence, 3, 1),
            "window_2": sub.cooccurrence_counts(sentence, 3, 2)}


@check(points=2, hint="Count distances 1 .. m in both directions, one sentence at a time.")
def counts_of_a_corpus(sub):
    """25 sentences of 1 to 9 words (V = 7) with m = 1, 3 and 12 (longer than any sentence)."""
    sentences = _sentences(3, 25, 7, 9)
    return {f"window_{m}": sub.cooccurrence_counts(sentences, 7, m) for m in (1, 3, 12)}


@check(points=1, visible=True)
def ppmi_of_a_small_table(sub):
    """PPMI of the counts [[0, 2, 2], [2, 0, 1], [2, 1, 0]]."""
    return {"ppmi": sub.ppmi(np.array([[0.0, 2.0, 2.0], [2.0, 0.0, 1.0], [2.0, 1.0, 0.0]]))}


@check(points=2, hint="P(i) sums row i and P(j) column j; clip negative PMI and unseen pairs to 0.")
def ppmi_clips_and_handles_unseen_words(sub):
    """an asymmetric 8 x 8 table with zero counts, pairs below chance, and a word (row and column 5) never seen."""
    rng = np.random.default_rng(5)
    counts = rng.integers(0, 6, size=(8, 8)).astype(float)
    counts[5, :] = counts[:, 5] = 0.0
    counts[0, 0] = 40.0  # one dominant pair: many others fall below chance
    return {"ppmi": sub.ppmi(counts)}
