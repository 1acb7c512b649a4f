"""Graph manipulation (oracles: networkx cycle counts and distances, the A^2 pattern), prediction
heads (keras.ops.segment_* / numpy pooling, sklearn's roc_auc_score), splits, mini-batching
(neighbourhood sampling, Cluster-GCN), over-smoothing with and without skips, the karate club
data and GraphTensor interop, and GCN training on the karate club."""


import keras
import networkx as nx
import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from dlcourse.data.graphs import (
    KARATE_FACTIONS,
    load_karate_club,
    make_community_graphs,
    make_cycles_and_trees,
)
from dlcourse.gnn import (
    ConcatEdgeDecoder,
    DotProductEdgeDecoder,
    GNNStack,
    GraphPooling,
    NodeClassifier,
    add_virtual_node,
    adjacency_matrix,
    bfs_partition,
    build_node_classifier,
    cluster_gcn_batches,
    cycle_counts,
    degree_features,
    from_graph_tensor,
    inductive_split,
    link_prediction_split,
    masked_accuracy,
    neighbourhood_sampling_batches,
    one_hot_node_ids,
    over_smoothing_curve,
    roc_auc,
    sample_neighbours,
    to_graph_tensor,
    transductive_split,
    two_hop_edges,
)


# TF-GNN interop sets TF_USE_LEGACY_KERAS=1; keep it out of processes later tests start.
pytestmark = pytest.mark.usefixtures("restore_legacy_keras_flag")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _edges(graph):
    pairs = np.asarray(graph.edges(), dtype=np.int64).reshape(-1, 2)
    return np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])


# --- graph manipulation ------------------------------------------------------------------------


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.gnp_random_graph(14, 0.35, seed=3)], ids=["karate", "gnp"])
def test_cycle_counts_match_networkx(graph):
    s, r = _edges(graph)
    n = graph.number_of_nodes()
    got = cycle_counts(s, r, n, lengths=(3, 4, 5))
    np.testing.assert_array_equal(got[:, 0], [nx.triangles(graph, v) for v in range(n)])
    expected = np.zeros((n, 6))
    for cycle in nx.simple_cycles(graph, length_bound=5):
        for v in cycle:
            expected[v, len(cycle)] += 1
    np.testing.assert_array_equal(got, expected[:, 3:6])


def test_one_hot_ids_and_degree_features():
    graph = nx.karate_club_graph()
    s, r = _edges(graph)
    np.testing.assert_array_equal(one_hot_node_ids(34), np.eye(34))
    np.testing.assert_array_equal(degree_features(s, r, 34)[:, 0], [graph.degree[v] for v in range(34)])


def test_virtual_node_puts_every_pair_within_two_hops():
    graph = nx.path_graph(9)
    s, r = _edges(graph)
    x = np.arange(18, dtype="float32").reshape(9, 2)
    x2, s2, r2 = add_virtual_node(x, s, r)
    assert x2.shape == (10, 2) and np.all(x2[9] == 0)
    augmented = nx.Graph(list(zip(s2.tolist(), r2.tolist())))
    assert nx.diameter(augmented) == 2
    assert len(s2) == len(s) + 18


def test_two_hop_edges_are_the_pattern_of_a_squared():
    graph = nx.gnp_random_graph(12, 0.2, seed=5)
    s, r = _edges(graph)
    a = adjacency_matrix(s, r, 12)
    for keep in (True, False):
        s2, r2 = two_hop_edges(s, r, 12, keep_one_hop=keep)
        pattern = (a @ a > 0) | ((a > 0) if keep else False)
        np.fill_diagonal(pattern, False)
        np.testing.assert_array_equal(adjacency_matrix(s2, r2, 12) > 0, pattern)
        assert adjacency_matrix(s2, r2, 12).max() == 1


