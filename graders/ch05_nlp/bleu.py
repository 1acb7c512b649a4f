"""Grader for ch05_nlp/bleu."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "sacrebleu", "nltk", "keras_hub", "torchmetrics")
SHAPES = {"modified_precision": {}, "brevity_penalty": {}, "corpus_bleu": {}}  # lists of tokens: no arrays


def _corpus(seed, size, vocabulary=5, low=0, high=9, max_refs=3):
    """Random sentences over a tiny vocabulary (many matches, some orders without any)."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(vocabulary)]

    def sentence(a, b):
        return [words[i] for i in rng.integers(0, vocabulary, rng.integers(a, b + 1))]

    hypotheses = [sentence(low, high) for _ in range(size)]
    references = [[sentence(max(low, 1), high + 1) for _ in range(rng.integers(1, max_refs + 1))]
                  for _ in range(size)]
    return hypotheses, references


@check(points=1, visible=True)
def clipped_counts_on_a_small_example(sub):
    """modified_precision of "the the the the" and of "the cat the cat" against two references."""
    refs = ["the cat".split(), "the the dog".split()]
    out = {}
    for name, hypothesis in (("repeats", "the the the the"), ("pairs", "the cat the cat")):
        for n in (1, 2):
            out[f"{name}_{n}"] = np.asarray(sub.modified_precision(hypothesis.split(), refs, n), dtype=float)
    return out


@check(points=1)
def brevity_penalty_against_the_closest_reference(sub):
    """BP of hypotheses shorter, longer, equal to and between references, a tie and c = 0."""
    cases = [(3, [5, 7]), (9, [5, 7]), (5, [5, 9]), (6, [4, 9]), (8, [11, 6]), (4, [3, 5]), (4, [5, 3]),
             (0, [2, 4]), (1, [3]), (2, [12])]
    return {"bp": np.array([float(sub.brevity_penalty(c, lengths)) for c, lengths in cases])}


@check(points=2, rtol=1e-7, atol=1e-9)
def corpus_bleu_with_several_references(sub):
    """unsmoothed corpus BLEU, N = 4, 2 and 1, on random corpora with 1-3 references each."""
    out = {}
    for seed in (1, 2, 3):
        hypotheses, references = _corpus(seed, size=8, low=3)
        for order in (4, 2, 1):
            out[f"bleu_{seed}_{order}"] = np.array(float(sub.corpus_bleu(hypotheses, references, order, "none")))
    return out


@check(points=2, rtol=1e-7, atol=1e-9)
def exp_smoothing_on_single_sentences(sub):
    """smooth="exp" and "none" on one-sentence corpora, several with no match at some orders."""
    hypotheses, references = _corpus(4, size=14, vocabulary=7, low=2, high=8)
    bleu = {smooth: [float(sub.corpus_bleu([h], [r], 4, smooth)) for h, r in zip(hypotheses, references)]
            for smooth in ("exp", "none")}
    return {f"bleu_{smooth}": np.array(values) for smooth, values in bleu.items()}


@check(points=1, rtol=1e-7, atol=1e-9)
def empty_short_and_unmatched_hypotheses(sub):
    """an empty hypothesis, hypotheses shorter than N (or with one N-gram), one-token ones, no match at all."""
    split = str.split
    cases = [
        ([[], split("a b c")], [[split("a b c")], [split("a b c d")]], "exp"),
        ([[]], [[split("a b")]], "exp"),
        ([split("a b"), split("c")], [[split("a b c")], [split("c d")]], "exp"),
        ([split("a b"), split("c")], [[split("a b c")], [split("c d")]], "none"),
        ([split("x y z w")], [[split("a b c d")]], "exp"),
        ([split("a b c d e f")], [[split("a b c d e f")]], "none"),
        ([split("a b c d")], [[split("a b c d e")]], "exp"),
    ]
    return {"bleu": np.array([float(sub.corpus_bleu(h, r, 4, s)) for h, r, s in cases]),
            "bleu_unigram": np.array([float(sub.corpus_bleu([split(h)], [[split("a b c")]], 1, "none"))
                                      for h in ("a b", "a")])}
