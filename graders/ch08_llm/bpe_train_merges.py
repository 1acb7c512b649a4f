"""Grader for ch08_llm/bpe_train_merges."""

import copy

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.bpe", "tokenizers", "tiktoken", "keras_hub")
SHAPES = {"bpe_train_merges": {}}  # a dict of byte tuples and an int: no arrays


def _bytes_of(word):
    return tuple(bytes([byte]) for byte in word.encode("utf-8"))


def _merges(sub, pretoken_counts, num_merges):
    """The merges as a (M, 2) array of hex strings (bytes are compared exactly, shown readably)."""
    merges = sub.bpe_train_merges(pretoken_counts, num_merges)
    rows = []
    for pair in merges:
        a, b = pair
        if not (isinstance(a, bytes) and isinstance(b, bytes)):
            raise TypeError(f"each merge must be a pair of bytes objects, got {pair!r}.")
        rows.append([a.hex(), b.hex()])
    return np.array(rows, dtype=str).reshape(len(rows), 2)


def _words(counts):
    return {_bytes_of(word): count for word, count in counts.items()}


def _corpus_counts(seed, size):
    """Pre-token counts of random sentences over a small vocabulary with some non-ASCII words."""
    rng = np.random.default_rng(seed)
    vocabulary = ["the", "cat", "sat", "on", "mat", "hat", "that", "chat", "naïve", "café", "日本", "🐱",
                  "aaa", "banana", "bandana", "at", "a"]
    counts = {}
    for _ in range(size):
        for index, word in enumerate(rng.choice(len(vocabulary), size=rng.integers(3, 9))):
            piece = vocabulary[word] if index == 0 else " " + vocabulary[word]
            counts[piece] = counts.get(piece, 0) + 1
    return _words(counts)


@check(points=1, visible=True)
def sennrich_dictionary(sub):
    """low, lower, newest, widest with counts 5, 2, 6, 3 (Sennrich et al.'s example, no end marker)."""
    words = _words({"low": 5, "lower": 2, "newest": 6, "widest": 3})
    return {"merges": _merges(sub, words, 8)}


@check(points=2, hint="Ties go to the lexicographically greatest pair (a, b) of bytes objects.")
def ties_broken_by_the_greatest_pair(sub):
    """dictionaries where many pairs tie: all counts equal, and mirrored words."""
    out = {}
    for name, counts, num_merges in (("equal", {"ab": 1, "ba": 1, "cd": 1, "dc": 1, "abcd": 1}, 6),
                                     ("mirror", {"xyz": 3, "zyx": 3, "yy": 3, "x": 9}, 5),
                                     ("prefix", {"b": 2, "ab": 2, "abb": 2, "ba": 4}, 4)):
        out[name] = _merges(sub, _words(counts), num_merges)
    return out


@check(points=2)
def random_corpora_with_unicode(sub):
    """pre-token counts of random sentences (with leading spaces, UTF-8 letters and an emoji), 40 merges."""
    return {f"merges_{seed}": _merges(sub, _corpus_counts(seed, 30), 40) for seed in (1, 2)}


def _untouched(student, reference):
    if not np.array_equal(student["unchanged"], np.array(True)):
        raise AssertionError("bpe_train_merges changed its pretoken_counts argument; work on a copy.")
    for key in reference:
        if key != "unchanged":
            np.testing.assert_array_equal(student[key], reference[key],
                                          err_msg=f"`{key}` is not the expected list of merges.")


@check(points=1, compare=_untouched, requires=("sennrich_dictionary",))
def overlaps_exhaustion_and_no_mutation(sub):
    """overlapping pairs (b"aaaaa"), zero merges, more merges than the corpus allows; the input unchanged."""
    words = _words({"aaaaa": 1, "aaa": 2, " a": 5, "q": 4})
    before = copy.deepcopy(words)
    out = {"overlap": _merges(sub, words, 3),
           "zero": _merges(sub, _words({"low": 5, "lower": 2}), 0),
           "exhausted": _merges(sub, _words({"abc": 2, "d": 7, "de": 1}), 10)}
    out["unchanged"] = np.array(words == before)
    return out