def test_neighbour_sampling_caps_in_degree_and_is_uniform():
    graph = nx.complete_graph(8)
    s, r = _edges(graph)
    rng = np.random.default_rng(0)
    kept_counts = np.zeros(len(s))
    for _ in range(400):
        s2, r2, kept = sample_neighbours(s, r, 8, 3, rng)
        assert np.all(np.bincount(r2, minlength=8) == 3)
        np.testing.assert_array_equal(s[kept], s2)
        kept_counts[kept] += 1
    np.testing.assert_allclose(kept_counts / 400, 3 / 7, atol=0.1)
    s2, r2, _ = sample_neighbours(s, r, 8, 20, rng)
    assert len(s2) == len(s)


# --- heads and metrics -------------------------------------------------------------------------


@pytest.mark.parametrize("reduce", ["mean", "max", "sum"])
def test_graph_pooling_matches_segment_ops_and_is_permutation_invariant(reduce):
    rng = np.random.default_rng(1)
    h = rng.normal(size=(10, 3)).astype("float32")
    graph_ids = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
    got = _np(GraphPooling(reduce)(h, graph_ids, num_graphs=4))
    expected = np.stack([getattr(np, reduce)(h[graph_ids == g], axis=0) for g in range(3)] + [np.zeros(3)])
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    if reduce != "mean":
        segment = getattr(keras.ops, f"segment_{reduce}")(h, graph_ids, num_segments=3)
        np.testing.assert_allclose(got[:3], _np(segment), rtol=1e-6)
    perm = rng.permutation(10)
    np.testing.assert_allclose(_np(GraphPooling(reduce)(h[perm], graph_ids[perm], num_graphs=4)), got, rtol=1e-6, atol=1e-6)


def test_edge_decoders():
    rng = np.random.default_rng(2)
    h = rng.normal(size=(6, 4)).astype("float32")
    src, dst = np.array([0, 1, 5]), np.array([2, 2, 3])
    np.testing.assert_allclose(_np(DotProductEdgeDecoder()(h, src, dst)), np.sum(h[src] * h[dst], 1), rtol=1e-6)
    decoder = ConcatEdgeDecoder(5)
    scores = _np(decoder(h, src, dst))
    w1, b1, w2, b2 = decoder.get_weights()
    expected = np.maximum(np.concatenate([h[src], h[dst]], 1) @ w1 + b1, 0) @ w2 + b2
    np.testing.assert_allclose(scores, expected[:, 0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(_np(decoder(h, dst, src)), scores)  # the concat decoder is directional
    clone = ConcatEdgeDecoder.from_config(decoder.get_config())
    assert clone.hidden_units == 5


def test_roc_auc_matches_sklearn():
    rng = np.random.default_rng(3)
    for _ in range(5):
        labels = rng.integers(0, 2, 40)
        scores = np.round(rng.normal(size=40) + labels, 1)  # rounding makes ties
        assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
    with pytest.raises(ValueError, match="one positive and one negative"):
        roc_auc([1, 1], [0.2, 0.3])


def test_masked_accuracy_and_node_head_cross_entropy():
    logits = np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 0.0]])
    labels = np.array([0, 0, 1])
    assert masked_accuracy(labels, logits) == pytest.approx(1 / 3)
    assert masked_accuracy(labels, logits, [True, False, False]) == 1.0
    mask = np.array([1.0, 1.0, 0.0])
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits, sample_weight=mask)
    log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    # Keras' default reduction divides by the number of entries, masked or not.
    assert float(loss) == pytest.approx(-(log_softmax[0, 0] + log_softmax[1, 0]) / 3, rel=1e-5)


# --- splits and scale-up -----------------------------------------------------------------------


def test_transductive_masks_partition_the_nodes():
    train, val, test = transductive_split(34, 0.5, 0.25, seed=1)
    assert (train.sum(), val.sum(), test.sum()) == (17, 9, 8)  # cut at round(0.5 N), round(0.75 N)
    assert np.all(train.astype(int) + val + test == 1)


