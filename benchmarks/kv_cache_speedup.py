"""Generation with and without the key/value cache, against the number of new tokens.

`dlcourse.llm.GPT.generate` with `use_cache=True` feeds each step only the new token and the
blocks' cached keys and values (O(t) work at step t); with `use_cache=False` it recomputes the
whole sequence every step (O(t^2) attention and O(t) everything else, so O(n^2) for n tokens
in all). Both give the same tokens (greedy, checked here first). Both paths are compiled the
Keras way (an internal keras.Model run by `predict_on_batch`: tf.function on TensorFlow,
jax.jit on JAX) at a fixed shape, so the comparison is fair: the cache is preallocated to the
longest sequence (rounded up to a multiple of 64) and masked beyond the current position; the
recomputation is padded to the same length. A step traces once per padded length, never per
token: the first call of each n (the "1st" columns, trace and compile included) is timed apart
from the repeats. This times greedy generation of n = 32, 64, 128, 256 new tokens after an 8-token
prompt (batch 4, a GPT with hidden_dim 128, 4 layers, 4 heads, RoPE, max_length 512), on the
CPU with `--threads` TensorFlow threads (default 2, the course's CI machine), repeats
interleaved, and prints the median seconds of each and the ratio no-cache / cache. With the
per-op overhead of eager Keras gone, the ratio grows with n as the recomputation's O(n^2)
dominates. No timing is asserted anywhere: this is a measurement, printed. Run from the
repository root:

    python benchmarks/kv_cache_speedup.py [--quick] [--repeats 3] [--threads 2] [--lengths 64 256]

On a shared 2-core machine (TensorFlow 2 threads, --repeats 1) it gave:

    GPT: 826,112 weights, batch 4, prompt 8 tokens, 2 threads, median of 1
    new tokens  cache (s)  no cache (s)   ratio  1st cache (s)  1st no cache (s)
            32       0.37          0.93    2.5x           0.52              1.01
            64       1.33          3.15    2.4x           2.53              5.65
           128       3.09         11.30    3.7x           2.21             10.69
           256       5.58         47.77    8.6x           7.97             47.20
    traces (Python runs of the step's call): cache 2, no cache 2, for 5 generate lengths; jit_compile = False

(eager, before: 1.2x at 64 and 1.6x at 256, about 0.3 s a step of per-op overhead; now about
20 ms a cached step. The machine is shared, so single timings are noisy.)
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

PROMPT, BATCH = 8, 4


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 16, 32 only, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lengths", type=int, nargs="*", default=[32, 64, 128, 256])
    args = parser.parse_args(argv)

    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras

    from dlcourse.llm import GPT

    lengths, repeats = ([16, 32], 1) if args.quick else (args.lengths, args.repeats)
    keras.utils.set_random_seed(0)
    model = GPT(256, max_length=512, hidden_dim=128, num_layers=4, num_heads=4, position_encoding="rope")
    prompt = np.random.default_rng(0).integers(256, size=(BATCH, PROMPT))
    assert (model.generate(prompt, 8) == model.generate(prompt, 8, use_cache=False)).all()

    print(f"GPT: {model.count_params():,} weights, batch {BATCH}, prompt {PROMPT} tokens, "
          f"{args.threads} threads, median of {repeats}")
    print(f"{'new tokens':>10} {'cache (s)':>10} {'no cache (s)':>13} {'ratio':>7} "
          f"{'1st cache (s)':>14} {'1st no cache (s)':>17}")
    for n in lengths:
        first = {}
        for use_cache in (True, False):  # the first call of a length traces (and compiles) its step
            start = time.perf_counter()
            model.generate(prompt, n, use_cache=use_cache)
            first[use_cache] = time.perf_counter() - start
        times = {True: [], False: []}
        for r in range(repeats):
            for use_cache in ((True, False) if r % 2 == 0 else (False, True)):
                start = time.perf_counter()
                model.generate(prompt, n, use_cache=use_cache)
                times[use_cache].append(time.perf_counter() - start)
        cached, full = float(np.median(times[True])), float(np.median(times[False]))
        print(f"{n:>10} {cached:>10.2f} {full:>13.2f} {full / cached:>6.1f}x "
              f"{first[True]:>14.2f} {first[False]:>17.2f}")
    steps = model._compiled_step("decode"), model._compiled_step("recompute")
    print(f"traces (Python runs of the step's call): cache {steps[0].traces}, no cache {steps[1].traces}, "
          f"for {len(lengths) + 1} generate lengths; jit_compile = {steps[0].jit_compile}")


if __name__ == "__main__":
    main()
