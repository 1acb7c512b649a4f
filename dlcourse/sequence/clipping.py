"""Gradient clipping against exploding gradients in recurrent networks (beyond the notes).

Lecture: §3.1 Recurrent Neural Network(RNN); §2.1 Initialization

Beyond the notes: the notes do not cover clipping. It is the usual answer to the other side of
their question in §3.1, why the gradient of an RNN vanishes: backpropagation through time
multiplies one factor diag(1 - h_t^2) W_hh^T per step back, and when those factors are large the
product grows geometrically instead -- the exploding gradient that §2.1 names beside the
vanishing one. The notes' remedies (ReLU, initialization, gated cells) target vanishing; when
the gradient explodes, a single step can throw the weights far away, and clipping bounds the
step while (for the norm-based forms) keeping its direction:

    by value:        g <- min(max(g, -v), v)                      each component separately
    by norm:         g <- g * c / max(||g||, c)                    each gradient tensor separately
    by global norm:  g_k <- g_k * c / max(N, c),  N = sqrt(sum_k ||g_k||^2)   all together

Clipping by global norm rescales every gradient by the same factor, so the update keeps the
direction of the full gradient; it is Keras' `global_clipnorm`, while per-tensor clipping by
norm is its `clipnorm` and by value its `clipvalue`. The functions take numpy arrays or
tensors (TensorFlow's sparse IndexedSlices gradients too, made dense) and return tensors
(`keras.ops`).
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["clip_by_value", "clip_by_norm", "clip_by_global_norm", "global_norm"]


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return float(value)


def _float_tensor(gradient):
    if all(hasattr(gradient, name) for name in ("indices", "values", "dense_shape")):
        # TensorFlow hands an embedding's gradient over as IndexedSlices, one row per occurrence
        # of an id; summing those rows per id first keeps ||g|| right when a batch repeats ids.
        gradient = ops.scatter(ops.expand_dims(gradient.indices, -1), gradient.values, gradient.dense_shape)
    gradient = ops.convert_to_tensor(gradient)
    if "float" not in keras.backend.standardize_dtype(gradient.dtype):  # integers: norms need floats
        gradient = ops.cast(gradient, keras.config.floatx())
    return gradient


def _l2_norm(gradient):
    return ops.sqrt(ops.sum(ops.square(gradient)))


def clip_by_value(gradient, clip_value):
    """Clip every component of the gradient to [-clip_value, clip_value].

    Args:
        gradient: an array or tensor of any shape.
        clip_value: the bound v > 0.

    Returns:
        A tensor of the same shape, min(max(g, -v), v).

    Example:

    >>> from dlcourse.sequence import clip_by_value
    >>> [float(g) for g in clip_by_value([-3.0, 0.5, 2.0], 1.0)]
    [-1.0, 0.5, 1.0]
    """
    clip_value = _positive("clip_value", clip_value)
    return ops.clip(_float_tensor(gradient), -clip_value, clip_value)


def clip_by_norm(gradient, max_norm):
    """Rescale the gradient so that its L2 norm is at most max_norm.

    g <- g * c / max(||g||, c): unchanged when ||g|| <= c, else rescaled to norm c along the
    same direction. ||g|| is the norm of all entries of the tensor together.

    Args:
        gradient: an array or tensor of any shape.
        max_norm: the bound c > 0.

    Returns:
        A tensor of the same shape.

    Example:

    >>> from dlcourse.sequence import clip_by_norm
    >>> [round(float(g), 4) for g in clip_by_norm([3.0, 4.0], 1.0)]
    [0.6, 0.8]
    """
    max_norm = _positive("max_norm", max_norm)
    gradient = _float_tensor(gradient)
    return gradient * (max_norm / ops.maximum(_l2_norm(gradient), max_norm))


def global_norm(gradients):
    """N = sqrt(sum over k of ||g_k||^2), the norm of all gradients taken as one vector."""
    squares = [ops.sum(ops.square(_float_tensor(g))) for g in gradients]
    dtype = keras.backend.result_type(*[s.dtype for s in squares])  # mixed precision: the widest
    return ops.sqrt(sum(ops.cast(s, dtype) for s in squares))


def clip_by_global_norm(gradients, max_norm):
    """Rescale a list of gradients together so that their global norm is at most max_norm.

    g_k <- g_k * c / max(N, c) with N = sqrt(sum_k ||g_k||^2): every gradient is scaled by the
    same factor, so the direction of the whole update is kept.

    Args:
        gradients: a list of arrays or tensors (one per variable), any shapes.
        max_norm: the bound c > 0.

    Returns:
        The tuple (clipped, N): the list of clipped tensors, in order, and the global norm N
        before clipping (a scalar tensor).

    Example:

    >>> from dlcourse.sequence import clip_by_global_norm
    >>> clipped, norm = clip_by_global_norm([[3.0], [4.0]], 1.0)
    >>> float(norm), [round(float(g[0]), 4) for g in clipped]
    (5.0, [0.6, 0.8])
    """
    max_norm = _positive("max_norm", max_norm)
    gradients = [_float_tensor(g) for g in gradients]
    if not gradients:
        raise ValueError("gradients must be a non-empty list of arrays, got an empty list.")
    norm = global_norm(gradients)
    scale = max_norm / ops.maximum(norm, max_norm)
    return [g * ops.cast(scale, g.dtype) for g in gradients], norm
