"""dlcourse.gnn layers against independent oracles: TF-GNN's GCNConv, GraphSAGE, GATv2Conv and
SimpleConv on shared weights, dense-adjacency numpy references (GCN mean form, GAT, GraphSAGE
max-pool, the general layer) and a per-node keras.layers.LSTM (GraphSAGE's LSTM aggregator);
permutation equivariance of every layer; config and save/load round-trips.

TF-GNN needs Keras 2: `dlcourse.gnn.graph.import_tensorflow_gnn` sets TF_USE_LEGACY_KERAS=1
first, which switches `tf.keras` (not `import keras`, which stays Keras 3) for this process."""


import keras
import numpy as np
import pytest

from dlcourse.gnn import (
    GATConv,
    GATv2Conv,
    GCNConv,
    GeneralGNNLayer,
    GNNStack,
    GraphSAGEConv,
    adjacency_matrix,
    aggregate,
    segment_softmax,
    to_graph_tensor,
)
from dlcourse.gnn.graph import import_tensorflow_gnn


# TF-GNN interop sets TF_USE_LEGACY_KERAS=1; keep it out of processes later tests start.
pytestmark = pytest.mark.usefixtures("restore_legacy_keras_flag")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _graph(seed=0, n=7, features=4, isolated=True):
    """A small directed graph with a node (the last) that has no incoming edge when `isolated`."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n - 1 if isolated else n, size=(3 * n, 2)) if a != b}
    pairs |= {(n - 1, 0)}
    pairs = np.asarray(sorted(pairs))
    rng.shuffle(pairs)
    return x, pairs[:, 0], pairs[:, 1]


def _random_weights(layer, seed):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer.get_weights()


@pytest.fixture(scope="module")
def tfgnn():
    return import_tensorflow_gnn()


def _leaky(z, slope=0.2):
    return np.where(z > 0, z, slope * z)


# --- GCN ---------------------------------------------------------------------------------------


@pytest.mark.backend_neutral
def test_gcn_mean_form_matches_dense_matrix_formula():
    x, s, r = _graph(1)
    layer = GCNConv(3, activation="tanh")
    layer(x, s, r)
    w_k, b_k, bias = _random_weights(layer, 2)
    a = adjacency_matrix(s, r, len(x))
    d_inv = np.diag(1 / np.maximum(a.sum(1), 1))
    expected = np.tanh(d_inv @ a @ x @ w_k + x @ b_k + bias)
    np.testing.assert_allclose(_np(layer(x, s, r)), expected, rtol=1e-5, atol=1e-5)


def test_gcn_mean_form_matches_tfgnn_gcnconv_in_normalization(tfgnn):
    from tensorflow_gnn.models import gcn

    x, s, r = _graph(3)
    ours = GCNConv(5, use_bias=True)
    ours(x, s, r)
    w_k, b_k, bias = _random_weights(ours, 4)
    theirs = gcn.GCNConv(5, activation=None, add_self_loops=False, degree_normalization="in")
    graph = to_graph_tensor(x, s, r)
    theirs(graph, edge_set_name="edges")
    theirs.set_weights([w_k, bias])
    expected = theirs(graph, edge_set_name="edges").numpy() + x @ b_k  # TF-GNN has no B_k H term
    np.testing.assert_allclose(_np(ours(x, s, r)), expected, rtol=1e-5, atol=1e-5)


def test_gcn_symmetric_form_matches_tfgnn_gcnconv(tfgnn):
    from tensorflow_gnn.models import gcn

    x, s, r = _graph(5)
    ours = GCNConv(4, normalization="symmetric", activation="relu")
    ours(x, s, r)
    weights = _random_weights(ours, 6)
    theirs = gcn.GCNConv(4, activation="relu", add_self_loops=True, degree_normalization="in_out")
    graph = to_graph_tensor(x, s, r)
    theirs(graph, edge_set_name="edges")
    theirs.set_weights(weights)
    np.testing.assert_allclose(_np(ours(x, s, r)), theirs(graph, edge_set_name="edges").numpy(), rtol=1e-5, atol=1e-5)
    # and Kipf and Welling's matrix form on an undirected graph
    s2, r2 = np.concatenate([s, r]), np.concatenate([r, s])
    a = np.minimum(adjacency_matrix(s2, r2, len(x)), 1)
    s2, r2 = np.nonzero(a.T)
    a_tilde = a + np.eye(len(x))
    d = np.diag(1 / np.sqrt(a_tilde.sum(1)))
    expected = np.maximum(d @ a_tilde @ d @ x @ weights[0] + weights[1], 0)
    np.testing.assert_allclose(_np(ours(x, s2, r2)), expected, rtol=1e-5, atol=1e-5)


# --- GraphSAGE ---------------------------------------------------------------------------------


def _sage_reference(x, s, r, layer, weights):
    a = adjacency_matrix(s, r, len(x)) > 0
    names = [w.path.split("/")[-1] for w in layer.weights]
    w = dict(zip(names, weights))
    out = []
    for i in range(len(x)):
        neighbours = np.flatnonzero(a[i])
        if layer.aggregator == "mean":
            agg = x[neighbours].mean(0) if len(neighbours) else np.zeros(x.shape[1])
        else:
            pooled = np.maximum(x[neighbours] @ w["pool_kernel"] + w["pool_bias"], 0)
            agg = pooled.max(0) if len(neighbours) else np.zeros(w["pool_kernel"].shape[1])
        out.append(np.maximum(x[i] @ w["self_kernel"] + agg @ w["neighbour_kernel"] + w["bias"], 0))
    out = np.asarray(out)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@pytest.mark.parametrize("aggregator", ["mean", "max_pool"])
def test_graphsage_matches_dense_reference_and_tfgnn(aggregator, tfgnn):
    from tensorflow_gnn.models import graph_sage

    x, s, r = _graph(7)
    ours = GraphSAGEConv(6, aggregator=aggregator, pool_units=5 if aggregator == "max_pool" else None)
    ours(x, s, r)
    weights = _random_weights(ours, 8)
    got = _np(ours(x, s, r))
    np.testing.assert_allclose(got, _sage_reference(x, s, r, ours, weights), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1)[np.linalg.norm(got, axis=1) > 0], 1.0, rtol=1e-5)

    pooling = aggregator == "max_pool"
    update = graph_sage.GraphSAGEGraphUpdate(
        units=6, hidden_units=5 if pooling else None, receiver_tag=tfgnn.TARGET, use_pooling=pooling,
        reduce_type="max_no_inf" if pooling else "mean", l2_normalize=True, activation="relu")
    graph = to_graph_tensor(x, s, r)
    update(graph)
    by_name = dict(zip([w.path.split("/")[-1] for w in ours.weights], weights))
    for variable in update.weights:
        if "next_state" in variable.name:
            variable.assign(by_name["self_kernel"] if "kernel" in variable.name else by_name["bias"])
        elif "bias" in variable.name:
            variable.assign(by_name["pool_bias"])
        elif pooling and tuple(variable.shape) == by_name["pool_kernel"].shape:
            variable.assign(by_name["pool_kernel"])
        else:
            variable.assign(by_name["neighbour_kernel"])
    expected = update(graph).node_sets["nodes"]["hidden_state"].numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.backend_neutral
def test_graphsage_lstm_aggregator_matches_a_keras_lstm_per_node():
    x, s, r = _graph(9)
    ours = GraphSAGEConv(4, aggregator="lstm", pool_units=3, activation=None, normalize=False)
    ours(x, s, r)
    _random_weights(ours, 10)
    lstm = keras.layers.LSTM(3)
    lstm.build((None, None, x.shape[1]))
    lstm.set_weights(ours.lstm.get_weights())
    w = {name: _np(getattr(ours, name)) for name in ("self_kernel", "neighbour_kernel", "bias")}
    expected = []
    for i in range(len(x)):
        senders_of_i = s[r == i]  # in edge order, as the layer reads them
        agg = _np(lstm(x[senders_of_i][None]))[0] if len(senders_of_i) else np.zeros(3)
        expected.append(x[i] @ w["self_kernel"] + agg @ w["neighbour_kernel"] + w["bias"])
    np.testing.assert_allclose(_np(ours(x, s, r)), np.asarray(expected), rtol=1e-5, atol=1e-5)


# --- GAT and GATv2 ----------------------------------------------------------------------------


def _gat_reference(x, a, kernel, bias, att_src, att_dst, heads, units, merge):
    z = (x @ kernel + bias).reshape(len(x), heads, units)
    outs = []
    for k in range(heads):
        e = _leaky((z[:, k] @ att_dst[k])[:, None] + (z[:, k] @ att_src[k])[None, :])
        e = np.where(a > 0, e, -np.inf)
        alpha = np.exp(e - e.max(1, keepdims=True))
        alpha /= alpha.sum(1, keepdims=True)
        outs.append(alpha @ z[:, k])
    return np.concatenate(outs, 1) if merge == "concat" else np.mean(outs, 0)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("merge, self_loops", [("concat", False), ("mean", False), ("concat", True)])
def test_gat_matches_dense_adjacency_reference(merge, self_loops):
    """The notes' neighbours-only sum by default; with add_self_loops every node attends to itself."""
    x, s, r = _graph(11)
    layer = GATConv(3, num_heads=2, merge=merge, add_self_loops=self_loops, activation="relu")
    layer(x, s, r)
    names = [w.path.split("/")[-1] for w in layer.weights]
    w = dict(zip(names, _random_weights(layer, 12)))
    a = adjacency_matrix(s, r, len(x)) + (np.eye(len(x)) if self_loops else 0.0)
    with np.errstate(invalid="ignore"):  # the node without in-edges has a row of -inf scores
        expected = _gat_reference(x, a, w["kernel"], w["bias"], w["attention_source"], w["attention_target"], 2, 3,
                                  merge)
    expected = np.maximum(np.nan_to_num(expected, nan=0.0), 0.0)  # sigma outside the sum; sigma(0) without in-edges
    np.testing.assert_allclose(_np(layer(x, s, r)), expected, rtol=1e-5, atol=1e-5)
    alpha = _np(segment_softmax(keras.ops.array(np.random.default_rng(0).normal(size=len(r))), r, len(x)))
    np.testing.assert_allclose(np.bincount(r, alpha, len(x))[np.bincount(r, minlength=len(x)) > 0], 1.0, rtol=1e-6)


