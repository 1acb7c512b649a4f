# %% [markdown]
"""Byte-pair encoding: learning the merges (6 points)
Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this exercise follows the byte-level BPE of CS336's
first assignment and GPT-2, on the merge algorithm of Sennrich et al. (2016).

A corpus has already been cut into pre-tokens (GPT-2 cuts at spaces and punctuation, so a
pre-token is roughly a word with its leading space), and each pre-token is given as the tuple
of its single bytes, e.g. " low" -> (b" ", b"l", b"o", b"w"), with the number of times it
occurs. BPE starts from these symbols and learns merges, one at a time:

1. Count every pair of adjacent symbols (a, b) inside each pre-token, weighted by the
   pre-token's count. A pair never spans two pre-tokens. A pair is counted at every position
   where it occurs, overlaps included: (b"a", b"a", b"a") holds (b"a", b"a") twice.
2. Take the most frequent pair. Ties go to the lexicographically greatest pair: (a, b) beats
   (c, d) when a > c, or a == c and b > d, comparing bytes objects as Python does (this is
   CS336's rule, and Python's `max` over (count, pair) keys gives it).
3. Replace the pair by the single symbol a + b in every pre-token, scanning left to right:
   (b"a", b"a", b"a") becomes (b"aa", b"a").
4. Count again on the merged pre-tokens and repeat, until `num_merges` merges are learned or
   no pre-token has two symbols left (then return the shorter list).

Implement `bpe_train_merges(pretoken_counts, num_merges)`: pretoken_counts is a dict from a
tuple of bytes objects to a positive int count, num_merges an int >= 0. Return the merges, a
list of (a, b) pairs of bytes in the order they were learned. Leave `pretoken_counts`
unchanged.

Example: {(b"l", b"o", b"w"): 5, (b"l", b"o", b"w", b"e", b"r"): 2} with num_merges = 3 gives
[(b"o", b"w"), (b"l", b"ow"), (b"low", b"e")]: (b"l", b"o") and (b"o", b"w") both occur 7 times
and b"o" > b"l"; then (b"low", b"e") and (b"e", b"r") both occur twice and b"low" > b"e".

You may not use dlcourse.llm, dlcourse.llm.bpe (they hold the answer), tokenizers, tiktoken or
keras_hub (their BPE trainers).
"""


# %%
def bpe_train_merges(pretoken_counts, num_merges):
    """The first num_merges BPE merges of pretoken_counts, a list of (bytes, bytes) pairs."""
    ### BEGIN SOLUTION
    words = {tuple(word): count for word, count in pretoken_counts.items()}
    merges = []
    for _ in range(num_merges):
        pairs = {}
        for word, count in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] = pairs.get(pair, 0) + count
        if not pairs:
            break
        best = max(pairs, key=lambda pair: (pairs[pair], pair))
        merges.append(best)
        merged_words = {}
        for word, count in words.items():
            merged, position = [], 0
            while position < len(word):
                if word[position:position + 2] == best:
                    merged.append(best[0] + best[1])
                    position += 2
                else:
                    merged.append(word[position])
                    position += 1
            merged_words[tuple(merged)] = merged_words.get(tuple(merged), 0) + count
        words = merged_words
    return merges
    ### END SOLUTION
