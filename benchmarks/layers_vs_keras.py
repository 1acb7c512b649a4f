"""Layer speed: dlcourse's layers against their Keras, keras_hub and TF-GNN twins.

For every dlcourse layer with a built-in twin that computes the same function, the two are
built on the same weights (and checked to give the same output before any timing), then
timed on one training step each: forward pass, a scalar loss and the gradients of the
trainable weights (of the inputs where a layer has none), inside one `tf.function` per layer,
on the CPU with `--threads` TensorFlow threads (default 2, the course's CI machine). The
repeats are interleaved (ours, theirs, ours, ... with the order swapped every repeat) so that
both see the same machine load; each repeat times `--calls` calls (about 20 ms' worth by
default). The table prints the median time per call of each and the median of the per-repeat
ratios dlcourse/built-in with its interquartile range, and the same median ratio of the
process's CPU time (less sensitive to other processes on a shared machine than wall time);
the goal is at most 1.1.

Pairs (dlcourse -> twin):

- `keras.layers.RNN(sequence.LSTMCell)` -> `keras.layers.LSTM` (on the CPU Keras runs its own
  LSTMCell in the same RNN loop; cuDNN is only used on a GPU)
- `keras.layers.RNN(sequence.VanillaRNNCell)` (no biases, the notes' form) ->
  `keras.layers.SimpleRNN` and a `keras.layers.Dense` on its outputs
- `sequence.SelfAttention` with biases and W_o -> `keras.layers.MultiHeadAttention(num_heads=1)`
- `sequence.scaled_dot_product_attention` -> `keras.layers.Attention` on Q / sqrt(d)
- `cnn.Conv2D` -> `keras.layers.Conv2D`; `training.BatchNormalization` (training=True) ->
  `keras.layers.BatchNormalization`
- `gnn.GCNConv(normalization="symmetric")` -> TF-GNN's `GCNConv(add_self_loops=True,
  degree_normalization="in_out")`; `gnn.GATv2Conv` -> TF-GNN's `GATv2Conv` (TF-GNN needs Keras 2:
  `dlcourse.gnn.import_tensorflow_gnn` switches `tf.keras` first; these rows are skipped without
  TF-GNN)
- `nlp.MultiHeadAttention` -> `keras.layers.MultiHeadAttention`;
  `nlp.TransformerEncoderBlock` / `TransformerDecoderBlock` -> keras_hub's `TransformerEncoder` /
  `TransformerDecoder` (skipped without keras_hub)

No GRU: dlcourse has none. Run from the repository root:

    python benchmarks/layers_vs_keras.py [--quick] [--repeats 31] [--threads 2] [--only lstm ...]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(threads):
    import tensorflow as tf

    tf.config.set_visible_devices([], "GPU")  # the CPU timing this benchmark is about
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    try:  # before anything touches tf.keras, so that TF-GNN gets Keras 2
        from dlcourse.gnn.graph import import_tensorflow_gnn

        return import_tensorflow_gnn()
    except ImportError:
        return None


def _floats(rng, *shape):
    import numpy as np

    return rng.normal(size=shape).astype(np.float32)


def _graph(rng, nodes, edges, features):
    import numpy as np

    senders = rng.integers(0, nodes, size=edges)
    receivers = rng.integers(0, nodes, size=edges)
    keep = senders != receivers
    return _floats(rng, nodes, features), senders[keep].astype(np.int32), receivers[keep].astype(np.int32)


# --- the pairs: each returns (ours, theirs, inputs) with ours(*inputs) == theirs(*inputs) -------------


def lstm(rng):
    import keras

    from dlcourse.sequence import LSTMCell

    x = _floats(rng, 32, 20, 32)
    ours = keras.layers.RNN(LSTMCell(64), return_sequences=True)
    theirs = keras.layers.LSTM(64, return_sequences=True)
    ours(x), theirs(x)
    theirs.set_weights(ours.get_weights())
    return ours, theirs, (x,)


def vanilla_rnn(rng):
    import keras

    from dlcourse.sequence import VanillaRNNCell

    x = _floats(rng, 32, 20, 32)
    ours = keras.layers.RNN(VanillaRNNCell(64, output_units=16), return_sequences=True)
    theirs = keras.Sequential([keras.layers.SimpleRNN(64, use_bias=False, return_sequences=True),
                               keras.layers.Dense(16, use_bias=False)])
    ours(x), theirs(x)
    theirs.set_weights(ours.get_weights())  # [W_xh, W_hh] are SimpleRNN's, W_hy the Dense kernel
    return ours, theirs, (x,)


def self_attention(rng):
    import keras

    from dlcourse.sequence import SelfAttention

    x = _floats(rng, 16, 32, 64)
    ours = SelfAttention(64, use_bias=True, use_output_projection=True)
    theirs = keras.layers.MultiHeadAttention(num_heads=1, key_dim=64)
    ours(x), theirs(x, x)
    w_q, b_q, w_k, b_k, w_v, b_v, w_o, b_o = ours.get_weights()  # theirs have a head axis of size 1
    theirs.set_weights([w_q[:, None], b_q[None], w_k[:, None], b_k[None], w_v[:, None], b_v[None], w_o[None], b_o])
    return ours, (lambda x: theirs(x, x), theirs), (x,)


def attention_function(rng):
    import math

    import keras

    from dlcourse.sequence import scaled_dot_product_attention

    q, k, v = _floats(rng, 16, 32, 64), _floats(rng, 16, 40, 64), _floats(rng, 16, 40, 32)
    attention = keras.layers.Attention()  # softmax(Q K^T) V, unscaled: give it Q / sqrt(d)

    def ours(q, k, v):
        return scaled_dot_product_attention(q, k, v)[0]

    def theirs(q, k, v):
        return attention([q / math.sqrt(q.shape[-1]), v, k])

    return ours, theirs, (q, k, v)


def conv2d(rng):
    import keras

    from dlcourse.cnn import Conv2D

    x = _floats(rng, 16, 32, 32, 16)
    ours = Conv2D(32, 3, padding="same", activation="relu")
    theirs = keras.layers.Conv2D(32, 3, padding="same", activation="relu")
    ours(x), theirs(x)
    theirs.set_weights(ours.get_weights())
    return ours, theirs, (x,)


def batch_normalization(rng):
    import keras

    from dlcourse.training import BatchNormalization

    x = _floats(rng, 16, 32, 32, 32)
    ours, theirs = BatchNormalization(), keras.layers.BatchNormalization()
    ours(x), theirs(x)
    theirs.set_weights(ours.get_weights())
    return (lambda x: ours(x, training=True), ours), (lambda x: theirs(x, training=True), theirs), (x,)


def gcn(rng, tfgnn):
    from tensorflow_gnn.models import gcn as tfgnn_gcn

    from dlcourse.gnn import GCNConv, to_graph_tensor

    x, s, r = _graph(rng, 2000, 12000, 64)
    ours = GCNConv(64, normalization="symmetric", activation="relu")
    theirs = tfgnn_gcn.GCNConv(64, activation="relu", add_self_loops=True, degree_normalization="in_out")
    graph = to_graph_tensor(x, s, r)
    ours(x, s, r), theirs(graph, edge_set_name="edges")
    theirs.set_weights(ours.get_weights())
    return ours, (lambda graph: theirs(graph, edge_set_name="edges"), theirs), (x, s, r), (graph,)


def gatv2(rng, tfgnn):
    from tensorflow_gnn.models import gat_v2

    from dlcourse.gnn import GATv2Conv, to_graph_tensor

    x, s, r = _graph(rng, 2000, 12000, 64)
    ours = GATv2Conv(16, num_heads=4, add_self_loops=False, activation="relu")
    theirs = gat_v2.GATv2Conv(num_heads=4, per_head_channels=16, receiver_tag=tfgnn.TARGET, activation="relu")
    graph = to_graph_tensor(x, s, r)
    ours(x, s, r), theirs(graph, edge_set_name="edges")
    w = {v.path.split("/")[-1]: v.numpy() for v in ours.weights}
    theirs.set_weights([w["query_kernel"], w["query_bias"], w["value_kernel"], w["value_bias"], w["attention"].T])
    return ours, (lambda graph: theirs(graph, edge_set_name="edges"), theirs), (x, s, r), (graph,)


def multi_head_attention(rng):
    import keras

    from dlcourse.nlp.attention import MultiHeadAttention

    x = _floats(rng, 16, 32, 64)
    ours = MultiHeadAttention(num_heads=4, key_dim=16)
    theirs = keras.layers.MultiHeadAttention(num_heads=4, key_dim=16)
    ours(x, x), theirs(x, x)
    theirs.set_weights(ours.get_weights())
    return ((lambda x: ours(x, x, use_causal_mask=True), ours),
            (lambda x: theirs(x, x, use_causal_mask=True), theirs), (x,))


def _copy_by_order(weights, target):
    """Set target's weights from a list in its order; the shapes must agree one by one."""
    shapes = [tuple(w.shape) for w in target.weights]
    if [w.shape for w in weights] != shapes:
        raise ValueError(f"weight shapes differ: {[w.shape for w in weights]} against {shapes}")
    target.set_weights(weights)


