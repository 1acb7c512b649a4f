"""Chapter 7 exercises: each solution agrees with its dlcourse.gnn twin on random inputs (and so,
through the library's tests, with TF-GNN, networkx or sklearn), and each grader gives the solution
full marks and the released stub none. Stated points and FORBIDDEN are checked course-wide in
test_release."""

import pathlib

import keras
import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.gnn import (
    ConcatEdgeDecoder,
    DotProductEdgeDecoder,
    GATConv,
    GCNConv,
    GeneralGNNLayer,
    GraphPooling,
    GraphSAGEConv,
    adjacency_matrix,
    adjacency_to_edges,
    cycle_counts,
    degree_features,
    induced_subgraph,
    mean_pairwise_cosine_similarity,
    neighbour_lists,
    node2vec_transition_probabilities,
    random_walks,
    roc_auc,
    sample_neighbours,
    two_hop_edges,
)
from dlcourse.gnn import add_virtual_node as library_add_virtual_node

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTER = "ch07_gnn"
EXERCISES = sorted(p.stem for p in (ROOT / "solutions" / CHAPTER).glob("*.py"))


def _solution(name):
    return load_module(str(ROOT / "solutions" / CHAPTER / f"{name}.py"), f"ch07_{name}_solution")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _undirected(seed, n=9, p=0.35):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


def _directed(seed, n=9, p=0.3):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < p).astype(float)
    np.fill_diagonal(a, 0.0)
    return a


def _layer_output(layer, a, x, weights):
    s, r = adjacency_to_edges(a)
    x = x.astype("float32")
    layer(x, s, r)
    layer.set_weights([np.asarray(w, "float32") for w in weights])
    return _np(layer(x, s, r)).astype(float)


def test_chapter_has_at_least_ten_exercises():
    assert len(EXERCISES) >= 10


# --- each solution against its library twin --------------------------------------------------


def test_adjacency_normalization_agrees_with_gcnconv():
    sol = _solution("adjacency_normalization")
    a = _directed(1)
    eye = np.eye(len(a))
    mean = _layer_output(GCNConv(len(a), use_bias=False), a, eye, [eye, np.zeros_like(eye)])
    np.testing.assert_allclose(sol.mean_normalized_adjacency(a), mean, rtol=1e-5, atol=1e-6)
    u = _undirected(2)
    symmetric = _layer_output(GCNConv(len(u), "symmetric", use_bias=False), u, eye, [eye])
    np.testing.assert_allclose(sol.symmetric_normalized_adjacency(u), symmetric, rtol=1e-5, atol=1e-6)


def test_gcn_layer_agrees_with_gcnconv_mean_form():
    sol = _solution("gcn_layer")
    rng = np.random.default_rng(3)
    a, x = _directed(3), rng.normal(size=(9, 4))
    w_k, b_k = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    s, r = adjacency_to_edges(a)
    expected = _layer_output(GCNConv(3, activation="relu", use_bias=False), a, x, [w_k, b_k])
    np.testing.assert_allclose(sol.gcn_layer(x, s, r, w_k, b_k, "relu"), expected, rtol=1e-4, atol=1e-5)


def test_gcn_symmetric_agrees_with_gcnconv_symmetric_form():
    sol = _solution("gcn_symmetric")
    rng = np.random.default_rng(4)
    a, x = _undirected(4), rng.normal(size=(9, 5))
    w0, b0, w1, b1 = rng.normal(size=(5, 4)), rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)
    hidden = _layer_output(GCNConv(4, "symmetric", activation="relu"), a, x, [w0, b0])
    np.testing.assert_allclose(sol.gcn_symmetric_layer(a, x, w0, b0, "relu"), hidden, rtol=1e-4, atol=1e-5)
    logits = _layer_output(GCNConv(3, "symmetric"), a, hidden, [w1, b1])
    np.testing.assert_allclose(sol.two_layer_gcn(a, x, w0, b0, w1, b1), _np(keras.ops.softmax(logits)),
                               rtol=1e-4, atol=1e-5)