def test_inductive_split_removes_edges_between_splits():
    graph = nx.karate_club_graph()
    s, r = _edges(graph)
    parts = inductive_split(s, r, 34, 0.5, 0.25, seed=2)
    assert sorted(np.concatenate([p["nodes"] for p in parts.values()]).tolist()) == list(range(34))
    total = 0
    for part in parts.values():
        nodes = part["nodes"]
        original = nodes[part["senders"]], nodes[part["receivers"]]
        assert all(graph.has_edge(u, v) for u, v in zip(*original))
        within = graph.subgraph(nodes.tolist()).number_of_edges()
        assert len(part["senders"]) == 2 * within
        total += within
    assert total < graph.number_of_edges()  # the cut edges are gone


def test_link_prediction_split_holds_out_edges_and_draws_non_edges():
    graph = nx.karate_club_graph()
    s, r = _edges(graph)
    split = link_prediction_split(s, r, 34, validation_fraction=0.1, test_fraction=0.2, seed=3)
    assert len(split["test_positive"]) == round(0.2 * 78) and len(split["validation_positive"]) == round(0.1 * 78)
    message_edges = set(zip(split["train_senders"].tolist(), split["train_receivers"].tolist()))
    assert len(message_edges) == 2 * len(split["train_positive"])
    held_out = np.concatenate([split["test_positive"], split["validation_positive"]])
    for u, v in held_out.tolist():
        assert graph.has_edge(u, v) and (u, v) not in message_edges and (v, u) not in message_edges
    for name in ("train", "validation", "test"):
        negatives = split[f"{name}_negative"]
        assert len(negatives) == len(split[f"{name}_positive"])
        assert not any(graph.has_edge(u, v) or u == v for u, v in negatives.tolist())
    all_negatives = np.concatenate([split[f"{n}_negative"] for n in ("train", "validation", "test")])
    assert len(np.unique(all_negatives, axis=0)) == len(all_negatives)


def test_bfs_partition_and_cluster_gcn_batches():
    graph = nx.karate_club_graph()
    s, r = _edges(graph)
    part = bfs_partition(s, r, 34, 4)
    assert sorted(np.bincount(part).tolist()) == [7, 9, 9, 9]
    inside = np.mean(part[s] == part[r])
    random_part = np.random.default_rng(0).permutation(part)
    assert inside > np.mean(random_part[s] == random_part[r])  # BFS keeps neighbours together
    batches = list(cluster_gcn_batches(part, s, r, 2, np.random.default_rng(1)))
    assert len(batches) == 2
    assert sorted(np.concatenate([b["nodes"] for b in batches]).tolist()) == list(range(34))
    for batch in batches:
        sub = graph.subgraph(batch["nodes"].tolist())
        assert len(batch["senders"]) == 2 * sub.number_of_edges()


def test_neighbourhood_sampling_batches():
    graph = nx.karate_club_graph()
    s, r = _edges(graph)
    targets = np.arange(0, 34, 2)
    seen = []
    for batch in neighbourhood_sampling_batches(targets, s, r, 34, fanouts=(3, 2), batch_size=5,
                                                rng=np.random.default_rng(3)):
        nodes = batch["nodes"]
        seen += nodes[batch["targets"]].tolist()
        assert np.all(np.bincount(batch["receivers"], minlength=len(nodes)) <= 3 + 2)
        assert all(graph.has_edge(u, v) for u, v in zip(nodes[batch["senders"]], nodes[batch["receivers"]]))
        hops = nx.single_source_shortest_path_length
        # every sampled node lies within 2 hops of a target
        assert all(min(hops(graph, int(t)).get(int(v), 9) for t in nodes[batch["targets"]]) <= 2 for v in nodes)
    assert sorted(seen) == targets.tolist()


def test_cluster_gcn_mini_batch_training_lowers_the_full_graph_loss():
    keras.utils.set_random_seed(4)
    x, s, r, y = load_karate_club()
    classifier = NodeClassifier(2, (8, 8))
    optimizer = keras.optimizers.Adam(0.02)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    before = float(loss_fn(y, classifier(x, s, r)))
    part = bfs_partition(s, r, 34, 4)
    rng = np.random.default_rng(5)
    import tensorflow as tf

    for _ in range(10):
        for batch in cluster_gcn_batches(part, s, r, 2, rng):
            nodes = batch["nodes"]
            with tf.GradientTape() as tape:
                loss = loss_fn(y[nodes], classifier(x[nodes], batch["senders"], batch["receivers"]))
            grads = tape.gradient(loss, classifier.trainable_weights)
            optimizer.apply(grads, classifier.trainable_weights)
    assert float(loss_fn(y, classifier(x, s, r))) < 0.5 * before