def transformer_encoder(rng):
    import keras_hub

    from dlcourse.nlp.transformer import TransformerEncoderBlock

    x = _floats(rng, 16, 32, 64)
    ours = TransformerEncoderBlock(intermediate_dim=128, num_heads=4)
    theirs = keras_hub.layers.TransformerEncoder(intermediate_dim=128, num_heads=4)
    ours(x), theirs(x)
    _copy_by_order(ours.get_weights(), theirs)
    return ours, theirs, (x,)


def transformer_decoder(rng):
    import keras_hub

    from dlcourse.nlp.transformer import TransformerDecoderBlock

    y, z = _floats(rng, 16, 24, 64), _floats(rng, 16, 32, 64)
    ours = TransformerDecoderBlock(intermediate_dim=128, num_heads=4)
    theirs = keras_hub.layers.TransformerDecoder(intermediate_dim=128, num_heads=4)
    ours(y, z), theirs(y, z)
    weights = ours.get_weights()  # keras_hub keeps the feed-forward norm after the feed-forward network
    _copy_by_order(weights[:20] + weights[22:] + weights[20:22], theirs)
    return ours, theirs, (y, z)


PAIRS = {  # name: (maker, twin's name, needs TF-GNN)
    "lstm": (lstm, "RNN(LSTMCell) / keras LSTM", False),
    "vanilla_rnn": (vanilla_rnn, "RNN(VanillaRNNCell) / SimpleRNN + Dense", False),
    "self_attention": (self_attention, "SelfAttention / MultiHeadAttention(1 head)", False),
    "attention_function": (attention_function, "scaled_dot_product_attention / Attention", False),
    "conv2d": (conv2d, "Conv2D / keras Conv2D", False),
    "batch_normalization": (batch_normalization, "BatchNormalization / keras BatchNormalization", False),
    "gcn": (gcn, "GCNConv / TF-GNN GCNConv", True),
    "gatv2": (gatv2, "GATv2Conv / TF-GNN GATv2Conv", True),
    "multi_head_attention": (multi_head_attention, "nlp MultiHeadAttention / keras MultiHeadAttention", False),
    "transformer_encoder": (transformer_encoder, "TransformerEncoderBlock / keras_hub TransformerEncoder", False),
    "transformer_decoder": (transformer_decoder, "TransformerDecoderBlock / keras_hub TransformerDecoder", False),
}