def test_permutation_equivariance_holds_for_every_library_layer():
    sol = _solution("permutation_equivariance")
    rng = np.random.default_rng(5)
    a, x = _directed(5, n=7), rng.normal(size=(7, 3)).astype("float32")
    perm = rng.permutation(7)
    for layer in (GCNConv(2), GCNConv(2, "symmetric"), GraphSAGEConv(2, "max_pool"), GATConv(2, num_heads=2)):
        def f(adjacency, features, layer=layer):
            s, r = adjacency_to_edges(adjacency)
            return _np(layer(features.astype("float32"), s, r))

        assert sol.is_equivariant(f, a, x, perm, atol=1e-5), layer.name

        def g(adjacency, features, layer=layer):
            return _np(GraphPooling("sum")(f(adjacency, features), np.zeros(len(features), "int32"), num_graphs=1))[0]

        assert sol.is_invariant(g, a, x, perm, atol=1e-4), layer.name


@pytest.mark.parametrize("aggregator", ["mean", "max_pool"])
def test_graphsage_aggregators_agree_with_graphsageconv(aggregator):
    sol = _solution("graphsage_aggregators")
    rng = np.random.default_rng(6)
    a, x = _directed(6), rng.normal(size=(9, 4))
    a[8] = 0.0
    w_pool, b_pool = rng.normal(size=(4, 3)), rng.normal(size=3)
    w_self, b = rng.normal(size=(4, 5)), rng.normal(size=5)
    w_neigh = rng.normal(size=(4 if aggregator == "mean" else 3, 5))
    layer = GraphSAGEConv(5, aggregator=aggregator, pool_units=3)
    weights = [w_self, w_neigh, b] if aggregator == "mean" else [w_self, w_pool, b_pool, w_neigh, b]
    expected = _layer_output(layer, a, x, weights)
    got = sol.graphsage_layer(a, x, w_self, w_neigh, b, aggregator, w_pool, b_pool)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("merge, self_loops", [("concat", False), ("mean", False), ("mean", True)])
def test_gat_attention_agrees_with_gatconv(merge, self_loops):
    sol = _solution("gat_attention")
    rng = np.random.default_rng(7)
    a, x = _directed(7), rng.normal(size=(9, 3))
    a[2] = 0.0  # node 2 hears from nobody: sigma(0), or only itself with self-loops
    w, a_src, a_dst = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    layer = GATConv(4, num_heads=2, merge=merge, use_bias=False, add_self_loops=self_loops, activation="relu")
    expected = _layer_output(layer, a, x, [np.concatenate(list(w), axis=1), a_src, a_dst])
    got = sol.gat_layer(a, x, w, a_src, a_dst, merge, self_loops=self_loops, activation="relu")
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def _transition_frequencies(walks, n):
    counts = np.zeros((n, n))
    np.add.at(counts, (walks[:, :-1].ravel(), walks[:, 1:].ravel()), 1)
    return counts / np.maximum(counts.sum(1, keepdims=True), 1)


def test_random_walks_agree_with_library_walks_in_distribution():
    sol = _solution("random_walks")
    a = _undirected(8, n=7, p=0.5)
    s, r = adjacency_to_edges(a)
    ours = sol.deepwalk_walks(a, 20, 30, np.random.default_rng(0))
    library = random_walks(s, r, 7, 20, 30, np.random.default_rng(1))
    assert ours.shape == library.shape
    np.testing.assert_array_equal(ours[:, 0], library[:, 0])
    np.testing.assert_allclose(_transition_frequencies(ours, 7), _transition_frequencies(library, 7), atol=0.08)


