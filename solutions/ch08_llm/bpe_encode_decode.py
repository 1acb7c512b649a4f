# %% [markdown]
"""Byte-pair encoding: encoding and decoding with learned merges (6 points)
Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this exercise follows the byte-level BPE tokenizer of
CS336's first assignment and GPT-2 (Radford et al., 2019).

A tokenizer is given by its merges, a list of (a, b) pairs of bytes in the order training
learned them (merge i has rank i), and by its special tokens, a list of strings. The ids are:
0..255 the single bytes, 256 + i the token a + b of merge i, and 256 + len(merges) + j the
special token j. In the tests every merge makes a new byte string, and no special token
contains another.

Implement `bpe_encode(text, merges, special_tokens)` -> list of int ids:

1. Cut the text at the special tokens first: each occurrence of a special token becomes its
   own id and is never split or merged with its neighbours.
2. Cut every other piece into pre-tokens with the given `pretokenize` (GPT-2's pattern).
3. Encode each pre-token on its own, so no token spans two pre-tokens: start from its UTF-8
   bytes as single-byte symbols, and repeatedly merge, everywhere in the pre-token and left to
   right, the adjacent pair with the lowest rank among the merges, until no adjacent pair is a
   merge. Then map each symbol to its id.

Implement `bpe_decode(ids, merges, special_tokens)` -> str: join the bytes of every id (a
special token's bytes are its UTF-8 encoding) and decode the whole byte string as UTF-8 with
errors="replace", so that ids cutting a character in half (any list of ids in
[0, 256 + len(merges) + len(special_tokens)) may be given) give U+FFFD instead of an error.
Decoding joins the bytes before decoding: one character's bytes may lie in several tokens.
For every text, bpe_decode(bpe_encode(text, ...), ...) == text.

Example: with merges [(b"h", b"e"), (b"t", b"he")] and special token "<|endoftext|>",
"the<|endoftext|>he" encodes to [257, 258, 256].

You may not use dlcourse.llm, dlcourse.llm.bpe (they hold the answer), tokenizers, tiktoken or
keras_hub (their BPE tokenizers).
"""

# %%
import re

import regex

# GPT-2's pre-tokenizer (given): contractions, an optional space and letters, digits or other
# symbols, and runs of white space. The `regex` module is needed for \p{L} (letters) and \p{N}.
GPT2_PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def pretokenize(text):
    """GPT-2's pre-tokens of a text without special tokens; they concatenate to `text`."""
    return GPT2_PATTERN.findall(text)


# %%
def bpe_encode(text, merges, special_tokens=()):
    """The token ids of text (a list of ints)."""
    ### BEGIN SOLUTION
    ranks = {tuple(pair): rank for rank, pair in enumerate(merges)}
    ids_of = {bytes([byte]): byte for byte in range(256)}
    for rank, (a, b) in enumerate(merges):
        ids_of[a + b] = 256 + rank
    special_ids = {token: 256 + len(merges) + j for j, token in enumerate(special_tokens)}
    if special_tokens:
        chunks = re.split("(" + "|".join(re.escape(token) for token in special_tokens) + ")", text)
    else:
        chunks = [text]
    ids = []
    for index, chunk in enumerate(chunks):
        if index % 2 == 1:  # re.split puts the captured special tokens at odd positions
            ids.append(special_ids[chunk])
            continue
        for piece in pretokenize(chunk):
            symbols = [bytes([byte]) for byte in piece.encode("utf-8")]
            while len(symbols) > 1:
                best = min(zip(symbols, symbols[1:]), key=lambda pair: ranks.get(pair, float("inf")))
                if best not in ranks:
                    break
                merged, position = [], 0
                while position < len(symbols):
                    if tuple(symbols[position:position + 2]) == best:
                        merged.append(best[0] + best[1])
                        position += 2
                    else:
                        merged.append(symbols[position])
                        position += 1
                symbols = merged
            ids.extend(ids_of[symbol] for symbol in symbols)
    return ids
    ### END SOLUTION


# %%
def bpe_decode(ids, merges, special_tokens=()):
    """The text of token ids (invalid UTF-8 becomes U+FFFD)."""
    ### BEGIN SOLUTION
    vocabulary = ([bytes([byte]) for byte in range(256)] + [a + b for a, b in merges]
                  + [token.encode("utf-8") for token in special_tokens])
    return b"".join(vocabulary[token_id] for token_id in ids).decode("utf-8", errors="replace")
    ### END SOLUTION