@pytest.mark.parametrize("merge", ["concat", "mean"])
def test_gatv2_matches_tfgnn_gatv2conv(merge, tfgnn):
    from tensorflow_gnn.models import gat_v2

    x, s, r = _graph(13)
    ours = GATv2Conv(3, num_heads=2, merge=merge, add_self_loops=False, activation="relu")
    ours(x, s, r)
    w = dict(zip([v.path.split("/")[-1] for v in ours.weights], _random_weights(ours, 14)))
    theirs = gat_v2.GATv2Conv(num_heads=2, per_head_channels=3, receiver_tag=tfgnn.TARGET, heads_merge_type=merge,
                              activation="relu")
    graph = to_graph_tensor(x, s, r)
    theirs(graph, edge_set_name="edges")
    theirs.set_weights([w["query_kernel"], w["query_bias"], w["value_kernel"], w["value_bias"], w["attention"].T])
    np.testing.assert_allclose(_np(ours(x, s, r)), theirs(graph, edge_set_name="edges").numpy(), rtol=1e-5, atol=1e-5)


# --- the general layer -----------------------------------------------------------------------


def _general_reference(x, a, kernel, reduce):
    """concat(Agg({m_u : u in N(v)}), m_v) from the dense adjacency A[v, u] = number of edges u -> v."""
    m = x @ kernel
    agg = np.zeros_like(m)
    for v in range(len(x)):
        senders = np.repeat(np.arange(len(x)), a[v].astype(int))  # each sender as often as its edges
        if senders.size:
            agg[v] = {"sum": np.sum, "mean": np.mean, "max": np.max}[reduce](m[senders], axis=0)
    return np.concatenate([agg, m], axis=1)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("reduce", ["sum", "mean", "max"])
