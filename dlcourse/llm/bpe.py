"""Byte-level byte-pair encoding (BPE): the tokenizer of GPT-2 and of most LLMs since.

Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this module follows CS336's first assignment, which
builds GPT-2's byte-level BPE (Radford et al., 2019) on the merge algorithm of Sennrich et al.
(2016).

A text is first cut at its special tokens (e.g. "<|endoftext|>"), which are never split and
never merged into anything. Each piece is cut into pre-tokens by GPT-2's regular expression
(`GPT2_SPLIT_PATTERN`: contractions, an optional space followed by letters, by digits or by
other symbols, and runs of white space), and each pre-token becomes the sequence of its UTF-8
bytes. Training starts from the 256 single bytes and repeats `num_merges` times:

1. count every pair of adjacent symbols inside each pre-token, weighted by how often the
   pre-token occurs (a pair never spans two pre-tokens);
2. merge the most frequent pair (a, b) into the new symbol ab everywhere, left to right;
3. count again (in practice, update the counts of the pairs the merge touched).

Ties between equally frequent pairs go to the lexicographically greatest pair of byte strings,
(a, b) > (c, d) when a > c, or a == c and b > d, comparing bytes as Python does (CS336's rule).
Encoding applies the learned merges to each pre-token in the order they were learned (lowest
rank first), which reproduces the training segmentation.

Token ids: 0..255 are the bytes, 256 + i is the i-th merge (in training order), and the
special tokens come last, in the order given. Decoding concatenates the tokens' bytes and reads
them as UTF-8 with `errors="replace"`: an id sequence that cuts a character in half (possible
for arbitrary ids) decodes to U+FFFD instead of raising. Every text round-trips:
decode(encode(text)) == text.

Beyond CS336 (ours): `learn_merges` is the merge core on any symbols (bytes or str), so that
Sennrich et al.'s word-level example, with its end-of-word marker, runs on the same code.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict

from dlcourse.arguments import int_at_least, non_negative_int

try:  # the `regex` package knows \p{L} and \p{N}, which GPT-2's pattern needs
    import regex as _regex
except ImportError:  # pragma: no cover - regex is a dependency of dlcourse
    _regex = None

__all__ = ["GPT2_SPLIT_PATTERN", "BytePairTokenizer", "learn_merges", "pretokenize", "train_bpe"]

# GPT-2's pre-tokenizer (openai/gpt-2, encoder.py), also Hugging Face's ByteLevel(use_regex=True).
GPT2_SPLIT_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

_COMPILED = {}


def _compiled(pattern):
    if _regex is None:  # pragma: no cover
        raise ImportError("BPE pre-tokenization needs the `regex` package; install it with `pip install regex`.")
    if pattern not in _COMPILED:
        _COMPILED[pattern] = _regex.compile(pattern)
    return _COMPILED[pattern]


def _special_splitter(special_tokens):
    """A compiled pattern that captures any special token, longest first (None if there are none)."""
    if not special_tokens:
        return None
    alternatives = "|".join(_regex.escape(token) for token in sorted(special_tokens, key=len, reverse=True))
    return _regex.compile(f"({alternatives})")


def _check_special_tokens(special_tokens):
    if isinstance(special_tokens, str):
        special_tokens = (special_tokens,)
    special_tokens = tuple(special_tokens)
    for token in special_tokens:
        if not isinstance(token, str) or not token:
            raise ValueError(f"special tokens must be non-empty strings, got {token!r}.")
    if len(set(special_tokens)) != len(special_tokens):
        raise ValueError(f"special tokens must be distinct, got {list(special_tokens)}.")
    return special_tokens


def _texts(texts):
    if isinstance(texts, str):
        return [texts]
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"texts must be a string or an iterable of strings, got an item of type {type(text).__name__}.")
    return texts


def pretokenize(text, special_tokens=(), pattern=GPT2_SPLIT_PATTERN):
    """Cuts a text into special tokens and pre-tokens.

    Args:
        text: a string.
        special_tokens: strings that are kept whole, never split (longest match first).
        pattern: the pre-tokenizer's regular expression (`regex` syntax); GPT-2's by default.

    Returns:
        A list of (piece, is_special) pairs whose pieces concatenate to `text`.

    Example:

    >>> from dlcourse.llm.bpe import pretokenize
    >>> pretokenize("hi there<|endoftext|>it's", special_tokens=["<|endoftext|>"])
    [('hi', False), (' there', False), ('<|endoftext|>', True), ('it', False), ("'s", False)]
    """
    special_tokens = _check_special_tokens(special_tokens)
    splitter = _special_splitter(special_tokens)
    chunks = splitter.split(text) if splitter is not None else [text]
    compiled = _compiled(pattern)
    pieces = []
    for index, chunk in enumerate(chunks):
        if index % 2 == 1:  # re.split puts the captured separators at odd positions
            pieces.append((chunk, True))
        elif chunk:
            pieces.extend((piece, False) for piece in compiled.findall(chunk))
    return pieces


class _GreatestFirst:
    """Heap key that orders pairs of symbols from the greatest down (heapq is a min-heap)."""

    __slots__ = ("pair",)

    def __init__(self, pair):
        self.pair = pair

    def __lt__(self, other):
        return self.pair > other.pair


def learn_merges(word_counts, num_merges, return_counts=False):
    """The BPE merge loop on words given as sequences of symbols.

    Repeats `num_merges` times: count adjacent pairs inside each word, weighted by the word's
    count; merge the most frequent pair (ties: the lexicographically greatest pair) into one
    symbol a + b everywhere, left to right. Stops early when no word has two symbols left.
    The counts are updated incrementally: only the words that contain the merged pair are
    counted again.

    Args:
        word_counts: dict from a tuple of symbols (all bytes, or all str) to its count (> 0).
        num_merges: the number of merges to learn, >= 0.
        return_counts: also return the count each merged pair had when it was chosen.

    Returns:
        The merges, a list of (a, b) pairs in the order learned (and, with `return_counts`,
        the list of their counts).

    Example (the dictionary of Sennrich et al., 2016, Algorithm 1, with its end-of-word marker):

    >>> from dlcourse.llm.bpe import learn_merges
    >>> words = {("l", "o", "w", "</w>"): 5, ("l", "o", "w", "e", "r", "</w>"): 2,
    ...          ("n", "e", "w", "e", "s", "t", "</w>"): 6, ("w", "i", "d", "e", "s", "t", "</w>"): 3}
    >>> learn_merges(words, 3)
    [('t', '</w>'), ('s', 't</w>'), ('e', 'st</w>')]
    """
    num_merges = non_negative_int("num_merges", num_merges)
    words, counts = [], []
    for word, count in dict(word_counts).items():
        if not isinstance(count, int) or count <= 0:
            raise ValueError(f"word counts must be positive integers, got {count!r} for {word!r}.")
        words.append(list(word))
        counts.append(count)

    pair_counts = defaultdict(int)
    pair_words = defaultdict(set)  # pair -> indices of the words that contain it
    for index, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_counts[pair] += counts[index]
            pair_words[pair].add(index)
    heap = [(-count, _GreatestFirst(pair)) for pair, count in pair_counts.items()]
    heapq.heapify(heap)

    merges, merge_counts = [], []
    while len(merges) < num_merges and heap:
        negative_count, key = heapq.heappop(heap)
        pair = key.pair
        if pair_counts.get(pair, 0) != -negative_count:
            continue  # a stale entry: the pair's count changed after it was pushed
        merges.append(pair)
        merge_counts.append(-negative_count)
        a, b = pair
        merged = a + b
        touched = set()
        for index in pair_words.pop(pair):
            word, count = words[index], counts[index]
            for old in zip(word, word[1:]):
                pair_counts[old] -= count
                touched.add(old)
            new_word, position = [], 0
            while position < len(word):
                if position + 1 < len(word) and word[position] == a and word[position + 1] == b:
                    new_word.append(merged)
                    position += 2
                else:
                    new_word.append(word[position])
                    position += 1
            words[index] = new_word
            for old in zip(word, word[1:]):
                pair_words[old].discard(index)
            for new in zip(new_word, new_word[1:]):
                pair_counts[new] += count
                pair_words[new].add(index)
                touched.add(new)
        for changed in touched:
            if pair_counts[changed] > 0:
                heapq.heappush(heap, (-pair_counts[changed], _GreatestFirst(changed)))
            else:
                pair_counts.pop(changed, None)
                pair_words.pop(changed, None)
    return (merges, merge_counts) if return_counts else merges


def _pretoken_counts(texts, special_tokens, pattern):
    compiled = _compiled(pattern)
    splitter = _special_splitter(special_tokens)
    counts = Counter()
    for text in texts:
        for chunk in (splitter.split(text)[::2] if splitter is not None else [text]):
            counts.update(compiled.findall(chunk))
    return counts


def train_bpe(texts, num_merges, special_tokens=(), pattern=GPT2_SPLIT_PATTERN, return_counts=False):
    """Trains byte-level BPE merges on texts (a pure function).

    Each text is cut at the special tokens (which are dropped: they are never merged), then into
    GPT-2 pre-tokens; the pre-tokens are counted and each becomes the tuple of its single bytes;
    `learn_merges` learns the merges (ties: the lexicographically greatest pair of byte strings).

    Args:
        texts: a string or an iterable of strings.
        num_merges: the number of merges to learn, >= 0 (fewer when no pair is left).
        special_tokens: strings that are never split.
        pattern: the pre-tokenizer's regular expression; GPT-2's by default.
        return_counts: also return the count of each merge when it was chosen.

    Returns:
        The merges, a list of (bytes, bytes) pairs in the order learned (and their counts).

    Example ((b"l", b"o"), (b"o", b"w") and (b"w", b"e") occur 3 times each; the greatest wins):

    >>> from dlcourse.llm.bpe import train_bpe
    >>> train_bpe(["low low lower newest<|endoftext|>newest"], 3, special_tokens=["<|endoftext|>"],
    ...           return_counts=True)
    ([(b'w', b'e'), (b'l', b'o'), (b'we', b's')], [3, 3, 2])
    """
    special_tokens = _check_special_tokens(special_tokens)
    counts = _pretoken_counts(_texts(texts), special_tokens, pattern)
    word_counts = {tuple(bytes([byte]) for byte in piece.encode("utf-8")): count for piece, count in counts.items()}
    return learn_merges(word_counts, num_merges, return_counts=return_counts)


class BytePairTokenizer:
    """A byte-level BPE tokenizer: GPT-2's pre-tokenizer, learned merges and special tokens.

    Ids 0..255 are the single bytes, 256 + i is merge i (in training order) and the special
    tokens follow, so `vocabulary_size = 256 + len(merges) + len(special_tokens)`. Special
    tokens in a text are always recognised and never split; everything else is cut into GPT-2
    pre-tokens, each encoded by applying the merges in rank order (cached per pre-token).
    Decoding joins the tokens' bytes and decodes UTF-8 with errors="replace".

    Args:
        merges: the merges, a list of (bytes, bytes) pairs in rank order, each pair made of
            tokens that exist by then (single bytes or earlier merges).
        special_tokens: strings that are never split; their ids come after the merges.
        pattern: the pre-tokenizer's regular expression; GPT-2's by default.

    Example:

    >>> from dlcourse.llm import BytePairTokenizer
    >>> tokenizer = BytePairTokenizer.train(["the cat sat on the mat"] * 10, vocabulary_size=262)
    >>> tokenizer.vocabulary_size, tokenizer.token_to_id("<|endoftext|>")
    (262, 261)
    >>> ids = tokenizer.encode("the cat<|endoftext|>")
    >>> ids[-1], tokenizer.decode(ids)
    (261, 'the cat<|endoftext|>')
    """

    def __init__(self, merges, special_tokens=(), pattern=GPT2_SPLIT_PATTERN):
        self.special_tokens = _check_special_tokens(special_tokens)
        if not isinstance(pattern, str):
            raise TypeError(f"pattern must be a regular expression string, got {type(pattern).__name__}.")
        self.pattern = pattern
        self._vocab = [bytes([byte]) for byte in range(256)]
        self._ids = {token: index for index, token in enumerate(self._vocab)}
        self._ranks = {}
        self.merges = []
        for rank, pair in enumerate(merges):
            a, b = (bytes(part) if isinstance(part, (bytes, bytearray)) else part for part in pair)
            if not (isinstance(a, bytes) and isinstance(b, bytes)) or a not in self._ids or b not in self._ids:
                raise ValueError(
                    f"merge {rank} is {pair!r}; each merge must be a pair of tokens (bytes) that exist before it.")
            key = (self._ids[a], self._ids[b])
            if key in self._ranks:
                raise ValueError(f"merge {rank} repeats the pair {pair!r}; merges must be distinct.")
            # Two merges can spell the same bytes; the first id of those bytes is the one used.
            self._ids.setdefault(a + b, len(self._vocab))
            self._ranks[key] = (rank, self._ids[a + b])
            self._vocab.append(a + b)
            self.merges.append((a, b))
        first_special = len(self._vocab)
        self._special_ids = {token: first_special + index for index, token in enumerate(self.special_tokens)}
        self._special_by_id = {index: token for token, index in self._special_ids.items()}
        self._compiled = _compiled(pattern)
        self._splitter = _special_splitter(self.special_tokens)
        self._cache = {}

    @classmethod
    def train(cls, texts, vocabulary_size, special_tokens=("<|endoftext|>",), pattern=GPT2_SPLIT_PATTERN):
        """Learns a tokenizer of `vocabulary_size` tokens from texts.

        Args:
            texts: a string or an iterable of strings (documents may be joined by a special token).
            vocabulary_size: 256 bytes + merges + special tokens, at least 256 + len(special_tokens).
                Training stops earlier when no pair is left (see `.vocabulary_size`).
            special_tokens: strings that are never split; "<|endoftext|>" by default.
            pattern: the pre-tokenizer's regular expression; GPT-2's by default.

        Returns:
            A `BytePairTokenizer`.
        """
        special_tokens = _check_special_tokens(special_tokens)
        vocabulary_size = int_at_least("vocabulary_size", vocabulary_size, 256 + len(special_tokens))
        merges = train_bpe(texts, vocabulary_size - 256 - len(special_tokens), special_tokens, pattern)
        return cls(merges, special_tokens, pattern)

    @property
    def vocabulary_size(self):
        """The number of ids: 256 + len(merges) + len(special_tokens)."""
        return len(self._vocab) + len(self.special_tokens)

    def token_to_id(self, token):
        """The id of a special token, or of a str/bytes that is one token of the vocabulary."""
        if isinstance(token, str) and token in self._special_ids:
            return self._special_ids[token]
        key = token.encode("utf-8") if isinstance(token, str) else bytes(token)
        if key not in self._ids:
            raise KeyError(f"{token!r} is not a token of this vocabulary; encode it with .encode() instead.")
        return self._ids[key]

    def id_to_bytes(self, token_id):
        """The bytes of one id (a special token's UTF-8 bytes for a special id)."""
        token_id = int(token_id)
        if token_id in self._special_by_id:
            return self._special_by_id[token_id].encode("utf-8")
        if not 0 <= token_id < len(self._vocab):
            raise ValueError(f"token id {token_id} is out of range; ids lie in [0, {self.vocabulary_size}).")
        return self._vocab[token_id]

    def _encode_pretoken(self, piece):
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        ids = list(piece.encode("utf-8"))
        ranks = self._ranks
        no_merge = (float("inf"), None)
        while len(ids) > 1:
            best = min(zip(ids, ids[1:]), key=lambda pair: ranks.get(pair, no_merge)[0])
            if best not in ranks:
                break
            merged = ranks[best][1]
            new_ids, position = [], 0
            while position < len(ids):
                if position + 1 < len(ids) and ids[position] == best[0] and ids[position + 1] == best[1]:
                    new_ids.append(merged)
                    position += 2
                else:
                    new_ids.append(ids[position])
                    position += 1
            ids = new_ids
        if len(self._cache) < 1_000_000:
            self._cache[piece] = ids
        return ids

    def encode(self, text):
        """Token ids of a text (a list of ints); special tokens map to their own ids."""
        if not isinstance(text, str):
            raise TypeError(f"encode takes a string, got {type(text).__name__}.")
        chunks = self._splitter.split(text) if self._splitter is not None else [text]
        ids = []
        for index, chunk in enumerate(chunks):
            if index % 2 == 1:
                ids.append(self._special_ids[chunk])
            elif chunk:
                for piece in self._compiled.findall(chunk):
                    ids.extend(self._encode_pretoken(piece))
        return ids

    def decode(self, ids):
        """The text of token ids; byte runs that are not valid UTF-8 become U+FFFD (errors="replace")."""
        return b"".join(self.id_to_bytes(token_id) for token_id in ids).decode("utf-8", errors="replace")

    def get_config(self):
        """A JSON-able dict: merges as pairs of token ids, special tokens and the pattern."""
        return {
            "merges": [[self._ids[a], self._ids[b]] for a, b in self.merges],  # 256 + i is merge i
            "special_tokens": list(self.special_tokens),
            "pattern": self.pattern,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuilds a tokenizer from `get_config()`."""
        vocab = [bytes([byte]) for byte in range(256)]
        merges = []
        for left, right in config["merges"]:
            if not (0 <= left < len(vocab) and 0 <= right < len(vocab)):
                raise ValueError(f"merge [{left}, {right}] names an id that does not exist yet; the config is corrupt.")
            merges.append((vocab[left], vocab[right]))
            vocab.append(vocab[left] + vocab[right])
        return cls(merges, config.get("special_tokens", ()), config.get("pattern", GPT2_SPLIT_PATTERN))

    def save(self, path):
        """Writes `get_config()` as JSON to `path`."""
        with open(path, "w", encoding="utf-8") as file:
            json.dump(self.get_config(), file)

    @classmethod
    def load(cls, path):
        """Reads a tokenizer that `save` wrote."""
        with open(path, encoding="utf-8") as file:
            return cls.from_config(json.load(file))

    def __repr__(self):
        return (f"BytePairTokenizer(vocabulary_size={self.vocabulary_size}, merges={len(self.merges)}, "
                f"special_tokens={list(self.special_tokens)})")
