"""dlcourse.nlp.bleu agrees with sacrebleu, and the ch05 `bleu` solution agrees with both.

The oracle is `sacrebleu.corpus_bleu` / `sentence_bleu` on the same tokens joined by spaces,
with `tokenize="none"` (sacrebleu then splits on whitespace, as our token lists are) and
`force=True` (the text is already tokenized on purpose)."""

import doctest
import math

import numpy as np
import pytest
import sacrebleu

from dlcourse.grading.probe import load_module
from dlcourse.nlp import bleu
from dlcourse.nlp.bleu import brevity_penalty, closest_reference_length, corpus_bleu, sentence_bleu
from inprocess import ROOT

SMOOTHINGS = [("none", None), ("floor", None), ("floor", 0.3), ("add-k", None), ("add-k", 2.0), ("exp", None)]


def _oracle(hypotheses, references, max_order=4, smooth="none", smooth_value=None, effective_order=False):
    """sacrebleu on the same tokens; references come per hypothesis, sacrebleu wants streams
    (one list per reference position, None where a hypothesis has fewer references)."""
    most = max(len(refs) for refs in references)
    streams = [[" ".join(refs[j]) if j < len(refs) else None for refs in references] for j in range(most)]
    metric = sacrebleu.BLEU(tokenize="none", force=True, smooth_method=smooth, smooth_value=smooth_value,
                            max_ngram_order=max_order, effective_order=effective_order)
    return metric.corpus_score([" ".join(h) for h in hypotheses], streams)