def test_general_layer_matches_dense_reference_with_repeated_edges(reduce):
    x, s, r = _graph(23)
    s, r = np.concatenate([s, s[:3]]), np.concatenate([r, r[:3]])  # three repeated edges
    layer = GeneralGNNLayer(4, reduce=reduce, activation="relu")
    layer(x, s, r)
    (kernel,) = _random_weights(layer, 24)
    expected = np.maximum(_general_reference(x, adjacency_matrix(s, r, len(x)), kernel, reduce), 0.0)
    np.testing.assert_allclose(_np(layer(x, s, r)), expected, rtol=1e-5, atol=1e-5)
    assert np.all(_np(layer(x, s, r))[len(x) - 1, :4] == 0.0)  # the last node has no incoming edge


@pytest.mark.parametrize("reduce, theirs_reduce", [("sum", "sum"), ("mean", "mean"), ("max", "max_no_inf")])
def test_general_layer_aggregate_matches_tfgnn_simpleconv(reduce, theirs_reduce, tfgnn):
    """TF-GNN's SimpleConv with a bias-free Dense message is the aggregate half; the self half is x W."""
    import tensorflow as tf

    x, s, r = _graph(25)
    ours = GeneralGNNLayer(3, reduce=reduce)
    ours(x, s, r)
    (kernel,) = _random_weights(ours, 26)
    message_fn = tf.keras.layers.Dense(3, use_bias=False)
    theirs = tfgnn.keras.layers.SimpleConv(message_fn, reduce_type=theirs_reduce, receiver_feature=None)
    graph = to_graph_tensor(x, s, r)
    theirs(graph, edge_set_name="edges")
    message_fn.set_weights([kernel])
    expected = np.concatenate([theirs(graph, edge_set_name="edges").numpy(), x @ kernel], axis=1)
    np.testing.assert_allclose(_np(ours(x, s, r)), expected, rtol=1e-5, atol=1e-5)