# --- stacking ------------------------------------------------------------------------------------


def test_over_smoothing_grows_with_depth_and_skips_slow_it():
    x, s, r, _ = load_karate_club()
    curves = {}
    for skip in (False, True):
        keras.utils.set_random_seed(0)
        stack = GNNStack(16, num_layers=6, convolution="gcn_symmetric", skip=skip, pre_layers=1, post_layers=0)
        stack(x, s, r)
        curves[skip] = np.asarray(over_smoothing_curve(stack, x, s, r))
    assert curves[False][0] == curves[True][0]
    assert curves[False][-1] > 0.95 and np.all(np.diff(curves[False][:4]) > 0)
    assert np.all(curves[True][1:] < curves[False][1:])


def test_stack_pre_and_post_layers():
    x, s, r, _ = load_karate_club()
    stack = GNNStack(8, num_layers=2, pre_layers=2, post_layers=2, output_units=3)
    assert tuple(stack(x, s, r).shape) == (34, 3)
    assert len(stack.pre_mlp) == 2 and len(stack.post_mlp) == 2 and len(stack.convolutions) == 2
    plain = GNNStack(8, num_layers=2, pre_layers=0, post_layers=0)
    assert tuple(plain(x, s, r).shape) == (34, 8) and len(plain.weights) == 2 * 3


# --- data, interop, training ---------------------------------------------------------------------


def test_karate_club_matches_networkx_and_round_trips_through_graph_tensor():
    x, s, r, y = load_karate_club()
    graph = nx.karate_club_graph()
    assert x.shape == (34, 34) and len(s) == 2 * graph.number_of_edges()
    assert {(int(u), int(v)) for u, v in zip(s, r)} == {(u, v) for u, v in graph.edges()} | {(v, u) for u, v in graph.edges()}
    assert [KARATE_FACTIONS[c] for c in y] == [graph.nodes[v]["club"] for v in range(34)]
    tensor = load_karate_club(as_graph_tensor=True)
    x2, s2, r2, n = from_graph_tensor(tensor)
    assert n == 34
    np.testing.assert_array_equal(x2, x)
    np.testing.assert_array_equal(s2, s)
    np.testing.assert_array_equal(r2, r)
    np.testing.assert_array_equal(tensor.node_sets["nodes"]["label"].numpy(), y)
    with pytest.raises(ValueError, match="num_nodes"):
        to_graph_tensor(x[:3], s, r)
    graph_level = to_graph_tensor(x, s, r, context_labels=[1])
    assert graph_level.context["label"].numpy().tolist() == [1]
    assert int(graph_level.edge_sets["edges"].sizes[0]) == len(s)


def test_synthetic_graph_sets():
    x, s, r, graph_ids, labels = make_cycles_and_trees(20, seed=1)
    assert x.shape == (len(graph_ids), 1) and labels.tolist() == [0, 1] * 10
    for g in range(20):
        nodes = np.flatnonzero(graph_ids == g)
        inside = np.isin(s, nodes)
        sub = nx.Graph(list(zip(s[inside].tolist(), r[inside].tolist())))
        assert nx.is_connected(sub) and sub.number_of_nodes() == len(nodes)
        assert (len(nx.cycle_basis(sub)) > 0) == bool(labels[g])
    x, s, r, graph_ids, labels = make_community_graphs(6, nodes_per_community=4, seed=2)
    assert np.bincount(graph_ids).tolist() == [8, 12] * 3
    np.testing.assert_array_equal(graph_ids[s], graph_ids[r])
    again = make_cycles_and_trees(20, seed=1)
    np.testing.assert_array_equal(again[1], make_cycles_and_trees(20, seed=1)[1])