def _assert_same(ours, theirs):
    assert ours.score == pytest.approx(theirs.score, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(ours.precisions, theirs.precisions, rtol=1e-12, atol=1e-12)
    assert ours.brevity_penalty == pytest.approx(theirs.bp, rel=1e-12)
    assert (ours.hypothesis_length, ours.reference_length) == (theirs.sys_len, theirs.ref_len)


def _random_corpus(seed, size=12, vocabulary=6, max_refs=3):
    """Sentences over a tiny vocabulary, so that n-grams match often (and sometimes not at all),
    with 1-3 references of their own length each."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(vocabulary)]

    def sentence(low, high):
        return [words[i] for i in rng.integers(0, vocabulary, rng.integers(low, high + 1))]

    hypotheses = [sentence(0, 9) for _ in range(size)]
    references = [[sentence(1, 10) for _ in range(rng.integers(1, max_refs + 1))] for _ in range(size)]
    return hypotheses, references


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("smooth,value", SMOOTHINGS)
def test_corpus_bleu_matches_sacrebleu_on_random_corpora(seed, smooth, value):
    hypotheses, references = _random_corpus(seed)
    for max_order in (1, 2, 4):
        for effective in (False, True):
            _assert_same(corpus_bleu(hypotheses, references, max_order, smooth, value, effective),
                         _oracle(hypotheses, references, max_order, smooth, value, effective))


@pytest.mark.parametrize("smooth,value", SMOOTHINGS)
def test_sentence_bleu_matches_sacrebleu_sentence_by_sentence(smooth, value):
    hypotheses, references = _random_corpus(7, size=30)
    for hypothesis, refs in zip(hypotheses, references):
        ours = sentence_bleu(hypothesis, refs, smooth=smooth, smooth_value=value, effective_order=True)
        theirs = sacrebleu.sentence_bleu(" ".join(hypothesis), [" ".join(r) for r in refs], smooth_method=smooth,
                                         smooth_value=value, tokenize="none", use_effective_order=True)
        assert ours.score == pytest.approx(theirs.score, rel=1e-12, abs=1e-12)


CASES = {
    # name: (hypothesis, references)
    "identical": ("a b c d e", ["a b c d e"]),
    "empty hypothesis": ("", ["a b c"]),
    "longer than every reference": ("a b c d e f g h", ["a b c", "a b c d"]),
    "shorter than every reference": ("a b c", ["a b c d e", "a b c d e f g"]),
    "closest length tie takes the shorter": ("a b c d", ["a b c", "a b c d e"]),
    "no bigram matches": ("a c e g i", ["a b c d e f g h i"]),
    "no 4-gram matches": ("a b c x b c d", ["a b c d"]),
    "no match at all": ("x y z", ["a b c"]),
    "clipped repeats": ("the the the the", ["the cat", "the the dog"]),
    "one-token hypothesis": ("a", ["a b"]),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("smooth,value", SMOOTHINGS)
def test_edge_cases_match_sacrebleu(case, smooth, value):
    hypothesis, refs = CASES[case]
    hypothesis, refs = hypothesis.split(), [r.split() for r in refs]
    for effective in (False, True):
        _assert_same(corpus_bleu([hypothesis], [refs], 4, smooth, value, effective),
                     _oracle([hypothesis], [refs], 4, smooth, value, effective))


def test_edge_cases_by_hand():
    """The textbook numbers, on the cases above (no smoothing)."""
    split = str.split
    assert corpus_bleu([split("a b c d e")], [[split("a b c d e")]]).score == pytest.approx(100.0)
    empty = corpus_bleu([[]], [[split("a b c")]])
    assert (empty.score, empty.brevity_penalty) == (0.0, 0.0)
    assert corpus_bleu([split("a b c d e f g h")], [[split("a b c d e f g h i j")]]).brevity_penalty == \
        pytest.approx(math.exp(1 - 10 / 8))
    assert bleu.modified_precision(split("the the the the"), [split("the cat"), split("the the dog")], 1) == (2, 4)
    assert closest_reference_length(4, [3, 5]) == 3 and closest_reference_length(4, [5, 3]) == 3
    assert brevity_penalty(5, 5) == 1.0 and brevity_penalty(6, 5) == 1.0
    # one zero precision (no 4-gram matches) makes unsmoothed BLEU 0, smoothing does not
    assert corpus_bleu([split("a b c x b c d")], [[split("a b c d")]]).score == 0.0
    assert corpus_bleu([split("a b c x b c d")], [[split("a b c d")]], smooth="exp").score > 0.0


def test_corpus_statistics_are_summed_not_averaged():
    hypotheses, references = _random_corpus(3, size=5)
    whole = corpus_bleu(hypotheses, references)
    parts = [corpus_bleu([h], [r]) for h, r in zip(hypotheses, references)]
    assert whole.matches == tuple(np.sum([p.matches for p in parts], axis=0))
    assert whole.reference_length == sum(p.reference_length for p in parts)


def test_integer_tokens_give_the_same_score_as_strings():
    hypotheses, references = _random_corpus(4)
    as_ints = [[int(t[1:]) for t in h] for h in hypotheses]
    refs_as_ints = [[[int(t[1:]) for t in r] for r in refs] for refs in references]
    assert corpus_bleu(as_ints, refs_as_ints, smooth="exp").score == corpus_bleu(hypotheses, references, smooth="exp").score


@pytest.mark.parametrize("call,words", [
    (lambda: corpus_bleu(["a b"], [[["a"]]]), "split it into a list of tokens"),
    (lambda: corpus_bleu([["a"]], [[["a"]], [["b"]]]), "one list of references per hypothesis"),
    (lambda: corpus_bleu([["a"]], [[]]), "non-empty list of token lists"),
    (lambda: corpus_bleu([["a"]], [["a b"]]), "non-empty list of token lists"),
    (lambda: corpus_bleu([["a"]], [[["a"]]], smooth="laplace"), "smooth must be one of"),
    (lambda: corpus_bleu([["a"]], [[["a"]]], max_order=0), "max_order"),
])
def test_bad_arguments_are_one_clear_sentence(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_doctests():
    assert doctest.testmod(bleu, optionflags=doctest.ELLIPSIS).failed == 0


# --- the exercise and its library twin ---------------------------------------------------------

@pytest.fixture(scope="module")
def solution():
    return load_module(str(ROOT / "solutions" / "ch05_nlp" / "bleu.py"), "solution_ch05_bleu")


@pytest.mark.parametrize("seed", range(4))
def test_bleu_solution_agrees_with_the_library_and_sacrebleu(solution, seed):
    hypotheses, references = _random_corpus(seed)
    for max_order in (1, 2, 4):
        for smooth in ("none", "exp"):
            ours = corpus_bleu(hypotheses, references, max_order, smooth)
            assert solution.corpus_bleu(hypotheses, references, max_order, smooth) == pytest.approx(ours.score, abs=1e-9)
    for hypothesis, refs in zip(hypotheses, references):
        counts = solution.modified_precision(hypothesis, refs, 2)
        assert tuple(int(c) for c in counts) == bleu.modified_precision(hypothesis, refs, 2)
        r = closest_reference_length(len(hypothesis), [len(x) for x in refs])
        assert solution.brevity_penalty(len(hypothesis), [len(x) for x in refs]) == pytest.approx(
            brevity_penalty(len(hypothesis), r))