# --- properties shared by every layer ----------------------------------------------------------

LAYERS = [
    lambda: GCNConv(3, activation="relu"),
    lambda: GCNConv(3, normalization="symmetric"),
    lambda: GraphSAGEConv(3),
    lambda: GraphSAGEConv(3, aggregator="max_pool", pool_units=4),
    lambda: GraphSAGEConv(3, aggregator="lstm"),
    lambda: GATConv(2, num_heads=3),
    lambda: GATv2Conv(2, num_heads=2, merge="mean"),
    lambda: GNNStack(4, num_layers=2, skip=True, convolution="gat", num_heads=2),
    lambda: GeneralGNNLayer(3, reduce="max", activation="relu", use_bias=True),
]
IDS = ["gcn", "gcn_symmetric", "sage_mean", "sage_max_pool", "sage_lstm", "gat", "gatv2", "stack", "general"]


@pytest.mark.parametrize("make", LAYERS, ids=IDS)
def test_permutation_equivariance(make):
    """f(P A P^T, P X) = P f(A, X): renumbering nodes renumbers the outputs the same way."""
    x, s, r = _graph(15, n=8)
    layer = make()
    out = _np(layer(x, s, r))
    perm = np.random.default_rng(16).permutation(len(x))  # node i becomes node perm[i]
    x_permuted = np.empty_like(x)
    x_permuted[perm] = x
    out_permuted = _np(layer(x_permuted, perm[s], perm[r]))
    np.testing.assert_allclose(out_permuted[perm], out, rtol=1e-5, atol=1e-5)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("make", LAYERS, ids=IDS)
def test_config_round_trip(make):
    x, s, r = _graph(17)
    layer = make()
    out = _np(layer(x, s, r))
    clone = layer.__class__.from_config(layer.get_config())
    clone(x, s, r)
    clone.set_weights(layer.get_weights())
    assert clone.get_config() == layer.get_config()
    np.testing.assert_allclose(_np(clone(x, s, r)), out, rtol=1e-6, atol=1e-6)


def test_weight_counts():
    x, s, r = _graph(0)
    counts = {}
    for name, make in zip(IDS[:7] + IDS[8:], LAYERS[:7] + LAYERS[8:]):
        layer = make()
        layer(x, s, r)
        counts[name] = sum(int(np.prod(w.shape)) for w in layer.weights)
    f = x.shape[1]
    assert counts["gcn"] == 2 * f * 3 + 3
    assert counts["gcn_symmetric"] == f * 3 + 3
    assert counts["sage_mean"] == 2 * f * 3 + 3
    assert counts["sage_max_pool"] == f * 3 + f * 4 + 4 + 4 * 3 + 3
    assert counts["sage_lstm"] == f * 3 + 4 * (f * 3 + 3 * 3 + 3) + 3 * 3 + 3
    assert counts["gat"] == f * 6 + 6 + 2 * 6
    assert counts["gatv2"] == 2 * (f * 4 + 4) + 4
    assert counts["general"] == f * 3 + 3


