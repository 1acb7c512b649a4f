"""Grader for ch04_cnn/residual_block.

Each probe builds the student's block, sets every sublayer's weights from a seeded generator
(kernels and batch-normalization statistics), and returns the block's outputs, so the student's
results are compared with the reference's on the same weights.
"""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras.applications", "torch")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {}


def _set(layer, name, weights):
    found = [tuple(w.shape) for w in layer.get_weights()]
    expected = [w.shape for w in weights]
    if found != expected:
        raise AssertionError(
            f"`{name}` has weights of shapes {found}, expected {expected} (convolutions without bias, "
            "batch normalization with gamma, beta, moving mean and variance)."
        )
    layer.set_weights(weights)


def _block(sub, seed, c_in, filters, strides, size=6, **options):
    """The student's block, built for (batch, size, size, c_in), with seeded weights set."""
    rng = np.random.default_rng(seed)
    block = sub.ResidualBlock(filters, strides=strides, **options)
    block.build((None, size, size, c_in))
    projection = c_in != filters or strides != 1
    kernels = {"conv1": (3, 3, c_in, filters), "conv2": (3, 3, filters, filters)}
    if projection:
        kernels["shortcut_conv"] = (1, 1, c_in, filters)
    for name, shape in kernels.items():
        layer = getattr(block, name, None)
        if layer is None:
            raise AssertionError(f"the block has no sublayer `{name}`; create it in build().")
        _set(layer, name, [rng.normal(size=shape).astype("float32") / np.sqrt(np.prod(shape[:3]))])
    for name in ("bn1", "bn2") + (("shortcut_bn",) if projection else ()):
        layer = getattr(block, name, None)
        if layer is None:
            raise AssertionError(f"the block has no sublayer `{name}`; create it in build().")
        _set(layer, name, [
            rng.uniform(0.5, 1.5, filters).astype("float32"),  # gamma
            rng.normal(0, 0.5, filters).astype("float32"),  # beta
            rng.normal(0, 0.3, filters).astype("float32"),  # moving mean
            rng.uniform(0.5, 1.5, filters).astype("float32"),  # moving variance
        ])
    if not projection and (getattr(block, "shortcut_conv", None) is not None):
        raise AssertionError("with c_in == filters and strides == 1 the shortcut is the identity: "
                             "set shortcut_conv and shortcut_bn to None.")
    return block


def _images(seed, shape):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def identity_shortcut_inference(sub):
    """the notes' y = F(x) + x: 4 -> 4 channels, stride 1 (identity shortcut), inference mode, on a
    (2, 6, 6, 4) batch."""
    block = _block(sub, 0, 4, 4, 1)
    return {"y": block(_images(1, (2, 6, 6, 4)), training=False)}


@check(points=1, rtol=1e-4, atol=1e-4)
def training_mode(sub):
    """y = F(x) + x with training=True (batch statistics); the next inference call uses the updated
    moving ones."""
    block = _block(sub, 6, 3, 3, 1)
    x = _images(7, (4, 5, 5, 3))
    return {"y_training": block(x, training=True), "y_inference_after": block(x, training=False)}


def _one_filter_ok(student, reference):
    errors = str(student.get("errors", ""))
    for key in ("y_one_channel", "y_two_to_one"):
        if key in errors:
            raise AssertionError(f"ResidualBlock(1) raised {errors}: filters = 1 is a positive "
                                 "integer, the smallest legal block.")
        got, expected = np.asarray(student.get(key, np.nan), dtype=float), reference[key]
        if got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-4, atol=1e-5):
            raise AssertionError(f"ResidualBlock(1) gives wrong outputs (`{key}`, shape {got.shape}, "
                                 f"expected {expected.shape}).")
    raised = np.ravel(np.asarray(student.get("raised", [0, 0, 0]))).tolist()
    accepted = [value for value, flag in zip(("0", "-2", "2.5"), raised + [0] * 3) if flag != 1]
    if accepted:
        raise AssertionError(f"ResidualBlock(filters) must raise ValueError for filters = {', '.join(accepted)}: "
                             "filters is a positive integer.")


@check(points=1, compare=_one_filter_ok)
def one_filter_and_invalid_filters(sub):
    """the smallest block, filters = 1 (on 1 channel: identity shortcut; on 2 channels: projection),
    and ValueError for filters = 0, -2 and 2.5 (paid only with the right outputs for filters = 1)."""
    out, errors = {}, []
    for key, c_in, seed in (("y_one_channel", 1, 10), ("y_two_to_one", 2, 11)):
        try:
            out[key] = _block(sub, seed, c_in, 1, 1, size=5)(_images(seed + 10, (2, 5, 5, c_in)), training=False)
        except NotImplementedError:
            raise  # an unfinished block is "not implemented yet", not a wrong answer
        except Exception as err:  # noqa: BLE001 -- reported by the comparison
            errors.append(f"{key}: {type(err).__name__}({str(err)[:120]!r})")
    raised = []
    for bad in (0, -2, 2.5):
        try:
            sub.ResidualBlock(bad)
            raised.append(0)
        except ValueError:
            raised.append(1)
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 -- the wrong exception type
            raised.append(0)
    return {**out, "errors": "; ".join(errors), "raised": np.array(raised)}


@check(points=1, rtol=1e-4, atol=1e-5)
def post_activation(sub):
    """beyond the notes: post_activation=True, y = ReLU(F(x) + x), 4 -> 4 channels, inference mode."""
    block = _block(sub, 12, 4, 4, 1, post_activation=True)
    return {"y": block(_images(13, (2, 6, 6, 4)), training=False)}


@check(points=2, rtol=1e-4, atol=1e-5)
def projection_shortcut(sub):
    """beyond the notes: 1x1 projection shortcuts, inference mode -- 3 -> 5 channels with stride 1;
    4 -> 4 channels with stride 2 (the stride alone changes the shape); 4 -> 8 channels with
    stride 2 on odd-sized (7 x 7) images (output (2, 4, 4, 8)) with post_activation=True."""
    return {
        "channels": _block(sub, 2, 3, 5, 1)(_images(3, (2, 6, 6, 3)), training=False),
        "stride_only": _block(sub, 14, 4, 4, 2)(_images(15, (2, 6, 6, 4)), training=False),
        "strided_post_activation": _block(sub, 4, 4, 8, 2, size=7, post_activation=True)(
            _images(5, (2, 7, 7, 4)), training=False),
    }


@check(points=1, rtol=1e-4, atol=1e-5)
def config_round_trip(sub):
    """from_config(get_config()) makes a block with the same filters, strides and post_activation
    (same output on copied weights)."""
    block = _block(sub, 8, 2, 4, 2, post_activation=True)
    config = block.get_config()
    for key in ("filters", "strides", "post_activation"):
        if key not in config:
            raise AssertionError(f"get_config() must include `{key}`, so that from_config can rebuild the block.")
    clone = type(block).from_config(config)
    x = _images(9, (1, 6, 6, 2))
    clone.build(x.shape)
    clone.set_weights(block.get_weights())
    return {"filters": config["filters"], "strides": np.asarray(config["strides"]).ravel()[:1],
            "post_activation": int(bool(config["post_activation"])), "y": clone(x, training=False)}
