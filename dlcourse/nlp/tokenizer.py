"""A word-level vocabulary: whitespace tokens to integer ids and back, with padding.

Lecture: §5 NLP with Deep Learning; §5.1 Word Embeddings

A word embedding (§5.1) is a row of a table indexed by a word's id, and every model of the
chapter reads and writes sequences of such ids. `Vocabulary` is that mapping: four special
tokens first (`<pad>` 0, `<unk>` 1, `<bos>` 2, `<eos>` 3), then the corpus' words by
decreasing count. The notes do not cover tokenization; this is the plain word-level form of
cs224n's assignments (`dlcourse.llm` adds byte-pair encoding in chapter 8).
"""

from __future__ import annotations

import collections

import numpy as np

from dlcourse.arguments import non_negative_int, positive_int

__all__ = ["Vocabulary", "PAD", "UNK", "BOS", "EOS", "PAD_ID", "UNK_ID", "BOS_ID", "EOS_ID",
           "SPECIAL_TOKENS"]

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<bos>", "<eos>"
PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
SPECIAL_TOKENS = (PAD, UNK, BOS, EOS)


def _check_texts(texts):
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, got one string: wrap it as [text].")
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings, got {type(text).__name__} {text!r}.")
    return texts


class Vocabulary:
    """Whitespace tokens <-> ids, with `<pad>`, `<unk>`, `<bos>`, `<eos>` as ids 0 to 3.

    Texts are split on white space (`str.split`), nothing else: no lowercasing, no punctuation
    rules. Ids 0-3 are the special tokens, then the kept words in order of decreasing count,
    ties in alphabetical order, so the same texts always give the same ids.

    Args:
        tokens: every token in id order, the four special tokens first (what `build` makes and
            `get_config` stores).

    Example:

    >>> vocab = Vocabulary.build(["the cat sat", "the dog"])
    >>> len(vocab), vocab.token_to_id("the"), vocab.token_to_id("zebra")
    (8, 4, 1)
    >>> vocab.encode(["the cat", "dog"], bos=True, eos=True).tolist()
    [[2, 4, 5, 3], [2, 6, 3, 0]]
    >>> vocab.decode([[2, 4, 5, 3], [2, 6, 3, 0]])
    ['the cat', 'dog']
    """

    def __init__(self, tokens):
        tokens = [str(token) for token in tokens]
        if tuple(tokens[:4]) != SPECIAL_TOKENS:
            raise ValueError(f"a vocabulary's first tokens must be {list(SPECIAL_TOKENS)}, got "
                             f"{tokens[:4]}; build one with Vocabulary.build(texts).")
        if len(set(tokens)) != len(tokens):
            repeated = sorted({t for t in tokens if tokens.count(t) > 1})
            raise ValueError(f"a vocabulary's tokens must be distinct, got {repeated} twice.")
        self._tokens = tokens
        self._ids = {token: index for index, token in enumerate(tokens)}

    @classmethod
    def build(cls, texts, min_count=1, max_size=None):
        """The vocabulary of `texts`: words seen at least `min_count` times, the most frequent.

        Args:
            texts: a list of strings.
            min_count: the fewest occurrences for a word to be kept, >= 1.
            max_size: the most tokens in all, the four special tokens included (>= 4), or None
                for no limit; the most frequent words are kept.

        Returns:
            A `Vocabulary`.
        """
        texts = _check_texts(texts)
        min_count = positive_int("min_count", min_count)
        if max_size is not None and (not isinstance(max_size, (int, np.integer)) or max_size < 4):
            raise ValueError(f"max_size must be an integer >= 4 (the special tokens) or None, "
                             f"got {max_size!r}.")
        counts = collections.Counter(token for text in texts for token in text.split())
        words = sorted((t for t, c in counts.items() if c >= min_count and t not in SPECIAL_TOKENS),
                       key=lambda t: (-counts[t], t))
        if max_size is not None:
            words = words[: int(max_size) - 4]
        return cls(list(SPECIAL_TOKENS) + words)

    def __len__(self):
        return len(self._tokens)

    def __contains__(self, token):
        return token in self._ids

    @property
    def tokens(self):
        """Every token in id order (a copy)."""
        return list(self._tokens)

    def token_to_id(self, token):
        """The id of `token`, `UNK_ID` when it is not in the vocabulary."""
        return self._ids.get(token, UNK_ID)

    def id_to_token(self, index):
        """The token of id `index`, 0 <= index < len(self)."""
        index = non_negative_int("index", index)
        if index >= len(self._tokens):
            raise ValueError(f"index must be below the vocabulary size {len(self._tokens)}, "
                             f"got {index}.")
        return self._tokens[index]

    def encode(self, texts, max_length=None, bos=False, eos=False):
        """Ids of `texts`, padded with `PAD_ID` on the right to one length.

        Each text becomes [BOS_ID if bos] + its tokens' ids (UNK_ID for unknown words) +
        [EOS_ID if eos], then is cut to `max_length` (the end goes, EOS included) or padded.

        Args:
            texts: a list of strings.
            max_length: the length of every row, >= 1; None for the longest row's length.
            bos: start each row with `BOS_ID`.
            eos: end each row with `EOS_ID` (before the padding).

        Returns:
            np.int32 array of shape (len(texts), length).
        """
        texts = _check_texts(texts)
        rows = [([BOS_ID] if bos else []) + [self.token_to_id(t) for t in text.split()]
                + ([EOS_ID] if eos else []) for text in texts]
        if max_length is None:
            length = max((len(row) for row in rows), default=0)
        else:
            length = positive_int("max_length", max_length)
        ids = np.full((len(rows), length), PAD_ID, dtype=np.int32)
        for i, row in enumerate(rows):
            row = row[:length]
            ids[i, : len(row)] = row
        return ids

    def decode(self, ids, strip_special=True):
        """Texts of rows of ids.

        Args:
            ids: integer array-like of shape (batch, length), or (length,) for one sequence.
            strip_special: stop each row at its first `EOS_ID` and drop `PAD_ID` and `BOS_ID`
                (`<unk>` stays, as the word it stands for is unknown); False renders every id.

        Returns:
            A list of strings, one per row (one for a 1-D `ids`).
        """
        ids = np.asarray(ids)
        if ids.ndim == 1:
            ids = ids[None]
        if ids.ndim != 2 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
            raise ValueError(f"ids must be integers of shape (batch, length) or (length,), got "
                             f"shape {ids.shape} of dtype {ids.dtype}.")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self._tokens)):
            raise ValueError(f"ids must lie in [0, {len(self._tokens)}), the vocabulary's ids, "
                             f"got values in [{ids.min()}, {ids.max()}].")
        texts = []
        for row in ids.tolist():
            if strip_special:
                if EOS_ID in row:
                    row = row[: row.index(EOS_ID)]
                row = [i for i in row if i not in (PAD_ID, BOS_ID)]
            texts.append(" ".join(self._tokens[i] for i in row))
        return texts

    def get_config(self):
        """A JSON-able dict; `Vocabulary.from_config(config)` rebuilds the vocabulary."""
        return {"tokens": list(self._tokens)}

    @classmethod
    def from_config(cls, config):
        return cls(config["tokens"])

    def __eq__(self, other):
        return isinstance(other, Vocabulary) and self._tokens == other._tokens

    def __repr__(self):
        return f"Vocabulary({len(self)} tokens)"
