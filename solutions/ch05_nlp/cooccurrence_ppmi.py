# %% [markdown]
"""Co-occurrence counts and PPMI: count-based word vectors (6 points)
Lecture: §5.1 Word Embeddings

Distributional semantics, in the notes, judges two words similar when they occur in similar
contexts, and the notes' first idea is to count how often two words occur near each other. The
notes then call such counts sparse and impractical and move to word2vec without writing them
down; here is the classic count-based form (cs224n; Levy, Goldberg and Dagan 2015), the
baseline word2vec is compared with.

A corpus is a list of sentences, each a 1-D integer array of word ids in [0, V) (V is the
vocabulary size |V|). With a window m >= 1, the co-occurrence matrix X of shape (V, V) counts

    X_ij = the number of positions p, q in one sentence with 1 <= |p - q| <= m,
           word i at position p and word j at position q.

So X is symmetric, each pair of nearby positions is counted once in each direction, every
distance 1..m counts 1, and a window never reaches into another sentence. A sentence of one
word adds nothing, and m may exceed a sentence's length.

Raw counts favour frequent words ("the" occurs near everything). Pointwise mutual information
compares a pair's count with what independent words would give, and positive PMI clips
the pairs seen less often than chance to 0:

    P(i, j) = X_ij / S,   P(i) = sum_j X_ij / S,   P(j) = sum_i X_ij / S,   S = sum_ij X_ij
    PPMI_ij = max(0, log( P(i, j) / (P(i) P(j)) ))

with PPMI_ij = 0 wherever X_ij = 0 (log 0 = -infinity, clipped), also in the rows and columns
of words that never occur (do not return nan there). Row i of PPMI is then a vector for word i
(a truncated SVD of it gives dense embeddings; not asked here).

Implement with numpy:

- `cooccurrence_counts(sentences, vocabulary_size, window)` -> float array (V, V): X, where
  `sentences` is a list of 1-D integer arrays (their lengths differ), `vocabulary_size` is V
  and `window` is m;
- `ppmi(counts)` -> float array (V, V): PPMI of counts (V, V), a float array of non-negative
  counts (not all zero).

You may not use dlcourse.nlp (it holds the answer), sklearn, keras or tensorflow.
"""

# %%
import numpy as np


# %%
def cooccurrence_counts(sentences, vocabulary_size, window):
    """The symmetric co-occurrence counts X (V, V) within `window` positions."""
    ### BEGIN SOLUTION
    counts = np.zeros((vocabulary_size, vocabulary_size))
    for sentence in sentences:
        sentence = np.asarray(sentence, dtype=np.int64)
        for p in range(len(sentence)):
            for q in range(max(0, p - window), min(len(sentence), p + window + 1)):
                if q != p:
                    counts[sentence[p], sentence[q]] += 1.0
    return counts
    ### END SOLUTION


# %%
def ppmi(counts):
    """Positive pointwise mutual information of the counts, (V, V)."""
    ### BEGIN SOLUTION
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    rows = counts.sum(axis=1, keepdims=True) / total
    columns = counts.sum(axis=0, keepdims=True) / total
    result = np.zeros_like(counts)
    seen = counts > 0
    pmi = np.log((counts / total)[seen] / (rows * columns)[seen])
    result[seen] = np.maximum(pmi, 0.0)
    return result
    ### END SOLUTION
