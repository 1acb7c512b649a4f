"""The notes' "quadratic compute in self-attention": time and memory against sequence length.

Self-attention compares every position with every other: the scores Q K^T of a sequence of L
positions form an L x L matrix per head, so time and memory grow as L^2, where a position-wise
layer (a Dense over the same tokens, the Transformer's feed-forward network) grows as L. This
measures, for L = 64, 128, ..., 1024 (batch 4, d_model 64, 4 heads), one training step
(forward, loss mean(y^2), gradients of the weights) inside one `tf.function` per layer, on the
CPU with `--threads` TensorFlow threads (default 2, the course's CI machine), of

- `dlcourse.nlp.MultiHeadAttention` (self-attention, causal mask),
- `keras.layers.MultiHeadAttention` on the same weights (the named peer; checked equal first),
- `keras.layers.Dense(64)` over the same tokens (linear cost, the baseline).

Repeats are interleaved (the three layers in turn, the order rotated every repeat) and the
table prints each layer's median time per step and the growth ratio time(L) / time(L / 2): about
4 for a quadratic cost once L is large enough that the L^2 part dominates, about 2 for a linear
one (at small L fixed costs flatten both). With `--memory` each (layer, L) also runs in a child
process that reports its peak resident memory above what it held after a warm-up at L = 8, next
to the size of the attention weights alone, batch x heads x L^2 x 4 bytes (the gradient needs
them again, so a training step holds several such arrays). No timing is asserted anywhere: this
is a measurement, printed. Run from the repository root:

    python benchmarks/attention_quadratic.py [--quick] [--repeats 9] [--threads 2] [--memory]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH, D_MODEL, HEADS = 4, 64, 4
LENGTHS = (64, 128, 256, 512, 1024)
LAYERS = ("dlcourse MultiHeadAttention", "keras MultiHeadAttention", "keras Dense (linear)")


def _setup(threads):
    import tensorflow as tf

    tf.config.set_visible_devices([], "GPU")  # the CPU timing this benchmark is about
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def make_layers(seed=0):
    """The three layers, built; the two attentions share their weights."""
    import keras
    import numpy as np

    from dlcourse.nlp.attention import MultiHeadAttention

    x = np.random.default_rng(seed).normal(size=(1, 8, D_MODEL)).astype("float32")
    ours = MultiHeadAttention(HEADS, D_MODEL // HEADS)
    theirs = keras.layers.MultiHeadAttention(HEADS, D_MODEL // HEADS)
    dense = keras.layers.Dense(D_MODEL)
    ours(x, x), theirs(x, x), dense(x)
    theirs.set_weights(ours.get_weights())
    if not np.allclose(ours(x, x, use_causal_mask=True), theirs(x, x, use_causal_mask=True), atol=1e-5):
        raise AssertionError("dlcourse's and Keras' MultiHeadAttention differ on shared weights")
    return {LAYERS[0]: (lambda x: ours(x, x, use_causal_mask=True), ours),
            LAYERS[1]: (lambda x: theirs(x, x, use_causal_mask=True), theirs),
            LAYERS[2]: (dense, dense)}


def train_step(fn, layer):
    import tensorflow as tf

    variables = list(layer.trainable_variables)

    @tf.function(autograph=False)
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(fn(x)))
        return tape.gradient(loss, variables)

    return step


def _inputs(length, seed=0):
    import numpy as np
    import tensorflow as tf

    return tf.constant(np.random.default_rng(seed).normal(size=(BATCH, length, D_MODEL)).astype("float32"))


def time_all(repeats, lengths):
    """{layer: {L: median seconds per step}}, the layers interleaved within every repeat."""
    import numpy as np

    layers = make_layers()
    steps = {name: train_step(*pair) for name, pair in layers.items()}
    results = {name: {} for name in layers}
    for length in lengths:
        x = _inputs(length)
        for step in steps.values():  # trace and warm up at this shape
            step(x), step(x)
        calls = {}
        for name, step in steps.items():  # about 30 ms per timed sample
            start = time.perf_counter()
            step(x)
            calls[name] = max(1, int(0.03 / max(time.perf_counter() - start, 1e-6)))
        samples = {name: [] for name in steps}
        names = list(steps)
        for r in range(repeats):
            for name in names[r % len(names):] + names[:r % len(names)]:
                start = time.perf_counter()
                for _ in range(calls[name]):
                    steps[name](x)
                samples[name].append((time.perf_counter() - start) / calls[name])
        for name in names:
            results[name][length] = float(np.median(samples[name]))
    return results


def peak_memory_child(layer_index, length):
    """In a child process: peak resident memory (bytes) of training steps at `length`, above the
    peak after a warm-up at length 8."""
    _setup(2)
    name = LAYERS[layer_index]
    step = train_step(*make_layers()[name])
    step(_inputs(8))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    x = _inputs(length)
    step(x), step(x)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) * 1024)  # ru_maxrss is in kilobytes on Linux


def peak_memory(layer_index, length):
    proc = subprocess.run([sys.executable, __file__, "--child-memory", str(layer_index), str(length)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"the memory child for {LAYERS[layer_index]} at L={length} failed:\n{proc.stderr[-2000:]}")
    return int(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats and L up to 512 (a smoke test)")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", action="store_true", help="also measure peak memory, one child per (layer, L)")
    parser.add_argument("--child-memory", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        peak_memory_child(*args.child_memory)
        return
    repeats, lengths = (3, LENGTHS[:-1]) if args.quick else (args.repeats, LENGTHS)
    # Memory first, while this process is small: Linux carries a process's peak resident size
    # over into the program it starts, so a child of a large parent would report the parent's.
    memory = {(index, length): peak_memory(index, length) for index in range(len(LAYERS)) for length in lengths} \
        if args.memory else None
    _setup(args.threads)
    import tensorflow as tf

    print(f"one training step (forward + backward) in tf.function, CPU, {args.threads} threads, batch {BATCH}, "
          f"d_model {D_MODEL}, {HEADS} heads, median of {repeats} interleaved repeats, TensorFlow {tf.__version__}")
    results = time_all(repeats, lengths)
    header = f"  {'L':>5}" + "".join(f"  {name:>28} {'x(L/2)':>6}" for name in LAYERS) + f"  {'ours/keras':>10}"
    print(header)
    for i, length in enumerate(lengths):
        row = f"  {length:>5}"
        for name in LAYERS:
            t = results[name][length]
            growth = f"{t / results[name][lengths[i - 1]]:6.2f}" if i else f"{'':>6}"
            row += f"  {t * 1e3:26.2f}ms {growth}"
        row += f"  {results[LAYERS[0]][length] / results[LAYERS[1]][length]:10.2f}"
        print(row)
    print("growth x(L/2) = time(L) / time(L/2): about 4 for quadratic cost, about 2 for linear cost")
    if memory:
        print(f"peak memory of a training step above the L = 8 warm-up (one child process each), and the "
              f"attention weights alone ({BATCH} x {HEADS} x L^2 x 4 bytes)")
        print(f"  {'L':>5}" + "".join(f"  {name:>28} {'x(L/2)':>6}" for name in LAYERS) + f"  {'weights A':>10}")
        for i, length in enumerate(lengths):
            row = f"  {length:>5}"
            for index in range(len(LAYERS)):
                peak, previous = memory[index, length], memory[index, lengths[i - 1]] if i else 0
                growth = f"{peak / previous:6.2f}" if i and previous > 0 else f"{'':>6}"
                row += f"  {peak / 2**20:26.1f}MB {growth}"
            row += f"  {BATCH * HEADS * length**2 * 4 / 2**20:8.1f}MB"
            print(row)

if __name__ == "__main__":
    main()