def test_node2vec_transition_agrees_with_library():
    sol = _solution("node2vec_transition")
    a = _undirected(9, n=8, p=0.45)
    s, r = adjacency_to_edges(a)
    neighbours = neighbour_lists(s, r, 8)
    for p, q in ((0.5, 2.0), (3.0, 0.3)):
        for t, v in zip(*np.nonzero(a)):
            candidates, probabilities = node2vec_transition_probabilities(neighbours, t, v, p, q)
            expected = np.zeros(8)
            expected[candidates] = probabilities
            np.testing.assert_allclose(sol.transition_probabilities(a, t, v, p, q), expected, rtol=1e-12)


@pytest.mark.parametrize("reduce", ["mean", "max", "sum"])
def test_graph_pooling_readout_agrees_with_graphpooling(reduce):
    sol = _solution("graph_pooling_readout")
    rng = np.random.default_rng(10)
    h, ids = rng.normal(size=(12, 3)), rng.integers(0, 4, 12)
    expected = _np(GraphPooling(reduce)(h.astype("float32"), ids, num_graphs=5))
    np.testing.assert_allclose(sol.readout(h, ids, 5, reduce), expected, rtol=1e-5, atol=1e-6)
    a, x, graph_ids = sol.batch_graphs([_undirected(1, 3), _undirected(2, 4)], [h[:3], h[3:7]])
    assert graph_ids.tolist() == [0, 0, 0, 1, 1, 1, 1] and a.shape == (7, 7)


def test_edge_prediction_heads_agree_with_library_decoders():
    sol = _solution("edge_prediction_heads")
    rng = np.random.default_rng(11)
    h, pairs = rng.normal(size=(8, 3)).astype("float32"), rng.integers(0, 8, size=(10, 2))
    np.testing.assert_allclose(sol.dot_product_scores(h, pairs),
                               _np(DotProductEdgeDecoder()(h, pairs[:, 0], pairs[:, 1])), rtol=1e-5, atol=1e-6)
    decoder = ConcatEdgeDecoder(4)
    library = _np(decoder(h, pairs[:, 0], pairs[:, 1]))
    w1, b1, w2, b2 = decoder.get_weights()
    np.testing.assert_allclose(sol.concat_mlp_scores(h, pairs, w1, b1, w2[:, 0], b2[0]), library, rtol=1e-5, atol=1e-5)
    labels = rng.integers(0, 2, 30)
    scores = np.round(rng.normal(size=30) + labels, 1)
    assert sol.roc_auc(labels, scores) == pytest.approx(roc_auc(labels, scores), abs=1e-12)
    keras_bce = keras.losses.BinaryCrossentropy(from_logits=True)(labels.astype("float32"), scores.astype("float32"))
    assert sol.binary_cross_entropy(labels, scores) == pytest.approx(float(keras_bce), rel=1e-5)


def test_over_smoothing_agrees_with_library_measure_and_gcn_propagation():
    sol = _solution("over_smoothing")
    rng = np.random.default_rng(12)
    a, x = _undirected(12, n=10, p=0.3), rng.normal(size=(10, 4))
    assert sol.mean_pairwise_cosine_similarity(x) == pytest.approx(mean_pairwise_cosine_similarity(x), abs=1e-12)
    propagate = GCNConv(4, "symmetric", use_bias=False)
    for skip, step in ((None, lambda f, h: f), ("residual", lambda f, h: f + h),
                       ("initial", lambda f, h: 0.7 * f + 0.3 * x)):
        h, curve = x, [mean_pairwise_cosine_similarity(x)]
        for _ in range(5):
            h = step(_layer_output(propagate, a, h, [np.eye(4)]), h)
            curve.append(mean_pairwise_cosine_similarity(h))
        np.testing.assert_allclose(sol.smoothing_curve(a, x, 5, skip, 0.3), curve, rtol=1e-4, atol=1e-5)