@pytest.mark.backend_neutral
def test_aggregate_reductions_match_numpy():
    rng = np.random.default_rng(3)
    messages = rng.normal(size=(9, 2)).astype("float32")
    receivers = np.array([0, 0, 1, 3, 3, 3, 1, 0, 3])
    for reduce, fn in (("sum", np.sum), ("mean", np.mean), ("max", np.max)):
        got = _np(aggregate(messages, receivers, 5, reduce))
        for i in range(5):
            expected = fn(messages[receivers == i], axis=0) if (receivers == i).any() else np.zeros(2)
            np.testing.assert_allclose(got[i], expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("kwargs, words", [
    ({"units": 0}, "units must be a positive integer"),
    ({"units": 3, "normalization": "sym"}, "normalization must be one of"),
])
def test_gcn_arguments_are_validated(kwargs, words):
    with pytest.raises(ValueError, match=words):
        GCNConv(**kwargs)


def test_other_arguments_are_validated():
    with pytest.raises(ValueError, match="aggregator must be one of"):
        GraphSAGEConv(3, aggregator="median")
    with pytest.raises(ValueError, match="num_heads must be a positive integer"):
        GATConv(3, num_heads=0)
    with pytest.raises(ValueError, match="num_heads must divide units"):
        GNNStack(5, convolution="gat", num_heads=2)


@pytest.mark.backend_neutral
def test_model_with_every_layer_saves_and_loads(tmp_path):
    x, s, r = _graph(19)
    x_in = keras.Input((x.shape[1],))
    s_in = keras.Input((), dtype="int32")
    r_in = keras.Input((), dtype="int32")
    h = GCNConv(4, activation="relu")(x_in, s_in, r_in)
    h = GraphSAGEConv(4, aggregator="lstm")(h, s_in, r_in)
    h = GATConv(2, num_heads=2)(h, s_in, r_in)
    h = GATv2Conv(2, num_heads=2)(h, s_in, r_in)
    h = GNNStack(4, num_layers=1, skip=True, convolution="graph_sage")(h, s_in, r_in)
    h = GeneralGNNLayer(3, reduce="sum", activation="tanh")(h, s_in, r_in)
    model = keras.Model([x_in, s_in, r_in], h)
    inputs = [x, s.astype("int32"), r.astype("int32")]
    expected = _np(model(inputs))
    model.save(tmp_path / "gnn.keras")
    loaded = keras.models.load_model(tmp_path / "gnn.keras")
    np.testing.assert_allclose(_np(loaded(inputs)), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("make", LAYERS, ids=IDS)
def test_edge_indices_are_checked_in_eager_mode(make):
    """Float indices would be truncated and out-of-range ones would fail inside a gather."""
    x, s, r = _graph(21)
    layer = make()
    with pytest.raises(TypeError, match=r"senders must hold integer node indices \(int32 or int64\), "
                                        r"got dtype float32\."):
        layer(x, s.astype("float32") + 0.5, r)
    with pytest.raises(TypeError, match="receivers must hold integer node indices"):
        layer(x, s, r.astype("float64"))
    with pytest.raises(ValueError, match=r"receivers must hold node indices in \[0, num_nodes\) with "
                                         r"num_nodes = 7 \(the rows of node_features\), got index 7"):
        layer(x, s, np.where(r == r.max(), len(x), r))
    with pytest.raises(ValueError, match="senders must hold node indices .* got index -1"):
        layer(x, np.where(s == s.min(), -1, s), r)
    assert _np(layer(x, s.astype("int64"), r.astype("uint8"))).shape[0] == len(x)
    assert _np(layer(x, np.zeros(0, "int32"), np.zeros(0, "int32"))).shape[0] == len(x)


def test_edge_indices_are_not_checked_while_tracing():
    """Inside a compiled function the values are unknown: no check, and no host sync, there."""
    import tensorflow as tf

    x, s, r = _graph(22)
    layer = GCNConv(3)
    eager = _np(layer(x, s, r))
    traced = tf.function(lambda x, s, r: layer(x, s, r))
    np.testing.assert_allclose(_np(traced(x, s.astype("int32"), r.astype("int32"))), eager, rtol=1e-6)