def test_gcn_with_one_label_per_faction_classifies_the_karate_club(tmp_path):
    """Semi-supervised: only node 0 (Mr. Hi) and node 33 (the officer) are labelled."""
    keras.utils.set_random_seed(0)
    x, s, r, y = load_karate_club()
    x, s, r, _ = from_graph_tensor(to_graph_tensor(x, s, r))  # the GraphTensor path
    mask = np.zeros(34, "float32")
    mask[[0, 33]] = 1.0
    model = build_node_classifier(34, 2, hidden_units=(16, 16), convolution="gcn")
    model.compile(keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    inputs = (x[None], s[None].astype("int32"), r[None].astype("int32"))
    model.fit(inputs, y[None], sample_weight=mask[None], epochs=50, verbose=0)
    logits = model.predict(inputs, verbose=0)[0]
    assert masked_accuracy(y, logits, mask == 0) >= 0.9
    model.save(tmp_path / "karate_gcn.keras")
    loaded = keras.models.load_model(tmp_path / "karate_gcn.keras")
    np.testing.assert_allclose(loaded.predict(inputs, verbose=0)[0], logits, rtol=1e-5, atol=1e-5)


def test_import_dlcourse_gnn_does_not_import_tensorflow_gnn():
    import subprocess
    import sys

    code = "import dlcourse.gnn, dlcourse.data.graphs, sys; print('tensorflow_gnn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_graph_classification_with_pooling_separates_cycles_from_trees():
    import tensorflow as tf

    from dlcourse.gnn import GCNConv, induced_subgraph

    keras.utils.set_random_seed(0)
    x, s, r, graph_ids, labels = make_cycles_and_trees(120, seed=0)
    x = degree_features(s, r, len(x))  # mean degree: 2 (n - 1) / n for a tree, 2 with one cycle

    def graphs(first, last):
        nodes = np.flatnonzero((graph_ids >= first) & (graph_ids < last))
        s_sub, r_sub, _ = induced_subgraph(nodes, s, r)
        return x[nodes], s_sub, r_sub, graph_ids[nodes] - first, labels[first:last].astype("float32")

    convolutions = [GCNConv(16, activation="relu"), GCNConv(16, activation="relu")]
    pool, head = GraphPooling("mean"), keras.layers.Dense(1)

    def logits(data):
        h = data[0]
        for conv in convolutions:
            h = conv(h, data[1], data[2])
        return keras.ops.squeeze(head(pool(h, data[3], num_graphs=len(data[4]))), -1)

    train, test = graphs(0, 80), graphs(80, 120)
    logits(train)
    weights = [w for layer in (*convolutions, head) for w in layer.trainable_weights]
    optimizer = keras.optimizers.Adam(0.02)
    loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            loss = loss_fn(train[4], logits(train))
        optimizer.apply(tape.gradient(loss, weights), weights)

    for _ in range(300):
        train_step()
    accuracy = np.mean((_np(logits(test)) > 0) == test[4])
    assert accuracy >= 0.85
    assert roc_auc(test[4], _np(logits(test))) >= 0.9


def test_neighbourhood_sampling_mini_batch_training_lowers_the_loss():
    import tensorflow as tf

    keras.utils.set_random_seed(6)
    x, s, r, y = load_karate_club()
    classifier = NodeClassifier(2, (8, 8), convolution="graph_sage")
    optimizer = keras.optimizers.Adam(0.02)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    before = float(loss_fn(y, classifier(x, s, r)))
    rng = np.random.default_rng(7)
    for _ in range(8):
        for batch in neighbourhood_sampling_batches(np.arange(34), s, r, 34, fanouts=(4, 4), batch_size=8, rng=rng):
            nodes, targets = batch["nodes"], batch["targets"]
            with tf.GradientTape() as tape:
                out = classifier(x[nodes], batch["senders"], batch["receivers"])
                loss = loss_fn(y[nodes[targets]], keras.ops.take(out, targets, axis=0))
            grads = tape.gradient(loss, classifier.trainable_weights)
            optimizer.apply(grads, classifier.trainable_weights)
    assert float(loss_fn(y, classifier(x, s, r))) < 0.5 * before
