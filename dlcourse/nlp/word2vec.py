"""word2vec: skip-gram (full softmax and negative sampling) and CBOW, in numpy and in Keras.

Lecture: §5.1 Word Embeddings; §7.1 Graph Embeddings

Every word w has two vectors: v_w when it is the center (input) word and u_w when it is a
context (output) word. Skip-gram predicts each context word w_c = w_{t+j}, 1 <= |j| <= m,
from the center word w_t with the notes' softmax over the vocabulary V:

    P(w_c | w_t) = exp(u_{w_c}^T v_{w_t}) / sum_{w in V} exp(u_w^T v_{w_t})

and training minimises the negative log-likelihood of the corpus' (center, context) pairs. The
notes name that loss ("Note: Negative Loss Likelihood") and stop; as in cs224n, for one pair

    J = -log P(w_c | w_t) = -u_{w_c}^T v_{w_t} + log sum_w exp(u_w^T v_{w_t})
    dJ/dv_{w_t} = -u_{w_c} + sum_w P(w | w_t) u_w = U^T (y_hat - y)
    dJ/du_w     = (P(w | w_t) - [w = w_c]) v_{w_t}            for every w in V

(y the one-hot vector of w_c, y_hat the softmax). The sum over V makes every step cost O(|V|),
the notes' complaint about this softmax in NLP. Negative sampling (Mikolov et al. 2013),
beyond the notes, replaces it by K words n_1..n_K drawn from the unigram distribution raised
to 3/4, P(w) ~ count(w)^0.75, and the binary loss

    J = -log sigmoid(u_{w_c}^T v_{w_t}) - sum_k log sigmoid(-u_{n_k}^T v_{w_t})
    dJ/dv_{w_t} = (sigmoid(u_{w_c}^T v_{w_t}) - 1) u_{w_c} + sum_k sigmoid(u_{n_k}^T v_{w_t}) u_{n_k}
    dJ/du_{w_c} = (sigmoid(u_{w_c}^T v_{w_t}) - 1) v_{w_t},   dJ/du_{n_k} = sigmoid(u_{n_k}^T v_{w_t}) v_{w_t}

CBOW, which the notes name without equations, goes the other way (Mikolov et al.'s form):
the average of the context words' vectors,
v_hat = (1 / 2m) sum_{1 <= |j| <= m} v_{w_{t+j}}, predicts the center word with the same softmax
P(w_t | context) = exp(u_{w_t}^T v_hat) / sum_w exp(u_w^T v_hat).

The numpy functions compute these losses and their hand-written gradients (tested against
finite differences); `SkipGram` and `CBOW` are the Keras models trained with `model.fit`.
Chapter 7's DeepWalk and node2vec (`dlcourse.gnn.embeddings`) train this same `SkipGram` on
random walks, with nodes as the words: nothing here knows whether an id is a word or a node.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, positive_int

__all__ = [
    "skipgram_softmax_probabilities",
    "skipgram_softmax_loss",
    "unigram_distribution",
    "negative_sampling_loss",
    "cbow_softmax_loss",
    "skipgram_pairs",
    "negative_samples",
    "cbow_examples",
    "SkipGram",
    "CBOW",
    "train_skipgram",
    "train_cbow",
]


# --- the losses and their gradients, in numpy ------------------------------------------------

def _softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def _log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def _sigmoid(x):
    return np.exp(_log_sigmoid(x))


def _tables(input_vectors, output_vectors):
    v = np.asarray(input_vectors, dtype=np.float64)
    u = np.asarray(output_vectors, dtype=np.float64)
    if v.ndim != 2 or v.shape != u.shape:
        raise ValueError(f"input_vectors and output_vectors must both have shape (|V|, d), got "
                         f"{v.shape} and {u.shape}.")
    return v, u


def _word_ids(ids, vocabulary_size, name, ndim=1):
    ids = np.asarray(ids)
    if ids.ndim != ndim or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"{name} must be a {ndim}-D integer array of word ids, got shape {ids.shape} "
                         f"of dtype {ids.dtype}.")
    if ids.size and (ids.min() < 0 or ids.max() >= vocabulary_size):
        raise ValueError(f"{name} must hold ids in [0, {vocabulary_size}), got values in "
                         f"[{ids.min()}, {ids.max()}].")
    return ids.astype(np.int64)


def skipgram_softmax_probabilities(input_vectors, output_vectors, targets):
    """The notes' P(w | w_t) for every word w of V, for each center word w_t in `targets`.

    Args:
        input_vectors: v, array (|V|, d), row w is v_w.
        output_vectors: u, array (|V|, d), row w is u_w.
        targets: integer array (B,) of center words w_t.

    Returns:
        float64 array (B, |V|); row b is softmax(U v_{targets[b]}) and sums to 1.
    """
    v, u = _tables(input_vectors, output_vectors)
    targets = _word_ids(targets, len(v), "targets")
    return _softmax(v[targets] @ u.T)


def skipgram_softmax_loss(input_vectors, output_vectors, targets, contexts):
    """Skip-gram's full-softmax negative log-likelihood and its gradients, mean over pairs.

    J = (1/B) sum_b -log P(contexts[b] | targets[b]) with the notes' softmax over V; the
    gradients are the module docstring's, added up per word (a word that is the center of
    several pairs gets the sum of their gradients).

    Args:
        input_vectors: v, array (|V|, d).
        output_vectors: u, array (|V|, d).
        targets: integer array (B,) of center words w_t, B >= 1.
        contexts: integer array (B,) of their context words w_c.

    Returns:
        (loss, grad_input, grad_output): the float J and dJ/dv, dJ/du, arrays (|V|, d).

    Example:

    >>> v, u = np.zeros((4, 2)), np.zeros((4, 2))
    >>> loss, _, _ = skipgram_softmax_loss(v, u, [0], [1])
    >>> round(loss, 4) == round(float(np.log(4)), 4)        # uniform over 4 words
    True
    """
    v, u = _tables(input_vectors, output_vectors)
    targets = _word_ids(targets, len(v), "targets")
    contexts = _word_ids(contexts, len(v), "contexts")
    if targets.size == 0 or targets.shape != contexts.shape:
        raise ValueError(f"targets and contexts must be 1-D of one length >= 1, got shapes "
                         f"{targets.shape} and {contexts.shape}.")
    batch = len(targets)
    centers = v[targets]                                      # v_{w_t}, (B, d)
    probabilities = _softmax(centers @ u.T)                   # y_hat, (B, |V|)
    loss = -np.mean(np.log(probabilities[np.arange(batch), contexts]))
    error = probabilities.copy()                              # y_hat - y
    error[np.arange(batch), contexts] -= 1.0
    error /= batch
    grad_input = np.zeros_like(v)
    np.add.at(grad_input, targets, error @ u)                 # U^T (y_hat - y) per pair
    grad_output = error.T @ centers                           # sum_b (y_hat - y)_b v_{w_t}^T
    return float(loss), grad_input, grad_output


def unigram_distribution(counts, power=0.75):
    """Negative sampling's noise distribution P(w) = count(w)^power / sum_w' count(w')^power.

    Raising the counts to 3/4 (Mikolov et al.'s choice) draws rare words more often than their
    frequency and frequent ones ("the") less often.

    Args:
        counts: non-negative array (|V|,) of word counts, not all zero.
        power: the exponent, 0.75 by default (1 is the unigram distribution, 0 uniform over
            the words that occur).

    Returns:
        float64 array (|V|,) summing to 1; words never seen get probability 0.

    Example:

    >>> unigram_distribution([16, 1, 0], power=0.75).round(4).tolist()     # 8 : 1 : 0
    [0.8889, 0.1111, 0.0]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or np.any(counts < 0) or not counts.any() or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be a 1-D array of finite non-negative word counts, not all zero.")
    weights = np.where(counts > 0, counts, 0.0) ** power * (counts > 0)
    return weights / weights.sum()


def negative_sampling_loss(input_vectors, output_vectors, targets, contexts, negatives):
    """Negative-sampling loss of (center, context) pairs with K negatives each, and its gradients.

    For pair b: J_b = -log sigmoid(u_c^T v_t) - sum_k log sigmoid(-u_{n_k}^T v_t) with
    t = targets[b], c = contexts[b], n = negatives[b]; J is the mean over pairs and the
    gradients (the module docstring's) are added up per word.

    Args:
        input_vectors: v, array (|V|, d).
        output_vectors: u, array (|V|, d).
        targets: integer array (B,) of center words, B >= 1.
        contexts: integer array (B,) of their true context words.
        negatives: integer array (B, K) of sampled noise words, e.g. drawn from
            `unigram_distribution`.

    Returns:
        (loss, grad_input, grad_output): the float J and dJ/dv, dJ/du, arrays (|V|, d).
    """
    v, u = _tables(input_vectors, output_vectors)
    targets = _word_ids(targets, len(v), "targets")
    contexts = _word_ids(contexts, len(v), "contexts")
    negatives = _word_ids(negatives, len(v), "negatives", ndim=2)
    if targets.size == 0 or targets.shape != contexts.shape or negatives.shape[0] != len(targets):
        raise ValueError(f"targets, contexts (B,) and negatives (B, K) must agree on B >= 1, got "
                         f"shapes {targets.shape}, {contexts.shape} and {negatives.shape}.")
    batch = len(targets)
    centers = v[targets]                                                  # (B, d)
    positive = np.sum(u[contexts] * centers, axis=-1)                     # u_c^T v_t, (B,)
    negative = np.einsum("bkd,bd->bk", u[negatives], centers)            # u_{n_k}^T v_t, (B, K)
    loss = -np.mean(_log_sigmoid(positive) + _log_sigmoid(-negative).sum(axis=-1))
    d_positive = (_sigmoid(positive) - 1.0) / batch                       # dJ/d(u_c^T v_t)
    d_negative = _sigmoid(negative) / batch                               # dJ/d(u_{n_k}^T v_t)
    grad_input, grad_output = np.zeros_like(v), np.zeros_like(u)
    np.add.at(grad_input, targets,
              d_positive[:, None] * u[contexts] + np.einsum("bk,bkd->bd", d_negative, u[negatives]))
    np.add.at(grad_output, contexts, d_positive[:, None] * centers)
    np.add.at(grad_output, negatives, d_negative[..., None] * centers[:, None, :])
    return float(loss), grad_input, grad_output


def cbow_softmax_loss(input_vectors, output_vectors, contexts, centers, pad_id=None):
    """CBOW's loss -log P(w_t | context) with v_hat the mean context vector, and its gradients.

    v_hat_b = mean of v_w over the context words w of row b (ids equal to `pad_id` skipped),
    P(w | context) = softmax(U v_hat)_w, J = (1/B) sum_b -log P(centers[b] | contexts[b]);
    dJ/dv_hat = U^T (y_hat - y), and each context word of the row gets dJ/dv_hat divided by the
    number of context words; dJ/du_w = (y_hat_w - y_w) v_hat.

    Args:
        input_vectors: v, array (|V|, d), the context words' vectors.
        output_vectors: u, array (|V|, d), scored against v_hat.
        contexts: integer array (B, C) of context words w_{t+j}.
        centers: integer array (B,) of center words w_t.
        pad_id: an id that marks an empty context slot (e.g. at a sentence's edge), or None;
            each row needs at least one real context word.

    Returns:
        (loss, grad_input, grad_output): the float J and dJ/dv, dJ/du, arrays (|V|, d).
    """
    v, u = _tables(input_vectors, output_vectors)
    contexts = _word_ids(contexts, len(v), "contexts", ndim=2)
    centers = _word_ids(centers, len(v), "centers")
    if centers.size == 0 or contexts.shape[0] != len(centers):
        raise ValueError(f"contexts (B, C) and centers (B,) must agree on B >= 1, got shapes "
                         f"{contexts.shape} and {centers.shape}.")
    weights = np.ones(contexts.shape) if pad_id is None else (contexts != pad_id).astype(np.float64)
    sizes = weights.sum(axis=1, keepdims=True)
    if np.any(sizes == 0):
        raise ValueError("every row of contexts needs at least one context word that is not pad_id.")
    weights /= sizes                                                      # 1 / (number of words)
    batch = len(centers)
    mean = np.einsum("bc,bcd->bd", weights, v[contexts])                   # v_hat, (B, d)
    probabilities = _softmax(mean @ u.T)
    loss = -np.mean(np.log(probabilities[np.arange(batch), centers]))
    error = probabilities.copy()
    error[np.arange(batch), centers] -= 1.0
    error /= batch
    d_mean = error @ u                                                    # dJ/dv_hat, (B, d)
    grad_input = np.zeros_like(v)
    np.add.at(grad_input, contexts, weights[..., None] * d_mean[:, None, :])
    grad_output = error.T @ mean
    return float(loss), grad_input, grad_output


# --- training examples from sequences of ids --------------------------------------------------

def _rows(sequences):
    if isinstance(sequences, np.ndarray) and sequences.ndim == 2:
        return sequences.astype(np.int64)
    return [np.asarray(s, dtype=np.int64).reshape(-1) for s in sequences]


def skipgram_pairs(sequences, window):
    """All (center, context) pairs at distance 1 .. window within each sequence, int64 (P, 2).

    Args:
        sequences: a 2-D integer array (e.g. random walks, one per row) or a list of integer
            sequences of any lengths (e.g. sentences); a window never crosses from one sequence
            into the next.
        window: m, the largest distance, >= 1.

    Returns:
        int64 array (P, 2) of (w_t, w_{t+j}) rows, both directions of each pair.

    Example:

    >>> skipgram_pairs([[5, 6, 7]], 1).tolist()
    [[5, 6], [6, 7], [6, 5], [7, 6]]
    """
    window = positive_int("window", window)
    rows = _rows(sequences)
    if isinstance(rows, np.ndarray):
        return _pairs_of_equal_rows(rows, window)
    pairs = [_pairs_of_equal_rows(row[None], window) for row in rows if row.size > 1]
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)


def _pairs_of_equal_rows(rows, window):
    pairs = []
    for offset in range(1, window + 1):
        if offset >= rows.shape[1]:
            break
        left, right = rows[:, :-offset].ravel(), rows[:, offset:].ravel()
        pairs.append(np.stack([left, right], 1))
        pairs.append(np.stack([right, left], 1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)


def negative_samples(pairs, vocabulary_size, negatives, rng, distribution=None):
    """Positive pairs with label 1 and `negatives` noise pairs per positive pair with label 0.

    Each positive pair (w_t, w_c) keeps its row; then for each pair come `negatives` rows
    (w_t, n) with n drawn from `distribution` (uniform over the ids when None, as DeepWalk
    does; `unigram_distribution(counts)` for word2vec). A noise word may happen to be a true
    context: word2vec does not filter them either.

    Args:
        pairs: integer array (P, 2) from `skipgram_pairs`.
        vocabulary_size: |V| (the number of nodes for a graph).
        negatives: K >= 0.
        rng: a `numpy.random.Generator`.
        distribution: optional probabilities (|V|,) of the noise words.

    Returns:
        (centers, contexts, labels), arrays of shape ((1 + K) P,): int64, int64, float32.
    """
    vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
    negatives = non_negative_int("negatives", negatives)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    centers = np.repeat(pairs[:, 0], negatives)
    if distribution is None:
        noise = rng.integers(vocabulary_size, size=centers.size)
    else:
        distribution = np.asarray(distribution, dtype=np.float64)
        if distribution.shape != (vocabulary_size,):
            raise ValueError(f"distribution must have shape ({vocabulary_size},), one probability "
                             f"per id, got {distribution.shape}.")
        noise = rng.choice(vocabulary_size, size=centers.size, p=distribution)
    return (np.concatenate([pairs[:, 0], centers]), np.concatenate([pairs[:, 1], noise]),
            np.concatenate([np.ones(len(pairs)), np.zeros(centers.size)]).astype(np.float32))


def cbow_examples(sequences, window, pad_id=0):
    """CBOW's examples: each position's 2 * window neighbours and the word at that position.

    Args:
        sequences: a 2-D integer array or a list of integer sequences (sentences).
        window: m >= 1; positions p - m .. p - 1 and p + 1 .. p + m are the context of p.
        pad_id: fills the context slots that fall outside the sequence (`PAD_ID`, 0, of
            `dlcourse.nlp.Vocabulary`); positions without any context word are skipped.

    Returns:
        (contexts, centers): int32 arrays (N, 2 * window) and (N,).

    Example:

    >>> contexts, centers = cbow_examples([[5, 6, 7]], 1)
    >>> contexts.tolist(), centers.tolist()
    ([[0, 6], [5, 7], [6, 0]], [5, 6, 7])
    """
    window = positive_int("window", window)
    contexts, centers = [], []
    for row in _rows(sequences):
        row = np.asarray(row, dtype=np.int64)
        if row.size < 2:
            continue
        padded = np.concatenate([np.full(window, pad_id), row, np.full(window, pad_id)])
        offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
        positions = np.arange(row.size)
        contexts.append(padded[positions[:, None] + window + offsets[None, :]])
        centers.append(row)
    if not centers:
        return np.zeros((0, 2 * window), np.int32), np.zeros((0,), np.int32)
    return np.concatenate(contexts).astype(np.int32), np.concatenate(centers).astype(np.int32)


# --- the Keras models ---------------------------------------------------------------------------

def _uniform(embedding_dim, seed):
    return keras.initializers.RandomUniform(-0.5 / embedding_dim, 0.5 / embedding_dim, seed=seed)


@keras.saving.register_keras_serializable(package="dlcourse")
class SkipGram(keras.Model):
    """Skip-gram with negative sampling: the logit of a (center, context) pair is u_{w_c}^T v_{w_t}.

    Two embedding tables: `target_embedding` holds the center (input) vectors v, one row per
    word (or node), and `context_embedding` the context (output) vectors u. Train with
    `keras.losses.BinaryCrossentropy(from_logits=True)` on labelled pairs from
    `negative_samples`: minimising it is the negative-sampling loss, whose sigmoid(x) and
    sigmoid(-x) are the label-1 and label-0 terms. `full_softmax_logits` gives the notes'
    softmax scores u_w^T v_{w_t} for every w of V from the same tables.

    Chapter 7 calls the ids nodes: `dlcourse.gnn.SkipGram` is this class.

    Args:
        vocabulary_size: |V|, the number of words (nodes).
        embedding_dim: d.
        seed: seed of the initial embeddings (uniform in +-0.5 / d; the context table uses
            seed + 1).
        **kwargs: base model arguments.

    Call arguments:
        inputs: a pair (targets, contexts) of integer tensors (B,).

    Returns:
        Logits of shape (B,).

    Example:

    >>> model = SkipGram(5, 2, seed=0)
    >>> tuple(model((keras.ops.array([0, 1]), keras.ops.array([2, 3]))).shape)
    (2,)
    """

    def __init__(self, vocabulary_size=None, embedding_dim=16, seed=None, *, num_nodes=None, **kwargs):
        if num_nodes is not None:  # chapter 7's name for it, and the config key of its saved models
            if vocabulary_size is not None and vocabulary_size != num_nodes:
                raise ValueError(f"pass vocabulary_size or num_nodes, not both, got {vocabulary_size} "
                                 f"and {num_nodes}.")
            vocabulary_size = num_nodes
        super().__init__(**kwargs)
        self.vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
        self.embedding_dim = positive_int("embedding_dim", embedding_dim)
        self.seed = seed
        # The attribute names fix where the weights live in a .keras file: keep them, so that
        # models saved before chapter 5 existed (as dlcourse.gnn's SkipGram) still load.
        self.target_embedding = keras.layers.Embedding(
            self.vocabulary_size, self.embedding_dim, name="target_embedding",
            embeddings_initializer=_uniform(self.embedding_dim, seed))
        self.context_embedding = keras.layers.Embedding(
            self.vocabulary_size, self.embedding_dim, name="context_embedding",
            embeddings_initializer=_uniform(self.embedding_dim, None if seed is None else seed + 1))

    def build(self, input_shape=None):
        self.target_embedding.build((None,))
        self.context_embedding.build((None,))
        self.built = True

    def call(self, inputs):
        targets, contexts = inputs
        return ops.sum(self.target_embedding(targets) * self.context_embedding(contexts), axis=-1)

    def full_softmax_logits(self, targets):
        """u_w^T v_{w_t} for every word w of V: the notes' softmax of these is P(w | w_t), (B, |V|)."""
        return ops.matmul(self.target_embedding(targets), ops.transpose(self.context_embedding.embeddings))

    @property
    def node_embedding(self):
        """Chapter 7's name for `target_embedding`."""
        return self.target_embedding

    @property
    def num_nodes(self):
        """Chapter 7's name for `vocabulary_size`."""
        return self.vocabulary_size

    @property
    def embeddings(self):
        """The center (input) vectors v, numpy (|V|, d): the word (or node) embeddings."""
        return ops.convert_to_numpy(self.target_embedding.embeddings)

    @property
    def context_vectors(self):
        """The context (output) vectors u, numpy (|V|, d)."""
        return ops.convert_to_numpy(self.context_embedding.embeddings)

    def get_config(self):
        return {**super().get_config(), "vocabulary_size": self.vocabulary_size,
                "embedding_dim": self.embedding_dim, "seed": self.seed}


@keras.saving.register_keras_serializable(package="dlcourse")
class CBOW(keras.Model):
    """Continuous bag of words: the mean of the context words' vectors predicts the center word.

    logits = U v_hat with v_hat = the mean of v_w over the context words w that are not
    `pad_id`; softmax(logits) is P(w_t | context). Train with
    `keras.losses.SparseCategoricalCrossentropy(from_logits=True)` on `cbow_examples`.

    Args:
        vocabulary_size: |V|.
        embedding_dim: d.
        pad_id: the id of an empty context slot, left out of the mean (None: every slot counts).
        seed: seed of the initial embeddings (uniform in +-0.5 / d; the output table uses
            seed + 1).
        **kwargs: base model arguments.

    Call arguments:
        contexts: integer tensor (B, C) of context words.

    Returns:
        Logits (B, |V|) over the center word.

    Example:

    >>> model = CBOW(6, 3, seed=0)
    >>> tuple(model(keras.ops.array([[4, 5], [0, 2]])).shape)
    (2, 6)
    """

    def __init__(self, vocabulary_size, embedding_dim=16, pad_id=0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
        self.embedding_dim = positive_int("embedding_dim", embedding_dim)
        self.pad_id = None if pad_id is None else non_negative_int("pad_id", pad_id)
        self.seed = seed
        self.input_embedding = keras.layers.Embedding(
            self.vocabulary_size, self.embedding_dim, name="input_embedding",
            embeddings_initializer=_uniform(self.embedding_dim, seed))
        self.output_embedding = keras.layers.Embedding(
            self.vocabulary_size, self.embedding_dim, name="output_embedding",
            embeddings_initializer=_uniform(self.embedding_dim, None if seed is None else seed + 1))

    def build(self, input_shape=None):
        self.input_embedding.build((None,))
        self.output_embedding.build((None,))
        self.built = True

    def call(self, contexts):
        vectors = self.input_embedding(contexts)                              # (B, C, d)
        if self.pad_id is None:
            mean = ops.mean(vectors, axis=1)
        else:
            weights = ops.cast(ops.not_equal(contexts, self.pad_id), vectors.dtype)[..., None]
            mean = ops.sum(vectors * weights, axis=1) / ops.maximum(ops.sum(weights, axis=1), 1.0)
        return ops.matmul(mean, ops.transpose(self.output_embedding.embeddings))

    @property
    def embeddings(self):
        """The input (context-word) vectors v, numpy (|V|, d): the word embeddings."""
        return ops.convert_to_numpy(self.input_embedding.embeddings)

    def get_config(self):
        return {**super().get_config(), "vocabulary_size": self.vocabulary_size,
                "embedding_dim": self.embedding_dim, "pad_id": self.pad_id, "seed": self.seed}


def train_skipgram(sequences, vocabulary_size, embedding_dim=16, window=3, negatives=4, epochs=5,
                   batch_size=256, learning_rate=0.02, seed=0, distribution=None):
    """Fit a `SkipGram` with negative sampling on sequences of ids; returns (model, embeddings).

    Pairs within `window` of each other (`skipgram_pairs`) get `negatives` noise pairs each
    (`negative_samples`, from `distribution`, uniform when None), and the model is fitted with
    Adam on the binary cross-entropy for `epochs` epochs, examples shuffled once.

    Args:
        sequences: a 2-D integer array (random walks) or a list of integer sequences (sentences).
        vocabulary_size: |V|.
        embedding_dim, window, negatives, epochs, batch_size, learning_rate: the training's.
        seed: seeds the pairs' sampling and shuffling and the initial embeddings (call
            `keras.utils.set_random_seed` as well for a reproducible fit).
        distribution: probabilities (|V|,) of the noise words, e.g.
            `unigram_distribution(counts)`; None for uniform.

    Returns:
        (model, embeddings): the fitted `SkipGram` and its center vectors, numpy (|V|, d).
    """
    rng = np.random.default_rng(seed)
    centers, contexts, labels = negative_samples(skipgram_pairs(sequences, window), vocabulary_size,
                                                 negatives, rng, distribution)
    model = SkipGram(vocabulary_size, embedding_dim, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    order = rng.permutation(labels.size)
    model.fit((centers[order].astype("int32"), contexts[order].astype("int32")), labels[order],
              epochs=epochs, batch_size=batch_size, verbose=0)
    return model, model.embeddings


def train_cbow(sequences, vocabulary_size, embedding_dim=16, window=2, epochs=5, batch_size=128,
               learning_rate=0.02, pad_id=0, seed=0):
    """Fit a `CBOW` model on sequences of ids; returns (model, embeddings).

    Args:
        sequences: a 2-D integer array or a list of integer sequences (sentences).
        vocabulary_size: |V|.
        embedding_dim, window, epochs, batch_size, learning_rate: the training's.
        pad_id: the id of empty context slots at the sequences' edges (must not be a word the
            sequences use; `PAD_ID` of `dlcourse.nlp.Vocabulary`).
        seed: seeds the shuffling and the initial embeddings.

    Returns:
        (model, embeddings): the fitted `CBOW` and its input vectors, numpy (|V|, d).
    """
    rng = np.random.default_rng(seed)
    contexts, centers = cbow_examples(sequences, window, pad_id)
    model = CBOW(vocabulary_size, embedding_dim, pad_id=pad_id, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    order = rng.permutation(len(centers))
    model.fit(contexts[order], centers[order], epochs=epochs, batch_size=batch_size, verbose=0)
    return model, model.embeddings
