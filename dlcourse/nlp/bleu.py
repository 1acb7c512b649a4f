"""BLEU: how many of a translation's n-grams a human translation also has.

Lecture: §5.2 Seq2Seq Model

The notes name BLEU as the score that compares a machine translation with human ones and stop
there; the definition below is Papineni et al. (2002), the one cs224n and d2l teach and
sacrebleu computes, and is ours. For a corpus of hypotheses (machine translations), each with
one or more references (human translations), all as lists of tokens:

    p_n  = sum over hypotheses of sum over n-grams g of min(count_hyp(g), max_ref count_ref(g))
           / sum over hypotheses of the number of n-grams of the hypothesis
                                           (modified n-gram precision: counts clipped by the
                                            largest count of g in any one reference)
    c    = total hypothesis length,  r = total of, per hypothesis, the reference length closest
           to its length (the shorter one on a tie)
    BP   = 1 if c >= r else exp(1 - r / c)   (brevity penalty; 0 when c = 0)
    BLEU = 100 * BP * exp( (1/N) sum_{n=1..N} log p_n )      (N = max_order, usually 4)

Clipping stops "the the the the" from scoring on a reference with one "the"; the brevity
penalty stops a short hypothesis of sure words from scoring well, since precision alone
cannot see what is missing. A single zero p_n makes BLEU 0, which is common for one sentence,
so sentence BLEU is usually smoothed (Chen and Cherry, 2014), as in sacrebleu:

- "none": no smoothing;
- "floor": a zero count m_n becomes `smooth_value` (default 0.1): p_n = 0.1 / total_n;
- "add-k": for n >= 2 both the count and the total get `smooth_value` (default 1) added;
- "exp": the j-th order with zero matches gets p_n = 1 / (2^j total_n) (NIST's smoothing).

As in sacrebleu, BLEU is 0 when no n-gram matches at all (whatever the smoothing), and an
order with no n-grams at all in the hypotheses (total_n = 0) ends the precisions there: BLEU
is 0 unless `effective_order=True`, which then averages only the orders before it (what
sacrebleu's `sentence_bleu` does by default). With tokens joined by spaces and
`tokenize="none"`, `sacrebleu.corpus_bleu` gives the same numbers (the tests check it).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

from dlcourse.arguments import positive_int

__all__ = [
    "BleuScore",
    "ngram_counts",
    "modified_precision",
    "closest_reference_length",
    "brevity_penalty",
    "corpus_bleu",
    "sentence_bleu",
]

SMOOTHING = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}


class BleuScore(NamedTuple):
    """A BLEU score and the statistics it comes from; `float(score)` is the BLEU number.

    Attributes:
        score: BLEU on sacrebleu's 0-100 scale.
        precisions: the (smoothed) modified precisions p_1..p_N, in percent.
        brevity_penalty: BP.
        hypothesis_length: c, the total hypothesis length.
        reference_length: r, the total closest reference length.
        matches: the clipped n-gram matches per order, before smoothing.
        totals: the number of hypothesis n-grams per order, before smoothing.
    """

    score: float
    precisions: tuple
    brevity_penalty: float
    hypothesis_length: int
    reference_length: int
    matches: tuple
    totals: tuple

    def __float__(self):
        return float(self.score)


def ngram_counts(tokens, n):
    """How often each n-gram (a tuple of n tokens) occurs in `tokens`.

    Example:

    >>> sorted(ngram_counts(["a", "b", "a", "b"], 2).items())
    [(('a', 'b'), 2), (('b', 'a'), 1)]
    """
    tokens = list(tokens)
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def modified_precision(hypothesis, references, n):
    """Clipped n-gram matches and the number of hypothesis n-grams, as a pair (m_n, total_n).

    Each hypothesis n-gram counts at most as often as it occurs in the one reference where it
    occurs most (counts are clipped per reference, then the largest is taken).

    Args:
        hypothesis: a list of tokens.
        references: a list of token lists (at least one).
        n: the n-gram order.

    Returns:
        (matches, total): integers; the precision is matches / total.

    Example:

    >>> modified_precision("the the the the".split(), ["the cat".split(), "the the dog".split()], 1)
    (2, 4)
    """
    counts = ngram_counts(hypothesis, n)
    most = Counter()
    for reference in references:
        for gram, count in ngram_counts(reference, n).items():
            most[gram] = max(most[gram], count)
    return sum(min(count, most[gram]) for gram, count in counts.items()), sum(counts.values())


def closest_reference_length(hypothesis_length, reference_lengths):
    """The reference length closest to the hypothesis length; the shorter one on a tie.

    Example:

    >>> closest_reference_length(5, [3, 7, 9])
    3
    """
    return min(reference_lengths, key=lambda r: (abs(r - hypothesis_length), r))


def brevity_penalty(hypothesis_length, reference_length):
    """BP = 1 if c >= r else exp(1 - r / c), and 0 for an empty hypothesis (c = 0).

    Example:

    >>> round(brevity_penalty(4, 5), 4), brevity_penalty(6, 5), brevity_penalty(0, 5)
    (0.7788, 1.0, 0.0)
    """
    if hypothesis_length >= reference_length:
        return 1.0
    return math.exp(1.0 - reference_length / hypothesis_length) if hypothesis_length > 0 else 0.0


def corpus_bleu(hypotheses, references, max_order=4, smooth="none", smooth_value=None,
                effective_order=False):
    """Corpus BLEU of tokenized hypotheses against one or more references each (0-100).

    The statistics (clipped matches, n-gram totals, c and r) are summed over the whole corpus
    before the precisions and the brevity penalty are taken, so corpus BLEU is not the mean of
    the sentence BLEUs.

    Args:
        hypotheses: a list of hypotheses, each a list of tokens (strings or integers).
        references: a list with one entry per hypothesis, each a non-empty list of references,
            each a list of tokens. References may differ in number from hypothesis to
            hypothesis.
        max_order: N, the largest n-gram order (a positive integer). Defaults to 4.
        smooth: "none" (the default), "floor", "add-k" or "exp"; see the module docstring.
        smooth_value: the value of "floor" (default 0.1) and "add-k" (default 1).
        effective_order: whether to average only the orders that the hypotheses have any
            n-grams of. Defaults to False.

    Returns:
        A `BleuScore`; `float()` of it, or its `score`, is BLEU on the 0-100 scale.

    Example:

    >>> hypothesis = "the cat sat on the mat".split()
    >>> round(corpus_bleu([hypothesis], [["the cat sat on the red mat".split()]]).score, 2)
    67.32
    """
    max_order = positive_int("max_order", max_order)
    if smooth not in SMOOTHING:
        raise ValueError(f"smooth must be one of {', '.join(map(repr, SMOOTHING))}, got {smooth!r}.")
    value = SMOOTHING[smooth] if smooth_value is None else float(smooth_value)
    hypotheses, references = _check_corpus(hypotheses, references)
    matches, totals = [0] * max_order, [0] * max_order
    c = r = 0
    for hypothesis, refs in zip(hypotheses, references):
        c += len(hypothesis)
        r += closest_reference_length(len(hypothesis), [len(ref) for ref in refs])
        for n in range(1, max_order + 1):
            m, t = modified_precision(hypothesis, refs, n)
            matches[n - 1] += m
            totals[n - 1] += t
    bp = brevity_penalty(c, r)
    if not any(matches):  # nothing matches: 0, and no precision is smoothed (as sacrebleu)
        return BleuScore(0.0, (0.0,) * max_order, bp, c, r, tuple(matches), tuple(totals))
    precisions, order = _precisions(matches, totals, smooth, value, effective_order)
    if 0.0 in precisions[:order]:
        score = 0.0
    else:
        score = bp * math.exp(sum(math.log(p) for p in precisions[:order]) / order)
    return BleuScore(score, tuple(precisions), bp, c, r, tuple(matches), tuple(totals))


def sentence_bleu(hypothesis, references, max_order=4, smooth="none", smooth_value=None,
                  effective_order=False):
    """BLEU of one hypothesis against its references: `corpus_bleu` of a corpus of one.

    sacrebleu's own `sentence_bleu` defaults to smooth="exp" and effective_order=True; pass
    those to get its numbers.

    Args:
        hypothesis: a list of tokens.
        references: a non-empty list of references, each a list of tokens.
        max_order, smooth, smooth_value, effective_order: as in `corpus_bleu`.

    Returns:
        A `BleuScore`.

    Example:

    >>> round(sentence_bleu("a b c".split(), ["a b d".split()], smooth="exp", effective_order=True).score, 2)
    55.03
    """
    return corpus_bleu([hypothesis], [references], max_order, smooth, smooth_value, effective_order)


def _precisions(matches, totals, smooth, value, effective_order):
    """The smoothed precisions in percent and the number of orders to average."""
    matches, totals = [float(m) for m in matches], [float(t) for t in totals]
    precisions = [0.0] * len(matches)
    order, zeros = len(matches), 0
    for n in range(1, len(matches) + 1):
        if smooth == "add-k" and n > 1:
            matches[n - 1] += value
            totals[n - 1] += value
        if totals[n - 1] == 0:
            break  # no n-grams of this order (or above): these precisions stay 0
        if effective_order:
            order = n
        if matches[n - 1] > 0:
            precisions[n - 1] = 100.0 * matches[n - 1] / totals[n - 1]
        elif smooth == "exp":
            zeros += 1
            precisions[n - 1] = 100.0 / (2 ** zeros * totals[n - 1])
        elif smooth == "floor":
            precisions[n - 1] = 100.0 * value / totals[n - 1]
    return precisions, order


def _check_corpus(hypotheses, references):
    hypotheses, references = list(hypotheses), list(references)
    if len(hypotheses) != len(references):
        raise ValueError(f"got {len(hypotheses)} hypotheses but {len(references)} reference lists; "
                         "give one list of references per hypothesis.")
    for i, hypothesis in enumerate(hypotheses):
        if isinstance(hypothesis, str):
            raise ValueError(f"hypothesis {i} is a string; split it into a list of tokens first "
                             "(e.g. text.split()).")
    checked = []
    for i, refs in enumerate(references):
        if isinstance(refs, str) or not len(refs) or any(isinstance(ref, str) for ref in refs):
            raise ValueError(f"references[{i}] must be a non-empty list of token lists "
                             f"(e.g. [text.split()]), got {refs!r:.60}.")
        checked.append([list(ref) for ref in refs])
    return [list(h) for h in hypotheses], checked
