"""DeepWalk and node2vec walks by their empirical transition probabilities (against the formulas,
with neighbourhoods from networkx), skip-gram embeddings trained with Keras on the karate club,
and the embedding plot."""

import re

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlcourse.data.graphs import KARATE_FACTIONS, load_karate_club  # noqa: E402
from dlcourse.gnn import (  # noqa: E402
    SkipGram,
    negative_samples,
    node2vec_transition_probabilities,
    node2vec_walks,
    neighbour_lists,
    plot_node_embeddings,
    plot_over_smoothing,
    random_walks,
    skipgram_pairs,
    train_skipgram,
)


def _small_graph():
    """A graph where node 2 has neighbours at distance 0, 1 and 2 from node 0."""
    graph = nx.Graph([(0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4), (4, 5)])
    pairs = np.asarray(graph.edges())
    return graph, np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])


def _transition_counts(walks, first_order=True):
    counts = {}
    for walk in walks:
        for i in range(1 if first_order else 2, len(walk)):
            key = (walk[i - 1],) if first_order else (walk[i - 2], walk[i - 1])
            counts.setdefault(key, {}).setdefault(walk[i], 0)
            counts[key][walk[i]] += 1
    return counts


def test_deepwalk_steps_are_uniform_over_neighbours():
    graph, s, r = _small_graph()
    walks = random_walks(s, r, 6, walk_length=20, walks_per_node=60, rng=np.random.default_rng(0))
    assert walks.shape == (360, 20)
    np.testing.assert_array_equal(walks[:6, 0], np.arange(6))
    for (v,), following in _transition_counts(walks).items():
        assert set(following) == set(graph[v])
        total = sum(following.values())
        for x, count in following.items():
            assert abs(count / total - 1 / graph.degree[v]) < 4 * np.sqrt(0.25 / total)


@pytest.mark.parametrize("p, q", [(0.25, 4.0), (4.0, 0.25), (1.0, 1.0)])
def test_node2vec_transitions_follow_the_biased_formula(p, q):
    graph, s, r = _small_graph()
    walks = node2vec_walks(s, r, 6, walk_length=30, walks_per_node=80, p=p, q=q, rng=np.random.default_rng(1))
    distance = dict(nx.all_pairs_shortest_path_length(graph))
    checked = 0
    for (t, v), following in _transition_counts(walks, first_order=False).items():
        weights = {x: {0: 1 / p, 1: 1.0, 2: 1 / q}[distance[t][x]] for x in graph[v]}
        norm = sum(weights.values())
        total = sum(following.values())
        for x in graph[v]:
            expected = weights[x] / norm
            observed = following.get(x, 0) / total
            assert abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / total) + 1e-9, (t, v, x)
        candidates, probabilities = node2vec_transition_probabilities(neighbour_lists(s, r, 6), t, v, p, q)
        np.testing.assert_allclose(probabilities, [weights[x] / norm for x in candidates], rtol=1e-12)
        checked += 1
    assert checked >= 10


def test_walk_arguments():
    _, s, r = _small_graph()
    with pytest.raises(ValueError, match="p and q must be positive"):
        node2vec_walks(s, r, 6, 5, 1, p=0.0, q=1.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="num_nodes"):
        random_walks(s, r, 3, 5, 1, rng=np.random.default_rng(0))


@pytest.mark.parametrize("walks", [random_walks, node2vec_walks])
@pytest.mark.parametrize("kwargs, error, message", [
    ({"walk_length": 0}, ValueError, "walk_length must be a positive integer, got 0."),
    ({"walk_length": 2.5}, ValueError, "walk_length must be a positive integer, got 2.5."),
    ({"walk_length": True}, ValueError, "walk_length must be a positive integer, got True."),
    ({"walks_per_node": -1}, ValueError, "walks_per_node must be a positive integer, got -1."),
    ({"walks_per_node": "3"}, ValueError, "walks_per_node must be a positive integer, got '3'."),
    ({"rng": 0}, TypeError, "rng must be a numpy.random.Generator"),
    ({"rng": np.random.RandomState(0)}, TypeError, "rng must be a numpy.random.Generator"),
])
def test_walk_length_walks_per_node_and_rng_are_validated(walks, kwargs, error, message):
    _, s, r = _small_graph()
    arguments = {"walk_length": 5, "walks_per_node": 2, "rng": np.random.default_rng(0), **kwargs}
    if walks is node2vec_walks:
        arguments.update(p=1.0, q=1.0)
    with pytest.raises(error, match=re.escape(message)):
        walks(s, r, 6, **arguments)
    # numpy integers are integers too
    assert walks(s, r, 6, **{**arguments, "walk_length": np.int64(3), "walks_per_node": np.int32(1),
                             "rng": np.random.default_rng(0)}).shape == (6, 3)


def test_skipgram_pairs_and_negatives():
    walks = np.array([[0, 1, 2, 3]])
    pairs = {tuple(p) for p in skipgram_pairs(walks, 2)}
    assert pairs == {(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2), (0, 2), (2, 0), (1, 3), (3, 1)}
    centers, contexts, labels = negative_samples(np.array([[0, 1], [2, 3]]), 10, 3, np.random.default_rng(0))
    assert centers.shape == contexts.shape == labels.shape == (8,)
    assert labels.sum() == 2 and centers[2:].tolist() == [0, 0, 0, 2, 2, 2]


@pytest.mark.backend_neutral
def test_skipgram_embeddings_separate_the_karate_factions():
    keras.utils.set_random_seed(0)
    _, s, r, labels = load_karate_club()
    walks = random_walks(s, r, 34, walk_length=10, walks_per_node=10, rng=np.random.default_rng(2))
    model, z = train_skipgram(walks, 34, embedding_dim=8, window=3, epochs=3, seed=3)
    assert z.shape == (34, 8)
    unit = z / np.linalg.norm(z, axis=1, keepdims=True)
    similarity = unit @ unit.T
    same = labels[:, None] == labels[None, :]
    off_diagonal = ~np.eye(34, dtype=bool)
    assert similarity[same & off_diagonal].mean() > similarity[~same].mean() + 0.2
    logits = keras.ops.convert_to_numpy(model((np.array([0, 0]), np.array([1, 33]))))
    np.testing.assert_allclose(logits, [z[0] @ model.context_embedding.embeddings.numpy()[1],
                                        z[0] @ model.context_embedding.embeddings.numpy()[33]], rtol=1e-5)


@pytest.mark.backend_neutral
def test_skipgram_saves_and_loads(tmp_path):
    model = SkipGram(6, 3, seed=1)
    inputs = (np.array([0, 1, 5]), np.array([2, 3, 4]))
    expected = keras.ops.convert_to_numpy(model(inputs))
    model.save(tmp_path / "skipgram.keras")
    loaded = keras.models.load_model(tmp_path / "skipgram.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(inputs)), expected, rtol=1e-6)
    assert loaded.get_config()["embedding_dim"] == 3


def test_plot_node_embeddings_returns_a_figure():
    from matplotlib.figure import Figure

    _, _, _, labels = load_karate_club()
    points = np.random.default_rng(0).normal(size=(34, 2))
    figure = plot_node_embeddings(points, labels, label_names=KARATE_FACTIONS)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(KARATE_FACTIONS)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plot_node_embeddings(np.zeros((34, 3)), labels)


def test_plot_over_smoothing_returns_a_figure():
    from matplotlib.figure import Figure

    figure = plot_over_smoothing({"no skip": [0.3, 0.8, 0.95], "skip": [0.3, 0.5, 0.6]})
    assert isinstance(figure, Figure)
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["no skip", "skip"]