# --- timing ---------------------------------------------------------------------------------------


def _callable_and_layer(side):
    return side if isinstance(side, tuple) else (side, side)


def train_step(side, inputs):
    """tf.function: forward, loss = mean(output^2), gradients of the weights (else of the inputs)."""
    import tensorflow as tf

    fn, layer = _callable_and_layer(side)
    variables = list(getattr(layer, "trainable_variables", None) or [])

    @tf.function(autograph=False)
    def step(*args):
        with tf.GradientTape() as tape:
            if not variables:
                for a in args:
                    tape.watch(a)
            output = fn(*args)
            output = output.node_sets["nodes"]["hidden_state"] if hasattr(output, "node_sets") else output
            loss = tf.reduce_mean(tf.square(output))
        return tape.gradient(loss, variables or list(args))

    def forward(*args):
        return fn(*args)

    return step, forward


def _as_tensors(inputs):
    import tensorflow as tf

    return tuple(a if hasattr(a, "node_sets") else tf.constant(a) for a in inputs)


def measure(name, maker, tfgnn, repeats, calls, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    made = maker(rng, tfgnn) if PAIRS[name][2] else maker(rng)
    ours, theirs, our_inputs = made[:3]
    their_inputs = made[3] if len(made) > 3 else our_inputs
    our_inputs, their_inputs = _as_tensors(our_inputs), _as_tensors(their_inputs)
    (our_step, our_forward), (their_step, their_forward) = train_step(ours, our_inputs), train_step(theirs, their_inputs)
    a, b = our_forward(*our_inputs), their_forward(*their_inputs)
    b = b.node_sets["nodes"]["hidden_state"] if hasattr(b, "node_sets") else b
    if not np.allclose(np.asarray(a), np.asarray(b), rtol=1e-3, atol=1e-4):
        raise AssertionError(f"{name}: dlcourse and the built-in differ on shared weights "
                             f"(max |difference| {np.max(np.abs(np.asarray(a) - np.asarray(b))):.3g})")
    for _ in range(3):  # trace and warm up
        our_step(*our_inputs), their_step(*their_inputs)
    if calls is None:  # about 20 ms per timed sample
        start = time.perf_counter()
        our_step(*our_inputs), their_step(*their_inputs)
        calls = max(1, int(0.04 / max(time.perf_counter() - start, 1e-6)))

    def timed(step, inputs):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            step(*inputs)
        return (time.perf_counter() - wall) / calls, (time.process_time() - cpu) / calls

    times = {"ours": [], "theirs": []}
    for r in range(repeats):
        order = (("ours", our_step, our_inputs), ("theirs", their_step, their_inputs))
        for side, step, inputs in order if r % 2 == 0 else order[::-1]:
            times[side].append(timed(step, inputs))
    ours_t, theirs_t = np.asarray(times["ours"]), np.asarray(times["theirs"])  # (repeats, [wall, cpu])
    ratios = ours_t / theirs_t
    return (np.median(ours_t[:, 0]), np.median(theirs_t[:, 0]), np.median(ratios[:, 0]),
            np.percentile(ratios[:, 0], [25, 75]), np.median(ratios[:, 1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="7 repeats instead of --repeats (a smoke test)")
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--calls", type=int, default=None, help="calls per timed sample (default: ~20 ms' worth)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", nargs="+", choices=sorted(PAIRS), default=None)
    args = parser.parse_args()
    repeats = 7 if args.quick else args.repeats
    tfgnn = _setup(args.threads)

    import tensorflow as tf

    print(f"forward + backward in tf.function, CPU, {args.threads} threads, {repeats} interleaved repeats, "
          f"TensorFlow {tf.__version__}")
    print(f"  {'layer (dlcourse / built-in)':<58} {'dlcourse':>10} {'built-in':>10} {'ratio':>6}  {'IQR':>11}"
          f"  {'CPU ratio':>9}")
    worst = 0.0
    for name in args.only or PAIRS:
        maker, label, needs_tfgnn = PAIRS[name]
        if needs_tfgnn and tfgnn is None:
            print(f"  {label:<58} skipped: TF-GNN is not installed")
            continue
        try:
            ours, theirs, ratio, (low, high), cpu_ratio = measure(name, maker, tfgnn, repeats, args.calls)
        except ImportError as err:
            print(f"  {label:<58} skipped: {err}")
            continue
        worst = max(worst, ratio)
        print(f"  {label:<58} {ours * 1e3:8.2f}ms {theirs * 1e3:8.2f}ms {ratio:6.2f}  {low:5.2f}-{high:4.2f}"
              f"  {cpu_ratio:9.2f}")
    print(f"worst ratio {worst:.2f} (goal: at most 1.10)")


if __name__ == "__main__":
    main()