def test_graph_augmentation_agrees_with_library():
    sol = _solution("graph_augmentation")
    a = _undirected(13, n=11, p=0.4)
    s, r = adjacency_to_edges(a)
    features = sol.structural_features(a)
    np.testing.assert_array_equal(features[:, 0], degree_features(s, r, 11)[:, 0])
    np.testing.assert_array_equal(features[:, 1], cycle_counts(s, r, 11, lengths=(3,))[:, 0])
    x = np.random.default_rng(13).normal(size=(11, 2)).astype("float32")
    a_virtual, x_virtual = sol.add_virtual_node(a, x)
    x_lib, s_lib, r_lib = library_add_virtual_node(x, s, r)
    np.testing.assert_array_equal(a_virtual, adjacency_matrix(s_lib, r_lib, 12))
    np.testing.assert_allclose(x_virtual, x_lib)
    np.testing.assert_array_equal(sol.two_hop_adjacency(a), adjacency_matrix(*two_hop_edges(s, r, 11), 11))


def test_neighbour_sampling_agrees_with_library_counts():
    sol = _solution("neighbour_sampling")
    a = _directed(14, n=10, p=0.7)
    s, r = adjacency_to_edges(a)
    ours = sol.sample_neighbours(a, 3, np.random.default_rng(0))
    _, library_receivers, _ = sample_neighbours(s, r, 10, 3, np.random.default_rng(1))
    np.testing.assert_array_equal(ours.sum(1), np.bincount(library_receivers, minlength=10))
    assert np.all(ours <= (a != 0))


def test_inductive_split_agrees_with_library_induced_subgraph():
    sol = _solution("inductive_split")
    a = _undirected(15, n=12, p=0.4)
    s, r = adjacency_to_edges(a)
    split = np.random.default_rng(15).integers(0, 3, 12)
    kept = 0
    for nodes, a_s, _ in sol.inductive_subgraphs(a, np.eye(12), split):
        s_sub, r_sub, _ = induced_subgraph(nodes, s, r)
        np.testing.assert_array_equal(a_s, adjacency_matrix(s_sub, r_sub, len(nodes)))
        kept += len(s_sub)
    assert sol.removed_edges(a, split) == len(s) - kept


def _dense_general_layer(a, h, w, reduce):
    """The notes' concat(Agg({m_u : u in N(v)}), m_v) from a dense adjacency, A[v, u] = number of edges u -> v."""
    m = h @ w
    count = a.sum(1, keepdims=True)
    if reduce == "max":
        stacked = np.where(a[:, :, None] > 0, m[None, :, :], -np.inf).max(1)
        agg = np.where(count > 0, stacked, 0.0)
    else:
        agg = a @ m / (np.maximum(count, 1.0) if reduce == "mean" else 1.0)
    return np.concatenate([agg, m], axis=1)


@pytest.mark.parametrize("reduce", ["sum", "mean", "max"])
def test_general_gnn_layer_agrees_with_dense_reference_and_library_layer(reduce):
    sol = _solution("general_gnn_layer")
    rng = np.random.default_rng(16)
    a = _directed(16, n=8, p=0.35)
    a[5] = 0.0  # node 5 hears from nobody
    s, r = adjacency_to_edges(a)
    s, r = np.concatenate([s, s[:2]]), np.concatenate([r, r[:2]])  # two repeated edges
    x, w = rng.normal(size=(8, 4)), rng.normal(size=(4, 3))
    dense = np.maximum(_dense_general_layer(adjacency_matrix(s, r, 8), x, w, reduce), 0.0)
    got = sol.general_gnn_layer(x, s, r, w, reduce, "relu")
    np.testing.assert_allclose(got, dense, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(got[5, :3], 0.0)
    layer = GeneralGNNLayer(3, reduce=reduce, activation="relu")
    layer(x.astype("float32"), s, r)
    layer.set_weights([w.astype("float32")])
    np.testing.assert_allclose(got, _np(layer(x.astype("float32"), s, r)), rtol=1e-4, atol=1e-5)
