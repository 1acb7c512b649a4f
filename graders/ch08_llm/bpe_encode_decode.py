"""Grader for ch08_llm/bpe_encode_decode."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.bpe", "tokenizers", "tiktoken", "keras_hub")
SHAPES = {"bpe_encode": {}, "bpe_decode": {}}  # strings, lists of bytes pairs and lists of ids: no arrays

SPECIALS = ["<|endoftext|>", "<|pad|>"]
_TRAINING_TEXT = ("the cat sat on the mat. that cat? a chat! naïve café 日本語 🐱🐱 it's 2024, 1234 "
                  "   spaces\n\nnewlines <|endoftext|> the hat on the cat" * 3)


def _merges(num_merges=60):
    """Merges trained by the course's library (the same in the grader's and the student's run)."""
    from dlcourse.llm.bpe import train_bpe

    return train_bpe([_TRAINING_TEXT], num_merges, special_tokens=SPECIALS)


def _ids(sub, text, merges, specials):
    ids = sub.bpe_encode(text, merges, specials)
    return np.array([int(i) for i in ids], dtype=np.int64)


def _text(sub, ids, merges, specials):
    return np.array(str(sub.bpe_decode([int(i) for i in ids], merges, specials)))


def _random_text(rng, length):
    """Random Unicode: ASCII letters and spaces, Latin-1, combining marks, CJK, emoji, newlines, tabs."""
    pools = ["abcdefghij ", "   ", "\n\t", "éüßñ", "\u0301\u0308", "日本語漢字", "🐱🐶🚀", "0123456789", ".,!?'s"]
    return "".join(rng.choice(list(pools[rng.integers(len(pools))])) for _ in range(length))


@check(points=1, visible=True)
def encode_and_decode_short_texts(sub):
    """three short texts with trained merges and no special tokens, encoded and decoded back."""
    merges = _merges()
    out = {}
    for index, text in enumerate(["the cat sat on the mat", "that hat", "chat 日本"]):
        ids = _ids(sub, text, merges, [])
        out[f"ids_{index}"] = ids
        out[f"text_{index}"] = _text(sub, ids, merges, [])
    return out


@check(points=1, hint="Apply the merge of lowest rank first, wherever it is, not the leftmost mergeable pair.")
def lowest_rank_first(sub):
    """hand-made merges where the leftmost mergeable pair is not the lowest-ranked one."""
    merges = [(b"b", b"c"), (b"a", b"b"), (b"c", b"d"), (b"ab", b"cd"), (b"a", b"bc"), (b"d", b"d"),
              (b"dd", b"d")]
    return {f"ids_{index}": _ids(sub, text, merges, [])
            for index, text in enumerate(["abcd", "abcdabcd", "aabbccdd", "ddddd", "cdab", "abc bcd"])}


@check(points=1, hint="Encode each pre-token on its own: merges never join two pre-tokens.")
def pre_tokens_never_merged_across(sub):
    """merges that would join a word to the next space, and trained merges on random sentences."""
    crossing = [(b"t", b" "), (b" ", b"c"), (b"c", b"a"), (b"a", b"t"), (b"!", b" "), (b"s", b"!")]
    out = {f"crossing_{index}": _ids(sub, text, crossing, [])
           for index, text in enumerate(["cat cat", "cats! cat", "t  c", "cat\n cat"])}
    rng = np.random.default_rng(3)
    words = ["the", "cat", "sat", "on", "mat", "that", "naïve", "café", "it's", "2024", "🐱"]
    merges = _merges()
    for index in range(4):
        text = " ".join(rng.choice(words, size=8))
        out[f"trained_{index}"] = _ids(sub, text, merges, [])
    return out


@check(points=1, hint="Cut the text at the special tokens before pre-tokenizing; each becomes one id.")
def special_tokens_kept_whole(sub):
    """special tokens at the start, at the end, adjacent, inside a word, and alone."""
    merges = _merges()
    texts = ["<|endoftext|>the cat", "the cat<|endoftext|>", "<|pad|><|pad|><|endoftext|>", "cat<|pad|>s",
             "<|endoftext|>", "the <|endoftext|> cat <|pad|>", "no special token here"]
    return {f"ids_{index}": _ids(sub, text, merges, SPECIALS) for index, text in enumerate(texts)}


@check(points=1, hint='Join all the bytes first, then decode once with errors="replace".')
def decode_arbitrary_ids(sub):
    """random ids (single bytes >= 128 included), ids that cut characters in half, and no ids."""
    merges = _merges()
    size = 256 + len(merges) + len(SPECIALS)
    rng = np.random.default_rng(5)
    out = {f"random_{index}": _text(sub, rng.integers(0, size, 12), merges, SPECIALS) for index in range(5)}
    out["split_emoji"] = _text(sub, list("🐱".encode("utf-8")) + list("é".encode("utf-8"))[:1], merges, SPECIALS)
    out["joined_bytes"] = _text(sub, list("日本".encode("utf-8")), merges, SPECIALS)
    out["empty"] = _text(sub, [], merges, SPECIALS)
    return out


@check(points=1)
def unicode_round_trip(sub):
    """random Unicode strings (CJK, emoji, combining marks, runs of spaces) with special tokens: ids and round trip."""
    merges = _merges()
    rng = np.random.default_rng(7)
    out = {}
    for index in range(6):
        text = _random_text(rng, 30) + SPECIALS[index % 2] + _random_text(rng, 10)
        ids = _ids(sub, text, merges, SPECIALS)
        out[f"ids_{index}"] = ids
        out[f"text_{index}"] = _text(sub, ids, merges, SPECIALS)
    out["empty"] = _ids(sub, "", merges, SPECIALS)
    return out
