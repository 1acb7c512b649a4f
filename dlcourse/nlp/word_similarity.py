"""Judging word vectors: cosine similarity, nearest neighbours and separation of known classes.

Lecture: §5.1 Word Embeddings

The notes want a good embedding to be able to learn similarities: similar words get similar
vectors. With words whose classes are known by construction (`dlcourse.data.grammar_corpus`)
that can be measured, not only eyeballed:

    cos(a, b) = a^T b / (||a|| ||b||)
    class separation = mean cos over pairs of distinct words of one class
                       - mean cos over pairs of words of different classes
    kNN accuracy = how often the majority class of a word's k nearest neighbours (by cosine,
                   the word itself left out) is its own class

One-hot vectors score 0 on the separation (every cosine between distinct words is 0) and at
chance on kNN; good embeddings score well above both. The notes stop at the idea; these
measures are ours (kNN accuracy is the usual intrinsic check, cs224n's analogies need a
larger vocabulary than the toy corpus has).
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import positive_int

__all__ = ["cosine_similarity_matrix", "nearest_neighbours", "classified_words", "class_separation",
           "knn_class_accuracy", "project_2d"]


def _matrix(vectors, name="embeddings"):
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (words, d), got shape {vectors.shape}.")
    return vectors


def cosine_similarity_matrix(vectors):
    """All pairwise cosine similarities of the rows of `vectors`, (N, N); a zero row gives 0.

    Example:

    >>> cosine_similarity_matrix([[1.0, 0.0], [1.0, 1.0]]).round(4).tolist()
    [[1.0, 0.7071], [0.7071, 1.0]]
    """
    vectors = _matrix(vectors, "vectors")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    return unit @ unit.T


def nearest_neighbours(embeddings, queries, k=5):
    """The k words closest by cosine to each query word, the word itself left out.

    Args:
        embeddings: array (|V|, d).
        queries: integer array-like (Q,) of word ids.
        k: neighbours per query, 1 <= k < |V|.

    Returns:
        (ids, similarities): int64 (Q, k) and float64 (Q, k), most similar first (ties by id).
    """
    embeddings = _matrix(embeddings)
    queries = np.asarray(queries, dtype=np.int64).reshape(-1)
    k = positive_int("k", k)
    if k >= len(embeddings):
        raise ValueError(f"k must be below the number of words {len(embeddings)}, got {k}.")
    similarity = cosine_similarity_matrix(embeddings)[queries]
    similarity[np.arange(len(queries)), queries] = -np.inf
    ids = np.stack([np.lexsort((np.arange(len(row)), -row))[:k] for row in similarity]) if len(queries) \
        else np.zeros((0, k), np.int64)
    return ids, np.take_along_axis(similarity, ids, axis=1)


def classified_words(vocabulary, word_classes):
    """The ids and class labels of the words of `vocabulary` that `word_classes` names.

    Args:
        vocabulary: a `dlcourse.nlp.Vocabulary`.
        word_classes: dict word -> class name, as `grammar_corpus` returns it.

    Returns:
        (ids, labels, class_names): int64 (n,) word ids in id order, int64 (n,) indices into
        class_names, and the sorted class names.
    """
    class_names = sorted(set(word_classes.values()))
    ids = np.array([i for i, token in enumerate(vocabulary.tokens) if token in word_classes], np.int64)
    labels = np.array([class_names.index(word_classes[vocabulary.id_to_token(int(i))]) for i in ids],
                      np.int64)
    return ids, labels, class_names


def _labels(labels, count):
    labels = np.asarray(labels).reshape(-1)
    if labels.shape[0] != count:
        raise ValueError(f"labels must have one entry per word ({count}), got {labels.shape[0]}.")
    if len(np.unique(labels)) < 2:
        raise ValueError("labels must hold at least two classes to compare within and between.")
    return labels


def class_separation(embeddings, labels):
    """Mean cosine within classes (distinct words) minus mean cosine between classes.

    Args:
        embeddings: array (n, d), one row per classified word.
        labels: array (n,) of their classes, at least two classes.

    Returns:
        A float in [-2, 2]: 0 for one-hot vectors, near 0 for random vectors, larger the better
        the classes separate.
    """
    embeddings = _matrix(embeddings)
    labels = _labels(labels, len(embeddings))
    similarity = cosine_similarity_matrix(embeddings)
    same = labels[:, None] == labels[None, :]
    distinct = ~np.eye(len(labels), dtype=bool)
    if not (same & distinct).any():
        raise ValueError("labels must give some class at least two words to measure within-class similarity.")
    return float(similarity[same & distinct].mean() - similarity[~same].mean())


def knn_class_accuracy(embeddings, labels, k=5):
    """Leave-one-out k-nearest-neighbour accuracy of the classes, by cosine similarity.

    Each word's class is predicted by majority vote of its k most similar other words (ties to
    the most similar neighbour's class among the tied ones); the result is the fraction right.

    Args:
        embeddings: array (n, d).
        labels: array (n,) of classes.
        k: neighbours that vote, 1 <= k < n.

    Returns:
        A float in [0, 1].
    """
    embeddings = _matrix(embeddings)
    labels = _labels(labels, len(embeddings))
    ids, _ = nearest_neighbours(embeddings, np.arange(len(embeddings)), k)
    right = 0
    for word, neighbours in enumerate(ids):
        votes = labels[neighbours]
        values, counts = np.unique(votes, return_counts=True)
        tied = set(values[counts == counts.max()])
        predicted = next(label for label in votes if label in tied)
        right += predicted == labels[word]
    return right / len(labels)


def project_2d(embeddings):
    """The embeddings' first two principal components (centred, by SVD), (n, 2).

    Signs are fixed so that each column's largest entry in absolute value is positive.
    """
    embeddings = _matrix(embeddings)
    if embeddings.shape[0] < 2 or embeddings.shape[1] < 2:
        raise ValueError(f"embeddings must have at least 2 rows and 2 columns, got shape {embeddings.shape}.")
    centred = embeddings - embeddings.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    points = u[:, :2] * s[:2]
    signs = np.sign(points[np.argmax(np.abs(points), axis=0), np.arange(2)])
    return points * np.where(signs == 0, 1.0, signs)
