"""Count-based word vectors: one-hot vectors, co-occurrence counts, PPMI and truncated SVD.

Lecture: §5.1 Word Embeddings

The notes start from one-hot vectors, which carry no similarity: two different one-hot vectors
are orthogonal, so every pair of distinct words has cosine similarity 0 (`one_hot`). Their next
step is distributional semantics, counting how often two words occur near each other; they find
the raw counts high-level and sparse, not practical, and go on to word2vec. This module fills in the
classic count-based answer the notes skip (Levy, Goldberg and Dagan 2015; cs224n lecture 2),
the baseline word2vec is compared with:

    X_ij   = how often word j occurs within `window` positions of word i     (co-occurrence)
    PPMI_ij = max(0, log( P(i, j) / (P(i) P(j)) )),
              P(i, j) = X_ij / sum X,  P(i) = sum_j X_ij / sum X,  P(j) = sum_i X_ij / sum X
    embeddings = the first k columns of U S, where PPMI = U S W^T (truncated SVD)

Words that never co-occur get PPMI 0 (log 0 = -inf, clipped), as does a word that never
occurs.
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import positive_int

__all__ = ["one_hot", "cooccurrence_matrix", "ppmi", "truncated_svd_embeddings"]


def one_hot(ids, vocabulary_size):
    """One-hot vectors of word ids: row i is the basis vector e_{ids[i]} of R^|V|.

    Any two different words' one-hot vectors are orthogonal, so their cosine similarity is 0
    whatever the words mean ("cat" is as far from "dog" as from "soup").

    Args:
        ids: integer array-like of any shape, values in [0, vocabulary_size).
        vocabulary_size: |V|.

    Returns:
        float32 array of shape ids.shape + (vocabulary_size,).

    Example:

    >>> vectors = one_hot([0, 1, 2], 3)
    >>> (vectors @ vectors.T).tolist()     # cosine of unit vectors: 1 on the diagonal, 0 elsewhere
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
    ids = _ids(ids, vocabulary_size, "ids")
    return np.eye(vocabulary_size, dtype=np.float32)[ids]


def cooccurrence_matrix(sequences, vocabulary_size, window=2):
    """Symmetric co-occurrence counts X (|V|, |V|) within a window, over sequences of word ids.

    X_ij counts the positions p, q of one sequence with 1 <= |p - q| <= window, word i at p and
    word j at q; each sequence is counted on its own (a window does not cross into the next
    sentence) and every pair counts 1 whatever its distance (GloVe's 1/distance weighting is
    not used).

    Args:
        sequences: a list of integer sequences (e.g. `Vocabulary.encode` rows without their
            padding, or a list of lists), or a 2-D integer array, values in [0, vocabulary_size).
        vocabulary_size: |V|.
        window: the largest distance counted, >= 1.

    Returns:
        float64 array (|V|, |V|), symmetric, zero on the diagonal unless a word occurs twice
        within the window.

    Example:

    >>> cooccurrence_matrix([[0, 1, 2]], 3, window=1).tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
    window = positive_int("window", window)
    counts = np.zeros((vocabulary_size, vocabulary_size))
    for sequence in _sequences(sequences):
        sequence = _ids(sequence, vocabulary_size, "sequences")
        for offset in range(1, min(window, len(sequence) - 1) + 1):
            np.add.at(counts, (sequence[:-offset], sequence[offset:]), 1.0)
            np.add.at(counts, (sequence[offset:], sequence[:-offset]), 1.0)
    return counts


def ppmi(counts):
    """Positive pointwise mutual information of a co-occurrence matrix.

    PPMI_ij = max(0, log(P(i, j) / (P(i) P(j)))) with P(i, j) = X_ij / sum X and the marginals
    P(i) = sum_j X_ij / sum X (rows), P(j) = sum_i X_ij / sum X (columns). Entries with
    X_ij = 0, in particular the rows and columns of words that never occur, are 0.

    Args:
        counts: non-negative array (|V|, |V|), e.g. from `cooccurrence_matrix`.

    Returns:
        float64 array (|V|, |V|) >= 0.

    Example:

    >>> ppmi([[0.0, 2.0], [2.0, 0.0]]).round(4).tolist()     # log(0.5 / (0.5 * 0.5)) = log 2
    [[0.0, 0.6931], [0.6931, 0.0]]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square matrix (|V|, |V|), got shape {counts.shape}.")
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be finite and non-negative (co-occurrence counts).")
    total = counts.sum()
    if total == 0:
        return np.zeros_like(counts)
    rows = counts.sum(axis=1, keepdims=True)
    columns = counts.sum(axis=0, keepdims=True)
    result = np.zeros_like(counts)
    seen = counts > 0
    # X_ij * sum X / (row_i * column_j) is P(i, j) / (P(i) P(j)); only where X_ij > 0
    ratio = counts[seen] * total / (rows * columns)[seen]
    result[seen] = np.maximum(np.log(ratio), 0.0)
    return result


def truncated_svd_embeddings(matrix, dim):
    """The rank-`dim` SVD embeddings of a word-by-word matrix: the first dim columns of U S.

    With matrix = U S W^T (singular values in decreasing order), row i of U_k S_k is word i's
    k-dimensional vector: U_k S_k W_k^T is the best rank-k approximation of the matrix, and
    U_k S_k = matrix W_k is what `sklearn.decomposition.TruncatedSVD(k).fit_transform(matrix)`
    returns (up to the sign of each column). Signs are fixed so that each column's largest
    entry in absolute value is positive.

    Args:
        matrix: array (|V|, n), e.g. `ppmi(cooccurrence_matrix(...))`.
        dim: k, 1 <= k <= min(|V|, n).

    Returns:
        float64 array (|V|, dim).
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 2-D (|V|, n), got shape {matrix.shape}.")
    dim = positive_int("dim", dim)
    if dim > min(matrix.shape):
        raise ValueError(f"dim must be at most min(|V|, n) = {min(matrix.shape)}, got {dim}.")
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    vectors = u[:, :dim] * s[:dim]
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(dim)])
    return vectors * np.where(signs == 0, 1.0, signs)


def _sequences(sequences):
    if isinstance(sequences, np.ndarray):
        if sequences.ndim != 2:
            raise ValueError(f"sequences must be a 2-D array or a list of sequences of ids, got "
                             f"an array of shape {sequences.shape}.")
        return list(sequences)
    return list(sequences)


def _ids(ids, vocabulary_size, name):
    ids = np.asarray(ids)
    if ids.size == 0:
        return ids.astype(np.int64)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must hold integer word ids, got dtype {ids.dtype}.")
    if ids.min() < 0 or ids.max() >= vocabulary_size:
        raise ValueError(f"{name} must hold ids in [0, {vocabulary_size}), got values in "
                         f"[{ids.min()}, {ids.max()}].")
    return ids.astype(np.int64)
