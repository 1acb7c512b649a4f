"""Chapter 5's word embeddings (§5.1): one-hot, co-occurrence + PPMI + SVD, word2vec skip-gram
(full softmax and negative sampling) and CBOW, trained with Keras, judged on the generated
corpus' known classes.

Oracles: hand-computed tables, brute-force loops, sklearn's TruncatedSVD and NearestNeighbors,
scipy's softmax, central finite differences for every hand-written gradient, and Keras' own
binary and sparse categorical cross-entropies on the models' shared weights. Each exercise's
solution is tied to its library twin at the end."""

import io
import json
import pathlib
import zipfile

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.special  # noqa: E402

from dlcourse.data import GRAMMAR_CLASSES, grammar_corpus  # noqa: E402
from dlcourse.grading.probe import load_module  # noqa: E402
from dlcourse.nlp import (  # noqa: E402
    CBOW,
    SkipGram,
    Vocabulary,
    cbow_examples,
    cbow_softmax_loss,
    class_separation,
    classified_words,
    cooccurrence_matrix,
    cosine_similarity_matrix,
    knn_class_accuracy,
    nearest_neighbours,
    negative_samples,
    negative_sampling_loss,
    one_hot,
    plot_word_embeddings,
    ppmi,
    project_2d,
    skipgram_pairs,
    skipgram_softmax_loss,
    skipgram_softmax_probabilities,
    train_cbow,
    train_skipgram,
    truncated_svd_embeddings,
    unigram_distribution,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _numeric_gradient(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of x (changed in place)."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        plus = f()
        x[index] = old - eps
        minus = f()
        x[index] = old
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def _tables(seed, vocabulary_size=7, dim=4, scale=0.5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(vocabulary_size, dim)) * scale, rng.normal(size=(vocabulary_size, dim)) * scale


@pytest.fixture(scope="module")
def corpus():
    sentences, word_classes = grammar_corpus(2000, seed=0)
    vocab = Vocabulary.build(sentences)
    sequences = [vocab.encode([s])[0] for s in sentences]
    ids, labels, names = classified_words(vocab, word_classes)
    return vocab, sequences, ids, labels, names


@pytest.mark.parametrize("name", ["dlcourse.nlp.cooccurrence", "dlcourse.nlp.word2vec",
                                  "dlcourse.nlp.word_similarity", "dlcourse.nlp.plots"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --- one-hot and count-based vectors -----------------------------------------------------------

def test_one_hot_vectors_carry_no_similarity():
    vectors = one_hot(np.arange(6), 6)
    assert vectors.shape == (6, 6) and vectors.dtype == np.float32
    np.testing.assert_array_equal(cosine_similarity_matrix(vectors), np.eye(6))
    assert one_hot([[1, 2]], 4).shape == (1, 2, 4)
    with pytest.raises(ValueError, match=r"ids in \[0, 4\)"):
        one_hot([4], 4)


def test_cooccurrence_matrix_is_the_hand_counted_table():
    # "a b c a" with window 2: distance 1 (a,b) (b,c) (c,a), distance 2 (a,c) (b,a), both ways
    counts = cooccurrence_matrix([[0, 1, 2, 0]], 3, window=2)
    np.testing.assert_array_equal(counts, [[0, 2, 2], [2, 0, 1], [2, 1, 0]])
    np.testing.assert_array_equal(cooccurrence_matrix([[0, 1, 2, 0]], 3, window=1), [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
    # a window never crosses into the next sentence; short sentences count nothing beyond themselves
    np.testing.assert_array_equal(cooccurrence_matrix([[0], [1, 2]], 3, window=5), [[0, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_cooccurrence_matrix_agrees_with_a_brute_force_count():
    rng = np.random.default_rng(0)
    sequences = [rng.integers(6, size=rng.integers(1, 9)) for _ in range(20)]
    expected = np.zeros((6, 6))
    for sequence in sequences:
        for p in range(len(sequence)):
            for q in range(len(sequence)):
                if 1 <= abs(p - q) <= 3:
                    expected[sequence[p], sequence[q]] += 1
    np.testing.assert_array_equal(cooccurrence_matrix(sequences, 6, window=3), expected)


def test_ppmi_is_the_hand_computed_table():
    ppmi_table = ppmi([[0, 2, 2], [2, 0, 1], [2, 1, 0]])
    # sum X = 10, row (and column) sums 4, 3, 3: log(2 * 10 / (4 * 3)) = log 5/3, log(1 * 10 / (3 * 3))
    a, b = np.log(5.0 / 3.0), np.log(10.0 / 9.0)
    np.testing.assert_allclose(ppmi_table, [[0, a, a], [a, 0, b], [a, b, 0]], atol=1e-12)
    # a pair seen less often than chance has a negative PMI, clipped to 0
    assert ppmi([[4, 1], [1, 0]])[0, 0] == 0.0 and ppmi([[4, 1], [1, 0]])[0, 1] > 0


def test_ppmi_agrees_with_the_probabilities_and_clips_negative_and_unseen():
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 5, size=(6, 6)).astype(float)
    counts[2] = 0.0  # a word that never occurs as a center
    total = counts.sum()
    p_ij, p_i, p_j = counts / total, counts.sum(1) / total, counts.sum(0) / total
    expected = np.zeros((6, 6))
    for i in range(6):
        for j in range(6):
            if counts[i, j] > 0:
                expected[i, j] = max(0.0, np.log(p_ij[i, j] / (p_i[i] * p_j[j])))
    np.testing.assert_allclose(ppmi(counts), expected, atol=1e-12)
    assert np.all(ppmi(counts)[2] == 0) and np.all(ppmi(np.zeros((3, 3))) == 0)


def test_truncated_svd_agrees_with_sklearn():
    from sklearn.decomposition import TruncatedSVD

    rng = np.random.default_rng(2)
    matrix = ppmi(rng.integers(0, 6, size=(12, 12)).astype(float))
    ours = truncated_svd_embeddings(matrix, 3)
    theirs = TruncatedSVD(3, algorithm="arpack", random_state=0).fit_transform(matrix)
    signs = np.sign(np.sum(ours * theirs, axis=0))
    np.testing.assert_allclose(ours, theirs * signs, atol=1e-8)
    with pytest.raises(ValueError, match="dim must be at most"):
        truncated_svd_embeddings(matrix, 13)


# --- skip-gram with the notes' full softmax ------------------------------------------------------

def test_skipgram_softmax_probabilities_are_the_notes_softmax():
    v, u = _tables(3)
    probabilities = skipgram_softmax_probabilities(v, u, [0, 4])
    for row, t in zip(probabilities, [0, 4]):
        expected = [np.exp(u[c] @ v[t]) / sum(np.exp(u[w] @ v[t]) for w in range(7)) for c in range(7)]
        np.testing.assert_allclose(row, expected, rtol=1e-12)
    np.testing.assert_allclose(probabilities, scipy.special.softmax(v[[0, 4]] @ u.T, axis=1), rtol=1e-12)


def test_skipgram_softmax_loss_is_the_mean_negative_log_likelihood():
    v, u = _tables(4)
    targets, contexts = np.array([0, 0, 3, 5]), np.array([1, 2, 3, 1])
    loss, _, _ = skipgram_softmax_loss(v, u, targets, contexts)
    probabilities = scipy.special.softmax(v[targets] @ u.T, axis=1)
    assert loss == pytest.approx(-np.mean(np.log(probabilities[np.arange(4), contexts])), rel=1e-12)


def test_skipgram_softmax_gradients_match_finite_differences():
    v, u = _tables(5)
    targets, contexts = np.array([0, 0, 3, 6, 3]), np.array([1, 2, 3, 1, 1])  # repeated centers
    _, grad_v, grad_u = skipgram_softmax_loss(v, u, targets, contexts)
    np.testing.assert_allclose(grad_v, _numeric_gradient(lambda: skipgram_softmax_loss(v, u, targets, contexts)[0], v),
                               atol=1e-8)
    np.testing.assert_allclose(grad_u, _numeric_gradient(lambda: skipgram_softmax_loss(v, u, targets, contexts)[0], u),
                               atol=1e-8)
    assert np.all(grad_v[[1, 2, 4, 5]] == 0)  # only the center words' v move


def test_full_softmax_logits_of_the_keras_model_are_the_notes_scores():
    v, u = _tables(6)
    model = SkipGram(7, 4, seed=0)
    model((np.array([0]), np.array([1])))
    model.target_embedding.set_weights([v.astype("float32")])
    model.context_embedding.set_weights([u.astype("float32")])
    np.testing.assert_allclose(_np(keras.ops.softmax(model.full_softmax_logits(np.array([2, 5])))),
                               skipgram_softmax_probabilities(v, u, [2, 5]), rtol=1e-5)


# --- negative sampling ----------------------------------------------------------------------------

def test_unigram_distribution_raises_counts_to_three_quarters():
    counts = np.array([81.0, 16.0, 1.0, 0.0])
    np.testing.assert_allclose(unigram_distribution(counts), np.array([27.0, 8.0, 1.0, 0.0]) / 36.0)
    np.testing.assert_allclose(unigram_distribution(counts, power=1.0), np.array([81, 16, 1, 0]) / 98.0)
    with pytest.raises(ValueError, match="not all zero"):
        unigram_distribution([0, 0])


def test_negative_samples_draw_from_the_distribution():
    distribution = unigram_distribution([81.0, 16.0, 1.0, 0.0])
    pairs = np.tile([[0, 1]], (4000, 1))
    centers, contexts, labels = negative_samples(pairs, 4, 3, np.random.default_rng(0), distribution)
    assert centers.shape == contexts.shape == labels.shape == (16000,)
    assert labels[:4000].all() and not labels[4000:].any()
    frequencies = np.bincount(contexts[4000:], minlength=4) / 12000
    np.testing.assert_allclose(frequencies, distribution, atol=4 * np.sqrt(0.25 / 12000))
    # uniform when no distribution is given (DeepWalk's)
    _, uniform, _ = negative_samples(pairs, 4, 3, np.random.default_rng(0))
    np.testing.assert_allclose(np.bincount(uniform[4000:], minlength=4) / 12000, 0.25, atol=0.02)


def test_negative_sampling_loss_is_keras_binary_cross_entropy_on_the_model():
    """(1 + K) times the mean BCE over a pair's positive and K negative rows is our J per pair."""
    v, u = _tables(7)
    targets, contexts = np.array([0, 2, 2]), np.array([1, 3, 6])
    negatives = np.array([[4, 5], [0, 0], [1, 6]])
    loss, _, _ = negative_sampling_loss(v, u, targets, contexts, negatives)
    model = SkipGram(7, 4)
    model((targets, contexts))
    model.target_embedding.set_weights([v.astype("float32")])
    model.context_embedding.set_weights([u.astype("float32")])
    rows_t = np.concatenate([targets, np.repeat(targets, 2)])
    rows_c = np.concatenate([contexts, negatives.ravel()])
    labels = np.concatenate([np.ones(3), np.zeros(6)])
    bce = keras.losses.BinaryCrossentropy(from_logits=True)(labels, model((rows_t, rows_c)))
    assert loss == pytest.approx(3.0 * float(_np(bce)), rel=1e-5)


def test_negative_sampling_gradients_match_finite_differences():
    v, u = _tables(8)
    targets, contexts = np.array([0, 2, 2, 5]), np.array([1, 3, 6, 0])
    negatives = np.array([[4, 5, 4], [0, 0, 2], [1, 6, 3], [5, 1, 1]])  # repeats, and a word as its own noise

    def loss():
        return negative_sampling_loss(v, u, targets, contexts, negatives)[0]

    _, grad_v, grad_u = negative_sampling_loss(v, u, targets, contexts, negatives)
    np.testing.assert_allclose(grad_v, _numeric_gradient(loss, v), atol=1e-8)
    np.testing.assert_allclose(grad_u, _numeric_gradient(loss, u), atol=1e-8)


# --- CBOW -------------------------------------------------------------------------------------

def test_cbow_examples_pad_the_sentence_edges():
    contexts, centers = cbow_examples([[5, 6, 7, 8], [9]], 2)
    assert contexts.tolist() == [[0, 0, 6, 7], [0, 5, 7, 8], [5, 6, 8, 0], [6, 7, 0, 0]]
    assert centers.tolist() == [5, 6, 7, 8]  # a one-word sentence has no context


def test_cbow_loss_and_gradients_match_the_formula_and_finite_differences():
    v, u = _tables(9)
    contexts, centers = np.array([[1, 2, 2, 3], [0, 4, 5, 0], [6, 1, 0, 0]]), np.array([0, 3, 2])
    loss, grad_v, grad_u = cbow_softmax_loss(v, u, contexts, centers, pad_id=0)
    means = np.stack([v[[1, 2, 2, 3]].mean(0), v[[4, 5]].mean(0), v[[6, 1]].mean(0)])
    probabilities = scipy.special.softmax(means @ u.T, axis=1)
    assert loss == pytest.approx(-np.mean(np.log(probabilities[np.arange(3), centers])), rel=1e-12)
    for pad_id in (0, None):
        def f(pad_id=pad_id):
            return cbow_softmax_loss(v, u, contexts, centers, pad_id=pad_id)[0]

        _, grad_v, grad_u = cbow_softmax_loss(v, u, contexts, centers, pad_id=pad_id)
        np.testing.assert_allclose(grad_v, _numeric_gradient(f, v), atol=1e-8)
        np.testing.assert_allclose(grad_u, _numeric_gradient(f, u), atol=1e-8)


def test_cbow_model_is_keras_cross_entropy_of_the_numpy_loss():
    v, u = _tables(10)
    contexts, centers = np.array([[1, 2, 2, 3], [0, 4, 5, 0]]), np.array([0, 3])
    model = CBOW(7, 4, pad_id=0)
    model(contexts)
    model.input_embedding.set_weights([v.astype("float32")])
    model.output_embedding.set_weights([u.astype("float32")])
    crossentropy = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(centers, model(contexts))
    assert float(_np(crossentropy)) == pytest.approx(cbow_softmax_loss(v, u, contexts, centers, pad_id=0)[0], rel=1e-5)


# --- training and evaluation on the generated corpus ------------------------------------------------

def test_nearest_neighbours_and_knn_agree_with_sklearn():
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(15, 4))
    ids, similarities = nearest_neighbours(vectors, np.arange(15), k=3)
    distances, theirs = NearestNeighbors(n_neighbors=4, metric="cosine").fit(vectors).kneighbors(vectors)
    np.testing.assert_array_equal(ids, theirs[:, 1:])
    np.testing.assert_allclose(similarities, 1.0 - distances[:, 1:], atol=1e-12)
    labels = np.repeat([0, 1, 2], 5)
    clustered = np.eye(3)[labels] + 0.05 * rng.normal(size=(15, 3))
    assert knn_class_accuracy(clustered, labels, k=3) == 1.0
    assert class_separation(clustered, labels) > 0.9
    assert class_separation(np.eye(15), labels) == 0.0


def test_ppmi_svd_separates_the_classes_and_one_hot_does_not(corpus):
    vocab, sequences, ids, labels, _ = corpus
    vectors = truncated_svd_embeddings(ppmi(cooccurrence_matrix(sequences, len(vocab), window=2)), 10)
    assert class_separation(vectors[ids], labels) > 0.5
    assert knn_class_accuracy(vectors[ids], labels, k=5) >= 0.95
    assert class_separation(one_hot(ids, len(vocab)), labels) == 0.0
    assert knn_class_accuracy(one_hot(ids, len(vocab)), labels, k=5) < 0.4


def test_skipgram_with_negative_sampling_separates_the_classes(corpus):
    vocab, sequences, ids, labels, names = corpus
    keras.utils.set_random_seed(0)
    counts = np.bincount(np.concatenate(sequences[:500]), minlength=len(vocab))
    model, vectors = train_skipgram(sequences[:500], len(vocab), embedding_dim=16, window=2, epochs=3,
                                    batch_size=512, seed=0, distribution=unigram_distribution(counts))
    assert vectors.shape == (len(vocab), 16)
    assert class_separation(vectors[ids], labels) > 0.3
    assert knn_class_accuracy(vectors[ids], labels, k=5) >= 0.9
    neighbours, _ = nearest_neighbours(vectors, [vocab.token_to_id("cat")], k=3)
    assert {vocab.id_to_token(int(i)) for i in neighbours[0]} <= set(GRAMMAR_CLASSES["animal"])


def test_cbow_separates_the_classes(corpus):
    vocab, sequences, ids, labels, _ = corpus
    keras.utils.set_random_seed(0)
    model, vectors = train_cbow(sequences[:800], len(vocab), embedding_dim=16, window=2, epochs=3, seed=0)
    assert vectors.shape == (len(vocab), 16)
    assert class_separation(vectors[ids], labels) > 0.3
    assert knn_class_accuracy(vectors[ids], labels, k=5) >= 0.9


# --- one skip-gram for chapters 5 and 7, saving and loading --------------------------------------------

def test_chapter_7_uses_chapter_5s_skipgram():
    import dlcourse.gnn as gnn
    import dlcourse.nlp.word2vec as word2vec

    assert gnn.SkipGram is word2vec.SkipGram
    walks = np.array([[0, 1, 2, 3], [3, 2, 1, 0]])
    np.testing.assert_array_equal(gnn.skipgram_pairs(walks, 2), word2vec.skipgram_pairs(walks, 2))
    ours = gnn.negative_samples(np.array([[0, 1]]), 5, 3, np.random.default_rng(0))
    theirs = word2vec.negative_samples(np.array([[0, 1]]), 5, 3, np.random.default_rng(0))
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    assert SkipGram(num_nodes=4, embedding_dim=2).num_nodes == 4


def test_skipgram_pairs_of_ragged_sentences():
    assert skipgram_pairs([[5, 6, 7], [8], [9, 4]], 1).tolist() == [[5, 6], [6, 7], [6, 5], [7, 6], [9, 4], [4, 9]]
    assert skipgram_pairs([[1]], 3).shape == (0, 2)


@pytest.mark.parametrize("make, inputs", [
    (lambda: SkipGram(6, 3, seed=1), (np.array([0, 1, 5]), np.array([2, 3, 4]))),
    (lambda: CBOW(6, 3, pad_id=0, seed=2), np.array([[1, 2, 0], [3, 4, 5]])),
])
def test_models_save_and_load(tmp_path, make, inputs):
    model = make()
    expected = _np(model(inputs))
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(_np(loaded(inputs)), expected, rtol=1e-6)
    assert loaded.get_config() == model.get_config()


def test_a_skipgram_saved_by_chapter_7s_old_class_still_loads(tmp_path):
    """Before chapter 5, dlcourse.gnn's SkipGram had the tables `node_embedding` and
    `context_embedding` and the config key num_nodes: such a file loads into today's class."""

    @keras.saving.register_keras_serializable(package="old_dlcourse_test")
    class OldSkipGram(keras.Model):
        def __init__(self, num_nodes, embedding_dim=16, seed=None, **kwargs):
            super().__init__(**kwargs)
            self.num_nodes, self.embedding_dim, self.seed = num_nodes, embedding_dim, seed
            self.node_embedding = keras.layers.Embedding(num_nodes, embedding_dim, name="node_embedding")
            self.context_embedding = keras.layers.Embedding(num_nodes, embedding_dim, name="context_embedding")

        def call(self, inputs):
            centers, contexts = inputs
            return keras.ops.sum(self.node_embedding(centers) * self.context_embedding(contexts), axis=-1)

        def get_config(self):
            return {**super().get_config(), "num_nodes": self.num_nodes, "embedding_dim": self.embedding_dim,
                    "seed": self.seed}

    old = OldSkipGram(6, 3)
    inputs = (np.array([0, 1, 5]), np.array([2, 3, 4]))
    old(inputs)
    rng = np.random.default_rng(0)
    old.node_embedding.set_weights([rng.normal(size=(6, 3)).astype("float32")])
    old.context_embedding.set_weights([rng.normal(size=(6, 3)).astype("float32")])
    old.save(tmp_path / "old.keras")
    # the file as dlcourse.gnn.embeddings wrote it: its module, class and registered name
    with zipfile.ZipFile(tmp_path / "old.keras") as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(files["config.json"])
    config.update(module="dlcourse.gnn.embeddings", class_name="SkipGram", registered_name="dlcourse>SkipGram")
    files["config.json"] = json.dumps(config).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    (tmp_path / "renamed.keras").write_bytes(buffer.getvalue())
    loaded = keras.models.load_model(tmp_path / "renamed.keras")
    assert isinstance(loaded, SkipGram) and loaded.vocabulary_size == 6
    np.testing.assert_allclose(_np(loaded(inputs)), _np(old(inputs)), rtol=1e-6)


def test_importing_dlcourse_gnn_does_not_load_chapter_5s_heavy_pieces():
    """dlcourse.gnn imports dlcourse.nlp (for the skip-gram), so no module of dlcourse.nlp may
    import keras_hub, tensorflow_text or sacrebleu at its top level: they stay inside functions."""
    import ast

    heavy = {"keras_hub", "tensorflow_text", "sacrebleu"}
    for path in sorted((ROOT / "dlcourse" / "nlp").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {name.split(".")[0] for name in names} & heavy, f"{path.name} imports {names} at the top"


# --- the plot -------------------------------------------------------------------------------------

def test_plot_word_embeddings_colours_each_class(corpus):
    from matplotlib.figure import Figure

    vocab, sequences, ids, labels, names = corpus
    vectors = truncated_svd_embeddings(ppmi(cooccurrence_matrix(sequences, len(vocab), window=2)), 6)
    words = vocab.tokens
    _, word_classes = grammar_corpus(1)
    figure = plot_word_embeddings(vectors, words, word_classes)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == names + ["other"]
    assert len(ax.collections) == len(names) + 1
    assert sorted(t.get_text() for t in ax.texts) == sorted(words)
    np.testing.assert_allclose(ax.collections[0].get_offsets(), project_2d(vectors)[[
        i for i, w in enumerate(words) if word_classes.get(w) == names[0]]])
    with pytest.raises(ValueError, match="name each of the"):
        plot_word_embeddings(vectors, words[:3])


def test_project_2d_agrees_with_sklearn_pca():
    from sklearn.decomposition import PCA

    vectors = np.random.default_rng(12).normal(size=(20, 5))
    ours, theirs = project_2d(vectors), PCA(2).fit_transform(vectors)
    np.testing.assert_allclose(ours, theirs * np.sign(np.sum(ours * theirs, axis=0)), atol=1e-10)


# --- each exercise's solution against its library twin ----------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch05_nlp" / f"{name}.py"), f"ch05_{name}_solution")


def test_cooccurrence_ppmi_solution_agrees_with_the_library():
    sol = _solution("cooccurrence_ppmi")
    rng = np.random.default_rng(20)
    sentences = [rng.integers(8, size=rng.integers(1, 10)) for _ in range(30)]
    for window in (1, 2, 5):
        np.testing.assert_array_equal(sol.cooccurrence_counts(sentences, 8, window),
                                      cooccurrence_matrix(sentences, 8, window))
    counts = rng.integers(0, 4, size=(8, 8)).astype(float)
    counts[3] = 0.0
    np.testing.assert_allclose(sol.ppmi(counts), ppmi(counts), atol=1e-12)


def test_skipgram_softmax_solution_agrees_with_the_library():
    """One center word with m contexts is the library's batch of m pairs (a mean, so times m)."""
    sol = _solution("skipgram_softmax_gradients")
    v, u = _tables(21, vocabulary_size=9, dim=5)
    contexts = np.array([2, 7, 2, 0])
    np.testing.assert_allclose(sol.context_probabilities(v[4], u), skipgram_softmax_probabilities(v, u, [4])[0],
                               rtol=1e-12)
    result = sol.skipgram_loss_and_gradients(v[4], u, contexts)
    loss, grad_v, grad_u = skipgram_softmax_loss(v, u, np.full(4, 4), contexts)
    assert result["loss"] == pytest.approx(4 * loss, rel=1e-12)
    np.testing.assert_allclose(result["v_t"], 4 * grad_v[4], atol=1e-12)
    np.testing.assert_allclose(result["U"], 4 * grad_u, atol=1e-12)


def test_negative_sampling_solution_agrees_with_the_library():
    sol = _solution("negative_sampling")
    counts = np.array([10.0, 0.0, 3.0, 7.0, 1.0])
    for power in (0.75, 1.0, 0.0):
        np.testing.assert_allclose(sol.noise_distribution(counts, power), unigram_distribution(counts, power),
                                   rtol=1e-12)
    v, u = _tables(22, vocabulary_size=8, dim=5)
    negatives = np.array([4, 1, 4, 3])
    result = sol.negative_sampling_loss_and_gradients(v[6], u, 3, negatives)
    loss, grad_v, grad_u = negative_sampling_loss(v, u, [6], [3], negatives[None])
    assert result["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(result["v_t"], grad_v[6], atol=1e-12)
    np.testing.assert_allclose(result["U"], grad_u, atol=1e-12)


def test_cbow_solution_agrees_with_the_library_and_the_keras_model():
    sol = _solution("cbow")
    v, u = _tables(23, vocabulary_size=7, dim=3)
    contexts = np.array([4, 1, 4, 5])
    result = sol.cbow_loss_and_gradients(v, u, contexts, 5)
    loss, grad_v, grad_u = cbow_softmax_loss(v, u, contexts[None], [5])
    assert result["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(result["V_in"], grad_v, atol=1e-12)
    np.testing.assert_allclose(result["U"], grad_u, atol=1e-12)
    model = CBOW(7, 3, pad_id=None)
    model(contexts[None])
    model.input_embedding.set_weights([v.astype("float32")])
    model.output_embedding.set_weights([u.astype("float32")])
    np.testing.assert_allclose(sol.center_probabilities(v, u, contexts),
                               _np(keras.ops.softmax(model(contexts[None])))[0], rtol=1e-5)
